"""The PLS-PM algorithm on stacks of covariance matrices (one per sample, resample or fold).

Everything PLS estimates is a function of the indicators' covariance matrix S (Lohmöller 1989, ch. 2;
Dijkstra & Henseler 2015): with W the outer weights (scaled so that every composite has variance 1),

    C = Wᵀ S W                      composite correlations
    loadings / cross-loadings      (S W)ᵢₖ / √Sᵢᵢ          item-composite correlations
    paths of an endogenous j       β = C[P,P]⁻¹ C[P,j]       (P: its antecedents), R² = βᵀ C[P,j]

so a bootstrap resample needs only its own S. The functions here take S with a leading batch axis
(B, p, p) and run the iterations for all B matrices at once with numpy's stacked linear algebra,
each matrix stopping at its own convergence: the result for one matrix does not depend on the others
in the batch. One code path serves the single estimate (B = 1), the bootstrap, the jackknife,
permutations and cross-validation folds.

The iteration (Wold 1982; Lohmöller 1989; as R plspm ``get_weights`` and seminr ``simplePLS``):

1. start from unit weights; scale each composite Yₖ = Xwₖ to variance 1;
2. inner proxies Zₖ = Σⱼ eⱼₖ Yⱼ over the adjacent constructs j, with the inner weights eⱼₖ of the
   scheme: centroid sign(cⱼₖ), factorial cⱼₖ, path: the regression weights of k on its antecedents
   and cⱼₖ for the constructs k points to;
3. outer weights: mode A wₖ = cov(Xₖ, Zₖ); mode B wₖ = Sₖₖ⁻¹ cov(Xₖ, Zₖ);
4. rescale to unit composite variance; stop when no weight changed by more than ``tol``.

A composite whose items correlate negatively with it on balance is turned round (weights × −1), as
plspm does for its scores, so that its items load positively.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .specify import Stage

__all__ = ["moments", "run_stage", "StageFit", "augment", "rho_a", "structural", "total_effects", "htmt_batch"]


def moments(x: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means and covariance matrices (divisor: the weight total) of the rows of ``x``.

    Parameters
    ----------
    x : ndarray (n, p)
        The data, already centred at the full-sample means (for numerical accuracy only).
    weights : ndarray (B, n)
        Non-negative row weights: bootstrap counts, 0/1 for a subsample, 1 − eᵢ for a jackknife.

    Returns
    -------
    means : ndarray (B, p)
    cov : ndarray (B, p, p)
        Σᵢ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ / Σᵢ wᵢ, from the products xᵢxᵢᵀ in one matrix product.
    """
    n, p = x.shape
    w = weights / weights.sum(axis=1, keepdims=True)
    mean = w @ x
    iu = np.triu_indices(p)
    prods = (x[:, iu[0]] * x[:, iu[1]])  # (n, p(p+1)/2)
    second = w @ prods
    cov = np.empty((w.shape[0], p, p))
    cov[:, iu[0], iu[1]] = second
    cov[:, iu[1], iu[0]] = second
    cov -= mean[:, :, None] * mean[:, None, :]
    return mean, cov


def _normalize(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    var = np.einsum("bpk,bpk->bk", w, s @ w)
    return w / np.sqrt(var)[:, None, :]


def _inner_weights(c: np.ndarray, stage: Stage, scheme: str) -> np.ndarray:
    a = stage.adjacency
    both = a + a.T
    if scheme == "centroid":
        return np.sign(c) * both
    if scheme == "factorial":
        return c * both
    # path scheme: e[j, k] for a path k -> j (k points to j) is the correlation; for the antecedents
    # j of k it is their weight in the regression of k on all its antecedents.
    e = c * a.T
    for k in range(a.shape[0]):
        pred = np.flatnonzero(a[:, k])
        if len(pred):
            e[:, pred, k] = np.linalg.solve(c[:, pred[:, None], pred[None, :]], c[:, pred, k][..., None])[..., 0]
    return e


@dataclass(frozen=True)
class StageFit:
    """Outer weights of one stage for a batch of covariance matrices."""

    weights: np.ndarray  # (B, p_s, K): column entry x construct, zero off the block
    iterations: np.ndarray  # (B,) int
    converged: np.ndarray  # (B,) bool
    s: np.ndarray  # (B, p_s, p_s) the stage's covariance matrix of its column entries


def run_stage(cov: np.ndarray, stage: Stage, scheme: str, tol: float, max_iter: int,
              scaled: bool) -> StageFit:
    """Outer weights of ``stage`` for every covariance matrix of the batch.

    ``tol`` applies to the weights of the standardized items (for ``scaled=False`` the weights of the
    centred items are multiplied by the item SDs before comparing), so convergence means the same on
    any answer scale.
    """
    cols = stage.columns
    s = cov[:, cols[:, None], cols[None, :]]
    sd = np.sqrt(np.einsum("bii->bi", s))
    mask = stage.mask
    blocks_b = [np.flatnonzero(stage.block == k) for k in np.flatnonzero(stage.mode_b)]
    bsz = s.shape[0]
    w = _normalize(s, np.broadcast_to(mask, (bsz,) + mask.shape).copy())
    iterations = np.zeros(bsz, dtype=int)
    converged = np.zeros(bsz, dtype=bool)
    active = np.arange(bsz)
    for it in range(1, max_iter + 1):
        sa, wa = s[active], w[active]
        sw = sa @ wa
        c = np.swapaxes(wa, 1, 2) @ sw
        e = _inner_weights(c, stage, scheme)
        g = sw @ e  # cov(X, Z)
        new = g * mask
        for idx in blocks_b:
            k = stage.block[idx[0]]
            new[:, idx, k] = np.linalg.solve(sa[:, idx[:, None], idx[None, :]], g[:, idx, k][..., None])[..., 0]
        new = _normalize(sa, new)
        diff = new - wa if scaled else (new - wa) * sd[active][..., None]
        change = np.abs(diff).max(axis=(1, 2))
        w[active] = new
        iterations[active] = it
        done = change < tol
        converged[active[done]] = True
        active = active[~done]
        if not len(active):
            break
    # orientation: most items of a block should correlate positively with their composite
    sw = s @ w
    signs = np.einsum("bpk,pk->bk", np.sign(sw), mask)
    flip = np.where(signs < 0, -1.0, 1.0)
    return StageFit(weights=w * flip[:, None, :], iterations=iterations, converged=converged, s=s)


def augment(cov: np.ndarray, stage1: Stage, fit1: StageFit, dims: tuple[int, ...]) -> np.ndarray:
    """Covariance matrix of the items followed by the stage-1 scores of ``dims`` (two-stage HOCs).

    With wₖ the stage-1 weights of dimension k mapped onto the items, cov(x, Yₖ) = S wₖ and
    cov(Yₖ, Yₗ) = wₖᵀ S wₗ.
    """
    bsz, p, _ = cov.shape
    wd = np.zeros((bsz, p, len(dims)))
    for j, k in enumerate(dims):
        rows = np.flatnonzero(stage1.block == k)
        wd[:, stage1.columns[rows], j] = fit1.weights[:, rows, k]
    sw = cov @ wd
    out = np.empty((bsz, p + len(dims), p + len(dims)))
    out[:, :p, :p] = cov
    out[:, :p, p:] = sw
    out[:, p:, :p] = np.swapaxes(sw, 1, 2)
    out[:, p:, p:] = np.swapaxes(wd, 1, 2) @ sw
    return out


def rho_a(fit: StageFit, stage: Stage) -> np.ndarray:
    """Dijkstra–Henseler rho_A of every construct, (B, K); 1 for formative and single-item constructs.

    With ŵ the weights of the standardized items (scaled so that ŵᵀRŵ = 1, R the item correlations):
    ρ_A = (ŵᵀŵ)² · ŵᵀ(R − diag R)ŵ / ŵᵀ(ŵŵᵀ − diag(ŵŵᵀ))ŵ  (Dijkstra & Henseler 2015, eq. 13).
    """
    s = fit.s
    sd = np.sqrt(np.einsum("bii->bi", s))
    r = s / sd[:, :, None] / sd[:, None, :]
    out = np.ones((s.shape[0], len(stage.names)))
    for k in range(len(stage.names)):
        idx = np.flatnonzero(stage.block == k)
        if stage.mode_b[k] or len(idx) < 2:
            continue
        w = fit.weights[:, idx, k] * sd[:, idx]
        rk = r[:, idx[:, None], idx[None, :]]
        wtw = np.einsum("bi,bi->b", w, w)
        num = np.einsum("bi,bij,bj->b", w, rk, w) - np.einsum("bi,bi->b", w * w, np.ones_like(w))
        den = wtw ** 2 - np.einsum("bi->b", w ** 4)
        out[:, k] = wtw ** 2 * num / den
    return out


def structural(c: np.ndarray, adjacency: np.ndarray, n: float | np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Path coefficients, R² and adjusted R² from construct correlations.

    Parameters
    ----------
    c : ndarray (B, K, K)
    adjacency : ndarray (K, K), ``[i, j] = 1`` for a path i -> j
    n : sample size (scalar or (B,)) for the adjusted R² 1 − (1 − R²)(n − 1)/(n − k − 1)

    Returns
    -------
    beta : (B, K, K) with ``beta[:, i, j]`` the path i -> j
    r2, r2_adj : (B, K), 0 for exogenous constructs
    """
    bsz, kk, _ = c.shape
    beta = np.zeros_like(c)
    r2 = np.zeros((bsz, kk))
    r2_adj = np.zeros((bsz, kk))
    n = np.asarray(n, dtype=float)
    for j in range(kk):
        pred = np.flatnonzero(adjacency[:, j])
        if not len(pred):
            continue
        rhs = c[:, pred, j]
        b = np.linalg.solve(c[:, pred[:, None], pred[None, :]], rhs[..., None])[..., 0]
        beta[:, pred, j] = b
        r2[:, j] = np.einsum("bi,bi->b", b, rhs)
        r2_adj[:, j] = 1 - (1 - r2[:, j]) * (n - 1) / (n - len(pred) - 1)
    return beta, r2, r2_adj


def total_effects(beta: np.ndarray) -> np.ndarray:
    """Total effects (B, K, K), ``[:, i, j]`` of i on j: (I − B)⁻¹ − I for a recursive model."""
    kk = beta.shape[-1]
    eye = np.eye(kk)
    return np.linalg.inv(eye - beta) - eye


def htmt_batch(cov: np.ndarray, blocks: list[np.ndarray]) -> np.ndarray:
    """HTMT of every pair of blocks for a stack of item covariance matrices, (B, K, K).

    HTMTᵢⱼ = mean |r| between the items of i and j / √(mean |r| among i's items · among j's items),
    with absolute correlations (as SmartPLS 4 and seminr); a single-item block has monotrait mean 1.
    """
    sd = np.sqrt(np.einsum("bii->bi", cov))
    r = np.abs(cov / sd[:, :, None] / sd[:, None, :])
    k = len(blocks)
    m = np.zeros((cov.shape[1], k))
    for j, idx in enumerate(blocks):
        m[idx, j] = 1.0
    sums = m.T @ r @ m
    sizes = np.array([len(b) for b in blocks], dtype=float)
    hetero = sums / np.outer(sizes, sizes)
    diag = np.einsum("bkk->bk", sums)
    with np.errstate(invalid="ignore", divide="ignore"):
        mono = np.where(sizes > 1, (diag - sizes) / (sizes * (sizes - 1)), 1.0)
        return hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])
