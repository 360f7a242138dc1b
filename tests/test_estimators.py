"""The study file's `model.estimator: MLR` end to end: robust standard errors, scaled test and robust
indices reach results.json and the report, equal to lavaan's estimator = "MLR".

Data: the "satisfaction" data set of the R packages plspm/semPLS (ECSI survey of 250 bank customers).
Reference: tests/reference/robust_reference.json (tests/reference/make_robust_reference.R).
"""

import json
from pathlib import Path

import pytest

from study.cli import main

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests/reference/robust_reference.json").read_text())["MLR"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mlr")
    text = (ROOT / "questionnaires/bank_satisfaction.yaml").read_text(encoding="utf-8")
    text = text.replace("file: data/satisfaction.csv", f"file: {ROOT / 'questionnaires/data/satisfaction.csv'}")
    text = text.replace("  bootstrap: 2000", "  estimator: MLR\n  bootstrap: 2000")
    study = tmp / "bank_mlr.yaml"
    study.write_text(text, encoding="utf-8")
    assert main([str(study), "--bootstrap", "0", "--out", str(tmp / "out"), "--quiet", "--lang", "en"]) == 0
    return (json.loads((tmp / "out/results.json").read_text(encoding="utf-8")),
            (tmp / "out/report.html").read_text(encoding="utf-8"))


def test_scaled_and_robust_fit_equal_lavaan(run):
    results, _ = run
    fit = results["sem"]["fit"]
    assert results["sem"]["estimator"] == "MLR"
    for key in ["chisq", "chisq.scaled", "chisq.scaling.factor", "cfi.robust", "tli.robust", "rmsea.robust"]:
        assert fit[key] == pytest.approx(REF["fit"][key], abs=5e-4), key


def test_robust_standard_errors_reach_the_paths(run):
    results, _ = run
    ref = {(e["rhs"], e["lhs"]): e for e in REF["estimates"] if e["op"] == "~"}
    for p in results["sem"]["paths"]:
        assert p["se"] == pytest.approx(ref[(p["from"], p["to"])]["se"], abs=5e-4)


def test_report_states_the_estimator(run):
    _, html = run
    assert "χ² scaled (MLR)" in html and "Estimator MLR" in html
