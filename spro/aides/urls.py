from django.urls import path

from spro.aides import views

app_name = "aides"

urlpatterns = [
    path("aides", views.aides, name="aides"),
]
