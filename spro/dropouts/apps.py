"""The dropout chain (issue 17): the State's lists of young people who left school or apprenticeship without a
diploma, imported, deduplicated, assigned to a PSAD zone and a partner structure, protected (docs/decrochage.md)."""

from django.apps import AppConfig


class DropoutsConfig(AppConfig):
    name = "spro.dropouts"
    label = "dropouts"
    verbose_name = "Décrochage scolaire : listes, plateformes (PSAD) et partenaires"
