"""« Avis des usagers » (issue 19, § 4): the anonymous satisfaction question and the outcome follow-up at 3 and 6
months, stored in plain tables that the indicators count (docs/avis.md)."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "spro.feedback"
    label = "feedback"
    verbose_name = "Avis des usagers : satisfaction et suivi à 3 et 6 mois"
