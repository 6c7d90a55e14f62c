"""Working groups and professionalisation events of the network (registrations, waiting list, attendance), and the
public news and agenda (forums, salons, open days) with Atom and ICS feeds (issue 18)."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "spro.events"
    label = "events"
    verbose_name = "Groupes de travail, événements, actualités et agenda"

    def ready(self) -> None:
        from spro.core.home import register_home_section

        # « Prochains rendez-vous » on the home page, shown only when a published entry is upcoming.
        register_home_section("events/_home.html", "spro.events.public.home_context")
