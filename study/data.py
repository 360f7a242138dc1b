"""Stage 2: the responses.

:func:`load_responses` reads the data file a study names, checks every value against the study's
scale, reverse-codes the negatively worded items, and screens respondents. It never changes the
input file and never drops a respondent without counting and listing them: the result carries the
analysed rows, the excluded rows with their reason, and plain-language notes for the report.
"""

from __future__ import annotations

import csv
import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .questionnaire import Study, StudyError

# Reasons, as they appear in results.json ``n.excluded`` and the excluded-respondents file.
REASON_INCOMPLETE = "incomplete answers"
REASON_STRAIGHT = "straight-lining"

_MAX_LISTED = 10  # problems listed one by one in an error message


@dataclass(frozen=True)
class SurveyData:
    """The responses that enter the analysis, and the account of how they were obtained."""

    items: pd.DataFrame  # analysed respondents x construct items, reverse-coded, numeric
    background: pd.DataFrame  # analysed respondents x background columns
    n_raw: int
    excluded: pd.DataFrame  # one row per excluded respondent: row, id, reason
    file: Path
    reverse_coded: list[str] = field(default_factory=list)
    missing_by_item: dict[str, int] = field(default_factory=dict)
    flagged: pd.DataFrame | None = None  # respondents flagged but kept
    notes: list[str] = field(default_factory=list)  # what was done to the data, for the report
    warnings: list[str] = field(default_factory=list)

    @property
    def n_analysed(self) -> int:
        return len(self.items)

    @property
    def excluded_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.excluded["reason"].value_counts(sort=False).items()}


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV/TSV (UTF-8, UTF-8 with BOM or GB18030) or Excel file as text-preserving DataFrame."""
    if not path.is_file():
        raise StudyError(f"{path}: data file not found. Check data.file in the study file, or pass --data FILE")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xls"}:
        try:
            return pd.read_excel(path)
        except ImportError:
            raise StudyError(f"{path}: reading Excel files needs the openpyxl package "
                             "(pip install openpyxl), or save the sheet as CSV") from None
    if suffix not in {".csv", ".tsv", ".txt"}:
        raise StudyError(f"{path}: unsupported data file type {suffix!r}; use .csv, .tsv or .xlsx")
    sep = "\t" if suffix == ".tsv" else None
    options = dict(sep=sep, engine="python" if sep is None else "c", dtype=str, keep_default_na=False)
    # Chinese survey platforms and Excel often export GBK; GB18030 is its superset.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            if not path.read_bytes().strip():
                raise StudyError(f"{path}: the data file is empty; it needs a header row of column names "
                                 "and one row per respondent")
            frame = pd.read_csv(path, encoding=encoding, **options)
            # pandas renames a repeated column name ("sat1" -> "sat1.1"): keep the names as written.
            header = pd.read_csv(path, encoding=encoding, header=None, nrows=1, **options).iloc[0]
            break
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
            raise StudyError(f"{path}: the file could not be read as a table ({exc}); save it as CSV "
                             "with a header row of column names and one row per respondent") from None
    else:
        raise StudyError(f"{path}: the text encoding is neither UTF-8 nor GBK/GB18030; save it as UTF-8")
    frame.attrs["repeated_columns"] = sorted(n for n, k in Counter(header.astype(str)).items() if k > 1)
    # R's write.csv adds an unnamed first column of row names.
    first = frame.columns[0]
    if first == "" or first.startswith("Unnamed: 0"):
        frame = frame.drop(columns=first)
    return frame


def load_responses(study: Study, data_file: str | Path | None = None) -> SurveyData:
    """Read, check, reverse-code and screen the responses of a study.

    Parameters
    ----------
    study : Study
        The validated study definition.
    data_file : str or Path, optional
        Overrides ``data.file`` of the study.

    Returns
    -------
    SurveyData

    Raises
    ------
    StudyError
        When a column is missing or a value is not on the scale; the message lists each problem
        with its row and column.
    """
    path = Path(data_file).resolve() if data_file else study.resolve(study.data.file)
    raw = read_table(path)
    n_raw = len(raw)
    if n_raw == 0:
        raise StudyError(f"{path}: the data file has no rows")

    item_columns = {i.code: i.data_column for i in study.items}
    background_columns = {b.code: b.data_column for b in study.background}
    id_column = study.data.id_column
    wanted = list(item_columns.values()) + list(background_columns.values()) + ([id_column] if id_column else [])
    missing = [c for c in wanted if c not in raw.columns]
    if missing:
        lines = []
        for column in missing:
            close = difflib.get_close_matches(column, list(raw.columns), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"  column {column!r}{hint}")
        raise StudyError(f"{path}: {len(missing)} column(s) named in {study.path} are not in the data file:\n"
                         + "\n".join(lines)
                         + "\nRename the column in the data, or set the item's `column:` in the study file.")

    repeated = [c for c in raw.attrs.get("repeated_columns", []) if c in wanted]
    if repeated:
        raise StudyError(f"{path}: the header names column(s) {', '.join(map(repr, repeated))} more than once, so it "
                         "is not clear which one holds the answers; rename or delete the extra column(s).")

    items = _parse_items(raw, item_columns, study, path)
    rows = pd.RangeIndex(1, n_raw + 1, name="row")  # 1-based data row numbers (line = row + 1)
    items.index = rows
    ids = raw[id_column].to_numpy() if id_column else np.asarray(rows)
    background = raw[list(background_columns.values())].copy()
    background.columns = list(background_columns)
    background.index = rows
    background = background.replace("", np.nan)

    notes: list[str] = []
    warnings: list[str] = []

    reverse = [i.code for i in study.items if i.reverse]
    if reverse:
        items[reverse] = (study.scale.min + study.scale.max) - items[reverse]
        notes.append(f"Reverse-coded {len(reverse)} negatively worded item(s) as "
                     f"{study.scale.min + study.scale.max} − answer: {', '.join(reverse)}.")

    missing_by_item = {c: int(v) for c, v in items.isna().sum().items()}

    # Screening: a respondent can have several reasons; the first one listed here is recorded.
    answered = items.notna()
    complete = answered.all(axis=1)
    straight = complete & (items.nunique(axis=1) == 1)
    # Reverse-coding turns a true straight line into a non-constant row, so test the raw answers.
    if reverse:
        raw_items = items.copy()
        raw_items[reverse] = (study.scale.min + study.scale.max) - raw_items[reverse]
        straight = complete & (raw_items.nunique(axis=1) == 1)

    reasons = pd.Series(pd.NA, index=rows, dtype=object)
    flagged = None
    if study.screening.straight_lining == "exclude":
        reasons[straight] = REASON_STRAIGHT
    elif study.screening.straight_lining == "flag" and straight.any():
        flagged = pd.DataFrame({"row": rows[straight], "id": ids[straight.to_numpy()],
                                "reason": REASON_STRAIGHT})
        warnings.append(f"{int(straight.sum())} respondent(s) gave the same answer to every item "
                        "(straight-lining); they were kept, as the study file asks (screening.straight_lining: flag).")
    reasons[~complete & reasons.isna()] = REASON_INCOMPLETE

    dropped = reasons.notna().to_numpy()
    excluded = pd.DataFrame({"row": rows[dropped], "id": ids[dropped], "reason": reasons[dropped].to_numpy()})
    if dropped.any():
        counts = excluded["reason"].value_counts()
        detail = "; ".join(f"{int(v)} for {k}" for k, v in counts.items())
        notes.append(f"Excluded {int(dropped.sum())} of {n_raw} respondents ({detail}); "
                     "missing answers are handled by listwise deletion.")
        warnings.append(f"{int(dropped.sum())} of {n_raw} respondents were excluded: {detail}. "
                        "They are listed with row and reason in excluded_respondents.csv.")
    else:
        notes.append(f"All {n_raw} respondents answered every construct item and were analysed.")

    keep = ~dropped
    analysed = items.loc[keep].astype(float)
    constant = [c for c in analysed.columns if analysed[c].nunique() <= 1]
    if constant:
        raise StudyError(f"{path}: item column(s) {', '.join(item_columns[c] for c in constant)} have the same "
                         "value for every analysed respondent; a constant item cannot be analysed. "
                         "Check the column mapping or remove the item from the study file.")
    if len(analysed) < 2 * len(item_columns):
        raise StudyError(f"{path}: only {len(analysed)} respondents remain after screening for "
                         f"{len(item_columns)} items; the model cannot be estimated reliably.")
    return SurveyData(items=analysed, background=background.loc[keep], n_raw=n_raw, excluded=excluded,
                      file=path, reverse_coded=reverse, missing_by_item=missing_by_item,
                      flagged=flagged, notes=notes, warnings=warnings)


def _parse_items(raw: pd.DataFrame, item_columns: dict[str, str], study: Study, path: Path) -> pd.DataFrame:
    """Item answers as floats (missing codes and blanks as NaN); errors name row, column and value."""
    scale = study.scale
    out = {}
    problems: list[str] = []
    for code, column in item_columns.items():
        text = raw[column].str.strip()
        values = pd.to_numeric(text.replace("", np.nan), errors="coerce")
        bad_text = values.isna() & text.ne("") & text.notna()
        for row in np.flatnonzero(bad_text.to_numpy())[:_MAX_LISTED]:
            problems.append(f"  row {row + 1}, column {column!r}: {raw[column].iloc[row]!r} is not a number")
        if scale.missing_codes:
            values = values.mask(values.isin(scale.missing_codes))
        off = values.notna() & ((values < scale.min) | (values > scale.max) | (values % 1 != 0))
        for row in np.flatnonzero(off.to_numpy())[:_MAX_LISTED]:
            problems.append(f"  row {row + 1}, column {column!r}: {raw[column].iloc[row]!r} is not on the "
                            f"{scale.min}-{scale.max} scale")
        out[code] = values
    if problems:
        shown = problems[:3 * _MAX_LISTED]
        more = f"\n  ... and more ({len(problems) - len(shown)} not shown)" if len(problems) > len(shown) else ""
        raise StudyError(f"{path}: {len(problems)} answer(s) are not valid (row 1 is the first data row):\n"
                         + "\n".join(shown) + more
                         + "\nFix the values (leave the cell empty for no answer), or declare numeric missing-value codes "
                         "such as 99 under scale.missing_codes.")
    return pd.DataFrame(out)
