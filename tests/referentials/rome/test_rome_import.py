"""The ROME 4.0 import: real counts, a known fiche, idempotence, release changes, blocking errors, admin.

The full release is imported once for the module (about 180,000 rows) and removed afterwards; each test runs
in its own transaction on top of it, so imports done inside a test are rolled back.
"""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from spro.referentials.importing import run_dataset
from spro.referentials.models import ImportRun
from spro.referentials.rome import models as rome
from spro.referentials.rome.importers import RomeDataset

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.DATA_DIR) / "rome_v4"

# Most dependent first: the order in which the module's data is removed at teardown.
MODELS_TO_CLEAN = [
    rome.FicheCompetence,
    rome.FicheSavoir,
    rome.FicheContexteTravail,
    rome.Mobilite,
    rome.FicheCentreInteret,
    rome.FicheSecteurActivite,
    rome.FicheSousSecteurActivite,
    rome.FicheTheme,
    rome.FicheSecteurNaf,
    rome.Appellation,
    rome.FicheMetier,
    rome.Competence,
    rome.Savoir,
    rome.ContexteTravail,
    rome.CentreInteret,
    rome.SousSecteurActivite,
    rome.SecteurActivite,
    rome.Theme,
    rome.SecteurNaf,
    rome.DomaineProfessionnel,
    rome.GrandDomaine,
]


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """The built-in release, imported once for this module."""
    with django_db_blocker.unblock():
        report = run_dataset(RomeDataset())
        assert report.status == "success", report.error
        yield report
        for model in MODELS_TO_CLEAN:
            model.objects.all()._raw_delete(model.objects.db)
        ImportRun.objects.filter(dataset="rome").delete()


def builtin(name: str) -> Path:
    return SOURCE / name if (SOURCE / name).exists() else SOURCE / f"{name}.gz"


def read_rows(name: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a built-in file (plain or gzip), by its official name."""
    path = builtin(name)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def read_header(name: str) -> list[str]:
    path = builtin(name)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def release_copy(
    tmp_path: Path, edits: dict[str, Callable[[list[str], list[list[str]]], list[list[str]]]]
) -> Path:
    """A folder with every official file; `edits` rewrites some of them (by official name, without .gz)."""
    folder = tmp_path / "rome"
    folder.mkdir()
    for name in RomeDataset.files.values():
        if name in edits:
            header, rows = read_rows(name)
            write_rows(folder / name, header, edits[name](header, rows))
        else:
            source = builtin(name)
            shutil.copyfile(source, folder / source.name)
    return folder


def source_count(name: str, **where: str) -> int:
    header, rows = read_rows(name)
    indexes = {header.index(column): value for column, value in where.items()}
    return sum(all(row[i] == value for i, value in indexes.items()) for row in rows)


def test_counts_match_the_source_files(imported):
    assert rome.GrandDomaine.objects.count() == 14
    assert rome.DomaineProfessionnel.objects.count() == 110
    assert rome.FicheMetier.objects.count() == 1584
    assert rome.Appellation.objects.count() == 13120
    assert rome.Appellation.objects.filter(classification="PRINCIPALE").count() == 1584
    assert rome.Competence.objects.count() == 18317
    assert rome.Competence.objects.filter(nature="MACRO").count() == 507
    assert rome.Savoir.objects.count() == 15354
    assert rome.ContexteTravail.objects.count() == 179
    assert rome.Mobilite.objects.count() == 14912

    liens = "unix_liens_rome_referentiels_v460_utf8.csv"
    assert (
        rome.FicheCompetence.objects.filter(rubrique=1).count()
        == 49440
        == source_count(liens, code_compo_bloc="5", code_rubrique="1")
    )
    assert rome.FicheCompetence.objects.filter(rubrique=2).count() == 5255
    assert (
        rome.FicheSavoir.objects.count()
        == 35861
        == source_count(liens, code_compo_bloc="5", code_rubrique="3")
    )
    assert rome.FicheContexteTravail.objects.count() == 13663 == source_count(liens, code_compo_bloc="6")
    principales = source_count("unix_coherence_item_v460_utf8.csv", coeur_metier="Principale")
    assert (
        (
            rome.FicheCompetence.objects.filter(coeur_metier=True).count()
            + rome.FicheSavoir.objects.filter(coeur_metier=True).count()
        )
        == principales
        == 18900
    )

    assert rome.CentreInteret.objects.count() == 30
    assert rome.FicheCentreInteret.objects.count() == 4444
    assert rome.FicheCentreInteret.objects.filter(principal=True).count() == 1584
    assert rome.SecteurActivite.objects.count() == 35
    assert rome.SousSecteurActivite.objects.count() == 40
    assert rome.FicheSecteurActivite.objects.filter(principal=True).count() == 1584
    assert rome.FicheSousSecteurActivite.objects.count() == 1447
    assert rome.Theme.objects.count() == 17
    assert rome.FicheTheme.objects.count() == 1348
    assert rome.SecteurNaf.objects.count() == 89
    assert rome.FicheSecteurNaf.objects.count() == 2920
    assert imported.warning_count == 0


def test_known_fiche_has_texts_riasec_parent_and_mobilites(imported):
    fiche = rome.FicheMetier.objects.select_related("domaine_professionnel__grand_domaine").get(pk="M1805")
    assert fiche.libelle == "Développeur / Développeuse informatique"
    assert fiche.domaine_professionnel_id == "M18"
    assert fiche.domaine_professionnel.grand_domaine_id == "M"
    assert (fiche.riasec_majeur, fiche.riasec_mineur) == ("I", "C")
    assert fiche.parent is None and fiche.fiche_parente == fiche
    phrases = fiche.definition_phrases
    assert phrases[0] == (
        "Le / La Développeur(se) informatique conçoit et améliore des systèmes informatiques."
    )
    assert "Participe à l'analyse des besoins des clients et propose des solutions techniques adaptées" in (
        phrases
    )
    assert len(phrases) == 7 and "''" not in fiche.definition
    assert fiche.acces_metier.startswith("Cet emploi est accessible avec un niveau Bac+2 à Bac+5")
    cibles = list(fiche.liens_mobilites.order_by("numero_ordre").values_list("fiche_cible_id", flat=True))
    assert cibles[:3] == ["M1802", "M1803", "M1810"] and len(cibles) == 10
    assert fiche.competences.count() == 25 and fiche.savoirs.count() == 33 and fiche.contextes.count() == 7
    assert fiche.est_transition_numerique and fiche.emploi_cadre is True

    infirmier = rome.FicheMetier.objects.get(pk="J1506")
    assert infirmier.acces_metier_phrases == [
        "Cet emploi est accessible avec un Diplôme d'Etat d'Infirmier, obligatoire pour exercer.",
        "Celui-ci peut être complété par le Certificat de capacité de prélèvements sanguins et l'AFGSU "
        "niveau 2.",
    ]
    assert infirmier.riasec_majeur == "S"
    assert infirmier.appellations.filter(classification="PRINCIPALE").get().libelle_long == infirmier.libelle

    child = rome.FicheMetier.objects.get(pk="A1102")
    assert child.parent_id == "A1101"
    assert child.transition_eco == "Emploi stratégique pour la Transition écologique"
    assert child.est_transition_ecologique
    macro = rome.Competence.objects.get(pk="118069")
    assert macro.nature == "MACRO" and (macro.riasec_majeur, macro.riasec_mineur) == ("C", "S")
    assert rome.Competence.objects.get(pk="100023").macro_competence_id == "300230"


def test_second_import_changes_nothing(imported):
    second = run_dataset(RomeDataset())
    assert second.status == "success", second.error
    assert second.totals.changes == 0
    assert second.totals.unchanged == imported.totals.created > 180000


def removable_fiche() -> str:
    """A fiche that no other fiche or appellation names as its parent (so that it can vanish cleanly)."""
    _, fiches = read_rows("unix_referentiel_code_rome_v460_utf8.csv")
    header, appellations = read_rows("unix_referentiel_appellation_v460_utf8.csv")
    rome_at, parent_at = header.index("code_rome"), header.index("code_rome_parent")
    parents = {row[9] for row in fiches if row[9] != row[0]}
    parents |= {row[parent_at] for row in appellations if row[parent_at] != row[rome_at]}
    return next(row[0] for row in fiches if row[0] not in parents and row[0] != "M1805")


def without_fiche(code: str) -> Callable[[list[str], list[list[str]]], list[list[str]]]:
    def edit(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        columns = [
            i for i, name in enumerate(header) if name in ("code_rome", "code_rome_cible", "code_rome_parent")
        ]
        return [row for row in rows if all(row[i] != code for i in columns)]

    return edit


def test_newer_release_renames_in_place_and_retires_vanished_fiche(imported, tmp_path):
    gone = removable_fiche()
    gone_appellations = set(rome.Appellation.objects.filter(fiche_id=gone).values_list("pk", flat=True))
    kept_mobilites = (
        rome.Mobilite.objects.filter(fiche_source_id="M1805").exclude(fiche_cible_id=gone).count()
    )
    assert gone_appellations
    names = {name for name in RomeDataset.files.values() if "code_rome" in read_header(name)}
    edits = {name: without_fiche(gone) for name in names}
    remove_from_fiches = edits["unix_referentiel_code_rome_v460_utf8.csv"]

    def rename_and_remove(header, rows):
        rows = remove_from_fiches(header, rows)
        for row in rows:
            if row[0] == "M1805":
                row[3] = "Développeur / Développeuse logiciel"
        return rows

    edits["unix_referentiel_code_rome_v460_utf8.csv"] = rename_and_remove
    folder = release_copy(tmp_path, edits)

    report = run_dataset(RomeDataset(), path=folder)

    assert report.status == "success", report.error
    counts = {item.label: item.counts for item in report.models}
    assert counts["rome.FicheMetier"].updated == 1 and counts["rome.FicheMetier"].retired == 1
    assert counts["rome.Appellation"].retired == len(gone_appellations)
    renamed = rome.FicheMetier.objects.get(pk="M1805")
    assert renamed.libelle == "Développeur / Développeuse logiciel"
    assert renamed.appellations.count() == 16 and renamed.liens_mobilites.count() == kept_mobilites
    vanished = rome.FicheMetier.objects.get(pk=gone)
    assert vanished.is_active is False
    assert not rome.Appellation.objects.filter(pk__in=gone_appellations, is_active=True).exists()
    assert not rome.FicheCompetence.objects.filter(fiche_id=gone).exists()
    assert not rome.Mobilite.objects.filter(fiche_cible_id=gone).exists()
    assert rome.FicheMetier.objects.filter(is_active=True).count() == 1583


def test_appellation_of_unknown_fiche_is_blocking_and_writes_nothing(imported, tmp_path):
    def rename(header, rows):
        for row in rows:
            if row[0] == "M1805":
                row[3] = "Libellé qui ne doit pas être écrit"
        return rows

    def orphan_appellation(header, rows):
        orphan = list(rows[0])
        orphan[0], orphan[header.index("code_rome")] = "999999", "M9999"
        return [orphan, *rows]

    folder = release_copy(
        tmp_path,
        {
            "unix_referentiel_code_rome_v460_utf8.csv": rename,
            "unix_referentiel_appellation_v460_utf8.csv": orphan_appellation,
        },
    )
    runs = ImportRun.objects.count()

    report = run_dataset(RomeDataset(), path=folder)

    assert report.status == "failed"
    assert report.error == (
        "unix_referentiel_appellation_v460_utf8.csv, line 2, field 'code_rome': "
        "fiche 'M9999' is not in unix_referentiel_code_rome_v460_utf8.csv"
    )
    assert rome.FicheMetier.objects.get(pk="M1805").libelle == "Développeur / Développeuse informatique"
    assert not rome.Appellation.objects.filter(pk="999999").exists()
    assert ImportRun.objects.count() == runs + 1 and ImportRun.objects.latest("id").status == "failed"
    with pytest.raises(CommandError, match="line 2, field 'code_rome'"):
        call_command("import", "rome", str(folder), "--no-progress", stdout=StringIO(), stderr=StringIO())


def test_mobilite_towards_unknown_fiche_is_blocking(imported, tmp_path):
    def unknown_target(header, rows):
        rows[4][1] = "Z0000"
        return rows

    folder = release_copy(tmp_path, {"unix_rubrique_mobilite_v460_utf8.csv": unknown_target})
    report = run_dataset(RomeDataset(), path=folder)
    assert report.status == "failed"
    assert report.error.startswith(
        "unix_rubrique_mobilite_v460_utf8.csv, line 6, field 'code_rome_cible': fiche 'Z0000' is not in"
    )


def test_admin_changelist_renders_read_only(imported, admin_client):
    response = admin_client.get("/admin/rome/fichemetier/", {"q": "infirmier"})
    assert response.status_code == 200
    assert "J1506" in response.content.decode()
    assert admin_client.get("/admin/rome/fichemetier/M1805/change/").status_code == 200
    assert admin_client.get("/admin/rome/competence/").status_code == 200
    assert admin_client.get("/admin/rome/appellation/", {"q": "développeur"}).status_code == 200
    assert admin_client.get("/admin/rome/fichemetier/add/").status_code == 403

    request = RequestFactory().get("/admin/rome/fichemetier/")
    request.user = response.wsgi_request.user
    assert site._registry[rome.FicheMetier].has_add_permission(request) is False
    assert site._registry[rome.FicheMetier].has_delete_permission(request) is False
