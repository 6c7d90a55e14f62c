"""The CEP's addresses (included by spro/accompaniment/urls.py, namespace `accompaniment`)."""

from django.urls import path

from spro.accompaniment import cep_views

urlpatterns: list = [
    path("conseil-en-evolution-professionnelle", cep_views.cep_operator, name="cep-operateur"),
    path("pro/cep/coordination", cep_views.coordination, name="cep-coordination"),
    path("pro/cep/coordination.csv", cep_views.coordination_csv, name="cep-coordination-csv"),
]
