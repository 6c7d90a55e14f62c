"""The domain functions: creation from each origin, edits, proposals, sharing, the change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.pathways import services
from spro.pathways.models import Action, Objective, Pathway, PathwayChange, PathwayShare
from spro.pathways.services import PERSON, ActionFields, PathwayError

from .conftest import make_referral


def kinds(pathway):
    return list(PathwayChange.objects.filter(pathway=pathway).values_list("kind", flat=True))


def test_create_stores_only_the_digest_and_finds_by_token(kept):
    pathway, token = kept
    assert len(token) == 43
    assert token not in pathway.link_token_hash
    assert services.find_by_token(token) == pathway
    assert services.find_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert services.find_by_token("../etc") is None
    assert kinds(pathway) == ["created"]
    objective = Objective.objects.get(focus__pathway=pathway)
    assert objective.catalogue_code == "trouver-formation" and objective.label == "Trouver une formation"


def test_regenerate_link_kills_the_old_one(kept):
    pathway, token = kept
    new = services.regenerate_link(pathway)
    assert services.find_by_token(token) is None
    assert services.find_by_token(new) == pathway
    services.revoke_link(pathway)
    assert services.find_by_token(new) is None


@pytest.mark.django_db
def test_create_from_answer_uses_the_metier_or_the_needs():
    pathway, _ = services.create_from_answer(
        rome_code="M1805", rome_label="Études et développement informatique"
    )
    assert (pathway.goal_kind, pathway.goal_code, pathway.origin) == ("metier", "M1805", "answer")
    projet, _ = services.create_from_answer(goal_label="Changer de métier", besoins=["vae", "inconnu"])
    assert projet.goal_kind == "projet" and projet.goal_code == ""
    assert list(Objective.objects.filter(focus__pathway=projet).values_list("catalogue_code", flat=True)) == [
        "faire-valider-experience"
    ]


@pytest.mark.django_db
def test_create_refuses_bad_input_and_writes_nothing():
    with pytest.raises(PathwayError):
        services.create_pathway(goal_kind="metier", goal_label="X", goal_code="M1805")
    with pytest.raises(PathwayError):
        services.create_pathway(goal_kind="metier", goal_label="Cuisinier", goal_code="ZZZ")
    with pytest.raises(PathwayError):
        services.create_pathway(goal_kind="reve", goal_label="Cuisinier")
    with pytest.raises(PathwayError):
        services.create_pathway(goal_kind="projet", goal_label="Cuisinier", focuses=["inconnu"])
    assert not Pathway.objects.exists()


def test_create_from_referral_carries_its_appointment(structure):
    from spro.referrals.models import Referral

    referral, _ = make_referral(structure)
    when = timezone.now() + dt.timedelta(days=3)
    Referral.objects.filter(pk=referral.pk).update(
        status="acceptee",
        appointment_at=when,
        appointment_channel="sur-place",
        appointment_place="2 rue de la Paix",
    )
    referral.refresh_from_db()
    pathway, _ = services.create_from_referral(referral)
    assert pathway.origin == "referral" and pathway.origin_referral == referral
    action = Action.objects.get(objective__focus__pathway=pathway)
    assert action.appointment_at == referral.appointment_at and action.structure == structure


def test_objectives_and_actions_with_statuses_and_order(pathway):
    first = Objective.objects.get(focus__pathway=pathway)
    second = services.add_objective(
        pathway, PERSON, focus_code="emploi", catalogue_code="preparer-candidature"
    )
    assert second.label.startswith("Préparer ma candidature")
    assert services.move_objective(second, PERSON, -1)
    assert list(Objective.objects.filter(focus__pathway=pathway).order_by("position")) == [second, first]
    assert not services.move_objective(second, PERSON, -1)
    action = services.add_action(
        first, PERSON, label="Appeler l’AFPA", fields=ActionFields(due_date=dt.date(2027, 1, 15))
    )
    services.set_action_status(action, PERSON, "en-cours")
    services.set_objective_status(first, PERSON, "atteint")
    with pytest.raises(PathwayError):
        services.set_action_status(action, PERSON, "termine")
    with pytest.raises(PathwayError):
        services.add_action(first, PERSON, label="RDV", fields=ActionFields(appointment_place="ici"))
    with pytest.raises(PathwayError):
        services.add_action(first, PERSON, label="Métier", fields=ActionFields(rome_code="1805"))
    action.refresh_from_db()
    assert action.status == "en-cours"
    assert kinds(pathway) == [
        "created",
        "focus-added",
        "objective-added",
        "objectives-reordered",
        "action-added",
        "action-status",
        "objective-status",
    ]


def test_a_conseiller_cannot_edit_directly(pathway, conseiller, structure, shared):
    objective = Objective.objects.get(focus__pathway=pathway)
    with pytest.raises(PathwayError):
        services.add_action(objective, services.conseiller(conseiller, structure), label="Faire un CV")


def test_proposals_accept_and_decline(pathway, conseiller, structure, shared):
    objective = services.propose_objective(
        pathway, conseiller, structure, focus_code="emploi", label="Préparer un CV"
    )
    action = services.propose_appointment(
        Objective.objects.get(catalogue_code="trouver-formation"),
        conseiller,
        structure,
        label="Entretien au CEP",
        appointment_at=timezone.now() + dt.timedelta(days=2),
        channel="visio",
    )
    assert objective.proposal_state == action.proposal_state == "proposed"
    assert action.proposed_by_structure == structure and action.proposed_by_user == conseiller
    with pytest.raises(PathwayError):
        services.set_action_status(action, PERSON, "fait")
    services.accept_proposal(action)
    services.decline_proposal(objective)
    with pytest.raises(PathwayError):
        services.accept_proposal(objective)
    changes = PathwayChange.objects.filter(pathway=pathway, kind="proposal-made")
    assert [(c.by_person, c.by_user, c.by_structure) for c in changes] == [(False, conseiller, structure)] * 2
    assert kinds(pathway)[-2:] == ["proposal-accepted", "proposal-declined"]


def test_proposals_need_an_active_share_with_that_part(
    pathway, conseiller, structure, other_conseiller, other_structure
):
    with pytest.raises(PathwayError):
        services.propose_objective(
            pathway, conseiller, structure, focus_code="emploi", label="Préparer un CV"
        )
    share = services.share(pathway, structure, parts=["actions"], days=30)
    with pytest.raises(PathwayError):  # « objectifs » not shared
        services.propose_objective(
            pathway, conseiller, structure, focus_code="emploi", label="Préparer un CV"
        )
    objective = Objective.objects.get(focus__pathway=pathway)
    with pytest.raises(PathwayError):  # another structure
        services.propose_action(objective, other_conseiller, other_structure, label="Faire un CV")
    with pytest.raises(PathwayError):  # a member of another structure naming this one
        services.propose_action(objective, other_conseiller, structure, label="Faire un CV")
    services.propose_action(objective, conseiller, structure, label="Faire un CV")
    services.withdraw_share(share)
    with pytest.raises(PathwayError):
        services.propose_action(objective, conseiller, structure, label="Faire un CV")


def test_share_replace_withdraw_and_shared_with(pathway, structure, other_structure):
    first = services.share(pathway, structure, days=30)
    second = services.share(pathway, structure, parts=["objectifs"], days=90)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    assert list(services.shared_with(structure)) == [second]
    assert not services.shared_with(other_structure).exists()
    services.withdraw_share(second)
    assert not services.shared_with(structure).exists()
    later = timezone.now() + dt.timedelta(days=91)
    third = services.share(pathway, structure, days=30)
    assert not services.shared_with(structure, at=later).exists()
    assert list(services.shared_with(structure)) == [third]
    with pytest.raises(PathwayError):
        services.share(pathway, structure, days=7)
    with pytest.raises(PathwayError):
        services.share(pathway, structure, parts=["notes"])
    with pytest.raises(PathwayError):
        services.share(pathway, structure, consent_text_version="ancien")


def test_delete_pathway_removes_everything(pathway, structure, shared):
    services.delete_pathway(pathway)
    assert not Pathway.objects.exists()
    assert (
        not PathwayShare.objects.exists()
        and not PathwayChange.objects.exists()
        and not Objective.objects.exists()
    )


def test_a_conseiller_may_be_named_as_creator(conseiller, structure):
    pathway, _ = services.create_pathway(
        goal_kind="projet",
        goal_label="Reprendre un emploi",
        origin="accompagnement",
        created_by=services.conseiller(conseiller, structure),
    )
    change = PathwayChange.objects.get(pathway=pathway)
    assert (change.kind, change.by_person, change.by_user, change.by_structure) == (
        "created",
        False,
        conseiller,
        structure,
    )
