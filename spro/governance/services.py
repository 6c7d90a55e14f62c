"""What the Region's SPRO team and the structures do with conventions and the charter: each change in one
transaction, audited (`spro.audit.record`), after the caller's permission check (`spro.governance.access`).

Uploaded texts go through `spro.core.uploads` (type by content, size, checksum, antivirus hook); a refused file is
an `UploadError` with a French message and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from spro import audit
from spro.core import uploads
from spro.governance import access, calendar
from spro.governance.models import (
    Amendment,
    CalendarFeedToken,
    Charter,
    CharterSignature,
    Convention,
    ConventionDocument,
    NetworkMember,
    TerminationNotice,
)

UPLOAD_FOLDER = "gouvernance"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Vous n’avez pas le droit de faire cette action.")


def check_convention(convention: Convention) -> None:
    """The rules a form checks before saving (the database re-checks the structural ones)."""
    if convention.kind == "cadre" and convention.parent_id:
        raise ValidationError({"parent": "Une convention cadre n’a pas de convention parente."})
    if convention.kind != "cadre":
        if not convention.parent_id:
            raise ValidationError({"parent": "Choisissez la convention cadre dont elle dépend."})
        if convention.parent is not None and convention.parent.kind != "cadre":
            raise ValidationError({"parent": "La convention parente doit être une convention cadre."})
    if convention.effective_on and convention.cprdfop_end < convention.effective_on:
        raise ValidationError({"cprdfop_end": "La fin du CPRDFOP ne peut pas précéder la date d’effet."})


@transaction.atomic
def save_convention(user, convention: Convention) -> Convention:
    _require(access.can_edit_conventions(user))
    check_convention(convention)
    created = convention.pk is None
    convention.save()
    audit.record(user, "convention_creee" if created else "convention_modifiee", convention)
    return convention


@transaction.atomic
def record_amendment(
    user, convention: Convention, number: int, signed_on: dt.date, subject: str
) -> Amendment:
    _require(access.can_edit_conventions(user))
    if Amendment.objects.filter(convention=convention, number=number).exists():
        raise ValidationError({"number": f"L’avenant n° {number} existe déjà pour cette convention."})
    amendment = Amendment.objects.create(
        convention=convention, number=number, signed_on=signed_on, subject=subject
    )
    audit.record(user, "avenant_enregistre", amendment, detail=f"convention {convention.pk}")
    return amendment


def next_amendment_number(convention: Convention) -> int:
    return (convention.amendments.aggregate(top=Max("number"))["top"] or 0) + 1


def add_document(
    user, convention: Convention, upload: Any, title: str, amendment: Amendment | None = None
) -> ConventionDocument:
    """Store a new version of a text: the file is checked and stored first, the row written after; if the row
    cannot be written the stored file is removed."""
    _require(access.can_edit_conventions(user))
    stored = uploads.store(upload, UPLOAD_FOLDER)
    with uploads.removed_on_failure(stored), transaction.atomic():
        Convention.objects.select_for_update().filter(
            pk=convention.pk
        ).first()  # one version number at a time
        version = (
            ConventionDocument.objects.filter(convention=convention).aggregate(top=Max("version"))["top"] or 0
        ) + 1
        document = ConventionDocument.objects.create(
            convention=convention,
            amendment=amendment,
            version=version,
            title=title or stored.original_name,
            path=stored.path,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=user,
        )
        audit.record(user, "texte_depose", document, detail=f"sha256 {stored.sha256}")
    return document


def document_response(user, document: ConventionDocument):
    allowed = access.can_download_convention_document(user)
    response = uploads.attachment_response(
        document.path, document.original_name, document.content_type, allowed=allowed
    )
    audit.record(user, "texte_telecharge", document)
    return response


@transaction.atomic
def record_notice(user, convention: Convention, sent_on: dt.date, sent_by: str) -> TerminationNotice:
    _require(access.can_edit_conventions(user))
    if convention.effective_on is None:
        raise ValidationError({"sent_on": "Indiquez d’abord la date d’effet de la convention."})
    if convention.notice() is not None:
        raise ValidationError({"sent_on": "Une dénonciation est déjà enregistrée pour cette convention."})
    try:
        calendar.life(convention.effective_on, convention.cprdfop_end, notice=sent_on)
    except calendar.CalendarError as error:
        raise ValidationError({"sent_on": str(error)}) from None
    notice = TerminationNotice.objects.create(
        convention=convention, sent_on=sent_on, sent_by=sent_by, recorded_by=user
    )
    audit.record(user, "denonciation_enregistree", notice, detail=f"convention {convention.pk}")
    return notice


def latest_notice_to_avoid(anniversary: dt.date) -> dt.date:
    """The last day a notice may be sent so that the convention ends before `anniversary` (no renewal)."""
    limit = anniversary - dt.timedelta(days=1)
    day = calendar.add_months(limit, -calendar.NOTICE_MONTHS)
    while calendar.notice_end(day + dt.timedelta(days=1)) <= limit:
        day += dt.timedelta(days=1)
    while calendar.notice_end(day) > limit:
        day -= dt.timedelta(days=1)
    return day


# --- The charter and the network --------------------------------------------------------------------------------


def publish_charter(user, text: str, title: str = "", upload: Any = None) -> Charter:
    _require(access.can_manage_charter(user))
    stored = uploads.store(upload, UPLOAD_FOLDER) if upload is not None else None
    with uploads.removed_on_failure(stored), transaction.atomic():
        version = (Charter.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        charter = Charter(version=version, text=text, created_by=user)
        if title:
            charter.title = title
        if stored is not None:
            charter.document_path = stored.path
            charter.document_name = stored.original_name
            charter.document_type = stored.content_type
            charter.document_sha256 = stored.sha256
        charter.save()
        audit.record(user, "charte_publiee", charter, detail=f"version {version}")
    return charter


def charter_document_response(charter: Charter):
    """The charter is public: anyone may download its text."""
    return uploads.attachment_response(
        charter.document_path,
        charter.document_name,
        charter.document_type,
        allowed=bool(charter.document_path),
    )


def current_members(on: dt.date | None = None) -> QuerySet[NetworkMember]:
    day = on or timezone.localdate()
    return (
        NetworkMember.objects.filter(started_on__lte=day, structure__is_active=True)
        .exclude(ended_on__lt=day)
        .select_related("structure", "structure__commune", "structure__commune__departement")
    )


def members_without_signature(charter: Charter | None = None) -> QuerySet[NetworkMember]:
    """Current members who have not signed `charter` (the current version by default)."""
    charter = charter or Charter.current()
    members = current_members()
    if charter is None:
        return members.none()
    return members.exclude(signatures__charter=charter).order_by("structure__nom", "pk")


@transaction.atomic
def sign_charter(user, member: NetworkMember, charter: Charter) -> CharterSignature:
    _require(access.can_sign_charter(user, member))
    current = Charter.current()
    if current is None or charter.pk != current.pk:
        raise ValidationError("Seule la version en vigueur de la charte peut être signée.")
    signature, created = CharterSignature.objects.get_or_create(
        member=member, charter=charter, defaults={"signed_by": user}
    )
    if created:
        audit.record(
            user, "charte_signee", signature, structure=member.structure, detail=f"version {charter.version}"
        )
    return signature


@transaction.atomic
def save_member(user, member: NetworkMember) -> NetworkMember:
    _require(access.can_manage_charter(user))
    created = member.pk is None
    member.full_clean()
    member.save()
    audit.record(user, "membre_ajoute" if created else "membre_modifie", member, structure=member.structure)
    return member


# --- Private calendar feed --------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_feed_token(user) -> str:
    """A new private feed token for the user (the old one stops working); returned once, kept only hashed."""
    _require(access.can_view_conventions(user))
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.update_or_create(user=user, defaults={"token_sha256": _digest(token)})
    audit.record(user, "calendrier_adresse_creee", ("auth.user", user.pk))
    return token


def feed_user(token: str):
    """The user of a feed token who still has the right to read the conventions, or None."""
    if not token or len(token) > 100:
        return None
    row = CalendarFeedToken.objects.select_related("user").filter(token_sha256=_digest(token)).first()
    if row is None or not access.can_view_conventions(row.user):
        return None
    return row.user
