"""Admin of memberships, territorial scopes and invitations (the platform admin's tools)."""

from __future__ import annotations

from django.contrib import admin

from spro.accounts.models import Invitation, Membership, Scope


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "structure", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__username", "structure__nom")
    autocomplete_fields = ("structure",)
    raw_id_fields = ("user",)


@admin.register(Scope)
class ScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "typologie", "organisation", "region", "departement")
    list_filter = ("role", "region")
    search_fields = ("user__email", "user__username", "typologie", "organisation")
    raw_id_fields = ("user",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "structure", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "structure__nom")
    readonly_fields = ("created_at", "accepted_at", "invited_by")
    raw_id_fields = ("structure",)
