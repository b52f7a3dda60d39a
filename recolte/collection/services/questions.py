"""A campaign's questions: add, edit, reorder, delete (only while nobody answered them).

Skip logic ties a question to an earlier choice, multiple-choice or yes/no question; keeping
conditions on earlier questions only (on save and on every move) makes cycles impossible.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recolte.collection.answer_types import (
    CONDITION_TYPES,
    MAX_SCALE_POINTS,
    T,
    option_values,
    scale_bounds,
)
from recolte.collection.models import Campaign, Question


def _check(question: Question) -> None:
    """Refuse bounds, scales and conditions that cannot work."""
    low, high = question.minimum, question.maximum
    if low is not None and high is not None and low > high:
        raise ValidationError(_("The minimum is greater than the maximum."))
    if question.answer_type == T.SCALE:
        low, high = scale_bounds(question)
        if (
            question.minimum is not None
            and question.minimum != low
            or (question.maximum is not None and question.maximum != high)
        ):
            raise ValidationError(_("The ends of a scale are whole numbers."))
        if not 2 <= high - low + 1 <= MAX_SCALE_POINTS:
            raise ValidationError(
                _("A scale has from 2 to %(n)s points.") % {"n": MAX_SCALE_POINTS}
            )
    if question.pk and question.answer_type not in CONDITION_TYPES and question.dependents.exists():
        raise ValidationError(
            _("Other questions depend on this one's answer: it must stay a choice.")
        )
    condition = question.show_if
    if condition is None:
        question.show_if_values = ""
        return
    earlier = (condition.order, condition.pk) < (question.order, question.pk or condition.pk + 1)
    if condition.campaign_id != question.campaign_id or not earlier:
        raise ValidationError(_("A question can only depend on an earlier question."))
    if condition.answer_type not in CONDITION_TYPES:
        raise ValidationError(_("A condition must be a choice or yes/no question."))
    allowed = {value for value, _label in option_values(condition)}
    values = question.show_if_list()
    if not values or not set(values) <= allowed:
        raise ValidationError(_("Choose the answers that show this question."))


def question_add(*, campaign: Campaign, **fields) -> Question:
    last = campaign.questions.order_by("-order").first()
    question = Question(campaign=campaign, order=(last.order + 1) if last else 1, **fields)
    _check(question)
    question.save()
    return question


@transaction.atomic
def question_move(*, question: Question, step: int) -> None:
    """Move a question up (step -1) or down (+1); orders are renumbered 1..n."""
    ordered = list(question.campaign.questions.all())
    i = ordered.index(question)
    j = max(0, min(len(ordered) - 1, i + step))
    ordered[i], ordered[j] = ordered[j], ordered[i]
    first, second = ordered[min(i, j)], ordered[max(i, j)]
    if first.show_if_id == second.pk:  # after the swap it would come before its condition
        raise ValidationError(
            _("This question depends on the other one's answer: it must stay after it.")
        )
    for number, q in enumerate(ordered, start=1):
        if q.order != number:
            q.order = number
            q.save(update_fields=["order"])


def question_delete(*, question: Question) -> None:
    if question.answers.exclude(text="", file="").exists():
        raise ValidationError(_("This question already has answers: it cannot be deleted."))
    if question.dependents.exists():  # else they would silently lose their condition
        raise ValidationError(
            _("Other questions are shown depending on this one: change their condition first.")
        )
    question.delete()


def question_update(*, question: Question, **fields) -> Question:
    """Change a question's wording, type or choices (its place moves with `question_move`)."""
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    _check(question)
    question.save()
    return question
