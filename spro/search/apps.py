from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "spro.search"
    label = "search"
    verbose_name = "Recherche et pages d'information"

    def ready(self) -> None:
        from spro.referentials.signals import referentials_imported

        from .indexing import refresh_after_import

        referentials_imported.connect(refresh_after_import, dispatch_uid="spro.search.refresh_after_import")
