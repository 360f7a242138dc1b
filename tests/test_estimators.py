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


def run_bank(tmp, estimator: str, bootstrap: int) -> tuple[dict, str]:
    """The bank study with ``model.estimator`` set, run from the command line: (results.json, report.html)."""
    text = (ROOT / "questionnaires/bank_satisfaction.yaml").read_text(encoding="utf-8")
    text = text.replace("file: data/satisfaction.csv", f"file: {ROOT / 'questionnaires/data/satisfaction.csv'}")
    text = text.replace("  bootstrap: 2000", f"  estimator: {estimator}\n  bootstrap: 2000")
    study = tmp / f"bank_{estimator.lower()}.yaml"
    study.write_text(text, encoding="utf-8")
    assert main([str(study), "--bootstrap", str(bootstrap), "--out", str(tmp / "out"), "--quiet", "--lang", "en"]) == 0
    return (json.loads((tmp / "out/results.json").read_text(encoding="utf-8")),
            (tmp / "out/report.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_bank(tmp_path_factory.mktemp("mlr"), "MLR", 0)


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


ROBUST_GROUPS = json.loads((ROOT / "tests/reference/robust_groups_reference.json").read_text())["MLR"]
ORDINAL = json.loads((ROOT / "tests/reference/ordinal_reference.json").read_text())["bank"]
METHOD_FACTOR = json.loads((ROOT / "tests/reference/method_factor_reference.json").read_text())["bank"]


def test_group_comparison_uses_the_scaled_difference_test(run):
    results, html = run
    groups = results["groups"][0]
    assert groups["estimator"] == "MLR" and groups["test_method"] == "satorra.bentler.2001"
    tests = {t["model"]: t for t in groups["tests"]}
    for level, name in (("metric", "metric_vs_configural"), ("structural", "structural_vs_metric")):
        assert tests[level]["chisq_diff"] == pytest.approx(ROBUST_GROUPS["tests"][name]["chisq_diff"], abs=1e-3)
        assert tests[level]["pvalue"] == pytest.approx(ROBUST_GROUPS["tests"][name]["pvalue"], abs=1e-4)
    assert "Satorra &amp; Bentler (2001) scaled chi-square difference (MLR)" in html


def test_method_factor_check_reaches_results_and_report(run):
    results, html = run
    mf = results["method_factor"]
    assert mf["chisq_diff"] == pytest.approx(METHOD_FACTOR["lrt"]["chisq_diff"], abs=1e-4)
    assert mf["pvalue_boundary"] == pytest.approx(METHOD_FACTOR["lrt"]["pvalue"] / 2, rel=1e-3)
    assert mf["present"] is True and "present at a non-trivial level" in mf["verdict"]
    assert "model with an unmeasured latent method factor" in html and "present at a non-trivial level" in html
    assert "not a serious concern" not in html


@pytest.fixture(scope="module")
def wlsmv(tmp_path_factory):
    return run_bank(tmp_path_factory.mktemp("wlsmv"), "WLSMV", 100)


def test_wlsmv_study_equals_lavaan_and_says_what_it_did(wlsmv):
    results, html = wlsmv
    fit = results["sem"]["fit"]
    for key in ("chisq.scaled", "pvalue.scaled", "cfi.scaled", "tli.scaled", "rmsea.scaled", "srmr"):
        assert fit[key] == pytest.approx(ORDINAL["fit"][key], rel=1e-6, abs=1e-6), key
    ref = {(e["rhs"], e["lhs"]): e for e in ORDINAL["estimates"] if e["op"] == "~"}
    for p in results["sem"]["paths"]:
        assert p["est"] == pytest.approx(ref[(p["from"], p["to"])]["est"], abs=1e-5)
        assert p["se"] == pytest.approx(ref[(p["from"], p["to"])]["se"], abs=1e-5)
    # the report shows the scaled indices under their usual names, and no ML-only index
    assert "Estimator WLSMV" in html and ">GFI<" not in html
    assert f"{ORDINAL['fit']['chisq.scaled']:.2f} (130)" in html
    # no bootstrap with WLSMV: said, and the Monte Carlo interval is used
    assert any("bootstrap is not available with WLSMV" in w for w in results["warnings"])
    assert all(i["resamples"] == 0 and i["mc_lower"] is not None for i in results["sem"]["indirect"])
    assert results["sem"]["modification_indices"] is None
    assert any("multi-group WLSMV is not available yet" in w for w in results["warnings"])


def test_wlsmv_on_items_that_are_not_ordinal_is_a_clear_error(tmp_path):
    import pandas as pd

    from study.pipeline import run_study
    from study.questionnaire import StudyError, load_study

    data = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
    data["qual1"] = data["qual1"] * 2 + data.index % 2  # a 0-21 rating: too many values to be categories
    data.to_csv(tmp_path / "wide.csv")
    text = (ROOT / "questionnaires/bank_satisfaction.yaml").read_text(encoding="utf-8")
    text = text.replace("file: data/satisfaction.csv", f"file: {tmp_path / 'wide.csv'}")
    start, end = text.index("scale:\n"), text.index("constructs:\n")
    text = text[:start] + "scale:\n  min: 0\n  max: 21\n\n" + text[end:]
    text = text.replace("  bootstrap: 2000", "  estimator: WLSMV\n  bootstrap: 2000")
    (tmp_path / "study.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(StudyError) as caught:
        run_study(load_study(tmp_path / "study.yaml"), bootstrap=0)
    assert ("model.estimator: WLSMV cannot be used: item qual1 has 20 distinct values (more than 11): treat it "
            "as continuous (ML, MLR) rather than ordinal") in str(caught.value)


def test_wlsmv_thresholds_and_polychorics_reach_results(wlsmv):
    results, _ = wlsmv
    polychoric = results["ordinal"]["polychoric"]
    names = ORDINAL["polychoric_names"]
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            assert polychoric[a][b] == pytest.approx(ORDINAL["polychoric"][i][j], abs=1e-6)
    ours = {f"{t['item']}|{t['threshold']}": t["est"] for t in results["ordinal"]["thresholds"]}
    reference = dict(zip(ORDINAL["thresholds"]["name"], ORDINAL["thresholds"]["value"]))
    assert ours.keys() == reference.keys()
    assert all(ours[k] == pytest.approx(v, abs=1e-8) for k, v in reference.items())
    assert results["sem"]["bootstrap"]["resamples"] == 0  # nothing claims a bootstrap that did not run
