"""The Region's own links (issue 12 §3): the packaged cards point to national sites only, a Region's liens.yaml in
the rules folder (`SPRO_ANSWER_RULES_DIR`) replaces a card's url/titre by its id, the Bretagne values ship as a
labelled demo, and a broken liens.yaml is reported by `spro check` (run by every migrate and deploy) and
`spro answer_rules check`, naming the file, the link and the field."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from spro.answer.routing import next_steps
from spro.answer.rules import DEFAULT_DIRECTORY, FILES, LINKS_FILE, RulesError, check, load_rules
from spro.answer.types import BesoinScore, Profile

from .support import make_communes

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "bretagne"
SALARIE_FINANCEMENT = (Profile(statut="salarie", age=35), [BesoinScore("financer-formation", 0.9)])

LINKS = """
version: "1"
date: 2026-12-06
region: Région d'essai
liens:
  - id: aides-region
    url: https://www.region-essai.example/aides
    titre: Les formations financées par la Région d'essai
"""


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _region_words() -> set[str]:
    """Each region of the COG as it appears in an address: « bretagne », « pays-de-la-loire », « paysdelaloire »."""
    regions = json.loads((ROOT / "data" / "geo" / "regions.json").read_text(encoding="utf-8"))
    slugs = {_slug(region["nom"]).removeprefix("la-") for region in regions}
    return slugs | {slug.replace("-", "") for slug in slugs} | {"bzh", "maregionsud", "iledefrance"}


def _cards(rules) -> dict[str, tuple[str, str]]:
    profile, besoins = SALARIE_FINANCEMENT
    _, cards = next_steps(profile, besoins, [], rules=rules)
    return {card.url: card.titre for card in cards}


def test_the_packaged_rules_name_no_region_in_their_addresses():
    words = _region_words()
    assert "bretagne" in words and "auvergne-rhone-alpes" in words
    for name in FILES:
        urls = re.findall(r"https?://[^\s\"'>]+", (DEFAULT_DIRECTORY / name).read_text(encoding="utf-8"))
        for url in urls:
            host_and_path = _slug(url)
            assert not any(word in host_and_path.split("-") or word in url for word in words), (name, url)
    ressources = {rule.id: rule.url for rule in load_rules(DEFAULT_DIRECTORY).ressources.regles}
    assert ressources["transitions-pro-ptp"] == "https://www.transitionspro.fr"


def test_a_region_links_file_replaces_the_address_and_title_of_a_card_by_its_id(tmp_path, settings):
    (tmp_path / LINKS_FILE).write_text(LINKS, encoding="utf-8")
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    rules = load_rules()
    cards = _cards(rules)
    assert cards["https://www.region-essai.example/aides"] == "Les formations financées par la Région d'essai"
    # The other cards and the rules themselves are the packaged ones.
    assert "https://www.transitionspro.fr" in cards
    assert len(rules.orientations.regles) == len(load_rules(DEFAULT_DIRECTORY).orientations.regles)
    assert check(tmp_path) == []


def test_the_links_apply_to_a_region_s_own_copy_of_the_rules_too(tmp_path):
    for name in FILES:
        shutil.copy(DEFAULT_DIRECTORY / name, tmp_path / name)
    (tmp_path / LINKS_FILE).write_text(LINKS, encoding="utf-8")
    assert "https://www.region-essai.example/aides" in _cards(load_rules(tmp_path))
    # A copy missing one rule file is still an error, links or not.
    (tmp_path / "etapes.yaml").unlink()
    with pytest.raises(RulesError, match="etapes.yaml : fichier introuvable"):
        load_rules(tmp_path)


@pytest.mark.django_db
def test_the_demo_configuration_puts_the_bretagne_addresses_in_the_answer(client, settings):
    assert "DÉMONSTRATION" in (DEMO / LINKS_FILE).read_text(encoding="utf-8")
    make_communes()
    data = {"text": "je suis salarié et je veux financer une formation", "age": "35", "statut": "salarie"}
    national = client.post("/question", {**data, "commune": "Rennes"}, follow=True).content.decode()
    assert "https://www.transitionspro.fr" in national and "transitionspro-bretagne" not in national
    settings.SPRO_ANSWER_RULES_DIR = str(DEMO)
    html = client.post("/question", {**data, "commune": "Rennes"}, follow=True).content.decode()
    assert 'href="https://www.transitionspro-bretagne.fr"' in html
    assert "Transitions Pro Bretagne" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            LINKS.replace("id: aides-region", "id: aides-regions"),
            "lien 'aides-regions', champ 'id' : aucune fiche",
        ),
        (LINKS.replace("https://www.region-essai", "http://www.region-essai"), "champ 'url' : adresse"),
        (
            LINKS.replace("    url: https://www.region-essai.example/aides\n", "").replace(
                "    titre:", "    #"
            ),
            "indiquez",
        ),
        (LINKS + "    couleur: verte\n", "lien 'aides-region', champ 'couleur' : champ inconnu"),
        (LINKS.replace("liens:", "liens: [").replace("titre:", "titre"), "liens.yaml, ligne"),
    ],
    ids=["unknown-id", "http", "nothing-to-change", "unknown-field", "yaml"],
)
def test_a_broken_links_file_is_named_by_spro_check_and_the_rules_command(tmp_path, settings, text, message):
    (tmp_path / LINKS_FILE).write_text(text, encoding="utf-8")
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert "answer.E001" in str(raised.value) and message in str(raised.value)
    assert any(message in error for error in check(tmp_path)), check(tmp_path)
    with pytest.raises(CommandError):
        call_command("answer_rules", "check", str(tmp_path / LINKS_FILE))
