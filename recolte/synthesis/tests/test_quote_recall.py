"""The report keeps every attributed quote: the labelled dev set imported, the quotations found
in its text confirmed as a person would (the proposed code and attribution), then the report
generated with full names, as the reference prints them. Each attributed quotation of the
reference must appear under the node of its passage with its attribution."""

import json

import pytest
from django.contrib.auth import get_user_model

from recolte.access.models import Membership, Role
from recolte.coding.models import Consent
from recolte.coding.selectors import quote_reviews
from recolte.coding.services import quote_confirm
from recolte.registry.exchange import registry_import
from recolte.shared_data import CAAC
from recolte.synthesis.assemble import build_report
from recolte.synthesis.labelled import import_labelled, read_passages
from recolte.synthesis.models import Pseudonymise

pytestmark = pytest.mark.skipif(
    not (CAAC / "quotes_dev.jsonl").exists(), reason="reference data absent"
)


def _flat(text: str) -> str:
    return " ".join(text.replace("«", " ").replace("»", " ").split())


def test_every_attributed_quote_reaches_the_report_under_its_node(db, capsys):
    registry_import(data=CAAC / "program.json", fmt="caac")
    programme = import_labelled(
        codebook_path=CAAC / "codebook.json", passages_path=CAAC / "passages_dev.jsonl"
    ).programme
    facilitator = get_user_model().objects.create_user("facilitator")
    Membership.objects.create(user=facilitator, programme=programme, role=Role.FACILITATOR)
    reviews = quote_reviews(programme, facilitator)
    for review in reviews:
        c, initial = review.candidate, review.initial
        assert initial["code"] is not None, c.text  # every passage is coded: a code is proposed
        quote_confirm(
            version=review.version,
            start=c.start,
            end=c.end,
            coder=facilitator,
            **{**initial, "consent": Consent.GIVEN},
        )
    assert quote_reviews(programme, facilitator) == []

    passages = {p["id"]: p for p in read_passages(CAAC / "passages_dev.jsonl")}
    rows = (CAAC / "quotes_dev.jsonl").read_text("utf-8").splitlines()
    attributed = [q for q in map(json.loads, filter(None, rows)) if q.get("attribution")]
    nodes = {
        node.key: node
        for node, _anchor in build_report(programme, pseudonymise=Pseudonymise.FULL).walk()
    }
    kept, missing = 0, []
    for gold in attributed:
        node = nodes[passages[gold["passage_id"]]["code"]]
        match = [q for q in node.quotes if _flat(gold["text"])[:40] in _flat(q.text)]
        label = match[0].attribution_label() if match else ""
        a = gold["attribution"]
        pieces = [a["org"].split(" / ")[0], a.get("person"), a.get("country")]
        if match and all(p in label for p in pieces if p):
            kept += 1
        else:
            missing.append((gold["id"], label))
    with capsys.disabled():
        print(f"\nattributed quotes kept in the report: {kept}/{len(attributed)}", missing)
    assert missing == []
