"""results.json keys ``controls``, ``regression``, ``moderation`` and ``moderated_mediation`` (documented in the
README, "results.json reference"). Coefficient names follow R's ``summary(lm)`` (``B``, ``SE``, ``t``, ``p``)
and lavaan's for the SEM versions (``est``, ``se``, ``z``, ``pvalue``, ``std_all``)."""

from __future__ import annotations

import math

import pandas as pd


def _num(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _records(frame: pd.DataFrame, index: str) -> list[dict]:
    out = []
    for key, row in frame.iterrows():
        entry = {index: str(key)}
        for col, v in row.items():
            entry[str(col)] = v if isinstance(v, (str, bool)) else _num(v)
        out.append(entry)
    return out


def _fit(m) -> dict:
    return {"dependent": m.dependent, "n": m.n, "n_excluded": m.n_excluded, "r2": _num(m.r2), "adj_r2": _num(m.adj_r2),
            "f": _num(m.f), "df_model": m.df_model, "df_resid": m.df_resid, "f_pvalue": _num(m.f_pvalue),
            "sigma": _num(m.sigma), "durbin_watson": _num(m.durbin_watson),
            "shapiro_w": _num(m.shapiro_w), "shapiro_p": _num(m.shapiro_p),
            "breusch_pagan": _num(m.bp_lm), "breusch_pagan_df": m.bp_df, "breusch_pagan_p": _num(m.bp_p),
            "hc3_recommended": m.hc3_recommended,
            "coefficients": _records(m.coefficients, "term"), "hc3": _records(m.hc3, "term")}


def _hierarchy(h) -> dict:
    return {"steps": [list(s) for s in h.steps], "models": [_fit(m) for m in h.models],
            "changes": _records(h.changes, "step")}


def _latent_fit(fitted) -> dict:
    return {"syntax": fitted.syntax, "converged": fitted.converged, "proper": fitted.proper,
            "problems": [str(p) for p in fitted.problems],
            "paths": [{"from": r["rhs"], "to": r["lhs"], "est": _num(r["est"]), "se": _num(r["se"]), "z": _num(r["z"]),
                       "pvalue": _num(r["pvalue"]), "std_all": _num(r["std_all"])}
                      for _, r in fitted.paths().iterrows()]}


def analyses_dict(res) -> dict:
    """The regression, moderation and moderated-mediation results of a run."""
    out = {
        "controls": [{"question": c.question, "categorical": c.categorical, "reference": c.reference,
                      "levels": list(c.levels), "columns": list(c.columns), "dropped_levels": list(c.dropped_levels)}
                     for c in res.controls],
        "regression": [{"dependent": a.dependent, "predictors": list(a.predictors), "controls": list(a.controls),
                        **_hierarchy(a.hierarchy)} for a in res.regression],
        "moderation": [],
        "moderated_mediation": [],
    }
    for a in res.moderation:
        r = a.result
        entry = {"id": a.id, "x": a.x, "w": a.w, "y": a.y, "expected_sign": a.sign, "w_kind": a.w_kind,
                 "categorical": r.categorical, "reference": r.reference,
                 "levels": list(r.levels) if r.levels else None, "n": r.n, "n_excluded": r.n_excluded,
                 "centring": {"x_mean": _num(r.x_mean), "x_sd": _num(r.x_sd), "w_mean": _num(r.w_mean),
                              "w_sd": _num(r.w_sd)},
                 "interaction": _records(r.interaction, "term"), "test": {k: _num(v) for k, v in r.test.items()},
                 "significant": r.significant, "direction": r.direction, "supported": a.supported,
                 "simple_slopes": _records(r.simple_slopes, "label"),
                 "johnson_neyman": {"bounds": [_num(b) for b in r.jn_bounds],
                                    "regions": _records(r.johnson_neyman, "region")}
                 if r.johnson_neyman is not None else None,
                 **_hierarchy(r.hierarchy), "sem": None, "sem_note": str(a.latent_note) if a.latent_note else None}
        if a.latent is not None and a.latent_note is None:
            li = a.latent
            entry["sem"] = {"product": li.product, "pairs": [list(p) for p in li.pairs], **_latent_fit(li.fitted),
                            "interaction": {k: _num(li.interaction[k]) for k in ("est", "se", "z", "pvalue", "std_all")},
                            "simple_slopes": _records(li.simple_slopes, "label")}
        out["moderation"].append(entry)
    for a in res.moderated_mediation:
        r = a.result
        entry = {"id": a.id, "path": list(a.path), "w": a.w, "stage": a.stage, "process_model": r.process_model,
                 "expected_sign": a.sign, "w_kind": a.w_kind, "categorical": r.categorical, "reference": r.reference,
                 "n": r.n, "n_excluded": r.n_excluded, "mediator_model": _fit(r.mediator_model),
                 "outcome_model": _fit(r.outcome_model), "direct": {k: _num(v) for k, v in r.direct.items()},
                 "conditional_indirect": _records(r.conditional, "label"), "index_kind": r.index_kind,
                 "index": _records(r.index, "name"), "bootstrap": {"resamples": r.resamples, "failed": r.failed,
                                                                   "seed": r.seed, "ci": "percentile, 95%"},
                 "significant": r.significant if r.resamples else None, "supported": a.supported,
                 "sem": None, "sem_note": str(a.latent_note) if a.latent_note else None}
        if a.latent is not None and a.latent_note is None:
            lm = a.latent
            entry["sem"] = {**_latent_fit(lm.fitted), "definitions": dict(lm.definitions),
                            "labels": {k: list(v) for k, v in lm.labels.items()},
                            "delta": _records(lm.delta, "name"),
                            "bootstrap": _records(lm.bootstrap, "name") if lm.bootstrap is not None else None,
                            "failed_resamples": lm.draws.failed if lm.draws is not None else None,
                            "improper_resamples": lm.draws.improper if lm.draws is not None else None}
        out["moderated_mediation"].append(entry)
    return out
