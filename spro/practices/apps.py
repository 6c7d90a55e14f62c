"""Bonnes pratiques et difficultés: a register where structures and networks record what works and what blocks,
reviewed by the Region before it is shared with the network (issue 19, docs/bonnes-pratiques.md)."""

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "spro.practices"
    label = "practices"
    verbose_name = "Bonnes pratiques et difficultés"
