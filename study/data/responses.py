"""The responses that enter the analysis: :func:`load_responses` reads the data file, parses the answers,
reverse-codes the negatively worded items and applies the screening rules; :class:`SurveyData` carries the
analysed rows and the account of the excluded ones.
"""

from __future__ import annotations

import difflib
import warnings as _warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..messages import Message
from ..questionnaire.schema import Study, StudyError
from .answers import _ItemParser, _background, _missing_detail
from .cells import _MAX_LISTED, _listing, _text
from .readers import _open
from .screening import (REASONS_ZH, REASON_ATTENTION, REASON_INCOMPLETE, REASON_NO_ANSWERS, REASON_SPEEDING,
                        REASON_STRAIGHT, _Durations, _Rule, _attention, _duplicates, _exclusions, _flagged,
                        _reason_counts, _speeders, excluded_summary)


@dataclass(frozen=True)
class SurveyData:
    """The responses that enter the analysis, and the account of how they were obtained."""

    items: pd.DataFrame  # analysed respondents x construct items, reverse-coded, numeric
    background: pd.DataFrame  # analysed respondents x background questions (text codes; missing = no answer)
    n_raw: int
    excluded: pd.DataFrame  # one row per excluded respondent: row, id, reason, detail
    file: Path
    reverse_coded: list[str] = field(default_factory=list)
    missing_by_item: dict[str, int] = field(default_factory=dict)  # item -> unanswered (all rows)
    flagged: pd.DataFrame | None = None  # respondents flagged but kept: row, id, reason, detail
    notes: list[str] = field(default_factory=list)  # what was done to the data, for the report
    warnings: list[str] = field(default_factory=list)
    # number of unanswered construct items -> number of respondents (all rows), e.g. {0: 480, 1: 15, 3: 5}
    missing_by_respondent: dict[int, int] = field(default_factory=dict)
    text_answers: dict[str, int] = field(default_factory=dict)  # item -> text answers mapped to codes

    @property
    def n_analysed(self) -> int:
        return len(self.items)

    @property
    def excluded_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.excluded["reason"].value_counts(sort=False).items()}


def load_responses(study: Study, data_file: str | Path | None = None, *, block_rows: int | None = None) -> SurveyData:
    """Read, check, reverse-code and screen the responses of a study.

    Parameters
    ----------
    study : Study
        The validated study definition.
    data_file : str or Path, optional
        Overrides ``data.file`` of the study.
    block_rows : int, optional
        Rows per block when reading a CSV file (default: about 4 million cells per block).

    Returns
    -------
    SurveyData

    Raises
    ------
    StudyError
        When a column is missing or a value is not valid; the message lists each problem with its
        row, column and value.
    """
    path = Path(data_file).resolve() if data_file else study.resolve(study.data.file)
    screening = study.screening
    item_columns = {i.code: i.data_column for i in study.items}
    background_columns = {b.code: b.data_column for b in study.background}
    id_column = study.data.id_column
    extra = ([c.column for c in screening.attention_checks]
             + ([screening.completion_time.column] if screening.completion_time else [])
             + ([id_column] if id_column else []))
    wanted = list(dict.fromkeys([*item_columns.values(), *background_columns.values(), *extra]))
    # The completion-time column is read as the file gives it (numbers, text, spreadsheet time cells) and
    # parsed into seconds block by block, unless it is also read as text for another role.
    timing = screening.completion_time
    durations = _Durations(timing.column) if timing else None
    text_roles = {*background_columns.values(), *(c.column for c in screening.attention_checks), id_column}
    raw_timing = bool(timing) and timing.column not in text_roles and timing.column not in item_columns.values()
    numeric = [*item_columns.values(), *([timing.column] if raw_timing else [])]

    source = _open(path, wanted, numeric, block_rows)
    missing = [c for c in wanted if c not in source.header]
    if missing:
        lines = []
        for column in missing:
            close = difflib.get_close_matches(column, [h for h in source.header if h not in wanted], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"  column {column!r}{hint}")
        raise StudyError(f"{path}: {len(missing)} column(s) named in {study.path} are not in the data file:\n"
                         + "\n".join(lines)
                         + "\nRename the column in the data, or set the item's `column:` in the study file.")

    codes = list(item_columns)
    parser = _ItemParser(study, item_columns, source.value_labels)
    others = [c for c in wanted if c not in set(numeric)]
    capacity = source.rows_hint or 1024
    x = np.empty((capacity, len(codes)), dtype=float, order="F")  # one contiguous column per item
    texts: dict[str, list[np.ndarray]] = {c: [] for c in others}
    n_raw = 0
    for block in source.blocks:
        m = len(block)
        if n_raw + m > capacity:
            capacity = max(2 * capacity, n_raw + m)
            grown = np.empty((capacity, len(codes)), dtype=float, order="F")
            grown[:n_raw] = x[:n_raw]
            x = grown
        parser.parse(block, n_raw, x[n_raw:n_raw + m])
        if raw_timing:
            durations.parse(block[timing.column], n_raw)
        for c in others:
            texts[c].append(_text(block[c]))
        n_raw += m
    x = x[:n_raw]
    text = {c: np.concatenate(parts) if parts else np.empty(0, dtype=object) for c, parts in texts.items()}
    if n_raw == 0:
        raise StudyError(f"{path}: the data file has no rows")

    notes: list[str] = list(source.notes)
    warnings: list[str] = []
    problems, n_problems = parser.problems, parser.n_problems
    seconds = None
    if durations:
        if not raw_timing:
            durations.parse(pd.Series(text[timing.column], dtype=object), 0)
        seconds = durations.seconds()
        problems += durations.problems
        n_problems += durations.n_problems
    if problems:
        shown = problems[:3 * _MAX_LISTED]
        more = f"\n  ... and more ({n_problems - len(shown)} not shown)" if n_problems > len(shown) else ""
        hint = ("" if study.scale.answers else
                ", declare text answers under scale.answers (e.g. answers: {1: [非常不同意, Strongly disagree]})")
        raise StudyError(f"{path}: {n_problems} answer(s) are not valid (row 1 is the first data row):\n"
                         + "\n".join(shown) + more
                         + "\nFix the values (leave the cell empty for no answer)" + hint
                         + ", or declare numeric missing-value codes such as 99 under scale.missing_codes.")
    notes += parser.notes()
    day_fractions = None
    if durations:
        notes += durations.notes()
        day_fractions = durations.day_fractions(seconds)
        if day_fractions:
            warnings.append(Message(f"{path.name}: {day_fractions}", f"{path.name}：{day_fractions.zh}",
                                    day_fractions))

    rows = np.arange(1, n_raw + 1)  # 1-based data row numbers (line = row + 1 in a CSV file)
    ids = text[id_column] if id_column else rows
    name = path.name

    unanswered = np.isnan(x)
    missing_counts = unanswered.sum(axis=1)
    complete = missing_counts == 0
    missing_by_item = {c: int(v) for c, v in zip(codes, unanswered.sum(axis=0))}
    missing_by_respondent = {int(k): int(v) for k, v in enumerate(np.bincount(missing_counts)) if v}
    del unanswered
    if not complete.all():
        by_count = ", ".join(f"{k} item{'s' if k > 1 else ''}: {v}" for k, v in missing_by_respondent.items() if k)
        worst = sorted(((v, c) for c, v in missing_by_item.items() if v), reverse=True)[:5]
        most = ", ".join(f"{c} ({v})" for v, c in worst)
        notes.append(Message(f"{int((~complete).sum())} of {n_raw} respondents left construct items unanswered "
                             f"({by_count}); most often unanswered: {most}.",
                             f"{n_raw} 名受访者中有 {int((~complete).sum())} 人有未作答的构念题项；"
                             f"未作答最多的题项：{most}。",
                             Message(f"{int((~complete).sum())} of {n_raw} respondents left construct items unanswered "
                                     f"({by_count}); most often unanswered: {most}.",
                                     f"{n_raw} 名受访者中有 {int((~complete).sum())} 人至少漏答一个构念题项，漏答最多的依次为"
                                     + "、".join(f"{c}（{v} 人）" for v, c in worst) + "。")))

    rules: list[_Rule] = []
    if id_column:
        rules += _duplicates(ids, id_column, screening.duplicates, rows, name, notes, warnings)
    answers = study.scale.text_answers()
    for check in screening.attention_checks:
        failed, detail, note = _attention(text[check.column], check, answers, rows, name)
        if failed.any():
            rules.append(_Rule(REASON_ATTENTION, check.action, failed, detail))
            notes.append(note)
    if seconds is not None:
        rules += _speeders(seconds, screening.completion_time, rows, name, notes, warnings)
    # Straight-lining is judged on the answers as given (before reverse coding); with FIML, on the
    # answers given by respondents who answered at least half of the items.
    fiml = study.model.missing == "fiml"
    if screening.straight_lining != "off" and len(codes):
        if fiml:
            enough = missing_counts <= len(codes) // 2
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
                straight = enough & (np.nanmax(x, axis=1) == np.nanmin(x, axis=1))
        else:
            straight = complete & (x.max(axis=1) == x.min(axis=1))  # rows with a NaN compare False
        if straight.any():
            first_answers = x[np.arange(len(x)), np.argmax(~np.isnan(x), axis=1)]
            rules.append(_Rule(REASON_STRAIGHT, screening.straight_lining, straight,
                               lambda idx: [f"every item answered {v:g}" for v in first_answers[idx]]))
            notes.append(Message(f"{name}: {int(straight.sum())} respondent(s) gave the same answer to every "
                                 f"construct item (rows {_listing(rows[straight])}).",
                                 f"{name}：{int(straight.sum())} 名受访者对所有构念题项给出了相同的答案（直线作答）。",
                                 Message(f"{int(straight.sum())} respondent(s) gave the same answer to every construct "
                                         "item (straight-lining).",
                                         f"{int(straight.sum())} 名受访者对所有构念题项给出了相同的答案（直线作答）。")))
    if fiml:
        empty = missing_counts == len(codes)
        if empty.any():
            rules.append(_Rule(REASON_NO_ANSWERS, "exclude", empty, lambda idx: ["no construct item answered"] * len(idx)))
    elif not complete.all():
        rules.append(_Rule(REASON_INCOMPLETE, "exclude", ~complete, lambda idx, x=x: _missing_detail(x, idx, codes)))

    excluded, keep = _exclusions(rules, rows, ids, n_raw)
    flagged = _flagged(rules, keep, rows, ids, warnings)
    del rules  # their closures hold the full answer array
    if len(excluded):
        summary = excluded_summary(excluded, sep="; ", form="{n} for {reason}")
        summary_zh = "；".join(f"{REASONS_ZH.get(r, r)} {n} 人" for r, n in _reason_counts(excluded))
        notes.append(Message(f"Excluded {len(excluded)} of {n_raw} respondents ({summary})"
                             + ("." if fiml else "; missing answers are handled by listwise deletion."),
                             f"{n_raw} 名受访者中剔除 {len(excluded)} 人（{summary_zh}）"
                             + ("。" if fiml else "；缺失值按成列删除法处理。"),
                             # the report's text states the counts already; the note keeps only the method
                             Message("" if fiml else "Missing answers are handled by listwise deletion.",
                                     "" if fiml else "缺失值采用成列删除法处理。")))
        warnings.append(Message(f"{len(excluded)} of {n_raw} respondents were excluded: {summary}. "
                                "They are listed with row and reason in excluded_respondents.csv.",
                                f"{n_raw} 名受访者中剔除 {len(excluded)} 人：{summary_zh}。"
                                "剔除名单（行号与原因）见 excluded_respondents.csv。",
                                Message(f"{len(excluded)} of {n_raw} respondents were excluded: {summary}; the list of "
                                        "excluded respondents, with row and reason, accompanies this report.",
                                        f"{n_raw} 名受访者中剔除 {len(excluded)} 人：{summary_zh}；剔除名单（行号与原因）随本报告一并提供。")))
    elif complete.all():
        notes.append(Message(f"All {n_raw} respondents answered every construct item and were analysed.",
                             f"全部 {n_raw} 名受访者回答了所有构念题项，均纳入分析。"))
    else:
        notes.append(Message(f"All {n_raw} respondents were analysed.", f"全部 {n_raw} 名受访者均纳入分析。"))

    if fiml and not complete.all():
        kept_incomplete = int((~complete & keep).sum())
        share = float(np.isnan(x[keep]).mean()) if keep.any() else 0.0
        notes.append(Message(
            f"Missing answers are handled by full-information maximum likelihood (FIML): the {kept_incomplete} "
            f"respondent(s) with unanswered items stay in the analysis and contribute the answers they gave "
            f"({share:.1%} of the analysed answers are missing). FIML assumes the answers are missing at random "
            "(MAR): whether an answer is missing may depend on the respondent's other answers, not on the "
            "missing answer itself.",
            f"缺失值采用完全信息极大似然法（FIML）处理：{kept_incomplete} 名有未答题项的受访者保留在分析中，"
            f"以其已作答的答案参与估计（已分析答案中缺失 {share:.1%}）。FIML 假定数据随机缺失（MAR）："
            "是否缺失可以取决于受访者的其他答案，但不取决于缺失的答案本身。"))

    reverse = [i.code for i in study.items if i.reverse]
    analysed_x = x[keep]
    del x
    if reverse:
        j = [codes.index(c) for c in reverse]
        analysed_x[:, j] = (study.scale.min + study.scale.max) - analysed_x[:, j]
        notes.append(Message(f"Reverse-coded {len(reverse)} negatively worded item(s) as "
                             f"{study.scale.min + study.scale.max} − answer: {', '.join(reverse)}.",
                             f"{len(reverse)} 个反向表述题项已按 {study.scale.min + study.scale.max} − 原始答案"
                             f"反向计分：{', '.join(reverse)}。",
                             Message(f"Reverse-coded {len(reverse)} negatively worded item(s) as "
                                     f"{study.scale.min + study.scale.max} − answer: {', '.join(reverse)}.",
                                     f"反向题 {'、'.join(reverse)} 已按“{study.scale.min + study.scale.max} − 原始得分”反向计分。")))
    analysed = pd.DataFrame(analysed_x, index=pd.Index(rows[keep], name="row"), columns=codes, copy=False)

    background = _background(text, study, rows, source.value_labels, notes, warnings, name)
    background = background.loc[keep] if not keep.all() else background

    unanswered_items = [c for c, answered in zip(codes, (~np.isnan(analysed_x)).sum(axis=0)) if answered < 2]
    if len(analysed) and unanswered_items:
        raise StudyError(f"{path}: item column(s) {', '.join(item_columns[c] for c in unanswered_items)} have "
                         "fewer than two answers among the analysed respondents; such an item cannot be analysed. "
                         "Check the column mapping or remove the item from the study file.")
    if len(analysed):
        low, high = np.nanmin(analysed_x, axis=0), np.nanmax(analysed_x, axis=0)
        constant = [c for c, lo, hi in zip(codes, low, high) if lo == hi]
    else:
        constant = []
    if constant:
        raise StudyError(f"{path}: item column(s) {', '.join(item_columns[c] for c in constant)} have the same "
                         "value for every analysed respondent; a constant item cannot be analysed. "
                         "Check the column mapping or remove the item from the study file.")
    if len(analysed) < 2 * len(item_columns):
        why = f" Excluded: {excluded_summary(excluded)}." if len(excluded) else ""
        if day_fractions and REASON_SPEEDING in set(excluded["reason"]):
            why += f" Note: {day_fractions}"
        raise StudyError(f"{path}: only {len(analysed)} respondents remain after screening for "
                         f"{len(item_columns)} items; the model cannot be estimated reliably.{why}")
    return SurveyData(items=analysed, background=background, n_raw=n_raw, excluded=excluded,
                      file=path, reverse_coded=reverse, missing_by_item=missing_by_item,
                      flagged=flagged, notes=notes, warnings=warnings,
                      missing_by_respondent=missing_by_respondent, text_answers=parser.mapped)
