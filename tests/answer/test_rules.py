"""The routing rule files: the shipped ones load, each kind of mistake a Region's editor can make gives a clear
message naming the file, the rule and the field, and `spro answer_rules check` exits accordingly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from spro.answer import rules as rules_module
from spro.answer.rules import DEFAULT_DIRECTORY, FILES, RulesError, check, load_rules
from spro.answer.types import BesoinScore, Profile
from spro.core.vocabularies.besoins import Besoin
from spro.directory.vocabularies import typologies

ORIENTATION_RULE = """
version: "1"
date: 2026-11-28
regles:
  - id: decrocheur-16-25
    description: Jeunes sortis de l'école sans diplôme.
    quand:
      besoins: [retour-formation]
      age: {min: 16, max: 25}
    alors:
      - typologie: ML
        poids: 1.0
        raison: Vous avez {age} ans, la Mission locale vous accompagne.
      - typologie: CIO
        poids: 0.9
        raison: Le CIO vous conseille sur les formations possibles.
"""


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A copy of the shipped rules, to break one file at a time."""
    for name in FILES:
        shutil.copy(DEFAULT_DIRECTORY / name, tmp_path / name)
    return tmp_path


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(directory: Path) -> str:
    with pytest.raises(RulesError) as raised:
        load_rules(directory)
    return str(raised.value)


def test_shipped_rules_load_and_cover_every_need_and_the_spro_typologies():
    ruleset = load_rules()
    assert ruleset.directory == DEFAULT_DIRECTORY
    named_needs = {code for rule in ruleset.orientations.regles for code in rule.quand.besoins}
    assert named_needs == set(Besoin.values)
    proposed = {action.typologie for rule in ruleset.orientations.regles for action in rule.alors}
    spro_members = {
        "CIO",
        "ML",
        "FT",
        "CAP_EMPLOI",
        "APEC",
        "PIJ_BIJ",
        "TRANSITIONS_PRO",
        "CEP",
        "SCUIO",
        "CCONS",
    }
    assert proposed >= spro_members | {"CITMET", "E2C", "EPIDE", "MDPH", "PSAD", "DAVA", "CCAS", "RS_FJT"}
    assert proposed <= set(typologies())
    assert all(rule.url.startswith("https://") for rule in ruleset.ressources.regles)
    assert check(DEFAULT_DIRECTORY) == []


def test_loading_is_cached_until_a_file_changes(rules_dir):
    first = load_rules(rules_dir)
    assert load_rules(rules_dir) is first
    path = write(rules_dir, "orientations.yaml", ORIENTATION_RULE)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    reloaded = load_rules(rules_dir)
    assert reloaded is not first
    assert [rule.id for rule in reloaded.orientations.regles] == ["decrocheur-16-25"]


def test_an_invalid_edit_while_running_keeps_the_last_valid_rules_and_logs_why(rules_dir, caplog):
    """Never a 500 for the visitors: the pages keep the previous rules; the log and `spro check` say why."""
    first = load_rules(rules_dir)
    path = write(rules_dir, "orientations.yaml", "version: [not closed")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with caplog.at_level("ERROR", logger="spro.answer.rules"):
        assert load_rules(rules_dir) is first
        assert load_rules(rules_dir) is first  # the invalid edit is reported once, not at every request
    assert [r.getMessage() for r in caplog.records if "orientations.yaml" in r.getMessage()] != []
    assert len(caplog.records) == 1
    assert check(rules_dir) != []
    rules_module._cache.clear()
    with pytest.raises(RulesError, match="orientations.yaml"):  # never loaded: refused, as at start-up
        load_rules(rules_dir)


def test_a_region_points_the_platform_to_its_own_copy(rules_dir, settings):
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE)
    settings.SPRO_ANSWER_RULES_DIR = str(rules_dir)
    assert [rule.id for rule in load_rules().orientations.regles] == ["decrocheur-16-25"]


def test_other_files_in_the_folder_such_as_besoins_yaml_are_left_alone(rules_dir):
    write(rules_dir, "besoins.yaml", "not: [a rule file of routing")
    write(rules_dir, "NOTES.md", "anything")
    assert load_rules(rules_dir).orientations.regles
    assert check(rules_dir) == []


def test_unknown_typology_names_the_file_the_rule_and_the_field(rules_dir):
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE.replace("typologie: CIO", "typologie: CIOO"))
    assert error_of(rules_dir) == (
        "orientations.yaml, règle 'decrocheur-16-25', champ 'alors[1].typologie' : typologie inconnue « CIOO »"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "besoins: [retour-formation]",
            "besoins: [retour-formations]",
            "champ 'quand.besoins' : besoin inconnu",
        ),
        (
            "besoins: [retour-formation]",
            "statuts: [chomeur]",
            "champ 'quand.statuts' : statut inconnu « chomeur »",
        ),
        ("besoins: [retour-formation]", "niveau: [bac]", "champ 'quand.niveau' : niveau inconnu « bac »"),
        ("{min: 16, max: 25}", "{min: 25, max: 16}", "âge minimum (25) supérieur à l'âge maximum (16)"),
        ("{min: 16, max: 25}", "{min: -1}", "champ 'quand.age.min' : doit être supérieur ou égal à 0"),
        ("{min: 16, max: 25}", "{}", "champ 'quand.age' : indiquez au moins « min » ou « max »"),
        ("poids: 0.9", "poids: 1.5", "champ 'alors[1].poids' : doit être inférieur ou égal à 1"),
        ("poids: 0.9", "poids: beaucoup", "champ 'alors[1].poids' : nombre attendu"),
        ("    quand:", "    quant:", "champ 'quant' : champ inconnu"),
        ("ans, la Mission", "ans {prenom}, la Mission", "variable inconnue « {prenom} »"),
        ("Le CIO vous", "À {metier}, le CIO vous", "« {metier} » demande la condition « metier: true »"),
        ("Le CIO vous", "À {age} ans, le CIO vous", None),
        (
            "    description: Jeunes sortis de l'école sans diplôme.\n",
            "",
            "champ 'description' : champ obligatoire",
        ),
        ("- typologie: CIO", "- typologie: ML", "champ 'alors[1].typologie' : typologie « ML » répétée"),
    ],
)
def test_each_mistake_in_an_orientation_rule_gets_a_clear_message(rules_dir, old, new, expected):
    assert old in ORIENTATION_RULE
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE.replace(old, new))
    if expected is None:  # a valid variant: {age} is allowed since the rule has an age condition
        assert load_rules(rules_dir).orientations.regles[0].alors[1].raison.startswith("À {age} ans")
        return
    message = error_of(rules_dir)
    assert message.startswith("orientations.yaml, règle 'decrocheur-16-25', champ '"), message
    assert expected in message


def test_age_placeholder_without_an_age_condition_is_refused(rules_dir):
    text = ORIENTATION_RULE.replace("      age: {min: 16, max: 25}\n", "")
    write(rules_dir, "orientations.yaml", text)
    assert "« {age} » demande une condition « age »" in error_of(rules_dir)


def test_duplicate_rule_ids_are_refused(rules_dir):
    rule = ORIENTATION_RULE.split("regles:\n")[1]
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE + rule)
    assert (
        error_of(rules_dir)
        == "orientations.yaml, règle 'decrocheur-16-25', champ 'id' : identifiant en double"
    )


def test_version_and_date_are_required_at_the_top(rules_dir):
    write(
        rules_dir,
        "orientations.yaml",
        ORIENTATION_RULE.replace('version: "1"\n', "").replace("date: 2026-11-28\n", ""),
    )
    message = error_of(rules_dir)
    assert "orientations.yaml, champ 'version' : champ obligatoire manquant" in message
    assert "orientations.yaml, champ 'date' : champ obligatoire manquant" in message


def test_yaml_syntax_errors_give_the_line(rules_dir):
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE.replace("poids: 0.9", "poids: [0.9"))
    message = error_of(rules_dir)
    assert message.startswith("orientations.yaml, ligne ") and "YAML invalide" in message


def test_a_missing_file_is_named(rules_dir):
    (rules_dir / "etapes.yaml").unlink()
    assert error_of(rules_dir).startswith("etapes.yaml : fichier introuvable")


def test_http_urls_are_refused_in_information_cards(rules_dir):
    path = rules_dir / "ressources.yaml"
    text = path.read_text(encoding="utf-8")
    write(
        rules_dir,
        "ressources.yaml",
        text.replace("url: https://www.moncompteformation.gouv.fr\n", "url: http://cpf.example\n"),
    )
    assert error_of(rules_dir) == (
        "ressources.yaml, règle 'cpf', champ 'url' : adresse « http://cpf.example » refusée : "
        "une adresse publique en https:// est attendue"
    )


def test_next_steps_need_a_default_rule_with_three_steps(rules_dir):
    write(
        rules_dir,
        "etapes.yaml",
        'version: "1"\ndate: 2026-11-28\nregles:\n  - id: seule\n    description: Une règle conditionnelle.\n'
        "    quand: {besoins: [vae]}\n    poids: 1\n    etapes: [Déposez votre demande de VAE.]\n",
    )
    assert "il faut une règle sans condition" in error_of(rules_dir)


def test_conditions_read_unknown_values_as_not_matching():
    rule = load_rules().orientations.regles[0]
    assert rule.id == "decrochage-mineur"
    assert rule.quand.matches(Profile(age=17, a_quitte_formation=True), {}, False)
    assert not rule.quand.matches(Profile(age=None, a_quitte_formation=True), {}, False)
    assert not rule.quand.matches(Profile(age=17, a_quitte_formation=None), {}, False)
    assert not rule.quand.matches(Profile(age=19, a_quitte_formation=True), {}, False)


def test_inconnu_and_non_renseigne_let_a_rule_hold_when_the_age_or_the_statut_is_not_known():
    conditions = rules_module.Conditions(
        age=rules_module.AgeRange(max=30, inconnu=True), statuts=["etudiant", "non-renseigne"]
    )
    assert conditions.matches(Profile(), {}, False)
    assert conditions.matches(Profile(age=22, statut="etudiant"), {}, False)
    assert not conditions.matches(Profile(age=31), {}, False)
    assert not conditions.matches(Profile(statut="salarie"), {}, False)


def test_age_placeholder_with_an_age_that_may_be_unknown_is_refused(rules_dir):
    write(
        rules_dir,
        "orientations.yaml",
        ORIENTATION_RULE.replace("{min: 16, max: 25}", "{max: 25, inconnu: true}"),
    )
    assert "« {age} » demande une condition « age » (sans « inconnu: true »)" in error_of(rules_dir)


def test_need_factor_is_the_strongest_named_need():
    conditions = rules_module.Conditions(besoins=["vae", "alternance"])
    scores = rules_module.need_scores([BesoinScore("vae", 0.4), BesoinScore("alternance", 0.7)])
    assert conditions.need_factor(scores) == 0.7
    assert rules_module.Conditions().need_factor(scores) == 1.0


def test_check_command_reports_valid_rules(capsys):
    call_command("answer_rules", "check")
    assert "Règles valides : orientations.yaml, etapes.yaml, ressources.yaml" in capsys.readouterr().out


def test_check_command_fails_with_the_errors(rules_dir, capsys):
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE.replace("typologie: CIO", "typologie: CIOO"))
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("answer_rules", "check", str(rules_dir))
    assert "typologie inconnue « CIOO »" in capsys.readouterr().err
    call_command("answer_rules", "check", str(rules_dir / "etapes.yaml"))  # one file at a time works too


def test_check_command_exits_1_with_the_errors_on_stderr(rules_dir):
    """From the shell, as a Region's editor runs it (success is covered through call_command above)."""
    write(rules_dir, "ressources.yaml", "version: 1\n")
    command = [sys.executable, "-m", "spro.manage", "answer_rules", "check", str(rules_dir)]
    failed = subprocess.run(command, capture_output=True, text=True, env={**os.environ}, check=False)
    assert failed.returncode == 1
    assert "ressources.yaml, champ 'date' : champ obligatoire manquant" in failed.stderr
    assert "ressources.yaml, champ 'regles' : champ obligatoire manquant" in failed.stderr


def test_check_command_also_checks_the_needs_lexicon_of_the_folder(rules_dir, capsys):
    shipped = Path(rules_module.__file__).parent / "rules" / "besoins.yaml"
    text = shipped.read_text(encoding="utf-8")
    write(rules_dir, "besoins.yaml", text)
    call_command("answer_rules", "check", str(rules_dir))
    assert "besoins.yaml" in capsys.readouterr().out
    write(rules_dir, "besoins.yaml", text.replace("seuil: 0.35", "seuil: 3.5"))
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("answer_rules", "check", str(rules_dir))
    assert "besoins.yaml, champ « seuil »" in capsys.readouterr().err


def test_system_check_refuses_a_broken_rules_folder(rules_dir, settings):
    from django.core.checks import run_checks

    assert not [e for e in run_checks() if e.id.startswith("answer.")]
    write(rules_dir, "orientations.yaml", ORIENTATION_RULE.replace("typologie: CIO", "typologie: CIOO"))
    settings.SPRO_ANSWER_RULES_DIR = str(rules_dir)
    errors = [e for e in run_checks() if e.id.startswith("answer.")]
    assert [e.id for e in errors] == ["answer.E001"]
    assert "typologie inconnue « CIOO »" in errors[0].msg
