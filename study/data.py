"""Stage 2: the responses.

:func:`load_responses` reads the data file a study names (CSV/TSV in UTF-8 or GBK, Excel .xlsx or .xls,
SPSS .sav, Stata .dta), checks every value against the study's scale, maps text answers to their codes,
reverse-codes the negatively worded items, and screens respondents (duplicate ids, attention checks,
completion time, straight-lining, incomplete answers). It never changes the input file and never
drops, recodes or maps an answer without counting it: the result carries the analysed rows, the
excluded rows with their reason, and plain-language notes for the report.

Speed: a CSV file is read in blocks of rows by pandas' C reader, only the columns the study names.
Construct items are parsed as numbers; only a column block with text in it (text answers, stray
spaces, full-width digits) takes the text path, and then only for its non-numeric cells. The answers
are kept in one float array on which all screening is done; the description of each excluded
respondent is written only for the excluded rows.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import warnings as _warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from .messages import Message
from .questionnaire import Study, StudyError, _as_number, normalize_answer

# Reasons, as they appear in results.json ``n.excluded`` and the excluded-respondents file. A respondent
# with several reasons is counted under the first of this order; the others are named in ``detail``.
REASON_DUPLICATE = "duplicate id"
REASON_ATTENTION = "failed attention check"
REASON_SPEEDING = "too fast"
REASON_STRAIGHT = "straight-lining"
REASON_INCOMPLETE = "incomplete answers"  # listwise deletion
REASON_NO_ANSWERS = "no item answered"  # FIML keeps incomplete respondents, but not empty ones
REASONS = (REASON_DUPLICATE, REASON_ATTENTION, REASON_SPEEDING, REASON_STRAIGHT, REASON_INCOMPLETE,
           REASON_NO_ANSWERS)
REASONS_ZH = {REASON_DUPLICATE: "编号重复", REASON_ATTENTION: "未通过注意力检测", REASON_SPEEDING: "作答过快",
              REASON_STRAIGHT: "直线作答", REASON_INCOMPLETE: "作答不完整", REASON_NO_ANSWERS: "未回答任何题项"}

_MAX_LISTED = 10  # problems listed one by one in an error message
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_STAT_SUFFIXES = {".sav": "SPSS", ".zsav": "SPSS", ".dta": "Stata"}
SUPPORTED = ".csv, .tsv, .txt, .xlsx, .xls, .sav or .dta"
_CELLS_PER_BLOCK = 4_000_000  # rows per block of a CSV file = this / number of columns read


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


# --- reading -----------------------------------------------------------------------------------

@dataclass
class _Source:
    """An opened data file: its header, and its rows in one or more blocks."""

    header: list[str]
    blocks: Iterator[pd.DataFrame]
    rows_hint: int | None = None  # an upper bound of the number of rows, if known before reading
    notes: list[str] = field(default_factory=list)
    value_labels: dict[str, dict] = field(default_factory=dict)  # SPSS/Stata: column -> {code: label}

    @property
    def repeated(self) -> list[str]:
        return sorted(n for n, k in Counter(self.header).items() if k > 1)


def read_table(path: Path, columns: list[str] | None = None, numeric: list[str] | tuple = ()) -> pd.DataFrame:
    """Read a data file as a table whose text is kept as written.

    Parameters
    ----------
    path : Path
        A CSV/TSV (UTF-8, UTF-8 with BOM or GBK/GB18030), Excel .xlsx or .xls, SPSS .sav or Stata .dta file.
    columns : list of str, optional
        Read only these columns (those of them that exist); all columns by default.
    numeric : list of str
        Columns that may come back as numbers (the construct items); a column with text in it comes
        back as objects (numbers and strings). Every other column is text: numbers as written in a
        CSV file (``"007"`` stays ``"007"``), SPSS/Stata/Excel numbers in plain form (``1.0`` -> ``"1"``).

    Returns
    -------
    DataFrame
        ``attrs`` holds ``header`` (every column name as written), ``repeated_columns``,
        ``value_labels`` (SPSS/Stata: column -> {code: label}) and ``notes`` (what the reader did).
    """
    source = _open(Path(path), columns, numeric)
    blocks = list(source.blocks)
    frame = pd.concat(blocks, ignore_index=True) if len(blocks) > 1 else blocks[0] if blocks else pd.DataFrame()
    if columns is None and len(frame.columns):
        # R's write.csv adds an unnamed first column of row names.
        first = frame.columns[0]
        if first == "" or str(first).startswith("Unnamed: 0"):
            frame = frame.drop(columns=first)
    frame.attrs.update(header=source.header, repeated_columns=source.repeated, value_labels=source.value_labels,
                       notes=source.notes)
    return frame


def _open(path: Path, columns, numeric, block_rows: int | None = None) -> _Source:
    if not path.is_file():
        raise StudyError(f"{path}: data file not found. Check data.file in the study file, or pass --data FILE")
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        source = _open_delimited(path, columns, numeric, block_rows)
    elif suffix in _EXCEL_SUFFIXES:
        source = _open_excel(path, columns, numeric)
    elif suffix in _STAT_SUFFIXES:
        source = _open_stat(path, columns, numeric)
    else:
        raise StudyError(f"{path}: unsupported data file type {suffix!r}; use {SUPPORTED}")
    return source


def _check_repeated(path: Path, header: list[str], columns) -> None:
    if columns is None:
        return
    repeated = sorted(n for n, k in Counter(header).items() if k > 1 and n in set(columns))
    if repeated:
        raise StudyError(f"{path}: the header names column(s) {', '.join(map(repr, repeated))} more than "
                         "once, so it is not clear which one holds the answers; rename or delete the extra "
                         "column(s).")


def _scan_text_file(path: Path) -> tuple[str, int]:
    """The encoding of a text file (UTF-8, with or without BOM, else GB18030) and an upper bound of its
    number of lines, in one pass over the bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 1
    empty = True
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            lines += block.count(b"\n")
            if empty and block.removeprefix(b"\xef\xbb\xbf").strip():
                empty = False
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if empty:
        raise StudyError(f"{path}: the data file is empty; it needs a header row of column names "
                         "and one row per respondent")
    # Chinese survey platforms and Excel often export GBK; GB18030 is its superset.
    return ("utf-8-sig" if utf8 else "gb18030"), lines


def _delimiter(first_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda s: counts[s])  # ties: the first of , \t ; |
    return best if counts[best] else ","


def _open_delimited(path: Path, columns, numeric, block_rows) -> _Source:
    try:
        encoding, lines = _scan_text_file(path)
        with path.open("rb") as handle:
            sample = handle.read(1 << 16)
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
    first_line = (sample.decode(encoding, errors="ignore").lstrip("\ufeff").splitlines() or [""])[0]
    common = dict(sep=_delimiter(first_line, path.suffix.lower()), encoding=encoding, engine="c",
                  keep_default_na=False)
    bad_table = (f"{path}: the file could not be read as a table ({{}}); save it as CSV with a header row of "
                 "column names and one row per respondent")
    try:
        header = pd.read_csv(path, header=None, nrows=1, dtype=str, **common).iloc[0].fillna("").astype(str)
    except UnicodeDecodeError:
        raise StudyError(f"{path}: the text encoding is neither UTF-8 nor GBK/GB18030; save it as UTF-8") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError, IndexError) as exc:
        raise StudyError(bad_table.format(exc)) from None
    header = list(header)
    _check_repeated(path, header, columns)
    use = list(header) if columns is None else list(dict.fromkeys(c for c in header if c in set(columns)))
    numeric = set(numeric)
    text_columns = [c for c in use if c not in numeric]
    rows = block_rows or max(1000, _CELLS_PER_BLOCK // max(1, len(use)))

    def blocks() -> Iterator[pd.DataFrame]:
        try:
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                reader = pd.read_csv(path, header=0, usecols=use if columns is not None else None,
                                     dtype={c: str for c in text_columns}, na_values=[""], chunksize=rows, **common)
                with reader:
                    yield from reader
        except UnicodeDecodeError:
            raise StudyError(f"{path}: the text encoding is neither UTF-8 nor GBK/GB18030; save it as UTF-8") from None
        except OSError as exc:
            raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
            raise StudyError(bad_table.format(exc)) from None

    notes = [f"Read {path.name} as GBK/GB18030 text."] if encoding == "gb18030" else []
    return _Source(header=header, blocks=blocks(), rows_hint=lines, notes=notes)


def _open_excel(path: Path, columns, numeric) -> _Source:
    """An Excel workbook, .xlsx (openpyxl) or old .xls (xlrd), told apart by the file's first bytes: survey
    platforms sometimes save one format under the other's name."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE2 compound file: the .xls (BIFF) format
        return _open_xls(path, columns, numeric)
    if path.suffix.lower() == ".xls" and not magic.startswith(b"PK"):
        head = magic.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        what = ("a web page (HTML) saved under the .xls name" if head.startswith((b"<", b"<!doc", b"<html"))
                else "not an Excel workbook" if magic.strip() else "empty")
        raise StudyError(f"{path}: the file could not be read as an Excel workbook (it is {what}); open it in "
                         "Excel and save it as .xlsx, or export the data as CSV")
    return _open_xlsx(path, columns, numeric)


def _open_xlsx(path: Path, columns, numeric) -> _Source:
    try:
        import openpyxl
    except ImportError:
        raise StudyError(f"{path}: reading Excel files needs the openpyxl package "
                         "(pip install openpyxl), or save the sheet as CSV") from None
    handle = path.open("rb")  # a file object: openpyxl then does not insist on the .xlsx name
    try:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, XML and its own errors for files it cannot read
            raise StudyError(f"{path}: the file could not be read as an Excel workbook ({type(exc).__name__}: "
                             f"{exc}); save it again from Excel as .xlsx, or as CSV") from None
        try:
            sheet = book.worksheets[0]
            return _sheet_source(path, sheet.iter_rows(values_only=True), sheet.title, len(book.worksheets),
                                 columns, numeric)
        finally:
            book.close()
    finally:
        handle.close()


def _open_xls(path: Path, columns, numeric) -> _Source:
    try:
        import xlrd
    except ImportError:
        raise StudyError(f"{path}: reading old Excel .xls files needs the xlrd package (pip install xlrd), or "
                         "save the sheet as .xlsx or CSV") from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors for damaged files
        raise StudyError(f"{path}: the file could not be read as an Excel .xls workbook ({type(exc).__name__}: "
                         f"{exc}); save it again from Excel as .xlsx, or as CSV") from None
    try:
        mode = book.datemode
        empty, blank, date = xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_DATE
        boolean, error = xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR

        def cell(value, kind):
            """A cell as openpyxl gives it: None, str, int or float, bool, the error text, and a date or
            time cell as datetime.time (a fraction of a day) or datetime.datetime."""
            if kind in (empty, blank):
                return None
            if kind == date:
                try:
                    moment = xlrd.xldate.xldate_as_datetime(value, mode)
                except Exception:  # a negative or huge date number: keep the number
                    return value
                return moment.time() if 0 <= value < 1 else moment
            if kind == boolean:
                return bool(value)
            if kind == error:
                return xlrd.error_text_from_code.get(value, "#ERROR")
            if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
                return int(value)
            return value

        rows = ([cell(v, k) for v, k in zip(sheet.row_values(i), sheet.row_types(i))] for i in range(sheet.nrows))
        return _sheet_source(path, rows, sheet.name, book.nsheets, columns, numeric)
    finally:
        book.release_resources()


def _sheet_source(path: Path, rows: Iterator, title: str, n_sheets: int, columns, numeric) -> _Source:
    """The first sheet of a workbook, given as rows of cell values (the first row is the header)."""
    first = next(rows, None)
    if first is None or all(v is None for v in first):
        raise StudyError(f"{path}: the first sheet ({title!r}) is empty; it needs a header row of column "
                         "names and one row per respondent")
    header = [_cell_text(v) or "" for v in first]
    _check_repeated(path, header, columns)
    seen: set[str] = set()
    use = [i for i, name in enumerate(header)
           if (columns is None or name in set(columns)) and not (name in seen or seen.add(name))]
    values: list[list] = [[] for _ in use]
    last_filled = 0
    n = 0
    for row in rows:
        n += 1
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row):
            last_filled = n
        for out, i in zip(values, use):
            out.append(row[i] if i < len(row) else None)
    notes = []
    if n_sheets > 1:
        notes.append(Message(f"Read the first sheet ({title!r}) of {n_sheets} in {path.name}.",
                             f"读取了 {path.name} 的 {n_sheets} 个工作表中的第一个（{title!r}）。"))
    if n > last_filled:
        notes.append(Message(f"Ignored {n - last_filled} empty row(s) at the end of sheet {title!r}.",
                             f"忽略了工作表 {title!r} 末尾的 {n - last_filled} 个空行。"))
    numeric = set(numeric)
    data = {}
    for out, i in zip(values, use):
        column = pd.Series(out[:last_filled], dtype=object)
        data[header[i]] = column if header[i] in numeric else pd.Series(_text(column), dtype=object)
    frame = pd.DataFrame(data, index=pd.RangeIndex(last_filled))
    return _Source(header=header, blocks=iter([frame]), rows_hint=last_filled, notes=notes)


def _open_stat(path: Path, columns, numeric) -> _Source:
    kind = _STAT_SUFFIXES[path.suffix.lower()]
    try:
        import pyreadstat
    except ImportError:
        raise StudyError(f"{path}: reading {kind} files needs the pyreadstat package (pip install pyreadstat), "
                         "or export the data as CSV") from None
    reader = pyreadstat.read_dta if kind == "Stata" else pyreadstat.read_sav
    try:
        _, meta = reader(str(path), metadataonly=True)
        header = list(meta.column_names)
        _check_repeated(path, header, columns)
        use = None if columns is None else [c for c in header if c in set(columns)]
        options = dict(user_missing=True) if kind == "SPSS" else {}
        frame, meta = reader(str(path), usecols=use, **options)
    except StudyError:
        raise
    except Exception as exc:  # pyreadstat raises ReadstatError / PyreadstatError with a short reason
        article = "an" if kind == "SPSS" else "a"
        raise StudyError(f"{path}: the file could not be read as {article} {kind} {path.suffix} file "
                         f"({str(exc).strip() or type(exc).__name__}); save it again from {kind}, or export "
                         "the data as CSV") from None
    notes = []
    # SPSS user-missing values (e.g. 99 declared "no answer" in the file): read as no answer, and counted.
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        if column not in frame.columns:
            continue
        values = frame[column]
        hit = np.zeros(len(values), dtype=bool)
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if pd.api.types.is_numeric_dtype(values.dtype) and isinstance(lo, (int, float)):
                hit |= ((values >= lo) & (values <= hi)).to_numpy()
            else:
                hit |= (values == lo).to_numpy()
        if hit.any():
            frame[column] = values.mask(hit)
            shown = ", ".join(_cell_text(r.get("lo")) if r.get("lo") == r.get("hi")
                              else f"{_cell_text(r.get('lo'))}-{_cell_text(r.get('hi'))}" for r in ranges)
            notes.append(Message(f"Column {column!r}: {int(hit.sum())} value(s) declared missing in the {kind} file "
                                 f"({shown}) were read as no answer.",
                                 f"列 {column!r}：{kind} 文件中声明为缺失值的 {int(hit.sum())} 个值（{shown}）按未作答处理。"))
    numeric = set(numeric)
    for column in frame.columns:
        if column not in numeric:
            frame[column] = pd.Series(_text(frame[column]), index=frame.index, dtype=object)
    labels = {c: dict(v) for c, v in (meta.variable_value_labels or {}).items() if c in frame.columns}
    return _Source(header=header, blocks=iter([frame]), rows_hint=len(frame), notes=notes, value_labels=labels)


# --- text and numbers --------------------------------------------------------------------------

def _cell_text(value) -> str | None:
    """A cell as text: stripped, numbers in plain form (1.0 -> "1"), None for an empty cell."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).upper()
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip() or None


def _text(series: pd.Series) -> np.ndarray:
    """A column as text (see :func:`_cell_text`): an object array, None for no answer."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        codes, uniques = pd.factorize(series.to_numpy(dtype=float, na_value=np.nan))
    else:
        codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    # Each distinct value is converted once: a column of a million answers has few distinct ones.
    uniques = np.asarray(uniques, dtype=object)
    if len(uniques) > 1000 and pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # e.g. ids
        stripped = pd.Series(uniques, dtype=object).str.strip().to_numpy(dtype=object, copy=True)
        stripped[stripped == ""] = None
        texts = np.append(stripped, None)
    else:
        texts = np.array([(u.strip() or None) if isinstance(u, str) else _cell_text(u) for u in uniques] + [None],
                         dtype=object)
    return texts[codes]  # code -1 (missing) takes the last entry, None


def _shown(value) -> str:
    """A cell value as it appears in a message: quoted text."""
    if isinstance(value, str):
        return repr(value)
    return repr(_cell_text(value) or "")


def _listing(entries, limit: int = _MAX_LISTED, total: int | None = None) -> str:
    """The first ``limit`` entries, comma-separated, and how many more there are (of ``total``)."""
    entries = list(entries)
    total = len(entries) if total is None else total
    shown = ", ".join(str(r) for r in entries[:limit])
    return shown + (f", ... ({total - limit} more)" if total > limit else "")


# Completion times (after NFKC, casefolding and removing white space): mm:ss or h:mm:ss, and durations
# with units ("125秒", "2分5秒", "1小时2分", "1min5s", "2 minutes").
_NUMBER = r"(\d+(?:\.\d+)?)"
_CLOCK = r"^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)$"
_UNITS = (rf"^(?:{_NUMBER}(?:hours|hour|hrs|hr|h|小时|小時|钟头|時|时))?"
          rf"(?:{_NUMBER}(?:minutes|minute|mins|min|m|分钟|分鐘|分))?"
          rf"(?:{_NUMBER}(?:seconds|second|secs|sec|s|秒钟|秒鐘|秒))?$")


# --- loading -----------------------------------------------------------------------------------

@dataclass
class _Rule:
    """A screening rule's verdict: who is caught, and (for those shown) why in words."""

    reason: str
    action: str  # exclude | flag
    mask: np.ndarray
    detail: Callable[[np.ndarray], list[str]]  # row indices -> one description each


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

    # --- read block by block: items into one float array, the other columns as text --------
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
            warnings.append(Message(f"{path.name}: {day_fractions}", f"{path.name}：{day_fractions.zh}"))

    rows = np.arange(1, n_raw + 1)  # 1-based data row numbers (line = row + 1 in a CSV file)
    ids = text[id_column] if id_column else rows
    name = path.name

    # --- what is missing ---------------------------------------------------------------------
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
                             f"未作答最多的题项：{most}。"))

    # --- screening rules, in the order of REASONS -------------------------------------------
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
                                 f"{name}：{int(straight.sum())} 名受访者对所有构念题项给出了相同的答案（直线作答）。"))
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
                             + ("。" if fiml else "；缺失值按列表删除法处理。")))
        warnings.append(Message(f"{len(excluded)} of {n_raw} respondents were excluded: {summary}. "
                                "They are listed with row and reason in excluded_respondents.csv.",
                                f"{n_raw} 名受访者中剔除 {len(excluded)} 人：{summary_zh}。"
                                "剔除名单（行号与原因）见 excluded_respondents.csv。"))
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

    # --- reverse coding and the analysed table ----------------------------------------------
    reverse = [i.code for i in study.items if i.reverse]
    analysed_x = x[keep]
    del x
    if reverse:
        j = [codes.index(c) for c in reverse]
        analysed_x[:, j] = (study.scale.min + study.scale.max) - analysed_x[:, j]
        notes.append(Message(f"Reverse-coded {len(reverse)} negatively worded item(s) as "
                             f"{study.scale.min + study.scale.max} − answer: {', '.join(reverse)}.",
                             f"{len(reverse)} 个反向表述题项已按 {study.scale.min + study.scale.max} − 原始答案"
                             f"反向计分：{', '.join(reverse)}。"))
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
             warnings: list[str]) -> pd.DataFrame | None:
    parts = []
    for rule in rules:
        if rule.action != "flag":
            continue
        hit = np.flatnonzero(rule.mask & keep)
        if len(hit):
            parts.append(pd.DataFrame({"row": rows[hit], "id": ids[hit], "reason": rule.reason,
                                       "detail": rule.detail(hit)}))
            warnings.append(Message(f"{len(hit)} analysed respondent(s) were flagged for {rule.reason} (rows "
                                    f"{_listing(rows[hit])}); they were kept, as the study file asks (action: flag).",
                                    f"{len(hit)} 名已分析的受访者因“{REASONS_ZH.get(rule.reason, rule.reason)}”被标记；"
                                    "按研究文件的设定（action: flag）予以保留，名单见 flagged_respondents.csv。"))
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True).sort_values(["row", "reason"], ignore_index=True)


# --- items -------------------------------------------------------------------------------------

class _ItemParser:
    """Parses the item columns of each block of rows into floats and keeps the account: problems (row,
    column, value), text answers mapped to codes, answers coded missing, SPSS value labels applied."""

    def __init__(self, study: Study, item_columns: dict[str, str], value_labels: dict[str, dict]):
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
                    self._problem(f"  row {offset + row + 1}, column {column!r}: {_shown(value)} is not on the "
                                  f"{scale.min}-{scale.max} scale", column)

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
                self._problem(f"  row {offset + row + 1}, column {column!r}: {_shown(value)} is not a number"
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
                    f"列 {column!r}：其值标签未被采用，因为 {shown} 不是 scale.answers 中的文字答案；数字代码按原值读取。")
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
            f"（{n_changed} 个答案的代码因此改变）。")
        return out

    def notes(self) -> list[str]:
        out = list(self.label_notes.values())
        if self.mapped:
            per_item = ", ".join(f"{c}: {v}" for c, v in self.mapped.items())
            examples = ", ".join(e for e, _ in self.examples.most_common(4))
            out.append(Message(f"Mapped {sum(self.mapped.values())} text answer(s) to scale codes through "
                               f"scale.answers ({per_item}); e.g. {examples}.",
                               f"按 scale.answers 将 {sum(self.mapped.values())} 个文字答案转换为量表代码"
                               f"（{per_item}），例如 {examples}。"))
        if sum(self.converted.values()):
            columns = ", ".join(c for c, v in self.converted.items() if v)
            out.append(Message(f"Read {sum(self.converted.values())} answer(s) written with full-width or other "
                               f"non-ASCII digits as numbers (columns {columns}).",
                               f"将 {sum(self.converted.values())} 个以全角或其他非 ASCII 数字书写的答案读作数字"
                               f"（列 {columns}）。"))
        if self.missing_coded:
            shown = ", ".join(f"{c:g}" for c in self.scale.missing_codes)
            out.append(Message(f"Read {self.missing_coded} answer(s) coded {shown} (scale.missing_codes) as no answer.",
                               f"将 {self.missing_coded} 个编码为 {shown} 的答案（scale.missing_codes）按未作答处理。"))
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


# --- screening columns -------------------------------------------------------------------------

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

    def __init__(self, column: str):
        self.column = column
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
                self.problems.append(f"  row {offset + row + 1}, column {self.column!r}: {text}")
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
              warnings: list[str]) -> list[_Rule]:
    unknown = np.isnan(seconds)
    if unknown.any():
        warnings.append(Message(f"{name}: {int(unknown.sum())} respondent(s) have no completion time in column "
                                f"{timing.column!r} (rows {_listing(rows[unknown])}); they were not screened for speed.",
                                f"{name}：{int(unknown.sum())} 名受访者在列 {timing.column!r} 中没有作答时长，"
                                "未做作答速度筛查。"))
    with np.errstate(invalid="ignore"):
        fast = ~unknown & (seconds < timing.minimum_seconds)
    if not fast.any():
        return []
    notes.append(Message(f"{name}: {int(fast.sum())} respondent(s) answered in less than {timing.minimum_seconds:g} "
                         f"seconds (column {timing.column!r}): "
                         + _listing(f"row {r} ({s:g} s)" for r, s in zip(rows[fast], seconds[fast])) + ".",
                         f"{name}：{int(fast.sum())} 名受访者的作答时间短于 {timing.minimum_seconds:g} 秒"
                         f"（列 {timing.column!r}）。"))
    return [_Rule(REASON_SPEEDING, timing.action, fast,
                  lambda idx: [f"{timing.column} = {s:g} s, under {timing.minimum_seconds:g} s" for s in seconds[idx]])]


def _duplicates(ids: np.ndarray, id_column: str, rule, rows: np.ndarray, name: str, notes: list[str],
                warnings: list[str]) -> list[_Rule]:
    """Respondents whose id repeats an earlier row's (the first occurrence is kept)."""
    series = pd.Series(ids, dtype=object)
    blank = series.isna().to_numpy()
    if blank.any():
        warnings.append(Message(f"{name}: {int(blank.sum())} respondent(s) have no id in column {id_column!r} "
                                f"(rows {_listing(rows[blank])}).",
                                f"{name}：{int(blank.sum())} 名受访者在列 {id_column!r} 中没有编号。"))
    codes, _ = pd.factorize(series)  # in order of first appearance; -1 for no id
    new = codes > np.maximum.accumulate(np.concatenate([[-1], codes[:-1]]))
    repeat = ~new & ~blank
    if not repeat.any():
        return []
    first_row = rows[new]  # first_row[k]: the row where id number k first appears

    def detail(idx: np.ndarray) -> list[str]:
        return [f"id {i} repeats row {int(f)}" for i, f in zip(ids[idx], first_row[codes[idx]])]

    where = np.flatnonzero(repeat)
    example = "; ".join(f"row {r}: {d}" for r, d in zip(rows[where[:_MAX_LISTED]], detail(where[:_MAX_LISTED])))
    more = f"; ... ({len(where) - _MAX_LISTED} more)" if len(where) > _MAX_LISTED else ""
    if rule is None:
        warnings.append(f"{name}: {len(where)} respondent(s) repeat the id of an earlier row in column {id_column!r} "
                        f"({example}{more}); they were kept. Set screening.duplicates (action: exclude or flag) "
                        "to screen them.")
        return []
    notes.append(Message(f"{name}: {len(where)} respondent(s) repeat the id of an earlier row in column "
                         f"{id_column!r}; the first occurrence is kept ({example}{more}).",
                         f"{name}：{len(where)} 名受访者在列 {id_column!r} 中重复了前面某行的编号；保留首次出现者。"))
    return [_Rule(REASON_DUPLICATE, rule.action, repeat, detail)]


def _attention(text: np.ndarray, check, answers: dict[str, int], rows: np.ndarray,
               name: str) -> tuple[np.ndarray, Callable, str]:
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
    shown = _listing((f"row {r} ({v!r})" if v is not None else f"row {r} (no answer)"
                      for r, v in zip(rows[where[:_MAX_LISTED]], text[where[:_MAX_LISTED]])), total=len(where))
    note = Message(f"{name}: {len(where)} respondent(s) failed the attention check in column {check.column!r} "
                   f"(expected {expected}; no answer counts as failed): {shown}.",
                   f"{name}：{len(where)} 名受访者未通过列 {check.column!r} 的注意力检测题"
                   f"（应答 {expected}；未作答视为未通过）。")
    return failed, detail, note


# --- background questions ----------------------------------------------------------------------

def _background(text: dict[str, np.ndarray], study: Study, rows: np.ndarray, value_labels: dict,
                notes: list[str], warnings: list[str], name: str) -> pd.DataFrame:
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
                                + _listing(f"row {r} ({v!r})" for r, v in zip(rows[bad], values[bad])) + ".")
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
                notes.append(f"Background question {question.code}: read {int(hit.sum())} answer(s) written as a "
                             f"level's label or in another form as its code ({examples}).")
            unknown = pd.notna(values) & ~pd.Series(values, dtype=object).isin(levels).to_numpy()
            if unknown.any():
                listed = _listing(f"row {r} ({v!r})" for r, v in zip(rows[unknown], values[unknown]))
                warnings.append(f"{name}: background question {question.code} (column {column!r}): "
                                f"{int(unknown.sum())} answer(s) are not among its declared levels "
                                f"({', '.join(sorted(levels))}): {listed}. They are kept in the data and left out of "
                                "group comparisons; add the level to the study file or correct the data.")
        out[question.code] = values
    return pd.DataFrame(out, index=pd.Index(rows, name="row"), columns=[q.code for q in study.background])
