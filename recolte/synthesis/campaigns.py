"""The synthesis of one campaign: what its responses say, node by node of the codebook."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from recolte.coding.models import Code
from recolte.coding.selectors import tree
from recolte.collection.models import Campaign
from recolte.registry.models import Nature

from . import central
from .drafts import extract, source_of
from .evidence import Filters, Item, load, split_public
from .models import CampaignSynthesis
from .report import Attribution, Chart, Node, ReportDocument, ReportQuote, Series

QUOTES_PER_NODE = 3
CHART_CODES = 15


@dataclass
class CampaignNode:
    code: Code
    depth: int
    responses: int
    organisations: list[str]
    quotes: list[Item]
    text: str = ""


@dataclass
class CampaignSynthesisView:
    campaign: Campaign
    synthesis: CampaignSynthesis | None
    responses: int
    organisations: list[str]
    nodes: list[CampaignNode] = field(default_factory=list)
    chart: Chart | None = None
    withheld: list[tuple[Item, str]] = field(default_factory=list)


def campaign_synthesis(
    campaign: Campaign, use_vectors: bool = True, *, public: bool = False, language: str = "fr"
) -> CampaignSynthesisView:
    """The synthesis from the campaign's coded evidence; `public` keeps only what a public page
    may carry (`evidence.withheld`) and lists the rest in `withheld`. The chart's words are in
    `language`: French for the report, the page's language on screen."""
    items = load(campaign.programme, Filters(campaign_id=campaign.pk))
    withheld: list[tuple[Item, str]] = []
    if public:
        items, withheld = split_public(items)
    synthesis = CampaignSynthesis.objects.filter(campaign=campaign).first()
    texts = synthesis.node_texts if synthesis else {}
    store = central.VectorStore(items) if use_vectors else None
    by_code: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_code[item.code_id].append(item)
    nodes = []
    for code, depth in tree(campaign.programme):
        own = by_code.get(code.pk)
        if not own:
            continue
        quotes = central.mmr(own, central.embed(own, store), QUOTES_PER_NODE)
        nodes.append(
            CampaignNode(
                code,
                depth,
                len({i.resource_id for i in own}),
                sorted({o.label for i in own for o in i.orgs}, key=str.casefold),
                quotes,
                texts.get(code.key, ""),
            )
        )
    return CampaignSynthesisView(
        campaign,
        synthesis,
        len({i.resource_id for i in items}),
        sorted({o.label for i in items for o in i.orgs}, key=str.casefold),
        nodes,
        nature_chart(nodes, by_code, language),
        withheld,
    )


def nature_chart(
    nodes: list[CampaignNode], by_code: dict[int, list[Item]], language: str
) -> Chart | None:
    """Responses per code (the most frequent ones), stacked by organisation nature."""
    top = sorted(nodes, key=lambda n: -n.responses)[:CHART_CODES]
    top = [n for n in nodes if n in top]  # back to codebook order
    counts: dict[int, Counter[str]] = {}
    for node in top:
        seen: dict[str, set[int]] = defaultdict(set)
        for item in by_code[node.code.pk]:
            for org in item.orgs:
                seen[org.nature].add(item.resource_id)
        counts[node.code.pk] = Counter({k: len(v) for k, v in seen.items()})
    natures = sorted(
        {n for c in counts.values() for n in c}, key=lambda n: -sum(c[n] for c in counts.values())
    )
    if not natures:
        return None
    with translation.override(language):
        labels = {k: str(v) for k, v in Nature.choices}
        return Chart(
            _("Codes by nature of organisation"),
            tuple(extract(n.code.name, 40) for n in top),
            tuple(
                Series(labels.get(nat, nat), tuple(float(counts[n.code.pk][nat]) for n in top))
                for nat in natures
            ),
            value_label=_("Responses"),
        )


def campaign_report(view: CampaignSynthesisView) -> ReportDocument:
    """The campaign synthesis as a document for the report writers."""
    sections = [
        Node(
            level=min(5, n.depth + 1),
            title=n.code.name,
            key=n.code.key,
            analysis_markdown=n.text
            or (
                f"{n.responses}\u00a0réponse{'s' if n.responses > 1 else ''}, "
                f"{len(n.organisations)}\u00a0organisation"
                f"{'s' if len(n.organisations) > 1 else ''}."
            ),
            is_draft=not n.text,
            examples=n.organisations,
            quotes=[
                ReportQuote(" ".join(i.text.split()), Attribution(org=source_of(i)))
                for i in n.quotes
            ],
        )
        for n in view.nodes
    ]
    intro = view.synthesis.text if view.synthesis and view.synthesis.text else ""
    if intro:
        sections.insert(0, Node(level=1, title="Analyse d’ensemble", analysis_markdown=intro))
    return ReportDocument(
        title=f"Synthèse — {view.campaign.title}",
        subtitle=str(view.campaign.programme.name),
        programme_facts=[
            ("Réponses", str(view.responses)),
            ("Organisations", ", ".join(view.organisations)),
        ],
        charts=[view.chart] if view.chart else [],
        sections=sections,
    )
