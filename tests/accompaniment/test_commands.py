"""`spro accompagnements anonymiser [--dry-run]`: retention after SPRO_ACCOMPANIMENT_RETENTION_MONTHS (default 24),
idempotent, logged, codes kept for the statistics, nothing written by a dry run."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from spro.accompaniment import services
from spro.accompaniment.models import Accompaniment, MobilisedScheme
from spro.accompaniment.vocabularies import EventKind, Status

from .conftest import open_spot

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("accompagnements", *args, stdout=out)
    return out.getvalue()


def closed_months_ago(network, users, months: float, **kwargs) -> Accompaniment:
    acc = open_spot(network["a"], users["conseiller_a"], **kwargs).accompaniment
    services.add_note(acc, user=users["conseiller_a"], text="Parle de sa santé.")
    services.mobilise_scheme(
        acc,
        user=users["conseiller_a"],
        scheme=services.scheme_choices()[0][0],
        on=dt.date(2024, 1, 5),
        comment="x",
    )
    services.set_cep(acc, user=users["conseiller_a"], level="niveau-2", stage="mise-en-oeuvre")
    services.close(acc, user=users["conseiller_a"], outcome="formation", cep_outcome="formation-engagee")
    Accompaniment.objects.filter(pk=acc.pk).update(closed_at=timezone.now() - dt.timedelta(days=31 * months))
    acc.refresh_from_db()
    return acc


def test_anonymises_after_24_months_keeps_codes_and_is_idempotent(network, users):
    old = closed_months_ago(network, users, 25)
    recent = closed_months_ago(network, users, 23, first_name="Léa")
    still_open = open_spot(network["a"], users["conseiller_a"], first_name="Sam").accompaniment
    assert "1 accompagnement(s) anonymisé(s) (clos depuis plus de 24 mois)" in run("anonymiser")
    old.refresh_from_db()
    assert (
        old.is_anonymised and old.first_name == "" and old.contact_value == "" and old.contact_channel == ""
    )
    assert [n.text for n in old.notes.all()] == [""] and old.notes.get().erased_at is not None
    assert MobilisedScheme.objects.get(accompaniment=old).comment == ""
    # Codes stay for the statistics.
    assert (old.status, old.outcome, old.cep_level, old.cep_outcome) == (
        Status.CLOS,
        "formation",
        "niveau-2",
        "formation-engagee",
    )
    assert MobilisedScheme.objects.get(accompaniment=old).on == dt.date(2024, 1, 5)
    assert old.events.filter(kind=EventKind.ANONYMISATION, detail="duree-conservation").count() == 1
    for acc in (recent, still_open):
        acc.refresh_from_db()
        assert not acc.is_anonymised and acc.first_name
    # Idempotent: nothing more, no second log entry.
    assert "0 accompagnement(s) anonymisé(s)" in run("anonymiser")
    assert old.events.filter(kind=EventKind.ANONYMISATION).count() == 1


def test_dry_run_counts_and_writes_nothing(network, users):
    old = closed_months_ago(network, users, 30)
    out = json.loads(run("anonymiser", "--dry-run", "--json"))
    assert out == {"a_anonymiser": 1, "conservation_mois": 24, "essai": True}
    old.refresh_from_db()
    assert not old.is_anonymised and old.notes.get().text


def test_retention_setting(network, users, settings):
    old = closed_months_ago(network, users, 7)
    settings.SPRO_ACCOMPANIMENT_RETENTION_MONTHS = 6
    assert json.loads(run("anonymiser", "--json"))["anonymises"] == 1
    old.refresh_from_db()
    assert old.is_anonymised
    settings.SPRO_ACCOMPANIMENT_RETENTION_MONTHS = "zéro"
    with pytest.raises(ImproperlyConfigured):
        run("anonymiser")
