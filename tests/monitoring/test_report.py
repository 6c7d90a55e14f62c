"""The yearly activity report for the CREFOP: built from the data (never typed figures), small counts hidden, the
year against the previous one, charts with their tables; PDF and ODT; written whole or not at all; the page's
access rules and its audit."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from spro.actionplan.models import Action, ActionPlan, Axis, Objective
from spro.audit.models import AuditEvent
from spro.dropouts.models import Campaign
from spro.monitoring import declarations, report
from spro.monitoring.declarations import Indicator, Source
from spro.practices.models import Practice
from spro.statedata.models import ImportRun, StateFigure
from tests.actionplan.pdftext import pdf_text

from .conftest import add_contact

pytestmark = pytest.mark.django_db
YEAR = 2026
NNBSP = "\u202f"


@pytest.fixture
def world(network):
    """Contacts in March 2026 (7 by phone, 6 on site, 2 by chat) and March 2025 (9 by phone), all in Quimper;
    an action plan, a published good practice, a campaign and State figures."""
    for channel, n in (("telephone", 7), ("sur-place", 6), ("chat", 2)):
        for _ in range(n):
            add_contact(network, channel=channel, commune=network["29232"])
    for _ in range(9):
        add_contact(network, channel="telephone", commune=network["29232"], date=dt.date(2025, 3, 10))
    plan = ActionPlan.objects.create(
        region=network["bzh"], title="Plan SPRO Bretagne", start_year=2025, end_year=2028
    )
    axis = Axis.objects.create(plan=plan, number=1, title="Informer")
    objective = Objective.objects.create(axis=axis, number=1, title="Rendre l’information accessible")
    Action.objects.create(
        objective=objective, number=1, title="Ouvrir des points d’information", status="en_cours", progress=40
    )
    Action.objects.create(
        objective=objective, number=2, title="Former les conseillers", status="realisee", progress=100
    )
    Practice.objects.create(
        title="Permanences du soir à Quimper",
        kind="bonne_pratique",
        theme="accueil",
        territory_level="departement",
        territory_code="29",
        text="Des permanences après 18 h.",
        status="publiee",
        reviewed_at=timezone.make_aware(dt.datetime(YEAR, 5, 4, 10)),
    )
    Campaign.objects.create(code=f"{YEAR}-03", opened_on=dt.date(YEAR, 3, 1))
    run = ImportRun.objects.create(file_name="etat.csv", sha256="0" * 64)
    common = {
        "service": "cio",
        "territory_level": "region",
        "territory_code": "53",
        "indicator": "entretiens",
        "run": run,
    }
    StateFigure.objects.create(period=str(YEAR), value=1234, **common)
    StateFigure.objects.create(period=f"{YEAR - 1}-T1", value=100, **common)
    StateFigure.objects.create(period=f"{YEAR - 1}-T2", value=200, **common)
    return network


def _odt_content(data: bytes) -> tuple[str, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    return archive.read("content.xml").decode("utf-8"), archive


def test_the_pdf_holds_every_section_and_the_figures_of_both_years(world, tmp_path):
    target = tmp_path / "rapport.pdf"
    call_command("rapport", "annuel", annee=str(YEAR), output=target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    for section in (
        "1. Activité : premiers contacts et mises en relation",
        "2. Avancement du plan d’action partagé",
        "3. Repérage et accompagnement des décrocheurs",
        "4. Satisfaction des personnes",
        "5. Chiffres des services de l’État",
        "6. Bonnes pratiques publiées",
        "7. Autres indicateurs du pilotage",
    ):
        assert section in text, section
    # First contacts: 15 in 2026 against 9 in 2025; by channel, the chat's 2 hidden and one more cell masked.
    assert "Premiers contacts par canal, 2026 et 2025" in text
    assert "Téléphone\n7\n9" in text
    assert "Messagerie instantanée (chat)\n< 5\n0" in text
    assert "Accueil sur place\nmasqué\n0" in text
    assert "Total\n15\n9" in text
    assert "Finistère (29)\n15\n9" in text
    # The chart is drawn with its texts (vector, in the shipped font), before its table.
    assert text.index("Premiers contacts par canal, 2026\n") < text.index(
        "Premiers contacts par canal, 2026 et 2025"
    )
    # Action plan, campaign, State figures, good practice.
    assert "1.1.1\n" in text and "Former les conseillers\nRéalisée\n100" in text
    assert "Avancement moyen\n70 %" in text
    assert f"Campagne {YEAR}-03" in text and "Contact des jeunes listés" in text
    assert f"1{NNBSP}234 (année)" in text and "300 (2 trimestre(s))" in text
    assert "Permanences du soir à Quimper\nFinistère (29)\nAccueil et premier contact" in text


def test_indicators_not_computed_say_why_and_appear_when_computed(world):
    from html import unescape

    content = unescape(_odt_content(report.render(YEAR, "odt"))[0])
    loaded = declarations.load()
    for indicator in loaded.indicators:
        if not indicator.disponible and indicator.code not in report.READ_FROM_SOURCE:
            assert f"indicateur non disponible : {indicator.statut}" in content, indicator.code
    declared = Indicator(
        code="satisfaction",
        libelle="Satisfaction des personnes",
        definition="Part des personnes satisfaites.",
        source=Source(modele="feedback", evenement="réponse"),
        mesure="taux",
        proprietaire="Région",
        disponible=False,
        statut="L’enquête n’est pas encore agrégée.",
    )
    blocks = report.indicator_blocks(declared, YEAR)
    assert blocks[-1] == report.Paragraph("indicateur non disponible : L’enquête n’est pas encore agrégée.")
    computed = report.indicator_blocks(loaded.get("premiers-contacts"), YEAR)
    assert any(isinstance(b, report.Chart) for b in computed)
    assert report.indicator_blocks(None, YEAR, "inconnu")[0].text.startswith("indicateur non disponible")


def test_the_odt_holds_the_figures_and_its_charts_as_svg(world, tmp_path):
    target = tmp_path / "rapport.odt"
    call_command("rapport", "annuel", annee=str(YEAR), output=target)
    content, archive = _odt_content(target.read_bytes())
    for text in (
        "Premiers contacts par canal, 2026 et 2025",
        "masqué",
        "&lt; 5",
        "Finistère (29)",
        "Permanences du soir à Quimper",
    ):
        assert text in content, text
    assert re.search(r"<text:p[^>]*>15</text:p>", content)
    pictures = [name for name in archive.namelist() if name.startswith("Pictures/")]
    assert pictures and all(name.endswith(".svg") for name in pictures)
    manifest = archive.read("META-INF/manifest.xml").decode()
    assert f'manifest:full-path="{pictures[0]}" manifest:media-type="image/svg+xml"' in manifest
    svg = ET.fromstring(archive.read(pictures[0]))
    assert svg.find("{http://www.w3.org/2000/svg}title") is not None
    assert content.count("<draw:frame") == len(pictures) and "<svg:title>" in content


def test_the_format_option_wins_over_the_extension_and_an_audit_event_is_written(world, tmp_path):
    target = tmp_path / "rapport.bin"
    call_command("rapport", "annuel", annee=str(YEAR), output=target, format="odt")
    _odt_content(target.read_bytes())
    event = AuditEvent.objects.get(action="monitoring.report")
    assert event.user is None and event.detail == f"rapport annuel {YEAR} odt"


@pytest.mark.parametrize(
    ("annee", "name", "fmt", "message"),
    [
        ("20x6", "r.pdf", None, "année : un nombre"),
        ("1999", "r.pdf", None, "année : entre 2000"),
        (str(dt.date.today().year + 1), "r.pdf", None, "année : entre 2000"),
        (str(YEAR), "r.docx", None, "format : pdf ou odt"),
        (str(YEAR), "r.pdf", "html", "format : pdf ou odt"),
        (str(YEAR), "absent/r.pdf", None, "n’existe pas"),
    ],
)
def test_bad_parameters_exit_with_a_clear_message_and_write_nothing(
    network, tmp_path, annee, name, fmt, message
):
    options = {"annee": annee, "output": tmp_path / name}
    if fmt:
        options["format"] = fmt
    with pytest.raises(CommandError, match=message):
        call_command("rapport", "annuel", **options)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_partial_file_and_keeps_the_old_one(network, tmp_path):
    folder = tmp_path / "rapport.pdf"
    folder.mkdir()  # the output is a folder: the final rename fails
    with pytest.raises(CommandError, match="impossible d’écrire"):
        call_command("rapport", "annuel", annee=str(YEAR), output=folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.pdf"] and not any(folder.iterdir())
    existing = tmp_path / "ancien.odt"
    existing.write_bytes(b"ancien")

    def broken(year, fmt):
        raise RuntimeError("panne")

    report_render = report.render
    try:
        report.render = broken  # type: ignore[assignment]
        with pytest.raises(RuntimeError):
            report.write(YEAR, existing, "odt")
    finally:
        report.render = report_render  # type: ignore[assignment]
    assert existing.read_bytes() == b"ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ancien.odt", "rapport.pdf"]


# --- the page ----------------------------------------------------------------------------------------------------
URL = "/pro/pilotage/rapport/"


@pytest.mark.parametrize("who", ["pilote_region", "pilote_etat", "membre_crefop", "superuser"])
def test_readers_get_the_form(client, network, who):
    client.force_login(network["users"][who])
    response = client.get(URL)
    assert response.status_code == 200
    assert "Télécharger le rapport" in response.content.decode()


@pytest.mark.parametrize("who", ["conseiller_a", "admin_a", "tete_ml_bzh", "partenaire_social", "nobody"])
def test_others_get_403(client, network, who):
    client.force_login(network["users"][who])
    response = client.get(URL, {"annee": YEAR, "format": "pdf"})
    assert response.status_code == 403
    assert "réservé aux pilotes" in response.content.decode()
    assert not AuditEvent.objects.filter(action="monitoring.report").exists()


def test_anonymous_is_sent_to_the_login(client, network):
    from django.urls import reverse

    response = client.get(URL, {"annee": YEAR, "format": "pdf"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("pro-login"))
    assert not AuditEvent.objects.filter(action="monitoring.report").exists()


def test_the_download_is_the_report_and_is_audited(client, world):
    user = world["users"]["pilote_region"]
    client.force_login(user)
    response = client.get(URL, {"annee": YEAR, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="rapport-annuel-spro-{YEAR}.pdf"'
    assert "Finistère (29)\n15\n9" in pdf_text(response.content)
    event = AuditEvent.objects.get(action="monitoring.report")
    assert event.user == user and event.detail == f"rapport annuel {YEAR} pdf"
    odt = client.get(URL, {"annee": YEAR, "format": "odt"})
    assert odt["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert "Finistère (29)" in _odt_content(odt.content)[0]


@pytest.mark.parametrize(
    "params", [{"annee": "1999", "format": "pdf"}, {"annee": YEAR, "format": "docx"}, {"annee": "x"}]
)
def test_bad_form_values_answer_400_with_the_form(client, network, params):
    client.force_login(network["users"]["pilote_region"])
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "Le formulaire contient" in response.content.decode()
    assert not AuditEvent.objects.filter(action="monitoring.report").exists()


def test_a_chart_writes_its_counts_as_the_tables_do_and_hidden_ones_get_no_bar():
    assert report._bar("Téléphone", 1660) == report.charts.Bar("Téléphone", 1660, f"1{NNBSP}660")
    assert report._bar("Courriel", "< 5") == report.charts.Bar("Courriel", None, "< 5")
    assert report._bar("Chat", "masqué").value is None


def test_a_dropout_table_runs_its_longer_list_down_the_page():
    from spro.dropouts.indicators import Table as DropoutTable

    rows = [("z1", "Zone 1", {"a": 7, "b": "< 5", "c": 0}), ("_total", "Total", {"a": 7, "b": "< 5", "c": 0})]
    wide = DropoutTable("k", "Titre", [("a", "A"), ("b", "B"), ("c", "C")], rows)
    turned = report._zone_table(wide, "2026-03")
    assert list(turned.headers) == ["Compte", "Zone 1", "Total"]
    assert [list(r) for r in turned.rows] == [["A", 7, 7], ["B", "< 5", "< 5"], ["C", 0, 0]]
    narrow = DropoutTable("k", "Titre", [("a", "A"), ("b", "B")], rows)
    kept = report._zone_table(narrow, "2026-03")
    assert list(kept.headers) == ["Zone", "A", "B"] and [list(r) for r in kept.rows][0] == [
        "Zone 1",
        7,
        "< 5",
    ]
    assert kept.caption == "Titre, campagne 2026-03, par zone"
