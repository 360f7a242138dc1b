"""Defined parameters (lavaan's ``:=``) of a fitted model: delta-method and bootstrap inference.

A defined parameter is a function of labelled model parameters, e.g. the index of moderated mediation
``a3*b`` or a conditional indirect effect ``(a1 + a3*sqrt(vw))*b``. Labels name entries of the estimates
table by ``(lhs, op, rhs)`` (``("M", "~", "X")`` is the path X → M, ``("W", "~~", "W")`` the variance
of W), so the model syntax needs no labels. Expressions use the labels, + − * / **, parentheses and
``sqrt``; they are written by this package's own code, never taken from a study file.

The bootstrap refits the model on each resample by Fisher scoring from the full-sample solution, a block
of resamples at a time (batched, as :mod:`study.model.bootstrap` does for indirect effects), and keeps
every resample's parameter vector, so any number of defined parameters come from one set of refits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

from ..background import running, worker_pool
from ..memory import in_worker_process, reuse_freed_memory
from ..threads import blas_threads
from .batch import REFIT_STEP_TOL, BatchKernel, fisher_scoring_batch, resample_covariances
from .bootstrap import _variance_parameters
from .estimate import FittedModel, Structure

__all__ = ["BootstrapDraws", "label_values", "evaluate", "defined_parameters", "bootstrap_estimates",
           "percentile_summary", "bootstrap_defined"]

BLOCK = 100  # resamples per block: the unit of seeding and of parallel work
FUNCTIONS = {"sqrt": np.sqrt}


def _rows(fitted: FittedModel, labels: Mapping[str, tuple[str, str, str]]) -> dict[str, pd.Series]:
    table = fitted.estimates
    out = {}
    for label, (lhs, op, rhs) in labels.items():
        hit = table[(table["op"] == op) & (((table["lhs"] == lhs) & (table["rhs"] == rhs))
                                           | ((op == "~~") & (table["lhs"] == rhs) & (table["rhs"] == lhs)))]
        if hit.empty:
            raise ValueError(f"label {label}: the model has no parameter {lhs} {op} {rhs}")
        out[label] = hit.iloc[0]
    return out


def label_values(fitted: FittedModel, labels: Mapping[str, tuple[str, str, str]],
                 theta: np.ndarray) -> dict[str, np.ndarray]:
    """Values of the labelled parameters for parameter vectors ``theta`` (shape (q,) or (R, q));
    a fixed parameter keeps its fixed value."""
    return _values(_where(fitted, labels), theta)


def _where(fitted: FittedModel, labels) -> dict[str, tuple[int, float]]:
    """label -> (index of the free parameter or −1, fixed value)."""
    return {label: (int(row["_index"]), float(row["est"])) for label, row in _rows(fitted, labels).items()}


def _values(where: dict[str, tuple[int, float]], theta: np.ndarray) -> dict[str, np.ndarray]:
    theta = np.asarray(theta, dtype=float)
    return {label: theta[..., k] if k >= 0 else np.full(theta.shape[:-1], fixed) for label, (k, fixed) in where.items()}


def evaluate(definitions: Mapping[str, str], values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Evaluate the expressions on the label values (arrays evaluate element-wise)."""
    out = {}
    for name, expression in definitions.items():
        code = compile(expression, f"<{name}>", "eval")
        unknown = set(code.co_names) - set(values) - set(FUNCTIONS)
        if unknown:
            raise ValueError(f"defined parameter {name} = {expression}: unknown label(s) {', '.join(sorted(unknown))}")
        out[name] = np.asarray(eval(code, {"__builtins__": {}, **FUNCTIONS}, dict(values)), dtype=float)
    return out


def defined_parameters(fitted: FittedModel, labels: Mapping[str, tuple[str, str, str]],
                       definitions: Mapping[str, str], *, level: float = 0.95) -> pd.DataFrame:
    """Defined parameters with delta-method standard errors (lavaan's ``:=`` rows of parameterEstimates).

    Parameters
    ----------
    fitted : FittedModel
    labels : mapping label -> (lhs, op, rhs)
    definitions : mapping name -> expression in the labels
    level : float

    Returns
    -------
    DataFrame
        Indexed by name: ``est, se, z, pvalue, ci_lower, ci_upper`` (normal-theory interval).

    Notes
    -----
    SE(f(θ̂)) = √(J V̂ Jᵀ) with J = ∂f/∂θ by central differences and V̂ the estimates' covariance
    matrix, as lavaan computes it.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.model.estimate import fit_model
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> m = fit_model("SAT =~ sat1 + sat2 + sat3\\nLOY =~ loy1 + loy2 + loy3\\nLOY ~ SAT", d)
    >>> t = defined_parameters(m, {"b": ("LOY", "~", "SAT")}, {"twice": "2*b"})
    >>> bool(abs(t.loc["twice", "est"] - 2 * m.paths()["est"].iloc[0]) < 1e-12)
    True
    """
    theta = fitted.theta
    where = _where(fitted, labels)
    est = evaluate(definitions, _values(where, theta))
    jac = np.zeros((len(definitions), len(theta)))
    for k in {k for k, _ in where.values() if k >= 0}:  # the expressions depend on the labelled parameters only
        h = 1e-6 * max(1.0, abs(theta[k]))
        up, down = theta.copy(), theta.copy()
        up[k] += h
        down[k] -= h
        f_up = evaluate(definitions, _values(where, up))
        f_down = evaluate(definitions, _values(where, down))
        jac[:, k] = [(f_up[n] - f_down[n]) / (2 * h) for n in definitions]
    se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, fitted.vcov, jac), 0, None))
    values = np.array([float(est[n]) for n in definitions])
    z = np.divide(values, se, out=np.full_like(values, np.nan), where=se > 0)
    crit = stats.norm.ppf(1 - (1 - level) / 2)
    return pd.DataFrame({"est": values, "se": se, "z": z, "pvalue": 2 * stats.norm.sf(np.abs(z)),
                         "ci_lower": values - crit * se, "ci_upper": values + crit * se},
                        index=pd.Index(list(definitions), name="name"))


@dataclass(frozen=True)
class BootstrapDraws:
    """Parameter vectors of the bootstrap refits (rows; failed refits removed)."""

    theta: np.ndarray
    resamples: int  # requested
    failed: int  # refits that did not converge (left out)
    improper: int  # converged refits with a negative variance (kept, as lavaan keeps them)


def _refit_block(structure: Structure, x: np.ndarray, theta: np.ndarray, seed_seq: np.random.SeedSequence,
                 size: int) -> np.ndarray:
    """The refitted parameter vectors of one block of resamples (NaN rows where the refit failed), all
    refitted together by batched Fisher scoring from the full-sample solution."""
    if in_worker_process():
        reuse_freed_memory()  # the batches' large temporaries: see study/memory.py
    with blas_threads(1):  # small matrices: one BLAS thread per process
        draws = np.random.default_rng(seed_seq).integers(0, len(x), (size, len(x)))
        s = resample_covariances(x - x.mean(axis=0), draws)
        est, converged, _ = fisher_scoring_batch(BatchKernel(structure), s, theta, tol=1e-9, step_tol=REFIT_STEP_TOL,
                                                 max_iter=100)
        out = np.full((size, len(theta)), np.nan)
        out[converged] = est[converged]
        return out


def bootstrap_estimates(fitted: FittedModel, data: np.ndarray, *, resamples: int = 5000, seed: int = 1,
                        workers: int | None = None,
                        progress: Callable[[int, int], None] | None = None) -> BootstrapDraws:
    """Nonparametric bootstrap of all free parameters (rows of ``data`` resampled with replacement).

    ``data`` holds the analysed responses, columns in the order of ``fitted.structure.observed``. The
    same seed gives the same draws whatever the number of workers (each block of 100 resamples has
    its own seed spawned from ``seed``).
    """
    blocks = [BLOCK] * (resamples // BLOCK) + ([resamples % BLOCK] if resamples % BLOCK else [])
    seeds = np.random.SeedSequence(seed).spawn(len(blocks))
    workers = workers or os.cpu_count() or 1
    args = (fitted.structure, np.ascontiguousarray(data, dtype=float), fitted.theta)
    results: list[np.ndarray] = [None] * len(blocks)  # type: ignore[list-item]
    done = 0
    if workers > 1 and len(blocks) > 1:
        with running(worker_pool(workers)) as pool:
            futures = [pool.submit(_refit_block, *args, s, size) for s, size in zip(seeds, blocks)]
            for i, fut in enumerate(futures):
                results[i] = fut.result()
                done += blocks[i]
                if progress:
                    progress(done, resamples)
    else:
        for i, (s, size) in enumerate(zip(seeds, blocks)):
            results[i] = _refit_block(*args, s, size)
            done += size
            if progress:
                progress(done, resamples)
    draws = np.vstack(results) if results else np.empty((0, len(fitted.theta)))
    ok = ~np.isnan(draws).any(axis=1)
    draws = draws[ok]
    variances = _variance_parameters(fitted.structure)
    improper = int((draws[:, variances] < 0).any(axis=1).sum()) if len(variances) else 0
    return BootstrapDraws(theta=draws, resamples=resamples, failed=int((~ok).sum()), improper=improper)


def percentile_summary(estimates: Mapping[str, float], draws: Mapping[str, np.ndarray], *,
                       level: float = 0.95) -> pd.DataFrame:
    """Bootstrap standard error and percentile interval of each statistic (``est`` from the full sample).

    Percentile interval: the α/2 and 1 − α/2 quantiles of the resampled values; bias-corrected: with
    z₀ = Φ⁻¹(share of resampled values below the estimate), the quantiles Φ(2z₀ ± z_{1−α/2})
    (Efron & Tibshirani 1993).
    """
    alpha = 1 - level
    rows = []
    for name, est in estimates.items():
        col = np.asarray(draws[name], dtype=float)
        col = col[np.isfinite(col)]
        lo, hi = np.quantile(col, [alpha / 2, 1 - alpha / 2]) if len(col) else (np.nan, np.nan)
        below = np.mean(col < est) if len(col) else np.nan
        if 0 < below < 1:
            z0, zc = stats.norm.ppf(below), stats.norm.ppf(1 - alpha / 2)
            bc_lo, bc_hi = np.quantile(col, stats.norm.cdf([2 * z0 - zc, 2 * z0 + zc]))
        else:
            bc_lo = bc_hi = np.nan
        rows.append({"name": name, "est": float(est), "boot_se": float(np.std(col, ddof=1)) if len(col) > 1 else np.nan,
                     "ci_lower": float(lo), "ci_upper": float(hi), "bc_lower": float(bc_lo), "bc_upper": float(bc_hi),
                     "resamples": int(len(col))})
    return pd.DataFrame(rows).set_index("name")


def bootstrap_defined(fitted: FittedModel, data: np.ndarray, labels: Mapping[str, tuple[str, str, str]],
                      definitions: Mapping[str, str], *, resamples: int = 5000, seed: int = 1,
                      level: float = 0.95, workers: int | None = None,
                      progress: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, BootstrapDraws]:
    """Percentile bootstrap intervals of defined parameters (lavaan's ``se = "bootstrap"`` with
    ``boot.ci.type = "perc"``).

    Returns
    -------
    summary : DataFrame
        Indexed by name: ``est, boot_se, ci_lower, ci_upper, bc_lower, bc_upper, resamples``.
    draws : BootstrapDraws
    """
    draws = bootstrap_estimates(fitted, data, resamples=resamples, seed=seed, workers=workers, progress=progress)
    full = evaluate(definitions, label_values(fitted, labels, fitted.theta))
    boot = evaluate(definitions, label_values(fitted, labels, draws.theta))
    return percentile_summary({n: float(v) for n, v in full.items()}, boot, level=level), draws
