from django.apps import AppConfig


class FormationsConfig(AppConfig):
    name = "spro.referentials.formations"
    label = "formations"
    verbose_name = "Référentiels : formations initiales"
