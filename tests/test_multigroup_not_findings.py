"""A multi-group model without a proper solution is not a finding (group comparison of the structural model).

When the configural, equal-loadings or equal-paths model did not converge or is improper, the verdicts that rest
on it (equal loadings hold, the paths differ as a whole, single paths differ) are not established: the text says
in zh and en that the comparison could not be made, quotes no Δχ², p-value or group path from it, the tables show
"—", a warning names the model and results.json carries null verdicts. The failure is simulated as in the audit:
the model is marked not converged and its χ² raised by 20 (so its test would otherwise read as highly significant).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

import study.model.multigroup as mg
from study.messages import in_language
from study.model.multigroup import compare_groups
from study.pipeline import run_study
from study.questionnaire import load_study
from study.report import build_document
from study.report.document import Paragraph, Table, plain
from study.report.results_json import results_dict
from study.report.verdicts import group_differences

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"


def _spoil(level: str):
    """fit_multigroup with the ``level`` model marked not converged and its χ² raised by 20 (as the audit)."""
    original = mg.fit_multigroup

    def patched(*args, **kwargs):
        fitted = original(*args, **kwargs)
        if fitted.level == level:
            fitted = dataclasses.replace(fitted, converged=False, fit={**fitted.fit, "chisq": fitted.fit["chisq"] + 20})
        return fitted
    return mock.patch.object(mg, "fit_multigroup", patched)


@pytest.fixture(scope="module")
def spoilt_structural():
    with _spoil("structural"):
        return run_study(load_study(DEFAULT), bootstrap=20, seed=1, workers=1)


def _spoil_configural(res):
    """The same results with the configural model not converged (its paths are what the per-path test uses)."""
    g = res.groups[0]
    models = {**g.models, "configural": dataclasses.replace(g.models["configural"], converged=False)}
    return dataclasses.replace(res, groups=[dataclasses.replace(g, models=models), *res.groups[1:]])


def _section(res, lang: str):
    doc = build_document(res, lang)
    section = next(s for s in doc.sections if s.anchor == "groups")
    paragraphs = [plain(b.text) for b in section.blocks if isinstance(b, Paragraph)]
    # the comparison of the structural model; the measurement-invariance paragraphs before it are another analysis
    first = next(i for i, p in enumerate(paragraphs) if p.startswith(("Comparing the groups of", "按")))
    paragraphs = paragraphs[first:]
    tables = {b.key: b for b in section.blocks if isinstance(b, Table)}
    return doc, paragraphs, tables


def test_multigroup_fits_carry_proper_and_problems():
    data = pd.read_csv(BANK_DATA)
    syntax = "IMAG =~ imag1 + imag2 + imag3\nSAT =~ sat1 + sat2 + sat3\nSAT ~ IMAG"
    comparison = compare_groups(syntax, data, data["gender"], "gender")
    assert all(m.proper and m.problems == [] for m in comparison.models.values())
    assert all(f.problems == [] for m in comparison.models.values() for f in m.fits.values())
    spoilt = dataclasses.replace(comparison.models["metric"], converged=False)
    assert not spoilt.proper


def test_verdicts_resting_on_an_improper_model_are_not_established(spoilt_structural):
    res = spoilt_structural
    assert not res.groups[0].models["structural"].proper and res.groups[0].models["metric"].proper
    v = group_differences(res)[0]
    assert v.paths_differ is None and v.not_proper == ("structural",)
    assert v.metric_holds is not None  # the configural and metric models are proper: that test stands
    w = group_differences(_spoil_configural(res))[0]
    assert w.metric_holds is None and w.differing_paths == () and not w.moderation


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_says_the_paths_could_not_be_compared(spoilt_structural, lang):
    res = spoilt_structural
    structural = next(t for t in res.groups[0].tests if t["model"] == "structural")
    doc, paragraphs, tables = _section(res, lang)
    text = "\n".join(paragraphs)
    if lang == "en":
        assert "paths differ between the groups as a whole (" not in text
        assert "could not be tested, because the equal-paths (structural) model has no proper solution" in text
    else:
        assert "结构路径整体上存在组间差异" not in text and "没有证据表明结构路径" not in text
        assert "结构路径整体上是否存在组间差异无法检验，因为结构等同模型没有得到合理解" in text
    assert f"{structural['chisq_diff']:.2f}" not in text  # no Δχ² quoted from the failed model
    row = next(r for r in tables["g_fit"].body if r[0].text.startswith(("Structural", "结构等同")))
    assert [c.text for c in row[1:]] == ["—"] * 9
    warnings = [in_language(w, lang, report=True) for w in res.warnings]
    assert any(("structural (equal loadings and paths) model has no proper solution" in w) if lang == "en" else
               ("结构等同（载荷与路径相等）模型没有得到合理解" in w) for w in warnings)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_group_path_is_quoted_from_an_improper_configural_model(spoilt_structural, lang):
    res = _spoil_configural(spoilt_structural)
    doc, paragraphs, tables = _section(res, lang)
    text = "\n".join(paragraphs)
    assert "C.R. =" not in text and "|C.R.| ≤ 1.96" not in text and "Δχ²" not in text
    assert ("The single paths are not compared between the groups" in text if lang == "en" else
            "各条路径未作组间比较：比较所依据的形态等同模型没有得到合理解。" in text)
    assert ("equal loadings could not be tested, because the configural model has no proper solution" in text
            if lang == "en" else "载荷相等的约束无法检验，因为形态等同模型没有得到合理解" in text)
    paths = tables["g_paths"]
    assert all(c.text == "—" for row in paths.body for c in row[1:])
    assert any("—" in plain(n) for n in paths.notes)


def test_results_json_nulls_the_verdicts(spoilt_structural):
    # a list of plain sentences (empty here: non-convergence is set by hand after the diagnostics)
    out = results_dict(spoilt_structural)["groups"][0]
    assert out["models"]["structural"]["proper"] is False and out["models"]["metric"]["proper"] is True
    assert out["models"]["structural"]["converged"] is False and out["models"]["metric"]["problems"] == []
    tests = {t["model"]: t for t in out["tests"]}
    assert tests["structural"]["established"] is False and tests["metric"]["established"] is True
    assert out["verdicts"]["paths_differ"] is None and out["verdicts"]["metric_holds"] is not None
    configural = results_dict(_spoil_configural(spoilt_structural))["groups"][0]["verdicts"]
    assert configural["metric_holds"] is None and configural["differing_paths"] is None


def test_the_report_names_the_grouping_question_and_its_levels(spoilt_structural):
    """The terminal names the grouping question by its code (the study file's key); the report by its short name
    in the report's language, with the levels' labels."""
    from study.pipeline import _naming

    warning = next(w for w in spoilt_structural.warnings if "model has no proper solution" in w)
    assert warning.startswith("Group comparison by gender:") and warning.zh.startswith("按 gender 的分组比较")
    assert in_language(warning, "en", report=True).startswith("Group comparison by Gender:")
    assert in_language(warning, "zh", report=True).startswith("按性别的分组比较：结构等同")
    for lang, shown in (("zh", "按性别的分组比较"), ("en", "Group comparison by Gender")):
        assert shown in " ".join(plain(b) for b in build_document(spoilt_structural, lang).front[-1].items)

    gender = next(b for b in load_study(DEFAULT).background if b.code == "gender")
    said = _naming(gender, "gender")
    message = said(lambda q, level: f"{q}: {level(1)}", lambda q, level: f"按{q}：{level(1)}")
    assert (str(message), message.zh) == ("gender: 1", "按 gender：1")  # no space before full-width punctuation
    assert (str(message.report), message.report.zh) == ("Gender: Male", "按性别：男")
