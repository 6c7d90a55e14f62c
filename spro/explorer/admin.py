"""Read-only admin of the anonymous daily count of completed interest questionnaires (written by the page only)."""

from django.contrib import admin
from django.http import HttpRequest

from spro.explorer.models import DailyCount


@admin.register(DailyCount)
class DailyCountAdmin(admin.ModelAdmin):
    list_display = ("date", "questionnaires")
    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
