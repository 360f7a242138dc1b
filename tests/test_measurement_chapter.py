"""The measurement chapter of a whole study: the ECSI model's constructs against R, and a bad item.

Data: the "satisfaction" data set of the R packages plspm/semPLS (ECSI survey of 250 bank customers);
reference tests/reference/satisfaction_ecsi.json (lavaan 0.6.14, semTools, psych via reference.R).
The default study's data are the project's own simulation (questionnaires/ecommerce_loyalty.yaml).
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from study.measurement.chapter import measurement_chapter
from study.model.estimate import fit_model
from study.model.syntax import cfa_syntax, sem_syntax
from study.questionnaire import Study

ROOT = Path(__file__).resolve().parents[1]
ECSI = json.loads((ROOT / "tests/reference/satisfaction_ecsi.json").read_text())
TOL = 5e-4


def _ecsi_study() -> Study:
    """The full ECSI model on the bank data, as a study definition."""
    constructs = {"IMAG": "imag", "EXPE": "expe", "QUAL": "qual", "VAL": "val", "SAT": "sat", "LOY": "loy"}
    sizes = {"IMAG": 5, "EXPE": 5, "QUAL": 5, "VAL": 4, "SAT": 4, "LOY": 4}
    paths = [("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"), ("EXPE", "VAL"),
             ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "LOY")]
    document = {
        "study": {"title": {"en": "ECSI"}},
        "data": {"file": str(ROOT / "questionnaires/data/satisfaction.csv")},
        "scale": {"min": 0, "max": 10},
        "constructs": [{"code": c, "items": [{"code": f"{p}{i}"} for i in range(1, sizes[c] + 1)]}
                       for c, p in constructs.items()],
        "screening": {"straight_lining": "flag"},
        "model": {"hypotheses": [{"id": f"H{k}", "from": a, "to": b} for k, (a, b) in enumerate(paths, 1)]},
    }
    return Study.model_validate(document)


@pytest.fixture(scope="module")
def ecsi_chapter():
    from study.data import load_responses

    study = _ecsi_study()
    data = load_responses(study)
    cfa = fit_model(cfa_syntax(study), data.items)
    sem = fit_model(sem_syntax(study), data.items)
    return measurement_chapter(study, data.items, cfa, sem)


def test_ecsi_reliability_and_convergent_validity_equal_r(ecsi_chapter):
    for name, ref in ECSI["reliability"].items():
        c = ecsi_chapter.constructs[name]
        assert c.alpha == pytest.approx(ref["alpha"], abs=TOL)
        for item, value in ref["citc"].items():
            assert c.item_total.loc[item, "citc"] == pytest.approx(value, abs=TOL)
        for item, value in ECSI["cfa"]["std_loadings"][name].items():
            assert c.loadings[item] == pytest.approx(value, abs=TOL)
        assert c.cr == pytest.approx(ECSI["cfa"]["cr"][name], abs=TOL)
        assert c.ave == pytest.approx(ECSI["cfa"]["ave"][name], abs=TOL)
        assert c.omega == pytest.approx(ECSI["cfa"]["omega_semtools"][name], abs=TOL)


def test_ecsi_discriminant_validity_equals_r(ecsi_chapter):
    for a, row in ECSI["cfa"]["latent_correlations"].items():
        for b, value in row.items():
            assert ecsi_chapter.latent_correlations.loc[a, b] == pytest.approx(value, abs=TOL), (a, b)
    for a, row in ECSI["htmt"].items():
        for b, value in row.items():
            assert ecsi_chapter.htmt.loc[a, b] == pytest.approx(value, abs=TOL), (a, b)
    assert ecsi_chapter.kmo.overall == pytest.approx(ECSI["sampling_adequacy"]["kmo"], abs=TOL)
    assert ecsi_chapter.bartlett.chisq == pytest.approx(ECSI["sampling_adequacy"]["bartlett_chisq"], rel=1e-6)
    assert ecsi_chapter.harman_share == pytest.approx(ECSI["harman_first_factor_share"], abs=TOL)


def test_a_bad_item_is_flagged_where_a_reader_sees_it(tmp_path):
    # Add an item that does not measure trust (random answers) to a copy of the default study.
    study_path = ROOT / "questionnaires/ecommerce_loyalty.yaml"
    document = yaml.safe_load(study_path.read_text(encoding="utf-8"))
    data = pd.read_csv(ROOT / "questionnaires/data/ecommerce_loyalty.csv", dtype=str, keep_default_na=False)
    data["trust5"] = np.random.default_rng(4).integers(1, 8, len(data)).astype(str)
    data.to_csv(tmp_path / "answers.csv", index=False)
    trust = next(c for c in document["constructs"] if c["code"] == "TRUST")
    trust["items"].append({"code": "trust5", "text": {"zh": "随机题", "en": "A random item"}})
    document["data"]["file"] = str(tmp_path / "answers.csv")
    (tmp_path / "study.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    from study.cli import main

    assert main([str(tmp_path / "study.yaml"), "--bootstrap", "0", "--out", str(tmp_path / "out"),
                 "--quiet", "--lang", "en"]) == 0
    results = json.loads((tmp_path / "out/results.json").read_text(encoding="utf-8"))
    assert results["constructs"]["TRUST"]["citc"]["trust5"] < 0.40
    assert any("trust5" in w and "item-total" in w for w in results["warnings"])
    html = (tmp_path / "out/report.html").read_text(encoding="utf-8")
    box = html.find('id="warnings"')
    assert box >= 0 and "trust5" in html[box:box + 20000]  # in the warnings box at the top
    # and its CITC is marked in the reliability table
    citc = f"{results['constructs']['TRUST']['citc']['trust5']:.3f}".replace("-", "−")
    assert re.search(r'class="[^"]*\bbad\b[^"]*">' + re.escape(citc), html)
