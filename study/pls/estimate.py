"""PLS-SEM estimation: weights, loadings, paths, R², effects and construct scores.

:func:`estimate_pls` checks the model and the data, runs the algorithm of :mod:`study.pls.engine`
once and returns a :class:`PLSResult` of DataFrames. :func:`batch_estimates` runs the same algorithm
on a stack of covariance matrices and returns every statistic as arrays; the bootstrap, the jackknife,
permutation tests and cross-validation call it, so the original estimate and its resamples come from
one code path.

Agreement with R (tests/test_pls_estimate.py): R plspm 0.5 (centroid, path and factorial schemes,
``scaled = FALSE``, mode A and mode B) and R seminr 2.3 (path scheme, mode B, two-stage higher-order
construct) to 1e-6 on the bank and mobi data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..messages import Message
from . import engine
from .specify import Design, PLSModel, PLSModelError, PLSSettings, check_model, design, ordered_constructs

__all__ = ["PLSResult", "PLSNotConverged", "BatchEstimates", "batch_estimates", "estimate_pls", "prepare_data"]


class PLSNotConverged(PLSModelError):
    """The iterative weights did not settle within ``max_iter`` iterations: there are no estimates."""


@dataclass(frozen=True)
class BatchEstimates:
    """Every estimate for a stack of B covariance matrices (the single estimate is B = 1).

    Construct axes follow ``design.final.names``; entry axes follow ``design.final.columns``.
    """

    design: Design
    weights: np.ndarray  # (B, p_f) weight of each final-stage entry on its construct
    loadings: np.ndarray  # (B, p_f) loading (PLSc-corrected for reflective constructs if consistent)
    cross: np.ndarray  # (B, p_aug, K) item (and stage-1 score) x construct correlations
    corr: np.ndarray  # (B, K, K) construct correlations (PLSc-corrected if consistent)
    beta: np.ndarray  # (B, K, K) path i -> j
    r2: np.ndarray  # (B, K)
    r2_adj: np.ndarray  # (B, K)
    total: np.ndarray  # (B, K, K) total effect of i on j
    rho_a: np.ndarray  # (B, K)
    converged: np.ndarray  # (B,) bool, both stages
    iterations: np.ndarray  # (B,) int, final stage
    stage1_weights: np.ndarray | None  # (B, p_1) weights of stage-1 entries
    stage1_loadings: np.ndarray | None  # (B, p_1)
    stage1_converged: np.ndarray | None
    admissible: np.ndarray  # (B,) False when PLSc gives a correlation or loading beyond 1 or rho_A <= 0
    w_full: np.ndarray = field(repr=False)  # (B, p_aug, K) weights on the augmented columns
    cov_aug: np.ndarray = field(repr=False)  # (B, p_aug, p_aug)


def _entry_loadings(fit: engine.StageFit, stage) -> np.ndarray:
    sw = fit.s @ fit.weights
    sd = np.sqrt(np.einsum("bii->bi", fit.s))
    idx = np.arange(len(stage.columns))
    return sw[:, idx, stage.block] / sd


def batch_estimates(cov: np.ndarray, n: float | np.ndarray, dsg: Design, settings: PLSSettings) -> BatchEstimates:
    """Run the PLS algorithm on every covariance matrix of ``cov`` (B, p, p) of the items.

    ``n`` is the sample size behind each matrix (for the adjusted R²).
    """
    fit1 = None
    cov_aug = cov
    if dsg.stage1 is not None:
        fit1 = engine.run_stage(cov, dsg.stage1, settings.scheme, settings.tol, settings.max_iter, settings.scaled)
        cov_aug = engine.augment(cov, dsg.stage1, fit1, dsg.stage1_dims)
    st = dsg.final
    fit = engine.run_stage(cov_aug, st, settings.scheme, settings.tol, settings.max_iter, settings.scaled)
    bsz = cov.shape[0]
    kk = len(st.names)
    idx = np.arange(len(st.columns))
    weights = fit.weights[:, idx, st.block]
    loadings = _entry_loadings(fit, st)
    c = np.swapaxes(fit.weights, 1, 2) @ fit.s @ fit.weights
    rho = engine.rho_a(fit, st)
    admissible = np.ones(bsz, dtype=bool)
    if settings.consistent:
        q = np.where(st.reflective[None, :], rho, 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            sq = np.sqrt(q)
            c = c / sq[:, :, None] / sq[:, None, :]
            eye = np.eye(kk, dtype=bool)
            c[:, eye] = 1.0
            # PLSc loadings of a reflective construct: λ = ĉ ŵ with ĉ = √ρ_A / ŵᵀŵ (Dijkstra & Henseler 2015)
            sd = np.sqrt(np.einsum("bii->bi", fit.s))
            for k in np.flatnonzero(st.reflective):
                rows = np.flatnonzero(st.block == k)
                if len(rows) < 2 or st.mode_b[k]:
                    continue
                wstd = weights[:, rows] * sd[:, rows]
                loadings[:, rows] = wstd * (sq[:, k] / np.einsum("bi,bi->b", wstd, wstd))[:, None]
        admissible = ((q > 0).all(axis=1) & (np.abs(c[:, ~eye]) <= 1 + 1e-9).all(axis=1)
                      & (np.abs(loadings) <= 1 + 1e-9).all(axis=1))
    beta, r2, r2_adj = engine.structural(c, st.adjacency, n)
    total = engine.total_effects(beta)
    # weights on the augmented columns, for cross-loadings and scores
    p_aug = cov_aug.shape[1]
    w_full = np.zeros((bsz, p_aug, kk))
    w_full[:, st.columns, st.block] = weights
    sd_aug = np.sqrt(np.einsum("bii->bi", cov_aug))
    cross = (cov_aug @ w_full) / sd_aug[:, :, None]
    converged = fit.converged.copy()
    s1w = s1l = s1c = None
    if fit1 is not None:
        s1 = dsg.stage1
        s1w = fit1.weights[:, np.arange(len(s1.columns)), s1.block]
        s1l = _entry_loadings(fit1, s1)
        s1c = fit1.converged
        converged &= fit1.converged
    return BatchEstimates(design=dsg, weights=weights, loadings=loadings, cross=cross, corr=c, beta=beta, r2=r2,
                          r2_adj=r2_adj, total=total, rho_a=rho, converged=converged, iterations=fit.iterations,
                          stage1_weights=s1w, stage1_loadings=s1l, stage1_converged=s1c, admissible=admissible,
                          w_full=w_full, cov_aug=cov_aug)


@dataclass(frozen=True)
class PLSResult:
    """A PLS-SEM estimate.

    Attributes
    ----------
    outer : DataFrame
        One row per indicator of a construct: ``construct``, ``indicator``, ``weight``, ``loading``,
        ``stage`` (1 for the items of a two-stage HOC's dimensions, 2 otherwise; 2 when single-stage).
        Weights refer to standardized items (``scaled=True``) or to centred raw items.
    cross_loadings : DataFrame (items x constructs)
        Correlations of every item with every composite.
    paths : DataFrame
        ``from``, ``to``, ``estimate`` for every specified structural path (PLSc-corrected if consistent).
    r2 : DataFrame
        ``r2``, ``r2_adj`` of each endogenous construct.
    effects : DataFrame
        ``from``, ``to``, ``direct``, ``indirect``, ``total`` for every ordered pair joined by a path.
    correlations : DataFrame
        Construct correlations (PLSc-corrected if consistent).
    rho_a : Series
        Dijkstra–Henseler rho_A (1 for formative and single-item constructs).
    scores : DataFrame (n x constructs)
        Composite scores, mean 0 and variance 1 (divisor n).
    inner_model : DataFrame
        OLS regression of each endogenous construct's scores on its antecedents' (estimate, std. error,
        t, p with n − k − 1 df), as R plspm prints it; PLS inference proper is the bootstrap.
    """

    model: PLSModel
    settings: PLSSettings
    n: int
    iterations: int
    outer: pd.DataFrame
    cross_loadings: pd.DataFrame
    paths: pd.DataFrame
    r2: pd.DataFrame
    effects: pd.DataFrame
    correlations: pd.DataFrame
    rho_a: pd.Series
    scores: pd.DataFrame
    inner_model: pd.DataFrame
    item_means: pd.Series
    item_sds: pd.Series  # divisor n
    batch: BatchEstimates = field(repr=False)
    problems: tuple[str, ...] = ()

    @property
    def admissible(self) -> bool:
        """False when the solution is improper (see ``problems``): then it is no finding."""
        return not self.problems

    def path_matrix(self) -> pd.DataFrame:
        """Path coefficients, rows = from, columns = to."""
        names = list(self.batch.design.final.names)
        return pd.DataFrame(self.batch.beta[0], index=names, columns=names)

    def weights(self, construct: str) -> pd.Series:
        o = self.outer[self.outer["construct"] == construct]
        return pd.Series(o["weight"].to_numpy(), index=o["indicator"].to_numpy(), name=construct)

    def loadings(self, construct: str) -> pd.Series:
        o = self.outer[self.outer["construct"] == construct]
        return pd.Series(o["loading"].to_numpy(), index=o["indicator"].to_numpy(), name=construct)

    def outer_entry_labels(self) -> list[tuple[str, str]]:
        return list(zip(self.outer["construct"], self.outer["indicator"]))


def prepare_data(data: pd.DataFrame, model: PLSModel) -> np.ndarray:
    """The model's items as a float array after checking them; raises :class:`PLSModelError`.

    Every item must be numeric, answered by every respondent (PLS here works on complete answers) and
    vary across respondents.
    """
    check_model(model, list(data.columns))
    items = list(model.items)
    block_of = {i: b.name for b in model.blocks for i in b.items}
    x = data[items]
    for i in items:
        if not pd.api.types.is_numeric_dtype(x[i]):
            raise PLSModelError(f"item {i!r} ({block_of[i]}) is not numeric")
    arr = x.to_numpy(dtype=float)
    missing = np.isnan(arr)
    if missing.any():
        bad = [items[j] for j in np.flatnonzero(missing.any(axis=0))]
        raise PLSModelError(f"{int(missing.any(axis=1).sum())} respondents have no answer to "
                            f"{', '.join(bad[:5])}{' …' if len(bad) > 5 else ''}; PLS needs complete answers "
                            "(leave those respondents out first)")
    n = len(arr)
    if n < 3:
        raise PLSModelError(f"PLS needs more respondents than {n}")
    sd = arr.std(axis=0)
    for j in np.flatnonzero(sd <= 1e-12 * np.maximum(1.0, np.abs(arr).max(axis=0))):
        raise PLSModelError(Message(f"item {items[j]!r} ({block_of[items[j]]}) has the same answer ({arr[0, j]:g}) "
                                    "from every respondent: it carries no information and its weight is undefined; "
                                    "leave it out of the construct",
                                    f"题项 {items[j]}（{block_of[items[j]]}）所有受访者的回答均为 {arr[0, j]:g}，"
                                    "不含信息，其权重无法确定"))
    return arr


def _effects_table(names: tuple[str, ...], beta: np.ndarray, total: np.ndarray, order: tuple[str, ...]) -> pd.DataFrame:
    pos = {c: i for i, c in enumerate(names)}
    rows = []
    for a in order:
        for b in order:
            i, j = pos[a], pos[b]
            if a == b or order.index(a) > order.index(b):
                continue
            if abs(total[i, j]) < 1e-300 and beta[i, j] == 0:
                continue
            rows.append({"from": a, "to": b, "direct": beta[i, j], "indirect": total[i, j] - beta[i, j],
                         "total": total[i, j]})
    return pd.DataFrame(rows, columns=["from", "to", "direct", "indirect", "total"])


def _reachable(names, adjacency) -> np.ndarray:
    k = len(names)
    reach = adjacency.astype(bool)
    for _ in range(k):
        reach = reach | ((reach.astype(int) @ reach.astype(int)) > 0)
    return reach


def estimate_pls(data: pd.DataFrame, model: PLSModel, settings: PLSSettings | None = None) -> PLSResult:
    """Estimate a PLS path model (Lohmöller 1989; Hair et al. 2022, ch. 3).

    Parameters
    ----------
    data : DataFrame
        Complete answers; one column per item.
    model : PLSModel
    settings : PLSSettings, optional
        Scheme (path), scaling (standardized items), PLSc (off), convergence (1e-7, 300 iterations).

    Returns
    -------
    PLSResult

    Raises
    ------
    PLSModelError
        The model or the data do not allow estimation (the message says why and what to do).
    PLSNotConverged
        The weights did not converge within ``settings.max_iter`` iterations.

    A consistent (PLSc) solution with a corrected correlation or loading beyond 1 is returned with
    ``admissible`` False and the reasons in ``problems``: it is not a finding.

    Examples
    --------
    >>> from study.pls import PLSModel, estimate_pls
    >>> m = PLSModel.build({"QUAL": ["q1", "q2", "q3"], "SAT": ["s1", "s2"]}, [("QUAL", "SAT")])
    >>> res = estimate_pls(df, m)                      # doctest: +SKIP
    >>> res.paths                                       # doctest: +SKIP
    """
    settings = settings or PLSSettings()
    arr = prepare_data(data, model)
    dsg = design(model)
    n, p = arr.shape
    mean = arr.mean(axis=0)
    xc = arr - mean
    _, cov = engine.moments(xc, np.ones((1, n)))
    if settings.scaled:
        sd = np.sqrt(np.diag(cov[0]))
        cov = cov / sd[None, :, None] / sd[None, None, :]
    est = batch_estimates(cov, n, dsg, settings)
    if not est.converged[0]:
        stage = "the first stage of the two-stage approach" if (
            est.stage1_converged is not None and not est.stage1_converged[0]) else "the PLS algorithm"
        hint = _negative_pairs(cov[0], model)
        stage_zh = "两阶段法的第一阶段" if stage.startswith("the first") else "PLS 迭代算法"
        raise PLSNotConverged(Message(
            f"{stage} did not converge in {settings.max_iter} iterations ({settings.scheme} scheme): the outer "
            f"weights keep changing, so there are no estimates to report.{hint}",
            f"{stage_zh}在 {settings.max_iter} 次迭代内未收敛（{settings.scheme} 加权方案）：外部权重仍在变化，"
            f"没有可报告的估计值。{hint.zh}"))
    problems = _problems(est, settings)
    st = dsg.final
    names = st.names
    item_sd = xc.std(axis=0)
    z = xc / item_sd if settings.scaled else xc
    z_aug = z
    wd = None
    if dsg.stage1 is not None:  # stage-1 weights of the two-stage dimensions, mapped onto the items
        wd = np.zeros((p, len(dsg.stage1_dims)))
        for j, k in enumerate(dsg.stage1_dims):
            rows = np.flatnonzero(dsg.stage1.block == k)
            wd[dsg.stage1.columns[rows], j] = est.stage1_weights[0, rows]
        z_aug = np.hstack([z, z @ wd])
    scores = pd.DataFrame(z_aug @ est.w_full[0], index=data.index, columns=list(names))

    rows = []
    if dsg.stage1 is not None:
        s1 = dsg.stage1
        dims = {s1.names[k] for k in dsg.stage1_dims}
        for e, (col, k) in enumerate(zip(s1.columns, s1.block)):
            if s1.names[k] in dims:
                rows.append({"construct": s1.names[k], "indicator": s1.labels[e], "weight": est.stage1_weights[0, e],
                             "loading": est.stage1_loadings[0, e], "stage": 1})
        dim_scores = pd.DataFrame(z @ wd, index=data.index, columns=[s1.names[k] for k in dsg.stage1_dims])
        scores = pd.concat([scores, dim_scores], axis=1)
    for e, (col, k) in enumerate(zip(st.columns, st.block)):
        rows.append({"construct": names[k], "indicator": st.labels[e], "weight": est.weights[0, e],
                     "loading": est.loadings[0, e], "stage": 2})
    outer = pd.DataFrame(rows, columns=["construct", "indicator", "weight", "loading", "stage"])
    order = list(model.constructs)
    outer["_o"] = outer["construct"].map({c: i for i, c in enumerate(order)})
    outer = outer.sort_values(["_o", "stage"], kind="stable").drop(columns="_o").reset_index(drop=True)
    scores = scores[[c for c in order if c in scores.columns]]

    items = list(dsg.items)
    if dsg.stage1 is None:
        cross = pd.DataFrame(est.cross[0, :len(items)], index=items, columns=list(names))
    else:  # the dimensions of two-stage HOCs are not final-stage composites: correlate their scores
        sc = scores.to_numpy()
        cross = pd.DataFrame(np.corrcoef(np.hstack([arr, sc]), rowvar=False)[:p, p:], index=items,
                             columns=list(scores.columns))
    pos = {c: i for i, c in enumerate(names)}
    paths = pd.DataFrame([{"from": a, "to": b, "estimate": est.beta[0, pos[a], pos[b]]} for a, b in model.paths],
                         columns=["from", "to", "estimate"])
    causal = ordered_constructs(model)
    endo = [c for c in causal if st.adjacency[:, pos[c]].any()]
    r2 = pd.DataFrame({"r2": [est.r2[0, pos[c]] for c in endo], "r2_adj": [est.r2_adj[0, pos[c]] for c in endo]},
                      index=pd.Index(endo, name="construct"))
    effects = _effects_table(names, est.beta[0], est.total[0] * _reachable(names, st.adjacency), causal)
    corr = pd.DataFrame(est.corr[0], index=list(names), columns=list(names))
    rho = pd.Series(est.rho_a[0], index=list(names), name="rho_a")
    inner = _inner_model(est.corr[0], st.adjacency, names, causal, n)
    return PLSResult(model=model, settings=settings, n=n, iterations=int(est.iterations[0]), outer=outer,
                     cross_loadings=cross, paths=paths, r2=r2, effects=effects, correlations=corr, rho_a=rho,
                     scores=scores, inner_model=inner, item_means=pd.Series(mean, index=items),
                     item_sds=pd.Series(item_sd, index=items), batch=est, problems=problems)


def _negative_pairs(cov: np.ndarray, model: PLSModel) -> Message:
    """A hint naming the items that correlate negatively within their construct (the usual cause)."""
    items = list(model.items)
    sd = np.sqrt(np.diag(cov))
    pairs = []
    for b in model.blocks:
        idx = [items.index(i) for i in b.items]
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                r = cov[idx[x], idx[y]] / sd[idx[x]] / sd[idx[y]]
                if r < 0:
                    pairs.append((b.items[x], b.items[y], r))
    if not pairs:
        return Message(" Check the items of each construct and the structural paths.", "请检查各构念的题项与结构路径。")
    more = len(pairs) > 6
    return Message(" Items of the same construct correlate negatively: "
                   + "; ".join(f"{a} and {b} (r = {r:.2f})" for a, b, r in pairs[:6]) + ("; …" if more else "")
                   + ". Check for reverse-worded items that were not recoded.",
                   "同一构念的题项呈负相关：" + "；".join(f"{a} 与 {b}（r = {r:.2f}）" for a, b, r in pairs[:6])
                   + ("；…" if more else "") + "。请检查反向题是否已重新计分。")


def _problems(est: BatchEstimates, settings: PLSSettings) -> tuple[Message, ...]:
    """Why a converged solution is improper (consistent PLS can give correlations beyond 1)."""
    if not settings.consistent:
        return ()
    st = est.design.final
    out = []
    for k in np.flatnonzero(st.reflective):
        if est.rho_a[0, k] <= 0 or not np.isfinite(est.rho_a[0, k]):
            out.append(Message(f"rho_A of {st.names[k]} is not positive ({est.rho_a[0, k]:.3f})",
                               f"{st.names[k]} 的 rho_A 不为正（{est.rho_a[0, k]:.3f}）"))
    kk = len(st.names)
    for i in range(kk):
        for j in range(i + 1, kk):
            if abs(est.corr[0, i, j]) > 1 + 1e-9:
                out.append(Message(f"the corrected correlation of {st.names[i]} and {st.names[j]} is "
                                   f"{est.corr[0, i, j]:.3f}, beyond 1",
                                   f"{st.names[i]} 与 {st.names[j]} 的校正相关系数为 {est.corr[0, i, j]:.3f}，"
                                   "绝对值大于 1"))
    for e in np.flatnonzero(np.abs(est.loadings[0]) > 1 + 1e-9):
        out.append(Message(
            f"the corrected loading of {st.labels[e]} on {st.names[st.block[e]]} is {est.loadings[0, e]:.3f}",
            f"{st.labels[e]} 在 {st.names[st.block[e]]} 上的校正载荷为 {est.loadings[0, e]:.3f}，绝对值大于 1"))
    return tuple(out)


def _inner_model(c: np.ndarray, adjacency: np.ndarray, names, causal, n: int) -> pd.DataFrame:
    """OLS on standardized scores: se_j = √((1 − R²)/(n − k − 1) · (C_PP⁻¹)_jj)."""
    pos = {c_: i for i, c_ in enumerate(names)}
    rows = []
    for dv in causal:
        j = pos[dv]
        pred = np.flatnonzero(adjacency[:, j])
        if not len(pred):
            continue
        cpp = c[np.ix_(pred, pred)]
        b = np.linalg.solve(cpp, c[pred, j])
        r2 = float(b @ c[pred, j])
        df = n - len(pred) - 1
        se = np.sqrt((1 - r2) / df * np.diag(np.linalg.inv(cpp)))
        for i, k in enumerate(pred):
            t = b[i] / se[i]
            rows.append({"to": dv, "from": names[k], "estimate": b[i], "std_error": se[i], "t": t,
                         "p": 2 * stats.t.sf(abs(t), df)})
    return pd.DataFrame(rows, columns=["to", "from", "estimate", "std_error", "t", "p"])
