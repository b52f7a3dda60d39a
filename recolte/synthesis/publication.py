"""Publishing campaign syntheses and reports as snapshots.

The public portal never reads live analysis. `publish` builds what the public sees from the
evidence a public page may carry (`evidence.withheld`: nothing from facilitators-only resources,
no quote whose speaker refused quotation), attributes quotes by first name at most and only with
consent, stores it in a `Publication` and says what it left out. Later edits and codings change
nothing public until `publish` runs again; `unpublish` deletes the snapshot.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, ngettext

from recolte.collection.models import Campaign

from .assemble import Assembler, attribution, report_of
from .campaigns import campaign_synthesis
from .drafts import source_of
from .evidence import Filters, Item
from .models import CampaignSynthesis, Pseudonymise, Publication, Publishing, Report, ReportFile
from .report import FORMATS, render
from .services import report_file_save

PUBLIC_NAMES = Pseudonymise.FIRST_NAME


def public_attribution(item: Item) -> str:
    if item.quote is not None:
        return attribution(item.quote, PUBLIC_NAMES).label()
    return source_of(item)  # a coded passage that is not a marked quote names its organisations


def synthesis_content(synthesis: CampaignSynthesis) -> tuple[dict, list[tuple[Item, str]]]:
    """What the public page of `synthesis` would show now, and the evidence it withholds."""
    view = campaign_synthesis(synthesis.campaign, public=True)
    content = {
        "title": synthesis.campaign.title,
        "overall": synthesis.text,
        "nodes": [
            {
                "key": node.code.key,
                "name": node.code.name,
                "depth": node.depth,
                "responses": node.responses,
                "organisations": node.organisations,
                "analysis": node.text,  # the facilitator's text; drafts stay inside
                "quotes": [
                    {"text": " ".join(i.text.split()), "attribution": public_attribution(i)}
                    for i in node.quotes
                ],
            }
            for node in view.nodes
        ],
    }
    return content, view.withheld


class NothingToPublish(Exception):
    """The synthesis has no written analysis and no quote: its public page would be empty."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This synthesis has nothing to publish yet: no analysis is written and nothing "
                "is coded in its responses. Write the overall analysis or code the responses, "
                "then publish it."
            )
        )


def has_content(content: dict) -> bool:
    """Whether a synthesis snapshot shows something a reader came for (counts alone do not)."""
    return bool((content["overall"] or "").strip()) or any(
        (node["analysis"] or "").strip() or node["quotes"] for node in content["nodes"]
    )


def _report_files(report: Report) -> tuple[dict, list[tuple[Item, str]], dict[str, bytes]]:
    assembled = Assembler(
        report.programme, Filters.from_dict(report.filters), report.pseudonymise, public=True
    )
    document = report_of(assembled)
    files = {fmt: render(document, fmt) for fmt in report.formats if fmt in FORMATS}
    return {"title": report.title or document.title}, assembled.withheld, files


def left_out(withheld: list[tuple[Item, str]]) -> list[str]:
    """One line per resource and reason, for the publisher."""
    counts = Counter((item.resource_title, reason) for item, reason in withheld)
    return [
        ngettext(
            "%(title)s: %(count)d passage left out (%(reason)s)",
            "%(title)s: %(count)d passages left out (%(reason)s)",
            count,
        )
        % {"title": title, "count": count, "reason": reason}
        for (title, reason), count in sorted(counts.items())
    ]


def _of(obj: CampaignSynthesis | Report) -> dict:
    return {"report": obj} if isinstance(obj, Report) else {"synthesis": obj}


def _discard(publication: Publication) -> None:
    names = [row.file.name for row in publication.files.all() if row.file]
    storage = ReportFile._meta.get_field("file").storage
    publication.delete()
    # Files go only once the row is gone for good (a rolled-back withdrawal keeps them).
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _flag(obj: CampaignSynthesis | Report, published: bool) -> None:
    obj.is_published = published
    obj.published_at = timezone.now() if published else None
    obj.save(update_fields=["is_published", "published_at"])


@transaction.atomic
def publish(obj: CampaignSynthesis | Report, *, by) -> Publication:
    """Snapshot `obj` for the public portal, replacing any earlier snapshot of it; an empty
    synthesis is refused (`NothingToPublish`), the earlier snapshot staying as it was."""
    files: dict[str, bytes] = {}
    if isinstance(obj, Report):
        content, withheld, files = _report_files(obj)
    else:
        content, withheld = synthesis_content(obj)
        if not has_content(content):
            raise NothingToPublish
    earlier = Publication.objects.filter(**_of(obj)).first()
    if earlier:
        _discard(earlier)
    publication = Publication.objects.create(
        **_of(obj), content=content, left_out=left_out(withheld), published_by=by
    )
    stem = slugify(content["title"]) or "publication"
    for fmt, data in files.items():
        report_file_save(report=obj, publication=publication, fmt=fmt, data=data, stem=stem)
    _flag(obj, True)
    return publication


@transaction.atomic
def unpublish(obj: CampaignSynthesis | Report) -> bool:
    """Withdraw `obj` from the portal and delete its snapshot, or cancel a report's queued
    publication; False if it was neither public nor on its way."""
    found = Publication.objects.filter(**_of(obj)).first()
    cancelled = isinstance(obj, Report) and _cancel(obj)
    if found is None and not obj.is_published:
        return cancelled
    if found:
        _discard(found)
    _flag(obj, False)
    return True


# A report's files take seconds to render: publishing one runs in a task ----------------------


PUBLISHING_LATER = gettext_lazy(
    "The public files are being rendered: the report shows on the portal once they are ready."
)


def snapshot_of(report: Report) -> Publication | None:
    """The report's publication once its files are rendered; None while they are on their way
    (or when rendering them failed)."""
    if report.publishing != Publishing.NONE:
        return None
    return Publication.objects.filter(report=report).first()


class _Withdrawn(Exception):
    """The report was withdrawn while its files rendered: nothing is published."""


def report_publish_queue(report: Report) -> bool:
    """Mark `report` as waiting for its publication; False if it already waits (one task is
    enough). `tasks.report_publish_start` queues the task."""
    waiting = (Publishing.QUEUED, Publishing.RUNNING)
    marked = (
        Report.objects.filter(pk=report.pk)
        .exclude(publishing__in=waiting)
        .update(publishing=Publishing.QUEUED, publishing_error="")
    )
    report.refresh_from_db(fields=["publishing", "publishing_error"])
    return bool(marked)


def report_publish_run(*, report_id: int, by_id: int | None) -> Publication | None:
    """What the publication task does: snapshot the queued report. None when it was withdrawn
    (or taken by another worker) before it ran or while its files rendered."""
    taken = Report.objects.filter(pk=report_id, publishing=Publishing.QUEUED)
    if not taken.update(publishing=Publishing.RUNNING):
        return None
    report = Report.objects.select_related("programme").get(pk=report_id)
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    try:
        with transaction.atomic():
            made = publish(report, by=by)
            running = Report.objects.filter(pk=report_id, publishing=Publishing.RUNNING)
            if not running.update(publishing=Publishing.NONE):
                # unpublish cleared the mark: its withdrawal wins
                raise _Withdrawn([row.file.name for row in made.files.all()])
    except _Withdrawn as withdrawn:
        storage = ReportFile._meta.get_field("file").storage
        for name in withdrawn.args[0]:  # written for a snapshot that was rolled back
            storage.delete(name)
        return None
    except Exception as error:
        Report.objects.filter(pk=report_id).update(
            publishing=Publishing.FAILED, publishing_error=f"{type(error).__name__}: {error}"
        )
        raise
    return made


def _cancel(report: Report) -> bool:
    """Clear the report's publication mark; whether a publication was on its way."""
    waiting = (Publishing.QUEUED, Publishing.RUNNING)
    cancelled = Report.objects.filter(pk=report.pk, publishing__in=waiting).update(
        publishing=Publishing.NONE
    )
    Report.objects.filter(pk=report.pk).update(publishing=Publishing.NONE, publishing_error="")
    report.publishing, report.publishing_error = Publishing.NONE, ""
    return bool(cancelled)


def synthesis_of(campaign: Campaign) -> CampaignSynthesis:
    """The campaign's synthesis row, made empty on first use (publishing it needs a text)."""
    return CampaignSynthesis.objects.get_or_create(campaign=campaign)[0]


def changed_since_publication(synthesis: CampaignSynthesis) -> bool:
    """Would publishing again change the public page (edits, new or withdrawn evidence)?"""
    found = Publication.objects.filter(synthesis=synthesis).first()
    return found is not None and synthesis_content(synthesis)[0] != found.content
