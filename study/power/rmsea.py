"""Power of the RMSEA tests of model fit, and the sample size they need (MacCallum, Browne & Sugawara 1996).

Under a population RMSEA ε, the ML test statistic T = (n − 1)·F̂ of a model with df degrees of freedom
follows approximately a noncentral χ²(df, λ) with

    λ = (n − 1) · df · ε² / G        (G groups; semTools' convention)

A test of H0: ε = ε0 against the alternative ε = εa rejects when T passes the critical value of χ²(df, λ0):

    ε0 < εa (e.g. the test of close fit, ε0 = .05 against εa = .08):
        c = the (1 − α) quantile of χ²(df, λ0),   power = P(χ²(df, λa) > c)
    ε0 > εa (the test of not-close fit, ε0 = .05 against εa = .01):
        c = the α quantile of χ²(df, λ0),         power = P(χ²(df, λa) < c)

These are semTools' ``findRMSEApower`` and ``findRMSEAsamplesize`` (0.5-6), whose numbers the tests
compare with (tests/reference/make_power_reference.R).

References
----------
MacCallum, R. C., Browne, M. W., & Sugawara, H. M. (1996). Power analysis and determination of sample
size for covariance structure modeling. Psychological Methods, 1(2), 130–149.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: The three tests MacCallum et al. (1996) describe: (name, ε0, εa).
STANDARD_TESTS = (("close", 0.05, 0.08), ("not_close", 0.05, 0.01), ("exact", 0.0, 0.05))


def _check(rmsea0: float, rmsea_a: float, df, alpha: float, groups: int) -> None:
    if rmsea0 < 0 or rmsea_a < 0:
        raise ValueError(f"RMSEA values must not be negative (got rmsea0={rmsea0}, rmsea_a={rmsea_a})")
    if rmsea0 == rmsea_a:
        raise ValueError(f"rmsea0 and rmsea_a are both {rmsea0}: the test needs two different values")
    if np.any(np.asarray(df) < 1):
        raise ValueError(f"df must be at least 1 (got {df}): a saturated model has no RMSEA test")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1 (got {alpha})")
    if groups < 1:
        raise ValueError(f"groups must be at least 1 (got {groups})")


def _chi2(df, nc):
    # scipy's noncentral χ² with λ = 0 is the central one; use that exactly
    return stats.chi2(df) if np.all(nc == 0) else stats.ncx2(df, nc)


def rmsea_power(rmsea0: float, rmsea_a: float, df: int, n, *, alpha: float = 0.05, groups: int = 1):
    """Power of the test of H0: RMSEA = ``rmsea0`` when the population RMSEA is ``rmsea_a``.

    Parameters
    ----------
    rmsea0 : float
        RMSEA under the null hypothesis (.05 for the tests of close and not-close fit, 0 for exact fit).
    rmsea_a : float
        RMSEA under the alternative (.08 for close fit, .01 for not-close fit, .05 for exact fit).
    df : int
        The model's degrees of freedom.
    n : int or array of int
        Sample size (total over the groups).
    alpha : float
        Significance level.
    groups : int
        Number of groups (semTools' ``group``: λ is divided by it).

    Returns
    -------
    float or ndarray
        Power, the probability of rejecting H0 (semTools ``findRMSEApower``).

    Notes
    -----
    λ = (n − 1)·df·ε²/G; for ε0 < εa power = P(χ²(df, λa) > χ²_{1−α}(df, λ0)), for ε0 > εa
    power = P(χ²(df, λa) < χ²_α(df, λ0)) (MacCallum, Browne & Sugawara 1996, eq. 8–10).

    Examples
    --------
    >>> round(float(rmsea_power(0.05, 0.08, 20, 200)), 4)
    0.4223
    """
    _check(rmsea0, rmsea_a, df, alpha, groups)
    n = np.asarray(n, dtype=float)
    if np.any(n < 2):
        raise ValueError("n must be at least 2")
    nc0 = (n - 1) * df * rmsea0**2 / groups
    nca = (n - 1) * df * rmsea_a**2 / groups
    if rmsea0 < rmsea_a:
        critical = _chi2(df, nc0).isf(alpha)
        power = _chi2(df, nca).sf(critical)
    else:
        critical = _chi2(df, nc0).isf(1 - alpha)
        power = _chi2(df, nca).cdf(critical)
    return float(power) if np.ndim(power) == 0 else np.asarray(power)


def rmsea_sample_size(rmsea0: float, rmsea_a: float, df: int, *, power: float = 0.80, alpha: float = 0.05,
                      groups: int = 1, max_n: int = 1_000_000) -> float:
    """The smallest sample size whose power exceeds ``power`` (semTools ``findRMSEAsamplesize``).

    Parameters
    ----------
    rmsea0, rmsea_a, df, alpha, groups
        As :func:`rmsea_power`.
    power : float
        Target power (0.80 by convention, Cohen 1988).
    max_n : int
        Give up beyond this many respondents (a ValueError says so).

    Returns
    -------
    int or float
        The first total n from 5 upwards with power > ``power``, divided by ``groups`` as semTools does
        (so a float with several groups). semTools answers "Sample Size <= 5" when n = 5 already has the
        power; this function returns 5 then.

    Examples
    --------
    >>> rmsea_sample_size(0.05, 0.08, 20)
    458
    """
    _check(rmsea0, rmsea_a, df, alpha, groups)
    if not 0 < power < 1:
        raise ValueError(f"power must lie between 0 and 1 (got {power})")
    # semTools scans n = 5, 6, … in steps of 500; the power rises with n, so a bisection finds the
    # same first n with power > target
    low, high = 5, 500
    if rmsea_power(rmsea0, rmsea_a, df, low, alpha=alpha, groups=groups) > power:
        return 5 if groups == 1 else 5 / groups
    while rmsea_power(rmsea0, rmsea_a, df, high, alpha=alpha, groups=groups) <= power:
        low, high = high, high * 2
        if high > max_n:
            raise ValueError(f"even {max_n} respondents do not give a power of {power} for RMSEA {rmsea0} "
                             f"against {rmsea_a} with df = {df}")
    while high - low > 1:  # invariant: power(low) <= target < power(high)
        mid = (low + high) // 2
        if rmsea_power(rmsea0, rmsea_a, df, mid, alpha=alpha, groups=groups) > power:
            high = mid
        else:
            low = mid
    return high if groups == 1 else high / groups


@dataclass(frozen=True)
class RmseaPlan:
    """The three RMSEA tests for a model: their power at the planned n and the n each needs."""

    df: int
    n: int | None
    alpha: float
    target: float
    table: pd.DataFrame  # test, rmsea0, rmsea_a, power (at n), n_required


def rmsea_plan(df: int, n: int | None = None, *, alpha: float = 0.05, power: float = 0.80,
               groups: int = 1) -> RmseaPlan:
    """Power at ``n`` and required sample size of the tests of close, not-close and exact fit.

    Parameters
    ----------
    df : int
        The model's degrees of freedom.
    n : int, optional
        The planned sample size (power is NaN without it).
    alpha, power, groups
        As :func:`rmsea_power` and :func:`rmsea_sample_size`.

    Returns
    -------
    RmseaPlan

    Examples
    --------
    >>> plan = rmsea_plan(df=20, n=200)
    >>> plan.table.set_index("test").loc["close", "n_required"]
    458
    """
    rows = []
    for name, e0, ea in STANDARD_TESTS:
        rows.append({"test": name, "rmsea0": e0, "rmsea_a": ea,
                     "power": rmsea_power(e0, ea, df, n, alpha=alpha, groups=groups) if n else np.nan,
                     "n_required": rmsea_sample_size(e0, ea, df, power=power, alpha=alpha, groups=groups)})
    return RmseaPlan(df=int(df), n=n, alpha=alpha, target=power, table=pd.DataFrame(rows))
