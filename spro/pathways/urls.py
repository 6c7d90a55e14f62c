"""Pages of « Mon parcours » (stable names: other apps' templates and the browser journeys use them)."""

from django.urls import path

from spro.pathways import pro_views, views

app_name = "pathways"

urlpatterns = [
    path("parcours/nouveau", views.new, name="nouveau"),
    path("parcours/garder", views.keep, name="garder"),
    path("parcours/<str:token>", views.pathway_page, name="parcours"),
    path("parcours/<str:token>/but", views.change_goal, name="modifier-but"),
    path("parcours/<str:token>/etapes", views.add_objective, name="ajouter-etape"),
    path("parcours/<str:token>/actions", views.add_action, name="ajouter-action"),
    path("parcours/<str:token>/modifier", views.change, name="modifier"),
    path("parcours/<str:token>/repondre", views.answer, name="repondre"),
    path("parcours/<str:token>/partager", views.share, name="partager"),
    path("parcours/<str:token>/retirer-partage", views.withdraw, name="retirer-partage"),
    path("parcours/<str:token>/mon-parcours.pdf", views.download_pdf, name="pdf"),
    path("parcours/<str:token>/mon-parcours.json", views.download_json, name="json"),
    path("parcours/<str:token>/rendez-vous.ics", views.download_ics, name="ics"),
    path("parcours/<str:token>/nouveau-lien", views.new_link, name="nouveau-lien"),
    path("parcours/<str:token>/supprimer", views.delete, name="supprimer"),
    path("pro/parcours", pro_views.pathway_list, name="pro-list"),
    path("pro/parcours/<str:public_id>", pro_views.pathway_detail, name="pro-detail"),
    path("pro/parcours/<str:public_id>/proposer", pro_views.propose, name="pro-proposer"),
]
