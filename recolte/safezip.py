"""Open ZIP-based documents (DOCX, ODT, XLSX) without trusting what their headers declare.

`zipfile` inflates a member's whole compressed stream before truncating it to the declared
size, so a member that declares 4 KiB can still allocate gigabytes. `inflate()` streams each
member in small reads with a hard cap on the bytes produced, and hands parsers a copy of the
archive holding only what was inflated under that cap. It sits outside the apps because both
the registry's workbook import and the collection's document readers use it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
_CHUNK = 64 * 1024  # each read inflates at most this much more than it returns


@dataclass(frozen=True)
class Limits:
    """Budgets measured on the extraction itself (bench/bench_hostile_files.py): a DOCX's
    lxml tree costs about 15× its XML (24 MB of XML took 360 MB at peak), so 18 MB of XML
    keeps a file under ~300 MB."""

    members: int = 5000
    total: int = 18 * MB  # bytes inflated across the parts a parser reads
    member: int = 18 * MB
    ratio: int = 100  # inflated / compressed, checked on members above `ratio_floor`
    ratio_floor: int = 5 * MB


DEFAULT = Limits()


class ZipRefused(Exception):
    """An archive refused before any parser saw it; `code` is "zip_bomb", "encrypted" or
    "corrupt", `message` is for people (lazy, with %(name)s placeholders filled by `params`)."""

    def __init__(self, code: str, message: Any, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.template = message
        self.params = params

    @property
    def message(self) -> str:
        return str(self.template) % self.params if self.params else str(self.template)


def too_big(limit: int) -> ZipRefused:
    return ZipRefused(
        "zip_bomb",
        _(
            "This document would expand to more than %(limit)s MB when opened, or is "
            "compressed suspiciously; it was refused for safety."
        ),
        limit=limit // MB,
    )


def is_markup(name: str) -> bool:
    return name == "mimetype" or name.endswith((".xml", ".rels"))


def inflate(
    data: bytes, *, keep: Callable[[str], bool] = is_markup, limits: Limits = DEFAULT
) -> bytes:
    """A stored (uncompressed) copy of the archive `data`, each member inflated under `limits`.

    Members for which `keep(name)` is false (images, embedded objects) are copied empty,
    never inflated: text extraction does not need them, and parsers still find the part.
    """
    try:
        return _inflate(data, keep, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        damaged = _("The archive is damaged (%(detail)s).")
        raise ZipRefused("corrupt", damaged, detail=str(exc)[:200]) from exc


def _inflate(data: bytes, keep: Callable[[str], bool], limits: Limits) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target,
    ):
        infos = source.infolist()
        if len(infos) > limits.members:
            raise too_big(limits.total)
        if any(info.flag_bits & 0x1 for info in infos):
            raise ZipRefused("encrypted", _("The archive is encrypted."))
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if not keep(info.filename):
                target.writestr(info.filename, b"")
                continue
            member = read_capped(source, info, min(limits.member, limits.total - total))
            if member is None:
                raise too_big(limits.total)
            total += len(member)
            if len(member) > limits.ratio_floor and len(member) > limits.ratio * max(
                info.compress_size, 1
            ):
                raise too_big(limits.total)
            target.writestr(info.filename, member)
    return out.getvalue()


def read_capped(source: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The member's bytes, or None as soon as it inflates past `cap`."""
    # Only deflate inflates in bounded steps; bzip2 and lzma inflate whole blocks at once.
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ZipRefused("corrupt", _("The archive uses an unsupported compression."))
    parts = []
    produced = 0
    with source.open(info) as stream:
        while chunk := stream.read(min(_CHUNK, cap + 1)):
            produced += len(chunk)
            if produced > cap:
                return None
            parts.append(chunk)
    return b"".join(parts)
