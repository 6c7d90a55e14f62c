"""The accompaniment's domain: opening, notes, schemes, appointments, closing, hand-over, export, pathway deletion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.accompaniment import access, services
from spro.accompaniment.errors import AccompanimentError
from spro.accompaniment.models import Accompaniment, AccompanimentEvent, MobilisedScheme, Note
from spro.accompaniment.vocabularies import EventKind, Origin, Outcome, Status
from spro.audit.models import AuditEvent
from spro.pathways import access as pathway_access
from spro.pathways import services as pathway_services
from spro.pathways.models import Action, Pathway, PathwayShare
from spro.referrals import workflow

from .conftest import make_referral, open_spot

pytestmark = pytest.mark.django_db


def test_open_on_the_spot_creates_the_persons_pathway_shared_with_the_structure(network, users):
    opened = open_spot(network["a"], users["conseiller_a"])
    acc = opened.accompaniment
    assert opened.created and opened.pathway_token
    assert pathway_services.find_by_token(opened.pathway_token) == acc.pathway
    assert acc.origin == Origin.SUR_PLACE and acc.status == Status.OUVERT
    assert acc.consent_text_version == services.CONSENT_TEXT_VERSION and acc.consent_given_at is not None
    assert acc.first_name == "Karim" and acc.contact_value == "karim@example.org"
    assert acc.opened_by == users["conseiller_a"] == acc.referent
    assert pathway_access.can_read(users["conseiller_a"], acc.pathway, network["a"])
    assert not pathway_access.can_read(users["conseiller_b"], acc.pathway)
    assert list(acc.events.values_list("kind", flat=True)) == [EventKind.OUVERTURE]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"consent": False}, "accord"),
        ({"first_name": "  "}, "prénom"),
        ({"goal": ""}, "projet"),
        ({"cep_level": "niveau-9"}, "CEP"),
    ],
)
def test_open_on_the_spot_refuses_and_writes_nothing(network, users, change, message):
    with pytest.raises(AccompanimentError, match=message):
        open_spot(network["a"], users["conseiller_a"], **change)
    assert not Accompaniment.objects.exists() and not Pathway.objects.exists()


@pytest.mark.parametrize("who", ["conseiller_b", "pilote_region", "superuser", "nobody"])
def test_only_members_open(network, users, who):
    with pytest.raises(AccompanimentError, match="membres"):
        open_spot(network["a"], users[who])
    assert not Accompaniment.objects.exists()


def test_open_from_a_referral_takes_its_person_and_is_idempotent(network, users):
    referral, _ = make_referral(network["a"], first_name="Inès", contact="ines@example.org")
    first = services.open_from_referral(referral, user=users["conseiller_a"], consent=True)
    again = services.open_from_referral(referral, user=users["admin_a"], consent=True)
    acc = first.accompaniment
    assert first.created and first.pathway_token and not again.created
    assert again.accompaniment.pk == acc.pk and Accompaniment.objects.count() == 1
    assert (acc.referral, acc.first_name, acc.contact_value) == (referral, "Inès", "ines@example.org")
    assert acc.origin == Origin.ORIENTATION and acc.pathway.origin_referral == referral
    assert PathwayShare.objects.filter(pathway=acc.pathway, structure=network["a"]).count() == 1


def test_open_from_a_referral_reuses_the_pathway_the_person_kept(network, users):
    referral, _ = make_referral(network["a"])
    kept, _token = pathway_services.create_from_referral(referral)
    opened = services.open_from_referral(referral, user=users["conseiller_a"], consent=True)
    assert opened.accompaniment.pathway == kept and opened.pathway_token == ""
    assert Pathway.objects.count() == 1


def test_open_from_a_withdrawn_or_declined_referral_is_refused(network, users):
    referral, _ = make_referral(network["a"])
    workflow.apply(referral, "refuser", user=users["conseiller_a"], reason="hors-zone")
    with pytest.raises(AccompanimentError, match="ne peut pas devenir"):
        services.open_from_referral(referral, user=users["conseiller_a"], consent=True)
    other, _ = make_referral(network["a"], contact="autre@example.org")
    with pytest.raises(AccompanimentError, match="membres"):
        services.open_from_referral(other, user=users["conseiller_b"], consent=True)
    assert not Accompaniment.objects.exists()


def test_notes_and_schemes(accompaniment, users):
    with pytest.raises(AccompanimentError, match="vide"):
        services.add_note(accompaniment, user=users["conseiller_a"], text=" \n ")
    with pytest.raises(AccompanimentError, match="membres"):
        services.add_note(accompaniment, user=users["conseiller_b"], text="Intrusion")
    with pytest.raises(AccompanimentError, match="catalogue"):
        services.mobilise_scheme(
            accompaniment, user=users["conseiller_a"], scheme="inconnu", on=dt.date.today()
        )
    code = services.scheme_choices()[0][0]
    services.mobilise_scheme(
        accompaniment, user=users["conseiller_a"], scheme=code, on=dt.date.today(), comment="ok"
    )
    assert Note.objects.filter(accompaniment=accompaniment).count() == 1
    assert MobilisedScheme.objects.get().scheme == code


def test_close_requires_an_outcome_and_freezes_the_accompaniment(accompaniment, users):
    for bad in ("", "relais", "inconnue"):
        with pytest.raises(AccompanimentError, match="issue"):
            services.close(accompaniment, user=users["conseiller_a"], outcome=bad)
    services.close(
        accompaniment, user=users["conseiller_a"], outcome=Outcome.FORMATION, cep_outcome="formation-engagee"
    )
    accompaniment.refresh_from_db()
    assert (
        accompaniment.status == Status.CLOS
        and accompaniment.closed_at
        and accompaniment.outcome == "formation"
    )
    assert accompaniment.cep_outcome == "formation-engagee"
    with pytest.raises(AccompanimentError, match="clos"):
        services.add_note(accompaniment, user=users["conseiller_a"], text="Trop tard")
    with pytest.raises(AccompanimentError, match="clos"):
        services.close(accompaniment, user=users["conseiller_a"], outcome=Outcome.EMPLOI)
    assert accompaniment.events.filter(kind=EventKind.CLOTURE, by_user=users["conseiller_a"]).count() == 1


def test_appointment_is_a_proposed_action_of_the_pathway(accompaniment, users):
    at = timezone.now() + dt.timedelta(days=3)
    action = services.propose_appointment(
        accompaniment,
        user=users["conseiller_a"],
        label="Premier entretien",
        at=at,
        channel="sur-place",
        place="Ici",
    )
    assert isinstance(action, Action) and action.proposal_state == "proposed"
    assert action.objective.focus.pathway == accompaniment.pathway
    with pytest.raises(AccompanimentError):
        services.propose_appointment(
            accompaniment, user=users["conseiller_b"], label="x", at=at, channel="sur-place", place="Ici"
        )


@pytest.mark.parametrize("share_notes", [False, True])
def test_hand_over_with_consent(network, accompaniment, users, share_notes):
    received = services.hand_over(
        accompaniment, network["b"], user=users["conseiller_a"], consent=True, share_notes=share_notes
    )
    accompaniment.refresh_from_db()
    assert accompaniment.status == Status.CLOS and accompaniment.outcome == Outcome.RELAIS
    assert received.structure == network["b"] and received.pathway == accompaniment.pathway
    assert received.handed_over_from == accompaniment and received.origin == Origin.RELAIS
    assert received.consent_text_version == services.HANDOVER_CONSENT_TEXT_VERSION
    assert received.first_name == "Karim" and received.previous_notes_shared is share_notes
    assert pathway_access.can_read(users["conseiller_b"], received.pathway, network["b"])
    # The receiving structure reads the previous notes only with the person's agreement.
    notes_b = list(access.readable_notes(users["conseiller_b"], received))
    assert len(notes_b) == (1 if share_notes else 0)
    assert access.can_read_note(users["conseiller_b"], accompaniment.notes.get()) is share_notes
    # The handing-over structure does not read the receiving structure's notes.
    services.add_note(received, user=users["conseiller_b"], text="Note de b")
    assert [n.text for n in access.readable_notes(users["conseiller_a"], accompaniment)] == [
        "Souhaite se reconvertir."
    ]
    assert list(access.readable_notes(users["conseiller_a"], received)) == []
    assert accompaniment.events.filter(kind=EventKind.RELAIS).count() == 1
    assert received.events.filter(kind=EventKind.RELAIS_RECU).count() == 1


def test_hand_over_without_consent_or_to_itself_writes_nothing(network, accompaniment, users):
    with pytest.raises(AccompanimentError, match="accord"):
        services.hand_over(accompaniment, network["b"], user=users["conseiller_a"], consent=False)
    with pytest.raises(AccompanimentError, match="autre structure"):
        services.hand_over(accompaniment, network["a"], user=users["conseiller_a"], consent=True)
    with pytest.raises(AccompanimentError, match="membres"):
        services.hand_over(accompaniment, network["c"], user=users["conseiller_b"], consent=True)
    assert Accompaniment.objects.count() == 1
    assert not PathwayShare.objects.filter(structure__in=[network["b"], network["c"]]).exists()
    accompaniment.refresh_from_db()
    assert accompaniment.status == Status.OUVERT


def test_notes_chain_follows_shared_hand_overs_only(network, accompaniment, users):
    to_b = services.hand_over(
        accompaniment, network["b"], user=users["conseiller_a"], consent=True, share_notes=True
    )
    services.add_note(to_b, user=users["conseiller_b"], text="Note de b")
    to_c = services.hand_over(to_b, network["c"], user=users["conseiller_b"], consent=True, share_notes=False)
    assert access.notes_chain(to_c) == [to_c]
    assert access.notes_chain(to_b) == [to_b, accompaniment]


def test_person_export_holds_accompaniments_notes_and_pathway_and_is_audited(network, opened, users):
    services.hand_over(opened.accompaniment, network["b"], user=users["conseiller_a"], consent=True)
    before = AuditEvent.objects.count()
    data = services.person_export(opened.accompaniment.pathway)
    assert [a["structure"] for a in data["accompagnements"]] == [network["a"].nom, network["b"].nom]
    first = data["accompagnements"][0]
    assert first["prenom"] == "Karim" and first["notes"][0]["texte"] == "Souhaite se reconvertir."
    assert first["issue"] == Outcome.RELAIS.label
    assert data["parcours"]["schema"] == "spro-parcours"
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "accompaniment.export"


def test_deleting_the_pathway_anonymises_its_accompaniments(accompaniment):
    pathway_services.delete_pathway(accompaniment.pathway)
    accompaniment.refresh_from_db()
    assert accompaniment.pathway is None and accompaniment.is_anonymised
    assert accompaniment.status == Status.CLOS and accompaniment.outcome == Outcome.FIN_DEMANDEE
    assert accompaniment.first_name == "" and accompaniment.notes.get().text == ""
    assert AccompanimentEvent.objects.filter(
        accompaniment=accompaniment, kind=EventKind.ANONYMISATION
    ).exists()


def test_open_from_a_referral_needs_the_persons_agreement(network, users):
    referral, _ = make_referral(network["a"])
    with pytest.raises(AccompanimentError, match="accord"):
        services.open_from_referral(referral, user=users["conseiller_a"], consent=False)
    assert not Accompaniment.objects.exists() and not Pathway.objects.exists()


def test_the_pathways_log_names_the_conseiller_who_created_it_on_the_spot(accompaniment, users, network):
    created = accompaniment.pathway.changes.get(kind="created")
    assert (created.by_person, created.by_user, created.by_structure) == (
        False,
        users["conseiller_a"],
        network["a"],
    )
