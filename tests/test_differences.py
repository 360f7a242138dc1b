"""Group differences (差异分析) and item analysis (项目分析) against R, and their guards.

Reference: tests/reference/differences_reference.json, written by
tests/reference/make_differences_reference.R (base R t.test, oneway.test, aov + TukeyHSD, kruskal.test,
wilcox.test; car::leveneTest with both centres; emmeans for LSD / Bonferroni / Scheffé / Tukey; rstatix
games_howell_test and dunn_test; effectsize for d, g, η², ω², ε², rank-biserial r; Brown–Forsythe from
its formula). Data: the bank ECSI survey by gender (questionnaires/data/satisfaction.csv) and a fixed copy
of the default study's construct scores with gender, shopping frequency (4 levels) and age band
(5 levels): tests/reference/differences_scores.csv. Agreement: 3 decimals.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.analyses import (
    brown_forsythe,
    dunn_test,
    group_difference,
    kruskal_wallis,
    levene_test,
    linear_trend,
    mann_whitney,
    oneway_anova,
    posthoc_test,
    two_group_test,
    welch_anova,
)
from study.measurement import item_analysis
from study.messages import Message

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests/reference/differences_reference.json").read_text())
ATOL = 5e-4  # three decimals

BANK_SCALES = {"QUAL": [f"qual{i}" for i in range(1, 6)], "SAT": [f"sat{i}" for i in range(1, 5)],
               "TRUST": [f"imag{i}" for i in range(1, 6)], "LOY": [f"loy{i}" for i in range(1, 5)]}


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv")


@pytest.fixture(scope="module")
def bank_scores(bank) -> pd.DataFrame:
    scores = pd.DataFrame({k: bank[v].mean(axis=1) for k, v in BANK_SCALES.items()})
    scores["gender"] = bank["gender"]
    return scores


@pytest.fixture(scope="module")
def shop() -> pd.DataFrame:
    return pd.read_csv(ROOT / "tests/reference/differences_scores.csv", dtype=str).pipe(
        lambda d: d.astype({c: float for c in ["DES", "INFO", "RESP", "FUL", "SAT", "TRUST", "LOY", "QUAL"]}))


def close(ours, theirs, atol=ATOL):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=0, atol=atol)


def samples(data: pd.DataFrame, outcome: str, grouping: str, levels: list[str]) -> dict:
    return {lv: data.loc[data[grouping] == lv, outcome].to_numpy() for lv in levels}


# ---------------------------------------------------------------- two groups
def check_two_groups(result, ref):
    for level, row in ref["groups"].items():
        g = result.groups.loc[level]
        assert g["n"] == row["n"]
        close([g["mean"], g["sd"], g["ci_lower"], g["ci_upper"]],
              [row["mean"], row["sd"], row["ci_lower"], row["ci_upper"]])
    t = result.t_test
    for form, ours in (("student", t.student), ("welch", t.welch)):
        r = ref[form]
        close([ours.t, ours.df, ours.pvalue, ours.difference, ours.se, ours.ci_lower, ours.ci_upper],
              [r["t"], r["df"], r["p"], r["difference"], r["se"], r["ci_lower"], r["ci_upper"]])
    for center in ("mean", "median"):
        lev, r = getattr(result, f"levene_{center}"), ref[f"levene_{center}"]
        assert lev.center == center and (lev.df1, lev.df2) == (r["df1"], r["df2"])
        close([lev.statistic, lev.pvalue], [r["f"], r["p"]])
    close([t.cohen_d, t.hedges_g], [ref["cohen_d"], ref["hedges_g"]])
    mw, r = result.mann_whitney, ref["mann_whitney"]
    close([mw.u, mw.pvalue, mw.rank_biserial], [r["u"], r["p"], r["rank_biserial"]])


@pytest.mark.parametrize("scale", list(BANK_SCALES))
def test_bank_by_gender_equals_r(bank_scores, scale):
    result = group_difference(bank_scores[scale], bank_scores["gender"], outcome=scale, grouping="gender",
                              levels=["male", "female"])
    assert result.kind == "t" and result.skipped is None
    check_two_groups(result, REF["bank"][scale]["gender"])


@pytest.mark.parametrize("scale", ["SAT", "TRUST", "LOY", "QUAL"])
def test_default_study_by_gender_equals_r(shop, scale):
    result = group_difference(shop[scale], shop["gender"], levels=["1", "2"])
    check_two_groups(result, REF["shop"][scale]["gender"])


def test_the_test_to_read_follows_levene(bank_scores):
    result = group_difference(bank_scores["SAT"], bank_scores["gender"], levels=["male", "female"])
    assert result.equal_variances is True  # Levene (mean) p = .40
    assert result.test is result.t_test.student
    assert result.effect_size == ("d", result.t_test.cohen_d)
    assert result.significant is False  # p = .059


# ---------------------------------------------------------------- three or more groups
def check_more_groups(result, ref, levels):
    for level, row in ref["groups"].items():
        g = result.groups.loc[level]
        assert g["n"] == row["n"]
        close([g["mean"], g["sd"], g["ci_lower"], g["ci_upper"]],
              [row["mean"], row["sd"], row["ci_lower"], row["ci_upper"]])
    a, r = result.anova, ref["anova"]
    assert (a.f_test.df1, a.f_test.df2) == (r["df1"], r["df2"])
    close([a.f_test.f, a.f_test.pvalue, a.ss_between, a.ss_within], [r["f"], r["p"], r["ss_between"], r["ss_within"]])
    close([a.eta2, a.omega2], [ref["eta2"], ref["omega2"]])
    for ours, r in ((result.welch, ref["welch"]), (result.brown_forsythe, ref["brown_forsythe"])):
        close([ours.f, ours.df1, ours.df2, ours.pvalue], [r["f"], r["df1"], r["df2"], r["p"]])
    for center in ("mean", "median"):
        lev, r = getattr(result, f"levene_{center}"), ref[f"levene_{center}"]
        close([lev.statistic, lev.df1, lev.df2, lev.pvalue], [r["f"], r["df1"], r["df2"], r["p"]])
    k = result.kruskal
    close([k.h, k.df, k.pvalue, k.epsilon2], [ref["kruskal"]["h"], ref["kruskal"]["df"], ref["kruskal"]["p"],
                                                ref["kruskal"]["epsilon2"]])
    # rstatix: z of group2 against group1 (ours: a against b)
    assert list(result.dunn["a"]) == ref["dunn"]["group1"] and list(result.dunn["b"]) == ref["dunn"]["group2"]
    close(-result.dunn["z"], ref["dunn"]["z"])
    close(result.dunn["p_unadjusted"], ref["dunn"]["p"])
    close(result.dunn["pvalue"], ref["dunn"]["p_adj"])


def check_posthoc(data, outcome, grouping, levels, ref):
    s = samples(data, outcome, grouping, levels)
    for method, key in (("tukey", "tukey"), ("lsd", "lsd"), ("bonferroni", "bonferroni"), ("scheffe", "scheffe")):
        table, r = posthoc_test(s, method).table, ref[key]
        assert [f"g{a} - g{b}" for a, b in zip(table["a"], table["b"])] == r["contrast"]
        close(table["difference"], r["difference"])
        close(table["se"], r["se"])
        close(table["statistic"], r["t"])
        close(table["df"], r["df"])
        close(table["pvalue"], r["p"])
        close(table["ci_lower"], r["ci_lower"])
        close(table["ci_upper"], r["ci_upper"])
    # TukeyHSD: pairs "b-a" with difference mean_b − mean_a
    tukey, r = posthoc_test(s, "tukey").table, ref["tukey_hsd"]
    assert [f"{b}-{a}" for a, b in zip(tukey["a"], tukey["b"])] == r["pair"]
    close(-tukey["difference"], r["difference"])
    close(-tukey["ci_upper"], r["ci_lower"])
    close(-tukey["ci_lower"], r["ci_upper"])
    close(tukey["pvalue"], r["p"])
    # rstatix games_howell_test: estimate = mean(group2) − mean(group1); it rounds p to 3 decimals
    gh, r = posthoc_test(s, "games-howell").table, ref["games_howell"]
    assert list(gh["a"]) == r["group1"] and list(gh["b"]) == r["group2"]
    close(-gh["difference"], r["estimate"])
    close(-gh["ci_upper"], r["ci_lower"])
    close(-gh["ci_lower"], r["ci_upper"])
    close(gh["pvalue"], r["p"], atol=5e-4 + 1e-12)


@pytest.mark.parametrize("scale", ["SAT", "TRUST", "LOY", "QUAL"])
@pytest.mark.parametrize("grouping,levels", [("frequency", ["1", "2", "3", "4"]),
                                             ("age", ["1", "2", "3", "4", "5"])])
def test_default_study_anova_equals_r(shop, scale, grouping, levels):
    ref = REF["shop"][scale][grouping]
    result = group_difference(shop[scale], shop[grouping], levels=levels, ordered=True)
    assert result.kind == "anova"
    check_more_groups(result, ref, levels)
    check_posthoc(shop, scale, grouping, levels, ref)
    t = result.trend  # the pooled contrast, or without equal variances when Levene's test rejects
    r = ref["trend"] if t.equal_var else ref["trend_welch"]
    assert t.equal_var == result.equal_variances
    close([t.estimate, t.se, t.t, t.pvalue], [r["estimate"], r["se"], r["t"], r["p"]])
    w = linear_trend({k: v for k, v in shop.groupby(grouping)[scale]}, equal_var=False)
    rw = ref["trend_welch"]
    close([w.estimate, w.se, w.t, w.df, w.pvalue], [rw["estimate"], rw["se"], rw["t"], rw["df"], rw["p"]])


def test_trend_keeps_the_positions_of_the_levels_left(shop):
    """With a level nobody is in (here age band 3 removed), the trend uses positions 1, 2, 4, 5 as
    R's contr.poly(4, scores = c(1, 2, 4, 5))."""
    data = shop[shop["age"] != "3"]
    result = group_difference(data["SAT"], data["age"], levels=["1", "2", "3", "4", "5"], ordered=True)
    assert result.empty_levels == ("3",)
    assert result.trend.scores == (1.0, 2.0, 4.0, 5.0)
    ref = REF["shop"]["SAT"]["age_without_3"]
    r = ref["trend"] if result.trend.equal_var else ref["trend_welch"]
    close([result.trend.estimate, result.trend.se, result.trend.t, result.trend.pvalue],
          [r["estimate"], r["se"], r["t"], r["p"]])
    check_more_groups(result, ref, ["1", "2", "4", "5"])


def test_negative_omega_squared_is_reported_as_zero_like_effectsize(shop):
    result = oneway_anova(samples(shop, "SAT", "frequency", ["1", "2", "3", "4"]))
    assert REF["shop"]["SAT"]["frequency"]["omega2"] == 0 and result.omega2 == 0.0


def test_positive_omega_squared_formula():
    s = {"1": [1, 2, 3, 2], "2": [2, 3, 4, 3], "3": [5, 6, 7, 6]}
    a = oneway_anova(s)
    # SSb = 4·(2 − 11/3)² + 4·(3 − 11/3)² + 4·(6 − 11/3)² = 34.667, SSw = 6, MSw = 6/9
    close([a.ss_between, a.ss_within, a.eta2, a.omega2],
          [104 / 3, 6.0, (104 / 3) / (104 / 3 + 6), (104 / 3 - 2 * 6 / 9) / (104 / 3 + 6 + 6 / 9)], atol=1e-12)


def test_auto_posthoc_follows_levene():
    rng = np.random.default_rng(4)
    equal = {g: rng.normal(m, 1, 40) for g, m in zip("abc", (0, 0.5, 1))}
    unequal = {g: rng.normal(m, sd, 40) for g, m, sd in zip("abc", (0, 0.5, 1), (0.3, 1, 3))}
    for data, method in ((equal, "tukey"), (unequal, "games-howell")):
        y = np.concatenate(list(data.values()))
        g = np.repeat(list(data), 40)
        r = group_difference(y, g)
        assert r.posthoc.method == method and r.posthoc.chosen_by == "levene"
        assert r.equal_variances is (method == "tukey")
        assert r.test is (r.anova.f_test if method == "tukey" else r.welch)
        forced = group_difference(y, g, posthoc="scheffe")
        assert forced.posthoc.method == "scheffe" and forced.posthoc.chosen_by == "user"


def test_levene_centre_that_decides_is_the_one_asked_for():
    rng = np.random.default_rng(11)
    y = np.concatenate([rng.normal(0, 1, 30), rng.exponential(2.5, 30)])
    g = ["a"] * 30 + ["b"] * 30
    mean = group_difference(y, g, levene_center="mean")
    median = group_difference(y, g, levene_center="median")
    assert mean.levene_center == "mean" and median.levene_center == "median"
    assert mean.equal_variances == (mean.levene_mean.pvalue >= 0.05)
    assert median.equal_variances == (median.levene_median.pvalue >= 0.05)


def test_nonparametric_option():
    rng = np.random.default_rng(2)
    skewed = np.concatenate([rng.exponential(1, 40) ** 3, rng.exponential(1, 40) ** 3])
    g = ["a"] * 40 + ["b"] * 40
    auto = group_difference(skewed, g)
    assert auto.normal is False and auto.show_nonparametric and auto.mann_whitney is not None
    assert not group_difference(skewed, g, nonparametric="never").show_nonparametric
    assert group_difference(skewed, g, nonparametric="never").mann_whitney is None
    normal = rng.normal(size=80)
    assert group_difference(normal, g).normal is True and not group_difference(normal, g).show_nonparametric
    assert group_difference(normal, g, nonparametric="always").show_nonparametric


def test_mann_whitney_exact_without_ties_like_r():
    ref = REF["mann_whitney_exact"]
    r = mann_whitney({"x": ref["x"], "y": ref["y"]})
    assert r.exact
    close([r.u, r.pvalue, r.rank_biserial], [ref["u"], ref["p"], ref["rank_biserial"]], atol=1e-10)


def test_statistic_functions_agree_with_group_difference(shop):
    s = samples(shop, "LOY", "frequency", ["1", "2", "3", "4"])
    r = group_difference(shop["LOY"], shop["frequency"], levels=["1", "2", "3", "4"], ordered=True)
    assert levene_test(s, "median") == r.levene_median
    assert welch_anova(s) == r.welch and brown_forsythe(s) == r.brown_forsythe
    assert kruskal_wallis(s) == r.kruskal
    pd.testing.assert_frame_equal(dunn_test(s), r.dunn)
    assert linear_trend(s) == r.trend
    assert two_group_test({k: s[k] for k in ("1", "2")}).student.df == len(s["1"]) + len(s["2"]) - 2


# ---------------------------------------------------------------- guards
def test_a_group_of_three_is_described_and_left_out_with_a_note():
    rng = np.random.default_rng(5)
    y = np.concatenate([rng.normal(0, 1, 40), rng.normal(0.5, 1, 40), [1.0, 2.0, 3.0]])
    g = ["a"] * 40 + ["b"] * 40 + ["c"] * 3
    r = group_difference(y, g, outcome="SAT", grouping="income", levels=["a", "b", "c"],
                         level_names={"c": Message("High", "高")})
    assert r.small_groups == ("c",) and r.levels == ("a", "b")
    assert r.groups.loc["c", "n"] == 3 and not r.groups.loc["c", "included"]
    assert r.kind == "t"  # the two groups left are compared by t, not by ANOVA
    note = next(n for n in r.notes if "fewer than 10" in n)
    assert "High (n = 3)" in note and "高（n = 3）" in note.zh
    assert r.t_test.student.df == 78


def test_a_question_with_one_group_left_is_skipped_with_the_reason():
    y = np.arange(50, dtype=float)
    r = group_difference(y, ["m"] * 50, outcome="SAT", grouping="gender", levels=["m", "f"])
    assert r.kind is None and r.test is None and r.t_test is None and r.anova is None
    assert r.empty_levels == ("f",)
    assert "at least two groups of at least 10" in r.skipped and "m: 50" in r.skipped
    assert "未检验" in r.skipped.zh
    assert r.significant is None
    two_small = group_difference(y[:12], ["m"] * 9 + ["f"] * 3, levels=["m", "f"])
    assert two_small.kind is None and two_small.small_groups == ("m", "f")


def test_a_constant_outcome_in_one_group_gets_a_note_and_no_invented_statistic():
    rng = np.random.default_rng(8)
    y = np.concatenate([np.full(20, 7.0), rng.normal(4, 1, 30), rng.normal(5, 1, 30)])
    g = ["a"] * 20 + ["b"] * 30 + ["c"] * 30
    r = group_difference(y, g, outcome="LOY", grouping="platform")
    assert r.constant_groups == ("a",)
    assert r.welch is None  # Welch's weights n/s² are infinite: not computed
    assert np.isnan(r.groups.loc["a", "skewness"]) and r.normal is False
    assert any("does not vary within a (all 7)" in n for n in r.notes)
    assert np.isfinite(r.anova.f_test.f) and np.isfinite(r.brown_forsythe.f)
    assert r.posthoc is not None
    if r.posthoc.method == "games-howell":
        assert np.isfinite(r.posthoc.table["se"]).all()  # one constant group per pair still has an SE
    # two groups with one constant: both t-tests exist (the other group has variance)
    two = group_difference(y[:50], g[:50])
    assert two.constant_groups == ("a",) and np.isfinite(two.t_test.welch.t)


def test_no_variation_within_any_group_is_skipped():
    r = group_difference([1.0] * 15 + [2.0] * 15, ["a"] * 15 + ["b"] * 15)
    assert r.kind is None and "does not vary within any group" in r.skipped
    same = group_difference([3.0] * 30, ["a"] * 15 + ["b"] * 15)
    assert "everybody has the same score (3)" in same.skipped


def test_games_howell_pair_of_two_constant_groups_is_empty_not_invented():
    rng = np.random.default_rng(3)
    y = np.concatenate([np.full(15, 2.0), np.full(15, 6.0), rng.normal(4, 1, 15)])
    g = ["a"] * 15 + ["b"] * 15 + ["c"] * 15
    r = group_difference(y, g, posthoc="games-howell")
    row = r.posthoc.table.set_index(["a", "b"]).loc[("a", "b")]
    assert np.isnan(row["se"]) and np.isnan(row["pvalue"]) and row["difference"] == -4.0
    assert any("Games–Howell pairs of two groups without variation" in n for n in r.notes)


def test_missing_and_unknown_answers_are_counted():
    rng = np.random.default_rng(6)
    y = pd.Series(rng.normal(size=60))
    y[0] = np.nan
    g = pd.Series(["a"] * 25 + ["b"] * 25 + [None] * 4 + [""] * 2 + ["9"] * 4, dtype=object)
    r = group_difference(y, g, outcome="TRUST", grouping="education", levels=["a", "b", "c"])
    assert (r.n_missing_group, r.n_unknown_group, r.n_missing_outcome) == (6, 4, 1)
    assert r.groups["n"].sum() == 49
    assert r.empty_levels == ("c",)
    text = " ".join(r.notes)
    assert "6 respondent(s) did not answer education" in text
    assert "4 answer(s) to education are none of its levels" in text
    assert "1 respondent(s) have no TRUST score" in text
    assert "nobody chose c" in text


def test_numeric_codes_and_text_codes_are_the_same_levels():
    y = np.arange(40, dtype=float)
    r = group_difference(y, [1] * 20 + [2] * 20, levels=["1", "2"])
    assert r.levels == ("1", "2") and r.n_unknown_group == 0


@pytest.mark.parametrize("kwargs,message", [
    ({"posthoc": "duncan"}, "posthoc must be one of auto, tukey, games-howell, bonferroni, lsd, scheffe"),
    ({"nonparametric": "yes"}, "nonparametric must be one of auto, always, never"),
    ({"min_group_size": 1}, "min_group_size must be a whole number of at least 2"),
    ({"levene_center": "trimmed"}, "levene_center must be 'mean' or 'median'"),
])
def test_bad_options_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        group_difference(np.arange(20.0), ["a"] * 10 + ["b"] * 10, **kwargs)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="outcome 'SAT' has 3 values but grouping 'gender' has 2"):
        group_difference([1.0, 2.0, 3.0], ["a", "b"], outcome="SAT", grouping="gender")
    with pytest.raises(ValueError, match="group 'a': missing or infinite values"):
        two_group_test({"a": [1, np.nan, 3], "b": [1, 2, 3]})
    with pytest.raises(ValueError, match="two groups are needed, got 3"):
        two_group_test({"a": [1, 2], "b": [1, 2], "c": [3, 4]})
    with pytest.raises(ValueError, match="constant in: a"):
        welch_anova({"a": [1, 1, 1], "b": [1, 2, 3], "c": [2, 3, 5]})
    with pytest.raises(ValueError, match="method must be one of"):
        posthoc_test({"a": [1, 2], "b": [1, 3]}, "auto")


# ---------------------------------------------------------------- item analysis
ITEM_CASES = [(f"bank_{k}", "bank", v) for k, v in BANK_SCALES.items()] + [
    ("bank_all", "bank", sum(BANK_SCALES.values(), []))] + [
    (f"shop_{k}", "shop", None) for k in ("des", "info", "resp", "ful", "sat", "trust", "loy")]


@pytest.mark.parametrize("key,source,columns", ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_item_analysis_equals_r(bank, key, source, columns):
    if source == "bank":
        items = bank[columns]
    else:
        shop_items = pd.read_csv(ROOT / "tests/reference/ecommerce_loyalty_analysed.csv")
        prefix = key.removeprefix("shop_")
        items = shop_items[[c for c in shop_items.columns if c.rstrip("0123456789") == prefix]]
    ref = REF["item_analysis"][key]
    result = item_analysis(items)
    close([result.low_cut, result.high_cut], [ref["low_cut"], ref["high_cut"]], atol=1e-12)
    assert (result.n_low, result.n_high) == (ref["n_low"], ref["n_high"])
    for item, r in ref["items"].items():
        row = result.table.loc[item]
        assert row["equal_variances"] == r["equal_variances"]
        close([row["levene_f"], row["levene_p"], row["cr"], row["df"], row["pvalue"], row["mean_high"],
               row["mean_low"], row["item_total_r"], row["citc"]],
              [r["levene_f"], r["levene_p"], r["cr"], r["df"], r["p"], r["mean_high"], r["mean_low"],
               r["item_total_r"], r["citc"]])


def test_item_analysis_decision_and_its_criteria():
    rng = np.random.default_rng(9)
    f = rng.normal(size=300)
    items = pd.DataFrame({f"q{i}": np.clip(np.round(4 + f + rng.normal(0, 0.8, 300)), 1, 7) for i in range(5)})
    items["noise"] = rng.integers(1, 8, 300).astype(float)  # unrelated to the rest
    result = item_analysis(items)
    assert result.flagged == ["noise"]
    row = result.table.loc["noise"]
    assert not row["citc_ok"] and "CITC" in row["reason"]
    assert result.table.loc["q0", "reason"] == ""
    assert dict(result.sources)["critical_ratio"] == "吴明隆 (2010)"
    assert "Kelley (1939)" in dict(result.sources)["extreme_groups"]
    assert (result.cr_minimum, result.citc_minimum, result.share) == (3.0, 0.40, 0.27)


def test_item_analysis_bad_input_is_named():
    with pytest.raises(ValueError, match="missing values in q2"):
        item_analysis(pd.DataFrame({"q1": [1.0, 2.0, 3.0], "q2": [1.0, np.nan, 2.0]}))
    with pytest.raises(ValueError, match="at least 2 items"):
        item_analysis(pd.DataFrame({"q1": [1.0, 2.0, 3.0]}))
    with pytest.raises(ValueError, match="too few distinct total scores"):
        item_analysis(pd.DataFrame({"q1": [1.0] * 20, "q2": [1.0] * 20}))


# ---------------------------------------------------------------- engine cross-checks
def test_studentized_range_equals_scipy():
    from scipy import stats

    from study.analyses import studentized_range
    for k in (2, 3, 5, 8, 12):
        for df in (2.0, 7.5, 30.0, 137.3, 421.0, 5000.0):
            q = np.array([0.5, 2.0, 3.5, 5.0, 9.0])
            close(studentized_range.cdf(q, k, df), [stats.studentized_range.cdf(v, k, df) for v in q], atol=1e-10)
    close(studentized_range.ppf(0.95, 4, 421.0), stats.studentized_range.ppf(0.95, 4, 421.0), atol=1e-9)


def test_tukey_and_games_howell_equal_pingouin(shop):
    import pingouin as pg

    data = shop[["LOY", "income"]].assign(income=lambda d: pd.Categorical(d["income"], list("12345")))
    s = samples(shop, "LOY", "income", list("12345"))
    for method, theirs, pcol in (("tukey", pg.pairwise_tukey, "p_tukey"),
                                 ("games-howell", pg.pairwise_gameshowell, "pval")):
        ours = posthoc_test(s, method).table
        ref = theirs(data, dv="LOY", between="income")
        close(ours["difference"], ref["diff"], atol=1e-12)
        close(ours["se"], ref["se"], atol=1e-12)
        close(ours["statistic"], ref["T"], atol=1e-10)
        close(ours["pvalue"], ref[pcol], atol=1e-9)
        if method == "games-howell":
            close(ours["df"], ref["df"], atol=1e-9)
