"""Factories shared by the accounts, audit and contacts tests: a small real-looking Breton geography."""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from spro.accounts.models import Membership, Scope, StructureRole, TerritorialRole
from spro.directory.models import Structure
from spro.referentials.geo.models import Commune, Departement, Region

PASSWORD = "Orientation-Bretagne-2026"


def geography() -> dict[str, object]:
    """Bretagne (53) with Finistère (29) and Ille-et-Vilaine (35); Normandie (28) with Calvados (14)."""
    bzh, _ = Region.objects.get_or_create(code="53", defaults={"nom": "Bretagne", "zone": "metro"})
    nor, _ = Region.objects.get_or_create(code="28", defaults={"nom": "Normandie", "zone": "metro"})
    d29, _ = Departement.objects.get_or_create(
        code="29", defaults={"nom": "Finistère", "region": bzh, "zone": "metro"}
    )
    d35, _ = Departement.objects.get_or_create(
        code="35", defaults={"nom": "Ille-et-Vilaine", "region": bzh, "zone": "metro"}
    )
    d14, _ = Departement.objects.get_or_create(
        code="14", defaults={"nom": "Calvados", "region": nor, "zone": "metro"}
    )
    communes = {}
    for code, nom, dep in (("29232", "Quimper", d29), ("35238", "Rennes", d35), ("14118", "Caen", d14)):
        communes[code], _ = Commune.objects.get_or_create(
            code_insee=code,
            defaults={"nom": nom, "type": "commune-actuelle", "departement": dep, "region": dep.region},
        )
    return {"bzh": bzh, "nor": nor, "d29": d29, "d35": d35, "d14": d14, **communes}


@functools.cache
def password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"conseiller{n}@example.org")
    username = factory.SelfAttribute("email")
    # One Argon2 hash for the whole run (each one costs ~0.1 s and 100 MB by design), reused by every user.
    password = factory.LazyFunction(lambda: password_hash())
    is_active = True


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    di_id = factory.Sequence(lambda n: f"test--structure-{n}")
    source = "test"
    nom = factory.Sequence(lambda n: f"Structure de test {n}")
    typologie = "ML"
    date_maj = dt.date(2026, 11, 1)
    commune = None
    commune_nom = factory.LazyAttribute(lambda o: o.commune.nom if o.commune else "")


def places_in_rennes(
    typologies: tuple[str, ...], *, di_prefix: str = "test--", with_contact: bool = False
) -> list[Structure]:
    """One structure of each typologie in Rennes (35238), « <TYPOLOGIE> de Rennes », a few metres apart in this
    order (the first is the nearest to the town centre); with a street address and a phone when `with_contact`."""
    places = []
    for n, typologie in enumerate(typologies):
        contact = (
            {"adresse": f"{n + 1} rue de Brest", "telephone": f"02 99 00 00 0{n}"} if with_contact else {}
        )
        places.append(
            Structure.objects.create(
                di_id=f"{di_prefix}{typologie.lower()}",
                source="test",
                nom=f"{typologie} de Rennes",
                typologie=typologie,
                date_maj=dt.date(2026, 10, 1),
                commune_id="35238",
                latitude=48.11 + n / 1000,
                longitude=-1.68,
                **contact,
            )
        )
    return places


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = StructureRole.CONSEILLER


class ScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scope

    user = factory.SubFactory(UserFactory)
    role = TerritorialRole.PILOTE_REGION


def build_network() -> dict:
    """Two Breton structures (ML at Quimper, CIO at Rennes), a Norman ML at Caen, and one user per role (the
    social partner and the CREFOP member over Bretagne)."""
    geo = geography()
    a = StructureFactory(nom="Mission locale du Pays de Cornouaille", typologie="ML", commune=geo["29232"])
    b = StructureFactory(nom="CIO de Rennes", typologie="CIO", commune=geo["35238"])
    c = StructureFactory(nom="Mission locale de Caen", typologie="ML", commune=geo["14118"])
    users = {
        "conseiller_a": MembershipFactory(structure=a, user__email="conseiller.a@example.org").user,
        "admin_a": MembershipFactory(
            structure=a, role=StructureRole.ADMIN_STRUCTURE, user__email="admin.a@example.org"
        ).user,
        "conseiller_b": MembershipFactory(structure=b, user__email="conseiller.b@example.org").user,
        "tete_ml_bzh": ScopeFactory(
            role=TerritorialRole.TETE_DE_RESEAU,
            typologie="ML",
            region=geo["bzh"],
            user__email="arml@example.org",
        ).user,
        "pilote_region": ScopeFactory(
            role=TerritorialRole.PILOTE_REGION, region=geo["bzh"], user__email="region@example.org"
        ).user,
        "pilote_etat_29": ScopeFactory(
            role=TerritorialRole.PILOTE_ETAT, departement=geo["d29"], user__email="prefecture29@example.org"
        ).user,
        "pilote_etat": ScopeFactory(role=TerritorialRole.PILOTE_ETAT, user__email="dreets@example.org").user,
        "partenaire_social": ScopeFactory(
            role=TerritorialRole.PARTENAIRE_SOCIAL,
            region=geo["bzh"],
            organisation="CFDT Bretagne",
            user__email="partenaire@example.org",
        ).user,
        "membre_crefop": ScopeFactory(
            role=TerritorialRole.MEMBRE_CREFOP, region=geo["bzh"], user__email="crefop@example.org"
        ).user,
        "superuser": UserFactory(email="admin@example.org", is_superuser=True, is_staff=True),
        "nobody": UserFactory(email="personne@example.org"),
    }
    return {"a": a, "b": b, "c": c, "users": users, **geo}
