"""Roles carry labels and descriptions; scopes and memberships refuse incoherent rows (form and database)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from spro.accounts.models import Membership, Scope, StructureRole, TerritorialRole

from .factories import UserFactory


def test_every_role_has_a_french_label_and_a_description():
    for role in list(StructureRole) + list(TerritorialRole):
        assert role.label and role.description


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"role": "pilote_region"}, "région ou un département"),
        ({"role": "tete_de_reseau", "region": "bzh"}, "Typologie inconnue"),
        ({"role": "tete_de_reseau", "region": "bzh", "typologie": "XYZ"}, "Typologie inconnue"),
        ({"role": "pilote_region", "region": "bzh", "typologie": "ML"}, "Seule une tête de réseau"),
        ({"role": "pilote_region", "region": "bzh", "departement": "d29"}, "pas les deux"),
        ({"role": "partenaire_social", "organisation": "CFDT"}, "indiquez la région"),
        ({"role": "partenaire_social", "departement": "d29", "organisation": "CFDT"}, "pas un département"),
        ({"role": "partenaire_social", "region": "bzh"}, "l’organisation que représente"),
        (
            {"role": "partenaire_social", "region": "bzh", "organisation": "  "},
            "l’organisation que représente",
        ),
        ({"role": "membre_crefop"}, "indiquez la région"),
        ({"role": "membre_crefop", "departement": "d35"}, "pas un département"),
        ({"role": "membre_crefop", "region": "bzh", "typologie": "ML"}, "Seule une tête de réseau"),
        ({"role": "pilote_region", "region": "bzh", "organisation": "CFDT"}, "Seuls un partenaire social"),
        ({"role": "pilote_etat", "organisation": "DREETS"}, "Seuls un partenaire social"),
    ],
)
def test_incoherent_scopes_are_refused_by_validation(network, fields, message):
    values = {
        key: network[value] if key in {"region", "departement"} else value for key, value in fields.items()
    }
    scope = Scope(user=UserFactory(email="s@example.org"), **values)
    with pytest.raises(ValidationError) as error:
        scope.full_clean()
    assert message in str(error.value)


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "pilote_region"},
        {"role": "tete_de_reseau", "typologie": "", "region_id": "53"},
        {"role": "roi", "region_id": "53"},
        {"role": "pilote_region", "region_id": "53", "departement_id": "29"},
        {"role": "partenaire_social", "organisation": "CFDT"},
        {"role": "partenaire_social", "departement_id": "29", "organisation": "CFDT"},
        {"role": "partenaire_social", "region_id": "53"},
        {"role": "membre_crefop"},
        {"role": "membre_crefop", "departement_id": "35"},
    ],
)
def test_the_database_refuses_incoherent_scopes_too(network, fields):
    user = UserFactory(email="s2@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Scope.objects.create(user=user, **fields)


def test_a_national_state_pilot_is_a_valid_scope(network):
    scope = Scope(user=UserFactory(email="s3@example.org"), role=TerritorialRole.PILOTE_ETAT)
    scope.full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "partenaire_social", "region": "bzh", "organisation": "MEDEF Bretagne"},
        {"role": "membre_crefop", "region": "bzh"},
        {"role": "membre_crefop", "region": "nor", "organisation": "Région Normandie"},
    ],
)
def test_governance_scopes_over_a_region_are_valid(network, fields):
    values = {key: network[value] if key == "region" else value for key, value in fields.items()}
    scope = Scope(user=UserFactory(email="s4@example.org"), **values)
    scope.full_clean()
    scope.save()
    assert values["region"].nom in str(scope)


def test_a_user_is_member_of_a_structure_once(network):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=network["users"]["conseiller_a"], structure=network["a"])
