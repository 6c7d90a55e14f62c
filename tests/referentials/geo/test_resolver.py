"""The one commune resolver (`spro.referentials.geo.resolver`): names, postal codes, both, homonyms, typos, INSEE
codes only where the caller says so, and any input read without an exception.

The communes are real COG rows (codes, names, postal codes, populations of data/geo/communes_fr_2026.csv.gz), a few
chosen for their traps: « 56100 » is Lorient's postal code and Langonnet's INSEE code, four « Saint-Denis », a
postal code shared by three communes, Paris and one of its arrondissements.
"""

from __future__ import annotations

import pytest

from spro.referentials.geo import resolver
from spro.referentials.geo.resolver import MAX_INPUT, resolve

pytestmark = pytest.mark.django_db

#: (code INSEE, nom, département, codes postaux, population, commune parente)
COMMUNES = (
    ("35238", "Rennes", "35", ["35000", "35200", "35700"], 230_890, None),
    ("66160", "Reynès", "66", ["66400"], 1_220, None),
    ("56260", "Vannes", "56", ["56000"], 55_790, None),
    ("92075", "Vanves", "92", ["92170"], 28_622, None),
    ("35288", "Saint-Malo", "35", ["35400"], 47_439, None),
    ("22278", "Saint-Brieuc", "22", ["22000"], 44_364, None),
    ("22113", "Lannion", "22", ["22300"], 20_315, None),
    ("22211", "Ploubezre", "22", ["22300"], 3_780, None),
    ("22265", "Rospez", "22", ["22300"], 1_794, None),
    ("29233", "Quimperlé", "29", ["29300"], 12_469, None),
    ("56121", "Lorient", "56", ["56100"], 58_329, None),
    ("56100", "Langonnet", "56", ["56630"], 1_930, None),
    ("93066", "Saint-Denis", "93", ["93200", "93210", "93380"], 149_077, None),
    ("97411", "Saint-Denis", "974", ["97400", "97417", "97490"], 155_634, None),
    ("11339", "Saint-Denis", "11", ["11310"], 523, None),
    ("30247", "Saint-Denis", "30", ["30500"], 296, None),
    ("2A004", "Ajaccio", "2A", ["20000", "20090", "20167"], 73_000, None),
    ("75056", "Paris", "75", ["75001", "75015"], 2_113_705, None),
    ("75115", "Paris 15e Arrondissement", "75", ["75015"], 229_713, "75056"),
)
DEPARTEMENTS = {
    "11": "Aude",
    "22": "Côtes-d'Armor",
    "29": "Finistère",
    "2A": "Corse-du-Sud",
    "30": "Gard",
    "35": "Ille-et-Vilaine",
    "56": "Morbihan",
    "66": "Pyrénées-Orientales",
    "75": "Paris",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "974": "La Réunion",
}


@pytest.fixture(autouse=True)
def communes(db):
    from spro.referentials.geo.models import Commune, Departement, Region

    region = Region.objects.create(code="53", nom="Bretagne", zone="metro")
    for code, nom in DEPARTEMENTS.items():
        Departement.objects.create(code=code, nom=nom, region=region, zone="metro")
    for code, nom, dep, postaux, population, parent in COMMUNES:
        Commune.objects.create(
            code_insee=code,
            nom=nom,
            type=Commune.Type.ARRONDISSEMENT if parent else Commune.Type.COMMUNE,
            commune_parente_id=parent,
            departement_id=dep,
            region=region,
            codes_postaux=postaux,
            population=population,
        )


def code_of(text: object, **kwargs: object) -> str | None:
    resolution = resolve(text, **kwargs)
    return resolution.commune.code_insee if resolution.commune else None


def choice_codes(text: object, **kwargs: object) -> list[str]:
    resolution = resolve(text, **kwargs)
    assert resolution.ambiguous and resolution.commune is None, resolution
    return [ref.code_insee for ref in resolution.choices]


# --- Names ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["Saint-Malo", "saint malo", "SAINT MALO", "St Malo", "st-malo", "St. Malo", "  Saint--Malo  "],
)
def test_a_name_is_read_whatever_its_hyphens_case_and_saint_abbreviation(text):
    resolution = resolve(text)
    assert resolution.commune is not None and resolution.commune.code_insee == "35288", text
    assert resolution.kind == "name"


@pytest.mark.parametrize("text", ["St-Brieuc", "st brieuc", "Saint Brieuc", "SAINT-BRIEUC"])
def test_saint_brieuc_in_every_spelling(text):
    assert code_of(text) == "22278"


@pytest.mark.parametrize("text", ["Quimperlé", "quimperle", "QUIMPERLE", "Quimperle\u0301"])
def test_accents_are_optional(text):
    assert code_of(text) == "29233"


@pytest.mark.parametrize(("text", "code"), [("Renes", "35238"), ("Lorien", "56121"), ("Quimperlee", "29233")])
def test_a_typo_finds_the_nearest_commune_and_says_so(text, code):
    resolution = resolve(text)
    assert resolution.kind == "fuzzy" and resolution.commune.code_insee == code
    assert f"« {text} »" in resolution.understood_as


def test_a_typo_as_close_to_a_city_and_a_village_is_the_city():
    """« Renes » is one letter from Rennes (230,890 people) and from Reynès (1,220): the person meant Rennes."""
    resolution = resolve("Renes")
    assert resolution.kind == "fuzzy" and resolution.commune.code_insee == "35238"
    assert resolution.understood_as == "Rennes (35), au plus proche de « Renes »"


def test_a_typo_as_close_to_two_towns_of_similar_size_is_a_choice():
    """« Vanes »: Vannes (55,790) or Vanves (28,622), one letter each."""
    assert choice_codes("Vanes") == ["56260", "92075"]


def test_exact_homonyms_stay_a_choice_whatever_their_size():
    """The population only settles typos: « Saint-Denis » is four communes, even if one is 500 times another."""
    assert len(choice_codes("Saint-Denis")) == 4


def test_a_short_name_allows_no_typo():
    """Under four letters a single edit reaches too many communes: « Rns » is not Rennes."""
    assert resolve("Rns").kind == "unknown"


# --- Homonyms ------------------------------------------------------------------------------------------------------
def test_homonyms_are_choices_most_populated_first():
    assert choice_codes("Saint-Denis") == ["97411", "93066", "11339", "30247"]
    assert "4 communes possibles" in resolve("Saint-Denis").understood_as


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saint-Denis 93", "93066"),
        ("Saint-Denis (93)", "93066"),
        ("St Denis, 93", "93066"),
        ("Saint-Denis (974)", "97411"),
        ("saint denis 974", "97411"),
        ("Saint-Denis (11)", "11339"),
        ("Saint-Denis 93200", "93066"),
        ("93210 Saint-Denis", "93066"),
        ("Saint-Denis 97490", "97411"),
    ],
)
def test_a_departement_or_a_postal_code_picks_among_homonyms(text, code):
    assert code_of(text) == code


def test_a_label_reads_back_to_its_own_commune():
    """Pages carry `CommuneRef.label` in their links (« Saint-Denis (93) »): it must resolve to that commune."""
    for code, *_ in COMMUNES:
        ref = resolver.get_index().by_code[code]
        assert code_of(ref.label) == code, ref.label


def test_a_departement_with_no_such_commune_is_unknown():
    assert resolve("Saint-Malo (29)").kind == "unknown"


# --- Postal codes --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Lorient 56100", "56100 Lorient", "Lorient (56100)", "lorient, 56100"])
def test_name_and_postal_code_never_read_the_postal_code_as_insee(text):
    """56100 is Lorient's postal code and Langonnet's INSEE code: with a name, it only narrows the name."""
    assert code_of(text) == "56121"
    assert code_of(text, insee_first=True) == "56121"


def test_a_postal_code_alone_is_a_postal_code():
    resolution = resolve("56100")
    assert resolution.kind == "postal" and resolution.commune.code_insee == "56121"
    assert resolution.understood_as == "Lorient, code postal 56100"


def test_a_postal_code_alone_with_one_commune_is_that_commune():
    assert code_of("22000") == "22278"
    assert code_of("35700") == "35238"


def test_a_postal_code_shared_by_several_communes_is_a_choice():
    assert choice_codes("22300") == ["22113", "22211", "22265"]
    assert resolve("22300").understood_as == "code postal 22300 : 3 communes"


def test_a_name_picks_among_the_communes_of_a_shared_postal_code():
    assert code_of("Rospez 22300") == "22265"
    assert code_of("22300 Ploubezre") == "22211"


def test_a_wrong_postal_code_does_not_hide_the_name():
    """« Lorient 29300 » (the postal code of Quimperlé): the name is what the person meant."""
    assert code_of("Lorient 29300") == "56121"


def test_an_arrondissement_postal_code_gives_the_arrondissement():
    assert code_of("75015") == "75115"
    assert code_of("Paris 15") == "75115"
    assert code_of("Paris") == "75056"


@pytest.mark.parametrize("text", ["Paris 75015", "75015 Paris", "paris (75015)"])
def test_the_commune_name_with_an_arrondissement_postal_code_gives_the_arrondissement(text):
    """The more precise input must not give the less precise answer: « Paris 75015 » is the 15th, as « 75015 »."""
    resolution = resolve(text)
    assert resolution.commune.code_insee == "75115"
    assert resolution.understood_as == "Paris 15e Arrondissement, code postal 75015"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("22 000", "22278"),
        ("Lorient 56 100", "56121"),
        ("56 100 Lorient", "56121"),
        ("Saint-Denis 93 200", "93066"),
    ],
)
def test_a_postal_code_written_with_a_space_is_a_postal_code(text, code):
    assert code_of(text) == code
    assert code_of(text, insee_first=True) == code


@pytest.mark.parametrize("text", ["Rennes Cedex", "Rennes CEDEX 9", "35043 Rennes Cedex", "Rennes, cedex 2"])
def test_cedex_from_a_postal_address_is_ignored(text):
    """35043 is a CEDEX code, no commune's postal code: the name in its département tells."""
    assert code_of(text) == "35238"


def test_cedex_alone_is_unknown():
    assert resolve("Cedex").kind == "unknown"
    assert resolve("Cedex 9").kind == "unknown"


# --- INSEE codes ---------------------------------------------------------------------------------------------------
def test_an_insee_code_is_read_first_only_when_the_caller_says_so():
    """The API and the command line documented INSEE codes; people type postal codes."""
    assert code_of("56100") == "56121"
    resolution = resolve("56100", insee_first=True)
    assert resolution.kind == "insee" and resolution.commune.code_insee == "56100"
    assert resolution.understood_as == "code INSEE 56100"


def test_an_insee_code_that_is_no_postal_code_still_works_for_old_links():
    assert code_of("35238") == "35238"
    assert code_of("2a004") == "2A004"
    assert code_of("2A004", insee_first=True) == "2A004"


def test_insee_first_falls_back_to_postal_codes():
    assert code_of("22000", insee_first=True) == "22278"
    assert choice_codes("22300", insee_first=True) == ["22113", "22211", "22265"]


# --- Unknown and hostile input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Atlantis", "99999", "2B999", "Brest", "Brest 29200", "xyz 12345"])
def test_unknown_is_unknown_with_a_french_message(text):
    resolution = resolve(text)
    assert resolution.kind == "unknown" and resolution.commune is None and not resolution.choices
    assert resolution.message.startswith("Nous n’avons pas trouvé la commune")


@pytest.mark.parametrize("value", [None, "", "   ", "\x00\x1f", "\u200b\ufeff"])
def test_empty_input_is_unknown_with_an_empty_query(value):
    resolution = resolve(value)
    assert resolution.kind == "unknown" and resolution.query == ""


@pytest.mark.parametrize("value", [",;.-", "()", "'", "St", "Le"])
def test_punctuation_or_a_lone_article_is_unknown(value):
    resolution = resolve(value)
    assert resolution.kind == "unknown" and resolution.commune is None and not resolution.choices


@pytest.mark.parametrize(
    "value",
    [
        "a" * 1_000_000,
        "Saint-" * 50_000,
        "1" * 10_000,
        "56100 " * 1_000,
        "'; DROP TABLE geo_commune; --",
        "<script>alert(1)</script>",
        "%00%ff",
        "(((((((((((",
        "\u202eRennes",
        "𝓡𝓮𝓷𝓷𝓮𝓼",
        "\ud800",
        "Saint-Denis (" + "9" * 500 + ")",
        35238,
        3.5,
        ["Rennes"],
        b"Rennes",
    ],
)
def test_hostile_input_never_raises(value):
    resolution = resolve(value)
    assert len(resolution.query) <= MAX_INPUT
    assert resolution.kind in ("insee", "postal", "name", "fuzzy", "ambiguous", "unknown")
    assert (resolution.commune is not None) == resolution.ok


def test_control_characters_are_spaces():
    assert code_of("\x00Rennes\n") == "35238"
    assert code_of("Saint\tMalo") == "35288"
    assert code_of("Lorient\x0b56100") == "56121"


def test_an_input_cut_at_max_length_is_read_from_its_start():
    assert code_of("Rennes" + " " * 10 + "x" * 500) is None
    assert resolve("Rennes " + "x" * 500).query == ("Rennes " + "x" * 500)[:MAX_INPUT]


def test_inactive_communes_are_ignored():
    from spro.referentials.geo.models import Commune

    Commune.objects.filter(code_insee="97411").update(is_active=False)
    assert code_of("Saint-Denis") is None
    assert choice_codes("Saint-Denis") == ["93066", "11339", "30247"]
