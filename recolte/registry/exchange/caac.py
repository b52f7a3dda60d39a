"""Adapter for the reference programme's description file (program.json of the CAAC report).

That file lists members, funders and pilot operations with free-text partner names and no
organisation natures; this module turns it into a registry document.
"""

import re
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from recolte.registry.models import Nature

from .checks import norm
from .problems import Problem
from .validate import FORMAT

CAAC_KEYS = {"programme", "members", "pilot_operations"}

# First matching rule wins, on accent-free lower-case text with word boundaries. Order matters:
# a consumers' association of a union is a consumers' association, a federation of rural
# family homes is a training network.
NATURE_RULES: list[tuple[str, str]] = [
    (r"consommateurs", Nature.CONSUMERS),
    (r"confederation|syndica\w*|sindica\w*|cgt\w*|fsu", Nature.UNION),
    (r"maisons? familiales? rurales?|mfr|centre de formation", Nature.TRAINING),
    (
        r"communes?|collectivites?|intercollectivite|conseil (regional|departemental)|regions?"
        r"|mairie",
        Nature.LOCAL_AUTHORITY,
    ),
    (r"agence|fonds national|ministere|office national|onape|fonap|fonaj", Nature.PUBLIC_AGENCY),
    (r"cooperatives?|cooperativa", Nature.COOPERATIVE),
    (r"economie (sociale|solidaire)|ess", Nature.SOCIAL_ECONOMY),
    (r"federations?|reseau|union nationale|coordination", Nature.NETWORK),
]


def infer_nature(name: str) -> str:
    """Guess an organisation's nature from its name; NGO when no keyword applies."""
    text = norm(name)
    for pattern, nature in NATURE_RULES:
        if re.search(rf"\b(?:{pattern})\b", text):
            return nature
    return Nature.NGO


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9&\-]{1,}", text))


def _clean(text: str) -> str:
    """Drop a leading French article and normalise quotes and spaces."""
    text = " ".join(text.replace("«", "").replace("»", "").split())
    text = re.sub(r"^(?:(?:les|la|le)\s+|l['’]\s*)", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


class _Organisations:
    """Organisations of the document, found again by acronym, name or alias."""

    def __init__(self, acronyms: dict[str, str]) -> None:
        self.items: list[dict[str, Any]] = []
        self.acronyms = acronyms
        self.by_full_name = {norm(full): acr for acr, full in acronyms.items()}

    def find(self, text: str) -> dict[str, Any] | None:
        key = norm(text)
        for org in self.items:
            keys = {norm(org["name"]), norm(org["acronym"]), *map(norm, org["aliases"])}
            # A shortened full name ("Union nationale des MFR" for the longer legal name).
            if key in keys or (len(key.split()) >= 3 and norm(org["name"]).startswith(key)):
                return org
        return None

    def add(
        self,
        name: str,
        acronym: str,
        nature: str,
        *,
        member: bool = False,
        aliases: tuple[str, ...] = (),
        loc: tuple[str, int] | None = None,
    ) -> dict[str, Any]:
        acronym = acronym or self.by_full_name.get(norm(name), "")
        known = self.find(acronym) if acronym else self.find(name)
        if known:
            return known
        org = {
            "name": name,
            "acronym": acronym,
            "nature": nature,
            "is_member": member,
            "aliases": [a for a in aliases if norm(a) not in {norm(name), norm(acronym)}],
        }
        if loc:
            org["_loc"] = loc
        self.items.append(org)
        return org

    def partner(self, text: str, loc: tuple[str, int]) -> list[dict[str, Any]]:
        """Organisations named by one free-text partner entry."""
        match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", text)
        outside, inside = (match.group(1), match.group(2).strip()) if match else (text, "")
        parts = [p.strip() for p in inside.split(",")]
        if inside and all(_is_acronym(p) for p in parts) and len(parts) > 1:
            # "public authorities (A, B, C)" names three organisations.
            names = [self.acronyms.get(p, p) for p in parts]
            return [
                self.add(name, p, infer_nature(f"{p} {name}"), loc=loc)
                for p, name in zip(parts, names, strict=True)
            ]
        if inside and _is_acronym(inside):
            name, acronym = _clean(outside), inside
        elif inside and _is_acronym(outside.strip()):
            name, acronym = _clean(inside), outside.strip()
        else:
            name, acronym = _clean(text), ""
        known = self.find(acronym) if acronym else None
        return [known or self.add(name, acronym, infer_nature(text), loc=loc)]


def _years(period: Any) -> tuple[int | None, int | None]:
    found = re.findall(r"\d{4}", str(period or ""))
    return (int(found[0]), int(found[-1])) if found else (None, None)


def from_caac(data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """A registry document for the reference programme file; missing parts are problems."""
    problems = [
        Problem("file", None, key, _("Missing section."))
        for key in sorted(CAAC_KEYS)
        if not isinstance(data.get(key), dict | list)
    ]
    if problems:
        return {}, problems
    prog = data["programme"]
    acronyms = data.get("acronyms") or {}
    orgs = _Organisations(acronyms)
    for i, member in enumerate(data["members"].get("listed_normalised") or [], start=1):
        listed, acronym = member.get("name", ""), member.get("canonical", "")
        name = acronyms.get(acronym) or listed
        if not (acronym.upper() == acronym or norm(acronym) != norm(listed)):
            acronym = ""
        orgs.add(
            name,
            acronym,
            infer_nature(name),
            member=True,
            aliases=(listed,),
            loc=("members.listed_normalised", i),
        )
    for funder in prog.get("funders_partners") or []:
        orgs.add(funder["name"], funder.get("acronym") or "", Nature.FUNDER)
    facilitator = prog.get("capitalisation_by") or {}
    if facilitator.get("name"):
        orgs.add(facilitator["name"], facilitator.get("acronym") or "", Nature.RESEARCH)
    pilots, codes = [], set()
    for i, op in enumerate(data["pilot_operations"], start=1):
        loc = ("pilot_operations", i)
        lead = orgs.find(op.get("lead_acronym") or "") or orgs.find(op.get("lead") or "")
        if lead is None and op.get("lead"):
            lead = orgs.add(op["lead"], "", infer_nature(op["lead"]), loc=loc)
        elif lead and op.get("lead") and not orgs.find(op["lead"]):
            lead["aliases"].append(op["lead"])  # the name as written for this operation
        partners = [org for text in op.get("partners") or [] for org in orgs.partner(text, loc)]
        code = slugify(lead["acronym"] or lead["name"])[:36] if lead else f"op-{i}"
        code = code if code not in codes else f"{code}-{i}"
        codes.add(code)
        pilots.append(
            {
                "_loc": loc,
                "code": code,
                "title": op.get("title", ""),
                "lead": (lead["acronym"] or lead["name"]) if lead else "",
                "partners": [
                    {"organisation": p["acronym"] or p["name"], "role": ""}
                    for p in partners
                    if p is not lead
                ],
                "countries": op.get("countries") or [],
                "shared_stake": op.get("enjeu_partage", ""),
            }
        )
    start, end = _years(prog.get("period"))
    axes = [
        {
            "kind": kind,
            "number": axis.get("axe"),
            "title": axis.get("title", ""),
            "description": axis.get("description", ""),
        }
        for kind, key in (
            ("programme", "axes_programme"),
            ("capitalisation", "axes_capitalisation"),
        )
        for axis in data.get(key) or []
    ]
    funders = [
        f["name"] + (f" ({f['acronym']})" if f.get("acronym") else "")
        for f in prog.get("funders_partners") or []
    ]
    programme = {
        "slug": slugify(prog.get("acronym") or prog.get("name", "")),
        "name": prog.get("name"),
        "acronym": prog.get("acronym", ""),
        "start_year": start,
        "end_year": end,
        "budget": prog.get("budget_eur"),
        "currency": "EUR",
        "funders": funders,
        "capitalised_by": facilitator.get("name", ""),
    }
    return {
        "format": FORMAT,
        "programme": programme,
        "axes": axes,
        "organisations": orgs.items,
        "people": [],
        "pilot_operations": pilots,
    }, problems
