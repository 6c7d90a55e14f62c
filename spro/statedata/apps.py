"""Données de l'État: the State services' activity figures (CIO, France Travail, Cap emploi, Missions locales),
imported from CSV files and shown beside the Region's indicators (issue 19, docs/donnees-etat.md)."""

from django.apps import AppConfig


class StateDataConfig(AppConfig):
    name = "spro.statedata"
    label = "statedata"
    verbose_name = "Données de l’État : activité des services"
