"""`spro analyse --commune` reads the commune with the one resolver: an INSEE code, a name, a postal code or both;
unknown or ambiguous exits with code 2 and lists the communes that fit (batch error lines carry `choix`)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from .support import make_communes

pytestmark = pytest.mark.django_db

TEXT = "je veux devenir infirmière"


@pytest.fixture(autouse=True)
def communes():
    """Rennes (35000), Brest and Quimper (both given the postal code 29000 by `make_communes`)."""
    make_communes()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("analyse", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("analyse", *args, stdout=StringIO(), stderr=err)
    assert exited.value.code == 2
    return err.getvalue()


@pytest.mark.parametrize("commune", ["Brest", "brest", "BREST (29)", "Brest 29000", "Bresst", " 29019 "])
def test_a_name_gives_the_same_answer_as_the_insee_code(commune):
    by_code = json.loads(run("--json", "--commune", "29019", TEXT)[0])
    assert by_code["profil"]["commune"] == "29019"
    assert json.loads(run("--json", "--commune", commune, TEXT)[0]) == by_code


def test_a_postal_code_of_one_commune_is_that_commune():
    assert json.loads(run("--json", "--commune", "35000", TEXT)[0])["profil"]["commune"] == "35238"


def test_an_ambiguous_commune_exits_2_and_lists_the_choices():
    lines = fails("--json", "--commune", "29000", TEXT).splitlines()
    assert lines[0].startswith("commune-ambigue: Plusieurs communes correspondent à « 29000 »")
    assert lines[1:] == ["  29019  Brest (29000, Finistère)", "  29232  Quimper (29000, Finistère)"]


@pytest.mark.parametrize("commune", ["Atlantis", "99999", "Brest (35)", "\x00" + "y" * 3000])
def test_an_unknown_commune_exits_2_with_one_clear_line(commune):
    err = fails("--json", "--commune", commune, TEXT)
    assert (
        err.startswith("commune-inconnue: Nous n’avons pas trouvé la commune") and len(err.splitlines()) == 1
    )


def test_batch_error_lines_carry_the_choices(tmp_path):
    batch = tmp_path / "demandes.jsonl"
    batch.write_text(
        '{"text": "je cherche un emploi", "profile": {"commune": "Brest"}}\n'
        '{"text": "je cherche un emploi", "profile": {"commune": "29000"}}\n',
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("analyse", "--json", "--batch", str(batch), stdout=out, stderr=StringIO())
    assert exited.value.code == 1
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["profil"]["commune"] == "29019"
    assert (second["ligne"], second["code"]) == (2, "commune-ambigue")
    assert [choice["code_insee"] for choice in second["choix"]] == ["29019", "29232"]

    readable = StringIO()
    with pytest.raises(SystemExit):
        call_command("analyse", "--batch", str(batch), stdout=readable, stderr=StringIO())
    assert readable.getvalue().splitlines()[-2:] == ["  29019  Brest (29)", "  29232  Quimper (29)"]
