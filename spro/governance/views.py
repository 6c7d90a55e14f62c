"""Pages of the conventions (pro), of the network's charter (pro) and of the network (public `/reseau`).

Thin views: the rules are in `access` (who), `services` (what, audited), `calendar` (dates), `network` (the public
list and its open data). A page a user has no right to answers 403; an object id that does not exist 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro.core import ics, uploads
from spro.governance import access, alerts, network, services
from spro.governance.forms import (
    AmendmentForm,
    CharterForm,
    ConventionForm,
    DocumentForm,
    MemberForm,
    NoticeForm,
    ReseauFilterForm,
    SignForm,
)
from spro.governance.models import (
    Amendment,
    Charter,
    Convention,
    ConventionDocument,
    NetworkMember,
    Party,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Vous n’avez pas accès à cette page.")


def _validation_messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- Conventions -------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def convention_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_view_conventions(request.user))
    rows = []
    for convention in Convention.objects.select_related("parent", "termination_notice").order_by(
        "kind", "title", "pk"
    ):
        rows.append({"convention": convention, "life": convention.life(), "status": convention.status()})
    return render(
        request,
        "governance/convention_list.html",
        {
            "title": "Conventions du SPRO",
            "rows": rows,
            "can_edit": access.can_edit_conventions(request.user),
            "feed_token": request.session.pop("governance_feed_token", None),
        },
    )


FORM_FIELDS = ("kind", "parent", "title", "network", "structure", "signed_on", "effective_on", "cprdfop_end")


def _convention_form_page(request: HttpRequest, convention: Convention | None) -> HttpResponse:
    _require(access.can_edit_conventions(request.user))
    initial: dict = {}
    if convention is not None:
        initial = {name: getattr(convention, name) for name in FORM_FIELDS}
        initial["structure"] = convention.structure.di_id if convention.structure else ""
        for number, existing in enumerate(convention.parties.all()[:2], start=1):
            initial[f"party_{number}"] = existing.organisation
            initial[f"role_{number}"] = existing.signatory_role
            initial[f"name_{number}"] = existing.signatory_name
    form = ConventionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = convention or Convention()
        for name in FORM_FIELDS:
            setattr(target, name, data[name])
        try:
            with transaction.atomic():
                services.save_convention(request.user, target)
                target.parties.all().delete()
                for number in (1, 2):
                    if data[f"party_{number}"]:
                        Party.objects.create(
                            convention=target,
                            organisation=data[f"party_{number}"],
                            signatory_role=data[f"role_{number}"],
                            signatory_name=data[f"name_{number}"],
                        )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, "La convention est enregistrée.")
            return HttpResponseRedirect(reverse("governance:convention", args=[target.pk]))
    title = "Enregistrer une convention" if convention is None else f"Modifier : {convention.title}"
    action = (
        reverse("governance:convention-create")
        if convention is None
        else reverse("governance:convention-edit", args=[convention.pk])
    )
    return render(
        request,
        "governance/convention_form.html",
        {"title": title, "form": form, "action": action, "edited": convention, "in_conventions": True},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def convention_create(request: HttpRequest) -> HttpResponse:
    return _convention_form_page(request, None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def convention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_edit_conventions(request.user))
    return _convention_form_page(request, _convention(pk))


def _convention(pk: int) -> Convention:
    return get_object_or_404(Convention.objects.select_related("parent", "structure"), pk=pk)


def _detail_context(request: HttpRequest, convention: Convention, **forms) -> dict:
    life = convention.life()
    notice_limit = (
        services.latest_notice_to_avoid(life.next_renewal) if life is not None and life.next_renewal else None
    )
    context = {
        "title": convention.title,
        "convention": convention,
        "life": life,
        "current_period": life.current_period() if life else None,
        "status": convention.status(),
        "notice": convention.notice(),
        "notice_limit": notice_limit,
        "parties": convention.parties.all(),
        "amendments": convention.amendments.all(),
        "documents": convention.documents.select_related("amendment", "uploaded_by"),
        "children": convention.children.all(),
        "can_edit": access.can_edit_conventions(request.user),
        "amendment_form": AmendmentForm(initial={"number": services.next_amendment_number(convention)}),
        "document_form": DocumentForm(convention=convention),
        "notice_form": NoticeForm(),
    }
    context.update(forms)
    return context


@never_cache
@login_required
@require_GET
def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_view_conventions(request.user))
    convention = _convention(pk)
    return render(request, "governance/convention_detail.html", _detail_context(request, convention))


@never_cache
@login_required
@require_POST
def convention_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(access.can_edit_conventions(request.user))
    convention = _convention(pk)
    detail = reverse("governance:convention", args=[convention.pk])
    if action == "avenant":
        form: AmendmentForm | DocumentForm | NoticeForm = AmendmentForm(request.POST)
        if form.is_valid():
            try:
                services.record_amendment(request.user, convention, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("number", _validation_messages(error))
            else:
                messages.success(request, f"L’avenant n° {form.cleaned_data['number']} est enregistré.")
                return HttpResponseRedirect(detail + "#avenants")
        context = _detail_context(request, convention, amendment_form=form)
    elif action == "document":
        form = DocumentForm(request.POST, request.FILES, convention=convention)
        if form.is_valid():
            amendment = None
            if form.cleaned_data["amendment"]:
                amendment = get_object_or_404(
                    Amendment, pk=form.cleaned_data["amendment"], convention=convention
                )
            try:
                document = services.add_document(
                    request.user, convention, form.cleaned_data["file"], form.cleaned_data["title"], amendment
                )
            except uploads.UploadError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, f"Le texte est déposé (version {document.version}).")
                return HttpResponseRedirect(detail + "#textes")
        context = _detail_context(request, convention, document_form=form)
    elif action == "denonciation":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                services.record_notice(request.user, convention, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("sent_on", _validation_messages(error))
            else:
                messages.success(request, "La dénonciation est enregistrée : la date de fin est recalculée.")
                return HttpResponseRedirect(detail)
        context = _detail_context(request, convention, notice_form=form)
    else:
        raise Http404("action inconnue")
    return render(request, "governance/convention_detail.html", context, status=400)


@never_cache
@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_download_convention_document(request.user))
    document = get_object_or_404(ConventionDocument, pk=pk)
    return services.document_response(request.user, document)


# --- Calendar feed ------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    _require(access.can_view_conventions(request.user))
    return ics.ics_response(alerts.calendar_events(), "Conventions du SPRO", "conventions-spro.ics")


@never_cache
@require_GET
def calendar_feed_private(request: HttpRequest, token: str) -> HttpResponse:
    if services.feed_user(token) is None:
        raise Http404("adresse inconnue")
    return ics.ics_response(alerts.calendar_events(), "Conventions du SPRO", "conventions-spro.ics")


@never_cache
@login_required
@require_POST
def calendar_feed_token(request: HttpRequest) -> HttpResponse:
    _require(access.can_view_conventions(request.user))
    token = services.new_feed_token(request.user)
    request.session["governance_feed_token"] = request.build_absolute_uri(
        reverse("governance:calendar-private", args=[token])
    )
    messages.success(request, "Votre adresse privée d’abonnement est créée ; l’ancienne ne fonctionne plus.")
    return HttpResponseRedirect(reverse("governance:conventions") + "#calendrier")


# --- The charter and the network (pro) ----------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def charter_overview(request: HttpRequest) -> HttpResponse:
    can_view = access.can_view_signatures(request.user)
    signing = list(access.structures_signing_for(request.user))
    _require(can_view or bool(signing))
    return render(request, "governance/charter.html", _charter_context(request, can_view, signing))


def _charter_context(request: HttpRequest, can_view: bool, signing: list, **forms) -> dict:
    current = Charter.current()
    own = []
    for structure in signing:
        member = NetworkMember.objects.get(structure=structure)
        signed = current is not None and member.signatures.filter(charter=current).first()
        own.append({"member": member, "signature": signed or None})
    context = {
        "title": "Charte du réseau des acteurs du SPRO",
        "charter_current": current,
        "charters": Charter.objects.all() if can_view else [],
        "unsigned": list(services.members_without_signature(current)) if can_view and current else [],
        "members": list(services.current_members().order_by("structure__nom")) if can_view else [],
        "own": own,
        "can_manage": access.can_manage_charter(request.user),
        "charter_form": CharterForm(),
        "member_form": MemberForm(),
        "sign_form": SignForm(),
    }
    context.update(forms)
    return context


@never_cache
@login_required
@require_POST
def charter_action(request: HttpRequest, action: str) -> HttpResponse:
    can_view = access.can_view_signatures(request.user)
    signing = list(access.structures_signing_for(request.user))
    overview = reverse("governance:charter")
    if action == "publier":
        _require(access.can_manage_charter(request.user))
        form: CharterForm | MemberForm = CharterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                charter = services.publish_charter(
                    request.user,
                    form.cleaned_data["text"],
                    form.cleaned_data["title"],
                    form.cleaned_data["file"],
                )
            except uploads.UploadError as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request,
                    f"La version {charter.version} est publiée : chaque membre doit la signer à nouveau.",
                )
                return HttpResponseRedirect(overview)
        context = _charter_context(request, can_view, signing, charter_form=form)
    elif action == "membre":
        _require(access.can_manage_charter(request.user))
        form = MemberForm(request.POST)
        if form.is_valid():
            member = NetworkMember(**form.cleaned_data)
            services.save_member(request.user, member)
            messages.success(request, f"{member.structure.nom} est membre du réseau.")
            return HttpResponseRedirect(overview + "#membres")
        context = _charter_context(request, can_view, signing, member_form=form)
    else:
        raise Http404("action inconnue")
    return render(request, "governance/charter.html", context, status=400)


@never_cache
@login_required
@require_POST
def charter_sign(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_object_or_404(NetworkMember.objects.select_related("structure"), pk=member_pk)
    _require(access.can_sign_charter(request.user, member))
    current = Charter.current()
    if current is None:
        raise Http404("aucune charte publiée")
    form = SignForm(request.POST)
    if form.is_valid():
        services.sign_charter(request.user, member, current)
        messages.success(
            request, f"La charte (version {current.version}) est signée pour {member.structure.nom}. Merci."
        )
        return HttpResponseRedirect(reverse("governance:charter"))
    signing = list(access.structures_signing_for(request.user))
    context = _charter_context(request, access.can_view_signatures(request.user), signing, sign_form=form)
    return render(request, "governance/charter.html", context, status=400)


# --- Public -------------------------------------------------------------------------------------------------------


@require_GET
def reseau(request: HttpRequest) -> HttpResponse:
    form = ReseauFilterForm(request.GET or None)
    territories = network.territory_choices()
    networks = network.network_choices()
    form.fields["territoire"].choices = [("", "Tous les départements"), *territories]  # type: ignore[attr-defined]
    form.fields["reseau"].choices = [("", "Tous les réseaux"), *networks]  # type: ignore[attr-defined]
    departement = request.GET.get("territoire", "")
    network_code = request.GET.get("reseau", "")
    departement = departement if departement in dict(territories) else ""
    network_code = network_code if network_code in dict(networks) else ""
    rows = network.members(departement=departement, network=network_code)
    groups = [
        {
            "label": group.label,
            "networks": [
                {
                    "label": network_group.label,
                    "members": [
                        {"member": m, "signature": network.last_signature(m)} for m in network_group.members
                    ],
                }
                for network_group in group.networks
            ],
        }
        for group in network.by_territory(rows)
    ]
    return render(
        request,
        "governance/reseau.html",
        {
            "title": "Le réseau des acteurs du SPRO",
            "form": form,
            "groups": groups,
            "count": len(rows),
            "filtered": bool(departement or network_code),
            "charter_current": Charter.current(),
        },
    )


@require_GET
def reseau_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(network.open_data_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reseau-spro.csv"'
    return response


@require_GET
def reseau_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(network.open_data_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reseau-spro.json"'
    return response


@require_GET
def charter_document(request: HttpRequest, version: int) -> HttpResponse:
    charter = get_object_or_404(Charter, version=version)
    if not charter.document_path:
        raise Http404("pas de document pour cette version")
    return services.charter_document_response(charter)
