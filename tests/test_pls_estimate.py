"""PLS-SEM estimation against R plspm and R seminr (tests/reference/pls/, see its README), and
against the Python port of seminr for the statistics without stored R output (seminr_py_reference.json,
made by tests/reference/pls/make_seminr_py_reference.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.pls import PLSModel, PLSModelError, PLSNotConverged, PLSSettings, estimate_pls
from study.pls import assessment as A

REF = Path(__file__).parent / "reference" / "pls"
DATA = Path(__file__).parents[1] / "questionnaires" / "data"
TOL = 5e-5  # "equal to 4 decimals"

BANK_BLOCKS = {"IMAG": [f"imag{i}" for i in range(1, 6)], "EXPE": [f"expe{i}" for i in range(1, 6)],
               "QUAL": [f"qual{i}" for i in range(1, 6)], "VAL": [f"val{i}" for i in range(1, 5)],
               "SAT": [f"sat{i}" for i in range(1, 5)], "LOY": [f"loy{i}" for i in range(1, 5)]}
BANK_PATHS = [("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"), ("EXPE", "VAL"),
              ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "LOY")]
MOBI_BASIC = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Expectation": [f"CUEX{i}" for i in range(1, 4)],
              "Quality": [f"PERQ{i}" for i in range(1, 8)], "Complaints": ["CUSCO"],
              "Loyalty": [f"CUSL{i}" for i in range(1, 4)]}
MOBI_BASIC_PATHS = [("Image", "Expectation"), ("Expectation", "Loyalty"), ("Quality", "Loyalty"),
                    ("Complaints", "Loyalty")]


@pytest.fixture(scope="module")
def bank():
    return pd.read_csv(DATA / "satisfaction.csv", index_col=0)


@pytest.fixture(scope="module")
def mobi():
    return pd.read_csv(DATA / "mobi.csv", index_col=0)


@pytest.fixture(scope="module")
def centroid(bank):
    return estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS), PLSSettings(scheme="centroid", scaled=False))


@pytest.fixture(scope="module")
def seminr_py():
    return json.loads((REF / "seminr_py_reference.json").read_text())


def matrix(d) -> pd.DataFrame:
    return pd.DataFrame(d["values"], index=d["rows"], columns=d["cols"])


# --- R plspm, bank data, scaled = FALSE ------------------------------------------------------------

@pytest.mark.parametrize("scheme, file", [("centroid", "satisfaction.outer-model.csv"),
                                          ("path", "satisfaction.outer-model-path.csv"),
                                          ("factorial", "satisfaction.outer-model-factorial.csv")])
def test_outer_model_equals_plspm(bank, scheme, file):
    res = estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS), PLSSettings(scheme=scheme, scaled=False))
    ref = pd.read_csv(REF / file)
    mine = A.communality(res)
    assert list(mine["indicator"]) == list(ref["name"])
    for col in ("weight", "loading", "communality", "redundancy"):
        np.testing.assert_allclose(mine[col], ref[col], atol=TOL, rtol=0, err_msg=col)


def test_inner_model_equals_plspm(centroid):
    ref = pd.read_csv(REF / "satisfaction.inner-model.csv", index_col=0)
    mine = centroid.inner_model[centroid.inner_model["to"] == "SAT"].set_index("from").loc[ref.index]
    np.testing.assert_allclose(mine[["estimate", "std_error", "t"]], ref.iloc[:, :3], atol=TOL, rtol=0)
    np.testing.assert_allclose(mine["p"], ref.iloc[:, 3], atol=TOL, rtol=1e-4)


def test_inner_summary_equals_plspm(centroid):
    ref = pd.read_csv(REF / "satisfaction.inner-summary.csv", index_col=0)
    mine = A.block_summary(centroid).loc[ref.index]
    np.testing.assert_allclose(mine[["r2", "block_communality", "mean_redundancy", "ave"]],
                               ref[["r_squared", "block_communality", "mean_redundancy", "ave"]], atol=TOL, rtol=0)
    assert A.goodness_of_fit(centroid) == pytest.approx(0.609741624338411, abs=TOL)


def test_mode_b_equals_plspm(bank):
    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS, modes={c: "formative" for c in BANK_BLOCKS})
    res = estimate_pls(bank, model, PLSSettings(scheme="centroid", scaled=False))
    ref = pd.read_csv(REF / "satisfaction.modeb.inner-summary.csv", index_col=0)
    mine = A.block_summary(res).loc[ref.index]
    np.testing.assert_allclose(mine[["r2", "block_communality", "mean_redundancy"]],
                               ref[["r_squared", "block_communality", "mean_Redundancy"]], atol=TOL, rtol=0)
    assert mine["ave"].isna().all() and ref["ave"].isna().all()


def test_effects_crossloadings_scores_equal_plspm(centroid):
    eff = pd.read_csv(REF / "satisfaction.effects.csv", index_col=0)
    mine = centroid.effects
    assert [f"{a} -> {b}" for a, b in zip(mine["from"], mine["to"])] == list(eff.index)
    np.testing.assert_allclose(mine[["direct", "indirect", "total"]], eff[["direct", "indirect", "total"]],
                               atol=TOL, rtol=0)
    cl = pd.read_csv(REF / "satisfaction.crossloadings.csv")
    np.testing.assert_allclose(centroid.cross_loadings.loc[cl["name"], list(BANK_BLOCKS)], cl[list(BANK_BLOCKS)],
                               atol=TOL, rtol=0)
    sc = pd.read_csv(REF / "satisfaction.scores.csv")
    np.testing.assert_allclose(centroid.scores[sc.columns], sc, atol=TOL, rtol=0)


def test_unidimensionality_equals_plspm(centroid):
    ref = pd.read_csv(REF / "satisfaction_unidim.csv", index_col=0)
    mine = A.unidimensionality(centroid).loc[ref.index]
    np.testing.assert_allclose(mine[["alpha", "dg_rho", "eig_1st", "eig_2nd"]],
                               ref[["cronbach_alpha", "dillon_goldstein_rho", "eig_1st", "eig_2nd"]], atol=TOL, rtol=0)


# --- R seminr, mobi data, path scheme, standardized items ------------------------------------------

def test_formative_block_equals_seminr(mobi):
    res = estimate_pls(mobi, PLSModel.build(MOBI_BASIC, MOBI_BASIC_PATHS, modes={"Quality": "formative"}))
    ref = pd.read_csv(REF / "seminr-mobi-basic-outer-model.csv", index_col=0)
    o = res.outer.set_index("indicator").loc[ref.index]
    np.testing.assert_allclose(o[["weight", "loading"]], ref[["weight", "loading"]], atol=TOL, rtol=0)
    paths = pd.read_csv(REF / "seminr-mobi-basic-paths.csv", index_col=0)
    np.testing.assert_allclose(res.path_matrix().loc[paths.index, paths.columns], paths, atol=TOL, rtol=0)


def test_two_stage_higher_order_equals_seminr(mobi, seminr_py):
    blocks = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Value": ["PERV1", "PERV2"], **MOBI_BASIC}
    model = PLSModel.build(blocks, [("Expectation", "Satisfaction"), ("Quality", "Satisfaction"),
                                    ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty")],
                           modes={"Quality": "formative"}, higher_order={"Satisfaction": ["Image", "Value"]})
    res = estimate_pls(mobi, model)
    ref = pd.read_csv(REF / "seminr-mobi-hoc-ts-outer-model.csv", index_col=0)
    stage2 = res.outer[res.outer["stage"] == 2].set_index("indicator")
    # R seminr's combined matrix leaves the dimensions' own items at 0 (they are not final-stage
    # indicators); their stage-1 values are compared with seminr's first-stage model below
    in_final = [i for i in ref.index if i in stage2.index]
    assert set(ref.index) - set(in_final) == {"IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5", "PERV1", "PERV2"}
    assert (ref.drop(in_final) == 0).all().all()
    np.testing.assert_allclose(stage2.loc[in_final, ["weight", "loading"]], ref.loc[in_final, ["weight", "loading"]],
                               atol=TOL, rtol=0)
    paths = pd.read_csv(REF / "seminr-mobi-hoc-ts-paths.csv", index_col=0)
    np.testing.assert_allclose(res.path_matrix().loc[paths.index, paths.columns], paths, atol=TOL, rtol=0)
    stage1 = res.outer[res.outer["stage"] == 1]
    s1l, s1w = matrix(seminr_py["hoc_stage1"]["loadings"]), matrix(seminr_py["hoc_stage1"]["weights"])
    for row in stage1.itertuples():
        assert row.loading == pytest.approx(s1l.loc[row.indicator, row.construct], abs=TOL)
        assert row.weight == pytest.approx(s1w.loc[row.indicator, row.construct], abs=TOL)


def test_repeated_indicators_higher_order(mobi):
    blocks = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Value": ["PERV1", "PERV2"],
              "Expectation": MOBI_BASIC["Expectation"], "Loyalty": MOBI_BASIC["Loyalty"]}
    model = PLSModel.build(blocks, [("Expectation", "Satisfaction"), ("Satisfaction", "Loyalty")],
                           higher_order={"Satisfaction": ["Image", "Value"]}, approach="repeated_indicators")
    res = estimate_pls(mobi, model)
    sat = res.outer[res.outer["construct"] == "Satisfaction"]
    assert list(sat["indicator"]) == blocks["Image"] + blocks["Value"]
    pm = res.path_matrix()
    # a reflective HOC points to its dimensions; their "loadings" are these paths
    assert pm.loc["Satisfaction", "Image"] > 0.8 and pm.loc["Satisfaction", "Value"] > 0.6
    # the HOC's loadings are the items' correlations with its composite
    corr = np.corrcoef(mobi[sat["indicator"]].to_numpy().T, res.scores["Satisfaction"])[-1, :-1]
    np.testing.assert_allclose(sat["loading"], corr, atol=1e-10)


# --- PLSc and the assessment statistics: Python seminr ----------------------------------------------

MOBI_FULL = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Expectation": [f"CUEX{i}" for i in range(1, 4)],
             "Quality": [f"PERQ{i}" for i in range(1, 8)], "Value": ["PERV1", "PERV2"],
             "Satisfaction": [f"CUSA{i}" for i in range(1, 4)], "Complaints": ["CUSCO"],
             "Loyalty": [f"CUSL{i}" for i in range(1, 4)]}
MOBI_FULL_PATHS = [("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
                   ("Expectation", "Quality"), ("Expectation", "Value"), ("Expectation", "Satisfaction"),
                   ("Quality", "Value"), ("Quality", "Satisfaction"), ("Value", "Satisfaction"),
                   ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty")]


def test_consistent_pls_equals_seminr(mobi, seminr_py):
    res = estimate_pls(mobi, PLSModel.build(MOBI_FULL, MOBI_FULL_PATHS), PLSSettings(consistent=True))
    ref = seminr_py["plsc"]
    paths = matrix(ref["paths"])
    np.testing.assert_allclose(res.path_matrix().loc[paths.index, paths.columns], paths, atol=TOL)
    lo = matrix(ref["loadings"])
    for row in res.outer.itertuples():
        assert row.loading == pytest.approx(lo.loc[row.indicator, row.construct], abs=TOL)
    r2 = matrix(ref["r_squared"])
    np.testing.assert_allclose(res.r2.loc[r2.columns, "r2"], r2.loc["Rsq"], atol=TOL)
    np.testing.assert_allclose(res.r2.loc[r2.columns, "r2_adj"], r2.loc["AdjRsq"], atol=TOL)
    rel = matrix(ref["reliability"]).drop(index="Complaints")  # single item: NaN here, 1 in seminr
    mine = A.reliability(res).loc[rel.index]
    np.testing.assert_allclose(mine[["alpha", "rho_a", "rho_c", "ave"]], rel[["alpha", "rhoA", "rhoC", "AVE"]],
                               atol=TOL)
    h = matrix(ref["htmt"])
    mine_h = A.htmt(res).loc[h.index, h.columns].to_numpy()
    upper = ~np.isnan(h.to_numpy())
    np.testing.assert_allclose(mine_h[upper], h.to_numpy()[upper], atol=TOL)
    assert res.admissible


def test_vif_htmt_reliability_equal_seminr(mobi, seminr_py):
    res = estimate_pls(mobi, PLSModel.build(MOBI_BASIC, MOBI_BASIC_PATHS, modes={"Quality": "formative"}))
    ref = seminr_py["basic"]
    vif = A.outer_vif(res).set_index("indicator")["vif"]
    for construct, items in ref["item_vifs"].items():
        for item, v in items.items():
            assert vif[item] == pytest.approx(v, abs=TOL)
    inner = A.inner_vif(res).set_index(["from", "to"])["vif"]
    for dv, ants in ref["antecedent_vifs"].items():
        for a, v in ants.items():
            if len(ants) > 1:
                assert inner[(a, dv)] == pytest.approx(v, abs=TOL)
            else:  # one antecedent: seminr NaN, VIF 1 by definition
                assert inner[(a, dv)] == 1.0
    h = matrix(ref["htmt"])
    upper = ~np.isnan(h.to_numpy())
    np.testing.assert_allclose(A.htmt(res).loc[h.index, h.columns].to_numpy()[upper], h.to_numpy()[upper], atol=TOL)
    rel = matrix(ref["reliability"]).loc[["Image", "Expectation", "Loyalty"]]
    np.testing.assert_allclose(A.reliability(res).loc[rel.index, ["alpha", "rho_a", "rho_c", "ave"]],
                               rel[["alpha", "rhoA", "rhoC", "AVE"]], atol=TOL)


def test_htmt_equals_project_htmt(bank, centroid):
    from study.measurement import htmt as project_htmt
    ref = project_htmt(BANK_BLOCKS, bank, htmt2=False, absolute=True)
    np.testing.assert_allclose(A.htmt(centroid).loc[ref.index, ref.columns], ref, atol=1e-12)


def test_f2_and_inner_vif_equal_ols_on_scores(bank):
    """f² and inner VIF from the scores of the full model, checked with statsmodels OLS."""
    import statsmodels.api as smapi
    from statsmodels.stats.outliers_influence import variance_inflation_factor
    res = estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS))
    sc = res.scores
    f2 = A.f_squared(res).set_index(["from", "to"])["f2"]
    vif = A.inner_vif(res).set_index(["from", "to"])["vif"]
    for dv in ["SAT", "VAL", "LOY"]:
        ants = [a for a, b in BANK_PATHS if b == dv]
        full = smapi.OLS(sc[dv], smapi.add_constant(sc[ants])).fit().rsquared
        for a in ants:
            rest = [x for x in ants if x != a]
            excl = smapi.OLS(sc[dv], smapi.add_constant(sc[rest])).fit().rsquared
            assert f2[(a, dv)] == pytest.approx((full - excl) / (1 - full), abs=1e-10)
            exog = smapi.add_constant(sc[ants]).to_numpy()
            assert vif[(a, dv)] == pytest.approx(variance_inflation_factor(exog, ants.index(a) + 1), abs=1e-10)
    r2 = smapi.OLS(sc["SAT"], smapi.add_constant(sc[["IMAG", "EXPE", "QUAL", "VAL"]])).fit()
    assert res.r2.loc["SAT", "r2"] == pytest.approx(r2.rsquared, abs=1e-12)
    assert res.r2.loc["SAT", "r2_adj"] == pytest.approx(r2.rsquared_adj, abs=1e-12)


def test_reliability_formulas(centroid):
    rel = A.reliability(centroid)
    lam = centroid.loadings("SAT").to_numpy()
    assert rel.loc["SAT", "rho_c"] == pytest.approx(lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam ** 2).sum()))
    assert rel.loc["SAT", "ave"] == pytest.approx((lam ** 2).mean())
    fl = A.fornell_larcker(centroid)
    assert fl.loc["SAT", "SAT"] == pytest.approx(np.sqrt(rel.loc["SAT", "ave"]))
    assert fl.loc["LOY", "SAT"] == pytest.approx(np.corrcoef(centroid.scores["LOY"], centroid.scores["SAT"])[0, 1])
    assert np.isnan(fl.loc["SAT", "LOY"])


def test_model_fit_saturated_srmr_by_hand(bank):
    """SRMR of the saturated composite model, written out for one pair of blocks."""
    res = estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS))
    fit = A.model_fit(res)
    items = [i for b in BANK_BLOCKS.values() for i in b]
    r = bank[items].corr().to_numpy()
    lam = res.outer["loading"].to_numpy()
    block = np.repeat(np.arange(6), [len(b) for b in BANK_BLOCKS.values()])
    rho = res.correlations.to_numpy()
    sigma = np.where(block[:, None] == block[None, :], r, np.outer(lam, lam) * rho[block][:, block])
    tri = np.tril_indices(len(items))
    assert fit.loc["saturated", "srmr"] == pytest.approx(np.sqrt(((r - sigma)[tri] ** 2).mean()), abs=1e-12)
    assert fit.loc["estimated", "srmr"] >= fit.loc["saturated", "srmr"]
    assert 0 < fit.loc["estimated", "nfi"] < fit.loc["saturated", "nfi"] < 1


def test_q2_blindfolding(bank):
    res = estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS))
    q2 = A.q_squared(bank, res).set_index("construct")
    # SSO is the sum of squared standardized values: n x indicators, as SmartPLS reports it
    assert q2.loc["SAT", "sso"] == pytest.approx(250 * 4)
    assert (q2["q2"] > 0).all() and (q2["q2"] < res.r2.loc[q2.index, "r2"]).all()
    assert list(q2.index) == ["EXPE", "QUAL", "VAL", "SAT", "LOY"]
    assert (q2["omission_distance"] == 7).all()


def test_scores_and_loadings_consistent(bank):
    res = estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS))
    num = bank.drop(columns="gender")
    z = (num - num.mean()) / num.std(ddof=0)
    for c, items in BANK_BLOCKS.items():
        w = res.weights(c)
        np.testing.assert_allclose(res.scores[c], z[items].to_numpy() @ w.to_numpy(), atol=1e-10)
        assert res.scores[c].var(ddof=0) == pytest.approx(1.0)
        np.testing.assert_allclose(res.loadings(c), [np.corrcoef(bank[i], res.scores[c])[0, 1] for i in items],
                                   atol=1e-10)


# --- bad input: clear messages, nothing estimated ---------------------------------------------------

def test_formative_single_item_is_an_error(mobi):
    model = PLSModel.build(MOBI_BASIC, MOBI_BASIC_PATHS, modes={"Complaints": "formative"})
    with pytest.raises(PLSModelError, match=r"'Complaints' is formative \(mode B\) with a single item \(CUSCO\)"):
        estimate_pls(mobi, model)


def test_zero_variance_item_is_an_error(mobi):
    data = mobi.copy()
    data["CUEX2"] = 7
    with pytest.raises(PLSModelError, match=r"item 'CUEX2' \(Expectation\) has the same answer \(7\) from every"):
        estimate_pls(data, PLSModel.build(MOBI_BASIC, MOBI_BASIC_PATHS))


def test_not_converging_is_an_error():
    data = pd.read_csv(REF / "nonconvergent.csv")
    model = PLSModel.build({"A": ["a1", "a2"], "B": ["b1", "b2"], "C": ["c1", "c2"]},
                           [("A", "B"), ("B", "C"), ("A", "C")])
    with pytest.raises(PLSNotConverged, match=r"did not converge in 300 iterations .* b1 and b2 \(r = -0\.24\)"):
        estimate_pls(data, model)


@pytest.mark.parametrize("change, message", [
    (lambda b, p: ({**b, "LOY": b["LOY"] + ["sat1"]}, p), r"item 'sat1' is in both 'SAT' and 'LOY'"),
    (lambda b, p: ({**b, "LOY": ["loy1", "loyy2"]}, p), r"item 'loyy2' is not a column of the data \(did you mean 'loy2'\?\)"),
    (lambda b, p: (b, p + [("LOY", "IMAG")]), r"loop among"),
    (lambda b, p: (b, p + [("SAT", "LYO")]), r"'LYO' is not a construct \(did you mean 'LOY'\?\)"),
    (lambda b, p: (b, p + [("SAT", "LOY")]), r"listed twice"),
    (lambda b, p: ({**b, "X": ["gender"]}, p), r"construct 'X' has no structural path"),
])
def test_model_errors(bank, change, message):
    blocks, paths = change(dict(BANK_BLOCKS), list(BANK_PATHS))
    with pytest.raises(PLSModelError, match=message):
        estimate_pls(bank, PLSModel.build(blocks, paths))


def test_missing_answers_are_an_error(bank):
    data = bank.copy()
    data.loc[data.index[:3], "sat2"] = np.nan
    with pytest.raises(PLSModelError, match=r"3 respondents have no answer to sat2"):
        estimate_pls(data, PLSModel.build(BANK_BLOCKS, BANK_PATHS))


def test_inadmissible_plsc_is_flagged(bank):
    # two nearly collinear blocks with low reliability: corrected correlation beyond 1
    rng = np.random.default_rng(3)
    f = rng.normal(size=300)
    d = pd.DataFrame({"a1": f + rng.normal(scale=1.5, size=300), "a2": f + rng.normal(scale=1.5, size=300),
                      "b1": f + rng.normal(scale=1.5, size=300), "b2": f + rng.normal(scale=1.5, size=300),
                      "c1": rng.normal(size=300) + f, "c2": rng.normal(size=300) + f})
    res = estimate_pls(d, PLSModel.build({"A": ["a1", "a2"], "B": ["b1", "b2"], "C": ["c1", "c2"]},
                                         [("A", "B"), ("B", "C")]), PLSSettings(consistent=True))
    if res.admissible:  # the draw decides; the flag must agree with the numbers either way
        assert (res.correlations.abs().to_numpy() <= 1 + 1e-9).all()
    else:
        assert any("beyond 1" in p or "rho_A" in p for p in res.problems)
