"""The yearly report's address (included by spro/urls.py; kept apart from the pilotage dashboards' urls)."""

from django.urls import path

from spro.monitoring import report_views

app_name = "monitoring_report"

urlpatterns: list = [
    path("pro/pilotage/rapport/", report_views.report_page, name="page"),
]
