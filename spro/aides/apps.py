from django.apps import AppConfig


class AidesConfig(AppConfig):
    name = "spro.aides"
    label = "aides"
    verbose_name = "Catalogue des dispositifs et des aides"
