"""Further measurement statistics checked against R reference values.

Data: the satisfaction data set of the R packages plspm / semPLS (ECSI survey of
250 bank customers), at questionnaires/data/satisfaction.csv; the items of the
mission model (QUAL = qual1-5, SAT = sat1-4, TRUST = imag1-5, LOY = loy1-4).

Reference values in tests/reference/measurement_more.json come from
tests/reference/measurement_more.R (R psych, semTools, lavaan); the header of
that script lists the R call behind each number. Regenerate with
``Rscript tests/reference/measurement_more.R`` from the project root.

Agreement contract: 3 decimals (ATOL = 5e-4). Closed-form statistics (Feldt CI,
Mardia, KMO, principal axis EFA, omega from given estimates) agree to ~1e-12
and are held to CLOSED; iterative ML fits agree to ~1e-5.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.measurement import (
    AlphaCI,
    EFAResult,
    MardiaResult,
    alpha_ci,
    composite_reliability,
    cronbach_alpha,
    cross_loadings,
    efa,
    kmo,
    mardia,
    mcdonald_omega,
    omega_from_loadings,
    parallel_analysis,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
REF = Path(__file__).resolve().parent / "reference" / "measurement_more.json"

ATOL = 5e-4  # the contract: agreement with R to 3 decimals
CLOSED = 1e-9  # closed-form statistics

CONSTRUCTS = {
    "QUAL": [f"qual{i}" for i in range(1, 6)],
    "SAT": [f"sat{i}" for i in range(1, 5)],
    "TRUST": [f"imag{i}" for i in range(1, 6)],
    "LOY": [f"loy{i}" for i in range(1, 5)],
}
ITEMS = [i for its in CONSTRUCTS.values() for i in its]
ECSI_ITEMS = ([f"imag{i}" for i in range(1, 6)] + [f"expe{i}" for i in range(1, 6)]
              + [f"qual{i}" for i in range(1, 6)] + [f"val{i}" for i in range(1, 5)]
              + [f"sat{i}" for i in range(1, 5)] + [f"loy{i}" for i in range(1, 5)])


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads(REF.read_text())


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(DATA, index_col=0)


@pytest.fixture(scope="module")
def x(data, ref) -> pd.DataFrame:
    d = data[ITEMS].dropna()
    assert len(d) == ref["n"] == 250
    assert ref["items"] == CONSTRUCTS
    return d


# --------------------------------------------------------------------------
# alpha with Feldt's confidence interval
# --------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_alpha_ci_matches_psych(x, ref, name):
    r = ref["alpha_ci"][name]
    its = CONSTRUCTS[name]
    res = alpha_ci(x[its])
    assert isinstance(res, AlphaCI)
    assert res.level == 0.95
    assert res.alpha == pytest.approx(r["alpha"], abs=CLOSED)
    assert res.alpha == pytest.approx(cronbach_alpha(x[its]), abs=1e-14)
    assert res.lower == pytest.approx(r["lower_95"], abs=CLOSED)
    assert res.upper == pytest.approx(r["upper_95"], abs=CLOSED)
    assert res.lower < res.alpha < res.upper
    alpha, lower, upper, level = alpha_ci(x[its], level=0.90)  # unpacks
    assert (lower, upper, level) == (pytest.approx(r["lower_90"], abs=CLOSED),
                                     pytest.approx(r["upper_90"], abs=CLOSED), 0.90)
    assert res.lower < lower < upper < res.upper


def test_alpha_ci_validation(x):
    for bad in (0, 1, 1.5, -0.1, True, "0.95", None):
        with pytest.raises(ValueError, match="level"):
            alpha_ci(x[CONSTRUCTS["SAT"]], level=bad)
    with pytest.raises(ValueError, match="sat1"):
        alpha_ci(x[["sat1"]])


# --------------------------------------------------------------------------
# omega
# --------------------------------------------------------------------------
def test_omega_from_lavaan_estimates_matches_semtools(ref):
    om = ref["omega"]
    s = pd.DataFrame(om["sample_cov"])
    s = s.loc[s.columns]
    for name, est in om["cfa_estimates"].items():
        lam = pd.Series(est["loadings"], name=name)
        theta = pd.Series(est["residual_variances"])
        psi = est["factor_variance"]
        obs = omega_from_loadings(lam, theta, factor_variance=psi, observed_cov=s)
        assert obs == pytest.approx(om["cfa"][name], abs=CLOSED), name
        implied = omega_from_loadings(est["loadings"], est["residual_variances"], factor_variance=psi)
        assert implied == pytest.approx(om["cfa_implied"][name], abs=CLOSED), name
        # plain arrays in the same order, and a reordered residual Series, give the same value
        arr = omega_from_loadings(lam.to_numpy(), theta[lam.index].to_numpy(), factor_variance=psi,
                                  observed_cov=s.loc[lam.index, lam.index].to_numpy())
        assert arr == pytest.approx(obs, abs=1e-14)
        assert omega_from_loadings(lam, theta[::-1], factor_variance=psi) == pytest.approx(implied,
                                                                                            abs=1e-14)


def test_omega_from_our_cfa_matches_semtools(x, ref):
    """The documented workflow: fit the CFA with study.model, pass its estimates."""
    from study.model.estimate import fit_model

    fit = fit_model(ref["omega"]["cfa_syntax"], x)
    est = fit.estimates
    cov_n = x.cov(ddof=0)  # lavaan's sample covariance (divisor n)
    np.testing.assert_allclose(
        pd.DataFrame(fit.sample_cov, index=fit.structure.observed, columns=fit.structure.observed)
        .loc[ITEMS, ITEMS], cov_n.loc[ITEMS, ITEMS], atol=1e-12)
    mission = json.loads((REF.parent / "satisfaction_mission.json").read_text())
    for name, its in CONSTRUCTS.items():
        lam = est[(est.op == "=~") & (est.lhs == name)].set_index("rhs")["est"]
        res = est[(est.op == "~~") & (est.lhs == est.rhs) & est.lhs.isin(its)].set_index("lhs")["est"]
        psi = est[(est.op == "~~") & (est.lhs == name) & (est.rhs == name)]["est"].item()
        obs = omega_from_loadings(lam, res, factor_variance=psi, observed_cov=cov_n, name=name)
        assert obs == pytest.approx(ref["omega"]["cfa"][name], abs=ATOL), name
        assert obs == pytest.approx(mission["cfa"]["omega_semtools"][name], abs=ATOL), name
        implied = omega_from_loadings(lam, res, factor_variance=psi)
        assert implied == pytest.approx(ref["omega"]["cfa_implied"][name], abs=ATOL), name
        # the n - 1 covariance is a different (wrong for semTools) denominator
        wrong = omega_from_loadings(lam, res, factor_variance=psi, observed_cov=x.cov())
        assert wrong == pytest.approx(obs * 249 / 250, rel=1e-12)


def test_omega_standardized_equals_composite_reliability():
    lam = {"a": 0.8, "b": 0.7, "c": 0.9}
    theta = {k: 1 - v**2 for k, v in lam.items()}
    assert omega_from_loadings(lam, theta) == pytest.approx(composite_reliability(lam), abs=1e-14)


@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_mcdonald_omega_matches_semtools_one_factor_cfa(x, ref, name):
    its = CONSTRUCTS[name]
    assert mcdonald_omega(x[its]) == pytest.approx(ref["omega"]["single"][name], abs=ATOL)
    assert mcdonald_omega(x[its], observed=False) == pytest.approx(
        ref["omega"]["single_implied"][name], abs=ATOL)


def test_omega_validation(x):
    lam = pd.Series({"sat1": 1.0, "sat2": 0.9, "sat3": 0.8}, name="SAT")
    theta = pd.Series({"sat1": 0.5, "sat2": 0.6, "sat3": 0.7})
    with pytest.raises(ValueError, match="'SAT'.*sat1"):
        omega_from_loadings(lam[["sat1"]], theta[["sat1"]])
    with pytest.raises(ValueError, match="no residual variance for sat3"):
        omega_from_loadings(lam, theta[["sat1", "sat2"]])
    with pytest.raises(ValueError, match="without a loading: sat9"):
        omega_from_loadings(lam, pd.concat([theta, pd.Series({"sat9": 1.0})]))
    with pytest.raises(ValueError, match="Heywood.*sat2"):
        omega_from_loadings(lam, theta.replace(0.6, -0.1))
    with pytest.raises(ValueError, match="factor_variance"):
        omega_from_loadings(lam, theta, factor_variance=0)
    with pytest.raises(ValueError, match="3 loadings but 2"):
        omega_from_loadings([1.0, 0.9, 0.8], [0.5, 0.6])
    with pytest.raises(ValueError, match="non-finite.*sat2"):
        omega_from_loadings(lam.replace(0.9, np.nan), theta)
    with pytest.raises(ValueError, match="not in observed_cov: sat3"):
        omega_from_loadings(lam, theta, observed_cov=x[["sat1", "sat2"]].cov())
    with pytest.raises(ValueError, match="3 x 3"):
        omega_from_loadings(lam, theta, observed_cov=np.eye(2))
    with pytest.raises(ValueError, match="'LOY'.*loy1, loy2"):
        mcdonald_omega(x[["loy1", "loy2"]], name="LOY")
    with pytest.raises(ValueError, match="gender"):
        mcdonald_omega(pd.read_csv(DATA, index_col=0)[["sat1", "sat2", "gender"]])


# --------------------------------------------------------------------------
# Mardia
# --------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*CONSTRUCTS, "ALL"])
def test_mardia_matches_psych(x, ref, name):
    r = ref["mardia"][name]
    res = mardia(x[CONSTRUCTS[name]] if name != "ALL" else x)
    assert isinstance(res, MardiaResult)
    assert (res.n, res.p) == (r["n"], r["p"])
    for field in ("b1p", "b2p", "skew", "small_skew", "kurtosis"):
        assert getattr(res, field) == pytest.approx(r[field], rel=1e-12, abs=CLOSED), field
    for field in ("p_skew", "p_small", "p_kurt"):  # R underflows some to 0
        assert getattr(res, field) == pytest.approx(r[field], abs=1e-12), field


def test_mardia_chunking_and_validation(x):
    """Large n goes through the blockwise sum; same result as the direct formula."""
    big = pd.concat([x[CONSTRUCTS["SAT"]]] * 5, ignore_index=True)  # n = 1250 > one block
    a = big.to_numpy(float) - big.to_numpy(float).mean(0)
    d = a @ np.linalg.inv(np.cov(a, rowvar=False)) @ a.T
    res = mardia(big)
    assert res.b1p == pytest.approx((d**3).sum() / len(a) ** 2, rel=1e-10)
    assert res.b2p == pytest.approx((np.diag(d) ** 2).sum() / len(a), rel=1e-10)
    with pytest.raises(ValueError, match="more respondents than items"):
        mardia(x.iloc[:10])
    with pytest.raises(ValueError, match="singular"):
        mardia(x[["sat1", "sat2"]].assign(s=x.sat1 + x.sat2))


# --------------------------------------------------------------------------
# parallel analysis
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pa(x):
    return parallel_analysis(x, n_iter=100, seed=20240101)


def test_parallel_analysis_matches_fa_parallel(pa, ref):
    r = ref["parallel"]
    ev = pa.eigenvalues
    assert list(ev.columns) == ["pc_observed", "pc_sim_mean", "pc_sim_quantile",
                                "fa_observed", "fa_sim_mean", "fa_sim_quantile"]
    assert list(ev.index) == list(range(1, len(ITEMS) + 1))
    np.testing.assert_allclose(ev["pc_observed"], r["pc_values"], atol=CLOSED, rtol=0)
    np.testing.assert_allclose(ev["fa_observed"], r["fa_values"], atol=ATOL, rtol=0)
    # suggested numbers agree with psych (the data are far from the thresholds)
    assert pa.n_factors == r["nfact"] == 4
    assert pa.n_components == r["ncomp"] == 2
    # simulated eigenvalues are random: only roughly equal to R's draws
    np.testing.assert_allclose(ev["pc_sim_mean"], r["pc_sim_mean"], atol=0.03, rtol=0)
    np.testing.assert_allclose(ev["fa_sim_mean"], r["fa_sim_mean"], atol=0.05, rtol=0)
    assert (ev["pc_sim_quantile"] >= ev["pc_sim_mean"]).all()
    assert (ev["fa_sim_quantile"] >= ev["fa_sim_mean"]).all()


def test_parallel_analysis_simulation_step_matches_psych(ref):
    """The eigenvalues computed for each simulated data set equal psych's on the same matrix."""
    from study.measurement.efa import _minres_values

    for sim in ref["parallel"]["simulated"]:
        r = np.asarray(sim["r"])
        np.testing.assert_allclose(np.linalg.eigvalsh(r)[::-1], sim["pc_values"], atol=CLOSED)
        np.testing.assert_allclose(_minres_values(r), sim["fa_values"], atol=ATOL, rtol=0)


def test_parallel_analysis_is_deterministic(x, pa):
    sub = x[CONSTRUCTS["SAT"] + CONSTRUCTS["LOY"]]
    a = parallel_analysis(sub, n_iter=10, seed=3)
    b = parallel_analysis(sub, n_iter=10, seed=3)
    c = parallel_analysis(sub, n_iter=10, seed=4)
    pd.testing.assert_frame_equal(a.eigenvalues, b.eigenvalues)
    assert not np.allclose(a.eigenvalues["pc_sim_mean"], c.eigenvalues["pc_sim_mean"])
    np.testing.assert_array_equal(a.eigenvalues["pc_observed"], c.eigenvalues["pc_observed"])
    # the leading counts follow the table
    ev = pa.eigenvalues
    k = pa.n_components
    assert (ev["pc_observed"][:k] > ev["pc_sim_quantile"][:k]).all()
    assert ev["pc_observed"].iloc[k] <= ev["pc_sim_quantile"].iloc[k]


def test_parallel_analysis_validation(x):
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="n_iter"):
            parallel_analysis(x, n_iter=bad)
    with pytest.raises(ValueError, match="quantile"):
        parallel_analysis(x, n_iter=5, quantile=1.0)
    with pytest.raises(ValueError, match="sat1, sat2"):
        parallel_analysis(x[["sat1", "sat2"]], n_iter=5)


# --------------------------------------------------------------------------
# exploratory factor analysis
# --------------------------------------------------------------------------
EFA_CASES = {  # reference key: (items, n_factors, method, rotation)
    "pa_none": (ITEMS, 4, "pa", "none"),
    "pa_varimax": (ITEMS, 4, "pa", "varimax"),
    "pa_promax": (ITEMS, 4, "pa", "promax"),
    "ml_none": (ITEMS, 4, "ml", "none"),
    "ml_varimax": (ITEMS, 4, "ml", "varimax"),
    "ml_promax": (ITEMS, 4, "ml", "promax"),
    "pa_promax_satloy2": (CONSTRUCTS["SAT"] + CONSTRUCTS["LOY"], 2, "pa", "promax"),
    "ml_promax_satloy2": (CONSTRUCTS["SAT"] + CONSTRUCTS["LOY"], 2, "ml", "promax"),
    "pa_qual1f": (CONSTRUCTS["QUAL"], 1, "pa", "none"),
    "ml_qual1f": (CONSTRUCTS["QUAL"], 1, "ml", "none"),
}


def _align(ours: np.ndarray, theirs: np.ndarray) -> tuple[tuple[int, ...], np.ndarray]:
    """Column permutation and signs of ``theirs`` that best match ``ours``."""
    best = None
    for perm in itertools.permutations(range(theirs.shape[1])):
        t = theirs[:, perm]
        s = np.where((t * ours).sum(axis=0) < 0, -1.0, 1.0)
        err = np.abs(ours - t * s).max()
        if best is None or err < best[0]:
            best = (err, perm, s)
    return best[1], best[2]


@pytest.mark.parametrize("key", list(EFA_CASES))
def test_efa_matches_psych_fa(x, ref, key):
    its, nf, method, rotation = EFA_CASES[key]
    r = ref["efa"][key]
    tol = CLOSED if method == "pa" else ATOL
    res = efa(x[its], nf, method=method, rotation=rotation)
    assert isinstance(res, EFAResult) and res.converged
    prefix = method.upper()
    assert list(res.loadings.columns) == [f"{prefix}{j}" for j in range(1, nf + 1)]
    assert list(res.loadings.index) == its

    theirs = pd.DataFrame(r["loadings"]).loc[its]
    perm, signs = _align(res.loadings.to_numpy(), theirs.to_numpy())
    # same column order (decreasing variance accounted for) and signs as psych
    assert perm == tuple(range(nf)) and (signs == 1).all(), (perm, signs)
    np.testing.assert_allclose(res.loadings.to_numpy(), theirs.to_numpy(), atol=tol, rtol=0)

    np.testing.assert_allclose(res.communalities, pd.Series(r["communality"])[its], atol=tol, rtol=0)
    if "uniquenesses" in r:
        np.testing.assert_allclose(res.uniquenesses, pd.Series(r["uniquenesses"])[its],
                                   atol=tol, rtol=0)
    np.testing.assert_allclose(res.communalities + res.uniquenesses, 1.0, atol=1e-12)

    vacc = pd.DataFrame(r["vaccounted"])[theirs.columns]  # rows: R's labels
    cols = {"SS loadings": "ss_loadings", "Proportion Var": "proportion_var",
            "Cumulative Var": "cumulative_var", "Proportion Explained": "proportion_explained",
            "Cumulative Proportion": "cumulative_proportion"}
    for row in vacc.index:
        np.testing.assert_allclose(res.variance[cols[row]], vacc.loc[row], atol=tol, rtol=0,
                                   err_msg=row)
    if "phi" in r:
        phi = pd.DataFrame(r["phi"]).loc[theirs.columns, theirs.columns]
        np.testing.assert_allclose(res.phi.to_numpy(), phi.to_numpy(), atol=tol, rtol=0)
        np.testing.assert_allclose(np.diag(res.phi), 1.0, atol=1e-12)
        assert list(res.phi.index) == list(res.loadings.columns)
    else:
        assert res.phi is None


def test_efa_orthogonal_rotation_keeps_communalities(x):
    none = efa(x, 4, "pa", "none")
    vm = efa(x, 4, "pa", "varimax")
    np.testing.assert_allclose((vm.loadings**2).sum(axis=1), none.communalities, atol=1e-12)
    np.testing.assert_allclose(vm.variance["ss_loadings"].sum(), none.communalities.sum(), atol=1e-12)


def test_efa_validation(x, data):
    with pytest.raises(ValueError, match="method"):
        efa(x, 2, method="minres")
    with pytest.raises(ValueError, match="rotation"):
        efa(x, 2, rotation="oblimin")
    for bad in (0, 18, 2.0, True):
        with pytest.raises(ValueError, match="n_factors.*1 to 17"):
            efa(x, bad)
    with pytest.raises(ValueError, match="degrees of freedom"):
        efa(x[CONSTRUCTS["QUAL"]], 3, method="ml")  # 5 items, 3 factors: df = -1
    with pytest.raises(ValueError, match="sat1, sat2"):
        efa(x[["sat1", "sat2"]], 1)
    with pytest.raises(ValueError, match="gender"):
        efa(data[["sat1", "sat2", "sat3", "gender"]], 1)
    with pytest.raises(ValueError, match="singular"):
        efa(x[["sat1", "sat2"]].assign(s=x.sat1 + x.sat2), 1)


# --------------------------------------------------------------------------
# cross-loadings
# --------------------------------------------------------------------------
def test_cross_loadings_rules():
    lam = pd.DataFrame({"F1": [0.8, 0.45, 0.6, -0.7, 0.1],
                        "F2": [0.1, 0.2, 0.42, 0.5, -0.65],
                        "F3": [0.0, 0.1, -0.41, 0.05, 0.2]},
                       index=["q1", "q2", "q3", "q4", "q5"])
    out = cross_loadings(lam)
    assert list(out.index) == list(lam.index)
    assert list(out["primary"]) == ["F1", "F1", "F1", "F1", "F2"]
    np.testing.assert_allclose(out["primary_loading"], [0.8, 0.45, 0.6, -0.7, -0.65])
    assert list(out["secondary"]) == ["", "", "F2, F3", "F2", ""]
    np.testing.assert_allclose(out["max_secondary"], [0.1, 0.2, 0.42, 0.5, 0.2])
    assert list(out["weak_primary"]) == [False, True, False, False, False]
    assert list(out["cross_loading"]) == [False, False, True, True, False]
    assert list(out["flagged"]) == [False, True, True, True, False]
    strict = cross_loadings(lam, primary_min=0.7, cross_max=0.45)
    assert list(strict["secondary"]) == ["", "", "", "F2", ""]
    assert list(strict["weak_primary"]) == [False, True, True, False, True]


def test_cross_loadings_on_efa(x, ref):
    res = efa(x, 4, "pa", "promax")
    out = cross_loadings(res)
    pd.testing.assert_frame_equal(out, cross_loadings(res.loadings))
    lam = pd.DataFrame(ref["efa"]["pa_promax"]["loadings"]).loc[ITEMS]
    # psych's pattern: imag5 loads 0.43 on the QUAL factor, loy1 0.43 on the SAT factor
    a = lam.abs().to_numpy()
    primary = a.max(axis=1)
    second = np.sort(a, axis=1)[:, -2]
    assert list(out.index[out.flagged]) == list(lam.index[(primary < 0.5) | (second >= 0.4)])
    assert out.loc["loy1", "cross_loading"] and out.loc["imag5", "weak_primary"]
    # the primary factors follow the constructs
    for name, its in CONSTRUCTS.items():
        main = out.loc[its, "primary"].mode().item()
        assert (out.loc[[i for i in its if not out.loc[i, "flagged"]], "primary"] == main).all(), name


def test_cross_loadings_validation():
    lam = pd.DataFrame({"F1": [0.8, 0.5], "F2": [0.1, 0.3]}, index=["q1", "q2"])
    with pytest.raises(TypeError, match="DataFrame"):
        cross_loadings(lam.to_numpy())
    with pytest.raises(ValueError, match="primary_min"):
        cross_loadings(lam, primary_min=1.5)
    with pytest.raises(ValueError, match="cross_max"):
        cross_loadings(lam, cross_max=-0.1)
    with pytest.raises(ValueError, match="q2"):
        cross_loadings(lam.assign(F2=[0.1, np.nan]))
    with pytest.raises(ValueError, match="numeric"):
        cross_loadings(lam.assign(F2=["a", "b"]))


# --------------------------------------------------------------------------
# KMO per item
# --------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["mission", "ecsi"])
def test_kmo_per_item_matches_psych(data, ref, case):
    its = ITEMS if case == "mission" else ECSI_ITEMS
    r = ref["kmo"][case]
    overall, per_item = kmo(data[its].dropna())
    assert overall == pytest.approx(r["overall"], abs=CLOSED)
    assert list(per_item.index) == its
    np.testing.assert_allclose(per_item, pd.Series(r["per_item"])[its], atol=CLOSED, rtol=0)


def test_htmt_interval_is_the_bootstrap_of_the_r_checked_htmt():
    # The fast resampling loop must give exactly what recomputing htmt() (equal to semTools, see
    # tests/test_measurement.py) on each resample gives.
    from study.measurement import htmt, htmt_interval

    data = pd.read_csv(Path(__file__).resolve().parents[1] / "questionnaires/data/satisfaction.csv", index_col=0)
    blocks = {"QUAL": ["qual1", "qual2", "qual3"], "SAT": ["sat1", "sat2", "sat3", "sat4"],
              "LOY": ["loy1", "loy2", "loy3", "loy4"]}
    fast = htmt_interval(blocks, data, resamples=60, seed=5)
    rng = np.random.default_rng(5)
    slow = np.array([[h.loc[a, b] for a, b in [("QUAL", "SAT"), ("QUAL", "LOY"), ("SAT", "LOY")]]
                     for h in (htmt(blocks, data.iloc[rng.integers(0, len(data), len(data))]) for _ in range(60))])
    assert np.allclose(fast["ci_lower"], np.quantile(slow, 0.025, axis=0))
    assert np.allclose(fast["ci_upper"], np.quantile(slow, 0.975, axis=0))
    assert np.allclose(fast["htmt"], [htmt(blocks, data).loc[a, b] for a, b in zip(fast["a"], fast["b"])])
