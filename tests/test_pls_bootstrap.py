"""PLS bootstrap: R plspm's bootstrap summaries within Monte Carlo error; seeding; intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from study.pls import PLSModel, PLSSettings, estimate_pls
from study.pls.bootstrap import bca_interval, bootstrap_pls, percentile_interval

from test_pls_estimate import BANK_BLOCKS, BANK_PATHS, DATA, REF

PLSPM = PLSSettings(scheme="centroid", scaled=False)


@pytest.fixture(scope="module")
def bank():
    return pd.read_csv(DATA / "satisfaction.csv", index_col=0)


@pytest.fixture(scope="module")
def boot(bank):
    return bootstrap_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS), PLSPM, resamples=4000, seed=11)


@pytest.mark.parametrize("statistic, file", [("weight", "satisfaction_boot_weights.csv"),
                                             ("loading", "satisfaction_boot_loadings.csv"),
                                             ("path", "satisfaction_boot_paths.csv"),
                                             ("r2", "satisfaction_boot_rsquared.csv"),
                                             ("total", "satisfaction_boot_total_effects.csv")])
def test_bootstrap_equals_plspm_within_monte_carlo_error(boot, statistic, file):
    """plspm's summaries come from an unrecorded number of resamples (its default is 100): with B = 100
    the Monte Carlo SE of a bootstrap mean is SE/10, of the SE about SE/√(2B) = 7 %, and of a 2.5 %
    quantile about 0.3 SE. Bounds of four such errors (plus ours, from 4,000 resamples)."""
    ref = pd.read_csv(REF / file, index_col=0)
    mine = boot.summary(statistic=statistic)
    mine.index = ref.index
    labels = ([f"{a} -> {b}" for a, b in zip(mine["from"], mine["to"])] if statistic in ("path", "total")
              else list(mine["to"]) if statistic == "r2" else list(mine["from"]))
    assert labels == list(ref.index)
    np.testing.assert_allclose(mine["estimate"], ref["original"], atol=5e-5, rtol=0)
    se = ref["std.error"].to_numpy()
    mc_b = 100
    assert np.all(np.abs(mine["mean"] - ref["mean"]) < 4 * se / np.sqrt(mc_b) + 4 * se / np.sqrt(4000))
    assert np.all(np.abs(mine["se"] / se - 1) < 4 / np.sqrt(2 * (mc_b - 1)))
    for ours, theirs in (("ci_lower", "perc.025"), ("ci_upper", "perc.975")):
        assert np.all(np.abs(mine[ours] - ref[theirs]) < 4 * 0.3 * se), ours


def test_same_seed_same_draws_whatever_the_workers(bank):
    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    one = bootstrap_pls(bank, model, resamples=2500, seed=5, workers=1, bca=False)
    two = bootstrap_pls(bank, model, resamples=2500, seed=5, workers=2, bca=False)
    other = bootstrap_pls(bank, model, resamples=2500, seed=6, workers=1, bca=False)
    np.testing.assert_array_equal(one.draws, two.draws)
    assert not np.array_equal(one.draws, other.draws)
    assert one.draws.shape == (2500, len(one.labels)) and one.failed == 0


def test_resample_estimates_are_the_estimates_of_the_resampled_data(bank):
    """Covariance-batched estimates equal a full estimate on the resampled rows."""
    from study.pls.bootstrap import resample_counts
    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    b = bootstrap_pls(bank, model, resamples=3, seed=2, bca=False)
    counts = resample_counts(len(bank), 3, np.random.SeedSequence(2).spawn(1)[0])
    for r in range(3):
        rows = np.repeat(np.arange(len(bank)), counts[r].astype(int))
        est = estimate_pls(bank.iloc[rows].reset_index(drop=True), model)
        paths = b.summary(statistic="path")
        sel = b.labels["statistic"] == "path"
        np.testing.assert_allclose(b.draws[r, sel.to_numpy()], est.paths["estimate"], atol=1e-9)
    assert list(paths["estimate"]) == pytest.approx(list(estimate_pls(bank, model).paths["estimate"]))


def test_jackknife_values_are_leave_one_out_estimates(bank, boot):
    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    sel = (boot.labels["statistic"] == "path").to_numpy()
    for i in (0, 137):
        est = estimate_pls(bank.drop(index=bank.index[i]), model, PLSPM)
        np.testing.assert_allclose(boot.jackknife[i, sel], est.paths["estimate"], atol=1e-9)


def test_bca_equals_scipy():
    rng = np.random.default_rng(0)
    x = rng.gamma(2.0, size=60)
    res = stats.bootstrap((x,), np.mean, n_resamples=3000, method="BCa", confidence_level=0.95,
                          rng=np.random.default_rng(1))
    jack = np.array([np.delete(x, i).mean() for i in range(len(x))])
    lo, hi = bca_interval(res.bootstrap_distribution[:, None], np.array([x.mean()]), jack[:, None], 0.95)
    assert lo[0] == pytest.approx(res.confidence_interval.low, abs=1e-12)
    assert hi[0] == pytest.approx(res.confidence_interval.high, abs=1e-12)


def test_one_sided_tests_and_intervals(boot):
    two = boot.summary(statistic="path")
    greater = boot.summary(statistic="path", alternative="greater")
    sel = (boot.labels["statistic"] == "path").to_numpy()
    draws = boot.draws[:, sel]
    np.testing.assert_allclose(greater["ci_lower"], np.quantile(draws, 0.05, axis=0))
    assert np.isinf(greater["ci_upper"]).all()
    pos = two["t"] > 0
    np.testing.assert_allclose(greater.loc[pos, "p"], two.loc[pos, "p"] / 2)
    np.testing.assert_allclose(two["se"], draws.std(axis=0, ddof=1))
    np.testing.assert_allclose(two["p"], 2 * stats.norm.sf(np.abs(two["estimate"] / two["se"])))
    lo, hi = percentile_interval(draws, 0.95)
    np.testing.assert_allclose(two["ci_lower"], lo)
    assert (two["bca_lower"] < two["bca_upper"]).all()


def test_every_statistic_is_bootstrapped(boot):
    kinds = boot.labels["statistic"].value_counts()
    assert kinds["weight"] == kinds["loading"] == 27
    assert kinds["path"] == 10 and kinds["total"] == 15 and kinds["r2"] == 5 and kinds["htmt"] == 15
    spec = boot.summary(statistic="specific")
    assert "IMAG -> EXPE -> QUAL -> VAL -> SAT -> LOY" in set(spec["chain"])
    # total indirect effect = sum of the specific indirect effects between the same constructs
    ind = boot.summary(statistic="indirect").set_index(["from", "to"])["estimate"]
    sums = spec.groupby(["from", "to"])["estimate"].sum()
    np.testing.assert_allclose(ind.loc[sums.index], sums, atol=1e-12)
    h = boot.summary(statistic="htmt").set_index(["from", "to"])
    assert h.loc[("EXPE", "QUAL"), "estimate"] == pytest.approx(0.981903, abs=1e-5)


def test_failed_resamples_are_counted_and_left_out():
    rng = np.random.default_rng(4)
    f = rng.normal(size=40)
    d = pd.DataFrame({"a1": f + rng.normal(size=40), "a2": f + rng.normal(size=40),
                      "b1": f + rng.normal(size=40), "b2": np.r_[np.zeros(39), 5.0]})
    model = PLSModel.build({"A": ["a1", "a2"], "B": ["b1", "b2"]}, [("A", "B")])
    b = bootstrap_pls(d, model, resamples=1000, seed=1, bca=False)
    # a resample without the one respondent who answered b2 differently has no variance in b2
    assert 300 < b.failed < 440 and b.resamples == 1000 - b.failed
    assert np.isfinite(b.draws).all()
