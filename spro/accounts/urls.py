"""The professional space: `/pro/…`."""

from django.urls import path

from spro.accounts import views

urlpatterns = [
    path("pro/", views.dashboard, name="pro-dashboard"),
    path("pro/connexion", views.ProLoginView.as_view(), name="pro-login"),
    path("pro/deconnexion", views.logout_view, name="pro-logout"),
    path("pro/structures/<int:structure_id>/inviter", views.invite, name="pro-invite"),
    path("pro/structures/<int:structure_id>/fiche", views.edit_structure, name="pro-structure"),
    path(
        "pro/structures/<int:structure_id>/membres/<int:membership_id>",
        views.change_member,
        name="pro-member",
    ),
    path("pro/invitation/<str:token>", views.accept_invitation, name="pro-invitation"),
    path("pro/oidc/connexion", views.oidc_authenticate, name="pro-oidc-login"),
    path("pro/oidc/retour", views.oidc_callback, name="pro-oidc-callback"),
]
