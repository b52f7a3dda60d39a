"""A campaign's questions: add, edit, reorder, delete (only while nobody answered them)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recolte.collection.models import Campaign, Question


def question_add(*, campaign: Campaign, **fields) -> Question:
    last = campaign.questions.order_by("-order").first()
    return Question.objects.create(
        campaign=campaign, order=(last.order + 1) if last else 1, **fields
    )


@transaction.atomic
def question_move(*, question: Question, step: int) -> None:
    """Move a question up (step -1) or down (+1); orders are renumbered 1..n."""
    ordered = list(question.campaign.questions.all())
    i = ordered.index(question)
    j = max(0, min(len(ordered) - 1, i + step))
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for number, q in enumerate(ordered, start=1):
        if q.order != number:
            q.order = number
            q.save(update_fields=["order"])


def question_delete(*, question: Question) -> None:
    if question.answers.exclude(text="", file="").exists():
        raise ValidationError(_("This question already has answers: it cannot be deleted."))
    question.delete()


def question_update(*, question: Question, **fields) -> Question:
    """Change a question's wording, type or choices (its place moves with `question_move`)."""
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question
