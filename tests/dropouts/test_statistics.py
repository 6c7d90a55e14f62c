"""The import refreshes PostgreSQL's planner statistics of its tables when they are missing or stale (autovacuum
may be late or off): without them its hash lookups read whole tables."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from spro.dropouts.models import YoungPerson
from spro.dropouts.rows import refresh_statistics


def _people(n: int) -> None:
    YoungPerson.objects.bulk_create(
        YoungPerson(
            identity_hash=f"{i:064d}",
            nom="Le Gall",
            prenom="Maëlys",
            birth_date=date(2008, 1, 1),
            commune="29232",
            left_on=date(2026, 6, 30),
            school_status="scolaire",
        )
        for i in range(n)
    )


@pytest.mark.django_db(transaction=True)
def test_stale_statistics_are_refreshed_and_fresh_ones_left_alone():
    _people(30)
    if connection.vendor != "postgresql":
        assert refresh_statistics([YoungPerson], min_changes=10) == []
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_force_next_flush()"
        )  # this session's counters, visible to the next query
    assert refresh_statistics([YoungPerson], min_changes=10) == ["dropouts_youngperson"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'dropouts_youngperson'")
        assert cursor.fetchone()[0] == 30  # the planner now knows the table's size
        cursor.execute("SELECT pg_stat_force_next_flush()")
    assert refresh_statistics([YoungPerson], min_changes=10) == []  # analysed: nothing changed since
    assert refresh_statistics([YoungPerson], min_changes=1000) == []
