"""Who reads which young person of the dropout lists, and the audit of every read (docs/decrochage.md « Access »).

Built on `spro.accounts.permissions`' memberships: a young person's record is read only by the members
(conseiller, admin_structure) of the structure that runs their zone's PSAD and of the partner structure they are
assigned to. The PSAD coordinators of a zone are the `admin_structure` members of its PSAD structure: they import,
assign and see the whole zone. Territorial roles (tête de réseau, pilotes Région and État) never read a row; the
platform admin neither, unless a member of one of those structures. Every read of a record is one audit event.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from spro import audit
from spro.accounts.models import Membership, StructureRole
from spro.directory.models import Structure
from spro.dropouts.models import PsadZone, YoungPerson


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def visible_young_people(user) -> QuerySet[YoungPerson]:
    """The young people whose record `user` may read."""
    if not _active(user):
        return YoungPerson.objects.none()
    return YoungPerson.objects.filter(
        Q(zone__psad_structure__memberships__user=user) | Q(partner__memberships__user=user)
    ).distinct()


def can_read(user, person: YoungPerson) -> bool:
    """A member of the zone's PSAD structure or of the assigned partner structure."""
    if not _active(user):
        return False
    structures = [
        pk for pk in (person.zone.psad_structure_id if person.zone else None, person.partner_id) if pk
    ]
    return bool(structures) and Membership.objects.filter(user=user, structure_id__in=structures).exists()


def coordinated_zones(user) -> QuerySet[PsadZone]:
    """The zones `user` coordinates: admin of the zone's PSAD structure."""
    if not _active(user):
        return PsadZone.objects.none()
    return PsadZone.objects.filter(
        psad_structure__memberships__user=user,
        psad_structure__memberships__role=StructureRole.ADMIN_STRUCTURE,
    ).distinct()


def is_coordinator(user, zone: PsadZone | None) -> bool:
    return zone is not None and coordinated_zones(user).filter(pk=zone.pk).exists()


def can_assign(user, person: YoungPerson) -> bool:
    """Change a young person's partner or list: the coordinators of their zone only."""
    return is_coordinator(user, person.zone)


def read_record(user, person: YoungPerson, what: str = "fiche") -> YoungPerson:
    """The record, for `user` only if allowed (else PermissionDenied); each read is one audit event."""
    if not can_read(user, person):
        raise PermissionDenied(
            "Cette fiche n’est lisible que par la plateforme de la zone et le partenaire désigné."
        )
    structure = person.partner if person.partner_id else (person.zone.psad_structure if person.zone else None)
    audit.record(user, "dropout.view", person, structure=structure, detail=what)
    return person


def can_act(user, person: YoungPerson) -> bool:
    """Record the chain's work on a young person (contacts, situations, solutions, follow-ups, « droit au retour »,
    an accompaniment): the same people as those who read the record, the zone's PSAD members and the assigned
    partner's members."""
    return can_read(user, person)


def acting_structure(user, person: YoungPerson, structure: Structure | None = None) -> Structure:
    """The structure `user` acts for on `person`: `structure` when given (it must be the zone's PSAD structure or
    the assigned partner, and `user` one of its members), else the assigned partner if `user` is a member of it,
    else the zone's PSAD structure. PermissionDenied when `user` may not act on `person`."""
    allowed = [
        s for s in (person.partner, person.zone.psad_structure if person.zone else None) if s is not None
    ]
    if structure is not None:
        allowed = [s for s in allowed if s.pk == structure.pk]
    if _active(user):
        member_of = set(
            Membership.objects.filter(user=user, structure__in=allowed).values_list("structure_id", flat=True)
        )
        for candidate in allowed:
            if candidate.pk in member_of:
                return candidate
    raise PermissionDenied("Seuls la plateforme de la zone et le partenaire désigné agissent pour ce jeune.")
