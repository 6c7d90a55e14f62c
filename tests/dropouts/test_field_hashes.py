"""The import compares a merged line with the stored young person through keyed hashes of the encrypted fields
(`YoungPerson.field_hashes`), decrypting only what differs; a missing or stale hash costs time, never a wrong
merge; `rechiffrer` keeps the hashes valid and fills the missing ones."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from spro.core import crypto
from spro.dropouts import importing
from spro.dropouts.models import ImportedLine, Listing, MergeRecord, YoungPerson
from tests.dropouts.conftest import line, run_import, write_list


@pytest.fixture
def decrypted(monkeypatch) -> list[str]:
    """The tokens decrypted (by the import, and by any read of an encrypted field: count before reading)."""
    seen: list[str] = []
    real = crypto.decrypt

    def counting(token: str) -> str:
        seen.append(token)
        return real(token)

    monkeypatch.setattr(importing.crypto, "decrypt", counting)
    return seen


def test_a_new_young_person_gets_a_hash_of_each_encrypted_value_not_empty(zone_world):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A", courriel="")))
    person = YoungPerson.objects.get()
    assert set(person.field_hashes) == {"ine", "telephone"}
    assert person.field_hashes["telephone"] == importing.field_hash("telephone", "06 39 98 00 01")
    assert all("06 39" not in value and len(value) == 64 for value in person.field_hashes.values())


def test_a_line_equal_to_what_is_known_is_compared_without_decrypting_and_writes_no_person_row(
    zone_world, decrypted
):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    before = YoungPerson.objects.values("updated_at", "field_hashes").get()
    # same values in another campaign: a merge that only adds the campaign
    assert run_import(write_list(zone_world["tmp"], line(ine="1234567890A"), name="b.csv"), "2026-01") == {
        "crees": 0,
        "fusionnes": 1,
        "inchanges": 0,
        "erreurs": [],
    }
    assert decrypted == []
    assert YoungPerson.objects.values("updated_at", "field_hashes").get() == before
    assert MergeRecord.objects.get().changed_fields == []


def test_a_changed_value_is_decrypted_once_merged_and_its_hash_renewed(zone_world, decrypted):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    later = line(ine="1234567890A", telephone="06 39 98 11 11")
    assert run_import(write_list(zone_world["tmp"], later, name="b.csv"), "2026-01")["fusionnes"] == 1
    assert len(decrypted) == 1  # the telephone only, for its value before
    person = YoungPerson.objects.get()
    assert person.telephone == "06 39 98 11 11"
    assert person.field_hashes["telephone"] == importing.field_hash("telephone", "06 39 98 11 11")
    merge = MergeRecord.objects.get()
    assert merge.changed_fields == ["telephone"] and "06 39 98 00 01" in merge.before


def test_missing_hashes_fall_back_to_decrypting_with_the_same_result(zone_world, decrypted):
    """Rows older than the column (or hashed with another HMAC key) have no matching hash: same merges."""
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    YoungPerson.objects.update(field_hashes={})
    same = write_list(zone_world["tmp"], line(ine="1234567890A"), name="b.csv")
    assert run_import(same, "2026-01")["fusionnes"] == 1
    assert len(decrypted) == 3  # ine, telephone, courriel
    assert MergeRecord.objects.get().changed_fields == []  # equal values found equal by decrypting
    YoungPerson.objects.update(field_hashes={"telephone": "0" * 64})  # a stale hash never matches
    changed = write_list(zone_world["tmp"], line(ine="1234567890A", telephone="06 39 98 11 11"), name="c.csv")
    assert run_import(changed, "2026-02")["fusionnes"] == 1
    assert YoungPerson.objects.get().telephone == "06 39 98 11 11"


def test_the_hashes_still_match_after_a_key_rotation_and_rechiffrer_fills_missing_ones(
    zone_world, settings, decrypted
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SPRO_DROPOUT_KEYS = [old]
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    YoungPerson.objects.update(field_hashes={})  # as before the column existed
    settings.SPRO_DROPOUT_KEYS = [new, old]
    call_command("decrochage", "rechiffrer")
    settings.SPRO_DROPOUT_KEYS = [new]
    person = YoungPerson.objects.get()
    assert person.field_hashes == importing.field_hashes(person) and set(person.field_hashes) == {
        "ine",
        "telephone",
        "courriel",
    }
    decrypted.clear()
    assert run_import(write_list(zone_world["tmp"], line(ine="1234567890A"), name="b.csv"), "2026-01") == {
        "crees": 0,
        "fusionnes": 1,
        "inchanges": 0,
        "erreurs": [],
    }
    assert decrypted == []  # the hashes were made from the clear values: the Fernet key does not matter


def test_an_unchanged_reimport_writes_nothing(zone_world):
    path = write_list(
        zone_world["tmp"], line(ine="1234567890A"), line(nom="Morvan", telephone="06 39 98 11 11")
    )
    run_import(path)
    people = list(YoungPerson.objects.values().order_by("pk"))
    counts = (Listing.objects.count(), ImportedLine.objects.count(), MergeRecord.objects.count())
    assert run_import(path) == {"crees": 0, "fusionnes": 0, "inchanges": 2, "erreurs": []}
    assert list(YoungPerson.objects.values().order_by("pk")) == people
    assert (Listing.objects.count(), ImportedLine.objects.count(), MergeRecord.objects.count()) == counts


def test_unmerge_renews_the_hashes_of_both_young_people(zone_world):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    run_import(write_list(zone_world["tmp"], line(telephone="06 39 98 55 55"), name="b.csv"), "2026-01")
    merge = MergeRecord.objects.get()
    call_command("decrochage", "defusionner", str(merge.pk))
    for person in YoungPerson.objects.all():
        assert person.field_hashes == importing.field_hashes(person)
