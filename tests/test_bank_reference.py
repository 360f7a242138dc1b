"""End to end on real data: `analysis.py questionnaires/bank_satisfaction.yaml --bootstrap 2000`
against R (lavaan 0.6.14, semTools 0.5-6, psych).

Data: the "satisfaction" data set of the R packages plspm and semPLS, an ECSI survey of 250 bank
customers (Tenenhaus et al. 2005). Reference: tests/reference/satisfaction_mission.json, made by
../shared/tools/reference.R from ../shared/reference/cases/satisfaction_mission.json.
"""

import json
from pathlib import Path

import pytest

from study.cli import main

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests/reference/satisfaction_mission.json").read_text())
TOL = 5e-4  # "equal to 3 decimals"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("bank")
    code = main([str(ROOT / "questionnaires/bank_satisfaction.yaml"), "--bootstrap", "2000", "--out", str(out),
                 "--quiet"])
    assert code == 0
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_sample(results):
    assert results["n"] == {"raw": 250, "analysed": REF["n"], "excluded": {}, "complete": 250,
                            "row_numbers": "line numbers of satisfaction.csv (its header is line 1)"}
    assert results["missing_data"] == "listwise"


@pytest.mark.parametrize("model", ["cfa", "sem"])
def test_fit_measures_equal_lavaan(results, model):
    ours, ref = results[model]["fit"], REF[model]["fit"]
    for key in ["chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr",
                "gfi", "agfi", "nfi", "ifi", "rni", "aic", "bic", "logl"]:
        assert ours[key] == pytest.approx(ref[key], abs=TOL), key


def test_gfi_is_not_semopys_nfi(results):
    # semopy reports GFI = NFI (0.896); lavaan's GFI is 0.879.
    assert results["sem"]["fit"]["gfi"] == pytest.approx(0.879311638649218, abs=TOL)
    assert abs(results["sem"]["fit"]["gfi"] - results["sem"]["fit"]["nfi"]) > 0.01


def test_paths_equal_lavaan(results):
    ours = {(p["from"], p["to"]): p for p in results["sem"]["paths"]}
    assert len(ours) == len(REF["sem"]["paths"])
    for ref in REF["sem"]["paths"]:
        p = ours[(ref["from"], ref["to"])]
        for key in ["est", "se", "z", "pvalue", "std_all"]:
            assert p[key] == pytest.approx(ref[key], abs=TOL), (ref["from"], ref["to"], key)
    assert {p["hypothesis"] for p in results["sem"]["paths"]} == {"H1", "H2", "H3", "H4", "H5"}


def test_r2_equal_lavaan(results):
    assert results["sem"]["r2"].keys() == REF["sem"]["r2"].keys()
    for name, value in REF["sem"]["r2"].items():
        assert results["sem"]["r2"][name] == pytest.approx(value, abs=TOL), name


def test_reliability_and_validity_equal_r(results):
    for name, ref in REF["reliability"].items():
        c = results["constructs"][name]
        assert c["alpha"] == pytest.approx(ref["alpha"], abs=TOL)
        assert c["std_alpha"] == pytest.approx(ref["std_alpha"], abs=TOL)
        for item, value in ref["citc"].items():
            assert c["citc"][item] == pytest.approx(value, abs=TOL)
            assert c["alpha_if_deleted"][item] == pytest.approx(ref["alpha_if_deleted"][item], abs=TOL)
        assert c["cr"] == pytest.approx(REF["cfa"]["cr"][name], abs=TOL)
        assert c["ave"] == pytest.approx(REF["cfa"]["ave"][name], abs=TOL)
        for item, value in REF["cfa"]["std_loadings"][name].items():
            assert c["loadings"][item] == pytest.approx(value, abs=TOL)
    for a, row in REF["htmt"].items():
        for b, value in row.items():
            assert results["htmt"][a][b] == pytest.approx(value, abs=TOL), (a, b)
    for a, row in REF["cfa"]["latent_correlations"].items():
        for b, value in row.items():
            assert results["cfa"]["latent_correlations"][a][b] == pytest.approx(value, abs=TOL), (a, b)


def test_items_kmo_bartlett_harman_equal_r(results):
    for item, ref in REF["items"].items():
        for key, value in ref.items():
            assert results["items"][item][key] == pytest.approx(value, abs=TOL), (item, key)
    sa, ref = results["sampling_adequacy"], REF["sampling_adequacy"]
    assert sa["kmo"] == pytest.approx(ref["kmo"], abs=TOL)
    assert sa["bartlett_chisq"] == pytest.approx(ref["bartlett_chisq"], rel=1e-6)
    assert sa["bartlett_df"] == ref["bartlett_df"]
    assert results["harman_first_factor_share"] == pytest.approx(REF["harman_first_factor_share"], abs=TOL)


def test_indirect_effects_delta_method_equal_lavaan(results):
    ours = results["sem"]["indirect"]
    assert [i["path"] for i in ours] == [["QUAL", "SAT", "LOY"], ["QUAL", "TRUST", "LOY"],
                                         ["QUAL", "SAT", "TRUST", "LOY"]]
    for i, ref in zip(ours, REF["sem"]["indirect"]):
        assert i["est"] == pytest.approx(ref["est"], abs=TOL)
        assert i["se_delta"] == pytest.approx(ref["se_delta"], abs=TOL)
        assert i["std_all"] == pytest.approx(ref["std_all"], abs=TOL)


def test_bootstrap_intervals_agree_with_lavaan_within_monte_carlo_error(results):
    # Two independent bootstraps of 2000 resamples differ by Monte Carlo error. Over 12 seeds, the
    # standard deviation of our 2.5 % and 97.5 % limits was 0.02-0.12 bootstrap SE (largest: the
    # upper limit of QUAL->TRUST->LOY); the difference of two independent runs has sqrt(2) times
    # that, and we allow three of those: 0.5 bootstrap SE.
    for i, ref in zip(results["sem"]["indirect"], REF["sem"]["indirect_boot"]):
        assert i["resamples"] + i["failed_resamples"] == 2000
        assert i["failed_resamples"] == 0
        tol = 0.5 * i["boot_se"]
        assert i["ci_lower"] == pytest.approx(ref["ci_lower"], abs=tol), i["path"]
        assert i["ci_upper"] == pytest.approx(ref["ci_upper"], abs=tol), i["path"]
    # Substantive conclusions equal lavaan's: QUAL->TRUST->LOY includes 0, the others do not.
    verdicts = [i["ci_lower"] > 0 for i in results["sem"]["indirect"]]
    assert verdicts == [True, False, True]


def test_hypotheses_and_warnings(results):
    assert [h["supported"] for h in results["hypotheses"]] == [True] * 5
    assert any("imag5" in w for w in results["warnings"])  # alpha rises without imag5 (0.840 > 0.822)


def test_report_written(results, tmp_path):
    out = tmp_path / "en"
    assert main([str(ROOT / "questionnaires/bank_satisfaction.yaml"), "--bootstrap", "0", "--out", str(out),
                 "--lang", "en", "--quiet"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Table 4.1" in html and "0.806" in html  # the standardized QUAL -> SAT path
    assert "<script" not in html.lower()


def test_group_comparison_equals_lavaan(results):
    ref = REF["multigroup"]
    (g,) = results["groups"]
    assert g["column"] == "gender" and g["groups"] == ref["labels"]
    for level in ["configural", "metric", "structural"]:
        for key, value in ref[level].items():
            assert g["models"][level]["fit"][key] == pytest.approx(value, abs=TOL), (level, key)
    for test, name in zip(g["tests"], ["metric_vs_configural", "structural_vs_metric"]):
        assert test["chisq_diff"] == pytest.approx(ref[name]["chisq_diff"], abs=TOL)
        assert test["df_diff"] == ref[name]["df_diff"]
        assert test["pvalue"] == pytest.approx(ref[name]["pvalue"], abs=TOL)
    ours = {(p["group"], p["from"], p["to"]): p for p in g["paths"]}
    assert len(ours) == len(ref["paths"])
    for p in ref["paths"]:
        row = ours[(p["group"], p["from"], p["to"])]
        for key in ["est", "se", "pvalue", "std_all"]:
            assert row[key] == pytest.approx(p[key], abs=TOL), (p["group"], p["from"], p["to"], key)


def test_group_differences_are_critical_ratios_of_the_configural_paths(results):
    (g,) = results["groups"]
    paths = {(p["group"], p["from"], p["to"]): p for p in g["paths"]}
    for d in g["differences"]:
        a, b = paths[(d["group_1"], d["from"], d["to"])], paths[(d["group_2"], d["from"], d["to"])]
        assert d["critical_ratio"] == pytest.approx((a["est"] - b["est"]) / (a["se"] ** 2 + b["se"] ** 2) ** 0.5)
    # SAT -> LOY is much stronger for men (1.03 vs 0.44): |C.R.| > 1.96
    sat_loy = next(d for d in g["differences"] if (d["from"], d["to"]) == ("SAT", "LOY"))
    assert abs(sat_loy["critical_ratio"]) > 1.96


def test_omega_equals_semtools(results):
    for name, value in REF["cfa"]["omega_semtools"].items():
        assert results["constructs"][name]["omega"] == pytest.approx(value, abs=TOL), name


def test_measurement_extras_are_reported(results):
    # values themselves are checked against psych in tests/test_measurement_more.py
    assert results["efa"]["n_factors"] == 4 and results["efa"]["parallel_analysis"]["n_factors"] == 4
    assert results["normality"]["mardia"]["p_kurt"] < 0.001  # the bank answers are far from normal
    for c in results["constructs"].values():
        assert c["alpha_ci_lower"] < c["alpha"] < c["alpha_ci_upper"]
    assert 0 < results["items"]["qual1"]["msa"] < 1
