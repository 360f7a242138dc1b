"""The measurement chapter — reliability and validity of every construct.

Collects the statistics of :mod:`study.measurement` for the study's constructs and combines them
with the confirmatory factor analysis (the measurement model), which the pipeline fits with the SEM
engine of :mod:`study.model` and passes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import measurement as m
from ..questionnaire import Study
from ..threads import one_blas_thread

if TYPE_CHECKING:  # the fitted CFA is passed in; the measurement stage does not fit models itself
    from ..model.estimate import FittedModel


HTMT_RESAMPLES = 1000


@dataclass(frozen=True)
class ConstructReliability:
    code: str
    items: list[str]  # item codes, or dimension codes for a second-order construct
    alpha: float
    alpha_ci: m.AlphaCI  # Feldt's 95 % interval
    std_alpha: float
    omega: float  # McDonald's omega from the CFA (semTools compRelSEM); NaN for second-order constructs
    cr: float
    ave: float
    loadings: dict[str, float]  # standardized loadings
    item_total: pd.DataFrame | None  # citc and alpha_if_deleted per item (None for 2-item scales)
    second_order: bool = False


@dataclass(frozen=True)
class MeasurementChapter:
    items: pd.DataFrame  # item descriptives
    constructs: dict[str, ConstructReliability]
    kmo: m.KMOResult
    bartlett: m.BartlettResult
    mardia: m.MardiaResult
    parallel: m.ParallelAnalysisResult
    efa: m.EFAResult  # as many factors as first-order constructs
    efa_flags: pd.DataFrame  # cross-loadings and weak primary loadings of the EFA
    harman_share: float
    htmt: pd.DataFrame
    htmt_ci: pd.DataFrame  # per pair: a, b, htmt, ci_lower, ci_upper (percentile bootstrap, 1000 resamples)
    latent_correlations: pd.DataFrame | None  # None without a CFA (PLS-SEM studies)
    fornell_larcker: pd.DataFrame | None


def _item_total(block: pd.DataFrame) -> pd.DataFrame | None:
    """CITC and alpha if deleted; with two items the CITC is their correlation and alpha if deleted is
    undefined (one item left), as the item analysis computes it."""
    if block.shape[1] >= 3:
        return m.item_total(block)
    if block.shape[1] == 2:
        r = float(np.corrcoef(block.to_numpy(dtype=float), rowvar=False)[0, 1])
        return pd.DataFrame({"citc": [r, r], "alpha_if_deleted": [np.nan, np.nan]}, index=block.columns)
    return None


@one_blas_thread
def measurement_chapter(study: Study, items: pd.DataFrame, cfa: FittedModel | None, sem: FittedModel | None, *,
                        seed: int = 1) -> MeasurementChapter:
    """Reliability and validity of the study's constructs.

    Parameters
    ----------
    study : Study
    items : DataFrame
        Analysed responses, one column per item code (reverse-coded).
    cfa : FittedModel or None
        The measurement model (first-order constructs, all correlated). None for a PLS-SEM study, whose
        loadings, composite reliability and AVE come from the PLS model: omega, CR, AVE and the latent
        correlations are then left undefined (NaN, None) rather than taken from a model not reported.
    sem : FittedModel or None
        The structural model; gives the loadings of second-order constructs on their dimensions.
    """
    if cfa is None:
        return _item_level_chapter(study, items, seed)
    data = items
    loadings = cfa.loadings()
    table = cfa.estimates
    residual = table[(table["op"] == "~~") & (table["lhs"] == table["rhs"])].set_index("lhs")["est"]
    observed = pd.DataFrame(cfa.sample_cov, index=cfa.structure.observed, columns=cfa.structure.observed)
    constructs: dict[str, ConstructReliability] = {}
    for c in study.first_order:
        codes = [i.code for i in c.items]
        block = data[codes]
        lam = loadings[loadings["lhs"] == c.code].set_index("rhs")["std_all"]
        std = {code: float(lam[code]) for code in codes}
        raw = loadings[loadings["lhs"] == c.code].set_index("rhs")["est"]
        try:
            omega = m.omega_from_loadings(raw[codes], residual[codes], factor_variance=float(residual[c.code]),
                                          observed_cov=observed.loc[codes, codes], name=c.code)
        except ValueError:  # a Heywood case (negative residual variance): omega is undefined, as CR; the
            omega = float("nan")  # negative variance is among the model's warnings already
        constructs[c.code] = ConstructReliability(
            code=c.code, items=codes, alpha=m.cronbach_alpha(block), alpha_ci=m.alpha_ci(block), omega=omega,
            std_alpha=m.standardized_alpha(block),
            cr=_safe(m.composite_reliability, std), ave=_safe(m.average_variance_extracted, std),
            loadings=std, item_total=_item_total(block))
    second = sem.loadings()
    for c in study.second_order:
        codes = [i.code for d in c.dimensions for i in study.construct(d).items]
        block = data[codes]
        lam = second[second["lhs"] == c.code].set_index("rhs")["std_all"]
        std = {d: float(lam[d]) for d in c.dimensions}
        constructs[c.code] = ConstructReliability(
            code=c.code, items=list(c.dimensions), alpha=m.cronbach_alpha(block), alpha_ci=m.alpha_ci(block),
            omega=float("nan"), std_alpha=m.standardized_alpha(block), cr=_safe(m.composite_reliability, std),
            ave=_safe(m.average_variance_extracted, std), loadings=std, item_total=None, second_order=True)

    all_items = data[[i.code for i in study.items]]
    by_construct = {c.code: [i.code for i in c.items] for c in study.first_order}
    latent = cfa.latent_correlation().loc[list(by_construct), list(by_construct)]
    ave = {k: constructs[k].ave for k in by_construct}
    options = study.measurement
    efa = m.efa(all_items, n_factors=len(by_construct), method=options.efa_method, rotation=options.efa_rotation)
    return MeasurementChapter(
        items=m.item_descriptives(all_items), constructs=constructs, kmo=m.kmo(all_items),
        bartlett=m.bartlett_sphericity(all_items), mardia=m.mardia(all_items),
        parallel=m.parallel_analysis(all_items, n_iter=100, seed=seed), efa=efa,
        efa_flags=m.cross_loadings(efa), harman_share=m.harman_single_factor(all_items),
        htmt=m.htmt(by_construct, all_items),
        htmt_ci=m.htmt_interval(by_construct, all_items, resamples=HTMT_RESAMPLES, seed=seed),
        latent_correlations=latent,
        fornell_larcker=_safe_fl(ave, latent))


def _item_level_chapter(study: Study, items: pd.DataFrame, seed: int) -> MeasurementChapter:
    """The chapter's statistics that need no CFA: item descriptives, alpha and CITC of the reflective
    constructs, KMO, Bartlett, Mardia, EFA, Harman and HTMT (of the reflective constructs: alpha, CITC
    and HTMT assume items that reflect one construct, which formative items need not)."""
    reflective = [c for c in study.first_order if c.mode != "formative"]
    constructs = {}
    for c in reflective:
        codes = [i.code for i in c.items]
        block = items[codes]
        constructs[c.code] = ConstructReliability(
            code=c.code, items=codes, alpha=m.cronbach_alpha(block), alpha_ci=m.alpha_ci(block),
            omega=float("nan"), std_alpha=m.standardized_alpha(block), cr=float("nan"), ave=float("nan"),
            loadings={}, item_total=_item_total(block))
    all_items = items[[i.code for i in study.items]]
    by_construct = {c.code: [i.code for i in c.items] for c in reflective}
    options = study.measurement
    efa = m.efa(all_items, n_factors=len(study.first_order), method=options.efa_method,
                rotation=options.efa_rotation)
    return MeasurementChapter(
        items=m.item_descriptives(all_items), constructs=constructs, kmo=m.kmo(all_items),
        bartlett=m.bartlett_sphericity(all_items), mardia=m.mardia(all_items),
        parallel=m.parallel_analysis(all_items, n_iter=100, seed=seed), efa=efa,
        efa_flags=m.cross_loadings(efa), harman_share=m.harman_single_factor(all_items),
        htmt=m.htmt(by_construct, all_items) if len(by_construct) > 1 else pd.DataFrame(),
        htmt_ci=(m.htmt_interval(by_construct, all_items, resamples=HTMT_RESAMPLES, seed=seed)
                 if len(by_construct) > 1 else pd.DataFrame(columns=["a", "b", "htmt", "ci_lower", "ci_upper"])),
        latent_correlations=None, fornell_larcker=None)


def _safe(fn, loadings: dict[str, float]) -> float:
    # An improper solution can give a standardized loading above 1; CR/AVE are then undefined.
    try:
        return fn(list(loadings.values()))
    except ValueError:
        return float("nan")


def _safe_fl(ave: dict[str, float], latent: pd.DataFrame) -> pd.DataFrame:
    try:
        return m.fornell_larcker(ave, latent)
    except ValueError:
        values = latent.to_numpy(dtype=float, copy=True)  # pandas' .values of a copy is read-only (copy on write)
        np.fill_diagonal(values, np.sqrt(np.clip([ave[k] for k in latent.index], 0, None)))
        return pd.DataFrame(values, index=latent.index, columns=latent.columns)
