"""Permissions over roles, through the pages: working groups (members and the Region's team only), documents
(checked upload, download after the check), professionalisation events (register, cancel, attendance), public
entries (who may propose, moderation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.audit.models import AuditEvent
from spro.events import permissions
from spro.events.models import (
    Actualite,
    DocumentGroupe,
    EvenementPro,
    GroupeTravail,
    Inscription,
    MembreGroupe,
    RendezVous,
)

from .conftest import make_event, make_rdv, make_user, outbox

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def groupe(region_team, pro):
    groupe = GroupeTravail.objects.create(titre="Culture commune CEP", created_by=region_team)
    MembreGroupe.objects.create(groupe=groupe, user=pro)
    return groupe


def login(client, user):
    client.force_login(user)
    return client


# -- roles


def test_region_team_is_a_pilote_region_scope_on_this_region(region_team, pro, outsider, geo):
    other_region = make_user("normandie", region_team="28")
    assert permissions.is_region_team(region_team)
    assert not permissions.is_region_team(other_region)
    assert not permissions.is_region_team(pro) and not permissions.is_region_team(outsider)
    region_team.is_active = False
    assert not permissions.is_region_team(region_team)


def test_a_superuser_alone_has_no_events_right(db):
    admin = make_user("admin", is_superuser=True, is_staff=True)
    assert not permissions.is_region_team(admin) and not permissions.can_see_pro_events(admin)


# -- working groups


@pytest.mark.django_db
def test_group_is_seen_by_its_members_and_the_region_team_only(
    client, groupe, region_team, pro, pro2, outsider
):
    url = f"/pro/groupes/{groupe.pk}"
    assert login(client, pro).get(url).status_code == 200
    assert login(client, region_team).get(url).status_code == 200
    for user in (pro2, outsider, make_user("pilote28", region_team="28")):
        assert login(client, user).get(url).status_code == 404
        assert groupe.titre not in login(client, user).get("/pro/groupes").content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_only_the_region_team_changes_members_and_meetings(client, groupe, region_team, pro, pro2):
    response = login(client, pro).post(f"/pro/groupes/{groupe.pk}/membres", {"membre-email": pro2.email})
    assert response.status_code == 403
    response = login(client, region_team).post(
        f"/pro/groupes/{groupe.pk}/membres", {"membre-email": pro2.email}
    )
    assert response.status_code == 302 and groupe.adhesions.filter(user=pro2).exists()
    response = client.post(f"/pro/groupes/{groupe.pk}/membres", {"membre-email": "personne@example.org"})
    assert response.status_code == 400 and "Aucun compte actif" in response.content.decode()
    start = timezone.localtime() + dt.timedelta(days=3)
    data = {
        "reunion-debut": start.strftime("%Y-%m-%dT%H:%M"),
        "reunion-fin": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "reunion-lieu": "Visioconférence",
        "reunion-ordre_du_jour": "1. Tour de table",
    }
    assert login(client, pro).post(f"/pro/groupes/{groupe.pk}/reunions", data).status_code == 403
    assert login(client, region_team).post(f"/pro/groupes/{groupe.pk}/reunions", data).status_code == 302
    bad = {**data, "reunion-fin": (start - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}
    response = client.post(f"/pro/groupes/{groupe.pk}/reunions", bad)
    assert response.status_code == 400 and "La fin doit être après le début" in response.content.decode()
    reunion = groupe.reunions.get()
    ics = login(client, pro2).get(f"/pro/groupes/{groupe.pk}/reunions/{reunion.pk}.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content


def test_shared_documents_are_checked_then_served_only_to_the_group(client, groupe, pro, pro2, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/pro/groupes/{groupe.pk}/documents"
    web_page = SimpleUploadedFile("notes.pdf", b"<html><script>alert(1)</script></html>")
    response = login(client, pro).post(url, {"document-titre": "Notes", "document-fichier": web_page})
    assert response.status_code == 400 and DocumentGroupe.objects.count() == 0
    pdf = SimpleUploadedFile("compte-rendu.pdf", PDF)
    response = client.post(url, {"document-titre": "Compte rendu", "document-fichier": pdf})
    assert response.status_code == 302
    document = DocumentGroupe.objects.get()
    assert document.content_type == "application/pdf" and len(document.sha256) == 64
    download = client.get(f"{url}/{document.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="groupe_document_telecharge").count() == 1
    assert login(client, pro2).get(f"{url}/{document.pk}").status_code == 404
    assert login(client, pro2).post(url, {"document-titre": "x", "document-fichier": pdf}).status_code == 404


# -- professionalisation events


def test_events_are_for_network_professionals_and_the_region_team(client, pro, region_team, outsider):
    event = make_event()
    assert login(client, outsider).get("/pro/evenements").status_code == 403
    assert login(client, outsider).get(f"/pro/evenements/{event.pk}").status_code == 403
    assert login(client, outsider).post(f"/pro/evenements/{event.pk}/inscription").status_code == 403
    assert login(client, pro).get("/pro/evenements").status_code == 200
    assert login(client, region_team).get("/pro/evenements").status_code == 200


def test_register_then_cancel_moves_the_waiting_list(client, pro, pro2):
    event = make_event(capacite=1)
    login(client, pro).post(f"/pro/evenements/{event.pk}/inscription")
    login(client, pro2).post(f"/pro/evenements/{event.pk}/inscription")
    page = client.get(f"/pro/evenements/{event.pk}").content.decode()
    assert "liste d’attente, en position 1" in page
    login(client, pro).post(f"/pro/evenements/{event.pk}/annulation")
    assert Inscription.objects.get(user=pro2).statut == "confirmee"
    assert (
        "Votre inscription est confirmée"
        in login(client, pro2).get(f"/pro/evenements/{event.pk}").content.decode()
    )
    assert [m.to for m in outbox()] == [pro2.email]


def test_only_the_region_team_sees_registrants_and_records_attendance(client, pro, pro2, region_team):
    event = make_event(capacite=2)
    login(client, pro).post(f"/pro/evenements/{event.pk}/inscription")
    mine = Inscription.objects.get(user=pro)
    assert "Inscrits et présences" not in client.get(f"/pro/evenements/{event.pk}").content.decode()
    response = client.post(f"/pro/evenements/{event.pk}/presences", {f"presence-{mine.pk}": "present"})
    assert response.status_code == 403
    page = login(client, region_team).get(f"/pro/evenements/{event.pk}").content.decode()
    assert "Inscrits et présences" in page and "CIO de Rennes" in page
    assert AuditEvent.objects.filter(action="evenement_liste_inscrits").exists()
    client.post(f"/pro/evenements/{event.pk}/presences", {f"presence-{mine.pk}": "present"})
    assert Inscription.objects.get(pk=mine.pk).presence == "present"
    # The team may cancel someone's registration; a member may not cancel another's.
    other = login(client, pro2).post(f"/pro/evenements/{event.pk}/annulation", {"inscription": mine.pk})
    assert other.status_code == 403
    login(client, region_team).post(f"/pro/evenements/{event.pk}/annulation", {"inscription": mine.pk})
    assert Inscription.objects.get(pk=mine.pk).statut == "annulee"


def test_the_region_team_creates_an_event_with_valid_dates(client, region_team, pro):
    start = timezone.localtime() + dt.timedelta(days=20)
    data = {
        "titre": "Atelier interconnaissance",
        "type": "atelier",
        "description": "Présentation des réseaux.",
        "debut": start.strftime("%Y-%m-%dT%H:%M"),
        "fin": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "lieu": "Rennes",
        "capacite": "12",
    }
    assert login(client, pro).post("/pro/evenements/nouveau", data).status_code == 403
    assert (
        login(client, region_team).post("/pro/evenements/nouveau", {**data, "capacite": "0"}).status_code
        == 400
    )
    past = {**data, "debut": "2020-01-01T09:00", "fin": "2020-01-01T10:00"}
    assert "dans le futur" in client.post("/pro/evenements/nouveau", past).content.decode()
    assert client.post("/pro/evenements/nouveau", data).status_code == 302
    assert EvenementPro.objects.get().type == "atelier"


def test_a_new_event_needs_a_known_type_and_a_bad_one_is_a_400_with_nothing_written(client, region_team):
    start = timezone.localtime() + dt.timedelta(days=20)
    data = {
        "titre": "Visite d’un chantier naval",
        "debut": start.strftime("%Y-%m-%dT%H:%M"),
        "fin": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "lieu": "Brest",
        "capacite": "15",
    }
    login(client, region_team)
    page = client.get("/pro/evenements/nouveau").content.decode()
    assert '<option value="" selected>Choisissez un type</option>' in page  # chosen, not left at « autre »
    missing = client.post("/pro/evenements/nouveau", data)
    assert missing.status_code == 400 and "Choisissez un type d’événement." in missing.content.decode()
    for bad in ("conference", "FORMATION", "autre'; --"):
        response = client.post("/pro/evenements/nouveau", {**data, "type": bad})
        assert response.status_code == 400 and "Type d’événement inconnu." in response.content.decode()
    assert not EvenementPro.objects.exists()
    assert client.post("/pro/evenements/nouveau", {**data, "type": "visite"}).status_code == 302
    event = EvenementPro.objects.get()
    assert event.type == "visite"
    assert (
        "Visite d’entreprise ou d’établissement" in client.get(f"/pro/evenements/{event.pk}").content.decode()
    )
    listed = client.get("/pro/evenements").content.decode()
    assert "Visite d’entreprise ou d’établissement · " in listed


def test_invitation_ics(client, pro, outsider):
    import icalendar

    event = make_event()
    response = login(client, pro).get(f"/pro/evenements/{event.pk}/invitation.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    (item,) = calendar.walk("VEVENT")
    assert str(item["summary"]) == event.titre and str(item["location"]) == event.lieu
    assert login(client, outsider).get(f"/pro/evenements/{event.pk}/invitation.ics").status_code == 403


# -- public entries and moderation


def rdv_data(**overrides):
    start = timezone.localtime() + dt.timedelta(days=5)
    return {
        "type": "portes-ouvertes",
        "titre": "Portes ouvertes du lycée maritime",
        "texte": "Visite des ateliers.",
        "debut": start.strftime("%Y-%m-%dT%H:%M"),
        "fin": (start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "lieu": "Lycée maritime",
        "lien": "",
        "public": "jeunes",
        "departement": "",
        "commune_saisie": "Brest",
        **overrides,
    }


def test_members_propose_only_when_the_region_allows_it(client, pro, settings, geo):
    assert login(client, pro).get("/pro/publications").status_code == 403
    assert client.post("/pro/publications/nouvelle/rendez-vous", rdv_data()).status_code == 403
    settings.SPRO_EVENTS_MEMBER_SUBMISSIONS = True
    assert client.post("/pro/publications/nouvelle/rendez-vous", rdv_data()).status_code == 302
    entry = RendezVous.objects.get()
    assert (
        entry.statut == "soumise" and entry.commune_id == "29019" and entry.structure.nom == "CIO de Rennes"
    )
    assert client.get("/agenda").context["page_obj"].paginator.count == 0
    assert client.get(f"/pro/publications/rendez-vous/{entry.pk}/relecture").status_code == 403


def test_the_region_team_publishes_directly_and_moderates(client, pro, region_team, settings, geo):
    response = login(client, region_team).post(
        "/pro/publications/nouvelle/actualite",
        {
            "titre": "Nouvelle Cité des métiers",
            "texte": "Ouverture en janvier.",
            "public": "tous",
            "departement": "35",
            "commune_saisie": "",
        },
    )
    assert response.status_code == 302
    assert Actualite.objects.get().statut == "publiee"
    assert client.get("/actualites").context["page_obj"].paginator.count == 1

    settings.SPRO_EVENTS_MEMBER_SUBMISSIONS = True
    login(client, pro).post("/pro/publications/nouvelle/rendez-vous", rdv_data())
    proposed = RendezVous.objects.get()
    url = f"/pro/publications/rendez-vous/{proposed.pk}/relecture"
    response = login(client, region_team).post(url, {"decision": "refusee", "motif": ""})
    assert response.status_code == 400 and "motif" in response.content.decode()
    client.post(url, {"decision": "publiee"})
    proposed.refresh_from_db()
    assert proposed.statut == "publiee" and proposed.moderated_by == region_team
    assert [m.to for m in outbox()] == [pro.email]
    assert client.get(f"/agenda/{proposed.pk}").status_code == 200
    client.post(url, {"decision": "refusee", "motif": "trop tard"})  # already moderated: nothing changes
    proposed.refresh_from_db()
    assert proposed.statut == "publiee"


def test_a_refusal_tells_the_author_why(client, pro, region_team, settings, geo):
    settings.SPRO_EVENTS_MEMBER_SUBMISSIONS = True
    login(client, pro).post(
        "/pro/publications/nouvelle/rendez-vous", rdv_data(commune_saisie="Commune inconnue")
    )
    assert RendezVous.objects.count() == 0  # unknown commune: 400, nothing written
    login(client, pro).post("/pro/publications/nouvelle/rendez-vous", rdv_data())
    proposed = RendezVous.objects.get()
    login(client, region_team).post(
        f"/pro/publications/rendez-vous/{proposed.pk}/relecture",
        {"decision": "refusee", "motif": "Événement payant"},
    )
    proposed.refresh_from_db()
    assert proposed.statut == "refusee" and proposed.motif_refus == "Événement payant"
    (mail,) = outbox()
    assert mail.to == pro.email and "Événement payant" in mail.body
    assert client.get(f"/agenda/{proposed.pk}").status_code == 404


def test_public_entry_form_errors_are_400(client, region_team, geo):
    response = login(client, region_team).post(
        "/pro/publications/nouvelle/rendez-vous", rdv_data(type="concert", debut="demain")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Indiquez une date et une heure" in body
    assert RendezVous.objects.count() == 0
    make_rdv()  # the factory still works alongside


def test_the_region_team_cancels_an_event_and_everyone_registered_is_told(client, pro, pro2, region_team):
    event = make_event(capacite=1)
    login(client, pro).post(f"/pro/evenements/{event.pk}/inscription")
    login(client, pro2).post(f"/pro/evenements/{event.pk}/inscription")
    assert client.post(f"/pro/evenements/{event.pk}/annuler").status_code == 403
    login(client, region_team).post(f"/pro/evenements/{event.pk}/annuler")
    event.refresh_from_db()
    assert event.annule
    assert sorted(m.to for m in outbox()) == sorted([pro.email, pro2.email])
    client.post(f"/pro/evenements/{event.pk}/annuler")  # twice: nobody told again
    assert len(outbox()) == 2
    import icalendar

    ics = icalendar.Calendar.from_ical(
        login(client, pro).get(f"/pro/evenements/{event.pk}/invitation.ics").content
    )
    assert [str(e["status"]) for e in ics.walk("VEVENT")] == ["CANCELLED"]
    assert "Cet événement est annulé." in client.get(f"/pro/evenements/{event.pk}").content.decode()


def test_the_region_team_edits_an_event_and_a_bigger_capacity_moves_the_waiting_list(
    client, pro, pro2, region_team
):
    event = make_event(capacite=1)
    login(client, pro).post(f"/pro/evenements/{event.pk}/inscription")
    login(client, pro2).post(f"/pro/evenements/{event.pk}/inscription")
    url = f"/pro/evenements/{event.pk}/modifier"
    assert client.get(url).status_code == 403
    form = login(client, region_team).get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["debut"] = timezone.localtime(event.debut).strftime("%Y-%m-%dT%H:%M")
    data["fin"] = timezone.localtime(event.fin).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {**data, "capacite": "0"})
    assert response.status_code == 400
    assert client.post(url, {**data, "capacite": "2"}).status_code == 302
    assert Inscription.objects.get(user=pro2).statut == "confirmee"
    assert [m.to for m in outbox()] == [pro2.email]
    assert data["type"] == "autre"  # the edit form shows the event's current type
    assert client.post(url, {**data, "capacite": "2", "type": "inconnu"}).status_code == 400
    assert client.post(url, {**data, "capacite": "2", "type": "webinaire"}).status_code == 302
    event.refresh_from_db()
    assert (event.type, event.capacite) == ("webinaire", 2)
