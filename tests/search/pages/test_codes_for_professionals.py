"""Codes belong to professionals (issue 14): on every public fiche a young reader meets words, and the register
codes (ROME, UAI, RNCP, NSF, Formacode, RIASEC…) are all kept, folded at the end under « Pour les professionnels ».
The interest page: the métiers where the interest is the main one first (a short list), the rest folded by
grand domaine with their counts."""

from __future__ import annotations

import csv
import gzip
from html.parser import HTMLParser

import pytest
from django.conf import settings

from spro.referentials.formations.models import FormationParcoursup, MentionMaster
from spro.referentials.rome.models import CentreInteret, FicheCentreInteret, FicheMetier
from spro.search.interests import CAP_PRINCIPAL

pytestmark = pytest.mark.django_db

#: Words a young reader must not meet outside the fold-out (acronyms and names of codes).
CODE_WORDS = ("Code UAI", "UAI", "Formacode", "NSF", "RIASEC", "RNCP", "Code ROME", "code ROME", "CFD", "BCN")
#: The one acronym a source's words may keep outside, after its words (Certif Info's types, ONISEP's levels).
SPELLED_OUT = "répertoire national des certifications professionnelles (RNCP)"


class FoldParser(HTMLParser):
    """The visible text of <main>, split into what is outside and inside `<details class="pro-codes">`."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = 0
        self.fold_depth = 0  # <details> depth inside the fold-out, 0 when outside
        self.folds = 0
        self.outside: list[str] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
        if tag == "details":
            if self.fold_depth:
                self.fold_depth += 1
            elif "pro-codes" in (attrs.get("class") or "").split():
                self.fold_depth, self.folds = 1, self.folds + 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        if tag == "details" and self.fold_depth:
            self.fold_depth -= 1

    def handle_data(self, data):
        if self.in_main and data.strip():
            (self.inside if self.fold_depth else self.outside).append(data.strip())


def read(client, path: str) -> FoldParser:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = FoldParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def parcoursup_and_master(dataset):
    FormationParcoursup.objects.create(
        id="abc123", uai="0350000A", etablissement="Lycée Test", filiere="BTS X", type_formation="BTS"
    )
    MentionMaster.objects.create(
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


# (page, codes that must be in the fold-out and nowhere else on the page)
FICHES = [
    ("/metiers/J1506", ["J1506", "Social (S)", "RIASEC", "J15 "]),
    ("/certifications/certifinfo-64144", ["64144", "RNCP8940", "331 ", "Formacode", "NSF"]),
    ("/formations/onisep-FOR.2378", ["FOR.2378", "RNCP"]),
    ("/formations/offre-9436_18706", ["9436_18706"]),
    ("/formations/parcoursup-abc123", ["0350000A", "Code UAI"]),
    ("/formations/master-1234567A-0350000A", []),
]


@pytest.mark.parametrize(("path", "codes"), FICHES, ids=[path for path, _ in FICHES])
def test_no_code_outside_the_fold_out_and_every_code_in_it(client, parcoursup_and_master, path, codes):
    page = read(client, path)
    outside, inside = " ".join(page.outside), " ".join(page.inside)
    outside = outside.replace(SPELLED_OUT, "répertoire national des certifications professionnelles")
    for word in CODE_WORDS:
        assert word not in outside, (
            path,
            word,
            outside[max(0, outside.find(word) - 150) : outside.find(word) + 60],
        )
    for code in codes:
        assert code in inside, (path, code)
        assert code.strip() not in outside, (path, code)
    assert page.folds == (1 if codes else 0), path  # one fold-out, and none when there is nothing to fold
    if codes:
        assert inside.startswith("Pour les professionnels")


def test_the_fiche_metier_says_what_one_likes_in_words(client, dataset):
    page = read(client, "/metiers/J1506")
    text = " ".join(page.outside)
    assert "Ce que l’on aime faire dans ce métier" in text and "Profil d’intérêts" not in text
    assert "Aimer les autres : aider, soigner" in text  # the plain explanation of S is kept
    assert "Social (S)" not in text


# ---- The interest page ------------------------------------------------------------------------------------------
def test_principal_is_the_fiche_main_interest_one_per_fiche_as_in_the_rome_file(dataset):
    """ROME marks exactly one centre d'intérêt « principal » per fiche; the import keeps that, no more, no less."""
    path = settings.DATA_DIR / "rome_v4" / "unix_arborescence_centre_interet_v460_utf8.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    in_file = {(r["code_rome"], r["code_centre_interet"]) for r in rows if r["principal"] == "oui"}
    imported = set(
        FicheCentreInteret.objects.filter(principal=True).values_list("fiche_id", "centre_interet_id")
    )
    assert imported == in_file
    fiches = FicheMetier.objects.filter(liens_centres_interet__isnull=False).distinct().count()
    assert len(in_file) == fiches  # one per fiche


def test_interest_page_shows_a_short_list_first_then_folded_groups_with_counts(client, dataset):
    centre = CentreInteret.objects.get(code="1")
    links = FicheCentreInteret.objects.filter(centre_interet=centre, fiche__is_active=True)
    principal = set(links.filter(principal=True).values_list("fiche_id", flat=True))
    assert len(principal) > CAP_PRINCIPAL  # 79 on ROME v4.60: the page caps them
    response = client.get("/centres-interet/1")
    html = response.content.decode()
    short = html[html.index('id="titre-principaux"') : html.index('id="titre-domaines"')]
    shown = {part.split('"')[0] for part in short.split('href="/metiers/')[1:]}
    assert len(shown) == CAP_PRINCIPAL and shown <= principal
    assert f"parmi les {len(principal)} où cet intérêt compte le plus" in short
    rest = html[html.index('id="titre-domaines"') :]
    assert "intérêt principal" not in html
    groups = rest.split('<details class="fold">')[1:]
    assert len(groups) >= 2
    listed: list[str] = []
    counts = []
    for group in groups:
        summary = group[group.index("<summary>") + 9 : group.index("</summary>")]
        codes = [part.split('"')[0] for part in group.split('href="/metiers/')[1:]]
        assert summary.endswith(f" : {len(codes)} métiers") or summary.endswith(" : 1 métier"), summary
        counts.append(len(codes))
        listed += codes
    assert counts == sorted(counts, reverse=True), "largest group first"
    assert not set(listed) & shown and len(listed) == len(set(listed))
    assert shown | set(listed) == set(links.values_list("fiche_id", flat=True)), "every métier is on the page"


def test_the_short_list_spreads_across_grands_domaines(client, dataset):
    from spro.search.interests import interest_page

    page = interest_page(CentreInteret.objects.get(code="1"))
    domains = {f["grand_domaine"] for f in page["principaux"]}
    available = {
        f.domaine_professionnel.grand_domaine_id
        for f in FicheMetier.objects.filter(
            liens_centres_interet__centre_interet_id="1",
            liens_centres_interet__principal=True,
            is_active=True,
        ).select_related("domaine_professionnel")
    }
    assert len(domains) == min(len(available), CAP_PRINCIPAL)


def test_the_register_acronym_of_the_sources_comes_after_its_words(client, dataset):
    from spro.search.templatetags.search_words import spelled_out

    assert spelled_out("Autre titre inscrit sur demande au RNCP (niveau 6)") == (
        f"Autre titre inscrit sur demande au {SPELLED_OUT} (niveau 6)"
    )
    assert spelled_out("non inscrit au RNCP") == f"non inscrit au {SPELLED_OUT}"
    assert spelled_out("Diplôme d'État") == "Diplôme d'État" and spelled_out(None) == ""
    assert SPELLED_OUT in " ".join(read(client, "/metiers/J1506").outside)  # Certif Info's types on the fiche
