"""Read-only admin of the audit log: searchable, never editable."""

from __future__ import annotations

from django.contrib import admin

from spro.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "structure")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "user__email", "user__username", "detail")
    date_hierarchy = "at"
    readonly_fields = ("at", "user", "action", "object_type", "object_id", "structure", "detail")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
