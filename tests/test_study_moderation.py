"""Study-file keys model.controls, model.moderation and model.moderated_mediation: located errors, the
pipeline's results, results.json and the report sections (bank data, with EXPE added as a construct)."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import edit
from study.analyses.moderation import moderation
from study.analyses.regression import dummy_code, hierarchical_regression
from study.pipeline import run_study
from study.questionnaire import StudyError, load_study
from study.report import build_document, write_outputs
from study.report.results_json import results_dict

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires/bank_satisfaction.yaml"

EXPE = """  - code: EXPE
    name: {en: Expectations, zh: 顾客期望}
    items:
      - {code: expe1, text: {en: Expected overall quality, zh: 预期总体质量}}
      - {code: expe2, text: {en: Expected fulfilment of needs, zh: 预期满足需要}}
      - {code: expe3, text: {en: Expected reliability, zh: 预期可靠性}}
      - {code: expe4, text: {en: Expected service, zh: 预期服务}}
      - {code: expe5, text: {en: Expected range, zh: 预期种类}}
  - code: LOY
"""
MODEL = """  groups: [gender]
  controls: [{question: gender, reference: male}]
  moderation:
    - {id: H8, x: SAT, w: EXPE, y: LOY, sign: "+"}
    - {id: H9, x: TRUST, w: imag1x, y: LOY}
  moderated_mediation:
    - {id: H10, path: [QUAL, SAT, LOY], w: EXPE, stage: second}
"""


def make_study(folder: Path, model: str = MODEL, data: pd.DataFrame | None = None) -> Path:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    frame = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0) if data is None else data
    frame.to_csv(folder / "data/satisfaction.csv")
    path = folder / "study.yaml"
    path.write_text(BANK.read_text(encoding="utf-8"), encoding="utf-8")
    edit(path, "  - code: LOY\n", EXPE)
    edit(path, "  groups: [gender]\n", model)
    return path


# ---------------------------------------------------------------------------------------- study file

@pytest.mark.parametrize("model, key, message", [
    ("  moderation:\n    - {id: H8, x: SAT, w: SAT, y: LOY}\n", "model.moderation.0.w",
     "the moderator SAT is also x"),
    ("  moderation:\n    - {id: H8, x: QUAL, w: EXPE, y: LOY}\n", "model.moderation.0.y",
     "the path QUAL -> LOY is not a hypothesis of the model"),
    ("  moderation:\n    - {id: H8, x: SAT, w: SWC, y: LOY}\n", "model.moderation.0.w",
     "'SWC' is neither a construct, a background question nor an item"),
    ("  moderation:\n    - {id: H8, x: SAT, w: sat2, y: LOY}\n", "model.moderation.0.w",
     "the moderator sat2 is an item of SAT (x)"),
    ("  moderation:\n    - {id: H8, x: SAT, w: LOY, y: LOY}\n", "model.moderation.0.w", "also y"),
    ("  moderation:\n    - {id: H8, x: SAT, w: gender, y: LOY, reference: other}\n", "model.moderation.0.reference",
     "the reference 'other' is not a level of gender"),
    ("  moderation:\n    - {id: H8, x: SAT, w: EXPE, y: LOY, reference: male}\n", "model.moderation.0.reference",
     "reference is for a categorical background question"),
    ("  controls: [gender]\n  moderation:\n    - {id: H8, x: SAT, w: gender, y: LOY}\n", "model.moderation.0.w",
     "gender is also in model.controls"),
    ("  moderation:\n    - {id: H1, x: SAT, w: EXPE, y: LOY}\n", "model.moderation.0.id", "id 'H1' is used twice"),
    ("  controls: [gendr]\n", "model.controls.0", "'gendr' is not a background question (did you mean 'gender'?)"),
    ("  controls: [{question: gender, reference: x}]\n", "model.controls.0.reference",
     "the reference 'x' is not a level of gender"),
    ("  moderated_mediation:\n    - {id: H9, path: [QUAL, LOY, SAT], w: EXPE}\n", "model.moderated_mediation.0.path.1",
     "the path QUAL -> LOY is not a hypothesis"),
    ("  moderated_mediation:\n    - {id: H9, path: [QUAL, SAT], w: EXPE}\n", "model.moderated_mediation.0.path",
     "names 3 constructs"),
    ("  moderated_mediation:\n    - {id: H9, path: [QUAL, SAT, LOY], w: SAT}\n", "model.moderated_mediation.0.w",
     "the moderator SAT is also the mediator"),
    ("  moderated_mediation:\n    - {id: H9, path: [QUAL, SAT, LOY], w: EXPE, stage: middle}\n",
     "model.moderated_mediation.0.stage", "Input should be 'first', 'second' or 'both'"),
])
def test_study_file_errors_name_the_key_and_line(tmp_path, model, key, message):
    path = make_study(tmp_path, "  groups: [gender]\n" + model)
    with pytest.raises(StudyError) as err:
        load_study(path)
    text = str(err.value)
    found = re.search(rf"line (\d+): {re.escape(key)}: [^\n]*{re.escape(message)}", text)
    assert found, text
    line = path.read_text(encoding="utf-8").splitlines()[int(found.group(1)) - 1]
    assert key.split(".")[1] in line or key.split(".")[-1] in line or line.strip().startswith("- ")


def test_a_categorical_moderator_with_several_levels_has_no_sign(tmp_path):
    path = make_study(tmp_path, "  groups: [gender]\n  moderation:\n    - {id: H8, x: SAT, w: gender, y: LOY, sign: '+'}\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - {code: female, label: {en: Female, zh: 女}}",
                                 "      - {code: female, label: {en: Female, zh: 女}}\n"
                                 "      - {code: other, label: {en: Other, zh: 其他}}"), encoding="utf-8")
    with pytest.raises(StudyError, match=r"model\.moderation\.0\.sign: .*has 3 levels"):
        load_study(path)


def test_an_empty_level_of_a_categorical_moderator_is_a_located_error(tmp_path):
    path = make_study(tmp_path, "  groups: [gender]\n  moderation:\n    - {id: H8, x: SAT, w: gender, y: LOY}\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - {code: female, label: {en: Female, zh: 女}}",
                                 "      - {code: female, label: {en: Female, zh: 女}}\n"
                                 "      - {code: other, label: {en: Other, zh: 其他}}"), encoding="utf-8")
    study = load_study(path)
    with pytest.raises(StudyError) as err:
        run_study(study, bootstrap=0)
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "id: H8" in t)
    assert f"{path}, line {line}: model.moderation.0.w: the moderator gender is categorical and no respondent chose " \
           "'other'" in str(err.value)


def test_perfect_collinearity_is_a_located_error(tmp_path):
    data = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
    data["satscore"] = data[["sat1", "sat2", "sat3", "sat4"]].mean(axis=1) * 2 + 1  # a copy of the SAT score
    model = "  groups: [gender]\n  moderation:\n    - {id: H8, x: SAT, w: satscore, y: LOY}\n"
    path = make_study(tmp_path, model, data)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("background:\n", "background:\n  - {code: satscore, type: numeric, "
                                                  "text: {en: SAT again, zh: 满意得分}}\n"), encoding="utf-8")
    with pytest.raises(StudyError) as err:
        run_study(load_study(path), bootstrap=0)
    assert re.search(r"line \d+: model\.moderation\.0\.w: moderation of SAT -> LOY by satscore: .*perfect collinearity"
                     r" — 'satscore' is an exact linear combination of SAT", str(err.value)), str(err.value)


# ------------------------------------------------------------------------------------------ pipeline

@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    from threadpoolctl import threadpool_limits

    folder = tmp_path_factory.mktemp("bank_moderation")
    data = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
    data["imag1x"] = data["imag1"]  # an item outside the model's constructs, as a single-item moderator
    path = make_study(folder, MODEL, data)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("background:\n", "background:\n  - {code: imag1x, type: numeric, "
                                                  "text: {en: Reputation (single item), zh: 声誉（单题）}}\n"), encoding="utf-8")
    with threadpool_limits(1):
        return run_study(load_study(path), bootstrap=300, workers=1), data


def test_regressions_are_the_engine_on_item_means(bank):
    res, data = bank
    scores = pd.DataFrame({c: data[[f"{c.lower()}{k}" for k in range(1, 6) if f"{c.lower()}{k}" in data]].mean(axis=1)
                           for c in ("QUAL", "SAT", "LOY")})
    scores["TRUST"] = data[[f"imag{k}" for k in range(1, 6)]].mean(axis=1)
    scores = scores.join(dummy_code(data["gender"], reference="male", levels=["male", "female"]))
    loy = next(a for a in res.regression if a.dependent == "LOY")
    assert loy.predictors == ("SAT", "TRUST") and loy.controls == ("gender[female]",)
    ref = hierarchical_regression(scores, "LOY", [["gender[female]"], ["SAT", "TRUST"]])
    pd.testing.assert_frame_equal(loy.hierarchy.changes, ref.changes)
    pd.testing.assert_frame_equal(loy.model.coefficients, ref.models[-1].coefficients)
    assert [a.dependent for a in res.regression] == ["SAT", "TRUST", "LOY"]
    assert res.controls[0].reference == "male" and res.controls[0].columns == ("gender[female]",)


def test_moderation_in_the_results(bank):
    res, data = bank
    h8, h9 = res.moderation
    assert (h8.id, h8.w_kind, h9.w_kind) == ("H8", "construct", "background")
    scores = pd.DataFrame({"SAT": data[[f"sat{k}" for k in range(1, 5)]].mean(axis=1),
                           "EXPE": data[[f"expe{k}" for k in range(1, 6)]].mean(axis=1),
                           "LOY": data[[f"loy{k}" for k in range(1, 5)]].mean(axis=1)})
    scores["gender[female]"] = (data["gender"] == "female").astype(float)
    ref = moderation(scores, "SAT", "EXPE", "LOY", controls=["gender[female]"])
    pd.testing.assert_frame_equal(h8.result.interaction, ref.interaction)
    assert h8.result.significant and h8.result.direction == "strengthens" and h8.supported
    assert h8.latent is not None and h8.latent.fitted.proper and h8.latent_note is None
    assert h9.latent is None and "single variable" in h9.latent_note  # an item: no latent product
    mm = res.moderated_mediation[0]
    assert mm.result.process_model == 14 and mm.result.resamples == 5000  # at least 5000 for the index
    assert mm.supported == mm.result.significant


def test_results_json_holds_the_new_keys(bank):
    res, _ = bank
    d = json.loads(json.dumps(results_dict(res), allow_nan=False))
    assert [r["dependent"] for r in d["regression"]] == ["SAT", "TRUST", "LOY"]
    loy = d["regression"][-1]
    assert len(loy["models"]) == 2 and loy["changes"][1]["step"] == "2"
    assert {"B", "SE", "beta", "t", "p", "ci_lower", "ci_upper", "vif", "tolerance"} <= set(loy["models"][1]["coefficients"][1])
    h8 = d["moderation"][0]
    assert h8["supported"] is True and h8["direction"] == "strengthens" and h8["sem"]["interaction"]["est"] is not None
    assert [s["label"] for s in h8["simple_slopes"]] == ["M-1SD", "M", "M+1SD"]
    mm = d["moderated_mediation"][0]
    assert mm["process_model"] == 14 and mm["index"][0]["name"] == "index" and mm["bootstrap"]["resamples"] == 5000
    assert d["controls"][0] == {"question": "gender", "categorical": True, "reference": "male",
                                "levels": ["male", "female"], "columns": ["gender[female]"], "dropped_levels": []}


def test_report_sections_in_thesis_order_with_their_tables(bank, tmp_path):
    res, _ = bank
    for lang, titles in (("zh", ["构念相关分析", "回归分析", "模型拟合", "中介效应检验", "调节效应检验", "有调节的中介效应",
                                 "研究结论与管理启示"]),
                         ("en", ["Construct correlations", "Regression analysis", "Model fit", "Mediation", "Moderation",
                                 "Moderated mediation", "Conclusions and management implications"])):
        doc = build_document(res, lang)
        headings = [s.title for s in doc.sections]
        assert [headings.index(t) for t in titles] == sorted(headings.index(t) for t in titles)
        keys = [t.key for t in doc.tables()]
        for key in ("regression", "moderation", "simple_slopes", "latent_interaction", "modmed_models", "modmed",
                    "hypothesis_summary"):
            assert key in keys, key
        assert [f.key for f in doc.figures()].count("simple_slopes") == 2
        summary = next(t for t in doc.tables() if t.key == "hypothesis_summary")
        assert [row[0].text for row in summary.body][-3:] == ["H8", "H9", "H10"]
        hier = next(t for t in doc.tables() if t.key == "moderation")
        assert [c.text for c in hier.head[0][1:]] == [("模型" if lang == "zh" else "Model ") + str(k) for k in (1, 2, 3)]
    paths = write_outputs(res, tmp_path, "zh")
    import docx

    words = " ".join(p.text for p in docx.Document(str(paths["docx"])).paragraphs)
    assert "调节效应检验" in words and "有调节的中介效应" in words
    import openpyxl

    sheets = openpyxl.load_workbook(paths["xlsx"]).sheetnames
    assert len(sheets) == len(build_document(res, "zh").tables())


def test_direction_is_stated_only_for_a_significant_interaction(bank):
    res, _ = bank
    # associational wording (second examiner's reading, finding 19): "the stronger the association", not "strengthens
    # the effect"
    for lang, strong, none in (("en", "the higher Expectations, the stronger the positive association of Satisfaction "
                                      "with Loyalty", "the data give no evidence that Reputation (single item) moderates"),
                               ("zh", "顾客期望越高，顾客满意与顾客忠诚的正向关联越强", "数据不支持声誉（单题）调节")):
        doc = build_document(res, lang)
        section = next(s for s in doc.sections if s.anchor == "moderation")
        text = " ".join(b.text for b in section.blocks if hasattr(b, "kind") and b.kind == "finding")
        assert strong in text
        h9 = next(b.text for b in section.blocks if hasattr(b, "kind") and b.text.startswith("H9"))
        assert none in h9
        assert not re.search(r"weaken|strengthen|增强|减弱", h9)


def test_direction_follows_the_sign():
    """A negative interaction on a positive effect weakens it; the same data with W reversed strengthen it."""
    raw = pd.read_csv(ROOT / "tests/reference/moderation_simulated.csv")
    s = pd.DataFrame({k: raw.filter(regex=f"^{k}[0-9]$").mean(axis=1) for k in ("sat", "swc", "loy")})
    assert moderation(s, "sat", "swc", "loy").direction == "weakens"
    assert moderation(s.assign(swc=8 - s["swc"]), "sat", "swc", "loy").direction == "strengthens"
    assert np.isclose(moderation(s, "sat", "swc", "loy").interaction["B"].iloc[0],
                      -moderation(s.assign(swc=8 - s["swc"]), "sat", "swc", "loy").interaction["B"].iloc[0])
