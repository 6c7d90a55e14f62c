"""The BCN and Certif Info imports on the built-in files: real counts, a known BTS, links and idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from spro.referentials.certifications.importers import CertifInfoDataset, NsfBcnDataset
from spro.referentials.certifications.models import (
    Certification,
    CertificationMetier,
    DiplomeBcn,
    DiplomeProfessionnel,
    NiveauFormation,
    NsfCategorie,
    NsfDomaine,
    NsfGroupe,
)
from spro.referentials.importing import run_dataset

pytestmark = pytest.mark.django_db


def counts_of(report, model) -> dict[str, int]:
    return next(item.counts for item in report.models if item.label == model._meta.label).as_dict()


def test_bcn_nomenclatures_match_the_files(imported):
    assert NsfCategorie.objects.count() == 5
    assert NsfDomaine.objects.count() == 22
    assert NsfGroupe.objects.count() == 115
    assert NiveauFormation.objects.count() == 212
    groupe = NsfGroupe.objects.select_related("domaine__categorie").get(code="311")
    assert groupe.domaine.code == "31" and groupe.domaine.categorie.code == "3"
    assert NiveauFormation.objects.get(code="320").niveau_rncp == "05"


def test_bcn_diplomas_are_the_union_of_current_and_closed(imported):
    # 4 023 in N_FORMATION_DIPLOME, 11 261 in V_FORMATION_DIPLOME, 11 270 distinct CFD.
    assert DiplomeBcn.objects.count() == 11270
    assert DiplomeBcn.objects.filter(dans_nomenclature_courante=True).count() == 4023
    assert DiplomeBcn.objects.filter(groupe_nsf__isnull=True).count() == 0
    # Two diplomas name a level that nNiveauFormationDiplome_ does not hold: warned, raw code kept.
    orphan = DiplomeBcn.objects.get(code="25322101")
    assert orphan.niveau is None and orphan.code_niveau == "253"
    report = imported["bcn"]
    assert report.warning_count == 4
    assert counts_of(report, DiplomeBcn)["created"] == 11270


def test_open_and_closed_diplomas_are_told_apart_by_the_closing_date(imported):
    mc = DiplomeBcn.objects.get(code="01022001")  # MC agent de contrôle non destructif, closed 31/08/2024
    assert mc.date_fermeture == dt.date(2024, 8, 31)
    assert not mc.is_open
    assert not DiplomeBcn.objects.ouverts().filter(code="01022001").exists()
    assert DiplomeBcn.objects.ouverts(on=dt.date(2024, 8, 31)).filter(code="01022001").exists()
    bts = DiplomeBcn.objects.select_related("niveau", "groupe_nsf").get(code="32025001")
    assert bts.libelle_court == "BTS" and bts.niveau.code == "320" and bts.groupe_nsf.code == "250"
    assert bts.is_open


def test_professional_diplomas_are_attached_to_their_cfd(imported):
    assert DiplomeProfessionnel.objects.count() == 577
    assert DiplomeProfessionnel.objects.filter(diplome__isnull=True).count() == 1  # 450-22517 S, not in BCN
    cap = DiplomeProfessionnel.objects.get(code_diplome="400-31107 T", annee_premiere_session=2013)
    assert cap.diplome_id == "40031107"
    assert cap.code_rncp == "16770" and cap.cpc == "CPC Mobilité et logistique"
    # One code, two versions (renovation): both kept, keyed by the first session.
    assert DiplomeProfessionnel.objects.filter(code_diplome="500-23118 U").count() == 2


def test_certif_info_holds_9923_certifications_in_10067_rows(imported):
    # The export repeats a certification once per RS code / Onisep id: 144 rows are repeats.
    assert Certification.objects.count() == 9923
    assert counts_of(imported["certifinfo"], Certification)["created"] == 9923
    assert Certification.objects.filter(code_rncp__gt="").count() == 5273
    assert Certification.objects.filter(diplome_bcn__isnull=False).count() == 3691
    assert Certification.objects.filter(code_cfd__gt="", diplome_bcn__isnull=True).count() == 0
    assert Certification.objects.filter(groupe_nsf__isnull=False).count() == 8271
    several_rs = Certification.objects.get(code="112319")
    assert several_rs.codes_rs == ["5506", "6340"] and several_rs.code_rs == "5506"
    several_ideo = Certification.objects.get(code="12691")  # 5 rows, one per Onisep id
    assert len(several_ideo.codes_ideo2) == 5 and several_ideo.code_ideo2 == "FOR.5332"


def test_known_bts_has_its_fields(imported):
    bts = Certification.objects.select_related("diplome_bcn", "groupe_nsf").get(code="18817")
    assert bts.libelle == "BTS assistance technique d'ingénieur"
    assert bts.type_libelle == "Brevet de technicien supérieur" and bts.type_code == "320"
    assert bts.niveau_europeen == 5
    assert bts.date_maj == dt.date(2024, 3, 12)
    assert (bts.formacode, bts.formacode_libelle) == ("35008", "Secrétariat assistanat ingénieur")
    assert bts.groupe_nsf.code == "250"
    assert bts.code_rncp == "37561" and bts.code_rs == "" and bts.codes_rs == []
    assert bts.code_cfd == "32025001" and bts.diplome_bcn.libelle_court == "BTS"
    assert bts.valideur.startswith("Ministère de l'éducation nationale")
    assert bts.annee_premiere_session == 1999 and bts.annee_derniere_session is None
    assert (bts.etat, bts.etat_libelle) == (0, "Publié")
    assert all(getattr(bts, f"acces_{mode}") is True for mode in ("fi", "ca", "fc", "cp", "vae", "ind"))
    assert bts.code_ideo2 == "FOR.273"
    assert (bts.code_ancien_diplome, bts.code_ancien_cfd) == ("18818", "32025002")
    assert bts.codes_rome == ["M1605"]


def test_rome_links_keep_only_rome_4_codes(imported):
    report = imported["certifinfo"]
    links = counts_of(report, CertificationMetier)
    # 17 573 distinct (certification, ROME code) pairs: 17 497 in ROME 4.0, 76 not (e.g. M1700, K2500).
    assert links["created"] == 17497 and links["rejected"] == 76
    assert CertificationMetier.objects.count() == 17497
    assert report.warning_count == 76
    assert any("'M1700' is not in ROME 4.0" in str(w) for w in report.warnings)
    bts = Certification.objects.get(code="18817")
    assert list(bts.liens_metiers.values_list("rang", "fiche_metier_id")) == [(1, "M1605")]
    # The raw list keeps what was dropped: M1700 (a ROME v3 domain code, no fiche in ROME 4.0).
    purpan = Certification.objects.get(code="62774")
    assert purpan.codes_rome == ["A1303", "H1206", "H1302", "H2502", "M1700"]
    assert list(purpan.liens_metiers.values_list("fiche_metier_id", flat=True)) == [
        "A1303",
        "H1206",
        "H1302",
        "H2502",
    ]
    assert not CertificationMetier.objects.filter(fiche_metier_id="M1700").exists()


def test_unknown_accessibility_is_null(imported):
    habilitation = Certification.objects.get(code="23714")  # accessibilité 1;2;2;2;0;2
    assert habilitation.acces_fi is True and habilitation.acces_vae is False
    assert habilitation.acces_ca is None and habilitation.acces_ind is None


def test_second_import_changes_nothing(imported):
    for dataset in (NsfBcnDataset(), CertifInfoDataset()):
        report = run_dataset(dataset)
        assert report.status == "success", report.error
        assert report.totals.changes == 0, [(m.label, m.counts.as_dict()) for m in report.models]
    assert report.totals.unchanged >= 9923


@pytest.mark.filterwarnings(
    "ignore:No directory at:UserWarning"
)  # whitenoise, when static files are not built
def test_admin_is_read_only(imported, admin_client):
    for model in (NsfGroupe, DiplomeBcn, DiplomeProfessionnel, NiveauFormation, Certification):
        changelist = reverse(f"admin:certifications_{model._meta.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200
        assert (
            admin_client.get(reverse(f"admin:certifications_{model._meta.model_name}_add")).status_code == 403
        )
    assert (
        admin_client.get(reverse("admin:certifications_diplomebcn_changelist") + "?ouvert=1").status_code
        == 200
    )
    certification = admin_client.get(reverse("admin:certifications_certification_change", args=["18817"]))
    assert certification.status_code == 200 and b"M1605" in certification.content
    url = reverse("admin:certifications_nsfgroupe_change", args=["311"])
    page = admin_client.get(url)
    assert page.status_code == 200 and b'name="libelle"' not in page.content
    admin_client.post(url, {"libelle": "changé", "domaine": "31"})
    assert NsfGroupe.objects.get(code="311").libelle != "changé"
    delete = reverse("admin:certifications_nsfgroupe_delete", args=["311"])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert NsfGroupe.objects.filter(code="311").exists()
