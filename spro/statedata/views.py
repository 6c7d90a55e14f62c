"""Pages of the State figures: the import (State and Region pilots) and the list with its filters (pilots and
CREFOP members). Thin: `importing` writes, `queries` reads, `access` decides."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from spro.core.vocabularies.territoires import TerritoryLevel
from spro.statedata import access, importing, queries
from spro.statedata.forms import FilterForm, ImportForm
from spro.statedata.models import ImportRun
from spro.statedata.vocabularies import (
    INDICATOR_DESCRIPTIONS,
    SERVICE_DESCRIPTIONS,
    Indicator,
    Service,
)

#: Errors listed on the page (all are counted; the command line lists every one).
SHOWN_ERRORS = 200


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Vous n’avez pas accès à cette page.")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require(access.can_import(request.user))
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "import.csv"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = importing.import_file(path, user=request.user, file_name=upload.name)
            except importing.ImportRejected as rejected:
                errors = rejected.errors
            else:
                messages.success(
                    request,
                    f"Fichier « {upload.name} » importé : {result.creees} valeur(s) créée(s), "
                    f"{result.remplacees} remplacée(s), {result.inchangees} inchangée(s).",
                )
                return HttpResponseRedirect(reverse("statedata:figures"))
    context = {
        "title": "Importer des données de l’État",
        "form": form,
        "errors": errors[:SHOWN_ERRORS],
        "error_count": len(errors),
        "runs": ImportRun.objects.select_related("imported_by")[:10],
        "services": [(s.value, s.label, SERVICE_DESCRIPTIONS[s.value]) for s in Service],
        "indicators": [(i.value, i.label, INDICATOR_DESCRIPTIONS[i.value]) for i in Indicator],
        "levels": TerritoryLevel.choices,
    }
    return render(request, "statedata/import.html", context, status=400 if errors or form.errors else 200)


@never_cache
@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user))
    form = FilterForm(request.GET or None)
    filters = queries.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.Filters(
            service=data["service"],
            period=data["periode"].strip(),
            territory_level=data["territoire_niveau"],
            territory_code=data["territoire_code"].strip(),
            indicator=data["indicateur"],
        )
    found = queries.figures(filters).select_related("run")
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": "Données de l’État",
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "query": query.urlencode(),
        "can_import": access.can_import(request.user),
    }
    return render(request, "statedata/figures.html", context)
