"""The catalogue of bad inputs of issue 15, run end to end through the command line: each ends in exit 2 with
a message naming the file and the line, row, column or key, or in a correct analysis (exit 0) with a note or
warning — never in exit 1 (an internal error). Then the outputs: written all at once or not at all, never over
an input, formulas neutralized in every CSV, the analysed data set exported with labels, the terminal summary
printed as it is.

Data files of the catalogue are in tests/data/intake (tests/data/intake/make_catalogue.py writes the
workbooks) or made here from the bank data.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from study.cli import main

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
CATALOGUE = ROOT / "tests" / "data" / "intake"


@pytest.fixture
def bank(tmp_path, monkeypatch) -> Path:
    """A private copy of the bank study and its data (study file in tmp_path, data in tmp_path/data)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(BANK_DATA, tmp_path / "data" / "satisfaction.csv")
    study = tmp_path / "bank.yaml"
    shutil.copy(BANK, study)
    return study


def run(capsys, *argv) -> tuple[int, str, str]:
    argv = [str(a) for a in argv]
    if "--out" not in argv:
        argv += ["--out", "out"]
    if not any(a.startswith("--bootstrap") for a in argv):
        argv += ["--bootstrap", "0"]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def frame() -> pd.DataFrame:
    return pd.read_csv(BANK_DATA, index_col=0)


def with_data(study: Path, data: pd.DataFrame, name: str = "satisfaction.csv") -> None:
    data.to_csv(study.parent / "data" / name)


# --- the catalogue --------------------------------------------------------------------------------
# Each case changes the bank study or its data and returns extra command-line arguments; the expected exit
# code and fragments of the message (stderr for exit 2; warnings in results.json for exit 0) follow.

def identical_items(study):
    data = frame()
    data["qual2"] = data["qual1"]
    with_data(study, data)


def mostly_straight_liners(study):
    shutil.copy(CATALOGUE / "mostly_straight_liners.csv", study.parent / "data" / "satisfaction.csv")


def item_constant_in_a_group(study):
    data = frame()
    data.loc[data["gender"] == "male", "loy2"] = 5
    with_data(study, data)


def heywood_case(study):
    shutil.copy(CATALOGUE / "heywood_case.csv", study.parent / "data" / "satisfaction.csv")


def no_hypotheses_with_groups(study):
    text = study.read_text(encoding="utf-8")
    start = text.index("  hypotheses:\n")
    end = text.index("  groups:")
    study.write_text(text[:start] + "  hypotheses: []\n" + text[end:], encoding="utf-8")


def deeply_nested_yaml(study):
    with study.open("a", encoding="utf-8") as handle:
        handle.write("report: {chapter: " + "[" * 3000 + "]" * 3000 + "}\n")


def huge_bootstrap(study):
    return ["--bootstrap", "100000000000000000000"]


def huge_bootstrap_in_the_study_file(study):
    replace(study, "  bootstrap: 2000", "  bootstrap: 1e20")


def control_character_in_a_title(study):
    replace(study, "author: Example analysis on public data", 'author: "Example \\x01 analysis"')


def control_character_in_an_id(study):
    data = frame()
    data.insert(0, "rid", [f"R{i}" for i in range(1, 251)])
    data.loc[data.index[[10, 11]], "rid"] = "R\x01x"
    with_data(study, data)
    replace(study, "  file: data/satisfaction.csv\n", "  file: data/satisfaction.csv\n  id_column: rid\n")
    replace(study, "  straight_lining: flag\n", "  straight_lining: flag\n  duplicates: {action: exclude}\n")


def decimal_comma(study):
    path = study.parent / "data" / "satisfaction.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",7,", ",7,5,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stray_quote(study):
    path = study.parent / "data" / "satisfaction.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][:-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def blank_lines(study):
    path = study.parent / "data" / "satisfaction.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def excel_booleans(study):
    data = frame().astype(object)
    data.loc[data.index[2], "sat1"] = True
    data.to_excel(study.parent / "data" / "answers.xlsx", index=False)
    return ["--data", study.parent / "data" / "answers.xlsx"]


def hidden_first_sheet(study):
    return ["--data", CATALOGUE / "hidden_first_sheet.xlsx"]


def uncalculated_formulas(study):
    return ["--data", CATALOGUE / "uncalculated_formulas.xlsx"]


def folder_as_data_file(study):
    return ["--data", study.parent / "data"]


def sparse_item_under_fiml(study):
    data = frame()
    data.loc[data.index[12:], "loy2"] = np.nan
    with_data(study, data)
    replace(study, "  bootstrap: 2000", "  missing: fiml\n  bootstrap: 2000")


def data_file_as_output(study):
    (study.parent / "out").mkdir()
    shutil.copy(study.parent / "data" / "satisfaction.csv", study.parent / "out" / "codebook.csv")
    return ["--data", study.parent / "out" / "codebook.csv"]


CATALOGUE_CASES = {
    identical_items: (2, ["satisfaction.csv: item(s) qual1 and qual2 (columns 'qual1', 'qual2', r = 1.000) have the "
                          "same answers for every analysed respondent"]),
    mostly_straight_liners: (2, ["are linearly dependent", "Most analysed respondents (234 of 250) gave the same "
                                 "answer to every item"]),
    item_constant_in_a_group: (0, ["Group comparison by gender was not run: in group 'male', item(s) loy2 have the "
                                   "same answer (5) from every respondent"]),
    heywood_case: (0, ["Negative (residual) variance for loy1 (a Heywood case)"]),
    no_hypotheses_with_groups: (2, ["model.hypotheses: list at least one hypothesis"]),
    deeply_nested_yaml: (2, ["bank.yaml, line", "nests lists or mappings too deeply"]),
    huge_bootstrap: (2, ["argument --bootstrap: 100000000000000000000 resamples is more than the 100,000"]),
    huge_bootstrap_in_the_study_file: (2, ["model.bootstrap"]),
    control_character_in_a_title: (2, ["study.author: the text contains the control character U+0001"]),
    control_character_in_an_id: (0, ["id R\\x01x repeats line 12"]),
    decimal_comma: (2, ["satisfaction.csv: 1 row(s) have another number of fields than the header", "line 6: 30 "
                        "fields"]),
    stray_quote: (2, ["satisfaction.csv, line 5, column 'gender': a double quote"]),
    blank_lines: (0, ["satisfaction.csv: skipped 1 blank line(s) (line 5)"]),
    excel_booleans: (2, ["row 4, column 'sat1': 'TRUE' is not a number (a logical TRUE/FALSE cell"]),
    hidden_first_sheet: (0, ["Read sheet 'answers' of hidden_first_sheet.xlsx, the active sheet; the other sheets "
                             "were not read: 'old' (hidden)"]),
    uncalculated_formulas: (2, ["250 cell(s) hold formulas whose values were never calculated"]),
    folder_as_data_file: (2, ["this is a folder, not a data file (it holds satisfaction.csv)"]),
    sparse_item_under_fiml: (2, ["only 12 of the 250 analysed respondents answered every item", "loy2 (column "
                                 "'loy2'): 12 of 250"]),
    data_file_as_output: (2, ["codebook.csv: this output would overwrite the data file"]),
}


@pytest.mark.parametrize("case", list(CATALOGUE_CASES), ids=lambda f: f.__name__)
def test_the_catalogue_never_ends_in_an_internal_error(capsys, bank, case):
    code, out, err = run(capsys, bank, *(case(bank) or []))
    expected, fragments = CATALOGUE_CASES[case]
    assert "internal error" not in err and "Traceback" not in err, err
    assert code == expected, err
    if code == 2:
        for fragment in fragments:
            assert fragment in err, err
    else:
        results = json.loads((bank.parent / "out" / "results.json").read_text(encoding="utf-8"))
        text = "\n".join(results["warnings"] + results["screening"]["notes"])
        for fragment in fragments:
            assert fragment in text, text


def test_heywood_case_has_no_omega_and_no_cr(capsys, bank):
    heywood_case(bank)
    code, out, err = run(capsys, bank)
    assert code == 0, err
    loy = json.loads((bank.parent / "out" / "results.json").read_text(encoding="utf-8"))["constructs"]["LOY"]
    assert loy["omega"] is None and loy["cr"] is None


def test_row_numbers_in_every_output_are_the_file_lines(capsys, bank):
    blank_lines(bank)  # a blank line 5: every later respondent's line is one more than its data row
    code, out, err = run(capsys, bank, "--export-data")
    assert code == 0, err
    results = json.loads((bank.parent / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["n"]["row_numbers"] == "line numbers of satisfaction.csv (its header is line 1)"
    flagged = pd.read_csv(bank.parent / "out" / "flagged_respondents.csv")
    assert flagged[["row", "reason"]].values.tolist() == [[195, "straight-lining"]]  # data row 193
    exported = pd.read_csv(bank.parent / "out" / "analysed_data.csv", encoding="utf-8-sig")
    assert exported["row"].tolist() == [2, 3, 4] + list(range(6, 253))


# --- outputs ----------------------------------------------------------------------------------------

def test_an_output_that_is_the_data_file_is_refused_and_the_data_kept(capsys, bank):
    data = bank.parent / "data" / "satisfaction.csv"
    before = data.read_bytes()
    code, out, err = run(capsys, bank, "--data", data, "--out", bank.parent / "data", "--export-data",
                         bank.parent / "data" / "satisfaction.csv")
    assert code == 2
    assert "satisfaction.csv: this output would overwrite the data file" in err
    assert data.read_bytes() == before


def test_a_rerun_says_it_replaces_the_previous_report(capsys, bank):
    assert run(capsys, bank)[0] == 0
    code, out, err = main([str(bank), "--out", "out", "--bootstrap", "0"]), *capsys.readouterr()
    assert code == 0, err
    assert "Replaced the previous files of the same names in out (the previous report was written" in err


def test_a_failed_rerun_leaves_the_previous_report_whole(capsys, bank):
    assert run(capsys, bank)[0] == 0
    out = bank.parent / "out"
    (out / "tables.xlsx").unlink()
    (out / "tables.xlsx").mkdir()  # the third file of the report cannot be written
    (out / "tables.xlsx" / "keep.txt").write_text("x")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    replace(bank, "  straight_lining: flag", "  straight_lining: exclude")  # another report
    code, _, err = run(capsys, bank)
    assert code == 2 and "tables.xlsx: a folder of this name stands where the output goes" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # no new report.html
    assert not [p for p in out.iterdir() if p.name.startswith(".partial")]


def test_a_first_run_that_fails_leaves_no_output_folder(capsys, bank):
    (bank.parent / "logo.png").write_bytes(b"not an image")
    code, _, err = run(capsys, bank, "--audience", "client", "--logo", bank.parent / "logo.png", "--out", "new")
    assert code == 2
    assert not (bank.parent / "new").exists()


FORMULAS = ['=HYPERLINK("http://example.com","x")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-2+3", "-"]


def test_the_owasp_rule():
    from study.csvfiles import neutralize, neutralized

    assert [neutralize(v) for v in ["=1+1", "+1+1", "-A1", "@SUM(1)", "\tx", "\rx", "ok", "a=b"]] == [
        "'=1+1", "'+1+1", "'-A1", "'@SUM(1)", "'\tx", "'\rx", "ok", "a=b"]
    assert [neutralize(v) for v in ["-3", "+1.5", "-2e3", ".5", 7, None]] == ["-3", "+1.5", "-2e3", ".5", 7, None]
    frame = pd.DataFrame({"id": ["=x", None, "-1"], "n": [-1, 2, 3]})
    assert neutralized(frame).to_dict("list") == {"id": ["'=x", None, "-1"], "n": [-1, 2, 3]}


def test_formulas_are_neutralized_in_every_csv_written(capsys, bank):
    data = frame()
    data.insert(0, "rid", [f"R{i}" for i in range(1, 251)])
    data.loc[data.index[:6], "rid"] = FORMULAS  # ids come from respondents
    data.loc[data.index[:6], "sat1"] = np.nan  # excluded (incomplete)
    data.loc[data.index[6:12], "rid"] = FORMULAS  # repeated ids: flagged
    with_data(bank, data)
    replace(bank, "  file: data/satisfaction.csv\n", "  file: data/satisfaction.csv\n  id_column: rid\n")
    replace(bank, "  straight_lining: flag\n", "  straight_lining: flag\n  duplicates: {action: flag}\n")
    replace(bank, "{en: Overall satisfaction with the bank,", "{en: \"=HYPERLINK(\\\"http://x\\\")\",")
    code, out, err = run(capsys, bank, "--export-data")
    assert code == 0, err
    expected = ["'" + f for f in FORMULAS]
    excluded = pd.read_csv(bank.parent / "out" / "excluded_respondents.csv", dtype=str, keep_default_na=False)
    assert excluded["id"].tolist()[:6] == expected
    flagged = pd.read_csv(bank.parent / "out" / "flagged_respondents.csv", dtype=str, keep_default_na=False)
    assert flagged.loc[flagged["reason"] == "duplicate id", "id"].tolist() == expected
    codebook = pd.read_csv(bank.parent / "out" / "codebook.csv", dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    assert codebook.set_index("code").loc["sat1", "text_en"] == "'=HYPERLINK(\"http://x\")"
    exported = pd.read_csv(bank.parent / "out" / "analysed_data.csv", dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    assert exported["id"].tolist()[:6] == expected
    for path in (bank.parent / "out").glob("*.csv"):  # no cell anywhere starts a formula
        cells = pd.read_csv(path, dtype=str, keep_default_na=False, header=None,
                            encoding="utf-8-sig").to_numpy().ravel()
        assert not [c for c in cells if c[:1] in ("=", "@", "\t", "\r")], path


def test_the_analysed_data_export(capsys, bank):
    data = frame()
    data.loc[data.index[3], "sat2"] = np.nan  # line 5: excluded, incomplete
    with_data(bank, data)
    replace(bank, "{code: loy2, text:", "{code: loy2, reverse: true, text:")
    code, out, err = run(capsys, bank, "--export-data", "--export-data", bank.parent / "export" / "bank")
    assert code == 0, err
    from study.data import load_responses
    from study.questionnaire import load_study
    from study.report.scores import construct_scores

    study = load_study(bank)
    analysed = load_responses(study)
    csv = pd.read_csv(bank.parent / "export" / "bank.csv", encoding="utf-8-sig", keep_default_na=False,
                      na_values=[""])
    sav, meta = pyreadstat.read_sav(str(bank.parent / "export" / "bank.sav"))
    for table in (csv, sav):
        assert len(table) == 250 and table["row"].tolist() == list(range(2, 252))
        assert table["excluded"].sum() == 1 and table.loc[table["row"] == 5, "excluded"].item() == 1
        kept = table[table["excluded"] == 0].set_index("row")
        items = [i.code for i in study.items]
        assert np.allclose(kept[items].to_numpy(dtype=float), analysed.items[items].to_numpy())  # loy2 recoded
        scores = construct_scores(analysed.items, study)
        assert np.allclose(kept[list(scores.columns)].to_numpy(dtype=float), scores.to_numpy(), atol=1e-6)
    assert (csv["loy2"] == 10 - data["loy2"].to_numpy()).all()
    assert csv.loc[csv["row"] == 5, "exclusion_reason"].item() == "incomplete answers"
    assert csv.loc[csv["row"] == 194, "flag_reasons"].item() == "straight-lining"
    assert meta.column_names_to_labels["loy2"] == "I would stay even if another bank were a little cheaper (reverse-coded)"
    assert meta.variable_value_labels["sat1"][10.0] == "10 = very high"
    assert meta.variable_value_labels["gender"] == {1.0: "male: Male", 2.0: "female: Female"}
    assert meta.variable_value_labels["excluded"] == {0.0: "analysed", 1.0: "excluded"}
    assert meta.column_names_to_labels["SAT"] == "Satisfaction: mean of its items"
    codebook = pd.read_csv(bank.parent / "out" / "codebook.csv", encoding="utf-8-sig", keep_default_na=False)
    described = set(codebook.loc[codebook["kind"] == "analysed data", "column"])
    assert set(csv.columns) - {i.code for i in study.items} - {"gender"} == described


def test_the_summary_prints_a_long_title_unfolded_and_unmarked(capsys, bank):
    title = "网店顾客忠诚" * 2000 + "[bold]not markup[/bold]"
    replace(bank, "    en: Service quality, satisfaction, trust and loyalty of bank customers (ECSI survey)\n",
            f"    en: \"{title}\"\n")
    code = main([str(bank), "--out", "out", "--bootstrap", "0"])
    err = capsys.readouterr().err
    assert code == 0
    assert title in err.splitlines()  # one line, as written: rich folded long words in quadratic time
