"""Pages of the shared action plan: the list of plans, the editor (one small form per item, no JavaScript), the
versions with their approvals and publication, the downloads (annex PDF/ODT, open data CSV/JSON), and the public
page of the published version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro import audit
from spro.actionplan import access, exports, forms, plans
from spro.actionplan.models import (
    Action,
    ActionPlan,
    Axis,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Objective,
    Pilot,
    PlanVersion,
)
from spro.core.documents import document_response
from spro.referentials.geo.models import Region


@dataclass(frozen=True)
class ItemKind:
    """One kind of item of the editor: its model, its form, the model and field of its parent, its French names."""

    model: type[Model]
    form: type
    parent_model: type[Model]
    parent_field: str
    label: str  # « un axe »
    noun: str  # « l’axe »


KINDS: dict[str, ItemKind] = {
    "axe": ItemKind(Axis, forms.AxisForm, ActionPlan, "plan", "un axe", "l’axe"),
    "objectif": ItemKind(Objective, forms.ObjectiveForm, Axis, "axis", "un objectif", "l’objectif"),
    "action": ItemKind(Action, forms.ActionForm, Objective, "objective", "une action", "l’action"),
    "pilote": ItemKind(Pilot, forms.PilotForm, Action, "action", "un pilote", "le pilote"),
    "indicateur": ItemKind(Indicator, forms.IndicatorForm, Action, "action", "un indicateur", "l’indicateur"),
    "cible": ItemKind(
        IndicatorTarget, forms.TargetForm, Indicator, "indicator", "une cible annuelle", "la cible"
    ),
    "valeur": ItemKind(
        IndicatorValue, forms.ValueForm, Indicator, "indicator", "une valeur mesurée", "la valeur"
    ),
}

# The path from each model up to its plan, as a lookup.
PLAN_LOOKUP = {
    Axis: "plan",
    Objective: "axis__plan",
    Action: "objective__axis__plan",
    Pilot: "action__objective__axis__plan",
    Indicator: "action__objective__axis__plan",
    IndicatorTarget: "indicator__action__objective__axis__plan",
    IndicatorValue: "indicator__action__objective__axis__plan",
}


def _plan(request: HttpRequest, plan_id: int, *, edit: bool = False) -> ActionPlan:
    """The plan if the user reads it (404 otherwise, as if it did not exist); 403 to edit without the right."""
    plan = ActionPlan.objects.select_related("region").filter(pk=plan_id).first()
    if plan is None or not access.can_read_plan(request.user, plan):
        raise Http404("plan inconnu")
    if edit and not access.can_edit_plan(request.user, plan):
        raise PermissionDenied("Seule l’équipe SPRO de la Région modifie le plan.")
    return plan


def _in_plan(model: type[Model], pk: int, plan: ActionPlan) -> Model:
    if model is ActionPlan:
        return plan if pk == plan.pk else _not_found()
    found = model._default_manager.filter(pk=pk, **{PLAN_LOOKUP[model]: plan}).first()
    if found is None:
        raise Http404("élément inconnu")
    return found


def _not_found():
    raise Http404("élément inconnu")


def _version(request: HttpRequest, version_id: int) -> PlanVersion:
    version = PlanVersion.objects.select_related("plan__region", "created_by").filter(pk=version_id).first()
    if version is None or not access.can_read_plan(request.user, version.plan):
        raise Http404("version inconnue")
    return version


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    regions = access.editable_regions(request.user)
    can_create = regions.exists()
    form = None
    if can_create:
        form = forms.PlanForm(request.POST or None, regions=regions)
        if request.method == "POST" and form.is_valid():
            plan = form.save()
            audit.record(request.user, "actionplan.create", plan, detail=plan.title[:500])
            messages.success(request, "Le plan d’action a été créé.")
            return HttpResponseRedirect(reverse("actionplan:plan", args=[plan.pk]))
    elif request.method == "POST":
        raise PermissionDenied("Vous ne pouvez pas créer de plan d’action.")
    plan_rows = [
        {
            "plan": plan,
            "published": plans.published_version(plan),
            "last": plan.versions.order_by("-number").first(),
        }
        for plan in access.visible_plans(request.user)
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "actionplan/plan_list.html",
        {"title": "Plan d’action partagé", "rows": plan_rows, "form": form},
        status=status,
    )


@never_cache
@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    snapshot = plans.build_snapshot(plan)
    return render(
        request,
        "actionplan/plan_detail.html",
        {
            "title": plan.title,
            "plan": plan,
            "tree": plans.plan_tree(plan),
            "can_edit": access.can_edit_plan(request.user, plan),
            "versions": plan.versions.order_by("-number"),
            "unsaved": _differs_from_last_version(plan, snapshot),
        },
    )


def _differs_from_last_version(plan: ActionPlan, snapshot: dict) -> bool:
    last = plan.versions.order_by("-number").first()
    return last is None or last.sha256 != plans.checksum(snapshot)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, edit=True)
    form = forms.PlanEditForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le plan a été mis à jour.")
        return HttpResponseRedirect(reverse("actionplan:plan", args=[plan.pk]))
    return render(
        request,
        "actionplan/item_form.html",
        {"title": "Modifier le plan", "plan": plan, "form": form, "submit": "Enregistrer"},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, plan_id: int, kind: str, parent_id: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("élément inconnu")
    plan = _plan(request, plan_id, edit=True)
    spec = KINDS[kind]
    parent = _in_plan(spec.parent_model, parent_id, plan)
    instance = spec.model(**{spec.parent_field: parent})
    form = spec.form(request.POST or None, instance=instance, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error(None, "Cet élément existe déjà : modifiez-le plutôt.")
        else:
            messages.success(request, f"{spec.label[0].upper()}{spec.label[1:]} a été ajouté·e au plan.")
            return HttpResponseRedirect(reverse("actionplan:plan", args=[plan.pk]) + f"#{_anchor(parent)}")
    return render(
        request,
        "actionplan/item_form.html",
        {"title": f"Ajouter {spec.label}", "plan": plan, "form": form, "parent": parent, "submit": "Ajouter"},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, plan_id: int, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("élément inconnu")
    plan = _plan(request, plan_id, edit=True)
    spec = KINDS[kind]
    item = _in_plan(spec.model, pk, plan)
    parent = getattr(item, spec.parent_field)
    if request.method == "POST" and request.POST.get("supprimer"):
        item.delete()
        messages.success(request, f"Suppression de {spec.noun} faite.")
        return HttpResponseRedirect(reverse("actionplan:plan", args=[plan.pk]))
    form = spec.form(request.POST or None, instance=item, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error(None, "Cette modification crée un doublon : vérifiez le numéro ou l’année.")
        else:
            messages.success(request, "La modification a été enregistrée.")
            return HttpResponseRedirect(reverse("actionplan:plan", args=[plan.pk]) + f"#{_anchor(item)}")
    return render(
        request,
        "actionplan/item_form.html",
        {
            "title": f"Modifier {spec.noun}",
            "plan": plan,
            "form": form,
            "item": item,
            "can_delete": True,
            "submit": "Enregistrer",
        },
        status=400 if request.method == "POST" else 200,
    )


def _anchor(item: Model) -> str:
    return f"{item._meta.model_name}-{item.pk}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, plan_id: int, pk: int) -> HttpResponse:
    plan = _plan(request, plan_id, edit=True)
    action = cast(Action, _in_plan(Action, pk, plan))
    form = forms.ProgressForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plans.update_progress(
            action, request.user, data["status"], data["progress"], data["progress_comment"]
        )
        messages.success(request, "L’avancement de l’action a été enregistré.")
        return HttpResponseRedirect(reverse("actionplan:plan", args=[plan.pk]) + f"#action-{action.pk}")
    return render(
        request,
        "actionplan/item_form.html",
        {
            "title": f"Avancement de l’action {action.code}",
            "plan": plan,
            "form": form,
            "item": action,
            "submit": "Enregistrer l’avancement",
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def versions(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    can_edit = access.can_edit_plan(request.user, plan)
    form = forms.VersionForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Seule l’équipe SPRO de la Région enregistre une version.")
        if form.is_valid():
            try:
                version = plans.record_version(plan, request.user, form.cleaned_data["note"])
            except plans.PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"La version {version.number} du plan a été enregistrée et figée.")
                return HttpResponseRedirect(reverse("actionplan:version", args=[version.pk]))
    return render(
        request,
        "actionplan/versions.html",
        {
            "title": f"Versions – {plan.title}",
            "plan": plan,
            "versions": plan.versions.order_by("-number").prefetch_related("approvals"),
            "form": form if can_edit else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_GET
def version_detail(
    request: HttpRequest, version_id: int, approval_form=None, status: int = 200
) -> HttpResponse:
    version = _version(request, version_id)
    plan = version.plan
    parties = access.approval_parties(request.user, plan)
    done = {(a.party_kind, a.party_label) for a in version.approvals.all()}
    pending = [p for p in parties if (p.kind, p.label) not in done]
    return render(
        request,
        "actionplan/version_detail.html",
        {
            "title": f"{plan.title} – version {version.number}",
            "plan": plan,
            "version": version,
            "snapshot": version.snapshot,
            "approvals": version.approvals.select_related("user"),
            "approval_form": approval_form or (forms.ApprovalForm(parties=pending) if pending else None),
            "can_publish": access.can_edit_plan(request.user, plan) and version.published_at is None,
            "state_approved": plans.state_approved(version),
            "is_latest": not plan.versions.filter(number__gt=version.number).exists(),
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def approve(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    parties = access.approval_parties(request.user, version.plan)
    if not parties:
        raise PermissionDenied("Vous ne représentez aucune partie qui approuve ce plan.")
    form = forms.ApprovalForm(request.POST, parties=parties)
    if form.is_valid():
        try:
            plans.approve(version, request.user, form.cleaned_data["party"], form.cleaned_data["comment"])
        except plans.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Votre approbation de la version {version.number} a été enregistrée.")
            return HttpResponseRedirect(reverse("actionplan:version", args=[version.pk]))
    request.method = "GET"
    return version_detail(request, version_id, approval_form=form, status=400)


@never_cache
@login_required
@require_POST
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    if not access.can_edit_plan(request.user, version.plan):
        raise PermissionDenied("Seule l’équipe SPRO de la Région publie une version.")
    try:
        plans.publish(version, request.user)
    except plans.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"La version {version.number} est publiée.")
    return HttpResponseRedirect(reverse("actionplan:version", args=[version.pk]))


DOWNLOADS = {"annexe.pdf", "annexe.odt", "actions.csv", "indicateurs.csv", "plan.json"}


def _download(version: PlanVersion, name: str) -> HttpResponse:
    region = version.plan.region_id
    stem = f"plan-action-spro-{region}-v{version.number}"
    if name == "annexe.pdf":
        return document_response(exports.annex_document(version), "pdf", f"{stem}-annexe")
    if name == "annexe.odt":
        return document_response(exports.annex_document(version), "odt", f"{stem}-annexe")
    if name == "actions.csv":
        content, content_type = exports.actions_csv(version), "text/csv; charset=utf-8"
    elif name == "indicateurs.csv":
        content, content_type = exports.indicators_csv(version), "text/csv; charset=utf-8"
    else:
        content, content_type = exports.plan_json(version), "application/json; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_GET
def version_download(request: HttpRequest, version_id: int, name: str) -> HttpResponse:
    if name not in DOWNLOADS:
        raise Http404("format inconnu")
    return _download(_version(request, version_id), name)


def _public_version(region_code: str) -> PlanVersion:
    region = Region.objects.filter(pk=region_code).first()
    if region is None:
        raise Http404("région inconnue")
    version = (
        PlanVersion.objects.filter(plan__region=region, published_at__isnull=False)
        .select_related("plan__region")
        .order_by("-plan__start_year", "-number")
        .first()
    )
    if version is None:
        raise Http404("aucun plan publié pour cette région")
    return version


@require_GET
def public_plan(request: HttpRequest, region_code: str) -> HttpResponse:
    version = _public_version(region_code)
    return render(
        request,
        "actionplan/public_plan.html",
        {
            "title": f"Plan d’action partagé du SPRO – {version.plan.region.nom}",
            "version": version,
            "plan": version.plan,
            "snapshot": version.snapshot,
            "approvals": version.approvals.all(),
        },
    )


@require_GET
def public_download(request: HttpRequest, region_code: str, name: str) -> HttpResponse:
    if name not in DOWNLOADS:
        raise Http404("format inconnu")
    return _download(_public_version(region_code), name)
