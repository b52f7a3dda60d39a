"""`recolte report --programme P [filters] --format docx|pdf|html|md --out FILE`."""

import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recolte.access import audit
from recolte.collection.models import Instrument
from recolte.registry.models import Programme
from recolte.synthesis.assemble import build_report
from recolte.synthesis.evidence import Filters
from recolte.synthesis.models import Pseudonymise
from recolte.synthesis.report import FORMATS, render


class Command(BaseCommand):
    help = "Generate the cross-cutting analysis of a programme from its coded corpus."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help="Programme slug.")
        parser.add_argument("--axis", default="", help="Top-level code key or axis number.")
        parser.add_argument("--instrument", default="", choices=["", *Instrument.values])
        parser.add_argument("--pilot", default="", help="Pilot operation code.")
        parser.add_argument("--from", dest="year_from", type=int, help="First year.")
        parser.add_argument("--to", dest="year_to", type=int, help="Last year.")
        parser.add_argument(
            "--pseudonymise",
            choices=Pseudonymise.values,
            default=Pseudonymise.FIRST_NAME,
            help="Names in quotes.",
        )
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--out", type=Path, required=True, help="Output file.")
        parser.add_argument(
            "--no-vectors",
            action="store_true",
            help="Rank passages by TF-IDF even when embeddings exist.",
        )

    def handle(self, *args, **o) -> None:
        programme = Programme.objects.filter(slug=o["programme"]).first()
        if programme is None:
            raise CommandError(f"No programme with slug {o['programme']!r}.")
        pilot = None
        if o["pilot"]:
            pilot = programme.pilot_operations.filter(code=o["pilot"]).first()
            if pilot is None:
                raise CommandError(
                    f"No pilot operation with code {o['pilot']!r} in this programme."
                )
        filters = Filters(
            axis=o["axis"],
            instrument=o["instrument"],
            pilot=pilot.pk if pilot else None,
            year_from=o["year_from"],
            year_to=o["year_to"],
        )
        started = time.perf_counter()
        document = build_report(
            programme, filters, o["pseudonymise"], use_vectors=not o["no_vectors"]
        )
        assembled = time.perf_counter()
        data = render(document, o["format"])
        o["out"].write_bytes(data)
        audit.record(user=None, verb=audit.Verb.EXPORT, target=str(o["out"]), programme=programme)
        done = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(
            f"Wrote {o['out']} ({len(data) // 1024} KB): assembled in {assembled - started:.2f} s, "
            f"rendered in {done - assembled:.2f} s, peak memory {peak} MB."
        )
