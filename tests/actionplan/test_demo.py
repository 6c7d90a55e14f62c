"""The demo plan: deterministic, labelled « données de démonstration », reloadable, never over a used plan."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from spro.actionplan import plans
from spro.actionplan.demo import TITLE
from spro.actionplan.models import ActionPlan, Body


def _tree(plan):
    return plans.build_snapshot(plan)["axes"]


def test_the_demo_plan_is_labelled_deterministic_and_reloadable(world, capsys):
    call_command("plan_action", "demo", "--region", "53")
    first = ActionPlan.objects.get(title=TITLE)
    assert "données de démonstration" in first.introduction
    assert "3 actions" in capsys.readouterr().out
    tree = _tree(first)
    call_command("plan_action", "demo", "--region", "53")
    again = ActionPlan.objects.get(title=TITLE)
    assert _tree(again) == tree and again.pk != first.pk
    assert ActionPlan.objects.filter(region_id="53").count() == 2  # the world's own plan is untouched
    assert Body.objects.filter(name__contains="données de démonstration").count() == 2
    plans.record_version(again, world["users"]["pilote_region"])
    with pytest.raises(CommandError, match="conservé"):
        call_command("plan_action", "demo", "--region", "53")
    with pytest.raises(CommandError, match="Région inconnue"):
        call_command("plan_action", "demo", "--region", "99")
