"""Sessions, documents, attendance, decisions that become follow-up actions, listed until done (overdue first)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from spro.actionplan import bodies
from spro.actionplan.models import Action, ActionPlan, FollowUp, FollowUpStatus, SessionDocument
from spro.audit.models import AuditEvent
from spro.core import uploads

TODAY = dt.date(2027, 4, 1)


@pytest.fixture
def session(world, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return bodies.create_session(
        world["crefop"],
        world["users"]["pilote_region"],
        timezone.make_aware(dt.datetime(2027, 3, 12, 14, 0)),
        "Hôtel de Région, Rennes",
        bodies.agenda_lines("1. Plan d’action partagé\n\n- Bilan des premiers contacts\n"),
    )


def test_the_agenda_is_one_point_per_line(session):
    assert [item.title for item in session.agenda.all()] == [
        "Plan d’action partagé",
        "Bilan des premiers contacts",
    ]


def test_two_decisions_become_follow_up_actions_linked_to_the_plan(world, session):
    lead, plan = world["users"]["pilote_region"], world["plan"]
    action = Action.objects.get(objective__axis__plan=plan, number=2)
    first = bodies.add_decision(session, lead, "Le CREFOP adopte le plan d’action v1.")
    second = bodies.add_decision(
        session, world["users"]["pilote_etat"], "Former les conseillers avant l’été."
    )
    assert (first.number, second.number) == (1, 2)
    bodies.add_follow_up(first, lead, plan, "Publier le plan", "Région Bretagne", dt.date(2027, 3, 31))
    bodies.add_follow_up(second, lead, plan, "Programmer deux sessions", "ARML", dt.date(2027, 6, 30), action)
    bodies.add_follow_up(second, lead, plan, "Informer les réseaux", "DREETS", dt.date(2027, 5, 15))
    bodies.add_follow_up(first, lead, plan, "Envoyer le compte rendu", "Secrétariat du CREFOP", TODAY)
    assert second.follow_ups.count() == 2
    assert action.follow_ups.get().title == "Programmer deux sessions"
    rows = list(bodies.open_follow_ups(world["users"]["membre_crefop"], today=TODAY))
    # Overdue first (due before today; due today is not late yet), then by due date.
    assert [(r.title, r.overdue) for r in rows] == [
        ("Publier le plan", True),
        ("Envoyer le compte rendu", False),
        ("Informer les réseaux", False),
        ("Programmer deux sessions", False),
    ]
    done = rows[0]
    bodies.set_follow_up_status(done, lead, FollowUpStatus.FAIT, "Publié le 2 avril")
    assert FollowUp.objects.get(pk=done.pk).done_at is not None
    bodies.set_follow_up_status(rows[1], lead, FollowUpStatus.ABANDONNE)
    assert [r.title for r in bodies.open_follow_ups(lead, today=TODAY)] == [
        "Informer les réseaux",
        "Programmer deux sessions",
    ]
    assert AuditEvent.objects.filter(action="crefop.follow_up").count() == 4


def test_a_follow_up_stays_within_its_region_and_plan(world, session):
    lead = world["users"]["pilote_region"]
    decision = bodies.add_decision(session, lead, "Décision")
    other = ActionPlan.objects.create(
        region=world["nor"], title="Plan normand", start_year=2027, end_year=2030
    )
    with pytest.raises(bodies.BodyError, match="région"):
        bodies.add_follow_up(decision, lead, other, "X", "Y", TODAY)
    second_plan = ActionPlan.objects.create(
        region=world["bzh"], title="Autre plan", start_year=2031, end_year=2035
    )
    action = Action.objects.filter(objective__axis__plan=world["plan"]).first()
    with pytest.raises(bodies.BodyError, match="n’appartient pas"):
        bodies.add_follow_up(decision, lead, second_plan, "X", "Y", TODAY, action)
    with pytest.raises(bodies.BodyError):
        bodies.add_follow_up(decision, world["users"]["membre_crefop"], world["plan"], "X", "Y", TODAY)
    assert not FollowUp.objects.exists()


def test_documents_are_checked_stored_with_their_checksum_and_refused_otherwise(world, session, tmp_path):
    lead = world["users"]["pilote_region"]
    pdf = b"%PDF-1.4\n" + b"x" * 100 + b"\n%%EOF\n"
    document = bodies.add_document(
        session, lead, SimpleUploadedFile("cr.pdf", pdf), "compte_rendu", "Compte rendu"
    )
    assert document.content_type == "application/pdf" and document.size == len(pdf)
    assert len(document.sha256) == 64 and (tmp_path / document.path).read_bytes() == pdf
    with pytest.raises(uploads.UploadError):
        bodies.add_document(session, lead, SimpleUploadedFile("cr.pdf", b"<html><script>"), "autre", "")
    with pytest.raises(uploads.UploadError):
        bodies.add_document(session, lead, SimpleUploadedFile("cr.docx", pdf), "autre", "")
    with pytest.raises(bodies.BodyError):
        bodies.add_document(
            session, world["users"]["membre_crefop"], SimpleUploadedFile("a.pdf", pdf), "autre", ""
        )
    assert SessionDocument.objects.count() == 1


def test_attendance_by_role_and_organisation_without_accounts(world, session):
    lead = world["users"]["pilote_region"]
    bodies.record_attendance(session, lead, "salaries", "CFDT Bretagne", "present", "Mme Le Gall")
    bodies.record_attendance(session, lead, "employeurs", "MEDEF Bretagne", "excuse")
    assert [(a.member_role, a.organisation, a.presence, a.user) for a in session.attendance.all()] == [
        ("employeurs", "MEDEF Bretagne", "excuse", None),
        ("salaries", "CFDT Bretagne", "present", None),
    ]
    with pytest.raises(bodies.BodyError):
        bodies.record_attendance(session, world["users"]["partenaire_social"], "salaries", "CFDT", "present")
