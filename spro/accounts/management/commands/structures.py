"""`spro structures admin <structure> <email> [--first-name P] [--last-name N]`: appoint a structure's admin.

`<structure>` is its number (as in /pro/structures/<id>/…) or its data·inclusion identifier. A new address gets an
account without a password, the admin role and an invitation link (e-mailed, and printed here) to choose the
password; an existing account gets the admin role (a second run changes nothing). Errors exit with status 1.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from spro.accounts import admins, invitations

MESSAGES = {
    "compte-cree": "Compte créé pour {email}, administrateur de « {nom} ».",
    "invitation-renouvelee": "{email} n’a pas encore choisi de mot de passe : nouveau lien d’invitation.",
    "role-ajoute": "{email} (compte existant) est maintenant administrateur de « {nom} ».",
    "role-promu": "{email} (déjà membre) est promu administrateur de « {nom} ».",
    "deja-admin": "{email} est déjà administrateur de « {nom} » : rien à changer.",
}


class Command(BaseCommand):
    help = (
        "Structures of the network. admin: make an e-mail address an admin of a structure (invitation link)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        admin = actions.add_parser("admin", help="appoint a structure admin (no Django admin needed)")
        admin.add_argument("structure", help="the structure's number or data·inclusion identifier")
        admin.add_argument("email", help="the admin's e-mail address")
        admin.add_argument("--first-name", default="", help="first name, for a new account")
        admin.add_argument("--last-name", default="", help="last name, for a new account")

    def handle(self, *args, action: str, **options):
        try:
            structure = admins.find_structure(options["structure"])
            result = admins.appoint_admin(
                structure, options["email"], options["first_name"], options["last_name"]
            )
        except admins.AppointmentError as error:
            raise CommandError(error.message) from error
        email = result.user.email
        self.stdout.write(MESSAGES[result.outcome].format(email=email, nom=structure.nom))
        if result.invitation is None:
            return
        base = settings.SPRO_SITE_URL.rstrip("/") + reverse("pro-invitation", args=["x"])[:-1]
        url = invitations.link(result.invitation, base)
        days = max(1, invitations.ttl_seconds() // 86400)
        self.stdout.write(
            f"Lien pour choisir le mot de passe (valable {days} jour(s), une seule fois) :\n{url}"
        )
        try:
            invitations.send(result.invitation, url)
        except Exception as exc:  # the mail server's failure must not hide the link printed above
            raise CommandError(
                f"L’e-mail d’invitation n’a pas pu être envoyé ({exc}) : transmettez le lien ci-dessus à {email}."
            ) from exc
        self.stdout.write(f"Invitation envoyée par e-mail à {email}.")
