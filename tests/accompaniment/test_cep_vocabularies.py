"""The CEP's code lists: two levels, the stages with their level, the seven outcomes the issue names; every code has
a French description; the accompaniment's fields take their choices from here."""

from __future__ import annotations

import pytest

from spro.accompaniment import cep
from spro.accompaniment.models import Accompaniment


def test_two_levels_as_the_2019_specification():
    assert cep.CepLevel.values == ["niveau-1", "niveau-2"]
    assert "accueil individualisé" in cep.CepLevel.ACCUEIL.label
    assert "accompagnement personnalisé" in cep.CepLevel.ACCOMPAGNEMENT.label


def test_the_outcomes_named_by_the_issue():
    assert set(cep.CepOutcome.values) == {
        "projet-defini",
        "formation-engagee",
        "vae-engagee",
        "mobilite-interne",
        "creation-activite",
        "changement-emploi",
        "sans-suite",
    }


def test_each_stage_has_its_level():
    assert cep.level_of_stage("accueil") == "niveau-1"
    assert {cep.level_of_stage(s) for s in ("analyse-situation", "formalisation", "mise-en-oeuvre")} == {
        "niveau-2"
    }
    assert cep.level_of_stage("termine") is None
    with pytest.raises(KeyError):
        cep.level_of_stage("inconnue")


@pytest.mark.parametrize(
    "texts",
    [cep.LEVEL_DESCRIPTIONS, cep.STAGE_DESCRIPTIONS, cep.OUTCOME_DESCRIPTIONS],
)
def test_every_code_has_a_sentence(texts):
    for code, text in texts.items():
        assert len(text) > 20 and text.endswith("."), code


def test_the_accompaniment_fields_use_these_choices():
    fields = {f.name: f for f in Accompaniment._meta.get_fields() if hasattr(f, "choices")}
    assert fields["cep_level"].choices == cep.CepLevel.choices
    assert fields["cep_stage"].choices == cep.CepStage.choices
    assert fields["cep_outcome"].choices == cep.CepOutcome.choices
