"""The whole analysis of one study: questionnaire → data → measurement → model.

:func:`run_study` is what ``python analysis.py`` runs; its :class:`StudyResults` is all that the
report renderers and ``results.json`` read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import numpy as np
import pandas as pd

from . import __version__
from .analyses.regression_chapter import (ControlTerm, ModeratedMediationAnalysis, ModerationAnalysis,
                                          RegressionAnalysis, score_models)
from .data import SurveyData, load_responses
from .analyses.chapter import DifferencesChapter, differences_chapter, item_analysis_chapter
from .background import BackgroundStage, StageTimes
from .data.cells import answers_text
from .data.checks import singular_within_groups
from .measurement.chapter import MeasurementChapter, measurement_chapter
from .measurement.item_analysis import ItemAnalysis
from .model.bootstrap import BootstrapDraws, BootstrapInterval, BootstrapRun, start_bootstrap
from .model.effects import (IndirectEffect, MonteCarloInterval, effects_matrix, indirect_effect,
                            monte_carlo_indirect)
from .model.estimate import FittedModel, fit_model
from .model.fiml import FimlFit, fit_fiml
from .model.method_factor import MethodFactorResult, method_factor_comparison
from .model.ordinal import OrdinalFit, fit_wlsmv
from .model.fit_indices import fit_measures
from .model.modification import modification_indices
from .model.multigroup import GroupComparison, compare_groups
from .model.robust import RobustResult, robust_ml
from .model.syntax import cfa_syntax, second_order_pairs, sem_syntax
from .messages import Message, in_language, spaced, tidy_zh
from .pls.stage import PLSStudyResult, run_pls
from .model_questions import ModelQuestions, answer_model_questions, mediation_chains_of_sem
from .questionnaire import Study, StudyError
from .threads import one_blas_thread

Progress = Callable[[str, int, int], None]  # (step description, done, total)
MONTE_CARLO_DRAWS = 20000


@dataclass(frozen=True)
class HypothesisResult:
    id: str
    from_: str
    to: str
    sign: str
    est: float
    se: float
    z: float
    pvalue: float
    std_all: float
    supported: bool | None  # significant at 0.05 in the expected direction; None: improper solution


@dataclass(frozen=True)
class MediationResult:
    id: str | None
    path: tuple[str, ...]
    delta: IndirectEffect
    bootstrap: BootstrapInterval | None
    monte_carlo: MonteCarloInterval
    direct_std: float | None  # standardized direct path X -> Y, if the model has one
    verdict: str  # Zhao et al. (2010) type, or "not-interpretable" for an improper solution


@dataclass(frozen=True)
class StudyResults:
    study: Study
    data: SurveyData
    measurement: MeasurementChapter
    # The covariance-based models; None in a PLS-SEM study (method pls), which fits none of them
    cfa: FittedModel | None
    cfa_fit: dict[str, float] | None
    sem: FittedModel | None
    sem_fit: dict[str, float] | None
    estimator: str  # ML; MLM / MLR (robust standard errors, scaled tests); WLSMV (ordinal items)
    hypotheses: list[HypothesisResult]
    r2: dict[str, float]
    mediation: list[MediationResult]
    effects: dict[str, dict]
    bootstrap_resamples: int
    seed: int
    groups: list[GroupComparison] = field(default_factory=list)
    modification: pd.DataFrame | None = None  # the largest modification indices of the structural model
    warnings: list[str] = field(default_factory=list)
    missing: str = "listwise"  # or "fiml": the models use every answer given (full-information ML)
    method_factor: MethodFactorResult | None = None  # the unmeasured latent method factor check
    # Plain ML on complete data: the same fit with robust (MLR, Huber-White) standard errors, as lavaan's
    # estimator = "MLR" — the sensitivity check the report shows when the answers are too non-normal for ML
    robust_check: RobustResult | None = None
    ordinal: OrdinalFit | None = None  # WLSMV: thresholds and polychoric correlations of the SEM
    n_complete: int | None = None  # respondents with every item answered (the item-level statistics' n)
    item_analysis: dict[str, ItemAnalysis] = field(default_factory=dict)  # scale -> critical ratio, CITC
    differences: DifferencesChapter | None = None  # construct scores by background questions
    method: str = "cb"  # cb | pls | both (model.method or --method)
    pls: PLSStudyResult | None = None  # the PLS-SEM results (method pls or both)
    questions: ModelQuestions | None = None  # full/partial mediation, competing models, invariance, VIF, f²
    # regression, moderation and moderated mediation on construct scores (and their SEM versions)
    controls: list[ControlTerm] = field(default_factory=list)
    regression: list[RegressionAnalysis] = field(default_factory=list)
    moderation: list[ModerationAnalysis] = field(default_factory=list)
    moderated_mediation: list[ModeratedMediationAnalysis] = field(default_factory=list)
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    version: str = __version__

    @property
    def sem_proper(self) -> bool:
        """False when the structural model did not converge or its solution is improper:
        its estimates are then not findings, and hypotheses are not judged. False too when no
        covariance-based model was fitted (method pls)."""
        return self.sem is not None and self.sem.proper


@one_blas_thread
def run_study(study: Study, *, data_file=None, bootstrap: int | None = None, seed: int | None = None,
              progress: Progress | None = None, workers: int | None = None, method: str | None = None,
              pls_bootstrap: int | None = None, stage_times: StageTimes | None = None,
              meanwhile: Callable[[], None] | None = None) -> StudyResults:
    """Run every stage of the analysis of a study.

    Parameters
    ----------
    study : Study
    data_file : path, optional
        Overrides the study's data file.
    bootstrap : int, optional
        Resamples for the mediation intervals (default: the study's ``model.bootstrap``; 0 = none).
    seed : int, optional
        Bootstrap seed (default: the study's ``model.seed``).
    progress : callable(step, done, total), optional
    workers : int, optional
        Processes for the bootstraps and for stages run beside each other (default: all cores; 1 runs
        everything in this process, one stage after the other).
    method : {"cb", "pls", "both"}, optional
        Overrides ``model.method``. With ``pls`` no covariance-based model is fitted: the chapter has the
        item-level statistics and the PLS-SEM results (``cfa``, ``sem`` and their fit are None).
    pls_bootstrap : int, optional
        Resamples of the PLS bootstrap (default: ``model.pls.bootstrap``).
    stage_times : callable(step, wall, cpu), optional
        Called with the wall-clock and CPU seconds of each step run in a second process (``--timings``);
        ``progress`` hears of the steps of this process only.
    meanwhile : callable, optional
        The caller's own work, called once after the model fits, when the second processes and the
        bootstrap's workers (if any) have started (the command line imports the report writers then, rather
        than after the last stage). An exception it raises stops the run like one of the stages'.
    """
    report = progress or (lambda step, done, total: None)
    method = (method or study.model.method).lower()
    if method not in ("cb", "pls", "both"):
        raise StudyError(f"--method {method}: use cb, pls or both")
    formative = [c.code for c in study.constructs if c.mode == "formative"]
    if formative and method != "pls":
        raise StudyError(f"{study.path}: construct(s) {', '.join(formative)} are formative, which --method {method} "
                         "cannot estimate (covariance-based SEM models reflective constructs); use --method pls")
    if method != "cb" and study.model.missing == "fiml":
        raise StudyError(f"{study.path}: model.missing: fiml is for covariance-based SEM; PLS-SEM (--method "
                         f"{method}) uses the respondents with complete answers (use missing: listwise)")
    bootstrap = study.model.bootstrap if bootstrap is None else bootstrap
    if method == "pls":
        bootstrap = 0  # the covariance-based models are not reported
    seed = study.model.seed if seed is None else seed
    if bootstrap < 0:
        raise StudyError("--bootstrap must be 0 (no bootstrap) or a positive number of resamples")

    report("Reading and screening the responses", 0, 1)
    data = load_responses(study, data_file)
    warnings = list(data.warnings)

    fiml = study.model.missing == "fiml"
    estimator = study.model.estimator
    # Item-level statistics (alpha, EFA, HTMT …) need every answer of a respondent: with FIML they
    # use the complete respondents, and the report says how many those are.
    complete_items = data.items.dropna() if fiml else data.items
    n_complete = len(complete_items)
    if fiml and n_complete < len(data.items):
        minimum = max(30, 2 * data.items.shape[1])
        if n_complete < minimum:
            raise StudyError(
                f"Only {n_complete} respondents answered every item; item statistics, reliability and the "
                f"exploratory factor analysis need at least {minimum}. The models could use FIML, but the "
                "measurement chapter cannot be computed: check why so many answers are missing.")
        warnings.append(Message(
            f"Item statistics, reliability (alpha, CITC), KMO, EFA, HTMT and Harman's test use the {n_complete} "
            f"respondents who answered every item; the CFA and structural model use all {len(data.items)} by FIML.",
            f"题项描述统计、信度（α、CITC）、KMO、EFA、HTMT 与 Harman 检验基于回答了全部题项的 {n_complete} 名受访者；"
            f"CFA 与结构模型以 FIML 使用全部 {len(data.items)} 名受访者。"))

    # Regression, moderation and moderated mediation on construct scores need only the study and the data:
    # with two cores they run in a second process beside everything below, the model fits included (a forked
    # copy of this one, see study/background.py; started before the bootstrap's pool, so that nothing else
    # runs when it forks) and are collected at the end. Their numbers and the order of the warnings are
    # those of running one after the other.
    beside = (workers or os.cpu_count() or 1) > 1
    scoring = BackgroundStage("Regression and moderation on construct scores", score_models, study, data,
                              bootstrap=bootstrap if method != "pls" else study.model.bootstrap, seed=seed,
                              workers=1 if beside else workers, progress=report, progress_key="progress",
                              stage_times=stage_times, background=beside)
    # The group differences (every test of every score by every background question) need only the data too:
    # another forked process. With the bootstrap's workers that makes four processes on two cores at times;
    # it still finishes sooner than running them here (6.9 against 7.3 s, median of nine runs each).
    differing = BackgroundStage("Group differences (t-tests, ANOVA)", differences_chapter, study, data.items,
                                data.background, stage_times=stage_times, background=beside)
    try:
        # A PLS-SEM study fits no covariance-based model: its measurement model is the PLS one, and a CFA
        # would treat formative constructs as reflective.
        fits = _fit_models(study, data, report) if method != "pls" else _NO_FITS
        # The bootstrap's resamples are refitted in worker processes while this process computes the
        # measurement chapter, the method factor and the group comparisons; the results and the order of the
        # warnings are those of running one after the other.
        # The same resamples also give the draws of the chains that the full-or-partial mediation tests need
        # in this model (the examiner's questions below), which then need not refit them a second time.
        mediation_chains = [tuple(md.path) for md in study.model.mediation]
        boot_chains = mediation_chains + [c for c in (mediation_chains_of_sem(study) if method != "pls" else [])
                                          if c not in mediation_chains]
        boot_warnings: list = []
        boot = (_start_bootstrap(study, data, fits, boot_chains, bootstrap, seed, workers, boot_warnings)
                if mediation_chains and bootstrap > 0 else None)
    except BaseException:
        scoring.cancel()
        differing.cancel()
        raise
    cfa, sem, cfa_fit, sem_fit = fits.cfa, fits.sem, fits.cfa_fit, fits.sem_fit
    try:
        # Ranked: what makes the model unreadable comes first, before the notes on data and measurement.
        blocking = [label + p if isinstance(p, Message) else f"{label}{p}"
                    for label, fitted in ((Message("Structural model: ", "结构模型："), sem),
                                          (Message("Measurement model (CFA): ", "测量模型（CFA）："), cfa))
                    if fitted is not None for p in fitted.problems]
        if meanwhile is not None:
            meanwhile()
        report("Reliability and validity", 0, 1)
        chapter = measurement_chapter(study, complete_items, cfa, sem, seed=seed)
        items_analysed, notes = item_analysis_chapter(study, data.items)
        warnings += notes
        if method != "pls":
            warnings += _measurement_warnings(chapter, study, cfa_proper=cfa is not None and cfa.proper)
        report("Common-method bias: unmeasured latent method factor", 0, 1)
        method_factor = _method_factor(study, complete_items, fits.ml_cfa, warnings) if method != "pls" else None

        hypotheses = _hypotheses(study, sem) if sem is not None else []
        robust_check = (robust_ml(sem, data.items[sem.structure.observed].to_numpy(dtype=float), "MLR")
                        if estimator == "ML" and not fiml and sem is not None and sem.proper else None)
        r2 = _r_squared(study, sem) if sem is not None else {}
        comparisons, group_warnings = [], []
        for column in (study.model.groups if method != "pls" else []):
            report(f"Comparing groups by {column}", 0, 1)
            comparison, notes = _compare(study, data, sem, column, complete_only=fiml,
                                         estimator=estimator if estimator in ("ML", "MLM", "MLR") else "ML")
            group_warnings += notes
            if comparison is not None:
                comparisons.append(comparison)
                group_warnings += comparison.warnings
        if not beside:
            report("Group differences (t-tests, ANOVA)", 0, 1)
        differences = differing.result()
        intervals, sem_draws = _finish_bootstrap(boot, mediation_chains, bootstrap, report, boot_warnings)
    except BaseException:
        if boot is not None:
            boot.cancel()
        scoring.cancel()
        differing.cancel()
        raise
    warnings += boot_warnings + group_warnings
    question_notes: list = []
    try:
        monte_carlo = (monte_carlo_indirect(sem, mediation_chains, draws=MONTE_CARLO_DRAWS, seed=seed)
                       if mediation_chains and sem is not None else [])
        mediation = [_mediation(study, sem, md, ci, mc)
                     for md, ci, mc in zip(study.model.mediation, intervals, monte_carlo)]
        pls = None
        if method in ("pls", "both"):
            pls = run_pls(study, complete_items, data.background, seed=seed, resamples=pls_bootstrap, progress=report)
            # a PLS model without estimates is as blocking as an improper CB model
            blocking = _pls_warnings(pls) + blocking if method == "pls" else blocking + _pls_warnings(pls)
        questions = None
        if method != "pls":
            questions = answer_model_questions(study, data, cfa, sem, sem_fit, compared=[g.column for g in comparisons],
                                               bootstrap=bootstrap, seed=seed, workers=workers, progress=report,
                                               warnings=question_notes, sem_draws=sem_draws)
    except Exception:
        scoring.result()  # a problem the scores ran into comes first, as when they ran before these stages
        raise
    except BaseException:
        scoring.cancel()
        raise
    if not scoring.done():
        report("Waiting for the second process (regression and moderation)", 0, 1)
    scored = scoring.result()
    warnings += scored.warnings + question_notes
    return StudyResults(study=study, data=data, measurement=chapter, cfa=cfa, cfa_fit=cfa_fit, sem=sem,
                        sem_fit=sem_fit, estimator=estimator, hypotheses=hypotheses, r2=r2, mediation=mediation,
                        effects=effects_matrix(sem, study.structural_constructs) if sem is not None else {},
                        bootstrap_resamples=0 if estimator == "WLSMV" else bootstrap, seed=seed, groups=comparisons,
                        modification=(modification_indices(sem, top=10, minimum=3.84)
                                      if fits.ml_cfa is not None else None),
                        warnings=blocking + warnings, missing=study.model.missing, n_complete=n_complete,
                        method_factor=method_factor, robust_check=robust_check, ordinal=fits.ordinal, item_analysis=items_analysed,
                        differences=differences, method=method, pls=pls, questions=questions,
                        controls=scored.controls, regression=scored.regression, moderation=scored.moderation,
                        moderated_mediation=scored.moderated_mediation)


def _pls_warnings(pls: PLSStudyResult) -> list:
    """What the reader must know first about the PLS results."""
    out = []
    if not pls.converged:
        out.append(Message(f"PLS-SEM: {pls.message}", f"PLS-SEM：{in_language(pls.message, 'zh')}"))
    elif not pls.admissible:
        out.append(Message(f"PLS-SEM: consistent PLS (PLSc) gives an inadmissible solution ({pls.message}); its "
                           "estimates are not findings.",
                           f"PLS-SEM：一致性 PLS（PLSc）得到不可接受的解（{in_language(pls.message, 'zh')}），"
                           "其估计值不能作为研究结论。"))
    if pls.failed:
        out.append(Message(f"PLS-SEM: {pls.failed} bootstrap resamples did not converge (or were inadmissible) and "
                           "were left out of the intervals.",
                           f"PLS-SEM：{pls.failed} 次 Bootstrap 重抽样未收敛（或不可接受），未计入置信区间。"))
    return out


@dataclass(frozen=True)
class _ModelFits:
    """The CFA and the structural model as the study's estimator and missing-data method fit them."""

    cfa: FittedModel | None
    sem: FittedModel | None
    cfa_fit: dict | None
    sem_fit: dict | None
    ml_cfa: FittedModel | None  # the plain ML CFA of all rows (for the method factor and MIs), if there is one
    fiml: FimlFit | None = None  # the structural model's FIML fit (intercepts for the bootstrap)
    ordinal: OrdinalFit | None = None  # the structural model's WLSMV fit (thresholds, polychorics)


_NO_FITS = _ModelFits(cfa=None, sem=None, cfa_fit=None, sem_fit=None, ml_cfa=None)


def _fit_models(study: Study, data: SurveyData, report: Progress) -> _ModelFits:
    """Fit the CFA and the structural model: ML (robust with MLM/MLR), FIML, or WLSMV."""
    estimator = study.model.estimator
    cfa_syntax_, sem_syntax_, pairs = cfa_syntax(study), sem_syntax(study), second_order_pairs(study)
    if study.model.missing == "fiml":  # the study file allows FIML with ML only
        report("Fitting the measurement model (CFA) by FIML", 0, 1)
        cfa_fiml = fit_fiml(cfa_syntax_, data.items)
        report("Fitting the structural model (SEM) by FIML", 0, 1)
        sem_fiml = fit_fiml(sem_syntax_, data.items, measurement_pairs=pairs)
        return _ModelFits(cfa_fiml.fitted, sem_fiml.fitted, cfa_fiml.fit, sem_fiml.fit, ml_cfa=None, fiml=sem_fiml)
    if estimator == "WLSMV":
        report("Polychoric correlations and the measurement model (CFA, WLSMV)", 0, 1)
        try:
            cfa_ordinal = fit_wlsmv(cfa_syntax_, data.items)
        except ValueError as error:  # items that cannot be treated as ordinal
            raise StudyError(f"{study.path}: model.estimator: WLSMV cannot be used: {error}") from None
        report("Fitting the structural model (SEM, WLSMV)", 0, 1)
        sem_ordinal = fit_wlsmv(sem_syntax_, data.items, measurement_pairs=pairs)
        return _ModelFits(cfa_ordinal.fitted, sem_ordinal.fitted, cfa_ordinal.fit, sem_ordinal.fit, ml_cfa=None,
                          ordinal=sem_ordinal)
    report("Fitting the measurement model (CFA)", 0, 1)
    cfa = fit_model(cfa_syntax_, data.items)
    report("Fitting the structural model (SEM)", 0, 1)
    sem = fit_model(sem_syntax_, data.items, measurement_pairs=pairs)
    cfa_fit, sem_fit = fit_measures(cfa), fit_measures(sem)
    if estimator == "ML":
        return _ModelFits(cfa, sem, cfa_fit, sem_fit, ml_cfa=cfa)
    # Robust ML: same estimates, robust standard errors and scaled test statistics
    report(f"Robust standard errors and test statistics ({estimator})", 0, 1)
    robust = {name: robust_ml(m, data.items[m.structure.observed].to_numpy(dtype=float), estimator)
              for name, m in (("cfa", cfa), ("sem", sem))}
    return _ModelFits(robust["cfa"].fitted, robust["sem"].fitted, {**cfa_fit, **robust["cfa"].fit},
                      {**sem_fit, **robust["sem"].fit}, ml_cfa=cfa)


def _start_bootstrap(study: Study, data: SurveyData, fits: _ModelFits, chains: list[tuple[str, ...]],
                     resamples: int, seed: int, workers: int | None, warnings: list) -> BootstrapRun | None:
    """Hand the bootstrap of the indirect effects to the worker processes, or say in ``warnings`` why there
    is none (the estimator has no bootstrap, or the solution is improper)."""
    sem = fits.sem
    if study.model.estimator == "WLSMV":
        warnings.append(Message(
            "The bootstrap is not available with WLSMV yet: the indirect effects are judged on Monte Carlo "
            "intervals (from the robust covariance matrix of the estimates).",
            "WLSMV 估计下暂不提供 Bootstrap：间接效应依据蒙特卡洛置信区间（基于估计值的稳健协方差矩阵）判断。"))
        return None
    if not sem.proper:
        warnings.append(Message("The bootstrap was skipped: the structural model has no proper solution, "
                                "so its indirect effects are not findings.",
                                "未进行 Bootstrap：结构模型没有合理解，其间接效应不能作为研究结论。"))
        return None
    x = data.items[sem.structure.observed].to_numpy(dtype=float)
    return start_bootstrap(sem, x, chains, resamples=resamples, seed=seed, workers=workers, fiml=fits.fiml)


def _finish_bootstrap(run: BootstrapRun | None, chains: list[tuple[str, ...]], resamples: int, report: Progress,
                      warnings: list) -> tuple[list[BootstrapInterval | None], BootstrapDraws | None]:
    """The intervals of ``chains`` (the first chains of a started bootstrap) and all its draws; failed and
    improper resamples are counted in ``warnings``."""
    if run is None:
        return [None] * len(chains), None
    report("Bootstrapping indirect effects", 0, resamples)
    found = run.draws(progress=lambda done, total: report("Bootstrapping indirect effects", done, total))
    intervals = run.intervals(found)[:len(chains)]
    failed = intervals[0].failed if intervals else 0
    if failed:
        warnings.append(Message(f"{failed} of {resamples} bootstrap resamples did not converge and "
                                "were left out of the intervals.",
                                f"{resamples} 次 Bootstrap 重抽样中有 {failed} 次未收敛，未计入置信区间。"))
    improper = intervals[0].improper if intervals else 0
    if improper:
        warnings.append(Message(
            f"{improper} of {resamples} bootstrap resamples gave an improper solution (a negative variance); "
            "they are kept in the intervals, as lavaan keeps them. Many such resamples mean the model is "
            "close to improper on these data.",
            f"{resamples} 次 Bootstrap 重抽样中有 {improper} 次得到不合理解（方差为负）；与 lavaan 一致，"
            "它们仍计入置信区间。此类重抽样较多说明模型在这些数据上接近不合理解。"))
    return intervals, found


def _method_factor(study: Study, items: pd.DataFrame, ml_cfa: FittedModel | None,
                   warnings: list[str]) -> MethodFactorResult | None:
    """The unmeasured latent method construct check on the first-order CFA (always by ML; with FIML
    or WLSMV on its own ML fit of the complete answers). Its improper solutions are warnings."""
    constructs = {c.code: [i.code for i in c.items] for c in study.first_order}
    try:
        result = method_factor_comparison(constructs, items, trait_model=ml_cfa)
    except ValueError as error:
        warnings.append(Message(f"The unmeasured latent method factor check was not run: {error}",
                                f"未进行不可测量潜在方法因子检验：{error}"))
        return None
    if not result.proper:
        warnings += list(result.problems)
    return result


def _compare(study: Study, data: SurveyData, sem: FittedModel, column: str, *,
             complete_only: bool = False, estimator: str = "ML") -> tuple[GroupComparison | None, list[str]]:
    """Multi-group comparison by one background question; respondents without an answer are left out
    of this comparison only, and counted. The multi-group models need complete answers: with FIML,
    respondents with an unanswered item are left out of the comparison, and counted too."""
    question = next((b for b in study.background if b.code == column), None)
    labels = {str(level.code): level.label.get(study.meta.language) or str(level.code)
              for level in (question.levels if question else [])}
    answers = answers_text(data.background[column])
    known = answers.notna() & (answers.isin(list(labels)) if labels else True)
    said = _naming(question, column)
    notes = []
    if (~known).any():
        notes.append(said(lambda q, level: f"Group comparison by {q}: {int((~known).sum())} respondent(s) without a "
                          f"valid answer to {q} are left out of this comparison (they stay in all other analyses).",
                          lambda q, level: f"按{q}的分组比较：{int((~known).sum())} 名受访者未有效回答{q}，未纳入该比较"
                          "（他们仍保留在其他所有分析中）。"))
    if complete_only:
        incomplete = known & data.items.isna().any(axis=1).to_numpy()
        if incomplete.any():
            notes.append(said(
                lambda q, level: f"Group comparison by {q}: the multi-group models need complete answers, so "
                f"{int(incomplete.sum())} respondent(s) with an unanswered item are left out of this comparison "
                "(FIML is used for the single-group models only).",
                lambda q, level: f"按{q}的分组比较：多群组模型需要完整作答，因此 {int(incomplete.sum())} 名有未答题项的"
                "受访者未纳入该比较（FIML 仅用于单群组模型）。"))
            known = known & ~incomplete
    counts = answers[known].value_counts()
    small = counts[counts < 30]
    if len(counts) < 2 or len(small):
        notes.append(said(lambda q, level: f"Group comparison by {q} was not run: it needs at least two groups of at "
                          "least 30 respondents (found: "
                          + (", ".join(f"{level(k)}: {v}" for k, v in counts.items()) or "none") + ").",
                          lambda q, level: f"未进行按{q}的分组比较：需要至少两个各不少于 30 人的组（实际："
                          + ("；".join(f"{level(k)}：{v} 人" for k, v in counts.items()) or "无") + "）。"))
        return None, notes
    if study.model.estimator == "WLSMV":
        notes.append(said(
            lambda q, level: f"Group comparison by {q}: multi-group WLSMV is not available yet, so the groups are "
            "compared by normal-theory ML (treating the answers as continuous).",
            lambda q, level: f"按{q}的分组比较：暂不支持多群组 WLSMV，因此分组比较采用正态理论的极大似然估计"
            "（将答案视为连续变量）。"))
    singular = singular_within_groups(data.items[known.to_numpy()], answers[known])
    if singular:  # e.g. an item every member of a group answered alike: no multi-group model can be fitted
        group, problem = singular
        notes.append(said(lambda q, level: f"Group comparison by {q} was not run: in group {level(group)!r}, {problem}, "
                          "so the groups' models cannot be fitted.",
                          lambda q, level: f"未进行按{q}的分组比较：“{level(group)}”组内有题项的回答没有变异或彼此线性相关"
                          "，各组模型无法估计。"))
        return None, notes
    comparison = compare_groups(sem.syntax, data.items[known.to_numpy()], answers[known], column,
                                measurement_pairs=sem.measurement_pairs, estimator=estimator,
                                name=_question_name(question, column))
    return comparison, notes


def _question_name(question, column: str) -> Message:
    """The report's name of a grouping question: its short name in English and (spaced) in Chinese."""
    return Message(question.label("en"), spaced(question.label("zh"))) if question else Message(column, spaced(column))


def _naming(question, column: str):
    """``said(en, zh)``: a message about the comparison by ``column`` from two functions of (the question's name,
    a level's name). The terminal names the question by its code and levels by theirs (the study file's
    keys); the report by the question's short name and the levels' labels, in its own language."""
    def level_name(lang: str):
        names = {str(level.code): level.label.get(lang) for level in (question.levels if question else [])}
        return lambda code: names.get(str(code)) or str(code)

    name = _question_name(question, column)

    def said(en, zh) -> Message:
        return Message(en(column, str), tidy_zh(zh(spaced(column), str)),
                       Message(en(str(name), level_name("en")), tidy_zh(zh(name.zh, level_name("zh")))))

    return said


def _hypotheses(study: Study, sem: FittedModel) -> list[HypothesisResult]:
    paths = sem.paths().set_index(["rhs", "lhs"])
    out = []
    for h in study.model.hypotheses:
        row = paths.loc[(h.from_, h.to)]
        right_sign = row["est"] > 0 if h.sign == "+" else row["est"] < 0
        out.append(HypothesisResult(id=h.id, from_=h.from_, to=h.to, sign=h.sign, est=float(row["est"]),
                                    se=float(row["se"]), z=float(row["z"]), pvalue=float(row["pvalue"]),
                                    std_all=float(row["std_all"]),
                                    supported=bool(right_sign and row["pvalue"] < 0.05) if sem.proper else None))
    return out


def _r_squared(study: Study, sem: FittedModel) -> dict[str, float]:
    """R² = 1 − ψ / Var(η) of every construct with causes in the model (second-order dimensions too)."""
    table = sem.estimates
    explained = set(table.loc[table["op"] == "~", "lhs"]) | {d for c in study.second_order for d in c.dimensions}
    variances = table[(table["op"] == "~~") & (table["lhs"] == table["rhs"])].set_index("lhs")["std_all"]
    return {c.code: float(1 - variances[c.code]) for c in study.constructs if c.code in explained}


def _mediation(study: Study, sem: FittedModel, md, ci: BootstrapInterval | None,
               mc: MonteCarloInterval) -> MediationResult:
    """Mediation type after Zhao, Lynch & Chen (2010), judged on the bootstrap interval when there is
    one, else on the Monte Carlo interval."""
    chain = tuple(md.path)
    delta = indirect_effect(sem, chain)
    paths = sem.paths().set_index(["rhs", "lhs"])
    direct = paths.loc[(chain[0], chain[-1])] if (chain[0], chain[-1]) in paths.index else None
    if ci is not None and np.isfinite(ci.ci_lower):
        indirect_sig = ci.ci_lower > 0 or ci.ci_upper < 0
    else:
        indirect_sig = mc.ci_lower > 0 or mc.ci_upper < 0
    direct_sig = direct is not None and direct["pvalue"] < 0.05
    if not sem.proper:
        verdict = "not-interpretable"
    elif indirect_sig and not direct_sig:
        verdict = "full" if direct is not None else "indirect"
    elif indirect_sig and direct_sig:
        verdict = "complementary" if np.sign(direct["est"]) == np.sign(delta.est) else "competitive"
    else:
        verdict = "direct-only" if direct_sig else "none"
    return MediationResult(id=md.id, path=chain, delta=delta, bootstrap=ci, monte_carlo=mc,
                           direct_std=float(direct["std_all"]) if direct is not None else None, verdict=verdict)


def _measurement_warnings(chapter: MeasurementChapter, study: Study, cfa_proper: bool = True) -> list[str]:
    """Reliability and validity below their thresholds. The terminal names construct codes; the report's form
    names the constructs as the report does. The AVE of an improper CFA is not interpretable and is not judged
    (the CFA's own problems are among the warnings)."""
    def en(code: str) -> str:
        return study.construct(code).label("en")

    def zh(code: str) -> str:
        return study.construct(code).label("zh")

    out = []
    for code, c in chapter.constructs.items():
        if c.alpha < 0.70:
            out.append(Message(f"Construct {code}: Cronbach's alpha is {c.alpha:.3f}, below 0.70 ([@nunnally1978]).",
                               f"构念 {code}：Cronbach's α 为 {c.alpha:.3f}，低于 0.70（[@nunnally1978]）。",
                               Message(f"{en(code)}: Cronbach's α = {c.alpha:.3f}, below 0.70 ([@nunnally1978]).",
                                       f"{zh(code)}的 Cronbach's α 为 {c.alpha:.3f}，低于 0.70（[@nunnally1978]）。")))
        if cfa_proper and np.isfinite(c.ave) and c.ave < 0.50:
            out.append(Message(f"Construct {code}: AVE is {c.ave:.3f}, below 0.50 ([@fornell1981]).",
                               f"构念 {code}：AVE 为 {c.ave:.3f}，低于 0.50（[@fornell1981]）。",
                               Message(f"{en(code)}: AVE = {c.ave:.3f}, below 0.50 ([@fornell1981]).",
                                       f"{zh(code)}的 AVE 为 {c.ave:.3f}，低于 0.50（[@fornell1981]）。")))
        if c.item_total is not None:
            for item, row in c.item_total.iterrows():
                if row["citc"] < 0.40:
                    out.append(Message(
                        f"Item {item} ({code}): corrected item-total correlation {row['citc']:.3f} is below 0.40; "
                        "check its wording and reverse coding.",
                        f"题项 {item}（{code}）：校正的项总相关 CITC 为 {row['citc']:.3f}，低于 0.40，请检查其措辞与反向计分。",
                        Message(f"Item {item} ({en(code)}): corrected item–total correlation {row['citc']:.3f}, "
                                "below 0.40.",
                                f"{zh(code)}题项 {item} 的校正的项总相关（CITC）为 {row['citc']:.3f}，低于 0.40。")))
                if row["alpha_if_deleted"] > c.alpha + 0.005:
                    out.append(Message(
                        f"Item {item} ({code}): alpha rises to {row['alpha_if_deleted']:.3f} without it "
                        f"(from {c.alpha:.3f}).",
                        f"题项 {item}（{code}）：删除该题项后 α 由 {c.alpha:.3f} 升至 {row['alpha_if_deleted']:.3f}。",
                        Message(f"Item {item} ({en(code)}): α rises to {row['alpha_if_deleted']:.3f} without it "
                                f"(from {c.alpha:.3f}).",
                                f"删除{zh(code)}题项 {item} 后，α 由 {c.alpha:.3f} 升至 {row['alpha_if_deleted']:.3f}。")))
    h = chapter.htmt
    for i, a in enumerate(h.index):
        for b in h.index[i + 1:]:
            if h.loc[a, b] >= 0.85:
                out.append(Message(
                    f"HTMT of {a} and {b} is {h.loc[a, b]:.3f}, at or above 0.85: the two constructs may not be "
                    "distinct ([@henseler2015]).",
                    f"{a} 与 {b} 的 HTMT 为 {h.loc[a, b]:.3f}，达到或超过 0.85：两个构念可能区分不开（[@henseler2015]）。",
                    Message(f"HTMT of {en(a)} and {en(b)} is {h.loc[a, b]:.3f}, at or above 0.85: the two constructs "
                            "may not be distinct ([@henseler2015]).",
                            f"{zh(a)}与{zh(b)}的 HTMT 为 {h.loc[a, b]:.3f}，达到或超过 0.85，两个构念可能难以区分"
                            "（[@henseler2015]）。")))
    return out