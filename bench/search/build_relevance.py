"""Builds bench/search/relevance.jsonl: graded judgments written by hand from the real referentials.

Why a builder and not a hand-edited JSONL: a judgment names a ROME code, or a label pattern that is resolved
against the imported referentials (Certif Info labels, ONISEP titles, Parcoursup filières), so every id in the
set is checked to exist and nothing is copied by hand. The search engine is never called here: judgments come
from the data only. A pattern is a regular expression over the label lower-cased without accents; it must
match at least one record and, unless `many=True`, at most 8 (to keep judgments precise).

    DATABASE_URL=sqlite:///bench/out/search-dev.sqlite3 .venv/bin/python bench/search/build_relevance.py

Grades: 3 = the answer the person is looking for, 2 = a good answer, 1 = related.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
# bench/search must not be on sys.path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent.parent))
OUT = HERE / "relevance.jsonl"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").split())


class M:
    """A ROME fiche by code."""

    def __init__(self, code: str, grade: int = 3) -> None:
        self.code, self.grade = code, grade


class Pattern:
    kind = ""

    def __init__(self, pattern: str, grade: int, many: bool = False) -> None:
        self.pattern, self.grade, self.many = pattern, grade, many


class C(Pattern):
    """Certif Info certifications whose label matches."""

    kind = "certification"


class O(Pattern):  # noqa: E742 - short on purpose, the table below is long
    """ONISEP formations whose title matches."""

    kind = "onisep"


class P(Pattern):
    """Parcoursup offers whose filière matches (many allowed: one row per establishment)."""

    kind = "parcoursup"

    def __init__(self, pattern: str, grade: int, many: bool = True) -> None:
        super().__init__(pattern, grade, many)


class MA(P):
    """Master mentions (Trouver mon master) whose title matches, at every establishment."""

    kind = "master"


def Q(q: str, category: str, type_: str | None, *judged: M | Pattern) -> dict:
    return {"q": q, "type": type_, "category": category, "_judged": judged}


MET, FOR, CER = "metier", "formation", "certification"

QUERIES: list[dict] = [
    # ------------------------------------------------------------------ exact titles
    Q("Infirmier / Infirmière en soins généraux", "exact", MET, M("J1506"), M("J1505", 1), M("J1511", 1)),
    Q("Plombier / Plombière sanitaire", "exact", MET, M("F1603"), M("F1620", 1)),
    Q("Boulanger / Boulangère", "exact", MET, M("D1102"), M("D1108", 2)),
    Q("Kinésithérapeute", "exact", MET, M("J1404")),
    Q("Développeur / Développeuse web", "exact", MET, M("M1855"), M("M1805", 2), M("M1837", 1)),
    Q("Aide-soignant / Aide-soignante", "exact", MET, M("J1501")),
    Q("Conducteur / Conductrice de bus", "exact", MET, M("N4103")),
    Q("Auxiliaire de puériculture", "exact", MET, M("J1304"), M("J1507", 1)),
    Q("Professeur / Professeure des écoles", "exact", MET, M("K2106"), M("K2107", 1)),
    Q("Chef / Cheffe de cuisine", "exact", MET, M("G1601"), M("G1609", 2), M("G1602", 1)),
    Q("Maître-nageur sauveteur", "exact", MET, M("G1224")),
    Q("Manipulateur d'électroradiologie médicale", "exact", MET, M("J1306")),
    Q("Assistant maternel / Assistante maternelle", "exact", MET, M("K1310"), M("K1303", 1)),
    Q("Data scientist", "exact", MET, M("M1405")),
    Q("Community manager", "exact", MET, M("E1101")),
    Q("CAP pâtissier", "exact", CER, C(r"^cap patissier$", 3), C(r"^bac pro boulanger patissier$", 1)),
    Q("BTS comptabilité et gestion", "exact", CER, C(r"^bts comptabilite et gestion$", 3)),
    Q(
        "Diplôme d'État d'infirmier",
        "exact",
        CER,
        C(r"^diplome d.etat d.infirmier\(iere\)$", 3),
        C(r"^diplome d.etat d.infirmier (anesthesiste|de bloc operatoire)$", 1),
    ),
    Q(
        "Titre professionnel développeur web et web mobile",
        "exact",
        CER,
        C(r"^titre professionnel developpeur web et web mobile$", 3),
    ),
    Q("BUT informatique", "exact", FOR, O(r"^but informatique$", 3), P(r"^but .*informatique$", 2)),
    Q("CAP Boulanger", "exact", FOR, O(r"^cap boulanger$", 3)),
    Q(
        "Bac pro cuisine",
        "exact",
        None,
        C(r"^bac pro cuisine$", 3),
        O(r"^bac pro cuisine$", 3),
        M("G1602", 1),
        M("G1609", 1),
    ),
    Q(
        "Diplôme d'Etat d'infirmier",
        "exact",
        FOR,
        O(r"^diplome d.etat d.infirmier$", 3),
        P(r"^d\.e infirmier$", 2),
    ),
    Q("Ebéniste", "exact", MET, M("H2207")),
    Q("Fleuriste", "exact", MET, M("D1209")),
    # ------------------------------------------------------------------ missing accents
    Q(
        "infirmiere",
        "sans-accent",
        MET,
        M("J1506"),
        M("J1505", 2),
        M("J1511", 2),
        M("J1512", 2),
        M("J1507", 1),
        M("J1503", 1),
        M("J1504", 1),
    ),
    Q("patissier", "sans-accent", MET, M("D1104"), M("G1610", 2), M("D1117", 2), M("D1102", 1)),
    Q("electricien", "sans-accent", MET, M("F1602"), M("I1309", 2), M("F1629", 2)),
    Q("kinesitherapeute", "sans-accent", MET, M("J1404")),
    Q("ebeniste", "sans-accent", MET, M("H2207"), M("H2206", 1)),
    Q("veterinaire", "sans-accent", MET, M("A1504"), M("A1501", 2), M("A1305", 1)),
    Q("secretaire medicale", "sans-accent", MET, M("M1609"), M("M1607", 1)),
    Q("educateur specialise", "sans-accent", MET, M("K1207"), M("K1203", 2), M("K1208", 1)),
    Q(
        "esthetique",
        "sans-accent",
        None,
        M("D1208"),
        C(r"^cap esthetique cosmetique parfumerie$", 2),
        C(r"^bac pro esthetique, cosmetique, parfumerie$", 2),
        C(r"^bp esthetique cosmetique parfumerie$", 2),
        O(r"^(cap|bac pro|bp) esthetique", 2),
    ),
    Q("dieteticien", "sans-accent", MET, M("J1402")),
    Q("pedicure podologue", "sans-accent", MET, M("J1409")),
    Q("bucheron", "sans-accent", MET, M("A1201")),
    Q("demenageur", "sans-accent", MET, M("N1102")),
    Q("receptionniste hotel", "sans-accent", MET, M("G1703")),
    Q("maitre nageur", "sans-accent", MET, M("G1224")),
    Q(
        "diplome d'etat d'infirmier",
        "sans-accent",
        CER,
        C(r"^diplome d.etat d.infirmier\(iere\)$", 3),
        C(r"^diplome d.etat d.infirmier (anesthesiste|de bloc operatoire)$", 1),
    ),
    Q("mecanicien automobile", "sans-accent", MET, M("I1604"), M("I1613", 1)),
    Q(
        "comptabilite et gestion",
        "sans-accent",
        None,
        C(r"^bts comptabilite et gestion$", 3),
        O(r"^bts comptabilite et gestion$", 3),
        P(r"^bts services comptabilite et gestion$", 2),
        M("M1203", 1),
    ),
    Q("controleur aerien", "sans-accent", MET, M("N2202")),
    Q("negociateur immobilier", "sans-accent", MET, M("C1504")),
    # ------------------------------------------------------------------ one gender form
    Q(
        "infirmière",
        "genre",
        MET,
        M("J1506"),
        M("J1505", 2),
        M("J1511", 2),
        M("J1512", 2),
        M("J1507", 1),
        M("J1503", 1),
        M("J1504", 1),
    ),
    Q("vendeuse prêt-à-porter", "genre", MET, M("D1214")),
    Q("boulangère", "genre", MET, M("D1102"), M("D1108", 2)),
    Q("coiffeuse", "genre", MET, M("D1202"), M("D1216", 2), M("L1516", 1)),
    Q("maçonne", "genre", MET, M("F1703"), M("F1707", 2)),
    Q("menuisière", "genre", MET, M("H2206"), M("F1607", 2), M("H2213", 1)),
    Q("aide-soignante", "genre", MET, M("J1501")),
    Q("éducatrice de jeunes enfants", "genre", MET, M("K1202")),
    Q("assistante sociale", "genre", MET, M("K1201")),
    Q("développeuse web", "genre", MET, M("M1855"), M("M1805", 2)),
    Q("chauffeuse routière", "genre", MET, M("N4101")),
    Q("cheffe de cuisine", "genre", MET, M("G1601"), M("G1609", 1)),
    Q("bouchère", "genre", MET, M("D1101"), M("D1109", 2)),
    Q("conductrice de bus", "genre", MET, M("N4103")),
    Q("pâtissière", "genre", MET, M("D1104"), M("G1610", 2), M("D1117", 2)),
    Q("factrice", "genre", MET, M("M1603")),
    Q("serveuse", "genre", MET, M("G1803")),
    Q("puéricultrice", "genre", MET, M("J1507"), M("J1304", 1)),
    Q("agricultrice", "genre", MET, M("A1416"), M("A1433", 1), M("A1414", 1)),
    Q("sage-femme", "genre", MET, M("J1104")),
    Q("homme sage-femme", "genre", MET, M("J1104")),
    Q("plombier", "genre", MET, M("F1603"), M("F1620", 2)),
    Q("soudeur", "genre", MET, M("H2913"), M("H2915", 2)),
    Q("pharmacienne", "genre", MET, M("J1202")),
    Q("traductrice", "genre", MET, M("E1108")),
    # ------------------------------------------------------------------ typos: one edit per word of >= 5 letters
    Q("infirmeire", "typo", MET, M("J1506"), M("J1505", 2), M("J1511", 2), M("J1512", 2)),
    Q("boulanjer", "typo", MET, M("D1102"), M("D1108", 2)),
    Q("plonbier", "typo", MET, M("F1603"), M("F1620", 2)),
    Q("kinesiterapeute", "typo", MET, M("J1404")),
    Q("developeur web", "typo", MET, M("M1855"), M("M1805", 2)),
    Q("electricein batiment", "typo", MET, M("F1602")),
    Q("mecanicein automobil", "typo", MET, M("I1604"), M("I1613", 1)),
    Q("secretiare medicale", "typo", MET, M("M1609"), M("M1607", 1)),
    Q("asistant maternel", "typo", MET, M("K1310")),
    Q("coifeur", "typo", MET, M("D1202"), M("D1216", 2)),
    Q("veterinaire auxilaire", "typo", MET, M("A1501"), M("A1504", 2)),
    Q("patisier", "typo", MET, M("D1104"), M("G1610", 2), M("D1117", 2)),
    Q("jardinier paysagist", "typo", MET, M("A1208"), M("A1211", 1), M("A1206", 1)),
    Q("chaufeur routier", "typo", MET, M("N4101")),
    Q("ambulancer", "typo", MET, M("J1305"), M("J1310", 2)),
    Q("psycologue", "typo", MET, M("K1104"), M("K1107", 1)),
    Q("orthophonsite", "typo", MET, M("J1406")),
    Q("charpantier", "typo", MET, M("F1503"), M("F1504", 1)),
    Q("carelleur", "typo", MET, M("F1608")),
    Q("esthéticiene", "typo", MET, M("D1208"), M("D1237", 1)),
    Q("comptabel", "typo", MET, M("M1203"), M("M1213", 2), M("M1225", 2), M("M1211", 1)),
    Q("boucehr", "typo", MET, M("D1101"), M("D1109", 2)),
    Q("fleuriset", "typo", MET, M("D1209")),
    Q("puericultirce", "typo", MET, M("J1507"), M("J1304", 1)),
    Q("cap patisier", "typo", None, C(r"^cap patissier$", 3), O(r"^cap patissier$", 3), M("D1104", 2)),
    Q(
        "diplome d'etat infirmeir",
        "typo",
        CER,
        C(r"^diplome d.etat d.infirmier\(iere\)$", 3),
        C(r"^diplome d.etat d.infirmier (anesthesiste|de bloc operatoire)$", 1),
    ),
    Q("educatuer specailise", "typo", MET, M("K1207"), M("K1203", 2), M("K1208", 1)),
    Q("manipulatuer radoilogie", "typo", MET, M("J1306")),
    Q("conductuer poids lourd", "typo", MET, M("N4101"), M("N4111", 1)),
    Q("agnet immobiler", "typo", MET, M("C1504")),
    # ------------------------------------------------------------------ activity or field instead of the title
    Q("boulangerie", "activite", MET, M("D1102"), M("D1108", 2), M("D1104", 1)),
    Q("plomberie", "activite", MET, M("F1603"), M("F1620", 2)),
    Q(
        "comptabilité",
        "activite",
        MET,
        M("M1203"),
        M("M1213", 2),
        M("M1225", 2),
        M("M1206", 2),
        M("M1211", 1),
    ),
    Q("kinésithérapie", "activite", MET, M("J1404")),
    Q("pâtisserie", "activite", MET, M("D1104"), M("G1610", 2), M("D1117", 2)),
    Q("coiffure", "activite", MET, M("D1202"), M("D1216", 2), M("D1220", 1)),
    Q("menuiserie", "activite", MET, M("H2206"), M("F1607", 2), M("F1616", 1)),
    Q("maçonnerie", "activite", MET, M("F1703"), M("F1707", 1)),
    Q("boucherie", "activite", MET, M("D1101"), M("D1109", 2)),
    Q("charcuterie", "activite", MET, M("D1103")),
    Q("poissonnerie", "activite", MET, M("D1105")),
    Q("orthophonie", "activite", MET, M("J1406")),
    Q("psychologie", "activite", MET, M("K1104"), M("K1107", 2)),
    Q("ébénisterie", "activite", MET, M("H2207")),
    Q("horlogerie", "activite", MET, M("B1604")),
    Q("apiculture", "activite", MET, M("A1429")),
    Q("viticulture", "activite", MET, M("A1418")),
    Q("cordonnerie", "activite", MET, M("D1206")),
    Q("esthétique", "activite", MET, M("D1208"), M("D1237", 2)),
    Q("pharmacie", "activite", MET, M("J1202"), M("J1307", 2)),
    Q("électricité bâtiment", "activite", MET, M("F1602")),
    Q("couverture toiture", "activite", MET, M("F1619")),
    Q("diététique", "activite", MET, M("J1402")),
    Q("photographie", "activite", MET, M("E1201"), M("E1208", 1)),
    Q("traduction", "activite", MET, M("E1108")),
    # ------------------------------------------------------------------ everyday short forms and slang
    Q("mécano", "argot", MET, M("I1604"), M("I1613", 2)),
    Q("instit", "argot", MET, M("K2106")),
    Q("compta", "argot", MET, M("M1203"), M("M1213", 2), M("M1225", 2), M("M1206", 1)),
    Q("kiné", "argot", MET, M("J1404")),
    Q("cuistot", "argot", MET, M("G1609"), M("G1606", 2), M("G1601", 2), M("G1602", 2)),
    Q("prof de maths", "argot", MET, M("K2107"), M("K2129", 1), M("K2122", 1)),
    Q("prof des écoles", "argot", MET, M("K2106")),
    Q("prof de musique", "argot", MET, M("K2105"), M("K2136", 2)),
    Q("prof de français langue étrangère", "argot", MET, M("K2130")),
    Q("ortho", "argot", MET, M("J1406")),
    Q("psy", "argot", MET, M("K1104"), M("K1107", 1)),
    Q("véto", "argot", MET, M("A1504"), M("A1501", 1)),
    Q("nounou", "argot", MET, M("K1303"), M("K1310", 3)),
    Q("pompier", "argot", MET, M("K1705"), M("K1702", 2)),
    Q("flic", "argot", MET, M("K1704"), M("K1706", 2), M("K1710", 2), M("K1707", 2), M("K1719", 1)),
    Q("routier", "argot", MET, M("N4101")),
    Q("dev web", "argot", MET, M("M1855"), M("M1805", 2)),
    Q("toubib", "argot", MET, M("J1102")),
    Q("pharmacien préparateur", "argot", MET, M("J1307"), M("J1202", 2)),
    Q("auxiliaire de vie", "argot", MET, M("K1311"), M("K1306", 2), M("K1304", 1)),
    Q("baby-sitter", "argot", MET, M("K1303")),
    Q("barmaid", "argot", MET, M("G1801")),
    Q("hôtesse de l'air", "argot", MET, M("N2101")),
    Q("aide soignante à domicile", "argot", MET, M("J1501"), M("K1311", 1)),
    Q("graphiste", "argot", MET, M("E1205"), M("E1306", 2)),
    # ------------------------------------------------------------------ abbreviations and acronyms
    Q(
        "cap patisserie",
        "abreviation",
        None,
        C(r"^cap patissier$", 3),
        O(r"^cap patissier$", 3),
        M("D1104", 2),
    ),
    Q(
        "bts mco",
        "abreviation",
        None,
        C(r"^bts management commercial operationnel$", 3),
        O(r"^bts management commercial operationnel$", 3),
        P(r"^bts services management commercial operationnel$", 2),
    ),
    Q(
        "bts compta",
        "abreviation",
        None,
        C(r"^bts comptabilite et gestion$", 3),
        O(r"^bts comptabilite et gestion$", 3),
        P(r"^bts services comptabilite et gestion$", 2),
    ),
    Q(
        "cap boulanger",
        "abreviation",
        None,
        C(r"^cap boulanger$", 3),
        O(r"^cap boulanger$", 3),
        M("D1102", 2),
    ),
    Q("bp boulanger", "abreviation", None, C(r"^bp boulanger$", 3), O(r"^bp boulanger$", 3), M("D1102", 2)),
    Q("bp coiffure", "abreviation", None, C(r"^bp coiffure$", 3), O(r"^bp coiffure$", 3), M("D1202", 2)),
    Q(
        "cap coiffure",
        "abreviation",
        None,
        C(r"^cap metiers de la coiffure$", 3),
        O(r"^cap metiers de la coiffure$", 3),
        M("D1202", 2),
    ),
    Q(
        "bac pro cuisine",
        "abreviation",
        None,
        C(r"^bac pro cuisine$", 3),
        O(r"^bac pro cuisine$", 3),
        M("G1602", 1),
    ),
    Q(
        "cap cuisine",
        "abreviation",
        None,
        C(r"^cap cuisine$", 3),
        O(r"^cap cuisine$", 3),
        M("G1602", 2),
        M("G1609", 2),
    ),
    Q(
        "bac pro melec",
        "abreviation",
        None,
        C(r"^bac pro metiers de l.electricite et de ses environnements connectes$", 3),
        O(r"^bac pro metiers de l.electricite et de ses environnements connectes$", 3),
        M("F1602", 1),
    ),
    Q(
        "but informatique",
        "abreviation",
        None,
        O(r"^but informatique$", 3),
        P(r"^but .*informatique$", 2),
        C(r"^but (specialite )?informatique", 3),
    ),
    Q(
        "but gea",
        "abreviation",
        None,
        O(r"^but gestion des entreprises et des administrations$", 3),
        C(r"^but (specialite )?gestion des entreprises et des administrations", 3),
        P(r"^but .*gestion des entreprises et des administrations$", 2),
    ),
    Q(
        "bts sio",
        "abreviation",
        None,
        C(r"^bts services informatiques aux organisations", 3),
        O(r"^bts services informatiques aux organisations", 3),
        P(r"^bts services services informatiques aux organisations$", 2),
    ),
    Q(
        "cap aepe",
        "abreviation",
        None,
        C(r"^cap accompagnant educatif petite enfance$", 3),
        O(r"^cap accompagnant educatif petite enfance$", 3),
        M("K1303", 1),
        M("K1310", 1),
        M("J1304", 1),
    ),
    Q(
        "cap électricien",
        "abreviation",
        None,
        C(r"^cap electricien$", 3),
        O(r"^cap electricien$", 3),
        M("F1602", 2),
    ),
    Q(
        "cap fleuriste",
        "abreviation",
        None,
        C(r"^cap fleuriste$", 3),
        O(r"^cap fleuriste$", 3),
        M("D1209", 2),
    ),
    Q("cap boucher", "abreviation", None, C(r"^cap boucher$", 3), O(r"^cap boucher$", 3), M("D1101", 2)),
    Q(
        "tp secrétaire assistant",
        "abreviation",
        CER,
        C(r"^titre professionnel secretaire assistant$", 3),
        C(r"^titre professionnel secretaire assistant medico-social$", 1),
    ),
    Q("titre pro cariste", "abreviation", CER, C(r"^titre professionnel cariste d.entrepot$", 3)),
    Q("deaes", "abreviation", CER, C(r"^diplome d.etat d.accompagnant educatif et social$", 3)),
    Q("dees educateur specialise", "abreviation", CER, C(r"^diplome d.etat d.educateur specialise$", 3)),
    Q("bpjeps", "abreviation", CER, C(r"^bpjeps ", 3, many=True)),
    Q("vae aide-soignant", "abreviation", CER, C(r"^diplome d.etat d.aide-soignant", 3)),
    Q(
        "cpf comptabilité",
        "abreviation",
        CER,
        C(r"^titre professionnel gestionnaire comptable et fiscal$", 2),
        C(r"^titre professionnel comptable assistant$", 3),
        C(r"^bts comptabilite et gestion$", 2),
    ),
    Q(
        "cap agent de sécurité",
        "abreviation",
        None,
        C(r"^cap agent de securite$", 3),
        O(r"^cap agent de securite$", 3),
        M("K2503", 2),
    ),
    Q(
        "bts esthétique",
        "abreviation",
        None,
        C(r"^bts metiers de l.esthetique-cosmetique-parfumerie", 3),
        O(r"^bts metiers de l.esthetique", 3),
        M("D1208", 1),
    ),
    Q(
        "bac pro mva",
        "abreviation",
        None,
        C(r"^bac pro maintenance des vehicules option", 3),
        O(r"^bac pro maintenance des vehicules", 3),
        M("I1604", 1),
    ),
    # ------------------------------------------------------------------ sentences
    Q(
        "je veux travailler avec les animaux",
        "phrase",
        MET,
        M("A1506"),
        M("A1503", 2),
        M("A1501", 2),
        M("A1504", 2),
        M("A1426", 2),
        M("A1435", 1),
        M("A1421", 1),
        M("A1508", 1),
        M("D1210", 1),
    ),
    Q(
        "developeur web alternance rennes",
        "phrase",
        None,
        M("M1855"),
        M("M1805", 2),
        C(r"^titre professionnel developpeur web et web mobile$", 2),
        C(r"^developpeur web$", 2),
    ),
    Q("je veux devenir infirmière", "phrase", MET, M("J1506"), M("J1505", 2), M("J1511", 2), M("J1512", 2)),
    Q(
        "travailler dans la petite enfance",
        "phrase",
        MET,
        M("J1304"),
        M("K1202"),
        M("K1310", 2),
        M("K1303", 2),
        M("J1507", 2),
    ),
    Q("s'occuper des personnes âgées à domicile", "phrase", MET, M("K1311"), M("K1304", 2), M("J1501", 2)),
    Q("je voudrais être boulanger", "phrase", MET, M("D1102"), M("D1108", 2)),
    Q("métier dans la cuisine", "phrase", MET, M("G1609"), M("G1602", 2), M("G1601", 2), M("G1606", 2)),
    Q("conduire des camions", "phrase", MET, M("N4101"), M("N4116", 1), M("N4111", 1)),
    Q("réparer des voitures", "phrase", MET, M("I1604"), M("I1613", 2)),
    Q("travailler dans un garage automobile", "phrase", MET, M("I1604"), M("I1613", 2)),
    Q("enseigner aux enfants", "phrase", MET, M("K2106"), M("K2107", 1)),
    Q("devenir professeur de collège", "phrase", MET, M("K2107")),
    Q("aider les gens en difficulté", "phrase", MET, M("K1201"), M("K1207", 2)),
    Q(
        "formation pour devenir aide-soignant",
        "phrase",
        None,
        M("J1501"),
        C(r"^diplome d.etat d.aide-soignant", 3),
        O(r"^diplome d.etat d.aide-soignant", 3),
    ),
    Q(
        "apprendre la coiffure en apprentissage",
        "phrase",
        None,
        M("D1202"),
        C(r"^cap metiers de la coiffure$", 3),
        O(r"^cap metiers de la coiffure$", 3),
        C(r"^bp coiffure$", 2),
        O(r"^bp coiffure$", 2),
    ),
    Q(
        "travailler dans l'informatique",
        "phrase",
        MET,
        M("M1805"),
        M("M1855", 2),
        M("M1861", 2),
        M("M1839", 1),
    ),
    Q("soigner les animaux", "phrase", MET, M("A1504"), M("A1501"), M("A1506", 2)),
    Q("je veux faire du jardinage", "phrase", MET, M("A1208"), M("A1211", 1)),
    Q("je cherche un métier dans le bâtiment comme maçon", "phrase", MET, M("F1703"), M("F1707", 2)),
    Q("vendre des vêtements en magasin", "phrase", MET, M("D1214")),
    Q("conduire une ambulance", "phrase", MET, M("J1305"), M("J1310", 2)),
    Q("devenir pilote d'avion", "phrase", MET, M("N2102")),
    # ------------------------------------------------------------------ mixed: accent-less feminine, typo + slang
    Q("vendeuse pret a porter", "multi", MET, M("D1214")),
    Q("educatrice specialisee", "multi", MET, M("K1207"), M("K1203", 2), M("K1208", 1)),
    Q("boulangere patissiere", "multi", MET, M("D1102"), M("D1104"), M("D1117", 1)),
    Q("esthéticienne à domicile", "multi", MET, M("D1208")),
    Q("coiffeuse barbiere", "multi", MET, M("D1216"), M("D1202", 2)),
    Q("menuisiere alu", "multi", MET, M("F1607"), M("H2206", 1)),
    Q("infirmiere scolaire", "multi", MET, M("J1511"), M("J1506", 1)),
    Q("agente de nettoyage", "multi", MET, M("K2205"), M("K2204"), M("K2307", 1), M("K2203", 1)),
    Q("prof de francais langue etrangere", "multi", MET, M("K2130")),
    Q("plombiere chauffagiste", "multi", MET, M("F1620"), M("F1603", 2), M("I1308", 2)),
    # ------------------------------------------------------------------ formations and certifications by theme
    Q(
        "aide-soignant",
        "exact",
        None,
        M("J1501"),
        C(r"^diplome d.etat d.aide-soignant", 2),
        O(r"^diplome d.etat d.aide-soignant", 2),
    ),
    Q("formation cariste", "phrase", None, C(r"^titre professionnel cariste d.entrepot$", 3), M("N1101", 2)),
    Q(
        "master droit des affaires",
        "exact",
        FOR,
        O(r"^master mention droit des affaires$", 3),
        MA(r"^droit des affaires$", 2),
    ),
    Q(
        "licence psychologie",
        "exact",
        FOR,
        O(r"^licence (mention )?psychologie$", 3),
        P(r"^licence .*psychologie$", 2),
    ),
    Q(
        "bts tourisme",
        "abreviation",
        None,
        C(r"^bts tourisme$", 3),
        O(r"^bts tourisme$", 3),
        P(r"^bts services tourisme$", 2),
    ),
]


def resolve(db) -> list[dict]:  # db is the models namespace built in main()
    fiches = dict(db.FicheMetier.objects.values_list("code_rome", "libelle"))
    certs = [
        (f"certification:certifinfo-{c}", fold(label))
        for c, label in db.Certification.objects.values_list("code", "libelle")
    ]
    onisep = [
        (f"formation:onisep-{i}", fold(label))
        for i, label in db.FormationOnisep.objects.values_list("id", "libelle")
    ]
    parcoursup = [
        (f"formation:parcoursup-{i}", fold(label))
        for i, label in db.FormationParcoursup.objects.values_list("id", "filiere")
    ]
    masters = [
        (f"formation:master-{i}", fold(label))
        for i, label in db.MentionMaster.objects.values_list("id", "intitule")
    ]
    pools = {"certification": certs, "onisep": onisep, "parcoursup": parcoursup, "master": masters}
    lines, errors, seen = [], [], set()
    for item in QUERIES:
        key = (item["q"], item["type"])
        if key in seen:
            errors.append(f"duplicate query {key}")
        seen.add(key)
        judgments: dict[str, int] = {}
        for judged in item["_judged"]:
            if isinstance(judged, M):
                if judged.code not in fiches:
                    errors.append(f"{item['q']!r}: unknown ROME code {judged.code}")
                found = [f"metier:{judged.code}"]
            else:
                regex = re.compile(judged.pattern)
                found = [key for key, label in pools[judged.kind] if regex.search(label)]
                if not found:
                    errors.append(f"{item['q']!r}: {judged.kind} pattern {judged.pattern!r} matches nothing")
                elif len(found) > 8 and not judged.many:
                    errors.append(
                        f"{item['q']!r}: {judged.kind} pattern {judged.pattern!r} matches {len(found)}"
                    )
            for key in found:
                judgments[key] = max(judgments.get(key, 0), judged.grade)
        if not any(grade >= 2 for grade in judgments.values()):
            errors.append(f"{item['q']!r}: no judgment of grade >= 2")
        lines.append(
            {"q": item["q"], "type": item["type"], "category": item["category"], "judgments": judgments}
        )
    if errors:
        sys.exit("\n".join(errors))
    return lines


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
    import django

    django.setup()
    from types import SimpleNamespace

    from spro.referentials.certifications.models import Certification
    from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, MentionMaster
    from spro.referentials.rome.models import FicheMetier

    db = SimpleNamespace(
        FicheMetier=FicheMetier,
        Certification=Certification,
        FormationOnisep=FormationOnisep,
        FormationParcoursup=FormationParcoursup,
        MentionMaster=MentionMaster,
    )
    lines = resolve(db)
    with OUT.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    by_cat: dict[str, int] = {}
    for line in lines:
        by_cat[line["category"]] = by_cat.get(line["category"], 0) + 1
    print(f"{len(lines)} queries written to {OUT.relative_to(HERE.parent.parent)}: {by_cat}")


if __name__ == "__main__":
    main()
