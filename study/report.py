"""Stage 5: the report — one self-contained HTML file rendered with Jinja2.

The renderer only reads a :class:`~study.pipeline.StudyResults`; every number comes from it. Text is
in Chinese or English (``lang``), tables are numbered "表4-1" / "Table 4.1" with the caption above,
in the three-line style theses use. Autoescaping is on: names from the study file or the data are
shown as text, never as markup.
"""

from __future__ import annotations

import math
from pathlib import Path

import jinja2

from .pipeline import StudyResults

# Thresholds with their sources, as examiners expect them quoted.
FIT_CRITERIA = [
    # key, label, direction, acceptable, good, source
    ("chisq/df", "χ²/df", "max", 3.0, 2.0, "Kline 2016"),
    ("cfi", "CFI", "min", 0.90, 0.95, "Hu & Bentler 1999"),
    ("tli", "TLI", "min", 0.90, 0.95, "Hu & Bentler 1999"),
    ("rmsea", "RMSEA", "max", 0.08, 0.06, "Browne & Cudeck 1993; Hu & Bentler 1999"),
    ("srmr", "SRMR", "max", 0.08, 0.08, "Hu & Bentler 1999"),
    ("gfi", "GFI", "min", 0.80, 0.90, "Jöreskog & Sörbom 1984; Doll et al. 1994"),
    ("agfi", "AGFI", "min", 0.80, 0.90, "Jöreskog & Sörbom 1984; Doll et al. 1994"),
    ("nfi", "NFI", "min", 0.90, 0.95, "Bentler & Bonett 1980"),
    ("ifi", "IFI", "min", 0.90, 0.95, "Bollen 1989"),
]

TEXT = {
    "en": {
        "report": "Empirical analysis", "simulated": "Simulated data",
        "simulated_note": "The responses analysed here are simulated by the tool from the population model "
                          "in the study file. They illustrate the analysis; they are not findings about real customers.",
        "source": "Data source", "warnings": "Warnings", "no_warnings": "No warnings.",
        "s_sample": "Sample and data screening", "s_items": "Descriptive statistics of the items",
        "s_reliability": "Reliability", "s_validity": "Validity", "s_cmb": "Common method bias",
        "s_corr": "Construct correlations", "s_fit": "Model fit", "s_paths": "Structural paths and hypotheses",
        "s_mediation": "Mediation", "s_about": "About this report",
        "reasons": {"incomplete answers": "incomplete answers", "straight-lining": "straight-lining"},
        "received": "Respondents received", "analysed": "Respondents analysed", "excluded": "Excluded",
        "reason": "Reason", "count": "n", "share": "%",
        "item": "Item", "construct": "Construct", "mean": "Mean", "sd": "SD", "min": "Min", "max": "Max",
        "skew": "Skewness", "kurt": "Kurtosis", "missing": "Missing",
        "items_note": "Skewness and kurtosis are SPSS's G1 and G2 (excess kurtosis). |skewness| < 2 and "
                      "|kurtosis| < 7 are taken as acceptable for ML estimation (Kline 2016; West, Finch & Curran 1995).",
        "n_items": "Items", "alpha": "Cronbach's α", "std_alpha": "Standardized α", "citc": "CITC",
        "aid": "α if item deleted", "cr": "CR", "ave": "AVE", "loading": "Std. loading",
        "rel_note": "Criteria: α ≥ .70 (Nunnally 1978); corrected item–total correlation (CITC) ≥ .40; "
                    "an item whose deletion raises α is marked †.",
        "kmo_text": "KMO = {kmo} and Bartlett's test of sphericity χ²({df}) = {chisq}, p {p}: {verdict}",
        "kmo_ok": "the items are suitable for factor analysis (KMO ≥ .70, Kaiser 1974).",
        "kmo_bad": "the KMO is below .70 (Kaiser 1974): factor analysis of these items is questionable.",
        "cfa_title": "Confirmatory factor analysis: standardized loadings, CR and AVE",
        "cfa_note": "Standardized loadings from the measurement model (all constructs correlated, ML). "
                    "CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²)), AVE = mean λ² (Fornell & Larcker 1981); "
                    "criteria: loading ≥ .70 (≥ .60 acceptable), CR ≥ .70, AVE ≥ .50 (Hair et al. 2019). "
                    "Second-order constructs: loadings of their dimensions in the structural model.",
        "cfa_fit": "Fit of the measurement model",
        "fl_title": "Discriminant validity: Fornell–Larcker criterion",
        "fl_note": "Diagonal: √AVE; below it: latent correlations from the CFA. Discriminant validity holds when "
                   "each √AVE exceeds the construct's correlations (Fornell & Larcker 1981); failures are bold.",
        "htmt_title": "Discriminant validity: heterotrait–monotrait ratio (HTMT)",
        "htmt_note": "HTMT as semTools computes it (geometric means of item correlations, Roemer, Schuberth & "
                     "Henseler 2021). Criterion: HTMT < .85 (< .90 for conceptually close constructs; Henseler, "
                     "Ringle & Sarstedt 2015); values at or above .85 are bold.",
        "harman_text": "Harman's single-factor test: the first unrotated factor explains {share} of the variance of "
                       "all items, {verdict} (Podsakoff et al. 2003).",
        "harman_ok": "below the 50 % that would signal a serious common method bias",
        "harman_bad": "at or above 50 %: common method variance may inflate the relations between constructs",
        "index": "Index", "value": "Value", "criterion": "Criterion", "verdict": "Verdict",
        "good": "good", "acceptable": "acceptable", "poor": "poor",
        "chisq_line": "χ² = {chisq}, df = {df}, p {p}",
        "fit_note": "Indices as lavaan defines them (ML). Criteria: see the sources in the table; GFI/AGFI ≥ .90 "
                    "good, ≥ .80 acceptable (Doll, Xia & Torkzadeh 1994).",
        "hypothesis": "Hypothesis", "path": "Path", "expected": "Expected", "result": "Result",
        "supported": "supported", "not_supported": "not supported", "not_judged": "not judged",
        "not-interpretable": "not interpretable (improper solution)",
        "paths_note": "B: unstandardized estimate; S.E.: standard error; C.R.: critical ratio (z); β: standardized "
                      "estimate (std.all). * p < .05, ** p < .01, *** p < .001. A hypothesis is supported when its "
                      "path is significant (p < .05) in the expected direction.",
        "r2": "R²", "r2_title": "Explained variance of the endogenous constructs",
        "chain": "Indirect path", "effect": "Indirect effect", "ci": "95 % bootstrap CI", "type": "Mediation",
        "mc_ci": "95 % Monte Carlo CI",
        "med_note": "Unstandardized indirect effect (product of paths) with percentile bootstrap interval from "
                    "{resamples} resamples (seed {seed}); β: standardized indirect effect; an indirect effect "
                    "counts when its interval excludes 0. Mediation types after Zhao, Lynch & Chen (2010).",
        "med_none_boot": "No bootstrap was run (--bootstrap 0): significance is judged on the Monte Carlo interval "
                          "({draws} draws from the estimates' normal sampling distribution; Preacher & Selig 2012).",
        "mc_note": " Monte Carlo interval: {draws} draws from the estimates' normal sampling distribution "
                   "(Preacher & Selig 2012), shown for comparison.",
        "full": "full (indirect only)", "complementary": "partial (complementary)",
        "competitive": "partial (competitive)", "direct-only": "none (direct only)", "none": "none",
        "indirect": "indirect (no direct path in the model)",
        "about": "Produced by loyalty-study {version} on {created}. Estimation: maximum likelihood; the solution "
                 "is refined to lavaan's convergence and all fit indices follow lavaan 0.6's definitions.",
        "fig_model": "Structural model with standardized paths",
        "mi_title": "Largest modification indices of the structural model",
        "mi_note": "MI: expected drop of χ² if the parameter were freed; EPC: expected parameter change (sEPC: "
                   "standardized). Shown for diagnosis only: freeing parameters because the data suggest it fits "
                   "the model to this sample and needs a substantive reason (MacCallum, Roznowski & Necowitz 1992).",
        "parameter": "Parameter",
        "s_groups": "Group comparison", "g_fit": "Measurement and structural invariance across groups of {column}",
        "g_paths": "Structural paths by {column}", "model": "Model", "configural": "Configural",
        "metric": "Metric (equal loadings)", "structural": "Structural (equal loadings and paths)",
        "g_fit_note": "Δχ²: chi-square difference to the less constrained model above it. Invariance holds when "
                      "Δχ² is not significant (p ≥ .05); with large samples also ΔCFI ≥ −.01 (Cheung & Rensvold 2002).",
        "g_paths_note": "Unconstrained (configural) model. C.R.: critical ratio of the difference between the groups' "
                        "unstandardized paths, (B₁ − B₂)/√(SE₁² + SE₂²); |C.R.| > 1.96 means the path differs at p < .05.",
        "cr_diff": "C.R. of difference",
        "improper": "Improper or unreliable solution",
        "improper_note": "The estimates below are not valid findings; read the warnings first.",
    },
    "zh": {
        "report": "实证分析", "simulated": "模拟数据",
        "simulated_note": "本报告分析的数据由本工具按研究文件中的总体模型模拟生成，仅用于演示分析流程，不是关于真实顾客的研究结论。",
        "source": "数据来源", "warnings": "警告", "no_warnings": "无警告。",
        "s_sample": "样本与数据筛选", "s_items": "题项描述性统计", "s_reliability": "信度分析",
        "s_validity": "效度分析", "s_cmb": "共同方法偏差检验", "s_corr": "构念相关分析", "s_fit": "模型拟合",
        "s_paths": "路径系数与假设检验", "s_mediation": "中介效应检验", "s_about": "关于本报告",
        "reasons": {"incomplete answers": "作答不完整", "straight-lining": "直线作答（所有题项同一答案）"},
        "received": "回收问卷", "analysed": "有效样本", "excluded": "剔除", "reason": "原因", "count": "人数",
        "share": "百分比",
        "item": "题项", "construct": "构念", "mean": "均值", "sd": "标准差", "min": "最小值", "max": "最大值",
        "skew": "偏度", "kurt": "峰度", "missing": "缺失",
        "items_note": "偏度与峰度为 SPSS 的 G1、G2（超额峰度）。|偏度| < 2、|峰度| < 7 视为可接受，满足极大似然估计对近似正态的要求（Kline 2016；West, Finch & Curran 1995）。",
        "n_items": "题项数", "alpha": "Cronbach's α", "std_alpha": "标准化 α", "citc": "CITC",
        "aid": "删除该题项后的 α", "cr": "组合信度 CR", "ave": "平均方差抽取量 AVE", "loading": "标准化载荷",
        "rel_note": "判断标准：α ≥ 0.70（Nunnally 1978）；校正的项总相关 CITC ≥ 0.40；删除后 α 上升的题项以 † 标出。",
        "kmo_text": "KMO 值为 {kmo}，Bartlett 球形检验 χ²({df}) = {chisq}，p {p}：{verdict}",
        "kmo_ok": "数据适合做因子分析（KMO ≥ 0.70，Kaiser 1974）。",
        "kmo_bad": "KMO 低于 0.70（Kaiser 1974），因子分析的适宜性存疑。",
        "cfa_title": "验证性因子分析：标准化载荷、CR 与 AVE",
        "cfa_note": "标准化载荷来自测量模型（各构念自由相关，极大似然估计）。CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²))，AVE = λ² 的均值（Fornell & Larcker 1981）；标准：载荷 ≥ 0.70（≥ 0.60 可接受），CR ≥ 0.70，AVE ≥ 0.50（Hair et al. 2019）。二阶构念：各维度在结构模型中的载荷。",
        "cfa_fit": "测量模型拟合",
        "fl_title": "区分效度：Fornell–Larcker 检验",
        "fl_note": "对角线为 AVE 的平方根，下三角为验证性因子分析的潜变量相关系数。各构念 √AVE 大于其与其他构念的相关系数时，区分效度成立（Fornell & Larcker 1981）；不满足者加粗。",
        "htmt_title": "区分效度：异质—单质比率（HTMT）",
        "htmt_note": "HTMT 按 semTools 的算法（题项相关的几何平均，Roemer, Schuberth & Henseler 2021）。标准：HTMT < 0.85（概念相近的构念 < 0.90；Henseler, Ringle & Sarstedt 2015）；≥ 0.85 者加粗。",
        "harman_text": "Harman 单因子检验：未旋转的第一个因子解释了全部题项 {share} 的方差，{verdict}（Podsakoff et al. 2003）。",
        "harman_ok": "低于 50% 的临界值，不存在严重的共同方法偏差",
        "harman_bad": "达到或超过 50%，共同方法偏差可能夸大构念之间的关系",
        "index": "拟合指标", "value": "数值", "criterion": "标准", "verdict": "判断",
        "good": "良好", "acceptable": "可接受", "poor": "不佳",
        "chisq_line": "χ² = {chisq}，df = {df}，p {p}",
        "fit_note": "指标定义与 lavaan 一致（极大似然估计）。标准的出处见表；GFI/AGFI ≥ 0.90 为良好，≥ 0.80 为可接受（Doll, Xia & Torkzadeh 1994）。",
        "hypothesis": "假设", "path": "路径", "expected": "预期", "result": "结论",
        "supported": "支持", "not_supported": "不支持", "not_judged": "无法判断",
        "not-interpretable": "无法解释（解不合理）",
        "paths_note": "B：非标准化系数；S.E.：标准误；C.R.：临界比（z 值）；β：标准化系数。* p < .05，** p < .01，*** p < .001。路径在预期方向上显著（p < .05）时假设得到支持。",
        "r2": "R²", "r2_title": "内生构念的解释方差",
        "chain": "中介路径", "effect": "间接效应", "ci": "95% Bootstrap 置信区间", "type": "中介类型",
        "mc_ci": "95% 蒙特卡洛置信区间",
        "med_note": "非标准化间接效应（路径系数之积），百分位 Bootstrap 置信区间基于 {resamples} 次重抽样（种子 {seed}）；β 为标准化间接效应。置信区间不含 0 时间接效应显著。中介类型依 Zhao, Lynch & Chen (2010)。",
        "med_none_boot": "未进行 Bootstrap（--bootstrap 0）：显著性依据蒙特卡洛置信区间判断（从估计值的正态抽样分布中抽取 {draws} 次；Preacher & Selig 2012）。",
        "mc_note": "蒙特卡洛置信区间：从估计值的正态抽样分布中抽取 {draws} 次（Preacher & Selig 2012），供对照。",
        "full": "完全中介（仅间接效应）", "complementary": "部分中介（互补型）", "competitive": "部分中介（竞争型）",
        "direct-only": "无中介（仅直接效应）", "none": "无中介", "indirect": "间接效应显著（模型中无直接路径）",
        "about": "由 loyalty-study {version} 于 {created} 生成。估计方法：极大似然；解收敛至 lavaan 的精度，全部拟合指标采用 lavaan 0.6 的定义。",
        "fig_model": "结构模型及标准化路径系数",
        "mi_title": "结构模型最大的修正指数",
        "mi_note": "MI：释放该参数后 χ² 的预期下降量；EPC：参数的预期变化（sEPC 为标准化值）。仅供诊断：仅因数据提示而释放参数是在拟合本样本，必须有理论依据（MacCallum, Roznowski & Necowitz 1992）。",
        "parameter": "参数",
        "s_groups": "多群组比较", "g_fit": "{column} 各组之间的测量与结构不变性检验",
        "g_paths": "按 {column} 分组的结构路径", "model": "模型", "configural": "形态等同（未限定）",
        "metric": "测量等同（载荷相等）", "structural": "结构等同（载荷与路径相等）",
        "g_fit_note": "Δχ²：与上一行限定较少的模型相比的卡方差异。Δχ² 不显著（p ≥ .05）时不变性成立；大样本下亦可参考 ΔCFI ≥ −0.01（Cheung & Rensvold 2002）。",
        "g_paths_note": "未限定（形态等同）模型的估计。C.R.：两组非标准化路径系数之差的临界比 (B₁ − B₂)/√(SE₁² + SE₂²)；|C.R.| > 1.96 表示该路径在两组间差异显著（p < .05）。",
        "cr_diff": "差异临界比 C.R.",
        "improper": "解不合理或不可靠",
        "improper_note": "以下估计值不能作为研究结论，请先阅读警告。",
    },
}


def fmt(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:.{digits}f}".replace("-", "−")


def fmt_p(p) -> str:
    """p as APA prints it: '< .001' or '= .023'."""
    if p is None or not math.isfinite(p):
        return "—"
    return "< .001" if p < 0.001 else f"= {p:.3f}".replace("0.", ".", 1)


def stars(p) -> str:
    if p is None or not math.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def fit_verdict(key: str, value: float) -> tuple[str, str]:
    """(criterion text, verdict key) for a fit index."""
    for k, _, direction, acceptable, good, _ in FIT_CRITERIA:
        if k == key:
            if value is None or not math.isfinite(value):
                return "", "poor"
            if direction == "min":
                verdict = "good" if value >= good else "acceptable" if value >= acceptable else "poor"
                return (f"≥ {acceptable:.2f}" + (f" (≥ {good:.2f})" if good != acceptable else "")), verdict
            verdict = "good" if value <= good else "acceptable" if value <= acceptable else "poor"
            return (f"≤ {acceptable:.2f}" + (f" (≤ {good:.2f})" if good != acceptable else "")), verdict
    raise KeyError(key)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("study", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(f3=fmt, p=fmt_p, stars=stars)
    return env


def render_html(res: StudyResults, lang: str | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no network needed)."""
    lang = lang or res.study.meta.language
    text = TEXT[lang]
    study = res.study
    counter = {"table": 0, "figure": 0}

    def caption(kind: str, title: str) -> str:
        counter[kind] += 1
        n = counter[kind]
        if lang == "zh":
            return f"{'表' if kind == 'table' else '图'}4-{n} {title}"
        return f"{'Table' if kind == 'table' else 'Figure'} 4.{n} {title}"

    def name(code: str) -> str:
        try:
            return study.construct(code).label(lang)
        except StopIteration:
            return code

    def fmt_text(key: str, **values) -> str:
        return text[key].format(**values)

    fit_rows = [(label, res.sem_fit[key], *fit_verdict(key, res.sem_fit[key]), source)
                for key, label, *_rest, source in FIT_CRITERIA]
    cfa_rows = [(label, res.cfa_fit[key], *fit_verdict(key, res.cfa_fit[key]))
                for key, label, *_ in FIT_CRITERIA]
    item_text = {i.code: (i.text.get(lang) if i.text else "") for i in study.items}

    def group_label(column: str, code: str) -> str:
        for b in study.background:
            if b.code == column:
                for level in b.levels:
                    if str(level.code) == str(code):
                        return level.label.get(lang)
        return str(code)

    def column_label(column: str) -> str:
        question = next((b for b in study.background if b.code == column), None)
        return question.text.get(lang) if question and question.text else column

    def group_test(g, level: str) -> dict | None:
        return next((t for t in g.tests if t["model"] == level), None)

    def group_path(g, code: str, frm: str, to: str) -> dict:
        p = g.paths
        return p[(p["group"] == code) & (p["from"] == frm) & (p["to"] == to)].iloc[0].to_dict()

    def group_difference(g, frm: str, to: str) -> dict:
        d = g.differences
        return d[(d["from"] == frm) & (d["to"] == to)].iloc[0].to_dict()

    item_construct = {i.code: c.code for c in study.first_order for i in c.items}
    env = _environment()
    return env.get_template("report.html.j2").render(
        r=res, s=study, t=text, lang=lang, caption=caption, name=name, tx=fmt_text, fit_rows=fit_rows,
        cfa_rows=cfa_rows, item_text=item_text, item_construct=item_construct,
        diagram=path_diagram_svg(res, lang), title=study.meta.title.get(lang), group_label=group_label,
        group_path=group_path, group_difference=group_difference, column_label=column_label,
        group_test=group_test)


def path_diagram_svg(res: StudyResults, lang: str) -> str:
    """The structural model as inline SVG: constructs left to right by causal order, standardized paths
    with stars, R² under each endogenous construct, non-significant paths dashed."""
    study = res.study
    codes = study.structural_constructs
    causes: dict[str, list[str]] = {c: [] for c in codes}
    for h in study.model.hypotheses:
        causes[h.to].append(h.from_)
    level: dict[str, int] = {}

    def depth(c: str, seen=()) -> int:
        if c in level:
            return level[c]
        if c in seen:
            return 0
        level[c] = 0 if not causes[c] else 1 + max(depth(x, seen + (c,)) for x in causes[c])
        return level[c]

    for c in codes:
        depth(c)
    columns: dict[int, list[str]] = {}
    for c in codes:
        columns.setdefault(level[c], []).append(c)
    box_w, box_h, gap_x, gap_y = 150, 54, 110, 60
    col_of = {c: level[c] for c in codes}
    # Paths that skip a column are drawn as arcs, alternately above and below the boxes.
    skips = [h for h in res.hypotheses if abs(col_of[h.to] - col_of[h.from_]) > 1]
    arc = 34  # arc height per skipped column
    span = max((abs(col_of[h.to] - col_of[h.from_]) for h in skips), default=0)
    margin = 34 + arc * span
    width = len(columns) * box_w + (len(columns) - 1) * gap_x + 40
    rows_h = max(len(v) for v in columns.values()) * (box_h + gap_y) - gap_y
    height = rows_h + 2 * margin
    pos = {}
    for col, members in columns.items():
        total = len(members) * box_h + (len(members) - 1) * gap_y
        for k, c in enumerate(members):
            pos[c] = (20 + col * (box_w + gap_x), margin + (rows_h - total) / 2 + k * (box_h + gap_y))
    esc = jinja2.utils.markupsafe.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" '
             f'class="diagram" aria-label="{esc(TEXT[lang]["fig_model"])}">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222"/></marker></defs>']
    for h in res.hypotheses:
        (x1, y1), (x2, y2) = pos[h.from_], pos[h.to]
        dash = "" if h.pvalue < 0.05 else ' stroke-dasharray="6 4"'
        label = f'{esc(h.id)}: {esc(fmt(h.std_all, 2))}{esc(stars(h.pvalue))}'
        if h in skips:
            above = skips.index(h) % 2 == 0
            ax, bx = x1 + box_w / 2, x2 + box_w / 2
            ay = y1 if above else y1 + box_h
            by = y2 if above else y2 + box_h
            lift = arc * abs(col_of[h.to] - col_of[h.from_]) * (-1 if above else 1)
            cx, cy = (ax + bx) / 2, min(ay, by) + 2 * lift if above else max(ay, by) + 2 * lift
            parts.append(f'<path d="M{ax:.1f},{ay:.1f} Q{cx:.1f},{cy:.1f} {bx:.1f},{by:.1f}" fill="none" '
                         f'stroke="#222" stroke-width="1.4" marker-end="url(#arrow)"{dash}/>')
            mx, my = (ax + 2 * cx + bx) / 4, (ay + 2 * cy + by) / 4 + (-5 if above else 14)
        else:
            ax, ay = x1 + box_w, y1 + box_h / 2
            bx, by = x2, y2 + box_h / 2
            if x2 <= x1:  # same column: connect bottom to top
                ax, ay, bx, by = x1 + box_w / 2, y1 + box_h, x2 + box_w / 2, y2
            parts.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="#222" '
                         f'stroke-width="1.4" marker-end="url(#arrow)"{dash}/>')
            mx, my = (ax + bx) / 2, (ay + by) / 2 - 6
        parts.append(f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" class="coef">{label}</text>')
    for c, (x, y) in pos.items():
        parts.append(f'<rect x="{x}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="27" fill="#fff" '
                     'stroke="#222" stroke-width="1.4"/>')
        label = study.construct(c).label(lang)
        parts.append(f'<text x="{x + box_w / 2}" y="{y + box_h / 2 + (-2 if c in res.r2 else 5):.1f}" '
                     f'text-anchor="middle" class="node">{esc(label)}</text>')
        if c in res.r2:
            parts.append(f'<text x="{x + box_w / 2}" y="{y + box_h / 2 + 16:.1f}" text-anchor="middle" '
                         f'class="r2">R² = {esc(fmt(res.r2[c], 2))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_report(res: StudyResults, out_dir: Path, lang: str | None = None) -> Path:
    path = out_dir / "report.html"
    path.write_text(render_html(res, lang), encoding="utf-8")
    return path
