"""Whether the items suit factor analysis — KMO (overall and per item) and Bartlett's test of sphericity —
and Harman's single-factor check for common-method variance.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from ._checks import _check_items, _describe


class KMOResult(NamedTuple):
    """Kaiser-Meyer-Olkin measure of sampling adequacy (unpacks as a tuple)."""

    overall: float
    per_item: pd.Series


class BartlettResult(NamedTuple):
    """Bartlett's test of sphericity (unpacks as ``chisq, df, pvalue``)."""

    chisq: float
    df: int
    pvalue: float


# factorability and common-method checks
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
