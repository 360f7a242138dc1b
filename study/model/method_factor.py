"""Common-method bias: the unmeasured latent method construct (ULMC) of Podsakoff et al. (2003).

The first-order CFA ("trait model") is compared with the same CFA plus a METHOD factor on which every
item loads, orthogonal to all trait factors ("method model"). On survey data a method factor with
free loadings identified by a marker item is often empirically unidentified (it competes with the
trait factor of its marker's construct), so the variant used in practice is the default here: the
method factor has variance 1 and all its loadings are constrained equal (one parameter λ_M). In
lavaan syntax, for items x1 … xp of traits F1 … Fk::

    METHOD =~ NA*x1 + m*x1 + m*x2 + … + m*xp      # NA* frees the first loading, m makes them equal
    METHOD ~~ 1*METHOD
    METHOD ~~ 0*F1 + 0*F2 + … + 0*Fk

semopy parses such labels, but its own optimiser (which :func:`study.model.estimate.fit_model` uses
for starting values) had not returned after a minute on the bank data with this model, so both models'
:class:`~study.model.estimate.Structure` are built here directly and fitted by the project's Fisher
scoring (:func:`~study.model.estimate.fisher_scoring`), the method model from the trait model's
solution; standard errors, the standardized solution and the improper-solution diagnostics are
computed by the same code as for :func:`~study.model.estimate.fit_model`.

Reference values: tests/reference/make_method_factor_reference.R (lavaan 0.6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from ..messages import Message
from ..threads import one_blas_thread
from .estimate import (LAMBDA, PSI, THETA, FittedModel, Structure, _diagnose, _estimates_table,
                       _information, fisher_scoring, implied_covariance, ml_discrepancy,
                       sigma_derivatives)
from .fit_indices import fit_measures

METHOD = "METHOD"
# Williams, Cote & Buckley (1989) and Cote & Buckley (1987) found method variance of about 25 % of
# item variance on average in published self-report studies. An average, not a cut-off: the report
# quotes it for comparison only.
AVERAGE_METHOD_SHARE = 0.25
# The method factor's standardized loading is the correlation of an item with the method factor: below
# 0.10 on average (root mean square) it is less than a small correlation (Cohen 1988), i.e. the method
# factor explains under 1 % of item variance, too little to matter even when the Δχ² test is significant.
TRIVIAL_METHOD_LOADING = 0.10
_VANISHING = 1e-6  # average squared standardized method loading below this: the method factor is absent


# ----------------------------------------------------------------------------------------- syntax

def trait_syntax(constructs: Mapping[str, list[str]]) -> str:
    """The first-order CFA in lavaan syntax: marker-identified factors, all correlated."""
    codes = list(constructs)
    lines = [f"{c} =~ " + " + ".join(items) for c, items in constructs.items()]
    lines += [f"{a} ~~ {b}" for i, a in enumerate(codes) for b in codes[i + 1:]]
    return "\n".join(lines)


def method_syntax(constructs: Mapping[str, list[str]], loadings: Literal["equal", "free"] = "equal") -> str:
    """The CFA plus the orthogonal METHOD factor (variance 1), in lavaan syntax.

    Examples
    --------
    >>> print(method_syntax({"A": ["a1", "a2"], "B": ["b1", "b2"]}))
    A =~ a1 + a2
    B =~ b1 + b2
    A ~~ B
    METHOD =~ NA*a1 + m*a1 + m*a2 + m*b1 + m*b2
    METHOD ~~ 1*METHOD
    METHOD ~~ 0*A + 0*B
    """
    items = [i for its in constructs.values() for i in its]
    terms = [f"NA*{items[0]}"] + ([f"m*{i}" for i in items] if loadings == "equal" else items[1:])
    return "\n".join([trait_syntax(constructs), f"{METHOD} =~ " + " + ".join(terms), f"{METHOD} ~~ 1*{METHOD}",
                      f"{METHOD} ~~ " + " + ".join(f"0*{c}" for c in constructs)])


# ----------------------------------------------------------------------------------------- results

# Two fits stop within 1e-9 of their optima (the gradient rule), so the χ² of a model and of its extension
# that adds nothing (a method loading at 0) differ by 1e-12 or so, not by exactly 0. A difference below this
# is no difference: the boundary mixture's p jumps from ½ to 1 at Δχ² = 0.
CHISQ_NOISE = 1e-6


@dataclass(frozen=True)
class ModelFit:
    """Global fit of one model, lavaan's names (``fitMeasures``)."""

    chisq: float
    df: float
    pvalue: float
    cfi: float
    tli: float
    rmsea: float
    srmr: float

    @classmethod
    def of(cls, fitted: FittedModel) -> "ModelFit":
        m = fit_measures(fitted)
        return cls(**{k: m[k] for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")})


@dataclass(frozen=True)
class ItemMethodEffect:
    """One item in the trait model and in the method model (standardized values are std.all)."""

    item: str
    construct: str
    method_loading: float  # unstandardized λ_M (METHOD variance 1)
    method_std: float  # standardized method loading
    method_variance: float  # method_std²: share of the item's variance due to the method factor
    trait_std: float  # standardized trait loading in the trait-only CFA
    trait_std_with_method: float  # ... and in the model with the method factor
    trait_variance: float  # trait_std_with_method²: substantive share of the item's variance

    @property
    def trait_change(self) -> float:
        """Change of the standardized trait loading when the method factor is added."""
        return self.trait_std_with_method - self.trait_std


@dataclass(frozen=True)
class MethodFactorResult:
    """The ULMC check: trait-only CFA versus CFA plus an orthogonal method factor."""

    loadings: str  # "equal" (default, one λ_M) or "free"
    trait_fit: ModelFit
    method_fit: ModelFit
    chisq_diff: float  # Δχ² = χ²(trait) − χ²(method), lavTestLRT
    df_diff: float
    pvalue_diff: float  # against χ²(Δdf), as lavTestLRT
    # Against the mixture ½χ²₀ + ½χ²₁ (Self & Liang 1987; Stoel et al. 2006) with equal loadings: "no method
    # factor" puts λ_M² on the boundary (0) of its range, where the χ²(1) reference does not hold; nan with
    # free loadings (the reference is then a mixture of higher order).
    pvalue_boundary: float
    cfi_diff: float  # CFI(method) − CFI(trait)
    method_loading: float  # the common λ_M (nan with free loadings)
    method_loading_se: float  # nan when λ_M is 0 (then it has no standard error)
    items: tuple[ItemMethodEffect, ...]
    method_variance: float  # average method_std² over items
    substantive_variance: float  # average trait_std_with_method² over items
    present: bool  # common-method variance present at a non-trivial level (see method_factor_comparison); False if improper
    verdict: Message
    converged: bool  # both models converged
    proper: bool  # both models converged with no improper-solution diagnostics
    problems: tuple[str, ...]  # the diagnostics of both models, prefixed by the model
    trait_model: FittedModel = field(repr=False, compare=False)
    method_model: FittedModel = field(repr=False, compare=False)

    @property
    def serious(self) -> bool:
        """Former name of :attr:`present`."""
        return self.present

    @property
    def at_boundary(self) -> bool:
        """The method loading is estimated at 0: the method factor explains no item variance."""
        return self.method_variance < _VANISHING

    @property
    def ratio(self) -> float:
        """Substantive to method variance."""
        return self.substantive_variance / self.method_variance if self.method_variance > 0 else math.inf

    def table(self) -> pd.DataFrame:
        """One row per item: method and trait loadings, their squares and the change of the trait loading."""
        rows = [{**{k: getattr(e, k) for k in e.__dataclass_fields__}, "trait_change": e.trait_change}
                for e in self.items]
        return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------- fitting

def _structure(constructs: Mapping[str, list[str]], loadings: str | None) -> Structure:
    """Λ, Ψ, Θ of the trait model (``loadings=None``) or of the method model ("equal" or "free").

    Latent order: the traits, then METHOD. Trait factors are identified by their first item (marker);
    METHOD has variance 1 and covariance 0 with every trait.
    """
    codes = list(constructs)
    items = [i for its in constructs.values() for i in its]
    p, k = len(items), len(codes) + (loadings is not None)
    lam, psi, th = np.zeros((p, k)), np.zeros((k, k)), np.zeros((p, p))
    rows: list[tuple[int, int, int, int]] = []
    count = iter(range(10 ** 9))

    def free(which, r, c):
        rows.append((which, r, c, next(count)))

    row = 0
    for j, c in enumerate(codes):
        for n_item, _ in enumerate(constructs[c]):
            if n_item == 0:
                lam[row, j] = 1.0  # marker
            else:
                free(LAMBDA, row, j)
            row += 1
    for i in range(len(codes)):  # trait variances and covariances
        for j in range(i + 1):
            free(PSI, i, j)
    for i in range(p):
        free(THETA, i, i)
    if loadings == "equal":
        m = next(count)
        rows += [(LAMBDA, i, k - 1, m) for i in range(p)]
    elif loadings == "free":
        for i in range(p):
            free(LAMBDA, i, k - 1)
    if loadings is not None:
        psi[-1, -1] = 1.0  # METHOD variance; its covariances with the traits stay 0
    latent = codes + ([METHOD] if loadings is not None else [])
    locations = np.array(rows, dtype=int)
    return Structure(observed=items, latent=latent, locations=locations,
                     fixed=(np.zeros((k, k)), lam, psi, th), n_params=int(locations[:, 3].max()) + 1)


def _trait_start(structure: Structure, constructs: Mapping[str, list[str]], s: np.ndarray) -> np.ndarray:
    """Starting values of the trait model: each construct's first principal axis of its items'
    covariances, scaled to its marker; factor covariances from the items' covariances."""
    items = structure.observed
    lam = np.zeros((len(items), len(constructs)))
    unique = np.diag(s).copy()
    for j, its in enumerate(constructs.values()):
        at = [items.index(i) for i in its]
        block = s[np.ix_(at, at)]
        values, vectors = np.linalg.eigh(block)
        v = vectors[:, -1] * np.sqrt(values[-1])
        v = v if v.sum() >= 0 else -v
        if abs(v[0]) < 1e-3 * np.abs(v).max():  # a marker unrelated to its construct: start from its covariances
            v[0] = 1e-3 * np.abs(v).max()
        lam[at, j] = v / v[0]
        unique[at] = np.maximum(np.diag(block) - v ** 2, 0.1 * np.diag(block))
    # Ψ by least squares on the off-diagonal: S − Θ ≈ Λ Ψ Λᵀ
    pinv = np.linalg.pinv(lam)
    psi = pinv @ (s - np.diag(unique)) @ pinv.T
    theta = np.zeros(structure.n_params)
    for which, r, c, k in structure.locations:
        theta[k] = lam[r, c] if which == LAMBDA else psi[r, c] if which == PSI else unique[r]
    return theta


def _start(structure: Structure, trait: FittedModel, s: np.ndarray, share: float) -> np.ndarray:
    """The method model started from the trait model's solution (matched by name), with method
    loadings taking ``share`` of each item's variance out of its residual variance."""
    beta, lam, psi, th = trait.matrices()
    obs, lat = trait.structure.observed, trait.structure.latent
    theta = np.zeros(structure.n_params)
    for which, r, c, k in structure.locations:
        if which == LAMBDA and structure.latent[c] == METHOD:
            theta[k] = np.sqrt(share * s[r, r])
        elif which == LAMBDA:
            theta[k] = lam[obs.index(structure.observed[r]), lat.index(structure.latent[c])]
        elif which == PSI:
            theta[k] = psi[lat.index(structure.latent[r]), lat.index(structure.latent[c])]
    for which, r, c, k in structure.locations:
        if which == THETA:
            i = obs.index(structure.observed[r])
            theta[k] = max(th[i, i] - share * s[r, r], 0.05 * s[r, r]) if share > 0 else th[i, i]
    return theta


def _method_parameters(structure: Structure) -> np.ndarray:
    if METHOD not in structure.latent:
        return np.array([], dtype=int)
    loc = structure.locations
    return np.unique(loc[(loc[:, 0] == LAMBDA) & (loc[:, 2] == structure.latent.index(METHOD)), 3])


def _absent_is_minimum(structure: Structure, theta: np.ndarray, s: np.ndarray) -> bool:
    """Whether the trait solution with no method factor (λ_M = 0) is a local minimum of F_ML.

    F is even in the method loadings l, and the trait parameters are optimal at l = 0, so the
    Hessian there is block-diagonal and F ≈ F₀ + lᵀ W l with W = Σ⁻¹ − Σ⁻¹ S Σ⁻¹ (Σ = Σ₀ + l lᵀ):
    a minimum when 1ᵀ W 1 > 0 (equal loadings, l = λ_M 1) or W is positive definite (free loadings).
    Then the method factor cannot improve the fit locally and Fisher scoring, slow near λ_M = 0
    (Σ depends on λ_M²), need not be started from a method factor.
    """
    sigma = implied_covariance(structure, theta)
    inv = np.linalg.inv(sigma)
    w = inv - inv @ s @ inv
    if len(_method_parameters(structure)) == 1:
        return float(w.sum()) > 0
    return float(np.linalg.eigvalsh(w).min()) > 0


def _fit(structure: Structure, syntax: str, s: np.ndarray, n: int, starts: list[np.ndarray]) -> FittedModel:
    """Fisher scoring from each start; the best solution (converged first, then the smallest F_ML) is
    finished as :func:`~study.model.estimate.fit_model` finishes its own.

    A vanishing method factor (λ_M → 0) is a boundary where Σ depends on λ_M only through λ_M²: the
    information of λ_M is 0 there, so it gets no standard error and the other standard errors come
    from the information without it (they are then those of the trait model).
    """
    logdet_s = np.linalg.slogdet(s)[1]
    best = None
    for start in starts:
        theta, converged, iterations = fisher_scoring(structure, s, start, max_iter=500)
        f = ml_discrepancy(implied_covariance(structure, theta), s, logdet_s)
        if best is None or (converged, -f) > (best[1], -best[3]):
            best = (theta, converged, iterations, f)
    theta, converged, iterations, _ = best
    method = _method_parameters(structure)
    if theta[method].sum() < 0:  # METHOD's sign is arbitrary (orthogonal, variance 1): make it positive
        theta = theta.copy()
        theta[method] = -theta[method]

    sigma, grads = sigma_derivatives(structure, theta)
    information = 0.5 * n * _information(np.linalg.inv(sigma), grads)
    vanishing = len(method) > 0 and np.mean(structure.matrices(theta)[LAMBDA][:, -1] ** 2 / np.diag(sigma)) < _VANISHING
    keep = np.setdiff1d(np.arange(len(theta)), method) if vanishing else np.arange(len(theta))
    information = information[np.ix_(keep, keep)]
    problems: list[str] = []
    vcov = np.zeros((len(theta), len(theta)))
    eig = np.linalg.eigvalsh(information)
    if eig.min() <= 1e-10 * max(eig.max(), 1.0):
        problems.append(Message(
            "The information matrix is singular: the model is not identified with these data "
            "(empirical under-identification); standard errors cannot be trusted.",
            "信息矩阵奇异：模型在这些数据上无法识别（经验性识别不足），标准误不可信。"))
        vcov[np.ix_(keep, keep)] = np.linalg.pinv(information)
    else:
        vcov[np.ix_(keep, keep)] = np.linalg.inv(information)
    fitted = FittedModel(syntax=syntax, structure=structure, n=n, sample_cov=s, theta=theta, vcov=vcov,
                         converged=converged, iterations=iterations, estimates=pd.DataFrame(), problems=problems)
    estimates = _estimates_table(fitted)
    if vanishing:
        estimates.loc[estimates["_index"].isin(method), ["se", "z", "pvalue", "se_std"]] = np.nan
    problems = problems + _diagnose(fitted, estimates)
    return FittedModel(**{**fitted.__dict__, "estimates": estimates, "problems": problems})

# ----------------------------------------------------------------------------------------- the check

@one_blas_thread
def method_factor_comparison(constructs: Mapping[str, list[str]], data: pd.DataFrame, *,
                             loadings: Literal["equal", "free"] = "equal",
                             trait_model: FittedModel | None = None) -> MethodFactorResult:
    """Common-method bias check with an unmeasured latent method construct (ULMC).

    The first-order CFA (trait model) is compared with the same CFA plus a METHOD factor on which
    every item loads, with variance 1 and orthogonal to every trait factor (method model). By default
    all method loadings are equal (one parameter λ_M), which keeps the method factor identified on
    real survey data; ``loadings="free"`` estimates one method loading per item, which is identified
    only on some data (check ``proper``) and can have several local optima: on the default study's
    data lavaan ends in an improper solution (negative variances) with a lower χ² than the proper
    local optimum found here, so the free variant is offered for comparison only.

    Parameters
    ----------
    constructs : mapping of str to list of str
        First-order construct code → its item codes (columns of ``data``); the first item is the
        marker. For a study with second-order constructs pass its first-order constructs: the check
        is made on the first-order measurement model.
    data : DataFrame
        Item responses; rows with a missing value in any item are dropped.
    loadings : {"equal", "free"}
        Method loadings constrained equal (default) or free.
    trait_model : FittedModel, optional
        The trait-only CFA, if it is already fitted by ML on the same complete cases
        (``fit_model(trait_syntax(constructs), data)``); its solution is the method model's start.

    Returns
    -------
    MethodFactorResult

    Notes
    -----
    With standardized (std.all) method loadings λ*_M,i and trait loadings λ*_T,i of item i in the
    method model (p items):

    - method variance = (1/p) Σᵢ λ*²_M,i, substantive variance = (1/p) Σᵢ λ*²_T,i
      (Williams, Cote & Buckley 1989);
    - Δχ² = χ²_trait − χ²_method on Δdf = df_trait − df_method (1 with equal loadings), the
      likelihood-ratio test of lavaan's ``lavTestLRT``; ΔCFI = CFI_method − CFI_trait.

    An equal-loading method factor adds the same covariance λ_M² to every pair of items. When the
    items of each construct are (nearly) tau-equivalent the trait covariances can absorb that, and
    the method variance is then under-estimated and shows in inflated construct correlations
    instead; the check relies on the items' trait loadings differing, as they usually do.

    "No method factor" sets λ_M² = 0, on the boundary of its range: the likelihood-ratio statistic then
    follows the mixture ½χ²₀ + ½χ²₁, not χ²(1) (Self & Liang 1987; Stoel et al. 2006), so with equal
    loadings ``pvalue_boundary`` = ½·P(χ²₁ ≥ Δχ²) (1 when Δχ² = 0). ``pvalue_diff`` is lavaan's χ²(1) value.

    Verdict (``present``): common-method variance is present at a non-trivial level when the boundary-
    corrected test (χ²(Δdf) with free loadings) rejects "no method factor" at 0.05 and the method factor
    explains at least 1 % of item variance on average (root-mean-square standardized method loading ≥ 0.10,
    a small correlation, Cohen 1988). The method variance is reported beside the 25 % that Williams et al.
    (1989) found on average in self-report research — an average, not a cut-off.

    References
    ----------
    Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff, N. P. (2003). Common method biases in
    behavioral research. Journal of Applied Psychology, 88(5), 879–903.
    Williams, L. J., Cote, J. A., & Buckley, M. R. (1989). Lack of method variance in self-reported
    affect and perceptions at work: Reality or artifact? Journal of Applied Psychology, 74(3), 462–468.
    Cote, J. A., & Buckley, M. R. (1987). Estimating trait, method, and error variance: Generalizing
    across 70 construct validation studies. Journal of Marketing Research, 24(3), 315–318.
    Self, S. G., & Liang, K.-Y. (1987). Asymptotic properties of maximum likelihood estimators and
    likelihood ratio tests under nonstandard conditions. Journal of the American Statistical Association,
    82(398), 605–610.
    Stoel, R. D., Garre, F. G., Dolan, C., & van den Wittenboer, G. (2006). On the likelihood ratio test in
    structural equation modeling when parameters are subject to boundary constraints. Psychological
    Methods, 11(4), 439–455.
    Cohen, J. (1988). Statistical power analysis for the behavioral sciences (2nd ed.). Erlbaum.

    Examples
    --------
    >>> import pandas as pd
    >>> from study.model.method_factor import method_factor_comparison
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> r = method_factor_comparison({"QUAL": ["qual1", "qual2", "qual3", "qual4", "qual5"],
    ...                               "SAT": ["sat1", "sat2", "sat3", "sat4"],
    ...                               "TRUST": ["imag1", "imag2", "imag3", "imag4", "imag5"],
    ...                               "LOY": ["loy1", "loy2", "loy3", "loy4"]}, d)
    >>> round(r.chisq_diff, 2), round(r.method_variance, 3), r.present
    (15.34, 0.177, True)
    """
    if loadings not in ("equal", "free"):
        raise ValueError(f"loadings must be 'equal' or 'free', not {loadings!r}")
    constructs = {c: list(items) for c, items in constructs.items()}
    items = [i for its in constructs.values() for i in its]
    if len(set(items)) != len(items):
        raise ValueError("an item belongs to more than one construct")
    if METHOD in constructs:
        raise ValueError(f"{METHOD} is the method factor's name; rename that construct")
    if any(len(its) < 2 for its in constructs.values()):
        raise ValueError("every construct needs at least two items")
    x = data[items].dropna().astype(float)
    n = len(x)
    s = np.cov(x.to_numpy(), rowvar=False, bias=True)
    if trait_model is not None and (sorted(trait_model.structure.observed) != sorted(items) or trait_model.n != n):
        raise ValueError("trait_model is not the CFA of these items fitted to these respondents")
    if trait_model is None:
        trait = _structure(constructs, None)
        trait_model = _fit(trait, trait_syntax(constructs), s, n, [_trait_start(trait, constructs, s)])
    structure = _structure(constructs, loadings)
    # From the trait solution with λ_M = 0 (the method factor absent: a stationary point) and, unless
    # that is already a minimum, with the method factor taking 10 and 30 % of each item's variance.
    absent = _start(structure, trait_model, s, 0.0)
    starts = [absent] + ([] if _absent_is_minimum(structure, absent, s)
                         else [_start(structure, trait_model, s, share) for share in (0.10, 0.30)])
    method_model = _fit(structure, method_syntax(constructs, loadings), s, n, starts)

    trait_fit, method_fit = ModelFit.of(trait_model), ModelFit.of(method_model)
    chisq_diff = max(trait_fit.chisq - method_fit.chisq, 0.0)
    if chisq_diff < CHISQ_NOISE:  # two fits of the same point: Δχ² = 0, and the mixture's p is 1 (not ½)
        chisq_diff = 0.0
    df_diff = trait_fit.df - method_fit.df
    pvalue_diff = float(stats.chi2.sf(chisq_diff, df_diff))
    pvalue_boundary = ((0.5 * pvalue_diff if chisq_diff > 0 else 1.0) if loadings == "equal" and df_diff == 1
                       else math.nan)

    def loadings_of(table) -> dict:  # (factor, item) -> its row of the estimates, looked up once per table
        rows = table[table["op"] == "=~"]
        found: dict = {}
        for lhs, rhs, est, std in zip(rows["lhs"], rows["rhs"], rows["est"], rows["std_all"]):
            found.setdefault((lhs, rhs), (float(est), float(std)))  # the first row of a pair, as before
        return found

    with_method, traits_only = loadings_of(method_model.estimates), loadings_of(trait_model.estimates)
    effects = []
    for c, its in constructs.items():
        for i in its:
            m_est, m_std = with_method[(METHOD, i)]
            t_with = with_method[(c, i)][1]
            effects.append(ItemMethodEffect(
                item=i, construct=c, method_loading=m_est, method_std=m_std, method_variance=m_std ** 2,
                trait_std=traits_only[(c, i)][1], trait_std_with_method=t_with, trait_variance=t_with ** 2))
    method_variance = float(np.mean([e.method_variance for e in effects]))
    substantive_variance = float(np.mean([e.trait_variance for e in effects]))
    if loadings == "equal":
        first = method_model.estimates[(method_model.estimates["op"] == "=~")
                                       & (method_model.estimates["lhs"] == METHOD)].iloc[0]
        method_loading, method_loading_se = float(first["est"]), float(first["se"])
    else:
        method_loading = method_loading_se = math.nan
    problems = tuple([Message("Trait model: ", "特质模型：") + Message(p, getattr(p, "zh", p))
                      for p in trait_model.problems]
                     + [Message("Method model: ", "方法因子模型：") + Message(p, getattr(p, "zh", p))
                        for p in method_model.problems])
    converged = trait_model.converged and method_model.converged
    proper = trait_model.proper and method_model.proper
    test_p = pvalue_boundary if math.isfinite(pvalue_boundary) else pvalue_diff
    # an improper solution's numbers are not findings: nothing is "present" on them
    present = bool(proper and test_p < 0.05 and math.sqrt(method_variance) >= TRIVIAL_METHOD_LOADING)
    result = dict(loadings=loadings, trait_fit=trait_fit, method_fit=method_fit, chisq_diff=chisq_diff,
                  df_diff=df_diff, pvalue_diff=pvalue_diff, pvalue_boundary=pvalue_boundary,
                  cfi_diff=method_fit.cfi - trait_fit.cfi,
                  method_loading=method_loading, method_loading_se=method_loading_se, items=tuple(effects),
                  method_variance=method_variance, substantive_variance=substantive_variance,
                  present=present, converged=converged, proper=proper, problems=problems,
                  trait_model=trait_model, method_model=method_model)
    return MethodFactorResult(verdict=_verdict(**result), **result)


# ----------------------------------------------------------------------------------------- verdict

def _num(x: float, digits: int = 3) -> str:
    """As the report prints numbers: a leading zero, a minus sign, no "−0.000"."""
    x = 0.0 if round(x, digits) == 0 else x
    return f"{x:.{digits}f}".replace("-", "−")


def _p(p: float) -> str:
    return "*p* < 0.001" if p < 0.001 else f"*p* = {_num(p)}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _verdict(*, loadings, trait_fit, method_fit, chisq_diff, df_diff, pvalue_diff, pvalue_boundary, cfi_diff,
             method_variance, substantive_variance, present, converged, proper, method_model, **_) -> Message:
    """The check's result as it is: the fit change, Δχ² against the right reference, the shares of item
    variance, and what they show. No cut-off is read into the 25 % average of Williams et al. (1989)."""
    how_en = "all items load equally" if loadings == "equal" else "every item loads"
    how_zh = "全部题项以相等载荷负荷于其上" if loadings == "equal" else "全部题项均负荷于其上"
    head_en = "Unmeasured latent method factor ([@podsakoff2003]): "
    head_zh = "不可测量潜在方法因子法（[@podsakoff2003]）："
    if not proper:
        return Message(
            head_en + f"the model with a method factor on which {how_en} did not give a proper solution (see the "
            "warnings), so this check is not interpretable and none of its numbers is a finding.",
            head_zh + f"加入方法因子（{how_zh}）后，模型未得到合理解（见警告），该检验无法解释，其数值均不作为研究结论。")
    fits_en = (f"adding a method factor on which {how_en} (orthogonal to the constructs) changed the fit from "
               f"χ²({trait_fit.df:.0f}) = {trait_fit.chisq:.2f}, CFI = {_num(trait_fit.cfi)}, RMSEA = "
               f"{_num(trait_fit.rmsea)} to χ²({method_fit.df:.0f}) = {method_fit.chisq:.2f}, CFI = "
               f"{_num(method_fit.cfi)}, RMSEA = {_num(method_fit.rmsea)} (Δχ²({df_diff:.0f}) = {chisq_diff:.2f}, "
               f"{_p(pvalue_diff)}; ΔCFI = {_num(cfi_diff)})")
    fits_zh = (f"加入方法因子（{how_zh}，且与各构念正交）后，模型拟合由 χ²({trait_fit.df:.0f}) = "
               f"{trait_fit.chisq:.2f}、CFI = {_num(trait_fit.cfi)}、RMSEA = {_num(trait_fit.rmsea)} 变为 "
               f"χ²({method_fit.df:.0f}) = {method_fit.chisq:.2f}、CFI = {_num(method_fit.cfi)}、RMSEA = "
               f"{_num(method_fit.rmsea)}（Δχ²({df_diff:.0f}) = {chisq_diff:.2f}，{_p(pvalue_diff)}；"
               f"ΔCFI = {_num(cfi_diff)}）")
    mixture = math.isfinite(pvalue_boundary)
    if method_variance < _VANISHING:
        return Message(
            head_en + fits_en + ". The method loading is estimated at the boundary of its range (λₘ = 0), where the "
            "χ²(1) reference distribution of Δχ² is not valid; the mixture ½χ²₀ + ½χ²₁ applies "
            "([@self1987; @stoel2006]). The method factor explains about 0% of the item variance: this check "
            "detects no common-method variance.",
            head_zh + fits_zh + "。方法因子载荷的估计值位于其取值范围的边界（λₘ = 0），此时 Δχ² 不服从 χ²(1) 分布，"
            "应以混合分布 ½χ²₀ + ½χ²₁ 为参照（[@self1987; @stoel2006]）。方法因子解释的题项方差约为 0%，"
            "该检验未发现共同方法变异。")
    boundary_en = (" “No method factor” puts the variance it adds to the items (λₘ²) at the boundary of its range (0), so Δχ² is referred to "
                   "the mixture ½χ²₀ + ½χ²₁ rather than to χ²(1) ([@self1987; @stoel2006]), which halves *p* "
                   f"({_p(pvalue_boundary)})." if mixture else "")
    boundary_zh = ("“无方法因子”意味着方法因子为题项增加的方差（λₘ²）处于其取值范围的边界（0），因此 Δχ² 应以混合分布 ½χ²₀ + ½χ²₁ 而非 χ²(1) 为参照"
                   f"（[@self1987; @stoel2006]），*p* 值减半（{_p(pvalue_boundary)}）。" if mixture else "")
    shares_en = (f" The method factor explains on average {_pct(method_variance)} of the item variance, the constructs "
                 f"{_pct(substantive_variance)}; for comparison, [@!williams1989] found method variance of about 25% "
                 "on average in self-report research (an average, not a cut-off).")
    shares_zh = (f"方法因子平均解释题项方差的 {_pct(method_variance)}，构念（特质）因子平均解释 {_pct(substantive_variance)}；"
                 "作为参照，[@!williams1989] 发现自陈量表研究中方法方差平均约为 25%（这是平均水平，而非临界值）。")
    significant = (pvalue_boundary if mixture else pvalue_diff) < 0.05
    if present:
        end_en, end_zh = (" Common-method variance is therefore present at a non-trivial level.",
                          "因此，共同方法变异达到了不可忽视的程度。")
    elif significant:
        end_en = (" The method factor improves the fit significantly but explains less than 1% of the item variance "
                  "(its standardized loadings are below 0.10, less than a small correlation, [@cohen1988]): the "
                  "common-method variance it detects is trivial.")
        end_zh = ("方法因子虽使拟合显著改善，但平均解释的题项方差不足 1%（标准化载荷低于 0.10，小于“小”相关，"
                  "[@cohen1988]），所发现的共同方法变异微不足道。")
    else:
        end_en, end_zh = (" The method factor does not improve the fit significantly: this check detects no "
                          "common-method variance.", "方法因子未使拟合显著改善，该检验未发现共同方法变异。")
    return Message(head_en + fits_en + "." + boundary_en + shares_en + end_en,
                   head_zh + fits_zh + "。" + boundary_zh + shares_zh + end_zh)
