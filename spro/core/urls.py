from django.urls import path

from spro.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("mentions-legales/", views.legal_page, {"page": "mentions-legales"}, name="mentions-legales"),
    path("accessibilite/", views.legal_page, {"page": "accessibilite"}, name="accessibilite"),
    path(
        "donnees-personnelles/",
        views.legal_page,
        {"page": "donnees-personnelles"},
        name="donnees-personnelles",
    ),
    path("plan-du-site/", views.legal_page, {"page": "plan-du-site"}, name="plan-du-site"),
]
urlpatterns.append(path("theme/brand.css", views.brand_css, name="brand-css"))
