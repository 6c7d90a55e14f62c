"""Indicators declared as data: one YAML file per indicator, packaged in `spro/monitoring/indicators/` and
overridden or extended by the Region's `<SPRO_ANSWER_RULES_DIR>/indicateurs/` (same file name = replaced).

Read through the one rule-file loader (`spro.core.rulefiles`): a strict pydantic model, every problem named by file,
line and field, in French. An indicator whose source does not exist yet is declared with `disponible: false` and a
`statut` saying why: it is listed, never computed (no invented figure).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

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

PACKAGED = Path(__file__).resolve().parent / "indicators"
REGION_SUBFOLDER = "indicateurs"

#: The territory levels a breakdown or a filter may use, from the finest to the whole.
TERRITORY_LEVELS: dict[str, str] = {
    "commune": "Commune",
    "epci": "EPCI",
    "departement": "Département",
    "bassin": "Bassin d’emploi",
    "region": "Région",
}

#: The other breakdowns an indicator may allow (a dimension of its rollup), with their French labels.
DIMENSIONS: dict[str, str] = {
    "canal": "Canal",
    "tranche_age": "Tranche d’âge",
    "statut": "Statut",
    "besoin": "Besoin",
    "reponse": "Réponse apportée",
    "issue": "Issue",
    "delai": "Délai avant la première réponse",
    "type_structure": "Type de structure",
    "reseau": "Réseau",
    "contact": "Contact du jeune",
    "suivi": "Contact et maintien en solution",
    "situation": "Situation",
    "solution": "Type de solution",
    "obligation_formation": "Âge (obligation de formation)",
    "inscription": "Inscription",
    "presence": "Présence",
    "type_evenement": "Type d’événement",
    "interface": "Page ou API",
    "origine": "Origine",
    "niveau_cep": "Niveau CEP",
    "issue_cep": "Issue CEP",
    "service": "Service",
    "note": "Note (1 à 5)",
    "raison": "Raison",
    "delai_suivi": "Délai du suivi",
    "situation_3_mois": "Situation à 3 mois",
    "situation_6_mois": "Situation à 6 mois",
}

Code = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=40)]
Text = Annotated[str, Field(min_length=2, max_length=2000)]
Dimension = Literal[tuple(DIMENSIONS)]  # type: ignore[valid-type]  # built from the dict: one list
Level = Literal[tuple(TERRITORY_LEVELS)]  # type: ignore[valid-type]  # idem


class Source(BaseModel):
    """What is counted: the model (« app.Modèle ») and the event that makes a row count."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    modele: Text
    evenement: Text


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    libelle: Annotated[str, Field(min_length=2, max_length=120)]
    definition: Text
    source: Source
    mesure: Literal["nombre", "nombre-distinct", "delai-moyen", "taux", "valeurs-declarees"]
    ventilations: list[Dimension] = Field(default_factory=list)  # type: ignore[valid-type]
    territoires: list[Level] = Field(default_factory=list)  # type: ignore[valid-type]
    proprietaire: Text
    public: bool = False
    disponible: bool = True
    statut: Annotated[str, Field(max_length=500)] = ""

    @model_validator(mode="after")
    def _coherent(self) -> Indicator:
        if not self.disponible and not self.statut:
            raise ValueError("statut : dites pourquoi l’indicateur n’est pas disponible")
        if len(set(self.ventilations)) != len(self.ventilations):
            raise ValueError("ventilations : une ventilation est citée deux fois")
        return self


class IndicatorError(RuleFileError):
    """An indicator file is invalid: the message names the file, the line and the field."""


_MESSAGES = {**MESSAGES, "literal_error": "valeur attendue : {expected}"}


def parse_file(path: Path, name: str | None = None) -> Indicator:
    """One declaration, validated; its `code` must be the file's name (so an override is found by name)."""
    name = name or path.name
    root, data = read_yaml_tree(path, IndicatorError, name)
    rule_file = RuleFile(
        Indicator, IndicatorError, line_locator(root), "le fichier doit commencer par « code: »", _MESSAGES
    )
    indicator = rule_file.validate(data, name)
    if indicator.code != path.stem:
        raise IndicatorError(
            f"{name}, ligne {node_line(root, ['code'])}, champ 'code' : « {indicator.code} » ne correspond pas "
            f"au nom du fichier (attendu : {path.stem})"
        )
    return indicator


@dataclass(frozen=True)
class Declarations:
    """The indicators in service, in file-name order; the Region's files replace the packaged ones by code."""

    indicators: tuple[Indicator, ...]
    origins: dict[str, str]

    def get(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)


def build(packaged: Path, region: Path | None) -> Declarations:
    """Both folders; IndicatorError listing every problem of every file."""
    if not rulefiles.yaml_files(packaged):
        raise IndicatorError(f"déclarations d’indicateurs introuvables : {packaged}")
    errors: list[str] = []
    by_code: dict[str, Indicator] = {}
    origins: dict[str, str] = {}
    for origin, folder in (("national", packaged), ("region", region)):
        for path in rulefiles.yaml_files(folder):
            try:
                indicator = parse_file(path)
            except IndicatorError as error:
                prefix = "" if origin == "national" else f"{REGION_SUBFOLDER}/"
                errors.extend(prefix + line for line in str(error).splitlines())
                continue
            by_code[indicator.code] = indicator
            origins[indicator.code] = origin
    if errors:
        raise IndicatorError("\n".join(errors))
    return Declarations(tuple(by_code[c] for c in sorted(by_code)), origins)


_cache: FileCache[tuple[Path, Path | None], Declarations] = FileCache(
    lambda key: build(*key),
    rulefiles.layered_paths,
    IndicatorError,
    keep_last_valid=True,
    logger=logger,
    message="indicateurs non rechargés, les précédents restent en service",
)


def load(
    packaged: Path | None = None, region: Path | None = None, *, use_settings: bool = True
) -> Declarations:
    """The declarations in service (cached, read again when a file changes)."""
    if region is None and use_settings:
        region = rulefiles.region_rules_folder(REGION_SUBFOLDER)
    return _cache.get((packaged or PACKAGED, region))
