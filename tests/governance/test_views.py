"""Pages of spro.governance: who sees what (403 / login), the forms (French errors, no partial write), document
downloads, the ICS feeds, the public /reseau with its filters and open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from spro.governance import services
from spro.governance.models import (
    Amendment,
    Charter,
    CharterSignature,
    Convention,
    ConventionDocument,
    NetworkMember,
    TerminationNotice,
)

PDF = b"%PDF-1.7\n%%EOF\n"


def _login(client, user):
    client.force_login(user)
    return client


PRO_PAGES = ["governance:conventions", "governance:convention-create", "governance:calendar"]


@pytest.mark.parametrize("name", PRO_PAGES)
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        ("pilote_region", 200, 200),
        ("pilote_etat", 200, 403),
        ("pilote_etat_29", 200, 403),
        ("admin_a", 403, 403),
        ("tete_ml_bzh", 403, 403),
        ("partenaire_social", 403, 403),
        ("nobody", 403, 403),
    ],
)
def test_convention_pages_by_role(client, users, convention, role, list_status, create_status):
    _login(client, users[role])
    assert client.get(reverse("governance:conventions")).status_code == list_status
    assert client.get(reverse("governance:convention", args=[convention.pk])).status_code == list_status
    assert client.get(reverse("governance:convention-create")).status_code == create_status


def test_the_region_records_a_convention_with_its_parties(client, users):
    _login(client, users["pilote_region"])
    response = client.post(
        reverse("governance:convention-create"),
        {
            "kind": "cadre",
            "title": "Convention cadre SPRO",
            "signed_on": "01/03/2025",
            "effective_on": "15/03/2025",
            "cprdfop_end": "14/03/2027",
            "party_1": "Région Bretagne",
            "role_1": "president_region",
            "party_2": "État",
            "role_2": "prefet_region",
        },
    )
    convention = Convention.objects.get()
    assert response.status_code == 302
    assert [(p.organisation, p.signatory_role) for p in convention.parties.all()] == [
        ("Région Bretagne", "president_region"),
        ("État", "prefet_region"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "<td>15/03/2025</td><td>14/03/2026</td>" in page
    assert "Président·e du conseil régional" in page
    assert "14/03/2027 (fin du CPRDFOP)" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cprdfop_end": "31/02/2027"}, "date qui existe"),
        ({"cprdfop_end": ""}, "obligatoire"),
        ({"effective_on": "15/03/2028"}, "CPRDFOP ne peut pas précéder"),
        ({"kind": "annexe"}, "convention cadre dont elle dépend"),
        ({"kind": "inconnu"}, "Sélectionnez un choix valide"),
        ({"structure": "inconnue"}, "Aucune structure de l’annuaire"),
    ],
)
def test_a_bad_convention_form_is_a_french_error_and_writes_nothing(client, users, fields, message):
    _login(client, users["pilote_region"])
    data = {"kind": "cadre", "title": "C", "effective_on": "15/03/2025", "cprdfop_end": "14/03/2027"}
    data.update(fields)
    response = client.post(reverse("governance:convention-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Convention.objects.exists()


def test_amendment_document_and_notice_through_the_page(client, users, convention):
    _login(client, users["pilote_region"])
    url = lambda action: reverse("governance:convention-action", args=[convention.pk, action])  # noqa: E731
    assert (
        client.post(
            url("avenant"), {"number": "1", "signed_on": "01/06/2025", "subject": "Objet"}
        ).status_code
        == 302
    )
    response = client.post(url("avenant"), {"number": "1", "signed_on": "01/06/2025", "subject": "Objet"})
    assert response.status_code == 400 and "existe déjà" in response.content.decode()
    amendment = Amendment.objects.get()
    upload = SimpleUploadedFile("avenant 1.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url("document"), {"title": "Avenant 1", "amendment": str(amendment.pk), "file": upload}
    )
    assert response.status_code == 302
    document = ConventionDocument.objects.get()
    assert (document.amendment, document.version) == (amendment, 1)
    hostile = SimpleUploadedFile(
        "texte.pdf", b"<html><script>x</script></html>", content_type="application/pdf"
    )
    response = client.post(url("document"), {"title": "X", "file": hostile})
    assert response.status_code == 400 and "page web" in response.content.decode()
    assert ConventionDocument.objects.count() == 1
    response = client.post(url("denonciation"), {"sent_on": "31/12/2025", "sent_by": "État"})
    assert response.status_code == 302
    assert TerminationNotice.objects.get().sent_on == dt.date(2025, 12, 31)
    assert "28/02/2026 (deux mois après la dénonciation)" in client.get(response["Location"]).content.decode()
    assert client.post(url("inconnue"), {}).status_code == 404


def test_state_readers_cannot_post(client, users, convention):
    _login(client, users["pilote_etat"])
    url = reverse("governance:convention-action", args=[convention.pk, "avenant"])
    assert client.post(url, {"number": "1", "signed_on": "01/06/2025", "subject": "Objet"}).status_code == 403
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pilote_region", 200),
        ("pilote_etat", 200),
        ("admin_a", 403),
        ("partenaire_social", 403),
        ("nobody", 403),
    ],
)
def test_documents_are_served_only_to_readers(client, users, convention, role, status):
    document = services.add_document(
        users["pilote_region"], convention, SimpleUploadedFile("c.pdf", PDF), "Texte"
    )
    _login(client, users[role])
    response = client.get(reverse("governance:document", args=[document.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def test_ics_feed_by_login_and_by_private_token(client, users, convention):
    _login(client, users["pilote_etat"])
    response = client.get(reverse("governance:calendar"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"Reconduction tacite" in response.content or b"Fin de la convention" in response.content
    response = client.post(reverse("governance:calendar-token"))
    assert response.status_code == 302
    page = client.get(reverse("governance:conventions")).content.decode()
    start = page.index("/conventions/calendrier/")
    feed = page[start : page.index(".ics", start) + 4]
    client.logout()
    assert client.get(feed).status_code == 200
    assert client.get("/conventions/calendrier/faux.ics").status_code == 404
    _login(client, users["admin_a"])
    assert client.get(reverse("governance:calendar")).status_code == 403
    assert client.post(reverse("governance:calendar-token")).status_code == 403


def test_charter_page_signing_by_keyboard_form(client, users, members):
    services.publish_charter(users["pilote_region"], "Nous nous engageons à orienter sans discriminer.")
    _login(client, users["admin_a"])
    page = client.get(reverse("governance:charter")).content.decode()
    assert "Signer la charte pour Mission locale du Pays de Cornouaille" in page
    url = reverse("governance:charter-sign", args=[members["a"].pk])
    response = client.post(url, {})
    assert response.status_code == 400 and "Cochez la case" in response.content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert CharterSignature.objects.get().signed_by == users["admin_a"]
    assert (
        client.post(reverse("governance:charter-sign", args=[members["b"].pk]), {"confirm": "on"}).status_code
        == 403
    )


def test_charter_overview_lists_who_has_not_signed(client, users, members):
    services.publish_charter(users["pilote_region"], "Texte v1")
    _login(client, users["pilote_etat"])
    page = client.get(reverse("governance:charter")).content.decode()
    assert "Membres qui n’ont pas signé la version 1" in page
    assert "CIO de Rennes" in page
    assert "Publier une nouvelle version" not in page
    _login(client, users["nobody"])
    assert client.get(reverse("governance:charter")).status_code == 403


def test_the_region_publishes_a_version_and_adds_a_member(client, users, network):
    _login(client, users["pilote_region"])
    response = client.post(
        reverse("governance:charter-action", args=["publier"]), {"title": "Charte", "text": "T"}
    )
    assert response.status_code == 302 and Charter.objects.get().version == 1
    response = client.post(
        reverse("governance:charter-action", args=["membre"]),
        {"structure": network["c"].di_id, "network": "ML", "started_on": "01/01/2026"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("governance:charter-action", args=["membre"]),
        {"structure": network["c"].di_id, "network": "ML", "started_on": "01/01/2026"},
    )
    assert response.status_code == 400 and "déjà membre" in response.content.decode()
    response = client.post(
        reverse("governance:charter-action", args=["membre"]),
        {"structure": "inconnue", "started_on": "01/01/2026"},
    )
    assert "Aucune structure active" in response.content.decode()
    assert NetworkMember.objects.count() == 1
    _login(client, users["pilote_etat"])
    assert (
        client.post(reverse("governance:charter-action", args=["publier"]), {"text": "T"}).status_code == 403
    )


def test_public_reseau_page_filters_and_open_data(client, users, members):
    charter = services.publish_charter(users["pilote_region"], "Texte")
    services.sign_charter(users["admin_a"], members["a"], charter)
    page = client.get(reverse("governance:reseau")).content.decode()
    assert "2 membres" in page
    assert "Finistère (29)" in page and "Ille-et-Vilaine (35)" in page
    assert "charte signée (version 1)" in page
    page = client.get(reverse("governance:reseau"), {"territoire": "35"}).content.decode()
    assert "1 membre pour ces filtres" in page and "Mission locale du Pays" not in page
    page = client.get(
        reverse("governance:reseau"), {"reseau": "ML", "territoire": "<script>"}
    ).content.decode()
    assert "1 membre pour ces filtres" in page and "<script>" not in page
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("governance:reseau-csv")).content.decode())))
    assert [(r["nom"], r["reseau"], r["charte_version_signee"]) for r in rows] == [
        ("CIO de Rennes", "CIO", ""),
        ("Mission locale du Pays de Cornouaille", "ML", "1"),
    ]
    assert "admin.a@example.org" not in client.get(reverse("governance:reseau-csv")).content.decode()
    document = json.loads(client.get(reverse("governance:reseau-json")).content)
    assert {s["id"] for s in document["structures"]} == {
        members["a"].structure.di_id,
        members["b"].structure.di_id,
    }
    record = next(s for s in document["structures"] if s["id"] == members["a"].structure.di_id)
    assert record["nom"] == "Mission locale du Pays de Cornouaille"
    assert record["spro_membre"]["charte_version_signee"] == 1
    assert record["spro_membre"]["reseau"] == "ML"


def test_charter_document_is_public_when_there_is_one(client, users):
    services.publish_charter(users["pilote_region"], "Texte", upload=SimpleUploadedFile("charte.pdf", PDF))
    services.publish_charter(users["pilote_region"], "Texte v2")
    response = client.get(reverse("governance:charter-document", args=[1]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    # Read to the end: the test client then closes the file.
    assert b"".join(response.streaming_content) == PDF
    assert client.get(reverse("governance:charter-document", args=[2])).status_code == 404
    assert client.get(reverse("governance:charter-document", args=[9])).status_code == 404


def test_the_region_edits_a_convention_and_its_parties(client, network, users, convention):
    _login(client, users["pilote_region"])
    url = reverse("governance:convention-edit", args=[convention.pk])
    page = client.get(url).content.decode()
    assert 'value="15/03/2025"' in page
    response = client.post(
        url,
        {
            "kind": "cadre",
            "title": "Convention cadre (révisée)",
            "signed_on": "01/03/2025",
            "effective_on": "15/03/2025",
            "cprdfop_end": "31/12/2028",
            "party_1": "Région Bretagne",
            "role_1": "president_region",
            "party_2": "Rectorat",
            "role_2": "recteur",
            "name_2": "Mme Dupont",
            "structure": network["b"].di_id,
        },
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.structure == network["b"]
    assert convention.parties.get(signatory_role="recteur").signatory_name == "Mme Dupont"
    assert "Structure concernée" in client.get(response["Location"]).content.decode()
    assert (convention.title, convention.cprdfop_end) == ("Convention cadre (révisée)", dt.date(2028, 12, 31))
    assert [p.signatory_role for p in convention.parties.all()] == ["president_region", "recteur"]
    _login(client, users["pilote_etat"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "cadre", "title": "X", "cprdfop_end": "31/12/2028"}).status_code == 403
    convention.refresh_from_db()
    assert convention.title == "Convention cadre (révisée)"
