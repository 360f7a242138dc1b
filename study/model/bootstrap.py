"""Nonparametric bootstrap of indirect effects, fast.

lavaan refits the whole model from scratch for each resample. Here each resample only needs its
covariance matrix; the model is refitted by Fisher scoring started from the full-sample solution,
which converges in a handful of iterations. Resamples are drawn in fixed blocks, each with its own
seed spawned from the study's seed, so the numbers do not depend on how many processes run them.
Resamples whose refit does not converge are counted and left out of the intervals, never silently;
resamples whose solution is improper (a negative variance) are counted and kept, as lavaan keeps them.

With incomplete answers (FIML), a resample's rows are regrouped by their pattern of answered items
and the model, intercepts included, is refitted by FIML Fisher scoring from the full-sample solution.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats
from threadpoolctl import threadpool_limits

from .effects import path_parameter_indices
from .estimate import PSI, THETA, FittedModel, Structure, fisher_scoring
from .fiml import FimlFit, fiml_scoring, missing_patterns

BLOCK = 100  # resamples per block: the unit of seeding and of parallel work


@dataclass(frozen=True)
class BootstrapInterval:
    path: tuple[str, ...]
    est: float
    ci_lower: float  # percentile interval
    ci_upper: float
    bc_lower: float  # bias-corrected percentile interval
    bc_upper: float
    boot_se: float
    resamples: int  # resamples that converged and entered the interval
    failed: int
    improper: int = 0  # of the converged resamples, those with a negative (residual) variance


def _run_block(structure: Structure, x: np.ndarray, theta: np.ndarray, intercepts: np.ndarray | None,
               chains_idx: list[list[int]], seed_seq: np.random.SeedSequence,
               size: int) -> tuple[np.ndarray, tuple[int, int]]:
    # Small matrices: BLAS threads only contend with the other worker, so use one per process.
    with threadpool_limits(1):
        return _resample(structure, x, theta, intercepts, chains_idx, seed_seq, size)


def _resample(structure, x, theta, intercepts, chains_idx, seed_seq, size):
    rng = np.random.default_rng(seed_seq)
    n = len(x)
    out = np.full((size, len(chains_idx)), np.nan)
    failed = improper = 0
    variances = _variance_parameters(structure)
    for r in range(size):
        sample = x[rng.integers(0, n, n)]
        # 1e-5 on the parameters is far below the Monte Carlo error of any interval
        if intercepts is None:
            s = np.cov(sample, rowvar=False, bias=True)
            est, converged, _ = fisher_scoring(structure, s, theta, tol=1e-9, step_tol=1e-5, max_iter=100)
        else:
            est, _, converged, _ = fiml_scoring(structure, missing_patterns(sample), theta, intercepts,
                                                tol=1e-9, step_tol=1e-5, max_iter=100)
        if not converged:
            failed += 1
            continue
        out[r] = [np.prod(est[idx]) for idx in chains_idx]
        improper += bool((est[variances] < 0).any())
    return out, (failed, improper)


def _variance_parameters(structure: Structure) -> np.ndarray:
    """Indices of the free (residual) variances: diagonal entries of Ψ and Θ."""
    loc = structure.locations
    on_diagonal = np.isin(loc[:, 0], [PSI, THETA]) & (loc[:, 1] == loc[:, 2])
    return np.unique(loc[on_diagonal, 3])


def bootstrap_indirect(fitted: FittedModel, data: np.ndarray, chains: list[tuple[str, ...]], *,
                       resamples: int = 2000, seed: int = 1, level: float = 0.95, workers: int | None = None,
                       progress: Callable[[int, int], None] | None = None,
                       fiml: FimlFit | None = None) -> list[BootstrapInterval]:
    """Percentile and bias-corrected bootstrap intervals of indirect effects.

    Parameters
    ----------
    fitted : FittedModel
        The full-sample fit.
    data : ndarray (n, p)
        The analysed responses, columns in the order of ``fitted.structure.observed``; NaN for
        no answer only with ``intercepts``.
    chains : list of tuples of construct codes
    resamples : int
        Number of bootstrap resamples (at least 2000 for a thesis, Preacher & Hayes 2008).
    seed : int
        The same seed gives the same intervals, whatever the number of workers.
    workers : int, optional
        Processes to use; default: all cores (at most 2 blocks in flight per core).
    progress : callable(done, total), optional
    fiml : FimlFit, optional
        The full-sample FIML fit whose ``fitted`` is ``fitted`` (:func:`study.model.fiml.fit_fiml`):
        resamples are then refitted by FIML from it.

    Returns
    -------
    list of BootstrapInterval

    Notes
    -----
    Percentile interval: the α/2 and 1 − α/2 quantiles of the resampled estimates. Bias-corrected:
    with z₀ = Φ⁻¹(share of resamples below the estimate), the quantiles Φ(2z₀ ± z_{1−α/2})
    (Efron & Tibshirani 1993).
    """
    chains_idx = [path_parameter_indices(fitted, c) for c in chains]
    blocks = [BLOCK] * (resamples // BLOCK) + ([resamples % BLOCK] if resamples % BLOCK else [])
    seeds = np.random.SeedSequence(seed).spawn(len(blocks))
    workers = workers or os.cpu_count() or 1
    results: list[tuple[np.ndarray, tuple[int, int]]] = [None] * len(blocks)  # type: ignore[list-item]
    done = 0
    intercepts = None if fiml is None else fiml.intercepts["est"].to_numpy()
    args = (fitted.structure, np.ascontiguousarray(data, dtype=float), fitted.theta, intercepts, chains_idx)
    if workers > 1 and len(blocks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run_block, *args, s, size) for s, size in zip(seeds, blocks)]
            for i, fut in enumerate(futures):
                results[i] = fut.result()
                done += blocks[i]
                if progress:
                    progress(done, resamples)
    else:
        for i, (s, size) in enumerate(zip(seeds, blocks)):
            results[i] = _run_block(*args, s, size)
            done += size
            if progress:
                progress(done, resamples)
    draws = np.vstack([r[0] for r in results]) if results else np.empty((0, len(chains)))
    failed = sum(r[1][0] for r in results)
    improper = sum(r[1][1] for r in results)
    draws = draws[~np.isnan(draws).any(axis=1)]

    alpha = 1 - level
    out = []
    for j, chain in enumerate(chains):
        est = float(np.prod(fitted.theta[chains_idx[j]]))
        col = draws[:, j]
        lo, hi = np.quantile(col, [alpha / 2, 1 - alpha / 2]) if len(col) else (np.nan, np.nan)
        share_below = np.mean(col < est) if len(col) else np.nan
        if 0 < share_below < 1:
            z0 = stats.norm.ppf(share_below)
            zc = stats.norm.ppf(1 - alpha / 2)
            bc_lo, bc_hi = np.quantile(col, stats.norm.cdf([2 * z0 - zc, 2 * z0 + zc]))
        else:
            bc_lo = bc_hi = np.nan
        out.append(BootstrapInterval(path=tuple(chain), est=est, ci_lower=float(lo), ci_upper=float(hi),
                                     bc_lower=float(bc_lo), bc_upper=float(bc_hi),
                                     boot_se=float(np.std(col, ddof=1)) if len(col) > 1 else np.nan,
                                     resamples=int(len(col)), failed=int(failed), improper=int(improper)))
    return out
