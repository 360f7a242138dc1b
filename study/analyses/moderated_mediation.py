"""Moderated mediation (有调节的中介): does W change the indirect effect of X on Y through M?

Regression on construct scores, as PROCESS does it (Hayes 2022):

=========  ==========================  =======================================  ==========================
stage      PROCESS model               equations (products of mean-centred      conditional indirect
                                       variables)                               effect θ(w)
=========  ==========================  =======================================  ==========================
first      7  (X→M moderated)          M = a₁X + a₂W + a₃XW;  Y = c′X + bM      (a₁ + a₃w)·b
second     14 (M→Y moderated)          M = aX;  Y = c′X + b₁M + b₂W + b₃MW      a·(b₁ + b₃w)
both       58 (both stages)            M = a₁X + a₂W + a₃XW;                    (a₁ + a₃w)(b₁ + b₃w)
                                       Y = c′X + b₁M + b₂W + b₃MW
=========  ==========================  =======================================  ==========================

Controls enter both equations. The indirect effect is a linear function of W in models 7 and 14, and
its slope — a₃b or ab₃ — is the index of moderated mediation (Hayes 2015): moderated mediation is
supported when the index's bootstrap confidence interval excludes zero. In model 58 the indirect
effect is quadratic in W, so there is no single index; the difference between the conditional
indirect effects at W = M + 1 SD and M − 1 SD is tested instead (for a categorical W, each level
against the reference, which in models 7 and 14 equals that level's index).

The bootstrap resamples respondents (percentile intervals, 5000 resamples by default, seeded). It is
vectorised: with c the resample counts of the n rows, each resample's XᵀWX and XᵀWy are c·(xᵢxᵢᵀ)
and c·(xᵢyᵢ), so all resamples cost two matrix products per equation instead of a loop of fits. As
in PROCESS, centring and the conditioning values of W are those of the full sample.

In the SEM the same models are fitted with latent products (double-mean-centred matched-pair product
indicators, :func:`study.analyses.moderation.product_indicators`) and the conditional indirect effects
and the index are defined parameters (lavaan's ``:=``) at W = 0, ±√ψ_WW, with bootstrap intervals from
ML refits (:mod:`study.model.defined`), equal to lavaan's ``se = "bootstrap"`` within Monte Carlo error.

References
----------
Hayes, A. F. (2015). An index and test of linear moderated mediation. *Multivariate Behavioral
Research*, 50(1), 1-22. Hayes, A. F. (2022). *Introduction to Mediation, Moderation, and Conditional
Process Analysis* (3rd ed.). Guilford. Preacher, K. J., Rucker, D. D., & Hayes, A. F. (2007).
Addressing moderated mediation hypotheses. *Multivariate Behavioral Research*, 42(1), 185-227.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..model.defined import BootstrapDraws, bootstrap_defined, defined_parameters, percentile_summary
from ..model.estimate import FittedModel, fit_model
from .moderation import SD_POINTS, matched_pairs, measurement_lines, product_indicators
from .regression import RegressionFit, dummy_code, ols

__all__ = ["PROCESS_MODEL", "ModeratedMediationResult", "LatentModeratedMediation", "moderated_mediation",
           "latent_moderated_mediation"]

PROCESS_MODEL = {"first": 7, "second": 14, "both": 58}
CHUNK = 500  # resamples per vectorised chunk (and per progress report)


@dataclass(frozen=True)
class ModeratedMediationResult:
    """A moderated mediation model fitted by regression on scores, with bootstrap intervals.

    ``conditional``: per value of W (M − 1 SD, M, M + 1 SD, or per level), ``w`` (own metric; NaN for a
    level), ``effect, boot_se, ci_lower, ci_upper``. ``index``: the index of moderated mediation
    (models 7 and 14; one row per non-reference level for a categorical W) or, for model 58, the
    contrast of the conditional indirect effects (+1 SD vs −1 SD, or level vs reference), with
    ``est, boot_se, ci_lower, ci_upper``. ``direct``: X's direct effect c′ (not moderated in these
    models) with its t-test: ``effect, SE, t, p, ci_lower, ci_upper``.
    """

    x: str
    m: str
    y: str
    w: str
    stage: str
    process_model: int
    categorical: bool
    levels: tuple | None
    reference: object
    n: int
    n_excluded: int
    w_mean: float
    w_sd: float
    mediator_model: RegressionFit
    outcome_model: RegressionFit
    direct: dict
    conditional: pd.DataFrame
    index: pd.DataFrame
    index_kind: str  # "index" (models 7 and 14) or "contrast" (model 58)
    resamples: int
    failed: int  # resamples whose design was singular (e.g. a level absent), left out and counted
    seed: int
    level: float

    @property
    def significant(self) -> bool:
        """Some index (or contrast) has a bootstrap interval that excludes zero."""
        idx = self.index
        return bool(((idx["ci_lower"] > 0) | (idx["ci_upper"] < 0)).any())


def _counts(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """How often each of the n rows is drawn in each of ``size`` resamples of n rows with replacement."""
    draws = rng.integers(0, n, size=(size, n))
    offset = (draws + n * np.arange(size)[:, None]).ravel()
    return np.bincount(offset, minlength=size * n).reshape(size, n).astype(float)


def _boot_coefficients(design: np.ndarray, y: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """OLS coefficients of every resample (rows of ``counts``): solve (XᵀCX)b = XᵀCy; NaN where singular."""
    n, k = design.shape
    outer = (design[:, :, None] * design[:, None, :]).reshape(n, k * k)
    xtx = (counts @ outer).reshape(len(counts), k, k)
    xty = counts @ (design * y[:, None])
    out = np.full((len(counts), k), np.nan)
    # a resample can make the design singular (a level of W not drawn): only well-conditioned ones
    ok = np.linalg.cond(xtx) < 1e12
    if ok.any():
        out[ok] = np.linalg.solve(xtx[ok], xty[ok][..., None])[..., 0]
    return out


def moderated_mediation(data: pd.DataFrame, x: str, m: str, y: str, w: str, *, stage: str = "first",
                        controls: Sequence[str] = (), reference=None, levels: Sequence | None = None,
                        resamples: int = 5000, seed: int = 1, level: float = 0.95,
                        progress: Callable[[int, int], None] | None = None) -> ModeratedMediationResult:
    """Moderated mediation X → M → Y with W on the first, second or both stages (PROCESS 7, 14, 58).

    Parameters
    ----------
    data : DataFrame
        Numeric scores ``x, m, y``, the moderator ``w`` (numeric, or categories with ``reference``)
        and numeric ``controls``. Rows missing a used value are left out and counted.
    x, m, y, w : str
    stage : {"first", "second", "both"}
    controls : sequence of str
        Covariates of both M and Y.
    reference, levels : optional
        A categorical W: its reference level and all levels (k − 1 indicator codes and products).
    resamples : int
        Bootstrap resamples (5000 by default; Hayes 2022 recommends at least 5000); 0 for none (the
        intervals are then NaN).
    seed : int
        The same seed gives the same intervals.
    level : float
    progress : callable(done, total), optional

    Returns
    -------
    ModeratedMediationResult

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> s = pd.DataFrame({k: d.filter(regex=f"^{k}[0-9]").mean(axis=1) for k in ("qual", "sat", "loy", "expe")})
    >>> r = moderated_mediation(s, "qual", "sat", "loy", "expe", stage="second", resamples=1000, seed=1)
    >>> r.process_model, r.index_kind
    (14, 'index')
    """
    if stage not in PROCESS_MODEL:
        raise ValueError(f"moderated mediation {x} -> {m} -> {y}: stage must be first, second or both, not {stage!r}")
    names = [x, m, y, w]
    if len(set(names)) < 4:
        raise ValueError(f"moderated mediation {x} -> {m} -> {y} by {w}: X, M, Y and W must be four different "
                         "variables")
    if resamples != 0 and resamples < 1000:
        raise ValueError(f"moderated mediation {x} -> {m} -> {y}: {resamples} bootstrap resamples are too few for "
                         "a percentile interval; use at least 1000 (5000 recommended), or 0 for none")
    controls = list(controls)
    clash = [c for c in controls if c in names]
    if clash:
        raise ValueError(f"moderated mediation {x} -> {m} -> {y} by {w}: {', '.join(clash)} is both a control "
                         "and in the model")
    absent = [c for c in [*names, *controls] if c not in data.columns]
    if absent:
        raise ValueError(f"moderated mediation {x} -> {m} -> {y} by {w}: no column(s) "
                         f"{', '.join(map(repr, absent))} in the data")
    categorical = reference is not None
    for c in [x, m, y, *controls] + ([] if categorical else [w]):
        if not pd.api.types.is_numeric_dtype(data[c]) or pd.api.types.is_bool_dtype(data[c]):
            hint = " (a categorical moderator needs its reference level)" if c == w else ""
            raise ValueError(f"moderated mediation {x} -> {m} -> {y} by {w}: column {c!r} is not numeric{hint}")
    used = data[[*names, *controls]]
    complete = used.notna().all(axis=1)
    rows = used[complete]
    excluded = int((~complete).sum())
    first, second = stage in ("first", "both"), stage in ("second", "both")

    frame = pd.DataFrame(index=rows.index)
    for c in (x, m, y, *controls):
        frame[c] = rows[c].astype(float)
    if first:
        frame[x] = frame[x] - frame[x].mean()
    if categorical:
        dummies = dummy_code(rows[w], reference=reference, levels=levels, name=w)
        w_terms = list(dummies.columns)
        frame[w_terms] = dummies
        all_levels = list(levels) if levels is not None else sorted(rows[w].unique(), key=str)
        all_levels = [reference] + [lv for lv in all_levels if lv != reference]
        w_mean = w_sd = np.nan
        # each level: the weights of the dummy coefficients (one-hot; all 0 for the reference)
        points = [(str(lv), np.nan, np.array([1.0 if t == f"{w}[{lv}]" else 0.0 for t in w_terms]))
                  for lv in all_levels]
    else:
        w_mean, w_sd = float(rows[w].mean()), float(rows[w].std(ddof=1))
        frame[w] = rows[w].astype(float) - w_mean
        w_terms = [w]
        points = [(label, w_mean + k * w_sd, np.array([k * w_sd])) for label, k in SD_POINTS]
    xw = [f"{x}:{t}" for t in w_terms]
    mw = [f"{m}:{t}" for t in w_terms]
    if first:
        for p, t in zip(xw, w_terms):
            frame[p] = frame[x] * frame[t]
    # M is the outcome of the first equation as it is; as a predictor in a product it is centred
    frame_y = frame.copy()
    if second:
        frame_y[m] = frame[m] - frame[m].mean()
        for p, t in zip(mw, w_terms):
            frame_y[p] = frame_y[m] * frame_y[t]
    m_terms = [*controls, x] + ([*w_terms, *xw] if first else [])
    y_terms = [*controls, x, m] + ([*w_terms, *mw] if second else [])
    try:
        mediator_model = ols(frame, m, m_terms, level=level)
        outcome_model = ols(frame_y, y, y_terms, level=level)
    except ValueError as error:
        raise ValueError(f"moderated mediation {x} -> {m} -> {y} by {w}: {error}") from None

    def effects(cm: np.ndarray, cy: np.ndarray) -> dict[str, np.ndarray]:
        """Conditional indirect effects and index/contrasts from coefficient arrays (…, k)."""
        pos_m = {t: i + 1 for i, t in enumerate(m_terms)}  # column 0: intercept
        pos_y = {t: i + 1 for i, t in enumerate(y_terms)}
        a1 = cm[..., pos_m[x]]
        b1 = cy[..., pos_y[m]]
        a3 = np.stack([cm[..., pos_m[p]] for p in xw], axis=-1) if first else None
        b3 = np.stack([cy[..., pos_y[p]] for p in mw], axis=-1) if second else None
        out = {}
        for label, _, weights in points:
            a = a1 + (a3 @ weights if first else 0.0)
            b = b1 + (b3 @ weights if second else 0.0)
            out[label] = a * b
        if categorical:
            ref = out[str(all_levels[0])]
            for lv in all_levels[1:]:
                out[f"{w}[{lv}]"] = out[str(lv)] - ref
        elif stage == "first":
            out["index"] = a3[..., 0] * b1
        elif stage == "second":
            out["index"] = a1 * b3[..., 0]
        else:
            out["contrast"] = out["M+1SD"] - out["M-1SD"]
        return out

    full = effects(mediator_model.coefficients["B"].to_numpy(), outcome_model.coefficients["B"].to_numpy())
    design_m = np.column_stack([np.ones(len(frame)), frame[m_terms].to_numpy()])
    design_y = np.column_stack([np.ones(len(frame)), frame_y[y_terms].to_numpy()])
    ym, yy = frame[m].to_numpy(), frame[y].to_numpy()
    rng = np.random.default_rng(seed)
    draws: dict[str, list[np.ndarray]] = {k: [] for k in full}
    done = 0
    while done < resamples:
        size = min(CHUNK, resamples - done)
        counts = _counts(rng, size, len(frame))
        cm = _boot_coefficients(design_m, ym, counts)
        cy = _boot_coefficients(design_y, yy, counts)
        for k, v in effects(cm, cy).items():
            draws[k].append(v)
        done += size
        if progress:
            progress(done, resamples)
    boot = {k: np.concatenate(v) if v else np.empty(0) for k, v in draws.items()}
    failed = int(np.isnan(boot[next(iter(boot))]).sum())
    summary = percentile_summary({k: float(v) for k, v in full.items()}, boot, level=level)

    labels = [p[0] for p in points]
    conditional = summary.loc[labels, ["est", "boot_se", "ci_lower", "ci_upper"]].rename(columns={"est": "effect"})
    conditional.insert(0, "w", [p[1] for p in points])
    conditional.index.name = "label"
    index_rows = [k for k in full if k not in labels]
    index = summary.loc[index_rows, ["est", "boot_se", "ci_lower", "ci_upper"]]
    coef = outcome_model.coefficients.loc[x]
    direct = {"effect": float(coef["B"]), "SE": float(coef["SE"]), "t": float(coef["t"]), "p": float(coef["p"]),
              "ci_lower": float(coef["ci_lower"]), "ci_upper": float(coef["ci_upper"])}
    index_kind = "contrast" if stage == "both" else "index"
    return ModeratedMediationResult(
        x=x, m=m, y=y, w=w, stage=stage, process_model=PROCESS_MODEL[stage], categorical=categorical,
        levels=tuple(all_levels) if categorical else None, reference=reference, n=len(frame), n_excluded=excluded,
        w_mean=w_mean, w_sd=w_sd, mediator_model=mediator_model, outcome_model=outcome_model, direct=direct,
        conditional=conditional, index=index, index_kind=index_kind, resamples=resamples, failed=failed,
        seed=seed, level=level)


# --------------------------------------------------------------------------------------------------
# The same models in the SEM
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LatentModeratedMediation:
    """Moderated mediation among latent constructs (product-indicator latent interactions).

    ``delta``: the defined parameters with delta-method standard errors; ``bootstrap``: the same with
    percentile bootstrap intervals (``est, boot_se, ci_lower, ci_upper, bc_lower, bc_upper, resamples``).
    Names: ``ind_low``, ``ind_mid``, ``ind_high`` (W at −1 SD, 0, +1 SD of the latent W) and ``index``
    (models 7, 14) or ``contrast`` (58: ind_high − ind_low).
    """

    x: str
    m: str
    y: str
    w: str
    stage: str
    syntax: str
    labels: dict
    definitions: dict
    fitted: FittedModel
    delta: pd.DataFrame
    bootstrap: pd.DataFrame | None
    draws: BootstrapDraws | None


def latent_moderated_mediation(data: pd.DataFrame, constructs: Mapping[str, Sequence[str]], x: str, m: str,
                               y: str, w: str, *, stage: str = "first",
                               pairs: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                               resamples: int = 5000, seed: int = 1, level: float = 0.95,
                               workers: int | None = None,
                               progress: Callable[[int, int], None] | None = None,
                               second_order: Mapping[str, Sequence[str]] | None = None) -> LatentModeratedMediation:
    """PROCESS models 7, 14 and 58 among latent constructs, fitted by ML, with bootstrap intervals.

    Parameters
    ----------
    data : DataFrame
        Complete item responses.
    constructs : mapping construct -> items (X, M, Y, W)
    x, m, y, w : str
    stage : {"first", "second", "both"}
    pairs : mapping, optional
        ``{"XW": [(x item, w item), …], "MW": […]}``; default :func:`matched_pairs` in item order.
    resamples : int
        0 for delta-method standard errors only. No bootstrap is run when the solution is improper.
    seed, level, workers, progress
        As in :func:`study.model.defined.bootstrap_defined`.
    second_order : mapping construct -> dimensions, optional
        Constructs measured by dimensions (their items in ``constructs``); allowed for those that
        form no product (X in model 14, Y always).

    Returns
    -------
    LatentModeratedMediation

    Notes
    -----
    Syntax, model 7: ``XW =~ x1.w1 + …``; ``M ~ a1*X + a2*W + a3*XW``; ``Y ~ b*M + c*X``; the exogenous
    factors correlate. Model 14: ``MW =~ m1.w1 + …``; ``M ~ a*X``; ``Y ~ b1*M + b2*W + b3*MW + c*X``.
    Model 58: both products. With ψ_W the variance of W, ``ind_high := (a1 + a3*sqrt(ψ_W))*b`` etc.
    The latent MW of an endogenous M is treated as an exogenous factor, as in the product-indicator
    literature (Sardeshmukh & Vandenberg 2017 discuss the approximation).
    """
    if stage not in PROCESS_MODEL:
        raise ValueError(f"latent moderated mediation: stage must be first, second or both, not {stage!r}")
    first, second = stage in ("first", "both"), stage in ("second", "both")
    in_products = [w] + ([x] if first else []) + ([m] if second else [])
    if any(c in (second_order or {}) for c in in_products):
        raise ValueError("latent moderated mediation: " + ", ".join(c for c in in_products if c in (second_order or {}))
                         + " forms a product and needs items of its own, not dimensions")
    pairs = dict(pairs or {})
    frames = [data]
    lines, loadings = measurement_lines(constructs, (x, m, y, w), second_order)
    exogenous = [x, w]
    for flag, left, name in ((first, x, f"{x}{w}"), (second, m, f"{m}{w}")):
        if not flag:
            continue
        key = "XW" if left == x else "MW"
        chosen = pairs.get(key) or matched_pairs(constructs[left], constructs[w])
        products = product_indicators(data, chosen)
        frames.append(products)
        lines.append(f"{name} =~ " + " + ".join(products.columns))
        exogenous.append(name)
    xw, mw = f"{x}{w}", f"{m}{w}"
    lines.append(f"{m} ~ " + " + ".join([x] + ([w, xw] if first else [])))
    lines.append(f"{y} ~ " + " + ".join([m, x] + ([w, mw] if second else [])))
    lines += [f"{a} ~~ {b}" for i, a in enumerate(exogenous) for b in exogenous[i + 1:]]
    syntax = "\n".join(lines)
    full = pd.concat(frames, axis=1)
    fitted = fit_model(syntax, full, measurement_pairs=loadings)
    labels = {"a1": (m, "~", x), "b1": (y, "~", m), "vw": (w, "~~", w)}
    if first:
        labels["a3"] = (m, "~", xw)
    if second:
        labels["b3"] = (y, "~", mw)
    a = lambda k: f"(a1 + a3*{k})" if first else "a1"  # noqa: E731
    b = lambda k: f"(b1 + b3*{k})" if second else "b1"  # noqa: E731
    definitions = {"ind_low": f"{a('(-sqrt(vw))')}*{b('(-sqrt(vw))')}", "ind_mid": "a1*b1",
                   "ind_high": f"{a('sqrt(vw)')}*{b('sqrt(vw)')}"}
    if stage == "first":
        definitions["index"] = "a3*b1"
    elif stage == "second":
        definitions["index"] = "a1*b3"
    else:
        definitions["contrast"] = f"{definitions['ind_high']} - {definitions['ind_low']}"
    delta = defined_parameters(fitted, labels, definitions, level=level)
    boot = draws = None
    if resamples and fitted.proper:  # an improper solution is not a finding: no intervals for it
        observed = fitted.structure.observed
        boot, draws = bootstrap_defined(fitted, full[observed].to_numpy(dtype=float), labels, definitions,
                                        resamples=resamples, seed=seed, level=level, workers=workers,
                                        progress=progress)
    return LatentModeratedMediation(x=x, m=m, y=y, w=w, stage=stage, syntax=syntax, labels=labels,
                                    definitions=definitions, fitted=fitted, delta=delta, bootstrap=boot, draws=draws)
