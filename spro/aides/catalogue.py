"""The catalogue of schemes and aids (dispositifs) as data files: one YAML file per scheme (docs/aides.md).

Two folders are read: the packaged national catalogue (`spro/aides/catalogue/`) and the Region's own folder,
`<SPRO_ANSWER_RULES_DIR>/dispositifs/` (the folder where the Region already keeps its answer rules). A Region file
whose `id` is a national one replaces it whole; any other id adds a scheme. Each file is validated by a strict
pydantic model through the one rule-file loader (`spro.core.rulefiles`), so a typo is an error at load, never a
condition that silently does not apply; every problem names the file, the line and the field, in French.

Errors refuse the file. Warnings (a check date older than 12 months, a source that is not https) are reported by
`spro dispositifs check` but keep the scheme in service: a Region must be told, not left with an empty page.

Why the line: the answer rules name the rule and the field, which is enough in a file of rules; a scheme file is
one scheme, so the field and its line are what an editor needs to find the typo.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spro.core import codes, rulefiles
from spro.core.rulefiles import (
    MESSAGES,
    AgeBounds,
    FileCache,
    RuleFile,
    RuleFileError,
    line_locator,
    node_line,
    read_yaml_tree,
)
from spro.core.vocabularies.statuts import KNOWN_STATUTS
from spro.directory.vocabularies import typologies

logger = logging.getLogger(__name__)

NATIONAL_DIRECTORY = Path(__file__).resolve().parent / "catalogue"
#: The Region's schemes live in this sub-folder of its rules folder (settings.SPRO_ANSWER_RULES_DIR).
REGION_SUBFOLDER = "dispositifs"
#: A check older than this is a warning: the official page may have changed.
STALE_AFTER_DAYS = 365

#: Diploma levels, as the answer's profile says them (spro/answer/types.py `Profile.niveau`; the certification
#: levels; "sans" = no diploma). Repeated here because this app sits below the answer (it may not import it).
NIVEAUX: dict[str, str] = {
    "sans": "sans diplôme",
    "3": "CAP ou BEP",
    "4": "bac",
    "5": "bac + 2",
    "6": "bac + 3 ou 4",
    "7": "bac + 5",
    "8": "doctorat",
}

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class DispositifError(RuleFileError):
    """A scheme file is invalid: one line per problem, naming the file, the line and the field, in French."""


# --- the file model -------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known(values: list[str], allowed: Sequence[str], what: str) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        expected = f" (attendus : {', '.join(allowed)})" if len(allowed) <= 12 else ""
        raise ValueError(f"{what} inconnu : {', '.join(unknown)}{expected}")
    if len(set(values)) != len(values):
        raise ValueError(f"{what} en double")
    return values


def _codes(values: list[Any], pattern: Any, what: str, example: str) -> list[str]:
    texts = [str(value) for value in values]
    bad = [value for value in texts if not pattern.match(value)]
    if bad:
        raise ValueError(f"code {what} mal formé : {', '.join(bad)} (exemple : {example})")
    return texts


class Territoire(_Strict):
    """Where the scheme applies, by COG codes; the person's commune must fall in one of the lists (any)."""

    regions: list[str] = []
    departements: list[str] = []
    epci: list[str] = []
    communes: list[str] = []

    @field_validator("regions", "departements", "epci", "communes", mode="before")
    @classmethod
    def _as_text(cls, values: Any) -> Any:
        # `regions: [53]` is read by YAML as a number: a code is text.
        return [str(v) for v in values] if isinstance(values, list) else values

    @field_validator("regions")
    @classmethod
    def _regions(cls, values: list[str]) -> list[str]:
        return _codes(values, codes.REGION, "région", "53")

    @field_validator("departements")
    @classmethod
    def _departements(cls, values: list[str]) -> list[str]:
        return _codes(values, codes.DEPARTEMENT, "département", "35, 2A, 974")

    @field_validator("epci")
    @classmethod
    def _epci(cls, values: list[str]) -> list[str]:
        return _codes(values, codes.SIREN, "EPCI (SIREN, 9 chiffres)", "243500139")

    @field_validator("communes")
    @classmethod
    def _communes(cls, values: list[str]) -> list[str]:
        return _codes(values, codes.INSEE_COMMUNE, "commune (INSEE)", "35238")

    @model_validator(mode="after")
    def _not_empty(self) -> Territoire:
        if not (self.regions or self.departements or self.epci or self.communes):
            raise ValueError("indiquez au moins une liste : regions, departements, epci ou communes")
        return self


#: Inclusive bounds: `max: 25` admits a person of 25 (« jusqu'à 25 ans révolus »), not of 26 (the rule files' own).
Age = AgeBounds


class Conditions(_Strict):
    """Conditions a profile can be checked against; those given are ANDed, an empty list means « any »."""

    age: Age | None = None
    statuts: list[str] = []
    #: true: reserved to people with a disability (RQTH or similar); false: to people without (rare).
    handicap: bool | None = None
    niveaux: list[str] = []
    territoire: Territoire | None = None

    @field_validator("statuts")
    @classmethod
    def _statuts(cls, values: list[str]) -> list[str]:
        return _known(values, KNOWN_STATUTS, "statut")

    @field_validator("niveaux", mode="before")
    @classmethod
    def _niveaux_as_text(cls, values: Any) -> Any:
        return [str(v) for v in values] if isinstance(values, list) else values

    @field_validator("niveaux")
    @classmethod
    def _niveaux(cls, values: list[str]) -> list[str]:
        return _known(values, tuple(NIVEAUX), "niveau")

    def is_empty(self) -> bool:
        return not (self.age or self.statuts or self.handicap is not None or self.niveaux or self.territoire)


class Cas(Conditions):
    """One of several ways to qualify (« ou ») with its own label: « Jeunes de 18 à 30 ans », « Salariés… »."""

    libelle: Annotated[str, Field(min_length=3, max_length=200)]

    @model_validator(mode="after")
    def _some_condition(self) -> Cas:
        if self.is_empty():
            raise ValueError(
                "un cas sans condition admet tout le monde : retirez « cas » ou ajoutez une condition"
            )
        return self


class PourQui(Conditions):
    """The common conditions, the alternatives (`cas`, at least one must hold when given), and what the site
    cannot check (`autres_conditions`: resources, seniority, a contract…), shown as « à vérifier »."""

    cas: list[Cas] = []
    autres_conditions: list[Annotated[str, Field(min_length=3, max_length=300)]] = []


class Dispositif(_Strict):
    id: Annotated[str, Field(min_length=2, max_length=60, pattern=ID_PATTERN)]
    titre: Annotated[str, Field(min_length=3, max_length=120)]
    resume: Annotated[str, Field(min_length=10, max_length=600)]
    pour_qui: PourQui = PourQui()
    ce_que_ca_apporte: Annotated[str, Field(min_length=5, max_length=600)]
    comment_en_beneficier: Annotated[str, Field(min_length=5, max_length=800)]
    #: The « Facile à lire » version of résumé + apport + démarche (docs/design/answer.md): short sentences, one idea
    #: each; optional in a Region's files, present and checked for every built-in scheme (tests/aides/test_facile.py).
    facile: Annotated[str, Field(min_length=10, max_length=600)] | None = None
    structures: list[str] = []
    source_url: Annotated[str, Field(max_length=500)]
    #: How the text was written from the source (« Rédigé d'après la page officielle à cette adresse »).
    source: Annotated[str, Field(min_length=5, max_length=400)]
    verifie_le: dt.date
    #: A note for the editors (« URL et montant à relire ») : `spro dispositifs check` warns until it is removed.
    a_revoir: Annotated[str, Field(min_length=3, max_length=400)] | None = None

    @field_validator("structures")
    @classmethod
    def _structures(cls, values: list[str]) -> list[str]:
        return _known(values, tuple(typologies()), "type de structure")

    @field_validator("source_url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
            raise ValueError("adresse web attendue (https://…)")
        return value

    @field_validator("verifie_le")
    @classmethod
    def _not_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(
                f"date dans le futur ({value.isoformat()}) : indiquez le jour de la vérification"
            )
        return value


_MESSAGES = {**MESSAGES, "string_pattern_mismatch": "lettres minuscules, chiffres et tirets seulement"}


# --- reading one file (line-precise locations: the shared loader's node tree) ----------------------------------


def parse_file(path: Path, name: str | None = None) -> Dispositif:
    """Read and validate one scheme file; DispositifError with every problem, one per line, with its line (the
    shared loader's `read_yaml_tree`, `line_locator` and `RuleFile.validate`)."""
    name = name or path.name
    root, data = read_yaml_tree(path, DispositifError, name)
    rule_file = RuleFile(
        Dispositif, DispositifError, line_locator(root), "le fichier doit commencer par « id: »", _MESSAGES
    )
    dispositif = rule_file.validate(data, name)
    if dispositif.id != path.stem:
        line = node_line(root, ["id"])
        raise DispositifError(
            f"{name}, ligne {line}, champ 'id' : « {dispositif.id} » ne correspond pas au nom du fichier "
            f"(attendu : {path.stem})"
        )
    return dispositif


def warnings_of(
    dispositif: Dispositif, name: str, path: Path | None = None, today: dt.date | None = None
) -> list[str]:
    """The warnings of a valid scheme, each « <file>, ligne N, champ 'x' : avertissement, … »."""
    today = today or dt.date.today()
    root = read_yaml_tree(path, DispositifError, name)[0] if path is not None else None

    def where(field_name: str) -> str:
        line = node_line(root, [field_name]) if root is not None else None
        return f"{name}" + (f", ligne {line}" if line else "") + f", champ '{field_name}'"

    found = []
    age_days = (today - dispositif.verifie_le).days
    if age_days > STALE_AFTER_DAYS:
        found.append(
            f"{where('verifie_le')} : avertissement, vérifiée il y a plus de 12 mois "
            f"({dispositif.verifie_le.isoformat()}) : relisez la source officielle et mettez la date à jour"
        )
    if urlsplit(dispositif.source_url).scheme != "https":
        found.append(f"{where('source_url')} : avertissement, adresse non sécurisée (http) : préférez https")
    if dispositif.a_revoir:
        found.append(f"{where('a_revoir')} : avertissement, à revoir : {dispositif.a_revoir}")
    if not dispositif.structures:
        found.append(
            f"{where('structures')} : avertissement, aucun type de structure qui aide à en bénéficier"
        )
    return found


# --- the whole catalogue --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The schemes in service, national ones replaced by the Region's files of the same id."""

    dispositifs: tuple[Dispositif, ...]
    #: id → "national" or "region"; `remplaces` lists the national ids the Region overrides.
    origines: dict[str, str] = field(default_factory=dict)
    remplaces: tuple[str, ...] = ()

    def get(self, code: str) -> Dispositif | None:
        return next((d for d in self.dispositifs if d.id == code), None)


def region_directory() -> Path | None:
    """`<SPRO_ANSWER_RULES_DIR>/dispositifs/`, or None when no Region rules folder is configured."""
    return rulefiles.region_rules_folder(REGION_SUBFOLDER)


files_of = rulefiles.yaml_files


def build(national: Path, region: Path | None) -> Catalogue:
    """Read both folders; DispositifError listing every problem of every file."""
    if not files_of(national):  # a package built without its data files: never an empty page in silence
        raise DispositifError(f"catalogue national introuvable ou vide : {national}")
    errors: list[str] = []
    by_id: dict[str, Dispositif] = {}
    origines: dict[str, str] = {}
    remplaces: list[str] = []
    for origin, directory in (("national", national), ("region", region)):
        for path in files_of(directory):
            try:
                dispositif = parse_file(path)
            except DispositifError as error:
                prefix = "" if origin == "national" else f"{REGION_SUBFOLDER}/"
                errors.extend(prefix + line for line in str(error).splitlines())
                continue
            if origin == "region" and origines.get(dispositif.id) == "national":
                remplaces.append(dispositif.id)
            by_id[dispositif.id] = dispositif
            origines[dispositif.id] = origin
    if errors:
        raise DispositifError("\n".join(errors))
    ordered = tuple(sorted(by_id.values(), key=lambda d: d.titre.casefold()))
    return Catalogue(ordered, origines, tuple(remplaces))


_cache: FileCache[tuple[Path, Path | None], Catalogue] = FileCache(
    lambda key: build(*key),
    rulefiles.layered_paths,
    DispositifError,
    keep_last_valid=True,
    logger=logger,
    message="catalogue des aides non rechargé, le précédent reste en service",
)


def load(national: Path | None = None, region: Path | None = None, *, use_settings: bool = True) -> Catalogue:
    """The catalogue in service: cached per process, read again when a file changes; an invalid edit made while
    the site runs keeps the last valid catalogue (logged once), a catalogue never loaded raises."""
    if region is None and use_settings:
        region = region_directory()
    key = (Path(national or NATIONAL_DIRECTORY).resolve(), region.resolve() if region else None)
    return _cache.get(key)


@dataclass
class Report:
    """What `spro dispositifs check` prints: errors refuse a file, warnings do not."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: int = 0
    overrides: list[str] = field(default_factory=list)


def check(national: Path | None = None, region: Path | None = None, today: dt.date | None = None) -> Report:
    """Every error and warning of the national catalogue and the Region's folder."""
    report = Report()
    national_ids: set[str] = set()
    for origin, directory in (("national", national or NATIONAL_DIRECTORY), ("region", region)):
        prefix = "" if origin == "national" else f"{REGION_SUBFOLDER}/"
        for path in files_of(directory):
            report.checked += 1
            try:
                dispositif = parse_file(path)
            except DispositifError as error:
                report.errors.extend(prefix + line for line in str(error).splitlines())
                continue
            report.warnings.extend(prefix + w for w in warnings_of(dispositif, path.name, path, today))
            if origin == "national":
                national_ids.add(dispositif.id)
            elif dispositif.id in national_ids:
                report.overrides.append(dispositif.id)
    return report
