from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "spro.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from spro.core import checks  # noqa: F401  (registers the system checks)
