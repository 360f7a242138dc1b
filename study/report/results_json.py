"""``results.json``: every figure of a run, with lavaan's names, for people who script or audit.

The layout is documented in the README ("results.json reference"); keys follow lavaan
(``fitMeasures`` names such as ``rmsea.ci.lower``; ``est``, ``se``, ``z``, ``pvalue``, ``std_all``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ..model.ordinal import WLSMV_FIT_NAMES
from ..pipeline import StudyResults
from ..questionnaire import Text
from .markup import plain_text
from .differences import differences_json, item_analysis_json
from .pls import pls_results_dict
from . import model_questions
from .analyses_json import analyses_dict
from .verdicts import group_differences, robust_paths

SCHEMA_VERSION = 1
ROBUST_FIT_KEYS = ["chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor", "baseline.chisq.scaled",
                   "baseline.chisq.scaling.factor", "cfi.scaled", "tli.scaled", "rmsea.scaled",
                   "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled", "cfi.robust",
                   "tli.robust", "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust",
                   "rmsea.pvalue.robust"]
FIT_KEYS = ["chisq", "df", "pvalue", "chisq/df", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
            "rmsea.pvalue", "srmr", "gfi", "agfi", "nfi", "ifi", "rni", "aic", "bic", "logl", "npar", "ntotal"]


def _num(value):
    """JSON has no NaN: missing or undefined numbers are null."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _matrix(frame: pd.DataFrame) -> dict:
    return {str(r): {str(c): _num(frame.loc[r, c]) for c in frame.columns} for r in frame.index}


def results_dict(res: StudyResults) -> dict:
    study, data, chapter = res.study, res.data, res.measurement
    hyp_of = {(h.from_, h.to): h.id for h in study.model.hypotheses}
    out = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "loyalty-study", "version": res.version, "created": res.created},
        "study": {"title": study.meta.title.get(study.meta.language), "file": str(study.path),
                  "data_file": str(data.file), "simulated": study.data.simulated,
                  "data_source": plain_text(study.data.source.get("en") if isinstance(study.data.source, Text)
                                            else study.data.source) if study.data.source else None},
        "n": {"raw": data.n_raw, "analysed": data.n_analysed, "excluded": data.excluded_counts,
              "complete": res.n_complete, "row_numbers": getattr(data, "row_numbers", None)},
        "missing_data": res.missing,
        "screening": {"reverse_coded": data.reverse_coded, "missing_by_item": data.missing_by_item,
                      "notes": [plain_text(n) for n in data.notes]},
        "items": {item: {**{k: _num(v) for k, v in row.items()}, "msa": _num(chapter.kmo.per_item[item])}
                  for item, row in chapter.items.iterrows()},
        "constructs": {},
        "sampling_adequacy": {"kmo": _num(chapter.kmo.overall), "bartlett_chisq": _num(chapter.bartlett.chisq),
                              "bartlett_df": int(chapter.bartlett.df), "bartlett_p": _num(chapter.bartlett.pvalue)},
        "harman_first_factor_share": _num(chapter.harman_share),
        "normality": {"mardia": {k: _num(v) for k, v in chapter.mardia._asdict().items()}},
        "efa": {"method": study.measurement.efa_method, "rotation": study.measurement.efa_rotation, "n_factors": int(chapter.efa.loadings.shape[1]),
                "parallel_analysis": {"n_factors": int(chapter.parallel.n_factors),
                                      "n_components": int(chapter.parallel.n_components)},
                "loadings": _matrix(chapter.efa.loadings),
                "variance": _matrix(chapter.efa.variance),
                "flagged_items": [str(i) for i in chapter.efa_flags.index[chapter.efa_flags["flagged"]]]},
        "htmt": _matrix(chapter.htmt),
        "htmt_ci": [{"a": r["a"], "b": r["b"], "htmt": _num(r["htmt"]), "ci_lower": _num(r["ci_lower"]),
                     "ci_upper": _num(r["ci_upper"])} for r in chapter.htmt_ci.to_dict("records")],
        # the covariance-based models: null in a PLS-SEM study (method pls), which fits none
        "fornell_larcker": _matrix(chapter.fornell_larcker) if chapter.fornell_larcker is not None else None,
        "cfa": _cfa(res) if res.cfa is not None else None,
        "sem": _sem(res, hyp_of) if res.sem is not None else None,
        "hypotheses": [{"id": h.id, "from": h.from_, "to": h.to, "expected_sign": h.sign, "est": _num(h.est),
                        "std_all": _num(h.std_all), "pvalue": _num(h.pvalue), "supported": h.supported}
                       for h in res.hypotheses],
        "groups": [_groups(g, v) for g, v in zip(res.groups, group_differences(res))],
        # the MLR sensitivity check of the hypothesis paths (plain ML, complete data, proper model)
        "robust_check": None if res.robust_check is None or not res.sem_proper else {
            "estimator": "MLR", "shown": robust_paths(res) is not None,
            "hypotheses": [{"id": h.id, "se": _num(r["se"]), "z": _num(r["z"]), "pvalue": _num(r["pvalue"])}
                           for h in res.hypotheses
                           for _, r in res.robust_check.estimates[
                               (res.robust_check.estimates["op"] == "~") & (res.robust_check.estimates["lhs"] == h.to)
                               & (res.robust_check.estimates["rhs"] == h.from_)].iterrows()],
            "fit": {k: _num(res.robust_check.fit[k]) for k in ("chisq.scaled", "df.scaled", "pvalue.scaled",
                                                                "chisq.scaling.factor", "cfi.robust", "tli.robust",
                                                                "rmsea.robust")}},
        "method_factor": _method_factor(res.method_factor),
        "ordinal": None if res.ordinal is None else {
            "thresholds": [{"item": r["lhs"], "threshold": r["rhs"], "est": _num(r["est"]), "se": _num(r["se"])}
                           for _, r in res.ordinal.thresholds.iterrows()],
            "polychoric": _matrix(res.ordinal.polychoric)},
        "item_analysis": item_analysis_json(res),
        "differences": differences_json(res),
        "method": res.method,
        "pls": pls_results_dict(res.pls),
        **analyses_dict(res),  # controls, regression, moderation, moderated_mediation
        "warnings": [plain_text(w) for w in res.warnings],
    }
    for code, c in chapter.constructs.items():
        entry = {"items": c.items, "alpha": _num(c.alpha), "alpha_ci_lower": _num(c.alpha_ci.lower),
                 "alpha_ci_upper": _num(c.alpha_ci.upper), "std_alpha": _num(c.std_alpha),
                 "omega": _num(c.omega), "cr": _num(c.cr),
                 "ave": _num(c.ave), "loadings": {k: _num(v) for k, v in c.loadings.items()},
                 "second_order": c.second_order}
        if c.item_total is not None:
            entry["citc"] = {k: _num(v) for k, v in c.item_total["citc"].items()}
            entry["alpha_if_deleted"] = {k: _num(v) for k, v in c.item_total["alpha_if_deleted"].items()}
        out["constructs"][code] = entry
    out.update(model_questions.results_json(res))
    return out


def _cfa(res: StudyResults) -> dict:
    chapter = res.measurement
    return {"converged": res.cfa.converged, "estimator": res.estimator, "fit": _fit(res.cfa_fit, res.estimator),
            "latent_correlations": _matrix(chapter.latent_correlations),
            "loadings": _estimates(res.cfa.loadings())}


def _sem(res: StudyResults, hyp_of: dict) -> dict:
    return {
        "converged": res.sem.converged,
        "proper": res.sem_proper,
        "estimator": res.estimator,
        "fit": _fit(res.sem_fit, res.estimator),
        "paths": [{"from": p["rhs"], "to": p["lhs"], "est": _num(p["est"]), "se": _num(p["se"]),
                   "z": _num(p["z"]), "pvalue": _num(p["pvalue"]), "std_all": _num(p["std_all"]),
                   "se_std": _num(p["se_std"]), "hypothesis": hyp_of.get((p["rhs"], p["lhs"]))}
                  for _, p in res.sem.paths().iterrows()],
        "loadings": _estimates(res.sem.loadings()),
        "r2": {k: _num(v) for k, v in res.r2.items()},
        "indirect": [_indirect(m, res.bootstrap_resamples) for m in res.mediation],
        "effects_std": res.effects,
        "bootstrap": {"resamples": res.bootstrap_resamples, "seed": res.seed, "ci": "percentile, 95%"},
        "modification_indices": [{k: (v if isinstance(v, str) else _num(v)) for k, v in row.items()}
                                 for row in res.modification.to_dict("records")]
                                if res.modification is not None else None,
    }


def _fit(fit: dict, estimator: str) -> dict:
    if estimator == "WLSMV":
        return {k: _num(fit.get(k)) for k in WLSMV_FIT_NAMES}
    keys = FIT_KEYS + (ROBUST_FIT_KEYS if estimator != "ML" else [])
    return {k: _num(fit.get(k)) for k in keys}


def _estimates(table: pd.DataFrame) -> list[dict]:
    return [{"lhs": r["lhs"], "op": r["op"], "rhs": r["rhs"], "est": _num(r["est"]), "se": _num(r["se"]),
             "z": _num(r["z"]), "pvalue": _num(r["pvalue"]), "std_all": _num(r["std_all"]),
             "se_std": _num(r["se_std"])}
            for _, r in table.iterrows()]


def _indirect(m, resamples: int) -> dict:
    boot = m.bootstrap
    return {"id": m.id, "path": list(m.path), "est": _num(m.delta.est), "se_delta": _num(m.delta.se_delta),
            "pvalue_delta": _num(m.delta.pvalue), "std_all": _num(m.delta.std_all),
            "ci_lower": _num(boot.ci_lower) if boot else None, "ci_upper": _num(boot.ci_upper) if boot else None,
            "bc_lower": _num(boot.bc_lower) if boot else None, "bc_upper": _num(boot.bc_upper) if boot else None,
            "boot_se": _num(boot.boot_se) if boot else None,
            "mc_lower": _num(m.monte_carlo.ci_lower), "mc_upper": _num(m.monte_carlo.ci_upper),
            "mc_draws": m.monte_carlo.draws,
            "resamples": boot.resamples if boot else 0, "failed_resamples": boot.failed if boot else 0,
            "improper_resamples": boot.improper if boot else 0,
            "mediation": m.verdict}


def _method_factor(mf) -> dict | None:
    if mf is None:
        return None
    fits = {name: {k: _num(getattr(f, k)) for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")}
            for name, f in (("trait_model", mf.trait_fit), ("method_model", mf.method_fit))}
    return {"loadings": mf.loadings, **fits, "chisq_diff": _num(mf.chisq_diff), "df_diff": _num(mf.df_diff),
            "pvalue_diff": _num(mf.pvalue_diff), "pvalue_boundary": _num(mf.pvalue_boundary), "cfi_diff": _num(mf.cfi_diff),
            "method_loading": _num(mf.method_loading), "method_loading_se": _num(mf.method_loading_se),
            "method_variance": _num(mf.method_variance), "substantive_variance": _num(mf.substantive_variance),
            "present": mf.present, "proper": mf.proper, "verdict": plain_text(mf.verdict),
            "items": [{k: (v if isinstance(v, str) else _num(v)) for k, v in row.items()}
                      for row in mf.table().to_dict("records")]}


def _groups(g, v) -> dict:
    keys = FIT_KEYS + (ROBUST_FIT_KEYS if g.estimator != "ML" else [])
    return {
        "column": g.column, "groups": g.groups, "n": g.n, "estimator": g.estimator, "test_method": g.test_method,
        "models": {level: {"converged": m.converged, "proper": m.proper, "problems": [str(x) for x in m.problems],
                           "fit": {k: _num(m.fit.get(k)) for k in keys}}
                   for level, m in g.models.items()},
        # established: both compared models have a proper solution (else the test is no finding)
        "tests": [{**{k: (_num(v) if not isinstance(v, str) else v) for k, v in t.items()},
                   "established": g.models[t["model"]].proper and g.models[t["against"]].proper} for t in g.tests],
        # the verdicts the report reads; null = not established (not tested, or a model has no proper solution)
        "verdicts": {"metric_holds": v.metric_holds, "paths_differ": v.paths_differ, "moderation": (
                         False if False in (v.metric_holds, v.paths_differ) else
                         None if None in (v.metric_holds, v.paths_differ) else v.moderation),
                     "differing_paths": (None if "configural" in v.not_proper else
                                         [{"from": r["from"], "to": r["to"], "group_1": r["group_1"],
                                           "group_2": r["group_2"]} for r in v.differing_paths])},
        "paths": [{k: (_num(v) if k not in ("group", "from", "to") else v) for k, v in row.items()}
                  for row in g.paths.to_dict("records")],
        "differences": [{k: (_num(v) if k not in ("from", "to", "group_1", "group_2") else v) for k, v in row.items()}
                        for row in g.differences.to_dict("records")],
    }


def write_results_json(res: StudyResults, path: Path) -> Path:
    path.write_text(json.dumps(results_dict(res), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
