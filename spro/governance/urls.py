"""Pages of spro.governance: conventions and the charter (pro), the network (public /reseau) and its open data."""

from django.urls import path

from spro.governance import views

app_name = "governance"

urlpatterns = [
    path("pro/conventions", views.convention_list, name="conventions"),
    path("pro/conventions/nouvelle", views.convention_create, name="convention-create"),
    path("pro/conventions/calendrier.ics", views.calendar_feed, name="calendar"),
    path("pro/conventions/calendrier/adresse", views.calendar_feed_token, name="calendar-token"),
    path("conventions/calendrier/<str:token>.ics", views.calendar_feed_private, name="calendar-private"),
    path("pro/conventions/textes/<int:pk>", views.document_download, name="document"),
    path("pro/conventions/<int:pk>", views.convention_detail, name="convention"),
    path("pro/conventions/<int:pk>/modifier", views.convention_edit, name="convention-edit"),
    path("pro/conventions/<int:pk>/<str:action>", views.convention_action, name="convention-action"),
    path("pro/reseau/charte", views.charter_overview, name="charter"),
    path("pro/reseau/charte/signer/<int:member_pk>", views.charter_sign, name="charter-sign"),
    path("pro/reseau/charte/<str:action>", views.charter_action, name="charter-action"),
    path("reseau", views.reseau, name="reseau"),
    path("reseau.csv", views.reseau_csv, name="reseau-csv"),
    path("reseau.json", views.reseau_json, name="reseau-json"),
    path("reseau/charte/<int:version>/document", views.charter_document, name="charter-document"),
]
