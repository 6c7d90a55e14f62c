"""Pages of the referral: the person's (consent, form, follow-up link) and the conseiller's (/pro/orientations).

Included in spro/urls.py *before* the directory, whose `structures/<path:…>` would otherwise take
`/structures/<id>/etre-contacte`.
"""

from django.urls import path

from spro.referrals import pro_views, public_views

app_name = "referrals"

urlpatterns = [
    path("structures/<path:structure_id>/etre-contacte", public_views.contact, name="etre-contacte"),
    path("suivi/<str:token>", public_views.follow, name="suivi"),
    path("suivi/<str:token>/retirer", public_views.withdraw, name="suivi-retirer"),
    path("suivi/<str:token>/supprimer", public_views.delete, name="suivi-supprimer"),
    path("suivi/<str:token>/rendez-vous", public_views.appointment, name="suivi-rendez-vous"),
    path("pro/orientations", pro_views.referral_list, name="pro-list"),
    path("pro/orientations/statistiques", pro_views.statistics, name="pro-stats"),
    path("pro/orientations/<str:public_id>", pro_views.referral_detail, name="pro-detail"),
    path(
        "pro/orientations/<str:public_id>/<str:action>",
        pro_views.referral_action,
        name="pro-action",
    ),
]
