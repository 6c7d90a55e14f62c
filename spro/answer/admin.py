"""Read-only admin of the anonymous answer statistics (rows are written by the page and the API only)."""

from django.contrib import admin

from spro.answer.models import AnswerStat


@admin.register(AnswerStat)
class AnswerStatAdmin(admin.ModelAdmin):
    list_display = ("date", "channel", "age_band", "statut", "departement", "besoins", "typologies")
    list_filter = ("channel", "age_band", "statut", "date")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
