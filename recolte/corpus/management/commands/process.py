"""`recolte process [--all|--resource ID] [--programme SLUG]`: run the corpus pipeline now."""

import time

from django.core.management.base import BaseCommand, CommandError

from recolte.corpus.models import ProcessingRun
from recolte.corpus.runs import current_versions, execute, start_run, takeover, unprocessed
from recolte.registry.models import Programme


def bar(run: ProcessingRun, width: int = 30) -> str:
    filled = round(width * run.done / run.total) if run.total else width
    eta = f"{run.eta_seconds:.0f}s" if run.eta_seconds is not None else "—"
    return (
        f"\r[{'#' * filled}{'.' * (width - filled)}] {run.done}/{run.total} "
        f"{run.rate:.1f}/s ETA {eta} passages {run.passages} errors {len(run.errors)}"
    )


class Command(BaseCommand):
    help = "Split, link, embed and index resource versions (resumes an interrupted run)."

    def show(self, run: ProcessingRun) -> None:
        self.stderr.write(bar(run), ending="")
        self.stderr.flush()

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="every resource, even if done")
        which.add_argument("--resource", type=int, action="append", help="a resource id")
        parser.add_argument("--programme", help="programme slug")

    def handle(self, *args, **options):
        programme = None
        if options["programme"]:
            programme = Programme.objects.filter(slug=options["programme"]).first()
            if programme is None:
                raise CommandError(f"no programme {options['programme']!r}")
        label = "process " + " ".join(
            f"{k}={options[k]}" for k in ("all", "resource", "programme") if options[k]
        )
        plain = not options["all"] and not options["resource"]
        # Plain `process` also resumes the runs others left: a killed worker's, a killed --all.
        resumed = takeover(programme=programme, label=None if plain else label)
        for run in resumed:
            self.stderr.write(f"resuming run {run.pk}: {run.done}/{run.total} done")
            self.work(run)
        if plain or not resumed:
            versions = current_versions(programme=programme, resource_ids=options["resource"])
            if plain:
                versions = unprocessed(versions)
            self.work(start_run(versions, programme=programme, label=label))

    def work(self, run: ProcessingRun) -> None:
        started = time.monotonic()
        execute(run, on_progress=self.show)
        self.stderr.write(bar(run))
        for error in run.errors:
            self.stderr.write(f"version {error['version']}: {error['error']}")
        self.stdout.write(
            f"{run.done} versions, {run.passages} passages in "
            f"{time.monotonic() - started:.1f}s, {len(run.errors)} errors"
        )
