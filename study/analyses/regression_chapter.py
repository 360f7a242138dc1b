"""The study's regression, moderation and moderated-mediation analyses on construct scores.

From the study file: ``model.controls`` (background questions as covariates; categorical ones dummy-coded
against a reference level), the hypotheses (each endogenous construct regressed on its hypothesised
causes), ``model.moderation`` and ``model.moderated_mediation``. Scores are item means (the scores of
the correlation table; a second-order construct's is the mean of its dimensions' items). Respondents
without a usable answer to a variable of a model are left out of that model only, and counted.

Where X, W (and M) and Y are first-order constructs, each moderation and moderated mediation is also
estimated in the SEM with a latent product (:func:`~study.analyses.moderation.latent_interaction`).

Problems that only the data reveal — a level of a categorical moderator that nobody chose, a moderator
that is a perfect linear function of X or the controls — are :class:`~study.questionnaire.StudyError`\\ s
naming the study file, the key and its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import yaml

from ..data import SurveyData
from ..measurement import item_total
from ..messages import Message
from ..questionnaire import Study, StudyError
from .moderated_mediation import (LatentModeratedMediation, ModeratedMediationResult, latent_moderated_mediation,
                                  moderated_mediation)
from .moderation import LatentInteraction, ModerationResult, latent_interaction, matched_pairs, moderation
from .regression import HierarchicalRegression, RegressionFit, dummy_code, hierarchical_regression

__all__ = ["ControlTerm", "RegressionAnalysis", "ModerationAnalysis", "ModeratedMediationAnalysis",
           "ScoreModels", "score_models", "score_frame"]

MM_RESAMPLES = 5000  # the index of moderated mediation: at least this many resamples (Hayes 2022)


@dataclass(frozen=True)
class ControlTerm:
    """A control variable as it enters the regressions."""

    question: str
    categorical: bool
    reference: str | None  # categorical: the level the dummy codes compare with
    levels: tuple[str, ...]  # categorical: the levels with respondents, the reference first
    columns: tuple[str, ...]  # the design columns: the question, or one dummy per non-reference level
    dropped_levels: tuple[str, ...] = ()  # levels listed in the study file that nobody chose


@dataclass(frozen=True)
class RegressionAnalysis:
    """An endogenous construct regressed on its hypothesised causes: step 1 the controls (if any), then
    the predictors."""

    dependent: str
    predictors: tuple[str, ...]
    controls: tuple[str, ...]  # design columns of the controls
    hierarchy: HierarchicalRegression

    @property
    def model(self) -> RegressionFit:
        return self.hierarchy.models[-1]


@dataclass(frozen=True)
class ModerationAnalysis:
    id: str | None
    x: str
    w: str
    y: str
    sign: str | None
    w_kind: str  # construct | item | background
    result: ModerationResult
    latent: LatentInteraction | None
    latent_note: str | None  # why the SEM version was not estimated, or that its solution is improper
    supported: bool


@dataclass(frozen=True)
class ModeratedMediationAnalysis:
    id: str | None
    path: tuple[str, str, str]
    w: str
    stage: str
    sign: str | None
    w_kind: str
    result: ModeratedMediationResult
    latent: LatentModeratedMediation | None
    latent_note: str | None
    supported: bool | None  # None without a bootstrap


@dataclass(frozen=True)
class ScoreModels:
    controls: list[ControlTerm] = field(default_factory=list)
    regression: list[RegressionAnalysis] = field(default_factory=list)
    moderation: list[ModerationAnalysis] = field(default_factory=list)
    moderated_mediation: list[ModeratedMediationAnalysis] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------

def _items_of(study: Study, code: str) -> list[str]:
    c = study.construct(code)
    return [i.code for i in c.items] or [i.code for d in c.dimensions for i in study.construct(d).items]


def score_frame(study: Study, items: pd.DataFrame) -> pd.DataFrame:
    """Construct scores: the mean of each construct's answered items (as the report's correlation table,
    :func:`study.report.scores.construct_scores`)."""
    order = [c.code for c in study.first_order] + [c.code for c in study.second_order]
    return pd.DataFrame({code: items[_items_of(study, code)].astype(float).mean(axis=1) for code in order},
                        index=items.index)


def _where(study: Study, loc: tuple) -> str:
    """``file, line N: key.path`` for a key of the study file (its line found by reading the file again)."""
    key = ".".join(map(str, loc))
    if study.path is None:
        return key
    from ..questionnaire.load import _LineLoader, _line_of  # the loader that keeps the lines of keys
    try:
        loader = _LineLoader(study.path.read_text(encoding="utf-8-sig"))
        loader.key_lines = {}
        try:
            line = _line_of(loader.get_single_data(), loc, loader.key_lines)
        finally:
            loader.dispose()
    except (OSError, yaml.YAMLError):
        line = None
    return f"{study.path}, line {line}: {key}" if line else f"{study.path}: {key}"


def _background_values(study: Study, data: SurveyData, code: str):
    """(values, categorical, levels): a numeric question as floats; a categorical one as its level codes
    (text), answers that are not a listed level set to missing."""
    q = next(b for b in study.background if b.code == code)
    raw = data.background[q.code] if q.code in data.background else pd.Series(np.nan, index=data.items.index)
    if q.type == "numeric":
        return pd.to_numeric(raw, errors="coerce"), False, ()
    values = raw.astype("string").str.strip()
    levels = tuple(str(level.code) for level in q.levels)
    if levels:
        values = values.where(values.isin(levels))
    else:
        levels = tuple(sorted(values.dropna().unique(), key=str))
    return values.astype(object).where(values.notna(), np.nan), True, levels


def _controls(study: Study, data: SurveyData, frame: pd.DataFrame, notes: list) -> list[ControlTerm]:
    out = []
    lang_zh = {b.code: b.label("zh") for b in study.background}
    for ci, control in enumerate(study.controls):
        values, categorical, levels = _background_values(study, data, control.question)
        if not categorical:
            frame[control.question] = values
            out.append(ControlTerm(control.question, False, None, (), (control.question,)))
            continue
        reference = str(control.reference) if control.reference is not None else (levels[0] if levels else None)
        counts = values.value_counts()
        empty = tuple(lv for lv in levels if counts.get(lv, 0) == 0)
        if reference in empty or reference is None:
            raise StudyError(f"{_where(study, ('model', 'controls', ci))}: no respondent has the reference level "
                             f"{reference!r} of {control.question}; give another level as reference")
        used = tuple(lv for lv in levels if lv not in empty)
        if len(used) < 2:
            raise StudyError(f"{_where(study, ('model', 'controls', ci))}: every respondent analysed has the same "
                             f"answer to {control.question} ({reference}), so it cannot be a control; remove it")
        if empty:
            notes.append(Message(
                f"Control {control.question}: nobody chose {', '.join(empty)}; the level(s) are left out of its "
                "dummy codes.",
                f"控制变量{lang_zh[control.question]}：无人选择 {'、'.join(empty)}，该水平未纳入虚拟变量。"))
        dummies = dummy_code(values, reference=reference, levels=used, name=control.question)
        for c in dummies.columns:
            frame[c] = dummies[c]
        out.append(ControlTerm(control.question, True, reference, (reference, *[lv for lv in used if lv != reference]),
                               tuple(dummies.columns), empty))
    return out


def _moderator(study: Study, data: SurveyData, frame: pd.DataFrame, w: str, reference, loc: tuple):
    """Puts W into ``frame`` and returns (kind, reference, levels) for the engine."""
    kind = study.variable_kind(w)
    if kind == "construct":
        return kind, None, None
    if kind == "item":
        frame[w] = data.items[w].astype(float)
        return kind, None, None
    values, categorical, levels = _background_values(study, data, w)
    frame[w] = values
    if not categorical:
        return kind, None, None
    reference = str(reference) if reference is not None else (levels[0] if levels else None)
    counts = values.value_counts()
    empty = [lv for lv in levels if counts.get(lv, 0) == 0]
    if empty:
        raise StudyError(f"{_where(study, (*loc, 'w'))}: the moderator {w} is categorical and no respondent chose "
                         f"{', '.join(map(repr, empty))}; the effect in that group cannot be estimated. Merge the level "
                         f"with a neighbouring one in the data, or remove it from the levels of {w}")
    return kind, reference, list(levels)


def _engine(call, study: Study, loc: tuple):
    """Runs an engine call; its input errors become study errors located at the study-file key."""
    try:
        return call()
    except ValueError as error:
        raise StudyError(f"{_where(study, loc)}: {error}") from None


def _pairs(study: Study, items: pd.DataFrame, a: str, b: str) -> list[tuple[str, str]]:
    """Matched pairs ranked by corrected item–total correlation (the most reliable items paired)."""
    ranking = {}
    for code in (a, b):
        cols = _items_of(study, code)
        if len(cols) >= 3:
            ranking.update(item_total(items[cols])["citc"].to_dict())
        else:
            ranking.update({c: 0.0 for c in cols})
    return matched_pairs(_items_of(study, a), _items_of(study, b), ranking)


def _measurement(study: Study, codes) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Items of each construct (and of the dimensions of a second-order one), and the second-order ones."""
    constructs, second_order = {}, {}
    for code in codes:
        c = study.construct(code)
        if c.dimensions:
            second_order[code] = list(c.dimensions)
            constructs.update({d: [i.code for i in study.construct(d).items] for d in c.dimensions})
        else:
            constructs[code] = [i.code for i in c.items]
    return constructs, second_order


def _latent_reason(study: Study, in_products: list[str], w_kind: str) -> Message | None:
    """Why the SEM version cannot be estimated, or None. Constructs that form a product need items."""
    if getattr(study.model, "method", "cb") == "pls":
        return Message("The study is analysed by PLS-SEM, so the covariance-based latent interaction is not "
                       "estimated; only the regression on scores is reported.",
                       "本研究采用 PLS-SEM 分析，因此不估计基于协方差的潜变量交互；只报告基于得分的回归结果。")
    if w_kind != "construct":
        return Message("The SEM version needs a moderator measured by several items (a construct); this one is "
                       "a single variable, so only the regression on scores is reported.",
                       "SEM 潜变量交互需要由多个题项测量的调节变量（构念）；该调节变量为单一变量，因此只报告基于得分的回归结果。")
    if any(not study.construct(c).items for c in in_products):
        return Message("The SEM version forms product indicators from the items of the constructs in the "
                       "product; a second-order construct has none of its own, so only the regression on scores "
                       "is reported.",
                       "SEM 潜变量交互由构成乘积项的构念的题项形成乘积指标；二阶构念没有直接题项，因此只报告基于得分的回归结果。")
    if study.model.estimator == "WLSMV":
        return Message("The SEM version with product indicators treats the answers as continuous (ML) and is not "
                       "estimated with WLSMV; only the regression on scores is reported.",
                       "基于乘积指标的 SEM 潜变量交互将作答视为连续变量（ML），WLSMV 估计下不予估计；只报告基于得分的回归结果。")
    return None


def score_models(study: Study, data: SurveyData, *, bootstrap: int, seed: int, workers: int | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> ScoreModels:
    """Regressions of the endogenous constructs, moderations and moderated mediations of a study.

    Parameters
    ----------
    study : Study
    data : SurveyData
    bootstrap : int
        Resamples of the SEM bootstrap (the study's ``model.bootstrap``); the regression-based index of
        moderated mediation uses at least 5000. 0: no bootstrap.
    seed : int
    workers : int, optional
        Processes for the SEM bootstrap.
    progress : callable(step, done, total), optional
    """
    report = progress or (lambda step, done, total: None)
    notes: list[str] = []
    frame = score_frame(study, data.items)
    controls = _controls(study, data, frame, notes)
    control_columns = [c for term in controls for c in term.columns]

    regressions = []
    causes: dict[str, list[str]] = {}
    for h in study.model.hypotheses:
        causes.setdefault(h.to, []).append(h.from_)
    for dependent, predictors in causes.items():
        steps = ([control_columns] if control_columns else []) + [predictors]
        hierarchy = _engine(lambda: hierarchical_regression(frame, dependent, steps), study, ("model", "hypotheses"))
        regressions.append(RegressionAnalysis(dependent, tuple(predictors), tuple(control_columns), hierarchy))
        if hierarchy.models[-1].n_excluded:
            notes.append(Message(
                f"Regression of {dependent}: {hierarchy.models[-1].n_excluded} respondent(s) without an answer to a "
                "control or a construct are left out of it.",
                f"{dependent} 的回归：{hierarchy.models[-1].n_excluded} 名受访者缺少控制变量或构念的作答，未纳入该回归。"))

    complete_items = data.items.dropna()
    if len(complete_items) < len(data.items) and (study.model.moderation or study.model.moderated_mediation):
        notes.append(Message(
            f"The SEM versions of the moderation analyses use the {len(complete_items)} respondents who answered "
            "every item (product indicators need complete answers).",
            f"调节效应的 SEM 版本基于回答了全部题项的 {len(complete_items)} 名受访者（乘积指标需要完整作答）。"))

    moderations = []
    for mi, spec in enumerate(study.model.moderation):
        loc = ("model", "moderation", mi)
        label = spec.id or f"{spec.x} × {spec.w} → {spec.y}"
        report(f"Moderation {label}", 0, 1)
        local = frame.copy()
        kind, reference, levels = _moderator(study, data, local, spec.w, spec.reference, loc)
        result = _engine(lambda: moderation(local, spec.x, spec.w, spec.y, controls=control_columns,
                                            reference=reference, levels=levels), study, (*loc, "w"))
        latent, reason = None, _latent_reason(study, [spec.x] + ([spec.w] if kind == "construct" else []), kind)
        if reason is None:
            constructs, second_order = _measurement(study, (spec.x, spec.w, spec.y))
            latent = _engine(lambda: latent_interaction(complete_items, constructs, spec.x, spec.w, spec.y,
                                                        pairs=_pairs(study, complete_items, spec.x, spec.w),
                                                        second_order=second_order), study, loc)
            if not latent.fitted.proper:
                reason = Message("The SEM version has no proper solution, so its estimates are not reported.",
                                 "SEM 潜变量交互模型没有合理解，因此不报告其估计值。")
        b = result.interaction["B"]
        right = spec.sign is None or (len(b) == 1 and (b.iloc[0] > 0) == (spec.sign == "+"))
        moderations.append(ModerationAnalysis(spec.id, spec.x, spec.w, spec.y, spec.sign, kind, result, latent,
                                              reason, bool(result.significant and right)))
        if result.n_excluded:
            notes.append(Message(
                f"Moderation {label}: {result.n_excluded} respondent(s) without an answer to the moderator or a "
                "control are left out of it.",
                f"调节效应 {label}：{result.n_excluded} 名受访者缺少调节变量或控制变量的作答，未纳入该分析。"))

    mediated = []
    resamples = max(MM_RESAMPLES, bootstrap) if bootstrap > 0 else 0
    for mi, spec in enumerate(study.model.moderated_mediation):
        loc = ("model", "moderated_mediation", mi)
        x, m, y = spec.path
        label = spec.id or " → ".join(spec.path)
        local = frame.copy()
        kind, reference, levels = _moderator(study, data, local, spec.w, spec.reference, loc)
        result = _engine(lambda: moderated_mediation(
            local, x, m, y, spec.w, stage=spec.stage, controls=control_columns, reference=reference, levels=levels,
            resamples=resamples, seed=seed,
            progress=lambda done, total: report(f"Moderated mediation {label}: bootstrap", done, total)),
            study, (*loc, "w"))
        in_products = ([x] if spec.stage in ("first", "both") else []) + ([m] if spec.stage in ("second", "both") else [])
        latent, reason = None, _latent_reason(study, in_products + ([spec.w] if kind == "construct" else []), kind)
        if reason is None:
            constructs, second_order = _measurement(study, (x, m, y, spec.w))
            pairs = {key: _pairs(study, complete_items, c, spec.w) for key, c in (("XW", x), ("MW", m))
                     if c in in_products}
            latent = _engine(lambda: latent_moderated_mediation(
                complete_items, constructs, x, m, y, spec.w, stage=spec.stage, pairs=pairs, resamples=bootstrap,
                seed=seed, workers=workers, second_order=second_order,
                progress=lambda done, total: report(f"Moderated mediation {label}: SEM bootstrap", done, total)),
                study, loc)
            if not latent.fitted.proper:
                reason = Message("The SEM version has no proper solution, so its estimates are not reported.",
                                 "SEM 版本没有合理解，因此不报告其估计值。")
            elif latent.draws is not None and latent.draws.failed:
                notes.append(Message(
                    f"Moderated mediation {label}: {latent.draws.failed} of {bootstrap} SEM bootstrap resamples did "
                    "not converge and were left out of the intervals.",
                    f"有调节的中介 {label}：SEM Bootstrap 的 {bootstrap} 次重抽样中有 {latent.draws.failed} 次未收敛，"
                    "未计入置信区间。"))
        if result.n_excluded:
            notes.append(Message(
                f"Moderated mediation {label}: {result.n_excluded} respondent(s) without an answer to the moderator "
                "or a control are left out of it.",
                f"有调节的中介 {label}：{result.n_excluded} 名受访者缺少调节变量或控制变量的作答，未纳入该分析。"))
        if result.failed:
            notes.append(Message(
                f"Moderated mediation {label}: {result.failed} of {resamples} bootstrap resamples lacked a level of "
                f"{spec.w} and were left out of the intervals.",
                f"有调节的中介 {label}：{resamples} 次重抽样中有 {result.failed} 次缺少 {spec.w} 的某一水平，未计入置信区间。"))
        supported = None
        if resamples:
            idx = result.index
            excludes = (idx["ci_lower"] > 0) | (idx["ci_upper"] < 0)
            right = spec.sign is None or (len(idx) == 1 and (idx["est"].iloc[0] > 0) == (spec.sign == "+"))
            supported = bool(excludes.any() and right)
        mediated.append(ModeratedMediationAnalysis(spec.id, (x, m, y), spec.w, spec.stage, spec.sign, kind, result,
                                                   latent, reason, supported))
    return ScoreModels(controls=controls, regression=regressions, moderation=moderations,
                       moderated_mediation=mediated, warnings=notes)
