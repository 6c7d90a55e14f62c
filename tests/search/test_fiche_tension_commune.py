"""The tension box of a fiche métier (« L’emploi près de chez vous ») reads the commune with the one resolver:
a name (« Brest », which it once said it could not find), a postal code, an INSEE code, both; it says which commune
it understood and offers the communes that fit when several do. Never an error page."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote_plus

import pytest
from django.urls import reverse

from tests.geography import Row, add_communes

pytestmark = pytest.mark.django_db

#: (code INSEE, nom, département, codes postaux, bassin d'emploi)
COMMUNES = (
    ("29019", "Brest", "29", ["29200"], "5301"),
    ("56121", "Lorient", "56", ["56100"], "5306"),
    ("56100", "Langonnet", "56", ["56630"], "5305"),
    ("22113", "Lannion", "22", ["22300"], "5302"),
    ("22211", "Ploubezre", "22", ["22300"], "5302"),
    ("93066", "Saint-Denis", "93", ["93200"], "1105"),
    ("97411", "Saint-Denis", "974", ["97400"], None),
)
#: bassin → (nom, indicateur, offres, demandeurs); Lannion's bassin has no indicator for the métier.
BASSINS = {
    "5301": ("BREST", 5, 812, 301),
    "5305": ("CENTRE OUEST BRETAGNE", 2, 20, 64),
    "5306": ("LORIENT", 4, 401, 233),
    "5302": ("LANNION", None, 0, 0),
    "1105": ("SAINT-DENIS", 3, 950, 1200),
}


@pytest.fixture(autouse=True)
def fiche(db):
    from spro.referentials.geo.models import BassinEmploi
    from spro.referentials.labour.models import TensionIndicator
    from spro.referentials.rome.models import DomaineProfessionnel, FicheMetier, GrandDomaine

    for code, (nom, *_rest) in BASSINS.items():
        BassinEmploi.objects.create(code=code, nom=nom)
    add_communes(
        *(
            Row(code, nom, dep, tuple(postaux), 1000, bassin=bassin)
            for code, nom, dep, postaux, bassin in COMMUNES
        )
    )
    grand = GrandDomaine.objects.create(code="J", libelle="Santé")
    DomaineProfessionnel.objects.create(code="J15", libelle="Soins paramédicaux", grand_domaine=grand)
    fiche = FicheMetier.objects.create(
        code_rome="J1506",
        libelle="Infirmier / Infirmière en soins généraux",
        code_ogr="11111",
        domaine_professionnel_id="J15",
    )
    for bassin, (_nom, indicateur, offres, demandeurs) in BASSINS.items():
        if indicateur is not None:
            TensionIndicator.objects.create(
                annee=2024,
                code_rome="J1506",
                libelle_rome="Soins infirmiers généralistes",
                fiche_metier=fiche,
                bassin_id=bassin,
                offres=offres,
                demandeurs=demandeurs,
                indicateur=indicateur,
            )


def box(commune: str, client) -> str:
    """The text of the « L’emploi près de chez vous » section for this commune."""
    response = client.get(reverse("metier", args=["J1506"]), {"commune": commune})
    assert response.status_code == 200
    section = re.search(
        r'<section aria-labelledby="emploi">(.*?)</section>\s*<section', response.content.decode(), re.S
    )
    assert section, "tension box missing"
    return section.group(1)


def text_of(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize("typed", ["Brest", "brest", "29200", "Brest 29200", "29019", "Bresst"])
def test_the_box_finds_brest_by_name_postal_code_or_insee_code(client, typed):
    html = box(typed, client)
    text = text_of(html)
    assert "Bassin d’emploi de BREST (commune : Brest) : tension très forte en 2024" in text, text
    assert "812 offres d’emploi enregistrées pour 301 demandeurs" in text
    assert "Commune : Brest (29)" in text
    assert "Nous n’avons pas trouvé" not in text
    assert 'value="Brest (29)"' in html  # the field shows back what was understood


def test_the_box_says_what_it_read_from_a_postal_code(client):
    assert "Commune : Brest (29) – compris à partir de « 29200 »" in text_of(box("29200", client))


def test_a_postal_code_is_never_read_as_an_insee_code(client):
    """56100 is Lorient's postal code and Langonnet's INSEE code: the person means Lorient."""
    for typed in ("56100", "Lorient 56100"):
        text = text_of(box(typed, client))
        assert "Bassin d’emploi de LORIENT (commune : Lorient)" in text, typed
        assert "CENTRE OUEST BRETAGNE" not in text


def test_homonyms_are_offered_as_choices_that_lead_to_the_tension(client):
    html = box("Saint-Denis", client)
    text = text_of(html)
    assert "Plusieurs communes correspondent à « Saint-Denis »" in text
    assert "Bassin d’emploi de" not in text
    links = [
        unquote_plus(html_lib.unescape(href)) for href in re.findall(r'<a href="(\?commune=[^"]+)"', html)
    ]
    assert sorted(links) == ["?commune=Saint-Denis (93)#emploi", "?commune=Saint-Denis (974)#emploi"]
    chosen = text_of(box("Saint-Denis (93)", client))
    assert "Bassin d’emploi de SAINT-DENIS (commune : Saint-Denis) : tension moyenne" in chosen
    assert "Commune : Saint-Denis (93)" in chosen


def test_a_shared_postal_code_is_a_choice(client):
    html = box("22300", client)
    assert "Plusieurs communes correspondent à « 22300 »" in text_of(html)
    assert "Lannion (22300, Côtes-d'Armor)" in text_of(
        html
    ) and "Ploubezre (22300, Côtes-d'Armor)" in text_of(html)


def test_a_commune_whose_bassin_has_no_indicator_is_named(client):
    text = text_of(box("Lannion", client))
    assert "Pas d’indicateur de tension pour ce métier dans le bassin d’emploi de LANNION." in text
    assert "Commune : Lannion (22)" in text


def test_a_commune_without_bassin_is_understood_without_a_figure(client):
    text = text_of(box("Saint-Denis (974)", client))
    assert "Commune : Saint-Denis (974)" in text
    assert "Pas d’indicateur de tension pour ce métier dans le bassin d’emploi de votre commune." in text


@pytest.mark.parametrize("typed", ["Atlantis", "99999", "\x00\x1f" + "x" * 5000, "<script>alert(1)</script>"])
def test_an_unknown_commune_is_a_notice_not_an_error(client, typed):
    html = box(typed, client)
    text = text_of(html)
    assert "Nous n’avons pas trouvé la commune" in text and "Bassin d’emploi de" not in text
    assert "<script>alert" not in html


def test_without_a_commune_the_box_has_no_notice(client):
    response = client.get(reverse("metier", args=["J1506"]))
    text = text_of(response.content.decode())
    assert response.status_code == 200 and "Nous n’avons pas trouvé" not in text and "Commune :" not in text
    assert "En 2024, ce métier était en tension forte ou très forte" in text
