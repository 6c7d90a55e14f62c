"""`spro analyse`: the API's JSON with --json, a French summary without, batch lines, errors and exit codes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from spro.answer.models import AnswerStat
from spro.answer.service import answer

from .support import make_communes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def communes():
    make_communes()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("analyse", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_output_is_the_api_json_and_nothing_is_counted():
    out, _ = run(
        "--json", "--age", "30", "--statut", "salarie", "--commune", "29019", "je veux devenir infirmière"
    )
    expected = answer(
        "je veux devenir infirmière", {"age": 30, "statut": "salarie", "commune": "29019"}
    ).as_dict()
    assert json.loads(out) == expected
    assert not AnswerStat.objects.exists()


def test_the_handicap_flag_reaches_the_profile():
    out, _ = run("--json", "--handicap", "je cherche un emploi")
    assert json.loads(out)["profil"]["handicap"] is True


def test_without_json_a_readable_french_summary():
    out, _ = run("--commune", "35238", "je cherche un emploi")
    assert out.startswith("Besoins : ") or out.startswith("Avertissement")
    assert "Structures à contacter" in out or "Étapes" in out
    with pytest.raises(ValueError):
        json.loads(out)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--age", "300", "infirmière"], "age-invalide"),
        (["--statut", "retraite", "infirmière"], "statut-invalide"),
        (["--commune", "99999", "infirmière"], "commune-inconnue"),
        ([""], "texte-vide"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(args, code):
    with pytest.raises(SystemExit) as exited:
        run("--json", *args)
    assert exited.value.code == 2


def test_bad_input_message_names_the_code(capsys):
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("analyse", "--json", "--age", "5", "infirmière", stdout=StringIO(), stderr=err)
    line = err.getvalue().strip()
    assert line.startswith("age-invalide: ") and "\n" not in line


def test_no_text_and_no_batch_is_a_command_error():
    with pytest.raises(CommandError):
        run("--json")


def test_batch_gives_one_json_line_per_line_and_exit_code_1_when_a_line_is_bad(tmp_path):
    batch = tmp_path / "demandes.jsonl"
    batch.write_text(
        '{"text": "je cherche un emploi", "profile": {"commune": "35238"}}\n'
        "\n"
        "pas du json\n"
        '{"text": "infirmière", "profile": {"age": 3}}\n'
        '{"q": "mauvaise clé"}\n'
        '{"text": "je veux devenir infirmière"}\n',
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("analyse", "--json", "--batch", str(batch), stdout=out, stderr=StringIO())
    assert exited.value.code == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 5
    assert lines[0] == answer("je cherche un emploi", {"commune": "35238"}).as_dict()
    assert lines[1] == {"ligne": 3, "detail": lines[1]["detail"], "code": "json-invalide"}
    assert (lines[2]["ligne"], lines[2]["code"]) == (4, "age-invalide")
    assert (lines[3]["ligne"], lines[3]["code"]) == (5, "ligne-invalide")
    assert "besoins" in lines[4]


def test_a_clean_batch_exits_normally(tmp_path):
    batch = tmp_path / "ok.jsonl"
    batch.write_text('{"text": "je cherche un emploi"}\n', encoding="utf-8")
    out, _ = run("--json", "--batch", str(batch))
    assert "besoins" in json.loads(out)


def test_an_unreadable_batch_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="lecture impossible"):
        run("--json", "--batch", str(tmp_path / "absent.jsonl"))
    with pytest.raises(CommandError):
        run("--batch", str(tmp_path / "x.jsonl"), "et un texte")
