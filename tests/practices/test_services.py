"""The register: who writes, sees and reviews an entry; the workflow and its audit; the search
(docs/bonnes-pratiques.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from spro.audit.models import AuditEvent
from spro.core import uploads
from spro.practices import access, services
from spro.practices.models import Practice
from spro.practices.vocabularies import Status
from tests.accounts.factories import build_network

pytestmark = pytest.mark.django_db

VALUES = {
    "title": "Permanence commune CIO–Mission locale au lycée",
    "kind": "bonne_pratique",
    "theme": "partenariat",
    "network": "ML",
    "territory_level": "departement",
    "territory_code": "29",
    "text": "Une demi-journée par mois, les conseillères reçoivent ensemble les élèves décrocheurs.",
}


@pytest.fixture
def network():
    return build_network()


def draft(network, **changes) -> Practice:
    return services.save(network["users"]["conseiller_a"], {**VALUES, **changes}, structure=network["a"])


def test_a_draft_is_seen_and_edited_by_its_structure_only(network):
    practice = draft(network)
    users = network["users"]
    assert practice.status == Status.BROUILLON and practice.author_structure == network["a"]
    assert access.can_edit(users["admin_a"], practice) and access.can_view(users["admin_a"], practice)
    for other in ("conseiller_b", "pilote_region", "tete_ml_bzh", "superuser", "pilote_etat"):
        assert not access.can_view(users[other], practice), other
        assert not access.can_edit(users[other], practice), other
    with pytest.raises(PermissionDenied):
        services.save(users["conseiller_b"], VALUES, practice)


def test_a_member_cannot_write_for_another_structure(network):
    with pytest.raises(PermissionDenied):
        services.save(network["users"]["conseiller_b"], VALUES, structure=network["a"])
    with pytest.raises(PermissionDenied):
        services.save(network["users"]["partenaire_social"], VALUES)


def test_a_network_head_writes_in_its_own_name(network):
    head = network["users"]["tete_ml_bzh"]
    practice = services.save(head, VALUES)
    assert practice.author_structure is None and access.can_edit(head, practice)
    assert not access.can_view(network["users"]["conseiller_a"], practice)


def test_submit_then_publish_is_audited_and_visible_to_the_network(network):
    users = network["users"]
    practice = draft(network)
    services.submit(users["conseiller_a"], practice)
    assert practice.status == Status.SOUMISE and not access.can_edit(users["conseiller_a"], practice)
    assert access.can_view(users["pilote_region"], practice)
    assert not access.can_view(users["conseiller_b"], practice)
    with pytest.raises(PermissionDenied):
        services.publish(users["pilote_etat"], practice)
    services.publish(users["pilote_region"], practice)
    practice.refresh_from_db()
    assert practice.status == Status.PUBLIEE and practice.reviewed_by == users["pilote_region"]
    assert practice.reviewed_at is not None
    assert access.can_view(users["conseiller_b"], practice) and access.can_view(
        users["tete_ml_bzh"], practice
    )
    assert not access.can_view(users["nobody"], practice)
    actions = list(AuditEvent.objects.filter(object_id=str(practice.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["pratique_publiee", "pratique_soumise"]
    with pytest.raises(ValidationError):
        services.publish(users["pilote_region"], practice)


def test_a_refusal_needs_a_known_reason_and_sends_the_entry_back(network):
    users = network["users"]
    practice = draft(network)
    services.submit(users["conseiller_a"], practice)
    with pytest.raises(ValidationError):
        services.refuse(users["pilote_region"], practice, "pas_envie")
    services.refuse(users["pilote_region"], practice, "donnees_personnelles", "Le nom d’un élève apparaît.")
    practice.refresh_from_db()
    assert (practice.status, practice.refusal_reason) == (Status.REFUSEE, "donnees_personnelles")
    assert access.can_edit(users["conseiller_a"], practice)
    assert not access.can_view(users["conseiller_b"], practice)
    assert AuditEvent.objects.filter(action="pratique_refusee", detail="donnees_personnelles").exists()


def test_the_search_finds_published_entries_by_words_theme_network_and_territory(network):
    users = network["users"]
    published = draft(network)
    services.submit(users["conseiller_a"], published)
    services.publish(users["pilote_region"], published)
    draft(network, title="Décrocheurs : brouillon non publié")
    find = services.published
    assert list(find(services.Search(text="decrocheurs"))) == [published]
    assert list(find(services.Search(text="ÉLÈVES permanence"))) == [published]
    assert list(find(services.Search(text="permanence absent"))) == []
    assert list(find(services.Search(theme="partenariat", network="ML", territory_code="29"))) == [published]
    assert list(find(services.Search(theme="accueil"))) == []
    assert list(find(services.Search(territory_code="35"))) == []


def test_an_attachment_is_checked_by_uploads_and_served_after_the_check(network, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    users = network["users"]
    practice = draft(network)
    pdf = SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    attachment = services.add_attachment(users["conseiller_a"], practice, pdf)
    assert len(attachment.sha256) == 64 and attachment.content_type == "application/pdf"
    with pytest.raises(uploads.UploadError):
        services.add_attachment(
            users["conseiller_a"], practice, SimpleUploadedFile("x.pdf", b"<html></html>")
        )
    with pytest.raises(PermissionDenied):
        services.attachment_response(users["conseiller_b"], attachment)
    response = services.attachment_response(users["admin_a"], attachment)
    response.close()
    assert response["Content-Disposition"].startswith("attachment")


def test_a_refused_entry_is_corrected_and_submitted_again(network):
    users = network["users"]
    practice = draft(network)
    services.submit(users["conseiller_a"], practice)
    services.refuse(users["pilote_region"], practice, "incomplete")
    services.save(users["admin_a"], {**VALUES, "text": "Le contexte, l’action et le résultat."}, practice)
    services.submit(users["admin_a"], practice)
    practice.refresh_from_db()
    assert (practice.status, practice.refusal_reason) == (Status.SOUMISE, "")
    assert "l'action et le resultat" in practice.search_text
    with pytest.raises(PermissionDenied):
        services.save(users["admin_a"], VALUES, practice)
