"""Invitation by e-mail: a structure admin invites an address; the signed link works once, until it expires.

The token signs the invitation's id with `django.core.signing` (salted, timestamped): a forged or altered token
fails the signature, an old one fails `SPRO_INVITATION_TTL`, a used one finds `accepted_at` set. Acceptance is one
transaction: the account, its password and the membership are all created, or nothing is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from spro.accounts.models import Invitation, Membership, StructureRole
from spro.directory.models import Structure

SALT = "spro.accounts.invitation"


class InvitationError(Exception):
    """A link that cannot be used; `code` is stable (tests, logs), the message is for the person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def ttl_seconds() -> int:
    return int(getattr(settings, "SPRO_INVITATION_TTL", 7 * 24 * 3600))


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=SALT, compress=True)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str):
    return get_user_model().objects.filter(email__iexact=normalise_email(email)).first()


def invite(inviter, structure: Structure, email: str, role: str, accept_url_base: str) -> Invitation:
    """Record the invitation and e-mail its link. `accept_url_base` is the absolute URL prefix of the link."""
    invitation = record(inviter, structure, email, role)
    send(invitation, link(invitation, accept_url_base))
    return invitation


def record(inviter, structure: Structure, email: str, role: str) -> Invitation:
    """The invitation row alone (`inviter` None for a command); `send` e-mails it."""
    if role not in StructureRole.values:
        raise ValueError(f"rôle inconnu : {role}")
    return Invitation.objects.create(
        email=normalise_email(email), structure=structure, role=role, invited_by=inviter
    )


def link(invitation: Invitation, accept_url_base: str) -> str:
    return accept_url_base + make_token(invitation)


def send(invitation: Invitation, url: str) -> None:
    context = {
        "invitation": invitation,
        "link": url,
        "days": max(1, ttl_seconds() // 86400),
        "brand": settings.SPRO_BRAND,
    }
    send_mail(
        subject=f"Invitation à rejoindre {invitation.structure.nom} sur {settings.SPRO_BRAND['name']}",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def needs_password(account) -> bool:
    """The link sets a password only for an address with no account, or an account made without one
    (`spro structures admin`); it never changes an existing password."""
    return account is None or not account.has_usable_password()


def check_token(token: str) -> Invitation:
    """The invitation a token stands for, or InvitationError (forged, expired, already used, withdrawn)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=ttl_seconds())
    except signing.SignatureExpired as exc:
        raise InvitationError(
            "expiree", "Ce lien d’invitation a expiré. Demandez une nouvelle invitation."
        ) from exc
    except signing.BadSignature as exc:
        raise InvitationError("invalide", "Ce lien d’invitation n’est pas valide.") from exc
    invitation = (
        Invitation.objects.select_related("structure").filter(
            pk=payload.get("i") if isinstance(payload, dict) else None
        )
    ).first()
    if invitation is None:
        raise InvitationError("invalide", "Ce lien d’invitation n’est pas valide.")
    if invitation.accepted_at is not None:
        raise InvitationError("deja-utilisee", "Cette invitation a déjà été acceptée. Connectez-vous.")
    return invitation


@dataclass
class Acceptance:
    user: object
    membership: Membership
    created_account: bool


def accept(token: str, password: str | None = None, user=None) -> Acceptance:
    """Accept an invitation: create the account with `password` when the address has none (or give its password to
    an account made without one), else join as `user` (who must be logged in as the invited address). Raises
    InvitationError or ValidationError; writes nothing then.
    """
    with transaction.atomic():
        invitation = check_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError("deja-utilisee", "Cette invitation a déjà été acceptée. Connectez-vous.")
        existing = find_user(invitation.email)
        created = False
        if existing is not None and needs_password(existing):
            if not existing.is_active:
                raise InvitationError(
                    "compte-desactive",
                    "Le compte de cette adresse est désactivé : contactez l’administrateur.",
                )
            account = existing
            password_validation.validate_password(password or "", account)
            account.set_password(password)
            account.save(update_fields=["password"])
        elif existing is not None:
            if user is None or user.pk != existing.pk:
                raise InvitationError(
                    "compte-existant",
                    "Un compte existe déjà pour cette adresse : connectez-vous avec ce compte, puis rouvrez le lien.",
                )
            account = existing
        else:
            account = get_user_model()(username=invitation.email, email=invitation.email, is_active=True)
            password_validation.validate_password(password or "", account)
            account.set_password(password)
            account.save()
            created = True
        membership, made = Membership.objects.get_or_create(
            user=account, structure=invitation.structure, defaults={"role": invitation.role}
        )
        if not made and invitation.role == StructureRole.ADMIN_STRUCTURE:
            membership.role = StructureRole.ADMIN_STRUCTURE
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return Acceptance(account, membership, created)
