"""Maximum-likelihood estimation of a structural equation model, to lavaan's definitions.

semopy parses the lavaan-style model description and builds the LISREL-type matrices. The model is
fitted here by Fisher scoring from lavaan's kind of starting values (:func:`simple_start`); where that
does not converge, from semopy's own solution (its optimiser, SLSQP, stops about 1e-4 short of the
optimum, which would show in the third decimal of standard errors, so Fisher scoring finishes it). Everything reported (standard errors, standardized
solution, R², fit indices) is then computed here from the fitted matrices:

    Σ(θ) = Λ (I − B)⁻¹ Ψ (I − B)⁻ᵀ Λᵀ + Θ
    F_ML(θ) = log|Σ| + tr(S Σ⁻¹) − log|S| − p          (S with divisor n, as lavaan)

The same Fisher-scoring step, started from the full-sample solution, refits bootstrap resamples in a
few iterations (see :mod:`study.model.bootstrap`).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from ..messages import Message
from ..threads import blas_threads
from ._semopy import semopy

# Matrix order inside semopy's models.
BETA, LAMBDA, PSI, THETA = 0, 1, 2, 3
START_ROWS = 5000  # rows semopy sees for its starting values


@dataclass(frozen=True)
class Structure:
    """Where each free parameter sits in the model matrices (fixed for a model, any data)."""

    observed: list[str]
    latent: list[str]
    # one entry per location of a free parameter: (matrix, row, column, parameter index)
    locations: np.ndarray
    fixed: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # matrices with fixed values, free = 0
    n_params: int

    def matrices(self, theta: np.ndarray) -> list[np.ndarray]:
        mats = [m.copy() for m in self.fixed]
        for which, rows, cols, idx in self._by_matrix:
            mats[which][rows, cols] = theta[idx]
            if which in (PSI, THETA):
                mats[which][cols, rows] = theta[idx]
        return mats

    @cached_property
    def _by_matrix(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        loc = self.locations
        return [(w, loc[loc[:, 0] == w, 1], loc[loc[:, 0] == w, 2], loc[loc[:, 0] == w, 3])
                for w in (BETA, LAMBDA, PSI, THETA) if (loc[:, 0] == w).any()]

    @cached_property
    def _derivative_layout(self):
        """Parameter locations grouped by matrix (Λ, B, Ψ, Θ order), for :func:`sigma_derivatives`."""
        loc = self.locations
        order = [LAMBDA, BETA, PSI, THETA]
        parts = [loc[loc[:, 0] == w] for w in order]
        rows = {w: part[:, 1] for w, part in zip(order, parts)}
        cols = {w: part[:, 2] for w, part in zip(order, parts)}
        stacked = np.concatenate(parts)
        # Λ and B enter Σ as X + Xᵀ; Ψ and Θ entries are symmetric pairs unless on the diagonal
        transpose = np.isin(stacked[:, 0], [LAMBDA, BETA]) | (stacked[:, 1] != stacked[:, 2])
        return order, rows, cols, stacked[:, 3], transpose

    @cached_property
    def _one_location_each(self) -> bool:
        return len(np.unique(self.locations[:, 3])) == len(self.locations)


def implied_covariance(structure: Structure, theta: np.ndarray) -> np.ndarray:
    beta, lam, psi, th = structure.matrices(theta)
    c = np.linalg.inv(np.eye(len(beta)) - beta)
    m = lam @ c
    return m @ psi @ m.T + th


def sigma_derivatives(structure: Structure, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ(θ) and its derivatives dΣ/dθ_k, stacked as an array of shape (q, p, p)."""
    beta, lam, psi, th = structure.matrices(theta)
    p, q = len(structure.observed), structure.n_params
    c = np.linalg.inv(np.eye(len(beta)) - beta)
    m = lam @ c  # p x m: observed on latent, total
    sigma = m @ psi @ m.T + th
    k = c @ psi @ m.T  # m x p
    # Each parameter location contributes u vᵀ (plus its transpose) to dΣ:
    #   Λ[i,j]: e_i (ΩΛᵀ)[j]   B[i,j]: M[:,i] (ΩΛᵀ)[j]   Ψ[i,j]: M[:,i] M[:,j]ᵀ   Θ[i,j]: e_i e_jᵀ
    _, rows, cols, idx, transpose = structure._derivative_layout
    identity = np.eye(p)
    u = np.concatenate([identity[rows[LAMBDA]], m[:, rows[BETA]].T, m[:, rows[PSI]].T, identity[rows[THETA]]])
    v = np.concatenate([k[cols[LAMBDA]], k[cols[BETA]], m[:, cols[PSI]].T, identity[cols[THETA]]])
    outer = u[:, :, None] * v[:, None, :]
    outer = outer + np.where(transpose[:, None, None], outer.transpose(0, 2, 1), 0.0)
    if structure._one_location_each:
        grads = np.empty((q, p, p))
        grads[idx] = outer
    else:  # a parameter in several places (equality constraints) sums its contributions
        grads = np.zeros((q, p, p))
        np.add.at(grads, idx, outer)
    return sigma, grads


def ml_discrepancy(sigma: np.ndarray, s: np.ndarray, logdet_s: float) -> float:
    sign, logdet = np.linalg.slogdet(sigma)
    if sign <= 0:
        return np.inf
    return logdet + np.trace(np.linalg.solve(sigma, s)) - logdet_s - len(s)


def _information(inv_sigma: np.ndarray, grads: np.ndarray) -> np.ndarray:
    """tr(Σ⁻¹ dΣ_k Σ⁻¹ dΣ_l) for all k, l: twice the expected information of one observation."""
    q = len(grads)
    a = inv_sigma @ grads  # (q, p, p)
    return a.reshape(q, -1) @ a.transpose(0, 2, 1).reshape(q, -1).T


@dataclass(frozen=True)
class GroupMoments:
    """One group's sample covariance matrix, its weight n_g / N, and where the template model's
    parameters sit in the full parameter vector (shared positions = equality constraints)."""

    s: np.ndarray
    weight: float
    index: np.ndarray

    @cached_property
    def logdet(self) -> float:
        return float(np.linalg.slogdet(self.s)[1])


def fisher_scoring(structure: Structure, s: np.ndarray, theta: np.ndarray, **options) -> tuple[np.ndarray, bool, int]:
    """Minimise F_ML for one group from ``theta``; see :func:`fisher_scoring_groups`."""
    group = GroupMoments(s=s, weight=1.0, index=np.arange(len(theta)))
    return fisher_scoring_groups(structure, [group], theta, **options)


def _group_terms(structure: Structure, g: GroupMoments, theta: np.ndarray):
    """F_ML of one group at ``theta`` with its gradient and information (None if Σ is not positive definite).

    Every parameter location changes Σ by a symmetric rank-two term, dΣ = c·(u vᵀ + v uᵀ) (the
    vectors of :func:`sigma_derivatives`; c = ½ where u = v). With P = Σ⁻¹ and W = P − P S P,

        ∂F/∂θ_k = tr(W dΣ_k) = 2c_k u_kᵀ W v_k
        tr(P dΣ_k P dΣ_l) = 2c_k c_l [(u_kᵀP u_l)(v_kᵀP v_l) + (v_kᵀP u_l)(u_kᵀP v_l)],

    so the information needs four small matrix products instead of the q × p × p derivative array.
    Locations of one parameter (equality constraints) are summed.
    """
    beta, lam, psi, th = structure.matrices(theta[g.index])
    p = len(structure.observed)
    c = np.linalg.inv(np.eye(len(beta)) - beta)
    m = lam @ c
    sigma = m @ psi @ m.T + th
    try:
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None
    inv_chol = np.linalg.inv(chol)
    inv = inv_chol.T @ inv_chol
    f = 2 * np.sum(np.log(np.diag(chol))) + np.sum(inv * g.s) - g.logdet - p
    w = inv - inv @ g.s @ inv
    k = c @ psi @ m.T
    _, rows, cols, idx, transpose = structure._derivative_layout
    identity = np.eye(p)
    u = np.concatenate([identity[rows[LAMBDA]], m[:, rows[BETA]].T, m[:, rows[PSI]].T, identity[rows[THETA]]])
    v = np.concatenate([k[cols[LAMBDA]], k[cols[BETA]], m[:, cols[PSI]].T, identity[cols[THETA]]])
    scale = np.where(transpose, 1.0, 0.5)
    up, vp = u @ inv, v @ inv
    information = 2 * np.outer(scale, scale) * (up @ u.T * (vp @ v.T) + (vp @ u.T) * (up @ v.T))
    gradient = 2 * scale * np.sum((u @ w) * v, axis=1)
    if structure._one_location_each:
        order = np.argsort(idx)
        return f, gradient[order], information[np.ix_(order, order)]
    to_param = np.zeros((len(idx), structure.n_params))
    to_param[np.arange(len(idx)), idx] = 1.0
    return f, to_param.T @ gradient, to_param.T @ information @ to_param


def fisher_scoring_groups(structure: Structure, groups: list[GroupMoments], theta: np.ndarray, *,
                          tol: float = 1e-9, step_tol: float = 0.0, max_iter: int = 200,
                          f_floor: float = -np.inf) -> tuple[np.ndarray, bool, int]:
    """Minimise F = Σ_g (n_g/N) F_ML,g by Fisher scoring with step halving.

    All groups share the template ``structure``; ``theta`` is the full parameter vector. Converged
    means: the largest gradient element is below ``tol``, or the largest change of a parameter in
    the last step is below ``step_tol``, or F is at most ``f_floor``. Returns the estimate, whether it
    converged, and the number of iterations.

    Each iteration evaluates Σ once: the step is taken first, and halved only if the discrepancy
    computed with the next iteration's Σ has risen.
    """
    q = len(theta)

    def evaluate(point):
        f, gradient, information = 0.0, np.zeros(q), np.zeros((q, q))
        for g in groups:
            terms = _group_terms(structure, g, point)
            if terms is None:
                return np.inf, None, None
            f += g.weight * terms[0]
            gradient[g.index] += g.weight * terms[1]
            information[np.ix_(g.index, g.index)] += g.weight * terms[2]
        return f, gradient, information

    return minimise_by_scoring(evaluate, theta, tol=tol, step_tol=step_tol, max_iter=max_iter, f_floor=f_floor)


def minimise_by_scoring(evaluate, theta: np.ndarray, *, tol: float = 1e-9, step_tol: float = 0.0,
                        max_iter: int = 200, f_floor: float = -np.inf) -> tuple[np.ndarray, bool, int]:
    """Fisher scoring with step halving on ``evaluate(theta) -> (F, gradient, information)`` (F infinite
    where the model is not defined). Converged: the largest gradient element is below ``tol``, or the
    largest change of a parameter in the last step is below ``step_tol``, or F is at most ``f_floor`` (a
    fit that only has to show that F reaches 0, where the parameters need not be identified). Returns the
    estimate, whether it converged, and the number of iterations. Each iteration evaluates once: the step
    is taken first and halved only if F has risen."""
    theta = theta.copy()
    f, gradient, information = evaluate(theta)
    if not np.isfinite(f):
        return theta, False, 0
    for iteration in range(1, max_iter + 1):
        if np.max(np.abs(gradient)) < tol or f <= f_floor:
            return theta, True, iteration
        try:
            step = np.linalg.solve(information, gradient)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(information, gradient, rcond=None)[0]
        for _ in range(30):
            candidate = theta - step
            f_new, gradient_new, information_new = evaluate(candidate)
            if f_new <= f + 1e-12:
                break
            step = step / 2
        else:
            return theta, False, iteration
        theta, f, gradient, information = candidate, f_new, gradient_new, information_new
        if np.max(np.abs(step)) < step_tol:
            return theta, True, iteration
    return theta, False, max_iter


def _structure_from_semopy(model: semopy.Model) -> Structure:
    observed = list(model.names_lambda[0])
    latent = list(model.names_lambda[1])
    fixed = [mx.copy() for mx in model.matrices[:4]]
    rows = []
    for which, (mx, (where, idx)) in enumerate(zip(model.matrices[:4], model.param_ranges[:4])):
        if not where:
            continue
        r, c = where
        seen = set()
        for rr, cc, k in zip(r, c, idx):
            if which in (PSI, THETA):
                key = (min(rr, cc), max(rr, cc), k)
                if key in seen:
                    continue
                seen.add(key)
                rr, cc = key[0], key[1]
            fixed[which][rr, cc] = 0.0
            if which in (PSI, THETA):
                fixed[which][cc, rr] = 0.0
            rows.append((which, rr, cc, k))
    locations = np.array(rows, dtype=int)
    return Structure(observed=observed, latent=latent, locations=locations, fixed=tuple(fixed),
                     n_params=int(locations[:, 3].max()) + 1)


@dataclass(frozen=True)
class FittedModel:
    """A fitted model: its matrices, estimates and everything computed from them."""

    syntax: str
    structure: Structure
    n: int
    sample_cov: np.ndarray  # divisor n
    theta: np.ndarray
    vcov: np.ndarray  # covariance matrix of the free parameters (expected information)
    converged: bool
    iterations: int
    estimates: pd.DataFrame  # lhs, op, rhs, free, est, se, z, pvalue, std_all
    measurement_pairs: frozenset = field(default_factory=frozenset)  # (latent, indicator) via B
    problems: list[str] = field(default_factory=list)  # improper-solution diagnostics, plain words

    @property
    def proper(self) -> bool:
        """Converged, with no improper-solution diagnostics: its estimates can be read as findings."""
        return self.converged and not self.problems

    @property
    def sigma(self) -> np.ndarray:
        return implied_covariance(self.structure, self.theta)

    def matrices(self) -> list[np.ndarray]:
        return self.structure.matrices(self.theta)

    def latent_covariance(self) -> pd.DataFrame:
        beta, _, psi, _ = self.matrices()
        c = np.linalg.inv(np.eye(len(beta)) - beta)
        lat = self.structure.latent
        return pd.DataFrame(c @ psi @ c.T, index=lat, columns=lat)

    def latent_correlation(self) -> pd.DataFrame:
        cov = self.latent_covariance()
        sd = np.sqrt(np.clip(np.diag(cov), 1e-300, None))
        return cov / np.outer(sd, sd)

    def paths(self) -> pd.DataFrame:
        return self.estimates[self.estimates["op"] == "~"].reset_index(drop=True)

    def loadings(self) -> pd.DataFrame:
        return self.estimates[self.estimates["op"] == "=~"].reset_index(drop=True)


def fit_model(syntax: str, data: pd.DataFrame, *, measurement_pairs=frozenset()) -> FittedModel:
    """Fit a model by maximum likelihood.

    Parameters
    ----------
    syntax : str
        lavaan-style model description (``=~``, ``~``, ``~~``).
    data : DataFrame
        Complete cases; columns include every observed variable of the model.
    measurement_pairs : set of (latent, indicator), optional
        Latent-on-latent loadings of second-order factors, which semopy keeps among the
        regressions; they are reported with ``=~``.

    Returns
    -------
    FittedModel
    """
    # One BLAS thread for all of it (see study.threads), the covariance of the raw rows too: for 1,000,000
    # rows it took 0.2 s on one thread and 2.5-8 s on two OpenBLAS threads on the busy 2-core machine.
    with blas_threads(1):
        return _fit(syntax, data, measurement_pairs)


def _fit(syntax, data, measurement_pairs) -> FittedModel:
    observed = semopy.Model(syntax).vars["observed"]
    x = data[observed].to_numpy(dtype=float)
    s = np.cov(x, rowvar=False, bias=True)
    # Fisher scoring from lavaan's kind of start (simple_start) for FIRST_TRY_ITERATIONS steps, else from
    # semopy's own solution (its optimiser took two thirds of the time of a fit, so it is the second try),
    # else on from where the first try stopped (200 steps in all, as one try had before); if none converges,
    # the point with the smallest F is kept, not converged. ``iterations`` are the steps that led to the point
    # kept (the first try's and its continuation's together).
    cov = s
    structure, s, _ = semopy_start(syntax, cov, None, start="none")
    tried = []  # (point, steps that led there)
    tries = ((lambda: (simple_start(structure, s, measurement_pairs), 0), FIRST_TRY_ITERATIONS),
             (lambda: (semopy_start(syntax, cov, data)[2], 0), 200),
             (lambda: tried[0], 200 - FIRST_TRY_ITERATIONS))
    for start, most in tries:
        theta0, before = start()
        theta, converged, steps = fisher_scoring(structure, s, theta0, max_iter=most)
        iterations = before + steps
        if converged:
            break
        tried.append((theta, iterations))
    else:
        logdet_s = np.linalg.slogdet(s)[1]
        theta, iterations = min(tried, key=lambda t: ml_discrepancy(implied_covariance(structure, t[0]), s, logdet_s))
    sigma, grads = sigma_derivatives(structure, theta)
    information = 0.5 * len(x) * _information(np.linalg.inv(sigma), grads)
    return assemble_fit(syntax, structure, len(x), s, theta, information, converged, iterations,
                        measurement_pairs)


# Fisher scoring from simple_start converged in at most 32 steps in 60 of 61 fits (the three example studies
# and 40 class datasets of the default one); past this many steps semopy's solution is the faster way.
FIRST_TRY_ITERATIONS = 40


def simple_start(structure: Structure, s: np.ndarray, measurement_pairs=frozenset()) -> np.ndarray:
    """Starting values in the manner of lavaan's default: loadings from the covariances of each
    indicator with the factor's other indicators relative to the marker's (the median ratio
    s_jk / s_mk — the idea of FABIN's instrumental variables), 1 for the loadings of first-order factors
    on a second-order factor (``measurement_pairs``; at 0 its variance and loadings could not move),
    half of each observed variance as its residual variance, 0.05 for latent variances, 0 for
    regressions and covariances."""
    theta = np.zeros(structure.n_params)
    loc = structure.locations
    marker_loadings = structure.fixed[LAMBDA]
    latent = structure.latent
    for which, row, col, k in loc:
        if which == BETA and (latent[col], latent[row]) in measurement_pairs:
            theta[k] = 1.0
        elif which == THETA and row == col:
            theta[k] = 0.5 * s[row, row]
        elif which == PSI and row == col:
            theta[k] = 0.05
        elif which == LAMBDA:
            markers = np.flatnonzero(marker_loadings[:, col])
            others = [r for w, r, c, _ in loc if w == LAMBDA and c == col and r != row]
            # λ_row / λ_marker = s_row,j / s_marker,j for another indicator j; the marker's loading is
            # fixed (1, or the value the syntax gives)
            ratios = [marker_loadings[markers[0], col] * s[row, j] / s[markers[0], j] for j in others
                      if len(markers) and abs(s[markers[0], j]) > 1e-8]
            theta[k] = float(np.median(ratios)) if ratios else 1.0
    return theta


def semopy_start(syntax: str, s: np.ndarray, rows: pd.DataFrame | None, *,
                 start: str = "solution") -> tuple[Structure, np.ndarray, np.ndarray]:
    """semopy's parse of ``syntax`` and a first point for the covariance matrix ``s``: semopy's ML solution
    (``start="solution"``), or none worth having (``"none"``: the model's matrices only, no optimisation,
    no data needed).

    ``s`` has the columns in the order of ``semopy.Model(syntax).vars["observed"]``; it is returned
    in the order of the structure's observed variables. ``rows`` are complete raw responses, used only
    for semopy's starting values.
    """
    model = semopy.Model(syntax)
    observed = model.vars["observed"]
    if start not in ("solution", "none"):
        raise ValueError(f"start must be 'solution' or 'none', not {start!r}")
    cov = pd.DataFrame(s, index=observed, columns=observed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            if start == "solution":
                # semopy takes its starting values from raw rows, slowly (masked arrays and a regression per
                # loading): a subsample is enough for a start, and the fit itself uses all rows' covariances.
                n = len(rows)
                start_rows = (rows.iloc[np.random.default_rng(0).choice(n, START_ROWS, replace=False)]
                              if n > START_ROWS else rows)
                model.fit(start_rows, cov=cov, obj="MLW")
            else:
                model.load(cov=cov)
        finally:
            logging.disable(logging.NOTSET)
    structure = _structure_from_semopy(model)
    order = [observed.index(v) for v in structure.observed]
    return structure, s[np.ix_(order, order)], np.asarray(model.param_vals, dtype=float)


def is_singular(information: np.ndarray) -> bool:
    """Whether an information matrix is singular (empirical under-identification): its smallest eigenvalue
    at most 1e-10 of its largest."""
    eig = np.linalg.eigvalsh(information)
    return bool(eig.min() <= 1e-10 * max(eig.max(), 1.0))


def assemble_fit(syntax: str, structure: Structure, n: int, s: np.ndarray, theta: np.ndarray,
                 information: np.ndarray, converged: bool, iterations: int,
                 measurement_pairs=frozenset(), *, vcov: np.ndarray | None = None) -> FittedModel:
    """A :class:`FittedModel` from an estimate and the information matrix of its free parameters
    (total, i.e. for all n respondents): standard errors, the estimates table and the diagnostics.

    ``vcov``, if given, is the parameters' covariance matrix to report (e.g. a block of a larger
    inverse information); ``information`` is then only checked for singularity.
    """
    problems: list[str] = []
    singular = is_singular(information)
    if singular:
        problems.append(Message(
            "The information matrix is singular: the model is not identified with these data "
            "(empirical under-identification); standard errors cannot be trusted.",
            "信息矩阵奇异：模型在这些数据上无法识别（经验性识别不足），标准误不可信。"))
    if vcov is None:
        vcov = np.linalg.pinv(information) if singular else np.linalg.inv(information)
    fitted = FittedModel(syntax=syntax, structure=structure, n=n, sample_cov=s, theta=theta, vcov=vcov,
                         converged=converged, iterations=iterations, estimates=pd.DataFrame(),
                         measurement_pairs=frozenset(measurement_pairs), problems=problems)
    estimates = _estimates_table(fitted)
    problems = problems + _diagnose(fitted, estimates)
    return FittedModel(**{**fitted.__dict__, "estimates": estimates, "problems": problems})


def _table_layout(fitted: FittedModel) -> list[tuple]:
    """The rows of the estimates table: (lhs, op, rhs, matrix, row, column, free-parameter index or -1)."""
    st = fitted.structure
    beta, lam, psi, th = fitted.matrices()
    obs, lat = st.observed, st.latent
    free = {(m, r, c): k for m, r, c, k in st.locations}

    def index(which, r, c):
        k = free.get((which, r, c))
        if k is None and which in (PSI, THETA):
            k = free.get((which, c, r))
        return -1 if k is None else k

    rows = []
    for j, latent in enumerate(lat):  # loadings
        for i, item in enumerate(obs):
            if lam[i, j] != 0 or index(LAMBDA, i, j) >= 0:
                rows.append((latent, "=~", item, LAMBDA, i, j, index(LAMBDA, i, j)))
    for i, lhs in enumerate(lat):  # regressions and second-order loadings
        for j, rhs in enumerate(lat):
            if beta[i, j] != 0 or index(BETA, i, j) >= 0:
                if (rhs, lhs) in fitted.measurement_pairs:
                    rows.append((rhs, "=~", lhs, BETA, i, j, index(BETA, i, j)))
                else:
                    rows.append((lhs, "~", rhs, BETA, i, j, index(BETA, i, j)))
    for which, names, mat in ((PSI, lat, psi), (THETA, obs, th)):  # (residual) variances and covariances
        for i in range(len(names)):
            for j in range(i + 1):
                if mat[i, j] != 0 or index(which, i, j) >= 0:
                    rows.append((names[i], "~~", names[j], which, i, j, index(which, i, j)))
    return rows


def _values(structure: Structure, thetas: np.ndarray, layout: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Unstandardized and completely standardized (std.all) values of the table rows at each row of ``thetas``
    (K, q): two arrays (K, rows), computed on stacked matrices (the std.all Jacobian needs 2q of them)."""
    k = len(thetas)
    # the structure's own matrices (a DeltaStructure computes Θ from the other parameters), stacked
    mats = [np.stack(ms) for ms in zip(*(structure.matrices(theta) for theta in thetas))]
    beta, lam, psi, th = mats
    c = np.linalg.inv(np.eye(beta.shape[1]) - beta)
    sd_lat = np.sqrt(np.clip(np.diagonal(c @ psi @ c.transpose(0, 2, 1), axis1=1, axis2=2), 0, None))
    m = lam @ c
    sd_obs = np.sqrt(np.clip(np.diagonal(m @ psi @ m.transpose(0, 2, 1) + th, axis1=1, axis2=2), 0, None))
    which = np.array([row[3] for row in layout], dtype=int)
    r = np.array([row[4] for row in layout], dtype=int)
    col = np.array([row[5] for row in layout], dtype=int)
    est, scale = np.empty((k, len(layout))), np.empty((k, len(layout)))
    # std.all = est × sd(column variable) / sd(row variable) for a loading or path, est / (sd × sd) for a
    # (co)variance; a variance of 0 (improper solutions) leaves it undefined: inf/nan, flagged by _diagnose
    with np.errstate(divide="ignore", invalid="ignore"):
        for w, row_sd, col_sd, ratio in ((LAMBDA, sd_obs, sd_lat, True), (BETA, sd_lat, sd_lat, True),
                                         (PSI, sd_lat, sd_lat, False), (THETA, sd_obs, sd_obs, False)):
            sel = which == w
            est[:, sel] = mats[w][:, r[sel], col[sel]]
            scale[:, sel] = (col_sd[:, col[sel]] / row_sd[:, r[sel]] if ratio
                             else 1 / (row_sd[:, r[sel]] * col_sd[:, col[sel]]))
        return est, est * scale


def _estimates_table(fitted: FittedModel) -> pd.DataFrame:
    """lavaan's parameterEstimates(standardized = TRUE) for the loadings, paths and (co)variances,
    with the delta-method standard error of std.all (lavaan's standardizedSolution()$se)."""
    layout = _table_layout(fitted)
    theta = fitted.theta
    # the estimate, then each parameter moved up and down: the Jacobian of std.all by central differences
    h = 1e-6 * np.maximum(1.0, np.abs(theta))
    steps = np.diag(h)
    est, std = _values(fitted.structure, np.vstack([theta[None], theta + steps, theta - steps]), layout)
    q = len(theta)
    with np.errstate(invalid="ignore"):
        jac = ((std[1:q + 1] - std[q + 1:]) / (2 * h[:, None])).T
    est, std = est[0], std[0]
    index = np.array([row[-1] for row in layout])
    se = np.where(index >= 0, np.sqrt(np.clip(np.diag(fitted.vcov), 0, None))[np.maximum(index, 0)], np.nan)
    se_std = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, fitted.vcov, jac), 0, None))
    table = pd.DataFrame({"lhs": [r[0] for r in layout], "op": [r[1] for r in layout],
                          "rhs": [r[2] for r in layout], "free": index >= 0, "est": est, "se": se})
    table["z"] = table["est"] / table["se"]
    table["pvalue"] = 2 * stats.norm.sf(np.abs(table["z"]))
    table["std_all"] = std
    # fixed markers have a standardized value that varies, so its se is defined too; a constant
    # one (a standardized exogenous variance) has se 0, as in lavaan
    table["se_std"] = np.where(se_std > 1e-10, se_std, 0.0)
    table["_index"] = index
    return table


def _diagnose(fitted: FittedModel, estimates: pd.DataFrame) -> list[str]:
    """Improper-solution checks, each a sentence a reader can act on (English, with Chinese attached)."""
    problems = []
    if not fitted.converged:
        problems.append(Message(
            f"The estimation did not converge (after {fitted.iterations} iterations): the estimates are not "
            "a maximum-likelihood solution and must not be interpreted.",
            f"估计未收敛（迭代 {fitted.iterations} 次后）：所得估计值不是极大似然解，不能据以解释。"))
    variances = estimates[(estimates["op"] == "~~") & (estimates["lhs"] == estimates["rhs"])]
    negative = variances[variances["est"] < 0]
    if len(negative):
        names = ", ".join(negative["lhs"])
        problems.append(Message(
            f"Negative (residual) variance for {names} (a Heywood case): the solution is improper; the model "
            "or the data of these variables need attention.",
            f"{names} 的（残差）方差为负（Heywood 现象）：解不合理，需检查这些变量的模型设定或数据。"))
    big = estimates[(estimates["op"].isin(["=~", "~"])) & (estimates["std_all"].abs() > 1)]
    for _, row in big.iterrows():
        loading = row["op"] == "=~"
        arrow = f"{row['lhs']} =~ {row['rhs']}" if loading else f"{row['rhs']} -> {row['lhs']}"
        problems.append(Message(
            f"Standardized {'loading' if loading else 'path'} {arrow} is {row['std_all']:.3f}, beyond ±1: the "
            "solution is improper (often collinear constructs); do not interpret it as an effect.",
            f"标准化{'载荷' if loading else '路径系数'} {arrow.replace(' -> ', ' → ')} 为 "
            f"{row['std_all']:.3f}".replace("-", "−") + "，超出 ±1：解不合理（常因构念高度共线），不能作为效应解释。",
            # the report prints no estimate of an improper model, not even in a warning
            Message(f"The standardized {'loading' if loading else 'path'} {arrow.replace(' -> ', ' → ')} lies beyond "
                    "±1: the solution is improper (often collinear constructs).",
                    f"标准化{'载荷' if loading else '路径系数'} {arrow.replace(' -> ', ' → ')} 超出 ±1：解不合理"
                    "（常因构念高度共线）。")))
    lat_cov = fitted.latent_covariance().to_numpy()
    if np.linalg.eigvalsh((lat_cov + lat_cov.T) / 2).min() <= 0:
        problems.append(Message(
            "The covariance matrix of the latent variables is not positive definite: some constructs are "
            "linear combinations of others (or have negative variance).",
            "潜变量协方差矩阵非正定：部分构念是其他构念的线性组合（或方差为负）。"))
    return problems
