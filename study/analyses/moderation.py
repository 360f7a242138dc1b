"""Moderation (调节效应): does W change the effect of X on Y?

Regression on construct scores, the PROCESS model 1 convention (Hayes 2022): X and a continuous W are
mean-centred before their product is formed, and the model is entered in steps — controls, then X and
W, then the product X×W — so that the interaction is tested by its B, t and p and by the R² it adds.
The effect of X at chosen values of W (simple slopes) is b_X + b_{XW}·w; for a continuous W at the mean
and one standard deviation either side (PROCESS ``moments = 1``), with the Johnson–Neyman region of W
where the effect is significant; for a categorical W with k levels, k − 1 indicator codes and k − 1
products, and one slope per level.

In the SEM, a latent interaction by double-mean-centred matched-pair product indicators (Marsh, Wen &
Hau 2004; Lin et al. 2010), fitted by the project's ML engine; equal to lavaan on the same indicators
(semTools' ``indProd(match = TRUE, meanC = TRUE, doubleMC = TRUE)``).

References
----------
Hayes, A. F. (2022). *Introduction to Mediation, Moderation, and Conditional Process Analysis* (3rd ed.).
Guilford. Aiken, L. S., & West, S. G. (1991). *Multiple Regression: Testing and Interpreting
Interactions*. Sage. Johnson, P. O., & Neyman, J. (1936). Tests of certain linear hypotheses and their
application to some educational problems. *Statistical Research Memoirs*, 1, 57-93. Lin, G.-C., Wen,
Z., Marsh, H. W., & Lin, H.-S. (2010). Structural equation models of latent interactions: Clarification
of orthogonalizing and double-mean-centering strategies. *Structural Equation Modeling*, 17(3),
374-391. Marsh, H. W., Wen, Z., & Hau, K.-T. (2004). Structural equation models of latent interactions:
Evaluation of alternative estimation strategies and indicator construction. *Psychological Methods*,
9(3), 275-300.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..model.defined import defined_parameters
from ..model.estimate import FittedModel, fit_model
from .regression import INTERCEPT, HierarchicalRegression, RegressionFit, dummy_code, hierarchical_regression

__all__ = ["ModerationResult", "LatentInteraction", "moderation", "simple_slopes", "johnson_neyman",
           "product_indicators", "matched_pairs", "measurement_lines", "latent_interaction"]

SD_POINTS = (("M-1SD", -1.0), ("M", 0.0), ("M+1SD", 1.0))


@dataclass(frozen=True)
class ModerationResult:
    """A moderation model fitted by regression on scores.

    ``interaction`` has one row per product term (B, SE, t, p, ci_lower, ci_upper) and ``test`` the
    test of all products together (the R² they add, F, df1, df2, p; for one product F = t²).
    ``simple_slopes``: per value of W, ``w`` (the value of W in its own metric; NaN for a level),
    ``slope, SE, t, p, ci_lower, ci_upper`` and ``outside`` (the value lies beyond the observed W).
    ``plot``: predicted Y at X = mean ± 1 SD for each value of W (controls at their means), in the
    original metric, for the simple-slopes figure.
    """

    x: str
    w: str
    y: str
    categorical: bool
    levels: tuple | None  # categorical W: all levels, the reference first
    reference: object
    n: int
    n_excluded: int
    x_mean: float
    x_sd: float
    w_mean: float  # NaN for a categorical W
    w_sd: float
    w_range: tuple[float, float]
    hierarchy: HierarchicalRegression
    interaction: pd.DataFrame
    test: dict
    simple_slopes: pd.DataFrame
    johnson_neyman: pd.DataFrame | None  # continuous W: regions of W and whether X's effect is significant
    jn_bounds: tuple[float, ...]  # values of W (own metric, inside the observed range) where p = α
    plot: pd.DataFrame
    level: float

    @property
    def model(self) -> RegressionFit:
        """The final model, with the product term(s)."""
        return self.hierarchy.models[-1]

    @property
    def significant(self) -> bool:
        return bool(self.test["p"] < 1 - self.level)

    @property
    def direction(self) -> str | None:
        """For a continuous W and a significant interaction: ``"strengthens"`` when the product's sign
        is that of X's effect at the mean of W, ``"weakens"`` otherwise; None when not significant or
        W is categorical (its slopes per level say it)."""
        if self.categorical or not self.significant:
            return None
        b_x = self.model.coefficients.loc[self.x, "B"]
        b_xw = self.interaction["B"].iloc[0]
        return "strengthens" if np.sign(b_x) == np.sign(b_xw) else "weakens"


def _product_name(x: str, w: str) -> str:
    return f"{x}:{w}"


def moderation(data: pd.DataFrame, x: str, w: str, y: str, *, controls: Sequence[str] = (),
               reference=None, levels: Sequence | None = None, level: float = 0.95) -> ModerationResult:
    """Moderation of the effect of ``x`` on ``y`` by ``w`` (PROCESS model 1, mean-centred products).

    Parameters
    ----------
    data : DataFrame
        Columns ``x``, ``y`` (numeric scores), ``w`` (numeric, or categories when ``reference`` is
        given) and the numeric ``controls`` (dummy-code categorical controls first with
        :func:`~study.analyses.regression.dummy_code`). Rows missing a used value are left out and
        counted.
    x, w, y : str
    controls : sequence of str
        Covariates entered in step 1.
    reference : optional
        Makes W categorical: the level the other levels are compared with.
    levels : sequence, optional
        All levels of a categorical W, in order (default: the observed ones, sorted).
    level : float
        Confidence level; α = 1 − level is also the Johnson–Neyman criterion.

    Returns
    -------
    ModerationResult

    Notes
    -----
    With x̃ = X − X̄ and w̃ = W − W̄ (continuous W), Ŷ = b₀ + b₁x̃ + b₂w̃ + b₃x̃w̃ + Σc·controls.
    The effect of X at W = w is θ(w) = b₁ + b₃w̃ with Var θ = V₁₁ + 2w̃V₁₃ + w̃²V₃₃ and t on the
    model's residual df (Aiken & West 1991). The Johnson–Neyman bounds solve θ(w)² = t²_{α/2}Var θ(w).
    A categorical W enters as k − 1 indicator codes D_j (not centred), the products x̃D_j; the
    effect of X is b₁ in the reference group and b₁ + b_{3j} in group j.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> s = pd.DataFrame({k: d.filter(regex=f"^{k}[0-9]").mean(axis=1) for k in ("sat", "expe", "loy")})
    >>> r = moderation(s, "sat", "expe", "loy")
    >>> round(float(r.interaction["B"].iloc[0]), 3), r.significant
    (0.056, True)
    """
    if x == w:
        raise ValueError(f"moderation of {x} -> {y}: the moderator is the predictor itself")
    if w == y or x == y:
        raise ValueError(f"moderation of {x} -> {y} by {w}: X, W and Y must be three different variables")
    controls = list(controls)
    clash = [c for c in controls if c in (x, w, y)]
    if clash:
        raise ValueError(f"moderation of {x} -> {y} by {w}: {', '.join(clash)} is both a control and in the model")
    absent = [c for c in [x, w, y, *controls] if c not in data.columns]
    if absent:
        raise ValueError(f"moderation of {x} -> {y} by {w}: no column(s) {', '.join(map(repr, absent))} in the data")
    categorical = reference is not None
    used = data[[x, w, y, *controls]]
    numeric = [x, y, *controls] + ([] if categorical else [w])
    for c in numeric:
        if not pd.api.types.is_numeric_dtype(used[c]) or pd.api.types.is_bool_dtype(used[c]):
            hint = " (a categorical moderator needs its reference level)" if c == w else ""
            raise ValueError(f"moderation of {x} -> {y} by {w}: column {c!r} is not numeric{hint}")
    complete = used.notna().all(axis=1)
    rows = used[complete]
    excluded = int((~complete).sum())

    frame = pd.DataFrame(index=rows.index)
    frame[y] = rows[y].astype(float)
    x_mean, x_sd = float(rows[x].mean()), float(rows[x].std(ddof=1))
    frame[x] = rows[x].astype(float) - x_mean
    for c in controls:
        frame[c] = rows[c].astype(float)
    if categorical:
        dummies = dummy_code(rows[w], reference=reference, levels=levels, name=w)
        w_terms = list(dummies.columns)
        for c in w_terms:
            frame[c] = dummies[c]
        products = [_product_name(x, c) for c in w_terms]
        for p, c in zip(products, w_terms):
            frame[p] = frame[x] * frame[c]
        all_levels = list(levels) if levels is not None else sorted(rows[w].unique(), key=str)
        all_levels = [reference] + [lv for lv in all_levels if lv != reference]
        w_mean = w_sd = np.nan
        w_range = (np.nan, np.nan)
    else:
        w_mean, w_sd = float(rows[w].mean()), float(rows[w].std(ddof=1))
        frame[w] = rows[w].astype(float) - w_mean
        w_terms = [w]
        products = [_product_name(x, w)]
        frame[products[0]] = frame[x] * frame[w]
        all_levels = None
        w_range = (float(rows[w].min()), float(rows[w].max()))
    steps = ([controls] if controls else []) + [[x, *w_terms], products]
    try:
        hierarchy = hierarchical_regression(frame, y, steps, level=level)
    except ValueError as error:
        raise ValueError(f"moderation of {x} -> {y} by {w}: {error}") from None
    model = hierarchy.models[-1]
    coef = model.coefficients
    interaction = coef.loc[products, ["B", "SE", "t", "p", "ci_lower", "ci_upper"]]
    last = hierarchy.changes.iloc[-1]
    test = {"r2_change": float(last["r2_change"]), "f": float(last["f_change"]), "df1": int(last["df1"]),
            "df2": int(last["df2"]), "p": float(last["p_change"])}

    if categorical:
        points = [(str(lv), None if lv == reference else _product_name(x, f"{w}[{lv}]"), np.nan)
                  for lv in all_levels]
        slopes = simple_slopes(model, x, points, level=level)
        jn, bounds = None, ()
    else:
        points = [(label, products[0], k * w_sd) for label, k in SD_POINTS]
        slopes = simple_slopes(model, x, points, level=level)
        slopes["w"] = slopes["w"] + w_mean
        slopes["outside"] = (slopes["w"] < w_range[0]) | (slopes["w"] > w_range[1])
        jn, bounds = johnson_neyman(model, x, products[0], w_mean=w_mean, w_values=rows[w].to_numpy(dtype=float),
                                    level=level)
    plot = _plot_data(model, frame, x, x_mean, x_sd, w_terms, products, slopes, categorical, w_mean)
    return ModerationResult(x=x, w=w, y=y, categorical=categorical, levels=tuple(all_levels) if categorical else None,
                            reference=reference, n=model.n, n_excluded=excluded, x_mean=x_mean, x_sd=x_sd,
                            w_mean=w_mean, w_sd=w_sd, w_range=w_range, hierarchy=hierarchy,
                            interaction=interaction, test=test, simple_slopes=slopes, johnson_neyman=jn,
                            jn_bounds=bounds, plot=plot, level=level)


def simple_slopes(model: RegressionFit, x: str, points: Sequence[tuple[str, str | None, float]], *,
                  level: float = 0.95) -> pd.DataFrame:
    """The effect of ``x`` at given values of a moderator: θ = b_x + b_p·w.

    Parameters
    ----------
    model : RegressionFit
        A model with ``x`` and the product term(s).
    x : str
    points : sequence of (label, product term or None, w)
        For a continuous moderator, the product term and the (centred) value w; for a level of a
        categorical moderator, that level's product term (None for the reference) and w = NaN
        (the product's coefficient is added once).
    level : float

    Returns
    -------
    DataFrame
        Indexed by label: ``w`` (as given), ``slope, SE, t, p, ci_lower, ci_upper``.

    Notes
    -----
    Var θ = V_xx + 2w V_xp + w² V_pp (Aiken & West 1991, eq. 2.12), t on the residual df.
    """
    b, v = model.coefficients["B"], model.vcov
    t_crit = stats.t.ppf(1 - (1 - level) / 2, model.df_resid)
    rows = []
    for label, product, w in points:
        weight = 0.0 if product is None else (1.0 if np.isnan(w) else w)
        slope = b[x] + (weight * b[product] if product is not None else 0.0)
        var = v.loc[x, x] + ((2 * weight * v.loc[x, product] + weight ** 2 * v.loc[product, product])
                             if product is not None else 0.0)
        se = float(np.sqrt(var))
        t = slope / se
        rows.append({"label": label, "w": w, "slope": float(slope), "SE": se, "t": float(t),
                     "p": float(2 * stats.t.sf(abs(t), model.df_resid)),
                     "ci_lower": float(slope - t_crit * se), "ci_upper": float(slope + t_crit * se)})
    return pd.DataFrame(rows).set_index("label")


def johnson_neyman(model: RegressionFit, x: str, product: str, *, w_mean: float, w_values: np.ndarray,
                   level: float = 0.95) -> tuple[pd.DataFrame, tuple[float, ...]]:
    """Johnson–Neyman regions of a continuous moderator.

    Parameters
    ----------
    model : RegressionFit
        Fitted with the centred moderator w̃ = W − ``w_mean`` and the product ``product``.
    x, product : str
    w_mean : float
    w_values : ndarray
        The observed values of W (its own metric): the range searched and the shares of respondents.
    level : float

    Returns
    -------
    regions : DataFrame
        ``w_from, w_to, significant, sign`` (of X's effect in the region), ``share`` (of respondents).
    bounds : tuple of float
        The values of W inside the observed range where X's effect has p = α exactly.

    Notes
    -----
    The effect θ(w̃) = b₁ + b₃w̃ is significant where θ² − t²_{α/2}(V₁₁ + 2w̃V₁₃ + w̃²V₃₃) > 0, a
    quadratic in w̃: (b₃² − t²V₃₃)w̃² + 2(b₁b₃ − t²V₁₃)w̃ + (b₁² − t²V₁₁) (Bauer & Curran 2005;
    Hayes & Matthes 2009). Its real roots inside the observed range are the bounds.
    """
    b, v = model.coefficients["B"], model.vcov
    t2 = stats.t.ppf(1 - (1 - level) / 2, model.df_resid) ** 2
    b1, b3 = b[x], b[product]
    a = b3 ** 2 - t2 * v.loc[product, product]
    bq = 2 * (b1 * b3 - t2 * v.loc[x, product])
    c = b1 ** 2 - t2 * v.loc[x, x]
    lo, hi = float(np.min(w_values)), float(np.max(w_values))
    roots = np.roots([a, bq, c]) if abs(a) > 1e-15 else (np.array([-c / bq]) if bq != 0 else np.array([]))
    real = sorted(float(r.real) + w_mean for r in roots if abs(r.imag) < 1e-12)
    bounds = tuple(r for r in real if lo < r < hi)
    edges = [lo, *bounds, hi]
    rows = []
    for left, right in zip(edges[:-1], edges[1:]):
        mid = (left + right) / 2 - w_mean
        significant = a * mid ** 2 + bq * mid + c > 0
        inside = (w_values >= left) & (w_values <= right) if right == hi else (w_values >= left) & (w_values < right)
        rows.append({"w_from": left, "w_to": right, "significant": bool(significant),
                     "sign": int(np.sign(b1 + b3 * mid)), "share": float(np.mean(inside))})
    return pd.DataFrame(rows), bounds


def _plot_data(model, frame, x, x_mean, x_sd, w_terms, products, slopes, categorical, w_mean) -> pd.DataFrame:
    """Predicted Y at X = mean ± 1 SD for each row of ``slopes``, controls at their means."""
    b = model.coefficients["B"]
    others = [t for t in model.terms if t not in (x, *w_terms, *products)]
    base = b[INTERCEPT] + sum(b[t] * frame[t].mean() for t in others)
    rows = []
    for label, row in slopes.iterrows():
        if categorical:
            term = next((t for t in w_terms if t.endswith(f"[{label}]")), None)
            shift = b[term] if term is not None else 0.0
        else:
            shift = b[w_terms[0]] * (row["w"] - w_mean)
        for k in (-1.0, 1.0):
            rows.append({"w_label": label, "x": x_mean + k * x_sd,
                         "y": float(base + shift + row["slope"] * k * x_sd)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# Latent interaction in the SEM
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LatentInteraction:
    """A latent interaction X×W → Y fitted by ML on product indicators.

    ``interaction``: the row of the estimates table for Y ~ XW (est, se, z, pvalue, std_all);
    ``simple_slopes``: X's effect at W = −1 SD, 0, +1 SD of the latent W (defined parameters with
    delta-method standard errors, lavaan's ``:=``).
    """

    x: str
    w: str
    y: str
    product: str  # name of the latent product
    pairs: tuple[tuple[str, str], ...]
    syntax: str
    fitted: FittedModel
    interaction: pd.Series
    simple_slopes: pd.DataFrame


def matched_pairs(x_items: Sequence[str], w_items: Sequence[str],
                  ranking: Mapping[str, float] | None = None) -> list[tuple[str, str]]:
    """Matched pairs of indicators for the product indicators (Marsh, Wen & Hau 2004).

    Items are sorted by ``ranking`` (highest first; e.g. corrected item–total correlations, so that
    the most reliable items are paired with each other) or kept in the given order, and the i-th item
    of X is paired with the i-th of W; with unequal numbers the construct with more items contributes
    its first min(k_X, k_W) items, so that every item enters one product at most.

    Examples
    --------
    >>> matched_pairs(["x1", "x2", "x3"], ["w1", "w2"], {"x1": .5, "x2": .7, "x3": .6, "w1": .8, "w2": .9})
    [('x2', 'w2'), ('x3', 'w1')]
    """
    if ranking is not None:
        x_items = sorted(x_items, key=lambda i: -ranking[i])
        w_items = sorted(w_items, key=lambda i: -ranking[i])
    k = min(len(x_items), len(w_items))
    return list(zip(list(x_items)[:k], list(w_items)[:k]))


def product_indicators(data: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Double-mean-centred product indicators (Lin et al. 2010).

    Each item is mean-centred, the centred items of a pair are multiplied, and the product is
    centred again: ``(x − x̄)(w − w̄) − mean((x − x̄)(w − w̄))``. Columns are named ``x.w`` as in
    semTools' ``indProd``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"x1": [1., 2, 3, 4], "w1": [1., 3, 2, 4]})
    >>> product_indicators(d, [("x1", "w1")])["x1.w1"].round(3).tolist()
    [1.25, -1.25, -1.25, 1.25]
    """
    out = {}
    for xi, wi in pairs:
        for item in (xi, wi):
            if item not in data.columns:
                raise ValueError(f"product indicators: no column {item!r} in the data")
        prod = (data[xi] - data[xi].mean()) * (data[wi] - data[wi].mean())
        out[f"{xi}.{wi}"] = prod - prod.mean()
    return pd.DataFrame(out, index=data.index)


def measurement_lines(constructs: Mapping[str, Sequence[str]], codes: Sequence[str],
                      second_order: Mapping[str, Sequence[str]] | None = None) -> tuple[list[str], frozenset]:
    """``F =~ items`` for each construct of ``codes``; a second-order one as its dimensions (each with
    its items from ``constructs``) and ``F =~ D1 + D2 …``. Returns the lines and the (second-order,
    dimension) pairs that fit_model reports as loadings."""
    second_order = second_order or {}
    lines, pairs = [], set()
    for c in codes:
        if c in second_order:
            lines += [f"{d} =~ " + " + ".join(constructs[d]) for d in second_order[c]]
            lines.append(f"{c} =~ " + " + ".join(second_order[c]))
            pairs |= {(c, d) for d in second_order[c]}
        else:
            lines.append(f"{c} =~ " + " + ".join(constructs[c]))
    return lines, frozenset(pairs)


def latent_interaction(data: pd.DataFrame, constructs: Mapping[str, Sequence[str]], x: str, w: str, y: str, *,
                       pairs: Sequence[tuple[str, str]] | None = None, others: Sequence[str] = (),
                       second_order: Mapping[str, Sequence[str]] | None = None) -> LatentInteraction:
    """Latent moderation X×W → Y by matched-pair double-mean-centred product indicators, fitted by ML.

    Parameters
    ----------
    data : DataFrame
        Complete item responses.
    constructs : mapping of construct -> items
        The measurement model of X, W, Y and of ``others``.
    x, w, y : str
        Construct codes.
    pairs : sequence of (X item, W item), optional
        Default: :func:`matched_pairs` in the given item order.
    others : sequence of str
        Further predictors of Y.
    second_order : mapping construct -> dimensions, optional
        Y (or another predictor) measured by dimensions; X and W need items of their own.

    Returns
    -------
    LatentInteraction

    Notes
    -----
    Model: ``XW =~ x1.w1 + x2.w2 + …`` beside the measurement of X, W, Y; ``Y ~ X + W + XW``; the
    exogenous factors correlate (lavaan's ``sem()`` default). With matched pairs no item enters two
    products, so no residual covariances among product indicators are needed (Marsh et al. 2004).
    The effect of X at W = k·SD(W) is b_X + b_{XW}·k·√ψ_WW, with delta-method standard errors.
    """
    if any(c in (second_order or {}) for c in (x, w)):
        raise ValueError("latent interaction: X and W need items of their own for the product indicators, "
                         "not dimensions")
    pairs = list(pairs) if pairs is not None else matched_pairs(constructs[x], constructs[w])
    product = f"{x}{w}"
    if product in constructs:
        raise ValueError(f"latent interaction: a construct is already named {product}")
    products = product_indicators(data, pairs)
    lines, loadings = measurement_lines(constructs, [x, w, y, *others], second_order)
    lines.append(f"{product} =~ " + " + ".join(products.columns))
    lines.append(f"{y} ~ " + " + ".join([x, w, product, *others]))
    exogenous = [x, w, product, *others]  # correlated, as lavaan's sem() does (semopy does not by default)
    lines += [f"{a} ~~ {b}" for i, a in enumerate(exogenous) for b in exogenous[i + 1:]]
    syntax = "\n".join(lines)
    fitted = fit_model(syntax, pd.concat([data, products], axis=1), measurement_pairs=loadings)
    est = fitted.estimates
    interaction = est[(est["op"] == "~") & (est["lhs"] == y) & (est["rhs"] == product)].iloc[0]
    labels = {"bx": (y, "~", x), "bxw": (y, "~", product), "vw": (w, "~~", w)}
    definitions = {"M-1SD": "bx + bxw*(-sqrt(vw))", "M": "bx", "M+1SD": "bx + bxw*sqrt(vw)"}
    slopes = defined_parameters(fitted, labels, definitions)
    return LatentInteraction(x=x, w=w, y=y, product=product, pairs=tuple(map(tuple, pairs)), syntax=syntax,
                             fitted=fitted, interaction=interaction, simple_slopes=slopes)
