"""The default study (simulated online-shop survey, second-order service quality) against lavaan.

Reference: tests/reference/ecommerce_loyalty_lavaan.json, made by
tests/reference/make_ecommerce_reference.R (lavaan 0.6.14, semTools, psych) from
tests/reference/ecommerce_loyalty_analysed.csv, the responses exactly as the tool analyses them.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

from study.pipeline import run_study
from study.questionnaire import load_study

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests/reference/ecommerce_loyalty_lavaan.json").read_text())
TOL = 5e-4


@pytest.fixture(scope="module")
def res():
    return run_study(load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml"), bootstrap=0)


def test_analysed_data_is_what_lavaan_saw(res):
    analysed = pd.read_csv(ROOT / "tests/reference/ecommerce_loyalty_analysed.csv")
    assert res.data.n_analysed == REF["n"] == len(analysed)
    pd.testing.assert_frame_equal(res.data.items.reset_index(drop=True), analysed.astype(float),
                                  check_dtype=False)


@pytest.mark.parametrize("model", ["cfa", "sem"])
def test_fit_equals_lavaan(res, model):
    ours = res.cfa_fit if model == "cfa" else res.sem_fit
    for key, value in REF[model]["fit"].items():
        assert ours[key] == pytest.approx(value, abs=TOL), key


def test_second_order_loadings_paths_r2_equal_lavaan(res):
    loadings = res.sem.loadings().set_index(["lhs", "rhs"])
    for ref in REF["sem"]["second_order_loadings"]:
        row = loadings.loc[(ref["lhs"], ref["rhs"])]
        assert row["est"] == pytest.approx(ref["est"], abs=TOL)
        assert row["std_all"] == pytest.approx(ref["std_all"], abs=TOL)
    paths = res.sem.paths().set_index(["rhs", "lhs"])
    for ref in REF["sem"]["paths"]:
        row = paths.loc[(ref["from"], ref["to"])]
        for key in ["est", "se", "pvalue", "std_all"]:
            assert row[key] == pytest.approx(ref[key], abs=TOL), (ref["from"], ref["to"], key)
    assert res.r2.keys() == REF["sem"]["r2"].keys()
    for name, value in REF["sem"]["r2"].items():
        assert res.r2[name] == pytest.approx(value, abs=TOL), name


def test_measurement_equals_r(res):
    for construct, items in REF["cfa"]["std_loadings"].items():
        for item, value in items.items():
            assert res.measurement.constructs[construct].loadings[item] == pytest.approx(value, abs=TOL)
    for construct, value in REF["alpha"].items():
        assert res.measurement.constructs[construct].alpha == pytest.approx(value, abs=TOL)
    for a, row in REF["htmt"].items():
        for b, value in row.items():
            assert res.measurement.htmt.loc[a, b] == pytest.approx(value, abs=TOL)


def test_indirect_effects_equal_lavaan(res):
    for ours, ref in zip(res.mediation, REF["sem"]["indirect"]):
        assert ours.delta.est == pytest.approx(ref["est"], abs=TOL)
        assert ours.delta.se_delta == pytest.approx(ref["se_delta"], abs=TOL)
        assert ours.delta.std_all == pytest.approx(ref["std_all"], abs=TOL)


def test_simulated_data_recover_the_true_model(res):
    # The population paths written in the study file are recovered within sampling error (n = 414):
    # three standard errors of the standardized estimate.
    truth = {tuple(k.replace(" ", "").split("->")): v for k, v in res.study.data.population.paths.items()}
    se_std = res.sem.paths().set_index(["rhs", "lhs"])["se_std"]
    for h in res.hypotheses:
        assert abs(h.std_all - truth[(h.from_, h.to)]) < 3 * se_std[(h.from_, h.to)], h.id
        assert h.supported
