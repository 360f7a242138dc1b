"""The population behind a power analysis: the items' covariance matrix and the analysis model's true values.

The study file's ``data.population`` gives the true model on the standardized latent scale (paths,
second-order loadings, item loadings; see :mod:`study.data.simulate`). For a power analysis the data of a
replication are drawn from it as the simulator draws them, without the blemishes (no missing answers, no
straight-liners: power is planned for the respondents who will be analysed), in one of two forms:

``"normal"``
    the continuous item scores z = λη + ε, multivariate normal with correlation matrix
    Σ_z = ΛΦΛᵀ + diag(1 − λ²) (as simsem and Mplus draw data by default);
``"likert"``
    those scores cut into the study's answer categories with the simulator's thresholds (the same
    per-item shifts, from the population seed), i.e. the data a student will really analyse.

The analysis model's *population values* are its estimates at the population covariance matrix of the
analysed data: for normal items and a model that matches the population these are the true values; for
Likert items the covariance of the categories is computed exactly (below), and its estimates show how
much the categorisation alone moves each parameter.

Covariance of two items cut at thresholds a_1 … a_K and b_1 … b_K (X = min + #{k: z > a_k}):

    Cov(X_i, X_j) = Σ_k Σ_l [Φ₂(a_k, b_l; ρ_ij) − Φ(a_k) Φ(b_l)],   Var(X_i) = Σ_k Σ_l [Φ(min(a_k, a_l)) − Φ(a_k) Φ(a_l)]

(each X is a sum of indicators 1(z > a_k), and Cov(1(z_i > a), 1(z_j > b)) = Φ₂(a, b; ρ) − Φ(a)Φ(b)).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

# The simulator's item thresholds and per-item shifts (drawn from the population seed) are reused so
# that "likert" replications are distributed as the simulator's data.
from ..data.simulate import DEFAULT_ITEM_LOADING, _ITEM_SHIFT_SD, _streams, answer_thresholds, population_model
from ..model._semopy import semopy
from ..model.estimate import FittedModel, _information, assemble_fit, fisher_scoring, semopy_start, sigma_derivatives
from ..model.polychoric import bivariate_normal_cdf
from ..model.syntax import second_order_pairs, sem_syntax
from ..threads import one_blas_thread
from ..questionnaire import Study, StudyError

ItemKind = Literal["normal", "likert"]
ITEM_KINDS = ("normal", "likert")


@dataclass(frozen=True)
class ItemPopulation:
    """How a replication's item scores are drawn, and their population covariance matrix.

    Attributes
    ----------
    items : list of str
        Item codes, in the order of the columns drawn.
    correlation : ndarray (p, p)
        Σ_z, the correlation matrix of the continuous scores.
    kind : "normal" or "likert"
    thresholds : ndarray (p, K) or None
        Per item, the cut points of the answer categories (``likert``).
    scale_min : int
    covariance : ndarray (p, p)
        The population covariance matrix of the analysed scores (Σ_z for ``normal``; the exact covariance
        of the categories for ``likert``).
    """

    items: list[str]
    correlation: np.ndarray
    kind: str
    thresholds: np.ndarray | None
    scale_min: int
    covariance: np.ndarray

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` respondents' scores (n, p) drawn with ``rng``."""
        z = rng.standard_normal((n, len(self.items))) @ self._root.T
        if self.thresholds is None:
            return z
        return self.scale_min + (z[:, :, None] > self.thresholds[None, :, :]).sum(axis=2).astype(float)

    @property
    def _root(self) -> np.ndarray:
        return np.linalg.cholesky(self.correlation)


def population_or_error(study: Study):
    """The study's ``data.population``, or a message saying what a power analysis needs."""
    population = study.data.population
    if population is None:
        where = f"{study.path}: " if study.path else ""
        raise StudyError(
            f"{where}a power analysis needs the population model under data.population (the true standardized "
            "paths, and optionally dimension_loadings and item loadings); the study file has none. Add one as in "
            "questionnaires/ecommerce_loyalty.yaml, with the effects you expect (e.g. from earlier studies).")
    return population


def item_population(study: Study, kind: ItemKind = "normal") -> ItemPopulation:
    """The population of the study's item scores (see the module's docstring).

    Parameters
    ----------
    study : Study
        A study with ``data.population``.
    kind : "normal" or "likert"

    Returns
    -------
    ItemPopulation

    Examples
    --------
    >>> from study.questionnaire import load_study
    >>> pop = item_population(load_study("questionnaires/ecommerce_loyalty.yaml"))
    >>> pop.items[:2], float(pop.covariance[0, 0])
    (['des1', 'des2'], 1.0)
    """
    if kind not in ITEM_KINDS:
        raise ValueError(f"items must be one of {', '.join(ITEM_KINDS)} (got {kind!r})")
    population = population_or_error(study)
    model = population_model(study)
    where = {c: i for i, c in enumerate(model.constructs)}
    pairs = [(construct.code, item) for construct in study.first_order for item in construct.items]
    loadings = np.array([DEFAULT_ITEM_LOADING if item.loading is None else float(item.loading) for _, item in pairs])
    if np.any(np.abs(loadings) >= 1):
        bad = next(item.code for (_, item), l in zip(pairs, loadings) if abs(l) >= 1)
        raise StudyError(f"item {bad}: its population loading must lie between -1 and 1")
    idx = np.array([where[code] for code, _ in pairs])
    correlation = np.outer(loadings, loadings) * model.covariance[np.ix_(idx, idx)]
    np.fill_diagonal(correlation, 1.0)
    items = [item.code for _, item in pairs]
    if kind == "normal":
        return ItemPopulation(items=items, correlation=correlation, kind=kind, thresholds=None,
                              scale_min=study.scale.min, covariance=correlation.copy())
    # the simulator's thresholds with its per-item shifts (same stream, same order of items)
    shifts = _streams(population.seed)["shifts"].normal(0.0, _ITEM_SHIFT_SD, size=len(items))
    thresholds = answer_thresholds(study.scale.min, study.scale.max)[None, :] - shifts[:, None]
    return ItemPopulation(items=items, correlation=correlation, kind=kind, thresholds=thresholds,
                          scale_min=study.scale.min, covariance=category_covariance(correlation, thresholds))


def category_covariance(correlation: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """The covariance matrix of normal scores cut into categories (formula in the module docstring).

    Parameters
    ----------
    correlation : ndarray (p, p)
        Correlation matrix of the continuous scores.
    thresholds : ndarray (p, K)
        Increasing cut points of each item.

    Examples
    --------
    >>> import numpy as np
    >>> cov = category_covariance(np.array([[1, .5], [.5, 1]]), np.array([[0.0], [0.0]]))
    >>> round(float(cov[0, 1]), 6)  # two median splits: arcsin(ρ)/(2π)
    0.083333
    """
    p, k = thresholds.shape
    cdf = stats.norm.cdf(thresholds)
    cov = np.empty((p, p))
    for i in range(p):
        a = thresholds[i]
        cov[i, i] = np.sum(stats.norm.cdf(np.minimum.outer(a, a)) - np.outer(cdf[i], cdf[i]))
    rows, cols = np.triu_indices(p, 1)
    h = np.broadcast_to(thresholds[rows][:, :, None], (len(rows), k, k))
    g = np.broadcast_to(thresholds[cols][:, None, :], (len(rows), k, k))
    rho = np.broadcast_to(correlation[rows, cols][:, None, None], (len(rows), k, k))
    joint = bivariate_normal_cdf(h, g, rho)
    cross = cdf[rows][:, :, None] * cdf[cols][:, None, :]
    cov[rows, cols] = cov[cols, rows] = (joint - cross).sum(axis=(1, 2))
    return cov


@dataclass(frozen=True)
class PopulationFit:
    """The study's analysis model fitted to the population covariance matrix."""

    syntax: str
    fitted: FittedModel  # n is nominal; only the estimates (θ and std_all) are meaningful
    items: ItemPopulation  # columns in the order of fitted.structure.observed
    converged: bool


@one_blas_thread
def population_fit(study: Study, kind: ItemKind = "normal", *, syntax: str | None = None) -> PopulationFit:
    """Fit the study's structural model (or ``syntax``) to the population covariance of its items.

    Returns the population values of its parameters in its own parameterization (first loading of
    each construct fixed to 1), the starting point of every replication's fit.

    Examples
    --------
    >>> from study.questionnaire import load_study
    >>> fit = population_fit(load_study("questionnaires/ecommerce_loyalty.yaml"))
    >>> paths = fit.fitted.paths().set_index(["rhs", "lhs"])["std_all"]
    >>> round(float(paths[("QUAL", "SAT")]), 6)
    0.65
    """
    items = item_population(study, kind)
    syntax = syntax or sem_syntax(study)
    observed = semopy.Model(syntax).vars["observed"]
    missing = [v for v in observed if v not in items.items]
    if missing:
        raise StudyError(f"the model names items the population does not have: {', '.join(missing)}")
    order = [items.items.index(v) for v in observed]
    cov = items.covariance[np.ix_(order, order)]
    # semopy takes its starting values from raw rows: a population sample is enough for a start
    start_rows = pd.DataFrame(items.draw(2000, np.random.default_rng(0))[:, order], columns=observed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            structure, s, theta0 = semopy_start(syntax, cov, start_rows)
        finally:
            logging.disable(logging.NOTSET)
    theta, converged, iterations = fisher_scoring(structure, s, theta0, tol=1e-10)
    sigma, grads = sigma_derivatives(structure, theta)
    n = 1000  # nominal: standard errors of a population fit mean nothing
    information = 0.5 * n * _information(np.linalg.inv(sigma), grads)
    fitted = assemble_fit(syntax, structure, n, s, theta, information, converged, iterations,
                          second_order_pairs(study))
    # reorder the item population to the structure's order
    col = [items.items.index(v) for v in structure.observed]
    reordered = ItemPopulation(
        items=list(structure.observed), correlation=items.correlation[np.ix_(col, col)], kind=items.kind,
        thresholds=None if items.thresholds is None else items.thresholds[col], scale_min=items.scale_min,
        covariance=items.covariance[np.ix_(col, col)])
    return PopulationFit(syntax=syntax, fitted=fitted, items=reordered, converged=converged)
