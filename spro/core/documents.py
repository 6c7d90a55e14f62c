"""Documents generated offline, for every app: PDF, ODT (text), and ODS, XLSX and CSV (tables), with the Region's theme.

An app describes *what* it says as a neutral `Document` (headings, paragraphs, lists, tables, key/value pairs,
charts) and
this module writes it as PDF (fpdf2, with the DejaVu Sans font shipped in `spro/core/data/` so that every French
character — ’ « » œ € — prints, whatever the server has installed) or ODT (odfpy, editable in LibreOffice or Word).
A `Chart` holds the SVG of `spro.core.charts`: fpdf2 draws it as vector graphics (its
texts in DejaVu Sans), the ODT embeds the SVG itself (LibreOffice and Word open it) with its title and description;
the caller puts the chart's table right after it, its text alternative. Tables of figures go to spreadsheets with
`to_ods`. No external service, no network, no system library: the same
bytes on a laptop and in production. The theme (site name, Region, primary colour) comes from `settings.SPRO_BRAND`.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

FONT_DIR = Path(__file__).resolve().parent / "data"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FORMATS = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
#: The spreadsheet formats of `spreadsheet_bytes` (a table export offers each of them).
SPREADSHEET_FORMATS = ("csv", "ods", "xlsx")

Cell = str | int | float | None

# fontTools logs every subset it makes at INFO: one line per glyph table, for every PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)
# fpdf2 warns at every chart that it does not draw an SVG's <title> and <desc> (they go to the image's alt text).
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 to 3


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    caption: str = ""


@dataclass(frozen=True)
class KeyValues:
    pairs: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Chart:
    """A chart drawn by `spro.core.charts` (its SVG text), named by `title` and told by `description`; never the
    only way to read its figures: the caller follows it with the table it illustrates."""

    svg: str
    title: str
    description: str = ""


Block = Heading | Paragraph | BulletList | Table | KeyValues | Chart


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Sheet:
    """One sheet of a spreadsheet: `name` (at most 31 characters are kept), a header row, then the rows."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def _brand() -> dict[str, str]:
    return dict(getattr(settings, "SPRO_BRAND", {}) or {})


def _rgb(colour: str) -> tuple[int, int, int]:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        colour = "#1f4e8c"
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def format_cell(value: Cell) -> str:
    """A cell as the documents print it: thousands split by a narrow no-break space, a decimal comma."""
    return _text(value)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


# --- PDF -------------------------------------------------------------------------------------------------------------
def to_pdf(doc: Document) -> bytes:
    """The document as PDF (A4, the Region's colour on headings, page numbers, generation date in the footer)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    brand = _brand()
    primary = _rgb(brand.get("primary", ""))
    site = brand.get("name", "")
    region = brand.get("region", "")
    generated = timezone.localtime().strftime("%d/%m/%Y")

    class _Pdf(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "B", 9)
            self.set_text_color(*primary)
            self.cell(0, 6, " — ".join(p for p in (site, region) if p), new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(*primary)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(80, 80, 80)
            self.cell(0, 6, f"Document généré le {generated} — page {self.page_no()}/{{nb}}", align="C")

    pdf = _Pdf(format="A4")
    pdf.set_title(doc.title)
    pdf.set_lang("fr")
    pdf.set_creator(site or "spro")
    pdf.set_author(region or site or "spro")
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("DejaVu", "B", 18)
    pdf.set_text_color(*primary)
    pdf.multi_cell(width, 9, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if doc.subtitle:
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(width, 6, doc.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    for block in doc.blocks:
        if isinstance(block, Heading):
            size = {1: 14, 2: 12}.get(block.level, 11)
            if pdf.will_page_break(30):  # a heading stays with the start of what it introduces
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", size)
            pdf.set_text_color(*primary)
            pdf.multi_cell(width, size * 0.5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, BulletList):
            pdf.set_font("DejaVu", "", 10)
            for item in block.items:
                pdf.multi_cell(width, 5, f"•  {item}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, KeyValues):
            for key, value in block.pairs:
                pdf.set_font("DejaVu", "B", 10)
                pdf.multi_cell(width, 5, key, new_x="LMARGIN", new_y="NEXT")
                pdf.set_font("DejaVu", "", 10)
                pdf.multi_cell(width, 5, value or "—", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, Table):
            # A caption, the header and two rows together: never a caption alone at the end of a page.
            if pdf.will_page_break(22):
                pdf.add_page()
            if block.caption:
                pdf.set_font("DejaVu", "B", 10)
                pdf.multi_cell(width, 5, block.caption, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 9 if len(block.headers) <= 7 else 7.5)
            heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=primary)
            with pdf.table(
                headings_style=heading_style, line_height=5, width=width, text_align="LEFT"
            ) as table:
                header = table.row()
                for title in block.headers:
                    header.cell(title)
                for values in block.rows:
                    row = table.row()
                    for cell_value in values:
                        row.cell(_text(cell_value))
            pdf.ln(3)
        elif isinstance(block, Chart):
            svg, svg_width, svg_height = _printable_svg(block.svg)
            if pdf.will_page_break(6 + width * svg_height / svg_width):  # the title stays with its chart
                pdf.add_page()
            if block.title:
                pdf.set_font("DejaVu", "B", 10)
                pdf.multi_cell(width, 5, block.title, new_x="LMARGIN", new_y="NEXT")
            pdf.image(io.BytesIO(svg.encode("utf-8")), w=width, alt_text=_alt(block))
            pdf.set_font("DejaVu", "", 9)  # the chart chose its own fonts: name ours again for the next block
            pdf.ln(3)
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"bloc inconnu : {block!r}")
    return bytes(pdf.output())


_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _svg_size(svg: str) -> tuple[float, float]:
    match = _VIEWBOX.search(svg)
    if not match:
        raise ValueError("graphique : le SVG n’a pas de viewBox")
    return float(match[1]), float(match[2])


def _printable_svg(svg: str) -> tuple[str, float, float]:
    """The chart with an absolute size (a page has no « 100 % »), its texts in the shipped font (fpdf2 would use
    Helvetica, without ’ « … »), and its vertically centred labels moved down by a third of their size (fpdf2
    ignores `dominant-baseline`)."""
    width, height = _svg_size(svg)
    svg = svg.replace('width="100%"', f'width="{width:g}" height="{height:g}"', 1)
    svg = svg.replace("<text ", '<text font-family="DejaVu" ')
    return svg.replace('dominant-baseline="middle"', 'dy="5"'), width, height


def _alt(chart: Chart) -> str:
    return ". ".join(t for t in (chart.title, chart.description) if t)


# --- ODT -------------------------------------------------------------------------------------------------------------
def to_odt(doc: Document) -> bytes:
    """The document as OpenDocument text, with real heading levels (navigable, accessible) and real tables."""
    from odf import teletype
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TableCellProperties, TextProperties
    from odf.svg import Desc
    from odf.svg import Title as SvgTitle
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, Span

    colour = "#{:02x}{:02x}{:02x}".format(*_rgb(_brand().get("primary", "")))
    odt = OpenDocumentText()
    odt.meta.addElement(_odf_title(doc.title))

    def heading_style(name: str, size: str) -> Style:
        style = Style(name=name, family="paragraph")
        style.addElement(
            TextProperties(fontsize=size, fontweight="bold", color=colour, fontfamily="DejaVu Sans")
        )
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm", keepwithnext="always"))
        odt.styles.addElement(style)
        return style

    title_style = heading_style("Title", "20pt")
    levels = {1: heading_style("Heading_20_1", "15pt"), 2: heading_style("Heading_20_2", "13pt")}
    levels[3] = heading_style("Heading_20_3", "11pt")
    body = Style(name="Text_20_body", family="paragraph")
    body.addElement(TextProperties(fontsize="10.5pt", fontfamily="DejaVu Sans"))
    body.addElement(ParagraphProperties(marginbottom="0.2cm"))
    odt.styles.addElement(body)
    strong = Style(name="Strong", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    odt.styles.addElement(strong)
    head_cell = Style(name="HeaderCell", family="table-cell")
    head_cell.addElement(
        TableCellProperties(backgroundcolor=colour, border="0.5pt solid #808080", padding="0.1cm")
    )
    odt.automaticstyles.addElement(head_cell)
    cell_style = Style(name="Cell", family="table-cell")
    cell_style.addElement(TableCellProperties(border="0.5pt solid #808080", padding="0.1cm"))
    odt.automaticstyles.addElement(cell_style)
    head_text = Style(name="HeaderText", family="paragraph")
    head_text.addElement(TextProperties(fontweight="bold", color="#ffffff", fontsize="9.5pt"))
    odt.automaticstyles.addElement(head_text)

    def paragraph(text: str, style: Style = body) -> P:
        p = P(stylename=style)
        teletype.addTextToElement(p, text)
        return p

    title = H(outlinelevel=1, stylename=title_style)
    teletype.addTextToElement(title, doc.title)
    odt.text.addElement(title)
    if doc.subtitle:
        odt.text.addElement(paragraph(doc.subtitle))
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            h = H(outlinelevel=level + 1, stylename=levels[level])
            teletype.addTextToElement(h, block.text)
            odt.text.addElement(h)
        elif isinstance(block, Paragraph):
            odt.text.addElement(paragraph(block.text))
        elif isinstance(block, BulletList):
            items = List()
            for text in block.items:
                item = ListItem()
                item.addElement(paragraph(text))
                items.addElement(item)
            odt.text.addElement(items)
        elif isinstance(block, KeyValues):
            for key, value in block.pairs:
                p = P(stylename=body)
                span = Span(stylename=strong)
                teletype.addTextToElement(span, f"{key} : ")
                p.addElement(span)
                teletype.addTextToElement(p, value or "—")
                odt.text.addElement(p)
        elif isinstance(block, Table):
            if block.caption:
                odt.text.addElement(paragraph(block.caption))
            table = OdfTable(name=f"Tableau{index + 1}")
            table.addElement(TableColumn(numbercolumnsrepeated=max(len(block.headers), 1)))
            header = TableRow()
            for text in block.headers:
                cell = TableCell(stylename=head_cell, valuetype="string")
                cell.addElement(paragraph(text, head_text))
                header.addElement(cell)
            table.addElement(header)
            for values in block.rows:
                row = TableRow()
                for cell_value in values:
                    cell = TableCell(stylename=cell_style, valuetype="string")
                    cell.addElement(paragraph(_text(cell_value)))
                    row.addElement(cell)
                table.addElement(row)
            odt.text.addElement(table)
        elif isinstance(block, Chart):
            if block.title:
                odt.text.addElement(paragraph(block.title))
            svg_width, svg_height = _svg_size(block.svg)
            href = odt.addPicture(
                f"Pictures/graphique-{index + 1}.svg", "image/svg+xml", block.svg.encode("utf-8")
            )
            frame = Frame(
                name=f"Graphique{index + 1}",
                anchortype="as-char",
                width="17cm",
                height=f"{17 * svg_height / svg_width:.2f}cm",
            )
            frame.addElement(Image(href=href, type="simple", show="embed", actuate="onLoad"))
            frame.addElement(SvgTitle(text=block.title))
            if block.description:
                frame.addElement(Desc(text=block.description))
            holder = P(stylename=body)
            holder.addElement(frame)
            odt.text.addElement(holder)
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"bloc inconnu : {block!r}")
    return _save(odt)


def _odf_title(text: str):
    from odf.dc import Title

    return Title(text=text)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


# --- ODS -------------------------------------------------------------------------------------------------------------
_SHEET_FORBIDDEN = re.compile(r"[\[\]*?:/\\']")


def to_ods(sheets: Sequence[Sheet]) -> bytes:
    """A spreadsheet, one sheet per table: numbers are stored as numbers (sortable, summable), text as text.

    A text cell that starts with = + - @ is stored as a string, never as a formula (spreadsheet injection)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    ods = OpenDocumentSpreadsheet()
    used: set[str] = set()
    for number, sheet in enumerate(sheets, start=1):
        name = _SHEET_FORBIDDEN.sub(" ", sheet.name).strip()[:31] or f"Feuille {number}"
        while name in used:
            name = f"{name[:27]} ({number})"
        used.add(name)
        table = OdfTable(name=name)
        for values in [list(sheet.headers), *sheet.rows]:
            row = TableRow()
            for value in values:
                if isinstance(value, bool) or value is None or isinstance(value, str):
                    text = "" if value is None else str(value)
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=text))
                else:
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                row.addElement(cell)
            table.addElement(row)
        ods.spreadsheet.addElement(table)
    return _save(ods)


# --- XLSX and CSV ------------------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@")


def _safe_text(value: str) -> str:
    """A text a spreadsheet would run as a formula, made inert (a leading apostrophe; spreadsheet injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The same sheets as `to_ods`, in Office Open XML: numbers as numbers, text as text (never a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for number, sheet in enumerate(sheets, start=1):
        name = _SHEET_FORBIDDEN.sub(" ", sheet.name).strip()[:31] or f"Feuille {number}"
        while name in used:
            name = f"{name[:27]} ({number})"
        used.add(name)
        page = book.create_sheet(title=name)
        for values in [list(sheet.headers), *sheet.rows]:
            row: list[Cell] = []
            for value in values:
                if isinstance(value, str):
                    row.append(_safe_text(value))
                elif isinstance(value, bool):
                    row.append("oui" if value else "non")
                else:
                    row.append(value)
            page.append(row)
        for cell in page[1]:
            cell.data_type = "s"  # headers are text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(sheet: Sheet) -> bytes:
    """One sheet as CSV: UTF-8 with a BOM (a spreadsheet opens the accents right), comma-separated, text that
    would start a formula made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_text(str(h)) for h in sheet.headers])
    for values in sheet.rows:
        writer.writerow(["" if v is None else _safe_text(v) if isinstance(v, str) else v for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def spreadsheet_bytes(sheets: Sequence[Sheet], fmt: str) -> bytes:
    """The sheets in `fmt` (`csv`: the first sheet only); ValueError on another format."""
    if fmt == "ods":
        return to_ods(sheets)
    if fmt == "xlsx":
        return to_xlsx(sheets)
    if fmt == "csv":
        return to_csv(sheets[0])
    raise ValueError(f"format de tableau inconnu : {fmt!r}")


# --- HTTP ------------------------------------------------------------------------------------------------------------
def _filename(filename: str, fmt: str) -> str:
    stem = "".join(c for c in filename.rsplit(".", 1)[0] if c.isalnum() or c in "-_") or "document"
    return f"{stem}.{fmt}"


def document_response(doc: Document, fmt: str, filename: str) -> HttpResponse:
    """`doc` as an attachment in `fmt` (`pdf` or `odt`); an unknown format is the caller's bug (ValueError)."""
    if fmt == "pdf":
        content = to_pdf(doc)
    elif fmt == "odt":
        content = to_odt(doc)
    else:
        raise ValueError(f"format de document inconnu : {fmt!r}")
    return _attachment(content, fmt, filename)


def spreadsheet_response(sheets: Sequence[Sheet], filename: str, fmt: str = "ods") -> HttpResponse:
    return _attachment(spreadsheet_bytes(sheets, fmt), fmt, filename)


def _attachment(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(filename, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
