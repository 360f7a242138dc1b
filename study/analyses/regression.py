"""Ordinary least-squares regression on construct scores, as theses report it (SPSS "linear regression").

Construct scores are item means (the scores of the correlation table). Each model reports, per
predictor, the unstandardized B with its standard error, the standardized β, t, p, the 95 % confidence
interval, VIF and tolerance; per model R², adjusted R², F with its p and the Durbin–Watson statistic;
the residual checks (Shapiro–Wilk normality, Breusch–Pagan heteroscedasticity) and HC3 standard errors
to offer when a check fails. Hierarchical regression enters blocks of predictors in steps (controls →
predictors → interaction) and tests each step's R² change by its F change.

The engine is statsmodels (``OLS``, ``het_breuschpagan``, ``durbin_watson``,
``variance_inflation_factor``); every number equals R's ``lm``/``summary``,
``anova``, ``car::vif``, ``lmtest::dwtest``/``bptest`` and ``sandwich::vcovHC(type = "HC3")`` (see
tests/reference/make_regression_reference.R).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._deferred_imports import statsmodels_models

statsmodels_models()  # without the formula engine, which models on arrays do not use
# the modules themselves, not statsmodels.api, which imports all of statsmodels (time series, graphics,
# formulas: a third of a second at every start)
from statsmodels.regression.linear_model import OLS  # noqa: E402
from statsmodels.stats.diagnostic import het_breuschpagan  # noqa: E402
from statsmodels.stats.outliers_influence import variance_inflation_factor  # noqa: E402
from statsmodels.stats.stattools import durbin_watson  # noqa: E402
from statsmodels.tools.tools import add_constant  # noqa: E402

__all__ = ["INTERCEPT", "RegressionFit", "HierarchicalRegression", "dummy_code", "ols",
           "hierarchical_regression"]

INTERCEPT = "(Intercept)"  # R's name for the constant
ALPHA_CHECKS = 0.05  # residual checks: a p below this offers HC3 standard errors


@dataclass(frozen=True)
class RegressionFit:
    """One OLS model.

    ``coefficients`` has one row per term (the intercept first, named ``(Intercept)``) and the
    columns ``B, SE, beta, t, p, ci_lower, ci_upper, vif, tolerance`` (β, VIF and tolerance are NaN
    for the intercept); ``hc3`` the same terms with ``SE, t, p, ci_lower, ci_upper`` from the HC3
    covariance matrix (MacKinnon & White 1985; Long & Ervin 2000).
    """

    dependent: str
    terms: tuple[str, ...]
    n: int
    n_excluded: int  # rows left out because a used column was missing
    coefficients: pd.DataFrame
    vcov: pd.DataFrame  # covariance matrix of B (the usual OLS one)
    r2: float
    adj_r2: float
    f: float
    df_model: int
    df_resid: int
    f_pvalue: float
    sigma: float  # residual standard error
    durbin_watson: float
    shapiro_w: float  # Shapiro–Wilk test of the residuals (NaN when n < 3 or n > 5000)
    shapiro_p: float
    bp_lm: float  # Breusch–Pagan (Koenker's studentized form, lmtest's default)
    bp_df: int
    bp_p: float
    hc3: pd.DataFrame

    @property
    def non_normal(self) -> bool:
        return bool(self.shapiro_p < ALPHA_CHECKS)

    @property
    def heteroscedastic(self) -> bool:
        return bool(self.bp_p < ALPHA_CHECKS)

    @property
    def hc3_recommended(self) -> bool:
        """A residual check failed: report the HC3 standard errors beside (or instead of) the usual ones."""
        return self.non_normal or self.heteroscedastic


@dataclass(frozen=True)
class HierarchicalRegression:
    """Models entered in steps on the same respondents, and the test of each step.

    ``changes`` has one row per step: ``r2, r2_change, f_change, df1, df2, p_change`` (step 1 is
    tested against the intercept-only model, as SPSS does).
    """

    dependent: str
    steps: tuple[tuple[str, ...], ...]  # the terms each step adds
    models: tuple[RegressionFit, ...]
    changes: pd.DataFrame


def dummy_code(values: pd.Series, *, reference, levels: Sequence | None = None,
               name: str | None = None) -> pd.DataFrame:
    """Indicator (dummy) coding of a categorical variable against a reference level.

    Parameters
    ----------
    values : Series
        The categories, one per respondent; missing answers stay missing (NaN in every column).
    reference : scalar
        The level every other level is compared with (its rows are 0 in every column).
    levels : sequence, optional
        All levels, in order (the study file's order); default: the observed levels, sorted.
    name : str, optional
        Prefix of the column names; default ``values.name``.

    Returns
    -------
    DataFrame
        k − 1 columns ``name[level]`` of 0/1 for k levels, in the order of ``levels``.

    Raises
    ------
    ValueError
        A value that is not a level, a reference that is not a level, or a level no respondent
        chose (its coefficient would not be estimable), naming the variable and the level.

    Examples
    --------
    >>> import pandas as pd
    >>> dummy_code(pd.Series(["m", "f", "f"], name="gender"), reference="m").to_dict("list")
    {'gender[f]': [0.0, 1.0, 1.0]}
    """
    name = name if name is not None else (str(values.name) if values.name is not None else "group")
    present = values.dropna()
    levels = list(levels) if levels is not None else sorted(present.unique(), key=str)
    unknown = sorted(set(present) - set(levels), key=str)
    if unknown:
        raise ValueError(f"{name}: value(s) {', '.join(map(repr, unknown))} are not among the levels "
                         f"{', '.join(map(repr, levels))}")
    if reference not in levels:
        raise ValueError(f"{name}: the reference level {reference!r} is not among the levels "
                         f"{', '.join(map(repr, levels))}")
    counts = present.value_counts()
    empty = [lv for lv in levels if counts.get(lv, 0) == 0]
    if empty:
        raise ValueError(f"{name}: no respondent has the level(s) {', '.join(map(repr, empty))}, so their "
                         "comparison with the reference cannot be estimated; merge the level with a "
                         "neighbouring one or leave it out of the levels")
    if len(levels) < 2:
        raise ValueError(f"{name}: a categorical variable needs at least 2 levels, got {len(levels)}")
    out = {}
    missing = values.isna()
    for lv in levels:
        if lv == reference:
            continue
        col = (values == lv).astype(float)
        col[missing] = np.nan
        out[f"{name}[{lv}]"] = col
    return pd.DataFrame(out, index=values.index)


def _design(data: pd.DataFrame, dependent: str, terms: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """The complete rows of the used columns, checked; and how many rows were left out."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    terms = list(terms)
    if not terms:
        raise ValueError(f"regression of {dependent}: no predictors given")
    twice = sorted({t for t in terms if terms.count(t) > 1})
    if twice:
        raise ValueError(f"regression of {dependent}: predictor(s) {', '.join(twice)} given twice")
    if dependent in terms:
        raise ValueError(f"regression of {dependent}: the dependent variable is also among the predictors")
    absent = [c for c in [dependent, *terms] if c not in data.columns]
    if absent:
        raise ValueError(f"regression of {dependent}: no column(s) {', '.join(map(repr, absent))} in the data")
    cols = [dependent, *terms]
    for c in cols:
        s = data[c]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise ValueError(f"regression of {dependent}: column {c!r} is not numeric (dtype {s.dtype}); "
                             "dummy-code a categorical variable first (dummy_code)")
    frame = data[cols].astype(float)
    complete = frame.notna().all(axis=1) & np.isfinite(frame).all(axis=1)
    frame = frame[complete]
    if len(frame) < len(terms) + 2:
        raise ValueError(f"regression of {dependent}: {len(frame)} complete rows for {len(terms)} predictors; "
                         f"at least {len(terms) + 2} are needed")
    constant = [c for c in cols if np.ptp(frame[c].to_numpy()) == 0]
    if constant:
        raise ValueError(f"regression of {dependent}: {', '.join(map(repr, constant))} has the same value for "
                         "every respondent analysed, so it cannot enter a regression")
    _check_collinearity(frame[terms], dependent)
    return frame, int((~complete).sum())


def _check_collinearity(x: pd.DataFrame, dependent: str) -> None:
    """Perfect collinearity names the predictor that is a linear combination of the earlier ones."""
    design = np.column_stack([np.ones(len(x)), x.to_numpy()])
    if np.linalg.matrix_rank(design) == design.shape[1]:
        return
    for j in range(1, design.shape[1]):
        left = design[:, :j]
        coef = np.linalg.lstsq(left, design[:, j], rcond=None)[0]
        resid = design[:, j] - left @ coef
        if np.sum(resid ** 2) <= 1e-10 * max(np.sum((design[:, j] - design[:, j].mean()) ** 2), 1e-300):
            partners = [x.columns[k - 1] for k in range(1, j) if abs(coef[k]) > 1e-8]
            with_what = ", ".join(map(str, partners)) if partners else "the constant"
            raise ValueError(f"regression of {dependent}: perfect collinearity — {x.columns[j - 1]!r} is an exact "
                             f"linear combination of {with_what}; the coefficients cannot be separated, so drop "
                             "one of these variables")


def ols(data: pd.DataFrame, dependent: str, predictors: Sequence[str], *, level: float = 0.95) -> RegressionFit:
    """Ordinary least-squares regression of ``dependent`` on ``predictors`` (with an intercept).

    Parameters
    ----------
    data : DataFrame
        Numeric columns (construct scores, items, dummy codes, products). Rows with a missing value in
        a used column are left out and counted (``n_excluded``).
    dependent : str
    predictors : sequence of str
    level : float
        Confidence level of the coefficient intervals.

    Returns
    -------
    RegressionFit

    Notes
    -----
    B = (XᵀX)⁻¹Xᵀy, Var(B) = σ̂²(XᵀX)⁻¹ with σ̂² = RSS/(n − k − 1); t = B/SE on n − k − 1 df.
    Standardized β_j = B_j s_{x_j}/s_y (SPSS's Beta; for a dummy or a product, of that column).
    VIF_j = 1/(1 − R²_j), R²_j of predictor j on the other predictors; tolerance = 1/VIF.
    Durbin–Watson d = Σ(e_t − e_{t−1})²/Σe_t² (rows in data order). Breusch–Pagan: Koenker's
    studentized LM = n R² of e² on the predictors, χ²(k) (``lmtest::bptest``). HC3:
    (XᵀX)⁻¹Xᵀ diag(e_i²/(1 − h_ii)²) X(XᵀX)⁻¹ with t on n − k − 1 df (``lmtest::coeftest``).

    References
    ----------
    Long, J. S., & Ervin, L. H. (2000). Using heteroscedasticity consistent standard errors in the
    linear regression model. *The American Statistician*, 54(3), 217-224.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6], "x": [1, 2, 3, 4, 5, 6]})
    >>> float(round(ols(d, "y", ["x"]).coefficients.loc["x", "B"], 4))
    0.8857
    """
    frame, excluded = _design(data, dependent, predictors)
    terms = list(predictors)
    y = frame[dependent].to_numpy()
    x = add_constant(frame[terms].to_numpy(), has_constant="add")
    names = [INTERCEPT, *terms]
    fit = OLS(y, x).fit()
    alpha = 1 - level
    ci = fit.conf_int(alpha)
    sd = frame.std(ddof=1)
    beta = np.array([np.nan] + [fit.params[j + 1] * sd[t] / sd[dependent] for j, t in enumerate(terms)])
    if len(terms) > 1:
        vif = np.array([np.nan] + [variance_inflation_factor(x, j) for j in range(1, x.shape[1])])
    else:
        vif = np.array([np.nan, 1.0])
    coefficients = pd.DataFrame({"B": fit.params, "SE": fit.bse, "beta": beta, "t": fit.tvalues,
                                 "p": fit.pvalues, "ci_lower": ci[:, 0], "ci_upper": ci[:, 1],
                                 "vif": vif, "tolerance": 1 / vif}, index=pd.Index(names, name="term"))
    robust = fit.get_robustcov_results(cov_type="HC3", use_t=True)
    rci = robust.conf_int(alpha)
    hc3 = pd.DataFrame({"SE": robust.bse, "t": robust.tvalues, "p": robust.pvalues,
                        "ci_lower": rci[:, 0], "ci_upper": rci[:, 1]}, index=pd.Index(names, name="term"))
    resid = fit.resid
    if 3 <= len(resid) <= 5000:  # the range of R's shapiro.test (same algorithm, Royston 1995)
        sw = stats.shapiro(resid)
        shapiro_w, shapiro_p = float(sw.statistic), float(sw.pvalue)
    else:
        shapiro_w = shapiro_p = np.nan
    bp_lm, bp_p, _, _ = het_breuschpagan(resid, x, robust=True)
    return RegressionFit(
        dependent=dependent, terms=tuple(terms), n=len(y), n_excluded=excluded, coefficients=coefficients,
        vcov=pd.DataFrame(fit.cov_params(), index=names, columns=names),
        r2=float(fit.rsquared), adj_r2=float(fit.rsquared_adj), f=float(fit.fvalue),
        df_model=int(round(fit.df_model)), df_resid=int(round(fit.df_resid)), f_pvalue=float(fit.f_pvalue),
        sigma=float(np.sqrt(fit.scale)), durbin_watson=float(durbin_watson(resid)),
        shapiro_w=shapiro_w, shapiro_p=shapiro_p, bp_lm=float(bp_lm), bp_df=len(terms), bp_p=float(bp_p),
        hc3=hc3)


def hierarchical_regression(data: pd.DataFrame, dependent: str, steps: Sequence[Sequence[str]], *,
                            level: float = 0.95) -> HierarchicalRegression:
    """Hierarchical (blockwise) regression: each step adds its terms to the previous model.

    Parameters
    ----------
    data : DataFrame
    dependent : str
    steps : sequence of sequences of str
        The terms each step adds, e.g. ``[controls, predictors, [product]]``. Empty steps are
        not allowed.
    level : float

    Returns
    -------
    HierarchicalRegression

    Notes
    -----
    All models use the respondents complete on every step's columns, so that the models are nested.
    ΔR² = R²_s − R²_{s−1}; ΔF = (ΔR²/Δk) / ((1 − R²_s)/(n − k_s − 1)) on (Δk, n − k_s − 1) df,
    R's ``anova(m_{s−1}, m_s)``. Step 1 is tested against the intercept-only model.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6, 5, 7], "a": [0, 1, 0, 1, 0, 1, 0, 1],
    ...                   "x": [1, 2, 3, 4, 5, 6, 7, 8]})
    >>> h = hierarchical_regression(d, "y", [["a"], ["x"]])
    >>> float(round(h.changes.loc[2, "r2_change"], 4))
    0.6312
    """
    steps = [list(s) for s in steps]
    if not steps:
        raise ValueError(f"hierarchical regression of {dependent}: no steps given")
    for i, s in enumerate(steps, 1):
        if not s:
            raise ValueError(f"hierarchical regression of {dependent}: step {i} adds no terms")
    every = [t for s in steps for t in s]
    frame, excluded = _design(data, dependent, every)  # also checks repeats and the final model's rank
    models, rows = [], []
    previous_r2, previous_k = 0.0, 0
    entered: list[str] = []
    for i, s in enumerate(steps, 1):
        entered = entered + s
        m = ols(frame, dependent, entered, level=level)
        m = RegressionFit(**{**m.__dict__, "n_excluded": excluded})
        df1, df2 = len(entered) - previous_k, m.df_resid
        change = m.r2 - previous_r2
        f_change = (change / df1) / ((1 - m.r2) / df2)
        rows.append({"step": i, "r2": m.r2, "adj_r2": m.adj_r2, "r2_change": change, "f_change": f_change,
                     "df1": df1, "df2": df2, "p_change": float(stats.f.sf(f_change, df1, df2))})
        models.append(m)
        previous_r2, previous_k = m.r2, len(entered)
    return HierarchicalRegression(dependent=dependent, steps=tuple(tuple(s) for s in steps),
                                  models=tuple(models), changes=pd.DataFrame(rows).set_index("step"))
