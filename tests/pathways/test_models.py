"""The database refuses what the code never writes: each CheckConstraint and UniqueConstraint, seen failing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from spro.pathways.models import Action, Focus, Objective, Pathway, PathwayChange, PathwayShare


def refused(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def updated_refused(queryset, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**fields)


def test_pathway_invariants(pathway, structure):
    from .conftest import make_referral

    referral, _ = make_referral(structure)
    base = {"goal_kind": "projet", "goal_label": "Mon projet", "origin": "direct"}
    Pathway.objects.create(**base)
    refused(Pathway, **{**base, "goal_kind": "reve"})
    refused(Pathway, **{**base, "origin": "ailleurs"})
    refused(Pathway, **{**base, "goal_label": ""})
    refused(Pathway, **{**base, "origin_referral": referral})  # origin must then be « referral »
    refused(Pathway, **{**base, "link_token_hash": "a" * 64})  # a link has its date
    refused(
        Pathway, **{**base, "link_token_hash": pathway.link_token_hash, "link_created_at": timezone.now()}
    )
    Pathway.objects.create(**{**base, "origin": "referral", "origin_referral": referral})
    # two revoked links (NULL) are allowed
    Pathway.objects.create(**base)


def test_focus_objective_action_invariants(pathway):
    focus = Focus.objects.get(pathway=pathway)
    refused(Focus, pathway=pathway, code=focus.code)
    refused(Focus, pathway=pathway, code="")
    refused(Objective, focus=focus, label="")
    refused(Objective, focus=focus, label="Étape", status="fini")
    refused(Objective, focus=focus, label="Étape", proposal_state="peut-etre")
    refused(Objective, focus=focus, label="Étape", proposal_state="proposed")  # a proposal is dated
    objective = Objective.objects.get(focus=focus)
    refused(Action, objective=objective, label="")
    refused(Action, objective=objective, label="Action", status="termine")
    refused(Action, objective=objective, label="Action", proposal_state="declined")
    refused(Action, objective=objective, label="Action", appointment_place="Ici")  # no date, no place
    refused(Action, objective=objective, label="Action", appointment_channel="visio")
    refused(
        Action,
        objective=objective,
        label="Action",
        appointment_at=timezone.now(),
        appointment_channel="pigeon",
    )
    Action.objects.create(
        objective=objective, label="Action", appointment_at=timezone.now(), appointment_channel="visio"
    )


def test_share_and_change_invariants(pathway, structure, shared, conseiller):
    now = timezone.now()
    base = {"pathway": pathway, "structure": structure, "consent_text_version": "v1", "given_at": now}
    refused(PathwayShare, **base, expires_at=now, withdrawn_at=now)  # expires after it was given
    refused(PathwayShare, **base, expires_at=now + dt.timedelta(days=1))  # a second open share
    updated_refused(
        PathwayShare.objects.filter(pk=shared.pk), withdrawn_at=shared.given_at - dt.timedelta(seconds=1)
    )
    refused(
        PathwayShare,
        **{**base, "consent_text_version": ""},
        expires_at=now + dt.timedelta(days=1),
        withdrawn_at=now,
    )
    PathwayShare.objects.create(
        **base, expires_at=now + dt.timedelta(days=1), withdrawn_at=now
    )  # a closed one: fine
    refused(PathwayChange, pathway=pathway, kind="inconnu", by_person=True)
    refused(PathwayChange, pathway=pathway, kind="shared", by_person=True, by_user=conseiller)
    refused(PathwayChange, pathway=pathway, kind="shared", by_person=True, by_structure=structure)
