"""Invitation links become random tokens, kept hashed and sealed (encrypted).

Links issued before were an HMAC of the invitation's ids under a key that defaulted to a public
one, so anyone could compute them: they are all withdrawn here (their hash replaced by one no
token has). The next time a link is needed (campaign page, invitation, reminder) a fresh random
one is issued.
"""

import hashlib
import secrets

from django.db import migrations, models


def withdraw_derivable_links(apps, schema_editor):
    Invitation = apps.get_model("collection", "Invitation")
    for invitation in Invitation.objects.only("pk").iterator():
        unusable = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=unusable)


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0005_response_submit_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="token_sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(withdraw_derivable_links, migrations.RunPython.noop),
    ]
