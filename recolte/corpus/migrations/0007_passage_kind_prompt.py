import uuid

from django.db import migrations, models

from recolte.collection.ingest.text import normalise
from recolte.corpus.split import prompt_spans


def mark_prompts(apps, schema_editor):
    """Existing responses' question passages become prompts, as the pipeline now makes them.
    Codings people made on them are kept as they are (still listed and counted): only search,
    the review queue and suggestions leave prompts out."""
    Passage = apps.get_model("corpus", "Passage")
    Question = apps.get_model("collection", "Question")
    IndexState = apps.get_model("corpus", "IndexState")
    live = Passage.objects.filter(
        resource__kind="response", resource__campaign__isnull=False, retired_in__isnull=True
    ).select_related("resource", "version")
    prompts: dict[int, list[str]] = {}
    found, programmes = [], set()
    for passage in live.iterator(chunk_size=2000):
        campaign = passage.resource.campaign_id
        if campaign not in prompts:
            rows = Question.objects.filter(campaign_id=campaign)
            texts = rows.values_list("text_fr", "text_en", "text_es")
            prompts[campaign] = sorted({normalise(t) for r in texts for t in r if t and t.strip()})
        spans = prompt_spans(passage.version.text, prompts[campaign])
        if any(a <= passage.start and passage.end <= b for a, b in spans):
            found.append(passage.pk)
            programmes.add(passage.programme_id)
    Passage.objects.filter(pk__in=found).update(kind="prompt")
    for programme_id in programmes:  # every process reloads the passages it may return
        IndexState.objects.update_or_create(
            programme_id=programme_id, defaults={"passages_token": uuid.uuid4()}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0006_indexstate_vectors_token"),
        ("collection", "0006_invitation_token_sealed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="passage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("paragraph", "paragraph"),
                    ("list", "list"),
                    ("turn", "speaker turn"),
                    ("heading", "heading"),
                    ("cue", "subtitle cue"),
                    ("prompt", "question prompt"),
                ],
                default="paragraph",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_prompts, migrations.RunPython.noop),
    ]
