"""The chain's work on a young person of the lists (issue 17 § 2, docs/decrochage.md « Contact, situation,
solution, suivi » and « Droit au retour »): contact attempts, situations found, solutions and their follow-ups at 3
and 6 months, « droit au retour en formation » requests, and an accompaniment opened with the person's consent.

Every function takes the acting user first and the object acted on, then keyword arguments; each one:
- checks the user's right (`access.acting_structure`: the zone's PSAD members and the assigned partner's members;
  anyone else gets `PermissionDenied`, and nothing is written);
- validates (a bad value raises `ChainError`, a French message shown as is; nothing is written);
- writes in one transaction, with one audit event `dropout.<action>` on the young person (`spro.audit.record`);
- sets the young person's list (`YoungPerson.priority`) from the work recorded (`priority_from_work`).

Web pages and the command line are thin callers of these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from spro import audit
from spro.accompaniment import services as accompaniment_services
from spro.accompaniment.errors import AccompanimentError
from spro.accompaniment.vocabularies import Status as AccompanimentStatus
from spro.accounts.permissions import structures_in_scope
from spro.core.months import add_months
from spro.core.text import clean_text
from spro.directory.models import Structure
from spro.dropouts import access, signals
from spro.dropouts.importing import computed_priority
from spro.dropouts.models import (
    LABEL_MAX_LENGTH,
    AccompanimentLink,
    ContactAttempt,
    FollowUp,
    Listing,
    ReturnRequest,
    SituationRecord,
    Solution,
    YoungPerson,
)
from spro.dropouts.vocabularies import (
    REACHED_RESULTS,
    ContactChannel,
    ContactResult,
    FollowUpMonth,
    FollowUpOutcome,
    Priority,
    ReturnOutcome,
    Situation,
    SolutionType,
)
from spro.referrals.vocabularies import ContactChannel as AccompanimentChannel

#: Failed attempts in a row (no `joint` nor `refus_de_repondre` since, no situation or solution recorded since)
#: after which the young person goes to the `injoignable` list.
INJOIGNABLE_AFTER = 3
#: A follow-up may be recorded from this many days before its due date (a young person reached a little early).
FOLLOW_UP_TOLERANCE_DAYS = 15
#: A solution may start up to this many days ahead (signed in June for September); every other date is a past one.
SOLUTION_START_AHEAD_DAYS = 92


class ChainError(ValueError):
    """A change that cannot be made; the message is French and shown as is (nothing was written)."""


# --- shared checks ------------------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _day(value, what: str, person: YoungPerson, *, ahead_days: int = 0) -> date:
    """A date of the chain: a real date, not in the future (but `ahead_days`), not before the leaving date."""
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ChainError(f"{what} : une date est attendue.")
    if value > _today() + timedelta(days=ahead_days):
        raise ChainError(
            f"{what} : la date du {value:%d/%m/%Y} est dans le futur."
            if not ahead_days
            else f"{what} : la date du {value:%d/%m/%Y} est plus de {ahead_days} jours dans le futur."
        )
    if value < person.left_on:
        raise ChainError(
            f"{what} : la date du {value:%d/%m/%Y} précède la sortie de formation ({person.left_on:%d/%m/%Y})."
        )
    return value


def _code(value: str, choices, what: str) -> str:
    if value not in choices.values:
        raise ChainError(f"{what} : « {value} » n’est pas un code connu ({', '.join(choices.values)}).")
    return value


def _label(value: str, what: str, *, required: bool) -> str:
    text = clean_text(value or "")
    if required and not text:
        raise ChainError(f"{what} : un libellé court est attendu.")
    if len(text) > LABEL_MAX_LENGTH:
        raise ChainError(f"{what} : {LABEL_MAX_LENGTH} caractères au plus (un libellé, pas une note).")
    return text


def _locked(person: YoungPerson) -> YoungPerson:
    """The young person, locked for the transaction (two recordings at once compute the list one after the other)."""
    return YoungPerson.objects.select_for_update().get(pk=person.pk)


def _changing(person: YoungPerson) -> None:
    """Announce (in the transaction) a write that may change what `person` counts as in the indicators."""
    signals.work_changing.send(sender=YoungPerson, person_ids=[person.pk])


def _changed(person: YoungPerson) -> None:
    signals.work_changed.send(sender=YoungPerson, person_ids=[person.pk])


def _audit(user, action: str, person: YoungPerson, structure: Structure, detail: str) -> None:
    audit.record(user, f"dropout.{action}", person, structure=structure, detail=detail)


# --- the young person's list ----------------------------------------------------------------------------------------


def priority_from_work(person: YoungPerson, today: date | None = None) -> str:
    """The list the work recorded puts the young person in, first rule that holds:

    1. `traite` while a solution is current (not ended);
    2. `traite` when the latest situation found is not `sans_solution` and is not older than the latest end of a
       solution (a solution that ended sends the young person back, until a new situation is found);
    3. `injoignable` after `INJOIGNABLE_AFTER` failed attempts in a row, counted after the last attempt that
       reached them and after the latest situation or solution recorded;
    4. else the list computed from age (`a_contacter`, `prioritaire`), as the import does.
    """
    today = today or _today()
    solutions = list(person.solutions.all())
    if any(solution.ended_on is None for solution in solutions):
        return Priority.TRAITE
    last_end = max((s.ended_on for s in solutions if s.ended_on), default=None)
    situation = person.situations.order_by("-found_on", "-id").first()
    if (
        situation is not None
        and situation.situation != Situation.SANS_SOLUTION
        and (last_end is None or situation.found_on >= last_end)
    ):
        return Priority.TRAITE
    floor = max(
        [s.started_on for s in solutions] + ([situation.found_on] if situation else []),
        default=None,
    )
    failed = 0
    for contact in person.contacts.order_by("made_on", "id"):
        if contact.result in REACHED_RESULTS:
            failed = 0
        elif floor is None or contact.made_on > floor:
            failed += 1
    if failed >= INJOIGNABLE_AFTER:
        return Priority.INJOIGNABLE
    return computed_priority(person.birth_date, today)


def refresh_priority(person: YoungPerson) -> str:
    """Set the list from the work; '' when unchanged, else « ancienne → nouvelle » for the audit."""
    new = priority_from_work(person)
    if new == person.priority:
        return ""
    old, person.priority = person.priority, new
    person.save(update_fields=["priority", "updated_at"])
    return f" ; liste : {old} → {new}"


# --- contact attempts -----------------------------------------------------------------------------------------------


def record_contact(
    user, person: YoungPerson, *, channel: str, made_on: date, result: str, structure: Structure | None = None
) -> ContactAttempt:
    """An attempt to reach `person` (`channel`, `result` codes of the vocabularies) on `made_on`. `structure`: the
    one the user acts for, when a member of both the PSAD and the partner (default: the partner)."""
    acting = access.acting_structure(user, person, structure)
    channel = _code(channel, ContactChannel, "Moyen de contact")
    result = _code(result, ContactResult, "Résultat")
    _day(made_on, "Date du contact", person)
    with transaction.atomic():
        locked = _locked(person)
        _changing(locked)
        contact = ContactAttempt.objects.create(
            person=locked, channel=channel, made_on=made_on, result=result, by=user, by_structure=acting
        )
        _changed(locked)
        moved = refresh_priority(locked)
        _audit(user, "contact", locked, acting, f"contact n° {contact.pk} : {channel}, {result}{moved}")
    person.priority = locked.priority
    return contact


# --- situations ------------------------------------------------------------------------------------------------------


def record_situation(
    user,
    person: YoungPerson,
    *,
    situation: str,
    found_on: date,
    campaign_code: str = "",
    structure: Structure | None = None,
) -> SituationRecord:
    """The situation found for `person` on `found_on`; `campaign_code` (AAAA-MM) ties it to the campaign's list
    the person is in. Anything but `sans_solution` puts the person in `traite`."""
    acting = access.acting_structure(user, person, structure)
    situation = _code(situation, Situation, "Situation")
    _day(found_on, "Date du constat", person)
    listing = None
    if campaign_code:
        listing = Listing.objects.filter(person=person, campaign__code=campaign_code).first()
        if listing is None:
            raise ChainError(f"Campagne {campaign_code} : ce jeune n’est pas dans sa liste.")
    with transaction.atomic():
        locked = _locked(person)
        _changing(locked)
        record = SituationRecord.objects.create(
            person=locked,
            listing=listing,
            situation=situation,
            found_on=found_on,
            by=user,
            by_structure=acting,
        )
        _changed(locked)
        moved = refresh_priority(locked)
        _audit(user, "situation", locked, acting, f"situation n° {record.pk} : {situation}{moved}")
    person.priority = locked.priority
    return record


# --- solutions and follow-ups ---------------------------------------------------------------------------------------


def follow_up_due_on(started_on: date, month: int) -> date:
    """`month` calendar months after the start; the month's last day when it has no such day (31 August → 30
    November)."""
    return add_months(started_on, month)


def record_solution(
    user,
    person: YoungPerson,
    *,
    solution_type: str,
    started_on: date,
    place: Structure | None = None,
    label: str = "",
    structure: Structure | None = None,
) -> Solution:
    """A solution `person` enters: its type, start (up to `SOLUTION_START_AHEAD_DAYS` ahead), where (`place`, a
    structure of the directory, and/or `label`, a short label: required for the type `autre` and when no place is
    given). Its follow-ups at 3 and 6 months are created; the person goes to `traite`."""
    acting = access.acting_structure(user, person, structure)
    solution_type = _code(solution_type, SolutionType, "Type de solution")
    _day(started_on, "Début de la solution", person, ahead_days=SOLUTION_START_AHEAD_DAYS)
    label = _label(label, "Lieu ou précision", required=place is None or solution_type == SolutionType.AUTRE)
    with transaction.atomic():
        locked = _locked(person)
        _changing(locked)
        solution = Solution.objects.create(
            person=locked,
            solution_type=solution_type,
            started_on=started_on,
            structure=place,
            label=label,
            by=user,
            by_structure=acting,
        )
        FollowUp.objects.bulk_create(
            FollowUp(solution=solution, month=month, due_on=follow_up_due_on(started_on, month))
            for month in FollowUpMonth.values
        )
        _changed(locked)
        moved = refresh_priority(locked)
        _audit(user, "solution", locked, acting, f"solution n° {solution.pk} : {solution_type}{moved}")
    person.priority = locked.priority
    return solution


def end_solution(user, solution: Solution, *, ended_on: date, structure: Structure | None = None) -> Solution:
    """The young person left the solution on `ended_on`; its follow-ups not done yet are no longer due, and the
    person goes back to their list unless another solution or situation holds."""
    person = solution.person
    acting = access.acting_structure(user, person, structure)
    _day(ended_on, "Fin de la solution", person)
    with transaction.atomic():
        locked = _locked(person)
        _changing(locked)
        solution = Solution.objects.select_for_update().get(pk=solution.pk)
        _end(solution, ended_on)
        _changed(locked)
        moved = refresh_priority(locked)
        _audit(user, "solution_end", locked, acting, f"solution n° {solution.pk} terminée{moved}")
    person.priority = locked.priority
    return solution


def _end(solution: Solution, ended_on: date) -> None:
    if solution.ended_on is not None:
        raise ChainError(f"Cette solution est déjà terminée (le {solution.ended_on:%d/%m/%Y}).")
    if ended_on < solution.started_on:
        raise ChainError(f"La fin précède le début de la solution ({solution.started_on:%d/%m/%Y}).")
    solution.ended_on = ended_on
    solution.save(update_fields=["ended_on"])


def record_follow_up(
    user, follow_up: FollowUp, *, done_on: date, outcome: str, structure: Structure | None = None
) -> FollowUp:
    """The follow-up made on `done_on` (from `FOLLOW_UP_TOLERANCE_DAYS` before its due date) with its `outcome`.
    `sortie_sans_solution` ends the solution and records the situation `sans_solution` (the person goes back to
    their list); `autre_solution` ends it and records the situation `autre_solution` (record the new solution for
    its own follow-ups); `toujours_en_solution` and `injoignable` leave the solution as it is."""
    solution = follow_up.solution
    person = solution.person
    acting = access.acting_structure(user, person, structure)
    outcome = _code(outcome, FollowUpOutcome, "Constat du suivi")
    _day(done_on, "Date du suivi", person)
    with transaction.atomic():
        locked = _locked(person)
        _changing(locked)
        follow_up = FollowUp.objects.select_for_update().select_related("solution").get(pk=follow_up.pk)
        if follow_up.done_on is not None:
            raise ChainError(f"Ce suivi est déjà fait (le {follow_up.done_on:%d/%m/%Y}).")
        if follow_up.solution.ended_on is not None:
            raise ChainError(
                f"La solution est terminée depuis le {follow_up.solution.ended_on:%d/%m/%Y} : "
                "ce suivi n’est plus à faire."
            )
        earliest = follow_up.due_on - timedelta(days=FOLLOW_UP_TOLERANCE_DAYS)
        if done_on < earliest:
            raise ChainError(
                f"Ce suivi est à faire le {follow_up.due_on:%d/%m/%Y} : pas avant le {earliest:%d/%m/%Y}."
            )
        follow_up.done_on, follow_up.outcome, follow_up.by, follow_up.by_structure = (
            done_on,
            outcome,
            user,
            acting,
        )
        follow_up.save(update_fields=["done_on", "outcome", "by", "by_structure"])
        found = {
            FollowUpOutcome.SORTIE_SANS_SOLUTION: Situation.SANS_SOLUTION,
            FollowUpOutcome.AUTRE_SOLUTION: Situation.AUTRE_SOLUTION,
        }.get(FollowUpOutcome(outcome))
        if found is not None:
            _end(follow_up.solution, done_on)
            SituationRecord.objects.create(
                person=locked, situation=found, found_on=done_on, by=user, by_structure=acting
            )
        moved = refresh_priority(locked)
        _changed(locked)
        _audit(
            user,
            "follow_up",
            locked,
            acting,
            f"suivi à {follow_up.month} mois de la solution n° {follow_up.solution_id} : {outcome}{moved}",
        )
    person.priority = locked.priority
    return follow_up


@dataclass(frozen=True)
class DueFollowUp:
    follow_up: FollowUp
    #: The structure through which the follow-up is listed: the assigned partner, else the zone's PSAD.
    structure: Structure | None
    #: Days past the due date on the day asked (negative: days left).
    days_late: int


def due_follow_ups(on: date, structure_ids: list[int] | None = None) -> QuerySet[FollowUp]:
    """Follow-ups not done of current solutions that may be recorded on `on` (due within
    `FOLLOW_UP_TOLERANCE_DAYS` or overdue), for the young people assigned to or in a zone run by `structure_ids`
    (None: all). Ordered by due date. The operator's list (`spro decrochage suivis`); users go through
    `follow_ups_due`."""
    rows = FollowUp.objects.filter(
        done_on__isnull=True,
        solution__ended_on__isnull=True,
        due_on__lte=on + timedelta(days=FOLLOW_UP_TOLERANCE_DAYS),
    )
    if structure_ids is not None:
        rows = rows.filter(
            Q(solution__person__partner_id__in=structure_ids)
            | Q(solution__person__zone__psad_structure_id__in=structure_ids)
        )
    return rows.select_related(
        "solution__structure",
        "solution__person__partner",
        "solution__person__zone__psad_structure",
    ).order_by("due_on", "id")


def follow_ups_due(user, on: date | None = None, structure: Structure | None = None) -> list[DueFollowUp]:
    """The follow-ups `user` has to make on `on` (default today), due and overdue, for each structure they are a
    member of (or only `structure`): the young people assigned to it as a partner, or in a zone it runs as PSAD."""
    on = on or _today()
    mine = list(structures_in_scope(user).values_list("pk", flat=True))
    if structure is not None:
        mine = [pk for pk in mine if pk == structure.pk]
    rows = []
    for follow_up in due_follow_ups(on, mine):
        person = follow_up.solution.person
        through = (
            person.partner
            if person.partner_id in mine
            else (person.zone.psad_structure if person.zone else None)
        )
        rows.append(DueFollowUp(follow_up, through, (on - follow_up.due_on).days))
    return rows


# --- droit au retour en formation -----------------------------------------------------------------------------------


def request_return(
    user, person: YoungPerson, *, requested_on: date, channel: str, structure: Structure | None = None
) -> ReturnRequest:
    """A « droit au retour en formation » request by `person`, received on `requested_on` by `channel`."""
    acting = access.acting_structure(user, person, structure)
    channel = _code(channel, ContactChannel, "Reçue par")
    _day(requested_on, "Date de la demande", person)
    with transaction.atomic():
        locked = _locked(person)
        request = ReturnRequest.objects.create(
            person=locked, requested_on=requested_on, channel=channel, by=user, by_structure=acting
        )
        _audit(user, "return_request", locked, acting, f"demande de retour n° {request.pk} : {channel}")
    return request


def _open_request(request: ReturnRequest) -> ReturnRequest:
    locked = ReturnRequest.objects.select_for_update().get(pk=request.pk)
    if locked.closed_on is not None:
        raise ChainError(f"Cette demande est close (le {locked.closed_on:%d/%m/%Y}) : elle ne change plus.")
    return locked


def _after(day: date, earlier: date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise ChainError(f"{what} : le {day:%d/%m/%Y} précède {earlier_what} ({earlier:%d/%m/%Y}).")


def record_interview(
    user, request: ReturnRequest, *, interview_on: date, structure: Structure | None = None
) -> ReturnRequest:
    """The interview held on `interview_on` (not before the request; once)."""
    acting = access.acting_structure(user, request.person, structure)
    _day(interview_on, "Date de l’entretien", request.person)
    with transaction.atomic():
        locked = _open_request(request)
        if locked.interview_on is not None:
            raise ChainError(f"L’entretien est déjà enregistré (le {locked.interview_on:%d/%m/%Y}).")
        _after(interview_on, locked.requested_on, "Entretien", "la demande")
        locked.interview_on = interview_on
        locked.save(update_fields=["interview_on"])
        _audit(
            user,
            "return_interview",
            request.person,
            acting,
            f"demande de retour n° {locked.pk} : entretien à J+{locked.days_to_interview}",
        )
    return locked


def record_offer(
    user, request: ReturnRequest, *, offer_on: date, label: str, structure: Structure | None = None
) -> ReturnRequest:
    """The training offered on `offer_on` (after the interview), `label` a short label (« CAP Cuisine, lycée
    X »)."""
    acting = access.acting_structure(user, request.person, structure)
    _day(offer_on, "Date de l’offre", request.person)
    label = _label(label, "Offre", required=True)
    with transaction.atomic():
        locked = _open_request(request)
        if locked.interview_on is None:
            raise ChainError("Enregistrez d’abord l’entretien : l’offre le suit.")
        if locked.offer_on is not None:
            raise ChainError(f"L’offre est déjà enregistrée (le {locked.offer_on:%d/%m/%Y}).")
        _after(offer_on, locked.interview_on, "Offre", "l’entretien")
        locked.offer_on, locked.offer_label = offer_on, label
        locked.save(update_fields=["offer_on", "offer_label"])
        _audit(
            user,
            "return_offer",
            request.person,
            acting,
            f"demande de retour n° {locked.pk} : offre à J+{locked.days_to_offer}",
        )
    return locked


def close_return(
    user, request: ReturnRequest, *, closed_on: date, outcome: str, structure: Structure | None = None
) -> ReturnRequest:
    """The request closed on `closed_on` with its `outcome` (`entree_en_formation` needs the offer first)."""
    acting = access.acting_structure(user, request.person, structure)
    outcome = _code(outcome, ReturnOutcome, "Issue")
    _day(closed_on, "Date de clôture", request.person)
    with transaction.atomic():
        locked = _open_request(request)
        if outcome == ReturnOutcome.ENTREE_EN_FORMATION and locked.offer_on is None:
            raise ChainError("Une entrée en formation suit une offre : enregistrez d’abord l’offre.")
        latest = max(d for d in (locked.requested_on, locked.interview_on, locked.offer_on) if d is not None)
        _after(closed_on, latest, "Clôture", "la dernière étape")
        locked.closed_on, locked.outcome = closed_on, outcome
        locked.save(update_fields=["closed_on", "outcome"])
        _audit(user, "return_close", request.person, acting, f"demande de retour n° {locked.pk} : {outcome}")
    return locked


@dataclass(frozen=True)
class ReturnRow:
    request: ReturnRequest
    step: str
    days_to_interview: int | None
    days_to_offer: int | None
    #: Days since the request: until its closing, or until `on` while open.
    days_open: int


def return_requests(user, on: date | None = None, open_only: bool = False) -> list[ReturnRow]:
    """The « droit au retour » requests of the young people `user` may read, newest first, with their delays."""
    on = on or _today()
    requests = ReturnRequest.objects.filter(person__in=access.visible_young_people(user)).select_related(
        "person"
    )
    if open_only:
        requests = requests.filter(closed_on__isnull=True)
    return [
        ReturnRow(
            request,
            request.step,
            request.days_to_interview,
            request.days_to_offer,
            ((request.closed_on or on) - request.requested_on).days,
        )
        for request in requests.order_by("-requested_on", "-id")
    ]


# --- accompaniment and pathway --------------------------------------------------------------------------------------


def consent_text() -> str:
    """The consent read to the young person: the accompaniment's own (spro.accompaniment.services)."""
    return accompaniment_services.consent_text()


@dataclass(frozen=True)
class Linked:
    link: AccompanimentLink
    #: The new pathway's private link token, to give the young person once.
    pathway_token: str


def link_accompaniment(
    user,
    person: YoungPerson,
    *,
    consent: bool,
    goal_label: str,
    solution: Solution | None = None,
    structure: Structure | None = None,
) -> Linked:
    """With the young person's consent (`consent`: they agreed to `consent_text()`), open an accompaniment by the
    acting structure, with a new pathway (`goal_label`: their project in a few words), through
    `spro.accompaniment.services.open_on_the_spot`; the link records the consent text's version and date. The
    accompaniment holds their first name and a contact (telephone, else e-mail) from the list. Refused while an
    accompaniment linked to the young person is open in the acting structure (a form sent twice opens one)."""
    acting = access.acting_structure(user, person, structure)
    if not consent:
        raise ChainError("L’accord du jeune est nécessaire pour ouvrir un accompagnement et un parcours.")
    if solution is not None and solution.person_id != person.pk:
        raise ChainError("Cette solution est celle d’un autre jeune.")
    channel: str
    value: str
    if person.telephone:
        channel, value = AccompanimentChannel.PHONE, person.telephone
    elif person.courriel:
        channel, value = AccompanimentChannel.EMAIL, person.courriel
    else:
        channel, value = "", ""
    with transaction.atomic():
        locked = _locked(person)
        if AccompanimentLink.objects.filter(
            person=locked, accompaniment__structure=acting, accompaniment__status=AccompanimentStatus.OUVERT
        ).exists():
            raise ChainError(f"Ce jeune a déjà un accompagnement ouvert par {acting.nom}.")
        try:
            opened = accompaniment_services.open_on_the_spot(
                acting,
                user=user,
                person=accompaniment_services.Person(person.prenom, channel, value),
                goal_label=goal_label,
                consent=True,
            )
        except AccompanimentError as error:
            raise ChainError(str(error)) from None
        accompaniment = opened.accompaniment
        link = AccompanimentLink.objects.create(
            person=locked,
            accompaniment=accompaniment,
            solution=solution,
            consent_text_version=accompaniment.consent_text_version,
            consent_given_at=accompaniment.consent_given_at or timezone.now(),
            by=user,
        )
        _audit(user, "accompaniment", locked, acting, f"accompagnement {accompaniment.public_id} ouvert")
    return Linked(link, opened.pathway_token)
