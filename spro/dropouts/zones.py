"""PSAD zones and their assignment rules: YAML files a Region maintains, one per zone, loaded into `PsadZone`.

Where: `<SPRO_ANSWER_RULES_DIR>/decrochage/zones/*.yaml` (the Region's rules folder, `spro.core.rulefiles`), or a
folder given to the command. The demo network's zones are in `data/demo/bretagne/decrochage/zones/` (demo data).
A file (docs/decrochage.md « Zones and assignment rules »):

    code: brest
    nom: PSAD du pays de Brest
    psad: spro-demo--psad-brest      # the structure that runs the platform (data·inclusion id, or its SIRET)
    communes: ["29019", "29075"]     # INSEE codes; a commune belongs to one zone only
    regles:                          # first matching rule wins; a rule without `si` matches everyone
      - nom: mineurs scolaires
        si: {statut: [scolaire], age: {max: 17}}
        structure: spro-demo--cio-5301
      - nom: tous les autres
        structure: spro-demo--ml-29019S00

Conditions of `si` (all must hold): `statut` (scolaire, apprenti), `age` ({min, max}, age in whole years on the
day of the import), `uai` (last establishment among these), `communes` (residence among these).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from django.conf import settings
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, field_validator

from spro.core import codes
from spro.core.rulefiles import (
    AgeBounds,
    RuleFile,
    RuleFileError,
    line_locator,
    read_yaml_tree,
    region_rules_folder,
    yaml_files,
)
from spro.directory.models import Structure
from spro.dropouts import signals
from spro.dropouts.models import PsadZone
from spro.dropouts.vocabularies import SchoolStatus


def demo_folder() -> Path:
    """The demo zones of Bretagne's fictitious network (`<SPRO_DATA_DIR>/demo/bretagne/decrochage/zones/`): demo
    data, never a Region's real zones."""
    return Path(settings.DATA_DIR) / "demo" / "bretagne" / "decrochage" / "zones"


class ZoneFileError(RuleFileError):
    """A zone file is invalid: every problem on its own line, with file, line and field."""


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    statut: list[SchoolStatus] | None = None
    age: AgeBounds | None = None
    uai: list[str] | None = None
    communes: list[str] | None = None

    @field_validator("uai")
    @classmethod
    def _uai(cls, values: list[str] | None) -> list[str] | None:
        for value in values or []:
            if not codes.UAI_LOOSE.match(value):
                raise ValueError(f"UAI invalide : {value!r} (8 chiffres ou majuscules)")
        return values

    @field_validator("communes")
    @classmethod
    def _communes(cls, values: list[str] | None) -> list[str] | None:
        for value in values or []:
            if not codes.INSEE_COMMUNE.match(value):
                raise ValueError(f"code INSEE de commune invalide : {value!r}")
        return values


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    nom: Annotated[str, Field(min_length=1, max_length=200)]
    si: Condition = Condition()
    structure: Annotated[str, Field(min_length=1, max_length=200)]


class ZoneFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, Field(pattern=r"^[a-z0-9-]+$", max_length=50)]
    nom: Annotated[str, Field(min_length=1, max_length=200)]
    psad: Annotated[str, Field(min_length=1, max_length=200)]
    communes: Annotated[list[str], Field(min_length=1)]
    regles: Annotated[list[Rule], Field(min_length=1)]
    demo: bool = False

    @field_validator("communes")
    @classmethod
    def _communes(cls, values: list[str]) -> list[str]:
        for value in values:
            if not codes.INSEE_COMMUNE.match(value):
                raise ValueError(f"code INSEE de commune invalide : {value!r}")
        return values


def zones_folder() -> Path | None:
    """The Region's zone files: `<SPRO_ANSWER_RULES_DIR>/decrochage/zones/` (None when no rules folder is set)."""
    return region_rules_folder("decrochage/zones")


def parse_file(path: Path) -> ZoneFile:
    root, data = read_yaml_tree(path, ZoneFileError)
    rule_file = RuleFile(
        ZoneFile, ZoneFileError, line_locator(root), "le fichier doit commencer par « code: »"
    )
    return rule_file.validate(data, path.name)


def _find_structure(reference: str) -> Structure | None:
    by_id = Structure.objects.filter(di_id=reference, is_active=True).first()
    if by_id is not None or not codes.SIREN.match(reference[:9]) or len(reference) != 14:
        return by_id
    return Structure.objects.filter(siret=reference, is_active=True).order_by("pk").first()


@dataclass(frozen=True)
class CheckedZones:
    zones: list[tuple[Path, ZoneFile]]
    structures: dict[str, Structure]


def check_folder(folder: Path) -> CheckedZones:
    """Every zone file of `folder` validated, with what crosses files (a code or a commune in two zones) and the
    structures they name (known and active in the directory); `ZoneFileError` listing every problem."""
    files = yaml_files(folder)
    if not files:
        raise ZoneFileError(f"{folder} : aucun fichier de zone (*.yaml)")
    problems: list[str] = []
    zones: list[tuple[Path, ZoneFile]] = []
    for path in files:
        try:
            zones.append((path, parse_file(path)))
        except ZoneFileError as error:
            problems.append(str(error))
    codes_seen: dict[str, str] = {}
    communes_seen: dict[str, str] = {}
    structures: dict[str, Structure] = {}
    for path, zone in zones:
        if zone.code in codes_seen:
            problems.append(
                f"{path.name}, champ 'code' : code « {zone.code} » déjà pris par {codes_seen[zone.code]}"
            )
        codes_seen.setdefault(zone.code, path.name)
        for commune in zone.communes:
            if commune in communes_seen and communes_seen[commune] != path.name:
                problems.append(
                    f"{path.name}, champ 'communes' : la commune {commune} est déjà dans la zone de "
                    f"{communes_seen[commune]}"
                )
            communes_seen.setdefault(commune, path.name)
        named = [("psad", zone.psad)] + [
            (f"regles[{n}].structure", rule.structure) for n, rule in enumerate(zone.regles)
        ]
        for field_name, reference in named:
            if reference in structures:
                continue
            structure = _find_structure(reference)
            if structure is None:
                problems.append(
                    f"{path.name}, champ '{field_name}' : structure « {reference} » inconnue ou retirée de l’annuaire"
                )
            else:
                structures[reference] = structure
    if problems:
        raise ZoneFileError("\n".join(problems))
    return CheckedZones(zones, structures)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    deleted: int


@transaction.atomic
def load_folder(folder: Path) -> LoadResult:
    """Replace the zones by those of `folder` (all or nothing). A zone absent from the files is deleted only when
    nobody is assigned to it; otherwise `ZoneFileError` and nothing changes."""
    checked = check_folder(folder)
    created = updated = 0
    kept: list[str] = []
    for path, zone in checked.zones:
        rules = [
            {
                "nom": rule.nom,
                "si": rule.si.model_dump(mode="json", exclude_none=True),
                "structure_id": checked.structures[rule.structure].pk,
            }
            for rule in zone.regles
        ]
        _, was_created = PsadZone.objects.update_or_create(
            code=zone.code,
            defaults={
                "nom": zone.nom,
                "psad_structure": checked.structures[zone.psad],
                "communes": list(zone.communes),
                "rules": rules,
                "source": path.name,
                "demo": zone.demo,
            },
        )
        created += was_created
        updated += not was_created
        kept.append(zone.code)
    gone = PsadZone.objects.exclude(code__in=kept)
    busy = [zone.code for zone in gone if zone.young_people.exists()]
    if busy:
        raise ZoneFileError(
            "zone(s) absente(s) des fichiers mais des jeunes y sont affectés : " + ", ".join(sorted(busy))
        )
    deleted = gone.count()
    gone.delete()
    # A zone's PSAD structure may have changed: the figures of its young people move with it.
    signals.lists_changed.send(sender=PsadZone, campaign_ids=None)
    return LoadResult(created, updated, deleted)


# --- assignment --------------------------------------------------------------------------------------------------


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Assignment:
    zone_id: int | None
    partner_id: int | None


class Assigner:
    """Assigns with the zones as loaded in the database (read once per import)."""

    def __init__(self) -> None:
        self.by_commune: dict[str, PsadZone] = {}
        for zone in PsadZone.objects.all():
            for commune in zone.communes:
                self.by_commune[commune] = zone

    def assign(
        self, *, commune: str, school_status: str, birth_date: date, uai: str, today: date
    ) -> Assignment:
        zone = self.by_commune.get(commune)
        if zone is None:
            return Assignment(None, None)
        age = age_on(birth_date, today)
        for rule in zone.rules:
            if matches(rule["si"], commune=commune, school_status=school_status, age=age, uai=uai):
                return Assignment(zone.pk, rule["structure_id"])
        return Assignment(zone.pk, None)


def matches(condition: dict[str, Any], *, commune: str, school_status: str, age: int, uai: str) -> bool:
    if "statut" in condition and school_status not in condition["statut"]:
        return False
    bounds = condition.get("age")
    if bounds is not None:
        if bounds.get("min") is not None and age < bounds["min"]:
            return False
        if bounds.get("max") is not None and age > bounds["max"]:
            return False
    if "uai" in condition and uai not in condition["uai"]:
        return False
    return not ("communes" in condition and commune not in condition["communes"])
