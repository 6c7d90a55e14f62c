"""« evenements-participation »: registrations and attendance rolled up in the registrations' transactions, moved
by cancellations, promotions, attendance, a new date and a new type of event (−1/+1, emptied cells removed), equal
to a rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.events import registrations
from spro.events.models import Inscription
from spro.events.signals import registrations_changed, registrations_changing
from spro.monitoring import query
from spro.monitoring.sources import events as source
from spro.referentials.geo.models import Commune
from tests.events.conftest import geo, make_event, make_structure, make_user  # noqa: F401 - fixture
from tests.monitoring.conftest import rebuilt_cells, rollup_cells, whole

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return rollup_cells(source.INDICATOR)


def rebuilt() -> dict:
    return rebuilt_cells(source.INDICATOR)


@pytest.fixture
def world(geo):  # noqa: F811 - the fixture imported above
    cio = make_structure("CIO de Rennes", "CIO")
    cio.commune = Commune.objects.get(pk="35238")
    cio.reseaux_porteurs = ["education-nationale"]
    cio.save()
    ml = make_structure("Mission locale de Brest", "ML")
    people = [make_user(f"cio{i}", cio) for i in range(3)] + [make_user(f"ml{i}", ml) for i in range(2)]
    return {"cio": cio, "ml": ml, "people": people, "outsider": make_user("seul")}


def test_registrations_move_between_statuses_and_attendance_and_incremental_equals_rebuilt(world):
    event = make_event(capacite=2, days=10)
    announced = []
    registrations_changing.connect(
        lambda sender, event_id, **k: announced.append(("-", event_id)), weak=False, dispatch_uid="t1"
    )
    registrations_changed.connect(
        lambda sender, event_id, **k: announced.append(("+", event_id)), weak=False, dispatch_uid="t2"
    )
    try:
        first = [registrations.register(event, user) for user in world["people"][:4]]
    finally:
        registrations_changing.disconnect(dispatch_uid="t1")
        registrations_changed.disconnect(dispatch_uid="t2")
    assert announced == [("-", event.pk), ("+", event.pk)] * 4
    assert [i.statut for i in first] == ["confirmee", "confirmee", "attente", "attente"]
    assert first[0].structure == world["cio"] and first[3].structure == world["ml"]
    month = str(event.debut.astimezone(dt.UTC).date().replace(day=1))
    cells = snapshot()
    assert whole(cells) == {
        ("", ""): 4,
        ("inscription", "confirmee"): 2,
        ("inscription", "attente"): 2,
        ("presence", source.NOT_KNOWN): 2,
        ("type_structure", "CIO"): 3,
        ("type_structure", "ML"): 1,
        ("reseau", "education-nationale"): 3,
        ("reseau", source.NOT_KNOWN): 1,
        ("type_evenement", "autre"): 4,  # the model's default (events made before events had a type)
    }
    assert cells[(0, "departement", "", month, "35", "")] == 3
    assert cells[(world["cio"].pk, "ensemble", "", month, "", "")] == 3

    registrations.cancel(first[0])  # the first waiting (cio2) gets the seat
    registrations.register(event, world["outsider"])  # no structure: « non renseigné »
    confirmed = Inscription.objects.filter(evenement=event, statut="confirmee")
    registrations.record_attendance(event, {i.pk: "present" for i in confirmed}, by=world["people"][0])
    totals = whole(snapshot())
    assert totals[("inscription", "annulee")] == 1 and totals[("inscription", "attente")] == 2
    assert totals[("presence", "present")] == 2
    assert ("presence", source.NOT_KNOWN) not in totals  # emptied, removed
    assert totals[("type_structure", source.NOT_KNOWN)] == 1

    # A new date moves every registration of the event to its new month.
    registrations.update_event(
        event,
        {"debut": event.debut + dt.timedelta(days=62), "fin": event.fin + dt.timedelta(days=62)},
        by=world["people"][0],
    )
    incremental = snapshot()
    moved = str(event.debut.astimezone(dt.UTC).date().replace(day=1))  # `event` holds the new date
    assert moved != month and {k[3] for k in incremental} == {moved}
    assert all(v > 0 for v in incremental.values())
    assert incremental == rebuilt()


def test_a_failed_rollup_write_rolls_the_registration_back(world, monkeypatch):
    event = make_event(capacite=5)

    def fail(*_args, **_kwargs):
        raise RuntimeError("agrégats indisponibles")

    monkeypatch.setattr(source, "event_cells", fail)
    with pytest.raises(RuntimeError):
        registrations.register(event, world["people"][0])
    assert not Inscription.objects.exists()


def test_the_query_hides_small_counts_and_a_structure_reads_its_own(world):
    event = make_event(capacite=10, days=5)
    for user in world["people"]:
        registrations.register(event, user)
    start = timezone.now() + dt.timedelta(days=5)
    months = query.period(f"{start:%Y-%m}", f"{start:%Y-%m}")
    pilot = query.run(
        source.INDICATOR, query.Scope(None, public_only=False), breakdown="type_structure", months=months
    )
    assert pilot.lines[0].total == 5
    assert pilot.lines[0].cells["CIO"] == "< 5" and pilot.lines[0].cells["ML"] == "< 5"
    own = query.run(source.INDICATOR, query.Scope((world["cio"].pk,), public_only=False), months=months)
    assert own.total == "< 5"  # 3 of its own, never the others'
    with pytest.raises(LookupError):
        query.run(source.INDICATOR, query.Scope(None, public_only=True), months=months)


def test_a_change_of_type_moves_the_events_registrations_and_incremental_equals_rebuilt(world):
    formation = make_event(capacite=2, days=10, type="formation")
    other = make_event(capacite=5, days=10, type="webinaire")
    for user in world["people"][:3]:
        registrations.register(formation, user)  # 2 confirmed, 1 waiting
    registrations.register(other, world["people"][3])
    before = whole(snapshot())
    assert before[("type_evenement", "formation")] == 3 and before[("type_evenement", "webinaire")] == 1

    registrations.update_event(formation, {"type": "atelier"}, by=world["people"][0])
    incremental = snapshot()
    after = whole(incremental)
    assert ("type_evenement", "formation") not in after  # emptied, removed
    assert after[("type_evenement", "atelier")] == 3 and after[("type_evenement", "webinaire")] == 1
    assert after[("", "")] == 4 and after[("inscription", "attente")] == 1  # nothing else moved
    own = {
        k[5]: v for k, v in incremental.items() if k[:3] == (world["cio"].pk, "ensemble", "type_evenement")
    }
    assert own == {"atelier": 3}  # the structure's own rows moved too
    assert incremental == rebuilt()


def test_the_breakdown_by_type_of_event_hides_small_counts(world):
    """A crafted month: 6 registrations to an atelier, 5 to a formation, 1 to a webinaire. The webinaire's 1 is
    « < 5 »; alone hidden in its line it would be the total minus the others, so the smallest other non-zero
    cell (the formation's 5) is hidden too; the atelier's 6 and the total are shown."""
    people = world["people"] + [make_user("ml-extra", world["ml"])]
    atelier = make_event(capacite=10, days=5, type="atelier")
    formation = make_event(capacite=10, days=5, type="formation")
    webinaire = make_event(capacite=10, days=5, type="webinaire")
    for user in people:
        registrations.register(atelier, user)
    for user in people[:5]:
        registrations.register(formation, user)
    registrations.register(webinaire, people[0])
    start = atelier.debut.astimezone(dt.UTC)
    months = query.period(f"{start:%Y-%m}", f"{start:%Y-%m}")
    result = query.run(
        source.INDICATOR, query.Scope(None, public_only=False), breakdown="type_evenement", months=months
    )
    assert [label for _v, label in result.columns] == [
        "Formation",
        "Webinaire",
        "Atelier d’échange de pratiques",
    ]  # the vocabulary's order and labels; types with no registration are not columns
    (line,) = result.lines
    assert line.cells == {"formation": "masqué", "webinaire": "< 5", "atelier": 6}
    assert line.total == 12
