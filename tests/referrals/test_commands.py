"""`spro referrals expire | anonymise | stats`: idempotent, logged, counts printed, no personal data in stats."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from spro.referrals.models import Referral

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("referrals", *args, stdout=out)
    return out.getvalue()


def test_expire_prints_counts_and_is_idempotent(structure):
    referral, _ = make_referral(structure)
    Referral.objects.filter(pk=referral.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert run("expire").startswith("1 demande(s) expirée(s)")
    assert json.loads(run("expire", "--json")) == {"expirees": 0, "delai_jours": 30}
    assert referral.transitions.filter(to_status="expiree").count() == 1


def test_anonymise_prints_counts_and_is_idempotent(structure, settings):
    settings.SPRO_REFERRAL_RETENTION_MONTHS = 1
    referral, _ = make_referral(structure)
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    result = json.loads(run("anonymise", "--json"))
    assert {k: result[k] for k in ("anonymisees", "conservation_mois")} == {
        "anonymisees": 1,
        "conservation_mois": 1,
    }
    assert run("anonymise").startswith("0 demande(s) anonymisée(s)")
    assert Referral.objects.get().first_name == ""


def test_stats_count_per_structure_and_status_without_personal_data(structure, other_structure):
    make_referral(structure)
    make_referral(structure, first_name="Dominique")
    make_referral(other_structure)
    data = json.loads(run("stats", "--json"))
    by_name = {row["nom"]: row for row in data["structures"]}
    assert by_name["CIO de Rennes"]["statuts"]["nouvelle"] == 2 and by_name["CIO de Rennes"]["total"] == 2
    assert by_name["Mission locale de Brest"]["total"] == 1
    text = json.dumps(data)
    assert "Camille" not in text and "Dominique" not in text and "example.org" not in text


def test_unknown_action_exits_non_zero():
    result = subprocess.run(
        [sys.executable, "-m", "spro.manage", "referrals", "purge"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "invalid choice" in result.stderr
