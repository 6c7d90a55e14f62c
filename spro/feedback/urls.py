"""Pages of the users' view (docs/avis.md)."""

from django.urls import path

from spro.feedback import views

app_name = "feedback"

urlpatterns = [
    path("avis/satisfaction", views.satisfaction_answer, name="satisfaction"),
    path("avis/suivi/<str:token>/accord", views.consent, name="accord"),
    path("avis/suivi/<str:token>/retrait", views.withdraw, name="retrait"),
    path("avis/ou-en-etes-vous/<str:key>", views.situation, name="situation"),
]
