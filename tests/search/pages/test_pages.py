"""The detail objects and the public pages, on the real referentials (a module-wide import, rolled back)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from django.urls import reverse

import spro
from spro.referentials.formations.models import FormationParcoursup, MentionMaster
from spro.referentials.rome.models import FicheMetier
from spro.search import details
from tests.core.test_templates_i18n import untranslated_text

pytestmark = pytest.mark.django_db

TEMPLATES = sorted((Path(spro.__file__).parent / "search" / "templates").glob("**/*.html"))


# ---- Pure helpers (no database) ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "masculine", "feminine"),
    [
        (
            "Infirmier / Infirmière en soins généraux (IDE)",
            "Infirmier en soins généraux (IDE)",
            "Infirmière en soins généraux (IDE)",
        ),
        ("Chef coiffeur / Cheffe coiffeuse", "Chef coiffeur", "Cheffe coiffeuse"),
        (
            "Cadre Dirigeant / Dirigeante d'administration centrale",
            "Cadre Dirigeant d'administration centrale",
            "Cadre Dirigeante d'administration centrale",
        ),
        (
            "Responsable administratif / Responsable administrative et de gestion du personnel",
            "Responsable administratif et de gestion du personnel",
            "Responsable administrative et de gestion du personnel",
        ),
        ("Arbitre", "Arbitre", "Arbitre"),
        (
            "Analyste biologie/microbiologie en industrie",
            "Analyste biologie/microbiologie en industrie",
            "Analyste biologie/microbiologie en industrie",
        ),
    ],
)
def test_split_gender_gives_both_full_titles(label, masculine, feminine):
    assert details.split_gender(label) == (masculine, feminine)


def test_lheo_html_becomes_plain_paragraphs():
    text = "<p><b>Les objectifs :</b><br /><p>Vendre &amp; négocier</p></p><ul><li>Un</li><li>Deux</li></ul>"
    assert details.html_to_paragraphs(text) == ["Les objectifs :", "Vendre & négocier", "• Un", "• Deux"]
    assert details.html_to_paragraphs("") == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_visible_text_escapes_translation(template):
    assert untranslated_text(template.read_text(encoding="utf-8")) == []


# ---- Detail objects ----------------------------------------------------------------------------------------
def test_metier_detail_explains_the_fiche(dataset):
    m = details.metier_detail("J1506")
    assert m["masculin"].startswith("Infirmier ") and m["feminin"].startswith("Infirmière ")
    assert m["domaine"]["grand_domaine"] == {"code": "J", "libelle": "Santé", "url": "/domaines/J"}
    assert m["definition"]["introduction"] and len(m["definition"]["activites"]) >= 3
    assert m["acces_metier"] and "Diplôme d'Etat" in m["acces_metier"][0]
    assert m["appellations"][0]["principale"] is True
    assert all(a["masculin"] and a["feminin"] for a in m["appellations"])
    assert [s["categorie"] for s in m["competences"]] == ["savoir_faire", "savoir_etre", "savoirs"]
    for section in m["competences"]:
        for group in section["groupes"]:
            core = [item["coeur_metier"] for item in group["items"]]
            assert core == sorted(core, reverse=True), "core items come first"
    assert m["contextes_travail"] and all(g["items"] for g in m["contextes_travail"])
    assert m["riasec"]["majeur"]["code"] == "S" and m["riasec"]["majeur"]["explication"]
    assert [p["ordre"] for p in m["mobilites"]] == sorted(p["ordre"] for p in m["mobilites"])
    assert m["mobilites"][0]["code_rome"] == "J1510"
    assert "certifinfo-64144" in {c["id"] for c in m["certifications"]}
    assert "onisep-FOR.2378" in {f["id"] for f in m["formations"]}
    assert m["emploi_reglemente"] is True
    assert m["transitions"]["demographique"] is True and m["transitions"]["numerique"] is False
    assert m["tension"]["annee"] == 2020 and m["tension"]["bassins"] > 100 and m["tension"]["local"] is None


def test_metier_tension_in_the_bassin_of_the_person_commune(dataset):
    for commune in ("35238", "35000", "Rennes"):
        tension = details.metier_detail("J1506", commune=commune)["tension"]
        assert tension["commune"] == {"code_insee": "35238", "nom": "Rennes"}, commune
        assert tension["local"]["bassin"]["nom"] == "RENNES"
        assert 1 <= tension["local"]["indicateur"] <= 5 and tension["local"]["libelle"].startswith("tension")
    assert details.metier_detail("J1506", commune="nowhere-land")["tension"]["commune"] is None


def test_lheo_offer_is_a_formation_of_its_rome_codes(dataset):
    linked = [f for f in details.metier_detail("D1402")["formations"] if f["source"] == "offre"]
    assert [f["id"] for f in linked] == ["offre-9436_18706"]


def test_unknown_or_retired_codes_give_none(dataset):
    assert details.metier_detail("Z9999") is None
    FicheMetier.objects.filter(code_rome="J1506").update(is_active=False)
    assert details.metier_detail("J1506") is None
    for bad in ("", "onisep-", "onisep-FOR.0", "foo-1", "offre-nope", "master-x", "parcoursup-x"):
        assert details.formation_detail(bad) is None, bad
    for bad in ("", "64144", "certifinfo-", "certifinfo-0", "rncp-8940"):
        assert details.certification_detail(bad) is None, bad
    assert details.region_detail("99") is None and details.departement_detail("999") is None


def test_certification_detail_links_metiers_and_formations(dataset):
    c = details.certification_detail("certifinfo-64144")
    assert c["libelle"] == "Diplôme d'État d'infirmier(ière)" and c["niveau_europeen"] == 6
    assert c["code_rncp"] == "8940" and c["nsf"]["code"] == "331"
    assert [m["code_rome"] for m in c["metiers"]] == ["J1506"]
    assert [f["id"] for f in c["formations"]] == ["onisep-FOR.2378"]
    assert {a["code"] for a in c["acces"]} == {"fi", "ca", "fc", "cp", "vae", "ind"}


def test_formation_details_of_each_source(dataset):
    onisep = details.formation_detail("onisep-FOR.2378")
    assert onisep["type"] == "formation" and onisep["source"] == "onisep"
    assert "certifinfo-64144" in {c["id"] for c in onisep["certifications"]}
    assert "J1506" in {m["code_rome"] for m in onisep["metiers"]}
    offer = details.formation_detail("offre-9436_18706")
    assert offer["titre"] == "BTS négociation et relation client"
    assert offer["lieux"][0]["commune"] and all("<" not in p for p in offer["contenu"])
    assert {m["code_rome"] for m in offer["metiers"]} >= {"D1402"}
    ps = FormationParcoursup.objects.create(
        id="abc123", uai="0350000A", etablissement="Lycée Test", filiere="BTS X"
    )
    assert details.formation_detail(f"parcoursup-{ps.id}")["titre"] == "BTS X"
    master = MentionMaster.objects.create(
        id="1234567A-0350000A",
        inm="1234567A",
        uai="0350000A",
        campagne=2021,
        etablissement="Université Test",
        code_postal="35000",
        ville="RENNES",
        commune_id="35238",
        intitule="Informatique",
    )
    detail = details.formation_detail(f"master-{master.id}")
    assert detail["titre"] == "Master Informatique" and detail["lieux"][0]["commune"] == "Rennes"


def test_territories_summarise_communes_tension_and_formations(dataset):
    region = details.region_detail("53")
    assert region["nom"] == "Bretagne" and {d["code"] for d in region["departements"]} == {
        "22",
        "29",
        "35",
        "56",
    }
    assert region["communes"] > 1000 and region["metiers_en_tension"]
    assert region["formations"]["offres"] == 1  # the LHÉO example is in Quimperlé (29)
    dep = details.departement_detail("35")
    assert dep["region"]["code"] == "53" and dep["principales_communes"][0]["nom"] == "Rennes"
    bassins = [m["bassins"] for m in dep["metiers_en_tension"]]
    assert bassins == sorted(bassins, reverse=True)


# ---- Pages ---------------------------------------------------------------------------------------------------
def one_h1(html: str) -> str:
    found = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(found) == 1, found
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found[0])).strip()


def test_fiche_metier_page_addresses_women_and_men(client, dataset):
    response = client.get(reverse("metier", args=["J1506"]), {"commune": "35000"})
    assert response.status_code == 200
    html = response.content.decode()
    h1 = one_h1(html)
    assert "Infirmière en soins généraux" in h1 and "Infirmier en soins généraux" in h1
    assert 'class="breadcrumb"' in html and 'href="/domaines/J15"' in html
    assert "Bassin d’emploi de RENNES" in html
    assert 'href="/metiers/J1510"' in html and 'href="/certifications/certifinfo-64144"' in html
    assert "Profession réglementée" in html and "Social (S)" in html


@pytest.mark.parametrize(
    "path",
    [
        "/formations/onisep-FOR.2378",
        "/formations/offre-9436_18706",
        "/certifications/certifinfo-64144",
        "/domaines/",
        "/domaines/J",
        "/domaines/J15",
        "/centres-interet/",
        "/territoires/regions/53",
        "/territoires/departements/35",
        "/recherche",
    ],
)
def test_pages_render_with_one_h1_and_breadcrumbs(client, dataset, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    one_h1(html)
    assert 'aria-label="Fil d’Ariane"' in html and "<main" in html and "<script" not in html


def test_centre_interet_lists_main_interest_first(client, dataset):
    # The short list and the groups by domain: tests/search/pages/test_codes_for_professionals.py.
    response = client.get("/centres-interet/4")
    assert response.status_code == 200
    html = response.content.decode()
    assert one_h1(html) == "J'ai le sens du contact"
    assert html.index("Les métiers où cet intérêt compte le plus") < html.rindex('<li><a href="/metiers/')


@pytest.mark.parametrize(
    "path",
    [
        "/metiers/Z9999",
        "/formations/onisep-FOR.0",
        "/formations/x",
        "/certifications/certifinfo-0",
        "/domaines/Z",
        "/centres-interet/999",
        "/territoires/regions/99",
        "/territoires/departements/999",
    ],
)
def test_unknown_codes_give_the_404_page(client, dataset, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_search_page_finds_the_fiche_in_the_real_referentials(client, dataset):
    # The search behaviours (filters, pagination, refused input) are in test_search_page.py on a small index.
    html = client.get("/recherche", {"q": "infirmier"}).content.decode()
    assert "infirmier" in one_h1(html)
    assert 'href="/metiers/J1506"' in html
    assert 'name="type" value="metier"' in html  # the type filter: a radio button of the filters' form
