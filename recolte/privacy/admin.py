from django.contrib import admin

from recolte.privacy.models import Retention


@admin.register(Retention)
class RetentionAdmin(admin.ModelAdmin):
    list_display = ["programme", "originals_months", "transcripts_months"]
