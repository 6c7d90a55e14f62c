"""What can happen to referrals, as plain functions the views and commands call.

Creation is idempotent on the form's key, erasure keeps only coarse categories (structure, dates, statuses,
besoins, commune) for the statistics, and the retention commands are idempotent and logged.
"""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from spro.core.text import clean_text
from spro.referrals import conf, notifications, tokens, workflow
from spro.referrals.models import MESSAGE_MAX_LENGTH, OutboxMessage, Referral, Status
from spro.referrals.signals import referral_changed
from spro.referrals.vocabularies import BESOINS, ContactChannel

#: Version of the consent screen's wording; change it whenever the text of consent.html changes.
CONSENT_TEXT_VERSION = "2026-11-public-v2"  # v2: says when the answer's needs come pre-checked
#: Consent collected by a conseiller for an onward referral (the person agreed in the conversation).
ONWARD_CONSENT_TEXT_VERSION = "2026-11-conseiller-v1"


@dataclass
class ContactDetails:
    """What the person agreed to share: nothing else is stored."""

    first_name: str
    contact_channel: str
    contact_value: str
    message: str = ""
    besoins: list[str] = field(default_factory=list)
    commune: object | None = None  # spro.referentials.geo.models.Commune

    def normalise(self) -> None:
        """No invisible format or control character, NFC (see spro/core/text.py), whatever the caller."""
        self.first_name = clean_text(self.first_name)
        self.contact_value = clean_text(self.contact_value)
        self.message = clean_text(self.message, multiline=True)

    def check(self) -> None:
        if not self.first_name.strip() or not self.contact_value.strip():
            raise workflow.MissingInformation("Le prénom et le moyen de contact sont obligatoires.")
        if self.contact_channel not in ContactChannel.values:
            raise workflow.MissingInformation("Choisissez le courriel ou le téléphone.")
        if len(self.message) > MESSAGE_MAX_LENGTH:
            raise workflow.MissingInformation(
                f"Le message ne doit pas dépasser {MESSAGE_MAX_LENGTH} caractères."
            )
        unknown = [b for b in self.besoins if b not in BESOINS]
        if unknown:
            raise workflow.MissingInformation(f"Besoin inconnu : {', '.join(unknown)}.")


@dataclass
class Created:
    referral: Referral
    follow_token: str
    created: bool  # False when the same form was submitted again
    # follow_token is "" when an existing referral's link was deleted


def form_key_digest(structure, nonce: str, referred_from: Referral | None = None) -> str:
    """The stored digest of a form's nonce, bound to the form it was issued for (see tokens.py).

    A public form is bound to its structure; an « orienter » form to the referral it comes from and that referral's
    structure (whatever structure is then chosen, so that one key creates one onward referral)."""
    if referred_from is not None:
        return tokens.idempotency_digest("orienter", referred_from.structure_id, referred_from.pk, nonce)
    return tokens.idempotency_digest("public", structure.pk, None, nonce)


def follow_token_of(referral: Referral) -> str:
    return tokens.current_follow_token(referral)


def same_details(referral: Referral, details: ContactDetails) -> bool:
    """Whether a resubmitted form carries what the referral holds (the same person submitting twice)."""
    if referral.is_anonymised:
        return False
    pairs = [
        (referral.first_name, clean_text(details.first_name)),
        (referral.contact_channel, details.contact_channel),
        (referral.contact_value, clean_text(details.contact_value)),
    ]
    return all(hmac.compare_digest(a.encode(), b.encode()) for a, b in pairs)


def create_referral(
    structure,
    details: ContactDetails,
    *,
    idempotency_key: str,
    consent_text_version: str = CONSENT_TEXT_VERSION,
    user=None,
    referred_from: Referral | None = None,
    follow_url_for=None,
) -> Created:
    """Create the referral, its first log entry and its e-mails; the same key in the same form gives the same
    referral (`created` False): the caller decides what it may show of it (see public_views.contact).

    `idempotency_key` is the nonce of a form key already checked against its form (tokens.open_form_key)."""
    if not tokens.is_well_formed(idempotency_key):
        raise workflow.MissingInformation("Le formulaire a expiré : rechargez la page et recommencez.")
    details.normalise()
    details.check()
    key_hash = form_key_digest(structure, idempotency_key, referred_from)
    existing = Referral.objects.filter(idempotency_key_hash=key_hash).first()
    if existing is not None:
        return Created(existing, follow_token_of(existing), False)
    now = timezone.now()
    public_id = uuid.uuid4()
    token = tokens.follow_token(public_id, key_hash)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                public_id=public_id,
                structure=structure,
                first_name=details.first_name,
                contact_channel=details.contact_channel,
                contact_value=details.contact_value,
                message=details.message,
                besoins=sorted(set(details.besoins)),
                commune=details.commune,
                consent_text_version=consent_text_version,
                consent_given_at=now,
                follow_token_hash=tokens.digest(token),
                follow_link_expires_at=now + dt.timedelta(days=conf.follow_link_days()),
                expires_at=now + dt.timedelta(days=conf.expiry_days()),
                idempotency_key_hash=key_hash,
                referred_by_user=user,
                referred_from=referred_from,
            )
            note = f"Orientée depuis la demande {referred_from.public_id}" if referred_from else ""
            workflow.log_event(
                referral,
                reason="orientation-par-conseiller" if user else "creation",
                user=user,
                by_person=user is None,
                note=note,
            )
            referral_changed.send(
                sender=Referral,
                referral=referral,
                from_status="",
                to_status=referral.status,
                at=referral.created_at,
            )
            if referred_from is not None:
                workflow.log_event(
                    referred_from,
                    reason="orientee-ailleurs",
                    user=user,
                    note=f"Nouvelle demande {referral.public_id} pour {structure.nom}",
                )
            notifications.on_created(referral, follow_url_for(token) if follow_url_for else None)
    except IntegrityError:
        # The same form, submitted twice at once: the other request won the unique key.
        existing = Referral.objects.filter(idempotency_key_hash=key_hash).first()
        if existing is None:
            raise
        return Created(existing, follow_token_of(existing), False)
    return Created(referral, token, True)


def find_by_follow_token(token: str) -> Referral | None:
    if not tokens.is_well_formed(token):
        return None
    return Referral.objects.select_related("structure").filter(follow_token_hash=tokens.digest(token)).first()


def link_expired(referral: Referral, now: dt.datetime | None = None) -> bool:
    return referral.follow_link_expires_at <= (now or timezone.now())


#: Tables that hold a person's data; their freed space must not keep erased values.
PERSONAL_DATA_TABLES = ("referrals_referral", "referrals_referraltransition", "referrals_outboxmessage")


def _secure_delete() -> None:
    """On SQLite, make this connection overwrite deleted and replaced content with zeros (`secure_delete`), so that
    an erased value does not stay readable in the free space of a page or in the free pages of the file."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")


def purge_erased_data(*, vacuum: bool = False) -> str:
    """After erasure, make it real in the database files; returns what was done, in one line.

    SQLite: the write-ahead log still holds the pages as they were before the erasure until a checkpoint; a
    TRUNCATE checkpoint copies the new pages into the database and empties the log file. PostgreSQL: the old row
    versions stay as dead tuples until VACUUM (autovacuum does it in its own time); `vacuum=True` runs it on the
    tables that hold personal data now (see docs/referrals.md)."""
    if connection.in_atomic_block:
        return "purge différée (transaction en cours)"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
        if busy:
            return (
                "journal SQLite : point de contrôle incomplet (lecteurs en cours), refait au prochain passage"
            )
        return "journal SQLite vidé (wal_checkpoint TRUNCATE, secure_delete)"
    if connection.vendor == "postgresql" and vacuum:
        with connection.cursor() as cursor:
            for table in PERSONAL_DATA_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        return "VACUUM fait sur " + ", ".join(PERSONAL_DATA_TABLES)
    return ""


def _erase(referral: Referral, *, reason: str, by_person: bool = False, forget_link: bool = False) -> None:
    """Blank the personal fields and the person's e-mails, keep the coarse categories, log the event."""
    referral.first_name = ""
    referral.contact_value = ""
    referral.message = ""
    referral.anonymised_at = timezone.now()
    if forget_link:
        referral.follow_token_hash = None
    referral.save()
    OutboxMessage.objects.filter(referral=referral, to_person=True).delete()
    referral.transitions.exclude(note="").update(note="")  # free text may name the person
    workflow.log_event(referral, reason=reason, by_person=by_person)


def withdraw(referral: Referral) -> Referral:
    """The person withdraws consent: the referral stops and their data are erased at once (consent was the basis)."""
    _secure_delete()
    with transaction.atomic():
        updated = workflow.apply(referral, "retirer", by_person=True)
        _erase(updated, reason="retrait-consentement", by_person=True)
    referral.refresh_from_db()
    return referral


def delete_data(referral: Referral) -> Referral:
    """The person deletes their data: an open referral is withdrawn first, then the follow link stops working."""
    _secure_delete()
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status in workflow.OPEN_STATUSES and not locked.is_anonymised:
            locked = workflow.apply(locked, "retirer", by_person=True)
        if locked.is_anonymised:
            locked.follow_token_hash = None
            locked.save(update_fields=["follow_token_hash", "updated_at"])
            workflow.log_event(locked, reason="lien-supprime", by_person=True)
        else:
            _erase(locked, reason="suppression-demandee", by_person=True, forget_link=True)
    referral.refresh_from_db()
    return referral


def refer_onward(
    referral: Referral, structure, *, user, idempotency_key: str, note: str = "", follow_url_for=None
) -> Created:
    """A conseiller sends the person to another structure, with the person's agreement: a new referral."""
    if referral.is_anonymised:
        raise workflow.IllegalTransition("Les données de cette demande ont été supprimées.")
    if structure.pk == referral.structure_id:
        raise workflow.MissingInformation("Choisissez une autre structure que la vôtre.")
    details = ContactDetails(
        first_name=referral.first_name,
        contact_channel=referral.contact_channel,
        contact_value=referral.contact_value,
        message=note.strip() or referral.message,
        besoins=list(referral.besoins),
        commune=referral.commune,
    )
    return create_referral(
        structure,
        details,
        idempotency_key=idempotency_key,
        consent_text_version=ONWARD_CONSENT_TEXT_VERSION,
        user=user,
        referred_from=referral,
        follow_url_for=follow_url_for,
    )


def expire_due(now: dt.datetime | None = None) -> int:
    """Expire the referrals nobody answered in time; run it again and it does nothing more."""
    now = now or timezone.now()
    count = 0
    for referral in Referral.objects.filter(
        status__in=[Status.NOUVELLE, Status.VUE], expires_at__lte=now, anonymised_at__isnull=True
    ).only("pk"):
        try:
            workflow.apply(referral, "expirer")
        except workflow.IllegalTransition:  # answered meanwhile
            continue
        count += 1
    return count


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` earlier (the last day of a shorter month if needed)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def anonymise_due(now: dt.datetime | None = None) -> int:
    """Erase the personal data of referrals older than the retention period; idempotent.

    Callers then run `purge_erased_data()` (the command does) so that the erased values leave the files too."""
    now = now or timezone.now()
    _secure_delete()
    limit = months_before(now, conf.retention_months())
    count = 0
    for referral in Referral.objects.filter(created_at__lt=limit, anonymised_at__isnull=True).only("pk"):
        with transaction.atomic():
            locked = (
                Referral.objects.select_for_update()
                .filter(pk=referral.pk, anonymised_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            _erase(locked, reason="duree-conservation")
        count += 1
    return count
