"""PLSpredict and multi-group analysis (MICOM, permutation, Henseler's MGA).

Cross-checked against the Python port of seminr on fixed folds and fixed resamples
(tests/reference/pls/seminr_py_reference.json); MICOM and the permutation test by their definitions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from study.pls import PLSModel, PLSModelError, PLSSettings, estimate_pls
from study.pls.mga import henseler_p, pls_mga
from study.pls.predict import fold_assignment, plspredict, predictive_power

from test_pls_estimate import BANK_BLOCKS, BANK_PATHS, DATA, REF, matrix

MOBI = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Expectation": [f"CUEX{i}" for i in range(1, 4)],
        "Value": ["PERV1", "PERV2"], "Satisfaction": [f"CUSA{i}" for i in range(1, 4)],
        "Loyalty": [f"CUSL{i}" for i in range(1, 4)]}
MOBI_PATHS = [("Image", "Expectation"), ("Image", "Satisfaction"), ("Expectation", "Value"),
              ("Expectation", "Satisfaction"), ("Value", "Satisfaction"), ("Satisfaction", "Loyalty")]


@pytest.fixture(scope="module")
def ref():
    return json.loads((REF / "seminr_py_reference.json").read_text())


@pytest.fixture(scope="module")
def mobi():
    return pd.read_csv(DATA / "mobi.csv", index_col=0)


@pytest.fixture(scope="module")
def bank():
    return pd.read_csv(DATA / "satisfaction.csv", index_col=0)


def test_fold_assignment_as_r_cut():
    order = np.arange(25)
    folds = fold_assignment(25, 10, order)
    # R: table(cut(seq(1, 25), breaks = 10)): intervals of width 2.4 from 1, right-closed
    assert np.bincount(folds).tolist() == [3, 2, 3, 2, 3, 2, 2, 3, 2, 3]
    perm = np.random.default_rng(0).permutation(25)
    assert (fold_assignment(25, 10, perm)[perm] == folds).all()


def test_plspredict_equals_seminr_on_the_same_folds(mobi, ref):
    res = estimate_pls(mobi, PLSModel.build(MOBI, MOBI_PATHS))
    pred = plspredict(mobi, res, folds=10, orders=[np.array(ref["predict"]["order"])])
    pls, lm = matrix(ref["predict"]["pls_out_of_sample"]), matrix(ref["predict"]["lm_out_of_sample"])
    np.testing.assert_allclose(pred.pls[pls.columns], pls, atol=1e-6)
    np.testing.assert_allclose(pred.lm[lm.columns], lm, atol=1e-9)
    items = pred.items.set_index("indicator")
    y = mobi["CUSL1"]
    e = y - pls["CUSL1"].to_numpy()
    assert items.loc["CUSL1", "pls_rmse"] == pytest.approx(np.sqrt((e ** 2).mean()), abs=1e-6)
    assert items.loc["CUSL1", "lm_mae"] == pytest.approx(np.abs(y - lm["CUSL1"].to_numpy()).mean(), abs=1e-9)


def test_plspredict_repetitions_average_predictions(mobi):
    res = estimate_pls(mobi, PLSModel.build(MOBI, MOBI_PATHS))
    orders = [np.random.default_rng(s).permutation(len(mobi)) for s in range(3)]
    one = [plspredict(mobi, res, orders=[o]) for o in orders]
    three = plspredict(mobi, res, orders=orders)
    np.testing.assert_allclose(three.pls, sum(p.pls for p in one) / 3, atol=1e-12)
    default = plspredict(mobi, res)
    assert default.folds == 10 and default.repetitions == 10
    again = plspredict(mobi, res)
    pd.testing.assert_frame_equal(default.items, again.items)
    assert set(default.verdict["power"]) <= {"none", "low", "medium", "high"}


def test_predictive_power_rules():
    def table(pls, lm, q2=0.2, skew=0.0):
        return pd.DataFrame({"construct": "Y", "indicator": [f"y{i}" for i in range(len(pls))],
                             "q2_predict": q2, "pls_rmse": pls, "lm_rmse": lm, "pls_mae": pls, "lm_mae": lm,
                             "error_skewness": skew})
    assert predictive_power(table([1, 1, 1], [2, 2, 2])).loc["Y", "power"] == "high"
    assert predictive_power(table([1, 1, 3], [2, 2, 2])).loc["Y", "power"] == "medium"
    assert predictive_power(table([1, 3, 3], [2, 2, 2])).loc["Y", "power"] == "low"
    assert predictive_power(table([3, 3, 3], [2, 2, 2])).loc["Y", "power"] == "none"
    assert predictive_power(table([1, 1, 1], [2, 2, 2], q2=-0.1)).loc["Y", "power"] == "none"
    assert predictive_power(table([1, 1, 1], [2, 2, 2], skew=1.5)).loc["Y", "metric"] == "mae"


def test_henseler_p_equals_the_pairwise_formula():
    rng = np.random.default_rng(1)
    b1, b2 = rng.normal(0.3, 0.1, (400, 2)), rng.normal(0.25, 0.12, (400, 2))
    for c in range(2):
        left = 2 * b1[:, c].mean() - b1[:, c] - 2 * b2[:, c].mean()
        want = 1 - ((left[:, None] + b2[None, :, c]) > 0).sum() / 400 ** 2
        assert henseler_p(b1, b2)[c] == pytest.approx(want, abs=1e-15)


def test_henseler_mga_equals_seminr_on_the_same_resamples(bank, ref):
    mg = ref["mga"]
    female = (bank["gender"] == "female").to_numpy()
    rng = np.random.default_rng(mg["seed"])
    i1 = rng.integers(0, female.sum(), (mg["resamples"], female.sum()))
    i2 = rng.integers(0, (~female).sum(), (mg["resamples"], (~female).sum()))
    assert (i1.sum(), i2.sum()) == (mg["checksum1"], mg["checksum2"]), "numpy's random stream changed"
    res = pls_mga(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS), bank["gender"], permutations=200,
                  boot_indices=(i1, i2), order=("female", "male"))
    theirs = pd.DataFrame(mg["paths"])
    np.testing.assert_allclose(res.paths["estimate_1"], theirs["group1_beta"], atol=1e-6)
    np.testing.assert_allclose(res.paths["estimate_2"], theirs["group2_beta"], atol=1e-6)
    np.testing.assert_allclose(res.paths["p_henseler"], theirs["pls_mga_p"], atol=1e-12)
    assert res.groups == ("female", "male") and sum(res.sizes) == 250


def test_micom_and_permutation_by_definition(bank):
    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    res = pls_mga(bank, model, bank["gender"], permutations=300, resamples=200, seed=3)
    g1 = (bank["gender"] == res.groups[0]).to_numpy()
    a, b = res.results
    full = estimate_pls(bank, model)
    items = [i for v in BANK_BLOCKS.values() for i in v]
    num = bank[items]
    z = (num - num.mean()) / num.std(ddof=0)
    # step 2: correlation of the pooled data's scores under each group's weights
    for c in ("SAT", "VAL"):
        y1, y2 = z[BANK_BLOCKS[c]] @ a.weights(c).to_numpy(), z[BANK_BLOCKS[c]] @ b.weights(c).to_numpy()
        assert res.micom.loc[c, "c"] == pytest.approx(np.corrcoef(y1, y2)[0, 1], abs=1e-12)
        # step 3: pooled scores by group
        s = full.scores[c]
        assert res.micom.loc[c, "mean_diff"] == pytest.approx(s[g1].mean() - s[~g1].mean(), abs=1e-12)
        assert res.micom.loc[c, "log_var_ratio"] == pytest.approx(np.log(s[g1].var() / s[~g1].var()), abs=1e-12)
    inv = res.micom
    assert ((inv["invariance"] == "none") == ~inv["compositional"]).all()
    assert (inv["mean_lower"] < inv["mean_upper"]).all()
    p = res.paths.set_index(["from", "to"])
    assert p.loc[("SAT", "LOY"), "diff"] == pytest.approx(
        a.paths.set_index(["from", "to"]).loc[("SAT", "LOY"), "estimate"]
        - b.paths.set_index(["from", "to"]).loc[("SAT", "LOY"), "estimate"])
    assert ((p["p_permutation"] > 0) & (p["p_permutation"] <= 1)).all()
    assert res.permutations == 300 and res.failed == 0
    again = pls_mga(bank, model, bank["gender"], permutations=300, resamples=200, seed=3)
    pd.testing.assert_frame_equal(res.paths, again.paths)


def test_mga_bad_groups(bank):
    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    three = pd.Series(np.tile(["a", "b", "c"], 84)[:250], index=bank.index)
    with pytest.raises(PLSModelError, match="exactly two groups, not 3"):
        pls_mga(bank, model, three)
    tiny = pd.Series(np.r_[["x"] * 5, ["y"] * 245], index=bank.index)
    with pytest.raises(PLSModelError, match="group 'x' has 5 respondents"):
        pls_mga(bank, model, tiny)


def test_mga_refuses_a_group_whose_solution_is_not_admissible(bank, monkeypatch):
    """An improper (PLSc-inadmissible) group solution is not a finding: no MICOM or path comparison rests
    on it (an audit found the groups' own estimates unchecked)."""
    import dataclasses

    import study.pls.mga as mga

    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    real = mga.estimate_pls
    calls = []

    def second_group_improper(data, *args, **kwargs):
        res = real(data, *args, **kwargs)
        calls.append(len(data))
        return dataclasses.replace(res, problems=("a loading above 1",)) if len(calls) == 2 else res

    monkeypatch.setattr(mga, "estimate_pls", second_group_improper)
    with pytest.raises(PLSModelError, match="not admissible \\(a loading above 1\\), so the groups are not compared"):
        pls_mga(bank, model, bank["gender"], permutations=10, resamples=10)


def test_ipma_inputs_equal_regressions_on_rescaled_scores(bank):
    """Ringle & Sarstedt (2016): unstandardized total effects from OLS on the 0-100 scores."""
    import statsmodels.api as smapi
    from study.pls.ipma import importance_performance
    res = estimate_pls(bank, PLSModel.build(BANK_BLOCKS, BANK_PATHS))
    ip = importance_performance(res, bank, "LOY", 0, 10)
    w = ip.rescaled_weights
    assert np.allclose(w.groupby("construct")["weight"].sum(), 1.0) and not ip.negative_weights
    scores = pd.DataFrame({c: (10 * bank[items]) @ w.loc[w["construct"] == c, "weight"].to_numpy()
                           for c, items in BANK_BLOCKS.items()})
    np.testing.assert_allclose(ip.performance[scores.columns], scores.mean(), atol=1e-10)
    b = {}
    for dv in ["EXPE", "QUAL", "VAL", "SAT", "LOY"]:
        ants = [a for a, t in BANK_PATHS if t == dv]
        fit = smapi.OLS(scores[dv], smapi.add_constant(scores[ants])).fit()
        b.update({(a, dv): fit.params[a] for a in ants})
    # total effect of SAT and IMAG on LOY
    assert ip.importance["SAT"] == pytest.approx(b[("SAT", "LOY")], abs=1e-8)
    imag = (b[("IMAG", "LOY")] + b[("IMAG", "SAT")] * b[("SAT", "LOY")]
            + b[("IMAG", "EXPE")] * b[("EXPE", "SAT")] * b[("SAT", "LOY")]
            + b[("IMAG", "EXPE")] * b[("EXPE", "QUAL")] * b[("QUAL", "SAT")] * b[("SAT", "LOY")]
            + b[("IMAG", "EXPE")] * b[("EXPE", "VAL")] * b[("VAL", "SAT")] * b[("SAT", "LOY")]
            + b[("IMAG", "EXPE")] * b[("EXPE", "QUAL")] * b[("QUAL", "VAL")] * b[("VAL", "SAT")] * b[("SAT", "LOY")])
    assert ip.importance["IMAG"] == pytest.approx(imag, abs=1e-8)
    assert set(ip.importance.index) == {"IMAG", "EXPE", "QUAL", "VAL", "SAT"}


def test_reasons_for_not_comparing_carry_their_chinese(bank, monkeypatch):
    """The Chinese report names why a pair of groups was not compared in Chinese (it showed the English)."""
    import dataclasses

    import study.pls.mga as mga
    from study.messages import in_language
    from study.pls.stage import PLSGroupComparison
    from study.report.pls import PLS_TEXT, _groups

    model = PLSModel.build(BANK_BLOCKS, BANK_PATHS)
    tiny = pd.Series(np.r_[["x"] * 5, ["y"] * 245], index=bank.index)
    with pytest.raises(PLSModelError) as small:
        pls_mga(bank, model, tiny)
    with pytest.raises(PLSModelError) as named:  # the Chinese names the group by its label where it is given
        pls_mga(bank, model, tiny, group_names={"x": mga.Message("Few", "少数组")})
    assert in_language(named.value.args[0], "zh").startswith("“少数组”组只有 5 人")
    real = mga.estimate_pls
    monkeypatch.setattr(mga, "estimate_pls", lambda data, *a, **k: dataclasses.replace(
        real(data, *a, **k), problems=(mga.Message("a loading above 1", "载荷大于 1"),)))
    with pytest.raises(PLSModelError) as improper:
        pls_mga(bank, model, bank["gender"], permutations=10, resamples=10)
    reasons = [small.value.args[0], improper.value.args[0]]
    assert in_language(reasons[0], "zh") == "“x”组只有 5 人，分组比较要求每组至少 10 人"
    assert "PLS 解不可接受（载荷大于 1），故不作比较" in in_language(reasons[1], "zh")

    class Results:  # what _groups reads of the PLS results
        groups = [PLSGroupComparison("gender", ("1", "2"), None, why) for why in reasons]

    blocks = _groups(Results, PLS_TEXT["zh"], lambda en, zh: zh, str, lambda column, level=None: level or column)
    for block in blocks:
        assert "未比较" in block.text and not any(word in block.text for word in ("group", "respondents", "admissible"))
