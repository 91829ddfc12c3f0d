"""The layout of a Party document, shared by every Word file the tool writes:
the draft of a periodic report (:mod:`~nq28_analysis.reports.draft`) and the
reminder letters (:mod:`~nq28_analysis.reports.letters`).

The layout follows Hướng dẫn 36-HD/VPTW on the format of Party documents as
commonly applied: A4, margins 20/20/30/15 mm (top, bottom, left, right),
Times New Roman throughout (the East Asian font too), body text 14 pt,
justified, first line indented 1 cm; a borderless two-column header block
(issuer on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date on
the right, the number under the issuer); the signature block and the list of
recipients side by side; page numbers at the top centre of every page but
the first.

Every word naming the organisation comes from
:class:`~nq28_analysis.reference.catalog.Settings`. A document saved with
:func:`write_docx` has the same bytes for the same content: the zip entries
carry the given date, never the clock.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..common.files import write_file
from ..common.formatting import is_missing
from ..reference.catalog import BLANK, Issuer, Settings

__all__ = [
    "BLOCK_STYLE",
    "BODY_PT",
    "FONT",
    "MARGINS_MM",
    "RED",
    "SIGNER_PLACEHOLDER",
    "TABLE_PT",
    "TABLE_STYLE",
    "TASK_TEXT_CHARS",
    "TEXT_WIDTH_CM",
    "bullet_lines",
    "cell_text",
    "clean",
    "date_line",
    "draft_mark",
    "grid",
    "header_block",
    "no_borders",
    "para",
    "para_in",
    "recipient_lines",
    "row_flags",
    "run",
    "set_properties",
    "setup_page",
    "shorten",
    "signature",
    "widths",
    "write_docx",
]

#: The one typeface of the document.
FONT = "Times New Roman"
#: Body text size (points).
BODY_PT = 14
#: Table text size (points).
TABLE_PT = 12
#: Page margins in millimetres.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}

#: Where the signer's name goes (highlighted: the Board writes it).
SIGNER_PLACEHOLDER = "[Họ và tên]"
#: The width of the text on a portrait page (cm).
TEXT_WIDTH_CM = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
#: The red of the sample-data banner.
RED = RGBColor(0xC0, 0x00, 0x00)
#: How many characters of a task's text a table cell shows (see :func:`shorten`).
TASK_TEXT_CHARS = 90
#: The paragraph style of table cells.
TABLE_STYLE = "NQ28 Bảng"
#: The paragraph style of the centred header and signature blocks.
BLOCK_STYLE = "NQ28 Khối"
# Characters XML 1.0 cannot hold (a pasted form feed, a stray NUL…).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# The organisation's words (issuer, place, recipients, signer) are settings.
def bullet_lines(names: Sequence[str]) -> tuple[str, ...]:
    """Lines of a «Nơi nhận» list: ``- …,`` each, the last ``- ….`` (``…`` when empty)."""
    names = tuple(names) or (BLANK,)
    return (*(f"- {name}," for name in names[:-1]), f"- {names[-1]}.")


def recipient_lines(issuer: Issuer) -> tuple[str, ...]:
    """The recipients' lines of a report's signature block: ``- …,`` each, the last ``- ….``."""
    return bullet_lines(issuer.recipients)


# --- page, styles --------------------------------------------------------------------


def setup_page(document: DocxDocument) -> None:
    """A4 portrait with the Party margins, the styles and the page numbers."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    _styles(document)
    _page_numbers(section)


def _set_fonts(rpr) -> None:
    """Times New Roman for every script of ``rpr``, theme fonts removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    # Document defaults: Times New Roman, Vietnamese, 14 pt.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    language = rpr.find(qn("w:lang"))
    language.set(qn("w:val"), "vi-VN")
    language.set(qn("w:eastAsia"), "vi-VN")
    # No theme font or theme colour left in any style.
    for rfonts in styles.element.iter(qn("w:rFonts")):
        _set_fonts(rfonts.getparent())

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    body = normal.paragraph_format
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.first_line_indent = Cm(1)
    body.line_spacing = 1.2
    body.space_before = Pt(0)
    body.space_after = Pt(6)
    body.widow_control = True

    for level, before in ((1, 12), (2, 6), (3, 6)):
        heading = styles[f"Heading {level}"]
        heading.font.name = FONT
        heading.font.size = Pt(BODY_PT)
        heading.font.bold = True
        heading.font.italic = level == 3
        heading.font.color.rgb = RGBColor(0, 0, 0)
        color = heading.element.rPr.find(qn("w:color"))
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attribute), None)
        layout = heading.paragraph_format
        layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        layout.first_line_indent = Cm(1)
        layout.space_before = Pt(before)
        layout.space_after = Pt(6)
        layout.keep_with_next = True

    table = styles.add_style(TABLE_STYLE, 1)  # WD_STYLE_TYPE.PARAGRAPH
    table.base_style = normal
    table.font.size = Pt(TABLE_PT)
    layout = table.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.LEFT
    layout.first_line_indent = Cm(0)
    layout.line_spacing = 1.0
    layout.space_before = Pt(2)
    layout.space_after = Pt(2)

    block = styles.add_style(BLOCK_STYLE, 1)
    block.base_style = normal
    layout = block.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout.first_line_indent = Cm(0)
    layout.line_spacing = 1.0
    layout.space_before = Pt(0)
    layout.space_after = Pt(0)


def _page_numbers(section) -> None:
    """The page number at the top centre of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.style = BLOCK_STYLE
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "2")):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def set_properties(
    document: DocxDocument,
    settings: Settings,
    stamp: date,
    *,
    title: str,
    subject: str,
    keywords: str,
    comments: str,
    category: str,
) -> None:
    """The document's properties: the issuer (``settings``) as author, every
    date ``stamp`` (never the clock), so that the same content gives the
    same bytes."""
    when = datetime.combine(stamp, time(), tzinfo=UTC)
    properties = document.core_properties
    properties.author = settings.issuer_name
    properties.last_modified_by = settings.issuer_name
    properties.title = title
    properties.subject = subject
    properties.keywords = keywords
    properties.comments = comments
    properties.category = category
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1


# --- writing helpers ---------------------------------------------------------------------


def clean(text: object) -> str:
    """``text`` as a string XML can hold; line breaks kept as ``\\n``."""
    if is_missing(text):
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
    underline: bool | None = None,
    color: RGBColor | None = None,
    highlight: bool = False,
):
    """A run of ``text`` (cleaned) at the end of ``paragraph``, formatted as asked."""
    made = paragraph.add_run(clean(text))
    if bold is not None:
        made.bold = bold
    if italic is not None:
        made.italic = italic
    if size is not None:
        made.font.size = Pt(size)
    if underline:
        made.font.underline = WD_UNDERLINE.SINGLE
    if color is not None:
        made.font.color.rgb = color
    if highlight:
        made.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return made


def para(
    container,
    text: str = "",
    *,
    style: str | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: float | None = None,
    before: float | None = None,
    after: float | None = None,
    keep: bool = False,
    **words,
) -> Paragraph:
    """A paragraph in ``container`` (document or cell) holding ``text`` as one run."""
    paragraph = container.add_paragraph(style=style)
    layout = paragraph.paragraph_format
    if align is not None:
        layout.alignment = align
    if indent is not None:
        layout.first_line_indent = Cm(indent)
    if before is not None:
        layout.space_before = Pt(before)
    if after is not None:
        layout.space_after = Pt(after)
    if keep:
        layout.keep_with_next = True
    if text:
        run(paragraph, text, **words)
    return paragraph


def table_style_id(part) -> str | None:
    """The id of the paragraph style ``TABLE_STYLE`` in ``part``'s document
    (``None``: the style is the document's default). python-docx finds a
    style by name by walking every style, twice per paragraph: a big table
    looks it up once and hands the id to :func:`cell_text`."""
    return part.get_style_id(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)


def cell_text(
    cell: _Cell, text: str, *, align=None, style_id: str | None = None, **words
) -> Paragraph:
    """Write ``text`` into ``cell`` (into its first paragraph while that is
    empty) in ``TABLE_STYLE``; ``style_id`` is that style's id when the
    caller looked it up once (:func:`table_style_id`)."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text:
        paragraph = paragraphs[0]
    else:
        paragraph = cell.add_paragraph()
    if style_id:
        paragraph._p.get_or_add_pPr().style = style_id
    else:
        paragraph.style = TABLE_STYLE
    if align is not None:
        paragraph.paragraph_format.alignment = align
    if text:
        run(paragraph, text, **words)
    return paragraph


def widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, for Word (cell widths) and LibreOffice (the grid)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def no_borders(table: Table) -> None:
    """A table drawn without any border (header and signature blocks)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    # Word wants the children of tblPr in schema order: borders before these.
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def row_flags(row, header: bool = False) -> None:
    """Rows never split across pages; a header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def grid(
    container,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths_cm: Sequence[float],
    centred: Sequence[int] = (),
    bold_rows: Iterable[int] = (),
) -> Table:
    """A bordered table: a bold header row repeated on every page, then
    ``rows`` of text; the columns listed in ``centred`` (numbers, rates,
    dates) are centred, the rows listed in ``bold_rows`` bold."""
    rows = [list(r) for r in rows]
    table = container.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    widths(table, widths_cm)
    bold_rows = set(bold_rows)
    style_id = table_style_id(table.part)  # once per table, not once per cell
    header = table.rows[0]
    for cell, text in zip(header.cells, headers, strict=True):
        cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, style_id=style_id)
    row_flags(header, header=True)
    for index, (row, values) in enumerate(zip(table.rows[1:], rows, strict=True)):
        row_flags(row)
        bold = True if index in bold_rows else None
        cells = row.cells
        for column, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.CENTER if column in centred else None
            cell_text(cells[column], text, align=align, bold=bold, style_id=style_id)
    return table


def shorten(text: str, limit: int = TASK_TEXT_CHARS) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with `` …``."""
    text = " ".join(clean(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + " …"


# --- header block, signature ---------------------------------------------------------


def date_line(settings: Settings, when: date) -> str:
    """The place and date of a dated document: «Quảng Ngãi, ngày 05 tháng 02
    năm 2025» — a day below 10 and the months 1 and 2 with a leading zero,
    as Party documents write them.

    >>> from nq28_analysis.common.periods import parse_period
    >>> settings = Settings(parse_period("2022-Q4"), place="Quảng Ngãi")
    >>> date_line(settings, date(2025, 2, 5)), date_line(settings, date(2025, 7, 30))
    ('Quảng Ngãi, ngày 05 tháng 02 năm 2025', 'Quảng Ngãi, ngày 30 tháng 7 năm 2025')
    """
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"{settings.place or BLANK}, ngày {when.day:02d} tháng {month} năm {when.year}"


def header_block(
    document: DocxDocument,
    issuer: Issuer,
    number: str,
    dated: str,
    about: Sequence[str] = (),
) -> Table:
    """The borderless header: the issuer (its direct superior above its name,
    when it has one, then "*") over ``number`` on the left, with a letter's
    subject lines ``about`` («V/v …», 12 pt) under the number; "ĐẢNG CỘNG SẢN
    VIỆT NAM" over the place and date ``dated`` on the right."""
    table = document.add_table(rows=2, cols=2)
    no_borders(table)
    widths(table, (8.0, TEXT_WIDTH_CM - 8.0))
    left, right = table.rows[0].cells
    if issuer.parent:
        para_in(left, issuer.parent.upper())
    para_in(left, (issuer.name or BLANK).upper(), bold=True)
    para_in(left, "*")
    para_in(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    left, right = table.rows[1].cells
    para_in(left, number, before=6)
    for line in about:
        para_in(left, line, size=12)
    para_in(right, dated, italic=True, before=6)
    return table


def draft_mark(document: DocxDocument) -> Paragraph:
    """«DỰ THẢO» in a box at the top right of the first page (a draft's mark)."""
    paragraph = para(document, "", after=6)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.first_line_indent = Cm(0)
    box = run(paragraph, " DỰ THẢO ", bold=True)
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"), ("w:color", "auto")):
        border.set(qn(key), value)
    box._r.get_or_add_rPr().append(border)
    return paragraph


def para_in(cell: _Cell, text: str, before: float | None = None, **words) -> Paragraph:
    """A centred line of the header or signature block in ``cell``."""
    if len(cell.paragraphs) == 1 and not cell.paragraphs[0].text:
        paragraph = cell.paragraphs[0]
        paragraph.style = BLOCK_STYLE
    else:
        paragraph = cell.add_paragraph(style=BLOCK_STYLE)
    if before is not None:
        paragraph.paragraph_format.space_before = Pt(before)
    if text:
        run(paragraph, text, **words)
    return paragraph


def signature(document: DocxDocument, issuer: Issuer, recipients: Sequence[str]) -> Table:
    """«Nơi nhận:» (14 pt, underlined) over the ``recipients`` lines (12 pt) on
    the left; the signature block's lines of ``issuer`` (authority and the
    signer's title, upper case, bold), room to sign and the name placeholder
    on the right (Hướng dẫn 36-HD/VPTW, appendix 3)."""
    para(document, "", after=0)
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, (8.0, TEXT_WIDTH_CM - 8.0))
    row_flags(table.rows[0])
    left, right = table.rows[0].cells
    heading = para_in(left, "Nơi nhận:", underline=True)
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for line in recipients:
        paragraph = para_in(left, line, size=12)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for title in issuer.signer_titles or (BLANK,):
        para_in(right, title.upper(), bold=True)
    for _ in range(4):
        para_in(right, "").add_run("")
    para_in(right, SIGNER_PLACEHOLDER, bold=True, highlight=True)
    return table


# --- saving -------------------------------------------------------------------------------


def write_docx(document: DocxDocument, path: Path, stamp: date) -> Path:
    """Save ``document`` to ``path``, whole or not at all (a temporary file
    renamed into place), every zip entry dated ``stamp``; return ``path``."""
    return write_file(path, _stable_zip(_save(document), stamp))


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _stable_zip(blob: bytes, stamp: date) -> bytes:
    """``blob`` re-zipped with every entry dated ``stamp`` (python-docx uses the clock)."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()
