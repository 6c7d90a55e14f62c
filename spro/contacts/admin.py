"""Admin of the first-contact log (the platform admin's view; anonymous rows, no identity)."""

from __future__ import annotations

from django.contrib import admin

from spro.contacts.models import FirstContact


@admin.register(FirstContact)
class FirstContactAdmin(admin.ModelAdmin):
    list_display = ("date", "structure", "channel", "age_band", "statut", "answer_given")
    list_filter = ("channel", "age_band", "statut", "answer_given")
    search_fields = ("structure__nom",)
    date_hierarchy = "date"
    raw_id_fields = ("structure", "referred_to_structure", "commune", "recorded_by")
