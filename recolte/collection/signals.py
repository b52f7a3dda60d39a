"""Signals other rooms listen to without collection importing them (imports run downwards)."""

from django.dispatch import Signal

# Sent with `version` (a ResourceVersion) after its transaction commits.
version_stored = Signal()
