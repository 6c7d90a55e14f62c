"""First-contact log: the 30-second form, its defaults and validation, scoping, and pilots' aggregates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from spro.contacts import log
from spro.contacts.models import FirstContact

NEW = "/pro/contacts/nouveau"


def form_data(structure, **overrides) -> dict:
    data = {
        "structure": structure.pk,
        "date": timezone.localdate().isoformat(),
        "channel": "telephone",
        "age_band": "18-25",
        "statut": "demandeur-emploi",
        "commune": "",
        "besoins": ["alternance", "choisir-formation"],
        "answer_given": "information",
        "referred_to_typologie": "",
        "referred_to_structure": "",
    }
    data.update(overrides)
    return data


def add(structure, user, **fields) -> FirstContact:
    values = {
        "channel": "sur-place",
        "age_band": "18-25",
        "statut": "lyceen",
        "besoins": ["decouvrir-metiers"],
        "answer_given": "information",
    }
    values.update(fields)
    return log.record(user, structure, **values)


def test_a_conseiller_records_a_contact_and_gets_a_new_empty_form(client, network):
    client.force_login(network["users"]["conseiller_a"])
    response = client.post(NEW, form_data(network["a"], commune="Quimper"), follow=True)
    contact = FirstContact.objects.get()
    assert contact.structure == network["a"] and contact.recorded_by == network["users"]["conseiller_a"]
    assert contact.besoins == ["choisir-formation", "alternance"]  # vocabulary order
    assert contact.commune_id == "29232" and contact.departement_id == "29"
    html = response.content.decode()
    assert "Premier contact enregistré" in html
    assert 'value="alternance" id="id_besoins_2" checked' not in html  # new form is empty…
    assert 'value="18-25" id="id_age_band_2" required checked' not in html
    assert 'value="telephone" id="id_channel_1" required checked' in html  # … but for the remembered channel
    assert 'value="information" id="id_answer_given_0" required checked' in html


def test_the_form_is_prefilled_with_today_the_structure_and_the_last_channel(client, network):
    client.force_login(network["users"]["conseiller_a"])
    html = client.get(NEW).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert "Mission locale du Pays de Cornouaille" in html
    assert f'name="structure" value="{network["a"].pk}"' in html
    client.post(NEW, form_data(network["a"], channel="visio"))
    html = client.get(NEW).content.decode()
    assert 'name="channel" value="visio" id="id_channel_2" required checked' in html


def test_without_commune_the_structures_departement_is_the_territory(client, network):
    client.force_login(network["users"]["conseiller_a"])
    client.post(NEW, form_data(network["a"]))
    contact = FirstContact.objects.get()
    assert contact.commune is None and contact.departement_id == "29"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"besoins": []}, "besoins", "Ce champ est obligatoire"),
        ({"besoins": ["inventé"]}, "besoins", "Sélectionnez un choix valide"),
        ({"date": "2999-01-01"}, "date", "dans le futur"),
        ({"date": "hier"}, "date", "Saisissez une date valide"),
        ({"commune": "Atlantide"}, "commune", "Nous n’avons pas trouvé la commune"),
        ({"channel": "pigeon"}, "channel", "Sélectionnez un choix valide"),
        ({"answer_given": "orientation"}, "referred_to_typologie", "Pour une orientation"),
        ({"referred_to_typologie": "XYZ"}, "referred_to_typologie", "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_with_an_error_on_its_field_and_nothing_saved(
    client, network, overrides, field, message
):
    client.force_login(network["users"]["conseiller_a"])
    response = client.post(NEW, form_data(network["a"], **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"id_{field}-erreur" in html and message in html
    assert 'role="alert"' in html and f'href="#id_{field}' in html
    assert not FirstContact.objects.exists()


def test_an_orientation_with_a_typologie_is_accepted(client, network):
    client.force_login(network["users"]["conseiller_a"])
    client.post(NEW, form_data(network["a"], answer_given="orientation", referred_to_typologie="CIO"))
    assert FirstContact.objects.get().referred_to_typologie == "CIO"


def test_a_conseiller_cannot_record_for_another_structure(client, network):
    client.force_login(network["users"]["conseiller_a"])
    assert client.post(NEW, form_data(network["b"])).status_code == 403
    assert client.get(NEW, {"structure": network["b"].pk}).status_code == 403
    assert not FirstContact.objects.exists()
    with pytest.raises(PermissionDenied):
        add(network["b"], network["users"]["conseiller_a"])


@pytest.mark.parametrize("role", ["tete_ml_bzh", "pilote_region", "pilote_etat", "superuser", "nobody"])
def test_non_members_neither_record_nor_list_contacts(client, network, role):
    client.force_login(network["users"][role])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(network["a"])).status_code == 403
    assert client.get("/pro/contacts", {"structure": network["a"].pk}).status_code == 403
    assert not FirstContact.objects.exists()


def test_the_list_shows_only_the_members_structure(client, network):
    add(network["a"], network["users"]["conseiller_a"], besoins=["vae"])
    add(network["b"], network["users"]["conseiller_b"], besoins=["handicap"])
    client.force_login(network["users"]["conseiller_a"])
    html = client.get("/pro/contacts").content.decode()
    assert "Validation des acquis" in html and "Handicap" not in html
    assert client.get("/pro/contacts", {"structure": network["b"].pk}).status_code == 403


def test_pilots_see_aggregates_of_their_scope_only_and_no_rows(client, network):
    users = network["users"]
    add(network["a"], users["conseiller_a"], besoins=["vae", "alternance"], channel="telephone")
    add(network["a"], users["admin_a"], besoins=["vae"], age_band="26-44")
    add(network["b"], users["conseiller_b"], besoins=["alternance"], date=dt.date(2026, 1, 15))
    c_member = users["nobody"]
    from spro.accounts.models import Membership

    Membership.objects.create(user=c_member, structure=network["c"])
    add(network["c"], c_member, besoins=["vae"])

    expected = {
        "tete_ml_bzh": 2,
        "pilote_region": 3,
        "pilote_etat_29": 2,
        "pilote_etat": 4,
        "conseiller_b": 1,
    }
    for role, total in expected.items():
        counts = log.statistics_for(users[role])
        assert counts.total == total, role
    region = log.statistics_for(users["pilote_region"])
    assert dict((code, n) for code, _, n in region.besoins)["vae"] == 2
    assert dict((code, n) for code, _, n in region.besoins)["alternance"] == 2
    assert dict((code, n) for code, _, n in region.channels)["telephone"] == 1
    assert dict((code, n) for code, _, n in region.age_bands)["26-44"] == 1
    assert log.statistics_for(users["pilote_region"], start=dt.date(2026, 2, 1)).total == 2

    client.force_login(users["pilote_region"])
    response = client.get("/pro/contacts/statistiques")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>3</strong> premiers contacts" in html
    assert "Quimper" not in html and "15/01/2026" not in html  # no row-level data


def test_statistics_refuse_users_without_any_scope_and_bad_dates(client, network):
    client.force_login(network["users"]["nobody"])
    assert client.get("/pro/contacts/statistiques").status_code == 403
    client.force_login(network["users"]["pilote_region"])
    response = client.get("/pro/contacts/statistiques", {"du": "31/12/2026"})
    assert response.status_code == 400
    assert "date invalide" in response.content.decode()


def test_the_model_refuses_unknown_codes_even_outside_the_form(network):
    user = network["users"]["conseiller_a"]
    for fields in (
        {"besoins": ["inconnu"]},
        {"besoins": []},
        {"besoins": ["vae", "vae"]},
        {"age_band": "99"},
    ):
        with pytest.raises(ValidationError):
            add(network["a"], user, **fields)
    assert not FirstContact.objects.exists()


def test_the_log_has_no_identity_field():
    names = {f.name for f in FirstContact._meta.get_fields() if isinstance(f, models.Field)}
    assert names == {
        "id", "structure", "recorded_by", "recorded_at", "date", "channel", "age_band", "statut", "commune",
        "departement", "besoins", "answer_given", "referred_to_typologie", "referred_to_structure",
    }  # fmt: skip


def test_the_online_answers_link_is_for_counting_roles_only(client, network):
    """A conseiller who is also a CREFOP member of the région keeps their structure's counts, but the link to the
    online answers' counts (a counting role's page) is not offered: it would end in a 403."""
    from spro.accounts.models import Scope, TerritorialRole

    conseiller = network["users"]["conseiller_a"]
    region = network["a"].commune.region
    Scope.objects.create(user=conseiller, role=TerritorialRole.MEMBRE_CREFOP, region=region)
    client.force_login(conseiller)
    html = client.get("/pro/contacts/statistiques").content.decode()
    assert "statistiques des réponses en ligne" not in html
    client.force_login(network["users"]["pilote_region"])
    assert "statistiques des réponses en ligne" in client.get("/pro/contacts/statistiques").content.decode()
