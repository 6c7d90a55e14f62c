"""Root URLs: each app contributes its own module."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("spro.referentials.urls")),
    path("", include("spro.core.urls")),
]
