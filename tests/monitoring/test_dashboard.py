"""The pilotage dashboard (`/pro/pilotage/`): each role reads its own perimeter, decided from its roles (a forged
territory or structure is a 404), two periods side by side with the change, the action plan's target, the State
figures beside, and every table exported in CSV, ODS and XLSX. Contacts are recorded through `spro.contacts.log`, so
the rollups fill by the signals as in production."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from spro.actionplan.models import Action, ActionPlan, Axis, Indicator, IndicatorTarget, Objective
from spro.contacts import log
from spro.monitoring import dashboard, query
from spro.statedata.models import ImportRun, StateFigure
from tests.accounts.factories import MembershipFactory
from tests.monitoring.conftest import add_contact

PAGE = "/pro/pilotage/"
Q1_Q2_29 = "periode=2026-T2&comparaison=2026-T1&territoire=departement:29"


@pytest.fixture
def contacts(network):
    """Mission locale de Cornouaille (29, network ML): 8 in Q1, 12 in Q2; CIO de Rennes (35): 6 in Q2; Mission
    locale de Caen (14, Normandie): 9 in Q2."""
    for structure, user, commune, month, n in (
        ("a", "conseiller_a", "29232", 2, 8),
        ("a", "conseiller_a", "29232", 5, 12),
        ("b", "conseiller_b", "35238", 5, 6),
    ):
        for _ in range(n):
            add_contact(network, structure, user, date=dt.date(2026, month, 3), commune=network[commune])
    caen = MembershipFactory(structure=network["c"], user__email="conseiller.caen@example.org").user
    for _ in range(9):
        log.record(
            caen,
            network["c"],
            date=dt.date(2026, 5, 3),
            channel="telephone",
            age_band="18-25",
            statut="lyceen",
            besoins=["decouvrir-metiers"],
            answer_given="information",
            commune=network["14118"],
        )
    return network


def table(response, code: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="tableau-{code}"')
    return html[start : html.index("</table>", start)]


def test_periods_are_months_quarters_or_years_and_compare_with_the_previous_one_by_default():
    assert dashboard.span("2026-T1").months == query.Period(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert dashboard.previous(dashboard.span("2026-T1")).code == "2025-T4"
    assert dashboard.previous(dashboard.span("2026-01")).code == "2025-12"
    assert dashboard.previous(dashboard.span("2026")).code == "2025"
    assert dashboard.default_span(dt.date(2026, 5, 20)).code == "2026-T1"
    with pytest.raises(query.QueryError, match="un trimestre"):
        dashboard.span("2026-T5")


def test_the_change_is_not_computed_when_a_side_is_hidden():
    assert dashboard.change(12, 8) == "+4 (+50 %)"
    assert dashboard.change(6, 8) == "−2 (−25 %)"
    assert dashboard.change(5, 0) == "+5"
    assert dashboard.change("< 5", 8) == "—"
    # Two shown rates differ in points; a hidden rate gives no change either.
    assert dashboard.change("75 %", "60 %") == "+15 pts"
    assert dashboard.change("60 %", "75 %") == "−15 pts"
    assert dashboard.change("< 5", "75 %") == "—"


def test_a_region_pilot_compares_two_quarters_for_a_departement(client, contacts):
    client.force_login(contacts["users"]["pilote_region"])
    response = client.get(f"{PAGE}?{Q1_Q2_29}")
    assert response.status_code == 200
    rows = table(response, "premiers-contacts")
    assert "<td>12</td><td>8</td><td>+4 (+50 %)</td>" in rows
    # Its territories are its région and the région's départements, not another région's.
    html = response.content.decode()
    assert 'value="departement:35"' in html and 'value="region:53"' in html
    assert 'value="departement:14"' not in html
    assert '<a href="/pro/pilotage/rapport/">Rapport annuel du SPRO</a>' in html
    # Every packaged indicator is computed: none is listed as not available.
    assert "non disponible" not in html


def test_an_indicator_not_computed_is_listed_with_its_reason(client, contacts, settings, tmp_path):
    # A Region's own declaration of an indicator without a source yet (the packaged ones are all computed).
    (tmp_path / "indicateurs").mkdir()
    (tmp_path / "indicateurs" / "sans-source.yaml").write_text(
        "code: sans-source\nlibelle: Indicateur sans source\ndefinition: Pas encore de source.\n"
        "source: {modele: rien, evenement: rien}\nmesure: nombre\nventilations: [canal]\n"
        "proprietaire: Région\ndisponible: false\nstatut: Source propre à la Région, à brancher.\n",
        encoding="utf-8",
    )
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    client.force_login(contacts["users"]["pilote_region"])
    html = client.get(f"{PAGE}?{Q1_Q2_29}").content.decode()
    assert "Indicateur sans source</strong> : non disponible" in html
    assert "Source propre à la Région, à brancher." in html
    assert 'id="tableau-sans-source"' not in html


def test_a_breakdown_by_departement_gives_one_row_per_departement_and_the_total(client, contacts):
    client.force_login(contacts["users"]["pilote_region"])
    response = client.get(f"{PAGE}?periode=2026-T2&territoire=region:53&ventilation=departement")
    rows = table(response, "premiers-contacts")
    assert "Finistère (29)</th><td>12</td><td>8</td>" in rows
    assert "Ille-et-Vilaine (35)</th><td>6</td><td>0</td>" in rows
    assert "Total</th><td>18</td><td>8</td>" in rows


def test_a_network_head_reads_only_its_network_and_a_forged_structure_is_a_404(client, contacts):
    client.force_login(contacts["users"]["tete_ml_bzh"])
    response = client.get(f"{PAGE}?periode=2026-T2&territoire=")
    assert response.status_code == 200
    # The ML network in Bretagne: Cornouaille's 12, never Rennes' CIO (6) nor Caen's ML (9).
    assert "Total</th><td>12</td><td>8</td>" in table(response, "premiers-contacts")
    assert "CIO de Rennes" not in response.content.decode()
    # The annual report is the pilots' and the CREFOP's: no link to a page that would refuse it.
    assert "/pro/pilotage/rapport/" not in response.content.decode()
    assert client.get(f"{PAGE}?periode=2026-T2&structure={contacts['b'].pk}").status_code == 404
    assert client.get(f"{PAGE}?periode=2026-T2&structure={contacts['c'].pk}").status_code == 404
    assert client.get(f"{PAGE}?periode=2026-T2&territoire=departement:14").status_code == 404
    own = client.get(f"{PAGE}?periode=2026-T2&territoire=&structure={contacts['a'].pk}")
    assert "Total</th><td>12</td>" in table(own, "premiers-contacts")


def test_a_structure_reads_only_itself(client, contacts):
    client.force_login(contacts["users"]["conseiller_b"])
    response = client.get(f"{PAGE}?periode=2026-T2")
    assert response.status_code == 200
    assert "Total</th><td>6</td><td>0</td>" in table(response, "premiers-contacts")
    assert client.get(f"{PAGE}?periode=2026-T2&structure={contacts['a'].pk}").status_code == 404
    assert client.get(f"{PAGE}?periode=2026-T2&territoire=region:53").status_code == 404
    assert (
        client.get(f"/pro/pilotage/export/premiers-contacts.csv?structure={contacts['a'].pk}").status_code
        == 404
    )


def test_a_crefop_member_reads_the_public_indicators_of_its_region_and_others_have_no_dashboard(
    client, contacts
):
    client.force_login(contacts["users"]["membre_crefop"])
    response = client.get(f"{PAGE}?periode=2026-T2&territoire=region:53")
    assert response.status_code == 200
    assert "Total</th><td>18</td>" in table(response, "premiers-contacts")
    assert client.get(f"{PAGE}?territoire=region:28").status_code == 404
    for who in ("partenaire_social", "nobody"):
        client.force_login(contacts["users"][who])
        assert client.get(PAGE).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_bad_periods_are_a_400_with_their_reason(client, contacts):
    client.force_login(contacts["users"]["pilote_region"])
    response = client.get(f"{PAGE}?periode=2026-T9&territoire=region:53")
    assert response.status_code == 400
    assert (
        "attendu un mois (2026-03), un trimestre (2026-T1) ou une année (2026)" in response.content.decode()
    )
    response = client.get(f"{PAGE}?periode=2026-T2&comparaison=2025&territoire=region:53")
    assert response.status_code == 400
    assert "choisissez une période de même durée" in response.content.decode()
    bad = client.get("/pro/pilotage/export/premiers-contacts.ods?periode=x&territoire=region:53")
    assert bad.status_code == 400


def test_the_action_plan_s_target_is_shown_and_compared_over_a_whole_year(client, contacts):
    plan = ActionPlan.objects.create(
        region=contacts["bzh"], title="Plan 2026-2028", start_year=2026, end_year=2028
    )
    objective = Objective.objects.create(
        axis=Axis.objects.create(plan=plan, number=1, title="Informer"), number=2, title="Accueillir"
    )
    action = Action.objects.create(objective=objective, number=3, title="Premier accueil")
    indicator = Indicator.objects.create(
        action=action, label="Personnes reçues", unit="personnes", indicateur="premiers-contacts"
    )
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("40"))
    client.force_login(contacts["users"]["pilote_region"])
    html = client.get(f"{PAGE}?periode=2026&territoire=region:53").content.decode()
    # 8 + 12 + 6 = 26 contacts in Bretagne in 2026: 65 % of 40.
    assert (
        "Cible 2026 du plan d’action « Plan 2026-2028 », action 1.2.3 (Personnes reçues) : 40 personnes"
        in html
    )
    assert "soit 65 % de la cible atteints" in html
    quarter = client.get(f"{PAGE}?{Q1_Q2_29}").content.decode()
    assert "40 personnes." in quarter and "% de la cible" not in quarter


def test_the_state_figures_are_shown_beside_to_the_pilots_only(client, contacts):
    run = ImportRun.objects.create(file_name="etat.csv", sha256="0" * 64)
    for period, value in (("2026-T2", 45), ("2026-T1", 30)):
        StateFigure.objects.create(
            service="france_travail",
            period=period,
            territory_level="departement",
            territory_code="29",
            indicator="premiers_accueils",
            value=value,
            run=run,
        )
    client.force_login(contacts["users"]["pilote_region"])
    response = client.get(f"{PAGE}?{Q1_Q2_29}")
    assert "France Travail</th><td>Premiers accueils</td><td>45</td><td>30</td><td>+15 (+50 %)</td>" in table(
        response, "donnees-etat"
    )
    export = client.get(f"/pro/pilotage/export/donnees-etat.csv?{Q1_Q2_29}")
    assert "France Travail,Premiers accueils,45,30,15,50" in export.content.decode("utf-8-sig")
    client.force_login(contacts["users"]["tete_ml_bzh"])
    assert (
        "Données de l’État" not in client.get(f"{PAGE}?periode=2026-T2&territoire=region:53").content.decode()
    )


def test_every_table_exports_in_csv_ods_and_xlsx_with_the_page_s_figures(client, contacts):
    client.force_login(contacts["users"]["pilote_region"])
    base = "/pro/pilotage/export/premiers-contacts"
    csv = client.get(f"{base}.csv?{Q1_Q2_29}")
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").splitlines()[1] == "Total,12,8,4,50"
    ods = client.get(f"{base}.ods?{Q1_Q2_29}")
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    content = zipfile.ZipFile(io.BytesIO(ods.content)).read("content.xml").decode()
    assert "2e trimestre 2026" in content and 'office:value="4"' in content
    xlsx = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?{Q1_Q2_29}").content))
    assert [c.value for c in next(xlsx.active.iter_rows(min_row=2, max_row=2))] == ["Total", 12, 8, 4, 50]
    assert client.get(f"{base}.pdf?{Q1_Q2_29}").status_code == 404
    assert client.get(f"/pro/pilotage/export/inconnu.csv?{Q1_Q2_29}").status_code == 404
    assert client.get(f"{base}.csv?periode=2026-T2&territoire=departement:14").status_code == 404


def test_small_counts_stay_hidden_on_the_dashboard(client, network):
    for _ in range(3):
        add_contact(network, date=dt.date(2026, 5, 3), commune=network["29232"])
    client.force_login(network["users"]["pilote_region"])
    rows = table(client.get(f"{PAGE}?{Q1_Q2_29}"), "premiers-contacts")
    assert "<td>&lt; 5</td><td>0</td><td>—</td>" in rows


def test_referrals_appear_by_outcome_for_the_month_they_were_made(client, network):
    """Referrals made through `spro.referrals.services` fill the `orientations` tile by the signals."""
    from tests.monitoring.test_rollups import make_referral

    for _ in range(6):
        make_referral(network, commune=network["29232"])
    month = dt.date.today().strftime("%Y-%m")
    client.force_login(network["users"]["pilote_region"])
    response = client.get(f"{PAGE}?periode={month}&territoire=region:53&ventilation=issue")
    rows = table(response, "orientations")
    assert "Nouvelle</th><td>6</td><td>0</td><td>+6</td>" in rows
    assert "Total</th><td>6</td><td>0</td><td>+6</td>" in rows
