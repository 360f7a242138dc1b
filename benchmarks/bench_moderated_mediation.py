"""Bootstrap of the index of moderated mediation, ours beside R's, and print one table.

    python benchmarks/bench_moderated_mediation.py [--resamples 5000] [--sem-resamples 5000]
                                                   [--r-sem-resamples 1000] [--repeat 5] [--no-r]

Data: tests/reference/moderation_simulated.csv (500 respondents). Model: PROCESS model 14 — switching
cost (SWC) moderating the second stage of quality → satisfaction → loyalty; index = a·b₃.

1. Regression on scores (:func:`study.analyses.moderated_mediation.moderated_mediation`), 5000
   resamples, vectorised: median of K runs; beside R doing PROCESS's bootstrap by hand (lm.fit of the
   two equations per resample; benchmarks/lavaan_modmed_timing.R).
2. The same model in the SEM with latent products (:func:`latent_moderated_mediation`), ML refits of
   N resamples with workers=1 and 2; beside lavaan's ``se = "bootstrap"`` of the defined parameter
   ``index := a1*b3`` serially and with ``parallel = "multicore"`` on 2 CPUs, on M resamples (default
   1000: lavaan needs about 0.04 s per refit), both scaled to 5000 resamples.

Timings exclude start-up and imports on both sides. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from study.analyses.moderated_mediation import latent_moderated_mediation, moderated_mediation  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resamples", type=int, default=5000)
    ap.add_argument("--sem-resamples", type=int, default=5000)
    ap.add_argument("--r-sem-resamples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-r", action="store_true")
    a = ap.parse_args()

    raw = pd.read_csv(ROOT / "tests/reference/moderation_simulated.csv")
    scores = pd.DataFrame({p: raw.filter(regex=f"^{p}[0-9]+$").mean(axis=1) for p in ("qual", "sat", "loy", "swc")})
    constructs = {p: list(raw.filter(regex=f"^{p}[0-9]+$").columns) for p in ("qual", "sat", "loy", "swc")}

    moderated_mediation(scores, "qual", "sat", "loy", "swc", stage="second", resamples=1000)  # warm-up
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        reg = moderated_mediation(scores, "qual", "sat", "loy", "swc", stage="second", resamples=a.resamples, seed=1)
        times.append(time.perf_counter() - t0)
    reg_seconds = statistics.median(times)

    sem = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        fit = latent_moderated_mediation(raw, constructs, "qual", "sat", "loy", "swc", stage="second",
                                         resamples=a.sem_resamples, seed=1, workers=workers)
        sem[workers] = (time.perf_counter() - t0, fit)

    r = None
    if not a.no_r and shutil.which("Rscript"):
        done = subprocess.run(["Rscript", str(ROOT / "benchmarks/lavaan_modmed_timing.R"), str(a.resamples),
                               str(a.r_sem_resamples)], cwd=ROOT, capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])

    idx = reg.index.loc["index"]
    print(f"n = {reg.n}; index of moderated mediation (regression) = {idx['est']:.4f}, boot SE {idx['boot_se']:.4f}, "
          f"95% CI [{idx['ci_lower']:.4f}, {idx['ci_upper']:.4f}]")
    boot = sem[1][1].bootstrap.loc["index"]
    print(f"SEM index = {boot['est']:.4f}, boot SE {boot['boot_se']:.4f}, 95% CI [{boot['ci_lower']:.4f}, "
          f"{boot['ci_upper']:.4f}] ({sem[1][1].draws.theta.shape[0]} of {a.sem_resamples} refits converged)")
    if r:
        print(f"R: regression index {r['regression_index']:.4f}, boot SE {r['regression_boot_se']:.4f}; lavaan index "
              f"{r['sem_index']:.4f}, boot SE {r['sem_boot_se']:.4f} ({r['sem_boot_ok']} of {r['sem_resamples']})")
    scale = 5000 / a.sem_resamples
    print("\n| task | ours | R |\n| --- | --- | --- |")
    print(f"| index of moderated mediation by regression, {a.resamples} resamples (n = 500) | "
          f"{reg_seconds:.3f} s (vectorised) | " + (f"{r['regression_seconds']:.1f} s (lm.fit per resample) |" if r else "— |"))
    rs = 5000 / r["sem_resamples"] if r else None
    print("| the same index in the SEM (latent products, ML refits), per 5000 resamples | "
          f"{sem[2][0] * scale:.1f} s (2 workers), {sem[1][0] * scale:.1f} s (1) | "
          + (f"{r['sem_seconds_multicore'] * rs:.0f} s (multicore, 2 cpus), {r['sem_seconds_serial'] * rs:.0f} s "
             f"(serial), from {r['sem_resamples']} resamples |" if r else "— |"))


if __name__ == "__main__":
    main()
