"""The ordinal estimator (lavaan's WLSMV, delta parameterization) against lavaan 0.6.14.

Reference: tests/reference/ordinal_reference.json, written by tests/reference/make_ordinal_reference.R
(the mission model on the ECSI bank-customer survey "satisfaction" shipped with the R packages plspm and
semPLS, 250 respondents, 0–10 items with empty categories; and the default study's second-order model
on tests/reference/ecommerce_loyalty_analysed.csv).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from study.model.effects import indirect_effect
from study.model.ordinal import OrdinalFit, fit_wlsmv
from study.model.polychoric import (asymptotic_covariance, bivariate_normal_cdf, ordinal_data, polychoric,
                                    sample_statistics, thresholds)
from study.model.syntax import second_order_pairs, sem_syntax
from study.questionnaire import load_study

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = json.loads((ROOT / "tests/reference/ordinal_reference.json").read_text())
MISSION = """QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"""


def _bank() -> pd.DataFrame:
    return pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv").iloc[:, 1:]


def _ecommerce() -> pd.DataFrame:
    return pd.read_csv(ROOT / "tests/reference/ecommerce_loyalty_analysed.csv")


@pytest.fixture(scope="module")
def fits() -> dict[str, OrdinalFit]:
    study = load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml")
    return {"bank": fit_wlsmv(MISSION, _bank()),
            "ecommerce": fit_wlsmv(sem_syntax(study), _ecommerce(), measurement_pairs=second_order_pairs(study))}


def _lavaan_positions(fit: OrdinalFit, items: list[str]) -> np.ndarray:
    """Where each element of lavaan's WLS.obs (items in lavaan's order) sits in ours."""
    st = fit.statistics
    names = st.threshold_names
    ours = {name: k for k, name in enumerate(names)}
    pos = {item: k for k, item in enumerate(st.items)}
    p = len(items)
    out = []
    for item, t in zip(items, [st.thresholds[pos[i]] for i in items]):
        out += [ours[f"{item}|t{c + 1}"] for c in range(len(t))]
    cols, rows = np.triu_indices(p, 1)
    ours_rows, ours_cols = np.triu_indices(p, 1)[::-1]
    pair_index = {}
    for k, (i, j) in enumerate(zip(ours_rows, ours_cols)):
        pair_index[frozenset((st.items[i], st.items[j]))] = len(names) + k
    out += [pair_index[frozenset((items[i], items[j]))] for i, j in zip(rows, cols)]
    return np.array(out)


# ---------------------------------------------------------------------------------------------
# building blocks


def test_bivariate_normal_cdf_is_exact():
    def exact(h, k, r):  # Φ(h)Φ(k) + ∫₀^ρ φ₂(h, k; t) dt
        f = lambda t: np.exp(-(h * h - 2 * t * h * k + k * k) / (2 * (1 - t * t))) / (2 * np.pi * np.sqrt(1 - t * t))
        return stats.norm.cdf(h) * stats.norm.cdf(k) + integrate.quad(f, 0, r, epsabs=1e-15, epsrel=1e-13,
                                                                       limit=500)[0]

    rng = np.random.default_rng(3)
    h, k = rng.normal(0, 1.5, (2, 60))
    r = np.concatenate([rng.uniform(-0.999, 0.999, 40), [0.95, -0.95, 0.99, -0.99, 0.999, -0.999, 0.93, -0.93,
                                                          0.0, 0.5, -0.5, 0.3, -0.3, 0.8, -0.8, 0.925, -0.925,
                                                          0.97, -0.97, 0.1]])
    ours = bivariate_normal_cdf(h, k, r)
    assert np.max(np.abs(ours - [exact(a, b, c) for a, b, c in zip(h, k, r)])) < 1e-12
    inf = np.inf
    got = bivariate_normal_cdf([inf, -inf, 1.0, inf, 0.3], [0.5, 1.0, inf, inf, -inf], 0.4)
    np.testing.assert_allclose(got, [stats.norm.cdf(0.5), 0, stats.norm.cdf(1.0), 1, 0], atol=1e-15)


def test_ordinal_data_codes_and_errors():
    d = ordinal_data(pd.DataFrame({"a": [0, 3, 3, 10], "b": [2, 2, 5, 5]}))
    assert d.codes[:, 0].tolist() == [0, 1, 1, 2]  # unused categories are dropped, as lavaan's ordered()
    assert d.n_categories.tolist() == [3, 2]
    with pytest.raises(ValueError, match="non-integer"):
        ordinal_data(pd.DataFrame({"a": [1.5, 2, 3]}))
    with pytest.raises(ValueError, match="distinct values"):
        ordinal_data(pd.DataFrame({"a": np.arange(12)}))
    with pytest.raises(ValueError, match="single observed value"):
        ordinal_data(pd.DataFrame({"a": [4, 4, 4]}))
    with pytest.raises(ValueError, match="complete data"):
        ordinal_data(pd.DataFrame({"a": [1, np.nan, 3]}))


def test_polychoric_recovers_a_known_correlation():
    rng = np.random.default_rng(1)
    z = rng.multivariate_normal([0, 0, 0], [[1, .6, -.3], [.6, 1, .2], [-.3, .2, 1]], size=4000)
    codes = np.column_stack([np.digitize(z[:, 0], [-1, 0, 1]), np.digitize(z[:, 1], [-.5, .8]),
                             np.digitize(z[:, 2], [0.0])])
    th = thresholds(codes, np.array([4, 3, 2]))
    np.testing.assert_allclose(th[1], [-.5, .8], atol=0.05)
    r = polychoric(codes, th)
    np.testing.assert_allclose(r[np.tril_indices(3, -1)], [.6, -.3, .2], atol=0.05)
    gamma = asymptotic_covariance(codes, th, r)
    assert gamma.shape == (6 + 3, 6 + 3) and np.all(np.linalg.eigvalsh(gamma) > 0)


# ---------------------------------------------------------------------------------------------
# against lavaan


def test_sample_statistics_match_lavaan():
    ref = REFERENCE["bank"]  # 0–10 items, some categories unused (e.g. imag4 starts at 3)
    st = sample_statistics(_bank(), ref["items"])
    assert st.threshold_names == ref["thresholds"]["name"]
    np.testing.assert_allclose(np.concatenate(st.thresholds), ref["thresholds"]["value"], atol=1e-10)
    # lavCor(); lavaan's nlminb stops ~1e-8 from the maximum
    np.testing.assert_allclose(st.polychoric, np.array(ref["polychoric"]), atol=1e-6)
    np.testing.assert_allclose(np.diag(st.gamma), ref["gamma_diag"], rtol=1e-5)
    np.testing.assert_allclose(st.wls_v, ref["wls_v_diag"], rtol=1e-5)
    np.testing.assert_allclose(st.gamma[:5, :5], np.array(ref["gamma_first"]), rtol=1e-8, atol=1e-10)
    m = len(st.gamma)
    corner = st.gamma[np.ix_([m - 1, m - 2, m - 3], [0, m - 1, m - 2, m - 3])]
    np.testing.assert_allclose(corner, np.array(ref["gamma_corner"]), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("case", ["bank", "ecommerce"])
def test_gamma_inside_the_fit_is_lavaans(fits, case):
    fit, ref = fits[case], REFERENCE[case]
    pos = _lavaan_positions(fit, ref["items"])
    np.testing.assert_allclose(np.diag(fit.statistics.gamma)[pos], ref["gamma_diag"], rtol=1e-5)
    np.testing.assert_allclose(fit.statistics.wls_v[pos], ref["wls_v_diag"], rtol=1e-5)
    np.testing.assert_allclose(fit.polychoric.loc[ref["items"], ref["items"]], np.array(ref["polychoric"]),
                               atol=1e-6)
    np.testing.assert_allclose(fit.statistics.wls_obs[pos][:len(ref["thresholds"]["value"])],
                               ref["thresholds"]["value"], atol=1e-10)


@pytest.mark.parametrize("case", ["bank", "ecommerce"])
def test_estimates_match_lavaan(fits, case):
    fit, ref = fits[case], REFERENCE[case]
    assert fit.fitted.converged and fit.fitted.proper
    table = fit.estimates.set_index(["lhs", "op", "rhs"])
    compared = 0
    for row in ref["estimates"]:
        if row["op"] not in ("=~", "~", "~~"):
            continue
        ours = table.loc[(row["lhs"], row["op"], row["rhs"])]
        assert ours["est"] == pytest.approx(row["est"], abs=1e-5)
        assert ours["std_all"] == pytest.approx(row["std_all"], abs=1e-5)
        assert ours["se_std"] == pytest.approx(row["se_std"], abs=1e-5)
        if ours["free"]:
            assert ours["se"] == pytest.approx(row["se"], abs=1e-6)
            assert ours["z"] == pytest.approx(row["z"], rel=1e-5)
            assert ours["pvalue"] == pytest.approx(row["pvalue"], abs=1e-6)
        else:  # residual variances: 1 − R², fixed (lavaan se 0)
            assert row["se"] == 0
        compared += 1
    assert compared == len(table)


@pytest.mark.parametrize("case", ["bank", "ecommerce"])
def test_thresholds_table_matches_lavaan(fits, case):
    fit, ref = fits[case], REFERENCE[case]
    lav = {(r["lhs"], r["rhs"]): r for r in ref["estimates"] if r["op"] == "|"}
    assert len(lav) == len(fit.thresholds)
    for _, row in fit.thresholds.iterrows():
        r = lav[(row["lhs"], row["rhs"])]
        assert row["est"] == pytest.approx(r["est"], abs=1e-10)
        assert row["se"] == pytest.approx(r["se"], rel=1e-6)


@pytest.mark.parametrize("case", ["bank", "ecommerce"])
def test_fit_measures_match_lavaan(fits, case):
    fit, ref = fits[case], REFERENCE[case]
    for name, value in ref["fit"].items():
        ours = fit.fit[name]
        assert ours == pytest.approx(value, rel=1e-6, abs=1e-7), name
    shift = ref["test"]["shift.parameter"]
    assert fit.fit["chisq.shift.parameter"] == pytest.approx(shift, rel=1e-6)
    assert fit.fit["chisq"] == pytest.approx(ref["test"]["standard"], rel=1e-6)


def test_fitted_model_is_usable_downstream(fits):
    fit = fits["bank"]
    fm = fit.fitted
    np.testing.assert_allclose(np.diag(fm.sigma), 1.0)  # delta parameterization
    np.testing.assert_allclose(fm.sample_cov, fit.polychoric.loc[fm.structure.observed, fm.structure.observed])
    ref = REFERENCE["bank"]["indirect"]
    effect = indirect_effect(fm, tuple(ref["chain"]))
    assert effect.est == pytest.approx(ref["est"], abs=1e-5)
    assert effect.se_delta == pytest.approx(ref["se"], abs=1e-6)


def test_fit_wlsmv_refuses_continuous_items():
    data = _bank().drop(columns="gender").astype(float)
    data["qual1"] = data["qual1"] + 0.5 * (np.arange(len(data)) % 2)
    with pytest.raises(ValueError, match="qual1"):
        fit_wlsmv(MISSION, data)


def test_saturated_model_and_binary_items():
    # three indicators of one factor: df = 0 (lavaan: chisq 0, cfi = tli = 1, rmsea 0); one binary item
    data = _bank()[["loy1", "loy2", "loy3"]].copy()
    data["loy3"] = (data["loy3"] > 7).astype(int)
    fit = fit_wlsmv("LOY =~ loy1 + loy2 + loy3", data)
    assert fit.fit["df"] == 0 and fit.fit["chisq"] == pytest.approx(0, abs=1e-8)
    assert fit.fit["cfi"] == 1 and fit.fit["rmsea"] == 0
    assert (fit.thresholds["lhs"] == "loy3").sum() == 1
    np.testing.assert_allclose(fit.fitted.sigma, fit.fitted.sample_cov, atol=1e-8)
