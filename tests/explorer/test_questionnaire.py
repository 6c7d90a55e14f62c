"""questionnaire.yaml: valid as shipped, every problem of a broken copy named with its item and field, and the
start-up check refuses it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from spro.explorer import checks
from spro.explorer.questionnaire import PATH, QuestionnaireError, get_questionnaire, parse


def test_the_shipped_questionnaire_is_valid_and_short():
    q = get_questionnaire()
    assert 25 <= len(q.items) <= 35  # « about 30 items, 5 minutes »
    assert [c.libelle for c in q.echelle] == ["Pas du tout", "Un peu", "Assez", "Beaucoup"]
    assert set(q.centres) == {str(n) for n in range(1, 31)}  # every ROME 4.0 centre d'intérêt is asked about
    for letter in "RIASEC":
        assert sum(letter in item.riasec for item in q.items) >= 4, letter
    assert checks.questionnaire_is_valid() == []


def test_no_item_asks_gender_or_names_a_person_in_one_gender():
    q = get_questionnaire()
    for item in q.items:
        text = item.libelle.lower()
        for word in ("genre", "sexe", "fille", "garçon", "homme", "femme"):
            assert word not in text, item.libelle
        assert len(item.libelle.split()) <= 14, item.libelle  # short, one idea


def broken(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_each_problem_is_named_with_its_item_and_field(tmp_path):
    def edit(data):
        items = data["groupes"][0]["items"]
        items[0]["riasec"] = "SX"
        items[1]["centres"] = ["31"]
        items[2]["libelle"] = "Être infirmier"
        items[3]["couleur"] = "bleu"
        del items[4]["riasec"]
        items[4]["centres"] = []

    with pytest.raises(QuestionnaireError) as exc:
        parse(broken(tmp_path, edit))
    lines = str(exc.value).splitlines()
    assert any(line.startswith("questionnaire.yaml, groupe 1, item 1, champ « riasec »") and "SX" in line
               for line in lines)  # fmt: skip
    assert any("item 2, champ « centres »" in line and "« 31 »" in line for line in lines)
    assert any("item 3, champ « libelle »" in line and "infirmier" in line for line in lines)
    assert any("item 4, champ « couleur » : champ inconnu" in line for line in lines)
    assert any("item 5" in line and "aucune dimension" in line for line in lines)
    assert len(lines) == 5


def test_a_reused_id_and_a_missing_letter_are_refused(tmp_path):
    def reused(data):
        data["groupes"][1]["items"][0]["id"] = 1

    with pytest.raises(QuestionnaireError, match="l'id 1 est utilisé par plusieurs items"):
        parse(broken(tmp_path, reused))

    def no_a(data):
        for group in data["groupes"]:
            for item in group["items"]:
                item["riasec"] = item.get("riasec", "").replace("A", "")
                if not item["riasec"]:
                    item["riasec"] = "R"

    with pytest.raises(QuestionnaireError, match=r"aucune question ne mène aux lettres \['A'\]"):
        parse(broken(tmp_path, no_a))


def test_invalid_yaml_gives_its_line(tmp_path):
    path = tmp_path / "questionnaire.yaml"
    path.write_text("version: 1\nechelle: [\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"questionnaire.yaml, ligne \d+ : YAML invalide"):
        parse(path)


def test_the_start_up_check_reports_an_invalid_file(monkeypatch, tmp_path):
    path = broken(tmp_path, lambda data: data["groupes"][0]["items"][0].update(riasec="Z"))
    monkeypatch.setattr(checks, "get_questionnaire", lambda: parse(path))
    errors = checks.questionnaire_is_valid()
    assert [e.id for e in errors] == ["explorer.E001"] and "riasec" in errors[0].msg


def test_the_centres_asked_about_exist_in_the_shipped_rome_file():
    import csv

    from django.conf import settings

    rome = Path(settings.BASE_DIR) / "data" / "rome_v4" / "unix_centre_interet_v460_utf8.csv"
    with rome.open(encoding="utf-8") as handle:
        codes = {row["code_centre_interet"] for row in csv.DictReader(handle)}
    assert set(get_questionnaire().centres) <= codes


def test_the_answers_in_the_results_address_are_masked_in_logs():
    from spro.core.logging_filters import mask_secrets

    for path in ("/explorer/resultats", "/explorer/resume"):
        line = f'127.0.0.1 - "GET {path}?r1=3&r8=2&sans=A HTTP/1.1" 200'
        assert mask_secrets(line) == f'127.0.0.1 - "GET {path}?[masqué] HTTP/1.1" 200'
    assert mask_secrets("GET /explorer HTTP/1.1") == "GET /explorer HTTP/1.1"
