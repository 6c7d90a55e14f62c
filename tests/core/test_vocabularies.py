"""spro.core.vocabularies: every code has a value, a label and a description; statuts a person can state; the
referral's channels are the shared channels."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from spro.core import vocabularies
from spro.core.vocabularies.besoins import BESOIN_DESCRIPTIONS, BESOIN_PUBLIC_LABELS, Besoin
from spro.core.vocabularies.canaux import CANAL_DESCRIPTIONS, Canal
from spro.core.vocabularies.statuts import KNOWN_STATUTS, STATUT_DESCRIPTIONS, Statut
from spro.core.vocabularies.territoires import TERRITORY_DESCRIPTIONS, TerritoryLevel


@pytest.mark.parametrize(
    ("vocabulary", "descriptions"),
    [
        (Besoin, BESOIN_DESCRIPTIONS),
        (Canal, CANAL_DESCRIPTIONS),
        (Statut, STATUT_DESCRIPTIONS),
        (TerritoryLevel, TERRITORY_DESCRIPTIONS),
    ],
)
def test_every_code_has_a_label_and_a_description(vocabulary, descriptions):
    assert list(descriptions) == list(vocabulary.values)  # same codes, in the vocabulary's order
    for member in vocabulary:
        assert member.value and member.value == member.value.lower()
        assert member.label and member.label != member.value
        assert descriptions[member.value].strip()


def test_every_besoin_has_its_public_wording():
    assert set(BESOIN_PUBLIC_LABELS) == set(Besoin.values)
    assert all(label.strip() for label in BESOIN_PUBLIC_LABELS.values())


def test_known_statuts_are_every_statut_but_non_renseigne_in_order():
    assert Statut.NON_RENSEIGNE not in KNOWN_STATUTS
    assert KNOWN_STATUTS == (
        "collegien",
        "lyceen",
        "etudiant",
        "salarie",
        "demandeur-emploi",
        "independant",
        "sans-activite",
    )
    assert set(KNOWN_STATUTS) | {Statut.NON_RENSEIGNE} == set(Statut.values)


def test_the_package_lists_each_vocabulary_module_and_re_exports_nothing():
    modules = [info.name for info in pkgutil.iter_modules(vocabularies.__path__)]
    assert {"besoins", "canaux", "statuts", "territoires"} <= set(modules)
    for name in modules:
        importlib.import_module(f"spro.core.vocabularies.{name}")
        assert f"`{name}`" in vocabularies.__doc__, name
    public = {name for name in vars(vocabularies) if not name.startswith("_")} - set(modules)
    assert public <= {"annotations"}, public


def test_the_referral_channels_are_shared_channels():
    from spro.referrals.vocabularies import AppointmentChannel, ContactChannel

    assert set(ContactChannel.values) | set(AppointmentChannel.values) <= set(Canal.values)
    assert ContactChannel.choices == [(code, Canal(code).label) for code in ContactChannel.values]
