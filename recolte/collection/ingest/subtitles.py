"""SRT and WebVTT: one cue per paragraph, with timings, speakers and exact text offsets."""

from __future__ import annotations

import html
import re

from .errors import corrupt
from .model import Cue, Extracted
from .text import decode, normalise

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # HTML-like tags and ASS overrides such as {\an8}
# "Awa: …" or "Dr Traoré : …": a short capitalised name, no digits, then a colon.
_SPEAKER = re.compile(r"^([^\W\d_][^\W\d_'’. -]*(?:[ '’.-][^\W\d_]+){0,3})\s?:\s+(?=\S)")


def _ms(groups: tuple[str | None, ...]) -> int:
    hours, minutes, seconds, millis = groups
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(
        millis.ljust(3, "0")
    )


def _cue_text(lines: list[str], vtt: bool) -> tuple[str, str | None]:
    raw = " ".join(line.strip() for line in lines if line.strip())
    voice = _VOICE.search(raw) if vtt else None
    text = _TAG.sub("", raw)
    text = normalise(" ".join((html.unescape(text) if vtt else text).split()))
    if not text:
        return "", None
    if voice:
        speaker = " ".join(voice.group(1).split())
        if not text.startswith(speaker + ":"):
            text = f"{speaker}: {text}"
        return text, speaker
    match = _SPEAKER.match(text)
    return text, match.group(1) if match and match.group(1)[0].isupper() else None


def read_subtitles(data: bytes, fmt: str) -> Extracted:
    decoded, encoding = decode(data)
    pieces: list[str] = []
    cues: list[Cue] = []
    offset = 0
    for block in re.split(r"\n[ \t]*\n", normalise(decoded)):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines[:3]) if "-->" in line), None)
        match = _TIMING.match(lines[timing]) if timing is not None else None
        if not match:  # WEBVTT header, NOTE, STYLE and REGION blocks, or stray text
            continue
        text, speaker = _cue_text(lines[timing + 1 :], fmt == "vtt")
        if not text:
            continue
        if pieces:
            offset += 2  # the blank line between cues
        cues.append(
            Cue(
                _ms(match.groups()[:4]),
                _ms(match.groups()[4:]),
                speaker,
                offset,
                offset + len(text),
            )
        )
        pieces.append(text)
        offset += len(text)
    if not cues:
        raise corrupt(fmt, "no timed cue found")
    return Extracted(text="\n\n".join(pieces), format=fmt, sha256="", cues=cues, encoding=encoding)
