"""Synthesis verbs: save analysis texts without lost updates, create reports and write their
files (publishing is in `publication.py`)."""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from recolte.coding.models import Code
from recolte.collection.models import Campaign
from recolte.registry.models import Programme

from .assemble import build_report
from .evidence import Filters
from .models import (
    CampaignSynthesis,
    NodeText,
    NodeTextRevision,
    Pseudonymise,
    Publication,
    Report,
    ReportFile,
)
from .report import FORMATS, render

DEFAULT_FORMAT = "docx"  # when the export form is sent with no format ticked


class StaleEdit(Exception):  # noqa: N818 — an outcome the views show, not a programming error
    """Somebody saved since the editor loaded the text: nothing was written."""

    def __init__(self, current_text: str, current_version: int, mine: str) -> None:
        super().__init__("stale edit")
        self.current_text, self.current_version, self.mine = current_text, current_version, mine


@transaction.atomic
def save_node_text(*, code: Code, text: str, base_version: int, user) -> NodeText:
    """Store `text` as the next version if `base_version` is still the current one.

    The row is locked while checking, so two concurrent saves from the same version cannot both
    pass; the second gets `StaleEdit` with the text it would have overwritten.
    """
    node, _ = NodeText.objects.get_or_create(code=code, defaults={"programme": code.programme})
    node = NodeText.objects.select_for_update().get(pk=node.pk)
    text = text.replace("\r\n", "\n").strip()
    if node.version != base_version:
        raise StaleEdit(node.text, node.version, text)
    if text == node.text:
        return node
    node.text, node.version, node.updated_by = text, node.version + 1, user
    node.save()
    NodeTextRevision.objects.create(node_text=node, version=node.version, text=text, author=user)
    return node


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, line) pairs of a line diff: kind is "+", "-" or " "."""
    out = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:1] in "+- ":
            out.append((line[:1], line[2:]))
    return out


def history(node: NodeText) -> list[tuple[NodeTextRevision, list[tuple[str, str]]]]:
    """Revisions newest first, each with its diff against the one before."""
    revisions = list(node.revisions.select_related("author"))
    return [
        (rev, diff_lines(revisions[i + 1].text if i + 1 < len(revisions) else "", rev.text))
        for i, rev in enumerate(revisions)
    ]


@transaction.atomic
def save_campaign_text(
    *, campaign: Campaign, key: str, text: str, base_version: int, user
) -> CampaignSynthesis:
    """Store one node's text ("" for the overall text) of a campaign synthesis, with locking."""
    synthesis, _ = CampaignSynthesis.objects.get_or_create(campaign=campaign)
    synthesis = CampaignSynthesis.objects.select_for_update().get(pk=synthesis.pk)
    current = synthesis.node_texts.get(key, "") if key else synthesis.text
    text = text.replace("\r\n", "\n").strip()
    if synthesis.version != base_version:
        raise StaleEdit(current, synthesis.version, text)
    if key:
        synthesis.node_texts = {**synthesis.node_texts, key: text}
    else:
        synthesis.text = text
    synthesis.version += 1
    synthesis.updated_by = user
    synthesis.save()
    return synthesis


def report_create(
    *, programme: Programme, formats: list[str], filters: Filters, pseudonymise: str, by
) -> Report:
    """A queued report of the known `formats` (DOCX if none), names as asked (first names if
    the mode is unknown); `tasks.report_start` renders it."""
    return Report.objects.create(
        programme=programme,
        filters=filters.as_dict(),
        formats=[f for f in formats if f in FORMATS] or [DEFAULT_FORMAT],
        created_by=by,
        pseudonymise=pseudonymise
        if pseudonymise in Pseudonymise.values
        else Pseudonymise.FIRST_NAME,
    )


def report_file_save(
    *, report: Report, fmt: str, data: bytes, stem: str, publication: Publication | None = None
) -> ReportFile:
    """Store one rendered file of `report` (of its publication snapshot if given), replacing the
    file of that format it had."""
    for old in ReportFile.objects.filter(report=report, publication=publication, format=fmt):
        old.file.delete(save=False)
        old.delete()
    row = ReportFile(report=report, publication=publication, format=fmt, size=len(data))
    row.file.save(FORMATS[fmt].file_name(stem), ContentFile(data), save=False)
    row.save()
    return row


@dataclass
class Generated:
    report: Report
    seconds: dict[str, float]


def generate(report: Report, on_progress: Callable[[int], None] | None = None) -> Generated:
    """Assemble the report once and write every requested format, replacing earlier files."""
    report.status, report.progress = Report.Status.RUNNING, 0
    report.save(update_fields=["status", "progress"])
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    try:
        document = build_report(
            report.programme, Filters.from_dict(report.filters), report.pseudonymise
        )
        report.title = report.title or document.title
        steps = len(report.formats) + 1
        _progress(report, 100 // steps, on_progress)
        stem = slugify(f"{report.programme.slug}-analyse-transversale-{report.pk}")
        for n, fmt in enumerate(report.formats, 2):
            t = time.perf_counter()
            report_file_save(report=report, fmt=fmt, data=render(document, fmt), stem=stem)
            seconds[fmt] = round(time.perf_counter() - t, 2)
            _progress(report, 100 * n // steps, on_progress)
    except Exception as error:
        report.status, report.error = Report.Status.FAILED, f"{type(error).__name__}: {error}"
        report.save()
        raise
    report.status, report.progress = Report.Status.DONE, 100
    report.seconds = round(time.perf_counter() - started, 2)
    report.finished = timezone.now()
    report.save()
    return Generated(report, seconds)


def _progress(report: Report, percent: int, on_progress: Callable[[int], None] | None) -> None:
    report.progress = percent
    Report.objects.filter(pk=report.pk).update(progress=percent)
    if on_progress:
        on_progress(percent)
