"""The chapter's text about the structural model: fit, the hypothesis tests, mediation and the group
comparison — paragraphs in Chinese or English generated from the results, as :mod:`.narrative` does for
the sample and the measurement (same :class:`~.narrative.Context`, same conventions). When the structural
model has no proper solution, these paragraphs say so and make no substantive claim.
"""

from __future__ import annotations

from ..messages import counted
from . import verdicts
from .mediation_types import preferred_support
from .narrative import Context, _finite, count_of, f2, f3, pct, pv
from .text import FIT_CRITERIA, fit_verdict, fmt, fmt_p, reported_fit


# --------------------------------------------------------------------------------------------- fit

def pls_tests_hypotheses(c: Context) -> bool:
    """Method both with a converged PLS-SEM model: the hypotheses are tested there when the CB model fails."""
    return c.res.pls is not None and c.res.pls.converged and c.res.pls.resamples > 0


def improper_reminder(c: Context) -> str:
    """After the fit section has said it: the structural model cannot be read, so nothing is judged here."""
    if pls_tests_hypotheses(c):
        return c.L("As the model fit section states, the covariance-based structural model has no proper solution, so "
                   "it tests no hypothesis; the hypotheses are tested by PLS-SEM (its own sections and the PLS-SEM "
                   "column of the summary).",
                   "如模型拟合部分所述，协方差结构模型没有合理解，不据以检验研究假设；研究假设由 PLS-SEM 检验"
                   "（见其各节及汇总表的 PLS-SEM 列）。")
    return c.L("As the model fit section states, the structural model has no proper solution, so no hypothesis is "
               "tested here.", "如模型拟合部分所述，结构模型没有合理解，故此处不检验研究假设。")


def improper_statement(c: Context) -> str:
    """One sentence: the structural model cannot be read, and why (from :func:`verdicts.model_status`)."""
    st = c.status
    if st.proper:
        return ""
    causes_en = "; ".join(str(x) for x in st.causes) or "see the warnings"
    causes_zh = "；".join(x.zh for x in st.causes) or "见警告"
    if pls_tests_hypotheses(c):
        return c.L(
            f"The covariance-based structural model has no proper solution ({causes_en}). Its estimates are therefore "
            "not findings: no hypothesis is judged by it and no indirect effect of it is interpreted; the hypotheses "
            "are tested by PLS-SEM below.",
            f"协方差结构模型没有合理解（{causes_zh}），其估计值因此不能作为研究结论：不据以判断任何假设，也不解释其间接效应；"
            "研究假设由下文的 PLS-SEM 检验。")
    return c.L(
        f"The structural model has no proper solution ({causes_en}). Its estimates are therefore not findings: no "
        "hypothesis is judged, no indirect effect is interpreted and no implication is drawn from it.",
        f"结构模型没有合理解（{causes_zh}），其估计值因此不能作为研究结论：本章不判断任何假设，不解释任何间接效应，也不据此提出管理启示。")


def improper_box(c: Context) -> str:
    """The chapter's headline when the structural model failed: what failed, the likely causes, what to try."""
    st = c.status
    what = c.L("did not converge" if not st.converged else "converged to an improper solution",
               "未能收敛，所得解不合理" if not st.converged else "虽已收敛，但所得解不合理")
    causes = c.semi([c.L(str(x), x.zh) for x in st.causes])
    remedies = c.semi([c.L(str(x), x.zh) for x in st.remedies])
    return c.L(f"The structural model {what}. Likely causes, from the results: {causes}. What to try: {remedies}. "
               "No path, R², effect, interval or fit verdict of this model is reported as a finding (shown as —).",
               f"结构模型的估计{what}。可能的原因包括：{causes}。可以尝试：{remedies}。该模型的路径系数、R²、效应、置信区间和"
               "拟合判断均不作为研究结论报告（以“—”表示）。")


def fit(c: Context) -> list[str]:
    if not c.status.proper:
        return [improper_statement(c)]
    f = reported_fit(c.res.sem_fit, c.res.estimator)
    rows, poor = [], []
    for key, label, *_rest in FIT_CRITERIA:
        if key not in f:  # an ML index under WLSMV
            continue
        crit, verdict = fit_verdict(key, f[key])
        rows.append(f"{label} = {f3(f[key])}" + (f"（{crit.split(' (')[0]}）" if c.lang == "zh" else
                                                 f" ({crit.split(' (')[0]})"))
        if verdict == "poor":
            poor.append(label)
    core_keys = ("cfi", "tli", "rmsea", "srmr")
    core = [k for k in core_keys if fit_verdict(k, f[k])[1] == "poor"]
    strict = [label for k, label, *_ in FIT_CRITERIA if k in core_keys and fit_verdict(k, f[k])[1] != "good"]
    if not core and not strict:
        level_en = "CFI, TLI, RMSEA and SRMR meet the cut-offs of [@!hu1999]"
        level_zh = "CFI、TLI、RMSEA 与 SRMR 均达到 [@!hu1999] 的标准"
    elif not core:
        level_en = (f"CFI, TLI, RMSEA and SRMR meet the conventional acceptable levels, but {', '.join(strict)} "
                    "not the stricter cut-offs of [@!hu1999]")
        level_zh = f"CFI、TLI、RMSEA 与 SRMR 达到惯用的可接受水平，但 {'、'.join(strict)} 未达到 [@!hu1999] 更严格的标准"
    out = [c.L(
        f"The structural model gives χ²({int(f['df'])}) = {f['chisq']:.2f}, {pv(f['pvalue'])}; " + ", ".join(rows) + ". "
        + ((f"Every index meets its criterion and {level_en}: the model fits the data well." if not strict else
            f"Every index meets its acceptable level; {level_en}, so the fit is acceptable.") if not poor else
           f"{', '.join(poor)} {'misses its criterion' if len(poor) == 1 else 'miss their criteria'}" + (f"; {level_en}, so the fit is acceptable overall." if not core else
                                                        ", including core indices, so the fit is not acceptable.")),
        f"结构模型的 χ²({int(f['df'])}) = {f['chisq']:.2f}，{pv(f['pvalue'])}；" + "，".join(rows) + "。"
        + ((f"各项指标均达到标准，且{level_zh}，模型与数据拟合良好。" if not strict else
            f"各项指标均达到可接受水平；{level_zh}，拟合可以接受。") if not poor else
           f"{'、'.join(poor)} 未达到标准" + (f"；{level_zh}，整体拟合可以接受。" if not core else "，其中包括核心指标，模型拟合不可接受。")))]
    if f["pvalue"] < 0.05:
        n, v = c.res.data.n_analysed, c.normality
        md = c.res.measurement.mardia
        kurtosis = v.mardia_severe and not v.robust_used  # the normal-theory χ² is inflated by kurtosis
        out.append(c.L(
            f"The χ² test is significant: it tests exact fit, and with *n* = {n} even a small discrepancy between the "
            "model and the data is significant ([@bentler1980])"
            + (f"; moreover the multivariate kurtosis (Mardia *z* = {f2(md.kurtosis)}, above 5) inflates the "
               "normal-theory χ² ([@west1995])" if kurtosis else "")
            + ". Fit is therefore judged on the approximate indices.",
            f"χ² 检验显著：该检验针对完全拟合，在 *n* = {n} 的样本中，模型与数据之间即使很小的差异也会显著（[@bentler1980]）"
            + (f"；此外多元峰度较大（Mardia *z* = {f2(md.kurtosis)}，大于 5），会使正态理论的 χ² 偏大（[@west1995]）"
               if kurtosis else "")
            + "。因此以近似拟合指标判断模型拟合。"))
    return out


# --------------------------------------------------------------------------------------------- hypotheses

def hypothesis_sentence(c: Context, h) -> str:
    path_en = f"{c.name(h.from_)} → {c.name(h.to)}"
    direction_en = "positive" if h.sign == "+" else "negative"
    direction_zh = "正向" if h.sign == "+" else "负向"
    numbers = f"β = {f3(h.std_all)}, *B* = {f3(h.est)}, S.E. = {f3(h.se)}, C.R. = {f2(h.z)}, {pv(h.pvalue)}"
    numbers_zh = numbers.replace(", ", "，")
    claim_zh = f"{h.id}（{c.name(h.from_)}对{c.name(h.to)}有{direction_zh}影响）"
    if h.supported:
        return c.L(f"{h.id} ({path_en}, expected {direction_en}) is supported: {numbers}.",
                   f"{claim_zh}得到支持（{numbers_zh}）。")
    right = (h.est > 0) == (h.sign == "+")
    if h.pvalue < 0.05 and not right:
        return c.L(f"{h.id} ({path_en}, expected {direction_en}) is not supported: the path is significant but in the "
                   f"opposite direction ({numbers}).",
                   f"{claim_zh}未得到支持，路径显著但方向与预期相反（{numbers_zh}）。")
    return c.L(f"{h.id} ({path_en}, expected {direction_en}) is not supported: {numbers}, not significant.",
               f"{claim_zh}未得到支持，路径系数不显著（{numbers_zh}）。")


def paths(c: Context) -> list[str]:
    if not c.status.proper:
        return [improper_reminder(c)]
    hs = c.res.hypotheses
    n_sup = sum(1 for h in hs if h.supported)
    betas = [h.std_all for h in hs]
    out = [c.L(f"{count_of(c, n_sup, len(hs), 'path hypotheses').capitalize()} "
               f"{'is' if n_sup == 1 and n_sup != len(hs) else 'are'} supported (*p* < 0.05 in the expected "
               f"direction); the standardized paths range from β = {f3(min(betas))} to β = {f3(max(betas))}.",
               f"{count_of(c, n_sup, len(hs), '')}路径假设{'均' if n_sup == len(hs) else ''}得到支持（在预期方向上 *p* < 0.05），"
               f"标准化路径系数介于 β = {f3(min(betas))} 与 β = {f3(max(betas))} 之间。")]
    if n_sup == 0:
        out[0] = c.L(f"None of the {len(hs)} path hypotheses is supported.", f"{len(hs)} 个路径假设均未得到支持。")
    out += [hypothesis_sentence(c, h) for h in hs]
    caveats = caveats_of_findings(c)
    if caveats:
        out.append(caveats)
    if c.res.r2:
        parts = [f"{pct(v)} of the variance of {c.name(k)}" if c.lang == "en" else f"{c.name(k)} {pct(v)}"
                 for k, v in c.res.r2.items() if k in c.res.study.structural_constructs]
        if parts:
            out.append(c.L("The predictors explain " + c.join(parts) + " (R²).",
                           "模型对各内生构念的解释力（R²）分别为：" + "，".join(parts) + "。"))
    return out


def robust_result(c: Context) -> tuple[str, str]:
    """What the MLR sensitivity check shows (verdicts.robust_paths), as a clause in each language: which
    hypotheses change verdict, and the ML → MLR p-values of those that change or are near 0.05."""
    rows = c.robust_paths
    changed = [r for r in rows if r.changed]
    shown = changed or [r for r in rows if r.supported_ml and (r.p_ml >= 0.01 or r.pvalue >= 0.01)]

    def pair(r):
        return f"{r.id} *p* {fmt_p(r.p_ml)} → {'< 0.001' if r.pvalue < 0.001 else fmt(r.pvalue)}"

    detail_en = ", ".join(pair(r) for r in shown)
    detail_zh = "，".join(pair(r) for r in shown)
    if not changed:
        return ("with robust (MLR, Huber–White) standard errors every hypothesis keeps its verdict"
                + (f" ({detail_en})" if shown else ""),
                "采用稳健（MLR，Huber–White）标准误后，各假设的检验结论均不变" + (f"（{detail_zh}）" if shown else ""))
    lost = [r.id for r in changed if r.supported_ml]
    gained = [r.id for r in changed if not r.supported_ml]
    en_parts = ([f"{c.join(lost)} {'is' if len(lost) == 1 else 'are'} no longer significant"] if lost else []) + (
        [f"{c.join(gained)} become{'s' if len(gained) == 1 else ''} significant"] if gained else [])
    zh_parts = ([f"{c.join(lost)} 不再显著"] if lost else []) + ([f"{c.join(gained)} 变为显著"] if gained else [])
    return (f"with robust (MLR, Huber–White) standard errors {' and '.join(en_parts)} ({detail_en}), so "
            f"{'this finding rests' if len(changed) == 1 else 'these findings rest'} on the normal-theory test",
            f"采用稳健（MLR，Huber–White）标准误后，{'，'.join(zh_parts)}（{detail_zh}），该结论依赖于正态理论检验")


def caveats_of_findings(c: Context) -> str:
    """What limits the hypothesis tests, from the shared judgements: a normality the ML tests do not tolerate
    (paths with p between 0.01 and 0.05 are then borderline) and measurement that lacks validity."""
    parts_en, parts_zh = [], []
    if c.normality.robust_advised and c.robust_paths is not None:
        en, zh = robust_result(c)
        parts_en.append("the *p*-values are normal-theory ML although the answers depart from multivariate normality more than ML "
                        "tolerates (see the item statistics); " + en)
        parts_zh.append("尽管作答偏离多元正态的程度超出极大似然估计可容忍的范围（见题项描述统计），上述 *p* 值仍基于正态理论的极大似然估计；"
                        + zh)
    elif c.normality.robust_advised:
        parts_en.append("the *p*-values are normal-theory ML although the answers depart from multivariate normality more than ML "
                        "tolerates (see the item statistics), so those near 0.05 should be read with caution")
        parts_zh.append("尽管作答偏离多元正态的程度超出极大似然估计可容忍的范围（见题项描述统计），上述 *p* 值仍基于正态理论的极大似然估计，"
                        "接近 0.05 的结果应谨慎解读")
    q = c.measurement
    if q.fornell_larcker_failures or q.htmt_high:
        pairs = {(a, b) for a, b, _ in q.fornell_larcker_failures} | {(a, b) for a, b, _ in q.htmt_high}
        names_en = c.join([f"{c.name(a)}–{c.name(b)}" for a, b in sorted(pairs)])
        names_zh = c.join([f"{c.name(a)}与{c.name(b)}" for a, b in sorted(pairs)])
        parts_en.append(f"discriminant validity is not established for {names_en} (see the validity section), so "
                        "paths between these constructs may be inflated")
        parts_zh.append(f"{names_zh}之间的区分效度未得到确认（见效度分析），这些构念之间的路径系数可能被高估")
    if q.misloaded:
        parts_en.append(f"{counted(len(q.misloaded), 'item')} {'loads' if len(q.misloaded) == 1 else 'load'} mainly on the factor of another construct")
        parts_zh.append(f"{len(q.misloaded)} 个题项主要负荷于其他构念的因子")
    if not parts_en:
        return ""
    return c.L("These tests have limits: " + "; ".join(parts_en) + ".", "上述检验存在局限：" + "；".join(parts_zh) + "。")


# --------------------------------------------------------------------------------------------- mediation

VERDICT_EN = {"full": "indirect-only mediation (the direct effect is not significant; conventionally \"full mediation\")",
              "complementary": "partial, complementary mediation (direct and indirect effects of the same sign)",
              "competitive": "partial, competitive mediation (direct and indirect effects of opposite sign)",
              "direct-only": "no mediation (only the direct effect is significant)",
              "none": "no effect through this chain", "indirect": "a significant indirect effect (the model has no direct path)"}
VERDICT_ZH = {"full": "仅间接效应的中介（直接效应不显著；传统上称“完全中介”）", "complementary": "部分中介（互补型：直接与间接效应同号）",
              "competitive": "部分中介（竞争型：直接与间接效应异号）", "direct-only": "不存在中介（仅直接效应显著）",
              "none": "该链条上不存在效应", "indirect": "间接效应显著（模型中无直接路径）"}


def mediation(c: Context) -> list[str]:
    if not c.res.mediation:
        return []
    if not c.status.proper:
        return [c.L(f"The {counted(len(c.res.mediation), 'indirect effect')} {'is' if len(c.res.mediation) == 1 else 'are'} not interpreted: the structural model has no "
                    "proper solution, so no interval was computed for them.",
                    f"结构模型没有合理解，{len(c.res.mediation)} 个间接效应均不予解释，也未计算其置信区间。")]
    out = [c.L("Mediation is tested by the bootstrap confidence interval of the indirect effect ([@preacher2008]; "
               "[@wen2014]); the mediation type follows [@!zhao2010].",
               "中介效应依据间接效应的 Bootstrap 置信区间检验（[@preacher2008]；[@wen2014]），中介类型的判断依据 "
               "[@!zhao2010]。")] if any(m.bootstrap is not None for m in c.res.mediation) else []
    for m in c.res.mediation:
        chain = " → ".join(c.name(x) for x in m.path)
        if m.bootstrap is not None and _finite(m.bootstrap.ci_lower):
            lo, hi = m.bootstrap.ci_lower, m.bootstrap.ci_upper
            how_en = f"95% percentile bootstrap CI [{f3(lo)}, {f3(hi)}] ({m.bootstrap.resamples} resamples)"
            how_zh = f"95% 百分位 Bootstrap 置信区间为 [{f3(lo)}, {f3(hi)}]（重抽样 {m.bootstrap.resamples} 次）"
        else:
            lo, hi = m.monte_carlo.ci_lower, m.monte_carlo.ci_upper
            how_en = f"95% Monte Carlo CI [{f3(lo)}, {f3(hi)}] ([@preacher2012])"
            how_zh = f"95% 蒙特卡洛置信区间为 [{f3(lo)}, {f3(hi)}]（[@preacher2012]）"
        excludes = lo > 0 or hi < 0
        disagree_en = disagree_zh = ""
        if m.bootstrap is not None and _finite(m.bootstrap.ci_lower) and _finite(m.monte_carlo.ci_lower):
            mc_excludes = m.monte_carlo.ci_lower > 0 or m.monte_carlo.ci_upper < 0
            if mc_excludes != excludes:
                disagree_en = (f" (the Monte Carlo interval [{f3(m.monte_carlo.ci_lower)}, {f3(m.monte_carlo.ci_upper)}] "
                               f"{'excludes' if mc_excludes else 'includes'} 0: the effect is borderline)")
                disagree_zh = (f"（蒙特卡洛置信区间 [{f3(m.monte_carlo.ci_lower)}, {f3(m.monte_carlo.ci_upper)}] "
                               f"{'不含' if mc_excludes else '包含'} 0，该效应处于临界状态）")
        tested = next((x for x in getattr(getattr(c.res, "questions", None), "mediation", None) or []
                       if x.chain == tuple(m.path) and not x.direct_in_hypothesized), None)
        direct_en = "" if m.direct_std is None else f"; the direct effect is β = {f3(m.direct_std)}"
        direct_zh = "" if m.direct_std is None else f"；直接效应 β = {f3(m.direct_std)}"
        label = (f"{m.id}：" if c.lang == "zh" else f"{m.id}: ") if m.id else ""
        # when the data favour the partial-mediation model, the hypothesis is read from it (see the competing models)
        preferred = preferred_support(c.res, m.path)
        final = excludes if preferred is None else preferred
        if preferred is not None and preferred != excludes:
            disagree_en += (f" (in the partial-mediation model, which the data favour, the interval "
                            f"{'excludes' if preferred else 'includes'} 0; the hypothesis is read from that model)")
            disagree_zh += (f"（在数据更支持的部分中介模型中该区间{'不含' if preferred else '包含'} 0，假设依该模型判断）")
        out.append(c.L(
            f"{label}the indirect effect along {chain} is {f3(m.delta.est)} (standardized {f3(m.delta.std_all)}), "
            f"{how_en}, which {'excludes' if excludes else 'includes'} 0{disagree_en}{direct_en}: "
            + (("a significant indirect effect; the type of mediation is judged below, in the model with the direct "
                "path" if excludes else "no indirect effect") if tested is not None else
               VERDICT_EN.get(m.verdict, m.verdict))
            + (f"; {m.id} is supported." if m.id and final else f"; {m.id} is not supported." if m.id else "."),
            (f"对于 {m.id}，" if m.id else "") + f"“{chain}”的间接效应为 {f3(m.delta.est)}（标准化值 {f3(m.delta.std_all)}），"
            f"{how_zh}，{'不包含' if excludes else '包含'} 0{disagree_zh}{direct_zh}，"
            + (("间接效应显著，中介类型见下文含直接路径的模型" if excludes else "间接效应不显著")
               if tested is not None else VERDICT_ZH.get(m.verdict, m.verdict))
            + (f"，{m.id} 得到支持。" if m.id and final else f"，{m.id} 未得到支持。" if m.id else "。")))
    return out


# --------------------------------------------------------------------------------------------- groups

MODEL_NAMES = {"configural": ("the configural model", "形态等同模型"),
               "metric": ("the equal-loadings (metric) model", "测量等同模型"),
               "structural": ("the equal-paths (structural) model", "结构等同模型")}


def _not_proper(v, levels: tuple[str, str]) -> tuple[str, str]:
    """Which of the compared models has no proper solution, as a clause in en and zh."""
    bad = [MODEL_NAMES[level] for level in levels if level in v.not_proper]
    if len(bad) == 1:
        return f"{bad[0][0]} has no proper solution", f"{bad[0][1]}没有得到合理解"
    return (" and ".join(en for en, _ in bad) + " have no proper solution",
            "与".join(zh for _, zh in bad) + "均没有得到合理解")


def groups(c: Context, label_of) -> list[str]:
    out = []
    verdict = {v.column: v for v in c.group_differences}
    for g in c.res.groups:
        v = verdict[g.column]
        col = label_of(g.column)
        tests = {t["model"]: t for t in g.tests}
        metric, structural = tests.get("metric"), tests.get("structural")
        sizes_en = ", ".join(f"{label_of(g.column, k)} *n* = {n}" for k, n in g.n.items())
        sizes_zh = "，".join(f"{label_of(g.column, k)} {n} 人" for k, n in g.n.items())
        parts_en, parts_zh = [], []
        if metric and {"configural", "metric"} & set(v.not_proper):  # a compared model is improper: no test, no p
            en, zh = _not_proper(v, ("configural", "metric"))
            parts_en.append(f"equal loadings could not be tested, because {en}")
            parts_zh.append(f"载荷相等的约束无法检验，因为{zh}")
        elif metric and not verdicts.testable(metric["pvalue"]):  # no p-value: no verdict
            parts_en.append(f"in the structural model, whether equal loadings hold is not judged: {verdicts.NOT_COMPUTABLE}")
            parts_zh.append(f"在结构模型中，载荷相等的约束是否成立无法判断：{verdicts.NOT_COMPUTABLE.zh}")
        elif metric:
            parts_en.append(f"in the structural model, equal loadings {'are not rejected' if v.metric_holds else 'are rejected'} (Δχ²({int(metric['df_diff'])}) = "
                            f"{metric['chisq_diff']:.2f}, {pv(metric['pvalue'])})")
            parts_zh.append(f"在结构模型中，载荷相等的约束{'未被拒绝' if v.metric_holds else '被拒绝'}（Δχ²({int(metric['df_diff'])}) = "
                            f"{metric['chisq_diff']:.2f}，{pv(metric['pvalue'])}）")
        if structural and {"metric", "structural"} & set(v.not_proper):
            en, zh = _not_proper(v, ("metric", "structural"))
            parts_en.append(f"whether the structural paths differ between the groups as a whole could not be tested, "
                            f"because {en}")
            parts_zh.append(f"结构路径整体上是否存在组间差异无法检验，因为{zh}")
        elif structural and not verdicts.testable(structural["pvalue"]):
            parts_en.append(f"whether the structural paths differ between the groups as a whole is not judged: "
                            f"{verdicts.NOT_COMPUTABLE}")
            parts_zh.append(f"结构路径整体上是否存在组间差异无法判断：{verdicts.NOT_COMPUTABLE.zh}")
        elif structural:
            # a non-significant omnibus test is no evidence of a difference, not evidence of equal paths
            edge = verdicts.borderline(structural["pvalue"])
            stat_en = (f"Δχ²({int(structural['df_diff'])}) = {structural['chisq_diff']:.2f}, {pv(structural['pvalue'])}"
                       + (", borderline" if edge else ""))
            stat_zh = (f"Δχ²({int(structural['df_diff'])}) = {structural['chisq_diff']:.2f}，{pv(structural['pvalue'])}"
                       + ("，接近显著" if edge else ""))
            parts_en.append(f"the structural paths differ between the groups as a whole ({stat_en})" if v.paths_differ
                            else f"there is no evidence that the structural paths differ between the groups as a whole "
                                 f"({stat_en})")
            parts_zh.append(f"结构路径整体上存在组间差异（{stat_zh}）" if v.paths_differ
                            else f"没有证据表明结构路径整体上存在组间差异（{stat_zh}）")
        out.append(c.L(f"Comparing the groups of {col} ({sizes_en}): " + "; ".join(parts_en) + ".",
                       f"按{col}分组比较（{sizes_zh}）：" + "；".join(parts_zh) + "。"))
        configural = g.models.get("configural")
        d = g.differences
        if "configural" in v.not_proper:  # its fit and its paths are not findings
            if d is not None and len(d):
                out.append(c.L("The single paths are not compared between the groups: the configural model, whose "
                               "estimates the comparison would use, has no proper solution.",
                               "各条路径未作组间比较：比较所依据的形态等同模型没有得到合理解。"))
            continue
        base = verdicts.baseline_fit(configural.fit, getattr(g, "estimator", "ML") != "ML") if configural else None
        if base is not None and base.poor:
            out.append(c.L("However, " + str(base.statement()) + ", so these comparisons are hard to interpret.",
                           "但" + base.statement().zh + "，因此上述比较难以解释。"))
        if d is None or not len(d):
            continue
        if not v.differing_paths:
            out.append(c.L(f"No single path differs between the groups (every |C.R.| ≤ 1.96; the largest is "
                           f"{f2(d['critical_ratio'].abs().max())}).",
                           f"没有单条路径在组间存在显著差异（所有 |C.R.| ≤ 1.96，最大为 {f2(d['critical_ratio'].abs().max())}）。"))
            continue
        p = g.paths
        bits_en, bits_zh = [], []
        for row in v.differing_paths:
            b1 = p[(p["group"] == row["group_1"]) & (p["from"] == row["from"]) & (p["to"] == row["to"])]["est"].iloc[0]
            b2 = p[(p["group"] == row["group_2"]) & (p["from"] == row["from"]) & (p["to"] == row["to"])]["est"].iloc[0]
            g1, g2 = label_of(g.column, row["group_1"]), label_of(g.column, row["group_2"])
            bits_en.append(f"{c.name(row['from'])} → {c.name(row['to'])} (*B* = {f3(b1)} for {g1} vs {f3(b2)} for "
                           f"{g2}, C.R. = {f2(row['critical_ratio'])})")
            bits_zh.append(f"{c.name(row['from'])} → {c.name(row['to'])}（{g1} *B* = {f3(b1)}，{g2} *B* = {f3(b2)}，"
                           f"C.R. = {f2(row['critical_ratio'])}）")
        if v.moderation:
            out.append(c.L("Paths that differ between the groups (|C.R.| > 1.96): " + "; ".join(bits_en)
                           + f". With measurement invariant and the paths different as a whole, {col} moderates these "
                           "relations.",
                           "组间存在显著差异的路径（|C.R.| > 1.96）：" + "；".join(bits_zh)
                           + f"。在测量等同成立且结构路径整体存在差异的前提下，{col}对这些关系具有调节作用。"))
        else:
            why_en = ("the omnibus test gives no evidence that the paths differ as a whole" if v.paths_differ is False
                      else "measurement is not invariant across the groups")
            why_zh = "整体检验没有证据表明结构路径存在差异" if v.paths_differ is False else "测量在组间不等同"
            out.append(c.L("Single paths with |C.R.| > 1.96: " + "; ".join(bits_en) + f". Because {why_en}, these are "
                           f"exploratory differences, not evidence that {col} moderates the model.",
                           "单条路径 |C.R.| > 1.96 的有：" + "；".join(bits_zh) + f"。由于{why_zh}，这些只是探索性差异，"
                           f"不能据此认为{col}对模型具有调节作用。"))
    return out
