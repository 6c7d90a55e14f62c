from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "spro.api"
    label = "api"
    verbose_name = "API publique"
