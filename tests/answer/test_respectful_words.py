"""Respectful words (docs/design.md, « Words for young readers »): a 17-year-old who left school is never told he
is sent to a platform « d’appui aux décrocheurs ». The word may stay in internal ids (`decrochage-mineur`) and in
the detection lexicon; it never reaches a text shown to a person."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import spro
from spro.directory import help_choices, vocabularies
from spro.directory.models import Structure

from .support import make_communes

RULES = Path(spro.__file__).parent / "answer" / "rules"
#: The fields of the rule files that the answer shows to the person (docs/answer-rules.md; `facile`: the « Facile à
#: lire » version); `id` and
#: `description` are for the Region's staff.
PUBLIC_FIELDS = {"raison", "etapes", "titre", "texte", "facile"}
#: « décrocheur », « décrocheuse », « décrochage »… however written.
WORD = re.compile(r"d[ée]croch", re.IGNORECASE)


def public_texts(node: Any, field: str = "") -> list[tuple[str, str]]:
    """Every (field, text) of a parsed rule file under a public field name."""
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in public_texts(value, str(key))]
    if isinstance(node, list):
        return [item for value in node for item in public_texts(value, field)]
    return [(field, str(node))] if field in PUBLIC_FIELDS and isinstance(node, str) else []


@pytest.mark.parametrize("name", ["orientations.yaml", "etapes.yaml", "ressources.yaml"])
def test_no_public_text_of_the_rule_files_says_decrocheur(name):
    texts = public_texts(yaml.safe_load((RULES / name).read_text(encoding="utf-8")))
    assert texts, f"{name}: no public text found (did the field names change?)"
    assert [text for _field, text in texts if WORD.search(text)] == []


def test_the_public_names_of_structure_types_and_help_choices_are_respectful():
    labels = [*vocabularies.typologies().values()]
    labels += [c.label for c in help_choices.CHOICES] + [c.description for c in help_choices.CHOICES]
    assert [label for label in labels if WORD.search(label)] == []


@pytest.mark.django_db
def test_the_answer_to_a_17_year_old_who_left_school_never_says_decrocheur(client):
    make_communes()
    for n, typologie in enumerate(("CIO", "ML", "PSAD")):
        Structure.objects.create(
            di_id=f"test--{typologie.lower()}",
            source="test",
            nom=f"Lieu {n} de Brest",
            typologie=typologie,
            date_maj="2026-10-01",
            commune_id="29019",
            latitude=48.39 + n / 1000,
            longitude=-4.486,
        )
    response = client.post(
        "/question",
        {
            "text": "J'ai 17 ans, j'ai arrêté le lycée, je suis à Brest",
            "age": "",
            "statut": "",
            "commune": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-typologie="PSAD"' in page, "the PSAD is proposed: the test reads its texts"
    shown = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "reprendre une formation" in shown
    assert WORD.findall(shown) == [], [line for line in shown.splitlines() if WORD.search(line)]


def test_the_demo_network_names_its_places_respectfully():
    """The demo PSAD are shown by name on the answer's cards: « Plateforme de Brest pour reprendre une formation
    (PSAD) », not « Plate-forme de suivi et d'appui aux décrocheurs de Brest »."""
    import gzip
    import json

    from django.conf import settings

    path = Path(settings.DATA_DIR) / "directory" / "demo-bretagne.di.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    said = [
        record.get(field) or ""
        for record in document["structures"] + document["services"]
        for field in ("nom", "description", "presentation_resume", "presentation_detail")
    ]
    assert [text for text in said if WORD.search(text)] == []


def test_the_catalogue_of_schemes_says_no_decrocheur_either():
    """The schemes' pages (spro.aides, « Droit au retour en formation ») are read by the same young people."""
    catalogue = Path(spro.__file__).parent / "aides" / "catalogue"

    def strings(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [text for key, value in node.items() if key != "id" for text in strings(value)]
        if isinstance(node, list):
            return [text for value in node for text in strings(value)]
        return [node] if isinstance(node, str) else []

    files = sorted(catalogue.glob("*.yaml"))
    assert files, catalogue
    said = {
        path.name: [
            text for text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))) if WORD.search(text)
        ]
        for path in files
    }
    assert {name: texts for name, texts in said.items() if texts} == {}
