"""Importance and performance of the constructs of a PLS model, for the importance–performance map.

Ringle & Sarstedt (2016); Hair et al. (2018, *Advanced Issues in PLS-SEM*, ch. 2): items are rescaled
to 0–100 with the answer scale's ends, x' = 100 (x − min)/(max − min); a construct's *performance* is
the mean of its rescaled score Σ w̃ᵢ x'ᵢ, with the unstandardized outer weights rescaled to sum to 1
(w̃ᵢ = (wᵢ/sᵢ) / Σⱼ (wⱼ/sⱼ), wᵢ the weight of the standardized item, sᵢ its SD); its *importance* is
its unstandardized total effect on the target construct in the regressions of the rescaled scores
(βᵘ = β · SD(target)/SD(antecedent), totals (I − Bᵘ)⁻¹ − I).

The map itself (quadrants at the mean importance and mean performance) is the project's one IPMA
definition, shared with the covariance-based chapter; this module only supplies the PLS inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .estimate import PLSResult

__all__ = ["PLSImportancePerformance", "importance_performance"]


@dataclass(frozen=True)
class PLSImportancePerformance:
    """Inputs of the IPMA for one target construct.

    Attributes
    ----------
    target : str
    importance : Series
        Unstandardized total effect of each construct with an effect on the target (0–100 metric).
    performance : Series
        Mean rescaled score (0–100) of every construct.
    rescaled_weights : DataFrame
        ``construct``, ``indicator``, ``weight`` (w̃, summing to 1 per construct).
    negative_weights : list of str
        Indicators with a negative weight: the map presumes all weights positive (Hair et al. 2018).
    """

    target: str
    importance: pd.Series
    performance: pd.Series
    rescaled_weights: pd.DataFrame
    negative_weights: list[str]


def importance_performance(result: PLSResult, data: pd.DataFrame, target: str, low: float,
                           high: float) -> PLSImportancePerformance:
    """Importance (unstandardized total effects) and performance (0–100) for the IPMA of ``target``.

    Parameters
    ----------
    result : PLSResult
    data : DataFrame
        The answers the model was estimated on.
    target : str
        The construct whose drivers are mapped (usually the final outcome, e.g. loyalty).
    low, high : float
        The answer scale's minimum and maximum (e.g. 1 and 5).
    """
    model = result.model
    if model.higher_order:
        raise ValueError("the IPMA of a model with higher-order constructs is not available")
    rows, negative = [], []
    perf = {}
    scores = {}
    for b in model.blocks:
        w = result.weights(b.name).to_numpy()
        unstd = w if not result.settings.scaled else w / result.item_sds[list(b.items)].to_numpy()
        tilde = unstd / unstd.sum()
        negative += [i for i, v in zip(b.items, w) if v < 0]
        rescaled = 100 * (data[list(b.items)].to_numpy(dtype=float) - low) / (high - low)
        s = rescaled @ tilde
        scores[b.name] = s
        perf[b.name] = float(s.mean())
        rows += [{"construct": b.name, "indicator": i, "weight": float(t)} for i, t in zip(b.items, tilde)]
    names = list(result.batch.design.final.names)
    sd = np.array([np.std(scores[c], ddof=1) for c in names])
    beta = result.batch.beta[0] * sd[None, :] / sd[:, None]
    total = np.linalg.inv(np.eye(len(names)) - beta) - np.eye(len(names))
    j = names.index(target)
    imp = {c: float(total[i, j]) for i, c in enumerate(names) if c != target and abs(total[i, j]) > 1e-12}
    return PLSImportancePerformance(target=target, importance=pd.Series(imp, name="importance"),
                                    performance=pd.Series(perf, name="performance"),
                                    rescaled_weights=pd.DataFrame(rows), negative_weights=negative)
