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
import semopy
from scipy import stats
from scipy.special import ndtr, ndtri

from ..messages import Message
from .estimate import (THETA, FittedModel, Structure, _diagnose, _estimates_table, _structure_from_semopy,
                       fisher_scoring, sigma_derivatives)
from .fit_indices import _cfi, _close_fit, _rmsea, _rmsea_interval, _tli

MAX_CATEGORIES = 11  # up to 0–10 rating scales; items with more values are not treated as ordinal
RHO_BOUND = 0.999  # lavaan's bounds for a polychoric correlation (nlminb lower/upper)
_TINY = np.sqrt(np.finfo(float).eps)  # lavaan clips cell probabilities at sqrt(.Machine$double.eps)
_BIG = 100.0  # lavaan's stand-in for ±∞ thresholds in casewise scores

WLSMV_FIT_NAMES = ["npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
                   "chisq.scaling.factor", "chisq.shift.parameter", "baseline.chisq", "baseline.df",
                   "baseline.pvalue", "baseline.chisq.scaled", "baseline.df.scaled", "baseline.pvalue.scaled",
                   "baseline.chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled",
                   "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue",
                   "rmsea.scaled", "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
                   "srmr", "wrmr"]


# ---------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class OrdinalData:
    """Items coded as categories 0 … k−1 (the observed values in increasing order).

    Attributes
    ----------
    items : list of str
    codes : ndarray (n, p) of int
    levels : list of ndarray
        The original values of the categories of each item.
    """

    items: list[str]
    codes: np.ndarray
    levels: list[np.ndarray]

    @property
    def n_categories(self) -> np.ndarray:
        return np.array([len(lv) for lv in self.levels])


def ordinal_data(data: pd.DataFrame, items: list[str] | None = None, *,
                 max_categories: int = MAX_CATEGORIES) -> OrdinalData:
    """Code the items of ``data`` as ordered categories, as lavaan's ``ordered()`` does.

    Parameters
    ----------
    data : DataFrame
        Complete cases (no missing values).
    items : list of str, optional
        Columns to use (default: all).
    max_categories : int
        Items with more distinct values are refused (they are not Likert items).

    Returns
    -------
    OrdinalData

    Raises
    ------
    ValueError
        Missing, non-integer or constant items, or more than ``max_categories`` distinct values.

    Examples
    --------
    >>> d = ordinal_data(pd.DataFrame({"a": [1, 3, 3, 7], "b": [2, 2, 5, 5]}))
    >>> d.codes[:, 0].tolist(), d.n_categories.tolist()
    ([0, 1, 1, 2], [3, 2])
    """
    items = list(data.columns) if items is None else list(items)
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise ValueError(f"items not in the data: {', '.join(missing)}")
    x = data[items].to_numpy(dtype=float)
    if np.isnan(x).any():
        bad = [c for c, m in zip(items, np.isnan(x).any(axis=0)) if m]
        raise ValueError(f"ordinal estimation needs complete data; missing values in {', '.join(bad)}")
    codes = np.empty(x.shape, dtype=int)
    levels = []
    for j, name in enumerate(items):
        col = x[:, j]
        if not np.all(col == np.round(col)):
            raise ValueError(f"item {name} has non-integer values: an ordinal (WLSMV) analysis needs "
                             "integer category codes")
        values, inverse = np.unique(col, return_inverse=True)
        if len(values) < 2:
            raise ValueError(f"item {name} has a single observed value: it carries no information")
        if len(values) > max_categories:
            raise ValueError(f"item {name} has {len(values)} distinct values (more than {max_categories}): "
                             "treat it as continuous (ML, MLR) rather than ordinal")
        codes[:, j] = inverse
        levels.append(values)
    return OrdinalData(items=items, codes=codes, levels=levels)


# ---------------------------------------------------------------------------------------------
# stage 1: thresholds


def thresholds(codes: np.ndarray, n_categories: np.ndarray) -> list[np.ndarray]:
    """Thresholds of each item from its marginal proportions.

    .. math:: τ_{jc} = Φ^{-1}\\Big(\\sum_{c' \\le c} \\hat π_{jc'}\\Big),\\qquad c = 1, …, k_j − 1

    This is the maximum-likelihood estimate of the univariate probit model without covariates
    (lavaan's ``lav_uvord_th``; ``lav_uvord_fit`` starts at it and stays there).

    Examples
    --------
    >>> [round(float(t), 4) for t in thresholds(np.array([[0], [1], [1], [2]]), np.array([3]))[0]]
    [-0.6745, 0.6745]
    """
    out = []
    for j, k in enumerate(n_categories):
        freq = np.bincount(codes[:, j], minlength=k)
        out.append(ndtri(np.cumsum(freq)[:-1] / freq.sum()))
    return out


# ---------------------------------------------------------------------------------------------
# bivariate normal distribution (Genz 2004), vectorised

_GL_X = np.array([0.9931285991850949, 0.9639719272779138, 0.9122344282513259, 0.8391169718222188,
                  0.7463319064601508, 0.6360536807265150, 0.5108670019508271, 0.3737060887154196,
                  0.2277858511416451, 0.07652652113349733])
_GL_W = np.array([0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475,
                  0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
                  0.1491729864726037, 0.1527533871307259])
_X20 = np.concatenate([1 - _GL_X, 1 + _GL_X])
_W20 = np.concatenate([_GL_W, _GL_W])


def _bvnu(h: np.ndarray, k: np.ndarray, r: np.ndarray) -> np.ndarray:
    """P(X > h, Y > k) for finite h, k and |r| < 1 (Genz's ``bvnu`` with the 20-point rule)."""
    out = np.empty(h.shape)
    two_pi = 2 * np.pi
    mid = np.abs(r) < 0.925
    if mid.any():
        hh, kk, rr = h[mid], k[mid], r[mid]
        hk = hh * kk
        hs = (hh * hh + kk * kk) / 2
        asr = np.arcsin(rr) / 2
        sn = np.sin(asr[:, None] * _X20[None, :])
        bvn = np.exp((sn * hk[:, None] - hs[:, None]) / (1 - sn * sn)) @ _W20
        out[mid] = bvn * asr / two_pi + ndtr(-hh) * ndtr(-kk)
    high = ~mid
    if high.any():  # |r| ≥ 0.925: Genz's (2004) Fortran BVND
        hh, kk, rr = h[high], k[high].copy(), r[high]
        neg = rr < 0
        kk[neg] = -kk[neg]
        hk = hh * kk
        a_s = (1 - rr) * (1 + rr)
        a = np.sqrt(a_s)
        bs = (hh - kk) ** 2
        c = (4 - hk) / 8
        d = (12 - hk) / 16
        bvn = a * np.exp(-(bs / a_s + hk) / 2) * (1 - c * (bs - a_s) * (1 - d * bs / 5) / 3 + c * d * a_s * a_s / 5)
        b = np.sqrt(bs)
        tail = np.exp(-hk / 2) * np.sqrt(two_pi) * ndtr(-b / a) * b * (1 - c * bs * (1 - d * bs / 5) / 3)
        bvn = bvn - np.where(hk > -160, tail, 0.0)
        a = a / 2
        xs = (a[:, None] * _X20[None, :]) ** 2
        rs = np.sqrt(1 - xs)
        terms = (np.exp(-bs[:, None] / (2 * xs) - hk[:, None] / (1 + rs)) / rs
                 - np.exp(-(bs[:, None] / xs + hk[:, None]) / 2) * (1 + c[:, None] * xs * (1 + d[:, None] * xs)))
        bvn = -(bvn + a * (terms @ _W20)) / two_pi
        res = np.where(neg, -bvn, bvn + ndtr(-np.maximum(hh, kk)))
        swap = neg & (kk > hh)
        res = res + np.where(swap, np.where(hh < 0, ndtr(kk) - ndtr(hh), ndtr(-hh) - ndtr(-kk)), 0.0)
        out[high] = res
    return np.clip(out, 0.0, 1.0)


def bivariate_normal_cdf(h, k, rho) -> np.ndarray:
    """Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k) for standard bivariate normal (X, Y) with correlation ρ.

    Genz's (2004) algorithm (Drezner–Wesolowsky with Gauss–Legendre quadrature; double precision),
    vectorised over broadcast arrays; h and k may be ±∞. It is the algorithm of the R package
    pbivnorm that lavaan calls.

    Examples
    --------
    >>> round(float(bivariate_normal_cdf(0.0, 0.0, 0.5)), 6)  # 1/4 + arcsin(ρ)/(2π)
    0.333333
    """
    h, k, rho = np.broadcast_arrays(np.asarray(h, float), np.asarray(k, float), np.asarray(rho, float))
    shape = h.shape
    h, k, rho = h.ravel(), k.ravel(), rho.ravel()
    out = np.empty(h.shape)
    lo_h, lo_k = h == -np.inf, k == -np.inf
    hi_h, hi_k = h == np.inf, k == np.inf
    out[lo_h | lo_k] = 0.0
    only_k = hi_h & ~lo_k
    out[only_k] = ndtr(k[only_k])
    only_h = hi_k & ~lo_h & ~hi_h
    out[only_h] = ndtr(h[only_h])
    finite = np.isfinite(h) & np.isfinite(k)
    if finite.any():
        out[finite] = _bvnu(-h[finite], -k[finite], rho[finite])
    return out.reshape(shape)


def bivariate_normal_pdf(x, y, rho) -> np.ndarray:
    """φ₂(x, y; ρ), zero where x or y is infinite."""
    x, y, rho = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float), np.asarray(rho, float))
    out = np.zeros(x.shape)
    ok = np.isfinite(x) & np.isfinite(y)
    r2 = 1 - rho[ok] ** 2
    q = (x[ok] ** 2 - 2 * rho[ok] * x[ok] * y[ok] + y[ok] ** 2) / r2
    out[ok] = np.exp(-q / 2) / (2 * np.pi * np.sqrt(r2))
    return out


# ---------------------------------------------------------------------------------------------
# stage 2: polychoric correlations


def _pairs(p: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j), i > j, in lavaan's vech order without the diagonal (column by column)."""
    cols, rows = np.triu_indices(p, 1)
    return rows, cols


def _extended(th: list[np.ndarray], width: int) -> np.ndarray:
    """Thresholds padded to (p, width + 1): −∞, τ₁ … τ_{k−1}, +∞, +∞ … (empty padding categories)."""
    out = np.full((len(th), width + 1), np.inf)
    out[:, 0] = -np.inf
    for j, t in enumerate(th):
        out[j, 1:len(t) + 1] = t
    return out


class _PairGrid:
    """Cell probabilities π_ab(ρ) and their ρ-derivatives for many bivariate tables at once."""

    def __init__(self, ext: np.ndarray, first: np.ndarray, second: np.ndarray):
        self.u = ext[first][:, :, None]  # (pairs, K+1, 1): thresholds of the row variable
        self.v = ext[second][:, None, :]  # (pairs, 1, K+1)

    @staticmethod
    def _cells(grid: np.ndarray) -> np.ndarray:
        return grid[:, 1:, 1:] - grid[:, :-1, 1:] - grid[:, 1:, :-1] + grid[:, :-1, :-1]

    def probabilities(self, rho: np.ndarray) -> np.ndarray:
        return self._cells(bivariate_normal_cdf(self.u, self.v, rho[:, None, None]))

    def derivatives(self, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """∂π/∂ρ (= φ₂ differenced over the cell corners) and ∂²π/∂ρ²."""
        r = rho[:, None, None]
        dens = bivariate_normal_pdf(self.u, self.v, r)
        u, v = np.broadcast_arrays(self.u, self.v)
        ok = dens > 0
        big_r = 1 - r * r
        uu, vv = np.where(ok, u, 0.0), np.where(ok, v, 0.0)
        # ∂φ₂/∂ρ = φ₂ · [uv(1−ρ²) − ρ(u² − 2ρuv + v²) + ρ(1−ρ²)] / (1−ρ²)²   (lavaan's guv)
        g = (uu * vv * big_r - r * (uu * uu - 2 * r * uu * vv + vv * vv) + r * big_r) / big_r ** 2
        return self._cells(dens), self._cells(dens * g)


def _frequencies(codes: np.ndarray, first: np.ndarray, second: np.ndarray, width: int) -> np.ndarray:
    cell = codes[:, first] * width + codes[:, second]  # (n, pairs)
    flat = cell + (np.arange(len(first)) * width * width)[None, :]
    return np.bincount(flat.ravel(), minlength=len(first) * width * width).reshape(len(first), width, width)


def polychoric(codes: np.ndarray, th: list[np.ndarray], *, tol: float = 1e-12,
               max_iter: int = 100) -> np.ndarray:
    """Polychoric correlation matrix by two-step maximum likelihood (Olsson 1979).

    For each pair (i, j), with the thresholds τ of stage 1 fixed, ρ maximises

    .. math:: \\ell(ρ) = \\sum_{a,b} n_{ab} \\log π_{ab}(ρ),\\quad
              π_{ab} = Φ_2(τ_{ia}, τ_{jb}; ρ) − Φ_2(τ_{i,a−1}, τ_{jb}; ρ)
                       − Φ_2(τ_{ia}, τ_{j,b−1}; ρ) + Φ_2(τ_{i,a−1}, τ_{j,b−1}; ρ)

    within [−0.999, 0.999], cell probabilities clipped at √ε (lavaan's
    ``lav_bvord_cor_twostep_fit`` / ``lav_bvord_logl_cache``). All pairs are solved together by
    Newton's method with step halving, started (as lavaan) at the Pearson correlation of the codes.

    Parameters
    ----------
    codes : ndarray (n, p) of int
        Categories 0 … k_j − 1.
    th : list of ndarray
        Thresholds of each item (:func:`thresholds`).

    Returns
    -------
    ndarray (p, p)

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> z = rng.multivariate_normal([0, 0], [[1, .6], [.6, 1]], size=2000)
    >>> codes = np.digitize(z, [-1, 0, 1])
    >>> r = polychoric(codes, thresholds(codes, np.array([4, 4])))
    >>> bool(abs(r[0, 1] - 0.6) < 0.05)
    True
    """
    p = codes.shape[1]
    width = max(len(t) for t in th) + 1
    first, second = _pairs(p)
    ext = _extended(th, width)
    grid = _PairGrid(ext, first, second)
    freq = _frequencies(codes, first, second, width).astype(float)
    n = len(codes)
    with np.errstate(invalid="ignore", divide="ignore"):
        start = np.corrcoef(codes, rowvar=False)[first, second]
    rho = np.where(np.isfinite(start) & (np.abs(start) < 1), start, 0.0)
    rho = np.clip(rho, -RHO_BOUND, RHO_BOUND)

    def loglik(r):
        return np.sum(freq * np.log(np.maximum(grid.probabilities(r), _TINY)), axis=(1, 2))

    f = loglik(rho)
    for _ in range(max_iter):
        pi = np.maximum(grid.probabilities(rho), _TINY)
        d1, d2 = grid.derivatives(rho)
        used = pi > _TINY  # lavaan drops cells with π ≤ √ε from the gradient
        grad = np.sum(np.where(used, freq * d1 / pi, 0.0), axis=(1, 2))
        hess = np.sum(np.where(used, freq * (d2 / pi - (d1 / pi) ** 2), 0.0), axis=(1, 2))
        at_bound = ((rho >= RHO_BOUND) & (grad > 0)) | ((rho <= -RHO_BOUND) & (grad < 0))
        active = (np.abs(grad) / n > tol) & ~at_bound
        if not active.any():
            break
        step = np.where(hess < 0, -grad / np.where(hess < 0, hess, -1.0), np.sign(grad) * 0.05)
        step = np.where(active, step, 0.0)
        for _halving in range(40):
            cand = np.clip(rho + step, -RHO_BOUND, RHO_BOUND)
            f_new = loglik(cand)
            worse = f_new < f - 1e-12 * np.abs(f)
            if not worse.any():
                break
            step = np.where(worse, step / 2, step)
        rho, f = np.where(worse, rho, cand), np.where(worse, f, f_new)
    out = np.eye(p)
    out[first, second] = out[second, first] = rho
    return out


# ---------------------------------------------------------------------------------------------
# Γ from casewise scores (Muthén 1984)


@dataclass(frozen=True)
class SampleStatistics:
    """Stage 1 and 2 statistics with their asymptotic covariance matrix.

    Attributes
    ----------
    items : list of str
    n : int
    thresholds : list of ndarray
    polychoric : ndarray (p, p)
    gamma : ndarray
        Γ (lavaan's ``NACOV``, ``lavInspect(fit, "gamma")``): the asymptotic covariance matrix of
        √N·s, s = (all thresholds item by item, vech*(R) column by column).
    """

    items: list[str]
    n: int
    thresholds: list[np.ndarray]
    polychoric: np.ndarray
    gamma: np.ndarray

    @property
    def n_thresholds(self) -> int:
        return int(sum(len(t) for t in self.thresholds))

    @property
    def threshold_names(self) -> list[str]:
        return [f"{item}|t{c + 1}" for item, t in zip(self.items, self.thresholds) for c in range(len(t))]

    @property
    def wls_obs(self) -> np.ndarray:
        """s = (τ, vech*(R)), lavaan's ``WLS.obs``."""
        first, second = _pairs(len(self.items))
        return np.concatenate(self.thresholds + [self.polychoric[first, second]])

    @property
    def wls_v(self) -> np.ndarray:
        """The DWLS weights 1 / diag Γ (lavaan's ``WLS.VD``, ``diag(lavInspect(fit, "wls.v"))``)."""
        return 1.0 / np.diag(self.gamma)


def asymptotic_covariance(codes: np.ndarray, th: list[np.ndarray], r: np.ndarray) -> np.ndarray:
    """Γ, the asymptotic covariance matrix of √N·(τ̂, vech*(R̂)), from casewise scores (Muthén 1984).

    With casewise scores of the univariate log-likelihoods for the thresholds (g_τ) and of the
    bivariate log-likelihoods for the correlations (g_ρ, thresholds fixed),

    .. math:: A_{11} = \\operatorname{blockdiag}_j \\sum_i g_{τ_j,i} g_{τ_j,i}^T,\\;
              A_{21} = \\Big[\\sum_i g_{ρ,i}\\, \\partial_{τ} \\ell_{ρ,i}\\Big],\\;
              A_{22} = \\operatorname{diag} \\sum_i g_{ρ,i}^2

    .. math:: B^{-1} = \\begin{pmatrix} A_{11}^{-1} & 0 \\\\ −A_{22}^{-1}A_{21}A_{11}^{-1} &
              A_{22}^{-1}\\end{pmatrix},\\qquad
              Γ = N\\, B^{-1} \\Big(\\sum_i g_i g_i^T\\Big) B^{-T},\\; g_i = (g_{τ,i}, g_{ρ,i})

    (lavaan's ``muthen1984`` and ``lav_samplestats_from_data``: ``NACOV = WLS.W * N``, with
    ``gamma.n.minus.one = FALSE``.) Rows and columns: thresholds item by item, then the
    correlations in vech* order ((2,1), (3,1), …, (p,1), (3,2), …).

    Examples
    --------
    >>> codes = np.array([[0, 0], [0, 1], [1, 1], [1, 0], [1, 1], [0, 0]])
    >>> th = thresholds(codes, np.array([2, 2]))
    >>> asymptotic_covariance(codes, th, polychoric(codes, th)).shape
    (3, 3)
    """
    n, p = codes.shape
    nth = np.array([len(t) for t in th])
    offset = np.concatenate([[0], np.cumsum(nth)])
    total_th = int(offset[-1])
    width = int(nth.max()) + 1
    ext = _extended(th, width)
    ext_f = np.clip(ext, -_BIG, _BIG)
    rows = np.arange(n)

    # univariate threshold scores: ∂ log π_c / ∂τ = φ(τ_c)/π_c (upper), −φ(τ_{c−1})/π_c (lower)
    sc_th = np.zeros((n, total_th))
    for j in range(p):
        c = codes[:, j]
        upper, lower = ext[j, c + 1], ext[j, c]
        pi = ndtr(upper) - ndtr(lower)
        has_upper = c < nth[j]
        has_lower = c > 0
        sc_th[rows[has_upper], offset[j] + c[has_upper]] = stats.norm.pdf(upper[has_upper]) / pi[has_upper]
        sc_th[rows[has_lower], offset[j] + c[has_lower] - 1] = -stats.norm.pdf(lower[has_lower]) / pi[has_lower]

    first, second = _pairs(p)  # first = i (lavaan's y1), second = j (y2)
    npairs = len(first)
    rho = r[first, second]
    grid = _PairGrid(ext, first, second)
    pi_all = np.maximum(grid.probabilities(rho), _TINY)
    d1_all, _ = grid.derivatives(rho)
    a, b = codes[:, first], codes[:, second]  # (n, pairs)
    pidx = np.broadcast_to(np.arange(npairs), a.shape)
    lik = pi_all[pidx, a, b]
    # lavaan sets the scores of a case whose cell probability is ≤ √ε to NA and sums without them
    bad = lik <= _TINY
    lik = np.where(bad, np.inf, lik)
    sc_cor = d1_all[pidx, a, b] / lik  # dx.rho
    big_r = np.sqrt(1 - rho * rho)[None, :]
    rr = rho[None, :]
    z1, z2 = ext_f[first][pidx, a + 1], ext_f[first][pidx, a]  # y1 upper, lower
    w1, w2 = ext_f[second][pidx, b + 1], ext_f[second][pidx, b]  # y2 upper, lower
    pdf = stats.norm.pdf
    y1_z1 = pdf(z1) * (ndtr((w1 - rr * z1) / big_r) - ndtr((w2 - rr * z1) / big_r))
    y1_z2 = pdf(z2) * (ndtr((w1 - rr * z2) / big_r) - ndtr((w2 - rr * z2) / big_r))
    y2_z1 = pdf(w1) * (ndtr((z1 - rr * w1) / big_r) - ndtr((z2 - rr * w1) / big_r))
    y2_z2 = pdf(w2) * (ndtr((z1 - rr * w2) / big_r) - ndtr((z2 - rr * w2) / big_r))

    # A21[pair, thresholds of y1 and y2] = Σ_i dx.rho · dx.th
    a21 = np.zeros((npairs, total_th))
    nth_1, nth_2 = nth[first][None, :], nth[second][None, :]
    for score, cat, off, k, sign in ((y1_z1 / lik, a, offset[first], nth_1, 0),
                                     (y1_z2 / lik, a, offset[first], nth_1, -1),
                                     (y2_z1 / lik, b, offset[second], nth_2, 0),
                                     (y2_z2 / lik, b, offset[second], nth_2, -1)):
        t = cat + sign  # threshold index within the item: upper = category, lower = category − 1
        valid = (t >= 0) & (t < k)
        value = sc_cor * score * (1.0 if sign == 0 else -1.0)
        np.add.at(a21, (pidx[valid], (off[None, :] + t)[valid]), value[valid])

    sc = np.hstack([sc_th, sc_cor])
    inner = sc.T @ sc
    a11 = np.zeros((total_th, total_th))
    for j in range(p):
        s = slice(offset[j], offset[j + 1])
        a11[s, s] = inner[s, s]
    a11_inv = np.linalg.inv(a11)
    a22_inv = 1.0 / np.sum(sc_cor ** 2, axis=0)
    b_inv = np.zeros((total_th + npairs, total_th + npairs))
    b_inv[:total_th, :total_th] = a11_inv
    b_inv[total_th:, :total_th] = -(a22_inv[:, None] * a21) @ a11_inv
    b_inv[total_th:, total_th:] = np.diag(a22_inv)
    gamma = n * b_inv @ inner @ b_inv.T
    return (gamma + gamma.T) / 2


def sample_statistics(data: pd.DataFrame, items: list[str] | None = None, *,
                      max_categories: int = MAX_CATEGORIES) -> SampleStatistics:
    """Thresholds, polychoric correlations and Γ of ordinal items (lavaan's ``muthen1984``).

    Parameters
    ----------
    data : DataFrame
        Complete cases, integer category codes (at most ``max_categories`` distinct values per item).
    items : list of str, optional
        The items, in this order (default: all columns).

    Returns
    -------
    SampleStatistics

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1, 2, 2, 3, 3, 1, 2, 3], "b": [1, 2, 3, 3, 2, 1, 1, 3]})
    >>> st = sample_statistics(d)
    >>> st.threshold_names
    ['a|t1', 'a|t2', 'b|t1', 'b|t2']
    """
    od = ordinal_data(data, items, max_categories=max_categories)
    th = thresholds(od.codes, od.n_categories)
    r = polychoric(od.codes, th)
    gamma = asymptotic_covariance(od.codes, th, r)
    return SampleStatistics(items=od.items, n=len(od.codes), thresholds=th, polychoric=r, gamma=gamma)


# ---------------------------------------------------------------------------------------------
# stage 3: DWLS with the delta parameterization


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
