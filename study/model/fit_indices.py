"""Global fit measures with lavaan's names and definitions (``fitMeasures``).

semopy's own ``calc_stats`` is not used: its GFI equals its NFI, its AGFI, AIC and BIC are on other
scales, and it has no SRMR. Everything here comes from the sample covariance S (divisor n), the
model-implied Σ, the sample size n and the number of free parameters q, for ML without a mean
structure, as lavaan 0.6 computes them.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from .estimate import FittedModel



def fit_measures(fitted: FittedModel) -> dict[str, float]:
    """lavaan's fit measures for a model fitted by ML.

    Parameters
    ----------
    fitted : FittedModel

    Returns
    -------
    dict
        Keys as in lavaan's ``fitMeasures()``: ``chisq, df, pvalue, cfi, tli, nfi, ifi, rni, rmsea,
        rmsea.ci.lower, rmsea.ci.upper, rmsea.pvalue, srmr, gfi, agfi, aic, bic, logl`` and more.

    Notes
    -----
    With F = log|Σ| + tr(SΣ⁻¹) − log|S| − p, the model chi-square is χ² = n·F (lavaan's "normal"
    likelihood) and the baseline (independence) model has χ²₀ = n·(Σ log sᵢᵢ − log|S|) on
    df₀ = p(p−1)/2 degrees of freedom. Then

    - CFI = 1 − max(χ² − df, 0) / max(χ² − df, χ²₀ − df₀, 0); TLI = (χ²₀/df₀ − χ²/df)/(χ²₀/df₀ − 1)
    - NFI = (χ²₀ − χ²)/χ²₀; IFI = (χ²₀ − χ²)/(χ²₀ − df)
    - RMSEA = √(max(χ² − df, 0)/(n·df)), with the 90 % interval from the non-central χ² and
      p-close = P(RMSEA ≤ .05)
    - SRMR (Bentler) = √(mean over i ≤ j of ((sᵢⱼ − σᵢⱼ)/√(sᵢᵢ sⱼⱼ))²)
    - GFI = 1 − tr((Σ⁻¹S − I)²)/tr((Σ⁻¹S)²) (Jöreskog & Sörbom); AGFI = 1 − (p(p+1)/2)/df·(1 − GFI)
    - logL = −n/2 (p log 2π + log|Σ| + tr(SΣ⁻¹)); AIC = −2 logL + 2q; BIC = −2 logL + q log n

    References
    ----------
    Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. Journal of
    Statistical Software, 48(2). Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes.
    Structural Equation Modeling, 6(1), 1–55.
    """
    s, sigma, n = fitted.sample_cov, fitted.sigma, fitted.n
    p = len(s)
    q = fitted.structure.n_params
    moments = p * (p + 1) // 2
    df = moments - q

    sign, logdet_sigma = np.linalg.slogdet(sigma)
    logdet_s = np.linalg.slogdet(s)[1]
    sigma_inv_s = np.linalg.solve(sigma, s)
    f_ml = logdet_sigma + np.trace(sigma_inv_s) - logdet_s - p
    chisq = max(n * f_ml, 0.0)
    chisq0 = n * (np.sum(np.log(np.diag(s))) - logdet_s)
    out = chisq_measures(chisq, df, chisq0, moments - p, n)

    sd = np.sqrt(np.diag(s))
    residual = (s - sigma) / np.outer(sd, sd)
    lower_tri = residual[np.tril_indices(p)]
    out["srmr"] = float(np.sqrt(np.mean(lower_tri ** 2)))

    a = sigma_inv_s - np.eye(p)
    out["gfi"] = 1.0 - np.trace(a @ a) / np.trace(sigma_inv_s @ sigma_inv_s)
    out["agfi"] = 1.0 - moments / df * (1.0 - out["gfi"]) if df > 0 else np.nan

    logl = -0.5 * n * (p * np.log(2 * np.pi) + logdet_sigma + np.trace(sigma_inv_s))
    out["logl"] = logl
    out["aic"] = -2 * logl + 2 * q
    out["bic"] = -2 * logl + q * np.log(n)
    out["npar"] = float(q)
    out["ntotal"] = float(n)
    return {k: float(v) for k, v in out.items()}


def chisq_measures(chisq: float, df: float, chisq0: float, df0: float, n: int) -> dict[str, float]:
    """The measures that follow from the model's and the baseline's χ² alone (one group): chisq, df,
    pvalue, chisq/df, CFI, TLI, NFI, IFI, RNI, RMSEA with its interval and p-close, and the baseline's
    χ² and df (see :func:`fit_measures` for the formulas)."""
    out: dict[str, float] = {"chisq": chisq, "df": float(df), "pvalue": stats.chi2.sf(chisq, df) if df > 0 else np.nan,
                             "chisq/df": chisq / df if df > 0 else np.nan}
    out["cfi"] = _cfi(chisq, df, chisq0, df0)
    out["tli"] = _tli(chisq, df, chisq0, df0) if df > 0 else np.nan
    out["nfi"] = (chisq0 - chisq) / chisq0
    out["ifi"] = (chisq0 - chisq) / (chisq0 - df)
    out["rni"] = 1.0 - (chisq - df) / (chisq0 - df0)
    out["rmsea"] = _rmsea(chisq, df, n)
    out["rmsea.ci.lower"], out["rmsea.ci.upper"] = _rmsea_interval(chisq, df, n)
    out["rmsea.pvalue"] = _close_fit(chisq, df, 0.05 ** 2 * n * df)
    out["baseline.chisq"] = chisq0
    out["baseline.df"] = float(df0)
    return out


def _rmsea_interval(chisq: float, df: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """The confidence interval of RMSEA from the non-central chi-square (Browne & Cudeck 1993)."""
    if df <= 0:
        return np.nan, np.nan
    tail = (1 - level) / 2

    def ncp_for(prob: float) -> float:
        # the non-centrality at which chisq sits at the given cumulative probability
        f = lambda lam: stats.ncx2.cdf(chisq, df, lam) - prob if lam > 0 else stats.chi2.cdf(chisq, df) - prob
        if f(0.0) < 0:
            return 0.0
        hi = max(chisq, 1.0)
        while f(hi) > 0:
            hi *= 2
        return optimize.brentq(f, 0.0, hi, xtol=1e-12)

    lam_lower = ncp_for(1 - tail)
    lam_upper = ncp_for(tail)
    return float(np.sqrt(lam_lower / (n * df))), float(np.sqrt(lam_upper / (n * df)))


def _cfi(x2, df, x2_b, df_b, c=1.0, c_b=1.0) -> float:
    """lavaan's ``lav_fit_cfi`` (with ĉ, ĉ_B: the robust CFI of Brosseau-Liard & Savalei 2014)."""
    if not all(np.isfinite([x2, df, x2_b, df_b, c, c_b])):
        return np.nan
    t1 = max(x2 - c * df, 0.0)
    t2 = max(x2 - c * df, x2_b - c_b * df_b, 0.0)
    return 1.0 if np.isclose(t1, 0) and np.isclose(t2, 0) else 1.0 - t1 / t2


def _tli(x2, df, x2_b, df_b, c=1.0, c_b=1.0) -> float:
    """lavaan's ``lav_fit_tli`` (with ĉ, ĉ_B: the robust TLI)."""
    if not all(np.isfinite([x2, df, x2_b, df_b, c, c_b])):
        return np.nan
    t1 = (x2 - c * df) * df_b
    t2 = (x2_b - c_b * df_b) * df
    return 1.0 - t1 / t2 if df > 0 and abs(t2) > 0 else 1.0


def _rmsea(x2, df, n, c=1.0) -> float:
    """lavaan's ``lav_fit_rmsea``: √max(χ²/(n·df) − ĉ/n, 0)."""
    if not (df > 0 and np.isfinite(x2) and np.isfinite(c)):
        return np.nan
    return float(np.sqrt(max(x2 / (n * df) - c / n, 0.0)))


def _close_fit(x2, df, ncp) -> float:
    """P(χ²(df, ncp) > x2), lavaan's ``lav_fit_rmsea_closefit``."""
    if not (df > 0 and np.isfinite(x2) and np.isfinite(ncp)):
        return np.nan
    return float(stats.ncx2.sf(x2, df, ncp))
