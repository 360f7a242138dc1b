"""Full-information maximum likelihood (FIML) for incomplete responses, as lavaan's ``missing = "ml"``.

With FIML no respondent who answered at least one item is dropped: each contributes the likelihood
of the answers they gave. Respondents are grouped by their pattern of answered items; pattern k
(n_k respondents, observed items o, sample mean m_k and covariance S_k of those items) contributes

    ℓ_k = −n_k/2 · [p_k log 2π + log|Σ_oo| + tr(Σ_oo⁻¹ (S_k + (m_k − μ_o)(m_k − μ_o)ᵀ))]

to the log-likelihood, with Σ = Σ(θ) the model-implied covariance and μ the item intercepts (free,
as in lavaan: the latent means are 0). The model is fitted by Fisher scoring on (θ, μ); standard
errors come from the observed information (the Hessian of −ℓ), lavaan's default for FIML. The
model's χ² compares it with the unrestricted (H1) model, whose means and covariances are estimated
by the EM algorithm; the baseline model has free means and variances only.

References
----------
Arbuckle, J. L. (1996). Full information estimation in the presence of incomplete data. In
Marcoulides & Schumacker (Eds.), Advanced structural equation modeling. Erlbaum.
Enders, C. K. (2010). Applied missing data analysis. Guilford.
Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. JSS, 48(2).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..threads import one_blas_thread
from ._semopy import semopy
from .estimate import FittedModel, Structure, assemble_fit, semopy_start, sigma_derivatives
from .fit_indices import chisq_measures

LOG_2PI = np.log(2 * np.pi)


@dataclass(frozen=True)
class MissingPatterns:
    """The respondents' patterns of answered items, with each pattern's sufficient statistics.

    Attributes
    ----------
    observed : ndarray (K, p) of bool
        Which items each pattern answered.
    counts : ndarray (K,)
        Respondents per pattern.
    mean_full, cov_full : ndarray (K, p) and (K, p, p)
        Per pattern, the mean vector and covariance matrix (divisor n_k) of its answered items, with
        zeros in the places of the unanswered ones.
    empty : int
        Respondents who answered no item (they carry no information and are left out, as in lavaan).
    """

    observed: np.ndarray
    counts: np.ndarray
    mean_full: np.ndarray
    cov_full: np.ndarray
    empty: int

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    @cached_property
    def index(self) -> list[np.ndarray]:
        return [np.flatnonzero(o) for o in self.observed]

    @cached_property
    def means(self) -> list[np.ndarray]:
        return [m[idx] for m, idx in zip(self.mean_full, self.index)]

    @cached_property
    def covs(self) -> list[np.ndarray]:
        return [c[np.ix_(idx, idx)] for c, idx in zip(self.cov_full, self.index)]

    @cached_property
    def coverage(self) -> np.ndarray:
        """Share of respondents who answered both items i and j (lavaan's ``coverage``)."""
        o = self.observed.astype(float)
        return (o.T * self.counts) @ o / self.n


def missing_patterns(x: np.ndarray) -> MissingPatterns:
    """Group the rows of ``x`` (NaN = no answer) by their pattern of answered items.

    Examples
    --------
    >>> import numpy as np
    >>> pats = missing_patterns(np.array([[1., 2.], [np.nan, 3.], [2., 4.], [np.nan, np.nan]]))
    >>> pats.counts.tolist(), pats.empty
    ([1, 2], 1)
    """
    x = np.asarray(x, dtype=float)
    answered = ~np.isnan(x)
    keep = answered.any(axis=1)
    if not keep.all():
        x, answered = x[keep], answered[keep]
    observed, inverse, counts = np.unique(answered, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)])
    k, p = observed.shape
    mean_full, cov_full = np.zeros((k, p)), np.zeros((k, p, p))
    x = np.where(answered, x, 0.0)
    for j in range(k):
        rows = x[order[starts[j]:starts[j + 1]]]
        m = rows.mean(axis=0)
        d = rows - m
        mean_full[j] = m
        cov_full[j] = d.T @ d / len(rows)
    return MissingPatterns(observed=observed, counts=counts, mean_full=mean_full, cov_full=cov_full,
                           empty=int((~keep).sum()))


def loglik(patterns: MissingPatterns, mu: np.ndarray, sigma: np.ndarray) -> float:
    """The FIML log-likelihood ℓ(μ, Σ) of all respondents (−inf if a Σ_oo is not positive definite)."""
    total = 0.0
    for idx, n_k, m, s in zip(patterns.index, patterns.counts, patterns.means, patterns.covs):
        sub = sigma[np.ix_(idx, idx)]
        try:
            chol = np.linalg.cholesky(sub)
        except np.linalg.LinAlgError:
            return -np.inf
        d = m - mu[idx]
        inv_chol = np.linalg.inv(chol)
        inv = inv_chol.T @ inv_chol
        total -= 0.5 * n_k * (len(idx) * LOG_2PI + 2 * np.log(np.diag(chol)).sum()
                              + np.sum(inv * (s + np.outer(d, d))))
    return float(total)


def _terms(patterns: MissingPatterns, mu: np.ndarray, sigma: np.ndarray, grads: np.ndarray | None,
           information: bool = True):
    """−2ℓ, its gradient in (θ, μ) and the expected information (None if Σ is not positive definite).

    All patterns are handled at once: pattern k's Σ_oo is embedded in a p × p matrix with the unit
    matrix in the places of its unanswered items, so that its inverse, embedded back with zeros,
    is W_k = (Σ_oo)⁻¹ and its log-determinant is log|Σ_oo|. With C_k = S_k + d_k d_kᵀ, d_k = m_k − μ_o:

        −2ℓ = Σ_k n_k [p_k log 2π + log|Σ_oo| + tr(W_k C_k)]
        ∂(−2ℓ)/∂θ_j = tr(Σ_k n_k (W_k − W_k C_k W_k) ∂Σ/∂θ_j),   ∂(−2ℓ)/∂μ = −2 Σ_k n_k W_k d_k
        information: Σ_k n_k tr(W_k ∂Σ_i W_k ∂Σ_j) for θ, 2 Σ_k n_k W_k for μ (0 between them).
    """
    p = len(mu)
    o = patterns.observed.astype(float)
    both = o[:, :, None] * o[:, None, :]
    embedded = sigma[None] * both + np.einsum("ki,ij->kij", 1 - o, np.eye(p))
    try:
        chol = np.linalg.cholesky(embedded)
    except np.linalg.LinAlgError:
        return None
    w = np.linalg.inv(embedded) * both
    n_k = patterns.counts.astype(float)
    d = (patterns.mean_full - mu) * o
    wd = np.einsum("kij,kj->ki", w, d)
    c = patterns.cov_full + d[:, :, None] * d[:, None, :]
    wc = w @ c
    logdet = 2 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    f = float(n_k @ (o.sum(axis=1) * LOG_2PI + logdet + np.trace(wc, axis1=1, axis2=2)))
    g_sigma = np.einsum("k,kij->ij", n_k, w - wc @ w)
    g_mu = -2 * n_k @ wd
    q = 0 if grads is None else len(grads)
    gradient = g_mu if grads is None else np.concatenate([grads.reshape(q, -1) @ g_sigma.ravel(), g_mu])
    if not information:
        return f, gradient, None
    info = np.zeros((q + p, q + p))
    info[q:, q:] = 2 * np.einsum("k,kij->ij", n_k, w)
    if q:
        # T[a,b,c,d] = Σ_k n_k W_k[a,b] W_k[c,d] (one matrix product), then
        # info_ij = Σ T[a,b,c,d] ∂Σ_i[b,c] ∂Σ_j[d,a]
        flat_w = w.reshape(len(n_k), -1)
        t = (flat_w.T * n_k) @ flat_w
        t = t.reshape(p, p, p, p).transpose(0, 3, 1, 2).reshape(p * p, p * p)  # (a,d) x (b,c)
        flat_grads = grads.reshape(q, -1)
        info[:q, :q] = flat_grads @ (t @ flat_grads.T)
    return f, gradient, info


def fiml_scoring(structure: Structure, patterns: MissingPatterns, theta: np.ndarray, mu: np.ndarray, *,
                 tol: float = 1e-9, step_tol: float = 0.0, max_iter: int = 200):
    """Minimise −2ℓ(θ, μ) by Fisher scoring with step halving, from (``theta``, ``mu``).

    Converged: the largest element of the gradient of −2ℓ/N is below ``tol``, or the last step
    changed no parameter by more than ``step_tol``. Returns (θ, μ, converged, iterations).

    (A fixed step matrix, e.g. the full sample's observed Hessian for a bootstrap resample, was
    tried: on the bank data a resample's Hessian differs from the full sample's by factors of 0.3
    to 3.4 and such steps diverge, so the information is re-evaluated at every step.)
    """
    q, n = len(theta), patterns.n
    point = np.concatenate([theta, mu])

    def evaluate(pt):
        sigma, grads = sigma_derivatives(structure, pt[:q])
        return _terms(patterns, pt[q:], sigma, grads)

    terms = evaluate(point)
    if terms is None:
        return theta, mu, False, 0
    f, gradient, info = terms
    for iteration in range(1, max_iter + 1):
        if np.max(np.abs(gradient)) / n < tol:
            return point[:q], point[q:], True, iteration
        try:
            step = np.linalg.solve(info, gradient)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(info, gradient, rcond=None)[0]
        for _ in range(30):
            candidate = point - step
            new = evaluate(candidate)
            if new is not None and new[0] <= f + 1e-10 * abs(f):
                break
            step = step / 2
        else:
            return point[:q], point[q:], False, iteration
        point, (f, gradient, info) = candidate, new
        if np.max(np.abs(step)) < step_tol:
            return point[:q], point[q:], True, iteration
    return point[:q], point[q:], False, max_iter


def em_moments(patterns: MissingPatterns, *, tol: float = 1e-10, max_iter: int = 10000):
    """Means and covariances of the unrestricted (saturated) model by the EM algorithm.

    Returns (μ, Σ, ℓ, converged): the ML estimates from incomplete data (Little & Rubin 2002,
    ch. 11) and their log-likelihood, lavaan's ``sampstat.h1`` and ``unrestricted.logl``.
    """
    p = patterns.observed.shape[1]
    n = patterns.n
    # start: available-case means and variances, no covariances
    sums, counts, squares = np.zeros(p), np.zeros(p), np.zeros(p)
    for idx, n_k, m, s in zip(patterns.index, patterns.counts, patterns.means, patterns.covs):
        sums[idx] += n_k * m
        squares[idx] += n_k * (np.diag(s) + m ** 2)
        counts[idx] += n_k
    mu = sums / counts
    sigma = np.diag(np.maximum(squares / counts - mu ** 2, 1e-8))
    previous = -np.inf
    converged = False
    for _ in range(max_iter):
        t1, t2 = np.zeros(p), np.zeros((p, p))
        for o, idx, n_k, m, s in zip(patterns.observed, patterns.index, patterns.counts, patterns.means,
                                     patterns.covs):
            mis = np.flatnonzero(~o)
            y_sum = n_k * m
            yy_sum = n_k * (s + np.outer(m, m))
            if len(mis) == 0:
                t1 += y_sum
                t2 += yy_sum
                continue
            b = np.linalg.solve(sigma[np.ix_(idx, idx)], sigma[np.ix_(idx, mis)]).T  # Σ_mo Σ_oo⁻¹
            a = mu[mis] - b @ mu[idx]
            cond = sigma[np.ix_(mis, mis)] - b @ sigma[np.ix_(idx, mis)]
            ey_sum = n_k * a + b @ y_sum  # Σ E[y_m | y_o]
            t1[idx] += y_sum
            t1[mis] += ey_sum
            t2[np.ix_(idx, idx)] += yy_sum
            cross = np.outer(a, y_sum) + b @ yy_sum  # Σ E[y_m] y_oᵀ
            t2[np.ix_(mis, idx)] += cross
            t2[np.ix_(idx, mis)] += cross.T
            t2[np.ix_(mis, mis)] += (n_k * cond + n_k * np.outer(a, a) + np.outer(a, b @ y_sum)
                                     + np.outer(b @ y_sum, a) + b @ yy_sum @ b.T)
        mu = t1 / n
        sigma = t2 / n - np.outer(mu, mu)
        sigma = (sigma + sigma.T) / 2
        current = loglik(patterns, mu, sigma)
        if abs(current - previous) < tol * max(1.0, abs(current)):
            converged = True
            break
        previous = current
    return mu, sigma, current, converged


def _observed_information(structure: Structure, patterns: MissingPatterns, point: np.ndarray) -> np.ndarray:
    """The Hessian of −ℓ in (θ, μ), by central differences of the analytic gradient."""
    q = structure.n_params

    def gradient(pt):
        sigma, grads = sigma_derivatives(structure, pt[:q])
        return _terms(patterns, pt[q:], sigma, grads, information=False)[1] / 2

    hessian = np.empty((len(point), len(point)))
    for k in range(len(point)):
        h = 1e-5 * max(1.0, abs(point[k]))
        up, down = point.copy(), point.copy()
        up[k] += h
        down[k] -= h
        hessian[:, k] = (gradient(up) - gradient(down)) / (2 * h)
    return (hessian + hessian.T) / 2


@dataclass(frozen=True)
class FimlFit:
    """A model fitted by FIML.

    Attributes
    ----------
    fitted : FittedModel
        The structural part: estimates (std.all from the model-implied Σ), standard errors from the
        observed information, ``sample_cov`` = the EM (H1) covariance matrix, ``n`` = respondents
        with at least one answer.
    intercepts : DataFrame
        The item intercepts (lavaan's ``~1`` rows): item, est, se.
    fit : dict
        lavaan's fit measures for ``missing = "ml"``.
    patterns : MissingPatterns
    h1_mean, h1_cov : ndarray
        The EM estimates of the unrestricted model.
    hessian : ndarray (q + p, q + p)
        The observed information: the Hessian of −ℓ in (θ, μ) at the estimate.
    """

    fitted: FittedModel
    intercepts: pd.DataFrame
    fit: dict
    patterns: MissingPatterns
    h1_mean: np.ndarray
    h1_cov: np.ndarray
    hessian: np.ndarray

    @property
    def theta_full(self) -> np.ndarray:
        return np.concatenate([self.fitted.theta, self.intercepts["est"].to_numpy()])


@one_blas_thread
def fit_fiml(syntax: str, data: pd.DataFrame, *, measurement_pairs=frozenset()) -> FimlFit:
    """Fit a model by full-information maximum likelihood (lavaan ``missing = "ml"``).

    Parameters
    ----------
    syntax : str
        lavaan-style model description.
    data : DataFrame
        Responses with NaN for no answer; columns include every observed variable of the model.
        Rows without any answer are left out (``patterns.empty`` counts them).
    measurement_pairs : set of (latent, indicator), optional
        Second-order loadings (see :func:`study.model.estimate.fit_model`).

    Returns
    -------
    FimlFit

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> d = pd.DataFrame({f"x{i}": f + rng.normal(size=300) for i in range(1, 4)})
    >>> d.iloc[:30, 0] = np.nan
    >>> fit = fit_fiml("F =~ x1 + x2 + x3", d)
    >>> fit.fitted.n, round(fit.fit["df"])
    (300, 0)
    """
    observed = semopy.Model(syntax).vars["observed"]
    x = data[observed].to_numpy(dtype=float)
    patterns = missing_patterns(x)
    mu_h1, cov_h1, logl_h1, _ = em_moments(patterns)
    # semopy's start from the EM covariance; rows for its starting values: complete cases if there
    # are enough, else the answers with the EM means put in for the missing ones
    complete = data[observed].dropna()
    if len(complete) < 2 * len(observed):
        complete = data[observed].fillna(pd.Series(mu_h1, index=observed))
    structure, _, theta0 = semopy_start(syntax, cov_h1, complete)
    order = [observed.index(v) for v in structure.observed]
    if order != list(range(len(order))):
        patterns = missing_patterns(x[:, order])
        mu_h1, cov_h1 = mu_h1[order], cov_h1[np.ix_(order, order)]
    theta, mu, converged, iterations = fiml_scoring(structure, patterns, theta0, mu_h1.copy())
    q = len(theta)
    hessian = _observed_information(structure, patterns, np.concatenate([theta, mu]))
    try:
        vcov_full = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        vcov_full = np.linalg.pinv(hessian)
    fitted = assemble_fit(syntax, structure, patterns.n, cov_h1, theta, hessian[:q, :q] if np.all(
        np.isfinite(hessian)) else np.zeros((q, q)), converged, iterations, measurement_pairs,
        vcov=vcov_full[:q, :q])
    se_mu = np.sqrt(np.clip(np.diag(vcov_full)[q:], 0, None))
    intercepts = pd.DataFrame({"item": structure.observed, "est": mu, "se": se_mu})
    fit = fiml_fit_measures(fitted, patterns, mu, mu_h1, cov_h1, logl_h1)
    return FimlFit(fitted=fitted, intercepts=intercepts, fit=fit, patterns=patterns, h1_mean=mu_h1,
                   h1_cov=cov_h1, hessian=hessian)


def pairwise_moments(patterns: MissingPatterns) -> tuple[np.ndarray, np.ndarray]:
    """Available-case means and pairwise-complete covariances (divisor n_ij − 1), from the pattern
    statistics: R's ``colMeans(na.rm = TRUE)`` and ``cov(use = "pairwise")``."""
    p = patterns.observed.shape[1]
    n_ij, sum_i, sum_j, cross = (np.zeros((p, p)) for _ in range(4))
    for idx, n_k, m, s in zip(patterns.index, patterns.counts, patterns.means, patterns.covs):
        block = np.ix_(idx, idx)
        n_ij[block] += n_k
        sum_i[block] += n_k * m[:, None]
        sum_j[block] += n_k * m[None, :]
        cross[block] += n_k * (s + np.outer(m, m))
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (cross - sum_i * sum_j / n_ij) / (n_ij - 1)
        mean = np.diag(sum_i) / np.diag(n_ij)
    return mean, cov


def _gfi(patterns: MissingPatterns, mu: np.ndarray, sigma: np.ndarray) -> float:
    """lavaan's GFI for FIML: 1 − rᵀVr / sᵀVs.

    s = (available-case means, pairwise covariances × (N − 1)/N), lavaan's sample statistics for
    incomplete data; r = s minus the model's (μ̂, Σ̂); V = the expected information of the unrestricted
    model at the model's Σ̂ under the observed patterns, Σ_k (n_k/N)·[W_k for the means,
    ½ D'(W_k ⊗ W_k)D for the covariances], W_k = (Σ̂_oo)⁻¹ embedded in p × p.
    """
    n = patterns.n
    mean, cov = pairwise_moments(patterns)
    cov = cov * (n - 1) / n
    t1 = t2 = 0.0
    for idx, n_k in zip(patterns.index, patterns.counts):
        w = np.linalg.inv(sigma[np.ix_(idx, idx)])
        r = (cov - sigma)[np.ix_(idx, idx)]
        e = (mean - mu)[idx]
        s, m = cov[np.ix_(idx, idx)], mean[idx]
        t1 += n_k / n * (0.5 * np.sum((w @ r) * (w @ r).T) + e @ w @ e)
        t2 += n_k / n * (0.5 * np.sum((w @ s) * (w @ s).T) + m @ w @ m)
    return float(1 - t1 / t2)


def fiml_fit_measures(fitted: FittedModel, patterns: MissingPatterns, mu: np.ndarray, mu_h1: np.ndarray,
                      cov_h1: np.ndarray, logl_h1: float) -> dict[str, float]:
    """lavaan's fit measures for a FIML fit.

    Notes
    -----
    χ² = 2(ℓ_H1 − ℓ_H0) on p(p+1)/2 + p − (q + p) df; the baseline model has free means and
    variances (its FIML estimates are each item's available-case mean and variance), χ²_B =
    2(ℓ_H1 − ℓ_B) on p(p−1)/2 df. CFI, TLI, NFI, IFI, RNI and RMSEA (N = respondents with an answer)
    follow as for complete data. SRMR and GFI compare the model with the EM moments (means
    included): SRMR = √[(Σ_{i≤j} r_ij² + Σ_i r_i²)/(p(p+1)/2 + p)] with r_ij = (s_ij − σ̂_ij)/√(s_ii s_jj)
    and r_i = (m_i − μ̂_i)/√s_ii. GFI: see :func:`_gfi`. AIC and BIC use ℓ_H0 with q + p parameters.
    """
    n, p = patterns.n, len(mu)
    sigma = fitted.sigma
    logl = loglik(patterns, mu, sigma)
    npar = fitted.structure.n_params + p
    moments = p * (p + 1) // 2 + p
    df = moments - npar
    chisq = max(2 * (logl_h1 - logl), 0.0)
    # baseline: independent items, each with its available-case mean and (divisor n_j) variance
    n_j = patterns.counts @ patterns.observed
    _, pairwise = pairwise_moments(patterns)
    variance = np.diag(pairwise) * (n_j - 1) / n_j
    logl_b = -0.5 * float(n_j @ (LOG_2PI + np.log(variance) + 1))
    out = chisq_measures(chisq, df, 2 * (logl_h1 - logl_b), p * (p - 1) // 2, n)
    sd = np.sqrt(np.diag(cov_h1))
    resid = ((cov_h1 - sigma) / np.outer(sd, sd))[np.tril_indices(p)]
    resid_mean = (mu_h1 - mu) / sd
    out["srmr"] = float(np.sqrt((np.sum(resid ** 2) + np.sum(resid_mean ** 2)) / moments))
    out["gfi"] = _gfi(patterns, mu, sigma)
    out["agfi"] = 1 - moments / df * (1 - out["gfi"]) if df > 0 else np.nan
    out["logl"] = logl
    out["unrestricted.logl"] = logl_h1
    out["aic"] = -2 * logl + 2 * npar
    out["bic"] = -2 * logl + npar * np.log(n)
    out["npar"] = float(npar)
    out["ntotal"] = float(n)
    return {k: float(v) for k, v in out.items()}
