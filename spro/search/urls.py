"""Public information pages (paths in docs/contracts.md#pages)."""

from django.urls import path

from spro.search import views, views_parcours

urlpatterns = [
    path("recherche", views.search, name="search"),
    path("metiers/<str:code_rome>", views.metier, name="metier"),
    path("metiers/<str:code_rome>/parcours", views_parcours.parcours, name="metier-parcours"),
    path("formations/<path:formation_id>", views.formation, name="formation"),
    path("certifications/<str:certification_id>", views.certification, name="certification"),
    path("domaines/", views.domaines, name="domaines"),
    path("domaines/<str:code>", views.domaine, name="domaine"),
    path("centres-interet/", views.centres_interet, name="centres-interet"),
    path("centres-interet/<str:code>", views.centre_interet, name="centre-interet"),
    path("territoires/regions/<str:code>", views.region, name="region"),
    path("territoires/departements/<str:code>", views.departement, name="departement"),
]
