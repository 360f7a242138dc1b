"""Full-information maximum likelihood (``model.missing: fiml``) against lavaan's ``missing = "ml"``.

Data: the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the R packages plspm
and semPLS (Sanchez 2013; Monecke & Leisch 2012), with about 8 % of the answers blanked at random, six
respondents who skipped all loyalty items and one who answered nothing
(tests/reference/satisfaction_missing.csv, made by tests/reference/make_fiml_reference.R, which also
wrote the lavaan 0.6.14 output in tests/reference/fiml_reference.json).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.model.bootstrap import bootstrap_indirect
from study.model.fiml import em_moments, fit_fiml, missing_patterns
from study.pipeline import run_study
from study.questionnaire import load_study
from study.report import render_html
from study.report.results_json import results_dict
from helpers import edit

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((ROOT / "tests" / "reference" / "fiml_reference.json").read_text())
DATA_FILE = ROOT / "tests" / "reference" / "satisfaction_missing.csv"
MEASUREMENT = """QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4"""
MODEL = MEASUREMENT + """
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"""


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(DATA_FILE).iloc[:, 1:]


@pytest.fixture(scope="module")
def sem_fit(data):
    return fit_fiml(MODEL, data)


def _compare_estimates(fit, ref):
    table = fit.fitted.estimates.set_index(["lhs", "op", "rhs"])
    intercepts = fit.intercepts.set_index("item")
    checked = 0
    for e, s in zip(ref["estimates"], ref["std"]):
        if e["op"] == "~1":
            if e["lhs"] in intercepts.index:
                row = intercepts.loc[e["lhs"]]
                assert row["est"] == pytest.approx(e["est"], abs=1e-4)
                assert row["se"] == pytest.approx(e["se"], abs=1e-5)
                checked += 1
            continue
        key = (e["lhs"], e["op"], e["rhs"])
        if key not in table.index:
            key = (e["rhs"], e["op"], e["lhs"])
        row = table.loc[key]
        assert row["est"] == pytest.approx(e["est"], abs=1e-4), key
        if e["se"]:
            assert row["se"] == pytest.approx(e["se"], abs=1e-5), key
        assert row["std_all"] == pytest.approx(s["est_std"], abs=1e-5), key
        checked += 1
    return checked


def test_sem_estimates_and_standard_errors_equal_lavaan(sem_fit):
    assert sem_fit.fitted.converged and sem_fit.fitted.proper
    assert sem_fit.fitted.n == REF["sem"]["nobs"] == 249  # the empty respondent is left out
    assert sem_fit.patterns.empty == 1
    assert len(sem_fit.patterns.counts) == REF["sem"]["npatterns"]
    assert _compare_estimates(sem_fit, REF["sem"]) == 63  # 18 + 5 + 22 (co)variances + 18 intercepts


@pytest.mark.parametrize("name", ["sem", "cfa"])
def test_fit_measures_equal_lavaan(name, data, sem_fit):
    fit = sem_fit if name == "sem" else fit_fiml(MEASUREMENT, data)
    for key, value in REF[name]["fit"].items():
        assert fit.fit[key] == pytest.approx(value, rel=1e-6, abs=1e-7), key


def test_cfa_estimates_equal_lavaan(data):
    fit = fit_fiml(MEASUREMENT, data)
    assert _compare_estimates(fit, REF["cfa"]) == 64


def test_em_moments_equal_lavaan_h1(sem_fit):
    names = sem_fit.fitted.structure.observed
    order = [REF["h1_names"].index(v) for v in names]
    cov = np.array(REF["h1_cov"])[np.ix_(order, order)]
    mean = np.array(REF["h1_mean"])[order]
    # lavaan's EM stops at a looser tolerance (its log-likelihood agrees with ours to 1e-9)
    np.testing.assert_allclose(sem_fit.h1_cov, cov, atol=1e-4)
    np.testing.assert_allclose(sem_fit.h1_mean, mean, atol=1e-4)


def test_complete_data_em_is_the_sample_moments():
    x = np.random.default_rng(3).normal(size=(200, 4))
    mu, cov, _, converged = em_moments(missing_patterns(x))
    assert converged
    np.testing.assert_allclose(mu, x.mean(axis=0))
    np.testing.assert_allclose(cov, np.cov(x, rowvar=False, bias=True), atol=1e-12)


def test_fiml_bootstrap_is_seeded_and_counts_failures(sem_fit, data):
    x = data[sem_fit.fitted.structure.observed].to_numpy(dtype=float)
    x = x[~np.isnan(x).all(axis=1)]
    chain = [("QUAL", "SAT", "LOY")]
    first = bootstrap_indirect(sem_fit.fitted, x, chain, resamples=30, seed=5, workers=1, fiml=sem_fit)[0]
    again = bootstrap_indirect(sem_fit.fitted, x, chain, resamples=30, seed=5, workers=1, fiml=sem_fit)[0]
    assert first == again
    assert first.resamples + first.failed == 30 and first.failed == 0
    # the full-sample indirect effect (lavaan: a·b of the FIML estimates) lies well inside the resamples
    assert first.ci_lower < first.est < first.ci_upper
    assert 0.05 < first.boot_se < 0.5


@pytest.fixture(scope="module")
def fiml_study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fiml")
    (folder / "data").mkdir()
    shutil.copy(DATA_FILE, folder / "data" / "satisfaction.csv")
    path = folder / "bank_satisfaction.yaml"
    shutil.copy(ROOT / "questionnaires" / "bank_satisfaction.yaml", path)
    edit(path, "  bootstrap: 2000\n", "  bootstrap: 2000\n  missing: fiml\n")
    return run_study(load_study(path), bootstrap=0, workers=1)


def test_study_with_fiml_keeps_incomplete_respondents(fiml_study):
    res = fiml_study
    assert res.missing == "fiml"
    assert res.data.n_raw == 250 and res.data.n_analysed == 249
    assert res.data.excluded_counts == {"no item answered": 1}
    items = [i.code for i in res.study.items]
    assert res.n_complete == int(pd.read_csv(DATA_FILE)[items].notna().all(axis=1).sum()) == 56
    # the pipeline's structural model is lavaan's FIML solution
    paths = res.sem.paths().set_index(["lhs", "rhs"])
    for e in REF["sem"]["estimates"]:
        if e["op"] == "~":
            assert paths.loc[(e["lhs"], e["rhs"]), "est"] == pytest.approx(e["est"], abs=1e-4)
            assert paths.loc[(e["lhs"], e["rhs"]), "se"] == pytest.approx(e["se"], abs=1e-5)
    assert res.sem_fit["chisq"] == pytest.approx(REF["sem"]["fit"]["chisq"], rel=1e-6)
    assert any("full-information maximum likelihood" in n for n in res.data.notes)
    assert any("respondents who answered every item" in w for w in res.warnings)
    assert res.modification is None


def test_fiml_is_stated_in_report_and_results(fiml_study):
    out = results_dict(fiml_study)
    assert out["missing_data"] == "fiml" and out["n"]["complete"] == fiml_study.n_complete
    html = render_html(fiml_study, "en")
    assert "full-information maximum likelihood (FIML" in html
    assert "missing at random (MAR)" in html
    zh = render_html(fiml_study, "zh")
    assert "完全信息极大似然法（FIML" in zh
