"""Exploratory factor analysis as psych ``fa`` computes it: principal axis, maximum likelihood and minres
extraction, varimax and promax rotation, cross-loading flags, and Horn's parallel analysis for the number
of factors.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from ..threads import one_blas_thread
from ._checks import _check_items, _correlation, _describe, _eigh_desc, _smc


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


# factor extraction (ports of psych::fa's algorithms)
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


# rotations (ports of stats::varimax, psych::kaiser and psych::Promax)
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


@one_blas_thread
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


_WISHART_FROM = 5000  # respondents; beyond, parallel analysis draws its random correlation matrices directly


def _random_correlation(n: int, p: int, rng: np.random.Generator) -> np.ndarray:
    """The correlation matrix of n independent standard normal rows of p columns, drawn without the rows:
    W = A Aᵀ ~ Wishart(n - 1, I) with A lower triangular, A_kk² ~ χ²(n - 1 - k) and N(0, 1) below the
    diagonal (Bartlett 1933), scaled to unit diagonal."""
    a = np.tril(rng.standard_normal((p, p)), k=-1)
    a[np.diag_indices(p)] = np.sqrt(rng.chisquare(n - 1 - np.arange(p)))
    w = a @ a.T
    d = 1.0 / np.sqrt(np.diag(w))
    return w * d[:, None] * d[None, :]


# number of factors
@one_blas_thread
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
    With more than 5000 respondents the random correlation matrices are
    drawn directly: (n - 1) times the covariance matrix of n independent
    normal rows is Wishart(n - 1, I), drawn by Bartlett's decomposition in
    O(p³) instead of O(n p²) per iteration, with the same distribution.

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
        if n > _WISHART_FROM:
            rs = _random_correlation(n, p, rng)
        else:
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
