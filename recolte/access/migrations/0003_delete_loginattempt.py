# Failed logins are now recorded by django-axes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_auditevent"),
    ]

    operations = [
        migrations.DeleteModel(
            name="LoginAttempt",
        ),
    ]
