"""What each answer type accepts, how it is stored in `Answer.text` and how it reads back.

Stored forms are language-neutral so that a change of page language changes nothing: a number
in plain decimal notation, a date as YYYY-MM-DD, yes/no as "yes" or "no", the choices of a
multiple choice one per line. Every check runs on the server: a form field is hostile input.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recolte.collection.models import Question

T = Question.AnswerType
# The types whose answer may decide whether a later question is shown.
CONDITION_TYPES = (T.CHOICE, T.MULTIPLE, T.YES_NO)
# Figures and dates say little alone: kept as structured answers (pages, exports), never cut
# into passages of the text corpus where they would be searched and coded as prose.
STRUCTURED_TYPES = (T.NUMBER, T.DATE, T.SCALE, T.YES_NO)
YES_NO = (("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No")))
MAX_SCALE_POINTS = 11  # 0 to 10


def scale_bounds(question: Question) -> tuple[int, int]:
    low = int(question.minimum) if question.minimum is not None else 1
    high = int(question.maximum) if question.maximum is not None else 5
    return low, high


def scale_points(question: Question) -> list[int]:
    low, high = scale_bounds(question)
    return list(range(low, high + 1))


def plain_number(value: Decimal | int) -> str:
    """120, 2.5, -3: no exponent, no trailing zeros."""
    text = format(Decimal(value).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def option_values(question: Question) -> list[tuple[str, str]]:
    """(stored value, label) of a choice-like question: what a condition may test."""
    if question.answer_type == T.YES_NO:
        return [(value, str(label)) for value, label in YES_NO]
    return [(choice, choice) for choice in question.choice_list()]


def _decimals(value: Decimal) -> int:
    """How many decimals the value really has (3.500 has one), without writing it out."""
    sign, digits, exponent = value.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0") or "0"
    return max(0, -(exponent + len(digits) - len(significant)))


def _number(question: Question, raw: str) -> str:
    try:
        value = Decimal(raw.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        value = None
    # Beyond 15 digits or below a millionth it is not a count or an amount, and 1e999999999
    # would be a billion characters once written out.
    if value is None or not value.is_finite() or value.adjusted() > 14 or _decimals(value) > 6:
        raise ValidationError(_("Enter a number, for example 12 or 3.5."), code="number")
    if question.minimum is not None and value < question.minimum:
        raise ValidationError(
            _("Enter a number of at least %(min)s.") % {"min": plain_number(question.minimum)},
            code="min",
        )
    if question.maximum is not None and value > question.maximum:
        raise ValidationError(
            _("Enter a number of at most %(max)s.") % {"max": plain_number(question.maximum)},
            code="max",
        )
    return plain_number(value)


def _date(raw: str) -> str:
    try:
        if len(raw) == 10:  # fromisoformat also takes 20260304 and week dates
            return date.fromisoformat(raw).isoformat()
    except ValueError:
        pass
    raise ValidationError(_("Enter a valid date (year-month-day)."), code="date")


def _scale(question: Question, raw: str) -> str:
    if raw.lstrip("-").isdigit() and int(raw) in scale_points(question):
        return str(int(raw))
    low, high = scale_bounds(question)
    raise ValidationError(
        _("Choose a point from %(low)s to %(high)s.") % {"low": low, "high": high}, code="scale"
    )


def _among(allowed: list[str], picked: list[str]) -> None:
    if any(value not in allowed for value in picked):
        raise ValidationError(_("Choose among the listed answers."), code="choice")


def answer_clean(question: Question, raw: str) -> str:
    """The stored form of a raw answer; raises a ValidationError saying what is expected.

    An empty answer is always accepted (a draft may be incomplete; submission checks the
    required ones)."""
    raw = raw.strip()
    if not raw:
        return ""
    kind = question.answer_type
    if kind == T.NUMBER:
        return _number(question, raw)
    if kind == T.DATE:
        return _date(raw)
    if kind == T.SCALE:
        return _scale(question, raw)
    if kind in (T.CHOICE, T.YES_NO):
        _among([value for value, _label in option_values(question)], [raw])
    if kind == T.MULTIPLE:
        picked = list(dict.fromkeys(line.strip() for line in raw.splitlines() if line.strip()))
        _among(question.choice_list(), picked)
        return "\n".join(picked)
    return raw


def answer_display(question: Question, text: str) -> str:
    """An answer as a reader sees it, in the active language."""
    if not text:
        return ""
    kind = question.answer_type
    if kind == T.YES_NO:
        return dict(option_values(question)).get(text, text)
    if kind == T.DATE:
        try:
            return formats.date_format(date.fromisoformat(text), "DATE_FORMAT")
        except ValueError:
            return text
    if kind == T.MULTIPLE:
        return "; ".join(text.splitlines())
    if kind == T.SCALE:
        low, high = scale_bounds(question)
        return f"{text} / {high}" if low in (0, 1) else text
    return text


def shown_questions(questions: list[Question], answers: dict[int, str]) -> set[int]:
    """The ids of the questions that apply, given the answers (question id → stored text).

    A condition on a question itself hidden is unmet: hiding a question hides what hangs on
    it. Conditions point to earlier questions, so one pass in order decides them all."""
    shown: set[int] = set()
    for question in questions:
        if question.show_if_id is None or (
            question.show_if_id in shown
            and set(answers.get(question.show_if_id, "").splitlines())
            & set(question.show_if_list())
        ):
            shown.add(question.pk)
    return shown


def conditions_read(questions: list[Question]) -> dict[int, tuple[int, list[str]]]:
    """For each conditional question: the number of the question it hangs on and the labels
    of the answers that show it."""
    numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
    by_id = {q.pk: q for q in questions}
    read = {}
    for q in questions:
        if q.show_if_id in by_id:
            labels = dict(option_values(by_id[q.show_if_id]))
            read[q.pk] = (numbers[q.show_if_id], [labels.get(v, v) for v in q.show_if_list()])
    return read
