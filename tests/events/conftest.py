"""Fixtures of the events tests: Bretagne (two départements, three communes) and Normandie, the Region's SPRO team,
professionals of two structures, someone outside the network; factories for events and public entries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tests.geography import Row, add_communes

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SPRO_REGION_CODE = "53"
    settings.SPRO_SITE_URL = "https://orientation.example.org"
    settings.SPRO_EVENTS_MEMBER_SUBMISSIONS = False


@pytest.fixture
def geo(db):
    add_communes(
        Row("35238", "Rennes", "35", ("35000",)),
        Row("29019", "Brest", "29", ("29200",)),
        Row("29232", "Quimper", "29", ("29000",)),
    )
    add_communes(Row("14118", "Caen", "14", ("14000",)), region="28", region_nom="Normandie")


def make_structure(nom: str, typologie: str = "CIO"):
    from spro.directory.models import Structure

    n = next(_counter)
    return Structure.objects.create(
        di_id=f"test--evt{n}",
        source="test",
        nom=nom,
        courriel=f"s{n}@example.org",
        date_maj=dt.date(2026, 10, 1),
        typologie=typologie,
    )


def make_user(username: str, structure=None, *, region_team: str | None = None, **fields):
    from django.contrib.auth.models import User

    from spro.accounts.models import Membership, Scope

    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password="x" * 16, **fields
    )
    if structure is not None:
        Membership.objects.create(user=user, structure=structure)
    if region_team is not None:
        from spro.referentials.geo.models import Region

        region, _ = Region.objects.get_or_create(
            code=region_team, defaults={"nom": region_team, "zone": "metro"}
        )
        Scope.objects.create(user=user, role="pilote_region", region=region)
    return user


@pytest.fixture
def cio(db):
    return make_structure("CIO de Rennes")


@pytest.fixture
def mission_locale(db):
    return make_structure("Mission locale de Brest", "ML")


@pytest.fixture
def region_team(geo):
    return make_user("region", region_team="53", first_name="Rozenn", last_name="Le Gall")


@pytest.fixture
def pro(cio):
    return make_user("camille", cio)


@pytest.fixture
def pro2(mission_locale):
    return make_user("yann", mission_locale)


@pytest.fixture
def outsider(db):
    return make_user("dehors")


def make_event(capacite: int = 2, *, days: int = 10, **fields):
    from spro.events.models import EvenementPro

    debut = timezone.now() + dt.timedelta(days=days)
    return EvenementPro.objects.create(
        titre=fields.pop("titre", "Journée des professionnels de l’orientation"),
        debut=debut,
        fin=debut + dt.timedelta(hours=fields.pop("hours", 6)),
        lieu=fields.pop("lieu", "Hôtel de Région, Rennes"),
        capacite=capacite,
        **fields,
    )


def make_rdv(*, days: float = 7, statut: str = "publiee", **fields):
    from spro.events.models import RendezVous

    debut = timezone.now() + dt.timedelta(days=days)
    return RendezVous.objects.create(
        type=fields.pop("type", "forum"),
        titre=fields.pop("titre", "Forum des métiers"),
        texte=fields.pop("texte", "Rencontrez des professionnels."),
        debut=debut,
        fin=debut + dt.timedelta(hours=fields.pop("hours", 5)),
        lieu=fields.pop("lieu", "Parc des expositions"),
        statut=statut,
        published_at=timezone.now() if statut == "publiee" else None,
        **fields,
    )


def make_news(*, statut: str = "publiee", **fields):
    from spro.events.models import Actualite

    return Actualite.objects.create(
        titre=fields.pop("titre", "Nouvelle Cité des métiers"),
        texte=fields.pop("texte", "Elle ouvre ses portes en janvier."),
        statut=statut,
        published_at=timezone.now() if statut == "publiee" else None,
        **fields,
    )


def outbox():
    from spro.referrals.models import OutboxMessage

    return list(OutboxMessage.objects.order_by("id"))
