"""Retire the orphan resources that concurrent submits of one response left behind.

Two simultaneous submits each created a resource; the response kept the last one linked
(`Response.resource` is one-to-one, so a response never points at two), the other stayed an
orphan that still got passages, search hits and codings. Submitting now locks the response row
and links only if no resource is linked yet, so no new orphan can appear.

Orphans are kept, not deleted, since codings may hang on them: each is detached from its
campaign (so tracking no longer counts it), made facilitators-only (so it leaves every search but
theirs) and its title says why, for a facilitator to review, merge by hand or delete.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _


def retire_orphans(apps, schema_editor):
    Resource = apps.get_model("collection", "Resource")
    Response = apps.get_model("collection", "Response")
    answered = Response.objects.filter(
        campaign_id=OuterRef("campaign_id"),
        organisation__resources=OuterRef("pk"),
        resource__isnull=False,
    )
    orphans = Resource.objects.filter(
        kind="response", campaign__isnull=False, response__isnull=True
    ).filter(Exists(answered))
    for resource in orphans.distinct():
        # In the instance's language (LANGUAGE_CODE) as `migrate` runs: facilitators read it.
        resource.title = (
            _("[Duplicate submission, retired] %(title)s") % {"title": resource.title}
        )[:300]
        resource.campaign_id = None
        resource.confidentiality = "facilitators"
        resource.save(update_fields=["title", "campaign", "confidentiality"])


class Migration(migrations.Migration):
    dependencies = [("collection", "0004_resource_confidentiality_index")]

    operations = [migrations.RunPython(retire_orphans, migrations.RunPython.noop)]
