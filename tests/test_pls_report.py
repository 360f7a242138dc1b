"""The PLS-SEM report text and tables (third examiner reading, C1, C4, C5, C6, C12): the hypothesis verdicts
carry the PLS measurement caveats, every column of a PLS table has its head, the PLSpredict verdicts name the
metric that decided them, the IPMA note says what is on 0–100, and the data source is a citation marker."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from study.pipeline import run_study
from study.pls.stage import PLSHypothesis, PLSMediation
from study.questionnaire import load_study
from study.report import build_document
from study.report.document import Paragraph
from study.report.pls import caveat_text, measurement_caveats

ROOT = Path(__file__).resolve().parents[1]
MOBI_PLS = ROOT / "questionnaires" / "mobile_ecsi_pls.yaml"
BANK_PLS = ROOT / "questionnaires" / "bank_ecsi_pls.yaml"


@pytest.fixture(scope="module")
def mobi_run():
    study = load_study(MOBI_PLS)
    pls = study.model.pls.model_copy(update={"permutations": 300})
    study = study.model_copy(update={"model": study.model.model_copy(update={"pls": pls})})
    return run_study(study, pls_bootstrap=300)


def _name(res, lang):
    return lambda c: res.study.construct(c).label(lang)


def _section_text(doc, anchor) -> str:
    return " ".join(b.text for s in doc.sections if s.anchor == anchor for b in s.blocks if isinstance(b, Paragraph))


def _affected(p) -> tuple[list[str], list[str]]:
    """The hypotheses whose constructs' HTMT upper bound reaches 0.90, computed here from the results."""
    over = {frozenset((a, b)) for a, b, u in zip(p.htmt["from"], p.htmt["to"], p.htmt["upper_95"]) if u >= 0.90}
    hyps = [h for h in p.hypotheses if frozenset((h.from_, h.to)) in over]
    return [h.id for h in hyps], [h.id for h in hyps if h.supported]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pls_verdicts_carry_the_measurement_caveats(mobi_run, lang):
    """C1: the structural section and the conclusions qualify 'PLS-SEM supports 8 of the 10' by the constructs
    below AVE 0.50, the kept indicator loading below 0.40 and the hypotheses on non-distinct constructs."""
    p = mobi_run.pls
    name = _name(mobi_run, lang)
    ids, supported = _affected(p)
    assert {"H1", "H2", "H10"} <= set(supported)  # mobi: Image–Expectations, Image–Satisfaction, Satisfaction–Loyalty
    weak = [c for c, row in p.reliability.iterrows() if row["ave"] < 0.50 or row["rho_c"] < 0.70]
    assert set(weak) == {"IMAG", "CUEX"}
    low = p.outer.loc[p.outer["loading"] < 0.40, "indicator"].tolist()
    assert low == ["CUSL2"]
    join = "、".join if lang == "zh" else (lambda xs: ", ".join(xs[:-1]) + " and " + xs[-1])
    doc = build_document(mobi_run, lang)
    for anchor in ("pls_structural", "conclusions"):
        text = _section_text(doc, anchor)
        assert join(ids) in text  # the hypotheses affected, named
        assert all(name(c) in text for c in weak) and "CUSL2" in text and "0.40" in text
        caution = ("对 {} 的支持应谨慎解读" if lang == "zh" else "The support for {} should therefore be read with caution")
        assert caution.format(join(supported + ["M1", "M2"])) in text
    conclusion = next(b.text for b in next(s for s in doc.sections if s.anchor == "conclusions").blocks
                      if isinstance(b, Paragraph) and "PLS-SEM" in b.text and ("supports" in b.text or "支持" in b.text))
    # the same caveat as the structural section's (its citation marker is formatted in the document)
    assert all(part in conclusion for part in caveat_text(p, lang, name).split("[@hair2022]"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_outer_loading_text_and_note_say_below_040_is_removed(mobi_run, lang):
    doc = build_document(mobi_run, lang)
    outer = next(t for t in doc.tables() if t.key == "pls_outer")
    assert ("λ < 0.40 should be removed" if lang == "en" else "λ < 0.40 的题项应删除") in outer.notes[0]
    text = _section_text(doc, "pls_measurement")
    assert ("CUSL2 loads below 0.40, under which an indicator should be removed" if lang == "en"
            else "CUSL2 的载荷低于 0.40，应予删除") in text


def _clean_pls(htmt_upper: float, mediation_path=("A", "B", "C"), hypotheses=(("H1", "A", "B"), ("H2", "B", "C"))):
    """A stand-in PLS result with good reliability and loadings: only the HTMT bound varies."""
    model = SimpleNamespace(mode=lambda c: "reflective")
    rel = pd.DataFrame({"mode": ["reflective"] * 3, "alpha": 0.8, "rho_a": 0.8, "rho_c": 0.85, "ave": 0.6},
                       index=["A", "B", "C"])
    outer = pd.DataFrame({"construct": ["A", "B", "C"], "indicator": ["a1", "b1", "c1"], "loading": 0.8, "stage": 2})
    htmt = pd.DataFrame({"from": ["A", "A", "B"], "to": ["B", "C", "C"], "htmt": [0.5, 0.5, 0.5],
                         "upper_95": [0.6, 0.6, htmt_upper]})
    hyps = [PLSHypothesis(i, a, b, "+", 0.3, 0.3, 0.05, 6.0, 0.0001, 0.2, 0.4, 0.1, True) for i, a, b in hypotheses]
    med = PLSMediation("M1", tuple(mediation_path), 0.1, 0.03, 0.001, 0.04, 0.16, 0.04, 0.16, None, None, "indirect")
    return SimpleNamespace(reliability=rel, outer=outer, htmt=htmt, hypotheses=hyps, mediation=[med], resamples=300,
                           result=SimpleNamespace(model=model))


def test_no_caveat_when_the_measurement_is_sound():
    p = _clean_pls(0.80)
    assert not measurement_caveats(p) and caveat_text(p, "en", str) == "" and caveat_text(p, "zh", str) == ""


def test_caveat_names_only_the_hypotheses_on_non_distinct_pairs():
    p = _clean_pls(0.95)  # B–C not distinct: H2 and the chain A → B → C
    en, zh = caveat_text(p, "en", str), caveat_text(p, "zh", str)
    assert "between the constructs linked by H2 (the indirect effect M1 runs along such paths)" in en
    assert "H1" not in en and "The support for H2 and M1 should therefore be read with caution" in en
    assert "H2 所连接的构念之间区分效度不成立（HTMT 上限 ≥ 0.90），间接效应 M1 也经过这些路径" in zh
    assert "对 H2、M1 的支持应谨慎解读" in zh and "H1" not in zh
    # a chain through a path that is not a hypothesis of its own
    p = _clean_pls(0.95, hypotheses=(("H1", "A", "B"),))
    assert "between constructs on the chain of the indirect effect M1" in caveat_text(p, "en", str)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_pls_table_column_has_a_head(mobi_run, lang):
    """C4: the explanatory-power table had an empty head over its R² verdicts (4 heads over 5 columns)."""
    doc = build_document(mobi_run, lang)
    tables = [t for t in doc.tables() if t.key.startswith("pls_")]
    assert {"pls_r2", "pls_predict", "pls_outer", "pls_paths"} <= {t.key for t in tables}
    for t in tables:
        head = t.head[-1]
        assert all(len(row) == len(head) for row in t.body), t.key
        assert all(c.text.strip() for c in head[1:]), (t.key, [c.text for c in head])
    r2 = next(t for t in tables if t.key == "pls_r2")
    assert [c.text for c in r2.head[-1]][3] == ("Explanatory power (R²)" if lang == "en" else "解释力（R²）")
    assert r2.body[0][3].text in ({"substantial", "moderate", "weak", "below weak"} if lang == "en"
                                  else {"较强", "中等", "较弱", "很弱"})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_predictive_power_names_the_metric_per_construct(mobi_run, lang):
    """C5: 'Loyalty: no' is traceable: MAE, because the PLS errors of CUSL1 and CUSL3 are highly skewed."""
    pr = mobi_run.pls.predict
    name = _name(mobi_run, lang)
    text = _section_text(build_document(mobi_run, lang), "pls_structural")
    for c, v in pr.verdict.iterrows():
        g = pr.items[pr.items["construct"] == c]
        skewed = g.loc[g["error_skewness"].abs() > 1, "indicator"].tolist()
        assert (v["metric"] == "mae") == bool(skewed)
        if lang == "en":
            head = f"{name(c)}: {dict(none='no').get(v['power'], v['power'])} (on {v['metric'].upper()}"
            assert head in text and f"below LM's for {v['better']} of {v['indicators']} indicators" in text
        else:
            assert f"{name(c)}{'不具' if v['power'] == 'none' else '具有'}" in text
            assert (("、".join(skewed) + " 的 PLS 预测误差严重偏态，故比较 MAE") if skewed else "比较 RMSE") in text
    assert pr.verdict.loc["CUSL", "metric"] == "mae"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ipma_note_puts_the_scores_not_the_importance_on_0_100(mobi_run, lang):
    """C6: the importance is an unstandardized total effect (0.1–0.8 here), not a value on 0–100."""
    doc = build_document(mobi_run, lang)
    note = next(t for t in doc.tables() if t.key == "pls_ipma").notes[0]
    out = mobi_run.study.construct(mobi_run.pls.ipma.target).label(lang)
    assert (f"Importance: the unstandardized total effect on {out}, with the construct scores rescaled to 0–100"
            if lang == "en" else f"重要性：各构念得分换算为 0–100 后，该构念对{out}的非标准化总效应") in note
    assert "of the construct rescaled to 0–100" not in note


@pytest.mark.parametrize("path", [MOBI_PLS, BANK_PLS])
def test_pls_study_data_source_is_a_citation_marker(path):
    """C12: the data source cites [@tenenhaus2005], formatted and listed like every other citation."""
    source = load_study(path).data.source
    for text in (source.en, source.zh):
        assert "[@tenenhaus2005]" in text and "159-205" not in text and "Lauro" not in text


def test_pls_warnings_say_the_problem_in_chinese():
    """The warning that a PLS solution is inadmissible or did not converge carries the reason in Chinese (it
    was English inside the Chinese text)."""
    from types import SimpleNamespace

    from study.messages import Message
    from study.pipeline import _pls_warnings

    why = Message("rho_A of SAT is not positive (-0.100)", "SAT 的 rho_A 不为正（-0.100）")
    inadmissible = SimpleNamespace(converged=True, admissible=False, message=why, failed=0)
    stuck = SimpleNamespace(converged=False, admissible=False, failed=0,
                            message=Message("the PLS algorithm did not converge", "PLS 迭代算法未收敛"))
    (first,), (second,) = _pls_warnings(inadmissible), _pls_warnings(stuck)
    assert "SAT 的 rho_A 不为正" in first.zh and "rho_A of" not in first.zh
    assert second.zh == "PLS-SEM：PLS 迭代算法未收敛" and str(second).startswith("PLS-SEM: the PLS algorithm")
