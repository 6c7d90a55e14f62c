"""The one loader of the data files a Region's staff edit (answer rules, needs lexicon, aids catalogue; next:
indicators): read YAML, validate with a pydantic model, report every error in French with the file, the line or the
rule, and the field; keep the parsed content per process and read it again when a file's modification time changes.

Why one loader: an editor reads the same kind of message whatever the file, and a new domain gets the cache, the
French wording and the « an invalid live edit keeps the last valid content » behaviour by declaring its model and
how a location reads (`RuleFile`, `FileCache`), instead of copying them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spro.core.cache import KeyedCache

M = TypeVar("M", bound=BaseModel)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: How a location reads: (file name, the parsed YAML, pydantic's error location) → "orientations.yaml, règle 'x'…".
Locate = Callable[[str, Any, tuple[Any, ...]], str]


class RuleFileError(ValueError):
    """A data file is invalid: the message (one line per problem) names the file, the rule and the field."""


def read_yaml(path: Path, error: type[Exception], name: str | None = None) -> Any:
    """The parsed content of `path`; `error(message)` when it cannot be read or parsed (the line when YAML knows)."""
    name = name or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{name} : fichier introuvable dans {path.parent}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{name} : lecture impossible ({exc})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", ligne {mark.line + 1}" if mark is not None else ""
        raise error(f"{name}{line} : YAML invalide ({getattr(exc, 'problem', exc)})") from None


class AgeBounds(BaseModel):
    """Inclusive age bounds, as every rule file writes them (`age: {min: 16, max: 25}`): `max: 25` admits a person
    of 25 (« jusqu'à 25 ans révolus »), not of 26; at least one bound, and min ≤ max."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: Annotated[int, Field(ge=0, le=120)] | None = None
    max: Annotated[int, Field(ge=0, le=120)] | None = None

    def within(self, age: int) -> bool:
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)

    @model_validator(mode="after")
    def _coherent(self) -> AgeBounds:
        if self.min is None and self.max is None:
            raise ValueError("indiquez au moins « min » ou « max »")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"âge minimum ({self.min}) supérieur à l'âge maximum ({self.max})")
        return self


#: French wording of pydantic's common errors (the editors of the files read French).
MESSAGES: dict[str, str] = {
    "extra_forbidden": "champ inconnu",
    "missing": "champ obligatoire manquant",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "bool_parsing": "true ou false attendu",
    "bool_type": "true ou false attendu",
    "string_type": "texte attendu",
    "string_too_short": "texte trop court (au moins {min_length} caractères)",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "lettres minuscules, chiffres et tirets seulement",
    "list_type": "liste attendue",
    "too_short": "au moins {min_length} élément(s) attendu(s)",
    "dict_type": "ensemble de champs attendu",
    "model_type": "ensemble de champs attendu",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "literal_error": "valeur attendue : {expected}",
}


def french_message(error: Mapping[str, Any], messages: Mapping[str, str] = MESSAGES) -> str:
    """One pydantic error in French: the template of its type (filled with its context, and `{input}`), else the
    validator's own message (our validators write French)."""
    template = messages.get(error["type"])
    if template is not None:
        try:
            return template.format(input=error.get("input"), **error.get("ctx", {}))
        except (KeyError, IndexError):
            return template.split(" (")[0]
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


#: A validator's message that names its own field ("alors[1].raison : …"): the field joins the location.
_FIELD_PREFIX = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*) : (.*)$", re.DOTALL)


def describe(
    name: str, data: Any, error: Mapping[str, Any], locate: Locate, messages: Mapping[str, str]
) -> str:
    """« <where> : <what> » for one pydantic error."""
    loc, message = tuple(error["loc"]), french_message(error, messages)
    prefixed = _FIELD_PREFIX.match(message)
    if prefixed:
        named, message = prefixed.groups()
        parts = [part for part in re.split(r"\.|\[(\d+)\]", named) if part]
        loc = (*loc, *[int(part) if part.isdigit() else part for part in parts])
    return f"{locate(name, data, loc)} : {message}"


@dataclass(frozen=True)
class RuleFile(Generic[M]):
    """One kind of data file: its model, its error class, how its locations read and what its top must hold."""

    model: type[M]
    error: type[Exception]
    locate: Locate
    #: Said after « <file> : » when the file is not a mapping ("le fichier doit commencer par « version »…").
    expected_top: str
    #: The French templates, by pydantic error type (MESSAGES, or a file's own variant of it).
    messages: Mapping[str, str] = field(default_factory=lambda: MESSAGES)

    def parse(self, path: Path, name: str | None = None) -> M:
        """Read and validate the file; `error` with every problem, one per line."""
        name = name or path.name
        return self.validate(read_yaml(path, self.error, name), name)

    def validate(self, data: Any, name: str) -> M:
        """Validate content already read (by `read_yaml_tree`, when the locations need the lines)."""
        if not isinstance(data, dict):
            raise self.error(f"{name} : {self.expected_top}")
        try:
            return self.model.model_validate(data)
        except ValidationError as exc:
            lines = [describe(name, data, e, self.locate, self.messages) for e in exc.errors()]
            raise self.error("\n".join(lines)) from None


# --- line numbers: files whose locations name the line (one file per item, as the aids catalogue) ---------------

#: libyaml's loader when PyYAML has it (about 7 times faster than the pure-Python one).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_tree(
    path: Path, error: type[Exception], name: str | None = None
) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (for `node_line`) and the data of one file, parsed once; `read_yaml`'s French error (file
    missing or unreadable, invalid YAML with its line) when it cannot be."""
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            root = loader.get_single_node()
            return root, (loader.construct_document(root) if root is not None else None)
        finally:
            loader.dispose()
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        read_yaml(path, error, name)  # raises with the wording every rule file uses
        raise  # pragma: no cover - read_yaml raised above


def node_line(node: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    """The 1-based line of the YAML node at `loc` (keys and list indexes), or of its deepest existing parent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    # A missing or wrong value points at its key's line (the value may be on the next lines).
                    line, node = key.start_mark.line + 1, value
                    if isinstance(value, yaml.ScalarNode):
                        line = value.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _field_path(loc: Sequence[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def line_locator(root: yaml.Node | None) -> Locate:
    """Locations as « <file>, ligne N, champ 'a.b[0]' » from the file's node tree (validators' names dropped)."""

    def locate(name: str, _data: Any, loc: tuple[Any, ...]) -> str:
        clean = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
        line = node_line(root, clean)
        where = [name] + ([f"ligne {line}"] if line else [])
        field_name = _field_path(clean)
        if field_name:
            where.append(f"champ '{field_name}'")
        return ", ".join(where)

    return locate


def modification_times(paths: Sequence[Path], error: type[Exception]) -> tuple[int, ...]:
    """The freshness stamp of files: their modification times; `error` naming the first missing file."""
    try:
        return tuple(path.stat().st_mtime_ns for path in paths)
    except FileNotFoundError as exc:
        missing = Path(exc.filename)
        raise error(f"{missing.name} : fichier introuvable dans {missing.parent}") from None


class FileCache(KeyedCache[K, V]):
    """Parsed files per key (a file, or a folder of files), read again when one of `paths(key)` changes.

    `keep_last_valid`: a file edited while the site runs into an invalid state keeps the last valid content in
    service (never a 500) and `logger` says why at ERROR, once per edit (`message` starts the log line); content
    never loaded still raises, so that `spro check` and the first request say why.
    """

    def __init__(
        self,
        build: Callable[[K], V],
        paths: Callable[[K], Sequence[Path]],
        error: type[Exception],
        *,
        keep_last_valid: bool = False,
        logger: logging.Logger | None = None,
        message: str = "fichier non rechargé, le contenu précédent reste en service",
    ) -> None:
        def on_kept(_key: K, exc: Exception) -> None:
            (logger or logging.getLogger(__name__)).error("%s : %s", message, exc)

        super().__init__(
            lambda key, _stamp: build(key),
            lambda key: modification_times(paths(key), error),
            keep_last_on=(error,) if keep_last_valid else (),
            on_kept=on_kept,
        )


# --- Catalogues in two folders: the packaged one and the Region's -----------------------------------------------------
# The schemes and aids (`spro/aides/catalogue/`, `<SPRO_ANSWER_RULES_DIR>/dispositifs/`) and the typical steps of a
# pathway (`spro/pathways/catalogue/`, `<SPRO_ANSWER_RULES_DIR>/parcours/`) are both one YAML file per entry in a
# packaged folder, overridden by the Region's folder of the same kind. How those folders are found and watched lives
# here once.


def region_rules_folder(subfolder: str) -> Path | None:
    """`<SPRO_ANSWER_RULES_DIR>/<subfolder>/`, or None when no Region rules folder is configured."""
    from django.conf import settings

    configured = getattr(settings, "SPRO_ANSWER_RULES_DIR", "")
    return Path(configured) / subfolder if configured else None


#: folder → (its modification time, its YAML files): listing a folder is the costly part of the freshness check made
#: on every read; a file added, removed or renamed changes the folder's modification time.
_listings: dict[Path, tuple[int, list[Path]]] = {}


def yaml_files(directory: Path | None) -> list[Path]:
    """The `*.yaml` files of a folder, in name order (a missing folder, or none, has none)."""
    if directory is None:
        return []
    try:
        stamp = directory.stat().st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return []
    cached = _listings.get(directory)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    files = sorted(path for path in directory.glob("*.yaml") if path.is_file())
    _listings[directory] = (stamp, files)
    return files


def layered_paths(key: tuple[Path, Path | None]) -> list[Path]:
    """What a two-folder catalogue is read from, for `FileCache`'s freshness: both folders (a file added or removed
    changes them) and each of their files."""
    packaged, region = key
    folders = [packaged] + ([region] if region is not None and region.is_dir() else [])
    return folders + yaml_files(packaged) + yaml_files(region)
