"""The PLS-SEM sections of the report: measurement model, structural model, group comparison, the
comparison with covariance-based SEM (method ``both``) and the PLS importance–performance map.

Every sentence is derived from a number and a rule, and every threshold carries its source (Hair,
Hult, Ringle & Sarstedt 2022, *A Primer on PLS-SEM*, 3rd ed., unless another is named). The tables are
document-model :class:`~study.report.document.Table` objects, so HTML, Word and Excel show the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import figures
from .document import Figure, Paragraph, Section, Table
from .scores import ipma_map
from .tables import ci_text, hdr, num, pcell, txt
from .text import fmt, stars
from ..messages import counted, in_language

__all__ = ["pls_sections", "PLS_TEXT"]

PLS_TEXT = {
    "en": {
        "s_measure": "Measurement model (PLS-SEM)", "s_struct": "Structural model (PLS-SEM)",
        "s_groups": "Group comparison (PLS-SEM: MICOM and multi-group analysis)",
        "s_compare": "CB-SEM and PLS-SEM compared", "s_ipma": "Importance–performance map (PLS-SEM)",
        "t_outer": "Outer loadings and weights", "t_rel": "Internal consistency reliability and convergent validity",
        "t_htmt": "Discriminant validity: heterotrait–monotrait ratio (HTMT)", "t_fl": "Fornell–Larcker criterion",
        "t_cross": "Cross-loadings", "t_paths": "Path coefficients and hypothesis tests (bootstrap)",
        "t_r2": "Explanatory and predictive power", "t_predict": "PLSpredict: out-of-sample prediction of the indicators",
        "t_fit": "Model fit (composite model)", "t_med": "Specific indirect effects (bootstrap)",
        "t_micom": "Measurement invariance of composites (MICOM), {g}", "t_mga": "Path coefficients by group, {g}",
        "t_compare": "Standardized path coefficients: CB-SEM and PLS-SEM", "t_ipma": "Importance and performance for {o} (PLS-SEM)",
        "construct": "Construct", "indicator": "Indicator", "mode": "Measurement", "reflective": "reflective",
        "formative": "formative", "loading": "Loading", "weight": "Weight", "vif": "VIF", "path": "Path",
        "hypothesis": "Hypothesis", "result": "Result", "supported": "supported", "not_supported": "not supported",
        "ci": "95 % CI", "upper95": "Upper 95 %", "pair": "Pair", "r2": "R²", "r2_adj": "Adjusted R²", "r2_level": "Explanatory power (R²)",
        "q2": "Q² (blindfolding)", "f2": "f²", "item": "Indicator", "q2p": "Q²predict", "pls_rmse": "PLS RMSE",
        "lm_rmse": "LM RMSE", "pls_mae": "PLS MAE", "lm_mae": "LM MAE", "power": "Predictive power", "skew": "Skewness of PLS errors",
        "model": "Model", "saturated": "Saturated", "estimated": "Estimated", "indirect": "Indirect effect",
        "bca": "BCa 95 % CI", "direct": "Direct effect", "verdict": "Mediation", "c": "c", "c5": "5 % quantile",
        "comp": "Compositional invariance", "mean_d": "Mean difference", "var_d": "Log variance ratio",
        "invariance": "Invariance", "yes": "yes", "no": "no", "full": "full", "partial": "partial", "none": "none",
        "diff": "Difference", "p_perm": "p (permutation)", "p_hens": "p (Henseler MGA)", "cb": "CB-SEM β",
        "pls": "PLS-SEM β", "importance": "Importance", "performance": "Performance (0–100)", "quadrant": "Quadrant",
        "low_p": "low", "medium": "medium", "high": "high",
        "zhao": {"full": "indirect-only mediation", "indirect": "indirect effect (no direct path in the model)",
                 "complementary": "partial (complementary)",
                 "competitive": "competitive mediation", "direct-only": "no mediation (direct only)",
                 "none": "no effect"},
        "outer_note": "Reflective indicators: loading ≥ 0.708 (indicator reliability λ² ≥ 0.50); items with λ < 0.40 should "
                      "be removed; items with 0.40 ≤ λ < 0.70 are dropped only if that lifts rho_C or AVE above its threshold. Formative indicators: VIF < 3 "
                      "(≥ 5 critical); a weight that is not significant is kept if its loading is ≥ 0.50 and significant "
                      "([@hair2022], ch. 4–5). t and p from {b:,} bootstrap resamples; * *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001.",
        "rel_note": "α: Cronbach's alpha of the standardized indicators; rho_A: [@!dijkstra2015]; rho_C: composite "
                    "reliability; AVE: average variance extracted ([@fornell1981]). Criteria: α, rho_A, rho_C "
                    "between 0.70 and 0.95, AVE ≥ 0.50 ([@hair2022], ch. 4). Not defined for formative constructs.",
        "htmt_note": "HTMT with absolute correlations ([@henseler2015]): below 0.85 for distinct "
                     "constructs, 0.90 for conceptually close ones. Upper 95 %: the one-sided bootstrap bound, which "
                     "should lie below the threshold ([@franke2019]). Percentile intervals from {b:,} resamples.",
        "fl_note": "Diagonal: √AVE; below: construct correlations. √AVE should exceed the construct's correlations "
                   "([@fornell1981]); the criterion misses problems that HTMT detects ([@henseler2015]).",
        "paths_note": "β: path coefficient; t = β / bootstrap SE, p two-sided; 95 % CI: percentile interval of {b:,} "
                      "resamples (seed {seed}). f²: 0.02 small, 0.15 medium, 0.35 large ([@cohen1988]). A hypothesis is "
                      "supported when *p* < 0.05 with the expected sign.",
        "r2_note": "R² 0.75, 0.50, 0.25: substantial, moderate, weak ([@hair2011]). Q² > 0: predictive relevance; "
                   "0.25 and 0.50: medium and large ([@hair2019ebr]); blindfolding, omission distance {d}. Inner VIF "
                   "of the antecedents (max.): < 3 unproblematic, ≥ 5 critical ([@hair2022], ch. 6).",
        "predict_note": "{k}-fold cross-validation, {r} repetitions; predictions from the exogenous constructs "
                        "([@shmueli2016]). LM: linear regression of each indicator on the exogenous indicators. "
                        "Q²predict > 0: better than the training mean. Predictive power ([@shmueli2019]): PLS errors "
                        "below LM's for all indicators high, a majority medium, a minority low, none: no predictive "
                        "power. The errors are compared on RMSE, or on MAE for a construct when the PLS prediction errors "
                        "of one of its indicators are highly skewed ([@shmueli2019]; here |skewness| > 1).",
        "fit_note": "SRMR < 0.08 ([@henseler2016]); NFI closer to 1 is better. The saturated model frees all "
                    "construct correlations, the estimated model implies them by the paths. [@!hair2022] (ch. 6) "
                    "caution that fit criteria are of limited use for PLS-SEM.",
        "med_note": "Specific indirect effect: the product of the paths along the chain; percentile and BCa (bias-corrected "
                    "and accelerated; [@efron1993]) intervals of {b:,} resamples. Mediation type after [@!zhao2010].",
        "micom_note": "MICOM ([@henseler2016micom]), {p:,} permutations. Step 1 (configural invariance): same "
                      "indicators, data treatment and algorithm in both groups. Step 2: compositional invariance holds "
                      "when c is not below the 5 % quantile of its permutation distribution. Step 3: the mean difference "
                      "and the log variance ratio of the composites lie inside the 95 % permutation intervals. Full "
                      "invariance (2 and 3) allows pooling; partial (2) allows comparing the paths.",
        "mga_note": "p (permutation): two-sided permutation test of the difference ([@chin2010]); p (Henseler "
                    "MGA): one-sided probability that group 1's coefficient is not larger "
                    "([@henseler2009]), significant at 5% when below 0.05 or above 0.95.",
        "compare_note": "CB-SEM: standardized estimates (std.all); PLS-SEM: path coefficients of composites. * *p* < 0.05, "
                        "** *p* < 0.01, *** *p* < 0.001.",
        "ipma_note": "Importance: the unstandardized total effect on {o}, with the construct scores rescaled to 0–100; performance: mean "
                     "of the construct's score built from the items rescaled to 0–100 with the rescaled unstandardized "
                     "weights ([@ringle2016]). Quadrants at the mean importance ({icut}) and performance ({pcut}).",
        "not_converged": "The PLS algorithm did not converge",
        "inadmissible": "The PLS solution is inadmissible",
        "no_boot": "No bootstrap was run: *t*, *p* and intervals are not available, and no hypothesis is judged.",
    },
    "zh": {
        "s_measure": "测量模型评估（PLS-SEM）", "s_struct": "结构模型评估（PLS-SEM）",
        "s_groups": "多群组比较（PLS-SEM：MICOM 与多群组分析）", "s_compare": "CB-SEM 与 PLS-SEM 结果比较",
        "s_ipma": "重要性—表现矩阵分析（PLS-SEM）",
        "t_outer": "外部载荷与外部权重", "t_rel": "内部一致性信度与收敛效度", "t_htmt": "区分效度：异质—单质比率（HTMT）",
        "t_fl": "Fornell–Larcker 准则", "t_cross": "交叉载荷", "t_paths": "路径系数与假设检验（Bootstrap）",
        "t_r2": "解释力与预测相关性", "t_predict": "PLSpredict：题项的样本外预测", "t_fit": "模型拟合（合成模型）",
        "t_med": "特定间接效应（Bootstrap）", "t_micom": "合成变量测量不变性检验（MICOM）：{g}", "t_mga": "分组路径系数：{g}",
        "t_compare": "标准化路径系数：CB-SEM 与 PLS-SEM", "t_ipma": "各构念对{o}的重要性与表现（PLS-SEM）",
        "construct": "构念", "indicator": "指标", "mode": "测量方式", "reflective": "反映型", "formative": "形成型",
        "loading": "载荷", "weight": "权重", "vif": "VIF", "path": "路径", "hypothesis": "假设", "result": "结果",
        "supported": "支持", "not_supported": "不支持", "ci": "95% 置信区间", "upper95": "95% 上限", "pair": "构念对",
        "r2": "R²", "r2_adj": "调整后 R²", "r2_level": "解释力（R²）", "q2": "Q²（Blindfolding）", "f2": "f²", "item": "题项", "q2p": "Q²predict",
        "pls_rmse": "PLS RMSE", "lm_rmse": "LM RMSE", "pls_mae": "PLS MAE", "lm_mae": "LM MAE", "power": "预测能力", "skew": "PLS 误差偏度",
        "model": "模型", "saturated": "饱和模型", "estimated": "估计模型", "indirect": "间接效应", "bca": "BCa 95% 置信区间",
        "direct": "直接效应", "verdict": "中介类型", "c": "c", "c5": "5% 分位数", "comp": "组成不变性",
        "mean_d": "均值差", "var_d": "方差比对数", "invariance": "不变性", "yes": "是", "no": "否", "full": "完全",
        "partial": "部分", "none": "不成立", "diff": "差值", "p_perm": "p（置换检验）", "p_hens": "p（Henseler MGA）",
        "cb": "CB-SEM β", "pls": "PLS-SEM β", "importance": "重要性", "performance": "表现（0–100）", "quadrant": "象限",
        "low_p": "低", "medium": "中", "high": "高",
        "zhao": {"full": "仅间接效应的中介", "indirect": "间接效应显著（模型中无直接路径）", "complementary": "部分中介（互补型）",
                 "competitive": "竞争型中介", "direct-only": "无中介（仅直接效应）", "none": "无效应"},
        "outer_note": "反映型指标：载荷 ≥ 0.708（指标信度 λ² ≥ 0.50）；λ < 0.40 的题项应删除；0.40 ≤ λ < 0.70 的题项仅在删除后能使 rho_C 或 AVE 达标时才删除。"
                      "形成型指标：VIF < 3（≥ 5 为严重共线性）；权重不显著但载荷 ≥ 0.50 且显著的指标予以保留（[@hair2022]，第 4–5 章）。"
                      "t 值与 p 值来自 {b:,} 次 Bootstrap 重抽样；* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。",
        "rel_note": "α：标准化指标的 Cronbach's α；rho_A：[@!dijkstra2015]；rho_C：组合信度；AVE：平均方差萃取量"
                    "（[@fornell1981]）。标准：α、rho_A、rho_C 介于 0.70 与 0.95 之间，AVE ≥ 0.50（[@hair2022]，第 4 章）。"
                    "形成型构念不适用。",
        "htmt_note": "HTMT 采用相关系数绝对值（[@henseler2015]）：概念上不同的构念应低于 0.85，概念相近的构念应低于 0.90。"
                     "95% 上限为单侧 Bootstrap 上界，应低于临界值（[@franke2019]）。百分位区间基于 {b:,} 次重抽样。",
        "fl_note": "对角线为 AVE 的平方根，下三角为构念间相关系数。AVE 平方根应大于该构念与其他构念的相关（[@fornell1981]）；"
                   "该准则可能漏判 HTMT 能发现的问题（[@henseler2015]）。",
        "paths_note": "β 为路径系数；t = β / Bootstrap 标准误，p 为双侧；95% 置信区间为 {b:,} 次重抽样的百分位区间（种子 {seed}）。"
                      "f²：0.02、0.15、0.35 分别为小、中、大效应（[@cohen1988]）。p < 0.05 且方向与预期一致时假设得到支持。",
        "r2_note": "R² 为 0.75、0.50、0.25 分别表示解释力较强、中等、较弱（[@hair2011]）。Q² > 0 表示具有预测相关性，"
                   "0.25 与 0.50 分别为中等与较大（[@hair2019ebr]）；Blindfolding 省略距离为 {d}。前因构念的内部 VIF（最大值）"
                   "< 3 无共线性问题，≥ 5 为严重共线性（[@hair2022]，第 6 章）。",
        "predict_note": "{k} 折交叉验证，重复 {r} 次；由外生构念预测（[@shmueli2016]）。LM：各指标对外生构念全部指标的线性回归。"
                        "Q²predict > 0 表示优于训练样本均值。预测能力（[@shmueli2019]）：全部指标的 PLS 误差低于 LM 为高，"
                        "多数为中，少数为低，均不低于 LM 则不具预测能力。一般比较 RMSE；某构念任一指标的 PLS 预测误差严重偏态时"
                        "（[@shmueli2019]；此处以 |偏度| > 1 为准），该构念比较 MAE。",
        "fit_note": "SRMR < 0.08（[@henseler2016]）；NFI 越接近 1 越好。饱和模型令构念间相关自由估计，估计模型由路径推出构念间相关。"
                    "[@!hair2022]（第 6 章）指出，拟合指标对 PLS-SEM 的参考价值有限。",
        "med_note": "特定间接效应为链上各路径系数之积；百分位与 BCa（偏差校正加速，[@efron1993]）置信区间基于 {b:,} 次重抽样。"
                    "中介类型依据 [@!zhao2010]。",
        "micom_note": "MICOM（[@henseler2016micom]），置换 {p:,} 次。步骤一（构型不变性）：两组的指标、数据处理与算法设置相同。"
                      "步骤二：c 不低于其置换分布的 5% 分位数时组成不变性成立。步骤三：合成变量的均值差与方差比对数落在 95% 置换区间内。"
                      "步骤二、三均成立为完全不变性，可合并数据；仅步骤二成立为部分不变性，可比较路径系数。",
        "mga_note": "p（置换检验）：路径系数差异的双侧置换检验（[@chin2010]）；p（Henseler MGA）：第一组系数不大于第二组的"
                    "单侧概率（[@henseler2009]），低于 0.05 或高于 0.95 时在 5% 水平上显著。",
        "compare_note": "CB-SEM 为标准化估计值（std.all）；PLS-SEM 为合成变量的路径系数。* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。",
        "ipma_note": "重要性：各构念得分换算为 0–100 后，该构念对{o}的非标准化总效应；表现：题项换算为 0–100 后，以换算后的非标准化权重合成的构念得分均值"
                     "（[@ringle2016]）。象限以平均重要性（{icut}）与平均表现（{pcut}）划分。",
        "not_converged": "PLS 算法未收敛", "inadmissible": "PLS 解不可接受",
        "no_boot": "未进行 Bootstrap：没有 *t* 值、*p* 值与置信区间，也不判断假设是否成立。",
    },
}


def _f(x, d=3):
    return fmt(x, d)


def _and(items, zh: bool) -> str:
    """'a, b and c' (en) or 'a、b、c' (zh)."""
    items = list(items)
    if zh or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _htmt_assessed(p):
    """The HTMT pairs of reflective constructs (HTMT assesses reflective measurement, [@hair2022], ch. 4; pairs
    with a formative construct are computed, as seminr does, but neither shown nor judged), whether the
    bootstrap bound is available, and the pairs whose bound (or, without a bootstrap, HTMT) reaches 0.90."""
    rel = p.reliability
    formative = set(rel.index[rel["mode"] == "formative"])
    h = p.htmt[~p.htmt["from"].isin(formative) & ~p.htmt["to"].isin(formative)]
    has_ci = "upper_95" in h
    return h, has_ci, h[(h["upper_95"] if has_ci else h["htmt"]) >= 0.90], formative


@dataclass(frozen=True)
class MeasurementCaveats:
    """The PLS measurement problems that qualify the hypothesis verdicts ([@hair2022], ch. 4).

    weak: reflective constructs below rho_C 0.70 or AVE 0.50, with the failed criteria and values;
    low: reflective indicators loading below 0.40 (which should be removed) that the model keeps;
    pairs: construct pairs whose HTMT upper bound (without a bootstrap: HTMT) reaches 0.90;
    hypotheses, mediations: those whose path runs between the constructs of such a pair."""

    weak: list
    low: list
    pairs: list
    bound: bool
    hypotheses: list
    mediations: list

    def __bool__(self) -> bool:
        return bool(self.weak or self.low or self.hypotheses or self.mediations)


def measurement_caveats(p) -> MeasurementCaveats:
    """The :class:`MeasurementCaveats` of an admissible PLS result."""
    rel = p.reliability
    rr = rel[rel["mode"] == "reflective"].dropna(subset=["ave"])
    weak = [(c, [(k, row[col]) for k, col, cut in (("rho_C", "rho_c", 0.70), ("AVE", "ave", 0.50)) if row[col] < cut])
            for c, row in rr.iterrows() if row["rho_c"] < 0.70 or row["ave"] < 0.50]
    o = p.outer
    model = p.result.model
    refl = o[(o["construct"].map(model.mode) == "reflective") & (o["stage"] == 2)]
    low = [(c, i, v) for c, i, v in zip(refl["construct"], refl["indicator"], refl["loading"]) if v < 0.40]
    _, has_ci, over, _ = _htmt_assessed(p)
    pairs = [(a, b) for a, b in zip(over["from"], over["to"])]
    close = {frozenset(x) for x in pairs}
    hyps = [h for h in p.hypotheses if frozenset((h.from_, h.to)) in close]
    meds = [m for m in p.mediation if m.id and any(frozenset(x) in close for x in zip(m.path, m.path[1:]))]
    return MeasurementCaveats(weak, low, pairs, has_ci, hyps, meds)


def caveat_text(p, lang: str, name) -> str:
    """The sentences that qualify the PLS hypothesis verdicts by the measurement results (empty when none
    applies): constructs below rho_C/AVE, kept indicators loading below 0.40, and the hypotheses whose
    constructs are not empirically distinct (HTMT); the supported ones are to be read with caution."""
    cv = measurement_caveats(p)
    if not cv:
        return ""
    zh = lang == "zh"
    parts = []
    if cv.weak:
        items = [f"{name(c)}{'（' if zh else ' ('}{', '.join(f'{k} = {_f(v)}' for k, v in fails)}{'）' if zh else ')'}"
                 for c, fails in cv.weak]
        failed = [k for k in ("rho_C", "AVE") if any(k == f for _, fails in cv.weak for f, _ in fails)]
        crit = {"rho_C": "rho_C ≥ 0.70", "AVE": "AVE ≥ 0.50"}
        parts.append(f"{_and(items, zh)}未达到 {'、'.join(crit[k] for k in failed)} 的标准" if zh else
                     f"{_and(items, zh)} fall{'s' if len(items) == 1 else ''} short of "
                     f"{' or '.join(crit[k] for k in failed)}")
    if cv.low:
        items = [f"{i}（{name(c)}，λ = {_f(v)}）" if zh else f"{i} ({name(c)}, λ = {_f(v)})" for c, i, v in cv.low]
        parts.append(f"{_and(items, zh)}的载荷低于 0.40，应予删除（[@hair2022]，第 4 章），但仍保留在模型中" if zh else
                     f"{_and(items, zh)} load{'s' if len(items) == 1 else ''} below 0.40, under which an indicator should be "
                     f"removed ([@hair2022], ch. 4), yet {'it is' if len(items) == 1 else 'they are'} kept in the model")
    if cv.hypotheses or cv.mediations:
        ids = [h.id for h in cv.hypotheses]
        mids = [m.id for m in cv.mediations]
        bound = ("HTMT 上限" if zh else "HTMT upper bound") if cv.bound else "HTMT"
        if ids:
            parts.append(
                f"{_and(ids, zh)} 所连接的构念之间区分效度不成立（{bound} ≥ 0.90）"
                + (f"，间接效应 {_and(mids, zh)} 也经过这些路径" if mids else "") if zh else
                f"discriminant validity is not established ({bound} ≥ 0.90) between the constructs linked by {_and(ids, zh)}"
                + (f" (the indirect effect{'s' if len(mids) > 1 else ''} {_and(mids, zh)} run{'s' if len(mids) == 1 else ''} "
                   "along such paths)" if mids else ""))
        else:  # a chain through a path that is not a hypothesis of its own
            parts.append(f"间接效应 {_and(mids, zh)} 所经过的构念之间区分效度不成立（{bound} ≥ 0.90）" if zh else
                         f"discriminant validity is not established ({bound} ≥ 0.90) between constructs on the chain of "
                         f"the indirect effect{'s' if len(mids) > 1 else ''} {_and(mids, zh)}")
    text = ("这些结论附带测量上的保留：" + "；".join(parts) + "。") if zh else \
        ("These verdicts carry measurement caveats: " + "; ".join(parts) + ".")
    sup = [h.id for h in cv.hypotheses if h.supported] + \
          [m.id for m in cv.mediations if p.resamples and (m.ci_lower > 0 or m.ci_upper < 0)]
    if sup:
        text += (f"因此，对 {_and(sup, zh)} 的支持应谨慎解读：其所连接的构念在实证上未能区分。" if zh else
                 f" The support for {_and(sup, zh)} should therefore be read with caution: the constructs "
                 f"{'it links are' if len(sup) == 1 else 'they link are'} not empirically distinct.")
    return text


def pls_sections(res, lang: str, name, t_main: dict, label_of) -> dict[str, Section]:
    """The PLS sections of the document, by key (``pls_measurement``, ``pls_structural``, ``pls_groups``,
    ``pls_compare`` and, with ``pls`` alone, ``pls_ipma``); empty when the study has no PLS results."""
    p = res.pls
    if p is None:
        return {}
    t = PLS_TEXT[lang]
    zh = lang == "zh"

    def L(en, z):
        return z if zh else en

    sec: dict[str, Section] = {}
    if not p.converged or not p.admissible:
        lead = t["not_converged"] if not p.converged else t["inadmissible"]
        body = L(f"{p.message} None of its estimates is reported.",
                 f"{in_language(p.message, 'zh')}不报告任何 PLS 估计值。" if not p.converged
                 else f"一致性 PLS 的解不可接受（{in_language(p.message, 'zh')}），不报告其估计值。")
        sec["pls_measurement"] = Section("pls_measurement", t["s_measure"], [Paragraph(body, kind="warning", lead=lead)])
        return sec
    r = p.result
    boot = p.bootstrap
    nb = p.resamples
    s = p.settings
    scheme = {"path": L("path", "路径"), "centroid": L("centroid", "中心"), "factorial": L("factorial", "因子")}[s.scheme]
    intro = L(
        f"The model was estimated by PLS-SEM (n = {p.n}; {scheme} weighting scheme; "
        f"{'standardized' if s.scaled else 'centred, unstandardized'} indicators"
        f"{'; consistent PLS (PLSc) for the reflective constructs' if s.consistent else ''}); the algorithm converged "
        f"in {r.iterations} iterations (stop criterion 10⁻⁷, at most {s.max_iter}). "
        + (f"Significance comes from {nb:,} bootstrap resamples (seed {res.seed})." if boot else t["no_boot"]),
        f"采用 PLS-SEM 估计模型（n = {p.n}；{scheme}加权方案；指标{'标准化' if s.scaled else '仅中心化、未标准化'}"
        f"{'；反映型构念采用一致性 PLS（PLSc）' if s.consistent else ''}），算法经 {r.iterations} 次迭代收敛"
        f"（停止准则 10⁻⁷，最多 {s.max_iter} 次）。"
        + (f"显著性检验基于 {nb:,} 次 Bootstrap 重抽样（种子 {res.seed}）。" if boot else t["no_boot"]))
    sec["pls_measurement"] = Section("pls_measurement", t["s_measure"], _measurement(p, t, L, name, intro, nb, both=res.method == "both"))
    sec["pls_structural"] = Section("pls_structural", t["s_struct"], _structural(res, p, t, L, name, nb))
    if p.groups:
        sec["pls_groups"] = Section("pls_groups", t["s_groups"], _groups(p, t, L, name, label_of))
    if res.method == "both":
        sec["pls_compare"] = Section("pls_compare", t["s_compare"], _compare(res, p, t, L, name))
    if p.ipma is not None and p.ipma.importance.size:
        sec["pls_ipma"] = Section("pls_ipma", t["s_ipma"], _ipma(res, p, t, t_main, L, name))
    return sec


def _mode(model, c, t):
    return t[model.mode(c)]


def _measurement(p, t, L, name, intro, nb, both: bool = False) -> list:
    model = p.result.model
    o = p.outer
    refl = o[o["construct"].map(model.mode) == "reflective"]
    form = o[o["construct"].map(model.mode) == "formative"]
    blocks: list = [Paragraph(intro)]
    low = refl[(refl["loading"] < 0.708) & (refl["stage"] == 2)]
    very_low = low[low["loading"] < 0.40]  # should be removed ([@hair2022], ch. 4), yet the study file keeps them
    vl_constructs = [name(c) for c in dict.fromkeys(very_low["construct"])]

    def one(singular, plural):
        return singular if len(very_low) == 1 else plural

    def many(plural, singular):
        return plural if len(vl_constructs) > 1 else singular
    if len(refl):
        blocks.append(Paragraph(L(
            f"Indicator reliability: {len(refl) - len(low)} of {len(refl)} reflective loadings reach 0.708"
            + (f"; below it: {', '.join(f'{i} ({_f(v)})' for i, v in zip(low['indicator'], low['loading']))}" if len(low) else "")
            + "."
            + (f" {_and(list(very_low['indicator']), False)} load{one('s', '')} below 0.40, under which an indicator "
               f"should be removed ([@hair2022], ch. 4); {one('it is', 'they are')} kept in this model, so the score"
               f"{many('s', '')} of {_and(vl_constructs, False)} rest{many('', 's')} partly on "
               f"{one('an item', 'items')} that hardly measure{one('s', '')} {many('them', 'it')}." if len(very_low) else ""),
            f"指标信度：{len(refl)} 个反映型载荷中有 {len(refl) - len(low)} 个达到 0.708"
            + (f"；未达到的为 {'、'.join(f'{i}（{_f(v)}）' for i, v in zip(low['indicator'], low['loading']))}" if len(low) else "")
            + "。"
            + (f"{'、'.join(very_low['indicator'])} 的载荷低于 0.40，应予删除（[@hair2022]，第 4 章）；本模型仍保留"
               f"{one('该题项', '这些题项')}，因此{'、'.join(vl_constructs)}的得分部分建立在几乎不测量该构念的题项上。"
               if len(very_low) else ""))))
    vif = p.outer_vif.set_index(["construct", "indicator"])["vif"]
    body = []
    for row in o.itertuples():
        mode = model.mode(row.construct)
        wp = getattr(row, "weight_p", math.nan)
        lp = getattr(row, "loading_p", math.nan)
        body.append([txt(name(row.construct), "label"), txt(row.indicator), txt(t[mode]),
                     num(row.loading, p=lp if mode == "reflective" else None), num(getattr(row, "loading_t", math.nan), 2),
                     num(row.weight, p=wp if mode == "formative" else None), num(getattr(row, "weight_t", math.nan), 2),
                     pcell(wp if mode == "formative" else lp),
                     num(vif.get((row.construct, row.indicator), math.nan), 2,
                         bad=mode == "formative" and vif.get((row.construct, row.indicator), 0) >= 5)])
    blocks.append(Table("pls_outer", t["t_outer"], [hdr(t["construct"], t["indicator"], t["mode"], t["loading"], "t",
                                                        t["weight"], "t", "p", t["vif"])], body,
                        notes=[t["outer_note"].format(b=nb)]))
    if len(form):
        ns = form[(form.get("weight_p", 1) >= 0.05)] if "weight_p" in form else form.iloc[0:0]
        high_vif = [i for (c, i), v in vif.items() if model.mode(c) == "formative" and v >= 3]
        blocks.append(Paragraph(L(
            f"Formative indicators: {len(form) - len(ns)} of {len(form)} weights are significant"
            + (f"; {', '.join(ns['indicator'])} {'is' if len(ns) == 1 else 'are'} not, and stay if their loadings "
               "are 0.50 or more" if len(ns) else "")
            + (f". VIF of 3 or more: {', '.join(high_vif)}." if high_vif else ". No VIF reaches 3."),
            f"形成型指标：{len(form)} 个权重中有 {len(form) - len(ns)} 个显著"
            + (f"；{'、'.join(ns['indicator'])} 不显著，若其载荷 ≥ 0.50 则予以保留" if len(ns) else "")
            + (f"。VIF ≥ 3 的指标：{'、'.join(high_vif)}。" if high_vif else "。所有 VIF 均低于 3。"))))
    rel = p.reliability
    rbody = []
    for c, row in rel.iterrows():
        refl_c = row["mode"] == "reflective"
        rbody.append([txt(name(c), "label"), txt(t[row["mode"]]), num(row["alpha"], bad=refl_c and row["alpha"] < 0.7),
                      num(row["rho_a"], bad=refl_c and row["rho_a"] < 0.7), num(row["rho_c"], bad=refl_c and row["rho_c"] < 0.7),
                      num(row["ave"], bad=refl_c and row["ave"] < 0.5)])
    rr = rel[rel["mode"] == "reflective"].dropna(subset=["ave"])
    weak = [c for c, row in rr.iterrows() if row["rho_c"] < 0.7 or row["ave"] < 0.5]
    too_high = [c for c, row in rr.iterrows() if row["rho_c"] > 0.95]
    low_alpha = [c for c, row in rr.iterrows() if row["alpha"] < 0.70]
    blocks.append(Paragraph(L(
        f"Reliability and convergent validity: {len(rr) - len(weak)} of {len(rr)} reflective constructs reach rho_C ≥ 0.70 "
        f"and AVE ≥ 0.50" + (f"; {', '.join(name(c) for c in weak)} do{'es' if len(weak) == 1 else ''} not" if weak else "")
        + (f"; rho_C above 0.95 ({', '.join(name(c) for c in too_high)}) suggests redundant items" if too_high else "") + "."
        + (f" Cronbach's α, a lower bound of reliability, is below 0.70 for {', '.join(name(c) for c in low_alpha)}."
           if low_alpha else ""),
        f"信度与收敛效度：{len(rr)} 个反映型构念中有 {len(rr) - len(weak)} 个 rho_C ≥ 0.70 且 AVE ≥ 0.50"
        + (f"；{'、'.join(name(c) for c in weak)}未达到" if weak else "")
        + (f"；{'、'.join(name(c) for c in too_high)}的 rho_C 高于 0.95，提示题项可能冗余" if too_high else "") + "。"
        + (f"Cronbach's α 是信度的下限，{'、'.join(name(c) for c in low_alpha)}的 α 低于 0.70。" if low_alpha else ""))))
    # the reliability section's α is of the raw item scores; PLS's of the standardized indicators (seminr)
    alpha_note = [L("α here is that of the standardized indicators (as seminr and SmartPLS compute it), so it can differ "
                    "from the α of the raw scores in the reliability section.",
                    "此处的 α 基于标准化指标（与 seminr、SmartPLS 一致），因此可能与信度一节基于原始得分的 α 不同。")]
    blocks.append(Table("pls_reliability", t["t_rel"], [hdr(t["construct"], t["mode"], "α", "rho_A", "rho_C", "AVE")],
                        rbody, notes=[t["rel_note"], *alpha_note]))
    h, has_ci, over, formative = _htmt_assessed(p)
    blocks.append(Paragraph(L(
        f"Discriminant validity: HTMT ranges from {_f(h['htmt'].min())} to {_f(h['htmt'].max())}; "
        + (f"for {counted(len(over), 'pair')} ({'; '.join(f'{name(a)}–{name(b)}' for a, b in zip(over['from'], over['to']))}) "
           f"{'the upper bound' if has_ci else 'HTMT'} reaches 0.90, so discriminant validity is not established for them."
           if len(over) else f"{'every upper bound' if has_ci else 'every value'} is below 0.90."),
        f"区分效度：HTMT 介于 {_f(h['htmt'].min())} 与 {_f(h['htmt'].max())} 之间；"
        + (f"{'；'.join(f'{name(a)}—{name(b)}' for a, b in zip(over['from'], over['to']))}的{'上限' if has_ci else 'HTMT'}"
           "达到 0.90，这些构念对的区分效度不成立。" if len(over) else f"{'所有上限' if has_ci else '所有值'}均低于 0.90。"))))
    hbody = [[txt(f"{name(a)} – {name(b)}", "label"), num(v, bad=v >= 0.90),
              ci_text(lo, hi) if has_ci else txt("—"), num(u, bad=u >= 0.90) if has_ci else txt("—")]
             for a, b, v, lo, hi, u in zip(h["from"], h["to"], h["htmt"], h.get("ci_lower", h["htmt"]),
                                           h.get("ci_upper", h["htmt"]), h.get("upper_95", h["htmt"]))]
    left_out = [L(f"Pairs with a formative construct ({', '.join(name(c) for c in formative)}) are not assessed: "
                  "HTMT applies to reflectively measured constructs ([@hair2022], ch. 4).",
                  f"含形成型构念（{'、'.join(name(c) for c in formative)}）的构念对未作评估：HTMT 适用于反映型测量的构念"
                  "（[@hair2022]，第 4 章）。")] if formative else []
    # method both: the covariance-based validity section reports HTMT2 with two-sided intervals
    other = [L("This table gives the original HTMT (arithmetic means of the correlations, as SmartPLS and seminr) with "
               "the one-sided bound; the covariance-based validity section gives HTMT2 (geometric means, as semTools) "
               "with two-sided intervals, so the value and the verdict of a pair can differ between the two.",
               "本表为原始 HTMT（相关系数的算术平均，与 SmartPLS、seminr 一致）及单侧上界；协方差结构模型的效度一节为 "
               "HTMT2（几何平均，与 semTools 一致）及双侧区间，因此同一构念对的数值与判断可能不同。")] if both else []
    blocks.append(Table("pls_htmt", t["t_htmt"], [hdr(t["pair"], "HTMT", t["ci"], t["upper95"])], hbody,
                        notes=[t["htmt_note"].format(b=nb), *left_out, *other]))
    fl = p.fornell_larcker
    fbody = [[txt(name(c), "label")] + [num(fl.loc[c, d], strong=c == d) if not np.isnan(fl.loc[c, d]) else txt("")
                                        for d in fl.columns] for c in fl.index]
    blocks.append(Table("pls_fl", t["t_fl"], [hdr("", *[name(c) for c in fl.columns])], fbody, notes=[t["fl_note"]]))
    cl = p.cross_loadings
    own = {i: c for c, i in zip(o["construct"], o["indicator"])}
    cbody = [[txt(i, "label")] + [num(cl.loc[i, c], 2, strong=own.get(i) == c) for c in cl.columns] for i in cl.index]
    blocks.append(Table("pls_cross", t["t_cross"], [hdr(t["item"], *[name(c) for c in cl.columns])], cbody))
    return blocks


def _structural(res, p, t, L, name, nb) -> list:
    r, model = p.result, p.result.model
    blocks: list = []
    ivif = p.inner_vif
    max_vif = float(ivif["vif"].max()) if len(ivif) else math.nan
    blocks.append(Paragraph(L(
        f"Collinearity among the antecedents is {'unproblematic' if max_vif < 3 else 'possible' if max_vif < 5 else 'critical'}: "
        f"the largest inner VIF is {_f(max_vif, 2)} (criterion < 3; [@hair2022]).",
        f"前因构念之间的共线性{'不构成问题' if max_vif < 3 else '可能存在' if max_vif < 5 else '严重'}：内部 VIF 最大值为 "
        f"{_f(max_vif, 2)}（标准 < 3；[@hair2022]）。")))
    # the path diagram: β with stars, R² and the range of the loadings (or weights) under each construct
    o = p.outer[p.outer["stage"] == 2]
    sub = {}
    for c in model.structural:
        oc = o[o["construct"] == c]
        kind, vals = ("λ", oc["loading"]) if model.mode(c) == "reflective" else ("w", oc["weight"])
        rng = f"{kind} {_f(vals.min(), 2)}–{_f(vals.max(), 2)}" if len(vals) > 1 else f"{kind} {_f(vals.iloc[0], 2)}"
        sub[c] = (f"R² = {_f(r.r2.loc[c, 'r2'], 2)} · " if c in r.r2.index else "") + rng
    hyp = {(h.from_, h.to): h for h in p.hypotheses}
    dpaths = [{"from": a, "to": b, "significant": bool(hyp[(a, b)].pvalue < 0.05) if (a, b) in hyp and p.bootstrap else True,
               "label": (f"{hyp[(a, b)].id}: " if (a, b) in hyp else "") + _f(float(r.paths.set_index(['from', 'to']).loc[(a, b), 'estimate']), 2)
               + (stars(hyp[(a, b)].pvalue) if (a, b) in hyp and p.bootstrap else "")} for a, b in model.paths]
    title = L("PLS path model: path coefficients, R², loadings (λ) or weights (w)",
              "PLS 路径模型：路径系数、R²、载荷（λ）或权重（w）")
    legend = (L("significant (*p* < 0.05)", "显著（*p* < 0.05）"), L("not significant", "不显著"))
    blocks.append(Figure("pls_model", title, figures.path_diagram(list(model.structural), {c: name(c) for c in model.structural},
                                                                  dpaths, sub, title, legend)))
    sup = [h for h in p.hypotheses if h.supported]
    if p.bootstrap:
        uns = [h for h in p.hypotheses if not h.supported]
        blocks.append(Paragraph(L(
            f"The bootstrap supports {len(sup)} of the {len(p.hypotheses)} hypotheses"
            + (f" ({', '.join(h.id for h in sup)})" if sup else "")
            + (f"; {', '.join(h.id for h in uns)} {'is' if len(uns) == 1 else 'are'} not supported" if uns else "") + ".",
            f"Bootstrap 检验支持 {len(p.hypotheses)} 个假设中的 {len(sup)} 个" + (f"（{'、'.join(h.id for h in sup)}）" if sup else "")
            + (f"，{'、'.join(h.id for h in uns)} 未得到支持" if uns else "") + "。")))
        caveat = caveat_text(p, L("en", "zh"), name)
        if caveat:
            blocks.append(Paragraph(caveat))
    body = []
    for h in p.hypotheses:
        res_text = ("—" if h.supported is None else t["supported"] if h.supported else t["not_supported"])
        body.append([txt(h.id, "label"), txt(f"{name(h.from_)} → {name(h.to)}"), num(h.beta, p=h.pvalue if p.bootstrap else None),
                     num(h.se), num(h.t, 2), pcell(h.pvalue), ci_text(h.ci_lower, h.ci_upper), num(h.f2),
                     txt(res_text, bad=h.supported is False)])
    blocks.append(Table("pls_paths", t["t_paths"], [hdr(t["hypothesis"], t["path"], "β", "SE", "t", "p", t["ci"], t["f2"],
                                                        t["result"])], body,
                        notes=[t["paths_note"].format(b=nb, seed=res.seed)]))
    q2 = p.q2.set_index("construct")["q2"] if p.q2 is not None and len(p.q2) else {}
    rb = []
    for c, row in r.r2.iterrows():
        lvl = L("substantial", "较强") if row["r2"] >= 0.75 else L("moderate", "中等") if row["r2"] >= 0.5 else \
            L("weak", "较弱") if row["r2"] >= 0.25 else L("below weak", "很弱")
        qv = q2.get(c, math.nan) if len(q2) else math.nan
        rb.append([txt(name(c), "label"), num(row["r2"]), num(row["r2_adj"]), txt(lvl), num(qv, bad=qv <= 0)])
    d = int(p.q2["omission_distance"].iloc[0]) if p.q2 is not None and len(p.q2) else 7
    best = r.r2["r2"].idxmax()
    blocks.append(Paragraph(L(
        f"{name(best)} has the largest R² ({_f(r.r2.loc[best, 'r2'])})"
        + (f"; Q² is above 0 for {sum(1 for v in q2.values if v > 0)} of {len(q2)} endogenous constructs." if len(q2) else "."),
        f"{name(best)}的 R² 最大（{_f(r.r2.loc[best, 'r2'])}）"
        + (f"；{len(q2)} 个内生构念中有 {sum(1 for v in q2.values if v > 0)} 个 Q² 大于 0。" if len(q2) else "。"))))
    blocks.append(Table("pls_r2", t["t_r2"], [hdr(t["construct"], t["r2"], t["r2_adj"], t["r2_level"], t["q2"])], rb,
                        notes=[t["r2_note"].format(d=d)]))
    if p.predict is not None:
        pr = p.predict
        items = pr.items
        has_skew = "error_skewness" in items
        pb = [[txt(name(row.construct), "label"), txt(row.indicator), num(row.q2_predict, bad=row.q2_predict <= 0),
               num(row.pls_rmse), num(row.lm_rmse), num(row.pls_mae), num(row.lm_mae)]
              + ([num(row.error_skewness, 2, bad=abs(row.error_skewness) > 1)] if has_skew else [])
              for row in items.itertuples()]
        blocks.append(Paragraph(_power_text(pr, L, name)))
        blocks.append(Table("pls_predict", t["t_predict"], [hdr(t["construct"], t["item"], t["q2p"], t["pls_rmse"],
                                                                t["lm_rmse"], t["pls_mae"], t["lm_mae"],
                                                                *([t["skew"]] if has_skew else []))], pb,
                            notes=[t["predict_note"].format(k=pr.folds, r=pr.repetitions)]))
    fit = p.fit
    fb = [[txt(t[k], "label"), num(fit.loc[k, "srmr"], bad=fit.loc[k, "srmr"] >= 0.08), num(fit.loc[k, "nfi"])]
          for k in ("saturated", "estimated")]
    blocks.append(Table("pls_fit", t["t_fit"], [hdr(t["model"], "SRMR", "NFI")], fb, notes=[t["fit_note"]]))
    if p.mediation:
        mb = [[txt(m.id or "", "label"), txt(" → ".join(name(x) for x in m.path)), num(m.indirect, p=m.pvalue), num(m.se),
               ci_text(m.ci_lower, m.ci_upper), ci_text(m.bca_lower, m.bca_upper),
               num(m.direct, p=m.direct_p) if m.direct is not None else txt("—"), txt(t["zhao"][m.verdict])]
              for m in p.mediation]
        blocks.append(Table("pls_mediation", t["t_med"], [hdr("", t["path"], t["indirect"], "SE", t["ci"], t["bca"],
                                                             t["direct"], t["verdict"])], mb,
                            notes=[t["med_note"].format(b=nb)]))
    return blocks


def _power_text(pr, L, name) -> str:
    """Each construct's PLSpredict verdict with what decided it: the metric compared (RMSE, or MAE when the PLS
    prediction errors of one of its indicators are highly skewed; study.pls.predict.predictive_power), the
    indicators whose skewness made it MAE, and for how many indicators PLS beat LM (or Q²predict ≤ 0)."""
    items = pr.items
    en_words = {"none": "no", "low": "low", "medium": "medium", "high": "high"}
    zh_words = {"none": "不具", "low": "具有低", "medium": "具有中等", "high": "具有高"}
    en, zh = [], []
    for c, v in pr.verdict.iterrows():
        g = items[items["construct"] == c]
        metric = v["metric"].upper()
        skewed = list(g.loc[g["error_skewness"].abs() > 1, "indicator"]) if "error_skewness" in g else []
        not_rel = list(g.loc[g["q2_predict"] <= 0, "indicator"])
        k, better = int(v["indicators"]), int(v["better"])
        why_en = (f"on MAE, as the PLS prediction errors of {_and(skewed, False)} are highly skewed" if metric == "MAE"
                  else "on RMSE") + f"; PLS errors below LM's for {better} of {k} indicators"
        why_zh = (f"{'、'.join(skewed)} 的 PLS 预测误差严重偏态，故比较 MAE" if metric == "MAE" else "比较 RMSE") \
            + f"；{k} 个指标中 {better} 个的 PLS 误差低于 LM"
        if not_rel:
            why_en += f"; Q²predict ≤ 0 for {_and(not_rel, False)}"
            why_zh += f"；{'、'.join(not_rel)} 的 Q²predict ≤ 0"
        en.append(f"{name(c)}: {en_words[v['power']]} ({why_en})")
        zh.append(f"{name(c)}{zh_words[v['power']]}预测能力（{why_zh}）")
    return L("Predictive power (PLSpredict; [@shmueli2019]): " + "; ".join(en) + ".",
             "预测能力（PLSpredict；[@shmueli2019]）：" + "；".join(zh) + "。")


def _groups(p, t, L, name, label_of) -> list:
    blocks: list = []
    for g in p.groups:
        lab = f"{label_of(g.column)}{L(': ', '：')}{label_of(g.column, g.labels[0])} / {label_of(g.column, g.labels[1])}"
        if g.result is None:
            blocks.append(Paragraph(L(f"{lab}: not compared ({g.note}).", f"{lab}：未比较（{in_language(g.note, 'zh')}）。"),
                                    kind="notice"))
            continue
        m = g.result
        mi = m.micom
        nonv = [c for c, v in mi["invariance"].items() if v == "none"]
        blocks.append(Paragraph(L(
            f"{lab} (n = {m.sizes[0]} and {m.sizes[1]}): compositional invariance (MICOM step 2) holds for "
            f"{len(mi) - len(nonv)} of {len(mi)} constructs"
            + (f"; not for {', '.join(name(c) for c in nonv)}, whose paths should not be compared" if nonv else "") + ".",
            f"{lab}（n 分别为 {m.sizes[0]} 和 {m.sizes[1]}）：{len(mi)} 个构念中有 {len(mi) - len(nonv)} 个满足组成不变性（MICOM 步骤二）"
            + (f"；{'、'.join(name(c) for c in nonv)}不满足，其路径不宜比较" if nonv else "") + "。")))
        body = [[txt(name(c), "label"), num(row["c"], 4), num(row["c_q05"], 4), txt(t["yes"] if row["compositional"] else t["no"]),
                 num(row["mean_diff"]), ci_text(row["mean_lower"], row["mean_upper"]), num(row["log_var_ratio"]),
                 ci_text(row["var_lower"], row["var_upper"]), txt(t[row["invariance"]], bad=row["invariance"] == "none")]
                for c, row in mi.iterrows()]
        blocks.append(Table("pls_micom", t["t_micom"].format(g=lab),
                            [hdr(t["construct"], t["c"], t["c5"], t["comp"], t["mean_d"], t["ci"], t["var_d"], t["ci"],
                                 t["invariance"])], body, notes=[t["micom_note"].format(p=m.permutations)]))
        sig = m.paths[m.paths["p_permutation"] < 0.05]
        blocks.append(Paragraph(L(
            f"The permutation test finds {len(sig)} of {len(m.paths)} path differences significant"
            + (f" ({'; '.join(f'{name(a)} → {name(b)}: {_f(d)}' for a, b, d in zip(sig['from'], sig['to'], sig['diff']))})"
               if len(sig) else "") + ".",
            f"置换检验显示 {len(m.paths)} 条路径中有 {len(sig)} 条的组间差异显著"
            + (f"（{'；'.join(f'{name(a)} → {name(b)}：{_f(d)}' for a, b, d in zip(sig['from'], sig['to'], sig['diff']))}）"
               if len(sig) else "") + "。")))
        pbody = [[txt(f"{name(a)} → {name(b)}", "label"), num(e1), num(e2), num(d), pcell(pp), pcell(ph)]
                 for a, b, e1, e2, d, pp, ph in zip(m.paths["from"], m.paths["to"], m.paths["estimate_1"],
                                                    m.paths["estimate_2"], m.paths["diff"], m.paths["p_permutation"],
                                                    m.paths["p_henseler"])]
        blocks.append(Table("pls_mga", t["t_mga"].format(g=lab),
                            [hdr(t["path"], label_of(g.column, g.labels[0]), label_of(g.column, g.labels[1]), t["diff"],
                                 t["p_perm"], t["p_hens"])], pbody, notes=[t["mga_note"]]))
    return blocks


def _compare(res, p, t, L, name) -> list:
    cb = {(h.from_, h.to): h for h in res.hypotheses}
    rows, diffs = [], []
    for h in p.hypotheses:
        c = cb.get((h.from_, h.to))
        cbv = c.std_all if c is not None and res.sem_proper else math.nan
        rows.append([txt(h.id, "label"), txt(f"{name(h.from_)} → {name(h.to)}"),
                     num(cbv, p=c.pvalue if c is not None and res.sem_proper else None),
                     num(h.beta, p=h.pvalue if p.bootstrap else None), num(h.beta - cbv if math.isfinite(cbv) else math.nan)])
        if math.isfinite(cbv):
            diffs.append((h, cbv))
    blocks: list = []
    if not res.sem_proper:
        blocks.append(Paragraph(L(
            "The covariance-based model has no proper solution on these data (see its warnings), so its coefficients are "
            "not findings and the comparison is one-sided: PLS-SEM estimates composites, weighted sums of the items, which "
            "always exist, while CB-SEM's common factors need a covariance structure the data do not support.",
            "协方差结构模型在本数据上没有合理解（见其警告），其系数不能作为结论，因此无法双向比较：PLS-SEM 估计的是合成变量"
            "（题项的加权和），总能得到解；CB-SEM 的共同因子则要求数据符合其协方差结构，而本数据并不满足。")))
    else:
        big = [(h, c) for h, c in diffs if abs(h.beta - c) >= 0.10]
        agree = sum(1 for h, c in diffs if (p.bootstrap and (h.pvalue < 0.05) == (cb[(h.from_, h.to)].pvalue < 0.05)))
        mean_abs = np.mean([abs(h.beta - c) for h, c in diffs]) if diffs else math.nan
        blocks.append(Paragraph(L(
            f"The two methods agree on the significance of {agree} of {len(diffs)} paths; the mean absolute difference of the "
            f"coefficients is {_f(mean_abs)}"
            + (f", and it reaches 0.10 for {', '.join(h.id for h, _ in big)}" if big else "") + ". "
            "CB-SEM estimates paths between error-free common factors, PLS-SEM between composites that contain the items' "
            "measurement error; PLS path coefficients are therefore usually closer to zero where reliability is modest, and "
            "loadings larger ([@hair2022], ch. 1; [@dijkstra2015]). Consistent PLS "
            "corrects for this.",
            f"两种方法对 {len(diffs)} 条路径中 {agree} 条的显著性判断一致；系数差值绝对值的平均为 {_f(mean_abs)}"
            + (f"，{'、'.join(h.id for h, _ in big)}的差值达到 0.10" if big else "") + "。"
            "CB-SEM 估计的是无测量误差的共同因子之间的路径，PLS-SEM 估计的是包含题项测量误差的合成变量之间的路径；因此在信度一般时，"
            "PLS 路径系数通常更接近零，而载荷偏大（[@hair2022]，第 1 章；[@dijkstra2015]）。一致性 PLS 可校正这一偏差。")))
    blocks.append(Table("pls_compare", t["t_compare"], [hdr(t["hypothesis"], t["path"], t["cb"], t["pls"], t["diff"])],
                        rows, notes=[t["compare_note"]]))
    return blocks


def _ipma(res, p, t, t_main, L, name) -> list:
    ip = p.ipma
    m = ipma_map(ip.target, ip.importance.to_dict(), {c: ip.performance[c] for c in ip.importance.index})
    out = name(m.outcome)
    canvas = figures.ipma_map([{"label": name(q.code), "importance": q.importance, "performance": q.performance}
                               for q in m.points], m.importance_cut, m.performance_cut,
                              {"x": t_main["ipma_x"], "y": t_main["ipma_y"],
                               **{q: t_main[q] for q in ("concentrate", "keep", "low", "overkill")}},
                              t_main["fig_ipma"].format(outcome=out))
    focus = [q for q in m.points if q.quadrant == "concentrate"]
    text = L(f"For {out}, " + (f"{', '.join(name(q.code) for q in focus)} combine{'s' if len(focus) == 1 else ''} "
                               "above-average importance with below-average performance: the first place to act."
                               if focus else "no construct combines above-average importance with below-average performance."),
             f"就{out}而言，" + (f"{'、'.join(name(q.code) for q in focus)}重要性高于平均而表现低于平均，是最需要改进之处。"
                              if focus else "没有构念同时具有高于平均的重要性和低于平均的表现。"))
    body = [[txt(name(q.code), "label"), num(q.importance), num(q.performance, 1), txt(t_main[q.quadrant], bad=q.quadrant == "concentrate")]
            for q in sorted(m.points, key=lambda q: -q.importance)]
    note = t["ipma_note"].format(o=out, icut=_f(m.importance_cut), pcut=f"{m.performance_cut:.1f}")
    blocks = [Paragraph(text), Figure("pls_ipma", t_main["fig_ipma"].format(outcome=out), canvas),
              Table("pls_ipma", t["t_ipma"].format(o=out), [hdr(t["construct"], t["importance"], t["performance"], t["quadrant"])],
                    body, notes=[note])]
    if ip.negative_weights:
        blocks.insert(1, Paragraph(L(f"Negative weights ({', '.join(ip.negative_weights)}): the performance scores presume "
                                     "positive weights ([@ringle2016]); read the map with care.",
                                     f"存在负权重（{'、'.join(ip.negative_weights)}）：表现得分以权重为正为前提（[@ringle2016]），"
                                     "解读矩阵时需谨慎。"), kind="notice"))
    return blocks


def pls_conclusions(res, lang: str, name) -> list[str]:
    """Conclusions drawn from the PLS results alone (method ``pls``)."""
    p = res.pls
    zh = lang == "zh"
    if p is None or not p.admissible:
        return ["由于 PLS 模型没有可报告的估计值，本章不对研究假设下结论。" if zh else
                "As the PLS model has no estimates to report, no conclusion is drawn about the hypotheses."]
    if not p.bootstrap:
        return ["未进行 Bootstrap，不判断假设是否成立。" if zh else "Without a bootstrap, the hypotheses are not judged."]
    hs = p.hypotheses
    sup = [h for h in hs if h.supported]
    strongest = max(hs, key=lambda h: abs(h.beta))
    if zh:
        return [f"PLS-SEM 结果支持 {len(hs)} 个路径假设中的 {len(sup)} 个" + (f"（{'、'.join(h.id for h in sup)}）" if sup else "")
                + "。" + caveat_text(p, lang, name)
                + f"影响最强的路径是 {strongest.id}：{name(strongest.from_)} → {name(strongest.to)}（β = {_f(strongest.beta)}）。"
                "由于数据为横断面调查，这些路径表示关联，而非已证实的因果关系。"]
    caveat = caveat_text(p, lang, name)
    return [f"PLS-SEM supports {len(sup)} of the {len(hs)} path hypotheses" + (f" ({', '.join(h.id for h in sup)})" if sup else "")
            + ". " + (caveat + " " if caveat else "")
            + f"The strongest path is {strongest.id}, {name(strongest.from_)} → {name(strongest.to)} (β = {_f(strongest.beta)}). "
            "The data are cross-sectional: the paths describe associations, not demonstrated causes."]


def _records(frame, index: str | None = None) -> list[dict] | None:
    """DataFrame rows as JSON-ready dicts (NaN as null)."""
    if frame is None:
        return None
    f = frame.reset_index() if index else frame
    out = []
    for row in f.to_dict("records"):
        out.append({str(k): (None if isinstance(v, float) and not math.isfinite(v) else
                             float(v) if isinstance(v, (float, np.floating)) else
                             int(v) if isinstance(v, (np.integer,)) else
                             bool(v) if isinstance(v, np.bool_) else v) for k, v in row.items()})
    return out


def pls_results_dict(p) -> dict | None:
    """The ``pls`` key of results.json (documented in the README)."""
    if p is None:
        return None
    s = p.settings
    out = {"settings": {"scheme": s.scheme, "standardized": s.scaled, "consistent": s.consistent,
                        "max_iter": s.max_iter, "tol": s.tol,
                        "higher_order": sorted({h.approach for h in p.model.higher_order}) or None},
           "n": p.n, "converged": p.converged, "admissible": p.admissible, "message": p.message}
    if not p.admissible:
        return out
    r = p.result
    out.update({
        "iterations": r.iterations,
        "bootstrap": {"resamples": p.resamples, "failed": p.failed, "ci": "percentile and BCa, 95%",
                      "p": "two-sided, normal, t = estimate / bootstrap SE"} if p.bootstrap else None,
        "outer": _records(p.outer),
        "paths": [{"id": h.id, "from": h.from_, "to": h.to, "expected_sign": h.sign, "beta": h.beta,
                   "boot_mean": h.mean, "se": h.se, "t": h.t, "pvalue": h.pvalue, "ci_lower": h.ci_lower,
                   "ci_upper": h.ci_upper, "f2": h.f2, "supported": h.supported} for h in p.hypotheses],
        "r2": _records(r.r2, index="construct"),
        "effects": _records(p.effects),
        "mediation": [{"id": m.id, "path": list(m.path), "indirect": m.indirect, "se": m.se, "pvalue": m.pvalue,
                       "ci_lower": m.ci_lower, "ci_upper": m.ci_upper, "bca_lower": m.bca_lower,
                       "bca_upper": m.bca_upper, "direct": m.direct, "direct_pvalue": m.direct_p,
                       "mediation": m.verdict} for m in p.mediation],
        "reliability": _records(p.reliability, index="construct"),
        "htmt": _records(p.htmt),
        "fornell_larcker": {str(a): {str(b): (None if not math.isfinite(v) else float(v)) for b, v in row.items()}
                            for a, row in p.fornell_larcker.iterrows()},
        "cross_loadings": {str(a): {str(b): float(v) for b, v in row.items()} for a, row in p.cross_loadings.iterrows()},
        "outer_vif": _records(p.outer_vif), "inner_vif": _records(p.inner_vif), "f2": _records(p.f2),
        "q2": _records(p.q2),
        "predict": None if p.predict is None else {
            "folds": p.predict.folds, "repetitions": p.predict.repetitions, "technique": p.predict.technique,
            "items": _records(p.predict.items), "power": _records(p.predict.verdict, index="construct")},
        "fit": _records(p.fit, index="model"),
        "groups": [{"column": g.column, "groups": list(g.labels), "note": g.note,
                    "n": list(g.result.sizes) if g.result else None,
                    "permutations": g.result.permutations if g.result else None,
                    "micom": _records(g.result.micom, index="construct") if g.result else None,
                    "paths": _records(g.result.paths) if g.result else None} for g in p.groups],
        "ipma": None if p.ipma is None else {
            "target": p.ipma.target, "importance": {k: float(v) for k, v in p.ipma.importance.items()},
            "performance": {k: float(v) for k, v in p.ipma.performance.items()},
            "negative_weights": p.ipma.negative_weights},
        "notes": p.notes,
    })
    return out
