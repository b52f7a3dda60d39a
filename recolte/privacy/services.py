"""Personal data across every room: what is held about a person, erasing their name, retention.

Erasure pseudonymises rather than deletes, so the analysis survives: texts that codings,
passages and mentions index by offset get a mask of the same length (every offset stays true,
every coding stays attached and counts do not move); free texts get the pseudonym itself.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from recolte.access import audit
from recolte.access.models import AuditEvent
from recolte.coding.models import Coding, Memo, Quote
from recolte.collection.models import (
    Answer,
    Invitation,
    PendingMail,
    Record,
    Resource,
    ResourceVersion,
)
from recolte.corpus.models import Passage
from recolte.corpus.pipeline import process_version
from recolte.privacy.models import Retention
from recolte.registry.models import Person, Programme
from recolte.synthesis.assemble import build_report
from recolte.synthesis.evidence import Filters
from recolte.synthesis.models import (
    CampaignSynthesis,
    NodeText,
    NodeTextRevision,
    Publication,
    Report,
    ReportFile,
)
from recolte.synthesis.publication import publish
from recolte.synthesis.report import FORMATS, render
from recolte.synthesis.services import generate

# Free-text columns that may name a person, each rewritten with the pseudonym.
FREE_TEXT: list[tuple[type[models.Model], list[str]]] = [
    (Resource, ["title"]),
    (Record, ["title", "other_participants", "interviewer", "notes"]),
    (Answer, ["text"]),
    (PendingMail, ["sender", "subject", "body"]),
    (Coding, ["memo"]),
    (Memo, ["text"]),
    (Quote, ["person_name"]),
    (NodeText, ["text"]),
    (NodeTextRevision, ["text"]),
    (CampaignSynthesis, ["text"]),
    (Report, ["title"]),
    (AuditEvent, ["target_label"]),
]
# Texts indexed by offsets: masked in place, same length.
OFFSET_TEXT: list[tuple[type[models.Model], str]] = [
    (ResourceVersion, "text"),
    (Passage, "text"),
]
JSON_TEXT: list[tuple[type[models.Model], str]] = [
    (ResourceVersion, "extra"),
    (CampaignSynthesis, "node_texts"),
    (Publication, "content"),
    (Publication, "left_out"),
]


def pseudonym(person: Person) -> str:
    return f"P-{person.pk}"


def name_variants(person: Person) -> list[str]:
    """The spellings to look for, longest first so "Awa Diallo" goes before "Awa"."""
    first, last = person.first_name.strip(), person.last_name.strip()
    names = {f"{first} {last}".strip(), f"{last} {first}".strip(), first, last}
    # A one- or two-letter name would match inside ordinary words.
    return sorted((n for n in names if len(n) >= 3), key=len, reverse=True)


def _pattern(variants: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, variants)) + r")\b", re.IGNORECASE)


def _contains(name: str, variants: list[str]) -> Q:
    query = Q()
    # SQLite folds the case of ASCII letters only: look for the upper-case spelling as well.
    for variant in {*variants, *(v.upper() for v in variants)}:
        query |= Q(**{f"{name}__icontains": variant})
    return query


def _mask(match: re.Match[str], alias: str) -> str:
    width = len(match.group(0))
    return alias.ljust(width) if width >= len(alias) else "•" * width


# Export ---------------------------------------------------------------------------------------


def person_export(*, person: Person) -> dict:
    """Everything held about `person`, as JSON-ready data."""
    variants = name_variants(person)
    linked = Resource.objects.filter(people=person)
    mentioned = (
        Resource.objects.filter(_contains("versions__text", variants)).distinct()
        if variants
        else Resource.objects.none()
    )
    quotes = Quote.objects.filter(person=person).select_related("coding__version", "coding__code")
    codings = Coding.objects.filter(version__resource__in=linked).select_related("code", "version")
    events = AuditEvent.objects.filter(
        Q(target_type="registry.person", target_id=str(person.pk))
        | (_contains("target_label", variants) if variants else Q(pk__in=[]))
    )
    return {
        "person": {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "role": person.role,
            "email": person.email,
            "quote_consent": person.quote_consent,
            "consent_date": person.consent_date.isoformat() if person.consent_date else None,
            "consent_source": person.consent_source,
        },
        "organisation": {
            "id": person.organisation_id,
            "name": person.organisation.name,
            "programme": person.organisation.programme.slug,
        },
        "invitations": [
            {"campaign": str(i.campaign), "email": i.email, "sent": _iso(i.sent)}
            for i in Invitation.objects.filter(person=person).select_related("campaign")
        ],
        "campaigns_chosen_for": [str(c) for c in person.campaign_set.all()],
        "records": [
            {"id": r.pk, "title": r.title, "date": _iso(r.date)} for r in person.records.all()
        ],
        "resources": [_resource(r) for r in linked],
        "mentioned_in": [{"id": r.pk, "title": r.title} for r in mentioned],
        "quotes": [
            {
                "id": q.pk,
                "text": q.coding.text,
                "code": q.coding.code.key,
                "name_as_attributed": q.person_name,
                "consent": q.consent,
                "effective_consent": q.effective_consent,
            }
            for q in quotes
        ],
        "codings": [
            {"resource": c.version.resource_id, "code": c.code.key, "text": c.text, "memo": c.memo}
            for c in codings
        ],
        "audit_events": [
            {"at": _iso(e.at), "user": e.username, "verb": e.verb, "object": e.target_label}
            for e in events
        ],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _resource(resource: Resource) -> dict:
    current = resource.current
    return {
        "id": resource.pk,
        "title": resource.title,
        "kind": resource.kind,
        "date": _iso(resource.date),
        "text": current.text if current else "",
    }


# Erasure --------------------------------------------------------------------------------------


@dataclass
class Erasure:
    alias: str
    rows: int = 0
    versions: int = 0
    files: list[str] = field(default_factory=list)


@transaction.atomic
def person_erase(*, person: Person, by: AbstractBaseUser | None) -> Erasure:
    """Replace the person's name everywhere by a pseudonym; codings and counts are untouched."""
    variants = name_variants(person)
    alias = pseudonym(person)
    done = Erasure(alias)
    pattern = _pattern(variants) if variants else None
    # Decided before masking: afterwards the evidence no longer shows who was named.
    reports = [r for r in Report.objects.all() if pattern and _names(r, pattern)]
    versions: set[int] = set()
    if pattern:
        _free_texts(pattern, variants, alias, done)
        versions = _offset_texts(pattern, variants, alias, done)
        _json_texts(pattern, variants, alias, done)  # speaker cues, read when re-splitting
    Invitation.objects.filter(person=person).update(email=f"{alias.lower()}@invalid.example")
    person.first_name, person.last_name, person.email = alias, "", ""
    person.save(update_fields=["first_name", "last_name", "email"])
    # Once every text is masked and the person renamed (quotes are attributed from the person).
    _reindex(versions)
    _regenerate(reports, by, done)
    audit.record(
        user=by, verb=audit.Verb.ERASE, target=person, programme=person.organisation.programme
    )
    return done


def _free_texts(pattern, variants, alias: str, done: Erasure) -> None:
    for model, names in FREE_TEXT:
        query = Q()
        for name in names:
            query |= _contains(name, variants)
        for obj in model.objects.filter(query).only("pk", *names):
            for name in names:
                setattr(obj, name, pattern.sub(alias, getattr(obj, name)))
            obj.save(update_fields=names)
            done.rows += 1


def _offset_texts(pattern, variants, alias: str, done: Erasure) -> set[int]:
    """Mask in place; returns the versions whose live passages changed, to index again."""
    versions: set[int] = set()
    for model, name in OFFSET_TEXT:
        changed = []
        for obj in model.objects.filter(_contains(name, variants)):
            setattr(obj, name, pattern.sub(lambda m: _mask(m, alias), getattr(obj, name)))
            changed.append(obj)
        if model is ResourceVersion:
            for version in changed:
                version.save(update_fields=["text"])
            done.versions += len(changed)
        else:
            Passage.objects.bulk_update(changed, ["text"])
            versions |= {p.version_id for p in changed if p.retired_in_id is None}
        done.rows += len(changed)
    Passage.objects.filter(_contains("speaker", variants)).update(speaker=alias)
    return versions


def _reindex(version_ids: set[int]) -> None:
    """Process the masked versions again, as an edit would be.

    Their masked passages no longer match their stored hash, so the pipeline retires them for
    new passages: full-text rows and vectors come from the masked text, and the new ids and
    IndexState tokens make the in-process search caches drop the old postings.
    """
    for version in ResourceVersion.objects.filter(pk__in=version_ids).select_related(
        "resource__programme"
    ):
        process_version(version)
        # Codings of this version follow their passage to its masked successor.
        live = list(Passage.objects.filter(version=version, retired_in__isnull=True))
        moved = list(Coding.objects.filter(version=version, passage__retired_in=version))
        for coding in moved:
            coding.passage = next(
                (p for p in live if p.start <= coding.start and coding.end <= p.end), None
            )
        Coding.objects.bulk_update(moved, ["passage"])


def _json_texts(pattern, variants, alias: str, done: Erasure) -> None:
    for model, name in JSON_TEXT:
        for obj in model.objects.exclude(**{name: None}).only("pk", name):
            before = json.dumps(getattr(obj, name), ensure_ascii=False)
            after = pattern.sub(alias, before)
            if after != before:
                setattr(obj, name, json.loads(after))
                obj.save(update_fields=[name])
                done.rows += 1


def _names(report: Report, pattern: re.Pattern[str]) -> bool:
    """Whether a generated report names the person: in its evidence as of today, or in the
    text files stored for it or for its publication (evidence may have changed since)."""
    stored = [row for row in ReportFile.objects.filter(report=report) if row.file]
    if not stored:
        return False
    document = build_report(
        report.programme, Filters.from_dict(report.filters), report.pseudonymise
    )
    texts = [report.title, render(document, "md").decode("utf-8")]
    for row in stored:
        if FORMATS[row.format].text:  # DOCX and PDF are compressed
            with row.file.open("rb") as stream:
                texts.append(stream.read().decode("utf-8", "replace"))
    return any(pattern.search(text) for text in texts)


def _regenerate(reports: list[Report], by: AbstractBaseUser | None, done: Erasure) -> None:
    """Write every format of those reports again from the masked evidence; re-publish them."""
    for report in reports:
        done.files += [row.file.name for row in report.files.filter(publication=None) if row.file]
        generate(report)  # deletes the files it replaces
        if Publication.objects.filter(report=report).exists():
            publish(report, by=by)


# Retention ------------------------------------------------------------------------------------


def apply_retention(*, now=None) -> int:
    """Delete original files older than their programme's retention; texts and analysis stay.

    A month counts 30 days: retention is a floor, and a day more or less is not a question.
    """
    now = now or timezone.now()
    deleted = 0
    for setting in Retention.objects.select_related("programme"):
        deleted += _expire(setting.programme, setting.originals_months, now, transcripts=False)
        months = setting.transcripts_months or setting.originals_months
        deleted += _expire(setting.programme, months, now, transcripts=True)
    return deleted


def _expire(programme: Programme, months: int | None, now, *, transcripts: bool) -> int:
    if months is None:
        return 0
    kind = Q(resource__kind=Resource.Kind.TRANSCRIPT)
    old = ResourceVersion.objects.filter(
        resource__programme=programme, created__lt=now - timedelta(days=30 * months)
    ).exclude(original="")
    old = old.filter(kind) if transcripts else old.exclude(kind)
    count = 0
    for version in old:
        version.original.delete(save=False)
        version.save(update_fields=["original"])
        audit.record(user=None, verb=audit.Verb.DELETE, target=version, programme=programme)
        count += 1
    return count


@transaction.atomic
def retention_save(
    *,
    programme: Programme,
    originals_months: int | None,
    transcripts_months: int | None,
    by: AbstractBaseUser | None,
) -> Retention:
    """Set how long the programme keeps original files (None: for good); starts the daily run."""
    setting, _created = Retention.objects.update_or_create(
        programme=programme,
        defaults={"originals_months": originals_months, "transcripts_months": transcripts_months},
    )
    audit.record(user=by, verb=audit.Verb.CHANGE, target=setting, programme=programme)
    # Imported here: the tasks module imports this one to run the retention.
    from recolte.privacy.tasks import schedule_retention

    transaction.on_commit(schedule_retention)
    return setting
