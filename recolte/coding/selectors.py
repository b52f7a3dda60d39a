"""Reads of the coding room: the codebook tree, frequencies, code × attribute matrices,
co-occurrence, quotes (and attributed quotations found in text), and the review queue of
suggestions.

A "passage" in counts is the corpus passage a coding lies in, or the coded span itself when the
corpus has none for it; organisations are those the coded resources are attributed to.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from recolte.access.policy import Action, can, visible_material
from recolte.coding.models import (
    Code,
    Coding,
    Consent,
    Quote,
    QuoteDismissal,
    Suggestion,
    SuggestionModel,
)
from recolte.coding.quote_detection import Attribution, Names, detect_quotes, fold
from recolte.collection.models import Instrument, Resource, ResourceVersion
from recolte.corpus.models import Passage
from recolte.registry.models import (
    Country,
    Nature,
    Organisation,
    Person,
    Programme,
    QuoteConsent,
)

ATTRIBUTES = {
    "nature": _("organisation nature"),
    "pilot": _("pilot operation"),
    "country": _("country"),
    "instrument": _("instrument"),
    "campaign": _("campaign"),
    "year": _("year"),
    "language": _("language"),
}
NONE = ""  # the column of codings whose resource has no value for the attribute
PENDING = Suggestion.Status.PENDING


def coders(programme: Programme) -> QuerySet:
    """Members of the programme whom the access policy lets code."""
    members = get_user_model().objects.filter(memberships__programme=programme).distinct()
    return members.filter(pk__in=[u.pk for u in members if can(u, Action.CODE, programme)])


def descendants(code: Code) -> list[Code]:
    """Every code under `code` (not itself), one query per level."""
    found, frontier = [], [code.pk]
    while frontier:
        level = list(Code.objects.filter(parent_id__in=frontier))
        found.extend(level)
        frontier = [c.pk for c in level]
    return found


def tree(programme: Programme) -> list[tuple[Code, int]]:
    """Codes in reading order (depth first) with their depth."""
    codes = list(Code.objects.filter(programme=programme).order_by("order", "pk"))
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    out: list[tuple[Code, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            out.append((code, depth))
            walk(code.pk, depth + 1)

    walk(None, 0)
    return out


def codings_of(programme: Programme, coder=None) -> QuerySet[Coding]:
    codings = Coding.objects.filter(code__programme=programme)
    return codings.filter(coder=coder) if coder is not None else codings


def unit_of(coding: Coding) -> tuple:
    return (
        ("p", coding.passage_id)
        if coding.passage_id
        else ("s", coding.version_id, coding.start, coding.end)
    )


def _resource_organisations(resource_ids: Iterable[int]) -> dict[int, list]:
    through = Resource.organisations.through.objects.filter(resource_id__in=set(resource_ids))
    found: dict[int, list] = defaultdict(list)
    for row in through.select_related("organisation__country"):
        found[row.resource_id].append(row.organisation)
    return found


def _values(attribute: str, resource: Resource, organisations: list) -> set[tuple]:
    if attribute == "nature":
        natures = dict(Nature.choices)
        return {(o.nature, str(natures.get(o.nature, o.nature))) for o in organisations}
    if attribute == "country":
        found = {(o.country_id, str(o.country)) for o in organisations if o.country_id}
        if not found and resource.pilot_id:
            found = {(c.code, str(c)) for c in resource.pilot.countries.all()}
        return found
    if attribute == "pilot":
        return {(resource.pilot_id, str(resource.pilot))} if resource.pilot_id else set()
    if attribute == "instrument":
        campaign = resource.campaign.instrument if resource.campaign_id else ""
        instrument = resource.instrument or campaign
        label = str(dict(Instrument.choices).get(instrument, instrument))
        return {(instrument, label)} if instrument else set()
    if attribute == "campaign":
        return {(resource.campaign_id, str(resource.campaign))} if resource.campaign_id else set()
    if attribute == "year":
        when = resource.date or resource.created
        return {(when.year, str(when.year))}
    return {(resource.language, resource.language)} if resource.language else set()


def attribute_values(attribute: str, resources: dict[int, Resource]) -> dict[int, list]:
    """For each resource id, its (value, label) pairs for `attribute` (several for M2M ones)."""
    if attribute not in ATTRIBUTES:
        raise ValueError(attribute)
    organisations = _resource_organisations(resources) if attribute in ("nature", "country") else {}
    out: dict[int, list] = {}
    for pk, resource in resources.items():
        values = _values(attribute, resource, organisations.get(pk, []))
        out[pk] = sorted({(str(v), label) for v, label in values}) or [(NONE, "—")]
    return out


@dataclass
class Cell:
    codings: int = 0
    passages: set = field(default_factory=set)
    organisations: set = field(default_factory=set)

    def count(self, measure: str) -> int:
        """What the matrix shows: passages (the default), codings or distinct organisations."""
        if measure == "codings":
            return self.codings
        if measure == "organisations":
            return len(self.organisations)
        return len(self.passages)


@dataclass
class Matrix:
    attribute: str
    columns: list[tuple[str, str]]  # (value, label)
    rows: list[tuple[Code, int, dict[str, Cell]]]  # code, depth, value -> cell


def _ancestors(codes: dict[int, Code], code_id: int) -> list[int]:
    chain = []
    while code_id is not None:
        chain.append(code_id)
        code_id = codes[code_id].parent_id
    return chain


def matrix(programme: Programme, attribute: str, *, rollup: bool = False, coder=None) -> Matrix:
    """Codes × values of `attribute`: codings, distinct passages, distinct organisations.

    With `rollup`, a coding also counts for every ancestor of its code (once per passage).
    """
    codings = list(
        codings_of(programme, coder)
        .only("id", "code_id", "passage_id", "version_id", "start", "end", "version__resource_id")
        .select_related("version")
    )
    resource_ids = {c.version.resource_id for c in codings}
    resources = Resource.objects.filter(pk__in=resource_ids).select_related("pilot", "campaign")
    values = attribute_values(attribute, {r.pk: r for r in resources})
    organisations = _resource_organisations(resource_ids)
    order = tree(programme)
    codes = {code.pk: code for code, _depth in order}
    cells: dict[int, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))
    labels: dict[str, str] = {}
    for coding in codings:
        resource_id = coding.version.resource_id
        targets = _ancestors(codes, coding.code_id) if rollup else [coding.code_id]
        for value, label in values[resource_id]:
            labels[value] = label
            for code_id in targets:
                cell = cells[code_id][value]
                cell.codings += 1
                cell.passages.add(unit_of(coding))
                cell.organisations.update(o.pk for o in organisations[resource_id])
    columns = sorted(labels.items(), key=lambda kv: (kv[0] == NONE, str(kv[1]).casefold()))
    rows = [(code, depth, dict(cells[code.pk])) for code, depth in order if code.pk in cells]
    return Matrix(attribute, columns, rows)


def cell_codings(
    programme: Programme, attribute: str, code: Code, value: str, *, rollup: bool = False
) -> list[Coding]:
    """The codings counted in one matrix cell."""
    ids = [code.pk, *(c.pk for c in descendants(code))] if rollup else [code.pk]
    codings = list(
        codings_of(programme)
        .filter(code_id__in=ids)
        .select_related("version__resource", "code", "coder")
    )
    resources = Resource.objects.filter(
        pk__in={c.version.resource_id for c in codings}
    ).select_related("pilot", "campaign")
    values = attribute_values(attribute, {r.pk: r for r in resources})
    return [c for c in codings if value in {v for v, _label in values[c.version.resource_id]}]


def frequencies(programme: Programme, coder=None) -> list[dict]:
    """Per code in tree order: codings, distinct passages and resources, with and below it."""
    codings = list(codings_of(programme, coder).select_related("version"))
    order = tree(programme)
    codes = {code.pk: code for code, _depth in order}
    own: dict[int, Counter] = defaultdict(Counter)
    below: dict[int, set] = defaultdict(set)
    resources: dict[int, set] = defaultdict(set)
    for coding in codings:
        own[coding.code_id]["codings"] += 1
        for code_id in _ancestors(codes, coding.code_id):
            below[code_id].add(unit_of(coding))
            resources[code_id].add(coding.version.resource_id)
    return [
        {
            "code": code,
            "depth": depth,
            "codings": own[code.pk]["codings"],
            "passages": len(below[code.pk]),
            "resources": len(resources[code.pk]),
        }
        for code, depth in order
    ]


def co_occurrence(programme: Programme, coder=None) -> dict[tuple[int, int], int]:
    """(code a, code b) with a < b → number of coding pairs that overlap or share a passage."""
    by_version: dict[int, list[Coding]] = defaultdict(list)
    for coding in codings_of(programme, coder).order_by("version", "start"):
        by_version[coding.version_id].append(coding)
    pairs: Counter = Counter()
    for items in by_version.values():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.code_id == b.code_id:
                    continue
                overlap = b.start < a.end
                together = a.passage_id is not None and a.passage_id == b.passage_id
                if overlap or together:
                    pairs[(min(a.code_id, b.code_id), max(a.code_id, b.code_id))] += 1
    return dict(pairs)


def quotes_bank(programme: Programme, code: Code | None = None) -> QuerySet[Quote]:
    """Quotes of the programme, of `code` and the codes below it when given."""
    quotes = Quote.objects.filter(coding__code__programme=programme)
    if code is not None:
        quotes = quotes.filter(coding__code_id__in=[code.pk, *(c.pk for c in descendants(code))])
    return quotes.select_related(
        "coding__version__resource", "coding__code", "person", "organisation", "country"
    ).order_by("coding__code__order", "coding__code_id", "coding__version", "coding__start")


# --- suggestions: the current model and the review queue -------------------------------------


def current_model(programme: Programme) -> SuggestionModel | None:
    return (
        SuggestionModel.objects.filter(programme=programme, status=SuggestionModel.Status.READY)
        .order_by("-version")
        .first()
    )


@dataclass
class AssistantAgreement:
    """The current model as a coder: per code, its kappa against everyone and each person."""

    model: SuggestionModel
    coders: list[str]
    rows: list[dict]  # code, kappa, by_coder (aligned with coders, None: never coded it), chance


def assistant_agreement(programme: Programme) -> AssistantAgreement | None:
    model = current_model(programme)
    kappas = (model.metrics or {}).get("assistant_kappa") if model else None
    if not kappas:
        return None
    chance = set(model.metrics.get("chance_codes", []))
    codes = {c.key: c for c in Code.objects.filter(programme=programme, key__in=list(kappas))}
    coders = sorted({name for row in kappas.values() for name in row} - {""})
    rows = [
        {
            "code": codes[key],
            "kappa": row[""],
            "by_coder": [row.get(name) for name in coders],
            "chance": key in chance,
        }
        for key, row in kappas.items()
        if key in codes
    ]
    rows.sort(key=lambda r: r["code"].order)
    return AssistantAgreement(model, coders, rows)


def review_queue(programme: Programme, user, order: str = "document") -> QuerySet[Passage]:
    """Uncoded passages with pending suggestions; "uncertain": smallest top-2 margin first."""
    pending = Suggestion.objects.filter(passage=OuterRef("pk"), status=PENDING)
    queue = (
        Passage.objects.filter(programme=programme, retired_in__isnull=True, codings__isnull=True)
        .exclude(kind=Passage.Kind.PROMPT)  # suggested before prompts were told apart
        .filter(Exists(pending))
        .filter(visible_material(user, programme, "resource__"))
        .select_related("resource", "version")
    )
    if order != "uncertain":
        return queue.order_by("resource_id", "ordinal")
    scores = pending.order_by("-score", "rank").values("score")
    return queue.annotate(
        first=Subquery(scores[:1]), second=Coalesce(Subquery(scores[1:2]), Value(0.0))
    ).order_by(F("first") - F("second"), "pk")


def review_progress(programme: Programme, user) -> dict:
    """Passages suggested by the current model: how many are decided out of all."""
    model = current_model(programme)
    if model is None:
        return {"done": 0, "total": 0}
    round_ids = Suggestion.objects.filter(model=model).values("passage_id")
    total = Passage.objects.filter(pk__in=round_ids).count()
    remaining = review_queue(programme, user).filter(pk__in=round_ids).count()
    return {"done": total - remaining, "total": total}


def acceptance(programme: Programme) -> dict:
    """How many suggestions people accepted, picked another code for, or rejected."""
    decided = Suggestion.objects.filter(model__programme=programme).exclude(status=PENDING)
    counts = {s: decided.filter(status=s).count() for s in Suggestion.Status.values if s != PENDING}
    top1 = decided.filter(status=Suggestion.Status.ACCEPTED, rank=1).count()
    return {**counts, "accepted_top1": top1}


# --- attributed quotes found in text --------------------------------------------------------


@dataclass(frozen=True)
class QuoteCandidate:
    """A quotation found in a resource's text, its attribution linked to the registry where the
    names match; a person confirms it (the code, the consent) before it becomes a Quote."""

    start: int
    end: int
    text: str
    attribution: Attribution
    organisations: list[Organisation]
    person: Person | None
    country: Country | None


def _person(name: str, organisations: list[Organisation]) -> Person | None:
    """The one person of these organisations with this full name, or this first name alone."""
    if not name or not organisations:
        return None
    people = Person.objects.filter(organisation__in=organisations)
    full = [p for p in people if fold(str(p)) == fold(name)]
    first = [p for p in people if fold(p.first_name) == fold(name)]
    found = full or first
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class RegistryNames:
    """A programme's organisations and the countries, read once for many versions."""

    names: Names
    organisations: dict[str, Organisation]
    countries: dict[str, Country]

    @classmethod
    def of(cls, programme: Programme) -> RegistryNames:
        organisations = list(Organisation.objects.filter(programme=programme))
        countries = list(Country.objects.all())
        names = Names.build(
            {o.name: [o.acronym, *o.alias_list()] for o in organisations},
            {c.name_fr: [c.name_en, c.code] for c in countries},
        )
        return cls(names, {o.name: o for o in organisations}, {c.name_fr: c for c in countries})


def quote_candidates(
    version: ResourceVersion, registry: RegistryNames | None = None
) -> list[QuoteCandidate]:
    """Attributed quotations of a version's text not yet marked as quotes, in reading order."""
    if "(" not in version.text:  # every attribution is in parentheses
        return []
    registry = registry or RegistryNames.of(version.resource.programme)
    names, by_name, by_country = registry.names, registry.organisations, registry.countries
    quoted = Quote.objects.filter(coding__version=version).values_list(
        "coding__start", "coding__end"
    )
    found = []
    for q in detect_quotes(version.text, names):
        if any(start < q.end and q.start < end for start, end in quoted):
            continue
        orgs = [by_name[n] for n in q.attribution.organisations if n in by_name]
        found.append(
            QuoteCandidate(
                q.start,
                q.end,
                q.text,
                q.attribution,
                orgs,
                _person(q.attribution.person, orgs),
                by_country.get(q.attribution.country),
            )
        )
    return found


@dataclass
class QuoteReview:
    """A candidate as the review page shows it: where it was found, the codes of the codings
    it lies in (the first is pre-selected) and the attribution proposed for the form."""

    version: ResourceVersion
    candidate: QuoteCandidate
    codes: list[Code]
    initial: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Names this candidate's form fields apart from the others on the page."""
        return f"q{self.version.pk}-{self.candidate.start}"


def _initial(candidate: QuoteCandidate, codes: list[Code], resource: Resource) -> dict:
    consent = Consent.UNKNOWN
    if resource.record_id and resource.record.consent_given:
        consent = Consent.GIVEN
    person = candidate.person
    if person and person.quote_consent == QuoteConsent.NAMED:
        consent = Consent.GIVEN
    return {
        "code": codes[0] if codes else None,
        "person": person,
        "person_name": candidate.attribution.person,
        "organisation": candidate.organisations[0] if candidate.organisations else None,
        "country": candidate.country,
        "consent": consent,
    }


def quote_reviews(
    programme: Programme, user, resource: Resource | None = None
) -> list[QuoteReview]:
    """Quotations found in the latest version of each resource the user sees (or of `resource`),
    neither kept as quotes nor dismissed, in resource then reading order."""
    resources = Resource.objects.filter(programme=programme).filter(
        visible_material(user, programme)
    )
    if resource is not None:
        resources = resources.filter(pk=resource.pk)
    latest = ResourceVersion.objects.filter(resource=OuterRef("resource")).order_by("-number")
    versions = (
        ResourceVersion.objects.filter(resource__in=resources)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("resource__record")
        .order_by("resource__title", "resource__pk")
    )
    dismissed = defaultdict(set)
    for resource_id, text in QuoteDismissal.objects.filter(resource__in=resources).values_list(
        "resource_id", "text"
    ):
        dismissed[resource_id].add(text)
    found = []
    registry = RegistryNames.of(programme)
    for version in versions:
        candidates = [
            c
            for c in quote_candidates(version, registry)
            if c.text not in dismissed[version.resource_id]
        ]
        if not candidates:
            continue
        codings = list(version.codings.select_related("code"))
        for candidate in candidates:
            around = [c for c in codings if c.start < candidate.end and candidate.start < c.end]
            # codings holding the whole quotation first, the tightest before the wider
            around.sort(
                key=lambda c: (
                    not c.start <= candidate.start < candidate.end <= c.end,
                    c.end - c.start,
                )
            )
            codes = list(dict.fromkeys(c.code for c in around if c.code.codable))
            found.append(
                QuoteReview(version, candidate, codes, _initial(candidate, codes, version.resource))
            )
    return found
