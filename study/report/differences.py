"""Report sections of the SPSS half of the chapter: item analysis (项目分析) and group differences (差异分析).

Tables, generated text and the means plot, built from ``res.item_analysis`` and ``res.differences``
(:mod:`study.analyses.chapter`) into the document model, so the HTML, Word and Excel outputs hold the same
numbers; and the ``item_analysis`` and ``differences`` parts of results.json. Every sentence is derived
from a number and a rule; associational wording (the data are cross-sectional).
"""

from __future__ import annotations

import math

import numpy as np

from ..messages import in_language
from . import figures
from .document import Cell, Figure, Paragraph, Table
from .tables import hdr, num, pcell, txt
from .text import fmt
from ..messages import counted

# [@!cohen1988]: d 0.20 / 0.50 / 0.80; η² 0.01 / 0.06 / 0.14; r 0.10 / 0.30 / 0.50
EFFECT_CUTS = {"d": (0.2, 0.5, 0.8), "eta2": (0.01, 0.06, 0.14), "r": (0.1, 0.3, 0.5)}
METHODS = {"tukey": "Tukey HSD", "games-howell": "Games–Howell", "bonferroni": "Bonferroni", "lsd": "LSD",
           "scheffe": "Scheffé"}

TEXT = {
    "en": {
        "s_item_analysis": "Item analysis", "s_differences": "Group differences",
        "t_items": "Item analysis: critical ratio and item–total correlation",
        "scale": "Scale", "item": "Item", "m_high": "M (high)", "m_low": "M (low)", "cr": "CR (t)",
        "r_total": "r (item–total)", "citc": "CITC", "decision": "Decision", "retain": "retain", "check": "check",
        "items_note": "High and low groups: respondents with a scale total at or above the 73rd and at or below the "
                      "27th percentile (SPSS percentiles; [@kelley1939]; [@wu2010]). CR: t of high − low, Welch's t "
                      "when Levene's test (mean-centred) rejects equal variances at 0.05. Criteria ([@wu2010]): CR "
                      "significant at 0.05 and ≥ 3.0; corrected item–total correlation (CITC, with the other items' "
                      "total) ≥ 0.40. r (item–total): with the total including the item.",
        "items_note_2nd": " The items of a second-order construct form one scale here, while the reliability table "
                          "computes CITC within each first-order construct, so the two CITCs of such an item differ.",
        "cuts": "{scale}: low ≤ {low} (*n* = {n_low}), high ≥ {high} (*n* = {n_high})",
        "t_diff": "Differences in the construct scores by {name}",
        "t_posthoc": "Post-hoc comparisons by {name} ({method})",
        "outcome": "Construct", "ms": "*M* ± *SD*", "levene": "Levene *p*", "d": "Cohen's d", "eta2": "η²",
        "posthoc": "Post hoc", "mw": "Mann–Whitney p", "kw": "Kruskal–Wallis p", "pair": "Pair",
        "difference": "Difference", "se": "SE", "p_adj": "p (adjusted)", "ci": "95 % CI",
        "diff_note_t": "Student's t when Levene's test ({centre}) does not reject equal variances at 0.05; "
                       "ᵃ Welch's t when it does. d = (M₁ − M₂) / pooled SD ([@cohen1988]: 0.20 small, 0.50 medium, "
                       "0.80 large).",
        "diff_note_f": "One-way ANOVA F when Levene's test ({centre}) does not reject equal variances at 0.05; ᵃ "
                       "Welch's F when it does. η² = SS between / SS total ([@cohen1988]: 0.01 small, 0.06 medium, 0.14 "
                       "large). Post hoc: pairs whose means differ at *p* < 0.05 ({method}), shown only when the F test "
                       "is significant; groups by their number.",
        "centre_mean": "mean-centred, as SPSS", "centre_median": "median-centred, as R's car",
        "auto_method": "Tukey HSD, or Games–Howell where Levene's test rejects equal variances",
        "nonparam_note": "Rank tests (two-sided): Mann–Whitney U for two groups, Kruskal–Wallis H for more.",
        "small_note": "† fewer than {min} respondents: described, not tested.",
        "stars_note": "* *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001.",
        "fig_means": "Construct means by {name} with 95 % confidence intervals",
        "axis": "Mean score",
        "posthoc_note": "Difference = mean of the first group − mean of the second; p and the 95 % CI adjusted by "
                        "the {method} procedure.",
        "sizes": {"negligible": "negligible", "small": "small", "medium": "medium", "large": "large"},
    },
    "zh": {
        "s_item_analysis": "项目分析", "s_differences": "差异分析",
        "t_items": "项目分析：决断值与题项—总分相关",
        "scale": "量表", "item": "题项", "m_high": "高分组均值", "m_low": "低分组均值", "cr": "决断值 CR（t）",
        "r_total": "题总相关 r", "citc": "CITC", "decision": "结果", "retain": "保留", "check": "待检查",
        "items_note": "高分组与低分组：量表总分不低于第 73 百分位数与不高于第 27 百分位数的受访者（SPSS 百分位数；"
                      "[@kelley1939]；[@wu2010]）。决断值为高分组减低分组的 t 值；Levene 检验（以均值为中心）在 0.05 "
                      "水平上拒绝方差齐性时采用 Welch t。标准（[@wu2010]）：决断值在 0.05 水平上显著且不低于 3.0；"
                      "校正的题项—总分相关（CITC，与其余题项总分的相关）不低于 0.40。题总相关 r 为与含该题项总分的相关。",
        "items_note_2nd": "二阶构念的全部题项在此作为一个量表计算，而信度分析表在各一阶构念内部计算 CITC，因此同一题项的两个 CITC 不同。",
        "cuts": "{scale}：低分组 ≤ {low}（*n* = {n_low}），高分组 ≥ {high}（*n* = {n_high}）",
        "t_diff": "不同{name}在各构念上的差异分析",
        "t_posthoc": "不同{name}的事后多重比较（{method}）",
        "outcome": "构念", "ms": "*M* ± *SD*", "levene": "Levene *p*", "d": "Cohen's d", "eta2": "η²",
        "posthoc": "事后比较", "mw": "Mann–Whitney p", "kw": "Kruskal–Wallis p", "pair": "比较组",
        "difference": "均值差", "se": "标准误", "p_adj": "p（校正）", "ci": "95% 置信区间",
        "diff_note_t": "Levene 检验（{centre}）在 0.05 水平上未拒绝方差齐性时为 Student t；ᵃ 拒绝时为 Welch t。"
                       "d = (M₁ − M₂) / 合并标准差（0.20 为小，0.50 为中，0.80 为大；[@cohen1988]）。",
        "diff_note_f": "Levene 检验（{centre}）在 0.05 水平上未拒绝方差齐性时为单因素方差分析 F；ᵃ 拒绝时为 Welch F。"
                       "η² = 组间平方和 / 总平方和（0.01 为小，0.06 为中，0.14 为大；[@cohen1988]）。事后比较列出均值"
                       "在 *p* < 0.05 水平上差异显著的组对（{method}），仅在 F 检验显著时列出；组以编号表示。",
        "centre_mean": "以均值为中心，与 SPSS 相同", "centre_median": "以中位数为中心，与 R 的 car 包相同",
        "auto_method": "方差齐性时为 Tukey HSD，Levene 检验拒绝方差齐性时为 Games–Howell",
        "nonparam_note": "秩检验（双侧）：两组为 Mann–Whitney U 检验，多组为 Kruskal–Wallis H 检验。",
        "small_note": "† 人数少于 {min}：仅作描述，未纳入检验。",
        "stars_note": "* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。",
        "fig_means": "不同{name}的构念均值及其 95% 置信区间",
        "axis": "均值",
        "posthoc_note": "均值差 = 前一组均值 − 后一组均值；p 与 95% 置信区间经 {method} 法校正。",
        "sizes": {"negligible": "可忽略", "small": "较小", "medium": "中等", "large": "较大"},
    },
}

READING = {
    "item_analysis": {
        "en": ("Each item should separate the respondents with the highest totals from those with the lowest (a "
               "large, significant CR) and go with the rest of its scale (CITC ≥ 0.40); an item that fails either "
               "is a candidate for rewording or deletion.",
               "CR = (M(high) − M(low)) / √(s²(high)/n(high) + s²(low)/n(low)) (Welch) or with the pooled variance; "
               "CITC = r(item, total − item)"),
        "zh": ("好的题项应能区分总分最高与最低的受访者（决断值大且显著），并与所属量表的其他题项一致（CITC ≥ 0.40）；"
               "未达到任一标准的题项应考虑修改或删除。",
               "CR = (M高 − M低) / √(s²高/n高 + s²低/n低)（Welch）或采用合并方差；CITC = r(题项, 总分 − 题项)"),
    },
    "differences": {
        "en": ("Compare the group means row by row: the test says whether the difference is larger than chance, "
               "the effect size how large it is. With unequal variances (Levene *p* < 0.05) read Welch's test.",
               "t = (M₁ − M₂) / √(sₚ²(1/n₁ + 1/n₂));  F = MS between / MS within;  η² = SS between / SS total"),
        "zh": ("逐行比较各组均值：检验说明差异是否超出随机误差，效应量说明差异有多大。方差不齐（Levene *p* < 0.05）时看 Welch 检验。",
               "t = (M₁ − M₂) / √(sₚ²(1/n₁ + 1/n₂))；F = MS组间 / MS组内；η² = SS组间 / SS总"),
    },
    "posthoc": {
        "en": ("Each row compares two groups; a pair differs when its adjusted p is below 0.05 and its confidence "
               "interval excludes 0.", "Tukey: q = |M(a) − M(b)| / √(MS within/2 · (1/n(a) + 1/n(b)))"),
        "zh": ("每行比较两组；校正后 *p* < 0.05 且置信区间不含 0 时，两组差异显著。",
               "Tukey：q = |M(a) − M(b)| / √(MS组内/2 · (1/n(a) + 1/n(b)))"),
    },
}


def size_word(kind: str, value: float) -> str:
    """Cohen's (1988) label of an effect size: negligible, small, medium or large."""
    small, medium, large = EFFECT_CUTS[kind]
    v = abs(value)
    return "large" if v >= large else "medium" if v >= medium else "small" if v >= small else "negligible"


def _p_text(p) -> str:
    if p is None or not math.isfinite(p):
        return "*p* = —"
    return "*p* < 0.001" if p < 0.001 else f"*p* = {p:.3f}"


def _mid(name: str) -> str:
    """A name inside an English sentence: "Gender" → "gender", "Monthly income (CNY)" → "monthly income (CNY)";
    names that start with an acronym ("RFM segment") or are not English stay as they are."""
    if len(name) > 1 and name[0].isupper() and name[1].islower() and name.isascii():
        return name[0].lower() + name[1:]
    return name


def _df(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.2f}"


class _Words:
    def __init__(self, lang: str):
        self.lang, self.t = lang, TEXT[lang]

    def L(self, en: str, zh: str) -> str:
        return zh if self.lang == "zh" else en

    def __call__(self, message) -> str:
        return in_language(message, self.lang)

    def join(self, words: list[str]) -> str:
        words = [w for w in words if w]
        if len(words) <= 1:
            return "".join(words)
        if self.lang == "zh":
            return "、".join(words[:-1]) + "和" + words[-1]
        return ", ".join(words[:-1]) + " and " + words[-1]

    def size(self, kind: str, value: float) -> str:
        return self.t["sizes"][size_word(kind, value)]


# --------------------------------------------------------------------------------------------- item analysis

def item_analysis_blocks(res, lang: str, name) -> list:
    """The item-analysis section: its finding paragraph and its table (empty when nothing was run)."""
    analyses = getattr(res, "item_analysis", None) or {}
    if not analyses:
        return []
    w, t = _Words(lang), TEXT[lang]
    body, cuts = [], []
    rows_all = []
    for code, ia in analyses.items():
        table = ia.table
        for j, (item, row) in enumerate(table.iterrows()):
            first = [txt(name(code), "label", rowspan=len(table))] if j == 0 else []
            welch = row["equal_variances"] is False
            verdict = t["retain"] if row["keep"] else (f"{t['check']}：{w(row['reason'])}" if w.lang == "zh" else f"{t['check']}: {w(row['reason'])}")
            body.append(first + [txt(item), num(row["mean_high"], 2), num(row["mean_low"], 2),
                                 num(row["cr"], 2, p=row["pvalue"], bad=not row["cr_ok"], suffix="ᵃ" if welch else ""),
                                 num(row["item_total_r"]), num(row["citc"], bad=not row["citc_ok"]),
                                 txt(verdict, bad=not row["keep"])])
            rows_all.append((code, item, row))
        cuts.append(t["cuts"].format(scale=name(code), low=fmt(ia.low_cut, 2).rstrip("0").rstrip("."),
                                     high=fmt(ia.high_cut, 2).rstrip("0").rstrip("."), n_low=ia.n_low,
                                     n_high=ia.n_high))
    notes = [t["items_note"] + (t["items_note_2nd"] if res.study.second_order else ""),
             ("；" if lang == "zh" else "; ").join(cuts) + ("。" if lang == "zh" else "."),
             w.L("ᵃ Welch's t. ", "ᵃ Welch t。") + t["stars_note"]]
    formative = [name(c.code) for c in res.study.first_order if c.mode == "formative"]
    if formative:  # left out by analyses.chapter.item_analysis_chapter
        notes.append(w.L(f"Formative constructs ({', '.join(formative)}) are not analysed here: the critical ratio "
                         "and the item–total correlation assume items that reflect one construct ([@hair2022], ch. 5).",
                         f"形成型构念（{'、'.join(formative)}）未做项目分析：临界比与项总相关以题项反映同一构念为前提"
                         "（[@hair2022]，第 5 章）。"))
    table = Table("item_analysis", t["t_items"],
                  [hdr(t["scale"], t["item"], t["m_high"], t["m_low"], t["cr"], t["r_total"], t["citc"],
                       t["decision"])], body, notes=notes)
    return [Paragraph(x) for x in _item_text(w, rows_all, name)] + [table]


def _item_text(w: _Words, rows, name) -> list[str]:
    crs = [r["cr"] for _, _, r in rows if math.isfinite(r["cr"])]
    citcs = [r["citc"] for _, _, r in rows if math.isfinite(r["citc"])]
    flagged = [(code, item, r) for code, item, r in rows if not r["keep"]]
    n = len(rows)
    if not crs:
        return []
    span = w.L(f"critical ratios from {fmt(min(crs), 2)} to {fmt(max(crs), 2)} and corrected item–total "
               f"correlations from {fmt(min(citcs))} to {fmt(max(citcs))}",
               f"决断值介于 {fmt(min(crs), 2)} 与 {fmt(max(crs), 2)} 之间，校正的题项—总分相关介于 {fmt(min(citcs))} "
               f"与 {fmt(max(citcs))} 之间")
    if not flagged:
        return [w.L(f"All {n} items discriminate between the top and bottom 27 % of their scale's total and "
                    f"correlate well with the sum of the other items of their scale ({span}); every item meets both "
                    "criteria (CR significant and ≥ 3.0, CITC ≥ 0.40; [@wu2010]) and is retained.",
                    f"全部 {n} 个题项均能有效区分量表总分高分组（前 27%）与低分组（后 27%）的受访者，"
                    f"与所属量表其余题项的同质性也较好（{span}）；"
                    "各题项均达到两项标准（决断值显著且不低于 3.0，CITC 不低于 0.40；[@wu2010]），全部保留。")]
    listed_en = "; ".join(f"{item} ({name(code)}: {w.L(str(r['reason']), r['reason'].zh)})" for code, item, r in flagged)
    listed_zh = "；".join(f"{item}（{name(code)}：{getattr(r['reason'], 'zh', str(r['reason']))}）"
                         for code, item, r in flagged)
    return [w.L(f"Of the {n} items, {n - len(flagged)} meet both criteria (CR significant and ≥ 3.0, CITC ≥ 0.40; "
                f"[@wu2010]), with {span}. {counted(len(flagged), 'item')} {'falls' if len(flagged) == 1 else 'fall'} short: {listed_en}. They are retained, "
                "so that each scale keeps the items of its source; the reliability and validity sections show how the "
                "scales perform with them.",
                f"{n} 个题项中有 {n - len(flagged)} 个达到两项标准（决断值显著且不低于 3.0，CITC 不低于 0.40；"
                f"[@wu2010]），{span}。{len(flagged)} 个题项未达标：{listed_zh}。为保持量表与其来源一致，"
                "本研究保留这些题项，其对量表的影响见后文的信度与效度分析。")]


# --------------------------------------------------------------------------------------------- differences

def differences_blocks(res, lang: str, audience: str = "thesis") -> list:
    """The group-differences section: method paragraph, then per background question its findings, the means
    plot (when an outcome differs), its table and its post-hoc table (significant outcomes only); last, how many
    of the tests would be significant by chance alone (and, in the class edition with simulated data, that the
    population model gives the background questions no effect)."""
    chapter = getattr(res, "differences", None)
    if chapter is None or not chapter.groupings:
        return []
    w = _Words(lang)
    blocks: list = [Paragraph(_method_text(w, chapter), kind="plain")]
    for g in chapter.groupings:
        blocks += [Paragraph(x) for x in _grouping_text(w, chapter, g)]
        table = _difference_table(w, chapter, g)
        if table is not None:
            # the means plot only where a difference was found: seven plots of equal means say nothing
            if any(r.significant for r in g.results if r.skipped is None):
                blocks.append(_means_figure(w, chapter, g))
            blocks.append(table)
        posthoc = _posthoc_table(w, chapter, g)
        if posthoc is not None:
            blocks.append(posthoc)
    if (family := _family_text(w, res, chapter, audience)):
        blocks.append(Paragraph(family))
    if chapter.not_analysed:
        blocks.append(Paragraph("", kind="list", items=[w(m) for m in chapter.not_analysed],
                                lead=w.L("Not compared", "未比较的背景题项")))
    return blocks


def _family_text(w: _Words, res, chapter, audience: str) -> str:
    """The number of tests: with m tests at α = 0.05, about 0.05·m are significant by chance alone even when no
    group differs; Holm's (1979) step-down adjustment keeps the familywise error rate at 0.05."""
    import pingouin as pg  # Holm's adjustment; statsmodels' multipletests runs a full garbage collection

    ps = [r.test.pvalue for g in chapter.groupings for r in g.results
          if r.skipped is None and r.test is not None and math.isfinite(r.test.pvalue)]
    m = len(ps)
    if m < 2:
        return ""
    k = sum(p < 0.05 for p in ps)
    holm = int(pg.multicomp(ps, alpha=0.05, method="holm")[0].sum())
    n_q = sum(1 for g in chapter.groupings if any(r.skipped is None for r in g.results))
    expected = 0.05 * m
    if k == 0:  # nothing significant: only the count, no adjustment to speak of
        return w.L(f"None of the {m} group comparisons of this section (over {counted(n_q, 'background question')}) "
                   "is significant at *p* < 0.05.",
                   f"本节 {m} 次组间比较（涉及 {n_q} 个背景题项）均未在 *p* < 0.05 水平上显著。")
    text = w.L(
        f"This section makes {m} group comparisons (over {counted(n_q, 'background question')}), {k} of them significant at "
        f"*p* < 0.05. Even if no group differed in the population, about {expected:.1f} of {m} tests would be "
        f"significant at α = 0.05 by chance alone; after Holm's adjustment for the {m} tests ([@holm1979]) "
        + ("none remains significant" if holm == 0 else f"{holm} {'remains' if holm == 1 else 'remain'} significant")
        + (". The group differences above are therefore exploratory." if holm < k else "."),
        f"本节共进行 {m} 次组间比较（涉及 {n_q} 个背景题项），其中 {k} 次在 *p* < 0.05 水平上显著。"
        f"即使各组在总体中并无差异，在 α = 0.05 下也预期约有 {expected:.1f} 次检验仅凭机会而显著；"
        f"按 Holm 法对 {m} 次检验校正后（[@holm1979]），"
        + ("无一仍然显著" if holm == 0 else f"仍有 {holm} 次显著") + ("。因此上述组间差异只宜作探索性解读。" if holm < k else "。"))
    data = res.study.data
    if audience == "class" and data.simulated and data.population is not None and k:
        # the simulator draws the background answers independently of the constructs (study.data.simulate)
        text += w.L(
            f" Teaching point: these data were simulated from a population model in which the background questions "
            f"have no effect on any construct, so every one of the {k} significant differences here is a Type I "
            f"error ({k} against about {expected:.1f} expected; the construct scores are correlated, so a chance "
            "difference on one background question tends to appear on several scores at once).",
            f"教学提示：本数据由总体模型模拟生成，而该模型中背景变量对任何构念都没有效应，因此本节 {k} 个显著差异"
            f"全部是第一类错误（预期约 {expected:.1f} 个；由于各构念得分彼此相关，同一背景题项上的偶然差异往往同时出现在"
            "几个得分上）。")
    return text


def _centre(t: dict, chapter) -> str:
    return t["centre_mean"] if chapter.levene == "mean" else t["centre_median"]


def _method_name(t: dict, chapter) -> str:
    return t["auto_method"] if chapter.posthoc == "auto" else METHODS[chapter.posthoc]


def _method_text(w: _Words, chapter) -> str:
    t = w.t
    rank = {"never": w.L("", ""),
            "always": w.L(" Mann–Whitney and Kruskal–Wallis rank tests are reported for every construct.",
                          "所有构念同时报告 Mann–Whitney 与 Kruskal–Wallis 秩检验结果。"),
            "auto": w.L(" Where a group's scores are clearly non-normal (|skewness| ≥ 2 or |kurtosis| ≥ 7; [@west1995]), the rank test (Mann–Whitney U, Kruskal–Wallis H) is reported as well.",
                        "当某组得分明显偏离正态（|偏度| ≥ 2 或 |峰度| ≥ 7；[@west1995]）时，同时报告秩检验"
                        "（Mann–Whitney U、Kruskal–Wallis H）结果。")}[chapter.nonparametric]
    ordered = [g for g in chapter.groupings if g.ordered]
    trend_en = (" For ordered questions (" + ", ".join(w(g.name) for g in ordered) + ") a linear trend contrast "
                "over the ordered groups is tested as well (with each group's own variance when Levene's test "
                "rejects)." if ordered else "")
    trend_zh = ("有序背景题（" + "、".join(w(g.name) for g in ordered) + "）另做各组的线性趋势检验"
                "（Levene 检验拒绝方差齐性时采用各组自身方差）。" if ordered else "")
    return w.L(
        "The construct scores (item means) are compared across the groups of each background question: by the "
        "independent-samples t-test for two groups and by one-way ANOVA for more. Levene's test "
        f"({_centre(t, chapter)}) decides between the tests for equal and unequal variances (Student's or Welch's "
        f"*t*; the ANOVA *F* or Welch's *F*). Post-hoc pairs: {_method_name(t, chapter)}. "
        f"Groups with fewer than {chapter.min_group_size} respondents are described but not tested. Effect sizes "
        f"follow [@!cohen1988].{rank}{trend_en} Comparing observed mean scores assumes that the scales measure in "
        "the same way in every group (scalar invariance). The differences are associations in cross-sectional "
        "data, not effects of group membership.",
        "以各构念得分（题项均值）为因变量，按各背景题项分组比较：两组采用独立样本 t 检验，多组采用单因素方差分析。"
        f"以 Levene 检验（{_centre(t, chapter)}）判断方差是否齐性，据此选用方差齐性或不齐时的检验（Student *t* 或 Welch *t*；"
        f"方差分析 *F* 或 Welch *F*）。事后比较：{_method_name(t, chapter)}。"
        f"人数少于 {chapter.min_group_size} 的组仅作描述，不纳入检验。效应量的判断依据 [@!cohen1988]。{rank}{trend_zh}"
        "比较观测均值的前提是量表在各组中的测量方式相同（截距等同，即标量不变性）。横截面数据中的组间差异只表明相关，不表明组别造成了差异。")


def _label(w: _Words, g, level: str) -> str:
    return w(g.level_names.get(level, level))


OTHER_LEVELS = {"other", "others", "其他", "其它", "其他平台", "other platform"}


def _group(w: _Words, g, level: str) -> str:
    """A group as a noun in a sentence: zh "京东组"; a level literally called Other/其他 is named with its
    question ("“其他”平台组", en 'the "Other" group'), which would otherwise read as "the other groups"."""
    label = _label(w, g, level)
    if label.strip().casefold() in OTHER_LEVELS:
        return w.L(f"the “{label}” group", f"“{label}”{_short(w(g.name))}组")
    return w.L(label, f"{label}组")


def _short(name: str) -> str:
    """"常用购物平台" → itself; a question label with a bracket keeps only the part before it."""
    return name.split("（")[0].split("(")[0].strip()


def _difference_table(w: _Words, chapter, g) -> Table | None:
    t = w.t
    tested = g.tested
    if not tested:
        return None
    first = tested[0]
    levels = [lv for lv in g.levels if lv in first.groups.index]  # levels somebody chose
    number = {lv: k + 1 for k, lv in enumerate(levels)}
    two = first.kind == "t"
    show_rank = any(r.show_nonparametric for r in tested)
    group_heads = []
    for lv in levels:
        n = int(first.groups.loc[lv, "n"])
        dagger = "" if first.groups.loc[lv, "included"] else " †"
        prefix = "" if two else (f"（{number[lv]}）" if w.lang == "zh" else f"({number[lv]}) ")
        group_heads.append(f"{prefix}{_label(w, g, lv)}（*n* = {n}）{dagger}" if w.lang == "zh" else
                           f"{prefix}{_label(w, g, lv)} (*n* = {n}){dagger}")
    head = [t["outcome"], *group_heads]
    head += ["t", "p", t["d"]] if two else ["F", "p", t["eta2"], t["posthoc"]]
    head += [t["levene"]]
    if show_rank:
        head += [t["mw"] if two else t["kw"]]
    body = []
    for code, r in zip(chapter.outcomes, g.results):
        row = [txt(w(chapter.outcome_names[code]), "label")]
        for lv in levels:
            if lv in r.groups.index:
                x = r.groups.loc[lv]
                row.append(txt(f"{fmt(x['mean'], 2)} ± {fmt(x['sd'], 2)}", "num"))
            else:
                row.append(txt("—"))
        if r.skipped is not None:
            row += [txt("—")] * (len(head) - len(row))
            body.append(row)
            continue
        test = r.test
        welch = test.kind == "welch" or (not two and test.kind == "brown-forsythe")
        stat = test.t if two else test.f
        row.append(num(stat, 2 if not two else 3, p=test.pvalue, suffix="ᵃ" if welch else ""))
        row.append(pcell(test.pvalue))
        kind, value = r.effect_size
        row.append(num(value, 3, bad=False))
        if not two:
            row.append(txt(_pairs_text(w, r, number) if r.significant else "—"))
        lev = r.levene_mean if chapter.levene == "mean" else r.levene_median
        row.append(pcell(lev.pvalue))
        if show_rank:
            rank = r.nonparametric_test
            row.append(pcell(rank.pvalue) if rank is not None else txt("—"))
        body.append(row)
    centre = _centre(t, chapter)
    notes = [t["diff_note_t"].format(centre=centre) if two else
             t["diff_note_f"].format(centre=centre, method=_method_name(t, chapter))]
    if show_rank:
        notes.append(t["nonparam_note"])
    if any(not first.groups.loc[lv, "included"] for lv in levels):
        notes.append(t["small_note"].format(min=chapter.min_group_size))
    notes += [w(n) for n in g.notes]
    notes.append(t["stars_note"])
    title = t["t_diff"].format(name=_mid(w(g.name)) if w.lang == "en" else w(g.name))
    return Table("differences", title, [hdr(*head)], body, notes=notes)


def _pairs_text(w: _Words, r, number: dict) -> str:
    """Significant post-hoc pairs as 'higher > lower' by group number, e.g. '2 > 1, 3 > 1'."""
    if r.posthoc is None:
        return "—"
    out = []
    for _, row in r.posthoc.table.iterrows():
        if not (math.isfinite(row["pvalue"]) and row["pvalue"] < 0.05):
            continue
        hi, lo = (row["a"], row["b"]) if row["difference"] > 0 else (row["b"], row["a"])
        out.append(f"{number[hi]} > {number[lo]}")
    return ("，" if w.lang == "zh" else ", ").join(out) or "—"


def _means_figure(w: _Words, chapter, g) -> Figure:
    t = w.t
    first = g.tested[0]
    levels = [lv for lv in g.levels if lv in first.groups.index and first.groups.loc[lv, "included"]]
    means = {}
    for code, r in zip(chapter.outcomes, g.results):
        if r.skipped is not None:
            means[w(chapter.outcome_names[code])] = [None] * len(levels)
            continue
        means[w(chapter.outcome_names[code])] = [
            (float(r.groups.loc[lv, "mean"]), float(r.groups.loc[lv, "ci_lower"]), float(r.groups.loc[lv, "ci_upper"]))
            if lv in r.groups.index and r.groups.loc[lv, "included"] else None for lv in levels]
    title = t["fig_means"].format(name=_mid(w(g.name)) if w.lang == "en" else w(g.name))
    canvas = figures.means_plot(list(means), [_label(w, g, lv) for lv in levels], means, t["axis"], title)
    return Figure("means", title, canvas)


def _posthoc_table(w: _Words, chapter, g) -> Table | None:
    t = w.t
    rows = [(code, r) for code, r in zip(chapter.outcomes, g.results)
            if r.kind == "anova" and r.significant and r.posthoc is not None]
    if not rows:
        return None
    methods = sorted({r.posthoc.method for _, r in rows})
    method = " / ".join(METHODS[m] for m in methods)
    body = []
    for code, r in rows:
        table = r.posthoc.table
        for j, (_, row) in enumerate(table.iterrows()):
            first = [txt(w(chapter.outcome_names[code]) + (f" ({METHODS[r.posthoc.method]})" if len(methods) > 1 else ""),
                         "label", rowspan=len(table))] if j == 0 else []
            body.append(first + [txt(f"{_label(w, g, row['a'])} – {_label(w, g, row['b'])}"),
                                 num(row["difference"], 3, p=row["pvalue"]), num(row["se"]), pcell(row["pvalue"]),
                                 _ci(row["ci_lower"], row["ci_upper"])])
    return Table("posthoc", t["t_posthoc"].format(name=_mid(w(g.name)) if w.lang == "en" else w(g.name), method=method),
                 [hdr(t["outcome"], t["pair"], t["difference"], t["se"], t["p_adj"], t["ci"])], body,
                 notes=[t["posthoc_note"].format(method=method), t["stars_note"]])


def _ci(lo, hi) -> Cell:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return txt("—")
    return Cell(f"[{fmt(lo)}, {fmt(hi)}]", None, kind="num")


def _grouping_text(w: _Words, chapter, g) -> list[str]:
    """What is significant, how large, and the rank test where normality fails; nothing else is named."""
    name = w(g.name)
    tested = [(code, r) for code, r in zip(chapter.outcomes, g.results) if r.skipped is None]
    if not tested:
        reason = g.results[0].skipped if g.results else None
        return [w(reason)] if reason is not None else []
    sig = [(code, r) for code, r in tested if r.significant]
    constructs_only = all(chapter.outcome_kinds.get(code) == "construct" for code, _ in tested)
    noun_en, noun_zh = ("construct", "构念") if constructs_only else ("score", "变量")
    out = []
    for code, r in sig:
        out.append(_finding(w, chapter, g, code, r))
    rest = len(tested) - len(sig)
    others = [r.test.pvalue for _, r in tested if not r.significant and r.test is not None
              and math.isfinite(r.test.pvalue)]
    span = (f"*p* = {_p_text(min(others))[6:]}" if len(others) == 1 else
            f"*p* from {_p_text(min(others))[6:]} to {_p_text(max(others))[6:]}") if others else "*p* ≥ 0.05"
    span_zh = (f"*p* = {_p_text(min(others))[6:]}" if len(others) == 1 else
               f"*p* 值介于 {_p_text(min(others))[6:]}～{_p_text(max(others))[6:]}") if others else "*p* ≥ 0.05"
    if not sig:
        out.append(w.L(f"None of the {len(tested)} {noun_en}s differs significantly by {_mid(name)} ({span}).",
                       f"各{noun_zh}在{name}上均无显著差异（{span_zh}）。"))
    elif rest:
        out.append(w.L((f"The other {noun_en} does not differ significantly by {_mid(name)} ({span})." if rest == 1 else
                        f"The other {rest} {noun_en}s do not differ significantly by {_mid(name)} ({span})."),
                       f"其余 {rest} 个{noun_zh}在{name}上无显著差异（{span_zh}）。"))
    if g.ordered:
        trends = [(code, r) for code, r in tested if r.trend is not None and r.trend.pvalue < 0.05]
        n_trends = sum(1 for _, r in tested if r.trend is not None)
        for code, r in trends:
            up = r.trend.estimate > 0
            df = _df(r.trend.df)
            contrast = (f"linear trend *t*({df}) = {fmt(r.trend.t, 2)}, {_p_text(r.trend.pvalue)}"
                        + ("" if r.trend.equal_var else ", without assuming equal variances"))
            contrast_zh = (f"线性趋势 *t*({df}) = {fmt(r.trend.t, 2)}，{_p_text(r.trend.pvalue)}"
                           + ("" if r.trend.equal_var else "，不假定方差齐性"))
            if r.significant:
                out.append(w.L(
                    f"{w(chapter.outcome_names[code])} tends to be {'higher' if up else 'lower'} in the higher "
                    f"{_mid(name)} groups ({contrast}).",
                    f"{name}越高的组，{w(chapter.outcome_names[code])}{'越高' if up else '越低'}（{contrast_zh}）。"))
            else:
                out.append(w.L(
                    f"Although the overall test finds no difference, the linear trend contrast of the ordered groups "
                    f"does: {w(chapter.outcome_names[code])} tends to be {'higher' if up else 'lower'} in the higher "
                    f"{_mid(name)} groups ({contrast}). With {counted(n_trends, 'trend contrast')} tested for this question, "
                    f"about {0.05 * n_trends:.1f} would be significant by chance alone: treat it as exploratory.",
                    f"虽然整体检验未发现差异，有序组的线性趋势检验显示：{name}越高的组，{w(chapter.outcome_names[code])}"
                    f"{'越高' if up else '越低'}（{contrast_zh}）。本题共检验 {n_trends} 个趋势，"
                    f"仅凭机会约有 {0.05 * n_trends:.1f} 个会显著，因此只作探索性解读。"))
    if g.ordered:
        # the trend contrasts the method paragraph announces and that the text above does not report
        quiet = [r.trend.pvalue for _, r in tested
                 if r.trend is not None and math.isfinite(r.trend.pvalue) and r.trend.pvalue >= 0.05]
        if quiet:
            n_all = sum(1 for _, r in tested if r.trend is not None)
            p_en = (f"*p* = {_p_text(quiet[0])[6:]}" if len(quiet) == 1 else
                    f"*p* from {_p_text(min(quiet))[6:]} to {_p_text(max(quiet))[6:]}")
            p_zh = (f"*p* = {_p_text(quiet[0])[6:]}" if len(quiet) == 1 else
                    f"*p* 值介于 {_p_text(min(quiet))[6:]}～{_p_text(max(quiet))[6:]}")
            whose_en = ("" if len(quiet) == n_all else "the other ")
            out.append(w.L(
                f"The linear trend over the ordered groups of {_mid(name)} is not significant for "
                + (f"any of the {len(quiet)} {noun_en}s" if len(quiet) == n_all and len(quiet) > 1 else
                   f"{whose_en}{counted(len(quiet), noun_en)}") + f" ({p_en}).",
                ("各" if len(quiet) == n_all else f"其余 {len(quiet)} 个") + f"{noun_zh}随{name}的线性趋势均不显著（{p_zh}）。"))
    rank = [(code, r) for code, r in tested if r.nonparametric_test is not None and r.normal is False]
    if rank and chapter.nonparametric != "never":
        parts_en, parts_zh = [], []
        for code, r in rank:
            nt = r.nonparametric_test
            agree = (nt.pvalue < 0.05) == bool(r.significant)
            stat = (f"*U* = {fmt(nt.u, 1)}, {_p_text(nt.pvalue)}, *r* = {fmt(nt.rank_biserial)}" if r.kind == "t" else
                    f"*H*({nt.df}) = {fmt(nt.h, 2)}, {_p_text(nt.pvalue)}, ε² = {fmt(nt.epsilon2)}")
            label = w(chapter.outcome_names[code])
            parts_en.append(f"{label}: {stat}, {'in line with' if agree else 'unlike'} the parametric test")
            parts_zh.append(f"{label}：{stat.replace(', ', '，')}，{'与参数检验结论一致' if agree else '与参数检验结论不一致'}")
        test = "Mann–Whitney" if g.kind == "t" else "Kruskal–Wallis"
        out.append(w.L(f"Scores are clearly non-normal in at least one group (|skewness| ≥ 2 or |kurtosis| ≥ 7; "
                       f"[@west1995]) for {counted(len(rank), noun_en)}, so the {test} test is reported as well: "
                       + "; ".join(parts_en) + ".",
                       f"{len(rank)} 个{noun_zh}在至少一组中明显偏离正态（|偏度| ≥ 2 或 |峰度| ≥ 7；[@west1995]），"
                       f"因此同时报告 {test} 检验：" + "；".join(parts_zh) + "。"))
    return [" ".join(out) if w.lang == "en" else "".join(out)]


def _finding(w: _Words, chapter, g, code: str, r) -> str:
    name = w(g.name)
    label = w(chapter.outcome_names[code])
    test = r.test
    kind, value = r.effect_size
    size = w.size("d" if kind == "d" else "eta2", value)
    groups = r.groups[r.groups["included"]]
    if r.kind == "t":
        a, b = groups.index[0], groups.index[1]
        hi, lo = (a, b) if groups.loc[a, "mean"] >= groups.loc[b, "mean"] else (b, a)
        form = "Welch's *t*" if test.kind == "welch" else "*t*"
        stat = f"{form}({_df(test.df)}) = {fmt(test.t, 2)}, {_p_text(test.pvalue)}, *d* = {fmt(value, 2)}"
        stat_zh = f"{'Welch t' if test.kind == 'welch' else 't'}({_df(test.df)}) = {fmt(test.t, 2)}，{_p_text(test.pvalue)}，*d* = {fmt(value, 2)}"
        return w.L(
            f"{label} differs by {_mid(name)} ({stat}, a {size} effect): higher in {_label(w, g, hi)} "
            f"(*M* = {fmt(groups.loc[hi, 'mean'], 2)}) than in {_label(w, g, lo)} (*M* = {fmt(groups.loc[lo, 'mean'], 2)}).",
            f"不同{name}的受访者在{label}上存在显著差异（{stat_zh}，效应{size}）：{_label(w, g, hi)}"
            f"（*M* = {fmt(groups.loc[hi, 'mean'], 2)}）高于{_label(w, g, lo)}（*M* = {fmt(groups.loc[lo, 'mean'], 2)}）。")
    form = {"anova": "*F*", "welch": "Welch's *F*", "brown-forsythe": "Brown–Forsythe *F*"}[test.kind]
    form_zh = {"anova": "F", "welch": "Welch F", "brown-forsythe": "Brown–Forsythe F"}[test.kind]
    stat = f"({_df(test.df1)}, {_df(test.df2)}) = {fmt(test.f, 2)}"
    pairs = []
    if r.posthoc is not None:
        for _, row in r.posthoc.table.iterrows():
            if math.isfinite(row["pvalue"]) and row["pvalue"] < 0.05:
                hi, lo = (row["a"], row["b"]) if row["difference"] > 0 else (row["b"], row["a"])
                pairs.append(f"{_label(w, g, hi)} > {_label(w, g, lo)}")
    method = METHODS[r.posthoc.method] if r.posthoc is not None else ""
    pairs_en = (f"; {method} finds " + ", ".join(pairs)) if pairs else f"; no single pair differs in the {method} test"
    pairs_zh = (f"；{method} 事后比较显示：" + "，".join(pairs)) if pairs else f"；{method} 事后比较未发现差异显著的组对"
    top = groups["mean"].idxmax()
    bottom = groups["mean"].idxmin()
    return w.L(
        f"{label} differs by {_mid(name)} ({form}{stat}, {_p_text(test.pvalue)}, "
        f"η² = {fmt(value)}, a {size} effect){pairs_en}; the mean is highest in {_group(w, g, top)} "
        f"(*M* = {fmt(groups.loc[top, 'mean'], 2)}) and lowest in {_group(w, g, bottom)} "
        f"(*M* = {fmt(groups.loc[bottom, 'mean'], 2)}).",
        f"不同{name}的受访者在{label}上存在显著差异（{form_zh}{stat}，{_p_text(test.pvalue)}，η² = {fmt(value)}，"
        f"效应{size}）{pairs_zh}；{_group(w, g, top)}均值最高（*M* = {fmt(groups.loc[top, 'mean'], 2)}），"
        f"{_group(w, g, bottom)}最低（*M* = {fmt(groups.loc[bottom, 'mean'], 2)}）。")


# --------------------------------------------------------------------------------------------- results.json

def _num(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _obj(x) -> dict | None:
    if x is None:
        return None
    return {k: (v if isinstance(v, str) else [_num(t) for t in v] if isinstance(v, tuple) else _num(v))
            for k, v in x.__dict__.items()}


def _records(frame) -> list[dict] | None:
    if frame is None:
        return None
    return [{k: (v if isinstance(v, str) else _num(v)) for k, v in row.items()} for row in frame.to_dict("records")]


def differences_json(res) -> dict | None:
    """``differences`` of results.json (documented in the README)."""
    chapter = getattr(res, "differences", None)
    if chapter is None:
        return None
    out = {"outcomes": list(chapter.outcomes), "outcome_kinds": chapter.outcome_kinds, "posthoc": chapter.posthoc, "nonparametric": chapter.nonparametric,
           "levene_center": chapter.levene, "min_group_size": chapter.min_group_size,
           "not_analysed": [str(m) for m in chapter.not_analysed], "by": []}
    for g in chapter.groupings:
        entry = {"question": g.code, "ordered": g.ordered, "levels": list(g.levels),
                 "labels": {k: str(v) for k, v in g.level_names.items()},
                 "merged": {k: list(v) for k, v in g.merged.items()}, "notes": [str(n) for n in g.notes],
                 "outcomes": {}}
        for code, r in zip(chapter.outcomes, g.results):
            groups = r.groups.reset_index()
            groups["level"] = groups["level"].astype(str)
            item = {"kind": r.kind, "skipped": None if r.skipped is None else str(r.skipped),
                    "groups": _records(groups), "n_missing_group": r.n_missing_group,
                    "n_unknown_group": r.n_unknown_group, "n_missing_outcome": r.n_missing_outcome,
                    "empty_levels": list(r.empty_levels), "small_groups": list(r.small_groups),
                    "constant_groups": list(r.constant_groups)}
            if r.skipped is None:
                item.update({
                    "levene_mean": _obj(r.levene_mean), "levene_median": _obj(r.levene_median),
                    "equal_variances": r.equal_variances, "normal": r.normal,
                    "test": r.test.kind, "significant": r.significant,
                    "t_test": None if r.t_test is None else {"student": _obj(r.t_test.student),
                                                             "welch": _obj(r.t_test.welch),
                                                             "cohen_d": _num(r.t_test.cohen_d),
                                                             "hedges_g": _num(r.t_test.hedges_g)},
                    "mann_whitney": _obj(r.mann_whitney),
                    "anova": None if r.anova is None else {**_obj(r.anova.f_test), "ss_between": _num(r.anova.ss_between),
                                                           "ss_within": _num(r.anova.ss_within),
                                                           "ms_within": _num(r.anova.ms_within),
                                                           "eta2": _num(r.anova.eta2), "omega2": _num(r.anova.omega2)},
                    "welch": _obj(r.welch), "brown_forsythe": _obj(r.brown_forsythe),
                    "posthoc": None if r.posthoc is None else {"method": r.posthoc.method,
                                                               "chosen_by": r.posthoc.chosen_by,
                                                               "pairs": _records(r.posthoc.table)},
                    "kruskal_wallis": _obj(r.kruskal), "dunn": _records(r.dunn), "trend": _obj(r.trend),
                })
            entry["outcomes"][code] = item
        out["by"].append(entry)
    return out


def item_analysis_json(res) -> dict:
    """``item_analysis`` of results.json (documented in the README)."""
    out = {}
    for code, ia in (getattr(res, "item_analysis", None) or {}).items():
        items = {}
        for item, row in ia.table.iterrows():
            items[item] = {k: (bool(v) if isinstance(v, (bool, np.bool_)) else None if v is None
                               else str(v) if k == "reason" else _num(v)) for k, v in row.items()}
        out[code] = {"n": ia.n, "share": ia.share, "low_cut": _num(ia.low_cut), "high_cut": _num(ia.high_cut),
                     "n_low": ia.n_low, "n_high": ia.n_high,
                     "criteria": {"cr_minimum": ia.cr_minimum, "citc_minimum": ia.citc_minimum, "alpha": ia.alpha},
                     "sources": dict(ia.sources), "items": items}
    return out


__all__ = ["READING", "TEXT", "differences_blocks", "differences_json", "item_analysis_blocks", "item_analysis_json",
           "size_word"]
