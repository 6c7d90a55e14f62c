"""`spro plan_action demo --region 53`: load the deterministic demo action plan (« données de démonstration »)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from spro.actionplan import demo
from spro.referentials.geo.models import Region


class Command(BaseCommand):
    help = (
        "Plan d’action partagé : charge un plan de démonstration (données de démonstration) pour une région."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["demo"], help="demo : charger le plan de démonstration")
        parser.add_argument("--region", required=True, help="code INSEE de la région, par exemple 53")

    def handle(self, *args, **options) -> None:
        region = Region.objects.filter(pk=options["region"]).first()
        if region is None:
            raise CommandError(f"Région inconnue : {options['region']!r} (importez d’abord la géographie).")
        try:
            plan = demo.load(region)
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        actions = sum(o.actions.count() for a in plan.axes.all() for o in a.objectives.all())
        self.stdout.write(
            f"{plan.title} chargé pour {region.nom} : {plan.axes.count()} axes, {actions} actions "
            f"(/pro/plan-action/{plan.pk})."
        )
