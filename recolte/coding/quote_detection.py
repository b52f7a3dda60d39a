"""Find attributed quotations in text: « … » followed by who said it, in parentheses.

The forms a capitalisation report uses, all read here: (Person, ORG, Country), (Person, ORG),
(ORG), (Person, ORG Country), (Opération pilote – ORG), joint organisations (ORG1 et ORG2,
ORG1/ORG2), an organisation written in two parts (INDECOSA, CGT for INDECOSA-CGT), a source
after the organisation (ORG Carnet de route), a person by first name or full name, and a
quotation whose opening guillemet is in an earlier paragraph. Pure: text and the names the
registry knows in, quotations out; linking them to registry rows is `selectors.quote_candidates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from recolte.corpus.text import fold as fold_text

# A quotation shorter than this is a term in guillemets (« territoire à territoire »), not a quote.
MIN_WORDS = 6
_AFTER = re.compile(r"[\s\u00a0\u202f]*\.?[\s\u00a0\u202f]*\(([^()\n]{1,160})\)")
_PILOT = re.compile(r"^op[ée]rations?\s+pilotes?\s*[–—:-]?\s*", re.IGNORECASE)
_JOINT = re.compile(r"\s+(?:et|and|&)\s+|\s*/\s*", re.IGNORECASE)
_PERSON = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2}$")
# a paragraph ending with a parenthesis and no full stop after it
_PARAGRAPH_QUOTE = re.compile(r"(?:^|(?<=\n\n))([^\n]+?)[\s.]*\(([^()\n]{1,160})\)[ \t]*(?=\n\n|$)")
_TRIM = ' \u00a0\u202f"“”'


def fold(name: str) -> str:
    """Case- and accent-insensitive key; hyphens, dots and spacing do not matter."""
    return re.sub(r"[\s.\u00a0\u202f-]+", " ", fold_text(name)).strip()


@dataclass
class Names:
    """What the registry knows, by folded name: organisations, countries and sources."""

    organisations: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        organisations: Mapping[str, Iterable[str]],
        countries: Mapping[str, Iterable[str]] = {},  # noqa: B006 - read only
        sources: Iterable[str] = ("carnet de route", "réunion in situ"),
    ) -> Names:
        """``organisations``: canonical name → every way of writing it (acronym, aliases)."""
        found = cls()
        for table, given in ((found.organisations, organisations), (found.countries, countries)):
            for canonical, spellings in given.items():
                for spelling in (canonical, *spellings):
                    if spelling and fold(spelling):
                        table.setdefault(fold(spelling), canonical)
        found.sources = {fold(s): s for s in sources}
        return found


@dataclass(frozen=True)
class Attribution:
    person: str = ""
    organisations: tuple[str, ...] = ()
    country: str = ""
    pilot: bool = False
    source: str = ""


@dataclass(frozen=True)
class DetectedQuote:
    start: int  # the quotation's span in the text, guillemets and attribution excluded
    end: int
    text: str
    attribution: Attribution


def _strip_suffix(segment: str, table: Mapping[str, str]) -> tuple[str, str]:
    """("GERES Mali", countries) → ("GERES", "Mali"): a known name written after a space."""
    words = segment.split()
    for cut in range(1, len(words)):
        tail = fold(" ".join(words[cut:]))
        if tail in table:
            return " ".join(words[:cut]), table[tail]
    return segment, ""


def _organisation(segment: str, names: Names) -> str:
    return names.organisations.get(fold(segment), "")


def parse_attribution(inner: str, names: Names) -> Attribution | None:
    """Read the words inside the parentheses; None when they do not name a speaker."""
    inner = inner.strip(_TRIM)
    pilot = bool(_PILOT.match(inner))
    inner = _PILOT.sub("", inner)
    parts = [p.strip(_TRIM) for p in inner.split(",") if p.strip(_TRIM)]
    if not parts or len(parts) > 4:
        return None
    person = country = source = ""
    organisations: list[str] = []
    unknown: list[tuple[int, str]] = []
    for i, part in enumerate(parts):
        if fold(part) in names.countries:
            country = names.countries[fold(part)]
            continue
        segments = [s for s in _JOINT.split(part) if s.strip()]
        for segment in segments:
            segment, found_source = _strip_suffix(segment, names.sources)
            source = source or found_source
            org = _organisation(segment, names)
            if not org:
                head, found_country = _strip_suffix(segment, names.countries)
                if found_country and (org := _organisation(head, names) or head):
                    country = country or found_country
            # "INDECOSA, CGT" is one organisation written in two parts
            joined = organisations and _organisation(f"{organisations[-1]}-{segment}", names)
            if joined:
                organisations[-1] = joined
            elif org:
                organisations.append(org)
            else:
                unknown.append((i, segment))
    if unknown and unknown[0][0] == 0 and len(parts) > 1 and _PERSON.match(unknown[0][1]):
        person = unknown.pop(0)[1]
    # "(Arnaud, INDECOSA, CGT)": an unknown name right before a known organisation is its branch
    branch = unknown[0][0] + 1 if len(unknown) == 1 and len(organisations) == 1 else len(parts)
    if branch < len(parts) and _organisation(parts[branch], names) == organisations[0]:
        organisations[0] = f"{unknown.pop()[1]}-{organisations[0]}"
    # an organisation the registry does not know yet, where the form says one stands
    if not organisations and len(unknown) == 1 and (pilot or person or country):
        organisations.append(unknown.pop()[1])
    if unknown or not organisations:
        return None
    return Attribution(person, tuple(organisations), country, pilot, source)


def _closings(text: str) -> Iterable[tuple[int, int, int]]:
    """(start, outer start, end) at each closing guillemet: the start of the « … » it closes and
    of the outermost quotation still open (French typography closes nested quotations with one
    guillemet). A quotation may span two paragraphs, not more: an opening left unclosed longer
    is a typo. A closing guillemet with no opening one closes a quotation begun before this
    text (a pull quote whose opening guillemet was lost): it starts with its paragraph."""
    stack: list[tuple[int, int]] = []  # (start, paragraph) of each open quotation
    before: int | None = None
    paragraph, paragraph_start = 0, 0
    for i, ch in enumerate(text):
        if ch == "\n" and text.startswith("\n\n", i) and i + 2 > paragraph_start:
            paragraph, paragraph_start = paragraph + 1, i + 2
            before = None
        elif ch == "«":
            stack.append((i + 1, paragraph))
        elif ch == "»":
            stack = [s for s in stack if s[1] >= paragraph - 1]
            if stack:
                start = stack.pop()[0]
            else:
                before = start = paragraph_start
            outer = min([start, *[s[0] for s in stack[:1]], *([] if before is None else [before])])
            yield start, outer, i


def _paragraph_end_quotes(text: str, names: Names) -> Iterable[DetectedQuote]:
    """Pull quotes printed without guillemets: a whole paragraph closed by an attribution."""
    for m in _PARAGRAPH_QUOTE.finditer(text):
        body, inner = m.group(1), m.group(2)
        if "«" in body or "»" in body:
            continue
        attribution = parse_attribution(inner, names)
        if attribution and len(body.split()) >= MIN_WORDS:
            lo, hi = _span(text, m.start(1), m.end(1))
            yield DetectedQuote(lo, hi, text[lo:hi], attribution)


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    body = text[start:end]
    return start + len(body) - len(body.lstrip(_TRIM)), end - (len(body) - len(body.rstrip(_TRIM)))


def detect_quotes(text: str, names: Names) -> list[DetectedQuote]:
    """Attributed quotations of MIN_WORDS words or more, in reading order."""
    found = []
    for start, outer, end in _closings(text):
        after = _AFTER.match(text, end + 1)
        attribution = parse_attribution(after.group(1), names) if after else None
        if attribution is None:
            continue
        lo, hi = _span(text, start, end)
        if len(text[lo:hi].split()) < MIN_WORDS:  # « a term » closing a longer quotation
            lo, hi = _span(text, outer, end)
        if len(text[lo:hi].split()) >= MIN_WORDS:
            found.append(DetectedQuote(lo, hi, text[lo:hi], attribution))
    found += _paragraph_end_quotes(text, names)
    return sorted(found, key=lambda q: q.start)
