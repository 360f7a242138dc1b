"""Screening rules of issue 15: straight-lining judged on the items a respondent answered (the same verdict
under listwise deletion and FIML), repeated submissions found by identical answers or by declared columns
(an IP address), items that are copies of each other, and a sparse item under FIML named.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from study.data import load_responses
from study.questionnaire import StudyError, load_study

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
ITEMS = ["qual1", "qual2", "qual3", "qual4", "qual5", "sat1", "sat2", "sat3", "sat4",
         "imag1", "imag2", "imag3", "imag4", "imag5", "loy1", "loy2", "loy3", "loy4"]


def make_study(tmp_path: Path, frame: pd.DataFrame, name: str = "study.yaml", **sections) -> Path:
    doc = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    data_file = tmp_path / "answers.csv"
    frame.to_csv(data_file, index=False)
    doc["data"]["file"] = str(data_file)
    for key, value in sections.items():
        doc[key] = {**doc.get(key, {}), **value} if isinstance(value, dict) else value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bank() -> pd.DataFrame:
    return pd.read_csv(BANK_DATA, index_col=0).reset_index(drop=True).astype(object)


# --- straight-lining -------------------------------------------------------------------------------

def straight_liners(tmp_path) -> pd.DataFrame:
    frame = bank()
    frame.loc[10, ITEMS] = 7  # line 12: a straight-liner who answered every item
    frame.loc[20, ITEMS] = 5
    frame.loc[20, "sat3"] = ""  # line 22: a straight-liner who skipped one item
    frame.loc[30, ITEMS[:4]] = 6
    frame.loc[30, ITEMS[4:]] = ""  # line 32: four answers only, all 6 (too few to judge)
    return frame


@pytest.mark.parametrize("missing", ["listwise", "fiml"])
def test_straight_lining_is_judged_on_the_answered_items_the_same_under_listwise_and_fiml(tmp_path, missing):
    path = make_study(tmp_path, straight_liners(tmp_path), screening={"straight_lining": "exclude"},
                      model={"missing": missing})
    data = load_responses(load_study(path))
    straight = data.excluded[data.excluded["reason"] == "straight-lining"].set_index("row")["detail"]
    straight = straight.str.replace("; also incomplete answers", "").to_dict()  # listwise: also incomplete
    assert straight == {12: "every item answered 7", 22: "all 17 answered items answered 5 (1 unanswered)",
                        194: "every item answered 10"}
    assert 32 not in straight  # 4 of 18 answered: fewer than the minimum (half of the items)
    assert any("3 respondent(s) gave the same answer to every construct item they answered" in n and
               "1 of them left items unanswered (at least 9 of the 18 items answered count)" in n for n in data.notes)


def test_the_minimum_number_of_answers_is_configurable(tmp_path):
    path = make_study(tmp_path, straight_liners(tmp_path),
                      screening={"straight_lining": {"action": "flag", "minimum_answered": 4}}, model={"missing": "fiml"})
    data = load_responses(load_study(path))
    flagged = data.flagged[data.flagged["reason"] == "straight-lining"]["row"].tolist()
    assert flagged == [12, 22, 32, 194]


def test_minimum_answered_is_validated(tmp_path):
    path = make_study(tmp_path, bank(), screening={"straight_lining": {"action": "exclude", "minimum_answered": 1}})
    with pytest.raises(StudyError, match="screening.straight_lining.*minimum_answered"):
        load_study(path)


# --- repeated submissions ------------------------------------------------------------------------------

def test_identical_answer_vectors_are_repeated_submissions(tmp_path):
    frame = bank()
    frame.insert(0, "rid", [f"R{i}" for i in range(1, 251)])  # a resubmission gets a new id
    frame.loc[100, ITEMS] = frame.loc[5, ITEMS].to_numpy()  # line 102 repeats line 7
    frame.loc[101, ITEMS] = frame.loc[5, ITEMS].to_numpy()
    frame.loc[101, "loy4"] = ""  # line 103 differs by an unanswered item: not identical
    frame.loc[[150, 151], ITEMS] = 8  # two identical straight-liners: left to the straight-lining rule
    path = make_study(tmp_path, frame, data={"id_column": "rid"}, screening={
        "straight_lining": "flag", "duplicates": {"action": "exclude", "identical_answers": True}})
    data = load_responses(load_study(path))
    repeated = data.excluded[data.excluded["reason"] == "duplicate answers"]
    assert repeated[["row", "id", "detail"]].values.tolist() == [
        [102, "R101", "the same answer to every construct item as line 7"]]
    assert any("1 respondent(s) gave the same answer to every construct item as an earlier respondent "
               "(straight-liners aside); the first occurrence is kept: line 102 = line 7" in n for n in data.notes)


def test_declared_columns_find_repeated_submissions(tmp_path):
    frame = bank()
    frame["ip"] = [f"10.0.0.{i}" for i in range(250)]
    frame["device"] = "phone"
    frame.loc[40, "ip"] = "10.0.0.3"  # line 42: the ip of line 5
    frame.loc[60, ["ip", "device"]] = ["10.0.0.3", "tablet"]  # same ip, another device
    frame.loc[70, "ip"] = ""  # no ip: not compared
    path = make_study(tmp_path, frame, screening={"duplicates": {"columns": ["ip"], "action": "flag"}})
    data = load_responses(load_study(path))
    flagged = data.flagged[data.flagged["reason"] != "straight-lining"]
    assert flagged[["row", "reason", "detail"]].values.tolist() == [
        [42, "duplicate id", "ip 10.0.0.3 repeats line 5"], [62, "duplicate id", "ip 10.0.0.3 repeats line 5"]]
    both = make_study(tmp_path, frame, name="both.yaml",
                      screening={"duplicates": {"columns": ["ip", "device"], "action": "exclude"}})
    data = load_responses(load_study(both))
    assert data.excluded[["row", "detail"]].values.tolist() == [[42, "ip + device 10.0.0.3 / phone repeats line 5"]]


def test_duplicates_need_something_to_compare(tmp_path):
    path = make_study(tmp_path, bank(), screening={"duplicates": {"action": "exclude"}})
    with pytest.raises(StudyError, match="set data.id_column, screening.duplicates.columns"):
        load_study(path)
    path = make_study(tmp_path, bank(), name="item.yaml", screening={"duplicates": {"columns": ["sat1"]}})
    with pytest.raises(StudyError, match="'sat1' is read by item sat1; use identical_answers"):
        load_study(path)


def test_identical_answers_expected_by_chance_are_warned_about(tmp_path):
    doc = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.integers(1, 3, size=(400, 4)), columns=["a1", "a2", "b1", "b2"])
    data_file = tmp_path / "few.csv"
    frame.to_csv(data_file, index=False)
    doc.update(data={"file": str(data_file)}, scale={"min": 1, "max": 2},
               constructs=[{"code": "A", "items": [{"code": "a1"}, {"code": "a2"}]},
                           {"code": "B", "items": [{"code": "b1"}, {"code": "b2"}]}],
               background=[], screening={"straight_lining": "off",
                                         "duplicates": {"identical_answers": True, "action": "flag"}},
               model={"hypotheses": [{"id": "H1", "from": "A", "to": "B"}]})
    path = tmp_path / "few.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    data = load_responses(load_study(path))
    assert any("with 4 construct items, about" in w and "would give identical answers by chance" in w
               for w in data.warnings)


# --- items that cannot be analysed ---------------------------------------------------------------------

def test_two_identical_items_are_named(tmp_path):
    frame = bank()
    frame["qual2"] = frame["qual1"]
    message = str(pytest.raises(StudyError, load_responses, load_study(make_study(tmp_path, frame))).value)
    assert "item(s) qual1 and qual2 (columns 'qual1', 'qual2', r = 1.000) have the same answers for every analysed " \
           "respondent" in message
    assert "A column was probably copied or mapped twice" in message


def test_a_sparse_item_under_fiml_is_named(tmp_path):
    frame = bank()
    frame.loc[12:, "loy2"] = ""  # loy2 answered by the first 12 respondents only
    path = make_study(tmp_path, frame, model={"missing": "fiml"})
    message = str(pytest.raises(StudyError, load_responses, load_study(path)).value)
    assert "only 12 of the 250 analysed respondents answered every item" in message
    assert "The items answered least often: loy2 (column 'loy2'): 12 of 250 (5%)" in message


def test_low_pairwise_coverage_under_fiml_is_a_warning(tmp_path):
    frame = pd.concat([bank()] * 4, ignore_index=True)  # 1000 respondents
    frame.loc[40:, "loy2"] = ""  # loy2 answered by 40 of them: 4 % of every pair with it
    data = load_responses(load_study(make_study(tmp_path, frame, model={"missing": "fiml"})))
    assert any("17 pair(s) of items were answered together by fewer than 10 % of the respondents" in w and
               "loy2 (column 'loy2'): 40 of 1000 (4%)" in w for w in data.warnings)
