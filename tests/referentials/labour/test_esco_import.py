"""The ESCO import: 2,942 occupations with French labels, the 619 ISCO-08 groups and their hierarchy."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from spro.referentials.importing import run_dataset
from spro.referentials.labour.importers import EscoDataset
from spro.referentials.labour.models import EscoOccupation, IscoGroup

from .conftest import read_text, write_text

pytestmark = pytest.mark.django_db

DIRECTEUR_TECHNIQUE = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"


def test_builtin_esco_files_import_every_occupation_and_isco_group():
    report = run_dataset(EscoDataset())
    assert report.status == "success", report.error
    assert report.totals.rejected == 0 and report.warning_count == 0
    assert EscoOccupation.objects.count() == 2942
    assert IscoGroup.objects.count() == 619
    assert dict(IscoGroup.objects.filter(parent__isnull=True).values_list("code", "libelle"))["2"] == (
        "Professions intellectuelles et scientifiques"
    )
    assert IscoGroup.objects.filter(parent__isnull=True).count() == 10


def test_known_occupation_has_its_isco_group_and_alternative_labels():
    run_dataset(EscoDataset())
    occupation = EscoOccupation.objects.select_related("isco_group__parent__parent__parent").get(
        uri=DIRECTEUR_TECHNIQUE
    )
    assert occupation.libelle == "directeur technique/directrice technique"
    assert occupation.libelles_alternatifs == [
        "régisseuse",
        "régisseur",
        "directrice technique",
        "régisseur/régisseuse",
        "directeur technique",
    ]
    group = occupation.isco_group
    assert group.code == "2166" and group.level == 4
    assert [group.parent.code, group.parent.parent.code, group.parent.parent.parent.code] == [
        "216",
        "21",
        "2",
    ]
    assert IscoGroup.objects.get(code="0110").parent_id == "011"


def test_second_esco_import_changes_nothing():
    run_dataset(EscoDataset())
    second = run_dataset(EscoDataset())
    assert second.status == "success", second.error
    assert second.totals.changes == 0
    assert second.totals.unchanged == 2942 + 619


def test_occupation_dropped_by_a_newer_release_is_retired_not_deleted(labour_folder):
    run_dataset(EscoDataset())
    path = labour_folder / "occupations_fr.csv.gz"
    text = read_text(path)
    start = text.index(f"Occupation,{DIRECTEUR_TECHNIQUE}")
    end = text.index("Occupation,", start + 1)
    write_text(path, text[:start] + text[end:])
    report = run_dataset(EscoDataset(), path=labour_folder)
    assert report.status == "success", report.error
    assert report.totals.retired == 1 and report.totals.changes == 1
    assert EscoOccupation.objects.get(uri=DIRECTEUR_TECHNIQUE).is_active is False


def test_occupation_in_an_isco_group_missing_from_the_release_fails_and_writes_nothing(labour_folder):
    path = labour_folder / "occupations_fr.csv.gz"
    text = read_text(path)
    write_text(
        path,
        text.replace(f"Occupation,{DIRECTEUR_TECHNIQUE},2166,", f"Occupation,{DIRECTEUR_TECHNIQUE},9999,"),
    )
    report = run_dataset(EscoDataset(), path=labour_folder)
    assert report.status == "failed"
    assert report.error == (
        "occupations_fr.csv.gz, line 2, field 'iscoGroup': ISCO group '9999' is not in ISCOGroups_fr.csv"
    )
    assert not IscoGroup.objects.exists() and not EscoOccupation.objects.exists()


def test_missing_column_fails_and_the_command_exits_non_zero(labour_folder):
    path = labour_folder / "ISCOGroups_fr.csv"
    text = read_text(path)
    write_text(path, text.replace("conceptType,conceptUri,code,", "conceptType,conceptUri,isco,", 1))
    with pytest.raises(
        CommandError, match=r"ISCOGroups_fr\.csv, line 1, field 'code': missing column\(s\) code"
    ):
        call_command(
            "import", "esco", str(labour_folder), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )
    assert not IscoGroup.objects.exists() and not EscoOccupation.objects.exists()
