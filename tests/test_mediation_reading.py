"""How the chapter reads the mediation and moderation results (examiner's second reading, findings 1, 2, 8, 9,
13 and the class note of 22): one model for a hypothesis's type and indirect effect, Zhao, Lynch & Chen's
(2010) types instead of "full mediation" inferred from a null, an effect decomposition that adds up, no share
mediated next to indirect-only or no-effect, the partial-mediation model named when the data favour it,
negative f² explained, the first-order model's non-nesting explained, and the moderation models said to be
reduced models. The numbers themselves are lavaan's (tests/test_model_questions_reference.py)."""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
from pathlib import Path

import pytest

from study.model.alternatives import ModelParts, fit_parts, first_order_model
from study.model.nested import is_nested
from study.pipeline import run_study
from study.questionnaire import load_study
from study.report import build_document
from study.report.document import Paragraph, Table, plain
from study.report.mediation_types import better_partial_model
from study.report.text import READING

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
BANK_DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
DEFAULT = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bank")
    (folder / "data").mkdir()
    shutil.copy(BANK_DATA, folder / "data" / "satisfaction.csv")
    shutil.copy(BANK, folder / "bank.yaml")
    return run_study(load_study(folder / "bank.yaml"), bootstrap=200, seed=7, workers=1)


@pytest.fixture(scope="module")
def default(default_study_results):
    return default_study_results  # the same numbers with any number of workers


def paragraphs(doc, anchor: str) -> list[str]:
    section = next(s for s in doc.sections if s.anchor == anchor)
    return [plain(b.text) for b in section.blocks if isinstance(b, Paragraph)]


def all_text(doc) -> str:
    out = []
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out.append(plain(b.text))
            elif isinstance(b, Table):
                out += [plain(n) for n in b.notes] + [c.text for row in b.body for c in row]
    return "\n".join(out)


def table(doc, key: str) -> Table:
    return next(t for t in doc.tables() if t.key == key)


def value(text: str) -> float:
    return float(text.replace("−", "-"))


# --------------------------------------------------------------------------------------------- decomposition

@pytest.mark.parametrize("which", ["bank", "default"])
def test_engine_decomposition_closes(which, request):
    """total = direct + Σ specific indirect effects, and the total indirect effect is their sum."""
    for t in request.getfixturevalue(which).questions.mediation:
        assert t.specific, t.chain
        assert t.chain in [e.chains[0] for e in t.specific]
        assert math.isclose(t.total.est, t.direct.est + sum(e.est for e in t.specific), abs_tol=1e-10)
        assert math.isclose(t.total_indirect.est, sum(e.est for e in t.specific), abs_tol=1e-10)
        assert math.isclose(t.total.std_all, t.direct.std_all + sum(e.std_all for e in t.specific), abs_tol=1e-10)
        assert all(e.bootstrap is not None and e.bootstrap.resamples == 200 for e in t.specific)


@pytest.mark.parametrize("which", ["bank", "default"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_decomposition_adds_up(which, lang, request):
    """From the table alone: direct + every listed indirect effect = total, within rounding (B and β)."""
    res = request.getfixturevalue(which)
    body = table(build_document(res, lang), "mediation_type").body
    direct_word, indirect_word, total_word = (("直接效应", "间接效应", "总效应") if lang == "zh" else
                                              ("Direct effect", "Indirect effect", "Total effect"))
    blocks, current = [], None
    for row in body:
        what = row[1].text if len(row) > 1 else ""
        if len(row) == 1:  # "Model: …" header of a block
            current = {"direct": None, "indirect": [], "total": None}
            blocks.append(current)
        elif what.startswith(direct_word):
            current["direct"] = [value(row[2].text), value(row[3].text)]
        elif what.startswith(indirect_word):
            current["indirect"].append([value(row[2].text), value(row[3].text)])
        elif what.startswith(total_word):
            current["total"] = [value(row[2].text), value(row[3].text)]
    assert len(blocks) == len({(t.model, t.x, t.y) for t in res.questions.mediation})
    for b in blocks:
        k = len(b["indirect"]) + 1
        for j in (0, 1):
            parts = b["direct"][j] + sum(e[j] for e in b["indirect"])
            assert abs(parts - b["total"][j]) <= 0.0005 * k + 1e-9, b


# --------------------------------------------------------------------------------------------- types

def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。.;；])\s*", text) if s]


@pytest.mark.parametrize("which", ["bank", "default"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_full_mediation_claimed_from_a_null(which, lang, request):
    """"Full mediation" only as the conventional name of indirect-only mediation, with the caveat; the
    types follow Zhao et al. (2010)."""
    res = request.getfixturevalue(which)
    doc = build_document(res, lang)
    text = all_text(doc)
    if lang == "zh":
        for m in re.finditer("完全中介", text):
            around = text[max(0, m.start() - 8):m.end() + 40]
            assert "传统上称" in around, around
    else:
        for m in re.finditer("full mediation", text, re.I):
            around = text[max(0, m.start() - 25):m.end() + 80]
            assert "conventional" in around, around
    kinds = {t.mediation for t in res.questions.mediation}
    if "full" in kinds:
        assert ("仅间接效应的中介" if lang == "zh" else "indirect-only mediation") in text
        assert ("直接效应不显著并不证明其为 0" if lang == "zh" else
                "a non-significant direct effect is not evidence that it is zero") in text


@pytest.mark.parametrize("which", ["bank", "default"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_share_only_with_partial_mediation(which, lang, request):
    """A share mediated is printed only for partial (complementary) mediation: never next to indirect-only,
    no effect or competitive; the sign of a non-significant direct effect is not read."""
    res = request.getfixturevalue(which)
    doc = build_document(res, lang)
    word = "中介效应占比" if lang == "zh" else "Share mediated"
    shares = {row[0].text: row[2].text for row in table(doc, "mediation_type").body
              if len(row) > 2 and row[1].text == word}
    expected = {t.id: f"{100 * t.share:.1f}%" for t in res.questions.mediation
                if t.mediation == "partial" and math.isfinite(t.share)}
    assert shares == expected
    text = "\n".join(paragraphs(doc, "mediation"))
    share_words = "占总效应" if lang == "zh" else "of the total effect"
    for t in res.questions.mediation:
        if not t.id:
            continue
        own = [s for s in _sentences(text) if re.search(rf"(^|\s|、){re.escape(t.id)}[：:]", s)]
        for s in own:
            if t.mediation != "partial":
                assert share_words not in s, s
    if not any(t.direct.significant and t.indirect.significant for t in res.questions.mediation):
        assert "符号相反" not in text and "opposite sign" not in text


def test_zh_and_en_give_the_same_types_and_decomposition(default, bank):
    for res in (default, bank):
        zh = table(build_document(res, "zh"), "mediation_type").body
        en = table(build_document(res, "en"), "mediation_type").body
        assert len(zh) == len(en)
        for a, b in zip(zh, en):
            assert [c.text for c in a[2:-1]] == [c.text for c in b[2:-1]]
        words = {"zh": "仅间接效应的中介", "en": "indirect-only mediation"}
        assert sum(words["zh"] in r[-1].text for r in zh if len(r) > 2) == \
            sum(words["en"] in r[-1].text for r in en if len(r) > 2)


# --------------------------------------------------------------------------------------------- one model

def test_bank_partial_mediation_model_is_named_and_conclusions_use_it(bank):
    """The bank data favour the partial-mediation model: the report says so and says which model each kind
    of hypothesis is read from; the conclusions quote the type and the indirect β of that one model."""
    q = bank.questions
    better = better_partial_model(q)
    assert better is not None and better.test["pvalue"] < 0.05
    h6 = next(t for t in q.mediation if t.id == "H6")
    hyp_beta = next(m for m in bank.mediation if m.id == "H6").delta.std_all
    assert abs(h6.indirect.std_all - hyp_beta) > 0.05  # the two models give different β: the test can fail
    for lang in ("zh", "en"):
        doc = build_document(bank, lang)
        alt = " ".join(paragraphs(doc, "alternatives"))
        assert ("因此数据更支持" in alt and "中介假设据此模型判断" in alt and "路径假设仍依" in alt) if lang == "zh" else \
            ("The data therefore favour the partial-mediation model" in alt and "The mediation hypotheses are read "
             "from it" in alt and "The path hypotheses are read from the hypothesized model" in alt)
        conclusion = next(p for p in paragraphs(doc, "conclusions") if p.startswith(("中介效应", "Mediation")))
        assert f"{h6.indirect.std_all:.3f}" in conclusion and f"{hyp_beta:.3f}" not in conclusion
        assert ("拟合显著优于假设模型" if lang == "zh" else "fits significantly better") in conclusion
        assert ("仅间接效应的中介" if lang == "zh" else "indirect-only mediation") in conclusion
        # the mediation section: the direct effect's mixed evidence (Δχ² significant, interval includes 0)
        med = " ".join(paragraphs(doc, "mediation"))
        if not h6.agreement:
            assert ("不能排除部分中介" if lang == "zh" else "partial mediation cannot be ruled out") in med


def test_default_conclusions_quote_the_model_with_the_direct_path(default):
    q = default.questions
    assert better_partial_model(q) is None  # Δχ² not significant there
    for lang in ("zh", "en"):
        conclusion = next(p for p in paragraphs(build_document(default, lang), "conclusions")
                          if p.startswith(("中介效应", "Mediation")))
        for t in q.mediation:
            if t.mediation in ("full", "partial", "competitive"):
                assert f"{t.indirect.std_all:.3f}" in conclusion, (t.id, conclusion)


# --------------------------------------------------------------------------------------------- f², nesting

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_negative_f2_is_explained(bank, lang):
    q = bank.questions
    f2 = q.effect_sizes.copy()
    f2.loc[0, ["r2_excluded", "f2", "size"]] = [f2.loc[0, "r2_included"] + 0.004, -0.007, "negligible"]
    res = dataclasses.replace(bank, questions=dataclasses.replace(q, effect_sizes=f2))
    doc = build_document(res, lang)
    t = table(doc, "vif_f2")
    assert t.body[0][5].text == "−0.007ᵃ" and t.body[0][6].text == ("可忽略" if lang == "zh" else "negligible")
    note = t.notes[-1]
    assert note.startswith("ᵃ") and (("重新估计" in note and "按 0 解读" in note) if lang == "zh" else
                                     ("refitted as a whole" in note and "read as 0" in note))
    text = " ".join(paragraphs(doc, "paths"))
    assert ("为负值是因为" if lang == "zh" else "negative because") in text
    # without a negative value, no such note
    assert len(table(build_document(bank, lang), "vif_f2").notes) == 1


def test_second_order_is_nested_in_first_order_only_without_other_exogenous_constructs(default):
    """Why the default study's first-order model is not nested (finding 13): switching cost covaries with the
    second-order factor; without it the two models are nested (NET)."""
    study = default.study
    from study.model.syntax import model_parts
    parts = model_parts(study)
    items = default.data.items.dropna()
    fitted, _ = fit_parts(parts, items)
    assert is_nested(fitted, first_order_model(parts).syntax(), items) is False
    keep = {k: v for k, v in parts.measurement.items() if k != "SWC"}
    reduced = ModelParts("h", tuple(c for c in parts.order if c != "SWC"), keep, parts.second_order,
                         tuple(p for p in parts.paths if "SWC" not in p))
    fitted, _ = fit_parts(reduced, items)
    assert is_nested(fitted, first_order_model(reduced).syntax(), items) is True
    for lang in ("zh", "en"):
        doc = build_document(default, lang)
        competing = table(doc, "competing")
        first = next(m for m in default.questions.competing.models if m.name == "first_order")
        assert first.nested is False
        reason = next(n for n in competing.notes if ("一阶维度模型与假设模型不嵌套" in n if lang == "zh" else
                                                     n.startswith("First-order model: not nested")))
        assert ("转换成本" in reason) if lang == "zh" else ("Switching cost" in reason)
        alt = " ".join(paragraphs(doc, "alternatives"))
        assert ("仅含各维度题项的测量模型中（二者嵌套）" in alt) if lang == "zh" else \
            ("measurement model of the dimensions' items, where the two are nested" in alt)


# --------------------------------------------------------------------------------------------- moderation

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_moderation_models_are_said_to_be_reduced(default, lang):
    doc = build_document(default, lang)
    text = "\n".join(paragraphs(doc, "moderation") + paragraphs(doc, "moderated_mediation"))
    trust = "信任" if lang == "zh" else "Trust"
    reduced = [p for p in text.split("\n") if ("单独的简化模型" in p if lang == "zh" else "separate, reduced model" in p)]
    assert len(reduced) == len(default.moderation) + len(default.moderated_mediation)
    assert all(trust in p for p in reduced)
    for a in default.moderated_mediation:
        lm = a.latent
        est = lm.bootstrap.loc["index", "est"]
        score = a.result.index["est"].iloc[0]
        sentence = next(p for p in text.split("\n") if p.startswith(("在含潜变量乘积项", "In the SEM with latent")))
        ratio = abs(est) / abs(score)
        if not 0.8 <= ratio <= 1.25:
            assert ("大小不同" in sentence and f"{ratio:.2f}" in sentence) if lang == "zh" else \
                ("the size differs" in sentence and f"{ratio:.2f}" in sentence)
            assert "结论与基于得分的回归一致" not in sentence and "agrees with the regression" not in sentence


def test_class_note_teaches_the_indirect_only_reading():
    zh, formula = READING["mediation_type"]["zh"]
    assert "为完全中介" not in zh and "仅间接效应的中介" in zh and "不证明直接效应为 0" in zh
    en = READING["mediation_type"]["en"][0]
    assert "indirect-only" in en and "the mediation is full" not in en
    assert "总效应 = 直接效应 + Σ 间接效应" in formula


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mediation_hypothesis_read_from_the_favoured_model_when_they_disagree(bank, lang):
    """With the partial-mediation model favoured, a mediation hypothesis whose indirect effect is significant in
    the hypothesized model but not in the favoured one is not supported, in the text and the summary table."""
    q = bank.questions
    h7b = next(t for t in q.mediation if t.id == "H7b")
    assert next(m for m in bank.mediation if m.id == "H7b").bootstrap.ci_lower > 0  # supported as hypothesized
    boot = dataclasses.replace(h7b.indirect.bootstrap, ci_lower=-0.01)
    changed = dataclasses.replace(h7b, indirect=dataclasses.replace(h7b.indirect, bootstrap=boot))
    tests = [changed if t.id == "H7b" else t for t in q.mediation]
    res = dataclasses.replace(bank, questions=dataclasses.replace(q, mediation=tests))
    doc = build_document(res, lang)
    summary = table(doc, "hypothesis_summary")
    row = next(r for r in summary.body if r[0].text == "H7b")
    assert row[-1].text == ("不支持" if lang == "zh" else "not supported")
    para = next(p for p in paragraphs(doc, "mediation") if "H7b" in p and ("间接效应为" in p or "indirect effect along" in p))
    assert ("H7b 未得到支持" in para and "假设依该模型判断" in para) if lang == "zh" else \
        ("H7b is not supported" in para and "the hypothesis is read from that model" in para)
    # unchanged: the original run supports it
    row = next(r for r in table(build_document(bank, lang), "hypothesis_summary").body if r[0].text == "H7b")
    assert row[-1].text == ("支持" if lang == "zh" else "supported")


def test_one_factor_model_is_tested_and_an_unconverged_net_check_is_not_called_not_nested(default):
    """The one-factor model is nested in the default model (semTools' net(); see
    test_default_study_competing_models_equal_semtools_net), so it gets its Δχ² test. Where the NET fit did
    not converge (nested None) the report must not say "not nested": it says nesting was not established."""
    competing = default.questions.competing
    one = next(m for m in competing.models if m.name == "one_factor")
    assert one.nested is True and one.test["df_diff"] == 11 and one.nested_at_boundary
    for lang, words in (("en", "nested in the hypothesized model only at the edge of the parameter space"),
                        ("zh", "单因子模型只在假设模型参数空间的边界上")):
        notes = table(build_document(default, lang), "competing").notes
        note = next(n for n in notes if words in n)
        assert "stoel2006" in note or "Stoel" in note
    # inside the English sentence the models are "the … model", not capitalised names after a semicolon
    text_en = " ".join(paragraphs(build_document(default, "en"), "alternatives"))
    assert "; the one-factor model fits significantly worse (Δχ²(11) = 2268.80" in text_en
    assert ": the partial-mediation model (" in text_en and "; One-factor" not in text_en
    unsure = dataclasses.replace(one, nested=None, test=None)
    models = [unsure if m is one else m for m in competing.models]
    res = dataclasses.replace(default, questions=dataclasses.replace(
        default.questions, competing=dataclasses.replace(competing, models=models)))
    for lang, cell, words in (("en", "nesting not established", "could not be established"),
                              ("zh", "嵌套未确定", "未能确定")):
        doc = build_document(res, lang)
        t = table(doc, "competing")
        row = next(r for r in t.body if r[0].text.startswith("One-factor" if lang == "en" else "单因子"))
        assert row[10].text == cell
        assert any(words in n for n in t.notes)
        text = " ".join(paragraphs(doc, "alternatives"))
        assert words in text and ("One-factor model is not nested" not in text) and ("单因子模型与之不嵌套" not in text)
        assert ("whether the one-factor model is nested with it could not be established" in text) if lang == "en" \
            else ("单因子模型与之是否嵌套未能确定" in text)
        assert not any(("edge of the parameter space" in n) or ("边界" in n) for n in t.notes)
