"""The person's journey over HTTP: consent, form, double submit, rate limit, follow link, withdraw and delete."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from spro.referrals import services
from spro.referrals.models import OutboxMessage, Referral, Status

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def url(structure) -> str:
    return f"/structures/{structure.di_id}/etre-contacte"


def form_key(client, structure) -> str:
    response = client.post(
        url(structure), {"etape": "consentement", "consentement": services.CONSENT_TEXT_VERSION}
    )
    assert response.status_code == 200
    return re.search(r'name="cle" value="([^"]+)"', response.content.decode()).group(1)


def submit(client, structure, key: str, **fields):
    data = {
        "etape": "formulaire",
        "consentement": services.CONSENT_TEXT_VERSION,
        "cle": key,
        "first_name": "Camille",
        "contact_channel": "courriel",
        "contact_value": "camille@example.org",
        "message": "Je cherche une formation.",
        "besoins": ["choisir-formation", "financer-formation"],
    }
    data.update(fields)
    return client.post(url(structure), data)


def test_consent_screen_says_what_whom_and_how_long(client, structure, settings):
    settings.SPRO_REFERRAL_RETENTION_MONTHS = 18
    response = client.get(url(structure))
    html = response.content.decode()
    assert response.status_code == 200
    assert "CIO de Rennes" in html and "18 mois" in html and "30 jours" in html
    assert "votre prénom" in html and "csrfmiddlewaretoken" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_needs_posted_by_the_answer_page_are_carried_through_consent_and_pre_checked(client, structure):
    # The answer page posts its needs (never in the address); unknown codes and repeats are dropped.
    sent = ["choisir-formation", "pas-un-besoin", "financer-formation", "choisir-formation"]
    consent = client.post(url(structure), {"besoins": sent}).content.decode()
    carried = re.findall(r'<input type="hidden" name="besoins" value="([^"]+)">', consent)
    assert carried == ["choisir-formation", "financer-formation"]
    assert 'id="besoins-repris"' in consent
    form = client.post(
        url(structure),
        {"etape": "consentement", "consentement": services.CONSENT_TEXT_VERSION, "besoins": carried},
    ).content.decode()
    checked = re.findall(r'<input type="checkbox" name="besoins" value="([^"]+)"[^>]*\bchecked\b', form)
    assert sorted(checked) == ["choisir-formation", "financer-formation"]
    # Refusing consent keeps them for the next try; a plain visit carries none.
    refused = client.post(url(structure), {"etape": "consentement", "besoins": carried}).content.decode()
    assert re.findall(r'<input type="hidden" name="besoins" value="([^"]+)">', refused) == carried
    plain = client.get(url(structure)).content.decode()
    assert 'type="hidden" name="besoins"' not in plain and "besoins-repris" not in plain
    unchecked = client.post(
        url(structure), {"etape": "consentement", "consentement": services.CONSENT_TEXT_VERSION}
    ).content.decode()
    assert not re.findall(r'<input type="checkbox" name="besoins"[^>]*\bchecked\b', unchecked)


def test_unknown_or_retired_structure_is_404(client, structure):
    assert client.get("/structures/test--inconnue/etre-contacte").status_code == 404
    structure.is_active = False
    structure.save()
    assert client.get(url(structure)).status_code == 404


def test_full_request_creates_a_referral_and_redirects_to_the_follow_page(client, structure):
    response = submit(client, structure, form_key(client, structure))
    assert response.status_code == 303
    assert re.fullmatch(r"/suivi/[A-Za-z0-9_-]{43}\?envoyee=1", response["Location"])
    referral = Referral.objects.get()
    assert (referral.first_name, referral.contact_value, referral.status) == (
        "Camille",
        "camille@example.org",
        "nouvelle",
    )
    assert referral.besoins == ["choisir-formation", "financer-formation"]
    assert referral.consent_text_version == services.CONSENT_TEXT_VERSION
    follow = client.get(response["Location"])
    html = follow.content.decode()
    assert follow.status_code == 200 and "Votre demande a bien été envoyée" in html
    token = response["Location"].split("/")[2].split("?")[0]
    assert f"http://testserver/suivi/{token}" in html
    assert f"http://testserver/suivi/{token}" in OutboxMessage.objects.get(to_person=True).body


def test_double_submit_creates_one_referral(client, structure):
    key = form_key(client, structure)
    first = submit(client, structure, key)
    second = submit(client, structure, key)
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


def test_consent_is_required(client, structure):
    key = form_key(client, structure)
    response = submit(client, structure, key, consentement="")
    assert response.status_code == 400
    assert "vous devez d’abord accepter" in response.content.decode()
    assert Referral.objects.count() == 0


def test_csrf_is_required(structure):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url(structure), {"etape": "consentement", "consentement": services.CONSENT_TEXT_VERSION}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"first_name": ""}, "id_first_name", "Ce champ est obligatoire"),
        ({"contact_value": "pas-une-adresse"}, "id_contact_value", "adresse électronique valide"),
        (
            {"contact_channel": "telephone", "contact_value": "12"},
            "id_contact_value",
            "numéro de téléphone valide",
        ),
        ({"contact_channel": "pigeon"}, "id_contact_channel", "Sélectionnez un choix valide"),
        ({"message": "x" * 1001}, "id_message", "1000 caractères"),
        ({"besoins": ["inconnu"]}, "id_besoins", "Sélectionnez un choix valide"),
        ({"cle": "bidouille"}, "id_cle", "Le formulaire a expiré"),
    ],
)
def test_invalid_input_is_400_with_errors_linked_to_fields(client, structure, fields, field_id, message):
    response = submit(client, structure, form_key(client, structure), **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert Referral.objects.count() == 0
    assert 'role="alert"' in html
    if field_id != "id_cle":
        assert f'href="#{field_id}"' in html and f'id="{field_id}-erreur"' in html
        element = re.search(rf'<[a-z]+ [^>]*id="{field_id}"[^>]*>', html).group(0)
        assert re.search(rf'aria-describedby="[^"]*{field_id}-erreur', element), element


def test_phone_channel_is_accepted(client, structure):
    response = submit(
        client,
        structure,
        form_key(client, structure),
        contact_channel="telephone",
        contact_value="06 12 34 56 78",
    )
    assert response.status_code == 303
    assert Referral.objects.get().contact_value == "06 12 34 56 78"


def test_creations_are_rate_limited_per_client_but_not_double_submits(client, structure, settings):
    settings.SPRO_REFERRAL_RATE_LIMIT = "2/hour"
    keys = [form_key(client, structure) for _ in range(3)]
    assert submit(client, structure, keys[0]).status_code == 303
    assert submit(client, structure, keys[1]).status_code == 303
    assert submit(client, structure, keys[0]).status_code == 303  # a double submit is not counted
    blocked = submit(client, structure, keys[2])
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "Trop de demandes" in blocked.content.decode()
    assert Referral.objects.count() == 2
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert submit(other, structure, form_key(other, structure)).status_code == 303


def test_unknown_step_is_404(client, structure):
    response = client.post(url(structure), {"etape": "autre", "consentement": services.CONSENT_TEXT_VERSION})
    assert response.status_code == 404


@pytest.mark.parametrize("token", ["x" * 43, "court", "A" * 42 + "%21"])
def test_forged_follow_link_is_404(client, token, referral):
    assert client.get(f"/suivi/{token}").status_code == 404
    assert client.post(f"/suivi/{token}/retirer").status_code == 404
    assert client.post(f"/suivi/{token}/supprimer").status_code == 404


def test_expired_follow_link_is_410_and_changes_nothing(client, structure):
    referral, token = make_referral(structure)
    Referral.objects.filter(pk=referral.pk).update(
        follow_link_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(f"/suivi/{token}").status_code == 410
    assert client.post(f"/suivi/{token}/retirer").status_code == 410
    assert client.post(f"/suivi/{token}/supprimer").status_code == 410
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE and not referral.is_anonymised


def test_follow_page_shows_status_and_what_was_shared(client, structure):
    _, token = make_referral(structure)
    html = client.get(f"/suivi/{token}").content.decode()
    assert "Nouvelle" in html and "camille@example.org" in html and "Retirer ma demande" in html


def test_withdraw_asks_for_confirmation_then_withdraws(client, structure):
    referral, token = make_referral(structure)
    confirm = client.get(f"/suivi/{token}/retirer")
    assert confirm.status_code == 200 and "Oui, retirer ma demande" in confirm.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.NOUVELLE  # a GET changes nothing
    response = client.post(f"/suivi/{token}/retirer")
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Votre demande a été retirée" in page and "camille@example.org" not in page
    referral.refresh_from_db()
    assert referral.status == Status.RETIREE and referral.is_anonymised
    # Withdrawing again is harmless.
    assert client.post(f"/suivi/{token}/retirer").status_code == 303


def test_delete_erases_data_and_the_link_stops_working(client, structure):
    referral, token = make_referral(structure)
    assert client.get(f"/suivi/{token}/supprimer").status_code == 200
    response = client.post(f"/suivi/{token}/supprimer")
    assert response.status_code == 200 and "Vos données ont été supprimées" in response.content.decode()
    referral.refresh_from_db()
    assert referral.is_anonymised and referral.status == Status.RETIREE
    assert client.get(f"/suivi/{token}").status_code == 404


def test_commune_is_read_by_the_one_resolver(client, structure, geo):
    response = submit(client, structure, form_key(client, structure), commune="rennes")
    assert response.status_code == 303
    assert Referral.objects.get().commune_id == "35238"
    unknown = submit(client, structure, form_key(client, structure), commune="Atlantide")
    assert unknown.status_code == 400 and "Nous n’avons pas trouvé la commune" in unknown.content.decode()
    # A postal code shared by several communes (35000 in these test communes): the form offers them as choices.
    key = form_key(client, structure)
    shared = submit(client, structure, key, commune="35000").content.decode()
    assert "Plusieurs communes correspondent à « 35000 »" in shared
    assert 'type="radio" name="commune" value="Vitré (35)"' in shared
    chosen = submit(client, structure, key, commune=["35000", "Vitré (35)"])
    assert chosen.status_code == 303
    assert Referral.objects.order_by("-pk").first().commune_id == "35360"
    # A typo and a postal code with the name (« Saint Malo 35000 »): the commune, never a refusal.
    submit(client, structure, form_key(client, structure), commune="St Malo 35000")
    assert Referral.objects.order_by("-pk").first().commune_id == "35288"


@pytest.mark.parametrize("step", ["consentement", "formulaire"])
@pytest.mark.parametrize("version", ["2025-01-ancien-texte", "x", services.CONSENT_TEXT_VERSION + " "])
def test_a_stale_or_unknown_consent_version_is_refused_at_each_step(client, structure, step, version):
    """Consent is to one wording: a page shown before the text changed (or a forged value) must consent again."""
    key = form_key(client, structure)
    response = submit(client, structure, key, etape=step, consentement=version)
    assert response.status_code == 400
    assert "vous devez d’abord accepter" in response.content.decode()
    assert not Referral.objects.exists()
