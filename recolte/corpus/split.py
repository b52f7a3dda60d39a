"""Cut a resource text into the passages a facilitator would code, with exact offsets.

Decisions: blank lines separate blocks; a block whose lines are list items (or a short lead-in
ending with ":" followed by items) stays whole as a "list"; a short single-line block without
final punctuation followed by more text is a "heading" passage of its own (coders skip it, search
can still find it); a paragraph longer than MAX_CHARS is cut at sentence boundaries into pieces of
similar size. Transcripts give one passage per speaker turn ("Name: …"); subtitle cues are grouped
into turns by speaker. Offsets are code points into the text; `text[start:end]` is the passage.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from recolte.collection.ingest.text import paragraph_spans

MAX_CHARS = 1200
HEADING_MAX = 100
CUE_GROUP_CHARS = 600

_ITEM = re.compile(r"^\s*(?:[-•*–▪◦]\s+|\d{1,3}[.)]\s+|[a-z][.)]\s+)")
_SPEAKER = re.compile(r"^([^\W\d_][^\W\d_'’. -]*(?:[ '’.-][^\W\d_]+){0,3})\s?:\s+(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?…»”])\s+(?=[«“\"(\[]?[A-ZÀ-Ý0-9])")


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    kind: str
    speaker: str = ""


def _is_heading(block: str) -> bool:
    return (
        "\n" not in block
        and len(block) <= HEADING_MAX
        and not block.rstrip().endswith((".", ";", ",", "?", "!", "…", "»", ":", ")"))
        and not _ITEM.match(block)
    )


def _list_kind(block: str) -> bool:
    lines = block.split("\n")
    items = [bool(_ITEM.match(line)) for line in lines]
    if all(items):
        return True
    # A lead-in line ("Trois leçons :") followed only by items.
    return len(lines) > 1 and lines[0].rstrip().endswith(":") and all(items[1:])


def rule_sentences(text: str) -> list[int]:
    """Sentence start offsets by punctuation followed by a capital (any Latin language)."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


class SpacySentences:
    """French sentence starts from fr_core_news_md's senter: loaded once, on first use."""

    def __init__(self) -> None:
        self._nlp = None
        self._lock = threading.Lock()

    def __call__(self, text: str) -> list[int]:
        with self._lock:
            if self._nlp is None:
                import spacy

                nlp = spacy.load(
                    "fr_core_news_md",
                    exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "morphologizer"],
                )
                nlp.enable_pipe("senter")
                self._nlp = nlp
        doc = self._nlp(text)
        return [sent[0].idx for sent in doc.sents]


french_sentences = SpacySentences()
Sentencer = Callable[[str], list[int]]


def _cut_long(text: str, start: int, end: int, sentences: Sentencer) -> list[tuple[int, int]]:
    """Pieces of roughly equal size, each ≤ MAX_CHARS unless a single sentence is longer."""
    chunk = text[start:end]
    starts = sorted(set(s for s in sentences(chunk) if 0 <= s < len(chunk)) | {0})
    bounds = [*starts, len(chunk)]
    parts = -(-len(chunk) // MAX_CHARS)
    target = len(chunk) / parts
    pieces: list[tuple[int, int]] = []
    piece_start = 0
    for i in range(1, len(bounds) - 1):
        if bounds[i] - piece_start >= target or bounds[i + 1] - piece_start > MAX_CHARS:
            pieces.append((piece_start, bounds[i]))
            piece_start = bounds[i]
    pieces.append((piece_start, len(chunk)))
    out = []
    for a, b in pieces:
        raw = chunk[a:b]
        b -= len(raw) - len(raw.rstrip())
        if b > a:
            out.append((start + a, start + b))
    return out


def split_text(text: str, sentences: Sentencer = rule_sentences) -> list[Piece]:
    """Paragraph, list and heading passages of a document."""
    blocks = list(paragraph_spans(text))
    pieces: list[Piece] = []
    for i, (start, end) in enumerate(blocks):
        block = text[start:end]
        if _list_kind(block):
            pieces.append(Piece(start, end, "list"))
        elif _is_heading(block) and i + 1 < len(blocks):
            pieces.append(Piece(start, end, "heading"))
        elif end - start > MAX_CHARS:
            cuts = _cut_long(text, start, end, sentences)
            pieces.extend(Piece(a, b, "paragraph") for a, b in cuts)
        else:
            pieces.append(Piece(start, end, "paragraph"))
    return pieces


def split_transcript(text: str) -> list[Piece]:
    """One passage per speaker turn; text before the first speaker is split as a document."""
    turns: list[Piece] = []
    current: tuple[int, str] | None = None
    last_end = 0
    offset = 0
    for line in text.split("\n"):
        match = _SPEAKER.match(line)
        if match and match.group(1)[0].isupper():
            if current:
                turns.append(Piece(current[0], last_end, "turn", current[1]))
            elif offset > 0:
                turns.extend(split_text(text[:offset]))
            current = (offset, match.group(1).strip())
        if line.strip():
            last_end = offset + len(line.rstrip())
        offset += len(line) + 1
    if current is None:
        return split_text(text)
    turns.append(Piece(current[0], last_end, "turn", current[1]))
    return turns


def split_cues(text: str, cues: list[list]) -> list[Piece]:
    """Subtitle cues [start_ms, end_ms, speaker, start, end] grouped into turns."""
    pieces: list[Piece] = []
    group: list[list] = []

    def close() -> None:
        if group:
            speaker = group[0][2] or ""
            kind = "turn" if speaker else "cue"
            pieces.append(Piece(group[0][3], group[-1][4], kind, speaker))

    for cue in cues:
        speaker = cue[2] or ""
        if group and (
            (group[0][2] or "") != speaker
            or speaker == ""
            and cue[4] - group[0][3] > CUE_GROUP_CHARS
        ):
            close()
            group = []
        group.append(cue)
    close()
    return [p for p in pieces if 0 <= p.start < p.end <= len(text)]


def split(
    text: str, *, transcript: bool = False, cues: list[list] | None = None, french: bool = False
) -> list[Piece]:
    """Passages of a version's text: cues first, then speaker turns, else document structure."""
    if cues:
        return split_cues(text, cues)
    if transcript:
        return split_transcript(text)
    return split_text(text, french_sentences if french else rule_sentences)


def prompt_spans(text: str, prompts: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each whole paragraph run of `text` equal to one of `prompts` (the
    questions a response repeats before its answers; an answer quoting one mid-paragraph is
    not a prompt)."""
    spans = []
    for prompt in prompts:
        at = text.find(prompt)
        while at >= 0:
            end = at + len(prompt)
            starts_block = at == 0 or text.startswith("\n\n", at - 2)
            if starts_block and (end == len(text) or text.startswith("\n\n", end)):
                spans.append((at, end))
            at = text.find(prompt, at + 1)
    return spans


def mark_prompts(pieces: list[Piece], spans: list[tuple[int, int]]) -> list[Piece]:
    """`pieces` with those inside a prompt span turned into "prompt" pieces."""
    return [
        Piece(p.start, p.end, "prompt", p.speaker)
        if any(a <= p.start and p.end <= b for a, b in spans)
        else p
        for p in pieces
    ]
