"""Reliability: Cronbach's alpha (raw and standardized) with its Feldt confidence interval, the item-total
statistics (CITC, alpha if item deleted) and McDonald's omega (as semTools ``compRelSEM``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from ._checks import _check_items, _correlation, _describe, _labelled
from .efa import _fa_ml


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    return k / (k - 1) * (1.0 - np.trace(c) / c.sum())


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


# ==========================================================================
# further reliability, normality and factor-analytic statistics
# ==========================================================================
class AlphaCI(NamedTuple):
    """Cronbach's alpha with Feldt's confidence interval (``alpha, lower, upper, level``)."""

    alpha: float
    lower: float
    upper: float
    level: float


# reliability: confidence interval and omega
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
