"""`{% avis_satisfaction "reponse" %}`: the satisfaction question, drawn by the pages of lower apps.

The answer, referral and accompaniment pages load this library by name in their templates: no Python import of
spro.feedback from a lower app (docs/architecture.md). Each drawing carries a fresh one-time key.
"""

from __future__ import annotations

from typing import Any

from django import template

from spro.feedback import satisfaction
from spro.feedback.vocabularies import REASON_DESCRIPTIONS, Reason, Score, ServiceKind

register = template.Library()


def _departement_of(commune_code: str) -> str:
    from spro.referentials.geo.models import Commune

    if not commune_code:
        return ""
    return (
        Commune.objects.filter(code_insee=commune_code).values_list("departement_id", flat=True).first() or ""
    )


@register.inclusion_tag("feedback/_satisfaction.html", takes_context=True)
def avis_satisfaction(
    context: template.Context, service: str, commune: str = "", structure: Any = None
) -> dict[str, Any]:
    """`service`: a ServiceKind code; `structure` (referral, accompaniment) or `commune` (answer) give the context."""
    request = context.get("request")
    retour = request.get_full_path() if request is not None else ""
    if structure:
        form_context = satisfaction.structure_context(service, structure, retour)
    else:
        form_context = satisfaction.FormContext(
            service=service, departement=_departement_of(str(commune or "")), retour=retour
        )
    return {
        "csrf_token": context.get("csrf_token"),
        "cle": satisfaction.new_form_key(form_context),
        "service_label": ServiceKind(service).label,
        "service": service,
        "notes": Score.choices,
        "raisons": [(code, label, REASON_DESCRIPTIONS[code]) for code, label in Reason.choices],
    }


@register.inclusion_tag("feedback/_followup.html", takes_context=True)
def avis_suivi(context: template.Context, referral: Any, token: str) -> dict[str, Any]:
    """The optional consent to the 3- and 6-month follow-up (or its withdrawal), on the referral's follow page."""
    from spro.feedback import followup

    request = context.get("request")
    return {
        "csrf_token": context.get("csrf_token"),
        "token": token,
        "suivi": followup.follow_page_context(referral),
        "message": request.GET.get("suivi-avis", "") if request is not None else "",
    }
