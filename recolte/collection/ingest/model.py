"""What extraction returns: plain data, no Django models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Cue(NamedTuple):
    """A timed subtitle cue; offsets are code-point offsets into `Extracted.text`."""

    start_ms: int
    end_ms: int
    speaker: str | None
    start_offset: int
    end_offset: int


class Attachment(NamedTuple):
    filename: str
    data: bytes


@dataclass
class Note:
    """A reviewer comment with the passage it is anchored to."""

    text: str
    anchor: str
    author: str = ""


@dataclass
class Message:
    """One e-mail as its own sub-document; offsets locate it in `Extracted.text`."""

    sender: str
    to: str
    subject: str
    date: str | None  # ISO 8601 when the Date header parses, else None
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    start_offset: int = 0
    end_offset: int = 0


@dataclass
class Extracted:
    text: str
    format: str
    sha256: str
    title: str = ""
    language_hint: str | None = None
    encoding: str | None = None
    needs_transcript: bool = False
    notes: list[Note] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
