"""The type of a professionalisation event: a known code or nothing written (database constraint), and « autre »
for the events made before events had a type (migration 0003). Form and pages: tests/events/test_pro_views.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from spro.events.models import EvenementPro

from .conftest import make_event


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["conference", "", "FORMATION"])
def test_the_database_refuses_an_unknown_event_type(bad):
    event = make_event(type="formation")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvenementPro.objects.filter(pk=event.pk).update(type=bad)
    assert EvenementPro.objects.get(pk=event.pk).type == "formation"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_events_the_type_autre():
    before, after = [("events", "0002_inscription_structure")], [("events", "0003_evenementpro_type")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("events", "EvenementPro")
        start = timezone.now() + dt.timedelta(days=3)
        pk = old.objects.create(titre="Ancien", debut=start, fin=start, lieu="Rennes", capacite=5).pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    assert EvenementPro.objects.get(pk=pk).type == "autre"
