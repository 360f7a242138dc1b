"""PLSpredict: out-of-sample predictive power (Shmueli et al. 2016, 2019; Hair et al. 2022, ch. 6).

k-fold cross-validation, repeated r times: each fold is predicted by the model estimated on the
other folds. With the training sample's weights, the held-out respondents' composite scores are
computed; the scores of the endogenous constructs are predicted through the path model (*earliest
antecedents*: from the exogenous constructs only, as Shmueli et al. 2016; or *direct antecedents*,
Danks 2021), and each endogenous indicator as x̂ = mean + sd · λ · Ŷ (training mean, SD and loading).
The benchmarks are the training mean (for Q²_predict) and a linear regression of each endogenous
indicator on the indicators of the exogenous constructs (LM). A respondent's prediction is the mean
over the r repetitions (as R cSEM's ``predict``).

All k × r training samples are estimated at once (:func:`study.pls.estimate.batch_estimates`), and
the LM benchmark comes from the same training covariance matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from . import engine
from .estimate import PLSResult, batch_estimates, prepare_data
from .specify import PLSModelError, design, ordered_constructs

__all__ = ["PLSPredict", "plspredict", "fold_assignment", "predictive_power"]


def fold_assignment(n: int, folds: int, order: np.ndarray) -> np.ndarray:
    """Fold (0-based) of each respondent: contiguous blocks of the shuffled ``order``, block sizes as
    R's ``cut(seq_len(n), breaks = folds)`` (seminr, cSEM)."""
    pos = np.arange(1, n + 1)
    breaks = 1 + np.arange(folds + 1) * (n - 1) / folds
    breaks[0] -= (n - 1) / 1000
    breaks[-1] += (n - 1) / 1000
    f_of_pos = np.searchsorted(breaks, pos, side="left") - 1
    out = np.empty(n, dtype=int)
    out[order] = f_of_pos
    return out


@dataclass(frozen=True)
class PLSPredict:
    """Out-of-sample predictions and their summary.

    Attributes
    ----------
    items : DataFrame
        Per endogenous indicator: ``construct``, ``indicator``, ``q2_predict``, ``pls_rmse``,
        ``pls_mae``, ``lm_rmse``, ``lm_mae``, ``error_skewness`` (of the PLS prediction errors).
    verdict : DataFrame
        Per endogenous construct: the predictive power of Shmueli et al. (2019): ``none`` (some
        Q²_predict ≤ 0 or no indicator better than LM), ``low`` (a minority), ``medium`` (a majority),
        ``high`` (all), with ``metric`` (RMSE, or MAE when the errors are highly skewed, |skew| > 1)
        and ``better`` (indicators with a lower PLS than LM error).
    pls, lm : DataFrame (n x endogenous indicators)
        Predictions averaged over the repetitions.
    """

    items: pd.DataFrame
    verdict: pd.DataFrame
    pls: pd.DataFrame = field(repr=False)
    lm: pd.DataFrame = field(repr=False)
    folds: int = 10
    repetitions: int = 10
    technique: str = "earliest"


def _predict_fold(z_test: np.ndarray, w: np.ndarray, beta: np.ndarray, order: list[int], exo: list[int],
                  technique: str) -> np.ndarray:
    scores = z_test @ w
    pred = scores.copy()
    if technique == "earliest":
        for j in order:
            if j not in exo:
                pred[:, j] = pred @ beta[:, j]
    else:
        for j in order:
            if j not in exo:
                pred[:, j] = scores @ beta[:, j]
    return pred


def plspredict(data: pd.DataFrame, result: PLSResult, folds: int = 10, repetitions: int = 10, seed: int = 1,
               technique: Literal["earliest", "direct"] = "earliest", orders: list[np.ndarray] | None = None
               ) -> PLSPredict:
    """PLSpredict with k folds and r repetitions (defaults 10 × 10, as SmartPLS).

    Parameters
    ----------
    data : DataFrame
        The data the model was estimated on.
    result : PLSResult
        The full-sample estimate (gives the model and the settings).
    folds, repetitions, seed
        Fold assignment: for each repetition a random permutation of the respondents (seeded), cut
        into ``folds`` contiguous blocks.
    technique : {"earliest", "direct"}
        Predict endogenous scores from the exogenous constructs only (earliest antecedents,
        Shmueli et al. 2016) or from the direct antecedents' scores (Danks 2021).
    orders : list of ndarray, optional
        The permutations to use instead of random ones (one per repetition).

    Returns
    -------
    PLSPredict
    """
    model, settings = result.model, result.settings
    if model.higher_order:
        raise PLSModelError("PLSpredict has no published procedure for higher-order constructs; it is skipped")
    arr = prepare_data(data, model)
    n, p = arr.shape
    if not 2 <= folds <= n:
        raise PLSModelError(f"PLSpredict needs between 2 and {n} folds")
    dsg = design(model)
    st = dsg.final
    names = list(st.names)
    pos = {c: i for i, c in enumerate(names)}
    causal = [pos[c] for c in ordered_constructs(model)]
    exo = [j for j in causal if not st.adjacency[:, j].any()]
    endo = [j for j in causal if st.adjacency[:, j].any()]
    items = list(dsg.items)
    endo_items = [(names[j], i) for j in endo for i in model.block(names[j]).items]
    endo_cols = np.array([items.index(i) for _, i in endo_items])
    exo_cols = np.array([items.index(i) for j in exo for i in model.block(names[j]).items])

    rng = np.random.default_rng(seed)
    if orders is None:
        orders = [rng.permutation(n) for _ in range(repetitions)]
    repetitions = len(orders)
    assign = np.stack([fold_assignment(n, folds, o) for o in orders])  # (r, n)
    train = np.concatenate([(assign[r] != f)[None, :] for r in range(repetitions) for f in range(folds)]).astype(float)
    xc0 = arr - arr.mean(axis=0)
    means, cov = engine.moments(xc0, train)
    means = means + arr.mean(axis=0)
    sd = np.sqrt(np.einsum("bii->bi", cov))
    s = cov / sd[:, :, None] / sd[:, None, :] if settings.scaled else cov
    est = batch_estimates(s, train.sum(axis=1), dsg, settings)
    if not est.converged.all():
        raise PLSModelError("PLSpredict: the PLS algorithm did not converge in a training sample")
    pls = np.zeros((repetitions, n, len(endo_items)))
    lm = np.zeros_like(pls)
    naive = np.zeros_like(pls)
    for b in range(repetitions * folds):
        r, f = divmod(b, folds)
        test = assign[r] == f
        z = (arr[test] - means[b]) / (sd[b] if settings.scaled else 1.0)
        pred = _predict_fold(z, est.w_full[b], est.beta[b], causal, exo, technique)
        for k, (c, item) in enumerate(endo_items):
            j = pos[c]
            e = np.flatnonzero((st.block == j) & (np.array(st.labels) == item))[0]
            col = items.index(item)
            pls[r, test, k] = means[b, col] + sd[b, col] * est.loadings[b, e] * pred[:, j]
        # LM benchmark from the training moments: regression of each endogenous item on the
        # exogenous constructs' items (earliest) or on its construct's antecedents' items (direct)
        for k, (c, item) in enumerate(endo_items):
            col = items.index(item)
            if technique == "earliest":
                xcols = exo_cols
            else:
                ants = [names[a] for a in np.flatnonzero(st.adjacency[:, pos[c]])]
                xcols = np.array([items.index(i) for a in ants for i in model.block(a).items])
            bcoef = np.linalg.solve(cov[b][np.ix_(xcols, xcols)], cov[b][xcols, col])
            lm[r, test, k] = means[b, col] + (arr[test][:, xcols] - means[b, xcols]) @ bcoef
            naive[r, test, k] = means[b, col]
    actual = arr[:, endo_cols]
    pls_m, lm_m, naive_m = pls.mean(axis=0), lm.mean(axis=0), naive.mean(axis=0)
    err = actual - pls_m
    lerr = actual - lm_m
    rows = []
    for k, (c, item) in enumerate(endo_items):
        rows.append({"construct": c, "indicator": item,
                     "q2_predict": 1 - (err[:, k] ** 2).sum() / ((actual[:, k] - naive_m[:, k]) ** 2).sum(),
                     "pls_rmse": np.sqrt((err[:, k] ** 2).mean()), "pls_mae": np.abs(err[:, k]).mean(),
                     "lm_rmse": np.sqrt((lerr[:, k] ** 2).mean()), "lm_mae": np.abs(lerr[:, k]).mean(),
                     "error_skewness": float(stats.skew(err[:, k], bias=False))})
    table = pd.DataFrame(rows)
    cols = [i for _, i in endo_items]
    return PLSPredict(items=table, verdict=predictive_power(table),
                      pls=pd.DataFrame(pls_m, index=data.index, columns=cols),
                      lm=pd.DataFrame(lm_m, index=data.index, columns=cols),
                      folds=folds, repetitions=repetitions, technique=technique)


def predictive_power(items: pd.DataFrame) -> pd.DataFrame:
    """Shmueli et al. (2019) verdict per construct from its indicators' PLS and LM errors.

    Q²_predict ≤ 0 for an indicator → the model lacks predictive power for it. Otherwise compare PLS
    with LM on RMSE, or on MAE when the PLS prediction errors are highly non-symmetric (|skewness| > 1):
    none better → no, a minority → low, a majority → medium, all → high predictive power.
    """
    rows = []
    for c, g in items.groupby("construct", sort=False):
        metric = "mae" if (g["error_skewness"].abs() > 1).any() else "rmse"
        better = int((g[f"pls_{metric}"] < g[f"lm_{metric}"]).sum())
        k = len(g)
        if (g["q2_predict"] <= 0).any() or better == 0:
            level = "none"
        elif better == k:
            level = "high"
        elif better > k / 2:
            level = "medium"
        else:
            level = "low"
        rows.append({"construct": c, "indicators": k, "metric": metric, "better": better,
                     "q2_predict_min": float(g["q2_predict"].min()), "power": level})
    return pd.DataFrame(rows).set_index("construct")
