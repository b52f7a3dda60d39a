"""Typography and dates in the reader's language, for templates (built in) and Python alike.

French puts a non-breaking space before a colon and a percent sign and quotes « thus »,
English puts no space and quotes “thus”; dates use
the formats of `recolte/formats/<lang>/formats.py`, wrapped in `<time>` so they never wrap.
"""

from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


@register.simple_tag
def colon() -> str:
    """The colon after a label: "Lead: X" in English, "Responsable : X" in French."""
    return "\u00a0:" if _french() else ":"


@register.filter
def percent(value: object) -> str:
    """78 → "78 %" in French, "78%" in English."""
    if value is None or value == "":
        return ""
    return f"{value}\u00a0%" if _french() else f"{value}%"


@register.filter
def quoted(text: object) -> SafeString:
    """A quotation in the language's marks: « text » in French, “text” in English."""
    if _french():
        return format_html("«\u00a0{}\u00a0»", text)
    return format_html("“{}”", text)


def _time(value: date | datetime | None, fmt: str) -> SafeString | str:
    if not value:
        return ""
    iso = value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return format_html('<time datetime="{}">{}</time>', iso, date_filter(value, fmt))


# expects_localtime: like Django's `date`, show an aware datetime in the local time zone.
@register.filter(expects_localtime=True)
def day(value: date | datetime | None) -> SafeString | str:
    """A date in the language's short format (04/12/2026, 4 Dec 2026), on one line."""
    return _time(value, "SHORT_DATE_FORMAT")


@register.filter(expects_localtime=True)
def moment(value: datetime | None) -> SafeString | str:
    """A date and time in the language's short format, on one line."""
    return _time(value, "SHORT_DATETIME_FORMAT")
