"""Dicts for the API and the pages: one shape for a search hit, one for the fiche of a structure, and the contact
facts (address, phone, today's hours, open now, temporary closure) that every card of a structure shows."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.db.models import F
from django.utils import timezone

from spro.core.months import MONTH_NAMES
from spro.directory import opening_hours, vocabularies
from spro.directory.models import Structure
from spro.directory.search import is_open


def structure_url(structure: Structure) -> str:
    return f"/structures/{structure.di_id}"


def summary(
    structure: Structure, distance_km: float | None, now: dt.datetime | None = None
) -> dict[str, Any]:
    commune = structure.commune
    closure = closure_facts(structure, (now or _now()).date())
    return {
        "id": structure.di_id,
        "nom": structure.nom,
        "typologie": structure.typologie or None,
        "typologie_libelle": vocabularies.typologies().get(structure.typologie)
        if structure.typologie
        else None,
        "commune": structure.commune_nom or (commune.nom if commune else None),
        "code_insee": structure.commune_id,
        "latitude": structure.latitude,
        "longitude": structure.longitude,
        "distance_km": distance_km,
        "url": structure_url(structure),
        "demo": structure.demo,
        "ferme_temporairement": bool(closure and closure["en_cours"]),
        "fermeture": closure,
    }


def local_now() -> dt.datetime:
    """The current time in the site's time zone (Europe/Paris): hours and closures are local."""
    return timezone.localtime()


def _now() -> dt.datetime:
    return local_now()


def detail(structure: Structure, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or _now()
    schedule = None
    hours_error = None
    if structure.horaires_accueil:
        try:
            schedule = opening_hours.parse(structure.horaires_accueil)
        except opening_hours.OpeningHoursError as exc:
            hours_error = str(exc)
    zones = list(structure.zones.order_by("niveau", "code"))
    zone_labels = _zone_labels(zones)
    services = []
    for service in structure.services.filter(is_active=True).order_by("nom", "pk"):
        services.append(
            {
                "id": service.di_id,
                "nom": service.nom,
                "description": service.description,
                "type": vocabularies.types_de_services().get(service.type, service.type) or None,
                "thematiques": vocabularies.labels(service.thematiques, vocabularies.thematiques()),
                "publics": vocabularies.labels(service.publics, vocabularies.publics()),
                "age_min": service.age_min,
                "age_max": service.age_max,
                "frais": service.frais or None,
                "modes_accueil": vocabularies.labels(service.modes_accueil, vocabularies.modes_accueil()),
                "modes_mobilisation": vocabularies.labels(
                    service.modes_mobilisation, vocabularies.modes_mobilisation()
                ),
            }
        )
    upcoming = [
        c for c in structure.fermetures_temporaires or [] if c.get("fin", "") >= now.date().isoformat()
    ]
    return {
        **summary(structure, None, now),
        "description": structure.description or None,
        "siret": structure.siret or None,
        "adresse": structure.adresse or None,
        "complement_adresse": structure.complement_adresse or None,
        "code_postal": structure.code_postal or None,
        "telephone": structure.telephone or None,
        "courriel": structure.courriel or None,
        "site_web": structure.site_web or None,
        "horaires_accueil": structure.horaires_accueil or None,
        "horaires": [{"jour": day, "heures": hours} for day, hours in schedule.describe()]
        if schedule
        else [],
        "horaires_non_lus": hours_error,
        "ouvert_maintenant": is_open(structure, now),
        "fermetures_temporaires": upcoming,
        "canaux": vocabularies.labels(structure.canaux, vocabularies.canaux()),
        "langues": vocabularies.labels(structure.langues, vocabularies.langues()),
        "publics": vocabularies.labels(structure.publics, vocabularies.publics()),
        "age_min": structure.age_min,
        "age_max": structure.age_max,
        "accessibilite_pmr": structure.accessibilite_pmr,
        "accessibilite_lieu": structure.accessibilite_lieu or None,
        "accessibilite_precisions": structure.accessibilite_precisions or None,
        "zone_competence": zone_labels,
        "reseaux_porteurs": structure.reseaux_porteurs,
        "date_maj": structure.date_maj.isoformat(),
        "date_verification": structure.date_verification.isoformat() if structure.date_verification else None,
        "verification_perimee": structure.is_stale,
        "services": services,
    }


def _zone_labels(zones) -> list[str]:
    from spro.referentials.geo.models import Commune, Departement, Epci

    codes: dict[str, list[str]] = {}
    for zone in zones:
        codes.setdefault(zone.niveau, []).append(zone.code)
    names = {
        "commune": dict(
            Commune.objects.filter(code_insee__in=codes.get("commune", [])).values_list("code_insee", "nom")
        ),
        "epci": dict(Epci.objects.filter(code__in=codes.get("epci", [])).values_list("code", "nom")),
        "departement": dict(
            Departement.objects.filter(code__in=codes.get("departement", [])).values_list("code", "nom")
        ),
    }
    labels = []
    if "france" in codes:
        labels.append("France entière")
    for niveau, prefix in (
        ("departement", "Département"),
        ("epci", "Intercommunalité"),
        ("commune", "Commune"),
    ):
        for code in codes.get(niveau, []):
            name = names[niveau].get(code, code)
            labels.append(f"{prefix} : {name} ({code})" if niveau != "epci" else f"{prefix} : {name}")
    return labels


# --- Contact facts: one home for the answer's cards, its summary, /structures and the API ---------------------------
#: A closure starting within this many days is announced on the cards (« Fermeture prévue du … au … »).
ANNOUNCE_CLOSURE_DAYS = 14
_FRENCH_NUMBER = re.compile(r"(?:\+\s*33|0033|\(0\)|0)\s*(?:\(0\)\s*)?([1-9](?:[\s.\-]*\d){8})(?!\d)")
_SHORT_NUMBER = re.compile(r"(?<!\d)(3\d{3}|1\d{2,3})(?!\d)")


def phone(raw: str | None) -> dict[str, str] | None:
    """The first French number in `raw`, written for reading (« 02 99 12 34 56 ») and for calling
    (`tel:+33299123456`); short service numbers (3949) kept as they are. None when there is no number to call, so
    that no « Téléphone » label is ever shown without one."""
    if not raw:
        return None
    match = _FRENCH_NUMBER.search(raw)
    if match:
        national = "0" + re.sub(r"\D", "", match.group(1))
        shown = " ".join(national[i : i + 2] for i in range(0, 10, 2))
        return {"affiche": shown, "lien": f"tel:+33{national[1:]}"}
    match = _SHORT_NUMBER.search(raw)
    if match:
        number = match.group(1)
        shown = f"{number[:2]} {number[2:]}" if len(number) == 4 else number
        return {"affiche": shown, "lien": f"tel:{number}"}
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("+") and 8 <= len(digits) <= 16:  # a number abroad, kept as written
        return {"affiche": raw.strip(), "lien": f"tel:{digits}"}
    return None


def french_date(day: dt.date, *, year: bool = True) -> str:
    text = f"{'1er' if day.day == 1 else day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def closure_facts(structure: Structure, today: dt.date) -> dict[str, Any] | None:
    """The temporary closure in effect today, else the next one starting within two weeks; None otherwise.
    `texte` is the sentence the cards show (« Fermé temporairement du 30 novembre au 6 décembre 2026 »)."""
    current = structure.closure_on(today)
    closure, en_cours = (current, True) if current else (None, False)
    if closure is None:
        soon = (today + dt.timedelta(days=ANNOUNCE_CLOSURE_DAYS)).isoformat()
        upcoming = sorted(
            (
                c
                for c in structure.fermetures_temporaires or []
                if today.isoformat() < c.get("debut", "") <= soon
            ),
            key=lambda c: c.get("debut", ""),
        )
        closure = upcoming[0] if upcoming else None
    if closure is None:
        return None
    try:
        debut, fin = dt.date.fromisoformat(closure["debut"]), dt.date.fromisoformat(closure["fin"])
    except (KeyError, TypeError, ValueError):
        return None
    if (debut.year, debut.month) == (fin.year, fin.month):
        start = "1er" if debut.day == 1 else str(debut.day)
    else:
        start = french_date(debut, year=debut.year != fin.year)
    span = f"le {french_date(fin)}" if debut == fin else f"du {start} au {french_date(fin)}"
    return {
        "debut": debut.isoformat(),
        "fin": fin.isoformat(),
        "motif": closure.get("motif") or "",
        "en_cours": en_cours,
        "texte": f"Fermé temporairement {span}" if en_cours else f"Fermeture prévue {span}",
    }


def _day_word(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return "aujourd’hui"
    if days == 1:
        return "demain"
    weekday = opening_hours.DAY_LABELS[moment.weekday()]
    return weekday if days < 7 else f"{weekday} {french_date(moment.date(), year=False)}"


def _clock(moment: dt.datetime) -> str:
    return opening_hours.french_time(moment.hour * 60 + moment.minute)


def contact(structure: Structure, now: dt.datetime | None = None) -> dict[str, Any]:
    """What a card needs to reach a structure today: address, phone (`tel:` link), e-mail, today's hours, whether it
    is open now and, when closed, when it opens next (Europe/Paris time; a temporary closure counts as closed)."""
    now = timezone.localtime(now) if now is not None and timezone.is_aware(now) else (now or _now())
    place = " ".join(
        part for part in (structure.code_postal, structure.commune_nom or _commune_name(structure)) if part
    )
    adresse = ", ".join(part for part in (structure.adresse, structure.complement_adresse, place) if part)
    closure = closure_facts(structure, now.date())
    schedule = None
    if structure.horaires_accueil:
        try:
            schedule = opening_hours.parse(structure.horaires_accueil)
        except opening_hours.OpeningHoursError:
            schedule = None
    ouvert = is_open(structure, now)
    etat = None
    horaires_du_jour = None
    if schedule is not None:
        horaires_du_jour = "fermé" if closure and closure["en_cours"] else schedule.hours_on(now.weekday())
        if ouvert:
            end = next(e for s, e in schedule.spans(now.weekday()) if s <= now.hour * 60 + now.minute < e)
            etat = (
                f"Ouvert maintenant, jusqu’à {opening_hours.french_time(end)}"
                if end < 24 * 60
                else "Ouvert maintenant"
            )
        else:
            nxt = schedule.next_opening(now, lambda day: structure.closure_on(day) is not None)
            etat = f"Fermé — ouvre {_day_word(nxt, now)} à {_clock(nxt)}" if nxt else "Fermé"
    elif closure and closure["en_cours"]:
        etat = "Fermé"
    tel = phone(structure.telephone)
    return {
        "adresse": adresse or None,
        "telephone": tel["affiche"] if tel else None,
        "telephone_lien": tel["lien"] if tel else None,
        "courriel": structure.courriel or None,
        "horaires_du_jour": horaires_du_jour,
        "ouvert_maintenant": ouvert,
        "etat": etat,
        "ferme_temporairement": bool(closure and closure["en_cours"]),
        "fermeture": closure,
    }


def _commune_name(structure: Structure) -> str:
    return structure.commune.nom if structure.commune_id and structure.commune else ""


def page(structure: Structure, now: dt.datetime | None = None) -> dict[str, Any]:
    """The public structure page (docs/design/fiche.md): the API's `detail`, plus what a visitor needs and the API
    does not give — the date the fiche was last updated or checked, in words (« 1er octobre 2026 »); the phone as a
    number to read and to call, or nothing (never a « Téléphone » label without a number); what to know or bring
    before coming (the services' access conditions, each once); and a route link when the street address is known
    and located."""
    facts = detail(structure, now)
    tel = phone(structure.telephone)
    latest = max(day for day in (structure.date_maj, structure.date_verification) if day)
    bring: list[str] = []
    for text in (
        structure.services.filter(is_active=True)
        .order_by("nom", "pk")
        .values_list("conditions_acces", flat=True)
    ):
        text = (text or "").strip()
        if text and text not in bring:
            bring.append(text)
    # A route only to a known street address: coordinates alone may be the town hall's, filled in at import.
    located = bool(structure.adresse) and structure.latitude is not None and structure.longitude is not None
    return {
        **facts,
        "zone": zone_summary(structure),
        "codes": professional_codes(structure),
        "mis_a_jour": french_date(latest),
        "telephone_affiche": tel["affiche"] if tel else None,
        "telephone_lien": tel["lien"] if tel else None,
        "avant_de_venir": bring,
        "itineraire": (
            f"https://www.openstreetmap.org/directions?to={structure.latitude}%2C{structure.longitude}"
            if located
            else None
        ),
    }


# --- The structure page's zone of competence and codes (issue 14, docs/design/structures.md) ------------------------
#: How many places a summary names before « … » (« 155 communes, dont Brest, Guipavas, Plougastel-Daoulas… »).
ZONE_NAMED = 3


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _alphabetical(name: str) -> str:
    """Sort key of a French place name: accents folded (« Bréal » before « Brie »)."""
    return "".join(c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c))


def zone_summary(structure: Structure) -> dict[str, Any] | None:
    """The zone of competence as a young reader takes it in: one line (« 155 communes, dont Brest, Guipavas,
    Plougastel-Daoulas… », the most populated first) and, when the line does not name every place, the full lists
    by level, in alphabetical order, for a fold-out. Names only: the INSEE and SIREN codes are for professionals."""
    from spro.referentials.geo.models import Commune, Departement, Epci

    codes: dict[str, list[str]] = {}
    for niveau, code in structure.zones.values_list("niveau", "code"):
        codes.setdefault(niveau, []).append(code)
    if not codes:
        return None
    by_size = (F("population").desc(nulls_last=True), "nom")
    rows = {
        "departement": Departement.objects.filter(code__in=codes.get("departement", []))
        .order_by("code")
        .values_list("code", "nom"),
        "epci": Epci.objects.filter(code__in=codes.get("epci", []))
        .order_by(*by_size)
        .values_list("code", "nom"),
        "commune": Commune.objects.filter(code_insee__in=codes.get("commune", []))
        .order_by(*by_size)
        .values_list("code_insee", "nom"),
    }
    names: dict[str, list[str]] = {}
    for niveau, pairs in rows.items():
        found = list(pairs)
        known = {code for code, _ in found}
        names[niveau] = [f"{nom} ({code})" if niveau == "departement" else nom for code, nom in found]
        # A code the geography does not know (yet) is still a place: shown as its code rather than dropped.
        names[niveau] += [code for code in codes.get(niveau, []) if code not in known]
    departements, epcis, communes = names["departement"], names["epci"], names["commune"]
    parts: list[str] = ["France entière"] if "france" in codes else []
    folded = False
    for names, singular, plural in (
        (departements, "département", "départements"),
        (epcis, "intercommunalité", "intercommunalités"),
        (communes, "commune", "communes"),
    ):
        if len(names) == 1:
            parts.append(names[0])
        elif 1 < len(names) <= ZONE_NAMED:
            parts.append(f"{_count(len(names), singular, plural)} : {', '.join(names)}")
        elif len(names) > ZONE_NAMED:
            parts.append(f"{_count(len(names), singular, plural)}, dont {', '.join(names[:ZONE_NAMED])}…")
            folded = True
    lists = [
        {"titre": titre, "noms": sorted(names, key=_alphabetical)}
        for titre, names in (
            ("Départements", departements),
            ("Intercommunalités", epcis),
            ("Communes", communes),
        )
        if names
    ]
    resume = " ; ".join(parts)
    return {"resume": resume if resume.endswith("…") else resume + ".", "listes": lists if folded else []}


def professional_codes(structure: Structure) -> list[tuple[str, str]]:
    """The codes a professional looks for, in the « Pour les professionnels » fold-out at the end of the page."""
    rows: list[tuple[str, str]] = []
    if structure.siret:
        rows += [("SIRET", structure.siret), ("SIREN", structure.siret[:9])]
    if structure.typologie:
        rows.append(("Typologie (data·inclusion)", structure.typologie))
    rows.append(("Identifiant data·inclusion", structure.di_id))
    rows.append(("Source des données", structure.source))
    if structure.zone_competence:
        rows.append(("Zone de compétence (codes)", ", ".join(structure.zone_competence)))
    return rows
