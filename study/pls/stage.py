"""The PLS stage of a study: from the study file's constructs and hypotheses to everything the PLS
chapter reports, as frozen dataclasses for :class:`study.pipeline.StudyResults`.

:func:`run_pls` estimates the model, bootstraps every estimate, and assesses it (Hair et al. 2022):
reliability and validity, HTMT with bootstrap intervals, VIFs, f², Q², PLSpredict, model fit, the
study's mediation chains, IPMA inputs and, per ``model.groups`` question, MICOM and the group
comparison. A model whose algorithm does not converge gives a result with ``converged`` False, its
reason, and no estimates: nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ..messages import Message, joined
from . import assessment as A
from .bootstrap import PLSBootstrap, bootstrap_pls
from .estimate import PLSNotConverged, PLSResult, estimate_pls
from .ipma import PLSImportancePerformance, importance_performance
from .mga import MGAResult, pls_mga
from .predict import PLSPredict, plspredict
from .specify import HigherOrder, PLSModel, PLSModelError, PLSSettings

__all__ = ["PLSStudyResult", "PLSHypothesis", "PLSMediation", "PLSGroupComparison", "run_pls", "pls_model"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PLSHypothesis:
    id: str
    from_: str
    to: str
    sign: str
    beta: float
    mean: float
    se: float
    t: float
    pvalue: float  # two-sided, from t = β / bootstrap SE
    ci_lower: float  # percentile 95 %
    ci_upper: float
    f2: float
    supported: bool | None  # significant at .05 in the expected direction; None: no bootstrap


@dataclass(frozen=True)
class PLSMediation:
    id: str | None
    path: tuple[str, ...]
    indirect: float
    se: float
    pvalue: float
    ci_lower: float  # percentile
    ci_upper: float
    bca_lower: float
    bca_upper: float
    direct: float | None  # the direct path X -> Y, if the model has one
    direct_p: float | None
    verdict: str  # Zhao, Lynch & Chen (2010): full/indirect, complementary, competitive, direct-only, none


@dataclass(frozen=True)
class PLSGroupComparison:
    column: str
    labels: tuple[str, str]  # level codes compared
    result: MGAResult | None = field(repr=False)
    note: str | None = None  # why the comparison was not made


@dataclass(frozen=True)
class PLSStudyResult:
    """Everything the PLS chapter reports. With ``converged`` False only ``message`` is meaningful."""

    settings: PLSSettings
    model: PLSModel
    n: int
    converged: bool
    message: str | None = None
    result: PLSResult | None = field(default=None, repr=False)
    bootstrap: PLSBootstrap | None = field(default=None, repr=False)
    resamples: int = 0
    failed: int = 0
    hypotheses: list[PLSHypothesis] = field(default_factory=list)
    outer: pd.DataFrame | None = None  # weights and loadings with bootstrap t, p and intervals
    reliability: pd.DataFrame | None = None
    fornell_larcker: pd.DataFrame | None = None
    htmt: pd.DataFrame | None = None  # pairs: htmt, ci_lower, ci_upper (percentile), upper_95 (one-sided)
    cross_loadings: pd.DataFrame | None = None
    outer_vif: pd.DataFrame | None = None
    inner_vif: pd.DataFrame | None = None
    f2: pd.DataFrame | None = None
    r2: pd.DataFrame | None = None
    q2: pd.DataFrame | None = None
    predict: PLSPredict | None = None
    fit: pd.DataFrame | None = None
    effects: pd.DataFrame | None = None  # total effects with bootstrap intervals
    mediation: list[PLSMediation] = field(default_factory=list)
    groups: list[PLSGroupComparison] = field(default_factory=list)
    ipma: PLSImportancePerformance | None = None
    notes: list[str] = field(default_factory=list)  # what was skipped and why (plain English; see report)

    @property
    def admissible(self) -> bool:
        return self.converged and self.result is not None and self.result.admissible


def pls_model(study) -> PLSModel:
    """The study's constructs and hypotheses as a PLS model (items by their codes)."""
    blocks = tuple((c.code, tuple(i.code for i in c.items), c.mode) for c in study.first_order)
    from .specify import Block
    return PLSModel(blocks=tuple(Block(*b) for b in blocks),
                    paths=tuple((h.from_, h.to) for h in study.model.hypotheses),
                    higher_order=tuple(HigherOrder(c.code, tuple(c.dimensions), c.mode, study.model.pls.higher_order)
                                       for c in study.second_order))


def pls_settings(study) -> PLSSettings:
    o = study.model.pls
    return PLSSettings(scheme=o.scheme, scaled=o.standardized, consistent=o.consistent, max_iter=o.max_iter)


def _zhao(indirect_sig: bool, direct: float | None, direct_p: float | None, indirect: float) -> str:
    direct_sig = direct is not None and direct_p is not None and direct_p < 0.05
    if indirect_sig and not direct_sig:
        return "full" if direct is not None else "indirect"
    if indirect_sig and direct_sig:
        return "complementary" if np.sign(direct) == np.sign(indirect) else "competitive"
    return "direct-only" if direct_sig else "none"


def run_pls(study, items: pd.DataFrame, background: pd.DataFrame | None = None, *, seed: int = 1,
            resamples: int | None = None, progress: Progress | None = None) -> PLSStudyResult:
    """Estimate, bootstrap and assess the study's model by PLS-SEM.

    Parameters
    ----------
    study : Study
    items : DataFrame
        Analysed answers (item codes as columns; complete rows are used).
    background : DataFrame, optional
        Background answers (for ``model.groups``).
    seed : int
    resamples : int, optional
        Overrides ``model.pls.bootstrap``.
    """
    report = progress or (lambda step, done, total: None)
    opts = study.model.pls
    model, settings = pls_model(study), pls_settings(study)
    data = items[list(model.items)].dropna()
    notes: list[str] = []
    resamples = opts.bootstrap if resamples is None else resamples
    report("PLS-SEM: estimating the model", 0, 1)
    try:
        res = estimate_pls(data, model, settings)
    except PLSNotConverged as exc:  # the reason, with its Chinese
        why = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
        return PLSStudyResult(settings=settings, model=model, n=len(data), converged=False, message=why)
    except PLSModelError as exc:
        from ..questionnaire import StudyError
        raise StudyError(f"{study.path}: PLS-SEM: {exc}") from None
    if not res.admissible:
        return PLSStudyResult(settings=settings, model=model, n=len(data), converged=True, result=res,
                              message=joined(res.problems))
    boot = None
    if resamples > 0:
        boot = bootstrap_pls(data, model, settings, resamples=resamples, seed=seed,
                             progress=lambda d, t: report("PLS-SEM: bootstrapping", d, t))
    rel = A.reliability(res)
    outer = res.outer.copy()
    f2 = A.f_squared(res)
    hypotheses = []
    s_path = boot.summary(statistic="path").set_index(["from", "to"]) if boot else None
    f2i = f2.set_index(["from", "to"])["f2"]
    for h in study.model.hypotheses:
        beta = float(res.paths.set_index(["from", "to"]).loc[(h.from_, h.to), "estimate"])
        if s_path is not None:
            r = s_path.loc[(h.from_, h.to)]
            right = beta > 0 if h.sign == "+" else beta < 0
            hypotheses.append(PLSHypothesis(h.id, h.from_, h.to, h.sign, beta, float(r["mean"]), float(r["se"]),
                                            float(r["t"]), float(r["p"]), float(r["ci_lower"]), float(r["ci_upper"]),
                                            float(f2i[(h.from_, h.to)]), bool(right and r["p"] < 0.05)))
        else:
            hypotheses.append(PLSHypothesis(h.id, h.from_, h.to, h.sign, beta, np.nan, np.nan, np.nan, np.nan,
                                            np.nan, np.nan, float(f2i[(h.from_, h.to)]), None))
    htmt = A.htmt(res)
    pairs = [(a, b) for i, a in enumerate(htmt.index) for b in htmt.index[i + 1:]]
    htab = pd.DataFrame({"from": [a for a, _ in pairs], "to": [b for _, b in pairs],
                         "htmt": [htmt.loc[a, b] for a, b in pairs]})
    effects = res.effects.copy()
    mediation = []
    if boot is not None:
        so = boot.summary(statistic="weight")
        sl = boot.summary(statistic="loading")
        key = ["to", "from"]
        outer = outer.merge(so[key + ["se", "t", "p", "ci_lower", "ci_upper"]].rename(
            columns={"to": "construct", "from": "indicator", "se": "weight_se", "t": "weight_t", "p": "weight_p",
                     "ci_lower": "weight_ci_lower", "ci_upper": "weight_ci_upper"}), on=["construct", "indicator"],
            how="left")
        outer = outer.merge(sl[key + ["se", "t", "p", "ci_lower", "ci_upper"]].rename(
            columns={"to": "construct", "from": "indicator", "se": "loading_se", "t": "loading_t", "p": "loading_p",
                     "ci_lower": "loading_ci_lower", "ci_upper": "loading_ci_upper"}), on=["construct", "indicator"],
            how="left")
        hb = boot.summary(statistic="htmt")
        h95 = boot.summary(statistic="htmt", alternative="less", level=0.95)
        htab["ci_lower"], htab["ci_upper"] = hb["ci_lower"].to_numpy(), hb["ci_upper"].to_numpy()
        htab["upper_95"] = h95["ci_upper"].to_numpy()
        st = boot.summary(statistic="total").set_index(["from", "to"])
        effects = effects.join(st[["se", "t", "p", "ci_lower", "ci_upper"]], on=["from", "to"])
        spec = boot.summary(statistic="specific").set_index("chain")
        pth = boot.summary(statistic="path").set_index(["from", "to"])
        for md in study.model.mediation:
            chain = " -> ".join(md.path)
            r = spec.loc[chain]
            direct = pth.loc[(md.path[0], md.path[-1])] if (md.path[0], md.path[-1]) in pth.index else None
            sig = bool(r["ci_lower"] > 0 or r["ci_upper"] < 0)
            d, dp = (float(direct["estimate"]), float(direct["p"])) if direct is not None else (None, None)
            mediation.append(PLSMediation(md.id, tuple(md.path), float(r["estimate"]), float(r["se"]), float(r["p"]),
                                          float(r["ci_lower"]), float(r["ci_upper"]), float(r["bca_lower"]),
                                          float(r["bca_upper"]), d, dp, _zhao(sig, d, dp, float(r["estimate"]))))
    report("PLS-SEM: predictive relevance (Q², PLSpredict)", 0, 1)
    q2 = predict = None
    try:
        q2 = A.q_squared(data, res, opts.omission_distance)
    except PLSModelError as exc:
        notes.append(f"Q² not computed: {exc}")
    if model.higher_order:
        notes.append("PLSpredict is not defined for higher-order constructs (Shmueli et al. 2019); it was skipped.")
    else:
        try:
            predict = plspredict(data, res, folds=min(opts.predict_folds, len(data)),
                                 repetitions=opts.predict_repetitions, seed=seed)
        except PLSModelError as exc:
            notes.append(f"PLSpredict not computed: {exc}")
    ip = None
    if not model.higher_order:
        from ..report.scores import outcome_construct
        ip = importance_performance(res, data, outcome_construct(study), study.scale.min, study.scale.max)
    groups = []
    for column in study.model.groups:
        groups += _compare(study, data, background, column, model, settings, opts, seed, report)
    return PLSStudyResult(
        settings=settings, model=model, n=len(data), converged=True, result=res, bootstrap=boot,
        resamples=boot.resamples if boot else 0, failed=(boot.failed + boot.inadmissible) if boot else 0,
        hypotheses=hypotheses, outer=outer, reliability=rel, fornell_larcker=A.fornell_larcker(res), htmt=htab,
        cross_loadings=res.cross_loadings, outer_vif=A.outer_vif(res), inner_vif=A.inner_vif(res), f2=f2,
        r2=res.r2, q2=q2, predict=predict, fit=A.model_fit(res), effects=effects, mediation=mediation,
        groups=groups, ipma=ip, notes=notes)


def _compare(study, data, background, column, model, settings, opts, seed, report) -> list[PLSGroupComparison]:
    """MICOM and path comparison for every pair of levels of ``column`` (two levels: one comparison)."""
    if background is None or column not in background.columns:
        return [PLSGroupComparison(column, ("", ""), None, Message(f"no answers to {column}", "无人回答该题"))]
    labels = background.loc[data.index, column]
    levels = [lv for lv in pd.unique(labels.dropna())]
    question = next((b for b in study.background if b.code == column), None)
    names = {}  # data label → the level's label (its Chinese for the Chinese reasons)
    for level in (question.levels if question else []):
        for lv in levels:
            if str(lv) == str(level.code):
                names[lv] = Message(level.label.get("en") or str(lv), level.label.get("zh") or str(lv))
    out = []
    for i, a in enumerate(levels):
        for b in levels[i + 1:]:
            keep = labels.isin([a, b])
            report(f"PLS-SEM: comparing {column} = {a} and {b}", 0, 1)
            try:
                r = pls_mga(data[keep], model, labels[keep], settings, permutations=opts.permutations,
                            resamples=min(opts.bootstrap, 5000) or 1000, seed=seed, order=(a, b), group_names=names)
                out.append(PLSGroupComparison(column, (str(a), str(b)), r))
            except (PLSModelError, PLSNotConverged) as exc:  # the reason, in both languages where it has them
                why = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
                out.append(PLSGroupComparison(column, (str(a), str(b)), None, why))
    return out
