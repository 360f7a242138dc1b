"""The simulator draws the default study's latent interaction (switching cost weakens satisfaction →
loyalty), and the analysis recovers it within simulation error."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from helpers import edit
from study.analyses.moderation import latent_interaction
from study.data.simulate import population_model, simulate_latent, simulate_responses
from study.questionnaire import StudyError, load_study

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "questionnaires/ecommerce_loyalty.yaml"


@pytest.fixture(scope="module")
def study():
    return load_study(STUDY)


def test_the_default_study_has_a_true_interaction(study):
    population = study.data.population
    assert population.interactions == {"SAT x SWC -> LOY": -0.15}
    model = population_model(study)
    (effect, x, w, gamma, mean), = model.interactions
    assert [model.constructs[i] for i in (effect, x, w)] == ["LOY", "SAT", "SWC"] and gamma == -0.15
    assert mean == 0.0  # SWC is exogenous and independent of SAT


def test_latent_scores_recover_the_interaction_and_keep_unit_variance(study):
    eta = simulate_latent(study, n=200_000, seed=3)
    x = sm.add_constant(pd.DataFrame({"SAT": eta["SAT"], "TRUST": eta["TRUST"], "SWC": eta["SWC"],
                                      "SATxSWC": eta["SAT"] * eta["SWC"]}))
    fit = sm.OLS(eta["LOY"], x).fit()
    # the true values, within 4 standard errors of simulation
    for term, true in (("SAT", 0.45), ("TRUST", 0.35), ("SWC", 0.20), ("SATxSWC", -0.15)):
        assert abs(fit.params[term] - true) < 4 * fit.bse[term], (term, fit.params[term], fit.bse[term])
    assert eta["LOY"].var() == pytest.approx(1.0, abs=0.01)  # the disturbance variance counts the product
    assert eta["LOY"].mean() == pytest.approx(0.0, abs=0.01)  # the product is centred


def test_the_analysis_recovers_the_interaction_from_the_answers(study):
    """Items cut into 7 categories, then product indicators: the standardized latent interaction is the
    true one within the error of simulation and categorization."""
    data = simulate_responses(study, n=20_000, seed=5, missing_share=0, careless_share=0).astype(float, errors="ignore")
    constructs = {c: [i.code for i in study.construct(c).items] for c in ("SAT", "SWC", "LOY")}
    items = data[[i for c in constructs.values() for i in c]].astype(float)
    r = latent_interaction(items, constructs, "SAT", "SWC", "LOY")
    assert r.fitted.proper
    # Var(SAT·SWC) = 1 (independent standard normal factors), so std.all of the product path is γ
    assert r.interaction["std_all"] == pytest.approx(-0.15, abs=0.03)
    assert r.interaction["pvalue"] < 1e-6
    slopes = r.simple_slopes["est"]
    assert slopes["M-1SD"] > slopes["M"] > slopes["M+1SD"] > 0  # weaker at high switching cost


def test_interaction_errors_are_located(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(STUDY.read_text(encoding="utf-8"), encoding="utf-8")
    edit(path, '"SAT x SWC -> LOY": -0.15', '"SAT x SWX -> LOY": -0.15')
    with pytest.raises(StudyError, match=r"interactions: 'SAT x SWX -> LOY': 'SWX' is not a construct \(did you mean 'SWC'\?\)"):
        population_model(load_study(path))
    edit(path, '"SAT x SWX -> LOY": -0.15', '"SAT x SWC -> LOY": -0.95')
    with pytest.raises(StudyError, match=r"the paths into LOY .*SAT x SWC -> LOY = -0.95\) explain"):
        population_model(load_study(path))
    edit(path, '"SAT x SWC -> LOY": -0.95', '"SAT * SWC -> LOY": -0.15')
    with pytest.raises(StudyError, match=r'is not an interaction; write it as "X x W -> Y"'):
        population_model(load_study(path))
