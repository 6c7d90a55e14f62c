"""A structure whose record has no e-mail is still told of each new request: through its active members' e-mails,
and a count of new requests on the professional dashboard."""

from __future__ import annotations

import pytest

from spro.referrals import services, workflow
from spro.referrals.models import OutboxMessage

from .conftest import make_referral, make_structure, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_structure(db):
    return make_structure(nom="PIJ de Lorient", courriel="", typologie="PIJ")


def structure_mail(referral):
    return sorted(
        OutboxMessage.objects.filter(referral=referral, to_person=False).values_list("to", "subject")
    )


def test_members_of_a_structure_without_email_are_each_told_of_a_new_request(
    silent_structure, other_structure
):
    make_user("alice", silent_structure)
    make_user("bob", silent_structure, role="admin_structure")
    gone = make_user("claude", silent_structure)
    gone.is_active = False
    gone.save()
    no_mail = make_user("dom", silent_structure)
    no_mail.email = ""
    no_mail.save()
    make_user("eve", other_structure)  # another structure's member hears nothing
    referral, _ = make_referral(silent_structure, first_name="Maëlys", contact="maelys@example.org")
    assert structure_mail(referral) == [
        ("alice@example.org", "Nouvelle demande de mise en relation"),
        ("bob@example.org", "Nouvelle demande de mise en relation"),
    ]
    for body in OutboxMessage.objects.filter(referral=referral, to_person=False).values_list(
        "body", flat=True
    ):
        assert "Maëlys" not in body and "maelys@example.org" not in body
        assert f"/pro/orientations/{referral.public_id}" in body
    # The withdrawal (« do not contact ») reaches them the same way.
    services.withdraw(referral)
    subjects = [s for _to, s in structure_mail(referral)]
    assert subjects.count("Demande de mise en relation retirée") == 2


def test_a_structure_with_an_email_is_told_there_only(structure):
    make_user("alice", structure)
    referral, _ = make_referral(structure)
    assert structure_mail(referral) == [("cio-rennes@example.org", "Nouvelle demande de mise en relation")]


def test_the_dashboard_counts_new_requests_per_structure(client, silent_structure, structure, conseiller):
    from spro.accounts.models import Membership

    Membership.objects.create(user=conseiller, structure=silent_structure)
    first, _ = make_referral(silent_structure)
    make_referral(silent_structure, contact="dominique@example.org")
    client.force_login(conseiller)
    html = client.get("/pro/").content.decode()
    assert f'id="nouvelles-{silent_structure.pk}">2 nouvelles demandes</span>' in html
    assert f'id="nouvelles-{structure.pk}"' not in html  # none for the CIO
    workflow.apply(first, "voir", user=conseiller)
    html = client.get("/pro/").content.decode()
    assert f'id="nouvelles-{silent_structure.pk}">1 nouvelle demande</span>' in html
