"""Pages of spro.practices (pro): the register of good practices and difficulties."""

from django.urls import path

from spro.practices import views

app_name = "practices"

urlpatterns = [
    path("pro/pratiques", views.practice_list, name="list"),
    path("pro/pratiques/nouvelle", views.practice_create, name="create"),
    path("pro/pratiques/pieces/<int:pk>", views.attachment_download, name="attachment"),
    path("pro/pratiques/<int:pk>", views.practice_detail, name="detail"),
    path("pro/pratiques/<int:pk>/modifier", views.practice_edit, name="edit"),
    path("pro/pratiques/<int:pk>/<str:action>", views.practice_action, name="action"),
]
