"""The HTML writer: one self-contained page (inline CSS and SVG, no script, no network), autoescaped, from
the Jinja2 template ``templates/report.html.j2``."""

from __future__ import annotations

import base64

import jinja2
from markupsafe import Markup, escape

from ..pipeline import StudyResults
from .build import build_document
from .document import ITALIC_END, ITALIC_START, Document, Figure, Table
from .text import fmt, fmt_p, stars


def _italics(value):
    """Every printed string: escaped, and its italic marks as <i> elements."""
    if isinstance(value, str) and not isinstance(value, Markup) and ITALIC_START in value:
        return Markup(str(escape(value)).replace(ITALIC_START, "<i>").replace(ITALIC_END, "</i>"))
    return value


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("study.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             finalize=_italics)
    env.filters.update(f3=fmt, p=fmt_p, stars=stars)
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def render_document(doc: Document) -> str:
    """The HTML of an assembled document."""
    env = _environment()
    return env.get_template("report.html.j2").render(
        doc=doc, kind=lambda b: "table" if isinstance(b, Table) else "figure" if isinstance(b, Figure) else "text",
        svg=lambda fig: jinja2.utils.markupsafe.Markup(fig.canvas.to_svg()))


def render_html(res: StudyResults, lang: str | None = None, audience: str = "thesis", *, client: str | None = None,
                logo=None, chapter: str = "4") -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no network needed, no script)."""
    return render_document(build_document(res, lang, audience, client=client, logo=logo, chapter=chapter))


def path_diagram_svg(res: StudyResults, lang: str) -> str:
    """The structural model as inline SVG (kept for callers of the first report version)."""
    doc = build_document(res, lang)
    return next(f for f in doc.figures() if f.key == "model").canvas.to_svg()
