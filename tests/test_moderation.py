"""Moderation and moderated mediation against R (emmeans, lm, lavaan, semTools).

Data: the "satisfaction" data set of the R packages plspm and semPLS (ECSI survey of 250 bank
customers) and tests/reference/moderation_simulated.csv (500 simulated respondents with a known
interaction). Reference: tests/reference/regression_reference.json, written by
tests/reference/make_regression_reference.R.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.analyses.moderated_mediation import latent_moderated_mediation, moderated_mediation
from study.analyses.moderation import (SD_POINTS, latent_interaction, matched_pairs, moderation,
                                       product_indicators)
from study.analyses.regression import dummy_code
from study.model.fit_indices import fit_measures

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests/reference/regression_reference.json").read_text())
TOL = 5e-4  # 3 decimals
SEM_TOL = 2e-4


def scores(raw: pd.DataFrame, prefixes) -> pd.DataFrame:
    return pd.DataFrame({p: raw.filter(regex=f"^{p}[0-9]+$").mean(axis=1) for p in prefixes})


BANK_RAW = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
SIM_RAW = pd.read_csv(ROOT / "tests/reference/moderation_simulated.csv")
BANK = scores(BANK_RAW, ["imag", "expe", "qual", "val", "sat", "loy"]).assign(gender=BANK_RAW["gender"])
BANK = BANK.join(dummy_code(BANK_RAW["gender"], reference="male", levels=["male", "female"]))
SIM = scores(SIM_RAW, ["qual", "sat", "swc", "loy"]).assign(age=SIM_RAW["age"], frequency=SIM_RAW["frequency"])
SIM = SIM.join(dummy_code(SIM_RAW["frequency"], reference="medium", levels=["low", "medium", "high"]))
DATA = {"bank": BANK, "bank_nocontrols": BANK, "sim": SIM}
CONTROLS = {"bank": ["gender[female]"], "bank_nocontrols": [], "sim": ["age", "frequency[low]", "frequency[high]"]}


def items(raw, prefixes):
    return {p: list(raw.filter(regex=f"^{p}[0-9]+$").columns) for p in prefixes}


def close(ours, theirs, tol=TOL, what=""):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), atol=tol, err_msg=what)


# ------------------------------------------------------------------------------------- moderation

@pytest.mark.parametrize("case", ["bank", "bank_nocontrols", "sim"])
def test_continuous_moderation_equals_lm_and_emtrends(case):
    ref = REF["moderation"][case]
    r = moderation(DATA[case], ref["x"], ref["w"], ref["y"], controls=CONTROLS[case])
    assert len(r.hierarchy.models) == len(ref["hierarchy"]["models"])
    for fit, m in zip(r.hierarchy.models, ref["hierarchy"]["models"]):
        close(fit.coefficients["B"], m["B"], what="B")
        close(fit.coefficients["SE"], m["SE"], what="SE")
        close(fit.coefficients["p"], m["p"], what="p")
        close(fit.coefficients["beta"].iloc[1:], m["beta"], what="beta")
        if "vif" in m:  # car::vif needs two predictors
            close(fit.coefficients["vif"].iloc[1:], m["vif"], what="vif")
        else:
            assert fit.coefficients["vif"].iloc[1:].tolist() == [1.0]
        assert fit.r2 == pytest.approx(m["r2"], abs=TOL)
    for (_, row), change in zip(r.hierarchy.changes.iterrows(), ref["hierarchy"]["changes"]):
        close([row["r2_change"], row["f_change"], row["p_change"]],
              [change["r2_change"], change["f_change"], change["p_change"]], what="changes")
    last = ref["hierarchy"]["changes"][-1]
    assert r.test["r2_change"] == pytest.approx(last["r2_change"], abs=TOL)
    assert r.test["f"] == pytest.approx(r.interaction["t"].iloc[0] ** 2)
    s = r.simple_slopes
    assert list(s.index) == [label for label, _ in SD_POINTS]
    for key in ("w", "slope", "SE", "t", "p", "ci_lower", "ci_upper"):
        close(s[key], ref["slopes"][key], what=key)
    close(r.jn_bounds, ref["jn_bounds"] if isinstance(ref["jn_bounds"], list) else [ref["jn_bounds"]], what="J-N")


def test_johnson_neyman_bound_is_where_emtrends_gives_p_05():
    ref = REF["moderation"]["sim"]
    assert ref["jn_p_at_bounds"] == pytest.approx(0.05, abs=1e-9)
    r = moderation(SIM, "sat", "swc", "loy", controls=CONTROLS["sim"])
    (bound,) = r.jn_bounds
    jn = r.johnson_neyman
    assert jn["w_to"].iloc[0] == pytest.approx(bound) and jn["significant"].tolist() == [True, False]
    assert jn["share"].sum() == pytest.approx(1.0)
    # the share of respondents above the bound, counted directly
    assert jn["share"].iloc[1] == pytest.approx(np.mean(SIM["swc"] >= bound))
    # switching cost weakens the (positive) effect of satisfaction on loyalty: the population model
    assert r.significant and r.direction == "weakens"


def test_no_bounds_when_the_effect_is_significant_over_the_whole_range():
    r = moderation(BANK, "sat", "expe", "loy")
    assert r.jn_bounds == () and r.johnson_neyman["significant"].tolist() == [True]
    assert r.direction == "strengthens"


@pytest.mark.parametrize("case, x, w, controls, reference, levels", [
    ("bank", "imag", "gender", [], "male", ["male", "female"]),
    ("sim", "sat", "frequency", ["age"], "medium", ["low", "medium", "high"]),
])
def test_categorical_moderator_equals_lm_and_emtrends(case, x, w, controls, reference, levels):
    ref = REF["moderation_categorical"][case]
    data = BANK if case == "bank" else SIM
    r = moderation(data, x, w, "loy", controls=controls, reference=reference, levels=levels)
    fit = r.model
    for key in ("B", "SE", "t", "p", "ci_lower", "ci_upper"):
        close(fit.coefficients[key], ref["model"][key], what=key)
    assert fit.r2 == pytest.approx(ref["model"]["r2"], abs=TOL)
    for key in ("r2_change", "f", "p"):
        assert r.test[key] == pytest.approx(ref["test"][key], abs=TOL), key
    assert (r.test["df1"], r.test["df2"]) == (ref["test"]["df1"], ref["test"]["df2"]) == (len(levels) - 1, fit.df_resid)
    assert list(r.simple_slopes.index) == ref["slopes"]["level"] == ref["levels"]
    for key in ("slope", "SE", "t", "p", "ci_lower", "ci_upper"):
        close(r.simple_slopes[key], ref["slopes"][key], what=key)
    assert r.johnson_neyman is None and r.direction is None
    assert len(r.interaction) == len(levels) - 1


def test_plot_data_are_the_predicted_lines():
    r = moderation(BANK, "sat", "expe", "loy", controls=["gender[female]"])
    p = r.plot
    assert len(p) == 6 and set(p["w_label"]) == {"M-1SD", "M", "M+1SD"}
    for label, rows in p.groupby("w_label"):
        slope = (rows["y"].iloc[1] - rows["y"].iloc[0]) / (rows["x"].iloc[1] - rows["x"].iloc[0])
        assert slope == pytest.approx(r.simple_slopes.loc[label, "slope"])
    # at the means of X, W and the controls the line passes through the mean prediction
    mid = p[p["w_label"] == "M"]["y"].mean()
    assert mid == pytest.approx(r.model.coefficients["B"].iloc[0] + r.model.coefficients["B"]["gender[female]"]
                                * BANK["gender[female]"].mean())


@pytest.mark.parametrize("kwargs, message", [
    ({"x": "sat", "w": "sat", "y": "loy"}, "the moderator is the predictor itself"),
    ({"x": "sat", "w": "loy", "y": "loy"}, "three different variables"),
    ({"x": "sat", "w": "nope", "y": "loy"}, "no column(s) 'nope'"),
    ({"x": "sat", "w": "gender", "y": "loy"}, "needs its reference level"),
    ({"x": "sat", "w": "gender", "y": "loy", "reference": "male", "levels": ["male", "female", "other"]},
     "no respondent has the level(s) 'other'"),
    ({"x": "sat", "w": "expe", "y": "loy", "controls": ["expe_copy"]}, "perfect collinearity"),
])
def test_bad_moderation_inputs_say_what_is_wrong(kwargs, message):
    data = BANK.assign(expe_copy=2 * BANK["expe"] + 1)
    with pytest.raises(ValueError) as err:
        moderation(data, **kwargs)
    assert message in str(err.value)


# ---------------------------------------------------------------------- moderated mediation (PROCESS)

MM_CASES = {
    "bank_first": (BANK, {"stage": "first"}),
    "bank_second": (BANK, {"stage": "second", "controls": ["gender[female]"]}),
    "bank_both": (BANK, {"stage": "both"}),
    "bank_gender": (BANK, {"stage": "first", "reference": "male", "levels": ["male", "female"]}),
    "sim_second": (SIM, {"stage": "second", "controls": ["age"]}),
    "sim_frequency": (SIM, {"stage": "second", "reference": "medium", "levels": ["low", "medium", "high"]}),
}


@pytest.mark.parametrize("case", list(MM_CASES))
def test_moderated_mediation_equals_the_R_bootstrap(case):
    ref = REF["moderated_mediation"][case]
    data, kwargs = MM_CASES[case]
    r = moderated_mediation(data, ref["x"], ref["m"], ref["y"], ref["w"], seed=7, **kwargs)
    assert r.process_model == {"first": 7, "second": 14, "both": 58}[ref["stage"]]
    ours = pd.concat([r.conditional.rename(columns={"effect": "est"}), r.index])
    assert len(ours) == len(ref["names"])
    # point estimates: exact
    close(ours["est"], ref["est"], tol=1e-10, what="estimates")
    # bootstrap: within Monte Carlo error of two runs of 5000 resamples (sd of a 2.5 % quantile is about
    # 0.06 boot SE for 2000 resamples, 0.038 for 5000; 5 sd of the difference allowed)
    se = np.asarray(ref["boot_se"])
    assert np.all(np.abs(ours["boot_se"].to_numpy() / se - 1) < 0.08), (ours["boot_se"].tolist(), ref["boot_se"])
    for key in ("ci_lower", "ci_upper"):
        assert np.all(np.abs(ours[key].to_numpy() - ref[key]) < 0.27 * se), (key, ours[key].tolist(), ref[key])
    for key in ("effect", "SE", "t", "p"):
        assert r.direct[key] == pytest.approx(ref["direct"][key], abs=TOL), key
    assert r.failed == 0 and r.resamples == 5000


def test_index_of_moderated_mediation_is_the_difference_of_conditional_effects():
    r = moderated_mediation(BANK, "qual", "sat", "loy", "expe", stage="second", resamples=1000)
    c = r.conditional["effect"]
    assert (c["M+1SD"] - c["M-1SD"]) / (2 * r.w_sd) == pytest.approx(r.index.loc["index", "est"])
    g = moderated_mediation(BANK, "qual", "sat", "loy", "gender", stage="first", reference="male", resamples=1000)
    assert g.index.loc["gender[female]", "est"] == pytest.approx(g.conditional.loc["female", "effect"]
                                                                - g.conditional.loc["male", "effect"])


def test_bootstrap_is_seeded_and_reports_progress():
    calls = []
    a = moderated_mediation(SIM, "qual", "sat", "loy", "swc", stage="both", resamples=1200, seed=3,
                            progress=lambda done, total: calls.append((done, total)))
    b = moderated_mediation(SIM, "qual", "sat", "loy", "swc", stage="both", resamples=1200, seed=3)
    pd.testing.assert_frame_equal(a.index, b.index)
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert a.index_kind == "contrast" and list(a.index.index) == ["contrast"]


def test_vectorised_bootstrap_equals_fits_of_the_resampled_rows():
    """The count-weighted normal equations give the coefficients of lm on the resampled rows."""
    from study.analyses.moderated_mediation import _boot_coefficients, _counts
    rng = np.random.default_rng(5)
    x = np.column_stack([np.ones(50), rng.standard_normal((50, 2))])
    y = x @ [1, 2, 3] + rng.standard_normal(50)
    draws = np.random.default_rng(9)
    counts = _counts(draws, 4, 50)
    assert (counts.sum(axis=1) == 50).all()
    coef = _boot_coefficients(x, y, counts)
    for c, row in zip(counts, coef):
        idx = np.repeat(np.arange(50), c.astype(int))
        np.testing.assert_allclose(row, np.linalg.lstsq(x[idx], y[idx], rcond=None)[0], atol=1e-10)


def test_a_resample_without_a_level_is_counted_as_failed():
    tiny = SIM.copy()
    rare = tiny.index[tiny["frequency"] == "high"][:2]
    tiny = tiny[(tiny["frequency"] != "high") | tiny.index.isin(rare)]
    r = moderated_mediation(tiny, "qual", "sat", "loy", "frequency", stage="first", reference="medium",
                            levels=["low", "medium", "high"], resamples=1000, seed=1)
    assert r.failed > 0 and r.conditional["effect"].notna().all()


@pytest.mark.parametrize("kwargs, message", [
    ({"stage": "middle"}, "stage must be first, second or both"),
    ({"w": "sat"}, "four different variables"),
    ({"resamples": 200}, "too few"),
    ({"controls": ["loy"]}, "both a control and in the model"),
])
def test_bad_moderated_mediation_inputs(kwargs, message):
    args = {"x": "qual", "m": "sat", "y": "loy", "w": "expe", **kwargs}
    with pytest.raises(ValueError) as err:
        moderated_mediation(BANK, **args)
    assert message in str(err.value)


# ---------------------------------------------------------------------------------------------- SEM

def test_product_indicators_equal_semtools_indprod_convention():
    pairs = matched_pairs(["sat1", "sat2", "sat3", "sat4"], ["expe1", "expe2", "expe3", "expe4", "expe5"])
    assert pairs == [("sat1", "expe1"), ("sat2", "expe2"), ("sat3", "expe3"), ("sat4", "expe4")]
    p = product_indicators(BANK_RAW, pairs)
    assert list(p.columns) == ["sat1.expe1", "sat2.expe2", "sat3.expe3", "sat4.expe4"]
    np.testing.assert_allclose(p.mean(), 0, atol=1e-12)  # double-mean-centred
    first = (BANK_RAW["sat1"] - BANK_RAW["sat1"].mean()) * (BANK_RAW["expe1"] - BANK_RAW["expe1"].mean())
    np.testing.assert_allclose(p["sat1.expe1"], first - first.mean())


def compare_estimates(fitted, reference, tol=SEM_TOL):
    t = fitted.estimates
    for e in reference:
        hit = t[(t["op"] == e["op"]) & (((t["lhs"] == e["lhs"]) & (t["rhs"] == e["rhs"]))
                                        | ((e["op"] == "~~") & (t["lhs"] == e["rhs"]) & (t["rhs"] == e["lhs"])))]
        assert len(hit) == 1, e
        row = hit.iloc[0]
        assert row["est"] == pytest.approx(e["est"], abs=tol), e
        assert row["std_all"] == pytest.approx(e["std_all"], abs=tol), e
        if row["free"]:
            assert row["se"] == pytest.approx(e["se"], abs=tol), e


def compare_fit(fitted, reference):
    fm = fit_measures(fitted)
    assert fitted.structure.n_params == reference["npar"]
    for key in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"):
        assert fm[key] == pytest.approx(reference[key], abs=SEM_TOL), key


@pytest.mark.parametrize("case", ["bank", "sim"])
def test_latent_interaction_equals_lavaan(case):
    ref = REF["latent_interaction"][case]
    raw = BANK_RAW if case == "bank" else SIM_RAW
    constructs = items(raw, [ref["x"], ref["w"], ref["y"]])
    r = latent_interaction(raw, constructs, ref["x"], ref["w"], ref["y"], pairs=[tuple(p) for p in ref["pairs"]])
    assert r.syntax == ref["syntax"]
    assert ref["converged"] and r.fitted.converged and r.fitted.proper
    compare_estimates(r.fitted, ref["estimates"])
    compare_fit(r.fitted, ref["fit"])
    names = {"low": "M-1SD", "mid": "M", "high": "M+1SD"}
    for d in ref["defined"]:
        row = r.simple_slopes.loc[names[d["name"]]]
        assert (row["est"], row["se"]) == (pytest.approx(d["est"], abs=SEM_TOL), pytest.approx(d["se"], abs=SEM_TOL))


@pytest.mark.parametrize("case", ["bank_first", "sim_second", "sim_both"])
def test_latent_moderated_mediation_estimates_equal_lavaan(case):
    ref = REF["latent_moderated_mediation"][case]
    raw = BANK_RAW if case.startswith("bank") else SIM_RAW
    constructs = items(raw, [ref["x"], ref["m"], ref["y"], ref["w"]])
    r = latent_moderated_mediation(raw, constructs, ref["x"], ref["m"], ref["y"], ref["w"], stage=ref["stage"],
                                   resamples=0)
    assert r.syntax == ref["syntax"]
    assert r.fitted.converged and r.fitted.proper
    compare_estimates(r.fitted, ref["estimates"])
    compare_fit(r.fitted, ref["fit"])
    for d in ref["defined"]:
        row = r.delta.loc[d["name"]]
        assert row["est"] == pytest.approx(d["est"], abs=SEM_TOL), d["name"]
        assert row["se"] == pytest.approx(d["se"], abs=SEM_TOL), d["name"]


def test_latent_moderated_mediation_bootstrap_equals_lavaan_within_monte_carlo_error():
    ref = REF["latent_moderated_mediation"]["sim_second"]
    constructs = items(SIM_RAW, [ref["x"], ref["m"], ref["y"], ref["w"]])
    r = latent_moderated_mediation(SIM_RAW, constructs, ref["x"], ref["m"], ref["y"], ref["w"], stage="second",
                                   resamples=1000, seed=11)
    assert r.draws.failed == 0 and ref["resamples_ok"] == ref["resamples"]
    for d in ref["defined_boot"]:
        row = r.bootstrap.loc[d["name"]]
        assert row["est"] == pytest.approx(d["est"], abs=SEM_TOL)
        # lavaan's bootstrap SE from 2000 resamples, ours from 1000: relative MC sd about 2.7 %
        assert row["boot_se"] == pytest.approx(d["se"], rel=0.12), d["name"]
        # percentile limits: MC sd about 0.10 boot SE for the difference; 4 sd allowed
        for key in ("ci_lower", "ci_upper"):
            assert abs(row[key] - d[key]) < 0.42 * d["se"], (d["name"], key, row[key], d[key])
