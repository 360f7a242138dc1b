"""The examiner's questions in a study run (issue 14): study-file keys model.alternatives and
model.invariance with located errors, the pipeline's ModelQuestions, the report's tables and text in
Chinese and English, and the results.json keys.

The numbers themselves are checked against lavaan in tests/test_model_questions_reference.py; here the bank study
(questionnaires/data/satisfaction.csv) and the default study are run end to end, and the tests check what
the run and the report say, not values of the default study's simulated data.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from helpers import edit
from study.cli import main
from study.pipeline import run_study
from study.questionnaire import load_study
from study.report import build_document
from study.report.references import intext
from study.report.results_json import results_dict

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"


@pytest.fixture
def bank(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(BANK_DATA, tmp_path / "data" / "satisfaction.csv")
    study = tmp_path / "bank.yaml"
    shutil.copy(BANK, study)
    return study


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    return text[:text.index(needle)].count("\n") + 1


def user_error(capsys, study: Path) -> str:
    code = main([str(study), "--out", "out", "--bootstrap", "0", "--quiet"])
    _, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err, err
    return err


GROUPS = "  groups: [gender]\n"


# --------------------------------------------------------------------------------------------- study file

def test_partial_invariance_naming_an_item_not_in_the_model(capsys, bank):
    line = edit(bank, GROUPS, GROUPS + "  invariance:\n    partial: [sat1~1, satt4~1]\n") + 2
    err = user_error(capsys, bank)
    assert (f"bank.yaml, line {line}: model.invariance.partial.1: invariance.partial: 'satt4~1': 'satt4' is not an "
            "item of the model (did you mean 'sat4'?)") in err


@pytest.mark.parametrize("partial, message", [
    ("QUAL=~qual1", "qual1 is the first item of QUAL, whose loading is fixed at 1"),
    ("SAT=~qual2", "qual2 is an item of QUAL, not of SAT; write QUAL=~qual2"),
    ("sat2~~sat2", "'sat2~~sat2' frees a residual, which the levels configural, metric, scalar do not constrain"),
    ("sat2 ~ 1x", "is not a parameter name; write an intercept as 'item~1'"),
])
def test_partial_invariance_names_are_checked(capsys, bank, partial, message):
    edit(bank, GROUPS, GROUPS + f"  invariance:\n    partial: ['{partial}']\n")
    assert message in user_error(capsys, bank)


def test_invariance_levels_must_be_consecutive(capsys, bank):
    line = edit(bank, GROUPS, GROUPS + "  invariance:\n    levels: [configural, scalar]\n") + 2
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line}: model.invariance.levels: levels must run from configural without gaps" in err


def test_invariance_needs_groups(capsys, bank):
    line = edit(bank, GROUPS, "  invariance:\n    levels: [configural, metric]\n")
    err = user_error(capsys, bank)
    assert f"bank.yaml, line {line}: model.invariance: model.invariance needs groups to compare" in err


@pytest.mark.parametrize("alternative, message", [
    ("{id: M1, add: [QUAL -> SAT]}", "alternative M1: QUAL -> SAT is already hypothesis H1"),
    ("{id: M1, drop: [QUAL -> LOY]}", "alternative M1: cannot drop QUAL -> LOY, which is not a hypothesis"),
    ("{id: M1, add: [QUAL -> LOYAL]}", "'LOYAL' is not a construct (did you mean 'LOY'?)"),
    ("{id: M1, add: [LOY -> QUAL]}", "alternative M1: its paths form a loop"),
    ("{id: M1, add: [QUAL LOY]}", "'QUAL LOY' is not a path; write it as 'FROM -> TO'"),
    ("{id: M1}", "alternative M1: give the paths it adds (add) and/or removes (drop)"),
])
def test_declared_alternatives_are_checked(capsys, bank, alternative, message):
    line = edit(bank, GROUPS, GROUPS + f"  alternatives:\n    models:\n      - {alternative}\n") + 3
    err = user_error(capsys, bank)
    assert message in err
    assert f"bank.yaml, line {line}: model.alternatives.models.0" in err


def test_chisq_test_of_a_non_nested_alternative_is_refused_with_its_line(capsys, bank):
    edit(bank, GROUPS, GROUPS + "  alternatives:\n    models:\n"
                                "      - id: M1\n        add: [QUAL -> LOY]\n        drop: [SAT -> LOY, QUAL -> TRUST]\n"
                                "        chisq_test: true\n")
    line = line_of(bank, "chisq_test: true")
    err = user_error(capsys, bank)
    assert (f"bank.yaml, line {line}: model.alternatives.models.0.chisq_test: alternative model 'M1': a chi-square "
            "difference test was asked for, but it is not nested with the hypothesized model") in err
    assert "compare the two by AIC and BIC instead; or remove chisq_test" in err


def test_keys_are_in_the_json_schema():
    from study.questionnaire import study_json_schema
    schema = json.dumps(study_json_schema())
    for key in ("alternatives", "invariance", "chisq_test", "free_by_score_test", "partial_mediation"):
        assert key in schema
    stored = (ROOT / "questionnaires" / "study.schema.json").read_text(encoding="utf-8")
    assert json.loads(stored) == json.loads(json.dumps(study_json_schema()))


# --------------------------------------------------------------------------------------------- a run

@pytest.fixture(scope="module")
def bank_run(tmp_path_factory):
    """The bank study with a declared (nested) alternative and a requested partial intercept."""
    folder = tmp_path_factory.mktemp("bank")
    (folder / "data").mkdir()
    shutil.copy(BANK_DATA, folder / "data" / "satisfaction.csv")
    study = folder / "bank.yaml"
    shutil.copy(BANK, study)
    edit(study, GROUPS, GROUPS + "  alternatives:\n    models:\n"
                                 "      - {id: M1, name: {en: No trust path from quality, zh: 质量不影响信任},"
                                 " drop: [QUAL -> TRUST], chisq_test: true}\n"
                                 "  invariance:\n    levels: [configural, metric, scalar, strict]\n"
                                 "    partial: [sat4~1]\n")
    return run_study(load_study(study), bootstrap=200, workers=1)


def test_run_answers_the_questions(bank_run):
    q = bank_run.questions
    assert q.estimator == "ML" and q.n == 250
    assert [t.id for t in q.mediation] == ["H6", "H7a", "H7b"]
    for t in q.mediation:
        assert t.model == "QUAL->LOY added" and not t.direct_in_hypothesized
        assert t.direct.bootstrap.resamples == 200
        assert t.mediation in ("full", "partial", "competitive", "direct-only", "none")
    names = [m.name for m in q.competing.models]
    assert names == ["hypothesized", "partial_mediation", "one_factor", "M1"]  # no second-order: no first_order
    m1 = q.competing.models[-1]
    assert m1.nested and m1.restricted == "M1" and m1.test["df_diff"] == 1
    (inv,) = q.invariance
    assert inv.column == "gender" and inv.result.reference == "male"
    assert [s.name for s in inv.result.partial if s.reason == "requested"] == ["sat4~1"]
    assert list(inv.result.levels) == ["configural", "metric", "scalar", "strict"]
    assert "sat4~1" in inv.result.levels["scalar"].group_partial
    assert set(q.loadings["construct"]) == {"QUAL", "SAT", "TRUST", "LOY"}
    assert set(q.effect_sizes["to"]) == {"SAT", "TRUST", "LOY"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_says_which_model_each_number_comes_from(bank_run, lang):
    doc = build_document(bank_run, lang)
    tables = {t.key: t for t in doc.tables()}
    for key in ("mediation", "mediation_type", "competing", "invariance", "latent_means", "cfa_unstd", "vif_f2"):
        assert key in tables, key
    notes = " ".join(tables["mediation_type"].notes)
    assert ("含直接路径的模型" in notes) if lang == "zh" else ("the model with the direct path" in notes)
    assert ("来自假设模型" in " ".join(tables["mediation"].notes)) if lang == "zh" else \
        ("All from the hypothesized model" in " ".join(tables["mediation"].notes))
    # the hypothesized model stays the headline: its paths section comes before the alternatives
    order = [s.anchor for s in doc.sections]
    assert order.index("paths") < order.index("mediation") < order.index("alternatives") < order.index("groups")
    text = " ".join(p.text for s in doc.sections for p in s.blocks if hasattr(p, "text") and not hasattr(p, "head"))
    q = bank_run.questions
    for t in q.mediation:
        assert f"{t.chisq_diff:.2f}" in text  # the Δχ² of each mediation test is in the text
    if lang == "zh":
        assert "仅间接效应的中介" in text or "部分中介" in text or "不存在中介" in text
        assert "强不变" in text and intext("cheung2002", "zh") in text
        assert "model." not in text and ".yaml" not in text  # no configuration keys, no file names
    else:
        assert "scalar invariance" in text and intext("chen2007", "en") in text
    means = tables["latent_means"]
    assert len(means.body) == 4


def test_share_is_given_only_for_partial_mediation_in_the_table(bank_run):
    doc = build_document(bank_run, "en")
    table = next(t for t in doc.tables() if t.key == "mediation_type")
    shares = {row[0].text: row[2].text for row in table.body if len(row) > 2 and row[1].text == "Share mediated"}
    assert shares == {t.id: f"{100 * t.share:.1f}%" for t in bank_run.questions.mediation
                      if t.mediation == "partial" and math.isfinite(t.share)}
    assert not any("signs differ" in c.text for row in table.body for c in row)


def test_results_json_keys(bank_run):
    out = json.loads(json.dumps(results_dict(bank_run)))
    assert out["model_questions"] == {"estimator": "ML", "n": 250}
    test = out["mediation_tests"][0]
    assert set(test) >= {"id", "path", "model", "chisq_diff", "df_diff", "pvalue", "direct", "indirect",
                         "total_indirect", "total", "share", "mediation", "zhao_type", "specific_indirect", "agreement"}
    assert test["zhao_type"] == {"full": "indirect-only", "partial": "complementary", "none": "no-effect"}.get(
        test["mediation"], test["mediation"])
    assert [s["path"] for s in test["specific_indirect"]][0] == test["path"] or \
        test["path"] in [s["path"] for s in test["specific_indirect"]]
    total = test["direct"]["est"] + sum(s["est"] for s in test["specific_indirect"])
    assert abs(total - test["total"]["est"]) < 1e-9
    assert set(test["direct"]) >= {"est", "boot_se", "ci_lower", "ci_upper", "bc_lower", "bc_upper"}
    models = out["competing_models"]["models"]
    assert [m["name"] for m in models] == ["hypothesized", "partial_mediation", "one_factor", "M1"]
    assert models[0]["test"] is None and models[-1]["test"]["df_diff"] == 1
    inv = out["invariance"][0]
    assert inv["reference"] == "male" and [t["level"] for t in inv["tests"]] == ["metric", "scalar", "strict"]
    assert inv["partial"][0] == {"level": "scalar", "name": "sat4~1", "reason": "requested", "X2": None,
                                 "pvalue": None}
    assert {"group", "lhs", "est", "se", "z", "pvalue", "d"} <= set(inv["latent_means"][0])
    assert {"construct", "indicator", "est", "se", "z", "pvalue", "std_all", "smc", "marker"} <= \
        set(out["cfa_estimates"][0])
    assert {"construct", "predictor", "vif_latent", "vif_scores"} <= set(out["collinearity"][0])
    assert {"from", "to", "r2_included", "r2_excluded", "f2", "size"} <= set(out["effect_sizes"][0])


def test_default_study_answers_full_or_partial_mediation_with_numbers():
    """The default study's report answers the examiner: mediation type with Δχ² and share, a competing-models
    table with the target coefficient of its second-order construct, and invariance with latent means."""
    res = run_study(load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml"), bootstrap=0)
    q = res.questions
    assert [t.id for t in q.mediation] == ["H6", "H7", "H7b"]
    assert [m.name for m in q.competing.models] == ["hypothesized", "partial_mediation", "first_order", "one_factor"]
    assert [t.construct for t in q.competing.targets] == ["QUAL"]
    (inv,) = q.invariance
    assert [t.level for t in inv.result.tests] == ["metric", "scalar"]
    doc = build_document(res, "zh")
    keys = [t.key for t in doc.tables()]
    for key in ("mediation_type", "competing", "invariance"):
        assert key in keys
    if inv.result.highest == "scalar":
        assert "latent_means" in keys
    text = " ".join(p.text for s in doc.sections for p in s.blocks if hasattr(p, "text") and not hasattr(p, "head"))
    assert "目标系数" in text and intext("marsh1985", "zh") in text
    for t in q.mediation:
        assert {"full": "仅间接效应的中介", "partial": "部分中介（互补型）", "competitive": "竞争型中介",
                "direct-only": "不存在中介", "none": "不存在效应"}[t.mediation] in text


def test_run_without_a_proper_model_reports_no_examiner_estimates(monkeypatch, bank):
    """An improper structural model: no mediation tests, competing models, VIF or f², and the report says why."""
    import study.model.estimate as estimate
    original = estimate.FittedModel.proper
    monkeypatch.setattr(estimate.FittedModel, "proper", property(lambda self: False))
    try:
        res = run_study(load_study(bank), bootstrap=0)
    finally:
        monkeypatch.setattr(estimate.FittedModel, "proper", original)
    q = res.questions
    assert q.mediation == [] and q.competing is None and q.effect_sizes is None
    assert any("not reported: the structural model has no proper solution" in str(w) for w in res.warnings)



def test_improper_alternative_and_level_print_no_numbers(bank_run):
    """A model without a proper solution is not a finding: its row says so and carries no figures."""
    from dataclasses import replace
    q = bank_run.questions
    models = list(q.competing.models)
    models[1] = replace(models[1], fitted=replace(models[1].fitted, problems=["a negative variance"]))
    inv = q.invariance[0]
    levels = dict(inv.result.levels)
    levels["strict"] = replace(levels["strict"], problems=("a negative variance",))
    broken = replace(q, competing=replace(q.competing, models=models),
                     invariance=[replace(inv, result=replace(inv.result, levels=levels))])
    doc = build_document(replace(bank_run, questions=broken), "en")
    tables = {t.key: t for t in doc.tables()}
    row = tables["competing"].body[1]
    assert row[1].text == "improper solution" and all(c.text == "" for c in row[2:])
    assert "No proper solution" in " ".join(tables["competing"].notes)
    strict = tables["invariance"].body[-1]
    assert strict[1].text == "no proper solution" and all(c.text == "" for c in strict[2:])
    text = " ".join(p.text for s in doc.sections for p in s.blocks if hasattr(p, "text") and not hasattr(p, "head"))
    assert "has no proper solution and is not compared" in text
