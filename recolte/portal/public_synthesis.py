"""A published campaign synthesis as the public sees it: its snapshot (`Publication.content`,
built by `recolte.synthesis.publication`), never the live analysis. Its Markdown is rendered by
the synthesis room's `markdown_html`, as on the staff pages."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from recolte.synthesis.report.html_writer import markdown_html


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
