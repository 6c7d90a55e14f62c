"""spro/core/crypto.py: encryption at rest with key rotation, keyed hashes, and the production refusal."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from spro.core import crypto


def test_a_value_round_trips_and_its_token_is_marked_and_never_the_clear_text():
    token = crypto.encrypt("06 39 98 00 01")
    assert token.startswith(crypto.PREFIX) and "06 39 98" not in token
    assert crypto.decrypt(token) == "06 39 98 00 01"
    assert crypto.encrypt("06 39 98 00 01") != token  # a fresh token each time (random IV)


def test_rotation_the_first_key_encrypts_every_key_decrypts_and_rotate_moves_a_token(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SPRO_DROPOUT_KEYS = [old]
    token = crypto.encrypt("Le Gall")
    settings.SPRO_DROPOUT_KEYS = [new, old]
    assert crypto.decrypt(token) == "Le Gall"
    rotated = crypto.rotate(token)
    settings.SPRO_DROPOUT_KEYS = [new]
    assert crypto.decrypt(rotated) == "Le Gall"
    with pytest.raises(crypto.DecryptionError, match="aucune clé"):
        crypto.decrypt(token)


def test_an_empty_value_stays_empty_and_a_clear_value_in_an_encrypted_column_is_refused():
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("Le Gall")


def test_keyed_hashes_match_equal_values_and_depend_on_the_key(settings):
    first = crypto.keyed_hash("identite|legall|maelys|2006-04-12")
    assert first == crypto.keyed_hash("identite|legall|maelys|2006-04-12") and len(first) == 64
    settings.SPRO_DROPOUT_HMAC_KEY = "k" * 32
    assert crypto.keyed_hash("identite|legall|maelys|2006-04-12") != first


def test_production_without_keys_is_refused_clearly(settings):
    settings.PRODUCTION = True
    settings.SPRO_DROPOUT_KEYS = []
    settings.SPRO_DROPOUT_HMAC_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="SPRO_DROPOUT_KEYS"):
        crypto.encrypt("x")
    with pytest.raises(ImproperlyConfigured, match="SPRO_DROPOUT_HMAC_KEY"):
        crypto.keyed_hash("x")


def test_a_malformed_key_or_a_short_hmac_key_is_refused(settings):
    settings.SPRO_DROPOUT_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="clé Fernet"):
        crypto.encrypt("x")
    settings.SPRO_DROPOUT_HMAC_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="32 caractères"):
        crypto.keyed_hash("x")
