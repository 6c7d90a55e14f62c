"""The routing rules as data: load, validate and match the YAML files a Region's staff edit (docs/answer-rules.md).

Three files in one folder (the package's `rules/` by default, or `settings.SPRO_ANSWER_RULES_DIR` for a Region's
own copy): `orientations.yaml` (needs + profile → structure typologies, with the reason shown), `etapes.yaml` (the
next steps) and `ressources.yaml` (the information cards). Other files in the folder (e.g. `besoins.yaml`, read by
the request analysis) are left alone. Each file starts with a `version` and a `date`; every rule has an `id` and a
`description`. Validation is strict (pydantic v2, unknown fields refused) so that a typo is an error at load, never
a silent rule that does not fire; each error names the file, the rule id and the field.

The packaged cards point to national sites. A Region's own addresses (its aid page, its Transitions Pro) go in an
optional `liens.yaml` in the same folder, which replaces a card's `url`/`titre` by its id; a folder holding only
that file keeps the packaged rules.

Conditions (`quand`) are shared by the three files and all optional; the ones given are ANDed:
`besoins` (any of), `statuts` (any of; `non-renseigne` matches an unknown statut), `age` {min, max} (inclusive;
`inconnu: true` also matches an unknown age), `handicap` (true: the person said so; false: they did not), `niveau`
(any of), `a_quitte_formation` (same reading as `handicap`), `metier` (true: a métier was recognised). Otherwise an
unknown value (age, statut, niveau) never matches a condition on it.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlsplit

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spro.answer.types import BesoinScore, MetierMatch, Profile
from spro.core.rulefiles import AgeBounds, FileCache, RuleFile, RuleFileError
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.statuts import Statut
from spro.directory.vocabularies import typologies

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "rules"
FILES = ("orientations.yaml", "etapes.yaml", "ressources.yaml")
#: The Region's own addresses for the information cards (optional, in the same folder): see `LinksFile`.
LINKS_FILE = "liens.yaml"

#: Diploma levels of `Profile.niveau` (the certification levels; "sans" = no diploma).
NIVEAUX = ("sans", "3", "4", "5", "6", "7", "8")
#: Placeholders a text may use, and the condition that guarantees each has a value when the rule matches.
PLACEHOLDERS = {"age": "age", "metier": "metier"}
RESSOURCE_KINDS = ("information", "financement", "droit", "metier", "formation")


logger = logging.getLogger(__name__)


class RulesError(RuleFileError):
    """A rule file is invalid: the message names the file, the rule and the field, in French."""


# --- the file models ------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeRange(AgeBounds):
    """Inclusive bounds (`spro.core.rulefiles.AgeBounds`); `inconnu: true` makes the condition hold also when the
    age is not known."""

    inconnu: bool = False

    def admits(self, age: int | None) -> bool:
        return self.inconnu if age is None else self.within(age)


class Conditions(_Strict):
    besoins: list[str] = []
    statuts: list[str] = []
    age: AgeRange | None = None
    handicap: bool | None = None
    niveau: list[str] = []
    a_quitte_formation: bool | None = None
    metier: bool | None = None

    @field_validator("besoins")
    @classmethod
    def _besoins(cls, values: list[str]) -> list[str]:
        return _known(values, Besoin.values, "besoin")

    @field_validator("statuts")
    @classmethod
    def _statuts(cls, values: list[str]) -> list[str]:
        return _known(values, Statut.values, "statut")  # `non-renseigne`: the statut is not known

    @field_validator("niveau")
    @classmethod
    def _niveau(cls, values: list[str]) -> list[str]:
        return _known([str(v) for v in values], NIVEAUX, "niveau")

    @field_validator("niveau", mode="before")
    @classmethod
    def _niveau_as_text(cls, values: Any) -> Any:
        return [str(v) for v in values] if isinstance(values, list) else values

    def matches(self, profile: Profile, besoins: dict[str, float], has_metier: bool) -> bool:
        if self.besoins and not any(code in besoins for code in self.besoins):
            return False
        if self.statuts and (profile.statut or Statut.NON_RENSEIGNE.value) not in self.statuts:
            return False
        if self.age is not None and not self.age.admits(profile.age):
            return False
        if self.handicap is not None and bool(profile.handicap) is not self.handicap:
            return False
        if self.niveau and profile.niveau not in self.niveau:
            return False
        if (
            self.a_quitte_formation is not None
            and bool(profile.a_quitte_formation) is not self.a_quitte_formation
        ):
            return False
        return self.metier is None or has_metier is self.metier

    def need_factor(self, besoins: dict[str, float]) -> float:
        """The highest score among the person's needs that the rule names; 1 when it names none."""
        if not self.besoins:
            return 1.0
        return max(besoins.get(code, 0.0) for code in self.besoins)

    @property
    def is_empty(self) -> bool:
        return self == Conditions()


def _known(values: list[str], allowed: Any, what: str) -> list[str]:
    allowed = list(allowed)
    for value in values:
        if value not in allowed:
            raise ValueError(f"{what} inconnu « {value} » (valeurs possibles : {', '.join(allowed)})")
    if len(set(values)) != len(values):
        raise ValueError(f"{what} répété")
    return values


def _check_template(text: str, quand: Conditions, field: str) -> None:
    """Refuse unknown placeholders, and placeholders whose value the rule's conditions do not guarantee."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValueError(f"{field} : accolades mal formées ({error})") from None
    for name in names:
        if name not in PLACEHOLDERS:
            raise ValueError(
                f"{field} : variable inconnue « {{{name}}} » (variables possibles : "
                + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                + ")"
            )
        if name == "age" and (quand.age is None or quand.age.inconnu):
            raise ValueError(
                f"{field} : « {{age}} » demande une condition « age » (sans « inconnu: true ») dans « quand »"
            )
        if name == "metier" and quand.metier is not True:
            raise ValueError(f"{field} : « {{metier}} » demande la condition « metier: true » dans « quand »")


#: The « Facile à lire » version of a text shown to the person (docs/design/answer.md): optional in a Region's
#: files (the full text is shown instead), present for every built-in item (tests/answer/test_facile.py).
Facile = Annotated[str, Field(min_length=10)] | None


class Action(_Strict):
    typologie: str
    poids: Annotated[float, Field(gt=0, le=1)]
    raison: Annotated[str, Field(min_length=10)]
    facile: Facile = None

    @field_validator("typologie")
    @classmethod
    def _typologie(cls, value: str) -> str:
        if value not in typologies():
            raise ValueError(f"typologie inconnue « {value} »")
        return value


class _Rule(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    description: Annotated[str, Field(min_length=10)]
    quand: Conditions = Conditions()


class OrientationRule(_Rule):
    alors: Annotated[list[Action], Field(min_length=1)]

    @model_validator(mode="after")
    def _templates(self) -> OrientationRule:
        seen = set()
        for index, action in enumerate(self.alors):
            _check_template(action.raison, self.quand, f"alors[{index}].raison")
            if action.facile:
                _check_template(action.facile, self.quand, f"alors[{index}].facile")
            if action.typologie in seen:
                raise ValueError(
                    f"alors[{index}].typologie : typologie « {action.typologie} » répétée dans la règle"
                )
            seen.add(action.typologie)
        return self


class Etape(_Strict):
    """One step: written as a plain string, or as `texte` with its « Facile à lire » version `facile`."""

    texte: Annotated[str, Field(min_length=10)]
    facile: Facile = None


class EtapeRule(_Rule):
    poids: Annotated[float, Field(gt=0, le=1)]
    etapes: Annotated[list[Etape], Field(min_length=1)]

    @field_validator("etapes", mode="before")
    @classmethod
    def _plain_strings(cls, values: Any) -> Any:
        return (
            [{"texte": v} if isinstance(v, str) else v for v in values]
            if isinstance(values, list)
            else values
        )

    @model_validator(mode="after")
    def _templates(self) -> EtapeRule:
        for index, etape in enumerate(self.etapes):
            _check_template(etape.texte, self.quand, f"etapes[{index}].texte")
            if etape.facile:
                _check_template(etape.facile, self.quand, f"etapes[{index}].facile")
        return self


def _public_https(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or " " in value:
        raise ValueError(f"adresse « {value} » refusée : une adresse publique en https:// est attendue")
    return value


class RessourceRule(_Rule):
    poids: Annotated[float, Field(gt=0, le=1)]
    titre: Annotated[str, Field(min_length=3)]
    url: str
    texte: str = ""
    facile: Facile = None
    type: Literal["information", "financement", "droit", "metier", "formation"] = "information"

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _public_https(value)


class LinkOverride(_Strict):
    """The Region's own address (and, if it wishes, title) for one card of ressources.yaml, named by its id."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    url: str | None = None
    titre: Annotated[str, Field(min_length=3)] | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        return None if value is None else _public_https(value)

    @model_validator(mode="after")
    def _changes_something(self) -> LinkOverride:
        if self.url is None and self.titre is None:
            raise ValueError("indiquez « url », « titre » ou les deux")
        return self


class _File(_Strict):
    version: Annotated[str, Field(min_length=1)]
    date: dt.date

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class OrientationsFile(_File):
    regles: list[OrientationRule]


class EtapesFile(_File):
    regles: list[EtapeRule]

    @model_validator(mode="after")
    def _default_steps(self) -> EtapesFile:
        if not any(rule.quand.is_empty and len(rule.etapes) >= 3 for rule in self.regles):
            raise ValueError(
                "il faut une règle sans condition (« quand » vide) avec au moins 3 étapes : les étapes par défaut"
            )
        return self


class RessourcesFile(_File):
    regles: list[RessourceRule]


class LinksFile(_File):
    """liens.yaml: the Region's links, so that the packaged cards stay national (Transitions Pro's national site,
    service-public.fr…) and a Region changes an address without copying the rules."""

    region: str = ""
    liens: list[LinkOverride]


MODELS: dict[str, type[_File]] = {
    "orientations.yaml": OrientationsFile,
    "etapes.yaml": EtapesFile,
    "ressources.yaml": RessourcesFile,
    LINKS_FILE: LinksFile,
}


@dataclass(frozen=True)
class RuleSet:
    orientations: OrientationsFile
    etapes: EtapesFile
    ressources: RessourcesFile
    directory: Path


# --- loading --------------------------------------------------------------------------------------------------


def _location(name: str, data: Any, loc: tuple[Any, ...]) -> str:
    """ "orientations.yaml, règle 'x', champ 'alors[1].typologie'" from a pydantic error location."""
    where = [name]
    rest = list(loc)
    if len(rest) >= 2 and rest[0] in ("regles", "liens") and isinstance(rest[1], int):
        index = rest[1]
        rules = data.get(rest[0]) if isinstance(data, dict) else None
        rule = rules[index] if isinstance(rules, list) and index < len(rules) else None
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        kind = "règle" if rest[0] == "regles" else "lien"
        where.append(f"{kind} '{rule_id}'" if rule_id else f"{kind} n° {index + 1}")
        rest = rest[2:]
    field = ""
    for part in rest:
        if isinstance(part, int):
            field += f"[{part}]"
        elif not (isinstance(part, str) and part.startswith("function-")):
            field += ("." if field else "") + str(part)
    if field:
        where.append(f"champ '{field}'")
    return ", ".join(where)


def parse_file(path: Path, name: str | None = None) -> _File:
    """Read and validate one rule file; `name` (default: the file name) selects its kind."""
    name = name or path.name
    model = MODELS.get(name)
    if model is None:
        raise RulesError(f"{name} : fichier de règles inconnu (attendus : {', '.join((*FILES, LINKS_FILE))})")
    key = "liens" if model is LinksFile else "regles"
    expected_top = f"le fichier doit commencer par « version », « date » et « {key} »"
    parsed = RuleFile(model, RulesError, _location, expected_top).parse(path, name)
    seen: set[str] = set()
    for rule in getattr(parsed, key):
        if rule.id in seen:
            kind = "règle" if key == "regles" else "lien"
            raise RulesError(f"{name}, {kind} '{rule.id}', champ 'id' : identifiant en double")
        seen.add(rule.id)
    return parsed


def apply_links(ressources: RessourcesFile, links: LinksFile) -> RessourcesFile:
    """The cards with the Region's url/titre in place of the packaged ones; an id naming no card is an error (a
    typo would otherwise leave the national address silently)."""
    known = {rule.id for rule in ressources.regles}
    for link in links.liens:
        if link.id not in known:
            raise RulesError(
                f"{LINKS_FILE}, lien '{link.id}', champ 'id' : aucune fiche « {link.id} » dans ressources.yaml"
            )
    by_id = {link.id: link for link in links.liens}
    regles = []
    for rule in ressources.regles:
        override = by_id.get(rule.id)
        if override is not None:
            changes = {
                field: getattr(override, field)
                for field in ("url", "titre")
                if getattr(override, field) is not None
            }
            rule = rule.model_copy(update=changes)
        regles.append(rule)
    return ressources.model_copy(update={"regles": regles})


def _rule_paths(directory: Path) -> list[Path]:
    """The three rule files of `directory`; a folder holding only liens.yaml keeps the packaged rules."""
    if (directory / LINKS_FILE).exists() and not any((directory / name).exists() for name in FILES):
        return [DEFAULT_DIRECTORY / name for name in FILES]
    return [directory / name for name in FILES]


def rules_directory() -> Path:
    configured = getattr(settings, "SPRO_ANSWER_RULES_DIR", None)
    return Path(configured) if configured else DEFAULT_DIRECTORY


def _paths(directory: Path) -> list[Path]:
    """The files a folder's rules are read from: the three rule files, and the Region's links when it has some."""
    links = directory / LINKS_FILE
    return _rule_paths(directory) + ([links] if links.exists() else [])


def _read(directory: Path) -> RuleSet:
    parsed = [parse_file(path) for path in _paths(directory)]
    # parse_file's kind follows the file name: _paths lists orientations, étapes, ressources, then the links.
    ressources = cast(RessourcesFile, parsed[2])
    if len(parsed) == 4:
        ressources = apply_links(ressources, cast(LinksFile, parsed[3]))
    return RuleSet(cast(OrientationsFile, parsed[0]), cast(EtapesFile, parsed[1]), ressources, directory)


#: Per folder; an invalid edit made while the site runs keeps the last valid rules (see `load_rules`).
_cache: FileCache[Path, RuleSet] = FileCache(
    _read,
    _paths,
    RulesError,
    keep_last_valid=True,
    logger=logger,
    message="règles de la réponse non rechargées, les précédentes restent en service",
)


def load_rules(directory: Path | None = None) -> RuleSet:
    """The validated rules of `directory` (default: `SPRO_ANSWER_RULES_DIR`, else the package's `rules/`).

    Cached per folder and re-read when a file's modification time changes, so a Region's edit takes effect
    without a restart. An invalid edit is never half-applied: rules never loaded raise RulesError (`spro check`
    and the first request say why); an invalid edit made while the site runs keeps the last valid rules (never a
    500) and the operator reads why in the log, once per edit.
    """
    return _cache.get(Path(directory or rules_directory()).resolve())


def check(path: Path) -> list[str]:
    """Every error of a rules folder (or one rule file), as French messages; empty when valid."""
    if path.is_dir():
        links: Path | None = path / LINKS_FILE
        paths = [p for p in _rule_paths(path) if p.parent == path]
    else:
        links = path if path.name == LINKS_FILE else None
        paths = [] if links else [path]
    errors = []
    for file in paths:
        try:
            parse_file(file)
        except RulesError as error:
            errors.extend(str(error).splitlines())
    if links is not None and links.exists():
        ressources = links.parent / "ressources.yaml"
        try:
            overrides = parse_file(links)
            base = parse_file(ressources if ressources.exists() else DEFAULT_DIRECTORY / "ressources.yaml")
            apply_links(cast(RessourcesFile, base), cast(LinksFile, overrides))
        except RulesError as error:
            message = str(error).splitlines()
            errors.extend(line for line in message if line not in errors)
    return errors


# --- matching helpers shared by routing and next steps --------------------------------------------------------


def need_scores(besoins: list[BesoinScore]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for besoin in besoins:
        scores[besoin.code] = max(scores.get(besoin.code, 0.0), besoin.score)
    return scores


def render(text: str, profile: Profile, metiers: list[MetierMatch]) -> str:
    """Fill the placeholders (validated at load against the rule's conditions, so each has a value here)."""
    values = {"age": profile.age, "metier": _metier_label(metiers[0]) if metiers else ""}
    return text.format(**values)


def _metier_label(metier: MetierMatch) -> str:
    return metier.appellation or metier.libelle
