"""The dropout chain's professional pages (/pro/decrochage): the list, a young person's record, the coordinator's
import, assignment and nominative export.

Thin views: who sees what is `spro.dropouts.access` (and `lists.visible`), what is shown and changed is
`spro.dropouts.lists`. A young person the user may not read answers 404, as if unknown; a page for coordinators
answers 403 to anyone else. Every page showing names writes its audit event.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro import audit
from spro.accompaniment import pathway_link
from spro.core import uploads
from spro.directory.models import Structure
from spro.dropouts import access, chain, lists
from spro.dropouts.forms import (
    NO_PARTNER,
    AccompanimentLinkForm,
    AssignForm,
    ContactForm,
    EndSolutionForm,
    FollowUpForm,
    ImportForm,
    ReturnForm,
    ReturnStepForm,
    SituationForm,
    SolutionForm,
)
from spro.dropouts.models import FollowUp, ReturnRequest, Solution, YoungPerson
from spro.dropouts.reading import COLUMNS, ImportRejected
from spro.dropouts.vocabularies import PRIORITY_DESCRIPTIONS, Priority


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request, "dropouts/forbidden.html", {"title": "Accès refusé", "message": message}, status=403
    )


def _person(request: HttpRequest, pk: int) -> YoungPerson:
    """The young person if the user may read them, else 404 (a forged number reveals nothing)."""
    person = YoungPerson.objects.select_related("zone__psad_structure", "partner").filter(pk=pk).first()
    if person is None or not access.can_read(request.user, person):
        raise Http404("jeune inconnu")
    return person


@never_cache
@login_required
@require_GET
def young_people_list(request: HttpRequest) -> HttpResponse:
    ids = lists.member_structure_ids(request.user)
    choices = lists.filter_choices(request.user, ids)
    filters = lists.parse_filters(request.GET, choices)
    page = Paginator(lists.young_people(request.user, filters, ids), lists.PER_PAGE).get_page(
        request.GET.get("page")
    )
    people = list(page.object_list)
    lists.record_list_read(request.user, people, page.number, filters)
    priorities = dict(Priority.choices)
    prefix = reverse("dropouts:list")
    rows = [
        {
            "url": f"{prefix}/jeunes/{p['pk']}",
            "name": f"{p['nom']} {p['prenom']}",
            "pk": p["pk"],
            "birth": p["birth_date"].strftime("%d/%m/%Y"),
            "commune": p["commune"],
            "left": p["left_on"].strftime("%d/%m/%Y"),
            "priority": priorities.get(p["priority"], p["priority"]),
            "zone": p["zone__nom"] or "–",
            "partner": p["partner__nom"] or "–",
        }
        for p in people
    ]
    is_coordinator = (
        bool(ids) and access.coordinated_zones(request.user).exists()
    )  # no query for a non-member
    return render(
        request,
        "dropouts/list.html",
        {
            "title": "Jeunes sortis sans diplôme",
            "page_obj": page,
            "rows": rows,
            "choices": choices,
            "filters": filters,
            "priorities": Priority.choices,
            "query": filters.query(),
            "is_coordinator": is_coordinator,
        },
    )


CHAIN_FORMS: dict[str, type] = {
    "contact": ContactForm,
    "situation": SituationForm,
    "solution": SolutionForm,
    "retour": ReturnForm,
}


def _chain_context(person: YoungPerson, forms: dict) -> dict:
    """The chain's work on the record: its history and a form for each step (a bound one when it was refused)."""
    solutions = list(
        person.solutions.select_related("structure").prefetch_related("follow_ups").order_by("-started_on")
    )
    return {
        "contacts": person.contacts.order_by("-made_on", "-pk"),
        "situations": person.situations.order_by("-found_on", "-pk"),
        "solutions": [
            {
                "solution": s,
                "end_form": forms.get(f"fin-{s.pk}") or EndSolutionForm(prefix=f"fin-{s.pk}"),
                "follow_ups": [
                    {
                        "follow_up": f,
                        "form": forms.get(f"suivi-{f.pk}") or FollowUpForm(prefix=f"suivi-{f.pk}"),
                    }
                    for f in sorted(s.follow_ups.all(), key=lambda f: f.month)
                ],
            }
            for s in solutions
        ],
        "return_requests": [
            {
                "request": r,
                "form": None
                if r.closed_on
                else (forms.get(f"etape-{r.pk}") or ReturnStepForm(prefix=f"etape-{r.pk}")),
            }
            for r in person.return_requests.order_by("-requested_on", "-pk")
        ],
        "accompaniment_links": person.accompaniment_links.select_related("accompaniment__structure").order_by(
            "-pk"
        ),
        "accompagnement_form": forms.get("accompagnement") or AccompanimentLinkForm(prefix="accompagnement"),
        "consent_text": chain.consent_text(),
        **{f"{name}_form": forms.get(name) or form(prefix=name) for name, form in CHAIN_FORMS.items()},
    }


def _record(
    request: HttpRequest,
    person: YoungPerson,
    form: AssignForm | None = None,
    status: int = 200,
    chain_forms: dict | None = None,
):
    access.read_record(request.user, person, "fiche (coordonnées, affectation, fusions, suivi)")
    can_assign = access.can_assign(request.user, person)
    if can_assign and form is None:
        form = AssignForm(
            prefix="affecter",
            structures=lists.partner_choices(person),
            initial={"partenaire": str(person.partner_id or NO_PARTNER), "liste": person.priority},
        )
    context = {
        "title": f"{person.nom} {person.prenom}",
        "person": person,
        "priority_description": PRIORITY_DESCRIPTIONS.get(person.priority, ""),
        "merges": lists.merges_of(person),
        "listings": person.listings.select_related("campaign").order_by("-campaign__code"),
        "assign_form": form if can_assign else None,
        **_chain_context(person, chain_forms or {}),
    }
    return render(request, "dropouts/record.html", context, status=status)


@never_cache
@login_required
@require_GET
def record(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, _person(request, pk))


@never_cache
@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if not access.can_assign(request.user, person):
        return forbidden(request, "Seuls les coordinateurs de la zone affectent ses jeunes.")
    structures = lists.partner_choices(person)
    form = AssignForm(request.POST, prefix="affecter", structures=structures)
    if not form.is_valid():
        return _record(request, person, form, status=400)
    choice = form.cleaned_data["partenaire"]
    partner = None if choice == NO_PARTNER else Structure.objects.filter(pk=int(choice)).first()
    try:
        changed = lists.assign(request.user, person, partner=partner, priority=form.cleaned_data["liste"])
    except lists.AssignError as exc:
        form.add_error(None, str(exc))
        return _record(request, person, form, status=400)
    messages.success(request, "Affectation enregistrée." if changed else "Rien n’a changé.")
    return HttpResponseRedirect(reverse("dropouts:record", args=[person.pk]), status=303)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    if not access.coordinated_zones(request.user).exists():
        return forbidden(request, "Seuls les coordinateurs d’une plateforme importent une liste.")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"title": "Importer une liste", "form": form, "columns": COLUMNS}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = lists.import_upload(
                    request.user,
                    form.cleaned_data["fichier"],
                    form.cleaned_data["campagne"],
                    mapping=form.cleaned_data["correspondance"],
                )
            except uploads.UploadError as exc:
                form.add_error("fichier", str(exc))
            except ImportRejected as exc:
                context["line_errors"] = exc.errors
            else:
                context.update(result=result, campaign=form.cleaned_data["campagne"], form=ImportForm())
                status = 200
    return render(request, "dropouts/import.html", context, status=status)


@never_cache
@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in lists.EXPORT_FORMATS:
        raise Http404("format inconnu")
    try:
        content, _rows = lists.export(request.user, fmt)
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    content_type = (
        "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.oasis.opendocument.spreadsheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="decrochage-liste-nominative.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_POST
def chain_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A contact attempt, a situation, a solution or a « droit au retour » request, through `spro.dropouts.chain`."""
    person = _person(request, pk)
    form_class = CHAIN_FORMS.get(action)
    if form_class is None:
        raise Http404("action inconnue")
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _record(request, person, status=400, chain_forms={action: form})
    data, user = form.cleaned_data, request.user
    try:
        if action == "contact":
            chain.record_contact(
                user, person, channel=data["moyen"], made_on=data["date"], result=data["resultat"]
            )
            done = "Tentative de contact enregistrée."
        elif action == "situation":
            chain.record_situation(user, person, situation=data["situation"], found_on=data["date"])
            done = "Situation enregistrée."
        elif action == "solution":
            chain.record_solution(
                user, person, solution_type=data["type"], started_on=data["date"], label=data["precision"]
            )
            done = "Solution enregistrée : les suivis à 3 et 6 mois sont prévus."
        else:
            chain.request_return(user, person, requested_on=data["date"], channel=data["moyen"])
            done = "Demande de droit au retour en formation enregistrée."
    except chain.ChainError as exc:
        form.add_error(None, str(exc))
        return _record(request, person, status=400, chain_forms={action: form})
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    messages.success(request, done)
    return HttpResponseRedirect(reverse("dropouts:record", args=[person.pk]), status=303)


@never_cache
@login_required
@require_POST
def follow_up_action(request: HttpRequest, pk: int, follow_up_id: int) -> HttpResponse:
    person = _person(request, pk)
    follow_up = (
        FollowUp.objects.select_related("solution").filter(pk=follow_up_id, solution__person=person).first()
    )
    if follow_up is None:
        raise Http404("suivi inconnu")
    prefix = f"suivi-{follow_up.pk}"
    form = FollowUpForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _record(request, person, status=400, chain_forms={prefix: form})
    try:
        chain.record_follow_up(
            request.user, follow_up, done_on=form.cleaned_data["date"], outcome=form.cleaned_data["constat"]
        )
    except chain.ChainError as exc:
        form.add_error(None, str(exc))
        return _record(request, person, status=400, chain_forms={prefix: form})
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    messages.success(request, f"Suivi à {follow_up.month} mois enregistré.")
    return HttpResponseRedirect(reverse("dropouts:record", args=[person.pk]), status=303)


@never_cache
@login_required
@require_GET
def follow_ups(request: HttpRequest) -> HttpResponse:
    """« Suivis à faire »: the follow-ups due and overdue for the user's structures (`chain.follow_ups_due`)."""
    due = chain.follow_ups_due(request.user)
    prefix = reverse("dropouts:list")
    rows = [
        {
            "url": f"{prefix}/jeunes/{d.follow_up.solution.person_id}",
            "name": f"{d.follow_up.solution.person.nom} {d.follow_up.solution.person.prenom}",
            "month": d.follow_up.month,
            "due": d.follow_up.due_on,
            "late": d.days_late,
            "solution": d.follow_up.solution.get_solution_type_display(),
            "structure": d.structure.nom if d.structure else "–",
        }
        for d in due
    ]
    numbers = ",".join(str(d.follow_up.solution.person_id) for d in due)
    detail = f"suivis à faire : {numbers or 'aucun'}"
    audit.record(request.user, "dropout.list", ("dropouts.followup", "suivis"), detail=detail)
    return render(request, "dropouts/follow_ups.html", {"title": "Suivis à faire", "rows": rows})


def _refused(request: HttpRequest, person: YoungPerson, prefix: str, form, message: str) -> HttpResponse:
    form.add_error(None, message)
    return _record(request, person, status=400, chain_forms={prefix: form})


@never_cache
@login_required
@require_POST
def return_step(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """The interview, the offer or the closing of a « droit au retour » request (chain.record_interview, …)."""
    person = _person(request, pk)
    return_request = ReturnRequest.objects.filter(pk=request_id, person=person).first()
    if return_request is None:
        raise Http404("demande inconnue")
    prefix = f"etape-{return_request.pk}"
    form = ReturnStepForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _record(request, person, status=400, chain_forms={prefix: form})
    data, user = form.cleaned_data, request.user
    try:
        if data["etape"] == "entretien":
            chain.record_interview(user, return_request, interview_on=data["date"])
            done = "Entretien enregistré."
        elif data["etape"] == "offre":
            chain.record_offer(user, return_request, offer_on=data["date"], label=data["offre"])
            done = "Offre de formation enregistrée."
        else:
            chain.close_return(user, return_request, closed_on=data["date"], outcome=data["issue"])
            done = "Demande close."
    except chain.ChainError as exc:
        return _refused(request, person, prefix, form, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    messages.success(request, done)
    return HttpResponseRedirect(reverse("dropouts:record", args=[person.pk]), status=303)


@never_cache
@login_required
@require_POST
def end_solution(request: HttpRequest, pk: int, solution_id: int) -> HttpResponse:
    person = _person(request, pk)
    solution = Solution.objects.filter(pk=solution_id, person=person, ended_on__isnull=True).first()
    if solution is None:
        raise Http404("solution inconnue ou déjà terminée")
    prefix = f"fin-{solution.pk}"
    form = EndSolutionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _record(request, person, status=400, chain_forms={prefix: form})
    try:
        chain.end_solution(request.user, solution, ended_on=form.cleaned_data["date"])
    except chain.ChainError as exc:
        return _refused(request, person, prefix, form, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    messages.success(request, "Fin de la solution enregistrée.")
    return HttpResponseRedirect(reverse("dropouts:record", args=[person.pk]), status=303)


@never_cache
@login_required
@require_POST
def link_accompaniment(request: HttpRequest, pk: int) -> HttpResponse:
    """With the young person's consent, an accompaniment and a pathway opened by the acting structure; the
    pathway's private link is shown once, on the accompaniment app's own page, to give the young person."""
    person = _person(request, pk)
    prefix = "accompagnement"
    form = AccompanimentLinkForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _record(request, person, status=400, chain_forms={prefix: form})
    try:
        linked = chain.link_accompaniment(
            request.user, person, consent=form.cleaned_data["accord"], goal_label=form.cleaned_data["projet"]
        )
    except chain.ChainError as exc:
        return _refused(request, person, prefix, form, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    accompaniment = linked.link.accompaniment
    if not linked.pathway_token:
        messages.success(request, "Accompagnement ouvert.")
        return HttpResponseRedirect(reverse("dropouts:record", args=[person.pk]), status=303)
    link = request.build_absolute_uri(pathway_link.person_url(linked.pathway_token))
    return render(
        request,
        "accompaniment/pro_opened.html",
        {"title": "Accompagnement ouvert", "accompaniment": accompaniment, "link": link},
    )
