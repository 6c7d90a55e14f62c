"""Root URLs: each app contributes its own module."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("spro.api.urls")),
    path("", include("spro.search.urls")),
    path("", include("spro.answer.urls")),
    path("", include("spro.explorer.urls")),
    path("", include("spro.aides.urls")),
    path("", include("spro.pathways.urls")),
    path("", include("spro.accompaniment.urls")),
    path("", include("spro.dropouts.urls")),
    path("", include("spro.governance.urls")),
    path("", include("spro.statedata.urls")),
    path("", include("spro.monitoring.urls")),
    path("", include("spro.practices.urls")),
    path("", include("spro.actionplan.urls")),
    path("", include("spro.events.urls")),
    path("", include("spro.dropouts.indicator_urls")),
    path("", include("spro.feedback.urls")),
    path("", include("spro.monitoring.report_urls")),
    path("", include("spro.referrals.urls")),  # before the directory: /structures/<id>/etre-contacte
    path("", include("spro.directory.urls")),
    path("", include("spro.accounts.urls")),
    path("", include("spro.contacts.urls")),
    path("", include("spro.referentials.urls")),
    path("", include("spro.core.urls")),
]
