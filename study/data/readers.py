"""Reading a data file by its format: CSV/TSV (UTF-8, UTF-8-BOM or GBK; in blocks of rows, only the
columns the study names), Excel .xlsx and .xls, SPSS .sav and Stata .dta with their value labels.

Each reader returns a :class:`_Source`: the header and the rows in one or more blocks; nothing is
interpreted here beyond what the format itself says.
"""

from __future__ import annotations

import codecs
import csv
import warnings as _warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..messages import Message
from ..questionnaire.schema import StudyError
from .cells import _cell_text, _text


_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_STAT_SUFFIXES = {".sav": "SPSS", ".zsav": "SPSS", ".dta": "Stata"}
SUPPORTED = ".csv, .tsv, .txt, .xlsx, .xls, .sav or .dta"
_CELLS_PER_BLOCK = 4_000_000  # rows per block of a CSV file = this / number of columns read


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

    notes = [Message(f"Read {path.name} as GBK/GB18030 text.", f"{path.name} 按 GBK/GB18030 编码读取。",
                     Message("The data file was read as GBK/GB18030 text.", "数据文件按 GBK/GB18030 编码读取。"))
             ] if encoding == "gb18030" else []
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
                             f"读取了 {path.name} 的 {n_sheets} 个工作表中的第一个（{title!r}）。",
                             Message(f"The data are the first sheet ({title!r}) of {n_sheets} in the data workbook.",
                                     f"数据取自数据工作簿 {n_sheets} 个工作表中的第一个（{title!r}）。")))
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
