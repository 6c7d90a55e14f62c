from django.apps import AppConfig


class LabourConfig(AppConfig):
    name = "spro.referentials.labour"
    label = "labour"
    verbose_name = "Référentiels : marché du travail et ESCO"
