"""A pathway the person owns (notebook → focus → objective → action), behind a private link; shared with a structure
with consent, co-edited, every change logged (issue 16)."""

from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "spro.pathways"
    label = "pathways"
    verbose_name = "Mon parcours : le parcours que la personne garde (carnet, axes, objectifs, actions)"
