"""The studentized range distribution (Tukey HSD, Games–Howell), fast enough for a whole study.

SciPy's ``scipy.stats.studentized_range`` is exact but adaptive: about 20 ms per probability and 0.3 s
per quantile, and a study compares hundreds of pairs (the post-hoc p-values of pingouin's
``pairwise_tukey`` and ``pairwise_gameshowell`` come from it). Here the same double integral is taken on
fixed Gauss–Legendre grids, vectorized: about 1 ms per probability, equal to SciPy within 1e-11 for
k = 2…12 groups and 2 to 5000 degrees of freedom (tests/test_differences.py checks it).

With s = √(χ²_ν/ν) and the range of k standard normals W,

    P(Q ≤ q) = ∫₀^∞ g_ν(s) P(W ≤ q s) ds,   P(W ≤ w) = k ∫ φ(z) [Φ(z + w) − Φ(z)]^(k−1) dz,

g_ν(s) = ν^(ν/2) s^(ν−1) exp(−ν s²/2) / (Γ(ν/2) 2^(ν/2 − 1)) (Hartley 1944; Lund & Lund 1983).
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats

__all__ = ["cdf", "sf", "ppf"]

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(160)
_Z_LIMIT = 8.5  # φ(8.5) ≈ 2e-16: beyond it the inner integrand is nil
_TAIL = 1e-16  # the outer integral runs between the 1e-16 and 1 − 1e-16 quantiles of s


def _range_cdf(w: np.ndarray, k: int) -> np.ndarray:
    """P(range of k independent standard normals ≤ w), elementwise."""
    z = _Z_LIMIT * _NODES
    weights = _Z_LIMIT * _WEIGHTS * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
    inner = np.clip(special.ndtr(z[None, :] + w[:, None]) - special.ndtr(z)[None, :], 0.0, 1.0)
    return k * (inner ** (k - 1) * weights[None, :]).sum(axis=1)


def cdf(q, k: int, df: float) -> np.ndarray:
    """P(Q ≤ q) of the studentized range of ``k`` means with ``df`` degrees of freedom."""
    q = np.atleast_1d(np.asarray(q, dtype=float))
    if k < 2 or not df > 0:
        raise ValueError(f"the studentized range needs k ≥ 2 and df > 0, got k = {k}, df = {df}")
    lo = np.sqrt(stats.chi2.ppf(_TAIL, df) / df)
    hi = np.sqrt(stats.chi2.isf(_TAIL, df) / df)
    s = 0.5 * (hi - lo) * _NODES + 0.5 * (hi + lo)
    log_density = ((df / 2) * np.log(df) + (df - 1) * np.log(s) - df * s * s / 2 - special.gammaln(df / 2)
                   - (df / 2 - 1) * np.log(2))
    g = np.exp(log_density) * 0.5 * (hi - lo) * _WEIGHTS
    positive = np.where(q > 0, q, 0.0)
    w = _range_cdf((positive[:, None] * s[None, :]).ravel(), k).reshape(len(q), len(s))
    out = np.clip((w * g[None, :]).sum(axis=1), 0.0, 1.0)
    return np.where(q > 0, out, 0.0)


def sf(q, k: int, df: float) -> np.ndarray:
    """P(Q > q): the p-value of an observed studentized range q."""
    return 1.0 - cdf(q, k, df)


def ppf(p: float, k: int, df: float) -> float:
    """The q with P(Q ≤ q) = p (e.g. p = .95 for Tukey's 95 % intervals)."""
    if not 0 < p < 1:
        raise ValueError(f"p must be between 0 and 1, got {p}")
    return float(optimize.brentq(lambda q: cdf(q, k, df)[0] - p, 1e-6, 200.0, xtol=1e-12))
