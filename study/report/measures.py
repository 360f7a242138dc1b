"""The measures and their sources: one row per construct with its number of items and the scale it was
adapted from, as a thesis's method chapter lists them (构念、题项数、来源).

A construct's ``source:`` in the study file is free text, printed as given, or cites the reference list with
``[@key]`` markers (see :mod:`.references`); cited sources enter the chapter's reference list like any other
citation. The table is left out when no construct names a source.
"""

from __future__ import annotations

from .document import Table
from .tables import hdr, integer, txt
from ..questionnaire.base import Text

TEXT = {
    "en": {"t_measures": "Measures and their sources", "construct": "Construct", "n_items": "Items",
           "source": "Source", "dimensions": "second-order: {dims}",
           "note": "Items were adapted from the sources listed; reverse-scored items are marked in the reliability "
                   "table."},
    "zh": {"t_measures": "各构念的测量题项数与量表来源", "construct": "构念", "n_items": "题项数",
           "source": "量表来源", "dimensions": "二阶构念：{dims}",
           "note": "各题项改编自所列来源；反向计分题项在信度表中标出。"},
}


def _source_text(source, lang: str) -> str:
    if source is None:
        return ""
    return (source.get(lang) if isinstance(source, Text) else str(source)).strip()


def measures_table(study, lang: str, name) -> Table | None:
    """Construct, number of items (a second-order construct: the items of its dimensions) and source."""
    t = TEXT[lang]
    constructs = list(study.constructs)
    if not any(_source_text(c.source, lang) for c in constructs):
        return None
    by_code = {c.code: c for c in study.constructs}
    body = []
    for c in constructs:
        if c.dimensions:
            k = sum(len(by_code[d].items) for d in c.dimensions if d in by_code)
            label = name(c.code) + ("（" if lang == "zh" else " (") + t["dimensions"].format(
                dims=("、" if lang == "zh" else ", ").join(name(d) for d in c.dimensions)) + ("）" if lang == "zh" else ")")
        else:
            k, label = len(c.items), name(c.code)
        body.append([txt(label, "label"), integer(k), txt(_source_text(c.source, lang) or "—")])
    notes = [t["note"]] if any(i.reverse for i in study.items) else []
    return Table("measures", t["t_measures"], [hdr(t["construct"], t["n_items"], t["source"])], body, notes=notes)
