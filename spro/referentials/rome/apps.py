from django.apps import AppConfig


class RomeConfig(AppConfig):
    name = "spro.referentials.rome"
    label = "rome"
    verbose_name = "Référentiels : ROME 4.0 (métiers)"
