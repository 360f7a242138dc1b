"""Class datasets: one simulated data file per student, and the lecturer's answer key.

Every student gets a sample of the same population model (``data.population`` of the study file) with
a seed of their own, so no two students hand in the same numbers, and the lecturer knows the truth
behind all of them. The answer key gives, per quantity, the true (population) value and the estimate
each file gives when it is analysed as the study says (screening, listwise or FIML, ML):

- ``path``: the standardized path of each hypothesis (true: ``data.population.paths``; 0 when the
  population has no such path), with its p value;
- ``indirect``: each mediation chain's standardized indirect effect (the product of its paths);
- ``reliability``: Cronbach's alpha and composite reliability of each first-order construct (true CR
  from the population loadings, (Σλ)² / ((Σλ)² + Σ(1 − λ²)));
- ``fit``: χ², df, CFI, TLI, RMSEA and SRMR of the structural model (no true value: the answers are
  categories, so even the population does not fit exactly), and ``proper`` (1 when the fit converged
  to a proper solution: otherwise its estimates are no findings);
- ``n``: respondents in the file and analysed.

Seeds: student k's seed is drawn from ``SeedSequence(seed).spawn(k)[k − 1]``, so adding students
later leaves the first files unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..measurement.reliability import cronbach_alpha
from ..model.estimate import fit_model
from ..model.fiml import fit_fiml
from ..model.fit_indices import fit_measures
from ..model.syntax import second_order_pairs, sem_syntax
from ..questionnaire import Study, StudyError
from .responses import load_responses
from .simulate import DEFAULT_ITEM_LOADING, _population, population_model, simulate_responses

FIT_KEYS = ("chisq", "df", "cfi", "tli", "rmsea", "srmr")


@dataclass(frozen=True)
class ClassDatasets:
    """What :func:`write_class_datasets` wrote."""

    files: list[Path]
    seeds: list[int]
    key: pd.DataFrame  # quantity, parameter, true, then one column per file (estimate), long form in key_long
    key_long: pd.DataFrame  # file, seed, quantity, parameter, true, estimate, p
    key_file: Path
    key_json: Path


def student_seeds(seed: int, students: int) -> list[int]:
    """One seed per student, the first k the same whatever the number of students.

    Examples
    --------
    >>> student_seeds(1, 3)[:2] == student_seeds(1, 2)
    True
    """
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(seed).spawn(students)]


def _true_values(study: Study) -> dict[tuple[str, str], float]:
    model = population_model(study)
    where = {c: i for i, c in enumerate(model.constructs)}
    true: dict[tuple[str, str], float] = {}
    for h in study.model.hypotheses:
        true[("path", f"{h.id} {h.from_}->{h.to}")] = float(model.beta[where[h.to], where[h.from_]])
    for m in study.model.mediation:
        value = float(np.prod([model.beta[where[b], where[a]] for a, b in zip(m.path, m.path[1:])]))
        true[("indirect", f"{m.id + ' ' if m.id else ''}{'->'.join(m.path)}")] = value
    for construct in study.first_order:
        loadings = np.array([DEFAULT_ITEM_LOADING if i.loading is None else float(i.loading) for i in construct.items])
        s = loadings.sum() ** 2
        true[("reliability", f"{construct.code} CR")] = float(s / (s + np.sum(1 - loadings**2)))
        true[("reliability", f"{construct.code} alpha")] = np.nan
    for key in FIT_KEYS:
        true[("fit", key)] = np.nan
    true[("fit", "proper")] = 1.0
    true[("n", "respondents")] = float(_population(study).n)
    true[("n", "analysed")] = np.nan
    return true


def _estimates(study: Study, data_file: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(estimate, p) of every key quantity from one data file, analysed as the study says."""
    data = load_responses(study, data_file)
    syntax, pairs = sem_syntax(study), second_order_pairs(study)
    if study.model.missing == "fiml":
        fiml = fit_fiml(syntax, data.items, measurement_pairs=pairs)
        fitted, measures = fiml.fitted, fiml.fit
    else:
        fitted = fit_model(syntax, data.items, measurement_pairs=pairs)
        measures = fit_measures(fitted)
    paths = fitted.paths().set_index(["rhs", "lhs"])
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for h in study.model.hypotheses:
        row = paths.loc[(h.from_, h.to)]
        out[("path", f"{h.id} {h.from_}->{h.to}")] = (float(row["std_all"]), float(row["pvalue"]))
    for m in study.model.mediation:
        value = float(np.prod([paths.loc[(a, b), "std_all"] for a, b in zip(m.path, m.path[1:])]))
        out[("indirect", f"{m.id + ' ' if m.id else ''}{'->'.join(m.path)}")] = (value, np.nan)
    loadings = fitted.loadings()
    for construct in study.first_order:
        items = [i.code for i in construct.items]
        lam = loadings[(loadings["lhs"] == construct.code) & loadings["rhs"].isin(items)]["std_all"].to_numpy()
        s = lam.sum() ** 2
        out[("reliability", f"{construct.code} CR")] = (float(s / (s + np.sum(1 - lam**2))), np.nan)
        out[("reliability", f"{construct.code} alpha")] = (float(cronbach_alpha(data.items[items].dropna())), np.nan)
    for key in FIT_KEYS:
        out[("fit", key)] = (float(measures[key]), np.nan)
    out[("fit", "proper")] = (float(fitted.proper), np.nan)  # 1: converged, no improper estimate
    out[("n", "respondents")] = (float(data.n_raw), np.nan)
    out[("n", "analysed")] = (float(data.n_analysed), np.nan)
    return out


def write_class_datasets(study: Study, students: int, out_dir: str | Path, *, seed: int | None = None,
                         n: int | None = None) -> ClassDatasets:
    """Write ``students`` simulated data files and the answer key into ``out_dir``.

    Parameters
    ----------
    study : Study
        A study with ``data.population``.
    students : int
        Number of data files (1–1000).
    out_dir : str or Path
        Folder to write into (created if needed): ``student_01.csv`` …, ``answer_key.csv`` (one row per
        quantity: the true value and each file's estimate) and ``answer_key.json`` (also the seeds and the
        p values).
    seed : int, optional
        The seed the students' seeds are drawn from; default ``data.population.seed``.
    n : int, optional
        Respondents per file; default ``data.population.n``.

    Returns
    -------
    ClassDatasets

    Examples
    --------
    >>> import tempfile
    >>> from study.questionnaire import load_study
    >>> out = write_class_datasets(load_study("questionnaires/ecommerce_loyalty.yaml"), 2, tempfile.mkdtemp())
    >>> [f.name for f in out.files], list(out.key.columns[:4])
    (['student_01.csv', 'student_02.csv'], ['quantity', 'parameter', 'true', 'student_01'])
    """
    population = _population(study)
    if not 1 <= students <= 1000:
        raise StudyError(f"--students {students}: give between 1 and 1000 students")
    seed = population.seed if seed is None else int(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    seeds = student_seeds(seed, students)
    width = max(2, len(str(students)))
    true = _true_values(study)
    files, records = [], []
    for k, student_seed in enumerate(seeds, start=1):
        path = out_dir / f"student_{k:0{width}d}.csv"
        simulate_responses(study, n=n, seed=student_seed).to_csv(path, index=False, encoding="utf-8",
                                                                 lineterminator="\n")
        files.append(path)
        for (quantity, parameter), (estimate, p) in _estimates(study, path).items():
            records.append({"file": path.name, "seed": student_seed, "quantity": quantity, "parameter": parameter,
                            "true": true.get((quantity, parameter), np.nan), "estimate": estimate, "p": p})
    if n is not None:
        true[("n", "respondents")] = float(n)
    long = pd.DataFrame(records)
    long.loc[(long["quantity"] == "n") & (long["parameter"] == "respondents"), "true"] = true[("n", "respondents")]
    order = list(dict.fromkeys(zip(long["quantity"], long["parameter"])))
    wide = long.pivot(index=["quantity", "parameter"], columns="file", values="estimate").reindex(order)
    wide = wide[[f.name for f in files]].rename(columns=lambda name: Path(name).stem)
    wide.insert(0, "true", [true.get(key, np.nan) for key in order])
    wide = wide.reset_index()
    wide.columns.name = None
    key_file = out_dir / "answer_key.csv"
    wide.round(4).to_csv(key_file, index=False, encoding="utf-8", lineterminator="\n")
    key_json = out_dir / "answer_key.json"
    key_json.write_text(json.dumps({
        "study": str(study.path) if study.path else None, "seed": seed, "students": students,
        "files": [{"file": f.name, "seed": s} for f, s in zip(files, seeds)],
        "estimates": [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
                      for r in long.to_dict("records")],
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return ClassDatasets(files=files, seeds=seeds, key=wide, key_long=long, key_file=key_file, key_json=key_json)
