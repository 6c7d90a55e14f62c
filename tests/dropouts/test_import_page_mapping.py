"""The import page's column mapping: the CLI's `--correspondance` format, read by the same parser; a malformed
mapping is a 400 with a French message and nothing written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from spro.dropouts.models import ImportRun, YoungPerson
from tests.dropouts.conftest import HEADER, line

pytestmark = pytest.mark.django_db

#: The contract's header with two columns named as a source system names them.
SOURCE_HEADER = HEADER.replace("nom;prenom", "NOM_ELEVE;PRENOM_ELEVE").replace("ine;", "INE_ELEVE;", 1)


def _upload(header: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "liste.csv", ("\n".join([header, *lines]) + "\n").encode("utf-8"), content_type="text/csv"
    )


def _post(zone_world, data: dict):
    client = Client()
    client.force_login(zone_world["users"]["coordinateur_quimper"])
    return client.post("/pro/decrochage/importer", data)


def test_the_page_offers_the_mapping_field(zone_world):
    client = Client()
    client.force_login(zone_world["users"]["coordinateur_quimper"])
    page = client.get("/pro/decrochage/importer").content.decode()
    assert 'name="correspondance"' in page and "NOM_ELEVE=nom" in page


def test_a_list_with_other_headers_imports_through_the_mapping(zone_world):
    assert SOURCE_HEADER.startswith("INE_ELEVE;NOM_ELEVE;PRENOM_ELEVE;")
    response = _post(
        zone_world,
        {
            "fichier": _upload(SOURCE_HEADER, line(ine="1234567890A", nom="Hélias", prenom="Anaïs")),
            "campagne": "2026-01",
            "correspondance": "nom_eleve=nom, PRENOM_ELEVE=prenom,INE_ELEVE=ine",
        },
    )
    assert response.status_code == 200
    assert "1 jeune créé" in response.content.decode()
    person = YoungPerson.objects.get()
    assert (person.nom, person.prenom, person.ine) == ("Hélias", "Anaïs", "1234567890A")


def test_without_the_mapping_the_same_file_names_its_missing_columns(zone_world):
    response = _post(zone_world, {"fichier": _upload(SOURCE_HEADER, line()), "campagne": "2026-01"})
    assert response.status_code == 400
    assert "nom" in response.content.decode() and not YoungPerson.objects.exists()


@pytest.mark.parametrize(
    "mapping", ["NOM_ELEVE=inconnue", "NOM_ELEVE", "=nom", "NOM_ELEVE=nom,PRENOM_ELEVE=prénom"]
)
def test_a_malformed_mapping_is_a_400_in_french_and_writes_nothing(zone_world, mapping):
    response = _post(
        zone_world,
        {"fichier": _upload(SOURCE_HEADER, line()), "campagne": "2026-01", "correspondance": mapping},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Correspondance « " in text and "colonne parmi" in text
    assert not YoungPerson.objects.exists() and not ImportRun.objects.exists()
