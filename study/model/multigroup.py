"""Multi-group comparison: configural, metric and structural invariance, as lavaan's ``group =``.

The same model is fitted in every group. Configural: every parameter free in each group. Metric:
loadings equal across groups (``group.equal = "loadings"``). Structural: loadings and regression
paths equal (``group.equal = c("loadings", "regressions")``). Nested models are compared by the
chi-square difference test, and each path's difference between two groups by a critical ratio
(b₁ − b₂)/√(se₁² + se₂²) from the configural model, as AMOS prints it.

With ``estimator = "MLM"`` or ``"MLR"`` (lavaan's robust ML for non-normal, e.g. Likert, data) the
estimates stay the ML estimates; the standard errors (and so the critical ratios) become robust,
every model gets lavaan's scaled χ² and robust fit indices (:func:`study.model.robust.robust_ml_groups`),
and nested models are compared by the Satorra–Bentler (2001) scaled difference test, which is what
lavaan 0.6.14's ``lavTestLRT`` does by default for both estimators (``method = "satorra.bentler.2001"``).

Like lavaan, the multi-group models carry a mean structure with free intercepts in every group and
latent means fixed at 0; the intercepts equal the sample means, so they change neither the estimates
nor χ², but they count as parameters (AIC, BIC) and enter the GFI and SRMR as lavaan computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..messages import Message, in_language, spaced, tidy_zh
from ..threads import one_blas_thread
from .estimate import (BETA, LAMBDA, FittedModel, GroupMoments, _diagnose, _estimates_table, _information,
                       fisher_scoring_groups, fit_model, is_singular, sigma_derivatives)
from .fit_indices import _cfi, _rmsea, _rmsea_interval, _tli
from .robust import KINDS, RobustGroupsResult, robust_ml_groups, scaled_difference_test

LEVELS = {"configural": (), "metric": ("loadings",), "structural": ("loadings", "regressions")}
ESTIMATORS = ("ML",) + KINDS
# lavTestLRT's default method for nested models (lavaan 0.6.14)
DIFFERENCE_TESTS = {"ML": "standard", "MLM": "satorra.bentler.2001", "MLR": "satorra.bentler.2001"}


def _check_estimator(estimator: str) -> str:
    estimator = str(estimator).upper()
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, not {estimator!r}")
    return estimator


@dataclass(frozen=True)
class MultiGroupFit:
    level: str  # configural | metric | structural
    groups: list[str]
    fits: dict[str, FittedModel]  # per group, with that group's estimates and standard errors
    fit: dict[str, float]  # lavaan's fit measures of the whole multi-group model
    converged: bool
    estimator: str = "ML"  # ML | MLM | MLR: MLM/MLR fits carry robust SEs and the scaled fit measures
    theta: np.ndarray | None = None  # full parameter vector (an equality-constrained parameter once)
    index: list | None = None  # per group: position in theta of each template parameter
    robust: RobustGroupsResult | None = None  # MLM/MLR: robust vcov of theta, scaling factors
    # improper-solution diagnostics of the whole model (singular information) and of each group's
    # part (negative variances, |std| > 1, non-positive-definite latent covariances), as FittedModel's
    problems: list = field(default_factory=list)

    @property
    def proper(self) -> bool:
        """Converged, with no improper-solution diagnostics (as :attr:`FittedModel.proper`): only then are
        its fit, its estimates and the comparisons that rest on it findings."""
        return self.converged and not self.problems


@dataclass(frozen=True)
class GroupComparison:
    column: str
    groups: list[str]
    n: dict[str, int]
    models: dict[str, MultiGroupFit]
    tests: list[dict]  # chi-square difference tests of nested models
    paths: pd.DataFrame  # per group and path: est, se, pvalue, std_all (configural model)
    differences: pd.DataFrame  # per path and pair of groups: difference and critical ratio
    warnings: list[str]
    estimator: str = "ML"  # ML | MLM | MLR
    test_method: str = "standard"  # the difference test: "standard" or "satorra.bentler.2001"


def _parameter_kind(fitted: FittedModel) -> np.ndarray:
    """'loadings', 'regressions' or 'other' for each free parameter of the template model."""
    kinds = np.array(["other"] * fitted.structure.n_params, dtype=object)
    latent = fitted.structure.latent
    for which, r, c, k in fitted.structure.locations:
        if which == LAMBDA:
            kinds[k] = "loadings"
        elif which == BETA:
            second_order = (latent[c], latent[r]) in fitted.measurement_pairs
            kinds[k] = "loadings" if second_order else "regressions"
    return kinds


@one_blas_thread
def fit_multigroup(syntax: str, data: pd.DataFrame, groups: pd.Series, level: str = "configural", *,
                   measurement_pairs=frozenset(), estimator: str = "ML", _own=None) -> MultiGroupFit:
    """Fit one multi-group model.

    Parameters
    ----------
    syntax : str
        lavaan-style model description.
    data : DataFrame
        Analysed responses (complete cases).
    groups : Series
        Group label of each row of ``data``.
    level : {"configural", "metric", "structural"}
    estimator : {"ML", "MLM", "MLR"}
        ``"ML"``: normal-theory standard errors and χ². ``"MLM"`` / ``"MLR"``: the same estimates
        with lavaan's robust standard errors in ``fits`` and, added to ``fit``, the scaled χ²,
        scaling factor and robust fit indices (:func:`study.model.robust.robust_ml_groups`).

    Returns
    -------
    MultiGroupFit
    """
    estimator = _check_estimator(estimator)
    labels = [str(g) for g in pd.unique(groups.astype(str))]
    per_group = {g: data[groups.astype(str).to_numpy() == g] for g in labels}
    # each group's own fit: the template structure and good starting values
    own = _own if _own is not None else _own_fits(syntax, per_group, measurement_pairs)
    template = own[labels[0]]
    structure = template.structure
    q = structure.n_params
    kinds = _parameter_kind(template)
    shared = np.isin(kinds, LEVELS[level])
    index, theta0, position = [], [], {}
    for g in labels:
        idx = np.empty(q, dtype=int)
        for k in range(q):
            if shared[k] and k in position:
                idx[k] = position[k]
            else:
                idx[k] = len(theta0)
                theta0.append(np.mean([own[h].theta[k] for h in labels]) if shared[k] else own[g].theta[k])
                if shared[k]:
                    position[k] = idx[k]
        index.append(idx)
    n_total = len(data)
    moments = [GroupMoments(s=own[g].sample_cov, weight=own[g].n / n_total, index=index[i])
               for i, g in enumerate(labels)]
    theta, converged, iterations = fisher_scoring_groups(structure, moments, np.array(theta0))

    information = np.zeros((len(theta), len(theta)))
    for g, m in zip(labels, moments):
        sigma, grads = sigma_derivatives(structure, theta[m.index])
        information[np.ix_(m.index, m.index)] += 0.5 * own[g].n * _information(np.linalg.inv(sigma), grads)
    vcov = np.linalg.pinv(information)
    problems = []
    if is_singular(information):
        problems.append(Message(
            "the information matrix is singular (the model is not identified with these data)",
            "信息矩阵奇异（模型在这些数据上无法识别）"))
    if not converged:
        problems.append(Message(f"the estimation did not converge (after {iterations} iterations)",
                                f"估计未收敛（迭代 {iterations} 次后）"))
    robust = None
    if estimator != "ML":
        robust = robust_ml_groups(structure, theta, [m.index for m in moments],
                                  [per_group[g][structure.observed].to_numpy(dtype=float) for g in labels],
                                  estimator)
        vcov = robust.vcov

    fits = {}
    for g, m in zip(labels, moments):
        base = FittedModel(syntax=syntax, structure=structure, n=own[g].n, sample_cov=own[g].sample_cov,
                           theta=theta[m.index], vcov=vcov[np.ix_(m.index, m.index)], converged=converged,
                           iterations=iterations, estimates=pd.DataFrame(),
                           measurement_pairs=frozenset(measurement_pairs))
        estimates = _estimates_table(base)
        # the single-group checks on this group's part; non-convergence is said once, for the whole model
        own_problems = _diagnose(FittedModel(**{**base.__dict__, "converged": True}), estimates)
        fits[g] = FittedModel(**{**base.__dict__, "estimates": estimates, "problems": own_problems})
        problems += [Message(f"group {g!r}: {m}", f"“{g}”组：{in_language(m, 'zh')}") for m in own_problems]
    means = [per_group[g][structure.observed].to_numpy(dtype=float).mean(axis=0) for g in labels]
    fit = multigroup_fit_measures(list(fits.values()), means, n_params=len(theta))
    if robust is not None:
        fit = {**fit, **{k: v for k, v in robust.fit.items() if k not in fit}}
    return MultiGroupFit(level=level, groups=labels, fits=fits, converged=converged, fit=fit,
                         estimator=estimator, theta=theta, index=[m.index for m in moments], robust=robust,
                         problems=problems)


def _own_fits(syntax: str, per_group: dict[str, pd.DataFrame], measurement_pairs) -> dict[str, FittedModel]:
    """Each group's separate ML fit (template structure and starting values), shared by the levels."""
    return {g: fit_model(syntax, d, measurement_pairs=measurement_pairs) for g, d in per_group.items()}


def multigroup_fit_measures(fits: list[FittedModel], means: list[np.ndarray], n_params: int) -> dict[str, float]:
    """lavaan's fit measures for a multi-group model with saturated (free) intercepts.

    Notes
    -----
    χ² = Σ_g n_g F_g; baseline χ²₀ = Σ_g n_g (Σ log s_ii − log|S_g|) on G·p(p−1)/2 df;
    RMSEA = √(max(χ² − df, 0)/(N·df))·√G (lavaan's multi-group correction); npar counts the
    G·p intercepts; GFI per group is 1 − ½tr((Σ⁻¹S − I)²) / (½tr((Σ⁻¹S)²) + x̄ᵀΣ⁻¹x̄) (the mean
    structure's part of lavaan's general formula), averaged with weights n_g/N; SRMR per group over
    the p(p+1)/2 covariance and p (zero) mean residuals, averaged with weights n_g/N.
    """
    n_groups = len(fits)
    p = len(fits[0].sample_cov)
    n_total = sum(f.n for f in fits)
    npar = n_params + n_groups * p
    moments = n_groups * (p * (p + 1) // 2 + p)
    df = moments - npar
    chisq = chisq0 = logl = gfi = srmr = 0.0
    for f, mean in zip(fits, means):
        s, sigma, n = f.sample_cov, f.sigma, f.n
        logdet_sigma = np.linalg.slogdet(sigma)[1]
        logdet_s = np.linalg.slogdet(s)[1]
        sis = np.linalg.solve(sigma, s)
        chisq += n * (logdet_sigma + np.trace(sis) - logdet_s - p)
        chisq0 += n * (np.sum(np.log(np.diag(s))) - logdet_s)
        logl += -0.5 * n * (p * np.log(2 * np.pi) + logdet_sigma + np.trace(sis))
        # lavaan's general GFI: 1 − rᵀWr / sᵀWs over the covariances and means, W the ML weights
        # (½ Σ⁻¹⊗Σ⁻¹ for covariances, Σ⁻¹ for means); the mean residuals are zero.
        a = sis - np.eye(p)
        mean_term = float(mean @ np.linalg.solve(sigma, mean))
        gfi += n / n_total * (1 - 0.5 * np.trace(a @ a) / (0.5 * np.trace(sis @ sis) + mean_term))
        sd = np.sqrt(np.diag(s))
        resid = ((s - sigma) / np.outer(sd, sd))[np.tril_indices(p)]
        srmr += n / n_total * np.sqrt(np.sum(resid ** 2) / (p * (p + 1) / 2 + p))
    df0 = n_groups * p * (p - 1) // 2
    out = {"chisq": chisq, "df": float(df), "pvalue": stats.chi2.sf(chisq, df), "chisq/df": chisq / df}
    out["cfi"] = _cfi(chisq, df, chisq0, df0)
    out["tli"] = _tli(chisq, df, chisq0, df0)
    out["nfi"] = (chisq0 - chisq) / chisq0
    out["ifi"] = (chisq0 - chisq) / (chisq0 - df)
    out["rni"] = 1 - (chisq - df) / (chisq0 - df0)
    out["rmsea"] = _rmsea(chisq, df, n_total) * np.sqrt(n_groups)
    lower, upper = _rmsea_interval(chisq, int(df), n_total)
    out["rmsea.ci.lower"], out["rmsea.ci.upper"] = lower * np.sqrt(n_groups), upper * np.sqrt(n_groups)
    out["srmr"] = srmr
    out["gfi"] = gfi
    out["agfi"] = 1 - moments / df * (1 - gfi)
    out["logl"] = logl
    out["aic"] = -2 * logl + 2 * npar
    out["bic"] = -2 * logl + npar * np.log(n_total)
    out["npar"] = float(npar)
    out["ntotal"] = float(n_total)
    return {k: float(v) for k, v in out.items()}


@one_blas_thread
def compare_groups(syntax: str, data: pd.DataFrame, groups: pd.Series, column: str, *,
                   measurement_pairs=frozenset(), estimator: str = "ML", name: Message | None = None) -> GroupComparison:
    """Configural, metric and structural models with chi-square difference tests.

    Parameters
    ----------
    syntax, data, groups, measurement_pairs
        As :func:`fit_multigroup`.
    column : str
        Name of the grouping variable (reported only).
    name : Message, optional
        The grouping question's name in the report, English and Chinese (default: ``column``); the terminal's
        form of the warnings names ``column``.
    estimator : {"ML", "MLM", "MLR"}
        The study's estimator. ``"ML"`` (default): normal-theory standard errors and the ordinary
        χ² difference test ΔT = T₀ − T₁ on Δdf. ``"MLM"`` / ``"MLR"``: robust standard errors
        (so robust critical ratios of the path differences), scaled fit measures per model, and
        the Satorra–Bentler (2001) scaled difference test (:func:`study.model.robust.scaled_difference_test`),
        lavaan 0.6.14's default in ``lavTestLRT`` for both estimators.

    Returns
    -------
    GroupComparison
        ``tests`` holds per nested pair ``model, against, chisq_diff, df_diff, pvalue, method``
        (lavTestLRT's "Chisq diff", "Df diff", "Pr(>Chisq)"); with MLM/MLR also ``scaling_factor``
        (ĉ_d) and ``chisq_diff_unscaled`` (T₀ − T₁).
    """
    estimator = _check_estimator(estimator)
    method = DIFFERENCE_TESTS[estimator]
    labels = [str(g) for g in pd.unique(groups.astype(str))]
    own = _own_fits(syntax, {g: data[groups.astype(str).to_numpy() == g] for g in labels}, measurement_pairs)
    models = {level: fit_multigroup(syntax, data, groups, level, measurement_pairs=measurement_pairs,
                                    estimator=estimator, _own=own)
              for level in LEVELS}
    tests = []
    for restricted, free in (("metric", "configural"), ("structural", "metric")):
        a, b = models[restricted].fit, models[free].fit
        diff, ddf = a["chisq"] - b["chisq"], a["df"] - b["df"]
        test = {"model": restricted, "against": free, "chisq_diff": diff, "df_diff": ddf,
                "pvalue": float(stats.chi2.sf(diff, ddf)), "method": method}
        if estimator != "ML":
            scaled = scaled_difference_test(a, b)
            test.update(chisq_diff=scaled["chisq_diff"], pvalue=scaled["pvalue"],
                        scaling_factor=scaled["scaling_factor"], chisq_diff_unscaled=float(diff))
        tests.append(test)
    configural = models["configural"]
    rows = []
    for g, fitted in configural.fits.items():
        for _, p in fitted.paths().iterrows():
            rows.append({"group": g, "from": p["rhs"], "to": p["lhs"], "est": p["est"], "se": p["se"],
                         "z": p["z"], "pvalue": p["pvalue"], "std_all": p["std_all"]})
    paths = pd.DataFrame(rows)
    differences = []
    labels = configural.groups
    for i, g1 in enumerate(labels):
        for g2 in labels[i + 1:]:
            a = paths[paths["group"] == g1].set_index(["from", "to"])
            b = paths[paths["group"] == g2].set_index(["from", "to"])
            for key in a.index:
                diff = a.loc[key, "est"] - b.loc[key, "est"]
                cr = diff / np.hypot(a.loc[key, "se"], b.loc[key, "se"])
                differences.append({"from": key[0], "to": key[1], "group_1": g1, "group_2": g2,
                                    "difference": diff, "critical_ratio": cr,
                                    "pvalue": float(2 * stats.norm.sf(abs(cr)))})
    warnings = [_improper_warning(column, level, m, name) for level, m in models.items() if not m.proper]
    for g, fitted in configural.fits.items():
        if fitted.n < 100:
            warnings.append(f"Group comparison: group {g!r} has only {fitted.n} respondents; "
                            "its estimates are imprecise.")
    n = {g: f.n for g, f in configural.fits.items()}
    return GroupComparison(column=column, groups=labels, n=n, models=models, tests=tests, paths=paths,
                           differences=pd.DataFrame(differences), warnings=warnings, estimator=estimator,
                           test_method=method)


LEVEL_NAMES = {"configural": ("configural (unconstrained)", "形态等同（未限定）"),
               "metric": ("metric (equal loadings)", "测量等同（载荷相等）"),
               "structural": ("structural (equal loadings and paths)", "结构等同（载荷与路径相等）")}


def _improper_warning(column: str, level: str, model: MultiGroupFit, name: Message | None = None) -> Message:
    """The warning for a multi-group model without a proper solution: the comparisons resting on it are
    not made. No estimate of it is quoted, as for the single-group model."""
    en, zh = LEVEL_NAMES[level]
    why_en, why_zh = (("it did not converge", "估计未收敛") if not model.converged else
                      ("its solution is improper", "解不合理"))

    def said(q: str, q_zh: str) -> Message:
        return Message(f"Group comparison by {q}: the {en} model has no proper solution ({why_en}), so the "
                       "comparisons that rest on it are not made.",
                       f"按{q_zh}的分组比较：{zh}模型没有得到合理解（{why_zh}），依赖该模型的比较无法进行。")

    terminal = said(column, spaced(column))
    report = said(str(name), name.zh) if name is not None else None
    return Message(str(terminal), tidy_zh(terminal.zh),
                   Message(str(report), tidy_zh(report.zh)) if report is not None else None)
