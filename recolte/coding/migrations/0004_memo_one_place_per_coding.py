"""A coding's note lives in `Coding.memo` only: memos written on codings move there."""

from django.db import migrations, models


def memos_into_codings(apps, schema_editor):
    Coding = apps.get_model("coding", "Coding")
    Memo = apps.get_model("coding", "Memo")
    on_codings = Memo.objects.filter(coding__isnull=False).order_by("coding_id", "created", "pk")
    texts: dict[int, list[str]] = {}
    for memo in on_codings:
        texts.setdefault(memo.coding_id, []).append(memo.text.strip())
    for coding in Coding.objects.filter(pk__in=list(texts)):
        # Blank-line separated, the coding's own memo first, none repeated.
        parts = [coding.memo.strip(), *texts[coding.pk]]
        coding.memo = "\n\n".join(dict.fromkeys(p for p in parts if p))
        coding.save(update_fields=["memo"])
    on_codings.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coding", "0003_suggestion_model_file"),
    ]

    operations = [
        migrations.RunPython(memos_into_codings, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="memo",
            name="memo_one_target",
        ),
        migrations.RemoveField(
            model_name="memo",
            name="coding",
        ),
        migrations.AddConstraint(
            model_name="memo",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code__isnull", False), ("resource__isnull", True)),
                    models.Q(("code__isnull", True), ("resource__isnull", False)),
                    _connector="OR",
                ),
                name="memo_one_target",
            ),
        ),
    ]
