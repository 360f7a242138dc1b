"""Measurement invariance with a mean structure: configural → metric → scalar → strict, partial
invariance, score tests of the equality constraints and latent mean differences, as lavaan's
``cfa(..., group =, group.equal =, group.partial =)``, ``lavTestLRT``, ``lavTestScore`` and
``lavInspect(fit, "mean.lv")``.

Every group g has the model of :mod:`study.model.estimate` plus a mean structure

    μ_g = ν_g + Λ_g (I − B_g)⁻¹ α_g          (ν: item intercepts, α: latent means/intercepts)

and the fit function F = Σ_g (n_g/N) [log|Σ_g| + tr(S_g Σ_g⁻¹) + (x̄_g − μ_g)ᵀ Σ_g⁻¹ (x̄_g − μ_g)
− log|S_g| − p]. lavaan's identification is kept: marker loadings fixed at 1; with free intercepts
(configural, metric) the latent means are 0 in every group; once the intercepts are equal (scalar)
the latent means (and intercepts of endogenous latent variables) are free in every group but the
first, which is the reference (Sörbom 1974). The levels (lavaan's ``group.equal``):

- configural: the same pattern, every parameter free in each group;
- metric (weak): loadings equal;
- scalar (strong): loadings and item intercepts equal;
- strict: loadings, intercepts and residual variances equal.

Partial invariance (Byrne, Shavelson & Muthén 1989) frees named constraints (lavaan's
``group.partial``, e.g. ``"sat1~1"`` for an intercept, ``"SAT=~sat2"`` for a loading). A level is
compared with the previous one by the χ² difference test (Satorra–Bentler 2001 scaled for MLM/MLR,
lavaan's ``lavTestLRT`` default), by ΔCFI (a decrease of at most .01, Cheung & Rensvold 2002) and by
ΔRMSEA (an increase of at most .015, Chen 2007).

References
----------
Byrne, B. M., Shavelson, R. J., & Muthén, B. (1989). Testing for the equivalence of factor covariance
and mean structures: The issue of partial measurement invariance. *Psychological Bulletin*, 105(3), 456–466.
Cheung, G. W., & Rensvold, R. B. (2002). Evaluating goodness-of-fit indexes for testing measurement
invariance. *Structural Equation Modeling*, 9(2), 233–255.
Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of measurement invariance.
*Structural Equation Modeling*, 14(3), 464–504.
Steenkamp, J.-B. E. M., & Baumgartner, H. (1998). Assessing measurement invariance in cross-national
consumer research. *Journal of Consumer Research*, 25(1), 78–90.
Sörbom, D. (1974). A general method for studying differences in factor means and factor structure
between groups. *British Journal of Mathematical and Statistical Psychology*, 27(2), 229–239.
Hancock, G. R. (2001). Effect size, power, and sample size determination for structured means modeling
and MIMIC approaches to between-groups hypothesis testing of means on a single latent construct.
*Psychometrika*, 66(3), 373–388.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from ..threads import blas_threads

from ..messages import Message
from .estimate import LAMBDA, FittedModel, fit_model
from .fit_indices import _cfi, _rmsea, _rmsea_interval, _tli
from .mean_structure import (GroupData, Layout, evaluate, expand, fisher_scoring_means, group_terms, implied_moments,
                             layout_of, robust_statistics)
from .robust import KINDS, scaled_difference_test

LEVELS = ("configural", "metric", "scalar", "strict")
GROUP_EQUAL = {"configural": (), "metric": ("loadings",), "scalar": ("loadings", "intercepts"),
               "strict": ("loadings", "intercepts", "residuals")}
# what each level adds to the previous one: the constraints the score test may suggest freeing
LEVEL_NAMES_ZH = {"configural": "形态", "metric": "弱（度量）", "scalar": "强（截距）", "strict": "严格"}
LEVEL_ADDS = {"metric": "loadings", "scalar": "intercepts", "strict": "residuals"}
ESTIMATORS = ("ML",) + KINDS
DELTA_CFI = 0.01  # Cheung & Rensvold (2002): a decrease of CFI by more than .01 rejects invariance
DELTA_RMSEA = 0.015  # Chen (2007): an increase of RMSEA by more than .015 rejects invariance
LOG_2PI = np.log(2 * np.pi)


class InvarianceError(ValueError):
    """A request the model cannot meet (e.g. a partial-invariance constraint that is not in the model)."""


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvarianceFit:
    """One multi-group model with a mean structure (see :func:`fit_invariance_model`).

    Attributes
    ----------
    level : str
        Name of the level (``configural`` …) or ``"custom"``.
    group_equal, group_partial : tuple of str
        lavaan's ``group.equal`` kinds and the ``group.partial`` names freed among them.
    groups : list of str
        Group labels; the first is the reference group of the latent means.
    n : dict
    estimates : DataFrame
        ``group, lhs, op, rhs, name, kind, free, est, se, z, pvalue`` per parameter and group,
        lavaan's ``parameterEstimates()`` (``op`` ``~1`` for intercepts and latent means).
    fit : dict
        lavaan's fit measures (``chisq, df, pvalue, cfi, tli, rmsea, srmr, gfi, aic, bic, logl, npar``;
        with MLM/MLR also the scaled and robust ones and ``chisq.scaling.factor``).
    mean_lv : DataFrame
        Model-implied latent means per group (rows) and latent variable, ``lavInspect(fit, "mean.lv")``.
    converged : bool
    estimator : {"ML", "MLM", "MLR"}
    """

    level: str
    group_equal: tuple[str, ...]
    group_partial: tuple[str, ...]
    groups: list[str]
    n: dict[str, int]
    estimates: pd.DataFrame
    fit: dict[str, float]
    mean_lv: pd.DataFrame
    converged: bool
    estimator: str = "ML"
    theta: np.ndarray | None = field(default=None, repr=False)
    layout: Layout | None = field(default=None, repr=False)
    _groups: tuple = field(default=(), repr=False)
    problems: tuple[str, ...] = ()

    @property
    def proper(self) -> bool:
        return self.converged and not self.problems

    def latent_means(self) -> pd.DataFrame:
        """The latent means of the non-reference groups (the differences from the reference group,
        whose means are 0) with SE, z and p: lavaan's latent ``~1`` rows; empty with free intercepts."""
        t = self.estimates
        lat = set(self.layout.structure.latent)
        rows = t[(t["op"] == "~1") & t["lhs"].isin(lat) & t["free"]]
        return rows[["group", "lhs", "est", "se", "z", "pvalue"]].reset_index(drop=True)


def _split_groups(data: pd.DataFrame, groups: pd.Series, order) -> list[tuple[str, pd.DataFrame]]:
    labels = groups.astype(str).to_numpy()
    if order is None:
        order = [str(g) for g in pd.unique(labels)]
    order = [str(g) for g in order]
    missing = [g for g in order if not (labels == g).any()]
    if missing:
        raise InvarianceError(f"no respondents in group(s) {', '.join(missing)}")
    return [(g, data[labels == g]) for g in order]


def _check_partial(layout: Layout, partial) -> tuple[str, ...]:
    names = set(layout.names)
    out = []
    for name in partial:
        key = str(name).replace(" ", "")
        if "~~" in key and key not in names:  # a covariance may be written either way round
            swapped = "~~".join(reversed(key.split("~~")))
            key = swapped if swapped in names else key
        if key not in names:
            raise InvarianceError(
                f"group.partial: {name!r} is not a parameter of the model; use lavaan's names: an intercept "
                f"as 'item~1', a loading as 'FACTOR=~item', a residual variance as 'item~~item' "
                f"(items: {', '.join(layout.structure.observed)})")
        out.append(key)
    return tuple(out)


def fit_invariance_model(syntax: str, data: pd.DataFrame, groups: pd.Series, group_equal=(), group_partial=(), *,
                         order=None, measurement_pairs=frozenset(), estimator: str = "ML", level: str = "custom",
                         _own: dict | None = None) -> InvarianceFit:
    """Fit one multi-group model with a mean structure.

    Parameters
    ----------
    syntax : str
        lavaan-style model (usually the first-order CFA).
    data : DataFrame
        Complete responses.
    groups : Series
        Group label of each row of ``data``.
    group_equal : sequence of str
        lavaan's ``group.equal``: any of ``loadings, intercepts, residuals, residual.covariances,
        lv.variances, lv.covariances, regressions, means``.
    group_partial : sequence of str
        lavaan's ``group.partial``: parameters left free across groups despite ``group_equal``,
        by lavaan's name (``"sat1~1"``, ``"SAT=~sat2"``, ``"sat1~~sat1"``).
    order : sequence of str, optional
        Group order; the first group is the reference of the latent means (default: order of appearance).
    estimator : {"ML", "MLM", "MLR"}
        MLM/MLR: the same estimates with robust standard errors and the scaled test statistic.

    Returns
    -------
    InvarianceFit

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> cfa = "SAT =~ sat1 + sat2 + sat3 + sat4\\nLOY =~ loy1 + loy2 + loy3 + loy4"
    >>> fit = fit_invariance_model(cfa, d, d["gender"], ["loadings", "intercepts"])
    >>> fit.latent_means()["lhs"].tolist()
    ['SAT', 'LOY']
    """
    estimator = str(estimator).upper()
    if estimator not in ESTIMATORS:
        raise InvarianceError(f"estimator must be one of {ESTIMATORS}, not {estimator!r}")
    unknown = set(group_equal) - {"loadings", "intercepts", "residuals", "residual.covariances", "lv.variances",
                                  "lv.covariances", "regressions", "means"}
    if unknown:
        raise InvarianceError(f"group.equal: unknown kind(s) {sorted(unknown)}")
    parts = _split_groups(data, groups, order)
    own = _own if _own is not None else _own_fits(syntax, parts, measurement_pairs)
    layout = layout_of(own[parts[0][0]])
    partial = set(_check_partial(layout, group_partial))
    shared = np.array([k in group_equal and name not in partial for k, name in zip(layout.kinds, layout.names)])
    q, p = layout.q, layout.p
    intercepts_equal = "intercepts" in group_equal
    latent_free = intercepts_equal and "means" not in group_equal  # lavaan's rule for groups 2, 3, …

    theta0, position, group_objs = [], {}, []
    for gi, (label, rows) in enumerate(parts):
        x = rows[layout.structure.observed].to_numpy(dtype=float)
        start = np.concatenate([own[label].theta, x.mean(axis=0), np.zeros(layout.m)])
        index = np.full(len(start), -1)
        for k in range(len(start)):
            if layout.kinds[k] == "means" and not (latent_free and gi > 0):
                continue  # fixed at 0
            if shared[k] and k in position:
                index[k] = position[k]
                continue
            index[k] = len(theta0)
            if shared[k]:
                position[k] = index[k]
                theta0.append(np.mean([own[lab].theta[k] if k < q else _shared_start(r, layout, k)
                                       for lab, r in parts]))
            else:
                theta0.append(start[k])
        xc = x - x.mean(axis=0)
        group_objs.append(GroupData(label=label, n=len(x), s=xc.T @ xc / len(x), mean=x.mean(axis=0), x=x, index=index))
    n_total = sum(g.n for g in group_objs)
    theta, converged, _ = fisher_scoring_means(layout, group_objs, np.array(theta0), n_total)

    # expected information of all N respondents: Σ_g n_g [½ tr(Σ⁻¹ dΣ Σ⁻¹ dΣ) + dμᵀ Σ⁻¹ dμ]
    _, _, unit = evaluate(layout, group_objs, theta, n_total)
    information = 0.5 * n_total * unit
    problems = []
    eig = np.linalg.eigvalsh(information)
    if eig.min() <= 1e-10 * max(eig.max(), 1.0):
        problems.append(Message("the information matrix is singular: the multi-group model is not identified.",
                                "信息矩阵奇异：多群组模型无法识别。"))
        vcov = np.linalg.pinv(information)
    else:
        vcov = np.linalg.inv(information)
    fit = _fit_measures(layout, group_objs, theta, n_params=len(theta))
    if estimator != "ML":
        rob = robust_statistics(layout, group_objs, theta, estimator, fit["chisq"])
        vcov = rob["vcov"]
        fit = {**fit, **rob["fit"]}
    if not converged:
        problems.insert(0, Message("the multi-group model did not converge.", "多群组模型未收敛。"))
    estimates = _estimates(layout, group_objs, theta, vcov)
    mean_lv = pd.DataFrame([implied_moments(layout.structure, expand(g, theta)[:q], expand(g, theta)[q:q + p],
                                     expand(g, theta)[q + p:])[3] for g in group_objs],
                           index=[g.label for g in group_objs], columns=layout.structure.latent)
    variances = estimates[(estimates["kind"].isin(["residuals", "lv.variances"])) & (estimates["est"] < 0)]
    if len(variances):
        names = ", ".join(sorted(set(variances["lhs"])))
        problems.append(Message(f"negative variance for {names} (an improper solution).",
                                f"{names} 的方差为负（解不合理）。"))
    return InvarianceFit(level=level, group_equal=tuple(group_equal), group_partial=tuple(sorted(partial)),
                         groups=[g.label for g in group_objs], n={g.label: g.n for g in group_objs},
                         estimates=estimates, fit=fit, mean_lv=mean_lv, converged=converged, estimator=estimator,
                         theta=theta, layout=layout, _groups=tuple(group_objs), problems=tuple(problems))


def _shared_start(rows: pd.DataFrame, layout: Layout, k: int) -> float:
    """Starting value of a shared intercept (the item's mean in that group) or latent mean (0)."""
    if layout.kinds[k] == "intercepts":
        return float(rows[layout.structure.observed[k - layout.q]].astype(float).mean())
    return 0.0


def _own_fits(syntax: str, parts, measurement_pairs) -> dict[str, FittedModel]:
    return {label: fit_model(syntax, rows, measurement_pairs=measurement_pairs) for label, rows in parts}


def _estimates(layout: Layout, groups: list[GroupData], theta: np.ndarray, vcov: np.ndarray) -> pd.DataFrame:
    se_all = np.sqrt(np.clip(np.diag(vcov), 0, None))
    rows = []
    for g in groups:
        values = expand(g, theta)
        for k, (name, kind) in enumerate(zip(layout.names, layout.kinds)):
            free = g.index[k] >= 0
            lhs, op, rhs = _split_name(name)
            se = se_all[g.index[k]] if free else np.nan
            rows.append({"group": g.label, "lhs": lhs, "op": op, "rhs": rhs, "name": name, "kind": kind,
                         "free": free, "est": values[k], "se": se})
    table = pd.DataFrame(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["z"] = table["est"] / table["se"]
    table["pvalue"] = 2 * stats.norm.sf(np.abs(table["z"]))
    return table


def _split_name(name: str) -> tuple[str, str, str]:
    for op in ("=~", "~~", "~1", "~"):
        if op in name:
            lhs, rhs = name.split(op, 1)
            return lhs, op, rhs
    raise AssertionError(name)


def _fit_measures(layout: Layout, groups: list[GroupData], theta: np.ndarray, n_params: int) -> dict[str, float]:
    """lavaan's fit measures of a multi-group model with a mean structure.

    χ² = Σ n_g F_g; df = G·(p(p+1)/2 + p) − npar; the baseline has free means and variances per group;
    RMSEA with lavaan's √G multi-group factor; SRMR per group over the p(p+1)/2 covariance and p mean
    residuals, each standardized by √(s_ii s_jj) or √s_ii, averaged with weights n_g/N; GFI per group
    1 − [½tr((Σ⁻¹S − I)²) + rᵀΣ⁻¹r] / [½tr((Σ⁻¹S)²) + x̄ᵀΣ⁻¹x̄] (r = x̄ − μ), weighted likewise.
    """
    q, p = layout.q, layout.p
    n_groups = len(groups)
    n_total = sum(g.n for g in groups)
    moments = n_groups * (p * (p + 1) // 2 + p)
    df = moments - n_params
    chisq = chisq0 = logl = gfi = srmr = 0.0
    for g in groups:
        values = expand(g, theta)
        sigma, mu, _, _ = implied_moments(layout.structure, values[:q], values[q:q + p], values[q + p:])
        d = g.mean - mu
        logdet_sigma = np.linalg.slogdet(sigma)[1]
        sis = np.linalg.solve(sigma, g.s)
        mahal = float(d @ np.linalg.solve(sigma, d))
        chisq += g.n * (logdet_sigma + np.trace(sis) + mahal - g.logdet - p)
        chisq0 += g.n * (np.sum(np.log(np.diag(g.s))) - g.logdet)
        logl += -0.5 * g.n * (p * LOG_2PI + logdet_sigma + np.trace(sis) + mahal)
        a = sis - np.eye(p)
        mean_term = float(g.mean @ np.linalg.solve(sigma, g.mean))
        gfi += g.n / n_total * (1 - (0.5 * np.trace(a @ a) + mahal) / (0.5 * np.trace(sis @ sis) + mean_term))
        sd = np.sqrt(np.diag(g.s))
        resid = ((g.s - sigma) / np.outer(sd, sd))[np.tril_indices(p)]
        srmr += g.n / n_total * np.sqrt((np.sum(resid ** 2) + np.sum((d / sd) ** 2)) / (p * (p + 1) / 2 + p))
    df0 = n_groups * p * (p - 1) // 2
    chisq = max(chisq, 0.0)
    out = {"chisq": chisq, "df": float(df), "pvalue": stats.chi2.sf(chisq, df) if df > 0 else np.nan,
           "chisq/df": chisq / df if df > 0 else np.nan}
    out["cfi"] = _cfi(chisq, df, chisq0, df0)
    out["tli"] = _tli(chisq, df, chisq0, df0)
    out["rmsea"] = _rmsea(chisq, df, n_total) * np.sqrt(n_groups)
    lower, upper = _rmsea_interval(chisq, int(df), n_total)
    out["rmsea.ci.lower"], out["rmsea.ci.upper"] = lower * np.sqrt(n_groups), upper * np.sqrt(n_groups)
    out["srmr"] = srmr
    out["gfi"] = gfi
    out["logl"] = logl
    out["aic"] = -2 * logl + 2 * n_params
    out["bic"] = -2 * logl + n_params * np.log(n_total)
    out["npar"] = float(n_params)
    out["ntotal"] = float(n_total)
    out["baseline.chisq"] = chisq0
    out["baseline.df"] = float(df0)
    out["ngroups"] = float(n_groups)
    return {k: float(v) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# score tests of the equality constraints (lavaan's lavTestScore)


def score_tests(fit: InvarianceFit) -> pd.DataFrame:
    """Univariate score (Lagrange multiplier) tests for releasing each equality constraint.

    Parameters
    ----------
    fit : InvarianceFit

    Returns
    -------
    DataFrame
        One row per constraint: ``name`` (lavaan's name of the parameter, e.g. ``sat1~1``), ``kind``,
        ``group`` (the group whose parameter is set equal to the reference group's), ``X2``, ``df`` (1),
        ``pvalue``; sorted as lavaan lists them. The total test of all constraints is in ``attrs["total"]``.

    Notes
    -----
    lavaan's ``lavTestScore(fit)$uni`` with its defaults (expected information; the ordinary score test
    also for MLM/MLR). Each group's free parameters are written as a vector x of their own, the
    equality constraints as Rx = 0, g is the gradient of logL/N at the constrained estimate and I the
    expected information of one observation (block-diagonal, weights n_g/N). Releasing constraint r:

        X²_r = N · gᵀ [Z_r⁺]₁₁ g,    Z_r = [[I, R_(r)ᵀ], [R_(r), 0]],

    R_(r) the constraints without row r and [·]₁₁ the leading block of the Moore–Penrose inverse.
    """
    layout, groups, theta = fit.layout, list(fit._groups), fit.theta
    n_total = sum(g.n for g in groups)
    offsets, scores, infos, owners = [], [], [], {}
    start = 0
    for gi, g in enumerate(groups):
        terms = group_terms(layout, g, expand(g, theta))
        free = np.flatnonzero(g.index >= 0)
        weight = g.n / n_total
        scores.append(-0.5 * weight * terms[1][free])
        infos.append(0.5 * weight * terms[2][np.ix_(free, free)])
        for position, k in enumerate(free):
            owners.setdefault(int(g.index[k]), []).append((gi, k, start + position))
        offsets.append(start)
        start += len(free)
    score = np.concatenate(scores)
    info = np.zeros((start, start))
    for off, block in zip(offsets, infos):
        info[off:off + len(block), off:off + len(block)] = block
    constraints = []
    for global_index in sorted(owners):
        members = owners[global_index]
        for gi, k, x_pos in members[1:]:
            constraints.append((members[0][2], x_pos, k, gi))
    if not constraints:
        out = pd.DataFrame(columns=["name", "kind", "group", "X2", "df", "pvalue"])
        out.attrs["total"] = {"X2": 0.0, "df": 0, "pvalue": np.nan}
        return out
    # lavaan lists the constraints in the order of its parameter table: by group, then parameter
    constraints.sort(key=lambda c: (c[3], _lavaan_order(layout, c[2])))
    r = np.zeros((len(constraints), start))
    for row, (a, b, _, _) in enumerate(constraints):
        r[row, a], r[row, b] = 1.0, -1.0
    # Z_r is the bordered matrix Z = [[I, Rᵀ], [R, 0]] without the row and column of constraint r, so
    # [Z_r⁻¹]₁₁ = [Z⁻¹]₁₁ − z zᵀ / [Z⁻¹]_jj with z = [Z⁻¹]₁ⱼ, j = k + r (deleting one row and column):
    # lavaan's numbers without one Moore–Penrose inverse per constraint. I alone is singular (each group's
    # intercepts and latent means are not identified without the constraints), Z is not.
    k, m = start, len(constraints)
    z_full = np.block([[info, r.T], [r, np.zeros((m, m))]])
    z_inv = np.linalg.pinv(z_full)
    lead = z_inv[:k, :k]
    base = float(score @ lead @ score)
    rows = []
    for row, (_, _, param, gi) in enumerate(constraints):
        j = k + row
        if abs(z_inv[j, j]) > 1e-10:
            x2 = float(n_total * (base - (score @ z_inv[:k, j]) ** 2 / z_inv[j, j]))
        else:  # Z_r singular: as lavaan, its Moore–Penrose inverse
            keep = np.r_[np.arange(k), k + np.flatnonzero(np.arange(m) != row)]
            x2 = float(n_total * score @ np.linalg.pinv(z_full[np.ix_(keep, keep)])[:k, :k] @ score)
        rows.append({"name": layout.names[param], "kind": layout.kinds[param], "group": groups[gi].label,
                     "X2": x2, "df": 1, "pvalue": float(stats.chi2.sf(x2, 1))})
    out = pd.DataFrame(rows)
    total = float(n_total * score @ np.linalg.pinv(info) @ score)
    out.attrs["total"] = {"X2": total, "df": len(constraints), "pvalue": float(stats.chi2.sf(total, len(constraints)))}
    return out


def _lavaan_order(layout: Layout, k: int) -> tuple:
    """A parameter's place in lavaan's parameter table: loadings, regressions, (co)variances, intercepts,
    latent means; within loadings by factor then item as written."""
    kind_rank = {"loadings": 0, "regressions": 1, "residuals": 2, "residual.covariances": 2, "lv.variances": 2,
                 "lv.covariances": 2, "intercepts": 3, "means": 4}
    return (kind_rank[layout.kinds[k]], k)


# ---------------------------------------------------------------------------------------------
# the sequence of levels


@dataclass(frozen=True)
class LevelTest:
    """One level against the previous one: the χ² difference test and the changes in CFI and RMSEA.

    ``holds`` applies the study's criterion: ``"fit_indices"`` — ΔCFI ≥ −.01 (Cheung & Rensvold 2002)
    and ΔRMSEA ≤ .015 (Chen 2007); ``"chisq"`` — the χ² difference is not significant (p ≥ .05).
    ``holds`` is None when the comparison is not established, and ``not_established`` says why:
    ``"improper"`` — a model of the pair did not converge or is improper (not a finding, so neither
    "holds" nor "does not hold"); ``"not_computable"`` — the criterion is ``"chisq"`` and the scaled
    difference test has no p-value (a negative scaling factor ĉ_d, Satorra & Bentler 2001, NaN as in lavaan).
    With MLM/MLR the difference test is scaled (Satorra & Bentler 2001) and the indices are the robust
    CFI and RMSEA (Brosseau-Liard & Savalei 2014).
    """

    level: str
    against: str
    chisq_diff: float
    df_diff: float
    pvalue: float
    method: str  # "standard" | "satorra.bentler.2001"
    delta_cfi: float  # CFI(level) − CFI(against): negative when fit gets worse
    delta_rmsea: float  # RMSEA(level) − RMSEA(against)
    holds: bool | None
    criterion: str
    scaling_factor: float | None = None
    not_established: str | None = None  # "improper" | "not_computable" when holds is None


@dataclass(frozen=True)
class PartialStep:
    """A constraint freed for partial invariance: by the study's request or by the score test."""

    level: str
    name: str  # lavaan's name, e.g. "sat1~1"
    reason: str  # "requested" | "score-test"
    X2: float | None = None  # univariate score test that suggested it
    pvalue: float | None = None


@dataclass(frozen=True)
class InvarianceResult:
    """Measurement invariance across the groups of one background question.

    Attributes
    ----------
    levels : dict
        The fitted levels (:class:`InvarianceFit`), partial where constraints were freed.
    tests : list of LevelTest
        Each level against the previous one.
    partial : list of PartialStep
        What was freed, at which level and why, in order.
    highest : str or None
        The highest level that holds (possibly partially), climbing from metric; None if metric fails.
    latent_means : DataFrame or None
        From the scalar model when (partial) scalar invariance holds: per non-reference group and
        construct, ``group, lhs, est`` (difference from the reference group), ``se, z, pvalue`` and
        ``d`` (Hancock's 2001 standardized difference, est / √ψ pooled over the groups).
    reference : str
        The reference group of the latent means (fixed at 0).
    score_tests : DataFrame or None
        Univariate score tests of the scalar model's constraints (before any freeing by the test).
    """

    groups: list[str]
    n: dict[str, int]
    estimator: str
    criterion: str
    levels: dict[str, InvarianceFit]
    tests: list[LevelTest]
    partial: list[PartialStep]
    highest: str | None
    latent_means: pd.DataFrame | None
    reference: str
    score_tests: pd.DataFrame | None
    warnings: list[str] = field(default_factory=list)


def compare_levels(restricted: InvarianceFit, free: InvarianceFit, criterion: str = "fit_indices") -> LevelTest:
    """The χ² difference test (lavTestLRT), ΔCFI and ΔRMSEA of two nested invariance models; whether a
    level holds is not established (None) when either model has no proper solution, or when the criterion
    is the χ² difference test and its p-value cannot be computed."""
    a, b = restricted.fit, free.fit
    robust = restricted.estimator != "ML"
    if robust:
        scaled = scaled_difference_test(a, b)
        diff, ddf, pvalue, factor = scaled["chisq_diff"], scaled["df_diff"], scaled["pvalue"], scaled["scaling_factor"]
        cfi, rmsea = "cfi.robust", "rmsea.robust"
    else:
        diff, ddf = a["chisq"] - b["chisq"], a["df"] - b["df"]
        pvalue, factor = float(stats.chi2.sf(diff, ddf)), None
        cfi, rmsea = "cfi", "rmsea"
    delta_cfi, delta_rmsea = a[cfi] - b[cfi], a[rmsea] - b[rmsea]
    why = None
    if not (restricted.proper and free.proper):
        holds, why = None, "improper"  # an improper model is not a finding: neither "holds" nor "does not hold"
    elif criterion == "chisq":
        if np.isfinite(pvalue):
            holds = bool(pvalue >= 0.05)
        else:  # a negative scaling factor ĉ_d (Satorra & Bentler 2001): no test, so no verdict
            holds, why = None, "not_computable"
    else:
        holds = bool(delta_cfi >= -DELTA_CFI - 1e-12 and delta_rmsea <= DELTA_RMSEA + 1e-12)
    return LevelTest(level=restricted.level, against=free.level, chisq_diff=float(diff), df_diff=float(ddf),
                     pvalue=float(pvalue), method="satorra.bentler.2001" if robust else "standard",
                     delta_cfi=float(delta_cfi), delta_rmsea=float(delta_rmsea), holds=holds, criterion=criterion,
                     scaling_factor=factor, not_established=why)


def _indicators(layout: Layout) -> dict[str, list[str]]:
    """Items (or dimensions) of each latent variable, markers included."""
    st = layout.structure
    lam = st.fixed[LAMBDA].copy()
    for which, r, c, _ in st.locations:
        if which == LAMBDA:
            lam[r, c] = 1.0
    return {f: [x for i, x in enumerate(st.observed) if lam[i, j] != 0] for j, f in enumerate(st.latent)}


def _may_free(layout: Layout, name: str, freed: set[str], minimum: int = 2) -> bool:
    """Partial invariance needs at least ``minimum`` items per construct whose parameter of this kind
    stays equal (Byrne, Shavelson & Muthén 1989; Steenkamp & Baumgartner 1998); markers count."""
    lhs, op, rhs = _split_name(name)
    if op == "=~":
        construct = lhs
        equal = [x for x in _indicators(layout)[construct] if f"{construct}=~{x}" not in freed | {name}]
        return len(equal) >= minimum
    item = lhs
    for construct, items in _indicators(layout).items():
        if item in items:
            suffix = op + rhs
            equal = [x for x in items if f"{x}{suffix}" not in freed | {name}]
            if len(equal) < minimum:
                return False
    return True


def measurement_invariance(syntax: str, data: pd.DataFrame, groups: pd.Series, *,
                           levels=("configural", "metric", "scalar"), partial=(), free_by_score_test: bool = True,
                           criterion: str = "fit_indices", max_free: int = 3, order=None, estimator: str = "ML",
                           measurement_pairs=frozenset()) -> InvarianceResult:
    """Configural → metric → scalar (→ strict) invariance with partial invariance and latent means.

    Parameters
    ----------
    syntax : str
        The measurement model (lavaan syntax), usually the first-order CFA.
    data, groups, order, estimator, measurement_pairs
        As :func:`fit_invariance_model`; the first group of ``order`` is the reference group.
    levels : sequence of str
        Consecutive levels from ``configural``: ``("configural", "metric", "scalar")`` (default) or with
        ``"strict"``.
    partial : sequence of str
        Constraints to free from the start (lavaan's ``group.partial``), e.g. ``["sat1~1"]``; each is freed
        at the level that introduces its kind (loadings: metric, intercepts: scalar, residuals: strict).
    free_by_score_test : bool
        When a level does not hold, free the constraint of that level with the largest univariate
        score test (:func:`score_tests`), refit, and repeat while the level does not hold, the largest
        test is significant (p < .05) and at most ``max_free`` constraints have been freed at that level;
        a constraint is freed only if each construct keeps at least two items with equal parameters.
    criterion : {"fit_indices", "chisq"}
        When a level holds (see :class:`LevelTest`).

    Returns
    -------
    InvarianceResult
    """
    levels = tuple(levels)
    if not levels or levels != LEVELS[:len(levels)] or len(levels) < 2:
        raise InvarianceError(f"levels must be consecutive from configural: one of "
                              f"{[list(LEVELS[:k]) for k in range(2, len(LEVELS) + 1)]}, not {list(levels)}")
    if criterion not in ("fit_indices", "chisq"):
        raise InvarianceError(f"criterion must be 'fit_indices' or 'chisq', not {criterion!r}")
    with blas_threads(1):
        parts = _split_groups(data, groups, order)
        own = _own_fits(syntax, parts, measurement_pairs)
        layout = layout_of(own[parts[0][0]])
        requested = _check_partial(layout, partial)
        kinds_of = dict(zip(layout.names, layout.kinds))
        for name in requested:
            if kinds_of[name] not in LEVEL_ADDS.values() or \
                    list(LEVEL_ADDS.values()).index(kinds_of[name]) + 1 >= len(levels):
                allowed = [LEVEL_ADDS[lev] for lev in levels[1:]]
                raise InvarianceError(f"group.partial: {name!r} is a {kinds_of[name]} parameter, which the "
                                      f"requested levels do not constrain (they constrain: {', '.join(allowed)})")

        def fit(level, freed):
            return fit_invariance_model(syntax, data, groups, GROUP_EQUAL[level], sorted(freed), order=order,
                                        measurement_pairs=measurement_pairs, estimator=estimator, level=level,
                                        _own=own)

        fits = {"configural": fit("configural", set())}
        tests, steps, freed = [], [], set()
        scalar_scores = None
        warnings = []
        for previous, level in zip(levels, levels[1:]):
            kind = LEVEL_ADDS[level]
            for name in requested:
                if kinds_of[name] == kind:
                    freed.add(name)
                    steps.append(PartialStep(level=level, name=name, reason="requested"))
            current = fit(level, freed)
            test = compare_levels(current, fits[previous], criterion)
            if level == "scalar" and current.proper:
                scalar_scores = score_tests(current)
            freed_here = 0
            # only a level that fails by the criterion is freed: not one whose test is not established
            while test.holds is False and free_by_score_test and freed_here < max_free:
                candidates = score_tests(current)
                candidates = candidates[(candidates["kind"] == kind) & ~candidates["name"].isin(freed)]
                candidates = candidates[[_may_free(layout, n, freed) for n in candidates["name"]]]
                if candidates.empty:
                    break
                best = candidates.loc[candidates["X2"].idxmax()]
                if best["pvalue"] >= 0.05:
                    break
                freed.add(best["name"])
                freed_here += 1
                steps.append(PartialStep(level=level, name=best["name"], reason="score-test",
                                         X2=float(best["X2"]), pvalue=float(best["pvalue"])))
                current = fit(level, freed)
                test = compare_levels(current, fits[previous], criterion)
            fits[level] = current
            tests.append(test)
            if test.holds is None:
                break  # the sequence stops where a level cannot be tested: later levels rest on it
        highest = None
        for test in tests:
            if not test.holds:
                break
            highest = test.level
        for name, model in fits.items():
            if not model.proper:
                for problem in model.problems:
                    warnings.append(Message(f"The {name} invariance model: ", f"{LEVEL_NAMES_ZH[name]}不变性模型：")
                                    + problem)
        latent = None
        if highest in ("scalar", "strict") and fits["scalar"].proper:
            latent = _latent_mean_table(fits["scalar"])
    return InvarianceResult(groups=fits["configural"].groups, n=fits["configural"].n, estimator=estimator,
                            criterion=criterion, levels=fits, tests=tests, partial=steps, highest=highest,
                            latent_means=latent, reference=fits["configural"].groups[0], score_tests=scalar_scores,
                            warnings=warnings)


def _latent_mean_table(fit: InvarianceFit) -> pd.DataFrame:
    """Latent mean differences from the reference group with Hancock's (2001) standardized effect size."""
    table = fit.latent_means()
    t = fit.estimates
    variances = t[(t["op"] == "~~") & (t["lhs"] == t["rhs"]) & t["lhs"].isin(fit.layout.structure.latent)]
    weights = pd.Series(fit.n, dtype=float)
    pooled = variances.assign(w=variances["group"].map(weights)).groupby("lhs").apply(
        lambda v: float(np.sum(v["w"] * v["est"]) / np.sum(v["w"])), include_groups=False)
    table["d"] = table["est"] / np.sqrt(table["lhs"].map(pooled).clip(lower=1e-300))
    return table
