"""The ECSI model on the public mobile-phone survey: a model that has no proper solution.

Data: the "mobi" data set of the R packages plspm and semPLS (ECSI survey, 250 customers of a
mobile-phone provider). lavaan 0.6.14 does not converge on this model with its default optimiser;
with BFGS it converges to an improper solution at chi-square 536.06, df 220, CFI 0.878, RMSEA 0.0758,
SRMR 0.0565 (tests/reference/mobi_ecsi_diagnostics.json, mobi_ours_vs_lavaan.md). The tool must say
so loudly and present nothing as a finding.
"""

import json
from pathlib import Path

import pytest

from study.cli import main

ROOT = Path(__file__).resolve().parents[1]
LAVAAN = json.loads((ROOT / "tests/reference/mobi_ecsi_diagnostics.json").read_text())


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("mobi")
    assert main([str(ROOT / "questionnaires/mobile_ecsi.yaml"), "--out", str(out), "--quiet"]) == 0
    return (json.loads((out / "results.json").read_text(encoding="utf-8")),
            (out / "report.html").read_text(encoding="utf-8"))


def test_no_finding_is_claimed(run):
    results, _ = run
    assert results["sem"]["proper"] is False
    assert all(h["supported"] is None for h in results["hypotheses"])
    assert all(i["mediation"] == "not-interpretable" for i in results["sem"]["indirect"])
    assert all(i["resamples"] == 0 for i in results["sem"]["indirect"])  # no bootstrap of an improper model


def test_the_problems_are_named(run):
    results, _ = run
    text = " ".join(results["warnings"])
    assert "Negative (residual) variance for CUSA" in text
    assert "IMAG -> CUSA" in text and "beyond ±1" in text
    assert "not positive definite" in text
    assert "bootstrap was skipped" in text


def test_fit_of_the_ridge_matches_lavaan_bfgs(run):
    # The likelihood is flat along a ridge: lavaan's converged BFGS solution and ours have the same fit
    # to 3 decimals even though the paths differ.
    results, _ = run
    fit = results["sem"]["fit"]
    bfgs = LAVAAN["alternatives"]["optim_BFGS"]["fit"]
    assert fit["df"] == bfgs["df"]
    assert fit["chisq"] == pytest.approx(bfgs["chisq"], abs=0.02)
    for key in ["cfi", "tli", "rmsea", "srmr"]:
        assert fit[key] == pytest.approx(bfgs[key], abs=5e-4), key
    assert LAVAAN["sem_default"]["converged"] is False


def test_report_flags_the_solution(run):
    _, html = run
    assert html.count("Improper or unreliable solution") == 1  # one headline box, before anything else
    assert html.index("Improper or unreliable solution") < html.index("Warnings (")
    assert "not judged" in html and ">supported<" not in html
