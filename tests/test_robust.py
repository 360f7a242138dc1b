"""Robust ML (lavaan's estimator = "MLM" and "MLR") against lavaan 0.6.14.

Data: the "satisfaction" data set of the R packages plspm and semPLS (ECSI survey of 250 bank
customers, 10-point Likert items). Reference: tests/reference/robust_reference.json, written by
tests/reference/make_robust_reference.R.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.model.estimate import fit_model
from study.model.robust import ROBUST_FIT_NAMES, gamma_adf, normal_weight, robust_ml

ROOT = Path(__file__).resolve().parents[1]
DATA = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
REF = json.loads((ROOT / "tests/reference/robust_reference.json").read_text())
TOL = 5e-4
MISSION = """QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"""
CHISQ = {"chisq", "chisq.scaled", "baseline.chisq", "baseline.chisq.scaled"}


@pytest.fixture(scope="module")
def fitted():
    return fit_model(MISSION, DATA)


@pytest.fixture(scope="module", params=["MLM", "MLR"])
def robust(request, fitted):
    x = DATA[fitted.structure.observed].to_numpy(dtype=float)
    return request.param, robust_ml(fitted, x, request.param)


def test_reference_is_lavaan_defaults():
    assert REF["lavaan_version"] == "0.6.14"
    assert REF["MLM"]["options"]["se"] == "robust.sem" and REF["MLM"]["options"]["test"] == "satorra.bentler"
    assert REF["MLR"]["options"]["se"] == "robust.huber.white"
    assert REF["MLR"]["options"]["test"] == "yuan.bentler.mplus"
    assert REF["MLR"]["options"]["information"] == "observed"
    for kind in ("MLM", "MLR"):
        assert REF[kind]["options"]["gamma.n.minus.one"] is False
        assert REF[kind]["options"]["gamma.unbiased"] is False


def test_fit_measures_equal_lavaan(robust):
    kind, result = robust
    assert set(ROBUST_FIT_NAMES) <= set(result.fit)
    for key, value in REF[kind]["fit"].items():
        if key in CHISQ:
            assert result.fit[key] == pytest.approx(value, rel=TOL), (kind, key)
        else:
            assert result.fit[key] == pytest.approx(value, abs=TOL), (kind, key)
    assert result.scaling_factor == pytest.approx(REF[kind]["fit"]["chisq.scaling.factor"], abs=TOL)
    assert result.chisq_scaled == pytest.approx(REF[kind]["fit"]["chisq.scaled"], rel=TOL)


def test_robust_estimates_equal_lavaan(robust):
    kind, result = robust
    table = result.estimates.set_index(["lhs", "op", "rhs"])
    checked = 0
    for row in REF[kind]["estimates"]:
        ours = table.loc[(row["lhs"], row["op"], row["rhs"])]
        assert ours["est"] == pytest.approx(row["est"], abs=TOL), row
        if row["z"] is None:  # fixed marker loading
            assert not ours["free"]
            continue
        for column in ("se", "z", "pvalue"):
            assert ours[column] == pytest.approx(row[column], abs=TOL), (kind, row, column)
        checked += row["op"] in ("=~", "~")
    assert checked == 14 + 5  # free loadings and regressions


def test_robust_standardized_se_equal_lavaan(robust):
    kind, result = robust
    table = result.estimates.set_index(["lhs", "op", "rhs"])
    for row in REF[kind]["std"]:
        ours = table.loc[(row["lhs"], row["op"], row["rhs"])]
        assert ours["std_all"] == pytest.approx(row["est_std"], abs=TOL), row
        assert ours["se_std"] == pytest.approx(row["se"], abs=TOL), (kind, row)


def test_robust_fitted_model_carries_robust_vcov(robust, fitted):
    _, result = robust
    assert np.array_equal(result.fitted.vcov, result.vcov)
    assert np.array_equal(result.fitted.theta, fitted.theta)
    assert result.fitted.estimates is result.estimates
    assert not np.allclose(result.vcov, fitted.vcov)  # Likert data: not the normal-theory matrix


def test_gamma_is_normal_theory_inverse_weight_for_normal_moments():
    """Γ from normal data approaches W⁻¹ = 2 D⁺(Σ⊗Σ)D⁺ᵀ."""
    rng = np.random.default_rng(1)
    sigma = np.array([[1.0, 0.5, 0.2], [0.5, 2.0, 0.3], [0.2, 0.3, 1.5]])
    x = rng.multivariate_normal(np.zeros(3), sigma, size=200_000)
    gamma = gamma_adf(x)
    expected = np.linalg.inv(normal_weight(sigma))
    assert np.abs(gamma - expected).max() < 0.05 * np.abs(expected).max()


@pytest.mark.parametrize("kind", ["MLM", "MLR"])
def test_scaling_factor_near_one_for_normal_data(fitted, kind):
    rng = np.random.default_rng(20240611)
    observed = fitted.structure.observed
    x = rng.multivariate_normal(np.zeros(len(observed)), fitted.sigma, size=3000)
    frame = pd.DataFrame(x, columns=observed)
    refit = fit_model(MISSION, frame)
    result = robust_ml(refit, frame[refit.structure.observed].to_numpy(), kind)
    assert result.scaling_factor == pytest.approx(1.0, abs=0.08)
    # (not so the baseline's ĉ_B: Γ is normal-theory at the true Σ, not at the misspecified diag(S))
    ratio = np.sqrt(np.diag(result.vcov) / np.diag(refit.vcov))
    assert np.all(np.abs(ratio - 1) < 0.15)


def test_wrong_column_order_and_kind_are_refused(fitted):
    x = DATA[fitted.structure.observed].to_numpy(dtype=float)
    with pytest.raises(ValueError, match="order"):
        robust_ml(fitted, x[:, ::-1], "MLM")
    with pytest.raises(ValueError, match="kind"):
        robust_ml(fitted, x, "WLSMV")
    with pytest.raises(ValueError):
        robust_ml(fitted, x[:-1], "MLM")


def test_normal_weight_is_the_duplication_matrix_product():
    """normal_weight's element-by-element form is ½ Dᵀ(Σ⁻¹ ⊗ Σ⁻¹)D."""
    from study.model.robust import _vech_index

    def _duplication(p):  # D with vec(A) = D vech(A) for symmetric A (p² × p*)
        rows, cols = _vech_index(p)
        d = np.zeros((p * p, len(rows)))
        d[rows * p + cols, np.arange(len(rows))] = 1.0
        d[cols * p + rows, np.arange(len(rows))] = 1.0
        return d

    rng = np.random.default_rng(3)
    for p in (1, 2, 5, 18):
        a = rng.normal(size=(p, p))
        sigma = a @ a.T + p * np.eye(p)
        inv, d = np.linalg.inv(sigma), _duplication(p)
        np.testing.assert_allclose(normal_weight(sigma), 0.5 * d.T @ np.kron(inv, inv) @ d, rtol=1e-13, atol=1e-15)


def test_observed_information_takes_the_gradients_together_as_one_at_a_time(fitted):
    """The 4q gradients of the numerical Hessian, evaluated on stacked arrays, give lavaan's rule applied one
    gradient at a time (to the rounding of the finite differences)."""
    from study.model.robust import _half_gradient, observed_information

    theta, s, h, q = fitted.theta, fitted.sample_cov, 1e-6, len(fitted.theta)
    one_at_a_time = np.empty((q, q))
    for j in range(q):
        step = np.zeros(q)
        step[j] = h
        g = [_half_gradient(fitted.structure, theta + k * step, s) for k in (-2, -1, 1, 2)]
        one_at_a_time[:, j] = (g[0] - 8 * g[1] + 8 * g[2] - g[3]) / (12 * h)
    one_at_a_time = (one_at_a_time + one_at_a_time.T) / 2
    np.testing.assert_allclose(observed_information(fitted), one_at_a_time, rtol=0, atol=1e-8)


def _casewise_scores(yc, sigma, grads):
    """The scores of each case, as lavaan's lav_mvnorm_scores_vech_sigma times Δ (n × q)."""
    inv = np.linalg.inv(sigma)
    u = yc @ inv
    quad = np.einsum("ni,kij,nj->nk", u, grads, u, optimize=True)
    return 0.5 * (quad - np.einsum("ij,kji->k", inv, grads))


def test_the_score_crossproduct_from_gamma_is_the_sum_over_cases(fitted):
    """MLR's B from Γ equals (1/n) Σ gᵢgᵢᵀ of the casewise scores, at the optimum and away from it (b ≠ 0),
    and for the baseline model's diagonal Σ."""
    from study.model.estimate import sigma_derivatives
    from study.model.robust import _score_crossproduct

    x = DATA[fitted.structure.observed].to_numpy(dtype=float)
    yc = x - x.mean(axis=0)
    s, gamma = fitted.sample_cov, gamma_adf(x)
    p = len(s)
    baseline = np.zeros((p, p, p))
    baseline[np.arange(p), np.arange(p), np.arange(p)] = 1.0
    for theta_shift, grads_of in ((0.0, None), (0.05, None), (None, baseline)):
        if grads_of is None:
            sigma, grads = sigma_derivatives(fitted.structure, fitted.theta + theta_shift)
        else:
            sigma, grads = np.diag(np.diag(s)), grads_of
        scores = _casewise_scores(yc, sigma, grads)
        np.testing.assert_allclose(_score_crossproduct(s, sigma, grads, gamma), scores.T @ scores / len(yc),
                                   rtol=1e-10, atol=1e-13)


def test_gamma_taken_a_block_of_rows_at_a_time_is_the_whole_sum(monkeypatch):
    import study.model.robust as robust

    x = DATA.select_dtypes("number").to_numpy(dtype=float)[:, :9]
    whole = robust.gamma_adf(x)
    monkeypatch.setattr(robust, "GAMMA_CHUNK", 45 * 7)  # blocks of 7 rows, the last one shorter
    np.testing.assert_allclose(robust.gamma_adf(x), whole, rtol=1e-12, atol=1e-14)
    yc = x - x.mean(axis=0)
    rows, cols = robust._vech_index(9)
    d = yc[:, rows] * yc[:, cols]
    d = d - d.mean(axis=0)
    np.testing.assert_allclose(whole, d.T @ d / len(x), rtol=1e-12, atol=1e-14)
