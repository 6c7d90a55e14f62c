"""`spro import structures [PATH]`: a data·inclusion v1 document into the directory, atomic and idempotent.

Blocking errors (the whole import is rolled back, the message names the record and the field): a record that breaks
the official JSON schema, an unknown `typologie`, bad coordinates, an unknown commune (`code_insee`), a duplicate
id, a service whose structure is unknown, an SPRO extension outside its vocabulary.

Warnings (counted, reported): duplicates merged (same SIRET, or same normalised name less than 100 m apart: the
first record is kept and the other's services move to it), opening hours outside the supported subset (kept as
text), zone codes unknown to the geography (dropped), a structure far from its commune.

Records are keyed by their data·inclusion id; a source's records missing from a newer file are retired.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db.models import Q

from spro.directory.datainclusion import RecordError, schema_errors, service_values, structure_values
from spro.directory.distance import haversine_km
from spro.directory.models import Service, Structure, ZoneCompetence
from spro.referentials.geo.models import Commune, Departement, Epci
from spro.referentials.importing import Dataset, ImportContext, ImportFailure

DUPLICATE_DISTANCE_KM = 0.1
FAR_FROM_COMMUNE_KM = 50
#: The model columns each import compares and writes (`ctx.sync`). They follow the data·inclusion fields of
#: datainclusion.py under the model's names (its *_RENAMES) but stay a list of their own: the key (`di_id`) is not
#: among them, and a service's structure is written as the foreign key this importer links (`structure_id`).
STRUCTURE_FIELDS = [
    "source",
    "nom",
    "description",
    "typologie",
    "reseaux_porteurs",
    "siret",
    "lien_source",
    "site_web",
    "telephone",
    "courriel",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune_id",
    "commune_nom",
    "latitude",
    "longitude",
    "horaires_accueil",
    "accessibilite_lieu",
    "accessibilite_pmr",
    "accessibilite_precisions",
    "publics",
    "age_min",
    "age_max",
    "langues",
    "canaux",
    "fermetures_temporaires",
    "zone_competence",
    "date_maj",
    "date_verification",
    "demo",
]
SERVICE_FIELDS = [
    "source",
    "structure_id",
    "nom",
    "description",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "age_min",
    "age_max",
    "conditions_acces",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune_nom",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "contact_nom_prenom",
    "modes_accueil",
    "zone_eligibilite",
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
    "horaires_accueil",
    "lien_source",
    "langues",
    "canaux",
    "date_maj",
    "date_verification",
]


def normalised_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class _Deduplicator:
    """Finds the record an incoming structure duplicates: same SIRET, or same normalised name within 100 m."""

    def __init__(self) -> None:
        self.by_siret: dict[str, str] = {}
        self.by_name: dict[str, list[tuple[str, float | None, float | None]]] = {}

    def add(self, di_id: str, values: dict[str, Any]) -> None:
        if values["siret"]:
            self.by_siret.setdefault(values["siret"], di_id)
        self.by_name.setdefault(normalised_name(values["nom"]), []).append(
            (di_id, values["latitude"], values["longitude"])
        )

    def find(self, values: dict[str, Any]) -> tuple[str, str] | None:
        if values["siret"] and values["siret"] in self.by_siret:
            return self.by_siret[values["siret"]], f"même SIRET {values['siret']}"
        if values["latitude"] is None:
            return None
        for di_id, latitude, longitude in self.by_name.get(normalised_name(values["nom"]), []):
            if latitude is None:
                continue
            distance = haversine_km(values["latitude"], values["longitude"], latitude, longitude)
            if distance <= DUPLICATE_DISTANCE_KM:
                return di_id, f"même nom à {distance * 1000:.0f} m"
        return None


class StructuresDataset(Dataset):
    name = "structures"
    title = (
        "Annuaire : structures et services (data·inclusion v1 + extensions SPRO ; réseau de démonstration)"
    )
    folder = "directory"
    files = {"structures": "demo-bretagne.di.json"}
    main_file = "structures"
    depends_on = ("geo",)
    publisher = (
        "data·inclusion (schéma) ; réseau de démonstration généré (scripts/generate_directory_demo.py)"
    )
    licence = "Licence Ouverte 2.0 (schéma et vocabulaires) ; MIT (noms des agences, France Travail pass-emploi-api)"
    version = "schéma data·inclusion v1.0.8"
    attribution = (
        "Schéma et vocabulaires data·inclusion (GIP Plateforme de l'inclusion) ; noms des agences France Travail "
        "et des Missions locales : France-Travail/pass-emploi-api (MIT)"
    )

    def load(self, ctx: ImportContext) -> None:
        path = ctx.path("structures")
        document = ctx.json("structures")
        if not isinstance(document, dict) or not isinstance(document.get("structures"), list):
            raise ImportFailure(
                'expected a data·inclusion document {"structures": [...], "services": [...]}', source=path
            )
        services = document.get("services") or []
        if not isinstance(services, list):
            raise ImportFailure('"services" must be a list', source=path, field="services")

        structures, merged_into = self._structures(ctx, document["structures"])
        sources = sorted({values["source"] for values in structures.values()})
        ctx.sync(Structure, structures, key="di_id", fields=STRUCTURE_FIELDS, scope=Q(source__in=sources))
        pk_of = dict(
            Structure.objects.filter(
                di_id__in=[*structures, *merged_into.values()], is_active=True
            ).values_list("di_id", "pk")
        )
        self._zones(ctx, structures, pk_of, sources)
        self._services(ctx, services, pk_of, merged_into)

    def _fail(self, ctx: ImportContext, kind: str, index: int, record: Any, message: str, field: str | None):
        di_id = record.get("id") if isinstance(record, dict) else None
        label = f"{kind}[{index}]" + (f" (id {di_id!r})" if di_id else "")
        return ImportFailure(f"{label}: {message}", source=ctx.path("structures"), field=field)

    def _validated(self, ctx, kind: str, index: int, record: Any, convert) -> dict[str, Any]:
        if not isinstance(record, dict):
            raise self._fail(ctx, kind, index, record, "un enregistrement doit être un objet JSON", None)
        problems = schema_errors(kind[:-1], record)
        if problems:
            field, message = problems[0]
            raise self._fail(
                ctx, kind, index, record, f"non conforme au schéma data·inclusion : {message}", field
            )

        def warn(message: str, field: str | None = None) -> None:
            ctx.warn(
                f"{kind}[{index}] (id {record['id']!r}): {message}",
                source=ctx.path("structures"),
                field=field,
            )

        try:
            return convert(record, warn)
        except RecordError as exc:
            raise self._fail(ctx, kind, index, record, str(exc), exc.field) from None

    def _structures(self, ctx: ImportContext, items: list) -> tuple[dict[str, Any], dict[str, str]]:
        communes = {
            c.code_insee: c
            for c in Commune.objects.only(
                "code_insee", "nom", "codes_postaux", "latitude", "longitude", "commune_parente_id"
            )
        }
        known_zones = {
            ZoneCompetence.Niveau.COMMUNE: set(communes),
            ZoneCompetence.Niveau.EPCI: set(Epci.objects.values_list("code", flat=True)),
            ZoneCompetence.Niveau.DEPARTEMENT: set(Departement.objects.values_list("code", flat=True)),
            ZoneCompetence.Niveau.FRANCE: {"france"},
        }
        records: dict[str, dict[str, Any]] = {}
        merged_into: dict[str, str] = {}
        dedup = _Deduplicator()
        for index, record in enumerate(items):
            values = self._validated(ctx, "structures", index, record, structure_values)
            di_id = record["id"]
            if di_id in records or di_id in merged_into:
                raise self._fail(
                    ctx, "structures", index, record, "identifiant en double dans le fichier", "id"
                )
            code = values["commune_id"]
            if code:
                commune = communes.get(code)
                if commune is None:
                    raise self._fail(
                        ctx, "structures", index, record, f"commune inconnue : {code!r}", "code_insee"
                    )
                values["commune_nom"] = values["commune_nom"] or commune.nom
                if not values["code_postal"] and commune.codes_postaux:
                    values["code_postal"] = commune.codes_postaux[0]
                if values["latitude"] is None and commune.latitude is not None:
                    values["latitude"], values["longitude"] = commune.latitude, commune.longitude
                elif values["latitude"] is not None and commune.latitude is not None:
                    distance = haversine_km(
                        values["latitude"], values["longitude"], commune.latitude, commune.longitude
                    )
                    if distance > FAR_FROM_COMMUNE_KM:
                        ctx.warn(
                            f"structures[{index}] (id {di_id!r}): à {distance:.0f} km de sa commune {commune.nom}",
                            source=ctx.path("structures"),
                            field="latitude",
                        )
            unknown = [
                c for c in values["zone_competence"] if c not in known_zones[ZoneCompetence.niveau_of(c)]
            ]
            if unknown:
                ctx.warn(
                    f"structures[{index}] (id {di_id!r}): code(s) de territoire inconnu(s) {', '.join(unknown)}, "
                    "retiré(s) de la zone",
                    source=ctx.path("structures"),
                    field="zone_competence",
                )
                values["zone_competence"] = [c for c in values["zone_competence"] if c not in unknown]
            duplicate = dedup.find(values)
            if duplicate:
                kept, why = duplicate
                merged_into[di_id] = kept
                ctx.reject(
                    Structure,
                    f"structures[{index}] (id {di_id!r}): doublon de {kept!r} ({why}), fusionné",
                    source=ctx.path("structures"),
                    field="siret" if why.startswith("même SIRET") else "nom",
                )
                continue
            dedup.add(di_id, values)
            records[di_id] = values

        # Duplicates of records already in the directory under another source.
        sources = {values["source"] for values in records.values()}
        existing = _Deduplicator()
        for di_id, nom, siret, latitude, longitude in (
            Structure.objects.active()
            .exclude(source__in=sources)
            .values_list("di_id", "nom", "siret", "latitude", "longitude")
        ):
            existing.add(di_id, {"nom": nom, "siret": siret, "latitude": latitude, "longitude": longitude})
        for di_id in list(records):
            duplicate = existing.find(records[di_id])
            if duplicate:
                kept, why = duplicate
                merged_into[di_id] = kept
                del records[di_id]
                ctx.reject(
                    Structure,
                    f"structure {di_id!r}: doublon de {kept!r} déjà dans l'annuaire ({why}), fusionné",
                    source=ctx.path("structures"),
                )
        # Chains (c merged into b merged into a) resolve to the kept record.
        for di_id, kept in list(merged_into.items()):
            while kept in merged_into:
                kept = merged_into[kept]
            merged_into[di_id] = kept
        return records, merged_into

    def _zones(self, ctx: ImportContext, structures: dict, pk_of: dict[str, int], sources: list[str]) -> None:
        records: dict[tuple, dict] = {}
        for di_id, values in structures.items():
            for code in values["zone_competence"]:
                records[(pk_of[di_id], ZoneCompetence.niveau_of(code), code)] = {}
        ctx.sync(
            ZoneCompetence,
            records,
            key=("structure_id", "niveau", "code"),
            fields=[],
            scope=Q(structure__source__in=sources),
            on_missing="delete",
        )

    def _services(self, ctx: ImportContext, items: list, pk_of: dict[str, int], merged_into: dict) -> None:
        records: dict[str, dict[str, Any]] = {}
        missing = {
            record.get("structure_id")
            for record in items
            if isinstance(record, dict)
            and record.get("structure_id") not in pk_of
            and record.get("structure_id") not in merged_into
        }
        elsewhere = dict(
            Structure.objects.active().filter(di_id__in=[m for m in missing if m]).values_list("di_id", "pk")
        )
        for index, record in enumerate(items):
            values = self._validated(ctx, "services", index, record, service_values)
            if record["id"] in records:
                raise self._fail(
                    ctx, "services", index, record, "identifiant en double dans le fichier", "id"
                )
            structure_di_id = values.pop("structure_di_id")
            structure_di_id = merged_into.get(structure_di_id, structure_di_id)
            pk = pk_of.get(structure_di_id) or elsewhere.get(structure_di_id)
            if pk is None:
                raise self._fail(
                    ctx,
                    "services",
                    index,
                    record,
                    f"structure inconnue : {structure_di_id!r}",
                    "structure_id",
                )
            values["structure_id"] = pk
            records[record["id"]] = values
        sources = sorted({values["source"] for values in records.values()} | set(self._sources(pk_of)))
        ctx.sync(Service, records, key="di_id", fields=SERVICE_FIELDS, scope=Q(source__in=sources))

    @staticmethod
    def _sources(pk_of: dict[str, int]) -> set[str]:
        return set(Structure.objects.filter(pk__in=list(pk_of.values())).values_list("source", flat=True))


DATASETS = [StructuresDataset]
