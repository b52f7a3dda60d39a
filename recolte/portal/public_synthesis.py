"""A published campaign synthesis as the public sees it, built by the synthesis room's
`campaign_synthesis` (nodes, counts, organisations, representative quotes).

What is added here is what publication requires: quotes are attributed through the synthesis
room's `attribution` with first names at most (consent honoured: no name without it), a coded
passage that is not a marked quote names its organisations only, and drafts are never shown.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from recolte.coding.models import Code
from recolte.synthesis.assemble import attribution
from recolte.synthesis.campaigns import campaign_synthesis
from recolte.synthesis.drafts import source_of
from recolte.synthesis.evidence import Item
from recolte.synthesis.models import CampaignSynthesis, Pseudonymise
from recolte.synthesis.report.html_writer import blocks_html
from recolte.synthesis.report.markdown import parse

PUBLIC_NAMES = Pseudonymise.FIRST_NAME


@dataclass
class PublicQuote:
    text: str
    attribution: str


@dataclass
class PublicNode:
    code: Code
    depth: int
    responses: int
    organisations: list[str]
    analysis: SafeString
    quotes: list[PublicQuote]


def markdown_html(text: str) -> SafeString:
    # blocks_html escapes every run; the Markdown subset carries no raw HTML or links.
    return mark_safe(blocks_html(parse(text)))


def public_attribution(item: Item) -> str:
    if item.quote is not None:
        return attribution(item.quote, PUBLIC_NAMES).label()
    return source_of(item)


def synthesis_nodes(synthesis: CampaignSynthesis) -> list[PublicNode]:
    view = campaign_synthesis(synthesis.campaign)
    return [
        PublicNode(
            code=node.code,
            depth=node.depth,
            responses=node.responses,
            organisations=node.organisations,
            analysis=markdown_html(node.text),
            quotes=[
                PublicQuote(" ".join(i.text.split()), public_attribution(i)) for i in node.quotes
            ],
        )
        for node in view.nodes
    ]
