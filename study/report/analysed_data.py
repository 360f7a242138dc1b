"""The analysed data set, for rerunning the analysis in SPSS, R or Excel: ``analysed_data.csv`` and
``analysed_data.sav`` (SPSS, with variable and value labels), written beside the report with
``--export-data``, or where ``--export-data FILE`` asks.

One row per respondent of the data file (analysed or not, in the file's order), with:

- ``row``: the respondent's line in the CSV file (its sheet row, or SPSS/Stata case number), as in
  ``excluded_respondents.csv``; ``id`` when the study names ``data.id_column``;
- ``excluded`` (0 = analysed, 1 = excluded), ``exclusion_reason``, ``flagged`` (kept but flagged by a
  screening rule with ``action: flag``) and ``flag_reasons``: filter on ``excluded = 0`` to get the
  respondents the report analyses;
- every background question by its code (the level codes; labels as SPSS value labels);
- every construct item by its code: the answers as numbers on the scale, missing codes as no answer, text
  answers as their codes, and negatively worded items already reverse-coded (min + max − answer);
- one construct score per construct, named by the construct's code: the mean of its items (of the items
  answered), a second-order construct's over all its dimensions' items — the scores of the report's
  correlation table (:func:`study.report.scores.construct_scores`).

The codebook (``codebook.csv``) describes these columns too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..csvfiles import write_csv
from ..pipeline import StudyResults
from ..questionnaire import Text
from ..questionnaire.codebook import score_columns
from .scores import construct_scores

EXPORT_NAMES = ("analysed_data.csv", "analysed_data.sav")


def _label(text: Text | str | None, lang: str, fallback: str = "") -> str:
    if text is None:
        return fallback
    return (text.get(lang) if isinstance(text, Text) else str(text)) or fallback


def analysed_data(res: StudyResults) -> tuple[pd.DataFrame, dict[str, str], dict[str, dict]]:
    """The export table, its variable labels and its value labels (see the module documentation)."""
    study, data = res.study, res.data
    lang = study.meta.language
    items = data.all_items if data.all_items is not None else data.items
    rows = items.index
    table: dict[str, object] = {"row": rows.to_numpy()}
    labels = {"row": f"{data.row_unit} in {Path(data.file).name}"}
    values: dict[str, dict] = {}
    if data.ids is not None:
        table["id"] = data.ids.reindex(rows).to_numpy(dtype=object)
        labels["id"] = f"respondent id ({study.data.id_column})"
    excluded = data.excluded.set_index("row")["reason"] if len(data.excluded) else pd.Series(dtype=object)
    table["excluded"] = rows.isin(excluded.index).astype(np.int8)
    table["exclusion_reason"] = excluded.reindex(rows).fillna("").to_numpy(dtype=object)
    labels.update(excluded="excluded from the analysis", exclusion_reason="why excluded")
    values["excluded"] = {0: "analysed", 1: "excluded"}
    flagged = data.flagged
    if flagged is not None and len(flagged):
        reasons = flagged.groupby("row", sort=False)["reason"].agg(lambda r: "; ".join(dict.fromkeys(r)))
    else:
        reasons = pd.Series(dtype=object)
    table["flagged"] = rows.isin(reasons.index).astype(np.int8)
    table["flag_reasons"] = reasons.reindex(rows).fillna("").to_numpy(dtype=object)
    labels.update(flagged="flagged by a screening rule but kept", flag_reasons="why flagged")
    values["flagged"] = {0: "not flagged", 1: "flagged"}
    background = data.all_background if data.all_background is not None else data.background
    for question in study.background:
        column = background[question.code].reindex(rows).to_numpy(dtype=object) if question.code in background \
            else np.full(len(rows), None, dtype=object)
        codes = [level.code for level in question.levels]
        if codes and all(isinstance(c, int) for c in codes):
            numbers = pd.to_numeric(pd.Series(column, dtype=object), errors="coerce")
            table[question.code] = numbers.astype("Int64").to_numpy()
            values[question.code] = {level.code: _label(level.label, lang, str(level.code)) for level in question.levels}
        else:
            table[question.code] = column
            values[question.code] = {str(level.code): _label(level.label, lang, str(level.code))
                                     for level in question.levels}
        labels[question.code] = _label(question.name or question.text, lang, question.code)
    scale_labels = (study.scale.labels or {}).get(lang) or (study.scale.labels or {}).get("en") or []
    scale_values = {study.scale.min + k: text for k, text in enumerate(scale_labels)}
    answers = items.to_numpy(dtype=float)
    for j, item in enumerate(study.items):
        table[item.code] = pd.array(answers[:, j], dtype="Float64").round(0).astype("Int64") \
            if np.all(np.isnan(answers[:, j]) | (answers[:, j] == np.round(answers[:, j]))) else answers[:, j]
        text = _label(item.text, lang, item.code)
        labels[item.code] = (f"{text} (reverse-coded)" if item.reverse else text)[:250]
        if scale_values:
            values[item.code] = scale_values
    scores = construct_scores(items, study)
    for code, column in score_columns(study).items():
        table[column] = scores[code].round(6).to_numpy()
        construct = study.construct(code)
        labels[column] = f"{_label(construct.name, lang, code)}: mean of its items"[:250]
    return pd.DataFrame(table), labels, values


def write_analysed_data(res: StudyResults, path: Path) -> Path:
    """Write the export as ``.csv`` (UTF-8 with BOM, formulas neutralized) or ``.sav`` (SPSS), by the suffix.

    In the .sav file every column but ``id`` is numeric, as SPSS users expect: text codes (a background
    question coded ``male``/``female``, the exclusion and flag reasons) are numbered 1, 2, … with the text
    as the value label (0 = none for the reasons)."""
    path = Path(path)
    table, labels, values = analysed_data(res)
    if path.suffix.lower() != ".sav":
        return write_csv(table, path, encoding="utf-8-sig")
    import pyreadstat

    frame = {}
    for column in table.columns:
        series = table[column]
        if column == "id":
            frame[column] = series.map(lambda v: "" if v is None or v is pd.NA else str(v)).to_numpy(dtype=object)
        elif pd.api.types.is_numeric_dtype(series.dtype):
            frame[column] = series.to_numpy(dtype=float, na_value=np.nan)
        else:  # text codes: numbered, the text as value label
            text = series.to_numpy(dtype=object)
            present = [v for v in pd.unique(text) if isinstance(v, str) and v != ""]
            order = [v for v in values.get(column, {}) if v in present] + [v for v in present if v not in values.get(column, {})]
            number = {v: float(k) for k, v in enumerate(order, start=1)}
            codes, uniques = pd.factorize(text)
            lookup = np.array([number.get(u, 0.0 if u == "" else np.nan) for u in uniques] + [np.nan])
            frame[column] = lookup[codes]
            names = values.get(column, {})
            values[column] = {number[v]: (f"{v}: {names[v]}" if v in names and names[v] != v else str(v)) for v in order}
            if column in ("exclusion_reason", "flag_reasons"):
                values[column][0.0] = "none"
    frame = pd.DataFrame(frame)
    kind = {c: (int if pd.api.types.is_integer_dtype(frame[c].dtype) else float) for c in frame.columns}
    pyreadstat.write_sav(frame, str(path), column_labels=[labels.get(c, "") for c in frame.columns],
                         variable_value_labels={c: {kind[c](k): str(v) for k, v in m.items()}
                                                for c, m in values.items() if c in frame.columns and m})
    return path
