"""The cross-cutting analysis assembled from the database into the report's document model.

Programme facts and the device's figures open it; then the codebook in reading order (axis →
section → rubric → theme → sub-theme). Each node carries the facilitator's text, or a draft built
from its evidence; its quotes with attributions pseudonymised as asked and consent honoured; the
organisations it cites; its boxes labelled with their source.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q
from django.utils import translation

from recolte.coding.models import Code, Consent
from recolte.coding.selectors import tree
from recolte.collection.instruments import REPORT_LABELS
from recolte.collection.models import Campaign, Resource, Response
from recolte.registry.models import Nature, PilotOperation, Programme
from recolte.registry.selectors import programme_facts

from . import central
from .drafts import draft, extract, plural
from .evidence import Filters, Item, QuoteInfo, load, organisations, split_public
from .models import NodeText, Pseudonymise
from .report import (
    Attribution,
    Box,
    Chart,
    Coverage,
    Node,
    ReportDocument,
    ReportQuote,
    Series,
    Table,
)
from .report.document import MAX_LEVEL

KEY_PASSAGES = 3
MAX_EXAMPLES = 8
NO_EVIDENCE = "Aucun passage codé sous cette rubrique."
ANONYMOUS = "anonyme"  # the report is written in French


def attribution(quote: QuoteInfo, mode: str) -> Attribution:
    """What of the speaker may be printed: no name without consent, whatever the mode."""
    named = quote.consent == Consent.GIVEN
    person = ""
    if named and mode == Pseudonymise.FULL:
        person = quote.full_name
    elif named and mode == Pseudonymise.FIRST_NAME:
        person = quote.first_name
    role = quote.role if mode == Pseudonymise.ROLE else ""
    if quote.anonymous:
        person, role = ANONYMOUS, ""
    return Attribution(person=person, role=role, org=quote.org, country=quote.country)


def box_label(item: Item, pilot: bool) -> str:
    if item.instrument:
        return REPORT_LABELS.get(item.instrument, item.instrument)
    return "Zoom sur" if pilot else "Encadré"


def number_of(code: Code) -> str:
    """The heading number printed before a title: 1.1, A., 1) — axes carry theirs in the label."""
    number = str(code.extra.get("number") or "")
    if not number or code.kind == Code.Kind.AXIS:
        return ""
    if len(number) == 1 and number.isalpha():
        return number + "."
    if number.isdigit() and code.kind != Code.Kind.SECTION:
        return number + ")"
    return number


def scoped_codes(programme: Programme, axis: str) -> list[tuple[Code, int]]:
    """The codebook in reading order, limited to one top-level branch when `axis` is given."""
    rows = tree(programme)
    if not axis:
        return rows
    out, inside, root_depth = [], False, 0
    for code, depth in rows:
        if inside and depth <= root_depth:
            inside = False
        if not inside and (
            code.key == axis
            or (code.kind == Code.Kind.AXIS and str(code.extra.get("number") or "") == axis)
        ):
            inside, root_depth = True, depth
        if inside:
            out.append((code, depth - root_depth))
    return out


class Assembler:
    def __init__(
        self,
        programme: Programme,
        filters: Filters,
        pseudonymise: str,
        use_vectors: bool = True,
        public: bool = False,
    ) -> None:
        self.programme, self.filters, self.mode = programme, filters, pseudonymise
        self.items = load(programme, filters)
        self.withheld: list[tuple[Item, str]] = []
        if public:  # only what a public page may carry (`evidence.withheld`)
            self.items, self.withheld = split_public(self.items)
        self.by_code: dict[int, list[Item]] = defaultdict(list)
        for item in self.items:
            self.by_code[item.code_id].append(item)
        self.codes = scoped_codes(programme, filters.axis)
        self.texts = dict(
            NodeText.objects.filter(programme=programme)
            .exclude(text="")
            .values_list("code_id", "text")
        )
        self.store = central.VectorStore(self.items) if use_vectors else None
        self.pilots = set(
            PilotOperation.objects.filter(programme=programme).values_list("pk", flat=True)
        )
        self.empty: list[str] = []

    def nodes(self) -> list[Node]:
        children: dict[int | None, list[Code]] = defaultdict(list)
        depth_of = {}
        keys = {code.pk for code, _d in self.codes}
        for code, depth in self.codes:
            children[code.parent_id if code.parent_id in keys else None].append(code)
            depth_of[code.pk] = depth

        def build(code: Code) -> Node:
            kids = [build(c) for c in children.get(code.pk, [])]
            node = self.node(code, min(depth_of[code.pk] + 1, MAX_LEVEL))
            node.children = kids
            if not kids and not self.by_code.get(code.pk):
                node.coverage_notes.append(NO_EVIDENCE)
                self.empty.append(node.heading())
            return node

        return [build(c) for c in children.get(None, [])]

    def node(self, code: Code, level: int) -> Node:
        own = self.by_code.get(code.pk, [])
        boxes: dict[int, Box] = {}
        prose = []
        for item in own:
            if item.resource_kind == Resource.Kind.BOX:
                box = boxes.setdefault(
                    item.resource_id,
                    Box(item.resource_title, box_label(item, item.pilot_id in self.pilots)),
                )
                box.paragraphs.append(item.text)
            elif item.quote is None:
                prose.append(item)
        quotes = [
            ReportQuote(" ".join(i.text.split()), attribution(i.quote, self.mode))
            for i in own
            if i.quote
        ]
        orgs = Counter(o.label for i in own for o in i.orgs)
        node = Node(
            level=level,
            title=code.name,
            number=number_of(code),
            key=code.key,
            questions=code.question_list(),
            examples=[o for o, _n in sorted(orgs.items(), key=lambda kv: (-kv[1], kv[0]))][
                :MAX_EXAMPLES
            ],
            quotes=quotes,
            boxes=list(boxes.values()),
        )
        if code.pk in self.texts:
            node.analysis_markdown = self.texts[code.pk]
        elif own:
            key = (
                central.central(prose, central.embed(prose, self.store), KEY_PASSAGES)
                if prose
                else []
            )
            node.analysis_markdown, node.is_draft = draft(own, key), True
        return node

    def never_cited(self) -> list[str]:
        orgs = organisations(self.programme)
        cited = {o.pk for i in self.items for o in i.orgs}
        cited_labels = {i.quote.org for i in self.items if i.quote}
        involved = set(
            PilotOperation.objects.filter(programme=self.programme).values_list(
                "lead_id", flat=True
            )
        )
        involved |= set(
            self.programme.organisations.filter(partnerships__isnull=False).values_list(
                "pk", flat=True
            )
        )
        return sorted(
            (
                o.label
                for o in orgs.values()
                if (o.is_member or o.pk in involved)
                and o.pk not in cited
                and o.label not in cited_labels
            ),
            key=str.casefold,
        )


def build_report(
    programme: Programme,
    filters: Filters | None = None,
    pseudonymise: str = Pseudonymise.FIRST_NAME,
    *,
    use_vectors: bool = True,
) -> ReportDocument:
    return report_of(Assembler(programme, filters or Filters(), pseudonymise, use_vectors))


def report_of(a: Assembler) -> ReportDocument:
    """The document of the cross-cutting analysis from an assembled corpus."""
    programme, filters = a.programme, a.filters
    sections = a.nodes()
    tables = device_tables(programme)
    with translation.override("fr"):
        return ReportDocument(
            title=f"Analyse transversale de capitalisation — {programme}",
            subtitle=programme.name
            + (f" ({describe(programme, filters)})" if filters.as_dict() else ""),
            programme_facts=facts(programme, a.items, filters),
            device_figures=tables,
            charts=charts(programme, a, tables),
            sections=sections,
            coverage=Coverage(a.empty, a.never_cited()),
        )


def describe(programme: Programme, filters: Filters) -> str:
    parts = []
    if filters.axis:
        found = [c for c, d in scoped_codes(programme, filters.axis) if d == 0]
        parts.append(found[0].name if found else filters.axis)
    if filters.instrument:
        parts.append(REPORT_LABELS.get(filters.instrument, filters.instrument))
    if filters.pilot:
        pilot = PilotOperation.objects.filter(programme=programme, pk=filters.pilot).first()
        parts.append(f"opération pilote {pilot.title if pilot else filters.pilot}")
    if filters.year_from or filters.year_to:
        parts.append(
            f"{filters.year_from or programme.start_year}–{filters.year_to or programme.end_year}"
        )
    return ", ".join(parts)


def _sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()


def _money(value, currency: str) -> str:
    whole = f"{int(value):,}".replace(",", "\u202f")
    return f"{whole}\u00a0{'€' if currency == 'EUR' else currency}"


def facts(programme: Programme, items: Sequence[Item], filters: Filters) -> list[tuple[str, str]]:
    found = programme_facts(programme)
    rows = [
        (
            "Programme",
            f"{programme.name}" + (f" ({programme.acronym})" if programme.acronym else ""),
        ),
        ("Période", f"{programme.start_year}–{programme.end_year}"),
    ]
    if programme.budget:
        rows.append(("Budget", _money(programme.budget, programme.currency)))
    funders = [line.strip() for line in programme.funders.splitlines() if line.strip()]
    if funders:
        rows.append(("Partenaires financiers", ", ".join(funders)))
    if programme.capitalised_by:
        rows.append(("Capitalisation", programme.capitalised_by))
    rows.append(
        (
            "Organisations",
            f"{plural(found.members.n, 'membre', 'membres')} du réseau, "
            f"{plural(found.organisations.n, 'organisation', 'organisations')} au registre",
        )
    )
    if found.pilot_operations:
        rows.append(("Opérations pilotes", str(found.pilot_operations)))
    if found.countries:
        rows.append(
            ("Pays", ", ".join(sorted((c.name_fr for c in found.countries), key=_sort_key)))
        )
    cited = {o.pk for i in items for o in i.orgs}
    rows.append(
        (
            "Corpus analysé",
            f"{plural(len(items), 'passage codé', 'passages codés')} "
            f"dans {plural(len({i.resource_id for i in items}), 'ressource', 'ressources')}"
            f", {plural(len(cited), 'organisation citée', 'organisations citées')}",
        )
    )
    if filters.as_dict():
        rows.append(("Périmètre", describe(programme, filters)))
    return rows


def device_tables(programme: Programme) -> list[Table]:
    by_instrument = (
        Resource.objects.filter(programme=programme)
        .values("instrument")
        .annotate(n=Count("pk"))
        .order_by("-n", "instrument")
    )
    tables = [
        Table(
            "Ressources par instrument",
            ["Instrument", "Ressources"],
            [
                [REPORT_LABELS.get(r["instrument"], r["instrument"]), str(r["n"])]
                for r in by_instrument
            ],
        )
    ]
    submitted = Q(responses__status=Response.Status.SUBMITTED)
    campaigns = (
        Campaign.objects.filter(programme=programme)
        .order_by("opens_on", "pk")
        .annotate(n=Count("responses", filter=submitted))
    )
    rows = [[c.title, REPORT_LABELS.get(c.instrument, c.instrument), str(c.n)] for c in campaigns]
    if rows:
        tables.append(Table("Réponses par campagne", ["Campagne", "Instrument", "Réponses"], rows))
    return tables


def charts(programme: Programme, a: Assembler, tables: list[Table]) -> list[Chart]:
    out = []
    if chart := nature_chart(a):
        out.append(chart)
    rows = tables[0].rows
    if rows:
        out.append(
            Chart(
                "Ressources par instrument",
                tuple(r[0] for r in rows),
                (Series("Ressources", tuple(float(r[1]) for r in rows)),),
            )
        )
    countries: Counter[str] = Counter()
    for pilot in PilotOperation.objects.filter(programme=programme).prefetch_related("countries"):
        countries.update(c.name_fr for c in pilot.countries.all())
    if countries:
        ordered = sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            Chart(
                "Opérations pilotes par pays",
                tuple(c for c, _n in ordered),
                (Series("Opérations pilotes", tuple(float(n) for _c, n in ordered)),),
            )
        )
    return out


def nature_chart(a: Assembler) -> Chart | None:
    """Coded passages per section, stacked by the nature of the organisations they come from."""
    sections = [(c, d) for c, d in a.codes if c.kind == Code.Kind.SECTION] or [
        (c, d) for c, d in a.codes if d == 0
    ]
    under: dict[int, int] = {}  # code → its section
    current = None
    section_ids = {c.pk for c, _d in sections}
    for code, _depth in a.codes:
        if code.pk in section_ids:
            current = code.pk
        elif code.parent_id is None:
            current = None
        if current is not None:
            under[code.pk] = current
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for item in a.items:
        if item.code_id in under:
            counts[under[item.code_id]].update({o.nature for o in item.orgs})
    rows = [c for c, _d in sections if counts.get(c.pk)]
    natures = sorted(
        {n for c in counts.values() for n in c}, key=lambda n: -sum(c[n] for c in counts.values())
    )
    if not rows:
        return None
    labels = dict(Nature.choices)
    return Chart(
        "Passages codés par nature d’organisation",
        tuple(extract(f"{number_of(c)} {c.name}".strip(), 40) for c in rows),
        tuple(
            Series(str(labels.get(n, n)), tuple(float(counts[c.pk][n]) for c in rows))
            for n in natures
        ),
        value_label="Passages codés (une fois par nature d’organisation citée)",
    )
