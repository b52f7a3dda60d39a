"""The cross-cutting report assembled from the database: order, drafts, quotes, boxes, filters."""

import numpy as np

from recolte.synthesis import central
from recolte.synthesis.assemble import build_report
from recolte.synthesis.drafts import extract
from recolte.synthesis.evidence import Filters, load
from recolte.synthesis.models import NodeText
from recolte.testing import country

from .helpers import codebook, coded, quote

WATER = [
    "Les puits du village ont été réparés par les femmes et la commune.",
    "Les femmes gèrent désormais les puits et l’eau potable du village.",
    "La commune et les femmes ont construit deux puits pour l’eau du village.",
    "Un festival de musique a eu lieu à Paris.",
]


def _nodes(report):
    return {n.key: n for n, _a in report.walk()}


def test_draft_traces_every_sentence_to_numbers_and_passages(world):
    codes = codebook(world.programme)
    for i, text in enumerate(WATER):
        coded(
            world.programme,
            codes["theme"],
            text,
            orgs=[world.lead if i % 2 else world.partner],
            instrument="field_logbook" if i < 2 else "",
        )
    node = _nodes(build_report(world.programme))["a1.s11.eau"]
    assert node.is_draft
    md = node.analysis_markdown
    assert "4\u00a0passages codés issus de 4\u00a0ressources" in md
    assert "ALPHA (2), BETA (2)" in md and "Carnet de route (2)" in md
    assert "Pays\u00a0: France, Mali." in md or "Pays\u00a0: Mali, France." in md
    extracts = [line for line in md.splitlines() if line.startswith("- « ")]
    assert len(extracts) == 3
    assert all(any(extract(t) in line for t in WATER) for line in extracts)
    assert "festival" not in "".join(extracts[:2])  # the off-topic passage is least central
    assert node.examples == ["ALPHA", "BETA"]


def test_order_questions_coverage_and_facilitator_text(world):
    codes = codebook(world.programme)
    coded(world.programme, codes["theme"], WATER[0], orgs=[world.lead])
    NodeText.objects.create(
        programme=world.programme, code=codes["theme"], text="Mon *analyse*.", version=1
    )
    report = build_report(world.programme)
    assert [n.key for n, _a in report.walk()] == ["a1", "a1.s11", "a1.s11.eau", "a1.s11.vide"]
    nodes = _nodes(report)
    assert nodes["a1.s11"].number == "1.1" and nodes["a1.s11"].questions == ["Comment ?"]
    assert nodes["a1.s11.eau"].analysis_markdown == "Mon *analyse*."
    assert not nodes["a1.s11.eau"].is_draft
    assert nodes["a1.s11.vide"].coverage_notes
    assert report.coverage.nodes_without_evidence == ["Rien"]
    assert report.coverage.organisations_never_cited == ["BETA"]  # partner of the pilot
    assert ("Période", "2020–2023") in report.programme_facts


def test_quotes_pseudonymised_and_consent_honoured(world):
    codes = codebook(world.programme)
    mali = country("ML", "Mali")
    quote(
        coded(world.programme, codes["theme"], "« L’eau, c’est la vie. »"), world.lead, country=mali
    )
    quote(
        coded(world.programme, codes["theme"], "Nous avons appris ensemble."),
        world.partner,
        name="Moussa Traoré",
        consent="unknown",
    )

    def labels(mode):
        node = _nodes(build_report(world.programme, pseudonymise=mode))["a1.s11.eau"]
        return [(q.text, q.attribution_label()) for q in node.quotes]

    assert labels("full") == [
        ("L’eau, c’est la vie.", "Awa Diallo, ALPHA, Mali"),
        ("Nous avons appris ensemble.", "BETA"),
    ]
    assert labels("first_name")[0][1] == "Awa, ALPHA, Mali"
    assert labels("none")[0][1] == "ALPHA, Mali"


def test_boxes_are_labelled_with_their_source(world):
    codes = codebook(world.programme)
    coded(
        world.programme,
        codes["theme"],
        "Récit du carnet.",
        kind="box",
        instrument="field_logbook",
        title="Une coopération",
    )
    coded(
        world.programme,
        codes["theme"],
        "Une opération.",
        kind="box",
        title="Le puits",
        pilot=world.pilot,
    )
    boxes = _nodes(build_report(world.programme))["a1.s11.eau"].boxes
    assert [(b.label, b.title, b.paragraphs) for b in boxes] == [
        ("Carnet de route", "Une coopération", ["Récit du carnet."]),
        ("Zoom sur", "Le puits", ["Une opération."]),
    ]


def test_filters_limit_the_evidence(world):
    codes = codebook(world.programme)
    coded(world.programme, codes["theme"], WATER[0], instrument="field_logbook")
    coded(world.programme, codes["theme"], WATER[1], instrument="site_meeting", pilot=world.pilot)
    assert len(load(world.programme, Filters(instrument="site_meeting"))) == 1
    assert len(load(world.programme, Filters(pilot=world.pilot.pk))) == 1
    assert len(load(world.programme, Filters(year_to=1999))) == 0
    report = build_report(world.programme, Filters(axis="1", instrument="field_logbook"))
    assert [n.key for n in report.sections] == ["a1"]
    assert "1\u00a0passage codé" in _nodes(report)["a1.s11.eau"].analysis_markdown


def test_mmr_prefers_other_organisations_and_vectors_when_stored(world):
    codes = codebook(world.programme)
    items = []
    for org, text in ((world.lead, WATER[0]), (world.lead, WATER[2]), (world.partner, WATER[1])):
        coded(world.programme, codes["theme"], text, orgs=[org])
    items = load(world.programme)
    x = central.tfidf([i.text for i in items])
    picked = central.mmr(items, x, 2)
    assert {o.label for i in picked for o in i.orgs} == {"ALPHA", "BETA"}
    assert central.VectorStore(items).vectors(items) is None  # no corpus vectors: TF-IDF
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)


def test_corpus_vectors_are_used_when_every_passage_has_one(world):
    from recolte.corpus.models import Passage, PassageVector

    codes = codebook(world.programme)
    for text in WATER[:2]:
        coded(world.programme, codes["theme"], text)
    items = load(world.programme)
    for n, item in enumerate(items):
        passage = Passage.objects.create(
            programme=world.programme,
            resource_id=item.resource_id,
            first_version_id=item.version_id,
            version_id=item.version_id,
            ordinal=0,
            start=0,
            end=len(item.text),
            text=item.text,
            text_sha256="x",
        )
        v = np.zeros(384, np.float32)
        v[n] = 1.0
        PassageVector.objects.create(
            passage=passage,
            programme=world.programme,
            model="m",
            model_version="1",
            data=v.tobytes(),
        )
    found = central.VectorStore(items).vectors(items)
    assert found is not None and found.shape == (2, 384) and found[1, 1] == 1.0
