"""Text normalisation, encoding detection and a cheap language hint."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import chardet

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# C0/C1 controls other than tab and newline carry no text and break later tokenisers.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f\ufeff]")
_TRAILING = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_BLANKS = re.compile(r"\n{3,}")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def normalise(text: str) -> str:
    """NFC, LF endings, no BOM/controls, no trailing spaces, one blank line between paragraphs."""
    text = _NEWLINES.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", text)
    return _BLANKS.sub("\n\n", text).strip("\n")


def join_blocks(blocks: list[str]) -> str:
    """Paragraphs (already normalised or not) separated by exactly one blank line."""
    return normalise("\n\n".join(b for b in blocks if b and not b.isspace()))


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each blank-line-separated paragraph, surrounding whitespace excluded:
    offsets into `text`, so the corpus can cut passages that point back into it."""
    cursor = 0
    for gap in [*_BLANK_LINES.finditer(text), None]:
        start, end = cursor, gap.start() if gap else len(text)
        cursor = gap.end() if gap else len(text)
        chunk = text[start:end]
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        if end > start:
            yield start, end


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blank-line-separated blocks), blank ones left out."""
    return [text[start:end] for start, end in paragraph_spans(text)]


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters cp1252 gives to bytes that French cp1252 text practically never contains:
# seeing them means another legacy code page (MacRoman, DOS cp437/cp850) is likelier.
_UNLIKELY_CP1252 = set("‚ƒ„†‡ˆ‰Š‹ŽŸš›ž˜¤¦¨¯´¸¹¾")
_CHARDET_NAMES = {"macroman": "mac_roman", "windows-1252": "cp1252", "iso-8859-1": "cp1252"}


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit on one parity only, as ASCII-heavy UTF-16 does."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        guess = "utf-16-le"
    elif even > 0.3 and odd < 0.05:
        guess = "utf-16-be"
    else:
        return None
    # Binary data can share the NUL pattern; real text decodes to printable characters.
    chars = sample[: half * 2].decode(guess, errors="replace")
    printable = sum(c.isprintable() or c in "\t\r\n" for c in chars)
    return guess if printable >= 0.95 * len(chars) else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes in a strict order: BOM → UTF-8 → UTF-16 (NUL heuristic) → cp1252.

    chardet only breaks ties when cp1252 fails or yields characters French text does not
    use; charset-normalizer is avoided because it mislabels French cp1252 as cp1250.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        text = data.decode("utf-8")
        # NULs are valid UTF-8 but mean UTF-16 without a BOM in practice.
        if "\x00" not in text:
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    wide = utf16_without_bom(data)
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1252")
        if not _UNLIKELY_CP1252.intersection(text):
            return text, "cp1252"
    except UnicodeDecodeError:
        text = None
    guess = (chardet.detect(data[:65536]).get("encoding") or "").lower()
    guess = _CHARDET_NAMES.get(guess, guess)
    if guess and guess not in ("cp1252", "ascii", "utf-8"):
        try:
            return data.decode(guess), guess
        except (LookupError, UnicodeDecodeError):
            pass
    if text is not None:
        return text, "cp1252"
    return data.decode("cp1252", errors="replace"), "cp1252"


_STOPWORDS = {
    "fr": "le les des du et est une pour dans qui sur avec pas par au aux ce cette sont nous "
    "vous ont été il elle ils mais leur leurs entre",
    "en": "the and of to is that for with on are was this it be by as have from not which "
    "they were has their",
    "es": "el los las y en del por con para es se una al como su sus pero está fue también",
    "pt": "os as em um uma com não da dos das na ao pelo pela foi também são mas",
}
_WORD = re.compile(r"[^\W\d_]+")


def _distinct_sets() -> dict[str, frozenset[str]]:
    sets = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
    return {
        lang: frozenset(words - set().union(*(s for o, s in sets.items() if o != lang)))
        for lang, words in sets.items()
    }


_DISTINCT = _distinct_sets()


def language_hint(text: str) -> str | None:
    """ISO 639-1 code when function words clearly point at fr/en/es/pt, else None."""
    counts = Counter(_WORD.findall(text[:20000].lower()))
    scores = {lang: sum(counts[w] for w in stop) for lang, stop in _DISTINCT.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= 5 and top >= 2 * second else None


def first_line(text: str, limit: int = 200) -> str:
    """A fallback title: the first non-empty line, shortened at a word boundary."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#-* ").strip()
        if line:
            return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
    return ""
