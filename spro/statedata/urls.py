"""Pages of spro.statedata (pro): the State figures and their import."""

from django.urls import path

from spro.statedata import views

app_name = "statedata"

urlpatterns = [
    path("pro/donnees-etat", views.figures_page, name="figures"),
    path("pro/donnees-etat/import", views.import_page, name="import"),
]
