"""Query and form parameters read through Django form fields: bad input is a 400 or a 404.

`str.isdigit()` is not a test for an integer ("²" passes it and int() refuses it), and an id
longer than 64 bits overflows the database driver: both gave 500s, so views use these instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

MAX_ID = 2**63 - 1  # the largest integer a SQLite or PostgreSQL bigint column holds
ID = forms.IntegerField(min_value=1, max_value=MAX_ID)
M = TypeVar("M", bound=Model)


def clean(form_class: type[forms.Form], data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's cleaned data, or BadRequest (a 400) listing what is wrong."""
    form = form_class(data)
    if not form.is_valid():
        raise BadRequest(form.errors.as_text())
    return form.cleaned_data


def parse_id(value: Any) -> int | None:
    """A database id, or None for anything else (empty, text, decimals, out of range)."""
    try:
        return ID.clean(value)
    except ValidationError:
        return None


def object_or_404(queryset: type[M] | QuerySet[M], value: Any, **filters: Any) -> M:
    """The object whose id is the raw parameter ``value``; a malformed id is a 404 too."""
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return get_object_or_404(queryset, pk=pk, **filters)
