"""Item descriptives (psych ``describe``, type 3, and SPSS G1/G2) and Mardia's multivariate normality tests.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from ._checks import _check_items, _describe


# item level
def item_descriptives(items: pd.DataFrame) -> pd.DataFrame:
    """Descriptive statistics of each questionnaire item.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case item responses, one numeric column per item.

    Returns
    -------
    stats : :py:class:`pandas.DataFrame`
        Indexed by item, with columns ``n``, ``mean``, ``sd`` (denominator
        n - 1), ``min``, ``max``, ``skew`` and ``kurtosis`` (type 3, the
        default of R ``psych::skew`` / ``psych::kurtosi``) and ``skew_spss``
        and ``kurtosis_spss`` (type 2, the G1 / G2 printed by SPSS and SAS).
        Kurtosis is excess kurtosis (0 for a normal distribution); a
        constant item gets NaN skew and kurtosis.

    Notes
    -----
    With the central moments :math:`m_r = \\sum (x - \\bar{x})^r / n`,
    :math:`g_1 = m_3 / m_2^{3/2}` and :math:`g_2 = m_4 / m_2^2 - 3`
    (Joanes & Gill's type 1):

    .. math::

        b_1 = g_1 \\left(\\frac{n-1}{n}\\right)^{3/2}, \\quad
        b_2 = (g_2 + 3) \\left(\\frac{n-1}{n}\\right)^{2} - 3

        G_1 = g_1 \\frac{\\sqrt{n(n-1)}}{n-2}, \\quad
        G_2 = \\frac{n-1}{(n-2)(n-3)} \\left[(n+1) g_2 + 6\\right]

    ``skew``/``kurtosis`` are :math:`b_1, b_2` (type 3);
    ``skew_spss``/``kurtosis_spss`` are :math:`G_1, G_2` (type 2).
    At least 4 responses are needed for :math:`G_2`.

    References
    ----------
    .. [1] Joanes, D. N., & Gill, C. A. (1998). Comparing measures of sample
       skewness and kurtosis. *Journal of the Royal Statistical Society:
       Series D*, 47(1), 183-189.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import item_descriptives
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> item_descriptives(df)[["mean", "sd", "skew", "kurtosis_spss"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
           mean     sd   skew  kurtosis_spss
    item
    q1    3.375  1.408 -0.315         -0.564
    q2    3.625  1.188 -0.259         -1.229
    q3    3.125  1.356 -0.193         -1.078
    """
    x = _check_items(items, min_items=1, need_variance=False)
    if x.shape[0] < 4:
        raise ValueError(f"need at least 4 responses for type-2 kurtosis, got {x.shape[0]}")
    a = x.to_numpy()
    n = a.shape[0]
    dev = a - a.mean(axis=0)
    dev2 = dev * dev  # products, not powers: numpy's float power is several times slower
    m2 = dev2.mean(axis=0)
    m3 = np.einsum("ij,ij->j", dev2, dev) / n
    m4 = np.einsum("ij,ij->j", dev2, dev2) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        g1 = m3 / m2**1.5
        g2 = m4 / m2**2 - 3.0
    out = pd.DataFrame(
        {
            "n": n,
            "mean": a.mean(axis=0),
            "sd": a.std(axis=0, ddof=1),
            "min": a.min(axis=0),
            "max": a.max(axis=0),
            "skew": g1 * ((n - 1) / n) ** 1.5,
            "kurtosis": (g2 + 3.0) * ((n - 1) / n) ** 2 - 3.0,
            "skew_spss": g1 * np.sqrt(n * (n - 1)) / (n - 2),
            "kurtosis_spss": (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0),
        },
        index=pd.Index(x.columns, name="item"),
    )
    return out


def _third_moment_square_sum(z: np.ndarray, rows: int = 8192) -> float:
    """sum_{a,b,c} M_abc^2 with M_abc = sum_i z_ia z_ib z_ic, in blocks of rows: the products z_a z_b of each
    pair a <= b (one column each, written slice by slice) are multiplied by z in one matrix product; a pair
    a < b stands for (a, b) and (b, a)."""
    n, p = z.shape
    first, second = np.triu_indices(p)
    weight = np.where(first == second, 1.0, 2.0)
    moments = np.zeros((len(first), p))
    products = np.empty((min(rows, n), len(first)))
    for start in range(0, n, rows):
        block = z[start:start + rows]
        m = len(block)
        column = 0
        for a in range(p):  # columns (a, a), (a, a+1), ..., (a, p-1), as np.triu_indices orders them
            np.multiply(block[:, a:], block[:, a:a + 1], out=products[:m, column:column + p - a])
            column += p - a
        moments += products[:m].T @ block
    return float((weight[:, None] * moments**2).sum())


class MardiaResult(NamedTuple):
    """Mardia's multivariate skewness and kurtosis, as ``psych::mardia``."""

    n: int
    p: int
    b1p: float
    b2p: float
    skew: float
    p_skew: float
    small_skew: float
    p_small: float
    kurtosis: float
    p_kurt: float


# multivariate normality
def mardia(items: pd.DataFrame) -> MardiaResult:
    """Mardia's tests of multivariate skewness and kurtosis.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses, n respondents x p items (n > p).

    Returns
    -------
    result : :py:class:`MardiaResult`
        Named tuple ``(n, p, b1p, b2p, skew, p_skew, small_skew, p_small,
        kurtosis, p_kurt)``, as ``psych::mardia(x)``: the multivariate
        skewness :math:`b_{1,p}` and kurtosis :math:`b_{2,p}`, the skewness
        statistic and its p-value, its small-sample corrected version and
        p-value, and the kurtosis z statistic and its two-sided p-value.

    Notes
    -----
    With centred data :math:`\\tilde x_i` and the sample covariance
    :math:`S` (divisor n - 1, as psych), :math:`d_{ij} = \\tilde x_i^\\top
    S^{-1} \\tilde x_j`:

    .. math::

        b_{1,p} = \\frac{1}{n^2}\\sum_{i,j} d_{ij}^3, \\qquad
        b_{2,p} = \\frac{1}{n}\\sum_i d_{ii}^2

        \\text{skew} = \\frac{n b_{1,p}}{6} \\sim \\chi^2_{p(p+1)(p+2)/6},
        \\qquad
        \\text{kurtosis} = \\frac{b_{2,p} - p(p+2)}{\\sqrt{8p(p+2)/n}}
        \\sim N(0, 1)

    :math:`b_{1,p}` is computed without the n x n matrix of the :math:`d_{ij}`: expanding the cube,
    :math:`\\sum_{i,j} d_{ij}^3 = \\sum_{a,b,c} M_{abc}^2` with the third-moment tensor
    :math:`M_{abc} = \\sum_i z_{ia} z_{ib} z_{ic}` of the whitened data :math:`z_i = L^{-1}\\tilde x_i`
    (:math:`S = LL^\\top`), so the time is O(n p³) (linear in n; the pairwise sum took O(n² p)).
    The small-sample skewness multiplies the statistic by
    :math:`c = \\frac{(p+1)(n+1)(n+3)}{n((n+1)(p+1) - 6)}`. Under
    multivariate normality :math:`E(b_{2,p}) \\approx p(p+2)`; rejecting it
    argues for robust (e.g. Satorra-Bentler) CFA standard errors. p-values
    that R rounds to 0 are returned as the (tiny) exact tail probabilities.

    References
    ----------
    .. [1] Mardia, K. V. (1970). Measures of multivariate skewness and
       kurtosis with applications. *Biometrika*, 57(3), 519-530.
    .. [2] Mardia, K. V. (1974). Applications of some measures of
       multivariate skewness and kurtosis in testing normality and
       robustness studies. *Sankhya B*, 36(2), 115-128.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import mardia
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3, 4, 2],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4, 3, 3],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2, 4, 2]})
    >>> res = mardia(df)
    >>> round(res.b1p, 3), round(res.b2p, 3), round(res.kurtosis, 3)
    (1.01, 7.866, -2.059)
    """
    x = _check_items(items, min_items=1)
    n, p = x.shape
    if n <= p:
        raise ValueError(f"{_describe(x.columns, None)}: Mardia's test needs more respondents "
                         f"than items, got n = {n}")
    a = x.to_numpy()
    a = a - a.mean(axis=0)
    s = np.cov(a, rowvar=False).reshape(p, p)
    if np.linalg.cond(s) > 1e12:
        raise ValueError(f"covariance matrix of {_describe(x.columns, None)} is (nearly) singular")
    # whiten: z_i = L^-1 x_i with S = L L^T, so d_ij = z_i . z_j. The sum over all n^2 pairs of d_ij^3 equals
    # the sum of squares of the third-moment tensor M_abc = sum_i z_ia z_ib z_ic (expand the cube), which
    # takes O(n p^3) operations instead of O(n^2 p): linear in the number of respondents.
    z = np.linalg.solve(np.linalg.cholesky(s), a.T).T
    b1p = _third_moment_square_sum(z) / n**2
    b2p = float(((z**2).sum(axis=1) ** 2).sum() / n)
    df = p * (p + 1) * (p + 2) / 6
    c = (p + 1) * (n + 1) * (n + 3) / (n * ((n + 1) * (p + 1) - 6))
    skew = n * b1p / 6
    small = n * c * b1p / 6
    kurt = (b2p - p * (p + 2)) * np.sqrt(n / (8 * p * (p + 2)))
    return MardiaResult(
        n=int(n), p=int(p), b1p=float(b1p), b2p=b2p, skew=float(skew),
        p_skew=float(stats.chi2.sf(skew, df)), small_skew=float(small),
        p_small=float(stats.chi2.sf(small, df)), kurtosis=float(kurt),
        p_kurt=float(2 * stats.norm.sf(abs(kurt))),
    )
