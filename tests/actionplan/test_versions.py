"""Versions are frozen copies; approvals are recorded once per party and version; publication needs the State."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from spro.actionplan import access, exports, plans
from spro.actionplan.models import Action, ActionPlan, Approval, Axis, IndicatorTarget, PartyKind, PlanVersion
from spro.audit.models import AuditEvent


def test_a_version_freezes_the_whole_plan_and_numbers_follow(world):
    plan, lead = world["plan"], world["users"]["pilote_region"]
    first = plans.record_version(plan, lead, "Première version soumise au CREFOP")
    assert first.number == 1
    assert first.sha256 == plans.checksum(first.snapshot)
    action = first.snapshot["axes"][0]["objectives"][0]["actions"][0]
    assert action["code"] == "1.1.1"
    assert [p["label"] for p in action["pilots"]] == ["Région Bretagne", "DREETS Bretagne"]
    indicator = action["indicators"][0]
    assert indicator["baseline"] == "1200" and indicator["baseline_year"] == 2026
    assert indicator["targets"] == [{"year": 2027, "value": "1500"}, {"year": 2028, "value": "1800.5"}]
    assert indicator["values"][0] == {"period": "2027-S1", "period_end": "2027-06-30", "value": "800"}
    assert plans.record_version(plan, lead).number == 2
    assert AuditEvent.objects.filter(action="actionplan.version").count() == 2


def test_later_edits_do_not_change_a_recorded_version_nor_its_exports(world):
    plan, lead = world["plan"], world["users"]["pilote_region"]
    version = plans.record_version(plan, lead)
    frozen_csv = exports.actions_csv(version)
    frozen_json = exports.plan_json(version)
    Action.objects.filter(objective__axis__plan=plan, number=1).update(title="Titre changé après la version")
    IndicatorTarget.objects.filter(year=2027).update(value=Decimal("9999"))
    Axis.objects.create(plan=plan, number=2, title="Axe ajouté plus tard")
    version = PlanVersion.objects.get(pk=version.pk)
    assert exports.actions_csv(version) == frozen_csv
    assert exports.plan_json(version) == frozen_json
    assert "Titre changé" not in exports.plan_json(version).decode()
    assert version.sha256 == plans.checksum(version.snapshot)
    # The working copy did change: a new version holds the edits.
    second = plans.record_version(plan, lead)
    assert "Titre changé après la version" in exports.plan_json(second).decode()
    assert second.sha256 != version.sha256


def test_a_recorded_snapshot_cannot_be_rewritten(world):
    version = plans.record_version(world["plan"], world["users"]["pilote_region"])
    version.snapshot = {**version.snapshot, "axes": []}
    with pytest.raises(ValidationError):
        version.save()
    assert PlanVersion.objects.get(pk=version.pk).snapshot["axes"]


def test_only_the_region_team_records_a_version_and_never_of_an_empty_plan(world):
    users = world["users"]
    for role in (
        "pilote_etat",
        "partenaire_social",
        "membre_crefop",
        "platform_admin",
        "pilote_region_normandie",
    ):
        with pytest.raises(plans.PlanError):
            plans.record_version(world["plan"], users[role])
    empty = ActionPlan.objects.create(region=world["bzh"], title="Vide", start_year=2027, end_year=2030)
    with pytest.raises(plans.PlanError, match="aucun axe"):
        plans.record_version(empty, users["pilote_region"])
    assert not PlanVersion.objects.exists()


def test_each_party_approves_a_version_once(world):
    users = world["users"]
    version = plans.record_version(world["plan"], users["pilote_region"])
    approval = plans.approve(version, users["pilote_etat"], access.STATE)
    assert (approval.party_kind, approval.party_label, approval.user) == (
        "etat",
        "État",
        users["pilote_etat"],
    )
    assert approval.sha256 == version.sha256 and approval.approved_at is not None
    # The State approves once, whoever its representative is (the national pilot too).
    with pytest.raises(plans.PlanError, match="déjà approuvé"):
        plans.approve(version, users["pilote_etat_national"], access.STATE)
    with pytest.raises(plans.PlanError, match="déjà approuvé"):
        plans.approve(version, users["pilote_etat"], access.STATE)
    # Each social partner approves for its own organisation.
    cfdt = access.approval_parties(users["partenaire_social"], world["plan"])
    medef = access.approval_parties(users["partenaire_social_2"], world["plan"])
    assert cfdt == [access.Party("partenaire_social", "CFDT Bretagne")]
    plans.approve(version, users["partenaire_social"], cfdt[0])
    plans.approve(version, users["partenaire_social_2"], medef[0])
    with pytest.raises(plans.PlanError):
        plans.approve(version, users["partenaire_social"], medef[0])  # not its organisation
    assert [a.party_label for a in version.approvals.all()] == ["État", "CFDT Bretagne", "MEDEF Bretagne"]
    # A new version is approved afresh.
    second = plans.record_version(world["plan"], users["pilote_region"])
    plans.approve(second, users["pilote_etat"], access.STATE)
    assert Approval.objects.filter(party_kind=PartyKind.ETAT).count() == 2


def test_the_database_refuses_a_second_approval_by_the_same_party(world):
    users = world["users"]
    version = plans.record_version(world["plan"], users["pilote_region"])
    Approval.objects.create(
        version=version,
        party_kind="etat",
        party_label="État",
        user=users["pilote_etat"],
        sha256=version.sha256,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(
            version=version,
            party_kind="etat",
            party_label="État",
            user=users["pilote_etat_national"],
            sha256="x",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(
            version=version,
            party_kind="region",
            party_label="Région",
            user=users["pilote_region"],
            sha256="x",
        )


@pytest.mark.parametrize(
    "role",
    ["pilote_region", "membre_crefop", "platform_admin", "pilote_etat_29", "partenaire_normandie", "nobody"],
)
def test_who_is_no_party_cannot_approve(world, role):
    user = world["users"][role]
    version = plans.record_version(world["plan"], world["users"]["pilote_region"])
    assert access.approval_parties(user, world["plan"]) == []
    with pytest.raises(plans.PlanError):
        plans.approve(version, user, access.STATE)
    assert not version.approvals.exists()


def test_publication_needs_the_state_approval_and_happens_once(world):
    users = world["users"]
    version = plans.record_version(world["plan"], users["pilote_region"])
    plans.approve(
        version,
        users["partenaire_social"],
        access.approval_parties(users["partenaire_social"], world["plan"])[0],
    )
    with pytest.raises(plans.PlanError, match="État"):
        plans.publish(version, users["pilote_region"])
    assert plans.published_version(world["plan"]) is None
    plans.approve(version, users["pilote_etat"], access.STATE)
    with pytest.raises(plans.PlanError):
        plans.publish(version, users["pilote_etat"])  # the State approves, the Region publishes
    plans.publish(version, users["pilote_region"])
    assert plans.published_version(world["plan"]) == version
    assert version.published_by == users["pilote_region"]
    with pytest.raises(plans.PlanError, match="déjà publiée"):
        plans.publish(version, users["pilote_region"])
    # Publication does not touch the frozen content.
    assert PlanVersion.objects.get(pk=version.pk).sha256 == plans.checksum(version.snapshot)
