from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ImportedModelAdmin):
    list_display = ("dataset", "started_at", "status", "warning_count", "seconds")
    list_filter = ("dataset", "status")
