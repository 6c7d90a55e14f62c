"""The tension import: every row of the France Travail file, its geo and ROME 4.0 links, its bad input."""

from __future__ import annotations

import pytest
from django.apps import apps

from spro.referentials.importing import run_dataset
from spro.referentials.labour.importers import TensionDataset
from spro.referentials.labour.models import TensionIndicator

from .conftest import import_rome, read_text, write_text

pytestmark = pytest.mark.django_db

TENSION_ROWS = 27053
HEADER = "annee;ROME;rome_label;cbassin;lib_bassin_bmo19;oee;defm_abc;ind_tension_d\n"


def small_file(folder, *lines: str):
    path = folder / "tension_rome_bassin_2020.csv.gz"
    write_text(path, HEADER + "".join(f"{line}\n" for line in lines))
    return path


def test_builtin_tension_file_imports_every_row_with_its_known_values(territories):
    report = run_dataset(TensionDataset())
    assert report.status == "success", report.error
    counts = report.totals
    # Every bassin of the file is in the BMO 2019 zoning once overseas codes are padded ('101' → '0101').
    assert counts.rejected == 0
    assert counts.created == TENSION_ROWS == TensionIndicator.objects.count()
    assert TensionIndicator.objects.values("code_rome").distinct().count() == 398
    assert TensionIndicator.objects.values("bassin").distinct().count() == 401
    row = TensionIndicator.objects.select_related("bassin").get(annee=2020, code_rome="A1401", bassin="3201")
    assert row.libelle_rome == "Aide agricole de production fruitière ou viticole"
    assert row.bassin.nom == "ABBEVILLE PONTHIEU"
    assert (row.offres, row.demandeurs, row.indicateur) == (20, 8, 5)
    overseas = TensionIndicator.objects.select_related("bassin").get(code_rome="A1203", bassin="0101")
    assert overseas.bassin.nom == "BASSIN BASSE-TERRE"
    assert (overseas.offres, overseas.demandeurs, overseas.indicateur) == (4, 51, 2)
    # The ROME 4.0 referential is not imported here: rows are kept, unlinked, with one warning saying so.
    assert not apps.get_model("rome", "FicheMetier").objects.exists()
    assert not TensionIndicator.objects.filter(fiche_metier__isnull=False).exists()
    assert [w.message for w in report.warnings] == [
        "the ROME 4.0 referential is not imported: no tension row is linked to a fiche métier "
        "(import 'rome', then re-import 'tension')"
    ]


def test_second_tension_import_changes_nothing(territories):
    run_dataset(TensionDataset())
    second = run_dataset(TensionDataset())
    assert second.status == "success", second.error
    assert second.totals.changes == 0
    assert second.totals.unchanged == TENSION_ROWS


@pytest.mark.slow  # imports the whole ROME 4.0 referential (about 10–25 s)
def test_tension_links_rome_4_fiches_and_keeps_codes_that_rome_4_dropped(territories, tmp_path):
    import_rome()
    report = run_dataset(TensionDataset())
    assert report.status == "success", report.error
    assert report.warning_count == 0
    # The 398 ROME v3 codes of the file all survive in ROME 4.0 (checked against unix_referentiel_code_rome).
    assert not TensionIndicator.objects.filter(fiche_metier__isnull=True).exists()
    assert TensionIndicator.objects.get(code_rome="A1401", bassin="3201").fiche_metier_id == "A1401"

    path = small_file(
        tmp_path,
        "2020;A1401;Aide agricole;3201;ABBEVILLE PONTHIEU;20;8;5",
        "2020;K9999;Métier disparu;3201;ABBEVILLE PONTHIEU;3;4;2",
    )
    report = run_dataset(TensionDataset(), path=path)
    assert report.status == "success", report.error
    kept = TensionIndicator.objects.get(code_rome="K9999")
    assert kept.fiche_metier_id is None and kept.indicateur == 2
    assert TensionIndicator.objects.get(code_rome="A1401").fiche_metier_id == "A1401"
    assert [str(w) for w in report.warnings] == [
        "tension_rome_bassin_2020.csv.gz, field 'ROME': "
        "ROME v3 code 'K9999' is not in ROME 4.0: 1 row(s) kept without fiche métier"
    ]
    assert report.totals.rejected == 0


def test_unknown_bassin_is_rejected_with_a_warning_naming_the_line(territories, tmp_path):
    path = small_file(
        tmp_path,
        "2020;A1401;Aide agricole;3201;ABBEVILLE PONTHIEU;20;8;5",
        "2020;A1401;Aide agricole;9998;NULLE PART;1;1;1",
    )
    report = run_dataset(TensionDataset(), path=path)
    assert report.status == "success", report.error
    assert report.totals.created == 1 and report.totals.rejected == 1
    assert any(
        str(w).startswith("tension_rome_bassin_2020.csv.gz, line 3, field 'cbassin': unknown bassin")
        for w in report.warnings
    )


def test_indicator_out_of_range_fails_naming_file_line_and_field_and_writes_nothing(
    territories, labour_folder
):
    assert run_dataset(TensionDataset()).status == "success"
    before = TensionIndicator.objects.get(code_rome="A1101", bassin="3201")
    path = labour_folder / "tension_rome_bassin_2020.csv.gz"
    text = read_text(path).replace(
        "2020;A1203;Entretien des espaces verts;3201;ABBEVILLE PONTHIEU;1;103;2",
        "2020;A1203;Entretien des espaces verts;3201;ABBEVILLE PONTHIEU;1;103;6",
    )
    text = text.replace(
        "2020;A1101;Conduite d'engins agricoles et forestiers;3201;ABBEVILLE PONTHIEU;2;1;3",
        "2020;A1101;Conduite d'engins agricoles et forestiers;3201;ABBEVILLE PONTHIEU;99;1;3",
    )
    write_text(path, text)
    report = run_dataset(TensionDataset(), path=path)
    assert report.status == "failed"
    assert report.error == (
        "tension_rome_bassin_2020.csv.gz, line 3, field 'ind_tension_d': tension indicator "
        "out of range 1–5: 6"
    )
    assert TensionIndicator.objects.count() == TENSION_ROWS
    assert (
        TensionIndicator.objects.get(pk=before.pk).offres == before.offres == 2
    )  # line 2's change rolled back


def test_non_numeric_indicator_fails_naming_the_field(territories, tmp_path):
    path = small_file(tmp_path, "2020;A1401;Aide agricole;3201;ABBEVILLE PONTHIEU;20;8;forte")
    report = run_dataset(TensionDataset(), path=path)
    assert report.status == "failed"
    assert (
        report.error
        == "tension_rome_bassin_2020.csv.gz, line 2, field 'ind_tension_d': not an integer: 'forte'"
    )
    assert not TensionIndicator.objects.exists()


def test_missing_column_fails_naming_the_column_and_writes_nothing(territories, tmp_path):
    path = tmp_path / "tension.csv"
    path.write_text(
        "annee;ROME;rome_label;cbassin;oee;defm_abc\n2020;A1401;Aide agricole;3201;20;8\n", encoding="utf-8"
    )
    report = run_dataset(TensionDataset(), path=path)
    assert report.status == "failed"
    assert report.error.startswith(
        "tension.csv, line 1, field 'ind_tension_d': missing column(s) ind_tension_d"
    )
    assert not TensionIndicator.objects.exists()


def test_a_newer_year_is_added_next_to_the_older_one(territories, tmp_path):
    assert (
        run_dataset(
            TensionDataset(),
            path=small_file(tmp_path, "2020;A1401;Aide agricole;3201;ABBEVILLE PONTHIEU;20;8;5"),
        ).status
        == "success"
    )
    report = run_dataset(
        TensionDataset(), path=small_file(tmp_path, "2021;A1401;Aide agricole;3201;ABBEVILLE PONTHIEU;25;7;4")
    )
    assert report.status == "success", report.error
    assert report.totals.deleted == 0
    assert dict(TensionIndicator.objects.values_list("annee", "indicateur")) == {2020: 5, 2021: 4}
