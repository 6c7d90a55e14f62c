from django.urls import path

from spro.explorer import views

app_name = "explorer"

urlpatterns = [
    path("explorer", views.questionnaire, name="questionnaire"),
    path("explorer/resultats", views.resultats, name="resultats"),
    path("explorer/resume", views.resume, name="resume"),
]
