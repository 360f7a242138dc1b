"""Robust maximum likelihood for non-normal (Likert) data, to lavaan 0.6.14's definitions.

The estimates stay the ML estimates of :func:`study.model.estimate.fit_model`; what changes are the
standard errors and the test statistic, which no longer assume multivariate normality:

- ``kind="MLM"`` is lavaan's ``estimator = "MLM"``: sandwich ("robust.sem") standard errors with the
  expected information and the Satorra–Bentler (1994) scaled chi-square.
- ``kind="MLR"`` is lavaan's ``estimator = "MLR"`` for complete data: Huber–White standard errors
  ("robust.huber.white", observed information as bread and the cross-product of casewise scores as
  meat) and the Yuan–Bentler (2000) scaled chi-square in its Mplus variant ("yuan.bentler.mplus").

:func:`robust_ml` handles one group; :func:`robust_ml_groups` a multi-group model (lavaan's
``group =`` with ``group.equal``), and :func:`scaled_difference_test` compares nested models as
lavaan's ``lavTestLRT`` does by default for both estimators (Satorra & Bentler 2001).

Notation (one observation; lavaan's ``WLS.V``, ``Delta``, ``NACOV``):

    s = vech(S), S the sample covariance with divisor n;  σ(θ) = vech Σ(θ);  Δ = ∂σ/∂θᵀ  (p* × q)
    W = ½ Dᵀ(Σ⁻¹ ⊗ Σ⁻¹)D                      normal-theory weight at the fitted Σ (D: duplication)
    E = ΔᵀWΔ                                  expected information (lavaan's objective is F_ML / 2)
    Γ = (1/n) Σᵢ (dᵢ − s)(dᵢ − s)ᵀ,  dᵢ = vech((yᵢ − ȳ)(yᵢ − ȳ)ᵀ)
                                               asymptotic covariance of √n·s, from the raw data: the
                                               4th-order moments (lavaan's default Gamma: divisor n,
                                               not n − 1, and not the unbiased version of Du & Bentler)

Data: the tests use the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the
R packages plspm (Sanchez 2013) and semPLS (Monecke & Leisch 2012).

References
----------
Satorra, A., & Bentler, P. M. (1994). Corrections to test statistics and standard errors in
covariance structure analysis. In A. von Eye & C. C. Clogg (Eds.), *Latent variables analysis:
Applications for developmental research* (pp. 399–419). Sage.

Yuan, K.-H., & Bentler, P. M. (2000). Three likelihood-based methods for mean and covariance
structure analysis with nonnormal missing data. *Sociological Methodology*, 30(1), 165–200.

Brosseau-Liard, P. E., Savalei, V., & Li, L. (2012). An investigation of the sample performance of
two nonnormality corrections for RMSEA. *Multivariate Behavioral Research*, 47(6), 904–930.

Brosseau-Liard, P. E., & Savalei, V. (2014). Adjusting incremental fit indices for nonnormality.
*Multivariate Behavioral Research*, 49(5), 460–470.

Savalei, V. (2014). Understanding robust corrections in structural equation modeling. *Structural
Equation Modeling*, 21(1), 149–160.

Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. *Journal of Statistical
Software*, 48(2), 1–36.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from ..threads import one_blas_thread
from .batch import BatchKernel
from .estimate import FittedModel, _estimates_table, sigma_derivatives
from .fit_indices import _cfi, _close_fit, _rmsea, _rmsea_interval, _tli, fit_measures

KINDS = ("MLM", "MLR")
ROBUST_FIT_NAMES = ["chisq", "df", "pvalue", "cfi", "tli", "rmsea", "chisq.scaled", "df.scaled", "pvalue.scaled",
                    "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.chisq.scaled",
                    "baseline.chisq.scaling.factor", "cfi.scaled", "tli.scaled", "rmsea.scaled",
                    "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
                    "cfi.robust", "tli.robust", "rmsea.robust", "rmsea.ci.lower.robust",
                    "rmsea.ci.upper.robust", "rmsea.pvalue.robust"]


@dataclass(frozen=True)
class RobustResult:
    """Robust standard errors and scaled test of an ML fit (see :func:`robust_ml`).

    Attributes
    ----------
    kind : {"MLM", "MLR"}
    vcov : ndarray (q, q)
        Robust covariance matrix of the free parameters (already divided by n).
    estimates : DataFrame
        The fitted model's estimates table (``lhs, op, rhs, free, est, se, z, pvalue, std_all,
        se_std``) with robust ``se``, ``z``, ``pvalue`` and delta-method ``se_std``.
    fit : dict
        lavaan's ``fitMeasures`` names: ``chisq.scaled, df.scaled, pvalue.scaled,
        chisq.scaling.factor, cfi.scaled, tli.scaled, rmsea.scaled, cfi.robust, tli.robust,
        rmsea.robust`` and more (:data:`ROBUST_FIT_NAMES`).
    scaling_factor, baseline_scaling_factor : float
        ĉ of the model and of the independence (baseline) model.
    fitted : FittedModel
        The same fit with ``vcov`` and ``estimates`` replaced by the robust ones, for code that reads a
        FittedModel (delta-method and Monte-Carlo indirect effects, reports).
    """

    kind: str
    vcov: np.ndarray
    estimates: pd.DataFrame
    fit: dict
    scaling_factor: float
    baseline_scaling_factor: float
    fitted: FittedModel

    @property
    def chisq_scaled(self) -> float:
        return self.fit["chisq.scaled"]

    @property
    def pvalue_scaled(self) -> float:
        return self.fit["pvalue.scaled"]


# ---------------------------------------------------------------------------------------------
# building blocks


def _vech_index(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each vech element (lower triangle, column by column, as lavaan)."""
    cols, rows = np.triu_indices(p)  # (col, row) pairs with row ≥ col, ordered by column
    return rows, cols


def _vech_multiplicity(p: int) -> np.ndarray:
    """How often each vech element occurs in the full matrix: 2 off the diagonal, 1 on it."""
    rows, cols = _vech_index(p)
    return np.where(rows == cols, 1.0, 2.0)


def normal_weight(sigma: np.ndarray) -> np.ndarray:
    """W = ½ Dᵀ(Σ⁻¹ ⊗ Σ⁻¹)D, the normal-theory ML weight matrix for vech(S) (p* × p*).

    Its inverse 2 D⁺(Σ ⊗ Σ)D⁺ᵀ is Γ_NT, the covariance of √n·vech(S) under normality. Element by element,
    with A = Σ⁻¹ and vech elements a = (i, j), b = (k, l) (m = 2 off the diagonal, 1 on it):

        W_ab = ¼ m_a m_b (A_ik A_jl + A_il A_jk)

    the sum over the duplicated entries of D that the product would take, without the p² × p² Kronecker
    product (1 GFlop for 30 items; tests/test_robust.py checks it equals the product).
    """
    inv = np.linalg.inv(sigma)
    rows, cols = _vech_index(len(sigma))
    m = _vech_multiplicity(len(sigma))
    paired = inv[np.ix_(rows, rows)] * inv[np.ix_(cols, cols)] + inv[np.ix_(rows, cols)] * inv[np.ix_(cols, rows)]
    return 0.25 * np.outer(m, m) * paired


GAMMA_CHUNK = 4_000_000  # elements of the rows' vech products taken at a time (32 MB), whatever the n


def gamma_adf(data: np.ndarray) -> np.ndarray:
    """Γ, the asymptotic covariance matrix of √n·vech(S) without distributional assumptions.

    .. math:: Γ = \\frac1n \\sum_i (d_i − \\bar d)(d_i − \\bar d)^T, \\quad
              d_i = \\operatorname{vech}\\big((y_i − \\bar y)(y_i − \\bar y)^T\\big)

    (Browne 1984, eq. 2.13; lavaan's ``lav_samplestats_Gamma`` with its defaults
    ``gamma.n.minus.one = FALSE``, ``gamma.unbiased = FALSE``). Its mean d̄ is vech(S), S with divisor n.
    The rows are taken a block at a time, so that a million respondents need 32 MB, not the n × p* matrix
    of their d_i (3.7 GB for 30 items).
    """
    x = np.asarray(data, dtype=float)
    yc = x - x.mean(axis=0)
    rows, cols = _vech_index(x.shape[1])
    step = max(1, GAMMA_CHUNK // len(rows))
    blocks = range(0, len(x), step)
    mean = sum((yc[i:i + step, rows] * yc[i:i + step, cols]).sum(axis=0) for i in blocks) / len(x)
    out = np.zeros((len(rows), len(rows)))
    for i in blocks:
        d = yc[i:i + step, rows] * yc[i:i + step, cols] - mean
        out += d.T @ d
    return out / len(x)


def _delta(grads: np.ndarray) -> np.ndarray:
    """Δ = ∂vech Σ / ∂θᵀ from dΣ/dθ stacked as (q, p, p)."""
    rows, cols = _vech_index(grads.shape[1])
    return grads[:, rows, cols].T


def _score_crossproduct(s: np.ndarray, sigma: np.ndarray, grads: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """B = (1/n) Σᵢ gᵢgᵢᵀ, the cross-product of the scores of the normal log-likelihood of each case,

    gᵢₖ = ½ tr[(Σ⁻¹ yᵢ yᵢᵀ Σ⁻¹ − Σ⁻¹) ∂Σ/∂θₖ],  yᵢ centred at the sample mean

    (lavaan's ``lav_mvnorm_scores_vech_sigma`` times Δ; no mean structure), from Γ rather than from the
    n × q scores: gᵢ is linear in dᵢ = vech(yᵢyᵢᵀ), gᵢ = ½[C(dᵢ − d̄) + b] with C_ka = m_a (Σ⁻¹ ∂Σ/∂θₖ Σ⁻¹)_a
    (m = 2 off the diagonal, 1 on it) and b_k = tr[(Σ⁻¹SΣ⁻¹ − Σ⁻¹) ∂Σ/∂θₖ] (0 at an ML optimum), so
    B = ¼(CΓCᵀ + bbᵀ). The same sum; q·p*² arithmetic instead of n·q·p² (a million respondents: seconds,
    not minutes).
    """
    inv = np.linalg.inv(sigma)
    rows, cols = _vech_index(len(sigma))
    middle = inv @ grads @ inv  # Σ⁻¹ ∂Σ/∂θₖ Σ⁻¹, (q, p, p)
    c = middle[:, rows, cols] * _vech_multiplicity(len(sigma))
    b = np.einsum("kij,ji->k", middle, s) - np.einsum("ij,kji->k", inv, grads)
    return 0.25 * (c @ gamma @ c.T + np.outer(b, b))


def _half_gradient(structure, theta: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Gradient of lavaan's objective F_ML/2: ½ tr[(Σ⁻¹ − Σ⁻¹SΣ⁻¹) ∂Σ/∂θₖ]."""
    sigma, grads = sigma_derivatives(structure, theta)
    inv = np.linalg.inv(sigma)
    w = inv - inv @ s @ inv
    return 0.5 * grads.reshape(len(grads), -1) @ w.ravel()


def observed_information(fitted: FittedModel, h: float = 1e-6) -> np.ndarray:
    """H = ∂²(F_ML/2)/∂θ∂θᵀ at θ̂: the observed information of one observation.

    As lavaan's ``lav_model_hessian``: the analytic gradient differentiated numerically with the
    four-point (Richardson) rule [g(θ−2h) − 8g(θ−h) + 8g(θ+h) − g(θ+2h)] / 12h, then symmetrised.
    """
    return _group_observed_information(fitted.structure, fitted.theta, fitted.sample_cov, h)


def _inverse(matrix: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(matrix)


# ---------------------------------------------------------------------------------------------
# baseline (independence) model: Σ_B = diag(S), a diagonal Δ_B


def _baseline_scaling(kind: str, n: int, s: np.ndarray, gamma: np.ndarray,
                      trace_h1: float) -> tuple[float, float, int]:
    """χ²_B, ĉ_B and df_B of the independence model with free variances (lavaan's baseline), from n
    respondents with covariance matrix ``s`` and Γ ``gamma``."""
    p = len(s)
    pstar = p * (p + 1) // 2
    df_b = pstar - p
    sigma_b = np.diag(np.diag(s))
    chisq_b = n * (np.sum(np.log(np.diag(s))) - np.linalg.slogdet(s)[1])
    grads_b = np.zeros((p, p, p))
    grads_b[np.arange(p), np.arange(p), np.arange(p)] = 1.0
    delta_b = _delta(grads_b)
    w_b = normal_weight(sigma_b)
    # at the baseline optimum θ_B = diag(S) the observed and expected information coincide:
    # H_B = E_B = diag(1 / (2 s_jj²))
    e_b_inv = _inverse(delta_b.T @ w_b @ delta_b)
    if kind == "MLM":
        trace = _trace_ugamma(w_b, delta_b, e_b_inv, gamma)
    else:
        b0 = _score_crossproduct(s, sigma_b, grads_b, gamma)
        trace = trace_h1 - np.sum(b0 * e_b_inv.T)
    return chisq_b, trace / df_b, df_b


def _trace_ugamma(w: np.ndarray, delta: np.ndarray, e_inv: np.ndarray, gamma: np.ndarray) -> float:
    """tr(UΓ) with U = W − WΔ(ΔᵀWΔ)⁻¹ΔᵀW (Satorra & Bentler 1994)."""
    wd = w @ delta
    u = w - wd @ e_inv @ wd.T
    return float(np.sum(u * gamma))


# ---------------------------------------------------------------------------------------------


def _scaled_measures(chisq: float, df: float, c: float, chisq_b: float, df_b: float, c_b: float, n: int,
                     n_groups: int = 1) -> dict[str, float]:
    """lavaan's ``.scaled`` and ``.robust`` fit measures from T = χ², its scaling factor ĉ and the
    baseline's (χ²_B, df_B, ĉ_B); n is the total sample size. With G groups the RMSEAs are multiplied
    by √G and the p-close non-centralities divided by G, as lavaan does (see :func:`robust_ml`)."""
    root_g = np.sqrt(n_groups)
    ok = df > 0 and np.isfinite(c)
    out = {"chisq.scaled": chisq / c, "df.scaled": float(df),
           "pvalue.scaled": float(stats.chi2.sf(chisq / c, df)) if df > 0 else np.nan,
           "chisq.scaling.factor": c, "baseline.chisq": chisq_b, "baseline.df": float(df_b),
           "baseline.chisq.scaled": chisq_b / c_b, "baseline.chisq.scaling.factor": c_b,
           "cfi.scaled": _cfi(chisq / c, df, chisq_b / c_b, df_b), "tli.scaled": _tli(chisq / c, df, chisq_b / c_b, df_b),
           "rmsea.scaled": _rmsea(chisq, c * df, n) * root_g}
    lower, upper = _rmsea_interval(chisq, c * df, n) if ok else (np.nan, np.nan)
    out["rmsea.ci.lower.scaled"], out["rmsea.ci.upper.scaled"] = lower * root_g, upper * root_g
    out["rmsea.pvalue.scaled"] = _close_fit(chisq, c * df, n * c * df * 0.05 ** 2 / n_groups)
    out["cfi.robust"] = _cfi(chisq, df, chisq_b, df_b, c, c_b)
    out["tli.robust"] = _tli(chisq, df, chisq_b, df_b, c, c_b)
    out["rmsea.robust"] = _rmsea(chisq, df, n, c) * root_g
    lower, upper = _rmsea_interval(chisq / c, df, n) if ok else (np.nan, np.nan)
    out["rmsea.ci.lower.robust"] = lower * np.sqrt(c) * root_g
    out["rmsea.ci.upper.robust"] = upper * np.sqrt(c) * root_g
    out["rmsea.pvalue.robust"] = _close_fit(chisq / c, df, n * df * 0.05 ** 2 / c / n_groups)
    return out


@one_blas_thread
def robust_ml(fitted: FittedModel, data: np.ndarray, kind: str = "MLM") -> RobustResult:
    """Robust standard errors, scaled chi-square and robust fit indices of an ML fit.

    Parameters
    ----------
    fitted : FittedModel
        A single-group ML fit (:func:`study.model.estimate.fit_model`), complete data.
    data : ndarray (n, p)
        The raw responses the model was fitted to, columns in the order of
        ``fitted.structure.observed``.
    kind : {"MLM", "MLR"}
        ``"MLM"``: Satorra–Bentler; ``"MLR"``: Huber–White / Yuan–Bentler (lavaan's defaults for
        these estimators).

    Returns
    -------
    RobustResult

    Notes
    -----
    **Standard errors** (lavaan's ``vcov``), n the sample size:

    - MLM (``se = "robust.sem"``):  V = E⁻¹ (ΔᵀWΓWΔ) E⁻¹ / n, with E = ΔᵀWΔ the expected information.
    - MLR (``se = "robust.huber.white"``):  V = H⁻¹ B H⁻¹ / n, with H the observed information
      (Hessian of F_ML/2, :func:`observed_information`) and B = (1/n) Σᵢ gᵢgᵢᵀ the cross-product of
      the casewise scores gᵢ = ½ tr[(Σ⁻¹yᵢyᵢᵀΣ⁻¹ − Σ⁻¹) ∂Σ/∂θ] (first-order information), which
      equals ΔᵀW[Γ + (s − σ)(s − σ)ᵀ]WΔ.

    **Scaling factor** ĉ of T = n·F_ML (df = p* − q):

    - MLM, Satorra & Bentler (1994):  ĉ = tr(UΓ)/df,  U = W − WΔE⁻¹ΔᵀW.
    - MLR, Yuan & Bentler (2000), Mplus variant:  ĉ = [tr(W_S Γ) − tr(B H⁻¹)]/df, with W_S the
      normal weight at S (the saturated model's information) and B, H as above. For a model that
      fits exactly (Σ̂ = S, where also H = E) it equals the Satorra–Bentler ĉ.

    The same ĉ_B is computed for the independence model Σ_B = diag(S) (df_B = p(p−1)/2) with
    T_B = n(Σ log s_jj − log|S|).

    **Fit indices** (lavaan 0.6.14's ``fitMeasures``):

    - chisq.scaled = T/ĉ on df degrees of freedom; its p-value; chisq.scaling.factor = ĉ;
      baseline.chisq.scaled = T_B/ĉ_B.
    - cfi.scaled, tli.scaled: CFI and TLI from T/ĉ and T_B/ĉ_B.
    - rmsea.scaled = √max(T/(n·ĉ·df) − 1/n, 0), i.e. RMSEA with the scaled χ²; its interval and
      p-close from T on ĉ·df degrees of freedom.
    - Robust versions (Brosseau-Liard, Savalei & Li 2012; Brosseau-Liard & Savalei 2014; Savalei 2014),
      estimating the population quantities of the normal-theory indices:
      rmsea.robust = √max((T − ĉ·df)/(n·df), 0);
      cfi.robust = 1 − max(T − ĉ·df, 0)/max(T − ĉ·df, T_B − ĉ_B·df_B, 0);
      tli.robust = 1 − [(T − ĉ·df)·df_B]/[(T_B − ĉ_B·df_B)·df];
      the robust RMSEA interval is √ĉ times the interval of T/ĉ on df, its p-close uses the
      non-centrality n·df·0.05²/ĉ.
    """
    kind = kind.upper()
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    x = np.asarray(data, dtype=float)
    n, p = fitted.n, len(fitted.structure.observed)
    if x.shape != (n, p):
        raise ValueError(f"data must be {n} × {p} (the fitted rows, columns in the order of "
                         f"fitted.structure.observed); got {x.shape}")
    if np.isnan(x).any():
        raise ValueError("robust ML here needs complete data (listwise deletion before fitting)")
    yc = x - x.mean(axis=0)
    s = fitted.sample_cov
    if not np.allclose(yc.T @ yc / n, s, rtol=1e-8, atol=1e-10):
        raise ValueError("data do not reproduce the fitted sample covariance matrix: are the columns "
                         "in the order of fitted.structure.observed?")

    sigma, grads = sigma_derivatives(fitted.structure, fitted.theta)
    delta = _delta(grads)
    w = normal_weight(sigma)
    gamma = gamma_adf(x)
    e_inv = _inverse(delta.T @ w @ delta)
    pstar = p * (p + 1) // 2
    df = pstar - fitted.structure.n_params

    if kind == "MLM":
        wd = w @ delta
        meat = wd.T @ gamma @ wd
        vcov = e_inv @ meat @ e_inv / n
        trace = _trace_ugamma(w, delta, e_inv, gamma) if df > 0 else np.nan
        trace_h1 = np.nan
    else:
        h_inv = _inverse(observed_information(fitted))
        meat = _score_crossproduct(s, sigma, grads, gamma)
        vcov = h_inv @ meat @ h_inv / n
        trace_h1 = float(np.sum(normal_weight(s) * gamma))  # tr(B₁A₁⁻¹) = tr(W_S Γ W_S W_S⁻¹)
        trace = trace_h1 - float(np.sum(meat * h_inv.T)) if df > 0 else np.nan
    vcov = (vcov + vcov.T) / 2

    normal = fit_measures(fitted)
    chisq = normal["chisq"]
    c = trace / df if df > 0 else np.nan
    if not c > 0:
        c = np.nan
    chisq_b, c_b, df_b = _baseline_scaling(kind, n, s, gamma, trace_h1)
    if not c_b > 0:
        c_b = np.nan

    fit = {"chisq": chisq, "df": float(df), "pvalue": normal["pvalue"], "cfi": normal["cfi"],
           "tli": normal["tli"], "rmsea": normal["rmsea"]}
    fit.update(_scaled_measures(chisq, df, c, chisq_b, df_b, c_b, n))
    fit = {k: float(v) for k, v in fit.items()}

    robust_fit = replace(fitted, vcov=vcov)
    estimates = _estimates_table(robust_fit)
    robust_fit = replace(robust_fit, estimates=estimates)
    return RobustResult(kind=kind, vcov=vcov, estimates=estimates, fit=fit, scaling_factor=float(c),
                        baseline_scaling_factor=float(c_b), fitted=robust_fit)


# ---------------------------------------------------------------------------------------------
# several groups (lavaan's group = ...): block-diagonal Γ and W, weighted by n_g / N


TESTS = {"MLM": "satorra.bentler", "MLR": "yuan.bentler.mplus"}


@dataclass(frozen=True)
class RobustGroupsResult:
    """Robust standard errors and scaled test of a multi-group ML fit (see :func:`robust_ml_groups`).

    Attributes
    ----------
    kind : {"MLM", "MLR"}
    test : str
        lavaan's name of the scaled test: ``"satorra.bentler"`` (MLM) or ``"yuan.bentler.mplus"`` (MLR).
    vcov : ndarray (Q, Q)
        Robust covariance matrix of the full parameter vector (all groups, equality-constrained
        parameters once), already divided by N.
    fit : dict
        lavaan's ``fitMeasures`` of the multi-group model, names as :data:`ROBUST_FIT_NAMES` plus
        ``ngroups``.
    scaling_factor, baseline_scaling_factor : float
        ĉ of the model and of the independence model, pooled over the groups.
    trace : float
        tr(UΓ) = ĉ·df, the quantity the scaled difference tests are built from.
    """

    kind: str
    test: str
    vcov: np.ndarray
    fit: dict
    scaling_factor: float
    baseline_scaling_factor: float
    trace: float


def _observed_information_groups(structure, theta: np.ndarray, index: list[np.ndarray],
                                 covs: list[np.ndarray], weights: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """H = Σ_g (n_g/N) H_g at θ̂, H_g = ∂²(F_ML,g/2)/∂θ∂θᵀ of each group over its own parameters
    (:func:`_group_observed_information`), added into the full parameter vector."""
    q = len(theta)
    hess = np.zeros((q, q))
    for idx, s, w in zip(index, covs, weights):
        hess[np.ix_(idx, idx)] += w * _group_observed_information(structure, theta[idx], s, h)
    return hess


def _group_observed_information(structure, theta: np.ndarray, s: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """∂²(F_ML/2)/∂θ∂θᵀ of one group, by the rule of :func:`observed_information`: the 4q gradients are
    evaluated together on stacked arrays (:class:`~study.model.batch.BatchKernel`), not one call each."""
    q = len(theta)
    points = (theta[None, None, :] + np.array([-2.0, -1.0, 1.0, 2.0])[:, None, None] * h * np.eye(q)[None]).reshape(-1, q)
    stacked = np.broadcast_to(s, (len(points), *s.shape))
    # the gradient does not involve log|S| (0 here keeps F finite wherever Σ is positive definite, S singular or not)
    f, gradient = BatchKernel(structure).evaluate_gradient(points, stacked, np.zeros(len(points)))
    if np.isfinite(f).all():
        half = 0.5 * gradient  # of F_ML/2
    else:  # Σ not positive definite within 2h of θ: one point at a time (the batch leaves those out)
        half = np.array([_half_gradient(structure, point, s) for point in points])
    g = half.reshape(4, q, q)  # g[k, j]: the gradient of F_ML/2 at θ + k h e_j
    hess = ((g[0] - 8 * g[1] + 8 * g[2] - g[3]) / (12 * h)).T
    return (hess + hess.T) / 2


@one_blas_thread
def robust_ml_groups(structure, theta: np.ndarray, index: list[np.ndarray], data: list[np.ndarray],
                     kind: str = "MLM") -> RobustGroupsResult:
    """Robust standard errors, scaled chi-square and robust fit indices of a multi-group ML fit.

    The multi-group counterpart of :func:`robust_ml`, equal to lavaan 0.6.14's
    ``sem(..., group = ..., group.equal = ..., estimator = "MLM" | "MLR")``.

    Parameters
    ----------
    structure : Structure
        The template model shared by all groups.
    theta : ndarray (Q,)
        ML estimate of the full parameter vector (an equality-constrained parameter appears once).
    index : list of ndarray
        For each group, the position in ``theta`` of each template parameter.
    data : list of ndarray (n_g, p)
        Each group's complete raw responses, columns in the order of ``structure.observed``.
    kind : {"MLM", "MLR"}

    Returns
    -------
    RobustGroupsResult

    Notes
    -----
    With f_g = n_g/N, per group Δ_g (mapped onto the full θ), W_g = ½Dᵀ(Σ_g⁻¹⊗Σ_g⁻¹)D and the ADF
    Γ_g of the group's own data (divisor n_g), the joint quantities are block-diagonal in the groups:
    √N·(s − σ) has covariance ⊕_g Γ_g/f_g and the weight of F = Σ_g f_g F_g is ⊕_g f_g W_g
    (Satorra 2000; lavaan's ``lav_test_satorra_bentler_trace_original``). lavaan's multi-group
    models have a mean structure with free intercepts; these saturate the means and leave Δ, E and
    tr(UΓ) of the covariance part unchanged, apart from the MLR term noted below.

    - MLM: E = Σ_g f_g Δ_gᵀW_gΔ_g; V = E⁻¹ [Σ_g f_g Δ_gᵀW_gΓ_gW_gΔ_g] E⁻¹ / N;
      tr(UΓ) = Σ_g tr(W_gΓ_g) − tr(E⁻¹ Σ_g f_g Δ_gᵀW_gΓ_gW_gΔ_g).
    - MLR: H = Σ_g f_g H_g (observed information), B = Σ_g f_g B_g (cross-product of casewise
      scores); V = H⁻¹BH⁻¹/N; tr(UΓ) = Σ_g [p + tr(W_{S,g}Γ_g)] − tr(BH⁻¹) − Σ_g tr(Σ_g⁻¹S_g)
      (lavaan's ``lav_test_yuan_bentler_mplus_trace``: the h1 model's trace includes p for the
      means; the intercepts' share of tr(BH⁻¹) is tr(Σ_g⁻¹S_g), which is p when the group's model
      is scale invariant).
    - ĉ = tr(UΓ)/df with df = G·p(p+1)/2 − Q. The baseline (independence model, free means and
      variances per group, df_B = G·p(p−1)/2) has no shared parameters, so its trace is the sum of
      the groups' single-group traces.
    - Fit indices as in :func:`robust_ml`, with lavaan's multi-group RMSEA: every RMSEA and its
      interval multiplied by √G, the close-fit non-centrality divided by G; rmsea.scaled uses T on
      tr(UΓ) degrees of freedom.

    References
    ----------
    Satorra, A. (2000). Scaled and adjusted restricted tests in multi-sample analysis of moment
    structures. In R. D. H. Heijmans, D. S. G. Pollock, & A. Satorra (Eds.), *Innovations in
    multivariate statistical analysis* (pp. 233–247). Kluwer.
    """
    kind = kind.upper()
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    theta = np.asarray(theta, dtype=float)
    q_total, n_groups = len(theta), len(data)
    xs = [np.asarray(x, dtype=float) for x in data]
    p = len(structure.observed)
    for x in xs:
        if x.ndim != 2 or x.shape[1] != p:
            raise ValueError(f"each group's data must have {p} columns (structure.observed); got {x.shape}")
        if np.isnan(x).any():
            raise ValueError("robust ML here needs complete data (listwise deletion before fitting)")
    ns = np.array([len(x) for x in xs])
    n_total = int(ns.sum())
    weights = ns / n_total
    pstar = p * (p + 1) // 2
    df = n_groups * pstar - q_total
    df_b = n_groups * (pstar - p)

    covs, gammas, sigmas, grads_list, deltas, ws = [], [], [], [], [], []
    for x, idx in zip(xs, index):
        yc = x - x.mean(axis=0)
        s = yc.T @ yc / len(x)
        sigma, grads = sigma_derivatives(structure, theta[idx])
        delta = np.zeros((pstar, q_total))
        delta[:, idx] = _delta(grads)
        covs.append(s)
        gammas.append(gamma_adf(x))
        sigmas.append(sigma)
        grads_list.append(grads)
        deltas.append(delta)
        ws.append(normal_weight(sigma))

    if kind == "MLM":
        e = sum(f * d.T @ w @ d for f, d, w in zip(weights, deltas, ws))
        e_inv = _inverse(e)
        meat = sum(f * d.T @ w @ gm @ w @ d for f, d, w, gm in zip(weights, deltas, ws, gammas))
        vcov = e_inv @ meat @ e_inv / n_total
        trace = sum(float(np.sum(w * gm)) for w, gm in zip(ws, gammas)) - float(np.sum(e_inv * meat.T))
    else:
        h_inv = _inverse(_observed_information_groups(structure, theta, index, covs, weights))
        meat = np.zeros((q_total, q_total))
        for f, s, sigma, grads, gm, idx in zip(weights, covs, sigmas, grads_list, gammas, index):
            meat[np.ix_(idx, idx)] += f * _score_crossproduct(s, sigma, grads, gm)
        vcov = h_inv @ meat @ h_inv / n_total
        trace_h1 = sum(p + float(np.sum(normal_weight(s) * gm)) for s, gm in zip(covs, gammas))
        trace_means = sum(float(np.trace(np.linalg.solve(sigma, s))) for sigma, s in zip(sigmas, covs))
        trace = trace_h1 - float(np.sum(meat * h_inv.T)) - trace_means
    vcov = (vcov + vcov.T) / 2

    chisq = chisq_b = trace_b = 0.0
    for n_g, s, sigma, gm in zip(ns, covs, sigmas, gammas):
        chisq += n_g * (np.linalg.slogdet(sigma)[1] + np.trace(np.linalg.solve(sigma, s))
                        - np.linalg.slogdet(s)[1] - p)
        trace_h1_g = float(np.sum(normal_weight(s) * gm)) if kind == "MLR" else np.nan
        x2_b, c_b_g, df_b_g = _baseline_scaling(kind, n_g, s, gm, trace_h1_g)
        chisq_b += x2_b
        trace_b += c_b_g * df_b_g
    chisq = max(chisq, 0.0)
    c = trace / df if df > 0 else np.nan
    if not c > 0:
        c = np.nan
    c_b = trace_b / df_b
    if not c_b > 0:
        c_b = np.nan
    root_g = np.sqrt(n_groups)
    n = n_total

    fit = {"chisq": chisq, "df": float(df), "pvalue": float(stats.chi2.sf(chisq, df)) if df > 0 else np.nan,
           "cfi": _cfi(chisq, df, chisq_b, df_b), "tli": _tli(chisq, df, chisq_b, df_b),
           "rmsea": _rmsea(chisq, df, n) * root_g}
    fit.update(_scaled_measures(chisq, df, c, chisq_b, df_b, c_b, n, n_groups))
    fit["ngroups"] = n_groups
    fit = {k: float(v) for k, v in fit.items()}
    return RobustGroupsResult(kind=kind, test=TESTS[kind], vcov=vcov, fit=fit, scaling_factor=float(c),
                              baseline_scaling_factor=float(c_b), trace=float(trace))


def scaled_difference_test(restricted: dict, free: dict) -> dict:
    """Satorra & Bentler's (2001) scaled chi-square difference test, lavaan's default in
    ``lavTestLRT`` for the "satorra.bentler", "yuan.bentler" and "yuan.bentler.mplus" tests
    (``method = "satorra.bentler.2001"``).

    Parameters
    ----------
    restricted, free : dict
        Fit measures (``chisq``, ``df``, ``chisq.scaling.factor``) of the nested (more restricted)
        model M0 and of the less restricted model M1.

    Returns
    -------
    dict
        ``chisq_diff`` (T̄_d), ``df_diff`` (m), ``pvalue`` and ``scaling_factor`` (ĉ_d), with

        .. math:: ĉ_d = \\frac{r_0 ĉ_0 − r_1 ĉ_1}{r_0 − r_1},\\qquad
                  T̄_d = \\frac{T_0 − T_1}{ĉ_d},\\qquad m = r_0 − r_1

        T the normal-theory χ², r its df, ĉ the scaling factor; a model with r = 0 has ĉ = 1. A
        negative ĉ_d gives NaN, as in lavaan.

    References
    ----------
    Satorra, A., & Bentler, P. M. (2001). A scaled difference chi-square test statistic for moment
    structure analysis. *Psychometrika*, 66(4), 507–514.
    """
    t0, r0, c0 = restricted["chisq"], restricted["df"], restricted["chisq.scaling.factor"]
    t1, r1, c1 = free["chisq"], free["df"], free["chisq.scaling.factor"]
    if r1 == 0:
        c1 = 1.0
    m = r0 - r1
    if m == 0:
        return {"chisq_diff": float(t0 - t1), "df_diff": 0.0, "pvalue": np.nan, "scaling_factor": np.nan}
    cd = (r0 * c0 - r1 * c1) / m
    if not cd >= 0:
        cd = np.nan
    diff = (t0 - t1) / cd
    return {"chisq_diff": float(diff), "df_diff": float(m), "pvalue": float(stats.chi2.sf(diff, m)),
            "scaling_factor": float(cd)}
