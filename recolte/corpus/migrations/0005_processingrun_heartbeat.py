import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("corpus", "0004_passages_token_pg_vocab")]

    # Existing runs start their lease now: one left "running" by a killed process shows as
    # interrupted once the lease runs out, and `recolte process` resumes it.
    operations = [
        migrations.AddField(
            model_name="processingrun",
            name="heartbeat_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
