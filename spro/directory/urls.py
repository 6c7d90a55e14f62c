"""Public pages of the directory."""

from django.urls import path

from spro.directory import views

urlpatterns = [
    path("structures", views.structures, name="structures"),
    path("structures/<path:structure_id>", views.structure, name="structure"),
]
