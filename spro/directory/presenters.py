"""Dicts for the API and the pages: one shape for a search hit and one for the fiche of a structure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from . import opening_hours, vocabularies
from .models import Structure
from .search import is_open


def structure_url(structure: Structure) -> str:
    return f"/structures/{structure.di_id}"


def summary(structure: Structure, distance_km: float | None) -> dict[str, Any]:
    commune = structure.commune
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
    }


def _now() -> dt.datetime:
    return timezone.localtime()


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
        **summary(structure, None),
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
