"""Time the PLS bootstrap beside seminr (Python) and plspm (Python) on the same resamples.

Model: the full ECSI model on the bank data (questionnaires/data/satisfaction.csv: 6 constructs,
27 items, n = 250), the model of R plspm's reference. Run from anywhere:

    python benchmarks/bench_pls.py [--resamples N] [--repeat K] [--seminr M] [--plspm M]
                                   [--plspm-python /work/venvs/plspm/bin/python]

1. ours: ``bootstrap_pls`` with N resamples (default 10,000), path scheme and standardized items
   (SmartPLS's defaults) and plspm's settings (centroid, centred items); workers = 1 and 2; with and
   without the n leave-one-out estimates BCa needs; median of K runs. Every statistic is kept
   (weights, loadings, paths, total/indirect/specific effects, R², HTMT).
2. seminr 0.2.1 (``pip install seminr``, the Python port by seminr's authors): ``bootstrap_model``
   given the same resample indices (its ``indices=`` argument), path scheme, on the first M of our
   resamples (default 1,000), one process; the time is scaled to N. seminr keeps paths, loadings,
   weights, total paths and HTMT per resample.
3. plspm 0.5.7 (Python; fails under pandas 3 and needs pandas ≥ 2.1, so it runs in a separate venv, not part of the project:
   ``python -m venv /work/venvs/plspm && /work/venvs/plspm/bin/pip install "pandas>=2.1,<3" "numpy<2"
   plspm``): its estimator and the summaries its bootstrap keeps per resample (weights, loadings,
   paths, total effects, R²), on the first M of our resamples (default 200), one process, centroid
   scheme, scaled to N. Skipped when the venv is missing.

The resamples are ours (``study.pls.bootstrap.resample_counts``) turned into row indices, so all
three programs estimate the same 250-row data sets. Timings exclude start-up and imports. Nothing is
asserted; the figures are printed for a reader to judge.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from study.pls import PLSModel, PLSSettings  # noqa: E402
from study.pls.bootstrap import CHUNK, bootstrap_pls, resample_counts  # noqa: E402

BLOCKS = {"IMAG": [f"imag{i}" for i in range(1, 6)], "EXPE": [f"expe{i}" for i in range(1, 6)],
          "QUAL": [f"qual{i}" for i in range(1, 6)], "VAL": [f"val{i}" for i in range(1, 5)],
          "SAT": [f"sat{i}" for i in range(1, 5)], "LOY": [f"loy{i}" for i in range(1, 5)]}
PATHS = [("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"), ("EXPE", "VAL"),
         ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "LOY")]
SEED = 2024

PLSPM_SCRIPT = r'''
import sys, time, json
import numpy as np, pandas as pd
import plspm.config as c, plspm.inner_model as im
from plspm.mode import Mode
from plspm.scheme import Scheme
from plspm.estimator import Estimator
import plspm.weights as w
blocks = json.loads(sys.argv[3]); paths = json.loads(sys.argv[4])
data = pd.read_csv(sys.argv[1], index_col=0)[[i for b in blocks.values() for i in b]]
idx = np.load(sys.argv[2])
lvs = list(blocks)
structure = c.Structure()
for a, b in paths:
    structure.add_path([a], [b])
config = c.Config(structure.path(), scaled=False)
for lv, items in blocks.items():
    config.add_lv(lv, Mode.A, *[c.MV(i) for i in items])
estimator = Estimator(config)
filtered = config.filter(data)
correction = np.sqrt(filtered.shape[0] / (filtered.shape[0] - 1))
calc = w.WeightsCalculatorFactory(config, 100, 1e-6, correction, Scheme.CENTROID)
odm = config.odm(config.path())
t = time.perf_counter()
kept = 0
first = None
for rows in idx:
    final, scores, weights = estimator.estimate(calc, filtered.iloc[rows, :])
    inner = im.InnerModel(config.path(), scores)
    r2, eff = inner.r_squared(), inner.effects()
    loads = (scores.apply(lambda s: final.corrwith(s)) * odm).sum(axis=1)
    if first is None:
        first = [float(eff.loc[f"{a} -> {b}", "direct"]) for a, b in paths]
    kept += 1
print(json.dumps({"seconds": time.perf_counter() - t, "resamples": kept, "first_paths": first}))
'''


def our_indices(n: int, resamples: int, seed: int) -> np.ndarray:
    """Row indices of our resamples (the same draws as bootstrap_pls, rows in sorted order)."""
    sizes = [CHUNK] * (resamples // CHUNK) + ([resamples % CHUNK] if resamples % CHUNK else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    out = []
    for size, s in zip(sizes, seeds):
        counts = resample_counts(n, size, s).astype(int)
        out += [np.repeat(np.arange(n), c) for c in counts]
    return np.array(out)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resamples", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seminr", type=int, default=1000, help="resamples timed for seminr (scaled to N)")
    ap.add_argument("--plspm", type=int, default=200, help="resamples timed for plspm (scaled to N)")
    ap.add_argument("--plspm-python", default="/work/venvs/plspm/bin/python")
    args = ap.parse_args()
    data = pd.read_csv(ROOT / "questionnaires" / "data" / "satisfaction.csv", index_col=0)
    items = [i for b in BLOCKS.values() for i in b]
    model = PLSModel.build(BLOCKS, PATHS)
    n, nboot = len(data), args.resamples
    rows = []
    print(f"PLS bootstrap of the ECSI bank model (6 constructs, 27 items, n = {n}), {nboot:,} resamples; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, median of {args.repeat}")

    for label, settings in (("path scheme, standardized", PLSSettings()),
                            ("centroid, centred (plspm)", PLSSettings(scheme="centroid", scaled=False))):
        for workers in (1, 2):
            for bca in (False, True):
                sec = median_time(lambda: bootstrap_pls(data, model, settings, resamples=nboot, seed=SEED,
                                                        workers=workers, bca=bca), args.repeat)
                rows.append((f"ours: {label}, workers={workers}{', + jackknife (BCa)' if bca else ''}", sec, nboot))

    idx = our_indices(n, max(args.seminr, args.plspm), SEED)
    try:
        import seminr as sm
        mm = sm.constructs(*[sm.composite(k, sm.multi_items(v[0][:-1], range(1, len(v) + 1)))
                             for k, v in BLOCKS.items()])
        smod = sm.relationships(*[sm.paths(from_=a, to=b) for a, b in PATHS])
        fit = sm.estimate_pls(data[items], mm, smod)
        m = args.seminr
        t = time.perf_counter()
        boot = sm.bootstrap_model(fit, m, indices=idx[:m])
        sec = time.perf_counter() - t
        rows.append((f"seminr {sm.__version__} (Python), path scheme, 1 process [{m:,} timed, scaled]",
                     sec * nboot / m, m))
        ours_paths = bootstrap_pls(data, model, resamples=m, seed=SEED, bca=False).draws_of("path")
        theirs = np.array([[bp.get(a, b) for a, b in PATHS] for bp in boot.boot_paths])
        print(f"  same resamples: max |ours - seminr| over {m} x {len(PATHS)} path draws = "
              f"{np.abs(ours_paths.to_numpy() - theirs).max():.1e}")
    except ImportError:
        print("  seminr not installed (pip install seminr): skipped")

    py = Path(args.plspm_python)
    if py.exists():
        with tempfile.TemporaryDirectory() as tmp:
            np.save(Path(tmp) / "idx.npy", idx[:args.plspm])
            out = subprocess.run([str(py), "-c", PLSPM_SCRIPT, str(ROOT / "questionnaires" / "data" / "satisfaction.csv"),
                                  str(Path(tmp) / "idx.npy"), json.dumps(BLOCKS), json.dumps(PATHS)],
                                 capture_output=True, text=True)
        if out.returncode == 0:
            res = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append((f"plspm 0.5.7 (Python), centroid, 1 process [{res['resamples']:,} timed, scaled]",
                         res["seconds"] * nboot / res["resamples"], res["resamples"]))
            ours = bootstrap_pls(data, model, PLSSettings(scheme="centroid", scaled=False), resamples=1, seed=SEED,
                                 bca=False).draws_of("path").to_numpy()[0]
            print(f"  same resamples: max |ours - plspm| over the first resample's paths = "
                  f"{np.abs(ours - np.array(res['first_paths'])).max():.1e}")
        else:
            print("  plspm failed:", out.stderr.strip().splitlines()[-1:])
    else:
        print(f"  {py} not found: plspm skipped")

    base = min(s for lab, s, _ in rows if lab.startswith("ours: path scheme, standardized, workers=1") and "BCa" not in lab)
    print(f"\n{'':78s} {'seconds':>9s} {'x ours':>8s}")
    for lab, sec, _ in rows:
        print(f"{lab:78s} {sec:9.2f} {sec / base:8.1f}")


if __name__ == "__main__":
    main()
