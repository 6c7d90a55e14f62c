from django.apps import AppConfig

from spro.core.cache import register_warm_up


class ExplorerConfig(AppConfig):
    name = "spro.explorer"
    label = "explorer"
    verbose_name = "Explorer les métiers par centres d’intérêt"

    def ready(self) -> None:
        from spro.explorer import checks  # noqa: F401 - registers the questionnaire check

        register_warm_up("spro.explorer.referential.warm")
