"""Eligibility of EVERY built-in scheme on boundary profiles: ages 15/16/25/26 (and each scheme's own bounds), each
statut, disability and diploma said or not; territory in and out for a Region's scheme. The expectations are
written by hand from each scheme's official conditions (the YAML files), not computed by the code under test."""

from __future__ import annotations

import pytest

from spro.aides import catalogue
from spro.aides.evaluation import Lieu, Situation, evaluate, evaluate_one
from spro.core.vocabularies.statuts import KNOWN_STATUTS
from tests.aides.support import VALID, write

ALL = set(KNOWN_STATUTS)
DE, SA = "demandeur-emploi", "sans-activite"

#: scheme → (base situation it qualifies with, {age: expected}, statuts admitted at the base age).
#: expected: "oui", "peut-etre" or None (left out).
TABLE: dict[str, tuple[dict, dict[int, str | None], set[str]]] = {
    "cpf": (
        {"age": 30, "statut": "salarie"},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui"},
        {"salarie", "independant", DE},
    ),
    "ptp": ({"age": 30, "statut": "salarie"}, {15: "oui", 16: "oui", 25: "oui", 26: "oui"}, {"salarie"}),
    "bilan-competences": (
        {"age": 30, "statut": DE},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui"},
        {"salarie", "independant", DE},
    ),
    "vae": ({"age": 30, "statut": "salarie"}, {15: "oui", 16: "oui", 25: "oui", 26: "oui"}, ALL),
    "cep": (
        {"age": 30, "statut": "salarie"},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui"},
        {"salarie", "independant", DE},
    ),
    "cej": (
        {"age": 20, "statut": DE, "handicap": False},
        {15: None, 16: "oui", 25: "oui", 26: None, 29: None},
        {DE, SA},
    ),
    "e2c": (
        {"age": 20, "statut": SA, "niveau": "sans"},
        {15: None, 16: "oui", 25: "oui", 26: None},
        {DE, SA},
    ),
    "epide": (
        {"age": 20, "statut": DE, "niveau": "sans"},
        {15: None, 16: None, 17: "oui", 25: "oui", 26: None},
        {DE, SA},
    ),
    "service-civique": (
        {"age": 20, "statut": "etudiant", "handicap": False},
        {15: None, 16: "oui", 25: "oui", 26: None},
        ALL,
    ),
    "obligation-formation": (
        {"age": 16, "statut": SA},
        {15: None, 16: "oui", 17: "oui", 18: None, 25: None, 26: None},
        {DE, SA},
    ),
    "droit-retour-formation": (
        {"age": 19, "statut": SA, "niveau": "sans"},
        {15: None, 16: "oui", 25: "oui", 26: None},
        {DE, SA, "salarie"},
    ),
    "aide-permis-apprentis": (
        {"age": 19, "statut": "salarie"},
        {15: None, 16: None, 17: None, 18: "oui", 25: "oui", 26: "oui"},
        {"salarie", "lyceen", "etudiant"},
    ),
    "agefiph": (
        {"age": 30, "statut": "salarie", "handicap": True},
        {15: None, 16: "oui", 25: "oui", 26: "oui"},
        {"salarie", "independant", DE},
    ),
    "erasmus-plus": ({"age": 20, "statut": "etudiant"}, {15: "oui", 16: "oui", 25: "oui", 26: "oui"}, ALL),
    "corps-europeen-solidarite": (
        {"age": 20, "statut": SA},
        {15: None, 16: None, 17: None, 18: "oui", 25: "oui", 26: "oui", 30: "oui", 31: None},
        ALL,
    ),
    "mobili-jeune": (
        {"age": 20, "statut": "salarie"},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui", 29: "oui", 30: None},
        ALL,
    ),
    "visale": (
        {"age": 20, "statut": "salarie"},
        {15: None, 16: None, 17: None, 18: "oui", 25: "oui", 26: "oui", 30: "oui", 31: "oui"},
        ALL,
    ),
    "avance-loca-pass": (
        {"age": 20, "statut": DE},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui", 29: "oui", 30: None},
        {"salarie", DE, "lyceen", "etudiant"},
    ),
    "mobili-pass": (
        {"age": 30, "statut": "salarie"},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui"},
        {"salarie"},
    ),
    "bail-mobilite": (
        {"age": 20, "statut": "etudiant"},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui"},
        {"etudiant", "salarie", DE, "lyceen"},
    ),
    "aide-mobilite-france-travail": (
        {"age": 30, "statut": DE},
        {15: "oui", 16: "oui", 25: "oui", 26: "oui"},
        {DE},
    ),
    "dossierfacile": ({"age": 30, "statut": SA}, {15: "oui", 16: "oui", 25: "oui", 26: "oui"}, ALL),
}


#: The schemes with an age condition (for the base situation of TABLE).
AGE_DEPENDENT = {
    "cpf",
    "cej",
    "e2c",
    "epide",
    "service-civique",
    "obligation-formation",
    "droit-retour-formation",
    "aide-permis-apprentis",
    "agefiph",
    "corps-europeen-solidarite",
    "mobili-jeune",
    "visale",
    "avance-loca-pass",
}


@pytest.fixture(scope="module")
def national():
    return catalogue.build(catalogue.NATIONAL_DIRECTORY, None)


def eligibility(national, code: str, **profile) -> str | None:
    result = evaluate_one(national.get(code), Situation(**profile))
    return result.eligibilite if result else None


def test_the_table_covers_every_built_in_scheme(national):
    assert set(TABLE) == {d.id for d in national.dispositifs}


@pytest.mark.parametrize("code", sorted(TABLE))
def test_boundary_ages(national, code):
    base, ages, _ = TABLE[code]
    got = {age: eligibility(national, code, **{**base, "age": age}) for age in ages}
    assert got == ages


@pytest.mark.parametrize("code", sorted(TABLE))
def test_each_statut(national, code):
    base, _, admitted = TABLE[code]
    got = {
        statut
        for statut in KNOWN_STATUTS
        if eligibility(national, code, **{**base, "statut": statut}) == "oui"
    }
    assert got == admitted
    left_out = {s for s in KNOWN_STATUTS if eligibility(national, code, **{**base, "statut": s}) is None}
    assert left_out == ALL - admitted  # never « peut-être » when the statut is known


@pytest.mark.parametrize("code", sorted(TABLE))
def test_an_unknown_statut_is_maybe_when_the_scheme_depends_on_it(national, code):
    base, _, admitted = TABLE[code]
    expected = "oui" if admitted == ALL else "peut-etre"
    assert eligibility(national, code, **{**base, "statut": None}) == expected


@pytest.mark.parametrize("code", sorted(TABLE))
def test_an_unknown_age_is_maybe_when_the_scheme_depends_on_it(national, code):
    base, _, _ = TABLE[code]
    expected = "peut-etre" if code in AGE_DEPENDENT else "oui"
    assert eligibility(national, code, **{**base, "age": None}) == expected


def test_disability_extends_the_age_of_the_cej_and_the_service_civique(national):
    assert eligibility(national, "cej", age=26, statut=DE, handicap=True) == "oui"
    assert eligibility(national, "cej", age=29, statut=DE, handicap=True) == "oui"
    assert eligibility(national, "cej", age=30, statut=DE, handicap=True) is None
    assert eligibility(national, "cej", age=26, statut=DE, handicap=None) == "peut-etre"
    assert eligibility(national, "service-civique", age=30, handicap=True) == "oui"
    assert eligibility(national, "service-civique", age=31, handicap=True) is None


def test_the_agefiph_needs_a_disability(national):
    assert eligibility(national, "agefiph", age=30, statut="salarie", handicap=False) is None
    assert eligibility(national, "agefiph", age=30, statut="salarie", handicap=None) == "peut-etre"


def test_diploma_levels(national):
    assert (
        eligibility(national, "droit-retour-formation", age=19, statut=SA, niveau="4") == "oui"
    )  # bac général
    assert eligibility(national, "droit-retour-formation", age=19, statut=SA, niveau="3") is None
    assert eligibility(national, "droit-retour-formation", age=19, statut=SA, niveau=None) == "peut-etre"
    assert eligibility(national, "e2c", age=19, statut=SA, niveau="4") is None
    assert eligibility(national, "epide", age=19, statut=SA, niveau="3") == "oui"


def test_visale_after_thirty_is_for_employees(national):
    assert eligibility(national, "visale", age=40, statut="salarie") == "oui"
    assert eligibility(national, "visale", age=40, statut=DE) is None
    assert eligibility(national, "visale", age=40, statut=None) == "peut-etre"


def test_the_reasons_say_which_condition_matched(national):
    result = evaluate_one(national.get("cej"), Situation(age=17, statut=SA, handicap=False))
    assert result.raisons == [
        "vous êtes sans activité",
        "vous avez 17 ans, et c’est de 16 à 25 ans",
        "c’est prévu pour : Jeunes de 16 à 25 ans",
    ]
    maybe = evaluate_one(national.get("e2c"), Situation(age=17, statut=SA))
    assert maybe.eligibilite == "peut-etre" and maybe.a_verifier == [
        "votre diplôme : c’est pour sans diplôme"
    ]
    assert "Ne pas être en études ni en formation." in result.autres_conditions


def test_evaluate_lists_yes_before_maybe(national):
    results = evaluate(Situation(age=17, statut=SA), national)
    kinds = [r.eligibilite for r in results]
    assert kinds == sorted(kinds, key=lambda k: k != "oui") and "peut-etre" in kinds
    codes = {r.dispositif.id for r in results}
    assert {"cej", "obligation-formation", "e2c"} <= codes and "ptp" not in codes


RENNES = Lieu("35238", "Rennes", departement="35", region="53", region_nom="Bretagne", epci="243500139")
BREST = Lieu("29019", "Brest", departement="29", region="53", region_nom="Bretagne", epci="242900314")
LYON_3 = Lieu(
    "69383",
    "Lyon 3e Arrondissement",
    departement="69",
    region="84",
    epci="200046977",
    commune_parente="69123",
)


@pytest.mark.parametrize(
    ("territoire", "lieu", "expected"),
    [
        ('regions: ["53"]', RENNES, "oui"),
        ('regions: ["53"]', LYON_3, None),
        ('departements: ["35"]', RENNES, "oui"),
        ('departements: ["35"]', BREST, None),
        ('epci: ["243500139"]', RENNES, "oui"),
        ('epci: ["243500139"]', BREST, None),
        ('communes: ["29019"]', BREST, "oui"),
        ('communes: ["29019"]', RENNES, None),
        ('communes: ["69123"]', LYON_3, "oui"),  # an arrondissement is in its city
        ('regions: ["53"]', None, "peut-etre"),  # commune not said
    ],
)
def test_territory_in_and_out(tmp_path, territoire, lieu, expected):
    text = VALID.format(id="bretagne-transport").replace('regions: ["53"]', territoire)
    d = catalogue.parse_file(write(tmp_path, text=text))
    result = evaluate_one(d, Situation(age=20, statut=DE, lieu=lieu))
    assert (result.eligibilite if result else None) == expected
    if expected == "oui":
        assert any("vous habitez" in r for r in result.raisons)


def test_an_age_band_holds_for_all_its_ages_or_is_maybe(national):
    """The first answer's address carries a band (« 16-17 »), not the age: EPIDE (17 to 25) is « peut-être » for
    16–17, the CEJ (16 to 25) « oui », the obligation de formation (16 to 18) « oui » for 16–17 and gone for 26–30."""
    band = {"statut": DE, "niveau": "sans", "handicap": False}
    assert eligibility(national, "epide", age=16, age_max=17, **band) == "peut-etre"
    assert eligibility(national, "cej", age=16, age_max=17, **band) == "oui"
    assert eligibility(national, "cej", age=18, age_max=25, **band) == "oui"
    assert eligibility(national, "cej", age=26, age_max=30, **band) is None
    assert eligibility(national, "obligation-formation", age=16, age_max=17, statut=SA) == "oui"
    assert eligibility(national, "obligation-formation", age=26, age_max=30, statut=SA) is None
    assert eligibility(national, "cej", age=31, age_max=100, **band) is None
    (cej,) = [
        r for r in evaluate(Situation(age=16, age_max=17, statut=DE), national) if r.dispositif.id == "cej"
    ]
    assert "vous avez de 16 à 17 ans, et c’est de 16 à 25 ans" in cej.raisons
    (epide,) = [
        r
        for r in evaluate(Situation(age=16, age_max=17, statut=DE, niveau="sans"), national)
        if r.dispositif.id == "epide"
    ]
    assert epide.a_verifier == ["votre âge exact : c’est de 17 à 25 ans"]
