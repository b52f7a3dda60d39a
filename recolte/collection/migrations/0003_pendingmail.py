import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0001_initial'),
        ('registry', '0002_load_countries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PendingMail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('instrument', models.CharField(blank=True, max_length=20)),
                ('confidentiality', models.CharField(choices=[('facilitators', 'facilitators only'), ('programme', 'programme'), ('published', 'published')], default='programme', max_length=12)),
                ('sender', models.CharField(blank=True, max_length=300, verbose_name='sender')),
                ('subject', models.CharField(blank=True, max_length=300, verbose_name='subject')),
                ('sent', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('body', models.TextField(blank=True, verbose_name='message')),
                ('filename', models.CharField(max_length=255)),
                ('raw', models.BinaryField()),
                ('sha256', models.CharField(db_index=True, max_length=64)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('campaign', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='collection.campaign')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.programme')),
            ],
            options={
                'verbose_name': 'unmatched e-mail',
                'verbose_name_plural': 'unmatched e-mails',
                'ordering': ['created', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('programme', 'sha256'), name='pendingmail_unique')],
            },
        ),
    ]
