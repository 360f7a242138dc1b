"""Tests of the simulator (study/simulate.py) and of the default simulated study."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from study.questionnaire import Study, StudyError, load_study  # noqa: E402
from study.data.simulate import (  # noqa: E402
    answer_thresholds,
    implied_latent_correlations,
    main,
    simulate_latent,
    simulate_responses,
    write_simulated_data,
)

STUDY_FILE = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"
DATA_FILE = ROOT / "questionnaires" / "data" / "ecommerce_loyalty.csv"
PATHS = {("QUAL", "SAT"): 0.65, ("QUAL", "TRUST"): 0.30, ("SAT", "TRUST"): 0.45,
         ("SAT", "LOY"): 0.45, ("TRUST", "LOY"): 0.35, ("SWC", "LOY"): 0.20}


@pytest.fixture(scope="module")
def study() -> Study:
    return load_study(STUDY_FILE)


@pytest.fixture(scope="module")
def sample(study) -> pd.DataFrame:
    """The default sample (population n and seed), as committed."""
    return simulate_responses(study)


def with_population(study: Study, **changes) -> Study:
    population = study.data.population.model_copy(update=changes)
    return study.model_copy(update={"data": study.data.model_copy(update={"population": population})})


def item_columns(study: Study) -> list[str]:
    return [i.data_column for i in study.items]


# --- the study file ------------------------------------------------------------------------------

def test_study_file_matches_the_design(study):
    assert study.data.simulated and study.data.population is not None
    assert [c.code for c in study.second_order] == ["QUAL"]
    assert study.construct("QUAL").dimensions == ["DES", "INFO", "RESP", "FUL"]
    assert [i.code for i in study.items if i.reverse] == ["des3"]
    assert all(0.65 <= i.loading <= 0.85 for i in study.items)
    assert (study.scale.min, study.scale.max, study.scale.missing_codes) == (1, 7, [99])
    population = study.data.population
    paths = {tuple(p.strip() for p in k.split("->")): v for k, v in population.paths.items()}
    assert paths == PATHS
    assert {(h.from_, h.to) for h in study.model.hypotheses} == set(PATHS)
    assert "simulated" in study.meta.description.en and "模拟" in study.meta.description.zh


# --- determinism ---------------------------------------------------------------------------------

def test_same_seed_gives_identical_data(study):
    pd.testing.assert_frame_equal(simulate_responses(study, n=300, seed=5),
                                  simulate_responses(study, n=300, seed=5))


def test_different_seed_gives_different_data(study):
    a = simulate_responses(study, n=300, seed=5)[item_columns(study)]
    b = simulate_responses(study, n=300, seed=6)[item_columns(study)]
    assert not a.equals(b)
    assert (a.to_numpy(dtype=float, na_value=np.nan) != b.to_numpy(dtype=float, na_value=np.nan)).mean() > 0.5


def test_committed_csv_equals_a_fresh_regeneration(study, tmp_path):
    fresh = write_simulated_data(study, tmp_path / "fresh.csv")
    assert fresh.read_bytes() == DATA_FILE.read_bytes(), (
        "questionnaires/data/ecommerce_loyalty.csv is out of date: run "
        "python -m study.data.simulate questionnaires/ecommerce_loyalty.yaml")


def test_blemishes_leave_the_clean_answers_unchanged(study, sample):
    clean = simulate_responses(study, missing_share=0, careless_share=0)
    items = item_columns(study)
    assert not clean[items].isna().any().any()
    answered = sample[items].notna().all(axis=1) & (sample[items] != 99).all(axis=1)
    straight = sample[items].nunique(axis=1) == 1
    keep = answered & ~straight
    assert keep.mean() > 0.8
    pd.testing.assert_frame_equal(sample.loc[keep, items], clean.loc[keep, items])


# --- shape and values ----------------------------------------------------------------------------

def test_shape_and_columns(study, sample):
    background = [b.data_column for b in study.background]
    assert list(sample.columns) == ["resp_id", *background, *item_columns(study)]
    assert len(sample) == study.data.population.n == 500
    assert sample["resp_id"].is_unique
    assert sample["resp_id"].iloc[0] == "R0001" and sample["resp_id"].iloc[-1] == "R0500"
    for question in study.background:
        codes = {level.code for level in question.levels}
        assert set(sample[question.data_column].dropna().unique()) <= codes


def test_answers_in_range_or_missing(study, sample):
    values = sample[item_columns(study)].to_numpy(dtype=float, na_value=np.nan)
    answered = values[~np.isnan(values)]
    in_scale = (answered >= 1) & (answered <= 7) & (answered == np.round(answered))
    assert np.all(in_scale | (answered == 99))
    n_empty, n_coded = int(np.isnan(values).sum()), int((answered == 99).sum())
    assert n_empty > 0 and n_coded > 0  # both kinds of missing answers occur
    share = (n_empty + n_coded) / values.size
    assert 0.004 < share < 0.02  # missing_share 0.01
    # non-response is concentrated: most respondents answered everything
    incomplete = np.isnan(values).any(axis=1) | (values == 99).any(axis=1)
    assert 0.03 < incomplete.mean() < 0.25


def test_careless_respondents_straight_line(study, sample):
    items = sample[item_columns(study)]
    straight = items.nunique(axis=1) == 1
    assert straight.sum() == round(study.data.population.careless_share * len(sample)) == 10
    assert items[straight].notna().all().all()


def test_answers_lean_positive_with_slight_negative_skew(study):
    data = simulate_responses(study, n=5000, seed=3, missing_share=0, careless_share=0)
    positive = [i.data_column for i in study.items if not i.reverse]
    means, skews = data[positive].astype(float).mean(), data[positive].astype(float).skew()
    assert means.between(4.2, 5.6).all()
    assert skews.between(-1.2, -0.05).all()
    assert means.std() > 0.05  # items differ in their means


def test_background_follows_the_probabilities(study):
    data = simulate_responses(study, n=20000, seed=4, missing_share=0, careless_share=0)
    for question in study.background:
        shares = data[question.data_column].value_counts(normalize=True)
        for level, p in zip(question.levels, question.probabilities):
            assert shares.get(level.code, 0) == pytest.approx(p, abs=0.015)


def test_reverse_item_is_stored_reversed(study, sample):
    construct = next(c for c in study.first_order if any(i.reverse for i in c.items))
    reverse = next(i.data_column for i in construct.items if i.reverse)
    others = [i.data_column for i in construct.items if not i.reverse]
    data = sample[[reverse, *others]].astype(float).where(lambda x: x != 99)
    r = data.corr()[reverse].drop(reverse)
    assert (r < -0.25).all(), r
    reversed_back = (8 - data[reverse]).corr(data[others].mean(axis=1))
    assert reversed_back > 0.4


# --- the population model ------------------------------------------------------------------------

def test_implied_correlations_count_the_correlation_of_the_causes(study):
    r = implied_latent_correlations(study)
    assert r.loc["QUAL", "SAT"] == pytest.approx(0.65)
    assert r.loc["QUAL", "TRUST"] == pytest.approx(0.30 + 0.45 * 0.65)
    assert r.loc["SAT", "TRUST"] == pytest.approx(0.45 + 0.30 * 0.65)
    r_sat_trust = 0.45 + 0.30 * 0.65
    assert r.loc["SAT", "LOY"] == pytest.approx(0.45 + 0.35 * r_sat_trust)
    assert r.loc["QUAL", "DES"] == pytest.approx(0.78)
    assert r.loc["DES", "INFO"] == pytest.approx(0.78 * 0.82)
    assert np.allclose(np.diag(r), 1)
    assert np.all(np.linalg.eigvalsh(r.to_numpy()) > 0)


def test_latent_scores_are_standardized_and_follow_the_model(study):
    eta = simulate_latent(study, n=20000, seed=8)
    assert np.allclose(eta.var(), 1, atol=0.04), eta.var()
    assert np.allclose(eta.mean(), 0, atol=0.03)
    assert np.abs(eta.corr() - implied_latent_correlations(study)).to_numpy().max() < 0.03


def test_paths_into_a_construct_must_explain_less_than_all_its_variance(study):
    bad = with_population(study, paths={"QUAL -> SAT": 0.65, "QUAL -> TRUST": 0.6, "SAT -> TRUST": 0.6})
    with pytest.raises(StudyError, match="TRUST"):
        simulate_responses(bad, n=50)


def test_unknown_construct_in_a_path_is_reported(study):
    bad = with_population(study, paths={"QUAL -> SATT": 0.5})
    with pytest.raises(StudyError, match="did you mean 'SAT'"):
        simulate_responses(bad, n=50)


def test_cyclic_paths_are_reported(study):
    bad = with_population(study, paths={"SAT -> LOY": 0.3, "LOY -> SAT": 0.3})
    with pytest.raises(StudyError, match="cycle"):
        simulate_responses(bad, n=50)


def test_real_data_are_never_overwritten():
    bank = load_study(ROOT / "questionnaires" / "bank_satisfaction.yaml")
    with pytest.raises(StudyError, match="simulated"):
        write_simulated_data(bank)
    with pytest.raises(StudyError, match="population"):
        simulate_responses(bank, n=50)


def test_other_scales_and_several_exogenous_constructs():
    study = Study.model_validate({
        "study": {"title": {"en": "toy"}},
        "data": {"file": "toy.csv", "simulated": True,
                 "population": {"n": 50, "paths": {"A -> C": 0.5, "B -> C": 0.4}}},
        "scale": {"min": 0, "max": 10, "missing_codes": [-9]},
        "constructs": [{"code": c, "items": [{"code": f"{c.lower()}{k}"} for k in (1, 2, 3)]} for c in "ABC"],
        "background": [{"code": "group", "levels": [{"code": "x", "label": {"en": "X"}},
                                                    {"code": "y", "label": {"en": "Y"}}]}],
        "model": {"hypotheses": [{"id": "H1", "from": "A", "to": "C"}, {"id": "H2", "from": "B", "to": "C"}]},
    })
    eta = simulate_latent(study, n=20000, seed=1)
    assert eta["C"].var() == pytest.approx(1, abs=0.04)
    data = simulate_responses(study, n=2000, seed=1, missing_share=0.05)
    values = data[["a1", "a2", "a3", "b1", "c3"]].to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values)]
    assert set(np.unique(values)) <= set(range(0, 11)) | {-9}
    assert set(data["group"]) == {"x", "y"}
    assert len(answer_thresholds(0, 10)) == 10


def test_command_line_writes_the_file(tmp_path, capsys):
    out = tmp_path / "sim.csv"
    assert main([str(STUDY_FILE), "--output", str(out)]) == 0
    assert "500 simulated respondents" in capsys.readouterr().out
    assert out.read_bytes() == DATA_FILE.read_bytes()
    assert main([str(tmp_path / "missing.yaml")]) == 2


# --- recovery of the true model ------------------------------------------------------------------

def test_sem_recovers_the_true_standardized_paths(study):
    """A large clean sample, fitted as the analysis would (after reversing the negative item).

    The paths are estimated from discretized 7-point answers, so the item loadings are a little
    attenuated (by about 0.02-0.03); the structural paths and second-order loadings are not, since
    the attenuation is absorbed by the measurement part. The sampling SD of a path at n = 20000 is
    about 0.01, so a tolerance of 0.05 is met by a correct simulator and missed by wrong paths
    or loadings (e.g. swapping H4 and H5, or a disturbance variance that ignores the correlation
    of the causes, shift a path by more).
    """
    semopy = pytest.importorskip("semopy")
    data = simulate_responses(study, n=20000, seed=2024, missing_share=0, careless_share=0)
    scale = study.scale
    for item in study.items:
        if item.reverse:
            data[item.data_column] = scale.min + scale.max - data[item.data_column]
    data = data[item_columns(study)].astype(float)
    lines = [f"{c.code} =~ " + " + ".join(i.data_column for i in c.items) for c in study.first_order]
    lines += [f"{c.code} =~ " + " + ".join(c.dimensions) for c in study.second_order]
    for effect in ("SAT", "TRUST", "LOY"):
        lines.append(f"{effect} ~ " + " + ".join(a for (a, b) in PATHS if b == effect))
    model = semopy.Model("\n".join(lines))
    model.fit(data)
    est = model.inspect(std_est=True)
    est = est[est["op"] == "~"].set_index(["rval", "lval"])["Est. Std"]  # (cause, effect)

    for path, true in PATHS.items():
        assert est[path] == pytest.approx(true, abs=0.05), path
    for dim, true in study.data.population.dimension_loadings.items():
        assert est[("QUAL", dim)] == pytest.approx(true, abs=0.05), dim
    for construct in study.first_order:
        for item in construct.items:
            assert est[(construct.code, item.data_column)] == pytest.approx(item.loading, abs=0.06), item.code
