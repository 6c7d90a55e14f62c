"""The annex (PDF, ODT) and the open data (CSV, JSON) are generated from a version's frozen content."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from spro.actionplan import access, exports, plans

from .pdftext import pdf_text

TITLES = (
    "Plan d’action partagé du SPRO",
    "Axe 1 – Informer sur les métiers et les formations",
    "Objectif 1.1 – Rendre l’information accessible à tous",
    "Action 1.1.1 – Ouvrir des lieux d’information de proximité",
    "Action 1.1.2 – Former les conseillers du réseau",
)


def _approved_version(world):
    users = world["users"]
    version = plans.record_version(world["plan"], users["pilote_region"], "Version soumise au CREFOP")
    plans.approve(version, users["pilote_etat"], access.STATE)
    return version


def test_the_pdf_annex_is_a_pdf_that_prints_every_title(world):
    version = _approved_version(world)
    data = exports_pdf(version)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for title in TITLES:
        assert title in text, title
    assert "Région Bretagne (Région, chef de file)" in text
    assert "1 500" in text.replace("\u202f", " ") or "2027 : 1500" in text
    assert "État" in text  # the approvals table
    assert "annexe au CPRDFOP 2027-2030" in text


def exports_pdf(version) -> bytes:
    from spro.core.documents import to_pdf

    return to_pdf(exports.annex_document(version))


def test_the_odt_annex_holds_every_title_in_its_content(world):
    from spro.core.documents import to_odt

    version = _approved_version(world)
    with zipfile.ZipFile(io.BytesIO(to_odt(exports.annex_document(version)))) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = archive.read("content.xml").decode("utf-8")
    for title in TITLES:
        assert title in content, title
    for text in (
        "Personnes informées (personnes)",
        "1200 (2026)",
        "2027 : 1500, 2028 : 1800,5",
        "800 (2027-S1)",
    ):
        assert text in content, text
    assert version.sha256 in content


def test_open_data_csv_and_json(world):
    version = _approved_version(world)
    rows = list(csv.DictReader(io.StringIO(exports.actions_csv(version).decode("utf-8-sig"))))
    assert [r["code_action"] for r in rows] == ["1.1.1", "1.1.2"]
    assert (
        rows[0]["pilotes"] == "Région Bretagne ; DREETS Bretagne"
        and rows[0]["chef_de_file"] == "Région Bretagne"
    )
    assert rows[0]["etat"] == "À lancer" and rows[0]["avancement_pct"] == "0"
    indicators = list(csv.DictReader(io.StringIO(exports.indicators_csv(version).decode("utf-8-sig"))))
    assert [(r["nature"], r["annee_ou_periode"], r["valeur"]) for r in indicators] == [
        ("cible", "2027", "1500"),
        ("cible", "2028", "1800.5"),
        ("mesure", "2027-S1", "800"),
    ]
    data = json.loads(exports.plan_json(version))
    assert data["version"] == 1 and data["empreinte_sha256"] == version.sha256
    assert data["approbations"][0]["nom"] == "État"
    assert "user" not in json.dumps(data["approbations"])  # no personal data in open data
    assert data["plan"]["axes"][0]["title"] == "Informer sur les métiers et les formations"


def test_csv_cells_are_never_run_as_formulas(world):
    from spro.actionplan.models import Action, IndicatorValue

    Action.objects.filter(number=2).update(title='=HYPERLINK("http://example.org")')
    IndicatorValue.objects.update(value=-3)
    version = plans.record_version(world["plan"], world["users"]["pilote_region"])
    actions = list(csv.DictReader(io.StringIO(exports.actions_csv(version).decode("utf-8-sig"))))
    assert actions[1]["action"] == '\'=HYPERLINK("http://example.org")'
    indicators = list(csv.DictReader(io.StringIO(exports.indicators_csv(version).decode("utf-8-sig"))))
    assert indicators[-1]["valeur"] == "-3"
