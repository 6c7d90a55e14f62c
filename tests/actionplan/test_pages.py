"""The editor, versions and session pages: forms without JavaScript, French errors as 400, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.actionplan.models import (
    Action,
    ActionPlan,
    Axis,
    Decision,
    FollowUp,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Objective,
    Pilot,
    PlanVersion,
)


@pytest.fixture
def lead(world, client):
    client.force_login(world["users"]["pilote_region"])
    return client


def test_the_region_team_builds_a_plan_page_by_page(world, lead):
    response = lead.post(
        "/pro/plan-action",
        {"region": "53", "title": "Plan 2031", "start_year": "2031", "end_year": "2035", "introduction": ""},
    )
    plan = ActionPlan.objects.get(title="Plan 2031")
    assert response.status_code == 302 and response["Location"] == f"/pro/plan-action/{plan.pk}"
    base = f"/pro/plan-action/{plan.pk}"
    assert lead.post(f"{base}/axe/ajouter/{plan.pk}", {"number": "1", "title": "Axe A"}).status_code == 302
    axis = Axis.objects.get(plan=plan)
    assert lead.post(f"{base}/objectif/ajouter/{axis.pk}", {"number": "1", "title": "Obj"}).status_code == 302
    objective = Objective.objects.get(axis=axis)
    assert (
        lead.post(f"{base}/action/ajouter/{objective.pk}", {"number": "1", "title": "Act"}).status_code == 302
    )
    action = Action.objects.get(objective=objective)
    assert (
        lead.post(f"{base}/pilote/ajouter/{action.pk}", {"kind": "etat", "label": "DREETS"}).status_code
        == 302
    )
    data = {
        "label": "Jeunes accompagnés",
        "unit": "personnes",
        "baseline": "1 250,5",
        "baseline_year": "2030",
    }
    assert lead.post(f"{base}/indicateur/ajouter/{action.pk}", data).status_code == 302
    indicator = Indicator.objects.get(action=action)
    assert str(indicator.baseline) == "1250.50"
    assert (
        lead.post(f"{base}/cible/ajouter/{indicator.pk}", {"year": "2031", "value": "1300"}).status_code
        == 302
    )
    value = {"period": "2031-T1", "period_end": "2031-03-31", "value": "320"}
    assert lead.post(f"{base}/valeur/ajouter/{indicator.pk}", value).status_code == 302
    progress = {"status": "en_cours", "progress": "40", "progress_comment": "Premières sessions faites"}
    assert lead.post(f"{base}/avancement/{action.pk}", progress).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress) == ("en_cours", 40)
    assert Pilot.objects.get(action=action).label == "DREETS"
    assert indicator.targets.get().year == 2031 and indicator.values.get().period == "2031-T1"
    page = lead.get(base).content.decode()
    for text in ("Axe 1 – Axe A", "Objectif 1.1 – Obj", "Action 1.1.1 – Act", "DREETS", "40 %", "1300"):
        assert text in page, text
    assert lead.post(f"{base}/versions", {"note": "v1"}).status_code == 302
    assert PlanVersion.objects.get(plan=plan).number == 1


@pytest.mark.parametrize(
    "kind, parent, data, message",
    [
        ("axe", "plan", {"number": "1", "title": "Doublon"}, "Ce numéro est déjà utilisé"),
        ("axe", "plan", {"number": "abc", "title": "X"}, "Indiquez un numéro en chiffres"),
        ("axe", "plan", {"number": "2", "title": ""}, "Ce champ est obligatoire"),
        ("pilote", "action", {"kind": "region", "label": ""}, "Indiquez le nom du pilote"),
        ("pilote", "action", {"kind": "structure", "structure": "inconnue"}, "Aucune structure"),
        ("indicateur", "action", {"label": "X", "baseline": "beaucoup"}, "Indiquez un nombre"),
        ("cible", "indicator", {"year": "2027", "value": "1"}, "Une cible existe déjà"),
        ("cible", "indicator", {"year": "1850", "value": "1"}, "entre 2000 et 2100"),
        (
            "valeur",
            "indicator",
            {"period": "2027-S1", "period_end": "2027-06-30", "value": "1"},
            "existe déjà",
        ),
        (
            "valeur",
            "indicator",
            {"period": "2027-S2", "period_end": "31 juin", "value": "1"},
            "Indiquez une date",
        ),
    ],
)
def test_bad_input_is_a_400_with_a_french_message_and_nothing_written(
    world, lead, kind, parent, data, message
):
    plan = world["plan"]
    parents = {
        "plan": plan,
        "action": Action.objects.get(objective__axis__plan=plan, number=1),
        "indicator": Indicator.objects.get(),
    }
    counts = [model.objects.count() for model in (Axis, Pilot, Indicator, IndicatorTarget, IndicatorValue)]
    response = lead.post(f"/pro/plan-action/{plan.pk}/{kind}/ajouter/{parents[parent].pk}", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert [
        model.objects.count() for model in (Axis, Pilot, Indicator, IndicatorTarget, IndicatorValue)
    ] == counts


def test_progress_is_a_percentage_and_a_done_action_is_at_100(world, lead):
    plan = world["plan"]
    action = Action.objects.get(objective__axis__plan=plan, number=1)
    url = f"/pro/plan-action/{plan.pk}/avancement/{action.pk}"
    response = lead.post(url, {"status": "en_cours", "progress": "140"})
    assert response.status_code == 400 and "entre 0 et 100" in response.content.decode()
    response = lead.post(url, {"status": "realisee", "progress": "80"})
    assert response.status_code == 400 and "100 %" in response.content.decode()
    assert Action.objects.get(pk=action.pk).progress == 0


def test_an_item_of_another_plan_or_an_unknown_kind_is_not_found(world, lead):
    other = ActionPlan.objects.create(region=world["bzh"], title="Autre", start_year=2031, end_year=2035)
    axis = Axis.objects.get(plan=world["plan"])
    assert lead.get(f"/pro/plan-action/{other.pk}/axe/{axis.pk}").status_code == 404
    assert lead.get(f"/pro/plan-action/{other.pk}/objectif/ajouter/{axis.pk}").status_code == 404
    assert lead.get(f"/pro/plan-action/{world['plan'].pk}/inconnu/{axis.pk}").status_code == 404
    assert (
        lead.post(f"/pro/plan-action/{world['plan'].pk}/axe/{axis.pk}", {"supprimer": "1"}).status_code == 302
    )
    assert not Axis.objects.filter(plan=world["plan"]).exists()


def test_a_session_with_two_decisions_that_become_actions(world, lead):
    response = lead.post(
        f"/pro/instances/{world['crefop'].pk}",
        {"day": "2027-03-12", "time": "14:00", "place": "Rennes", "agenda": "Plan d’action\nBilan"},
    )
    assert response.status_code == 302
    session_url = response["Location"]
    action = Action.objects.get(objective__axis__plan=world["plan"], number=2)
    for text, title, due, plan_action in (
        ("Adopter le plan v1", "Publier le plan", "2027-03-31", ""),
        ("Former les conseillers", "Programmer les sessions", "2027-06-30", str(action.pk)),
    ):
        posted = lead.post(
            f"{session_url}/decisions",
            {
                "decision-text": text,
                "decision-follow_up_title": title,
                "decision-owner": "Région Bretagne",
                "decision-due_date": due,
                "decision-plan_action": plan_action,
            },
        )
        assert posted.status_code == 302
    assert [d.text for d in Decision.objects.all()] == ["Adopter le plan v1", "Former les conseillers"]
    assert FollowUp.objects.get(action=action).title == "Programmer les sessions"
    page = lead.get("/pro/suivi-decisions").content.decode()
    assert page.index("Publier le plan") < page.index("Programmer les sessions")
    # A follow-up title without owner nor date: refused, and the decision is not written either.
    bad = lead.post(f"{session_url}/decisions", {"decision-text": "X", "decision-follow_up_title": "Y"})
    assert bad.status_code == 400
    assert "Indiquez qui est responsable" in bad.content.decode()
    assert Decision.objects.count() == 2
    assert lead.post(f"{session_url}/presences", {"presence-member_role": "roi"}).status_code == 400
    bad_date = lead.post(f"/pro/instances/{world['crefop'].pk}", {"day": "2027-02-30", "time": "14:00"})
    assert bad_date.status_code == 400 and "Indiquez une date" in bad_date.content.decode()
    assert dt.date(2027, 3, 12) == Decision.objects.first().session.date.date()


def test_session_documents_through_the_page(world, lead, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from spro.actionplan import bodies
    from spro.actionplan.models import SessionDocument

    settings.MEDIA_ROOT = str(tmp_path)
    session = bodies.create_session(
        world["crefop"], world["users"]["pilote_region"], world["plan"].created_at, "", []
    )
    url = f"/pro/instances/seances/{session.pk}/documents"
    good = SimpleUploadedFile("compte-rendu.txt", "Compte rendu de la séance".encode())
    response = lead.post(
        url, {"document-nature": "compte_rendu", "document-title": "", "document-file": good}
    )
    assert response.status_code == 302
    document = SessionDocument.objects.get()
    assert (document.title, document.nature) == ("compte-rendu.txt", "compte_rendu")
    disguised = SimpleUploadedFile("cr.pdf", b"<html><body>page</body></html>")
    refused = lead.post(url, {"document-nature": "autre", "document-file": disguised})
    assert refused.status_code == 400 and "code de page web" in refused.content.decode()
    missing = lead.post(url, {"document-nature": "autre"})
    assert missing.status_code == 400 and "Choisissez le fichier" in missing.content.decode()
    assert SessionDocument.objects.count() == 1
    listed = lead.get(f"/pro/instances/seances/{session.pk}").content.decode()
    assert "compte-rendu.txt" in listed and "Compte rendu (procès-verbal)" in listed


def test_attendance_names_a_crefop_member_by_account_or_any_organisation(world, lead):
    from spro.actionplan import bodies
    from spro.actionplan.models import Attendance

    session = bodies.create_session(
        world["crefop"], world["users"]["pilote_region"], world["plan"].created_at, "", []
    )
    url = f"/pro/instances/seances/{session.pk}/presences"
    page = lead.get(f"/pro/instances/seances/{session.pk}").content.decode()
    assert "crefop@example.org – Membre du CREFOP" in page and "cfdt@example.org – CFDT Bretagne" in page
    assert "u2p@example.org" not in page  # Normandy's partner is not on the Breton list
    member = world["users"]["partenaire_social"].scopes.get()
    response = lead.post(
        url,
        {
            "presence-member": str(member.pk),
            "presence-member_role": "salaries",
            "presence-presence": "present",
        },
    )
    assert response.status_code == 302
    line = Attendance.objects.get()
    assert (line.user, line.organisation, line.presence) == (
        world["users"]["partenaire_social"],
        "CFDT Bretagne",
        "present",
    )
    free = {
        "presence-member_role": "consulaire",
        "presence-organisation": "CCI Bretagne",
        "presence-presence": "excuse",
    }
    assert lead.post(url, free).status_code == 302
    assert Attendance.objects.get(organisation="CCI Bretagne").user is None
    nothing = lead.post(url, {"presence-member_role": "consulaire", "presence-presence": "absent"})
    assert nothing.status_code == 400 and "Indiquez l’organisation représentée" in nothing.content.decode()
    other = world["users"]["partenaire_normandie"].scopes.get()
    stranger = lead.post(url, {**free, "presence-member": str(other.pk)})
    assert stranger.status_code == 400 and "Choisissez un membre de la liste" in stranger.content.decode()
    assert Attendance.objects.count() == 2
