"""Analysis texts: versions, history with diffs, stale saves refused; publication flags."""

import pytest
from django.urls import reverse
from django.utils import translation

from recolte.access import audit
from recolte.access.models import AuditEvent
from recolte.collection.models import Campaign
from recolte.synthesis import publication
from recolte.synthesis.models import NodeTextRevision, Publication
from recolte.synthesis.services import (
    StaleEdit,
    history,
    save_campaign_text,
    save_node_text,
)

from .helpers import campaign_with_responses, codebook


def test_two_editors_never_overwrite_each_other(world):
    code = codebook(world.programme)["theme"]
    alice, bob = world.users["facilitator"], world.users["admin"]
    node = save_node_text(code=code, text="Premier jet.", base_version=0, user=alice)
    assert node.version == 1
    save_node_text(code=code, text="Premier jet.\nAjout d’Alice.", base_version=1, user=alice)
    with pytest.raises(StaleEdit) as stale:
        save_node_text(code=code, text="Version de Bob.", base_version=1, user=bob)
    assert stale.value.current_text == "Premier jet.\nAjout d’Alice."
    assert stale.value.current_version == 2 and stale.value.mine == "Version de Bob."
    node.refresh_from_db()
    assert node.text == "Premier jet.\nAjout d’Alice." and node.updated_by == alice
    revisions = history(node)
    assert [r.version for r, _d in revisions] == [2, 1]
    assert revisions[0][1] == [(" ", "Premier jet."), ("+", "Ajout d’Alice.")]
    assert NodeTextRevision.objects.count() == 2


def test_campaign_texts_lock_and_publish(world):
    campaign = campaign_with_responses(world, codebook(world.programme)["theme"])
    user = world.users["facilitator"]
    synthesis = save_campaign_text(
        campaign=campaign, key="a1.s11.eau", text="Les puits.", base_version=0, user=user
    )
    save_campaign_text(campaign=campaign, key="", text="Vue d’ensemble.", base_version=1, user=user)
    with pytest.raises(StaleEdit):
        save_campaign_text(campaign=campaign, key="a1.s11.eau", text="x", base_version=1, user=user)
    synthesis.refresh_from_db()
    assert synthesis.node_texts == {"a1.s11.eau": "Les puits."}
    assert synthesis.text == "Vue d’ensemble."
    publication.publish(synthesis, by=user)
    assert synthesis.is_published and synthesis.published_at is not None
    assert publication.unpublish(synthesis)
    assert not synthesis.is_published and synthesis.published_at is None


def test_an_empty_synthesis_is_refused_and_nothing_is_published(world, client):
    # Nothing coded, nothing written: the public page would say it has no content.
    campaign = Campaign.objects.create(
        programme=world.programme, title="Carnet vide", instrument="field_logbook"
    )
    synthesis = publication.synthesis_of(campaign)
    with translation.override("en"), pytest.raises(publication.NothingToPublish, match="nothing"):
        publication.publish(synthesis, by=None)
    synthesis.refresh_from_db()
    assert not synthesis.is_published and not Publication.objects.exists()

    client.force_login(world.users["facilitator"])
    url = reverse("synthesis:campaign_publish", args=["prog", campaign.pk])
    page = client.post(
        url, {"publish": "1"}, follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "rien à publier" in page and 'class="msg-error"' in page
    assert not AuditEvent.objects.filter(verb=audit.Verb.PUBLISH).exists()

    # One written line is enough: the page then has something a reader came for.
    user = world.users["facilitator"]
    save_campaign_text(campaign=campaign, key="", text="Vue d’ensemble.", base_version=0, user=user)
    synthesis.refresh_from_db()
    assert publication.publish(synthesis, by=None).content["overall"] == "Vue d’ensemble."
