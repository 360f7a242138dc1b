"""Screening rules and their verdicts: duplicate ids, attention checks, completion time, and the
account of who was excluded or flagged and why (the reasons as results.json names them).
"""

from __future__ import annotations

import warnings as warnings_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

import numpy as np
import pandas as pd

from ..messages import Message
from ..questionnaire.schema import _as_number, normalize_answer
from .cells import _MAX_LISTED, _listing, _printable, _shown


# Reasons, as they appear in results.json ``n.excluded`` and the excluded-respondents file. A respondent
# with several reasons is counted under the first of this order; the others are named in ``detail``.
REASON_DUPLICATE = "duplicate id"  # the same id, or the same values in screening.duplicates.columns
REASON_DUPLICATE_ANSWERS = "duplicate answers"  # the same answer to every construct item
REASON_ATTENTION = "failed attention check"
REASON_SPEEDING = "too fast"
REASON_STRAIGHT = "straight-lining"
REASON_INCOMPLETE = "incomplete answers"  # listwise deletion
REASON_NO_ANSWERS = "no item answered"  # FIML keeps incomplete respondents, but not empty ones
REASONS = (REASON_DUPLICATE, REASON_DUPLICATE_ANSWERS, REASON_ATTENTION, REASON_SPEEDING, REASON_STRAIGHT,
           REASON_INCOMPLETE, REASON_NO_ANSWERS)
REASONS_ZH = {REASON_DUPLICATE: "编号重复", REASON_DUPLICATE_ANSWERS: "答案重复", REASON_ATTENTION: "未通过注意力检测",
              REASON_SPEEDING: "作答过快",
              REASON_STRAIGHT: "直线作答", REASON_INCOMPLETE: "作答不完整", REASON_NO_ANSWERS: "未回答任何题项"}


# Completion times (after NFKC, casefolding and removing white space): mm:ss or h:mm:ss, and durations
# with units ("125秒", "2分5秒", "1小时2分", "1min5s", "2 minutes").
_NUMBER = r"(\d+(?:\.\d+)?)"
_CLOCK = r"^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)$"
_UNITS = (rf"^(?:{_NUMBER}(?:hours|hour|hrs|hr|h|小时|小時|钟头|時|时))?"
          rf"(?:{_NUMBER}(?:minutes|minute|mins|min|m|分钟|分鐘|分))?"
          rf"(?:{_NUMBER}(?:seconds|second|secs|sec|s|秒钟|秒鐘|秒))?$")


@dataclass
class _Rule:
    """A screening rule's verdict: who is caught, and (for those shown) why in words."""

    reason: str
    action: str  # exclude | flag
    mask: np.ndarray
    detail: Callable[[np.ndarray], list[str]]  # row indices -> one description each


def _reason_counts(excluded: pd.DataFrame) -> list[tuple[str, int]]:
    """(reason, count) of the excluded respondents, in the order of REASONS."""
    counts = excluded["reason"].value_counts()
    order = [r for r in REASONS if r in counts.index] + [r for r in counts.index if r not in REASONS]
    return [(r, int(counts[r])) for r in order]


def excluded_summary(excluded: pd.DataFrame, sep: str = ", ", form: str = "{n} {reason}") -> str:
    """'10 for straight-lining; 65 for incomplete answers', in the order of REASONS."""
    return sep.join(form.format(n=n, reason=r) for r, n in _reason_counts(excluded))


def _exclusions(rules: list[_Rule], rows: np.ndarray, ids: np.ndarray, n_raw: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The excluded respondents (the first reason in rule order counts; later ones are named in detail)."""
    excluding = [r for r in rules if r.action == "exclude"]
    first = np.zeros(n_raw, dtype=np.int16)  # 1 + index into ``excluding``; 0 = kept
    for k, rule in enumerate(excluding, start=1):
        first[rule.mask & (first == 0)] = k
    dropped = np.flatnonzero(first)
    reason = np.empty(len(dropped), dtype=object)
    detail = np.empty(len(dropped), dtype=object)
    codes = first[dropped]
    for k, rule in enumerate(excluding, start=1):
        mine = codes == k
        if mine.any():
            reason[mine] = rule.reason
            detail[mine] = rule.detail(dropped[mine])
    for k, rule in enumerate(excluding, start=1):
        also = rule.mask[dropped] & (codes < k) & (reason != rule.reason)  # caught earlier for another reason
        if also.any():
            detail[also] = [f"{d}; also {rule.reason}" for d in detail[also]]
    excluded = pd.DataFrame({"row": rows[dropped], "id": ids[dropped], "reason": reason, "detail": detail})
    return excluded, first == 0


def _flagged(rules: list[_Rule], keep: np.ndarray, rows: np.ndarray, ids: np.ndarray,
             warnings: list[str], unit: str = "row") -> pd.DataFrame | None:
    parts = []
    for rule in rules:
        if rule.action != "flag":
            continue
        hit = np.flatnonzero(rule.mask & keep)
        if len(hit):
            parts.append(pd.DataFrame({"row": rows[hit], "id": ids[hit], "reason": rule.reason,
                                       "detail": rule.detail(hit)}))
            warnings.append(Message(f"{len(hit)} analysed respondent(s) were flagged for {rule.reason} ({unit}s "
                                    f"{_listing(rows[hit])}); they were kept, as the study file asks (action: flag).",
                                    f"{len(hit)} 名已分析的受访者因“{REASONS_ZH.get(rule.reason, rule.reason)}”被标记；"
                                    "按研究文件的设定（action: flag）予以保留，名单见 flagged_respondents.csv。",
                                    Message(f"{len(hit)} analysed {'respondent was' if len(hit) == 1 else 'respondents were'} flagged for {rule.reason} and kept, "
                                            "as the study design asks; the list accompanies this report.",
                                            f"{len(hit)} 名已分析的受访者因“{REASONS_ZH.get(rule.reason, rule.reason)}”"
                                            "被标记，按研究设计予以保留，名单随本报告一并提供。")))
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True).sort_values(["row", "reason"], ignore_index=True)


class _Durations:
    """Parses the completion-time column (screening.completion_time), block by block, into seconds.

    A number is seconds as it is (never reinterpreted); text may be mm:ss, h:mm:ss or a duration with units
    ("125秒", "2分5秒", "1 min 5 s"); spreadsheet time cells (Excel's fraction of a day, read as
    datetime.time, datetime.timedelta or a datetime in Excel's first days) are converted. Each distinct
    value is resolved once, with vectorised string operations; every conversion is counted for a note,
    and every value that cannot be read is a problem located by row and column."""

    NUMBER, MMSS, HMMSS, UNITS, TIME = range(5)
    FORMS = {MMSS: "written as mm:ss", HMMSS: "written as h:mm:ss", UNITS: "written with units (such as 2分5秒)",
             TIME: "stored as Excel time values"}
    FORMS_ZH = {MMSS: "以 mm:ss 书写", HMMSS: "以 h:mm:ss 书写", UNITS: "带单位书写（如 2分5秒）",
                TIME: "以 Excel 时间值存储"}
    HOW = ("write seconds (125), mm:ss (2:05), h:mm:ss (0:02:05) or with units (2分5秒, 2 min 5 s)")

    def __init__(self, column: str, rows: np.ndarray | None = None, unit: str = "row"):
        self.column = column
        self.rows = rows  # the number of each row in the file (None: 1, 2, ...), and its unit
        self.unit = unit
        self.parts: list[np.ndarray] = []
        self.problems: list[str] = []
        self.n_problems = 0
        self.counts = np.zeros(5, dtype=np.int64)
        self.examples: dict[int, str] = {}

    def parse(self, series: pd.Series, offset: int) -> None:
        dtype = series.dtype
        if (not isinstance(dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(dtype)
                and not pd.api.types.is_bool_dtype(dtype)):
            values = series.to_numpy(dtype=float)  # a column of numbers: seconds as they are
            cells, bad, why = None, ~np.isfinite(values) & ~np.isnan(values), None
        else:
            cells = series.to_numpy(dtype=object)
            codes, uniques = pd.factorize(cells)  # -1: empty cell
            resolved, forms, reasons = self._resolve(np.asarray(uniques, dtype=object))
            values = np.append(resolved, np.nan)[codes]
            counts = np.bincount(codes + 1, minlength=len(uniques) + 1)[1:]
            self.counts += np.bincount(forms, weights=counts, minlength=5).astype(np.int64)
            for form in range(1, 5):
                hit = np.flatnonzero(forms == form)
                if len(hit) and form not in self.examples:
                    k = hit[np.argmax(counts[hit])]
                    self.examples[form] = f"{_shown(uniques[k])} → {resolved[k]:g} s"
            bad_unique = np.array([r is not None for r in reasons] + [False], dtype=bool)
            bad = bad_unique[codes]
            why = np.array(list(reasons) + [None], dtype=object)[codes]
        with np.errstate(invalid="ignore"):
            negative = values < 0
        for mask, kind in ((bad, "bad"), (negative, "negative")):
            where = np.flatnonzero(mask)
            self.n_problems += len(where)
            for row in where[:max(0, _MAX_LISTED - len(self.problems))]:
                value = _shown(cells[row] if cells is not None else series.iloc[row])
                if kind == "negative":
                    text = f"{value} is a negative completion time (screening.completion_time)"
                else:
                    text = (f"{value} {why[row] if why is not None else 'is not a completion time'} "
                            f"(screening.completion_time); {self.HOW}")
                where = self.rows[offset + row] if self.rows is not None else offset + row + 1
                self.problems.append(f"  {self.unit} {where}, column {self.column!r}: {text}")
        values = values.copy()
        values[bad] = np.nan
        self.parts.append(values)

    def _resolve(self, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
        """Seconds, form and problem (None: read) of each distinct cell."""
        n = len(uniques)
        seconds = np.full(n, np.nan)
        forms = np.zeros(n, dtype=np.int64)
        reasons: list = [None] * n
        if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
            strings = np.arange(n)
        else:
            is_text = np.zeros(n, dtype=bool)
            for k, cell in enumerate(uniques):  # distinct non-text cells: numbers and spreadsheet times
                value, form, reason = self._cell(cell)
                if form is None:
                    is_text[k] = True
                else:
                    seconds[k], forms[k], reasons[k] = value, form, reason
            strings = np.flatnonzero(is_text)
        if not len(strings):
            return seconds, forms, reasons
        raw = pd.Series(uniques[strings], dtype=object).astype(str)
        value = np.array(pd.to_numeric(raw, errors="coerce"), dtype=float)
        todo = np.isnan(value)
        if todo.any():
            written = (raw[todo].str.normalize("NFKC").str.casefold()
                       .str.replace(r"\s+", "", regex=True).str.replace("：", ":", regex=False))
            number = pd.to_numeric(written.where(~written.str.contains("_", regex=False)), errors="coerce")
            found = np.array(number, dtype=float)
            form = np.zeros(len(written), dtype=np.int64)
            reason = np.full(len(written), "is not a completion time", dtype=object)
            reason[(written == "").to_numpy()] = None  # white space only: no answer
            left = np.isnan(found) & (written != "").to_numpy()
            if left.any():
                clock = written[left].str.extract(_CLOCK).astype(float).to_numpy()
                hours, minutes, secs = clock[:, 0], clock[:, 1], clock[:, 2]
                matched = ~np.isnan(secs)
                three = matched & ~np.isnan(hours)
                total = np.where(three, hours * 3600, 0.0) + minutes * 60 + secs
                over = matched & ((secs >= 60) | (three & (minutes >= 60)))
                idx = np.flatnonzero(left)
                found[idx[matched & ~over]] = total[matched & ~over]
                form[idx[matched]] = np.where(three[matched], self.HMMSS, self.MMSS)
                reason[idx[over]] = "is not a valid mm:ss or h:mm:ss time (minutes and seconds go up to 59)"
                rest = idx[~matched]
                if len(rest):
                    units = written.iloc[rest].str.extract(_UNITS).astype(float).to_numpy()
                    some = ~np.isnan(units).all(axis=1)
                    total = np.nansum(units * np.array([3600.0, 60.0, 1.0]), axis=1)
                    found[rest[some]] = total[some]
                    form[rest[some]] = self.UNITS
            ok = ~np.isnan(found)
            reason[ok] = None
            where = np.flatnonzero(todo)
            value[where] = found
            sub_forms = np.zeros(len(strings), dtype=np.int64)
            sub_forms[where] = form
            sub_reasons = np.full(len(strings), None, dtype=object)
            sub_reasons[where] = reason
        else:
            sub_forms = np.zeros(len(strings), dtype=np.int64)
            sub_reasons = np.full(len(strings), None, dtype=object)
        infinite = np.isinf(value)
        sub_reasons[infinite] = "is not a completion time"
        value[infinite] = np.nan
        seconds[strings] = value
        forms[strings] = sub_forms
        for k, r in zip(strings, sub_reasons):
            reasons[k] = r
        return seconds, forms, reasons

    def _cell(self, cell) -> tuple[float, int | None, str | None]:
        """A non-text cell: (seconds, form, problem); form None for text."""
        if isinstance(cell, (bool, np.bool_)):
            return np.nan, self.NUMBER, "is not a completion time"
        if isinstance(cell, (int, float, np.integer, np.floating)):
            value = float(cell)
            if not np.isfinite(value):
                return np.nan, self.NUMBER, "is not a completion time"
            return value, self.NUMBER, None
        if isinstance(cell, time):
            return (cell.hour * 3600 + cell.minute * 60 + cell.second + cell.microsecond / 1e6), self.TIME, None
        if isinstance(cell, timedelta):
            return cell.total_seconds(), self.TIME, None
        if isinstance(cell, datetime):
            # Excel shows a duration of a day or more, formatted h:mm:ss, as a moment in its first days
            # (day 1 = 1900-01-01); a real date and time is not a duration.
            if datetime(1899, 12, 30) <= cell.replace(tzinfo=None) < datetime(1900, 3, 1):
                return (cell.replace(tzinfo=None) - datetime(1899, 12, 31)).total_seconds(), self.TIME, None
            return np.nan, self.TIME, "is a date and time, not a duration"
        if isinstance(cell, date):
            return np.nan, self.TIME, "is a date, not a duration"
        return np.nan, None, None

    def seconds(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.empty(0)

    def notes(self) -> list[str]:
        read = [(f, int(self.counts[f])) for f in self.FORMS if self.counts[f]]
        if not read:
            return []
        parts = [f"{n} {self.FORMS[f]}" for f, n in read]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        examples = "; ".join(self.examples[f] for f, _ in read if f in self.examples)
        listed_zh = "，".join(f"{n} 个{self.FORMS_ZH[f]}" for f, n in read)
        return [Message(f"Column {self.column!r} (screening.completion_time): read {sum(n for _, n in read)} "
                        f"completion time(s) as seconds: {listed} (e.g. {examples}).",
                        f"列 {self.column!r}（screening.completion_time）：将 {sum(n for _, n in read)} 个作答时长"
                        f"换算为秒：{listed_zh}（例如 {examples}）。")]

    def day_fractions(self, seconds: np.ndarray) -> str | None:
        """A hint when every completion time is a plain number under one second: Excel fractions of a day
        copied as numbers. They are seconds as written; the hint says how to fix the column."""
        known = seconds[~np.isnan(seconds)]
        if not len(known) or self.counts[1:].any() or known.max() >= 1:
            return None
        return Message(f"every completion time in column {self.column!r} is a number under 1 second (e.g. "
                       f"{known[0]:g}); if these are Excel time values (fractions of a day), format the column as a "
                       "time (h:mm:ss) in Excel, or multiply it by 86400 to get seconds. Numbers are read as seconds.",
                       f"列 {self.column!r} 中的作答时长全部是小于 1 的数（例如 {known[0]:g}）；若它们是 Excel 时间值"
                       "（一天的比例），请在 Excel 中将该列设为时间格式（h:mm:ss），或乘以 86400 换算为秒。数字一律按秒读取。")


def _speeders(seconds: np.ndarray, timing, rows: np.ndarray, name: str, notes: list[str],
              warnings: list[str], unit: str = "row") -> list[_Rule]:
    unknown = np.isnan(seconds)
    if unknown.any():
        warnings.append(Message(f"{name}: {int(unknown.sum())} respondent(s) have no completion time in column "
                                f"{timing.column!r} ({unit}s {_listing(rows[unknown])}); they were not screened for speed.",
                                f"{name}：{int(unknown.sum())} 名受访者在列 {timing.column!r} 中没有作答时长，"
                                "未做作答速度筛查。",
                                Message(f"{int(unknown.sum())} respondent(s) have no completion time; they were not "
                                        "screened for speed.",
                                        f"{int(unknown.sum())} 名受访者没有作答时长，未做作答速度筛查。")))
    with np.errstate(invalid="ignore"):
        fast = ~unknown & (seconds < timing.minimum_seconds)
    if not fast.any():
        return []
    notes.append(Message(f"{name}: {int(fast.sum())} respondent(s) answered in less than {timing.minimum_seconds:g} "
                         f"seconds (column {timing.column!r}): "
                         + _listing(f"{unit} {r} ({s:g} s)" for r, s in zip(rows[fast], seconds[fast])) + ".",
                         f"{name}：{int(fast.sum())} 名受访者的作答时间短于 {timing.minimum_seconds:g} 秒"
                         f"（列 {timing.column!r}）。",
                         Message(f"{int(fast.sum())} respondent(s) answered in less than {timing.minimum_seconds:g} "
                                 "seconds.",
                                 f"{int(fast.sum())} 名受访者的作答时间短于 {timing.minimum_seconds:g} 秒。")))
    return [_Rule(REASON_SPEEDING, timing.action, fast,
                  lambda idx: [f"{timing.column} = {s:g} s, under {timing.minimum_seconds:g} s" for s in seconds[idx]])]


def _first_occurrence(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For group codes (-1: not compared), whether each row repeats an earlier row of its group, and the
    index of the group's first row."""
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    first = np.full(max(n_groups, 1), -1, dtype=np.int64)
    compared = np.flatnonzero(codes >= 0)
    first[codes[compared[::-1]]] = compared[::-1]  # the earliest row of each group is written last
    repeat = np.zeros(len(codes), dtype=bool)
    repeat[compared] = first[codes[compared]] != compared
    return repeat, first


def _duplicates(text: dict[str, np.ndarray], columns: list[str], id_column: str | None, rule, rows: np.ndarray,
                name: str, notes: list[str], warnings: list[str], unit: str = "row") -> list[_Rule]:
    """Respondents whose values in ``columns`` (together) repeat an earlier row's; rows with no value in one
    of them are not compared. The first occurrence is kept."""
    if not columns:
        return []
    values = [pd.Series(text[c], dtype=object) for c in columns]
    if id_column in columns:
        blank = values[columns.index(id_column)].isna().to_numpy()
        if blank.any():
            warnings.append(Message(f"{name}: {int(blank.sum())} respondent(s) have no id in column {id_column!r} "
                                    f"({unit}s {_listing(rows[blank])}).",
                                    f"{name}：{int(blank.sum())} 名受访者在列 {id_column!r} 中没有编号。",
                                    Message(f"{int(blank.sum())} respondent(s) have no respondent id.",
                                            f"{int(blank.sum())} 名受访者没有编号。")))
    if len(columns) == 1:
        codes, _ = pd.factorize(values[0])  # -1 for no value
    else:
        frame = pd.DataFrame({k: v for k, v in enumerate(values)})
        groups = frame.groupby(list(frame.columns), sort=False, dropna=True).ngroup().to_numpy()  # NaN: no value
        codes = np.where(frame.isna().any(axis=1).to_numpy(), -1, np.nan_to_num(groups, nan=-1))
    codes = np.asarray(codes, dtype=np.int64)
    repeat, first = _first_occurrence(codes)
    if not repeat.any():
        return []
    label = "id" if columns == [id_column] else " + ".join(columns)
    shown = lambda k: " / ".join(_printable(v.iloc[k]) for v in values)

    def detail(idx: np.ndarray) -> list[str]:
        return [f"{label} {shown(k)} repeats {unit} {int(rows[first[codes[k]]])}" for k in idx]

    where = np.flatnonzero(repeat)
    example = "; ".join(f"{unit} {r}: {d}" for r, d in zip(rows[where[:_MAX_LISTED]], detail(where[:_MAX_LISTED])))
    more = f"; ... ({len(where) - _MAX_LISTED} more)" if len(where) > _MAX_LISTED else ""
    what = f"the id of an earlier row in column {id_column!r}" if columns == [id_column] else \
        f"the values of an earlier row in column(s) {', '.join(map(repr, columns))}"
    if rule is None:
        warnings.append(f"{name}: {len(where)} respondent(s) repeat {what} ({example}{more}); they were kept. Set "
                        "screening.duplicates (action: exclude or flag) to screen them.")
        return []
    notes.append(Message(f"{name}: {len(where)} respondent(s) repeat {what}; the first occurrence is kept "
                         f"({example}{more}).",
                         f"{name}：{len(where)} 名受访者在列 {', '.join(map(repr, columns))} 中重复了前面某行的值；保留首次出现者。",
                         Message(f"{len(where)} respondent(s) repeat the {'id' if columns == [id_column] else 'identifying values'} "
                                 "of an earlier respondent; the first occurrence is kept.",
                                 f"{len(where)} 名受访者重复了前面受访者的{'编号' if columns == [id_column] else '识别信息'}；保留首次出现者。")))
    return [_Rule(REASON_DUPLICATE, rule.action, repeat, detail)]


def _identical_answers(x: np.ndarray, scale_min: float, rule, rows: np.ndarray, name: str, notes: list[str],
                       warnings: list[str], unit: str = "row") -> list[_Rule]:
    """Respondents whose answers to every construct item (an unanswered item counting as an answer of its
    own) repeat an earlier respondent's. Straight-liners and respondents with no answer are left to their
    own rules: identical answer vectors are expected among them.

    Each answer vector is reduced to two 64-bit hashes (O(n p)); rows whose hashes repeat are then compared
    value by value with their first occurrence, so a hash collision never makes a duplicate."""
    n, p = x.shape
    if not n or not p:
        return []
    codes = np.nan_to_num(x - scale_min + 1, nan=0.0).astype(np.uint64)  # 0: no answer; answers are whole numbers
    generator = np.random.default_rng(20261201)
    hashes = [codes @ (generator.integers(1, 2**63, size=p, dtype=np.uint64) | np.uint64(1)) for _ in range(2)]
    with warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore", RuntimeWarning)  # rows with no answer
        same = np.nanmax(x, axis=1) == np.nanmin(x, axis=1)  # straight-lining (False for no answer at all)
    answered = (codes > 0).any(axis=1)
    compared = answered & ~same
    frame = pd.DataFrame({"a": hashes[0], "b": hashes[1]})
    group = frame.groupby(["a", "b"], sort=False).ngroup().to_numpy().astype(np.int64)
    group[~compared] = -1
    repeat, first = _first_occurrence(group)
    if repeat.any():
        idx = np.flatnonzero(repeat)
        origin = first[group[idx]]
        equal = ((x[idx] == x[origin]) | (np.isnan(x[idx]) & np.isnan(x[origin]))).all(axis=1)
        repeat[idx[~equal]] = False  # a hash collision, not a duplicate
    # identical answers expected by chance (items taken as independent, which understates it)
    share = np.ones(1)
    for j in range(p):
        counts = np.bincount(codes[compared, j].astype(np.int64))
        total = counts.sum()
        if total:
            share = share * float(((counts / total) ** 2).sum())
    expected = float(share[0]) * compared.sum() * (compared.sum() - 1) / 2
    if expected >= 1:
        warnings.append(Message(
            f"{name}: with {p} construct items, about {expected:.0f} pair(s) of respondents would give identical "
            "answers by chance; screening.duplicates.identical_answers may take such respondents for resubmissions.",
            f"{name}：构念题项只有 {p} 个，约有 {expected:.0f} 对受访者可能偶然给出完全相同的答案；"
            "按答案完全相同判断重复提交时可能误判。",
            Message(f"With {p} construct items, about {expected:.0f} pair(s) of respondents would give identical answers "
                    "by chance; respondents with identical answers were nevertheless treated as repeated submissions.",
                    f"构念题项只有 {p} 个，约有 {expected:.0f} 对受访者可能偶然给出完全相同的答案，"
                    "但答案完全相同者仍按重复提交处理。")))
    if not repeat.any():
        return []
    origin_row = lambda k: int(rows[first[group[k]]])

    def detail(idx: np.ndarray) -> list[str]:
        return [f"the same answer to every construct item as {unit} {origin_row(k)}" for k in idx]

    where = np.flatnonzero(repeat)
    listed = _listing((f"{unit} {rows[k]} = {unit} {origin_row(k)}" for k in where[:_MAX_LISTED]), total=len(where))
    notes.append(Message(f"{name}: {len(where)} respondent(s) gave the same answer to every construct item as an "
                         f"earlier respondent (straight-liners aside); the first occurrence is kept: {listed}.",
                         f"{name}：{len(where)} 名受访者对全部构念题项的回答与此前某位受访者完全相同（直线作答者除外）；"
                         "保留首次出现者。",
                         Message(f"{len(where)} respondent(s) gave the same answer to every construct item as an earlier "
                                 "respondent (a repeated submission); the first occurrence is kept.",
                                 f"{len(where)} 名受访者对全部构念题项的回答与此前某位受访者完全相同（重复提交），"
                                 "保留首次出现者。")))
    return [_Rule(REASON_DUPLICATE_ANSWERS, rule.action, repeat, detail)]


def _attention(text: np.ndarray, check, answers: dict[str, int], rows: np.ndarray,
               name: str, unit: str = "row") -> tuple[np.ndarray, Callable, str]:
    """Respondents who failed an attention check: another answer than the expected one, or none."""
    accepted = check.accepted()
    numbers = {float(a) for a in accepted if not isinstance(a, str)}
    numbers |= {n for a in accepted if isinstance(a, str) for n in [_as_number(a)] if n is not None}
    texts = {normalize_answer(a) for a in accepted if isinstance(a, str)}

    def passes(value) -> bool:
        if value is None:
            return False
        number = _as_number(value)
        if number is not None:
            return number in numbers
        key = normalize_answer(value)
        return key in texts or (key in answers and float(answers[key]) in numbers)

    codes, uniques = pd.factorize(pd.Series(text, dtype=object))
    verdict = np.array([passes(u) for u in uniques] + [False], dtype=bool)  # code -1: no answer
    failed = ~verdict[codes]
    expected = " or ".join(repr(str(a)) for a in accepted)

    def detail(idx: np.ndarray) -> list[str]:
        return [f"{check.column} = {v!r}, expected {expected}" if v is not None
                else f"no answer to {check.column}, expected {expected}" for v in text[idx]]

    where = np.flatnonzero(failed)
    shown = _listing((f"{unit} {r} ({v!r})" if v is not None else f"{unit} {r} (no answer)"
                      for r, v in zip(rows[where[:_MAX_LISTED]], text[where[:_MAX_LISTED]])), total=len(where))
    note = Message(f"{name}: {len(where)} respondent(s) failed the attention check in column {check.column!r} "
                   f"(expected {expected}; no answer counts as failed): {shown}.",
                   f"{name}：{len(where)} 名受访者未通过列 {check.column!r} 的注意力检测题"
                   f"（应答 {expected}；未作答视为未通过）。",
                   Message(f"{len(where)} respondent(s) failed an attention check (no answer counts as failed).",
                           f"{len(where)} 名受访者未通过注意力检测题（未作答视为未通过）。"))
    return failed, detail, note
