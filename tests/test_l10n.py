"""Colons, percentages, quotes and dates follow the reader's language (recolte/l10n.py)."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    "{% load i18n %}{% translate 'Lead' %}{% colon %} X|{{ n|percent }}|{{ q|quoted }}"
    "|{{ d|day }}|{{ t|moment }}|{{ none|day|default:'—' }}"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "Porteur\u00a0: X|78\u00a0%|«\u00a0Vu\u00a0»"
            '|<time datetime="2026-03-04">04/03/2026</time>'
            '|<time datetime="2026-03-04T09:05+01:00">04/03/2026 09:05</time>|—',
        ),
        (
            "en",
            "Lead: X|78%|“Vu”"
            '|<time datetime="2026-03-04">4 Mar 2026</time>'
            '|<time datetime="2026-03-04T09:05+01:00">4 Mar 2026, 09:05</time>|—',
        ),
    ],
)
def test_typography_and_dates_in_each_language(language, expected, settings):
    context = Context(
        {
            "n": 78,
            "q": "Vu",
            "d": date(2026, 3, 4),
            "t": datetime(2026, 3, 4, 8, 5, tzinfo=UTC),
            "none": None,
        }
    )
    settings.TIME_ZONE = "Europe/Paris"  # 08:05 UTC is 09:05 there
    with translation.override(language):
        assert TEMPLATE.render(context) == expected
