"""Pages of the events app: the public agenda and news with their feeds, and the professional space's events,
working groups and publications (docs/evenements.md)."""

from django.urls import path

from spro.events import feeds, pro_views, views

app_name = "events"

urlpatterns = [
    path("agenda", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("agenda/atom", feeds.AgendaFeed(), name="agenda-atom"),
    path("agenda/<int:pk>", views.rendez_vous, name="rendez-vous"),
    path("agenda/<int:pk>.ics", views.rendez_vous_ics, name="rendez-vous-ics"),
    path("actualites", views.actualites, name="actualites"),
    path("actualites/atom", feeds.NewsFeed(), name="actualites-atom"),
    path("actualites/<int:pk>", views.actualite, name="actualite"),
    path("pro/evenements", pro_views.event_list, name="pro-events"),
    path("pro/evenements/nouveau", pro_views.event_new, name="pro-event-new"),
    path("pro/evenements/<int:pk>", pro_views.event_detail, name="pro-event"),
    path("pro/evenements/<int:pk>/modifier", pro_views.event_edit, name="pro-event-edit"),
    path("pro/evenements/<int:pk>/inscription", pro_views.event_register, name="pro-event-register"),
    path("pro/evenements/<int:pk>/annulation", pro_views.event_cancel, name="pro-event-cancel"),
    path("pro/evenements/<int:pk>/presences", pro_views.event_attendance, name="pro-event-attendance"),
    path("pro/evenements/<int:pk>/annuler", pro_views.event_cancel_all, name="pro-event-cancel-all"),
    path("pro/evenements/<int:pk>/invitation.ics", pro_views.event_ics, name="pro-event-ics"),
    path("pro/groupes", pro_views.group_list, name="pro-groups"),
    path("pro/groupes/nouveau", pro_views.group_new, name="pro-group-new"),
    path("pro/groupes/<int:pk>", pro_views.group_detail, name="pro-group"),
    path("pro/groupes/<int:pk>/membres", pro_views.group_member_add, name="pro-group-member-add"),
    path(
        "pro/groupes/<int:pk>/membres/retirer", pro_views.group_member_remove, name="pro-group-member-remove"
    ),
    path("pro/groupes/<int:pk>/reunions", pro_views.group_meeting_add, name="pro-group-meeting-add"),
    path(
        "pro/groupes/<int:pk>/reunions/<int:reunion_pk>.ics",
        pro_views.group_meeting_ics,
        name="pro-group-meeting-ics",
    ),
    path("pro/groupes/<int:pk>/documents", pro_views.group_document_add, name="pro-group-document-add"),
    path(
        "pro/groupes/<int:pk>/documents/<int:document_pk>",
        pro_views.group_document,
        name="pro-group-document",
    ),
    path("pro/publications", pro_views.publications, name="pro-publications"),
    path("pro/publications/nouvelle/<str:kind>", pro_views.publication_new, name="pro-publication-new"),
    path(
        "pro/publications/<str:kind>/<int:pk>/relecture",
        pro_views.publication_moderate,
        name="pro-publication-moderate",
    ),
]
