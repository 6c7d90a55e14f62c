"""Importers of the labour-market referentials: tension (France Travail), ESCO/ISCO-08, INSEE unemployment."""

from __future__ import annotations

import re
from collections import Counter

from django.apps import apps
from django.db.models import Q

from spro.core import codes
from spro.referentials.geo.models import BassinEmploi, Departement, Region
from spro.referentials.importing import Dataset, ImportContext, ImportFailure
from spro.referentials.labour.models import EscoOccupation, IscoGroup, TensionIndicator, UnemploymentRate

ESCO_OCCUPATION_URI = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")
YEAR = re.compile(r"^(19|20)\d{2}$")


def known_rome_codes() -> set[str] | None:
    """ROME 4.0 codes known to the rome app, or None while that app has no FicheMetier model (yet)."""
    try:
        model = apps.get_model("rome", "FicheMetier")
    except LookupError:
        return None
    return set(model._default_manager.values_list("pk", flat=True))


def bassin_code(value: str) -> str:
    """The tension file drops the leading zero of overseas bassins ('101'); the BMO zoning writes '0101'."""
    return value.zfill(4)


class TensionDataset(Dataset):
    name = "tension"
    title = "Tension du marché du travail par métier (ROME v3) et bassin d'emploi BMO"
    folder = "labour"
    files = {"tension": "tension_rome_bassin_2020.csv.gz"}
    main_file = "tension"
    depends_on = ("geo", "rome")
    publisher = "France Travail (service Mobiville), statistiques France Travail / Dares"
    licence = "Licence Ouverte 2.0"
    version = "2020 (codes ROME v3, bassins d'emploi BMO 2019; dépôt France-Travail/mobiville 9e800d2)"
    attribution = "France Travail (Mobiville), données 2019–2020"

    COLUMNS = ("annee", "ROME", "rome_label", "cbassin", "oee", "defm_abc", "ind_tension_d")

    def load(self, ctx: ImportContext) -> None:
        bassins = set(BassinEmploi.objects.values_list("code", flat=True))
        rome_codes = known_rome_codes()
        records: dict[tuple[int, str, str], dict] = {}
        unknown_rome: Counter[str] = Counter()
        for row in ctx.csv("tension", delimiter=";", required_columns=self.COLUMNS):
            annee = int(row.match("annee", YEAR.match, "year", required=True))
            code_rome = row.match("ROME", codes.ROME.match, "ROME code", required=True)
            bassin = bassin_code(row.match("cbassin", str.isdigit, "bassin code", required=True))
            indicateur = row.int("ind_tension_d", required=True)
            if not 1 <= indicateur <= 5:
                raise row.fail("ind_tension_d", f"tension indicator out of range 1–5: {indicateur}")
            offres = row.int("oee", required=True)
            demandeurs = row.int("defm_abc", required=True)
            for column, value in (("oee", offres), ("defm_abc", demandeurs)):
                if value < 0:
                    raise row.fail(column, f"negative count: {value}")
            key = (annee, code_rome, bassin)
            if key in records:
                raise row.fail("ROME", f"duplicate record for {code_rome} in bassin {bassin} ({annee})")
            if bassin not in bassins:
                ctx.reject(
                    TensionIndicator,
                    f"unknown bassin d'emploi {bassin!r} (not in the BMO 2019 zoning)",
                    row=row,
                    field="cbassin",
                )
                continue
            fiche = code_rome if rome_codes is not None and code_rome in rome_codes else None
            if fiche is None:
                unknown_rome[code_rome] += 1
            records[key] = {
                "libelle_rome": row.str("rome_label", required=True, max_length=200),
                "fiche_metier_id": fiche,
                "offres": offres,
                "demandeurs": demandeurs,
                "indicateur": indicateur,
            }
        if rome_codes is None or not rome_codes:
            ctx.warn(
                "the ROME 4.0 referential is not imported: no tension row is linked to a fiche métier "
                "(import 'rome', then re-import 'tension')",
                source=ctx.path("tension"),
                field="ROME",
            )
        for code, count in sorted(unknown_rome.items()):
            if rome_codes:
                ctx.warn(
                    f"ROME v3 code {code!r} is not in ROME 4.0: {count} row(s) kept without fiche métier",
                    source=ctx.path("tension"),
                    field="ROME",
                )
        years = sorted({key[0] for key in records})
        ctx.sync(
            TensionIndicator,
            records,
            key=("annee", "code_rome", "bassin_id"),
            fields=["libelle_rome", "fiche_metier_id", "offres", "demandeurs", "indicateur"],
            scope=Q(annee__in=years),
            on_missing="delete",
        )


class EscoDataset(Dataset):
    name = "esco"
    title = "ESCO : métiers (libellés français) et groupes ISCO-08"
    folder = "labour"
    files = {"occupations": "occupations_fr.csv.gz", "isco": "ISCOGroups_fr.csv"}
    main_file = "occupations"
    publisher = "Commission européenne (DG EMPL), classification ESCO"
    licence = "© Union européenne, réutilisation libre avec attribution (CC BY 4.0 équivalent)"
    version = "ESCO v1.0.x, libellés français (instantané du 2020-10-19)"
    attribution = "ESCO, European Commission"

    def load(self, ctx: ImportContext) -> None:
        groups = self._isco_groups(ctx)
        self._occupations(ctx, groups)

    def _isco_groups(self, ctx: ImportContext) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "isco", required_columns=("conceptType", "conceptUri", "code", "preferredLabel", "description")
        ):
            if row.str("conceptType") != "ISCOGroup":
                raise row.fail("conceptType", f"expected 'ISCOGroup', found {row.str('conceptType')!r}")
            code = row.match("code", codes.ISCO.match, "ISCO-08 code", required=True)
            if code in records:
                raise row.fail("code", f"duplicate ISCO group {code!r}")
            records[code] = {
                "uri": row.str("conceptUri", required=True, max_length=200),
                "libelle": row.str("preferredLabel", required=True, max_length=250),
                "description": row.str("description"),
                "parent_id": code[:-1] or None,
            }
        for code, record in records.items():
            if record["parent_id"] and record["parent_id"] not in records:
                raise ImportFailure(
                    f"ISCO group {code}: parent group {record['parent_id']!r} is not in the file",
                    source=ctx.path("isco"),
                    field="code",
                )
        ordered = dict(sorted(records.items(), key=lambda item: (len(item[0]), item[0])))  # parents first
        ctx.sync(IscoGroup, ordered, key="code", fields=["uri", "libelle", "description", "parent_id"])
        return set(records)

    def _occupations(self, ctx: ImportContext, groups: set[str]) -> None:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "occupations",
            required_columns=(
                "conceptType",
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "description",
            ),
        ):
            if row.str("conceptType") != "Occupation":
                raise row.fail("conceptType", f"expected 'Occupation', found {row.str('conceptType')!r}")
            uri = row.match("conceptUri", ESCO_OCCUPATION_URI.match, "ESCO occupation URI", required=True)
            if uri in records:
                raise row.fail("conceptUri", f"duplicate occupation {uri!r}")
            group = row.match("iscoGroup", codes.ISCO.match, "ISCO-08 code", required=True)
            if group not in groups:
                raise row.fail("iscoGroup", f"ISCO group {group!r} is not in {ctx.path('isco').name}")
            alt_labels: list[str] = []
            for label in row.str("altLabels").splitlines():
                label = label.strip()
                if label and label not in alt_labels:
                    alt_labels.append(label)
            records[uri] = {
                "libelle": row.str("preferredLabel", required=True, max_length=250),
                "libelles_alternatifs": alt_labels,
                "description": row.str("description"),
                "isco_group_id": group,
            }
        ctx.sync(
            EscoOccupation,
            records,
            key="uri",
            fields=["libelle", "libelles_alternatifs", "description", "isco_group_id"],
        )


class ChomageDataset(Dataset):
    name = "chomage"
    title = "Taux de chômage localisés (INSEE) par département et par région"
    folder = "labour"
    files = {"departements": "chomage_departemental_INSEE.csv", "regions": "chomage_regional_INSEE.csv"}
    main_file = "departements"
    depends_on = ("geo",)
    publisher = "INSEE, taux de chômage localisés (moyennes annuelles), via Orion (mission-apprentissage)"
    licence = "Licence Ouverte 2.0"
    version = "2019–2023 (départements), 2020–2023 (régions); fichiers Orion du 2025-02-26"
    attribution = "INSEE, taux de chômage localisés"

    def load(self, ctx: ImportContext) -> None:
        known = {
            UnemploymentRate.Niveau.DEPARTEMENT: set(Departement.objects.values_list("code", flat=True)),
            UnemploymentRate.Niveau.REGION: set(Region.objects.values_list("code", flat=True)),
        }
        specs = (
            (
                UnemploymentRate.Niveau.DEPARTEMENT,
                "departements",
                "codeDepartement",
                codes.DEPARTEMENT_PADDED,  # INSEE's file pads département codes to 3 characters
                codes.unpad_departement,
            ),
            (UnemploymentRate.Niveau.REGION, "regions", "codeRegion", codes.REGION_INSEE, str),
        )
        for niveau, role, column, pattern, normalise in specs:
            records: dict[tuple[str, str, int], dict] = {}
            for row in ctx.csv(
                role, delimiter=";", required_columns=(column, "rentreeScolaire", "tauxChomage")
            ):
                code = normalise(row.match(column, pattern.match, f"{niveau.label} code", required=True))
                annee = int(row.match("rentreeScolaire", YEAR.match, "year", required=True))
                taux = row.float("tauxChomage", required=True, decimal_comma=True)
                if not 0 <= taux <= 100:
                    raise row.fail("tauxChomage", f"unemployment rate out of range 0–100: {taux}")
                key = (niveau.value, code, annee)
                if key in records:
                    raise row.fail(column, f"duplicate rate for {niveau.label} {code} in {annee}")
                if code not in known[niveau]:
                    ctx.reject(
                        UnemploymentRate,
                        f"unknown {niveau.label} {code!r} (not in the COG)",
                        row=row,
                        field=column,
                    )
                    continue
                records[key] = {
                    "departement_id": code if niveau == UnemploymentRate.Niveau.DEPARTEMENT else None,
                    "region_id": code if niveau == UnemploymentRate.Niveau.REGION else None,
                    "taux": taux,
                }
            years = sorted({key[2] for key in records})
            ctx.sync(
                UnemploymentRate,
                records,
                key=("niveau", "code_zone", "annee"),
                fields=["departement_id", "region_id", "taux"],
                scope=Q(niveau=niveau, annee__in=years),
                on_missing="delete",
            )


DATASETS = [TensionDataset, EscoDataset, ChomageDataset]
