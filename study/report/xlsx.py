"""The report's tables as an Excel workbook (.xlsx, openpyxl): one sheet per table.

Each sheet holds the numbered caption, the header, the body and the notes, with the same numbers as the
HTML and Word tables. Numbers are stored as numbers with a number format showing the report's decimals
(and significance stars), so they can be used in further calculations; p-values keep full precision.
Text is always stored as text (a name starting with "=" never becomes a formula).
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .document import Document, Table, cell_alignment, grid, plain

THICK, THIN = Side(style="medium", color="000000"), Side(style="thin", color="000000")


def _sheet_name(number: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", number).strip()[:31] or "Table"
    base, k = name, 2
    while name in used:
        name = f"{base[:28]} ({k})"
        k += 1
    used.add(name)
    return name


def _number_format(digits: int, suffix: str) -> str:
    fmt = "0" if digits == 0 else "0." + "0" * digits
    if suffix:
        fmt += '"' + suffix.replace('"', "") + '"'
    return fmt


@dataclass
class _Looks:
    """The style indices of the first cell of each look, and the border id a rule gives each border, in one
    workbook. openpyxl looks each style object up among the workbook's styles (hashing it) at every
    assignment: a cell of a look seen before copies those indices instead (the same workbook, so the same
    styles; the default study's 5,000 cells take a third of the time)."""

    cells: dict = field(default_factory=dict)
    borders: dict = field(default_factory=dict)


def _write_table(ws, table: Table, looks: _Looks) -> None:
    ws.cell(row=1, column=1, value=plain(table.caption)).font = Font(bold=True)
    ws.cell(row=1, column=1).data_type = TYPE_STRING
    ncols, placed = grid(table)
    align = cell_alignment(table)
    top = 3
    head_n = len(table.head)
    nrows = head_n + len(table.body)
    widths = [8] * ncols
    for line in placed:
        for cell, r, c in line:
            xc = ws.cell(row=top + r, column=c + 1)
            number = cell.is_number and cell.kind != "text"
            if number:
                xc.value = cell.value
            else:
                xc.value = plain(cell.shown)  # the same text as the HTML and Word cells
                xc.data_type = TYPE_STRING
            bold = r < head_n or cell.strong or cell.bad
            look = (number and (cell.digits, cell.suffix, cell.kind == "p"), align[id(cell)], cell.kind == "text",
                    "bad" if cell.bad else bold)
            if look in looks.cells:
                xc._style = copy(looks.cells[look])
            else:
                if number:
                    xc.number_format = _number_format(cell.digits, cell.suffix) if cell.kind != "p" else "0.000"
                xc.alignment = Alignment(horizontal=align[id(cell)], vertical="center", wrap_text=cell.kind == "text")
                if bold:
                    xc.font = Font(bold=True, color="B91C1C" if cell.bad else None)
                looks.cells[look] = copy(xc._style)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + cell.rowspan - 1,
                               end_column=c + cell.colspan)
            if cell.colspan == 1:  # Excel's width unit is one digit; a CJK character is two
                chars = sum(2 if re.match(r"[\u2e80-\uffff]", ch) else 1 for ch in plain(cell.text))
                widths[c] = max(widths[c], min(40 if cell.kind == "text" else 50, chars + 2))
    for c in range(1, ncols + 1):
        for r, edges in ((top, {"top": THICK}), (top + head_n - 1, {"bottom": THIN}), (top + nrows - 1, {"bottom": THICK})):
            xc = ws.cell(row=r, column=c)
            rule = (xc._style.borderId, tuple((edge, side.style) for edge, side in edges.items()))
            if rule in looks.borders:
                xc._style.borderId = looks.borders[rule]
            else:
                b = xc.border
                xc.border = Border(top=edges.get("top", b.top), bottom=edges.get("bottom", b.bottom))
                looks.borders[rule] = xc._style.borderId
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    row = top + nrows + 1
    for note in table.notes:
        xc = ws.cell(row=row, column=1, value=plain(note))
        xc.data_type = TYPE_STRING
        xc.font = Font(size=9)
        row += 1
    if table.reading:
        for text in (table.reading, table.formula):
            xc = ws.cell(row=row, column=1, value=plain(text or ""))
            xc.data_type = TYPE_STRING
            xc.font = Font(size=9, italic=True)
            row += 1


def build_xlsx(doc: Document) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    looks = _Looks()
    for table in doc.tables():
        _write_table(wb.create_sheet(_sheet_name(table.number, used)), table, looks)
    wb.properties.title = plain(doc.title)[:250]
    return wb


def write_xlsx(doc: Document, path: Path) -> Path:
    build_xlsx(doc).save(str(path))
    return Path(path)
