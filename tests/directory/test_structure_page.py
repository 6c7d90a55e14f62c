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


# --- The zone of competence in one line, the codes for professionals (issue 14, docs/design/structures.md) ---------

ZONE = ["35238", "35051", "35360", "35288", "29019"]


@pytest.fixture
def zoned(geo, write_document):
    from spro.referentials.geo.models import Commune

    Commune.objects.filter(code_insee="35238").update(population=222000)
    Commune.objects.filter(code_insee="29019").update(population=139000)
    report = import_file(
        write_document(
            [
                structure(
                    "communes",
                    nom="Lieu d’accueil des jeunes",
                    typologie="ML",
                    zone_competence=ZONE,
                    siret="13002526500013",
                ),
                structure("dep", nom="Lieu du département", zone_competence=["35"]),
            ],
            [],
        )
    )
    assert report.status == "success", report.error


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_long_zone_is_one_line_with_the_full_list_folded(client, zoned):
    html = page(client, "communes")
    assert "<p>5 communes, dont Rennes, Brest, Cesson-Sévigné…</p>" in html  # the most populated first
    fold = re.search(
        r'<details class="fold">\s*<summary>Voir toute la liste</summary>(.*?)</details>', html, re.S
    )
    assert fold, "the full list is in a native <details>"
    assert "Communes (5)" in fold.group(1)
    assert "Brest, Cesson-Sévigné, Rennes, Saint-Malo, Vitré." in fold.group(1)
    assert "Zone de compétence" not in visible_text(html.split('class="pro-codes"')[0])


def test_a_short_zone_is_said_without_a_fold(client, zoned):
    html = page(client, "dep")
    assert "<p>Ille-et-Vilaine (35).</p>" in html
    assert "Voir toute la liste" not in html


def test_codes_are_in_a_pro_fold_out_at_the_end_and_nowhere_else(client, zoned):
    html = page(client, "communes")
    pro = re.search(
        r'<details class="pro-codes">\s*<summary>Pour les professionnels</summary>.*?<dl>(.*?)</dl>\s*</details>',
        html,
        re.S,
    )
    assert pro, "the « Pour les professionnels » fold-out"
    codes = dict(
        zip(
            (visible_text(t).strip() for t in re.findall(r"<dt>(.*?)</dt>", pro.group(1), re.S)),
            (visible_text(t).strip() for t in re.findall(r"<dd>(.*?)</dd>", pro.group(1), re.S)),
            strict=True,
        )
    )
    assert codes["SIRET"] == "13002526500013" and codes["SIREN"] == "130025265"
    assert codes["Typologie (data·inclusion)"] == "ML"
    assert codes["Identifiant data·inclusion"] == "test--communes"
    assert codes["Zone de compétence (codes)"] == ", ".join(sorted(ZONE))  # as stored: sorted
    # Nothing after it in the article, and no code before it in the page's text.
    assert html.index('class="pro-codes"') > html.index('id="titre-zone"')
    before = visible_text(html[: html.index('class="pro-codes"')])
    for code in ("13002526500013", "130025265", "test--communes", "35238", "29019"):
        assert code not in before, code
    assert "Mission locale" in before and " ML " not in before


def test_the_folded_list_is_in_french_alphabetical_order():
    from spro.directory.presenters import _alphabetical

    names = ["Bruz", "Brie", "Bréal-sous-Montfort", "Acigné", "Étrelles"]
    assert sorted(names, key=_alphabetical) == ["Acigné", "Bréal-sous-Montfort", "Brie", "Bruz", "Étrelles"]
