"""The conseiller's pages: permission matrix, audit of every read, actions and their validation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import timezone

from spro.audit.models import AuditEvent
from spro.referrals import workflow
from spro.referrals.forms import OnwardForm
from spro.referrals.models import Referral, Status

from .conftest import make_referral, make_user

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localtime() + dt.timedelta(days=1)


def detail(referral) -> str:
    return f"/pro/orientations/{referral.public_id}"


def act(referral, action: str) -> str:
    return f"{detail(referral)}/{action}"


@pytest.fixture
def pilot(db):
    """A Region pilot: counts only, no membership, so no referral."""
    from spro.accounts.models import Scope
    from spro.referentials.geo.models import Region

    user = make_user("pilote")
    Scope.objects.create(
        user=user, role="pilote_region", region=Region.objects.create(code="53", nom="Bretagne")
    )
    return user


@pytest.mark.parametrize("path", ["/pro/orientations", "/pro/orientations/statistiques", "DETAIL", "ACTION"])
def test_anonymous_is_sent_to_login(client, referral, path):
    path = {"DETAIL": detail(referral), "ACTION": act(referral, "refuser")}.get(path, path)
    response = client.post(path) if path.endswith("refuser") else client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/pro/connexion")
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE


@pytest.mark.parametrize("who", ["other_conseiller", "pilot", "superuser", "inactive"])
def test_users_outside_the_structure_get_404_on_read_and_actions(client, referral, who, request):
    if who == "superuser":
        user = make_user("admin")
        user.is_superuser = True
        user.save()
    elif who == "inactive":
        user = make_user("ancienne", referral.structure)
        user.is_active = False
        user.save()
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(detail(referral))
    if who == "inactive":  # an inactive account is logged out by Django's backend
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    else:
        assert response.status_code == 404
        for action, data in [
            ("accepter", {}),
            ("refuser", {"refuser-motif": "hors-zone"}),
            ("cloturer", {}),
            ("orienter", {}),
        ]:
            assert client.post(act(referral, action), data).status_code == 404
        assert "Camille" not in client.get("/pro/orientations").content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE
    assert not AuditEvent.objects.exists()


def test_list_shows_only_the_users_structures_and_no_personal_data(
    client, conseiller, structure, other_structure
):
    mine, _ = make_referral(structure, besoins=["vae"])
    theirs, _ = make_referral(other_structure)
    client.force_login(conseiller)
    html = client.get("/pro/orientations").content.decode()
    assert str(mine.public_id) in html and str(theirs.public_id) not in html
    assert "Camille" not in html and "camille@example.org" not in html
    assert "Faire valider son expérience (VAE)" in html
    filtered = client.get("/pro/orientations?statut=acceptee").content.decode()
    assert str(mine.public_id) not in filtered


def test_reading_a_referral_is_audited_and_marks_it_seen(client, conseiller, referral):
    client.force_login(conseiller)
    response = client.get(detail(referral))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Camille" in html and "camille@example.org" in html
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_id, event.structure) == (
        conseiller,
        "referral.view",
        str(referral.pk),
        referral.structure,
    )
    referral.refresh_from_db()
    assert referral.status == Status.VUE
    client.get(detail(referral))
    assert AuditEvent.objects.count() == 2  # every read
    assert referral.transitions.filter(to_status="vue").count() == 1


def test_malformed_id_is_404(client, conseiller):
    client.force_login(conseiller)
    assert client.get("/pro/orientations/pas-un-uuid").status_code == 404


def test_accept_with_an_appointment(client, conseiller, referral):
    client.force_login(conseiller)
    response = client.post(
        act(referral, "accepter"),
        {
            "accepter-date": TOMORROW.date().isoformat(),
            "accepter-heure": "10:30",
            "accepter-modalite": "sur-place",
            "accepter-lieu": "CIO, 12 rue de Brest",
        },
    )
    assert response.status_code == 303 and response["Location"] == detail(referral)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTEE
    assert timezone.localtime(referral.appointment_at).strftime("%H:%M") == "10:30"
    assert referral.transitions.last().by_user == conseiller
    followed = client.get(response["Location"]).content.decode()
    assert "Demande acceptée" in followed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"accepter-date": "2020-01-01", "accepter-heure": "10:00", "accepter-modalite": "telephone"},
            "dans le futur",
        ),
        ({"accepter-heure": "10:00", "accepter-modalite": "telephone"}, "Ce champ est obligatoire"),
        (
            {
                "accepter-date": TOMORROW.date().isoformat(),
                "accepter-heure": "10:00",
                "accepter-modalite": "sur-place",
            },
            "Indiquez le lieu",
        ),
    ],
)
def test_accept_with_a_bad_appointment_is_400(client, conseiller, referral, data, message):
    client.force_login(conseiller)
    response = client.post(act(referral, "accepter"), data)
    assert response.status_code == 400 and message in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE


def test_decline_requires_a_reason(client, conseiller, referral):
    client.force_login(conseiller)
    assert client.post(act(referral, "refuser"), {}).status_code == 400
    assert client.post(act(referral, "refuser"), {"refuser-motif": "autre"}).status_code == 400
    assert client.post(act(referral, "refuser"), {"refuser-motif": "hors-zone"}).status_code == 303
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.REFUSEE, "hors-zone")


def test_illegal_transition_is_409_and_changes_nothing(client, conseiller, referral):
    client.force_login(conseiller)
    response = client.post(act(referral, "cloturer"), {"cloturer-issue": "accompagnement"})
    assert response.status_code == 409 and "ne peut pas passer" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE


def test_close_an_accepted_referral(client, conseiller, referral):
    workflow.apply(referral, "accepter", user=conseiller, appointment=workflow.Appointment(TOMORROW, "visio"))
    client.force_login(conseiller)
    assert client.post(act(referral, "cloturer"), {}).status_code == 400
    # « autre » without a note is refused
    assert client.post(act(referral, "cloturer"), {"cloturer-issue": "autre"}).status_code == 400
    assert client.post(act(referral, "cloturer"), {"cloturer-issue": "accompagnement"}).status_code == 303
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOTUREE, "accompagnement")


def test_unknown_action_is_404(client, conseiller, referral):
    client.force_login(conseiller)
    assert client.post(act(referral, "effacer")).status_code == 404
    assert client.get(act(referral, "refuser")).status_code == 405


def test_refer_onward_requires_the_persons_agreement(client, conseiller, referral, other_structure):
    client.force_login(conseiller)
    data = {"orienter-cle": OnwardForm.new_key(referral), "orienter-structure": other_structure.di_id}
    assert client.post(act(referral, "orienter"), data).status_code == 400
    assert Referral.objects.count() == 1
    data["orienter-accord"] = "on"
    assert client.post(act(referral, "orienter"), data).status_code == 303
    assert client.post(act(referral, "orienter"), data).status_code == 303  # double submit
    onward = Referral.objects.exclude(pk=referral.pk).get()
    assert onward.structure == other_structure and onward.referred_by_user == conseiller
    assert onward.referred_from == referral
    # The other structure's conseillers see it; the first one cannot open it.
    assert client.get(detail(onward)).status_code == 404


def test_refer_onward_to_an_unknown_structure_is_400(client, conseiller, referral):
    client.force_login(conseiller)
    data = {
        "orienter-cle": OnwardForm.new_key(referral),
        "orienter-structure": "test--nulle-part",
        "orienter-accord": "on",
    }
    assert client.post(act(referral, "orienter"), data).status_code == 400
    assert Referral.objects.count() == 1


def test_statistics_show_counts_in_scope_without_personal_data(
    client, conseiller, structure, other_structure
):
    make_referral(structure)
    make_referral(other_structure)
    client.force_login(conseiller)
    html = client.get("/pro/orientations/statistiques").content.decode()
    assert "CIO de Rennes" in html and "Mission locale de Brest" not in html
    assert "Camille" not in html
