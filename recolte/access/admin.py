from django.contrib import admin

from recolte.access.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is only ever added to, by `recolte.access.audit.record`."""

    list_display = ["at", "username", "programme", "verb", "target_type", "target_label", "ip"]
    list_filter = ["verb", "programme"]
    search_fields = ["username", "target_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
