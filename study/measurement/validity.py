"""Convergent and discriminant validity: composite reliability and AVE from standardized CFA loadings
(Fornell & Larcker 1981), the Fornell-Larcker matrix, and HTMT (as semTools ``htmt``) with its bootstrap
interval (Henseler, Ringle & Sarstedt 2015).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from ..threads import one_blas_thread
from ._checks import _check_items, _check_loadings, _describe


# discriminant validity
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


@one_blas_thread
def htmt_interval(
    items_by_construct: Mapping[str, list[str]],
    data: pd.DataFrame,
    *,
    resamples: int = 1000,
    seed=None,
    level: float = 0.95,
    blocks: int = 5_000,
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
    blocks : int
        Up to this many respondents, each resample draws respondents (rows) with replacement. Beyond it,
        the respondents are first divided at random into this many blocks of (nearly) equal size, and the
        resamples draw blocks (see Notes).

    Returns
    -------
    :py:class:`pandas.DataFrame`
        One row per pair of constructs: ``a, b, htmt, ci_lower, ci_upper``.

    Notes
    -----
    HTMT is a function of the items' correlation matrix, which is a function of the sums
    :math:`\\sum_i w_i`, :math:`\\sum_i w_i x_i` and :math:`\\sum_i w_i x_i x_i^\\top` over the respondents,
    :math:`w_i` being how often respondent i is drawn. So a resample is a vector of counts, and its
    correlation matrix comes from one matrix product of the counts with the respondents' moments, in
    batches of resamples, instead of copying the resampled rows. With up to ``blocks`` respondents this is
    exactly the row bootstrap (the same draws as ``rng.integers(0, n, n)`` per resample). With more, the
    respondents are divided at random into ``blocks`` blocks of equal size (but for the last few, one
    respondent smaller), each block's moment sums stand for its respondents and the blocks are resampled: the block sums are
    independent and identically distributed, so their bootstrap has the same limit as the row bootstrap,
    and the cost is O(n p²) once plus O(resamples x blocks x p²), whatever n. Henseler, Ringle & Sarstedt
    (2015) judge discriminant validity established when the upper limit stays below the threshold
    (HTMT_inference; .85, or .90 for conceptually close constructs).

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
    x = x - x.mean(axis=0)  # centred: the moment sums stay accurate
    n, p = x.shape
    first, second = np.triu_indices(p)
    rng = np.random.default_rng(seed)
    if n <= blocks:
        counts = np.ones(n)
        sums = x
        squares = _pair_products(x)
    else:
        # a random partition into blocks of equal size (the last ones padded with rows of zeros, which add
        # nothing to the sums); each block's cross-products in one batched matrix product
        size = -(-n // blocks)
        padded = np.zeros((blocks * size, p))
        padded[:n] = x[rng.permutation(n)]
        padded = padded.reshape(blocks, size, p)
        counts = np.minimum(size, np.maximum(0, n - size * np.arange(blocks))).astype(float)
        sums = padded.sum(axis=1)
        squares = np.matmul(padded.transpose(0, 2, 1), padded)[:, first, second]
        del padded
    units = len(counts)
    moments = np.column_stack([counts, sums, squares])
    mono_idx = {}
    for name in names:
        idx = [position[i] for i in items_by_construct[name]]
        a, b = np.triu_indices(len(idx), k=1)
        mono_idx[name] = (np.array(idx)[a], np.array(idx)[b])
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    hetero_idx = {(a, b): tuple(np.array(np.meshgrid([position[i] for i in items_by_construct[a]],
                                                       [position[i] for i in items_by_construct[b]])).reshape(2, -1))
                  for a, b in pairs}
    draws = np.empty((resamples, len(pairs)))
    batch = max(1, min(resamples, 4_000_000 // units))
    for start in range(0, resamples, batch):
        size = min(batch, resamples - start)
        weights = np.stack([np.bincount(rng.integers(0, units, units), minlength=units) for _ in range(size)])
        totals = weights.astype(float) @ moments  # per resample: count, sums, sums of products
        total = totals[:, :1]
        mean = totals[:, 1:p + 1] / total
        cov = np.empty((size, p, p))
        cov[:, first, second] = totals[:, p + 1:] / total - mean[:, first] * mean[:, second]
        cov[:, second, first] = cov[:, first, second]
        sd = np.sqrt(np.einsum("kii->ki", cov))
        with np.errstate(divide="ignore", invalid="ignore"):
            logr = np.log(np.abs(cov / (sd[:, :, None] * sd[:, None, :])))
        mono = {name: logr[:, i, j].mean(axis=1) for name, (i, j) in mono_idx.items()}
        for k, (a, b) in enumerate(pairs):
            i, j = hetero_idx[(a, b)]
            draws[start:start + size, k] = np.exp(logr[:, i, j].mean(axis=1) - 0.5 * (mono[a] + mono[b]))
    alpha = 1 - level
    lower, upper = np.nanquantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
    return pd.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs],
                         "htmt": [point.loc[a, b] for a, b in pairs], "ci_lower": lower, "ci_upper": upper})


def _pair_products(x: np.ndarray) -> np.ndarray:
    """x_a * x_b for every pair a <= b, in the column order of ``np.triu_indices(p)`` (slice by slice: no
    gathering copy of the columns)."""
    n, p = x.shape
    out = np.empty((n, p * (p + 1) // 2))
    column = 0
    for a in range(p):
        np.multiply(x[:, a:], x[:, a:a + 1], out=out[:, column:column + p - a])
        column += p - a
    return out


# convergent validity from standardized CFA loadings
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
