"""The database refuses what the domain never writes: a closed accompaniment without outcome, an open one with an
outcome, an anonymised one still holding personal data, one without pathway, one opened on the spot without
consent, two accompaniments for one referral, an erased note with text."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from spro.accompaniment.models import Accompaniment, Note
from spro.accompaniment.vocabularies import Status

pytestmark = pytest.mark.django_db


def _refused(accompaniment: Accompaniment, **changes) -> None:
    for field, value in changes.items():
        setattr(accompaniment, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        accompaniment.save()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.CLOS, "closed_at": timezone.now()},  # closed without outcome
        {"status": Status.CLOS, "outcome": "emploi"},  # closed without date
        {"outcome": "emploi"},  # open with an outcome
        {"status": "suspendu"},
        {"outcome": "inconnue", "status": Status.CLOS, "closed_at": timezone.now()},
        {"anonymised_at": timezone.now()},  # anonymised, still open and named
        {
            "anonymised_at": timezone.now(),
            "status": Status.CLOS,
            "closed_at": timezone.now(),
            "outcome": "emploi",
        },  # anonymised but the first name is still there
        {"first_name": ""},  # not anonymised, no first name
        {"pathway": None},  # no pathway before anonymisation
        {"consent_given_at": None},  # opened on the spot without consent
        {"consent_text_version": ""},
        {"contact_channel": "pigeon"},
    ],
)
def test_constraints(accompaniment, changes):
    _refused(accompaniment, **changes)


def test_an_anonymised_accompaniment_may_lose_its_pathway(accompaniment):
    now = timezone.now()
    accompaniment.status, accompaniment.closed_at, accompaniment.outcome = Status.CLOS, now, "emploi"
    accompaniment.first_name = accompaniment.contact_value = ""
    accompaniment.anonymised_at = now
    accompaniment.pathway = None
    accompaniment.save()


def test_one_accompaniment_per_referral_and_one_hand_over(network, users, accompaniment):
    from spro.accompaniment import services

    from .conftest import make_referral

    referral, _ = make_referral(network["a"])
    first = services.open_from_referral(referral, user=users["conseiller_a"], consent=True).accompaniment
    with pytest.raises(IntegrityError), transaction.atomic():
        Accompaniment.objects.create(
            structure=network["a"],
            pathway=first.pathway,
            origin="orientation",
            referral=referral,
            first_name="X",
        )
    services.hand_over(accompaniment, network["b"], user=users["conseiller_a"], consent=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Accompaniment.objects.create(
            structure=network["c"],
            pathway=accompaniment.pathway,
            origin="relais",
            handed_over_from=accompaniment,
            first_name="X",
            consent_text_version="v",
            consent_given_at=timezone.now(),
        )


def test_note_text_or_erased(accompaniment):
    note = accompaniment.notes.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(erased_at=timezone.now())
    Note.objects.filter(pk=note.pk).update(erased_at=timezone.now(), text="")
