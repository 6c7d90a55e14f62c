from django.urls import include, path

app_name = "accompaniment"

urlpatterns: list = [
    # The CEP's pages (levels, stages, outcomes, the Region's coordination counts) have their own module.
    path("", include("spro.accompaniment.cep_urls")),
]
