"""Encryption at rest (names, INE, contact), keyed hashes for matching, key rotation; the access matrix and the
audit of every read; undoing a merge."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection

from spro.audit.models import AuditEvent
from spro.core import crypto
from spro.dropouts import access
from spro.dropouts.models import MergeRecord, YoungPerson
from tests.dropouts.conftest import line, run_import, write_list


def _raw(person_id: int) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nom, prenom, ine, telephone, courriel, responsable_legal, identity_hash, ine_hash "
            "FROM dropouts_youngperson WHERE id = %s",
            [person_id],
        )
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_personal_values_are_encrypted_in_the_database_row(zone_world):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A", responsable_legal="Anne Le Gall")))
    person = YoungPerson.objects.get()
    raw = _raw(person.pk)
    clear = {
        "nom": "Le Gall",
        "prenom": "Maëlys",
        "ine": "1234567890A",
        "telephone": "06 39 98 00 01",
        "courriel": "maelys@example.org",
        "responsable_legal": "Anne Le Gall",
    }
    for column, value in clear.items():
        assert raw[column].startswith(crypto.PREFIX) and value not in raw[column]
        assert getattr(person, column) == value
    for column in ("identity_hash", "ine_hash"):
        assert (
            len(raw[column]) == 64 and "gall" not in raw[column].lower() and "1234567890A" not in raw[column]
        )


def test_rotation_new_key_first_old_key_still_decrypts_and_rechiffrer_moves_everything(zone_world, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SPRO_DROPOUT_KEYS = [old]
    run_import(write_list(zone_world["tmp"], line()))
    run_import(write_list(zone_world["tmp"], line(telephone="06 39 98 77 77"), name="b.csv"), "2026-01")
    settings.SPRO_DROPOUT_KEYS = [new, old]
    assert YoungPerson.objects.get().telephone == "06 39 98 77 77"  # read with the old key
    call_command("decrochage", "rechiffrer")
    settings.SPRO_DROPOUT_KEYS = [new]
    person = YoungPerson.objects.get()
    assert (person.nom, person.telephone) == ("Le Gall", "06 39 98 77 77")
    assert MergeRecord.objects.get().before  # the merge's before-values were re-encrypted too
    settings.SPRO_DROPOUT_KEYS = [old]
    with pytest.raises(crypto.DecryptionError):
        YoungPerson.objects.get()


# --- access ---------------------------------------------------------------------------------------------------

#: (user, reads a young person of Quimper assigned to the CIO of Quimper, coordinates the Quimper zone)
MATRIX = [
    ("coordinateur_quimper", True, True),
    ("conseiller_psad_quimper", True, False),
    ("conseiller_cio_quimper", True, False),
    ("conseiller_ml_quimper", False, False),  # a partner of the zone, not the one assigned
    ("coordinateur_rennes", False, False),
    ("conseiller_ml_rennes", False, False),
    ("pilote_region", False, False),
    ("pilote_etat", False, False),
    ("superuser", False, False),
    ("nobody", False, False),
]


@pytest.mark.parametrize(("who", "reads", "coordinates"), MATRIX)
def test_access_matrix(zone_world, who, reads, coordinates):
    from tests.dropouts.conftest import born

    run_import(write_list(zone_world["tmp"], line(date_naissance=born(17))))
    person = YoungPerson.objects.get()
    assert person.partner == zone_world["structures"]["cio-quimper"]
    user = zone_world["users"][who]
    assert access.can_read(user, person) is reads
    assert (person in access.visible_young_people(user)) is reads
    assert access.can_assign(user, person) is coordinates
    if reads:
        access.read_record(user, person)
        event = AuditEvent.objects.get(action="dropout.view")
        assert (event.user, event.object_id) == (user, str(person.pk))
    else:
        with pytest.raises(PermissionDenied):
            access.read_record(user, person)
        assert not AuditEvent.objects.filter(action="dropout.view").exists()


def test_an_inactive_member_reads_nothing(zone_world):
    run_import(write_list(zone_world["tmp"], line()))
    user = zone_world["users"]["coordinateur_quimper"]
    user.is_active = False
    user.save()
    assert not access.can_read(user, YoungPerson.objects.get())
    assert not access.visible_young_people(user).exists()


# --- undoing a merge ----------------------------------------------------------------------------------------------


def test_defusionner_restores_the_person_and_makes_the_line_a_young_person_of_its_own(zone_world):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    run_import(
        write_list(zone_world["tmp"], line(telephone="06 39 98 55 55", commune="35238"), name="b.csv"),
        "2026-01",
    )
    merge = MergeRecord.objects.get()
    assert merge.matched_by == "identite" and set(merge.changed_fields) == {"commune", "telephone"}
    call_command("decrochage", "defusionner", str(merge.pk))
    original = YoungPerson.objects.get(pk=merge.person_id)
    assert (original.telephone, original.commune, original.zone.code) == (
        "06 39 98 00 01",
        "29232",
        "quimper",
    )
    assert list(original.campaigns.values_list("code", flat=True)) == ["2025-11"]
    merge.refresh_from_db()
    split = merge.split_person
    assert (split.telephone, split.commune, split.zone.code) == ("06 39 98 55 55", "35238", "rennes")
    assert list(split.campaigns.values_list("code", flat=True)) == ["2026-01"]
    assert AuditEvent.objects.filter(action="dropout.unmerge").count() == 1
    with pytest.raises(Exception, match="déjà défusionnée"):
        call_command("decrochage", "defusionner", str(merge.pk))
    # the line now belongs to the split person: importing it again is unchanged
    result = run_import(
        write_list(zone_world["tmp"], line(telephone="06 39 98 55 55", commune="35238"), name="b.csv"),
        "2026-01",
    )
    assert result == {"crees": 0, "fusionnes": 0, "inchanges": 1, "erreurs": []}
