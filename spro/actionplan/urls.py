"""Pages of the shared action plan (`/pro/plan-action`, public `/plan-action/<région>`) and of the bodies
(`/pro/instances`, `/pro/suivi-decisions`)."""

from django.urls import path

from spro.actionplan import body_views, views

app_name = "actionplan"

urlpatterns = [
    path("pro/plan-action", views.plan_list, name="plans"),
    path("pro/plan-action/<int:plan_id>", views.plan_detail, name="plan"),
    path("pro/plan-action/<int:plan_id>/modifier", views.plan_edit, name="plan-edit"),
    path("pro/plan-action/<int:plan_id>/versions", views.versions, name="versions"),
    path("pro/plan-action/<int:plan_id>/avancement/<int:pk>", views.progress, name="progress"),
    path("pro/plan-action/<int:plan_id>/<str:kind>/ajouter/<int:parent_id>", views.item_add, name="item-add"),
    path("pro/plan-action/<int:plan_id>/<str:kind>/<int:pk>", views.item_edit, name="item-edit"),
    path("pro/plan-action/versions/<int:version_id>", views.version_detail, name="version"),
    path("pro/plan-action/versions/<int:version_id>/approuver", views.approve, name="approve"),
    path("pro/plan-action/versions/<int:version_id>/publier", views.publish, name="publish"),
    path(
        "pro/plan-action/versions/<int:version_id>/<str:name>",
        views.version_download,
        name="version-download",
    ),
    path("plan-action/<str:region_code>", views.public_plan, name="public"),
    path("plan-action/<str:region_code>/<str:name>", views.public_download, name="public-download"),
    path("pro/instances", body_views.body_list, name="bodies"),
    path("pro/instances/<int:body_id>", body_views.body_detail, name="body"),
    path("pro/instances/seances/<int:session_id>", body_views.session_detail, name="session"),
    path(
        "pro/instances/seances/<int:session_id>/documents",
        body_views.session_document,
        name="session-document",
    ),
    path(
        "pro/instances/seances/<int:session_id>/presences",
        body_views.session_attendance,
        name="session-attendance",
    ),
    path(
        "pro/instances/seances/<int:session_id>/decisions",
        body_views.session_decision,
        name="session-decision",
    ),
    path(
        "pro/instances/seances/<int:session_id>/decisions/<int:decision_id>/suivi",
        body_views.decision_follow_up,
        name="decision-follow-up",
    ),
    path("pro/instances/documents/<int:document_id>", body_views.document_download, name="document"),
    path("pro/suivi-decisions", body_views.follow_ups, name="follow-ups"),
    path("pro/suivi-decisions/<int:follow_up_id>", body_views.follow_up_status, name="follow-up-status"),
]
