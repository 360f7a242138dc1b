"""The chapter's closing text: the importance–performance reading, conclusions, implications, limitations,
and the client edition's plain findings and action list.

Like :mod:`.narrative`, every sentence comes from a result and a rule, and shared judgements come from
:mod:`.verdicts`. Priorities come only from the drivers management can act on (the constructs no hypothesis
points to, their dimensions and items; :func:`.scores.driver_ipma`), never from outcomes such as
satisfaction or loyalty; and the wording is associational, as cross-sectional data allow.
"""

from __future__ import annotations

from .mediation_types import better_partial_model
from .narrative import Context, count_of, f3, pct
from .narrative_model import (VERDICT_EN, VERDICT_ZH, caveats_of_findings, improper_reminder, pls_tests_hypotheses,
                              robust_result)
from .scores import IPMA, driver_constructs, rescale
from ..messages import counted

# the map the text reads: the finest level that is not the item level, else the items
LEVELS = ("dimension", "construct", "item")


def _label(c: Context, code: str) -> str:
    """A construct's or dimension's name, or an item code with its construct's name."""
    study = c.res.study
    if any(x.code == code for x in study.constructs):
        return c.name(code)
    owner = next(x for x in study.first_order if any(i.code == code for i in x.items))
    return f"{code}（{c.name(owner.code)}）" if c.lang == "zh" else f"{code} ({c.name(owner.code)})"


def main_map(c: Context) -> tuple[str, IPMA] | None:
    maps = c.ipma or {}
    for level in LEVELS:
        if level in maps:
            return level, maps[level]
    return None


def equal_importance(m: IPMA) -> bool:
    """The points' importance differs by less than 10 % of its mean (:data:`.scores.EQUAL_IMPORTANCE`)."""
    return m.equal_importance


QUADRANT_RANK = {"concentrate": 0, "keep": 1, "low": 2, "overkill": 3}


def priorities(c: Context) -> list:
    """Points of the main map in the order of action, by quadrant as importance–performance analysis reads
    them — "concentrate here" (improve first), "keep up the good work" (maintain), "low priority" (improve
    later), "possible overkill" (no more resources) — and within a quadrant by the potential gain,
    importance × (100 − performance); when importance hardly differs, by performance, the weakest first.
    The IPMA paragraph, the implications and the client's action list all read this one order."""
    found = main_map(c)
    if found is None:
        return []
    _, m = found
    if equal_importance(m):
        return sorted(m.points, key=lambda p: p.performance)
    return sorted(m.points, key=lambda p: (QUADRANT_RANK[p.quadrant], -p.importance * (100 - p.performance)))


def first_priorities(c: Context) -> list:
    """What to start with: the first point of :func:`priorities` if it is to be improved ("concentrate here"),
    with every point of the same quadrant whose performance is within one point of it (a 0.1-point gap is
    not a ranking)."""
    order = priorities(c)
    if not order or order[0].quadrant != "concentrate":
        return []
    return [p for p in order if p.quadrant == "concentrate" and abs(p.performance - order[0].performance) < 1.0]


# A point this close to a quadrant's cut (the map's mean) is not firmly in its quadrant: a convention of this
# report, stated in the text — a gap of less than one point on the 0–100 scale, or less than 5 % of the mean
# importance, is within what another sample would easily reverse.
NEAR_PERFORMANCE = 1.0
NEAR_IMPORTANCE = 0.05


def near_cut(m: IPMA, p) -> bool:
    return (abs(p.performance - m.performance_cut) < NEAR_PERFORMANCE
            or abs(p.importance - m.importance_cut) < NEAR_IMPORTANCE * abs(m.importance_cut))


def weakest_item(c: Context):
    maps = c.ipma or {}
    if "item" not in maps:
        return None
    return min(maps["item"].points, key=lambda p: p.performance)


def ipma(c: Context) -> list[str]:
    found = main_map(c)
    if found is None:
        return []
    level, m = found
    outcome = c.name(m.outcome)
    pts = sorted(m.points, key=lambda p: -p.importance)
    what = {"construct": c.L("driver constructs", "前因构念"), "dimension": c.L("dimensions", "维度"),
            "item": c.L("items", "题项")}[level]
    desc = [c.L(f"{_label(c, p.code)} (importance {f3(p.importance)}, performance {p.performance:.1f})",
                f"{_label(c, p.code)}（重要性 {f3(p.importance)}，表现 {p.performance:.1f}）") for p in pts]
    imps = [p.importance for p in pts]
    focus = [p for p in pts if p.quadrant == "concentrate"]
    out = [c.L(f"Importance–performance analysis of the {what}, with their importance for {outcome} "
               "([@martilla1977], adapted from [@!ringle2016]): " + "; ".join(desc) + ".",
               f"以{outcome}为目标，参照 [@!ringle2016] 的做法并加以调整，对各{what}进行重要性—表现分析（[@martilla1977]）：" + "；".join(desc) + "。")]
    if equal_importance(m):
        out.append(c.L(f"Their importance differs little ({f3(min(imps))} to {f3(max(imps))}), so the priority follows "
                       "performance: " + c.join([_label(c, p.code) for p in priorities(c)]) + ", from the weakest.",
                       f"各{what}的重要性相差不大（{f3(min(imps))}～{f3(max(imps))}），优先顺序主要取决于表现，由弱到强依次为"
                       + c.join([_label(c, p.code) for p in priorities(c)]) + "。"))
    elif focus:
        out.append(c.L(f"{c.join([_label(c, p.code) for p in focus])} {'falls' if len(focus) == 1 else 'fall'} in the "
                       f"“concentrate here” quadrant: importance above the mean ({f3(m.importance_cut)}) with "
                       f"performance below the mean ({m.performance_cut:.1f}).",
                       f"{c.join([_label(c, p.code) for p in focus])}位于“重点改进区”：重要性高于平均值（{f3(m.importance_cut)}）"
                       f"而表现低于平均值（{m.performance_cut:.1f}）。"))
    weak = weakest_item(c)
    if weak is not None and level != "item":
        item = next(i for i in c.res.study.items if i.code == weak.code)
        owner = next(x for x in c.res.study.first_order if any(i.code == weak.code for i in x.items))
        wording_en = f"“{item.text.get('en')}” ({weak.code})" if item.text and item.text.get("en") else weak.code
        wording_zh = f"“{item.text.get('zh')}”（{weak.code}）" if item.text and item.text.get("zh") else weak.code
        out.append(c.L(f"At the item level, the weakest rated is {wording_en}, an item of {c.name(owner.code)}: mean "
                       f"{_mean_of(c, weak.code)}, a performance of {weak.performance:.1f} out of 100.",
                       f"从题项层面看，表现最弱的是{c.name(owner.code)}维度的{wording_zh}，均值为 {_mean_of(c, weak.code)}，"
                       f"折合表现得分 {weak.performance:.1f}（满分 100）。"))
    return out


def _mean_of(c: Context, item: str) -> str:
    return f3(float(c.res.data.items[item].mean()))


def _strongest(c: Context, hs) -> str:
    h = max(hs, key=lambda x: abs(x.std_all))
    return c.L(f"{h.id}, {c.name(h.from_)} → {c.name(h.to)} (β = {f3(h.std_all)})",
               f"{h.id}（{c.name(h.from_)} → {c.name(h.to)}，β = {f3(h.std_all)}）")


def conclusions(c: Context) -> list[str]:
    res = c.res
    if not c.status.proper:
        alpha_ok = sum(1 for v in res.measurement.constructs.values() if not v.second_order and v.alpha >= 0.7)
        return [improper_reminder(c),
                c.L(f"What the data do show: {res.data.n_analysed} valid responses and the reliability results above "
                    f"({alpha_ok} of {len(res.study.first_order)} constructs with α ≥ 0.70)"
                    + (("; the covariance-based measurement model is improper too, so validity is assessed only by "
                        "the PLS-SEM measurement model (its own section)." if pls_tests_hypotheses(c) else
                        "; validity could not be established, because the measurement model is improper too.")
                       if not res.cfa.proper else ".")
                    + (" The PLS-SEM results follow." if pls_tests_hypotheses(c) else
                       " These concern the measurement, not the hypotheses."),
                    f"数据能够说明的是：有效样本 {res.data.n_analysed} 份，以及上文的信度结果（{len(res.study.first_order)} "
                    f"个构念中有 {alpha_ok} 个 α ≥ 0.70）"
                    + (("；协方差结构的测量模型同样不合理，效度仅由 PLS-SEM 的测量模型评估（见其一节）。"
                        if pls_tests_hypotheses(c) else "；由于测量模型同样不合理，效度无法确认。")
                       if not res.cfa.proper else "。")
                    + ("PLS-SEM 的结果见下文。" if pls_tests_hypotheses(c) else "这些结论只涉及测量，不涉及研究假设。"))]
    hs = res.hypotheses
    sup = [h for h in hs if h.supported]
    uns = [h for h in hs if not h.supported]
    head_en = (f"The data support {count_of(c, len(sup), len(hs), 'path hypotheses')}"
               + (f" ({', '.join(h.id for h in sup)})" if sup and uns else "")
               + (f"; {', '.join(h.id for h in uns)} {'is' if len(uns) == 1 else 'are'} not supported" if uns else ""))
    head_zh = (f"数据支持{count_of(c, len(sup), len(hs), '')}路径假设" + (f"（{'、'.join(h.id for h in sup)}）" if sup and uns else "")
               + (f"，{'、'.join(h.id for h in uns)} 未得到支持" if uns else ""))
    out = [c.L(head_en + (f". The strongest path is {_strongest(c, hs)}." if hs else "."),
               head_zh + (f"。最强的路径是 {_strongest(c, hs)}。" if hs else "。"))]
    caveats = caveats_of_findings(c)
    if caveats:
        out.append(caveats)
    tests = {x.chain: x for x in (getattr(getattr(res, "questions", None), "mediation", None) or []) if x.proper}

    def kind(m) -> str:
        """The type from the model with the direct path when it was tested (issue 14), else the model's own."""
        t = tests.get(tuple(m.path))
        verdict = {"partial": "complementary"}.get(t.mediation, t.mediation) if t is not None else m.verdict
        return verdict if verdict in VERDICT_EN else m.verdict

    def beta(m) -> float:
        """The indirect β from the same model as the type (the model with the direct path when tested)."""
        t = tests.get(tuple(m.path))
        return t.indirect.std_all if t is not None else m.delta.std_all

    med = [m for m in res.mediation if kind(m) in ("full", "complementary", "competitive", "indirect")]
    if med:
        added = list(dict.fromkeys((tests[tuple(m.path)].x, tests[tuple(m.path)].y) for m in med
                                   if tuple(m.path) in tests and not tests[tuple(m.path)].direct_in_hypothesized))
        where_en = where_zh = ""
        if added:
            ids = [m.id for m in med if tuple(m.path) in tests and not tests[tuple(m.path)].direct_in_hypothesized
                   and m.id]
            arrows_en = c.join([" → ".join(c.name(x) for x in p) for p in added])
            arrows_zh = c.join([f"“{' → '.join(c.name(x) for x in p)}”" for p in added])
            better = better_partial_model(res.questions)
            where_en = (f" (types and indirect β from the model with the direct path{'s' if len(added) > 1 else ''} "
                        f"{arrows_en} added{', which fits significantly better than the hypothesized model' if better else ''}"
                        + (f", for {c.join(ids)}" if len(ids) < len(med) and ids else "") + ")")
            where_zh = (f"（{'、'.join(ids) + ' 的' if len(ids) < len(med) and ids else ''}中介类型与间接效应 β 均来自"
                        f"加入直接路径{arrows_zh}后的模型{'，该模型的拟合显著优于假设模型' if better else ''}）")
        # the χ² test and the direct effect's interval disagree (section on full or partial mediation): the type
        # is read from the interval, and partial mediation cannot be ruled out — the same caveat here
        mixed = [m for m in med if tuple(m.path) in tests and not tests[tuple(m.path)].agreement is False
                 and kind(m) == "full"]
        caveat_en = (f" For {c.join([m.id or ' → '.join(c.name(x) for x in m.path) for m in mixed])}, the χ² test "
                     "finds the direct path significant while its interval includes 0, so partial mediation cannot be "
                     "ruled out." if mixed else "")
        caveat_zh = (f"对于{c.join([m.id or ' → '.join(c.name(x) for x in m.path) for m in mixed])}，χ² 差异检验表明"
                     "直接路径显著而其置信区间包含 0，因此不能排除部分中介。" if mixed else "")
        out.append(c.L("Mediation" + where_en + ": "
                       + "; ".join(f"{m.id + ' ' if m.id else ''}{' → '.join(c.name(x) for x in m.path)} "
                                   f"({VERDICT_EN[kind(m)].split(' (')[0]}, indirect β = {f3(beta(m))})" for m in med)
                       + "." + caveat_en,
                       "中介效应" + where_zh + "："
                       + "；".join(f"{m.id + ' ' if m.id else ''}“{' → '.join(c.name(x) for x in m.path)}”"
                                  f"（{VERDICT_ZH[kind(m)].split('（')[0]}，间接效应 β = {f3(beta(m))}）" for m in med)
                       + "。" + caveat_zh))
    out += implications(c)
    return out


def implications(c: Context) -> list[str]:
    """Management implications from the supported hypotheses and the drivers' importance–performance map."""
    res = c.res
    out = []
    sup = sorted([h for h in res.hypotheses if h.supported], key=lambda h: -abs(h.std_all))
    if sup:
        links_en = [f"{c.name(h.from_)} with {c.name(h.to)} (β = {f3(h.std_all)})" for h in sup]
        links_zh = [f"{c.name(h.from_)}与{c.name(h.to)}（β = {f3(h.std_all)}）" for h in sup]
        out.append(c.L(
            "Other predictors held equal, the constructs linked by the supported hypotheses are significantly "
            "associated in the expected direction: " + "; ".join(links_en) + ". These are associations in "
            "cross-sectional data, consistent with the hypotheses; they show where the constructs go together, not "
            "that improving one would by itself raise the other.",
            "在控制模型中其他前因变量后，得到支持的假设所连接的构念之间均呈预期方向的显著关联：" + "；".join(links_zh)
            + "。这些结果是横截面数据中的关联，与研究假设一致，但不能证明提高前者必然提高后者。"))
    order = priorities(c)
    if order:
        _, m = main_map(c)
        out.append(_levers(c, m, order))
    if not out:
        out.append(c.L("No hypothesis is supported, so the data give no evidence-based lever for management; the "
                       "constructs' levels (table of means) describe the current state only.",
                       "没有假设得到支持，数据不能为管理提供有实证依据的着力点；构念均值只描述现状。"))
    return out


def limitations(c: Context) -> list[str]:
    res = c.res
    d = res.data
    out = []
    if res.study.data.simulated:
        population = res.study.data.population is not None
        out.append(c.L(f"The {d.n_analysed} responses are simulated"
                       + (" from the population model written in the study" if population else "")
                       + ": they show how the analysis works; they are not evidence about real customers.",
                       f"本研究的 {d.n_analysed} 份数据为模拟数据" + ("，由研究设定的总体模型生成" if population else "")
                       + "：结果只展示分析流程，不是关于真实顾客的证据。"))
    else:
        if c.status.proper:
            out.append(c.L(f"The {d.n_analysed} responses come from one cross-sectional survey: the paths are "
                           "associations consistent with the hypothesised causal order, not proof of it, and "
                           "generalising beyond this sample needs replication.",
                           f"{d.n_analysed} 份数据来自一次横截面调查：路径系数是与假设因果顺序一致的关联，而不是因果的证明，"
                           "推广到本样本之外需要重复研究。"))
        elif pls_tests_hypotheses(c):
            out.append(c.L(f"The {d.n_analysed} responses come from one cross-sectional survey, and the covariance-based "
                           "model could not be estimated properly on them: the hypotheses rest on PLS-SEM alone, whose "
                           "composites keep the items' measurement error (see its measurement-model section).",
                           f"{d.n_analysed} 份数据来自一次横截面调查，且协方差结构模型在这些数据上未能得到合理解：研究假设"
                           "仅以 PLS-SEM 检验，而其组合变量保留了题项的测量误差（见其测量模型一节）。"))
        else:
            out.append(c.L(f"The {d.n_analysed} responses come from one cross-sectional survey, and the structural model "
                           "could not be estimated properly on them: the hypotheses remain untested.",
                           f"{d.n_analysed} 份数据来自一次横截面调查，且结构模型在这些数据上未能得到合理解：研究假设仍未得到检验。"))
    v = c.normality
    if v.robust_advised and c.robust_paths is not None:
        md = res.measurement.mardia
        en, zh = robust_result(c)
        out.append(c.L(f"Jointly, the answers depart from multivariate normality more than maximum likelihood tolerates (Mardia kurtosis "
                       f"*z* = {md.kurtosis:.2f}); the hypotheses were judged by ML, and {en}.",
                       f"作答偏离多元正态的程度超出极大似然估计可以容忍的范围（Mardia 峰度 *z* = {md.kurtosis:.2f}）；"
                       f"假设以 ML 检验判断，{zh}。"))
    elif v.robust_advised:
        md = res.measurement.mardia
        out.append(c.L(f"Jointly, the answers depart from multivariate normality more than maximum likelihood tolerates (Mardia kurtosis "
                       f"*z* = {md.kurtosis:.2f}{', ' + counted(len(v.items_beyond), 'item') + ' beyond |skewness| < 2 or |kurtosis| < 7' if v.items_beyond else ''}); "
                       "a robust estimator (MLR) would give more trustworthy χ² and standard errors.",
                       f"作答偏离多元正态的程度超出极大似然估计可以容忍的范围（Mardia 峰度 *z* = {md.kurtosis:.2f}"
                       f"{'，' + str(len(v.items_beyond)) + ' 个题项超出 |偏度| < 2 或 |峰度| < 7' if v.items_beyond else ''}），"
                       "采用稳健估计（MLR）可以得到更可靠的 χ² 与标准误。"))
    mb = c.method_bias
    verdict = mb.statement()  # the same verdict as the common-method section, never re-decided
    if mb.serious:
        tail_en, tail_zh = "; this limits the strength of the path estimates.", "；这限制了路径估计的可信程度。"
    elif mb.level == "cannot-rule-out":
        tail_en, tail_zh = ".", "。"
    else:
        tail_en, tail_zh = ("; a single-source design cannot exclude it entirely.", "；但单一来源的设计不能完全排除这种偏差。")
    out.append(c.L("All constructs were measured in the same questionnaire from the same respondents, and "
                   + str(verdict) + tail_en,
                   "所有构念都来自同一批受访者的同一份问卷，" + verdict.zh + tail_zh))
    # CR/AVE of an improper CFA are not findings (verdicts.measurement): only α is judged then
    if res.cfa is None:  # a PLS-SEM study: no covariance-based CFA; its constructs' α and AVE as computed
        weak = [k for k, x in res.measurement.constructs.items()
                if not x.second_order and (x.alpha < 0.70 or (_finite(x.ave) and x.ave < 0.50))]
        if weak:
            out.append(c.L(f"The measurement of {c.join([c.name(k) for k in weak])} falls short of α ≥ 0.70 or "
                           "AVE ≥ 0.50; results involving these constructs are less certain.",
                           f"{c.join([c.name(k) for k in weak])}的测量未达到 α ≥ 0.70 或 AVE ≥ 0.50 的标准，涉及这些构念的结论不够确定。"))
    elif c.measurement.cfa_proper:
        q = c.measurement
        weak = [k for k in res.measurement.constructs if k in q.low_alpha or k in q.convergent_failures]
        if weak:
            out.append(c.L(f"The measurement of {c.join([c.name(k) for k in weak])} falls short of α ≥ 0.70 or "
                           "AVE ≥ 0.50; results involving these constructs are less certain.",
                           f"{c.join([c.name(k) for k in weak])}的测量未达到 α ≥ 0.70 或 AVE ≥ 0.50 的标准，涉及这些构念的结论不够确定。"))
    else:
        q = c.measurement
        low = [k for k in res.measurement.constructs if k in q.low_alpha]
        out.append(c.L(("The reliability of " + c.join([c.name(k) for k in low]) + " falls short of α ≥ 0.70. "
                        if low else "")
                       + "The measurement model (CFA) has no proper solution, so its composite reliability, AVE and "
                       "latent correlations are not interpretable; "
                       + ("convergent and discriminant validity rest on the PLS-SEM assessment alone (its "
                          "measurement-model section)." if pls_tests_hypotheses(c) else
                          "convergent and discriminant validity remain unestablished."),
                       (f"{c.join([c.name(k) for k in low])}的信度未达到 α ≥ 0.70 的标准。" if low else "")
                       + "测量模型（CFA）未得到合理解，其组合信度、AVE 与潜变量相关均无法解释，"
                       + ("收敛效度与区分效度仅依据 PLS-SEM 的评估（见其测量模型一节）。" if pls_tests_hypotheses(c) else
                          "收敛效度与区分效度仍未得到确认。")))
    n_exc = sum(d.excluded_counts.values())
    if n_exc:
        how_en, how_zh = ("screening", "筛选") if res.missing == "fiml" else ("listwise deletion and screening", "成列删除与筛选")
        out.append(c.L(f"{n_exc} respondents ({pct(n_exc / d.n_raw)}) were excluded by {how_en}; "
                       "if they differ from the others, the sample is less representative.",
                       f"通过{how_zh}剔除了 {n_exc} 名受访者（{pct(n_exc / d.n_raw)}）；若他们与其他受访者存在系统差异，样本的代表性会下降。"))
    if res.missing == "fiml" and res.n_complete is not None and res.n_complete < d.n_analysed:
        out.append(c.L(f"{d.n_analysed - res.n_complete} respondents left some items unanswered; FIML keeps them under "
                       "the assumption that answers are missing at random (MAR; [@little2002]). If people skipped items "
                       "because of the answer they would have given, the estimates can still be biased.",
                       f"{d.n_analysed - res.n_complete} 名受访者有未答题项；FIML 在“随机缺失（MAR）”假定下保留了他们"
                       "（[@little2002]）。若受访者因其本应给出的答案而跳题，估计仍可能有偏。"))
    if res.bootstrap_resamples == 0 and res.mediation and res.estimator != "WLSMV" and c.status.proper:
        ids = c.join([m.id or " → ".join(m.path) for m in res.mediation])
        out.append(c.L(f"No bootstrap was run; the {counted(len(res.mediation), 'indirect effect')} ({ids}) {'is' if len(res.mediation) == 1 else 'are'} judged on Monte "
                       f"Carlo intervals ({res.mediation[0].monte_carlo.draws} draws). A final report should use 2000 "
                       "or more bootstrap resamples.",
                       f"本次未进行 Bootstrap，{len(res.mediation)} 个间接效应（{ids}）依据蒙特卡洛置信区间"
                       f"（{res.mediation[0].monte_carlo.draws} 次抽取）判断；正式报告应使用 2000 次或更多次 Bootstrap 重抽样。"))
    return out


def _finite(x) -> bool:
    from .verdicts import finite
    return finite(x)


# --------------------------------------------------------------------------------------------- client edition

def _strength(c: Context, beta: float) -> str:
    """Plain words for a standardized coefficient, by Cohen's (1988) conventions for correlations."""
    a = abs(beta)
    return (c.L("strong", "强") if a >= 0.5 else c.L("moderate", "中等") if a >= 0.3 else
            c.L("weak", "弱") if a >= 0.1 else c.L("negligible", "可忽略"))


def plain_findings(c: Context, top_box) -> list[str]:
    """Three to five findings a client reads without statistics, on one measure of how well each aspect is rated
    (the mean on 0–100, as the action list uses) with the share of answers in the top two points beside it."""
    res = c.res
    study = res.study
    sc = study.scale
    out = []
    def level(code: str) -> tuple[float, float]:
        cols = _items_of(c, code)
        return (rescale(float(res.data.items[cols].mean(axis=1).mean()), sc.min, sc.max),
                float(top_box[cols].mean()))

    points = f"{sc.max - sc.min + 1}"
    found = main_map(c)
    outcome = found[1].outcome if found else None
    if outcome:
        perf, share = level(outcome)
        k = len(_items_of(c, outcome))
        top = f"{sc.max - 1} or {sc.max}"
        out.append(c.L(f"{c.name(outcome)} stands at {perf:.0f} on a 0–100 scale: on average over its {k} questions, "
                       f"{pct(share, 0)} of the customers answered {top}, the top two of {points} points.",
                       f"{c.name(outcome)}按 0–100 计为 {perf:.0f}：在其 {k} 个问题上，平均有 {pct(share, 0)} 的顾客选择了 "
                       f"{sc.max - 1} 或 {sc.max}（{points} 级量表的最高两档）。"))
    # the aspects the shop acts on: the drivers and their dimensions, never the outcomes
    aspects = [d for x in driver_constructs(study) for d in (study.construct(x).dimensions or [x])]
    if len(aspects) >= 2:
        lv = {a: level(a) for a in aspects}
        best, worst = max(lv, key=lambda a: lv[a][0]), min(lv, key=lambda a: lv[a][0])
        out.append(c.L(f"Of the aspects of the service, customers rate {c.name(best)} best ({lv[best][0]:.0f}; "
                       f"{pct(lv[best][1], 0)} in the top two points) and {c.name(worst)} worst ({lv[worst][0]:.0f}; "
                       f"{pct(lv[worst][1], 0)}).",
                       f"在服务的各个方面中，顾客对{c.name(best)}的评价最高（{lv[best][0]:.0f}，最高两档占 {pct(lv[best][1], 0)}），"
                       f"对{c.name(worst)}的评价最低（{lv[worst][0]:.0f}，最高两档占 {pct(lv[worst][1], 0)}）。"))
    if not c.status.proper:
        out.append(c.L("The model linking these ratings could not be estimated reliably, so no driver of loyalty is "
                       "named here; the technical appendix says why.",
                       "连接这些评价的模型未能得到可靠估计，因此这里不指出忠诚的驱动因素；原因见技术附录。"))
        return out
    sup = sorted([h for h in res.hypotheses if h.supported], key=lambda h: -abs(h.std_all))
    if sup:
        h = sup[0]
        out.append(c.L(f"The clearest link: customers who rate {c.name(h.from_)} higher also rate {c.name(h.to)} higher — "
                       f"a {_strength(c, h.std_all)} association ([@cohen1988]).",
                       f"最清晰的关联：对{c.name(h.from_)}评价越高的顾客，对{c.name(h.to)}的评价也越高，关联程度为"
                       f"{_strength(c, h.std_all)}（[@cohen1988]）。"))
    weak = weakest_item(c)
    if weak is not None:
        item = next(i for i in study.items if i.code == weak.code)
        text = item.text.get(c.lang) if item.text else weak.code
        out.append(c.L(f"Among the aspects the shop can act on, the weakest rated is “{text}” ({weak.performance:.0f} "
                       f"on 0–100; {pct(float(top_box[weak.code]), 0)} in the top two points).",
                       f"在网店可以改进的方面中，评价最低的一项是“{text}”（按 0–100 计为 {weak.performance:.0f}，"
                       f"最高两档占 {pct(float(top_box[weak.code]), 0)}）。"))
    return out


QUADRANT_WORDS = {"concentrate": ("concentrate here", "重点改进区"), "keep": ("keep up the good work", "继续保持区"),
                  "low": ("low priority", "次要改进区"), "overkill": ("possible overkill", "可能过度投入区")}
ASSOCIATION_EN = ("these are associations in cross-sectional data, so whether improving them raises {outcome} has to "
                  "be checked after the change (for example, by comparing ratings before and after it)")
ASSOCIATION_ZH = "上述结果只是横截面数据中的关联，改进能否提高{outcome}，需在实施改进后加以检验（如比较改进前后的评价）"


def _levers(c: Context, m: IPMA, order: list) -> str:
    """The management paragraph: the map's points by quadrant, those near a cut named, what to improve first,
    and that the map shows associations."""
    outcome = c.name(m.outcome)
    caveat = c.L(ASSOCIATION_EN.format(outcome=outcome), ASSOCIATION_ZH.format(outcome=outcome))
    if equal_importance(m):
        return c.L(
            "For management, the levers are the drivers, not the outcomes. They matter about equally, so the "
            "weakest rated come first: " + c.join([f"{_label(c, p.code)} (performance {p.performance:.1f}/100)"
                                                   for p in order]) + f"; {caveat}.",
            "管理者能够直接干预的是前因变量而非结果变量。各项重要性相近，按表现由低到高依次为"
            + c.join([f"{_label(c, p.code)}（表现 {p.performance:.1f}/100）" for p in order]) + f"；{caveat}。")
    groups_en, groups_zh = [], []
    for quadrant, (en, zh) in QUADRANT_WORDS.items():
        points = [p for p in order if p.quadrant == quadrant]
        if points:
            groups_en.append(f"{en}: " + c.join([f"{_label(c, p.code)} ({p.performance:.1f}/100)" for p in points]))
            groups_zh.append(f"{zh}为" + c.join([f"{_label(c, p.code)}（表现 {p.performance:.1f}）" for p in points]))
    text_en = ("For management, the levers are the drivers, not the outcomes. On the importance–performance map "
               "(performance out of 100), " + "; ".join(groups_en) + ".")
    text_zh = "管理者能够直接干预的是前因变量而非结果变量。按重要性—表现矩阵（表现满分 100），" + "；".join(groups_zh) + "。"
    near = [p for p in order if near_cut(m, p)]
    if near:
        text_en += (f" {c.join([_label(c, p.code) for p in near])} {'lies' if len(near) == 1 else 'lie'} close to a "
                    f"quadrant boundary (the means: importance {f3(m.importance_cut)}, performance "
                    f"{m.performance_cut:.1f}; within 5 % of the mean importance or one point of performance), so "
                    f"{'its' if len(near) == 1 else 'their'} quadrant is not firm.")
        text_zh += (f"其中{c.join([_label(c, p.code) for p in near])}接近象限分界（分界为均值：重要性 {f3(m.importance_cut)}，"
                    f"表现 {m.performance_cut:.1f}；相差不足平均重要性的 5% 或表现 1 分），其所属象限并不稳定。")
    first = [p for p in order if p.quadrant == "concentrate"]
    if first:
        text_en += f" Improving {c.join([_label(c, p.code) for p in first])} is the first candidate; {caveat}."
        text_zh += f"可优先考虑改进{c.join([_label(c, p.code) for p in first])}；但{caveat}。"
    else:
        text_en += (" No point combines above-average importance with below-average performance, so the task is to "
                    f"maintain the important ones; {caveat}.")
        text_zh += f"没有重要性高于平均而表现低于平均的项，重点在于保持重要项的现有水平；{caveat}。"
    return c.L(text_en, text_zh)


def action_list(c: Context) -> list[str]:
    """Prioritized actions from the drivers' importance–performance map, in the order of :func:`priorities`."""
    if not c.status.proper:
        return []
    found = main_map(c)
    if found is None:
        return []
    _, m = found
    equal = equal_importance(m)
    order = priorities(c)
    # to improve, in order; "keep up" and "possible overkill" are not improvements and follow unnumbered
    improve = order[:5] if equal else [p for p in order if p.quadrant in ("concentrate", "low")][:5]
    out = []
    for k, p in enumerate(improve, 1):
        if equal:
            why = c.L(f"rated {p.performance:.1f} on a 0–100 scale", f"评价按 0–100 计为 {p.performance:.1f}")
            if k == 1:
                why += c.L(f", the weakest; these aspects matter about equally for {c.name(m.outcome)}, so the weakest "
                           "rated comes first", f"，最弱；这些方面对{c.name(m.outcome)}的重要性相近，因此先改进评价最弱者")
        else:
            why = {"concentrate": c.L("important and rated below average: improve first", "重要而评价低于平均，优先改进"),
                   "low": c.L("less important and rated below average: improve later",
                              "重要性较低且评价低于平均，随后改进")}[p.quadrant]
            why += c.L(f" (rated {p.performance:.1f} on a 0–100 scale)", f"（评价按 0–100 计为 {p.performance:.1f}）")
        out.append(c.L(f"{k}. {_label(c, p.code)}: {why}.", f"{k}. {_label(c, p.code)}：{why}。"))
    if not equal:
        keep = [p for p in order if p.quadrant == "keep"]
        extra = [p for p in order if p.quadrant == "overkill"]
        if keep:
            out.append(c.L("Maintain: " + c.join([f"{_label(c, p.code)} (rated {p.performance:.1f})" for p in keep])
                           + ", important and rated well.",
                           "保持现有水平：" + c.join([f"{_label(c, p.code)}（评价 {p.performance:.1f}）" for p in keep])
                           + "，重要且评价较好。"))
        if extra:
            out.append(c.L("No extra investment: " + c.join([_label(c, p.code) for p in extra])
                           + ", rated well but less important.",
                           "不必追加投入：" + c.join([_label(c, p.code) for p in extra]) + "，评价较好但重要性较低。"))
    if out:
        outcome = c.name(m.outcome)
        out.append(c.L(f"These priorities rest on associations in one cross-sectional survey: whether improving them "
                       f"raises {outcome} has to be checked after the change (for example, by comparing ratings before "
                       "and after it).",
                       f"以上顺序依据一次横截面调查中的关联，改进能否提高{outcome}，需在实施改进后加以检验"
                       "（如比较改进前后的评价）。"))
    return out


def _items_of(c: Context, code: str) -> list[str]:
    from .scores import construct_items
    return construct_items(c.res.study, code)


def executive_summary(c: Context) -> list[str]:
    res = c.res
    scales = [k for k, v in res.measurement.constructs.items() if not v.second_order]
    weak = [k for k in scales if not res.measurement.constructs[k].alpha >= 0.70]
    k = len(scales)
    if not weak:
        consistent_en = (f"each of the {k} groups of questions gives consistent answers (customers answer the questions "
                         "of a group alike), so the ratings below are measured consistently")
        consistent_zh = f"{k} 组问题的作答均前后一致（同一组问题的回答相互吻合），下面的评价测量稳定"
    else:
        names_en, names_zh = c.join([c.name(x) for x in weak]), "、".join(c.name(x) for x in weak)
        consistent_en = (f"{k - len(weak)} of the {k} groups of questions give consistent answers; those on "
                         f"{names_en} do not, so the findings on {'it' if len(weak) == 1 else 'them'} are less certain")
        consistent_zh = f"{k} 组问题中有 {k - len(weak)} 组作答前后一致；{names_zh}的问题作答不够一致，相关结论把握较小"
    return [c.L(f"Based on {res.data.n_analysed} valid responses (of {res.data.n_raw} received): {consistent_en}. "
                "The technical appendix gives every statistic.",
                f"基于 {res.data.n_analysed} 份有效问卷（共回收 {res.data.n_raw} 份）：{consistent_zh}。全部统计结果见技术附录。")]


__all__ = ["action_list", "conclusions", "executive_summary", "implications", "ipma", "limitations", "main_map",
           "plain_findings", "priorities"]
