"""`recolte corpus import-labelled --codebook FILE --passages FILE [--programme SLUG]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recolte.registry.exchange import RegistryImportError, registry_import
from recolte.synthesis.labelled import import_labelled


class Command(BaseCommand):
    help = "Corpus tools: load labelled passages as coded resources."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser(
            "import-labelled",
            help="Load labelled passages (JSON lines) as coded resources; idempotent.",
        )
        load.add_argument("--codebook", type=Path, required=True, help="Codebook JSON file.")
        load.add_argument("--passages", type=Path, required=True, help="Passages JSON lines.")
        load.add_argument(
            "--programme",
            default="caac",
            help="Programme slug (created if missing). Default: caac.",
        )
        load.add_argument(
            "--registry",
            type=Path,
            help="Registry file imported first (e.g. the reference program.json).",
        )

    def handle(self, *args, action: str, **options) -> None:
        for name in ("codebook", "passages", "registry"):
            if options[name] is not None and not options[name].is_file():
                raise CommandError(f"No such file: {options[name]}")
        if options["registry"]:
            try:
                registry_import(data=options["registry"], fmt=None)
            except RegistryImportError as error:
                raise CommandError(str(error)) from error
        report = import_labelled(
            codebook_path=options["codebook"],
            passages_path=options["passages"],
            slug=options["programme"],
        )
        self.stdout.write(f"Programme {report.programme.slug}: {report.summary()}")
        self.stdout.write(
            "Corpus processing is queued for the task worker (or run `recolte process` now)."
        )
