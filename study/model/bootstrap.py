"""Nonparametric bootstrap of indirect effects, fast.

lavaan refits the whole model from scratch for each resample. Here each resample only needs its
covariance matrix; the model is refitted by Fisher scoring started from the full-sample solution,
which converges in about a dozen iterations, and the resamples are refitted together on stacked
arrays (:mod:`study.model.batch`): one batched Cholesky, inverse and solve per step for hundreds of
resamples instead of a dozen numpy calls per resample. Resamples are drawn in fixed blocks, each with
its own seed spawned from the study's seed; a resample's draws and its refit do not depend on which
other resamples share its batch, so the numbers do not depend on the batch size or on how many
processes run them. Resamples whose refit does not converge are counted and left out of the
intervals, never silently; resamples whose solution is improper (a negative variance) are counted and
kept, as lavaan keeps them.

With incomplete answers (FIML), a resample's rows are regrouped by their pattern of answered items
and the model, intercepts included, is refitted by FIML Fisher scoring from the full-sample solution,
one resample at a time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats

from ..background import running, stop_pool, worker_pool
from ..memory import in_worker_process, reuse_freed_memory
from ..threads import blas_threads, one_blas_thread
from .batch import REFIT_STEP_TOL, BatchKernel, fisher_scoring_batch, resample_covariances
from .effects import path_parameter_indices
from .estimate import PSI, THETA, FittedModel, Structure
from .fiml import FimlFit, fiml_scoring, missing_patterns

BLOCK = 100  # resamples per block: the unit of seeding
BATCH = 200  # resamples whose covariance matrices are computed together (the refits then go in chunks
#              sized to the model, see BatchKernel.chunk)
TASK_ROWS_BYTES = 256 * 2**20  # a worker task's resampled row numbers, at most (many respondents)


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


def _run_blocks(structure: Structure, x: np.ndarray, theta: np.ndarray, intercepts: np.ndarray | None,
                chains_idx: list[list[int]], blocks: list[tuple[np.random.SeedSequence, int]],
                batch: int) -> tuple[np.ndarray, tuple[int, int]]:
    """The products along each chain for the resamples of ``blocks`` (NaN where the refit failed),
    and the counts of failed and improper resamples."""
    if in_worker_process():
        reuse_freed_memory()  # the batches' large temporaries: see study/memory.py
    # Small matrices: BLAS threads only contend with the other worker, so use one per process.
    with blas_threads(1):
        draws = np.concatenate([np.random.default_rng(seq).integers(0, len(x), (size, len(x)))
                                for seq, size in blocks]) if blocks else np.empty((0, len(x)), dtype=int)
        if intercepts is None:
            return _refit_ml(structure, x, theta, chains_idx, draws, batch)
        return _refit_fiml(structure, x, theta, intercepts, chains_idx, draws)


def _refit_ml(structure, x, theta, chains_idx, draws, batch):
    kernel = BatchKernel(structure)
    variances = _variance_parameters(structure)
    out = np.full((len(draws), len(chains_idx)), np.nan)
    failed = improper = 0
    xc = x - x.mean(axis=0)
    for start in range(0, len(draws), batch):
        s = resample_covariances(xc, draws[start:start + batch])
        est, converged, _ = fisher_scoring_batch(kernel, s, theta, tol=1e-9, step_tol=REFIT_STEP_TOL, max_iter=100)
        rows = start + np.flatnonzero(converged)
        est = est[converged]
        for j, idx in enumerate(chains_idx):
            out[rows, j] = np.prod(est[:, idx], axis=1)
        failed += int((~converged).sum())
        improper += int((est[:, variances] < 0).any(axis=1).sum())
    return out, (failed, improper)


def _refit_fiml(structure, x, theta, intercepts, chains_idx, draws):
    out = np.full((len(draws), len(chains_idx)), np.nan)
    failed = improper = 0
    variances = _variance_parameters(structure)
    for r, rows in enumerate(draws):
        est, _, converged, _ = fiml_scoring(structure, missing_patterns(x[rows]), theta, intercepts,
                                            tol=1e-9, step_tol=REFIT_STEP_TOL, max_iter=100)
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


@one_blas_thread
def bootstrap_indirect(fitted: FittedModel, data: np.ndarray, chains: list[tuple[str, ...]], *,
                       resamples: int = 2000, seed: int = 1, level: float = 0.95, workers: int | None = None,
                       progress: Callable[[int, int], None] | None = None,
                       fiml: FimlFit | None = None, batch: int = BATCH) -> list[BootstrapInterval]:
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
        Processes to use; default: all cores.
    progress : callable(done, total), optional
    fiml : FimlFit, optional
        The full-sample FIML fit whose ``fitted`` is ``fitted`` (:func:`study.model.fiml.fit_fiml`):
        resamples are then refitted by FIML from it.
    batch : int
        Resamples whose covariance matrices are computed together (ML only; their refits go in chunks
        sized to the model). The results do not depend on it.

    Returns
    -------
    list of BootstrapInterval

    Notes
    -----
    Intervals as :func:`bootstrap_interval`: percentile and bias-corrected, equal to lavaan's
    ``parameterEstimates(boot.ci.type = "perc")`` and ``"bca.simple"`` for the same draws.

    :func:`start_bootstrap` does the same in two halves, so that other work can run while the worker
    processes refit the resamples.
    """
    return start_bootstrap(fitted, data, chains, resamples=resamples, seed=seed, level=level, workers=workers,
                           fiml=fiml, batch=batch).result(progress)


class BootstrapRun:
    """A bootstrap handed to worker processes (or to be run here): :meth:`result` collects it."""

    def __init__(self, fitted, chains, chains_idx, tasks, args, resamples, level, batch, pool):
        self._fitted, self._chains, self._chains_idx = fitted, chains, chains_idx
        self._tasks, self._args, self._resamples, self._level, self._batch = tasks, args, resamples, level, batch
        self._pool = pool
        self._futures = [pool.submit(_run_blocks, *args, task, batch) for task in tasks] if pool else None

    @one_blas_thread
    def result(self, progress: Callable[[int, int], None] | None = None) -> list[BootstrapInterval]:
        """The intervals (waits for the workers; calls ``progress(done, total)`` as blocks arrive)."""
        return self.intervals(self.draws(progress))

    def intervals(self, found: "BootstrapDraws") -> list[BootstrapInterval]:
        """The intervals of the chains from their draws (:meth:`draws`)."""
        return [bootstrap_interval(chain, est, found.draws[:, j], level=self._level, failed=found.failed,
                                   improper=found.improper)
                for j, (chain, est) in enumerate(zip(found.chains, found.estimates))]

    @one_blas_thread
    def draws(self, progress: Callable[[int, int], None] | None = None) -> "BootstrapDraws":
        """The resampled products of the chains (waits for the workers, as :meth:`result`)."""
        results: list[tuple[np.ndarray, tuple[int, int]]] = []
        done, resamples = 0, self._resamples
        with running(self._pool):  # a worker's error, or interrupted: the workers are stopped, not waited for
            for i, task in enumerate(self._tasks):
                if self._futures is not None:
                    results.append(self._futures[i].result())
                else:
                    results.append(_run_blocks(*self._args, task, self._batch))
                done += sum(size for _, size in task)
                if progress:
                    progress(done, resamples)
        return _collect(self._fitted, self._chains, self._chains_idx, results)

    def cancel(self) -> None:
        """Stop the workers without waiting (when the run is abandoned)."""
        if self._pool is not None:
            stop_pool(self._pool)


@one_blas_thread
def start_bootstrap(fitted: FittedModel, data: np.ndarray, chains: list[tuple[str, ...]], *,
                    resamples: int = 2000, seed: int = 1, level: float = 0.95, workers: int | None = None,
                    fiml: FimlFit | None = None, batch: int = BATCH) -> BootstrapRun:
    """Start :func:`bootstrap_indirect` (same parameters but ``progress``): with several workers the
    resamples are handed to worker processes at once and :meth:`BootstrapRun.result` collects them;
    with one, they are refitted when the result is asked for."""
    if batch < 1:
        raise ValueError(f"batch must be a positive number of resamples, not {batch}")
    chains_idx = [path_parameter_indices(fitted, c) for c in chains]
    sizes = [BLOCK] * (resamples // BLOCK) + ([resamples % BLOCK] if resamples % BLOCK else [])
    blocks = list(zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes))
    workers = workers or os.cpu_count() or 1
    intercepts = None if fiml is None else fiml.intercepts["est"].to_numpy()
    args = (fitted.structure, np.ascontiguousarray(data, dtype=float), fitted.theta, intercepts, chains_idx)
    # tasks: runs of whole blocks, about one batch each (the FIML refits go one block at a time); a task's
    # resampled row numbers stay under TASK_ROWS_BYTES: one block at a time for 200,000 respondents
    fitting = TASK_ROWS_BYTES // (8 * max(1, len(data)))  # resamples whose 8-byte row numbers fit
    per_task = max(1, min(batch, fitting) // BLOCK) if fiml is None else 1
    tasks = [blocks[i:i + per_task] for i in range(0, len(blocks), per_task)]
    pool = worker_pool(min(workers, len(tasks))) if workers > 1 and len(tasks) > 1 else None
    return BootstrapRun(fitted, chains, chains_idx, tasks, args, resamples, level, batch, pool)


@dataclass(frozen=True)
class BootstrapDraws:
    """The resampled values of the chains' products: one row per converged resample."""

    chains: list[tuple[str, ...]]
    estimates: np.ndarray  # full-sample value of each chain's product
    draws: np.ndarray  # (converged resamples, chains)
    failed: int
    improper: int


def _collect(fitted, chains, chains_idx, results) -> BootstrapDraws:
    draws = np.vstack([r[0] for r in results]) if results else np.empty((0, len(chains)))
    failed = sum(r[1][0] for r in results)
    improper = sum(r[1][1] for r in results)
    draws = draws[~np.isnan(draws).any(axis=1)]
    estimates = np.array([float(np.prod(fitted.theta[idx])) for idx in chains_idx])
    return BootstrapDraws(chains=[tuple(c) for c in chains], estimates=estimates, draws=draws,
                          failed=int(failed), improper=int(improper))


def bootstrap_draws(fitted: FittedModel, data: np.ndarray, chains: list[tuple[str, ...]], *,
                    resamples: int = 2000, seed: int = 1, workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None, fiml: FimlFit | None = None,
                    batch: int = BATCH) -> BootstrapDraws:
    """Refit the model to bootstrap resamples and keep the product of the path coefficients of each
    chain (a chain of two constructs is a single path: a direct effect); sums of chains (total effects)
    are sums of columns. Arguments as :func:`bootstrap_indirect`; the same seed gives the same draws."""
    return start_bootstrap(fitted, data, chains, resamples=resamples, seed=seed, workers=workers, fiml=fiml,
                           batch=batch).draws(progress)


def norm_inter(draws: np.ndarray, probs) -> np.ndarray:
    """Quantiles of bootstrap draws as the R package boot (and so lavaan) takes them.

    Notes
    -----
    boot's ``norm.inter``: with R draws sorted, t₍ₖ₎, and r = (R + 1)·α, the quantile is t₍ᵣ₎ when r is
    an integer, else the interpolation between t₍ₖ₎ and t₍ₖ₊₁₎ (k = ⌊r⌋) on the normal scale:
    t₍ₖ₎ + [Φ⁻¹(α) − Φ⁻¹(k/(R+1))] / [Φ⁻¹((k+1)/(R+1)) − Φ⁻¹(k/(R+1))] · (t₍ₖ₊₁₎ − t₍ₖ₎);
    the extreme draws beyond the ends (Davison & Hinkley 1997, §5.3). lavaan's
    ``parameterEstimates()`` uses it for its "perc" and "bca.simple" intervals.
    """
    t = np.sort(np.asarray(draws, dtype=float)[np.isfinite(draws)])
    n = len(t)
    probs = np.atleast_1d(np.asarray(probs, dtype=float))
    out = np.full(len(probs), np.nan)
    if n == 0:
        return out
    for i, alpha in enumerate(probs):
        rk = (n + 1) * alpha
        k = int(np.trunc(rk))
        if k <= 0:
            out[i] = t[0]
        elif k >= n:
            out[i] = t[-1]
        elif k == rk:
            out[i] = t[k - 1]
        else:
            z, z1, z2 = stats.norm.ppf([alpha, k / (n + 1), (k + 1) / (n + 1)])
            out[i] = t[k - 1] + (z - z1) / (z2 - z1) * (t[k] - t[k - 1])
    return out


def bootstrap_interval(path: tuple[str, ...], est: float, draws: np.ndarray, *, level: float = 0.95,
                       failed: int = 0, improper: int = 0) -> BootstrapInterval:
    """Percentile and bias-corrected intervals and the bootstrap SE of one quantity from its draws.

    Notes
    -----
    Percentile: the α/2 and 1 − α/2 quantiles of the draws. Bias-corrected: with
    z₀ = Φ⁻¹(share of draws below the estimate), the quantiles Φ(2z₀ ± z_{1−α/2}) (Efron &
    Tibshirani 1993), i.e. lavaan's ``boot.ci.type = "bca.simple"`` (no acceleration). Quantiles as
    :func:`norm_inter`, so that the same draws give lavaan's intervals exactly. SE: the standard
    deviation of the draws (divisor R − 1), lavaan's bootstrap SE.
    """
    col = np.asarray(draws, dtype=float)
    col = col[np.isfinite(col)]
    alpha = 1 - level
    if len(col):
        lo, hi = norm_inter(col, [alpha / 2, 1 - alpha / 2])
    else:
        lo = hi = np.nan
    if len(col) > 1 and np.var(col) > 0:
        # as lavaan: all draws on one side of the estimate (z₀ = ±∞) give the extreme draws
        z0 = stats.norm.ppf(np.mean(col < est))
        zc = stats.norm.ppf(1 - alpha / 2)
        with np.errstate(invalid="ignore"):
            bc_lo, bc_hi = norm_inter(col, stats.norm.cdf([2 * z0 - zc, 2 * z0 + zc]))
    elif len(col):  # constant draws: lavaan leaves the estimate as both limits
        bc_lo = bc_hi = est
    else:
        bc_lo = bc_hi = np.nan
    return BootstrapInterval(path=tuple(path), est=float(est), ci_lower=float(lo), ci_upper=float(hi),
                             bc_lower=float(bc_lo), bc_upper=float(bc_hi),
                             boot_se=float(np.std(col, ddof=1)) if len(col) > 1 else np.nan,
                             resamples=int(len(col)), failed=int(failed), improper=int(improper))
