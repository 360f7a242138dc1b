"""Group differences (差异分析): does a construct score differ between the groups of a background question?

Two groups: Student's and Welch's t-test, Levene's test (mean- and median-centred), the mean difference
with its 95 % CI, Cohen's d and Hedges' g, and the Mann–Whitney U test with the rank-biserial r.
Three or more groups: one-way ANOVA with η² and ω², Welch's and Brown–Forsythe's F, post-hoc pairs
(Tukey HSD, Games–Howell, Bonferroni, LSD, Scheffé), the Kruskal–Wallis test with ε² and Dunn's pairs,
and a linear trend contrast when the levels are ordered.

The statistic functions take ``samples``: a mapping of group name → values (complete, numeric), in the
order the groups should appear. :func:`group_difference` takes one outcome and one grouping question as
answered, applies the guards (missing answers counted, empty levels, groups below the minimum size,
constant outcomes) and runs what fits. Every figure equals R (``t.test``, ``oneway.test``, ``aov`` +
``TukeyHSD``, ``emmeans``, ``kruskal.test``, ``wilcox.test``, ``car::leveneTest``, ``rstatix``,
``effectsize``); see ``tests/reference/make_differences_reference.R``.

Engine: pingouin where it computes what SPSS and R compute; own code where it has no such statistic
(ω², Brown–Forsythe, pooled-variance Bonferroni/LSD/Scheffé, Dunn, trend contrast, post-hoc CIs) or
differs from R (Hedges' exact correction, R's rule for the exact Mann–Whitney p), with the reason beside it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from .._deferred_imports import pingouin as _import_pingouin
from ..messages import Message, in_language
from . import studentized_range

pg = _import_pingouin()  # without matplotlib and seaborn, which only its plots use (about 1 s of CPU)

__all__ = [
    "Levene", "TTest", "TwoGroupTest", "MannWhitney", "FTest", "Anova", "PostHoc", "KruskalWallis", "Trend",
    "GroupDifference", "levene_test", "two_group_test", "mann_whitney", "oneway_anova", "welch_anova",
    "brown_forsythe", "posthoc_test", "kruskal_wallis", "dunn_test", "linear_trend", "group_difference",
    "POSTHOC_METHODS", "NONPARAMETRIC_OPTIONS",
]

POSTHOC_METHODS = ("auto", "tukey", "games-howell", "bonferroni", "lsd", "scheffe")
NONPARAMETRIC_OPTIONS = ("auto", "always", "never")
ALPHA = 0.05
# Normality judged from the skewness and excess kurtosis of the outcome in each group: |skew| ≥ 2 or
# |kurtosis| ≥ 7 is "substantial" non-normality (West, Finch & Curran 1995); the domain's thresholds.
SKEW_LIMIT, KURTOSIS_LIMIT = 2.0, 7.0
NORMALITY_SOURCE = "West, Finch & Curran (1995)"


# --------------------------------------------------------------------------
# result objects
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Levene:
    """Levene's test of equal variances. ``center="mean"`` is Levene (1960) as SPSS reports it;
    ``center="median"`` is Brown & Forsythe's (1974) variant, the default of R's ``car::leveneTest``."""

    center: str
    statistic: float  # F
    df1: int
    df2: int
    pvalue: float


@dataclass(frozen=True)
class TTest:
    """One form of the independent-samples t-test of group 1 − group 2."""

    kind: str  # "student" (equal variances assumed) or "welch"
    t: float
    df: float
    pvalue: float
    difference: float  # mean 1 − mean 2
    se: float
    ci_lower: float  # 95 % CI of the difference
    ci_upper: float


@dataclass(frozen=True)
class TwoGroupTest:
    """Both t-tests of two groups and the standardized mean difference (pooled SD)."""

    student: TTest
    welch: TTest
    cohen_d: float
    hedges_g: float


@dataclass(frozen=True)
class MannWhitney:
    """Mann–Whitney U of group 1 (R's ``W``) with the rank-biserial correlation r = 2U/(n₁n₂) − 1."""

    u: float
    pvalue: float
    rank_biserial: float
    exact: bool  # exact distribution (no ties, both groups < 50, as R) or normal approximation


@dataclass(frozen=True)
class FTest:
    kind: str  # "anova", "welch" or "brown-forsythe"
    f: float
    df1: float
    df2: float
    pvalue: float


@dataclass(frozen=True)
class Anova:
    """Classic one-way ANOVA with its effect sizes."""

    f_test: FTest
    ss_between: float
    ss_within: float
    ms_within: float
    eta2: float
    omega2: float


@dataclass(frozen=True)
class PostHoc:
    """Pairwise comparisons: columns a, b, difference (mean a − mean b), se, statistic, df, pvalue
    (adjusted by the method), ci_lower, ci_upper (95 %, simultaneous as the method makes them)."""

    method: str  # tukey, games-howell, bonferroni, lsd, scheffe
    table: pd.DataFrame
    chosen_by: str = "user"  # "user", or "levene" when auto picked the method from Levene's test


@dataclass(frozen=True)
class KruskalWallis:
    h: float  # corrected for ties, as R's kruskal.test
    df: int
    pvalue: float
    epsilon2: float  # H / ((n² − 1)/(n + 1)), as effectsize::rank_epsilon_squared


@dataclass(frozen=True)
class Trend:
    """Linear trend contrast over ordered groups, with orthonormal polynomial coefficients over the
    levels' positions (R's ``contr.poly(k, scores)``; SPSS ONEWAY /POLYNOMIAL=1, unweighted term)."""

    estimate: float  # Σ cᵢ Mᵢ, positive when the means rise with the level
    se: float
    t: float
    df: float  # N − k; Welch–Satterthwaite df when equal variances are not assumed
    pvalue: float
    scores: tuple[float, ...]
    equal_var: bool = True  # pooled error (SPSS's "assume equal variances" row) or each group's own variance


@dataclass(frozen=True)
class GroupDifference:
    """Everything about one outcome by one grouping question.

    ``groups`` has one row per level that somebody chose (index: level code) with n, mean, sd, se, the
    95 % CI of the mean, skewness, kurtosis and ``included`` (False: fewer than ``min_group_size``).
    When ``skipped`` is set, no test was run and it says why; the other statistics are None.
    """

    outcome: str
    grouping: str
    groups: pd.DataFrame
    min_group_size: int
    n_missing_outcome: int = 0  # respondents in a group without an outcome score
    n_missing_group: int = 0  # respondents without an answer to the grouping question
    n_unknown_group: int = 0  # answers that are none of the question's levels
    empty_levels: tuple[str, ...] = ()  # levels nobody chose: not groups
    small_groups: tuple[str, ...] = ()  # groups left out of the tests (below min_group_size)
    constant_groups: tuple[str, ...] = ()  # included groups in which everybody has the same score
    skipped: Message | None = None
    levene_mean: Levene | None = None
    levene_median: Levene | None = None
    levene_center: str = "mean"  # which Levene decides equal_variances
    equal_variances: bool | None = None
    normal: bool | None = None  # no included group with |skew| ≥ 2 or |kurtosis| ≥ 7
    t_test: TwoGroupTest | None = None
    mann_whitney: MannWhitney | None = None
    anova: Anova | None = None
    welch: FTest | None = None
    brown_forsythe: FTest | None = None
    posthoc: PostHoc | None = None
    kruskal: KruskalWallis | None = None
    dunn: pd.DataFrame | None = None
    trend: Trend | None = None
    nonparametric: str = "auto"
    notes: tuple[Message, ...] = field(default_factory=tuple)

    @cached_property
    def levels(self) -> tuple[str, ...]:
        """The groups that entered the tests, in order (asked for thousands of times by the report)."""
        return tuple(self.groups.index[self.groups["included"]])

    @property
    def kind(self) -> str | None:
        """"t" (two groups), "anova" (three or more) or None (skipped)."""
        if self.skipped is not None:
            return None
        return "t" if len(self.levels) == 2 else "anova"

    @property
    def test(self) -> TTest | FTest | None:
        """The parametric test to read: Student's t or the ANOVA F when the variances may be taken as
        equal, Welch's otherwise (Welch's F, or Brown–Forsythe's when Welch's cannot be computed)."""
        if self.kind == "t":
            return self.t_test.student if self.equal_variances else self.t_test.welch
        if self.kind == "anova":
            if self.equal_variances:
                return self.anova.f_test
            return self.welch or self.brown_forsythe
        return None

    @property
    def effect_size(self) -> tuple[str, float] | None:
        """("d", Cohen's d) for two groups, ("eta2", η²) for more."""
        if self.kind == "t":
            return "d", self.t_test.cohen_d
        if self.kind == "anova":
            return "eta2", self.anova.eta2
        return None

    @property
    def nonparametric_test(self) -> MannWhitney | KruskalWallis | None:
        return self.mann_whitney if self.kind == "t" else self.kruskal

    @property
    def show_nonparametric(self) -> bool:
        """Whether the rank test belongs in the report: always, or (auto) when normality fails."""
        if self.nonparametric_test is None:
            return False
        return self.nonparametric == "always" or (self.nonparametric == "auto" and self.normal is False)

    @property
    def significant(self) -> bool | None:
        test = self.test
        return None if test is None or not np.isfinite(test.pvalue) else bool(test.pvalue < ALPHA)


# --------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------
def _samples(samples: Mapping, minimum_groups: int, minimum_n: int = 2) -> dict[str, np.ndarray]:
    """Validate a mapping of group → values and return it as float arrays, keys as strings."""
    if not isinstance(samples, Mapping):
        raise TypeError(f"samples must be a mapping of group name to values, got {type(samples).__name__}")
    out = {}
    for name, values in samples.items():
        x = np.asarray(values, dtype=float).ravel()
        if x.size and not np.isfinite(x).all():
            raise ValueError(f"group {name!r}: missing or infinite values; pass complete values only")
        if x.size < minimum_n:
            raise ValueError(f"group {name!r} has {x.size} value(s); at least {minimum_n} are needed")
        out[str(name)] = x
    if len(out) < minimum_groups:
        raise ValueError(f"{len(out)} group(s) given; at least {minimum_groups} are needed")
    return out


def _long(samples: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long data for pingouin; the group column is categorical so pingouin keeps the given order."""
    names = list(samples)
    codes = np.repeat(np.arange(len(names)), [samples[k].size for k in names])  # codes, not texts: linear and fast
    return pd.DataFrame({
        "y": np.concatenate([samples[k] for k in names]),
        "g": pd.Categorical.from_codes(codes, categories=names, ordered=True),
    })


def _within(samples: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, int]:
    n = np.array([x.size for x in samples.values()], dtype=float)
    mean = np.array([x.mean() for x in samples.values()])
    var = np.array([x.var(ddof=1) for x in samples.values()])
    df = int(n.sum() - len(n))
    return n, mean, var, float(((n - 1) * var).sum() / df), df


# --------------------------------------------------------------------------
# two groups
# --------------------------------------------------------------------------
def levene_test(samples: Mapping, center: str = "mean") -> Levene:
    """Levene's test of equal variances: the one-way ANOVA F of |yᵢⱼ − centreᵢ|.

    Parameters
    ----------
    samples : mapping of group → values
    center : {"mean", "median"}
        "mean" is Levene (1960), what SPSS prints; "median" is the Brown & Forsythe (1974) variant that
        R's ``car::leveneTest`` uses by default.

    Returns
    -------
    Levene
        F with df₁ = k − 1, df₂ = N − k, and its p-value.

    Examples
    --------
    >>> levene_test({"a": [1, 2, 3, 4], "b": [2, 4, 6, 9]}, center="median").df2
    6
    """
    if center not in ("mean", "median"):
        raise ValueError(f"center must be 'mean' or 'median', got {center!r}")
    s = _samples(samples, 2)
    n = sum(x.size for x in s.values())
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the samples as a dict: pingouin's long form turns every group into a Python list first
        res = pg.homoscedasticity(s, method="levene", center=center)
    return Levene(center, float(res["W"].iloc[0]), len(s) - 1, n - len(s), float(res["pval"].iloc[0]))


def _hedges_correction(df: float) -> float:
    # Exact small-sample correction J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)) (Hedges 1981), as R's
    # effectsize::hedges_g; pingouin uses the approximation 1 − 3/(4(n₁+n₂) − 9).
    return float(np.exp(gammaln(df / 2) - np.log(np.sqrt(df / 2)) - gammaln((df - 1) / 2)))


def two_group_test(samples: Mapping) -> TwoGroupTest:
    """Independent-samples t-test of group 1 − group 2 in both forms, with Cohen's d and Hedges' g.

    Student: t = (M₁ − M₂) / (s_p √(1/n₁ + 1/n₂)), df = n₁ + n₂ − 2.
    Welch: t = (M₁ − M₂) / √(s₁²/n₁ + s₂²/n₂), Welch–Satterthwaite df.
    d = (M₁ − M₂) / s_p (Cohen 1988); g = d · J(n₁ + n₂ − 2), J the exact correction of Hedges (1981).

    Examples
    --------
    >>> r = two_group_test({"m": [3, 4, 5, 4], "f": [5, 6, 5, 7]})
    >>> round(r.student.t, 3), round(r.cohen_d, 3)
    (-2.782, -1.967)
    """
    s = _samples(samples, 2)
    if len(s) != 2:
        raise ValueError(f"two groups are needed, got {len(s)}")
    x, y = s.values()
    forms = {}
    n1, n2, v1, v2 = x.size, y.size, x.var(ddof=1), y.var(ddof=1)
    pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    errors = {"student": np.sqrt(pooled * (1 / n1 + 1 / n2)), "welch": np.sqrt(v1 / n1 + v2 / n2)}
    for kind, correction in (("student", False), ("welch", True)):
        with warnings.catch_warnings():  # SciPy warns on a constant group, which group_difference reports
            warnings.simplefilter("ignore", RuntimeWarning)
            res = pg.ttest(x, y, correction=correction)
        t, df, p = float(res["T"].iloc[0]), float(res["dof"].iloc[0]), float(res["p_val"].iloc[0])
        # pingouin rounds its CI to two decimals, so the interval is computed here from its t and df
        diff, se = float(x.mean() - y.mean()), float(errors[kind])
        half = float(stats.t.ppf(0.975, df) * se)
        forms[kind] = TTest(kind, t, df, p, diff, se, diff - half, diff + half)
    d = float(pg.compute_effsize(x, y, paired=False, eftype="cohen"))
    return TwoGroupTest(forms["student"], forms["welch"], d, d * _hedges_correction(x.size + y.size - 2))


def mann_whitney(samples: Mapping) -> MannWhitney:
    """Mann–Whitney U test (Wilcoxon rank-sum) of group 1 against group 2, two-sided.

    U is group 1's (R's ``W``); r = 2U/(n₁n₂) − 1 is the rank-biserial correlation (Glass 1965;
    positive when group 1 tends to score higher). The p-value is exact when there are no ties and both
    groups have fewer than 50 values, else from the normal approximation with tie and continuity
    corrections — R's ``wilcox.test`` rule (SciPy's own 'auto' rule differs).

    Examples
    --------
    >>> round(mann_whitney({"a": [1, 2, 3, 4], "b": [5, 6, 7, 8]}).rank_biserial, 3)
    -1.0
    """
    s = _samples(samples, 2, minimum_n=1)
    if len(s) != 2:
        raise ValueError(f"two groups are needed, got {len(s)}")
    x, y = s.values()
    ties = np.unique(np.concatenate([x, y])).size < x.size + y.size
    exact = not ties and x.size < 50 and y.size < 50
    # SciPy's test, the one pingouin's mwu wraps (same U and p): pingouin's mwu also builds the n1 x n2 matrix
    # of differences for its common-language effect size, quadratic in memory (51 GB for 200,000 respondents)
    res = stats.mannwhitneyu(x, y, use_continuity=True, alternative="two-sided",
                             method="exact" if exact else "asymptotic")
    u = float(res.statistic)
    return MannWhitney(u, float(res.pvalue), 2 * u / (x.size * y.size) - 1, exact)


# --------------------------------------------------------------------------
# three or more groups
# --------------------------------------------------------------------------
def oneway_anova(samples: Mapping) -> Anova:
    """Classic one-way ANOVA with η² = SS_between / SS_total and
    ω² = (SS_between − (k − 1) MS_within) / (SS_total + MS_within) (Hays 1963; Olejnik & Algina 2003),
    0 when negative (as R's effectsize).

    Examples
    --------
    >>> a = oneway_anova({"1": [1, 2, 3], "2": [2, 3, 4], "3": [5, 6, 7]})
    >>> round(a.f_test.f, 3), round(a.eta2, 3)
    (13.0, 0.812)
    """
    s = _samples(samples, 2)
    with warnings.catch_warnings():  # pingouin 0.7 calls a pandas method deprecated in pandas 3.1
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        res = pg.anova(_long(s), dv="y", between="g", detailed=True)
    ss_b, ss_w = float(res["SS"].iloc[0]), float(res["SS"].iloc[1])
    df_b, df_w = int(res["DF"].iloc[0]), int(res["DF"].iloc[1])
    ms_w = ss_w / df_w
    f = float(res["F"].iloc[0])
    p = float(res["p_unc"].iloc[0])
    # pingouin has no ω²; η² is its np2 in a one-way design, computed here from the same sums of squares.
    # A negative ω² estimates a zero effect and is reported as 0, as R's effectsize::omega_squared does.
    total = ss_b + ss_w
    return Anova(FTest("anova", f, df_b, df_w, p), ss_b, ss_w, ms_w, ss_b / total,
                 max(0.0, (ss_b - df_b * ms_w) / (total + ms_w)))


def welch_anova(samples: Mapping) -> FTest:
    """Welch's (1951) heteroscedastic one-way ANOVA, R's ``oneway.test(var.equal = FALSE)``.

    Needs a positive variance in every group (the weights are nᵢ / sᵢ²).
    """
    s = _samples(samples, 2)
    zero = [k for k, x in s.items() if np.ptp(x) == 0]
    if zero:
        raise ValueError("Welch's ANOVA needs variation in every group; constant in: " + ", ".join(zero))
    res = pg.welch_anova(_long(s), dv="y", between="g")
    return FTest("welch", float(res["F"].iloc[0]), float(res["ddof1"].iloc[0]), float(res["ddof2"].iloc[0]),
                 float(res["p_unc"].iloc[0]))


def brown_forsythe(samples: Mapping) -> FTest:
    """Brown & Forsythe's (1974) F* test of equal means under unequal variances (SPSS ONEWAY
    /STATISTICS BROWNFORSYTHE). pingouin has none, so it is computed here:

    F* = Σ nᵢ (Mᵢ − M)² / Σ (1 − nᵢ/N) sᵢ², df₁ = k − 1,
    df₂ = 1 / Σ cᵢ² / (nᵢ − 1) with cᵢ = (1 − nᵢ/N) sᵢ² / Σⱼ (1 − nⱼ/N) sⱼ².

    Not to be confused with the Brown–Forsythe test of equal *variances* (Levene's test with the
    median, :func:`levene_test`).
    """
    s = _samples(samples, 2)
    n, mean, var, _, _ = _within(s)
    big_n = n.sum()
    grand = (n * mean).sum() / big_n
    weighted = (1 - n / big_n) * var
    if weighted.sum() <= 0:
        raise ValueError("the Brown–Forsythe test needs variation within the groups")
    f = float((n * (mean - grand) ** 2).sum() / weighted.sum())
    c = weighted / weighted.sum()
    df2 = float(1 / (c ** 2 / (n - 1)).sum())
    df1 = len(n) - 1
    return FTest("brown-forsythe", f, df1, df2, float(stats.f.sf(f, df1, df2)))


@lru_cache(maxsize=1024)
def _q_critical(k: int, df: float) -> float:
    # Tukey pairs share one df, and a study's outcomes share k and df: each (k, df) is solved once.
    return studentized_range.ppf(1 - ALPHA, k, df)


def posthoc_test(samples: Mapping, method: str = "tukey") -> PostHoc:
    """Pairwise comparisons after a one-way ANOVA, every pair a − b in the order of ``samples``.

    - ``tukey``: Tukey–Kramer HSD, se = √(MS_within (1/nₐ + 1/n_b)), p from the studentized range of
      √2·|t| on (k, N − k), CI diff ± q(.95; k, N − k)/√2 · se (R's ``TukeyHSD``, pingouin's
      ``pairwise_tukey``).
    - ``games-howell``: se = √(sₐ²/nₐ + s_b²/n_b) and Welch df per pair (Games & Howell 1976; pingouin's
      ``pairwise_gameshowell``), CI as rstatix: diff ± q(.95; k, dfᵢⱼ)/√2 · se.
    - ``lsd``, ``bonferroni``, ``scheffe``: t = diff / √(MS_within (1/nₐ + 1/n_b)), df = N − k, as SPSS
      and R's ``emmeans`` on the ANOVA model. pingouin's ``pairwise_tests`` uses a separate t-test per pair
      instead of the ANOVA's pooled MS_within, so these are computed here. LSD: unadjusted; Bonferroni:
      p·m, CI at 1 − .05/m (m pairs); Scheffé: p from F = t²/(k − 1) on (k − 1, N − k), CI
      diff ± √((k − 1) F(.95; k − 1, N − k)) · se.

    Returns a :class:`PostHoc` whose ``statistic`` column is t (q/√2 for Tukey and Games–Howell, as
    pingouin's T).
    """
    if method not in POSTHOC_METHODS or method == "auto":
        raise ValueError(f"method must be one of {', '.join(POSTHOC_METHODS[1:])}, got {method!r}")
    s = _samples(samples, 2)
    names = list(s)
    k = len(names)
    a_idx, b_idx = np.triu_indices(k, k=1)
    n, mean, var, ms_w, df_w = _within(s)
    diff = mean[a_idx] - mean[b_idx]
    if method in ("tukey", "games-howell"):
        # pingouin's pairwise_tukey and pairwise_gameshowell compute these same formulas, but their p-values
        # take ~20 ms per pair from SciPy's studentized range; .studentized_range gives the same to 1e-11 in
        # ~1 ms, and the 95 % intervals (which pingouin does not give) need its quantile too.
        if method == "tukey":
            se = np.sqrt(ms_w * (1 / n[a_idx] + 1 / n[b_idx]))
            df = np.full(len(diff), float(df_w))
        else:
            v = var / n
            se = np.sqrt(v[a_idx] + v[b_idx])
            with np.errstate(divide="ignore", invalid="ignore"):  # two constant groups: no df, row left empty
                df = (v[a_idx] + v[b_idx]) ** 2 / (v[a_idx] ** 2 / (n[a_idx] - 1) + v[b_idx] ** 2 / (n[b_idx] - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = diff / se
        ok = np.isfinite(stat) & np.isfinite(df)
        p = np.full(len(diff), np.nan)
        q_crit = np.full(len(diff), np.nan)
        for i in np.flatnonzero(ok):
            p[i] = studentized_range.sf(np.sqrt(2) * abs(stat[i]), k, df[i])[0]
            q_crit[i] = _q_critical(k, float(df[i]))
        half = q_crit / np.sqrt(2) * se
    else:
        se = np.sqrt(ms_w * (1 / n[a_idx] + 1 / n[b_idx]))
        stat = diff / se
        df = np.full(len(diff), float(df_w))
        m = len(diff)
        if method == "lsd":
            p = 2 * stats.t.sf(np.abs(stat), df_w)
            half = stats.t.ppf(1 - ALPHA / 2, df_w) * se
        elif method == "bonferroni":
            p = np.minimum(1.0, m * 2 * stats.t.sf(np.abs(stat), df_w))
            half = stats.t.ppf(1 - ALPHA / (2 * m), df_w) * se
        else:  # Scheffé (1953)
            p = stats.f.sf(stat ** 2 / (k - 1), k - 1, df_w)
            half = np.sqrt((k - 1) * stats.f.ppf(1 - ALPHA, k - 1, df_w)) * se
    table = pd.DataFrame({"a": [names[i] for i in a_idx], "b": [names[i] for i in b_idx], "difference": diff,
                          "se": se, "statistic": stat, "df": df, "pvalue": np.clip(p, 0, 1),
                          "ci_lower": diff - half, "ci_upper": diff + half})
    return PostHoc(method, table)


def kruskal_wallis(samples: Mapping) -> KruskalWallis:
    """Kruskal–Wallis H test (tie-corrected, as R's ``kruskal.test``; pingouin's ``kruskal``) with
    ε² = H / ((n² − 1)/(n + 1)) (Tomczak & Tomczak 2014; effectsize::rank_epsilon_squared)."""
    s = _samples(samples, 2, minimum_n=1)
    res = pg.kruskal(_long(s), dv="y", between="g")
    h = float(res["H"].iloc[0])
    n = sum(x.size for x in s.values())
    return KruskalWallis(h, int(res["ddof1"].iloc[0]), float(res["p_unc"].iloc[0]), h / ((n ** 2 - 1) / (n + 1)))


def dunn_test(samples: Mapping, p_adjust: str = "holm") -> pd.DataFrame:
    """Dunn's (1964) pairwise test of mean ranks after Kruskal–Wallis (pingouin has none):

    z = (R̄ₐ − R̄_b) / √((N(N + 1)/12 − Σ(t³ − t)/(12(N − 1))) (1/nₐ + 1/n_b)),

    ranks over all groups, t the sizes of tied groups; two-sided p from the normal distribution,
    adjusted by ``p_adjust`` (pingouin's ``multicomp``: "holm", "bonf", "none"), as rstatix's
    ``dunn_test``. Columns: a, b, mean_rank_a, mean_rank_b, z, p_unadjusted, pvalue.
    """
    s = _samples(samples, 2, minimum_n=1)
    names = list(s)
    values = np.concatenate(list(s.values()))
    ranks = stats.rankdata(values)
    sizes = np.array([x.size for x in s.values()])
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    mean_rank = np.array([ranks[bounds[i]:bounds[i + 1]].mean() for i in range(len(names))])
    big_n = values.size
    _, tie_sizes = np.unique(values, return_counts=True)
    spread = big_n * (big_n + 1) / 12 - (tie_sizes ** 3 - tie_sizes).sum() / (12 * (big_n - 1))
    a_idx, b_idx = np.triu_indices(len(names), k=1)
    z = (mean_rank[a_idx] - mean_rank[b_idx]) / np.sqrt(spread * (1 / sizes[a_idx] + 1 / sizes[b_idx]))
    p = 2 * stats.norm.sf(np.abs(z))
    adjusted = p if p_adjust == "none" else pg.multicomp(p, method=p_adjust)[1]
    return pd.DataFrame({"a": [names[i] for i in a_idx], "b": [names[i] for i in b_idx],
                         "mean_rank_a": mean_rank[a_idx], "mean_rank_b": mean_rank[b_idx], "z": z,
                         "p_unadjusted": p, "pvalue": adjusted})


def linear_trend(samples: Mapping, scores: Sequence[float] | None = None, equal_var: bool = True) -> Trend:
    """Linear trend contrast over groups in their order (pingouin has none).

    c = the linear orthonormal polynomial over ``scores`` (default 1, 2, …, k; R's ``contr.poly``),
    L = Σ cᵢ Mᵢ, SE = √(MS_within Σ cᵢ²/nᵢ), t = L / SE on N − k df (F = t² is SPSS's unweighted
    linear term). With ``equal_var=False`` (Levene's test rejected): SE = √(Σ cᵢ² sᵢ²/nᵢ) on the
    Welch–Satterthwaite df (Σ cᵢ² sᵢ²/nᵢ)² / Σ (cᵢ² sᵢ²/nᵢ)²/(nᵢ − 1), SPSS ONEWAY's contrast test that
    "does not assume equal variances".
    """
    s = _samples(samples, 2)
    n, mean, var, ms_w, df_w = _within(s)
    x = np.arange(1, len(n) + 1, dtype=float) if scores is None else np.asarray(scores, dtype=float)
    if x.size != len(n) or np.ptp(x) == 0:
        raise ValueError("scores: one distinct number per group is needed")
    c = (x - x.mean()) / np.linalg.norm(x - x.mean())
    estimate = float((c * mean).sum())
    if equal_var:
        se, df = float(np.sqrt(ms_w * (c ** 2 / n).sum())), float(df_w)
    else:
        parts = c ** 2 * var / n
        se = float(np.sqrt(parts.sum()))
        df = float(parts.sum() ** 2 / (parts ** 2 / (n - 1)).sum())
    t = estimate / se
    return Trend(estimate, se, t, df, float(2 * stats.t.sf(abs(t), df)), tuple(float(v) for v in x), equal_var)


# --------------------------------------------------------------------------
# one outcome by one grouping question, with the guards
# --------------------------------------------------------------------------
def _describe(y: np.ndarray) -> dict:
    n = y.size
    mean = float(y.mean()) if n else np.nan
    sd = float(y.std(ddof=1)) if n > 1 else np.nan
    se = sd / np.sqrt(n) if n > 1 else np.nan
    half = stats.t.ppf(0.975, n - 1) * se if n > 1 else np.nan
    series = pd.Series(y)
    constant = n > 1 and np.ptp(y) == 0
    return {"n": n, "mean": mean, "sd": sd, "se": se, "ci_lower": mean - half, "ci_upper": mean + half,
            # SPSS's skewness and excess kurtosis (pandas' adjusted G1, G2); undefined for a constant group
            "skewness": np.nan if constant or n < 3 else float(series.skew()),
            "kurtosis": np.nan if constant or n < 4 else float(series.kurt())}


def group_difference(y, groups, *, outcome: str = "y", grouping: str = "group",
                     levels: Sequence | None = None, level_names: Mapping | None = None, ordered: bool = False, posthoc: str = "auto",
                     nonparametric: str = "auto", min_group_size: int = 10,
                     levene_center: str = "mean") -> GroupDifference:
    """Compare one outcome across the groups of one background question, with the guards.

    Parameters
    ----------
    y : array-like
        Outcome per respondent (a construct score or an item); NaN = no score.
    groups : array-like
        Answer to the grouping question per respondent, same length; NaN or "" = no answer.
    outcome, grouping : str or Message
        Names used in the notes (a :class:`~study.messages.Message` gives the Chinese notes their Chinese
        names); the result keeps them as given.
    levels : sequence, optional
        The question's levels in order (default: the answers found, sorted). Answers that are none of
        them are counted as unknown and left out; a level nobody chose is not a group.
    level_names : mapping of level → str or Message, optional
        Names of the levels in the notes (default: the codes).
    ordered : bool
        The levels are ordered (age band, income, frequency): adds the linear trend contrast.
    posthoc : {"auto", "tukey", "games-howell", "bonferroni", "lsd", "scheffe"}
        "auto": Tukey HSD when Levene's test does not reject equal variances at .05, Games–Howell when it does.
    nonparametric : {"auto", "always", "never"}
        "never" skips the rank tests; otherwise they are computed, and ``show_nonparametric`` says whether
        the report shows them (always, or auto when a group is clearly non-normal: |skew| ≥ 2 or
        |kurtosis| ≥ 7, West, Finch & Curran 1995).
    min_group_size : int
        Groups with fewer respondents are described but left out of the tests (default 10).
    levene_center : {"mean", "median"}
        Which Levene's test decides equal variances: "mean" as SPSS (default), "median" as R's car.
        Both are always computed.

    Returns
    -------
    GroupDifference

    Examples
    --------
    >>> r = group_difference([3, 4, 5, 4, 5, 6, 5, 7], ["m"] * 4 + ["f"] * 4, levels=["m", "f"],
    ...                      min_group_size=2)
    >>> r.kind, round(r.t_test.student.t, 3)
    ('t', -2.782)
    """
    if posthoc not in POSTHOC_METHODS:
        raise ValueError(f"posthoc must be one of {', '.join(POSTHOC_METHODS)}, got {posthoc!r}")
    if nonparametric not in NONPARAMETRIC_OPTIONS:
        raise ValueError(f"nonparametric must be one of {', '.join(NONPARAMETRIC_OPTIONS)}, got {nonparametric!r}")
    if levene_center not in ("mean", "median"):
        raise ValueError(f"levene_center must be 'mean' or 'median', got {levene_center!r}")
    if not isinstance(min_group_size, (int, np.integer)) or min_group_size < 2:
        raise ValueError(f"min_group_size must be a whole number of at least 2, got {min_group_size!r}")
    y = pd.Series(np.asarray(y, dtype=float))
    g = pd.Series(np.asarray(groups, dtype=object))
    if len(y) != len(g):
        raise ValueError(f"outcome {outcome!r} has {len(y)} values but grouping {grouping!r} has {len(g)}")
    if not np.isfinite(y.dropna()).all():
        raise ValueError(f"outcome {outcome!r} has infinite values")
    # each distinct answer stripped once (a million answers have a handful of distinct ones)
    g_codes, g_uniques = pd.factorize(g)  # -1: no answer (None, NaN)
    stripped = np.array([str(u).strip() for u in g_uniques] + [""], dtype=object)[g_codes]
    answered = pd.Series(stripped != "", index=g.index)
    codes = pd.Series(stripped[answered.to_numpy()], index=g.index[answered.to_numpy()], dtype=object)
    level_list = [str(v) for v in levels] if levels is not None else sorted(codes.unique())
    if len(set(level_list)) != len(level_list):
        raise ValueError(f"grouping {grouping!r}: levels repeat: {level_list}")
    known = codes.isin(level_list)
    n_missing_group = int((~answered).sum())
    n_unknown = int((~known).sum())
    codes = codes[known]
    values = y[codes.index]
    n_missing_outcome = int(values.isna().sum())
    codes, values = codes[values.notna()], values[values.notna()]

    # the level of each answer as a number: comparing numbers, not texts, keeps a million answers fast
    position = pd.Categorical(codes.to_numpy(dtype=object), categories=level_list).codes
    of_level = {level: position == k for k, level in enumerate(level_list)}
    rows, empty = {}, []
    for level in level_list:
        v = values[of_level[level]].to_numpy()
        if v.size == 0:
            empty.append(level)
        else:
            rows[level] = _describe(v)
    table = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["n", "mean", "sd", "se", "ci_lower", "ci_upper", "skewness", "kurtosis"])
    table.index.name = "level"
    table["n"] = table["n"].astype(int)
    table["included"] = table["n"] >= min_group_size
    small = tuple(table.index[~table["included"]])
    included = [lv for lv in table.index if table.loc[lv, "included"]]
    samples = {lv: values[of_level[lv]].to_numpy() for lv in included}
    constant = tuple(lv for lv in included if np.ptp(samples[lv]) == 0)

    en, zh = (lambda text: in_language(text, "en")), (lambda text: in_language(text, "zh"))
    names = {str(k): v for k, v in (level_names or {}).items()}
    label = {lang: (lambda lv, lang=lang: in_language(names.get(lv, lv), lang)) for lang in ("en", "zh")}
    what, by = outcome, grouping
    notes = []
    if n_missing_group:
        notes.append(Message(
            f"{n_missing_group} respondent(s) did not answer {en(by)} and are left out of this comparison.",
            f"{n_missing_group} 名受访者未回答{zh(by)}，未纳入该比较。"))
    if n_unknown:
        notes.append(Message(
            f"{n_unknown} answer(s) to {en(by)} are none of its levels and are left out of this comparison.",
            f"{zh(by)}有 {n_unknown} 个答案不属于其任何选项，未纳入该比较。"))
    if n_missing_outcome:
        notes.append(Message(f"{n_missing_outcome} respondent(s) have no {en(what)} score and are left out.",
                             f"{n_missing_outcome} 名受访者没有{zh(what)}得分，未纳入该比较。"))
    if empty:
        notes.append(Message(
            f"{en(by)}: nobody chose {', '.join(label['en'](lv) for lv in empty)}; not a group.",
            f"{zh(by)}：无人选择“{'”“'.join(label['zh'](lv) for lv in empty)}”，不作为一组。"))
    if small:
        notes.append(Message(
            f"{en(by)}: " + ", ".join(f"{label['en'](lv)} (n = {table.loc[lv, 'n']})" for lv in small)
            + f" {'has' if len(small) == 1 else 'have'} fewer than {min_group_size} respondents: described but "
            "left out of the tests. Merge with a neighbouring level if that is meaningful.",
            f"{zh(by)}：" + "、".join(f"{label['zh'](lv)}（n = {table.loc[lv, 'n']}）" for lv in small)
            + f"人数少于 {min_group_size}，仅作描述，未纳入检验；如有意义，可与相邻选项合并。"))
    if constant:
        notes.append(Message(
            f"{en(what)} does not vary within "
            + ", ".join(f"{label['en'](lv)} (all {samples[lv][0]:g})" for lv in constant)
            + ": statistics that divide by a group's variance (Welch's ANOVA) are not computed, and normality "
            "cannot be judged there.",
            f"{zh(what)}在" + "、".join(f"{label['zh'](lv)}（均为 {samples[lv][0]:g}）" for lv in constant)
            + "组内没有变异：需除以组内方差的统计量（Welch 方差分析）不予计算，该组的正态性无法判断。"))

    base = dict(outcome=outcome, grouping=grouping, groups=table, min_group_size=int(min_group_size),
                n_missing_outcome=n_missing_outcome, n_missing_group=n_missing_group, n_unknown_group=n_unknown,
                empty_levels=tuple(empty), small_groups=small, constant_groups=constant,
                levene_center=levene_center, nonparametric=nonparametric)

    def skip(en: str, zh: str) -> GroupDifference:
        return GroupDifference(**base, skipped=Message(en, zh), notes=tuple(notes))

    if len(included) < 2:
        found = ", ".join(f"{label['en'](lv)}: {table.loc[lv, 'n']}" for lv in table.index) or "none"
        found_zh = "，".join(f"{label['zh'](lv)} {table.loc[lv, 'n']} 人" for lv in table.index) or "无"
        return skip(f"{en(what)} by {en(by)} was not tested: it needs at least two groups of at least "
                    f"{min_group_size} respondents (found {found}).",
                    f"未检验{zh(what)}在{zh(by)}上的差异：需要至少两个各不少于 {min_group_size} 人的组（实际：{found_zh}）。")
    pooled = np.concatenate(list(samples.values()))
    if np.ptp(pooled) == 0:
        return skip(f"{en(what)} by {en(by)} was not tested: everybody has the same score ({pooled[0]:g}).",
                    f"未检验{zh(what)}在{zh(by)}上的差异：所有受访者得分相同（{pooled[0]:g}）。")
    if len(constant) == len(included):
        return skip(f"{en(what)} by {en(by)} was not tested: the score does not vary within any group, so "
                    "there is no within-group variance to test against.",
                    f"未检验{zh(what)}在{zh(by)}上的差异：各组内得分均无变异，没有可供检验的组内方差。")

    lev = {c: levene_test(samples, center=c) for c in ("mean", "median")}
    deciding = lev[levene_center]
    equal_var = bool(deciding.pvalue >= ALPHA) if np.isfinite(deciding.pvalue) else None
    sub = table.loc[included]
    normal = not (constant or (sub["skewness"].abs() >= SKEW_LIMIT).any()
                  or (sub["kurtosis"].abs() >= KURTOSIS_LIMIT).any())
    result = dict(base, levene_mean=lev["mean"], levene_median=lev["median"], equal_variances=equal_var,
                  normal=normal)
    rank_tests = nonparametric != "never"
    if len(included) == 2:
        result["t_test"] = two_group_test(samples)
        if rank_tests:
            result["mann_whitney"] = mann_whitney(samples)
        return GroupDifference(**result, notes=tuple(notes))

    result["anova"] = oneway_anova(samples)
    if constant:
        result["welch"] = None
    else:
        result["welch"] = welch_anova(samples)
    result["brown_forsythe"] = brown_forsythe(samples)
    method, chosen_by = posthoc, "user"
    if posthoc == "auto":
        method, chosen_by = ("tukey" if equal_var is not False else "games-howell"), "levene"
    if method == "games-howell" and constant:
        # a pair of two constant groups has no standard error; Tukey's pooled variance still has one
        pairs_without_se = len(constant) >= 2
        if pairs_without_se:
            notes.append(Message(
                f"{en(what)} by {en(by)}: Games–Howell pairs of two groups without variation have no "
                "standard error; their rows are empty.",
                f"{zh(what)}按{zh(by)}：两组均无变异的 Games–Howell 配对没有标准误，相应行留空。"))
    ph = posthoc_test(samples, method)
    ph = PostHoc(ph.method, ph.table, chosen_by)
    if method == "games-howell":
        bad = ~np.isfinite(ph.table["se"]) | (ph.table["se"] <= 0)
        ph.table.loc[bad, ["se", "statistic", "df", "pvalue", "ci_lower", "ci_upper"]] = np.nan
    result["posthoc"] = ph
    if rank_tests:
        result["kruskal"] = kruskal_wallis(samples)
        result["dunn"] = dunn_test(samples, "holm")
    if ordered:
        positions = [level_list.index(lv) + 1 for lv in included]
        result["trend"] = linear_trend(samples, positions, equal_var=equal_var is not False)
    return GroupDifference(**result, notes=tuple(notes))
