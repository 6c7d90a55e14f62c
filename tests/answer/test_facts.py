"""Profile facts read from free text (spro.answer.facts): each cue family, negation, typos, SMS, places."""

from __future__ import annotations

import pytest

from spro.answer.facts import clear_commune_index, extract_facts
from spro.answer.languages import detect_language
from spro.referentials.geo.importers import GeoDataset
from tests.conftest import imported

#: Every call may look the commune names up (an empty table outside the `geo` fixture: no commune is found).
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("j'ai 17 ans et je cherche une formation", 17),
        ("jai 17ans", 17),
        ("Âgée de 45 ans, je veux changer de métier", 45),
        ("j'ai quitté l'école à 16 ans, maintenant j'en ai 18", 18),
        ("mon fils de 14 ans veut être boulanger", None),  # the child's age (child_age), not the writer's
        ("je travaille depuis 8 ans dans la vente", None),
        ("il y a 10 ans j'étais vendeur", None),
        ("j'ai 45 a peu près", None),
        ("bjr g 19 ans pas de diplome", 19),  # SMS "g" for "j'ai"
        ("Sortant de prison depuis 2 mois, 24 ans, je cherche un travail", 24),  # an age opening a clause
        ("Soudeur, 30 ans de métier, mon entreprise ferme", None),
        ("Dans la vente, 12 ans chez le même patron", None),
    ],
)
def test_age_is_read_from_its_cues_and_not_from_durations(text: str, age: int | None) -> None:
    assert extract_facts(text).age == age


@pytest.mark.parametrize(
    ("text", "statut"),
    [
        ("je suis en 3e et je ne sais pas quoi faire", "collegien"),
        ("collegienne, je cherche un stage", "collegien"),
        ("en terminale STMG, je veux faire un BTS", "lyceen"),
        ("Je suis en L2 de psycho", "etudiant"),
        ("etudiante en BTS 1ere annee", "etudiant"),
        ("je suis salariée dans une banque", "salarie"),
        ("en CDI depuis 3 ans comme serveur", "salarie"),
        ("je travaille comme cariste", "salarie"),
        ("je suis au chômage depuis mars", "demandeur-emploi"),
        ("inscrit à pole emploi depuis un an", "demandeur-emploi"),
        ("j'ai été licenciée en janvier", "demandeur-emploi"),
        ("auto-entrepreneur dans le graphisme", "independant"),
        ("artisan à mon compte depuis 10 ans", "independant"),
        ("mère au foyer, je voudrais travailler", "sans-activite"),
        ("sans activité depuis mon déménagement", "sans-activite"),
        ("bonjour je voudrais des informations", None),
    ],
)
def test_each_statut_has_its_cues(text: str, statut: str | None) -> None:
    assert extract_facts(text).statut == statut


def test_a_negated_statut_is_not_taken() -> None:
    assert extract_facts("je ne suis pas au chômage").statut is None
    assert extract_facts("Je ne suis pas au chômage mais en CDI").statut == "salarie"
    assert (
        extract_facts("je ne suis plus salarié, je suis inscrit à France Travail").statut
        == "demandeur-emploi"
    )


def test_a_wish_is_not_a_situation() -> None:
    # "devenir auto-entrepreneur" is a project; the CDI is the situation.
    assert extract_facts("Je veux devenir auto-entrepreneur en plus de mon CDI").statut == "salarie"


@pytest.mark.parametrize(
    ("text", "handicap"),
    [
        ("j'ai une RQTH depuis 2020", True),
        ("travailleur handicapé, je cherche un poste", True),
        ("je touche l'AAH", True),
        ("dossier MDPH en cours", True),
        ("je n'ai pas de handicap", False),
        ("j'aime bien les animaux", None),
    ],
)
def test_disability_and_its_negation(text: str, handicap: bool | None) -> None:
    assert extract_facts(text).handicap is handicap


@pytest.mark.parametrize(
    ("text", "niveau"),
    [
        ("je suis sans diplôme", "sans"),
        ("pas de diplome", "sans"),
        ("j'ai un CAP cuisine", "3"),
        ("j'ai eu mon bac ES en 2019", "4"),
        ("j'ai un bac+2", "5"),
        ("titulaire d'une licence de droit", "6"),
        ("Jeune diplômée d'un master RH", "7"),
        ("je veux faire un CAP coiffure", None),
        ("je voudrais un diplôme (BP maçon)", None),
    ],
)
def test_diploma_level_is_what_the_person_holds_not_what_they_want(text: str, niveau: str | None) -> None:
    assert extract_facts(text).niveau == niveau


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("j'ai arrêté le lycée en novembre", True),
        ("j'ai décroché en seconde", True),
        ("viré du lycée en 1ere", True),
        ("mon fils est déscolarisé depuis 6 mois", True),
        ("j'ai quitté l'école à 16 ans", True),
        ("je pense arrêter mes études", None),
        ("je suis en terminale", None),
    ],
)
def test_leaving_school(text: str, left: bool | None) -> None:
    assert extract_facts(text).a_quitte_formation is left


def test_left_school_is_not_the_current_statut() -> None:
    facts = extract_facts("j'ai arrêté le lycée l'an dernier")
    assert facts.a_quitte_formation is True and facts.statut != "lyceen"


def test_sms_style_without_accents() -> None:
    facts = extract_facts("slt jai 19ans jsuis o chomage, pa de diplome")
    assert (facts.age, facts.niveau) == (19, "sans")


def test_contradictory_facts_are_reported_as_said() -> None:
    # The text is taken as written; service.merge_profile warns about the contradiction.
    facts = extract_facts("J'ai 12 ans et je suis salarié dans une boulangerie")
    assert (facts.age, facts.statut) == (12, "salarie")


@pytest.mark.parametrize(
    "text", ["", "   ", "?!", "🙂🙂", "'; DROP TABLE x; --", "<script>alert(1)</script>"]
)
def test_empty_or_odd_text_gives_no_fact(text: str) -> None:
    facts = extract_facts(text)
    assert (facts.age, facts.statut, facts.handicap, facts.niveau, facts.a_quitte_formation) == (None,) * 5


def test_a_20000_character_text_is_read_whole() -> None:
    """Its speed is measured by bench/, not asserted here (shared, noisy machines)."""
    text = ("Je cherche un emploi de vendeuse, j'ai 25 ans et une RQTH. " * 400)[:20_000]
    facts = extract_facts(text)
    assert (facts.age, facts.handicap) == (25, True)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("je cherche une formation", "fr"),
        ("jcherche du taf svp", "fr"),
        ("aide", "fr"),
        ("", "fr"),
        ("I am looking for a job in Rennes, where can I get help?", "autre"),
        ("Hola, quiero trabajar en Francia como cocinero, ¿dónde puedo buscar?", "autre"),
        ("أبحث عن عمل في رين", "autre"),
        ("Я ищу работу", "autre"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language


# --- Places: need the real geography --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def geo(django_db_setup, django_db_blocker):
    try:
        with imported(django_db_blocker, GeoDataset()) as reports:
            clear_commune_index()
            yield reports[0]
    finally:
        clear_commune_index()


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("je cherche une alternance à Rennes", "35238"),
        ("un travail sur Brest", "29019"),
        ("j'habite près de Quimper", "29232"),
        ("une formation vers lorient", "56121"),
        ("alternance sur st brieuc svp", "22278"),
        ("je vis à Saint-Malo", "35288"),
        ("je vis au Mans", "72181"),
        ("CV à envoyer, code postal 35000 Rennes", "35238"),
        ("je gagne 25000 euros par an", None),
        ("je cherche du travail", None),
        ("je voudrais travailler à domicile", None),
        ("j'ai fait un stage", None),
    ],
)
def test_a_commune_named_after_a_preposition(geo, text: str, commune: str | None) -> None:
    assert extract_facts(text).commune == commune


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        # A postal code after a place cue, nothing after it (held-out set 4's miss).
        ("je sais pas quoi faire apres, j'habite au 29200", "29019"),
        ("j'habite dans le 56100 et je cherche", "56121"),
        # A town written alone as a segment: after a comma, opening the text, in brackets, between dashes.
        ("BTS en alternance en maintenance des véhicules, 19 ans, Brest", "29019"),
        ("Lannion : je veux créer une entreprise", "22113"),
        ("Mon fils (16 ans, Vannes) a quitté le lycée", "56260"),
        ("Quimper - 25 ans - je veux reprendre mes études", "29232"),
        ("St Brieuc, 20 ans, je cherche", "22278"),
        # Not a place: a signature, a common word, a sentence, a lower-case word, an amount.
        ("Merci. Cordialement, Marie", None),
        ("Cours, ateliers : que choisir ?", None),
        ("brest", None),
        ("j'ai 35000 euros d'économies, je suis perdu", None),
    ],
)
def test_a_commune_written_alone_or_as_a_postal_code_after_a_place_cue(
    geo, text: str, commune: str | None
) -> None:
    assert extract_facts(text).commune == commune


def test_commune_names_are_read_once_then_kept_in_memory(geo, django_assert_max_num_queries) -> None:
    """The names are loaded once per process; later texts cost at most the freshness check, never a reload of the names.

    Speed itself is measured by `make bench` (bench/answer), not asserted here.
    """
    text = "Bonjour, j'ai 17 ans, j'ai arrêté le lycée et j'habite à Vannes, je cherche une formation"
    assert extract_facts(text).commune == "56260"
    with django_assert_max_num_queries(
        5
    ):  # one freshness check per text; a reload would add the table's read
        for _ in range(5):
            assert extract_facts(text).commune == "56260"


def test_a_new_geography_import_is_seen_without_restarting(db) -> None:
    """App servers keep the names in memory: a later successful `geo` import makes them reload (one lookup)."""
    from spro.referentials.geo.models import Commune, Departement, Region
    from spro.referentials.models import ImportRun

    # Works with or without the real geography of the `geo` fixture loaded at the same time.
    region, _ = Region.objects.get_or_create(code="53", defaults={"nom": "Bretagne", "zone": "metro"})
    departement, _ = Departement.objects.get_or_create(
        code="35", defaults={"nom": "Ille-et-Vilaine", "region": region, "zone": "metro"}
    )
    Commune.objects.create(
        code_insee="35999",
        nom="Nouvelle-Commune-Test",
        type=Commune.Type.COMMUNE,
        departement=departement,
        region=region,
        codes_postaux=["35990"],
    )
    clear_commune_index()
    assert extract_facts("je vis à Nouvelle-Commune-Test").commune == "35999"  # loaded now
    Commune.objects.filter(code_insee="35999").update(nom="Renommee-Test")
    assert extract_facts("je vis à Renommee-Test").commune is None  # an edit alone: not seen yet
    ImportRun.objects.create(dataset="geo", status=ImportRun.Status.FAILED)
    assert extract_facts("je vis à Renommee-Test").commune is None  # a failed import changes nothing
    ImportRun.objects.create(dataset="geo", status=ImportRun.Status.SUCCESS)
    assert extract_facts("je vis à Renommee-Test").commune == "35999"
    clear_commune_index()
