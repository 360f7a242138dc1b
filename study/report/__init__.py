"""Stage 5: the report — a thesis chapter, a client report or a teaching edition, in Chinese or English,
as one self-contained HTML page, a Word file and an Excel workbook of its tables.

The renderers only read a :class:`~study.pipeline.StudyResults`; every number comes from it. The
document is assembled once (:func:`build_document`) and written three ways, so the HTML, the Word file and
the workbook hold the same tables with the same numbers. Tables are numbered "表4-1" / "Table 4.1" with
the caption above and notes below, in the three-line style; figures are numbered with the caption below.
Autoescaping is on: names from the study file or the data are shown as text, never as markup.

Audiences:

- ``thesis`` (default): the empirical chapter in the order examiners expect;
- ``client``: an executive summary with the client's name and logo first, the technical detail in an appendix;
- ``class``: the thesis chapter with, after each table, how to read it and the formula behind it.

In: :class:`~study.pipeline.StudyResults`. Out: report.html, report.docx, tables.xlsx and results.json.
Modules: :mod:`.build` (the document model, assembled), :mod:`.document` (its parts and numbering),
:mod:`.tables` and :mod:`.narrative` (tables and generated text of each section), :mod:`.text` (labels,
thresholds, number formats), :mod:`.figures` (SVG/PNG figures), :mod:`.scores` (construct scores, IPMA),
and one writer each: :mod:`.html`, :mod:`.docx`, :mod:`.xlsx`, :mod:`.results_json`.
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and editors; at run time the names load at first use
    from .build import AUDIENCES, build_document
    from .html import path_diagram_svg, render_document, render_html
    from .outputs import write_outputs, write_report

# The writers are imported at their first use (PEP 562): reading a study file checks its citations against
# .references, and that need not load the renderers and openpyxl (0.2 s) before the first analysis.
_EXPORTS = {"AUDIENCES": ".build", "build_document": ".build", "path_diagram_svg": ".html",
            "render_document": ".html", "render_html": ".html", "write_outputs": ".outputs", "write_report": ".outputs"}
__all__ = ["AUDIENCES", "build_document", "path_diagram_svg", "render_document", "render_html", "write_outputs",
           "write_report"]  # the keys of _EXPORTS


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
