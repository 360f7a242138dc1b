"""What AMOS and SmartPLS users hand in beside the paths: the CFA table with unstandardized loadings,
collinearity of the predictors of each endogenous construct (VIF) and the effect size f² of each path.

- Loadings (AMOS "Regression Weights" and "Squared Multiple Correlations"): B, S.E., C.R. (= z), p,
  the standardized loading β and the item's SMC = R² = 1 − θᵢᵢ/σᵢᵢ (β² for an item on one factor).
- VIF of predictor j of an endogenous construct: VIF_j = [R⁻¹]ⱼⱼ, R the correlation matrix of its
  predictors — from the model-implied latent correlations, or from the construct mean scores (the
  same as the VIF of an OLS regression of the score on the predictors' scores, R's ``car::vif``).
  VIF < 3.3 (Kock & Lynn 2012) or < 5 (Hair et al. 2019) suggests no problematic collinearity.
- f² of a path X → Y (Cohen 1988): f² = (R²_incl − R²_excl) / (1 − R²_incl), R²_excl the R² of Y when
  the model is refitted without the path (0 if X was Y's only predictor); .02, .15 and .35 are small,
  medium and large effects.

References
----------
Cohen, J. (1988). *Statistical power analysis for the behavioral sciences* (2nd ed.). Erlbaum.
Kock, N., & Lynn, G. S. (2012). Lateral collinearity and misleading results in variance-based SEM.
*Journal of the Association for Information Systems*, 13(7), 546–580.
Hair, J. F., Risher, J. J., Sarstedt, M., & Ringle, C. M. (2019). When to use and how to report the
results of PLS-SEM. *European Business Review*, 31(1), 2–24.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .alternatives import ModelParts, fit_parts
from .estimate import FittedModel

F2_SIZES = ((0.35, "large"), (0.15, "medium"), (0.02, "small"))  # Cohen (1988)


def loading_table(fitted: FittedModel) -> pd.DataFrame:
    """The loadings table of a fitted model as AMOS prints it, with each indicator's SMC.

    Returns
    -------
    DataFrame
        ``construct, indicator, est`` (B), ``se, z`` (C.R.), ``pvalue, std_all`` (β), ``smc`` (R²) and
        ``marker`` (the loading fixed at 1: no S.E., C.R. or p, as in AMOS).

    Examples
    --------
    >>> import pandas as pd
    >>> from study.model.estimate import fit_model
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> t = loading_table(fit_model("SAT =~ sat1 + sat2 + sat3 + sat4", d))
    >>> bool(abs(t.loc[0, "smc"] - t.loc[0, "std_all"] ** 2) < 1e-12)
    True
    """
    est = fitted.estimates
    loads = est[est["op"] == "=~"]
    residual = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"])].set_index("lhs")["std_all"]
    table = pd.DataFrame({"construct": loads["lhs"].to_numpy(), "indicator": loads["rhs"].to_numpy(),
                          "est": loads["est"].to_numpy(), "se": loads["se"].to_numpy(), "z": loads["z"].to_numpy(),
                          "pvalue": loads["pvalue"].to_numpy(), "std_all": loads["std_all"].to_numpy()})
    table["smc"] = 1 - table["indicator"].map(residual).to_numpy(dtype=float)
    table["marker"] = ~loads["free"].to_numpy()
    for column in ("se", "z", "pvalue"):
        table.loc[table["marker"], column] = np.nan
    return table


def r_squared(fitted: FittedModel) -> dict[str, float]:
    """R² = 1 − ψ/Var(η) of every latent variable with a cause in the model (regressions and
    second-order loadings), lavaan's ``lavInspect(fit, "r2")`` for latent variables."""
    est = fitted.estimates
    latent = set(fitted.structure.latent)
    caused = set(est.loc[est["op"] == "~", "lhs"]) | set(est.loc[(est["op"] == "=~") & est["rhs"].isin(latent), "rhs"])
    variances = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"])].set_index("lhs")["std_all"]
    return {c: float(1 - variances[c]) for c in fitted.structure.latent if c in caused}


def _vif(correlation: pd.DataFrame, predictors: list[str]) -> pd.Series:
    if len(predictors) == 1:
        return pd.Series(1.0, index=predictors)
    r = correlation.loc[predictors, predictors].to_numpy(dtype=float)
    return pd.Series(np.diag(np.linalg.inv(r)), index=predictors)


def collinearity(fitted: FittedModel, predictors: dict[str, list[str]], scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """VIF of the predictors of each endogenous construct.

    Parameters
    ----------
    fitted : FittedModel
        The structural model (its model-implied latent correlations).
    predictors : dict
        Endogenous construct → its predictors (:meth:`ModelParts.predictors`).
    scores : DataFrame, optional
        Construct mean scores per respondent (columns named by construct code).

    Returns
    -------
    DataFrame
        ``construct, predictor, vif_latent`` and, with ``scores``, ``vif_scores``.

    Notes
    -----
    VIF_j = [R⁻¹]ⱼⱼ with R the correlations among the predictors; for the scores this equals the VIF
    of an OLS regression (1/(1 − R²ⱼ), R²ⱼ of predictor j on the others; statsmodels'
    ``variance_inflation_factor`` with a constant, R's ``car::vif``). A single predictor has VIF 1.
    """
    latent = fitted.latent_correlation()
    score_r = scores.corr() if scores is not None else None
    rows = []
    for to, froms in predictors.items():
        lat = _vif(latent, froms)
        sc = _vif(score_r, froms) if score_r is not None else None
        for f in froms:
            row = {"construct": to, "predictor": f, "vif_latent": float(lat[f])}
            if sc is not None:
                row["vif_scores"] = float(sc[f])
            rows.append(row)
    return pd.DataFrame(rows)


def f_squared(spec: ModelParts, data: pd.DataFrame, *, fitted: FittedModel | None = None) -> pd.DataFrame:
    """Cohen's f² of every path, by refitting the model without it.

    Parameters
    ----------
    spec : ModelParts
        The structural model.
    data : DataFrame
        Complete responses.
    fitted : FittedModel, optional
        The model's fit, if already computed.

    Returns
    -------
    DataFrame
        ``from, to, r2_included, r2_excluded, f2, size`` (Cohen's label: large, medium, small or
        negligible) and ``proper`` (whether the refit without the path is proper). Where that refit has no
        proper solution its R² is not a finding: ``r2_excluded`` and ``f2`` are NaN and ``size`` is None.
    """
    if fitted is None:
        fitted, _ = fit_parts(spec, data, "ML")
    r2 = r_squared(fitted)
    predictors = spec.predictors()
    rows = []
    for a, b in spec.paths:
        if len(predictors[b]) == 1:
            r2_excl, proper = 0.0, True  # without its only predictor, Y explains nothing
        else:
            refit, _ = fit_parts(spec.with_paths(f"without {a}->{b}", drop=[(a, b)]), data, "ML", base=(spec, fitted))
            r2_excl, proper = r_squared(refit)[b], refit.proper
        r2_incl = r2[b]
        if not proper:  # an improper refit's R² is not a finding
            r2_excl = np.nan
        f2 = (r2_incl - r2_excl) / (1 - r2_incl)
        size = next((label for cut, label in F2_SIZES if f2 >= cut), "negligible") if proper else None
        rows.append({"from": a, "to": b, "r2_included": r2_incl, "r2_excluded": r2_excl, "f2": f2, "size": size,
                     "proper": proper})
    return pd.DataFrame(rows)
