"""Measurement-model statistics for multi-item survey scales.

Pure functions on complete-case item data (one column per questionnaire
item) that reproduce the numbers of the standard R tools used in
satisfaction-loyalty studies: ``psych`` (descriptives, alpha, item-total,
KMO, Bartlett), ``semTools`` (HTMT) and the Fornell & Larcker (1981)
composite reliability / AVE criteria computed from standardized CFA loadings.
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
    "composite_reliability",
    "average_variance_extracted",
    "fornell_larcker",
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
