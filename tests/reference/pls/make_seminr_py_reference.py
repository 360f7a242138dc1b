"""Reference values from the Python port of seminr (``pip install seminr``, 0.2.1, GPL-3.0).

R's seminr and cSEM cannot be installed here (no CRAN), so the PLS statistics that have no stored R
output (PLSc, rho_A, HTMT, VIFs, PLSpredict with a fixed fold order, Henseler's MGA on fixed
resamples, the stage-1 weights of a two-stage higher-order construct) are cross-checked against the
Python port by seminr's authors, which reproduces R seminr's own test fixtures to 1e-12. The tests
compare with the stored JSON, so they do not need seminr.

Run from the worktree root:  python tests/reference/pls/make_seminr_py_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import seminr as sm
from seminr.evaluate.constructs_in_model import constructs_in_model
from seminr.mga.estimate_pls_mga import estimate_pls_mga
from seminr.predict.techniques import predict_EA

HERE = Path(__file__).parent
DATA = HERE.parents[2] / "questionnaires" / "data"


def matrix(nm) -> dict:
    return {"rows": list(nm.rows), "cols": list(nm.cols), "values": np.asarray(nm.values).tolist()}


def main() -> None:
    mobi = pd.read_csv(DATA / "mobi.csv", index_col=0)
    out: dict = {"seminr_version": sm.__version__}

    # 1. the full ECSI model with every construct reflective: seminr applies PLSc (path scheme)
    mm = sm.constructs(
        sm.reflective("Image", sm.multi_items("IMAG", range(1, 6))),
        sm.reflective("Expectation", sm.multi_items("CUEX", range(1, 4))),
        sm.reflective("Quality", sm.multi_items("PERQ", range(1, 8))),
        sm.reflective("Value", sm.multi_items("PERV", range(1, 3))),
        sm.reflective("Satisfaction", sm.multi_items("CUSA", range(1, 4))),
        sm.reflective("Complaints", sm.single_item("CUSCO")),
        sm.reflective("Loyalty", sm.multi_items("CUSL", range(1, 4))))
    smod = sm.relationships(
        sm.paths(from_="Image", to=["Expectation", "Satisfaction", "Loyalty"]),
        sm.paths(from_="Expectation", to=["Quality", "Value", "Satisfaction"]),
        sm.paths(from_="Quality", to=["Value", "Satisfaction"]),
        sm.paths(from_="Value", to="Satisfaction"),
        sm.paths(from_="Satisfaction", to=["Complaints", "Loyalty"]),
        sm.paths(from_="Complaints", to="Loyalty"))
    plsc = sm.estimate_pls(mobi, mm, smod)
    out["plsc"] = {"paths": matrix(plsc.path_coef), "loadings": matrix(plsc.outer_loadings),
                   "weights": matrix(plsc.outer_weights), "r_squared": matrix(plsc.r_squared),
                   "reliability": matrix(sm.reliability_table(plsc)), "htmt": matrix(sm.htmt(plsc))}

    # 1b. the model of questionnaires/mobile_ecsi_pls.yaml: the six ECSI constructs with composites
    #     (mode A, path scheme, standardized items, no PLSc), hypotheses H1-H10 of that study file
    mm_c = sm.constructs(
        sm.composite("IMAG", sm.multi_items("IMAG", range(1, 6))),
        sm.composite("CUEX", sm.multi_items("CUEX", range(1, 4))),
        sm.composite("PERQ", sm.multi_items("PERQ", range(1, 8))),
        sm.composite("PERV", sm.multi_items("PERV", range(1, 3))),
        sm.composite("CUSA", sm.multi_items("CUSA", range(1, 4))),
        sm.composite("CUSL", sm.multi_items("CUSL", range(1, 4))))
    smod_c = sm.relationships(
        sm.paths(from_="IMAG", to=["CUEX", "CUSA", "CUSL"]), sm.paths(from_="CUEX", to=["PERQ", "PERV", "CUSA"]),
        sm.paths(from_="PERQ", to=["PERV", "CUSA"]), sm.paths(from_="PERV", to="CUSA"),
        sm.paths(from_="CUSA", to="CUSL"))
    comp_ecsi = sm.estimate_pls(mobi, mm_c, smod_c)
    out["ecsi_composite"] = {"paths": matrix(comp_ecsi.path_coef), "loadings": matrix(comp_ecsi.outer_loadings),
                             "weights": matrix(comp_ecsi.outer_weights), "r_squared": matrix(comp_ecsi.r_squared)}

    # 2. the basic model with a formative block (composites, no PLSc): VIFs and HTMT
    mm2 = sm.constructs(
        sm.composite("Image", sm.multi_items("IMAG", range(1, 6))),
        sm.composite("Expectation", sm.multi_items("CUEX", range(1, 4))),
        sm.composite("Quality", sm.multi_items("PERQ", range(1, 8)), weights=sm.mode_B),
        sm.composite("Complaints", sm.single_item("CUSCO")),
        sm.composite("Loyalty", sm.multi_items("CUSL", range(1, 4))))
    smod2 = sm.relationships(sm.paths(from_="Image", to="Expectation"),
                             sm.paths(from_=["Expectation", "Quality", "Complaints"], to="Loyalty"))
    basic = sm.estimate_pls(mobi, mm2, smod2)
    mc = constructs_in_model(basic)
    out["basic"] = {"item_vifs": sm.item_vifs(basic, mc), "antecedent_vifs": sm.pls_antecedent_vifs(basic, mc),
                    "htmt": matrix(sm.htmt(basic)), "reliability": matrix(sm.reliability_table(basic))}

    # 3. PLSpredict, earliest antecedents, 10 folds on a fixed order (one repetition)
    order = np.random.default_rng(20240601).permutation(len(mobi))
    comp = sm.estimate_pls(mobi, sm.constructs(
        sm.composite("Image", sm.multi_items("IMAG", range(1, 6))),
        sm.composite("Expectation", sm.multi_items("CUEX", range(1, 4))),
        sm.composite("Value", sm.multi_items("PERV", range(1, 3))),
        sm.composite("Satisfaction", sm.multi_items("CUSA", range(1, 4))),
        sm.composite("Loyalty", sm.multi_items("CUSL", range(1, 4)))),
        sm.relationships(sm.paths(from_="Image", to=["Expectation", "Satisfaction"]),
                         sm.paths(from_="Expectation", to=["Value", "Satisfaction"]),
                         sm.paths(from_="Value", to="Satisfaction"),
                         sm.paths(from_="Satisfaction", to="Loyalty")))
    pred = sm.predict_pls(comp, technique=predict_EA, no_folds=10, ordering=order.tolist())
    out["predict"] = {"order": order.tolist(), "pls_out_of_sample": matrix(pred.items.pls_out_of_sample),
                      "lm_out_of_sample": matrix(pred.items.lm_out_of_sample)}

    # 4. Henseler's MGA on the bank data by gender, on fixed resamples within each group
    bank = pd.read_csv(DATA / "satisfaction.csv", index_col=0)
    blocks = {"IMAG": "imag", "EXPE": "expe", "QUAL": "qual", "VAL": "val", "SAT": "sat", "LOY": "loy"}
    sizes = {"IMAG": 5, "EXPE": 5, "QUAL": 5, "VAL": 4, "SAT": 4, "LOY": 4}
    mm3 = sm.constructs(*[sm.composite(k, sm.multi_items(v, range(1, sizes[k] + 1))) for k, v in blocks.items()])
    smod3 = sm.relationships(sm.paths(from_="IMAG", to=["EXPE", "SAT", "LOY"]),
                             sm.paths(from_="EXPE", to=["QUAL", "VAL", "SAT"]),
                             sm.paths(from_="QUAL", to=["VAL", "SAT"]), sm.paths(from_="VAL", to="SAT"),
                             sm.paths(from_="SAT", to="LOY"))
    items = [c for c in bank.columns if c != "gender"]
    ecsi = sm.estimate_pls(bank[items], mm3, smod3)
    female = (bank["gender"] == "female").to_numpy()
    rng = np.random.default_rng(7)
    i1 = rng.integers(0, int(female.sum()), (300, int(female.sum())))
    i2 = rng.integers(0, int((~female).sum()), (300, int((~female).sum())))
    mga = estimate_pls_mga(ecsi, female, nboot=300, group1_indices=i1, group2_indices=i2)
    # the resamples are regenerated from the seed in the test; the checksums catch a change of stream
    out["mga"] = {"group1": "female", "seed": 7, "resamples": 300,
                  "checksum1": int(i1.sum()), "checksum2": int(i2.sum()),
                  "paths": [{"from": r.source, "to": r.target, "group1_beta": r.group1_beta,
                             "group2_beta": r.group2_beta, "pls_mga_p": r.pls_mga_p} for r in mga]}

    # 5. two-stage higher-order construct: stage-1 loadings and weights of the dimensions
    mm4 = sm.constructs(
        sm.composite("Image", sm.multi_items("IMAG", range(1, 6))),
        sm.composite("Value", sm.multi_items("PERV", range(1, 3))),
        sm.higher_composite("Satisfaction", ["Image", "Value"]),
        sm.composite("Expectation", sm.multi_items("CUEX", range(1, 4))),
        sm.composite("Quality", sm.multi_items("PERQ", range(1, 8)), weights=sm.mode_B),
        sm.composite("Complaints", sm.single_item("CUSCO")),
        sm.composite("Loyalty", sm.multi_items("CUSL", range(1, 4))))
    smod4 = sm.relationships(sm.paths(from_=["Expectation", "Quality"], to="Satisfaction"),
                             sm.paths(from_="Satisfaction", to=["Complaints", "Loyalty"]))
    hoc = sm.estimate_pls(mobi, mm4, smod4)
    out["hoc_stage1"] = {"loadings": matrix(hoc.first_stage_model.outer_loadings),
                         "weights": matrix(hoc.first_stage_model.outer_weights)}

    (HERE / "seminr_py_reference.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main()
