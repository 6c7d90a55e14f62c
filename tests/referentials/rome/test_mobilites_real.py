"""Mobilités on the real ROME 4.0 v460 files (data/rome_v4): the import keeps every row of
unix_rubrique_mobilite, and Karim's parcours (cariste, N1101, wants no loads) is computed from them."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

from spro.referentials.importing import run_dataset
from spro.referentials.models import ImportRun
from spro.referentials.rome import models as rome
from spro.referentials.rome.importers import RomeDataset
from spro.referentials.rome.mobilites import parcours
from tests.referentials.rome.test_rome_import import MODELS_TO_CLEAN

SOURCE = Path(settings.DATA_DIR) / "rome_v4"
pytestmark = pytest.mark.django_db

CHARGES = "300795"  # « Port et manipulation de charges lourdes ou encombrantes » (type 1)


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        report = run_dataset(RomeDataset())
        assert report.status == "success", report.error
        yield report
        for model in MODELS_TO_CLEAN:
            model.objects.all()._raw_delete(model.objects.db)
        ImportRun.objects.filter(dataset="rome").delete()


@pytest.fixture(scope="module")
def source_rows() -> list[dict[str, str]]:
    with gzip.open(SOURCE / "unix_rubrique_mobilite_v460_utf8.csv.gz", "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_mobilite_row_is_imported_with_its_rank(imported, source_rows, django_db_blocker):
    with django_db_blocker.unblock():
        stored = set(rome.Mobilite.objects.values_list("fiche_source_id", "fiche_cible_id", "numero_ordre"))
    # The file's only columns: v4.60 has no proche/évolution type, no conditions, no appellation-level link.
    assert list(source_rows[0]) == ["code_rome", "code_rome_cible", "numero_ordre"]
    assert len(source_rows) == len(stored) == 14912
    assert stored == {(r["code_rome"], r["code_rome_cible"], int(r["numero_ordre"])) for r in source_rows}
    by_source: dict[str, list[int]] = defaultdict(list)
    for source, _, ordre in stored:
        by_source[source].append(ordre)
    assert len(by_source) == 1584  # every fiche has mobilités
    assert all(sorted(ranks) == list(range(1, len(ranks) + 1)) for ranks in by_source.values())
    assert not any(source == cible for source, cible, _ in stored)


def test_one_and_two_steps_from_the_developer_fiche(imported, source_rows, django_db_blocker):
    with django_db_blocker.unblock():
        found = parcours("M1805", pas=2)
    first = sorted(
        (int(r["numero_ordre"]), r["code_rome_cible"]) for r in source_rows if r["code_rome"] == "M1805"
    )
    assert [c.code_rome for c in found.par_pas(1)] == [code for _, code in first]
    one = {code for _, code in first}
    second = {r["code_rome_cible"] for r in source_rows if r["code_rome"] in one} - one - {"M1805"}
    assert {c.code_rome for c in found.par_pas(2)} == second
    assert all(c.via and all(e.code_rome in one for e in c.via) for c in found.par_pas(2))


def test_karim_cariste_without_loads(imported, django_db_blocker):
    """Karim, 42, cariste with back pain: métiers reachable from his experience that do not carry loads."""
    with django_db_blocker.unblock():
        cariste = rome.FicheMetier.objects.get(pk="N1101")
        assert cariste.libelle == "Cariste"
        assert cariste.contextes.filter(pk=CHARGES).exists()
        everything = parcours("N1101", pas=2)
        found = parcours("N1101", pas=2, sans_contextes=[CHARGES])
        with_loads = set(
            rome.FicheContexteTravail.objects.filter(contexte_id=CHARGES).values_list("fiche_id", flat=True)
        )
    # Without the filter, most of his direct moves carry loads (préparateur de commandes, manutentionnaire…).
    direct = [c.code_rome for c in everything.par_pas(1)]
    assert len(direct) == 10 and len(set(direct) & with_loads) == 8
    # With it: Aiguilleur du rail and Grutier directly, then through them (transport, training, fibre optics…).
    assert [c.code_rome for c in found.par_pas(1)] == ["N4401", "F1301"]
    two = {c.code_rome for c in found.par_pas(2)}
    assert {
        "N4301",
        "N4203",
        "K2111",
        "I1315",
    } <= two  # conducteur de train, exploitation transport, formateur…
    assert not ({c.code_rome for c in found.cibles} & with_loads)
    assert all(e.code_rome in {"N4401", "F1301"} for c in found.par_pas(2) for e in c.via)
    # Not a word match: no target shares a word with « Cariste », each comes from ROME's mobilités.
    assert not any("cariste" in c.libelle.casefold() for c in found.cibles)
    train = next(c for c in found.cibles if c.code_rome == "N4301")
    assert train.a_acquerir and train.a_acquerir[0].coeur_metier
    assert found.ecartees > 0
