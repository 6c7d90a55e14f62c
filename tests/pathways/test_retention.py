"""Retention of the pathways (spro/pathways/retention.py, `spro parcours purger`): the daily visit mark, which
pathways the purge deletes and keeps, the dry run, idempotence, the audit record and the page's erasure date."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from spro.accompaniment import services as accompaniment_services
from spro.audit.models import AuditEvent
from spro.core.months import add_months
from spro.pathways import retention, services
from spro.pathways.models import Pathway, PathwayChange
from tests.accompaniment.conftest import open_spot

LONG_AGO = timezone.now() - dt.timedelta(days=3 * 365)


def _new(label: str = "Un projet"):
    return services.create_pathway(goal_kind="projet", goal_label=label, origin="direct")


def _age(pathway: Pathway, when: dt.datetime = LONG_AGO, opened: dt.datetime | None = LONG_AGO) -> None:
    """Make the pathway look untouched since `when` (row, log) and last opened at `opened`."""
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=when, last_opened_at=opened)
    PathwayChange.objects.filter(pathway=pathway).update(at=when)


def _pathway_updates(queries) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].upper().startswith("UPDATE") and "pathways_pathway" in q["sql"]
    ]


# --- the daily visit mark -----------------------------------------------------------------------------------------


def test_opening_the_page_writes_last_opened_at_once_a_day(client, kept):
    pathway, token = kept
    _age(pathway)
    url = reverse("pathways:parcours", args=[token])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assert len(_pathway_updates(first.captured_queries)) == 1
    pathway.refresh_from_db()
    assert timezone.localdate(pathway.last_opened_at) == timezone.localdate()
    assert pathway.updated_at == LONG_AGO  # a visit is not a change

    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert _pathway_updates(second.captured_queries) == []


def test_record_opening_writes_again_the_next_day(pathway):
    now = timezone.now()
    assert retention.record_opening(pathway, now) is True
    assert retention.record_opening(Pathway.objects.get(pk=pathway.pk), now) is False
    # Another view from a stale instance (loaded before the first write) still writes nothing.
    stale = Pathway.objects.get(pk=pathway.pk)
    stale.last_opened_at = None
    assert retention.record_opening(stale, now) is False
    tomorrow = now + dt.timedelta(days=1)
    assert retention.record_opening(Pathway.objects.get(pk=pathway.pk), tomorrow) is True
    assert Pathway.objects.get(pk=pathway.pk).last_opened_at == tomorrow


def test_migration_fills_last_opened_at_from_updated_at(pathway):
    migration = importlib.import_module("spro.pathways.migrations.0003_pathway_last_opened_at")
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=LONG_AGO, last_opened_at=None)
    migration.fill_from_updated_at(django_apps, None)
    assert Pathway.objects.get(pk=pathway.pk).last_opened_at == LONG_AGO


# --- which pathways the purge deletes -----------------------------------------------------------------------------


@pytest.fixture
def world(structure, conseiller):
    """Old pathways in every situation, and one kept yesterday."""
    old_unopened, _ = _new("Ancien, jamais rouvert")
    _age(old_unopened, opened=None)
    old_opened_long_ago, _ = _new("Ancien, ouvert il y a longtemps")
    _age(old_opened_long_ago)
    opened_recently, _ = _new("Ancien, rouvert récemment")
    _age(opened_recently, opened=timezone.now() - dt.timedelta(days=30))
    changed_recently, _ = _new("Ancien, étape ajoutée récemment")
    _age(changed_recently)
    services.add_objective(changed_recently, services.PERSON, focus_code="formation", label="Nouvelle étape")
    Pathway.objects.filter(pk=changed_recently.pk).update(updated_at=LONG_AGO)  # only the log is recent

    open_acc = open_spot(structure, conseiller).accompaniment
    _age(open_acc.pathway)
    closed_acc = open_spot(structure, conseiller, contact="autre@example.org").accompaniment
    accompaniment_services.close(closed_acc, user=conseiller, outcome="emploi")
    _age(closed_acc.pathway)
    anonymised_acc = open_spot(structure, conseiller, contact="trois@example.org").accompaniment
    accompaniment_services.close(anonymised_acc, user=conseiller, outcome="emploi")
    accompaniment_services.anonymise(anonymised_acc)
    anonymised_acc.refresh_from_db()
    _age(anonymised_acc.pathway)
    recent, _ = _new("Gardé hier")
    return {
        "old_unopened": old_unopened,
        "old_opened_long_ago": old_opened_long_ago,
        "opened_recently": opened_recently,
        "changed_recently": changed_recently,
        "open_accompaniment": open_acc.pathway,
        "closed_accompaniment": closed_acc.pathway,
        "anonymised_accompaniment": anonymised_acc.pathway,
        "recent": recent,
    }


def _ids(world, *names):
    return {world[name].pk for name in names}


def test_due_for_purge_picks_exactly_the_old_unheld_ones(world):
    due = set(retention.due_for_purge().values_list("pk", flat=True))
    assert due == _ids(world, "old_unopened", "old_opened_long_ago", "anonymised_accompaniment")
    for kept in (
        "opened_recently",
        "changed_recently",
        "open_accompaniment",
        "closed_accompaniment",
        "recent",
    ):
        assert world[kept].pk not in due, kept


def test_purge_deletes_them_then_nothing_more(world):
    expected = _ids(world, "old_unopened", "old_opened_long_ago", "anonymised_accompaniment")
    before = Pathway.objects.count()
    assert retention.purge_due() == len(expected)
    assert not Pathway.objects.filter(pk__in=expected).exists()
    assert Pathway.objects.count() == before - len(expected)
    assert Pathway.objects.filter(pk=world["open_accompaniment"].pk).exists()
    assert PathwayChange.objects.filter(pathway_id__in=expected).count() == 0  # the cascade held
    assert retention.purge_due() == 0
    assert Pathway.objects.count() == before - len(expected)


def test_the_boundary_is_the_announced_day(pathway):
    """Last used on day D (local): kept through D + N months, deleted from D + N months + 1; the page's date."""
    last_used = timezone.make_aware(dt.datetime(2024, 1, 31, 23, 30))
    _age(pathway, when=last_used, opened=last_used)
    pathway.refresh_from_db()
    announced = retention.erasure_date(pathway)
    assert announced == dt.date(2026, 2, 1)  # 31 January + 24 months = 31 January 2026, then the next day
    late_on_the_eve = timezone.make_aware(dt.datetime(2026, 1, 31, 23, 59))
    assert not retention.due_for_purge(late_on_the_eve).filter(pk=pathway.pk).exists()
    on_the_day = timezone.make_aware(dt.datetime(2026, 2, 1, 0, 1))
    assert retention.due_for_purge(on_the_day).filter(pk=pathway.pk).exists()


def test_shorter_retention_setting(settings, pathway):
    settings.SPRO_PATHWAY_RETENTION_MONTHS = 6
    _age(pathway, when=timezone.now() - dt.timedelta(days=200), opened=None)
    assert retention.due_for_purge().filter(pk=pathway.pk).exists()
    settings.SPRO_PATHWAY_RETENTION_MONTHS = 12
    assert not retention.due_for_purge().filter(pk=pathway.pk).exists()


@pytest.mark.parametrize("value", ["deux ans", 0, -3])
def test_bad_retention_setting_is_refused(settings, value):
    settings.SPRO_PATHWAY_RETENTION_MONTHS = value
    with pytest.raises(ImproperlyConfigured, match="SPRO_PATHWAY_RETENTION_MONTHS"):
        retention.retention_months()


# --- the command ----------------------------------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("parcours", "purger", *args, stdout=out)
    return out.getvalue().strip()


def test_command_dry_run_writes_nothing_then_purges_once(world):
    expected = len(_ids(world, "old_unopened", "old_opened_long_ago", "anonymised_accompaniment"))
    pathways, changes, audits = (
        Pathway.objects.count(),
        PathwayChange.objects.count(),
        AuditEvent.objects.count(),
    )

    assert json.loads(_run("--dry-run", "--json")) == {
        "a_effacer": expected,
        "conservation_mois": 24,
        "essai": True,
    }
    assert "rien n’a été écrit" in _run("--dry-run")
    assert (Pathway.objects.count(), PathwayChange.objects.count(), AuditEvent.objects.count()) == (
        pathways,
        changes,
        audits,
    )

    assert json.loads(_run("--json")) == {"effaces": expected, "conservation_mois": 24, "essai": False}
    assert Pathway.objects.count() == pathways - expected
    event = AuditEvent.objects.filter(action="pathway.purge").get()
    assert event.user is None and event.object_id == "*"
    assert event.detail.startswith(f"{expected} parcours effacé(s)")

    assert _run() == "0 parcours effacé(s) (sans visite ni modification depuis 24 mois)."
    assert Pathway.objects.count() == pathways - expected
    assert AuditEvent.objects.filter(action="pathway.purge").count() == 2  # every run is recorded


def test_command_refuses_a_folder_with_purger(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="dossier"):
        call_command("parcours", "purger", str(tmp_path), stdout=StringIO())


# --- the page -------------------------------------------------------------------------------------------------------


def test_page_shows_the_erasure_date(client, kept):
    pathway, token = kept
    html = client.get(reverse("pathways:parcours", args=[token])).content.decode()
    day = add_months(timezone.localdate(), 24) + dt.timedelta(days=1)
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]  # fmt: skip
    assert (
        f"Sans visite ni modification, ce parcours sera effacé le {day.day} {months[day.month - 1]} {day.year}."
        in html
    )


def test_page_of_a_pathway_an_accompaniment_holds(client, structure, conseiller):
    opened = open_spot(structure, conseiller)
    html = client.get(reverse("pathways:parcours", args=[opened.pathway_token])).content.decode()
    assert "Ce parcours est gardé tant qu’un accompagnement le suit" in html
    assert "sera effacé le" not in html
