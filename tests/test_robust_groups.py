"""Robust multi-group comparison (lavaan's estimator = "MLM" / "MLR" with group = "gender") against
lavaan 0.6.14: per-model scaled χ² and robust fit indices, per-group robust standard errors, and the
Satorra–Bentler (2001) scaled difference tests of lavTestLRT(configural, metric, structural).

Data: the "satisfaction" data set of the R packages plspm and semPLS (ECSI survey of 250 bank
customers, 10-point Likert items), grouped by gender. Reference:
tests/reference/robust_groups_reference.json, written by tests/reference/make_robust_groups_reference.R.

Agreement: fit measures to 1e-5 (χ² to 1e-5 relative); estimates and robust SEs to 1e-4 (lavaan stops
its optimiser about 5e-5 short of the optimum: our χ² is lower by 1e-7); difference tests to 1e-5 in
the p-value. Everything is within the project's "3 decimals" (5e-4).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.model.estimate import fit_model
from study.model.multigroup import compare_groups
from study.model.robust import ROBUST_FIT_NAMES, robust_ml, scaled_difference_test

ROOT = Path(__file__).resolve().parents[1]
DATA = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
REF = json.loads((ROOT / "tests/reference/robust_groups_reference.json").read_text())
ML_REF = json.loads((ROOT / "tests/reference/satisfaction_mission.json").read_text())["multigroup"]
MISSION = """QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"""
CHISQ = {"chisq", "chisq.scaled", "baseline.chisq", "baseline.chisq.scaled"}
LEVELS = ["configural", "metric", "structural"]


@pytest.fixture(scope="module")
def comparisons():
    return {kind: compare_groups(MISSION, DATA, DATA["gender"], "gender", estimator=kind) for kind in ("MLM", "MLR")}


@pytest.fixture(params=["MLM", "MLR"])
def comparison(request, comparisons):
    return request.param, comparisons[request.param]


def test_reference_is_lavaan_defaults():
    assert REF["lavaan_version"] == "0.6.14" and REF["group"] == "gender"
    assert REF["MLM"]["options"]["se"] == "robust.sem" and REF["MLM"]["options"]["test"] == "satorra.bentler"
    assert REF["MLR"]["options"]["se"] == "robust.huber.white"
    assert REF["MLR"]["options"]["test"] == "yuan.bentler.mplus"
    for kind in ("MLM", "MLR"):
        assert REF[kind]["options"]["meanstructure"] is True  # lavaan's multi-group models
        # lavTestLRT's default for these scaled tests
        assert "satorra.bentler.2001" in REF[kind]["lrt_heading"]


def test_comparison_reports_estimator_and_test(comparison):
    kind, c = comparison
    assert c.estimator == kind and c.test_method == "satorra.bentler.2001"
    assert c.groups == REF[kind]["labels"] == ["male", "female"]
    assert all(t["method"] == "satorra.bentler.2001" for t in c.tests)
    for level in LEVELS:
        model = c.models[level]
        assert model.estimator == kind and model.converged
        assert model.robust.test == {"MLM": "satorra.bentler", "MLR": "yuan.bentler.mplus"}[kind]


@pytest.mark.parametrize("level", LEVELS)
def test_fit_measures_equal_lavaan(comparison, level):
    kind, c = comparison
    fit = c.models[level].fit
    assert set(ROBUST_FIT_NAMES) <= set(fit)
    for key, value in REF[kind]["models"][level]["fit"].items():
        if key in CHISQ:
            assert fit[key] == pytest.approx(value, rel=1e-5), (kind, level, key)
        else:
            assert fit[key] == pytest.approx(value, abs=1e-5), (kind, level, key)
    # the normal-theory part is the ML comparison's (tests/test_bank_reference.py)
    assert fit["chisq"] == pytest.approx(ML_REF[level]["chisq"], abs=5e-4)


@pytest.mark.parametrize("level", LEVELS)
def test_robust_estimates_per_group_equal_lavaan(comparison, level):
    kind, c = comparison
    tables = {g: f.estimates.set_index(["lhs", "op", "rhs"]) for g, f in c.models[level].fits.items()}
    checked = 0
    for row in REF[kind]["models"][level]["estimates"]:
        ours = tables[row["group"]].loc[(row["lhs"], row["op"], row["rhs"])]
        assert ours["est"] == pytest.approx(row["est"], abs=1e-4), row
        if row["z"] is None:  # fixed marker loading
            assert not ours["free"]
            continue
        assert ours["se"] == pytest.approx(row["se"], abs=1e-4), (kind, level, row)
        assert ours["z"] == pytest.approx(row["z"], abs=5e-4), (kind, level, row)
        assert ours["pvalue"] == pytest.approx(row["pvalue"], abs=1e-4), (kind, level, row)
        checked += row["op"] in ("=~", "~")
    assert checked == 2 * (14 + 5)


def test_scaled_difference_tests_equal_lavTestLRT(comparison):
    kind, c = comparison
    for test, name in zip(c.tests, ["metric_vs_configural", "structural_vs_metric"]):
        ref = REF[kind]["tests"][name]
        assert (test["model"], test["against"]) == tuple(name.split("_vs_"))
        assert test["df_diff"] == ref["df_diff"]
        assert test["chisq_diff"] == pytest.approx(ref["chisq_diff"], abs=5e-4), (kind, name)
        assert test["pvalue"] == pytest.approx(ref["pvalue"], abs=1e-5), (kind, name)
        assert test["scaling_factor"] == pytest.approx(ref["scaling_factor"], abs=1e-4), (kind, name)
        restricted, free = c.models[test["model"]].fit, c.models[test["against"]].fit
        assert test["chisq_diff_unscaled"] == pytest.approx(restricted["chisq"] - free["chisq"])


def test_critical_ratios_use_robust_standard_errors(comparison):
    kind, c = comparison
    configural = {(r["group"], r["lhs"], r["rhs"]): r for r in REF[kind]["models"]["configural"]["estimates"]
                  if r["op"] == "~"}
    paths = c.paths.set_index(["group", "to", "from"])
    for key, ref in configural.items():
        assert paths.loc[key, "se"] == pytest.approx(ref["se"], abs=1e-4), key
    for _, d in c.differences.iterrows():
        a, b = configural[(d["group_1"], d["to"], d["from"])], configural[(d["group_2"], d["to"], d["from"])]
        lavaan_cr = (a["est"] - b["est"]) / np.hypot(a["se"], b["se"])
        assert d["critical_ratio"] == pytest.approx(lavaan_cr, abs=1e-3), (d["from"], d["to"])
    normal = {(p["from"], p["to"]): p for p in ML_REF["paths"] if p["group"] == "male"}
    sat_loy = c.paths[(c.paths["group"] == "male") & (c.paths["from"] == "SAT") & (c.paths["to"] == "LOY")]
    assert abs(sat_loy["se"].item() - normal[("SAT", "LOY")]["se"]) > 1e-3  # not the ML standard error


def test_configural_model_is_the_single_group_robust_fits(comparisons):
    """Without shared parameters the groups decouple: each group's robust SEs are those of a
    single-group robust fit, and tr(UΓ) is the sum of the groups' traces (for MLR too: the
    intercepts' share cancels when each group's model is scale invariant)."""
    singles = {}
    for g in ("male", "female"):
        rows = DATA[DATA["gender"] == g]
        singles[g] = fit_model(MISSION, rows), rows
    for kind, c in comparisons.items():
        model = c.models["configural"]
        trace = 0.0
        for g, fitted in model.fits.items():
            single, rows = singles[g]
            result = robust_ml(single, rows[single.structure.observed].to_numpy(dtype=float), kind)
            np.testing.assert_allclose(fitted.estimates["se"], result.estimates["se"], atol=1e-5)
            trace += result.scaling_factor * result.fit["df"]
        assert model.robust.trace == pytest.approx(trace, rel=1e-5), kind
        assert model.fit["chisq.scaling.factor"] == pytest.approx(trace / model.fit["df"], rel=1e-5)


def test_scaled_difference_formula():
    m1 = {"chisq": 100.0, "df": 50, "chisq.scaling.factor": 1.2}
    m0 = {"chisq": 130.0, "df": 60, "chisq.scaling.factor": 1.3}
    out = scaled_difference_test(m0, m1)
    cd = (60 * 1.3 - 50 * 1.2) / 10
    assert out["scaling_factor"] == pytest.approx(cd)
    assert out["chisq_diff"] == pytest.approx(30 / cd) and out["df_diff"] == 10
    # a saturated comparison model counts with ĉ = 1; a negative ĉ_d is undefined (lavaan: NA)
    saturated = {"chisq": 0.0, "df": 0, "chisq.scaling.factor": float("nan")}
    assert scaled_difference_test(m1, saturated)["chisq_diff"] == pytest.approx(100 / 1.2)
    assert np.isnan(scaled_difference_test({**m0, "chisq.scaling.factor": 0.5}, m1)["chisq_diff"])


def test_unknown_estimator_is_refused():
    with pytest.raises(ValueError, match="estimator"):
        compare_groups(MISSION, DATA, DATA["gender"], "gender", estimator="WLSMV")


@pytest.mark.parametrize("level", LEVELS)
def test_robust_standardized_se_equal_lavaan(comparison, level):
    kind, c = comparison
    tables = {g: f.estimates.set_index(["lhs", "op", "rhs"]) for g, f in c.models[level].fits.items()}
    for row in REF[kind]["models"][level]["std"]:
        ours = tables[row["group"]].loc[(row["lhs"], row["op"], row["rhs"])]
        assert ours["std_all"] == pytest.approx(row["est_std"], abs=1e-4), row
        assert ours["se_std"] == pytest.approx(row["se"], abs=1e-4), (kind, level, row)
