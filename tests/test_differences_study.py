"""Group differences and item analysis inside a study: the ``differences:`` section of the study file (its
errors with their line), the guards on real answers (a group of 3, a constant outcome in one group, a question
answered with one level only, missing answers), merged levels, and what reaches the report and results.json.

The statistics themselves are checked against R in test_differences.py.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.analyses.chapter import differences_chapter, item_analysis_chapter
from study.cli import main
from study.data import load_responses
from study.questionnaire import load_study
from helpers import edit

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"

EXTRA_QUESTIONS = """
  - code: segment
    name: {en: Segment, zh: 客户类型}
    levels:
      - {code: a, label: {en: Private, zh: 个人}}
      - {code: b, label: {en: Business, zh: 企业}}
      - {code: c, label: {en: Premium, zh: 贵宾}}
  - code: branch
    name: {en: Branch, zh: 网点}
    levels:
      - {code: north, label: {en: North, zh: 北区}}
      - {code: south, label: {en: South, zh: 南区}}
  - code: top
    name: {en: Top box, zh: 满分组}
    levels:
      - {code: "yes", label: {en: Top, zh: 满分}}
      - {code: "no", label: {en: Other, zh: 其他}}
  - code: tier
    name: {en: Satisfaction tier, zh: 满意度层级}
    ordered: true
    levels:
      - {code: 1, label: {en: Low, zh: 低}}
      - {code: 2, label: {en: Middle, zh: 中}}
      - {code: 3, label: {en: High, zh: 高}}
  - code: band
    name: {en: Age band, zh: 年龄段}
    ordered: true
    levels:
      - {code: 1, label: {en: Under 30, zh: 30岁以下}}
      - {code: 2, label: {en: 30-44, zh: 30–44岁}}
      - {code: 3, label: {en: 45-59, zh: 45–59岁}}
      - {code: 4, label: {en: 60 or older, zh: 60岁及以上}}
"""


@pytest.fixture
def bank(tmp_path, monkeypatch) -> Path:
    """The bank study with four more background questions in its data:
    segment: 240 a / 7 b / 3 c (a group of 3, and one of 7); branch: everybody 'north';
    top: 'yes' for the respondents with sat1 = 10 (so sat1 is constant in that group), else 'no', 5 unanswered;
    band: four age bands of about 62 each; tier: thirds of the satisfaction score (SAT differs by design)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    data = pd.read_csv(BANK_DATA, index_col=0)
    n = len(data)
    data["segment"] = ["a"] * (n - 10) + ["b"] * 7 + ["c"] * 3
    data["branch"] = "north"
    data["top"] = np.where(data["sat1"] == 10, "yes", "no").astype(object)
    data.loc[data.index[:5], "top"] = None
    data["band"] = (np.arange(n) % 4) + 1
    data["tier"] = pd.qcut(data[["sat1", "sat2", "sat3", "sat4"]].mean(axis=1).rank(method="first"), 3,
                           labels=[1, 2, 3]).astype(int)
    data.to_csv(tmp_path / "data" / "satisfaction.csv", index=False)
    study = tmp_path / "bank.yaml"
    shutil.copy(BANK, study)
    edit(study, "\nscreening:", EXTRA_QUESTIONS + "\nscreening:")
    return study


def add_section(study: Path, text: str) -> None:
    study.write_text(study.read_text(encoding="utf-8") + "\ndifferences:\n" + text, encoding="utf-8")


def user_error(capsys, study: Path) -> str:
    code = main([str(study), "--out", "out", "--bootstrap", "0", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err, err
    return err


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    return text[:text.index(needle)].count("\n") + 1


# ---------------------------------------------------------------- the study file

@pytest.mark.parametrize("section,needle,message", [
    ("  outcomes: [SAT, LOYX]\n", "outcomes:",
     "differences.outcomes.1: differences.outcomes: 'LOYX' is neither a construct nor an item (did you mean 'LOY'?)"),
    ("  by: [gendr]\n", "by:", "differences.by.0: differences.by: 'gendr' is not a background question "
                               "(did you mean 'gender'?)"),
    ("  by: [gender, gender]\n", "by:", "differences.by.1: differences.by: gender is listed twice"),
    ("  merge:\n    band:\n      - levels: [3, 5]\n", "levels: [3, 5]",
     "differences.merge.band.0.levels.1: differences.merge.band: 5 is not a level of band (its levels: 1, 2, 3, 4)"),
    ("  merge:\n    band:\n      - levels: [3, 4]\n      - levels: [2, 3]\n", "levels: [2, 3]",
     "differences.merge.band.1.levels.1: differences.merge.band: level 3 is already merged in group 1"),
    ("  merge:\n    bands:\n      - levels: [3, 4]\n", "bands:",
     "differences.merge.bands: differences.merge: 'bands' is not a background question (did you mean 'band'?)"),
    ("  posthoc: duncan\n", "posthoc:", "differences.posthoc: Input should be 'auto', 'tukey', 'games-howell', "
                                        "'bonferroni', 'lsd' or 'scheffe'"),
    ("  nonparametric: yes\n", "nonparametric:", "differences.nonparametric: Input should be 'auto', 'always' or 'never'"),
    ("  min_group_size: 1\n", "min_group_size:", "differences.min_group_size: Input should be greater than or equal to 2"),
    ("  levene: trimmed\n", "levene:", "differences.levene: Input should be 'mean' or 'median'"),
    ("  post_hoc: tukey\n", "post_hoc:", "differences.post_hoc: unknown key (did you mean 'posthoc'?)"),
])
def test_study_file_errors_name_the_key_and_line(capsys, bank, section, needle, message):
    add_section(bank, section)
    line = line_of(bank, needle) if bank.read_text().count(needle) == 1 else None
    err = user_error(capsys, bank)
    assert message in err
    if line is not None:
        assert f"bank.yaml, line {line}: " in err


def test_numeric_question_cannot_group(capsys, bank):
    edit(bank, "  - code: branch\n", "  - code: years\n    type: numeric\n  - code: branch\n")
    add_section(bank, "  by: [years]\n")
    err = user_error(capsys, bank)
    assert "differences.by: 'years' is a numeric question" in err


def test_posthoc_names_are_read_like_people_write_them(bank):
    add_section(bank, "  posthoc: Games_Howell\n")
    assert load_study(bank).differences.posthoc == "games-howell"


# ---------------------------------------------------------------- the guards on real answers

def chapter_of(study_path: Path):
    study = load_study(study_path)
    data = load_responses(study)
    return study, data, differences_chapter(study, data.items, data.background)


def test_default_questions_outcomes_and_guards(bank):
    study, data, chapter = chapter_of(bank)
    assert chapter.outcomes == ("QUAL", "SAT", "TRUST", "LOY")
    by = {g.code: g for g in chapter.groupings}
    # every categorical question with 2-12 levels; branch has 2 levels listed but one answered
    assert list(by) == ["gender", "segment", "branch", "top", "tier", "band"]

    segment = by["segment"]  # 240 / 7 / 3: two groups below 10 → one group left → skipped with the reason
    assert all(r.skipped is not None for r in segment.results)
    assert "needs at least two groups of at least 10" in segment.results[0].skipped
    assert "Private: 240, Business: 7, Premium: 3" in segment.results[0].skipped
    assert "个人 240 人，企业 7 人，贵宾 3 人" in segment.results[0].skipped.zh
    assert any("Business (n = 7), Premium (n = 3) have fewer than 10" in n for n in segment.notes)

    branch = by["branch"]  # all answers in one level
    assert all(r.skipped is not None for r in branch.results)
    assert any("nobody chose South" in n for n in branch.notes)
    assert any("无人选择“南区”" in n.zh for n in branch.notes)

    top = by["top"]  # sat1 = 10 for everybody in "yes": constant outcome there only for the item
    assert all(r.kind == "t" for r in top.results)
    assert any("5 respondent(s) did not answer Top box" in n for n in top.notes)
    assert top.results[0].groups["n"].sum() == len(data.items) - 5

    band = by["band"]
    assert band.ordered and all(r.trend is not None for r in band.results)
    assert all(r.kind == "anova" and r.posthoc is not None for r in band.results)


def test_constant_outcome_in_one_group_is_said_and_not_invented(bank):
    add_section(bank, "  outcomes: [sat1, SAT]\n  by: [top]\n")
    study, data, chapter = chapter_of(bank)
    (top,) = chapter.groupings
    sat1, sat = top.results
    assert sat1.constant_groups == ("yes",)
    assert any("sat1 does not vary within Top (all 10)" in n for n in top.notes)
    assert np.isnan(sat1.groups.loc["yes", "skewness"]) and sat1.normal is False
    assert sat1.show_nonparametric  # auto: normality cannot hold in a constant group
    assert sat.constant_groups == ()


def test_one_group_of_three_with_a_lower_minimum_is_still_not_tested(bank):
    add_section(bank, "  by: [segment]\n  min_group_size: 5\n")
    _, _, chapter = chapter_of(bank)
    (segment,) = chapter.groupings
    r = segment.results[0]
    assert r.kind == "t" and r.levels == ("a", "b") and r.small_groups == ("c",)
    assert r.groups.loc["c", "n"] == 3


def test_merged_levels_form_one_group(bank):
    add_section(bank, "  by: [band]\n  merge:\n    band:\n      - levels: [3, 4]\n"
                      "        label: {en: 45 or older, zh: 45岁及以上}\n")
    _, _, chapter = chapter_of(bank)
    (band,) = chapter.groupings
    assert band.levels == ("1", "2", "3") and band.merged == {"3": ("3", "4")}
    assert str(band.level_names["3"]) == "45 or older" and band.level_names["3"].zh == "45岁及以上"
    r = band.results[0]
    assert list(r.groups["n"]) == [63, 63, 124]


def test_merged_levels_without_a_label_join_theirs(bank):
    add_section(bank, "  by: [band]\n  merge:\n    band:\n      - levels: [3, 4]\n")
    _, _, chapter = chapter_of(bank)
    assert str(chapter.groupings[0].level_names["3"]) == "45-59/60 or older"
    assert chapter.groupings[0].level_names["3"].zh == "45–59岁/60岁及以上"


def test_no_groupings_when_by_is_empty(bank):
    add_section(bank, "  by: []\n")
    _, _, chapter = chapter_of(bank)
    assert chapter.groupings == ()


def test_item_analysis_of_each_scale_of_the_model(bank):
    study, data, _ = chapter_of(bank)
    analyses, notes = item_analysis_chapter(study, data.items)
    assert list(analyses) == ["QUAL", "SAT", "TRUST", "LOY"] and notes == []
    assert list(analyses["SAT"].table.index) == ["sat1", "sat2", "sat3", "sat4"]


# ---------------------------------------------------------------- report and results.json

def test_report_and_results_json(bank):
    add_section(bank, "  outcomes: [SAT, LOY]\n  by: [gender, band, segment]\n  nonparametric: always\n")
    code = main([str(bank), "--out", "out", "--bootstrap", "0", "--quiet"])
    assert code == 0
    results = json.loads(Path("out/results.json").read_text(encoding="utf-8"))
    diff = results["differences"]
    assert diff["outcomes"] == ["SAT", "LOY"] and [b["question"] for b in diff["by"]] == ["gender", "band", "segment"]
    gender = diff["by"][0]["outcomes"]["SAT"]
    assert gender["kind"] == "t" and gender["test"] == "student"
    assert set(gender["t_test"]) == {"student", "welch", "cohen_d", "hedges_g"}
    assert gender["levene_mean"]["center"] == "mean" and gender["levene_median"]["center"] == "median"
    band = diff["by"][1]["outcomes"]["LOY"]
    assert band["kind"] == "anova" and band["posthoc"]["method"] in ("tukey", "games-howell")
    assert len(band["posthoc"]["pairs"]) == 6 and band["trend"] is not None and len(band["dunn"]) == 6
    assert "was not tested" in diff["by"][2]["outcomes"]["SAT"]["skipped"]
    items = results["item_analysis"]
    assert set(items) == {"QUAL", "SAT", "TRUST", "LOY"}
    assert items["SAT"]["items"]["sat1"]["keep"] is True
    assert items["SAT"]["sources"]["critical_ratio"] == "吴明隆 (2010)"
    html = Path("out/report.html").read_text(encoding="utf-8")
    assert "Group differences" in html and "Item analysis" in html
    assert "Differences in the construct scores by gender" in html
    assert "Mann–Whitney p" in html  # nonparametric: always
    assert html.count('class="figure"') >= 2  # a means plot per tested question (+ the path diagram)


def test_chinese_report_section(bank):
    add_section(bank, "  by: [gender, band]\n")
    code = main([str(bank), "--out", "out", "--bootstrap", "0", "--quiet", "--lang", "zh"])
    assert code == 0
    html = Path("out/report.html").read_text(encoding="utf-8")
    assert "差异分析" in html and "项目分析" in html
    assert "不同性别在各构念上的差异分析" in html and "不同年龄段在各构念上的差异分析" in html
    assert "以 Levene 检验（以均值为中心，与 SPSS 相同）" in html


def test_text_names_what_is_significant_and_how_large(bank):
    add_section(bank, "  outcomes: [SAT, LOY, sat1]\n  by: [gender, top, tier]\n")
    assert main([str(bank), "--out", "out", "--bootstrap", "0", "--quiet", "--lang", "en"]) == 0
    html = Path("out/report.html").read_text(encoding="utf-8")
    section = unescape(html[html.index('id="differences"'):html.index('id="fit"')])
    assert "None of the 3 scores differs significantly by gender (<i>p</i> from 0.059 to 0.117)." in section
    section = re.sub(r"</?i>", "", section)  # italic statistical symbols
    assert "Satisfaction differs by top box (Welch's t(66.63) = 13.78, p < 0.001, d = 1.56, a large effect): " \
           "higher in Top (M = 8.97) than in Other (M = 6.56)." in section
    assert "Satisfaction differs by satisfaction tier (Welch's F(2, 135.71) = 242.74, p < 0.001, " \
           "η² = 0.689, a large effect); Games–Howell finds Middle > Low, High > Low, High > Middle" in section
    # Levene's test rejects for the tiers: the trend contrast uses each group's own variance (Welch df)
    assert ("Satisfaction tends to be higher in the higher satisfaction tier groups (linear trend t(113.42) = 19.43, "
            "p < 0.001, without assuming equal variances).") in section
    # sat1 is 10 for everybody in Top: normality fails there, so the rank test is reported with its verdict
    assert "sat1: U = 5886.0, p < 0.001, r = 1.000, in line with the parametric test" in section
    assert "Post-hoc comparisons by satisfaction tier (Games–Howell)" in section
