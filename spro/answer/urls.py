"""The first personalised answer's pages (docs/contracts.md): `/question`, its summary download, the pilots' counts."""

from django.urls import path

from spro.answer import views

app_name = "answer"

urlpatterns = [
    path("question", views.question, name="question"),
    path("question/reponse", views.reponse, name="reponse"),
    path("question/resume", views.summary, name="summary"),
    path("pro/reponses", views.statistics, name="statistics"),
]
