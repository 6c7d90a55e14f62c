"""Pages of the professional space: login, logout, dashboard, invitations, optional OpenID Connect login.

Thin views: the rules are in `permissions`, the invitation logic in `invitations`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from spro import audit
from spro.accounts import invitations, oidc, permissions
from spro.accounts.forms import InvitationForm, LoginForm, NewPasswordForm
from spro.accounts.models import Membership, Scope, StructureRole
from spro.directory import editing
from spro.directory.models import Structure


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    context = {"title": "Accès refusé", "message": message}
    return render(request, "accounts/error.html", context, status=403)


class ProLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion à l’espace professionnel"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.enabled()
        context["oidc_failed"] = self.request.GET.get("oidc") == "echec"
        return context


@require_http_methods(["GET", "HEAD", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation (a link must not log anyone out), POST logs out."""
    if request.method == "POST":
        logout(request)
        messages.success(request, "Vous êtes déconnecté·e.")
        return redirect("pro-login")
    return render(request, "accounts/logout.html", {"title": "Déconnexion"})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user).select_related("structure").order_by("structure__nom")
    )
    rows = [
        {
            "membership": m,
            "structure": m.structure,
            "can_manage": permissions.can_manage_members(request.user, m.structure),
            "can_edit": permissions.can_edit_structure(request.user, m.structure),
        }
        for m in memberships
    ]
    context = {
        "title": "Espace professionnel",
        "rows": rows,
        "scopes": Scope.objects.filter(user=request.user).select_related("region", "departement"),
        "statistics": permissions.has_territorial_role(request.user) or bool(rows),
        "counting": permissions.has_territorial_role(request.user),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request: HttpRequest, structure_id: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=structure_id)
    if not permissions.can_manage_members(request.user, structure):
        return forbidden(request, "Seuls les administrateurs de cette structure peuvent inviter des membres.")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        base = request.build_absolute_uri(reverse("pro-invitation", args=["x"]))[:-1]
        invitations.invite(
            request.user, structure, form.cleaned_data["email"], form.cleaned_data["role"], base
        )
        messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
        return redirect("pro-invite", structure_id=structure.pk)
    context = {
        "title": f"Membres et invitations – {structure.nom}",
        "role_choices": StructureRole.choices,
        "structure": structure,
        "form": form,
        "roles_descriptions": [(value, StructureRole(value).description) for value in StructureRole.values],
        "members": Membership.objects.filter(structure=structure)
        .select_related("user")
        .order_by("user__email"),
    }
    # The page shows the staff's names and e-mail addresses: each display is audited, like a referral's.
    audit.record(request.user, "structure.members.view", structure, structure=structure)
    return render(request, "accounts/invite.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_structure(request: HttpRequest, structure_id: int) -> HttpResponse:
    """The structure's admins update its fiche and confirm it is up to date (spro.directory.editing)."""
    structure = get_object_or_404(Structure, pk=structure_id, is_active=True)
    if not permissions.can_edit_structure(request.user, structure):
        return forbidden(request, "Seuls les administrateurs de cette structure mettent à jour sa fiche.")
    form = editing.StructureForm(request.POST or None, instance=structure)
    if request.method == "POST":
        if form.is_valid():
            changed = editing.save(form, request.user)
            messages.success(
                request, "Fiche mise à jour." if changed else "Aucune modification : la fiche est inchangée."
            )
            return redirect("pro-structure", structure_id=structure.pk)
        status = 400
    else:
        status = 200
    context = {
        "title": f"Fiche de la structure – {structure.nom}",
        "structure": structure,
        "form": form,
        "external": structure.source not in editing.LOCAL_SOURCES,
    }
    return render(request, "accounts/structure_edit.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def change_member(request: HttpRequest, structure_id: int, membership_id: int) -> HttpResponse:
    """Change a member's role or remove them; the last admin of a structure stays (someone must manage it)."""
    structure = get_object_or_404(Structure, pk=structure_id)
    if not permissions.can_manage_members(request.user, structure):
        return forbidden(request, "Seuls les administrateurs de cette structure gèrent ses membres.")
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, structure=structure
    )
    action = request.POST.get("action", "")
    role = request.POST.get("role", "")
    if action not in {"role", "retirer"} or (action == "role" and role not in StructureRole.values):
        context = {"title": "Demande incorrecte", "message": "Action ou rôle inconnu."}
        return render(request, "accounts/error.html", context, status=400)
    with transaction.atomic():
        admins = Membership.objects.select_for_update().filter(
            structure=structure, role=StructureRole.ADMIN_STRUCTURE
        )
        last_admin = membership.role == StructureRole.ADMIN_STRUCTURE and admins.count() == 1
        if last_admin and (action == "retirer" or role != StructureRole.ADMIN_STRUCTURE):
            messages.error(request, "La structure doit garder au moins un administrateur.")
            return redirect("pro-invite", structure_id=structure.pk)
        who = membership.user.email or membership.user.username
        if action == "retirer":
            membership.delete()
            messages.success(request, f"{who} n’est plus membre de {structure.nom}.")
        else:
            membership.role = role
            membership.save(update_fields=["role"])
            messages.success(request, f"Rôle de {who} : {membership.get_role_display()}.")
    return redirect("pro-invite", structure_id=structure.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.check_token(token)
    except invitations.InvitationError as error:
        status = 410 if error.code in {"expiree", "deja-utilisee"} else 400
        context = {"title": "Invitation impossible à utiliser", "message": error.message}
        return render(request, "accounts/error.html", context, status=status)
    existing = invitations.find_user(invitation.email)
    needs_password = invitations.needs_password(existing)
    form = NewPasswordForm(request.POST or None) if needs_password else None
    if request.method == "POST":
        try:
            if needs_password:
                if form.is_valid():
                    accepted = invitations.accept(token, password=form.cleaned_data["password1"])
                    login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(request, f"Bienvenue ! Vous êtes membre de {invitation.structure.nom}.")
                    return redirect("pro-dashboard")
            else:
                accepted = invitations.accept(
                    token, user=request.user if request.user.is_authenticated else None
                )
                messages.success(request, f"Vous êtes membre de {invitation.structure.nom}.")
                return redirect("pro-dashboard")
        except ValidationError as error:
            form.add_error("password1", error)
        except invitations.InvitationError as error:
            context = {"title": "Invitation impossible à utiliser", "message": error.message}
            return render(request, "accounts/error.html", context, status=409)
    context = {
        "title": "Rejoindre l’espace professionnel",
        "invitation": invitation,
        "existing": existing,
        "logged_in_as_invitee": not needs_password
        and request.user.is_authenticated
        and request.user.pk == existing.pk,
        "form": form,
    }
    return render(request, "accounts/accept.html", context)


def oidc_authenticate(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404("Connexion OpenID Connect non configurée")
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404("Connexion OpenID Connect non configurée")
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    return OIDCAuthenticationCallbackView.as_view()(request)
