"""`spro.accompaniment.signals.accompaniment_changed`: sent by the services, inside their transaction, for each
write that changes what the indicators count, with the counted fields before the change; not for the others."""

from __future__ import annotations

import pytest
from django.db import connection

from spro.accompaniment import services
from spro.accompaniment.signals import accompaniment_changed

from .conftest import open_spot

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    calls: list[tuple] = []

    def listener(sender, accompaniment, before, **_kwargs):
        calls.append((accompaniment.pk, before, accompaniment.status, connection.in_atomic_block))

    accompaniment_changed.connect(listener)
    yield calls
    accompaniment_changed.disconnect(listener)


def test_each_counted_write_is_signalled_in_its_transaction_with_the_fields_before(network, users, sent):
    conseiller = users["conseiller_a"]
    acc = open_spot(network["a"], conseiller, cep_level="niveau-1").accompaniment
    assert sent == [(acc.pk, None, "ouvert", True)]
    services.add_note(acc, user=conseiller, text="Rendez-vous pris.")  # not counted: no signal
    services.set_cep(acc, user=conseiller, level="niveau-2", stage="analyse-situation")
    services.close(acc, user=conseiller, outcome="emploi", cep_outcome="changement-emploi")
    assert [call[1] for call in sent[1:]] == [
        {"status": "ouvert", "outcome": "", "cep_level": "niveau-1", "cep_outcome": ""},
        {"status": "ouvert", "outcome": "", "cep_level": "niveau-2", "cep_outcome": ""},
    ]
    assert all(call[3] for call in sent)
    services.anonymise(acc)  # already closed: nothing counted changes
    assert len(sent) == 3


def test_a_hand_over_signals_the_new_one_and_the_closed_one(network, users, sent):
    acc = open_spot(network["a"], users["conseiller_a"]).accompaniment
    received = services.hand_over(acc, network["b"], user=users["conseiller_a"], consent=True)
    assert [(pk, before is None, status) for pk, before, status, _atomic in sent[1:]] == [
        (received.pk, True, "ouvert"),
        (acc.pk, False, "clos"),
    ]
