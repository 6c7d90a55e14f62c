"""Pages of the first-contact log: the 30-second form, the structure's recent entries, aggregated counts.

Thin views over `log` (recording and counting) and `spro.accounts.permissions` (who may do it).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from spro.accounts import permissions
from spro.accounts.views import forbidden
from spro.contacts import log
from spro.contacts.forms import BESOIN_CHOICE_DESCRIPTIONS, FirstContactForm
from spro.core.params import date_param
from spro.directory.models import Structure

SESSION_CHANNEL = "contacts.channel"
SESSION_STRUCTURE = "contacts.structure"


def _chosen_structure(request: HttpRequest, structures, value: str | None) -> Structure | None:
    """The structure named in the request, else the one last used, else the user's first."""
    candidates = [value, request.session.get(SESSION_STRUCTURE)]
    for candidate in candidates:
        if candidate and str(candidate).isdigit():
            found = structures.filter(pk=int(candidate)).first()
            if found is not None:
                return found
            if candidate == value:
                return None  # asked for a structure outside the user's scope
    return structures.first()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_contact(request: HttpRequest) -> HttpResponse:
    structures = permissions.structures_in_scope(request.user).order_by("nom")
    if not structures.exists():
        return forbidden(request, "Seuls les membres d’une structure enregistrent des premiers contacts.")
    if request.method == "POST":
        form = FirstContactForm(request.POST, structures=structures)
        structure = _chosen_structure(request, structures, request.POST.get("structure"))
        form.set_referral_choices(structure)
        if request.POST.get("structure") and structure is None:
            return forbidden(request, "Vous n’êtes pas membre de cette structure.")
        if form.is_valid():
            contact = log.record(request.user, form.cleaned_data["structure"], **form.contact_fields())
            request.session[SESSION_CHANNEL] = contact.channel
            request.session[SESSION_STRUCTURE] = contact.structure_id
            messages.success(
                request,
                f"Premier contact enregistré pour {contact.structure.nom}. Vous pouvez saisir le suivant.",
            )
            return redirect(f"{reverse('contacts-new')}?structure={contact.structure_id}")
    else:
        structure = _chosen_structure(request, structures, request.GET.get("structure"))
        if structure is None:
            return forbidden(request, "Vous n’êtes pas membre de cette structure.")
        initial = {"structure": structure.pk}
        if request.session.get(SESSION_CHANNEL):
            initial["channel"] = request.session[SESSION_CHANNEL]
        form = FirstContactForm(initial=initial, structures=structures)
        form.set_referral_choices(structure)
    context = {
        "title": "Enregistrer un premier contact",
        "form": form,
        "single_structure": structures.count() == 1,
        "structure": structure,
        "besoin_descriptions": BESOIN_CHOICE_DESCRIPTIONS,
    }
    return render(request, "contacts/new.html", context)


@login_required
@require_safe
def contact_list(request: HttpRequest) -> HttpResponse:
    structures = permissions.structures_in_scope(request.user).order_by("nom")
    if not structures.exists():
        return forbidden(request, "Seuls les membres d’une structure voient ses premiers contacts.")
    structure = _chosen_structure(request, structures, request.GET.get("structure"))
    if structure is None:
        return forbidden(request, "Vous n’êtes pas membre de cette structure.")
    try:
        entries = list(log.recent(request.user, structure))
    except PermissionDenied as denied:
        return forbidden(request, str(denied))
    context = {
        "title": f"Premiers contacts – {structure.nom}",
        "structure": structure,
        "structures": structures,
        "entries": entries,
        "limit": log.RECENT_LIMIT,
    }
    return render(request, "contacts/list.html", context)


@login_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    start = date_param(request, "du", errors, "Début de période")
    end = date_param(request, "au", errors, "Fin de période")
    try:
        counts = log.statistics_for(request.user, start, end)
    except PermissionDenied as denied:
        return forbidden(request, str(denied))
    context = {
        "title": "Statistiques des premiers contacts",
        "counts": counts,
        "start": start,
        "end": end,
        "errors": errors,
        # The online answers' counts: for counting roles only (a social partner or CREFOP member has none).
        "answers_statistics": permissions.has_territorial_role(request.user),
        "tables": [
            ("besoins", "Besoins exprimés", counts.besoins),
            ("canaux", "Canaux", counts.channels),
            ("ages", "Tranches d’âge", counts.age_bands),
            ("statuts", "Statuts", counts.statuts),
            ("reponses", "Réponses apportées", counts.answers),
        ],
    }
    return render(request, "contacts/statistics.html", context, status=400 if errors else 200)
