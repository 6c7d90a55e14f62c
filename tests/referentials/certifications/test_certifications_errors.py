"""Bad input stops the import with the file, line and field, and writes nothing."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from spro.referentials.certifications.importers import CertifInfoDataset, NsfBcnDataset
from spro.referentials.certifications.models import (
    Certification,
    DiplomeBcn,
    DiplomeProfessionnel,
    NiveauFormation,
    NsfCategorie,
    NsfDomaine,
    NsfGroupe,
)
from spro.referentials.importing import run_dataset
from spro.referentials.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def minimal_nsf() -> None:
    """Just enough BCN for Certif Info to start (a full BCN import costs seconds per test)."""
    categorie = NsfCategorie.objects.create(code="3", libelle="SERVICES")
    domaine = NsfDomaine.objects.create(code="31", categorie=categorie, libelle="ECHANGES ET GESTION")
    NsfGroupe.objects.create(code="311", domaine=domaine, libelle="TRANSPORT, MANUTENTION, MAGASINAGE")


def rewrite_certif_info(folder: Path, edit) -> None:
    path = folder / "certif_info.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().split("\n")
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(edit(lines)))


def drop_column(lines: list[str], name: str) -> list[str]:
    index = lines[0].split(";").index(name)
    return [
        ";".join(v for i, v in enumerate(line.split(";")) if i != index) if line else line for line in lines
    ]


def test_missing_column_names_the_column_and_writes_nothing(certif_folder, minimal_nsf, no_rome_links):
    rewrite_certif_info(certif_folder, lambda lines: drop_column(lines, "Code_Nsf"))
    report = run_dataset(CertifInfoDataset(), path=certif_folder)
    assert report.status == "failed"
    assert "certif_info.csv.gz" in report.error and "Code_Nsf" in report.error and "line 1" in report.error
    assert Certification.objects.count() == 0
    assert ImportRun.objects.filter(dataset="certifinfo").get().status == "failed"


def test_missing_column_in_a_later_bcn_file_rolls_back_the_earlier_ones(certif_folder):
    path = certif_folder / "n_groupe_specialite_.csv"
    text = path.read_text(encoding="utf-8-sig").replace("DOMAINE_SPECIALITE;", "DOMAINE;", 1)
    path.write_text(text, encoding="utf-8")
    report = run_dataset(NsfBcnDataset(), path=certif_folder)
    assert report.status == "failed"
    assert "n_groupe_specialite_.csv" in report.error and "DOMAINE_SPECIALITE" in report.error
    # Categories and domains were read and written before the groups: rolled back with them.
    for model in (NsfCategorie, NsfDomaine, NsfGroupe, NiveauFormation, DiplomeBcn, DiplomeProfessionnel):
        assert model.objects.count() == 0, model


def test_latin1_file_names_the_first_bad_line(certif_folder):
    path = certif_folder / "n_groupe_specialite_.csv"
    path.write_text(path.read_text(encoding="utf-8-sig"), encoding="latin-1")  # line 15: "édition"
    report = run_dataset(NsfBcnDataset(), path=certif_folder)
    assert report.status == "failed"
    assert report.error.startswith("n_groupe_specialite_.csv, line 15: not valid UTF-8")
    assert NsfCategorie.objects.count() == 0


def test_latin1_bcn_diploma_export_names_the_line(certif_folder):
    """The unquoted reader of the BCN diploma exports decodes as strictly as the shared one."""
    path = certif_folder / "vFormationDiplome_.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        head = "".join(handle.readlines()[:10])  # line 4 holds "MÊME"
    with gzip.open(path, "wb") as handle:
        handle.write(head.encode("latin-1"))
    report = run_dataset(NsfBcnDataset(), path=certif_folder)
    assert report.status == "failed"
    assert report.error.startswith("vFormationDiplome_.csv.gz, line 4: not valid UTF-8"), report.error


def test_malformed_code_is_an_error_with_line_and_field(certif_folder, minimal_nsf, no_rome_links):
    rewrite_certif_info(
        certif_folder, lambda lines: [lines[0], lines[1].replace(";313;", ";31X;", 1), *lines[2:]]
    )
    report = run_dataset(CertifInfoDataset(), path=certif_folder)
    assert report.status == "failed"
    assert report.error.startswith("certif_info.csv.gz, line 2, field 'Code_Nsf': not a valid NSF code")
    assert Certification.objects.count() == 0


def test_unknown_cfd_and_nsf_are_warnings_and_codes_are_kept(minimal_nsf, no_rome_links):
    report = run_dataset(CertifInfoDataset())
    assert report.status == "success", report.error
    assert Certification.objects.count() == 9923
    bts = Certification.objects.get(code="18817")
    assert bts.code_cfd == "32025001" and bts.diplome_bcn is None
    assert bts.code_nsf == "250" and bts.groupe_nsf is None
    assert Certification.objects.filter(groupe_nsf_id="311").exists()
    messages = [str(w) for w in report.warnings]
    assert any("certification 18817: CFD '32025001' is unknown" in m for m in messages)
    assert any("field 'Code_Nsf'" in m for m in messages)
    assert report.warning_count >= 3691


def test_certif_info_needs_the_bcn_first():
    report = run_dataset(CertifInfoDataset())
    assert report.status == "failed"
    assert "spro import bcn" in report.error


def test_certif_info_needs_the_rome_referential(minimal_nsf):
    report = run_dataset(CertifInfoDataset())
    assert report.status == "failed"
    assert "spro import rome" in report.error
    assert Certification.objects.count() == 0
