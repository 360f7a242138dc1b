"""Simulated survey answers drawn from a known population model.

A study file may describe, under ``data.population``, the *true* model behind its questionnaire:
standardized structural paths (``"QUAL -> SAT": 0.65``), the loadings of the dimensions of a
second-order construct, the standardized loading of every item, the share of missing answers and
the share of careless respondents. :func:`simulate_responses` draws a sample from that model, with
the blemishes of a real online survey, so that a class can run the whole analysis on data whose
true answers are known, and compare the estimates with the truth.

How a respondent is drawn
-------------------------
1. **Latent scores.** All constructs are standardized (variance 1). A construct with no incoming
   path is exogenous, N(0, 1), independent of the other exogenous constructs. An endogenous
   construct is ``sum(beta * cause) + disturbance``; the disturbance variance is
   ``1 - b' S b``, where ``S`` is the model-implied covariance of its causes (the causes are
   correlated, e.g. QUAL and SAT both cause TRUST, so their covariance must be counted). The
   dimensions of a second-order construct are ``loading * QUAL + residual`` in the same way.
   See :func:`implied_latent_correlations`. A latent interaction (``population.interactions``,
   ``"SAT x SWC -> LOY": -0.15``) adds ``gamma * (X*W - E[X*W])`` to its effect; for X, W standard
   normal with correlation r the product has variance 1 + r² and is uncorrelated with every linear
   term, so the disturbance variance becomes ``1 - b' S b - gamma² (1 + r²)`` and the construct still
   has variance 1 (exact when X and W are not themselves affected by an interaction).
2. **Items.** A continuous answer ``loading * latent + residual`` (residual variance
   ``1 - loading**2``) is cut into the scale's categories. The thresholds give every item a
   plausible, slightly negatively skewed distribution (online-shop customers lean towards
   agreeing): the category shares come from a Beta(2.6, 1.6) distribution cut into equal bins,
   about 1 %, 6 %, 13 %, 19 %, 23 %, 23 %, 15 % on a 7-point scale, shifted a little per item
   so that items differ in their means.
3. **Negatively worded items** (``reverse: true``) are stored as the respondent would answer them,
   i.e. reversed (``min + max - x``); the analysis has to reverse them back.
4. **Blemishes.** ``careless_share`` of the respondents straight-line: they give the same answer to
   every construct item (also to the negatively worded one) and skip none. Item non-response is
   concentrated in a minority of respondents, as in real surveys: every respondent has their own
   propensity to skip (Beta-distributed with mean ``missing_share``), so that about
   ``missing_share`` of all item answers are missing but listwise deletion does not lose a
   quarter of the sample. Of the missing answers, about one third are stored as the scale's first
   missing code (e.g. 99, "don't know") and the rest are left empty.
5. **Background questions** with levels are drawn independently of the answers from their
   ``probabilities`` (equal shares when none are given) and stored as level codes. A numeric
   background question without levels has no distribution to draw from and is left out.

Everything is drawn from ``numpy.random.Generator`` objects seeded from one seed, one independent
stream per step, so a given seed always gives the same data, and turning off the blemishes
(``careless_share=0``, ``missing_share=0``) leaves the clean answers unchanged.

Command line::

    python -m study.data.simulate questionnaires/ecommerce_loyalty.yaml

regenerates the study's data file and prints what was written.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..questionnaire import Population, Study, StudyError, load_study

__all__ = [
    "DEFAULT_ITEM_LOADING",
    "DEFAULT_DIMENSION_LOADING",
    "PopulationModel",
    "population_model",
    "implied_latent_correlations",
    "answer_thresholds",
    "simulate_latent",
    "simulate_responses",
    "write_simulated_data",
    "main",
]

#: Standardized loading of an item whose ``loading`` is not given in the study file.
DEFAULT_ITEM_LOADING = 0.75
#: Loading of a second-order dimension not listed in ``population.dimension_loadings``.
DEFAULT_DIMENSION_LOADING = 0.80

# Shape of the answer distribution: a Beta(a, b) cut into as many equal bins as the scale has
# points gives the share of every answer category (a > b: answers lean towards "agree").
_ANSWER_SHAPE = (2.6, 1.6)
# SD of the per-item shift of the thresholds (on the latent z scale): items differ in their means.
_ITEM_SHIFT_SD = 0.15
# Share of the missing answers stored as the scale's first missing code rather than left empty.
_CODED_MISSING_SHARE = 1 / 3
# Concentration of the respondents' propensities to skip an item (Beta(c, c(1-m)/m), mean m):
# small values concentrate the missing answers in few respondents.
_MISSING_CONCENTRATION = 0.15
# Independent random streams, one per step (spawned from one SeedSequence in this order).
_STREAMS = ("latent", "items", "shifts", "background", "careless", "missing")


@dataclass(frozen=True)
class PopulationModel:
    """The standardized population model of a study, ready to draw from.

    Attributes
    ----------
    constructs : list of str
        Construct codes in causal order (every cause before its effects).
    beta : numpy.ndarray
        ``beta[j, i]`` is the standardized effect of ``constructs[i]`` on ``constructs[j]``.
    disturbance : numpy.ndarray
        Variance of each construct's disturbance (1 for exogenous constructs).
    covariance : numpy.ndarray
        The model-implied covariance (= correlation) matrix of the constructs.
    """

    constructs: list[str]
    beta: np.ndarray
    disturbance: np.ndarray
    covariance: np.ndarray
    # (effect, x, w, gamma, E[x·w]) as indices into ``constructs``: latent interactions
    interactions: tuple[tuple[int, int, int, float, float], ...] = ()


def _population(study: Study) -> Population:
    population = study.data.population
    if population is None:
        where = f"{study.path}: " if study.path else ""
        raise StudyError(
            f"{where}data.population is missing: the simulator needs the true model (n, seed, paths, "
            "dimension_loadings, item loadings). See questionnaires/ecommerce_loyalty.yaml for an example.")
    return population


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _parse_path(key: str, codes: list[str]) -> tuple[str, str]:
    parts = [p.strip() for p in key.split("->")]
    if len(parts) != 2 or not all(parts):
        raise StudyError(f"data.population.paths: {key!r} is not a path; write it as \"CAUSE -> EFFECT\"")
    for end in parts:
        if end not in codes:
            raise StudyError(f"data.population.paths: {key!r}: {end!r} is not a construct{_hint(end, codes)}")
    if parts[0] == parts[1]:
        raise StudyError(f"data.population.paths: {key!r}: a construct cannot cause itself")
    return parts[0], parts[1]


def _parse_interaction(key: str, codes: list[str]) -> tuple[str, str, str]:
    where = f"data.population.interactions: {key!r}"
    arrow = [p.strip() for p in key.split("->")]
    factors = [p.strip() for p in arrow[0].replace("×", " x ").split(" x ")] if len(arrow) == 2 else []
    if len(arrow) != 2 or len(factors) != 2 or not all(factors) or not arrow[1]:
        raise StudyError(f"{where} is not an interaction; write it as \"X x W -> Y\"")
    for end in (*factors, arrow[1]):
        if end not in codes:
            raise StudyError(f"{where}: {end!r} is not a construct{_hint(end, codes)}")
    if factors[0] == factors[1] or arrow[1] in factors:
        raise StudyError(f"{where}: X, W and Y must be three different constructs")
    return factors[0], factors[1], arrow[1]


def population_model(study: Study) -> PopulationModel:
    """Build the standardized population model of ``study`` from ``data.population``.

    Paths listed in ``population.paths`` (also paths that are not hypotheses, such as a direct
    QUAL -> LOY effect) and the second-order loadings form one recursive model; paths of the
    hypotheses that are not listed are zero in the population.

    Parameters
    ----------
    study : Study
        A study with ``data.population``.

    Returns
    -------
    PopulationModel

    Raises
    ------
    StudyError
        When a path names an unknown construct, the paths form a cycle, a loading is not between
        -1 and 1, or the paths into a construct would explain more than all of its variance.

    Examples
    --------
    >>> from study.questionnaire import load_study
    >>> from study.data.simulate import population_model
    >>> model = population_model(load_study("questionnaires/ecommerce_loyalty.yaml"))
    >>> model.constructs[0]
    'QUAL'
    """
    population = _population(study)
    codes = [c.code for c in study.constructs]
    edges: dict[tuple[str, str], float] = {}
    for key, value in population.paths.items():
        cause, effect = _parse_path(key, codes)
        if (cause, effect) in edges:
            raise StudyError(f"data.population.paths: the path {cause} -> {effect} is given twice")
        edges[(cause, effect)] = float(value)
    dimensions = {d: c.code for c in study.second_order for d in c.dimensions}
    for dim in population.dimension_loadings:
        if dim not in dimensions:
            raise StudyError(f"data.population.dimension_loadings: {dim!r} is not a dimension of a "
                             f"second-order construct{_hint(dim, dimensions)}")
    for parent in study.second_order:
        for dim in parent.dimensions:
            loading = float(population.dimension_loadings.get(dim, DEFAULT_DIMENSION_LOADING))
            if not -1 < loading < 1:
                raise StudyError(f"data.population.dimension_loadings.{dim}: {loading} must lie between -1 and 1")
            if (parent.code, dim) in edges:
                raise StudyError(f"data.population: {parent.code} -> {dim} is given both as a path and "
                                 "as a dimension loading; give it once, under dimension_loadings")
            edges[(parent.code, dim)] = loading

    products = [(*_parse_interaction(key, codes), float(value)) for key, value in population.interactions.items()]

    # Causal order (Kahn's algorithm, ties broken by the order of the study file); the factors of an
    # interaction come before its effect.
    causes = {c: [a for (a, b) in edges if b == c] for c in codes}
    for x, w, y, _ in products:
        causes[y] += [x, w]
    order: list[str] = []
    remaining = list(codes)
    while remaining:
        ready = [c for c in remaining if all(a in order for a in causes[c])]
        if not ready:
            raise StudyError("data.population.paths form a cycle among " + ", ".join(remaining)
                             + "; the simulator needs a recursive model (no feedback loops)")
        order.append(ready[0])
        remaining.remove(ready[0])

    k = len(order)
    index = {c: i for i, c in enumerate(order)}
    beta = np.zeros((k, k))
    for (cause, effect), value in edges.items():
        beta[index[effect], index[cause]] = value
    cov = np.zeros((k, k))
    disturbance = np.ones(k)
    interactions = []
    for j in range(k):
        b = beta[j, :j]
        explained = float(b @ cov[:j, :j] @ b)  # b' S b with S the implied covariance of the causes
        for x, w, y, gamma in products:
            if index[y] == j:  # Var(XW) = 1 + r² for standard normal X, W; uncorrelated with linear terms
                r = cov[index[x], index[w]]
                explained += gamma ** 2 * (1 + r ** 2)
                interactions.append((j, index[x], index[w], gamma, float(r)))
        psi = 1.0 - explained
        if psi <= 1e-6:
            listed = ", ".join([f"{order[i]} -> {order[j]} = {beta[j, i]:g}" for i in np.flatnonzero(b)]
                               + [f"{x} x {w} -> {y} = {g:g}" for x, w, y, g in products if index[y] == j])
            raise StudyError(
                f"data.population: the paths into {order[j]} ({listed}) explain {explained:.0%} of its "
                "variance; standardized paths must explain less than 100 %. Make them smaller.")
        disturbance[j] = psi
        cov[j, :j] = cov[:j, j] = b @ cov[:j, :j]
        cov[j, j] = 1.0
    return PopulationModel(constructs=order, beta=beta, disturbance=disturbance, covariance=cov,
                           interactions=tuple(interactions))


def implied_latent_correlations(study: Study) -> pd.DataFrame:
    """The true correlations of the constructs implied by the population model.

    Parameters
    ----------
    study : Study

    Returns
    -------
    pandas.DataFrame
        Square, indexed by construct code in the order of the study file.

    Examples
    --------
    >>> from study.questionnaire import load_study
    >>> from study.data.simulate import implied_latent_correlations
    >>> r = implied_latent_correlations(load_study("questionnaires/ecommerce_loyalty.yaml"))
    >>> float(round(r.loc["QUAL", "SAT"], 2))
    0.65
    """
    model = population_model(study)
    frame = pd.DataFrame(model.covariance, index=model.constructs, columns=model.constructs)
    codes = [c.code for c in study.constructs]
    return frame.loc[codes, codes]


def answer_thresholds(scale_min: int, scale_max: int) -> np.ndarray:
    """Cut points on the standard-normal answer scale that give a slightly negatively skewed item.

    Parameters
    ----------
    scale_min, scale_max : int
        The answer scale.

    Returns
    -------
    numpy.ndarray
        ``points - 1`` increasing thresholds; a continuous answer ``z`` becomes
        ``scale_min + (number of thresholds below z)``.

    Examples
    --------
    >>> from study.data.simulate import answer_thresholds
    >>> answer_thresholds(1, 7).round(2).tolist()
    [-2.2, -1.42, -0.82, -0.27, 0.31, 1.06]
    """
    points = scale_max - scale_min + 1
    cumulative = stats.beta(*_ANSWER_SHAPE).cdf(np.arange(1, points) / points)
    return stats.norm.ppf(cumulative)


def _streams(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(_STREAMS, children)}


def _latent(model: PopulationModel, n: int, rng: np.random.Generator) -> np.ndarray:
    k = len(model.constructs)
    noise = rng.standard_normal((n, k))
    scores = np.zeros((n, k))
    for j in range(k):
        scores[:, j] = scores[:, :j] @ model.beta[j, :j] + np.sqrt(model.disturbance[j]) * noise[:, j]
        for effect, x, w, gamma, mean in model.interactions:
            if effect == j:
                scores[:, j] += gamma * (scores[:, x] * scores[:, w] - mean)
    return scores


def simulate_latent(study: Study, n: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """Draw the true (latent) construct scores of ``n`` respondents.

    These are the scores behind :func:`simulate_responses` with the same ``n`` and ``seed``.

    Parameters
    ----------
    study : Study
    n : int, optional
        Number of respondents; ``data.population.n`` by default.
    seed : int, optional
        Random seed; ``data.population.seed`` by default.

    Returns
    -------
    pandas.DataFrame
        One column per construct (study-file order), each with mean 0 and variance 1 in the
        population.

    Examples
    --------
    >>> from study.questionnaire import load_study
    >>> from study.data.simulate import simulate_latent
    >>> eta = simulate_latent(load_study("questionnaires/ecommerce_loyalty.yaml"), n=20000, seed=1)
    >>> float(round(eta["LOY"].var(), 1))
    1.0
    """
    population = _population(study)
    n = population.n if n is None else int(n)
    seed = population.seed if seed is None else int(seed)
    model = population_model(study)
    scores = _latent(model, n, _streams(seed)["latent"])
    frame = pd.DataFrame(scores, columns=model.constructs)
    return frame[[c.code for c in study.constructs]]


def simulate_responses(study: Study, n: int | None = None, seed: int | None = None, *,
                       missing_share: float | None = None,
                       careless_share: float | None = None) -> pd.DataFrame:
    """Draw a simulated sample of questionnaire answers from the study's population model.

    Parameters
    ----------
    study : Study
        A study whose ``data.population`` gives the true model (see the module documentation).
    n : int, optional
        Number of respondents; ``data.population.n`` by default.
    seed : int, optional
        Random seed; ``data.population.seed`` by default. The same seed gives the same data.
    missing_share : float, optional
        Overrides ``data.population.missing_share`` (share of item answers missing).
    careless_share : float, optional
        Overrides ``data.population.careless_share`` (share of straight-lining respondents).

    Returns
    -------
    pandas.DataFrame
        One row per respondent: the id column (``data.id_column``, ``resp_id`` by default, values
        ``R0001`` ...), one column per background question with levels (level codes), then one
        column per construct item with the stored answer (nullable integers: a scale value, a
        missing code such as 99, or missing). Negatively worded items hold the answer as given,
        i.e. still reversed.

    Raises
    ------
    StudyError
        When the study has no ``data.population`` or it is inconsistent.

    Examples
    --------
    >>> from study.questionnaire import load_study
    >>> from study.data.simulate import simulate_responses
    >>> study = load_study("questionnaires/ecommerce_loyalty.yaml")
    >>> data = simulate_responses(study, n=200, seed=7)
    >>> data.shape[0], data.columns[0], data["resp_id"].iloc[0]
    (200, 'resp_id', 'R0001')
    >>> data.equals(simulate_responses(study, n=200, seed=7))
    True
    """
    population = _population(study)
    n = population.n if n is None else int(n)
    if n < 1:
        raise StudyError(f"n must be at least 1 (got {n})")
    seed = population.seed if seed is None else int(seed)
    missing_share = population.missing_share if missing_share is None else float(missing_share)
    careless_share = population.careless_share if careless_share is None else float(careless_share)
    for name, share in (("missing_share", missing_share), ("careless_share", careless_share)):
        if not 0 <= share < 0.5:
            raise StudyError(f"{name} must lie in [0, 0.5) (got {share})")

    scale = study.scale
    model = population_model(study)
    rng = _streams(seed)
    scores = _latent(model, n, rng["latent"])
    position = {c: i for i, c in enumerate(model.constructs)}

    # --- items: continuous answer, cut into categories -----------------------------------------
    items = [(construct.code, item) for construct in study.first_order for item in construct.items]
    thresholds = answer_thresholds(scale.min, scale.max)
    shifts = rng["shifts"].normal(0.0, _ITEM_SHIFT_SD, size=len(items))
    residuals = rng["items"].standard_normal((n, len(items)))
    answers = np.empty((n, len(items)), dtype=np.int64)
    for j, (code, item) in enumerate(items):
        loading = DEFAULT_ITEM_LOADING if item.loading is None else float(item.loading)
        if not -1 < loading < 1:
            raise StudyError(f"item {item.code}: loading {loading} must lie between -1 and 1")
        z = loading * scores[:, position[code]] + np.sqrt(1 - loading**2) * residuals[:, j]
        value = scale.min + np.searchsorted(thresholds - shifts[j], z)
        answers[:, j] = scale.min + scale.max - value if item.reverse else value

    # --- background questions -------------------------------------------------------------------
    background: dict[str, pd.Series] = {}
    for question in study.background:
        if not question.levels:
            continue
        codes = [level.code for level in question.levels]
        probabilities = _probabilities(question.code, question.probabilities, len(codes))
        drawn = rng["background"].choice(len(codes), size=n, p=probabilities)
        values = [codes[i] for i in drawn]
        dtype = "Int64" if all(isinstance(c, int) for c in codes) else object
        background[question.data_column] = pd.Series(values, dtype=dtype)

    # --- careless respondents: the same answer to every item --------------------------------------
    careless = np.zeros(n, dtype=bool)
    n_careless = int(round(careless_share * n))
    if n_careless and len(items):
        who = rng["careless"].choice(n, size=n_careless, replace=False)
        careless[who] = True
        shares = np.diff(np.r_[0.0, stats.norm.cdf(thresholds), 1.0])
        answers[who, :] = scale.min + rng["careless"].choice(scale.points, size=n_careless, p=shares)[:, None]

    # --- item non-response, concentrated in some respondents --------------------------------------
    table = pd.DataFrame(answers, columns=[item.data_column for _, item in items]).astype("Int64")
    if missing_share > 0 and len(items):
        a = _MISSING_CONCENTRATION
        propensity = rng["missing"].beta(a, a * (1 - missing_share) / missing_share, size=n)
        skip = rng["missing"].random((n, len(items))) < propensity[:, None]
        skip[careless, :] = False
        coded = rng["missing"].random((n, len(items))) < _CODED_MISSING_SHARE
        values = table.to_numpy(dtype=object)
        values[skip] = pd.NA
        if scale.missing_codes:
            code = scale.missing_codes[0]
            values[skip & coded] = int(code) if float(code).is_integer() else code
        table = pd.DataFrame(values, columns=table.columns)
        table = table.astype("Int64") if all(float(c).is_integer() for c in scale.missing_codes) else table

    id_column = study.data.id_column or "resp_id"
    width = max(4, len(str(n)))
    ids = pd.Series([f"R{i:0{width}d}" for i in range(1, n + 1)], name=id_column)
    return pd.concat([ids, pd.DataFrame(background), table], axis=1)


def _probabilities(code: str, given: list[float] | None, levels: int) -> np.ndarray:
    if given is None:
        return np.full(levels, 1.0 / levels)
    p = np.asarray(given, dtype=float)
    if len(p) != levels:
        raise StudyError(f"background question {code}: {len(p)} probabilities for {levels} levels; "
                         "give one probability per level")
    if (p < 0).any() or not np.isclose(p.sum(), 1.0, atol=0.01):
        raise StudyError(f"background question {code}: probabilities must be non-negative and sum to 1 "
                         f"(they sum to {p.sum():g})")
    return p / p.sum()


def write_simulated_data(study: Study, path: str | Path | None = None) -> Path:
    """Simulate the study's sample (population ``n`` and ``seed``) and write it as a UTF-8 CSV.

    Parameters
    ----------
    study : Study
        A study with ``data.population``.
    path : str or Path, optional
        Where to write; by default the study's data file (``data.file``, relative to the study
        file), which must be marked ``simulated: true`` so that real data are never overwritten.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from study.questionnaire import load_study
    >>> from study.data.simulate import write_simulated_data
    >>> study = load_study("questionnaires/ecommerce_loyalty.yaml")
    >>> out = write_simulated_data(study, pathlib.Path(tempfile.mkdtemp()) / "sim.csv")
    >>> out.read_text(encoding="utf-8").splitlines()[0].split(",")[:2]
    ['resp_id', 'gender']
    """
    if path is None:
        if not study.data.simulated:
            raise StudyError(
                f"data.file {study.data.file!r} is not marked 'simulated: true'; refusing to overwrite "
                "what may be real data. Mark it simulated or give another output path.")
        path = study.resolve(study.data.file)
    path = Path(path)
    data = simulate_responses(study)
    path.parent.mkdir(parents=True, exist_ok=True)
    data.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m study.data.simulate STUDY.yaml [-o OUT.csv]``, or with
    ``--students N [--out DIR] [--seed S]`` the class datasets of :mod:`study.data.classroom`."""
    parser = argparse.ArgumentParser(
        prog="python -m study.data.simulate",
        description="Draw simulated answers from the population model of a study file and write "
                    "them to the study's data file (or to --output).")
    parser.add_argument("study", help="the YAML study file, e.g. questionnaires/ecommerce_loyalty.yaml")
    parser.add_argument("-o", "--output", help="write here instead of the study's data file")
    parser.add_argument("--students", type=int, metavar="N",
                        help="class datasets: one data file per student (own seed, same population model) and "
                             "the lecturer's answer key (true values and each file's estimates), in --out")
    parser.add_argument("--out", metavar="DIR", help="folder for --students (default: class_<study name>)")
    parser.add_argument("--seed", type=int, help="with --students: the seed the students' seeds come from "
                                                 "(default: data.population.seed)")
    args = parser.parse_args(argv)
    if args.students is not None:
        return _class_main(args)
    try:
        study = load_study(args.study)
        path = write_simulated_data(study, args.output)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    population = study.data.population
    n_items = len(study.items)
    cells = data[[i.data_column for i in study.items]]
    empty = int((cells == "").to_numpy().sum())
    codes = {str(int(c)) if float(c).is_integer() else str(c) for c in study.scale.missing_codes}
    coded = int(cells.isin(codes).to_numpy().sum())
    try:
        shown = path.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(f"wrote {shown}: {len(data)} simulated respondents (seed {population.seed}), "
          f"{n_items} items, {len(data.columns) - n_items - 1} background columns; "
          f"{empty} empty and {coded} coded-missing answers, "
          f"{int(round(population.careless_share * len(data)))} straight-liners")
    return 0


def _class_main(args) -> int:
    from .classroom import write_class_datasets  # the answer key needs the analysis modules

    try:
        study = load_study(args.study)
        out = Path(args.out or f"class_{Path(args.study).stem}")
        written = write_class_datasets(study, args.students, out, seed=args.seed)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    key = written.key.set_index(["quantity", "parameter"])
    analysed = key.loc[("n", "analysed")].drop("true")
    print(f"wrote {len(written.files)} data files to {out}/ ({written.files[0].name} … {written.files[-1].name}; "
          f"{int(key.loc[('n', 'respondents'), 'true'])} respondents each, {int(analysed.min())}–{int(analysed.max())} "
          "analysed after screening)")
    print(f"answer key: {written.key_file} (true values and each file's estimates), {written.key_json} (with seeds)")
    paths = key.loc["path"]
    for name, row in paths.iterrows():
        values = row.drop("true")
        print(f"  {name}: true {row['true']:.2f}, estimates {values.min():.2f} to {values.max():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
