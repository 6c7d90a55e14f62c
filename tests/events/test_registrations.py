"""Capacity, waiting list, cancellation that moves the first waiting person up (with an e-mail), attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from spro.events import registrations
from spro.events.models import Inscription
from spro.events.vocabularies import StatutInscription

from .conftest import make_event, make_structure, make_user, outbox

pytestmark = pytest.mark.django_db


def people(n):
    structure = make_structure("CIO de Vannes")
    return [make_user(f"p{i}", structure) for i in range(n)]


def test_seats_are_given_until_full_then_the_waiting_list_fills_in_order():
    event = make_event(capacite=2)
    a, b, c, d = people(4)
    results = [registrations.register(event, user) for user in (a, b, c, d)]
    assert [r.statut for r in results] == ["confirmee", "confirmee", "attente", "attente"]
    assert sorted(r.place for r in results[:2]) == [1, 2]
    assert [registrations.waiting_rank(r) for r in results] == [None, None, 1, 2]
    assert registrations.counts(event) == {"confirmees": 2, "attente": 2, "places_libres": 0}


def test_registering_twice_changes_nothing():
    event = make_event(capacite=1)
    (a,) = people(1)
    first = registrations.register(event, a)
    again = registrations.register(event, a)
    assert again.pk == first.pk and again.statut == "confirmee"
    assert Inscription.objects.count() == 1


def test_a_cancellation_gives_the_seat_to_the_first_waiting_and_emails_them():
    event = make_event(capacite=1)
    a, b, c = people(3)
    seat = registrations.register(event, a)
    registrations.register(event, b)
    registrations.register(event, c)
    outcome = registrations.cancel(seat)
    assert outcome.inscription.statut == "annulee" and outcome.inscription.place is None
    assert outcome.promoted is not None and outcome.promoted.user == b
    b_row = Inscription.objects.get(user=b)
    assert b_row.statut == "confirmee" and b_row.place == 1 and b_row.confirmed_at is not None
    assert registrations.waiting_rank(Inscription.objects.get(user=c)) == 1
    mails = outbox()
    assert [m.to for m in mails] == [b.email]
    assert "Une place s’est libérée" in mails[0].subject
    assert f"/pro/evenements/{event.pk}" in mails[0].body


def test_cancelling_a_waiting_registration_moves_nobody_and_sends_nothing():
    event = make_event(capacite=1)
    a, b, c = people(3)
    registrations.register(event, a)
    waiting_b = registrations.register(event, b)
    registrations.register(event, c)
    assert registrations.cancel(waiting_b).promoted is None
    assert Inscription.objects.get(user=a).statut == "confirmee"
    assert registrations.waiting_rank(Inscription.objects.get(user=c)) == 1
    assert outbox() == []


def test_cancelling_twice_is_harmless_and_reregistering_goes_to_the_end_of_the_list():
    event = make_event(capacite=1)
    a, b = people(2)
    row = registrations.register(event, a)
    registrations.register(event, b)
    registrations.cancel(row)
    assert registrations.cancel(row).promoted is None
    again = registrations.register(event, a)
    assert again.pk == row.pk and again.statut == "attente" and registrations.waiting_rank(again) == 1


def test_the_promotion_is_atomic_with_its_email(monkeypatch):
    """If queueing the e-mail fails, the cancellation and the promotion are not written either."""
    event = make_event(capacite=1)
    a, b = people(2)
    row = registrations.register(event, a)
    registrations.register(event, b)

    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(registrations, "queue_email", broken)
    with pytest.raises(RuntimeError):
        registrations.cancel(row)
    assert Inscription.objects.get(user=a).statut == "confirmee"
    assert Inscription.objects.get(user=b).statut == "attente"


def test_registrations_close_when_the_event_started_or_was_cancelled():
    (a,) = people(1)
    started = make_event(days=-1)
    with pytest.raises(registrations.RegistrationError, match="commencé"):
        registrations.register(started, a)
    cancelled = make_event(annule=True)
    with pytest.raises(registrations.RegistrationError, match="annulé"):
        registrations.register(cancelled, a)


def test_the_database_refuses_two_confirmed_registrations_on_one_seat():
    event = make_event(capacite=2)
    a, b = people(2)
    now = timezone.now()
    Inscription.objects.create(evenement=event, user=a, statut="confirmee", place=1, registered_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.create(evenement=event, user=b, statut="confirmee", place=1, registered_at=now)


def test_the_database_refuses_a_seat_without_confirmation_and_a_confirmation_without_seat():
    event = make_event(capacite=2)
    a, b = people(2)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.create(evenement=event, user=a, statut="attente", place=1, registered_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.create(evenement=event, user=b, statut="confirmee", place=None, registered_at=now)


def test_attendance_is_recorded_for_confirmed_registrations_only():
    event = make_event(capacite=1)
    a, b = people(2)
    seat = registrations.register(event, a)
    waiting = registrations.register(event, b)
    changed = registrations.record_attendance(event, {seat.pk: "present", waiting.pk: "absent"}, by=None)
    assert changed == 1
    assert Inscription.objects.get(pk=seat.pk).presence == "present"
    assert Inscription.objects.get(pk=waiting.pk).presence == ""
    with pytest.raises(registrations.RegistrationError):
        registrations.record_attendance(event, {seat.pk: "formé"}, by=None)


def test_no_training_record_beyond_attendance():
    """The employer keeps training prerogatives: a registration holds who (and for which structure, for the
    indicators), when, status, seat and attendance only."""
    names = {f.name for f in Inscription._meta.get_fields()}
    assert names == {
        "id",
        "evenement",
        "user",
        "statut",
        "place",
        "registered_at",
        "confirmed_at",
        "cancelled_at",
        "presence",
        "structure",
    }


def test_a_seat_freed_after_the_event_started_is_not_given():
    event = make_event(capacite=1)
    a, b = people(2)
    row = registrations.register(event, a)
    registrations.register(event, b)
    type(event).objects.filter(pk=event.pk).update(debut=timezone.now() - dt.timedelta(hours=1))
    assert registrations.cancel(row).promoted is None
    assert Inscription.objects.get(user=b).statut == StatutInscription.ATTENTE


def test_more_places_go_to_the_waiting_list_in_order_and_fewer_than_confirmed_is_refused():
    event = make_event(capacite=1)
    a, b, c, d = people(4)
    for user in (a, b, c, d):
        registrations.register(event, user)
    with pytest.raises(registrations.RegistrationError, match="ne peut pas descendre"):
        registrations.update_event(event, {"capacite": 0}, by=None)
    promoted = registrations.update_event(event, {"capacite": 3}, by=None)
    assert [row.user for row in promoted] == [b, c]
    assert sorted(Inscription.objects.filter(statut="confirmee").values_list("place", flat=True)) == [1, 2, 3]
    assert registrations.waiting_rank(Inscription.objects.get(user=d)) == 1
    assert sorted(m.to for m in outbox()) == sorted([b.email, c.email])
    event.refresh_from_db()
    assert event.capacite == 3
