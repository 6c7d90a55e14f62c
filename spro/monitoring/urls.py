"""Pages of spro.monitoring (pro): the pilotage dashboard and the exports of its tables."""

from django.urls import path

from spro.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("pro/pilotage/", views.dashboard_page, name="dashboard"),
    path("pro/pilotage/export/<slug:key>.<str:fmt>", views.export, name="export"),
]
