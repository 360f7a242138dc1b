"""Power analysis (study.power): RMSEA power and sample size equal semTools; Monte Carlo power recovers
the population model, keeps its type I error, and gives the same numbers wherever it runs."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.power import rmsea_plan, rmsea_power, rmsea_sample_size
from study.power.monte_carlo import monte_carlo_power
from study.power.population import category_covariance, item_population, population_fit
from study.questionnaire import StudyError, load_study

ROOT = Path(__file__).resolve().parent.parent
REF = json.loads((ROOT / "tests/reference/rmsea_power.json").read_text())
# numbers are checked on a small study kept with the references (the default study may change)
SMALL = load_study(ROOT / "tests/reference/power_study.yaml")
DEFAULT = load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml")
BANK = load_study(ROOT / "questionnaires/bank_satisfaction.yaml")


# --- RMSEA: semTools 0.5-6 (tests/reference/make_power_reference.R) --------------------------------

def test_rmsea_power_equals_semtools():
    for r in REF["power"]:
        ours = rmsea_power(r["rmsea0"], r["rmseaA"], r["df"], r["n"], alpha=r["alpha"], groups=r["group"])
        assert ours == pytest.approx(r["power"], abs=1e-8), r


def test_rmsea_sample_size_equals_semtools():
    assert len(REF["samplesize"]) == 96
    for r in REF["samplesize"]:
        ours = rmsea_sample_size(r["rmsea0"], r["rmseaA"], r["df"], power=r["power"], alpha=r["alpha"],
                                 groups=r["group"])
        assert ours == r["n"], r


def test_rmsea_plan_has_the_three_standard_tests():
    plan = rmsea_plan(df=20, n=200)
    table = plan.table.set_index("test")
    assert list(table.index) == ["close", "not_close", "exact"]
    assert table.loc["close", "power"] == pytest.approx(rmsea_power(0.05, 0.08, 20, 200))
    assert table.loc["close", "n_required"] == rmsea_sample_size(0.05, 0.08, 20)
    assert np.isnan(rmsea_plan(df=20).table["power"]).all()


@pytest.mark.parametrize("args, message", [
    ((0.05, 0.05, 20, 200), "two different values"),
    ((0.05, 0.08, 0, 200), "df must be at least 1"),
    ((-0.01, 0.08, 20, 200), "must not be negative"),
])
def test_rmsea_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        rmsea_power(*args)


# --- the population -------------------------------------------------------------------------------

def test_category_covariance_of_median_splits_is_the_arcsine_formula():
    rho = 0.6
    cov = category_covariance(np.array([[1, rho], [rho, 1]]), np.zeros((2, 1)))
    assert cov[0, 1] == pytest.approx(np.arcsin(rho) / (2 * np.pi), abs=1e-10)
    assert cov[0, 0] == pytest.approx(0.25, abs=1e-12)


def test_likert_population_covariance_matches_simulated_answers():
    pop = item_population(SMALL, "likert")
    x = pop.draw(200_000, np.random.default_rng(1))
    empirical = np.cov(x, rowvar=False, bias=True)
    # the SE of a covariance of 7-point items is below 0.006 at this n
    assert np.abs(empirical - pop.covariance).max() < 0.03
    assert np.abs(x.mean(axis=0) - np.round(x.mean(axis=0), 0)).max() < 1  # sanity: answers on the scale
    assert x.min() >= SMALL.scale.min and x.max() <= SMALL.scale.max


MC_REF = json.loads((ROOT / "tests/reference/power_montecarlo.json").read_text())


def test_monte_carlo_power_agrees_with_lavaan_within_simulation_error():
    """lavaan's sem() on 1000 replications per n (make_power_montecarlo_reference.R) against ours on 1000
    others: two independent estimates of a power P differ by about √(2P(1 − P)/R); we allow 4 of those.
    (On one replication's data our estimates, SEs and std.all equal lavaan's to the printed digits; the
    two runs differ only by their random draws.)"""
    grid = [r["n"] for r in MC_REF["results"]]
    ours = monte_carlo_power(SMALL, grid, replications=1000, seed=1, draws=MC_REF["draws"], workers=2)
    for ref in MC_REF["results"]:
        table = ours.table[ours.table["n"] == ref["n"]].set_index("parameter")
        assert ref["usable"] >= 990 and table["replications"].min() >= 990
        for name, power in ref["power"].items():
            tol = 4 * np.sqrt(2 * power * (1 - power) / 1000) + 0.005
            assert table.loc[name, "power"] == pytest.approx(power, abs=tol), (ref["n"], name)
        for name, mean in ref["mean_std"].items():
            # the SD of one standardized estimate, from ours; two means of 1000 differ by √2 SD/√1000
            row = table.loc[name]
            sd = row["sd_est"] * abs(row["mean_std"] / row["mean_est"])
            assert row["mean_std"] == pytest.approx(mean, abs=4 * np.sqrt(2) * sd / np.sqrt(1000)), (ref["n"], name)


def test_the_default_study_runs():
    result = monte_carlo_power(DEFAULT, [300], replications=20, workers=1, items="likert")
    assert result.convergence["rate"].iloc[0] >= 0.9
    hypotheses = {h.id for h in DEFAULT.model.hypotheses}
    assert hypotheses <= set(result.table["hypothesis"])


def test_population_fit_reproduces_the_population_paths():
    fit = population_fit(SMALL, "normal")
    assert fit.fitted.proper
    paths = fit.fitted.paths().set_index(["rhs", "lhs"])["std_all"]
    for key, value in SMALL.data.population.paths.items():
        cause, effect = (p.strip() for p in key.split("->"))
        assert paths[(cause, effect)] == pytest.approx(value, abs=1e-6)


# --- Monte Carlo ----------------------------------------------------------------------------------

def test_monte_carlo_at_a_large_n_recovers_the_population_values():
    r = 200
    result = monte_carlo_power(SMALL, [2000], replications=r, seed=5, workers=1)
    assert result.convergence["rate"].iloc[0] == 1.0
    for row in result.table.itertuples():
        # the mean of r estimates is within 4 standard errors of the truth (SD of std ≈ sd_est · std/b)
        sd_std = row.sd_est * abs(row.mean_std / row.mean_est)
        assert abs(row.bias) < 4 * sd_std / np.sqrt(r) + 1e-3, row.parameter
        assert row.population == pytest.approx(row.true, abs=1e-6)
        assert row.power == 1.0
        if row.kind == "path":
            assert abs(row.mean_se / row.sd_est - 1) < 0.25, row.parameter  # SEs fit the spread
            assert abs(row.coverage - 0.95) < 4 * np.sqrt(0.95 * 0.05 / r), row.parameter
    assert set(result.required_n["n_required"]) == {2000}


def test_a_path_that_is_zero_in_the_population_is_rejected_at_the_rate_alpha():
    paths = dict(SMALL.data.population.paths)
    del paths["QUAL -> TRUST"]
    population = SMALL.data.population.model_copy(update={"paths": paths})
    study = SMALL.model_copy(update={"data": SMALL.data.model_copy(update={"population": population})})
    r = 400
    result = monte_carlo_power(study, [300], replications=r, seed=9, workers=1)
    row = result.table.set_index("parameter").loc["QUAL->TRUST"]
    assert row["true"] == 0
    assert abs(row["power"] - 0.05) < 4 * np.sqrt(0.05 * 0.95 / r)
    assert pd.isna(result.required_n.set_index("parameter").loc["QUAL->TRUST", "n_required"])


def test_power_rises_with_n_and_reaches_the_target():
    result = monte_carlo_power(SMALL, [100, 300], replications=100, seed=2, workers=1)
    power = result.power("QUAL->TRUST")
    assert power.loc[100] < power.loc[300]
    chain = result.table[result.table["kind"] == "indirect"]
    assert set(chain["parameter"]) == {"->".join(m.path) for m in SMALL.model.mediation}
    assert (chain["true"] > 0).all()


def test_same_seed_same_table_whatever_the_batch_workers_and_grid():
    one = monte_carlo_power(SMALL, [150, 250], replications=60, seed=4, workers=1, batch=60)
    two = monte_carlo_power(SMALL, [150, 250], replications=60, seed=4, workers=2, batch=7)
    assert one.table.equals(two.table)
    assert one.convergence.equals(two.convergence)
    alone = monte_carlo_power(SMALL, [250], replications=60, seed=4, workers=1)
    assert alone.table.reset_index(drop=True).equals(
        one.table[one.table["n"] == 250].reset_index(drop=True))
    other = monte_carlo_power(SMALL, [250], replications=60, seed=5, workers=1)
    assert not other.table.equals(alone.table)


def test_the_dask_path_gives_the_same_table():
    distributed = pytest.importorskip("dask.distributed")
    from study.power.executors import cluster_executor

    local = monte_carlo_power(SMALL, [200], replications=40, seed=3, workers=1, batch=10)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        with cluster_executor(cluster.scheduler_address) as executor:
            remote = monte_carlo_power(SMALL, [200], replications=40, seed=3, executor=executor, batch=10)
    assert remote.table.equals(local.table)


def test_an_unreachable_cluster_says_so():
    pytest.importorskip("dask.distributed")
    from study.power.executors import cluster_executor

    with pytest.raises(StudyError, match="no Dask scheduler answered"):
        with cluster_executor("tcp://127.0.0.1:9", timeout=1):
            pass


def test_likert_items_give_nearly_the_same_power():
    normal = monte_carlo_power(SMALL, [200], replications=100, seed=8, workers=1)
    likert = monte_carlo_power(SMALL, [200], replications=100, seed=8, workers=1, items="likert")
    assert likert.items == "likert"
    diff = (normal.table["power"] - likert.table["power"]).abs()
    assert diff.max() < 0.15
    assert (likert.table["population"] - likert.table["true"]).abs().max() < 0.02  # categories move little


# --- messages ---------------------------------------------------------------------------------------

def test_no_population_model_is_a_clear_message():
    with pytest.raises(StudyError, match="needs the population model under data.population"):
        monte_carlo_power(BANK, [300], replications=10)


def test_an_n_grid_below_the_number_of_parameters_is_a_clear_message():
    with pytest.raises(StudyError, match=r"n = 20, 25 are less than the 29 free parameters of the model \(12 items\)"):
        monte_carlo_power(SMALL, [20, 25, 200], replications=10)
    with pytest.raises(StudyError, match=r"n = 29 is less than"):
        monte_carlo_power(SMALL, [29, 200], replications=10)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_grid=[]), "the n grid is empty"),
    (dict(n_grid=["many"]), "whole numbers"),
    (dict(replications=0), "replications must be at least 1"),
    (dict(items="ordinal"), "items must be one of normal, likert"),
    (dict(alpha=1.5), "between 0 and 1"),
])
def test_other_bad_settings(kwargs, message):
    args = dict(n_grid=[200], replications=10) | kwargs
    with pytest.raises(StudyError, match=message):
        monte_carlo_power(SMALL, args.pop("n_grid"), **args)


# --- the command line: analysis.py --power ----------------------------------------------------------

def test_power_command_writes_the_report_in_both_languages(tmp_path, capsys):
    from study.cli import main

    args = [str(ROOT / "tests/reference/power_study.yaml"), "--power", "--power-n", "120,250", "--replications",
            "40", "--seed", "3"]
    assert main([*args, "--out", str(tmp_path / "en"), "--lang", "en"]) == 0
    printed = capsys.readouterr().err  # the summary goes to the console (stderr), as the analysis's does
    assert "RMSEA tests (df = 49" in printed and "H2 QUAL->TRUST" in printed
    html = (tmp_path / "en" / "power.html").read_text(encoding="utf-8")
    assert "Table 3.1" in html and "Figure 3.1" in html and "<svg" in html and "<script" not in html.lower()
    assert "MacCallum" in html and "Muthén" in html and "Schoemann" in html
    data = json.loads((tmp_path / "en" / "power.json").read_text(encoding="utf-8"))
    assert data["rmsea"]["df"] == 12 * 13 // 2 - 29 and data["monte_carlo"]["n"] == [120, 250]
    assert data["monte_carlo"]["replications"] == 40 and data["monte_carlo"]["seed"] == 3
    close = next(t for t in data["rmsea"]["tests"] if t["test"] == "close")
    assert close["n_required"] == rmsea_sample_size(0.05, 0.08, data["rmsea"]["df"])
    assert (tmp_path / "en" / "power.docx").stat().st_size > 10_000
    assert main([*args, "--out", str(tmp_path / "zh"), "--lang", "zh", "--quiet"]) == 0
    zh = (tmp_path / "zh" / "power.html").read_text(encoding="utf-8")
    assert "表3-1" in zh and "图3-1" in zh and "样本量与统计功效" in zh
    assert "power_study" not in zh and "data.population" not in zh  # no file names or keys in the text
    assert "（Muthén &amp; Muthén，2002）" in zh  # full-width brackets and comma around the citation
    assert "参考文献" in zh and "MacCallum, R. C." not in zh and "MACCALLUM R C" in zh  # GB/T 7714 list


@pytest.mark.parametrize("args, message", [
    (["questionnaires/bank_satisfaction.yaml", "--power"], "needs the population model under data.population"),
    (["tests/reference/power_study.yaml", "--power", "--power-n", "20,200"], "less than the 29 free parameters"),
    (["tests/reference/power_study.yaml", "--power", "--power-n", "100,abc"], "whole numbers of respondents"),
    (["tests/reference/power_study.yaml", "--replications", "10"], "add --power"),
    (["tests/reference/power_study.yaml", "--power", "--replications", "0"], "give at least 1"),
])
def test_power_command_messages(tmp_path, capsys, args, message):
    from study.cli import main

    assert main([str(ROOT / args[0]), *args[1:], "--out", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
