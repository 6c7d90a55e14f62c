"""Two registrations for the last seat at the same moment (PostgreSQL: real concurrent transactions).

Each thread has its own database connection. Inside the locked section the seat search is slowed down, so that
without the event row's lock both would read « seat 2 is free » and one of them would fail on the unique seat
constraint (or, without it, overbook). With the lock the second waits, then finds the event full and joins the
waiting list.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from spro.events import registrations
from spro.events.models import Inscription

from .conftest import make_event, make_structure, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write: no row locks"
    ),
]


def _race(targets):
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []
    results: list[object] = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.fixture
def slow_seat_search(monkeypatch):
    original = registrations._free_seat

    def slow(event):
        seat = original(event)
        time.sleep(0.3)
        return seat

    monkeypatch.setattr(registrations, "_free_seat", slow)


def test_two_registrations_for_the_last_seat_give_one_seat_and_one_waiting_place(slow_seat_search):
    event = make_event(capacite=2)
    structure = make_structure("CIO de Lorient")
    first, a, b = (make_user(name, structure) for name in ("premier", "alice", "bruno"))
    registrations.register(event, first)

    results, errors = _race(
        [lambda: registrations.register(event, a), lambda: registrations.register(event, b)]
    )

    assert errors == []
    rows = Inscription.objects.filter(evenement=event)
    assert sorted(rows.values_list("statut", flat=True)) == ["attente", "confirmee", "confirmee"]
    assert sorted(p for p in rows.values_list("place", flat=True) if p) == [1, 2]


def test_a_cancellation_and_a_registration_at_once_never_overbook(slow_seat_search):
    event = make_event(capacite=1)
    structure = make_structure("CIO de Vitré")
    a, b, c = (make_user(name, structure) for name in ("anna", "bleuenn", "corentin"))
    seat = registrations.register(event, a)
    registrations.register(event, b)

    results, errors = _race([lambda: registrations.cancel(seat), lambda: registrations.register(event, c)])

    assert errors == []
    confirmed = Inscription.objects.filter(evenement=event, statut="confirmee")
    assert list(confirmed.values_list("user__username", flat=True)) == ["bleuenn"]
    assert Inscription.objects.get(user=c).statut == "attente"
