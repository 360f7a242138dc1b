"""Measurement-model statistics for multi-item survey scales.

Pure functions on complete-case item data (one column per questionnaire
item) that reproduce the numbers of the standard R tools used in
satisfaction-loyalty studies: ``psych`` (descriptives, alpha and its Feldt
confidence interval, item-total, KMO, Bartlett, Mardia, parallel analysis,
exploratory factor analysis), ``semTools`` (HTMT, omega) and the Fornell &
Larcker (1981) composite reliability / AVE criteria computed from
standardized CFA loadings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "KMOResult",
    "BartlettResult",
    "item_descriptives",
    "cronbach_alpha",
    "standardized_alpha",
    "item_total",
    "kmo",
    "bartlett_sphericity",
    "harman_single_factor",
    "htmt",
    "htmt_interval",
    "composite_reliability",
    "average_variance_extracted",
    "fornell_larcker",
    "AlphaCI",
    "MardiaResult",
    "ParallelAnalysisResult",
    "EFAResult",
    "alpha_ci",
    "omega_from_loadings",
    "mcdonald_omega",
    "mardia",
    "parallel_analysis",
    "efa",
    "cross_loadings",
]


class KMOResult(NamedTuple):
    """Kaiser-Meyer-Olkin measure of sampling adequacy (unpacks as a tuple)."""

    overall: float
    per_item: pd.Series


class BartlettResult(NamedTuple):
    """Bartlett's test of sphericity (unpacks as ``chisq, df, pvalue``)."""

    chisq: float
    df: int
    pvalue: float


# --------------------------------------------------------------------------
# input validation
# --------------------------------------------------------------------------
def _describe(columns: Iterable, name: str | None) -> str:
    cols = ", ".join(map(str, columns)) or "<none>"
    return f"construct {name!r} (items: {cols})" if name else f"items [{cols}]"


def _check_items(
    items: pd.DataFrame,
    *,
    min_items: int = 2,
    name: str | None = None,
    need_variance: bool = True,
) -> pd.DataFrame:
    """Validate an item frame and return it as float64.

    Raises ``ValueError`` naming the offending construct, items or column.
    """
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    if items.columns.has_duplicates:
        dup = items.columns[items.columns.duplicated()].unique().tolist()
        raise ValueError(f"duplicated item column(s): {', '.join(map(str, dup))}")
    if items.shape[1] < min_items:
        raise ValueError(
            f"{_describe(items.columns, name)} has {items.shape[1]} item(s); "
            f"at least {min_items} are needed"
        )
    for col in items.columns:
        s = items[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise ValueError(f"column {col!r} is not numeric (dtype {s.dtype})")
    x = items.astype("float64")
    bad = [c for c in x.columns if x[c].isna().any()]
    if bad:
        raise ValueError(
            "missing values in column(s) " + ", ".join(map(repr, bad))
            + "; pass complete cases only"
        )
    inf = [c for c in x.columns if not np.isfinite(x[c].to_numpy()).all()]
    if inf:
        raise ValueError("non-finite values in column(s) " + ", ".join(map(repr, inf)))
    if x.shape[0] < 3:
        raise ValueError(
            f"{_describe(items.columns, name)}: need at least 3 rows, got {x.shape[0]}"
        )
    if need_variance:
        const = [c for c in x.columns if np.ptp(x[c].to_numpy()) == 0]
        if const:
            raise ValueError("column(s) with zero variance: " + ", ".join(map(repr, const)))
    return x


def _check_loadings(std_loadings, name: str | None = None) -> np.ndarray:
    if isinstance(std_loadings, Mapping):
        labels = list(std_loadings.keys())
        lam = np.asarray(list(std_loadings.values()), dtype=float)
    elif isinstance(std_loadings, pd.Series):
        labels = list(std_loadings.index)
        name = name or (str(std_loadings.name) if std_loadings.name is not None else None)
        lam = std_loadings.to_numpy(dtype=float)
    else:
        lam = np.asarray(std_loadings, dtype=float).ravel()
        labels = [f"#{i}" for i in range(lam.size)]
    if lam.size < 2:
        raise ValueError(
            f"{_describe(labels, name)} has {lam.size} loading(s); at least 2 are needed"
        )
    if not np.isfinite(lam).all():
        raise ValueError(f"{_describe(labels, name)}: loadings must be finite")
    over = [str(lbl) for lbl, v in zip(labels, lam) if abs(v) > 1]
    if over:
        raise ValueError(
            f"{_describe(labels, name)}: standardized loading(s) above 1 in absolute value "
            f"(Heywood case) for {', '.join(over)}"
        )
    return lam


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    return k / (k - 1) * (1.0 - np.trace(c) / c.sum())


# --------------------------------------------------------------------------
# item level
# --------------------------------------------------------------------------
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
    m2 = (dev**2).mean(axis=0)
    m3 = (dev**3).mean(axis=0)
    m4 = (dev**4).mean(axis=0)
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


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha (raw, covariance-based) of a multi-item scale.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the k >= 2 items of one construct.

    Returns
    -------
    alpha : float
        Raw alpha, as ``psych::alpha(...)$total$raw_alpha``.

    Notes
    -----
    With item variances :math:`\\sigma^2_i` and the variance of the sum
    score :math:`\\sigma^2_X` (both with denominator n - 1, which cancels):

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i \\sigma^2_i}{\\sigma^2_X}\\right)

    Items are not reverse-keyed (psych's ``check.keys = FALSE``); recode
    negatively worded items beforehand.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal
       structure of tests. *Psychometrika*, 16(3), 297-334.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import cronbach_alpha
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> round(cronbach_alpha(df), 4)
    0.9085
    """
    x = _check_items(items)
    return float(_alpha_from_cov(np.cov(x.to_numpy(), rowvar=False)))


def standardized_alpha(items: pd.DataFrame) -> float:
    """Standardized Cronbach's alpha (from the mean inter-item correlation).

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the k >= 2 items of one construct.

    Returns
    -------
    alpha : float
        Standardized alpha, as ``psych::alpha(...)$total$std.alpha``.

    Notes
    -----
    With :math:`\\bar{r}` the mean of the k(k-1)/2 inter-item Pearson
    correlations (the Spearman-Brown formula applied to :math:`\\bar{r}`):

    .. math:: \\alpha_{std} = \\frac{k \\bar{r}}{1 + (k - 1) \\bar{r}}

    References
    ----------
    .. [1] Falk, C. F., & Savalei, V. (2011). The relationship between
       unstandardized and standardized alpha, true reliability, and the
       underlying measurement model. *Journal of Personality Assessment*,
       93(5), 445-453.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import standardized_alpha
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> round(standardized_alpha(df), 4)
    0.9101
    """
    x = _check_items(items)
    r = np.corrcoef(x.to_numpy(), rowvar=False)
    k = r.shape[0]
    rbar = (r.sum() - k) / (k * (k - 1))
    return float(k * rbar / (1 + (k - 1) * rbar))


def item_total(items: pd.DataFrame) -> pd.DataFrame:
    """Corrected item-total correlations and alpha if item deleted.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the k >= 3 items of one construct (with
        two items, deleting one leaves no scale to compute alpha on).

    Returns
    -------
    stats : :py:class:`pandas.DataFrame`
        Indexed by item, with ``citc`` (correlation of the item with the sum
        of the *other* items; ``psych::alpha(...)$item.stats$r.drop``) and
        ``alpha_if_deleted`` (raw alpha of the remaining k - 1 items;
        ``psych::alpha(...)$alpha.drop$raw_alpha``).

    Notes
    -----
    For item :math:`i` and the rest score :math:`X_{-i} = \\sum_{j \\ne i} x_j`:

    .. math::

        \\mathrm{CITC}_i = \\mathrm{cor}(x_i, X_{-i}), \\qquad
        \\alpha_{-i} = \\frac{k-1}{k-2}\\left(1 - \\frac{\\sum_{j \\ne i}
        \\sigma^2_j}{\\sigma^2_{X_{-i}}}\\right)

    References
    ----------
    .. [1] Revelle, W. psych: Procedures for Psychological, Psychometric, and
       Personality Research (function ``alpha``). R package.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import item_total
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> item_total(df).round(3)  # doctest: +NORMALIZE_WHITESPACE
           citc  alpha_if_deleted
    item
    q1    0.910             0.787
    q2    0.804             0.885
    q3    0.756             0.920
    """
    x = _check_items(items, min_items=3)
    a = x.to_numpy()
    c = np.cov(a, rowvar=False)
    k = c.shape[0]
    citc = np.empty(k)
    alpha_del = np.empty(k)
    for i in range(k):
        keep = np.arange(k) != i
        rest = a[:, keep].sum(axis=1)
        citc[i] = np.corrcoef(a[:, i], rest)[0, 1]
        alpha_del[i] = _alpha_from_cov(c[np.ix_(keep, keep)])
    return pd.DataFrame(
        {"citc": citc, "alpha_if_deleted": alpha_del},
        index=pd.Index(x.columns, name="item"),
    )


# --------------------------------------------------------------------------
# factorability and common-method checks
# --------------------------------------------------------------------------
def kmo(items: pd.DataFrame) -> KMOResult:
    """Kaiser-Meyer-Olkin measure of sampling adequacy (MSA).

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to all items entering the factor analysis.

    Returns
    -------
    result : :py:class:`KMOResult`
        Named tuple ``(overall, per_item)``: the overall MSA (float) and the
        per-item MSA (:py:class:`pandas.Series` indexed by item), as
        ``psych::KMO(x)$MSA`` and ``$MSAi``.

    Notes
    -----
    With the Pearson correlations :math:`r_{ij}` and the partial
    correlations :math:`q_{ij} = -p_{ij} / \\sqrt{p_{ii} p_{jj}}` from
    :math:`P = R^{-1}` (the anti-image correlations), summing over
    :math:`i \\ne j`:

    .. math::

        \\mathrm{KMO} = \\frac{\\sum\\sum r_{ij}^2}
        {\\sum\\sum r_{ij}^2 + \\sum\\sum q_{ij}^2}, \\qquad
        \\mathrm{MSA}_j = \\frac{\\sum_{i} r_{ij}^2}
        {\\sum_{i} r_{ij}^2 + \\sum_{i} q_{ij}^2}

    A singular correlation matrix raises ``ValueError`` (psych falls back
    to a pseudo-inverse there, which is rarely what an analyst wants).

    References
    ----------
    .. [1] Kaiser, H. F., & Rice, J. (1974). Little Jiffy, Mark IV.
       *Educational and Psychological Measurement*, 34(1), 111-117.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import kmo
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> overall, per_item = kmo(df)
    >>> round(overall, 3)
    0.657
    >>> per_item.round(3).tolist()
    [0.597, 0.671, 0.738]
    """
    x = _check_items(items)
    r = np.corrcoef(x.to_numpy(), rowvar=False)
    if np.linalg.cond(r) > 1e12:
        raise ValueError(f"correlation matrix of {_describe(x.columns, None)} is (nearly) singular")
    p = np.linalg.inv(r)
    d = np.sqrt(np.diag(p))
    q = p / np.outer(d, d)
    np.fill_diagonal(q, 0.0)
    r2 = r**2
    np.fill_diagonal(r2, 0.0)
    q2 = q**2
    overall = r2.sum() / (r2.sum() + q2.sum())
    per_item = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    return KMOResult(float(overall), pd.Series(per_item, index=x.columns, name="msa"))


def bartlett_sphericity(items: pd.DataFrame) -> BartlettResult:
    """Bartlett's test that the item correlation matrix is an identity matrix.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to all items entering the factor analysis.

    Returns
    -------
    result : :py:class:`BartlettResult`
        Named tuple ``(chisq, df, pvalue)``, as
        ``psych::cortest.bartlett(cor(x), n = nrow(x))``.

    Notes
    -----
    For p items, n respondents and correlation matrix :math:`R`:

    .. math::

        \\chi^2 = -\\left(n - 1 - \\frac{2p + 5}{6}\\right) \\ln |R|,
        \\qquad df = \\frac{p(p-1)}{2}

    The p-value is the upper tail of :math:`\\chi^2_{df}`; for large
    survey data it underflows to 0 (as in R), so report it as
    "p < .001".

    References
    ----------
    .. [1] Bartlett, M. S. (1951). The effect of standardization on a chi
       square approximation in factor analysis. *Biometrika*, 38(3/4),
       337-344.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import bartlett_sphericity
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> chisq, dof, p = bartlett_sphericity(df)
    >>> round(chisq, 3), dof, round(p, 4)
    (12.353, 3, 0.0063)
    """
    x = _check_items(items)
    n, p = x.shape
    r = np.corrcoef(x.to_numpy(), rowvar=False)
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        raise ValueError(f"correlation matrix of {_describe(x.columns, None)} is singular")
    chisq = -(n - 1 - (2 * p + 5) / 6) * logdet
    df = p * (p - 1) // 2
    return BartlettResult(float(chisq), int(df), float(stats.chi2.sf(chisq, df)))


def harman_single_factor(items: pd.DataFrame) -> float:
    """Harman's single-factor test for common-method variance.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to *all* items of the questionnaire
        (every construct together).

    Returns
    -------
    share : float
        Share of the total standardized variance carried by the first
        (unrotated) principal component. Values above 0.50 are commonly read
        as a sign of substantial common-method bias.

    Notes
    -----
    With :math:`\\lambda_1` the largest eigenvalue of the p x p item
    correlation matrix (whose trace is p):

    .. math:: \\text{share} = \\lambda_1 / p

    This is the unrotated-PCA variant (``eigen(cor(x))$values[1] / p`` in
    R), not a one-factor maximum-likelihood solution.

    References
    ----------
    .. [1] Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff,
       N. P. (2003). Common method biases in behavioral research: A critical
       review of the literature and recommended remedies. *Journal of
       Applied Psychology*, 88(5), 879-903.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import harman_single_factor
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> round(harman_single_factor(df), 4)
    0.8486
    """
    x = _check_items(items)
    r = np.corrcoef(x.to_numpy(), rowvar=False)
    ev = np.linalg.eigvalsh(r)
    return float(ev[-1] / r.shape[0])


# --------------------------------------------------------------------------
# discriminant validity
# --------------------------------------------------------------------------
def htmt(
    items_by_construct: Mapping[str, list[str]],
    data: pd.DataFrame,
    *,
    htmt2: bool = True,
    absolute: bool = True,
) -> pd.DataFrame:
    """Heterotrait-monotrait ratio of correlations (HTMT) between constructs.

    Parameters
    ----------
    items_by_construct : dict of str to list of str
        Construct name -> its item columns (at least 2 constructs, at least
        2 items each, no item in two constructs).
    data : :py:class:`pandas.DataFrame`
        Complete-case item responses containing all those columns.
    htmt2 : bool
        If True (default, as ``semTools::htmt`` since semTools 0.5-6), use
        geometric means of the correlations: the HTMT2 of Roemer et al.
        (2021), consistent for congeneric items. If False, use arithmetic
        means: the original HTMT of Henseler et al. (2015).
    absolute : bool
        Use absolute correlations (default, as semTools). Always applied
        when ``htmt2`` is True.

    Returns
    -------
    htmt : :py:class:`pandas.DataFrame`
        Symmetric construct x construct matrix with 1 on the diagonal, as
        ``semTools::htmt(model, data)``.

    Notes
    -----
    With :math:`M` the (arithmetic or geometric) mean, over item pairs, of
    the Pearson correlations; heterotrait correlations between the items of
    constructs :math:`i` and :math:`j`, monotrait correlations among the
    distinct items of one construct:

    .. math::

        \\mathrm{HTMT}_{ij} = \\frac{M(r_{\\text{hetero}, ij})}
        {\\sqrt{M(r_{\\text{mono}, i}) \\, M(r_{\\text{mono}, j})}}

    Values below 0.85 (strict) or 0.90 (liberal) are usually taken as
    evidence of discriminant validity.

    References
    ----------
    .. [1] Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new
       criterion for assessing discriminant validity in variance-based
       structural equation modeling. *Journal of the Academy of Marketing
       Science*, 43(1), 115-135.
    .. [2] Roemer, E., Schuberth, F., & Henseler, J. (2021). HTMT2 - an
       improved criterion for assessing discriminant validity in structural
       equation modeling. *Industrial Management & Data Systems*, 121(12),
       2637-2650.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import htmt
    >>> df = pd.DataFrame({"a1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "a2": [4, 4, 3, 5, 2, 5, 2, 3],
    ...                    "b1": [3, 5, 2, 4, 4, 3, 2, 1],
    ...                    "b2": [2, 5, 3, 4, 4, 2, 1, 2]})
    >>> htmt({"A": ["a1", "a2"], "B": ["b1", "b2"]}, df).round(3)
           A      B
    A  1.000  0.465
    B  0.465  1.000
    >>> htmt({"A": ["a1", "a2"], "B": ["b1", "b2"]}, df, htmt2=False).round(3)
           A      B
    A  1.000  0.496
    B  0.496  1.000
    """
    if not isinstance(items_by_construct, Mapping) or len(items_by_construct) < 2:
        raise ValueError("htmt needs a mapping of at least 2 constructs to their items")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    seen: dict[str, str] = {}
    blocks: dict[str, list[str]] = {}
    for name, its in items_by_construct.items():
        its = [its] if isinstance(its, str) else list(its)
        missing = [i for i in its if i not in data.columns]
        if missing:
            raise ValueError(
                f"construct {name!r}: item(s) not in data: {', '.join(map(str, missing))}"
            )
        if len(set(its)) != len(its):
            raise ValueError(f"construct {name!r}: duplicated items in {its}")
        if len(its) < 2:
            raise ValueError(
                f"{_describe(its, name)} has {len(its)} item(s); HTMT needs at least 2 "
                "per construct (no monotrait correlations otherwise)"
            )
        for i in its:
            if i in seen:
                raise ValueError(f"item {i!r} is assigned to both {seen[i]!r} and {name!r}")
            seen[i] = name
        blocks[str(name)] = its
    cols = [i for its in blocks.values() for i in its]
    x = _check_items(data[cols])
    r = pd.DataFrame(np.corrcoef(x.to_numpy(), rowvar=False), index=cols, columns=cols)
    if absolute or htmt2:
        r = r.abs()

    def mean(v: np.ndarray) -> float:
        if htmt2:
            with np.errstate(divide="ignore"):
                return float(np.exp(np.mean(np.log(v))))
        return float(np.mean(v))

    names = list(blocks)
    mono = {}
    for c in names:
        block = r.loc[blocks[c], blocks[c]].to_numpy()
        mono[c] = mean(block[np.triu_indices_from(block, k=1)])
    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for a_i, a in enumerate(names):
        for b in names[a_i + 1 :]:
            hetero = mean(r.loc[blocks[a], blocks[b]].to_numpy().ravel())
            with np.errstate(divide="ignore", invalid="ignore"):
                val = hetero / np.sqrt(mono[a] * mono[b])
            out.loc[a, b] = out.loc[b, a] = val
    return out


def htmt_interval(
    items_by_construct: Mapping[str, list[str]],
    data: pd.DataFrame,
    *,
    resamples: int = 1000,
    seed=None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Percentile bootstrap confidence intervals of HTMT (HTMT2, as :func:`htmt`).

    Parameters
    ----------
    items_by_construct : dict of str to list of str
        Construct name -> its item columns.
    data : :py:class:`pandas.DataFrame`
        Complete-case item responses.
    resamples : int
        Bootstrap resamples of respondents.
    seed : int or None
        Seed; fix it for reproducible intervals.
    level : float
        Confidence level of the two-sided percentile interval.

    Returns
    -------
    :py:class:`pandas.DataFrame`
        One row per pair of constructs: ``a, b, htmt, ci_lower, ci_upper``.

    Notes
    -----
    HTMT is recomputed on each resample of respondents (rows drawn with replacement). Henseler,
    Ringle & Sarstedt (2015) judge discriminant validity established when the upper limit stays
    below the threshold (HTMT_inference; .85, or .90 for conceptually close constructs).

    References
    ----------
    .. [1] Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for assessing
       discriminant validity in variance-based structural equation modeling. *Journal of the
       Academy of Marketing Science*, 43(1), 115-135.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import htmt_interval
    >>> data = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> blocks = {"SAT": ["sat1", "sat2", "sat3"], "LOY": ["loy1", "loy2", "loy3"]}
    >>> ci = htmt_interval(blocks, data, resamples=200, seed=1)
    >>> bool(ci.loc[0, "ci_lower"] < ci.loc[0, "htmt"] < ci.loc[0, "ci_upper"])
    True
    """
    point = htmt(items_by_construct, data)  # validates the input
    names = list(point.index)
    cols = [i for name in names for i in items_by_construct[name]]
    position = {c: k for k, c in enumerate(cols)}
    x = data[cols].to_numpy(dtype=float)
    mono_idx = {}
    for name in names:
        idx = [position[i] for i in items_by_construct[name]]
        a, b = np.triu_indices(len(idx), k=1)
        mono_idx[name] = (np.array(idx)[a], np.array(idx)[b])
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    hetero_idx = {(a, b): tuple(np.array(np.meshgrid([position[i] for i in items_by_construct[a]],
                                                       [position[i] for i in items_by_construct[b]])).reshape(2, -1))
                  for a, b in pairs}
    rng = np.random.default_rng(seed)
    draws = np.empty((resamples, len(pairs)))
    for r in range(resamples):
        with np.errstate(divide="ignore", invalid="ignore"):
            logr = np.log(np.abs(np.corrcoef(x[rng.integers(0, len(x), len(x))], rowvar=False)))
        mono = {name: np.mean(logr[i, j]) for name, (i, j) in mono_idx.items()}
        draws[r] = [np.exp(np.mean(logr[hetero_idx[(a, b)]]) - 0.5 * (mono[a] + mono[b])) for a, b in pairs]
    alpha = 1 - level
    lower, upper = np.nanquantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
    return pd.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs],
                         "htmt": [point.loc[a, b] for a, b in pairs], "ci_lower": lower, "ci_upper": upper})


# --------------------------------------------------------------------------
# convergent validity from standardized CFA loadings
# --------------------------------------------------------------------------
def composite_reliability(std_loadings) -> float:
    """Composite (construct) reliability from standardized loadings.

    Parameters
    ----------
    std_loadings : dict, :py:class:`pandas.Series` or array-like
        Completely standardized CFA loadings of one construct's k >= 2
        items (lavaan ``standardizedSolution()$est.std``), each in [-1, 1].

    Returns
    -------
    cr : float
        Fornell & Larcker composite reliability.

    Notes
    -----
    With standardized loadings :math:`\\lambda_i` and error variances
    :math:`1 - \\lambda_i^2` (uncorrelated errors assumed):

    .. math::

        CR = \\frac{(\\sum_i \\lambda_i)^2}
        {(\\sum_i \\lambda_i)^2 + \\sum_i (1 - \\lambda_i^2)}

    This is the version reported in most theses; it differs slightly from
    ``semTools::compRelSEM`` (omega, which divides by the observed total
    variance). A loading above 1 in absolute value (Heywood case) raises
    ``ValueError``.

    References
    ----------
    .. [1] Fornell, C., & Larcker, D. F. (1981). Evaluating structural
       equation models with unobservable variables and measurement error.
       *Journal of Marketing Research*, 18(1), 39-50.

    Examples
    --------
    >>> from study.measurement import composite_reliability
    >>> round(composite_reliability([0.8, 0.7, 0.9]), 4)
    0.8446
    """
    lam = _check_loadings(std_loadings)
    s2 = lam.sum() ** 2
    return float(s2 / (s2 + (1.0 - lam**2).sum()))


def average_variance_extracted(std_loadings) -> float:
    """Average variance extracted (AVE) from standardized loadings.

    Parameters
    ----------
    std_loadings : dict, :py:class:`pandas.Series` or array-like
        Completely standardized CFA loadings of one construct's k >= 2
        items, each in [-1, 1].

    Returns
    -------
    ave : float
        Fornell & Larcker average variance extracted; 0.50 or more is the
        usual threshold for convergent validity.

    Notes
    -----
    .. math:: AVE = \\frac{1}{k} \\sum_i \\lambda_i^2

    This differs slightly from ``semTools::AVE`` (which uses the observed
    item variances in the denominator).

    References
    ----------
    .. [1] Fornell, C., & Larcker, D. F. (1981). Evaluating structural
       equation models with unobservable variables and measurement error.
       *Journal of Marketing Research*, 18(1), 39-50.

    Examples
    --------
    >>> from study.measurement import average_variance_extracted
    >>> round(average_variance_extracted([0.8, 0.7, 0.9]), 4)
    0.6467
    """
    lam = _check_loadings(std_loadings)
    return float(np.mean(lam**2))


def fornell_larcker(ave: Mapping[str, float], latent_correlations: pd.DataFrame) -> pd.DataFrame:
    """Fornell-Larcker discriminant-validity matrix.

    Parameters
    ----------
    ave : dict of str to float
        AVE of each construct (see :py:func:`average_variance_extracted`).
        Keys must be exactly the constructs of ``latent_correlations``.
    latent_correlations : :py:class:`pandas.DataFrame`
        Symmetric matrix of latent (factor) correlations, e.g. lavaan
        ``lavInspect(fit, "cor.lv")``, with construct names as index and
        columns.

    Returns
    -------
    matrix : :py:class:`pandas.DataFrame`
        Same shape and order as ``latent_correlations``, with
        :math:`\\sqrt{AVE}` on the diagonal and the latent correlations off
        the diagonal.

    Notes
    -----
    Discriminant validity holds for construct :math:`i` when

    .. math:: \\sqrt{AVE_i} > |\\phi_{ij}| \\quad \\text{for all } j \\ne i,

    i.e. each diagonal entry exceeds every off-diagonal entry of its row and
    column.

    References
    ----------
    .. [1] Fornell, C., & Larcker, D. F. (1981). Evaluating structural
       equation models with unobservable variables and measurement error.
       *Journal of Marketing Research*, 18(1), 39-50.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import fornell_larcker
    >>> phi = pd.DataFrame([[1.0, 0.6], [0.6, 1.0]], index=["SAT", "LOY"],
    ...                    columns=["SAT", "LOY"])
    >>> fornell_larcker({"SAT": 0.64, "LOY": 0.49}, phi)
         SAT  LOY
    SAT  0.8  0.6
    LOY  0.6  0.7
    """
    if not isinstance(latent_correlations, pd.DataFrame):
        raise TypeError("latent_correlations must be a pandas DataFrame")
    phi = latent_correlations
    if list(phi.index) != list(phi.columns):
        raise ValueError("latent_correlations must have the same constructs, in the same order, "
                         "as index and columns")
    if len(phi.index) < 2:
        raise ValueError("Fornell-Larcker needs at least 2 constructs")
    vals = phi.to_numpy(dtype=float)
    if not np.isfinite(vals).all():
        raise ValueError("latent_correlations contain non-finite values")
    if not np.allclose(vals, vals.T, atol=1e-8):
        raise ValueError("latent_correlations is not symmetric")
    names = list(phi.index)
    missing = [c for c in names if c not in ave]
    extra = [c for c in ave if c not in names]
    if missing or extra:
        msg = []
        if missing:
            msg.append("no AVE for construct(s) " + ", ".join(map(str, missing)))
        if extra:
            msg.append("AVE given for construct(s) not in latent_correlations: "
                       + ", ".join(map(str, extra)))
        raise ValueError("; ".join(msg))
    a = np.array([float(ave[c]) for c in names])
    bad = [c for c, v in zip(names, a) if not (0.0 <= v <= 1.0)]
    if bad:
        raise ValueError("AVE must lie in [0, 1]; check construct(s) " + ", ".join(map(str, bad)))
    m = vals.copy()
    m[np.diag_indices(len(names))] = np.sqrt(a)
    return pd.DataFrame(m, index=phi.index, columns=phi.columns)


# ==========================================================================
# further reliability, normality and factor-analytic statistics
# ==========================================================================
class AlphaCI(NamedTuple):
    """Cronbach's alpha with Feldt's confidence interval (``alpha, lower, upper, level``)."""

    alpha: float
    lower: float
    upper: float
    level: float


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


class ParallelAnalysisResult(NamedTuple):
    """Horn's parallel analysis (``eigenvalues, n_factors, n_components``)."""

    eigenvalues: pd.DataFrame
    n_factors: int
    n_components: int


class EFAResult(NamedTuple):
    """Exploratory factor analysis solution, as ``psych::fa``."""

    loadings: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    variance: pd.DataFrame
    phi: pd.DataFrame | None
    converged: bool


def _labelled(values, what: str) -> tuple[list, np.ndarray, str | None]:
    """(labels, float array, series name) from a dict, Series or array-like."""
    name = None
    if isinstance(values, Mapping):
        labels = [str(k) for k in values.keys()]
        arr = np.asarray(list(values.values()), dtype=float)
    elif isinstance(values, pd.Series):
        labels = [str(k) for k in values.index]
        name = str(values.name) if values.name is not None else None
        arr = values.to_numpy(dtype=float)
    else:
        arr = np.asarray(values, dtype=float).ravel()
        labels = None
    if labels is None:
        labels = [f"#{i}" for i in range(arr.size)]
    if not np.isfinite(arr).all():
        bad = [lbl for lbl, v in zip(labels, arr) if not np.isfinite(v)]
        raise ValueError(f"{what}: non-finite value(s) for {', '.join(bad)}")
    return labels, arr, name


def _correlation(x: pd.DataFrame, name: str | None = None) -> np.ndarray:
    r = np.corrcoef(x.to_numpy(), rowvar=False)
    if np.linalg.cond(r) > 1e12:
        raise ValueError(f"correlation matrix of {_describe(x.columns, name)} is (nearly) singular")
    return r


def _eigh_desc(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (decreasing) and eigenvectors of a symmetric matrix, as R's ``eigen``."""
    val, vec = np.linalg.eigh(a)
    return val[::-1], vec[:, ::-1]


def _smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations ``1 - 1 / diag(R^-1)`` (``psych::smc``)."""
    smc = 1.0 - 1.0 / np.diag(np.linalg.pinv(r))
    return np.clip(smc, 0.0, 1.0)


# --------------------------------------------------------------------------
# reliability: confidence interval and omega
# --------------------------------------------------------------------------
def alpha_ci(items: pd.DataFrame, level: float = 0.95) -> AlphaCI:
    """Cronbach's alpha with Feldt's (1965) F-based confidence interval.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the k >= 2 items of one construct.
    level : float
        Confidence level in (0, 1); 0.95 (default) gives the interval
        ``psych::alpha(...)$feldt`` prints.

    Returns
    -------
    result : :py:class:`AlphaCI`
        Named tuple ``(alpha, lower, upper, level)`` with the raw alpha
        (see :py:func:`cronbach_alpha`) and the interval bounds, as
        ``psych::alpha.ci(alpha, n.obs, n.var, p.val = 1 - level)``.

    Notes
    -----
    With n respondents, k items and :math:`F_q(d_1, d_2)` the q-quantile of
    the F distribution with :math:`d_1 = n - 1` and
    :math:`d_2 = (n - 1)(k - 1)` degrees of freedom, :math:`\\gamma = 1 -`
    ``level``:

    .. math::

        \\alpha_{lower} = 1 - (1 - \\hat\\alpha) F_{1-\\gamma/2}(d_1, d_2),
        \\qquad
        \\alpha_{upper} = 1 - (1 - \\hat\\alpha) F_{\\gamma/2}(d_1, d_2)

    The interval assumes essentially tau-equivalent items with normal
    errors (Feldt, 1965); it is asymmetric around :math:`\\hat\\alpha`.

    References
    ----------
    .. [1] Feldt, L. S. (1965). The approximate sampling distribution of
       Kuder-Richardson reliability coefficient twenty. *Psychometrika*,
       30(3), 357-370.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical
       inference for coefficient alpha. *Applied Psychological
       Measurement*, 11(1), 93-103.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import alpha_ci
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 5, 2, 4, 1, 3],
    ...                    "q2": [4, 4, 3, 5, 2, 5, 2, 4],
    ...                    "q3": [5, 4, 2, 4, 3, 4, 1, 2]})
    >>> res = alpha_ci(df)
    >>> round(res.alpha, 3), round(res.lower, 3), round(res.upper, 3)
    (0.908, 0.691, 0.98)
    """
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) \
            or not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    x = _check_items(items)
    n, k = x.shape
    alpha = _alpha_from_cov(np.cov(x.to_numpy(), rowvar=False))
    gamma = 1.0 - float(level)
    d1, d2 = n - 1, (n - 1) * (k - 1)
    lower = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - gamma / 2.0, d1, d2)
    upper = 1.0 - (1.0 - alpha) * stats.f.ppf(gamma / 2.0, d1, d2)
    return AlphaCI(float(alpha), float(lower), float(upper), float(level))


def omega_from_loadings(
    loadings,
    residual_variances,
    *,
    factor_variance: float = 1.0,
    observed_cov=None,
    name: str | None = None,
) -> float:
    """McDonald's omega (composite reliability) from a CFA's estimates.

    Parameters
    ----------
    loadings : dict, :py:class:`pandas.Series` or array-like
        Unstandardized loadings :math:`\\lambda_i` of one construct's k >= 2
        items (lavaan ``=~`` estimates; the marker loading fixed at 1
        included).
    residual_variances : dict, :py:class:`pandas.Series` or array-like
        Residual (error) variances :math:`\\theta_i` of the same items
        (lavaan ``item ~~ item`` estimates). With labels, they are matched
        to the loadings by item name.
    factor_variance : float
        Variance :math:`\\psi` of the factor (1 with ``std.lv = TRUE``; the
        estimated ``F ~~ F`` with lavaan's default marker-variable scaling).
    observed_cov : :py:class:`pandas.DataFrame` or array-like, optional
        Observed covariance matrix of the items. If given, the denominator
        is the observed variance of the sum score, as
        ``semTools::compRelSEM(fit)`` (``obs.var = TRUE``, its default).
        To reproduce semTools exactly use lavaan's sample covariance, with
        divisor n (``data[items].cov(ddof=0)`` or
        ``FittedModel.sample_cov``), not n - 1. A DataFrame is indexed by
        the item labels. If omitted, the model-implied variance is used,
        as ``compRelSEM(fit, obs.var = FALSE)``.
    name : str, optional
        Construct name for error messages.

    Returns
    -------
    omega : float

    Notes
    -----
    .. math::

        \\omega = \\frac{\\psi (\\sum_i \\lambda_i)^2}
        {\\psi (\\sum_i \\lambda_i)^2 + \\sum_i \\theta_i}
        \\quad\\text{(model-implied)}, \\qquad
        \\omega = \\frac{\\psi (\\sum_i \\lambda_i)^2}{\\mathbf{1}^\\top S
        \\mathbf{1}} \\quad\\text{(observed)}

    with :math:`S` the observed item covariance matrix. The model-implied
    form assumes uncorrelated residuals within the construct. Computed from
    the standardized solution (:math:`\\psi = 1`, :math:`\\theta_i = 1 -
    \\lambda_i^2`), the model-implied omega is the Fornell-Larcker
    :py:func:`composite_reliability`.

    References
    ----------
    .. [1] McDonald, R. P. (1999). *Test theory: A unified treatment*.
       Mahwah, NJ: Erlbaum.
    .. [2] Jorgensen, T. D., et al. semTools: Useful tools for structural
       equation modeling (function ``compRelSEM``). R package.

    Examples
    --------
    >>> from study.measurement import omega_from_loadings
    >>> lam = {"q1": 1.0, "q2": 0.9, "q3": 1.1}
    >>> theta = {"q1": 0.5, "q2": 0.6, "q3": 0.4}
    >>> round(omega_from_loadings(lam, theta, factor_variance=0.8), 4)
    0.8276
    """
    labels, lam, sname = _labelled(loadings, "loadings")
    name = name or sname
    if lam.size < 2:
        raise ValueError(f"{_describe(labels, name)} has {lam.size} loading(s); at least 2 are needed")
    th_labels, theta, _ = _labelled(residual_variances, "residual variances")
    labelled = isinstance(loadings, (Mapping, pd.Series))
    if labelled and isinstance(residual_variances, (Mapping, pd.Series)):
        missing = [lbl for lbl in labels if lbl not in th_labels]
        extra = [lbl for lbl in th_labels if lbl not in labels]
        if missing or extra:
            msg = []
            if missing:
                msg.append("no residual variance for " + ", ".join(missing))
            if extra:
                msg.append("residual variance for item(s) without a loading: " + ", ".join(extra))
            raise ValueError(f"{_describe(labels, name)}: " + "; ".join(msg))
        theta = theta[[th_labels.index(lbl) for lbl in labels]]
    elif theta.size != lam.size:
        raise ValueError(f"{_describe(labels, name)}: {lam.size} loadings but {theta.size} "
                         "residual variances")
    neg = [lbl for lbl, v in zip(labels, theta) if v < 0]
    if neg:
        raise ValueError(f"{_describe(labels, name)}: negative residual variance (Heywood case) "
                         f"for {', '.join(neg)}")
    psi = float(factor_variance)
    if not np.isfinite(psi) or psi <= 0:
        raise ValueError(f"{_describe(labels, name)}: factor_variance must be positive, got "
                         f"{factor_variance!r}")
    common = psi * lam.sum() ** 2
    if observed_cov is None:
        total = common + theta.sum()
    else:
        if isinstance(observed_cov, pd.DataFrame):
            if not labelled:
                raise ValueError("observed_cov is a DataFrame but the loadings carry no item labels")
            missing = [lbl for lbl in labels
                       if lbl not in observed_cov.index or lbl not in observed_cov.columns]
            if missing:
                raise ValueError(f"{_describe(labels, name)}: item(s) not in observed_cov: "
                                 + ", ".join(missing))
            s = observed_cov.loc[labels, labels].to_numpy(dtype=float)
        else:
            s = np.asarray(observed_cov, dtype=float)
            if s.shape != (lam.size, lam.size):
                raise ValueError(f"{_describe(labels, name)}: observed_cov must be "
                                 f"{lam.size} x {lam.size}, got shape {s.shape}")
        if not np.isfinite(s).all() or not np.allclose(s, s.T, rtol=1e-10, atol=1e-12):
            raise ValueError(f"{_describe(labels, name)}: observed_cov must be a finite, symmetric "
                             "covariance matrix")
        total = s.sum()
    if total <= 0:
        raise ValueError(f"{_describe(labels, name)}: total variance is not positive")
    return float(common / total)


def mcdonald_omega(items: pd.DataFrame, *, observed: bool = True, name: str | None = None) -> float:
    """McDonald's omega total of one construct from a one-factor ML model.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the k >= 3 items of one construct (a
        one-factor model of 2 items is not identified).
    observed : bool
        Divide by the observed variance of the sum score (default, as
        ``semTools::compRelSEM`` with ``obs.var = TRUE``); if False, by the
        model-implied variance (``obs.var = FALSE``).
    name : str, optional
        Construct name for error messages.

    Returns
    -------
    omega : float
        Omega of the congeneric (one-factor) model of these items alone, as
        ``semTools::compRelSEM(lavaan::cfa("F =~ x1 + ... + xk", data))``.
        This differs from the omega of the same construct in a
        multi-construct CFA (use :py:func:`omega_from_loadings` with that
        CFA's estimates).

    Notes
    -----
    The one-factor model :math:`\\Sigma = \\lambda\\lambda^\\top + \\Theta`
    is fitted by maximum likelihood (scale invariant, so it is fitted to
    the correlation matrix and rescaled by the item standard deviations
    :math:`s_i`: :math:`\\lambda_i = l_i s_i`, :math:`\\theta_i = u_i
    s_i^2`). Then, with :math:`S` the item covariance matrix,

    .. math::

        \\omega = \\frac{(\\sum_i \\lambda_i)^2}{\\mathbf{1}^\\top S \\mathbf{1}}
        \\quad \\text{or} \\quad
        \\frac{(\\sum_i \\lambda_i)^2}{(\\sum_i \\lambda_i)^2 + \\sum_i \\theta_i}

    Uniquenesses are bounded below at 0.005 (as ``psych::fa``), so a
    Heywood case (where lavaan reports a negative residual variance) gives
    a slightly different value.

    References
    ----------
    .. [1] McDonald, R. P. (1999). *Test theory: A unified treatment*.
       Mahwah, NJ: Erlbaum.
    .. [2] Jorgensen, T. D., et al. semTools: Useful tools for structural
       equation modeling (function ``compRelSEM``). R package.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from study.measurement import mcdonald_omega
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(200, 1))
    >>> x = pd.DataFrame(f @ [[0.9, 0.7, 0.6, 0.5]] + rng.normal(scale=0.7, size=(200, 4)),
    ...                  columns=["q1", "q2", "q3", "q4"])
    >>> round(mcdonald_omega(x), 3)
    0.802
    """
    x = _check_items(items, min_items=3, name=name)
    r = _correlation(x, name)
    lam_std, psi, _ = _fa_ml(r, 1)
    c = np.cov(x.to_numpy(), rowvar=False)
    sd = np.sqrt(np.diag(c))
    lam = lam_std[:, 0] * sd
    common = lam.sum() ** 2
    total = c.sum() if observed else common + (psi * sd**2).sum()
    return float(common / total)


# --------------------------------------------------------------------------
# multivariate normality
# --------------------------------------------------------------------------
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
    # whiten: z_i = L^-1 x_i with S = L L^T, so d_ij = z_i . z_j; sum d_ij^3 in row blocks
    z = np.linalg.solve(np.linalg.cholesky(s), a.T).T
    b1 = 0.0
    for start in range(0, n, 1024):
        b1 += float(((z[start:start + 1024] @ z.T) ** 3).sum())
    b1p = b1 / n**2
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


# --------------------------------------------------------------------------
# factor extraction (ports of psych::fa's algorithms)
# --------------------------------------------------------------------------
_MIN_PSI = 0.005  # lower bound of uniquenesses in psych::fa (ML, minres)


def _fa_pa(r: np.ndarray, nf: int, tol: float, max_iter: int) -> tuple[np.ndarray, bool]:
    """Iterated principal axis from SMC starting communalities (psych's fm = "pa")."""
    rm = r.copy()
    np.fill_diagonal(rm, _smc(r))
    comm = np.trace(rm)
    err, it, converged = comm, 1, True
    loadings = None
    while err > tol:
        val, vec = _eigh_desc(rm)
        if (val[:nf] < 0).any():
            raise ValueError(f"principal axis factoring with {nf} factor(s) met a negative "
                             "eigenvalue of the reduced correlation matrix; extract fewer factors")
        loadings = vec[:, :nf] * np.sqrt(val[:nf])
        new = (loadings**2).sum(axis=1)
        comm1 = new.sum()
        np.fill_diagonal(rm, new)
        err = abs(comm - comm1)
        comm = comm1
        it += 1
        if it > max_iter:
            converged = err <= tol
            break
    return loadings, converged


def _ml_objective(psi: np.ndarray, r: np.ndarray, nf: int) -> tuple[float, np.ndarray]:
    """psych's FAfn and FAgr: ML discrepancy as a function of the uniquenesses."""
    sc = 1.0 / np.sqrt(psi)
    sstar = r * np.outer(sc, sc)
    val, vec = _eigh_desc(sstar)
    e = val[nf:]
    f = -(np.sum(np.log(e) - e) - nf + r.shape[0])
    load = np.sqrt(psi)[:, None] * vec[:, :nf] * np.sqrt(np.maximum(val[:nf] - 1.0, 0.0))
    g = (load**2).sum(axis=1) + psi - np.diag(r)
    return float(f), g / psi**2


def _fa_ml(r: np.ndarray, nf: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """Maximum-likelihood factor analysis of a correlation matrix (psych's fm = "ml")."""
    from scipy.optimize import minimize

    smc = _smc(r)
    upper = max(smc.max(), 1.0)
    res = minimize(_ml_objective, np.diag(r) - smc, args=(r, nf), jac=True, method="L-BFGS-B",
                   bounds=[(_MIN_PSI, upper)] * r.shape[0],
                   options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000})
    psi = res.x
    # L-BFGS-B may stop on the line search at machine precision: judge by the projected gradient
    grad = _ml_objective(psi, r, nf)[1]
    free = (psi > _MIN_PSI + 1e-9) & (psi < upper - 1e-9)
    converged = bool(res.success) or bool(np.all(np.abs(grad[free]) < 1e-6))
    sc = 1.0 / np.sqrt(psi)
    val, vec = _eigh_desc(r * np.outer(sc, sc))
    loadings = np.sqrt(psi)[:, None] * vec[:, :nf] * np.sqrt(np.maximum(val[:nf] - 1.0, 0.0))
    return loadings, psi, converged


def _uls_objective(psi: np.ndarray, r: np.ndarray, nf: int) -> tuple[float, np.ndarray]:
    a = r - np.diag(psi)
    val, vec = _eigh_desc(a)
    load = vec[:, :nf] * np.sqrt(np.maximum(val[:nf], 0.0))
    resid = a - load @ load.T
    return 0.5 * float((resid**2).sum()), -np.diag(resid).copy()


def _fa_minres(r: np.ndarray, nf: int) -> np.ndarray:
    """Minimum-residual (ULS) factor loadings (psych's default fm = "minres")."""
    from scipy.optimize import minimize

    smc = _smc(r)
    res = minimize(_uls_objective, np.diag(r) - smc, args=(r, nf), jac=True, method="L-BFGS-B",
                   bounds=[(_MIN_PSI, max(smc.max(), 1.0))] * r.shape[0],
                   options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 2000})
    val, vec = _eigh_desc(r - np.diag(res.x))
    return vec[:, :nf] * np.sqrt(np.maximum(val[:nf], 0.0))


def _minres_values(r: np.ndarray) -> np.ndarray:
    """Eigenvalues of R with one-factor minres communalities on the diagonal (psych ``$values``)."""
    load = _fa_minres(r, 1)
    rr = r.copy()
    np.fill_diagonal(rr, (load**2).sum(axis=1))
    return np.linalg.eigvalsh(rr)[::-1]


# --------------------------------------------------------------------------
# rotations (ports of stats::varimax, psych::kaiser and psych::Promax)
# --------------------------------------------------------------------------
def _varimax(x: np.ndarray, normalize: bool = True, eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    nc = x.shape[1]
    if nc < 2:
        return x, np.eye(nc)
    if normalize:
        sc = np.sqrt((x**2).sum(axis=1))
        x = x / sc[:, None]
    p = x.shape[0]
    tt = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ tt
        b = x.T @ (z**3 - z * (z**2).sum(axis=0) / p)
        u, sv, vt = np.linalg.svd(b)
        tt = u @ vt
        dpast, d = d, sv.sum()
        if d < dpast * (1 + eps):
            break
    z = x @ tt
    if normalize:
        z = z * sc[:, None]
    return z, tt


def _promax_kaiser(f: np.ndarray, m: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """psych's ``rotate = "promax"``: Kaiser-normalized rows, varimax, then Promax power m."""
    h = np.sqrt((f**2).sum(axis=1))
    x, rot = _varimax(f / h[:, None])
    q = x * np.abs(x) ** (m - 1)
    u = np.linalg.lstsq(x, q, rcond=None)[0]
    u = u * np.sqrt(np.diag(np.linalg.inv(u.T @ u)))
    z = x @ u
    ui = np.linalg.inv(rot @ u)
    return z * h[:, None], ui @ ui.T


def efa(
    items: pd.DataFrame,
    n_factors: int,
    method: str = "pa",
    rotation: str = "varimax",
    *,
    tol: float = 1e-3,
    max_iter: int = 50,
) -> EFAResult:
    """Exploratory factor analysis (principal axis or maximum likelihood).

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the p >= 3 items to factor.
    n_factors : int
        Number of factors, 1 <= n_factors < p (for ``"ml"`` the model must
        also have non-negative degrees of freedom,
        :math:`((p - m)^2 - (p + m)) / 2 \\ge 0`).
    method : {"pa", "ml"}
        ``"pa"``: iterated principal axis factoring from squared multiple
        correlations, stopping as ``psych::fa(fm = "pa")`` does when the sum
        of communalities changes by at most ``tol`` or after ``max_iter``
        iterations. ``"ml"``: maximum likelihood (``fm = "ml"``),
        uniquenesses bounded below at 0.005.
    rotation : {"varimax", "promax", "none"}
        ``"varimax"``: ``stats::varimax`` with Kaiser normalization (as
        ``psych::fa(rotate = "varimax")``); ``"promax"``: psych's promax
        (Kaiser-normalized varimax followed by ``psych::Promax`` with power
        4), oblique. Ignored with one factor.
    tol, max_iter : float, int
        Convergence criterion of principal axis factoring (psych's
        ``min.err`` and ``max.iter``).

    Returns
    -------
    result : :py:class:`EFAResult`
        Named tuple with

        * ``loadings``: items x factors :py:class:`pandas.DataFrame`
          (pattern matrix for promax), columns ``PA1``, ``PA2``, ... (or
          ``ML1``, ...) in decreasing order of variance accounted for, each
          signed to have a positive sum;
        * ``communalities`` and ``uniquenesses`` (:py:class:`pandas.Series`
          by item; ``psych::fa(...)$communality`` and ``$uniquenesses``);
        * ``variance``: factors x (``ss_loadings``, ``proportion_var``,
          ``cumulative_var``, ``proportion_explained``,
          ``cumulative_proportion``), psych's ``$Vaccounted`` transposed;
        * ``phi``: factor correlations for promax, else None;
        * ``converged``: whether the extraction met its criterion.

    Notes
    -----
    The model is :math:`R = \\Lambda\\Phi\\Lambda^\\top + \\Psi`. Principal
    axis factoring repeats :math:`\\Lambda = V_m D_m^{1/2}` from the
    eigen-decomposition of :math:`R` with communalities
    :math:`h_i^2 = \\sum_j \\lambda_{ij}^2` on the diagonal. ML minimizes

    .. math:: F(\\Psi) = \\sum_{k > m} (\\gamma_k - \\ln \\gamma_k) + m - p

    over the uniquenesses, with :math:`\\gamma_k` the eigenvalues of
    :math:`\\Psi^{-1/2} R \\Psi^{-1/2}`. Varimax maximizes the variance of
    the squared (row-normalized) loadings within each factor. Promax
    raises the varimax loadings to the power 4 (keeping their sign), finds
    the least-squares transformation :math:`U` to that target, rescales its
    columns so that :math:`\\Phi = U^{-1}U^{-\\top}` has a unit diagonal,
    and returns :math:`\\Lambda U`. The variance accounted for by an oblique
    factor is :math:`\\mathrm{diag}(\\Phi\\Lambda^\\top\\Lambda)`; its
    proportion is of the total variance p. Communalities are those of the
    unrotated solution (rotation does not change them).

    References
    ----------
    .. [1] Kaiser, H. F. (1958). The varimax criterion for analytic rotation
       in factor analysis. *Psychometrika*, 23(3), 187-200.
    .. [2] Hendrickson, A. E., & White, P. O. (1964). Promax: A quick method
       for rotation to oblique simple structure. *British Journal of
       Statistical Psychology*, 17(1), 65-70.
    .. [3] Revelle, W. psych: Procedures for Psychological, Psychometric, and
       Personality Research (functions ``fa``, ``Promax``). R package.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from study.measurement import efa
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> lam = np.array([[.8, 0], [.7, 0], [.6, .1], [0, .8], [.1, .7], [0, .6]])
    >>> x = pd.DataFrame(f @ lam.T + rng.normal(scale=.6, size=(300, 6)),
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> res = efa(x, 2, method="ml", rotation="promax")
    >>> res.loadings.round(3)  # doctest: +NORMALIZE_WHITESPACE
            ML1    ML2
    item
    a1   -0.016  0.829
    a2   -0.032  0.680
    a3    0.044  0.655
    b1    0.910 -0.066
    b2    0.709  0.032
    b3    0.642  0.017
    >>> round(float(res.phi.iloc[0, 1]), 3)
    0.083
    """
    methods = {"pa": "PA", "ml": "ML"}
    if method not in methods:
        raise ValueError(f"method must be one of {sorted(methods)}, got {method!r}")
    if rotation not in ("varimax", "promax", "none"):
        raise ValueError(f"rotation must be 'varimax', 'promax' or 'none', got {rotation!r}")
    x = _check_items(items, min_items=3)
    p = x.shape[1]
    if isinstance(n_factors, bool) or not isinstance(n_factors, (int, np.integer)) \
            or not 1 <= n_factors < p:
        raise ValueError(f"n_factors must be an integer from 1 to {p - 1} for "
                         f"{_describe(x.columns, None)}, got {n_factors!r}")
    nf = int(n_factors)
    if method == "ml" and (p - nf) ** 2 < p + nf:
        raise ValueError(f"{nf} factors for {p} items leave negative degrees of freedom "
                         f"({((p - nf) ** 2 - (p + nf)) // 2}); the ML model is not identified")
    r = _correlation(x)
    if method == "pa":
        loadings, converged = _fa_pa(r, nf, tol, max_iter)
    else:
        loadings, _, converged = _fa_ml(r, nf)
    signs = np.where(loadings.sum(axis=0) < 0, -1.0, 1.0)
    loadings = loadings * signs
    communality = (loadings**2).sum(axis=1)
    phi = None
    if nf > 1 and rotation == "varimax":
        loadings, _ = _varimax(loadings)
    elif nf > 1 and rotation == "promax":
        loadings, phi = _promax_kaiser(loadings)
    signs = np.where(loadings.sum(axis=0) < 0, -1.0, 1.0)
    loadings = loadings * signs
    if phi is not None:
        phi = phi * np.outer(signs, signs)
    ss = np.diag(phi @ loadings.T @ loadings) if phi is not None else (loadings**2).sum(axis=0)
    if nf > 1:
        order = np.argsort(-ss, kind="stable")
        loadings, ss = loadings[:, order], ss[order]
        if phi is not None:
            phi = phi[np.ix_(order, order)]
    names = [f"{methods[method]}{j + 1}" for j in range(nf)]
    idx = pd.Index(x.columns, name="item")
    total = float(np.trace(r))
    variance = pd.DataFrame(
        {"ss_loadings": ss, "proportion_var": ss / total, "cumulative_var": np.cumsum(ss) / total,
         "proportion_explained": ss / ss.sum(), "cumulative_proportion": np.cumsum(ss) / ss.sum()},
        index=pd.Index(names, name="factor"),
    )
    return EFAResult(
        loadings=pd.DataFrame(loadings, index=idx, columns=names),
        communalities=pd.Series(communality, index=idx, name="communality"),
        uniquenesses=pd.Series(np.diag(r) - communality, index=idx, name="uniqueness"),
        variance=variance,
        phi=None if phi is None else pd.DataFrame(phi, index=names, columns=names),
        converged=bool(converged),
    )


def cross_loadings(loadings, primary_min: float = 0.5, cross_max: float = 0.4) -> pd.DataFrame:
    """Primary factor of each item and its problematic (cross-)loadings.

    Parameters
    ----------
    loadings : :py:class:`pandas.DataFrame` or :py:class:`EFAResult`
        Items x factors (pattern) loadings, e.g. ``efa(...).loadings``.
    primary_min : float
        Minimum absolute primary loading (default 0.5).
    cross_max : float
        Absolute secondary loading from which an item counts as
        cross-loading (default 0.4).

    Returns
    -------
    table : :py:class:`pandas.DataFrame`
        One row per item (in the input order) with ``primary`` (factor with
        the largest absolute loading), ``primary_loading``, ``secondary``
        (comma-separated factors other than the primary with absolute
        loading >= ``cross_max``, "" if none), ``max_secondary`` (the
        largest absolute other loading, signed), ``weak_primary``
        (|primary| < ``primary_min``), ``cross_loading`` (any secondary
        listed) and ``flagged`` (either problem). Filter with
        ``table[table.flagged]``.

    Notes
    -----
    With :math:`\\lambda_{ij}` the loading of item i on factor j and
    :math:`j^* = \\arg\\max_j |\\lambda_{ij}|`, item i is flagged when

    .. math::

        |\\lambda_{ij^*}| < \\text{primary\\_min} \\quad\\text{or}\\quad
        \\max_{j \\ne j^*} |\\lambda_{ij}| \\ge \\text{cross\\_max}

    Common rules of thumb are primary >= 0.5 with no cross-loading >= 0.4
    (Hair et al.), or a primary-secondary gap of at least 0.2.

    References
    ----------
    .. [1] Hair, J. F., Black, W. C., Babin, B. J., & Anderson, R. E.
       (2019). *Multivariate data analysis* (8th ed.). Cengage.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.measurement import cross_loadings
    >>> lam = pd.DataFrame({"F1": [0.8, 0.45, 0.6], "F2": [0.1, 0.2, 0.42]},
    ...                    index=["q1", "q2", "q3"])
    >>> cross_loadings(lam)[["primary", "secondary", "weak_primary", "cross_loading"]]  # doctest: +NORMALIZE_WHITESPACE
         primary secondary  weak_primary  cross_loading
    item
    q1        F1                   False          False
    q2        F1                    True          False
    q3        F1        F2         False           True
    """
    if isinstance(loadings, EFAResult):
        loadings = loadings.loadings
    if not isinstance(loadings, pd.DataFrame):
        raise TypeError(f"loadings must be a pandas DataFrame (items x factors), got "
                        f"{type(loadings).__name__}")
    for label, v in (("primary_min", primary_min), ("cross_max", cross_max)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or not 0 <= v <= 1:
            raise ValueError(f"{label} must be a number in [0, 1], got {v!r}")
    if loadings.shape[0] < 1 or loadings.shape[1] < 1:
        raise ValueError("loadings is empty")
    if loadings.columns.has_duplicates:
        raise ValueError("duplicated factor column(s): "
                         + ", ".join(map(str, loadings.columns[loadings.columns.duplicated()])))
    try:
        lam = loadings.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("loadings must be numeric") from exc
    if not np.isfinite(lam).all():
        bad = loadings.index[~np.isfinite(lam).all(axis=1)]
        raise ValueError("non-finite loading(s) for item(s) " + ", ".join(map(str, bad)))
    factors = list(loadings.columns)
    rows = []
    for i, item in enumerate(loadings.index):
        a = np.abs(lam[i])
        j = int(np.argmax(a))
        others = [k for k in range(len(factors)) if k != j]
        sec = [factors[k] for k in others if a[k] >= cross_max]
        k_max = max(others, key=lambda k: a[k]) if others else None
        weak = bool(a[j] < primary_min)
        rows.append({
            "item": item, "primary": factors[j], "primary_loading": lam[i, j],
            "secondary": ", ".join(map(str, sec)),
            "max_secondary": lam[i, k_max] if k_max is not None else np.nan,
            "weak_primary": weak, "cross_loading": bool(sec), "flagged": weak or bool(sec),
        })
    return pd.DataFrame(rows).set_index("item")


# --------------------------------------------------------------------------
# number of factors
# --------------------------------------------------------------------------
def parallel_analysis(
    items: pd.DataFrame,
    n_iter: int = 100,
    seed=None,
    quantile: float = 0.95,
) -> ParallelAnalysisResult:
    """Horn's parallel analysis for the number of components and factors.

    Parameters
    ----------
    items : :py:class:`pandas.DataFrame`
        Complete-case responses to the p >= 3 items to factor.
    n_iter : int
        Number of simulated data sets (psych's default is 20; more gives a
        more stable threshold).
    seed : int, :py:class:`numpy.random.Generator` or None
        Seed of the random normal data; fix it for reproducible results.
    quantile : float
        Quantile of the simulated eigenvalues used as the threshold (0.95,
        as ``psych::fa.parallel``'s ``quant``).

    Returns
    -------
    result : :py:class:`ParallelAnalysisResult`
        Named tuple ``(eigenvalues, n_factors, n_components)``:
        ``eigenvalues`` is indexed 1..p with columns ``pc_observed``,
        ``pc_sim_mean``, ``pc_sim_quantile``, ``fa_observed``,
        ``fa_sim_mean``, ``fa_sim_quantile``; ``n_components`` /
        ``n_factors`` count the leading observed eigenvalues above the
        simulated quantile, as ``fa.parallel(...)$ncomp`` / ``$nfact``.

    Notes
    -----
    Each iteration draws an n x p matrix of independent standard normal
    data (same n and p as the items) and computes the eigenvalues of its
    correlation matrix (components) and of the correlation matrix with
    one-factor minimum-residual communalities on the diagonal (factors),
    exactly as for the observed data (psych's defaults ``fm = "minres"``,
    ``SMC = FALSE``). With :math:`\\lambda_k` the observed and
    :math:`q_k` the simulated quantile eigenvalues,

    .. math:: \\hat m = \\max\\{m : \\lambda_k > q_k \\text{ for all } k \\le m\\}

    The observed eigenvalues are exact; the simulated ones (and, in
    borderline cases, the suggested numbers) depend on the random draws.

    References
    ----------
    .. [1] Horn, J. L. (1965). A rationale and test for the number of
       factors in factor analysis. *Psychometrika*, 30(2), 179-185.
    .. [2] Revelle, W. psych: Procedures for Psychological, Psychometric, and
       Personality Research (function ``fa.parallel``). R package.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from study.measurement import parallel_analysis
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> lam = np.array([[.8, 0], [.7, 0], [.6, .1], [0, .8], [.1, .7], [0, .6]])
    >>> x = pd.DataFrame(f @ lam.T + rng.normal(scale=.6, size=(300, 6)),
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> res = parallel_analysis(x, n_iter=50, seed=7)
    >>> res.n_factors, res.n_components
    (2, 2)
    >>> res.eigenvalues["pc_observed"].round(2).tolist()[:3]
    [2.2, 1.97, 0.59]
    """
    if isinstance(n_iter, bool) or not isinstance(n_iter, (int, np.integer)) or n_iter < 1:
        raise ValueError(f"n_iter must be a positive integer, got {n_iter!r}")
    if isinstance(quantile, bool) or not isinstance(quantile, (int, float, np.floating)) \
            or not 0.0 < quantile < 1.0:
        raise ValueError(f"quantile must be strictly between 0 and 1, got {quantile!r}")
    x = _check_items(items, min_items=3)
    n, p = x.shape
    r = _correlation(x)
    pc_obs = np.linalg.eigvalsh(r)[::-1]
    fa_obs = _minres_values(r)
    rng = np.random.default_rng(seed)
    sim_pc = np.empty((int(n_iter), p))
    sim_fa = np.empty((int(n_iter), p))
    for it in range(int(n_iter)):
        rs = np.corrcoef(rng.standard_normal((n, p)), rowvar=False)
        sim_pc[it] = np.linalg.eigvalsh(rs)[::-1]
        sim_fa[it] = _minres_values(rs)
    q_pc = np.quantile(sim_pc, quantile, axis=0)
    q_fa = np.quantile(sim_fa, quantile, axis=0)

    def leading(obs: np.ndarray, q: np.ndarray) -> int:
        below = np.flatnonzero(~(obs > q))
        return int(below[0]) if below.size else len(obs)

    table = pd.DataFrame(
        {"pc_observed": pc_obs, "pc_sim_mean": sim_pc.mean(axis=0), "pc_sim_quantile": q_pc,
         "fa_observed": fa_obs, "fa_sim_mean": sim_fa.mean(axis=0), "fa_sim_quantile": q_fa},
        index=pd.RangeIndex(1, p + 1, name="number"),
    )
    return ParallelAnalysisResult(table, leading(fa_obs, q_fa), leading(pc_obs, q_pc))
