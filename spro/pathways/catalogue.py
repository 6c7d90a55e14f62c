"""The catalogues of « Mon parcours »: axes (focuses), typical steps (objectives) and typical actions, as YAML files
a Region edits (docs/parcours.md), after the Carnet de bord's `ref_theme`, `ref_target` and `ref_action`.

Two folders are read, every `*.yaml` file of each in name order: the packaged catalogue (`spro/pathways/catalogue/`)
and the Region's folder `<SPRO_ANSWER_RULES_DIR>/parcours/` (the folder where the Region keeps its answer rules and
its schemes). Every file has the same shape (`version: 1`, then `axes`, `objectifs`, `actions`, each optional). An
entry whose code is already known replaces it whole; `masque: true` removes it (a packaged entry the Region does not
want). Each file is validated by a strict pydantic model through the one rule-file loader (`spro.core.rulefiles`):
every problem names the file, the line and the field, in French. Cross-references (a step's `axe`, an action's
`objectifs`) are checked once every file is merged, with the line of the reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spro.core import rulefiles
from spro.core.rulefiles import (
    MESSAGES,
    FileCache,
    RuleFile,
    RuleFileError,
    line_locator,
    node_line,
    read_yaml_tree,
)

logger = logging.getLogger(__name__)

PACKAGED_DIRECTORY = Path(__file__).resolve().parent / "catalogue"
#: The Region's files live in this sub-folder of its rules folder (settings.SPRO_ANSWER_RULES_DIR).
REGION_SUBFOLDER = "parcours"
CODE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Code = Annotated[str, Field(min_length=2, max_length=60, pattern=CODE_PATTERN)]
Label = Annotated[str, Field(min_length=3, max_length=200)]


class CatalogueError(RuleFileError):
    """A catalogue file is invalid: one line per problem, naming the file, the line and the field, in French."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Entry(_Strict):
    code: Code
    libelle: Label | None = None
    #: true: removes the entry of the same code read before (a packaged one the Region does not want).
    masque: bool = False

    @model_validator(mode="after")
    def _label_unless_hidden(self) -> _Entry:
        if not self.masque and self.libelle is None:
            raise ValueError("libelle : champ obligatoire manquant")
        return self


class Axe(_Entry):
    description: Annotated[str, Field(max_length=300)] = ""


class Objectif(_Entry):
    axe: Code | None = None

    @model_validator(mode="after")
    def _axis_unless_hidden(self) -> Objectif:
        if not self.masque and self.axe is None:
            raise ValueError("axe : champ obligatoire manquant")
        return self


class ActionType(_Entry):
    objectifs: list[Code] = []

    @model_validator(mode="after")
    def _objectives_unless_hidden(self) -> ActionType:
        if not self.masque and not self.objectifs:
            raise ValueError("objectifs : indiquez au moins une étape (code d’un objectif)")
        return self


class CatalogueFile(_Strict):
    version: Literal[1]
    axes: list[Axe] = []
    objectifs: list[Objectif] = []
    actions: list[ActionType] = []


_MESSAGES = {**MESSAGES, "string_pattern_mismatch": "lettres minuscules, chiffres et tirets seulement"}


def parse_file(path: Path, name: str | None = None) -> tuple[CatalogueFile, Any]:
    """One file, validated; its YAML node tree too (for the lines of the cross-reference errors)."""
    name = name or path.name
    root, data = read_yaml_tree(path, CatalogueError, name)
    rule_file = RuleFile(
        CatalogueFile,
        CatalogueError,
        line_locator(root),
        "le fichier doit commencer par « version: 1 »",
        _MESSAGES,
    )
    parsed = rule_file.validate(data, name)
    errors = []
    for section in ("axes", "objectifs", "actions"):
        seen: set[str] = set()
        for index, entry in enumerate(getattr(parsed, section)):
            if entry.code in seen:
                line = node_line(root, [section, index, "code"])
                errors.append(
                    f"{name}, ligne {line}, champ '{section}[{index}].code' : code en double ({entry.code})"
                )
            seen.add(entry.code)
    if errors:
        raise CatalogueError("\n".join(errors))
    return parsed, root


@dataclass(frozen=True)
class Catalogue:
    """The entries in service, in the order they were read (a replaced entry keeps its place)."""

    axes: dict[str, Axe] = field(default_factory=dict)
    objectifs: dict[str, Objectif] = field(default_factory=dict)
    actions: dict[str, ActionType] = field(default_factory=dict)

    def axe_label(self, code: str) -> str:
        axe = self.axes.get(code)
        return axe.libelle or code if axe else code

    def objectifs_of(self, axe: str) -> list[Objectif]:
        return [o for o in self.objectifs.values() if o.axe == axe]

    def actions_of(self, objectif: str) -> list[ActionType]:
        return [a for a in self.actions.values() if objectif in a.objectifs]


def region_directory() -> Path | None:
    """`<SPRO_ANSWER_RULES_DIR>/parcours/`, or None when no Region rules folder is configured."""
    return rulefiles.region_rules_folder(REGION_SUBFOLDER)


files_of = rulefiles.yaml_files


def build(packaged: Path, region: Path | None) -> Catalogue:
    """Read both folders and merge them; CatalogueError listing every problem of every file."""
    if not files_of(packaged):
        raise CatalogueError(f"catalogue des parcours introuvable ou vide : {packaged}")
    errors: list[str] = []
    sections: dict[str, dict[str, Any]] = {"axes": {}, "objectifs": {}, "actions": {}}
    #: code → where its references are written (file name, node tree, index), for the cross-reference lines.
    where: dict[tuple[str, str], tuple[str, Any, int]] = {}
    for prefix, directory in (("", packaged), (f"{REGION_SUBFOLDER}/", region)):
        for path in files_of(directory):
            name = prefix + path.name
            try:
                parsed, root = parse_file(path, name)
            except CatalogueError as error:
                errors.extend(str(error).splitlines())
                continue
            for section in sections:
                for index, entry in enumerate(getattr(parsed, section)):
                    if entry.masque:
                        sections[section].pop(entry.code, None)
                        where.pop((section, entry.code), None)
                    else:
                        sections[section][entry.code] = entry
                        where[(section, entry.code)] = (name, root, index)
    for code, objectif in sections["objectifs"].items():
        if objectif.axe not in sections["axes"]:
            name, root, index = where[("objectifs", code)]
            line = node_line(root, ["objectifs", index, "axe"])
            errors.append(
                f"{name}, ligne {line}, champ 'objectifs[{index}].axe' : axe inconnu ({objectif.axe})"
            )
    for code, action in sections["actions"].items():
        unknown = [o for o in action.objectifs if o not in sections["objectifs"]]
        if unknown:
            name, root, index = where[("actions", code)]
            line = node_line(root, ["actions", index, "objectifs"])
            errors.append(
                f"{name}, ligne {line}, champ 'actions[{index}].objectifs' : objectif inconnu ({', '.join(unknown)})"
            )
    if errors:
        raise CatalogueError("\n".join(errors))
    return Catalogue(sections["axes"], sections["objectifs"], sections["actions"])


_cache: FileCache[tuple[Path, Path | None], Catalogue] = FileCache(
    lambda key: build(*key),
    rulefiles.layered_paths,
    CatalogueError,
    keep_last_valid=True,
    logger=logger,
    message="catalogue des parcours non rechargé, le précédent reste en service",
)


def load(packaged: Path | None = None, region: Path | None = None, *, use_settings: bool = True) -> Catalogue:
    """The catalogue in service: cached per process, read again when a file changes; an invalid edit made while
    the site runs keeps the last valid catalogue (logged once), a catalogue never loaded raises."""
    if region is None and use_settings:
        region = region_directory()
    key = (Path(packaged or PACKAGED_DIRECTORY).resolve(), region.resolve() if region else None)
    return _cache.get(key)


def check(packaged: Path | None = None, region: Path | None = None) -> list[str]:
    """Every problem of the packaged catalogue merged with a Region's folder (empty when valid); uncached."""
    try:
        build(Path(packaged or PACKAGED_DIRECTORY), region)
    except CatalogueError as error:
        return str(error).splitlines()
    return []
