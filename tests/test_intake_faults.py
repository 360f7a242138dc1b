"""Faults in data files that used to be misread silently (issue 15): rows with too many or too few fields,
stray quotes, blank lines, Excel booleans, hidden sheets, formulas without values, title rows, a wrong
encoding guess, a folder given as the data file. Each ends in a located StudyError, or in a correct reading
with a note; and every respondent keeps the number by which the user finds it in the file (its line in a
CSV file, its row in a sheet).

The structure scan of text files (study/data/textscan.py) is checked against a reference tokenizer written
here after pandas' rules and against pandas itself, on random files (hypothesis); a second property test
writes random survey files with random faults and checks that the analysed and excluded respondents are
exactly the file's rows, with their values, or that the run stops with a located message.
"""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from study.data import load_responses
from study.data import textscan
from study.questionnaire import StudyError, load_study

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
CATALOGUE = ROOT / "tests" / "data" / "intake"


def bank_lines() -> list[str]:
    """The bank data file's lines (header = line 1; R's quoted row names in the first column)."""
    return BANK_DATA.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_text(newline.join(lines) + newline, encoding="utf-8", newline="")
    return path


def error_of(data_file: Path, study: Path = BANK) -> str:
    with pytest.raises(StudyError) as caught:
        load_responses(load_study(study), data_file)
    return str(caught.value)


def bank_frame() -> pd.DataFrame:
    return pd.read_csv(BANK_DATA, index_col=0)


# --- rows with the wrong number of fields -------------------------------------------------------

def test_a_decimal_comma_is_a_located_error_not_shifted_values(tmp_path):
    lines = bank_lines()
    lines[5] = lines[5].replace(",7,", ",7,5,", 1)  # line 6: one field too many
    message = error_of(write_lines(tmp_path / "answers.csv", lines))
    assert "answers.csv: 1 row(s) have another number of fields than the header (line 1: 29 fields separated by " \
           "commas)" in message
    assert '  line 6: 30 fields: "5",10,10,8' in message
    assert "A decimal comma (10,5)" in message


def test_a_row_with_a_field_too_few_is_a_located_error(tmp_path):
    lines = bank_lines()
    lines[7] = lines[7].rsplit(",", 1)[0]  # line 8: the gender field is gone
    message = error_of(write_lines(tmp_path / "answers.csv", lines))
    assert "  line 8: 28 fields:" in message


def test_many_short_rows_are_counted_and_the_first_listed(tmp_path):
    lines = bank_lines()
    for k in range(10, 40):
        lines[k] = lines[k].rsplit(",", 1)[0]
    message = error_of(write_lines(tmp_path / "answers.csv", lines))
    assert "30 row(s) have another number of fields" in message and "... and 20 more line(s)" in message


def test_a_trailing_delimiter_on_every_data_line_is_read_correctly(tmp_path):
    lines = bank_lines()
    lines[1:] = [line + "," for line in lines[1:]]  # an export that ends each row with a comma
    data = load_responses(load_study(BANK), write_lines(tmp_path / "answers.csv", lines))
    assert data.items.equals(load_responses(load_study(BANK)).items)


# --- quotes --------------------------------------------------------------------------------------

def test_a_quote_that_never_closes_names_the_line(tmp_path):
    lines = bank_lines()
    lines[-1] = lines[-1].replace('"male"', '"male').replace('"female"', '"female')
    message = error_of(write_lines(tmp_path / "answers.csv", lines))
    assert "answers.csv, line 251: a double quote (\") at the start of a field opens a text that never closes" in message


def test_a_stray_quote_that_joins_two_rows_names_line_and_column(tmp_path):
    lines = bank_lines()
    assert lines[4].endswith('"male"')
    lines[4] = lines[4][:-1]  # line 5: "male  (its closing quote deleted)
    message = error_of(write_lines(tmp_path / "answers.csv", lines))
    assert "answers.csv, line 5, column 'gender': a double quote (\") at the start of a field opens a text that runs " \
           "to line 6, so lines 5-6 would be read as one row of 57 fields (the header has 29)" in message


def test_a_stray_quote_in_an_unused_text_column_that_swallows_whole_rows(tmp_path):
    # The fault of the issue: a quote opens a comment on line 5 and a quote on line 15 closes it; the joined
    # row has the right number of fields, but ten respondents would vanish into one comment.
    frame = bank_frame()
    frame["comment"] = "ok"
    lines = frame.to_csv(index=False, lineterminator="\n").splitlines()
    lines[4] = lines[4][: -len("ok")] + '"great shop'
    lines[14] = lines[14][: -len("ok")] + 'bad"'
    message = error_of(write_lines(tmp_path / "answers.csv", lines))
    assert "answers.csv, line 5, column 'comment': a double quote (\") at the start of a field opens a text that " \
           "runs to line 15 and takes in 10 line(s) that look like whole rows, so lines 5-15 would be read as one row" in message


def test_a_quoted_text_with_a_line_break_is_one_respondent(tmp_path):
    frame = bank_frame()
    frame["comment"] = "ok"
    frame.loc[frame.index[3], "comment"] = "two\nlines, and a comma"
    path = tmp_path / "answers.csv"
    frame.to_csv(path, index=False)
    data = load_responses(load_study(BANK), path)
    assert data.n_raw == 250
    assert data.items.index[:6].tolist() == [2, 3, 4, 5, 7, 8]  # the fourth respondent spans lines 5-6
    assert any("1 quoted text(s) contain line breaks (first on line 5)" in n for n in data.notes)
    reference = load_responses(load_study(BANK))
    assert np.array_equal(data.items.to_numpy(), reference.items.to_numpy())


# --- blank lines, title lines, line ends ----------------------------------------------------------

def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path):
    lines = bank_lines()
    lines.insert(4, "")  # a blank line 5
    lines.insert(10, "   \t")  # and a line of spaces 11
    path = write_lines(tmp_path / "answers.csv", lines)
    data = load_responses(load_study(BANK), path)
    assert data.n_raw == 250
    assert any("skipped 2 blank line(s) (line 5, line 11); respondents are numbered by their line in the file" in n
               for n in data.notes)
    assert data.items.index[:5].tolist() == [2, 3, 4, 6, 7]
    # the straight-liner of the bank data is data row 193: line 194 without blank lines, line 196 with them
    assert data.flagged[["row", "reason"]].values.tolist() == [[196, "straight-lining"]]
    assert any("Respondents are numbered by the line numbers of answers.csv (its header is line 1)" in n
               for n in data.notes)


def test_title_lines_above_the_header_are_skipped_with_a_note(tmp_path):
    lines = ["Bank customer survey 2024", "exported 2024-05-01;;"] + bank_lines()
    data = load_responses(load_study(BANK), write_lines(tmp_path / "answers.csv", lines))
    assert data.n_raw == 250 and data.items.index[0] == 4
    assert any("the column names are on line 3; lines 1-2 above them were skipped as a title ('Bank customer survey "
               "2024'" in n for n in data.notes)


def test_old_mac_line_ends_and_windows_line_ends_read_alike(tmp_path):
    reference = load_responses(load_study(BANK)).items
    for name, newline in (("cr.csv", "\r"), ("crlf.csv", "\r\n")):
        data = load_responses(load_study(BANK), write_lines(tmp_path / name, bank_lines(), newline))
        assert data.items.equals(reference), name


def test_mixed_line_ends_are_a_located_error(tmp_path):
    lines = bank_lines()
    path = tmp_path / "answers.csv"
    path.write_bytes(("\n".join(lines[:5]) + "\r" + "\n".join(lines[5:]) + "\n").encode())
    assert "answers.csv, line 5: this line ends with a lone carriage return (CR) while other lines end with a line " \
           "feed (LF)" in error_of(path)


# --- Excel --------------------------------------------------------------------------------------

def test_excel_booleans_in_an_item_column_are_named_not_read_as_1_and_0(tmp_path):
    for first in (1, True):  # pandas' factorize took TRUE for 1 (and 1 for TRUE when TRUE came first)
        frame = bank_frame().astype(object)
        frame.loc[frame.index[0], "sat1"] = first
        frame.loc[frame.index[2], "sat1"] = True
        frame.loc[frame.index[5], "sat2"] = False
        path = tmp_path / "answers.xlsx"
        frame.to_excel(path, index=False)
        message = error_of(path)
        assert "row 4, column 'sat1': 'TRUE' is not a number (a logical TRUE/FALSE cell, not an answer" in message
        assert "row 7, column 'sat2': 'FALSE' is not a number" in message
        assert ("row 2, column 'sat1'" in message) == (first is True)  # a valid 1 is never blamed


def test_the_active_visible_sheet_is_read_not_a_hidden_stale_first_one(tmp_path):
    path = CATALOGUE / "hidden_first_sheet.xlsx"  # sheet 'old' (hidden, 100 rows), sheet 'answers' (active)
    data = load_responses(load_study(BANK), path)
    assert data.n_raw == 250
    assert any("Read sheet 'answers' of hidden_first_sheet.xlsx, the active sheet; the other sheets were not read: "
               "'old' (hidden)" in n for n in data.notes)


def test_formulas_without_calculated_values_are_named(tmp_path):
    message = error_of(CATALOGUE / "uncalculated_formulas.xlsx")
    assert "uncalculated_formulas.xlsx, sheet 'Sheet': 250 cell(s) hold formulas whose values were never " \
           "calculated and saved" in message
    assert "row 2, column 'loy4': =ROUND(AVERAGE(X2:Z2),0)" in message
    assert "Open the file in Excel or LibreOffice and save it" in message


def test_a_title_row_above_the_sheet_header_is_skipped_with_a_note(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Answers"
    sheet.append(["Bank customer survey 2024"])
    sheet.append([])
    frame = bank_frame()
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    path = tmp_path / "title.xlsx"
    book.save(path)
    data = load_responses(load_study(BANK), path)
    assert data.items.index[0] == 4 and data.n_raw == 250
    assert any("the column names are on row 3 of sheet 'Answers'; rows 1-2 above them were skipped as a title" in n
               for n in data.notes)


# --- encodings and paths --------------------------------------------------------------------------

def western_study(tmp_path: Path, column: str) -> Path:
    doc = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    doc["constructs"][0]["items"][0]["column"] = column
    doc["data"]["file"] = str(tmp_path / "western.csv")
    path = tmp_path / "western.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    frame = bank_frame().rename(columns={"qual1": "Qualität1"})
    frame["Kommentar"] = "schön"
    frame.to_csv(tmp_path / "western.csv", index=False, encoding="cp1252")
    return path


def test_a_windows_1252_file_is_read_as_such_when_only_that_gives_the_column_names(tmp_path):
    data = load_responses(load_study(western_study(tmp_path, "Qualität1")))
    assert data.n_analysed == 250
    assert any("Read western.csv as Windows-1252 text" in n for n in data.notes)


def test_a_wrong_encoding_guess_is_explained_beside_the_missing_column(tmp_path):
    message = error_of(None, western_study(tmp_path, "Qualitaet1"))
    assert "column 'Qualitaet1' (did you mean 'Qualit鋞1'?)" in message
    assert "The file is not UTF-8 and was read as GBK/GB18030, which gives column names such as 'Qualit鋞1'; if it " \
           "was saved in another encoding (as Windows-1252 that name reads 'Qualität1'), save it as UTF-8" in message


def test_a_folder_given_as_the_data_file(tmp_path):
    (tmp_path / "answers.csv").write_text("x\n1\n", encoding="utf-8")
    message = error_of(tmp_path)
    assert f"{tmp_path}: this is a folder, not a data file (it holds answers.csv). Give the data file itself" in message


def test_a_misspelt_data_file_gets_a_did_you_mean(tmp_path):
    (tmp_path / "satisfaction.csv").write_text("x\n1\n", encoding="utf-8")
    assert "data file not found (did you mean 'satisfaction.csv'?)" in error_of(tmp_path / "satisfacton.csv")


# --- the scan against pandas' rules ---------------------------------------------------------------

def reference_records(text: str, sep: str = ",") -> list[tuple[int, int]]:
    """(first line, number of fields) of each non-blank record, by pandas' C tokenizer's rules written out
    character by character: a record ends at \\n, \\r\\n or a lone \\r outside quotes; a quote opens a quoted
    field only at the start of a field; inside one, "" is a quote and " followed by anything else closes it;
    a line of spaces and tabs only is blank. Raises ValueError(line) for a quote that never closes."""
    out, i, n, line = [], 0, len(text), 1
    while i < n:
        j = i
        while j < n and text[j] in " \t" and text[j] != sep:
            j += 1
        if j >= n:
            break
        if text[j] in "\r\n":
            i, line = j + (2 if text.startswith("\r\n", j) else 1), line + 1
            continue
        start, fields, state = line, 1, "start"
        while i < n:
            c = text[i]
            if state == "quoted":
                if c == '"':
                    if text.startswith('""', i):
                        i += 2
                        continue
                    state = "field"
                elif c == "\n" or (c == "\r" and not text.startswith("\r\n", i)):
                    line += 1
                i += 1
            elif c == sep:
                fields, state, i = fields + 1, "start", i + 1
            elif c in "\r\n":
                i, line = i + (2 if text.startswith("\r\n", i) else 1), line + 1
                break
            else:
                if c == '"' and state == "start":
                    state, opened = "quoted", line
                else:
                    state = "field"
                i += 1
        else:
            if state == "quoted":
                raise ValueError(opened)
        out.append((start, fields))
    return out


pieces = st.sampled_from(["a", "1", " ", "\t", ",", '"', '""', '"x"', '"y,z"', '"p\nq"', "\n", "\r\n", "\r"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(pieces, max_size=40), lone_cr=st.booleans(), block=st.sampled_from([8, 64, 1 << 22]))
def test_the_scan_counts_records_lines_and_fields_as_pandas_does(tmp_path, monkeypatch, body, lone_cr, block):
    text = "c0,c1\n" + "".join(body)
    # a file has either lone-CR line ends (old Mac) or LF / CRLF ones; the reader refuses a mix
    text = text.replace("\r\n", "\n").replace("\n", "\r") if lone_cr else \
        text.replace("\r\n", "\0").replace("\r", "\n").replace("\0", "\r\n")
    path = tmp_path / "scan.csv"
    path.write_bytes(text.encode())
    monkeypatch.setattr(textscan, "_BLOCK", block)
    try:
        expected = reference_records(text)
    except ValueError as unclosed:
        with pytest.raises(textscan.QuoteNeverCloses) as caught:
            textscan.scan_records(path, ",")
        assert caught.value.line == unclosed.args[0]
        return
    records = textscan.scan_records(path, ",")
    assert list(zip(records.lines.tolist(), records.fields.tolist())) == expected
    frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, names=range(64),
                        lineterminator="\r" if lone_cr else None)
    assert len(frame) == len(expected)  # pandas finds the same records


# --- random survey files with random faults ----------------------------------------------------------

PROPERTY_STUDY = """
study: {title: {en: Property test}}
data: {file: answers.csv, id_column: rid}
scale: {min: 1, max: 5, missing_codes: [9]}
constructs:
  - {code: A, items: [{code: a1}, {code: a2}, {code: a3}]}
  - {code: B, items: [{code: b1}, {code: b2}, {code: b3}]}
screening:
  straight_lining: exclude
  duplicates: {action: exclude}
model:
  hypotheses: [{id: H1, from: A, to: B}]
"""
ITEM_COLUMNS = ["a1", "a2", "a3", "b1", "b2", "b3"]
FAULTS = ["none", "none", "none", "missing answer", "missing code", "blank line", "spaces line", "quoted comment",
          "comment with line break", "straight-liner", "duplicate id", "crlf", "extra field", "missing field",
          "stray quote", "text answer", "off the scale"]
FATAL = {"extra field", "missing field", "stray quote", "text answer", "off the scale"}


@st.composite
def survey_files(draw):
    """A survey file as text, with, for each respondent, the line on which its row starts and its answers."""
    n = draw(st.integers(30, 45))
    # half of the files have only faults that must be read correctly, the others may have fatal ones too
    choices = FAULTS if draw(st.booleans()) else [f for f in FAULTS if f not in FATAL]
    rows, faults = [], []
    for k in range(n):
        answers = draw(st.lists(st.integers(1, 5), min_size=6, max_size=6))
        fault = draw(st.sampled_from(choices))
        faults.append(fault)
        rows.append((f"R{k + 1}", answers, fault))
    lines: list[str] = ["rid,comment," + ",".join(ITEM_COLUMNS)]
    expected: dict[int, list[float]] = {}  # line -> answers (NaN: no answer)
    newline = "\n"
    for rid, answers, fault in rows:
        cells = [str(a) for a in answers]
        values = [float(a) for a in answers]
        comment = draw(st.text(string.ascii_letters + " ", max_size=6))
        if fault == "missing answer":
            cells[1], values[1] = "", np.nan
        elif fault == "missing code":
            cells[4], values[4] = "9", np.nan
        elif fault == "straight-liner":
            cells, values = ["3"] * 6, [3.0] * 6
        elif fault == "duplicate id":
            rid = "R1"
        elif fault == "quoted comment":
            comment = '"a, ""quoted"" comment"'
        elif fault == "comment with line break":
            comment = '"first line\nsecond line"'
        elif fault == "stray quote":
            comment = '"' + comment
        elif fault == "text answer":
            cells[2] = "agree"
        elif fault == "off the scale":
            cells[5] = "7"
        elif fault == "extra field":
            cells[0] += ",5"  # a decimal comma: 3,5
        elif fault == "crlf":
            newline = "\r\n"
        line = ",".join([rid, comment, *cells])
        if fault == "missing field":
            line = line.rsplit(",", 1)[0]
        if fault in ("blank line", "spaces line"):
            lines.append("" if fault == "blank line" else "  ")
        expected[len(lines) + 1] = values
        lines.append(line)
    text = ""
    number = 1
    starts = {}
    for k, line in enumerate(lines):
        starts[k + 1] = number
        text += line + newline
        number += line.count("\n") + 1
    expected = {starts[k]: v for k, v in expected.items()}  # logical row k -> its first physical line
    return text, expected, faults


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(survey=survey_files())
def test_analysed_and_excluded_respondents_are_the_file_rows_or_the_run_stops(tmp_path, survey):
    text, expected, faults = survey
    event("fatal fault" if FATAL.intersection(faults) else "no fatal fault")
    study_path = tmp_path / "study.yaml"
    study_path.write_text(PROPERTY_STUDY, encoding="utf-8")
    (tmp_path / "answers.csv").write_bytes(text.encode())
    fatal = FATAL.intersection(faults)
    try:
        data = load_responses(load_study(study_path))
    except StudyError as error:
        message = str(error)
        assert "Traceback" not in message and "answers.csv" in message
        if not fatal:  # a clean file stops only when its answers cannot be analysed (too few, or all alike)
            assert any(why in message for why in (
                "respondents remain after screening", "fewer than two answers among the analysed respondents",
                "same value for every analysed respondent", "correlation matrix is singular")), message
        return
    assert not fatal, f"{fatal} went unnoticed"
    event("read and screened")
    analysed, excluded = list(data.items.index), list(data.excluded["row"])
    assert sorted(analysed + excluded) == sorted(expected)  # every row of the file, each once
    assert data.n_raw == len(expected)
    for line in analysed:  # the values of each analysed row are the values on its line
        assert np.allclose(data.items.loc[line, ITEM_COLUMNS].to_numpy(dtype=float), expected[line], equal_nan=True)
