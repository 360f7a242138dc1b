"""The report's text: paragraphs in Chinese or English generated from the results.

Every paragraph states findings with their numbers and the threshold each is judged against, so it reads
differently when the data differ. When the structural model has no proper solution, the paragraphs about
it say so and make no substantive claim (no hypothesis judged, no mediation or management implication).

Each function takes a :class:`Context` and returns a list of plain-text paragraphs (escaped by the writer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


from ..data import REASONS_ZH
from ..pipeline import StudyResults
from .scores import IPMA, ScoreSummary
from .text import FIT_CRITERIA, fit_verdict, fmt, reported_fit


@dataclass
class Context:
    res: StudyResults
    lang: str
    scores: ScoreSummary
    ipma: IPMA | None

    def name(self, code: str) -> str:
        try:
            return self.res.study.construct(code).label(self.lang)
        except StopIteration:
            return code

    def L(self, en: str, zh: str) -> str:
        return zh if self.lang == "zh" else en

    def join(self, words: list[str]) -> str:
        words = [w for w in words if w]
        if not words:
            return ""
        if len(words) == 1:
            return words[0]
        if self.lang == "zh":
            return "、".join(words[:-1]) + "和" + words[-1]
        return ", ".join(words[:-1]) + " and " + words[-1]

    def semi(self, parts: list[str]) -> str:
        return ("；" if self.lang == "zh" else "; ").join(p for p in parts if p)

    @property
    def stop(self) -> str:
        return "。" if self.lang == "zh" else "."


def f3(x) -> str:
    return fmt(x, 3)


def f2(x) -> str:
    return fmt(x, 2)


def pv(p) -> str:
    """'p < .001' / 'p = .023'."""
    if p is None or not math.isfinite(p):
        return "p = —"
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)


def pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}%"


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


# --------------------------------------------------------------------------------------------- sample

def sample(c: Context) -> list[str]:
    r, d = c.res, c.res.data
    out = []
    excluded = d.excluded_counts
    n_exc = sum(excluded.values())
    reasons_en = {"incomplete answers": "incomplete answers", "straight-lining": "straight-lining",
                  "duplicate id": "duplicate ids", "failed attention check": "a failed attention check",
                  "too fast": "answering too fast"}
    reasons_zh = REASONS_ZH
    if n_exc:
        listed_en = ", ".join(f"{v} for {reasons_en.get(k, k)}" for k, v in excluded.items())
        listed_zh = "，".join(f"{reasons_zh.get(k, k)} {v} 份" for k, v in excluded.items())
        out.append(c.L(
            f"Of the {d.n_raw} questionnaires received, {n_exc} ({pct(n_exc / d.n_raw)}) were excluded ({listed_en}), "
            f"leaving {d.n_analysed} valid responses, an effective rate of {pct(d.n_analysed / d.n_raw)}.",
            f"共回收问卷 {d.n_raw} 份，剔除 {n_exc} 份（{pct(n_exc / d.n_raw)}；其中{listed_zh}），"
            f"得到有效问卷 {d.n_analysed} 份，有效率为 {pct(d.n_analysed / d.n_raw)}。"))
    else:
        out.append(c.L(f"All {d.n_raw} questionnaires received ({d.file.name}) were complete and pass the screening "
                       f"rules; all {d.n_analysed} enter the analysis.",
                       f"共回收问卷 {d.n_raw} 份（{d.file.name}），全部作答完整并通过筛选规则，{d.n_analysed} 份均纳入分析。"))
    # the model's own parameters (lavaan's npar also counts FIML intercepts and WLSMV thresholds)
    npar = r.sem.structure.n_params
    if npar > 0:
        ratio = d.n_analysed / npar
        verdict_en = ("meeting the 10:1 recommendation" if ratio >= 10 else "meeting the 5:1 minimum but not the "
                      "10:1 recommendation" if ratio >= 5 else "below the 5:1 minimum")
        verdict_zh = ("达到 10:1 的建议标准" if ratio >= 10 else "达到 5:1 的最低要求但未达到 10:1 的建议标准"
                      if ratio >= 5 else "低于 5:1 的最低要求")
        size_en = "meets" if d.n_analysed >= 200 else "falls short of"
        size_zh = "达到" if d.n_analysed >= 200 else "未达到"
        out.append(c.L(
            f"The structural model has {int(npar)} free parameters, so there are {ratio:.1f} respondents per "
            f"parameter, {verdict_en} (Bentler & Chou 1987); the sample of {d.n_analysed} {size_en} the 200 "
            "respondents usually recommended for SEM (Kline 2016).",
            f"结构模型共有 {int(npar)} 个自由参数，样本量与参数之比为 {ratio:.1f}:1，{verdict_zh}（Bentler & Chou 1987）；"
            f"有效样本 {d.n_analysed} 份{size_zh}结构方程模型通常建议的 200 份（Kline 2016）。"))
    parts = []
    for q in r.study.background:
        if q.type != "categorical" or not q.levels or q.code not in d.background:
            continue
        answers = d.background[q.code].astype("string").str.strip()
        counts = answers.value_counts()
        if counts.empty:
            continue
        top = counts.index[0]
        label = next((lv.label.get(c.lang) for lv in q.levels if str(lv.code) == str(top)), str(top))
        qname = q.label(c.lang)
        share = counts.iloc[0] / d.n_analysed
        parts.append(c.L(f"{label} is the largest group for “{qname}” ({pct(share)}, n = {int(counts.iloc[0])})",
                         f"“{qname}”以{label}为最多（{pct(share)}，n = {int(counts.iloc[0])}）"))
    if parts:
        out.append(c.L("Among the valid respondents, " + "; ".join(parts) + ".",
                       "有效样本中，" + "；".join(parts) + "。"))
    return out


# --------------------------------------------------------------------------------------------- items

def items(c: Context) -> list[str]:
    m = c.res.measurement
    t = m.items
    s = c.res.study.scale
    hi, lo = t["mean"].idxmax(), t["mean"].idxmin()
    mid = (s.min + s.max) / 2
    skew, kurt = t["skew_spss"].abs(), t["kurtosis_spss"].abs()
    ms, mk = skew.idxmax(), kurt.idxmax()
    bad_skew = list(skew[skew >= 2].index)
    bad_kurt = list(kurt[kurt >= 7].index)
    out = [c.L(
        f"On the {s.min}–{s.max} scale (midpoint {mid:g}), item means range from {f3(t.loc[lo, 'mean'])} ({lo}) to "
        f"{f3(t.loc[hi, 'mean'])} ({hi}), and standard deviations from {f3(t['sd'].min())} to {f3(t['sd'].max())}.",
        f"在 {s.min}–{s.max} 的量表上（中点为 {mid:g}），各题项均值介于 {f3(t.loc[lo, 'mean'])}（{lo}）与 "
        f"{f3(t.loc[hi, 'mean'])}（{hi}）之间，标准差介于 {f3(t['sd'].min())} 与 {f3(t['sd'].max())} 之间。")]
    if not bad_skew and not bad_kurt:
        out.append(c.L(
            f"The largest absolute skewness is {f3(skew[ms])} ({ms}) and the largest absolute kurtosis {f3(kurt[mk])} "
            f"({mk}), within |skewness| < 2 and |kurtosis| < 7 (Kline 2016; West, Finch & Curran 1995): no item "
            "departs from normality enough to rule out maximum-likelihood estimation.",
            f"偏度绝对值最大为 {f3(skew[ms])}（{ms}），峰度绝对值最大为 {f3(kurt[mk])}（{mk}），均在 |偏度| < 2、"
            "|峰度| < 7 的范围内（Kline 2016；West, Finch & Curran 1995），没有题项严重偏离正态，可以采用极大似然估计。"))
    else:
        bad = sorted(set(bad_skew) | set(bad_kurt))
        out.append(c.L(
            f"{len(bad)} item(s) exceed |skewness| < 2 or |kurtosis| < 7 (Kline 2016): {', '.join(bad)} (largest "
            f"|skewness| {f3(skew[ms])} for {ms}, largest |kurtosis| {f3(kurt[mk])} for {mk}); their standard errors "
            "under maximum likelihood may be too small.",
            f"有 {len(bad)} 个题项超出 |偏度| < 2 或 |峰度| < 7 的标准（Kline 2016）：{'、'.join(bad)}（偏度绝对值最大为 "
            f"{ms} 的 {f3(skew[ms])}，峰度绝对值最大为 {mk} 的 {f3(kurt[mk])}），极大似然估计的标准误可能偏小。"))
    md = m.mardia
    normal = md.p_skew >= 0.05 and md.p_kurt >= 0.05
    if normal:
        out.append(c.L(
            f"Mardia's test does not reject multivariate normality (skewness χ² = {md.skew:.2f}, {pv(md.p_skew)}; "
            f"kurtosis z = {f2(md.kurtosis)}, {pv(md.p_kurt)}; both p ≥ .05).",
            f"Mardia 检验未拒绝多元正态假设（偏度 χ² = {md.skew:.2f}，{pv(md.p_skew)}；峰度 z = {f2(md.kurtosis)}，"
            f"{pv(md.p_kurt)}；均 p ≥ .05）。"))
    else:
        severe = abs(md.kurtosis) > 5
        out.append(c.L(
            f"Mardia's test rejects multivariate normality (skewness χ² = {md.skew:.2f}, {pv(md.p_skew)}; kurtosis "
            f"z = {f2(md.kurtosis)}, {pv(md.p_kurt)}). "
            + ("The kurtosis z exceeds 5 (Bentler 2005): maximum-likelihood χ² and standard errors may be biased, "
               "which is why the indirect effects are judged on bootstrap or Monte Carlo intervals rather than on "
               "normal-theory tests." if severe else
               "The kurtosis z stays below 5 (Bentler 2005), a departure that maximum-likelihood estimation tolerates."),
            f"Mardia 检验拒绝多元正态假设（偏度 χ² = {md.skew:.2f}，{pv(md.p_skew)}；峰度 z = {f2(md.kurtosis)}，"
            f"{pv(md.p_kurt)}）。"
            + ("峰度 z 值大于 5（Bentler 2005），极大似然的 χ² 与标准误可能有偏，因此间接效应以 Bootstrap 或蒙特卡洛置信区间"
               "而非正态理论检验来判断。" if severe else "峰度 z 值小于 5（Bentler 2005），属于极大似然估计可以容忍的偏离。")))
    return out


# --------------------------------------------------------------------------------------------- reliability

def reliability(c: Context) -> list[str]:
    cons = {k: v for k, v in c.res.measurement.constructs.items() if not v.second_order}
    alphas = {k: v.alpha for k, v in cons.items()}
    lo, hi = min(alphas, key=alphas.get), max(alphas, key=alphas.get)
    low = [k for k, a in alphas.items() if a < 0.70]
    if not low:
        first = c.L(
            f"Cronbach's α of every first-order construct reaches .70 (Nunnally 1978), from {f3(alphas[lo])} "
            f"({c.name(lo)}) to {f3(alphas[hi])} ({c.name(hi)}).",
            f"各一阶构念的 Cronbach's α 均达到 0.70（Nunnally 1978），介于 {f3(alphas[lo])}（{c.name(lo)}）与 "
            f"{f3(alphas[hi])}（{c.name(hi)}）之间。")
    else:
        listed = [f"{c.name(k)} (α = {f3(alphas[k])}, 95% CI [{f3(cons[k].alpha_ci.lower)}, {f3(cons[k].alpha_ci.upper)}])"
                  for k in low]
        listed_zh = [f"{c.name(k)}（α = {f3(alphas[k])}，95% CI [{f3(cons[k].alpha_ci.lower)}, "
                     f"{f3(cons[k].alpha_ci.upper)}]）" for k in low]
        first = c.L(f"{len(low)} of {len(alphas)} constructs fall below α = .70 (Nunnally 1978): {'; '.join(listed)}; "
                    "their scores are not reliable enough for firm conclusions.",
                    f"{len(alphas)} 个构念中有 {len(low)} 个的 α 低于 0.70（Nunnally 1978）：{'；'.join(listed_zh)}，"
                    "其测量信度不足以支持确定的结论。")
    out = [first]
    ci_low = min(cons, key=lambda k: cons[k].alpha_ci.lower)
    omegas = {k: v.omega for k, v in cons.items() if _finite(v.omega)}
    if omegas:
        olo = min(omegas, key=omegas.get)
        out.append(c.L(
            f"The lowest Feldt 95% lower bound of α is {f3(cons[ci_low].alpha_ci.lower)} ({c.name(ci_low)}), "
            f"{'above' if cons[ci_low].alpha_ci.lower >= 0.70 else 'below'} .70; McDonald's ω ranges from "
            f"{f3(omegas[olo])} ({c.name(olo)}) to {f3(max(omegas.values()))}"
            f"{', all at least .70' if omegas[olo] >= 0.70 else ', not all reaching .70'}.",
            f"α 的 Feldt 95% 置信区间下限最低为 {f3(cons[ci_low].alpha_ci.lower)}（{c.name(ci_low)}），"
            f"{'高于' if cons[ci_low].alpha_ci.lower >= 0.70 else '低于'} 0.70；McDonald's ω 介于 {f3(omegas[olo])}"
            f"（{c.name(olo)}）与 {f3(max(omegas.values()))} 之间，{'均不低于 0.70' if omegas[olo] >= 0.70 else '并非全部达到 0.70'}。"))
    citc = [(k, item, row["citc"], row["alpha_if_deleted"]) for k, v in cons.items() if v.item_total is not None
            for item, row in v.item_total.iterrows()]
    if citc:
        weak = [x for x in citc if x[2] < 0.40]
        rising = [x for x in citc if x[3] > cons[x[0]].alpha + 0.005]
        mn = min(citc, key=lambda x: x[2])
        if not weak and not rising:
            out.append(c.L(
                f"Every corrected item–total correlation is at least .40 (the smallest is {f3(mn[2])}, {mn[1]}), and "
                "deleting any item would not raise its construct's α: all items are retained.",
                f"所有题项的校正项总相关 CITC 均不低于 0.40（最小为 {mn[1]} 的 {f3(mn[2])}），删除任一题项都不会提高所属构念的 α，"
                "全部题项予以保留。"))
        else:
            bits_en, bits_zh = [], []
            if weak:
                bits_en.append(f"CITC below .40 for {', '.join(f'{i} ({f3(v)})' for _, i, v, _ in weak)}")
                bits_zh.append(f"{'、'.join(f'{i}（{f3(v)}）' for _, i, v, _ in weak)} 的 CITC 低于 0.40")
            if rising:
                bits_en.append("α would rise without " + ", ".join(
                    f"{i} (to {f3(a)} from {f3(cons[k].alpha)})" for k, i, _, a in rising))
                bits_zh.append("删除 " + "、".join(f"{i}（α 由 {f3(cons[k].alpha)} 升至 {f3(a)}）" for k, i, _, a in rising)
                               + " 后 α 会上升")
            out.append(c.L("Item-level problems: " + "; ".join(bits_en) + ". Check these items' wording and coding "
                           "before deciding whether to drop them; the analysis keeps them as specified.",
                           "题项层面的问题：" + "；".join(bits_zh) + "。是否删除应先检查题项的措辞与计分，本分析按研究设计保留了这些题项。"))
    return out


# --------------------------------------------------------------------------------------------- validity

def validity(c: Context) -> list[str]:
    m = c.res.measurement
    k, b = m.kmo.overall, m.bartlett
    msa = m.kmo.per_item
    low_msa = list(msa[msa < 0.5].index)
    n_cons = len(c.res.study.first_order)
    out = [c.L(
        f"KMO = {f3(k)} ({'≥' if k >= 0.70 else '<'} .70, Kaiser 1974) and Bartlett's test χ²({b.df}) = {b.chisq:.2f}, "
        f"{pv(b.pvalue)}: the items are {'suitable' if k >= 0.70 and b.pvalue < 0.05 else 'of questionable suitability'} "
        f"for factor analysis. The smallest item MSA is {f3(msa.min())} ({msa.idxmin()})"
        + (", above .50." if not low_msa else f"; {', '.join(low_msa)} fall below .50."),
        f"KMO 值为 {f3(k)}（{'≥' if k >= 0.70 else '<'} 0.70，Kaiser 1974），Bartlett 球形检验 χ²({b.df}) = {b.chisq:.2f}，"
        f"{pv(b.pvalue)}，数据{'适合' if k >= 0.70 and b.pvalue < 0.05 else '是否适合'}做因子分析{'' if k >= 0.70 and b.pvalue < 0.05 else '存疑'}。"
        f"题项 MSA 最小为 {f3(msa.min())}（{msa.idxmin()}）" + ("，高于 0.50。" if not low_msa else f"，{'、'.join(low_msa)} 低于 0.50。"))]
    pa = m.parallel
    var = m.efa.variance
    flags = m.efa_flags[m.efa_flags["flagged"]]
    agree = pa.n_factors == n_cons
    out.append(c.L(
        f"Parallel analysis suggests {pa.n_factors} factor(s) ({pa.n_components} component(s)) against the {n_cons} "
        f"first-order constructs of the questionnaire{', in agreement with the design' if agree else ''}. "
        f"Extracting {n_cons} factors (principal axis, varimax), they explain {pct(var['cumulative_var'].iloc[-1])} of "
        "the item variance; "
        + ("every item loads at least .50 on its primary factor with no cross-loading of .40 or more."
           if flags.empty else f"{len(flags)} item(s) are flagged for a weak primary loading or a cross-loading: "
           + ", ".join(f"{i} ({f3(r['primary_loading'])}{', cross ' + f3(r['max_secondary']) if r['cross_loading'] else ''})"
                       for i, r in flags.iterrows()) + "."),
        f"平行分析建议提取 {pa.n_factors} 个因子（{pa.n_components} 个成分），问卷设计的一阶构念为 {n_cons} 个"
        f"{'，两者一致' if agree else ''}。按 {n_cons} 个因子提取（主轴因子法，方差最大化旋转），累计解释题项方差的 "
        f"{pct(var['cumulative_var'].iloc[-1])}；"
        + ("所有题项在其主因子上的载荷均不低于 0.50，且没有达到 0.40 的交叉载荷。" if flags.empty else
           f"有 {len(flags)} 个题项因主载荷偏低或存在交叉载荷而被标出："
           + "、".join(f"{i}（{f3(r['primary_loading'])}{'，交叉载荷 ' + f3(r['max_secondary']) if r['cross_loading'] else ''}）"
                      for i, r in flags.iterrows()) + "。")))
    cons = m.constructs
    if not c.res.cfa.proper:
        k = len(c.res.cfa.problems) + (0 if c.res.cfa.converged else 1)
        out.append(c.L(
            f"The measurement model (CFA) has no proper solution ({k} problem(s) in the warnings; CFI = "
            f"{f3(reported_fit(c.res.cfa_fit, c.res.estimator)['cfi'])}): its standardized loadings, CR, AVE and latent correlations are shown for "
            "diagnosis only and do not establish convergent or discriminant validity.",
            f"测量模型（验证性因子分析）没有合理解（警告中列出 {k} 个问题；CFI = {f3(reported_fit(c.res.cfa_fit, c.res.estimator)['cfi'])}），其标准化载荷、"
            "CR、AVE 与潜变量相关仅供诊断，不能据此确认收敛效度或区分效度。"))
    else:
        lam = {(k2, i): v for k2, cc in cons.items() if not cc.second_order for i, v in cc.loadings.items()}
        lmin = min(lam, key=lam.get)
        below6 = [i for (_, i), v in lam.items() if round(v, 3) < 0.60]  # judged as printed
        crs = {k2: v.cr for k2, v in cons.items() if _finite(v.cr)}
        aves = {k2: v.ave for k2, v in cons.items() if _finite(v.ave)}
        cr_lo = min(crs, key=crs.get)
        ave_lo = min(aves, key=aves.get)
        out.append(c.L(
            f"In the CFA, standardized loadings range from {f3(lam[lmin])} ({lmin[1]}) to {f3(max(lam.values()))}"
            + (f"; {', '.join(below6)} load below .60" if below6 else ", all at least .60 (Hair et al. 2019)")
            + f". CR ranges from {f3(crs[cr_lo])} ({c.name(cr_lo)}) to {f3(max(crs.values()))} "
            f"({'all ≥ .70' if crs[cr_lo] >= 0.70 else 'not all ≥ .70'}) and AVE from {f3(aves[ave_lo])} "
            f"({c.name(ave_lo)}) to {f3(max(aves.values()))} ({'all ≥ .50' if aves[ave_lo] >= 0.50 else 'not all ≥ .50'}): "
            + ("convergent validity is supported." if crs[cr_lo] >= 0.70 and aves[ave_lo] >= 0.50 and not below6
               else "convergent validity is not fully supported."),
            f"验证性因子分析中，标准化载荷介于 {f3(lam[lmin])}（{lmin[1]}）与 {f3(max(lam.values()))} 之间"
            + (f"，{'、'.join(below6)} 低于 0.60" if below6 else "，均不低于 0.60（Hair et al. 2019）")
            + f"。CR 介于 {f3(crs[cr_lo])}（{c.name(cr_lo)}）与 {f3(max(crs.values()))} 之间（{'均 ≥ 0.70' if crs[cr_lo] >= 0.70 else '并非全部 ≥ 0.70'}），"
            f"AVE 介于 {f3(aves[ave_lo])}（{c.name(ave_lo)}）与 {f3(max(aves.values()))} 之间（{'均 ≥ 0.50' if aves[ave_lo] >= 0.50 else '并非全部 ≥ 0.50'}），"
            + ("收敛效度得到支持。" if crs[cr_lo] >= 0.70 and aves[ave_lo] >= 0.50 and not below6 else "收敛效度未得到完全支持。")))
        fl = m.fornell_larcker
        fails = []
        for i, a in enumerate(fl.index):
            for b2 in fl.index[:i]:
                r = abs(fl.loc[a, b2])
                if r > fl.loc[a, a] or r > fl.loc[b2, b2]:
                    fails.append((b2, a, r))
        h = m.htmt
        pairs = [(a, b2, h.loc[a, b2]) for i, a in enumerate(h.index) for b2 in h.index[:i]]
        hmax = max(pairs, key=lambda x: x[2]) if pairs else None
        ci = m.htmt_ci
        upper_bad = ci[ci["ci_upper"] >= 0.90] if ci is not None and len(ci) else ci
        fl_text = c.L(
            "every √AVE exceeds the construct's correlations with the others (Fornell & Larcker 1981)" if not fails else
            f"the Fornell–Larcker criterion fails for {', '.join(f'{c.name(a)}–{c.name(b2)} (r = {f3(r)})' for a, b2, r in fails)}",
            "各构念的 √AVE 均大于其与其他构念的相关系数（Fornell & Larcker 1981）" if not fails else
            f"{'、'.join(f'{c.name(a)}与{c.name(b2)}（r = {f3(r)}）' for a, b2, r in fails)} 未通过 Fornell–Larcker 检验")
        if hmax is not None:
            h_text = c.L(
                f"the largest HTMT is {f3(hmax[2])} ({c.name(hmax[1])}–{c.name(hmax[0])}), "
                f"{'below .85' if hmax[2] < 0.85 else 'below .90 but not .85' if hmax[2] < 0.90 else 'at or above .90'} "
                "(Henseler et al. 2015)"
                + ("" if upper_bad is None or not len(upper_bad) else
                   f", and the bootstrap upper bound reaches .90 for {len(upper_bad)} pair(s)"),
                f"HTMT 最大为 {f3(hmax[2])}（{c.name(hmax[1])}与{c.name(hmax[0])}），"
                f"{'低于 0.85' if hmax[2] < 0.85 else '低于 0.90 但高于 0.85' if hmax[2] < 0.90 else '达到或超过 0.90'}（Henseler et al. 2015）"
                + ("" if upper_bad is None or not len(upper_bad) else f"，且有 {len(upper_bad)} 对构念的 Bootstrap 置信区间上限达到 0.90"))
            ok = not fails and hmax[2] < 0.85 and (upper_bad is None or not len(upper_bad))
            out.append(c.L(f"Discriminant validity: {fl_text}; {h_text}. "
                           + ("Discriminant validity is established." if ok else
                              "Discriminant validity is not established for every pair."),
                           f"区分效度方面，{fl_text}；{h_text}。" + ("区分效度成立。" if ok else "并非所有构念对都具有区分效度。")))
    return out


# --------------------------------------------------------------------------------------------- common method bias

def cmb(c: Context) -> list[str]:
    share = c.res.measurement.harman_share
    verdict_en = ("below 40 %, so common method variance is unlikely to be a serious problem" if share < 0.40 else
                  "below the 50 % limit but above the stricter 40 %, so common method variance cannot be ruled out"
                  if share < 0.50 else "at or above 50 %: common method variance may inflate the relations between constructs")
    verdict_zh = ("低于 40%，共同方法偏差不太可能构成严重问题" if share < 0.40 else
                  "低于 50% 的临界值但高于更严格的 40%，不能完全排除共同方法偏差" if share < 0.50 else
                  "达到或超过 50%，共同方法偏差可能夸大构念之间的关系")
    n_items = len(c.res.measurement.items)
    out = [c.L(f"Harman's single-factor test: the first unrotated factor of the {n_items} items explains "
                f"{pct(share)} of their variance, {verdict_en} (Podsakoff et al. 2003). The test is a weak safeguard: it "
                "detects only a method factor that dominates all items.",
                f"Harman 单因子检验：{n_items} 个题项未旋转的第一个因子解释了 {pct(share)} 的方差，{verdict_zh}"
                "（Podsakoff et al. 2003）。该检验只能发现主导全部题项的方法因子，是较弱的检验。")]
    mf = c.res.method_factor
    if mf is not None:
        out.append(c.L(str(mf.verdict), mf.verdict.zh))
    return out


# --------------------------------------------------------------------------------------------- correlations

def correlations(c: Context) -> list[str]:
    s = c.scores
    codes = list(s.r.index)
    from .tables import part_whole
    pairs = [(a, b, s.r.loc[a, b], s.p.loc[a, b]) for i, a in enumerate(codes) for b in codes[:i]
             if not part_whole(c.res.study, a, b)]
    if not pairs:
        return []
    sig = [x for x in pairs if x[3] < 0.05]
    neg = [x for x in pairs if x[2] < 0]
    hi = max(pairs, key=lambda x: abs(x[2]))
    lo = min(pairs, key=lambda x: abs(x[2]))
    top = s.mean.idxmax()
    bottom = s.mean.idxmin()
    sc = c.res.study.scale
    out = [c.L(
        f"{len(sig)} of the {len(pairs)} correlations between construct scores are significant at p < .05"
        + (" and all are positive" if not neg else f"; {len(neg)} are negative")
        + f", from r = {f3(lo[2])} ({c.name(lo[0])}–{c.name(lo[1])}) to r = {f3(hi[2])} ({c.name(hi[0])}–{c.name(hi[1])}), "
        "in line with the hypothesised relations, which the structural model tests with measurement error removed.",
        f"{len(pairs)} 个构念得分相关系数中有 {len(sig)} 个在 p < .05 水平上显著"
        + ("，且全部为正" if not neg else f"，其中 {len(neg)} 个为负")
        + f"，介于 r = {f3(lo[2])}（{c.name(lo[0])}与{c.name(lo[1])}）与 r = {f3(hi[2])}（{c.name(hi[0])}与{c.name(hi[1])}）之间，"
        "与研究假设的方向一致；结构模型将在剔除测量误差后对这些关系进行检验。"),
        c.L(f"On the {sc.min}–{sc.max} scale, {c.name(top)} has the highest mean ({f3(s.mean[top])}, SD = {f3(s.sd[top])}) "
            f"and {c.name(bottom)} the lowest ({f3(s.mean[bottom])}, SD = {f3(s.sd[bottom])}).",
            f"在 {sc.min}–{sc.max} 的量表上，{c.name(top)}的均值最高（{f3(s.mean[top])}，SD = {f3(s.sd[top])}），"
            f"{c.name(bottom)}的均值最低（{f3(s.mean[bottom])}，SD = {f3(s.sd[bottom])}）。")]
    return out


# --------------------------------------------------------------------------------------------- fit

def improper_statement(c: Context) -> str:
    problems = len(c.res.sem.problems) + (0 if c.res.sem.converged else 1)
    return c.L(
        f"The structural model has no proper solution ({'it did not converge; ' if not c.res.sem.converged else ''}"
        f"{len(c.res.sem.problems)} problem(s) are listed in the warnings, e.g. negative variances or standardized "
        "values beyond ±1). Its estimates are therefore not findings: no hypothesis is judged, no indirect effect is "
        "interpreted and no management implication is drawn from it. The model or the data need to be revised first.",
        f"结构模型没有合理解（{'估计未收敛；' if not c.res.sem.converged else ''}警告中列出了 {len(c.res.sem.problems)} 个问题，"
        "如负方差或超出 ±1 的标准化系数）。因此其估计值不是研究结论：不判断任何假设，不解释任何间接效应，也不据此提出管理启示。"
        "须先修改模型或检查数据。") if problems else ""


def fit(c: Context) -> list[str]:
    f = reported_fit(c.res.sem_fit, c.res.estimator)
    rows = []
    poor = []
    for key, label, *_rest in FIT_CRITERIA:
        if key not in f:  # an ML index under WLSMV
            continue
        crit, verdict = fit_verdict(key, f[key])
        rows.append(f"{label} = {f3(f[key])} ({crit.split(' (')[0]})")
        if verdict == "poor":
            poor.append(label)
    core = [k for k in ("cfi", "tli", "rmsea", "srmr") if fit_verdict(k, f[k])[1] == "poor"]
    out = [c.L(
        f"The structural model gives χ²({int(f['df'])}) = {f['chisq']:.2f}, {pv(f['pvalue'])}; " + ", ".join(rows) + ". "
        + ("Every index meets its criterion: the model fits the data well." if not poor else
           f"{', '.join(poor)} miss their criteria" + ("; CFI, TLI, RMSEA and SRMR meet theirs, so the fit is acceptable "
                                                        "overall (Hu & Bentler 1999)." if not core else
                                                        ", including core indices, so the fit is not acceptable.")),
        f"结构模型的 χ²({int(f['df'])}) = {f['chisq']:.2f}，{pv(f['pvalue'])}；" + "，".join(rows) + "。"
        + ("各项指标均达到标准，模型与数据拟合良好。" if not poor else
           f"{'、'.join(poor)} 未达到标准" + ("；CFI、TLI、RMSEA 与 SRMR 均达到标准，整体拟合可以接受（Hu & Bentler 1999）。"
                                            if not core else "，其中包括核心指标，模型拟合不可接受。")))]
    if f["pvalue"] < 0.05:
        out.append(c.L(f"The χ² test is significant (χ²({int(f['df'])}) = {f['chisq']:.2f}, {pv(f['pvalue'])}), as is usual "
                       f"with n = {c.res.data.n_analysed}; fit is therefore judged on the approximate indices.",
                       f"χ² 检验显著（χ²({int(f['df'])}) = {f['chisq']:.2f}，{pv(f['pvalue'])}），这在 n = {c.res.data.n_analysed} "
                       "的样本中很常见，因此以近似拟合指标判断模型拟合。"))
    if not c.res.sem_proper:
        out.append(improper_statement(c))
    return out


# --------------------------------------------------------------------------------------------- hypotheses

def hypothesis_sentence(c: Context, h) -> str:
    path_en = f"{c.name(h.from_)} → {c.name(h.to)}"
    direction_en = "positive" if h.sign == "+" else "negative"
    direction_zh = "正向" if h.sign == "+" else "负向"
    numbers = f"β = {f3(h.std_all)}, B = {f3(h.est)}, S.E. = {f3(h.se)}, C.R. = {f2(h.z)}, {pv(h.pvalue)}"
    numbers_zh = numbers.replace(", ", "，")
    if h.supported:
        return c.L(f"{h.id} ({path_en}, expected {direction_en}) is supported: {numbers}, significant at p < .05 in the "
                   "expected direction.",
                   f"{h.id}（{c.name(h.from_)}对{c.name(h.to)}有{direction_zh}影响）得到支持：{numbers_zh}，在预期方向上 p < .05。")
    right = (h.est > 0) == (h.sign == "+")
    if h.pvalue < 0.05 and not right:
        return c.L(f"{h.id} ({path_en}, expected {direction_en}) is not supported: the path is significant but in the "
                   f"opposite direction ({numbers}).",
                   f"{h.id}（{c.name(h.from_)}对{c.name(h.to)}有{direction_zh}影响）未得到支持：路径显著但方向与预期相反（{numbers_zh}）。")
    return c.L(f"{h.id} ({path_en}, expected {direction_en}) is not supported: {numbers}, not significant (p ≥ .05).",
               f"{h.id}（{c.name(h.from_)}对{c.name(h.to)}有{direction_zh}影响）未得到支持：{numbers_zh}，不显著（p ≥ .05）。")


def paths(c: Context) -> list[str]:
    if not c.res.sem_proper:
        return [improper_statement(c)]
    hs = c.res.hypotheses
    n_sup = sum(1 for h in hs if h.supported)
    betas = [h.std_all for h in hs]
    out = [c.L(f"{n_sup} of the {len(hs)} path hypotheses are supported (p < .05 in the expected direction); the "
               f"standardized paths range from β = {f3(min(betas))} to β = {f3(max(betas))}.",
               f"{len(hs)} 个路径假设中有 {n_sup} 个得到支持（在预期方向上 p < .05），标准化路径系数介于 β = {f3(min(betas))} "
               f"与 β = {f3(max(betas))} 之间。")]
    out += [hypothesis_sentence(c, h) for h in hs]
    if c.res.r2:
        parts = [f"{pct(v)} ({c.name(k)})" if c.lang == "en" else f"{c.name(k)} {pct(v)}"
                 for k, v in c.res.r2.items() if k in c.res.study.structural_constructs]
        if parts:
            out.append(c.L("The model explains " + c.join(parts) + " of the variance of the endogenous constructs.",
                           "模型对各内生构念方差的解释比例为：" + "，".join(parts) + "。"))
    return out


# --------------------------------------------------------------------------------------------- mediation

VERDICT_EN = {"full": "full mediation (the direct path is not significant)",
              "complementary": "partial, complementary mediation (direct and indirect effects of the same sign)",
              "competitive": "partial, competitive mediation (direct and indirect effects of opposite sign)",
              "direct-only": "no mediation (only the direct effect is significant)",
              "none": "no effect through this chain", "indirect": "a significant indirect effect (the model has no direct path)"}
VERDICT_ZH = {"full": "完全中介（直接路径不显著）", "complementary": "部分中介（互补型：直接与间接效应同号）",
              "competitive": "部分中介（竞争型：直接与间接效应异号）", "direct-only": "不存在中介（仅直接效应显著）",
              "none": "该链条上不存在效应", "indirect": "间接效应显著（模型中无直接路径）"}


def mediation(c: Context) -> list[str]:
    if not c.res.mediation:
        return []
    if not c.res.sem_proper:
        return [c.L(f"The {len(c.res.mediation)} indirect effect(s) are not interpreted: the structural model has no "
                    "proper solution.", f"结构模型没有合理解，{len(c.res.mediation)} 个间接效应均不予解释。")]
    out = []
    for m in c.res.mediation:
        chain = " → ".join(c.name(x) for x in m.path)
        if m.bootstrap is not None and _finite(m.bootstrap.ci_lower):
            lo, hi = m.bootstrap.ci_lower, m.bootstrap.ci_upper
            how_en = f"95% percentile bootstrap CI [{f3(lo)}, {f3(hi)}] ({m.bootstrap.resamples} resamples)"
            how_zh = f"95% 百分位 Bootstrap 置信区间 [{f3(lo)}, {f3(hi)}]（{m.bootstrap.resamples} 次重抽样）"
        else:
            lo, hi = m.monte_carlo.ci_lower, m.monte_carlo.ci_upper
            how_en = f"95% Monte Carlo CI [{f3(lo)}, {f3(hi)}]"
            how_zh = f"95% 蒙特卡洛置信区间 [{f3(lo)}, {f3(hi)}]"
        excludes = lo > 0 or hi < 0
        direct_en = "" if m.direct_std is None else f"; the direct effect is β = {f3(m.direct_std)}"
        direct_zh = "" if m.direct_std is None else f"；直接效应 β = {f3(m.direct_std)}"
        label = f"{m.id}: " if m.id else ""
        out.append(c.L(
            f"{label}the indirect effect along {chain} is {f3(m.delta.est)} (standardized {f3(m.delta.std_all)}), "
            f"{how_en}, which {'excludes' if excludes else 'includes'} 0{direct_en}: {VERDICT_EN.get(m.verdict, m.verdict)} "
            "(Zhao, Lynch & Chen 2010)" + (f"; {m.id} is supported." if m.id and excludes else
                                           f"; {m.id} is not supported." if m.id else "."),
            f"{label}{chain} 的间接效应为 {f3(m.delta.est)}（标准化 {f3(m.delta.std_all)}），{how_zh}"
            f"{'不含' if excludes else '包含'} 0{direct_zh}：{VERDICT_ZH.get(m.verdict, m.verdict)}（Zhao, Lynch & Chen 2010）"
            + (f"，{m.id} 得到支持。" if m.id and excludes else f"，{m.id} 未得到支持。" if m.id else "。")))
    return out


# --------------------------------------------------------------------------------------------- groups

def groups(c: Context, label_of) -> list[str]:
    out = []
    for g in c.res.groups:
        col = label_of(g.column)
        tests = {t["model"]: t for t in g.tests}
        metric, structural = tests.get("metric"), tests.get("structural")
        sizes = c.join([f"{label_of(g.column, k)} n = {v}" for k, v in g.n.items()])
        parts_en, parts_zh = [], []
        if metric:
            holds = metric["pvalue"] >= 0.05
            parts_en.append(f"metric invariance {'holds' if holds else 'does not hold'} (Δχ²({int(metric['df_diff'])}) = "
                            f"{metric['chisq_diff']:.2f}, {pv(metric['pvalue'])})")
            parts_zh.append(f"测量等同{'成立' if holds else '不成立'}（Δχ²({int(metric['df_diff'])}) = {metric['chisq_diff']:.2f}，"
                            f"{pv(metric['pvalue'])}）")
        if structural:
            same = structural["pvalue"] >= 0.05
            parts_en.append(f"the structural paths {'do not differ' if same else 'differ'} between the groups as a whole "
                            f"(Δχ²({int(structural['df_diff'])}) = {structural['chisq_diff']:.2f}, {pv(structural['pvalue'])})")
            parts_zh.append(f"结构路径整体上{'没有' if same else '存在'}组间差异（Δχ²({int(structural['df_diff'])}) = "
                            f"{structural['chisq_diff']:.2f}，{pv(structural['pvalue'])}）")
        out.append(c.L(f"Comparing the groups of “{col}” ({sizes}): " + "; ".join(parts_en) + ".",
                       f"按“{col}”分组比较（{sizes}）：" + "；".join(parts_zh) + "。"))
        d = g.differences
        if d is not None and len(d):
            sig = d[d["critical_ratio"].abs() > 1.96]
            if sig.empty:
                out.append(c.L(f"No single path differs between the groups (every |C.R.| ≤ 1.96; the largest is "
                               f"{f2(d['critical_ratio'].abs().max())}).",
                               f"没有单条路径在组间存在显著差异（所有 |C.R.| ≤ 1.96，最大为 {f2(d['critical_ratio'].abs().max())}）。"))
            else:
                p = g.paths
                bits_en, bits_zh = [], []
                for _, row in sig.iterrows():
                    b1 = p[(p["group"] == row["group_1"]) & (p["from"] == row["from"]) & (p["to"] == row["to"])]["est"].iloc[0]
                    b2 = p[(p["group"] == row["group_2"]) & (p["from"] == row["from"]) & (p["to"] == row["to"])]["est"].iloc[0]
                    g1, g2 = label_of(g.column, row["group_1"]), label_of(g.column, row["group_2"])
                    bits_en.append(f"{c.name(row['from'])} → {c.name(row['to'])} (B = {f3(b1)} for {g1} vs {f3(b2)} for "
                                   f"{g2}, C.R. = {f2(row['critical_ratio'])})")
                    bits_zh.append(f"{c.name(row['from'])} → {c.name(row['to'])}（{g1} B = {f3(b1)}，{g2} B = {f3(b2)}，"
                                   f"C.R. = {f2(row['critical_ratio'])}）")
                out.append(c.L("Paths that differ between the groups (|C.R.| > 1.96): " + "; ".join(bits_en)
                               + f". {col} moderates these relations.",
                               "组间存在显著差异的路径（|C.R.| > 1.96）：" + "；".join(bits_zh) + f"。{col}对这些关系具有调节作用。"))
    return out


# --------------------------------------------------------------------------------------------- IPMA, conclusions

def ipma(c: Context) -> list[str]:
    if c.ipma is None or not c.ipma.points:
        return []
    out_name = c.name(c.ipma.outcome)
    pts = sorted(c.ipma.points, key=lambda p: -p.importance)
    desc = [c.L(f"{c.name(p.code)} (importance {f3(p.importance)}, performance {p.performance:.1f})",
                f"{c.name(p.code)}（重要性 {f3(p.importance)}，表现 {p.performance:.1f}）") for p in pts]
    focus = [p for p in pts if p.quadrant == "concentrate"]
    text = c.L(f"For {out_name}, the constructs rank by importance as " + "; ".join(desc) + ". "
               + (f"{c.join([c.name(p.code) for p in focus])} {'falls' if len(focus) == 1 else 'fall'} in the “concentrate here” quadrant: above-average "
                  "importance with below-average performance." if focus else
                  "No construct combines above-average importance with below-average performance."),
               f"就{out_name}而言，各构念按重要性排序为：" + "；".join(desc) + "。"
               + (f"{c.join([c.name(p.code) for p in focus])}位于“重点改进区”：重要性高于平均而表现低于平均。" if focus else
                  "没有构念同时具有高于平均的重要性和低于平均的表现。"))
    return [text]


def conclusions(c: Context) -> list[str]:
    res = c.res
    if not res.sem_proper:
        return [improper_statement(c),
                c.L(f"What the data do show: {res.data.n_analysed} valid responses, and the reliability and validity "
                    f"results above ({sum(1 for v in res.measurement.constructs.values() if not v.second_order and v.alpha >= 0.7)} "
                    f"of {len(res.study.first_order)} constructs with α ≥ .70). These concern the measurement, not the hypotheses.",
                    f"数据能够说明的是：有效样本 {res.data.n_analysed} 份，以及上文的信度与效度结果（{len(res.study.first_order)} 个构念中有 "
                    f"{sum(1 for v in res.measurement.constructs.values() if not v.second_order and v.alpha >= 0.7)} 个 α ≥ 0.70）。"
                    "这些结论只涉及测量，不涉及研究假设。")]
    hs = res.hypotheses
    sup = [h for h in hs if h.supported]
    uns = [h for h in hs if not h.supported]
    out = [c.L(
        f"The data support {len(sup)} of the {len(hs)} path hypotheses"
        + (f" ({', '.join(h.id for h in sup)})" if sup else "")
        + (f"; {', '.join(h.id for h in uns)} {'is' if len(uns) == 1 else 'are'} not supported" if uns else "")
        + f". The strongest path is {_strongest(c, hs)}.",
        f"数据支持 {len(hs)} 个路径假设中的 {len(sup)} 个" + (f"（{'、'.join(h.id for h in sup)}）" if sup else "")
        + (f"，{'、'.join(h.id for h in uns)} 未得到支持" if uns else "") + f"。影响最强的路径是{_strongest(c, hs)}。")]
    med = [m for m in res.mediation if m.verdict in ("full", "complementary", "competitive", "indirect")]
    if med:
        out.append(c.L("Mediation: " + "; ".join(f"{m.id + ' ' if m.id else ''}{' → '.join(c.name(x) for x in m.path)} "
                                                  f"({VERDICT_EN[m.verdict].split(' (')[0]}, indirect β = {f3(m.delta.std_all)})"
                                                  for m in med) + ".",
                       "中介效应：" + "；".join(f"{m.id + ' ' if m.id else ''}{' → '.join(c.name(x) for x in m.path)}"
                                              f"（{VERDICT_ZH[m.verdict].split('（')[0]}，间接效应 β = {f3(m.delta.std_all)}）"
                                              for m in med) + "。"))
    out += implications(c)
    return out


def _strongest(c: Context, hs) -> str:
    h = max(hs, key=lambda x: abs(x.std_all))
    return c.L(f"{h.id}, {c.name(h.from_)} → {c.name(h.to)} (β = {f3(h.std_all)})",
               f" {h.id}：{c.name(h.from_)} → {c.name(h.to)}（β = {f3(h.std_all)}）")


def implications(c: Context) -> list[str]:
    """Management implications tied to the supported hypotheses and the IPMA quadrants."""
    res = c.res
    out = []
    sup = sorted([h for h in res.hypotheses if h.supported], key=lambda h: -abs(h.std_all))
    for h in sup:
        total = res.effects["total"].get(c.ipma.outcome if c.ipma else h.to, {}).get(h.from_)
        extra_en = extra_zh = ""
        if c.ipma and _finite(total) and h.to != c.ipma.outcome and h.from_ != c.ipma.outcome:
            extra_en = f"; counting all its paths, it moves {c.name(c.ipma.outcome)} by {f3(total)} SD per SD"
            extra_zh = f"；计入全部路径，它每提高 1 个标准差，{c.name(c.ipma.outcome)}提高 {f3(total)} 个标准差"
        out.append(c.L(
            f"Because {h.id} is supported, improving {c.name(h.from_)} is a lever for {c.name(h.to)}: one standard "
            f"deviation more {c.name(h.from_)} goes with {f3(h.std_all)} SD {'more' if h.std_all > 0 else 'less'} "
            f"{c.name(h.to)}{extra_en}.",
            f"由于 {h.id} 得到支持，提升{c.name(h.from_)}是改善{c.name(h.to)}的有效手段：{c.name(h.from_)}每提高 1 个标准差，"
            f"{c.name(h.to)}{'提高' if h.std_all > 0 else '降低'} {f3(abs(h.std_all))} 个标准差{extra_zh}。"))
    if c.ipma and c.ipma.points:
        by_q = {q: [p for p in c.ipma.points if p.quadrant == q] for q in ("concentrate", "keep", "low", "overkill")}
        parts_en, parts_zh = [], []
        if by_q["concentrate"]:
            parts_en.append("first priority: " + c.join([f"{c.name(p.code)} (performance {p.performance:.1f}/100, "
                                                         f"importance {f3(p.importance)})" for p in by_q["concentrate"]])
                            + " — important for " + c.name(c.ipma.outcome) + " but rated below average")
            parts_zh.append("首要任务是" + c.join([f"{c.name(p.code)}（表现 {p.performance:.1f}/100，重要性 {f3(p.importance)}）"
                                              for p in by_q["concentrate"]]) + "：它对" + c.name(c.ipma.outcome)
                            + "重要，但评价低于平均")
        if by_q["keep"]:
            parts_en.append("maintain " + c.join([f"{c.name(p.code)} ({p.performance:.1f}/100)" for p in by_q["keep"]]))
            parts_zh.append("保持" + c.join([f"{c.name(p.code)}（{p.performance:.1f}/100）" for p in by_q["keep"]]) + "的现有水平")
        if by_q["overkill"]:
            parts_en.append("do not add resources to " + c.join([c.name(p.code) for p in by_q["overkill"]])
                            + ", rated above average but less important")
            parts_zh.append("不必继续加大对" + c.join([c.name(p.code) for p in by_q["overkill"]]) + "的投入（表现高于平均而重要性较低）")
        if by_q["low"]:
            parts_en.append("treat " + c.join([c.name(p.code) for p in by_q["low"]]) + " as a lower priority")
            parts_zh.append(c.join([c.name(p.code) for p in by_q["low"]]) + "可以暂缓")
        out.append(c.L("The importance–performance map orders the actions: " + "; ".join(parts_en) + ".",
                       "重要性—表现矩阵给出了行动的先后：" + "；".join(parts_zh) + "。"))
    if not out:
        out.append(c.L("No hypothesis is supported, so the data give no evidence-based lever for management; the "
                       "constructs' levels (table of means) describe the current state only.",
                       "没有假设得到支持，数据不能为管理提供有实证依据的着力点；构念均值只描述现状。"))
    return out


# --------------------------------------------------------------------------------------------- limitations

def limitations(c: Context) -> list[str]:
    res = c.res
    d = res.data
    out = []
    src = res.study.data.source
    if res.study.data.simulated:
        out.append(c.L(f"The {d.n_analysed} responses are simulated from the population model in the study file: "
                       "the results show how the analysis works and recover the model that generated the data; they are "
                       "not evidence about real customers.",
                       f"本研究的 {d.n_analysed} 份数据由研究文件中的总体模型模拟生成：结果展示了分析流程并还原了生成数据的模型，"
                       "但不是关于真实顾客的证据。"))
    else:
        out.append(c.L(f"The {d.n_analysed} responses come from one cross-sectional survey"
                       + (f" ({src.strip()})" if src else "") + ": the paths are associations consistent with the "
                       "hypothesised causal order, not proof of it, and generalising beyond this sample needs replication.",
                       f"{d.n_analysed} 份数据来自一次横截面调查" + (f"（{src.strip()}）" if src else "")
                       + "：路径系数是与假设因果顺序一致的关联，而不是因果的证明，推广到本样本之外需要重复研究。"))
    md = res.measurement.mardia
    if (md.p_kurt < 0.05 or md.p_skew < 0.05) and res.estimator == "ML":
        out.append(c.L(f"The answers are not multivariate normal (Mardia skewness χ² = {md.skew:.2f}, {pv(md.p_skew)}; "
                       f"kurtosis z = {f2(md.kurtosis)}, {pv(md.p_kurt)}); a robust estimator (MLR, Satorra–Bentler) "
                       "would give more trustworthy χ² and standard errors.",
                       f"数据不服从多元正态（Mardia 偏度 χ² = {md.skew:.2f}，{pv(md.p_skew)}；峰度 z = {f2(md.kurtosis)}，"
                       f"{pv(md.p_kurt)}），采用稳健估计（MLR、Satorra–Bentler 校正）可以得到更可靠的 χ² 与标准误。"))
    share = res.measurement.harman_share
    out.append(c.L(f"All constructs were measured in the same questionnaire from the same respondents; Harman's test "
                   f"({pct(share)} for the first factor) cannot rule out common method variance entirely.",
                   f"所有构念都来自同一批受访者的同一份问卷；Harman 检验（第一个因子 {pct(share)}）不能完全排除共同方法偏差。"))
    weak = [k for k, v in res.measurement.constructs.items() if not v.second_order and (v.alpha < 0.70 or
                                                                                       (_finite(v.ave) and v.ave < 0.50))]
    if weak:
        out.append(c.L(f"The measurement of {c.join([c.name(k) for k in weak])} falls short of α ≥ .70 or AVE ≥ .50; "
                       "results involving these constructs are less certain.",
                       f"{c.join([c.name(k) for k in weak])}的测量未达到 α ≥ 0.70 或 AVE ≥ 0.50 的标准，涉及这些构念的结论不够确定。"))
    n_exc = sum(d.excluded_counts.values())
    if n_exc:
        how_en, how_zh = ("screening", "筛选") if res.missing == "fiml" else ("listwise deletion and screening", "成列删除与筛选")
        out.append(c.L(f"{n_exc} respondents ({pct(n_exc / d.n_raw)}) were excluded by {how_en}; "
                       "if they differ from the others, the sample is less representative.",
                       f"通过{how_zh}剔除了 {n_exc} 名受访者（{pct(n_exc / d.n_raw)}）；若他们与其他受访者存在系统差异，样本的代表性会下降。"))
    if res.missing == "fiml" and res.n_complete is not None and res.n_complete < d.n_analysed:
        out.append(c.L(f"{d.n_analysed - res.n_complete} respondents left some items unanswered; FIML keeps them under "
                       "the assumption that answers are missing at random (MAR). If people skipped items because of "
                       "the answer they would have given (e.g. dissatisfied customers skipping loyalty items), the "
                       "estimates can still be biased.",
                       f"{d.n_analysed - res.n_complete} 名受访者有未答题项；FIML 在“随机缺失（MAR）”假定下保留了他们。"
                       "若受访者因其本应给出的答案而跳题（例如不满意的顾客跳过忠诚题项），估计仍可能有偏。"))
    if res.bootstrap_resamples == 0 and res.mediation and res.estimator != "WLSMV":
        ids = c.join([m.id or " → ".join(m.path) for m in res.mediation])
        out.append(c.L(f"No bootstrap was run; the {len(res.mediation)} indirect effect(s) ({ids}) are judged on Monte "
                       f"Carlo intervals ({res.mediation[0].monte_carlo.draws} draws). Run with --bootstrap 2000 or more "
                       "for the final report.",
                       f"本次未进行 Bootstrap，{len(res.mediation)} 个间接效应（{ids}）依据蒙特卡洛置信区间"
                       f"（{res.mediation[0].monte_carlo.draws} 次抽取）判断；正式报告应使用 --bootstrap 2000 或更多次重抽样。"))
    return out


# --------------------------------------------------------------------------------------------- summary (client)

def executive_summary(c: Context) -> list[str]:
    res = c.res
    f = reported_fit(res.sem_fit, res.estimator)
    core_ok = all(fit_verdict(k, f[k])[1] != "poor" for k in ("cfi", "tli", "rmsea", "srmr"))
    rel_ok = sum(1 for v in res.measurement.constructs.values() if not v.second_order and v.alpha >= 0.70)
    out = [c.L(f"Based on {res.data.n_analysed} valid responses (of {res.data.n_raw} received), {rel_ok} of "
               f"{len(res.study.first_order)} measured constructs are reliable (α ≥ .70), and the model's fit is "
               f"{'acceptable' if core_ok else 'not acceptable'} (CFI = {f3(f['cfi'])}, RMSEA = {f3(f['rmsea'])}).",
               f"基于 {res.data.n_analysed} 份有效问卷（共回收 {res.data.n_raw} 份），{len(res.study.first_order)} 个构念中有 {rel_ok} 个"
               f"测量可靠（α ≥ 0.70），模型拟合{'可以接受' if core_ok else '不可接受'}（CFI = {f3(f['cfi'])}，RMSEA = {f3(f['rmsea'])}）。")]
    if not res.sem_proper:
        out.append(improper_statement(c))
        return out
    out += conclusions(c)[:1]
    out += ipma(c)
    return out
