"""What happens to an entry of the register: written, given attachments, submitted, published or refused. Every
function checks the right first (`access`) and the review actions are audited (docs/bonnes-pratiques.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from spro import audit
from spro.accounts.permissions import can_act_for_structure, structures_in_scope
from spro.core import uploads
from spro.core.normaliser import fold
from spro.core.text import clean_text
from spro.practices import access
from spro.practices.models import Attachment, Practice
from spro.practices.vocabularies import RefusalReason, Status

UPLOAD_FOLDER = "pratiques"
FIELDS = ("title", "kind", "theme", "network", "territory_level", "territory_code", "text")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Vous n’avez pas le droit de faire cette action.")


def _search_text(practice: Practice) -> str:
    return fold(f"{practice.title} {practice.text}")


def save(user, values: dict[str, Any], practice: Practice | None = None, structure=None) -> Practice:
    """Create a draft (for `structure`, or in the user's own name for a network head) or update an editable entry."""
    if practice is None:
        _require(access.can_write(user))
        if structure is not None:
            _require(can_act_for_structure(user, structure))
        else:
            _require(access.is_network_head(user))
        practice = Practice(author_structure=structure, created_by=user)
    else:
        _require(access.can_edit(user, practice))
    for name in FIELDS:
        value = values.get(name, "")
        setattr(
            practice,
            name,
            clean_text(value, multiline=name == "text") if name in ("title", "text") else value,
        )
    practice.search_text = _search_text(practice)
    practice.full_clean(exclude=["created_by", "author_structure"])
    practice.save()
    return practice


def add_attachment(user, practice: Practice, upload: Any) -> Attachment:
    """Check and store the file (`spro.core.uploads`), then the row; the file is removed if the row fails."""
    _require(access.can_edit(user, practice))
    stored = uploads.store(upload, UPLOAD_FOLDER)
    with uploads.removed_on_failure(stored), transaction.atomic():
        attachment = Attachment.objects.create(
            practice=practice,
            path=stored.path,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=user,
        )
        audit.record(user, "pratique_piece_deposee", practice, detail=f"sha256 {stored.sha256}")
    return attachment


def attachment_response(user, attachment: Attachment):
    allowed = access.can_view(user, attachment.practice)
    response = uploads.attachment_response(
        attachment.path, attachment.original_name, attachment.content_type, allowed=allowed
    )
    audit.record(user, "pratique_piece_telechargee", attachment.practice, detail=attachment.original_name)
    return response


def submit(user, practice: Practice) -> None:
    _require(access.can_edit(user, practice))
    with transaction.atomic():
        practice.status = Status.SOUMISE
        practice.submitted_at = timezone.now()
        practice.refusal_reason = ""
        practice.save(update_fields=["status", "submitted_at", "refusal_reason", "updated_at"])
        audit.record(user, "pratique_soumise", practice)


def publish(user, practice: Practice, comment: str = "") -> None:
    _require(access.can_review(user))
    if practice.status != Status.SOUMISE:
        raise ValidationError("Seule une fiche soumise peut être publiée.")
    _review(user, practice, Status.PUBLIEE, "", comment)


def refuse(user, practice: Practice, reason: str, comment: str = "") -> None:
    _require(access.can_review(user))
    if practice.status != Status.SOUMISE:
        raise ValidationError("Seule une fiche soumise peut être refusée.")
    if reason not in RefusalReason.values:
        raise ValidationError("Choisissez un motif de refus.")
    _review(user, practice, Status.REFUSEE, reason, comment)


def _review(user, practice: Practice, status: str, reason: str, comment: str) -> None:
    with transaction.atomic():
        practice.status = status
        practice.reviewed_by = user
        practice.reviewed_at = timezone.now()
        practice.refusal_reason = reason
        practice.review_comment = clean_text(comment, multiline=True)
        practice.save(
            update_fields=[
                "status",
                "reviewed_by",
                "reviewed_at",
                "refusal_reason",
                "review_comment",
                "updated_at",
            ]
        )
        audit.record(
            user, f"pratique_{'publiee' if status == Status.PUBLIEE else 'refusee'}", practice, detail=reason
        )


@dataclass(frozen=True)
class Search:
    text: str = ""
    theme: str = ""
    kind: str = ""
    network: str = ""
    territory_code: str = ""


def published(search: Search) -> QuerySet[Practice]:
    """Published entries matching every word of `text` (accents and case folded, as the site's search does) and
    the other filters."""
    found = Practice.objects.filter(status=Status.PUBLIEE)
    for word in fold(search.text).split():
        found = found.filter(search_text__contains=word)
    if search.theme:
        found = found.filter(theme=search.theme)
    if search.kind:
        found = found.filter(kind=search.kind)
    if search.network:
        found = found.filter(network=search.network)
    if search.territory_code:
        found = found.filter(territory_code=search.territory_code.strip().upper())
    return found.select_related("author_structure")


def mine(user) -> QuerySet[Practice]:
    """The entries the user writes: their structures' and their own."""
    return Practice.objects.filter(
        Q(author_structure__in=structures_in_scope(user)) | Q(author_structure__isnull=True, created_by=user)
    ).select_related("author_structure")


def to_review(user) -> QuerySet[Practice]:
    if not access.can_review(user):
        return Practice.objects.none()
    return Practice.objects.filter(status=Status.SOUMISE).select_related("author_structure")
