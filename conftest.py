"""Fixtures shared by every test of the repository."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path: Path) -> None:
    """Uploads go to a per-test directory, never the developer's var/; hashing stays cheap."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The default PBKDF2 costs ~0.3 s per password on these cores; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
