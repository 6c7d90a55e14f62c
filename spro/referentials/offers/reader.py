"""`FormationReader`: one LHÉO <formation> element → records (Formation, Action, Session, organisme fields).

Elements the models have no column for are kept as JSON in `extras`; commune and ROME links are resolved
against the codes known at import time (an unknown one is a warning, the link dropped); over-long values
are blocking errors. It needs Django's settings for nothing: the chunk processors run it in worker processes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree

from spro.referentials.importing.errors import ImportFailure
from spro.referentials.offers.lheo import local_name
from spro.referentials.offers.records import ParsedAction, ParsedFormation, ParsedSession, WarningRecord
from spro.referentials.offers.tags import (
    ACTION_INTS,
    ACTION_PRICES,
    ACTION_TEXTS,
    ADDRESS_FLAT,
    ADDRESS_LINE,
    ADDRESS_TEXTS,
    FORMATION_CODES,
    FORMATION_TEXTS,
    T_ACTION,
    T_ADRESSE,
    T_ADRESSE_INSCRIPTION,
    T_CERTIFIANTE,
    T_CERTIFICATION,
    T_CODE_CERTIFINFO,
    T_CODE_FINANCEUR,
    T_CODE_FORMACODE,
    T_CODE_NSF,
    T_CODE_PUBLIC_VISE,
    T_CODE_RNCP,
    T_CODE_ROME,
    T_CODE_RS,
    T_CODE_UAI,
    T_CODE_UAI_ORGANISME_FORMATION,
    T_CONVENTIONNEMENT,
    T_COORDONNEES,
    T_COORDONNEES_ORGANISME,
    T_DEBUT,
    T_DOMAINE_FORMATION,
    T_ETAT_RECRUTEMENT,
    T_FIN,
    T_GEOLOCALISATION,
    T_INTITULE_FORMATION,
    T_LATITUDE,
    T_LIEU_DE_FORMATION,
    T_LIGNE,
    T_LONGITUDE,
    T_MODALITES_ENSEIGNEMENT,
    T_MODALITES_ENTREES_SORTIES,
    T_MODALITES_INSCRIPTION,
    T_NB_PLACES_FINANCEES,
    T_NIVEAU_ENTREE_OBLIGATOIRE,
    T_NOM_ORGANISME,
    T_NUMERO_ACTIVITE,
    T_ORGANISME_FINANCEUR,
    T_ORGANISME_FORMATION_RESPONSABLE,
    T_PERIODE,
    T_PRISE_EN_CHARGE_FRAIS_POSSIBLE,
    T_RAISON_SOCIALE,
    T_SESSION,
    T_SIRET,
    T_SIRET_ORGANISME_FORMATION,
    T_URL_ACTION,
    T_URL_FORMATION,
    T_URL_SESSION,
    T_URLWEB,
)

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


class WarningCollector:
    """Where a reader's warnings go: collected, then taken by the chunk processor for the importer to replay
    (with file, line and field) if the formation is written."""

    def __init__(self) -> None:
        self.items: list[WarningRecord] = []

    def warn(self, message: str, *, line: int | None = None, field: str | None = None) -> None:
        self.items.append((message, line, field))

    def take(self) -> list[WarningRecord]:
        items, self.items = self.items, []
        return items


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


class FormationReader:
    """Turns one <formation> element into records, resolving commune and ROME links against known codes."""

    def __init__(self, path: Path, communes: set[str], fiches: set[str]) -> None:
        self.path = path
        #: the warnings met since the last `take` (a reader runs in a worker process: no ImportContext)
        self.warnings = WarningCollector()
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
            self.warnings.warn(
                f"not a price: {raw!r}, kept in extras",
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
        self.warnings.warn(
            f"{what}: unknown INSEE commune code {code!r} (not in the COG), link dropped",
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
            elif kind is ADDRESS_LINE:
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
                self.warnings.warn(
                    f"formation {numero}: ROME code {code!r} is not a ROME 4.0 fiche, link dropped "
                    f"(code kept in codes_rome)",
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
