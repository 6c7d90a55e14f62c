"""Fixtures of the directory tests: a handful of real communes (INSEE codes and coordinates of the COG), and
factories of data·inclusion records and documents."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from spro.directory.importers import StructuresDataset
from spro.referentials.importing import run_dataset
from tests.geography import Row, add_communes

#: code → (nom, département, EPCI, latitude, longitude)
COMMUNES = {
    "35238": ("Rennes", "35", "243500139", 48.1113, -1.6800),
    "35051": ("Cesson-Sévigné", "35", "243500139", 48.1211, -1.6031),
    "35360": ("Vitré", "35", "200039022", 48.1236, -1.2089),
    "35288": ("Saint-Malo", "35", "243500741", 48.6493, -2.0257),
    "29019": ("Brest", "29", "242900314", 48.3904, -4.4861),
    "29232": ("Quimper", "29", "242900793", 47.9960, -4.1024),
    "56260": ("Vannes", "56", "200067932", 47.6586, -2.7599),
}


@pytest.fixture
def geo(db):
    """Région 53, its four départements, seven communes and their EPCI."""
    add_communes(
        *(
            Row(code, nom, dep, (f"{dep}000",), lat=lat, lon=lon, epci=epci)
            for code, (nom, dep, epci, lat, lon) in COMMUNES.items()
        ),
        extra_departements=("22",),
    )
    from spro.referentials.models import ImportRun

    ImportRun.objects.create(
        dataset="geo", status=ImportRun.Status.SUCCESS
    )  # `spro import structures` needs geo
    return COMMUNES


def structure(id: str, **fields: Any) -> dict[str, Any]:
    """A valid data·inclusion structure record with SPRO extensions, placed at Rennes unless told otherwise."""
    code = fields.pop("code_insee", "35238")
    nom, _, _, lat, lon = COMMUNES.get(code, ("Ailleurs", "35", "", 48.0, -1.0))
    record = {
        "source": "test",
        "id": f"test--{id}",
        "nom": f"Structure {id}",
        "date_maj": "2026-10-01",
        "description": "Une structure de test.",
        "code_insee": code,
        "commune": nom,
        "latitude": lat,
        "longitude": lon,
        "typologie": "CIO",
        "horaires_accueil": "Mo-Fr 09:00-12:00,13:30-17:00",
        "publics": ["tous-publics"],
        "langues": ["fr", "fsl"],
        "canaux": ["sur-place", "telephone"],
        "zone_competence": ["35"],
        "date_verification": "2026-10-01",
    }
    record.update(fields)
    return record


def service(structure_id: str, number: int = 1, **fields: Any) -> dict[str, Any]:
    record = {
        "source": "test",
        "structure_id": f"test--{structure_id}",
        "id": f"test--{structure_id}--{number}",
        "nom": "Conseil en orientation",
        "description": "Entretiens individuels pour choisir une formation ou un métier.",
        "date_maj": "2026-10-01",
        "type": "accompagnement",
        "thematiques": ["se-former--trouver-sa-formation"],
        "frais": "gratuit",
        "publics": ["jeunes"],
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["se-presenter"],
        "mobilisable_par": ["usagers"],
    }
    record.update(fields)
    return record


@pytest.fixture
def write_document(tmp_path: Path):
    """Write {"structures": [...], "services": [...]} to a file and return its path."""
    counter = {"n": 0}

    def write(structures: list[dict], services: list[dict] | None = None) -> Path:
        counter["n"] += 1
        path = tmp_path / f"document-{counter['n']}.json"
        document = {"structures": copy.deepcopy(structures), "services": copy.deepcopy(services or [])}
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def import_file(path: Path):
    return run_dataset(StructuresDataset(), path=path)
