"""Column widths of a table from its content, shared by the Word file (which sets them in twips: LibreOffice
and WPS follow set widths, not content) and the HTML page (as column shares of a full-width table).

Widths are measured with Times New Roman's advance widths (Liberation Serif, its metric twin, renders the
same), one em for a CJK character. Rules (:func:`column_widths`): no column narrower than its longest
word or number — intervals and comparisons count as one word (:func:`~.document.unbreakable`); the first
column and every column of Chinese text at least five characters wide; a header on at most two lines
where it can, a short Chinese header never broken; the room left handed to the columns where it
shortens the table most (item wording before numbers).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .document import Table, grid, segments

TEXT_PT = 16.0 / 2.54 * 72  # 453.5 pt: the text width of an A4 page with 2.5 cm margins (the Word file)
TABLE_PT = (9.0, 8.0, 7.5)  # table type sizes, the largest in which the table fits
CELL_MARGIN_TWIPS = 57  # left and right cell margin, 0.1 cm (Word's default is 0.19 cm)
PAD_PT = 2 * CELL_MARGIN_TWIPS / 20 + 3.0  # cell margins and a little air for renderers' rounding
LABEL_EM = 5.0  # a label column is at least five characters wide (or as wide as its longest label)
HEAD_EM = 4.0  # a header may wrap, but not below four characters (or its own width)

# Advance widths (1/1000 em) of ASCII 32–126 in Times New Roman (= Liberation Serif, metric-compatible)
_ROMAN = [250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500,
          500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333,
          389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
          500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
          278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541]
_BOLD = [250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
         500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389,
         500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581,
         500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389,
         333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520]
_OTHER = {"\u00a0": 250, "−": 570, "–": 500, "²": 300, "³": 300, "×": 570, "±": 549, "≤": 549, "≥": 549, "·": 333}
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014\u2026\u2190-\u21ff"
                   r"\u201c\u201d\u2018\u2019\u3000-\u303f]")
# where a line may break: after a breakable space, and around every CJK character
_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f][\u3001\u3002\uff0c\uff1b\uff1a\uff09"
                    r"\uff01\uff1f\u201d\u300b]*|[^ \t\n\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")


def text_pt(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` on one line, in points, at ``size`` pt: Times New Roman for Latin text, one em
    for CJK characters and full-width punctuation, 0.6 em for anything else."""
    return _units(text, bold) * size / 1000


@lru_cache(maxsize=None)
def _units(text: str, bold: bool) -> int:
    """Width of ``text`` in 1/1000 em (a table is measured at up to three sizes: once is enough)."""
    table = _BOLD if bold else _ROMAN
    units = 0
    for ch in text:
        o = ord(ch)
        if 32 <= o <= 126:
            units += table[o - 32]
        elif ch in _OTHER:
            units += _OTHER[ch]
        elif _WIDE.match(ch):
            units += 1000
        elif 0x370 <= o <= 0x3ff:  # Greek
            units += 560
        else:
            units += 600
    return units


@lru_cache(maxsize=None)
def _measure(shown: str, bold: bool) -> tuple[int, int, bool]:
    """(longest unbreakable piece, whole text on one line) in 1/1000 em, and whether it has Chinese."""
    text = "".join(piece for piece, _ in segments(shown))
    return max(_units(t, bold) for t in tokens(text)), _units(text, bold), _has_cjk(text)


def tokens(text: str) -> list[str]:
    """The pieces a line cannot break inside: words and numbers (no-break spaces join them), and each CJK
    character with the punctuation that may not begin a line."""
    return _TOKEN.findall(text) or [""]


def _has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u2e80-\u9fff\uf900-\ufaff]", text))


def column_widths(table: Table, size: float, total_pt: float = TEXT_PT, *, short_heads: bool = True
                  ) -> list[float] | None:
    """Column widths (pt) of ``table`` set in ``size``-pt type, or None when its words do not fit in
    ``total_pt`` at this size (with ``short_heads=False``, headers may take as many lines as their words).

    Each column gets at least its longest unbreakable word or number (bold in the header); the first
    column (labels) and every column of Chinese text at least ``LABEL_EM`` characters (or its longest
    cell), so that labels never stand one character a line; a header at most two lines where it can.
    When every cell fits on one line the table keeps its natural widths (widened to the text width
    when they fill over half of it, else by a third). Otherwise the room over the minimum is handed out
    in small steps, each to the column where it shortens the table most (a cell's height taken as its
    text width over its column width), so that item wording gets the room and numbers stay on one line.
    """
    ncols, placed = grid(table)
    nhead = len(table.head)
    em = size
    least = [PAD_PT + em] * ncols
    natural = [PAD_PT + em] * ncols
    texty = [False] * ncols
    texty[0] = True
    spans = []
    cells = []  # (row, column, one-line text width without padding) of the cells one column wide
    for line in placed:
        for cell, r, c in line:
            head = r < nhead
            bold = bool(head or cell.strong or cell.bad)
            word_units, full_units, cjk = _measure(cell.shown, bold)
            word = word_units * size / 1000 + PAD_PT
            full = full_units * size / 1000
            if cell.colspan > 1:
                spans.append((c, cell.colspan, word))
                continue
            if cell.rowspan == 1:
                cells.append((r, c, full))
            if head:  # a header may wrap, to two lines where it can, never inside a word or a short Chinese one
                whole = full if cjk and full <= 7 * em else 0.0
                two_lines = max(whole, min(full, max(HEAD_EM * em, min(full / 2 + em / 2, 8 * em)))) + PAD_PT
                least[c] = max(least[c], word, two_lines if short_heads else min(two_lines, whole + PAD_PT))
                natural[c] = max(natural[c], least[c])
            else:
                least[c] = max(least[c], word)
                natural[c] = max(natural[c], min(full + PAD_PT, 0.6 * total_pt))
                if cell.kind in ("label", "text") and cjk:
                    texty[c] = True
    for c in range(ncols):
        natural[c] = max(natural[c], least[c])
        if texty[c]:
            least[c] = max(least[c], min(natural[c], LABEL_EM * em + PAD_PT))
    for c, span, word in spans:  # a spanning cell's longest word fits its columns together
        short = word - sum(least[c:c + span])
        if short > 0:
            for k in range(c, c + span):
                least[k] += short / span
                natural[k] = max(natural[k], least[k])
    if sum(least) > total_pt + 0.5:
        return None
    if sum(natural) <= total_pt:
        target = total_pt if sum(natural) > 0.5 * total_pt else min(total_pt, 1.3 * sum(natural))
        extra = (target - sum(natural)) / ncols
        return [w + extra for w in natural]
    return _share_room(least, natural, cells, total_pt)


def _share_room(least: list[float], natural: list[float], cells: list[tuple[int, int, float]],
                total_pt: float) -> list[float]:
    """Hand the room over ``least`` out in steps, each to the column where it lowers the summed row
    heights most (a row as high as its tallest cell, in lines of text width / column width)."""
    widths = np.array(least, dtype=float)
    ncols = len(widths)
    row_of = {r: i for i, r in enumerate(dict.fromkeys(r for r, _, _ in cells))}
    full = np.zeros((len(row_of), ncols))  # one-line text width of each cell; 0 (one line) where none
    for r, c, width in cells:
        full[row_of[r], c] = width
    rows = np.arange(len(row_of))

    def lines(w: np.ndarray) -> np.ndarray:
        return np.maximum(1.0, full / np.maximum(w - PAD_PT, 1.0))

    room = total_pt - widths.sum()
    step = max(room / 200, 0.5)
    current = lines(widths)
    now = current.max(axis=1).sum() if len(rows) else 0.0
    while room > 1e-6:
        step = min(step, room)
        # each column widened by ``step`` in turn: a row's height is then the larger of its other columns'
        # tallest cell (the second tallest where this column holds the tallest) and this column's new cell
        order = np.argsort(current, axis=1)
        top = current[rows, order[:, -1]]
        second = current[rows, order[:, -2]] if ncols > 1 else np.ones(len(rows))
        others = np.where(order[:, -1][:, None] == np.arange(ncols)[None, :], second[:, None], top[:, None])
        heights = np.maximum(others, lines(widths + step)).sum(axis=0)
        best, best_height = None, now
        for c in range(ncols):
            if widths[c] < natural[c] and heights[c] < best_height - 1e-9:
                best, best_height = c, heights[c]
        if best is None:
            break
        widths[best] += step
        current[:, best] = lines(widths)[:, best]
        room -= step
        now = best_height
    if room > 1e-6:  # every row as low as it gets: the rest goes to the columns alike
        widths = widths + room / ncols
    return [float(w) for w in widths]


def fitting_widths(table: Table, total_pt: float = TEXT_PT) -> tuple[float, list[float]]:
    """(type size, column widths) of the largest type in which the table fits ``total_pt``: 9, 8 or 7.5 pt,
    each first with headers on at most two lines, then with headers as tall as they need; if nothing fits,
    7.5 pt with the columns shrunk alike (some words then break)."""
    for size in TABLE_PT:
        for short_heads in (True, False):
            widths = column_widths(table, size, total_pt, short_heads=short_heads)
            if widths is not None:
                return size, widths
    widths = column_widths(table, TABLE_PT[-1], 10 * total_pt, short_heads=False)
    return TABLE_PT[-1], [w * total_pt / sum(widths) for w in widths]


def column_shares(table: Table) -> list[float] | None:
    """Percent of the table width for each column when the table fills the text width (its content
    needs over half of it), else None (the table keeps its natural width)."""
    _, widths = fitting_widths(table)
    if abs(sum(widths) - TEXT_PT) > 1:
        return None
    return [100 * w / sum(widths) for w in widths]
