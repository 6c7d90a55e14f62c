"""Fixtures of the pathway tests: two structures, their conseillers, a pathway and its token."""

from __future__ import annotations

import pytest

from spro.pathways import services
from tests.referrals.conftest import make_referral, make_structure, make_user


@pytest.fixture
def structure(db):
    return make_structure(nom="CEP Bretagne", courriel="cep@example.org", typologie="CEP")


@pytest.fixture
def other_structure(db):
    return make_structure(nom="Mission locale de Brest", courriel="ml-brest@example.org", typologie="ML")


@pytest.fixture
def conseiller(structure):
    return make_user("conseillere", structure)


@pytest.fixture
def other_conseiller(other_structure):
    return make_user("autre", other_structure)


@pytest.fixture
def kept(db):
    """(pathway, token): a métier goal with one step from the catalogue."""
    return services.create_pathway(
        goal_kind="metier",
        goal_label="Développeur ou développeuse web",
        goal_code="M1805",
        origin="explorer",
        objectives=[("formation", "trouver-formation")],
    )


@pytest.fixture
def pathway(kept):
    return kept[0]


@pytest.fixture
def shared(pathway, structure):
    return services.share(pathway, structure, parts=["objectifs", "actions", "rendez-vous"], days=90)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.SPRO_PATHWAY_RATE_LIMIT = ""
    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    settings.SPRO_SITE_URL = "https://orientation.example.org"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


__all__ = ["make_fiche", "make_referral", "make_structure", "make_user"]


def make_fiche(code: str = "M1805", libelle: str = "Études et développement informatique"):
    from spro.referentials.rome.models import DomaineProfessionnel, FicheMetier, GrandDomaine

    grand, _ = GrandDomaine.objects.get_or_create(code=code[0], defaults={"libelle": "Domaine"})
    domaine, _ = DomaineProfessionnel.objects.get_or_create(
        code=code[:3], defaults={"libelle": "Domaine pro", "grand_domaine": grand}
    )
    return FicheMetier.objects.create(
        code_rome=code, libelle=libelle, code_ogr="1", domaine_professionnel=domaine
    )
