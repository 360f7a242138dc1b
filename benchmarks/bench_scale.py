"""Time the default study end to end on many respondents: is every stage linear in n?

    python benchmarks/bench_scale.py [--rows 200000 1000000] [--dir /tmp] [--export-data] [--repeat 1]

1. simulates (once; kept for later runs) ``<dir>/bench_scale_<rows>.csv`` from the default study's population
   model with ``study.data.simulate.simulate_responses`` (1 % missing answers, 2 % straight-liners, as the
   study file says), seed 1;
2. runs ``python analysis.py questionnaires/ecommerce_loyalty.yaml --data FILE --bootstrap 0`` (the whole
   pipeline: reading and screening, item statistics, reliability, EFA and parallel analysis, Mardia, HTMT with
   its bootstrap, CFA and SEM, method factor, group comparison, the report in HTML, Word and Excel, results.json
   and the CSV files; no mediation bootstrap) in a child process, and reports its wall time, its CPU time (user +
   system) and its peak resident memory, with the load average of the machine before and after.

On a shared machine the wall time is the CPU time stretched by the other processes: the CPU time is what the
run costs (the command line runs one BLAS thread, so CPU time is the wall time of an idle machine). Nothing
is asserted; the figures are printed for a reader to judge (targets of issue 15: 1,000,000 respondents in under
60 s and 4 GB, 200,000 in under 20 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STUDY = ROOT / "questionnaires" / "ecommerce_loyalty.yaml"


def data_file(rows: int, folder: Path) -> Path:
    path = folder / f"bench_scale_{rows}.csv"
    if path.exists():
        return path
    from study.data.simulate import simulate_responses
    from study.questionnaire import load_study

    started = time.perf_counter()
    frame = simulate_responses(load_study(STUDY), n=rows, seed=1)
    part = path.with_suffix(".part")
    frame.to_csv(part, index=False, lineterminator="\n")
    part.rename(path)
    print(f"simulated {rows:,} respondents into {path} ({path.stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - started:.0f} s")
    return path


def run(path: Path, out: Path, export: bool) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "analysis.py"), str(STUDY), "--data", str(path), "--out", str(out),
               "--bootstrap", "0", "--quiet", *(["--export-data"] if export else [])]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"the run failed (exit {proc.returncode}):\n{proc.stderr}")
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "rss_gb": after.ru_maxrss / 2**20, "load_before": load, "load_after": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--dir", default="/tmp", help="where the simulated data go (default /tmp)")
    parser.add_argument("--export-data", action="store_true", help="also write the analysed data (CSV and .sav)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = Path(args.dir)
    print(f"{'respondents':>12} {'wall s':>8} {'CPU s':>7} {'peak GB':>8}  load average (before, after)")
    for rows in args.rows:
        path = data_file(rows, folder)
        for _ in range(args.repeat):
            r = run(path, folder / f"bench_scale_out_{rows}", args.export_data)
            print(f"{rows:>12,} {r['wall']:>8.1f} {r['cpu']:>7.1f} {r['rss_gb']:>8.2f}  "
                  f"{r['load_before']:.1f}, {r['load_after']:.1f}", flush=True)


if __name__ == "__main__":
    main()
