"""The public news and agenda: what is public (published entries only), the filters of `/agenda` and
`/actualites`, the moderation of entries, the calendar entries of the ICS feed, and « Prochains événements près de
chez vous » for the home page and the first answer.

A filter by territory takes a département: it finds the entries of that département (given by a commune of it or
by the département itself) and those of its whole région. A filter by public finds the entries for that public and
those for everyone (`tous`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from spro import audit
from spro.core.ics import CalendarEvent
from spro.core.mail import queue_email
from spro.events.models import Actualite, RendezVous
from spro.events.vocabularies import Moderation, Public, TypeRendezVous
from spro.referentials.geo.models import Commune, Departement

#: How far ahead « Prochains événements près de chez vous » looks, and how many it shows.
NEARBY_WEEKS = 8
NEARBY_LIMIT = 3


class ModerationError(Exception):
    """A refused moderation step, with its French message."""


@dataclass(frozen=True)
class Filters:
    """The validated filters of a public page; unknown values are dropped and reported in `errors`."""

    departement: Departement | None = None
    public: str = ""
    type: str = ""
    errors: tuple[str, ...] = ()

    def query(self) -> list[tuple[str, str]]:
        pairs = []
        if self.departement is not None:
            pairs.append(("departement", self.departement.code))
        if self.public:
            pairs.append(("public", self.public))
        if self.type:
            pairs.append(("type", self.type))
        return pairs


def read_filters(params) -> Filters:
    errors = []
    departement = None
    code = (params.get("departement") or "").strip().upper()
    if code:
        departement = Departement.objects.filter(code=code).first()
        if departement is None:
            errors.append("Département inconnu : choisissez-en un dans la liste.")
    public = (params.get("public") or "").strip()
    if public and public not in Public.values:
        errors.append("Public inconnu : choisissez-en un dans la liste.")
        public = ""
    kind = (params.get("type") or "").strip()
    if kind and kind not in TypeRendezVous.values:
        errors.append("Type de rendez-vous inconnu : choisissez-en un dans la liste.")
        kind = ""
    return Filters(departement=departement, public=public, type=kind, errors=tuple(errors))


def _territory(departement: Departement) -> Q:
    return (
        Q(departement=departement)
        | (Q(departement__isnull=True) & Q(region_id=departement.region_id))
        | Q(region__isnull=True, departement__isnull=True, commune__isnull=True)
    )


def _public(public: str) -> Q:
    return Q(public=public) | Q(public=Public.TOUS) if public and public != Public.TOUS else Q()


def upcoming_agenda(
    filters: Filters | None = None, *, now: dt.datetime | None = None
) -> QuerySet[RendezVous]:
    """Published agenda entries not yet over, soonest first."""
    now = now or timezone.now()
    rows = RendezVous.objects.filter(statut=Moderation.PUBLIEE, fin__gte=now).select_related(
        "commune", "departement", "region"
    )
    if filters is not None:
        if filters.departement is not None:
            rows = rows.filter(_territory(filters.departement))
        rows = rows.filter(_public(filters.public))
        if filters.type:
            rows = rows.filter(type=filters.type)
    return rows.order_by("debut", "id")


def published_news(filters: Filters | None = None) -> QuerySet[Actualite]:
    rows = Actualite.objects.filter(statut=Moderation.PUBLIEE).select_related(
        "commune", "departement", "region"
    )
    if filters is not None:
        if filters.departement is not None:
            rows = rows.filter(_territory(filters.departement))
        rows = rows.filter(_public(filters.public))
    return rows.order_by("-published_at", "-id")


def nearby(
    commune_code: str | None, *, now: dt.datetime | None = None, limit: int = NEARBY_LIMIT
) -> list[RendezVous]:
    """« Prochains événements près de chez vous »: the published entries of the commune's département (and of its
    whole région) in the coming weeks. Without a known commune: the Region's upcoming entries."""
    now = now or timezone.now()
    rows = RendezVous.objects.filter(
        statut=Moderation.PUBLIEE, fin__gte=now, debut__lte=now + dt.timedelta(weeks=NEARBY_WEEKS)
    ).select_related("commune", "departement", "region")
    commune = Commune.objects.filter(code_insee=commune_code).first() if commune_code else None
    if commune is not None:
        rows = rows.filter(_territory(commune.departement))
    return list(rows.order_by("debut", "id")[:limit])


def home_context(request) -> dict | None:
    """The home page's section (registered with `spro.core.home`): nothing when no entry is upcoming."""
    entries = nearby(None)
    if not entries:
        return None
    return {"evenements": entries, "agenda_url": reverse("events:agenda")}


# -------------------------------------------------------------------------------------------- moderation


def submit(entry: Actualite | RendezVous, *, user, publish: bool) -> None:
    """Save a new entry: published at once when `publish` (the Region's team), else submitted for moderation."""
    now = timezone.now()
    entry.author = user
    if publish:
        entry.statut, entry.published_at, entry.moderated_by, entry.moderated_at = (
            Moderation.PUBLIEE,
            now,
            user,
            now,
        )
    else:
        entry.statut = Moderation.SOUMISE
    with transaction.atomic():
        entry.save()
        audit.record(user, "publication_proposee" if not publish else "publication_publiee", entry)


def moderate(entry: Actualite | RendezVous, *, user, decision: str, motif: str = "") -> None:
    """Publish or refuse a submitted entry (the Region's team); the author is told by e-mail."""
    if decision not in (Moderation.PUBLIEE, Moderation.REFUSEE):
        raise ModerationError("Décision inconnue : publier ou refuser.")
    motif = (motif or "").strip()
    if decision == Moderation.REFUSEE and not motif:
        raise ModerationError("Indiquez le motif du refus : il est transmis à la personne qui a proposé.")
    now = timezone.now()
    with transaction.atomic():
        locked = type(entry).objects.select_for_update().get(pk=entry.pk)
        if locked.statut != Moderation.SOUMISE:
            raise ModerationError("Cette proposition a déjà été relue.")
        locked.statut, locked.moderated_by, locked.moderated_at = decision, user, now
        locked.motif_refus = motif if decision == Moderation.REFUSEE else ""
        if decision == Moderation.PUBLIEE:
            locked.published_at = now
        locked.save()
        audit.record(
            user, f"publication_{'publiee' if decision == Moderation.PUBLIEE else 'refusee'}", locked
        )
        if locked.author is not None and locked.author.email:
            if decision == Moderation.PUBLIEE:
                body = f"Bonjour,\n\nVotre proposition « {locked.titre} » est publiée. Merci.\n"
                subject = f"Publiée : {locked.titre}"
            else:
                body = (
                    f"Bonjour,\n\nVotre proposition « {locked.titre} » n’a pas été publiée, pour ce motif :\n"
                    f"{motif}\n\nVous pouvez proposer une version corrigée.\n"
                )
                subject = f"Non publiée : {locked.titre}"
            queue_email(locked.author.email, subject, body)
    entry.refresh_from_db()


def pending() -> dict[str, list]:
    return {
        "actualites": list(Actualite.objects.filter(statut=Moderation.SOUMISE).order_by("created_at", "id")),
        "rendez_vous": list(
            RendezVous.objects.filter(statut=Moderation.SOUMISE).order_by("created_at", "id")
        ),
    }


# ------------------------------------------------------------------------------------------------- feeds


def calendar_events(entries, site_url: str) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"agenda-{entry.pk}",
            start=entry.debut,
            end=entry.fin,
            summary=f"{entry.get_type_display()} : {entry.titre}",
            description=entry.texte,
            location=entry.lieu,
            url=site_url + reverse("events:rendez-vous", args=[entry.pk]),
        )
        for entry in entries
    ]


def answer_context(commune_code: str | None) -> dict:
    """The first answer's « Prochains événements près de chez vous » (spro.answer includes `events/_answer.html`):
    empty when the person's commune is unknown or nothing is planned near it."""
    if not commune_code:
        return {"evenements_proches": []}
    commune = Commune.objects.filter(code_insee=commune_code).only("departement_id").first()
    if commune is None:
        return {"evenements_proches": []}
    return {"evenements_proches": nearby(commune_code), "evenements_departement": commune.departement_id}
