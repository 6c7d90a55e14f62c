"""Public pages: the agenda (`/agenda`), the news (`/actualites`), their detail pages and the agenda's ICS feed.
Only published entries exist here: any other answers 404. Filters are a plain GET form (no JavaScript)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from spro.core.ics import ics_response
from spro.events import public
from spro.events.models import Actualite, RendezVous
from spro.events.vocabularies import Moderation, Public, TypeRendezVous
from spro.referentials.geo.models import Departement

PER_PAGE = 20


def site_url(request: HttpRequest) -> str:
    from django.conf import settings

    configured = (getattr(settings, "SPRO_SITE_URL", "") or "").rstrip("/")
    return configured or request.build_absolute_uri("/").rstrip("/")


def _filter_context(filters: public.Filters, with_type: bool) -> dict:
    return {
        "filters": filters,
        "departements": Departement.objects.filter(is_active=True).order_by("code"),
        "publics": Public.choices,
        "types": TypeRendezVous.choices if with_type else [],
        "query": "&".join(f"{k}={v}" for k, v in filters.query()),
    }


@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    filters = public.read_filters(request.GET)
    page = Paginator(public.upcoming_agenda(filters), PER_PAGE).get_page(request.GET.get("page"))
    context = {"title": "Agenda", "page_obj": page, **_filter_context(filters, with_type=True)}
    return render(request, "events/agenda.html", context, status=400 if filters.errors else 200)


@require_safe
def agenda_ics(request: HttpRequest) -> HttpResponse:
    filters = public.read_filters(request.GET)
    if filters.errors:
        return HttpResponse(" ".join(filters.errors), status=400, content_type="text/plain; charset=utf-8")
    entries = public.upcoming_agenda(filters)[:500]
    response = ics_response(
        public.calendar_events(entries, site_url(request)), "Agenda de l’orientation", "agenda.ics"
    )
    response["Cache-Control"] = "public, max-age=900"
    return response


@require_safe
def rendez_vous(request: HttpRequest, pk: int) -> HttpResponse:
    entry = RendezVous.objects.select_related("commune", "departement", "region").filter(pk=pk).first()
    if entry is None or entry.statut != Moderation.PUBLIEE:
        raise Http404("rendez-vous inconnu")
    return render(request, "events/rendez_vous.html", {"title": entry.titre, "entry": entry})


@require_safe
def rendez_vous_ics(request: HttpRequest, pk: int) -> HttpResponse:
    entry = RendezVous.objects.filter(pk=pk, statut=Moderation.PUBLIEE).first()
    if entry is None:
        raise Http404("rendez-vous inconnu")
    return ics_response(
        public.calendar_events([entry], site_url(request)), entry.titre, f"agenda-{entry.pk}.ics"
    )


@require_safe
def actualites(request: HttpRequest) -> HttpResponse:
    filters = public.read_filters(request.GET)
    page = Paginator(public.published_news(filters), PER_PAGE).get_page(request.GET.get("page"))
    context = {"title": "Actualités", "page_obj": page, **_filter_context(filters, with_type=False)}
    return render(request, "events/actualites.html", context, status=400 if filters.errors else 200)


@require_safe
def actualite(request: HttpRequest, pk: int) -> HttpResponse:
    entry = Actualite.objects.select_related("commune", "departement", "region").filter(pk=pk).first()
    if entry is None or entry.statut != Moderation.PUBLIEE:
        raise Http404("actualité inconnue")
    context = {"title": entry.titre, "entry": entry, "back": reverse("events:actualites")}
    return render(request, "events/actualite.html", context)
