"""The French normaliser: one function at index and query time (gender, plural, elisions, slang, acronyms)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from django.conf import settings

from spro.core.normaliser import SynonymFileError, load_synonyms, normalise, tokens


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("infirmier", "Infirmières"),
        ("infirmier", "INFIRMIERE"),
        ("vendeur", "vendeuse"),
        ("boulanger", "boulangère"),
        ("directeur", "directrice"),
        ("technicien", "technicienne"),
        ("agent", "agente"),
        ("chef", "cheffe"),
        ("sportif", "sportive"),
        ("chargé de mission", "chargée de mission"),
        ("employé", "employées"),
        ("délégué", "déléguée"),
        ("maître", "maîtresse"),
        ("professeur", "professeure"),
        ("patron", "patronne"),
        ("instituteur", "institutrice"),
    ],
)
def test_gender_and_plural_forms_meet(a, b):
    assert normalise(a) == normalise(b) != ""


def test_accents_case_elisions_and_punctuation():
    assert normalise("L’infirmière d'État") == normalise("infirmiere etat")
    assert normalise("qu'il s'agit") == normalise("agit")
    assert normalise("Agent(e) d’entretien—bâtiment/voirie") == normalise("agent entretien batiment voirie")
    assert normalise("Œnologue") == normalise("oenologue")


def test_stop_words_are_dropped():
    assert tokens("travailler avec les animaux") == ["animal"]
    assert normalise("le la les de des du") == ""


@pytest.mark.parametrize(
    ("slang", "word"),
    [
        ("mécano", "mécanicien"),
        ("instit", "instituteur"),
        ("compta", "comptable"),
        ("kiné", "kinésithérapeute"),
        ("cuistot", "cuisinier"),
        ("prof de maths", "professeur mathématiques"),
        ("boulangerie", "boulanger"),
        ("plomberie", "plombier"),
        ("comptabilité", "comptable"),
        ("kinésithérapie", "kinésithérapeute"),
        ("pâtisserie", "pâtissier"),
        ("maçonnerie", "maçon"),
        ("coiffure", "coiffeur"),
        ("menuiserie", "menuisier"),
    ],
)
def test_slang_short_forms_and_activity_nouns(slang, word):
    assert normalise(slang) == normalise(word)


@pytest.mark.parametrize(
    ("acronym", "long_form"),
    [
        ("BTS", "brevet de technicien supérieur"),
        ("CAP", "Certificat d'aptitude professionnelle"),
        ("bac pro", "baccalauréat professionnel"),
        ("BP", "brevet professionnel"),
        ("BUT", "Bachelor universitaire de technologie"),
        ("CPF", "compte personnel de formation"),
        ("VAE", "validation des acquis de l'expérience"),
        ("DEAES", "diplôme d'État d'accompagnant éducatif et social"),
        ("AES", "accompagnant éducatif et social"),
    ],
)
def test_acronyms_meet_their_long_forms(acronym, long_form):
    assert normalise(acronym) == normalise(long_form)


def test_tokens_are_safe_for_every_query_syntax():
    text = '"infirmier" OR * NEAR(a b) ; DROP TABLE x; -- \x00 \u202e 😀 l\'été ' * 3
    assert all(t.isascii() and t.isalnum() and t == t.lower() for t in tokens(text))


def test_both_halves_of_rome_titles_normalise_alike():
    """Measured on the 13,120 ROME 4.0 appellations ("Masculin / Féminin"): at least 99 % of the pairs."""
    path = Path(settings.DATA_DIR) / "rome_v4" / "unix_referentiel_appellation_v460_utf8.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        labels = [row["libelle_appellation_long"] for row in csv.DictReader(handle)]
    pairs = [label.split(" / ") for label in labels if label.count(" / ") == 1]
    same = 0
    for masculine, feminine in pairs:
        a, b = tokens(masculine), tokens(feminine)
        n = min(len(a), len(b))
        same += a[:n] == b[:n]
    assert len(pairs) > 10_000
    assert same / len(pairs) >= 0.99


def test_the_builtin_synonym_table_is_valid():
    entries = load_synonyms()
    assert len(entries) > 100
    assert {e.type for e in entries} <= {"abreviation", "argot", "activite", "variante", "mot-vide"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("term,equivalents,type,note\n", "header"),
        ("terme,equivalents,type,note\nkine,kinesitherapeute,argot\n", ":2: expected 4 columns"),
        ("terme,equivalents,type,note\nkine,kinesitherapeute,slang,\n", ":2: type 'slang'"),
        ("terme,equivalents,type,note\nkine,,argot,\n", ":2: empty equivalents"),
        ("terme,equivalents,type,note\n,x,argot,\n", ":2: empty terme"),
        (
            "terme,equivalents,type,note\nkiné,a,argot,\n# c\nKINE,b,argot,\n",
            ":4: terme 'KINE' already defined on line 2",
        ),
        ("terme,equivalents,type,note\n---,a,argot,\n", "has no letters"),
    ],
)
def test_a_bad_synonym_line_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "synonymes.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SynonymFileError) as info:
        load_synonyms(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
