"""Needs detection (spro.answer.needs) and its lexicon file (rules/besoins.yaml)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from spro.answer import needs
from spro.answer.facts import extract_facts
from spro.answer.needs import BesoinsFileError, detect_besoins, load_lexicon, parse_file
from spro.answer.types import MetierMatch, Profile
from spro.core.vocabularies.besoins import Besoin

REQUESTS = Path(__file__).resolve().parents[2] / "bench" / "answer" / "requests.jsonl"


def codes(text: str, profile: Profile | None = None, metiers: list[MetierMatch] | None = None) -> list[str]:
    return [b.code for b in detect_besoins(text, profile or Profile(), metiers or [])]


def profile_of(text: str, **form) -> Profile:
    """The profile as the service builds it: the form, completed by the facts of the text."""
    facts = extract_facts(text)
    merged = {name: getattr(facts, name) for name in ("age", "statut", "handicap", "commune", "niveau")}
    merged.update({k: v for k, v in form.items() if v is not None})
    return Profile(**merged, a_quitte_formation=facts.a_quitte_formation)


# --- One family of cues per need ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "besoin"),
    [
        ("je sais pas du tout ce que je veux faire plus tard", "decouvrir-metiers"),
        ("c koi le metier de ostreiculteur", "decouvrir-metiers"),
        ("quelle formation pour devenir comptable ?", "choisir-formation"),
        ("je voudrais me réorienter après ma L1", "choisir-formation"),
        ("je cherche une alternance en cuisine", "alternance"),
        ("contrat de professionnalisation dans la banque", "alternance"),
        ("comment utiliser mon CPF ?", "financer-formation"),
        ("qui peut payer ma formation", "financer-formation"),
        ("je voudrais faire une VAE", "vae"),
        ("faire reconnaître mon expérience par un diplôme", "vae"),
        ("je veux me reconvertir", "evolution-professionnelle"),
        ("faire un bilan de compétences", "evolution-professionnelle"),
        ("je cherche du travail", "recherche-emploi"),
        ("slt jcherche du taf", "recherche-emploi"),
        ("je veux créer mon entreprise", "creation-entreprise"),
        ("reprendre une boulangerie", "creation-entreprise"),
        ("j'ai décroché du lycée", "retour-formation"),
        ("l'école de la deuxième chance", "retour-formation"),
        ("partir en Erasmus", "mobilite-internationale"),
        ("travailler à l'étranger", "mobilite-internationale"),
        ("je n'ai pas de logement", "vie-quotidienne"),
        ("je dois payer le permis de conduire", "vie-quotidienne"),
        ("comment avoir la RQTH", "handicap"),
        ("je suis travailleur handicapé", "handicap"),
    ],
)
def test_each_need_has_its_cues(text: str, besoin: str) -> None:
    assert codes(text)[0] == besoin


@pytest.mark.parametrize(
    ("text", "besoin"),
    [
        ("reprendre la ferme de mes parents", "creation-entreprise"),  # the cue says "reprendre une ferme"
        ("je voudrais reprendre le commerce de ma tante", "creation-entreprise"),
        ("je galère à trouver un CDI dans la vente", "recherche-emploi"),
        ("je cherche un CDD pour l'été", "recherche-emploi"),
    ],
)
def test_determiners_in_cues_do_not_matter(text: str, besoin: str) -> None:
    assert besoin in codes(text)[:2]


def test_a_determiner_is_kept_when_only_one_word_would_remain() -> None:
    # "du travail" must not become "travail" alone: "mon travail me plaît" states no job search.
    assert needs.compile_cue("du travail", 0.5, 2).pattern.search("mon travail me plait") is None
    assert needs.compile_cue("reprendre une ferme", 0.9, 2).pattern.search("reprendr la ferm de") is not None


def test_every_need_of_the_vocabulary_has_a_lexicon() -> None:
    assert set(load_lexicon().cues) == set(Besoin.values)


def test_several_needs_best_first_with_scores_and_evidence() -> None:
    result = detect_besoins("je cherche une alternance mais je n'ai pas de logement", Profile(), [])
    assert [b.code for b in result][:2] == ["alternance", "vie-quotidienne"]
    assert all(0 < b.score <= 1 for b in result)
    assert result[0].score >= result[1].score
    assert "alternance" in result[0].evidence


def test_overlapping_cues_count_once() -> None:
    # "sans perdre mon salaire" contains "perdre salaire": one piece of evidence, not two.
    (first,) = [
        b for b in detect_besoins("sans perdre mon salaire", Profile(), []) if b.code == "financer-formation"
    ]
    assert first.score == pytest.approx(0.85)


# --- Negation, typos, odd input --------------------------------------------------------------------------------------
def test_a_negated_cue_does_not_count() -> None:
    assert "choisir-formation" not in codes("je ne veux pas de formation, je veux un travail")
    assert codes("je ne veux pas de formation, je veux un travail")[0] == "recherche-emploi"


def test_doubt_is_not_a_negation() -> None:
    assert codes("je ne sais pas vers quoi me tourner")[0] == "decouvrir-metiers"


def test_typos_and_missing_accents() -> None:
    assert codes("je veu faire une reconvertion")[0] == "evolution-professionnelle"
    assert codes("validation des acquis de l experience")[0] == "vae"
    assert codes("creation d entreprise")[0] == "creation-entreprise"


@pytest.mark.parametrize("text", ["", "   ", "bande de nuls vous servez à rien", "'; DROP TABLE x; --", "🙂"])
def test_nothing_recognised_gives_the_default_need(text: str) -> None:
    result = detect_besoins(text, Profile(), [])
    assert [(b.code, b.score) for b in result] == [("decouvrir-metiers", 0.2)]


def test_a_20000_character_text_is_read_whole() -> None:
    text = ("Je cherche une alternance, je n'ai pas de logement et je veux faire une VAE. " * 300)[:20_000]
    load_lexicon()
    result = detect_besoins(text, Profile(), [])
    assert {"alternance", "vie-quotidienne", "vae"} <= {b.code for b in result}


def test_another_language_does_not_crash() -> None:
    assert codes("I am looking for a job, can you help me?") == ["decouvrir-metiers"]


# --- Profile rules --------------------------------------------------------------------------------------------------
def test_stated_disability_adds_the_handicap_need() -> None:
    assert "handicap" in codes("je cherche un poste de comptable", Profile(handicap=True))


def test_a_job_seeker_who_says_nothing_else_looks_for_a_job() -> None:
    result = detect_besoins("bonjour", Profile(statut="demandeur-emploi"), [])
    assert result[0].code == "recherche-emploi" and "demandeur ou demandeuse d'emploi" in result[0].evidence


def test_young_person_who_left_school_needs_to_return() -> None:
    assert (
        codes("je ne fais rien en ce moment", Profile(age=17, a_quitte_formation=True))[0]
        == "retour-formation"
    )


def test_employee_who_wants_another_metier_needs_career_change() -> None:
    assert (
        codes("je voudrais devenir infirmière", Profile(statut="salarie"))[0] == "evolution-professionnelle"
    )


def test_a_metier_and_nothing_else_is_discovery() -> None:
    metier = MetierMatch("A1404", "Ostréiculteur / Ostréicultrice", "Ostréiculteur", 0.9)
    assert codes("ostréiculteur", Profile(), [metier])[0] == "decouvrir-metiers"
    assert "choisir-formation" in codes("ostréiculteur", Profile(statut="lyceen"), [metier])


def test_contradictory_profile_does_not_crash() -> None:
    assert codes("je suis salarié", Profile(age=12, statut="salarie", handicap=False))


# --- The lexicon file -----------------------------------------------------------------------------------------------
MINIMAL = """
version: 1
date: "2026-11-28"
seuil: 0.3
max_besoins: 5
defaut: {besoin: decouvrir-metiers, score: 0.2}
besoins:
  vae:
    indices:
      "vae": 0.9
profil:
  - id: r1
    besoin: handicap
    poids: 0.5
    quand: {handicap: true}
    preuve: handicap
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "besoins.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_file_is_valid(tmp_path: Path) -> None:
    parsed = parse_file(write(tmp_path, MINIMAL))
    assert parsed.besoins["vae"].indices == {"vae": 0.9}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  vae:\n", "  vea:\n"), "besoin inconnu « vea »"),
        (('"vae": 0.9', '"vae": 1.5'), "besoins.yaml, besoin « vae », indice « vae », champ « poids »"),
        (('"vae": 0.9', '"vae": 0'), "doit être entre 0 (exclu) et 1"),
        (('"vae": 0.9', '"vae": beaucoup'), "besoin « vae », indice « vae »"),
        (
            ("    besoin: handicap\n", "    besoin: logement\n"),
            "règle de profil « r1 », champ « besoin » : besoin inconnu",
        ),
        (
            ("    preuve: handicap\n", ""),
            "règle de profil « r1 », champ « preuve » : champ obligatoire manquant",
        ),
        (("seuil: 0.3\n", ""), "besoins.yaml, champ « seuil » : champ obligatoire manquant"),
        (("{handicap: true}", "{handicap: true, statuts: [retraite]}"), "statut inconnu « retraite »"),
        (("{handicap: true}", "{handicap: true, couleur: bleu}"), "champ « quand.couleur » : champ inconnu"),
        (('"vae": 0.9', '"va*e": 0.9'), "« * » seulement en fin de mot"),
    ],
)
def test_invalid_files_are_refused_with_a_clear_message(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in MINIMAL
    with pytest.raises(BesoinsFileError) as error:
        parse_file(write(tmp_path, MINIMAL.replace(change[0], change[1])))
    assert message in str(error.value)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(BesoinsFileError, match=r"besoins.yaml, ligne \d+ : YAML invalide"):
        parse_file(write(tmp_path, "version: 1\nbesoins: [\n"))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(BesoinsFileError, match="fichier introuvable"):
        load_lexicon(tmp_path / "besoins.yaml")


def test_a_regions_copy_is_used_and_reloaded_when_edited(tmp_path: Path, settings) -> None:
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    path = write(tmp_path, MINIMAL)
    assert needs.lexicon_path() == path
    assert codes("je veux faire une vae") == ["vae"]
    path.write_text(MINIMAL.replace('"vae": 0.9', '"vae": 0.9\n      "valider": 0.8'), encoding="utf-8")
    import os

    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert codes("valider") == ["vae"]


def test_the_shipped_file_is_valid() -> None:
    lexicon = load_lexicon(needs.DEFAULT_FILE)
    assert lexicon.source.defaut.besoin == "decouvrir-metiers"


# --- The evaluation set and held-out requests -----------------------------------------------------------------------
def _scores(rows: list[dict]) -> tuple[float, float]:
    """(main@2, recall): the share of requests whose main expected need is in the top 2; the share of all expected
    needs found in the returned list."""
    main = found = total = 0
    for row in rows:
        profile = profile_of(row["text"], **row.get("profile", {}))
        got = codes(row["text"], profile)
        expected = row["expected"]["besoins"]
        main += expected[0] in got[:2]
        found += sum(code in got for code in expected)
        total += len(expected)
    return main / len(rows), found / total


@pytest.mark.django_db
def test_evaluation_set_needs_targets() -> None:
    rows = [json.loads(line) for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 85
    main_at_2, recall = _scores(rows)
    assert main_at_2 >= 0.9, main_at_2
    assert recall >= 0.8, recall


#: Written after the lexicon was tuned, never used to tune it: how well it generalises.
HELD_OUT = [
    (
        "Bonjour, je suis plombier depuis 12 ans et j'aimerais obtenir le BP sans retourner à l'école, "
        "c'est possible grâce à mon expérience ?",
        {},
        ["vae"],
    ),
    ("salut g 16 ans jsui plus a lecole depuis 3 mois jfé rien", {}, ["retour-formation"]),
    (
        "Je voudrais monter ma propre entreprise de paysagiste, quelles aides existent ?",
        {},
        ["creation-entreprise"],
    ),
    ("Comment trouver un employeur pour un apprentissage en électricité ?", {"age": 17}, ["alternance"]),
    (
        "Je suis secrétaire et je m'ennuie, je pense à une reconversion dans le paramédical",
        {},
        ["evolution-professionnelle", "decouvrir-metiers"],
    ),
    (
        "J'aimerais faire un semestre d'études au Canada l'an prochain",
        {"statut": "etudiant"},
        ["mobilite-internationale"],
    ),
    ("Je suis à la recherche d'un emploi de cariste dans le secteur de Vannes", {}, ["recherche-emploi"]),
    (
        "Je n'ai pas de voiture et il n'y a pas de bus pour aller à mon stage",
        {"age": 18},
        ["vie-quotidienne"],
    ),
    (
        "Ma demande de reconnaissance de travailleur handicapé a été acceptée, que faire maintenant pour trouver "
        "un poste adapté ?",
        {},
        ["handicap", "recherche-emploi"],
    ),
    (
        "Est-ce que le CPF peut payer un bilan de compétences ?",
        {"statut": "salarie"},
        ["financer-formation", "evolution-professionnelle"],
    ),
    (
        "Mon fils est en 3ème, il ne sait pas quelle filière choisir après le collège",
        {},
        ["choisir-formation", "decouvrir-metiers"],
    ),
    ("je connais rien aux métiers, qu'est-ce qui existe dans le numérique ?", {}, ["decouvrir-metiers"]),
    ("je veux bosser", {"age": 20}, ["recherche-emploi"]),
    (
        "J'ai perdu mon emploi et je voudrais en profiter pour me former à un autre métier, qui finance ?",
        {},
        ["financer-formation", "evolution-professionnelle", "choisir-formation"],
    ),
    ("Mon ado a été exclu du collège, il a 15 ans, quelles solutions ?", {}, ["retour-formation"]),
]


@pytest.mark.django_db
def test_held_out_requests_generalise() -> None:
    rows = [{"text": t, "profile": p, "expected": {"besoins": b}} for t, p, b in HELD_OUT]
    main_at_2, recall = _scores(rows)
    print(f"held-out: main@2={main_at_2:.3f} recall={recall:.3f}")
    assert main_at_2 >= 0.8, main_at_2
