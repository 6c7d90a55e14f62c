from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "spro.directory"
    label = "directory"
    verbose_name = "Annuaire des structures et services"
