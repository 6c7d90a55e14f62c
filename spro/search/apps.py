from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "spro.search"
    label = "search"
    verbose_name = "Recherche et pages d'information"
