"""Public pages of the directory."""

from django.urls import path

from . import views

urlpatterns = [
    path("structures", views.structures, name="structures"),
    path("structures/<path:structure_id>", views.structure, name="structure"),
]
