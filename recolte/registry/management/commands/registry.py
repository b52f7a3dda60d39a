"""`manage.py registry import FILE` and `manage.py registry export --programme SLUG`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recolte.access import audit
from recolte.registry.exchange import RegistryImportError, registry_export, registry_import
from recolte.registry.models import Programme


class Command(BaseCommand):
    help = "Import or export a programme registry (JSON, XLSX, or the reference-programme file)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="Import a registry file; all or nothing.")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--format",
            choices=["json", "xlsx", "caac"],
            default=None,
            help="Detected from the content when omitted.",
        )
        dump = actions.add_parser("export", help="Export one programme.")
        dump.add_argument("--programme", required=True, help="Programme slug.")
        dump.add_argument("--format", choices=["json", "xlsx"], default="json")
        dump.add_argument("--out", type=Path, help="Output file (JSON goes to stdout without it).")

    def handle(self, *args, action: str, **options) -> None:
        if action == "import":
            self._import(options["file"], options["format"])
        else:
            self._export(options["programme"], options["format"], options["out"])

    def _import(self, path: Path, fmt: str | None) -> None:
        try:
            report = registry_import(data=path, fmt=fmt)
        except RegistryImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error), returncode=1) from error
        self.stdout.write(f"Imported programme {report.programme.slug}.")
        self.stdout.write(report.summary())

    def _export(self, slug: str, fmt: str, out: Path | None) -> None:
        try:
            content = registry_export(programme=slug, fmt=fmt)
        except Programme.DoesNotExist as error:
            raise CommandError(f"No programme with slug {slug!r}.") from error
        audit.record(
            user=None,
            verb=audit.Verb.EXPORT,
            target=f"registry-{slug}.{fmt}",
            programme=Programme.objects.get(slug=slug),
        )
        if out:
            out.write_bytes(content)
            self.stdout.write(f"Wrote {out} ({len(content)} bytes).")
        elif fmt == "json":
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            raise CommandError("An XLSX export needs --out FILE.")
