"""The library: who sees what, filters, facet counts, pages, upload and editing."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recolte.collection.models import Resource
from recolte.collection.selectors import (
    LibraryFilters,
    filter_counts,
    library_resources,
    visible_resources,
)
from recolte.collection.services import ResourceMeta, resource_add_file, resource_create

from . import fixtures_gen as fx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def add(world, title, orgs, confidentiality="programme", **extra) -> Resource:
    meta = ResourceMeta(title=title, organisations=orgs, confidentiality=confidentiality, **extra)
    return resource_create(programme=world.programme, text=f"Texte de {title}.", meta=meta)


@pytest.fixture
def shelf(world):
    """Four resources of different confidentiality; the partner's ones hold an original file."""
    lead_note = add(
        world,
        "Note Alpha",
        [world.lead],
        instrument="interview",
        date=datetime.date(2024, 5, 2),
        pilot_id=world.pilot.pk,
    )
    partner_doc = resource_add_file(
        programme=world.programme,
        data=fx.docx_bytes(),
        filename="beta.docx",
        meta=ResourceMeta(
            title="Rapport Beta",
            organisations=[world.partner],
            instrument="workshop",
            date=datetime.date(2025, 1, 10),
        ),
    ).resource
    published = add(world, "Fiche publiée", [world.partner], "published", kind="box")
    secret = add(world, "Note interne", [world.partner], "facilitators")
    return {"lead": lead_note, "partner": partner_doc, "published": published, "secret": secret}


def titles(resources) -> set[str]:
    return {r.title for r in resources}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", {"Note Alpha", "Rapport Beta", "Fiche publiée", "Note interne"}),
        ("admin", {"Note Alpha", "Rapport Beta", "Fiche publiée", "Note interne"}),
        ("team", {"Note Alpha", "Rapport Beta", "Fiche publiée"}),
        ("contributor", {"Note Alpha", "Fiche publiée"}),
        ("reader", {"Fiche publiée"}),
    ],
)
def test_visibility_per_role(world, shelf, role, expected):
    assert titles(visible_resources(world.users[role], world.programme)) == expected


def test_contributor_never_sees_another_organisations_unpublished_resource(client, world, shelf):
    client.force_login(world.users["contributor"])
    slug, hidden = world.programme.slug, shelf["partner"]
    page = client.get(reverse("collection:library", args=[slug]))
    assert page.status_code == 200
    assert "Note Alpha" in page.text and "Rapport Beta" not in page.text
    assert client.get(hidden.get_absolute_url()).status_code == 404
    original = reverse("collection:resource_original", args=[slug, hidden.pk])
    assert client.get(original).status_code == 404
    assert client.get(shelf["published"].get_absolute_url()).status_code == 200


def test_outsider_gets_404_and_anonymous_goes_to_login(client, world, shelf):
    url = reverse("collection:library", args=[world.programme.slug])
    assert client.get(url).status_code == 302
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404


def test_filters_narrow_the_list(world, shelf):
    facilitator = world.users["facilitator"]

    def found(**params):
        f = LibraryFilters.from_query(params)
        return titles(library_resources(facilitator, world.programme, f))

    assert found(instrument="interview") == {"Note Alpha"}
    assert found(organisation=str(world.partner.pk)) == {
        "Rapport Beta",
        "Fiche publiée",
        "Note interne",
    }
    assert found(pilot=str(world.pilot.pk)) == {"Note Alpha"}
    assert found(date_from="2025-01-01") == {"Rapport Beta"}
    assert found(date_from="2024-01-01", date_to="2024-12-31") == {"Note Alpha"}
    assert found(kind="box") == {"Fiche publiée"}
    assert found(confidentiality="facilitators") == {"Note interne"}
    assert found(q="rapport") == {"Rapport Beta"}
    assert found(date_from="not-a-date", organisation="x") == titles(Resource.objects.all())


def test_filter_counts_apply_the_other_filters_and_the_policy(world, shelf):
    f = LibraryFilters.from_query({"organisation": str(world.partner.pk)})
    facets = filter_counts(world.users["facilitator"], world.programme, f)
    orgs = {v.label: (v.count, v.selected) for v in facets["organisation"]}
    assert orgs == {"BETA": (3, True), "ALPHA": (1, False)}  # own filter cleared for its counts
    assert {v.value: v.count for v in facets["instrument"]} == {"workshop": 1}
    assert {v.value: v.count for v in facets["year"]} == {"2025": 1}
    pilots = {
        v.label: v.count
        for v in filter_counts(world.users["facilitator"], world.programme, LibraryFilters())[
            "pilot"
        ]
    }
    assert pilots == {"Opération un": 1}  # the pilot's title, never its slug
    reader = filter_counts(world.users["reader"], world.programme, LibraryFilters())
    assert {v.label: v.count for v in reader["organisation"]} == {"BETA": 1}
    assert {v.value: v.count for v in reader["kind"]} == {"box": 1}


def test_library_page_shows_counts_and_htmx_returns_the_results(client, world, shelf):
    client.force_login(world.users["facilitator"])
    url = reverse("collection:library", args=[world.programme.slug])
    page = client.get(url, {"organisation": world.partner.pk})
    assert page.status_code == 200
    assert "BETA (3)" in page.text and 'id="library-results"' in page.text
    partial = client.get(url, {"instrument": "interview"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and 'hx-swap-oob="true"' in partial.text
    assert "Note Alpha" in partial.text and "Rapport Beta" not in partial.text


def test_library_is_paginated_by_fifty(client, world):
    for number in range(55):
        add(world, f"Ressource {number:02d}", [world.lead], date=datetime.date(2024, 1, 1))
    client.force_login(world.users["facilitator"])
    url = reverse("collection:library", args=[world.programme.slug])
    first = client.get(url)
    assert len(first.context["page"].object_list) == 50
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_resource_page_shows_provenance_versions_notes_and_original(client, world, shelf):
    client.force_login(world.users["facilitator"])
    resource = shelf["partner"]
    page = client.get(resource.get_absolute_url())
    assert page.status_code == 200
    assert "Préciser lesquels." in page.text  # the DOCX comment
    assert "beta.docx" in page.text and "BETA" in page.text
    download = client.get(
        reverse("collection:resource_original", args=[world.programme.slug, resource.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == resource.current.original_sha256


def test_subtitle_cues_are_shown_with_their_timestamps(client, world):
    resource = resource_add_file(
        programme=world.programme,
        data=b"WEBVTT\n\n00:01:05.000 --> 00:01:09.000\nNous avons creuse le puits.\n",
        filename="film.vtt",
        meta=ResourceMeta(title="Film"),
    ).resource
    assert resource.current.extra["cues"][0][:2] == [65000, 69000]
    client.force_login(world.users["reader"])
    resource.confidentiality = "published"
    resource.save()
    page = client.get(resource.get_absolute_url())
    assert "<time>00:01:05</time>" in page.text and "Nous avons creuse le puits." in page.text


def test_upload_stores_good_files_and_explains_bad_ones(client, world, settings):
    client.force_login(world.users["facilitator"])
    url = reverse("collection:resource_upload", args=[world.programme.slug])
    response = client.post(
        url,
        {
            "files": [
                SimpleUploadedFile("bon.txt", "Compte rendu de la visite à Kayes.".encode()),
                SimpleUploadedFile("vide.txt", b""),
                SimpleUploadedFile("faux.docx", fx.pdf_bytes([[fx.FRENCH]])),
            ],
            "kind": "document",
            "organisations": [world.lead.pk],
            "confidentiality": "programme",
        },
    )
    assert response.status_code == 200  # the form comes back with one message per bad file
    errors = response.context["form"].errors["files"]
    assert len(errors) == 2 and errors[0].startswith("vide.txt\u00a0:")  # a French page
    stored = Resource.objects.get()
    assert stored.title == "Compte rendu de la visite à Kayes."
    assert list(stored.organisations.all()) == [world.lead]


def test_upload_of_good_files_redirects(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("collection:resource_upload", args=[world.programme.slug])
    response = client.post(
        url,
        {
            "files": [SimpleUploadedFile("a.md", b"# Titre A\n\nTexte.")],
            "title": "Mon titre",
            "kind": "document",
            "confidentiality": "programme",
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert resource.title == "Mon titre"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_upload_without_a_file_says_so(client, world, language):
    client.force_login(world.users["facilitator"])
    url = reverse("collection:resource_upload", args=[world.programme.slug])
    fields = {"kind": "document", "confidentiality": "programme"}
    response = client.post(url, fields, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and not Resource.objects.exists()
    said = {"fr": "Choisissez au moins un fichier.", "en": "Choose at least one file."}
    assert response.context["form"].errors["files"] == [said[language]]
    assert said[language] in response.content.decode()
    mail = reverse("collection:mail_import", args=[world.programme.slug])
    page = client.post(mail, {"confidentiality": "programme"}, HTTP_ACCEPT_LANGUAGE=language)
    assert said[language] in page.content.decode()


def test_only_campaign_runners_may_add_or_edit(client, world, shelf):
    slug, pk = world.programme.slug, shelf["lead"].pk
    for role in ("contributor", "team", "reader"):
        client.force_login(world.users[role])
        assert client.get(reverse("collection:resource_upload", args=[slug])).status_code == 403
        assert client.get(reverse("collection:resource_edit", args=[slug, pk])).status_code == 403
        text_url = reverse("collection:resource_text_edit", args=[slug, pk])
        assert client.post(text_url, {"text": "x"}).status_code == 403
    assert shelf["lead"].versions.count() == 1


def test_text_edit_makes_a_new_version_only_when_changed(client, world, shelf):
    client.force_login(world.users["facilitator"])
    resource = shelf["lead"]
    url = reverse("collection:resource_text_edit", args=[world.programme.slug, resource.pk])
    client.post(url, {"text": "Texte de Note Alpha."})
    assert resource.versions.count() == 1
    client.post(url, {"text": "Texte corrigé."})
    assert [v.text for v in resource.versions.order_by("number")] == [
        "Texte de Note Alpha.",
        "Texte corrigé.",
    ]
    page = client.get(resource.get_absolute_url(), {"version": 1})
    assert "Texte de Note Alpha." in page.text


def test_metadata_edit_changes_provenance_not_text(client, world, shelf):
    client.force_login(world.users["facilitator"])
    resource = shelf["lead"]
    url = reverse("collection:resource_edit", args=[world.programme.slug, resource.pk])
    response = client.post(
        url,
        {
            "title": "Note Alpha révisée",
            "kind": "notes",
            "organisations": [world.lead.pk, world.partner.pk],
            "confidentiality": "published",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Note Alpha révisée" and resource.confidentiality == "published"
    assert resource.versions.count() == 1


def test_search_finds_words_of_the_text_within_what_the_role_may_see(world, shelf, monkeypatch):
    """The corpus's full-text engine answers for the text: a word only in a body finds its
    resource, never one the role may not see (its count neither)."""
    from recolte.corpus import engine
    from recolte.corpus.pipeline import process_version
    from recolte.corpus.tests.conftest import FakeEmbedder

    monkeypatch.setattr(engine, "embedder", FakeEmbedder)
    for resource in shelf.values():  # cut into passages, as the task worker does
        process_version(resource.current)

    def found(role, q):
        f = LibraryFilters.from_query({"q": q})
        user = world.users[role]
        counts = filter_counts(user, world.programme, f)["confidentiality"]
        return titles(library_resources(user, world.programme, f)), sum(c.count for c in counts)

    # "Texte de Note interne." is the facilitators-only resource's body.
    assert found("facilitator", "interne texte") == ({"Note interne"}, 1)
    assert found("contributor", "interne") == (set(), 0)
    assert found("contributor", "texte alpha") == ({"Note Alpha"}, 1)
    assert found("facilitator", "zzzintrouvable") == (set(), 0)
