"""Atom feeds of the public news and agenda (Django's syndication framework). Published entries only; the same
filters as the pages (`?departement=&public=&type=`), an unknown value answers 400."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from spro.events import public

LIMIT = 50


class _Filtered(Feed):
    feed_type = Atom1Feed
    language = "fr"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filters = public.read_filters(request.GET)
        if filters.errors:
            return HttpResponseBadRequest(" ".join(filters.errors), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> public.Filters:
        return public.read_filters(request.GET)

    def author_name(self) -> str:
        return str(settings.SPRO_BRAND.get("name", "")) or "Service public régional de l’orientation"

    def item_description(self, item) -> str:
        return item.texte

    def item_updateddate(self, item):
        return item.moderated_at or item.published_at or item.created_at


class NewsFeed(_Filtered):
    title = "Actualités de l’orientation"
    subtitle = "Les actualités du service public régional de l’orientation."

    def link(self) -> str:
        return reverse("events:actualites")

    def items(self, filters: public.Filters):
        return public.published_news(filters)[:LIMIT]

    def item_title(self, item) -> str:
        return item.titre

    def item_link(self, item) -> str:
        return reverse("events:actualite", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at


class AgendaFeed(_Filtered):
    title = "Agenda de l’orientation"
    subtitle = "Forums, salons, journées portes ouvertes et réunions d’information à venir."

    def link(self) -> str:
        return reverse("events:agenda")

    def items(self, filters: public.Filters):
        return public.upcoming_agenda(filters)[:LIMIT]

    def item_title(self, item) -> str:
        when = timezone.localtime(item.debut)
        return f"{item.get_type_display()} – {item.titre} – {when:%d/%m/%Y}"

    def item_description(self, item) -> str:
        when = timezone.localtime(item.debut)
        return f"Le {when:%d/%m/%Y à %H:%M}, {item.lieu} ({item.territoire}). {item.texte}"

    def item_link(self, item) -> str:
        return reverse("events:rendez-vous", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at
