"""Pages of the bodies (CREFOP and its commissions): the bodies of the user's régions, a body's sessions, one
session (agenda, documents, attendance, decisions and their follow-up actions), the documents' downloads after
the permission check, and « Suivi des décisions » (follow-up actions not done yet, overdue first)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro import audit
from spro.actionplan import access, bodies, forms
from spro.actionplan.models import (
    ActionPlan,
    Body,
    Decision,
    FollowUp,
    FollowUpStatus,
    Session,
    SessionDocument,
)
from spro.core import uploads


def _body(request: HttpRequest, body_id: int) -> Body:
    body = Body.objects.select_related("region", "parent").filter(pk=body_id).first()
    if body is None or not access.can_read_bodies(request.user, body.region_id):
        raise Http404("instance inconnue")
    return body


def _session(request: HttpRequest, session_id: int, *, edit: bool = False) -> Session:
    session = Session.objects.select_related("body__region").filter(pk=session_id).first()
    if session is None or not access.can_read_bodies(request.user, session.body.region_id):
        raise Http404("séance inconnue")
    if edit and not access.can_edit_bodies(request.user, session.body.region_id):
        raise PermissionDenied("Seuls les pilotes Région et État de la région tiennent les séances.")
    return session


def current_plan(region_id: str) -> ActionPlan | None:
    """The plan the follow-up actions of the région's bodies are linked to: its most recent one."""
    return ActionPlan.objects.filter(region_id=region_id).order_by("-start_year", "-pk").first()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def body_list(request: HttpRequest) -> HttpResponse:
    regions = access.body_editable_regions(request.user)
    form = forms.BodyForm(request.POST or None, regions=regions) if regions.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Vous ne pouvez pas créer d’instance.")
        if form.is_valid():
            body = form.save()
            audit.record(request.user, "crefop.body", body, detail=body.name[:500])
            messages.success(request, f"L’instance « {body.name} » a été créée.")
            return HttpResponseRedirect(reverse("actionplan:body", args=[body.pk]))
    return render(
        request,
        "actionplan/body_list.html",
        {"title": "CREFOP et commissions", "bodies": access.visible_bodies(request.user), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def body_detail(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _body(request, body_id)
    can_edit = access.can_edit_bodies(request.user, body.region_id)
    form = forms.SessionForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Seuls les pilotes Région et État de la région tiennent les séances.")
        if form.is_valid():
            data = form.cleaned_data
            session = bodies.create_session(
                body,
                request.user,
                form.when(),
                data["place"],
                bodies.agenda_lines(data["agenda"]),
                data["notes"],
            )
            messages.success(request, "La séance a été enregistrée.")
            return HttpResponseRedirect(reverse("actionplan:session", args=[session.pk]))
    return render(
        request,
        "actionplan/body_detail.html",
        {
            "title": body.name,
            "body": body,
            "sessions": body.sessions.all(),
            "children": body.children.all(),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _session_page(request: HttpRequest, session: Session, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    can_edit = access.can_edit_bodies(request.user, session.body.region_id)
    plan = current_plan(session.body.region_id)
    decisions = list(session.decisions.prefetch_related("follow_ups__action__objective__axis"))
    context = {
        "title": str(session),
        "session": session,
        "body": session.body,
        "agenda": session.agenda.all(),
        "documents": session.documents.all(),
        "attendance": session.attendance.all(),
        "decisions": decisions,
        "plan": plan,
        "can_edit": can_edit,
        "today": timezone.localdate(),
    }
    if can_edit:
        context.update(
            {
                "document_form": bound.get("document") or forms.DocumentForm(prefix="document"),
                "attendance_form": bound.get("attendance")
                or forms.AttendanceForm(prefix="presence", region=session.body.region_id),
                "decision_form": bound.get("decision") or forms.DecisionForm(prefix="decision", plan=plan),
                "follow_up_forms": {
                    d.pk: bound.get(f"follow_up-{d.pk}")
                    or forms.FollowUpForm(prefix=f"suivi-{d.pk}", plan=plan)
                    for d in decisions
                },
            }
        )
    return render(request, "actionplan/session_detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    audit.record(request.user, "crefop.session.view", session, detail="séance (présences, documents)")
    return _session_page(request, session)


@never_cache
@login_required
@require_POST
def session_document(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id, edit=True)
    form = forms.DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        data = form.cleaned_data
        try:
            bodies.add_document(session, request.user, data["file"], data["nature"], data["title"])
        except uploads.UploadError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, "Le document a été déposé.")
            return HttpResponseRedirect(reverse("actionplan:session", args=[session.pk]) + "#documents")
    return _session_page(request, session, {"document": form}, status=400)


@never_cache
@login_required
@require_POST
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id, edit=True)
    form = forms.AttendanceForm(request.POST, prefix="presence", region=session.body.region_id)
    if form.is_valid():
        data = form.cleaned_data
        bodies.record_attendance(
            session,
            request.user,
            data["member_role"],
            data["organisation"],
            data["presence"],
            data["name"],
            member=data["user"],
        )
        messages.success(request, "La présence a été enregistrée.")
        return HttpResponseRedirect(reverse("actionplan:session", args=[session.pk]) + "#presences")
    return _session_page(request, session, {"attendance": form}, status=400)


@never_cache
@login_required
@require_POST
def session_decision(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id, edit=True)
    plan = current_plan(session.body.region_id)
    form = forms.DecisionForm(request.POST, prefix="decision", plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            decision = bodies.add_decision(session, request.user, data["text"])
            if data["follow_up_title"].strip() and plan is not None:
                bodies.add_follow_up(
                    decision,
                    request.user,
                    plan,
                    data["follow_up_title"],
                    data["owner"],
                    data["due_date"],
                    form.chosen_action(),
                )
        messages.success(request, f"La décision n° {decision.number} a été enregistrée.")
        return HttpResponseRedirect(reverse("actionplan:session", args=[session.pk]) + "#decisions")
    return _session_page(request, session, {"decision": form}, status=400)


@never_cache
@login_required
@require_POST
def decision_follow_up(request: HttpRequest, session_id: int, decision_id: int) -> HttpResponse:
    session = _session(request, session_id, edit=True)
    decision = Decision.objects.filter(pk=decision_id, session=session).first()
    if decision is None:
        raise Http404("décision inconnue")
    plan = current_plan(session.body.region_id)
    form = forms.FollowUpForm(request.POST, prefix=f"suivi-{decision.pk}", plan=plan)
    if form.is_valid() and plan is not None:
        data = form.cleaned_data
        bodies.add_follow_up(
            decision,
            request.user,
            plan,
            data["follow_up_title"],
            data["owner"],
            data["due_date"],
            form.chosen_action(),
        )
        messages.success(request, f"L’action de suivi de la décision n° {decision.number} a été ajoutée.")
        return HttpResponseRedirect(
            reverse("actionplan:session", args=[session.pk]) + f"#decision-{decision.pk}"
        )
    return _session_page(request, session, {f"follow_up-{decision.pk}": form}, status=400)


@never_cache
@login_required
@require_GET
def document_download(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = SessionDocument.objects.select_related("session__body").filter(pk=document_id).first()
    if document is None or not access.can_read_bodies(request.user, document.session.body.region_id):
        raise Http404("document inconnu")
    audit.record(request.user, "crefop.document.view", document, detail=document.title)
    return uploads.attachment_response(
        document.path, document.original_name, document.content_type, allowed=True
    )


@never_cache
@login_required
@require_GET
def follow_ups(request: HttpRequest) -> HttpResponse:
    rows = list(bodies.open_follow_ups(request.user))
    editable = set(access.body_editable_regions(request.user).values_list("pk", flat=True))
    return render(
        request,
        "actionplan/follow_ups.html",
        {
            "title": "Suivi des décisions",
            "rows": rows,
            "overdue": sum(1 for r in rows if getattr(r, "overdue", False)),
            "editable": editable,
            "statuses": FollowUpStatus.choices,
        },
    )


@never_cache
@login_required
@require_POST
def follow_up_status(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = FollowUp.objects.select_related("plan").filter(pk=follow_up_id).first()
    if follow_up is None or not access.can_read_bodies(request.user, follow_up.plan.region_id):
        raise Http404("action de suivi inconnue")
    if not access.can_edit_bodies(request.user, follow_up.plan.region_id):
        raise PermissionDenied("Seuls les pilotes Région et État de la région mettent à jour le suivi.")
    form = forms.FollowUpStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un état dans la liste.")
        return HttpResponseRedirect(reverse("actionplan:follow-ups"))
    bodies.set_follow_up_status(
        follow_up, request.user, form.cleaned_data["status"], form.cleaned_data["comment"]
    )
    messages.success(request, f"« {follow_up.title} » : {follow_up.get_status_display()}.")
    return HttpResponseRedirect(reverse("actionplan:follow-ups"))
