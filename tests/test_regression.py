"""OLS regression and hierarchical regression on construct scores against R.

Data: the "satisfaction" data set of the R packages plspm and semPLS (ECSI survey of 250 bank
customers) and tests/reference/moderation_simulated.csv (500 simulated respondents).
Reference: tests/reference/regression_reference.json, written by
tests/reference/make_regression_reference.R (lm + summary, anova, car::vif, lmtest::dwtest/bptest,
shapiro.test, sandwich::vcovHC(type = "HC3")).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.analyses.regression import INTERCEPT, dummy_code, hierarchical_regression, ols

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests/reference/regression_reference.json").read_text())
TOL = 5e-4  # "equal to R to 3 decimals"; most agree to 1e-10


def scores(raw: pd.DataFrame, prefixes) -> pd.DataFrame:
    return pd.DataFrame({p: raw.filter(regex=f"^{p}[0-9]+$").mean(axis=1) for p in prefixes})


@pytest.fixture(scope="module")
def bank():
    raw = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
    s = scores(raw, ["imag", "expe", "qual", "val", "sat", "loy"])
    s["gender"] = raw["gender"]
    return s.join(dummy_code(raw["gender"], reference="male", levels=["male", "female"]))


@pytest.fixture(scope="module")
def sim():
    raw = pd.read_csv(ROOT / "tests/reference/moderation_simulated.csv")
    s = scores(raw, ["qual", "sat", "swc", "loy"])
    s["age"] = raw["age"]
    s["frequency"] = raw["frequency"]
    return s.join(dummy_code(raw["frequency"], reference="medium", levels=["low", "medium", "high"]))


def compare_model(fit, ref, tol=TOL):
    c = fit.coefficients
    assert len(c) == len(ref["terms"])
    for ours, theirs in (("B", "B"), ("SE", "SE"), ("t", "t"), ("p", "p"), ("ci_lower", "ci_lower"),
                         ("ci_upper", "ci_upper")):
        np.testing.assert_allclose(c[ours], ref[theirs], atol=tol, err_msg=ours)
    np.testing.assert_allclose(c["beta"].iloc[1:], ref["beta"], atol=tol)
    if "vif" in ref:
        np.testing.assert_allclose(c["vif"].iloc[1:], ref["vif"], atol=tol)
        np.testing.assert_allclose(c["tolerance"].iloc[1:], 1 / np.asarray(ref["vif"]), atol=tol)
    for key in ("r2", "adj_r2", "f", "f_pvalue", "sigma"):
        assert getattr(fit, key) == pytest.approx(ref[key], abs=tol), key
    assert (fit.df_model, fit.df_resid) == (ref["df_model"], ref["df_resid"])
    assert fit.durbin_watson == pytest.approx(ref["dw"], abs=tol)
    assert fit.shapiro_w == pytest.approx(ref["shapiro_w"], abs=tol)
    assert fit.shapiro_p == pytest.approx(ref["shapiro_p"], abs=tol)
    assert fit.bp_lm == pytest.approx(ref["bp"], abs=tol)
    assert fit.bp_df == ref["bp_df"]
    assert fit.bp_p == pytest.approx(ref["bp_p"], abs=tol)
    h = fit.hc3
    for ours, theirs in (("SE", "hc3_se"), ("t", "hc3_t"), ("p", "hc3_p"), ("ci_lower", "hc3_ci_lower"),
                         ("ci_upper", "hc3_ci_upper")):
        np.testing.assert_allclose(h[ours], ref[theirs], atol=tol, err_msg=ours)


def test_bank_regression_equals_lm(bank):
    fit = ols(bank, "loy", ["gender[female]", "sat", "imag", "qual"])
    compare_model(fit, REF["regression"]["bank"])
    assert fit.n == 250 and fit.n_excluded == 0
    assert fit.coefficients.index[0] == INTERCEPT


def test_simulated_regression_with_categorical_control_equals_lm(sim):
    fit = ols(sim, "loy", ["age", "frequency[low]", "frequency[high]", "qual", "sat"])
    compare_model(fit, REF["regression"]["sim"])


def test_hierarchical_steps_equal_anova(bank):
    h = hierarchical_regression(bank, "loy", [["gender[female]"], ["sat", "imag"], ["val"]])
    ref = REF["hierarchical"]["bank"]
    for fit, model_ref in zip(h.models, ref["models"]):
        compare_model(fit, model_ref)
    for (_, row), change in zip(h.changes.iterrows(), ref["changes"]):
        for key in ("r2", "r2_change", "f_change", "p_change"):
            assert row[key] == pytest.approx(change[key], abs=TOL), key
        assert (row["df1"], row["df2"]) == (change["df1"], change["df2"])


def test_hc3_offered_when_a_residual_check_fails(bank):
    fit = ols(bank, "loy", ["gender[female]", "sat", "imag", "qual"])
    assert fit.shapiro_p < 0.05 and fit.non_normal and fit.hc3_recommended
    noise = np.random.default_rng(2).standard_normal(len(bank))  # normal, homoscedastic errors
    fit = ols(bank.assign(y=bank["sat"] + noise), "y", ["sat"])
    assert fit.shapiro_p > 0.05 and fit.bp_p > 0.05 and not fit.hc3_recommended
    spread = bank.assign(y=bank["sat"] + noise * (bank["sat"] - bank["sat"].min() + 0.1))  # grows with sat
    fit = ols(spread, "y", ["sat"])
    assert fit.heteroscedastic and fit.hc3_recommended


def test_rows_with_missing_values_are_left_out_and_counted(bank):
    holes = bank.copy()
    holes.loc[holes.index[:7], "sat"] = np.nan
    fit = ols(holes, "loy", ["sat", "imag"])
    assert (fit.n, fit.n_excluded) == (243, 7)
    h = hierarchical_regression(holes, "loy", [["imag"], ["sat"]])
    assert all(m.n == 243 and m.n_excluded == 7 for m in h.models)  # nested: the same respondents


def test_dummy_code_against_the_reference():
    d = dummy_code(pd.Series(["a", "b", None, "c", "b"], name="g"), reference="b", levels=["a", "b", "c"])
    assert list(d.columns) == ["g[a]", "g[c]"]
    assert d["g[a]"].tolist()[:2] == [1.0, 0.0] and np.isnan(d["g[a]"].iloc[2])


@pytest.mark.parametrize("values, kwargs, message", [
    (["a", "b"], {"reference": "x"}, "reference level 'x' is not among the levels"),
    (["a", "b", "z"], {"reference": "a", "levels": ["a", "b"]}, "value(s) 'z' are not among the levels"),
    (["a", "a"], {"reference": "a", "levels": ["a", "b", "c"]}, "no respondent has the level(s) 'b', 'c'"),
    (["a", "a"], {"reference": "a"}, "at least 2 levels"),
])
def test_dummy_code_errors(values, kwargs, message):
    with pytest.raises(ValueError, match="^g: ") as err:
        dummy_code(pd.Series(values, name="g"), **kwargs)
    assert message in str(err.value)


def test_perfect_collinearity_names_the_variables(bank):
    data = bank.assign(total=bank["sat"] + bank["imag"])
    with pytest.raises(ValueError) as err:
        ols(data, "loy", ["sat", "imag", "total"])
    assert "perfect collinearity" in str(err.value) and "'total'" in str(err.value)
    assert "sat, imag" in str(err.value)


@pytest.mark.parametrize("predictors, message", [
    (["sat", "sat"], "given twice"),
    (["loy"], "also among the predictors"),
    (["nope"], "no column(s) 'nope'"),
    (["gender"], "not numeric"),
    ([], "no predictors"),
])
def test_bad_designs_say_what_is_wrong(bank, predictors, message):
    with pytest.raises(ValueError) as err:
        ols(bank, "loy", predictors)
    assert message in str(err.value)


def test_a_constant_predictor_is_named(bank):
    with pytest.raises(ValueError, match="'one' has the same value for every respondent"):
        ols(bank.assign(one=1.0), "loy", ["sat", "one"])
