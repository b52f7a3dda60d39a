"""Entity linking: registry organisations and countries named in a passage, and unknown names.

Names and aliases match accent- and case-insensitively on word boundaries; acronyms match only
where written in capitals (so "ESSOR" the NGO is not "essor" the word); an all-caps token of five
letters or more one edit (Damerau) away from a known acronym is taken as a typo of it
("UNMFREO" for "UNFMREO"). Capitalised tokens that look like acronyms, or names led by an
organisation word ("Association …", "Fédération …"), and are not in the registry are returned as
unknown entities for the facilitator to map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recolte.registry.countries import places
from recolte.registry.models import Country, Organisation, Programme

from .text import fold, fold_with_map, words

_ACRONYM_TOKEN = re.compile(r"(?<![\w-])[A-ZÀ-Ý][A-ZÀ-Ý0-9&]{1,14}(?![\w-])")
_ORG_WORDS = (
    "Association|Fédération|Federation|Union|Réseau|Coopérative|Cooperative|Groupement|"
    "Collectif|Fondation|Foundation|Comité|Institut|Agence|Centre|Plateforme|Mutuelle"
)
_ORG_NAME = re.compile(
    rf"\b(?:{_ORG_WORDS})(?: (?:des|de la|de l'|du|de|d'|pour la|pour le|pour les|of the|of|for))?"
    r" ?[A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){0,3}"
)
# Capitalised words common in passages that are not organisations.
_NOT_ENTITIES = words(
    "ONG NGO OSC OSI PME TPE UE EU ONU UN ODD SDG PIB GDP FAQ NB OK CV TV PDF II III IV VI VII "
    "VIII IX XI XII XIII XIV XV XX XXI AXE AXES CE LE LA LES ET OU DE DU DES EN UNE"
)


@dataclass
class Found:
    start: int
    end: int
    surface: str
    organisation_id: int | None = None
    country_code: str | None = None


@dataclass
class LinkResult:
    mentions: list[Found] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def damerau1(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def _alternation(keys: list[str]) -> re.Pattern | None:
    if not keys:
        return None
    body = "|".join(re.escape(k) for k in sorted(set(keys), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


class Linker:
    """Built once per programme and run over many passages."""

    def __init__(self, organisations: list[Organisation], countries: dict[str, str]) -> None:
        self.by_name: dict[str, int] = {}  # folded name or alias → organisation id
        self.by_acronym: dict[str, int] = {}  # upper-case acronym → organisation id
        for org in organisations:
            for name in [org.name, *org.alias_list()]:
                if _looks_like_acronym(name):
                    self.by_acronym.setdefault(name.upper(), org.pk)
                elif len(fold(name)) >= 3:
                    self.by_name.setdefault(fold(name), org.pk)
            if org.acronym:
                self.by_acronym.setdefault(org.acronym.upper(), org.pk)
        self.countries = countries  # folded name → country code
        self._names = _alternation(list(self.by_name))
        self._countries = _alternation(list(countries))
        self._fuzzy = [a for a in self.by_acronym if len(a) >= 5]

    @classmethod
    def for_programme(cls, programme: Programme) -> Linker:
        known = set(Country.objects.values_list("code", flat=True))
        countries: dict[str, str] = {}
        for place in places():
            if place["code"] not in known:
                continue
            names = [place["name_fr"], place["name_en"]]
            names += [a for a in place["aliases"] if len(a) >= 4 and not a.isupper()]
            for name in names:
                countries.setdefault(fold(name), place["code"])
        return cls(list(Organisation.objects.filter(programme=programme)), countries)

    def link(self, text: str) -> LinkResult:
        result = LinkResult()
        folded, where = fold_with_map(text)
        taken: list[tuple[int, int]] = []

        def add(fs: int, fe: int, **target) -> None:
            start, end = where[fs], where[fe - 1] + 1
            if any(start < b and a < end for a, b in taken):
                return
            taken.append((start, end))
            result.mentions.append(Found(start, end, text[start:end], **target))

        for pattern, table, key in ((self._names, self.by_name, "organisation_id"),):
            for m in pattern.finditer(folded) if pattern else ():
                add(m.start(), m.end(), **{key: table[m.group()]})
        for m in _ACRONYM_TOKEN.finditer(text):
            token = m.group()
            org = self.by_acronym.get(token) or self._typo(token)
            if org:
                if not any(m.start() < b and a < m.end() for a, b in taken):
                    taken.append(m.span())
                    result.mentions.append(Found(m.start(), m.end(), token, organisation_id=org))
            elif _unknown_acronym(token):
                result.unknown.append(token)
        for m in self._countries.finditer(folded) if self._countries else ():
            if text[where[m.start()]].isupper():
                add(m.start(), m.end(), country_code=self.countries[m.group()])
        for m in _ORG_NAME.finditer(text):
            if not any(m.start() < b and a < m.end() for a, b in taken):
                result.unknown.append(m.group())
        result.mentions.sort(key=lambda f: f.start)
        return result

    def _typo(self, token: str) -> int | None:
        if len(token) < 5:
            return None
        for acronym in self._fuzzy:
            if damerau1(token, acronym):
                return self.by_acronym[acronym]
        return None


def _looks_like_acronym(name: str) -> bool:
    return bool(re.fullmatch(r"[A-ZÀ-Ý][A-ZÀ-Ý0-9&.-]{1,14}", name.strip()))


def _unknown_acronym(token: str) -> bool:
    letters = sum(c.isalpha() for c in token)
    return letters >= 3 and token not in _NOT_ENTITIES
