"""The professional pages of the dropout chain (/pro/decrochage): who sees which young people, the audit of every
page showing names, the coordinator's assignment, import and nominative export; 403/404 and no 500 on bad input."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from spro.audit.models import AuditEvent
from spro.dropouts import access, lists
from spro.dropouts.models import ImportRun, YoungPerson
from tests.dropouts.conftest import HEADER, born, line, run_import, write_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(zone_world):
    """Quimper: a minor scolaire (→ CIO), an adult (→ ML); Rennes: one adult (→ ML Rennes)."""
    run_import(
        write_list(
            zone_world["tmp"],
            line(nom="Kerbrat", prenom="Noé", date_naissance=born(16), ine="1234567890A"),
            line(nom="Le Gall", prenom="Maëlys"),
            line(nom="Riou", prenom="Théo", commune="35238"),
        )
    )
    people = {p.nom: p for p in YoungPerson.objects.all()}
    return {**zone_world, "people": people}


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_list_query_gives_the_same_people_as_the_access_rule_for_every_role(world):
    for name, user in world["users"].items():
        assert set(lists.visible(user)) == set(access.visible_young_people(user)), name


@pytest.mark.parametrize(
    ("user", "shown", "hidden"),
    [
        ("coordinateur_quimper", {"Kerbrat", "Le Gall"}, {"Riou"}),
        ("conseiller_cio_quimper", {"Kerbrat"}, {"Le Gall", "Riou"}),
        ("conseiller_ml_rennes", {"Riou"}, {"Kerbrat", "Le Gall"}),
        ("pilote_region", set(), {"Kerbrat", "Le Gall", "Riou"}),
        ("superuser", set(), {"Kerbrat", "Le Gall", "Riou"}),
    ],
)
def test_the_list_shows_the_visible_young_people_only_and_audits_the_page(world, user, shown, hidden):
    response = client_for(world["users"][user]).get("/pro/decrochage")
    assert response.status_code == 200
    text = response.content.decode()
    for nom in shown:
        assert nom in text
    for nom in hidden:
        assert nom not in text
    event = AuditEvent.objects.get(action="dropout.list")
    assert event.user == world["users"][user]
    for nom in shown:
        assert str(world["people"][nom].pk) in event.detail


def test_the_list_puts_the_priority_list_first_and_filters(world):
    client = client_for(world["users"]["coordinateur_quimper"])
    text = client.get("/pro/decrochage").content.decode()
    assert text.index("Kerbrat") < text.index("Le Gall")  # prioritaire (16) before à contacter
    filtered = client.get("/pro/decrochage?liste=a_contacter").content.decode()
    assert "Le Gall" in filtered and "Kerbrat" not in filtered
    cio = world["structures"]["cio-quimper"].pk
    by_partner = client.get(f"/pro/decrochage?partenaire={cio}").content.decode()
    assert "Kerbrat" in by_partner and "Le Gall" not in by_partner


@pytest.mark.parametrize(
    "query", ["liste=nimporte", "campagne=abc", "zone=99999", "partenaire=-1", "page=zzz", "page=999"]
)
def test_bad_filters_are_ignored_never_a_500(world, query):
    response = client_for(world["users"]["coordinateur_quimper"]).get(f"/pro/decrochage?{query}")
    assert response.status_code == 200


def test_the_list_needs_a_login(world):
    assert Client().get("/pro/decrochage").status_code == 302


def test_the_record_is_read_by_the_zone_and_the_partner_and_audited(world):
    kerbrat = world["people"]["Kerbrat"]
    for name in ("coordinateur_quimper", "conseiller_psad_quimper", "conseiller_cio_quimper"):
        response = client_for(world["users"][name]).get(f"/pro/decrochage/jeunes/{kerbrat.pk}")
        assert response.status_code == 200 and "1234567890A" in response.content.decode()
    assert AuditEvent.objects.filter(action="dropout.view", object_id=str(kerbrat.pk)).count() == 3


@pytest.mark.parametrize(
    "user", ["conseiller_ml_quimper", "coordinateur_rennes", "conseiller_ml_rennes", "superuser"]
)
def test_a_record_of_another_zone_or_partner_is_404(world, user):
    kerbrat = world["people"]["Kerbrat"]
    response = client_for(world["users"][user]).get(f"/pro/decrochage/jeunes/{kerbrat.pk}")
    assert response.status_code == 404
    assert "Kerbrat" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="dropout.view").exists()


def test_an_unknown_number_is_404(world):
    client = client_for(world["users"]["coordinateur_quimper"])
    assert client.get("/pro/decrochage/jeunes/999999").status_code == 404
    assert client.get("/pro/decrochage/jeunes/abc").status_code == 404


def test_the_coordinator_assigns_and_it_is_audited(world):
    kerbrat, ml = world["people"]["Kerbrat"], world["structures"]["ml-quimper"]
    client = client_for(world["users"]["coordinateur_quimper"])
    page = client.get(f"/pro/decrochage/jeunes/{kerbrat.pk}").content.decode()
    assert "Enregistrer l’affectation" in page
    response = client.post(
        f"/pro/decrochage/jeunes/{kerbrat.pk}/affecter",
        {"affecter-partenaire": str(ml.pk), "affecter-liste": "injoignable"},
    )
    assert response.status_code == 303
    kerbrat.refresh_from_db()
    assert (kerbrat.partner_id, kerbrat.priority) == (ml.pk, "injoignable")
    event = AuditEvent.objects.get(action="dropout.assign")
    assert "injoignable" in event.detail
    # the CIO no longer reads them; the ML does
    assert (
        client_for(world["users"]["conseiller_cio_quimper"])
        .get(f"/pro/decrochage/jeunes/{kerbrat.pk}")
        .status_code
        == 404
    )
    assert (
        client_for(world["users"]["conseiller_ml_quimper"])
        .get(f"/pro/decrochage/jeunes/{kerbrat.pk}")
        .status_code
        == 200
    )


def test_a_partner_or_conseiller_may_not_assign(world):
    kerbrat, ml = world["people"]["Kerbrat"], world["structures"]["ml-quimper"]
    data = {"affecter-partenaire": str(ml.pk), "affecter-liste": "traite"}
    for name in ("conseiller_cio_quimper", "conseiller_psad_quimper"):
        client = client_for(world["users"][name])
        assert (
            "Enregistrer l’affectation"
            not in client.get(f"/pro/decrochage/jeunes/{kerbrat.pk}").content.decode()
        )
        assert client.post(f"/pro/decrochage/jeunes/{kerbrat.pk}/affecter", data).status_code == 403
    assert (
        client_for(world["users"]["coordinateur_rennes"])
        .post(f"/pro/decrochage/jeunes/{kerbrat.pk}/affecter", data)
        .status_code
        == 404
    )
    kerbrat.refresh_from_db()
    assert (
        kerbrat.priority == "prioritaire" and not AuditEvent.objects.filter(action="dropout.assign").exists()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"affecter-partenaire": "999999", "affecter-liste": "traite"},
        {"affecter-partenaire": "aucun", "affecter-liste": "n-importe"},
        {},
    ],
)
def test_a_bad_assignment_is_400_and_changes_nothing(world, data):
    kerbrat = world["people"]["Kerbrat"]
    response = client_for(world["users"]["coordinateur_quimper"]).post(
        f"/pro/decrochage/jeunes/{kerbrat.pk}/affecter", data
    )
    assert response.status_code == 400
    assert "Le formulaire contient" in response.content.decode()
    kerbrat.refresh_from_db()
    assert kerbrat.priority == "prioritaire"


def test_a_structure_of_another_departement_is_not_offered(world):
    kerbrat, rennes_ml = world["people"]["Kerbrat"], world["structures"]["ml-rennes"]
    response = client_for(world["users"]["coordinateur_quimper"]).post(
        f"/pro/decrochage/jeunes/{kerbrat.pk}/affecter",
        {"affecter-partenaire": str(rennes_ml.pk), "affecter-liste": "traite"},
    )
    assert response.status_code == 400


def test_posts_need_the_csrf_token(world):
    kerbrat = world["people"]["Kerbrat"]
    client = client_for(world["users"]["coordinateur_quimper"], enforce_csrf_checks=True)
    response = client.post(
        f"/pro/decrochage/jeunes/{kerbrat.pk}/affecter",
        {"affecter-partenaire": "aucun", "affecter-liste": "traite"},
    )
    assert response.status_code == 403
    kerbrat.refresh_from_db()
    assert kerbrat.priority == "prioritaire"


# --- import -----------------------------------------------------------------------------------------------------


def _csv(*lines: str, name: str = "liste.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"), content_type="text/csv"
    )


def test_the_coordinator_imports_a_list_from_the_page(world):
    client = client_for(world["users"]["coordinateur_quimper"])
    assert client.get("/pro/decrochage/importer").status_code == 200
    upload = _csv(
        line(nom="Hélias", prenom="Anaïs"), line(nom="Le Gall", prenom="Maëlys", telephone="06 39 98 00 09")
    )
    response = client.post("/pro/decrochage/importer", {"fichier": upload, "campagne": "2026-01"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 jeune créé" in text and "1 ligne fusionnée" in text
    run = ImportRun.objects.get(campaign__code="2026-01")
    assert run.by == world["users"]["coordinateur_quimper"] and run.created == 1
    assert AuditEvent.objects.filter(action="dropout.import").count() == 1


def test_a_rejected_list_shows_every_error_and_writes_nothing(world):
    before = YoungPerson.objects.count()
    upload = _csv(line(nom=""), line(date_naissance="2099-01-01"), line(commune="35238"))
    response = client_for(world["users"]["coordinateur_quimper"]).post(
        "/pro/decrochage/importer", {"fichier": upload, "campagne": "2026-01"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ligne 2, champ nom" in text and "Ligne 3, champ date_naissance" in text
    assert (
        YoungPerson.objects.count() == before
        and not ImportRun.objects.filter(campaign__code="2026-01").exists()
    )


def test_a_commune_outside_the_coordinators_zones_rejects_the_file(world):
    before = YoungPerson.objects.count()
    upload = _csv(line(nom="Hélias"), line(nom="Tanguy", commune="35238"))
    response = client_for(world["users"]["coordinateur_quimper"]).post(
        "/pro/decrochage/importer", {"fichier": upload, "campagne": "2026-01"}
    )
    assert response.status_code == 400
    assert "Ligne 3, champ commune" in response.content.decode()
    assert YoungPerson.objects.count() == before


@pytest.mark.parametrize(
    ("upload", "campaign", "message"),
    [
        (SimpleUploadedFile("liste.csv", b"%PDF-1.4 not a list"), "2026-01", "ne correspond pas"),
        (SimpleUploadedFile("liste.csv", b"\xff\xfe\x00n\x00o\x00m"), "2026-01", "pas accepté"),
        (None, "2026-01", "Choisissez le fichier"),
        ("csv", "janvier", "AAAA-MM"),
    ],
)
def test_a_bad_file_or_campaign_is_a_400_with_its_message(world, upload, campaign, message):
    data: dict = {"campagne": campaign}
    if upload == "csv":
        data["fichier"] = _csv(line())
    elif upload is not None:
        data["fichier"] = upload
    response = client_for(world["users"]["coordinateur_quimper"]).post("/pro/decrochage/importer", data)
    assert response.status_code == 400 and message in response.content.decode()


@pytest.mark.parametrize(
    "user", ["conseiller_psad_quimper", "conseiller_cio_quimper", "pilote_region", "superuser"]
)
def test_only_coordinators_import(world, user):
    client = client_for(world["users"][user])
    assert client.get("/pro/decrochage/importer").status_code == 403
    response = client.post(
        "/pro/decrochage/importer", {"fichier": _csv(line(nom="Hélias")), "campagne": "2026-01"}
    )
    assert response.status_code == 403 and YoungPerson.objects.count() == 3


# --- export -----------------------------------------------------------------------------------------------------


def test_the_coordinator_exports_the_zone_as_csv_and_it_is_logged(world):
    world["people"]["Le Gall"].formation = '=HYPERLINK("x")'
    world["people"]["Le Gall"].save()
    response = client_for(world["users"]["coordinateur_quimper"]).get("/pro/decrochage/export.csv")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["numéro", "nom", "prénom"]
    assert [r[1] for r in rows[1:]] == ["Kerbrat", "Le Gall"]  # the zone only, prioritaire first
    assert "'=HYPERLINK" in response.content.decode()  # never a formula
    event = AuditEvent.objects.get(action="dropout.export")
    assert event.user == world["users"]["coordinateur_quimper"] and "2 lignes" in event.detail


def test_the_ods_export_is_a_spreadsheet(world):
    response = client_for(world["users"]["coordinateur_quimper"]).get("/pro/decrochage/export.ods")
    assert response.status_code == 200
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml").decode()
    assert "Kerbrat" in content and "Riou" not in content
    assert "2 lignes" in AuditEvent.objects.get(action="dropout.export").detail


@pytest.mark.parametrize(
    "user",
    ["conseiller_psad_quimper", "conseiller_cio_quimper", "conseiller_ml_rennes", "pilote_etat", "superuser"],
)
def test_no_export_for_anyone_but_a_coordinator(world, user):
    for fmt in ("csv", "ods"):
        response = client_for(world["users"][user]).get(f"/pro/decrochage/export.{fmt}")
        assert response.status_code == 403 and "Kerbrat" not in response.content.decode("utf-8", "replace")
    assert not AuditEvent.objects.filter(action="dropout.export").exists()


def test_an_unknown_export_format_is_404(world):
    assert (
        client_for(world["users"]["coordinateur_quimper"]).get("/pro/decrochage/export.pdf").status_code
        == 404
    )


# --- the chain's work on the record ------------------------------------------------------------------------------


def test_the_partner_records_a_contact_and_a_solution_and_the_follow_up_is_due(world):
    from datetime import date, timedelta

    kerbrat = world["people"]["Kerbrat"]
    client = client_for(world["users"]["conseiller_cio_quimper"])
    url = f"/pro/decrochage/jeunes/{kerbrat.pk}"
    today = date.today().strftime("%d/%m/%Y")
    response = client.post(
        f"{url}/contact", {"contact-moyen": "telephone", "contact-resultat": "joint", "contact-date": today}
    )
    assert response.status_code == 303
    started = (date.today() - timedelta(days=100)).strftime("%d/%m/%Y")
    response = client.post(
        f"{url}/solution",
        {"solution-type": "apprentissage", "solution-date": started, "solution-precision": "CFA"},
    )
    assert response.status_code == 303
    kerbrat.refresh_from_db()
    assert kerbrat.priority == "traite" and kerbrat.contacts.count() == 1
    due = client.get("/pro/decrochage/suivis").content.decode()
    assert "Kerbrat" in due and "à 3 mois" in due
    read = AuditEvent.objects.filter(action="dropout.list", detail__startswith="suivis à faire").get()
    assert read.user == world["users"]["conseiller_cio_quimper"] and str(kerbrat.pk) in read.detail
    follow_up = kerbrat.solutions.get().follow_ups.get(month=3)
    response = client.post(
        f"{url}/suivi/{follow_up.pk}",
        {f"suivi-{follow_up.pk}-constat": "toujours_en_solution", f"suivi-{follow_up.pk}-date": today},
    )
    assert response.status_code == 303
    follow_up.refresh_from_db()
    assert follow_up.done_on == date.today()
    assert "Kerbrat" not in client.get("/pro/decrochage/suivis").content.decode()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("contact", {"contact-moyen": "pigeon", "contact-resultat": "joint", "contact-date": "01/01/2020"}),
        (
            "contact",
            {"contact-moyen": "telephone", "contact-resultat": "joint", "contact-date": "32/13/2020"},
        ),
        (
            "contact",
            {"contact-moyen": "telephone", "contact-resultat": "joint", "contact-date": "01/01/2099"},
        ),
        ("solution", {"solution-type": "autre", "solution-date": "01/01/2020"}),
        ("situation", {}),
    ],
)
def test_bad_chain_input_is_a_400_and_writes_nothing(world, action, data):
    kerbrat = world["people"]["Kerbrat"]
    response = client_for(world["users"]["conseiller_cio_quimper"]).post(
        f"/pro/decrochage/jeunes/{kerbrat.pk}/{action}", data
    )
    assert response.status_code == 400 and "Le formulaire contient" in response.content.decode()
    assert (
        not kerbrat.contacts.exists() and not kerbrat.solutions.exists() and not kerbrat.situations.exists()
    )


def test_chain_actions_on_a_young_person_of_another_partner_are_404(world):
    kerbrat = world["people"]["Kerbrat"]
    client = client_for(world["users"]["conseiller_ml_rennes"])
    data = {"contact-moyen": "telephone", "contact-resultat": "joint", "contact-date": "01/01/2020"}
    assert client.post(f"/pro/decrochage/jeunes/{kerbrat.pk}/contact", data).status_code == 404
    assert client.post(f"/pro/decrochage/jeunes/{kerbrat.pk}/inconnue", data).status_code == 404
    assert client.post(f"/pro/decrochage/jeunes/{kerbrat.pk}/suivi/1", data).status_code == 404
    assert "Kerbrat" not in client.get("/pro/decrochage/suivis").content.decode()
    assert not kerbrat.contacts.exists()


# --- droit au retour steps, end of a solution, accompaniment with consent ----------------------------------------


def _day(days_ago: int) -> str:
    from datetime import date, timedelta

    return (date.today() - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def test_a_return_request_is_tracked_to_its_interview_offer_and_close_with_its_delays(world):
    kerbrat = world["people"]["Kerbrat"]
    client = client_for(world["users"]["conseiller_cio_quimper"])
    url = f"/pro/decrochage/jeunes/{kerbrat.pk}"
    assert (
        client.post(f"{url}/retour", {"retour-moyen": "telephone", "retour-date": _day(20)}).status_code
        == 303
    )
    request = kerbrat.return_requests.get()
    step = f"{url}/retour/{request.pk}"
    prefix = f"etape-{request.pk}"
    # an offer before the interview is refused by the chain's order, nothing written
    refused = client.post(
        step, {f"{prefix}-etape": "offre", f"{prefix}-date": _day(10), f"{prefix}-offre": "CAP Cuisine"}
    )
    assert refused.status_code == 400 and "entretien" in refused.content.decode()
    request.refresh_from_db()
    assert request.offer_on is None
    assert client.post(step, {f"{prefix}-etape": "entretien", f"{prefix}-date": _day(15)}).status_code == 303
    assert (
        client.post(
            step, {f"{prefix}-etape": "offre", f"{prefix}-date": _day(10), f"{prefix}-offre": "CAP Cuisine"}
        ).status_code
        == 303
    )
    page = client.get(url).content.decode()
    assert "(J+5)" in page and "(J+10)" in page and "CAP Cuisine" in page
    missing = client.post(step, {f"{prefix}-etape": "cloture", f"{prefix}-date": _day(5)})
    assert missing.status_code == 400 and "issue" in missing.content.decode()
    closed = client.post(
        step,
        {f"{prefix}-etape": "cloture", f"{prefix}-date": _day(5), f"{prefix}-issue": "entree_en_formation"},
    )
    assert closed.status_code == 303
    request.refresh_from_db()
    assert (request.days_to_interview, request.days_to_offer, request.outcome) == (
        5,
        10,
        "entree_en_formation",
    )
    assert AuditEvent.objects.filter(action="dropout.return_close").count() == 1
    # closed: no more step form, and a step posted anyway is refused
    again = client.post(step, {f"{prefix}-etape": "entretien", f"{prefix}-date": _day(1)})
    assert again.status_code == 400


def test_return_steps_and_solution_end_of_another_zone_are_404(world):
    kerbrat = world["people"]["Kerbrat"]
    cio = client_for(world["users"]["conseiller_cio_quimper"])
    url = f"/pro/decrochage/jeunes/{kerbrat.pk}"
    cio.post(f"{url}/retour", {"retour-moyen": "telephone", "retour-date": _day(20)})
    cio.post(
        f"{url}/solution",
        {"solution-type": "apprentissage", "solution-date": _day(30), "solution-precision": "CFA"},
    )
    request, solution = kerbrat.return_requests.get(), kerbrat.solutions.get()
    other = client_for(world["users"]["conseiller_ml_rennes"])
    prefix = f"etape-{request.pk}"
    data = {f"{prefix}-etape": "entretien", f"{prefix}-date": _day(1)}
    assert other.post(f"{url}/retour/{request.pk}", data).status_code == 404
    assert (
        other.post(f"{url}/solution/{solution.pk}/fin", {f"fin-{solution.pk}-date": _day(1)}).status_code
        == 404
    )
    request.refresh_from_db()
    solution.refresh_from_db()
    assert request.interview_on is None and solution.ended_on is None


def test_the_end_of_a_solution_puts_the_young_person_back_on_their_list(world):
    kerbrat = world["people"]["Kerbrat"]
    client = client_for(world["users"]["conseiller_cio_quimper"])
    url = f"/pro/decrochage/jeunes/{kerbrat.pk}"
    client.post(
        f"{url}/solution",
        {"solution-type": "apprentissage", "solution-date": _day(60), "solution-precision": "CFA"},
    )
    solution = kerbrat.solutions.get()
    kerbrat.refresh_from_db()
    assert kerbrat.priority == "traite"
    bad = client.post(f"{url}/solution/{solution.pk}/fin", {f"fin-{solution.pk}-date": "01/01/2099"})
    assert bad.status_code == 400
    assert (
        client.post(f"{url}/solution/{solution.pk}/fin", {f"fin-{solution.pk}-date": _day(2)}).status_code
        == 303
    )
    kerbrat.refresh_from_db()
    solution.refresh_from_db()
    assert solution.ended_on is not None and kerbrat.priority == "prioritaire"
    # ended: a second end is 404
    assert (
        client.post(f"{url}/solution/{solution.pk}/fin", {f"fin-{solution.pk}-date": _day(1)}).status_code
        == 404
    )


def test_an_accompaniment_needs_the_young_persons_consent_then_shows_the_pathway_link_once(world):
    kerbrat = world["people"]["Kerbrat"]
    client = client_for(world["users"]["conseiller_cio_quimper"])
    url = f"/pro/decrochage/jeunes/{kerbrat.pk}/accompagnement"
    refused = client.post(url, {"accompagnement-projet": "Reprendre une formation"})
    assert refused.status_code == 400 and "accord du jeune" in refused.content.decode()
    assert not kerbrat.accompaniment_links.exists()
    opened = client.post(
        url, {"accompagnement-accord": "on", "accompagnement-projet": "Reprendre une formation"}
    )
    assert opened.status_code == 200 and "/parcours/" in opened.content.decode()
    link = kerbrat.accompaniment_links.select_related("accompaniment").get()
    assert link.consent_text_version and link.accompaniment.structure == world["structures"]["cio-quimper"]
    twice = client.post(
        url, {"accompagnement-accord": "on", "accompagnement-projet": "Reprendre une formation"}
    )
    assert twice.status_code == 400 and kerbrat.accompaniment_links.count() == 1
    assert "Accompagnement par" in client.get(f"/pro/decrochage/jeunes/{kerbrat.pk}").content.decode()
