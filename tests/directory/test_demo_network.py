"""The built-in demonstration network of Bretagne, imported on the real geography (module-wide, rolled back)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from spro.directory import search
from spro.directory.datainclusion import export_document
from spro.directory.importers import StructuresDataset
from spro.directory.models import Service, Structure, ZoneCompetence
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.importing import run_dataset
from tests.conftest import imported

from .test_import_export import assert_valid

pytestmark = pytest.mark.django_db

#: docs/contracts.md: the data·inclusion typologies named there, and the SPRO additions.
CONTRACT_TYPOLOGIES = {
    "ML",
    "FT",
    "CAP_EMPLOI",
    "PIJ_BIJ",
    "CCONS",
    "CITMET",
    "E2C",
    "EPIDE",
    "MDPH",
    "REG",
    "CCAS",
    "CAF",
    "RS_FJT",
    "CIO",
    "APEC",
    "TRANSITIONS_PRO",
    "CEP",
    "SCUIO",
    "PSAD",
    "DAVA",
}
DEMO_FILE = Path(settings.DATA_DIR) / "directory" / "demo-bretagne.di.json.gz"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, GeoDataset(), StructuresDataset()) as reports:
        yield reports[-1]


def test_demo_network_covers_every_spro_typology_and_is_labelled(demo):
    assert demo.warning_count == 0, demo.warnings
    structures = Structure.objects.all()
    assert 150 <= structures.count() <= 300
    assert set(structures.values_list("typologie", flat=True)) >= CONTRACT_TYPOLOGIES
    assert all(s.demo and s.description.startswith("Données de démonstration") for s in structures)
    assert set(structures.values_list("commune__region_id", flat=True)) == {"53"}
    assert Service.objects.count() >= structures.count()
    assert (
        ZoneCompetence.objects.filter(niveau="epci").exists()
        and ZoneCompetence.objects.filter(niveau="commune").exists()
    )


def test_demo_uses_the_real_names_of_france_travail_agencies_and_missions_locales(demo):
    pass_emploi = Path(settings.DATA_DIR) / "directory" / "pass_emploi"
    with gzip.open(pass_emploi / "agences_pe.json.gz", "rt", encoding="utf-8") as handle:
        agencies = json.load(handle)
    bretagne = [a for a in agencies if a["code_departement"] in (22, 29, 35, 56)]
    assert Structure.objects.filter(typologie="FT").count() == len(bretagne) == 38
    rennes_ouest = Structure.objects.get(
        di_id__endswith="ft-"
        + str(next(a["id"] for a in bretagne if a["nom_agence"].endswith("RENNES OUEST")))
    )
    assert rennes_ouest.nom == "Agence France Travail Rennes Ouest" and rennes_ouest.commune_id == "35238"
    assert Structure.objects.get(di_id="spro-demo--ml-29019S00").nom == "Mission Locale du Pays de Brest"


def test_every_exported_demo_record_validates_and_reimport_changes_nothing(demo, tmp_path):
    document = export_document()
    assert_valid(document)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    again = run_dataset(StructuresDataset(), path=path)
    assert again.status == "success" and again.totals.changes == 0, again.error


def test_nearest_cio_and_mission_locale_from_a_small_commune(demo):
    # Cesson-Sévigné (35051): the CIO of the Rennes bassin covers it; the nearest Mission locale is We Ker, Rennes.
    cio = search.nearest(commune="35051", typologie="CIO", rayon_km=50)
    assert cio.hits[0].structure.nom == "CIO de Rennes"
    ml = search.nearest(commune="35051", typologie="ML", rayon_km=50, age=19)
    assert ml.hits[0].structure.nom == "Mission Locale - We Ker"
    assert search.nearest(commune="35051", typologie="ML", rayon_km=50, age=40).total == 0


def test_generator_is_deterministic_and_matches_the_shipped_file(tmp_path):
    output = tmp_path / "demo.di.json.gz"
    script = Path(settings.BASE_DIR) / "scripts" / "generate_directory_demo.py"
    subprocess.run([sys.executable, str(script), "--output", str(output)], check=True, capture_output=True)
    assert output.read_bytes() == DEMO_FILE.read_bytes()
