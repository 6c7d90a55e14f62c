from django.apps import AppConfig


class AnswerConfig(AppConfig):
    name = "spro.answer"
    label = "answer"
    verbose_name = "Première réponse personnalisée"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the rules-files check
