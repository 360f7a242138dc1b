"""The report as a document model: sections of paragraphs, tables and figures, in one language.

One :class:`Document` is built per (results, language, audience) and written by three writers — HTML
(:mod:`study.report.html`), Word (:mod:`study.report.docx`) and Excel (:mod:`study.report.xlsx`) — so the
three hold the same tables with the same numbers. Strings here are plain text: each writer escapes them
for its format.

Inline italics (statistical symbols such as *p*, *M*, *SD*; journal titles in the reference list) are
marked in the text with :data:`ITALIC_START` … :data:`ITALIC_END`, two private-use characters that no survey
text contains; :func:`segments` splits a string into (text, italic) runs for the writers, :func:`plain`
drops the marks (Excel cells, search).

Two more rules hold for the tables. The writers show every cell through :func:`unbreakable` (``Cell.shown``),
which puts no-break spaces into intervals ("[0.819, 0.867]") and around comparisons ("p < .001",
"≥ 0.90"), so a column break never splits them; texts need not do it themselves. And before the writers
see a table, :func:`number_document` tidies it (:func:`tidy_table`): in a matrix (empty top-left cell) a
body row with nothing but its label and a column with no body value are dropped (the empty first row and
last column of a lower triangle), and in every table an empty header cell is merged into the header to
its left.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

ITALIC_START, ITALIC_END = "\ue000", "\ue001"


def italic(text: str) -> str:
    """``text`` marked as italic."""
    return f"{ITALIC_START}{text}{ITALIC_END}"


def plain(text: str) -> str:
    """``text`` without italic marks."""
    return text.replace(ITALIC_START, "").replace(ITALIC_END, "")


def segments(text: str) -> list[tuple[str, bool]]:
    """``text`` as (run, italic) pieces, in order; empty pieces are left out."""
    out, italic_now, rest = [], False, text
    while rest:
        mark = ITALIC_END if italic_now else ITALIC_START
        head, found, rest = rest.partition(mark)
        if head:
            out.append((head, italic_now))
        if found:
            italic_now = not italic_now
    return out


NBSP = "\u00a0"
SHORT_TABLE_ROWS = 10  # a table of at most this many body rows is kept on one page (HTML print and Word)
_NUMBER = r"[−-]?\d*\.?\d+"
_MARK = f"[{ITALIC_START}{ITALIC_END}]?"


_INTERVAL = re.compile(rf"([\[(]{_NUMBER}),[ ]+({_NUMBER}[\])])")
_PLUS_MINUS = re.compile(rf"(?<=\d) ± (?={_NUMBER})")
_AFTER_SIGN = re.compile(rf"(?<=[<>≤≥=]) (?={_MARK}{_NUMBER})")
_BEFORE_SIGN = re.compile(rf" (?={_MARK}[<>≤≥=]{NBSP})")


@lru_cache(maxsize=1 << 16)  # the same few thousand cell texts are asked for by every writer
def unbreakable(text: str) -> str:
    """No-break spaces where a line break would split a number from its partner: inside intervals
    ("[0.819, 0.867]", "(−0.12, 0.40)"), around "±" ("4.80 ± 1.33") and around comparison signs before a
    number ("p < .001", "χ²(315) = 344.01", "≥ 0.90"). Idempotent; other spaces stay breakable."""
    text = _INTERVAL.sub(lambda m: f"{m[1]},{NBSP}{m[2]}", text)
    text = _PLUS_MINUS.sub(f"{NBSP}±{NBSP}", text)  # M ± SD
    text = _AFTER_SIGN.sub(NBSP, text)
    return _BEFORE_SIGN.sub(NBSP, text)


@dataclass
class Cell:
    """One table cell. ``text`` is what HTML and Word show; ``value`` (with ``digits`` decimals) is what
    Excel stores as a number; ``suffix`` (stars, †) is part of ``text`` and of Excel's number format."""

    text: str
    value: float | None = None
    digits: int = 3
    suffix: str = ""
    kind: str = "num"  # num | text | label | p
    rowspan: int = 1
    colspan: int = 1
    bad: bool = False  # fails its criterion: bold red in HTML, bold in Word
    strong: bool = False  # e.g. the diagonal of the Fornell–Larcker table

    @property
    def is_number(self) -> bool:
        return self.value is not None and isinstance(self.value, (int, float)) and math.isfinite(self.value)

    @property
    def shown(self) -> str:
        """The text as every writer shows it: with no-break spaces in intervals and comparisons."""
        return unbreakable(self.text)


@dataclass
class Table:
    key: str  # what kind of table (reliability, fit, ...): selects the how-to-read text
    title: str
    head: list[list[Cell]]
    body: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    reading: str | None = None  # class audience: how to read the table
    formula: str | None = None  # class audience: the formula behind it
    number: str = ""  # "表4-3" / "Table 4.3", set when the document is numbered
    anchor: str = ""

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}".strip()

    def alignments(self) -> list[list[str]]:
        """"left" or "center" for each cell, rows of the head then the body (see :func:`cell_alignment`)."""
        align = cell_alignment(self)
        return [[align[id(cell)] for cell in row] for row in self.head + self.body]

    def blocks(self) -> list[list[int]]:
        """The body rows (indices) in blocks that a page break must not split: rows joined by a cell
        spanning them (a construct and its items) form one block, every other row is a block alone."""
        end = list(range(len(self.body)))  # the last row each row is joined to
        for i, row in enumerate(self.body):
            for cell in row:
                end[i] = max(end[i], i + cell.rowspan - 1)
        out: list[list[int]] = []
        last = -1
        for i in range(len(self.body)):
            if i > last:
                out.append([])
            out[-1].append(i)
            last = max(last, end[i])
        return out

    def column_shares(self) -> list[float] | None:
        """Percent of the width for each column of a full-width table (:func:`.layout.column_shares`)."""
        from .layout import column_shares

        return column_shares(self)

    def short(self) -> bool:
        """Short enough to keep on one page (at most ``SHORT_TABLE_ROWS`` body rows)."""
        return len(self.body) <= SHORT_TABLE_ROWS


@dataclass
class Figure:
    key: str
    title: str
    canvas: object  # study.report.figures.Canvas
    notes: list[str] = field(default_factory=list)
    number: str = ""
    anchor: str = ""

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def svg(self) -> str:
        return self.canvas.to_svg()


@dataclass
class Paragraph:
    text: str
    kind: str = "finding"  # finding | notice | warning | plain | list | reading | references
    items: list[str] = field(default_factory=list)  # for kind == "list"
    lead: str = ""  # a bold first phrase (notices)


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list = field(default_factory=list)
    number: str = ""  # "4.1"
    level: int = 2  # 1: a part heading (the client report's appendix), 2: a numbered section, 3: its subsection
    chapter: str = "4"  # the chapter label used in the numbers of the section, its tables and figures

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass
class Document:
    lang: str
    audience: str
    title: str
    subtitle: str
    front: list = field(default_factory=list)  # blocks before the first section (notices, warnings)
    sections: list[Section] = field(default_factory=list)
    client: str | None = None
    logo: tuple[str, bytes] | None = None  # (mime type, bytes)
    footer: str = ""
    labels: dict = field(default_factory=dict)  # words the writers need (reading, formula, …)
    cited: list = field(default_factory=list)  # reference keys the text cites, in order (set when resolved)

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for s in [*self.sections] for b in s.blocks if isinstance(b, Paragraph)]

    def map_text(self, change) -> None:
        """Apply ``change(str) -> str`` to every text of the document, in reading order (front matter,
        then each section's title and blocks: paragraphs, table titles, cells, notes, figure captions)."""
        def paragraph(b: Paragraph) -> None:
            b.lead, b.text = change(b.lead), change(b.text)
            b.items = [change(x) for x in b.items]

        for b in self.front:
            paragraph(b)
        for s in self.sections:
            s.title = change(s.title)
            for b in s.blocks:
                if isinstance(b, Paragraph):
                    paragraph(b)
                elif isinstance(b, Table):
                    b.title = change(b.title)
                    for row in [*b.head, *b.body]:
                        for c in row:
                            c.text = change(c.text)
                    b.notes = [change(n) for n in b.notes]
                    b.reading = change(b.reading) if b.reading else b.reading
                    b.formula = change(b.formula) if b.formula else b.formula
                elif isinstance(b, Figure):
                    b.title = change(b.title)
                    b.notes = [change(n) for n in b.notes]
        self.footer = change(self.footer)


def grid(table: Table) -> tuple[int, list[list[tuple[Cell, int, int]]]]:
    """Place the cells of head and body on a grid: (number of columns, rows of (cell, row, column)), the
    row and column being where the cell's top-left corner sits once row and column spans are laid out."""
    rows = table.head + table.body
    occupied: set[tuple[int, int]] = set()
    placed = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        line = []
        for cell in row:
            while (r, c) in occupied:
                c += 1
            line.append((cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            c += cell.colspan
            ncols = max(ncols, c)
        placed.append(line)
    ncols = max([ncols] + [c + 1 for (_, c) in occupied])
    return ncols, placed


def _running_text(text: str) -> bool:
    """Words rather than a value: Chinese text over six characters wide, or other text over 24 characters
    (a statistic such as "χ²(3654) = 3968.25" is neither)."""
    text = plain(text)
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return cjk + 0.5 * (len(text) - cjk) > 6 if cjk else len(text) > 24


def column_alignment(table: Table) -> list[str]:
    """"left" or "center" for each column, shared by head and body so that headers sit over their
    values: the first column (labels) and columns of running text (item wording, paths, verdict
    sentences) are left-aligned; numbers, statistics and short words are centred."""
    ncols, placed = grid(table)
    align = ["center"] * ncols
    if ncols:
        align[0] = "left"
    for line in placed[len(table.head):]:
        for cell, _, c in line:
            if cell.colspan == 1 and cell.kind in ("text", "label") and _running_text(cell.text):
                align[c] = "left"
    return align


def cell_alignment(table: Table) -> dict[int, str]:
    """Alignment of every cell (by ``id``): its column's; a cell spanning columns is left-aligned when
    one of them is (a header "题项" over the item code and its wording), else centred."""
    align = column_alignment(table)
    _, placed = grid(table)
    return {id(cell): "left" if "left" in align[c:c + cell.colspan] else "center"
            for line in placed for cell, _, c in line}


def tidy_table(table: Table) -> None:
    """Drop what carries nothing from a matrix (a table whose top-left header cell is empty, such as the
    Fornell–Larcker and HTMT tables): a body row whose cells after the first are all empty and a column
    whose body cells are all empty — the empty first row and last column of a lower triangle. In every
    table, merge an empty header cell into a non-empty one on its left (so "题项" heads both the code and
    the wording of an item). Rows and columns touched by a span stay; other tables keep every column, even
    one left empty on purpose (the verdicts of a model that failed)."""
    if table.body and table.head and table.head[0] and not table.head[0][0].text.strip():
        _drop_empty_lines(table)
    _, placed = grid(table)
    for row, line in zip(table.head, placed):
        for (left, _, lc), (cell, _, c) in reversed(list(zip(line, line[1:]))):
            if (not cell.text.strip() and left.text.strip() and cell.rowspan == left.rowspan == 1
                    and lc + left.colspan == c):
                left.colspan += cell.colspan
                del row[next(i for i, x in enumerate(row) if x is cell)]


def _drop_empty_lines(table: Table) -> None:
    nhead = len(table.head)
    ncols, placed = grid(table)
    spanned_rows = {r + k for line in placed for cell, r, _ in line if cell.rowspan > 1 for k in range(cell.rowspan)}
    empty = {r for r, line in enumerate(placed) if r >= nhead and r not in spanned_rows and len(line) > 1
             and all(not cell.text.strip() for cell, _, _ in line[1:])}
    if empty and len(empty) < len(table.body):
        table.body = [row for r, row in enumerate(table.body, start=nhead) if r not in empty]
        ncols, placed = grid(table)
    spanned_cols = {c + k for line in placed for cell, _, c in line if cell.colspan > 1 for k in range(cell.colspan)}
    values: dict[int, list[str]] = {}
    for line in placed[nhead:]:
        for cell, _, c in line:
            values.setdefault(c, []).append(cell.text.strip())
    drop = {c for c in range(1, ncols) if c not in spanned_cols and values.get(c) and not any(values[c])}
    if drop and len(drop) < ncols - 1:
        table.head = [[cell for cell, _, c in line if c not in drop] for line in placed[:nhead]]
        table.body = [[cell for cell, _, c in line if c not in drop] for line in placed[nhead:]]


def number_document(doc: Document) -> None:
    """Number sections, tables and figures within each section's chapter ("4", "A", or "" for plain
    numbers): 4.1 (level 2), 4.1.1 (level 3, a subsection of the section before it), 表4-1 / Table 4.1,
    图4-1 / Figure 4.1; tidy every table (:func:`tidy_table`)."""
    counters: dict[tuple[str, str], int] = {}
    for table in doc.tables():
        tidy_table(table)
    for s in doc.sections:
        ch = s.chapter
        if s.level == 2:
            counters[(ch, "section")] = counters.get((ch, "section"), 0) + 1
            counters[(ch, "subsection")] = 0
            s.number = f"{ch}.{counters[(ch, 'section')]}" if ch else str(counters[(ch, "section")])
        elif s.level >= 3 and counters.get((ch, "section")):  # a subsection of the last section: 4.4.1
            counters[(ch, "subsection")] += 1
            parent = f"{ch}.{counters[(ch, 'section')]}" if ch else str(counters[(ch, "section")])
            s.number = f"{parent}.{counters[(ch, 'subsection')]}"
        for b in s.blocks:
            if isinstance(b, (Table, Figure)):
                kind = "table" if isinstance(b, Table) else "figure"
                counters[(ch, kind)] = counters.get((ch, kind), 0) + 1
                n = counters[(ch, kind)]
                if doc.lang == "zh":
                    b.number = f"{'表' if kind == 'table' else '图'}{ch}-{n}" if ch else f"{'表' if kind == 'table' else '图'}{n}"
                else:
                    b.number = f"{'Table' if kind == 'table' else 'Figure'} {ch}.{n}" if ch else \
                        f"{'Table' if kind == 'table' else 'Figure'} {n}"
                b.anchor = f"{kind}-{ch}-{n}".lower()
