import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="retention",
            name="originals_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: kept for good.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(1200),
                ],
                verbose_name="months to keep original files",
            ),
        ),
        migrations.AlterField(
            model_name="retention",
            name="transcripts_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Recordings and transcripts; empty: as for other originals.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(1200),
                ],
                verbose_name="months to keep the original files of transcripts",
            ),
        ),
    ]
