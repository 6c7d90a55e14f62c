"""spro.governance.services and models: conventions, avenants, texts, notices, the charter; computed status and dates;
every change audited; refusals without partial writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from spro.audit.models import AuditEvent
from spro.core import uploads
from spro.governance import calendar, services
from spro.governance.models import (
    Charter,
    CharterSignature,
    Convention,
    ConventionDocument,
    ConventionStatus,
    NetworkMember,
)

PDF = b"%PDF-1.7\n%%EOF\n"
D = dt.date.fromisoformat


def test_computed_dates_of_a_convention(convention):
    life = convention.life(D("2025-12-01"))
    assert life.as_json()["prochaine_reconduction"] == "2026-03-15"
    assert life.current_period() == calendar.Period(D("2025-03-15"), D("2026-03-14"))
    assert life.last_possible_end == D("2027-03-14")
    assert convention.status(D("2025-12-01")) == ConventionStatus.SIGNED
    assert convention.status(D("2027-03-15")) == ConventionStatus.ENDED


def test_a_convention_without_effect_or_signature_is_a_draft(db):
    draft = Convention.objects.create(kind="cadre", title="Projet", cprdfop_end=D("2027-03-14"))
    assert draft.life() is None
    assert draft.status() == ConventionStatus.DRAFT


def test_the_database_refuses_an_annex_without_parent_and_a_framework_with_one(convention):
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(kind="annexe", title="Annexe", cprdfop_end=D("2027-03-14"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(
            kind="cadre", parent=convention, title="Cadre bis", cprdfop_end=D("2027-03-14")
        )


def test_save_convention_checks_rights_and_rules_and_audits(users, convention):
    annex = Convention(kind="annexe", title="Annexe ML", cprdfop_end=D("2027-03-14"))
    with pytest.raises(PermissionDenied):
        services.save_convention(users["pilote_etat"], annex)
    with pytest.raises(ValidationError, match="convention cadre"):
        services.save_convention(users["pilote_region"], annex)
    annex.parent = convention
    services.save_convention(users["pilote_region"], annex)
    assert AuditEvent.objects.filter(action="convention_creee", object_id=str(annex.pk)).exists()
    child_of_annex = Convention(kind="particuliere", parent=annex, title="X", cprdfop_end=D("2027-03-14"))
    with pytest.raises(ValidationError, match="convention cadre"):
        services.save_convention(users["pilote_region"], child_of_annex)


def test_cprdfop_end_before_effect_is_refused(users):
    convention = Convention(
        kind="cadre", title="X", effective_on=D("2025-03-15"), cprdfop_end=D("2025-03-14")
    )
    with pytest.raises(ValidationError, match="CPRDFOP"):
        services.save_convention(users["pilote_region"], convention)
    assert not Convention.objects.exists()


def test_amendments_are_numbered_once(users, convention):
    services.record_amendment(users["pilote_region"], convention, 1, D("2025-06-01"), "Ajout d’un réseau")
    assert services.next_amendment_number(convention) == 2
    with pytest.raises(ValidationError, match="existe déjà"):
        services.record_amendment(users["pilote_region"], convention, 1, D("2025-07-01"), "Autre")
    with pytest.raises(PermissionDenied):
        services.record_amendment(users["pilote_etat"], convention, 2, D("2025-07-01"), "Autre")


def test_documents_are_versioned_with_their_checksum_and_served_to_readers_only(users, convention, rf):
    first = services.add_document(
        users["pilote_region"], convention, SimpleUploadedFile("c.pdf", PDF), "Texte"
    )
    second = services.add_document(
        users["pilote_region"], convention, SimpleUploadedFile("c2.pdf", PDF + b" "), ""
    )
    assert (first.version, second.version) == (1, 2)
    assert second.title == "c2.pdf"
    assert len(first.sha256) == 64
    response = services.document_response(users["pilote_etat"], first)
    assert response["Content-Disposition"].startswith("attachment")
    response.file_to_stream.close()  # not response.close(): it sends request_finished, closing the database
    assert AuditEvent.objects.filter(action="texte_telecharge", user=users["pilote_etat"]).exists()
    with pytest.raises(PermissionDenied):
        services.document_response(users["admin_a"], first)


def test_a_refused_file_writes_nothing(users, convention, settings, tmp_path):
    with pytest.raises(uploads.UploadError):
        services.add_document(
            users["pilote_region"], convention, SimpleUploadedFile("x.pdf", b"<html></html>"), "Texte"
        )
    assert not ConventionDocument.objects.exists()
    assert not [p for p in uploads.storage_root().rglob("*") if p.is_file()]


def test_a_document_upload_needs_the_edit_right_before_anything_is_stored(users, convention):
    with pytest.raises(PermissionDenied):
        services.add_document(users["pilote_etat"], convention, SimpleUploadedFile("c.pdf", PDF), "Texte")
    assert not uploads.storage_root().exists() or not any(uploads.storage_root().rglob("*.pdf"))


def test_a_notice_recomputes_the_end_and_the_status(users, convention):
    services.record_notice(users["pilote_region"], convention, D("2025-12-31"), "État")
    convention.refresh_from_db()
    life = convention.life(D("2026-01-15"))
    assert (life.end, life.end_reason) == (D("2026-02-28"), "denonciation")
    assert life.next_renewal is None
    assert convention.status(D("2026-01-15")) == ConventionStatus.DENOUNCED
    with pytest.raises(ValidationError, match="déjà"):
        services.record_notice(users["pilote_region"], convention, D("2026-01-02"), "Région")


def test_a_notice_before_the_effect_date_is_refused(users, convention):
    with pytest.raises(ValidationError, match="précède la date d’effet"):
        services.record_notice(users["pilote_region"], convention, D("2025-01-01"), "État")


@pytest.mark.parametrize(
    ("anniversary", "limit"),
    [
        ("2026-03-15", "2026-01-14"),  # ends 14 March, the day before
        ("2026-03-01", "2025-12-31"),  # ends 28 February: 29, 30 and 31 December all end then
        ("2028-03-01", "2027-12-31"),  # leap year: ends 29 February
        ("2026-05-01", "2026-02-28"),  # ends 30 April (28 February + 2 months = 28 April; 1 March → 1 May)
    ],
)
def test_last_day_to_send_a_notice_before_a_renewal(anniversary, limit):
    day = services.latest_notice_to_avoid(D(anniversary))
    assert day == D(limit)
    assert calendar.notice_end(day) < D(anniversary)
    assert calendar.notice_end(day + dt.timedelta(days=1)) >= D(anniversary)


def test_a_new_charter_version_asks_members_to_sign_again(users, members):
    v1 = services.publish_charter(users["pilote_region"], "Nous nous engageons…")
    assert {m.pk for m in services.members_without_signature()} == {members["a"].pk, members["b"].pk}
    services.sign_charter(users["admin_a"], members["a"], v1)
    services.sign_charter(users["admin_a"], members["a"], v1)  # twice: one signature
    assert CharterSignature.objects.count() == 1
    assert list(services.members_without_signature()) == [members["b"]]
    v2 = services.publish_charter(
        users["pilote_region"], "Version révisée", upload=SimpleUploadedFile("c.pdf", PDF)
    )
    assert v2.version == 2 and v2.document_sha256
    assert {m.pk for m in services.members_without_signature()} == {members["a"].pk, members["b"].pk}
    with pytest.raises(ValidationError, match="version en vigueur"):
        services.sign_charter(users["admin_a"], members["a"], v1)
    assert members["a"].last_signature().charter == v1
    assert AuditEvent.objects.filter(action="charte_signee").count() == 1


@pytest.mark.parametrize("role", ["pilote_region", "pilote_etat", "superuser", "conseiller_a", "tete_ml_bzh"])
def test_only_the_structure_admin_may_sign(users, members, role):
    charter = Charter.objects.create(version=1, text="Charte")
    with pytest.raises(PermissionDenied):
        services.sign_charter(users[role], members["a"], charter)


def test_only_the_region_team_publishes_a_charter(users):
    with pytest.raises(PermissionDenied):
        services.publish_charter(users["pilote_etat"], "Texte")
    assert not Charter.objects.exists()


def test_ended_members_are_not_current(members):
    member = members["b"]
    member.ended_on = D("2025-06-30")
    member.save()
    assert list(services.current_members(D("2025-07-01"))) == [members["a"]]
    assert set(services.current_members(D("2025-06-30"))) == {members["a"], members["b"]}
    assert not member.is_current(D("2025-07-01"))


def test_members_are_added_by_the_region_team(users, network):
    member = NetworkMember(structure=network["c"], network="ML", started_on=D("2025-01-01"))
    with pytest.raises(PermissionDenied):
        services.save_member(users["admin_a"], member)
    services.save_member(users["pilote_region"], member)
    assert AuditEvent.objects.filter(action="membre_ajoute").exists()


def test_feed_tokens_are_kept_hashed_revoked_by_a_new_one_and_follow_the_right(users):
    pilot = users["pilote_etat"]
    first = services.new_feed_token(pilot)
    assert services.feed_user(first) == pilot
    second = services.new_feed_token(pilot)
    assert services.feed_user(first) is None
    assert services.feed_user(second) == pilot
    pilot.scopes.all().delete()
    assert services.feed_user(second) is None
    assert services.feed_user("") is None
    with pytest.raises(PermissionDenied):
        services.new_feed_token(users["admin_a"])
