"""The INSEE unemployment import: département codes unpadded, decimal comma, one row per zone and year."""

from __future__ import annotations

import pytest

from spro.referentials.importing import run_dataset
from spro.referentials.labour.importers import ChomageDataset
from spro.referentials.labour.models import UnemploymentRate

from .conftest import read_text, write_text

pytestmark = pytest.mark.django_db

DEPARTEMENT = UnemploymentRate.Niveau.DEPARTEMENT
REGION = UnemploymentRate.Niveau.REGION


def rate(niveau: str, code: str, annee: int) -> float:
    return UnemploymentRate.objects.get(niveau=niveau, code_zone=code, annee=annee).taux


def test_builtin_unemployment_files_import_every_row(territories):
    report = run_dataset(ChomageDataset())
    assert report.status == "success", report.error
    assert report.totals.rejected == 0 and report.warning_count == 0
    assert UnemploymentRate.objects.filter(niveau=DEPARTEMENT).count() == 500  # 100 départements × 2019–2023
    assert UnemploymentRate.objects.filter(niveau=REGION).count() == 68  # 17 régions × 2020–2023


def test_padded_departement_codes_link_to_the_cog_and_rates_read_the_decimal_comma(territories):
    run_dataset(ChomageDataset())
    assert rate(DEPARTEMENT, "01", 2023) == 5.7
    assert (
        UnemploymentRate.objects.get(niveau=DEPARTEMENT, code_zone="01", annee=2023).departement.nom == "Ain"
    )
    assert rate(DEPARTEMENT, "2A", 2023) == 6.1
    assert rate(DEPARTEMENT, "971", 2021) == 15.5
    assert rate(DEPARTEMENT, "03", 2023) == 8.0  # written "8", without decimals
    brittany = UnemploymentRate.objects.select_related("region").get(
        niveau=REGION, code_zone="53", annee=2023
    )
    assert brittany.region.nom == "Bretagne" and brittany.taux == 6.1
    assert not UnemploymentRate.objects.filter(code_zone__in=["001", "02A"]).exists()


def test_second_unemployment_import_changes_nothing(territories):
    run_dataset(ChomageDataset())
    second = run_dataset(ChomageDataset())
    assert second.status == "success", second.error
    assert second.totals.changes == 0 and second.totals.unchanged == 568


def test_unknown_departement_is_rejected_with_a_warning(territories, labour_folder):
    path = labour_folder / "chomage_departemental_INSEE.csv"
    write_text(path, read_text(path) + "099;NULLE PART;2023;7,0\n")
    report = run_dataset(ChomageDataset(), path=labour_folder)
    assert report.status == "success", report.error
    assert report.totals.rejected == 1
    assert [str(w) for w in report.warnings] == [
        "chomage_departemental_INSEE.csv, line 502, field 'codeDepartement': "
        "unknown département '99' (not in the COG)"
    ]


def test_malformed_rate_fails_naming_file_line_and_field_and_writes_nothing(territories, labour_folder):
    path = labour_folder / "chomage_regional_INSEE.csv"
    write_text(path, read_text(path).replace("53;2023;6,1", "53;2023;six", 1))
    report = run_dataset(ChomageDataset(), path=labour_folder)
    assert report.status == "failed"
    assert report.error == "chomage_regional_INSEE.csv, line 13, field 'tauxChomage': not a number: 'six'"
    assert not UnemploymentRate.objects.exists()


def test_rate_out_of_range_fails(territories, labour_folder):
    path = labour_folder / "chomage_departemental_INSEE.csv"
    write_text(path, read_text(path).replace("001;AIN;2023;5,7", "001;AIN;2023;157", 1))
    report = run_dataset(ChomageDataset(), path=labour_folder)
    assert report.status == "failed"
    assert report.error == (
        "chomage_departemental_INSEE.csv, line 2, field 'tauxChomage': unemployment rate out "
        "of range 0–100: 157.0"
    )
