"""The four formation datasets imported from the built-in official files: counts, known records, idempotence.

The geography and the four datasets are imported once for the module inside a transaction that is rolled back
at the end (like Django's setUpTestData), so each test reads the same data without re-importing it.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from spro.referentials.formations.importers import (
    LyceesDataset,
    MasterDataset,
    OnisepDataset,
    ParcoursupDataset,
    parcoursup_id,
)
from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, Lycee, MentionMaster
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.importing import run_dataset
from tests.conftest import settle_deferred_constraints

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DATA = Path(settings.DATA_DIR) / "formations"
DATASETS = (OnisepDataset, ParcoursupDataset, MasterDataset, LyceesDataset)


def source_rows(name: str) -> int:
    with gzip.open(DATA / name, "rt", encoding="utf-8-sig", newline="") as handle:
        delimiter = ";" if ";" in handle.readline() and not name.startswith(("parcoursup", "lycees")) else ","
        handle.seek(0)
        return sum(1 for _ in csv.reader(handle, delimiter=delimiter)) - 1


class Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                geo = run_dataset(GeoDataset())
                assert geo.status == "success", geo.error
                reports = {cls.name: run_dataset(cls()) for cls in DATASETS}
                settle_deferred_constraints()
                yield reports
                raise Rollback
        except Rollback:
            pass


def test_every_dataset_imports_successfully(reports):
    for name, report in reports.items():
        assert report.status == "success", (name, report.error)


def test_onisep_keeps_every_row_of_the_source(reports):
    assert source_rows("ideo-formations_initiales_en_france.csv.gz") == 6086
    assert FormationOnisep.objects.filter(is_active=True).count() == 6086
    assert reports["onisep"].totals.rejected == 0
    assert FormationOnisep.objects.exclude(code_rncp="").count() == 2993


def test_a_known_bts_has_its_rncp_code_level_and_domains(reports):
    bts = FormationOnisep.objects.get(id="FOR.6177")
    assert bts.libelle == "BTS Europlastics et composites option conception outillage"
    assert bts.type_sigle == "BTS"
    assert bts.type_libelle == "brevet de technicien supérieur"
    assert bts.code_rncp == "35333"
    assert bts.niveau_rncp_libelle == "niveau 5 (bac + 2)"
    assert bts.niveau_europeen == 5
    assert bts.duree == "2 ans"
    assert bts.url.endswith("/FOR.6177")
    assert {"domaine": "mécanique", "sous_domaine": "mécanique (généralités)"} in bts.domaines
    assert len(bts.domaines) == 3


def test_parcoursup_rows_are_all_accounted_for(reports):
    assert source_rows("parcoursup_formations_gps.csv.gz") == 14252
    assert FormationParcoursup.objects.count() == 13011
    # 1 241 rows share UAI + filière with an earlier row: merged, and counted on the kept record.
    assert sum(FormationParcoursup.objects.values_list("nb_lignes_source", flat=True)) == 14252
    assert FormationParcoursup.objects.filter(latitude__isnull=True).count() == 38
    assert any("1241 rows merged" in str(w) for w in reports["parcoursup"].warnings)


def test_a_known_parcoursup_formation_has_its_coordinates(reports):
    formation = FormationParcoursup.objects.get(id=parcoursup_id("0492433D", "Licence   Musicologie"))
    assert formation.uai == "0492433D"
    assert formation.filiere == "Licence Musicologie"
    assert formation.type_formation == "Licence"
    assert formation.statut == "Prive enseignement superieur"
    assert formation.region == "Pays de la Loire"
    assert (formation.latitude, formation.longitude) == (47.4631, -0.54678)
    assert formation.nb_lignes_source == 1


def test_master_keeps_the_latest_campaign_of_each_mention(reports):
    assert source_rows("fr-esr-tmm-mentions-de-master_2019-2021.csv.gz") == 10579
    assert MentionMaster.objects.count() == 4113
    assert sum(len(c) for c in MentionMaster.objects.values_list("campagnes", flat=True)) == 10579
    assert MentionMaster.objects.filter(campagne=2021).count() == 3584
    mention = MentionMaster.objects.select_related("commune").get(id="1800611Q-0062126D")
    assert mention.intitule == "Contrôle de gestion et audit organisationnel"
    assert mention.campagne == max(mention.campagnes)
    assert mention.campagnes == [2019, 2020]
    # The latest campaign's spelling is kept (2020 « Universié … », 2019 « COMUE Université … »).
    assert mention.etablissement == "Universié Côte d'Azur"
    # In 2021 the mention moved to the new university's UAI: another (INM, UAI) key, hence another record.
    assert MentionMaster.objects.get(id="1800611Q-0062205P").campagnes == [2021]
    assert mention.commune.nom == "Nice"
    assert "Formation initiale" in mention.modalites


def test_master_links_most_establishments_to_their_commune(reports):
    assert MentionMaster.objects.filter(commune__isnull=False).count() == 3964
    assert MentionMaster.objects.filter(ville="PARIS CEDEX 05", commune__nom__startswith="Paris").exists()


def test_lycees_counts_and_rejections_add_up_to_the_source(reports):
    assert source_rows("lycees.csv.gz") == 5418
    report = reports["lycees"]
    assert Lycee.objects.count() == 5150
    # 236 codes that are not UAI, 31 lower-case duplicates, 1 « candidat libre »
    assert report.totals.rejected == 268
    assert Lycee.objects.count() + report.totals.rejected == 5418


def test_lycees_get_their_real_departement_and_commune(reports):
    # The source lost the leading zero of the postal code (01011 → 1011) and derived département 10 from it.
    lalande = Lycee.objects.select_related("departement", "commune").get(uai="0010013J")
    assert lalande.code_postal == "01011"
    assert lalande.departement.code == "01"
    assert lalande.commune.nom == "Bourg-en-Bresse"
    assert lalande.region == "Auvergne-Rhône-Alpes"
    french = Lycee.objects.filter(pays="FR")
    assert french.count() == 5143
    assert french.filter(commune__isnull=False).count() == 5080
    assert french.filter(departement__isnull=True).count() == 3  # Monaco's lycées (UAI 138…)
    assert Lycee.objects.get(uai="0750428H").commune_id == "75105"  # Paris 5e arrondissement


def test_second_import_changes_nothing(reports):
    for cls in DATASETS:
        again = run_dataset(cls())
        assert again.status == "success", again.error
        assert again.totals.changes == 0, (cls.name, again.totals)
