"""Pages of the professional space: professionalisation events (register, cancel, attendance, ICS invitation),
working groups (members, meetings, shared documents) and the public entries (propose, moderate).

Thin views: the rules are in `permissions`, the registrations in `registrations`, moderation in `public`. A group
the user may not see answers 404, as if it did not exist; a page of a role the user lacks answers 403.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from spro import audit
from spro.core import uploads
from spro.core.ics import CalendarEvent, ics_response
from spro.events import permissions, public, registrations
from spro.events.forms import (
    ActualiteForm,
    DocumentForm,
    EvenementProForm,
    GroupeForm,
    MembreForm,
    ModerationForm,
    RendezVousForm,
    ReunionForm,
)
from spro.events.models import (
    Actualite,
    DocumentGroupe,
    EvenementPro,
    GroupeTravail,
    Inscription,
    MembreGroupe,
    RendezVous,
    Reunion,
)
from spro.events.views import site_url
from spro.events.vocabularies import Moderation, Presence, StatutInscription


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind `login_required`)."""
    return cast(User, request.user)


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/error.html", {"title": "Accès refusé", "message": message}, status=403)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("inconnu") from None


# ---------------------------------------------------------------------------------- professionalisation events


def _event(pk: int) -> EvenementPro:
    event = EvenementPro.objects.filter(pk=pk).first()
    if event is None:
        raise Http404("événement inconnu")
    return event


@never_cache
@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_pro_events(request.user):
        return forbidden(
            request, "Les événements de professionnalisation sont réservés aux membres du réseau."
        )
    now = timezone.now()
    mine = {i.evenement_id: i for i in Inscription.objects.filter(user=_user(request))}
    upcoming = [
        {"event": event, "mine": mine.get(event.pk), "counts": registrations.counts(event)}
        for event in EvenementPro.objects.filter(fin__gte=now)
    ]
    past = EvenementPro.objects.filter(fin__lt=now).order_by("-debut")[:20]
    context = {
        "title": "Événements de professionnalisation",
        "upcoming": upcoming,
        "past": past,
        "can_manage": permissions.can_manage_events(request.user),
    }
    return render(request, "events/pro_events.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_events(request.user):
        return forbidden(
            request, "Seule l’équipe SPRO de la Région crée les événements de professionnalisation."
        )
    form = EvenementProForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.created_by = request.user
        event.save()
        audit.record(request.user, "evenement_cree", event)
        messages.success(request, "L’événement est créé : les membres du réseau peuvent s’y inscrire.")
        return redirect("events:pro-event", pk=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "events/pro_event_form.html", {"title": "Nouvel événement", "form": form}, status=status
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    if not permissions.can_manage_events(request.user):
        return forbidden(
            request, "Seule l’équipe SPRO de la Région modifie les événements de professionnalisation."
        )
    form = EvenementProForm(request.POST or None, instance=EvenementPro.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            promoted = registrations.update_event(event, changes, by=request.user)
        except registrations.RegistrationError as exc:
            form.add_error("capacite", str(exc))
        else:
            text = "L’événement est modifié."
            if promoted:
                text += f" {len(promoted)} personne(s) de la liste d’attente inscrite(s) et prévenue(s) par courriel."
            messages.success(request, text)
            return redirect("events:pro-event", pk=event.pk)
    status = 400 if request.method == "POST" else 200
    context = {"title": f"Modifier : {event.titre}", "form": form, "back": event.pk}
    return render(request, "events/pro_event_form.html", context, status=status)


@never_cache
@login_required
@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_see_pro_events(request.user):
        return forbidden(
            request, "Les événements de professionnalisation sont réservés aux membres du réseau."
        )
    event = _event(pk)
    mine = Inscription.objects.filter(evenement=event, user=_user(request)).first()
    can_manage = permissions.can_manage_events(request.user)
    rows = []
    if can_manage:
        rows = list(
            Inscription.objects.filter(evenement=event)
            .exclude(statut=StatutInscription.ANNULEE)
            .select_related("user")
            .prefetch_related("user__memberships__structure")
            .order_by("statut", "registered_at", "id")
        )
        audit.record(
            request.user, "evenement_liste_inscrits", event, detail="noms et structures des inscrits"
        )
    context = {
        "title": event.titre,
        "event": event,
        "mine": mine,
        "rank": registrations.waiting_rank(mine) if mine else None,
        "counts": registrations.counts(event),
        "open": not event.annule and event.debut > timezone.now(),
        "can_register": permissions.can_register(request.user),
        "can_manage": can_manage,
        "confirmed": [r for r in rows if r.statut == StatutInscription.CONFIRMEE],
        "waiting": [r for r in rows if r.statut == StatutInscription.ATTENTE],
        "presences": Presence.choices,
    }
    return render(request, "events/pro_event.html", context)


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    if not permissions.can_register(request.user):
        return forbidden(request, "L’inscription est réservée aux professionnels des structures du réseau.")
    try:
        inscription = registrations.register(event, request.user)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        if inscription.statut == StatutInscription.CONFIRMEE:
            messages.success(request, "Votre inscription est confirmée.")
        else:
            rank = registrations.waiting_rank(inscription)
            messages.success(
                request,
                f"L’événement est complet : vous êtes sur la liste d’attente (position {rank}). Si une place se "
                "libère, elle vous est donnée et vous recevez un courriel.",
            )
    return redirect("events:pro-event", pk=event.pk)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    target = request.POST.get("inscription")
    if target:  # the Region's team cancels someone's registration
        if not permissions.can_manage_events(request.user):
            return forbidden(
                request, "Seule l’équipe SPRO de la Région annule l’inscription d’une autre personne."
            )
        inscription = Inscription.objects.filter(evenement=event, pk=_int(target)).first()
    else:
        inscription = Inscription.objects.filter(evenement=event, user=_user(request)).first()
    if inscription is None:
        raise Http404("inscription inconnue")
    outcome = registrations.cancel(inscription, by=request.user)
    text = "L’inscription est annulée."
    if outcome.promoted is not None:
        text += " La place libérée est donnée à la première personne de la liste d’attente, prévenue par courriel."
    messages.success(request, text)
    return redirect("events:pro-event", pk=event.pk)


@login_required
@require_POST
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    if not permissions.can_manage_events(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région enregistre les présences.")
    presences = {
        _int(key.removeprefix("presence-")): str(value)
        for key, value in request.POST.items()
        if key.startswith("presence-")
    }
    try:
        changed = registrations.record_attendance(event, presences, by=request.user)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc))
        return redirect("events:pro-event", pk=event.pk)
    messages.success(request, f"Présences enregistrées ({changed} modification(s)).")
    return redirect("events:pro-event", pk=event.pk)


@login_required
@require_POST
def event_cancel_all(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    if not permissions.can_manage_events(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région annule un événement.")
    told = registrations.cancel_event(event, by=request.user)
    messages.success(request, f"L’événement est annulé ; {told} personne(s) prévenue(s) par courriel.")
    return redirect("events:pro-event", pk=event.pk)


@login_required
@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_see_pro_events(request.user):
        return forbidden(
            request, "Les événements de professionnalisation sont réservés aux membres du réseau."
        )
    event = _event(pk)
    item = CalendarEvent(
        uid=f"evenement-pro-{event.pk}",
        start=event.debut,
        end=event.fin,
        summary=event.titre,
        description=event.description,
        location=event.lieu,
        url=site_url(request) + request.path.removesuffix("/invitation.ics"),
        cancelled=event.annule,
    )
    return ics_response([item], event.titre, f"evenement-{event.pk}.ics")


# ----------------------------------------------------------------------------------------------- working groups


def _group(request: HttpRequest, pk: int) -> GroupeTravail:
    groupe = GroupeTravail.objects.filter(pk=pk).first()
    if groupe is None or not permissions.can_view_group(request.user, groupe):
        raise Http404("groupe inconnu")
    return groupe


@never_cache
@login_required
@require_safe
def group_list(request: HttpRequest) -> HttpResponse:
    context = {
        "title": "Groupes de travail",
        "groups": permissions.visible_groups(request.user).prefetch_related("adhesions"),
        "can_manage": permissions.can_manage_groups(request.user),
    }
    return render(request, "events/pro_groups.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_groups(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région crée les groupes de travail.")
    form = GroupeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        groupe = form.save(commit=False)
        groupe.created_by = request.user
        groupe.save()
        audit.record(request.user, "groupe_cree", groupe)
        return redirect("events:pro-group", pk=groupe.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/pro_group_form.html",
        {"title": "Nouveau groupe de travail", "form": form},
        status=status,
    )


def _group_page(request: HttpRequest, groupe: GroupeTravail, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    can_manage = permissions.can_manage_groups(request.user)
    members = list(
        groupe.adhesions.select_related("user")
        .prefetch_related("user__memberships__structure")
        .order_by("user__email")
    )
    audit.record(request.user, "groupe_consulte", groupe, detail="membres, réunions et documents")
    context = {
        "title": groupe.titre,
        "groupe": groupe,
        "members": members,
        "structures": sorted({m.structure.nom for a in members for m in a.user.memberships.all()}),
        "reunions": groupe.reunions.all(),
        "documents": groupe.documents.select_related("uploaded_by"),
        "can_manage": can_manage,
        "member_form": forms.get("membre") or MembreForm(prefix="membre"),
        "meeting_form": forms.get("reunion") or ReunionForm(prefix="reunion"),
        "document_form": forms.get("document") or DocumentForm(prefix="document"),
        "now": timezone.now(),
    }
    return render(request, "events/pro_group.html", context, status=status)


@never_cache
@login_required
@require_safe
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_page(request, _group(request, pk))


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    groupe = _group(request, pk)
    if not permissions.can_manage_groups(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région change les membres d’un groupe.")
    form = MembreForm(request.POST, prefix="membre")
    if not form.is_valid():
        return _group_page(request, groupe, {"membre": form}, status=400)
    _, created = MembreGroupe.objects.get_or_create(groupe=groupe, user=form.user)
    if created:
        audit.record(request.user, "groupe_membre_ajoute", groupe, detail=f"utilisateur {form.user.pk}")
    messages.success(request, f"{form.cleaned_data['email']} est membre du groupe.")
    return redirect("events:pro-group", pk=groupe.pk)


@login_required
@require_POST
def group_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    groupe = _group(request, pk)
    if not permissions.can_manage_groups(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région change les membres d’un groupe.")
    deleted, _ = MembreGroupe.objects.filter(groupe=groupe, pk=_int(request.POST.get("membre", ""))).delete()
    if deleted:
        audit.record(request.user, "groupe_membre_retire", groupe)
        messages.success(request, "La personne n’est plus membre du groupe.")
    return redirect("events:pro-group", pk=groupe.pk)


@login_required
@require_POST
def group_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    groupe = _group(request, pk)
    if not permissions.can_manage_groups(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région planifie les réunions d’un groupe.")
    form = ReunionForm(request.POST, prefix="reunion")
    if not form.is_valid():
        return _group_page(request, groupe, {"reunion": form}, status=400)
    reunion = form.save(commit=False)
    reunion.groupe = groupe
    reunion.save()
    messages.success(request, "La réunion est planifiée.")
    return redirect("events:pro-group", pk=groupe.pk)


@login_required
@require_safe
def group_meeting_ics(request: HttpRequest, pk: int, reunion_pk: int) -> HttpResponse:
    groupe = _group(request, pk)
    reunion = Reunion.objects.filter(groupe=groupe, pk=reunion_pk).first()
    if reunion is None:
        raise Http404("réunion inconnue")
    item = CalendarEvent(
        uid=f"reunion-{reunion.pk}",
        start=reunion.debut,
        end=reunion.fin,
        summary=f"Groupe de travail : {groupe.titre}",
        description=reunion.ordre_du_jour,
        location=reunion.lieu,
    )
    return ics_response([item], groupe.titre, f"reunion-{reunion.pk}.ics")


@login_required
@require_POST
def group_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    groupe = _group(request, pk)
    if not permissions.can_share_document(request.user, groupe):
        raise Http404("groupe inconnu")
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            stored = uploads.store(form.cleaned_data["fichier"], "groupes")
        except uploads.UploadError as exc:
            form.add_error("fichier", str(exc))
        else:
            with transaction.atomic():
                document = DocumentGroupe.objects.create(
                    groupe=groupe,
                    titre=form.cleaned_data["titre"],
                    fichier=stored.path,
                    nom_fichier=stored.original_name,
                    content_type=stored.content_type,
                    taille=stored.size,
                    sha256=stored.sha256,
                    uploaded_by=_user(request),
                )
                audit.record(request.user, "groupe_document_depose", document, detail=stored.sha256)
            messages.success(request, "Le document est partagé avec le groupe.")
            return redirect("events:pro-group", pk=groupe.pk)
    return _group_page(request, groupe, {"document": form}, status=400)


@login_required
@require_safe
def group_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    groupe = _group(request, pk)
    document = DocumentGroupe.objects.filter(groupe=groupe, pk=document_pk).first()
    if document is None:
        raise Http404("document inconnu")
    allowed = permissions.can_view_group(request.user, groupe)
    audit.record(request.user, "groupe_document_telecharge", document)
    return uploads.attachment_response(
        document.fichier, document.nom_fichier, document.content_type, allowed=allowed
    )


# ------------------------------------------------------------------------------------------- public entries

KINDS: dict[
    str, tuple[type[Actualite] | type[RendezVous], type[ActualiteForm] | type[RendezVousForm], str]
] = {
    "actualite": (Actualite, ActualiteForm, "Actualité"),
    "rendez-vous": (RendezVous, RendezVousForm, "Rendez-vous"),
}


@never_cache
@login_required
@require_safe
def publications(request: HttpRequest) -> HttpResponse:
    if not permissions.can_submit_public_entry(request.user):
        return forbidden(
            request, "Proposer des actualités et des rendez-vous est réservé à l’équipe SPRO de la Région."
        )
    can_publish = permissions.can_publish(request.user)
    context = {
        "title": "Actualités et agenda public",
        "can_publish": can_publish,
        "pending": public.pending() if can_publish else None,
        "mine_news": Actualite.objects.filter(author=_user(request)).order_by("-created_at")[:50],
        "mine_agenda": RendezVous.objects.filter(author=_user(request)).order_by("-created_at")[:50],
    }
    return render(request, "events/pro_publications.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publication_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("type inconnu")
    if not permissions.can_submit_public_entry(request.user):
        return forbidden(
            request, "Proposer des actualités et des rendez-vous est réservé à l’équipe SPRO de la Région."
        )
    _, form_class, label = KINDS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        if not permissions.is_region_team(request.user):
            entry.structure = permissions.member_structures(request.user).first()
        publish = permissions.can_publish(request.user)
        public.submit(entry, user=request.user, publish=publish)
        messages.success(
            request,
            "Publié."
            if publish
            else "Proposition envoyée : l’équipe de la Région la relit avant publication.",
        )
        return redirect("events:pro-publications")
    context = {"title": f"{label} : nouvelle entrée", "form": form, "kind": kind}
    return render(
        request, "events/pro_publication_form.html", context, status=400 if request.method == "POST" else 200
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publication_moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("type inconnu")
    if not permissions.can_publish(request.user):
        return forbidden(request, "Seule l’équipe SPRO de la Région relit les propositions.")
    model, _, label = KINDS[kind]
    entry = model.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("proposition inconnue")
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            public.moderate(
                entry,
                user=request.user,
                decision=form.cleaned_data["decision"],
                motif=form.cleaned_data["motif"],
            )
        except public.ModerationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Publié." if entry.statut == Moderation.PUBLIEE else "Refusé : l’auteur est prévenu."
            )
        return redirect("events:pro-publications")
    context = {"title": f"Relire : {entry.titre}", "entry": entry, "kind": kind, "label": label, "form": form}
    return render(
        request, "events/pro_moderate.html", context, status=400 if request.method == "POST" else 200
    )
