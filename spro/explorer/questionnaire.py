"""The interest questionnaire: one data file (`questionnaire.yaml`), validated by a strict model through the shared
rule-file loader, so that a wrong letter, an unknown centre d'intérêt or a reused id is refused at start-up
(`spro check`) with its item and field, never discovered by a person on the page.

Why a data file: the items are content (words a pupil of 13 reads), reviewed apart from the scoring code, and each
item says which ROME 4.0 dimensions it speaks of (RIASEC letters, centres d'intérêt codes).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spro.core.rulefiles import RuleFile, RuleFileError

PATH = Path(__file__).with_name("questionnaire.yaml")
RIASEC = "RIASEC"
#: ROME 4.0's centres d'intérêt (unix_centre_interet_v460_utf8.csv, v4.60: codes 1 to 30). A new ROME version that
#: adds one is checked against the imported referential by tests/explorer/test_questionnaire.py.
CENTRE_CODES = frozenset(str(n) for n in range(1, 31))
#: Words that name a person in one gender only: an item says what one does (a verb), never who one is.
GENDERED_WORDS = (
    "infirmier", "infirmière", "conducteur", "conductrice", "vendeur", "vendeuse", "chef ", "cheffe", "un artiste",
    "passionné ", "passionnée ", "attiré ", "attirée ", "amateur ", "amatrice ", "technicien", "ingénieur",
)  # fmt: skip


class QuestionnaireError(RuleFileError):
    """questionnaire.yaml is invalid (one line per problem: item, field, what)."""


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    valeur: int = Field(ge=0, le=9)
    libelle: str = Field(min_length=1)


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: int = Field(ge=1, le=999)
    libelle: str = Field(min_length=3, max_length=90)
    riasec: str = Field(default="", max_length=2)
    centres: tuple[str, ...] = ()

    @property
    def param(self) -> str:
        """The item's parameter in the results address (`r12`)."""
        return f"r{self.id}"

    @field_validator("riasec")
    @classmethod
    def _letters(cls, value: str) -> str:
        if any(letter not in RIASEC for letter in value) or len(set(value)) != len(value):
            raise ValueError(f"lettres RIASEC inconnues ou répétées « {value} » (R, I, A, S, E ou C)")
        return value

    @field_validator("centres")
    @classmethod
    def _centres(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in CENTRE_CODES]
        if unknown:
            raise ValueError(f"centre d'intérêt inconnu « {unknown[0]} » (codes ROME 1 à 30)")
        return value

    @field_validator("libelle")
    @classmethod
    def _neutral(cls, value: str) -> str:
        folded = f" {value.lower()} "
        for word in GENDERED_WORDS:
            if word in folded:
                raise ValueError(f"« {word.strip()} » nomme une personne d'un seul genre : écrivez un verbe")
        return value

    @model_validator(mode="after")
    def _leads_somewhere(self) -> Item:
        if not self.riasec and not self.centres:
            raise ValueError("l'item ne mène à aucune dimension : donnez « riasec » ou « centres »")
        return self


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[a-z-]+$")
    titre: str = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    echelle: tuple[Choice, ...] = Field(min_length=3, max_length=4)
    groupes: tuple[Group, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        ids = [item.id for item in self.items]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"groupes : l'id {repeated[0]} est utilisé par plusieurs items")
        values = [choice.valeur for choice in self.echelle]
        if values != list(range(len(values))):
            raise ValueError("echelle : les valeurs vont de 0 à n − 1, dans l'ordre")
        letters = {letter for item in self.items for letter in item.riasec}
        if letters != set(RIASEC):
            raise ValueError(f"groupes : aucune question ne mène aux lettres {sorted(set(RIASEC) - letters)}")
        return self

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groupes for item in group.items)

    @property
    def top(self) -> int:
        """The highest answer (« Beaucoup »)."""
        return self.echelle[-1].valeur

    @property
    def centres(self) -> tuple[str, ...]:
        """The centres d'intérêt the questionnaire asks about, sorted by code."""
        return tuple(sorted({c for item in self.items for c in item.centres}, key=int))


def _location(name: str, data: Any, loc: tuple[Any, ...]) -> str:
    """« questionnaire.yaml, item 12, champ « riasec » » from a pydantic error location."""
    parts = [name]
    if len(loc) >= 4 and loc[0] == "groupes" and loc[2] == "items":
        try:
            item_id = data["groupes"][loc[1]]["items"][loc[3]].get("id", f"n° {loc[3] + 1}")
        except (KeyError, IndexError, TypeError, AttributeError):
            item_id = f"n° {loc[3] + 1}"
        parts.append(f"groupe {loc[1] + 1}, item {item_id}")
        if len(loc) >= 5:
            parts.append(f"champ « {loc[4]} »")
    elif loc:
        parts.append(f"champ « {'.'.join(str(p) for p in loc)} »")
    return ", ".join(parts)


FILE = RuleFile(
    Questionnaire, QuestionnaireError, _location, "le fichier doit commencer par « version », « echelle »…"
)


def parse(path: Path = PATH) -> Questionnaire:
    """Read and validate a questionnaire file; QuestionnaireError with every problem."""
    return FILE.parse(path)


@functools.cache
def get_questionnaire() -> Questionnaire:
    """The built-in questionnaire (read once per process: it ships with the code, it is not edited live)."""
    return parse(PATH)
