"""« Facile à lire » (issue 15 part 4, docs/design/answer.md): every text the answer shows from the built-in rule
files has an easy version that meets the readability thresholds of spro.core.readability, and one link on the
answer page switches between the two versions without JavaScript."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from spro.answer import routing
from spro.answer.presentation import AGE_BANDS
from spro.answer.rules import DEFAULT_DIRECTORY, RulesError, load_rules, parse_file
from spro.core.readability import MAX_SENTENCE_WORDS, MIN_SCORE, measure
from tests.accounts.factories import places_in_rennes

from .support import make_communes

#: The built-in easy texts with every value a placeholder can take ({age} says a band, « 16 ou 17 »).
AGES = [words for *_codes, words in AGE_BANDS] + ["17", "45"]
METIER = "Conducteur / Conductrice de travaux du BTP"


def easy_texts() -> list[tuple[str, str, str]]:
    """(where, full text, easy text) of every item of the built-in rule files shown to a person."""
    rules = load_rules(DEFAULT_DIRECTORY)
    items = []
    for rule in rules.orientations.regles:
        for action in rule.alors:
            items.append(
                (f"orientations.yaml {rule.id} {action.typologie}", action.raison, action.facile or "")
            )
    for rule in rules.etapes.regles:
        for n, etape in enumerate(rule.etapes):
            items.append((f"etapes.yaml {rule.id} [{n}]", etape.texte, etape.facile or ""))
    for rule in rules.ressources.regles:
        items.append((f"ressources.yaml {rule.id}", rule.texte, rule.facile or ""))
    notes = [
        (routing.NOT_COMPETENT_NOTE, routing.NOT_COMPETENT_NOTE_FACILE),
        (routing.NONE_NEAR_NOTE, routing.NONE_NEAR_NOTE_FACILE),
    ]
    items += [("routing.py note", full, easy) for full, easy in notes]
    return items


def renderings(text: str) -> list[str]:
    """`text` with each value its placeholders can take (the notes of routing.py say a radius in km)."""
    return [text.format(age=age, metier=METIER, rayon=60) for age in (AGES if "{age}" in text else AGES[:1])]


def test_every_built_in_item_has_an_easy_text():
    items = easy_texts()
    assert len(items) > 120  # 63 reasons, 44 steps, 23 cards, 2 notes: a change of field names would empty it
    assert [where for where, _full, easy in items if not easy.strip()] == []


def test_every_built_in_easy_text_meets_the_readability_thresholds():
    too_hard = []
    for where, _full, easy in easy_texts():
        for text in renderings(easy):
            problems = measure(text).problems()
            if problems:
                too_hard.append(f"{where}: {'; '.join(problems)} — {text}")
    assert too_hard == [], "\n".join(too_hard)


def test_the_easy_texts_are_easier_than_the_full_ones_on_the_whole():
    """A sanity check of the measure on this corpus: the full texts mostly fail the thresholds."""
    items = easy_texts()
    full_failing = sum(1 for _where, full, _easy in items if measure(renderings(full)[0]).problems())
    assert full_failing > len(items) / 2
    assert MIN_SCORE == 70 and MAX_SENTENCE_WORDS == 15  # the thresholds docs/design/answer.md states


def test_an_easy_text_may_use_the_placeholders_its_rule_guarantees_only(tmp_path: Path):
    source = (DEFAULT_DIRECTORY / "etapes.yaml").read_text(encoding="utf-8")
    broken = source.replace(
        'facile: "Prenez vos derniers bulletins de notes.',
        'facile: "Vous avez {metier} ans. Prenez vos bulletins.',
        1,
    )
    assert broken != source
    (tmp_path / "etapes.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(
        RulesError, match=r"etapes.yaml, règle 'decrochage-jeune', champ 'etapes\[2\].facile' : .*metier"
    ):
        parse_file(tmp_path / "etapes.yaml")


def test_a_region_file_without_easy_texts_stays_valid(tmp_path: Path):
    for name in ("orientations.yaml", "etapes.yaml", "ressources.yaml"):
        text = (DEFAULT_DIRECTORY / name).read_text(encoding="utf-8")
        # drop every facile (one line or a folded block)
        text = re.sub(r"\n *facile: >-\n(?: {10,}.*\n)+", "\n", text)
        text = re.sub(r"\n *facile: .*", "", text)
        (tmp_path / name).write_text(text, encoding="utf-8")
        parsed = parse_file(tmp_path / name)
        items = [a for r in parsed.regles for a in getattr(r, "alors", getattr(r, "etapes", [r]))]
        assert items and all(item.facile is None for item in items)


# --- the page ------------------------------------------------------------------------------------------------------

TEXT = "j'ai 17 ans, j'ai arrêté le lycée et je ne sais pas quoi faire, je cherche une formation"


@pytest.fixture
def places(db):
    make_communes()
    places_in_rennes(("CIO", "ML", "FT", "CEP", "PIJ_BIJ", "PSAD"), with_contact=True)


def visible(page: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def toggle(page: str) -> tuple[str, str]:
    """The toggle's address and its words (the visible ones name the version it opens, the hidden ones the state)."""
    found = re.search(r'<a href="([^"]+)" class="answer__facile-lien">(.*?)</a>', page, re.S)
    assert found, page[:3000]
    return html_lib.unescape(found.group(1)), visible(found.group(2))


@pytest.mark.django_db
def test_the_toggle_shows_the_easy_texts_and_back(client, places):
    full = client.post("/question", {"text": TEXT, "age": "", "statut": "", "commune": "Rennes"}, follow=True)
    page = full.content.decode()
    address = full.redirect_chain[-1][0]
    url, label = toggle(page)
    assert label == "Version facile à lire (vous lisez la version complète)"
    # the same address of codes, plus one flag
    assert urlsplit(url).path == "/question/reponse"
    assert sorted(parse_qsl(urlsplit(url).query)) == sorted(
        [*parse_qsl(urlsplit(address).query), ("facile", "1")]
    )

    easy = client.get(url)
    assert easy.status_code == 200
    easy_page = easy.content.decode()
    assert 'lang="fr"' in easy_page
    back, label = toggle(easy_page)
    assert label == "Version complète (vous lisez la version facile à lire)"
    assert "facile" not in back
    assert sorted(parse_qsl(urlsplit(back).query)) == sorted(parse_qsl(urlsplit(address).query))

    rules = load_rules()
    pairs = [(a.raison, a.facile) for r in rules.orientations.regles for a in r.alors]
    pairs += [(e.texte, e.facile) for r in rules.etapes.regles for e in r.etapes]
    full_text, easy_text = visible(page), visible(easy_page)
    shown = 0
    for long, short in pairs:
        for age in AGES:
            long_age, short_age = (
                " ".join(long.split()).format(age=age, metier=""),
                short.format(age=age, metier=""),
            )
            if long_age in full_text:
                shown += 1
                assert short_age in easy_text, short_age
                assert long_age not in easy_text, long_age
    assert shown >= 4, "the page shows the reasons and the steps of several rules"
    steps = re.search(r'<ol id="etapes">(.*?)</ol>', easy_page, re.S).group(1)
    for sentence in re.findall(r"<li>(.*?)</li>", steps, re.S):
        assert measure(html_lib.unescape(sentence)).problems() == []
    assert toggle(client.get(back).content.decode())[1].startswith("Version facile à lire")


@pytest.mark.django_db
def test_the_commune_form_keeps_the_easy_version(client, places):
    full = client.post("/question", {"text": TEXT, "age": "", "statut": "", "commune": "Rennes"}, follow=True)
    url, _label = toggle(full.content.decode())
    page = client.get(url).content.decode()
    form = re.search(r'<form method="get" action="/question/reponse".*?</form>', page, re.S).group(0)
    assert '<input type="hidden" name="facile" value="1">' in form
