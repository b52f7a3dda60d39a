"""Answers read from an uploaded DOCX: each recognised question's following text is its answer.

Questions are recognised by their text in any of the campaign's languages, numbering and accents
ignored, or by a close match for long ones (respondents retype or shorten them).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recolte.collection.ingest import IngestError, extract
from recolte.collection.ingest.text import paragraphs
from recolte.collection.models import Question, Response
from recolte.collection.services.answering import answer_save, check_editable

_NUMBERING = re.compile(
    r"^\s*(?:(?:question|q)\s*(?:n\s*[°o.]\s*)?\d+\s*[.:)\-–]?|\d+\s*[.:)\-–]|[-•*])\s*",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    text = _NUMBERING.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))


_YES_NO = {"oui": "yes", "yes": "yes", "si": "yes", "non": "no", "no": "no"}


def _typed(question: Question, text: str) -> str:
    """What a respondent typed in a document, in the form the question's type stores: a
    "Oui"/"No" for yes/no, choices on one line separated by commas for a multiple choice."""
    if question.answer_type == Question.AnswerType.YES_NO:
        words = _key(text).split()
        return _YES_NO.get(words[0], text) if words else ""
    if question.answer_type == Question.AnswerType.MULTIPLE:
        return "\n".join(part.strip() for part in re.split(r"[\n,;]", text))
    return text


def _match(block: str, keys: dict[int, list[str]]) -> tuple[int | None, str]:
    """Which question a block starts with, and the rest of the block (an answer's beginning)."""
    lines = block.split("\n")
    head = _key(lines[0])
    if not head:
        return None, block
    for pk, texts in keys.items():
        for key in texts:
            close = head == key or (
                len(head) > 12 and SequenceMatcher(None, head, key).ratio() >= 0.85
            )
            if close:
                return pk, "\n".join(lines[1:]).strip()
    return None, block


@dataclass
class DocxOutcome:
    answered: list[Question] = field(default_factory=list)
    unmatched: list[Question] = field(default_factory=list)
    preamble: str = ""  # text found before the first recognised question


def docx_answer_parse(
    *, response: Response, data: bytes, by: AbstractBaseUser | None = None
) -> DocxOutcome:
    """Read an uploaded DOCX: the text after each recognised question becomes its answer."""
    check_editable(response.campaign)
    try:
        extracted = extract(data, "answer.docx")
    except IngestError as error:
        raise ValidationError(error.message, code=error.code) from error
    if extracted.format != "docx":
        raise ValidationError(_("This file is not a DOCX document."), code="type_mismatch")
    questions = {q.pk: q for q in response.campaign.questions.all()}
    keys = {
        pk: [_key(t) for t in (q.text_fr, q.text_en, q.text_es) if t.strip()]
        for pk, q in questions.items()
    }
    found: dict[int, list[str]] = {}
    current: int | None = None
    preamble: list[str] = []
    for block in paragraphs(extracted.text):
        pk, rest = _match(block, {k: v for k, v in keys.items() if k not in found})
        if pk is not None:
            current = pk
            found[pk] = [rest] if rest else []
        elif current is None:
            preamble.append(block)
        else:
            found[current].append(block)
    outcome = DocxOutcome(preamble="\n\n".join(preamble))
    with transaction.atomic():
        for pk, question in questions.items():
            if pk in found and question.answer_type != Question.AnswerType.FILE:
                text = _typed(question, "\n\n".join(found[pk]))
                try:
                    answer_save(response=response, question=question, text=text)
                except ValidationError:  # not a number, a date or a listed choice: to check
                    outcome.unmatched.append(question)
                else:
                    outcome.answered.append(question)
            elif pk not in found:
                outcome.unmatched.append(question)
        Response.objects.filter(pk=response.pk).update(channel=Response.Channel.DOCX)
    return outcome
