"""The accompaniment's domain: open (from a referral or on the spot), write notes, mobilise schemes, close, hand over,
anonymise, and the person's export. Views and the command are thin callers of these functions.

Every change is one transaction and leaves an entry in the accompaniment's log (`AccompanimentEvent`); a refused
change raises `AccompanimentError` (a French message shown as is) and writes nothing. The caller has checked the
user's right with `spro.accompaniment.access` (the functions check it again: a view forgetting it still writes
nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from spro.accompaniment import access, pathway_link, signals
from spro.accompaniment.cep import CepLevel, CepOutcome, CepStage
from spro.accompaniment.errors import AccompanimentError
from spro.accompaniment.models import (
    COMMENT_MAX_LENGTH,
    CONTACT_MAX_LENGTH,
    FIRST_NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Accompaniment,
    AccompanimentEvent,
    MobilisedScheme,
    Note,
)
from spro.accompaniment.vocabularies import EventKind, Origin, Outcome, Status
from spro.core import conf
from spro.core.text import clean_text
from spro.referrals.models import Referral
from spro.referrals.models import Status as ReferralStatus
from spro.referrals.vocabularies import ContactChannel

#: The consent read to the person when an accompaniment is opened on the spot (docs/accompagnement.md).
CONSENT_TEXT_VERSION = "2026-12-accompagnement-v1"
CONSENT_TEXT = (
    "La personne accepte que la structure l’accompagne : son prénom, sa coordonnée, son parcours, les rendez-vous, "
    "les dispositifs mobilisés et les notes professionnelles des conseillers et conseillères de la structure sont "
    "conservés pendant l’accompagnement, puis effacés {months} mois après sa clôture. Son parcours est le sien : "
    "elle reçoit son lien privé, peut le consulter, le télécharger, retirer le partage ou le supprimer, et demander "
    "à tout moment ce qui est conservé sur elle."
)
#: The consent read to the person at a hand-over.
HANDOVER_CONSENT_TEXT_VERSION = "2026-12-relais-v1"
HANDOVER_CONSENT_TEXT = (
    "La personne accepte d’être accompagnée par l’autre structure : son prénom, sa coordonnée et son parcours lui "
    "sont transmis. Les notes des conseillers et conseillères d’ici ne lui sont transmises que si la personne "
    "l’accepte aussi (case séparée)."
)

#: Referral statuses from which an accompaniment may start (not refused, expired or withdrawn by the person).
OPENABLE_REFERRAL_STATUSES = frozenset(
    {ReferralStatus.NOUVELLE, ReferralStatus.VUE, ReferralStatus.ACCEPTEE, ReferralStatus.CLOTUREE}
)


def retention_months() -> int:
    """Months after the closing of an accompaniment before it is anonymised (SPRO_ACCOMPANIMENT_RETENTION_MONTHS)."""
    return conf.positive_int("SPRO_ACCOMPANIMENT_RETENTION_MONTHS", 24)


def consent_text() -> str:
    return CONSENT_TEXT.format(months=retention_months())


@dataclass(frozen=True)
class Opened:
    accompaniment: Accompaniment
    #: The pathway's private link token, to give the person once (empty when an existing pathway was reused).
    pathway_token: str
    created: bool


def _log(accompaniment: Accompaniment, kind: str, user=None, detail: str = "") -> None:
    AccompanimentEvent.objects.create(
        accompaniment=accompaniment, kind=kind, by_user=user, detail=detail[:200]
    )


def _changed(accompaniment: Accompaniment, before: dict[str, str] | None) -> None:
    """Announce a counted change in the caller's transaction (the indicators' rollups follow it there)."""
    signals.accompaniment_changed.send(Accompaniment, accompaniment=accompaniment, before=before)


def _require_member(user, structure) -> None:
    from spro.accounts.permissions import can_act_for_structure

    if not can_act_for_structure(user, structure):
        raise AccompanimentError("Seuls les membres de la structure peuvent faire cette action.")


def _require_open(accompaniment: Accompaniment) -> None:
    if accompaniment.is_anonymised:
        raise AccompanimentError(
            "Les données de cet accompagnement ont été effacées : il ne peut plus changer."
        )
    if accompaniment.status != Status.OUVERT:
        raise AccompanimentError("Cet accompagnement est clos : il ne peut plus changer.")


def _locked(accompaniment: Accompaniment) -> Accompaniment:
    return Accompaniment.objects.select_for_update().select_related("structure").get(pk=accompaniment.pk)


# --- opening ----------------------------------------------------------------------------------------------------


def open_from_referral(referral: Referral, *, user, consent: bool) -> Opened:
    """Open the accompaniment of a referral's person by the referral's structure; the same one if already opened.

    The referral's consent covers being contacted, not being accompanied with a shared pathway: the conseiller
    records that the person agreed to the accompaniment's text (`consent`), as on the spot. Its pathway is the one
    the person kept from this referral if any, else a new one (its link is returned once, to give the person);
    either way it is shared with the structure."""
    _require_member(user, referral.structure)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("structure").get(pk=referral.pk)
        existing = Accompaniment.objects.filter(referral=locked).first()
        if existing is not None:
            return Opened(existing, "", False)
        if locked.is_anonymised:
            raise AccompanimentError("Les données de cette demande ont été effacées.")
        if locked.status not in OPENABLE_REFERRAL_STATUSES:
            raise AccompanimentError(
                f"Une demande « {locked.get_status_display()} » ne peut pas devenir un accompagnement."
            )
        if not consent:
            raise AccompanimentError("L’accord de la personne est nécessaire pour ouvrir un accompagnement.")
        now = timezone.now()
        pathway, token = pathway_link.pathway_for_referral(locked, user=user)
        accompaniment = Accompaniment.objects.create(
            structure=locked.structure,
            pathway=pathway,
            origin=Origin.ORIENTATION,
            referral=locked,
            first_name=locked.first_name,
            contact_channel=locked.contact_channel,
            contact_value=locked.contact_value,
            consent_text_version=CONSENT_TEXT_VERSION,
            consent_given_at=now,
            opened_by=user,
            referent=user,
            opened_at=now,
        )
        pathway_link.share_with(pathway, locked.structure, consent_text_version=CONSENT_TEXT_VERSION)
        _log(accompaniment, EventKind.OUVERTURE, user, Origin.ORIENTATION)
        _changed(accompaniment, None)
    return Opened(accompaniment, token, True)


@dataclass
class Person:
    first_name: str
    contact_channel: str = ""
    contact_value: str = ""

    def cleaned(self) -> Person:
        person = Person(
            clean_text(self.first_name), self.contact_channel or "", clean_text(self.contact_value)
        )
        if not person.first_name:
            raise AccompanimentError("Indiquez le prénom de la personne.")
        if len(person.first_name) > FIRST_NAME_MAX_LENGTH:
            raise AccompanimentError(f"Le prénom ne doit pas dépasser {FIRST_NAME_MAX_LENGTH} caractères.")
        if person.contact_value and person.contact_channel not in ContactChannel.values:
            raise AccompanimentError("Choisissez le courriel ou le téléphone.")
        if len(person.contact_value) > CONTACT_MAX_LENGTH:
            raise AccompanimentError(f"La coordonnée ne doit pas dépasser {CONTACT_MAX_LENGTH} caractères.")
        if not person.contact_value:
            person.contact_channel = ""
        return person


def open_on_the_spot(
    structure, *, user, person: Person, goal_label: str, consent: bool, cep_level: str = ""
) -> Opened:
    """The person is there and agrees (`consent`): a new pathway (its link returned, to give the person), shared
    with the structure, and the accompaniment, with the consent text's version and date."""
    _require_member(user, structure)
    if not consent:
        raise AccompanimentError("L’accord de la personne est nécessaire pour ouvrir un accompagnement.")
    person = person.cleaned()
    goal_label = clean_text(goal_label)
    if not goal_label:
        raise AccompanimentError("Indiquez le projet de la personne, en quelques mots.")
    if cep_level and cep_level not in CepLevel.values:
        raise AccompanimentError("Niveau CEP inconnu.")
    now = timezone.now()
    with transaction.atomic():
        pathway, token = pathway_link.new_pathway(goal_label, user=user, structure=structure)
        accompaniment = Accompaniment.objects.create(
            structure=structure,
            pathway=pathway,
            origin=Origin.SUR_PLACE,
            first_name=person.first_name,
            contact_channel=person.contact_channel,
            contact_value=person.contact_value,
            consent_text_version=CONSENT_TEXT_VERSION,
            consent_given_at=now,
            opened_by=user,
            referent=user,
            opened_at=now,
            cep_level=cep_level,
            cep_stage=CepStage.ACCUEIL if cep_level else "",
        )
        pathway_link.share_with(pathway, structure, consent_text_version=CONSENT_TEXT_VERSION)
        _log(accompaniment, EventKind.OUVERTURE, user, Origin.SUR_PLACE)
        _changed(accompaniment, None)
    return Opened(accompaniment, token, True)


# --- during the accompaniment ------------------------------------------------------------------------------------


def add_note(accompaniment: Accompaniment, *, user, text: str) -> Note:
    _require_member(user, accompaniment.structure)
    text = clean_text(text, multiline=True)
    if not text:
        raise AccompanimentError("La note est vide.")
    if len(text) > NOTE_MAX_LENGTH:
        raise AccompanimentError(f"La note ne doit pas dépasser {NOTE_MAX_LENGTH} caractères.")
    with transaction.atomic():
        locked = _locked(accompaniment)
        _require_open(locked)
        return Note.objects.create(accompaniment=locked, author=user, text=text)


def scheme_choices() -> list[tuple[str, str]]:
    """The schemes of the aides catalogue (national and the Region's), as (code, title)."""
    from spro.aides import catalogue

    return sorted(((d.id, d.titre) for d in catalogue.load().dispositifs), key=lambda pair: pair[1].lower())


def mobilise_scheme(
    accompaniment: Accompaniment, *, user, scheme: str, on: dt.date, comment: str = ""
) -> MobilisedScheme:
    _require_member(user, accompaniment.structure)
    if scheme not in dict(scheme_choices()):
        raise AccompanimentError("Ce dispositif n’est pas dans le catalogue des aides.")
    comment = clean_text(comment)
    if len(comment) > COMMENT_MAX_LENGTH:
        raise AccompanimentError(f"Le commentaire ne doit pas dépasser {COMMENT_MAX_LENGTH} caractères.")
    with transaction.atomic():
        locked = _locked(accompaniment)
        _require_open(locked)
        return MobilisedScheme.objects.create(
            accompaniment=locked, scheme=scheme, on=on, comment=comment, added_by=user
        )


def set_cep(accompaniment: Accompaniment, *, user, level: str, stage: str) -> Accompaniment:
    """Record the CEP level and stage (both blank: not a CEP accompaniment)."""
    _require_member(user, accompaniment.structure)
    if level and level not in CepLevel.values:
        raise AccompanimentError("Niveau CEP inconnu.")
    if stage and stage not in CepStage.values:
        raise AccompanimentError("Étape CEP inconnue.")
    if stage and not level:
        raise AccompanimentError("Choisissez d’abord le niveau CEP.")
    with transaction.atomic():
        locked = _locked(accompaniment)
        _require_open(locked)
        before = signals.counted(locked)
        locked.cep_level, locked.cep_stage = level, stage
        locked.save(update_fields=["cep_level", "cep_stage"])
        _changed(locked, before)
    return locked


def propose_appointment(
    accompaniment: Accompaniment, *, user, label: str, at: dt.datetime, channel: str, place: str = ""
) -> Any:
    """An appointment is an action of the person's pathway, proposed to them (they accept or decline it)."""
    _require_member(user, accompaniment.structure)
    _require_open(accompaniment)
    if accompaniment.pathway is None:
        raise AccompanimentError("Cet accompagnement n’a plus de parcours.")
    return pathway_link.propose_appointment(
        accompaniment.pathway,
        accompaniment.structure,
        user=user,
        label=clean_text(label) or "Rendez-vous",
        at=at,
        channel=channel,
        place=clean_text(place),
    )


def close(accompaniment: Accompaniment, *, user, outcome: str, cep_outcome: str = "") -> Accompaniment:
    _require_member(user, accompaniment.structure)
    if outcome not in Outcome.values or outcome == Outcome.RELAIS:
        raise AccompanimentError("Choisissez l’issue de l’accompagnement pour le clore.")
    if cep_outcome and cep_outcome not in CepOutcome.values:
        raise AccompanimentError("Issue CEP inconnue.")
    with transaction.atomic():
        locked = _locked(accompaniment)
        _require_open(locked)
        _close(locked, outcome, cep_outcome, user)
    return locked


def _close(locked: Accompaniment, outcome: str, cep_outcome: str, user, detail: str = "") -> None:
    before = signals.counted(locked)
    locked.status = Status.CLOS
    locked.closed_at = timezone.now()
    locked.outcome = outcome
    if cep_outcome:
        locked.cep_outcome = cep_outcome
    if locked.cep_level:
        locked.cep_stage = CepStage.TERMINE
    locked.save()
    _log(
        locked, EventKind.RELAIS if outcome == Outcome.RELAIS else EventKind.CLOTURE, user, detail or outcome
    )
    _changed(locked, before)


def hand_over(
    accompaniment: Accompaniment, target, *, user, consent: bool, share_notes: bool = False
) -> Accompaniment:
    """Hand the person over to `target` with their consent: the pathway is shared with it, a new accompaniment is
    opened there (same person, same pathway), this one is closed with the outcome « relais ». The receiving
    structure reads this accompaniment's notes only if the person agreed (`share_notes`)."""
    _require_member(user, accompaniment.structure)
    if not consent:
        raise AccompanimentError("L’accord de la personne est nécessaire pour passer le relais.")
    if target is None or target.pk == accompaniment.structure_id:
        raise AccompanimentError("Choisissez une autre structure que la vôtre.")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(accompaniment)
        _require_open(locked)
        if locked.pathway is None:
            raise AccompanimentError("Cet accompagnement n’a plus de parcours.")
        received = Accompaniment.objects.create(
            structure=target,
            pathway=locked.pathway,
            origin=Origin.RELAIS,
            handed_over_from=locked,
            previous_notes_shared=bool(share_notes),
            first_name=locked.first_name,
            contact_channel=locked.contact_channel,
            contact_value=locked.contact_value,
            consent_text_version=HANDOVER_CONSENT_TEXT_VERSION,
            consent_given_at=now,
            opened_by=user,
            opened_at=now,
            cep_level=locked.cep_level,
            cep_stage=locked.cep_stage if locked.cep_stage != CepStage.TERMINE else "",
        )
        _changed(received, None)
        pathway_link.share_with(locked.pathway, target, consent_text_version=HANDOVER_CONSENT_TEXT_VERSION)
        _close(locked, Outcome.RELAIS, "", user, detail=f"vers {target.nom}")
        _log(
            received,
            EventKind.RELAIS_RECU,
            user,
            f"de {locked.structure.nom}" + (", notes partagées" if share_notes else ", notes non partagées"),
        )
    return received


# --- retention ---------------------------------------------------------------------------------------------------


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


def _secure_delete() -> None:
    """SQLite: overwrite erased content with zeros (as the referrals' retention does)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")


def anonymise(accompaniment: Accompaniment, *, reason: str = "duree-conservation", user=None) -> bool:
    """Erase the person's first name and contact, the notes' text and the schemes' comments; keep the codes (status,
    outcome, CEP level, stage and outcome, scheme codes and dates) for the statistics. Closes it if open (the
    person deleted their pathway). Returns False if already anonymised (idempotent)."""
    with transaction.atomic():
        locked = Accompaniment.objects.select_for_update().filter(pk=accompaniment.pk).first()
        if locked is None or locked.is_anonymised:
            return False
        now = timezone.now()
        before = signals.counted(locked)
        if locked.status == Status.OUVERT:
            locked.status, locked.closed_at, locked.outcome = Status.CLOS, now, Outcome.FIN_DEMANDEE
            _log(locked, EventKind.CLOTURE, user, Outcome.FIN_DEMANDEE)
        locked.first_name = ""
        locked.contact_value = ""
        locked.contact_channel = ""
        locked.anonymised_at = now
        locked.save()
        Note.objects.filter(accompaniment=locked, erased_at__isnull=True).update(text="", erased_at=now)
        MobilisedScheme.objects.filter(accompaniment=locked).exclude(comment="").update(comment="")
        _log(locked, EventKind.ANONYMISATION, user, reason)
        if signals.counted(locked) != before:
            _changed(locked, before)
    accompaniment.refresh_from_db()
    return True


def due_for_anonymisation(now: dt.datetime | None = None):
    """Closed for longer than the retention period and not yet anonymised."""
    limit = months_before(now or timezone.now(), retention_months())
    return Accompaniment.objects.filter(
        anonymised_at__isnull=True, status=Status.CLOS, closed_at__lt=limit
    ).order_by("closed_at", "id")


def anonymise_due(now: dt.datetime | None = None) -> int:
    """Anonymise every accompaniment due; a second run finds none and returns 0."""
    _secure_delete()
    count = 0
    for pk in list(due_for_anonymisation(now).values_list("pk", flat=True)):
        if anonymise(Accompaniment(pk=pk)):
            count += 1
    return count


# --- the person's right of access --------------------------------------------------------------------------------


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_export(pathway) -> dict[str, Any]:
    """What the structures hold about the person of `pathway` (right of access, GDPR art. 15), as JSON-ready data:
    each accompaniment with its structure, dates, status, outcome, CEP codes, the consent recorded, its notes (the
    person may read the notes about them) and schemes, and the log. The pathway itself is exported by the pathways
    app (its portable JSON) and included under « parcours » when it offers it. The export is audited."""
    rows = (
        Accompaniment.objects.filter(pathway=pathway)
        .select_related("structure", "handed_over_from__structure")
        .prefetch_related("notes", "schemes", "events")
        .order_by("opened_at", "id")
    )
    accompaniments = []
    for acc in rows:
        accompaniments.append(
            {
                "structure": acc.structure.nom,
                "ouvert_le": _when(acc.opened_at),
                "origine": acc.get_origin_display(),
                "statut": acc.get_status_display(),
                "clos_le": _when(acc.closed_at),
                "issue": acc.get_outcome_display() if acc.outcome else None,
                "prenom": acc.first_name,
                "moyen_de_contact": acc.get_contact_channel_display() if acc.contact_channel else None,
                "coordonnee": acc.contact_value,
                "consentement": (
                    {"version_du_texte": acc.consent_text_version, "donne_le": _when(acc.consent_given_at)}
                    if acc.consent_given_at
                    else None
                ),
                "relais_de": acc.handed_over_from.structure.nom if acc.handed_over_from else None,
                "notes_precedentes_partagees": acc.previous_notes_shared,
                "cep": {
                    "niveau": acc.get_cep_level_display() if acc.cep_level else None,
                    "etape": acc.get_cep_stage_display() if acc.cep_stage else None,
                    "issue": acc.get_cep_outcome_display() if acc.cep_outcome else None,
                },
                "notes": [
                    {"ecrite_le": _when(n.at), "texte": n.text}
                    for n in acc.notes.all()
                    if n.erased_at is None
                ],
                "dispositifs_mobilises": [
                    {"dispositif": s.scheme, "le": _when(s.on), "commentaire": s.comment}
                    for s in acc.schemes.all()
                ],
                "journal": [{"le": _when(e.at), "evenement": e.get_kind_display()} for e in acc.events.all()],
            }
        )
    data: dict[str, Any] = {
        "format": "spro-accompagnements-v1",
        "exporte_le": timezone.now().isoformat(),
        "accompagnements": accompaniments,
    }
    portable = pathway_link.portable(pathway)
    if portable is not None:
        data["parcours"] = portable
    access.record_person_export(
        pathway, f"export des données de la personne ({len(accompaniments)} accompagnement(s))"
    )
    return data


def on_pathway_deleted(pathway) -> int:
    """The person deleted their pathway: each accompaniment of it is closed (if open) and anonymised at once."""
    count = 0
    for acc in Accompaniment.objects.filter(pathway=pathway, anonymised_at__isnull=True):
        if anonymise(acc, reason="parcours-supprime"):
            count += 1
    return count
