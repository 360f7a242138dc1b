"""Time the examiner's analyses (issue 14) beside lavaan, on the fixed copy of the default study's data
(tests/reference/ecommerce_loyalty_gender.csv, 425 respondents, second-order QUAL) and print a table.

    python benchmarks/bench_examiner.py [--resamples N] [--no-r]

Ours: full or partial mediation of the three mediation chains (two models with a direct path, N bootstrap
resamples each, workers=1 and 2); the competing models (partial mediation, first-order, one-factor, NET
checks, target coefficient); measurement invariance by gender to strict (ML and MLR; score tests);
f² by refitting without each path. lavaan (benchmarks/lavaan_timing_examiner.R): the same models with
``sem()``/``cfa()``, ``se = "bootstrap"`` with N resamples for the model with QUAL -> LOY, ``lavTestLRT``,
``lavTestScore`` and semTools' NET check. Nothing is asserted; a busy machine inflates both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--no-r", action="store_true")
    args = parser.parse_args()
    from study.threads import blas_threads

    from test_model_questions_reference import MEDIATION, SPECS, SHOP, _cfa
    from study.model.alternatives import compare_models, first_order_model, one_factor_model, partial_mediation_model
    from study.model.invariance import measurement_invariance
    from study.model.mediation import mediation_tests
    from study.model.path_statistics import f_squared

    spec, data = SPECS["shop"], SHOP
    chains = [(None, c) for c in MEDIATION["shop"]]
    rows = []
    with blas_threads(1):
        for workers in (1, 2):
            rows.append((f"full/partial mediation, 2 models × {args.resamples} resamples, {workers} worker(s)",
                         timed(lambda: mediation_tests(spec, chains, data, resamples=args.resamples, workers=workers))))
        alternatives = [partial_mediation_model(spec, MEDIATION["shop"]), first_order_model(spec), one_factor_model(spec)]
        rows.append(("competing models (3 alternatives, NET, target coefficient)",
                     timed(lambda: compare_models(spec, alternatives, data))))
        for estimator in ("ML", "MLR"):
            rows.append((f"invariance configural → strict, score tests ({estimator})",
                         timed(lambda: measurement_invariance(_cfa("shop"), data, data["gender"], order=["1", "2"],
                                                              levels=("configural", "metric", "scalar", "strict"),
                                                              criterion="chisq", estimator=estimator))))
        rows.append(("f² (5 refits)", timed(lambda: f_squared(spec, data))))
    lavaan = {}
    if not args.no_r and shutil.which("Rscript"):
        out = subprocess.run(["Rscript", str(ROOT / "benchmarks" / "lavaan_timing_examiner.R"), str(args.resamples)],
                             cwd=ROOT, capture_output=True, text=True, check=True)
        lavaan = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"| task | ours (s) |\n| --- | --- |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} |")
    for name, seconds in lavaan.items():
        print(f"| lavaan: {name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
