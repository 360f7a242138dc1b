"""The report's files: report.html, report.docx and tables.xlsx from one assembled document."""

from __future__ import annotations

from pathlib import Path

from ..pipeline import StudyResults
from .build import build_document
from .docx import write_docx
from .html import render_document, render_html
from .xlsx import write_xlsx


def write_outputs(res: StudyResults, out_dir: Path, lang: str | None = None, audience: str = "thesis", *,
                  client: str | None = None, logo=None, chapter: str = "4", timings=None) -> dict[str, Path]:
    """Write report.html, report.docx and tables.xlsx into ``out_dir``; returns {"html", "docx", "xlsx"} → path.

    ``timings`` (a :class:`study.timings.Timings`), if given, gets one stage per file."""
    mark = timings.start if timings is not None else (lambda name: None)
    out_dir = Path(out_dir)
    mark("report: document (tables, text, figures)")
    doc = build_document(res, lang, audience, client=client, logo=logo, chapter=chapter)
    paths = {"html": out_dir / "report.html", "docx": out_dir / "report.docx", "xlsx": out_dir / "tables.xlsx"}
    mark("report: HTML")
    paths["html"].write_text(render_document(doc), encoding="utf-8")
    mark("report: Word")
    write_docx(doc, paths["docx"])
    mark("report: Excel")
    write_xlsx(doc, paths["xlsx"])
    return paths


def write_report(res: StudyResults, out_dir: Path, lang: str | None = None) -> Path:
    """report.html only (the thesis chapter); see :func:`write_outputs` for the Word and Excel files."""
    path = Path(out_dir) / "report.html"
    path.write_text(render_html(res, lang), encoding="utf-8")
    return path
