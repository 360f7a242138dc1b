"""Ordinal (categorical) SEM: lavaan 0.6.14's ``estimator = "WLSMV"`` with ``ordered = <all items>``.

Likert items are treated as coarse measurements of continuous, standard-normal latent responses
y* (the "delta" parameterization: diag Σ* = 1). The estimation has three stages, as in lavaan
(Muthén 1984):

1. **Thresholds** τ of each item from its marginal proportions (:func:`thresholds`;
   lavaan's ``lav_uvord_fit`` / ``lav_uvord_th``), τ_c = Φ⁻¹(P(y ≤ c)).
2. **Polychoric correlations** ρ_ij, each by bivariate maximum likelihood with the thresholds of
   stage 1 fixed (:func:`polychoric`; lavaan's ``lav_bvord_cor_twostep_fit``, ``lavCor()``).
3. **DWLS** on s = (τ, vech*(R)) (vech* = lower triangle without the diagonal, column by column),
   weighted by the inverse of the diagonal of Γ, the asymptotic covariance matrix of √N·s computed
   from casewise scores (:func:`asymptotic_covariance`; lavaan's ``muthen1984`` → ``NACOV``), with
   robust ("sandwich") standard errors and the mean-and-variance adjusted ("scaled and shifted")
   chi-square (:func:`fit_wlsmv`).

Categories are the values an item actually takes (lavaan codes items with ``ordered()``): an unused
category of a 10-point scale simply has no threshold, and items may have different numbers of
categories.

The bivariate normal distribution function is Genz's (2004) algorithm (the one behind lavaan's
``pbivnorm``), vectorised with numpy.

Data: the tests use the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the
R packages plspm (Sanchez 2013) and semPLS (Monecke & Leisch 2012).

References
----------
Muthén, B. (1984). A general structural equation model with dichotomous, ordered categorical, and
continuous latent variable indicators. *Psychometrika*, 49(1), 115–132.

Olsson, U. (1979). Maximum likelihood estimation of the polychoric correlation coefficient.
*Psychometrika*, 44(4), 443–460.

Muthén, B., du Toit, S. H. C., & Spisic, D. (1997). Robust inference using weighted least squares and
quadratic estimating equations in latent variable modeling with categorical and continuous outcomes.
Unpublished technical report (the WLSMV mean-and-variance adjusted test).

Asparouhov, T., & Muthén, B. (2010). Simple second order chi-square correction. Mplus technical
appendix.

Genz, A. (2004). Numerical computation of rectangular bivariate and trivariate normal and t
probabilities. *Statistics and Computing*, 14(3), 251–260.

Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. *Journal of Statistical
Software*, 48(2), 1–36.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from ..messages import Message
from ..threads import one_blas_thread
from ._semopy import semopy
from .estimate import (THETA, FittedModel, Structure, _diagnose, _estimates_table, _structure_from_semopy,
                       fisher_scoring, sigma_derivatives)
from .fit_indices import _cfi, _close_fit, _rmsea, _rmsea_interval, _tli
from .polychoric import (MAX_CATEGORIES, SampleStatistics, _pairs, asymptotic_covariance, ordinal_data,
                         polychoric, thresholds)


WLSMV_FIT_NAMES = ["npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
                   "chisq.scaling.factor", "chisq.shift.parameter", "baseline.chisq", "baseline.df",
                   "baseline.pvalue", "baseline.chisq.scaled", "baseline.df.scaled", "baseline.pvalue.scaled",
                   "baseline.chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled",
                   "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue",
                   "rmsea.scaled", "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
                   "srmr", "wrmr"]


@dataclass(frozen=True)
class DeltaStructure(Structure):
    """A :class:`~study.model.estimate.Structure` for latent responses y* in the delta
    parameterization: the residual variances are not parameters but Θ_jj = 1 − diag(ΛΨ̃Λᵀ)_j,
    Ψ̃ = (I − B)⁻¹Ψ(I − B)⁻ᵀ, so that diag Σ*(θ) = 1 (lavaan's ``parameterization = "delta"`` with the
    scale factors Δ fixed at 1).

    :func:`~study.model.estimate.sigma_derivatives` does not see the dependence of Θ_jj on θ, so its
    derivatives are only right off the diagonal — the only elements DWLS on correlations uses.
    """

    def matrices(self, theta: np.ndarray) -> list[np.ndarray]:
        beta, lam, psi, th = super().matrices(theta)
        c = np.linalg.inv(np.eye(len(beta)) - beta)
        m = lam @ c
        common = np.einsum("ij,jk,ik->i", m, psi, m)
        th = th.copy()
        th[np.diag_indices_from(th)] = 1.0 - common
        return [beta, lam, psi, th]


def _delta_structure(structure: Structure) -> tuple[DeltaStructure, np.ndarray]:
    """Drop the residual variances of the observed variables from the free parameters.

    Returns the new structure and, for each of its parameters, the index in the old one.
    """
    loc = structure.locations
    residual_variance = (loc[:, 0] == THETA) & (loc[:, 1] == loc[:, 2])
    dropped = np.unique(loc[residual_variance, 3])
    if np.isin(dropped, loc[~residual_variance, 3]).any():
        raise ValueError("a residual variance shares its parameter with another one (equality "
                         "constraint): not supported with the delta parameterization")
    keep = loc[~residual_variance]
    old = np.unique(keep[:, 3])
    renumber = np.full(structure.n_params, -1)
    renumber[old] = np.arange(len(old))
    keep = keep.copy()
    keep[:, 3] = renumber[keep[:, 3]]
    fixed = [m.copy() for m in structure.fixed]
    return (DeltaStructure(observed=structure.observed, latent=structure.latent, locations=keep,
                           fixed=tuple(fixed), n_params=len(old)), old)


def _dwls(structure: DeltaStructure, r: np.ndarray, weights: np.ndarray, theta: np.ndarray, *,
          tol: float = 1e-10, max_iter: int = 500) -> tuple[np.ndarray, bool, int]:
    """Minimise F(θ) = Σ_c w_c (r_c − σ_c(θ))² over the correlations by Gauss–Newton with step halving."""
    first, second = _pairs(len(r))
    obs = r[first, second]

    def terms(t):
        sigma, grads = sigma_derivatives(structure, t)
        resid = obs - sigma[first, second]
        return float(np.sum(weights * resid ** 2)), resid, grads[:, first, second].T

    f, resid, delta = terms(theta)
    for iteration in range(1, max_iter + 1):
        wd = weights[:, None] * delta
        gradient = -2 * wd.T @ resid
        if np.max(np.abs(gradient)) < tol:
            return theta, True, iteration
        info = delta.T @ wd
        try:
            step = np.linalg.solve(info, wd.T @ resid)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(info, wd.T @ resid, rcond=None)[0]
        for _ in range(40):
            cand = theta + step
            f_new, resid_new, delta_new = terms(cand)
            if f_new <= f + 1e-14:
                break
            step = step / 2
        else:
            return theta, False, iteration
        theta, f, resid, delta = cand, f_new, resid_new, delta_new
    return theta, False, max_iter


@dataclass(frozen=True)
class OrdinalFit:
    """A model fitted by lavaan's WLSMV (see :func:`fit_wlsmv`).

    Attributes
    ----------
    fitted : FittedModel
        ``sample_cov`` is the polychoric matrix, ``theta`` the DWLS estimates of the structural
        parameters (loadings, paths, latent (co)variances, residual covariances — no thresholds and
        no residual variances, which are 1 − R² in the delta parameterization), ``vcov`` their robust
        covariance matrix; ``estimates`` has the usual columns (the items' residual variances appear
        as fixed rows with ``est`` = ``std_all`` = 1 − R²).
    fit : dict
        lavaan's ``fitMeasures`` for WLSMV (:data:`WLSMV_FIT_NAMES`).
    thresholds : DataFrame
        lavaan's ``|`` rows: ``lhs, op, rhs, item, est, se, z, pvalue`` (rhs ``t1``, ``t2`` …).
    statistics : SampleStatistics
        Thresholds, polychoric correlations and Γ (items in the order of ``fitted.structure.observed``).
    """

    fitted: FittedModel
    fit: dict
    thresholds: pd.DataFrame
    statistics: SampleStatistics

    @property
    def polychoric(self) -> pd.DataFrame:
        items = self.statistics.items
        return pd.DataFrame(self.statistics.polychoric, index=items, columns=items)

    @property
    def estimates(self) -> pd.DataFrame:
        return self.fitted.estimates

    @property
    def chisq_scaled(self) -> float:
        return self.fit["chisq.scaled"]

    @property
    def pvalue_scaled(self) -> float:
        return self.fit["pvalue.scaled"]


def _scaled_shifted(u: np.ndarray, gamma: np.ndarray, df: float) -> tuple[float, float, float]:
    """tr(UΓ), and the scale a⁻¹ and shift b of T_ss = a·T + b, a = √(df / tr((UΓ)²)), b = df − a·tr(UΓ)."""
    ug = u @ gamma
    trace = float(np.trace(ug))
    trace2 = float(np.sum(ug * ug.T))
    a = np.sqrt(df / trace2)
    return trace, 1.0 / a, df - a * trace


@one_blas_thread
def fit_wlsmv(syntax: str, data: pd.DataFrame, *, measurement_pairs=frozenset(),
              max_categories: int = MAX_CATEGORIES) -> OrdinalFit:
    """Fit a model to ordinal items as lavaan's ``sem(..., estimator = "WLSMV", ordered = <items>)``.

    Parameters
    ----------
    syntax : str
        lavaan-style model description (``=~``, ``~``, ``~~``).
    data : DataFrame
        Complete cases; every observed variable of the model with integer categories (at most
        ``max_categories`` distinct values; empty categories are dropped as lavaan does).
    measurement_pairs : set of (latent, indicator), optional
        Second-order loadings (as for :func:`study.model.estimate.fit_model`).

    Returns
    -------
    OrdinalFit

    Notes
    -----
    With s = (τ̂, vech*(R̂)) and σ(θ) its model counterpart (thresholds saturated, σ_ij = Σ*_ij(θ),
    Σ* = Λ(I − B)⁻¹Ψ(I − B)⁻ᵀΛᵀ + Θ with diag Σ* = 1), W = diag(Γ)⁻¹, N the sample size:

    - **Estimates** minimise F = (s − σ)ᵀW(s − σ) (lavaan's ``estimator.DWLS``); the thresholds are
      the sample thresholds.
    - **Standard errors** (``se = "robust.sem"``, ``lav_model_nvcov_robust_sem``):
      V = E⁻¹ ΔᵀWΓWΔ E⁻¹ / N, E = ΔᵀWΔ, Δ = ∂σ/∂θᵀ.
    - **Test** T = (N − 1)·F (lavaan's DWLS objective is ½ (N−1)/N · F, and T = 2N·objective);
      df = p(p−1)/2 − q. The mean-and-variance adjusted test (``test = "scaled.shifted"``,
      ``lav_test_satorra_bentler``, Asparouhov & Muthén 2010): U = W − WΔE⁻¹ΔᵀW,
      a = √(df / tr((UΓ)²)), b = df − a·tr(UΓ), chisq.scaled = a·T + b on df degrees of freedom,
      chisq.scaling.factor = 1/a, shift = b.
    - **Baseline** (independence) model: thresholds free, correlations zero, T_B = (N − 1)Σ w_c r_c²
      on p(p−1)/2 df, scaled and shifted the same way.
    - cfi, tli from (T, T_B); cfi.scaled, tli.scaled from the scaled statistics; rmsea =
      √max(T/(N·df) − 1/N, 0) and rmsea.scaled the same with the scaled T, each with its 90 %
      interval and p-close; srmr = root mean square of R̂ − Σ* over the lower triangle with the
      diagonal (lavaan's Bentler SRMR without means for categorical data); wrmr = √(T / dim s).
    - std.all: the latent responses have unit variance, so std.all standardizes by the latent
      variables only (lavaan's ``standardizedSolution``), with delta-method standard errors.

    Not included: lavaan's ``cfi.robust``/``rmsea.robust`` for categorical data (``lav_fit_catml_dwls``),
    the theta parameterization, exogenous covariates, missing data, multiple groups.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = 0.8 * rng.normal(size=(300, 1)) + 0.6 * rng.normal(size=(300, 4))
    >>> likert = pd.DataFrame(np.digitize(y, [-1, 0, 1]) + 1, columns=["a", "b", "c", "d"])
    >>> fit = fit_wlsmv("F =~ a + b + c + d", likert)
    >>> fit.fit["df"], fit.fitted.converged
    (2.0, True)
    >>> fit.thresholds["rhs"].tolist()[:3]
    ['t1', 't2', 't3']
    """
    model = semopy.Model(syntax)
    observed = list(model.vars["observed"])
    od = ordinal_data(data, observed, max_categories=max_categories)
    th = thresholds(od.codes, od.n_categories)
    r = polychoric(od.codes, th)
    n = len(od.codes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            model.load(data=data[observed].astype(float), cov=pd.DataFrame(r, index=observed, columns=observed))
        finally:
            logging.disable(logging.NOTSET)
    full = _structure_from_semopy(model)
    # from here on, the items are in the order of the model matrices
    order = [observed.index(v) for v in full.observed]
    codes, th, r = od.codes[:, order], [th[i] for i in order], r[np.ix_(order, order)]
    stats_ = SampleStatistics(items=list(full.observed), n=n, thresholds=th, polychoric=r,
                              gamma=asymptotic_covariance(codes, th, r))
    structure, kept = _delta_structure(full)
    p = len(r)
    nth = stats_.n_thresholds
    gamma = stats_.gamma
    gamma_c = gamma[nth:, nth:]
    w = 1.0 / np.diag(gamma_c)
    # Gauss–Newton from semopy's starting values; should that fail, from the ML solution for R
    theta_start = np.asarray(model.param_vals, dtype=float)
    theta, converged, iterations = _dwls(structure, r, w, theta_start[kept].copy())
    if not converged:
        theta_ml, ok, _ = fisher_scoring(full, r, theta_start)
        if ok:
            theta, converged, iterations = _dwls(structure, r, w, theta_ml[kept].copy())

    first, second = _pairs(p)
    sigma, grads = sigma_derivatives(structure, theta)
    delta = grads[:, first, second].T  # (pairs, q)
    wd = w[:, None] * delta
    info = delta.T @ wd
    problems: list[str] = []
    near_one = [(full.observed[i], full.observed[j]) for i, j in zip(first, second) if abs(r[i, j]) > 0.99]
    if near_one:  # lavaan warns "correlation between variables … is (nearly) 1.0"
        names = ", ".join(f"{a}–{b}" for a, b in near_one)
        problems.append(Message(
            f"Polychoric correlation (nearly) ±1 between {names}: the items are (almost) redundant or "
            "their cross-table is too sparse; estimates involving them are unstable.",
            f"{names} 之间的多分格相关系数接近 ±1：题项（几乎）重复或交叉表过于稀疏，相关估计不稳定。"))
    eig = np.linalg.eigvalsh(info)
    if eig.min() > 1e-10 * max(eig.max(), 1.0):
        e_inv = np.linalg.inv(info)
    else:
        problems.append(Message(
            "The information matrix is singular: the model is not identified with these data "
            "(empirical under-identification); standard errors cannot be trusted.",
            "信息矩阵奇异：模型在这些数据上无法识别（经验性识别不足），标准误不可信。"))
        e_inv = np.linalg.pinv(info)
    vcov = e_inv @ (wd.T @ gamma_c @ wd) @ e_inv / (n - 1)  # lavaan's lav_model_vcov: N − 1 for (D)WLS
    vcov = (vcov + vcov.T) / 2

    fitted = FittedModel(syntax=syntax, structure=structure, n=n, sample_cov=r, theta=theta, vcov=vcov,
                         converged=converged, iterations=iterations, estimates=pd.DataFrame(),
                         measurement_pairs=frozenset(measurement_pairs), problems=problems)
    estimates = _estimates_table(fitted)
    fitted = replace(fitted, estimates=estimates, problems=problems + _diagnose(fitted, estimates))

    # thresholds: saturated, V_ττ = Γ_ττ / (N − 1)
    th_est = np.concatenate(stats_.thresholds)
    th_se = np.sqrt(np.diag(gamma[:nth, :nth]) / (n - 1))
    names = stats_.threshold_names
    th_table = pd.DataFrame({"lhs": [nm.split("|")[0] for nm in names], "op": "|",
                             "rhs": [nm.split("|")[1] for nm in names], "est": th_est, "se": th_se})
    th_table["z"] = th_table["est"] / th_table["se"]
    th_table["pvalue"] = 2 * stats.norm.sf(np.abs(th_table["z"]))

    fit = _wlsmv_fit(r, sigma, w, gamma_c, wd, e_inv, n, structure.n_params, nth)
    return OrdinalFit(fitted=fitted, fit=fit, thresholds=th_table, statistics=stats_)


def _wlsmv_fit(r, sigma, w, gamma_c, wd, e_inv, n, q, nth) -> dict[str, float]:
    p = len(r)
    first, second = _pairs(p)
    resid = r[first, second] - sigma[first, second]
    pstar = len(first)
    df = pstar - q
    chisq = max((n - 1) * float(np.sum(w * resid ** 2)), 0.0)
    out: dict[str, float] = {"npar": float(q + nth), "chisq": chisq, "df": float(df),
                             "pvalue": float(stats.chi2.sf(chisq, df)) if df > 0 else np.nan}
    if df > 0:
        u = np.diag(w) - wd @ e_inv @ wd.T
        _, scale, shift = _scaled_shifted(u, gamma_c, df)
        scaled = chisq / scale + shift
    else:
        scale = shift = np.nan
        scaled = chisq
    out.update({"chisq.scaled": scaled, "df.scaled": float(df),
                "pvalue.scaled": float(stats.chi2.sf(scaled, df)) if df > 0 else np.nan,
                "chisq.scaling.factor": scale, "chisq.shift.parameter": shift})
    # baseline: correlations fixed at zero, U_B = W
    chisq_b = (n - 1) * float(np.sum(w * r[first, second] ** 2))
    _, scale_b, shift_b = _scaled_shifted(np.diag(w), gamma_c, pstar)
    scaled_b = chisq_b / scale_b + shift_b
    out.update({"baseline.chisq": chisq_b, "baseline.df": float(pstar),
                "baseline.pvalue": float(stats.chi2.sf(chisq_b, pstar)),
                "baseline.chisq.scaled": scaled_b, "baseline.df.scaled": float(pstar),
                "baseline.pvalue.scaled": float(stats.chi2.sf(scaled_b, pstar)),
                "baseline.chisq.scaling.factor": scale_b})
    out["cfi"] = _cfi(chisq, df, chisq_b, pstar)
    out["tli"] = _tli(chisq, df, chisq_b, pstar)
    out["cfi.scaled"] = _cfi(scaled, df, scaled_b, pstar)
    out["tli.scaled"] = _tli(scaled, df, scaled_b, pstar)
    n1 = n - 1  # lavaan's lav_utils_get_ntotal: N − 1 for estimators other than ML
    for suffix, x2 in (("", chisq), (".scaled", scaled)):
        if df > 0:
            out["rmsea" + suffix] = _rmsea(x2, df, n1)
            lower, upper = _rmsea_interval(x2, df, n1)
        else:  # lavaan: RMSEA and its interval are 0 for a saturated model
            out["rmsea" + suffix], lower, upper = 0.0, 0.0, 0.0
        out["rmsea.ci.lower" + suffix], out["rmsea.ci.upper" + suffix] = lower, upper
        out["rmsea.pvalue" + suffix] = _close_fit(x2, df, n1 * df * 0.05 ** 2)
    lower_tri = np.tril_indices(p)
    out["srmr"] = float(np.sqrt(np.mean((r - sigma)[lower_tri] ** 2)))
    out["wrmr"] = float(np.sqrt(chisq / (nth + pstar)))
    return {k: float(v) for k, v in out.items()}
