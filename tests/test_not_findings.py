"""A model that did not converge or is improper, or a test that cannot be computed, is not a finding.

1. Measurement invariance: a level compared with (or as) a model without a proper solution is "not established"
   (``holds`` None), never "does not hold"; no constraint is freed by score tests after it, the sequence stops
   there, and the report says that the level could not be tested without quoting the improper model's numbers.
2. A Satorra–Bentler (2001) scaled χ² difference test with a negative scaling factor has no p-value (NaN, as in
   lavaan): no verdict anywhere ("does not fit significantly worse", "equal loadings are rejected" …), a sentence
   saying that the test cannot be computed, "—" in the tables.

The results are the default study's, with single fits or tests replaced (``dataclasses.replace``), as an audit
of the report did.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

import study.model.invariance as inv
from study.messages import Message
from study.pipeline import run_study
from study.questionnaire import load_study
from study.report import build_document
from study.report.document import Paragraph, Table, plain
from study.report.model_questions import results_json

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
CFA = "SAT =~ sat1 + sat2 + sat3 + sat4\nLOY =~ loy1 + loy2 + loy3 + loy4"
IMPROPER = Message("negative variance for LOY (an improper solution).", "LOY 的方差为负（解不合理）。")
NAN = float("nan")


@pytest.fixture(scope="module")
def default():
    return run_study(load_study(DEFAULT), bootstrap=0, workers=1)


@pytest.fixture(scope="module")
def bank():
    return pd.read_csv(BANK_DATA, index_col=0)


def section_text(doc, anchor: str) -> str:
    section = next(s for s in doc.sections if s.anchor == anchor)
    out = []
    for b in section.blocks:
        if isinstance(b, Paragraph):
            out.append(plain(b.text))
        elif isinstance(b, Table):
            out += [" | ".join(c.text for c in row) for row in b.body] + [plain(n) for n in b.notes]
    return "\n".join(out)


def table(doc, key: str) -> Table:
    return next(t for t in doc.tables() if t.key == key)


def with_invariance(res, result):
    q = res.questions
    (gi,) = q.invariance
    return dataclasses.replace(res, questions=dataclasses.replace(q, invariance=[dataclasses.replace(gi, result=result)]))


def spoil(level: str, mode: str = "improper"):
    """fit_invariance_model whose fits of ``level`` are improper (or did not converge)."""
    original = inv.fit_invariance_model

    def patched(*args, **kwargs):
        fit = original(*args, **kwargs)
        if fit.level == level:
            if mode == "nc":
                fit = dataclasses.replace(fit, converged=False)
            else:
                fit = dataclasses.replace(fit, problems=fit.problems + (IMPROPER,))
        return fit
    return patched


# --------------------------------------------------------------------------------------------- 1. the engine

@pytest.mark.parametrize("mode", ["improper", "nc"])
def test_an_improper_metric_model_is_not_established_and_stops_the_sequence(bank, monkeypatch, mode):
    monkeypatch.setattr(inv, "fit_invariance_model", spoil("metric", mode))
    r = inv.measurement_invariance(CFA, bank, bank["gender"], levels=("configural", "metric", "scalar"))
    (test,) = r.tests
    assert test.level == "metric" and test.holds is None and test.not_established == "improper"
    assert list(r.levels) == ["configural", "metric"]  # scalar is not fitted on an untested metric level
    assert r.partial == [] and r.highest is None and r.latent_means is None


def test_no_score_test_freeing_after_an_improper_scalar_model(bank, monkeypatch):
    monkeypatch.setattr(inv, "fit_invariance_model", spoil("scalar"))
    r = inv.measurement_invariance(CFA, bank, bank["gender"], levels=("configural", "metric", "scalar", "strict"),
                                   criterion="chisq")
    assert [(t.level, t.holds) for t in r.tests] == [("metric", True), ("scalar", None)]
    assert not [s for s in r.partial if s.reason == "score-test"]
    assert "strict" not in r.levels and r.highest == "metric" and r.latent_means is None


def test_chisq_criterion_without_a_p_value_is_not_established(bank, monkeypatch):
    monkeypatch.setattr(inv, "scaled_difference_test", lambda a, b: {"chisq_diff": NAN, "df_diff": 8.0,
                                                                      "pvalue": NAN, "scaling_factor": NAN})
    r = inv.measurement_invariance(CFA, bank, bank["gender"], levels=("configural", "metric", "scalar"),
                                   criterion="chisq", estimator="MLR")
    (test,) = r.tests
    assert test.holds is None and test.not_established == "not_computable"
    assert r.partial == [] and r.highest is None
    # by the fit indices the same level is decided; the missing Δχ² p does not matter
    r = inv.measurement_invariance(CFA, bank, bank["gender"], levels=("configural", "metric"), estimator="MLR")
    assert r.tests[0].holds is not None and r.tests[0].not_established is None


# --------------------------------------------------------------------------------------------- 1. the report

def spoilt_level(res, level: str):
    """The default study's invariance result with ``level`` improper, as measurement_invariance now gives it."""
    r = res.questions.invariance[0].result
    levels = dict(r.levels)
    levels[level] = dataclasses.replace(levels[level], problems=(IMPROPER,))
    kept = {k: v for k, v in levels.items() if list(inv.LEVELS).index(k) <= max(list(inv.LEVELS).index(level), 1)}
    tests = [inv.compare_levels(kept[t.level], kept[t.against], r.criterion) for t in r.tests if t.level in kept]
    highest = None
    for t in tests:
        if not t.holds:
            break
        highest = t.level
    return dataclasses.replace(r, levels=kept, tests=tests, highest=highest, latent_means=None, partial=[])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_says_an_improper_metric_level_could_not_be_tested(default, lang):
    res = with_invariance(default, spoilt_level(default, "metric"))
    doc = build_document(res, lang)
    text = section_text(doc, "groups")
    (t,) = res.questions.invariance[0].result.tests
    if lang == "en":
        assert "metric invariance could not be tested: the metric model has no proper solution" in text
        assert "does not hold" not in text and "may reflect the items" not in text
    else:
        assert "弱不变无法检验：弱不变模型没有合理解" in text
        assert "不成立" not in text and "可能源于题项本身" not in text
    assert f"{t.delta_cfi:.3f}" not in text and f"{t.chisq_diff:.2f}" not in text  # no numbers of the improper pair
    rows = {plain(row[0].text): [c.text for c in row] for row in table(doc, "invariance").body}
    (metric,) = [v for k, v in rows.items() if k.startswith("Metric" if lang == "en" else "弱不变")]
    assert metric[1] == ("no proper solution" if lang == "en" else "没有合理解")
    assert "latent_means" not in [t.key for t in doc.tables()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_marks_a_level_compared_with_an_improper_model_as_not_tested(default, lang):
    """A proper scalar model against an improper metric one: its row has fit but no differences and no verdict."""
    r = default.questions.invariance[0].result
    levels = dict(r.levels)
    levels["metric"] = dataclasses.replace(levels["metric"], problems=(IMPROPER,))
    test = inv.compare_levels(levels["scalar"], levels["metric"], r.criterion)
    assert test.holds is None
    res = with_invariance(default, dataclasses.replace(r, levels=levels, tests=[r.tests[0], test], highest=None,
                                                       latent_means=None, partial=[]))
    doc = build_document(res, lang)
    row = next(row for row in table(doc, "invariance").body
               if plain(row[0].text).startswith("Scalar" if lang == "en" else "强不变"))
    assert [c.text for c in row[6:]] == ["—"] * 5 + ["not tested" if lang == "en" else "无法检验"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_improper_configural_model_is_not_quoted(default, lang):
    res = with_invariance(default, spoilt_level(default, "configural"))
    conf = res.questions.invariance[0].result.levels["configural"].fit
    text = section_text(build_document(res, lang), "groups")
    assert f"CFI = {conf['cfi']:.3f}" not in text
    assert ("Measurement invariance by" in text and "the configural model" in text and "has no proper solution" in text
            if lang == "en" else "形态不变模型（含题项截距、各组参数自由估计的一阶测量模型）没有合理解" in text)
    assert ("holds" not in text.split("Measurement invariance by")[1].split("\n")[0]) if lang == "en" else True


def test_results_json_has_null_where_not_established(default):
    res = with_invariance(default, spoilt_level(default, "metric"))
    (entry,) = results_json(res)["invariance"]
    assert entry["tests"][0]["holds"] is None and entry["tests"][0]["not_established"] == "improper"
    assert entry["highest"] is None and entry["latent_means"] is None
    (entry,) = results_json(default)["invariance"]
    assert all(t["holds"] is True and t["not_established"] is None for t in entry["tests"])


# --------------------------------------------------------------------------------------------- 2. NaN p-values

def nan_tests(res):
    """Every χ² difference test of the run without a p-value, as a negative Satorra–Bentler ĉ_d gives it."""
    q = res.questions
    nan = {"chisq_diff": NAN, "pvalue": NAN}
    models = [m if m.test is None else dataclasses.replace(m, test={**m.test, **nan}) for m in q.competing.models]
    targets = [dataclasses.replace(t, test={**t.test, **nan}) for t in q.competing.targets]
    mediation = [dataclasses.replace(t, chisq_diff=NAN, pvalue=NAN, agreement=None) for t in q.mediation]
    (gi,) = q.invariance
    r = gi.result
    tests = [dataclasses.replace(t, chisq_diff=NAN, pvalue=NAN) for t in r.tests]  # fit_indices: still decided
    q = dataclasses.replace(q, competing=dataclasses.replace(q.competing, models=models, targets=targets),
                            mediation=mediation,
                            invariance=[dataclasses.replace(gi, result=dataclasses.replace(r, tests=tests))])
    groups = [dataclasses.replace(g, tests=[{**t, **nan} for t in g.tests]) for g in res.groups]
    return dataclasses.replace(res, questions=q, groups=groups)


def whole_text(doc) -> str:
    return "\n".join(section_text(doc, s.anchor) for s in doc.sections)


def test_nan_p_gives_no_verdict_en(default):
    text = whole_text(build_document(nan_tests(default), "en"))
    for verdict in ("does not make the fit significantly worse", "does not fit significantly",
                    "fits significantly", "parsimonious account", "equal loadings are rejected",
                    "equal loadings are not rejected", "no evidence that the structural paths differ",
                    "the χ² difference test does not find"):
        assert verdict not in text, verdict
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
    for sentence in (("whether dropping the direct path worsens the fit is not judged: the scaled χ² difference test "
                      "cannot be computed"),
                     "the scaled χ² difference test against the partial-mediation model",
                     "whether it fits worse than the correlated dimensions is not judged",
                     "whether equal loadings hold is not judged: the scaled χ² difference test cannot be computed",
                     "whether the structural paths differ between the groups as a whole is not judged",
                     "metric invariance holds (the scaled Δχ² test cannot be computed, its scaling factor being negative"):
        assert sentence in text, sentence


def test_nan_p_gives_no_verdict_zh(default):
    text = whole_text(build_document(nan_tests(default), "zh"))
    for verdict in ("去掉直接路径并不使拟合显著变差", "拟合并未显著", "拟合显著更", "更简约的概括", "载荷相等的约束被拒绝",
                    "载荷相等的约束未被拒绝", "没有证据表明结构路径"):
        assert verdict not in text, verdict
    for sentence in ("去掉直接路径是否使拟合变差无法判断：校正 χ² 差异检验因校正因子为负而无法计算",
                     "的校正 χ² 差异检验因校正因子为负而无法计算（", "无法判断其拟合是否比维度间自由相关的一阶模型更差",
                     "载荷相等的约束是否成立无法判断：校正 χ² 差异检验无法计算",
                     "结构路径整体上是否存在组间差异无法判断", "弱不变成立（校正 Δχ² 检验因校正因子为负而无法计算"):
        assert sentence in text, sentence


def test_nan_p_group_verdict_is_none(default):
    from study.report.verdicts import group_differences
    (v,) = group_differences(nan_tests(default))
    assert v.metric_holds is None and v.paths_differ is None and not v.moderation


def test_nan_p_prints_a_dash_in_the_tables(default):
    doc = build_document(nan_tests(default), "en")
    competing = table(doc, "competing")
    partial = next(row for row in competing.body if plain(row[0].text).startswith("Partial-mediation"))
    assert [c.text for c in partial[-3:]][0::2] == ["—", "—"]
    for row in table(doc, "invariance").body[1:]:
        assert row[8].text == "—"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chisq_criterion_without_a_p_value_in_the_report(default, lang):
    r = default.questions.invariance[0].result
    test = dataclasses.replace(r.tests[0], chisq_diff=NAN, pvalue=NAN, holds=None, not_established="not_computable",
                               criterion="chisq")
    res = with_invariance(default, dataclasses.replace(r, criterion="chisq", tests=[test], highest=None,
                                                       latent_means=None, partial=[],
                                                       levels={k: r.levels[k] for k in ("configural", "metric")}))
    doc = build_document(res, lang)
    text = section_text(doc, "groups")
    assert ("metric invariance could not be judged by the χ² difference test: the scaled χ² difference test cannot "
            "be computed" if lang == "en" else "弱不变无法以 χ² 差异检验判断：校正 χ² 差异检验无法计算") in text
    assert ("does not hold" not in text) if lang == "en" else ("不成立" not in text)
    row = next(row for row in table(doc, "invariance").body
               if plain(row[0].text).startswith("Metric" if lang == "en" else "弱不变"))
    assert row[8].text == "—" and row[-1].text == ("not tested" if lang == "en" else "无法检验")
