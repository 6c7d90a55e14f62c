"""data·inclusion v1 JSON ⇄ directory records: the mapping, the validation and the export.

A document is `{"structures": [...], "services": [...]}`. Each record must validate against the official JSON
schema (`data/directory/schema/v1/`, checked with `jsonschema_rs`, formats included); the SPRO extensions are extra
fields, which the schema allows, and are checked here against their own vocabularies.

Export writes `null` for empty values (the schema forbids empty lists where it sets `minItems`), lists sorted, dates
as ISO strings, records ordered by id: exporting twice gives the same bytes, and importing an export changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from functools import cache
from typing import Any

import jsonschema_rs

from spro.directory import opening_hours, vocabularies
from spro.directory.models import Service, Structure, ZoneCompetence

#: data·inclusion field → model attribute, where the names differ.
STRUCTURE_RENAMES = {"id": "di_id", "commune": "commune_nom", "code_insee": "commune_id"}
SERVICE_RENAMES = {"id": "di_id", "commune": "commune_nom", "structure_id": "structure_di_id"}

STRUCTURE_DI_FIELDS = (
    "source",
    "id",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
)
STRUCTURE_EXTENSIONS = (
    "typologie",
    "publics",
    "age_min",
    "age_max",
    "langues",
    "canaux",
    "accessibilite_pmr",
    "accessibilite_precisions",
    "fermetures_temporaires",
    "zone_competence",
    "date_verification",
    "demo",
)
#: Computed on export, ignored on import.
STRUCTURE_COMPUTED = ("verification_perimee",)

SERVICE_DI_FIELDS = (
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "date_maj",
    "lien_source",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
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
)
SERVICE_EXTENSIONS = ("age_min", "age_max", "langues", "canaux", "date_verification")

LIST_FIELDS = {
    "reseaux_porteurs",
    "publics",
    "langues",
    "canaux",
    "zone_competence",
    "thematiques",
    "modes_accueil",
    "zone_eligibilite",
    "modes_mobilisation",
    "mobilisable_par",
}
ORDERED_LIST_FIELDS = {"fermetures_temporaires"}
DATE_FIELDS = {"date_maj", "date_verification"}
NUMBER_FIELDS = {"latitude", "longitude", "volume_horaire_hebdomadaire"}
INT_FIELDS = {"age_min", "age_max", "nombre_semaines"}
BOOL_FIELDS = {"accessibilite_pmr", "demo"}


class RecordError(ValueError):
    """A blocking problem in one record: `field` names the data·inclusion field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@cache
def validator(kind: str) -> Any:
    return jsonschema_rs.validator_for(vocabularies.schema(kind), validate_formats=True)


def schema_errors(kind: str, record: dict) -> list[tuple[str, str]]:
    """(field path, message) for each violation of the official schema."""
    problems = []
    for error in validator(kind).iter_errors(record):
        path = ".".join(str(part) for part in error.instance_path) or "(record)"
        problems.append((path, error.message))
    return problems


# --- Import: one record → model values ------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _list(value: Any, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError("doit être une liste", field)
    return sorted({str(item) for item in value})


def _check_vocabulary(values: list[str], vocabulary: dict[str, str], field: str, what: str) -> None:
    unknown = [value for value in values if value not in vocabulary]
    if unknown:
        raise RecordError(f"{what} inconnu(s) : {', '.join(map(repr, unknown))}", field)


def _int(value: Any, field: str, low: int = 0, high: int = 130) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecordError(f"doit être un entier entre {low} et {high}", field)
    return value


def _date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise RecordError("est obligatoire", field)
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"n'est pas une date AAAA-MM-JJ : {value!r}", field) from None
    if day > dt.date.today() + dt.timedelta(days=1):
        raise RecordError(f"est dans le futur : {value}", field)
    return day


def _coordinates(record: dict) -> tuple[float | None, float | None]:
    latitude, longitude = record.get("latitude"), record.get("longitude")
    if (latitude is None) != (longitude is None):
        raise RecordError("latitude et longitude doivent être données ensemble", "latitude")
    if latitude is None:
        return None, None
    for field, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise RecordError(f"coordonnée invalide : {value!r}", field)
        if not -bound <= value <= bound:
            raise RecordError(f"coordonnée hors limites (±{bound}) : {value}", field)
    if latitude == 0 and longitude == 0:
        raise RecordError("coordonnées (0, 0) : position inconnue", "latitude")
    return float(latitude), float(longitude)


def _ages(record: dict) -> tuple[int | None, int | None]:
    age_min, age_max = _int(record.get("age_min"), "age_min"), _int(record.get("age_max"), "age_max")
    if age_min is not None and age_max is not None and age_min > age_max:
        raise RecordError(f"âge minimum {age_min} supérieur à l'âge maximum {age_max}", "age_min")
    return age_min, age_max


def _closures(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError("doit être une liste de périodes {debut, fin, motif}", "fermetures_temporaires")
    closures = []
    for item in value:
        if not isinstance(item, dict):
            raise RecordError("chaque période est un objet {debut, fin, motif}", "fermetures_temporaires")
        try:
            start = dt.date.fromisoformat(str(item.get("debut")))
            end = dt.date.fromisoformat(str(item.get("fin")))
        except ValueError:
            raise RecordError(
                f"dates de fermeture invalides : {item.get('debut')!r} – {item.get('fin')!r}",
                "fermetures_temporaires",
            ) from None
        if end < start:
            raise RecordError(
                f"fermeture qui finit avant de commencer : {start} – {end}", "fermetures_temporaires"
            )
        closures.append(
            {"debut": start.isoformat(), "fin": end.isoformat(), "motif": _text(item.get("motif"))}
        )
    return sorted(closures, key=lambda c: (c["debut"], c["fin"], c["motif"]))


def _zone(value: Any, field: str) -> list[str]:
    codes = _list(value, field)
    for code in codes:
        if ZoneCompetence.niveau_of(code) is None:
            raise RecordError(f"code de territoire non reconnu : {code!r}", field)
    return codes


def _hours(record: dict, warn) -> str:
    text = _text(record.get("horaires_accueil"))
    if text:
        reason = opening_hours.check(text)
        if reason:
            warn(
                f"horaires hors du sous-ensemble pris en charge ({reason}), gardés tels quels",
                "horaires_accueil",
            )
    return text


def _common_extensions(record: dict) -> dict[str, Any]:
    langues = _list(record.get("langues"), "langues")
    _check_vocabulary(langues, vocabularies.langues(), "langues", "code(s) de langue")
    canaux = _list(record.get("canaux"), "canaux")
    _check_vocabulary(canaux, vocabularies.canaux(), "canaux", "canal(aux)")
    age_min, age_max = _ages(record)
    return {
        "langues": langues,
        "canaux": canaux,
        "age_min": age_min,
        "age_max": age_max,
        "date_verification": _date(record.get("date_verification"), "date_verification"),
    }


def _contact_and_place(record: dict, latitude: float | None, longitude: float | None) -> dict[str, Any]:
    """The contact and address values a structure and a service share (their commune code differs: a structure
    links its commune, a service keeps the code as given)."""
    return {
        "telephone": _text(record.get("telephone")),
        "courriel": _text(record.get("courriel")),
        "adresse": _text(record.get("adresse")),
        "complement_adresse": _text(record.get("complement_adresse")),
        "code_postal": _text(record.get("code_postal")),
        "commune_nom": _text(record.get("commune")),
        "latitude": latitude,
        "longitude": longitude,
    }


def structure_values(record: dict, warn) -> dict[str, Any]:
    """Model values of one structure record (schema already checked). Raises RecordError."""
    typologie = _text(record.get("typologie"))
    if typologie and typologie not in vocabularies.typologies():
        raise RecordError(f"typologie inconnue : {typologie!r}", "typologie")
    publics = _list(record.get("publics"), "publics")
    _check_vocabulary(publics, vocabularies.publics(), "publics", "public(s)")
    latitude, longitude = _coordinates(record)
    pmr = record.get("accessibilite_pmr")
    if pmr is not None and not isinstance(pmr, bool):
        raise RecordError("doit valoir true, false ou null", "accessibilite_pmr")
    demo = record.get("demo", False)
    if not isinstance(demo, bool):
        raise RecordError("doit valoir true ou false", "demo")
    return {
        "source": _text(record["source"]),
        "nom": _text(record["nom"]),
        "description": _text(record.get("description")),
        "typologie": typologie,
        "reseaux_porteurs": _list(record.get("reseaux_porteurs"), "reseaux_porteurs"),
        "siret": _text(record.get("siret")),
        "lien_source": _text(record.get("lien_source")),
        "site_web": _text(record.get("site_web")),
        **_contact_and_place(record, latitude, longitude),
        "commune_id": _text(record.get("code_insee")) or None,
        "horaires_accueil": _hours(record, warn),
        "accessibilite_lieu": _text(record.get("accessibilite_lieu")),
        "accessibilite_pmr": pmr,
        "accessibilite_precisions": _text(record.get("accessibilite_precisions")),
        "publics": publics,
        "fermetures_temporaires": _closures(record.get("fermetures_temporaires")),
        "zone_competence": _zone(record.get("zone_competence"), "zone_competence"),
        "date_maj": _date(record["date_maj"], "date_maj", required=True),
        "demo": demo,
        **_common_extensions(record),
    }


def service_values(record: dict, warn) -> dict[str, Any]:
    latitude, longitude = _coordinates(record)
    publics = _list(record.get("publics"), "publics")
    if "tous-publics" in publics and len(publics) > 1:
        raise RecordError("« tous-publics » ne se combine pas avec d'autres publics", "publics")
    return {
        "source": _text(record["source"]),
        "structure_di_id": _text(record["structure_id"]),
        "nom": _text(record["nom"]),
        "description": _text(record["description"]),
        "type": _text(record.get("type")),
        "thematiques": _list(record.get("thematiques"), "thematiques"),
        "frais": _text(record.get("frais")),
        "frais_precisions": _text(record.get("frais_precisions")),
        "publics": publics,
        "publics_precisions": _text(record.get("publics_precisions")),
        "conditions_acces": _text(record.get("conditions_acces")),
        **_contact_and_place(record, latitude, longitude),
        "code_insee": _text(record.get("code_insee")),
        "contact_nom_prenom": _text(record.get("contact_nom_prenom")),
        "modes_accueil": _list(record.get("modes_accueil"), "modes_accueil"),
        "zone_eligibilite": _list(record.get("zone_eligibilite"), "zone_eligibilite"),
        "lien_mobilisation": _text(record.get("lien_mobilisation")),
        "modes_mobilisation": _list(record.get("modes_mobilisation"), "modes_mobilisation"),
        "mobilisable_par": _list(record.get("mobilisable_par"), "mobilisable_par"),
        "mobilisation_precisions": _text(record.get("mobilisation_precisions")),
        "volume_horaire_hebdomadaire": record.get("volume_horaire_hebdomadaire"),
        "nombre_semaines": record.get("nombre_semaines"),
        "horaires_accueil": _hours(record, warn),
        "lien_source": _text(record.get("lien_source")),
        "date_maj": _date(record["date_maj"], "date_maj", required=True),
        **_common_extensions(record),
    }


# --- Export ----------------------------------------------------------------------------------------------------------
def _out(value: Any) -> Any:
    if value in ("", [], None):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def structure_record(structure: Structure, today: dt.date | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in (*STRUCTURE_DI_FIELDS, *STRUCTURE_EXTENSIONS):
        attribute = STRUCTURE_RENAMES.get(field, field)
        record[field] = _out(getattr(structure, attribute))
    record["demo"] = structure.demo
    record["accessibilite_pmr"] = structure.accessibilite_pmr
    reference = structure.date_verification or structure.date_maj
    from spro.directory.models import stale_before

    record["verification_perimee"] = reference < stale_before(today)
    return record


def service_record(service: Service, structure_di_id: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in (*SERVICE_DI_FIELDS, *SERVICE_EXTENSIONS):
        if field == "structure_id":
            record[field] = structure_di_id
            continue
        attribute = SERVICE_RENAMES.get(field, field)
        record[field] = _out(getattr(service, attribute))
    return record


def export_document(structures: Iterable[Structure] | None = None, today: dt.date | None = None) -> dict:
    """The directory (active records) as a data·inclusion document, ordered by id."""
    if structures is None:
        structures = Structure.objects.active()
    structures = sorted(structures, key=lambda s: s.di_id)
    ids = {s.pk: s.di_id for s in structures}
    services = Service.objects.filter(structure_id__in=list(ids), is_active=True).order_by("di_id").iterator()
    return {
        "structures": [structure_record(s, today) for s in structures],
        "services": [service_record(s, ids[s.structure_id]) for s in services],
    }
