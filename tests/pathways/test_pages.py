"""The person's pages (Django test client): keep, read, edit, answer, share, withdraw, download, delete, renew."""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from spro.audit.models import AuditEvent
from spro.pathways import services
from spro.pathways.models import Action, Objective, Pathway, PathwayShare

from .conftest import make_fiche, make_referral

TOKEN_URL = re.compile(r"/parcours/([A-Za-z0-9_-]{43})\?cree=1")


def keep(client, **data):
    response = client.post("/parcours/garder", data)
    assert response.status_code == 303, response.content
    match = TOKEN_URL.fullmatch(response["Location"])
    assert match
    return match.group(1)


@pytest.mark.django_db
def test_keep_from_an_answer_explorer_and_scratch(client):
    make_fiche()
    token = keep(client, origine="answer", rome="M1805", besoins=["choisir-formation"])
    page = client.get(f"/parcours/{token}?cree=1")
    html = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    assert "Études et développement informatique" in html and 'id="lien-parcours"' in html
    assert "Trouver une formation" in html
    assert keep(client, origine="explorer", rome="M1805")
    assert keep(client, origine="direct", nature="projet", libelle="Passer le permis")
    assert Pathway.objects.count() == 3


@pytest.mark.django_db
def test_forged_creations_are_refused_without_writing(client):
    assert client.post("/parcours/garder", {"origine": "explorer", "rome": "Z9999"}).status_code == 400
    assert client.post("/parcours/garder", {"origine": "pirate"}).status_code == 400
    assert client.post("/parcours/garder", {"origine": "referral", "suivi": "x" * 43}).status_code == 404
    refused = client.post("/parcours/garder", {"origine": "direct", "nature": "projet", "libelle": ""})
    assert refused.status_code == 400 and "trop court" in refused.content.decode()
    assert client.get("/parcours/garder").status_code == 400  # GET is the explorer's confirmation page
    assert client.put("/parcours/garder").status_code == 405
    assert not Pathway.objects.exists()


def test_keep_from_a_referral_follow_link(client, structure):
    _, follow = make_referral(structure)
    token = keep(client, origine="referral", suivi=follow)
    pathway = services.find_by_token(token)
    assert pathway.origin == "referral" and pathway.origin_referral.structure == structure


@pytest.mark.django_db
def test_creation_is_rate_limited(client, settings):
    settings.SPRO_PATHWAY_RATE_LIMIT = "2/hour"
    for _ in range(2):
        keep(client, origine="direct", nature="projet", libelle="Passer le permis")
    refused = client.post("/parcours/garder", {"origine": "direct", "nature": "projet", "libelle": "Encore"})
    assert refused.status_code == 429
    assert Pathway.objects.count() == 2


@pytest.mark.django_db
def test_unknown_or_revoked_links_answer_404(client, kept):
    pathway, token = kept
    assert client.get("/parcours/" + "A" * 43).status_code == 404
    assert client.get("/parcours/court").status_code == 404
    new = client.post(f"/parcours/{token}/nouveau-lien")
    assert new.status_code == 303
    assert client.get(f"/parcours/{token}").status_code == 404
    assert client.get(new["Location"]).status_code == 200


def test_add_objective_action_status_and_order(client, kept):
    pathway, token = kept
    assert client.post(f"/parcours/{token}/etapes", {"etape": "preparer-candidature"}).status_code == 303
    assert (
        client.post(
            f"/parcours/{token}/etapes", {"axe": "logement", "libelle": "Trouver un studio"}
        ).status_code
        == 303
    )
    first = Objective.objects.get(focus__pathway=pathway, catalogue_code="trouver-formation")
    sent = client.post(
        f"/parcours/{token}/actions",
        {
            "etape": first.pk,
            "libelle": "Rendez-vous au CIO",
            "rdv_jour": "2027-01-12",
            "rdv_heure": "14:30",
            "rdv_modalite": "sur-place",
            "rdv_lieu": "1 rue de Rennes",
            "dispositif": "",
            "echeance": "2027-01-10",
        },
    )
    assert sent.status_code == 303
    action = Action.objects.get(objective=first)
    assert action.appointment_at == timezone.make_aware(dt.datetime(2027, 1, 12, 14, 30))
    assert (
        client.post(
            f"/parcours/{token}/modifier", {"quoi": "statut-action", "id": action.pk, "statut": "fait"}
        ).status_code
        == 303
    )
    action.refresh_from_db()
    assert action.status == "fait"
    last = Objective.objects.get(focus__pathway=pathway, label="Trouver un studio")
    assert (
        client.post(f"/parcours/{token}/modifier", {"quoi": "monter-etape", "id": last.pk}).status_code == 303
    )
    html = client.get(f"/parcours/{token}").content.decode()
    assert html.index("Trouver un studio") < html.index("Préparer ma candidature")
    assert "Rendez-vous" in html and "12 janvier 2027" in html


def test_forged_edits_answer_400_and_write_nothing(client, kept, other_structure):
    pathway, token = kept
    other, _ = services.create_from_scratch(goal_kind="projet", goal_label="Un autre parcours")
    foreign = services.add_objective(other, services.PERSON, focus_code="emploi", label="Étape d’un autre")
    before = Action.objects.count()
    for data in (
        {"etape": foreign.pk, "libelle": "Intrusion"},  # a step of another pathway
        {"etape": "abc", "libelle": "X"},
        {
            "etape": Objective.objects.get(focus__pathway=pathway).pk,
            "libelle": "Rdv",
            "rdv_jour": "2027-13-45",
            "rdv_heure": "10:00",
        },
        {
            "etape": Objective.objects.get(focus__pathway=pathway).pk,
            "libelle": "Aide",
            "dispositif": "inexistant",
        },
        {
            "etape": Objective.objects.get(focus__pathway=pathway).pk,
            "libelle": "Rdv",
            "rdv_modalite": "pigeon",
            "rdv_jour": "2027-01-01",
            "rdv_heure": "10:00",
        },
    ):
        response = client.post(f"/parcours/{token}/actions", data)
        assert response.status_code == 400, data
        assert 'id="erreur"' in response.content.decode()
    assert Action.objects.count() == before
    assert (
        client.post(
            f"/parcours/{token}/modifier", {"quoi": "statut-etape", "id": foreign.pk, "statut": "atteint"}
        ).status_code
        == 400
    )
    assert client.post(f"/parcours/{token}/modifier", {"quoi": "pirate", "id": 1}).status_code == 400
    assert client.post(f"/parcours/{token}/etapes", {"etape": "inconnue"}).status_code == 400


def test_csrf_is_required(kept):
    _, token = kept
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(f"/parcours/{token}/etapes", {"axe": "emploi", "libelle": "Sans jeton"}).status_code
        == 403
    )
    assert (
        strict.post(
            "/parcours/garder", {"origine": "direct", "nature": "projet", "libelle": "X y"}
        ).status_code
        == 403
    )


def test_answer_proposals(client, kept, conseiller, structure, shared):
    pathway, token = kept
    proposed = services.propose_objective(
        pathway, conseiller, structure, focus_code="emploi", label="Écrire un CV"
    )
    html = client.get(f"/parcours/{token}").content.decode()
    assert 'id="propositions"' in html and "Écrire un CV" in html and "CEP Bretagne" in html
    assert (
        client.post(
            f"/parcours/{token}/repondre", {"quoi": "etape", "id": proposed.pk, "reponse": "accepter"}
        ).status_code
        == 303
    )
    proposed.refresh_from_db()
    assert proposed.proposal_state == "accepted"
    again = client.post(
        f"/parcours/{token}/repondre", {"quoi": "etape", "id": proposed.pk, "reponse": "refuser"}
    )
    assert again.status_code == 400


def test_share_and_withdraw(client, kept, structure):
    pathway, token = kept
    page = client.get(f"/parcours/{token}/partager", {"q": "CEP"})
    assert "CEP Bretagne" in page.content.decode()
    no_consent = client.post(
        f"/parcours/{token}/partager", {"structure": structure.di_id, "duree": "90", "parties": ["objectifs"]}
    )
    assert no_consent.status_code == 400 and not PathwayShare.objects.exists()
    sent = client.post(
        f"/parcours/{token}/partager",
        {
            "structure": structure.di_id,
            "duree": "90",
            "parties": ["objectifs", "actions"],
            "consentement": services.SHARE_CONSENT_TEXT_VERSION,
        },
    )
    assert sent.status_code == 303
    share = PathwayShare.objects.get()
    assert share.parts == ["objectifs", "actions"] and (share.expires_at - share.given_at).days == 90
    assert client.post(f"/parcours/{token}/retirer-partage", {"partage": share.pk}).status_code == 303
    share.refresh_from_db()
    assert share.withdrawn_at is not None
    assert client.post(f"/parcours/{token}/retirer-partage", {"partage": "x"}).status_code == 400


def test_downloads_parse(client, kept):
    pathway, token = kept
    objective = Objective.objects.get(focus__pathway=pathway)
    when = timezone.make_aware(dt.datetime(2027, 2, 3, 9, 0))
    services.add_action(
        objective,
        services.PERSON,
        label="Entretien",
        fields=services.ActionFields(appointment_at=when, appointment_place="CIO de Brest"),
    )
    pdf = client.get(f"/parcours/{token}/mon-parcours.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    data = json.loads(client.get(f"/parcours/{token}/mon-parcours.json").content)
    assert data["schema"] == "spro-parcours" and data["version"] == 1
    assert data["parcours"]["but"] == {"nature": "metier", "libelle": pathway.goal_label, "code": "M1805"}
    assert data["parcours"]["axes"][0]["etapes"][0]["actions"][0]["rendez_vous"]["lieu"] == "CIO de Brest"
    ics = client.get(f"/parcours/{token}/rendez-vous.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["summary"]) == "Entretien"
    assert events[0].decoded("dtstart") == when


def test_delete_with_confirmation(client, kept):
    pathway, token = kept
    assert "Oui, supprimer" in client.get(f"/parcours/{token}/supprimer").content.decode()
    assert client.post(f"/parcours/{token}/supprimer", {}).status_code == 400
    assert Pathway.objects.filter(pk=pathway.pk).exists()
    assert client.post(f"/parcours/{token}/supprimer", {"confirmer": "oui"}).status_code == 200
    assert not Pathway.objects.exists()
    assert client.get(f"/parcours/{token}").status_code == 404


def test_the_person_read_is_logged_without_a_user(client, kept):
    pathway, token = kept
    client.get(f"/parcours/{token}")
    event = AuditEvent.objects.get(action="pathway.person.view")
    assert event.user is None and event.object_id == str(pathway.pk)


def test_change_the_goal_and_move_actions(client, kept):
    pathway, token = kept
    assert (
        client.post(f"/parcours/{token}/but", {"nature": "metier", "libelle": "Développeuse web"}).status_code
        == 303
    )
    pathway.refresh_from_db()
    assert (pathway.goal_kind, pathway.goal_label, pathway.goal_code) == (
        "metier",
        "Développeuse web",
        "M1805",
    )
    assert (
        client.post(f"/parcours/{token}/but", {"nature": "projet", "libelle": "Créer mon site"}).status_code
        == 303
    )
    pathway.refresh_from_db()
    assert (pathway.goal_kind, pathway.goal_code) == ("projet", "")
    assert client.post(f"/parcours/{token}/but", {"nature": "reve", "libelle": "X y z"}).status_code == 400
    assert client.post(f"/parcours/{token}/but", {"nature": "projet", "libelle": ""}).status_code == 400
    pathway.refresh_from_db()
    assert pathway.goal_label == "Créer mon site"
    objective = Objective.objects.get(focus__pathway=pathway)
    first = services.add_action(objective, services.PERSON, label="Première")
    second = services.add_action(objective, services.PERSON, label="Seconde")
    assert (
        client.post(f"/parcours/{token}/modifier", {"quoi": "monter-action", "id": second.pk}).status_code
        == 303
    )
    assert list(Action.objects.filter(objective=objective).order_by("position")) == [second, first]
    html = client.get(f"/parcours/{token}").content.decode()
    assert html.index("Seconde") < html.index("Première") and 'id="form-but"' in html


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pathway_pages_do_not_grow_in_queries_with_their_content(
    client, kept, structure, conseiller, shared
):
    pathway, token = kept
    objective = Objective.objects.get(focus__pathway=pathway)
    # One of each kind already (an action with a structure, a proposal): prefetches that find nothing are skipped.
    services.add_action(
        objective, services.PERSON, label="Une action", fields=services.ActionFields(structure=structure)
    )
    services.propose_action(objective, conseiller, structure, label="Une proposition")
    client.get(f"/parcours/{token}")  # the day's first visit writes last_opened_at once; measure the others
    small_person = queries_for(client, f"/parcours/{token}")
    client.force_login(conseiller)
    small_pro = queries_for(client, f"/pro/parcours/{pathway.public_id}")
    for n in range(6):
        step = services.add_objective(pathway, services.PERSON, focus_code="emploi", label=f"Étape {n}")
        for m in range(4):
            fields = services.ActionFields(structure=structure, scheme_code="")
            services.add_action(step, services.PERSON, label=f"Action {n}.{m}", fields=fields)
        services.propose_action(step, conseiller, structure, label=f"Proposée {n}")
    assert queries_for(client, f"/pro/parcours/{pathway.public_id}") == small_pro
    client.logout()
    assert queries_for(client, f"/parcours/{token}") == small_person
