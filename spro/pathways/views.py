"""The person's pages of « Mon parcours »: keep a pathway, read and edit it behind its private link, answer the
proposals, share and withdraw, download (PDF, JSON, ICS), delete, renew the link.

No account, no JavaScript: server-rendered forms, CSRF on every POST, a per-client limit on creations
(`SPRO_PATHWAY_RATE_LIMIT`, default 20 per hour). An unknown, malformed or revoked link answers 404; forged input
answers 400 with a French message, and writes nothing. The domain logic is in `services.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro import audit
from spro.aides.catalogue import load as load_aides
from spro.core import codes
from spro.core.documents import document_response
from spro.core.ics import ics_response
from spro.core.ratelimit import rate_limited
from spro.directory.models import Structure
from spro.pathways import exports, retention, services
from spro.pathways.catalogue import load as load_catalogue
from spro.pathways.models import Action, Objective, Pathway, PathwayShare
from spro.pathways.services import PERSON, ActionFields, PathwayError
from spro.pathways.vocabularies import ActionStatus, GoalKind, ObjectiveStatus, ProposalState, SharedPart
from spro.referentials.rome.models import FicheMetier
from spro.referrals import services as referral_services
from spro.referrals.vocabularies import AppointmentChannel

RATE_SETTING, RATE_DEFAULT = "SPRO_PATHWAY_RATE_LIMIT", "20/hour"
MAX_STRUCTURE_RESULTS = 20


class Shown:
    """A model instance with display-only values for a template (`axe_label`, `kept_actions`…): reads its own
    values first, then the instance's (fields, methods such as `get_status_display`)."""

    def __init__(self, instance: Any, **values: Any) -> None:
        self.instance = instance
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = (
        "same-origin"  # the token never leaves in a Referer; same-origin POSTs keep their Origin (CSRF)
    )
    return response


def _bad_request(message: str) -> HttpResponse:
    return _private(HttpResponse(message, status=400, content_type="text/plain; charset=utf-8"))


def _pathway(token: str) -> Pathway:
    pathway = services.find_by_token(token)
    if pathway is None:
        raise Http404("parcours inconnu")
    return pathway


def _page(token: str) -> str:
    return reverse("pathways:parcours", args=[token])


def _rome_label(code: str) -> str:
    label = FicheMetier.objects.filter(code_rome=code).values_list("libelle", flat=True).first()
    if label is None:
        raise PathwayError("métier inconnu")
    return label


# --- keeping a pathway --------------------------------------------------------------------------------------------


@never_cache
@require_GET
def new(request: HttpRequest) -> HttpResponse:
    """The form to start a pathway from scratch (the other origins post to `keep` from their own pages)."""
    return _private(
        render(request, "pathways/new.html", {"title": "Commencer mon parcours", "GoalKind": GoalKind})
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited(RATE_SETTING, RATE_DEFAULT, "pathways-keep", methods=("POST",))
def keep(request: HttpRequest) -> HttpResponse:
    """Create a pathway from a first answer, an exploration result, a referral's follow page, or from scratch;
    redirect to its private page (303).

    GET (the explorer's results, which set no cookie at all: docs/explorer.md) shows the same form on a page of its
    own, so that the CSRF cookie is set only once the person has chosen to keep a métier."""
    if request.method != "POST":
        return _keep_confirmation(request)
    origin = request.POST.get("origine", "")
    rome = request.POST.get("rome", "").strip()
    try:
        if origin == "answer":
            besoins = request.POST.getlist("besoins")[:20]
            pathway, token = services.create_from_answer(
                goal_label=request.POST.get("libelle", "")[:300] or "Mon projet",
                rome_code=rome,
                rome_label=_rome_label(rome) if rome else "",
                besoins=besoins,
            )
        elif origin == "explorer":
            pathway, token = services.create_from_explorer(rome_code=rome, rome_label=_rome_label(rome))
        elif origin == "referral":
            referral = referral_services.find_by_follow_token(request.POST.get("suivi", ""))
            if referral is None or referral_services.link_expired(referral) or referral.is_anonymised:
                raise Http404("lien de suivi inconnu")
            pathway, token = services.create_from_referral(referral)
        elif origin == "direct":
            pathway, token = services.create_from_scratch(
                goal_kind=request.POST.get("nature", ""),
                goal_label=request.POST.get("libelle", "")[:300],
                goal_code=rome,
            )
        else:
            return _bad_request("Origine inconnue.")
    except PathwayError as exc:
        if origin == "direct":
            context = {"title": "Commencer mon parcours", "GoalKind": GoalKind, "error": str(exc)}
            return _private(render(request, "pathways/new.html", context, status=400))
        return _bad_request(f"Impossible de créer le parcours : {exc}.")
    del pathway
    return HttpResponseRedirect(_page(token) + "?cree=1", status=303)


def _keep_confirmation(request: HttpRequest) -> HttpResponse:
    origin = request.GET.get("origine", "")
    rome = request.GET.get("rome", "").strip()
    if origin != "explorer" or not codes.ROME.match(rome):
        return _bad_request("Ce lien ne permet pas de garder un parcours : revenez à la page précédente.")
    fiche = FicheMetier.objects.filter(code_rome=rome).only("code_rome", "libelle").first()
    if fiche is None:
        return _bad_request("Métier inconnu : revenez à la page précédente.")
    context = {"title": "Garder ce métier dans mon parcours", "fiche": fiche, "origine": origin}
    return _private(render(request, "pathways/keep_confirm.html", context))


# --- the pathway page ---------------------------------------------------------------------------------------------


def _structure_choices(pathway: Pathway, query: str) -> tuple[list[Structure], list[Structure]]:
    """Structures the pathway already knows (its referral, its actions, its shares), and those matching `query`."""
    known_ids = set(
        Action.objects.filter(objective__focus__pathway=pathway).values_list("structure_id", flat=True)
    )
    known_ids |= set(pathway.shares.values_list("structure_id", flat=True))
    if pathway.origin_referral is not None:
        known_ids.add(pathway.origin_referral.structure_id)
    known_ids.discard(None)
    known = list(Structure.objects.filter(pk__in=known_ids).order_by("nom"))
    found: list[Structure] = []
    query = " ".join(query.split())[:100]
    if len(query) >= 2:
        found = list(
            Structure.objects.active()
            .filter(Q(nom__icontains=query) | Q(commune_nom__icontains=query))
            .exclude(pk__in=known_ids)
            .order_by("nom", "id")[:MAX_STRUCTURE_RESULTS]
        )
    return known, found


def _context(request: HttpRequest, pathway: Pathway, token: str, **extra) -> dict:
    catalogue = load_catalogue()
    actions = Action.objects.select_related("structure", "proposed_by_structure").order_by("position", "id")
    objectives = list(
        Objective.objects.filter(focus__pathway=pathway)
        .select_related("focus", "proposed_by_structure")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "id")
    )
    aides = load_aides()
    steps: list[Shown] = []
    proposals: list[tuple[str, Shown]] = []
    for objective in objectives:
        kept: list[Shown] = []
        for action in objective.actions.all():
            scheme = aides.get(action.scheme_code) if action.scheme_code else None
            shown_action = Shown(action, scheme_title=scheme.titre if scheme is not None else "")
            if action.proposal_state == ProposalState.ACCEPTED:
                kept.append(shown_action)
            elif (
                action.proposal_state == ProposalState.PROPOSED
                and objective.proposal_state != ProposalState.DECLINED
            ):
                proposals.append(("action", shown_action))
        shown = Shown(objective, axe_label=catalogue.axe_label(objective.focus.code), kept_actions=kept)
        if objective.proposal_state == ProposalState.ACCEPTED:
            steps.append(shown)
        elif objective.proposal_state == ProposalState.PROPOSED:
            proposals.append(("etape", shown))
    now = timezone.now()
    shares = [
        Shown(
            share,
            is_active=share.withdrawn_at is None and share.expires_at > now,
            part_labels=[SharedPart(p).label for p in share.parts if p in SharedPart.values],
        )
        for share in pathway.shares.select_related("structure").order_by("-given_at", "-id")
    ]
    changes = list(pathway.changes.select_related("by_structure").order_by("-at", "-id")[:200])
    return {
        "title": "Mon parcours",
        "pathway": pathway,
        "token": token,
        "page_url": request.build_absolute_uri(_page(token)),
        "steps": steps,
        "proposals": proposals,
        "shares": shares,
        "changes": changes,
        "catalogue": catalogue,
        "axes": list(catalogue.axes.values()),
        "objectifs_by_axe": [(a, catalogue.objectifs_of(a.code)) for a in catalogue.axes.values()],
        "action_types": list(catalogue.actions.values()),
        "aides": aides.dispositifs,
        "objective_statuses": ObjectiveStatus.choices,
        "action_statuses": ActionStatus.choices,
        # Written once here rather than reversed in every item's forms (the page has several per action).
        "modify_url": reverse("pathways:modifier", args=[token]),
        "answer_url": reverse("pathways:repondre", args=[token]),
        "withdraw_url": reverse("pathways:retirer-partage", args=[token]),
        "channels": AppointmentChannel.choices,
        "goal_kind_label": GoalKind(pathway.goal_kind).label,
        "erasure_date": retention.erasure_date(pathway),
        "retention_months": retention.retention_months(),
        "GoalKind": GoalKind,
        "just_created": request.GET.get("cree") == "1",
        "done": request.GET.get("fait", ""),
        **extra,
    }


@never_cache
@require_GET
def pathway_page(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    retention.record_opening(pathway)
    audit.record(None, "pathway.person.view", pathway, detail="page du parcours (lien privé)")
    return _private(render(request, "pathways/pathway.html", _context(request, pathway, token)))


def _error_page(request: HttpRequest, pathway: Pathway, token: str, message: str) -> HttpResponse:
    return _private(
        render(request, "pathways/pathway.html", _context(request, pathway, token, error=message), status=400)
    )


def _date(value: str, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PathwayError(f"{what} : date attendue (jj/mm/aaaa)") from None


def _datetime(day: str, hour: str) -> dt.datetime | None:
    if not day and not hour:
        return None
    if not day or not hour:
        raise PathwayError("rendez-vous : indiquez le jour et l’heure")
    try:
        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(hour))
    except ValueError:
        raise PathwayError("rendez-vous : date ou heure mal écrite") from None
    return timezone.make_aware(moment)


def action_fields(post, *, structure=None) -> ActionFields:
    """The action fields of a form (person's or conseiller's), checked; PathwayError when malformed."""
    scheme = post.get("dispositif", "")
    if scheme and load_aides().get(scheme) is None:
        raise PathwayError("dispositif inconnu")
    rome = post.get("rome", "").strip().upper()
    if rome:
        _rome_label(rome)
    return ActionFields(
        due_date=_date(post.get("echeance", ""), "à faire avant le"),
        appointment_at=_datetime(post.get("rdv_jour", ""), post.get("rdv_heure", "")),
        appointment_channel=post.get("rdv_modalite", ""),
        appointment_place=post.get("rdv_lieu", "")[:400],
        rome_code=rome,
        formation_id=post.get("formation", "").strip(),
        scheme_code=scheme,
        structure=structure,
        catalogue_code=post.get("type", ""),
    )


def _objective(pathway: Pathway, value: str) -> Objective:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise PathwayError("étape inconnue") from None
    objective = (
        Objective.objects.filter(focus__pathway=pathway, pk=pk).select_related("focus__pathway").first()
    )
    if objective is None:
        raise PathwayError("étape inconnue")
    return objective


def _action(pathway: Pathway, value: str) -> Action:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise PathwayError("action inconnue") from None
    action = (
        Action.objects.filter(objective__focus__pathway=pathway, pk=pk)
        .select_related("objective__focus__pathway")
        .first()
    )
    if action is None:
        raise PathwayError("action inconnue")
    return action


@never_cache
@require_POST
def add_objective(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    code = request.POST.get("etape", "")
    try:
        if code:
            objectif = load_catalogue().objectifs.get(code)
            if objectif is None or objectif.axe is None:
                raise PathwayError("étape inconnue du catalogue")
            services.add_objective(
                pathway,
                PERSON,
                focus_code=objectif.axe,
                catalogue_code=code,
                label=request.POST.get("libelle", ""),
            )
        else:
            services.add_objective(
                pathway, PERSON, focus_code=request.POST.get("axe", ""), label=request.POST.get("libelle", "")
            )
    except PathwayError as exc:
        return _error_page(request, pathway, token, str(exc))
    return HttpResponseRedirect(_page(token) + "?fait=etape#etapes", status=303)


@never_cache
@require_POST
def add_action(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    try:
        objective = _objective(pathway, request.POST.get("etape", ""))
        services.add_action(
            objective, PERSON, label=request.POST.get("libelle", ""), fields=action_fields(request.POST)
        )
    except PathwayError as exc:
        return _error_page(request, pathway, token, str(exc))
    return HttpResponseRedirect(_page(token) + "?fait=action#etapes", status=303)


@never_cache
@require_POST
def change(request: HttpRequest, token: str) -> HttpResponse:
    """Statuses and order: `quoi` = statut-etape | statut-action | monter-etape | descendre-etape | monter-action |
    descendre-action, `id`, and `statut` for the statuses."""
    pathway = _pathway(token)
    what, pk, status = (
        request.POST.get("quoi", ""),
        request.POST.get("id", ""),
        request.POST.get("statut", ""),
    )
    try:
        if what == "statut-etape":
            services.set_objective_status(_objective(pathway, pk), PERSON, status)
        elif what == "statut-action":
            services.set_action_status(_action(pathway, pk), PERSON, status)
        elif what in ("monter-etape", "descendre-etape"):
            services.move_objective(_objective(pathway, pk), PERSON, -1 if what.startswith("monter") else 1)
        elif what in ("monter-action", "descendre-action"):
            services.move_action(_action(pathway, pk), PERSON, -1 if what.startswith("monter") else 1)
        else:
            raise PathwayError("modification inconnue")
    except PathwayError as exc:
        return _error_page(request, pathway, token, str(exc))
    return HttpResponseRedirect(_page(token) + "?fait=modification#etapes", status=303)


@never_cache
@require_POST
def change_goal(request: HttpRequest, token: str) -> HttpResponse:
    """The person renames their goal or changes its kind (a métier or formation code is kept only if unchanged)."""
    pathway = _pathway(token)
    kind = request.POST.get("nature", "")
    code = pathway.goal_code if kind == pathway.goal_kind else ""
    try:
        services.update_goal(
            pathway, PERSON, kind=kind, label=request.POST.get("libelle", "")[:300], code=code
        )
    except PathwayError as exc:
        pathway.refresh_from_db()
        return _error_page(request, pathway, token, str(exc))
    return HttpResponseRedirect(_page(token) + "?fait=but", status=303)


@never_cache
@require_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """Accept or decline a proposal: `quoi` = etape | action, `id`, `reponse` = accepter | refuser."""
    pathway = _pathway(token)
    what, pk, reply = (
        request.POST.get("quoi", ""),
        request.POST.get("id", ""),
        request.POST.get("reponse", ""),
    )
    try:
        item: Objective | Action
        if what == "etape":
            item = _objective(pathway, pk)
        elif what == "action":
            item = _action(pathway, pk)
        else:
            raise PathwayError("proposition inconnue")
        if reply == "accepter":
            services.accept_proposal(item)
        elif reply == "refuser":
            services.decline_proposal(item)
        else:
            raise PathwayError("réponse inconnue")
    except PathwayError as exc:
        return _error_page(request, pathway, token, str(exc))
    return HttpResponseRedirect(
        _page(token) + f"?fait={'accepte' if reply == 'accepter' else 'refuse'}#propositions", status=303
    )


# --- sharing ------------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    query = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    known, found = _structure_choices(pathway, query)
    context = {
        "title": "Partager mon parcours",
        "pathway": pathway,
        "token": token,
        "query": query,
        "known": known,
        "found": found,
        "parts": SharedPart.choices,
        "default_parts": services.DEFAULT_PARTS,
        "durations": services.SHARE_DURATIONS,
        "consent_text": services.SHARE_CONSENT_TEXT,
        "consent_version": services.SHARE_CONSENT_TEXT_VERSION,
    }
    if request.method == "GET":
        return _private(render(request, "pathways/share.html", context))
    try:
        structure = Structure.objects.active().filter(di_id=request.POST.get("structure", "")[:200]).first()
        if structure is None:
            raise PathwayError("choisissez une structure")
        if request.POST.get("consentement") != services.SHARE_CONSENT_TEXT_VERSION:
            raise PathwayError("cochez la case pour donner votre accord")
        try:
            days = int(request.POST.get("duree", ""))
        except ValueError:
            raise PathwayError("durée de partage inconnue") from None
        services.share(pathway, structure, parts=request.POST.getlist("parties"), days=days)
    except PathwayError as exc:
        return _private(render(request, "pathways/share.html", {**context, "error": str(exc)}, status=400))
    return HttpResponseRedirect(_page(token) + "?fait=partage#partages", status=303)


@never_cache
@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    try:
        pk = int(request.POST.get("partage", ""))
    except ValueError:
        return _bad_request("Partage inconnu.")
    found = PathwayShare.objects.filter(pathway=pathway, pk=pk).first()
    if found is None:
        return _bad_request("Partage inconnu.")
    services.withdraw_share(found)
    return HttpResponseRedirect(_page(token) + "?fait=retrait#partages", status=303)


# --- downloads, link, deletion ------------------------------------------------------------------------------------


@never_cache
@require_GET
def download_json(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    content = json.dumps(exports.export_json(pathway), ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mon-parcours.json"'
    return _private(response)


@never_cache
@require_GET
def download_pdf(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    return _private(document_response(exports.to_document(pathway), "pdf", "mon-parcours"))


@never_cache
@require_GET
def download_ics(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    events = exports.calendar_events(pathway)  # no link in the file: a calendar is often synced or shared
    return _private(ics_response(events, "Mon parcours : rendez-vous", "mon-parcours-rendez-vous.ics"))


@never_cache
@require_POST
def new_link(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    new_token = services.regenerate_link(pathway)
    return HttpResponseRedirect(_page(new_token) + "?fait=lien", status=303)


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    pathway = _pathway(token)
    if request.method == "GET":
        return _private(
            render(request, "pathways/delete.html", {"title": "Supprimer mon parcours", "token": token})
        )
    if request.POST.get("confirmer") != "oui":
        return _bad_request("Confirmation manquante.")
    services.delete_pathway(pathway)
    return _private(render(request, "pathways/deleted.html", {"title": "Votre parcours a été supprimé"}))
