"""`spro recherche --json` prints SearchResponse.as_dict(); `--batch FILE.jsonl` one JSON line per input line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from spro.search.service import search

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("recherche", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_api_json(index):
    data = json.loads(run("--json", "infirmiere"))
    assert data == search("infirmiere").as_dict()


def test_flags_type_commune_radius_limit(index):
    data = json.loads(
        run(
            "--json",
            "--type",
            "formation",
            "--commune",
            "35238",
            "--rayon-km",
            "100",
            "--limit",
            "1",
            "developpeur web",
        )
    )
    assert data["par_page"] == 1 and data["total"] == 2
    assert [hit["code"] for hit in data["resultats"]] == ["parcoursup-a1"]


def test_batch_gives_one_json_line_per_input_line(index, tmp_path):
    batch = tmp_path / "queries.jsonl"
    batch.write_text(
        '{"q": "kine"}\n\n{"q": "developpeur web", "type": "formation", "commune": "35238", "rayon_km": 20}\n'
        '{"q": "' + "x" * 600 + '"}\n',
        encoding="utf-8",
    )
    lines = run("--json", "--batch", str(batch)).splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert first == search("kine").as_dict()
    assert [hit["code"] for hit in second["resultats"]] == ["parcoursup-a1"]
    assert third["code"] == "query-too-long"


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json\n", ":1: not a JSON object"), ('{"q": "a", "couleur": "x"}\n', "unknown key(s) couleur")],
)
def test_bad_batch_lines_are_clear_errors(index, tmp_path, content, message):
    batch = tmp_path / "bad.jsonl"
    batch.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("--json", "--batch", str(batch))


def test_invalid_query_exits_2(index, capsys):
    with pytest.raises(SystemExit) as info:
        call_command("recherche", "--json", "x" * 501)
    assert info.value.code == 2
