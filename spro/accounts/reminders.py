"""Freshness reminders: each structure admin gets one e-mail listing their structures not verified for six months.

Connected to `spro.directory.freshness.stale_structures_found` (sent by `spro directory remind-stale`, run weekly by
the scheduler, docs/deploy.md). The e-mails go through the outbox (`spro.core.mail`), so a mail-server failure loses
nothing; the receiver returns how many were written, which the command prints.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from spro.accounts.models import Membership, StructureRole
from spro.core.mail import queue_email


def remind_admins(sender, structures, today=None, **kwargs) -> int:
    by_admin: dict[str, list] = defaultdict(list)
    memberships = (
        Membership.objects.filter(
            structure__in=structures, role=StructureRole.ADMIN_STRUCTURE, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "structure")
        .order_by("user__email", "structure__nom", "structure__pk")
    )
    for membership in memberships:
        by_admin[membership.user.email].append(membership.structure)
    site = settings.SPRO_SITE_URL.rstrip("/")
    with transaction.atomic():
        for email, owned in by_admin.items():
            lines = [
                f"- {s.nom} (dernière vérification : {(s.date_verification or s.date_maj).isoformat()}) : "
                f"{site}{reverse('structure', args=[s.di_id])}"
                for s in owned
            ]
            queue_email(
                email,
                f"[Annuaire] {len(owned)} fiche(s) à vérifier",
                "Bonjour,\n\n"
                "Les fiches suivantes de l'annuaire du service public régional de l'orientation n'ont pas été "
                "vérifiées depuis plus de six mois. Merci de les relire (horaires, contacts, services) et de "
                "signaler les changements, afin que les personnes orientées vers vous trouvent des informations "
                "justes :\n\n" + "\n".join(lines) + "\n",
            )
    return len(by_admin)
