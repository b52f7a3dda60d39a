"""Inter-coder agreement: Cohen's kappa and Krippendorff's alpha over shared units of text.

Unit of analysis: the corpus passages of the coded version when the corpus has cut it, else
paragraphs (blank-line separated blocks of the version text; lines when it has no blank line).
For each unit and code, a coder's decision is binary: does one of their codings with this code
overlap the unit? Per code, kappa and alpha are computed over these binary decisions; "overall"
pools the unit × code decisions of every code either coder used in the round. Codes neither coder
used are left out: they would add agreement on nothing and inflate the figures. A resource
assigned to one coder only gives missing values (alpha handles them; kappa uses pairs only).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps

from recolte.coding.models import Assignment, Code, Coding
from recolte.collection.models import ResourceVersion

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def cohen_kappa(a: list, b: list) -> float | None:
    """Cohen's kappa of two coders' nominal labels on the same items (None if undefined)."""
    if len(a) != len(b) or not a:
        return None
    labels = sorted(set(a) | set(b), key=str)
    index = {label: i for i, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for x, y in zip(a, b, strict=True):
        table[index[x], index[y]] += 1
    n = table.sum()
    observed = np.trace(table) / n
    expected = float((table.sum(axis=1) @ table.sum(axis=0)) / n**2)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return float((observed - expected) / (1 - expected))


def krippendorff_alpha(data: list[list]) -> float | None:
    """Krippendorff's alpha, nominal metric; `data[coder][unit]`, None for a missing value.

    Built from the coincidence matrix: units with fewer than two values are not pairable and drop
    out; alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k.
    """
    values = sorted({v for row in data for v in row if v is not None}, key=str)
    index = {v: i for i, v in enumerate(values)}
    coincidences = np.zeros((len(values), len(values)))
    for unit in zip(*data, strict=True):
        present = [index[v] for v in unit if v is not None]
        m = len(present)
        if m < 2:
            continue
        counts = np.bincount(present, minlength=len(values)).astype(float)
        coincidences += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = coincidences.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return None
    disagree_observed = coincidences.sum() - np.trace(coincidences)
    disagree_expected = (n_c.sum() ** 2 - (n_c**2).sum()) / (n - 1)
    if disagree_expected == 0:
        return 1.0 if disagree_observed == 0 else None
    return float(1 - disagree_observed / disagree_expected)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, surrounding whitespace excluded."""
    splitter = _BLANK_LINES if _BLANK_LINES.search(text) else re.compile(r"\n\s*")
    spans, cursor = [], 0
    for gap in [*splitter.finditer(text), None]:
        end = gap.start() if gap else len(text)
        chunk = text[cursor:end]
        if chunk.strip():
            left = len(chunk) - len(chunk.lstrip())
            spans.append((cursor + left, cursor + len(chunk.rstrip())))
        if gap:
            cursor = gap.end()
    return spans


def units(version: ResourceVersion) -> list[tuple[int, int]]:
    passage = apps.get_model("corpus", "Passage")
    found = list(
        passage.objects.filter(version=version, retired_in__isnull=True)
        .order_by("start")
        .values_list("start", "end")
    )
    return found or paragraphs(version.text)


@dataclass
class Disagreement:
    version: ResourceVersion
    unit: tuple[int, int]
    code: Code
    coder: object  # the coder who applied the code
    other: object  # the coder who did not
    codings: list[Coding]


@dataclass
class Agreement:
    coders: list
    units: int = 0
    per_code: list[dict] = field(default_factory=list)  # code, kappa, alpha, both, only_a, only_b
    kappa: float | None = None
    alpha: float | None = None
    disagreements: list[Disagreement] = field(default_factory=list)


def round_coders(programme, round_name: str) -> list:
    assignments = Assignment.objects.filter(programme=programme, round=round_name)
    coders = {a.coder_id: a.coder for a in assignments.select_related("coder")}
    return sorted(coders.values(), key=lambda u: u.pk)


def compute(programme, round_name: str) -> Agreement:
    """Agreement between the (first) two coders of a round over the resources assigned to them."""
    coders = round_coders(programme, round_name)[:2]
    result = Agreement(coders=coders)
    if len(coders) < 2:
        return result
    assigned: dict[int, set[int]] = defaultdict(set)
    for a in Assignment.objects.filter(programme=programme, round=round_name, coder__in=coders):
        assigned[a.resource_id].add(a.coder_id)
    # decisions[(version, unit)][code][coder] = codings overlapping the unit
    decisions: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    versions: list[tuple[ResourceVersion, set[int]]] = []
    for resource_id, who in sorted(assigned.items()):
        version = ResourceVersion.objects.filter(resource_id=resource_id).order_by("-number")[:1]
        version = version[0] if version else None
        if version is None:
            continue
        versions.append((version, who))
        spans = units(version)
        codings = Coding.objects.filter(version=version, coder__in=coders).select_related("code")
        for coding in codings:
            for span in spans:
                if coding.start < span[1] and span[0] < coding.end:
                    decisions[(version.pk, span)][coding.code][coding.coder_id].append(coding)
        for span in spans:
            decisions[(version.pk, span)]  # every unit counts, coded or not
    used = sorted({code for per in decisions.values() for code in per}, key=lambda c: c.order)
    keys = [(v, span) for v, who in versions for span in units(v)]
    coverage = {v.pk: who for v, who in versions}
    result.units = len(keys)
    a_id, b_id = coders[0].pk, coders[1].pk

    def value(key, code, coder_id):
        if coder_id not in coverage[key[0].pk]:
            return None
        return int(bool(decisions[(key[0].pk, key[1])][code].get(coder_id)))

    pooled: list[list] = [[], []]
    for code in used:
        rows = [[value(k, code, a_id) for k in keys], [value(k, code, b_id) for k in keys]]
        pairs = [(x, y) for x, y in zip(*rows, strict=True) if x is not None and y is not None]
        result.per_code.append(
            {
                "code": code,
                "kappa": cohen_kappa([x for x, _ in pairs], [y for _, y in pairs]),
                "alpha": krippendorff_alpha(rows),
                "both": sum(1 for x, y in pairs if x and y),
                "only_a": sum(1 for x, y in pairs if x and not y),
                "only_b": sum(1 for x, y in pairs if y and not x),
            }
        )
        pooled[0] += rows[0]
        pooled[1] += rows[1]
        for key, x, y in zip(keys, *rows, strict=True):
            if x is not None and y is not None and x != y:
                coder, other = (coders[0], coders[1]) if x else (coders[1], coders[0])
                found = decisions[(key[0].pk, key[1])][code][coder.pk]
                result.disagreements.append(Disagreement(key[0], key[1], code, coder, other, found))
    pairs = [(x, y) for x, y in zip(*pooled, strict=True) if x is not None and y is not None]
    result.kappa = cohen_kappa([x for x, _ in pairs], [y for _, y in pairs])
    result.alpha = krippendorff_alpha(pooled)
    return result
