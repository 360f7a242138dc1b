"""Competing models: the hypothesized structural model against alternatives an examiner asks about.

A model is described by its parts (:class:`ModelParts`), so that alternatives are changes of parts:
a direct path added (partial mediation), the dimensions of a second-order construct in its place
(first-order model), all items on one factor (one-factor model), or any declared set of paths. Each
model is fitted by ML (robust MLM/MLR optional) and reported with χ², df, CFI, TLI, RMSEA, SRMR, AIC
and BIC; the χ² difference test against the hypothesized model is given only where one model is
nested in the other, which is checked by the NET procedure (:mod:`study.model.nested`).

For a second-order construct, Marsh & Hocevar's (1985) target coefficient compares the model of its
dimensions' items with the dimensions correlated (first-order) and with the second-order factor:

    T = χ²(first-order) / χ²(second-order),

the share of the first-order model's fit that the second-order factor keeps (T ≤ 1; close to 1
means the second-order factor accounts for the covariation among the dimensions). With three
dimensions the two models are equivalent (T = 1 by construction).

References
----------
Marsh, H. W., & Hocevar, D. (1985). Application of confirmatory factor analysis to the study of
self-concept: First- and higher order factor models and their invariance across groups.
*Psychological Bulletin*, 97(3), 562–582.
Akaike, H. (1974); Schwarz, G. (1978): information criteria; the smaller AIC/BIC, the better the
balance of fit and parsimony, also between non-nested models on the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .estimate import (BETA, PSI, FittedModel, Structure, _information, assemble_fit, fisher_scoring, fit_model,
                       sigma_derivatives)
from .fit_indices import fit_measures
from .nested import NetCheck, NotNestedError, chisq_difference, net_check
from .robust import robust_ml

ONE_FACTOR = "G"  # name of the single factor of the one-factor model


@dataclass(frozen=True)
class ModelParts:
    """A structural equation model by its parts.

    Attributes
    ----------
    name : str
        Short key (``hypothesized``, ``partial_mediation``, ``first_order``, ``one_factor`` or declared).
    order : tuple of str
        All constructs in the study's order (first- and second-order): the order of the syntax lines
        and of the covariances among exogenous constructs.
    measurement : dict
        First-order construct → its items.
    second_order : dict
        Second-order construct → its dimensions (first-order constructs).
    paths : tuple of (from, to)
        Regressions among constructs.
    """

    name: str
    order: tuple[str, ...]
    measurement: dict[str, tuple[str, ...]]
    second_order: dict[str, tuple[str, ...]] = field(default_factory=dict)
    paths: tuple[tuple[str, str], ...] = ()

    @property
    def dimensions(self) -> set[str]:
        return {d for dims in self.second_order.values() for d in dims}

    @property
    def structural(self) -> list[str]:
        """Constructs of the structural part (not the dimensions of a second-order construct)."""
        return [c for c in self.order if c not in self.dimensions]

    @property
    def items(self) -> list[str]:
        return [i for c in self.order if c in self.measurement for i in self.measurement[c]]

    @property
    def measurement_pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset((c, d) for c, dims in self.second_order.items() for d in dims)

    def predictors(self) -> dict[str, list[str]]:
        """Each endogenous construct's predictors, in the order of the paths."""
        out: dict[str, list[str]] = {}
        for a, b in self.paths:
            out.setdefault(b, []).append(a)
        return out

    def syntax(self) -> str:
        """lavaan syntax as :func:`study.model.syntax.sem_syntax` writes it: measurement, second-order
        factors, one regression line per endogenous construct, covariances among exogenous constructs
        (and, as lavaan's ``sem()``, among the residuals of final outcomes, if there are several)."""
        lines = [f"{c} =~ " + " + ".join(self.measurement[c]) for c in self.order if c in self.measurement]
        lines += [f"{c} =~ " + " + ".join(self.second_order[c]) for c in self.order if c in self.second_order]
        causes = self.predictors()
        lines += [f"{to} ~ " + " + ".join(froms) for to, froms in causes.items()]
        lines += [f"{a} ~~ {b}" for a, b in self.latent_covariances()]
        return "\n".join(lines)

    def latent_covariances(self) -> list[tuple[str, str]]:
        """The free covariances among constructs, as lavaan's ``sem()`` sets them: among exogenous
        constructs (auto.cov.lv.x) and among the residuals of final outcomes, constructs that are explained
        but explain nothing (auto.cov.y); a model with one final outcome has none of the latter."""
        causes = self.predictors()
        exogenous = [c for c in self.structural if c not in causes]
        predictors = {a for a, _ in self.paths}
        final = [c for c in self.structural if c in causes and c not in predictors]
        return [(a, b) for group in (exogenous, final) for i, a in enumerate(group) for b in group[i + 1:]]

    def with_paths(self, name: str, add=(), drop=()) -> "ModelParts":
        """The same model with paths added and/or removed."""
        known = set(self.structural)
        for a, b in list(add) + list(drop):
            if a not in known or b not in known:
                raise ValueError(f"{a} -> {b}: both ends must be constructs of the structural model "
                                 f"({', '.join(self.structural)})")
        missing = [p for p in drop if tuple(p) not in self.paths]
        if missing:
            raise ValueError(f"cannot drop {missing[0][0]} -> {missing[0][1]}: not a path of the model")
        paths = [p for p in self.paths if p not in {tuple(d) for d in drop}]
        paths += [tuple(p) for p in add if tuple(p) not in paths]
        return replace(self, name=name, paths=tuple(paths))


def partial_mediation_model(spec: ModelParts, chains, name: str = "partial_mediation") -> ModelParts | None:
    """The model with the direct path X → Y added for every mediation chain (X, …, Y) that lacks it;
    None if every chain already has its direct path."""
    add = []
    for chain in chains:
        pair = (chain[0], chain[-1])
        if pair not in spec.paths and pair not in add:
            add.append(pair)
    return spec.with_paths(name, add=add) if add else None


def first_order_model(spec: ModelParts, construct: str | None = None, name: str = "first_order") -> ModelParts | None:
    """The second-order construct(s) replaced by their dimensions: a path S → Y becomes one path from
    each dimension to Y, X → S one path from X to each dimension; dimensions without causes are
    correlated like any exogenous construct. None if the model has no second-order construct."""
    targets = [construct] if construct else list(spec.second_order)
    if not targets:
        return None
    paths: list[tuple[str, str]] = []
    for a, b in spec.paths:
        froms = spec.second_order[a] if a in targets else (a,)
        tos = spec.second_order[b] if b in targets else (b,)
        paths += [(f, t) for f in froms for t in tos if (f, t) not in paths]
    second = {c: d for c, d in spec.second_order.items() if c not in targets}
    order = tuple(c for c in spec.order if c not in targets)
    return ModelParts(name=name, order=order, measurement=spec.measurement, second_order=second, paths=tuple(paths))


def one_factor_model(spec: ModelParts, name: str = "one_factor") -> ModelParts:
    """All items on a single factor (the measurement model of Harman's single-factor test)."""
    return ModelParts(name=name, order=(ONE_FACTOR,), measurement={ONE_FACTOR: tuple(spec.items)})


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelComparison:
    """One model of the competing-models table.

    ``nested`` says whether this model and the hypothesized one are nested (NET); ``restricted`` which of
    the two is the restricted one; ``test`` the χ² difference test (None when not nested, for the
    hypothesized model itself, or when the nesting check did not converge); ``nested_at_boundary`` that
    the free model reproduces the restricted one only with a variance of 0 or a correlation of ±1, where
    the test's p-value is conservative (:func:`study.model.nested.net_check`).
    """

    spec: ModelParts
    fitted: FittedModel
    fit: dict[str, float]
    nested: bool | None = None
    restricted: str | None = None
    test: dict | None = None
    nested_at_boundary: bool = False

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class TargetCoefficient:
    """Marsh & Hocevar's (1985) target coefficient of one second-order construct."""

    construct: str
    dimensions: tuple[str, ...]
    chisq_first_order: float
    df_first_order: float
    chisq_second_order: float
    df_second_order: float
    target: float  # χ²(first-order) / χ²(second-order); 1 when the two are equivalent
    test: dict | None  # χ² difference test (None with three dimensions: equivalent models)
    proper: bool = True  # both models have a proper solution; if not, T and the test are not findings


@dataclass(frozen=True)
class CompetingModels:
    estimator: str
    models: list[ModelComparison]  # the hypothesized model first
    targets: list[TargetCoefficient]

    def table(self) -> pd.DataFrame:
        """One row per model: ``model, chisq, df, pvalue, chisq/df, cfi, tli, rmsea, srmr, aic, bic, nested`` and
        ``chisq_diff, df_diff, pvalue_diff`` against the hypothesized model where nested (NaN otherwise);
        the scaled χ² and the robust CFI, TLI and RMSEA with MLM/MLR."""
        robust = self.estimator != "ML"
        rows = []
        for m in self.models:
            f = m.fit
            chisq = f["chisq.scaled"] if robust else f["chisq"]
            row = {"model": m.name, "chisq": chisq, "df": f["df"], "pvalue": f["pvalue.scaled" if robust else "pvalue"],
                   "chisq/df": chisq / f["df"] if f["df"] else np.nan,
                   "cfi": f["cfi.robust" if robust else "cfi"], "tli": f["tli.robust" if robust else "tli"],
                   "rmsea": f["rmsea.robust" if robust else "rmsea"], "srmr": f["srmr"], "aic": f["aic"],
                   "bic": f["bic"], "nested": m.nested, "chisq_diff": np.nan, "df_diff": np.nan, "pvalue_diff": np.nan}
            if m.test is not None:
                row.update(chisq_diff=m.test["chisq_diff"], df_diff=m.test["df_diff"], pvalue_diff=m.test["pvalue"])
            rows.append(row)
        return pd.DataFrame(rows)


def fit_parts(spec: ModelParts, data: pd.DataFrame, estimator: str = "ML", *,
              base: tuple[ModelParts, FittedModel] | None = None) -> tuple[FittedModel, dict]:
    """Fit a model given by its parts: its ML fit and fit measures (with the robust ones for MLM/MLR).

    ``base``, a fitted model (its parts and fit) that differs from ``spec`` only in paths and latent
    covariances (a path added or removed), gives the starting values: the model is then refitted by
    Fisher scoring from its solution, without semopy's start (:func:`refit_changed_paths`).
    """
    fitted = refit_changed_paths(base[0], base[1], spec, data) if base is not None else None
    if fitted is None:
        fitted = fit_model(spec.syntax(), data, measurement_pairs=spec.measurement_pairs)
    fit = fit_measures(fitted)
    if estimator != "ML":
        robust = robust_ml(fitted, data[fitted.structure.observed].to_numpy(dtype=float), estimator)
        fitted, fit = robust.fitted, {**fit, **robust.fit}
    return fitted, fit


def refit_changed_paths(base_spec: ModelParts, base: FittedModel, spec: ModelParts,
                        data: pd.DataFrame) -> FittedModel | None:
    """The ML fit of ``spec`` from the fitted ``base`` model when the two differ only in regressions among
    constructs and covariances among them: the base's parameter locations with the removed ones left out
    and the added ones (started at 0) appended, refitted by Fisher scoring. None when the measurement
    parts differ or the refit does not converge (the caller then fits from scratch)."""
    if (spec.measurement != base_spec.measurement or spec.second_order != base_spec.second_order
            or set(spec.order) != set(base_spec.order)):
        return None
    st = base.structure
    latent = st.latent
    if set(latent) != set(spec.measurement) | set(spec.second_order):
        return None
    pos = {c: i for i, c in enumerate(latent)}

    def entries(parts: ModelParts) -> set[tuple[int, int, int]]:
        out = {(BETA, pos[b], pos[a]) for a, b in parts.paths}
        out |= {(PSI, max(pos[a], pos[b]), min(pos[a], pos[b])) for a, b in parts.latent_covariances()}
        return out

    old, new = entries(base_spec), entries(spec)
    locations = st.locations
    free_at = {}
    for which, r, c, k in locations:
        key = (which, max(r, c), min(r, c)) if which == PSI else (which, r, c)
        free_at[key] = k
    if not (old - new) <= set(free_at):
        return None
    removed = {free_at[key] for key in old - new}
    keep = [k for k in range(st.n_params) if k not in removed]
    renumber = {k: i for i, k in enumerate(keep)}
    rows = [(w, r, c, renumber[k]) for w, r, c, k in locations if k not in removed]
    added = sorted(new - old - set(free_at))
    rows += [(w, r, c, len(keep) + i) for i, (w, r, c) in enumerate(added)]
    fixed = tuple(m.copy() for m in st.fixed)
    structure = Structure(observed=st.observed, latent=latent, locations=np.array(rows, dtype=int), fixed=fixed,
                          n_params=len(keep) + len(added))
    theta0 = np.concatenate([base.theta[keep], np.zeros(len(added))])
    x = data[st.observed].to_numpy(dtype=float)
    s = np.cov(x, rowvar=False, bias=True)
    theta, converged, iterations = fisher_scoring(structure, s, theta0)
    if not converged:
        return None
    sigma, grads = sigma_derivatives(structure, theta)
    information = 0.5 * len(x) * _information(np.linalg.inv(sigma), grads)
    return assemble_fit(spec.syntax(), structure, len(x), s, theta, information, converged, iterations,
                        spec.measurement_pairs)


def compare_models(hypothesized: ModelParts, alternatives: list[ModelParts], data: pd.DataFrame, *,
                   estimator: str = "ML", require_nested=(), hypothesized_fit: tuple | None = None) -> CompetingModels:
    """Fit the hypothesized model and its alternatives and compare them.

    Parameters
    ----------
    hypothesized : ModelParts
    alternatives : list of ModelParts
        E.g. :func:`partial_mediation_model`, :func:`first_order_model`, :func:`one_factor_model`.
    data : DataFrame
        Complete responses.
    estimator : {"ML", "MLM", "MLR"}
        MLM/MLR: scaled χ², robust indices and the scaled difference test.
    require_nested : iterable of str
        Names of alternatives for which a χ² difference test was asked: :class:`NotNestedError`
        if such a model is not nested with the hypothesized one.
    hypothesized_fit : (FittedModel, dict), optional
        The hypothesized model's fit and fit measures, if already computed.

    Returns
    -------
    CompetingModels
    """
    estimator = str(estimator).upper()
    require_nested = set(require_nested)
    fitted, fit = hypothesized_fit if hypothesized_fit is not None else fit_parts(hypothesized, data, estimator)
    models = [ModelComparison(spec=hypothesized, fitted=fitted, fit=fit)]
    for spec in alternatives:
        alt_fitted, alt_fit = fit_parts(spec, data, estimator, base=(hypothesized, fitted))
        # the model with more degrees of freedom is the candidate restricted model; equal df: not nested
        hyp_is_restricted = fit["df"] >= alt_fit["df"]
        restricted_model, free_spec = (fitted, spec) if hyp_is_restricted else (alt_fitted, hypothesized)
        net = (net_check(restricted_model, free_spec.syntax(), data) if alt_fit["df"] != fit["df"]
               else NetCheck(nested=False, chisq=np.nan, at_boundary=False))
        nested = net.nested
        test = None
        if nested:
            a, b = (fit, alt_fit) if hyp_is_restricted else (alt_fit, fit)
            test = chisq_difference(a, b, estimator)
        elif spec.name in require_nested:
            why = ("they have the same degrees of freedom" if alt_fit["df"] == fit["df"] else
                   "the NET check did not converge" if nested is None else "neither reproduces the other (NET check)")
            raise NotNestedError(
                f"alternative model {spec.name!r}: a chi-square difference test was asked for, but it is not nested "
                f"with the hypothesized model ({why}); compare the two by AIC and BIC instead")
        models.append(ModelComparison(spec=spec, fitted=alt_fitted, fit=alt_fit, nested=nested,
                                      restricted=hypothesized.name if hyp_is_restricted else spec.name, test=test,
                                      nested_at_boundary=net.at_boundary))
    targets = [target_coefficient(hypothesized, c, data, estimator) for c in hypothesized.second_order]
    return CompetingModels(estimator=estimator, models=models, targets=targets)


def target_coefficient(spec: ModelParts, construct: str, data: pd.DataFrame, estimator: str = "ML") -> TargetCoefficient:
    """Marsh & Hocevar's (1985) target coefficient T = χ²(first-order) / χ²(second-order) of a
    second-order construct, on its dimensions' items: the dimensions correlated against the dimensions
    loading on the second-order factor; with the χ² difference test of the two (nested)."""
    dims = spec.second_order[construct]
    measurement = {d: spec.measurement[d] for d in dims}
    first = ModelParts(name="first", order=tuple(dims), measurement=measurement)
    second = ModelParts(name="second", order=tuple(dims) + (construct,), measurement=measurement,
                       second_order={construct: tuple(dims)})
    fitted1, f1 = fit_parts(first, data, estimator)
    fitted2, f2 = fit_parts(second, data, estimator)
    equivalent = f1["df"] == f2["df"]
    target = 1.0 if equivalent else f1["chisq"] / f2["chisq"]
    test = None if equivalent else chisq_difference(f2, f1, estimator)
    return TargetCoefficient(construct=construct, dimensions=tuple(dims), chisq_first_order=f1["chisq"],
                             df_first_order=f1["df"], chisq_second_order=f2["chisq"], df_second_order=f2["df"],
                             target=float(target), test=test, proper=bool(fitted1.proper and fitted2.proper))
