"""Streaming importer of continuing-education offers in LHÉO 2.3 (Carif-Oref exchange format).

The file is read with `lxml.etree.iterparse` one <formation> at a time, each element freed once read, and
written in batches: memory stays flat whatever the file size. Each formation gets a content hash (of the
records actually written, after the geo and ROME links are resolved); a batch only loads the keys and hashes
of its own formations, so an unchanged offer costs one dict lookup and writes nothing. The whole import runs
in the one transaction of `run_dataset`: a malformed file or a schema violation anywhere rolls everything
back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections, models, reset_queries, router
from django.db.models import Q
from lxml import etree

from spro.referentials.geo.models import Commune
from spro.referentials.importing import Dataset, ImportContext, ImportFailure

from . import lheo
from .lheo import NS, LheoStream, SchemaProblem, iter_formations, load_schema, local_name, open_lheo, validate
from .models import Action, Formation, FormationRome, OrganismeFormation, Session

FICHE_ATTNAME = FormationRome._meta.get_field("fiche").attname

#: Bump when the mapping changes, so that the next import rewrites every offer instead of skipping it.
MAPPING_VERSION = 1

T = {
    name: NS + name
    for name in (
        "domaine-formation",
        "code-FORMACODE",
        "code-NSF",
        "code-ROME",
        "intitule-formation",
        "objectif-formation",
        "resultats-attendus",
        "contenu-formation",
        "certifiante",
        "parcours-de-formation",
        "code-niveau-entree",
        "code-niveau-sortie",
        "objectif-general-formation",
        "certification",
        "code-RNCP",
        "code-CERTIFINFO",
        "code-RS",
        "url-formation",
        "urlweb",
        "action",
        "organisme-formation-responsable",
        "rythme-formation",
        "code-public-vise",
        "info-public-vise",
        "niveau-entree-obligatoire",
        "modalites-alternance",
        "modalites-enseignement",
        "conditions-specifiques",
        "prise-en-charge-frais-possible",
        "lieu-de-formation",
        "modalites-entrees-sorties",
        "url-action",
        "session",
        "hebergement",
        "restauration",
        "transport",
        "acces-handicapes",
        "modalites-recrutement",
        "modalites-pedagogiques",
        "prix-horaire-TTC",
        "prix-total-TTC",
        "duree-indicative",
        "nombre-heures-centre",
        "nombre-heures-entreprise",
        "nombre-heures-total",
        "detail-conditions-prise-en-charge",
        "conventionnement",
        "organisme-financeur",
        "code-financeur",
        "nb-places-financees",
        "periode",
        "debut",
        "fin",
        "adresse-inscription",
        "adresse",
        "modalites-inscription",
        "etat-recrutement",
        "url-session",
        "numero-activite",
        "SIRET-organisme-formation",
        "SIRET",
        "nom-organisme",
        "raison-sociale",
        "coordonnees-organisme",
        "coordonnees",
        "code-UAI-organisme-formation",
        "code-UAI",
        "ligne",
        "codepostal",
        "ville",
        "departement",
        "code-INSEE-commune",
        "code-INSEE-canton",
        "region",
        "pays",
        "geolocalisation",
        "latitude",
        "longitude",
        "denomination",
        "telfixe",
        "portable",
        "numtel",
        "courriel",
        "web",
        "extras",
    )
}

# The tags as module constants: compared millions of times, a global is cheaper than T[...].
T_DOMAINE_FORMATION = T["domaine-formation"]
T_CODE_FORMACODE = T["code-FORMACODE"]
T_CODE_NSF = T["code-NSF"]
T_CODE_ROME = T["code-ROME"]
T_INTITULE_FORMATION = T["intitule-formation"]
T_OBJECTIF_FORMATION = T["objectif-formation"]
T_RESULTATS_ATTENDUS = T["resultats-attendus"]
T_CONTENU_FORMATION = T["contenu-formation"]
T_CERTIFIANTE = T["certifiante"]
T_PARCOURS_DE_FORMATION = T["parcours-de-formation"]
T_CODE_NIVEAU_ENTREE = T["code-niveau-entree"]
T_CODE_NIVEAU_SORTIE = T["code-niveau-sortie"]
T_OBJECTIF_GENERAL_FORMATION = T["objectif-general-formation"]
T_CERTIFICATION = T["certification"]
T_CODE_RNCP = T["code-RNCP"]
T_CODE_CERTIFINFO = T["code-CERTIFINFO"]
T_CODE_RS = T["code-RS"]
T_URL_FORMATION = T["url-formation"]
T_URLWEB = T["urlweb"]
T_ACTION = T["action"]
T_ORGANISME_FORMATION_RESPONSABLE = T["organisme-formation-responsable"]
T_RYTHME_FORMATION = T["rythme-formation"]
T_CODE_PUBLIC_VISE = T["code-public-vise"]
T_INFO_PUBLIC_VISE = T["info-public-vise"]
T_NIVEAU_ENTREE_OBLIGATOIRE = T["niveau-entree-obligatoire"]
T_MODALITES_ALTERNANCE = T["modalites-alternance"]
T_MODALITES_ENSEIGNEMENT = T["modalites-enseignement"]
T_CONDITIONS_SPECIFIQUES = T["conditions-specifiques"]
T_PRISE_EN_CHARGE_FRAIS_POSSIBLE = T["prise-en-charge-frais-possible"]
T_LIEU_DE_FORMATION = T["lieu-de-formation"]
T_MODALITES_ENTREES_SORTIES = T["modalites-entrees-sorties"]
T_URL_ACTION = T["url-action"]
T_SESSION = T["session"]
T_HEBERGEMENT = T["hebergement"]
T_RESTAURATION = T["restauration"]
T_TRANSPORT = T["transport"]
T_ACCES_HANDICAPES = T["acces-handicapes"]
T_MODALITES_RECRUTEMENT = T["modalites-recrutement"]
T_MODALITES_PEDAGOGIQUES = T["modalites-pedagogiques"]
T_PRIX_HORAIRE_TTC = T["prix-horaire-TTC"]
T_PRIX_TOTAL_TTC = T["prix-total-TTC"]
T_DUREE_INDICATIVE = T["duree-indicative"]
T_NOMBRE_HEURES_CENTRE = T["nombre-heures-centre"]
T_NOMBRE_HEURES_ENTREPRISE = T["nombre-heures-entreprise"]
T_NOMBRE_HEURES_TOTAL = T["nombre-heures-total"]
T_DETAIL_CONDITIONS_PRISE_EN_CHARGE = T["detail-conditions-prise-en-charge"]
T_CONVENTIONNEMENT = T["conventionnement"]
T_ORGANISME_FINANCEUR = T["organisme-financeur"]
T_CODE_FINANCEUR = T["code-financeur"]
T_NB_PLACES_FINANCEES = T["nb-places-financees"]
T_PERIODE = T["periode"]
T_DEBUT = T["debut"]
T_FIN = T["fin"]
T_ADRESSE_INSCRIPTION = T["adresse-inscription"]
T_ADRESSE = T["adresse"]
T_MODALITES_INSCRIPTION = T["modalites-inscription"]
T_ETAT_RECRUTEMENT = T["etat-recrutement"]
T_URL_SESSION = T["url-session"]
T_NUMERO_ACTIVITE = T["numero-activite"]
T_SIRET_ORGANISME_FORMATION = T["SIRET-organisme-formation"]
T_SIRET = T["SIRET"]
T_NOM_ORGANISME = T["nom-organisme"]
T_RAISON_SOCIALE = T["raison-sociale"]
T_COORDONNEES_ORGANISME = T["coordonnees-organisme"]
T_COORDONNEES = T["coordonnees"]
T_CODE_UAI_ORGANISME_FORMATION = T["code-UAI-organisme-formation"]
T_CODE_UAI = T["code-UAI"]
T_LIGNE = T["ligne"]
T_CODEPOSTAL = T["codepostal"]
T_VILLE = T["ville"]
T_DEPARTEMENT = T["departement"]
T_CODE_INSEE_COMMUNE = T["code-INSEE-commune"]
T_CODE_INSEE_CANTON = T["code-INSEE-canton"]
T_REGION = T["region"]
T_PAYS = T["pays"]
T_GEOLOCALISATION = T["geolocalisation"]
T_LATITUDE = T["latitude"]
T_LONGITUDE = T["longitude"]
T_DENOMINATION = T["denomination"]

# Simple text children of <action> mapped to a model field of the same meaning.
ACTION_TEXTS = {
    T_RYTHME_FORMATION: "rythme",
    T_INFO_PUBLIC_VISE: "info_public_vise",
    T_MODALITES_ALTERNANCE: "modalites_alternance",
    T_CONDITIONS_SPECIFIQUES: "conditions_specifiques",
    T_HEBERGEMENT: "hebergement",
    T_RESTAURATION: "restauration",
    T_TRANSPORT: "transport",
    T_ACCES_HANDICAPES: "acces_handicapes",
    T_MODALITES_RECRUTEMENT: "modalites_recrutement",
    T_MODALITES_PEDAGOGIQUES: "modalites_pedagogiques",
    T_DUREE_INDICATIVE: "duree_indicative",
    T_DETAIL_CONDITIONS_PRISE_EN_CHARGE: "detail_conditions_prise_en_charge",
}
ACTION_INTS = {
    T_NOMBRE_HEURES_CENTRE: "nombre_heures_centre",
    T_NOMBRE_HEURES_ENTREPRISE: "nombre_heures_entreprise",
    T_NOMBRE_HEURES_TOTAL: "nombre_heures_total",
}
ACTION_PRICES = {T_PRIX_HORAIRE_TTC: "prix_horaire_ttc", T_PRIX_TOTAL_TTC: "prix_total_ttc"}
#: the scalar defaults of an action record (the mutable ones are made per action)
ACTION_DEFAULTS: dict[str, Any] = {
    **{name: "" for name in ACTION_TEXTS.values()},
    "niveau_entree_obligatoire": False,
    "modalites_enseignement": "",
    "prise_en_charge_frais_possible": False,
    "conventionnement": None,
    "entrees_sorties_permanentes": False,
    "lieu_nom": "",
    "lieu_code_insee": "",
    "lieu_commune_id": None,
    "latitude": None,
    "longitude": None,
    "url": "",
    "nombre_heures_centre": None,
    "nombre_heures_entreprise": None,
    "nombre_heures_total": None,
    "prix_horaire_ttc": None,
    "prix_total_ttc": None,
}
FORMATION_TEXTS = {
    T_OBJECTIF_FORMATION: "objectif",
    T_RESULTATS_ATTENDUS: "resultats_attendus",
    T_CONTENU_FORMATION: "contenu",
}
FORMATION_CODES = {
    T_PARCOURS_DE_FORMATION: "parcours",
    T_CODE_NIVEAU_ENTREE: "niveau_entree",
    T_CODE_NIVEAU_SORTIE: "niveau_sortie",
    T_OBJECTIF_GENERAL_FORMATION: "objectif_general",
}
ADDRESS_TEXTS = {
    T_CODEPOSTAL: "code_postal",
    T_VILLE: "ville",
    T_DEPARTEMENT: "departement",
    T_CODE_INSEE_COMMUNE: "code_insee_commune",
    T_CODE_INSEE_CANTON: "code_insee_canton",
    T_REGION: "region",
    T_PAYS: "pays",
    T_DENOMINATION: "denomination",
}

ORGANISME_FIELDS = [
    "numero_activite",
    "nom",
    "raison_sociale",
    "adresse",
    "commune_id",
    "telephone",
    "courriel",
    "site_web",
    "code_uai",
    "extras",
    "content_hash",
]
FORMATION_FIELDS = [
    "intitule",
    "objectif",
    "resultats_attendus",
    "contenu",
    "certifiante",
    "formacode_principal",
    "codes_formacode",
    "codes_nsf",
    "codes_rome",
    "codes_rncp",
    "codes_certifinfo",
    "codes_rs",
    "parcours",
    "niveau_entree",
    "niveau_sortie",
    "objectif_general",
    "url",
    "organisme_id",
    "extras",
    "content_hash",
]
ACTION_FIELDS = [
    "rythme",
    "codes_public_vise",
    "info_public_vise",
    "niveau_entree_obligatoire",
    "modalites_alternance",
    "modalites_enseignement",
    "conditions_specifiques",
    "prise_en_charge_frais_possible",
    "detail_conditions_prise_en_charge",
    "financeurs",
    "conventionnement",
    "entrees_sorties_permanentes",
    "lieu_nom",
    "lieu_adresse",
    "lieu_code_insee",
    "lieu_commune_id",
    "latitude",
    "longitude",
    "url",
    "duree_indicative",
    "nombre_heures_centre",
    "nombre_heures_entreprise",
    "nombre_heures_total",
    "prix_horaire_ttc",
    "prix_total_ttc",
    "hebergement",
    "restauration",
    "transport",
    "acces_handicapes",
    "modalites_recrutement",
    "modalites_pedagogiques",
    "extras",
]
SESSION_FIELDS = [
    "debut",
    "fin",
    "adresse_inscription",
    "modalites_inscription",
    "etat_recrutement",
    "url",
    "extras",
]
# CharField limits (the XSD's, or ours when shorter): checked while reading, because in parallel validation
# the importer may meet an over-long value before the validator reports it, and PostgreSQL would refuse it.
LIMITS = {
    "intitule": 255,
    "numero": 255,
    "siret": 14,
    "numero_activite": 11,
    "nom": 255,
    "raison_sociale": 255,
    "telephone": 50,
    "courriel": 255,
    "site_web": 400,
    "code_uai": 8,
    "url": 400,
    "duree_indicative": 150,
    "formacode_principal": 10,
    "lieu_nom": 255,
    "lieu_code_insee": 5,
}


# --------------------------------------------------------------------------------------------------- reading


def _to_json(element: etree._Element) -> Any:
    """JSON of an element we do not model: attributes as '@name', text as '#text', repeats as lists."""
    children = [child for child in element if isinstance(child.tag, str)]
    attrs = {"@" + key: value for key, value in element.attrib.items()}
    if not children:
        text = (element.text or "").strip()
        if not attrs:
            return text
        if text:
            attrs["#text"] = text
        return attrs
    for child in children:
        _put(attrs, local_name(child.tag), _to_json(child))
    return attrs


def _put(target: dict[str, Any], name: str, value: Any) -> None:
    if name in target:
        current = target[name]
        if isinstance(current, list):
            current.append(value)
        else:
            target[name] = [current, value]
    else:
        target[name] = value


def _attrs(element: etree._Element, skip: tuple[str, ...] = ()) -> dict[str, str]:
    items = element.items()  # a plain list, cheaper than the .attrib proxy; most elements have none
    if not items:
        return {}
    return {"@" + key: value for key, value in items if key not in skip}


@dataclass
class ParsedSession:
    numero: str
    record: dict[str, Any]


@dataclass
class ParsedAction:
    numero: str
    record: dict[str, Any]
    sessions: list[ParsedSession]


@dataclass
class ParsedFormation:
    numero: str
    line: int
    record: dict[str, Any]
    siret: str
    actions: list[ParsedAction]
    fiches: list[str]
    hash: str = ""


class FormationReader:
    """Turns one <formation> element into records, resolving commune and ROME links against known codes."""

    def __init__(self, ctx: ImportContext, path: Path, communes: set[str], fiches: set[str]) -> None:
        self.ctx = ctx
        self.path = path
        self.communes = communes
        self.fiches = fiches

    # -- helpers
    def fail(self, element: etree._Element, field: str, message: str) -> ImportFailure:
        return ImportFailure(message, source=self.path, line=element.sourceline, field=field)

    def limited(self, element: etree._Element, name: str, value: str) -> str:
        limit = LIMITS.get(name)
        if limit is not None and len(value) > limit:
            raise self.fail(
                element, local_name(element.tag), f"value longer than {limit} characters: {value[:40]!r}…"
            )
        return value

    def integer(self, element: etree._Element) -> int | None:
        value = (element.text or "").strip()
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            raise self.fail(element, local_name(element.tag), f"not an integer: {value!r}") from None
        if not 0 <= number <= 2_147_483_647:
            raise self.fail(element, local_name(element.tag), f"out of range: {value!r}")
        return number

    def price(self, element: etree._Element, extras: dict[str, Any]) -> Decimal | None:
        """LHÉO prices are free strings (≤ 10 characters): '1200', '1 200,50', '1200 €' all occur."""
        raw = (element.text or "").strip()
        cleaned = raw.replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
        if not cleaned:
            return None
        try:
            value = Decimal(cleaned).quantize(Decimal("0.01"))
            if not value.is_finite() or abs(value) >= Decimal("1e10"):
                raise InvalidOperation
        except InvalidOperation:
            self.ctx.warn(
                f"not a price: {raw!r}, kept in extras",
                source=self.path,
                line=element.sourceline,
                field=local_name(element.tag),
            )
            extras[local_name(element.tag)] = raw
            return None
        return value

    @staticmethod
    def coordinate(value: str | None) -> float | None:
        if not value:
            return None
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return None
        return number if -180 <= number <= 180 else None

    def date(self, element: etree._Element, extras: dict[str, Any]) -> dt.date | None:
        """LHÉO dates are AAAAMMJJ; 00000000 (unknown) and 99999999 (permanent) are kept raw in extras."""
        raw = (element.text or "").strip()
        try:
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])) if len(raw) == 8 else None
        except ValueError:
            pass
        extras[local_name(element.tag)] = raw
        return None

    def commune(self, code: str, element: etree._Element, what: str) -> str | None:
        if not code:
            return None
        if code in self.communes:
            return code
        self.ctx.warn(
            f"{what}: unknown INSEE commune code {code!r} (not in the COG), link dropped",
            source=self.path,
            line=element.sourceline,
            field="code-INSEE-commune",
        )
        return None

    def address(self, element: etree._Element) -> dict[str, Any]:
        """<adresse>: a flat dict (lignes, code_postal, ville, code_insee_commune, latitude…), extras kept."""
        result: dict[str, Any] = _attrs(element)
        lines = []
        for child in element:
            tag = child.tag
            name = ADDRESS_TEXTS.get(tag)
            if name is not None:
                result[name] = (child.text or "").strip()
            elif tag == T_LIGNE:
                lines.append((child.text or "").strip())
            elif tag == T_GEOLOCALISATION:
                for part in child:
                    if part.tag == T_LATITUDE:
                        result["latitude"] = (part.text or "").strip()
                    elif part.tag == T_LONGITUDE:
                        result["longitude"] = (part.text or "").strip()
                    elif isinstance(part.tag, str):
                        _put(result, "geolocalisation-" + local_name(part.tag), _to_json(part))
            elif isinstance(tag, str):
                _put(result, local_name(tag), _to_json(child))
        if lines:
            result["lignes"] = lines
        return result

    def coordinates(self, element: etree._Element) -> tuple[dict[str, Any], dict[str, Any]]:
        """<coordonnees>: (adresse, the rest as JSON: lignes, nom, telfixe, courriel, web…)."""
        address: dict[str, Any] = {}
        rest: dict[str, Any] = _attrs(element)
        for child in element:
            if child.tag == T_ADRESSE:
                address = self.address(child)
            elif isinstance(child.tag, str):
                _put(rest, local_name(child.tag), _to_json(child))
        return address, rest

    # -- formation
    def read(self, element: etree._Element) -> ParsedFormation:
        numero = (element.get("numero") or element.get("id") or "").strip()
        if not numero:
            raise self.fail(
                element,
                "numero",
                "a <formation> needs a numero (or id) attribute: it is the key "
                "that keeps an offer's identity from one import to the next",
            )
        self.limited(element, "numero", numero)
        record: dict[str, Any] = {
            "intitule": "",
            "objectif": "",
            "resultats_attendus": "",
            "contenu": "",
            "certifiante": False,
            "formacode_principal": "",
            "codes_formacode": [],
            "codes_nsf": [],
            "codes_rome": [],
            "codes_rncp": [],
            "codes_certifinfo": [],
            "codes_rs": [],
            "parcours": "",
            "niveau_entree": "",
            "niveau_sortie": "",
            "objectif_general": "",
            "url": "",
        }
        extras: dict[str, Any] = _attrs(element, skip=("numero",))
        actions: list[ParsedAction] = []
        siret = ""
        for child in element:
            tag = child.tag
            if tag == T_DOMAINE_FORMATION:
                self._domain(child, record, extras)
            elif tag == T_INTITULE_FORMATION:
                record["intitule"] = self.limited(child, "intitule", (child.text or "").strip())
            elif tag in FORMATION_TEXTS:
                record[FORMATION_TEXTS[tag]] = (child.text or "").strip()
            elif tag == T_CERTIFIANTE:
                record["certifiante"] = (child.text or "").strip() == "1"
            elif tag in FORMATION_CODES:
                record[FORMATION_CODES[tag]] = (child.text or "").strip()[:2]
            elif tag == T_CERTIFICATION:
                self._certification(child, record, extras)
            elif tag == T_URL_FORMATION:
                urls = [(u.text or "").strip() for u in child if u.tag == T_URLWEB]
                record["url"] = self.limited(child, "url", urls[0] if urls else "")
                if len(urls) > 1:
                    extras["url-formation"] = urls
            elif tag == T_ACTION:
                actions.append(self._action(child, numero, len(actions) + 1))
            elif tag == T_ORGANISME_FORMATION_RESPONSABLE:
                siret = self.siret(child)
            elif isinstance(tag, str):
                _put(extras, local_name(tag), _to_json(child))
        if not siret:
            raise self.fail(
                element,
                "organisme-formation-responsable",
                f"formation {numero}: no SIRET of the organisme de formation responsable",
            )
        if not actions:
            raise self.fail(element, "action", f"formation {numero}: no <action>")
        seen: set[str] = set()
        for action in actions:
            if action.numero in seen:
                raise self.fail(
                    element, "action", f"formation {numero}: action numero {action.numero!r} appears twice"
                )
            seen.add(action.numero)
        fiches = []
        for code in dict.fromkeys(record["codes_rome"]):
            if code in self.fiches:
                fiches.append(code)
            else:
                self.ctx.warn(
                    f"formation {numero}: ROME code {code!r} is not a ROME 4.0 fiche, link dropped "
                    f"(code kept in codes_rome)",
                    source=self.path,
                    line=element.sourceline,
                    field="code-ROME",
                )
        record["organisme_id"] = siret
        record["extras"] = extras
        parsed = ParsedFormation(numero, element.sourceline or 0, record, siret, actions, fiches)
        return parsed

    def _domain(self, element: etree._Element, record: dict[str, Any], extras: dict[str, Any]) -> None:
        for child in element:
            tag = child.tag
            if tag == T_CODE_FORMACODE:
                code = (child.text or "").strip()
                record["codes_formacode"].append(code)
                if child.get("tag") == "principal" and not record["formacode_principal"]:
                    record["formacode_principal"] = self.limited(child, "formacode_principal", code)
            elif tag == T_CODE_NSF:
                record["codes_nsf"].append((child.text or "").strip())
            elif tag == T_CODE_ROME:
                record["codes_rome"].append((child.text or "").strip())
            elif isinstance(tag, str):
                _put(extras, "domaine-formation-" + local_name(tag), _to_json(child))

    def _certification(self, element: etree._Element, record: dict[str, Any], extras: dict[str, Any]) -> None:
        rest: dict[str, Any] = _attrs(element)
        for child in element:
            tag = child.tag
            if tag == T_CODE_RNCP:
                record["codes_rncp"].append((child.text or "").strip())
            elif tag == T_CODE_CERTIFINFO:
                record["codes_certifinfo"].append((child.text or "").strip())
            elif tag == T_CODE_RS:
                record["codes_rs"].append((child.text or "").strip())
            elif isinstance(tag, str):
                _put(rest, local_name(tag), _to_json(child))
        if rest:
            _put(extras, "certification", rest)

    # -- action
    def _action(self, element: etree._Element, formation: str, rank: int) -> ParsedAction:
        numero = self.limited(element, "numero", (element.get("numero") or "").strip() or f"#{rank}")
        extras: dict[str, Any] = _attrs(element, skip=("numero",))
        record: dict[str, Any] = {
            **ACTION_DEFAULTS,
            "codes_public_vise": [],
            "financeurs": [],
            "lieu_adresse": {},
        }
        sessions: list[ParsedSession] = []
        places: list[Any] = []
        for child in element:
            tag = child.tag
            name = ACTION_TEXTS.get(tag)
            if name is not None:
                value = (child.text or "").strip()
                record[name] = self.limited(child, name, value) if name in LIMITS else value
            elif tag == T_CODE_PUBLIC_VISE:
                record["codes_public_vise"].append((child.text or "").strip())
            elif tag == T_NIVEAU_ENTREE_OBLIGATOIRE:
                record["niveau_entree_obligatoire"] = (child.text or "").strip() == "1"
            elif tag == T_MODALITES_ENSEIGNEMENT:
                record["modalites_enseignement"] = (child.text or "").strip()[:1]
            elif tag == T_PRISE_EN_CHARGE_FRAIS_POSSIBLE:
                record["prise_en_charge_frais_possible"] = (child.text or "").strip() == "1"
            elif tag == T_MODALITES_ENTREES_SORTIES:
                record["entrees_sorties_permanentes"] = (child.text or "").strip() == "1"
            elif tag == T_CONVENTIONNEMENT:
                record["conventionnement"] = (child.text or "").strip() == "1"
            elif tag == T_LIEU_DE_FORMATION:
                if not places:
                    places.append(self._place(child, record, f"formation {formation}, action {numero}"))
                else:
                    places.append(_to_json(child))
            elif tag == T_URL_ACTION:
                urls = [(u.text or "").strip() for u in child if u.tag == T_URLWEB]
                record["url"] = self.limited(child, "url", urls[0] if urls else "")
                if len(urls) > 1:
                    extras["url-action"] = urls
            elif tag in ACTION_INTS:
                record[ACTION_INTS[tag]] = self.integer(child)
            elif tag in ACTION_PRICES:
                record[ACTION_PRICES[tag]] = self.price(child, extras)
            elif tag == T_ORGANISME_FINANCEUR:
                record["financeurs"].append(self._funder(child))
            elif tag == T_SESSION:
                sessions.append(self._session(child, len(sessions) + 1))
            elif isinstance(tag, str):
                _put(extras, local_name(tag), _to_json(child))
        if any(places):
            extras["lieu-de-formation"] = places
        seen: set[str] = set()
        for session in sessions:
            if session.numero in seen:
                raise self.fail(
                    element,
                    "session",
                    f"formation {formation}, action {numero}: session numero "
                    f"{session.numero!r} appears twice",
                )
            seen.add(session.numero)
        record["extras"] = extras
        return ParsedAction(numero, record, sessions)

    def _place(self, element: etree._Element, record: dict[str, Any], what: str) -> dict[str, Any]:
        """The first <lieu-de-formation> fills the lieu_* columns; returns what is left for extras."""
        rest: dict[str, Any] = _attrs(element)
        for child in element:
            if child.tag == T_COORDONNEES:
                address, others = self.coordinates(child)
                lines = others.pop("ligne", [])
                lines = [lines] if isinstance(lines, str) else lines
                name = (
                    address.get("denomination")
                    or " ".join(str(x) for x in lines)
                    or str(others.get("nom", ""))
                )
                record["lieu_nom"] = self.limited(child, "lieu_nom", name)
                record["lieu_adresse"] = address
                code = address.get("code_insee_commune", "")
                record["lieu_code_insee"] = self.limited(child, "lieu_code_insee", code)
                record["lieu_commune_id"] = self.commune(code, child, what)
                record["latitude"] = self.coordinate(address.get("latitude"))
                record["longitude"] = self.coordinate(address.get("longitude"))
                if others:
                    rest["coordonnees"] = others
            elif isinstance(child.tag, str):
                _put(rest, local_name(child.tag), _to_json(child))
        return rest

    def _funder(self, element: etree._Element) -> dict[str, Any]:
        funder: dict[str, Any] = {}
        for child in element:
            if child.tag == T_CODE_FINANCEUR:
                funder["code"] = (child.text or "").strip()
            elif child.tag == T_NB_PLACES_FINANCEES:
                funder["nb_places"] = self.integer(child)
            elif isinstance(child.tag, str):
                _put(funder, local_name(child.tag), _to_json(child))
        return funder

    # -- session
    def _session(self, element: etree._Element, rank: int) -> ParsedSession:
        numero = self.limited(element, "numero", (element.get("numero") or "").strip() or f"#{rank}")
        extras: dict[str, Any] = _attrs(element, skip=("numero",))
        record: dict[str, Any] = {
            "debut": None,
            "fin": None,
            "adresse_inscription": {},
            "modalites_inscription": "",
            "etat_recrutement": "",
            "url": "",
        }
        for child in element:
            tag = child.tag
            if tag == T_PERIODE:
                period: dict[str, Any] = {}
                for part in child:
                    if part.tag == T_DEBUT:
                        record["debut"] = self.date(part, period)
                    elif part.tag == T_FIN:
                        record["fin"] = self.date(part, period)
                    elif isinstance(part.tag, str):
                        _put(period, local_name(part.tag), _to_json(part))
                if period:
                    extras["periode"] = period
            elif tag == T_ADRESSE_INSCRIPTION:
                rest: dict[str, Any] = _attrs(child)
                for part in child:
                    if part.tag == T_ADRESSE:
                        record["adresse_inscription"] = self.address(part)
                    elif isinstance(part.tag, str):
                        _put(rest, local_name(part.tag), _to_json(part))
                if rest:
                    extras["adresse-inscription"] = rest
            elif tag == T_MODALITES_INSCRIPTION:
                record["modalites_inscription"] = (child.text or "").strip()
            elif tag == T_ETAT_RECRUTEMENT:
                record["etat_recrutement"] = (child.text or "").strip()[:1]
            elif tag == T_URL_SESSION:
                urls = [(u.text or "").strip() for u in child if u.tag == T_URLWEB]
                record["url"] = self.limited(child, "url", urls[0] if urls else "")
                if len(urls) > 1:
                    extras["url-session"] = urls
            elif isinstance(tag, str):
                _put(extras, local_name(tag), _to_json(child))
        record["extras"] = extras
        return ParsedSession(numero, record)

    # -- organisme
    def siret(self, element: etree._Element) -> str:
        """The SIRET of an <organisme-formation-responsable>, without reading the rest."""
        siret = (element.findtext(f"{T_SIRET_ORGANISME_FORMATION}/{T_SIRET}") or "").strip()
        return self.limited(element, "siret", siret.replace(" ", ""))

    def organisme(self, element: etree._Element) -> tuple[str, dict[str, Any]]:
        record: dict[str, Any] = {
            "numero_activite": "",
            "nom": "",
            "raison_sociale": "",
            "adresse": {},
            "commune_id": None,
            "telephone": "",
            "courriel": "",
            "site_web": "",
            "code_uai": "",
        }
        extras: dict[str, Any] = _attrs(element)
        siret = ""
        for child in element:
            tag = child.tag
            if tag == T_SIRET_ORGANISME_FORMATION:
                for part in child:
                    if part.tag == T_SIRET:
                        siret = self.limited(part, "siret", (part.text or "").strip().replace(" ", ""))
                    elif isinstance(part.tag, str):
                        _put(extras, "SIRET-" + local_name(part.tag), _to_json(part))
            elif tag == T_NUMERO_ACTIVITE:
                record["numero_activite"] = self.limited(child, "numero_activite", (child.text or "").strip())
            elif tag == T_NOM_ORGANISME:
                record["nom"] = self.limited(child, "nom", (child.text or "").strip())
            elif tag == T_RAISON_SOCIALE:
                record["raison_sociale"] = self.limited(child, "raison_sociale", (child.text or "").strip())
            elif tag == T_COORDONNEES_ORGANISME:
                for part in child:
                    if part.tag == T_COORDONNEES:
                        self._organisme_contact(part, record, extras)
                    elif isinstance(part.tag, str):
                        _put(extras, "coordonnees-organisme-" + local_name(part.tag), _to_json(part))
            elif tag == T_CODE_UAI_ORGANISME_FORMATION:
                for part in child:
                    if part.tag == T_CODE_UAI:
                        record["code_uai"] = self.limited(part, "code_uai", (part.text or "").strip())
            elif isinstance(tag, str):
                _put(extras, local_name(tag), _to_json(child))
        if siret:
            record["commune_id"] = self.commune(
                record["adresse"].get("code_insee_commune", ""), element, f"organisme {siret}"
            )
        record["extras"] = extras
        return siret, record

    def _organisme_contact(
        self, element: etree._Element, record: dict[str, Any], extras: dict[str, Any]
    ) -> None:
        address, others = self.coordinates(element)
        record["adresse"] = address

        def first(value: Any, key: str) -> str:
            value = value[0] if isinstance(value, list) else value
            value = value.get(key, "") if isinstance(value, dict) else value
            value = value[0] if isinstance(value, list) else value
            return value if isinstance(value, str) else ""

        if "telfixe" in others or "portable" in others:
            phone = others.pop("telfixe", None) or others.pop("portable")
            record["telephone"] = self.limited(element, "telephone", first(phone, "numtel"))
        if "courriel" in others:
            record["courriel"] = self.limited(element, "courriel", first(others.pop("courriel"), ""))
        if "web" in others:
            record["site_web"] = self.limited(element, "site_web", first(others.pop("web"), "urlweb"))
        if others:
            extras["coordonnees-organisme"] = others


class Fingerprint:
    """Digests that say whether an element must be read and written again.

    A digest covers the element's serialized XML, the mapping version and the set of known communes and ROME
    fiches (their links are resolved at import time): when geo or rome is re-imported, every offer is re-read
    so that its links follow; otherwise an unchanged offer is skipped without even being read.
    """

    def __init__(self, communes: set[str], fiches: set[str]) -> None:
        digest = hashlib.blake2b(f"lheo-mapping-{MAPPING_VERSION}".encode(), digest_size=20)
        for codes in (communes, fiches):
            digest.update("\n".join(sorted(codes)).encode())
            digest.update(b"\x00")
        self.prefix = digest.digest()

    def of_formation(self, element: etree._Element) -> tuple[str, str]:
        """(formation without its organisme, organisme): see `lheo.formation_digests`."""
        return lheo.formation_digests(self.prefix, element)


@dataclass
class Pending:
    """A <formation> read from the file but not written yet."""

    element: etree._Element
    numero: str
    line: int
    digest: str
    organisme: etree._Element | None
    organisme_digest: str


# --------------------------------------------------------------------------------------------------- writing


class PkSet:
    """Primary keys seen during this import, as a bitmap: 1 bit per id, flat memory for millions of offers."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, pk: int) -> None:
        index = pk >> 3
        if index >= len(self.bits):
            self.bits.extend(bytes(max(index + 1 - len(self.bits), len(self.bits))))
        self.bits[index] |= 1 << (pk & 7)

    def __contains__(self, pk: int) -> bool:
        index = pk >> 3
        return index < len(self.bits) and bool(self.bits[index] & (1 << (pk & 7)))


class Inserter:
    """Bulk INSERT of new rows, without building model instances (several times cheaper than bulk_create).

    Values are adapted per backend as Django would, but once per column rather than once per value: JSON is
    serialised once with `json.dumps` and passed as a string (PostgreSQL casts it to jsonb), dates become ISO
    strings on SQLite; strings, numbers, booleans, decimals and foreign keys go as they are. On SQLite the
    rows go through the raw sqlite3 cursor (multi-row INSERT … RETURNING with `?` placeholders: no query
    rewriting); on PostgreSQL through COPY, the primary keys of the rows that need them being drawn from the
    table's sequence in one query first. Both run inside the import's transaction.
    """

    max_params = 16_000  # well under SQLite's 32 766 bind parameters

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.connection = connections[router.db_for_write(Formation)]
        self.plans: dict[type[models.Model], _Plan] = {}
        for model in (OrganismeFormation, Formation, Action, Session, FormationRome):
            self._plan(model)

    @property
    def raw(self) -> Any:
        """The DB-API connection under Django's wrapper, in the import's transaction."""
        self.connection.ensure_connection()
        return self.connection.connection

    def _plan(self, model: type[models.Model]) -> _Plan:
        if model not in self.plans:
            fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
            # Plain columns first, then JSON, then dates: each group is converted with one C-level call.
            plain = [f for f in fields if not isinstance(f, (models.JSONField, models.DateField))]
            jsons = [f for f in fields if isinstance(f, models.JSONField)]
            dates = [f for f in fields if isinstance(f, models.DateField)]
            if any(f.encoder is not None for f in jsons) or any(  # pragma: no cover - none in these models
                isinstance(f, (models.DateTimeField, models.TimeField)) for f in fields
            ):
                raise NotImplementedError("JSONField with a custom encoder, DateTimeField or TimeField")
            ordered = plain + jsons + dates
            pk = model._meta.pk
            self.plans[model] = _Plan(
                table=model._meta.db_table,
                pk=pk.column if isinstance(pk, models.AutoField) else None,
                columns=[f.column for f in ordered],
                names=[f.attname for f in ordered],
                defaults={f.attname: f.get_default() for f in ordered},
                plain=len(plain),
                jsons=len(jsons),
                dates=len(dates),
            )
        return self.plans[model]

    def insert(
        self, model: type[models.Model], rows: list[dict[str, Any]], returning: bool = True
    ) -> list[Any]:
        if not rows:
            return []
        plan = self._plan(model)
        tuples = plan.tuples(rows, iso_dates=self.connection.vendor == "sqlite")
        if self.connection.vendor == "postgresql":
            return self._copy(plan, tuples, returning)
        return self._insert(plan, tuples, returning)

    def _insert(self, plan: _Plan, tuples: list[tuple], returning: bool) -> list[Any]:
        """Multi-row INSERTs whose sizes are powers of two: few distinct SQL texts, so the driver's statement
        cache (a prepared 10 000-parameter INSERT weighs megabytes in SQLite) stays small."""
        quote = self.connection.ops.quote_name
        width = len(plan.columns)
        prefix = f"INSERT INTO {quote(plan.table)} ({', '.join(quote(c) for c in plan.columns)}) VALUES "  # noqa: S608
        placeholder = "(" + ", ".join(["%s"] * width) + ")"
        sqlite = self.connection.vendor == "sqlite"
        if sqlite:
            placeholder = placeholder.replace("%s", "?")
        returning_sql = f" RETURNING {quote(plan.pk)}" if returning and plan.pk else ""
        largest = 1
        while largest * 2 * width <= self.max_params and largest * 2 <= 512:
            largest *= 2
        pks: list[Any] = []
        # The raw DB-API cursor: under DEBUG, Django would render and keep each multi-megabyte INSERT, and
        # its SQLite wrapper would rewrite every `%s` of it into `?`.
        cursor = self.raw.cursor()
        try:
            start, size, total = 0, largest, len(tuples)
            while start < total:
                while size > total - start:
                    size //= 2
                params = list(chain.from_iterable(tuples[start : start + size]))
                cursor.execute(prefix + ", ".join([placeholder] * size) + returning_sql, params)
                if returning_sql:
                    pks.extend(row[0] for row in cursor.fetchall())
                start += size
        finally:
            cursor.close()
        return pks

    def _copy(self, plan: _Plan, tuples: list[tuple], returning: bool) -> list[Any]:
        """PostgreSQL COPY FROM STDIN: one statement per table and batch instead of thousands of bind
        parameters; the ids of the rows whose pks are needed come from the table's own sequence."""
        quote = self.connection.ops.quote_name
        columns = list(plan.columns)
        pks: list[Any] = []
        with self.raw.cursor() as cursor:
            if returning and plan.pk:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [plan.table, plan.pk, len(tuples)],
                )
                pks = [row[0] for row in cursor.fetchall()]
                columns.append(plan.pk)
                tuples = [(*values, pk) for values, pk in zip(tuples, pks, strict=True)]
            sql = f"COPY {quote(plan.table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                write = copy.write_row
                for values in tuples:
                    write(values)
        return pks


def _json_encoder() -> Any:
    """`json.dumps` with its default options (what Django's JSONField stores), minus the two Python frames
    it spends per call before reaching the C encoder: ≈ 100 000 values per 50 MB of LHÉO."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has the C accelerator
        return json.dumps
    encode = make(
        None,
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    join = "".join
    return lambda value: join(encode(value, 0))


_json_dumps = _json_encoder()
#: most JSON values are empty (no extras, no codes): their JSON, or None for SQL NULL, without encoding
_EMPTY_JSON: dict[type, str | None] = {dict: "{}", list: "[]", str: '""', type(None): None}


@dataclass
class _Plan:
    """How one model's rows become tuples of database values, in `columns` order."""

    table: str
    pk: str | None
    columns: list[str]
    names: list[str]
    defaults: dict[str, Any]
    plain: int
    jsons: int
    dates: int

    def tuples(self, rows: list[dict[str, Any]], iso_dates: bool) -> list[tuple]:
        getter = itemgetter(*self.names)
        if any(name not in rows[0] for name in self.names):
            defaults = self.defaults
            rows = [{**defaults, **row} for row in rows]
        if len(self.names) == 1:
            return [(value,) for value in map(getter, rows)]
        plain, jsons, dates = self.plain, self.plain + self.jsons, self.plain + self.jsons + self.dates
        if jsons == plain and dates == plain:
            return list(map(getter, rows))
        dumps = _json_dumps
        out = []
        append = out.append
        for values in map(getter, rows):
            converted = values[:plain] + tuple(
                [
                    _EMPTY_JSON[value.__class__]
                    if not value and value.__class__ in _EMPTY_JSON
                    else dumps(value)
                    for value in values[plain:jsons]
                ]
            )
            if dates > jsons:
                if iso_dates:
                    converted += tuple([None if d is None else d.isoformat() for d in values[jsons:dates]])
                else:
                    converted += values[jsons:dates]
            append(converted)
        return out


@dataclass
class Writer:
    """Writes batches of offers: diff by digest, then read and bulk-sync the changed offers only."""

    ctx: ImportContext
    path: Path
    reader: FormationReader
    fingerprint: Fingerprint
    seen: PkSet = field(default_factory=PkSet)
    #: SIRET → digest of its first description in the file (bounded by the number of organismes, not offers)
    organismes: dict[str, str] = field(default_factory=dict)
    organisme_conflicts: int = 0
    formations_read: int = 0
    inserter: Inserter = field(init=False)

    def __post_init__(self) -> None:
        self.inserter = Inserter(self.ctx)

    def pending(self, element: etree._Element, digests: tuple[str, str] | None = None) -> Pending:
        """`digests` come from the validator process when it runs (it serialises each element anyway)."""
        numero = (element.get("numero") or element.get("id") or "").strip()
        if not numero:
            raise self.reader.fail(
                element,
                "numero",
                "a <formation> needs a numero (or id) attribute: it is the key that keeps an offer's "
                "identity from one import to the next",
            )
        self.reader.limited(element, "numero", numero)
        organisme = element.find(T_ORGANISME_FORMATION_RESPONSABLE)
        own, organisme_digest = digests or self.fingerprint.of_formation(element)
        return Pending(element, numero, element.sourceline or 0, own, organisme, organisme_digest)

    def flush(self, batch: list[Pending]) -> None:
        if not batch:
            return
        ctx = self.ctx
        self.formations_read += len(batch)
        keys: set[str] = set()
        for item in batch:
            if item.numero in keys:
                raise self._duplicate(item)
            keys.add(item.numero)
        self._organismes(batch)
        existing = {
            numero: (pk, digest, active)
            for numero, pk, digest, active in Formation.objects.filter(numero__in=list(keys)).values_list(
                "numero", "pk", "content_hash", "is_active"
            )
        }
        changed: list[ParsedFormation] = []
        created: list[ParsedFormation] = []
        unchanged = {Formation: 0, Action: 0, Session: 0, FormationRome: 0}
        for item in batch:
            current = existing.get(item.numero)
            if current is not None:
                pk, digest, active = current
                if pk in self.seen:
                    raise self._duplicate(item)
                self.seen.add(pk)
                if digest == item.digest and active:
                    actions = item.element.findall(T_ACTION)
                    unchanged[Formation] += 1
                    unchanged[Action] += len(actions)
                    unchanged[Session] += sum(len(a.findall(T_SESSION)) for a in actions)
                    unchanged[FormationRome] += len(
                        {code.text for code in item.element.iterfind(f"{T_DOMAINE_FORMATION}/{T_CODE_ROME}")}
                        & self.reader.fiches
                    )
                    continue
            parsed = self.reader.read(item.element)
            parsed.record["content_hash"] = item.digest
            (changed if current is not None else created).append(parsed)
        for model, count in unchanged.items():
            if count:
                ctx._model_counts(model).unchanged += count
        if created:
            self._create(created)
        if changed:
            self._write(changed)

    def _duplicate(self, item: Pending) -> ImportFailure:
        return ImportFailure(
            f"formation numero {item.numero!r} appears more than once in the file",
            source=self.path,
            line=item.line,
            field="numero",
        )

    def _organismes(self, batch: list[Pending]) -> None:
        """The first description of a SIRET in the file wins, so that a re-import is stable (0 changes)."""
        first: dict[str, tuple[etree._Element, str]] = {}
        for item in batch:
            if item.organisme is None:
                raise self.reader.fail(
                    item.element,
                    "organisme-formation-responsable",
                    f"formation {item.numero}: no <organisme-formation-responsable>",
                )
            siret = self.reader.siret(item.organisme)
            if not siret:
                raise self.reader.fail(
                    item.organisme,
                    "SIRET",
                    f"formation {item.numero}: no SIRET of the organisme de formation responsable",
                )
            digest = item.organisme_digest
            known = self.organismes.get(siret)
            if known is None:
                self.organismes[siret] = digest
                first[siret] = (item.organisme, digest)
            elif known != digest:
                self.organisme_conflicts += 1
                if self.organisme_conflicts <= 20:
                    self.ctx.warn(
                        f"organisme {siret} is described differently by formation {item.numero}; the first "
                        f"description in the file is kept",
                        source=self.path,
                        line=item.organisme.sourceline,
                        field="organisme-formation-responsable",
                    )
        if not first:
            return
        stored = {
            siret: (digest, active)
            for siret, digest, active in OrganismeFormation.objects.filter(siret__in=list(first)).values_list(
                "siret", "content_hash", "is_active"
            )
        }
        new, changed = [], {}
        for siret, (element, digest) in first.items():
            if stored.get(siret) == (digest, True):
                self.ctx._model_counts(OrganismeFormation).unchanged += 1
                continue
            _, record = self.reader.organisme(element)
            record["content_hash"] = digest
            if siret in stored:
                changed[siret] = record
            else:
                new.append({"siret": siret, "is_active": True, **record})
        self.inserter.insert(OrganismeFormation, new, returning=False)
        self.ctx._model_counts(OrganismeFormation).created += len(new)
        if changed:
            self.ctx.sync(
                OrganismeFormation,
                changed,
                key="siret",
                fields=[name for name in ORGANISME_FIELDS if name != "content_hash"],
                scope=Q(siret__in=list(changed)),
                on_missing="keep",
            )
            # The digest is bookkeeping, not content: stored apart, so that it is never counted as a change.
            OrganismeFormation.objects.bulk_update(
                [
                    OrganismeFormation(siret=siret, content_hash=r["content_hash"])
                    for siret, r in changed.items()
                ],
                ["content_hash"],
                batch_size=500,
            )

    def _create(self, created: list[ParsedFormation]) -> None:
        """New offers (the whole first import): multi-row INSERTs or COPY, nothing to diff against."""
        counts = self.ctx._model_counts
        counts(Formation).created += len(created)
        counts(Action).created += sum(len(p.actions) for p in created)
        counts(Session).created += sum(len(a.sessions) for p in created for a in p.actions)
        counts(FormationRome).created += sum(len(p.fiches) for p in created)
        pks = dict(
            zip(
                [p.numero for p in created],
                self.inserter.insert(
                    Formation, [{"numero": p.numero, "is_active": True, **p.record} for p in created]
                ),
                strict=True,
            )
        )
        for pk in pks.values():
            self.seen.add(pk)
        actions = [(p, a) for p in created for a in p.actions]
        action_pks = self.inserter.insert(
            Action, [{"formation_id": pks[p.numero], "numero": a.numero, **a.record} for p, a in actions]
        )
        self.inserter.insert(
            Session,
            [
                {"action_id": action_pk, "numero": s.numero, **s.record}
                for action_pk, (_, a) in zip(action_pks, actions, strict=True)
                for s in a.sessions
            ],
            returning=False,
        )
        self.inserter.insert(
            FormationRome,
            [{"formation_id": pks[p.numero], FICHE_ATTNAME: code} for p in created for code in p.fiches],
            returning=False,
        )

    def _write(self, changed: list[ParsedFormation]) -> None:
        ctx = self.ctx
        keys = [parsed.numero for parsed in changed]
        ctx.sync(
            Formation,
            {p.numero: p.record for p in changed},
            key="numero",
            fields=[name for name in FORMATION_FIELDS if name != "content_hash"],
            scope=Q(numero__in=keys),
            on_missing="keep",
        )
        pks = dict(Formation.objects.filter(numero__in=keys).values_list("numero", "pk"))
        Formation.objects.bulk_update(
            [Formation(pk=pks[p.numero], content_hash=p.record["content_hash"]) for p in changed],
            ["content_hash"],
            batch_size=500,
        )
        for pk in pks.values():
            self.seen.add(pk)
        formation_pks = list(pks.values())
        actions = {(pks[p.numero], a.numero): a.record for p in changed for a in p.actions}
        ctx.sync(
            Action,
            actions,
            key=("formation_id", "numero"),
            fields=ACTION_FIELDS,
            scope=Q(formation_id__in=formation_pks),
            on_missing="delete",
        )
        action_pks = {
            (formation, numero): pk
            for pk, formation, numero in Action.objects.filter(formation_id__in=formation_pks).values_list(
                "pk", "formation_id", "numero"
            )
        }
        sessions = {
            (action_pks[(pks[p.numero], a.numero)], s.numero): s.record
            for p in changed
            for a in p.actions
            for s in a.sessions
        }
        ctx.sync(
            Session,
            sessions,
            key=("action_id", "numero"),
            fields=SESSION_FIELDS,
            scope=Q(action__formation_id__in=formation_pks),
            on_missing="delete",
        )
        links = {(pks[p.numero], code): {} for p in changed for code in p.fiches}
        fiche = FICHE_ATTNAME
        ctx.sync(
            FormationRome,
            links,
            key=("formation_id", fiche),
            fields=[],
            scope=Q(formation_id__in=formation_pks),
            on_missing="delete",
        )

    def finish(self) -> None:
        """Retire the offers and organismes that are no longer in the file (their rows stay, inactive)."""
        stale = [
            pk
            for pk in Formation.objects.filter(is_active=True)
            .values_list("pk", flat=True)
            .iterator(chunk_size=10_000)
            if pk not in self.seen
        ]
        for start in range(0, len(stale), 900):
            Formation.objects.filter(pk__in=stale[start : start + 900]).update(is_active=False)
        self.ctx._model_counts(Formation).retired += len(stale)
        stale_orgs = [
            siret
            for siret in OrganismeFormation.objects.filter(is_active=True)
            .values_list("siret", flat=True)
            .iterator(chunk_size=10_000)
            if siret not in self.organismes
        ]
        for start in range(0, len(stale_orgs), 900):
            OrganismeFormation.objects.filter(pk__in=stale_orgs[start : start + 900]).update(is_active=False)
        self.ctx._model_counts(OrganismeFormation).retired += len(stale_orgs)
        if self.organisme_conflicts > 20:
            self.ctx.warn(
                f"{self.organisme_conflicts} formations describe their organisme differently from its first "
                f"description (only the first 20 are listed)",
                source=self.path,
            )


# ------------------------------------------------------------------------------------------------ validation


class ParallelValidator:
    """The XSD validation in a second process (it costs as much as the import), checked at each batch.

    Given the digest prefix, the process also serialises and hashes each <formation> and its organisme (work
    taken off the importer's core) and streams "D <digest> <organisme digest>" lines, one per formation in
    file order, before its final JSON answer.
    """

    def __init__(self, schema_path: Path, path: Path, prefix: bytes | None = None) -> None:
        self.path = path
        self.process = subprocess.Popen(
            [sys.executable, "-m", lheo.__name__, str(schema_path), str(path)]
            + ([prefix.hex()] if prefix is not None else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._digests: deque[str] = deque()
        self._tail = b""
        self._answer: dict[str, Any] | None = None

    def check(self) -> None:
        """Fail early if the validator has already found a problem."""
        if self.process.poll() is not None:
            self.result()

    def digests(self) -> tuple[str, str]:
        """The digests of the next <formation>; raises the validator's failure if it stopped before it."""
        if not self._digests and self._answer is None:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            if line.startswith(b"D "):
                self._digests.append(line.decode())
            else:
                self._tail = line
                self.result()
        if not self._digests:
            self.result()
            raise ImportFailure(
                "the schema validator read fewer formations than the importer", source=self.path
            )
        _, own, organisme = self._digests.popleft().split()
        return own, "" if organisme == "-" else organisme

    def _finish(self) -> dict[str, Any]:
        if self._answer is None:
            # Through the same buffered pipe objects as readline() (communicate() would skip what they hold).
            stdout = self.process.stdout.read()  # type: ignore[union-attr]
            stderr = self.process.stderr.read()  # type: ignore[union-attr]
            self.process.wait()
            lines = (self._tail + stdout).decode().splitlines()
            self._digests.extend(line for line in lines if line.startswith("D "))
            answers = [line for line in lines if line.strip() and not line.startswith("D ")]
            try:
                self._answer = json.loads(answers[-1])
            except (ValueError, IndexError):
                raise ImportFailure(
                    f"the schema validator failed: {stderr.decode().strip()[-500:]}", source=self.path
                ) from None
        return self._answer

    def result(self) -> None:
        answer = self._finish()
        if not answer.get("valid"):
            if answer.get("failure"):
                raise ImportFailure(
                    answer["message"], source=self.path, line=answer.get("line"), field=answer.get("element")
                )
            problem = SchemaProblem(answer.get("line"), answer.get("element"), answer["message"])
            raise problem.failure(self.path)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


# --------------------------------------------------------------------------------------------------- dataset


class LheoDataset(Dataset):
    name = "lheo"
    title = "Offres de formation continue (LHÉO 2.3) : organismes, formations, actions, sessions"
    folder = "offers"
    files = {"offres": "exemple-bts-onisep.lheo-2.3.xml", "schema": "lheo-2.3.xsd"}
    main_file = "offres"
    depends_on = ("geo", "rome")
    publisher = "Réseau des Carif-Oref (langage LHÉO) ; offre d'exemple : Onisep"
    licence = "Standard d'échange public LHÉO (Réseau des Carif-Oref)"
    version = "LHÉO 2.3"
    attribution = "LHÉO 2.3, Réseau des Carif-Oref ; exemple « BTS négociation et relation client » : Onisep"

    #: formations per write batch (≈ 4 MB of XML, ≈ 30 MB as lxml trees): bounds memory and IN (...) sizes
    batch_size = 250
    #: from this size on, the XSD validation runs in a second process, in parallel with the import
    parallel_validation_min_bytes = 8 * 1024 * 1024

    def load(self, ctx: ImportContext) -> None:
        path, schema_path = ctx.path("offres"), ctx.path("schema")
        xsd = load_schema(schema_path)
        size = path.stat().st_size
        stream = open_lheo(path)  # fails fast on a file that is not LHÉO 2.2/2.3
        parallel = size >= self.parallel_validation_min_bytes
        communes = set(Commune.objects.values_list("code_insee", flat=True))
        fiches = self._fiches()
        fingerprint = Fingerprint(communes, fiches)
        validator = ParallelValidator(schema_path, path, fingerprint.prefix) if parallel else None
        ctx.log(
            f"lheo: {path.name}, LHÉO {stream.version}, {size / 1e6:.1f} MB, "
            f"validation {'in a parallel process' if parallel else 'in process'}"
        )
        if stream.version == "2.2":
            ctx.warn(
                "LHÉO 2.2 namespace: read as LHÉO 2.3 (same structure) and validated against the 2.3 schema",
                source=path,
                line=1,
                field="lheo",
            )
        reader = FormationReader(ctx, path, communes, fiches)
        writer = Writer(ctx, path, reader, fingerprint)
        restore_cache = self._grow_sqlite_cache()
        try:
            self._read(ctx, stream, None if parallel else xsd, writer, validator, size)
            if validator is not None:
                validator.result()
        except ImportFailure:
            raise
        except Exception:
            # A database error on a value the validator would reject: report the schema problem instead.
            if validator is not None:
                validator.result()
            raise
        finally:
            stream.close()
            if validator is not None:
                validator.stop()
            restore_cache()
        writer.finish()

    @staticmethod
    def _grow_sqlite_cache() -> Any:
        """SQLite's default 2 MB page cache makes each unique-index insert re-read pages during one long
        transaction; 64 MB (bounded, whatever the file size) makes the first import about 30 % faster."""
        connection = connections[router.db_for_write(Formation)]
        if connection.vendor != "sqlite":
            return lambda: None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -65536")

        def restore() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")

        return restore

    def _read(
        self,
        ctx: ImportContext,
        stream: LheoStream,
        xsd: etree.XMLSchema | None,
        writer: Writer,
        validator: ParallelValidator | None,
        size: int,
    ) -> None:
        batch: list[Pending] = []
        for element in iter_formations(stream, xsd):
            if xsd is not None:
                problem = validate(xsd, element)
                if problem:
                    raise problem.failure(stream.path)
            batch.append(writer.pending(element, validator.digests() if validator is not None else None))
            if len(batch) >= self.batch_size:
                if validator is not None:
                    validator.check()
                writer.flush(batch)
                batch = []
                reset_queries()  # under DEBUG, Django keeps up to 9 000 queries: keep memory flat
                self._progress(ctx, stream, size)
        writer.flush(batch)
        self._progress(ctx, stream, size)
        ctx.log(f"lheo: {writer.formations_read} formations read")

    @staticmethod
    def _progress(ctx: ImportContext, stream: LheoStream, size: int) -> None:
        if ctx._progress:
            ctx._progress(stream.path.name, min(stream.tell(), size), size)

    @staticmethod
    def _fiches() -> set[str]:
        """Known ROME 4.0 fiches; none when the rome app has no FicheMetier (every link is then a warning)."""
        try:
            model = apps.get_model("rome", "FicheMetier")
        except LookupError:  # pragma: no cover - the rome app always defines it once written
            return set()
        return {str(code) for code in model._default_manager.values_list("pk", flat=True)}


DATASETS = [LheoDataset]
