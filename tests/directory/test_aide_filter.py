"""`/structures`: « Je cherche de l’aide pour… » (spro.directory.help_choices) instead of a list of acronyms; the old
`typologie=<code>` parameter of links still works; an unknown choice is said on the page, never a 500."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from spro.directory import help_choices, vocabularies

from .conftest import import_file, structure

pytestmark = pytest.mark.django_db

#: One structure per typology the tests filter on, all in Rennes and competent for Ille-et-Vilaine.
PLACES = {
    "cio": "CIO",
    "ml": "ML",
    "ft": "FT",
    "cap": "CAP_EMPLOI",
    "cep": "CEP",
    "tp": "TRANSITIONS_PRO",
    "psad": "PSAD",
    "e2c": "E2C",
    "dava": "DAVA",
    "scuio": "SCUIO",
    "pij": "PIJ_BIJ",
    "apec": "APEC",
}


@pytest.fixture
def network(geo, write_document):
    report = import_file(
        write_document(
            [structure(name, nom=f"Lieu {name}", typologie=code) for name, code in PLACES.items()], []
        )
    )
    assert report.status == "success", report.error


def names(html: str) -> set[str]:
    return set(re.findall(r'<h3><a href="/structures/test--[^"]+">Lieu ([a-z0-9]+)</a></h3>', html))


def test_every_choice_names_known_typologies_in_words_without_a_bare_acronym():
    known = vocabularies.typologies()
    assert len({aide.value for aide in help_choices.CHOICES}) == len(help_choices.CHOICES)
    for aide in help_choices.CHOICES:
        assert aide.typologies and set(aide.typologies) <= set(known), aide.value
        assert re.fullmatch(r"[a-z0-9-]+", aide.value), aide.value
        # A sentence, not an acronym: the first word is not in capitals (« CIO », « ML »).
        first = aide.label.split()[0]
        assert not (first.isupper() and len(first) > 1), aide.label
        assert aide.description


def test_every_typology_of_the_demo_network_is_behind_a_choice():
    path = Path(settings.DATA_DIR) / "directory" / "demo-bretagne.di.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        present = {s["typologie"] for s in json.load(handle)["structures"]}
    covered = {code for aide in help_choices.CHOICES for code in aide.typologies}
    assert present - covered == set()


def test_the_form_offers_the_choices_in_words_not_the_acronyms(client, network):
    html = client.get("/structures").content.decode()
    assert '<label for="aide">Je cherche de l’aide pour…</label>' in html
    assert 'name="typologie"' not in html and "Type de structure" not in html
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', html)
    shown = dict(options)
    assert shown["orientation"] == "Choisir une orientation, des études (collège, lycée)"
    assert shown["reprendre-une-formation"] == "Reprendre une formation après avoir quitté l’école"
    # Only the choices with a structure in the directory (no MDPH, CCAS… here).
    assert "handicap" not in shown and "aides-sociales" not in shown


@pytest.mark.parametrize("aide", [aide.value for aide in help_choices.CHOICES], ids=str)
def test_each_choice_keeps_the_structures_of_its_typologies(client, network, aide):
    response = client.get("/structures", {"commune": "Rennes", "aide": aide, "rayon_km": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    expected = {name for name, code in PLACES.items() if code in help_choices.get(aide).typologies}
    assert names(html) == expected
    assert f'<option value="{aide}" selected>' in html or not expected
    assert f"Votre choix : {help_choices.get(aide).label}." in html


def test_a_choice_of_several_typologies_and_its_pages_keep_the_choice(client, network):
    html = client.get(
        "/structures", {"commune": "Rennes", "aide": "reprendre-une-formation"}
    ).content.decode()
    assert names(html) == {"psad", "e2c"}
    assert (
        "Plateforme qui aide les jeunes à reprendre une formation (PSAD)" in html
    )  # the card's type, in words


def test_the_old_typologie_parameter_still_filters_on_one_typology(client, network):
    response = client.get("/structures", {"commune": "Rennes", "typologie": "PSAD"})
    html = response.content.decode()
    assert response.status_code == 200 and names(html) == {"psad"}
    assert (
        "Lieux de ce type seulement : Plateforme qui aide les jeunes à reprendre une formation (PSAD)."
        in html
    )
    # The form shows the choice that includes it: submitting it again widens to the whole choice.
    assert '<option value="reprendre-une-formation" selected>' in html
    # A choice made on the form replaces the typology of a link.
    both = client.get("/structures", {"commune": "Rennes", "typologie": "PSAD", "aide": "emploi"})
    assert names(both.content.decode()) == {"ft"}


@pytest.mark.parametrize("value", ["mentor", "CIO", "x" * 300, "orientation\x00"])
def test_an_unknown_choice_is_said_on_the_page_never_a_500(client, network, value):
    response = client.get("/structures", {"commune": "Rennes", "aide": value})
    html = response.content.decode()
    if value == "orientation\x00":  # the control character is removed: a known choice remains
        assert response.status_code == 200 and names(html) == {"cio"}
        return
    assert response.status_code == 400
    assert 'id="erreurs"' in html and "Ce choix n’existe pas" in html
    assert names(html) == set()


def test_result_cards_show_the_type_in_words(client, network):
    html = client.get("/structures", {"commune": "Rennes", "aide": "jeunes-16-25"}).content.decode()
    assert '<span class="badge">Mission locale</span>' in html
    assert '<span class="badge">ML</span>' not in html


def test_public_typology_labels_start_with_words_not_an_acronym():
    """The label of a typology is what result cards and the answer show: words first, the acronym after if at
    all (« École de la 2e chance (E2C) », not « E2C - École de la 2e chance »)."""
    for code, label in vocabularies.typologies().items():
        first = re.split(r"[\s,—-]+", label)[0]
        assert not (first.isupper() and len(first) > 1), (code, label)
