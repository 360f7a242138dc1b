"""The report's files: report.html, report.docx and tables.xlsx from one assembled document."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..background import BackgroundStage, can_fork
from ..pipeline import StudyResults
from .build import build_document
from .html import render_document, render_html
from .xlsx import write_xlsx


def write_outputs(res: StudyResults, out_dir: Path, lang: str | None = None, audience: str = "thesis", *,
                  client: str | None = None, logo=None, chapter: str = "4", timings=None,
                  meanwhile: Callable[[], None] | None = None) -> dict[str, Path]:
    """Write report.html, report.docx and tables.xlsx into ``out_dir``; returns {"html", "docx", "xlsx"} → path.

    ``timings`` (a :class:`study.timings.Timings`), if given, gets one stage per file. ``meanwhile``, if
    given, is called after the HTML and Excel files are written, while the Word file may still be being
    written (the command line writes results.json and the CSV files then)."""
    mark = timings.start if timings is not None else (lambda name: None)
    out_dir = Path(out_dir)
    mark("report: document (tables, text, figures)")
    doc = build_document(res, lang, audience, client=client, logo=logo, chapter=chapter)
    paths = {"html": out_dir / "report.html", "docx": out_dir / "report.docx", "xlsx": out_dir / "tables.xlsx"}
    # The Word file, the slowest of the three, is written by a second process (a forked copy of this one, see
    # study/background.py) while this one writes the HTML and Excel files; where fork is not available, after them.
    beside = can_fork()
    word = BackgroundStage("report: Word", _write_docx, doc, paths["docx"], background=beside,
                           stage_times=timings.add_beside if timings is not None else None)
    try:
        mark("report: HTML")
        paths["html"].write_text(render_document(doc), encoding="utf-8")
        mark("report: Excel")
        write_xlsx(doc, paths["xlsx"])
        if meanwhile is not None:
            meanwhile()
    except BaseException:
        word.cancel()
        raise
    mark("report: Word" if not beside else "report: waiting for the Word file")
    word.result()
    return paths


def _write_docx(doc, path: Path) -> None:
    """:func:`.docx.write_docx`, imported here: python-docx (0.1 s to import) is not loaded by every import of
    the report package (the command line loads it while the analyses run, see cli._import_report_writers)."""
    from .docx import write_docx

    write_docx(doc, path)


def write_report(res: StudyResults, out_dir: Path, lang: str | None = None) -> Path:
    """report.html only (the thesis chapter); see :func:`write_outputs` for the Word and Excel files."""
    path = Path(out_dir) / "report.html"
    path.write_text(render_html(res, lang), encoding="utf-8")
    return path
