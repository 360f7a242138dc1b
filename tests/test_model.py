"""The estimation engine: derivatives, the full ECSI model (improper) against lavaan, bootstrap rules.

Data: the "satisfaction" data set of the R packages plspm and semPLS (ECSI survey of 250 bank
customers). Reference: tests/reference/satisfaction_ecsi.json (lavaan 0.6.14 via reference.R).
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.model.bootstrap import bootstrap_indirect
from study.model.effects import effects_matrix, indirect_effect
from study.model.estimate import fit_model, implied_covariance, sigma_derivatives
from study.model.fit_indices import fit_measures

ROOT = Path(__file__).resolve().parents[1]
DATA = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
ECSI = json.loads((ROOT / "tests/reference/satisfaction_ecsi.json").read_text())
MISSION = json.loads((ROOT / "tests/reference/satisfaction_mission.json").read_text())
TOL = 5e-4


def _syntax(ref: dict) -> str:
    """lavaan's model syntax from a reference file, without labels and defined parameters."""
    lines = [re.sub(r"b_\w+\*", "", line) for line in ref["model_syntax"].splitlines() if ":=" not in line]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def mission():
    return fit_model(_syntax(MISSION), DATA)


@pytest.fixture(scope="module")
def ecsi():
    return fit_model(_syntax(ECSI), DATA)


def test_sigma_derivatives_match_finite_differences(mission):
    theta = mission.theta
    _, grads = sigma_derivatives(mission.structure, theta)
    for k in range(len(theta)):
        step = np.zeros_like(theta)
        step[k] = 1e-6
        numeric = (implied_covariance(mission.structure, theta + step)
                   - implied_covariance(mission.structure, theta - step)) / 2e-6
        assert np.abs(numeric - grads[k]).max() < 1e-6, k


def test_ecsi_fit_equals_lavaan(ecsi):
    fit = fit_measures(ecsi)
    for key, value in ECSI["sem"]["fit"].items():
        assert fit[key] == pytest.approx(value, abs=TOL), key


def test_ecsi_paths_equal_lavaan_even_when_improper(ecsi):
    paths = ecsi.paths().set_index(["rhs", "lhs"])
    for ref in ECSI["sem"]["paths"]:
        row = paths.loc[(ref["from"], ref["to"])]
        for key in ["est", "se", "pvalue", "std_all"]:
            # the flat directions of this improper solution make se large; compare relative there
            assert row[key] == pytest.approx(ref[key], abs=TOL, rel=1e-3), (ref["from"], ref["to"], key)


def test_ecsi_is_flagged_improper(ecsi):
    assert ecsi.converged
    assert not ecsi.proper
    text = " ".join(ecsi.problems)
    assert "QUAL -> VAL" in text and "EXPE -> VAL" in text and "beyond ±1" in text


def test_ecsi_cfa_latent_covariance_not_positive_definite():
    measurement = "\n".join(line for line in _syntax(ECSI).splitlines() if "=~" in line)
    codes = [line.split("=~")[0].strip() for line in measurement.splitlines()]
    cfa = fit_model(measurement + "\n" + "\n".join(f"{a} ~~ {b}" for i, a in enumerate(codes)
                                                   for b in codes[i + 1:]), DATA)
    for key, value in ECSI["cfa"]["fit"].items():
        assert fit_measures(cfa)[key] == pytest.approx(value, abs=TOL), key
    assert any("not positive definite" in p for p in cfa.problems)


def test_effects_total_is_direct_plus_indirect(mission):
    eff = effects_matrix(mission, ["QUAL", "SAT", "TRUST", "LOY"])
    ind = {tuple(i["name"].split("_")): i["std_all"] for i in MISSION["sem"]["indirect"]}
    # QUAL -> LOY has no direct path: its total effect is the sum of the three indirect chains
    assert eff["direct"]["LOY"]["QUAL"] == 0
    assert eff["total"]["LOY"]["QUAL"] == pytest.approx(sum(ind.values()), abs=TOL)
    assert eff["indirect"]["LOY"]["QUAL"] == pytest.approx(sum(ind.values()), abs=TOL)


def test_indirect_effect_needs_existing_paths(mission):
    with pytest.raises(ValueError, match="no free path SAT -> QUAL"):
        indirect_effect(mission, ("SAT", "QUAL", "LOY"))


def test_bootstrap_is_reproducible_whatever_the_number_of_workers(mission):
    x = DATA[mission.structure.observed].to_numpy(float)
    chains = [("QUAL", "SAT", "LOY")]
    one = bootstrap_indirect(mission, x, chains, resamples=150, seed=7, workers=1)
    two = bootstrap_indirect(mission, x, chains, resamples=150, seed=7, workers=2)
    other = bootstrap_indirect(mission, x, chains, resamples=150, seed=8, workers=1)
    assert one == two
    assert one[0].ci_lower != other[0].ci_lower
    assert one[0].resamples + one[0].failed == 150
    assert one[0].ci_lower < one[0].est < one[0].ci_upper


STD = json.loads((ROOT / "tests/reference/satisfaction_mission_std.json").read_text())


def test_standardized_solution_and_its_standard_errors_equal_lavaan(mission):
    # Reference: lavaan's standardizedSolution() (tests/reference/make_std_reference.R)
    table = mission.estimates.set_index(["lhs", "op", "rhs"])
    checked = 0
    for ref in STD["std"]:
        key = (ref["lhs"], ref["op"], ref["rhs"])
        if ref["op"] == ":=":
            continue
        if key not in table.index:
            key = (ref["rhs"], ref["op"], ref["lhs"])
        row = table.loc[key]
        assert row["std_all"] == pytest.approx(ref["est_std"], abs=TOL), key
        assert row["se_std"] == pytest.approx(ref["se"], abs=TOL), key
        checked += 1
    assert checked == len(table)


def test_modification_indices_equal_lavaan(mission):
    from study.model.modification import modification_indices

    ours = modification_indices(mission, top=10)
    for (_, row), ref in zip(ours.iterrows(), STD["modindices"]):
        assert (row["lhs"], row["op"], row["rhs"]) == (ref["lhs"], ref["op"], ref["rhs"])
        assert row["mi"] == pytest.approx(ref["mi"], abs=TOL)
        assert row["epc"] == pytest.approx(ref["epc"], abs=TOL)
        assert row["sepc_all"] == pytest.approx(ref["sepc.all"], abs=TOL)


def test_monte_carlo_intervals_agree_with_semtools(mission):
    # Reference: semTools::monteCarloCI with 100000 draws (tests/reference/make_std_reference.R).
    # With 20000 draws the quantiles' Monte Carlo error is about 0.003 here (checked over seeds).
    from study.model.effects import monte_carlo_indirect

    ref = json.loads((ROOT / "tests/reference/satisfaction_montecarlo.json").read_text())["ci"]
    chains = [tuple(r["name"].split("_")) for r in ref]
    for ours, r in zip(monte_carlo_indirect(mission, chains, draws=20000, seed=3), ref):
        assert ours.est == pytest.approx(r["est"], abs=TOL)
        assert ours.ci_lower == pytest.approx(r["ci_lower"], abs=0.015)
        assert ours.ci_upper == pytest.approx(r["ci_upper"], abs=0.015)


def test_bootstrap_counts_improper_resamples():
    """An item with almost no residual variance (a near-Heywood case): the full-sample solution is proper,
    but many resamples estimate that residual variance below 0. They are counted, and kept (as lavaan)."""
    rng = np.random.default_rng(4)
    n = 120
    x = rng.normal(size=n)
    m = 0.6 * x + rng.normal(scale=0.8, size=n)
    y = 0.5 * m + rng.normal(scale=0.85, size=n)
    columns = {}
    for name, factor in (("x", x), ("m", m), ("y", y)):
        for i, (loading, error) in enumerate(((1.0, 0.15), (0.8, 0.6), (0.7, 0.7))):
            columns[f"{name}{i + 1}"] = loading * factor + rng.normal(scale=error, size=n)
    data = pd.DataFrame(columns)
    fit = fit_model("X =~ x1 + x2 + x3\nM =~ m1 + m2 + m3\nY =~ y1 + y2 + y3\nM ~ X\nY ~ M", data)
    assert fit.proper
    ci = bootstrap_indirect(fit, data[fit.structure.observed].to_numpy(), [("X", "M", "Y")], resamples=100,
                            seed=1, workers=1)[0]
    assert ci.failed == 0 and ci.resamples == 100
    assert 0 < ci.improper < 100


def test_a_failed_start_is_retried_from_the_next(monkeypatch):
    """fit_model tries lavaan's kind of start (simple_start, 40 steps), then semopy's solution, then goes on
    from where the first try stopped; each try is reached when the ones before fail, and every path ends at
    the same solution, converged. A start is spoilt on purpose with a residual variance of −5 (Σ not
    positive definite, so Fisher scoring from it fails at once)."""
    import study.model.estimate as estimate

    syntax = ("QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5\nSAT =~ sat1 + sat2 + sat3 + sat4\n"
              "LOY =~ loy1 + loy2 + loy3 + loy4\nSAT ~ QUAL\nLOY ~ SAT")
    good = fit_model(syntax, DATA)

    def spoil(structure, theta):
        theta = np.array(theta, dtype=float)
        theta[[k for w, r, c, k in structure.locations if w == estimate.THETA and r == c][0]] = -5.0
        return theta

    real_simple, real_semopy = estimate.simple_start, estimate.semopy_start
    # the first try fails: semopy's solution is the start
    monkeypatch.setattr(estimate, "simple_start", lambda structure, *a: spoil(structure, real_simple(structure, *a)))
    again = fit_model(syntax, DATA)
    assert good.converged and again.converged and again.proper
    np.testing.assert_allclose(again.theta, good.theta, atol=1e-6)

    # the first try is cut short (2 steps), semopy's solution fails: the first try goes on and converges
    monkeypatch.setattr(estimate, "simple_start", real_simple)
    monkeypatch.setattr(estimate, "FIRST_TRY_ITERATIONS", 2)

    def spoilt_solution(syntax_, s, rows, *, start="solution"):
        structure, s2, theta = real_semopy(syntax_, s, rows, start=start)
        return structure, s2, spoil(structure, theta) if start == "solution" else theta

    monkeypatch.setattr(estimate, "semopy_start", spoilt_solution)
    resumed = fit_model(syntax, DATA)
    assert resumed.converged and resumed.iterations > 2
    np.testing.assert_allclose(resumed.theta, good.theta, atol=1e-6)
