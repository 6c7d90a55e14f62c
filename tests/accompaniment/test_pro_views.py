"""The conseiller's pages: list (filters, pagination, no personal data), open on the spot (consent), open from a
referral, the accompaniment's page and its actions (200 / 303 / 400 / 404 / 409), the person's export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from spro.accompaniment import services
from spro.accompaniment.models import Accompaniment, MobilisedScheme, Note
from spro.accompaniment.vocabularies import Status
from spro.pathways.models import Action, Pathway

from .conftest import make_referral, open_spot

pytestmark = pytest.mark.django_db

LIST = "/pro/accompagnements"
OPEN = "/pro/accompagnements/ouvrir"


def page(acc) -> str:
    return f"/pro/accompagnements/{acc.public_id}"


def act(acc, action: str) -> str:
    return f"{page(acc)}/{action}"


@pytest.fixture
def conseiller(client, users):
    client.force_login(users["conseiller_a"])
    return users["conseiller_a"]


@pytest.mark.parametrize("path", [LIST, OPEN, "DETAIL"])
def test_anonymous_is_sent_to_login(client, accompaniment, path):
    response = client.get(page(accompaniment) if path == "DETAIL" else path)
    assert response.status_code == 302 and response["Location"].startswith("/pro/connexion")
    assert client.post(act(accompaniment, "note"), {"note-texte": "x"}).status_code == 302
    assert Note.objects.count() == 1


def test_list_shows_no_personal_data_and_filters(client, network, users, conseiller, accompaniment):
    other = open_spot(network["a"], users["admin_a"], first_name="Léa").accompaniment
    services.close(other, user=users["admin_a"], outcome="emploi")
    open_spot(network["b"], users["conseiller_b"], first_name="Zoé")
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Karim" not in body and "Léa" not in body and "Zoé" not in body
    assert str(accompaniment.public_id) in body and str(other.public_id) in body
    assert "2 accompagnements" in body
    closed = client.get(LIST, {"statut": "clos"}).content.decode()
    assert str(other.public_id) in closed and str(accompaniment.public_id) not in closed
    mine = client.get(LIST, {"conseiller": str(users["conseiller_a"].pk)}).content.decode()
    assert str(accompaniment.public_id) in mine and str(other.public_id) not in mine
    # Unknown filters are ignored, never a 500.
    for params in (
        {"statut": "<x>"},
        {"conseiller": "abc"},
        {"conseiller": str(users["conseiller_b"].pk)},
        {"page": "z"},
    ):
        assert client.get(LIST, params).status_code == 200


def test_list_is_paginated(client, network, users, conseiller):
    for n in range(52):
        open_spot(network["a"], users["conseiller_a"], first_name=f"P{n}")
    first = client.get(LIST).content.decode()
    assert "Page 1 sur 2" in first and first.count("Accompagnement du ") == 50
    assert client.get(LIST, {"page": 2}).content.decode().count("Accompagnement du ") == 2


def test_open_on_the_spot_form(client, network, conseiller):
    form = client.get(OPEN)
    assert form.status_code == 200
    body = form.content.decode()
    assert services.consent_text() in body and 'for="id_accord"' in body
    data = {
        "structure": network["a"].di_id,
        "prenom": "Karim",
        "moyen": "courriel",
        "coordonnee": "karim@example.org",
        "projet": "Devenir technicien",
        "niveau_cep": "niveau-2",
    }
    refused = client.post(OPEN, data)  # no consent
    assert refused.status_code == 400 and not Accompaniment.objects.exists()
    assert client.post(OPEN, {**data, "accord": "on", "structure": network["b"].di_id}).status_code == 400
    assert client.post(OPEN, {**data, "accord": "on", "coordonnee": "pas-une-adresse"}).status_code == 400
    done = client.post(OPEN, {**data, "accord": "on"})
    assert done.status_code == 200
    acc = Accompaniment.objects.get()
    assert acc.consent_given_at and acc.cep_level == "niveau-2" and acc.structure == network["a"]
    assert "/parcours/" in done.content.decode() and 'id="lien-prive"' in done.content.decode()


def test_open_on_the_spot_is_404_without_membership(client, users):
    client.force_login(users["pilote_region"])
    assert client.get(OPEN).status_code == 404


def test_open_from_a_referral(client, network, users, conseiller):
    referral, _ = make_referral(network["a"])
    url = f"/pro/accompagnements/depuis-la-demande/{referral.public_id}"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 303  # without the person's agreement: back to the referral
    assert not Accompaniment.objects.exists()
    assert client.post(url, {"accord": "on"}).status_code == 200
    assert client.post(url, {"accord": "on"}).status_code == 303  # the same one, no second link
    assert Accompaniment.objects.get().consent_text_version == services.CONSENT_TEXT_VERSION
    assert Accompaniment.objects.filter(referral=referral).count() == 1
    client.force_login(users["conseiller_b"])
    assert client.post(url, {"accord": "on"}).status_code == 404
    assert client.post("/pro/accompagnements/depuis-la-demande/pas-un-uuid").status_code == 404


def test_detail_page(client, conseiller, accompaniment):
    response = client.get(page(accompaniment))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Karim" in body and "Souhaite se reconvertir." in body
    assert f"/pro/parcours/{accompaniment.pathway.public_id}" in body
    for label in (
        "Nouvelle note",
        "Dispositif mobilisé",
        "Objet du rendez-vous",
        "Issue de l’accompagnement",
    ):
        assert label in body
    assert client.get("/pro/accompagnements/pas-un-uuid").status_code == 404
    assert client.get("/pro/accompagnements/00000000-0000-0000-0000-000000000000").status_code == 404


def test_actions(client, network, conseiller, accompaniment):
    assert client.post(act(accompaniment, "note"), {"note-texte": "Deuxième note"}).status_code == 303
    assert Note.objects.filter(text="Deuxième note").exists()
    assert client.post(act(accompaniment, "note"), {"note-texte": "   "}).status_code == 400
    code = services.scheme_choices()[0][0]
    assert (
        client.post(
            act(accompaniment, "dispositif"), {"dispositif-dispositif": code, "dispositif-date": "2026-12-01"}
        ).status_code
        == 303
    )
    assert (
        client.post(act(accompaniment, "dispositif"), {"dispositif-dispositif": "inconnu"}).status_code == 400
    )
    assert MobilisedScheme.objects.count() == 1
    when = timezone.localtime() + dt.timedelta(days=2)
    rdv = {
        "rendez-vous-intitule": "Premier entretien",
        "rendez-vous-date": when.date().isoformat(),
        "rendez-vous-heure": "10:00",
        "rendez-vous-modalite": "telephone",
    }
    assert client.post(act(accompaniment, "rendez-vous"), rdv).status_code == 303
    assert Action.objects.filter(label="Premier entretien", proposal_state="proposed").exists()
    assert "Premier entretien" in client.get(page(accompaniment)).content.decode()
    assert (
        client.post(act(accompaniment, "cep"), {"cep-niveau": "niveau-1", "cep-etape": "accueil"}).status_code
        == 303
    )
    assert client.post(act(accompaniment, "inconnue"), {}).status_code == 404
    assert client.post(act(accompaniment, "clore"), {"clore-issue": "relais"}).status_code == 400
    assert client.post(act(accompaniment, "clore"), {"clore-issue": "emploi"}).status_code == 303
    accompaniment.refresh_from_db()
    assert accompaniment.status == Status.CLOS and accompaniment.cep_level == "niveau-1"
    # Closed: the forms are gone and a late action is refused with 409.
    assert "Nouvelle note" not in client.get(page(accompaniment)).content.decode()
    assert client.post(act(accompaniment, "note"), {"note-texte": "Trop tard"}).status_code == 409


def test_hand_over_form(client, network, users, conseiller, accompaniment):
    network["b"].commune = network["a"].commune  # candidates: the same département
    network["b"].save()
    without = client.post(act(accompaniment, "relais"), {"relais-structure": network["b"].di_id})
    assert without.status_code == 400 and Accompaniment.objects.count() == 1
    done = client.post(
        act(accompaniment, "relais"), {"relais-structure": network["b"].di_id, "relais-accord": "on"}
    )
    assert done.status_code == 303
    received = Accompaniment.objects.get(structure=network["b"])
    assert not received.previous_notes_shared
    client.force_login(users["conseiller_b"])
    body = client.get(page(received)).content.decode()
    assert "Karim" in body and "Souhaite se reconvertir." not in body
    assert client.get(page(accompaniment)).status_code == 404


def test_person_export(client, opened):
    response = client.get(f"/accompagnements/mes-donnees/{opened.pathway_token}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["accompagnements"][0]["prenom"] == "Karim"
    assert client.get("/accompagnements/mes-donnees/inconnu").status_code == 404
    assert client.get("/accompagnements/mes-donnees/" + "A" * 43).status_code == 404
    Pathway.objects.all().delete()
    assert client.get(f"/accompagnements/mes-donnees/{opened.pathway_token}").status_code == 404


def test_a_withdrawn_share_hides_the_pathway_from_the_accompaniment_page(
    client, network, conseiller, accompaniment
):
    from spro.pathways import services as pathway_services
    from spro.pathways.models import PathwayShare

    goal = accompaniment.pathway.goal_label
    assert goal in client.get(page(accompaniment)).content.decode()
    pathway_services.withdraw_share(
        PathwayShare.objects.get(pathway=accompaniment.pathway, structure=network["a"])
    )
    body = client.get(page(accompaniment)).content.decode()
    assert goal not in body and "ne partage plus son parcours" in body
    assert "Objet du rendez-vous" not in body  # no proposal without the share


def test_the_referrals_page_links_to_opening_then_to_the_accompaniment(client, network, users, conseiller):
    referral, _ = make_referral(network["a"])
    detail = f"/pro/orientations/{referral.public_id}"
    open_url = f"/pro/accompagnements/depuis-la-demande/{referral.public_id}"
    assert f'action="{open_url}"' in client.get(detail).content.decode()
    client.post(open_url, {"accord": "on"})
    acc = Accompaniment.objects.get(referral=referral)
    body = client.get(detail).content.decode()
    assert page(acc) in body and f'action="{open_url}"' not in body
