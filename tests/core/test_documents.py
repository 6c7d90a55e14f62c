"""Documents generated offline: PDF, ODT and ODS from one neutral description."""

from __future__ import annotations

import io
import zipfile

import pytest

from spro.core.documents import (
    BulletList,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Sheet,
    Table,
    document_response,
    spreadsheet_response,
    to_ods,
    to_odt,
    to_pdf,
)

DOC = Document(
    "Plan d’action « SPRO » 2027",
    "Annexe à la convention — œuvre commune",
    [
        Heading("Axe 1 : s’orienter tout au long de la vie"),
        Paragraph("Informer chacun sur les métiers. " * 40),
        BulletList(["Premier objectif", "Deuxième objectif"]),
        KeyValues([("Pilote", "Région"), ("Échéance", "")]),
        Table(
            ["Indicateur", "Valeur"],
            [["Premiers contacts", 1200], ["Taux (%)", 3.5], ["Vide", None]],
            "Suivi",
        ),
    ],
)


def _odf_content(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
        return archive.read("content.xml").decode("utf-8")


def test_pdf_is_a_pdf_with_its_title_and_grows_with_its_content():
    data = to_pdf(DOC)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Title" in data
    longer = to_pdf(Document(DOC.title, DOC.subtitle, DOC.blocks * 8))
    assert longer.count(b"/Type /Page\n") > data.count(b"/Type /Page\n")


def test_odt_holds_every_text_with_real_headings_and_a_table():
    content = _odf_content(to_odt(DOC))
    for text in (
        "Plan d’action « SPRO » 2027",
        "Axe 1 : s’orienter",
        "Premier objectif",
        "Pilote",
        "Région",
        "Premiers contacts",
        "1\u202f200",
        "3,5",
        "œuvre commune",
    ):
        assert text in content
    assert 'text:outline-level="2"' in content
    assert "<table:table " in content


def test_ods_stores_numbers_as_numbers_and_formulas_as_text():
    content = _odf_content(to_ods([Sheet("Effectifs: 2027", ["Type", "Nombre"], [["=1+1", 3], [None, 2.5]])]))
    assert 'office:value-type="float"' in content and 'office:value="3"' in content
    assert "table:formula" not in content
    assert "=1+1" in content
    assert 'table:name="Effectifs  2027"' in content


def test_responses_are_attachments_with_a_safe_name():
    response = document_response(DOC, "odt", "../../plan d'action.odt")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert response["Content-Disposition"] == 'attachment; filename="plandaction.odt"'
    assert spreadsheet_response([Sheet("a", ["x"], [[1]])], "export")["Content-Disposition"].endswith('.ods"')
    with pytest.raises(ValueError):
        document_response(DOC, "docx", "x")


def test_xlsx_and_csv_keep_numbers_and_make_formulas_inert():
    import io as _io

    from openpyxl import load_workbook

    from spro.core.documents import Sheet, spreadsheet_bytes

    sheet = Sheet(
        "Contacts: mars/2026", ["Canal", "Effectif"], [["=SUM(A1)", 7], ["Chat", "< 5"], ["Vide", None]]
    )
    book = load_workbook(_io.BytesIO(spreadsheet_bytes([sheet], "xlsx")))
    page = book.active
    assert page.title == "Contacts  mars 2026"
    assert [c.value for c in page[2]] == ["'=SUM(A1)", 7]
    assert page["B2"].data_type == "n" and page["A2"].data_type == "s"
    text = spreadsheet_bytes([sheet], "csv").decode("utf-8")
    assert text.startswith("\ufeffCanal,Effectif\r\n")
    assert "'=SUM(A1),7\r\nChat,< 5\r\nVide,\r\n" in text
    with pytest.raises(ValueError, match="format de tableau inconnu"):
        spreadsheet_bytes([sheet], "pdf")


def test_a_chart_is_drawn_in_the_pdf_and_embedded_as_svg_in_the_odt():
    from spro.core import charts
    from spro.core.documents import Chart
    from tests.actionplan.pdftext import pdf_text

    svg = str(
        charts.bar_chart(
            "Contacts par canal",
            "Une barre par canal.",
            [charts.Bar("Téléphone – « accueil »", 12, "12"), charts.Bar("Courriel", None, "< 5")],
        )
    )
    doc = Document("Rapport", "", [Chart(svg, "Contacts par canal", "Une barre par canal."), DOC.blocks[-1]])
    text = pdf_text(to_pdf(doc))
    # The chart's own texts are printed (in the shipped font: the dash and the quotes survive), then the table.
    assert "Téléphone – « accueil »\n12\nCourriel\n< 5\nSuivi\nIndicateur" in text
    data = to_odt(doc)
    content = _odf_content(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("Pictures/")]
        assert len(pictures) == 1 and archive.read(pictures[0]).decode() == svg
        assert "image/svg+xml" in archive.read("META-INF/manifest.xml").decode()
    assert f'xlink:href="{pictures[0]}"' in content
    assert (
        "<svg:title>Contacts par canal</svg:title>" in content
        and "<svg:desc>Une barre par canal.</svg:desc>" in content
    )
    assert 'svg:width="17cm"' in content
