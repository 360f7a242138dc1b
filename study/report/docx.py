"""The report as a Word file (.docx, python-docx): the same document as the HTML page.

Tables are real three-line tables — no vertical rules; a thick rule above the header, a thin one below it
and a thick one below the last row, set as cell borders in the table XML — with the caption above
("表4-1 …" / "Table 4.1 …", the number a Word SEQ field so that Word can build a list of tables) and the
notes below. Figures are PNG pictures drawn from the same shapes as the SVG, numbered with the caption below.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .document import Document, Figure, Paragraph, Table, plain, segments

RED = RGBColor(0xB9, 0x1C, 0x1C)


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


def _borders(tc, **edges) -> None:
    """Set the borders of a cell (a w:tc element), e.g. top=12 (eighths of a point); 0 removes the edge."""
    tcpr = tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    for edge in ("top", "left", "bottom", "right"):
        size = edges.get(edge)
        if size is None:
            continue
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            borders.append(el)
        if size:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")


def _no_table_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _caption(docx, label: str, number_text: str, title: str, above: bool) -> None:
    """A caption paragraph: the label ("表4-" / "Table 4."), a SEQ field holding the number, the title."""
    p = docx.add_paragraph(style="Caption")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = above
    run = p.add_run(label)
    run.bold = True
    chapter = re.sub(r"^(Table|Figure|表|图)\s*", "", label).strip("-. ")
    seq_name = ("Table" if number_text.startswith(("Table", "表")) else "Figure") + re.sub(r"[^A-Za-z0-9]", "", chapter)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" SEQ {seq_name} \\* ARABIC ")
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    color = OxmlElement("w:color")  # the Caption style is blue; the whole caption is black
    color.set(qn("w:val"), "000000")
    rpr.append(color)
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = re.search(r"(\d+)$", number_text).group(1)
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    for tail in _add_text(p, " " + title):
        tail.bold = True
    for run in p.runs:
        run.font.color.rgb = RGBColor(0, 0, 0)


def _split_number(number: str) -> str:
    """'表4-3' -> '表4-', 'Table 4.3' -> 'Table 4.', 'Figure 2' -> 'Figure '."""
    if "-" in number:
        return number.rsplit("-", 1)[0] + "-"
    if "." in number:
        return number.rsplit(".", 1)[0] + "."
    return number.rstrip("0123456789")


def _grid(table: Table) -> tuple[int, list[list]]:
    """Place the cells of head and body on a grid: (columns, rows of (cell, row, col) anchors)."""
    rows = table.head + table.body
    occupied: dict[tuple[int, int], bool] = {}
    placed = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        line = []
        for cell in row:
            while occupied.get((r, c)):
                c += 1
            line.append((cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, c + dc)] = True
            c += cell.colspan
            ncols = max(ncols, c)
        placed.append(line)
    ncols = max([ncols] + [c + 1 for (r, c) in occupied])
    return ncols, placed


CHAR_CM = 0.17  # average width of a 9-pt character (digits are 0.5 em); CJK characters are twice as wide
CELL_PADDING_CM = 0.45  # Word's default left and right cell margins, and a little air


def _text_cm(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) * CHAR_CM + CELL_PADDING_CM


def _column_widths(placed: list[list], ncols: int, total_cm: float) -> list[float]:
    """Column widths in cm: every column at least as wide as its longest word (so that labels and numbers
    do not break mid-word), and the room left shared out towards each column's longest text."""
    least = [0.8] * ncols
    wish = [0.8] * ncols
    for line in placed:
        for cell, _, c in line:
            if cell.colspan == 1:
                # Chinese text may break between any two characters; other words must stay whole
                words = re.findall(r"[^\s\u2e80-\uffff]+|[\u2e80-\uffff]", plain(cell.text)) or [""]
                least[c] = max(least[c], max(_text_cm(w) for w in words))
                wish[c] = max(wish[c], min(_text_cm(plain(cell.text)), 10.0))
    wish = [max(w, m) for w, m in zip(wish, least)]
    if sum(least) >= total_cm:
        return [w * total_cm / sum(least) for w in least]
    if sum(wish) <= total_cm:  # everything fits on one line: share the rest in proportion
        return [w * total_cm / sum(wish) for w in wish]
    room = total_cm - sum(least)
    extra = [w - m for w, m in zip(wish, least)]
    return [m + room * e / sum(extra) for m, e in zip(least, extra)]


def _add_table(docx, table: Table, labels: dict, text_width_cm: float = 16.0) -> None:
    _caption(docx, _split_number(table.number), table.number, table.title, above=True)
    ncols, placed = _grid(table)
    nrows = len(table.head) + len(table.body)
    wt = docx.add_table(rows=nrows, cols=ncols)
    wt.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_table_borders(wt)
    # merge first: python-docx's cell lookup reads the whole grid each time, so it is read once before the
    # merges (they are disjoint, so their corner cells survive the earlier ones) and once after
    flat = wt._cells
    before = [flat[r * ncols:(r + 1) * ncols] for r in range(nrows)]
    for line in placed:
        for cell, r, c in line:
            if cell.rowspan > 1 or cell.colspan > 1:
                before[r][c].merge(before[r + cell.rowspan - 1][c + cell.colspan - 1])
    flat = wt._cells
    grid = [flat[r * ncols:(r + 1) * ncols] for r in range(nrows)]
    widths = _column_widths(placed, ncols, text_width_cm)
    wt.autofit = False
    for c, width in enumerate(widths):
        wt.columns[c].width = Cm(width)
        for row in grid:
            row[c].width = Cm(width)
    for r, tr in enumerate(wt._tbl.tr_lst):
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))  # a row stays on one page
        if r < len(table.head):
            trpr.append(OxmlElement("w:tblHeader"))  # the header repeats on every page of a long table
    for line in placed:
        for cell, r, c in line:
            par = grid[r][c].paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.kind in ("text", "label") else WD_ALIGN_PARAGRAPH.CENTER
            par.paragraph_format.space_after = Pt(0)
            par.paragraph_format.space_before = Pt(1)
            par.paragraph_format.line_spacing = 1.0
            for run in _add_text(par, cell.text):
                run.font.size = Pt(9)
                if r < len(table.head) or cell.strong or cell.bad:
                    run.bold = True
                if cell.bad:
                    run.font.color.rgb = RED
    head_n = len(table.head)
    trs = wt._tbl.tr_lst  # every w:tc of the rows, vertically merged continuations included
    for tc in trs[0].tc_lst:
        _borders(tc, top=12)
    for tc in trs[head_n - 1].tc_lst:
        _borders(tc, bottom=6)
    for tc in trs[-1].tc_lst:
        _borders(tc, bottom=12)
    for row in grid:
        row[0].paragraphs[0].paragraph_format.keep_with_next = True
    for i, note in enumerate(table.notes):
        p = docx.add_paragraph()
        _add_text(p, note)
        p.paragraph_format.space_after = Pt(2)
        p.paragraph_format.keep_with_next = i < len(table.notes) - 1
        for run in p.runs:
            run.font.size = Pt(8)
    if table.reading:
        p = docx.add_paragraph()
        p.add_run(f"{labels['how_to_read']}{labels['lead_colon']}").bold = True
        _add_text(p, table.reading)
        p = docx.add_paragraph()
        p.add_run(f"{labels['formula']}{labels['lead_colon']}").bold = True
        p.add_run(table.formula or "")
    docx.add_paragraph().paragraph_format.space_after = Pt(4)


def _add_figure(docx, fig: Figure, width_cm: float) -> None:
    png = fig.canvas.to_png(scale=2.0)
    p = docx.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    width = min(width_cm, fig.canvas.width / 96 * 2.54)
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    _caption(docx, _split_number(fig.number), fig.number, fig.title, above=False)
    for note in fig.notes:
        q = docx.add_paragraph()
        _add_text(q, note)
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in q.runs:
            run.font.size = Pt(8)


def _add_text(par, text: str) -> list:
    """Runs for ``text`` in ``par``, italic where the text marks it (see :func:`.document.segments`)."""
    runs = []
    for piece, italic in segments(text):
        run = par.add_run(piece)
        if italic:
            run.italic = True
        runs.append(run)
    return runs


def _add_paragraph(docx, b: Paragraph, labels: dict) -> None:
    if b.kind == "list":
        p = docx.add_paragraph()
        p.add_run(b.lead).bold = True
        if not b.items:
            _add_text(docx.add_paragraph(), b.text)
        for item in b.items:
            _add_text(docx.add_paragraph(style="List Bullet"), item)
        return
    if b.kind == "references":
        for item in b.items:
            q = docx.add_paragraph()
            q.paragraph_format.left_indent = Cm(0.74)
            q.paragraph_format.first_line_indent = Cm(-0.74)
            q.paragraph_format.space_after = Pt(2)
            _add_text(q, item)
        return
    p = docx.add_paragraph()
    if b.lead:
        lead = p.add_run(b.lead + (labels["lead_end"] if b.kind in ("notice", "warning") else labels["lead_colon"]))
        lead.bold = True
        if b.kind == "warning":
            lead.font.color.rgb = RED
    _add_text(p, b.text)


def build_docx(doc: Document):
    """A python-docx Document of the report."""
    d = new_docx()
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    text_width = 21.0 - 5.0
    east = "SimSun" if doc.lang == "zh" else "SimSun"
    _fonts(d.styles["Normal"], east_asia=east, size=10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Caption", "List Bullet"):
        try:
            _fonts(d.styles[name], east_asia="SimHei" if name.startswith(("Heading", "Title")) else east)
        except KeyError:
            pass
    for name in ("Title", "Heading 1", "Heading 2"):
        d.styles[name].font.color.rgb = RGBColor(0, 0, 0)
    if doc.logo and doc.logo[0] in ("image/png", "image/jpeg", "image/gif"):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(doc.logo[1]), height=Cm(1.8))
    title = d.add_heading(doc.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = d.add_paragraph(doc.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for b in doc.front:
        _add_paragraph(d, b, doc.labels)
    for s in doc.sections:
        if s.level == 1:
            d.add_page_break()
            d.add_heading(s.title, level=1)
        else:
            d.add_heading(s.heading, level=2 if any(x.level == 1 for x in doc.sections) else 1)
        for b in s.blocks:
            if isinstance(b, Table):
                _add_table(d, b, doc.labels, text_width)
            elif isinstance(b, Figure):
                _add_figure(d, b, text_width)
            else:
                _add_paragraph(d, b, doc.labels)
    foot = d.add_paragraph(doc.footer)
    for run in foot.runs:
        run.font.size = Pt(8)
    return d


def write_docx(doc: Document, path: Path) -> Path:
    build_docx(doc).save(str(path))
    return Path(path)
