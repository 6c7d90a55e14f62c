"""/pro/pilotage/rapport/: the yearly activity report for the CREFOP, as a download (PDF or ODT). Read by the
Region's and the State's pilots, the CREFOP's members and the platform admin (`report.can_read`); anyone else gets
403. Every download is audited as an export. Thin: the document is `spro.monitoring.report`'s."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from spro.core import documents
from spro.monitoring import report


class ReportForm(forms.Form):
    annee = forms.TypedChoiceField(label="Année du rapport", coerce=int)
    format = forms.ChoiceField(
        label="Format du fichier",
        choices=[("pdf", "PDF (à lire et imprimer)"), ("odt", "ODT (texte modifiable, LibreOffice ou Word)")],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = timezone.localdate().year
        years = [(year, str(year)) for year in range(current, report.FIRST_YEAR - 1, -1)]
        field = cast(forms.TypedChoiceField, self.fields["annee"])
        field.choices = years
        field.initial = current - 1


@never_cache
@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    """The form; with `annee` and `format`, the report as an attachment."""
    if not report.can_read(request.user):
        refused = {
            "title": "Accès refusé",
            "message": "Le rapport annuel est réservé aux pilotes de la Région et de l’État et aux membres du CREFOP.",
        }
        return render(request, "accounts/error.html", refused, status=403)
    form = ReportForm(request.GET if "annee" in request.GET or "format" in request.GET else None)
    if form.is_valid():
        year, fmt = form.cleaned_data["annee"], form.cleaned_data["format"]
        response = documents.document_response(report.build(year), fmt, f"rapport-annuel-spro-{year}")
        report.record_export(request.user, year, fmt)
        return response
    context: dict[str, Any] = {"title": "Rapport annuel d’activité", "form": form}
    return render(request, "monitoring_report/report.html", context, status=400 if form.errors else 200)
