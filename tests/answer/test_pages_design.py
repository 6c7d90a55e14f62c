"""The answer page's layout (issue 14, docs/design/answer.md): one recommended place first with one primary
button, the other places folded under « Autres lieux (n) », at most three steps."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .support import make_communes

pytestmark = pytest.mark.django_db
TEXT = "j'ai 17 ans, j'ai arrêté le lycée et je ne sais pas quoi faire, je cherche une formation"


@pytest.fixture(autouse=True)
def places():
    from spro.directory.models import Structure

    make_communes()
    for n, typologie in enumerate(("CIO", "ML", "FT", "CEP", "PIJ_BIJ")):
        Structure.objects.create(
            di_id=f"test--{typologie.lower()}",
            source="test",
            nom=f"{typologie} de Rennes",
            typologie=typologie,
            date_maj=dt.date(2026, 10, 1),
            commune_id="35238",
            latitude=48.11 + n / 1000,
            longitude=-1.68,
            adresse=f"{n + 1} rue de Brest",
            telephone="02 99 00 00 0" + str(n),
        )


def ask(client, **fields):
    data = {"text": "", "age": "", "statut": "", "commune": "", **fields}
    return client.post("/question", data)


def recommended_card(html: str) -> str:
    found = re.search(
        r'<li class="structure-card structure-card--recommandee.*?</li>\s*</ul>\s*</section>', html, re.S
    )
    assert found, html[:3000]
    return found.group(0)


def test_the_recommended_place_comes_first_with_its_phone_reason_and_the_one_primary_button(client):
    html = ask(client, text=TEXT, commune="Rennes").content.decode()
    card = recommended_card(html)
    # Before everything else the page says: the place, then what we understood.
    assert html.index("structure-card--recommandee") < html.index("Ce que nous avons compris")
    assert re.search(r'<a href="tel:[^"]+">02 99 00 00 0\d</a>', card), card
    assert "rue de Brest" in card and "(à " in card  # address and distance
    assert 'class="structure-card__raison"' in card  # why it is recommended
    primary = re.findall(r'<button class="button orientation__contact"', html)
    assert len(primary) == 1 and primary[0] in card  # one primary button, the others are secondary
    assert html.count("button button--secondary orientation__contact") >= 1


def test_the_other_places_are_folded_under_autres_lieux_with_their_count(client):
    html = ask(client, text=TEXT, commune="Rennes").content.decode()
    folded = re.search(
        r'<details class="answer__autres-lieux">\s*<summary>Autres lieux \((\d+)\)</summary>(.*?)</details>',
        html,
        re.S,
    )
    assert folded, html
    others = folded.group(2).count('<li class="structure-card')
    assert int(folded.group(1)) == others >= 1
    assert html.count('<li class="structure-card') == others + 1  # the recommended one is not listed twice


def test_at_most_three_steps(client):
    html = ask(client, text=TEXT, commune="Rennes").content.decode()
    steps = re.search(r'<ol id="etapes">(.*?)</ol>', html, re.S).group(1)
    assert 1 <= steps.count("<li>") <= 3


def test_without_a_place_nothing_is_recommended_and_the_orientations_are_open(client):
    html = ask(client, text=TEXT).content.decode()  # no commune: no place near the person
    assert "structure-card--recommandee" not in html
    assert '<details class="answer__autres-lieux" open>' in html
