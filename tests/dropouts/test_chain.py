"""The chain's work on a young person (spro/dropouts/chain.py): contacts, situations, solutions and follow-ups, the
« droit au retour » requests, the accompaniment with consent; the lists they move the person to, the access matrix,
the audit, bad input; and `spro decrochage suivis`."""

from __future__ import annotations

import calendar
import json
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from spro.accompaniment.models import Accompaniment
from spro.accompaniment.services import CONSENT_TEXT_VERSION
from spro.audit.models import AuditEvent
from spro.dropouts import chain
from spro.dropouts.models import (
    AccompanimentLink,
    ContactAttempt,
    FollowUp,
    ReturnRequest,
    SituationRecord,
    Solution,
    YoungPerson,
)
from tests.dropouts.conftest import born, line, run_import, write_list
from tests.dropouts.test_protection import MATRIX

TODAY = timezone.localdate


def days_ago(n: int) -> date:
    return TODAY() - timedelta(days=n)


def young(world, *, name: str = "Le Gall", campaign: str = "2025-11", **values: str) -> YoungPerson:
    """One young person imported (default: 20 years old, Quimper, assigned to the ML of Quimper, left 400 days
    ago)."""
    values.setdefault("date_sortie", days_ago(400).isoformat())
    run_import(write_list(world["tmp"], line(nom=name, **values), name=f"{name}.csv"), campaign)
    return YoungPerson.objects.get(identity_hash__isnull=False, listings__import_run__file_name=f"{name}.csv")


@pytest.fixture
def person(zone_world):
    return young(zone_world)


@pytest.fixture
def ml(zone_world):
    """A member of the ML of Quimper, the partner of `person`."""
    return zone_world["users"]["conseiller_ml_quimper"]


# --- follow-up dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "month", "due"),
    [
        (date(2025, 8, 31), 3, date(2025, 11, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 31), 6, date(2026, 6, 30)),
        (date(2025, 10, 15), 3, date(2026, 1, 15)),
    ],
)
def test_follow_up_due_dates_at_month_ends(start, month, due):
    assert chain.follow_up_due_on(start, month) == due


def test_a_solution_creates_its_follow_ups_at_3_and_6_months_and_puts_the_person_in_traite(zone_world, ml):
    start = date(TODAY().year - 2, 8, 31)
    person = young(zone_world, date_sortie=date(TODAY().year - 2, 6, 30).isoformat())
    solution = chain.record_solution(
        ml, person, solution_type="apprentissage", started_on=start, label="CFA du bâtiment"
    )
    february = 29 if calendar.isleap(start.year + 1) else 28
    assert [(f.month, f.due_on, f.done_on) for f in solution.follow_ups.order_by("month")] == [
        (3, date(start.year, 11, 30), None),
        (6, date(start.year + 1, 2, february), None),
    ]
    person.refresh_from_db()
    assert person.priority == "traite"
    assert (solution.by, solution.by_structure) == (ml, zone_world["structures"]["ml-quimper"])
    event = AuditEvent.objects.get(action="dropout.solution")
    assert (event.user, event.object_id, event.structure) == (
        ml,
        str(person.pk),
        zone_world["structures"]["ml-quimper"],
    )
    assert "a_contacter → traite" in event.detail


# --- contacts and the injoignable list ------------------------------------------------------------------------------


def test_three_failed_attempts_make_the_person_injoignable_and_a_reach_brings_them_back(zone_world):
    person = young(zone_world, date_naissance=born(17))  # a minor: prioritaire, CIO of Quimper
    user = zone_world["users"]["conseiller_cio_quimper"]
    assert person.priority == "prioritaire"
    for n, result in enumerate(["pas_de_reponse", "message_laisse"]):
        chain.record_contact(user, person, channel="telephone", made_on=days_ago(30 - n), result=result)
    assert YoungPerson.objects.get(pk=person.pk).priority == "prioritaire"
    chain.record_contact(user, person, channel="sms", made_on=days_ago(20), result="coordonnees_erronees")
    assert YoungPerson.objects.get(pk=person.pk).priority == "injoignable"
    assert person.priority == "injoignable"  # the caller's object follows
    chain.record_contact(user, person, channel="courrier", made_on=days_ago(10), result="joint")
    assert YoungPerson.objects.get(pk=person.pk).priority == "prioritaire"
    # two failures after the reach are not yet three in a row
    for n in (1, 2):
        chain.record_contact(
            user, person, channel="telephone", made_on=days_ago(5 - n), result="pas_de_reponse"
        )
    assert YoungPerson.objects.get(pk=person.pk).priority == "prioritaire"
    assert ContactAttempt.objects.filter(person=person).count() == 6
    events = AuditEvent.objects.filter(action="dropout.contact").order_by("id")
    assert events.count() == 6
    assert "prioritaire → injoignable" in events[2].detail and "injoignable → prioritaire" in events[3].detail


def test_failed_attempts_before_a_situation_found_do_not_count(zone_world, person, ml):
    chain.record_situation(ml, person, situation="sans_solution", found_on=days_ago(50))
    for n in range(3):
        chain.record_contact(
            ml, person, channel="telephone", made_on=days_ago(60 + n), result="pas_de_reponse"
        )
    assert YoungPerson.objects.get(pk=person.pk).priority == "a_contacter"
    for n in range(3):
        chain.record_contact(
            ml, person, channel="telephone", made_on=days_ago(40 - n), result="pas_de_reponse"
        )
    assert YoungPerson.objects.get(pk=person.pk).priority == "injoignable"


def test_a_refusal_to_answer_reaches_the_person(zone_world, person, ml):
    for result in ["pas_de_reponse", "pas_de_reponse", "refus_de_repondre", "pas_de_reponse"]:
        chain.record_contact(ml, person, channel="telephone", made_on=days_ago(10), result=result)
    assert YoungPerson.objects.get(pk=person.pk).priority == "a_contacter"


# --- situations -----------------------------------------------------------------------------------------------------


def test_situations_move_the_person_to_traite_and_back(zone_world, person, ml):
    record = chain.record_situation(ml, person, situation="sans_solution", found_on=days_ago(60))
    assert (record.situation, YoungPerson.objects.get(pk=person.pk).priority) == (
        "sans_solution",
        "a_contacter",
    )
    chain.record_situation(ml, person, situation="en_emploi", found_on=days_ago(40), campaign_code="2025-11")
    assert YoungPerson.objects.get(pk=person.pk).priority == "traite"
    assert SituationRecord.objects.get(situation="en_emploi").listing.campaign.code == "2025-11"
    chain.record_situation(ml, person, situation="sans_solution", found_on=days_ago(20))
    assert YoungPerson.objects.get(pk=person.pk).priority == "a_contacter"
    assert AuditEvent.objects.filter(action="dropout.situation").count() == 3


@pytest.mark.parametrize(
    "situation", ["deja_en_formation", "en_emploi", "autre_solution", "demenage", "refus"]
)
def test_every_situation_but_sans_solution_is_traite(zone_world, person, ml, situation):
    chain.record_situation(ml, person, situation=situation, found_on=days_ago(5))
    assert YoungPerson.objects.get(pk=person.pk).priority == "traite"


def test_a_situation_in_a_campaign_the_person_is_not_in_is_refused(zone_world, person, ml):
    with pytest.raises(chain.ChainError, match="2026-01"):
        chain.record_situation(ml, person, situation="refus", found_on=days_ago(5), campaign_code="2026-01")
    assert not SituationRecord.objects.exists()


# --- solutions and follow-ups ---------------------------------------------------------------------------------------


def test_a_follow_up_sortie_sans_solution_ends_the_solution_and_sends_the_person_back(zone_world, person, ml):
    solution = chain.record_solution(
        ml,
        person,
        solution_type="e2c",
        started_on=days_ago(100),
        place=zone_world["structures"]["cio-quimper"],
    )
    month3 = solution.follow_ups.get(month=3)
    done = chain.record_follow_up(ml, month3, done_on=days_ago(5), outcome="sortie_sans_solution")
    assert (done.done_on, done.outcome, done.by) == (days_ago(5), "sortie_sans_solution", ml)
    solution.refresh_from_db()
    assert solution.ended_on == days_ago(5)
    assert SituationRecord.objects.get(person=person).situation == "sans_solution"
    assert YoungPerson.objects.get(pk=person.pk).priority == "a_contacter"
    with pytest.raises(chain.ChainError, match="déjà fait"):
        chain.record_follow_up(ml, month3, done_on=days_ago(4), outcome="toujours_en_solution")
    with pytest.raises(chain.ChainError, match="n’est plus à faire"):
        chain.record_follow_up(
            ml, solution.follow_ups.get(month=6), done_on=days_ago(4), outcome="injoignable"
        )
    assert AuditEvent.objects.filter(action="dropout.follow_up").count() == 1


def test_a_follow_up_autre_solution_ends_it_and_keeps_traite(zone_world, person, ml):
    solution = chain.record_solution(
        ml, person, solution_type="emploi", started_on=days_ago(95), label="Intérim"
    )
    chain.record_follow_up(
        ml, solution.follow_ups.get(month=3), done_on=days_ago(2), outcome="autre_solution"
    )
    solution.refresh_from_db()
    assert solution.ended_on == days_ago(2)
    assert YoungPerson.objects.get(pk=person.pk).priority == "traite"


def test_a_follow_up_toujours_en_solution_keeps_the_solution(zone_world, person, ml):
    solution = chain.record_solution(ml, person, solution_type="cej", started_on=days_ago(200), label="ML")
    chain.record_follow_up(
        ml, solution.follow_ups.get(month=6), done_on=days_ago(1), outcome="toujours_en_solution"
    )
    solution.refresh_from_db()
    assert solution.ended_on is None and YoungPerson.objects.get(pk=person.pk).priority == "traite"


def test_a_follow_up_is_refused_before_its_due_date_minus_the_tolerance(zone_world, person, ml):
    solution = chain.record_solution(ml, person, solution_type="cej", started_on=days_ago(80), label="ML")
    month3 = solution.follow_ups.get(month=3)
    too_early = month3.due_on - timedelta(days=chain.FOLLOW_UP_TOLERANCE_DAYS + 1)
    assert too_early <= TODAY()
    with pytest.raises(chain.ChainError, match="pas avant"):
        chain.record_follow_up(ml, month3, done_on=too_early, outcome="toujours_en_solution")
    in_time = month3.due_on - timedelta(days=chain.FOLLOW_UP_TOLERANCE_DAYS)
    assert month3.due_on > TODAY() >= in_time  # due in about ten days: recorded a little early
    chain.record_follow_up(ml, month3, done_on=in_time, outcome="toujours_en_solution")
    assert FollowUp.objects.get(pk=month3.pk).done_on == in_time


def test_end_solution_sends_the_person_back_unless_another_holds(zone_world, person, ml):
    first = chain.record_solution(
        ml, person, solution_type="emploi", started_on=days_ago(90), label="Intérim"
    )
    second = chain.record_solution(
        ml, person, solution_type="service_civique", started_on=days_ago(30), label="x"
    )
    chain.end_solution(ml, first, ended_on=days_ago(31))
    assert YoungPerson.objects.get(pk=person.pk).priority == "traite"
    chain.end_solution(ml, second, ended_on=days_ago(1))
    assert YoungPerson.objects.get(pk=person.pk).priority == "a_contacter"
    with pytest.raises(chain.ChainError, match="déjà terminée"):
        chain.end_solution(ml, second, ended_on=days_ago(0))
    with pytest.raises(chain.ChainError, match="précède le début"):
        third = chain.record_solution(ml, person, solution_type="emploi", started_on=days_ago(3), label="y")
        chain.end_solution(ml, third, ended_on=days_ago(4))


def test_a_solution_may_start_a_few_months_ahead_only(zone_world, person, ml):
    ahead = TODAY() + timedelta(days=chain.SOLUTION_START_AHEAD_DAYS)
    assert chain.record_solution(ml, person, solution_type="apprentissage", started_on=ahead, label="CFA").pk
    with pytest.raises(chain.ChainError, match="futur"):
        chain.record_solution(
            ml, person, solution_type="apprentissage", started_on=ahead + timedelta(days=1), label="CFA"
        )


def test_follow_ups_due_for_the_partner_and_the_psad(zone_world, ml):
    users, s = zone_world["users"], zone_world["structures"]
    quimper = young(zone_world)
    rennes = young(zone_world, name="Morvan", commune="35238")
    late = chain.record_solution(ml, quimper, solution_type="emploi", started_on=days_ago(100), label="A")
    chain.record_solution(ml, quimper, solution_type="emploi", started_on=days_ago(10), label="B")  # not due
    chain.record_solution(
        users["conseiller_ml_rennes"], rennes, solution_type="e2c", started_on=days_ago(95), label="E2C"
    )
    rows = chain.follow_ups_due(ml)
    assert [(r.follow_up.solution_id, r.follow_up.month, r.structure) for r in rows] == [
        (late.pk, 3, s["ml-quimper"])
    ]
    assert rows[0].days_late == (TODAY() - late.follow_ups.get(month=3).due_on).days > 0
    psad = chain.follow_ups_due(users["coordinateur_quimper"])
    assert [(r.follow_up.solution_id, r.structure) for r in psad] == [(late.pk, s["psad-quimper"])]
    assert chain.follow_ups_due(users["conseiller_cio_quimper"]) == []
    assert chain.follow_ups_due(users["pilote_region"]) == []
    assert chain.follow_ups_due(ml, structure=s["psad-quimper"]) == []
    assert [r.follow_up.solution.person for r in chain.follow_ups_due(users["conseiller_ml_rennes"])] == [
        rennes
    ]
    # every follow-up of the two solutions due 200 days on; none once the month-3 one is done and its solution ended
    assert len(chain.follow_ups_due(ml, on=TODAY() + timedelta(days=200))) == 4
    chain.record_follow_up(ml, late.follow_ups.get(month=3), done_on=TODAY(), outcome="sortie_sans_solution")
    assert chain.follow_ups_due(ml) == []
    assert len(chain.follow_ups_due(ml, on=TODAY() + timedelta(days=200))) == 2


# --- droit au retour ------------------------------------------------------------------------------------------------


def test_droit_au_retour_from_request_to_offer_with_its_delays(zone_world, person, ml):
    request = chain.request_return(ml, person, requested_on=days_ago(30), channel="telephone")
    assert request.step == "demandee"
    [row] = chain.return_requests(ml)
    assert (row.request, row.step, row.days_to_interview, row.days_open) == (request, "demandee", None, 30)
    request = chain.record_interview(ml, request, interview_on=days_ago(23))
    request = chain.record_offer(ml, request, offer_on=days_ago(9), label="CAP Cuisine, lycée de Quimper")
    [row] = chain.return_requests(ml)
    assert (row.step, row.days_to_interview, row.days_to_offer) == ("offre", 7, 21)
    request = chain.close_return(ml, request, closed_on=days_ago(2), outcome="entree_en_formation")
    [row] = chain.return_requests(ml)
    assert (row.step, row.days_open) == ("close", 28)
    assert chain.return_requests(ml, open_only=True) == []
    assert chain.return_requests(zone_world["users"]["coordinateur_quimper"])[0].request == request
    assert chain.return_requests(zone_world["users"]["conseiller_ml_rennes"]) == []
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="dropout.return").order_by("id")
    ] == [
        "dropout.return_request",
        "dropout.return_interview",
        "dropout.return_offer",
        "dropout.return_close",
    ]
    with pytest.raises(chain.ChainError, match="close"):
        chain.record_offer(ml, request, offer_on=days_ago(1), label="autre")


def test_droit_au_retour_steps_in_order(zone_world, person, ml):
    request = chain.request_return(ml, person, requested_on=days_ago(30), channel="courriel")
    with pytest.raises(chain.ChainError, match="d’abord l’entretien"):
        chain.record_offer(ml, request, offer_on=days_ago(20), label="CAP")
    with pytest.raises(chain.ChainError, match="précède la demande"):
        chain.record_interview(ml, request, interview_on=days_ago(31))
    with pytest.raises(chain.ChainError, match="d’abord l’offre"):
        chain.close_return(ml, request, closed_on=days_ago(1), outcome="entree_en_formation")
    chain.record_interview(ml, request, interview_on=days_ago(20))
    with pytest.raises(chain.ChainError, match="déjà enregistré"):
        chain.record_interview(ml, request, interview_on=days_ago(19))
    with pytest.raises(chain.ChainError, match="précède l’entretien"):
        chain.record_offer(ml, request, offer_on=days_ago(21), label="CAP")
    with pytest.raises(chain.ChainError, match="libellé court"):
        chain.record_offer(ml, request, offer_on=days_ago(10), label="   ")
    with pytest.raises(chain.ChainError, match="120 caractères"):
        chain.record_offer(ml, request, offer_on=days_ago(10), label="x" * 121)
    chain.close_return(ml, request, closed_on=days_ago(10), outcome="abandon")
    assert ReturnRequest.objects.get().outcome == "abandon"


# --- accompaniment --------------------------------------------------------------------------------------------------


def test_an_accompaniment_is_opened_with_consent_only(zone_world, person, ml):
    with pytest.raises(chain.ChainError, match="accord du jeune"):
        chain.link_accompaniment(ml, person, consent=False, goal_label="Un CAP en cuisine")
    assert not Accompaniment.objects.exists() and not AccompanimentLink.objects.exists()
    solution = chain.record_solution(ml, person, solution_type="cej", started_on=days_ago(3), label="ML")
    linked = chain.link_accompaniment(
        ml, person, consent=True, goal_label="Un CAP en cuisine", solution=solution
    )
    link, accompaniment = linked.link, linked.link.accompaniment
    assert linked.pathway_token
    assert (accompaniment.structure, accompaniment.first_name, accompaniment.contact_value) == (
        zone_world["structures"]["ml-quimper"],
        "Maëlys",
        "06 39 98 00 01",
    )
    assert accompaniment.pathway is not None
    assert (link.consent_text_version, link.solution, link.by) == (CONSENT_TEXT_VERSION, solution, ml)
    assert link.consent_given_at == accompaniment.consent_given_at
    assert AuditEvent.objects.filter(action="dropout.accompaniment", object_id=str(person.pk)).count() == 1
    with pytest.raises(chain.ChainError, match="déjà un accompagnement ouvert par ml-quimper"):
        chain.link_accompaniment(ml, person, consent=True, goal_label="Un CAP en cuisine")
    assert Accompaniment.objects.count() == 1
    # the zone's PSAD may open its own
    coordinator = zone_world["users"]["coordinateur_quimper"]
    assert chain.link_accompaniment(coordinator, person, consent=True, goal_label="Un CAP").link.pk


def test_an_accompaniment_error_writes_nothing(zone_world, person, ml):
    with pytest.raises(chain.ChainError, match="projet"):
        chain.link_accompaniment(ml, person, consent=True, goal_label="  ")
    assert not Accompaniment.objects.exists() and not AccompanimentLink.objects.exists()


# --- access ---------------------------------------------------------------------------------------------------------


def _every_action(user, person: YoungPerson, solution: Solution, request: ReturnRequest) -> list:
    """Each action of the chain, as a thunk, for `user`."""
    return [
        lambda: chain.record_contact(user, person, channel="telephone", made_on=days_ago(1), result="joint"),
        lambda: chain.record_situation(user, person, situation="en_emploi", found_on=days_ago(1)),
        lambda: chain.record_solution(
            user, person, solution_type="emploi", started_on=days_ago(1), label="x"
        ),
        lambda: chain.record_follow_up(
            user, solution.follow_ups.get(month=3), done_on=days_ago(1), outcome="toujours_en_solution"
        ),
        lambda: chain.end_solution(user, solution, ended_on=days_ago(1)),
        lambda: chain.request_return(user, person, requested_on=days_ago(1), channel="telephone"),
        lambda: chain.record_interview(user, request, interview_on=days_ago(1)),
        lambda: chain.link_accompaniment(user, person, consent=True, goal_label="Un projet"),
    ]


@pytest.mark.parametrize(("who", "acts", "_coordinates"), MATRIX)
def test_access_matrix_for_the_chain(zone_world, who, acts, _coordinates):
    person = young(zone_world, date_naissance=born(17))  # assigned to the CIO of Quimper
    cio = zone_world["users"]["conseiller_cio_quimper"]
    solution = chain.record_solution(cio, person, solution_type="emploi", started_on=days_ago(100), label="A")
    request = chain.request_return(cio, person, requested_on=days_ago(10), channel="telephone")
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    user = zone_world["users"][who]
    counts = [
        m.objects.count()
        for m in (ContactAttempt, SituationRecord, Solution, FollowUp, ReturnRequest, AccompanimentLink)
    ]
    for action in _every_action(user, person, solution, request):
        if acts:
            action()
        else:
            with pytest.raises(PermissionDenied):
                action()
    if acts:
        assert AuditEvent.objects.filter(id__gt=before, user=user, action__startswith="dropout.").count() == 8
    else:
        assert not AuditEvent.objects.filter(id__gt=before).exists()
        assert counts == [
            m.objects.count()
            for m in (ContactAttempt, SituationRecord, Solution, FollowUp, ReturnRequest, AccompanimentLink)
        ]
        assert chain.follow_ups_due(user, on=TODAY() + timedelta(days=400)) == []
        assert chain.return_requests(user) == []


def test_a_member_of_both_acts_for_the_partner_by_default_or_for_the_structure_named(zone_world, person):
    from tests.accounts.factories import MembershipFactory

    s = zone_world["structures"]
    user = MembershipFactory(structure=s["ml-quimper"]).user
    MembershipFactory(structure=s["psad-quimper"], user=user)
    contact = chain.record_contact(user, person, channel="telephone", made_on=days_ago(1), result="joint")
    assert contact.by_structure == s["ml-quimper"]
    contact = chain.record_contact(
        user, person, channel="telephone", made_on=days_ago(1), result="joint", structure=s["psad-quimper"]
    )
    assert contact.by_structure == s["psad-quimper"]
    with pytest.raises(PermissionDenied):
        chain.record_contact(
            user, person, channel="telephone", made_on=days_ago(1), result="joint", structure=s["cio-quimper"]
        )


# --- bad input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda u, p: chain.record_contact(u, p, channel="pigeon", made_on=days_ago(1), result="joint"),
            "pigeon",
        ),
        (
            lambda u, p: chain.record_contact(u, p, channel="sms", made_on=days_ago(1), result="peut-être"),
            "connu",
        ),
        (
            lambda u, p: chain.record_contact(u, p, channel="sms", made_on=days_ago(-1), result="joint"),
            "futur",
        ),
        (
            lambda u, p: chain.record_contact(u, p, channel="sms", made_on=days_ago(401), result="joint"),
            "sortie",
        ),
        (
            lambda u, p: chain.record_contact(u, p, channel="sms", made_on=datetime.now(), result="joint"),
            "une date",
        ),
        (
            lambda u, p: chain.record_contact(u, p, channel="sms", made_on="2026-01-01", result="joint"),
            "une date",
        ),
        (lambda u, p: chain.record_situation(u, p, situation="perdu", found_on=days_ago(1)), "perdu"),
        (lambda u, p: chain.record_solution(u, p, solution_type="emploi", started_on=days_ago(1)), "libellé"),
        (
            lambda u, p: chain.record_solution(
                u, p, solution_type="autre", started_on=days_ago(1), label=" "
            ),
            "libellé",
        ),
        (
            lambda u, p: chain.record_solution(
                u, p, solution_type="stage", started_on=days_ago(1), label="x"
            ),
            "stage",
        ),
        (lambda u, p: chain.request_return(u, p, requested_on=days_ago(1), channel="fax"), "fax"),
        (lambda u, p: chain.request_return(u, p, requested_on=days_ago(-3), channel="sms"), "futur"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(zone_world, person, ml, call, message):
    with pytest.raises(chain.ChainError, match=message):
        call(ml, person)
    for model in (ContactAttempt, SituationRecord, Solution, FollowUp, ReturnRequest):
        assert not model.objects.exists()
    assert (
        not AuditEvent.objects.filter(action__startswith="dropout.").exclude(action="dropout.view").exists()
    )
    assert YoungPerson.objects.get(pk=person.pk).priority == "a_contacter"


# --- deletion -------------------------------------------------------------------------------------------------------


def test_deleting_a_young_person_deletes_their_chain_but_not_their_accompaniment(zone_world, person, ml):
    chain.record_contact(ml, person, channel="telephone", made_on=days_ago(5), result="joint")
    chain.record_situation(ml, person, situation="sans_solution", found_on=days_ago(5))
    chain.record_solution(ml, person, solution_type="cej", started_on=days_ago(4), label="ML")
    chain.request_return(ml, person, requested_on=days_ago(3), channel="telephone")
    chain.link_accompaniment(ml, person, consent=True, goal_label="Un CAP")
    person.delete()
    for model in (ContactAttempt, SituationRecord, Solution, FollowUp, ReturnRequest, AccompanimentLink):
        assert not model.objects.exists(), model
    assert Accompaniment.objects.count() == 1  # the person's own, with its own retention


# --- spro decrochage suivis -----------------------------------------------------------------------------------------


def test_suivis_command_lists_the_follow_ups_due(zone_world, ml):
    s = zone_world["structures"]
    person = young(zone_world)
    solution = chain.record_solution(ml, person, solution_type="emploi", started_on=days_ago(100), label="A")
    due = solution.follow_ups.get(month=3).due_on
    out = StringIO()
    call_command("decrochage", "suivis", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["suivis"] == [
        {
            "suivi": solution.follow_ups.get(month=3).pk,
            "jeune": person.pk,
            "zone": "quimper",
            "structure": s["ml-quimper"].pk,
            "structure_nom": "ml-quimper",
            "solution": solution.pk,
            "type": "emploi",
            "mois": 3,
            "echeance": due.isoformat(),
            "jours_de_retard": (TODAY() - due).days,
        }
    ]
    out = StringIO()
    call_command("decrochage", "suivis", "--structure", str(s["ml-rennes"].pk), stdout=out)
    assert out.getvalue().startswith("0 suivi(s) à faire")
    out = StringIO()
    call_command("decrochage", "suivis", "--structure", str(s["psad-quimper"].pk), stdout=out)
    assert (
        "1 suivi(s)" in out.getvalue()
        and f"jeune n° {person.pk} · ml-quimper · suivi à 3 mois" in out.getvalue()
    )
    assert "Le Gall" not in out.getvalue()  # the operator's list names no one
    with pytest.raises(CommandError, match="structure inconnue"):
        call_command("decrochage", "suivis", "--structure", "999999")
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("decrochage", "suivis", "--date", "31/12/2026")
