"""The domain functions of « Mon parcours » (docs/parcours.md): views, the API and the accompaniment app call
these, never the models directly. Every change writes one `PathwayChange` in the same transaction.

Who acts is an `Actor`: `PERSON` (the person, through the private link) or `Actor(user, structure)` (a conseiller
of a structure the pathway is shared with). A conseiller never changes the pathway directly: they *propose*
objectives, actions and appointments, which the person accepts or declines. Bad input raises `PathwayError` with a
French message (the views turn it into a 400 or a form error), and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from spro.core import codes
from spro.core.text import clean_text
from spro.pathways import access
from spro.pathways.catalogue import load as load_catalogue
from spro.pathways.models import (
    LABEL_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    Action,
    Focus,
    Objective,
    Pathway,
    PathwayChange,
    PathwayShare,
)
from spro.pathways.vocabularies import (
    ActionStatus,
    ChangeKind,
    GoalKind,
    ObjectiveStatus,
    Origin,
    ProposalState,
    SharedPart,
)
from spro.referrals.models import Status as ReferralStatus
from spro.referrals.vocabularies import AppointmentChannel

#: The text the person agrees to when sharing (stored with each share; change the version when the text changes).
SHARE_CONSENT_TEXT_VERSION = "2026-12-parcours-v1"
SHARE_CONSENT_TEXT = (
    "J’accepte que la structure choisie voie les parties de mon parcours que j’ai cochées, jusqu’à la date indiquée. "
    "Ses conseillers et conseillères peuvent me proposer des étapes, des actions et des rendez-vous ; rien n’est "
    "ajouté sans mon accord. Je peux retirer ce partage à tout moment."
)
#: Durations the person may choose for a share, in days (the form offers these).
SHARE_DURATIONS = (30, 90, 180, 365)
DEFAULT_PARTS = (SharedPart.OBJECTIFS.value, SharedPart.ACTIONS.value, SharedPart.RENDEZ_VOUS.value)

_TOKEN = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")
_FORMATION_ID = re.compile(r"\A[A-Za-z0-9._:-]{1,60}\Z")
_SCHEME_CODE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")


class PathwayError(ValueError):
    """Bad input or a forbidden change: the message is French and can be shown."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the person (no user), or a user acting for a structure."""

    user: Any = None
    structure: Any = None

    @property
    def is_person(self) -> bool:
        return self.user is None


PERSON = Actor()


def conseiller(user, structure) -> Actor:
    if user is None or structure is None:
        raise PathwayError("un conseiller agit toujours pour une structure")
    return Actor(user, structure)


# --- the private link ---------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _new_link(pathway: Pathway) -> str:
    token = secrets.token_urlsafe(32)
    pathway.link_token_hash = _digest(token)
    pathway.link_created_at = timezone.now()
    return token


def find_by_token(token: str) -> Pathway | None:
    """The pathway behind a private link, or None (malformed, unknown or revoked)."""
    if not _TOKEN.match(token or ""):
        return None
    return Pathway.objects.filter(link_token_hash=_digest(token)).first()


def regenerate_link(pathway: Pathway) -> str:
    """A new private link; the old one stops working at once. Returns the new token (shown once)."""
    with transaction.atomic():
        token = _new_link(pathway)
        pathway.save(update_fields=["link_token_hash", "link_created_at", "updated_at"])
        _log(pathway, PERSON, ChangeKind.LINK_REGENERATED)
    return token


def revoke_link(pathway: Pathway) -> None:
    """No link works any more (the pathway stays visible to the structures it is shared with, until deleted)."""
    pathway.link_token_hash = None
    pathway.link_created_at = None
    pathway.save(update_fields=["link_token_hash", "link_created_at", "updated_at"])


# --- the log ------------------------------------------------------------------------------------------------------


def _log(pathway: Pathway, actor: Actor, kind: ChangeKind, description: str = "") -> PathwayChange:
    return PathwayChange.objects.create(
        pathway=pathway,
        by_person=actor.is_person,
        by_user=actor.user,
        by_structure=actor.structure,
        kind=kind,
        description=description[:200],
    )


# --- input checks -------------------------------------------------------------------------------------------------


def _label(value: object, what: str = "le libellé") -> str:
    text = clean_text(str(value or ""))
    if len(text) < 2:
        raise PathwayError(f"{what} est vide ou trop court")
    if len(text) > LABEL_MAX_LENGTH:
        raise PathwayError(f"{what} dépasse {LABEL_MAX_LENGTH} caractères")
    return text


def _goal(kind: str, label: object, code: str) -> tuple[str, str, str]:
    if kind not in GoalKind.values:
        raise PathwayError("nature du but inconnue (métier, formation ou projet)")
    code = (code or "").strip()
    if kind == GoalKind.METIER and code and not codes.ROME.match(code):
        raise PathwayError("code ROME mal formé (exemple : M1805)")
    if kind == GoalKind.FORMATION and code and not _FORMATION_ID.match(code):
        raise PathwayError("identifiant de formation mal formé")
    if kind == GoalKind.PROJET:
        code = ""
    return kind, _label(label, "le but"), code


def _focus_code(code: str) -> str:
    if code not in load_catalogue().axes:
        raise PathwayError("axe inconnu du catalogue")
    return code


def _catalogue_objective(code: str) -> str:
    if code and code not in load_catalogue().objectifs:
        raise PathwayError("étape inconnue du catalogue")
    return code


def _catalogue_action(code: str) -> str:
    if code and code not in load_catalogue().actions:
        raise PathwayError("action inconnue du catalogue")
    return code


@dataclass
class ActionFields:
    """What an action holds besides its label; checked by `check()` (French PathwayError)."""

    due_date: dt.date | None = None
    appointment_at: dt.datetime | None = None
    appointment_channel: str = ""
    appointment_place: str = ""
    rome_code: str = ""
    formation_id: str = ""
    scheme_code: str = ""
    structure: Any = None
    catalogue_code: str = ""

    def check(self) -> None:
        if self.appointment_at is None and (self.appointment_channel or self.appointment_place):
            raise PathwayError("indiquez la date et l’heure du rendez-vous")
        if self.appointment_at is not None and timezone.is_naive(self.appointment_at):
            self.appointment_at = timezone.make_aware(self.appointment_at)
        if self.appointment_channel and self.appointment_channel not in AppointmentChannel.values:
            raise PathwayError("modalité du rendez-vous inconnue")
        self.appointment_place = clean_text(self.appointment_place or "")
        if len(self.appointment_place) > PLACE_MAX_LENGTH:
            raise PathwayError(f"le lieu dépasse {PLACE_MAX_LENGTH} caractères")
        if self.rome_code and not codes.ROME.match(self.rome_code):
            raise PathwayError("code ROME mal formé (exemple : M1805)")
        if self.formation_id and not _FORMATION_ID.match(self.formation_id):
            raise PathwayError("identifiant de formation mal formé")
        if self.scheme_code and not _SCHEME_CODE.match(self.scheme_code):
            raise PathwayError("code de dispositif mal formé")
        _catalogue_action(self.catalogue_code)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


# --- creation -----------------------------------------------------------------------------------------------------


def create_pathway(
    *,
    goal_kind: str,
    goal_label: str,
    goal_code: str = "",
    origin: str = Origin.DIRECT,
    origin_referral=None,
    focuses: Iterable[str] = (),
    objectives: Iterable[tuple[str, str]] = (),
    created_by: Actor = PERSON,
) -> tuple[Pathway, str]:
    """A new pathway and its private token (shown once: only its digest is stored). `focuses` are catalogue codes;
    `objectives` are (focus code, catalogue objective code) pairs, labelled from the catalogue. `created_by` is who
    the log names (a conseiller opening an accompaniment on the spot, with the person's consent: `conseiller(...)`).
    """
    if origin not in Origin.values:
        raise PathwayError("origine inconnue")
    kind, label, code = _goal(goal_kind, goal_label, goal_code)
    catalogue = load_catalogue()
    focus_codes = list(dict.fromkeys(_focus_code(c) for c in focuses))
    wanted = [(f, o) for f, o in objectives if f in catalogue.axes and o in catalogue.objectifs]
    for focus_code, _ in wanted:
        if focus_code not in focus_codes:
            focus_codes.append(focus_code)
    with transaction.atomic():
        pathway = Pathway(
            goal_kind=kind,
            goal_label=label,
            goal_code=code,
            origin=origin,
            origin_referral=origin_referral if origin == Origin.REFERRAL else None,
        )
        token = _new_link(pathway)
        pathway.save()
        focus_by_code = {}
        for position, focus_code in enumerate(focus_codes):
            focus_by_code[focus_code] = Focus.objects.create(
                pathway=pathway, code=focus_code, position=position
            )
        for position, (focus_code, objective_code) in enumerate(wanted):
            Objective.objects.create(
                focus=focus_by_code[focus_code],
                label=catalogue.objectifs[objective_code].libelle or objective_code,
                catalogue_code=objective_code,
                position=position,
            )
        _log(pathway, created_by, ChangeKind.CREATED, Origin(origin).label)
    return pathway, token


#: From a need of the first answer (spro.core.vocabularies.besoins) to a focus and a first typical step.
BESOIN_STARTS: dict[str, tuple[str, str]] = {
    "decouvrir-metiers": ("choisir-metier", "decouvrir-metiers"),
    "choisir-formation": ("formation", "trouver-formation"),
    "alternance": ("emploi", "trouver-alternance"),
    "financer-formation": ("formation", "financer-formation"),
    "vae": ("orientation", "faire-valider-experience"),
    "evolution-professionnelle": ("orientation", "faire-le-point"),
    "recherche-emploi": ("emploi", "rechercher-emploi"),
    "creation-entreprise": ("creation-entreprise", "construire-projet-creation"),
    "retour-formation": ("formation", "trouver-formation"),
    "vie-quotidienne": ("ressources", "ouvrir-droits"),
    "handicap": ("handicap", "obtenir-rqth"),
}


def create_from_answer(
    *, goal_label: str = "", rome_code: str = "", rome_label: str = "", besoins: Sequence[str] = ()
) -> tuple[Pathway, str]:
    """From a first answer: its métier when it found one, else a project named after the person's needs."""
    starts = [BESOIN_STARTS[b] for b in besoins if b in BESOIN_STARTS]
    if rome_code:
        kind, label, code = GoalKind.METIER, rome_label or goal_label, rome_code
        starts.insert(0, ("choisir-metier", "confirmer-metier"))
    else:
        kind, label, code = GoalKind.PROJET, goal_label or "Mon projet", ""
    return create_pathway(
        goal_kind=kind,
        goal_label=label,
        goal_code=code,
        origin=Origin.ANSWER,
        objectives=list(dict.fromkeys(starts)),
    )


def create_from_explorer(*, rome_code: str, rome_label: str) -> tuple[Pathway, str]:
    """From an exploration result: that métier as the goal, and the steps to check it and get trained."""
    return create_pathway(
        goal_kind=GoalKind.METIER,
        goal_label=rome_label,
        goal_code=rome_code,
        origin=Origin.EXPLORER,
        objectives=[("choisir-metier", "confirmer-metier"), ("formation", "trouver-formation")],
    )


def create_from_referral(referral, *, goal_label: str = "") -> tuple[Pathway, str]:
    """From a referral's follow page: a project named after its needs, with its appointment when accepted."""
    besoins = list(referral.besoins or [])
    starts = list(dict.fromkeys(BESOIN_STARTS[b] for b in besoins if b in BESOIN_STARTS))
    with transaction.atomic():
        pathway, token = create_pathway(
            goal_kind=GoalKind.PROJET,
            goal_label=goal_label or "Mon projet",
            origin=Origin.REFERRAL,
            origin_referral=referral,
            objectives=starts or [("orientation", "faire-le-point")],
        )
        if referral.status == ReferralStatus.ACCEPTEE and referral.appointment_at:
            objective = Objective.objects.filter(focus__pathway=pathway).order_by("position", "id").first()
            if objective is not None:
                Action.objects.create(
                    objective=objective,
                    label=f"Rendez-vous avec {referral.structure.nom}"[:LABEL_MAX_LENGTH],
                    catalogue_code="rendez-vous-conseiller",
                    appointment_at=referral.appointment_at,
                    appointment_channel=referral.appointment_channel or "",
                    appointment_place=referral.appointment_place or "",
                    structure=referral.structure,
                )
    return pathway, token


def create_from_scratch(*, goal_kind: str, goal_label: str, goal_code: str = "") -> tuple[Pathway, str]:
    return create_pathway(
        goal_kind=goal_kind, goal_label=goal_label, goal_code=goal_code, origin=Origin.DIRECT
    )


# --- the person's edits -------------------------------------------------------------------------------------------


def update_goal(pathway: Pathway, actor: Actor, *, kind: str, label: str, code: str = "") -> None:
    _person_only(actor)
    pathway.goal_kind, pathway.goal_label, pathway.goal_code = _goal(kind, label, code)
    with transaction.atomic():
        pathway.save(update_fields=["goal_kind", "goal_label", "goal_code", "updated_at"])
        _log(pathway, actor, ChangeKind.GOAL_CHANGED, GoalKind(pathway.goal_kind).label)


def _person_only(actor: Actor) -> None:
    if not actor.is_person:
        raise PathwayError("seule la personne modifie son parcours ; une structure fait des propositions")


def _focus(pathway: Pathway, code: str, actor: Actor) -> Focus:
    code = _focus_code(code)
    focus = Focus.objects.filter(pathway=pathway, code=code).first()
    if focus is None:
        position = (Focus.objects.filter(pathway=pathway).aggregate(m=Max("position"))["m"] or 0) + 1
        focus = Focus.objects.create(pathway=pathway, code=code, position=position)
        _log(pathway, actor, ChangeKind.FOCUS_ADDED, load_catalogue().axe_label(code))
    return focus


def add_focus(pathway: Pathway, actor: Actor, code: str) -> Focus:
    _person_only(actor)
    with transaction.atomic():
        return _focus(pathway, code, actor)


def _next_objective_position(pathway: Pathway) -> int:
    current = Objective.objects.filter(focus__pathway=pathway).aggregate(m=Max("position"))["m"]
    return 0 if current is None else current + 1


def _new_objective(
    pathway: Pathway, actor: Actor, focus_code: str, label: str, catalogue_code: str, proposed: bool
) -> Objective:
    catalogue_code = _catalogue_objective(catalogue_code)
    if not label and catalogue_code:
        label = load_catalogue().objectifs[catalogue_code].libelle or ""
    label = _label(label, "l’étape")
    with transaction.atomic():
        objective = Objective.objects.create(
            focus=_focus(pathway, focus_code, actor),
            label=label,
            catalogue_code=catalogue_code,
            position=_next_objective_position(pathway),
            **_proposal(actor, proposed),
        )
        kind = ChangeKind.PROPOSAL_MADE if proposed else ChangeKind.OBJECTIVE_ADDED
        _log(pathway, actor, kind, "Étape" + (f" du catalogue : {catalogue_code}" if catalogue_code else ""))
    return objective


def _proposal(actor: Actor, proposed: bool) -> dict[str, Any]:
    if not proposed:
        return {}
    return {
        "proposal_state": ProposalState.PROPOSED,
        "proposed_by_user": actor.user,
        "proposed_by_structure": actor.structure,
        "proposed_at": timezone.now(),
    }


def add_objective(
    pathway: Pathway, actor: Actor, *, focus_code: str, label: str = "", catalogue_code: str = ""
) -> Objective:
    """The person adds a step to an axis (the axis is added when new); `label` defaults to the catalogue's."""
    _person_only(actor)
    return _new_objective(pathway, actor, focus_code, label, catalogue_code, proposed=False)


def edit_objective(objective: Objective, actor: Actor, *, label: str) -> None:
    _person_only(actor)
    objective.label = _label(label, "l’étape")
    with transaction.atomic():
        objective.save(update_fields=["label", "updated_at"])
        _log(objective.focus.pathway, actor, ChangeKind.OBJECTIVE_CHANGED, "Libellé d’une étape")


def set_objective_status(objective: Objective, actor: Actor, status: str) -> None:
    _person_only(actor)
    if status not in ObjectiveStatus.values:
        raise PathwayError("statut d’étape inconnu")
    if objective.proposal_state != ProposalState.ACCEPTED:
        raise PathwayError("répondez d’abord à la proposition")
    objective.status = status
    with transaction.atomic():
        objective.save(update_fields=["status", "updated_at"])
        _log(objective.focus.pathway, actor, ChangeKind.OBJECTIVE_STATUS, ObjectiveStatus(status).label)


def _move(items: list, item, direction: int) -> bool:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + (1 if direction > 0 else -1)
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    return True


def move_objective(objective: Objective, actor: Actor, direction: int) -> bool:
    """Move a step up (direction < 0) or down within the pathway; False when already at that end."""
    _person_only(actor)
    pathway = objective.focus.pathway
    with transaction.atomic():
        items = list(Objective.objects.filter(focus__pathway=pathway).order_by("position", "id"))
        moved = _move(items, objective, direction)
        if moved:
            _log(pathway, actor, ChangeKind.OBJECTIVES_REORDERED)
    return moved


def _next_action_position(objective: Objective) -> int:
    current = Action.objects.filter(objective=objective).aggregate(m=Max("position"))["m"]
    return 0 if current is None else current + 1


def _new_action(
    objective: Objective, actor: Actor, label: str, fields: ActionFields, proposed: bool
) -> Action:
    fields.check()
    if not label and fields.catalogue_code:
        label = load_catalogue().actions[fields.catalogue_code].libelle or ""
    label = _label(label, "l’action")
    if objective.proposal_state == ProposalState.DECLINED:
        raise PathwayError("cette étape a été refusée")
    pathway = objective.focus.pathway
    with transaction.atomic():
        action = Action.objects.create(
            objective=objective,
            label=label,
            position=_next_action_position(objective),
            **fields.values(),
            **_proposal(actor, proposed),
        )
        if proposed:
            what = "Rendez-vous" if fields.appointment_at else "Action"
            _log(pathway, actor, ChangeKind.PROPOSAL_MADE, what)
        else:
            _log(
                pathway, actor, ChangeKind.ACTION_ADDED, "Rendez-vous" if fields.appointment_at else "Action"
            )
    return action


def add_action(
    objective: Objective, actor: Actor, *, label: str = "", fields: ActionFields | None = None
) -> Action:
    """The person adds an action (maybe an appointment) to a step."""
    _person_only(actor)
    return _new_action(objective, actor, label, fields or ActionFields(), proposed=False)


def edit_action(action: Action, actor: Actor, *, label: str, fields: ActionFields) -> None:
    _person_only(actor)
    fields.check()
    action.label = _label(label, "l’action")
    for name, value in fields.values().items():
        setattr(action, name, value)
    with transaction.atomic():
        action.save()
        _log(action.objective.focus.pathway, actor, ChangeKind.ACTION_CHANGED, "Action")


def set_action_status(action: Action, actor: Actor, status: str) -> None:
    _person_only(actor)
    if status not in ActionStatus.values:
        raise PathwayError("statut d’action inconnu")
    if action.proposal_state != ProposalState.ACCEPTED:
        raise PathwayError("répondez d’abord à la proposition")
    action.status = status
    with transaction.atomic():
        action.save(update_fields=["status", "updated_at"])
        _log(action.objective.focus.pathway, actor, ChangeKind.ACTION_STATUS, ActionStatus(status).label)


def move_action(action: Action, actor: Actor, direction: int) -> bool:
    _person_only(actor)
    with transaction.atomic():
        items = list(Action.objects.filter(objective=action.objective).order_by("position", "id"))
        moved = _move(items, action, direction)
        if moved:
            _log(action.objective.focus.pathway, actor, ChangeKind.ACTIONS_REORDERED)
    return moved


# --- proposals by a conseiller ------------------------------------------------------------------------------------


def _check_proposer(pathway: Pathway, user, structure, part: str) -> Actor:
    actor = conseiller(user, structure)
    if not access.can_propose(user, pathway, structure, part):
        raise PathwayError("ce parcours n’est pas partagé avec votre structure pour cette partie")
    return actor


def propose_objective(
    pathway: Pathway, user, structure, *, focus_code: str, label: str = "", catalogue_code: str = ""
) -> Objective:
    """A conseiller of a structure the pathway is shared with (part « objectifs ») proposes a step."""
    actor = _check_proposer(pathway, user, structure, SharedPart.OBJECTIFS)
    return _new_objective(pathway, actor, focus_code, label, catalogue_code, proposed=True)


def propose_action(
    objective: Objective, user, structure, *, label: str = "", fields: ActionFields | None = None
) -> Action:
    """A conseiller proposes an action (part « actions ») in a step."""
    part = SharedPart.RENDEZ_VOUS if fields and fields.appointment_at else SharedPart.ACTIONS
    actor = _check_proposer(objective.focus.pathway, user, structure, part)
    return _new_action(objective, actor, label, fields or ActionFields(), proposed=True)


def propose_appointment(
    objective: Objective,
    user,
    structure,
    *,
    label: str,
    appointment_at: dt.datetime,
    channel: str = "",
    place: str = "",
) -> Action:
    """A conseiller proposes an appointment (an action with a date and time; part « rendez-vous »)."""
    if appointment_at is None:
        raise PathwayError("indiquez la date et l’heure du rendez-vous")
    fields = ActionFields(
        appointment_at=appointment_at,
        appointment_channel=channel,
        appointment_place=place,
        structure=structure,
        catalogue_code="rendez-vous-conseiller"
        if "rendez-vous-conseiller" in load_catalogue().actions
        else "",
    )
    return propose_action(objective, user, structure, label=label, fields=fields)


def _answer(item: Objective | Action, state: ProposalState) -> None:
    if item.proposal_state != ProposalState.PROPOSED:
        raise PathwayError("cette proposition a déjà reçu une réponse")
    pathway = item.focus.pathway if isinstance(item, Objective) else item.objective.focus.pathway
    item.proposal_state = state
    item.answered_at = timezone.now()
    kind = ChangeKind.PROPOSAL_ACCEPTED if state == ProposalState.ACCEPTED else ChangeKind.PROPOSAL_DECLINED
    what = "Étape" if isinstance(item, Objective) else ("Rendez-vous" if item.appointment_at else "Action")
    with transaction.atomic():
        item.save(update_fields=["proposal_state", "answered_at", "updated_at"])
        _log(pathway, PERSON, kind, what)


def accept_proposal(item: Objective | Action) -> None:
    """The person accepts a proposed step or action: it joins the pathway."""
    _answer(item, ProposalState.ACCEPTED)


def decline_proposal(item: Objective | Action) -> None:
    """The person declines it: it stays in the log, out of the pathway."""
    _answer(item, ProposalState.DECLINED)


# --- sharing ------------------------------------------------------------------------------------------------------


def share(
    pathway: Pathway,
    structure,
    *,
    parts: Sequence[str] = DEFAULT_PARTS,
    days: int = 90,
    consent_text_version: str = SHARE_CONSENT_TEXT_VERSION,
) -> PathwayShare:
    """The person shares (parts of) the pathway with a structure for `days` days; an open share with the same
    structure is replaced (withdrawn, then given again with the new parts and duration)."""
    if structure is None:
        raise PathwayError("structure inconnue")
    if consent_text_version != SHARE_CONSENT_TEXT_VERSION:
        raise PathwayError("le texte de consentement a changé : relisez-le et cochez la case")
    unknown = [p for p in parts if p not in SharedPart.values]
    if unknown:
        raise PathwayError("partie à partager inconnue")
    if days not in SHARE_DURATIONS:
        raise PathwayError("durée de partage inconnue")
    now = timezone.now()
    with transaction.atomic():
        for previous in PathwayShare.objects.select_for_update().filter(
            pathway=pathway, structure=structure, withdrawn_at__isnull=True
        ):
            previous.withdrawn_at = max(now, previous.given_at)
            previous.save(update_fields=["withdrawn_at"])
        created = PathwayShare.objects.create(
            pathway=pathway,
            structure=structure,
            parts=[p for p in SharedPart.values if p in parts],
            consent_text_version=consent_text_version,
            given_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        _log(pathway, PERSON, ChangeKind.SHARED, f"Partagé pour {days} jours")
    return created


def withdraw_share(share: PathwayShare) -> None:
    """The person withdraws a share: the structure no longer reads the pathway (its proposals stay in the log)."""
    if share.withdrawn_at is not None:
        return
    share.withdrawn_at = max(timezone.now(), share.given_at)
    with transaction.atomic():
        share.save(update_fields=["withdrawn_at"])
        _log(share.pathway, PERSON, ChangeKind.SHARE_WITHDRAWN)


def shared_with(structure, at: dt.datetime | None = None) -> QuerySet[PathwayShare]:
    """The shares open with `structure` right now (or at `at`), with their pathway."""
    return access.active_shares(at).filter(structure=structure).select_related("pathway")


def delete_pathway(pathway: Pathway) -> None:
    """Delete the pathway, its steps, actions, shares and log (the audit log keeps only its references)."""
    with transaction.atomic():
        pathway.delete()
