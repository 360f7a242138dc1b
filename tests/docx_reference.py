"""The Word writer's tables as python-docx's own calls make them (``add_table``, ``merge``, one property at a
time): the reference that study/report/docx.py's one-string tables are checked against
(tests/test_docx_cells.py). This was the writer's code until the tables became XML strings, 2026-12."""

from copy import deepcopy
from functools import lru_cache

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from study.report.docx import RED, _cell_paragraph, _el, _keep_rows, _run_properties, _twips
from study.report.document import cell_alignment, grid, segments
from study.report.layout import CELL_MARGIN_TWIPS


_ORDER = {  # the schema's order of the children of w:tblPr and w:tcPr (Word rejects other orders)
    "w:tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription"],
    "w:tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark"],
}


def _set(parent, tag: str, **attrs):
    """The child ``tag`` of ``parent`` (replaced if present) with the given attributes, at its place in the
    schema's order of children."""
    old = parent.find(qn(tag))
    el = _el(tag, **attrs)
    if old is not None:
        old.addprevious(el)
        parent.remove(old)
        return el
    later = _later_tags(parent.tag, tag)
    for child in parent:
        if child.tag in later:
            child.addprevious(el)
            return el
    parent.append(el)
    return el


@lru_cache(maxsize=None)
def _later_tags(parent_tag: str, tag: str) -> frozenset:
    """The qualified tags that the schema puts after ``tag`` among the children of ``parent_tag``."""
    order = _ORDER.get(parent_tag.replace(qn("w:x")[:-1], "w:"), [])
    name = tag.split(":")[1]
    return frozenset(qn(f"w:{t}") for t in (order[order.index(name) + 1:] if name in order else []))



def _tc_grid(tbl) -> list[list]:
    """The w:tc element at each row and grid column of a table (a cell spanning columns repeated). python-docx's
    ``Table._cells`` gives the same cells, reading each one's properties by XPath (twice as slow)."""
    grid = []
    for tr in tbl.iterchildren(qn("w:tr")):
        row = []
        for tc in tr.iterchildren(qn("w:tc")):
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            row.extend([tc] * (int(span.get(qn("w:val"))) if span is not None else 1))
        grid.append(row)
    return grid


def _borders(tc, **edges) -> None:
    """Set the borders of a cell (a w:tc element), e.g. top=12 (eighths of a point); 0 removes the edge."""
    tcpr = tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = _set(tcpr, "w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        size = edges.get(edge)
        if size is None:
            continue
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            later = [borders.find(qn(f"w:{e}")) for e in ("top", "left", "bottom", "right")]
            after = [x for e, x in zip(("top", "left", "bottom", "right"), later)
                     if x is not None and ("top", "left", "bottom", "right").index(e)
                     > ("top", "left", "bottom", "right").index(edge)]
            if after:
                after[0].addprevious(el)
            else:
                borders.append(el)
        if size:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")


def _no_table_borders(table) -> None:
    borders = _set(table._tbl.tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{edge}", val="nil"))




def _cell_runs(p, text: str, *, size: float | None, bold: bool | None, color) -> None:
    """:func:`_runs` for a table cell's paragraph (a w:p element), with copied run properties."""
    par = DocxParagraph(p, None)
    for piece, is_italic in segments(text):
        if piece and not any(ch in piece for ch in "\t\r\n"):
            r = p.add_r()  # what add_run(piece) makes of text without tabs and breaks: one w:t
            r.add_t(piece)
        else:
            r = par.add_run(piece)._r
        rpr = _run_properties(is_italic, size, bold, color)
        if rpr is not None:
            r.insert(0, deepcopy(rpr))




def _fix_widths(wt, widths_pt: list[float]) -> None:
    """Fixed layout with every width written out in twips: the grid, each cell (its span summed) and the
    table, so that Word, WPS and LibreOffice lay the table out alike."""
    tbl = wt._tbl
    twips = [_twips(w) for w in widths_pt]
    tblpr = tbl.tblPr
    _set(tblpr, "w:tblW", w=sum(twips), type="dxa")
    _set(tblpr, "w:tblLayout", type="fixed")
    mar = _set(tblpr, "w:tblCellMar")
    for edge in ("left", "right"):
        mar.append(_el(f"w:{edge}", w=CELL_MARGIN_TWIPS, type="dxa"))
    old = tbl.find(qn("w:tblGrid"))
    new = _el("w:tblGrid")
    for w in twips:
        new.append(_el("w:gridCol", w=w))
    old.addprevious(new)
    tbl.remove(old)
    for tr in tbl.iterchildren(qn("w:tr")):
        c = 0
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = tc.get_or_add_tcPr()
            span_el = tcpr.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            _set(tcpr, "w:tcW", w=sum(twips[c:c + span]), type="dxa")
            _set(tcpr, "w:vAlign", val="center")
            c += span


def reference_table(docx, table, size: float, widths: list[float]):
    """The w:tbl of ``table`` made through python-docx's objects, appended to ``docx``."""
    ncols, placed = grid(table)
    nrows = len(table.head) + len(table.body)
    wt = docx.add_table(rows=nrows, cols=ncols)
    wt.alignment = WD_TABLE_ALIGNMENT.CENTER
    wt.autofit = False
    _no_table_borders(wt)
    before = _tc_grid(wt._tbl)
    for line in placed:
        for cell, r, c in line:
            if cell.colspan > 1:
                _Cell(before[r][c], wt).merge(_Cell(before[r][c + cell.colspan - 1], wt))
    cells = _tc_grid(wt._tbl)
    align = cell_alignment(table)
    keep = _keep_rows(table)
    for line in placed:
        for cell, r, c in line:
            p = cells[r][c].p_lst[0]
            if p.pPr is not None:
                p.remove(p.pPr)
            alignment = WD_ALIGN_PARAGRAPH.LEFT if align[id(cell)] == "left" else WD_ALIGN_PARAGRAPH.CENTER
            p.insert(0, _cell_paragraph(alignment, keep[r]))
            bold = r < len(table.head) or cell.strong or cell.bad
            _cell_runs(p, cell.shown, size=size, bold=True if bold else None, color=RED if cell.bad else None)
    _fix_widths(wt, widths)
    for r, tr in enumerate(wt._tbl.tr_lst):
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r < len(table.head):
            trpr.append(OxmlElement("w:tblHeader"))
    head_n = len(table.head)
    trs = wt._tbl.tr_lst
    for tc in trs[0].tc_lst:
        _borders(tc, top=12)
    for tc in trs[head_n - 1].tc_lst:
        _borders(tc, bottom=6)
    for tc in trs[-1].tc_lst:
        _borders(tc, bottom=12)
    return wt._tbl
