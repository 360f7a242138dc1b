"""Bad input, end to end: every mistake in a study file, a data file or the command line stops the run
with exit code 2 and one message naming the file and the key, row or column at fault (never a
traceback, never a silent change).

Each test copies questionnaires/bank_satisfaction.yaml and its data into tmp_path, corrupts the copy
and runs the command line in-process (``study.cli.main``); two run it as a subprocess to show that no
traceback reaches stderr.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from study.cli import main
from helpers import edit

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
DEFAULT = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"


# --- helpers -----------------------------------------------------------------------------------

@pytest.fixture
def bank(tmp_path, monkeypatch) -> Path:
    """A private copy of the bank study and its data (study file in tmp_path, data in tmp_path/data)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(BANK_DATA, tmp_path / "data" / "satisfaction.csv")
    study = tmp_path / "bank.yaml"
    shutil.copy(BANK, study)
    return study




def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, f"test set-up: {needle!r} occurs {text.count(needle)} times"
    return text[:text.index(needle)].count("\n") + 1


def read_data(study: Path) -> pd.DataFrame:
    """The bank data as text, without R's row-name column (row i of the frame is data row i + 1)."""
    return pd.read_csv(study.parent / "data" / "satisfaction.csv", index_col=0, dtype=str, keep_default_na=False)


def write_data(study: Path, frame: pd.DataFrame, name: str = "satisfaction.csv", **options) -> Path:
    path = study.parent / "data" / name
    frame.to_csv(path, index=False, **options)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit code, stdout, stderr)."""
    argv = [str(a) for a in argv]
    if "--out" not in argv:
        argv += ["--out", "out"]
    if "--bootstrap" not in argv:
        argv += ["--bootstrap", "0"]
    code = main([*argv, "--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


def user_error(capsys, *argv) -> str:
    """Run, expect exit code 2 with a one-message error and no traceback; return the message."""
    code, out, err = run(capsys, *argv)
    assert code == 2, f"expected exit code 2, got {code}; stderr:\n{err}"
    assert err.startswith("error: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    return err


# --- the study file ----------------------------------------------------------------------------

def test_missing_study_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = user_error(capsys, tmp_path / "nowhere.yaml")
    assert "nowhere.yaml" in err
    assert "study file not found" in err


def test_yaml_that_does_not_parse_names_the_line(capsys, bank):
    line = edit(bank, "  language: en\n", "  language: en: zh\n")
    err = user_error(capsys, bank)
    assert "bank.yaml" in err
    assert f"line {line}," in err
    assert "not valid YAML" in err


@pytest.mark.parametrize("text, found", [("- study\n- data\n", "found a list"),
                                         ("just some words\n", "found a single value"),
                                         ("", "found an empty file")])
def test_document_that_is_not_a_mapping(capsys, tmp_path, monkeypatch, text, found):
    monkeypatch.chdir(tmp_path)
    study = tmp_path / "odd.yaml"
    study.write_text(text, encoding="utf-8")
    err = user_error(capsys, study)
    assert "odd.yaml" in err
    assert "expected a mapping with the keys study, data, scale, constructs and model" in err
    assert found in err


def test_unknown_key_with_did_you_mean(capsys, bank):
    line = edit(bank, "{code: qual2, text:", "{code: qual2, revers: true, text:")
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line}: constructs.0.items.1.revers: unknown key (did you mean 'reverse'?)" in err


def test_missing_required_key(capsys, bank):
    edit(bank, "  file: data/satisfaction.csv\n", "")
    line = line_of(bank, "data:\n")
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line}: data.file: required key is missing" in err


def test_hypothesis_with_unknown_construct(capsys, bank):
    line = edit(bank, "{id: H5, from: TRUST,", "{id: H5, from: TRUTS,")
    err = user_error(capsys, bank)
    assert (f"bank.yaml, line {line}: model.hypotheses.4.from: hypothesis H5: 'TRUTS' is not a construct "
            "(did you mean 'TRUST'?)") in err


def test_mediation_through_a_path_that_is_not_a_hypothesis(capsys, bank):
    edit(bank, '    - {id: H2, from: QUAL, to: TRUST, sign: "+"}\n', "")
    line = line_of(bank, "{id: H7a, path: [QUAL, TRUST, LOY]}")
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line}: model.mediation.1.path.1: mediation H7a" in err
    assert "the path QUAL -> TRUST is not a hypothesis of the model" in err
    assert "add it to model.hypotheses" in err


def test_construct_with_one_item(capsys, bank):
    for code in ("sat2", "sat3", "sat4"):
        text = bank.read_text(encoding="utf-8").splitlines(keepends=True)
        bank.write_text("".join(t for t in text if f"{{code: {code}," not in t), encoding="utf-8")
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line_of(bank, '- code: SAT')}: constructs.1: construct SAT has 1 item" in err
    assert "at least 2 are needed" in err


def test_duplicated_item_codes(capsys, bank):
    line = edit(bank, "{code: sat4,", "{code: sat3,")
    err = user_error(capsys, bank)
    assert (f"bank.yaml, line {line}: constructs.1.items.3.code: item code 'sat3' is used twice "
            "(also constructs.1.items.2)") in err


def test_scale_labels_count_mismatch(capsys, bank):
    edit(bank, '"8", "9", "10 = very high"]', '"8", "10 = very high"]')
    line = line_of(bank, "scale:\n")
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line}: scale: labels.en has 10 labels but the scale has 11 points" in err


# --- the data file -----------------------------------------------------------------------------

def test_missing_data_file(capsys, bank):
    (bank.parent / "data" / "satisfaction.csv").unlink()
    err = user_error(capsys, bank)
    assert "satisfaction.csv: data file not found" in err
    assert "data.file" in err and "--data FILE" in err


def test_missing_data_file_given_with_data_option(capsys, bank):
    err = user_error(capsys, bank, "--data", "answers_2024.csv")
    assert "answers_2024.csv: data file not found" in err


def test_item_without_a_column(capsys, bank):
    data = read_data(bank).rename(columns={"sat2": "sat_2"})
    write_data(bank, data)
    err = user_error(capsys, bank)
    assert "satisfaction.csv: 1 column(s) named in" in err and "bank.yaml" in err
    assert "column 'sat2' (did you mean 'sat_2'?)" in err
    assert "set the item's `column:`" in err


def test_text_in_a_numeric_column(capsys, bank):
    data = read_data(bank)
    data.loc[data.index[4], "qual3"] = "abc"  # data row 5, line 6 of the file
    write_data(bank, data)
    err = user_error(capsys, bank)
    assert "satisfaction.csv: 1 answer(s) are not valid" in err
    assert "line 6, column 'qual3': 'abc' is not a number" in err


def test_text_na_is_not_silently_missing(capsys, bank):
    data = read_data(bank)
    data.loc[data.index[9], "loy1"] = "NA"  # data row 10, line 11
    write_data(bank, data)
    err = user_error(capsys, bank)
    assert "line 11, column 'loy1': 'NA' is not a number" in err
    assert "leave the cell empty for no answer" in err


def test_value_off_the_scale(capsys, bank):
    data = read_data(bank)
    data.loc[data.index[6], "loy2"] = "11"  # data row 7, line 8; the scale is 0-10
    write_data(bank, data)
    err = user_error(capsys, bank)
    assert "satisfaction.csv" in err
    assert "line 8, column 'loy2': '11' is not on the 0-10 scale" in err
    assert "scale.missing_codes" in err


def test_declared_missing_code_excludes_and_counts_the_respondent(capsys, bank):
    edit(bank, "  max: 10\n", "  max: 10\n  missing_codes: [99]\n")
    data = read_data(bank)
    data.loc[data.index[2], "sat1"] = "99"  # data row 3, line 4: "no answer"
    write_data(bank, data)
    code, out, err = run(capsys, bank)
    assert code == 0, err
    results = json.loads((bank.parent / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["n"]["raw"] == 250
    assert results["n"]["analysed"] == 249
    assert results["n"]["excluded"] == {"incomplete answers": 1}
    assert results["screening"]["missing_by_item"]["sat1"] == 1
    assert results["items"]["sat1"]["max"] <= 10  # 99 never reached the statistics
    excluded = pd.read_csv(bank.parent / "out" / "excluded_respondents.csv")
    assert excluded[["row", "reason"]].values.tolist() == [[4, "incomplete answers"]]


def test_constant_item_column(capsys, bank):
    data = read_data(bank)
    data["sat1"] = "7"
    write_data(bank, data)
    err = user_error(capsys, bank)
    assert "satisfaction.csv: item column(s) sat1 have the same value for every analysed respondent" in err
    assert "remove the item from the study file" in err


def test_empty_data_file(capsys, bank):
    (bank.parent / "data" / "satisfaction.csv").write_bytes(b"")
    err = user_error(capsys, bank)
    assert "satisfaction.csv: the data file is empty" in err


def test_data_file_with_a_header_only(capsys, bank):
    write_data(bank, read_data(bank).iloc[:0])
    err = user_error(capsys, bank)
    assert "satisfaction.csv: the data file has no rows" in err


def test_repeated_column_name_is_not_silently_resolved(capsys, bank):
    path = bank.parent / "data" / "satisfaction.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ',"sat1"'] + [line + ",3" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = user_error(capsys, bank)
    assert "satisfaction.csv: the header names column(s) 'sat1' more than once" in err


def test_gbk_csv_reads_like_utf8(capsys, bank):
    data = read_data(bank)
    data["备注"] = "无"  # a Chinese column the study does not use
    utf8 = write_data(bank, data, "utf8.csv", encoding="utf-8")
    gbk = write_data(bank, data, "gbk.csv", encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")  # the test really exercises the GBK fallback
    results = {}
    for name, path in (("utf8", utf8), ("gbk", gbk)):
        code, out, err = run(capsys, bank, "--data", path, "--out", name)
        assert code == 0, err
        results[name] = json.loads((bank.parent / name / "results.json").read_text(encoding="utf-8"))
    for name in results:  # the file name differs
        results[name]["n"]["row_numbers"] = results[name]["n"]["row_numbers"].replace(f"{name}.csv", "data.csv")
    for key in ("n", "items", "constructs", "cfa", "sem", "hypotheses"):
        assert results["gbk"][key] == results["utf8"][key], key


def test_unsupported_extension(capsys, bank):
    ods = bank.parent / "data" / "answers.ods"
    ods.write_bytes(b"PK")
    err = user_error(capsys, bank, "--data", ods)
    assert "answers.ods: unsupported data file type '.ods'; use .csv, .tsv, .txt, .xlsx, .xls, .sav or .dta" in err


def test_damaged_spss_file(capsys, bank):
    sav = bank.parent / "data" / "answers.sav"
    sav.write_bytes(b"$FL2")
    err = user_error(capsys, bank, "--data", sav)
    assert "answers.sav: the file could not be read as an SPSS .sav file" in err
    assert "export the data as CSV" in err


# --- the command line --------------------------------------------------------------------------

def test_negative_bootstrap(capsys, bank):
    err = user_error(capsys, bank, "--bootstrap", "-5")
    assert "--bootstrap -5" in err
    assert "0 (no bootstrap) or a positive number" in err


def test_negative_seed(capsys, bank):
    err = user_error(capsys, bank, "--seed", "-1")
    assert "--seed -1" in err


def test_out_under_a_regular_file(capsys, bank):
    (bank.parent / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    err = user_error(capsys, bank, "--out", bank.parent / "notes.txt" / "report")
    assert "notes.txt" in err and "report" in err
    assert "cannot create the output folder" in err and "--out DIR" in err


def test_out_that_is_a_file(capsys, bank):
    (bank.parent / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    err = user_error(capsys, bank, "--out", bank.parent / "notes.txt")
    assert "notes.txt: --out must be a folder, but this is a file" in err


def test_output_file_that_cannot_be_written(capsys, bank):
    (bank.parent / "out" / "results.json").mkdir(parents=True)  # a folder where the file should go
    err = user_error(capsys, bank)
    assert "results.json: a folder of this name stands where the output goes" in err


# --- every input row is accounted for ----------------------------------------------------------

def test_excluded_plus_analysed_rows_are_every_input_row(capsys, tmp_path):
    data_file = ROOT / "questionnaires" / "data" / "ecommerce_loyalty.csv"
    before = hashlib.sha256(data_file.read_bytes()).hexdigest()
    code, out, err = run(capsys, DEFAULT, "--bootstrap", "0", "--out", tmp_path)
    assert code == 0, err
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    excluded = pd.read_csv(tmp_path / "excluded_respondents.csv")
    n_rows = len(pd.read_csv(data_file))
    assert results["n"]["raw"] == n_rows
    assert len(excluded) > 0  # the simulated data contain careless and incomplete answers
    assert results["n"]["analysed"] + len(excluded) == n_rows
    assert excluded["row"].is_unique and excluded["row"].between(2, n_rows + 1).all()  # the file's lines
    assert excluded["reason"].value_counts().to_dict() == results["n"]["excluded"]
    assert hashlib.sha256(data_file.read_bytes()).hexdigest() == before  # the data file is never modified


# --- no traceback reaches the terminal ---------------------------------------------------------

def _subprocess(*argv, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "analysis.py"), *map(str, argv), "--bootstrap", "0"],
                          cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_subprocess_study_error_has_no_traceback(bank):
    line = edit(bank, "{code: qual2, text:", "{code: qual2, revers: true, text:")
    proc = _subprocess(bank, "--out", bank.parent / "out", cwd=bank.parent)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"bank.yaml, line {line}: constructs.0.items.1.revers: unknown key (did you mean 'reverse'?)" in proc.stderr
    assert proc.stderr.count("\n") == 1  # one message, one line


def test_subprocess_data_errors_have_no_traceback(bank):
    (bank.parent / "data" / "satisfaction.csv").write_bytes(b"")
    proc = _subprocess(bank, "--out", bank.parent / "out", cwd=bank.parent)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "satisfaction.csv: the data file is empty" in proc.stderr
