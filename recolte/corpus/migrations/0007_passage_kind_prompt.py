import re
import unicodedata
import uuid

from django.db import migrations, models

# The text rules as they were when this migration was written (migrations never import the
# live code, which may change): collection.ingest.text.normalise and corpus.split.prompt_spans.
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f\ufeff]")
_TRAILING = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_BLANKS = re.compile(r"\n{3,}")


def normalise(text):
    text = _CONTROLS.sub("", _NEWLINES.sub("\n", text))
    text = _TRAILING.sub("", unicodedata.normalize("NFC", text))
    return _BLANKS.sub("\n\n", text).strip("\n")


def prompt_spans(text, prompts):
    spans = []
    for prompt in prompts:
        at = text.find(prompt)
        while at >= 0:
            end = at + len(prompt)
            starts_block = at == 0 or text.startswith("\n\n", at - 2)
            if starts_block and (end == len(text) or text.startswith("\n\n", end)):
                spans.append((at, end))
            at = text.find(prompt, at + 1)
    return spans


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
