"""PLS-SEM from the study file: model.method, constructs' mode, model.pls, --method; the two PLS study
files equal R plspm (bank) and seminr (mobi); bad input gives located messages and claims nothing."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import edit
from study.cli import main
from types import SimpleNamespace

from study.data import load_responses
from study.pipeline import _pls_warnings, run_study
from study.pls.stage import run_pls
from study.report.pls import pls_results_dict, pls_sections
from study.questionnaire import StudyError, load_study
from study.report import build_document, render_html
from study.report.document import Paragraph
from study.report.results_json import results_dict

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "tests" / "reference" / "pls"
BANK_PLS = ROOT / "questionnaires" / "bank_ecsi_pls.yaml"
MOBI_PLS = ROOT / "questionnaires" / "mobile_ecsi_pls.yaml"
TOL = 5e-5


def quick(study, permutations: int = 300):
    """The study with fewer MGA permutations (the tests check wiring, not Monte Carlo precision)."""
    pls = study.model.pls.model_copy(update={"permutations": permutations})
    return study.model_copy(update={"model": study.model.model_copy(update={"pls": pls})})


@pytest.fixture(scope="module")
def bank_pls():
    """The PLS stage of the bank study (run_study's covariance-based measurement chapter, which the
    report's item sections need, takes long on 27 items; the end-to-end path is tested on mobi and by
    the command line)."""
    study = quick(load_study(BANK_PLS))
    data = load_responses(study)
    return run_pls(study, data.items, data.background, seed=study.model.seed, resamples=300)


@pytest.fixture(scope="module")
def mobi_run():
    return run_study(quick(load_study(MOBI_PLS)), pls_bootstrap=300)


def copy_study(tmp_path: Path, source: Path) -> Path:
    study = tmp_path / source.name
    shutil.copy(source, study)
    (tmp_path / "data").mkdir(exist_ok=True)
    for f in (ROOT / "questionnaires" / "data").glob("*.csv"):
        shutil.copy(f, tmp_path / "data" / f.name)
    return study


def test_bank_study_equals_plspm(bank_pls):
    p = bank_pls
    assert p.converged and p.admissible
    assert p.settings.scheme == "centroid" and not p.settings.scaled
    ref = pd.read_csv(REF / "satisfaction.outer-model.csv")
    o = p.result.outer.set_index("indicator").loc[ref["name"]]
    np.testing.assert_allclose(o["weight"], ref["weight"], atol=TOL)
    np.testing.assert_allclose(o["loading"], ref["loading"], atol=TOL)
    eff = pd.read_csv(REF / "satisfaction.effects.csv", index_col=0)
    mine = p.effects.set_index(["from", "to"]).loc[list(zip(eff["from"], eff["to"]))]
    np.testing.assert_allclose(mine[["direct", "indirect", "total"]], eff[["direct", "indirect", "total"]], atol=TOL)
    summ = pd.read_csv(REF / "satisfaction.inner-summary.csv", index_col=0)
    np.testing.assert_allclose(p.r2.loc[summ.index[1:], "r2"], summ["r_squared"].iloc[1:], atol=TOL)
    np.testing.assert_allclose(p.reliability.loc[summ.index, "ave"], summ["ave"], atol=TOL)
    scores = pd.read_csv(REF / "satisfaction.scores.csv")
    np.testing.assert_allclose(p.result.scores[scores.columns], scores, atol=TOL)
    assert p.groups and p.groups[0].result.sizes == (102, 148)


def test_mobi_twin_equals_seminr(mobi_run):
    p = mobi_run.pls
    assert mobi_run.method == "both" and p.converged and p.settings.scheme == "path" and p.settings.scaled
    ref = json.loads((REF / "seminr_py_reference.json").read_text())["ecsi_composite"]
    paths = pd.DataFrame(ref["paths"]["values"], index=ref["paths"]["rows"], columns=ref["paths"]["cols"])
    for h in p.hypotheses:
        assert h.beta == pytest.approx(paths.loc[h.from_, h.to], abs=TOL)
    lo = pd.DataFrame(ref["loadings"]["values"], index=ref["loadings"]["rows"], columns=ref["loadings"]["cols"])
    w = pd.DataFrame(ref["weights"]["values"], index=ref["weights"]["rows"], columns=ref["weights"]["cols"])
    for row in p.result.outer.itertuples():
        assert row.loading == pytest.approx(lo.loc[row.indicator, row.construct], abs=TOL)
        assert row.weight == pytest.approx(w.loc[row.indicator, row.construct], abs=TOL)
    # both: the covariance-based results are there too, and improper on these data
    assert not mobi_run.sem_proper and mobi_run.hypotheses


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pls_report_sections(mobi_run, lang):
    pls_only = replace(mobi_run, method="pls")
    doc = build_document(pls_only, lang)
    keys = [s.anchor for s in doc.sections]
    assert "pls_measurement" in keys and "pls_structural" in keys and "validity" not in keys and "fit" not in keys
    text = " ".join(p.text for p in doc.paragraphs())
    notes = " ".join(n for t in doc.tables() for n in t.notes)
    for source in ("Henseler", "Franke", "Cohen", "Shmueli", "Dijkstra", "Fornell"):
        assert source in notes
    assert ("HTMT" in text) and ("rho_C" in text)
    both = build_document(mobi_run, lang)
    keys = [s.anchor for s in both.sections]
    assert {"validity", "paths", "pls_measurement", "pls_structural", "pls_compare"} <= set(keys)
    compare = next(s for s in both.sections if s.anchor == "pls_compare")
    assert any(getattr(b, "kind", "") == "pls_compare" or getattr(b, "key", "") == "pls_compare" for b in compare.blocks)
    if lang == "zh":
        assert "协方差结构模型在本数据上没有合理解" in " ".join(p.text for p in compare.blocks if hasattr(p, "text"))


def test_results_json_has_pls(mobi_run, bank_pls):
    out = json.loads(json.dumps(results_dict(mobi_run)))
    p = out["pls"]
    assert out["method"] == "both" and p["converged"] and p["settings"]["scheme"] == "path"
    assert {h["id"] for h in p["paths"]} == {f"H{i}" for i in range(1, 11)}
    assert p["bootstrap"]["resamples"] == 300 and len(p["htmt"]) == 15
    assert p["predict"]["folds"] == 10 and p["predict"]["repetitions"] == 10
    assert out["sem"]["proper"] is False  # both: the covariance-based results stay in their keys
    bank = json.loads(json.dumps(pls_results_dict(bank_pls)))
    assert bank["groups"][0]["column"] == "gender" and len(bank["groups"][0]["micom"]) == 6
    assert bank["settings"] == {"scheme": "centroid", "standardized": False, "consistent": False, "max_iter": 300,
                                "tol": 1e-7, "higher_order": None}


def test_formative_single_item_is_a_located_study_error(tmp_path):
    study = copy_study(tmp_path, BANK_PLS)
    line = edit(study, "  - code: LOY\n", "  - code: LOY\n    mode: formative\n")
    edit(study, "      - {code: loy2, text: {en: I would stay even if another bank were a little cheaper, "
                "zh: 即使别家稍便宜我也会留下}}\n", "")
    edit(study, "      - {code: loy3, text: {en: I would recommend the bank to friends, zh: 我会向朋友推荐这家银行}}\n", "")
    edit(study, "      - {code: loy4, text: {en: I am likely to stay with the bank, zh: 我很可能继续留在这家银行}}\n", "")
    with pytest.raises(StudyError) as caught:
        load_study(study)
    message = str(caught.value)
    assert f"line {line}: constructs.5: construct LOY is formative (mode B) with a single item" in message


def test_formative_needs_method_pls(tmp_path):
    study = copy_study(tmp_path, BANK_PLS)
    line = edit(study, "  - code: QUAL\n", "  - code: QUAL\n    mode: formative\n") + 1
    edit(study, "  method: pls\n", "  method: both\n")
    with pytest.raises(StudyError, match=rf"line {line}: constructs.2.mode: construct QUAL is formative, which "
                                         r"model.method: both cannot estimate"):
        load_study(study)
    edit(study, "  method: both\n", "  method: pls\n")
    loaded = load_study(study)
    with pytest.raises(StudyError, match=r"QUAL are formative, which --method cb cannot estimate"):
        run_study(loaded, method="cb", pls_bootstrap=0)
    data = load_responses(loaded)
    p = run_pls(quick(loaded, 50), data.items, data.background, resamples=0)
    assert p.result.model.mode("QUAL") == "formative" and p.outer_vif is not None
    assert all(h.supported is None for h in p.hypotheses)  # no bootstrap: nothing judged


def test_zero_variance_item_is_named(tmp_path):
    study = copy_study(tmp_path, BANK_PLS)
    data = pd.read_csv(tmp_path / "data" / "satisfaction.csv")
    data["val3"] = 7
    data.to_csv(tmp_path / "data" / "satisfaction.csv", index=False)
    with pytest.raises(StudyError, match=r"item column\(s\) val3 have the same value for every analysed respondent"):
        run_study(load_study(study), pls_bootstrap=0)


def test_not_converging_claims_nothing(tmp_path):
    data = pd.read_csv(REF / "nonconvergent.csv")
    (tmp_path / "data").mkdir()
    # answers on a 1-999 scale with (nearly) the correlations of the non-converging example
    scaled = ((data - data.min()) / (data.max() - data.min()) * 998 + 1).round().astype(int)
    scaled.to_csv(tmp_path / "data" / "cycle.csv", index=False)
    items = lambda c: "\n".join(f"      - {{code: {c}{i}}}" for i in (1, 2))
    (tmp_path / "cycle.yaml").write_text(f"""study:
  title: {{en: A model whose PLS algorithm cycles}}
data:
  file: data/cycle.csv
scale: {{min: 1, max: 999}}
constructs:
  - code: A
    items:
{items('a')}
  - code: B
    items:
{items('b')}
  - code: C
    items:
{items('c')}
screening: {{straight_lining: "off"}}
model:
  method: pls
  hypotheses:
    - {{id: H1, from: A, to: B}}
    - {{id: H2, from: B, to: C}}
    - {{id: H3, from: A, to: C}}
""", encoding="utf-8")
    # the covariance-based chapter cannot be computed on these data (a Heywood case): run the PLS stage alone
    study = load_study(tmp_path / "cycle.yaml")
    data = load_responses(study)
    p = run_pls(study, data.items, data.background, resamples=100)
    assert not p.converged and p.result is None and not p.hypotheses
    warnings = _pls_warnings(p)
    assert "did not converge in 300 iterations" in str(warnings[0])
    assert "没有可报告的估计值" in warnings[0].zh
    res = SimpleNamespace(pls=p, method="pls", seed=1)
    sec = pls_sections(res, "en", str, {}, str)
    assert list(sec) == ["pls_measurement"]
    block = sec["pls_measurement"].blocks[0]
    assert block.kind == "warning" and "None of its estimates is reported" in block.text
    out = pls_results_dict(p)
    assert out["converged"] is False and "paths" not in out


def test_cli_method_overrides_the_study_file(tmp_path, capsys):
    out = tmp_path / "out"
    code = main([str(ROOT / "questionnaires" / "bank_satisfaction.yaml"), "--method", "pls", "--pls-bootstrap", "200",
                 "--bootstrap", "0", "--out", str(out), "--quiet"])
    assert code in (0, None)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["method"] == "pls" and results["pls"]["bootstrap"]["resamples"] == 200
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Measurement model (PLS-SEM)" in html and "HTMT" in html


def test_method_pls_fits_no_covariance_based_model(tmp_path):
    """With method pls no CFA/SEM is fitted: nothing from a model that treats formative constructs as
    reflective (omega, CR, AVE, latent correlations) reaches the report, and the item-level sections
    leave the formative construct out, saying why."""
    study = copy_study(tmp_path, MOBI_PLS)
    edit(study, "  - code: IMAG\n", "  - code: IMAG\n    mode: formative\n")
    edit(study, "  method: both\n", "  method: pls\n")
    res = run_study(quick(load_study(study)), pls_bootstrap=50)
    assert res.cfa is None and res.sem is None and res.sem_fit is None and not res.sem_proper
    assert res.hypotheses == [] and res.mediation == [] and res.questions is None
    assert "IMAG" not in res.measurement.constructs and "IMAG" not in res.item_analysis
    assert all(np.isnan(c.omega) and np.isnan(c.ave) for c in res.measurement.constructs.values())
    assert res.measurement.latent_correlations is None and res.pls.converged
    out = json.loads(json.dumps(results_dict(res)))
    assert out["cfa"] is None and out["sem"] is None and out["pls"] is not None
    for lang, word in (("en", "Formative constructs (Image)"), ("zh", "形成型构念（")):
        doc = build_document(res, lang)
        reliability = next(t for t in doc.tables() if t.key == "reliability")
        assert not any("ω" in c.text for c in reliability.head[0])  # no omega (CFA) column
        assert any(word in n for n in reliability.notes)
        items = next(t for t in doc.tables() if t.key == "item_analysis")
        assert any(word in n for n in items.notes)
        assert not {"fit", "paths", "validity", "cmb"} & {s.anchor for s in doc.sections}
        htmt = next(t for t in doc.tables() if t.key == "pls_htmt")  # HTMT judges reflective pairs only
        assert not any(res.study.construct("IMAG").label(lang) in row[0].text for row in htmt.body)
        left_out = {"en": "Pairs with a formative construct (Image) are not assessed", "zh": "含形成型构念（"}[lang]
        assert any(left_out in n for n in htmt.notes)


def test_summary_table_gives_both_verdicts(mobi_run):
    """With method both, the hypothesis summary sets the PLS-SEM verdict beside the covariance-based one
    (whose model is improper on the mobi data: 'not judged'), so the table agrees with the PLS conclusion."""
    doc = build_document(mobi_run, "en")
    table = next(t for t in doc.tables() if t.key == "hypothesis_summary")
    assert [c.text for c in table.head[0]][-2:] == ["CB-SEM", "PLS-SEM"]
    verdicts = {row[0].text: row[-1].text for row in table.body}
    pls = {h.id: h.supported for h in mobi_run.pls.hypotheses}
    from study.report.pls import measurement_caveats
    cautious = {h.id for h in measurement_caveats(mobi_run.pls).hypotheses}
    for hid, supported in pls.items():
        expected = {True: "supported", False: "not supported", None: "not judged"}[supported]
        # a supported path between constructs that are not distinct is marked (note ᵃ)
        assert verdicts[hid] == expected + ("ᵃ" if supported and hid in cautious else "")
    assert any(v.endswith("ᵃ") for v in verdicts.values()) and any("not empirically distinct" in n for n in table.notes)
    assert all(row[-2].text == "not judged" for row in table.body)  # the improper CB model judges nothing


def test_minimum_sample_by_the_inverse_square_root_method(mobi_run):
    """Kock & Hadaya (2018): n ≥ (2.486 / |β_min|)² for the smallest supported PLS path, as printed."""
    import math
    import re as _re

    doc = build_document(mobi_run, "en")
    sample = " ".join(b.text for b in next(s for s in doc.sections if s.anchor == "sample").blocks
                      if isinstance(b, Paragraph))
    found = _re.search(r"\(2\.486/(0\.\d{3})\)² = (\d+)", sample)
    smallest = min(abs(h.beta) for h in mobi_run.pls.hypotheses if h.supported)
    assert found and float(found.group(1)) == round(smallest, 3)
    assert int(found.group(2)) == math.ceil((2.486 / round(smallest, 3)) ** 2)
    assert "Kock &amp; Hadaya, 2018" in render_html(mobi_run, "en")  # cited and in the reference list


def test_failed_cb_model_with_pls_says_where_the_hypotheses_are_tested(mobi_run):
    """Method both, the CB model improper: the conclusions and limitations say the hypotheses are tested by
    PLS-SEM, not that they remain untested (third examiner reading, A1)."""
    for lang, says, never in (("en", "tested by PLS-SEM", "the hypotheses remain untested"),
                              ("zh", "PLS-SEM 检验", "研究假设仍未得到检验")):
        doc = build_document(mobi_run, lang)
        text = " ".join(b.text for s in doc.sections if s.anchor in ("conclusions", "limitations", "fit")
                        for b in s.blocks if isinstance(b, Paragraph))
        assert says in text and never not in text
        assert "so no hypothesis is tested here" not in text and "故此处不检验研究假设" not in text


def test_improper_cb_validity_points_to_the_pls_assessment(mobi_run):
    """Fourth reading, R3: with method both, the conclusions and limitations do not call validity wholly
    unestablished; they point to the PLS-SEM measurement model, which assesses it."""
    doc = build_document(mobi_run, "en")
    text = " ".join(b.text for s in doc.sections if s.anchor in ("conclusions", "limitations")
                    for b in s.blocks if isinstance(b, Paragraph))
    assert "remain unestablished" not in text and "validity could not be established" not in text
    assert "PLS-SEM" in text
