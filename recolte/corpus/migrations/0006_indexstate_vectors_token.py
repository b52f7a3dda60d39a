"""IndexState.token is the vectors' token: named so."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("corpus", "0005_processingrun_heartbeat")]
    operations = [
        migrations.RenameField(model_name="indexstate", old_name="token", new_name="vectors_token")
    ]
