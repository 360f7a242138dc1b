"""Ordinal items, stages 1 and 2 of lavaan's WLSMV: thresholds from the marginal proportions, polychoric
correlations by two-step bivariate maximum likelihood (lavaan ``lavCor()``), and the asymptotic covariance
matrix Γ of the thresholds and correlations from casewise scores (Muthén 1984; lavaan ``NACOV``).

The bivariate normal distribution function is Genz's (2004) algorithm (the one behind lavaan's
``pbivnorm``), vectorised with numpy. :mod:`.ordinal` fits the model (stage 3) on these statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import ndtr, ndtri


MAX_CATEGORIES = 11  # up to 0–10 rating scales; items with more values are not treated as ordinal
RHO_BOUND = 0.999  # lavaan's bounds for a polychoric correlation (nlminb lower/upper)
_TINY = np.sqrt(np.finfo(float).eps)  # lavaan clips cell probabilities at sqrt(.Machine$double.eps)
_BIG = 100.0  # lavaan's stand-in for ±∞ thresholds in casewise scores


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
