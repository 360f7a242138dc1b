"""Bootstrap of a PLS path model: every estimate, in stacked batches.

A resample of respondents changes only the indicators' covariance matrix, and the PLS algorithm
(:mod:`study.pls.engine`) runs on a stack of such matrices at once. So the resamples are drawn in
fixed chunks of ``CHUNK``; a chunk's counts (how often each respondent was drawn) give all its
covariance matrices in one matrix product, and its estimates in one batched run of the algorithm.
Each chunk has its own seed spawned from the user's seed, so the same seed gives the same numbers
whatever the number of workers. Resamples whose algorithm does not converge (or whose PLSc solution
is inadmissible) are counted and left out of the summaries, never silently.

Statistics: outer weights and loadings, path coefficients, total, total indirect and specific
indirect effects, R² and adjusted R², and HTMT (Henseler, Ringle & Sarstedt 2015).
Summaries: bootstrap mean and standard error, t = estimate / SE, p-values from the normal
distribution (the critical values 1.65, 1.96, 2.57 of Hair et al. 2022, ch. 5), percentile and BCa
(bias-corrected and accelerated; Efron & Tibshirani 1993, ch. 14) confidence intervals.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from typing import Callable, Literal

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from . import engine
from .estimate import BatchEstimates, PLSResult, batch_estimates, estimate_pls, prepare_data
from .specify import PLSModel, PLSSettings, design, ordered_constructs

__all__ = ["PLSBootstrap", "bootstrap_pls", "statistic_labels", "statistic_vector", "bca_interval",
           "percentile_interval", "CHUNK"]

CHUNK = 1000  # resamples per chunk: the unit of seeding and of parallel work
Alternative = Literal["two-sided", "greater", "less"]


def _chains(order: tuple[str, ...], paths) -> list[tuple[str, ...]]:
    """Every directed chain with at least one mediator, in causal order."""
    succ = {c: [b for a, b in paths if a == c] for c in order}
    out: list[tuple[str, ...]] = []

    def walk(chain):
        if len(chain) >= 3:
            out.append(tuple(chain))
        for nxt in succ[chain[-1]]:
            walk(chain + [nxt])

    for c in order:
        walk([c])
    return out


@dataclass(frozen=True)
class _Layout:
    """Which number of a resample's estimates is which statistic."""

    labels: pd.DataFrame  # statistic, from, to (construct/indicator or from/to), chain
    htmt_blocks: list[np.ndarray]
    htmt_names: list[str]


def statistic_labels(model: PLSModel, est: BatchEstimates) -> _Layout:
    """The labels of :func:`statistic_vector`, one row per number."""
    dsg = est.design
    st = dsg.final
    rows: list[dict] = []
    s1 = dsg.stage1
    dims = {s1.names[k] for k in dsg.stage1_dims} if s1 is not None else set()
    for kind in ("weight", "loading"):
        if s1 is not None:
            rows += [{"statistic": kind, "from": s1.labels[e], "to": s1.names[k]}
                     for e, k in enumerate(s1.block) if s1.names[k] in dims]
        rows += [{"statistic": kind, "from": st.labels[e], "to": st.names[k]} for e, k in enumerate(st.block)]
    rows += [{"statistic": "path", "from": a, "to": b} for a, b in model.paths]
    order = ordered_constructs(model)
    reach = _reach(order, model.paths)
    pairs = [(a, b) for a in order for b in order if (a, b) in reach]
    rows += [{"statistic": "total", "from": a, "to": b} for a, b in pairs]
    rows += [{"statistic": "indirect", "from": a, "to": b} for a, b in pairs if reach[(a, b)] > 1]
    rows += [{"statistic": "specific", "from": ch[0], "to": ch[-1], "chain": " -> ".join(ch)}
             for ch in _chains(order, model.paths)]
    endo = [c for c in order if any(b == c for _, b in model.paths)]
    rows += [{"statistic": "r2", "from": "", "to": c} for c in endo]
    rows += [{"statistic": "r2_adj", "from": "", "to": c} for c in endo]
    items = list(dsg.items)
    hblocks = [b for b in model.blocks]
    rows += [{"statistic": "htmt", "from": a.name, "to": b.name} for a, b in combinations(hblocks, 2)]
    for row in rows:
        row.setdefault("chain", "")
    labels = pd.DataFrame(rows, columns=["statistic", "from", "to", "chain"])
    return _Layout(labels=labels, htmt_blocks=[np.array([items.index(i) for i in b.items]) for b in hblocks],
                   htmt_names=[b.name for b in hblocks])


def _reach(order, paths) -> dict[tuple[str, str], int]:
    """(a, b) -> length of the longest chain from a to b (1 = direct only), for joined pairs."""
    longest: dict[tuple[str, str], int] = {}
    succ = {c: [b for a, b in paths if a == c] for c in order}

    def walk(start, node, length):
        for nxt in succ[node]:
            key = (start, nxt)
            longest[key] = max(longest.get(key, 0), length + 1)
            walk(start, nxt, length + 1)

    for c in order:
        walk(c, c, 0)
    return longest


def statistic_vector(model: PLSModel, est: BatchEstimates, cov: np.ndarray, layout: _Layout) -> np.ndarray:
    """All statistics of :func:`statistic_labels` for every matrix of the batch, (B, m)."""
    dsg = est.design
    st = dsg.final
    pos = {c: i for i, c in enumerate(st.names)}
    parts = []
    s1 = dsg.stage1
    dim_rows = None
    if s1 is not None:
        dims = {k for k in dsg.stage1_dims}
        dim_rows = np.array([e for e, k in enumerate(s1.block) if k in dims], dtype=int)
    for kind in ("weight", "loading"):
        if s1 is not None:
            parts.append((est.stage1_weights if kind == "weight" else est.stage1_loadings)[:, dim_rows])
        parts.append(est.weights if kind == "weight" else est.loadings)
    parts.append(np.stack([est.beta[:, pos[a], pos[b]] for a, b in model.paths], axis=1))
    lab = layout.labels
    for kind in ("total", "indirect"):
        sel = lab[lab["statistic"] == kind]
        if len(sel):
            tot = np.stack([est.total[:, pos[a], pos[b]] for a, b in zip(sel["from"], sel["to"])], axis=1)
            if kind == "indirect":
                tot = tot - np.stack([est.beta[:, pos[a], pos[b]] for a, b in zip(sel["from"], sel["to"])], axis=1)
            parts.append(tot)
    sel = lab[lab["statistic"] == "specific"]
    if len(sel):
        cols = []
        for ch in sel["chain"]:
            names = ch.split(" -> ")
            cols.append(np.prod([est.beta[:, pos[a], pos[b]] for a, b in zip(names, names[1:])], axis=0))
        parts.append(np.stack(cols, axis=1))
    endo = lab.loc[lab["statistic"] == "r2", "to"].tolist()
    parts.append(est.r2[:, [pos[c] for c in endo]])
    parts.append(est.r2_adj[:, [pos[c] for c in endo]])
    if len(layout.htmt_blocks) > 1:
        h = engine.htmt_batch(cov, layout.htmt_blocks)
        iu = np.triu_indices(len(layout.htmt_blocks), 1)
        parts.append(h[:, iu[0], iu[1]])
    return np.hstack(parts)


def percentile_interval(draws: np.ndarray, level: float = 0.95, alternative: Alternative = "two-sided"
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each column (R's default type-7 quantiles).

    One-sided: ``greater`` gives the lower bound at the 1 − level quantile and +inf, ``less`` the
    upper bound at the level quantile and −inf.
    """
    a = 1 - level
    if alternative == "two-sided":
        lo, hi = np.quantile(draws, [a / 2, 1 - a / 2], axis=0)
    elif alternative == "greater":
        lo, hi = np.quantile(draws, a, axis=0), np.full(draws.shape[1], np.inf)
    else:
        lo, hi = np.full(draws.shape[1], -np.inf), np.quantile(draws, level, axis=0)
    return lo, hi


def bca_interval(draws: np.ndarray, estimate: np.ndarray, jackknife: np.ndarray, level: float = 0.95,
                 alternative: Alternative = "two-sided") -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected and accelerated (BCa) interval of each column (Efron & Tibshirani 1993, §14.3).

    z₀ = Φ⁻¹(share of draws below the estimate, ties counted half, as scipy), a = Σ(θ̄₍.₎ − θ₍ᵢ₎)³ / (6 [Σ(θ̄₍.₎ − θ₍ᵢ₎)²]^{3/2}) from the
    leave-one-out (jackknife) estimates θ₍ᵢ₎; the bounds are the type-7 quantiles of the draws at
    α₁,₂ = Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))). NaN where z₀ is infinite (all draws on one side).
    """
    below = ((draws < estimate[None, :]).sum(axis=0) + (draws <= estimate[None, :]).sum(axis=0)) / (2 * len(draws))
    z0 = stats.norm.ppf(below)
    d = jackknife.mean(axis=0)[None, :] - jackknife
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = (d ** 3).sum(axis=0) / (6 * ((d ** 2).sum(axis=0)) ** 1.5)
    acc = np.nan_to_num(acc)
    a = 1 - level

    def bound(q):
        z = stats.norm.ppf(q)
        with np.errstate(invalid="ignore", divide="ignore"):
            return stats.norm.cdf(z0 + (z0 + z) / (1 - acc * (z0 + z)))

    def quant(probs):
        out = np.full(draws.shape[1], np.nan)
        ok = np.isfinite(probs)
        for j in np.flatnonzero(ok):
            out[j] = np.quantile(draws[:, j], probs[j])
        return out

    if alternative == "two-sided":
        return quant(bound(a / 2)), quant(bound(1 - a / 2))
    if alternative == "greater":
        return quant(bound(a)), np.full(draws.shape[1], np.inf)
    return np.full(draws.shape[1], -np.inf), quant(bound(level))


@dataclass(frozen=True)
class PLSBootstrap:
    """Bootstrap distribution of every PLS estimate.

    Attributes
    ----------
    labels : DataFrame
        ``statistic`` (weight, loading, path, total, indirect, specific, r2, r2_adj, htmt), ``from``,
        ``to`` and ``chain`` (specific indirect effects) of each column of ``draws``.
    estimate : ndarray (m,)
        The full-sample estimates.
    draws : ndarray (resamples, m)
        Estimates of the resamples that converged (and, with PLSc, were admissible).
    jackknife : ndarray (n, m) or None
        Leave-one-out estimates, for BCa.
    requested, failed, inadmissible : int
        Resamples drawn; of them, not converged; PLSc inadmissible (both left out of ``draws``).
    """

    labels: pd.DataFrame
    estimate: np.ndarray
    draws: np.ndarray
    jackknife: np.ndarray | None
    requested: int
    failed: int
    inadmissible: int
    seed: int
    result: PLSResult = field(repr=False)

    @property
    def resamples(self) -> int:
        return len(self.draws)

    def summary(self, level: float = 0.95, alternative: Alternative = "two-sided",
                statistic: str | None = None) -> pd.DataFrame:
        """One row per statistic: estimate, bootstrap mean and SE, t, p, percentile and BCa bounds.

        ``alternative`` = ``greater`` (or ``less``) tests H₀: θ ≤ 0 against θ > 0 (θ ≥ 0 against θ < 0)
        with the one-sided p-value and one-sided bounds; HTMT rows are tested against 1 (H₀: HTMT ≥ 1)
        when two-sided p-values are asked for, as discriminant validity questions whether HTMT < 1.
        """
        draws, est = self.draws, self.estimate
        se = draws.std(axis=0, ddof=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = est / se
        if alternative == "two-sided":
            p = 2 * stats.norm.sf(np.abs(t))
        elif alternative == "greater":
            p = stats.norm.sf(t)
        else:
            p = stats.norm.cdf(t)
        lo, hi = percentile_interval(draws, level, alternative)
        if self.jackknife is not None:
            blo, bhi = bca_interval(draws, est, self.jackknife, level, alternative)
        else:
            blo = bhi = np.full(len(est), np.nan)
        out = self.labels.copy()
        out["estimate"] = est
        out["mean"] = draws.mean(axis=0)
        out["se"] = se
        out["t"] = t
        out["p"] = p
        out["ci_lower"], out["ci_upper"] = lo, hi
        out["bca_lower"], out["bca_upper"] = blo, bhi
        if statistic is not None:
            out = out[out["statistic"] == statistic].reset_index(drop=True)
        return out

    def draws_of(self, statistic: str) -> pd.DataFrame:
        """The resampled values of one kind of statistic, columns labelled ``from -> to``."""
        sel = self.labels["statistic"] == statistic
        lab = self.labels[sel]
        names = [c if c else f"{a} -> {b}" for a, b, c in zip(lab["from"], lab["to"], lab["chain"])]
        return pd.DataFrame(self.draws[:, sel.to_numpy()], columns=names)


def _chunk_sizes(total: int) -> list[int]:
    return [CHUNK] * (total // CHUNK) + ([total % CHUNK] if total % CHUNK else [])


def resample_counts(n: int, size: int, seed_seq: np.random.SeedSequence) -> np.ndarray:
    """(size, n) counts: how often each respondent was drawn in each of ``size`` resamples."""
    rng = np.random.default_rng(seed_seq)
    idx = rng.integers(0, n, (size, n))
    flat = (idx + (np.arange(size) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=size * n).reshape(size, n).astype(float)


def covariances(xc: np.ndarray, weights: np.ndarray, scaled: bool) -> tuple[np.ndarray, np.ndarray]:
    """Covariance (or, with ``scaled``, correlation) matrices of the weighted rows of ``xc``, and which
    of them are usable: a sample in which an item does not vary (variance below 1e-10 of its
    full-sample variance) has no weights. Unusable matrices are replaced by the identity (their results
    are to be discarded)."""
    _, cov = engine.moments(xc, weights)
    var = np.einsum("bii->bi", cov)
    ok = (var > 1e-10 * xc.var(axis=0)[None, :]).all(axis=1)
    cov = np.where(ok[:, None, None], cov, np.eye(cov.shape[1])[None])
    if scaled:
        sd = np.sqrt(np.einsum("bii->bi", cov))
        cov = cov / sd[:, :, None] / sd[:, None, :]
    return cov, ok


def _run(model, dsg, settings, xc, weights, layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cov, ok_var = covariances(xc, weights, settings.scaled)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = batch_estimates(cov, weights.sum(axis=1), dsg, settings)
        vec = statistic_vector(model, est, cov, layout)
    return vec, est.converged & ok_var & np.isfinite(vec).all(axis=1), est.admissible


def bootstrap_pls(data: pd.DataFrame, model: PLSModel, settings: PLSSettings | None = None, *,
                  resamples: int = 10_000, seed: int = 1, workers: int | None = None, bca: bool = True,
                  progress: Callable[[int, int], None] | None = None) -> PLSBootstrap:
    """Nonparametric bootstrap of every PLS estimate (Hair et al. 2022, ch. 5).

    Parameters
    ----------
    data, model, settings
        As :func:`study.pls.estimate_pls`.
    resamples : int
        Number of resamples (10,000 as SmartPLS recommends for final results).
    seed : int
        The same seed gives the same draws, whatever ``workers`` is.
    workers : int, optional
        Threads working on chunks of ``CHUNK`` resamples (default 1: each chunk is already one batched
        computation, and on two cores a second thread gains little; see benchmarks/bench_pls.py).
    bca : bool
        Also compute the n leave-one-out estimates needed for BCa intervals.
    progress : callable(done, total), optional

    Returns
    -------
    PLSBootstrap

    Examples
    --------
    >>> boot = bootstrap_pls(df, model, resamples=5000, seed=42)            # doctest: +SKIP
    >>> boot.summary(statistic="path")                                       # doctest: +SKIP
    """
    settings = settings or PLSSettings()
    result = estimate_pls(data, model, settings)
    arr = prepare_data(data, model)
    dsg = design(model)
    n = len(arr)
    xc = arr - arr.mean(axis=0)
    layout = statistic_labels(model, result.batch)
    ones = np.ones((1, n))
    estimate, _, _ = _run(model, dsg, settings, xc, ones, layout)
    estimate = estimate[0]
    sizes = _chunk_sizes(resamples)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    workers = max(1, min(workers or 1, len(sizes) or 1))

    def chunk(i):
        counts = resample_counts(n, sizes[i], seeds[i])
        return _run(model, dsg, settings, xc, counts, layout)

    results = [None] * len(sizes)
    done = 0
    with threadpool_limits(1):
        if workers > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for i, res in enumerate(pool.map(chunk, range(len(sizes)))):
                    results[i] = res
                    done += sizes[i]
                    if progress:
                        progress(done, resamples)
        else:
            for i in range(len(sizes)):
                results[i] = chunk(i)
                done += sizes[i]
                if progress:
                    progress(done, resamples)
        jack = None
        if bca:
            jw = 1.0 - np.eye(n)
            jv, jok, _ = _run(model, dsg, settings, xc, jw, layout)
            jack = jv[jok]
    m = len(layout.labels)
    vec = np.vstack([r[0] for r in results]) if results else np.empty((0, m))
    conv = np.concatenate([r[1] for r in results]) if results else np.empty(0, bool)
    adm = np.concatenate([r[2] for r in results]) if results else np.empty(0, bool)
    keep = conv & adm
    return PLSBootstrap(labels=layout.labels, estimate=estimate, draws=vec[keep], jackknife=jack,
                        requested=resamples, failed=int((~conv).sum()), inadmissible=int((conv & ~adm).sum()),
                        seed=seed, result=result)
