from django.apps import AppConfig

from spro.core.cache import register_warm_up


class AnswerConfig(AppConfig):
    name = "spro.answer"
    label = "answer"
    verbose_name = "Première réponse personnalisée"

    def ready(self) -> None:
        from spro.answer import checks  # noqa: F401 - registers the rules-files check

        # The first answer's in-memory indexes, built at worker start (spro/wsgi.py) so that no person waits.
        register_warm_up("spro.answer.metiers.warm")
        register_warm_up("spro.referentials.geo.resolver.get_index")
