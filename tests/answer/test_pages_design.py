"""The answer page's layout (issue 14, docs/design/answer.md): one recommended place first with one primary
button, the other places folded under « Autres lieux (n) », at most three steps."""

from __future__ import annotations

import re

import pytest

from tests.accounts.factories import places_in_rennes

from .support import make_communes

pytestmark = pytest.mark.django_db
#: A full card (not the reminder of the recommended place in « Autres lieux »).
CARD = r'<li class="structure-card(?! structure-card--rappel)'
TEXT = "j'ai 17 ans, j'ai arrêté le lycée et je ne sais pas quoi faire, je cherche une formation"


@pytest.fixture(autouse=True)
def places():

    make_communes()
    places_in_rennes(("CIO", "ML", "FT", "CEP", "PIJ_BIJ"), with_contact=True)


def ask(client, **fields):
    data = {"text": "", "age": "", "statut": "", "commune": "", **fields}
    return client.post("/question", data, follow=True)


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
    others = len(re.findall(CARD, folded.group(2)))
    assert int(folded.group(1)) == others >= 1
    assert len(re.findall(CARD, html)) == others + 1  # the recommended one is not listed twice


def test_at_most_three_steps(client):
    html = ask(client, text=TEXT, commune="Rennes").content.decode()
    steps = re.search(r'<ol id="etapes">(.*?)</ol>', html, re.S).group(1)
    assert 1 <= steps.count("<li>") <= 3


def test_without_a_place_nothing_is_recommended_and_the_orientations_are_open(client):
    html = ask(client, text=TEXT).content.decode()  # no commune: no place near the person
    assert "structure-card--recommandee" not in html
    assert '<details class="answer__autres-lieux" open>' in html


# --- The answer's address ---------------------------------------------------------------------------------------------
def typologies(html: str) -> list[str]:
    return re.findall(r'<article class="orientation"[^>]*data-typologie="([^"]+)"', html)


def test_the_form_redirects_to_an_address_that_renders_the_same_answer_and_can_be_reopened(client):
    from spro.answer.service import answer

    sent = client.post("/question", {"text": TEXT, "age": "", "statut": "", "commune": "Rennes"})
    assert sent.status_code == 303 and sent["Location"].startswith("/question/reponse?")
    assert "lyc" not in sent["Location"] and "arr" not in sent["Location"]  # no word of the text
    first = client.get(sent["Location"])
    assert first.status_code == 200 and "max-age=0" in first["Cache-Control"]
    again = client.get(sent["Location"]).content.decode()  # reopened later: the same answer
    expected = answer(TEXT, {"commune": "35238"})
    assert (
        typologies(again)
        == typologies(first.content.decode())
        == [o.typologie for o in expected.orientations]
    )
    names = re.findall(r'class="structure-card__nom">.*?<a href="[^"]+"[^>]*>([^<]+)</a>', again)
    assert names == [s.nom for o in expected.orientations for s in o.structures]
    assert re.findall(r'<li data-besoin="([^"]+)">', again) == [b.code for b in expected.analysis.besoins]
    assert "Modifier ma question" in again


def test_a_forged_address_only_gives_known_codes(client):
    html = client.get("/question/reponse?besoin=<b>x:2&besoin=recherche-emploi:9&metier=drop&age=99").content
    html = html.decode()
    assert "<b>x" not in html and re.findall(r'<li data-besoin="([^"]+)">', html) == ["recherche-emploi"]
    assert client.get("/question/reponse?besoin=inconnu").status_code == 302  # nothing known: the form


def test_the_contact_button_carries_the_address_and_the_contact_pages_lead_back_to_it(client):
    url = client.post("/question", {"text": TEXT, "commune": "Rennes"})["Location"]
    html = client.get(url).content.decode()
    form = re.search(
        r'<form method="post" action="(/structures/[^"]+/etre-contacte)"[^>]*>(.*?)</form>', html, re.S
    )
    carried = re.search(r'name="reponse" value="([^"]+)"', form.group(2)).group(1).replace("&amp;", "&")
    assert carried == url
    besoins = re.findall(r'name="besoins" value="([^"]+)"', form.group(2))
    consent = client.post(form.group(1), {"besoins": besoins, "reponse": carried}).content.decode()
    assert "Revenir à ma réponse" in consent and f'href="{url.replace("&", "&amp;")}"' in consent
    step = re.search(r'name="etape" value="([^"]+)"', consent).group(1)
    version = re.search(r'name="consentement" value="([^"]+)"', consent).group(1)
    filled = client.post(
        form.group(1), {"besoins": besoins, "reponse": carried, "etape": step, "consentement": version}
    ).content.decode()
    assert "Revenir à ma réponse" in filled and 'name="reponse"' in filled
    forged = client.post(form.group(1), {"reponse": "https://example.org/"}).content.decode()
    assert "Revenir à ma réponse" not in forged


# --- One commune field --------------------------------------------------------------------------------------------
def test_without_a_commune_one_field_right_there_gives_the_places_near_it(client):
    html = ask(client, text=TEXT).content.decode()
    assert html.count('name="commune"') == 1 and "Indiquez votre commune" in html
    assert html.count("Indiquez votre commune") == 1 and html.count("indiquez votre commune") <= 1
    field = re.search(r'<form method="get" action="(/question/reponse)"[^>]*>(.*?)</form>', html, re.S)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', field.group(2))
    moved = client.get(field.group(1), [*hidden, ("commune", "Rennes")])
    assert moved.status_code == 303 and "commune=35238" in moved["Location"]
    near = client.get(moved["Location"]).content.decode()
    assert "structure-card--recommandee" in near and "Rennes (35)" in near
    unknown = client.get(field.group(1), [*hidden, ("commune", "Zzyzx")]).content.decode()
    assert 'aria-invalid="true"' in unknown and 'class="field__error"' in unknown


# --- A weak métier match --------------------------------------------------------------------------------------------
def test_a_weak_metier_match_offers_to_explore_by_interests_instead(client, monkeypatch):
    from spro.answer import metiers, presentation
    from spro.answer.types import MetierMatch
    from spro.referentials.rome.models import DomaineProfessionnel, FicheMetier, GrandDomaine

    grand = GrandDomaine.objects.create(code="N", libelle="Transport et logistique")
    domaine = DomaineProfessionnel.objects.create(
        code="N31", libelle="Transport fluvial", grand_domaine=grand
    )
    FicheMetier.objects.create(
        code_rome="N3103", libelle="Navigation fluviale", code_ogr="1", domaine_professionnel=domaine
    )
    score = {"value": presentation.WEAK_METIER_SCORE - 0.057}  # « jsp quoi faire apres le bac » → 0.443

    def bac(text, **kwargs):
        return [MetierMatch("N3103", "Navigation fluviale", "Conducteur passeur de bac", score["value"])]

    monkeypatch.setattr(metiers, "match_metiers", bac)
    sent = client.post("/question", {"text": "jsp quoi faire apres le bac", "commune": "Rennes"})
    assert "N3103" not in sent["Location"] and "metiers=faibles" in sent["Location"]
    html = client.get(sent["Location"]).content.decode()
    assert "Des métiers à découvrir" not in html and "passeur" not in html
    assert 'href="/explorer"' in html and "Répondre à quelques questions sur ce que vous aimez faire" in html
    score["value"] = presentation.WEAK_METIER_SCORE  # a match at the threshold is shown
    html = client.post("/question", {"text": "jsp quoi faire apres le bac", "commune": "Rennes"}, follow=True)
    html = html.content.decode()
    assert "Des métiers à découvrir" in html and 'href="/explorer"' not in html


def test_the_answer_says_which_aids_may_concern_the_person_and_why(client):
    """Issue 15: « Les aides qui peuvent vous concerner », after the steps, from the address's codes only."""
    html = ask(client, text=TEXT, age="17", statut="sans-activite", commune="Rennes").content.decode()
    section = html[html.index('id="titre-aides"') : html.index("</section>", html.index('id="titre-aides"'))]
    assert (
        html.index('id="titre-etapes"') < html.index('id="titre-aides"') < html.index('id="titre-structures"')
    )
    assert "Obligation de formation" in section or "obligation de formation" in section
    assert "Parce que :</strong> vous avez de 16 à 17 ans" in section
    assert "EPIDE" not in section  # from 17: « peut-être » for a 16–17 band, left to /aides
    assert 'href="/aides?statut=sans-activite&amp;commune=35238"' in section
    assert "17" not in section.split('href="/aides?')[1].split('"')[0]  # no age in the link


def test_someone_who_does_not_know_what_to_do_is_offered_the_interest_questionnaire(client):
    html = ask(
        client, text="je ne sais pas quoi faire plus tard, je veux découvrir des métiers", commune="Rennes"
    )
    html = html.content.decode()
    assert "decouvrir-metiers" in html  # the need was understood (it is in the answer's address)
    assert 'href="/explorer"' in html and "Répondre à quelques questions sur ce que vous aimez faire" in html
    other = ask(client, text="je cherche un logement près de ma formation", commune="Rennes").content.decode()
    assert 'href="/explorer"' not in other
