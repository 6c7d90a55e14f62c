"""The public page that credits every official source, its licence and when it was last imported."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from spro.referentials.importing.registry import in_dependency_order
from spro.referentials.models import ImportRun


@require_safe
def data_sources(request: HttpRequest) -> HttpResponse:
    last_runs = {}
    for run in ImportRun.objects.filter(status=ImportRun.Status.SUCCESS).order_by("dataset", "-started_at"):
        last_runs.setdefault(run.dataset, run)
    datasets = [{"cls": cls, "last_run": last_runs.get(cls.name)} for cls in in_dependency_order()]
    return render(
        request, "referentials/data_sources.html", {"title": "Sources des données", "datasets": datasets}
    )
