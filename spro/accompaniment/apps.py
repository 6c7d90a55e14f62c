"""Accompaniment of a person by a structure: pathway, appointments, confidential notes, schemes mobilised, outcome,
hand-over, retention; the CEP's levels, stages and outcomes and the Region's coordination counts (issue 16)."""

from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "spro.accompaniment"
    label = "accompaniment"
    verbose_name = "Accompagnements et conseil en évolution professionnelle (CEP)"
