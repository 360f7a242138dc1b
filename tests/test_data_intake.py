"""Questionnaires and data intake: the study-file keys for text answers, screening rules and missing data,
the readers (GBK CSV, Excel, SPSS, Stata), located validation messages, the account of every input row,
the printable questionnaire and codebook, and the JSON Schema.

Data files are made in tmp_path from the bank data (questionnaires/data/satisfaction.csv); study files
are the bank study with keys changed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat  # a dependency (SPSS and Stata files), like openpyxl (Excel files): not skipped if missing
import pytest
import yaml

from study.cli import main
from study.questionnaire.codebook import CODEBOOK_COLUMNS, codebook, render_questionnaire
from study.data import load_responses
from study.questionnaire import StudyError, load_study, study_json_schema
from helpers import edit

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
DEFAULT = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"
SCHEMA_FILE = ROOT / "questionnaires" / "study.schema.json"
ITEMS = ["qual1", "qual2", "qual3", "qual4", "qual5", "sat1", "sat2", "sat3", "sat4",
         "imag1", "imag2", "imag3", "imag4", "imag5", "loy1", "loy2", "loy3", "loy4"]
ANSWERS = {0: ["非常低", "very low"], 10: ["非常高", "very high"]}


# --- helpers -----------------------------------------------------------------------------------

def bank_data() -> pd.DataFrame:
    """The bank data as text, without R's row-name column (row i of the frame is data row i + 1)."""
    return pd.read_csv(BANK_DATA, index_col=0, dtype=str, keep_default_na=False).reset_index(drop=True)


def make_study(tmp_path: Path, data_file: Path | str | None = None, name: str = "study.yaml", **sections) -> Path:
    """The bank study with some sections replaced (``scale={...}`` merges into scale, and so on)."""
    doc = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    doc["data"]["file"] = str(data_file or BANK_DATA)
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(doc.get(key), dict):
            doc[key] = {**doc[key], **value}
        else:
            doc[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path




def study_error(path: Path) -> str:
    with pytest.raises(StudyError) as caught:
        load_study(path)
    return str(caught.value)


def data_error(study: Path, data_file: Path | None = None) -> str:
    with pytest.raises(StudyError) as caught:
        load_responses(load_study(study), data_file)
    message = str(caught.value)
    assert "Traceback" not in message
    return message


def with_text_answers(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Some 0/10 answers written as text labels, in varied case and spacing; returns (frame, how many)."""
    frame = frame.copy()
    variants = {"10": ["非常高", "Very High", " very  high ", "VERY HIGH"], "0": ["非常低", "Very low", "VERY LOW "]}
    n = 0
    for j, column in enumerate(ITEMS):
        for value, texts in variants.items():
            rows = np.flatnonzero(frame[column].to_numpy() == value)[:2]
            for k, row in enumerate(rows):
                frame.loc[row, column] = texts[(j + k) % len(texts)]
                n += 1
    return frame, n


def numeric_items(frame: pd.DataFrame) -> pd.DataFrame:
    """Item cells that are numbers as ints (so that a spreadsheet stores them as numbers)."""
    frame = frame.copy().astype(object)
    for column in ITEMS:
        frame[column] = pd.Series([int(v) if str(v).strip().isdigit() else v for v in frame[column]],
                                  index=frame.index, dtype=object)
    return frame


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- schema ------------------------------------------------------------------------------------

def test_the_schema_file_is_the_current_schema():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == study_json_schema(), (
        "questionnaires/study.schema.json is out of date: python analysis.py --schema > questionnaires/study.schema.json")


def test_schema_option_prints_the_schema(capsys):
    code, out, err = run_cli(capsys, "--schema")
    assert code == 0, err
    schema = json.loads(out)
    assert schema == study_json_schema()
    assert "path" not in schema["properties"]
    assert schema["additionalProperties"] is False  # unknown keys are errors for editors too
    screening = schema["$defs"]["Screening"]["properties"]
    assert {"attention_checks", "completion_time", "duplicates", "straight_lining"} <= set(screening)
    assert schema["$defs"]["ModelSpec"]["properties"]["missing"]["enum"] == ["listwise", "fiml"]
    assert "answers" in schema["$defs"]["Scale"]["properties"]


def test_the_new_keys_load(tmp_path):
    path = make_study(tmp_path, scale={"answers": ANSWERS},
                      screening={"attention_checks": [{"column": "attn", "expected": [3, "very high"]}],
                                 "completion_time": {"column": "seconds", "minimum_seconds": 90, "action": "flag"},
                                 "duplicates": {"action": "exclude"}},
                      data={"file": str(BANK_DATA), "id_column": "rid"})
    study = load_study(path)
    assert study.scale.text_answers() == {"非常低": 0, "verylow": 0, "非常高": 10, "veryhigh": 10}
    assert study.screening.attention_checks[0].accepted() == [3, "very high"]
    assert study.screening.completion_time.action == "flag"
    assert study.model.missing == "listwise"


def test_fiml_needs_the_ml_estimator(tmp_path):
    path = make_study(tmp_path)
    edit(path, "  bootstrap: 2000\n", "  bootstrap: 2000\n  missing: fiml\n  estimator: MLM\n")
    message = study_error(path)
    assert "missing: fiml works with estimator: ML; MLM needs complete answers" in message


def test_text_answer_standing_for_two_codes(tmp_path):
    path = make_study(tmp_path, scale={"answers": {0: ["very low"], 10: ["Very  LOW"]}})
    message = study_error(path)
    assert "scale: answers.10: the text answer 'Very  LOW' stands for 10, but answers.0 already makes it 0" in message


def test_text_answer_for_a_code_off_the_scale(tmp_path):
    path = make_study(tmp_path, scale={"answers": {11: ["very high"]}})
    assert "answers: 11 is neither a point of the 0-10 scale nor one of scale.missing_codes" in study_error(path)


def test_text_answer_that_is_a_number(tmp_path):
    path = make_study(tmp_path, scale={"answers": {10: ["9"]}})
    assert "answers.10: '9' is a number, and numbers in the data are read as codes" in study_error(path)


def test_answers_labels_needs_labels(tmp_path):
    doc_scale = {"min": 1, "max": 5, "answers": "labels"}
    path = make_study(tmp_path, scale=None)
    text = path.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    doc["scale"] = doc_scale
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "answers: labels reads the scale labels as text answers, but the scale has no labels" in study_error(path)


def test_duplicates_need_an_id_column(tmp_path):
    path = make_study(tmp_path, screening={"duplicates": {"action": "exclude"}})
    message = study_error(path)
    assert ("screening.duplicates: duplicates are found by respondent id, by declared columns or by identical "
            "answers: set data.id_column") in message


def test_attention_check_on_an_item_column(tmp_path):
    path = make_study(tmp_path, screening={"attention_checks": [{"column": "sat2", "expected": 5}]})
    message = study_error(path)
    assert "screening.attention_checks.0.column: attention check: column 'sat2' is read by item sat2" in message


def test_yes_as_an_expected_answer_must_be_quoted(tmp_path):
    path = make_study(tmp_path)
    line = edit(path, "  straight_lining: flag\n",
                "  straight_lining: flag\n  attention_checks:\n  - column: attn\n    expected: yes\n")
    message = study_error(path)
    assert f"line {line + 3}: screening.attention_checks.0.expected" in message
    assert "put the expected answer in quotes" in message


def test_unknown_screening_key_is_an_error(tmp_path):
    path = make_study(tmp_path)
    line = edit(path, "  straight_lining: flag\n", "  straight_lining: flag\n  duplicate: {action: exclude}\n") + 1
    assert f"line {line}: screening.duplicate: unknown key (did you mean 'duplicates'?)" in study_error(path)


# --- readers: the same responses from a GBK CSV, an .xlsx, a .sav and a .dta ------------------

@pytest.fixture(scope="module")
def same_responses(tmp_path_factory):
    """The bank answers, with a few 0/10 answers as text labels, in four file formats."""
    folder = tmp_path_factory.mktemp("formats")
    texts, n_text = with_text_answers(bank_data())
    texts["备注"] = "无"  # a Chinese column the study does not read
    files = {"gbk": folder / "answers_gbk.csv"}
    texts.to_csv(files["gbk"], index=False, encoding="gb18030")
    files["xlsx"] = folder / "answers.xlsx"
    with pd.ExcelWriter(files["xlsx"]) as book:
        numeric_items(texts).to_excel(book, sheet_name="answers", index=False)
        pd.DataFrame({"note": ["a second sheet"]}).to_excel(book, sheet_name="notes", index=False)
    numbers = bank_data()
    numbers[ITEMS] = numbers[ITEMS].astype(float)
    labels = {c: {0.0: "very low", 10.0: "非常高"} for c in ITEMS}
    files["sav"] = folder / "answers.sav"
    pyreadstat.write_sav(numbers, str(files["sav"]), variable_value_labels=labels)
    files["dta"] = folder / "answers.dta"
    pyreadstat.write_dta(numbers, str(files["dta"]),
                         variable_value_labels={c: {0: "very low", 10: "very high"} for c in ITEMS})
    study = load_study(make_study(folder, scale={"answers": ANSWERS}))
    return study, files, n_text


def test_gbk_csv_xlsx_sav_and_dta_give_identical_analysed_data(same_responses):
    study, files, n_text = same_responses
    with pytest.raises(UnicodeDecodeError):
        files["gbk"].read_bytes().decode("utf-8")  # the CSV really is GBK
    reference = load_responses(load_study(BANK))  # the numeric original
    loaded = {kind: load_responses(study, path) for kind, path in files.items()}
    for kind, data in loaded.items():
        # respondents keep the file's own numbers: CSV lines and sheet rows (header = 1), SPSS/Stata cases
        shift = 1 if kind in ("sav", "dta") else 0
        assert (data.items.index + shift).equals(reference.items.index), kind
        assert data.row_unit == {"gbk": "line", "xlsx": "row", "sav": "case", "dta": "case"}[kind]
        pd.testing.assert_frame_equal(data.items.set_axis(reference.items.index), reference.items, obj=kind)
        pd.testing.assert_frame_equal(data.background.astype(object).set_axis(reference.background.index),
                                      reference.background.astype(object), obj=kind)
        assert data.n_raw == 250 and data.n_analysed == 250, kind
        assert data.missing_by_item == reference.missing_by_item, kind
    gbk = loaded["gbk"]
    assert sum(gbk.text_answers.values()) == n_text
    assert any(f"Mapped {n_text} text answer(s) to scale codes through scale.answers" in n for n in gbk.notes)
    assert any("as GBK/GB18030 text" in n for n in gbk.notes)
    xlsx = loaded["xlsx"]
    assert sum(xlsx.text_answers.values()) == n_text
    assert any("Read sheet 'answers' of answers.xlsx, the active sheet; the other sheets were not read: 'notes'" in n
               for n in xlsx.notes)
    # SPSS/Stata: numeric codes stay numeric; value labels that are text answers agree with them
    assert loaded["sav"].text_answers == {} and loaded["dta"].text_answers == {}


def test_spss_value_labels_are_applied_when_they_are_text_answers(tmp_path):
    # The file codes sat1 the other way round (0 = very high), and says so in its value labels.
    numbers = bank_data()
    numbers[ITEMS] = numbers[ITEMS].astype(float)
    numbers["sat1"] = 10 - numbers["sat1"]
    sav = tmp_path / "reversed.sav"
    pyreadstat.write_sav(numbers, str(sav), variable_value_labels={"sat1": {0.0: "Very High", 10.0: "very low"}})
    study = load_study(make_study(tmp_path, scale={"answers": ANSWERS}))
    data = load_responses(study, sav)
    reference = load_responses(load_study(BANK))
    changed = int(((numbers["sat1"] == 0) | (numbers["sat1"] == 10)).sum())
    note = next(n for n in data.notes if n.startswith("Column 'sat1'"))
    assert "its value labels are text answers of scale.answers, so each code was read as its label" in note
    assert "0 'Very High' → 10" in note and "10 'very low' → 0" in note
    assert f"({changed} answer(s) changed code)" in note
    # only the labelled codes 0 and 10 are read through their labels; 1-9 stay as they are
    expected = np.where(numbers["sat1"].isin([0, 10]), 10 - numbers["sat1"], numbers["sat1"])
    assert data.items["sat1"].to_numpy().tolist() == expected.tolist()
    assert data.items.drop(columns="sat1").set_axis(reference.items.index).equals(reference.items.drop(columns="sat1"))


def test_spss_value_labels_that_are_not_text_answers_are_not_applied(tmp_path):
    numbers = bank_data()
    numbers[ITEMS] = numbers[ITEMS].astype(float)
    sav = tmp_path / "labels.sav"
    pyreadstat.write_sav(numbers, str(sav), variable_value_labels={"sat2": {0.0: "very low", 10.0: "top box"}})
    data = load_responses(load_study(make_study(tmp_path, scale={"answers": ANSWERS})), sav)
    assert any("Column 'sat2': its value labels were not applied, because 'top box' (10) is not a text answer" in n
               for n in data.notes)
    assert data.items["sat2"].to_numpy().tolist() == load_responses(load_study(BANK)).items["sat2"].to_numpy().tolist()


def test_spss_user_missing_values_are_read_as_no_answer_and_counted(tmp_path):
    numbers = bank_data()
    numbers[ITEMS] = numbers[ITEMS].astype(float)
    numbers.loc[[4, 9], "loy3"] = 99.0  # data rows 5 and 10
    sav = tmp_path / "missing.sav"
    pyreadstat.write_sav(numbers, str(sav), missing_ranges={"loy3": [99]})
    data = load_responses(load_study(BANK), sav)
    assert any("Column 'loy3': 2 value(s) declared missing in the SPSS file (99) were read as no answer" in n
               for n in data.notes)
    assert data.excluded[["row", "reason"]].values.tolist() == [[5, "incomplete answers"], [10, "incomplete answers"]]
    assert data.excluded["detail"].tolist() == ["no answer to loy3", "no answer to loy3"]


def test_ids_are_read_as_written(tmp_path):
    frame = bank_data()
    frame.insert(0, "rid", [f"{i:03d}" for i in range(1, 251)])  # "001": leading zeros are part of the id
    frame.loc[[6, 7], "sat3"] = ""
    csv = tmp_path / "ids.csv"
    frame.to_csv(csv, index=False)
    data = load_responses(load_study(make_study(tmp_path, csv, data={"id_column": "rid"})))
    assert data.excluded["id"].tolist() == ["007", "008"]


def test_excel_cell_that_is_off_the_scale(tmp_path):
    frame = numeric_items(bank_data())
    frame.loc[6, "loy2"] = 11  # data row 7, sheet row 8
    frame.loc[8, "sat1"] = 7.5
    xlsx = tmp_path / "answers.xlsx"
    frame.to_excel(xlsx, index=False)
    message = data_error(BANK, xlsx)
    assert ("answers.xlsx: 2 answer(s) are not valid (row numbers of sheet 'Sheet1' in answers.xlsx (its header is "
            "row 1))") in message
    assert "row 8, column 'loy2': '11' is not on the 0-10 scale" in message
    assert "row 10, column 'sat1': '7.5' is not on the 0-10 scale" in message


def test_damaged_excel_file(tmp_path):
    xlsx = tmp_path / "answers.xlsx"
    xlsx.write_bytes(b"not a workbook")
    message = data_error(BANK, xlsx)
    assert "answers.xlsx: the file could not be read as an Excel workbook" in message
    assert "save it again from Excel as .xlsx, or as CSV" in message


# --- old Excel .xls (tests/reference/satisfaction.xls, written by make_satisfaction_xls.py) --------

XLS = ROOT / "tests" / "reference" / "satisfaction.xls"


def test_xls_gives_the_same_analysed_data_as_the_csv():
    reference = load_responses(load_study(BANK))
    data = load_responses(load_study(BANK), XLS)
    pd.testing.assert_frame_equal(data.items, reference.items)
    pd.testing.assert_frame_equal(data.background.astype(object), reference.background.astype(object))
    assert data.n_raw == 250 and data.n_analysed == reference.n_analysed
    assert data.excluded[["row", "reason"]].values.tolist() == reference.excluded[["row", "reason"]].values.tolist()
    assert any("Read sheet 'answers' of satisfaction.xls, the active sheet" in n for n in data.notes)


def test_xls_time_cells_are_completion_times(tmp_path):
    study = make_study(tmp_path, XLS, screening={"completion_time": {"column": "duration", "minimum_seconds": 60}})
    data = load_responses(load_study(study))
    assert data.excluded[["row", "reason", "detail"]].values.tolist()[:2] == [
        [4, "too fast", "duration = 45 s, under 60 s"], [6, "too fast", "duration = 59 s, under 60 s"]]
    assert any("Column 'duration' (screening.completion_time): read 250 completion time(s) as seconds: 250 stored as "
               "Excel time values (e.g. '00:02:30' → 150 s" in n for n in data.notes), data.notes


def test_xls_errors_are_located_by_row_and_column(tmp_path):
    constructs = yaml.safe_load(BANK.read_text(encoding="utf-8"))["constructs"]
    loy4 = next(i for c in constructs for i in c["items"] if i["code"] == "loy4")
    loy4["column"] = "loy4_entered"
    study = make_study(tmp_path, XLS, scale={"answers": ANSWERS}, constructs=constructs)
    message = data_error(study)
    assert "satisfaction.xls: 2 answer(s) are not valid (row numbers of sheet 'answers'" in message
    assert "row 8, column 'loy4_entered': 'very hihg' is not a number or a text answer of scale.answers " \
           "(did you mean 'very high'?)" in message
    assert "row 10, column 'loy4_entered': '11' is not on the 0-10 scale" in message


def test_xls_name_on_a_file_of_another_kind(tmp_path):
    # A web page saved under the .xls name (some platforms export so): a clear error, not a crash.
    page = tmp_path / "export.xls"
    page.write_text("<html><body><table><tr><td>sat1</td></tr></table></body></html>", encoding="utf-8")
    message = data_error(BANK, page)
    assert "export.xls: the file could not be read as an Excel workbook (it is a web page (HTML) saved under the " \
           ".xls name); open it in Excel and save it as .xlsx, or export the data as CSV" in message
    # An .xlsx workbook under the .xls name is read as what it is.
    renamed = tmp_path / "renamed.xls"
    numeric_items(bank_data()).to_excel(renamed, index=False, engine="openpyxl")
    assert load_responses(load_study(BANK), renamed).items.equals(load_responses(load_study(BANK)).items)  # rows = lines


def test_unsupported_file_type_lists_xls(tmp_path):
    ods = tmp_path / "answers.ods"
    ods.write_bytes(b"PK")
    assert "unsupported data file type '.ods'; use .csv, .tsv, .txt, .xlsx, .xls, .sav or .dta" in data_error(BANK, ods)


# --- validation messages -----------------------------------------------------------------------

def test_unknown_text_answer_names_row_column_value_and_the_nearest_answer(tmp_path):
    frame = bank_data()
    frame.loc[4, "qual3"] = "very hihg"  # data row 5
    frame.loc[5, "qual3"] = "非常高"  # fine
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    message = data_error(make_study(tmp_path, csv, scale={"answers": ANSWERS}))
    assert "answers.csv: 1 answer(s) are not valid" in message
    assert ("line 6, column 'qual3': 'very hihg' is not a number or a text answer of scale.answers "
            "(did you mean 'very high'?)") in message


def test_text_answer_without_declared_answers_suggests_scale_answers(tmp_path):
    frame = bank_data()
    frame.loc[2, "sat4"] = "very high"
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    message = data_error(make_study(tmp_path, csv))
    assert "line 4, column 'sat4': 'very high' is not a number" in message
    assert "declare text answers under scale.answers" in message


def test_many_bad_values_are_counted_and_the_first_listed(tmp_path):
    frame = bank_data()
    frame.loc[10:39, "imag2"] = "x"  # 30 bad cells in one column
    frame.loc[0, "loy4"] = "-1"
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    message = data_error(make_study(tmp_path, csv))
    assert "answers.csv: 31 answer(s) are not valid" in message
    assert message.count("column 'imag2'") == 10  # at most 10 listed per column
    assert "line 12, column 'imag2': 'x' is not a number" in message
    assert "line 2, column 'loy4': '-1' is not on the 0-10 scale" in message
    assert "... and more (20 not shown)" in message


def test_bad_values_are_located_across_blocks(tmp_path):
    frame = bank_data()
    frame.loc[200, "qual1"] = "abc"  # data row 201, in the 21st block of 10 rows
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    with pytest.raises(StudyError, match=r"line 202, column 'qual1': 'abc' is not a number"):
        load_responses(load_study(make_study(tmp_path, csv)), block_rows=10)
    frame.loc[200, "qual1"] = "5"
    frame.to_csv(csv, index=False)
    one = load_responses(load_study(make_study(tmp_path, csv)))
    blocks = load_responses(load_study(make_study(tmp_path, csv)), block_rows=7)
    pd.testing.assert_frame_equal(one.items, blocks.items)


def test_missing_answers_are_counted_per_item_and_per_respondent(tmp_path):
    frame = bank_data()
    frame.loc[[3, 8], "sat1"] = ""  # rows 4 and 9: one item each
    frame.loc[20, ["loy1", "loy2", "imag5"]] = ["", " ", ""]  # row 21: three items (a space is no answer)
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    data = load_responses(load_study(make_study(tmp_path, csv)))
    assert data.missing_by_respondent == {0: 247, 1: 2, 3: 1}
    assert data.missing_by_item["sat1"] == 2 and data.missing_by_item["loy2"] == 1
    assert any("3 of 250 respondents left construct items unanswered (1 item: 2, 3 items: 1); most often "
               "unanswered: sat1 (2)" in n for n in data.notes)
    assert data.excluded.set_index("row")["detail"].to_dict() == {
        5: "no answer to sat1", 10: "no answer to sat1", 22: "no answer to imag5, loy1, loy2"}  # file lines


def test_straight_liners_are_listed(tmp_path):
    path = make_study(tmp_path, screening={"straight_lining": "exclude"})
    data = load_responses(load_study(path))
    assert data.excluded[["row", "reason", "detail"]].values.tolist() == [[194, "straight-lining",
                                                                           "every item answered 10"]]
    assert any("satisfaction.csv: 1 respondent(s) gave the same answer to every construct item they answered "
               "(lines 194)" in n for n in data.notes)


def test_speeders(tmp_path):
    frame = bank_data()
    frame["seconds"] = "300"
    frame.loc[0, "seconds"] = "95秒"  # row 1: too fast, written as on Chinese survey platforms
    frame.loc[1, "seconds"] = "80 s"  # row 2: too fast
    frame.loc[2, "seconds"] = "100"  # row 3: exactly the minimum is fine
    frame.loc[3, "seconds"] = ""  # row 4: unknown, not screened
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    path = make_study(tmp_path, csv, screening={"completion_time": {"column": "seconds", "minimum_seconds": 100}})
    data = load_responses(load_study(path))
    assert data.excluded[["row", "reason", "detail"]].values.tolist() == [
        [2, "too fast", "seconds = 95 s, under 100 s"], [3, "too fast", "seconds = 80 s, under 100 s"]]
    assert any("answers.csv: 1 respondent(s) have no completion time in column 'seconds' (lines 5)" in w
               for w in data.warnings)
    assert any("2 respondent(s) answered in less than 100 seconds (column 'seconds'): line 2 (95 s), line 3 (80 s)"
               in n for n in data.notes)
    frame.loc[6, "seconds"] = "fast"
    frame.to_csv(csv, index=False)
    message = data_error(path)
    assert ("line 8, column 'seconds': 'fast' is not a completion time (screening.completion_time); write seconds "
            "(125), mm:ss") in message



def completion_seconds(tmp_path, written: list, **timing) -> tuple[list[float], object]:
    """The seconds read from a completion-time column whose first rows are ``written`` (the others 300):
    every respondent is flagged as too fast, so that each one's time is in the flagged detail."""
    frame = bank_data()
    frame["duration"] = "300"
    frame.loc[:len(written) - 1, "duration"] = written
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False, encoding="utf-8")
    path = make_study(tmp_path, csv, screening={"completion_time": {
        "column": "duration", "minimum_seconds": 1e6, "action": "flag", **timing}})
    data = load_responses(load_study(path))
    fast = data.flagged[data.flagged["reason"] == "too fast"].set_index("row")["detail"]
    return [float(fast[r].split(" = ")[1].split(" s,")[0]) for r in range(2, len(written) + 2)], data  # lines


def test_completion_times_written_as_text_durations(tmp_path):
    written = ["4:10", "0:04:10", "1:02:05", "250秒", "4分10秒", "1 min 5 s", "1小时2分5秒", "2.5 min", "４：１０",
               "250", "250.5", "0250", " 90 s ", "00:02:05.500000"]
    seconds, data = completion_seconds(tmp_path, written)
    assert seconds == [250, 250, 3725, 250, 250, 65, 3725, 150, 250, 250, 250.5, 250, 90, 125.5]
    note = next(n for n in data.notes if n.startswith("Column 'duration'"))
    assert note == ("Column 'duration' (screening.completion_time): read 11 completion time(s) as seconds: "
                    "2 written as mm:ss, 3 written as h:mm:ss and 6 written with units (such as 2分5秒) "
                    "(e.g. '4:10' → 250 s; '0:04:10' → 250 s; '250秒' → 250 s).")


def test_bare_numbers_stay_seconds_and_no_conversion_no_note(tmp_path):
    seconds, data = completion_seconds(tmp_path, ["0.5", "59", "3600", "86400"])
    assert seconds == [0.5, 59, 3600, 86400]
    assert not any(n.startswith("Column 'duration'") for n in data.notes)
    assert not any("under 1 second" in w for w in data.warnings)


def test_excel_day_fractions_copied_as_numbers_are_seconds_with_a_hint(tmp_path):
    frame = bank_data()
    frame["duration"] = "0.0029"  # 250 s as a fraction of a day, pasted as a plain number
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    flag = make_study(tmp_path, csv, screening={"completion_time": {"column": "duration", "minimum_seconds": 60,
                                                                    "action": "flag"}})
    data = load_responses(load_study(flag))
    assert any("answers.csv: every completion time in column 'duration' is a number under 1 second (e.g. 0.0029); "
               "if these are Excel time values (fractions of a day), format the column as a time (h:mm:ss) in "
               "Excel, or multiply it by 86400 to get seconds. Numbers are read as seconds." in w for w in data.warnings)
    exclude = make_study(tmp_path, csv, name="exclude.yaml",
                         screening={"completion_time": {"column": "duration", "minimum_seconds": 60}})
    message = data_error(exclude)
    assert "only 0 respondents remain after screening" in message and "Excluded: 250 too fast" in message
    assert "if these are Excel time values (fractions of a day)" in message


def test_unreadable_completion_times_name_file_row_column_and_value(tmp_path):
    frame = bank_data()
    frame["duration"] = "5:00"
    frame.loc[[1, 3, 5, 7], "duration"] = ["4:75", "2分5", "2024-05-01 10:00", "-30"]
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    message = data_error(make_study(tmp_path, csv, screening={"completion_time": {"column": "duration",
                                                                                  "minimum_seconds": 60}}))
    assert "answers.csv: 4 answer(s) are not valid (line numbers of answers.csv (its header is line 1))" in message
    how = "write seconds (125), mm:ss (2:05), h:mm:ss (0:02:05) or with units (2分5秒, 2 min 5 s)"
    assert ("line 3, column 'duration': '4:75' is not a valid mm:ss or h:mm:ss time (minutes and seconds go up to 59) "
            f"(screening.completion_time); {how}") in message
    assert f"line 5, column 'duration': '2分5' is not a completion time (screening.completion_time); {how}" in message
    assert "line 7, column 'duration': '2024-05-01 10:00' is not a completion time" in message
    assert "line 9, column 'duration': '-30' is a negative completion time (screening.completion_time)" in message


def test_xlsx_time_and_duration_cells_are_completion_times(tmp_path):
    from datetime import datetime, time, timedelta
    frame = numeric_items(bank_data())
    frame["duration"] = 300
    frame["duration"] = frame["duration"].astype(object)
    frame.loc[2, "duration"] = "2分5秒"
    xlsx = tmp_path / "answers.xlsx"
    frame.to_excel(xlsx, index=False, engine="openpyxl")
    import openpyxl
    book = openpyxl.load_workbook(xlsx)  # the time cells as Excel stores them: a number of days, and a format
    column = frame.columns.get_loc("duration") + 1
    for row, value, shown in [(2, time(0, 4, 10), "h:mm:ss"),  # under a day: read as datetime.time, 250 s
                              (3, timedelta(hours=25), "[h]:mm:ss"),  # a duration format: timedelta, 90000 s
                              (5, datetime(1900, 1, 1, 1, 0), "h:mm:ss")]:  # 1.04 days as h:mm:ss: a datetime
        cell = book.active.cell(row=row, column=column)
        cell.value, cell.number_format = value, shown
    book.save(xlsx)
    path = make_study(tmp_path, xlsx, screening={"completion_time": {"column": "duration", "minimum_seconds": 1e6,
                                                                     "action": "flag"}})
    data = load_responses(load_study(path))
    detail = data.flagged[data.flagged["reason"] == "too fast"].set_index("row")["detail"]
    assert [detail[r] for r in (2, 3, 4, 5, 6)] == [f"duration = {s} s, under 1e+06 s"  # sheet rows
                                                    for s in (250, 90000, 125, 90000, 300)]
    note = next(n for n in data.notes if n.startswith("Column 'duration'"))
    assert "read 4 completion time(s) as seconds: 1 written with units (such as 2分5秒) and 3 stored as Excel time " \
           "values" in note


def test_attention_checks_exclude_or_flag(tmp_path):
    frame = bank_data()
    frame["attn"] = "very high"  # the instructed answer, as text ...
    frame.loc[1, "attn"] = "10"  # ... or as its code
    frame.loc[5, "attn"] = "3"  # row 6: failed
    frame.loc[9, "attn"] = ""  # row 10: no answer counts as failed
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    check = {"column": "attn", "expected": 10}
    data = load_responses(load_study(make_study(tmp_path, csv, scale={"answers": ANSWERS},
                                                screening={"attention_checks": [check]})))
    assert data.excluded[["row", "reason", "detail"]].values.tolist() == [
        [7, "failed attention check", "attn = '3', expected '10'"],
        [11, "failed attention check", "no answer to attn, expected '10'"]]
    assert any("answers.csv: 2 respondent(s) failed the attention check in column 'attn' (expected '10'; no answer "
               "counts as failed): line 7 ('3'), line 11 (no answer)" in n for n in data.notes)
    flagged = load_responses(load_study(make_study(tmp_path, csv, scale={"answers": ANSWERS},
                                                   screening={"attention_checks": [{**check, "action": "flag"}]})))
    assert flagged.n_analysed == 250 and len(flagged.excluded) == 0
    assert flagged.flagged[flagged.flagged["reason"] == "failed attention check"]["row"].tolist() == [7, 11]
    assert any("2 analysed respondent(s) were flagged for failed attention check (lines 7, 11); they were kept" in w
               for w in flagged.warnings)


def test_duplicate_ids(tmp_path):
    frame = bank_data()
    frame.insert(0, "rid", [f"R{i}" for i in range(1, 251)])
    frame.loc[[19, 39], "rid"] = "R5"  # rows 20 and 40 repeat row 5's id
    frame.loc[49, "rid"] = ""  # row 50 has no id
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    kept = load_responses(load_study(make_study(tmp_path, csv, data={"id_column": "rid"})))
    assert kept.n_analysed == 250
    assert any("answers.csv: 2 respondent(s) repeat the id of an earlier row in column 'rid' (line 21: id R5 repeats "
               "line 6; line 41: id R5 repeats line 6); they were kept. Set screening.duplicates" in w
               for w in kept.warnings)
    assert any("1 respondent(s) have no id in column 'rid' (lines 51)" in w for w in kept.warnings)
    screened = load_responses(load_study(make_study(tmp_path, csv, data={"id_column": "rid"},
                                                    screening={"duplicates": {"action": "exclude"}})))
    assert screened.excluded[["row", "id", "reason", "detail"]].values.tolist() == [
        [21, "R5", "duplicate id", "id R5 repeats line 6"], [41, "R5", "duplicate id", "id R5 repeats line 6"]]


def test_a_respondent_with_several_reasons_is_counted_once(tmp_path):
    frame = bank_data()
    frame.insert(0, "rid", [f"R{i}" for i in range(1, 251)])
    frame["seconds"] = "300"
    frame.loc[19, ["rid", "seconds", "sat2"]] = ["R5", "20", ""]  # row 20: duplicate, too fast and incomplete
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    data = load_responses(load_study(make_study(
        tmp_path, csv, data={"id_column": "rid"},
        screening={"duplicates": {"action": "exclude"}, "completion_time": {"column": "seconds", "minimum_seconds": 60}})))
    assert data.excluded_counts == {"duplicate id": 1}
    assert data.excluded["detail"].tolist() == ["id R5 repeats line 6; also too fast; also incomplete answers"]


def test_background_answers_are_checked_against_the_levels(tmp_path):
    frame = bank_data()
    frame.loc[0, "gender"] = "男"  # row 1: a level's Chinese label
    frame.loc[1, "gender"] = "Female"  # row 2: a level's English label
    frame.loc[2, "gender"] = "divers"  # row 3: not a level
    frame.loc[3, "gender"] = ""  # row 4: no answer
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    data = load_responses(load_study(make_study(tmp_path, csv)))
    assert data.background["gender"].iloc[:3].tolist() == ["male", "female", "divers"]
    assert pd.isna(data.background["gender"].iloc[3])
    assert any("Background question gender: read 2 answer(s) written as a level's label" in n for n in data.notes)
    assert any("answers.csv: background question gender (column 'gender'): 1 answer(s) are not among its declared "
               "levels (female, male): line 4 ('divers'). They are kept" in w for w in data.warnings)
    assert data.n_analysed == 250  # a background answer never excludes a respondent


# --- nothing lost ------------------------------------------------------------------------------

def test_excluded_plus_analysed_rows_are_every_input_row(tmp_path, capsys):
    frame = bank_data()
    frame.insert(0, "rid", [f"R{i}" for i in range(1, 251)])
    frame["seconds"] = "300"
    frame["attn"] = "10"
    frame.loc[[11, 12], "rid"] = "R3"
    frame.loc[[30, 31, 32], "seconds"] = "12"
    frame.loc[[40, 41, 12], "attn"] = "2"
    frame.loc[[50, 60, 70, 31], "loy1"] = ""
    csv = tmp_path / "answers.csv"
    frame.to_csv(csv, index=False)
    path = make_study(tmp_path, csv, data={"id_column": "rid"},
                      screening={"straight_lining": "exclude", "duplicates": {"action": "exclude"},
                                 "completion_time": {"column": "seconds", "minimum_seconds": 60},
                                 "attention_checks": [{"column": "attn", "expected": 10}]},
                      model={"bootstrap": 0})
    data = load_responses(load_study(path))
    assert data.excluded_counts == {"duplicate id": 2, "failed attention check": 2, "too fast": 3,
                                    "straight-lining": 1, "incomplete answers": 3}
    analysed, excluded = set(data.items.index), set(data.excluded["row"])
    assert not analysed & excluded
    assert analysed | excluded == set(range(2, 252))  # the file's lines 2-251
    assert data.excluded["row"].is_unique

    code, out, err = run_cli(capsys, path, "--out", tmp_path / "out", "--quiet")
    assert code == 0, err
    written = pd.read_csv(tmp_path / "out" / "excluded_respondents.csv", dtype={"id": str})
    assert list(written.columns) == ["row", "id", "reason", "detail"]
    assert written["row"].tolist() == data.excluded["row"].tolist()
    assert written["id"].tolist() == data.excluded["id"].tolist()
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["n"]["raw"] == 250 and results["n"]["analysed"] + len(written) == 250
    assert (tmp_path / "out" / "codebook.csv").is_file()
    assert list(pd.read_csv(tmp_path / "out" / "flagged_respondents.csv").columns) == ["row", "id", "reason", "detail"]


# --- questionnaire and codebook ----------------------------------------------------------------

def test_questionnaire_option_writes_html_and_codebook_without_data(tmp_path, capsys):
    path = make_study(tmp_path, tmp_path / "no_data_yet.csv")
    code, out, err = run_cli(capsys, path, "--questionnaire", "--out", tmp_path / "q", "--quiet")
    assert code == 0, err
    assert out.split() == [str(tmp_path / "q" / "questionnaire.html"), str(tmp_path / "q" / "codebook.csv")]
    html = (tmp_path / "q" / "questionnaire.html").read_text(encoding="utf-8")
    assert "银行服务的总体质量" in html and "Overall quality of the bank" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html  # self-contained
    table = pd.read_csv(tmp_path / "q" / "codebook.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(table.columns) == CODEBOOK_COLUMNS


def test_questionnaire_is_bilingual_and_escaped(tmp_path):
    path = make_study(tmp_path)
    edit(path, "Overall quality of the bank's services", "Quality <b>&</b> the \"bank\"")
    html = render_questionnaire(load_study(path))
    assert "Quality &lt;b&gt;&amp;&lt;/b&gt; the &#34;bank&#34;" in html
    assert "<b>&</b>" not in html
    assert html.index("请根据您的真实感受") > html.index("Please tick the answer")  # English first: study.language
    default = render_questionnaire(load_study(DEFAULT))
    assert default.index("请根据您的真实感受") < default.index("Please tick the answer")  # Chinese first
    assert default.count('class="choice"') == 7 * sum(len(c.items) for c in load_study(DEFAULT).first_order)
    assert "○ 男" in default and "Male" in default


def test_codebook_lists_items_and_background_questions():
    study = load_study(DEFAULT)
    table = codebook(study).set_index("code")
    items = table[table["kind"] == "item"]
    assert len(items) == len(study.items)
    des3 = items.loc["des3"]
    assert (des3["column"], des3["construct"], des3["reverse"], des3["scale"]) == ("des3", "DES", "yes", "1-7")
    assert des3["text_zh"] == "在这家网店下单的步骤太多，操作繁琐。"
    assert des3["text_en"] == "It takes too many steps to place an order in this shop."
    assert "1 = 非常不同意 / Strongly disagree" in des3["levels"] and des3["missing_codes"] == "99"
    assert items.loc["des1", "reverse"] == "no"
    gender = table.loc["gender"]
    assert gender["kind"] == "background" and gender["levels"] == "1 = 男 / Male; 2 = 女 / Female"
    assert table.loc["id", "column"] == "resp_id"
    assert table.loc["QUAL", "levels"] == "dimensions: DES, INFO, RESP, FUL"
