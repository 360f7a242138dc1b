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


def rescale(mean: float, low: float, high: float) -> float:
    """A mean on the [low, high] answer scale as 0–100: 100 (mean − low)/(high − low)."""
    return 100.0 * (mean - low) / (high - low)


def ipma(study: Study, scores: pd.DataFrame, total_effects: dict[str, dict[str, float]],
         outcome: str | None = None) -> IPMA:
    """Importance–performance map of the constructs that act on the outcome.

    Importance is the total standardized effect on ``outcome`` (``res.effects["total"][outcome]``),
    performance the construct's mean score rescaled to 0–100. The quadrants are cut at the mean
    importance and the mean performance of the constructs shown (Martilla & James 1977; Ringle &
    Sarstedt 2016): high importance and low performance = "concentrate here", high/high = "keep up the
    good work", low/low = "low priority", low importance and high performance = "possible overkill".
    """
    outcome = outcome or outcome_construct(study)
    effects = total_effects.get(outcome, {})
    codes = [c for c in study.structural_constructs if c != outcome and abs(effects.get(c, 0.0)) > 1e-12]
    imp = {c: float(effects[c]) for c in codes}
    perf = {c: rescale(float(scores[c].mean()), study.scale.min, study.scale.max) for c in codes}
    icut = float(np.mean(list(imp.values()))) if codes else 0.0
    pcut = float(np.mean(list(perf.values()))) if codes else 0.0
    points = []
    for c in codes:
        high_i, high_p = imp[c] >= icut, perf[c] >= pcut
        quadrant = ("keep" if high_p else "concentrate") if high_i else ("overkill" if high_p else "low")
        points.append(IPMAPoint(code=c, importance=imp[c], performance=perf[c], quadrant=quadrant))
    return IPMA(outcome=outcome, points=points, importance_cut=icut, performance_cut=pcut)


def response_distribution(items: pd.DataFrame, low: int, high: int) -> pd.DataFrame:
    """Share (0–1) of the answers at each scale point, items x points (low..high)."""
    points = list(range(low, high + 1))
    out = {}
    for code in items.columns:
        counts = items[code].round().value_counts()
        total = counts.sum()
        out[code] = [float(counts.get(p, 0)) / total if total else 0.0 for p in points]
    return pd.DataFrame.from_dict(out, orient="index", columns=points)
