"""« exploration »: the explorer's anonymous daily count, rolled up per month in its own transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from spro.explorer.models import DailyCount, count_completed
from spro.explorer.signals import questionnaire_counted
from spro.monitoring import query, rollups
from spro.monitoring.models import Rollup
from spro.monitoring.sources import exploration

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        (r.structure_id, r.level, str(r.month)): r.count
        for r in Rollup.objects.filter(indicator="exploration")
    }


def test_each_questionnaire_adds_one_and_incremental_equals_rebuilt():
    sent = []
    questionnaire_counted.connect(lambda sender, day, **kw: sent.append(day), weak=False, dispatch_uid="t")
    try:
        for _ in range(6):
            count_completed()
    finally:
        questionnaire_counted.disconnect(dispatch_uid="t")
    assert len(sent) == 6
    DailyCount.objects.create(date=dt.date(2026, 1, 31), questionnaires=4)  # an older day, before the rollups
    month = str(rollups.month_of(sent[0]))
    assert snapshot() == {(0, "ensemble", month): 6}
    Rollup.objects.filter(indicator="exploration").delete()
    call_command("indicateurs", "reconstruire", indicateur=["exploration"])
    assert snapshot() == {(0, "ensemble", month): 6, (0, "ensemble", "2026-01-01"): 4}


def test_a_failed_rollup_write_rolls_the_count_back(monkeypatch):
    def fail(_cells):
        raise RuntimeError("agrégats indisponibles")

    monkeypatch.setattr(rollups, "add", fail)
    with pytest.raises(RuntimeError):
        count_completed()
    assert not DailyCount.objects.exists()


def test_the_public_reads_it_with_small_counts_hidden():
    for _ in range(3):
        count_completed()
    months = query.period(None, None)
    result = query.run("exploration", query.Scope(None, public_only=True), months=months)
    assert result.total == "< 5"
    with pytest.raises(query.QueryError, match="niveau territorial"):
        query.run("exploration", query.Scope(None, public_only=True), level="region", months=months)
    assert exploration.INDICATOR in rollups.COMPUTED
