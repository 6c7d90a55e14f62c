"""Accompaniment of a person by a structure: pathway, appointments, confidential notes, schemes mobilised, outcome,
hand-over, retention; the CEP's levels, stages and outcomes and the Region's coordination counts (issue 16)."""

from django.apps import AppConfig


def _pathway_deleted(sender, instance, **kwargs) -> None:
    """The person deleted their pathway: its accompaniments are closed and anonymised first (services.py)."""
    from spro.accompaniment import services

    services.on_pathway_deleted(instance)


class AccompanimentConfig(AppConfig):
    name = "spro.accompaniment"
    label = "accompaniment"
    verbose_name = "Accompagnements et conseil en évolution professionnelle (CEP)"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from spro.pathways.models import Pathway

        pre_delete.connect(_pathway_deleted, sender=Pathway, dispatch_uid="accompaniment.pathway_deleted")
