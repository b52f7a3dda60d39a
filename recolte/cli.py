"""The `recolte` console script: Django's management commands with our settings."""

import os
import sys

# Commands spelled with dashes on the command line (Django module names cannot hold dashes).
ALIASES = {"eval-search": "eval_search", "eval-autocode": "eval_autocode"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["recolte", *args])
