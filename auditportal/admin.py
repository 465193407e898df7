from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be changed or deleted through the app."""

    list_display = ("at", "actor_label", "kind", "verb", "target_type", "target_repr")
    list_filter = ("kind", "target_type")
    search_fields = ("actor_label", "verb", "target_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
