"""The admin shows imported formations read-only; each dataset is importable alone from its single file."""

from __future__ import annotations

import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import CommandError, call_command

from spro.referentials.formations.importers import DATASETS, OnisepDataset
from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, Lycee, MentionMaster
from spro.referentials.importing import run_dataset
from spro.referentials.importing.registry import all_datasets

pytestmark = pytest.mark.django_db

DATA = Path(settings.DATA_DIR) / "formations"


def small_copy(tmp_path: Path, name: str, lines: int = 6) -> Path:
    with gzip.open(DATA / name, "rt", encoding="utf-8-sig", newline="") as handle:
        text = "".join(next(handle) for _ in range(lines))
    target = tmp_path / name
    with gzip.open(target, "wt", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return target


@pytest.mark.parametrize("model", [FormationOnisep, FormationParcoursup, MentionMaster, Lycee])
def test_admin_is_read_only(model, rf, admin_user):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request)
    editable = {f.name for f in model._meta.fields} - set(model_admin.get_readonly_fields(request))
    assert editable == set()


def test_admin_pages_open(admin_client, tmp_path):
    run_dataset(OnisepDataset(), path=small_copy(tmp_path, "ideo-formations_initiales_en_france.csv.gz"))
    assert admin_client.get("/admin/formations/formationonisep/").status_code == 200
    assert admin_client.get("/admin/formations/formationonisep/FOR.6913/change/").status_code == 200
    for model in ("formationparcoursup", "mentionmaster", "lycee"):
        assert admin_client.get(f"/admin/formations/{model}/").status_code == 200


def test_every_dataset_is_registered_with_its_licence_and_attribution():
    registered = all_datasets()
    assert {cls.name for cls in DATASETS} == {"onisep", "parcoursup", "master", "lycees"}
    for cls in DATASETS:
        assert registered[cls.name] is cls
        assert cls.main_file is not None and len(cls.files) == 1
        for attribute in ("title", "publisher", "licence", "version", "attribution"):
            assert getattr(cls, attribute), (cls.name, attribute)
        assert "Licence Ouverte 2.0" in cls.licence
    assert {cls.name: cls.depends_on for cls in DATASETS}["lycees"] == ("geo",)


@pytest.mark.parametrize(
    ("dataset", "name"),
    [
        ("onisep", "ideo-formations_initiales_en_france.csv.gz"),
        ("parcoursup", "parcoursup_formations_gps.csv.gz"),
    ],
)
def test_cli_imports_one_dataset_from_one_file(tmp_path, dataset, name):
    call_command("import", dataset, str(small_copy(tmp_path, name)), "--no-progress")
    model = FormationOnisep if dataset == "onisep" else FormationParcoursup
    assert model.objects.count() == 5


@pytest.mark.parametrize(
    ("dataset", "name"),
    [
        ("master", "fr-esr-tmm-mentions-de-master_2019-2021.csv.gz"),
        ("lycees", "lycees.csv.gz"),
    ],
)
def test_cli_imports_a_dataset_with_a_dependency_from_one_file(tmp_path, dataset, name):
    with pytest.raises(CommandError, match="import geo first"):
        call_command("import", dataset, str(small_copy(tmp_path, name)), "--no-progress")
    call_command("import", "geo", "--no-progress", stdout=StringIO())
    call_command("import", dataset, str(small_copy(tmp_path, name)), "--no-progress", stdout=StringIO())
    model = MentionMaster if dataset == "master" else Lycee
    assert model.objects.count() >= (
        4 if dataset == "master" else 1
    )  # the first lycées are abroad (rejected)
