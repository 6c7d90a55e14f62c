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
import os
from collections.abc import Iterator
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

from . import chunks, lheo
from .chunks import Chunk
from .lheo import NS, LheoStream, SchemaProblem, load_schema, local_name, open_lheo, validate, validate_file
from .models import Action, Formation, FormationRome, OrganismeFormation, Session

FICHE_ATTNAME = FormationRome._meta.get_field("fiche").attname

#: Bump when the mapping changes, so that the next import rewrites every offer instead of skipping it.
MAPPING_VERSION = 2

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

#: what `FormationReader.address` reads in its flat pass: a text (str), a line, or nothing (geolocalisation)
_LIGNE, _SKIP = object(), object()
ADDRESS_FLAT: dict[str, Any] = {
    **ADDRESS_TEXTS,
    T_LATITUDE: "latitude",
    T_LONGITUDE: "longitude",
    T_LIGNE: _LIGNE,
    T_GEOLOCALISATION: _SKIP,
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
    items = element.items()  # a plain list, cheaper than the .attrib proxy; most elements have none
    attrs = {"@" + key: value for key, value in items} if items else {}
    children = [child for child in element if isinstance(child.tag, str)] if len(element) else None
    if not children:
        text = element.text
        text = text.strip() if text else ""
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
        #: added to lxml's line numbers when the element was parsed from a chunk of the file (chunks.py)
        self.line_offset = 0

    # -- helpers
    def line(self, element: etree._Element) -> int | None:
        line = element.sourceline
        return None if line is None else line + self.line_offset

    def fail(self, element: etree._Element, field: str, message: str) -> ImportFailure:
        return ImportFailure(message, source=self.path, line=self.line(element), field=field)

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
                line=self.line(element),
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
            line=self.line(element),
            field="code-INSEE-commune",
        )
        return None

    def address(self, element: etree._Element) -> dict[str, Any]:
        """<adresse>: a flat dict (lignes, code_postal, ville, code_insee_commune, latitude…), extras kept.

        The most frequent element (≈ 40 % of the elements of a file): read in one flat pass over its
        descendants when they are all known tags (the XSD, checked before reading, puts latitude and
        longitude in geolocalisation only), ≈ 17 % cheaper; else (extras…) by `_address_tree`. Same dict,
        same key order (tested)."""
        items = element.items()
        result: dict[str, Any] = {"@" + key: value for key, value in items} if items else {}
        lines = []
        kinds = ADDRESS_FLAT.get
        descendants = element.iter()  # iter() then skipping the element: cheaper than iterdescendants()
        next(descendants)
        for child in descendants:
            kind = kinds(child.tag)
            if kind.__class__ is str:
                text = child.text
                result[kind] = text.strip() if text else ""
            elif kind is _LIGNE:
                text = child.text
                lines.append(text.strip() if text else "")
            elif kind is None:
                return self._address_tree(element)
        if lines:
            result["lignes"] = lines
        return result

    def _address_tree(self, element: etree._Element) -> dict[str, Any]:
        items = element.items()
        result: dict[str, Any] = {"@" + key: value for key, value in items} if items else {}
        lines = []
        names = ADDRESS_TEXTS.get
        for child in element:
            tag = child.tag
            name = names(tag)
            if name is not None:
                text = child.text
                result[name] = text.strip() if text else ""
            elif tag == T_LIGNE:
                text = child.text
                lines.append(text.strip() if text else "")
            elif tag == T_GEOLOCALISATION:
                for part in child:
                    tag = part.tag
                    if tag == T_LATITUDE:
                        result["latitude"] = (part.text or "").strip()
                    elif tag == T_LONGITUDE:
                        result["longitude"] = (part.text or "").strip()
                    elif isinstance(tag, str):
                        _put(result, "geolocalisation-" + local_name(tag), _to_json(part))
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
                    line=self.line(element),
                    field="code-ROME",
                )
        record["organisme_id"] = siret
        record["extras"] = extras
        parsed = ParsedFormation(numero, self.line(element) or 0, record, siret, actions, fiches)
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

    A digest covers the element's bytes in the file (`chunks.raw_digests`), the mapping version and the set
    of known communes and ROME fiches (their links are resolved at import time): when geo or rome is
    re-imported, every offer is re-read so that its links follow; otherwise an unchanged offer is not written.
    """

    def __init__(self, communes: set[str], fiches: set[str]) -> None:
        digest = hashlib.blake2b(f"lheo-mapping-{MAPPING_VERSION}".encode(), digest_size=20)
        for codes in (communes, fiches):
            digest.update("\n".join(sorted(codes)).encode())
            digest.update(b"\x00")
        self.prefix = digest.digest()


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
            self.plans[model] = make_plan(model)
        return self.plans[model]

    def insert_tuples(
        self, model: type[models.Model], tuples: list[tuple], returning: bool = True
    ) -> list[Any]:
        """Rows already converted by a `_Layout` (in a worker process, say), in the plan's column order."""
        if not tuples:
            return []
        plan = self._plan(model)
        if self.connection.vendor == "postgresql":
            return self._copy(plan, tuples, returning)
        return self._insert(plan, tuples, returning)

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


def make_plan(model: type[models.Model]) -> _Plan:
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
    return _Plan(
        table=model._meta.db_table,
        pk=pk.column if isinstance(pk, models.AutoField) else None,
        columns=[f.column for f in ordered],
        names=[f.attname for f in ordered],
        defaults={f.attname: f.get_default() for f in ordered},
        plain=len(plain),
        jsons=len(jsons),
        dates=len(dates),
        decimals=[i for i, f in enumerate(ordered) if isinstance(f, models.DecimalField)],
    )


@dataclass
class _Layout:
    """Rows as plain values that `marshal` carries and both backends accept: JSON text, ISO dates, decimals
    as strings (what Django's SQLite adapter stores; PostgreSQL's COPY parses them)."""

    plan: _Plan

    def tuples(self, rows: list[dict[str, Any]]) -> list[tuple]:
        if not rows:
            return []
        out = self.plan.tuples(rows, iso_dates=True)
        decimals = self.plan.decimals
        if decimals:
            converted = []
            for values in out:
                if any(values[i] is not None for i in decimals):
                    values = list(values)
                    for i in decimals:
                        if values[i] is not None:
                            values[i] = str(values[i])
                    values = tuple(values)
                converted.append(values)
            out = converted
        return out


def row_layouts() -> dict[str, _Layout]:
    return {
        "formation": _Layout(make_plan(Formation)),
        "action": _Layout(make_plan(Action)),
        "session": _Layout(make_plan(Session)),
    }


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
    decimals: list[int] = field(default_factory=list)

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
    seen: PkSet = field(default_factory=PkSet)
    #: SIRET → digest of its first description in the file (bounded by the number of organismes, not offers)
    organismes: dict[str, str] = field(default_factory=dict)
    organisme_conflicts: int = 0
    formations_read: int = 0
    inserter: Inserter = field(init=False)
    rereader: FormationReader | None = None
    layouts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.inserter = Inserter(self.ctx)
        self.layouts = row_layouts()

    def flush(self, chunk: Chunk, header: bytes, entries: list[tuple]) -> None:
        """Write the formations of one processed chunk (see `ChunkProcessor.process` for an entry's layout)."""
        if not entries:
            return
        ctx = self.ctx
        self.formations_read += len(entries)
        keys: set[str] = set()
        for entry in entries:
            if entry[0] in keys:
                raise self._duplicate(entry)
            keys.add(entry[0])
        self._organismes(entries)
        existing = {
            numero: (pk, digest, active)
            for numero, pk, digest, active in Formation.objects.filter(numero__in=list(keys)).values_list(
                "numero", "pk", "content_hash", "is_active"
            )
        }
        changed: list[tuple[tuple, ParsedFormation]] = []
        created: list[tuple] = []
        unchanged = {Formation: 0, Action: 0, Session: 0, FormationRome: 0}
        for entry in entries:
            current = existing.get(entry[0])
            if current is not None:
                pk, digest, active = current
                if pk in self.seen:
                    raise self._duplicate(entry)
                self.seen.add(pk)
                if digest == entry[2] and active:
                    unchanged[Formation] += 1
                    unchanged[Action] += entry[12][0]
                    unchanged[Session] += entry[12][1]
                    unchanged[FormationRome] += len(entry[9])
                    continue
            self._replay(entry[6])
            if current is None and entry[7] is not None:
                created.append(entry)
                continue
            # Changed, or (rare) not read by the chunk processor because its digest was known: read it here.
            parsed, warnings = self._reread(header, chunk.data[entry[10] : entry[11]], entry[2])
            if entry[7] is None:
                self._replay(warnings)
            if current is None:
                (row, actions), *_ = chunks.rows(self.layouts, [parsed])
                created.append((*entry[:7], row, actions, *entry[9:]))
            else:
                changed.append((entry, parsed))
        for model, count in unchanged.items():
            if count:
                ctx._model_counts(model).unchanged += count
        if created:
            self._create(created)
        if changed:
            self._write([parsed for _, parsed in changed])

    def _replay(self, warnings: list) -> None:
        for message, line, field_name in warnings:
            self.ctx.warn(message, source=self.path, line=line, field=field_name)

    def _reread(self, header: bytes, data: bytes, digest: str) -> tuple[ParsedFormation, list]:
        """A changed offer is synced field by field: its records, read again here (rare: updates only).
        Its line numbers are relative to the formation: its warnings come from the chunk processor."""
        if self.rereader is None:
            self.rereader = FormationReader(
                chunks._Warnings(),  # type: ignore[arg-type]
                self.path,
                self.reader.communes,
                self.reader.fiches,
            )
        root = etree.fromstring(header + data + chunks.FOOTER, _REREAD_PARSER)
        parsed = self.rereader.read(root[0][0])
        parsed.record["content_hash"] = digest
        return parsed, self.rereader.ctx.take()  # type: ignore[attr-defined]

    def _duplicate(self, entry: tuple) -> ImportFailure:
        return ImportFailure(
            f"formation numero {entry[0]!r} appears more than once in the file",
            source=self.path,
            line=entry[1],
            field="numero",
        )

    def _organismes(self, entries: list[tuple]) -> None:
        """The first description of a SIRET in the file wins, so that a re-import is stable (0 changes)."""
        first: dict[str, tuple[dict[str, Any], list, str]] = {}
        for entry in entries:
            numero, siret, digest, organisme = entry[0], entry[4], entry[3], entry[5]
            known = self.organismes.get(siret)
            if known is None:
                if organisme is None:  # pragma: no cover - the first one in the file is always sent
                    raise ImportFailure(f"organisme {siret}: its description was not read", source=self.path)
                self.organismes[siret] = digest
                first[siret] = (organisme[0], organisme[1], digest)
            elif known != digest:
                self.organisme_conflicts += 1
                if self.organisme_conflicts <= 20:
                    self.ctx.warn(
                        f"organisme {siret} is described differently by formation {numero}; the first "
                        f"description in the file is kept",
                        source=self.path,
                        line=organisme[2] if organisme is not None else entry[1],
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
        for siret, (record, warnings, digest) in first.items():
            if stored.get(siret) == (digest, True):
                self.ctx._model_counts(OrganismeFormation).unchanged += 1
                continue
            self._replay(warnings)
            record = {**record, "content_hash": digest}
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

    def _create(self, created: list[tuple]) -> None:
        """New offers (the whole first import): rows built by the chunk processor, multi-row INSERTs or COPY."""
        counts = self.ctx._model_counts
        counts(Formation).created += len(created)
        counts(Action).created += sum(len(e[8]) for e in created)
        counts(Session).created += sum(len(sessions) for e in created for _, sessions in e[8])
        counts(FormationRome).created += sum(len(e[9]) for e in created)
        insert = self.inserter.insert_tuples
        pks = insert(Formation, [e[7] for e in created])
        add = self.seen.add
        for pk in pks:
            add(pk)
        at = self.inserter._plan(Action).names.index("formation_id")
        action_rows, session_lists = [], []
        for pk, entry in zip(pks, created, strict=True):
            for row, sessions in entry[8]:
                action_rows.append((*row[:at], pk, *row[at + 1 :]))
                session_lists.append(sessions)
        action_pks = insert(Action, action_rows)
        st = self.inserter._plan(Session).names.index("action_id")
        insert(
            Session,
            [
                (*row[:st], action_pk, *row[st + 1 :])
                for action_pk, sessions in zip(action_pks, session_lists, strict=True)
                for row in sessions
            ],
            returning=False,
        )
        self.inserter.insert(
            FormationRome,
            [
                {"formation_id": pk, FICHE_ATTNAME: code}
                for pk, e in zip(pks, created, strict=True)
                for code in e[9]
            ],
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


def _nothing() -> None:
    pass


_REREAD_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
)


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

    #: formations per chunk and write batch (≈ 0.75 MB of XML, ≈ 10 MB as lxml trees): bounds each worker's
    #: memory, so that the importer and its two workers stay under 300 MB together (docs/performance.md)
    batch_size = 50
    #: from this size on, the chunks are parsed, validated and read by worker processes (one per core)
    parallel_validation_min_bytes = 8 * 1024 * 1024

    def load(self, ctx: ImportContext) -> None:
        path, schema_path = ctx.path("offres"), ctx.path("schema")
        load_schema(schema_path)  # a broken XSD fails here, before anything else
        size = path.stat().st_size
        stream = open_lheo(path)  # fails fast on a file that is not LHÉO 2.2/2.3
        workers = self._workers(size)
        # Started first: their start-up (Django, the XSD) overlaps the loading of the code sets below.
        pool = chunks.WorkerPool(workers, path) if workers else None
        restore_cache = _nothing
        results = None
        try:
            communes = set(Commune.objects.values_list("code_insee", flat=True))
            fiches = self._fiches()
            config = {
                "schema": str(schema_path),
                "path": str(path),
                "prefix": Fingerprint(communes, fiches).prefix,
                "communes": sorted(communes),
                "fiches": sorted(fiches),
                "known": self._known_digests(),
            }
            ctx.log(
                f"lheo: {path.name}, LHÉO {stream.version}, {size / 1e6:.1f} MB, "
                + (f"read by {workers} worker processes" if workers else "read in process")
            )
            if stream.version == "2.2":
                ctx.warn(
                    "LHÉO 2.2 namespace: read as LHÉO 2.3 (same structure) and validated against the 2.3 "
                    "schema",
                    source=path,
                    line=1,
                    field="lheo",
                )
            reader = FormationReader(ctx, path, communes, fiches)
            writer = Writer(ctx, path, reader)
            splitter = chunks.Splitter(stream.stream, self.batch_size)
            restore_cache = self._grow_sqlite_cache()
            results = pool.run(splitter, config) if pool is not None else self._in_process(splitter, config)
            for chunk, result in results:
                if result[0] != "ok":
                    raise self._failure(schema_path, path, result)
                writer.flush(chunk, splitter.header, result[1])
                reset_queries()  # under DEBUG, Django keeps up to 9 000 queries: keep memory flat
                self._progress(ctx, stream, size)
            self._check_trailer(schema_path, path, splitter)
        finally:
            if pool is not None:
                pool.stop()
            if results is not None:
                results.close()
            stream.close()
            restore_cache()
        ctx.log(f"lheo: {writer.formations_read} formations read")
        writer.finish()

    @staticmethod
    def _known_digests() -> bytes:
        """The digests of the active stored offers, sorted, 20 bytes each (flat: 20 MB per million offers)."""
        out = bytearray()
        digests = (
            Formation.objects.filter(is_active=True)
            .order_by("content_hash")
            .values_list("content_hash", flat=True)
            .iterator(chunk_size=10_000)
        )
        for digest in digests:
            if len(digest) == 40:
                try:
                    out += bytes.fromhex(digest)
                except ValueError:  # pragma: no cover - not one of ours
                    continue
        return bytes(out)

    def _workers(self, size: int) -> int:
        """Worker processes for a file of this size: none under the threshold, else one per core (≤ 4)."""
        if size < self.parallel_validation_min_bytes:
            return 0
        return max(1, min(4, os.cpu_count() or 1))

    @staticmethod
    def _in_process(
        splitter: chunks.Splitter, config: dict[str, Any]
    ) -> Iterator[tuple[chunks.Chunk, tuple]]:
        processor = None
        for chunk in splitter:
            if processor is None:
                processor = chunks.ChunkProcessor({**config, "header": splitter.header})
            yield chunk, processor.process(chunk.data, chunk.line_offset)

    @staticmethod
    def _failure(schema_path: Path, path: Path, result: tuple) -> ImportFailure:
        """A chunk's failure. Malformed XML and a wrong skeleton are reported as the streaming validator sees
        them (it reads the file from the start: same message and line whatever the chunk boundaries)."""
        _, kind, message, line, field_name = result
        if kind == "schema":
            return SchemaProblem(line, field_name, message).failure(path)
        if kind == "read":
            return ImportFailure(message, source=path, line=line, field=field_name)
        return LheoDataset._serial_failure(
            schema_path, path, ImportFailure(message, source=path, line=line, field=field_name)
        )

    @staticmethod
    def _serial_failure(schema_path: Path, path: Path, fallback: ImportFailure) -> ImportFailure:
        try:
            problem = validate_file(schema_path, path)
        except ImportFailure as exc:
            return exc
        return problem.failure(path) if problem else fallback

    @staticmethod
    def _check_trailer(schema_path: Path, path: Path, splitter: chunks.Splitter) -> None:
        """What follows the last </formation>: </offres>, then <extras> only (validated), then </lheo>."""
        xsd = load_schema(schema_path)
        ok = bool(splitter.header)
        if ok:
            try:
                root = etree.fromstring(splitter.header + splitter.trailer, _REREAD_PARSER)
            except etree.XMLSyntaxError:
                ok = False
            else:
                children = list(root)
                ok = (
                    root.tag == lheo.LHEO
                    and bool(children)
                    and children[0].tag == lheo.OFFRES
                    and len(children[0]) == 0
                    and all(c.tag == lheo.EXTRAS and not validate(xsd, c) for c in children[1:])
                )
        if not ok:
            raise LheoDataset._serial_failure(
                schema_path, path, ImportFailure("unexpected content after the last <formation>", source=path)
            )

    @staticmethod
    def _grow_sqlite_cache() -> Any:
        """SQLite's default 2 MB page cache makes each unique-index insert re-read pages during one long
        transaction; 16 MB (bounded, whatever the file size) keeps the first import ≈ 2 % faster than 2 MB
        (64 MB, once ≈ 30 % faster, now gains no more and costs 48 MB of the memory budget)."""
        connection = connections[router.db_for_write(Formation)]
        if connection.vendor != "sqlite":
            return lambda: None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -16384")

        def restore() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")

        return restore

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
