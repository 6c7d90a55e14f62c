"""The dropout chain (issue 17): the State's lists of young people who left school or apprenticeship without a
diploma, imported, deduplicated, assigned to a PSAD zone and a partner structure, protected (docs/decrochage.md)."""

from django.apps import AppConfig


class DropoutsConfig(AppConfig):
    name = "spro.dropouts"
    label = "dropouts"
    verbose_name = "Décrochage scolaire : listes, plateformes (PSAD) et partenaires"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from spro.dropouts import counts
        from spro.dropouts.models import YoungPerson

        # a young person saved may change a list's counts; the writers in bulk (the import) and the deletion
        # (the purge, by thousands: no signal per person) call counts.changed themselves
        post_save.connect(counts.changed, sender=YoungPerson, dispatch_uid="dropouts-counts-save")
