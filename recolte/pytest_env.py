"""Loaded by pytest (`-p` in pyproject.toml) before pytest-django imports the settings.

The settings have no default secret key; a test run gets a random one, which the commands tests
start inherit.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
