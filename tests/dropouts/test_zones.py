"""PSAD zones (YAML files a Region maintains), assignment to a zone and a partner, priority lists."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.dropouts import zones
from spro.dropouts.models import PsadZone, YoungPerson
from tests.dropouts.conftest import ZONE_QUIMPER, born, line, run_import, write_list


def test_the_zone_files_are_loaded_with_their_rules_resolved_to_structures(zone_world):
    quimper = PsadZone.objects.get(code="quimper")
    assert quimper.psad_structure == zone_world["structures"]["psad-quimper"]
    assert quimper.communes == ["29232", "29039"]
    assert [rule["structure_id"] for rule in quimper.rules] == [
        zone_world["structures"]["cio-quimper"].pk,
        zone_world["structures"]["ml-quimper"].pk,
    ]


@pytest.mark.parametrize(
    ("values", "zone", "partner", "priority"),
    [
        ({"date_naissance": born(17), "statut": "scolaire"}, "quimper", "cio-quimper", "prioritaire"),
        ({"date_naissance": born(16), "statut": "apprenti"}, "quimper", "ml-quimper", "prioritaire"),
        ({"date_naissance": born(19), "statut": "scolaire"}, "quimper", "ml-quimper", "a_contacter"),
        ({"date_naissance": born(18, days=2), "statut": "scolaire"}, "quimper", "ml-quimper", "a_contacter"),
        (
            {"commune": "35238", "statut": "apprenti", "uai": "0350099X"},
            "rennes",
            "cio-rennes",
            "a_contacter",
        ),
        ({"commune": "35238", "statut": "apprenti", "uai": "0350000A"}, "rennes", "ml-rennes", "a_contacter"),
    ],
)
def test_each_young_person_goes_to_the_zone_of_their_commune_and_the_first_matching_rule(
    zone_world, values, zone, partner, priority
):
    run_import(write_list(zone_world["tmp"], line(**values)))
    person = YoungPerson.objects.get()
    assert person.zone.code == zone
    assert person.partner == zone_world["structures"][partner]
    assert person.priority == priority


def test_a_commune_outside_every_zone_is_left_unassigned(zone_world):
    run_import(write_list(zone_world["tmp"], line(commune="14118")))
    person = YoungPerson.objects.get()
    assert (person.zone, person.partner) == (None, None)


def test_a_merge_that_moves_the_young_person_assigns_them_again(zone_world):
    run_import(write_list(zone_world["tmp"], line()))
    run_import(write_list(zone_world["tmp"], line(commune="35238"), name="b.csv"))
    assert YoungPerson.objects.get().zone.code == "rennes"


def test_reassigning_after_a_zone_change(zone_world):
    run_import(write_list(zone_world["tmp"], line(commune="29039")))
    (zone_world["folder"] / "quimper.yaml").write_text(
        ZONE_QUIMPER.replace('"29232", "29039"', '"29232"'), encoding="utf-8"
    )
    (zone_world["folder"] / "concarneau.yaml").write_text(
        ZONE_QUIMPER.replace("code: quimper", "code: concarneau").replace('"29232", "29039"', '"29039"'),
        encoding="utf-8",
    )
    call_command("decrochage", "zones", "charger", "--dossier", str(zone_world["folder"]))
    call_command("decrochage", "affecter")
    assert YoungPerson.objects.get().zone.code == "concarneau"


def test_errors_of_a_zone_file_name_the_file_the_line_and_the_field(zone_world, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        ZONE_QUIMPER.replace("statut: [scolaire]", "statut: [etudiant]").replace('"29039"', '"2903"'),
        encoding="utf-8",
    )
    (folder / "b.yaml").write_text(
        ZONE_QUIMPER.replace("code: quimper", "code: autre").replace("test--ml-quimper", "test--inconnue"),
        encoding="utf-8",
    )
    with pytest.raises(zones.ZoneFileError) as raised:
        zones.check_folder(folder)
    message = str(raised.value)
    assert "a.yaml, ligne 5, champ 'communes' : code INSEE de commune invalide : '2903'" in message
    assert "a.yaml, ligne 8, champ 'regles[0].si.statut[0]'" in message
    assert "b.yaml, champ 'regles[1].structure' : structure « test--inconnue » inconnue" in message


def test_a_commune_in_two_zones_is_refused(zone_world, tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.yaml").write_text(ZONE_QUIMPER, encoding="utf-8")
    (folder / "b.yaml").write_text(ZONE_QUIMPER.replace("code: quimper", "code: autre"), encoding="utf-8")
    with pytest.raises(CommandError, match="la commune 29232 est déjà dans la zone de a.yaml"):
        call_command("decrochage", "zones", "check", "--dossier", str(folder))


def test_a_zone_with_young_people_cannot_disappear_from_the_files(zone_world):
    run_import(write_list(zone_world["tmp"], line(commune="35238")))
    (zone_world["folder"] / "rennes.yaml").unlink()
    with pytest.raises(zones.ZoneFileError, match="rennes"):
        zones.load_folder(zone_world["folder"])
    assert PsadZone.objects.filter(code="rennes").exists()
