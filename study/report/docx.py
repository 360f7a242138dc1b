"""The report as a Word file (.docx, python-docx): the same document as the HTML page.

Tables are real three-line tables — no vertical rules; a thick rule above the header, a thin one below it
and a thick one below the last row, set as cell borders in the table XML — with the caption above
("表4-1 …" / "Table 4.1 …", the number a Word SEQ field so that Word can build a list of tables) and the
notes below. Figures are PNG pictures drawn from the same shapes as the SVG, numbered with the caption below.

Page layout, as a thesis template expects and as Word, WPS and LibreOffice all render it:

- A4, 2.5 cm margins, the page number centred in the footer (a PAGE field).
- Headings: the chapter ("第4章 …" / "Chapter 4 …") is Heading 1, its sections "4.1" Heading 2 and
  "4.1.1" Heading 3; an unnumbered part (the reference list, the client report's appendix) is Heading 1
  on a new page; in the client report the summary is Heading 1, "A.1" Heading 2.
- Tables have a fixed layout with their column widths written out (``w:tblGrid/w:gridCol``, every
  ``w:tcW`` and ``w:tblW`` in twips): LibreOffice and WPS follow the set widths rather than the content, so
  the widths are computed from the content (:func:`~study.report.layout.column_widths`, with Times New
  Roman's advance widths): no column narrower than its longest word or number, label columns at least
  five characters wide, the room left given to the columns with the most text. Intervals and comparisons hold no-break
  spaces (:func:`~study.report.document.unbreakable`). Rows never split across pages (``w:cantSplit``),
  header rows repeat (``w:tblHeader``), a short table and each block of rows (a construct and its
  items) stay together (``w:keepNext``), and a long table breaks between blocks. A cell spanning rows
  is written in the block's first row, without a vertical merge (see :func:`_table_xml`).
- Text marked italic (:func:`~study.report.document.italic`) is set in italic runs.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from .document import Document, Figure, Paragraph, Section, Table, cell_alignment, grid, segments
from .layout import CELL_MARGIN_TWIPS, fitting_widths

RED = RGBColor(0xB9, 0x1C, 0x1C)
BLACK = RGBColor(0, 0, 0)

PAGE_CM = (21.0, 29.7)
MARGIN_CM = 2.5
TEXT_PT = (PAGE_CM[0] - 2 * MARGIN_CM) / 2.54 * 72  # 453.5 pt of text width


# ------------------------------------------------------------------------------------------- XML helpers

def _fonts(style, latin: str = "Times New Roman", east_asia: str = "SimSun", size: float | None = None) -> None:
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    # Word lets theme fonts (Heading and Title styles name them) win over named ones: drop them
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    if size:
        style.font.size = Pt(size)


def _el(tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _runs(par, text: str, *, size: float | None = None, bold: bool | None = None, color=None) -> None:
    """Add ``text`` to a paragraph as runs, the stretches marked italic in italic runs."""
    for piece, is_italic in segments(text):
        _format_run(par.add_run(piece), is_italic, size, bold, color)


def _format_run(run, italic: bool, size: float | None, bold: bool | None, color) -> None:
    if italic:
        run.italic = True
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if color is not None:
        run.font.color.rgb = color


# Table cells: the paragraph and run properties are made once per combination by python-docx's own
# property setters (on a paragraph outside the document), and their XML text goes into every cell of that
# look (see _table_xml).

def _cell_paragraph(alignment, keep_with_next: bool):
    """The w:pPr of a table cell's paragraph, as python-docx's setters make it."""
    p = DocxParagraph(OxmlElement("w:p"), None)
    p.alignment = alignment
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(2), Pt(2), 1.0
    fmt.first_line_indent = Pt(0)
    fmt.keep_with_next = keep_with_next
    fmt.keep_together = True
    return p._p.pPr


@cache
def _run_properties(italic: bool, size: float | None, bold: bool | None, color) -> object | None:
    """The w:rPr that :func:`_runs` gives a run (None: it gives none); shared: copy it before changing it."""
    run = DocxParagraph(OxmlElement("w:p"), None).add_run("x")
    _format_run(run, italic, size, bold, color)
    return run._r.rPr


def _field(par, instruction: str, shown: str) -> None:
    """A complex field (w:fldChar begin/separate/end) in a paragraph, e.g. PAGE, showing ``shown`` until the
    reader updates it; Word, WPS and LibreOffice compute it on opening."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("shown", shown), ("end", None)):
        r = OxmlElement("w:r")
        if kind in ("begin", "separate", "end"):
            r.append(_el("w:fldChar", fldCharType=kind))
        elif kind == "instr":
            t = OxmlElement("w:instrText")
            t.set(qn("xml:space"), "preserve")
            t.text = f" {text} "
            r.append(t)
        else:
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
        par._p.append(r)


# The ids of the styles the report uses, in python-docx's template (tests/test_docx_cells.py checks them)
STYLE_IDS = {"Caption": "Caption", "List Bullet": "ListBullet", "Title": "Title",
             **{f"Heading {level}": f"Heading{level}" for level in range(1, 10)}}


def _styled(docx, style: str):
    """``docx.add_paragraph(style=style)`` without python-docx's search of the styles by name at every call
    (an XPath over all of them: a tenth of the time of the whole Word file)."""
    p = docx.add_paragraph()
    p._p.style = STYLE_IDS[style]
    return p


def _caption(docx, label: str, number_text: str, title: str, above: bool) -> None:
    """A caption paragraph: the label ("表4-" / "Table 4."), a SEQ field holding the number, the title."""
    p = _styled(docx, "Caption")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = above
    p.paragraph_format.space_before = Pt(6 if above else 2)
    p.paragraph_format.space_after = Pt(3 if above else 8)
    run = p.add_run(label)
    run.bold = True
    chapter = re.sub(r"^(Table|Figure|表|图)\s*", "", label).strip("-. ")
    seq_name = ("Table" if number_text.startswith(("Table", "表")) else "Figure") + re.sub(r"[^A-Za-z0-9]", "", chapter)
    fld = _el("w:fldSimple", instr=f" SEQ {seq_name} \\* ARABIC ")
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    rpr.append(_el("w:color", val="000000"))  # the Caption style is blue; the whole caption is black
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = re.search(r"(\d+)$", number_text).group(1)
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    _runs(p, " " + title, bold=True)
    for run in p.runs:
        run.font.color.rgb = BLACK


def _split_number(number: str) -> str:
    """'表4-3' -> '表4-', 'Table 4.3' -> 'Table 4.', 'Figure 2' -> 'Figure '."""
    if "-" in number:
        return number.rsplit("-", 1)[0] + "-"
    if "." in number:
        return number.rsplit(".", 1)[0] + "."
    return number.rstrip("0123456789")


# ------------------------------------------------------------------------------------------- tables

def _twips(pt: float) -> int:
    return int(round(pt * 20))


def _keep_rows(table: Table) -> list[bool]:
    """For each row, whether it stays on the page of the next row (``w:keepNext``): the header rows, the
    rows of a block (a construct and its items) but its last, every row of a short table, the first two
    and the last two blocks of a long one, and the last row when notes follow."""
    nhead = len(table.head)
    nrows = nhead + len(table.body)
    keep = [r < nhead for r in range(nrows)]
    if table.short():
        keep = [True] * nrows
    else:
        blocks = table.blocks()
        for block in blocks:
            for i in block[:-1]:
                keep[nhead + i] = True
        for block in blocks[:2] + blocks[-2:-1]:
            for i in block:
                keep[nhead + i] = True
    keep[-1] = bool(table.notes)
    return keep


# A table is written as one XML string and parsed once: built through python-docx's objects (add_table, merge,
# a property at a time) it took two thirds of the Word file's time. tests/test_docx_cells.py checks that the
# XML is the very XML those calls make (tests/docx_reference.py keeps them).
_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>'
    + "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
    + "".join(f'<w:{edge} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for edge in ("left", "right"))
    + '</w:tblCellMar><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
      'w:noVBand="1" w:val="04A0"/></w:tblPr>')
_NAMESPACES = re.compile(r' xmlns:\w+="[^"]*"')


def _xml_text(element) -> str:
    """An element as XML text without namespace declarations (the table's root declares them)."""
    return _NAMESPACES.sub("", etree.tostring(element, encoding="unicode"))


@cache
def _paragraph_properties_xml(alignment, keep_with_next: bool) -> str:
    return _xml_text(_cell_paragraph(alignment, keep_with_next))


@cache
def _run_properties_xml(italic: bool, size: float | None, bold: bool | None, color) -> str:
    rpr = _run_properties(italic, size, bold, color)
    return "" if rpr is None else _xml_text(rpr)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"([\t\r\n])")


def _runs_xml(text: str, *, size: float | None, bold: bool | None, color) -> str:
    """The runs of a table cell's paragraph (italic stretches in italic runs) as XML text: what python-docx's
    ``add_run`` and run properties make of them. Its run text setter's rule: a tab is a w:tab, a carriage
    return or line feed a w:br, the text between them a w:t (space preserved when it starts or ends with
    white space). Text XML cannot hold is refused with lxml's own error, as python-docx refused it."""
    out = []
    for piece, is_italic in segments(text):
        if _NOT_XML.search(piece):
            raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
                             f"characters (table cell {text!r})")
        content = []
        for part in _BREAKS.split(piece):
            if part == "\t":
                content.append("<w:tab/>")
            elif part in ("\r", "\n"):
                content.append("<w:br/>")
            elif part:
                space = ' xml:space="preserve"' if len(part.strip()) < len(part) else ""
                content.append(f"<w:t{space}>{xml_escape(part)}</w:t>")
        out.append(f"<w:r>{_run_properties_xml(is_italic, size, bold, color)}{''.join(content)}</w:r>")
    return "".join(out)


def _border_xml(edges: dict[str, int]) -> str:
    if not edges:
        return ""
    return "<w:tcBorders>" + "".join(
        f'<w:{edge} w:val="single" w:sz="{edges[edge]}" w:space="0" w:color="000000"/>'
        for edge in ("top", "bottom") if edge in edges) + "</w:tcBorders>"


def _table_xml(table: Table, size: float, widths_pt: list[float]) -> str:
    """The w:tbl of a table. Fixed layout with every width written out in twips (the grid, each cell with its
    span summed, the table), so that Word, WPS and LibreOffice lay the table out alike; a thick rule above the
    header, a thin one below it and a thick one below the last row, as cell borders; rows never split
    (w:cantSplit), header rows repeat (w:tblHeader), rows kept with the next as :func:`_keep_rows` says.
    Cells are merged across columns only: a cell spanning rows is written in its first row and the cells
    below it are left empty (a three-line table has no inner rules, so it reads the same, and LibreOffice 7
    mislays vertically merged cells when a page break falls in a table whose rows are kept with the next)."""
    ncols, placed = grid(table)
    head_n = len(table.head)
    nrows = head_n + len(table.body)
    twips = [_twips(w) for w in widths_pt]
    align = cell_alignment(table)
    keep = _keep_rows(table)
    starts = {(r, c): cell for line in placed for cell, r, c in line}
    out = [f"<w:tbl {nsdecls('w')}>", _TABLE_PROPERTIES.format(width=sum(twips)), "<w:tblGrid>",
           *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"]
    for r in range(nrows):
        edges = {}
        if r == 0:
            edges["top"] = 12
        if r == nrows - 1:
            edges["bottom"] = 12
        elif r == head_n - 1:
            edges["bottom"] = 6
        borders = _border_xml(edges)
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < head_n else "") + "</w:trPr>")
        c = 0
        while c < ncols:
            cell = starts.get((r, c))
            span = cell.colspan if cell is not None else 1
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(twips[c:c + span])}" w:type="dxa"/>'
                       + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
                       + f'{borders}<w:vAlign w:val="center"/></w:tcPr>')
            if cell is None:  # below a cell spanning rows
                out.append("<w:p/></w:tc>")
            else:
                alignment = WD_ALIGN_PARAGRAPH.LEFT if align[id(cell)] == "left" else WD_ALIGN_PARAGRAPH.CENTER
                bold = r < head_n or cell.strong or cell.bad
                out.append("<w:p>" + _paragraph_properties_xml(alignment, keep[r])
                           + _runs_xml(cell.shown, size=size, bold=True if bold else None,
                                       color=RED if cell.bad else None) + "</w:p></w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _add_table(docx, table: Table, labels: dict, lang: str, text_width_pt: float = TEXT_PT) -> None:
    _caption(docx, _split_number(table.number), table.number, table.title, above=True)
    size, widths = fitting_widths(table, text_width_pt)
    docx.element.body._insert_tbl(parse_xml(_table_xml(table, size, widths)))
    for i, note in enumerate(table.notes):
        p = docx.add_paragraph()
        _runs(p, note, size=9)
        fmt = p.paragraph_format
        fmt.space_before = Pt(2 if i == 0 else 0)
        fmt.space_after = Pt(1)
        fmt.first_line_indent = Pt(0)
        fmt.keep_with_next = i < len(table.notes) - 1 or bool(table.reading)
    if table.reading:
        p = docx.add_paragraph()
        p.add_run(labels["how_to_read"] + _after_lead("plain", labels, lang)).bold = True
        _runs(p, table.reading)
        p.paragraph_format.keep_with_next = True
        p = docx.add_paragraph()
        p.add_run(labels["formula"] + _after_lead("plain", labels, lang)).bold = True
        _runs(p, table.formula or "")
    docx.add_paragraph().paragraph_format.space_after = Pt(4)


# ------------------------------------------------------------------------------------------- other blocks

def _add_figure(docx, fig: Figure, width_cm: float, png: bytes) -> None:
    p = docx.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.first_line_indent = Pt(0)
    width = min(width_cm, fig.canvas.width / 96 * 2.54)
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    _caption(docx, _split_number(fig.number), fig.number, fig.title, above=False)
    for note in fig.notes:
        q = docx.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        q.paragraph_format.first_line_indent = Pt(0)
        _runs(q, note, size=9)


def _after_lead(kind: str, labels: dict, lang: str) -> str:
    """What follows a bold lead phrase: the document's ``lead_end`` (a box) or ``lead_colon`` label ("：" in
    Chinese; ". " or ": " in English)."""
    key = "lead_end" if kind in ("notice", "warning") else "lead_colon"
    default = "：" if lang == "zh" else ". " if key == "lead_end" else ": "
    return labels.get(key, default)


def _add_paragraph(docx, b: Paragraph, labels: dict, lang: str) -> None:
    if b.kind == "list":
        p = docx.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(0)
        _runs(p, b.lead, bold=True)
        if not b.items:
            _runs(docx.add_paragraph(), b.text)
        for item in b.items:
            q = _styled(docx, "List Bullet")
            q.paragraph_format.first_line_indent = Pt(0)
            _runs(q, item)
        return
    if b.kind == "references":  # hanging indent, as reference lists are set
        for item in b.items:
            q = docx.add_paragraph()
            q.paragraph_format.left_indent = Cm(0.74)
            q.paragraph_format.first_line_indent = Cm(-0.74)
            q.paragraph_format.space_after = Pt(2)
            _runs(q, item)
        return
    p = docx.add_paragraph()
    if b.kind in ("notice", "warning"):  # a box, not body text; a warning stays with what it warns about
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.keep_with_next = b.kind == "warning"
    if b.lead:
        _runs(p, b.lead + _after_lead(b.kind, labels, lang), bold=True,
              color=RED if b.kind == "warning" else None)
    _runs(p, b.text)


def heading_level(section: Section) -> int:
    """Word heading level of a section: a part (the client report's appendix) and an unnumbered or
    one-number section ("1 Summary") 1; "4.1" 2; "4.1.1" (or a section of level 3) 3."""
    if section.level == 1:
        return 1
    if section.level >= 3:
        return 3
    return min(3, section.number.count(".") + 1)


def _chapter_heading(doc: Document) -> str | None:
    """"第4章 title" / "Chapter 4 title" for a thesis chapter (sections numbered in a numeric chapter)."""
    chapters = {s.chapter for s in doc.sections if s.level != 1}
    if doc.audience == "client" or len(chapters) != 1:
        return None
    (chapter,) = chapters
    if not chapter.isdigit():
        return None
    return f"第{chapter}章 {doc.title}" if doc.lang == "zh" else f"Chapter {chapter} {doc.title}"


def _styles(d, lang: str) -> None:
    east = "SimSun"
    _fonts(d.styles["Normal"], east_asia=east, size=10.5)
    normal = d.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(4), 1.15
    if lang == "zh":  # Chinese body text: the first line indented by two characters
        normal.first_line_indent = Pt(21)
    for name, size, centre in (("Title", 18, True), ("Heading 1", 16, True), ("Heading 2", 14, False),
                               ("Heading 3", 12, False)):
        style = d.styles[name]
        _fonts(style, east_asia="SimHei", size=size)
        style.font.color.rgb = BLACK
        style.font.bold = True
        style.font.italic = False
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.keep_with_next = True
        fmt.space_before, fmt.space_after = Pt(size * 0.9), Pt(size * 0.5)
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
        ppr = style.element.pPr
        if ppr is not None and ppr.find(qn("w:pBdr")) is not None:  # the default Title's blue rule
            ppr.remove(ppr.find(qn("w:pBdr")))
    for name in ("Caption", "List Bullet"):
        _fonts(d.styles[name], east_asia=east)
    caption = d.styles["Caption"]
    caption.font.size = Pt(10.5)
    caption.font.italic = False
    caption.paragraph_format.first_line_indent = Pt(0)


def _page(d) -> None:
    section = d.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    section.footer_distance = Cm(1.5)
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    _field(p, "PAGE", "1")
    for run in p.runs:
        run.font.size = Pt(9)


def build_docx(doc: Document):
    """A python-docx Document of the report."""
    # The figures' PNG files are drawn and compressed by a thread while this one builds the document: Pillow
    # lets go of the interpreter while it compresses, which is most of the 0.2 s the figures take.
    with ThreadPoolExecutor(max_workers=1) as drawing:
        pngs = {id(b): drawing.submit(b.canvas.to_png, scale=2.0)
                for s in doc.sections for b in s.blocks if isinstance(b, Figure)}
        return _build_docx(doc, pngs)


def _build_docx(doc: Document, pngs: dict):
    d = new_docx()
    _page(d)
    _styles(d, doc.lang)
    text_width_cm = PAGE_CM[0] - 2 * MARGIN_CM
    if doc.logo and doc.logo[0] in ("image/png", "image/jpeg", "image/gif"):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(doc.logo[1]), height=Cm(1.8))
    chapter = _chapter_heading(doc)
    title = _styled(d, "Heading 1" if chapter else "Title")
    _runs(title, chapter or doc.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc.subtitle:
        sub = d.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.paragraph_format.first_line_indent = Pt(0)
        _runs(sub, doc.subtitle)
    for b in doc.front:
        _add_paragraph(d, b, doc.labels, doc.lang)
    for s in doc.sections:
        level = heading_level(s)
        h = _styled(d, f"Heading {level}")
        # a part starts a new page: "page break before" on its heading, not a page-break paragraph, which
        # leaves a blank page when the page before is exactly full
        h.paragraph_format.page_break_before = s.level == 1
        _runs(h, s.title if s.level == 1 else s.heading)
        for b in s.blocks:
            if isinstance(b, Table):
                _add_table(d, b, doc.labels, doc.lang)
            elif isinstance(b, Figure):
                _add_figure(d, b, text_width_cm, pngs[id(b)].result())
            else:
                _add_paragraph(d, b, doc.labels, doc.lang)
    if doc.footer:  # what made the file (client and class editions; a thesis chapter carries none)
        foot = d.add_paragraph()
        foot.paragraph_format.first_line_indent = Pt(0)
        _runs(foot, doc.footer, size=8)
    return d


def write_docx(doc: Document, path: Path) -> Path:
    build_docx(doc).save(str(path))
    return Path(path)
