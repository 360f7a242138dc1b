"""Measurement statistics checked against R reference values.

Data: the satisfaction data set of the R package plspm / semPLS (ECSI bank
customers, n=250), at questionnaires/data/satisfaction.csv.

Reference values in tests/reference/satisfaction_{mission,ecsi}.json come from
../shared/tools/reference.R (R psych, semTools, lavaan). Which R call produced
each number:

* items.*           mean(), sd(), psych::skew / psych::kurtosi with type = 3
                    (default) and type = 2 (``*_spss``)
* reliability.*     psych::alpha(check.keys = FALSE): $total$raw_alpha,
                    $total$std.alpha, $item.stats$r.drop, $alpha.drop$raw_alpha
* sampling_adequacy psych::KMO(d[, items])$MSA and
                    psych::cortest.bartlett(cor(d[, items]), n = nrow(d))
* harman_first_factor_share  eigen(cor(d[, items]))$values[1] / length(items)
* htmt              semTools::htmt(measurement, data = d) (defaults: absolute
                    correlations, htmt2 = TRUE i.e. geometric means)
* cfa.std_loadings, cfa.cr, cfa.ave   lavaan standardizedSolution(cfa(...)) and
                    the Fornell-Larcker formulas on those loadings
* cfa.latent_correlations            lavInspect(cfa_fit, "cor.lv")
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.measurement import (
    average_variance_extracted,
    bartlett_sphericity,
    composite_reliability,
    cronbach_alpha,
    fornell_larcker,
    harman_single_factor,
    htmt,
    item_descriptives,
    item_total,
    kmo,
    standardized_alpha,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "questionnaires" / "data" / "satisfaction.csv"
REF_DIR = Path(__file__).resolve().parent / "reference"

# Agreement with R: most statistics are closed-form and agree to ~1e-12;
# ATOL is the contract (well inside the 3-decimal requirement).
ATOL = 1e-10

CASES = {
    "mission": {
        "QUAL": [f"qual{i}" for i in range(1, 6)],
        "SAT": [f"sat{i}" for i in range(1, 5)],
        "TRUST": [f"imag{i}" for i in range(1, 6)],
        "LOY": [f"loy{i}" for i in range(1, 5)],
    },
    # as in /work/shared/reference/cases/satisfaction_ecsi.json
    "ecsi": {
        "IMAG": [f"imag{i}" for i in range(1, 6)],
        "EXPE": [f"expe{i}" for i in range(1, 6)],
        "QUAL": [f"qual{i}" for i in range(1, 6)],
        "VAL": [f"val{i}" for i in range(1, 5)],
        "SAT": [f"sat{i}" for i in range(1, 5)],
        "LOY": [f"loy{i}" for i in range(1, 5)],
    },
}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(DATA, index_col=0)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request, data):
    name = request.param
    ref = json.loads((REF_DIR / f"satisfaction_{name}.json").read_text())
    constructs = CASES[name]
    items = [i for its in constructs.values() for i in its]
    d = data[items].dropna()
    assert len(d) == ref["n"]
    return {"name": name, "ref": ref, "constructs": constructs, "items": items, "data": d}


def _frame(nested: dict) -> pd.DataFrame:
    """{col: {row: value}} (R's column-wise JSON) -> DataFrame."""
    return pd.DataFrame(nested)


# --------------------------------------------------------------------------
# item descriptives
# --------------------------------------------------------------------------
def test_item_descriptives_match_psych(case):
    ref = pd.DataFrame(case["ref"]["items"]).T
    out = item_descriptives(case["data"])
    assert list(out.index) == case["items"]
    for col in ["mean", "sd", "skew", "kurtosis", "skew_spss", "kurtosis_spss"]:
        np.testing.assert_allclose(out.loc[ref.index, col], ref[col], rtol=0, atol=ATOL,
                                   err_msg=col)
    assert (out["n"] == case["ref"]["n"]).all()
    np.testing.assert_array_equal(out["min"], case["data"].min().to_numpy())
    np.testing.assert_array_equal(out["max"], case["data"].max().to_numpy())


def test_item_descriptives_against_scipy(data):
    from scipy import stats

    x = data[["qual1", "sat1"]]
    out = item_descriptives(x)
    np.testing.assert_allclose(out["skew_spss"], stats.skew(x, bias=False), atol=1e-12)
    np.testing.assert_allclose(out["kurtosis_spss"], stats.kurtosis(x, bias=False), atol=1e-12)


# --------------------------------------------------------------------------
# reliability
# --------------------------------------------------------------------------
def test_alpha_match_psych(case):
    for name, its in case["constructs"].items():
        ref = case["ref"]["reliability"][name]
        assert cronbach_alpha(case["data"][its]) == pytest.approx(ref["alpha"], abs=ATOL), name
        std = standardized_alpha(case["data"][its])
        assert std == pytest.approx(ref["std_alpha"], abs=ATOL), name


def test_alpha_agrees_with_pingouin(data):
    pg = pytest.importorskip("pingouin")
    its = CASES["mission"]["QUAL"]
    assert cronbach_alpha(data[its]) == pytest.approx(pg.cronbach_alpha(data[its])[0], abs=1e-12)


def test_item_total_match_psych(case):
    for name, its in case["constructs"].items():
        ref = case["ref"]["reliability"][name]
        out = item_total(case["data"][its])
        assert list(out.index) == its
        np.testing.assert_allclose(out["citc"], pd.Series(ref["citc"])[its], atol=ATOL, rtol=0,
                                   err_msg=name)
        np.testing.assert_allclose(out["alpha_if_deleted"], pd.Series(ref["alpha_if_deleted"])[its],
                                   atol=ATOL, rtol=0, err_msg=name)


# --------------------------------------------------------------------------
# factorability, common-method variance
# --------------------------------------------------------------------------
def test_kmo_matches_psych(case):
    overall, per_item = kmo(case["data"])
    assert overall == pytest.approx(case["ref"]["sampling_adequacy"]["kmo"], abs=ATOL)
    # per-item MSA is not in the R reference: check it against partial
    # correlations computed independently by pingouin.
    pg = pytest.importorskip("pingouin")
    r = case["data"].corr().to_numpy().copy()
    q = pg.pcorr(case["data"]).to_numpy().copy()
    np.fill_diagonal(r, 0)
    np.fill_diagonal(q, 0)
    expect = (r**2).sum(0) / ((r**2).sum(0) + (q**2).sum(0))
    assert list(per_item.index) == case["items"]
    np.testing.assert_allclose(per_item, expect, atol=1e-10)
    assert ((per_item > 0) & (per_item < 1)).all()


def test_bartlett_matches_psych(case):
    ref = case["ref"]["sampling_adequacy"]
    chisq, df, p = bartlett_sphericity(case["data"])
    assert chisq == pytest.approx(ref["bartlett_chisq"], abs=1e-6)  # chi2 in the 1000s
    assert chisq == pytest.approx(ref["bartlett_chisq"], rel=1e-10)
    assert df == ref["bartlett_df"]
    assert p == pytest.approx(ref["bartlett_p"], abs=1e-12)  # R prints 0 (underflow)


def test_harman_matches_r(case):
    assert harman_single_factor(case["data"]) == pytest.approx(
        case["ref"]["harman_first_factor_share"], abs=ATOL)


# --------------------------------------------------------------------------
# discriminant / convergent validity
# --------------------------------------------------------------------------
def test_htmt_matches_semtools(case):
    ref = _frame(case["ref"]["htmt"])
    out = htmt(case["constructs"], case["data"])
    names = list(case["constructs"])
    assert list(out.index) == names and list(out.columns) == names
    np.testing.assert_allclose(out.to_numpy(), ref.loc[names, names].to_numpy(), atol=ATOL, rtol=0)


def test_htmt_arithmetic_variant(data):
    """htmt2=False is Henseler et al.'s arithmetic-mean HTMT; check by hand."""
    c = CASES["mission"]
    r = data[c["QUAL"] + c["SAT"]].corr().abs()
    mono_q = r.loc[c["QUAL"], c["QUAL"]].to_numpy()[np.triu_indices(5, 1)].mean()
    mono_s = r.loc[c["SAT"], c["SAT"]].to_numpy()[np.triu_indices(4, 1)].mean()
    hetero = r.loc[c["QUAL"], c["SAT"]].to_numpy().mean()
    out = htmt({"QUAL": c["QUAL"], "SAT": c["SAT"]}, data, htmt2=False)
    assert out.loc["QUAL", "SAT"] == pytest.approx(hetero / np.sqrt(mono_q * mono_s), abs=1e-12)
    assert out.loc["SAT", "QUAL"] == out.loc["QUAL", "SAT"]


def test_cr_ave_match_reference(case):
    cfa = case["ref"]["cfa"]
    for name, loads in cfa["std_loadings"].items():
        assert composite_reliability(loads) == pytest.approx(cfa["cr"][name], abs=1e-12), name
        assert average_variance_extracted(pd.Series(loads, name=name)) == pytest.approx(
            cfa["ave"][name], abs=1e-12), name
        as_list = composite_reliability(list(loads.values()))
        assert as_list == pytest.approx(cfa["cr"][name], abs=1e-12)


def test_fornell_larcker_on_reference(case):
    cfa = case["ref"]["cfa"]
    phi = _frame(cfa["latent_correlations"])
    phi = phi.loc[phi.columns]  # rows in the same order as columns
    out = fornell_larcker(cfa["ave"], phi)
    names = list(phi.columns)
    assert list(out.index) == names and list(out.columns) == names
    np.testing.assert_allclose(np.diag(out), np.sqrt([cfa["ave"][c] for c in names]), atol=1e-12)
    off = ~np.eye(len(names), dtype=bool)
    np.testing.assert_allclose(out.to_numpy()[off], phi.to_numpy()[off], atol=1e-12)
    # the input is not modified
    np.testing.assert_allclose(np.diag(phi), 1.0)


# --------------------------------------------------------------------------
# input validation
# --------------------------------------------------------------------------
@pytest.mark.parametrize("func", [cronbach_alpha, standardized_alpha, item_total, kmo,
                                  bartlett_sphericity, harman_single_factor])
def test_too_few_items(func, data):
    with pytest.raises(ValueError, match="sat1"):
        func(data[["sat1"]])


def test_item_total_needs_three_items(data):
    with pytest.raises(ValueError, match="sat1, sat2"):
        item_total(data[["sat1", "sat2"]])


@pytest.mark.parametrize("func", [item_descriptives, cronbach_alpha, standardized_alpha,
                                  item_total, kmo, bartlett_sphericity, harman_single_factor])
def test_non_numeric_column(func, data):
    with pytest.raises(ValueError, match="gender"):
        func(data[["sat1", "sat2", "sat3", "gender"]])


def test_missing_values_rejected(data):
    d = data[["sat1", "sat2", "sat3"]].astype(float).copy()
    d.iloc[3, 1] = np.nan
    with pytest.raises(ValueError, match="sat2"):
        cronbach_alpha(d)


def test_constant_column_rejected(data):
    d = data[["sat1", "sat2"]].assign(const=5)
    with pytest.raises(ValueError, match="const"):
        standardized_alpha(d)


def test_htmt_validation(data):
    c = CASES["mission"]
    with pytest.raises(ValueError, match="'SAT'.*sat1"):
        htmt({"QUAL": c["QUAL"], "SAT": ["sat1"]}, data)
    with pytest.raises(ValueError, match="nope"):
        htmt({"QUAL": c["QUAL"], "SAT": ["sat1", "nope"]}, data)
    with pytest.raises(ValueError, match="gender"):
        htmt({"QUAL": c["QUAL"], "SAT": ["sat1", "gender"]}, data)
    with pytest.raises(ValueError, match="sat1"):
        htmt({"QUAL": c["QUAL"] + ["sat1"], "SAT": c["SAT"]}, data)
    with pytest.raises(ValueError, match="at least 2 constructs"):
        htmt({"QUAL": c["QUAL"]}, data)


def test_loading_validation():
    with pytest.raises(ValueError, match="'SAT'.*sat1"):
        composite_reliability(pd.Series({"sat1": 0.8}, name="SAT"))
    with pytest.raises(ValueError, match="sat2"):
        average_variance_extracted({"sat1": 0.8, "sat2": 1.05})
    with pytest.raises(ValueError, match="finite"):
        composite_reliability([0.7, np.nan])


def test_fornell_larcker_validation():
    phi = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(ValueError, match="B"):
        fornell_larcker({"A": 0.5}, phi)
    with pytest.raises(ValueError, match="C"):
        fornell_larcker({"A": 0.5, "B": 0.6, "C": 0.7}, phi)
    skew = pd.DataFrame([[1.0, 0.5], [0.4, 1.0]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(ValueError, match="symmetric"):
        fornell_larcker({"A": 0.5, "B": 0.6}, skew)
