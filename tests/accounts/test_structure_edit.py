"""A structure's admins update its fiche from the professional space and confirm it is up to date; nobody else can."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from spro.audit.models import AuditEvent
from spro.directory.models import Structure

pytestmark = pytest.mark.django_db


def url(structure: Structure) -> str:
    return reverse("pro-structure", args=[structure.pk])


def login(client, user) -> None:
    client.force_login(user)


def form_data(structure: Structure, **changes) -> dict:
    data = {
        "description": structure.description,
        "adresse": structure.adresse,
        "complement_adresse": structure.complement_adresse,
        "code_postal": structure.code_postal,
        "telephone": structure.telephone,
        "courriel": structure.courriel,
        "site_web": structure.site_web,
        "horaires_accueil": structure.horaires_accueil,
        "accessibilite_pmr": "unknown",
        "accessibilite_precisions": structure.accessibilite_precisions,
    }
    data.update(changes)
    return data


def test_an_admin_updates_the_hours_and_confirms_the_fiche(client, network):
    structure = network["a"]
    structure.date_maj, structure.date_verification = dt.date(2025, 1, 10), None
    structure.save()
    assert structure.is_stale
    login(client, network["users"]["admin_a"])
    page = client.get(url(structure))
    assert page.status_code == 200 and "jamais été vérifiée" in page.content.decode()

    response = client.post(
        url(structure),
        form_data(
            structure,
            horaires_accueil="Mo-Fr 09:00-12:00,13:30-17:00",
            canaux=["sur-place", "telephone"],
            langues=["fr", "fsl"],
            verifie="on",
        ),
    )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.horaires_accueil == "Mo-Fr 09:00-12:00,13:30-17:00"
    assert structure.canaux == ["sur-place", "telephone"] and structure.langues == ["fr", "fsl"]
    assert structure.date_verification == dt.date.today() and not structure.is_stale
    event = AuditEvent.objects.get(action="structure.update")
    assert "horaires_accueil" in event.detail and "date_verification" in event.detail
    assert event.user == network["users"]["admin_a"]


def test_unreadable_opening_hours_are_refused_and_nothing_changes(client, network):
    structure = network["a"]
    before = (structure.horaires_accueil, structure.date_maj)
    login(client, network["users"]["admin_a"])
    response = client.post(
        url(structure), form_data(structure, horaires_accueil="lundi au vendredi", verifie="on")
    )
    assert response.status_code == 400
    assert "Horaires illisibles" in response.content.decode()
    structure.refresh_from_db()
    assert (structure.horaires_accueil, structure.date_maj) == before and structure.date_verification is None
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["conseiller_a", "conseiller_b", "pilote_region", "tete_ml_bzh", "nobody"])
def test_only_the_structure_admins_may_edit_its_fiche(client, network, who):
    structure = network["a"]
    login(client, network["users"][who])
    assert client.get(url(structure)).status_code == 403
    response = client.post(url(structure), form_data(structure, telephone="02 98 00 00 00"))
    assert response.status_code == 403
    structure.refresh_from_db()
    assert structure.telephone != "02 98 00 00 00"


def test_anonymous_visitors_are_sent_to_the_login_page(client, network):
    response = client.get(url(network["a"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("pro-login"))


def test_the_dashboard_links_admins_to_their_fiche_and_everyone_to_referrals(client, network):
    login(client, network["users"]["admin_a"])
    page = client.get(reverse("pro-dashboard")).content.decode()
    assert url(network["a"]) in page and reverse("referrals:pro-list") in page
    client.logout()
    login(client, network["users"]["conseiller_a"])
    page = client.get(reverse("pro-dashboard")).content.decode()
    assert url(network["a"]) not in page and reverse("referrals:pro-list") in page
