"""Pure text helpers: accent folding with an offset map, language guessing, query terms."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

WORD = re.compile(r"\w+", re.UNICODE)


def words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# A few hundred of the commonest function words per language are plenty to tell these apart
# on a paragraph; the lists are deliberately disjoint enough for short passages.
STOPWORDS: dict[str, frozenset[str]] = {
    "fr": words(
        "le la les un une des du de au aux et est sont dans pour par sur avec ce cette ces qui "
        "que qu il ils elle elles nous vous leur leurs mais ou donc car pas ne plus aussi "
        "être avoir fait été entre comme tout tous toutes très sans sous chez dont son sa ses "
        "notre nos votre vos ont avons cela été lors ainsi afin"
    ),
    "en": words(
        "the of and to in is are was were for with on by this that these those from it its "
        "be been has have had not but or as at an which who their they we our you will would "
        "can could also more than into about between through"
    ),
    "es": words(
        "el la los las un una unos unas y es son en por para con del al que se su sus como "
        "pero más este esta estos estas fue ha han entre sobre también muy sin le lo nos "
        "desde donde cuando hay"
    ),
    "pt": words(
        "o os as um uma uns umas e é são em no na nos nas por para com do da dos das que se "
        "seu sua seus suas como mas mais este esta isso foi tem entre sobre também muito sem "
        "pelo pela ao"
    ),
    "de": words(
        "der die das ein eine und ist sind in im für mit auf von zu den dem des nicht auch "
        "sich als wie aber oder bei nach aus wird werden wurde hat haben"
    ),
    "it": words(
        "il lo la i gli le un una e è sono in per con del della dei delle che si suo sua come "
        "ma più questo questa anche molto tra sono nel nella alla"
    ),
}
# A word shared by n languages counts 1/n for each of them.
_WEIGHT: dict[str, dict[str, float]] = {}
for _lang, _words in STOPWORDS.items():
    for _word in _words:
        _WEIGHT.setdefault(_word, {})[_lang] = 1.0
for _shares in _WEIGHT.values():
    for _lang in _shares:
        _shares[_lang] = 1.0 / len(_shares)


def guess_language(text: str, default: str = "") -> str:
    """The language whose function words weigh most (too little evidence or a tie → default)."""
    scores = dict.fromkeys(STOPWORDS, 0.0)
    for token in WORD.findall(text.casefold()):
        for lang, weight in _WEIGHT.get(token, {}).items():
            scores[lang] += weight
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 1.5 or top - second < 0.5:
        return default
    return best


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@cache
def _fold_char(char: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", char)).casefold()


def fold(text: str) -> str:
    """Lower case without accents ("Ménaka" → "menaka")."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of its source character."""
    folded = fold(text)
    if len(folded) == len(text) and not _COMBINING.search(text):
        # Every character folded to exactly one (the usual case for NFC text): identity map.
        return folded, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        piece = _fold_char(char)
        out.append(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


QUERY_STOPWORDS = (
    STOPWORDS["fr"]
    | STOPWORDS["en"]
    | STOPWORDS["es"]
    | words("quel quelle quels quelles comment pourquoi quoi est-ce what how why which")
)


def query_terms(query: str) -> list[str]:
    """Distinct folded content words of a query, in order (stop words and 1-letter words out)."""
    seen: dict[str, None] = {}
    for token in WORD.findall(fold(query)):
        if len(token) > 1 and token not in QUERY_STOPWORDS and not token.isdigit():
            seen.setdefault(token, None)
    return list(seen)


# Two passages whose content words overlap this much (one in ten changed) read as the same text
# to a person (a re-submitted answer, a paragraph pasted twice, a typo fixed): shown once. Only
# passages with enough content words are compared so: two short lines sharing their one noun
# ("Le village." / "Au village, au village.") are different passages.
NEAR_DUPLICATE = 0.8
NEAR_DUPLICATE_MIN_WORDS = 5


def near_duplicate_groups(texts: list[str]) -> list[list[int]]:
    """Indexes of `texts` grouped by same wording (accents, case and punctuation ignored) or
    near-same content words, each group led by its first text, groups in the order of their
    leaders."""
    same = [tuple(WORD.findall(fold(text))) for text in texts]
    shapes = [frozenset(query_terms(text)) for text in texts]

    def near(a: int, b: int) -> bool:
        if same[a] == same[b]:
            return True
        x, y = shapes[a], shapes[b]
        wide = min(len(x), len(y)) >= NEAR_DUPLICATE_MIN_WORDS
        return wide and len(x & y) >= NEAR_DUPLICATE * len(x | y)

    groups: list[list[int]] = []
    for i in range(len(texts)):
        group = next((g for g in groups if near(g[0], i)), None)
        if group is None:
            groups.append([i])
        else:
            group.append(i)
    return groups
