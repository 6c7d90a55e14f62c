"""The chain announces its writes to higher apps (the monitoring rollups) inside their transaction, with ids only."""

from __future__ import annotations

import pytest
from django.db import connection

from spro.dropouts import chain, retention, signals
from spro.dropouts.models import Campaign
from tests.dropouts.test_chain import days_ago, young

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events: list[tuple] = []

    def listen(name):
        def receiver(sender, **kwargs):
            events.append(
                (name, kwargs.get("person_ids", kwargs.get("campaign_ids")), connection.in_atomic_block)
            )

        return receiver

    receivers = {name: listen(name) for name in ("work_changing", "work_changed", "lists_changed")}
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver, dispatch_uid=f"test-{name}")
    yield events
    for name in receivers:
        getattr(signals, name).disconnect(dispatch_uid=f"test-{name}")


def test_a_contact_is_announced_before_and_after_in_its_transaction(zone_world, heard):
    person = young(zone_world)
    assert heard == [("lists_changed", None, True)]  # the import
    heard.clear()
    ml = zone_world["users"]["conseiller_ml_quimper"]
    chain.record_contact(ml, person, channel="telephone", made_on=days_ago(3), result="joint")
    assert heard == [("work_changing", [person.pk], True), ("work_changed", [person.pk], True)]


def test_a_refused_write_announces_nothing_after(zone_world, heard):
    person = young(zone_world)
    heard.clear()
    ml = zone_world["users"]["conseiller_ml_quimper"]
    with pytest.raises(chain.ChainError):
        chain.record_contact(ml, person, channel="pigeon", made_on=days_ago(3), result="joint")
    assert heard == []


def test_closing_a_campaign_announces_it(zone_world, heard):
    young(zone_world)
    heard.clear()
    retention.close_campaign("2025-11")
    assert heard == [("lists_changed", [Campaign.objects.get(code="2025-11").pk], True)]
