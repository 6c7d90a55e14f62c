"""The dropout indicators' addresses (included by spro/urls.py; the lists' own pages are in spro/dropouts/urls.py)."""

from django.urls import path

from spro.dropouts import indicator_views

app_name = "dropout_indicators"

urlpatterns: list = [
    path("pro/decrochage/indicateurs/", indicator_views.indicators_page, name="page"),
    path("pro/decrochage/indicateurs/indicateurs.csv", indicator_views.indicators_csv, name="csv"),
    path("pro/decrochage/indicateurs/indicateurs.ods", indicator_views.indicators_ods, name="ods"),
]
