"""The report as a document model: sections of paragraphs, tables and figures, in one language.

One :class:`Document` is built per (results, language, audience) and written by three writers — HTML
(:mod:`study.report.html`), Word (:mod:`study.report.docx`) and Excel (:mod:`study.report.xlsx`) — so the
three hold the same tables with the same numbers. Strings here are plain text: each writer escapes them
for its format.

Inline italics (statistical symbols such as *p*, *M*, *SD*; journal titles in the reference list) are
marked in the text with :data:`ITALIC_START` … :data:`ITALIC_END`, two private-use characters that no survey
text contains; :func:`segments` splits a string into (text, italic) runs for the writers, :func:`plain`
drops the marks (Excel cells, search).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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
    level: int = 2  # 1: a part heading (the client report's appendix), 2: a numbered section
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


def number_document(doc: Document) -> None:
    """Number sections, tables and figures within each section's chapter ("4", "A", or "" for plain
    numbers): 4.1, 表4-1 / Table 4.1, 图4-1 / Figure 4.1."""
    counters: dict[tuple[str, str], int] = {}
    for s in doc.sections:
        ch = s.chapter
        if s.level == 2:
            counters[(ch, "section")] = counters.get((ch, "section"), 0) + 1
            s.number = f"{ch}.{counters[(ch, 'section')]}" if ch else str(counters[(ch, "section")])
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
