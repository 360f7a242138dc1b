"""Fisher scoring of many covariance matrices at once (bootstrap resamples, Monte Carlo replications).

One resample's model is small (here 18 items and ~40 parameters): a single Fisher step is well under a
millisecond of arithmetic, and fitted one at a time most of the time goes to Python and numpy call
overhead. Here B fits advance together on stacked arrays — Σ, its Cholesky factor and inverse, the
gradient and the information of every fit in a handful of batched numpy calls — each fit with its own
step halving and its own stopping rule, exactly the algorithm of
:func:`study.model.estimate.fisher_scoring`.

The information needs no derivative array. Every parameter location changes Σ by
c·(u vᵀ + v uᵀ), where u and v are columns of

    G = [I_p | M | Kᵀ],    M = Λ(I − B)⁻¹,  K = (I − B)⁻¹ Ψ Mᵀ

(Λ[i,j]: u = e_i, v = K[j]; B[i,j]: u = M[:,i], v = K[j]; Ψ[i,j]: u = M[:,i], v = M[:,j];
Θ[i,j]: u = e_i, v = e_j). With P = Σ⁻¹, H = Gᵀ P G and H_W = Gᵀ (P − P S P) G, every term of
:func:`study.model.estimate._group_terms` is an element of H or H_W:

    ∂F/∂θ_k = 2c_k H_W[a_k, b_k]
    tr(P dΣ_k P dΣ_l) = 2c_k c_l (H[a_k, a_l] H[b_k, b_l] + H[b_k, a_l] H[a_k, b_l])

(a_k, b_k: the columns of G that are u_k and v_k), so a step costs two small batched products and
four gathers. Each fit's arithmetic does not depend on which other fits share its batch, so results do
not depend on the batch size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..threads import one_blas_thread
from .estimate import BETA, LAMBDA, PSI, THETA, Structure


# A bootstrap refit stops when its last step changed no parameter by more than this. Fisher scoring converges
# linearly here (each step about a fifth of the one before), so a refit is then within about 3e-5 of its
# optimum (6e-5 at worst in 2000 resamples of the default model): a hundredth of the Monte Carlo error of a
# 2000-resample interval limit or bootstrap SE. 1e-5 took a fifth more steps for no visible difference.
REFIT_STEP_TOL = 1e-4
CHUNK_ELEMENTS = 250_000  # elements of the stacked information matrices of one chunk of fits (2 MB)


@dataclass(frozen=True)
class BatchKernel:
    """The fixed parts of a model for batched evaluation: where each parameter goes, and the gathers."""

    structure: Structure

    @cached_property
    def _layout(self):
        st = self.structure
        p, m = len(st.observed), len(st.latent)
        loc = st.locations
        one_each = len(np.unique(loc[:, 3])) == len(loc)
        if one_each:  # locations in parameter order: the information needs no reordering
            loc = loc[np.argsort(loc[:, 3])]
        which, rows, cols, idx = loc[:, 0], loc[:, 1], loc[:, 2], loc[:, 3]
        # columns of G = [I_p | M | Kᵀ] that are u and v of each location
        a = np.select([which == LAMBDA, which == BETA, which == PSI], [rows, p + rows, p + rows], rows)
        b = np.select([which == LAMBDA, which == BETA, which == PSI], [p + m + cols, p + m + cols, p + cols], cols)
        symmetric = np.isin(which, [PSI, THETA])
        scale = np.where(~symmetric | (rows != cols), 1.0, 0.5)
        r = p + 2 * m
        # H is symmetric, so H[b_k, a_l] = H[a_l, b_k]: the second product is X ∘ Xᵀ with X = H[a, b]
        # "ba" gathers Xᵀ directly: X ∘ Xᵀ then multiplies two contiguous arrays, not X by its strided
        # transpose (the same products, so the same numbers, in a fifth of the time)
        flat = {"aa": (a[:, None] * r + a[None, :]).ravel(), "bb": (b[:, None] * r + b[None, :]).ravel(),
                "ab": (a[:, None] * r + b[None, :]).ravel(), "ba": (a[None, :] * r + b[:, None]).ravel(),
                "diag": a * r + b}
        to_param = None
        if not one_each:  # equality constraints: a parameter's locations are summed
            to_param = np.zeros((len(idx), st.n_params))
            to_param[np.arange(len(idx)), idx] = 1.0
        fills = []
        for w in (BETA, LAMBDA, PSI, THETA):
            sel = which == w
            if sel.any():
                fills.append((w, rows[sel], cols[sel], idx[sel]))
        return dict(p=p, m=m, r=r, a=a, b=b, flat=flat, scale=scale, outer=2 * np.outer(scale, scale),
                    to_param=to_param, fills=fills)

    @cached_property
    def chunk(self) -> int:
        """Fits advanced together: their stacked information matrices (the largest arrays of a step) stay
        near 2 MB, in the processor's cache. On this machine 50 fits of the default model (71 parameters)
        take 20 % less time than 200, and 150 of the bank model (41) no more than 100; results do not
        depend on it."""
        return int(np.clip(CHUNK_ELEMENTS // self.structure.n_params ** 2, 16, 200))

    def matrices(self, theta: np.ndarray) -> list[np.ndarray]:
        """B, Λ, Ψ, Θ of each row of ``theta`` (B, q), stacked: shapes (B, m, m), (B, p, m), …"""
        n = len(theta)
        mats = [np.broadcast_to(f, (n, *f.shape)).copy() for f in self.structure.fixed]
        for w, rows, cols, idx in self._layout["fills"]:
            mats[w][:, rows, cols] = theta[:, idx]
            if w in (PSI, THETA):
                mats[w][:, cols, rows] = theta[:, idx]
        return mats

    def implied(self, theta: np.ndarray):
        """Σ(θ), M = Λ(I − B)⁻¹ and K = (I − B)⁻¹ Ψ Mᵀ of each row of ``theta``."""
        beta, lam, psi, th = self.matrices(theta)
        m = self._layout["m"]
        c = np.linalg.inv(np.eye(m) - beta)
        mm = lam @ c
        k = c @ psi @ mm.transpose(0, 2, 1)
        sigma = lam @ k + th  # Λ C Ψ Cᵀ Λᵀ + Θ
        return sigma, mm, k

    def evaluate_gradient(self, theta: np.ndarray, s: np.ndarray, logdet_s: np.ndarray):
        """F_ML and its gradient for each row of ``theta``, without the information (a third of the
        arithmetic of :meth:`evaluate`). f is +inf (and the gradient 0) where Σ is not positive definite.

        Only the q elements u_kᵀ W v_k of H_W = Gᵀ W G are needed (W = P − P S P): each is the sum over
        rows of G[:, a_k] ∘ (W G)[:, b_k], so H_W itself is never formed."""
        lay = self._layout
        n, p = len(theta), lay["p"]
        sigma, mm, k = self.implied(theta)
        f = np.full(n, np.inf)
        gradient = np.zeros((n, self.structure.n_params))
        chol, inv, ok = _factor(sigma)
        if not ok.any():
            return f, gradient
        if not ok.all():
            sigma, chol, inv, s, logdet_s, mm, k = sigma[ok], chol[ok], inv[ok], s[ok], logdet_s[ok], mm[ok], k[ok]
        logdet = 2 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        f[ok] = logdet + np.einsum("bij,bij->b", inv, s) - logdet_s - p
        w = inv - inv @ s @ inv
        g = np.concatenate([np.broadcast_to(np.eye(p), sigma.shape), mm, k.transpose(0, 2, 1)], axis=2)
        grad = 2 * lay["scale"] * np.einsum("bik,bik->bk", np.take(g, lay["a"], axis=2),
                                            np.take(w @ g, lay["b"], axis=2))
        if lay["to_param"] is not None:
            grad = grad @ lay["to_param"]
        gradient[ok] = grad
        return f, gradient

    def evaluate(self, theta: np.ndarray, s: np.ndarray, logdet_s: np.ndarray):
        """F_ML, its gradient and (twice) the expected information for each row of ``theta`` (B, q) with
        the sample covariance matrices ``s`` (B, p, p). Returns (f, gradient, information); f is +inf (and
        the other two are left 0) where Σ is not positive definite."""
        lay = self._layout
        n, p = len(theta), lay["p"]
        sigma, mm, k = self.implied(theta)
        f = np.full(n, np.inf)
        gradient = np.zeros((n, self.structure.n_params))
        information = np.zeros((n, self.structure.n_params, self.structure.n_params))
        chol, inv, ok = _factor(sigma)
        if not ok.any():
            return f, gradient, information
        if not ok.all():
            sigma, chol, inv, s, logdet_s, mm, k = sigma[ok], chol[ok], inv[ok], s[ok], logdet_s[ok], mm[ok], k[ok]
        logdet = 2 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        f[ok] = logdet + np.einsum("bij,bij->b", inv, s) - logdet_s - p
        eye = np.broadcast_to(np.eye(p), sigma.shape)
        g = np.concatenate([eye, mm, k.transpose(0, 2, 1)], axis=2)  # (B, p, r)
        pg = inv @ g
        h = g.transpose(0, 2, 1) @ pg  # Gᵀ P G
        hw = h - pg.transpose(0, 2, 1) @ s @ pg  # Gᵀ (P − P S P) G
        hf, hwf = h.reshape(len(h), -1), hw.reshape(len(h), -1)
        flat, q_loc = lay["flat"], len(lay["scale"])
        # np.take gathers along an axis three times faster than fancy indexing (the same values)
        info = np.take(hf, flat["aa"], axis=1)
        info *= np.take(hf, flat["bb"], axis=1)
        info = info.reshape(-1, q_loc, q_loc)
        x = np.take(hf, flat["ab"], axis=1)
        x *= np.take(hf, flat["ba"], axis=1)  # X ∘ Xᵀ
        info += x.reshape(-1, q_loc, q_loc)
        info *= lay["outer"]
        grad = 2 * lay["scale"] * np.take(hwf, flat["diag"], axis=1)
        if lay["to_param"] is not None:
            t = lay["to_param"]
            grad, info = grad @ t, t.T @ info @ t
        if ok.all():
            return f, grad, info
        gradient[ok], information[ok] = grad, info
        return f, gradient, information


GATHER_BYTES = 256 * 2**20  # the resampled rows gathered at a time: a few hundred resamples of a survey,
#                             one at a time for a million respondents (240 MB each for 30 items)


def resample_covariances(centred: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Covariance matrices (divisor n) of resamples, stacked: ``rows`` (B, n) indexes the rows of the data
    ``centred`` (n, p), centred once so that the resamples' covariances lose no digits to large means. The
    resamples' rows are gathered a group at a time (at most :data:`GATHER_BYTES`); each covariance is its
    own matrix product, so the groups do not change it."""
    per_group = max(1, GATHER_BYTES // max(1, centred.nbytes))
    if len(rows) > per_group:
        return np.concatenate([resample_covariances(centred, rows[i:i + per_group])
                               for i in range(0, len(rows), per_group)])
    sample = centred[rows]  # (B, n, p)
    sample -= sample.mean(axis=1, keepdims=True)
    return sample.transpose(0, 2, 1) @ sample / rows.shape[1]


def _cholesky(sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cholesky factors of a stack of matrices, and which of them are positive definite (the others
    get an identity factor)."""
    try:
        return np.linalg.cholesky(sigma), np.ones(len(sigma), dtype=bool)
    except np.linalg.LinAlgError:
        pass
    # rare (a step-halving candidate far from the optimum): find the failures one at a time
    chol = np.broadcast_to(np.eye(sigma.shape[1]), sigma.shape).copy()
    ok = np.zeros(len(sigma), dtype=bool)
    for i, one in enumerate(sigma):
        try:
            chol[i] = np.linalg.cholesky(one)
            ok[i] = True
        except np.linalg.LinAlgError:
            pass
    return chol, ok


def _factor(sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cholesky factors and inverses of a stack of matrices, and which of them are positive definite. A
    matrix with a Cholesky factor but no numerical inverse (eigenvalues 1e-14 beside 1e8, as a resample with
    two nearly identical items can give) counts as not positive definite: its fit cannot go there."""
    chol, ok = _cholesky(sigma)
    if ok.all():
        try:
            return chol, np.linalg.inv(sigma), ok
        except np.linalg.LinAlgError:
            pass
    inv = np.zeros_like(sigma)
    for i in np.flatnonzero(ok):
        try:
            inv[i] = np.linalg.inv(sigma[i])
        except np.linalg.LinAlgError:
            ok[i] = False
    return chol, inv, ok


def _solve(information: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """I⁻¹ ∇F of each fit by solving (a least-squares step where an information matrix is singular)."""
    try:
        return np.linalg.solve(information, gradient[..., None])[..., 0]
    except np.linalg.LinAlgError:
        pass
    out = np.empty_like(gradient)
    for i, (a, g) in enumerate(zip(information, gradient)):
        try:
            out[i] = np.linalg.solve(a, g)
        except np.linalg.LinAlgError:
            out[i] = np.linalg.lstsq(a, g, rcond=None)[0]
    return out


def _inverse(information: np.ndarray) -> np.ndarray:
    """Inverses of a stack of information matrices (a pseudo-inverse where one is singular)."""
    try:
        return np.linalg.inv(information)
    except np.linalg.LinAlgError:
        pass
    out = np.empty_like(information)
    for i, a in enumerate(information):
        try:
            out[i] = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            out[i] = np.linalg.pinv(a)
    return out


def _steps(inverse: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """I⁻¹ ∇F of each fit."""
    return (inverse @ gradient[..., None])[..., 0]


def _evaluate(kernel: BatchKernel, theta, s, logdet_s, renew):
    """F and its gradient at each row of ``theta``, and the information of the rows in ``renew`` (in their
    order; None if no row is renewed; zeros where Σ is not positive definite)."""
    if renew.all():
        return kernel.evaluate(theta, s, logdet_s)
    if not renew.any():
        return (*kernel.evaluate_gradient(theta, s, logdet_s), None)
    f, gradient = np.empty(len(theta)), np.empty_like(theta)
    f[renew], gradient[renew], information = kernel.evaluate(theta[renew], s[renew], logdet_s[renew])
    f[~renew], gradient[~renew] = kernel.evaluate_gradient(theta[~renew], s[~renew], logdet_s[~renew])
    return f, gradient, information


SLOW = 0.5  # a step longer than this share of the previous one: the information is renewed


@one_blas_thread
def fisher_scoring_batch(structure: Structure | BatchKernel, s: np.ndarray, theta: np.ndarray, *,
                         tol: float = 1e-9, step_tol: float = 0.0,
                         max_iter: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimise F_ML for each of B covariance matrices by Fisher scoring with step halving, renewing
    the information only where it pays.

    Parameters
    ----------
    structure : Structure or BatchKernel
        The model (one for all fits).
    s : ndarray (B, p, p)
        Sample covariance matrices (divisor n), variables in the order of ``structure.observed``.
    theta : ndarray (q,) or (B, q)
        Starting values (e.g. the full-sample estimate for bootstrap resamples).
    tol, step_tol, max_iter
        As :func:`study.model.estimate.fisher_scoring`: a fit has converged when its largest gradient
        element is below ``tol`` or its last step changed no parameter by more than ``step_tol``.

    Returns
    -------
    theta : ndarray (B, q)
    converged : ndarray (B,) of bool
    iterations : ndarray (B,) of int

    Notes
    -----
    Each fit takes the steps θ ← θ − I⁻¹∇F(θ) of :func:`~study.model.estimate.fisher_scoring`,
    halved (up to 30 times) until F does not rise, but I, the expected information, is not recomputed
    at every step: it depends on Σ(θ) only, changes little once a fit is near its optimum, and costs
    two thirds of a step's arithmetic (the gathers and the inverse). A fit uses the information of
    its start (computed once when all fits share their start, as the resamples of a bootstrap do), the
    information of its first iterate, and a renewed one after any step that had to be halved or that
    did not shrink to half the step before — so a fit that converges slowly gets Fisher scoring's
    steps. The optimum is the same (it is where ∇F = 0; I only sets the path), within the stopping
    rule: a fit stops when its step is below ``step_tol``. A step with a just-renewed information is
    solved for, as Fisher scoring does; a fit inverts an information once, when a later step first
    reuses it. In the bootstrap of the default study this takes 0.1 steps more per resample than
    renewing I at every step and half the time; on hard fits (40 respondents, 30 steps and more) it
    takes about as long.

    The fits advance in chunks of :attr:`BatchKernel.chunk` (sized so that a chunk's arrays stay in the
    processor's cache). Fits leave their chunk when they stop, and a fit's arithmetic does not depend on
    the other fits in its chunk, so results do not depend on the batch or chunk size.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from study.model.estimate import fit_model
    >>> data = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> fit = fit_model("QUAL =~ qual1 + qual2 + qual3\\nLOY =~ loy1 + loy2 + loy3\\nLOY ~ QUAL", data)
    >>> est, converged, _ = fisher_scoring_batch(fit.structure, fit.sample_cov[None], fit.theta)
    >>> bool(converged[0]), bool(np.allclose(est[0], fit.theta, atol=1e-6))
    (True, True)
    """
    kernel = structure if isinstance(structure, BatchKernel) else BatchKernel(structure)
    s = np.asarray(s, dtype=float)
    start = np.asarray(theta, dtype=float)
    q = kernel.structure.n_params
    if start.ndim == 2 and len(start) != len(s):  # one row for all fits: each fit gets it as its own start
        start = np.broadcast_to(start, (len(s), q))
    # one start for all: Σ(θ), and so the information, is the same for every fit there. It does not
    # depend on S, so it is computed with S = Σ(θ) (a fit's own S may be singular).
    shared = None
    if start.ndim == 1 and len(s):
        sigma = kernel.implied(start[None])[0]  # (1, p, p)
        shared = _inverse(kernel.evaluate(start[None], sigma, np.linalg.slogdet(sigma)[1])[2])
    size = kernel.chunk
    parts = [_fisher_scoring_chunk(kernel, s[i:i + size], start if start.ndim == 1 else start[i:i + size], shared,
                                   tol=tol, step_tol=step_tol, max_iter=max_iter) for i in range(0, len(s), size)]
    if not parts:
        return np.empty((0, q)), np.zeros(0, dtype=bool), np.zeros(0, dtype=int)
    return tuple(np.concatenate(column) for column in zip(*parts)) if len(parts) > 1 else parts[0]


def _fisher_scoring_chunk(kernel: BatchKernel, s: np.ndarray, start: np.ndarray, shared: np.ndarray | None, *,
                          tol: float, step_tol: float, max_iter: int):
    """:func:`fisher_scoring_batch` of one chunk of fits (``shared``: the inverse information at a start
    ``start`` (q,) common to all fits)."""
    n, q = len(s), kernel.structure.n_params
    theta = np.array(np.broadcast_to(start, (n, q)), dtype=float)
    logdet_s = np.linalg.slogdet(s)[1]
    converged = np.zeros(n, dtype=bool)
    iterations = np.zeros(n, dtype=int)
    # ``held``: each fit's last information, or its inverse where ``inverted``. A fit steps by solving with
    # an information just computed, else with the inverse of its last one (inverted once, when first needed).
    if start.ndim == 1:
        f, gradient = kernel.evaluate_gradient(theta, s, logdet_s)
        held = np.repeat(shared, n, axis=0)
        inverted = np.ones(n, dtype=bool)
        step = _steps(held, gradient)
    else:
        f, gradient, held = kernel.evaluate(theta, s, logdet_s)
        inverted = np.zeros(n, dtype=bool)
        step = np.zeros_like(theta)
        finite = np.isfinite(f)
        step[finite] = _solve(held[finite], gradient[finite])
    renew = np.ones(n, dtype=bool)  # every fit renews its information at its first iterate
    # a fit stops (converged) once its gradient is small; a start with Σ not positive definite (or a
    # singular S) fails at once
    small = np.max(np.abs(gradient), axis=1) < tol
    active = np.flatnonzero(np.isfinite(f) & ~small)
    converged[small & np.isfinite(f)] = True
    iterations[np.isfinite(f)] = 1
    for iteration in range(2, max_iter + 2):
        if not len(active):
            break
        f_old = f[active]
        pending = np.arange(len(active))  # positions in ``active`` still looking for a step
        accepted = np.zeros(len(active), dtype=bool)
        halved = np.zeros(len(active), dtype=bool)
        renewed = np.zeros(len(active), dtype=bool)  # the accepted point's information was computed
        for _ in range(30):
            rows = active[pending]
            candidate = theta[rows] - step[rows]
            f_new, g_new, information = _evaluate(kernel, candidate, s[rows], logdet_s[rows], renew[rows])
            good = f_new <= f_old[pending] + 1e-12
            took = rows[good]
            theta[took], f[took], gradient[took] = candidate[good], f_new[good], g_new[good]
            if information is not None:
                kept = good[renew[rows]]
                fresh = rows[renew[rows]][kept]
                held[fresh], inverted[fresh] = information[kept], False
            accepted[pending[good]] = True
            renewed[pending[good]] = renew[rows][good]
            pending = pending[~good]
            if not len(pending):
                break
            halved[pending] = True
            step[active[pending]] /= 2
        # fits that found no descent step in 30 halvings stop, not converged
        last = np.max(np.abs(step[active]), axis=1)
        small_step = last < step_tol
        small_gradient = np.max(np.abs(gradient[active]), axis=1) < tol
        done = accepted & (small_step | small_gradient)
        iterations[active[accepted]] = np.where(small_step[accepted] & ~small_gradient[accepted],
                                                iteration - 1, iteration)
        converged[active[done]] = True
        keep = accepted & ~done
        going_on = active[keep]
        solved = going_on[renewed[keep]]
        if len(solved):
            step[solved] = _solve(held[solved], gradient[solved])
        reused = going_on[~renewed[keep]]
        invert = reused[~inverted[reused]]
        if len(invert):
            held[invert], inverted[invert] = _inverse(held[invert]), True
        if len(reused):
            step[reused] = _steps(held[reused], gradient[reused])
        renew[going_on] = halved[keep] | (np.max(np.abs(step[going_on]), axis=1) > SLOW * last[keep])
        active = going_on
    return theta, converged, iterations
