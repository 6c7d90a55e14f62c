"""Appoint a structure's admin from the command line (`spro structures admin`), without the Django admin.

Why: the first admin of a structure has nobody to invite them. An unknown address gets an account without a usable
password, the admin membership, and an invitation link (e-mailed and printed) through which the person chooses a
password. An existing account gets the admin role, idempotently. The platform never sets a password itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from spro.accounts import invitations
from spro.accounts.models import Membership, StructureRole
from spro.directory.models import Structure


class AppointmentError(Exception):
    """A request that cannot be carried out; `code` is stable (tests), the message is for the operator."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Appointment:
    user: object
    membership: Membership
    outcome: str  # "compte-cree", "invitation-renouvelee", "role-ajoute", "role-promu", "deja-admin"
    invitation: object | None = None


def find_structure(reference: str) -> Structure:
    """A structure by its number (the id in /pro/structures/<id>/…) or its data·inclusion identifier (`di_id`)."""
    reference = reference.strip()
    query = Structure.objects.filter(pk=int(reference)) if reference.isdigit() else None
    structure = query.first() if query is not None else None
    if structure is None:
        structure = Structure.objects.filter(di_id=reference).first()
    if structure is None:
        raise AppointmentError(
            "structure-inconnue",
            f"Structure inconnue : {reference!r} (indiquez son numéro ou son identifiant data·inclusion).",
        )
    if not structure.is_active:
        raise AppointmentError(
            "structure-retiree", f"La structure « {structure.nom} » est retirée de l’annuaire."
        )
    return structure


def appoint_admin(structure: Structure, email: str, first_name: str = "", last_name: str = "") -> Appointment:
    """Make `email` an admin of `structure`. An account without a usable password (new, or not yet activated by its
    invitation) gets a fresh invitation, to be sent by the caller with `invitations.link` and `invitations.send`."""
    email = invitations.normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise AppointmentError("adresse-invalide", f"Adresse électronique invalide : {email!r}.") from exc
    with transaction.atomic():
        accounts = list(get_user_model().objects.select_for_update().filter(email__iexact=email)[:2])
        if len(accounts) > 1:
            raise AppointmentError(
                "plusieurs-comptes",
                f"Plusieurs comptes utilisent l’adresse {email} : corrigez-les dans l’admin avant de continuer.",
            )
        if accounts and not accounts[0].is_active:
            raise AppointmentError(
                "compte-desactive", f"Le compte de {email} est désactivé : réactivez-le dans l’admin d’abord."
            )
        if accounts:
            user = accounts[0]
            names = {"first_name": first_name.strip(), "last_name": last_name.strip()}
            missing = {field: value for field, value in names.items() if value and not getattr(user, field)}
            if missing:
                for field, value in missing.items():
                    setattr(user, field, value)
                user.save(update_fields=list(missing))
            created = False
        else:
            user = get_user_model()(
                username=email,
                email=email,
                first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150],
                is_active=True,
            )
            user.set_unusable_password()
            user.save()
            created = True
        membership, made = Membership.objects.get_or_create(
            user=user, structure=structure, defaults={"role": StructureRole.ADMIN_STRUCTURE}
        )
        if made:
            outcome = "role-ajoute"
        elif membership.role != StructureRole.ADMIN_STRUCTURE:
            membership.role = StructureRole.ADMIN_STRUCTURE
            membership.save(update_fields=["role"])
            outcome = "role-promu"
        else:
            outcome = "deja-admin"
        invitation = None
        if invitations.needs_password(user):
            invitation = invitations.record(None, structure, email, StructureRole.ADMIN_STRUCTURE)
            outcome = "compte-cree" if created else "invitation-renouvelee"
    return Appointment(user, membership, outcome, invitation)
