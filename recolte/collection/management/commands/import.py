"""`recolte import PATH…`: store files and folders in a programme's resource library."""

import json
import os
import sys
import time
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from recolte.collection.models import Campaign, Confidentiality, Instrument
from recolte.collection.services import FileImportReport, ResourceMeta, files_import
from recolte.registry.models import Organisation, Programme


class ProgressBar:
    """`[#####.....] 512/1000  37.2 files/s  ETA 13s` on stderr.

    Redrawn in place on a terminal; in a log (not a TTY) one line every `every` seconds.
    """

    def __init__(self, stream: TextIO, width: int = 30, every: float = 5.0) -> None:
        self.stream = stream
        self.width = width
        self.every = every
        self.tty = stream.isatty()
        self.started = time.perf_counter()
        self.last = float("-inf")  # the first call always prints

    def line(self, done: int, total: int) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = done / elapsed
        filled = self.width * done // total if total else self.width
        eta = f"ETA {(total - done) / rate:.0f}s" if rate and done < total else f"{elapsed:.1f}s"
        bar = "#" * filled + "." * (self.width - filled)
        return f"[{bar}] {done}/{total}  {rate:.1f} files/s  {eta}"

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        finished = done >= total
        if not finished and now - self.last < (0.1 if self.tty else self.every):
            return
        self.last = now
        if self.tty:
            self.stream.write("\r" + self.line(done, total) + ("\n" if finished else ""))
        else:
            self.stream.write(self.line(done, total) + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import files and folders (recursively) into a programme's resource library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--programme", help="programme slug (default: the only programme)")
        parser.add_argument("--campaign", help="campaign id or exact title")
        parser.add_argument(
            "--org", action="append", default=[], help="organisation acronym or name (repeatable)"
        )
        parser.add_argument("--instrument", choices=Instrument.values)
        parser.add_argument(
            "--confidentiality",
            choices=Confidentiality.values,
            default=Confidentiality.PROGRAMME,
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes that extract text in parallel (default: up to 2)",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options) -> None:
        programme = self._programme(options["programme"])
        campaign = self._campaign(programme, options["campaign"])
        meta = ResourceMeta(
            campaign_id=campaign.pk if campaign else None,
            instrument=options["instrument"] or (campaign.instrument if campaign else ""),
            organisations=[self._organisation(programme, name) for name in options["org"]],
            confidentiality=options["confidentiality"],
        )
        # The raw stream (not self.stderr, which ends every write with a newline).
        bar = ProgressBar(options.get("stderr") or sys.stderr)
        report = files_import(
            options["paths"],
            programme=programme,
            meta=meta,
            progress=bar,
            workers=options["workers"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report)

    def _print(self, report: FileImportReport) -> None:
        rate = report.files / report.seconds if report.seconds else 0.0
        self.stdout.write(f"Files: {report.files} in {report.seconds:.1f} s ({rate:.1f} files/s)")
        self.stdout.write(f"Imported: {len(report.imported)}")
        self.stdout.write(f"Duplicates skipped: {len(report.duplicates)}")
        if report.held:
            self.stdout.write(f"E-mails held for review (sender not matched): {len(report.held)}")
        self.stdout.write(f"Failed: {len(report.failed)}")
        for name, reason in report.failed:
            self.stdout.write(f"  {name}: {reason}")
        if report.skipped:
            self.stdout.write(f"Skipped: {len(report.skipped)}")
            for name, reason in report.skipped:
                self.stdout.write(f"  {name}: {reason}")

    def _programme(self, slug: str | None) -> Programme:
        if slug:
            try:
                return Programme.objects.get(slug=slug)
            except Programme.DoesNotExist:
                raise CommandError(f"No programme with slug {slug!r}.") from None
        programmes = list(Programme.objects.all()[:2])
        if len(programmes) != 1:
            raise CommandError("Say which programme with --programme SLUG.")
        return programmes[0]

    def _campaign(self, programme: Programme, value: str | None) -> Campaign | None:
        if not value:
            return None
        found = programme.campaigns.filter(
            Q(pk=int(value)) if value.isdigit() else Q(title__iexact=value)
        ).first()
        if not found:
            raise CommandError(f"No campaign {value!r} in {programme.slug}.")
        return found

    def _organisation(self, programme: Programme, name: str) -> Organisation:
        found = list(
            programme.organisations.filter(Q(acronym__iexact=name) | Q(name__iexact=name))[:2]
        )
        if len(found) != 1:
            raise CommandError(f"No single organisation {name!r} in {programme.slug}.")
        return found[0]
