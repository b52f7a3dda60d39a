"""Pages and the workbench API: who may code, and what the pages show."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recolte.coding.models import Code, Coding, Quote
from recolte.coding.services import coding_create
from recolte.coding.tests.helpers import code, version
from recolte.testing import PASSWORD

TEXT = "Premier paragraphe sur la commune.\n\nSecond paragraphe 🌱 sur l'association."


def _login(client, world, role):
    client.login(username=world.users[role].username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en"})


@pytest.fixture
def setup(world):
    v = version(world.programme, TEXT, organisations=[world.lead])
    return v, code(world.programme, "x", name="Interconnaissance", colour="#336699")


PAGES = [
    ("coding:codebook", []),
    ("coding:frequencies", []),
    ("coding:matrix", []),
    ("coding:cooccurrence", []),
    ("coding:quotes", []),
    ("coding:agreement", []),
]


@pytest.mark.parametrize("role", ["contributor", "reader", "team"])
def test_non_coders_are_refused(client, world, setup, role):
    v, c = setup
    _login(client, world, role)
    for name, args in [*PAGES, ("coding:workbench", [v.resource.pk])]:
        assert client.get(reverse(name, args=["prog", *args])).status_code == 403, name
    url = reverse("coding:codings", args=["prog", v.pk])
    body = json.dumps({"start16": 0, "end16": 5, "codes": [c.pk]})
    assert client.post(url, body, content_type="application/json").status_code == 403
    assert not Coding.objects.exists()


def test_other_programme_is_not_found(client, world, setup):
    v, _c = setup
    _login(client, world, "outsider")
    assert client.get(reverse("coding:workbench", args=["prog", v.resource.pk])).status_code == 404
    # A facilitator of the other programme cannot reach this resource through their own.
    url = reverse("coding:workbench", args=["prog-other", v.resource.pk])
    assert client.get(url).status_code == 404


def test_facilitator_pages_render(client, world, setup):
    v, c = setup
    coding_create(version=v, start=0, end=7, code=c, coder=world.users["facilitator"])
    _login(client, world, "facilitator")
    for name, args in PAGES:
        response = client.get(reverse(name, args=["prog", *args]))
        assert response.status_code == 200, name
    page = client.get(reverse("coding:workbench", args=["prog", v.resource.pk])).content.decode()
    assert 'data-start16="0"' in page and 'data-start16="36"' in page
    assert "Interconnaissance" in page and "coding/workbench.js" in page
    matrix = client.get(reverse("coding:matrix", args=["prog"]) + "?attribute=nature")
    assert b'data-key="x"' in matrix.content
    cell = client.get(
        reverse("coding:matrix_cell", args=["prog"]) + f"?attribute=nature&code={c.pk}&value=ngo"
    )
    assert "Premier" in cell.content.decode()
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("coding:matrix", args=["prog"]) + f"?format={fmt}")
        assert export.status_code == 200 and export["Content-Disposition"].endswith(f'.{fmt}"')


def test_workbench_api_create_adjust_delete_undo(client, world, setup):
    v, c = setup
    other = code(world.programme, "y")
    _login(client, world, "facilitator")
    url = reverse("coding:codings", args=["prog", v.pk])
    start16 = TEXT.index("Second") + 0  # before the emoji: units equal code points
    body = {"start16": start16, "end16": start16 + 6, "codes": [c.pk, other.pk]}
    data = client.post(url, json.dumps(body), content_type="application/json").json()
    assert len(data["codings"]) == 2 and Coding.objects.filter(start=start16).count() == 2
    pk = data["codings"][0]["id"]
    adjust = reverse("coding:coding_adjust", args=["prog", pk])
    client.post(adjust, json.dumps({"start16": 0, "end16": 7}), content_type="application/json")
    assert Coding.objects.get(pk=pk).text == "Premier"
    client.post(reverse("coding:coding_delete", args=["prog", pk]))
    assert not Coding.objects.filter(pk=pk).exists()
    undo = reverse("coding:undo", args=["prog"])
    data = client.post(undo, json.dumps({"version": v.pk}), content_type="application/json").json()
    assert data["undone"] == "delete" and len(data["codings"]) == 2
    bad = {"start16": 5, "end16": 5, "codes": [c.pk]}
    response = client.post(url, json.dumps(bad), content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_quote_form_is_prefilled_and_saves(client, world, setup):
    v, c = setup
    coding = coding_create(version=v, start=0, end=7, code=c, coder=world.users["facilitator"])
    _login(client, world, "facilitator")
    url = reverse("coding:coding_detail", args=["prog", coding.pk])
    form = client.get(url).context["quote_form"]
    assert form.initial["organisation"] == world.lead
    client.post(
        url,
        {
            "action": "quote",
            "person_name": "Awa",
            "organisation": world.lead.pk,
            "country": "FR",
            "consent": "given",
        },
    )
    quote = Quote.objects.get()
    assert quote.attribution() == "Awa, ALPHA, France"
    client.post(url, {"action": "memo", "text": "à relire"})
    assert Coding.objects.get().memo == "à relire"


def test_codebook_editor_flow(client, world, setup):
    _v, c = setup
    _login(client, world, "facilitator")
    client.post(
        reverse("coding:code_add", args=["prog"]),
        {"name": "Nouveau", "kind": "theme", "parent": c.pk, "codable": "on"},
    )
    child = Code.objects.get(name="Nouveau")
    assert child.parent == c and child.key == "x.nouveau"
    response = client.post(reverse("coding:code_move", args=["prog", c.pk]), {"target": child.pk})
    assert Code.objects.get(pk=c.pk).parent is None  # a cycle is refused
    assert response.status_code == 302
    page = client.get(reverse("coding:code_delete", args=["prog", c.pk]))
    assert page.context["impact"].codes == [c, child] and Code.objects.count() == 2
    client.post(reverse("coding:code_delete", args=["prog", c.pk]), {"confirm": "yes"})
    assert not Code.objects.exists()


def test_codebook_export_and_import(client, world, setup):
    _login(client, world, "facilitator")
    exported = client.get(reverse("coding:codebook_export", args=["prog"])).json()
    assert [c["id"] for c in exported["codes"]] == ["x"]
    exported["codes"].append({"id": "x.z", "label": "Zed", "parent": "x", "kind": "subtheme"})
    upload = SimpleUploadedFile("c.json", json.dumps(exported).encode(), "application/json")
    client.post(reverse("coding:codebook_import", args=["prog"]), {"file": upload})
    assert Code.objects.get(key="x.z").parent.key == "x"
