"""Decisions on code suggestions: a person accepts, picks another code, or rejects.

An accept or a pick codes the whole passage; deciding never loads the embedder.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recolte.coding.models import Code, Coding, Suggestion
from recolte.coding.services.codings import coding_create
from recolte.corpus.models import Passage

PENDING = Suggestion.Status.PENDING


def _pending(suggestion: Suggestion) -> Suggestion:
    locked = (
        Suggestion.objects.select_for_update()
        .select_related("passage__version", "code", "model")
        .get(pk=suggestion.pk)
    )
    if locked.status != PENDING:
        raise ValidationError(_("This suggestion has already been decided."))
    return locked


def _decide(suggestion: Suggestion, status: str, by, coding: Coding | None = None) -> None:
    suggestion.status, suggestion.decided_by, suggestion.coding = status, by, coding
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "coding"])


def _code_passage(suggestion: Suggestion, code: Code, by, assistant: str) -> Coding:
    passage = suggestion.passage
    return coding_create(
        version=passage.version,
        start=passage.start,
        end=passage.end,
        code=code,
        coder=by,
        assistant=assistant,
    )


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by) -> Coding:
    """Code the passage with the suggested code, credited to the person and the assistant."""
    suggestion = _pending(suggestion)
    coding = _code_passage(suggestion, suggestion.code, by, suggestion.model.label)
    _decide(suggestion, Suggestion.Status.ACCEPTED, by, coding)
    return coding


@transaction.atomic
def suggestion_pick(*, suggestion: Suggestion, code: Code, by) -> Coding:
    """Code the passage with another code than suggested: the person's coding alone."""
    suggestion = _pending(suggestion)
    if code.programme_id != suggestion.code.programme_id:
        raise ValidationError(_("This code belongs to another programme."))
    coding = _code_passage(suggestion, code, by, "")
    _decide(suggestion, Suggestion.Status.PICKED, by, coding)
    return coding


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, by) -> None:
    _decide(_pending(suggestion), Suggestion.Status.REJECTED, by)


@transaction.atomic
def passage_reject(*, passage: Passage, by) -> int:
    """Reject every pending suggestion for a passage ("none of these")."""
    return Suggestion.objects.filter(passage=passage, status=PENDING).update(
        status=Suggestion.Status.REJECTED, decided_by=by, decided_at=timezone.now()
    )
