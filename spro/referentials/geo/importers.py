"""Importer of the official geography: COG 2026 (Etalab découpage administratif), académies, bassins BMO."""

from __future__ import annotations

from spro.core import codes
from spro.referentials.geo.models import Academie, BassinEmploi, Commune, Departement, Epci, Region
from spro.referentials.importing import Dataset, ImportContext, ImportFailure


class GeoDataset(Dataset):
    name = "geo"
    title = "Géographie : régions, départements, académies, EPCI, communes (COG 2026), bassins d'emploi"
    folder = "geo"
    files = {
        "regions": "regions.json",
        "departements": "departements.json",
        "academies": "departements_academies_regions.csv",
        "epci": "epci.json.gz",
        "communes": "communes_fr_2026.csv.gz",
        "bassins": "communes_bassins_emploi_bmo2019.csv.gz",
    }
    main_file = "communes"
    publisher = "INSEE (COG), Etalab, La Poste, Éducation nationale, France Travail (bassins BMO)"
    licence = "Licence Ouverte 2.0"
    version = "COG 2026 (Etalab découpage administratif 6.0.0); bassins d'emploi BMO 2019"
    attribution = (
        "Etalab découpage administratif 2026 (INSEE, DGCL, La Poste); coordonnées des communes : "
        "datas.fun (COG 2024); académies : Éducation nationale; bassins d'emploi : France Travail (BMO 2019)"
    )

    def load(self, ctx: ImportContext) -> None:
        regions = self._regions(ctx)
        academies, academy_of_departement = self._academies(ctx, regions)
        departements = self._departements(ctx, regions, academy_of_departement)
        epcis = self._epcis(ctx)
        bassins, bassin_of_commune = self._bassins(ctx)
        self._communes(ctx, departements, regions, epcis, bassins, bassin_of_commune)

    def _regions(self, ctx: ImportContext) -> set[str]:
        records = {}
        for index, item in enumerate(ctx.json("regions"), start=1):
            code, nom = str(item.get("code", "")), str(item.get("nom", "")).strip()
            if not codes.REGION.match(code) or not nom:
                raise ImportFailure(
                    f"record {index}: invalid région {item!r}", source=ctx.path("regions"), field="code"
                )
            records[code] = {"nom": nom, "chef_lieu": item.get("chefLieu", ""), "zone": item.get("zone", "")}
        ctx.sync(Region, records, key="code", fields=["nom", "chef_lieu", "zone"])
        return set(records)

    def _academies(self, ctx: ImportContext, regions: set[str]) -> tuple[set[str], dict[str, str]]:
        records: dict[str, dict] = {}
        academy_of_departement: dict[str, str] = {}
        for row in ctx.csv(
            "academies",
            delimiter=";",
            required_columns=("codeAcademie", "libelleAcademie", "codeRegion", "codeDepartement"),
        ):
            departement = row.str("codeDepartement")
            region = row.str("codeRegion", required=True)
            if not departement or region == "99":
                continue  # pseudo-académies ("France entière", "Etranger"…) with no territory
            code = row.match(
                "codeAcademie",
                lambda v: codes.ACADEMIE.match(v) is not None,
                "académie code",
                required=True,
            )
            # Académies of the collectivités d'outre-mer carry the pseudo-région "00": no région link.
            records[code] = {
                "nom": row.str("libelleAcademie", required=True),
                "region_id": region if region in regions else None,
            }
            academy_of_departement[codes.unpad_departement(departement)] = (
                code  # the file pads to 3 characters
            )
        ctx.sync(Academie, records, key="code", fields=["nom", "region_id"])
        return set(records), academy_of_departement

    def _departements(self, ctx: ImportContext, regions: set[str], academies: dict[str, str]) -> set[str]:
        records = {}
        for index, item in enumerate(ctx.json("departements"), start=1):
            code, region = str(item.get("code", "")), str(item.get("region", ""))
            if not codes.DEPARTEMENT.match(code):
                raise ImportFailure(
                    f"record {index}: invalid département code {code!r}",
                    source=ctx.path("departements"),
                    field="code",
                )
            if region not in regions:
                raise ImportFailure(
                    f"record {index} ({code}): unknown région {region!r}",
                    source=ctx.path("departements"),
                    field="region",
                )
            records[code] = {
                "nom": item.get("nom", ""),
                "region_id": region,
                "academie_id": academies.get(code),
                "chef_lieu": item.get("chefLieu", ""),
                "zone": item.get("zone", ""),
            }
        for departement in set(academies) - set(records):
            ctx.warn(
                f"académie file names département {departement!r}, absent from the COG",
                source=ctx.path("academies"),
                field="codeDepartement",
            )
        ctx.sync(
            Departement, records, key="code", fields=["nom", "region_id", "academie_id", "chef_lieu", "zone"]
        )
        return set(records)

    def _epcis(self, ctx: ImportContext) -> dict[str, str]:
        """Returns commune code → EPCI SIREN, from the EPCI member lists."""
        records = {}
        epci_of_commune: dict[str, str] = {}
        for index, item in enumerate(ctx.json("epci"), start=1):
            code = str(item.get("code", ""))
            if not codes.SIREN.match(code):
                raise ImportFailure(
                    f"record {index}: invalid EPCI SIREN {code!r}", source=ctx.path("epci"), field="code"
                )
            records[code] = {
                "nom": item.get("nom", ""),
                "type": item.get("type", ""),
                "population": item.get("populationMunicipale"),
            }
            for member in item.get("membres", []):
                epci_of_commune[str(member.get("code"))] = code
        ctx.sync(Epci, records, key="code", fields=["nom", "type", "population"])
        return epci_of_commune

    def _bassins(self, ctx: ImportContext) -> tuple[set[str], dict[str, str]]:
        records: dict[str, dict] = {}
        bassin_of_commune: dict[str, str] = {}
        for row in ctx.csv("bassins", required_columns=("CODE_COMMUNE_INSEE", "BE19", "NOMBE19")):
            code = row.match("BE19", str.isdigit, "bassin code", required=True)
            records[code] = {"nom": row.str("NOMBE19", required=True)}
            bassin_of_commune[row.str("CODE_COMMUNE_INSEE", required=True)] = code
        ctx.sync(BassinEmploi, records, key="code", fields=["nom"])
        return set(records), bassin_of_commune

    def _communes(self, ctx, departements, regions, epci_of_commune, bassins, bassin_of_commune) -> None:
        required = (
            "code_insee",
            "nom",
            "type",
            "commune_parente",
            "code_departement",
            "code_region",
            "code_epci",
            "codes_postaux",
            "population",
            "latitude",
            "longitude",
            "coord_source",
        )
        records: dict[str, dict] = {}
        types = {t.value: t.value for t in Commune.Type}
        for row in ctx.csv("communes", required_columns=required):
            code = row.match(
                "code_insee",
                lambda v: codes.INSEE_COMMUNE.match(v) is not None,
                "INSEE commune code",
                required=True,
            )
            departement = row.str("code_departement", required=True)
            region = row.str("code_region", required=True)
            if departement not in departements:
                raise row.fail("code_departement", f"unknown département {departement!r}")
            if region not in regions:
                raise row.fail("code_region", f"unknown région {region!r}")
            postal_codes = [c for c in row.str("codes_postaux").split("|") if c]
            for postal_code in postal_codes:
                if not codes.POSTAL_CODE.match(postal_code):
                    raise row.fail("codes_postaux", f"not a postal code: {postal_code!r}")
            latitude = row.float("latitude")
            longitude = row.float("longitude")
            if (latitude is None) != (longitude is None):
                raise row.fail("latitude", "latitude and longitude must both be given or both be empty")
            if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise row.fail("latitude", f"coordinates out of range: {latitude}, {longitude}")
            epci = row.str("code_epci") or epci_of_commune.get(code)
            parent = row.str("commune_parente") or None
            bassin = bassin_of_commune.get(code) or (bassin_of_commune.get(parent) if parent else None)
            records[code] = {
                "nom": row.str("nom", required=True),
                "type": row.choice("type", types, required=True),
                "commune_parente_id": parent,
                "departement_id": departement,
                "region_id": region,
                "epci_id": epci,
                "bassin_emploi_id": bassin if bassin in bassins else None,
                "codes_postaux": postal_codes,
                "population": row.int("population"),
                "latitude": latitude,
                "longitude": longitude,
                "coord_source": row.str("coord_source"),
            }
        known_epci = set(Epci.objects.values_list("code", flat=True))
        for code, record in records.items():
            if record["epci_id"] and record["epci_id"] not in known_epci:
                ctx.warn(
                    f"commune {code}: unknown EPCI {record['epci_id']!r}, link dropped",
                    source=ctx.path("communes"),
                    field="code_epci",
                )
                record["epci_id"] = None
            parent = record["commune_parente_id"]
            if parent and parent not in records:
                raise ImportFailure(
                    f"commune {code}: parent commune {parent!r} is not in the file",
                    source=ctx.path("communes"),
                    field="commune_parente",
                )
            if parent and not record["epci_id"]:
                # An arrondissement (Paris, Lyon, Marseille) belongs to its commune's EPCI: the resolver gives the
                # arrondissement for its postal code, and zones of competence by EPCI must still cover it.
                record["epci_id"] = records[parent]["epci_id"]
        unmatched = [
            code
            for code, r in records.items()
            if r["bassin_emploi_id"] is None
            and r["type"] == Commune.Type.COMMUNE
            and code[:2] not in ("97", "98")
        ]
        if unmatched:
            ctx.warn(
                f"{len(unmatched)} metropolitan communes have no bassin d'emploi in the BMO 2019 zoning "
                f"(communes created since), e.g. {', '.join(unmatched[:5])}",
                source=ctx.path("bassins"),
            )
        # Parents first: arrondissements point to their commune.
        fields = [
            "nom",
            "type",
            "commune_parente_id",
            "departement_id",
            "region_id",
            "epci_id",
            "bassin_emploi_id",
            "codes_postaux",
            "population",
            "latitude",
            "longitude",
            "coord_source",
        ]
        parents = {k: v for k, v in records.items() if not v["commune_parente_id"]}
        children = {k: v for k, v in records.items() if v["commune_parente_id"]}
        ctx.sync(Commune, parents, key="code_insee", fields=fields, scope=None, on_missing="keep")
        ctx.sync(Commune, children, key="code_insee", fields=fields, on_missing="keep")
        stale = (
            Commune.objects.filter(is_active=True)
            .exclude(code_insee__in=list(records))
            .values_list("code_insee", flat=True)
        )
        stale = list(stale)
        if stale:
            Commune.objects.filter(code_insee__in=stale).update(is_active=False)
            ctx.counts(Commune).retired += len(stale)


DATASETS = [GeoDataset]
