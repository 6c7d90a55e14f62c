"""The outcome follow-up at 3 and 6 months (docs/avis.md): consent, due messages, answers, withdrawal.

Only a referral whose person chose to be reached by e-mail, gave the separate consent and has not withdrawn it, and
whose data are still kept (not anonymised), is written to; each message (3 months, 6 months) is queued once, through
the referrals app's outbox (erased with the referral). The link in the message carries a signed key (its own salt,
valid `LINK_DAYS`) naming the consent and the month; the answer is stored in `OutcomeAnswer` without any link back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from spro.audit import record as audit
from spro.core.months import add_months
from spro.feedback import satisfaction, signals
from spro.feedback.models import FollowUpConsent, OutcomeAnswer
from spro.feedback.vocabularies import (
    FOLLOW_UP_CONSENT_TEXTS,
    FOLLOW_UP_CONSENT_VERSION,
    FollowUpKind,
    Outcome,
)
from spro.referrals import conf as referral_conf
from spro.referrals import outbox, tokens
from spro.referrals.models import Referral
from spro.referrals.vocabularies import ContactChannel

SALT = "spro.feedback.outcome"
#: How long the link of a follow-up message works.
LINK_DAYS = 60
MONTHS = (FollowUpKind.TROIS_MOIS.value, FollowUpKind.SIX_MOIS.value)


class FollowUpError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def can_consent(referral: Referral) -> bool:
    """The follow-up is written by e-mail: only a referral reached by e-mail, with its data kept, can consent."""
    return referral.contact_channel == ContactChannel.EMAIL and not referral.is_anonymised


def consent_of(referral: Referral) -> FollowUpConsent | None:
    return FollowUpConsent.objects.filter(referral=referral).first()


def give_consent(referral: Referral, version: str = FOLLOW_UP_CONSENT_VERSION) -> FollowUpConsent:
    """Record (or renew after a withdrawal) the consent, with the wording's version and the time."""
    if not can_consent(referral):
        raise FollowUpError(
            "impossible", "Le suivi à 3 et 6 mois se fait par courriel : il n’est pas possible ici."
        )
    if version not in FOLLOW_UP_CONSENT_TEXTS:
        raise FollowUpError("version-inconnue", "Version du texte de consentement inconnue.")
    now = timezone.now()
    with transaction.atomic():
        consent, _ = FollowUpConsent.objects.select_for_update().get_or_create(
            referral=referral, defaults={"text_version": version, "given_at": now}
        )
        if consent.withdrawn_at is not None:
            consent.text_version, consent.given_at, consent.withdrawn_at = version, now, None
            consent.save(update_fields=["text_version", "given_at", "withdrawn_at"])
        audit(None, "suivi-3-6-mois-accord", referral, detail=f"version {version}")
    return consent


def withdraw_consent(referral: Referral) -> bool:
    """Withdraw the consent: no further message. True if there was one to withdraw."""
    with transaction.atomic():
        changed = FollowUpConsent.objects.filter(referral=referral, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if changed:
            audit(None, "suivi-3-6-mois-retrait", referral)
    return bool(changed)


def due_month(consent: FollowUpConsent, referral: Referral, on: dt.date) -> int | None:
    """The message due on `on` for this consent: 6 when six months have passed and it was not sent, else 3 when
    three months have (a late 3-month message is not sent once the 6-month one is due)."""
    created = timezone.localtime(referral.created_at).date()
    if consent.sent_6_at is None and add_months(created, 6) <= on:
        return 6
    if consent.sent_3_at is None and consent.sent_6_at is None and add_months(created, 3) <= on:
        return 3
    return None


def link_key(consent: FollowUpConsent, months: int) -> str:
    return signing.dumps({"c": consent.pk, "m": months}, salt=SALT)


def link_url(consent: FollowUpConsent, months: int) -> str:
    return f"{referral_conf.site_url()}{reverse('feedback:situation', args=[link_key(consent, months)])}"


def message(consent: FollowUpConsent, referral: Referral, months: int) -> tuple[str, str]:
    """Subject and body of the follow-up e-mail (no personal data but the first name the person gave)."""
    hello = f"Bonjour {referral.first_name}," if referral.first_name else "Bonjour,"
    follow = tokens.current_follow_token(referral)
    follow_line = (
        f"Pour ne plus recevoir ces messages : {referral_conf.site_url()}{reverse('referrals:suivi', args=[follow])}\n"
        if follow
        else "Pour ne plus recevoir ces messages, choisissez « Je ne souhaite plus être recontacté·e ».\n"
    )
    body = (
        f"{hello}\n\n"
        f"Il y a {months} mois, vous avez demandé à être contacté·e par {referral.structure.nom}, et vous avez accepté "
        "que nous vous demandions où vous en êtes.\n\n"
        "Une seule question, à choix, sans texte à écrire ; votre réponse est gardée sans votre nom :\n"
        f"{link_url(consent, months)}\n\n"
        f"Ce lien fonctionne {LINK_DAYS} jours.\n"
        f"{follow_line}"
    )
    return f"Où en êtes-vous, {months} mois après votre demande ?", body


@dataclass
class Run:
    queued: list[tuple[int, int]] = field(default_factory=list)  # (consent id, months)


def queue_due(on: dt.date | None = None, *, dry_run: bool = False) -> Run:
    """Queue the follow-up messages due on `on` (today by default); each once; nothing written with dry_run."""
    on = on or timezone.localdate()
    run = Run()
    consents = (
        FollowUpConsent.objects.filter(
            withdrawn_at__isnull=True,
            sent_6_at__isnull=True,
            referral__anonymised_at__isnull=True,
            referral__contact_channel=ContactChannel.EMAIL,
        )
        .select_related("referral", "referral__structure")
        .order_by("pk")
    )
    for consent in consents:
        months = due_month(consent, consent.referral, on)
        if months is None:
            continue
        run.queued.append((consent.pk, months))
        if dry_run:
            continue
        with transaction.atomic():
            locked = (
                FollowUpConsent.objects.select_for_update()
                .filter(pk=consent.pk, withdrawn_at__isnull=True)
                .first()
            )
            if locked is None or due_month(locked, consent.referral, on) != months:
                run.queued.pop()
                continue
            subject, body = message(locked, consent.referral, months)
            outbox.enqueue(
                consent.referral.contact_value, subject, body, referral=consent.referral, to_person=True
            )
            setattr(locked, f"sent_{months}_at", timezone.now())
            locked.save(update_fields=[f"sent_{months}_at"])
    satisfaction.purge_used_keys(on)
    return run


def read_link(key: str) -> tuple[FollowUpConsent, int]:
    """The consent and month of a follow-up link; FollowUpError when forged, too old, withdrawn or erased."""
    try:
        payload = signing.loads(key or "", salt=SALT, max_age=LINK_DAYS * 24 * 3600)
        consent_pk, months = int(payload["c"]), int(payload["m"])
    except signing.SignatureExpired:
        raise FollowUpError("lien-expire", "Ce lien a expiré.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FollowUpError("lien-invalide", "Ce lien n’est pas valide.") from None
    consent = (
        FollowUpConsent.objects.select_related("referral", "referral__structure")
        .filter(pk=consent_pk)
        .first()
    )
    if months not in MONTHS or consent is None or consent.referral.is_anonymised:
        raise FollowUpError("lien-invalide", "Ce lien n’est plus valide.")
    if consent.withdrawn_at is not None:
        raise FollowUpError(
            "accord-retire", "Vous avez demandé à ne plus être recontacté·e : rien n’est demandé."
        )
    return consent, months


def answer(key: str, choice: str) -> OutcomeAnswer | None:
    """Record where the person stands (once per month); « ne plus être recontacté·e » withdraws the consent and
    is not counted. Returns the stored answer, or None for a withdrawal."""
    consent, months = read_link(key)
    if choice not in Outcome.values:
        raise FollowUpError("valeurs-invalides", "Choisissez une situation de la liste.")
    referral = consent.referral
    if choice == Outcome.NE_PLUS_CONTACTER:
        withdraw_consent(referral)
        return None
    context = satisfaction.referral_context(referral)
    with transaction.atomic():
        changed = FollowUpConsent.objects.filter(pk=consent.pk, **{f"answered_{months}": False}).update(
            **{f"answered_{months}": True}
        )
        if not changed:
            raise FollowUpError("deja-repondu", "Votre réponse a déjà été enregistrée. Merci !")
        stored = OutcomeAnswer.objects.create(
            day=timezone.localdate(),
            months=months,
            outcome=choice,
            departement=context.departement,
            typologie=context.typologie,
            reseau=context.reseau,
        )
        signals.outcome_recorded.send(OutcomeAnswer, answer=stored)
        return stored


def follow_page_context(referral: Any) -> dict[str, Any]:
    """What the referral's follow page shows of the follow-up: can consent, current consent, the wording."""
    consent = consent_of(referral)
    return {
        "possible": can_consent(referral),
        "active": consent is not None and consent.withdrawn_at is None,
        "texte": FOLLOW_UP_CONSENT_TEXTS[FOLLOW_UP_CONSENT_VERSION],
        "version": FOLLOW_UP_CONSENT_VERSION,
    }
