"""Who may do what with the shared action plan and the bodies (CREFOP), on top of `spro.accounts.permissions`.

Every right is held over one région (the plan's, the body's), through a région-wide scope: a département scope
gives none. The platform admin reads everything but edits, approves and publishes nothing (it represents no party).

| right | pilote Région | pilote État | partenaire social | membre CREFOP | others |
|---|---|---|---|---|---|
| read the working plan and its versions | ✔ | ✔ | ✔ | – (published version only, public) | – (public) |
| edit the plan, record a version, publish | ✔ | – | – | – | – |
| approve a version | – | ✔ (for the State) | ✔ (for its organisation) | – | – |
| read bodies, sessions, documents, decisions, follow-ups | ✔ | ✔ | ✔ | ✔ | – |
| record sessions, documents, attendance, decisions, follow-ups | ✔ | ✔ | – | – | – |
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from spro.accounts.models import TerritorialRole
from spro.accounts.permissions import (
    holds_role_in_region,
    is_platform_admin,
    organisation_represented,
    regions_with_role,
)
from spro.actionplan.models import ActionPlan, Body, PartyKind
from spro.referentials.geo.models import Region

PILOTE_REGION = TerritorialRole.PILOTE_REGION.value
PILOTE_ETAT = TerritorialRole.PILOTE_ETAT.value
PARTENAIRE_SOCIAL = TerritorialRole.PARTENAIRE_SOCIAL.value
MEMBRE_CREFOP = TerritorialRole.MEMBRE_CREFOP.value

PLAN_READERS = (PILOTE_REGION, PILOTE_ETAT, PARTENAIRE_SOCIAL)
PLAN_EDITORS = (PILOTE_REGION,)
BODY_READERS = (PILOTE_REGION, PILOTE_ETAT, PARTENAIRE_SOCIAL, MEMBRE_CREFOP)
BODY_EDITORS = (PILOTE_REGION, PILOTE_ETAT)


@dataclass(frozen=True)
class Party:
    """A party on whose behalf a user approves: its kind and its name (« État », « CFDT Bretagne »)."""

    kind: str
    label: str


STATE = Party(PartyKind.ETAT.value, "État")


def _region_code(region: Region | str) -> str:
    return region.pk if isinstance(region, Region) else region


def plan_regions(user) -> QuerySet[Region]:
    """The régions whose working plan and versions the user reads."""
    if is_platform_admin(user):
        return Region.objects.all()
    return regions_with_role(user, *PLAN_READERS)


def visible_plans(user) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(region__in=plan_regions(user)).select_related("region")


def can_read_plan(user, plan: ActionPlan) -> bool:
    return is_platform_admin(user) or holds_role_in_region(user, plan.region_id, *PLAN_READERS)


def can_edit_plan(user, plan: ActionPlan) -> bool:
    """Edit the working plan, record a version, publish a version: the Region's SPRO team (pilote Région)."""
    return can_create_plan(user, plan.region_id)


def can_create_plan(user, region: Region | str) -> bool:
    return holds_role_in_region(user, _region_code(region), *PLAN_EDITORS)


def editable_regions(user) -> QuerySet[Region]:
    return regions_with_role(user, *PLAN_EDITORS)


def approval_parties(user, plan: ActionPlan) -> list[Party]:
    """The parties the user may approve a version of `plan` for: the State (a State pilot of the région or of the
    whole country), a social partner's organisation (its scope over the région)."""
    parties = []
    if holds_role_in_region(user, plan.region_id, PILOTE_ETAT):
        parties.append(STATE)
    if holds_role_in_region(user, plan.region_id, PARTENAIRE_SOCIAL):
        organisation = organisation_represented(user, plan.region_id, PARTENAIRE_SOCIAL)
        if organisation:
            parties.append(Party(PartyKind.PARTENAIRE_SOCIAL.value, organisation))
    return parties


def can_approve(user, plan: ActionPlan) -> bool:
    return bool(approval_parties(user, plan))


def body_regions(user) -> QuerySet[Region]:
    if is_platform_admin(user):
        return Region.objects.all()
    return regions_with_role(user, *BODY_READERS)


def visible_bodies(user) -> QuerySet[Body]:
    return Body.objects.filter(region__in=body_regions(user)).select_related("region", "parent")


def can_read_bodies(user, region: Region | str) -> bool:
    """Read the bodies of the région: their sessions, documents, attendance, decisions and follow-ups."""
    return is_platform_admin(user) or holds_role_in_region(user, _region_code(region), *BODY_READERS)


def can_edit_bodies(user, region: Region | str) -> bool:
    """Record the bodies' sessions, documents, attendance, decisions and follow-ups: the Region's and the State's
    pilots of the région (the CREFOP is co-chaired by the Region and the State)."""
    return holds_role_in_region(user, _region_code(region), *BODY_EDITORS)


def body_editable_regions(user) -> QuerySet[Region]:
    return regions_with_role(user, *BODY_EDITORS)
