"""Bulk import of files and folders into the library (the `import` command).

`files_import` walks files and folders and stores each file through `resource_store_extracted`,
carrying on past bad files; e-mail files go through `inbox.mail_import`, message by message.
"""

import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from recolte.collection.ingest import MAX_BYTES, Extracted, IngestError, extract
from recolte.collection.models import ResourceVersion
from recolte.collection.services.inbox import mail_import
from recolte.collection.services.resources import (
    Outcome,
    ResourceMeta,
    find_duplicate,
    resource_store_extracted,
)
from recolte.registry.models import Programme

logger = logging.getLogger(__name__)
MAIL_SUFFIXES = (".eml", ".mbox")
Progress = Callable[[int, int], None]


@dataclass
class FileImportReport:
    """What an import of files and folders stored, skipped or refused, file by file."""

    imported: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # e-mails waiting for review
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    files: int = 0
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        if outcome.status in ("failed", "skipped"):
            getattr(self, outcome.status).append((outcome.label, outcome.reason))
        else:
            getattr(self, {"duplicate": "duplicates"}.get(outcome.status, outcome.status)).append(
                outcome.label
            )

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "seconds": round(self.seconds, 2),
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "held_for_review": len(self.held),
            "failed": [{"file": name, "reason": reason} for name, reason in self.failed],
            "skipped": [{"file": name, "reason": reason} for name, reason in self.skipped],
        }


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Outcome]]:
    """Files under `paths` in a stable order (hidden files skipped), and the paths refused:
    missing ones, and links inside a folder that lead out of it (a folder shared for import
    must not hand over the rest of the disk)."""
    files: list[Path] = []
    refused: list[Outcome] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            root = path.resolve()
            for folder, dirs, names in os.walk(path):  # never descends into linked folders
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(n for n in names if not n.startswith(".")):
                    found = Path(folder, name)
                    if found.is_symlink() and not found.resolve().is_relative_to(root):
                        outside = _("A symbolic link to a file outside the imported folder.")
                        refused.append(Outcome(str(found), "skipped", outside))
                    else:
                        files.append(found)
        else:
            refused.append(Outcome(str(raw), "failed", _("No such file or folder.")))
    return files, refused


@dataclass
class Prepared:
    """A file read and extracted, ready to store (the part that may run in a worker process)."""

    path: Path
    data: bytes = b""
    sha256: str = ""
    extracted: Extracted | None = None
    failure: str = ""
    known: bool = False  # already in the programme: not extracted again

    @property
    def is_mail(self) -> bool:
        return self.path.suffix.lower() in MAIL_SUFFIXES


def prepare(
    path: Path, max_bytes: int = MAX_BYTES, known: frozenset[str] = frozenset()
) -> Prepared:
    """Read and extract one file; never raises for bad input and touches no database."""
    try:
        size = path.stat().st_size
        if size > max_bytes:  # refuse before reading it into memory
            return Prepared(path, failure=_too_large(size, max_bytes))
        data = path.read_bytes()
    except OSError as error:
        return Prepared(path, failure=error.strerror or str(error))
    prepared = Prepared(path, data, hashlib.sha256(data).hexdigest())
    if prepared.is_mail:
        return prepared  # split into messages when stored
    if prepared.sha256 in known:
        prepared.known = True
        return prepared
    try:
        prepared.extracted = extract(data, path.name, max_bytes=max_bytes)
    except IngestError as error:
        prepared.failure = error.message
    return prepared


_worker_args: tuple[int, frozenset[str]] = (MAX_BYTES, frozenset())


def _init_worker(max_bytes: int, known: frozenset[str]) -> None:
    global _worker_args
    _worker_args = (max_bytes, known)


def _prepare_in_worker(path: Path) -> Prepared:
    return prepare(path, *_worker_args)


def files_import(
    paths: Iterable[str | Path],
    *,
    programme: Programme,
    meta: ResourceMeta,
    by: AbstractBaseUser | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    workers: int = 1,
) -> FileImportReport:
    """Import every file under `paths`; with `workers` > 1, extraction runs in that many
    processes while this one alone writes to the database, in the files' order."""
    started = time.perf_counter()
    files, refused = collect_files(paths)
    report = FileImportReport(files=len(files))
    for outcome in refused:
        report.add(outcome)
    known = frozenset(
        ResourceVersion.objects.filter(resource__programme=programme)
        .exclude(original_sha256="")
        .values_list("original_sha256", flat=True)
    )
    with _prepared_stream(files, max_bytes, known, workers) as stream:
        for done, prepared in enumerate(stream, start=1):
            for outcome in store(
                prepared, programme=programme, meta=meta, by=by, max_bytes=max_bytes
            ):
                report.add(outcome)
            if progress:
                progress(done, len(files))
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _prepared_stream(files: list[Path], max_bytes: int, known: frozenset[str], workers: int):
    if workers <= 1 or len(files) < 2:
        yield (prepare(path, max_bytes, known) for path in files)
        return
    # fork: workers inherit the loaded settings and only parse files, never touch the database.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(max_bytes, known)) as pool:
        yield pool.imap(_prepare_in_worker, files, chunksize=2)


def store(
    prepared: Prepared, *, programme: Programme, meta: ResourceMeta, by=None, max_bytes=MAX_BYTES
) -> list[Outcome]:
    """Store one prepared file (or each message of a mail file); never raises."""
    label = str(prepared.path)
    if prepared.failure:
        return [Outcome(label, "failed", prepared.failure)]
    try:
        if prepared.is_mail:
            return mail_import(
                prepared.data,
                prepared.path.name,
                programme=programme,
                meta=meta,
                by=by,
                max_bytes=max_bytes,
                label=label,
            )
        if prepared.known:  # seen before the run: never extracted
            duplicate = find_duplicate(programme=programme, original_sha256=prepared.sha256)
            return [Outcome(label, "duplicate", resource=duplicate)]
        added = resource_store_extracted(
            programme=programme,
            data=prepared.data,
            filename=prepared.path.name,
            extracted=prepared.extracted,
            meta=meta,
            by=by,
        )
        added.label = label
        return [added]
    except Exception as error:  # a bug or a database error on one file must not stop the run
        logger.exception("import: %s failed", label)
        return [Outcome(label, "failed", f"{type(error).__name__}: {error}")]


def _too_large(size: int, limit: int) -> str:
    return _("The file is %(size).1f MB; the limit is %(limit).1f MB.") % {
        "size": size / 2**20,
        "limit": limit / 2**20,
    }
