"""A small but real-looking referential (métiers, certifications, formations in Rennes, Saint-Malo and Paris)
indexed once per test module: fast enough to run every search behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from spro.referentials.certifications.models import Certification, CertificationMetier
from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, MentionMaster
from spro.referentials.geo.models import Commune, Departement, Region
from spro.referentials.rome.models import Appellation, DomaineProfessionnel, FicheMetier, GrandDomaine
from spro.search import service
from spro.search.indexing import rebuild_index
from tests.conftest import settle_deferred_constraints

FICHES = [
    # code, libellé, domaine, appellations
    ("J1506", "Infirmier / Infirmière en soins généraux (IDE)", "J", ["Infirmier / Infirmière"]),
    ("J1511", "Infirmier / Infirmière scolaire", "J", ["Infirmier scolaire / Infirmière scolaire"]),
    ("J1404", "Kinésithérapeute", "J", ["Masseur / Masseuse kinésithérapeute"]),
    (
        "D1102",
        "Boulanger / Boulangère",
        "D",
        ["Boulanger / Boulangère", "Chef boulanger / Cheffe boulangère"],
    ),
    ("D1104", "Pâtissier / Pâtissière", "D", ["Pâtissier / Pâtissière"]),
    ("K2106", "Professeur / Professeure des écoles", "K", ["Instituteur / Institutrice"]),
    ("I1604", "Mécanicien / Mécanicienne automobile", "I", ["Mécanicien / Mécanicienne automobile"]),
    ("M1805", "Développeur / Développeuse web", "M", ["Développeur / Développeuse web"]),
    ("A1501", "Soigneur / Soigneuse d'animaux", "A", ["Soigneur / Soigneuse d'animaux", "Palefrenier"]),
    ("D1211", "Vendeur / Vendeuse en prêt-à-porter", "D", ["Vendeur / Vendeuse en boutique"]),
    ("M1203", "Comptable", "M", ["Comptable unique", "Aide-comptable"]),
]

CERTIFICATIONS = [
    # code, libellé, type, niveau, fi, ca, fc, fiches
    ("106291", "CAP pâtissier", "Certificat d'aptitude professionnelle", 3, True, True, True, ["D1104"]),
    ("82703", "CAP boulanger", "Certificat d'aptitude professionnelle", 3, True, True, True, ["D1102"]),
    ("54915", "Diplôme d'État d'infirmier", "Diplôme d'État", 6, True, False, True, ["J1506"]),
    (
        "98753",
        "Diplôme d'État de masseur-kinésithérapeute",
        "Diplôme d'État",
        7,
        True,
        False,
        False,
        ["J1404"],
    ),
    (
        "100001",
        "BTS comptabilité et gestion",
        "Brevet de technicien supérieur",
        5,
        True,
        True,
        False,
        ["M1203"],
    ),
    (
        "100002",
        "Titre professionnel développeur web et web mobile",
        "Titre professionnel",
        5,
        False,
        True,
        True,
        ["M1805"],
    ),
]


def _build() -> None:
    bzh = Region.objects.create(code="53", nom="Bretagne", zone="metro")
    idf = Region.objects.create(code="11", nom="Île-de-France", zone="metro")
    d35 = Departement.objects.create(code="35", nom="Ille-et-Vilaine", region=bzh, zone="metro")
    d75 = Departement.objects.create(code="75", nom="Paris", region=idf, zone="metro")
    for code, nom, dep, reg, lat, lon in (
        ("35238", "Rennes", d35, bzh, 48.1119, -1.6819),
        ("35288", "Saint-Malo", d35, bzh, 48.6493, -2.0257),
        ("35047", "Bruz", d35, bzh, 48.0247, -1.7457),
        ("75056", "Paris", d75, idf, 48.8566, 2.3522),
    ):
        Commune.objects.create(
            code_insee=code,
            nom=nom,
            type="commune-actuelle",
            departement=dep,
            region=reg,
            latitude=lat,
            longitude=lon,
        )
    for letter, label in (
        ("A", "Agriculture"),
        ("D", "Commerce"),
        ("I", "Installation et maintenance"),
        ("J", "Santé"),
        ("K", "Services à la personne"),
        ("M", "Support à l'entreprise"),
    ):
        gd = GrandDomaine.objects.create(code=letter, libelle=label)
        DomaineProfessionnel.objects.create(code=f"{letter}11", libelle=label, grand_domaine=gd)
    ogr = 1000
    for code, libelle, letter, appellations in FICHES:
        fiche = FicheMetier.objects.create(
            code_rome=code,
            libelle=libelle,
            code_ogr=str(ogr),
            domaine_professionnel_id=f"{letter}11",
            definition=f"Réalise les activités du métier : {libelle}.",
        )
        for label in appellations:
            ogr += 1
            Appellation.objects.create(
                code_ogr=str(ogr),
                libelle_long=label,
                libelle_court=label[:100],
                fiche=fiche,
                classification="PRINCIPALE",
            )
        ogr += 1
    for code, libelle, type_libelle, niveau, fi, ca, fc, fiches in CERTIFICATIONS:
        cert = Certification.objects.create(
            code=code,
            libelle=libelle,
            type_libelle=type_libelle,
            type_code="1",
            niveau_europeen=niveau,
            date_maj=dt.date(2025, 1, 1),
            etat=1,
            etat_libelle="Actif",
            acces_fi=fi,
            acces_ca=ca,
            acces_fc=fc,
            acces_vae=fc,
        )
        for rang, fiche in enumerate(fiches, start=1):
            CertificationMetier.objects.create(certification=cert, fiche_metier_id=fiche, rang=rang)
    FormationOnisep.objects.create(
        id="FOR.670",
        libelle="CAP Pâtissier",
        type_libelle="certificat d'aptitude professionnelle",
        sigle="CAP",
        niveau_europeen=3,
        url="https://www.onisep.fr/x",
        domaines=[],
    )
    for pid, filiere, etab, lat, lon in (
        (
            "a1",
            "BTS - Services - Services informatiques aux organisations option développeur web",
            "Lycée Bréquigny",
            48.0862,
            -1.6890,
        ),
        (
            "a2",
            "BTS - Services - Services informatiques aux organisations option développeur web - en apprentissage",
            "CFA Saint-Malo",
            48.6400,
            -2.0100,
        ),
        (
            "a3",
            "BTS - Services - Services informatiques aux organisations option développeur web",
            "Lycée Paris",
            48.8500,
            2.3500,
        ),
        ("a4", "D.E Infirmier", "IFSI Rennes", 48.1200, -1.6900),
        ("a5", "BTS - Production - Comptabilité et gestion", "Lycée Bruz", 48.0250, -1.7450),
    ):
        FormationParcoursup.objects.create(
            id=pid,
            uai="0350000A",
            etablissement=etab,
            filiere=filiere,
            type_formation=filiere.split(" - ")[0],
            latitude=lat,
            longitude=lon,
        )
    MentionMaster.objects.create(
        id="INM1-0350936C",
        inm="INM1",
        uai="0350936C",
        campagne=2021,
        campagnes=[2021],
        etablissement="Université de Rennes",
        code_postal="35000",
        ville="Rennes",
        commune_id="35238",
        domaines=["Sciences"],
        intitule="Informatique",
        modalites=["Formation initiale", "Alternance"],
    )
    rebuild_index()


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def index(django_db_setup, django_db_blocker):
    """The small referential, indexed, for the whole module (rolled back at the end)."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                _build()
                settle_deferred_constraints()
                service._labels_cache.clear()
                yield
                raise _Rollback
        except _Rollback:
            pass
    service._labels_cache.clear()
