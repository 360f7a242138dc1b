"""Nested models: whether one model is nested in another, and the χ² difference test between them.

Two models fitted to the same data can be compared by the χ² difference test only when one is nested
in the other: every covariance matrix the restricted model can produce, the free model can produce
too. Adding or removing a path gives a nested pair by construction; other alternatives (a one-factor
model, first-order dimensions instead of a second-order construct) may or may not be nested, and a
Δχ² between non-nested models has no χ² distribution. Nesting is checked numerically by the NET
procedure of Bentler & Satorra (2010), as semTools' ``net()`` does: fit the free model to the
covariance matrix implied by the restricted one; the restricted model is nested if the free model
reproduces it exactly (χ² below 1e-4).

References
----------
Bentler, P. M., & Satorra, A. (2010). Testing model nesting and equivalence. *Psychological Methods*,
15(2), 111–123.
Satorra, A., & Bentler, P. M. (2001). A scaled difference chi-square test statistic for moment structure
analysis. *Psychometrika*, 66(4), 507–514.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import semopy
from scipy import stats

from .estimate import (PSI, THETA, FittedModel, Structure, fisher_scoring, implied_covariance, ml_discrepancy,
                       semopy_start, simple_start)
from .robust import scaled_difference_test

NET_CRITERION = 1e-4  # semTools' net(): chi-square below which the free model reproduces the restricted one


class NotNestedError(ValueError):
    """A χ² difference test asked for two models of which neither is nested in the other."""


@dataclass(frozen=True)
class NetCheck:
    """The NET check of a restricted model against a free one (:func:`net_check`)."""

    nested: bool | None  # None: the free model's fit to the restricted Σ did not converge
    chisq: float  # χ² of the free model fitted to the restricted model's implied covariance matrix
    at_boundary: bool  # reproduced only with a variance at 0 (or below) or a correlation of ±1


def _net_fit(syntax: str, cov: pd.DataFrame, n: int, rows: pd.DataFrame):
    """The free model ``syntax`` fitted to a given covariance matrix (lavaan's ``sample.cov``): ((χ² = n·F_ML,
    converged, structure, estimate), S). ``rows`` are raw responses, used only for semopy's starting values.

    The fit starts from lavaan-like simple values (:func:`~study.model.estimate.simple_start`) and, unless
    that reproduces the matrix, also from semopy's start; the smaller χ² counts. A restricted model is often
    nested at the edge of the free model's parameter space (disturbance variances of 0, correlations of 1),
    where the free model is not identified: Fisher scoring from one start can then creep towards χ² = 0 for
    hundreds of steps while from another it gets there in twenty (so lavaan, and so semTools' ``net()``,
    finds the one-factor model nested in the default study's model). A fit that reaches χ² below a
    hundredth of the NET criterion stops there: nested is then certain.
    """
    observed = semopy.Model(syntax).vars["observed"]
    given = cov.loc[observed, observed].to_numpy(dtype=float)
    structure, s, _ = semopy_start(syntax, given, None, start="none")
    logdet_s = np.linalg.slogdet(s)[1]
    floor = NET_CRITERION / 100 / n
    best = (np.inf, False, structure, None)
    for start in (lambda: simple_start(structure, s), lambda: semopy_start(syntax, given, rows[observed])[2]):
        theta0 = start()  # semopy's solution (70 ms) only when the simple start did not reproduce the matrix
        theta, converged, _ = fisher_scoring(structure, s, theta0, max_iter=500, f_floor=floor)
        f_end = ml_discrepancy(implied_covariance(structure, theta), s, logdet_s)
        f_start = ml_discrepancy(implied_covariance(structure, theta0), s, logdet_s)
        chisq = float(max(n * min(f_end, f_start), 0.0))
        if chisq < best[0]:
            best = (chisq, bool(converged or chisq < NET_CRITERION), structure, theta if f_end <= f_start else theta0)
        if best[0] < NET_CRITERION:
            break
    return best, s


def _at_boundary(structure: Structure, theta: np.ndarray, s: np.ndarray) -> bool:
    """Whether an estimate has a (residual) variance at or below 0 or a correlation of ±1 (to 1e-3 of the
    typical observed variance, and of 1)."""
    small = 1e-3 * float(np.median(np.diag(s)))
    _, _, psi, th = structure.matrices(theta)
    for which, row, col, _ in structure.locations:
        if which not in (PSI, THETA):
            continue
        m = psi if which == PSI else th
        if row == col:
            if m[row, row] <= small:
                return True
        elif m[row, row] > small and m[col, col] > small:
            if abs(m[row, col]) / np.sqrt(m[row, row] * m[col, col]) >= 1 - 1e-3:
                return True
    return False


def net_check(restricted: FittedModel, free_syntax: str, rows: pd.DataFrame) -> NetCheck:
    """Bentler & Satorra's NET with the χ² of the fit and whether the nesting is at the edge of the free
    model's parameter space; arguments as :func:`is_nested`.

    Where the free model reproduces the restricted one only with a variance of 0 or a correlation of ±1
    (the one-factor model in a model of several factors), the two are nested, but the χ² difference does
    not follow its χ² distribution exactly: its p-value is conservative (Stoel, Garre, Dolan & van den
    Wittenboer, 2006, Psychological Methods, 11, 439–455).
    """
    observed = restricted.structure.observed
    free_observed = semopy.Model(free_syntax).vars["observed"]
    if sorted(observed) != sorted(free_observed):
        raise NotNestedError("the two models do not have the same observed variables, so they are not nested")
    cov = pd.DataFrame(restricted.sigma, index=observed, columns=observed)
    (chisq, converged, structure, theta), s = _net_fit(free_syntax, cov, restricted.n, rows)
    if not converged:
        return NetCheck(nested=None, chisq=chisq, at_boundary=False)
    nested = bool(chisq < NET_CRITERION)
    return NetCheck(nested=nested, chisq=chisq, at_boundary=nested and _at_boundary(structure, theta, s))


def is_nested(restricted: FittedModel, free_syntax: str, rows: pd.DataFrame) -> bool | None:
    """Whether ``restricted`` is nested in the model ``free_syntax`` (Bentler & Satorra's NET).

    Parameters
    ----------
    restricted : FittedModel
        The model with more degrees of freedom, fitted to the data.
    free_syntax : str
        The model with fewer degrees of freedom (lavaan syntax), on the same observed variables.
    rows : DataFrame
        The analysed responses (for starting values only).

    Returns
    -------
    bool or None
        True if the free model reproduces the restricted model's implied covariance matrix
        (χ² < 1e-4, semTools' ``net()`` criterion); None if that fit did not converge.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.model.estimate import fit_model
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> cfa = "SAT =~ sat1 + sat2 + sat3 + sat4\\nLOY =~ loy1 + loy2 + loy3 + loy4"
    >>> one = fit_model("G =~ sat1 + sat2 + sat3 + sat4 + loy1 + loy2 + loy3 + loy4", d)
    >>> is_nested(one, cfa, d)
    True
    """
    return net_check(restricted, free_syntax, rows).nested


def chisq_difference(restricted: dict, free: dict, estimator: str = "ML") -> dict:
    """The χ² difference test of two nested models, as lavaan's ``lavTestLRT`` (``anova``).

    Parameters
    ----------
    restricted, free : dict
        Fit measures of the nested (more restricted) model and of the less restricted one
        (``chisq``, ``df``; with MLM/MLR also ``chisq.scaling.factor``).
    estimator : {"ML", "MLM", "MLR"}

    Returns
    -------
    dict
        ``chisq_diff, df_diff, pvalue, method`` and, for MLM/MLR, ``scaling_factor`` and
        ``chisq_diff_unscaled``.

    Notes
    -----
    ML: ΔT = T₀ − T₁ on Δdf = df₀ − df₁ degrees of freedom. MLM/MLR: the Satorra–Bentler (2001) scaled
    difference T̄_d = (T₀ − T₁)/ĉ_d, ĉ_d = (df₀ĉ₀ − df₁ĉ₁)/(df₀ − df₁)
    (:func:`study.model.robust.scaled_difference_test`), lavaan 0.6's default for both.
    """
    diff, ddf = restricted["chisq"] - free["chisq"], restricted["df"] - free["df"]
    if ddf <= 0:
        raise NotNestedError(f"the restricted model must have more degrees of freedom than the free one "
                             f"({restricted['df']:g} vs {free['df']:g})")
    if str(estimator).upper() == "ML":
        return {"chisq_diff": float(diff), "df_diff": float(ddf), "pvalue": float(stats.chi2.sf(diff, ddf)),
                "method": "standard"}
    scaled = scaled_difference_test(restricted, free)
    return {"chisq_diff": scaled["chisq_diff"], "df_diff": scaled["df_diff"], "pvalue": scaled["pvalue"],
            "method": "satorra.bentler.2001", "scaling_factor": scaled["scaling_factor"],
            "chisq_diff_unscaled": float(diff)}
