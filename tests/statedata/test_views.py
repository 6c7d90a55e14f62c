"""The State figures' pages: who imports, who reads, the rejection page (400, every error, nothing written)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spro.statedata.models import ImportRun, StateFigure
from tests.accounts.factories import build_network

pytestmark = pytest.mark.django_db

HEADER = "service;periode;territoire_niveau;territoire_code;indicateur;valeur"


def upload(text: str, name: str = "etat.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def network(geo):
    return build_network()


@pytest.mark.parametrize(
    ("who", "import_status", "read_status"),
    [
        ("pilote_etat", 200, 200),
        ("pilote_etat_29", 200, 200),
        ("pilote_region", 200, 200),
        ("membre_crefop", 403, 200),
        ("tete_ml_bzh", 403, 403),
        ("conseiller_a", 403, 403),
        ("partenaire_social", 403, 403),
        ("superuser", 403, 403),
    ],
)
def test_who_imports_and_who_reads(client, network, who, import_status, read_status):
    client.force_login(network["users"][who])
    assert client.get("/pro/donnees-etat/import").status_code == import_status
    assert client.get("/pro/donnees-etat").status_code == read_status


def test_anonymous_is_sent_to_the_login(client, network):
    assert client.get("/pro/donnees-etat").status_code == 302
    assert client.post("/pro/donnees-etat/import").status_code == 302


def test_a_member_cannot_post_a_file(client, network):
    client.force_login(network["users"]["conseiller_a"])
    response = client.post(
        "/pro/donnees-etat/import", {"file": upload(f"{HEADER}\ncio;2026;region;53;entretiens;1\n")}
    )
    assert response.status_code == 403 and not StateFigure.objects.exists()


def test_a_rejected_file_lists_its_errors_and_writes_nothing(client, network):
    client.force_login(network["users"]["pilote_etat"])
    text = f"{HEADER}\ncio;2026;region;53;entretiens;1\ncio;2026;region;53;entretiens;-1\n"
    response = client.post("/pro/donnees-etat/import", {"file": upload(text)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Fichier rejeté : 1 erreur, rien n’a été enregistré" in body
    assert "Ligne 3, champ « valeur »" in body
    assert not StateFigure.objects.exists() and not ImportRun.objects.exists()


def test_a_clean_file_is_imported_and_listed_with_filters(client, network):
    user = network["users"]["pilote_region"]
    client.force_login(user)
    text = (
        f"{HEADER}\ncio;2026-T1;region;53;entretiens;3\nmission_locale;2026-T1;departement;35;entretiens;40\n"
    )
    response = client.post("/pro/donnees-etat/import", {"file": upload(text)}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 valeur(s) créée(s)" in body and "2 valeurs" in body
    assert ImportRun.objects.get().imported_by == user
    filtered = client.get("/pro/donnees-etat", {"service": "cio", "periode": "2026-T1"}).content.decode()
    assert "1 valeur" in filtered and "<td>3</td>" in filtered
    none = client.get("/pro/donnees-etat", {"territoire_niveau": "commune"}).content.decode()
    assert "Aucune valeur ne correspond." in none


def test_no_file_is_a_form_error_not_a_500(client, network):
    client.force_login(network["users"]["pilote_etat"])
    response = client.post("/pro/donnees-etat/import", {})
    assert response.status_code == 400 and "Le formulaire contient une erreur" in response.content.decode()
