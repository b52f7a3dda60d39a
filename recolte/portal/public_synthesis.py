"""A published campaign synthesis as the public sees it: its snapshot (`Publication.content`,
built by `recolte.synthesis.publication`), never the live analysis. Only the rendering of its
Markdown happens here."""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from recolte.synthesis.report.html_writer import blocks_html
from recolte.synthesis.report.markdown import parse


@dataclass
class PublicQuote:
    text: str
    attribution: str


@dataclass
class PublicNode:
    key: str
    name: str
    depth: int
    responses: int
    organisations: list[str]
    analysis: SafeString
    quotes: list[PublicQuote]


def markdown_html(text: str) -> SafeString:
    # blocks_html escapes every run; the Markdown subset carries no raw HTML or links.
    return mark_safe(blocks_html(parse(text)))  # noqa: S308


def snapshot_nodes(content: dict) -> list[PublicNode]:
    return [
        PublicNode(
            key=node["key"],
            name=node["name"],
            depth=node["depth"],
            responses=node["responses"],
            organisations=node["organisations"],
            analysis=markdown_html(node["analysis"]),
            quotes=[PublicQuote(q["text"], q["attribution"]) for q in node["quotes"]],
        )
        for node in content.get("nodes", [])
    ]
