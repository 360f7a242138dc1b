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

from ..messages import Message, counted
from ..questionnaire.schema import Study, StudyError
from .answers import _ItemParser, _background, _missing_detail
from .cells import _MAX_LISTED, _listing, _text
from .checks import check_fiml_coverage, check_item_matrix
from .readers import _open
from .screening import (REASONS_ZH, REASON_ATTENTION, REASON_INCOMPLETE, REASON_NO_ANSWERS, REASON_SPEEDING,
                        REASON_STRAIGHT, _Durations, _Rule, _attention, _duplicates, _exclusions, _flagged,
                        _identical_answers, _reason_counts, _speeders, excluded_summary)


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
    # what the row numbers (the ``row`` index and column) are: the data file's own numbers
    row_numbers: str = "row numbers (the first data row is 1)"
    row_unit: str = "row"  # line (CSV/TSV) | row (Excel sheet) | case (SPSS/Stata)
    # every respondent of the file (analysed or not), as read: raw answers (before reverse coding), background
    # codes, and the ids; for the analysed-data export (None when not kept)
    all_items: pd.DataFrame | None = None
    all_background: pd.DataFrame | None = None
    ids: pd.Series | None = None

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
    duplicates = screening.duplicates
    duplicate_columns = (duplicates.columns if duplicates is not None and duplicates.columns is not None
                         else [id_column] if id_column else [])
    extra = ([c.column for c in screening.attention_checks]
             + ([screening.completion_time.column] if screening.completion_time else [])
             + ([id_column] if id_column else []) + list(duplicate_columns))
    wanted = list(dict.fromkeys([*item_columns.values(), *background_columns.values(), *extra]))
    # The completion-time column is read as the file gives it (numbers, text, spreadsheet time cells) and
    # parsed into seconds block by block, unless it is also read as text for another role.
    timing = screening.completion_time
    durations = None  # set once the row numbers are known
    text_roles = {*background_columns.values(), *(c.column for c in screening.attention_checks), id_column,
                  *duplicate_columns}
    raw_timing = bool(timing) and timing.column not in text_roles and timing.column not in item_columns.values()
    numeric = [*item_columns.values(), *([timing.column] if raw_timing else [])]

    source = _open(path, wanted, numeric, block_rows)
    if timing:
        durations = _Durations(timing.column, source.row_numbers, source.row_unit)
    missing = [c for c in wanted if c not in source.header]
    if missing:
        lines = []
        for column in missing:
            close = difflib.get_close_matches(column, [h for h in source.header if h not in wanted], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"  column {column!r}{hint}")
        where = f" (its header is {source.row_unit} {source.header_line})" if source.header_line > 1 else ""
        raise StudyError(f"{path}: {len(missing)} column(s) named in {study.path} are not in the data file{where}:\n"
                         + "\n".join(lines)
                         + "\nRename the column in the data, or set the item's `column:` in the study file."
                         + (f"\n{source.hint}" if source.hint else ""))

    codes = list(item_columns)
    unit = source.row_unit
    numbers = source.row_numbers
    parser = _ItemParser(study, item_columns, source.value_labels, rows=numbers, unit=unit)
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
        raise StudyError(f"{path}: {n_problems} answer(s) are not valid ({_numbering(source, path)}):\n"
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

    # each respondent's number as the user finds it in the file: line, sheet row or case number
    rows = numbers if numbers is not None and len(numbers) == n_raw else np.arange(1, n_raw + 1)
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
                                     f"{n_raw} 名受访者中有 {int((~complete).sum())} 人至少漏答一个构念题项，漏答最多的依次为 "
                                     + "、".join(f"{c}（{v} 人）" for v, c in worst) + "。")))

    rules: list[_Rule] = []
    rules += _duplicates(text, list(duplicate_columns), id_column, duplicates, rows, name, notes, warnings, unit)
    if duplicates is not None and duplicates.identical_answers:
        rules += _identical_answers(x, study.scale.min, duplicates, rows, name, notes, warnings, unit)
    answers = study.scale.text_answers()
    for check in screening.attention_checks:
        failed, detail, note = _attention(text[check.column], check, answers, rows, name, unit)
        if failed.any():
            rules.append(_Rule(REASON_ATTENTION, check.action, failed, detail))
            notes.append(note)
    if seconds is not None:
        rules += _speeders(seconds, screening.completion_time, rows, name, notes, warnings, unit)
    # Straight-lining is judged on the answers as given (before reverse coding), on the items a respondent
    # answered, given at least minimum_answered answers: the same verdict under listwise deletion and FIML.
    fiml = study.model.missing == "fiml"
    straight_rule = screening.straight_lining
    if straight_rule.action != "off" and len(codes):
        minimum = straight_rule.minimum_answered or max(-(-len(codes) // 2), min(3, len(codes)))
        answered_counts = len(codes) - missing_counts
        if complete.all():
            straight = x.max(axis=1) == x.min(axis=1)
        else:
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
                straight = (answered_counts >= minimum) & (np.nanmax(x, axis=1) == np.nanmin(x, axis=1))
        if straight.any():
            first_answers = x[np.arange(len(x)), np.argmax(~np.isnan(x), axis=1)]

            def straight_detail(idx, first_answers=first_answers, answered_counts=answered_counts):
                return [f"every item answered {v:g}" if k == len(codes) else
                        f"all {k} answered items answered {v:g} ({len(codes) - k} unanswered)"
                        for v, k in zip(first_answers[idx], answered_counts[idx])]

            rules.append(_Rule(REASON_STRAIGHT, straight_rule.action, straight, straight_detail))
            partly = int((straight & ~complete).sum())
            also = (f"; {partly} of them left items unanswered (at least {minimum} of the {len(codes)} items answered "
                    "count)") if partly else ""
            notes.append(Message(f"{name}: {int(straight.sum())} respondent(s) gave the same answer to every "
                                 f"construct item they answered ({unit}s {_listing(rows[straight])}){also}.",
                                 f"{name}：{int(straight.sum())} 名受访者对其作答的全部构念题项给出了相同的答案（直线作答）"
                                 f"{'；其中 ' + str(partly) + ' 人有未答题项（至少作答 ' + str(minimum) + ' 题才判断）' if partly else ''}。",
                                 Message(f"{counted(int(straight.sum()), 'respondent')} gave the same answer to every construct "
                                         "item they answered (straight-lining).",
                                         f"{int(straight.sum())} 名受访者对其作答的全部构念题项给出了相同的答案（直线作答）。")))
    if fiml:
        empty = missing_counts == len(codes)
        if empty.any():
            rules.append(_Rule(REASON_NO_ANSWERS, "exclude", empty, lambda idx: ["no construct item answered"] * len(idx)))
    elif not complete.all():
        rules.append(_Rule(REASON_INCOMPLETE, "exclude", ~complete, lambda idx, x=x: _missing_detail(x, idx, codes)))

    excluded, keep = _exclusions(rules, rows, ids, n_raw)
    flagged = _flagged(rules, keep, rows, ids, warnings, unit)
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
                                f"They are listed with their {unit} number and reason in excluded_respondents.csv.",
                                f"{n_raw} 名受访者中剔除 {len(excluded)} 人：{summary_zh}。"
                                "剔除名单（行号与原因）见 excluded_respondents.csv。",
                                # the report's sample section states the exclusions; a warning box that repeated
                                # them would say nothing new (an empty report form is left out of the box)
                                Message("", "")))
    elif complete.all():
        notes.append(Message(f"All {n_raw} respondents answered every construct item and were analysed.",
                             f"全部 {n_raw} 名受访者回答了所有构念题项，均纳入分析。"))
    else:
        notes.append(Message(f"All {n_raw} respondents were analysed.", f"全部 {n_raw} 名受访者均纳入分析。"))

    if fiml and not complete.all():
        kept_incomplete = int((~complete & keep).sum())
        share = float(np.isnan(x[keep]).mean()) if keep.any() else 0.0
        notes.append(Message(
            f"Missing answers are handled by full-information maximum likelihood (FIML): the "
            f"{counted(kept_incomplete, 'respondent')} with unanswered items {'stays' if kept_incomplete == 1 else 'stay'} in the analysis and contribute the answers they gave "
            f"({share:.1%} of the analysed answers are missing). FIML assumes the answers are missing at random "
            "(MAR): whether an answer is missing may depend on the respondent's other answers, not on the "
            "missing answer itself.",
            f"缺失值采用完全信息极大似然法（FIML）处理：{kept_incomplete} 名有未答题项的受访者保留在分析中，"
            f"以其已作答的答案参与估计（已分析答案中缺失 {share:.1%}）。FIML 假定数据随机缺失（MAR）："
            "是否缺失可以取决于受访者的其他答案，但不取决于缺失的答案本身。"))

    reverse = [i.code for i in study.items if i.reverse]
    if reverse:
        j = [codes.index(c) for c in reverse]
        x[:, j] = (study.scale.min + study.scale.max) - x[:, j]  # every row: the export carries them all
        notes.append(Message(f"Reverse-coded {counted(len(reverse), 'negatively worded item')} as "
                             f"{study.scale.min + study.scale.max} − answer: {', '.join(reverse)}.",
                             f"{len(reverse)} 个反向表述题项已按 {study.scale.min + study.scale.max} − 原始答案"
                             f"反向计分：{', '.join(reverse)}。",
                             Message(f"{'The negatively worded item' if len(reverse) == 1 else 'The negatively worded items'} "
                                     f"{', '.join(reverse)} {'was' if len(reverse) == 1 else 'were'} reverse-coded as "
                                     f"{study.scale.min + study.scale.max} − answer.",
                                     f"反向题 {'、'.join(reverse)} 已按“{study.scale.min + study.scale.max} − 原始得分”反向计分。")))
    analysed_x = x[keep] if not keep.all() else x
    all_items = pd.DataFrame(x, index=pd.Index(rows, name="row"), columns=codes, copy=False)
    analysed = pd.DataFrame(analysed_x, index=pd.Index(rows[keep], name="row"), columns=codes, copy=False)
    numbering = _numbering(source, path)
    notes.append(Message(f"Respondents are numbered by the {numbering}.", f"受访者编号为{_numbering_zh(source, path)}。",
                         Message("", "")))  # for the user and the CSV files; the report shows no row numbers

    background_all = _background(text, study, rows, source.value_labels, notes, warnings, name, unit)
    background = background_all.loc[keep] if not keep.all() else background_all

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
    check_item_matrix(analysed_x, codes, item_columns, path)
    if fiml:
        check_fiml_coverage(analysed_x, codes, item_columns, path, warnings)
    if len(analysed) < 2 * len(item_columns):
        why = f" Excluded: {excluded_summary(excluded)}." if len(excluded) else ""
        if day_fractions and REASON_SPEEDING in set(excluded["reason"]):
            why += f" Note: {day_fractions}"
        raise StudyError(f"{path}: only {len(analysed)} respondents remain after screening for "
                         f"{len(item_columns)} items; the model cannot be estimated reliably.{why}")
    return SurveyData(items=analysed, background=background, n_raw=n_raw, excluded=excluded,
                      file=path, reverse_coded=reverse, missing_by_item=missing_by_item,
                      flagged=flagged, notes=notes, warnings=warnings,
                      missing_by_respondent=missing_by_respondent, text_answers=parser.mapped,
                      row_numbers=numbering, row_unit=unit, all_items=all_items, all_background=background_all,
                      ids=pd.Series(text[id_column], index=all_items.index, name=id_column) if id_column else None)


def _numbering(source, path: Path) -> str:
    """What the row numbers of a data file are, in words."""
    if source.row_unit == "line":
        return f"line numbers of {path.name} (its header is line {source.header_line})"
    if source.row_unit == "row":
        return f"row numbers of sheet {source.sheet!r} in {path.name} (its header is row {source.header_line})"
    return f"case numbers of {path.name}"


def _numbering_zh(source, path: Path) -> str:
    if source.row_unit == "line":
        return f"其在 {path.name} 中的行号（表头为第 {source.header_line} 行）"
    if source.row_unit == "row":
        return f"其在 {path.name} 工作表 {source.sheet!r} 中的行号（表头为第 {source.header_line} 行）"
    return f"其在 {path.name} 中的个案号"
