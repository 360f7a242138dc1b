"""The chapter's text: paragraphs in Chinese or English generated from the results, section by section.

Every paragraph states findings with their numbers and the rule each is judged by, so it reads differently
when the data differ. Judgements that several sections share (normality, common-method bias, group
differences, whether the model can be read) come from :mod:`.verdicts`, so no two sections disagree. When
the structural model has no proper solution, the paragraphs about it say so and make no substantive claim.
The relations are associations in cross-sectional data: the wording never claims that changing one construct
changes another.

Each function takes a :class:`Context` and returns a list of plain-text paragraphs, with citation markers
``[@key]`` and italic symbols ``*p*`` that :mod:`.markup` resolves (the writers escape the text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from ..data import REASONS_ZH
from ..pipeline import StudyResults
from . import verdicts
from .scores import IPMA, ScoreSummary
from .text import fmt, reported_fit
from ..data.cells import answers_text
from ..messages import counted


@dataclass
class Context:
    res: StudyResults
    lang: str
    scores: ScoreSummary
    ipma: dict[str, IPMA] | None = None  # driver maps by level ("construct", "dimension", "item")

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

    @cached_property
    def normality(self) -> verdicts.Normality:
        return verdicts.normality(self.res)

    @cached_property
    def method_bias(self) -> verdicts.MethodBias:
        return verdicts.method_bias(self.res)

    @cached_property
    def robust_paths(self) -> tuple[verdicts.RobustPath, ...] | None:
        return verdicts.robust_paths(self.res)

    @cached_property
    def group_differences(self) -> list[verdicts.GroupDifference]:
        return verdicts.group_differences(self.res)

    @cached_property
    def status(self) -> verdicts.ModelStatus:
        return verdicts.model_status(self.res)

    @cached_property
    def measurement(self) -> verdicts.Measurement:
        return verdicts.measurement(self.res)


def f3(x) -> str:
    return fmt(x, 3)


def f2(x) -> str:
    return fmt(x, 2)


def pv(p) -> str:
    """'*p* < 0.001' / '*p* = 0.023'."""
    if p is None or not math.isfinite(p):
        return "*p* = —"
    return "*p* < 0.001" if p < 0.001 else f"*p* = {p:.3f}"


def pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}%"


def _finite(x) -> bool:
    return verdicts.finite(x)


def count_of(c: Context, k: int, total: int, en_noun: str) -> str:
    """"all 5 path hypotheses" / "3 of the 5 path hypotheses"; Chinese "全部 5 个" / "5 个中的 3 个"."""
    if c.lang == "zh":
        return f"全部 {total} 个" if k == total else f"{total} 个中的 {k} 个"
    return f"all {total} {en_noun}" if k == total else f"{k} of the {total} {en_noun}"


# --------------------------------------------------------------------------------------------- sample

REASONS_EN = {"incomplete answers": "incomplete answers", "straight-lining": "straight-lining",
              "duplicate id": "duplicate ids", "failed attention check": "a failed attention check",
              "too fast": "answering too fast", "no item answered": "no item answered"}


def sample(c: Context) -> list[str]:
    r, d = c.res, c.res.data
    out = []
    excluded = d.excluded_counts
    n_exc = sum(excluded.values())
    if n_exc:
        listed_en = ", ".join(f"{v} for {REASONS_EN.get(k, k)}" for k, v in excluded.items())
        listed_zh = "，".join(f"{REASONS_ZH.get(k, k)} {v} 份" for k, v in excluded.items())
        out.append(c.L(
            f"Of the {d.n_raw} questionnaires received, {n_exc} ({pct(n_exc / d.n_raw)}) were excluded ({listed_en}), "
            f"leaving {d.n_analysed} valid responses, an effective rate of {pct(d.n_analysed / d.n_raw)}.",
            f"共回收问卷 {d.n_raw} 份，剔除 {n_exc} 份（{pct(n_exc / d.n_raw)}；其中{listed_zh}），"
            f"得到有效问卷 {d.n_analysed} 份，有效率为 {pct(d.n_analysed / d.n_raw)}。"))
    else:
        n_flag = 0 if d.flagged is None else len(d.flagged)
        out.append(c.L(f"All {d.n_raw} questionnaires received were complete and none was excluded by the screening "
                       f"rules; all {d.n_analysed} enter the analysis"
                       + (f" ({n_flag} flagged by a rule whose action is to flag, and kept)." if n_flag else "."),
                       f"共回收问卷 {d.n_raw} 份，全部作答完整，筛选规则未剔除任何问卷，{d.n_analysed} 份均纳入分析"
                       + (f"（其中 {n_flag} 份被标记但按设定保留）。" if n_flag else "。")))
    # the model's own parameters (lavaan's npar also counts FIML intercepts and WLSMV thresholds);
    # a PLS-SEM study (no covariance-based model) has no such ratio
    npar = r.sem.structure.n_params if r.sem is not None else 0
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
            f"parameter, {verdict_en} ([@bentler1987]); the sample of {d.n_analysed} {size_en} the 200 "
            "respondents often recommended for SEM ([@kline2016]).",
            f"结构模型共有 {int(npar)} 个自由参数，样本量与参数之比为 {ratio:.1f}:1，{verdict_zh}（[@bentler1987]）；"
            f"有效样本 {d.n_analysed} 份，{size_zh}结构方程模型通常建议的 200 份（[@kline2016]）。"))
    if r.pls is not None and r.pls.converged and (minimum := _pls_minimum_sample(c, r.pls)):
        out.append(minimum)
    parts = []
    for q in r.study.background:
        if q.type != "categorical" or not q.levels or q.code not in d.background:
            continue
        answers = answers_text(d.background[q.code])  # = .astype("string").str.strip(), fast
        counts = answers.value_counts()
        if counts.empty:
            continue
        top = counts.index[0]
        label = next((lv.label.get(c.lang) for lv in q.levels if str(lv.code) == str(top)), str(top))
        n_top, share = int(counts.iloc[0]), counts.iloc[0] / d.n_analysed
        parts.append(c.L(f"{label} ({q.label('en')}: *n* = {n_top}, {pct(share)})",
                         f"{_as_group(label, q.label('zh'))}最多（{n_top} 人，占 {pct(share)}）"))
    if parts:
        out.append(c.L("The largest group of each background question: " + "; ".join(parts) + ".",
                       "；".join(parts) + "。"))
    return out


def _as_group(label: str, question: str) -> str:
    """A category as the subject of a Chinese sentence, not the bare label: "女" → "女性受访者",
    "本科" → "学历为“本科”的受访者"."""
    if label in ("男", "女"):
        return f"{label}性受访者"
    return f"{question}为“{label}”的受访者"


# Kock & Hadaya (2018): n_min = (z₀.₉₅ + z₀.₈₀)² / p_min² with their constant 2.486 for a 5 % one-tailed test at
# 80 % power, as Hair et al. (2022, ch. 1) recommend for PLS-SEM
INVERSE_SQUARE_ROOT = 2.486


def _pls_minimum_sample(c: Context, pls) -> str:
    """The inverse square root method for the smallest path the study reports as significant (p_min is the
    smallest effect a study means to detect; an estimate near 0 would ask for any n)."""
    supported = [x for x in pls.hypotheses if x.supported]
    if not supported:
        return ""
    h = min(supported, key=lambda x: abs(x.beta))
    beta = round(abs(h.beta), 3)  # as printed, so that the reader can redo the arithmetic
    n = pls.n
    need = math.ceil((INVERSE_SQUARE_ROOT / beta) ** 2)
    ok = n >= need
    return c.L(
        f"By the inverse square root method ([@kock2018]; [@hair2022], ch. 1), detecting the smallest supported "
        f"PLS path ({h.id}, |β| = {f3(beta)}) at the 5% level with 80% power needs *n* ≥ (2.486/{f3(beta)})² = {need}; "
        f"the {n} respondents {'meet' if ok else 'fall short of'} it"
        + ("." if ok else ", so a path of that size may be missed in another sample of this size."),
        f"按逆平方根法（[@kock2018]；[@hair2022]，第 1 章），要在 5% 水平上以 80% 的统计功效检测得到支持的最小路径"
        f"（{h.id}，|β| = {f3(beta)}），需要 *n* ≥ (2.486/{f3(beta)})² = {need}；本研究的 {n} 个样本"
        + ("满足这一要求。" if ok else "未达到这一要求，同样大小的样本可能检测不到这样大小的路径。"))


# --------------------------------------------------------------------------------------------- items

def items(c: Context) -> list[str]:
    t = c.res.measurement.items
    s = c.res.study.scale
    v = c.normality
    hi, lo = t["mean"].idxmax(), t["mean"].idxmin()
    mid = (s.min + s.max) / 2
    (ms, skew_max), (mk, kurt_max) = v.max_skew, v.max_kurtosis
    out = [c.L(
        f"On the {s.min}–{s.max} scale (midpoint {mid:g}), item means range from {f3(t.loc[lo, 'mean'])} ({lo}) to "
        f"{f3(t.loc[hi, 'mean'])} ({hi}), and standard deviations from {f3(t['sd'].min())} to {f3(t['sd'].max())}.",
        f"在 {s.min}–{s.max} 的量表上（中点为 {mid:g}），各题项均值介于 {f3(t.loc[lo, 'mean'])}（{lo}）与 "
        f"{f3(t.loc[hi, 'mean'])}（{hi}）之间，标准差介于 {f3(t['sd'].min())} 与 {f3(t['sd'].max())} 之间。")]
    if not v.items_beyond:
        out.append(c.L(
            f"The largest absolute skewness is {f3(skew_max)} ({ms}) and the largest absolute kurtosis {f3(kurt_max)} "
            f"({mk}), within |skewness| < 2 and |kurtosis| < 7 ([@west1995]): no item departs from normality "
            "enough to rule out maximum-likelihood estimation.",
            f"偏度绝对值最大为 {f3(skew_max)}（{ms}），峰度绝对值最大为 {f3(kurt_max)}（{mk}），均在 |偏度| < 2、"
            "|峰度| < 7 的范围内（[@west1995]），没有题项严重偏离正态。"))
    else:
        bad = list(v.items_beyond)
        out.append(c.L(
            f"{counted(len(bad), 'item')} {'exceeds' if len(bad) == 1 else 'exceed'} |skewness| < 2 or |kurtosis| < 7 ([@west1995]): {', '.join(bad)} (largest "
            f"|skewness| {f3(skew_max)} for {ms}, largest |kurtosis| {f3(kurt_max)} for {mk}).",
            f"有 {len(bad)} 个题项超出 |偏度| < 2 或 |峰度| < 7 的标准（[@west1995]）：{'、'.join(bad)}（偏度绝对值最大为 "
            f"{ms} 的 {f3(skew_max)}，峰度绝对值最大为 {mk} 的 {f3(kurt_max)}）。"))
    md = c.res.measurement.mardia
    stats_en = f"skewness χ² = {md.skew:.2f}, {pv(md.p_skew)}; kurtosis *z* = {f2(md.kurtosis)}, {pv(md.p_kurt)}"
    stats_zh = f"偏度 χ² = {md.skew:.2f}，{pv(md.p_skew)}；峰度 *z* = {f2(md.kurtosis)}，{pv(md.p_kurt)}"
    if not v.mardia_rejects:
        mardia_en = f"Mardia's test does not reject multivariate normality ({stats_en}; both *p* ≥ 0.05)."
        mardia_zh = f"Mardia 检验未拒绝多元正态假设（{stats_zh}；均 *p* ≥ 0.05）。"
    else:
        mardia_en = (f"Mardia's test rejects multivariate normality ({stats_en}); the kurtosis *z* is "
                     f"{'above' if v.mardia_severe else 'below'} 5 ([@bentler2005]).")
        mardia_zh = (f"Mardia 检验拒绝多元正态假设（{stats_zh}），峰度 *z* 值{'大于' if v.mardia_severe else '小于'} 5"
                     "（[@bentler2005]）。")
    skew_only = v.mardia_rejects and not v.mardia_severe and md.p_skew < 0.05
    if skew_only:
        # ML's estimates and tests suffer mainly from multivariate kurtosis, so a significant skewness test with a
        # small kurtosis z is no argument against ML: say the logic, not the mere rejection
        kurt_en = (f"the multivariate kurtosis is significant but small (*z* = {f2(md.kurtosis)}, {pv(md.p_kurt)})"
                   if md.p_kurt < 0.05 else f"the multivariate kurtosis is not (*z* = {f2(md.kurtosis)}, {pv(md.p_kurt)})")
        kurt_zh = (f"多元峰度虽显著但不大（*z* = {f2(md.kurtosis)}，{pv(md.p_kurt)}）" if md.p_kurt < 0.05
                   else f"多元峰度不显著（*z* = {f2(md.kurtosis)}，{pv(md.p_kurt)}）")
        mardia_en = (f"Mardia's multivariate skewness is significant (χ² = {md.skew:.2f}, {pv(md.p_skew)}), but "
                     f"{kurt_en}, below the *z* = 5 that matters for maximum likelihood ([@bentler2005]); it is "
                     "kurtosis, not skewness, that biases ML's χ² and standard errors ([@west1995]).")
        mardia_zh = (f"Mardia 检验的多元偏度显著（χ² = {md.skew:.2f}，{pv(md.p_skew)}），但{kurt_zh}，低于足以影响极大似然"
                     "估计的 *z* = 5（[@bentler2005]）；而影响极大似然 χ² 与标准误的主要是峰度而非偏度（[@west1995]）。")
    # the one judgement on normality, which the limitations repeat and never re-decide
    if v.tolerable and not v.robust_used:
        then_en, then_zh = (" Maximum-likelihood estimation is therefore appropriate.",
                            "因此仍可采用极大似然估计。" if skew_only else "因此可以采用极大似然估计。")
    elif v.robust_used:
        then_en = (f" The models are estimated with {v.estimator}, whose standard errors and tests are robust to "
                   "this departure from normality.")
        then_zh = f"模型采用 {v.estimator} 估计，其标准误与检验对这种非正态是稳健的。"
    elif c.robust_paths is not None:
        then_en = (" This departure matters for maximum likelihood: its χ² and standard errors may be biased. The "
                   "study used ML; as a sensitivity check, the hypothesis paths are also tested with robust (MLR, "
                   "Huber–White) standard errors ([@yuan2000]), reported beside the ML tests.")
        then_zh = ("这种偏离会影响极大似然估计：其 χ² 与标准误可能有偏。本研究采用 ML 估计，并以稳健（MLR，Huber–White）"
                   "标准误（[@yuan2000]）对假设路径另作检验，作为敏感性分析，与 ML 检验并列报告。")
    else:
        then_en = (" This departure matters for maximum likelihood: its χ² and standard errors may be biased, so a "
                   "robust estimator (MLR) is advised; the study used ML, and its tests should be read with that "
                   "caution.")
        then_zh = "这种偏离会影响极大似然估计：其 χ² 与标准误可能有偏，宜采用稳健估计（MLR）；本研究采用 ML 估计，其检验结果应谨慎解读。"
    out.append(c.L(mardia_en + then_en, mardia_zh + then_zh))
    return out


# --------------------------------------------------------------------------------------------- reliability

def reliability(c: Context) -> list[str]:
    cons = {k: v for k, v in c.res.measurement.constructs.items() if not v.second_order}
    if not cons:  # a PLS-SEM study whose constructs are all formative
        return [c.L("Every construct is formative, so internal-consistency reliability (α) does not apply "
                    "([@hair2022], ch. 5).", "所有构念均为形成型构念，内部一致性信度（α）不适用（[@hair2022]，第 5 章）。")]
    # formative constructs (PLS-SEM) are left out of the reliability table
    formative = any(k.mode == "formative" for k in c.res.study.first_order)
    alphas = {k: v.alpha for k, v in cons.items()}
    lo, hi = min(alphas, key=alphas.get), max(alphas, key=alphas.get)
    low = [k for k, a in alphas.items() if a < 0.70]
    if not low:
        first = c.L(
            f"Cronbach's α of every {'reflective' if formative else 'first-order'} construct reaches 0.70 "
            f"([@nunnally1978]), from {f3(alphas[lo])} ({c.name(lo)}) to {f3(alphas[hi])} ({c.name(hi)}).",
            f"各{'反映型' if formative else '一阶'}构念的 Cronbach's α 均达到 0.70（[@nunnally1978]），介于 "
            f"{f3(alphas[lo])}（{c.name(lo)}）与 {f3(alphas[hi])}（{c.name(hi)}）之间。")
    else:
        listed = [f"{c.name(k)} (α = {f3(alphas[k])}, 95% CI [{f3(cons[k].alpha_ci.lower)}, {f3(cons[k].alpha_ci.upper)}])"
                  for k in low]
        listed_zh = [f"{c.name(k)}（α = {f3(alphas[k])}，95% CI [{f3(cons[k].alpha_ci.lower)}, "
                     f"{f3(cons[k].alpha_ci.upper)}]）" for k in low]
        first = c.L(f"{len(low)} of {len(alphas)} constructs fall below α = 0.70 ([@nunnally1978]): {'; '.join(listed)}; "
                    "their scores are not reliable enough for firm conclusions.",
                    f"{len(alphas)} 个构念中有 {len(low)} 个的 α 低于 0.70（[@nunnally1978]）：{'；'.join(listed_zh)}，"
                    "其测量信度不足以支持确定的结论。")
    out = [first]
    ci_low = min(cons, key=lambda k: cons[k].alpha_ci.lower)
    omegas = {k: v.omega for k, v in cons.items() if _finite(v.omega)}
    if omegas:
        olo, ohi = min(omegas, key=omegas.get), max(omegas, key=omegas.get)
        out.append(c.L(
            f"The lowest Feldt 95% lower bound of α is {f3(cons[ci_low].alpha_ci.lower)} ({c.name(ci_low)}), "
            f"{'above' if cons[ci_low].alpha_ci.lower >= 0.70 else 'below'} 0.70; McDonald's ω ranges from "
            f"{f3(omegas[olo])} ({c.name(olo)}) to {f3(omegas[ohi])} ({c.name(ohi)})"
            f"{', all at least 0.70' if omegas[olo] >= 0.70 else ', not all reaching 0.70'}.",
            f"α 的 Feldt 95% 置信区间下限最低为 {f3(cons[ci_low].alpha_ci.lower)}（{c.name(ci_low)}），"
            f"{'高于' if cons[ci_low].alpha_ci.lower >= 0.70 else '低于'} 0.70；McDonald's ω 介于 {f3(omegas[olo])}"
            f"（{c.name(olo)}）与 {f3(omegas[ohi])}（{c.name(ohi)}）之间，{'均不低于 0.70' if omegas[olo] >= 0.70 else '并非全部达到 0.70'}。"))
    citc = [(k, item, row["citc"], row["alpha_if_deleted"]) for k, v in cons.items() if v.item_total is not None
            for item, row in v.item_total.iterrows()]
    if citc:
        weak = [x for x in citc if x[2] < 0.40]
        rising = [x for x in citc if x[3] > cons[x[0]].alpha + 0.005]
        mn = min(citc, key=lambda x: x[2])
        if not weak and not rising:
            out.append(c.L(
                f"Every corrected item–total correlation is at least 0.40 (the smallest is {f3(mn[2])}, {mn[1]}), and "
                "deleting any item would not raise its construct's α: all items are retained.",
                f"所有题项的校正的项总相关（CITC）均不低于 0.40（最小为 {mn[1]} 的 {f3(mn[2])}），删除任一题项都不会提高所属构念的 α，"
                "全部题项予以保留。"))
        else:
            bits_en, bits_zh = [], []
            if weak:
                bits_en.append(f"CITC below 0.40 for {', '.join(f'{i} ({f3(v)})' for _, i, v, _ in weak)}")
                bits_zh.append(f"{'、'.join(f'{i}（{f3(v)}）' for _, i, v, _ in weak)} 的 CITC 低于 0.40")
            if rising:
                bits_en.append("α would rise without " + ", ".join(
                    f"{i} (to {f3(a)} from {f3(cons[k].alpha)})" for k, i, _, a in rising))
                bits_zh.append("删除 " + "、".join(f"{i}（α 由 {f3(cons[k].alpha)} 升至 {f3(a)}）" for k, i, _, a in rising)
                               + " 后 α 会上升")
            n_items = len({i for _, i, *_ in weak} | {i for _, i, *_ in rising})
            out.append(c.L("Item-level problems: " + "; ".join(bits_en)
                           + (". This item is retained, so that its scale keeps the items of its source; the validity "
                              "analyses below show how the scale performs with it." if n_items == 1 else
                              ". These items are retained, so that each scale keeps the items of its source; the "
                              "validity analyses below show how the scales perform with them."),
                           "题项层面的问题：" + "；".join(bits_zh) + "。为保持量表与其来源一致，本研究保留这些题项，其对量表的影响见后文的效度分析。"))
    return out


# --------------------------------------------------------------------------------------------- validity

def validity(c: Context) -> list[str]:
    m = c.res.measurement
    k, b = m.kmo.overall, m.bartlett
    msa = m.kmo.per_item
    low_msa = list(msa[msa < 0.5].index)
    n_cons = len(c.res.study.first_order)
    out = [c.L(
        f"KMO = {f3(k)} ({'≥' if k >= 0.70 else '<'} 0.70, [@kaiser1974]) and Bartlett's test χ²({b.df}) = {b.chisq:.2f}, "
        f"{pv(b.pvalue)}: the items are {'suitable' if k >= 0.70 and b.pvalue < 0.05 else 'of questionable suitability'} "
        f"for factor analysis. The smallest item MSA is {f3(msa.min())} ({msa.idxmin()})"
        + (", above 0.50." if not low_msa else f"; {', '.join(low_msa)} fall below 0.50."),
        f"KMO 值为 {f3(k)}（{'≥' if k >= 0.70 else '<'} 0.70，[@kaiser1974]），Bartlett 球形检验 χ²({b.df}) = {b.chisq:.2f}，"
        f"{pv(b.pvalue)}，数据{'适合' if k >= 0.70 and b.pvalue < 0.05 else '是否适合'}做因子分析{'' if k >= 0.70 and b.pvalue < 0.05 else '存疑'}。"
        f"题项 MSA 最小为 {f3(msa.min())}（{msa.idxmin()}）" + ("，高于 0.50。" if not low_msa else f"，{'、'.join(low_msa)} 低于 0.50。"))]
    pa = m.parallel
    var = m.efa.variance
    flags = m.efa_flags[m.efa_flags["flagged"]]
    agree = pa.n_factors == n_cons
    out.append(c.L(
        f"Parallel analysis of common factors suggests {counted(pa.n_factors, 'factor')} against the {n_cons} first-order "
        f"constructs of the questionnaire{', in agreement with the design' if agree else ''} (of principal components, "
        f"{pa.n_components}: components absorb the correlations between dimensions). "
        f"Extracting {n_cons} factors (principal axis, varimax), they explain {pct(var['cumulative_var'].iloc[-1])} of "
        "the item variance; "
        + ("every item loads at least 0.50 on its primary factor with no cross-loading of 0.40 or more."
           if flags.empty else f"{counted(len(flags), 'item')} {'is' if len(flags) == 1 else 'are'} flagged for a weak primary loading or a cross-loading: "
           + ", ".join(f"{i} ({f3(r['primary_loading'])}{', cross ' + f3(r['max_secondary']) if r['cross_loading'] else ''})"
                       for i, r in flags.iterrows()) + "."),
        f"平行分析（公因子模式）建议提取 {pa.n_factors} 个因子，问卷设计的一阶构念为 {n_cons} 个"
        f"{'，两者一致' if agree else ''}（主成分模式建议 {pa.n_components} 个成分，反映各维度之间的相关）。按 {n_cons} 个因子提取（主轴因子法，方差最大化旋转），累计解释题项方差的 "
        f"{pct(var['cumulative_var'].iloc[-1])}；"
        + ("所有题项在其主因子上的载荷均不低于 0.50，且没有达到 0.40 的交叉载荷。" if flags.empty else
           f"有 {len(flags)} 个题项因主载荷偏低或存在交叉载荷而被标出："
           + "、".join(f"{i}（{f3(r['primary_loading'])}{'，交叉载荷 ' + f3(r['max_secondary']) if r['cross_loading'] else ''}）"
                      for i, r in flags.iterrows()) + "。")))
    mis = c.measurement.misloaded
    if mis:
        out.append(c.L(
            f"{counted(len(mis), 'item')} {'loads' if len(mis) == 1 else 'load'} mainly on the factor of another construct: "
            + "; ".join(f"{i} (a {c.name(own)} item) on the {c.name(other)} factor" for i, own, other in mis)
            + (". It does not measure its construct distinctly; the CFA below is read with this in mind." if len(mis) == 1 else
               ". They do not measure their constructs distinctly; the CFA below is read with this in mind."),
            f"有 {len(mis)} 个题项主要负荷于其他构念的因子："
            + "；".join(f"{i}（属于{c.name(own)}）负荷于{c.name(other)}因子" for i, own, other in mis)
            + "。这些题项未能区分地测量其所属构念，下文的验证性因子分析结果需结合这一点解读。"))
    cons = m.constructs
    if not c.res.cfa.proper:
        k = len(c.res.cfa.problems) + (0 if c.res.cfa.converged else 1)
        out.append(c.L(
            f"The measurement model (CFA) has no proper solution ({counted(k, 'problem')} in the warnings; CFI = "
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
        cr_lo, cr_hi = min(crs, key=crs.get), max(crs, key=crs.get)
        ave_lo, ave_hi = min(aves, key=aves.get), max(aves, key=aves.get)
        lmax = max(lam, key=lam.get)
        out.append(c.L(
            f"In the CFA, standardized loadings range from {f3(lam[lmin])} ({lmin[1]}) to {f3(lam[lmax])} ({lmax[1]})"
            + (f"; {', '.join(below6)} load below 0.60" if below6 else ", all at least 0.60 ([@hair2019])")
            + f". CR ranges from {f3(crs[cr_lo])} ({c.name(cr_lo)}) to {f3(crs[cr_hi])} "
            f"({c.name(cr_hi)}; {'all ≥ 0.70' if crs[cr_lo] >= 0.70 else 'not all ≥ 0.70'}) and AVE from {f3(aves[ave_lo])} "
            f"({c.name(ave_lo)}) to {f3(aves[ave_hi])} ({c.name(ave_hi)}; {'all ≥ 0.50' if aves[ave_lo] >= 0.50 else 'not all ≥ 0.50'}): "
            + ("convergent validity is supported." if crs[cr_lo] >= 0.70 and aves[ave_lo] >= 0.50 and not below6
               else "convergent validity is not fully supported."),
            f"验证性因子分析中，标准化载荷介于 {f3(lam[lmin])}（{lmin[1]}）与 {f3(lam[lmax])}（{lmax[1]}）之间"
            + (f"，{'、'.join(below6)} 低于 0.60" if below6 else "，均不低于 0.60（[@hair2019]）")
            + f"。CR 介于 {f3(crs[cr_lo])}（{c.name(cr_lo)}）与 {f3(crs[cr_hi])}（{c.name(cr_hi)}）之间（{'均 ≥ 0.70' if crs[cr_lo] >= 0.70 else '并非全部 ≥ 0.70'}），"
            f"AVE 介于 {f3(aves[ave_lo])}（{c.name(ave_lo)}）与 {f3(aves[ave_hi])}（{c.name(ave_hi)}）之间（{'均 ≥ 0.50' if aves[ave_lo] >= 0.50 else '并非全部 ≥ 0.50'}），"
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
            "every √AVE exceeds the construct's correlations with the others ([@fornell1981])" if not fails else
            f"the Fornell–Larcker criterion fails for {', '.join(f'{c.name(a)}–{c.name(b2)} (*r* = {f3(r)})' for a, b2, r in fails)}",
            "各构念的 √AVE 均大于其与其他构念的相关系数（[@fornell1981]）" if not fails else
            f"{'、'.join(f'{c.name(a)}与{c.name(b2)}（*r* = {f3(r)}）' for a, b2, r in fails)} 未通过 Fornell–Larcker 检验")
        if hmax is not None:
            h_text = c.L(
                f"the largest HTMT is {f3(hmax[2])} ({c.name(hmax[1])}–{c.name(hmax[0])}), "
                f"{'below 0.85' if hmax[2] < 0.85 else 'below 0.90 but not 0.85' if hmax[2] < 0.90 else 'at or above 0.90'} "
                "([@henseler2015])"
                + ("" if upper_bad is None or not len(upper_bad) else
                   f", and the bootstrap upper bound reaches 0.90 for {counted(len(upper_bad), 'pair')}"),
                f"HTMT 最大为 {f3(hmax[2])}（{c.name(hmax[1])}与{c.name(hmax[0])}），"
                f"{'低于 0.85' if hmax[2] < 0.85 else '低于 0.90 但高于 0.85' if hmax[2] < 0.90 else '达到或超过 0.90'}（[@henseler2015]）"
                + ("" if upper_bad is None or not len(upper_bad) else f"，且有 {len(upper_bad)} 对构念的 Bootstrap 置信区间上限达到 0.90"))
            ok = not fails and hmax[2] < 0.85 and (upper_bad is None or not len(upper_bad))
            out.append(c.L(f"Discriminant validity: {fl_text}; {h_text}. "
                           + ("Discriminant validity is established." if ok else
                              "Discriminant validity is not established for every pair."),
                           f"区分效度方面，{fl_text}；{h_text}。" + ("区分效度成立。" if ok else "并非所有构念对都具有区分效度。")))
    return out


# --------------------------------------------------------------------------------------------- common method bias

def cmb(c: Context) -> list[str]:
    v = c.method_bias
    n_items = len(c.res.measurement.items)
    share = pct(v.harman_share)
    above = c.L("at or above" if v.harman_beyond else "below", "达到或超过" if v.harman_beyond else "低于")
    out = [c.L(
        f"Harman's single-factor test ([@podsakoff2003]): the first unrotated factor of the {n_items} items explains "
        f"{share} of their variance, {above} the 40% that studies conventionally use as the limit (some use 50%; "
        "both are conventions, Podsakoff et al. give no cut-off; [@zhou2004]). The test only detects a method factor "
        "that dominates every item, so it is only a weak screen.",
        f"Harman 单因子检验（[@podsakoff2003]；[@zhou2004]）：{n_items} 个题项未旋转的第一个因子解释了 {share} 的方差，"
        f"{above}研究中惯用的 40% 临界值（也有研究采用 50%；二者都是惯例，Podsakoff 等并未给出临界值）。该检验只能发现"
        "主导全部题项的方法因子，只是较弱的初步筛查。")]
    mf = c.res.method_factor
    if mf is not None:
        out.append(c.L(str(mf.verdict), mf.verdict.zh))
    # the one verdict (verdicts.method_bias), which the limitations and the class note repeat
    verdict = v.statement()
    limitation_en = "; this is a limitation of the study." if v.serious else "."
    limitation_zh = "；这是本研究的一个局限。" if v.serious else "。"
    if v.method_factor_usable:
        out.append(c.L(
            "Podsakoff et al. regard Harman's test as insensitive; the method-factor model estimates the method variance "
            "directly, although it has limits of its own ([@podsakoff2003], Table 5). Taken together, "
            + str(verdict) + limitation_en,
            "Podsakoff 等认为 Harman 检验不够灵敏；方法因子模型直接估计方法方差，但也有其局限（[@podsakoff2003]，表 5）。"
            "综合来看，" + verdict.zh + limitation_zh))
    else:
        out.append(c.L("Taken together, " + str(verdict) + ".", "综合来看，" + verdict.zh + "。"))
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
    neg_sig = [x for x in neg if x[3] < 0.05]
    hi = max(pairs, key=lambda x: x[2])  # the range of r itself, not of |r|
    lo = min(pairs, key=lambda x: x[2])
    # the hypothesised pairs: is each correlation significant in the expected direction?
    hyp = [(h, s.r.loc[h.from_, h.to], s.p.loc[h.from_, h.to]) for h in c.res.study.model.hypotheses
           if h.from_ in s.r.index and h.to in s.r.index]
    agree = [h for h, r, p in hyp if p < 0.05 and (r > 0) == (h.sign == "+")]
    top, bottom = s.mean.idxmax(), s.mean.idxmin()
    sc = c.res.study.scale
    k, total = len(sig), len(pairs)
    # a construct in every negative pair ("all involve switching cost")
    shared = set.intersection(*[{a, b} for a, b, _, _ in neg]) if len(neg) > 1 else set()
    shared = [x for x in codes if x in shared][:1]
    first_en = (f"The {total} correlations between construct scores range from *r* = {f3(lo[2])} "
                f"({c.name(lo[0])}–{c.name(lo[1])}) to *r* = {f3(hi[2])} ({c.name(hi[0])}–{c.name(hi[1])}); "
                + ("all of them are" if k == total else f"{k} of them are" if k else "none of them is")
                + " significant at *p* < 0.05")
    first_zh = (f"构念得分之间的 {total} 个相关系数介于 *r* = {f3(lo[2])}（{c.name(lo[0])}与{c.name(lo[1])}）与 "
                f"*r* = {f3(hi[2])}（{c.name(hi[0])}与{c.name(hi[1])}）之间，"
                + ("全部" if k == total else f"其中 {k} 个" if k else "均未")
                + "在 *p* < 0.05 水平上显著")
    if not neg:
        first_en += ", and all are positive."
        first_zh += "，且全部为正。"
    else:
        n_neg = len(neg)
        with_en = f", all involving {c.name(shared[0])}" if shared else ""
        with_zh = f"（均涉及{c.name(shared[0])}）" if shared else ""
        sig_en = (("it is not significant" if n_neg == 1 else "none of these is significant") if not neg_sig else
                  f"only {'this one' if n_neg == 1 else 'one'} is significant (*r* = {f3(neg_sig[0][2])})"
                  if len(neg_sig) == 1 and n_neg > 1 else
                  "it is significant" if n_neg == 1 else
                  f"{len(neg_sig)} of them are significant")
        sig_zh = ("均不显著" if not neg_sig and n_neg > 1 else "不显著" if not neg_sig else
                  "且显著" if n_neg == 1 else
                  f"其中仅 *r* = {f3(neg_sig[0][2])} 显著" if len(neg_sig) == 1 else
                  f"其中 {len(neg_sig)} 个显著")
        first_en += (f"; {'one of them is' if n_neg == 1 else f'{n_neg} are'} negative{with_en}, and "
                     f"{sig_en}.")
        first_zh += f"；{n_neg} 个为负{with_zh}，{sig_zh}。"
    out = [c.L(first_en, first_zh)]
    if hyp:
        rs = [r for _, r, _ in hyp]
        out.append(c.L(
            f"For {count_of(c, len(agree), len(hyp), 'hypothesised relations')} the correlation is significant in the "
            f"expected direction (*r* from {f3(min(rs))} to {f3(max(rs))})"
            + (", a first indication for the structural model, which then removes measurement error." if c.status.proper
               else "; correlations of mean scores are not tests of the hypotheses."),
            (f"研究假设所涉及的 {len(hyp)} 对构念之间的相关均在预期方向上显著" if len(agree) == len(hyp) else
             f"研究假设所涉及的 {len(hyp)} 对构念中，有 {len(agree)} 对的相关在预期方向上显著")
            + f"（*r* 介于 {f3(min(rs))}～{f3(max(rs))}）" + ("，为结构模型（剔除测量误差后）的检验提供了初步依据。" if c.status.proper
                                     else "；均值得分之间的相关并不是对研究假设的检验。")))
    out.append(c.L(
        f"On the {sc.min}–{sc.max} scale, {c.name(top)} has the highest mean ({f3(s.mean[top])}, *SD* = "
        f"{f3(s.sd[top])}) and {c.name(bottom)} the lowest ({f3(s.mean[bottom])}, *SD* = {f3(s.sd[bottom])}).",
        f"在 {sc.min}–{sc.max} 的量表上，{c.name(top)}的均值最高（{f3(s.mean[top])}，*SD* = {f3(s.sd[top])}），"
        f"{c.name(bottom)}的均值最低（{f3(s.mean[bottom])}，*SD* = {f3(s.sd[bottom])}）。"))
    return out
