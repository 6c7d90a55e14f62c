"""Addresses of the dropout chain's professional pages (/pro/decrochage). URL names are stable (the browser journey
links to them). The indicators have their own module under /pro/decrochage/indicateurs/."""

from django.urls import path

from spro.dropouts import views

app_name = "dropouts"

urlpatterns: list = [
    path("pro/decrochage", views.young_people_list, name="list"),
    path("pro/decrochage/importer", views.import_list, name="import"),
    path("pro/decrochage/export.<str:fmt>", views.export, name="export"),
    path("pro/decrochage/jeunes/<int:pk>", views.record, name="record"),
    path("pro/decrochage/suivis", views.follow_ups, name="follow-ups"),
    path("pro/decrochage/jeunes/<int:pk>/affecter", views.assign, name="assign"),
    path("pro/decrochage/jeunes/<int:pk>/suivi/<int:follow_up_id>", views.follow_up_action, name="follow-up"),
    path("pro/decrochage/jeunes/<int:pk>/retour/<int:request_id>", views.return_step, name="return-step"),
    path(
        "pro/decrochage/jeunes/<int:pk>/solution/<int:solution_id>/fin",
        views.end_solution,
        name="end-solution",
    ),
    path("pro/decrochage/jeunes/<int:pk>/accompagnement", views.link_accompaniment, name="accompaniment"),
    path("pro/decrochage/jeunes/<int:pk>/<str:action>", views.chain_action, name="chain"),
]
