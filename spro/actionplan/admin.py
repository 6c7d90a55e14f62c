"""The platform admin's view of the action plans and bodies: versions and approvals are read-only (a version is
frozen, an approval is a record of who approved what)."""

from __future__ import annotations

from django.contrib import admin

from spro.actionplan.models import ActionPlan, Approval, Body, FollowUp, PlanVersion, Session


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "start_year", "end_year", "updated_at")
    list_filter = ("region",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "created_at", "published_at", "sha256")
    list_filter = ("plan__region",)
    exclude = ("snapshot",)


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ("version", "party_label", "user", "approved_at")


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "parent")
    list_filter = ("region", "kind")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("body", "date", "place")
    list_filter = ("body__region",)
    raw_id_fields = ("created_by",)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "due_date", "status", "plan")
    list_filter = ("status", "plan__region")
    raw_id_fields = ("decision", "action")
