"""The indicator declarations: every packaged file valid, errors that name the file, the line and the field, the
Region's folder overriding and extending, and every computed indicator's breakdowns held by its rollups."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.monitoring import declarations, query, rollups
from spro.monitoring.declarations import PACKAGED, IndicatorError, parse_file

ISSUE_INDICATORS = {
    "premiers-contacts",
    "premieres-reponses",
    "orientations",
    "accompagnements",
    "decrochage-issues",
    "exploration",
    "satisfaction",
    "evenements-participation",
    "plan-action",
}


@pytest.mark.parametrize("path", sorted(PACKAGED.glob("*.yaml")), ids=lambda p: p.name)
def test_every_packaged_declaration_is_valid(path):
    indicator = parse_file(path)
    assert indicator.code == path.stem
    assert indicator.disponible or indicator.statut


def test_the_issue_s_indicators_are_all_declared_and_only_computed_ones_are_available():
    loaded = declarations.build(PACKAGED, None)
    assert {i.code for i in loaded.indicators} >= ISSUE_INDICATORS
    for indicator in loaded.indicators:
        if indicator.disponible and indicator.code in query.READERS:  # read from its source, no breakdown
            assert not indicator.ventilations and not indicator.territoires, indicator.code
        elif indicator.disponible:
            assert indicator.code in rollups.COMPUTED, indicator.code
            assert set(indicator.ventilations) <= set(rollups.COMPUTED[indicator.code])


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


VALID = (PACKAGED / "premiers-contacts.yaml").read_text(encoding="utf-8")


def test_an_error_names_the_file_the_line_and_the_field(tmp_path):
    path = write(
        tmp_path, "premiers-contacts.yaml", VALID.replace("ventilations: [canal,", "ventilations: [couleur,")
    )
    with pytest.raises(IndicatorError) as error:
        parse_file(path)
    message = str(error.value)
    assert message.startswith("premiers-contacts.yaml, ligne ")
    assert "champ 'ventilations[0]'" in message
    assert "valeur attendue" in message


def test_a_missing_field_an_unknown_field_and_a_code_not_matching_the_file_are_refused(tmp_path):
    broken = VALID.replace("proprietaire:", "proprio:")
    with pytest.raises(IndicatorError) as error:
        parse_file(write(tmp_path, "premiers-contacts.yaml", broken))
    assert "champ 'proprio' : champ inconnu" in str(error.value)
    assert "champ 'proprietaire' : champ obligatoire manquant" in str(error.value)
    with pytest.raises(IndicatorError, match=r"autre.yaml, ligne 1, champ 'code'.*attendu : autre"):
        parse_file(write(tmp_path, "autre.yaml", VALID))


def test_an_unavailable_indicator_must_say_why(tmp_path):
    text = VALID + "disponible: false\n"
    with pytest.raises(IndicatorError, match="champ .statut. : dites pourquoi"):
        parse_file(write(tmp_path, "premiers-contacts.yaml", text))


def test_the_region_overrides_by_file_name_and_adds_its_own(tmp_path):
    region = tmp_path / "indicateurs"
    write(region, "premiers-contacts.yaml", VALID.replace("public: true", "public: false"))
    write(
        region,
        "accueils-region.yaml",
        VALID.replace("code: premiers-contacts", "code: accueils-region")
        + "disponible: false\nstatut: Source propre à la Région, à brancher.\n",
    )
    loaded = declarations.build(PACKAGED, region)
    assert loaded.get("premiers-contacts").public is False
    assert loaded.origins["premiers-contacts"] == "region"
    assert loaded.get("accueils-region") is not None


def test_the_check_command_lists_the_errors_of_the_region_s_files_and_fails(tmp_path, settings, capsys):
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    call_command("indicateurs", "check")
    assert "indicateurs valides" in capsys.readouterr().out
    write(tmp_path / "indicateurs", "x.yaml", "code: x\nlibelle: X\n")
    with pytest.raises(CommandError) as error:
        call_command("indicateurs", "check")
    assert "indicateurs/x.yaml" in str(error.value)
    assert "champ 'definition' : champ obligatoire manquant" in str(error.value)
