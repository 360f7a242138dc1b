"""Reading a data file by its format: CSV/TSV (UTF-8, UTF-8-BOM or GBK; in blocks of rows, only the
columns the study names), Excel .xlsx and .xls, SPSS .sav and Stata .dta with their value labels.

Each reader returns a :class:`_Source`: the header and the rows in one or more blocks; nothing is
interpreted here beyond what the format itself says.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings as _warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..messages import Message
from ..questionnaire.schema import StudyError
from .cells import _MAX_LISTED, _cell_text, _listing, _text
from .textscan import QuoteNeverCloses, scan_records


_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_STAT_SUFFIXES = {".sav": "SPSS", ".zsav": "SPSS", ".dta": "Stata"}
SUPPORTED = ".csv, .tsv, .txt, .xlsx, .xls, .sav or .dta"
_ALL_SUFFIXES = _TEXT_SUFFIXES | _EXCEL_SUFFIXES | set(_STAT_SUFFIXES)
_CELLS_PER_BLOCK = 4_000_000  # rows per block of a CSV file = this / number of columns read


@dataclass
class _Source:
    """An opened data file: its header, and its rows in one or more blocks."""

    header: list[str]
    blocks: Iterator[pd.DataFrame]
    rows_hint: int | None = None  # an upper bound of the number of rows, if known before reading
    notes: list[str] = field(default_factory=list)
    value_labels: dict[str, dict] = field(default_factory=dict)  # SPSS/Stata: column -> {code: label}
    # the number by which the user finds each row in the file: its line (CSV/TSV; the header is a line too),
    # its row in the sheet (Excel), its case number (SPSS, Stata); None: 1, 2, 3, ...
    row_numbers: np.ndarray | None = None
    row_unit: str = "row"  # line | row | case
    hint: str | None = None  # added to a "column not found" message (e.g. a wrong encoding guess)
    header_line: int = 1  # the line or sheet row of the column names
    frame: pd.DataFrame | None = None  # the rows, when read at once (workbooks)
    sheet: str | None = None  # the sheet read (workbooks)

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
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in _ALL_SUFFIXES)
        shown = f" (it holds {_listing(inside, limit=5)})" if inside else " (it holds no data file)"
        raise StudyError(f"{path}: this is a folder, not a data file{shown}. Give the data file itself in data.file "
                         "or with --data FILE")
    if not path.is_file():
        close = []
        if path.parent.is_dir():
            import difflib
            names = [p.name for p in path.parent.iterdir() if p.suffix.lower() in _ALL_SUFFIXES]
            close = difflib.get_close_matches(path.name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise StudyError(f"{path}: data file not found{hint}. Check data.file in the study file, or pass --data FILE")
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


def _delimiter(lines: list[str], suffix: str) -> str:
    """The delimiter of a text file from its first lines: the candidate that occurs most often on one of them
    (the header has most; a title line above it may have none, or a few)."""
    if suffix == ".tsv":
        return "\t"
    counts = {sep: max((line.count(sep) for line in lines[:20]), default=0) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda s: counts[s])  # ties: the first of , \t ; |
    return best if counts[best] else ","


_HEAD_RECORDS = 21  # the header may stand below this many title lines at most
_CP1252 = "cp1252"


def _head_records(sample: bytes, encoding: str, delimiter: str, truncated: bool) -> list[list[str]]:
    """The first records of a text file (fields as text), parsed as the scan counts them: blank lines
    (spaces and tabs only) are skipped."""
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip(" \t")):
                continue
            rows.append(row)
            if len(rows) > _HEAD_RECORDS:
                break
    except csv.Error:
        pass
    if truncated and len(rows) <= _HEAD_RECORDS and rows:
        rows = rows[:-1]  # the last one may be cut off by the end of the sample
    return rows


def _header_index(heads: list[list[str]], columns) -> int:
    """The record that holds the column names: the first one, unless it lacks study columns that a record
    within the next 20 has (title lines above the header)."""
    if columns is None or not heads:
        return 0
    wanted = set(columns)
    found = [len(wanted.intersection(c.strip() for c in row)) for row in heads]
    if found[0] == len(wanted):
        return 0
    best = max(range(len(found)), key=lambda k: (found[k], -k))
    return best if found[best] > found[0] else 0


def _quote_error(path: Path, exc: QuoteNeverCloses) -> StudyError:
    if exc.lines is None:
        where = "runs to the end of the file"
    else:
        where = f"runs over more than {exc.lines} lines"
    return StudyError(
        f"{path}, line {exc.line}: a double quote (\") at the start of a field opens a text that never closes (it "
        f"{where}), so the rows after it would be read as one text. If the quote is a typo, remove it; inside a "
        "quoted text write a quote as two (\"\"); or save the file again from Excel as CSV.")


def _line_texts(path: Path, encoding: str, lines: list[int], width: int = 70) -> dict[int, str]:
    """The text of some lines of a file (shortened), for messages."""
    wanted, out = set(lines), {}
    last = max(lines, default=0)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number in wanted:
                text = raw.decode(encoding, errors="replace").lstrip("\ufeff").rstrip("\r\n")
                out[number] = text if len(text) <= width else text[:width - 1] + "…"
            if number >= last:
                break
    return out


def _open_delimited(path: Path, columns, numeric, block_rows) -> _Source:
    try:
        encoding, _ = _scan_text_file(path)
        with path.open("rb") as handle:
            sample = handle.read(1 << 20)
            truncated = bool(handle.read(1))
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    first_lines = sample.decode(encoding, errors="ignore").lstrip("\ufeff").splitlines()
    delimiter = _delimiter([line for line in first_lines if line.strip()], suffix)
    notes: list[str] = []
    hint = None
    heads = _head_records(sample, encoding, delimiter, truncated)
    if encoding == "gb18030":
        # Not UTF-8: GBK/GB18030 (Chinese Excel and survey platforms) unless Windows-1252 (Western Excel)
        # is the only reading that gives the study's column names.
        western = _head_records(sample, _CP1252 if _decodes(sample, _CP1252) else "latin-1", delimiter, truncated)
        if columns is not None:
            wanted = set(columns)
            score = lambda rows: max((len(wanted.intersection(c.strip() for c in r)) for r in rows), default=0)
            if score(western) > score(heads):
                encoding = _CP1252 if _decodes(sample, _CP1252) else "latin-1"
                heads = western
                notes.append(Message(
                    f"Read {path.name} as Windows-1252 text: it is not UTF-8, and only this reading gives the column "
                    "names of the study file (save it as UTF-8 to be sure of every character).",
                    f"{path.name} 不是 UTF-8 编码，按 Windows-1252 读取（只有这样才能得到研究文件中的列名；"
                    "建议另存为 UTF-8）。",
                    Message("The data file was read as Windows-1252 text.", "数据文件按 Windows-1252 编码读取。")))
        if encoding == "gb18030":
            notes.append(Message(f"Read {path.name} as GBK/GB18030 text.", f"{path.name} 按 GBK/GB18030 编码读取。",
                                 Message("The data file was read as GBK/GB18030 text.", "数据文件按 GBK/GB18030 编码读取。")))
            odd = [(g, w) for g, w in zip(heads[0] if heads else [], western[0] if western else [])
                   if g != w and any(ord(ch) > 127 for ch in g)]
            if odd:
                g, w = odd[0]
                hint = (f"The file is not UTF-8 and was read as GBK/GB18030, which gives column names such as {g!r}; "
                        f"if it was saved in another encoding (as Windows-1252 that name reads {w!r}), save it as "
                        "UTF-8 (in Excel: Save As > CSV UTF-8) and run again.")
    transcode = encoding if encoding == "gb18030" and delimiter == "|" else None  # '|' can be a GBK trail byte
    try:
        records = scan_records(path, delimiter, transcode=transcode)
    except QuoteNeverCloses as exc:
        raise _quote_error(path, exc) from None
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
    if records.cr_ends and records.lf_ends:
        raise StudyError(f"{path}, line {records.first_cr_line}: this line ends with a lone carriage return (CR) while "
                         "other lines end with a line feed (LF); such a file cannot be read reliably. Remove the "
                         "stray line break, or save the file again from Excel as CSV.")
    if not len(records.lines):
        raise StudyError(f"{path}: the data file is empty; it needs a header row of column names "
                         "and one row per respondent")
    h = min(_header_index(heads, columns), len(records.lines) - 1)
    header = [c.strip() for c in heads[h]] if h < len(heads) else []
    header_line = int(records.lines[h])
    width = int(records.fields[h])
    if len(header) != width:  # the sample could not be parsed as the scan counted (never for sane files)
        raise StudyError(f"{path}, line {header_line}: the header could not be read; save the file as CSV with a "
                         "header row of column names and one row per respondent")
    if h:
        titles = "; ".join(repr(delimiter.join(r)[:60]) for r in heads[:h][:3])
        notes.append(Message(
            f"{path.name}: the column names are on line {header_line}; lines 1-{header_line - 1} above them were "
            f"skipped as a title ({titles}).",
            f"{path.name}：列名位于第 {header_line} 行，其上方的第 1-{header_line - 1} 行作为标题跳过（{titles}）。",
            Message("", "")))  # for the user; the report has nothing to say about it
    _check_repeated(path, header, columns)
    lines = records.lines[h + 1:]
    fields = records.fields[h + 1:]
    trailing = records.trailing_delimiter[h + 1:]
    header_trailing = bool(records.trailing_delimiter[h]) and header[-1] == ""
    fits = (fields == width) | ((fields == width + 1) & trailing) | ((fields == width - 1) & header_trailing)
    # A quoted text over several lines is fine (a comment with a line break), unless its row then has the
    # wrong number of fields or it takes in lines that look like whole rows: a stray quote.
    for first, last, text in records.multiline:
        if first <= header_line:
            continue
        k = int(np.searchsorted(lines, first, side="right")) - 1
        whole = sum(1 for inner in text.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")[1:]
                    if inner.count(delimiter.encode()) == width - 1)
        if k >= 0 and (not fits[k] or whole):
            start = int(lines[k])
            column = _quote_column(path, encoding, first, delimiter, header)
            rows_inside = f" and takes in {whole} line(s) that look like whole rows" if whole else ""
            raise StudyError(
                f"{path}, line {first}{column}: a double quote (\") at the start of a field opens a text that runs to line "
                f"{last}{rows_inside}, so lines {start}-{last} would be read as one row"
                + (f" of {fields[k]} fields (the header has {width})" if not fits[k] else "")
                + ". If the quote is a typo, remove it; inside a quoted text write a quote as two (\"\"); or save the "
                "file again from Excel as CSV.")
    if not fits.all():
        bad = np.flatnonzero(~fits)
        shown = [int(lines[k]) for k in bad[:_MAX_LISTED]]
        texts = _line_texts(path, encoding, shown)
        listing = "\n".join(f"  line {lines[k]}: {fields[k]} fields: {texts.get(int(lines[k]), '')}"
                             for k in bad[:_MAX_LISTED])
        more = f"\n  ... and {len(bad) - _MAX_LISTED} more line(s)" if len(bad) > _MAX_LISTED else ""
        sep_name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}[delimiter]
        raise StudyError(
            f"{path}: {len(bad)} row(s) have another number of fields than the header (line {header_line}: {width} "
            f"fields separated by {sep_name}s), so their values would land in the wrong columns:\n{listing}{more}\n"
            f"A decimal comma (10,5), a {sep_name} inside a text that is not in double quotes, or a missing or extra "
            f"{sep_name} shifts the values of a row. Fix these lines (write decimals with a point, put texts in "
            "double quotes), or save the file again from Excel as CSV.")
    blank = records.blank_lines[records.blank_lines > header_line]
    if len(blank):
        notes.append(Message(
            f"{path.name}: skipped {len(blank)} blank line(s) ({_listing(f'line {b}' for b in blank)}); respondents "
            "are numbered by their line in the file.",
            f"{path.name}：跳过了 {len(blank)} 个空行；受访者按其在文件中的行号编号。", Message("", "")))
    spans = [s for s in records.multiline if s[0] > header_line]
    if spans:
        notes.append(Message(
            f"{path.name}: {len(spans)} quoted text(s) contain line breaks (first on line {spans[0][0]}); a respondent's "
            "row number is the line on which the row starts.",
            f"{path.name}：{len(spans)} 个带引号的文本包含换行；受访者的行号为其所在行的起始行。", Message("", "")))
    use = list(header) if columns is None else list(dict.fromkeys(c for c in header if c in set(columns)))
    numeric = set(numeric)
    text_columns = [c for c in use if c not in numeric]
    rows = block_rows or max(1000, _CELLS_PER_BLOCK // max(1, len(use)))
    common = dict(sep=delimiter, encoding="utf-8-sig" if encoding == "utf-8-sig" else encoding, engine="c",
                  keep_default_na=False, index_col=False, skiprows=header_line - 1,
                  lineterminator="\r" if records.cr_ends else None)
    bad_table = (f"{path}: the file could not be read as a table ({{}}); save it as CSV with a header row of "
                 "column names and one row per respondent")
    expected = len(lines)

    def blocks() -> Iterator[pd.DataFrame]:
        read = 0
        try:
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                _warnings.simplefilter("ignore", pd.errors.ParserWarning)  # rows ending with an extra delimiter
                reader = pd.read_csv(path, header=0, usecols=use, dtype={c: str for c in text_columns},
                                     na_values=[""], chunksize=rows, **common)
                with reader:
                    for block in reader:
                        read += len(block)
                        yield block
        except UnicodeDecodeError:
            raise StudyError(f"{path}: the text encoding is neither UTF-8 nor GBK/GB18030; save it as UTF-8") from None
        except OSError as exc:
            raise StudyError(f"{path}: cannot read the data file ({exc.strerror or exc})") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
            raise StudyError(bad_table.format(exc)) from None
        if read != expected:
            raise StudyError(f"{path}: {read} rows were read but the file has {expected} after its header; the file "
                             "could not be read consistently. Save it again from Excel as CSV (UTF-8).")

    return _Source(header=header, blocks=blocks(), rows_hint=expected, notes=notes,
                   row_numbers=np.asarray(lines, dtype=np.int64), row_unit="line", hint=hint,
                   header_line=header_line)


def _quote_column(path: Path, encoding: str, line: int, delimiter: str, header: list[str]) -> str:
    """', column 'x'' for the field where a quote opens a text that does not close on its line, or ''."""
    text = _line_texts(path, encoding, [line], width=1 << 20).get(line, "")
    try:
        fields = next(csv.reader([text], delimiter=delimiter, strict=False))
    except (csv.Error, StopIteration):
        return ""
    k = len(fields) - 1
    return f", column {header[k]!r}" if 0 <= k < len(header) and header[k] else ""


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


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
            states = [(w.title, getattr(w, "sheet_state", "visible") or "visible") for w in book.worksheets]
            try:
                active = book.worksheets.index(book.active)
            except (ValueError, IndexError, AttributeError):
                active = 0
            index = _sheet_choice(states, active)
            sheet = book.worksheets[index]
            source = _sheet_source(path, sheet.iter_rows(min_row=1, values_only=True), sheet.title, columns, numeric)
        finally:
            book.close()
    finally:
        handle.close()
    source.notes[:0] = _sheet_notes(path, states, index, active)
    _check_formulas(path, source, index)
    return source


def _sheet_choice(states: list[tuple[str, str]], active: int) -> int:
    """The sheet to read: the active one (the sheet Excel shows on opening) if it is visible, else the first
    visible one. A hidden first sheet is often an old copy of the data."""
    if 0 <= active < len(states) and states[active][1] == "visible":
        return active
    return next((k for k, (_, state) in enumerate(states) if state == "visible"), 0)


def _sheet_notes(path: Path, states: list[tuple[str, str]], index: int, active: int) -> list[str]:
    if len(states) < 2:
        return []
    title = states[index][0]
    why = "the active sheet" if index == active else "the first visible sheet"
    others = ", ".join(repr(t) + (f" ({s})" if s != "visible" else "") for k, (t, s) in enumerate(states) if k != index)
    why_zh = "当前活动工作表" if index == active else "第一个可见工作表"
    return [Message(f"Read sheet {title!r} of {path.name}, {why}; the other sheets were not read: {others}. To analyse "
                    "another sheet, make it the active sheet in Excel and save, or save that sheet as CSV.",
                    f"读取了 {path.name} 的工作表 {title!r}（{why_zh}）；其他工作表未读取：{others}。",
                    Message(f"The data are the sheet {title!r} of the data workbook.", f"数据取自数据工作簿的工作表 {title!r}。"))]


def _check_formulas(path: Path, source: _Source, index: int) -> None:
    """Formulas whose values were never calculated (files written by a program, not by Excel) are empty when
    read for their values: with empty cells in the columns read, the formulas are looked for, and named."""
    frame = source.frame
    if frame is None or not frame.isna().to_numpy().any():
        return
    import openpyxl
    empty = {c: set(np.flatnonzero(frame[c].isna().to_numpy())) for c in frame.columns}
    positions = {c: source.header.index(c) for c in frame.columns}
    numbers = source.row_numbers
    first_row = int(numbers[0]) if len(numbers) else 0
    found: list[tuple[int, str, str]] = []
    count = 0
    with path.open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        try:
            sheet = book.worksheets[index]
            for k, row in enumerate(sheet.iter_rows(min_row=first_row, values_only=True)):
                if k >= len(frame):
                    break
                for column, j in positions.items():
                    if k in empty[column] and j < len(row) and isinstance(row[j], str) and row[j].startswith("="):
                        count += 1
                        if len(found) < _MAX_LISTED:
                            found.append((int(numbers[k]), column, row[j]))
        finally:
            book.close()
    if count:
        listing = "\n".join(f"  row {r}, column {c!r}: {f[:60]}" for r, c, f in found)
        more = f"\n  ... and {count - len(found)} more" if count > len(found) else ""
        raise StudyError(
            f"{path}, sheet {source.sheet!r}: {count} cell(s) hold formulas whose values were never calculated and "
            f"saved (the file was probably written by a program, not by Excel), so they would read as no answer:\n"
            f"{listing}{more}\nOpen the file in Excel or LibreOffice and save it (the values are then stored), or "
            "replace the formulas by their values.")


def _open_xls(path: Path, columns, numeric) -> _Source:
    try:
        import xlrd
    except ImportError:
        raise StudyError(f"{path}: reading old Excel .xls files needs the xlrd package (pip install xlrd), or "
                         "save the sheet as .xlsx or CSV") from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        sheets = [book.sheet_by_index(k) for k in range(book.nsheets)]
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors for damaged files
        raise StudyError(f"{path}: the file could not be read as an Excel .xls workbook ({type(exc).__name__}: "
                         f"{exc}); save it again from Excel as .xlsx, or as CSV") from None
    try:
        states = [(sh.name, {0: "visible", 1: "hidden"}.get(getattr(sh, "visibility", 0), "veryHidden"))
                  for sh in sheets]
        active = next((k for k, sh in enumerate(sheets) if getattr(sh, "sheet_visible", 0)), 0)
        index = _sheet_choice(states, active)
        sheet = sheets[index]
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
        source = _sheet_source(path, rows, sheet.name, columns, numeric)
    finally:
        book.release_resources()
    source.notes[:0] = _sheet_notes(path, states, index, active)
    return source


_BOOLEAN_TEXT = {True: "TRUE", False: "FALSE"}


def _sheet_source(path: Path, rows: Iterator, title: str, columns, numeric) -> _Source:
    """A sheet of a workbook, given as rows of cell values: the column names are on its first non-empty row,
    or on a row below title rows (within the first 21 non-empty rows) that has more of the study's columns.
    Each respondent keeps the number of its row in the sheet, as Excel shows it."""
    def filled(row) -> bool:
        return any(v is not None and (not isinstance(v, str) or v.strip()) for v in row)

    rows = iter(rows)
    head: list[tuple[int, tuple]] = []  # (sheet row, cells) of the first non-empty rows
    number = 0
    for row in rows:
        number += 1
        if filled(row):
            head.append((number, tuple(row)))
            if len(head) > _HEAD_RECORDS:
                break
    if not head:
        raise StudyError(f"{path}: the sheet {title!r} is empty; it needs a header row of column "
                         "names and one row per respondent")
    texts = [[_cell_text(v) or "" for v in cells] for _, cells in head]
    h = _header_index(texts, columns)
    header_row, first = head[h]
    header = texts[h]
    _check_repeated(path, header, columns)
    notes: list[str] = []
    if h:
        titles = "; ".join(repr(" ".join(t for t in row if t)[:60]) for row in texts[:h][:3])
        notes.append(Message(f"{path.name}: the column names are on row {header_row} of sheet {title!r}; rows "
                             f"1-{header_row - 1} above them were skipped as a title ({titles}).",
                             f"{path.name}：列名位于工作表 {title!r} 的第 {header_row} 行，其上方的第 1-{header_row - 1} "
                             f"行作为标题跳过（{titles}）。", Message("", "")))
    seen: set[str] = set()
    use = [i for i, name in enumerate(header)
           if (columns is None or name in set(columns)) and not (name in seen or seen.add(name))]
    values: list[list] = [[] for _ in use]
    last_filled = 0
    n = 0

    def add(row) -> None:
        nonlocal n, last_filled
        n += 1
        if filled(row):
            last_filled = n
        width = len(row)
        for out, i in zip(values, use):
            v = row[i] if i < width else None
            out.append(_BOOLEAN_TEXT[v] if v.__class__ is bool else v)  # TRUE/FALSE are not 1/0 here

    # the rows after the header: those buffered (with the empty rows between them), then the rest
    previous = header_row
    for number_k, cells in head[h + 1:]:
        for _ in range(number_k - previous - 1):
            add(())
        add(cells)
        previous = number_k
    for _ in range(number - previous):  # empty rows read after the last buffered one
        add(())
    for row in rows:
        add(row)
    if n > last_filled:
        notes.append(Message(f"Ignored {n - last_filled} empty row(s) at the end of sheet {title!r}.",
                             f"忽略了工作表 {title!r} 末尾的 {n - last_filled} 个空行。"))
    numeric = set(numeric)
    data = {}
    for out, i in zip(values, use):
        column = pd.Series(out[:last_filled], dtype=object)
        data[header[i]] = column if header[i] in numeric else pd.Series(_text(column), dtype=object)
    frame = pd.DataFrame(data, index=pd.RangeIndex(last_filled))
    return _Source(header=header, blocks=iter([frame]), rows_hint=last_filled, notes=notes,
                   row_numbers=np.arange(header_row + 1, header_row + 1 + last_filled, dtype=np.int64),
                   row_unit="row", header_line=header_row, frame=frame, sheet=title)


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
    return _Source(header=header, blocks=iter([frame]), rows_hint=len(frame), notes=notes, value_labels=labels,
                   row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64), row_unit="case")
