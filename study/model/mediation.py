"""Full or partial mediation: each mediation hypothesis tested with the direct path in the model.

The hypothesized model may have no direct path X → Y for a chain X → M → Y; then "full or partial?"
cannot be answered from it. Here every mediation chain is judged in the model *with* the direct path
(the hypothesized model itself if it has the path, else the hypothesized model with the path added —
a nested model, not a new study), against the model *without* it:

- the χ² difference test of the two models (1 df; scaled for MLM/MLR);
- the direct effect c′ with its bootstrap SE, percentile and bias-corrected intervals;
- the specific indirect effect of the chain, the total indirect effect (all chains from X to Y) and the
  total effect c = c′ + Σ indirect, each with its bootstrap intervals;
- every specific indirect effect from X to Y (``specific``), so that the decomposition closes:
  total = direct + Σ specific indirect effects;
- the type of mediation (Zhao, Lynch & Chen 2010; 温忠麟 & 叶宝娟 2014): indirect effect significant and
  direct not — indirect-only mediation (``zhao_type`` ``indirect-only``; Baron & Kenny's and 温忠麟's
  conventional "full mediation", ``mediation`` ``full`` — but a non-significant direct effect is not
  evidence that it is zero); both significant with the same sign — partial (complementary) mediation;
  opposite signs — competitive mediation (a suppression effect); direct only — no mediation
  (direct-only); neither — no effect;
- the share mediated, indirect / total (the "VAF"), reported only when the direct and all indirect
  effects have the same sign: with inconsistent signs the ratio is not a proportion (it can exceed 1 or be
  negative) and is left out (MacKinnon, Fairchild & Fritz 2007).

References
----------
Zhao, X., Lynch, J. G., & Chen, Q. (2010). Reconsidering Baron and Kenny: Myths and truths about
mediation analysis. *Journal of Consumer Research*, 37(2), 197–206.
温忠麟, 叶宝娟 (2014). 中介效应分析：方法和模型发展. 心理科学进展, 22(5), 731–745.
MacKinnon, D. P., Fairchild, A. J., & Fritz, M. S. (2007). Mediation analysis. *Annual Review of
Psychology*, 58, 593–614.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

from .alternatives import ModelParts, fit_parts
from .bootstrap import BootstrapDraws, BootstrapInterval, BootstrapRun, bootstrap_interval, start_bootstrap
from .effects import path_parameter_indices
from .estimate import FittedModel
from .nested import chisq_difference


@dataclass(frozen=True)
class Effect:
    """An effect that is a sum of products of paths: estimate, delta-method SE, z and p, the
    standardized value (the same sum of products of standardized paths) and bootstrap intervals."""

    chains: tuple[tuple[str, ...], ...]
    est: float
    se: float
    z: float
    pvalue: float
    std_all: float
    bootstrap: BootstrapInterval | None

    @property
    def significant(self) -> bool:
        """The bootstrap percentile interval excludes 0; without a bootstrap, p < .05."""
        if self.bootstrap is not None and np.isfinite(self.bootstrap.ci_lower):
            return bool(self.bootstrap.ci_lower > 0 or self.bootstrap.ci_upper < 0)
        return bool(self.pvalue < 0.05)


# the conventional (Baron & Kenny; 温忠麟 & 叶宝娟 2014) label → Zhao, Lynch & Chen's (2010) term
ZHAO_TYPES = {"full": "indirect-only", "partial": "complementary", "competitive": "competitive",
              "direct-only": "direct-only", "none": "no-effect", "not-interpretable": "not-interpretable"}


@dataclass(frozen=True)
class MediationTest:
    """One mediation hypothesis judged in the model with the direct path (see the module notes)."""

    id: str | None
    chain: tuple[str, ...]
    direct_in_hypothesized: bool
    model: str  # the model the effects come from: "hypothesized" or the name of the model with X -> Y added
    chisq_diff: float  # model without X -> Y against the model with it
    df_diff: float
    pvalue: float
    method: str
    direct: Effect
    indirect: Effect  # this chain
    total_indirect: Effect  # all chains from X to Y
    total: Effect
    share: float  # indirect / total; NaN with inconsistent signs
    share_total_indirect: float  # total indirect / total; NaN with inconsistent signs
    consistent: bool  # the direct and every indirect effect have the same sign
    mediation: str  # full | partial | competitive | direct-only | none | not-interpretable
    agreement: bool | None  # the χ² difference test and the direct effect's interval agree on the direct path;
    # None when the test has no p-value (a negative Satorra–Bentler scaling factor, or ``test_proper`` False)
    proper: bool  # the model with the direct path converged to a proper solution
    specific: tuple[Effect, ...] = ()  # every specific indirect effect X -> ... -> Y of that model, shortest first
    test_proper: bool = True  # the model without the direct path has a proper solution too; if not, the
    #                           χ² difference (NaN here) is not a finding

    @property
    def zhao_type(self) -> str:
        """The type in Zhao, Lynch & Chen's (2010) terms: ``indirect-only`` (the conventional "full"),
        ``complementary`` ("partial"), ``competitive``, ``direct-only``, ``no-effect`` or ``not-interpretable``."""
        return ZHAO_TYPES[self.mediation]

    @property
    def x(self) -> str:
        return self.chain[0]

    @property
    def y(self) -> str:
        return self.chain[-1]


def chains_between(spec: ModelParts, x: str, y: str) -> list[tuple[str, ...]]:
    """Every directed chain of paths from ``x`` to ``y`` (the direct path first, if there is one)."""
    out: list[tuple[str, ...]] = []
    nexts: dict[str, list[str]] = {}
    for a, b in spec.paths:
        nexts.setdefault(a, []).append(b)

    def walk(chain):
        if chain[-1] == y:
            out.append(tuple(chain))
            return
        for b in nexts.get(chain[-1], []):
            if b not in chain:
                walk(chain + [b])

    walk([x])
    return sorted(out, key=len)


def _effect(fitted: FittedModel, chains, boot: BootstrapInterval | None) -> Effect:
    """Σ over chains of Π b with its delta-method SE (∇ᵀ V ∇)."""
    gradient = np.zeros(len(fitted.theta))
    est = 0.0
    std = 0.0
    paths = fitted.paths().set_index(["rhs", "lhs"])["std_all"]
    for chain in chains:
        idx = path_parameter_indices(fitted, chain)
        b = fitted.theta[idx]
        est += float(np.prod(b))
        for i, k in enumerate(idx):
            gradient[k] += np.prod(np.delete(b, i))
        std += float(np.prod([paths.loc[(a, c)] for a, c in zip(chain, chain[1:])]))
    se = float(np.sqrt(gradient @ fitted.vcov @ gradient))
    z = est / se if se > 0 else np.nan
    return Effect(chains=tuple(tuple(c) for c in chains), est=est, se=se, z=z,
                  pvalue=float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else np.nan, std_all=std, bootstrap=boot)


def _mediation_type(indirect: Effect, direct: Effect, proper: bool) -> str:
    if not proper:
        return "not-interpretable"
    if indirect.significant and not direct.significant:
        return "full"
    if indirect.significant and direct.significant:
        return "partial" if np.sign(indirect.est) == np.sign(direct.est) else "competitive"
    return "direct-only" if direct.significant else "none"


def _plans(hypothesized: ModelParts, mediations) -> list[tuple]:
    """Per mediation hypothesis: (id, chain, has the direct path, model with it, model without it)."""
    plans = []
    for id_, chain in mediations:
        chain = tuple(chain)
        x, y = chain[0], chain[-1]
        has_direct = (x, y) in hypothesized.paths
        with_spec = hypothesized if has_direct else hypothesized.with_paths(f"{x}->{y} added", add=[(x, y)])
        without_spec = hypothesized.with_paths(f"{x}->{y} removed", drop=[(x, y)]) if has_direct else hypothesized
        plans.append((id_, chain, has_direct, with_spec, without_spec))
    return plans


def _bootstraps_needed(plans) -> dict[str, tuple[ModelParts, list]]:
    """One bootstrap per model with a direct path (by its syntax), with every chain its hypotheses need."""
    needed: dict[str, tuple[ModelParts, list]] = {}
    for _, chain, _, with_spec, _ in plans:
        entry = needed.setdefault(with_spec.syntax(), (with_spec, []))
        for c in chains_between(with_spec, chain[0], chain[-1]):
            if c not in entry[1]:
                entry[1].append(c)
    return needed


def hypothesized_model_chains(hypothesized: ModelParts, mediations) -> list[tuple[str, ...]]:
    """The chains :func:`mediation_tests` bootstraps in the hypothesized model itself (for the hypotheses
    whose direct path it has); empty when every test needs a model with a path added. A caller that
    bootstraps the hypothesized model anyway (with the same data, resamples and seed) can add these chains
    to its own bootstrap and hand the draws over (``hypothesized_draws``)."""
    entry = _bootstraps_needed(_plans(hypothesized, mediations)).get(hypothesized.syntax())
    return list(entry[1]) if entry else []


def mediation_tests(hypothesized: ModelParts, mediations, data: pd.DataFrame, *, estimator: str = "ML",
                    resamples: int = 2000, seed: int = 1, level: float = 0.95, workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    hypothesized_fit: tuple | None = None,
                    hypothesized_draws: BootstrapDraws | None = None) -> list[MediationTest]:
    """Full or partial mediation for each mediation hypothesis.

    Parameters
    ----------
    hypothesized : ModelParts
    mediations : list of (id, chain)
        Each hypothesis's id (or None) and chain (X, M…, Y).
    data : DataFrame
        Complete responses.
    estimator : {"ML", "MLM", "MLR"}
        Scaled χ² difference and robust delta-method SEs for MLM/MLR; the bootstrap refits by ML.
    resamples : int
        Bootstrap resamples per model with a direct path (0: delta-method tests only).
    seed, level, workers, progress
        As :func:`study.model.bootstrap.bootstrap_indirect`; each model's bootstrap uses ``seed``.
    hypothesized_fit : (FittedModel, dict), optional
        The hypothesized model's fit and fit measures, if already computed.
    hypothesized_draws : BootstrapDraws, optional
        The bootstrap of ``hypothesized_fit`` on ``data`` with ``resamples`` and ``seed``, if already run
        (:func:`study.pipeline.run_study` bootstraps the hypothesized model for its indirect effects): when it
        holds the chains of :func:`hypothesized_model_chains`, they are taken from it instead of refitting
        the same resamples a second time. The draws are the same numbers either way (same model, data, seed
        and blocks of resamples).

    Returns
    -------
    list of MediationTest

    Examples
    --------
    >>> import pandas as pd
    >>> from study.model.alternatives import ModelParts
    >>> d = pd.read_csv("questionnaires/data/satisfaction.csv", index_col=0)
    >>> spec = ModelParts("hypothesized", ("QUAL", "SAT", "LOY"),
    ...                  {"QUAL": ("qual1", "qual2", "qual3"), "SAT": ("sat1", "sat2", "sat3"),
    ...                   "LOY": ("loy1", "loy2", "loy3")}, paths=(("QUAL", "SAT"), ("SAT", "LOY")))
    >>> test = mediation_tests(spec, [("H3", ("QUAL", "SAT", "LOY"))], d, resamples=0)[0]
    >>> test.model, test.df_diff
    ('QUAL->LOY added', 1.0)
    """
    return start_mediation_tests(hypothesized, mediations, data, estimator=estimator, resamples=resamples, seed=seed,
                                 level=level, workers=workers, hypothesized_fit=hypothesized_fit,
                                 hypothesized_draws=hypothesized_draws).result(progress)


class PendingMediationTests:
    """Mediation tests whose models are fitted and whose bootstraps are under way in worker processes
    (:func:`start_mediation_tests`); :meth:`result` waits for them and gives the tests."""

    def __init__(self, bootstraps: dict, finish):
        self._bootstraps, self._finish = bootstraps, finish

    def result(self, progress: Callable[[int, int], None] | None = None) -> list[MediationTest]:
        try:
            found = {key: run.draws(progress) if isinstance(run, BootstrapRun) else run
                     for key, run in self._bootstraps.items()}
        except BaseException:
            self.cancel()
            raise
        return self._finish(found)

    def cancel(self) -> None:
        """Stop the bootstraps' workers without waiting (when the run is abandoned)."""
        for run in self._bootstraps.values():
            if isinstance(run, BootstrapRun):
                run.cancel()


def start_mediation_tests(hypothesized: ModelParts, mediations, data: pd.DataFrame, *, estimator: str = "ML",
                          resamples: int = 2000, seed: int = 1, level: float = 0.95, workers: int | None = None,
                          hypothesized_fit: tuple | None = None,
                          hypothesized_draws: BootstrapDraws | None = None) -> PendingMediationTests:
    """:func:`mediation_tests` in two halves: the models are fitted and their bootstraps handed to worker
    processes at once (with one worker they run when the result is asked for), so that other work can go
    on meanwhile; ``.result(progress)`` gives the tests, the same as :func:`mediation_tests`."""
    estimator = str(estimator).upper()
    fits: dict[str, tuple[FittedModel, dict]] = {}
    hyp_syntax = hypothesized.syntax()
    if hypothesized_fit is not None:
        fits[hyp_syntax] = hypothesized_fit

    def fitted_of(spec: ModelParts):
        key = spec.syntax()
        if key not in fits:
            base = (hypothesized, fits[hyp_syntax][0]) if hyp_syntax in fits else None
            fits[key] = fit_parts(spec, data, estimator, base=base)
        return fits[key]

    fitted_of(hypothesized)

    plans = _plans(hypothesized, mediations)
    needed = _bootstraps_needed(plans)
    bootstraps: dict[str, BootstrapRun | BootstrapDraws] = {}
    for key, (spec, chains) in needed.items():
        fitted, _ = fitted_of(spec)
        if resamples <= 0 or not fitted.proper:
            continue
        if (key == hyp_syntax and hypothesized_fit is not None and hypothesized_draws is not None
                and set(chains) <= set(hypothesized_draws.chains)
                and len(hypothesized_draws.draws) + hypothesized_draws.failed == resamples):
            bootstraps[key] = hypothesized_draws  # the same resamples, already refitted
        else:
            x_data = data[fitted.structure.observed].to_numpy(dtype=float)
            bootstraps[key] = start_bootstrap(fitted, x_data, chains, resamples=resamples, seed=seed, workers=workers)
    for _, _, _, with_spec, without_spec in plans:  # every model is fitted before this returns
        fitted_of(with_spec)
        fitted_of(without_spec)
    return PendingMediationTests(bootstraps, lambda found: _tests(plans, needed, found, fitted_of, estimator, level))


def _tests(plans, needed, found: dict[str, BootstrapDraws], fitted_of, estimator: str,
           level: float) -> list[MediationTest]:
    """The tests from the fitted models and the bootstraps' draws (by model syntax)."""
    intervals: dict[tuple[str, tuple], BootstrapInterval] = {}
    for key, result in found.items():
        if not len(result.draws):  # no resample converged: no interval, the effects keep their delta-method tests
            continue
        chains = needed[key][1]
        column = {c: j for j, c in enumerate(result.chains)}
        for chain in chains:
            intervals[(key, chain)] = bootstrap_interval(chain, result.estimates[column[chain]],
                                                         result.draws[:, column[chain]], level=level,
                                                         failed=result.failed, improper=result.improper)
        # sums of chains (total indirect, total) per pair x, y
        for x, y in {(c[0], c[-1]) for c in chains}:
            between = [c for c in chains if c[0] == x and c[-1] == y]
            indirect = [c for c in between if len(c) > 2]
            for label, group in (("total_indirect", indirect), ("total", between)):
                cols = [column[c] for c in group]
                intervals[(key, (label, x, y))] = bootstrap_interval(
                    (x, y), float(result.estimates[cols].sum()), result.draws[:, cols].sum(axis=1), level=level,
                    failed=result.failed, improper=result.improper)

    out = []
    for id_, chain, has_direct, with_spec, without_spec in plans:
        x, y = chain[0], chain[-1]
        key = with_spec.syntax()
        fitted, fit = fitted_of(with_spec)
        fitted_without, fit_without = fitted_of(without_spec)
        test_proper = bool(fitted_without.proper)
        test = chisq_difference(fit_without, fit, estimator)
        if not test_proper:  # an improper model's χ² is not a finding: no difference test
            test = {**test, "chisq_diff": np.nan, "pvalue": np.nan}
        between = chains_between(with_spec, x, y)
        indirect_chains = [c for c in between if len(c) > 2]
        direct = _effect(fitted, [(x, y)], intervals.get((key, (x, y))))
        indirect = _effect(fitted, [chain], intervals.get((key, chain)))
        total_indirect = _effect(fitted, indirect_chains, intervals.get((key, ("total_indirect", x, y))))
        total = _effect(fitted, between, intervals.get((key, ("total", x, y))))
        specific = tuple(_effect(fitted, [c], intervals.get((key, c))) for c in indirect_chains)
        parts = [direct.est] + [float(np.prod(fitted.theta[path_parameter_indices(fitted, c)]))
                                for c in indirect_chains]
        consistent = bool(np.all(np.sign(parts) == np.sign(parts[0])) and total.est != 0)
        proper = fitted.proper
        out.append(MediationTest(
            id=id_, chain=chain, direct_in_hypothesized=has_direct,
            model="hypothesized" if has_direct else with_spec.name, chisq_diff=test["chisq_diff"],
            df_diff=test["df_diff"], pvalue=test["pvalue"], method=test["method"], direct=direct,
            indirect=indirect, total_indirect=total_indirect, total=total,
            share=indirect.est / total.est if consistent else np.nan,
            share_total_indirect=total_indirect.est / total.est if consistent else np.nan,
            consistent=consistent, mediation=_mediation_type(indirect, direct, proper),
            agreement=(bool((test["pvalue"] < 0.05) == direct.significant) if np.isfinite(test["pvalue"]) else None),
            proper=proper, specific=specific, test_proper=test_proper))
    return out
