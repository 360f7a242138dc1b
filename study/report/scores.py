"""Construct scores for the report: mean scores, their correlations, and the importance–performance map.

Pure functions of the analysed answers (``res.data.items``), the study definition and the standardized
effects; nothing here reads a file or keeps a respondent's answers beyond the returned aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..questionnaire import Study


def construct_items(study: Study, code: str) -> list[str]:
    """Item codes of a construct; a second-order construct's are its dimensions' items."""
    c = study.construct(code)
    if c.items:
        return [i.code for i in c.items]
    return [i.code for d in c.dimensions for i in study.construct(d).items]


def construct_scores(items: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Mean score of every construct per respondent (the unweighted mean of its items, reverse-coded
    items already recoded); a second-order construct's score is the mean of all its dimensions' items.

    Returns respondents x constructs, in the study's order (first-order constructs, then second-order).
    """
    order = [c.code for c in study.first_order] + [c.code for c in study.second_order]
    return pd.DataFrame({code: items[construct_items(study, code)].astype(float).mean(axis=1) for code in order},
                        index=items.index)


@dataclass(frozen=True)
class ScoreSummary:
    """Means, SDs and Pearson correlations (with two-sided p-values) of the construct scores."""

    n: int
    mean: pd.Series
    sd: pd.Series  # divisor n − 1
    r: pd.DataFrame
    p: pd.DataFrame


def score_summary(scores: pd.DataFrame) -> ScoreSummary:
    """Descriptives and correlation matrix of construct scores; p from t = r√((n−2)/(1−r²)), df = n − 2."""
    n = len(scores)
    r = scores.corr()
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r.to_numpy() * np.sqrt((n - 2) / np.clip(1 - r.to_numpy() ** 2, 1e-300, None))
    pv = 2 * stats.t.sf(np.abs(t), n - 2)
    np.fill_diagonal(pv, 0.0)
    p = pd.DataFrame(pv, index=r.index, columns=r.columns)
    return ScoreSummary(n=n, mean=scores.mean(), sd=scores.std(ddof=1), r=r, p=p)


def outcome_construct(study: Study) -> str:
    """The final outcome of the structural model: the construct with no outgoing path (the last such
    in the study's order when there are several)."""
    codes = study.structural_constructs
    senders = {h.from_ for h in study.model.hypotheses}
    receivers = {h.to for h in study.model.hypotheses}
    ends = [c for c in codes if c not in senders and c in receivers]
    return ends[-1] if ends else codes[-1]


@dataclass(frozen=True)
class IPMAPoint:
    code: str
    importance: float  # total standardized effect on the outcome
    performance: float  # construct mean rescaled to 0-100 from the scale's min and max
    quadrant: str  # "concentrate" | "keep" | "low" | "overkill"


@dataclass(frozen=True)
class IPMA:
    outcome: str
    points: list[IPMAPoint]
    importance_cut: float  # mean importance
    performance_cut: float  # mean performance
    equal_importance: bool = False  # importance differs by less than EQUAL_IMPORTANCE: quadrants by performance


EQUAL_IMPORTANCE = 0.10  # importance spread below 10 % of its mean: the points matter about equally


def rescale(mean: float, low: float, high: float) -> float:
    """A mean on the [low, high] answer scale as 0–100: 100 (mean − low)/(high − low)."""
    return 100.0 * (mean - low) / (high - low)


def ipma(study: Study, scores: pd.DataFrame, total_effects: dict[str, dict[str, float]],
         outcome: str | None = None) -> IPMA:
    """Importance–performance map of the constructs that act on the outcome (covariance-based SEM).

    Importance is the total standardized effect on ``outcome`` (``res.effects["total"][outcome]``),
    performance the construct's mean score rescaled to 0–100; the map is :func:`ipma_map`. (PLS-SEM
    supplies its own importance and performance: :func:`study.pls.importance_performance`.)
    """
    outcome = outcome or outcome_construct(study)
    effects = total_effects.get(outcome, {})
    codes = [c for c in study.structural_constructs if c != outcome and abs(effects.get(c, 0.0)) > 1e-12]
    imp = {c: float(effects[c]) for c in codes}
    perf = {c: rescale(float(scores[c].mean()), study.scale.min, study.scale.max) for c in codes}
    return ipma_map(outcome, imp, perf)


def ipma_map(outcome: str, importance: dict[str, float], performance: dict[str, float]) -> IPMA:
    """The importance–performance map: one definition for both methods.

    The quadrants are cut at the mean importance and the mean performance of the constructs shown
    (Martilla & James 1977; Ringle & Sarstedt 2016): high importance and low performance = "concentrate
    here", high/high = "keep up the good work", low/low = "low priority", low importance and high
    performance = "possible overkill". When importance differs by less than 10 % of its mean, all points count
    as important and only performance separates them. ``importance`` lists the constructs shown (in order).
    """
    codes = list(importance)
    imp = {c: float(importance[c]) for c in codes}
    perf = {c: float(performance[c]) for c in codes}
    icut = float(np.mean(list(imp.values()))) if codes else 0.0
    pcut = float(np.mean(list(perf.values()))) if codes else 0.0
    # When importance hardly differs, cutting at its mean splits noise: every point then counts as important
    # and only performance places it (below the mean: concentrate here; above: keep up the good work).
    equal = bool(codes) and icut != 0 and (max(imp.values()) - min(imp.values())) / abs(icut) < EQUAL_IMPORTANCE
    points = []
    for c in codes:
        high_i, high_p = (True if equal else imp[c] >= icut), perf[c] >= pcut
        quadrant = ("keep" if high_p else "concentrate") if high_i else ("overkill" if high_p else "low")
        points.append(IPMAPoint(code=c, importance=imp[c], performance=perf[c], quadrant=quadrant))
    return IPMA(outcome=outcome, points=points, importance_cut=icut, performance_cut=pcut, equal_importance=equal)


def response_distribution(items: pd.DataFrame, low: int, high: int) -> pd.DataFrame:
    """Share (0–1) of the answers at each scale point, items x points (low..high)."""
    points = list(range(low, high + 1))
    out = {}
    for code in items.columns:
        counts = items[code].round().value_counts()
        total = counts.sum()
        out[code] = [float(counts.get(p, 0)) / total if total else 0.0 for p in points]
    return pd.DataFrame.from_dict(out, orient="index", columns=points)


# --------------------------------------------------------------------------------------------- drivers

def driver_constructs(study: Study) -> list[str]:
    """The structural constructs no hypothesis points to: the levers management acts on (outcomes such as
    satisfaction or loyalty are results, not levers)."""
    receivers = {h.to for h in study.model.hypotheses}
    return [c for c in study.structural_constructs if c not in receivers]


def item_weights(sem, construct: str, items: list[str]) -> pd.Series:
    """Regression weights of a construct's items for the construct (factor-score weights from the fitted
    model, w = Σₓₓ⁻¹ Cov(x, η)), rescaled to sum to 1 — the covariance-based counterpart of the rescaled outer
    weights of PLS importance-performance analysis (Ringle & Sarstedt 2016)."""
    beta, lam, psi, _ = sem.matrices()
    observed, latent = list(sem.structure.observed), list(sem.structure.latent)
    m = len(latent)
    inv = np.linalg.inv(np.eye(m) - beta)
    cov_eta = inv @ psi @ inv.T
    sigma = sem.sigma
    idx = [observed.index(i) for i in items]
    cov_x_eta = (lam @ cov_eta)[idx, latent.index(construct)]
    w = np.linalg.solve(sigma[np.ix_(idx, idx)], cov_x_eta)
    return pd.Series(w / w.sum(), index=items)


def driver_ipma(study: Study, sem, items: pd.DataFrame, total_effects: dict[str, dict[str, float]],
                outcome: str | None = None) -> dict[str, IPMA]:
    """Importance–performance maps of the drivers of ``outcome`` at up to three levels.

    ``"construct"``: the driver constructs (:func:`driver_constructs`), importance = their total standardized
    effect on the outcome. ``"dimension"``: the dimensions of second-order drivers, importance = the
    dimension's share of its construct's item weights (:func:`item_weights`) × the construct's total effect.
    ``"item"``: every item of the drivers, importance = its weight × its construct's total effect — with a
    dimension map, only the items of those dimensions, so that the item map details the main map's points.
    Performance is the mean answer rescaled to 0–100; quadrants are cut at the means of each map's points.
    A level is present when it has at least two points.
    """
    outcome = outcome or outcome_construct(study)
    effects = total_effects.get(outcome, {})
    drivers = [c for c in driver_constructs(study) if abs(effects.get(c, 0.0)) > 1e-12]
    low, high = study.scale.min, study.scale.max
    maps: dict[str, IPMA] = {}

    def build(points: dict[str, tuple[float, float]]) -> IPMA:
        return ipma_map(outcome, {c: v[0] for c, v in points.items()}, {c: v[1] for c, v in points.items()})

    if len(drivers) >= 2:
        maps["construct"] = build({c: (float(effects[c]), rescale(float(items[construct_items(study, c)].mean(axis=1)
                                                                                  .mean()), low, high))
                                   for c in drivers})
    dims, item_points = {}, {}
    for c in drivers:
        codes = construct_items(study, c)
        w = item_weights(sem, c, codes)
        for i in codes:
            item_points[i] = (float(w[i] * effects[c]), rescale(float(items[i].mean()), low, high))
        for d in study.construct(c).dimensions:
            d_items = [i.code for i in study.construct(d).items]
            dims[d] = (float(w[d_items].sum() * effects[c]),
                       rescale(float(items[d_items].mean(axis=1).mean()), low, high))
    if len(dims) >= 2:
        maps["dimension"] = build(dims)
        in_dims = {i.code for d in dims for i in study.construct(d).items}
        item_points = {i: v for i, v in item_points.items() if i in in_dims}
    if len(item_points) >= 2:
        maps["item"] = build(item_points)
    return maps


def top_box(items: pd.DataFrame, high: int, boxes: int = 2) -> pd.Series:
    """Share (0–1) of the answers in the top ``boxes`` scale points, per item ("top-2-box")."""
    return (items.round() > high - boxes).where(items.notna()).mean()
