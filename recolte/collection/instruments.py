"""The instruments of capitalisation, and everything each one implies, in one place.

An instrument is either answered through a campaign (a questionnaire sent to an audience) or
recorded (an event with its record and the resource holding what was said). The campaign form's
choices, the record kinds, forms and pages, and the French wording of reports all read `SPECS`;
`collection/tests/test_instruments.py` fails when an `Instrument` has no spec.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Instrument(models.TextChoices):
    FIELD_LOGBOOK = "field_logbook", _("field logbook")
    ONE_OFF_QUESTION = "one_off_question", _("one-off question")
    INTERVIEW = "interview", _("bilateral interview")
    SITE_MEETING = "site_meeting", _("on-site meeting")
    WORKSHOP = "workshop", _("workshop")
    SEMINAR = "seminar", _("seminar")
    VIDEO = "video", _("short video")
    OTHER = "other", _("other")


@dataclass(frozen=True)
class Recorded:
    """How a recorded instrument's events are kept: a `Record` and its main resource."""

    kind: str  # the `Resource.Kind` holding what was said (models import this module)
    fields: tuple[str, ...]  # the `Record` fields its form shows, in order
    content_label: Promise  # what the main text is called in the form
    people_label: Promise = _("Participants")
    interviewer_label: Promise = _("Facilitator")
    boxes: bool = False  # boxed examples (encadrés) are drawn from its records


@dataclass(frozen=True)
class InstrumentSpec:
    report_label: str  # French wording printed by reports, whatever the reader's language
    recorded: Recorded | None = None  # None: answered through a campaign


_GATHERING = (
    "title",
    "date",
    "place",
    "organisations",
    "pilot",
    "people",
    "other_participants",
    "interviewer",
    "notes",
    "confidentiality",
)

SPECS: dict[str, InstrumentSpec] = {
    Instrument.FIELD_LOGBOOK: InstrumentSpec("Carnet de route"),
    Instrument.ONE_OFF_QUESTION: InstrumentSpec("Question ponctuelle"),
    Instrument.INTERVIEW: InstrumentSpec(
        "Entretien bilatéral",
        Recorded(
            kind="transcript",
            fields=(
                "title",
                "date",
                "place",
                "organisations",
                "pilot",
                "people",
                "interviewer",
                "consent_given",
                "notes",
                "confidentiality",
            ),
            content_label=_("transcript"),
            people_label=_("Interviewees"),
            interviewer_label=_("Interviewer"),
        ),
    ),
    Instrument.SITE_MEETING: InstrumentSpec(
        "Réunion in situ",
        Recorded(kind="notes", fields=_GATHERING, content_label=_("meeting notes"), boxes=True),
    ),
    Instrument.WORKSHOP: InstrumentSpec(
        "Atelier", Recorded(kind="minutes", fields=_GATHERING, content_label=_("minutes"))
    ),
    Instrument.SEMINAR: InstrumentSpec(
        "Séminaire", Recorded(kind="minutes", fields=_GATHERING, content_label=_("minutes"))
    ),
    Instrument.VIDEO: InstrumentSpec(
        "Vidéo",
        Recorded(
            kind="transcript",
            fields=(
                "title",
                "date",
                "link",
                "organisations",
                "pilot",
                "people",
                "consent_given",
                "notes",
                "confidentiality",
            ),
            content_label=_("transcript"),
            people_label=_("Speakers"),
        ),
    ),
    Instrument.OTHER: InstrumentSpec("Autre instrument"),
}

CAMPAIGN_INSTRUMENTS = tuple(i for i in Instrument if SPECS[i].recorded is None)
RECORD_INSTRUMENTS = tuple(i for i in Instrument if SPECS[i].recorded is not None)
# The record kind of each recorded instrument: the resource that holds what was said.
MAIN_KIND = {i: SPECS[i].recorded.kind for i in RECORD_INSTRUMENTS}
# French wording of every instrument as reports print it; "" is a resource without one.
REPORT_LABELS = {i.value: SPECS[i].report_label for i in Instrument} | {"": "Sans instrument"}


def campaign_choices() -> list[tuple[str, str]]:
    """The instruments a campaign may use, as form choices."""
    return [(i.value, i.label) for i in CAMPAIGN_INSTRUMENTS]


def recorded(instrument: str) -> Recorded:
    """How a recorded instrument is kept; KeyError for one answered through a campaign."""
    spec = SPECS[instrument].recorded
    if spec is None:
        raise KeyError(instrument)
    return spec
