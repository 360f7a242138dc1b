"""The group differences of a study: its outcomes by its background questions, as the study file asks.

In: the :class:`~study.questionnaire.Study` (its ``differences:`` section, background questions and
constructs) and the analysed responses (:class:`~study.data.SurveyData`). Out: a frozen
:class:`DifferencesChapter` with one :class:`GroupingDifferences` per background question, read by the
report and results.json. The statistics are :func:`~study.analyses.differences.group_difference`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..measurement.item_analysis import ItemAnalysis, item_analysis
from ..messages import Message
from ..questionnaire import Study
from .differences import GroupDifference, group_difference
from ..data.cells import answers_text

MAX_DEFAULT_LEVELS = 12  # without differences.by: questions with 2-12 levels (more are rarely groups)


@dataclass(frozen=True)
class GroupingDifferences:
    """Every outcome compared across the groups of one background question."""

    code: str
    name: Message
    ordered: bool
    levels: tuple[str, ...]  # level codes after merging, in the question's order
    level_names: dict[str, Message]
    merged: dict[str, tuple[str, ...]]  # merged group code -> the original level codes
    results: tuple[GroupDifference, ...]  # one per outcome, in the order of DifferencesChapter.outcomes
    notes: tuple[Message, ...] = ()  # each note once for the question (missing answers, small groups, ...)

    @property
    def tested(self) -> tuple[GroupDifference, ...]:
        return tuple(r for r in self.results if r.skipped is None)

    @property
    def kind(self) -> str | None:
        """"t" or "anova" for the question's tested outcomes (the same groups for all of them), or None."""
        kinds = {r.kind for r in self.tested}
        return kinds.pop() if len(kinds) == 1 else ("anova" if "anova" in kinds else None)


@dataclass(frozen=True)
class DifferencesChapter:
    outcomes: tuple[str, ...]
    outcome_names: dict[str, Message]
    outcome_kinds: dict[str, str]  # "construct" or "item"
    groupings: tuple[GroupingDifferences, ...]
    posthoc: str
    nonparametric: str
    levene: str
    min_group_size: int
    not_analysed: tuple[Message, ...] = field(default_factory=tuple)  # default questions left out, and why


def _text(text, fallback: str) -> Message:
    if text is None:
        return Message(fallback, fallback)
    return Message(text.get("en") or fallback, text.get("zh") or fallback)


def outcome_scores(study: Study, items: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Score of every outcome per respondent: a construct's mean item score (a second-order construct's:
    of all its dimensions' items), as the report's correlation table; an item's answer."""
    constructs = {c.code: c for c in study.constructs}
    out = {}
    for code in outcomes:
        if code in constructs:
            c = constructs[code]
            cols = [i.code for i in c.items] or [i.code for d in c.dimensions for i in constructs[d].items]
            out[code] = items[cols].astype(float).mean(axis=1)
        else:
            out[code] = items[code].astype(float)
    return pd.DataFrame(out, index=items.index)


def _merge(study: Study, question) -> tuple[list[str], dict[str, Message], dict[str, tuple[str, ...]], dict[str, str]]:
    """Levels after merging: codes in order, their names, the merged groups, and old code -> new code."""
    names = {str(lv.code): _text(lv.label, str(lv.code)) for lv in question.levels}
    codes = [str(lv.code) for lv in question.levels]
    recode: dict[str, str] = {}
    merged: dict[str, tuple[str, ...]] = {}
    for m in study.differences.merge.get(question.code, []):
        members = tuple(str(v) for v in m.levels)
        target = members[0]
        merged[target] = members
        for v in members:
            recode[v] = target
        names[target] = (_text(m.label, "/".join(members)) if m.label is not None else
                         Message("/".join(str(names[v]) for v in members), "/".join(names[v].zh for v in members)))
    levels = [c for c in codes if recode.get(c, c) == c]
    return levels, {c: names[c] for c in levels}, merged, recode


def differences_chapter(study: Study, items: pd.DataFrame, background: pd.DataFrame) -> DifferencesChapter:
    """Run the study's group differences.

    Parameters
    ----------
    study : Study
    items : DataFrame
        Analysed respondents x construct items (reverse-coded), as :class:`~study.data.SurveyData` has them.
    background : DataFrame
        The same respondents' answers to the background questions (codes as text; missing = no answer).
    """
    spec = study.differences
    outcomes = list(spec.outcomes) if spec.outcomes is not None else \
        [c.code for c in study.first_order] + [c.code for c in study.second_order]
    constructs = {c.code: c for c in study.constructs}
    outcome_names = {o: _text(constructs[o].name, o) if o in constructs else Message(o, o) for o in outcomes}
    scores = outcome_scores(study, items, outcomes)
    questions = {q.code: q for q in study.background}
    not_analysed: list[Message] = []
    if spec.by is not None:
        chosen = list(spec.by)
    else:
        chosen = []
        for q in study.background:
            name = _text(q.name or q.text, q.code)
            if q.type != "categorical":
                continue  # numeric questions (age in years) are not groups
            if q.code not in background:
                continue
            n_levels = len(q.levels) if q.levels else background[q.code].dropna().nunique()
            n_levels -= sum(len(m.levels) - 1 for m in spec.merge.get(q.code, []))
            if 2 <= n_levels <= MAX_DEFAULT_LEVELS:
                chosen.append(q.code)
            else:
                not_analysed.append(Message(
                    f"{name} has {n_levels} level(s), outside the 2–{MAX_DEFAULT_LEVELS} compared by default; name it "
                    "under differences.by to compare it anyway.",
                    f"{name.zh}有 {n_levels} 个选项，不在默认比较的 2–{MAX_DEFAULT_LEVELS} 个之内，未做差异分析。"))
    groupings = []
    for code in chosen:
        q = questions[code]
        name = _text(q.name or q.text, q.code)
        column = background[code] if code in background else pd.Series(pd.NA, index=items.index, dtype="string")
        answers = answers_text(column)  # = column.astype("string").str.strip(), once per distinct answer
        if q.levels:
            levels, level_names, merged, recode = _merge(study, q)
            if recode:
                answers = answers.replace(recode)
        else:
            levels = sorted(answers.dropna().unique())
            level_names, merged = {lv: Message(lv, lv) for lv in levels}, {}
        results = tuple(
            group_difference(scores[o].to_numpy(), answers.astype(object).where(answers.notna(), None).to_numpy(),
                             outcome=outcome_names[o], grouping=name, levels=levels, level_names=level_names,
                             ordered=q.ordered, posthoc=spec.posthoc, nonparametric=spec.nonparametric,
                             min_group_size=spec.min_group_size, levene_center=spec.levene)
            for o in outcomes)
        notes: list[Message] = []
        for r in results:
            for n in r.notes:
                if n not in notes:
                    notes.append(n)
        groupings.append(GroupingDifferences(code=code, name=name, ordered=q.ordered, levels=tuple(levels),
                                             level_names=level_names, merged=merged, results=results,
                                             notes=tuple(notes)))
    return DifferencesChapter(outcomes=tuple(outcomes), outcome_names=outcome_names,
                              outcome_kinds={o: "construct" if o in constructs else "item" for o in outcomes},
                              groupings=tuple(groupings),
                              posthoc=spec.posthoc, nonparametric=spec.nonparametric, levene=spec.levene,
                              min_group_size=spec.min_group_size, not_analysed=tuple(not_analysed))


def item_analysis_chapter(study: Study, items: pd.DataFrame) -> tuple[dict[str, ItemAnalysis], list[Message]]:
    """Item analysis (项目分析) of every scale of the structural model: a construct's items (a second-order
    construct's: all its dimensions' items) with their total. Needs complete answers: respondents with an
    unanswered item are left out of it (counted in the returned notes)."""
    constructs = {c.code: c for c in study.constructs}
    complete = items.dropna()
    notes: list[Message] = []
    if len(complete) < len(items):
        left = len(items) - len(complete)
        notes.append(Message(f"Item analysis uses the {len(complete)} respondents who answered every item "
                             f"({left} with an unanswered item are left out of it).",
                             f"项目分析基于回答了全部题项的 {len(complete)} 名受访者（{left} 名有未答题项者未纳入）。"))
    out = {}
    for code in study.structural_constructs:
        c = constructs[code]
        if c.mode == "formative":  # discrimination and item-total correlation assume reflective items
            continue
        cols = [i.code for i in c.items] or [i.code for d in c.dimensions for i in constructs[d].items]
        try:
            out[code] = item_analysis(complete[cols])
        except ValueError as error:
            notes.append(Message(f"Item analysis of {code} was not run: {error}.",
                                 f"未对{_text(c.name, code).zh}进行项目分析：{error}。"))
    return out, notes
