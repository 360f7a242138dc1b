"""The structural model as examiners question it: the stage of :func:`study.pipeline.run_study` that answers
"full or partial mediation?", "is there a better model?", "may the groups' means be compared?" and gives
the AMOS-style tables (unstandardized loadings with SMC, VIF, f²).

In: the study, the analysed responses and the fitted CFA and structural model. Out: a frozen
:class:`ModelQuestions`. The engines are in :mod:`study.model` (``mediation``, ``alternatives``,
``nested``, ``invariance``, ``path_statistics``). They fit by ML (robust MLM/MLR when the study uses it)
on complete answers; with FIML or WLSMV they use ML on the respondents with every item answered, and
the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from .data import SurveyData
from .messages import Message
from .model.alternatives import (CompetingModels, compare_models, first_order_model, fit_parts, one_factor_model,
                                 partial_mediation_model)
from .model.estimate import FittedModel
from .model.invariance import InvarianceError, InvarianceResult, measurement_invariance
from .model.bootstrap import BootstrapDraws
from .model.mediation import MediationTest, hypothesized_model_chains, start_mediation_tests
from .model.nested import NotNestedError
from .model.path_statistics import collinearity, f_squared, loading_table
from .model.syntax import cfa_syntax, model_parts, second_order_pairs
from .questionnaire import Study, StudyError
from .questionnaire.load import key_line
from .questionnaire.schema import Invariance

Progress = Callable[[str, int, int], None]
MIN_GROUP = 30  # as the group comparison: groups of fewer respondents are not compared


@dataclass(frozen=True)
class GroupInvariance:
    """Measurement invariance across the groups of one background question."""

    column: str
    result: InvarianceResult


@dataclass(frozen=True)
class ModelQuestions:
    """What examiners ask beyond the hypothesized model (each part None or empty when it does not apply).

    Attributes
    ----------
    estimator : str
        The estimator of these analyses: the study's (ML, MLM, MLR), or ML with FIML/WLSMV.
    n : int
        Respondents they use.
    mediation : list of MediationTest
        Full or partial mediation of each ``model.mediation`` chain (model with the direct path).
    competing : CompetingModels or None
        The hypothesized model against the automatic and declared alternatives, target coefficients.
    invariance : list of GroupInvariance
        Configural → metric → scalar (→ strict) invariance per ``model.groups`` question compared.
    loadings : DataFrame
        The CFA's unstandardized and standardized loadings with S.E., C.R., p and SMC.
    collinearity : DataFrame or None
        VIF of the predictors of each endogenous construct (latent correlations and mean scores).
    effect_sizes : DataFrame or None
        Cohen's f² of every hypothesized path.
    names : dict
        Alternative model key → its name from the study file (declared alternatives).
    """

    estimator: str
    n: int
    mediation: list[MediationTest] = field(default_factory=list)
    competing: CompetingModels | None = None
    invariance: list[GroupInvariance] = field(default_factory=list)
    loadings: pd.DataFrame | None = None
    collinearity: pd.DataFrame | None = None
    effect_sizes: pd.DataFrame | None = None
    names: dict = field(default_factory=dict)


def construct_scores(items: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Mean item score of every construct (a second-order construct: all its dimensions' items), as the
    report's construct scores."""
    out = {c.code: items[[i.code for i in c.items]].astype(float).mean(axis=1) for c in study.first_order}
    for c in study.second_order:
        codes = [i.code for d in c.dimensions for i in study.construct(d).items]
        out[c.code] = items[codes].astype(float).mean(axis=1)
    return pd.DataFrame(out, index=items.index)


def answer_model_questions(study: Study, data: SurveyData, cfa: FittedModel, sem: FittedModel, sem_fit: dict, *,
                           compared: list[str], bootstrap: int, seed: int, workers: int | None = None,
                           progress: Progress | None = None, warnings: list | None = None,
                           sem_draws: BootstrapDraws | None = None) -> ModelQuestions:
    """Run the examiner's analyses of a study (see the module notes).

    Parameters
    ----------
    study : Study
    data : SurveyData
    cfa, sem : FittedModel
        The study's fitted measurement and structural models; ``sem_fit`` the latter's fit measures.
    compared : list of str
        The ``model.groups`` questions whose group comparison ran (invariance uses the same respondents).
    bootstrap, seed, workers
        Resamples, seed and processes of the bootstraps of the models with a direct path.
    progress : callable(step, done, total), optional
    warnings : list, optional
        Notes for the report are appended here.
    sem_draws : BootstrapDraws, optional
        The bootstrap of ``sem`` on the analysed responses with ``bootstrap`` resamples and ``seed`` (the
        pipeline's bootstrap of the indirect effects, with the chains of :func:`mediation_chains_of_sem`):
        the tests in the hypothesized model take their draws from it rather than refitting the same
        resamples again. Used only when these analyses fit ``sem`` itself (listwise ML, MLM or MLR).
    """
    report = progress or (lambda step, done, total: None)
    notes = warnings if warnings is not None else []
    own_fit = _fits_the_sem_itself(study)
    estimator = study.model.estimator if study.model.estimator in ("ML", "MLM", "MLR") else "ML"
    items = data.items.dropna() if study.model.missing == "fiml" else data.items
    if not own_fit:
        why = "FIML" if study.model.missing == "fiml" else "WLSMV"
        notes.append(Message(
            f"The mediation types, the competing models, f² and measurement invariance are estimated by ML on "
            f"the {len(items)} respondents who answered every item ({why} is not available for them).",
            f"中介类型检验、竞争模型比较、f² 与测量不变性采用极大似然估计，基于回答了全部题项的 {len(items)} 名"
            f"受访者（这些分析暂不支持 {why}）。"))
    parts = model_parts(study)
    out = {"estimator": estimator, "n": len(items), "loadings": loading_table(cfa)}
    hypothesized = (sem, sem_fit) if own_fit else None
    proper = sem.proper if own_fit else None
    if hypothesized is None:  # the hypothesized model refitted by ML on the complete answers
        hypothesized = fit_parts(parts, items, estimator)
        proper = hypothesized[0].proper
    if not proper:
        notes.append(Message(
            "The mediation types, the competing models, VIF and f² are not reported: the structural model has "
            "no proper solution.",
            "结构模型没有合理解，因此不报告中介类型检验、竞争模型比较、VIF 与 f²。"))
    mediation = None
    if proper and study.model.mediation:
        # the bootstraps of the models with the direct paths run in worker processes while this one fits
        # the competing models and the invariance models; the tests are collected at the end
        report("Full or partial mediation: the models with the direct paths", 0, 1)
        mediation = start_mediation_tests(
            parts, [(m.id, tuple(m.path)) for m in study.model.mediation], items, estimator=estimator,
            resamples=bootstrap, seed=seed, workers=workers, hypothesized_fit=hypothesized,
            hypothesized_draws=sem_draws if own_fit else None)
    try:
        if proper:
            report("Competing models", 0, 1)
            out["competing"], out["names"] = _competing(study, parts, items, estimator, hypothesized)
            fitted = hypothesized[0]
            out["collinearity"] = collinearity(fitted, parts.predictors(), construct_scores(items, study))
            report("Effect sizes f² (refitting without each path)", 0, 1)
            out["effect_sizes"] = f_squared(parts, items, fitted=fitted)
        out["invariance"] = _invariance(study, data, compared, estimator, report, notes)
        if mediation is not None:
            if bootstrap > 0:
                report("Full or partial mediation: bootstrapping", 0, bootstrap)
            out["mediation"] = mediation.result(
                progress=lambda done, total: report("Full or partial mediation: bootstrapping", done, total))
    except BaseException:
        if mediation is not None:
            mediation.cancel()
        raise
    return ModelQuestions(**out)


def _fits_the_sem_itself(study: Study) -> bool:
    """Whether these analyses use the study's own fit of the structural model (listwise ML, MLM or MLR);
    with FIML or WLSMV they refit it by ML on the complete answers."""
    return study.model.missing == "listwise" and study.model.estimator in ("ML", "MLM", "MLR")


def mediation_chains_of_sem(study: Study) -> list[tuple[str, ...]]:
    """The chains that the full-or-partial mediation tests bootstrap in the structural model itself (see
    ``sem_draws`` of :func:`answer_model_questions`); none when they refit the model (FIML, WLSMV)."""
    if not _fits_the_sem_itself(study):
        return []
    return hypothesized_model_chains(model_parts(study), [(m.id, tuple(m.path)) for m in study.model.mediation])


def _competing(study: Study, parts, items: pd.DataFrame, estimator: str,
               hypothesized: tuple) -> tuple[CompetingModels, dict]:
    chains = [tuple(m.path) for m in study.model.mediation]
    automatic = {"partial_mediation": lambda: partial_mediation_model(parts, chains),
                 "first_order": lambda: first_order_model(parts), "one_factor": lambda: one_factor_model(parts)}
    alternatives = [m for key in study.model.alternatives.automatic if (m := automatic[key]()) is not None]
    names = {}
    for alt in study.model.alternatives.models:
        alternatives.append(parts.with_paths(alt.id, add=alt.pairs("add"), drop=alt.pairs("drop")))
        if alt.name:
            names[alt.id] = alt.name
    require = {alt.id for alt in study.model.alternatives.models if alt.chisq_test}
    try:
        result = compare_models(parts, alternatives, items, estimator=estimator, require_nested=require,
                                hypothesized_fit=hypothesized)
    except NotNestedError as error:
        index = next(i for i, alt in enumerate(study.model.alternatives.models) if repr(alt.id) in str(error))
        loc = ("model", "alternatives", "models", index, "chisq_test")
        line = key_line(study.path, loc) if study.path else None
        where = f"{study.path}, line {line}" if line else str(study.path)
        raise StudyError(f"{where}: {'.'.join(map(str, loc))}: {error}; or remove chisq_test") from None
    return result, names


def _invariance(study: Study, data: SurveyData, compared: list[str], estimator: str, report: Progress,
                notes: list) -> list[GroupInvariance]:
    """Invariance on the first-order CFA per compared question, with the group comparison's respondents
    (a valid answer, every item answered) and groups; the first level of the question is the reference."""
    options = study.model.invariance or Invariance()
    syntax = cfa_syntax(study)
    out = []
    for column in compared:
        question = next(b for b in study.background if b.code == column)
        codes = [str(level.code) for level in question.levels]
        answers = data.background[column].astype("string").str.strip()
        keep = answers.notna() & (answers.isin(codes) if codes else True)
        keep = keep & ~data.items.isna().any(axis=1).to_numpy()
        counts = answers[keep].value_counts()
        order = [c for c in codes if counts.get(c, 0) >= MIN_GROUP] if codes else list(counts.index)
        if len(order) < 2 or len(order) < len(counts):
            continue  # the group comparison was not run either (and says why)
        report(f"Measurement invariance by {column}", 0, 1)
        try:
            result = measurement_invariance(syntax, data.items[keep.to_numpy()], answers[keep], levels=options.levels,
                                            partial=options.partial, free_by_score_test=options.free_by_score_test,
                                            criterion=options.criterion, max_free=options.max_free, order=order,
                                            estimator=estimator, measurement_pairs=second_order_pairs(study))
        except InvarianceError as error:
            line = key_line(study.path, ("model", "invariance")) if study.path else None
            raise StudyError(f"{study.path}{f', line {line}' if line else ''}: model.invariance: {error}") from None
        notes += [Message(f"Measurement invariance by {column}: ", f"按 {column} 的测量不变性：") + w
                  for w in result.warnings]
        out.append(GroupInvariance(column=column, result=result))
    return out
