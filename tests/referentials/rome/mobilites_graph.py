"""A small ROME graph for the mobilités tests (domain, API, page): an origin, two one-step targets, three
two-step targets, a « charges » contexte on some of them, and items to compare.

    O (A11)  --1--> P1 (A11) --1--> Q1 (B11, charges)
                              --2--> Q3 (B11)
                              --3--> O        (back to the origin: never a target)
                              --4--> P2       (already one step: never a two-step target)
             --2--> P2 (B11, charges) --1--> Q2 (B11)
                                      --2--> Q3
             --3--> R (retired)
"""

from __future__ import annotations

from spro.referentials.rome.models import (
    Competence,
    ContexteTravail,
    DomaineProfessionnel,
    FicheCompetence,
    FicheContexteTravail,
    FicheMetier,
    FicheSavoir,
    GrandDomaine,
    Mobilite,
    Savoir,
)

CHARGES = "300795"
DEBOUT = "300800"
SAMEDI = "23374"


def build_graph() -> None:
    for letter in ("A", "B"):
        gd = GrandDomaine.objects.create(code=letter, libelle=f"Grand domaine {letter}")
        DomaineProfessionnel.objects.create(code=f"{letter}11", libelle=f"Domaine {letter}", grand_domaine=gd)
    fiches = {
        "O0001": ("Cariste", "A11", True),
        "P0001": ("Aiguilleur / Aiguilleuse", "A11", True),
        "P0002": ("Manutentionnaire", "B11", True),
        "Q0001": ("Docker / Dockeuse", "B11", True),
        "Q0002": ("Déménageur / Déménageuse", "B11", True),
        "Q0003": ("Conducteur / Conductrice de train", "B11", True),
        "R0001": ("Métier retiré", "B11", False),
    }
    for i, (code, (libelle, domaine, active)) in enumerate(fiches.items()):
        FicheMetier.objects.create(
            code_rome=code,
            libelle=libelle,
            code_ogr=str(9000 + i),
            domaine_professionnel_id=domaine,
            is_active=active,
        )
    for code, libelle, type_code in (
        (CHARGES, "Port et manipulation de charges lourdes ou encombrantes", "1"),
        (DEBOUT, "Station debout prolongée", "1"),
        (SAMEDI, "Travail le samedi", "2"),
    ):
        ContexteTravail.objects.create(code_ogr=code, libelle=libelle, code_type=type_code, libelle_type="t")
    for fiche, contexte in (
        ("O0001", CHARGES),
        ("O0001", DEBOUT),
        ("O0001", SAMEDI),
        ("P0002", CHARGES),
        ("Q0001", CHARGES),
        ("Q0003", SAMEDI),
    ):
        FicheContexteTravail.objects.create(fiche_id=fiche, contexte_id=contexte)
    for source, cible, ordre in (
        ("O0001", "P0001", 1),
        ("O0001", "P0002", 2),
        ("O0001", "R0001", 3),
        ("P0001", "Q0001", 1),
        ("P0001", "Q0003", 2),
        ("P0001", "O0001", 3),
        ("P0001", "P0002", 4),
        ("P0002", "Q0002", 1),
        ("P0002", "Q0003", 2),
    ):
        Mobilite.objects.create(fiche_source_id=source, fiche_cible_id=cible, numero_ordre=ordre)
    for code, libelle, categorie in (
        ("c1", "Conduire un chariot élévateur", "SAVOIR_FAIRE"),
        ("c2", "Charger un camion", "SAVOIR_FAIRE"),
        ("c3", "Commander un aiguillage", "SAVOIR_FAIRE"),
        ("e1", "Sens des responsabilités", "SAVOIR_ETRE"),
    ):
        Competence.objects.create(code_ogr=code, nature="COMPETENCE", libelle=libelle, categorie=categorie)
    Savoir.objects.create(code_ogr="s1", libelle="Signalisation ferroviaire")
    for fiche, code, rubrique, coeur in (
        ("O0001", "c1", 1, True),
        ("O0001", "c2", 1, False),
        ("P0001", "c1", 1, False),
        ("P0001", "c3", 1, True),
        ("P0001", "e1", 2, False),
        ("Q0003", "c3", 1, True),
    ):
        FicheCompetence.objects.create(
            fiche_id=fiche, competence_id=code, rubrique=rubrique, coeur_metier=coeur
        )
    FicheSavoir.objects.create(fiche_id="P0001", savoir_id="s1", coeur_metier=False)
    FicheSavoir.objects.create(fiche_id="Q0003", savoir_id="s1", coeur_metier=True)
