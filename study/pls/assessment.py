"""Assessment of a PLS path model as in Hair, Hult, Ringle & Sarstedt (2022), *A Primer on PLS-SEM*, 3rd ed.

Measurement model (ch. 4–5): indicator reliability, Cronbach's alpha, rho_A, rho_C, AVE,
Fornell–Larcker, cross-loadings, HTMT; outer VIF of formative items. Structural model (ch. 6): inner
VIF, f², R² (on :class:`~study.pls.estimate.PLSResult`), Q² by blindfolding; model fit (SRMR, NFI).
Also the block summaries R plspm prints (communality, redundancy, GoF, unidimensionality) so the
estimator can be checked against it.

All functions are pure functions of a :class:`PLSResult` (and the data where the statistic needs
the raw answers). Bootstrap intervals (e.g. for HTMT) come from :mod:`study.pls.bootstrap`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import htmt_batch
from .estimate import PLSResult, batch_estimates, prepare_data
from .specify import PLSModelError, design

__all__ = ["reliability", "indicator_reliability", "fornell_larcker", "htmt", "outer_vif", "inner_vif",
           "f_squared", "q_squared", "model_fit", "communality", "block_summary", "goodness_of_fit",
           "unidimensionality"]


def _indicator_corr(result: PLSResult, construct: str) -> tuple[list[str], np.ndarray]:
    """Indicators of a construct and their correlation matrix (items, or dimension scores)."""
    o = result.outer[(result.outer["construct"] == construct) & (result.outer["stage"] == 2)]
    ind = o["indicator"].tolist()
    if all(i in result.item_means.index for i in ind):
        cov = result.batch.cov_aug[0][:len(result.item_means), :len(result.item_means)]
        pos = [list(result.item_means.index).index(i) for i in ind]
        c = cov[np.ix_(pos, pos)]
    else:
        c = np.cov(result.scores[ind].to_numpy(), rowvar=False)
    sd = np.sqrt(np.diag(c))
    return ind, c / np.outer(sd, sd)


def _standardized_alpha(r: np.ndarray) -> float:
    k = len(r)
    if k < 2:
        return np.nan
    off = (r.sum() - k) / (k * (k - 1))
    return float(k * off / (1 + (k - 1) * off))


def reliability(result: PLSResult) -> pd.DataFrame:
    """Internal consistency and convergent validity of each construct (Hair et al. 2022, ch. 4).

    Returns a DataFrame (constructs as rows) with ``mode``, ``indicators``, ``alpha`` (Cronbach's α of
    the standardized indicators, as SmartPLS and seminr), ``rho_a`` (Dijkstra & Henseler 2015),
    ``rho_c`` = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) (Jöreskog 1971) and ``ave`` = Σλ²/k (Fornell & Larcker
    1981), from the (PLSc-corrected, if chosen) loadings. Formative constructs get NaN: these criteria
    presume reflective measurement (Hair et al. 2022, ch. 5). Thresholds: alpha, rho_A, rho_C ≥ .70
    (.60 in exploratory research) and ≤ .95; AVE ≥ .50.
    """
    rows = []
    for c in result.model.constructs:
        o = result.outer[(result.outer["construct"] == c) & (result.outer["stage"] == 2)]
        lam = o["loading"].to_numpy()
        mode = result.model.mode(c)
        k = len(lam)
        row = {"construct": c, "mode": mode, "indicators": k}
        if mode == "formative":
            row.update(alpha=np.nan, rho_a=np.nan, rho_c=np.nan, ave=np.nan)
        else:
            _, r = _indicator_corr(result, c)
            s = lam.sum()
            row.update(alpha=_standardized_alpha(r) if k > 1 else np.nan,
                       rho_a=float(result.rho_a[c]) if k > 1 else np.nan,
                       rho_c=float(s * s / (s * s + (1 - lam ** 2).sum())) if k > 1 else np.nan,
                       ave=float((lam ** 2).mean()) if k > 1 else np.nan)
        rows.append(row)
    return pd.DataFrame(rows).set_index("construct")


def indicator_reliability(result: PLSResult) -> pd.DataFrame:
    """Loading and indicator reliability λ² of every reflective indicator (≥ .708 → λ² ≥ .50; items
    with .40 ≤ λ < .70 are removed only if that raises AVE or rho_C above its threshold; Hair et al.
    2022, ch. 4)."""
    o = result.outer.copy()
    o = o[o["construct"].map(result.model.mode) == "reflective"]
    o["reliability"] = o["loading"] ** 2
    return o[["construct", "indicator", "stage", "loading", "reliability"]].reset_index(drop=True)


def fornell_larcker(result: PLSResult) -> pd.DataFrame:
    """Construct correlations below the diagonal and √AVE on it (Fornell & Larcker 1981).

    Discriminant validity holds when each √AVE exceeds the construct's correlations with all others.
    Henseler et al. (2015) show the criterion misses problems when loadings are similar; HTMT is the
    criterion to rely on (Hair et al. 2022, ch. 4).
    """
    rel = reliability(result)
    names = [c for c in result.model.constructs if c in result.correlations.index]
    c = result.correlations.loc[names, names].to_numpy().copy()
    c[np.triu_indices(len(names), 1)] = np.nan
    for i, n in enumerate(names):
        c[i, i] = np.sqrt(rel.loc[n, "ave"]) if n in rel.index else np.nan
    return pd.DataFrame(c, index=names, columns=names)


def htmt(result: PLSResult) -> pd.DataFrame:
    """Heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015) of the first-order constructs.

    HTMTᵢⱼ = mean |r| between the items of i and j / √(mean |r| within i · mean |r| within j). Values
    below .85 (conceptually distinct constructs) or .90 (similar ones) support discriminant validity;
    the bootstrap upper bound should also lie below the threshold (Franke & Sarstedt 2019).
    """
    items = list(result.item_means.index)
    cov = result.batch.cov_aug[:, :len(items), :len(items)]
    blocks = [np.array([items.index(i) for i in b.items]) for b in result.model.blocks]
    names = [b.name for b in result.model.blocks]
    h = htmt_batch(cov, blocks)[0]
    np.fill_diagonal(h, 1.0)
    return pd.DataFrame(h, index=names, columns=names)


def outer_vif(result: PLSResult) -> pd.DataFrame:
    """VIF of every indicator among the other indicators of its construct: VIFⱼ = (R⁻¹)ⱼⱼ.

    Relevant for formative constructs, where collinearity distorts the weights: VIF ≥ 5 signals a
    critical level, 3–5 a possible problem (Hair et al. 2022, ch. 5).
    """
    rows = []
    for c in result.model.constructs:
        ind, r = _indicator_corr(result, c)
        vif = np.diag(np.linalg.inv(r)) if len(ind) > 1 else np.array([1.0])
        rows += [{"construct": c, "indicator": i, "mode": result.model.mode(c), "vif": float(v)}
                 for i, v in zip(ind, vif)]
    return pd.DataFrame(rows)


def inner_vif(result: PLSResult) -> pd.DataFrame:
    """VIF of each antecedent of every endogenous construct, from the construct correlations
    (VIF ≥ 5 critical, 3–5 possible collinearity; Hair et al. 2022, ch. 6)."""
    rows = []
    c = result.correlations
    for dv in result.r2.index:
        pred = [a for a, b in result.model.paths if b == dv]
        inv = np.linalg.inv(c.loc[pred, pred].to_numpy()) if len(pred) > 1 else np.ones((1, 1))
        rows += [{"from": a, "to": dv, "vif": float(inv[i, i])} for i, a in enumerate(pred)]
    return pd.DataFrame(rows)


def _r2(c: np.ndarray, pred: list[int], dv: int) -> float:
    if not pred:
        return 0.0
    b = np.linalg.solve(c[np.ix_(pred, pred)], c[pred, dv])
    return float(b @ c[pred, dv])


def f_squared(result: PLSResult) -> pd.DataFrame:
    """Cohen's f² of every path: (R²_included − R²_excluded) / (1 − R²_included).

    R²_excluded comes from the same construct scores (correlations) without the antecedent — the
    computation SmartPLS uses (Hair et al. 2022, ch. 6), not a re-estimation of a different model.
    .02, .15, .35: small, medium, large effects (Cohen 1988).
    """
    c = result.correlations
    names = list(c.index)
    cm = c.to_numpy()
    rows = []
    for a, b in result.model.paths:
        pred = [names.index(x) for x, y in result.model.paths if y == b]
        dv = names.index(b)
        incl = _r2(cm, pred, dv)
        excl = _r2(cm, [p for p in pred if p != names.index(a)], dv)
        rows.append({"from": a, "to": b, "f2": (incl - excl) / (1 - incl)})
    return pd.DataFrame(rows)


def q_squared(data: pd.DataFrame, result: PLSResult, omission_distance: int = 7) -> pd.DataFrame:
    """Stone–Geisser Q² by blindfolding, cross-validated redundancy (Hair et al. 2017, ch. 6; Chin 1998).

    For each endogenous reflective (or single-item) construct, the data points of its standardized
    indicators are counted down the respondents of the first indicator, then of the next (so that, with
    n/D not an integer, each indicator loses different respondents in a round); in round d = 1..D every
    D-th point from the d-th on is omitted
    and replaced by the mean, the model is re-estimated, and each omitted point is predicted from the
    re-estimated model: x̂ = λ · Σ β Y (the construct's score predicted by its antecedents' scores,
    times the indicator's loading), back on the original standardized scale. Q² = 1 − SSE/SSO over all
    rounds, SSO the squared standardized values. Q² > 0 indicates predictive relevance (.25 and .50:
    medium and large). D must not divide n: with D = 7 and n divisible by 7, D = 8 is used.

    Returns
    -------
    DataFrame: ``construct``, ``sso``, ``sse``, ``q2``, ``omission_distance``
    """
    model, settings = result.model, result.settings
    arr = prepare_data(data, model)
    n, p = arr.shape
    d = omission_distance
    while n % d == 0:
        d += 1
    dsg = design(model)
    st = dsg.final
    pos = {c: i for i, c in enumerate(st.names)}
    z = (arr - arr.mean(axis=0)) / arr.std(axis=0)
    items = list(dsg.items)
    rows = []
    for target in result.r2.index:
        if model.mode(target) == "formative" or model.hoc(target) is not None:
            continue
        cols = [items.index(i) for i in model.block(target).items]
        k = len(cols)
        flat = np.arange(n * k).reshape(k, n).T  # counted down each indicator, then the next
        rounds = []
        masks = []
        for r in range(d):
            omit = (flat % d) == r
            x = z.copy()
            sub = x[:, cols]
            sub[omit] = 0.0
            x[:, cols] = sub
            rounds.append(x)
            masks.append(omit)
        covs = np.stack([np.cov(x, rowvar=False, bias=True) for x in rounds])
        sds = np.sqrt(np.einsum("bii->bi", covs))
        means = np.stack([x.mean(axis=0) for x in rounds])
        corr = covs / sds[:, :, None] / sds[:, None, :]
        est = batch_estimates(corr, n, dsg, settings)
        if not est.converged.all():
            raise PLSModelError(f"blindfolding for {target}: the PLS algorithm did not converge in one round")
        sse = sso = 0.0
        j = pos[target]
        pred = np.flatnonzero(st.adjacency[:, j])
        for r, x in enumerate(rounds):
            zr = (x - means[r]) / sds[r]
            scores = _aug_scores(zr, dsg, est, r) @ est.w_full[r]
            yhat = scores[:, pred] @ est.beta[r, pred, j]
            rows_t = np.flatnonzero(st.block == j)
            lam = est.loadings[r, rows_t]
            xhat = yhat[:, None] * lam[None, :] * sds[r, cols] + means[r, cols]
            om = masks[r]
            sse += float(((z[:, cols] - xhat)[om] ** 2).sum())
            sso += float((z[:, cols][om] ** 2).sum())
        rows.append({"construct": target, "sso": sso, "sse": sse, "q2": 1 - sse / sso, "omission_distance": d})
    return pd.DataFrame(rows, columns=["construct", "sso", "sse", "q2", "omission_distance"])


def _aug_scores(z: np.ndarray, dsg, est, r: int) -> np.ndarray:
    """Standardized items followed by the stage-1 dimension scores (two-stage HOCs) for batch entry r."""
    if dsg.stage1 is None:
        return z
    wd = np.zeros((z.shape[1], len(dsg.stage1_dims)))
    for j, k in enumerate(dsg.stage1_dims):
        rows = np.flatnonzero(dsg.stage1.block == k)
        wd[dsg.stage1.columns[rows], j] = est.stage1_weights[r, rows]
    return np.hstack([z, z @ wd])


def _implied_construct_corr(corr: np.ndarray, beta: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """Construct correlations implied by a recursive structural model with uncorrelated residuals:
    Φ = (I − Bᵀ)⁻¹ Ψ (I − Bᵀ)⁻ᵀ, Ψ = the observed correlations among exogenous constructs and 1 − R²
    for the residuals of endogenous ones."""
    k = len(corr)
    endo = beta.any(axis=0)
    psi = np.zeros((k, k))
    ex = ~endo
    psi[np.ix_(ex, ex)] = corr[np.ix_(ex, ex)]
    psi[endo, endo] = 1 - r2[endo]
    a = np.linalg.inv(np.eye(k) - beta.T)
    return a @ psi @ a.T


def model_fit(result: PLSResult) -> pd.DataFrame:
    """SRMR and NFI of the saturated and the estimated model (Henseler et al. 2014; Hair et al. 2022, ch. 6).

    Model-implied indicator correlations (the composite model of Dijkstra & Henseler 2015, as R cSEM):
    between blocks i ≠ j, Σᵢⱼ = λᵢ ρᵢⱼ λⱼᵀ with λ the loadings (composite loadings, or PLSc loadings for
    reflective constructs under PLSc) and ρ the construct correlations; within a composite's block the
    observed correlations, within a PLSc common factor's block λλᵀ with unit diagonal. *Saturated*: ρ
    the construct correlations; *estimated*: ρ implied by the path model.

    SRMR = √(mean over i ≤ j of (rᵢⱼ − σᵢⱼ)²); NFI = 1 − χ²/χ²_null with χ² = (n − 1) F_ML(R, Σ) and the
    null model Σ = I. SRMR < .08 (Henseler et al. 2016). Hair et al. (2022, ch. 6) caution that these
    criteria are of limited use for PLS-SEM, which maximizes explained variance rather than fit.
    """
    est = result.batch
    st = est.design.final
    cov = est.cov_aug[0][np.ix_(st.columns, st.columns)]
    sd = np.sqrt(np.diag(cov))
    r = cov / np.outer(sd, sd)
    lam = est.loadings[0]
    corr = est.corr[0]
    factor = st.reflective & result.settings.consistent
    rows = []
    for kind in ("saturated", "estimated"):
        rho = corr if kind == "saturated" else _implied_construct_corr(corr, est.beta[0], est.r2[0])
        sigma = np.zeros_like(r)
        for i in range(len(st.names)):
            ii = np.flatnonzero(st.block == i)
            for j in range(len(st.names)):
                jj = np.flatnonzero(st.block == j)
                if i == j:
                    sigma[np.ix_(ii, ii)] = np.outer(lam[ii], lam[ii]) if factor[i] else r[np.ix_(ii, ii)]
                else:
                    sigma[np.ix_(ii, jj)] = np.outer(lam[ii], lam[jj]) * rho[i, j]
        np.fill_diagonal(sigma, 1.0)
        tri = np.tril_indices(len(r))
        srmr = float(np.sqrt(((r - sigma)[tri] ** 2).mean()))
        p = len(r)
        n = result.n

        def fml(s, sig):
            sign, logdet = np.linalg.slogdet(sig)
            if sign <= 0:
                return np.nan
            return logdet + np.trace(s @ np.linalg.inv(sig)) - np.linalg.slogdet(s)[1] - p

        chi2 = (n - 1) * fml(r, sigma)
        chi2_null = (n - 1) * fml(r, np.eye(p))
        rows.append({"model": kind, "srmr": srmr, "chi2": chi2, "nfi": 1 - chi2 / chi2_null})
    return pd.DataFrame(rows).set_index("model")


# --- the block summaries of R plspm (Tenenhaus et al. 2005) ----------------------------------------

def communality(result: PLSResult) -> pd.DataFrame:
    """Outer model as R plspm prints it: weight, loading, communality λ², redundancy λ²·R²."""
    o = result.outer[result.outer["stage"] == 2].copy()
    r2 = result.r2["r2"]
    o["communality"] = o["loading"] ** 2
    o["redundancy"] = o["communality"] * o["construct"].map(lambda c: r2.get(c, 0.0))
    return o.drop(columns="stage").reset_index(drop=True)


def block_summary(result: PLSResult) -> pd.DataFrame:
    """Per construct: R², block communality (mean λ²), mean redundancy and AVE, as plspm's
    ``inner_summary`` (AVE NaN for formative blocks)."""
    o = communality(result)
    g = o.groupby("construct", sort=False)
    out = pd.DataFrame({"r2": [result.r2["r2"].get(c, 0.0) for c in g.groups],
                        "block_communality": g["communality"].mean(),
                        "mean_redundancy": g["redundancy"].mean()})
    out["ave"] = [out.loc[c, "block_communality"] if result.model.mode(c) == "reflective" else np.nan
                  for c in out.index]
    return out.loc[[c for c in result.model.constructs if c in out.index]]


def goodness_of_fit(result: PLSResult) -> float:
    """GoF = √(mean communality of the multi-item blocks, weighted by their size × mean R²)
    (Tenenhaus et al. 2005). Not a fit index (Henseler & Sarstedt 2013): printed for comparison only."""
    o = communality(result)
    multi = o.groupby("construct")["indicator"].transform("size") > 1
    return float(np.sqrt(o.loc[multi, "communality"].mean() * result.r2["r2"].mean()))


def unidimensionality(result: PLSResult) -> pd.DataFrame:
    """Per first-order block: Cronbach's α (standardized), Dillon–Goldstein's ρ and the first two
    eigenvalues of the items' correlation matrix, as plspm's ``unidim`` (α and ρ 0 for mode B).

    Dillon–Goldstein's ρ = (Σrᵢ)² / ((Σrᵢ)² + Σ(1 − rᵢ²)) with rᵢ the correlation of item i with the
    block's first principal component.
    """
    rows = []
    items = list(result.item_means.index)
    cov = result.batch.cov_aug[0][:len(items), :len(items)]
    for b in result.model.blocks:
        idx = [items.index(i) for i in b.items]
        c = cov[np.ix_(idx, idx)]
        sd = np.sqrt(np.diag(c))
        r = c / np.outer(sd, sd)
        k = len(idx)
        if k == 1:
            rows.append({"construct": b.name, "mode": b.mode, "items": 1, "alpha": 1.0, "dg_rho": 1.0,
                         "eig_1st": 1.0, "eig_2nd": 0.0})
            continue
        vals, vecs = np.linalg.eigh(r)
        vals, vecs = vals[::-1], vecs[:, ::-1]
        load = vecs[:, 0] * np.sqrt(vals[0])  # correlations of the items with the first component
        s = np.abs(load.sum())
        dg = s * s / (s * s + (1 - load ** 2).sum())
        alpha = _standardized_alpha(r)
        reflective = b.mode == "reflective"
        rows.append({"construct": b.name, "mode": b.mode, "items": k, "alpha": max(alpha, 0.0) if reflective else 0.0,
                     "dg_rho": dg if reflective else 0.0, "eig_1st": vals[0], "eig_2nd": vals[1]})
    return pd.DataFrame(rows).set_index("construct")

