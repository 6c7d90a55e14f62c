"""`spro decrochage demo`: a deterministic synthetic campaign on the demo network (« données fictives »)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.dropouts import chain, demo, zones
from spro.dropouts.models import PsadZone, ReturnRequest, YoungPerson
from tests.accounts.factories import StructureFactory

#: this month: the demo's ages are set from the campaign's month and checked against the import's day
CAMPAIGN = date.today().strftime("%Y-%m")


def _demo_network() -> None:
    """The structures the demo zone files name, as `spro import structures` creates them."""
    references = set()
    for path in zones.demo_folder().glob("*.yaml"):
        zone = zones.parse_file(path)
        references |= {zone.psad, *(rule.structure for rule in zone.regles)}
    for reference in sorted(references):
        StructureFactory(di_id=reference, nom=reference, demo=True)


def test_the_demo_files_are_labelled_demo_data():
    for path in zones.demo_folder().glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# DONNÉES DE DÉMONSTRATION")
        assert zones.parse_file(path).demo is True


def test_the_demo_file_is_deterministic(tmp_path):
    demo.write_file(tmp_path / "a.csv", CAMPAIGN)
    demo.write_file(tmp_path / "b.csv", CAMPAIGN)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    text = (tmp_path / "a.csv").read_text(encoding="utf-8")
    assert "@example.org" in text and "06 39 98" in text  # fiction ranges only


def test_the_demo_campaign_loads_assigns_and_is_idempotent(db):
    _demo_network()
    out = StringIO()
    call_command("decrochage", "demo", "--campagne", CAMPAIGN, stdout=out)
    assert (
        "Travail de démonstration : 13 tentative(s) de contact, 3 situation(s), 4 solution(s)"
        in out.getvalue()
    )
    assert YoungPerson.objects.count() == demo.SIZE
    assert PsadZone.objects.filter(demo=True).count() == 4
    assert not YoungPerson.objects.filter(zone=None).exists()
    assert YoungPerson.objects.filter(priority="prioritaire").exists()
    again = demo.load(CAMPAIGN)
    assert (again.result.crees, again.result.fusionnes, again.result.inchanges) == (0, 0, demo.SIZE)
    assert set(again.work.values()) == {0}  # the work is recorded once


def test_the_demo_campaign_has_the_chains_work(db):
    _demo_network()
    done = demo.load(CAMPAIGN)
    assert done.work == {
        "contacts": 13,
        "situations": 3,
        "solutions": 4,
        "suivis_faits": 1,
        "demandes_de_retour": 2,
    }
    assert YoungPerson.objects.filter(priority="injoignable").count() == 2
    assert YoungPerson.objects.filter(priority="traite").count() == 6  # two situations found, four solutions
    due = chain.due_follow_ups(date.today())
    assert {(f.solution.solution_type, f.month) for f in due} == {
        ("apprentissage", 3),
        ("e2c", 3),
        ("e2c", 6),
    }
    assert ReturnRequest.objects.filter(offer_on__isnull=False, closed_on__isnull=True).count() == 1
    assert ReturnRequest.objects.filter(interview_on__isnull=True).count() == 1
    for person in YoungPerson.objects.exclude(contacts=None):
        assert min(c.made_on for c in person.contacts.all()) >= person.left_on


def test_the_demo_needs_the_demo_network(db):
    with pytest.raises(CommandError, match="spro import structures"):
        call_command("decrochage", "demo", "--campagne", CAMPAIGN)
