"""The one loader of the data files a Region edits (spro.core.rulefiles), on a small model of its own: the answer's
files are tested with their own messages in tests/answer/test_rules.py and test_needs.py."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from spro.core.rulefiles import (
    MESSAGES,
    FileCache,
    RuleFile,
    RuleFileError,
    line_locator,
    node_line,
    read_yaml,
    read_yaml_tree,
)


class CatalogueError(RuleFileError):
    pass


class Aide(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(pattern=r"^[a-z-]+$")]
    montant: Annotated[int, Field(ge=0)]
    plafond: int = 0

    @model_validator(mode="after")
    def _plafond(self) -> Aide:
        if self.plafond and self.plafond < self.montant:
            raise ValueError("plafond : inférieur au montant")
        return self


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    aides: list[Aide]


def locate(name: str, data: Any, loc: tuple[Any, ...]) -> str:
    where = [name]
    if loc[:1] == ("aides",) and len(loc) >= 2:
        where.append(f"aide '{data['aides'][loc[1]].get('id')}'")
        loc = loc[2:]
    if loc:
        where.append(f"champ '{'.'.join(map(str, loc))}'")
    return ", ".join(where)


CATALOGUE = RuleFile(Catalogue, CatalogueError, locate, "le fichier doit commencer par « version »")
VALID = "version: 1\naides:\n  - id: permis\n    montant: 500\n"


def write(tmp_path: Path, text: str, name: str = "aides.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def touch_later(path: Path, seconds: int) -> None:
    later = time.time_ns() + seconds * 10**9
    os.utime(path, ns=(later, later))


def test_a_valid_file_gives_its_model(tmp_path):
    assert CATALOGUE.parse(write(tmp_path, VALID)).aides[0].montant == 500


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\naides: [\n", r"aides.yaml, ligne \d+ : YAML invalide"),
        ("- version\n", "aides.yaml : le fichier doit commencer par « version »"),
        (
            VALID.replace("500", "-3"),
            "aides.yaml, aide 'permis', champ 'montant' : doit être supérieur ou égal à 0",
        ),
        (VALID.replace("500", "beaucoup"), "aide 'permis', champ 'montant' : nombre entier attendu"),
        (VALID + "    couleur: bleu\n", "aide 'permis', champ 'couleur' : champ inconnu"),
        (VALID.replace("version: 1\n", ""), "aides.yaml, champ 'version' : champ obligatoire manquant"),
        (VALID + "    plafond: 100\n", "aide 'permis', champ 'plafond' : inférieur au montant"),
    ],
)
def test_every_error_names_the_file_the_rule_and_the_field_in_french(tmp_path, text, message):
    with pytest.raises(CatalogueError, match=message):
        CATALOGUE.parse(write(tmp_path, text))


def test_every_problem_of_a_file_is_listed_one_per_line(tmp_path):
    text = VALID.replace("500", "-3") + "    couleur: bleu\n"
    with pytest.raises(CatalogueError) as error:
        CATALOGUE.parse(write(tmp_path, text))
    assert len(str(error.value).splitlines()) == 2


def test_a_file_kind_may_word_an_error_its_own_way(tmp_path):
    own = RuleFile(
        Catalogue,
        CatalogueError,
        locate,
        "…",
        {**MESSAGES, "greater_than_equal": "positif attendu (reçu : {input!r})"},
    )
    with pytest.raises(CatalogueError, match=r"champ 'montant' : positif attendu \(reçu : -3\)"):
        own.parse(write(tmp_path, VALID.replace("500", "-3")))


def test_a_file_read_with_its_node_tree_names_the_line_of_each_problem(tmp_path):
    text = VALID + "  - id: logement\n    montant: -3\n    couleur: bleu\n"
    path = write(tmp_path, text)
    root, data = read_yaml_tree(path, CatalogueError)
    assert data["aides"][1]["id"] == "logement"
    assert node_line(root, ["aides", 1, "montant"]) == 6
    assert node_line(root, ["aides", 1, "absent"]) == 5  # a missing field: its item's line
    by_line = RuleFile(Catalogue, CatalogueError, line_locator(root), "…")
    with pytest.raises(CatalogueError) as error:
        by_line.validate(data, path.name)
    assert str(error.value).splitlines() == [
        "aides.yaml, ligne 6, champ 'aides[1].montant' : doit être supérieur ou égal à 0",
        "aides.yaml, ligne 7, champ 'aides[1].couleur' : champ inconnu",
    ]


def test_a_file_read_with_its_node_tree_has_the_same_errors_as_read_yaml(tmp_path):
    with pytest.raises(CatalogueError, match="absent.yaml : fichier introuvable dans"):
        read_yaml_tree(tmp_path / "absent.yaml", CatalogueError)
    with pytest.raises(CatalogueError, match=r"faux.yaml, ligne 2 : YAML invalide"):
        read_yaml_tree(write(tmp_path, "a: 1\n b: [\n", "faux.yaml"), CatalogueError)


def test_a_missing_or_unreadable_file_is_named(tmp_path):
    with pytest.raises(CatalogueError, match="absent.yaml : fichier introuvable dans"):
        read_yaml(tmp_path / "absent.yaml", CatalogueError)
    (tmp_path / "latin1.yaml").write_bytes("nom: Crédit".encode("latin-1"))
    with pytest.raises(CatalogueError, match="latin1.yaml : lecture impossible"):
        read_yaml(tmp_path / "latin1.yaml", CatalogueError)


def test_the_file_cache_reads_a_file_again_only_when_it_changes(tmp_path):
    path = write(tmp_path, VALID)
    reads = []

    def build(p: Path) -> Catalogue:
        reads.append(p)
        return CATALOGUE.parse(p)

    files = FileCache(build, lambda p: [p], CatalogueError)
    assert files.get(path).aides[0].montant == 500
    files.get(path)
    assert len(reads) == 1
    path.write_text(VALID.replace("500", "600"), encoding="utf-8")
    touch_later(path, 1)
    assert files.get(path).aides[0].montant == 600
    path.unlink()
    with pytest.raises(CatalogueError, match="aides.yaml : fichier introuvable"):
        files.get(path)


def test_without_keep_last_valid_an_invalid_edit_raises(tmp_path):
    path = write(tmp_path, VALID)
    files = FileCache(CATALOGUE.parse, lambda p: [p], CatalogueError)
    files.get(path)
    path.write_text(VALID.replace("500", "-3"), encoding="utf-8")
    touch_later(path, 1)
    with pytest.raises(CatalogueError, match="montant"):
        files.get(path)


def test_with_keep_last_valid_an_invalid_live_edit_keeps_the_last_content_and_is_logged_once(
    tmp_path, caplog
):
    path = write(tmp_path, VALID)
    log = logging.getLogger("tests.catalogue")
    files = FileCache(
        CATALOGUE.parse,
        lambda p: [p],
        CatalogueError,
        keep_last_valid=True,
        logger=log,
        message="non rechargé",
    )
    assert files.get(path).aides[0].montant == 500
    path.write_text(VALID.replace("500", "-3"), encoding="utf-8")
    touch_later(path, 1)
    with caplog.at_level(logging.ERROR, logger="tests.catalogue"):
        assert files.get(path).aides[0].montant == 500
        assert files.get(path).aides[0].montant == 500
    assert [r.getMessage() for r in caplog.records] == [
        "non rechargé : aides.yaml, aide 'permis', champ 'montant' : doit être supérieur ou égal à 0"
    ]
    files.clear()
    with pytest.raises(CatalogueError):  # never loaded: refused
        files.get(path)
