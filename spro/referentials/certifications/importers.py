"""Importers of the certification referentials: the Éducation nationale BCN nomenclatures and Certif Info.

Errors versus warnings:
- a malformed value (a CFD that is not 8 characters, a date that is not a date, a ROME code that is not a
  ROME code), a missing column, a duplicate key, a file in the wrong encoding: ImportFailure, nothing written;
- a link to a code that another file or referential does not know (a diploma's NSF group or level, a
  professional diploma's CFD, a certification's CFD or NSF group, a ROME v3 code absent from ROME 4.0):
  warning, the link is dropped (the raw code is kept on the record) and counted.
  The BCN files are separate extracts taken at different dates (SOURCE-bcn.md), so a level or NSF group
  unknown to the nomenclature files is a link between two releases, not an inconsistency inside one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Container
from typing import Any

from spro.core.codes import BCN_LEVEL, CFD, ROME
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
from spro.referentials.importing import Dataset, ImportContext, ImportFailure, Row
from spro.referentials.rome.models import FicheMetier

DIGITS = re.compile(r"^\d+$")
PROFESSIONAL_DIPLOMA_CODE = re.compile(r"^([0-9A-Z]{3})-?([0-9A-Z]{5}) ?([A-Z])?$")


def known_rome_codes(ctx: ImportContext) -> set[str]:
    """The fiche codes of the imported ROME 4.0: links to any other code are dropped with a warning."""
    codes = set(FicheMetier.objects.values_list("code_rome", flat=True))
    if not codes:
        raise ImportFailure(
            "the ROME 4.0 referential is empty: run `spro import rome` first", source=ctx.path("certifinfo")
        )
    return codes


def _digits(row: Row, column: str, what: str, *, required: bool = False, length: int | None = None) -> str:
    value = row.str(column, required=required)
    if value and (not DIGITS.match(value) or (length is not None and len(value) != length)):
        raise row.fail(column, f"not a valid {what}: {value!r}")
    return value


def _year(row: Row, column: str) -> int | None:
    value = row.int(column)
    if value is not None and not 1900 <= value <= 2100:
        raise row.fail(column, f"not a year: {value!r}")
    return value


def _unique(ctx: ImportContext, role: str, records: Container[Any], key: Any, row: Row, column: str) -> None:
    if key in records:
        raise row.fail(column, f"duplicate code {key!r} in {ctx.path(role).name}")


class NsfBcnDataset(Dataset):
    """NSF nomenclature, diploma levels and diplomas (CFD) of the Base Centrale des Nomenclatures."""

    name = "bcn"
    title = "Éducation nationale (BCN) : NSF, niveaux et diplômes (CFD), diplômes professionnels"
    folder = "certifications"
    files = {
        "formations": "nFormationDiplome_.csv.gz",
        "formations_v": "vFormationDiplome_.csv.gz",
        "niveaux": "nNiveauFormationDiplome_.csv",
        "groupes": "n_groupe_specialite_.csv",
        "domaines": "n_domaine_specialite_.csv",
        "categories": "n_categorie_specialite_.csv",
        "diplomes_pro": "diplomesProfessionnels.csv",
    }
    main_file = "formations"
    publisher = "Ministère de l'Éducation nationale (BCN)"
    licence = "Licence Ouverte 2.0"
    version = "extraits BCN 2024-2025 (N_FORMATION_DIPLOME 2025-09, V_FORMATION_DIPLOME 2025-05)"
    attribution = (
        "Ministère de l'Éducation nationale, Base Centrale des Nomenclatures (BCN), via le dépôt "
        "mission-apprentissage/tjp-pilotage ; liste des diplômes professionnels (Éducation nationale)"
    )

    def load(self, ctx: ImportContext) -> None:
        categories = self._categories(ctx)
        domaines = self._domaines(ctx, categories)
        groupes = self._groupes(ctx, domaines)
        niveaux = self._niveaux(ctx)
        diplomes = self._diplomes(ctx, groupes, niveaux)
        self._diplomes_professionnels(ctx, diplomes)

    def _categories(self, ctx: ImportContext) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "categories",
            delimiter=";",
            required_columns=("CATEGORIE_SPECIALITE", "LIBELLE_COURT", "LIBELLE_LONG"),
        ):
            code = _digits(row, "CATEGORIE_SPECIALITE", "NSF category code", required=True, length=1)
            _unique(ctx, "categories", records, code, row, "CATEGORIE_SPECIALITE")
            records[code] = {
                "libelle_court": row.str("LIBELLE_COURT", max_length=10),
                "libelle": row.str("LIBELLE_LONG", required=True, max_length=100),
            }
        ctx.sync(NsfCategorie, records, key="code", fields=["libelle_court", "libelle"])
        return set(records)

    def _domaines(self, ctx: ImportContext, categories: set[str]) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "domaines",
            delimiter=";",
            required_columns=("DOMAINE_SPECIALITE", "CATEGORIE_SPECIALITE", "LIBELLE_LONG"),
        ):
            code = _digits(row, "DOMAINE_SPECIALITE", "NSF domain code", required=True, length=2)
            _unique(ctx, "domaines", records, code, row, "DOMAINE_SPECIALITE")
            categorie = row.str("CATEGORIE_SPECIALITE", required=True)
            if categorie not in categories:
                raise row.fail("CATEGORIE_SPECIALITE", f"unknown NSF category {categorie!r}")
            records[code] = {
                "categorie_id": categorie,
                "libelle": row.str("LIBELLE_LONG", required=True, max_length=100),
            }
        ctx.sync(NsfDomaine, records, key="code", fields=["categorie_id", "libelle"])
        return set(records)

    def _groupes(self, ctx: ImportContext, domaines: set[str]) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "groupes",
            delimiter=";",
            required_columns=("GROUPE_SPECIALITE", "DOMAINE_SPECIALITE", "LIBELLE_LONG", "LIBELLE_STAT_33"),
        ):
            code = _digits(row, "GROUPE_SPECIALITE", "NSF group code", required=True, length=3)
            _unique(ctx, "groupes", records, code, row, "GROUPE_SPECIALITE")
            domaine = row.str("DOMAINE_SPECIALITE", required=True)
            if domaine not in domaines:
                raise row.fail("DOMAINE_SPECIALITE", f"unknown NSF domain {domaine!r}")
            records[code] = {
                "domaine_id": domaine,
                "libelle": row.str("LIBELLE_LONG", required=True, max_length=100),
                "libelle_court": row.str("LIBELLE_STAT_33", max_length=40),
            }
        ctx.sync(NsfGroupe, records, key="code", fields=["domaine_id", "libelle", "libelle_court"])
        return set(records)

    def _niveaux(self, ctx: ImportContext) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "niveaux",
            delimiter=";",
            required_columns=(
                "NIVEAU_FORMATION_DIPLOME",
                "NIVEAU_INTERMINISTERIEL",
                "LIBELLE_COURT",
                "LIBELLE_100",
                "DATE_OUVERTURE",
                "DATE_FERMETURE",
                "NIVEAU_QUALIFICATION_RNCP",
            ),
        ):
            code = row.match(
                "NIVEAU_FORMATION_DIPLOME",
                lambda v: BCN_LEVEL.match(v) is not None,
                "BCN level code",
                required=True,
            )
            _unique(ctx, "niveaux", records, code, row, "NIVEAU_FORMATION_DIPLOME")
            records[code] = {
                "niveau_interministeriel": row.str("NIVEAU_INTERMINISTERIEL", max_length=1),
                "libelle_court": row.str("LIBELLE_COURT", max_length=20),
                "libelle": row.str("LIBELLE_100", required=True, max_length=120),
                "niveau_rncp": row.str("NIVEAU_QUALIFICATION_RNCP", max_length=2),
                "date_ouverture": row.date("DATE_OUVERTURE"),
                "date_fermeture": row.date("DATE_FERMETURE"),
            }
        ctx.sync(
            NiveauFormation,
            records,
            key="code",
            fields=[
                "niveau_interministeriel",
                "libelle_court",
                "libelle",
                "niveau_rncp",
                "date_ouverture",
                "date_fermeture",
            ],
        )
        return set(records)

    _FORMATION_COLUMNS = (
        "FORMATION_DIPLOME",
        "NIVEAU_FORMATION_DIPLOME",
        "GROUPE_SPECIALITE",
        "LETTRE_SPECIALITE",
        "LIBELLE_COURT",
        "LIBELLE_STAT_33",
        "LIBELLE_LONG_200",
        "DATE_OUVERTURE",
        "DATE_FERMETURE",
        "DATE_PREMIERE_SESSION",
        "DATE_DERNIERE_SESSION",
        "NATURE_FORMATION_DIPLOME",
        "GESTIONNAIRE_FORMATION_DIPLOME",
        "CITE_DOMAINE_FORMATION",
        "NIVEAU_QUALIFICATION_RNCP",
    )
    _LINEAGE_COLUMNS = tuple(f"{kind}_DIPLOME_{i}" for kind in ("ANCIEN", "NOUVEAU") for i in range(1, 8))

    def _diplomes(self, ctx: ImportContext, groupes: set[str], niveaux: set[str]) -> set[str]:
        """V_FORMATION_DIPLOME (all diplomas, open or closed), overridden by the newer N_FORMATION_DIPLOME."""
        records: dict[str, dict] = {}
        rows: dict[str, Row] = {}
        for role, current in (("formations_v", False), ("formations", True)):
            seen: set[str] = set()
            required = self._FORMATION_COLUMNS + (self._LINEAGE_COLUMNS if current else ())
            for row in ctx.csv(role, delimiter=";", quoting=csv.QUOTE_NONE, required_columns=required):
                code = row.match(
                    "FORMATION_DIPLOME", lambda v: CFD.match(v) is not None, "CFD", required=True
                )
                _unique(ctx, role, seen, code, row, "FORMATION_DIPLOME")
                seen.add(code)
                record = self._diplome_record(row)
                if current:
                    record["anciens_diplomes"] = [v for c in self._LINEAGE_COLUMNS[:7] if (v := row.str(c))]
                    record["nouveaux_diplomes"] = [v for c in self._LINEAGE_COLUMNS[7:] if (v := row.str(c))]
                    record["dans_nomenclature_courante"] = True
                else:
                    record.update(anciens_diplomes=[], nouveaux_diplomes=[], dans_nomenclature_courante=False)
                records[code] = record
                rows[code] = row
        for code, record in records.items():
            row, niveau, groupe = rows[code], record["code_niveau"], record["code_groupe_nsf"]
            if niveau not in niveaux:
                ctx.warn(
                    f"diploma {code}: level {niveau!r} not in {ctx.path('niveaux').name}, link dropped",
                    row=row,
                    field="NIVEAU_FORMATION_DIPLOME",
                )
            if groupe and groupe not in groupes:
                ctx.warn(
                    f"diploma {code}: NSF group {groupe!r} not in {ctx.path('groupes').name}, link dropped",
                    row=row,
                    field="GROUPE_SPECIALITE",
                )
            record["niveau_id"] = niveau if niveau in niveaux else None
            record["groupe_nsf_id"] = groupe if groupe in groupes else None
        ctx.sync(
            DiplomeBcn,
            records,
            key="code",
            fields=[
                "code_niveau",
                "niveau_id",
                "code_groupe_nsf",
                "groupe_nsf_id",
                "lettre_specialite",
                "libelle_court",
                "libelle_stat",
                "libelle",
                "date_ouverture",
                "date_fermeture",
                "annee_premiere_session",
                "annee_derniere_session",
                "nature",
                "gestionnaire",
                "niveau_rncp",
                "cite_domaine",
                "anciens_diplomes",
                "nouveaux_diplomes",
                "dans_nomenclature_courante",
            ],
        )
        return set(records)

    def _diplome_record(self, row: Row) -> dict:
        return {
            "code_niveau": row.str("NIVEAU_FORMATION_DIPLOME", required=True, max_length=3),
            "code_groupe_nsf": _digits(row, "GROUPE_SPECIALITE", "NSF group code", length=3),
            "lettre_specialite": row.str("LETTRE_SPECIALITE", max_length=1),
            "libelle_court": row.str("LIBELLE_COURT", max_length=20),
            "libelle_stat": row.str("LIBELLE_STAT_33", max_length=40),
            "libelle": row.str("LIBELLE_LONG_200", required=True, max_length=250),
            "date_ouverture": row.date("DATE_OUVERTURE"),
            "date_fermeture": row.date("DATE_FERMETURE"),
            "annee_premiere_session": _year(row, "DATE_PREMIERE_SESSION"),
            "annee_derniere_session": _year(row, "DATE_DERNIERE_SESSION"),
            "nature": row.str("NATURE_FORMATION_DIPLOME", max_length=2),
            "gestionnaire": row.str("GESTIONNAIRE_FORMATION_DIPLOME", max_length=40),
            "niveau_rncp": row.str("NIVEAU_QUALIFICATION_RNCP", max_length=2),
            "cite_domaine": row.str("CITE_DOMAINE_FORMATION", max_length=4),
        }

    def _diplomes_professionnels(self, ctx: ImportContext, diplomes: set[str]) -> None:
        records: dict[tuple[str, int], dict] = {}
        for row in ctx.csv(
            "diplomes_pro",
            delimiter=";",
            required_columns=(
                "Commission professionnelle consultative",
                "Secteur",
                "Niveau",
                "Code diplôme",
                "Diplôme",
                "Intitulé de la spécialité (et options)",
                "Code RNCP",
                "Date de l'arrêté de création",
                "Première session",
                "Dernière session",
                "Commentaire",
                "Famille de métiers",
                "Session supplémentaire",
            ),
        ):
            code = row.str("Code diplôme", required=True, max_length=16)
            match = PROFESSIONAL_DIPLOMA_CODE.match(code)
            if match is None:
                raise row.fail("Code diplôme", f"not a diploma code (CFD such as '500-23118 U'): {code!r}")
            cfd = match.group(1) + match.group(2)
            premiere = _year(row, "Première session")
            if premiere is None:
                raise row.fail("Première session", "value is required")
            key = (code, premiere)
            if key in records:
                raise row.fail("Code diplôme", f"duplicate diploma {code!r} with first session {premiere}")
            if cfd not in diplomes:
                ctx.warn(
                    f"professional diploma {code!r}: CFD {cfd} is not in the BCN diploma files, link dropped",
                    row=row,
                    field="Code diplôme",
                )
            rncp = row.str("Code RNCP")
            if rncp and not DIGITS.match(rncp):
                ctx.warn(
                    f"professional diploma {code!r}: {rncp!r} is not an RNCP code, ignored",
                    row=row,
                    field="Code RNCP",
                )
                rncp = ""
            records[key] = {
                "code_cfd": cfd,
                "diplome_id": cfd if cfd in diplomes else None,
                "cpc": row.str("Commission professionnelle consultative", required=True, max_length=120),
                "secteur": row.str("Secteur", max_length=150),
                "niveau": row.str("Niveau", max_length=20),
                "type_diplome": row.str("Diplôme", required=True, max_length=60),
                "intitule": row.str("Intitulé de la spécialité (et options)", required=True, max_length=300),
                "code_rncp": rncp,
                "date_arrete_creation": row.date("Date de l'arrêté de création"),
                "annee_derniere_session": _year(row, "Dernière session"),
                "session_supplementaire": _year(row, "Session supplémentaire"),
                "commentaire": row.str("Commentaire"),
                "famille_metiers": row.str("Famille de métiers", max_length=200),
            }
        ctx.sync(
            DiplomeProfessionnel,
            records,
            key=("code_diplome", "annee_premiere_session"),
            fields=[
                "code_cfd",
                "diplome_id",
                "cpc",
                "secteur",
                "niveau",
                "type_diplome",
                "intitule",
                "code_rncp",
                "date_arrete_creation",
                "annee_derniere_session",
                "session_supplementaire",
                "commentaire",
                "famille_metiers",
            ],
        )


ACCESS = {"0": False, "1": True, "2": None}  # 2 = non renseigné
ACCESS_COLUMNS = {
    "acces_fi": "accessibilite_fi",
    "acces_ca": "accessibilite_ca",
    "acces_fc": "accessibilite_fc",
    "acces_cp": "accessibilite_cp",
    "acces_vae": "accessibilite_vae",
    "acces_ind": "accessibilite_ind",
}
ROME_COLUMNS = tuple(f"Code_Rome_{i}" for i in range(1, 6))
#: Values that may differ between the rows of one certification (the export is a join): accumulated.
MULTI_VALUED = {"codes_rs", "codes_ideo2", "codes_rome"}


class CertifInfoDataset(Dataset):
    """Certif Info: every certification with its RNCP/RS/CFD/NSF/Formacode codes and its ROME 4.0 links."""

    name = "certifinfo"
    title = "Certif Info : certifications (diplômes, titres, CQP, habilitations) et leurs liens ROME"
    folder = "certifications"
    files = {"certifinfo": "certif_info.csv.gz"}
    main_file = "certifinfo"
    depends_on = ("rome", "bcn")
    publisher = "Réseau des Carif-Oref (Certif Info)"
    licence = "Licence Ouverte 2.0 (à vérifier sur data.gouv.fr, cf. SOURCE)"
    version = "extrait juin 2024"
    attribution = "Certif Info, Réseau des Carif-Oref (certifinfo.org), extrait open data de juin 2024"

    REQUIRED_COLUMNS = (
        "Code_Diplome",
        "Libelle_Diplome",
        "Libelle_Type_Diplome",
        "Code_Niveau_Europeen",
        "Date_MaJ",
        "Code_FormaCode",
        "Libelle_FormaCode",
        *ROME_COLUMNS,
        "Code_Nsf",
        "Code_RNCP",
        "Code_RS",
        "Code_Scolarité",
        "valideur",
        "certificateur",
        "Annee_Premiere_Session",
        "Annee_Derniere_Session",
        "Code_Ancien_Diplome",
        "Intitulé_Ancien_Diplome",
        "Code_Ancien_RNCP",
        "Code_Ancien_Scolarité",
        "Etat",
        "Etat_Libelle",
        *ACCESS_COLUMNS.values(),
        "code_type_diplome",
        "codeIdeo2",
    )
    FIELDS = (
        "libelle",
        "type_libelle",
        "type_code",
        "niveau_europeen",
        "date_maj",
        "formacode",
        "formacode_libelle",
        "code_nsf",
        "groupe_nsf_id",
        "code_rncp",
        "code_rs",
        "codes_rs",
        "code_cfd",
        "diplome_bcn_id",
        "certificateur",
        "valideur",
        "annee_premiere_session",
        "annee_derniere_session",
        "etat",
        "etat_libelle",
        *ACCESS_COLUMNS,
        "code_ideo2",
        "codes_ideo2",
        "code_ancien_diplome",
        "intitule_ancien_diplome",
        "code_ancien_rncp",
        "code_ancien_cfd",
        "codes_rome",
    )

    def load(self, ctx: ImportContext) -> None:
        groupes = set(NsfGroupe.objects.values_list("code", flat=True))
        diplomes = set(DiplomeBcn.objects.values_list("code", flat=True))
        if not groupes:
            raise ImportFailure(
                "the NSF nomenclature is empty: run `spro import bcn` first", source=ctx.path("certifinfo")
            )
        known_rome = known_rome_codes(ctx)
        records: dict[str, dict] = {}
        first_row: dict[str, Row] = {}
        merged = 0
        for row in ctx.csv("certifinfo", delimiter=";", required_columns=self.REQUIRED_COLUMNS):
            record = self._record(row)
            code = row.str("Code_Diplome")
            current = records.get(code)
            if current is None:
                records[code] = record
                first_row[code] = row
                continue
            merged += 1
            for name in MULTI_VALUED:
                current[name].extend(v for v in record[name] if v not in current[name])
            conflicts = [
                name for name in record if name not in MULTI_VALUED and record[name] != current[name]
            ]
            if conflicts:
                ctx.warn(
                    f"certification {code}: repeated with other values for {', '.join(conflicts)} (line "
                    f"{first_row[code].line} kept)",
                    row=row,
                    field="Code_Diplome",
                )
        if merged:
            ctx.log(f"{merged} repeated rows merged (one row per RS code / Onisep id)")
        for code, record in records.items():
            row = first_row[code]
            nsf = record["code_nsf"]
            if nsf and nsf not in groupes:
                ctx.warn(
                    f"certification {code}: NSF group {nsf!r} is unknown to the BCN, link dropped",
                    row=row,
                    field="Code_Nsf",
                )
            record["groupe_nsf_id"] = nsf if nsf in groupes else None
            cfd = record["code_cfd"]
            if cfd and cfd not in diplomes:
                ctx.warn(
                    f"certification {code}: CFD {cfd!r} is unknown to the BCN, code kept without link",
                    row=row,
                    field="Code_Scolarité",
                )
            record["diplome_bcn_id"] = cfd if cfd in diplomes else None
            record["code_rs"] = record["codes_rs"][0] if record["codes_rs"] else ""
            record["code_ideo2"] = record["codes_ideo2"][0] if record["codes_ideo2"] else ""
        ctx.sync(Certification, records, key="code", fields=self.FIELDS)
        self._link_metiers(ctx, records, first_row, known_rome)

    def _record(self, row: Row) -> dict[str, Any]:
        _digits(row, "Code_Diplome", "Certif Info code", required=True)
        niveau = row.int("Code_Niveau_Europeen")
        if niveau is not None and not 1 <= niveau <= 8:
            raise row.fail("Code_Niveau_Europeen", f"not a European level (1 to 8): {niveau}")
        codes_rome = []
        for column in ROME_COLUMNS:
            value = row.match(column, lambda v: ROME.match(v) is not None, "ROME code")
            if value and value not in codes_rome:
                codes_rome.append(value)
        cfd = row.match("Code_Scolarité", lambda v: CFD.match(v) is not None, "CFD")
        rs = _digits(row, "Code_RS", "RS code")
        ideo2 = row.match(
            "codeIdeo2", lambda v: re.fullmatch(r"[A-Z]+\.\d+", v) is not None, "Onisep ideo2 id"
        )
        etat = row.int("Etat", required=True)
        if etat < 0:
            raise row.fail("Etat", f"not a state code: {etat}")
        record: dict[str, Any] = {
            "libelle": row.str("Libelle_Diplome", required=True, max_length=500),
            "type_libelle": row.str("Libelle_Type_Diplome", required=True, max_length=200),
            "type_code": _digits(row, "code_type_diplome", "diploma type code", required=True),
            "niveau_europeen": niveau,
            "date_maj": row.date("Date_MaJ", required=True, formats=("%d/%m/%Y",)),
            "formacode": _digits(row, "Code_FormaCode", "Formacode", length=5),
            "formacode_libelle": row.str("Libelle_FormaCode", max_length=200),
            "code_nsf": _digits(row, "Code_Nsf", "NSF code", length=3),
            "code_rncp": _digits(row, "Code_RNCP", "RNCP code"),
            "codes_rs": [rs] if rs else [],
            "code_cfd": cfd,
            "certificateur": row.str("certificateur"),
            "valideur": row.str("valideur"),
            "annee_premiere_session": _year(row, "Annee_Premiere_Session"),
            "annee_derniere_session": _year(row, "Annee_Derniere_Session"),
            "etat": etat,
            "etat_libelle": row.str("Etat_Libelle", required=True, max_length=80),
            "codes_ideo2": [ideo2] if ideo2 else [],
            "code_ancien_diplome": _digits(row, "Code_Ancien_Diplome", "Certif Info code"),
            "intitule_ancien_diplome": row.str("Intitulé_Ancien_Diplome", max_length=500),
            "code_ancien_rncp": _digits(row, "Code_Ancien_RNCP", "RNCP code"),
            "code_ancien_cfd": row.match("Code_Ancien_Scolarité", lambda v: CFD.match(v) is not None, "CFD"),
            "codes_rome": codes_rome,
        }
        for name, column in ACCESS_COLUMNS.items():
            record[name] = row.choice(column, ACCESS, required=True)
        return record

    def _link_metiers(
        self, ctx: ImportContext, records: dict[str, dict], first_row: dict[str, Row], known: set[str]
    ) -> None:
        """Certification → ROME 4.0 fiche links; a code absent from ROME 4.0 is a warning, link dropped."""
        links: dict[tuple[str, str], dict[str, int]] = {}
        for code, record in records.items():
            for rang, code_rome in enumerate(record["codes_rome"], start=1):
                if code_rome in known:
                    links[(code, code_rome)] = {"rang": rang}
                else:
                    ctx.reject(
                        CertificationMetier,
                        f"certification {code}: ROME code {code_rome!r} is not in ROME 4.0, link dropped",
                        row=first_row[code],
                        field=f"Code_Rome_{rang}",
                    )
        ctx.sync(
            CertificationMetier,
            links,
            key=("certification_id", "fiche_metier_id"),
            fields=["rang"],
            on_missing="delete",
        )


DATASETS = [NsfBcnDataset, CertifInfoDataset]
