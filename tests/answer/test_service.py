"""The answer service: each bad input gets its code, the profile merge, warnings instead of errors, no text logged."""

from __future__ import annotations

import logging

import pytest

from spro.answer import service
from spro.answer.service import ANALYSED_CHARS, answer, merge_profile, validate_profile
from spro.answer.types import AnswerError, Facts

from .support import make_communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(db):
    make_communes()


@pytest.mark.parametrize(
    ("text", "profile", "code"),
    [
        (42, None, "texte-invalide"),
        (["je", "veux"], None, "texte-invalide"),
        ("x" * (service.MAX_TEXT_CHARS + 1), None, "texte-trop-long"),
        ("", None, "texte-vide"),
        ("   \n\t ", {}, "texte-vide"),
        ("infirmière", "35238", "profil-invalide"),
        ("infirmière", {"nom": "Dupont"}, "profil-cle-inconnue"),
        ("infirmière", {"age": "17"}, "age-invalide"),
        ("infirmière", {"age": 17.5}, "age-invalide"),
        ("infirmière", {"age": True}, "age-invalide"),
        ("infirmière", {"age": 9}, "age-invalide"),
        ("infirmière", {"age": 101}, "age-invalide"),
        ("infirmière", {"statut": "retraite"}, "statut-invalide"),
        ("infirmière", {"statut": 3}, "statut-invalide"),
        ("infirmière", {"commune": "99999"}, "commune-inconnue"),
        ("infirmière", {"commune": "Atlantide"}, "commune-inconnue"),
        ("infirmière", {"commune": 35238}, "commune-inconnue"),
        ("infirmière", {"handicap": "oui"}, "handicap-invalide"),
        ("infirmière", {"handicap": 1}, "handicap-invalide"),
    ],
)
def test_each_bad_input_is_refused_with_its_code(communes, text, profile, code):
    with pytest.raises(AnswerError) as raised:
        answer(text, profile)
    assert raised.value.code == code
    assert raised.value.detail and raised.value.detail[0].isupper()


def test_a_valid_profile_is_kept_and_the_commune_code_normalised(communes):
    assert validate_profile({"age": 17, "statut": "lyceen", "handicap": False, "commune": "35238"}) == {
        "age": 17,
        "statut": "lyceen",
        "handicap": False,
        "commune": "35238",
    }
    assert validate_profile({"age": None, "statut": "", "commune": ""}) == {}


def test_the_form_wins_and_the_text_fills_the_gaps():
    profile, warnings = merge_profile(
        {"age": 30, "commune": "35238"}, Facts(age=30, statut="salarie", handicap=True, niveau="4")
    )
    assert (profile.age, profile.statut, profile.handicap, profile.commune, profile.niveau) == (
        30,
        "salarie",
        True,
        "35238",
        "4",
    )
    assert profile.from_text == {"statut", "handicap", "niveau"}
    assert warnings == []


def test_a_text_that_contradicts_the_form_gets_a_warning_and_the_form_wins():
    profile, warnings = merge_profile({"age": 30}, Facts(age=17))
    assert profile.age == 30 and "age" not in profile.from_text
    assert len(warnings) == 1 and "17 ans" in warnings[0] and "30 ans" in warnings[0]


def test_a_twelve_year_old_employee_gets_an_answer_with_a_warning(communes):
    result = answer("je voudrais changer de travail", {"age": 12, "statut": "salarie"})
    assert any("12 ans" in w and "salarié" in w for w in result.analysis.warnings)
    assert result.analysis.besoins and result.etapes  # still a full answer


def test_a_text_in_another_language_gets_a_french_answer_with_an_invitation_to_write_in_french():
    result = answer("I want to find a job in my town and the training is too expensive", None)
    assert result.analysis.language == "autre"
    assert result.analysis.warnings[0] == service.WARNING_LANGUAGE
    assert result.analysis.metiers == []
    # A few words are enough for the main needs (needs.FOREIGN_CUES): "job", "training".
    assert [b.code for b in result.analysis.besoins] == ["recherche-emploi", "choisir-formation"]
    assert result.orientations, "places are proposed"


def test_a_text_in_another_language_without_known_words_gets_the_generic_places():
    result = answer("Guten Tag, ich habe eine Frage und brauche Hilfe bitte", None)
    assert result.analysis.language == "autre"
    assert [b.code for b in result.analysis.besoins] == ["decouvrir-metiers"]
    assert result.orientations


def test_a_20000_character_text_is_answered_from_its_beginning_with_a_warning(monkeypatch):
    seen: list[int] = []
    import spro.answer.facts as facts

    real = facts.extract_facts
    monkeypatch.setattr(facts, "extract_facts", lambda text: seen.append(len(text)) or real(text))
    story = ("Je suis aide-soignante depuis dix ans et je voudrais devenir infirmière. " * 300)[:20_000]
    result = answer(story)
    assert seen and ANALYSED_CHARS * 0.8 <= seen[0] <= ANALYSED_CHARS
    assert any("très long" in w for w in result.analysis.warnings)


def test_an_empty_text_with_a_profile_is_answered_from_the_profile(communes):
    result = answer("", {"age": 17, "statut": "lyceen", "commune": "35238"})
    assert result.analysis.profile.age == 17
    assert service.WARNING_NO_TEXT in result.analysis.warnings
    assert result.orientations


def test_html_and_injection_attempts_are_only_text():
    result = answer("<script>alert(1)</script>'; DROP TABLE answer_answerstat; -- je veux une formation")
    assert result.analysis.besoins
    as_json = result.as_dict()
    assert "<script>" not in str(as_json["besoins"]) and "DROP" not in str(as_json["orientations"])


def test_the_text_is_never_logged(caplog):
    marker = "Zorglubienne-7731"
    with caplog.at_level(logging.DEBUG):
        answer(f"je suis {marker} et je cherche un emploi")
        with pytest.raises(AnswerError):
            answer(f"{marker}", {"age": 300})
    assert caplog.records, "the service logs something at DEBUG level"
    assert all(marker not in record.getMessage() for record in caplog.records)


def test_the_answer_has_the_contract_shape(communes):
    data = answer("je veux devenir infirmière", {"commune": "35238"}).as_dict()
    assert set(data) >= {"besoins", "metiers", "orientations", "etapes", "ressources"}
    assert all(set(b) == {"code", "score"} for b in data["besoins"])
    assert all({"typologie", "raison", "structures"} <= set(o) for o in data["orientations"])
    assert data["profil"]["commune"] == "35238"


def test_a_bug_in_an_analyser_never_quotes_the_text_in_logs_or_errors(monkeypatch, caplog):
    import spro.answer.needs as needs

    marker = "Zorglubienne-9917"

    def broken(text, profile, metiers):
        raise KeyError(text)

    monkeypatch.setattr(needs, "detect_besoins", broken)
    with caplog.at_level(logging.DEBUG), pytest.raises(service.AnswerFailure) as raised:
        answer(f"je suis {marker} et je cherche un emploi")
    assert marker not in str(raised.value) and "besoins" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__context__ is None  # the original never travels
    assert any("KeyError" in record.getMessage() for record in caplog.records)
    assert all(marker not in record.getMessage() for record in caplog.records)
