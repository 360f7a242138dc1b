"""Answers to codes: construct items checked against the scale (numbers, text answers read through the
scale's labels, SPSS value labels, missing codes) and background answers mapped to their levels.
"""

from __future__ import annotations

import difflib
from collections import Counter

import numpy as np
import pandas as pd

from ..messages import Message
from ..questionnaire.schema import Study, _as_number, normalize_answer
from .cells import _MAX_LISTED, _cell_text, _listing, _shown


class _ItemParser:
    """Parses the item columns of each block of rows into floats and keeps the account: problems (row,
    column, value), text answers mapped to codes, answers coded missing, SPSS value labels applied."""

    def __init__(self, study: Study, item_columns: dict[str, str], value_labels: dict[str, dict],
                 rows: np.ndarray | None = None, unit: str = "row"):
        self.rows = rows  # the number of each row in the file (None: 1, 2, ...), and its unit (line, row, case)
        self.unit = unit
        self.scale = study.scale
        self.item_columns = item_columns
        self.answers = study.scale.text_answers()
        self.answer_texts = _answer_texts(study)
        self.value_labels = value_labels
        self.problems: list[str] = []
        self.n_problems = 0
        self.mapped: dict[str, int] = {}  # item -> text answers mapped
        self.examples: Counter = Counter()
        self.converted: Counter = Counter()  # column -> numbers written in non-ASCII digits
        self.missing_coded = 0
        self.label_notes: dict[str, str] = {}

    def parse(self, block: pd.DataFrame, offset: int, out: np.ndarray) -> None:
        scale = self.scale
        codes = self.scale.missing_codes
        for j, (code, column) in enumerate(self.item_columns.items()):
            series = block[column]
            cells = None
            values = out[:, j]  # a contiguous column of the caller's (Fortran-ordered) array, filled in place
            numpy_dtype = not isinstance(series.dtype, pd.api.extensions.ExtensionDtype)
            if numpy_dtype and (pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_float_dtype(series.dtype)):
                values[:] = series.to_numpy()
            else:
                values[:], cells = self._text_cells(series, code, column, offset)
            labels = self.value_labels.get(column)
            if labels and self.answers:
                values[:] = self._apply_value_labels(values, labels, column)
            # The usual case, every answer a whole number on the scale, is settled in three passes.
            low, high = np.fmin.reduce(values, initial=np.inf), np.fmax.reduce(values, initial=-np.inf)
            if codes and (low < scale.min or high > scale.max):  # missing codes lie off the scale
                coded = values == codes[0] if len(codes) == 1 else np.isin(values, codes)
                if coded.any():
                    values[coded] = np.nan
                    self.missing_coded += int(coded.sum())
                    low, high = np.fmin.reduce(values, initial=np.inf), np.fmax.reduce(values, initial=-np.inf)
            off = None
            if low < scale.min or high > scale.max:
                with np.errstate(invalid="ignore"):
                    off = (values < scale.min) | (values > scale.max)
            if not np.array_equal(np.floor(values), values, equal_nan=True):
                with np.errstate(invalid="ignore"):
                    fraction = (np.floor(values) != values) & ~np.isnan(values)
                off = fraction if off is None else off | fraction
            if off is not None and off.any():
                where = np.flatnonzero(off)
                self.n_problems += len(where)
                for row in where[:_MAX_LISTED]:
                    value = cells[row] if cells is not None else series.iloc[row]
                    self._problem(f"  {self._where(offset + row)}, column {column!r}: {_shown(value)} is not on the "
                                  f"{scale.min}-{scale.max} scale", column)

    def _where(self, index: int) -> str:
        return f"{self.unit} {self.rows[index] if self.rows is not None else index + 1}"

    def _problem(self, text: str, column: str) -> None:
        if sum(1 for p in self.problems if f"column {column!r}:" in p) < _MAX_LISTED:
            self.problems.append(text)

    def _text_cells(self, series: pd.Series, code: str, column: str, offset: int) -> tuple[np.ndarray, np.ndarray]:
        """A column with text in it: numbers as numbers, text answers through scale.answers.

        Answer columns have few distinct values, so each distinct value is resolved once."""
        cells = series.to_numpy(dtype=object)
        codes, uniques = pd.factorize(cells)  # -1: empty cell
        resolved = [_resolve(u, self.answers) for u in uniques] + [("blank", np.nan)]
        values = np.array([v for _, v in resolved], dtype=float)[codes]
        kinds = np.array([k for k, _ in resolved], dtype=object)
        counts = np.bincount(codes + 1, minlength=len(uniques) + 1)[1:]  # cells per distinct value
        bad_values = np.flatnonzero(kinds[:-1] == "bad")
        if len(bad_values):
            bad = np.flatnonzero(np.isin(codes, bad_values))
            self.n_problems += len(bad)
            for row in bad[:_MAX_LISTED]:
                value = cells[row]
                hint = what = ""
                if self.answers:
                    what = " or a text answer of scale.answers"
                    close = difflib.get_close_matches(str(value).strip(), self.answer_texts, n=1, cutoff=0.5)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
                    hint = " (a logical TRUE/FALSE cell, not an answer: check the column, or the cell's formula or format)"
                self._problem(f"  {self._where(offset + row)}, column {column!r}: {_shown(value)} is not a number"
                              f"{what}{hint}", column)
        answered = np.flatnonzero(kinds[:-1] == "answer")
        if len(answered):
            self.mapped[code] = self.mapped.get(code, 0) + int(counts[answered].sum())
            for k in answered[np.argsort(-counts[answered])][:3]:
                self.examples[f"{str(uniques[k]).strip()!r} → {resolved[k][1]:g}"] += int(counts[k])
        self.converted[column] += int(counts[kinds[:-1] == "number"].sum())
        return values, cells

    def _apply_value_labels(self, values: np.ndarray, labels: dict, column: str) -> np.ndarray:
        """SPSS/Stata value labels of an item column are applied only when they are text answers of the
        scale (then each code means its label's answer); otherwise the numeric codes are kept as they are."""
        present = [v for v in pd.unique(values[~np.isnan(values)]) if v in labels]
        if not present:
            return values
        meaning = {v: self.answers.get(normalize_answer(str(labels[v]))) for v in present}
        unknown = [v for v, c in meaning.items() if c is None]
        if unknown:
            if len(unknown) < len(meaning):
                shown = ", ".join(f"{labels[v]!r} ({v:g})" for v in unknown[:3])
                self.label_notes[column] = Message(
                    f"Column {column!r}: its value labels were not applied, because {shown} is not a text answer "
                    "of scale.answers; the numeric codes were read as they are.",
                    f"列 {column!r}：其值标签未被采用，因为 {shown} 不是 scale.answers 中的文字答案；数字代码按原值读取。",
                    Message(f"Column {column!r}: its value labels are not answers of the scale; its numeric codes were "
                            "read as they are.", f"列 {column!r} 的值标签不是量表的答案，数字代码按原值读取。"))
            return values
        changed = {v: c for v, c in meaning.items() if c != v}
        if not changed:
            return values
        out = values.copy()
        n_changed = 0
        for v, c in changed.items():
            hit = values == v
            out[hit] = c
            n_changed += int(hit.sum())
        mapping = ", ".join(f"{v:g} {labels[v]!r} → {c}" for v, c in changed.items())
        self.label_notes[column] = Message(
            f"Column {column!r}: its value labels are text answers of scale.answers, so each code was read as its "
            f"label: {mapping} ({n_changed} answer(s) changed code).",
            f"列 {column!r}：其值标签是 scale.answers 中的文字答案，因此各代码按标签读取：{mapping}"
            f"（{n_changed} 个答案的代码因此改变）。",
            Message(f"Column {column!r}: its value labels are answers of the scale, so each code was read as its label "
                    f"({n_changed} answer(s) changed code).",
                    f"列 {column!r} 的值标签是量表的答案，各代码按标签读取（{n_changed} 个答案的代码因此改变）。"))
        return out

    def notes(self) -> list[str]:
        out = list(self.label_notes.values())
        if self.mapped:
            per_item = ", ".join(f"{c}: {v}" for c, v in self.mapped.items())
            examples = ", ".join(e for e, _ in self.examples.most_common(4))
            out.append(Message(f"Mapped {sum(self.mapped.values())} text answer(s) to scale codes through "
                               f"scale.answers ({per_item}); e.g. {examples}.",
                               f"按 scale.answers 将 {sum(self.mapped.values())} 个文字答案转换为量表代码"
                               f"（{per_item}），例如 {examples}。",
                               Message(f"Mapped {sum(self.mapped.values())} text answer(s) to scale codes through the "
                                       f"scale's answer labels ({per_item}).",
                                       f"按量表的答案标签将 {sum(self.mapped.values())} 个文字答案转换为量表代码（{per_item}）。")))
        if sum(self.converted.values()):
            columns = ", ".join(c for c, v in self.converted.items() if v)
            out.append(Message(f"Read {sum(self.converted.values())} answer(s) written with full-width or other "
                               f"non-ASCII digits as numbers (columns {columns}).",
                               f"将 {sum(self.converted.values())} 个以全角或其他非 ASCII 数字书写的答案读作数字"
                               f"（列 {columns}）。"))
        if self.missing_coded:
            shown = ", ".join(f"{c:g}" for c in self.scale.missing_codes)
            out.append(Message(f"Read {self.missing_coded} answer(s) coded {shown} (scale.missing_codes) as no answer.",
                               f"将 {self.missing_coded} 个编码为 {shown} 的答案（scale.missing_codes）按未作答处理。",
                               Message(f"{self.missing_coded} {'answer was' if self.missing_coded == 1 else 'answers were'} coded {shown} (no answer) and read as missing.",
                                       f"数据中有 {self.missing_coded} 个答案编码为 {shown}（未作答），均按缺失值处理。")))
        return out


def _resolve(cell, answers: dict[str, int]) -> tuple[str, float]:
    """A cell of an item column: (kind, value) with kind plain (a number), number (a number written with
    full-width or other non-ASCII digits), answer (a text answer), blank or bad."""
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, (bool, np.bool_)):
        value = float(cell)
        return ("blank", np.nan) if np.isnan(value) else ("plain", value)
    text = cell.strip() if isinstance(cell, str) else (_cell_text(cell) or "")
    if not text:
        return "blank", np.nan
    if "_" not in text:  # float() reads "1_0" as 10
        try:
            value = float(text)
            if np.isfinite(value):
                return "plain", value
        except ValueError:
            number = _as_number(text)
            if number is not None:
                return "number", number
    code = answers.get(normalize_answer(text))
    if code is not None:
        return "answer", float(code)
    return "bad", np.nan


def _answer_texts(study: Study) -> list[str]:
    answers = study.scale.answers
    if answers is None:
        return []
    if answers == "labels":
        return [t for texts in (study.scale.labels or {}).values() for t in texts]
    return [t for texts in answers.values() for t in texts]


def _missing_detail(x: np.ndarray, idx: np.ndarray, codes: list[str]) -> list[str]:
    """'no answer to sat1, sat3' for each of the rows ``idx`` (computed once per pattern of missing items)."""
    if not len(idx):
        return []
    packed = np.packbits(np.isnan(x[idx]), axis=1)
    width = packed.shape[1]
    if width <= 8:
        keys = np.zeros((len(idx), 8), dtype=np.uint8)
        keys[:, :width] = packed
        key = keys.view(np.uint64).ravel()
    else:
        key = np.array([row.tobytes() for row in packed], dtype=object)
    labels, uniques = pd.factorize(key)
    _, first = np.unique(labels, return_index=True)  # a row of each pattern
    names = np.array(codes)
    texts = []
    for k in range(len(uniques)):
        missed = names[np.isnan(x[idx[first[k]]])]
        shown = ", ".join(missed[:8]) + (f" and {len(missed) - 8} more" if len(missed) > 8 else "")
        texts.append(f"no answer to {shown}")
    return list(np.array(texts, dtype=object)[labels])


def _background(text: dict[str, np.ndarray], study: Study, rows: np.ndarray, value_labels: dict,
                notes: list[str], warnings: list[str], name: str, unit: str = "row") -> pd.DataFrame:
    """Background answers as text codes. Answers written as a level's label (zh or en), as a number such
    as 1.0 for level 1, or as the SPSS value label of a code are read as that level's code, and counted;
    answers that are no declared level are kept, counted and listed in a warning (group comparisons
    leave them out)."""
    out = {}
    for question in study.background:
        column = question.data_column
        values = text[column].copy()
        if question.type == "numeric":
            number = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy()
            bad = np.isnan(number.astype(float)) & pd.notna(values)
            if bad.any():
                warnings.append(f"{name}: background question {question.code} (column {column!r}) is numeric, but "
                                f"{int(bad.sum())} answer(s) are not numbers: "
                                + _listing(f"{unit} {r} ({v!r})" for r, v in zip(rows[bad], values[bad])) + ".")
        elif question.levels:
            levels = {str(level.code) for level in question.levels}
            lookup: dict[str, str] = {}
            for level in question.levels:
                for label in (level.label.zh, level.label.en, str(level.code)):
                    if label:
                        lookup.setdefault(normalize_answer(label), str(level.code))
            spss = {_cell_text(k): v for k, v in value_labels.get(column, {}).items()}
            codes, uniques = pd.factorize(pd.Series(values, dtype=object))
            mapping: dict = {}
            for u in uniques:
                if u in levels:
                    continue
                number = _as_number(u)
                if number is not None and _cell_text(number) in levels:
                    mapping[u] = _cell_text(number)  # "1.0" is level 1
                elif normalize_answer(u) in lookup:
                    mapping[u] = lookup[normalize_answer(u)]
                elif u in spss and normalize_answer(str(spss[u])) in lookup:
                    mapping[u] = lookup[normalize_answer(str(spss[u]))]
            if mapping:
                new = np.array([mapping.get(u, u) for u in uniques] + [None], dtype=object)
                hit = np.isin(codes, [k for k, u in enumerate(uniques) if u in mapping])
                values = new[codes]
                examples = ", ".join(f"{k!r} → {v}" for k, v in list(mapping.items())[:4])
                notes.append(Message(f"Background question {question.code}: read {int(hit.sum())} answer(s) written "
                                     f"as a level's label or in another form as its code ({examples}).",
                                     f"背景题 {question.code}：{int(hit.sum())} 个以选项文字或其他形式书写的答案已按选项代码读取"
                                     f"（{examples}）。"))
            unknown = pd.notna(values) & ~pd.Series(values, dtype=object).isin(levels).to_numpy()
            if unknown.any():
                listed = _listing(f"{unit} {r} ({v!r})" for r, v in zip(rows[unknown], values[unknown]))
                warnings.append(f"{name}: background question {question.code} (column {column!r}): "
                                f"{int(unknown.sum())} answer(s) are not among its declared levels "
                                f"({', '.join(sorted(levels))}): {listed}. They are kept in the data and left out of "
                                "group comparisons; add the level to the study file or correct the data.")
        out[question.code] = values
    return pd.DataFrame(out, index=pd.Index(rows, name="row"), columns=[q.code for q in study.background])
