"""The rollups follow the first-contact log in its own transaction, and equal a rebuild from the source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.contacts.models import FirstContact
from spro.monitoring import rollups
from spro.monitoring.models import Rollup

from .conftest import add_contact

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        (r.indicator, r.structure_id, r.level, r.dimension, str(r.month), r.territory, r.value): r.count
        for r in Rollup.objects.all()
    }


def test_each_recorded_contact_adds_its_cells_and_incremental_equals_rebuilt(network):
    add_contact(network, commune=network["29232"], besoins=["alternance", "decouvrir-metiers"])
    add_contact(network, channel="telephone", date=dt.date(2026, 4, 2), departement=network["d29"])
    add_contact(network, structure="b", user="conseiller_b", commune=network["35238"], statut="etudiant")
    add_contact(network, structure="b", user="conseiller_b")  # no territory: « non renseigné »
    incremental = snapshot()
    march = "2026-03-01"
    assert incremental[("premiers-contacts", 0, "ensemble", "", march, "", "")] == 3
    assert incremental[("premiers-contacts", 0, "departement", "", march, "29", "")] == 1
    assert incremental[("premiers-contacts", 0, "region", "statut", march, "53", "etudiant")] == 1
    assert incremental[("premiers-contacts", 0, "commune", "", march, "", "")] == 1
    assert incremental[("premiers-contacts", 0, "ensemble", "besoin", march, "", "decouvrir-metiers")] == 3
    assert incremental[("premiers-contacts", network["a"].pk, "ensemble", "", "2026-04-01", "", "")] == 1
    assert ("premiers-contacts", network["b"].pk, "ensemble", "", "2026-04-01", "", "") not in incremental

    Rollup.objects.all().delete()
    call_command("indicateurs", "reconstruire")
    assert snapshot() == incremental


def test_a_contact_refused_by_validation_adds_nothing(network):
    with pytest.raises(Exception):  # noqa: B017 - the model's ValidationError
        add_contact(network, channel="pigeon")
    assert not FirstContact.objects.exists()
    assert not Rollup.objects.exists()


def test_a_failed_rollup_write_rolls_the_contact_back(network, monkeypatch):
    def fail(_cells):
        raise RuntimeError("agrégats indisponibles")

    monkeypatch.setattr(rollups, "add", fail)
    with pytest.raises(RuntimeError):
        add_contact(network)
    assert not FirstContact.objects.exists()


def test_rebuilding_an_indicator_that_is_not_computed_is_refused(network):
    with pytest.raises(CommandError, match="indicateur non calculé : inexistant"):
        call_command("indicateurs", "reconstruire", indicateur=["inexistant"])


def make_referral(network, commune=None):
    from spro.referrals import services, tokens

    details = services.ContactDetails(
        first_name="Camille",
        contact_channel="courriel",
        contact_value="camille@example.org",
        besoins=["evolution-professionnelle"],
        commune=commune,
    )
    created = services.create_referral(network["a"], details, idempotency_key=tokens.new_idempotency_key())
    return created.referral


def test_referrals_move_between_outcomes_and_delay_bands_and_incremental_equals_rebuilt(network):
    from django.utils import timezone

    from spro.referrals import workflow
    from spro.referrals.models import Referral, ReferralTransition

    conseiller = network["users"]["conseiller_a"]
    soon = workflow.Appointment(at=timezone.now() + dt.timedelta(days=3), channel="telephone")
    accepted = make_referral(network, commune=network["29232"])
    workflow.apply(accepted, "accepter", user=conseiller, appointment=soon)
    workflow.apply(accepted, "replanifier", user=conseiller, appointment=soon)  # no status change
    late = make_referral(network)
    # Created ten days ago (perhaps last month): the rollups start from a rebuild, then follow incrementally.
    Referral.objects.filter(pk=late.pk).update(created_at=late.created_at - dt.timedelta(days=10))
    late.refresh_from_db()
    rollups.rebuild([rollups.REFERRALS])
    workflow.apply(late, "voir", user=conseiller)
    workflow.apply(late, "refuser", user=conseiller, reason="hors-zone")
    waiting = make_referral(network, commune=network["29232"])
    workflow.apply(waiting, "voir", user=conseiller)

    incremental = {k: v for k, v in snapshot().items() if k[0] == "orientations"}
    whole: dict = {}
    for k, v in incremental.items():
        if k[1] == 0 and k[2] == "ensemble":
            whole[(k[3], k[6])] = whole.get((k[3], k[6]), 0) + v
    assert whole == {
        ("", ""): 3,
        ("issue", "acceptee"): 1,
        ("issue", "refusee"): 1,
        ("issue", "vue"): 1,
        ("delai", "moins-2-jours"): 1,
        ("delai", "8-30-jours"): 1,
        ("delai", "sans-reponse"): 1,
    }
    assert all(v > 0 for v in incremental.values())
    assert ReferralTransition.objects.filter(referral=accepted).count() == 3
    Rollup.objects.filter(indicator="orientations").delete()
    call_command("indicateurs", "reconstruire", indicateur=["orientations"])
    assert {k: v for k, v in snapshot().items() if k[0] == "orientations"} == incremental
