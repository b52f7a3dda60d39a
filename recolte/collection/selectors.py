"""Reads shared by collection's pages: what a user may see, whom a campaign addresses, the
library filtered and counted per filter value, uploads being read and a record's texts.

Every query of material starts from `visible_resources`, so the confidentiality rule of the
access policy applies to lists, counts, pages and downloads alike.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from recolte.access.policy import Action, User, can, own_organisation_id, visible_material
from recolte.collection.filters import LibraryFilters
from recolte.collection.ingest.text import normalise, paragraphs
from recolte.collection.instruments import MAIN_KIND
from recolte.collection.models import (
    Campaign,
    Confidentiality,
    Instrument,
    Question,
    Record,
    Resource,
    ResourceVersion,
    Response,
    Upload,
)
from recolte.registry.models import Organisation, PilotOperation, Programme


def visible_resources(user: User, programme: Programme) -> QuerySet[Resource]:
    resources = Resource.objects.filter(programme=programme)
    rule = visible_material(user, programme)
    if rule:
        # A subquery, because the rule may join organisations and would repeat rows.
        resources = resources.filter(pk__in=resources.filter(rule).values("pk"))
    return resources


def visible_records(user: User, programme: Programme) -> QuerySet[Record]:
    """Records follow the same confidentiality rule as resources."""
    found = Record.objects.filter(programme=programme)
    rule = visible_material(user, programme)
    return found.filter(pk__in=found.filter(rule).values("pk")) if rule else found


def visible_responses(user: User, programme: Programme) -> QuerySet[Response]:
    """Responses are read by those who read every response and by the answering organisation;
    once submitted, a response follows the level of the resource it became."""
    responses = Response.objects.filter(campaign__programme=programme)
    if not can(user, Action.VIEW_ALL_RESPONSES, programme):
        responses = responses.filter(organisation_id=own_organisation_id(user, programme))
    submitted = visible_resources(user, programme).values("pk")
    return responses.filter(Q(resource__isnull=True) | Q(resource__in=submitted))


def visible_campaigns(user: User, programme: Programme) -> QuerySet[Campaign]:
    """Draft campaigns are for those who run campaigns: their titles appear nowhere else."""
    campaigns = Campaign.objects.filter(programme=programme)
    if can(user, Action.RUN_CAMPAIGNS, programme):
        return campaigns
    return campaigns.exclude(status=Campaign.Status.DRAFT)


# Campaigns ----------------------------------------------------------------------------------


def reminder_dates(campaign: Campaign) -> list[date]:
    """The days reminders are due: closing date minus each number of `reminder_days`."""
    if not campaign.closes_on:
        return []
    days = {int(part) for part in re.findall(r"\d+", campaign.reminder_days)}
    return sorted(campaign.closes_on - timedelta(days=n) for n in days)


def audience_organisations(campaign: Campaign) -> QuerySet[Organisation]:
    """The organisations a campaign is addressed to."""
    orgs = Organisation.objects.filter(programme=campaign.programme)
    if campaign.audience == Campaign.Audience.PILOT_LEADS:
        leads = PilotOperation.objects.filter(programme=campaign.programme).values("lead")
        return orgs.filter(pk__in=leads)
    if campaign.audience == Campaign.Audience.ALL_MEMBERS:
        return orgs.filter(is_member=True)
    return orgs.filter(
        Q(pk__in=campaign.chosen_organisations.values("pk"))
        | Q(pk__in=campaign.chosen_people.values("organisation"))
    ).distinct()


def addressed_to(campaign: Campaign, organisation_id: int | None) -> bool:
    return bool(organisation_id) and (
        audience_organisations(campaign).filter(pk=organisation_id).exists()
        or campaign.invitations.filter(organisation_id=organisation_id).exists()
    )


def campaigns_for_organisation(programme, organisation_id: int | None) -> list[Campaign]:
    """Open and closed campaigns addressed to (or answered by) one organisation."""
    candidates = programme.campaigns.exclude(status=Campaign.Status.DRAFT)
    return [
        c
        for c in candidates
        if addressed_to(c, organisation_id)
        or c.responses.filter(organisation_id=organisation_id).exists()
    ]


# Library ------------------------------------------------------------------------------------


# Which resources contain words is the corpus's to say (its full-text engine, a room above this
# one): it registers the answer at start (corpus.apps), as it listens for stored versions.
# Until then, or while a resource is not cut into passages yet, titles alone are searched.
_text_matches: Callable[[User, Programme, str], set[int]] | None = None


def text_matches_register(find: Callable[[User, Programme, str], set[int]]) -> None:
    global _text_matches
    _text_matches = find


def _containing(user: User, programme: Programme, f: LibraryFilters) -> set[int]:
    """Resources whose text has every word of the search (the user's visible passages only)."""
    return _text_matches(user, programme, f.q) if f.q and _text_matches else set()


def apply_filters(
    resources: QuerySet[Resource], f: LibraryFilters, containing: set[int] = frozenset()
) -> QuerySet[Resource]:
    """`containing`: resources whose text has the search's words (a title may have them too)."""
    conditions = Q()
    for name in ("instrument", "language", "kind", "confidentiality"):
        if getattr(f, name):
            conditions &= Q(**{name: getattr(f, name)})
    if f.campaign:
        conditions &= Q(campaign_id=f.campaign)
    if f.pilot:
        conditions &= Q(pilot_id=f.pilot)
    if f.organisation:
        conditions &= Q(organisations=f.organisation)
    if f.date_from:
        conditions &= Q(date__gte=f.date_from)
    if f.date_to:
        conditions &= Q(date__lte=f.date_to)
    if f.q:
        conditions &= Q(title__icontains=f.q) | Q(pk__in=containing)
    return resources.filter(conditions)


def library_resources(user: User, programme: Programme, f: LibraryFilters) -> QuerySet[Resource]:
    return (
        apply_filters(visible_resources(user, programme), f, _containing(user, programme, f))
        .select_related("campaign", "pilot")
        .prefetch_related("organisations")
        .order_by("-date", "-created", "-pk")
    )


@dataclass(frozen=True)
class FilterCount:
    value: str
    label: str
    count: int
    selected: bool


# filter -> (the filters it clears before counting, the column grouped on)
_COUNTED = {
    "instrument": (("instrument",), "instrument"),
    "kind": (("kind",), "kind"),
    "campaign": (("campaign",), "campaign"),
    "organisation": (("organisation",), "organisations"),
    "pilot": (("pilot",), "pilot"),
    "language": (("language",), "language"),
    "year": (("date_from", "date_to"), "year"),
    "confidentiality": (("confidentiality",), "confidentiality"),
}


def filter_counts(
    user: User, programme: Programme, f: LibraryFilters
) -> dict[str, list[FilterCount]]:
    """Counts beside each filter, computed with every *other* filter applied (drill-down)."""
    visible = visible_resources(user, programme)
    labels = _labels(user, programme)
    containing = _containing(user, programme, f)
    out: dict[str, list[FilterCount]] = {}
    for name, (cleared, column) in _COUNTED.items():
        scoped = apply_filters(visible, replace(f, **{c: _empty(c) for c in cleared}), containing)
        if column == "year":
            scoped = scoped.annotate(year=ExtractYear("date"))
        rows = (
            scoped.exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(n=Count("pk", distinct=True))
            .order_by(column)
        )
        values = []
        for row in rows:
            key = row[column]
            if key in ("", None) or (name == "campaign" and key not in labels["campaign"]):
                continue
            values.append(
                FilterCount(
                    value=str(key),
                    label=labels.get(name, {}).get(key, str(key)),
                    count=row["n"],
                    selected=_is_selected(f, name, key),
                )
            )
        if name == "year":
            values.reverse()
        out[name] = sorted(values, key=lambda v: -v.count) if name == "organisation" else values
    return out


def _empty(name: str) -> object:
    return "" if name in ("instrument", "kind", "language", "confidentiality", "q") else None


def _is_selected(f: LibraryFilters, name: str, key: object) -> bool:
    if name == "year":
        return bool(f.date_from and f.date_to and f.date_from.year == f.date_to.year == key)
    return getattr(f, name) == key


def _labels(user: User, programme: Programme) -> dict[str, dict]:
    return {
        "instrument": dict(Instrument.choices),
        "kind": dict(Resource.Kind.choices),
        "confidentiality": dict(Confidentiality.choices),
        "campaign": dict(visible_campaigns(user, programme).values_list("pk", "title")),
        "organisation": {o.pk: o.label for o in Organisation.objects.filter(programme=programme)},
        "pilot": {p.pk: p.title for p in PilotOperation.objects.filter(programme=programme)},
    }


# Answering, uploads and records --------------------------------------------------------------

# A finished reading (answers, a record's transcript) stays on its page this long, then the page
# is plain.
ANSWERS_SHOWN_FOR = timedelta(hours=1)


def pending_changes(response: Response) -> bool:
    """A submitted response edited since its submission."""
    return (
        bool(response.submitted)
        and response.answers.filter(updated__gt=response.submitted).exists()
    )


def recent_uploads(*, programme: Programme, purposes: list[str]) -> QuerySet[Upload]:
    return Upload.objects.filter(programme=programme, purpose__in=purposes)


def answers_upload(response: Response | None) -> Upload | None:
    """The latest reading of a document for this response, while it is worth showing."""
    if response is None:
        return None
    since = timezone.now() - ANSWERS_SHOWN_FOR
    return (
        Upload.objects.filter(response=response, purpose=Upload.Purpose.ANSWERS, created__gte=since)
        .order_by("-created", "-pk")
        .first()
    )


def record_upload(record: Record) -> Upload | None:
    """The latest transcript file read for this record in the background, while it is worth
    showing (read, being read, or why it failed)."""
    since = timezone.now() - ANSWERS_SHOWN_FOR
    return (
        Upload.objects.filter(record=record, purpose=Upload.Purpose.RECORD, created__gte=since)
        .order_by("-created", "-pk")
        .first()
    )


def answers_unmatched(upload: Upload) -> list[Question]:
    return list(Question.objects.filter(pk__in=upload.result.get("unmatched", [])))


def record_texts(record: Record) -> dict[str, list[Resource]]:
    """The record's resources grouped for its page: main text, boxes, other files."""
    resources = list(record.resources.prefetch_related("versions").order_by("created", "pk"))
    main = MAIN_KIND.get(record.instrument)
    return {
        "main": [r for r in resources if r.kind == main],
        "boxes": [r for r in resources if r.kind == Resource.Kind.BOX],
        "others": [r for r in resources if r.kind not in (main, Resource.Kind.BOX)],
    }


def _timestamp(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def text_blocks(version: ResourceVersion) -> list[dict]:
    """The text cut for display: one block per cue (with its time) or per paragraph."""
    cues = version.extra.get("cues") or []
    if cues:
        return [
            {"time": _timestamp(start_ms), "speaker": speaker, "text": version.text[start:end]}
            for start_ms, _end_ms, speaker, start, end in cues
        ]
    return [{"text": block} for block in paragraphs(version.text)]


def question_prompts(resource: Resource) -> list[str]:
    """The campaign questions a response's text may repeat before its answers (`response_text`
    writes each, normalised, in any of its languages), so the corpus keeps them as context."""
    if resource.kind != Resource.Kind.RESPONSE or not resource.campaign_id:
        return []
    texts = Question.objects.filter(campaign_id=resource.campaign_id).values_list(
        "text_fr", "text_en", "text_es"
    )
    return sorted({normalise(t) for row in texts for t in row if t and t.strip()})
