"""Generate the built-in demonstration network of Bretagne (région 53): data/directory/demo-bretagne.di.json.gz.

    .venv/bin/python scripts/generate_directory_demo.py [--output data/directory/demo-bretagne.di.json.gz]

Deterministic (fixed seed, fixed reference date): running it twice gives the same bytes. It reads only files of the
repository: the geography (data/geo: communes with coordinates, EPCI, bassins d'emploi) and the France Travail
referentials copied in data/directory/pass_emploi (real names of the France Travail agencies and of the Missions
locales; those files carry no street address, so the demo gives none: each structure sits at its real commune,
a few hundred metres from the commune's reference point).

Every structure is labelled: `"demo": true`, `source` = `spro-demo`, and a description that starts with
"Données de démonstration". Zones of competence are realistic: a France Travail agency, a Mission locale, a PSAD
or an Info Jeunes point covers the EPCI nearest to it within its département; a CIO its bassin d'emploi; Cap emploi,
MDPH, CAF and the chambers their département; APEC, Transitions Pro, the CEP operator, DAVA and the Région the four
départements.
"""

# ruff: noqa: E501 - the service texts are prose, kept one per line

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import math
import random
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OUTPUT = DATA / "directory" / "demo-bretagne.di.json.gz"
SEED = 53
REFERENCE_DATE = dt.date(2026, 11, 2)
REGION = "53"
DEPARTEMENTS = ("22", "29", "35", "56")
SOURCE = "spro-demo"
DEMO = "Données de démonstration"


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\bst\b", "saint", re.sub(r"[^a-z0-9]+", " ", text))
    return " ".join(text.split())


def slug(text: str) -> str:
    return norm(text).replace(" ", "-")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


# --- Geography ------------------------------------------------------------------------------------------------------
def load_geo():
    communes = {}
    with gzip.open(DATA / "geo" / "communes_fr_2026.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["code_region"] != REGION or row["type"] != "commune-actuelle" or not row["latitude"]:
                continue
            communes[row["code_insee"]] = {
                "code": row["code_insee"],
                "nom": row["nom"],
                "dep": row["code_departement"],
                "epci": row["code_epci"],
                "cp": row["codes_postaux"].split("|")[0],
                "pop": int(row["population"] or 0),
                "pos": (float(row["latitude"]), float(row["longitude"])),
            }
    bassins = defaultdict(list)
    with gzip.open(DATA / "geo" / "communes_bassins_emploi_bmo2019.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["CODE_COMMUNE_INSEE"] in communes:
                bassins[row["BE19"]].append(row["CODE_COMMUNE_INSEE"])
    epcis = defaultdict(list)
    for commune in communes.values():
        if commune["epci"]:
            epcis[commune["epci"]].append(commune)
    return communes, dict(bassins), dict(epcis)


class Geo:
    def __init__(self) -> None:
        self.communes, self.bassins, self.epcis = load_geo()
        self.by_name = defaultdict(list)
        for commune in self.communes.values():
            self.by_name[(norm(commune["nom"]), commune["dep"])].append(commune)
        self.epci_centre = {}
        for code, members in self.epcis.items():
            weight = sum(max(m["pop"], 1) for m in members)
            lat = sum(m["pos"][0] * max(m["pop"], 1) for m in members) / weight
            lon = sum(m["pos"][1] * max(m["pop"], 1) for m in members) / weight
            deps = defaultdict(int)
            for m in members:
                deps[m["dep"]] += m["pop"]
            self.epci_centre[code] = ((lat, lon), max(deps, key=deps.get))

    def commune(self, name: str, dep: str) -> dict:
        """The commune named `name` in `dep`, trying shorter prefixes ("RENNES OUEST" → Rennes)."""
        words = norm(name).split()
        for size in range(len(words), 0, -1):
            prefix = " ".join(words[:size])
            found = self.by_name.get((prefix, dep)) or [
                c
                for (n, d), cs in self.by_name.items()
                if d == dep and n.startswith(prefix + " ")
                for c in cs
            ]
            if found:
                return max(found, key=lambda c: c["pop"])
        raise KeyError(f"commune {name!r} not found in {dep}")

    def nearest_epcis(self, sites: list[dict], deps: tuple[str, ...]) -> dict[int, list[str]]:
        """EPCI codes of `deps` assigned to the nearest of `sites` (index → codes), a site's own EPCI included."""
        zones = defaultdict(list)
        for code, (centre, dep) in sorted(self.epci_centre.items()):
            if dep not in deps:
                continue
            candidates = [i for i, s in enumerate(sites) if s["dep"] == dep] or list(range(len(sites)))
            best = min(candidates, key=lambda i: distance_km(centre, sites[i]["pos"]))
            zones[best].append(code)
        for index, site in enumerate(sites):
            if site["epci"] and site["epci"] not in zones[index]:
                zones[index].append(site["epci"])
        return zones


# --- Typologies: hours, channels, publics and services ------------------------------------------------------------
HOURS = {
    "FT": "Mo-Fr 08:30-12:30, Mo-We,Fr 13:30-16:30",
    "ML": "Mo-Fr 09:00-12:30,13:30-17:30",
    "CIO": "Mo-Fr 09:00-12:30,13:30-17:30; Sa 09:00-12:00",
    "CAP_EMPLOI": "Mo-Fr 09:00-12:30,14:00-17:00",
    "APEC": "Mo-Fr 09:00-12:30,13:30-18:00",
    "TRANSITIONS_PRO": "Mo-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30",
    "CEP": "Mo-Fr 09:00-12:30,13:30-18:00; Sa 09:00-12:00",
    "PIJ_BIJ": "Tu-Fr 10:00-12:30,13:30-18:00; Sa 10:00-13:00",
    "CITMET": "Tu-Fr 09:30-12:30,13:30-17:30",
    "CCONS": "Mo-Fr 08:30-12:30,13:30-17:30",
    "SCUIO": "Mo-Fr 09:00-12:30,13:30-17:00",
    "PSAD": "Mo-Fr 09:00-12:30,13:30-17:00",
    "DAVA": "Mo-Th 09:00-12:00,14:00-16:30",
    "E2C": "Mo-Fr 08:30-12:30,13:30-17:00",
    "EPIDE": "Mo-Fr 08:00-12:00,13:30-17:30",
    "MDPH": "Mo-Fr 09:00-12:30,13:30-16:30",
    "REG": "Mo-Fr 09:00-12:30,13:30-17:00",
    "CCAS": "Mo-Fr 08:30-12:00,13:30-17:00",
    "CAF": "Mo-Tu,Th-Fr 08:30-12:30,13:30-16:30; We 08:30-12:30",
    "RS_FJT": "Mo-Fr 09:00-19:00; Sa 10:00-12:00",
}
NETWORK = {
    "FT": ["france-travail"],
    "ML": ["mission-locale"],
    "CAP_EMPLOI": ["cap-emploi-reseau-cheops"],
    "PIJ_BIJ": ["reseau-information-jeunesse"],
    "CCONS": ["chambres-consulaires"],
    "E2C": ["ecoles-de-la-deuxieme-chance"],
    "EPIDE": ["epide"],
    "MDPH": ["mdph"],
    "REG": ["regions"],
    "CCAS": ["ccas-cias"],
    "CAF": ["caf"],
    "RS_FJT": ["residences-fjt"],
}
WEBSITES = {
    "FT": "https://www.francetravail.fr",
    "ML": "https://www.unml.info",
    "CIO": "https://www.onisep.fr",
    "CAP_EMPLOI": "https://www.capemploi.info",
    "APEC": "https://www.apec.fr",
    "TRANSITIONS_PRO": "https://www.transitionspro-bretagne.fr",
    "PIJ_BIJ": "https://www.ij-bretagne.com",
    "E2C": "https://reseau-e2c.fr",
    "EPIDE": "https://www.epide.fr",
    "CAF": "https://www.caf.fr",
}
PUBLICS = {
    "FT": (["demandeurs-emploi", "actifs"], None, None),
    "ML": (["jeunes"], 16, 25),
    "CIO": (["tous-publics"], None, None),
    "CAP_EMPLOI": (["personnes-en-situation-de-handicap"], None, None),
    "APEC": (["actifs", "demandeurs-emploi"], None, None),
    "TRANSITIONS_PRO": (["actifs"], None, None),
    "CEP": (["actifs"], None, None),
    "PIJ_BIJ": (["jeunes"], 11, 30),
    "CITMET": (["tous-publics"], None, None),
    "CCONS": (["tous-publics"], None, None),
    "SCUIO": (["etudiants"], None, None),
    "PSAD": (["jeunes"], 16, 25),
    "DAVA": (["actifs", "demandeurs-emploi"], None, None),
    "E2C": (["jeunes"], 16, 25),
    "EPIDE": (["jeunes"], 17, 25),
    "MDPH": (["personnes-en-situation-de-handicap"], None, None),
    "REG": (["tous-publics"], None, None),
    "CCAS": (["tous-publics"], None, None),
    "CAF": (["familles"], None, None),
    "RS_FJT": (["jeunes"], 16, 30),
}
# (name, type, thématiques, description)
SERVICES = {
    "FT": [
        (
            "Inscription et accompagnement vers l'emploi",
            "accompagnement",
            [
                "trouver-un-emploi--repondre-a-des-offres-demploi",
                "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
            ],
            "Inscription comme demandeur d'emploi, entretien de diagnostic et accompagnement personnalisé par un conseiller.",
        ),
        (
            "Conseil en évolution professionnelle",
            "accompagnement",
            [
                "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
                "se-former--trouver-sa-formation",
            ],
            "Le CEP de France Travail : faire le point sur son parcours, définir un projet, trouver et financer une formation.",
        ),
    ],
    "ML": [
        (
            "Accompagnement global des 16-25 ans",
            "accompagnement",
            [
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "trouver-un-emploi--repondre-a-des-offres-demploi",
                "mobilite--preparer-un-permis",
            ],
            "Emploi, formation, orientation, mobilité, logement, santé : un conseiller suit chaque jeune dans toutes les dimensions de son projet.",
        ),
        (
            "Contrat d'engagement jeune",
            "accompagnement",
            [
                "preparer-sa-candidature--valoriser-ses-competences",
                "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
            ],
            "Un accompagnement intensif de 15 à 20 heures par semaine, avec une allocation, pour accéder à l'emploi ou à la formation.",
        ),
    ],
    "CIO": [
        (
            "Conseil en orientation scolaire et professionnelle",
            "accompagnement",
            [
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "se-former--trouver-sa-formation",
            ],
            "Entretiens avec un psychologue de l'Éducation nationale pour choisir une voie, une formation, un métier ; pour les élèves, les étudiants, leurs familles et les adultes.",
        ),
        (
            "Documentation sur les formations et les métiers",
            "information",
            ["choisir-un-metier--connaitre-les-opportunites-demploi", "se-former--trouver-sa-formation"],
            "Espace de documentation en libre accès : guides ONISEP, fiches métiers, formations de l'académie.",
        ),
    ],
    "CAP_EMPLOI": [
        (
            "Accompagnement vers l'emploi des personnes handicapées",
            "accompagnement",
            ["trouver-un-emploi--repondre-a-des-offres-demploi", "trouver-un-emploi--maintien-dans-lemploi"],
            "Accompagnement des personnes bénéficiaires de l'obligation d'emploi (RQTH) vers l'emploi et maintien dans l'emploi.",
        ),
    ],
    "APEC": [
        (
            "Conseil en évolution professionnelle des cadres",
            "accompagnement",
            [
                "choisir-un-metier--confirmer-son-choix-de-metier",
                "preparer-sa-candidature--developper-son-reseau",
            ],
            "Le CEP de l'APEC pour les cadres et les jeunes diplômés : projet professionnel, mobilité, candidature.",
        ),
    ],
    "TRANSITIONS_PRO": [
        (
            "Financement d'un projet de transition professionnelle",
            "aide-financiere",
            ["se-former--monter-son-dossier-de-formation"],
            "Prise en charge d'une formation certifiante pour changer de métier, avec maintien de la rémunération (PTP) ; attestation du caractère réel et sérieux des projets de démission-reconversion.",
        ),
    ],
    "CEP": [
        (
            "Conseil en évolution professionnelle des actifs occupés",
            "accompagnement",
            [
                "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
                "se-former--trouver-sa-formation",
            ],
            "Un conseil gratuit et confidentiel pour les salariés et les indépendants : faire le point, construire un projet d'évolution ou de reconversion.",
        ),
    ],
    "PIJ_BIJ": [
        (
            "Information jeunesse",
            "information",
            [
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
                "logement-hebergement--louer-un-logement",
            ],
            "Information anonyme et gratuite sur les études, les métiers, les jobs, le logement, la mobilité internationale.",
        ),
    ],
    "CITMET": [
        (
            "Espace métiers en libre accès",
            "information",
            [
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
            ],
            "Conseil sans rendez-vous, ateliers et rencontres avec des professionnels pour choisir son orientation ou changer de vie professionnelle.",
        ),
    ],
    "CCONS": [
        (
            "Apprentissage et création d'entreprise",
            "information",
            [
                "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
                "se-former--trouver-sa-formation",
            ],
            "Point d'information apprentissage, formalités de création ou de reprise d'entreprise, formations des métiers du secteur.",
        ),
    ],
    "SCUIO": [
        (
            "Orientation et insertion professionnelle des étudiants",
            "accompagnement",
            [
                "choisir-un-metier--confirmer-son-choix-de-metier",
                "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
            ],
            "Entretiens d'orientation, réorientation, aide à la recherche de stage et au premier emploi.",
        ),
    ],
    "PSAD": [
        (
            "Droit au retour en formation",
            "accompagnement",
            ["se-former--trouver-sa-formation", "remobilisation--bien-etre-confiance-en-soi"],
            "Pour les jeunes sortis du système scolaire sans diplôme : un entretien, une solution de retour en formation, d'emploi ou de service civique.",
        ),
    ],
    "DAVA": [
        (
            "Validation des acquis de l'expérience (VAE)",
            "accompagnement",
            [
                "se-former--monter-son-dossier-de-formation",
                "preparer-sa-candidature--valoriser-ses-competences",
            ],
            "Information, recevabilité et accompagnement pour obtenir un diplôme de l'Éducation nationale par la VAE.",
        ),
    ],
    "E2C": [
        (
            "Parcours École de la 2e chance",
            "formation",
            [
                "lecture-ecriture-calcul--maitriser-le-francais",
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
            ],
            "Un parcours individualisé en alternance pour les jeunes sans diplôme ni qualification : remise à niveau, stages en entreprise, projet professionnel.",
        ),
    ],
    "EPIDE": [
        (
            "Parcours d'insertion en internat",
            "formation",
            [
                "remobilisation--bien-etre-confiance-en-soi",
                "trouver-un-emploi--repondre-a-des-offres-demploi",
            ],
            "Un parcours de huit mois en internat pour les jeunes sans diplôme : formation générale, civique et préparation à l'emploi.",
        ),
    ],
    "MDPH": [
        (
            "Reconnaissance de la qualité de travailleur handicapé (RQTH)",
            "accompagnement",
            ["sante--constituer-un-dossier-mdph-invalidite"],
            "Information et dépôt des demandes de RQTH, d'orientation professionnelle et de compensation du handicap.",
        ),
    ],
    "REG": [
        (
            "Aides régionales à la formation",
            "aide-financiere",
            ["se-former--monter-son-dossier-de-formation", "se-former--trouver-sa-formation"],
            "Information sur les formations financées par la Région et les aides aux stagiaires de la formation professionnelle.",
        ),
    ],
    "CCAS": [
        (
            "Accompagnement social et accès aux droits",
            "accompagnement",
            [
                "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
                "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
            ],
            "Accueil, aides facultatives et accompagnement des personnes en difficulté qui bloquent leur projet.",
        ),
    ],
    "CAF": [
        (
            "Aides aux familles et accès aux droits",
            "aide-financiere",
            ["famille--garde-denfants", "logement-hebergement--louer-un-logement"],
            "Prestations familiales, aides au logement, prime d'activité : information et rendez-vous.",
        ),
    ],
    "RS_FJT": [
        (
            "Logement des jeunes en formation ou en emploi",
            "aide-materielle",
            ["logement-hebergement--rechercher-une-solution-dhebergement-temporaire"],
            "Logement temporaire meublé et accompagnement socio-éducatif pour les jeunes en formation, en apprentissage ou en premier emploi.",
        ),
    ],
}
CHANNELS = {
    "FT": ["courriel", "sur-place", "telephone", "visio"],
    "ML": ["sur-place", "telephone", "visio"],
    "CIO": ["courriel", "sur-place", "telephone"],
    "APEC": ["sur-place", "telephone", "visio"],
    "CEP": ["chat", "sur-place", "telephone", "visio"],
    "PIJ_BIJ": ["chat", "courriel", "sur-place"],
    "TRANSITIONS_PRO": ["courriel", "telephone", "visio"],
}


# --- The network ----------------------------------------------------------------------------------------------------
def title(text: str) -> str:
    small = {"de", "du", "des", "la", "le", "les", "et", "d", "l"}
    words = re.split(r"(\s+|-|')", text.lower())
    out = []
    for i, word in enumerate(words):
        out.append(word if (word in small and i) else word[:1].upper() + word[1:])
    return "".join(out)


def de(name: str) -> str:
    """French elision: "de Rennes", "d'Auray"."""
    return f"d'{name}" if norm(name)[:1] in "aeiouy" else f"de {name}"


def build(geo: Geo) -> list[dict]:
    sites: list[dict] = []

    def site(typologie: str, nom: str, commune: dict, zone, key: str, note: str = "") -> dict:
        item = {
            "typologie": typologie,
            "nom": nom,
            "commune": commune,
            "dep": commune["dep"],
            "pos": commune["pos"],
            "epci": commune["epci"],
            "zone": zone,
            "key": key,
            "note": note,
        }
        sites.append(item)
        return item

    pass_emploi = DATA / "directory" / "pass_emploi"
    agencies = read_json(pass_emploi / "agences_pe.json.gz")
    ft = []
    for agency in sorted(agencies, key=lambda a: a["id"]):
        dep = f"{agency['code_departement']:02d}"
        if dep not in DEPARTEMENTS:
            continue
        place = re.sub(r"^(Agence|Relai) Pôle emploi ", "", agency["nom_agence"])
        kind = "Relais" if agency["nom_agence"].startswith("Relai") else "Agence"
        commune = geo.commune(place, dep)
        words, own = place.split(" "), norm(commune["nom"]).split()
        if norm(" ".join(words[: len(own)])) == " ".join(own):  # the commune's spelling, with its accents
            place = " ".join([commune["nom"], *(title(w) for w in words[len(own) :])])
        else:
            place = title(place)
        nom = f"{kind} France Travail {place}"
        note = f"Ancien nom : « {agency['nom_agence']} » (référentiel pass-emploi, id {agency['id']})."
        ft.append(site("FT", nom, commune, None, f"ft-{agency['id']}", note))
    for index, codes in geo.nearest_epcis(ft, DEPARTEMENTS).items():
        ft[index]["zone"] = sorted(codes)

    referential = read_json(pass_emploi / "referentiel_structures_milo.json.gz")
    milo_names = read_json(pass_emploi / "agences_milo.json.gz")
    ml = []
    stop = {"mission", "locale", "ml", "de", "du", "pays", "d", "l", "des", "pour", "saint"}
    for structure in sorted(referential, key=lambda s: s["id"]):
        if structure["code_region"] != REGION:
            continue
        dep = structure["code_departement"]
        commune = geo.communes[structure["id"][:5]]
        words = set(
            norm(f"{structure['nom_usuel'] or ''} {structure['nom_officiel']} {commune['nom']}").split()
        )
        candidates = [m for m in milo_names if f"{m['code_departement']:02d}" == dep]
        best = max(
            candidates,
            key=lambda m: (len((set(norm(m["nom_agence"]).split()) - stop) & words), -m["id"]),
        )
        usual = structure["nom_usuel"] or ""
        if usual.startswith("Mission Locale") and not usual.isupper():
            nom = usual  # the i-milo usual name when it is a proper title
        else:
            nom = re.sub(r"^\d+ - ", "", best["nom_agence"])
        note = f"Structure i-milo {structure['id']} ({structure['nom_officiel']})."
        ml.append(site("ML", nom, commune, None, f"ml-{structure['id']}", note))
    for index, codes in geo.nearest_epcis(ml, DEPARTEMENTS).items():
        ml[index]["zone"] = sorted(codes)

    # One CIO per bassin d'emploi, at its most populous commune, competent for the bassin's communes.
    for code, members in sorted(geo.bassins.items()):
        main = max((geo.communes[c] for c in members), key=lambda c: c["pop"])
        site("CIO", f"CIO {de(main['nom'])}", main, sorted(members), f"cio-{code}")

    def at(name: str, dep: str) -> dict:
        return geo.commune(name, dep)

    regional = list(DEPARTEMENTS)
    prefecture = {"22": "Saint-Brieuc", "29": "Quimper", "35": "Rennes", "56": "Vannes"}
    dep_names = {"22": "Côtes-d'Armor", "29": "Finistère", "35": "Ille-et-Vilaine", "56": "Morbihan"}
    for dep, town in prefecture.items():
        commune = at(town, dep)
        site("CAP_EMPLOI", f"Cap emploi {dep_names[dep]}", commune, [dep], f"cap-emploi-{dep}")
        site(
            "MDPH",
            f"Maison départementale des personnes handicapées – {dep_names[dep]}",
            commune,
            [dep],
            f"mdph-{dep}",
        )
        site("CAF", f"Caisse d'allocations familiales – {dep_names[dep]}", commune, [dep], f"caf-{dep}")
        site("CCONS", f"Chambre de commerce et d'industrie – {dep_names[dep]}", commune, [dep], f"cci-{dep}")
        site(
            "CCONS", f"Chambre de métiers et de l'artisanat – {dep_names[dep]}", commune, [dep], f"cma-{dep}"
        )
        site(
            "CCONS", f"Chambre d'agriculture – {dep_names[dep]}", commune, [dep], f"chambre-agriculture-{dep}"
        )
        site(
            "CEP",
            f"Conseil en évolution professionnelle des actifs – antenne {dep_names[dep]}",
            commune,
            [dep],
            f"cep-{dep}",
        )
        site("CCAS", f"CCAS {de(commune['nom'])}", commune, [commune["code"]], f"ccas-{commune['code']}")
    site("CCAS", "CCAS de Brest", at("Brest", "29"), [at("Brest", "29")["code"]], "ccas-brest")
    site("CCAS", "CCAS de Lorient", at("Lorient", "56"), [at("Lorient", "56")["code"]], "ccas-lorient")
    for town, dep in (("Rennes", "35"), ("Brest", "29"), ("Lorient", "56")):
        site("APEC", f"APEC {town}", at(town, dep), regional, f"apec-{slug(town)}")
    site(
        "TRANSITIONS_PRO",
        "Transitions Pro Bretagne",
        at("Rennes", "35"),
        regional,
        "transitions-pro-bretagne",
    )
    site(
        "REG",
        "Région Bretagne – Espace territorial de Rennes",
        at("Rennes", "35"),
        regional,
        "region-bretagne",
    )
    for town, dep in (("Rennes", "35"), ("Brest", "29"), ("Lorient", "56"), ("Saint-Brieuc", "22")):
        site("DAVA", f"DAVA de l'académie de Rennes – {town}", at(town, dep), regional, f"dava-{slug(town)}")
    for nom, town, dep in (
        ("Université de Rennes – SUIO-IP", "Rennes", "35"),
        ("Université Rennes 2 – SUIO-IP", "Rennes", "35"),
        ("Université de Bretagne occidentale – SUIO-IP", "Brest", "29"),
        ("Université Bretagne Sud – SUIO-IP Lorient", "Lorient", "56"),
        ("Université Bretagne Sud – SUIO-IP Vannes", "Vannes", "56"),
    ):
        site("SCUIO", nom, at(town, dep), regional, f"scuio-{slug(nom)}")
    site("CITMET", "Cité des métiers des Côtes-d'Armor", at("Ploufragan", "22"), regional, "citmet-22")
    site("CITMET", "Cité des métiers de Rennes", at("Rennes", "35"), regional, "citmet-35")
    for town, dep in (("Rennes", "35"), ("Brest", "29"), ("Lorient", "56")):
        site("E2C", f"École de la 2e chance – {town}", at(town, dep), regional, f"e2c-{slug(town)}")
    site(
        "EPIDE",
        "EPIDE – centre de démonstration de Bretagne",
        at("Saint-Brieuc", "22"),
        regional,
        "epide-bretagne",
    )
    pij = []
    for nom, town, dep in (
        ("CRIJ Bretagne – Information Jeunesse", "Rennes", "35"),
        ("Bureau Information Jeunesse de Brest", "Brest", "29"),
        ("Bureau Information Jeunesse de Saint-Brieuc", "Saint-Brieuc", "22"),
        ("Bureau Information Jeunesse de Quimper", "Quimper", "29"),
        ("Bureau Information Jeunesse de Lorient", "Lorient", "56"),
        ("Point Information Jeunesse de Vannes", "Vannes", "56"),
        ("Point Information Jeunesse de Saint-Malo", "Saint-Malo", "35"),
        ("Point Information Jeunesse de Lannion", "Lannion", "22"),
        ("Point Information Jeunesse de Morlaix", "Morlaix", "29"),
        ("Point Information Jeunesse de Fougères", "Fougères", "35"),
        ("Point Information Jeunesse de Pontivy", "Pontivy", "56"),
        ("Point Information Jeunesse de Dinan", "Dinan", "22"),
    ):
        pij.append(site("PIJ_BIJ", nom, at(town, dep), None, f"pij-{slug(town)}"))
    for index, codes in geo.nearest_epcis(pij, DEPARTEMENTS).items():
        pij[index]["zone"] = sorted(codes)
    psad = []
    for town, dep in (
        ("Saint-Brieuc", "22"),
        ("Lannion", "22"),
        ("Brest", "29"),
        ("Quimper", "29"),
        ("Rennes", "35"),
        ("Saint-Malo", "35"),
        ("Vannes", "56"),
        ("Lorient", "56"),
    ):
        psad.append(
            site(
                "PSAD",
                f"Plateforme de {town} pour reprendre une formation (PSAD)",
                at(town, dep),
                None,
                f"psad-{slug(town)}",
            )
        )
    for index, codes in geo.nearest_epcis(psad, DEPARTEMENTS).items():
        psad[index]["zone"] = sorted(codes)
    for town, dep in (("Rennes", "35"), ("Brest", "29"), ("Vannes", "56")):
        commune = at(town, dep)
        site(
            "RS_FJT",
            f"Foyer de jeunes travailleurs de {town}",
            commune,
            [commune["epci"]],
            f"fjt-{slug(town)}",
        )
    return sites


def records(sites: list[dict]) -> dict:
    rng = random.Random(SEED)
    structures, services = [], []
    seen_positions: dict[str, int] = defaultdict(int)
    for item in sorted(sites, key=lambda s: s["key"]):
        typologie, commune = item["typologie"], item["commune"]
        # A few hundred metres from the commune's point, on a spiral, so that sites of one town never coincide.
        rank = seen_positions[commune["code"]]
        seen_positions[commune["code"]] += 1
        angle, radius = rank * 2.4, 0.004 * math.sqrt(rank)
        latitude = round(commune["pos"][0] + radius * math.cos(angle), 5)
        longitude = round(commune["pos"][1] + radius * 1.5 * math.sin(angle), 5)
        publics, age_min, age_max = PUBLICS[typologie]
        verified = REFERENCE_DATE - dt.timedelta(days=rng.randint(3, 150))
        if rng.random() < 0.12:  # some records not verified for more than six months: flagged "à vérifier"
            verified = REFERENCE_DATE - dt.timedelta(days=rng.randint(200, 400))
        closures = []
        if rng.random() < 0.08:
            start = REFERENCE_DATE + dt.timedelta(days=rng.randint(20, 60))
            closures.append(
                {
                    "debut": start.isoformat(),
                    "fin": (start + dt.timedelta(days=6)).isoformat(),
                    "motif": "Fermeture pour travaux (démonstration)",
                }
            )
        langues = ["fr"]
        if rng.random() < 0.3:
            langues.append("en")
        if rng.random() < 0.15:
            langues.append("br")
        if rng.random() < 0.12:
            langues.append("fsl")
        di_id = f"{SOURCE}--{item['key']}"
        if item["note"]:  # France Travail agencies and Missions locales: real names
            what = f"nom réel de la structure ({item['note']}), placée à sa commune, {commune['nom']}"
        else:
            what = f"structure fictive du réseau SPRO de démonstration, placée à {commune['nom']}"
        description = (
            f"{DEMO} : {what}. Adresse non renseignée ; horaires, services et zone de compétence plausibles "
            "mais inventés."
        )
        structures.append(
            {
                "source": SOURCE,
                "id": di_id,
                "nom": item["nom"],
                "date_maj": verified.isoformat(),
                "description": description,
                "lien_source": None,
                "siret": None,
                "commune": commune["nom"],
                "code_postal": commune["cp"],
                "code_insee": commune["code"],
                "adresse": None,
                "complement_adresse": None,
                "longitude": longitude,
                "latitude": latitude,
                "telephone": "3949" if typologie == "FT" else None,
                "courriel": None,
                "site_web": WEBSITES.get(typologie),
                "horaires_accueil": HOURS[typologie],
                "accessibilite_lieu": None,
                "reseaux_porteurs": NETWORK.get(typologie),
                "typologie": typologie,
                "publics": publics,
                "age_min": age_min,
                "age_max": age_max,
                "langues": sorted(langues),
                "canaux": CHANNELS.get(typologie, ["sur-place", "telephone"]),
                "accessibilite_pmr": rng.random() < 0.8,
                "accessibilite_precisions": None,
                "fermetures_temporaires": closures or None,
                "zone_competence": sorted(item["zone"]),
                "date_verification": verified.isoformat(),
                "demo": True,
            }
        )
        for number, (nom, kind, themes, text) in enumerate(SERVICES[typologie], start=1):
            services.append(
                {
                    "source": SOURCE,
                    "structure_id": di_id,
                    "id": f"{di_id}--{number}",
                    "nom": nom,
                    "description": f"{DEMO}. {text}",
                    "date_maj": verified.isoformat(),
                    "type": kind,
                    "thematiques": sorted(themes),
                    "frais": "gratuit",
                    "publics": sorted(publics),
                    "modes_accueil": ["a-distance", "en-presentiel"]
                    if "visio" in CHANNELS.get(typologie, [])
                    else ["en-presentiel"],
                    "zone_eligibilite": sorted(item["zone"]),
                    "modes_mobilisation": ["se-presenter", "telephoner"],
                    "mobilisable_par": ["professionnels", "usagers"],
                    "code_insee": commune["code"],
                    "commune": commune["nom"],
                    "code_postal": commune["cp"],
                    "latitude": latitude,
                    "longitude": longitude,
                    "age_min": age_min,
                    "age_max": age_max,
                    "langues": sorted(langues),
                    "canaux": CHANNELS.get(typologie, ["sur-place", "telephone"]),
                    "date_verification": verified.isoformat(),
                }
            )
    return {"structures": structures, "services": services}


def read_json(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    document = records(build(Geo()))
    text = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if args.output.name.endswith(".gz"):  # mtime 0 and no file name: the same bytes at every run
        with (
            args.output.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out,
        ):
            out.write(text)
    else:
        args.output.write_bytes(text)
    counts = defaultdict(int)
    for structure in document["structures"]:
        counts[structure["typologie"]] += 1
    print(f"{len(document['structures'])} structures, {len(document['services'])} services → {args.output}")
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
