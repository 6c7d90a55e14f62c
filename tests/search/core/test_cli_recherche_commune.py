"""`spro recherche --commune` reads the commune with the one resolver: an INSEE code, a name, a postal code or both;
unknown or ambiguous exits with code 2 and says which communes fit (batch lines carry `choix` like the API)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.geography import Row, add_communes

pytestmark = pytest.mark.django_db

QUERY = ("--json", "--type", "formation", "--rayon-km", "100", "--limit", "1", "developpeur web")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("recherche", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> str:
    """stderr of a run that must exit with code 2."""
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("recherche", *args, stdout=StringIO(), stderr=err)
    assert exited.value.code == 2
    return err.getvalue()


@pytest.fixture
def more_communes(index):
    """Postal codes for Rennes; two Saint-Denis; Lorient, whose postal code 56100 is Langonnet's INSEE code."""
    from spro.referentials.geo.models import Commune

    Commune.objects.filter(code_insee="35238").update(codes_postaux=["35000", "35200", "35700"])
    add_communes(
        Row("56121", "Lorient", "56", ("56100",), 58_329),
        Row("56100", "Langonnet", "56", ("56630",), 1_930),
        Row("93066", "Saint-Denis", "93", ("93200",), 149_077),
        Row("97411", "Saint-Denis", "974", ("97400",), 155_634),
    )


@pytest.mark.parametrize("commune", ["Rennes", "rennes", "35000", "Rennes 35700", "Rennes (35)", "Renes"])
def test_a_name_or_a_postal_code_gives_the_same_search_as_the_insee_code(more_communes, commune):
    by_code = json.loads(run(*QUERY, "--commune", "35238")[0])
    assert [hit["code"] for hit in by_code["resultats"]] == ["parcoursup-a1"]
    assert json.loads(run(*QUERY, "--commune", commune)[0]) == by_code


def test_an_insee_code_still_wins_and_a_name_narrows_a_postal_code(more_communes, monkeypatch):
    """The option was documented as an INSEE code: « 56100 » stays Langonnet; « Lorient 56100 » is Lorient."""
    from spro.search.management.commands import recherche

    seen: list[str] = []

    def fake_search(q, **params):
        seen.append(params.get("commune"))
        raise recherche.InvalidQuery("stop", "stop")

    monkeypatch.setattr(recherche, "search", fake_search)
    for commune in ("56100", "Lorient 56100", "56100 Lorient", "Saint-Denis (93)", "saint denis 97400"):
        with pytest.raises(SystemExit):
            run("--json", "--commune", commune, "infirmier")
    assert seen == ["56100", "56121", "56121", "93066", "97411"]


def test_an_ambiguous_commune_exits_2_and_lists_the_choices(more_communes):
    err = fails(*QUERY, "--commune", "Saint-Denis")
    lines = err.splitlines()
    assert lines[0].startswith("commune-ambigue: Plusieurs communes correspondent à « Saint-Denis »")
    assert lines[1:] == [
        "  97411  Saint-Denis (97400, La Réunion)",
        "  93066  Saint-Denis (93200, Seine-Saint-Denis)",
    ]


@pytest.mark.parametrize("commune", ["Atlantis", "99999", "x" * 5000, "\x00\x1f"])
def test_an_unknown_commune_exits_2_with_a_clear_message(more_communes, commune):
    err = fails(*QUERY, "--commune", commune)
    assert err.startswith("commune-inconnue: Nous n’avons pas trouvé la commune")
    assert len(err.splitlines()) == 1


def test_a_blank_commune_is_no_commune(more_communes):
    out, _ = run("--json", "--type", "formation", "--commune", "  ", "developpeur web")
    assert json.loads(out)["total"] >= 1


def test_batch_lines_read_the_commune_and_report_choices_like_the_api(more_communes, tmp_path):
    batch = tmp_path / "queries.jsonl"
    batch.write_text(
        '{"q": "developpeur web", "type": "formation", "commune": "Rennes", "rayon_km": 100}\n'
        '{"q": "developpeur web", "commune": "Saint-Denis"}\n'
        '{"q": "developpeur web", "commune": "Atlantis"}\n',
        encoding="utf-8",
    )
    first, second, third = (json.loads(line) for line in run("--json", "--batch", str(batch))[0].splitlines())
    assert [hit["code"] for hit in first["resultats"]][:1] == ["parcoursup-a1"]
    assert second["code"] == "commune-ambigue" and second["q"] == "developpeur web"
    assert [choice["code_insee"] for choice in second["choix"]] == ["97411", "93066"]
    assert second["choix"][1]["libelle"] == "Saint-Denis (93)"
    assert third["code"] == "commune-inconnue" and "choix" not in third


def test_without_json_the_batch_error_lists_the_choices(more_communes, tmp_path):
    batch = tmp_path / "queries.jsonl"
    batch.write_text('{"q": "developpeur web", "commune": "Saint-Denis"}\n', encoding="utf-8")
    out, _ = run("--batch", str(batch))
    assert out.splitlines()[1:] == ["  97411  Saint-Denis (974)", "  93066  Saint-Denis (93)"]
