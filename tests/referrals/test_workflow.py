"""Every declared transition, legal and illegal, and the information each one requires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from spro.referrals import workflow
from spro.referrals.models import Referral, ReferralTransition, Status
from spro.referrals.workflow import TRANSITIONS, Appointment

from .conftest import make_referral

pytestmark = pytest.mark.django_db

SOON = Appointment(timezone.now() + dt.timedelta(days=3), "sur-place", "12 rue de Brest, Rennes")


def kwargs_for(action: str, user) -> dict:
    rule = TRANSITIONS[action]
    extra = {
        "accepter": {"appointment": SOON},
        "replanifier": {"appointment": SOON},
        "refuser": {"reason": "hors-zone"},
        "cloturer": {"reason": "accompagnement"},
    }.get(action, {})
    actor = {"conseiller": {"user": user}, "personne": {"by_person": True}, "systeme": {}}[rule.actor]
    return {**actor, **extra}


def put_in(referral: Referral, status: str) -> Referral:
    """Move a fresh referral to `status` through legal transitions only."""
    path = {
        Status.NOUVELLE: [],
        Status.VUE: ["voir"],
        Status.ACCEPTEE: ["accepter"],
        Status.REFUSEE: ["refuser"],
        Status.CLOTUREE: ["accepter", "cloturer"],
        Status.EXPIREE: ["expirer"],
        Status.RETIREE: ["retirer"],
    }[status]
    from django.contrib.auth.models import User

    user = User.objects.first()
    for action in path:
        referral = workflow.apply(referral, action, **kwargs_for(action, user))
    return referral


#: The allowed (action, from status) → to status pairs of docs/referrals.md « Statuses », written out here on
#: purpose: the test must not read its expectations from the production table it checks (issue 13).
DOCUMENTED = {
    ("voir", "nouvelle"): "vue",
    ("accepter", "nouvelle"): "acceptee",
    ("accepter", "vue"): "acceptee",
    ("refuser", "nouvelle"): "refusee",
    ("refuser", "vue"): "refusee",
    ("cloturer", "acceptee"): "cloturee",
    ("expirer", "nouvelle"): "expiree",
    ("expirer", "vue"): "expiree",
    ("retirer", "nouvelle"): "retiree",
    ("retirer", "vue"): "retiree",
    ("retirer", "acceptee"): "retiree",
    ("replanifier", "acceptee"): "acceptee",
    ("confirmer-rdv", "acceptee"): "acceptee",
    ("deplacer-rdv", "acceptee"): "acceptee",
}
ACTIONS = [
    "voir",
    "accepter",
    "refuser",
    "cloturer",
    "expirer",
    "retirer",
    "replanifier",
    "confirmer-rdv",
    "deplacer-rdv",
]
STATUSES = ["nouvelle", "vue", "acceptee", "refusee", "cloturee", "expiree", "retiree"]


def test_the_declared_actions_and_statuses_are_the_documented_ones():
    assert sorted(TRANSITIONS) == sorted(ACTIONS)
    assert sorted(Status.values) == sorted(STATUSES)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_is_legal_exactly_from_its_documented_statuses(structure, conseiller, status, action):
    referral = put_in(make_referral(structure)[0], status)
    before = referral.transitions.count()
    target = DOCUMENTED.get((action, status))
    if target is not None:
        updated = workflow.apply(referral, action, **kwargs_for(action, conseiller))
        assert updated.status == target
        last = updated.transitions.last()
        assert (last.from_status, last.to_status) == (status, target)
        assert updated.transitions.count() == before + 1
    else:
        with pytest.raises(workflow.IllegalTransition, match="ne peut pas passer"):
            workflow.apply(referral, action, **kwargs_for(action, conseiller))
        referral.refresh_from_db()
        assert referral.status == status
        assert referral.transitions.count() == before


def test_declined_referral_requires_a_typed_reason(referral, conseiller):
    with pytest.raises(workflow.MissingInformation, match="motif"):
        workflow.apply(referral, "refuser", user=conseiller)
    with pytest.raises(workflow.MissingInformation, match="motif"):
        workflow.apply(referral, "refuser", user=conseiller, reason="pas-envie")
    with pytest.raises(workflow.MissingInformation, match="note"):
        workflow.apply(referral, "refuser", user=conseiller, reason="autre")
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE
    done = workflow.apply(referral, "refuser", user=conseiller, reason="autre", note="Déménagement prévu")
    assert done.decline_reason == "autre"
    assert done.transitions.last().note == "Déménagement prévu"


def test_accepting_requires_an_appointment_and_a_place_when_on_site(referral, conseiller):
    with pytest.raises(workflow.MissingInformation, match="rendez-vous"):
        workflow.apply(referral, "accepter", user=conseiller)
    with pytest.raises(workflow.MissingInformation, match="lieu"):
        workflow.apply(referral, "accepter", user=conseiller, appointment=Appointment(SOON.at, "sur-place"))
    done = workflow.apply(
        referral, "accepter", user=conseiller, appointment=Appointment(SOON.at, "telephone")
    )
    assert done.status == Status.ACCEPTEE
    assert done.appointment_at == SOON.at


def test_closing_requires_an_outcome(referral, conseiller):
    referral = workflow.apply(referral, "accepter", user=conseiller, appointment=SOON)
    with pytest.raises(workflow.MissingInformation, match="issue"):
        workflow.apply(referral, "cloturer", user=conseiller)
    assert workflow.apply(referral, "cloturer", user=conseiller, reason="absente").outcome == "absente"


def test_each_action_is_reserved_to_its_actor(referral, conseiller):
    with pytest.raises(workflow.IllegalTransition, match="conseill"):
        workflow.apply(referral, "accepter", by_person=True, appointment=SOON)
    with pytest.raises(workflow.IllegalTransition, match="personne"):
        workflow.apply(referral, "retirer", user=conseiller)
    with pytest.raises(workflow.IllegalTransition, match="automatiquement"):
        workflow.apply(referral, "expirer", user=conseiller)
    with pytest.raises(workflow.IllegalTransition, match="inconnue"):
        workflow.apply(referral, "supprimer", user=conseiller)


def test_transition_log_says_who_when_and_why(referral, conseiller):
    workflow.apply(referral, "voir", user=conseiller)
    workflow.apply(referral, "refuser", user=conseiller, reason="complet")
    log = list(referral.transitions.values_list("from_status", "to_status", "by_person", "by_user", "reason"))
    assert log == [
        ("", "nouvelle", True, None, "creation"),
        ("nouvelle", "vue", False, conseiller.pk, "voir"),
        ("vue", "refusee", False, conseiller.pk, "complet"),
    ]
    assert all(t.at is not None for t in referral.transitions.all())


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.ACCEPTEE},  # no appointment
        {"status": Status.REFUSEE},  # no reason
        {"status": Status.CLOTUREE},  # no outcome
        {"status": "inconnu"},
        {"first_name": ""},  # personal data missing while not anonymised
        {"anonymised_at": timezone.now()},  # anonymised but data still there
    ],
)
def test_database_refuses_broken_invariants(referral, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(**fields)


def test_transition_has_at_most_one_actor(referral, conseiller):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralTransition.objects.create(
            referral=referral, to_status="vue", by_user=conseiller, by_person=True
        )


def test_allowed_actions_lists_only_what_will_work(referral, conseiller):
    assert workflow.allowed_actions(referral, "conseiller") == ["voir", "accepter", "refuser"]
    referral = workflow.apply(referral, "accepter", user=conseiller, appointment=SOON)
    assert workflow.allowed_actions(referral, "conseiller") == ["cloturer", "replanifier"]
    assert workflow.allowed_actions(referral, "personne") == ["retirer", "confirmer-rdv", "deplacer-rdv"]
