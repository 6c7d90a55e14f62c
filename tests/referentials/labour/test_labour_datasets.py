"""What every labour dataset declares (source, licence, attribution) and the read-only admin."""

from __future__ import annotations

import pytest
from django.contrib.admin import site
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.urls import reverse

from spro.referentials.importing import run_dataset
from spro.referentials.importing.registry import all_datasets, in_dependency_order
from spro.referentials.labour.importers import DATASETS, ChomageDataset, EscoDataset, TensionDataset
from spro.referentials.labour.models import EscoOccupation, IscoGroup, TensionIndicator, UnemploymentRate


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.name)
def test_each_dataset_declares_its_source_licence_and_attribution(dataset):
    for attribute in ("title", "publisher", "licence", "version", "attribution"):
        assert getattr(dataset, attribute), f"{dataset.name}.{attribute} is empty"
    assert all_datasets()[dataset.name] is dataset
    assert dataset.resolve_paths()  # the built-in files are present


def test_attributions_and_dependencies_are_the_documented_ones():
    assert TensionDataset.attribution == "France Travail (Mobiville), données 2019–2020"
    assert EscoDataset.attribution == "ESCO, European Commission"
    assert TensionDataset.depends_on == ("geo", "rome")
    assert ChomageDataset.depends_on == ("geo",)
    assert EscoDataset.depends_on == ()
    order = [d.name for d in in_dependency_order(["tension", "chomage"])]
    assert order.index("geo") < order.index("tension") and order.index("rome") < order.index("tension")


def client_admin_readonly(model) -> list[str]:
    return site._registry[model].get_readonly_fields(None)


@pytest.mark.django_db
def test_admin_shows_imported_records_read_only(client, territories, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # WhiteNoise warns (an error here) when collectstatic has not run
    run_dataset(EscoDataset())
    run_dataset(ChomageDataset())
    tension_file = tmp_path / "tension.csv"
    tension_file.write_text(
        "annee;ROME;rome_label;cbassin;lib_bassin_bmo19;oee;defm_abc;ind_tension_d\n"
        "2020;A1401;Aide agricole;3201;ABBEVILLE PONTHIEU;20;8;5\n",
        encoding="utf-8",
    )
    assert run_dataset(TensionDataset(), path=tension_file).status == "success"
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x-secret-x")
    client.force_login(admin)
    occupation = EscoOccupation.objects.get(libelle="directeur technique/directrice technique")
    rate = UnemploymentRate.objects.filter(code_zone="01").first()
    for model, obj in (
        (EscoOccupation, occupation),
        (IscoGroup, occupation.isco_group),
        (UnemploymentRate, rate),
        (TensionIndicator, TensionIndicator.objects.get()),
    ):
        opts = model._meta
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        page = client.get(change_url)
        assert page.status_code == 200
        assert set(client_admin_readonly(model)) >= {f.name for f in opts.fields}
        assert (
            client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[quote(obj.pk)])
            ).status_code
            == 403
        )
    client.post(
        reverse("admin:labour_escooccupation_change", args=[quote(occupation.pk)]),
        {"libelle": "changé à la main"},
    )
    occupation.refresh_from_db()
    assert occupation.libelle == "directeur technique/directrice technique"
