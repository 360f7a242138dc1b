"""A model that did not converge or is improper is not a finding: the refits behind f², the target
coefficient and the full-or-partial mediation test. Each test spoils one refit (converged=False) and checks
that no number or verdict of it reaches the results or the report (an audit found all three printed)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import study.model.alternatives as alternatives
import study.model.mediation as mediation
import study.model.path_statistics as path_statistics
from study.model.syntax import model_parts
from study.questionnaire import load_study
from study.report import build_document
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDY = load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml")
ITEMS = pd.read_csv(ROOT / "tests/reference/ecommerce_loyalty_analysed.csv")


def _spoil(module, monkeypatch, names):
    """fit_parts of ``module`` returns an unconverged fit for the models whose name starts with one of ``names``."""
    real = module.fit_parts

    def fit_parts(spec, *args, **kwargs):
        fitted, fit = real(spec, *args, **kwargs)
        if spec.name.startswith(tuple(names)):
            fitted = dataclasses.replace(fitted, converged=False)
            fit = {**fit, "chisq": fit["chisq"] + 20.0}
        return fitted, fit

    monkeypatch.setattr(module, "fit_parts", fit_parts)


def test_f2_of_an_improper_refit_is_not_computed(monkeypatch):
    parts = model_parts(STUDY)
    good = path_statistics.f_squared(parts, ITEMS)
    _spoil(path_statistics, monkeypatch, ["without SAT->TRUST"])
    f2 = path_statistics.f_squared(parts, ITEMS)
    row = f2[(f2["from"] == "SAT") & (f2["to"] == "TRUST")].iloc[0]
    assert not row["proper"] and np.isnan(row["f2"]) and np.isnan(row["r2_excluded"]) and pd.isna(row["size"])
    others = f2.drop(row.name)
    assert others["proper"].all()
    np.testing.assert_allclose(others["f2"], good.drop(row.name)["f2"])


def test_target_coefficient_of_an_improper_model_is_not_a_finding(monkeypatch):
    parts = model_parts(STUDY)
    _spoil(alternatives, monkeypatch, ["second"])
    (target,) = alternatives.compare_models(parts, [], ITEMS).targets
    assert target.proper is False
    monkeypatch.undo()
    (good,) = alternatives.compare_models(parts, [], ITEMS).targets
    assert good.proper is True


def test_mediation_test_without_a_proper_restricted_model_gives_no_chisq_difference(monkeypatch):
    parts = model_parts(STUDY)
    chains = [(m.id, tuple(m.path)) for m in STUDY.model.mediation]
    _spoil(mediation, monkeypatch, ["SAT->LOY removed"])
    tests = mediation.mediation_tests(parts, chains, ITEMS, resamples=0)
    h7 = next(t for t in tests if t.id == "H7")
    assert h7.test_proper is False and np.isnan(h7.pvalue) and np.isnan(h7.chisq_diff) and h7.agreement is None
    assert h7.proper  # the model with the direct path is fine: its effects stay
    others = [t for t in tests if t.id != "H7"]
    assert all(t.test_proper and np.isfinite(t.pvalue) and t.agreement is not None for t in others)


@pytest.fixture(scope="module")
def default_results(default_study_results):
    return default_study_results


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_prints_no_f2_or_target_of_improper_refits(default_results, lang):
    from helpers import texts

    q = default_results.questions
    f2 = q.effect_sizes.copy()
    i = f2.index[(f2["from"] == "SAT") & (f2["to"] == "TRUST")][0]
    f2.loc[i, ["r2_excluded", "f2"]] = np.nan
    f2["size"] = f2["size"].astype(object)
    f2.loc[i, "size"] = None
    f2.loc[i, "proper"] = False
    targets = [dataclasses.replace(t, proper=False) for t in q.competing.targets]
    res = dataclasses.replace(default_results, questions=dataclasses.replace(
        q, effect_sizes=f2, competing=dataclasses.replace(q.competing, targets=targets)))
    doc = build_document(res, lang)
    vif = next(t for t in doc.tables() if t.key == "vif_f2")
    row = next(r for r in vif.body if r[0].text.startswith("顾客满意" if lang == "zh" else "Customer satisfaction")
               and r[0].text.endswith("信任" if lang == "zh" else "Trust"))
    assert [c.text for c in row[4:]] == ["—", "—", "—"]
    everything = " ".join(texts(doc))
    if lang == "en":
        assert "f² not computed for Customer satisfaction → Trust" in everything
        assert "Customer satisfaction → Trust f² not computed (the model without the path has no proper solution)" in everything
        assert "Target coefficient of E-service quality (Marsh & Hocevar, 1985): not computed" in everything
        assert "parsimonious account" not in everything and "target coefficient of 0." not in everything
    else:
        assert "顾客满意 → 信任 f² 未计算（去掉该路径后的模型没有合理解）" in everything
        assert "电子服务质量的目标系数（Marsh & Hocevar，1985）未计算" in everything
        assert "更简约的概括" not in everything and "二阶结构的目标系数为" not in everything


def test_a_bootstrap_without_one_converged_resample_gives_no_interval(monkeypatch):
    """Every resample of the model with the direct path failed: its effects carry no bootstrap interval (not
    an interval of NaN read as 'significant' by the delta method's p behind a '95% CI [—, —]')."""
    from study.model.bootstrap import BootstrapDraws, BootstrapRun

    parts = model_parts(STUDY)
    chains = [(m.id, tuple(m.path)) for m in STUDY.model.mediation]
    real = BootstrapRun.draws

    def no_draws(self, progress=None):
        found = real(self, progress)
        return BootstrapDraws(chains=found.chains, estimates=found.estimates, draws=found.draws[:0],
                              failed=len(found.draws) + found.failed, improper=0)

    monkeypatch.setattr(BootstrapRun, "draws", no_draws)
    tests = mediation.mediation_tests(parts, chains, ITEMS, resamples=100, workers=1)
    for t in tests:
        assert t.direct.bootstrap is None and t.indirect.bootstrap is None
        assert t.direct.significant == (t.direct.pvalue < 0.05)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_gives_no_chisq_difference_of_an_improper_model_without_the_direct_path(default_results, lang):
    q = default_results.questions
    h7 = next(t for t in q.mediation if t.id == "H7")
    spoilt = dataclasses.replace(h7, test_proper=False, chisq_diff=np.nan, pvalue=np.nan, agreement=None)
    res = dataclasses.replace(default_results, questions=dataclasses.replace(
        q, mediation=[spoilt if t is h7 else t for t in q.mediation]))
    from helpers import texts

    text = " ".join(texts(build_document(res, lang)))
    if lang == "en":
        assert "H7: in the hypothesized model (the model without the direct path has no proper solution, so there is " \
               "no χ² difference test)" in text
    else:
        assert "去掉直接路径的模型没有合理解，因此不作 χ² 差异检验" in text
    assert "negative" not in text.split("H7")[1][:300] and "校正因子为负" not in text
