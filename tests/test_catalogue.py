"""The French catalogue translates every message: none left empty, none left fuzzy.

`make test` installs gettext (msgfmt) before the suite runs.
"""

import subprocess
from pathlib import Path

import recolte

FRENCH = Path(recolte.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_is_complete():
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(FRENCH)],
        capture_output=True,
        text=True,
        check=True,
    )
    # msgfmt reports "N translated messages[, N fuzzy translations][, N untranslated messages]."
    assert "fuzzy" not in done.stderr and "untranslated" not in done.stderr, done.stderr
