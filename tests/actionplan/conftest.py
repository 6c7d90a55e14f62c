"""A small world for the action plan and bodies tests: Bretagne (53) and Normandie (28), one user per role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from spro.accounts.models import StructureRole, TerritorialRole
from spro.actionplan.models import (
    Action,
    ActionPlan,
    Axis,
    Body,
    BodyKind,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Objective,
    PartyKind,
    Pilot,
)
from tests.accounts.factories import MembershipFactory, ScopeFactory, StructureFactory, UserFactory, geography

# Every role of the permission matrix, as built by `world` (a user each; Bretagne is the plans' région).
ROLES = (
    "anonymous",
    "nobody",
    "conseiller",
    "admin_structure",
    "tete_de_reseau",
    "pilote_region",
    "pilote_region_normandie",
    "pilote_region_29",
    "pilote_etat",
    "pilote_etat_national",
    "pilote_etat_29",
    "partenaire_social",
    "partenaire_social_2",
    "partenaire_normandie",
    "membre_crefop",
    "membre_crefop_normandie",
    "platform_admin",
)


def build_users(geo: dict) -> dict:
    structure = StructureFactory(nom="Mission locale de Quimper", typologie="ML", commune=geo["29232"])
    users = {
        "anonymous": AnonymousUser(),
        "nobody": UserFactory(email="personne@example.org"),
        "conseiller": MembershipFactory(structure=structure, user__email="conseiller@example.org").user,
        "admin_structure": MembershipFactory(
            structure=structure, role=StructureRole.ADMIN_STRUCTURE, user__email="admin@example.org"
        ).user,
        "tete_de_reseau": ScopeFactory(
            role=TerritorialRole.TETE_DE_RESEAU,
            typologie="ML",
            region=geo["bzh"],
            user__email="arml@example.org",
        ).user,
        "pilote_region": ScopeFactory(
            role=TerritorialRole.PILOTE_REGION, region=geo["bzh"], user__email="spro@bretagne.example.org"
        ).user,
        "pilote_region_normandie": ScopeFactory(
            role=TerritorialRole.PILOTE_REGION, region=geo["nor"], user__email="spro@normandie.example.org"
        ).user,
        "pilote_region_29": ScopeFactory(
            role=TerritorialRole.PILOTE_REGION, departement=geo["d29"], user__email="spro29@example.org"
        ).user,
        "pilote_etat": ScopeFactory(
            role=TerritorialRole.PILOTE_ETAT, region=geo["bzh"], user__email="prefecture@example.org"
        ).user,
        "pilote_etat_national": ScopeFactory(
            role=TerritorialRole.PILOTE_ETAT, user__email="dgefp@example.org"
        ).user,
        "pilote_etat_29": ScopeFactory(
            role=TerritorialRole.PILOTE_ETAT, departement=geo["d29"], user__email="prefecture29@example.org"
        ).user,
        "partenaire_social": ScopeFactory(
            role=TerritorialRole.PARTENAIRE_SOCIAL,
            region=geo["bzh"],
            organisation="CFDT Bretagne",
            user__email="cfdt@example.org",
        ).user,
        "partenaire_social_2": ScopeFactory(
            role=TerritorialRole.PARTENAIRE_SOCIAL,
            region=geo["bzh"],
            organisation="MEDEF Bretagne",
            user__email="medef@example.org",
        ).user,
        "partenaire_normandie": ScopeFactory(
            role=TerritorialRole.PARTENAIRE_SOCIAL,
            region=geo["nor"],
            organisation="U2P Normandie",
            user__email="u2p@example.org",
        ).user,
        "membre_crefop": ScopeFactory(
            role=TerritorialRole.MEMBRE_CREFOP, region=geo["bzh"], user__email="crefop@example.org"
        ).user,
        "membre_crefop_normandie": ScopeFactory(
            role=TerritorialRole.MEMBRE_CREFOP, region=geo["nor"], user__email="crefop.nor@example.org"
        ).user,
        "platform_admin": UserFactory(email="root@example.org", is_superuser=True, is_staff=True),
    }
    assert set(users) == set(ROLES)
    return users


def build_plan(region) -> ActionPlan:
    """A plan with one axis, one objective, two actions, pilots, one indicator with targets and values."""
    plan = ActionPlan.objects.create(
        region=region, title="Plan d’action partagé du SPRO", start_year=2027, end_year=2030
    )
    axis = Axis.objects.create(plan=plan, number=1, title="Informer sur les métiers et les formations")
    objective = Objective.objects.create(axis=axis, number=1, title="Rendre l’information accessible à tous")
    first = Action.objects.create(
        objective=objective, number=1, title="Ouvrir des lieux d’information de proximité"
    )
    second = Action.objects.create(objective=objective, number=2, title="Former les conseillers du réseau")
    Pilot.objects.create(action=first, kind=PartyKind.REGION, label="Région Bretagne", lead=True)
    Pilot.objects.create(action=first, kind=PartyKind.ETAT, label="DREETS Bretagne")
    Pilot.objects.create(action=second, kind=PartyKind.RESEAU, label="Réseau des Missions locales")
    indicator = Indicator.objects.create(
        action=first,
        label="Personnes informées",
        unit="personnes",
        baseline=Decimal("1200"),
        baseline_year=2026,
    )
    IndicatorTarget.objects.create(indicator=indicator, year=2027, value=Decimal("1500"))
    IndicatorTarget.objects.create(indicator=indicator, year=2028, value=Decimal("1800.5"))
    IndicatorValue.objects.create(
        indicator=indicator, period="2027-S1", period_end=dt.date(2027, 6, 30), value=800
    )
    return plan


@pytest.fixture
def world(db):
    geo = geography()
    users = build_users(geo)
    plan = build_plan(geo["bzh"])
    crefop = Body.objects.create(region=geo["bzh"], kind=BodyKind.CREFOP, name="CREFOP Bretagne")
    commission = Body.objects.create(
        region=geo["bzh"], kind=BodyKind.COMMISSION, name="Commission orientation", parent=crefop
    )
    return {**geo, "users": users, "plan": plan, "crefop": crefop, "commission": commission}
