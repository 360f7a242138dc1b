"""The report's judgements, each decided once from the results and a stated rule.

Several sections speak about the same question — is the non-normality tolerable, is common-method
variance a concern, do the groups differ, can the structural model be read at all — and they must not
disagree. Each question is answered here by one function; the text, the tables and the limitations
read its answer and never re-decide.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..messages import Message
from ..pipeline import StudyResults
from .text import FIT_CRITERIA, fit_verdict

SKEW_LIMIT, KURTOSIS_LIMIT = 2.0, 7.0  # |G1| and |G2| beyond which ML is at risk (West, Finch & Curran 1995)
MARDIA_SEVERE_Z = 5.0  # multivariate kurtosis z (Bentler 2005)
HARMAN_LIMIT = 0.40  # first-factor share: a convention, not a rule of the test's authors
COLLINEAR_R = 0.95  # latent correlation that makes two constructs empirically one
COLLINEAR_HTMT = 0.90  # Henseler, Ringle & Sarstedt (2015)
WEAK_ALPHA = 0.60


@dataclass(frozen=True)
class Normality:
    """Univariate and multivariate normality, and whether a robust estimator is advised."""

    items_beyond: tuple[str, ...]  # |skewness| ≥ 2 or |kurtosis| ≥ 7
    max_skew: tuple[str, float]  # (item, |G1|)
    max_kurtosis: tuple[str, float]  # (item, |G2|)
    mardia_rejects: bool  # either Mardia test p < .05
    mardia_severe: bool  # multivariate kurtosis z > 5
    estimator: str
    robust_advised: bool  # a departure ML does not tolerate, and the study used plain ML
    robust_used: bool  # MLM, MLR or WLSMV was used

    @property
    def tolerable(self) -> bool:
        """ML estimates and tests can be read as they are."""
        return not (self.items_beyond or self.mardia_severe) or self.robust_used


def normality(res: StudyResults) -> Normality:
    t = res.measurement.items
    skew, kurt = t["skew_spss"].abs(), t["kurtosis_spss"].abs()
    beyond = tuple(sorted(set(skew[skew >= SKEW_LIMIT].index) | set(kurt[kurt >= KURTOSIS_LIMIT].index)))
    md = res.measurement.mardia
    severe = bool(abs(md.kurtosis) > MARDIA_SEVERE_Z)
    robust_used = res.estimator in ("MLM", "MLR", "WLSMV")
    return Normality(items_beyond=beyond, max_skew=(skew.idxmax(), float(skew.max())),
                     max_kurtosis=(kurt.idxmax(), float(kurt.max())),
                     mardia_rejects=bool(md.p_skew < 0.05 or md.p_kurt < 0.05), mardia_severe=severe,
                     estimator=res.estimator, robust_advised=bool((beyond or severe) and not robust_used),
                     robust_used=robust_used)


@dataclass(frozen=True)
class RobustPath:
    """One hypothesis path under ML and under MLR (the same estimate, Huber–White standard error)."""

    id: str
    se_ml: float
    p_ml: float
    se: float  # MLR
    z: float  # MLR
    pvalue: float  # MLR
    supported: bool  # right sign and MLR p < 0.05
    supported_ml: bool

    @property
    def changed(self) -> bool:
        return self.supported != self.supported_ml


def robust_paths(res: StudyResults) -> tuple[RobustPath, ...] | None:
    """The hypothesis paths with robust (MLR) standard errors, when the normality verdict advises a robust
    estimator that the study did not use and the check could be computed (plain ML, complete data, a proper
    model); None otherwise. The hypotheses stay judged by the study's ML test; this is the sensitivity check
    the text reports beside it."""
    check = res.robust_check
    if check is None or not res.sem_proper or not normality(res).robust_advised:
        return None
    est = check.estimates
    paths = est[est["op"] == "~"].set_index(["rhs", "lhs"])
    out = []
    for h in res.hypotheses:
        row = paths.loc[(h.from_, h.to)]
        right = (h.est > 0) == (h.sign == "+")
        out.append(RobustPath(id=h.id, se_ml=h.se, p_ml=h.pvalue, se=float(row["se"]), z=float(row["z"]),
                              pvalue=float(row["pvalue"]), supported=bool(right and row["pvalue"] < 0.05),
                              supported_ml=bool(h.supported)))
    return tuple(out)


@dataclass(frozen=True)
class MethodBias:
    """Common-method variance: Harman's share, the method-factor check, and the one verdict that section 4.6,
    the limitations and the class note repeat.

    Rules. Harman's single-factor test is only a weak screen: Podsakoff et al. (2003) call it insensitive and
    give no cut-off; the 40 % (and 50 %) limits are conventions (周浩 & 龙立荣 2004). The unmeasured latent
    method factor, when its model is proper, decides (its verdict: ``MethodFactorResult.present``, a
    boundary-corrected Δχ² and at least a small method loading); when it is improper or was not run,
    common-method variance cannot be ruled out — Harman's test alone cannot rule it out.
    """

    harman_share: float
    harman_beyond: bool  # the first factor explains 40 % or more (a convention)
    method_factor_run: bool  # the method-factor models were fitted
    method_factor_usable: bool  # … and converged to proper solutions
    method_variance: float | None  # average item variance explained by the method factor (usable only)
    substantive_variance: float | None
    at_boundary: bool  # the method loading is estimated at 0
    level: str  # "present" | "trivial" | "not-detected" | "cannot-rule-out"
    decided_by: str  # "method-factor" (when usable) or "harman"

    @property
    def serious(self) -> bool:
        """Common-method variance is present at a non-trivial level: the paths may be inflated."""
        return self.level == "present"

    def statement(self) -> Message:
        """The verdict in one clause (no final stop), the same words wherever it is repeated."""
        share = f"{100 * self.harman_share:.1f}%"
        if self.level == "present":
            mv, sv = f"{100 * self.method_variance:.1f}%", f"{100 * self.substantive_variance:.1f}%"
            return Message(
                f"common-method variance is present at a non-trivial level (the method factor explains {mv} of the item "
                f"variance, the constructs {sv}; Harman's first factor {share}), so the relations between the "
                "constructs may be inflated by it",
                f"存在不可忽视的共同方法变异（方法因子平均解释题项方差的 {mv}，构念解释 {sv}；Harman 检验第一个因子解释 {share}），"
                "构念之间的关系可能因此被夸大")
        if self.level == "trivial":
            mv = f"{100 * self.method_variance:.1f}%"
            return Message(f"the method factor detects only trivial common-method variance ({mv} of the item variance)",
                           f"方法因子仅发现微不足道的共同方法变异（解释 {mv} 的题项方差）")
        if self.level == "not-detected":
            mv = "about 0%" if self.at_boundary else f"{100 * self.method_variance:.1f}%"
            mv_zh = "约 0%" if self.at_boundary else f" {100 * self.method_variance:.1f}%"
            return Message(f"the method-factor check detects no common-method variance (the method factor explains {mv} "
                           "of the item variance)",
                           f"方法因子检验未发现共同方法变异（方法因子解释{mv_zh} 的题项方差）")
        why_en = ("the method-factor model has no proper solution" if self.method_factor_run else
                  "no method-factor check was made")
        why_zh = "方法因子模型未得到合理解" if self.method_factor_run else "未进行方法因子检验"
        return Message(f"common-method variance cannot be ruled out ({why_en}, and Harman's first factor, {share}, is "
                       "only a weak screen)",
                       f"不能排除共同方法偏差（{why_zh}，而 Harman 检验第一个因子解释 {share}，只是较弱的初步筛查）")


def method_bias(res: StudyResults) -> MethodBias:
    share = float(res.measurement.harman_share)
    mf = res.method_factor
    usable = mf is not None and mf.proper
    if usable:
        significant = (mf.pvalue_boundary if math.isfinite(mf.pvalue_boundary) else mf.pvalue_diff) < 0.05
        level = "present" if mf.present else "trivial" if significant and not mf.at_boundary else "not-detected"
    else:
        level = "cannot-rule-out"
    return MethodBias(harman_share=share, harman_beyond=share >= HARMAN_LIMIT, method_factor_run=mf is not None,
                      method_factor_usable=usable,
                      method_variance=float(mf.method_variance) if usable else None,
                      substantive_variance=float(mf.substantive_variance) if usable else None,
                      at_boundary=bool(usable and mf.at_boundary), level=level,
                      decided_by="method-factor" if usable else "harman")


@dataclass(frozen=True)
class GroupDifference:
    """What the multi-group comparison by one background question allows the text to say."""

    column: str
    metric_holds: bool | None  # equal loadings not rejected (None: not tested)
    paths_differ: bool | None  # the omnibus test of equal paths rejects
    differing_paths: tuple[dict, ...]  # single paths with |C.R.| > 1.96 ({from, to, group_1, group_2, critical_ratio})
    # the models (configural, metric, structural) without a proper solution: a verdict resting on one is None
    # and the per-path comparison (configural model) is not made
    not_proper: tuple[str, ...] = ()

    @property
    def moderation(self) -> bool:
        """The groups moderate the model's relations: measurement is comparable (metric invariance) and the
        omnibus test of equal paths rejects. Single significant paths without it are exploratory only."""
        return bool(self.metric_holds and self.paths_differ)


def group_differences(res: StudyResults) -> list[GroupDifference]:
    out = []
    for g in res.groups:
        tests = {t["model"]: t for t in g.tests}
        metric, structural = tests.get("metric"), tests.get("structural")
        d = g.differences
        # an improper or non-converged model is not a finding: neither are the tests and paths that rest on it
        bad = tuple(level for level, m in g.models.items() if not m.proper)
        if metric is not None and {"configural", "metric"} & set(bad):
            metric = None
        if structural is not None and {"metric", "structural"} & set(bad):
            structural = None
        paths = () if d is None or not len(d) or "configural" in bad else tuple(
            r.to_dict() for _, r in d[d["critical_ratio"].abs() > 1.96].iterrows())
        out.append(GroupDifference(column=g.column,
                                   metric_holds=None if metric is None or not testable(metric["pvalue"])
                                   else bool(metric["pvalue"] >= 0.05),
                                   paths_differ=None if structural is None or not testable(structural["pvalue"])
                                   else bool(structural["pvalue"] < 0.05),
                                   differing_paths=paths, not_proper=bad))
    return out


def testable(p: float | None) -> bool:
    """Whether a χ² difference test has a p-value. The Satorra–Bentler (2001) scaled difference has none when its
    scaling factor ĉ_d is negative (NaN, as in lavaan): the test is not computable, which is no verdict — not
    "not significant"."""
    return p is not None and math.isfinite(p)


NOT_COMPUTABLE = Message(
    "the scaled χ² difference test cannot be computed (its scaling factor is negative, [@satorra2001])",
    "校正 χ² 差异检验无法计算（其校正因子为负，[@satorra2001]）")


BORDERLINE_P = 0.10  # a Δχ² p in [0.05, 0.10) is called borderline, not "no difference"


@dataclass(frozen=True)
class BaselineFit:
    """Whether the unconstrained (configural) multi-group model that invariance and group comparisons rest on
    fits acceptably, by the fit section's own criteria (CFI ≥ 0.90, [@bentler1990; @hu1999]; RMSEA ≤ 0.08,
    [@browne1993; @hu1999]). When it does not, the later, constrained steps are hard to interpret."""

    misses: tuple[tuple[str, float, str], ...]  # (index label, value, acceptable criterion) that fail

    @property
    def poor(self) -> bool:
        return bool(self.misses)

    def statement(self) -> Message:
        parts = "，".join(f"{label} = {value:.3f}，标准为 {crit}" for label, value, crit in self.misses)
        parts_en = ", ".join(f"{label} = {value:.3f}, criterion {crit}" for label, value, crit in self.misses)
        keys = dict.fromkeys(key for label, _, _ in self.misses for k, lab, *_, src in FIT_CRITERIA if lab == label
                             for key in re.findall(r"@(\w+)", src))
        sources = "[" + "; ".join(f"@{k}" for k in keys) + "]"
        return Message(f"the configural (unconstrained) model fits poorly ({parts_en}; {sources})",
                       f"形态不变（未限定）模型本身拟合欠佳（{parts}；{sources}）")


def baseline_fit(fit: dict, robust: bool = False) -> BaselineFit:
    """Judge a configural model's fit (lavaan's names; the robust CFI/RMSEA with MLM/MLR)."""
    misses = []
    for key in ("cfi", "rmsea"):
        value = fit.get(f"{key}.robust" if robust else key)
        if value is None:
            continue
        crit, verdict = fit_verdict(key, value)
        if verdict == "poor":
            misses.append((next(label for k, label, *_ in FIT_CRITERIA if k == key), float(value), crit.split(" (")[0]))
    return BaselineFit(misses=tuple(misses))


def borderline(p: float | None) -> bool:
    """A Δχ² test that does not reject at 0.05 but would at 0.10: "borderline", not evidence of equality."""
    return p is not None and math.isfinite(p) and 0.05 <= p < BORDERLINE_P


@dataclass(frozen=True)
class ModelStatus:
    """Whether the structural model can be read, and if not, why (computed from the results) and what to try."""

    proper: bool
    converged: bool
    causes: tuple[Message, ...]
    remedies: tuple[Message, ...]


def model_status(res: StudyResults) -> ModelStatus:
    # a PLS-SEM study fits no covariance-based model: there are none of its estimates to withhold
    if res.sem_proper or res.sem is None:
        return ModelStatus(True, True, (), ())
    m = res.measurement
    causes, remedies = [], []
    if not res.sem.converged:
        causes.append(Message(f"the estimation stopped after {res.sem.iterations} iterations without converging",
                              f"估计迭代 {res.sem.iterations} 次后仍未收敛"))
    est = res.sem.estimates
    variances = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"])]
    negative = list(variances[variances["est"] < 0]["lhs"])
    if negative:
        causes.append(Message(f"negative variance of {', '.join(negative)} (a Heywood case)",
                              f"{'、'.join(negative)} 的方差为负（Heywood 现象）"))
    pairs = []
    if res.cfa.converged:
        r = res.cfa.latent_correlation()
        codes = [c for c in r.index if c in m.constructs]
        pairs = [(a, b, float(r.loc[a, b])) for i, a in enumerate(codes) for b in codes[i + 1:]
                 if abs(r.loc[a, b]) >= COLLINEAR_R]
    def en(code: str) -> str:
        return _name(res, code, "en")

    def zh(code: str) -> str:
        return _name(res, code, "zh")

    if pairs:
        causes.append(Message(
            "latent correlations near 1 in the measurement model: "
            + ", ".join(f"{en(a)} and {en(b)} (*r* = {v:.3f})" for a, b, v in pairs),
            "测量模型中潜变量相关接近 1：" + "，".join(f"{zh(a)}与{zh(b)}（*r* = {v:.3f}）" for a, b, v in pairs)))
    h = m.htmt
    high = [(a, b, float(h.loc[a, b])) for i, a in enumerate(h.index) for b in h.index[i + 1:]
            if h.loc[a, b] >= COLLINEAR_HTMT]
    if high and not pairs:
        causes.append(Message(
            "constructs that are hard to tell apart (HTMT ≥ 0.90): "
            + ", ".join(f"{en(a)} and {en(b)} ({v:.3f})" for a, b, v in high),
            "难以区分的构念（HTMT ≥ 0.90）：" + "，".join(f"{zh(a)}与{zh(b)}（{v:.3f}）" for a, b, v in high)))
    weak = [(k, c.alpha) for k, c in m.constructs.items() if not c.second_order and c.alpha < WEAK_ALPHA]
    if weak:
        causes.append(Message(
            "weakly measured constructs (α < 0.60): " + ", ".join(f"{en(k)} (α = {a:.3f})" for k, a in weak),
            "测量薄弱的构念（α < 0.60）：" + "，".join(f"{zh(k)}（α = {a:.3f}）" for k, a in weak)))
    lam = res.cfa.loadings()
    near0 = lam[lam["std_all"].abs() < 0.30]
    if res.cfa.converged and len(near0):
        causes.append(Message(
            "items that hardly load on their construct (|λ| < 0.30): "
            + ", ".join(f"{r.rhs} ({r.std_all:.3f})" for r in near0.itertuples()),
            "几乎不负荷于其构念的题项（|λ| < 0.30）：" + "，".join(f"{r.rhs}（{r.std_all:.3f}）" for r in near0.itertuples())))
    if pairs or high:
        remedies.append(Message("merge or drop one of each pair of constructs that cannot be told apart, or "
                                "re-think whether they are distinct concepts",
                                "合并或删去难以区分的构念之一，或重新考虑它们在概念上是否确实不同"))
    if weak or len(near0):
        remedies.append(Message("check the wording and coding of the weak items and re-estimate without those "
                                "that do not measure their construct", "检查薄弱题项的措辞与计分，删去不能测量其构念的题项后重新估计"))
    remedies.append(Message("simplify the structural model (fewer paths among highly correlated constructs), or "
                            "estimate it with PLS-SEM, which does not require a proper covariance solution",
                            "简化结构模型（减少高度相关构念之间的路径），或改用不要求协方差解合理的 PLS-SEM 估计"))
    return ModelStatus(proper=False, converged=bool(res.sem.converged), causes=tuple(causes),
                       remedies=tuple(remedies))


def _name(res: StudyResults, code: str, lang: str) -> str:
    try:
        return res.study.construct(code).label(lang)
    except StopIteration:
        return code


def efa_factor_names(study, loadings, flags) -> dict[str, str]:
    """Each EFA factor named after the construct most of whose items load on it, each construct at most once
    (the largest counts first; ties in the questionnaire's order), so two factors never share a name; a factor
    no construct claims keeps its own name."""
    construct_of = {i.code: c.code for c in study.first_order for i in c.items}
    order = [c.code for c in study.first_order]
    columns = list(loadings.columns)
    counts = [(-sum(1 for i in flags.index[flags["primary"] == f] if construct_of.get(i) == code),
               order.index(code), columns.index(f), f, code) for f in columns for code in order]
    names, taken = {f: f for f in columns}, set()
    for negative, _, _, f, code in sorted(counts):
        if negative < 0 and names[f] == f and code not in taken:
            names[f] = code
            taken.add(code)
    return names


@dataclass(frozen=True)
class Measurement:
    """Whether the scales measure what they should: the facts the validity text and the conclusions share."""

    cfa_proper: bool
    low_alpha: tuple[str, ...]  # α < 0.70
    convergent_failures: tuple[str, ...]  # CR < 0.70 or AVE < 0.50 (proper CFA only)
    fornell_larcker_failures: tuple[tuple[str, str, float], ...]  # (a, b, |r|) with r above a √AVE
    htmt_high: tuple[tuple[str, str, float], ...]  # HTMT ≥ 0.85
    misloaded: tuple[tuple[str, str, str], ...]  # (item, its construct, the construct whose factor it loads on)

    @property
    def discriminant_ok(self) -> bool:
        return self.cfa_proper and not self.fornell_larcker_failures and not self.htmt_high

    @property
    def convergent_ok(self) -> bool:
        return self.cfa_proper and not self.convergent_failures


def measurement(res: StudyResults) -> Measurement:
    m = res.measurement
    first = {k: v for k, v in m.constructs.items() if not v.second_order}
    low = tuple(k for k, v in first.items() if v.alpha < 0.70)
    conv = tuple(k for k, v in m.constructs.items()
                 if not (finite(v.cr) and v.cr >= 0.70 and finite(v.ave) and v.ave >= 0.50)) if res.cfa.proper else ()
    fl = m.fornell_larcker
    fails = []
    for i, a in enumerate(fl.index):
        for b in fl.index[:i]:
            r = abs(fl.loc[a, b])
            if r > fl.loc[a, a] or r > fl.loc[b, b]:
                fails.append((b, a, float(r)))
    h = m.htmt
    high = tuple((a, b, float(h.loc[a, b])) for i, a in enumerate(h.index) for b in h.index[i + 1:]
                 if h.loc[a, b] >= 0.85)
    names = efa_factor_names(res.study, m.efa.loadings, m.efa_flags)
    construct_of = {i.code: c.code for c in res.study.first_order for i in c.items}
    mis = []
    for item, row in m.efa_flags.iterrows():
        owner, factor = construct_of.get(item), names.get(row["primary"], row["primary"])
        if owner and factor in construct_of.values() and factor != owner:
            mis.append((item, owner, factor))
    return Measurement(cfa_proper=bool(res.cfa.proper), low_alpha=low, convergent_failures=conv,
                       fornell_larcker_failures=tuple(fails), htmt_high=high, misloaded=tuple(mis))


def finite(x) -> bool:
    return x is not None and isinstance(x, (int, float, np.floating)) and math.isfinite(x)
