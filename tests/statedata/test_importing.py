"""The State figures import: whole-file validation, atomic, idempotent, replacements recorded (docs/donnees-etat.md)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.audit.models import AuditEvent
from spro.statedata import importing
from spro.statedata.models import ImportRun, Replacement, StateFigure
from spro.statedata.queries import state_figures
from spro.statedata.reading import ImportRejected, file_sha256

pytestmark = pytest.mark.django_db

GOOD = (
    "cio;2026-T1;commune;35238;entretiens;120;Rectorat",
    "france_travail;2026-03;departement;35;premiers_accueils;3;",
    "mission_locale;2026;epci;243500139;personnes_accompagnees;850;",
    "cap_emploi;2026-T1;bassin;5303;entrees_formation;0;",
    "mission_locale;2026-T1;region;53;personnes_accueillies;12 400;",
)


def test_a_clean_file_creates_every_figure_with_its_run(geo, write_csv):
    path = write_csv(*GOOD)
    result = importing.import_file(path)
    assert (result.lignes, result.creees, result.remplacees, result.inchangees) == (5, 5, 0, 0)
    run = ImportRun.objects.get()
    assert run.sha256 == file_sha256(path) and run.file_name == "etat.csv" and run.created == 5
    figure = StateFigure.objects.get(service="mission_locale", territory_level="region")
    assert (figure.value, figure.period, figure.territory_code) == (12400, "2026-T1", "53")
    assert StateFigure.objects.get(service="cio").source == "Rectorat"
    assert AuditEvent.objects.filter(action="statedata.import", object_id=str(run.pk)).count() == 1


def test_the_same_file_again_changes_no_figure(geo, write_csv):
    path = write_csv(*GOOD)
    importing.import_file(path)
    before = list(StateFigure.objects.values_list("pk", "value", "run_id"))
    again = importing.import_file(path)
    assert (again.creees, again.remplacees, again.inchangees) == (0, 0, 5)
    assert list(StateFigure.objects.values_list("pk", "value", "run_id")) == before
    assert not Replacement.objects.exists()


def test_a_later_file_replaces_a_value_and_records_the_replacement(geo, write_csv):
    importing.import_file(write_csv(*GOOD))
    first_run = ImportRun.objects.get()
    result = importing.import_file(
        write_csv("cio;2026-T1;commune;35238;entretiens;130;Rectorat", name="b.csv")
    )
    assert (result.creees, result.remplacees, result.inchangees) == (0, 1, 0)
    figure = StateFigure.objects.get(service="cio")
    assert figure.value == 130 and figure.run.file_name == "b.csv"
    replacement = Replacement.objects.get()
    assert (replacement.previous_value, replacement.new_value, replacement.previous_run) == (
        120,
        130,
        first_run,
    )


@pytest.mark.parametrize(
    ("line", "champ", "fragment"),
    [
        ("pole_emploi;2026;region;53;entretiens;1;", "service", "inconnu"),
        ("cio;2026-T5;region;53;entretiens;1;", "periode", "AAAA-Tn"),
        ("cio;2026-13;region;53;entretiens;1;", "periode", "invalide"),
        ("cio;26;region;53;entretiens;1;", "periode", "invalide"),
        ("cio;2026;canton;53;entretiens;1;", "territoire_niveau", "inconnu"),
        ("cio;2026;commune;3523;entretiens;1;", "territoire_code", "code INSEE"),
        ("cio;2026;commune;75056;entretiens;1;", "territoire_code", "inconnu des référentiels"),
        ("cio;2026;departement;56;entretiens;1;", "territoire_code", "inconnu des référentiels"),
        ("cio;2026;epci;200000000;entretiens;1;", "territoire_code", "inconnu des référentiels"),
        ("cio;2026;bassin;9999;entretiens;1;", "territoire_code", "inconnu des référentiels"),
        ("cio;2026;region;11;entretiens;1;", "territoire_code", "inconnu des référentiels"),
        ("cio;2026;region;53;visites;1;", "indicateur", "inconnu"),
        ("cio;2026;region;53;entretiens;-4;", "valeur", "entier positif"),
        ("cio;2026;region;53;entretiens;2,5;", "valeur", "entier positif"),
        ("cio;2026;region;53;entretiens;;", "valeur", "obligatoire"),
    ],
)
def test_one_bad_line_rejects_the_whole_file_with_its_line_and_field(geo, write_csv, line, champ, fragment):
    path = write_csv(GOOD[0], line, GOOD[1])
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(path)
    assert [(e.ligne, e.champ) for e in rejected.value.errors] == [(3, champ)]
    assert fragment in rejected.value.errors[0].message
    assert not StateFigure.objects.exists() and not ImportRun.objects.exists()


def test_every_error_is_listed_and_a_key_given_twice_is_one(geo, write_csv):
    path = write_csv(GOOD[0], "x;2026;region;53;entretiens;1;", GOOD[0], "cio;2026;region;53;entretiens;a;")
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(path)
    assert [(e.ligne, e.champ) for e in rejected.value.errors] == [(3, "service"), (4, ""), (5, "valeur")]
    assert "ligne 2" in rejected.value.errors[1].message


def test_header_problems_and_encoding_are_named(geo, write_csv):
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(
            write_csv(GOOD[0], header="service;periode;territoire_niveau;indicateur;valeur;x")
        )
    assert {(e.ligne, e.champ) for e in rejected.value.errors} == {(1, "territoire_code"), (1, "x")}
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(write_csv("cio;2026;region;53;entretiens;1;Académie", encoding="latin-1"))
    assert "UTF-8" in rejected.value.errors[0].message
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(write_csv())
    assert rejected.value.errors[0].message == "aucune ligne de données"
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(write_csv("cio;2026;region;53;entretiens"))
    assert "colonne(s) au lieu de" in rejected.value.errors[0].message
    assert not ImportRun.objects.exists()


def test_the_command_answers_json_and_exits_1_on_rejection(geo, write_csv):
    out = StringIO()
    call_command("etat", "import", str(write_csv(*GOOD)), "--json", stdout=out)
    assert json.loads(out.getvalue())["creees"] == 5
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "etat", "import", str(write_csv("cio;2026;region;99;entretiens;1;")), stdout=out, stderr=err
        )
    assert raised.value.returncode == 1
    assert "etat.csv, ligne 2, champ « territoire_code »" in err.getvalue()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "etat", "import", str(write_csv("cio;2026;region;99;entretiens;1;")), "--json", stdout=out
        )
    assert json.loads(out.getvalue())["erreurs"][0]["champ"] == "territoire_code"
    assert StateFigure.objects.count() == 5


def test_state_figures_gives_one_territory_and_period_by_service_and_indicator(geo, write_csv):
    importing.import_file(write_csv(*GOOD))
    assert state_figures("2026-T1", "region", "53") == {("mission_locale", "personnes_accueillies"): 12400}
    assert state_figures("2026-t1", "commune", "35238", service="cio") == {("cio", "entretiens"): 120}
    assert state_figures("2026-T1", "commune", "35238", service="cap_emploi") == {}
    assert state_figures("nonsense", "region", "53") == {}
