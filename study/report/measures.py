"""The measures and their sources: one row per construct with its number of items and the scale it was
adapted from, as a thesis's method chapter lists them (构念、题项数、来源).

A construct's ``source:`` in the study file is free text, printed as given, or cites the reference list with
``[@key]`` markers (see :mod:`.references`); cited sources enter the chapter's reference list like any other
citation. The table is left out when no construct names a source.
"""

from __future__ import annotations

from .document import Table
from .scores import construct_items, rescale
from .tables import hdr, integer, num, txt
from ..questionnaire.base import Text

TEXT = {
    "en": {"t_ratings": "Ratings on 0–100 and top-two shares",
           "rating": "Rating (0–100)", "top2": "Top two points (%)",
           "ratings_note": "Rating: the mean answer rescaled to 0–100, 100·(mean − {lo})/({hi} − {lo}). Top two points: "
                           "the share of the customers answering {a} or {b}, averaged over the construct's questions. "
                           "These are the figures of the summary.",
           "t_measures": "Measures and their sources", "construct": "Construct", "n_items": "Items",
           "source": "Source", "dimensions": "second-order: {dims}",
           "note": "Items were adapted from the sources listed; reverse-scored items are marked in the reliability "
                   "table."},
    "zh": {"t_ratings": "各方面评价（0–100）与最高两档占比",
           "rating": "评价（0–100）", "top2": "最高两档占比（%）",
           "ratings_note": "评价：平均作答换算为 0–100，即 100·(均值 − {lo})/({hi} − {lo})。最高两档占比：选择 {a} 或 {b} 的"
                           "顾客比例，按该构念的各个问题取平均。即摘要中的数字。",
           "t_measures": "各构念的测量题项数与量表来源", "construct": "构念", "n_items": "题项数",
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


def ratings_table(study, items, top_box, lang: str, name) -> Table:
    """The client summary's figures for every construct: the rating on 0–100 and the top-two-box share (the
    share of customers answering one of the two highest points, averaged over the construct's questions)."""
    t, sc = TEXT[lang], study.scale
    body = []
    for c in study.constructs:
        cols = construct_items(study, c.code)
        mean = float(items[cols].mean(axis=1).mean())
        body.append([txt(name(c.code), "label"), num(rescale(mean, sc.min, sc.max), 1),
                     num(100 * float(top_box[cols].mean()), 1)])
    note = t["ratings_note"].format(lo=sc.min, hi=sc.max, a=sc.max - 1, b=sc.max)
    return Table("ratings", t["t_ratings"], [hdr(t["construct"], t["rating"], t["top2"])], body, notes=[note])
