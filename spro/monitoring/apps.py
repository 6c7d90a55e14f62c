from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """« Pilotage »: indicators declared as data, rollups kept in step with the sources, queries and exports."""

    name = "spro.monitoring"
    label = "monitoring"
    verbose_name = "Pilotage"

    def ready(self) -> None:
        # The contacts app (lower layer) announces each contact in its own transaction; the rollups follow it there.
        from spro.contacts.signals import first_contacts_recorded
        from spro.monitoring import rollups

        first_contacts_recorded.connect(rollups.on_first_contacts, dispatch_uid="monitoring-first-contacts")
