from django.apps import AppConfig


class AidesConfig(AppConfig):
    name = "spro.aides"
    label = "aides"
    verbose_name = "Catalogue des dispositifs et des aides"

    def ready(self) -> None:
        from spro.aides import checks  # noqa: F401 - registers the catalogue's system check
