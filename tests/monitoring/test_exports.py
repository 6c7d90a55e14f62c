"""Exports of an indicator table (CSV, ODS, XLSX, with the suppressed figures) and the open data files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from spro.monitoring import declarations, exports, query
from spro.monitoring.query import Scope

from .conftest import add_contact

pytestmark = pytest.mark.django_db

MARCH = query.period("2026-03", "2026-03")


@pytest.fixture
def contacts(network):
    for channel, n in (("telephone", 7), ("sur-place", 6), ("chat", 2)):
        for _ in range(n):
            add_contact(network, channel=channel, commune=network["29232"])


def test_the_three_formats_carry_the_suppressed_table(contacts):
    result = query.run("premiers-contacts", Scope(None, False), breakdown="canal", months=MARCH)
    text = exports.export(result, "csv").decode("utf-8-sig")
    assert text.splitlines()[0] == "Ensemble,Accueil sur place,Téléphone,Messagerie instantanée (chat),Total"
    assert text.splitlines()[1] == "Ensemble,masqué,7,< 5,15"
    sheet = load_workbook(io.BytesIO(exports.export(result, "xlsx"))).active
    assert [c.value for c in sheet[2]] == ["Ensemble", "masqué", 7, "< 5", 15]
    ods = exports.export(result, "ods")
    content = zipfile.ZipFile(io.BytesIO(ods)).read("content.xml").decode()
    assert "masqué" in content and "&lt; 5" in content
    with pytest.raises(ValueError, match="format"):
        exports.export(result, "pdf")


def test_the_command_exports_a_file_and_refuses_bad_parameters(contacts, tmp_path):
    target = tmp_path / "t.xlsx"
    call_command(
        "indicateurs",
        "exporter",
        indicateur=["premiers-contacts"],
        format="xlsx",
        niveau="departement",
        debut="2026-03",
        fin="2026-03",
        sortie=target,
    )
    rows = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    assert rows == [["Département", "Total"], ["Finistère (29)", 15], ["Total", 15]]
    with pytest.raises(CommandError, match="ventilation"):
        call_command(
            "indicateurs", "exporter", indicateur=["premiers-contacts"], ventilation="x", sortie=target
        )
    with pytest.raises(CommandError, match="format"):
        call_command("indicateurs", "exporter", indicateur=["premiers-contacts"], format="doc", sortie=target)


def test_open_data_lists_public_computed_indicators_with_a_dictionary(contacts, tmp_path):
    call_command("indicateurs", "donnees-ouvertes", sortie=tmp_path)
    csv_text = (tmp_path / "premiers-contacts.csv").read_text(encoding="utf-8-sig")
    lines = csv_text.splitlines()
    assert (
        lines[0]
        == "indicateur,mois,niveau,code_territoire,territoire,ventilation,code_valeur,valeur,effectif"
    )
    assert "premiers-contacts,2026-03,ensemble,,,canal,chat,Messagerie instantanée (chat),< 5" in lines
    assert "premiers-contacts,2026-03,ensemble,,,canal,sur-place,Accueil sur place,masqué" in lines
    assert "premiers-contacts,2026-03,commune,29232,Quimper (29232),,,,15" in lines
    loaded = declarations.load()
    assert all(loaded.get(path.stem).disponible for path in tmp_path.glob("*.csv"))  # not computed: no file
    dictionary = (tmp_path / "dictionnaire.md").read_text(encoding="utf-8")
    assert (
        "Licence Ouverte" in dictionary and "`effectif`" in dictionary and "`premiers-contacts`" in dictionary
    )
