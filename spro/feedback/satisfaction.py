"""The satisfaction question: its one-time form key and the recording of an answer (docs/avis.md).

A form carries a key signed with `django.core.signing` (its own salt): the service kind, the non-identifying context
(département, the structure's typology and network), the page to go back to, and a random nonce. The context is
therefore never read from the posted fields, so it cannot be forged. When an answer is recorded, the nonce's digest
goes into `UsedFormKey` in the same transaction: a second submit of the same form is refused, not counted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from spro.feedback import signals
from spro.feedback.models import SatisfactionAnswer, SatisfactionReason, UsedFormKey
from spro.feedback.vocabularies import Reason, Score, ServiceKind

SALT = "spro.feedback.satisfaction"
#: How long a form's key stays valid, in seconds (a page left open for a day can still be answered).
MAX_AGE = 24 * 3600


class FeedbackError(Exception):
    """A refused answer; `code` says why (`cle-invalide`, `deja-repondu`, `valeurs-invalides`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class FormContext:
    service: str
    departement: str = ""
    typologie: str = ""
    reseau: str = ""
    retour: str = ""


def _short(value: Any, length: int) -> str:
    return str(value or "").strip()[:length]


def structure_context(service: str, structure: Any, retour: str = "") -> FormContext:
    """The non-identifying context of a service given by a structure: its typology, first network, département."""
    if not structure:
        return FormContext(service=service, retour=retour)
    reseaux = sorted(str(r) for r in (structure.reseaux_porteurs or []) if r)
    commune = getattr(structure, "commune", None)
    return FormContext(
        service=service,
        departement=_short(getattr(commune, "departement_id", ""), 3),
        typologie=_short(structure.typologie, 30),
        reseau=_short(reseaux[0] if reseaux else "", 60),
        retour=retour,
    )


def referral_context(referral: Any, retour: str = "") -> FormContext:
    return structure_context(ServiceKind.ORIENTATION, referral.structure, retour)


def new_form_key(context: FormContext) -> str:
    if context.service not in ServiceKind.values:
        raise ValueError(f"service inconnu : {context.service!r}")
    payload = {
        "s": context.service,
        "d": context.departement,
        "t": context.typologie,
        "r": context.reseau,
        "u": context.retour,
        "n": secrets.token_urlsafe(16),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def read_form_key(key: str) -> tuple[FormContext, str]:
    """The context and nonce of a key; FeedbackError if it is forged, damaged or too old."""
    try:
        payload = signing.loads(key or "", salt=SALT, max_age=MAX_AGE)
        context = FormContext(
            service=str(payload["s"]),
            departement=_short(payload["d"], 3),
            typologie=_short(payload["t"], 30),
            reseau=_short(payload["r"], 60),
            retour=str(payload["u"]),
        )
        nonce = str(payload["n"])
    except signing.SignatureExpired:
        raise FeedbackError("cle-expiree", "Ce formulaire est trop ancien : rechargez la page.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FeedbackError("cle-invalide", "Ce formulaire n’est pas valide : rechargez la page.") from None
    if context.service not in ServiceKind.values or not nonce:
        raise FeedbackError("cle-invalide", "Ce formulaire n’est pas valide : rechargez la page.")
    return context, nonce


def safe_return(context: FormContext) -> str:
    """The page to go back to, only if it is a path of this site."""
    url = context.retour
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""


def record(key: str, score: int, reasons: list[str]) -> SatisfactionAnswer:
    """Record one answer for the form `key`: once only. Raises FeedbackError; writes nothing then."""
    context, nonce = read_form_key(key)
    if score not in Score.values or any(r not in Reason.values for r in reasons):
        raise FeedbackError("valeurs-invalides", "Choisissez une note de 1 à 5 et des raisons de la liste.")
    digest = hashlib.sha256(f"{SALT}|{nonce}".encode()).hexdigest()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            UsedFormKey.objects.create(digest=digest, used_on=today)
            answer = SatisfactionAnswer.objects.create(
                day=today,
                service=context.service,
                score=score,
                departement=context.departement,
                typologie=context.typologie,
                reseau=context.reseau,
            )
            SatisfactionReason.objects.bulk_create(
                [SatisfactionReason(answer=answer, code=code) for code in sorted(set(reasons))]
            )
            signals.satisfaction_recorded.send(
                SatisfactionAnswer, answer=answer, reasons=sorted(set(reasons))
            )
    except IntegrityError:
        raise FeedbackError("deja-repondu", "Votre avis a déjà été enregistré. Merci !") from None
    return answer


def purge_used_keys(today: Any = None) -> int:
    """Forget the used keys older than a key's validity (they cannot be replayed anyway)."""
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=2)
    deleted, _ = UsedFormKey.objects.filter(used_on__lt=limit).delete()
    return deleted
