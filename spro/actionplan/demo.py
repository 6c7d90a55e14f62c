"""A deterministic demo action plan and CREFOP for a région, clearly labelled « données de démonstration »."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from spro.actionplan.models import (
    Action,
    ActionPlan,
    Axis,
    Body,
    BodyKind,
    Indicator,
    IndicatorTarget,
    Objective,
    PartyKind,
    Pilot,
)
from spro.referentials.geo.models import Region

DEMO = "données de démonstration"
TITLE = "Plan d’action partagé (données de démonstration)"
CREFOP = "CREFOP (données de démonstration)"
COMMISSION = "Commission orientation (données de démonstration)"

# (axis, [(objective, [(action, [(pilot kind, pilot name, lead)], [(indicator, unit, baseline, {year: target})])])])
AXES = [
    (
        "Informer sur les métiers, les formations et l’emploi",
        [
            (
                "Rendre l’information accessible à tous, près de chez soi",
                [
                    (
                        "Ouvrir des points d’information dans chaque bassin d’emploi",
                        [
                            (PartyKind.REGION, "Région", True),
                            (PartyKind.RESEAU, "Réseau Information Jeunesse", False),
                        ],
                        [("Personnes informées", "personnes", "12000", {1: "13000", 2: "14000", 3: "15000"})],
                    ),
                    (
                        "Organiser un forum des métiers par département",
                        [(PartyKind.REGION, "Région", True), (PartyKind.ETAT, "Rectorat", False)],
                        [("Forums organisés", "forums", "2", {1: "4", 2: "4", 3: "4"})],
                    ),
                ],
            )
        ],
    ),
    (
        "Accompagner les transitions professionnelles",
        [
            (
                "Faire connaître le conseil en évolution professionnelle",
                [
                    (
                        "Former les conseillers du réseau au premier accueil",
                        [
                            (PartyKind.ETAT, "DREETS", True),
                            (PartyKind.PARTENAIRE_SOCIAL, "Partenaires sociaux", False),
                        ],
                        [("Conseillers formés", "personnes", "0", {1: "150", 2: "300", 3: "450"})],
                    ),
                ],
            )
        ],
    ),
]


class DemoError(ValueError):
    pass


def load(region: Region) -> ActionPlan:
    """Create (or replace) the région's demo plan and bodies; a demo plan with versions is kept (DemoError)."""
    with transaction.atomic():
        existing = ActionPlan.objects.filter(region=region, title=TITLE).first()
        if existing is not None:
            if existing.versions.exists() or existing.follow_ups.exists():
                raise DemoError(
                    "Le plan de démonstration de cette région a déjà des versions ou des suivis : il est conservé."
                )
            existing.delete()
        start = 2027
        plan = ActionPlan.objects.create(
            region=region,
            title=TITLE,
            start_year=start,
            end_year=start + 3,
            introduction=f"Ce plan est un exemple ({DEMO}) : il ne reflète aucun engagement réel.",
        )
        for a, (axis_title, objectives) in enumerate(AXES, start=1):
            axis = Axis.objects.create(plan=plan, number=a, title=axis_title)
            for o, (objective_title, actions) in enumerate(objectives, start=1):
                objective = Objective.objects.create(axis=axis, number=o, title=objective_title)
                for n, (action_title, pilots, indicators) in enumerate(actions, start=1):
                    action = Action.objects.create(objective=objective, number=n, title=action_title)
                    for kind, name, lead in pilots:
                        label = f"{name} {region.nom}" if kind in (PartyKind.REGION, PartyKind.ETAT) else name
                        Pilot.objects.create(action=action, kind=kind, label=label, lead=lead)
                    for label, unit, baseline, targets in indicators:
                        indicator = Indicator.objects.create(
                            action=action,
                            label=label,
                            unit=unit,
                            baseline=Decimal(baseline),
                            baseline_year=start - 1,
                            source=DEMO,
                        )
                        for offset, value in targets.items():
                            IndicatorTarget.objects.create(
                                indicator=indicator, year=start + offset - 1, value=Decimal(value)
                            )
        crefop, _ = Body.objects.get_or_create(
            region=region,
            kind=BodyKind.CREFOP,
            name=CREFOP,
            defaults={"mission": f"Instance fictive ({DEMO})."},
        )
        Body.objects.get_or_create(
            region=region,
            kind=BodyKind.COMMISSION,
            name=COMMISSION,
            defaults={"parent": crefop, "mission": f"Instance fictive ({DEMO})."},
        )
    return plan
