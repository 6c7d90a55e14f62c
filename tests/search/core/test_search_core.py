"""search(): relevance on typical queries, typos, filters, facets, pagination, suggestion and hostile input."""

from __future__ import annotations

import pytest

from spro.search.params import InvalidQuery
from spro.search.service import SearchResponse, search

pytestmark = pytest.mark.django_db


def codes(response: SearchResponse) -> list[str]:
    return [hit.code for hit in response.resultats]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("infirmiere", "J1506"),
        ("Infirmières", "J1506"),
        ("kine", "J1404"),
        ("instit", "K2106"),
        ("mecano", "I1604"),
        ("boulangerie", "D1102"),
        ("cheffe boulangère", "D1102"),
        ("vendeuse", "D1211"),
        ("compta", "M1203"),
        ("travailler avec les animaux", "A1501"),
        ("cap patisserie", "certifinfo-106291"),
        ("brevet de technicien supérieur comptabilité", "certifinfo-100001"),
    ],
)
def test_typical_queries_find_the_right_fiche_in_the_top_3(index, query, expected):
    assert expected in codes(search(query))[:3]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("infirmeire", "J1506"),  # transposition
        ("infirmiare", "J1506"),  # substitution, before the gender folding
        ("boulnager", "D1102"),
        ("developeur web", "M1805"),  # deletion
        ("mecanicienn automobille", "I1604"),  # a typo in every word
        ("kinesitherapeutte", "J1404"),
    ],
)
def test_one_typo_per_word_of_five_letters_or_more_is_forgiven(index, query, expected):
    assert expected in codes(search(query))[:3]


def test_short_words_are_not_corrected(index):
    assert search("bxs").total == 0


def test_exact_title_bonus_puts_the_fiche_first(index):
    assert codes(search("kinésithérapeute"))[0] == "J1404"


def test_type_filter(index):
    response = search("infirmier", type="formation")
    assert response.total >= 1
    assert {hit.type for hit in response.resultats} == {"formation"}


def test_commune_and_radius_keep_only_places_within_the_radius(index):
    near = search("developpeur web", commune="35238", rayon_km=20)
    assert [hit.code for hit in near.resultats] == ["parcoursup-a1"]
    assert near.resultats[0].distance_km is not None and near.resultats[0].distance_km < 5
    wider = search("developpeur web", commune="35238", rayon_km=80, tri="distance")
    assert codes(wider) == ["parcoursup-a1", "parcoursup-a2"]  # Rennes, then Saint-Malo (~ 65 km)
    assert wider.resultats[0].distance_km < wider.resultats[1].distance_km


def test_departement_region_and_modalite_filters(index):
    assert set(codes(search("developpeur web", departement="35"))) == {"parcoursup-a1", "parcoursup-a2"}
    assert codes(search("developpeur web", region="11")) == ["parcoursup-a3"]
    assert "parcoursup-a2" in codes(search("developpeur web", modalite="apprentissage"))
    assert "parcoursup-a1" not in codes(search("developpeur web", modalite="apprentissage"))


def test_alternance_in_the_query_matches_the_modality(index):
    assert codes(search("developpeur web alternance saint malo"))[0] == "parcoursup-a2"


def test_facets_count_the_matches(index):
    response = search("developpeur web")
    facets = {name: {v: n for v, _label, n in values} for name, values in response.facettes.items()}
    assert facets["type"]["formation"] == 3
    assert facets["departement"] == {"35": 2, "75": 1}
    labels = {v: label for v, label, _n in response.facettes["region"]}
    assert labels["53"] == "Bretagne"
    assert sum(facets["type"].values()) == response.total


def test_pagination_is_stable_and_complete(index):
    all_hits = codes(search("infirmier", par_page=50))
    paged = codes(search("infirmier", par_page=2, page=1)) + codes(search("infirmier", par_page=2, page=2))
    assert paged == all_hits[:4]


def test_did_you_mean_on_empty_results(index):
    # Typos that the fuzzy matching still finds: results, so no « did you mean ».
    response = search("kinesiterapeutes osteo")
    assert response.total > 0 and response.resultats[0].code == "J1404"
    assert response.suggestion is None
    response = search("boulangzzrie")
    assert response.total == 0
    assert response.suggestion and "boulang" in response.suggestion


def test_as_dict_is_the_contract_shape(index):
    data = search("infirmiere").as_dict()
    assert set(data) == {"q", "total", "resultats", "page", "par_page", "facettes", "suggestion"}
    hit = data["resultats"][0]
    assert {"type", "code", "titre", "url", "score"} <= set(hit)
    assert hit["url"] == f"/metiers/{hit['code']}" if hit["type"] == "metier" else True
    assert all(
        {"valeur", "libelle", "nombre"} == set(v) for values in data["facettes"].values() for v in values
    )


HOSTILE = [
    '"',
    '""infirmier',
    "infirm*",
    "*",
    "NEAR(a b)",
    "infirmier OR boulanger",
    "infirmier AND NOT boulanger",
    "a:b col:x",
    "'; DROP TABLE search_searchdocument; --",
    "1' OR '1'='1",
    "infirmier\x00boulanger\x07",
    "\u202e\u200binfirmier",
    "😀🔥 infirmière 🏥",
    "(((((",
    "& | ! <-> :*",
    "\ud800",
    " " * 400,
    "a" * 499,
    "x " * 250,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_a_normal_response(index, query):
    response = search(query)
    assert isinstance(response, SearchResponse)
    response.as_dict()


def test_too_long_query_is_invalid(index):
    with pytest.raises(InvalidQuery) as info:
        search("infirmier " * 1000)
    assert info.value.code == "query-too-long"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"type": "structure'"}, "invalid-type"),
        ({"modalite": "nuit"}, "invalid-modalite"),
        ({"commune": "99999"}, "commune-inconnue"),
        ({"commune": "35238'--"}, "invalid-commune"),
        ({"rayon_km": 10}, "rayon-without-commune"),
        ({"commune": "35238", "rayon_km": -1}, "invalid-rayon"),
        ({"tri": "distance"}, "distance-without-commune"),
        ({"tri": "prix"}, "invalid-tri"),
        ({"page": 0}, "invalid-page"),
        ({"par_page": 1000}, "invalid-page"),
        ({"departement": "35\x00"}, "invalid-departement"),
    ],
)
def test_bad_parameters_raise_invalid_query(index, params, code):
    with pytest.raises(InvalidQuery) as info:
        search("infirmier", **params)
    assert info.value.code == code


def test_empty_query_without_filter_is_empty(index):
    assert search("").total == 0
    assert search("   les de la ").total == 0


def test_empty_query_with_a_filter_browses_by_title(index):
    response = search("", departement="35", par_page=50)
    titles = [hit.titre.lower() for hit in response.resultats]
    assert response.total == 5 and titles == sorted(titles)
