"""The public structure page (issue 14): « Mis à jour le » with a date in words, what to know or bring, how to get
there, and no label without its value (never « Téléphone » without a number)."""

from __future__ import annotations

import re

import pytest

from tests.directory.conftest import import_file, service, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(geo, write_document):
    report = import_file(
        write_document(
            [
                structure(
                    "full",
                    nom="Mission locale complète",
                    telephone="02 99 12 34 56",
                    adresse="12 rue de la Gare",
                    date_maj="2026-10-01",
                    date_verification="2026-11-03",
                    accessibilite_pmr=True,
                ),
                structure(
                    "bare",
                    nom="Point accueil sans détails",
                    telephone="non communiqué",
                    zone_competence=[],
                    publics=[],
                    latitude=None,
                    longitude=None,
                    adresse="",
                    date_verification=None,
                ),
            ],
            [service("full", conditions_acces="Apporter une pièce d’identité et un CV si vous en avez un.")],
        )
    )
    assert report.status == "success", report.error


def page(client, name: str) -> str:
    response = client.get(f"/structures/test--{name}")
    assert response.status_code == 200
    return response.content.decode()


def visible_labels(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<dt>(.*?)</dt>", html, flags=re.S)
    ]


def test_every_structure_page_says_when_it_was_updated_in_words(client, places):
    full = page(client, "full")
    assert "Mis à jour le 3 novembre 2026." in full  # the later of the update and the check
    assert full.index("Mis à jour le") < full.index("Être contacté par cette structure")
    assert "Mis à jour le 1er octobre 2026." in page(client, "bare")


def test_what_to_bring_and_how_to_get_there_when_known(client, places):
    full = page(client, "full")
    assert "Avant de venir" in full and "Apporter une pièce d’identité" in full
    assert "Comment venir" in full
    assert 'href="https://www.openstreetmap.org/directions?to=48.1113%2C-1.68"' in full
    bare = page(client, "bare")
    assert "Avant de venir" not in bare and "Voir l’itinéraire" not in bare


def test_a_phone_label_only_with_a_number_and_no_empty_field(client, places):
    full = page(client, "full")
    assert 'href="tel:+33299123456">02 99 12 34 56</a>' in full
    assert {"Téléphone", "Accès en fauteuil roulant"} <= set(visible_labels(full))
    bare = page(client, "bare")
    assert "Téléphone" not in visible_labels(bare) and "non communiqué" not in bare
    for empty in ("Non précisé", "Non renseigné", "Zone de compétence"):
        assert empty not in bare, empty
