from django.apps import AppConfig


class ReferentialsConfig(AppConfig):
    name = "spro.referentials"
    label = "referentials"
    verbose_name = "Référentiels : imports"
