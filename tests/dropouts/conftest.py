"""Fixtures of the dropout tests: two PSAD zones (Quimper and Rennes) with their structures, members for every role,
and helpers to write a list file and run the import."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from spro.accounts.models import StructureRole, TerritorialRole
from spro.dropouts import counts, zones
from tests.accounts.factories import MembershipFactory, ScopeFactory, StructureFactory, UserFactory, geography

HEADER = "ine;nom;prenom;date_naissance;commune;telephone;courriel;responsable_legal;uai;formation;date_sortie;statut"

ZONE_QUIMPER = """
code: quimper
nom: PSAD de Cornouaille
psad: test--psad-quimper
communes: ["29232", "29039"]
regles:
  - nom: mineurs scolaires vers le CIO
    si: {statut: [scolaire], age: {max: 17}}
    structure: test--cio-quimper
  - nom: tous les autres
    structure: test--ml-quimper
"""

ZONE_RENNES = """
code: rennes
nom: PSAD du bassin rennais
psad: test--psad-rennes
communes: ["35238"]
regles:
  - nom: apprentis d'un CFA donné
    si: {statut: [apprenti], uai: ["0350099X"]}
    structure: test--cio-rennes
  - nom: tous les autres
    structure: test--ml-rennes
"""


def write_list(
    tmp_path: Path, *lines: str, header: str = HEADER, name: str = "liste.csv", bom: bool = False
) -> Path:
    path = tmp_path / name
    text = "\n".join([header, *lines]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def born(years: int, days: int = 40) -> str:
    """A birth date making the person `years` old today (and `days` past that birthday)."""
    today = date.today()
    return (today.replace(year=today.year - years) - timedelta(days=days)).isoformat()


def left(days: int = 120) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def line(**values: str) -> str:
    """One data line in HEADER's order; defaults make a valid line (a 19-year-old of Quimper, scolaire)."""
    row = {
        "ine": "",
        "nom": "Le Gall",
        "prenom": "Maëlys",
        "date_naissance": born(20),
        "commune": "29232",
        "telephone": "06 39 98 00 01",
        "courriel": "maelys@example.org",
        "responsable_legal": "",
        "uai": "0290044R",
        "formation": "Bac pro Commerce",
        "date_sortie": left(),
        "statut": "scolaire",
    }
    row.update(values)
    return ";".join(row[column] for column in HEADER.split(";"))


def run_import(path: Path, campaign: str = "2025-11", *extra: str) -> dict:
    """The command with --json, as an operator runs it; its JSON document (CommandError propagates)."""
    from io import StringIO

    out = StringIO()
    call_command("decrochage", "import", str(path), "--campagne", campaign, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def zone_world(db, tmp_path):
    """Structures of two zones, loaded zone files, and one user per role."""
    counts.clear()  # the list counts of an earlier test, whose rows were rolled back under the same version
    geo = geography()
    s = {
        name: StructureFactory(di_id=f"test--{name}", nom=name, typologie=typologie, commune=geo[commune])
        for name, typologie, commune in [
            ("psad-quimper", "PSAD", "29232"),
            ("cio-quimper", "CIO", "29232"),
            ("ml-quimper", "ML", "29232"),
            ("psad-rennes", "PSAD", "35238"),
            ("cio-rennes", "CIO", "35238"),
            ("ml-rennes", "ML", "35238"),
        ]
    }
    folder = tmp_path / "zones"
    folder.mkdir()
    (folder / "quimper.yaml").write_text(ZONE_QUIMPER, encoding="utf-8")
    (folder / "rennes.yaml").write_text(ZONE_RENNES, encoding="utf-8")
    zones.load_folder(folder)
    admin = StructureRole.ADMIN_STRUCTURE
    users = {
        "coordinateur_quimper": MembershipFactory(structure=s["psad-quimper"], role=admin).user,
        "conseiller_psad_quimper": MembershipFactory(structure=s["psad-quimper"]).user,
        "conseiller_cio_quimper": MembershipFactory(structure=s["cio-quimper"]).user,
        "conseiller_ml_quimper": MembershipFactory(structure=s["ml-quimper"]).user,
        "coordinateur_rennes": MembershipFactory(structure=s["psad-rennes"], role=admin).user,
        "conseiller_ml_rennes": MembershipFactory(structure=s["ml-rennes"]).user,
        "pilote_region": ScopeFactory(role=TerritorialRole.PILOTE_REGION, region=geo["bzh"]).user,
        "pilote_etat": ScopeFactory(role=TerritorialRole.PILOTE_ETAT).user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "nobody": UserFactory(),
    }
    return {"structures": s, "users": users, "folder": folder, "tmp": tmp_path}
