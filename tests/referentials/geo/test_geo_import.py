"""The geography import: real counts, idempotence, atomicity and the bad-input errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from spro.referentials.geo.importers import GeoDataset
from spro.referentials.geo.models import Academie, BassinEmploi, Commune, Departement, Epci, Region
from spro.referentials.importing import run_dataset
from spro.referentials.models import ImportRun

from ..conftest import read_gz_text, write_gz_text

pytestmark = pytest.mark.django_db


def test_builtin_geography_matches_the_official_counts():
    report = run_dataset(GeoDataset())
    assert report.status == "success", report.error
    assert Region.objects.count() == 26
    assert Departement.objects.count() == 109
    assert Epci.objects.count() == 1255
    assert Commune.objects.filter(type=Commune.Type.COMMUNE).count() == 34969
    assert Commune.objects.filter(type=Commune.Type.ARRONDISSEMENT).count() == 45
    assert Commune.objects.filter(latitude__isnull=False).count() >= 34900
    assert BassinEmploi.objects.count() == 403
    rennes = Commune.objects.select_related("departement__academie", "epci", "bassin_emploi").get(
        code_insee="35238"
    )
    assert rennes.nom == "Rennes"
    assert rennes.departement.academie.nom == "Rennes"
    assert rennes.epci.nom.startswith("Rennes")
    assert "35000" in rennes.codes_postaux
    assert rennes.bassin_emploi is not None
    assert 48.0 < rennes.latitude < 48.2 and -1.8 < rennes.longitude < -1.5
    assert Commune.objects.get(code_insee="75056").arrondissements.count() == 20
    assert Academie.objects.filter(code="14").exists()


def test_second_import_changes_nothing():
    run_dataset(GeoDataset())
    second = run_dataset(GeoDataset())
    assert second.status == "success"
    assert second.totals.changes == 0
    assert second.totals.unchanged > 36000


def test_dry_run_reports_counts_and_writes_nothing():
    report = run_dataset(GeoDataset(), dry_run=True)
    assert report.status == "dry-run"
    assert report.totals.created > 36000
    assert Commune.objects.count() == 0
    assert ImportRun.objects.get().status == "dry-run"


def test_newer_release_updates_in_place_and_retires_vanished_communes(geo_folder):
    run_dataset(GeoDataset())
    text = read_gz_text(geo_folder / "communes_fr_2026.csv.gz")
    lines = text.splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    removed = next(r for r in rows if r.startswith("01002,"))
    renamed = [
        r.replace("L'Abergement-Clémenciat", "L'Abergement-Clémenciat-Nouveau")
        if r.startswith("01001,")
        else r
        for r in rows
        if r is not removed
    ]
    write_gz_text(geo_folder / "communes_fr_2026.csv.gz", header + "".join(renamed))

    report = run_dataset(GeoDataset(), path=geo_folder)

    assert report.status == "success", report.error
    assert report.totals.updated == 1
    assert report.totals.retired == 1
    assert Commune.objects.get(pk="01001").nom == "L'Abergement-Clémenciat-Nouveau"
    vanished = Commune.objects.get(pk="01002")
    assert vanished.is_active is False


def _communes_with(geo_folder, edit):
    path = geo_folder / "communes_fr_2026.csv.gz"
    lines = read_gz_text(path).splitlines(keepends=True)
    edit(lines)
    write_gz_text(path, "".join(lines))
    return path


def test_failure_midway_rolls_back_what_was_already_written(geo_folder):
    run_dataset(GeoDataset())
    regions = json.loads((geo_folder / "regions.json").read_text(encoding="utf-8"))
    regions[-1]["nom"] = "Région renommée"
    (geo_folder / "regions.json").write_text(json.dumps(regions), encoding="utf-8")

    def break_latitude(lines):
        lines[20000] = lines[20000].rsplit(",", 3)[0] + ",quarante,2.35,datas.fun_2024\n"

    _communes_with(geo_folder, break_latitude)

    report = run_dataset(GeoDataset(), path=geo_folder)

    assert report.status == "failed"
    assert "communes_fr_2026.csv.gz, line 20001, field 'latitude': not a number: 'quarante'" in report.error
    assert not Region.objects.filter(nom="Région renommée").exists()
    assert ImportRun.objects.filter(status="failed").count() == 1


def test_wrong_encoding_names_the_file_and_the_line(geo_folder):
    path = geo_folder / "communes_fr_2026.csv.gz"
    write_gz_text(path, read_gz_text(path), encoding="cp1252")

    report = run_dataset(GeoDataset(), path=geo_folder)

    assert report.status == "failed"
    assert report.error.startswith("communes_fr_2026.csv.gz, line 2: not valid UTF-8 text")
    assert Commune.objects.count() == 0 and Region.objects.count() == 0


def test_missing_column_names_the_column(geo_folder):
    def drop_latitude(lines):
        for index, line in enumerate(lines):
            parts = line.rstrip("\n").split(",")
            del parts[15]
            lines[index] = ",".join(parts) + "\n"

    _communes_with(geo_folder, drop_latitude)
    report = run_dataset(GeoDataset(), path=geo_folder)
    assert report.status == "failed"
    assert "line 1, field 'latitude': missing column(s) latitude" in report.error
    assert Commune.objects.count() == 0


def test_unknown_departement_is_a_blocking_error(geo_folder):
    def unknown_code(lines):
        lines[3] = lines[3].replace(",01,Ain,", ",00,Ain,", 1)

    _communes_with(geo_folder, unknown_code)
    report = run_dataset(GeoDataset(), path=geo_folder)
    assert report.status == "failed"
    assert "line 4, field 'code_departement': unknown département '00'" in report.error


def test_malformed_json_names_the_line(geo_folder):
    (geo_folder / "regions.json").write_text('[\n{"code": "01",\n "nom": }\n]', encoding="utf-8")
    report = run_dataset(GeoDataset(), path=geo_folder)
    assert report.status == "failed"
    assert report.error.startswith("regions.json, line 3: malformed JSON")


def test_cli_exits_nonzero_with_the_message(geo_folder):
    (geo_folder / "regions.json").write_text("not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"geo: regions.json, line 1: malformed JSON"):
        call_command("import", "geo", str(geo_folder), stdout=StringIO(), stderr=StringIO())
    assert Region.objects.count() == 0


def test_cli_rejects_unknown_dataset_and_missing_path(tmp_path):
    with pytest.raises(CommandError, match="unknown dataset 'nope'"):
        call_command("import", "nope", stdout=StringIO())
    with pytest.raises(CommandError, match="file or folder not found"):
        call_command("import", "geo", str(tmp_path / "absent"), stdout=StringIO(), stderr=StringIO())
