"""A campaign's answers as a table: one row per response, one column per question.

Numbers, dates and scale points are typed cells (a spreadsheet sums and sorts them); yes/no
reads in the export's language; a multiple choice lists its ticked choices separated by "; ".
A question whose condition was unmet is blank: it was not asked.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from recolte.collection.answer_types import T, answer_display, shown_questions
from recolte.collection.models import Answer, Campaign, Question, Response


def _cell(question: Question, answer: Answer | None) -> Any:
    if answer is None:
        return ""
    text = answer.text
    if answer.file:
        return answer.file.name.rsplit("/", 1)[-1]
    if not text:
        return ""
    if question.answer_type == T.NUMBER:
        return Decimal(text)
    if question.answer_type == T.SCALE:
        return int(text)
    if question.answer_type == T.DATE:
        return date.fromisoformat(text)
    return answer_display(question, text)


def answers_table(
    campaign: Campaign, responses: QuerySet[Response]
) -> tuple[list[str], list[list]]:
    questions = list(campaign.questions.all())
    header = [_("organisation"), _("status"), _("submitted")] + [
        f"{n}. {q.text}" for n, q in enumerate(questions, start=1)
    ]
    rows = []
    for response in responses.select_related("organisation").prefetch_related("answers"):
        answers = {a.question_id: a for a in response.answers.all()}
        shown = shown_questions(questions, {pk: a.text for pk, a in answers.items()})
        rows.append(
            [
                response.organisation.label,
                response.get_status_display(),
                response.submitted.date() if response.submitted else "",
            ]
            + [_cell(q, answers.get(q.pk)) if q.pk in shown else "" for q in questions]
        )
    return header, rows
