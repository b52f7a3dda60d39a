"""The settings refuse to start without a secret key, and read the one `make demo` keeps."""

import os
import subprocess
import sys
from pathlib import Path

SHOW_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def settings_key(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECRET_KEY_FILE"}}
    clean |= {"DJANGO_SETTINGS_MODULE": "recolte.settings", "RECOLTE_DATA": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW_KEY], env=clean, capture_output=True, text=True
    )


def test_no_key_refuses_to_start_and_says_how_to_set_one(tmp_path):
    refused = settings_key(tmp_path)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "SECRET_KEY" in refused.stderr


def test_key_from_the_environment_then_a_file(tmp_path):
    (tmp_path / "secret_key").write_text("kept-in-the-data-directory\n")
    assert settings_key(tmp_path).stdout.strip() == "kept-in-the-data-directory"
    named = tmp_path / "elsewhere"
    named.write_text("named-by-SECRET_KEY_FILE")
    by_file = settings_key(tmp_path, SECRET_KEY_FILE=str(named))
    assert by_file.stdout.strip() == "named-by-SECRET_KEY_FILE"
    assert settings_key(tmp_path, SECRET_KEY="from-env").stdout.strip() == "from-env"
