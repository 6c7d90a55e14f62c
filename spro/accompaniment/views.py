"""The conseiller's accompaniment pages (/pro/accompagnements) and the person's export of their data.

Thin views: the rules are in `access.py` (who sees what) and `services.py` (what changes). An accompaniment of a
structure the user does not act for answers 404, as if it did not exist. The list shows no personal data; opening
an accompaniment shows the person, the pathway's summary, the appointments and the notes, and writes exactly one
audit event.
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro.accompaniment import access, pathway_link, services
from spro.accompaniment.cep import CepLevel
from spro.accompaniment.errors import AccompanimentError
from spro.accompaniment.forms import (
    AppointmentForm,
    CepForm,
    CloseForm,
    HandOverForm,
    NoteForm,
    OpenForm,
    SchemeForm,
)
from spro.accompaniment.models import Accompaniment
from spro.accompaniment.vocabularies import EventKind, Outcome, Status
from spro.accounts.permissions import can_act_for_structure, structures_in_scope
from spro.directory.models import Structure
from spro.referrals.models import Referral

PER_PAGE = 50
MAX_HANDOVER_CHOICES = 400


def _accompaniment(request: HttpRequest, public_id: str) -> Accompaniment:
    try:
        key = uuid.UUID(public_id)
    except ValueError as exc:
        raise Http404("accompagnement inconnu") from exc
    accompaniment = (
        Accompaniment.objects.select_related(
            "structure", "pathway", "referent", "handed_over_from__structure"
        )
        .filter(public_id=key)
        .first()
    )
    if accompaniment is None or not access.can_view(request.user, accompaniment):
        raise Http404("accompagnement inconnu")
    return accompaniment


def _user_label(user) -> str:
    if user is None:
        return "la plateforme"
    return user.get_full_name() or user.get_username()


@never_cache
@login_required
@require_GET
def accompaniment_list(request: HttpRequest) -> HttpResponse:
    structures = list(structures_in_scope(request.user).order_by("nom", "id"))
    # Concrete ids (one structure: an equality) so that the index (structure, -opened_at, -id) gives the order.
    ids = [s.pk for s in structures]
    rows = (
        Accompaniment.objects.filter(structure_id=ids[0])
        if len(ids) == 1
        else Accompaniment.objects.filter(structure_id__in=ids)
    )
    rows = rows.select_related("structure", "referent").only(
        "public_id",
        "opened_at",
        "status",
        "outcome",
        "cep_level",
        "structure__nom",
        "referent__username",
        "referent__first_name",
        "referent__last_name",
    )
    status = request.GET.get("statut", "")
    if status not in Status.values:
        status = ""
    if status:
        rows = rows.filter(status=status)
    members = (
        get_user_model()
        .objects.filter(memberships__structure__in=structures, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    conseiller = request.GET.get("conseiller", "")
    if conseiller and not (conseiller.isdigit() and members.filter(pk=int(conseiller)).exists()):
        conseiller = ""
    if conseiller:
        rows = rows.filter(referent_id=int(conseiller))
    page = Paginator(rows.order_by("-opened_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("statut", status), ("conseiller", conseiller)) if v)
    # Rows as plain values (one reverse for all): rendering 50 rows stays a few milliseconds.
    prefix = reverse("accompaniment:pro-list") + "/"
    statuses, outcomes, levels = dict(Status.choices), dict(Outcome.choices), dict(CepLevel.choices)
    rows_shown = [
        {
            "url": f"{prefix}{a.public_id}",
            "opened": timezone.localtime(a.opened_at).strftime("%d/%m/%Y"),
            "structure": a.structure.nom,
            "status": statuses.get(a.status, a.status),
            "referent": _user_label(a.referent) if a.referent else "–",
            "cep": levels.get(a.cep_level, "–"),
            "outcome": outcomes.get(a.outcome, "–"),
        }
        for a in page
    ]
    return render(
        request,
        "accompaniment/pro_list.html",
        {
            "title": "Accompagnements",
            "page_obj": page,
            "rows": rows_shown,
            "statuses": Status.choices,
            "status": status,
            "conseillers": [(str(u.pk), _user_label(u)) for u in members],
            "conseiller": conseiller,
            "query": query,
            "can_open": bool(structures),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def open_on_the_spot(request: HttpRequest) -> HttpResponse:
    structures = list(structures_in_scope(request.user).order_by("nom", "id"))
    if not structures:
        raise Http404("aucune structure")
    form = OpenForm(request.POST or None, structures=structures)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            structure = next(s for s in structures if s.di_id == data["structure"])
            try:
                opened = services.open_on_the_spot(
                    structure,
                    user=request.user,
                    person=services.Person(data["prenom"], data["moyen"], data["coordonnee"]),
                    goal_label=data["projet"],
                    consent=data["accord"],
                    cep_level=data["niveau_cep"],
                )
            except AccompanimentError as exc:
                form.add_error(None, str(exc))
            else:
                return _opened(request, opened)
    return render(
        request,
        "accompaniment/pro_open.html",
        {
            "title": "Ouvrir un accompagnement",
            "form": form,
            "consent_text": services.consent_text(),
            "share_consent_text": pathway_link.SHARE_CONSENT_TEXT,
        },
        status=status,
    )


def _opened(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    """After opening: the pathway's private link, shown once, to give the person (it is not stored in clear)."""
    if not opened.pathway_token:
        messages.success(request, "Accompagnement ouvert.")
        return HttpResponseRedirect(
            reverse("accompaniment:pro-detail", args=[opened.accompaniment.public_id]), status=303
        )
    link = request.build_absolute_uri(pathway_link.person_url(opened.pathway_token))
    return render(
        request,
        "accompaniment/pro_opened.html",
        {"title": "Accompagnement ouvert", "accompaniment": opened.accompaniment, "link": link},
    )


@never_cache
@login_required
@require_POST
def open_from_referral(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        key = uuid.UUID(public_id)
    except ValueError as exc:
        raise Http404("demande inconnue") from exc
    referral = Referral.objects.select_related("structure").filter(public_id=key).first()
    if referral is None or not can_act_for_structure(request.user, referral.structure):
        raise Http404("demande inconnue")
    try:
        opened = services.open_from_referral(
            referral, user=request.user, consent=request.POST.get("accord") == "on"
        )
    except AccompanimentError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("referrals:pro-detail", args=[referral.public_id]), status=303)
    return _opened(request, opened)


def _handover_structures(accompaniment: Accompaniment):
    candidates = Structure.objects.active().exclude(pk=accompaniment.structure_id).order_by("nom", "id")
    structure = accompaniment.structure
    departement = structure.commune.departement_id if structure.commune else None
    if departement:
        candidates = candidates.filter(commune__departement_id=departement)
    return list(candidates.only("di_id", "nom", "commune_nom")[:MAX_HANDOVER_CHOICES])


def _detail(
    request: HttpRequest, accompaniment: Accompaniment, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    user = request.user
    access.record_read(
        user, accompaniment, "fiche de l’accompagnement (personne, parcours, rendez-vous, notes)"
    )
    pathway = accompaniment.pathway
    if pathway is not None and not pathway_link.structure_reads(user, pathway, accompaniment.structure):
        pathway = None  # the person withdrew the share (or it expired): the structure no longer reads it
    notes = list(access.readable_notes(user, accompaniment))
    is_open = accompaniment.is_open and not accompaniment.is_anonymised
    context = {
        "title": f"Accompagnement ouvert le {accompaniment.opened_at:%d/%m/%Y}",
        "accompaniment": accompaniment,
        "pathway": pathway,
        "pathway_url": pathway_link.pro_url(pathway),
        "appointments": pathway_link.appointments(pathway) if pathway is not None else [],
        "notes": [
            {
                "at": n.at,
                "by": _user_label(n.author),
                "text": n.text,
                "erased": n.erased_at is not None,
                "elsewhere": n.accompaniment_id != accompaniment.pk,
                "structure": n.accompaniment.structure.nom,
            }
            for n in notes
        ],
        "schemes": [
            {
                "code": s.scheme,
                "label": dict(services.scheme_choices()).get(s.scheme, s.scheme),
                "on": s.on,
                "comment": s.comment,
            }
            for s in accompaniment.schemes.all()
        ],
        "events": [
            {
                "at": e.at,
                "kind": e.get_kind_display(),
                "by": _user_label(e.by_user),
                "detail": _event_detail(e),
            }
            for e in accompaniment.events.select_related("by_user")
        ],
        "is_open": is_open,
    }
    if is_open:
        context.update(
            note_form=forms.get("note") or NoteForm(prefix="note"),
            scheme_form=forms.get("dispositif")
            or SchemeForm(prefix="dispositif", schemes=services.scheme_choices()),
            appointment_form=forms.get("rendez-vous") or AppointmentForm(prefix="rendez-vous"),
            cep_form=forms.get("cep")
            or CepForm(
                prefix="cep", initial={"niveau": accompaniment.cep_level, "etape": accompaniment.cep_stage}
            ),
            close_form=forms.get("clore") or CloseForm(prefix="clore"),
            handover_form=forms.get("relais")
            or HandOverForm(prefix="relais", structures=_handover_structures(accompaniment)),
            can_propose=pathway is not None,
        )
    return render(request, "accompaniment/pro_detail.html", context, status=status)


def _event_detail(event) -> str:
    from spro.accompaniment.vocabularies import Origin, Outcome

    if event.kind == EventKind.OUVERTURE and event.detail in Origin.values:
        return Origin(event.detail).label
    if event.kind in (EventKind.CLOTURE, EventKind.RELAIS) and event.detail in Outcome.values:
        return Outcome(event.detail).label
    return event.detail


@never_cache
@login_required
@require_GET
def accompaniment_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail(request, _accompaniment(request, public_id))


ACTION_FORMS = {
    "note": NoteForm,
    "dispositif": SchemeForm,
    "rendez-vous": AppointmentForm,
    "cep": CepForm,
    "clore": CloseForm,
    "relais": HandOverForm,
}


@never_cache
@login_required
@require_POST
def accompaniment_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    accompaniment = _accompaniment(request, public_id)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404("action inconnue")
    kwargs: dict = {}
    if action == "dispositif":
        kwargs["schemes"] = services.scheme_choices()
    elif action == "relais":
        kwargs["structures"] = _handover_structures(accompaniment)
    form = form_class(request.POST, prefix=action, **kwargs)
    if not form.is_valid():
        return _detail(request, accompaniment, {action: form}, status=400)
    data = form.cleaned_data
    user = request.user
    detail_url = reverse("accompaniment:pro-detail", args=[accompaniment.public_id])
    try:
        if action == "note":
            services.add_note(accompaniment, user=user, text=data["texte"])
            messages.success(request, "Note enregistrée.")
        elif action == "dispositif":
            services.mobilise_scheme(
                accompaniment,
                user=user,
                scheme=data["dispositif"],
                on=data["date"],
                comment=data["commentaire"],
            )
            messages.success(request, "Dispositif enregistré.")
        elif action == "rendez-vous":
            services.propose_appointment(
                accompaniment,
                user=user,
                label=data["intitule"],
                at=data["moment"],
                channel=data["modalite"],
                place=data["lieu"],
            )
            messages.success(request, "Rendez-vous proposé : il apparaît dans le parcours de la personne.")
        elif action == "cep":
            services.set_cep(accompaniment, user=user, level=data["niveau"], stage=data["etape"])
            messages.success(request, "Niveau et étape CEP enregistrés.")
        elif action == "clore":
            services.close(accompaniment, user=user, outcome=data["issue"], cep_outcome=data["issue_cep"])
            messages.success(request, "Accompagnement clos.")
        else:
            target = Structure.objects.active().filter(di_id=data["structure"]).first()
            received = services.hand_over(
                accompaniment, target, user=user, consent=data["accord"], share_notes=data["notes"]
            )
            messages.success(
                request,
                f"Relais passé à {received.structure.nom} : l’accompagnement y est ouvert, celui-ci est clos.",
            )
    except AccompanimentError as exc:
        form.add_error(None, str(exc))
        accompaniment.refresh_from_db()
        return _detail(request, accompaniment, {action: form}, status=409)
    return HttpResponseRedirect(detail_url, status=303)


# --- the person -------------------------------------------------------------------------------------------------


@never_cache
@require_GET
def person_export(request: HttpRequest, token: str) -> HttpResponse:
    """The person's right of access: what the structures hold about them, as a JSON file (their pathway's link)."""
    pathway = pathway_link.find_by_token(token)
    if pathway is None:
        raise Http404("lien inconnu")
    data = services.person_export(pathway)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-accompagnement.json"'
    response["X-Robots-Tag"] = "noindex"
    return response
