"""The report as one document model: :func:`build_document` assembles the sections in the order examiners
expect, from the tables (:mod:`.tables`), the text (:mod:`.narrative`) and the figures (:mod:`.figures`), for
one language and one audience. The writers (:mod:`.html`, :mod:`.docx`, :mod:`.xlsx`) only render it.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import differences as diff
from . import model_questions
from ..messages import in_language
from ..pipeline import StudyResults
from ..questionnaire import Text
from . import conclusions as cl
from . import figures
from . import narrative as nv
from . import narrative_model as nm
from .classroom import class_notes, true_vs_estimated
from .measures import measures_table, ratings_table
from .analyses_sections import AnalysesSections
from .analyses_text import TEXT as ANALYSES_TEXT
from .document import Document, Figure, Paragraph, Section, number_document
from .markup import plain_text, resolve_document
from .narrative import Context
from .scores import construct_scores, driver_ipma, response_distribution, score_summary, top_box
from .tables import Tables
from .text import READING, TEXT, estimation_label, fmt, stars

AUDIENCES = ("thesis", "client", "class")


def _redact(text: str) -> str:
    """Drop row numbers and respondent ids that screening messages list: they identify respondents, and
    the report carries no respondent-level data (excluded_respondents.csv lists them beside it)."""
    # respondents are numbered by their line in a CSV file, their row in a sheet or their case number
    unit = r"(?:rows?|lines?|cases?)"
    text = re.sub(rf"\s*\({unit} [0-9][0-9, ]*(?:; \.\.\. \(\d+ more\))?(?:, \.\.\.)?\)", "", text)
    text = re.sub(rf"\s*\({unit} \d+: [^)]*\)", "", text)
    text = re.sub(rf"\b{unit} \d+(?:, \d+)*(?:, \.\.\.)?", "rows listed in excluded_respondents.csv", text)
    return text


def _logo(logo) -> tuple[str, bytes] | None:
    if logo is None:
        return None
    data = Path(logo).read_bytes() if isinstance(logo, (str, Path)) else bytes(logo)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        mime = "image/png"
    elif data[:3] == b"\xff\xd8\xff":
        mime = "image/jpeg"
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        mime = "image/gif"
    elif b"<svg" in data[:1000]:
        mime = "image/svg+xml"
    else:
        raise ValueError("the logo must be a PNG, JPEG, GIF or SVG image")
    return mime, data


def build_document(res: StudyResults, lang: str | None = None, audience: str = "thesis", *,
                   client: str | None = None, logo=None, chapter: str = "4") -> Document:
    """The report as a :class:`~study.report.document.Document` (numbered, in one language).

    Parameters
    ----------
    res : StudyResults
    lang : {"zh", "en"}, optional
        Default: the study's ``study.language``.
    audience : {"thesis", "client", "class"}
    client : str, optional
        The client's name (client report).
    logo : path or bytes, optional
        The client's logo (PNG, JPEG, GIF or SVG), embedded in the HTML and (PNG/JPEG/GIF) the Word file.
    chapter : str
        Chapter number used in section, table and figure numbers (thesis and class).
    """
    lang = lang or res.study.meta.language
    if lang not in TEXT:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}")
    t = TEXT[lang]
    study = res.study
    scores = construct_scores(res.data.items, study)
    summary = score_summary(scores)
    maps = driver_ipma(study, res.sem, res.data.items, res.effects["total"]) \
        if res.sem_proper and res.method != "pls" else {}
    ctx = Context(res=res, lang=lang, scores=summary, ipma=maps)
    name = ctx.name
    proper = ctx.status.proper

    def label_of(column: str, code=None) -> str:
        q = next((b for b in study.background if b.code == column), None)
        if code is None:
            return q.label(lang) if q else column
        if q:
            for level in q.levels:
                if str(level.code) == str(code):
                    return level.label.get(lang) or str(code)
        return str(code)

    main_map = cl.main_map(ctx)
    tb = Tables(res, lang, t, name, label_of, summary, main_map[1] if main_map else None)

    def paras(texts, kind="finding"):
        return [Paragraph(x, kind=kind) for x in texts if x]

    # ---- the chapter, in the order of the brief
    sec: dict[str, Section] = {}

    def add(key: str, title: str, blocks: list) -> None:
        sec[key] = Section(anchor=key, title=title, blocks=[b for b in blocks if b is not None])

    screening = tb.screening()
    screening.notes = [x for x in (_redact(in_language(n, lang, report=True)) for n in res.data.notes) if x]
    add("sample", t["s_sample"], [*paras(nv.sample(ctx)), screening, tb.demographics()])

    item_groups = [(f"{c.label(lang)}", [i.code for i in c.items]) for c in study.first_order]
    shares = response_distribution(res.data.items[[i.code for i in study.items]], study.scale.min, study.scale.max)
    labels = (study.scale.labels or {}).get(lang) or (study.scale.labels or {}).get("en" if lang == "zh" else "zh") \
        or [str(v) for v in range(study.scale.min, study.scale.max + 1)]
    likert = Figure("likert", t["fig_likert"], figures.likert_bars(item_groups, shares, labels, t["fig_likert"]),
                    notes=[t["likert_note"] + (" " if lang == "en" else "") + t["likert_reverse"]
                           if res.data.reverse_coded else t["likert_note"]])
    add("items", t["s_items"], [measures_table(study, lang, name), *paras(nv.items(ctx)), tb.items(), tb.mardia(), likert])
    if item_blocks := diff.item_analysis_blocks(res, lang, name):
        add("item_analysis", diff.TEXT[lang]["s_item_analysis"], item_blocks)
    add("reliability", t["s_reliability"], [*paras(nv.reliability(ctx)), tb.reliability()])

    cb = res.sem is not None  # a PLS-SEM study (method pls) fits no covariance-based model
    if cb:
        v = nv.validity(ctx)
        vblocks = [Paragraph(v[0]), tb.kmo(), Paragraph(v[1]), tb.efa()]
        vblocks += [Paragraph(x) for x in v[2:3]] + [tb.cfa(), tb.cfa_fit()]
        vblocks += [Paragraph(x) for x in v[3:]] + [tb.fornell_larcker(), tb.htmt(), tb.htmt_ci()]
        add("validity", t["s_validity"], vblocks)
        add("cmb", t["s_cmb"], [*paras(nv.cmb(ctx)), tb.method_factor()])
    add("corr", t["s_corr"], [*paras(nv.correlations(ctx)), tb.correlations()])
    if difference_blocks := diff.differences_blocks(res, lang, audience):
        add("differences", diff.TEXT[lang]["s_differences"], difference_blocks)

    scored = AnalysesSections(ctx, label_of, audience)
    if regression_blocks := scored.regression():
        add("regression", ANALYSES_TEXT[lang]["s_regression"], regression_blocks)
    if cb:
        _add_structural_model(add, ctx, tb, t, proper, paras)
    for key, blocks in (("moderation", scored.moderation()), ("moderated_mediation", scored.moderated_mediation())):
        if blocks:
            add(key, ANALYSES_TEXT[lang]["s_" + key], blocks)
    if cb:
        if res.groups:
            gblocks = [*paras(nm.groups(ctx, label_of))]
            for g in res.groups:
                gblocks += [tb.group_fit(g), tb.group_paths(g)]
            add("groups", t["s_groups"], gblocks)
        model_questions.add_sections(sec, add, ctx, label_of)
    ipma_blocks = []
    if main_map:
        level, m = main_map
        out_name = name(m.outcome)
        label = (lambda code: name(code)) if level != "item" else (lambda code: code)
        canvas = figures.ipma_map([{"label": label(p.code), "importance": p.importance, "performance": p.performance}
                                   for p in m.points], m.importance_cut, m.performance_cut,
                                  {"x": t["ipma_x"], "y": t["ipma_y"], **{q: t[q] for q in
                                                                          ("concentrate", "keep", "low", "overkill")}},
                                  t["fig_ipma"].format(outcome=out_name))
        ipma_blocks = [*paras(cl.ipma(ctx)), Figure("ipma", t["fig_ipma"].format(outcome=out_name), canvas),
                       tb.ipma_table(level)]
        if level != "item" and "item" in maps:
            ipma_blocks.append(Tables(res, lang, t, name, label_of, summary, maps["item"]).ipma_table("item"))
    if cb:
        add("conclusions", t["s_conclusions"], [scored.hypothesis_summary(), *ipma_blocks, *paras(cl.conclusions(ctx)),
                                                *paras(scored.conclusions())])
    # PLS-SEM (model.method pls or both): its own sections (study/report/pls.py)
    if res.pls is not None:
        from .pls import pls_conclusions, pls_sections
        sec.update(pls_sections(res, lang, name, t, label_of))
        if res.method == "pls":
            pls_ipma = sec.pop("pls_ipma", None)
            add("conclusions", t["s_conclusions"], [*(pls_ipma.blocks if pls_ipma else []),
                                                    *paras(pls_conclusions(res, lang, name))])
        else:  # both: the PLS conclusion after the covariance-based one
            sec["conclusions"].blocks += paras(pls_conclusions(res, lang, name))
    add("limitations", t["s_limitations"], paras(cl.limitations(ctx)))

    # ---- front matter: the failed model first, then the notices and the ranked warnings
    front = []
    if not proper and res.method != "pls":  # with pls the covariance-based model is not reported
        front.append(Paragraph(nm.improper_box(ctx), kind="warning", lead=t["improper"]))
    if study.data.simulated:
        front.append(Paragraph(t["simulated_note"] if study.data.population else t["simulated_note_plain"],
                               kind="notice", lead=t["simulated"]))
    source = study.data.source.get(lang) if isinstance(study.data.source, Text) else study.data.source
    if source:
        front.append(Paragraph(source.strip(), kind="plain", lead=t["source"]))
    if study.meta.description and study.meta.description.get(lang):
        front.append(Paragraph(study.meta.description.get(lang), kind="plain"))
    # warnings whose report form is empty are said in the body already (e.g. the exclusions, in the sample section)
    shown = [x for x in (_redact(in_language(w, lang, report=True)) for w in res.warnings) if x]
    warnings = Paragraph(t["no_warnings"] if not shown else "", kind="list", items=shown,
                         lead=t["warnings_n"].format(n=len(shown)))

    title = study.meta.title.get(lang)
    author = study.meta.author.get(lang) if isinstance(study.meta.author, Text) else study.meta.author
    byline = " · ".join(x for x in (author, study.meta.institution, study.meta.date) if x)
    doc = Document(lang=lang, audience=audience, title=title, subtitle="", client=client, logo=_logo(logo),
                   # a thesis chapter carries no tool stamp; the client and class editions say what made them
                   footer="" if audience == "thesis" else t["about"].format(version=res.version, created=str(res.created)[:10],
                                                                            estimation=estimation_label(res, t)),
                   labels={k: t[k] for k in ("how_to_read", "formula", "warnings", "no_warnings", "logo", "lead_end",
                                             "lead_colon")})
    order = ["sample", "items", "item_analysis", "reliability", "validity", "cmb", "corr", "differences", "regression",
             "fit", "paths", "mediation", "alternatives", "moderation", "moderated_mediation", "groups",
             "pls_measurement", "pls_structural", "pls_groups", "pls_compare", "pls_ipma", "conclusions", "limitations"]
    if res.method == "pls":  # the PLS chapters replace the covariance-based ones
        order = ["sample", "items", "item_analysis", "reliability", "pls_measurement", "corr", "differences",
                 "regression", "pls_structural", "moderation", "moderated_mediation", "pls_groups", "conclusions",
                 "limitations"]
    if audience == "client":
        doc.subtitle = " · ".join(x for x in (t["client_report"], t["prepared_for"].format(client=client) if client else "",
                                              byline) if x)
        boxes = top_box(res.data.items, study.scale.max)
        # what the client must know before reading any finding: a failed model, simulated data, who answered
        caveats = [*[b for b in front if b.kind in ("warning", "notice")],
                   *[b for b in front if b.kind == "plain" and b.lead != t["source"]]]
        if res.method == "pls":  # the findings are PLS's
            summary_blocks = [*caveats, *sec["conclusions"].blocks]
        else:
            summary_blocks = [*caveats, *paras(cl.executive_summary(ctx)),
                              Paragraph("", kind="list", lead=t["key_findings"], items=cl.plain_findings(ctx, boxes))]
        actions = cl.action_list(ctx) if res.method != "pls" else []
        if actions:
            summary_blocks.append(Paragraph("", kind="list", lead=t["actions"], items=actions))
        if ipma_blocks:
            summary_blocks += [b for b in ipma_blocks if isinstance(b, Figure)]
        doc.front = []
        doc.sections = [Section("summary", t["s_summary"], summary_blocks, chapter="")]
        appendix = [Section("appendix", t["s_appendix"], [*[b for b in front if b.kind == "plain" and b.lead == t["source"]],
                                                          *([warnings] if shown else []),
                                                          ratings_table(study, res.data.items, boxes, lang, name)],
                            level=1, chapter="A")]
        for key in order:
            if key in sec and key != "conclusions":
                s = sec[key]
                s.chapter = "A"
                appendix.append(s)
        if ipma_blocks and res.method != "pls":  # how the priorities were computed: text, map and tables
            appendix.append(Section("ipma", t["s_ipma"], [b for b in ipma_blocks if not isinstance(b, Figure)],
                                    chapter="A"))
        doc.sections += appendix
    else:
        doc.subtitle = " · ".join(x for x in ((t["class_report"] if audience == "class" else t["report"]), byline) if x)
        doc.front = [*front, warnings] if shown else front  # a thesis chapter carries no empty warning box
        for key in order:
            if key in sec:
                sec[key].chapter = chapter
                doc.sections.append(sec[key])
    if audience == "class":
        notes = class_notes(ctx)
        for table in doc.tables():
            reading = (READING.get(table.key) or diff.READING.get(table.key, {})).get(lang)
            if reading:
                table.reading, table.formula = reading
                if table.key in notes:
                    table.reading = f"{table.reading} {notes[table.key]}"
        truth = true_vs_estimated(ctx, t)
        if truth is not None and "paths" in sec:
            sec["paths"].blocks.append(truth)
    number_document(doc)
    resolve_document(doc)
    return doc


def _add_structural_model(add, ctx: Context, tb: Tables, t: dict, proper: bool, paras) -> None:
    """The covariance-based model's sections: fit, the path diagram with the hypothesis tests, mediation."""
    res, lang, name, study = ctx.res, ctx.lang, ctx.name, ctx.res.study
    add("fit", t["s_fit"], [*paras(nm.fit(ctx)), tb.fit(), tb.modification()])
    # an improper model's diagram shows the hypothesized paths only: no values, no significance
    diagram_paths = [{"from": h.from_, "to": h.to, "significant": (h.pvalue < 0.05) if proper else None,
                      "label": f"{h.id}: {fmt(h.std_all, 2)}{stars(h.pvalue)}" if proper else h.id}
                     for h in res.hypotheses]
    r2_labels = {k: f"R² = {fmt(x, 2)}" for k, x in res.r2.items() if k in study.structural_constructs} if proper else {}
    diagram = Figure("model", t["fig_model"] + ("" if proper else t["improper_fig"]),
                     figures.path_diagram(study.structural_constructs, {c: name(c) for c in study.structural_constructs},
                                          diagram_paths, r2_labels, t["fig_model"],
                                          (plain_text(t["legend_sig"], lang), plain_text(t["legend_ns"], lang))
                                          if proper else None))
    add("paths", t["s_paths"], [diagram, *paras(nm.paths(ctx)), tb.paths(), tb.r2(), tb.effects()])
    if res.mediation:
        add("mediation", t["s_mediation"], [*paras(nm.mediation(ctx)), tb.mediation()])
