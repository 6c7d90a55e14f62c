"""Addresses of the accompaniment: the conseiller's pages (/pro/accompagnements) and the person's export.

URL names are stable (the browser journeys and the pathways app link to them): `pro-list`, `pro-open`,
`pro-open-referral`, `pro-detail`, `pro-action`, `person-export`.
"""

from django.urls import include, path

from spro.accompaniment import views

app_name = "accompaniment"

urlpatterns: list = [
    # The CEP's pages (levels, stages, outcomes, the Region's coordination counts) have their own module.
    path("", include("spro.accompaniment.cep_urls")),
    path("pro/accompagnements", views.accompaniment_list, name="pro-list"),
    path("pro/accompagnements/ouvrir", views.open_on_the_spot, name="pro-open"),
    path(
        "pro/accompagnements/depuis-la-demande/<str:public_id>",
        views.open_from_referral,
        name="pro-open-referral",
    ),
    path("pro/accompagnements/<str:public_id>", views.accompaniment_detail, name="pro-detail"),
    path("pro/accompagnements/<str:public_id>/<str:action>", views.accompaniment_action, name="pro-action"),
    path("accompagnements/mes-donnees/<str:token>", views.person_export, name="person-export"),
]
