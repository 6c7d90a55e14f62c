from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "spro.search"
    label = "search"
    verbose_name = "Recherche et pages d'information"

    def ready(self) -> None:
        from spro.referentials.signals import referentials_imported

        referentials_imported.connect(_refresh_after_import, dispatch_uid="spro.search.refresh_after_import")


def _refresh_after_import(sender, **kwargs):
    """The index builder (and numpy, through the backends) is imported when an import ends, not at every start-up:
    processes that never search (the outbox worker, LHÉO import workers) stay small."""
    from spro.search.indexing import refresh_after_import

    return refresh_after_import(sender, **kwargs)
