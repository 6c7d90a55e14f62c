from django.urls import path

from spro.referentials import views

urlpatterns = [
    path("sources-des-donnees/", views.data_sources, name="data-sources"),
]
