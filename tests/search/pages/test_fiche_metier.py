"""The fiche métier as a young reader meets it (issue 14): the summary band first, the two actions at the top and
the bottom, core skills shown and the rest folded, and only real routes among its formations."""

from __future__ import annotations

import re

import pytest

from spro.search import details

pytestmark = pytest.mark.django_db


def fiche(client, **params) -> str:
    response = client.get("/metiers/J1506", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_summary_band_says_levels_study_length_places_hours_and_conditions(dataset):
    summary = details.metier_detail("J1506")["resume"]
    assert summary["phrase"].startswith("L'infirmier en soins généraux")
    assert summary["niveaux"][0] == "bac + 3"
    assert summary["duree"] == {"texte": "3 ans", "formation": "Diplôme d'Etat d'infirmier"}
    assert "Etablissement de santé" in summary["lieux"]
    assert "Travail de nuit" in summary["horaires"] and summary["conditions"]


def test_the_summary_band_comes_first_with_the_local_demand(client, dataset):
    html = fiche(client, commune="35000")
    band = html.index('class="summary-band"')
    assert band < html.index('id="definition"') and band < html.index("fiche-sommaire")
    band_html = html[band : html.index("</section>", band)]
    for words in ("bac + 3", "3 ans d’études", "Etablissement de santé", "Travail de nuit", "(RENNES)"):
        assert words in band_html, words
    # The ROME code is for professionals: at the end, in the « Pour les professionnels » fold-out.
    fold = html.index('<details class="pro-codes">')
    assert "Fiche métier ROME" not in html and fold > html.index('id="appellations"')
    assert html.index("<dt>Code ROME</dt><dd>J1506</dd>") > fold


def test_formations_near_me_and_an_adviser_are_offered_at_the_top_and_the_bottom(client, dataset):
    html = fiche(client, commune="35000")
    for place in ("haut", "bas"):
        near = re.search(rf'href="([^"]+)" id="formations-pres-{place}"', html)
        assert near and "type=formation" in near[1] and "commune=35238" in near[1], place
        assert f'href="/question" id="conseiller-{place}"' in html, place
    assert html.index('id="conseiller-haut"') < html.index('id="definition"')
    assert html.index('id="conseiller-bas"') > html.index('id="appellations"')


def test_core_skills_are_shown_and_the_rest_folded_under_plain_headings(client, dataset):
    m = details.metier_detail("J1506")
    core = m["competences_coeur"]
    assert core and all(item["coeur_metier"] for item in core)
    html = fiche(client)
    section = html[html.index('id="competences"') : html.index('id="contextes"')]
    fold = section.index('<details class="fold">')
    assert section.index(core[0]["libelle"].replace("'", "&#x27;")) < fold
    others = [i for s in m["competences"] for g in s["groupes"] for i in g["items"] if not i["coeur_metier"]]
    assert section.index(others[0]["libelle"].replace("'", "&#x27;")) > fold
    headings = re.findall(r"<h[34][^>]*>(.*?)</h[34]>", section)
    assert headings == ["Savoir-faire", "Qualités personnelles", "Connaissances"], headings


def test_the_nursing_fiche_has_no_master_of_philosophy(dataset):
    m = details.metier_detail("J1506")
    labels = [c["libelle"] for c in m["certifications"]] + [f["libelle"] for f in m["formations"]]
    assert "Diplôme d'Etat d'infirmier" in labels
    assert not [label for label in labels if "philosophie" in label.lower()]


def test_the_metiers_proches_lead_to_the_parcours_page(client, dataset):
    html = fiche(client)
    section = html[html.index('aria-labelledby="proches"') :]
    section = section[: section.index("</section>")]
    assert 'href="/metiers/J1506/parcours"' in section
    assert client.get("/metiers/J1506/parcours").status_code == 200
