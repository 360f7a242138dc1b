"""Time our analysis beside R's lavaan and print one side-by-side table.

Run from anywhere (paths are taken relative to the project root):

    python benchmarks/run.py [--resamples N] [--repeat K] [--no-r] [--quick] [--profile]
                             [--r-fiml-resamples M] [--end-to-end-only]

1. the default study end to end (``python analysis.py --quiet --out TMP``), median wall time of K runs
   and the CPU time (user + system) of the run with that wall time, its worker processes included
   (``--end-to-end-only``: this row alone, with the stages of the median run);
2. the bank study's structural model fitted alone (``fit_model``), median of max(K, 5) fits;
3. the bootstrap of its indirect effects alone (``bootstrap_indirect``), N resamples, workers=1 and 2;
4. if ``Rscript`` is found (and not ``--no-r``): lavaan's plain fit and ``se = "bootstrap"`` with the
   same N on the same rows (benchmarks/lavaan_timing.R), serially and with ``parallel = "multicore"``
   on 2 CPUs, and the ratio lavaan/ours per 1000 resamples;
5. (not with ``--quick``) a scale test: the bank model on 1,000,000 rows drawn with replacement from
   the bank rows; ours is ``fit_model`` on the DataFrame (covariance + fit), lavaan's is fitted from
   the covariance matrix (``sample.cov`` + ``sample.nobs``) because a 1M-row CSV is slow to hand over;
6. (not with ``--quick``) FIML: the bank model on tests/reference/satisfaction_missing.csv (answers
   deleted at random), ``fit_fiml`` vs lavaan ``sem(..., missing = "ml")``, median of max(K, 5) fits;
7. (not with ``--quick``) the FIML bootstrap of the QUAL→SAT→LOY indirect effect
   (``bootstrap_indirect(..., fiml=fit)``), N resamples, workers=1 and 2, vs lavaan
   ``sem(..., missing = "ml", se = "bootstrap")`` serially and with ``parallel = "multicore"``, 2 CPUs,
   on M resamples (``--r-fiml-resamples``, default 200: lavaan needs seconds per FIML refit), both
   scaled to 1000 resamples (benchmarks/lavaan_timing_more.R);
8. (not with ``--quick``) WLSMV: the bank model on questionnaires/data/satisfaction.csv with every item
   ordinal, ``fit_wlsmv`` vs lavaan ``sem(..., estimator = "WLSMV", ordered = <items>)``, median of
   max(K, 5) fits;
9. RMSEA power (issue 17): ``rmsea_plan`` (power at the planned N and required N of the tests of close,
   not-close and exact fit) for the default model's df vs semTools ``findRMSEApower`` +
   ``findRMSEAsamplesize`` (benchmarks/power_timing.R), median of max(K, 5);
10. Monte Carlo power (issue 17): ``monte_carlo_power`` on tests/reference/power_study.yaml (normal items,
   N = 120 and 250), workers=1 and 2, vs the same simulation with lavaan ``sem()`` per replication
   (power_timing.R, serial, ``--r-power-replications`` per N), both per 1000 replications;
11. class datasets (issue 17): ``write_class_datasets`` for 40 students of the default study (ours only);
12. ``analysis.py --power`` on the default study (10 sample sizes, ``--replications 200``), end to end.

Row 1 runs with ``--timings``: the stages of that run are printed under Details. Row 2c is the ratio of
``fit_model`` under numpy's default threads to its time inside ``threadpool_limits(1)``; the fitting
functions limit the threads themselves, so it should be near 1.

Rows marked b/c are diagnostics beyond that comparison: the same work with OpenBLAS held to one
thread (threadpool_limits(1)), which matters for small matrices on a machine with few or busy cores; the
end-to-end run with OpenBLAS's own thread pool (the command line asks for one thread before numpy loads);
and the covariance step of the scale test alone.

Timings exclude interpreter start-up and imports on both sides (R's figures are measured inside R,
after a warm-up fit), except the end-to-end run, which is a whole ``python analysis.py`` process.
Nothing is asserted: the figures are printed for a reader to judge. ``--profile`` adds a short
cProfile of the single-process bootstrap (top functions by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import io
import json
import os
import platform
import pstats
import resource
import shutil
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
import scipy  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from study.data import load_responses  # noqa: E402
from study.model.batch import REFIT_STEP_TOL  # noqa: E402
from study.model.bootstrap import bootstrap_indirect  # noqa: E402
from study.model.estimate import fit_model  # noqa: E402
from study.model.fit_indices import fit_measures  # noqa: E402
from study.model.syntax import second_order_pairs, sem_syntax  # noqa: E402
from study.questionnaire import load_study  # noqa: E402

BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
R_SCRIPT = ROOT / "benchmarks" / "lavaan_timing.R"
R_SCRIPT_MORE = ROOT / "benchmarks" / "lavaan_timing_more.R"
R_POWER = ROOT / "benchmarks" / "power_timing.R"
MISSING_CSV = ROOT / "tests" / "reference" / "satisfaction_missing.csv"
BANK_CSV = ROOT / "questionnaires" / "data" / "satisfaction.csv"
FIML_CHAIN = ("QUAL", "SAT", "LOY")
SCALE_ROWS = 1_000_000
SCALE_SEED = 20261122


# ---------------------------------------------------------------------------------------------- helpers

def timed(fn, k: int) -> tuple[float, list[float], object]:
    """Median wall time of k calls of fn(), all the times, and the last result."""
    times, result = [], None
    for _ in range(k):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def end_to_end(k: int, tmp: Path, env: dict | None = None) -> tuple[list[float], list[float], list[str]]:
    """Wall and CPU seconds (user + system of analysis.py and the processes it waited for) and the stderr
    (``--timings``) of k runs of the default study."""
    walls, cpus, stderrs = [], [], []
    for _ in range(k):
        out_dir = Path(tempfile.mkdtemp(dir=tmp, prefix="e2e-"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "analysis.py", "--quiet", "--timings", "--out", str(out_dir)],
                              cwd=ROOT, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        stderrs.append(done.stderr.strip() if done.returncode == 0
                       else f"analysis.py exited with {done.returncode}: {done.stderr.strip()[-300:]}")
    return walls, cpus, stderrs


def fmt_s(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(r: float | None) -> str:
    if r is None or not np.isfinite(r):
        return "—"
    return f"{r:.2f}×"


def lavaan_syntax(study, chains: list[tuple[str, ...]] | None = None) -> str:
    """Our sem_syntax with labelled regressions and lavaan ``:=`` lines for the mediation chains
    (the study's, or ``chains``)."""
    lines = []
    for line in sem_syntax(study).splitlines():
        if " ~ " in line and "~~" not in line and "=~" not in line:
            to, froms = line.split(" ~ ")
            to = to.strip()
            line = f"{to} ~ " + " + ".join(f"b_{f.strip()}_{to}*{f.strip()}" for f in froms.split("+"))
        lines.append(line)
    for chain in (chains if chains is not None else [tuple(md.path) for md in study.model.mediation]):
        chain = list(chain)
        lines.append("_".join(chain) + " := " + "*".join(f"b_{a}_{b}" for a, b in zip(chain, chain[1:])))
    return "\n".join(lines) + "\n"


def run_r(args: list[str], timeout: float = 3600, script: Path = R_SCRIPT) -> dict:
    """Run a lavaan timing script; its JSON answer, or {"error": ...}."""
    cmd = ["Rscript", str(script), *args]
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["exit code %d" % done.returncode])[-1]}
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": f"unreadable output: {done.stdout[-200:]!r}"}


def blas_summary() -> str:
    parts = []
    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            parts.append(f"{lib.get('internal_api')} {lib.get('version')} ({lib.get('num_threads')} threads, "
                         f"{Path(lib.get('filepath', '')).parent.parent.name})")
    return "; ".join(dict.fromkeys(parts)) or "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_avg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"
    except OSError:
        return "n/a"


class Table:
    def __init__(self, headers: list[str]):
        self.headers = headers
        self.rows: list[list[str] | None] = []

    def add(self, *cells: str) -> None:
        self.rows.append([str(c) for c in cells])

    def rule(self) -> None:
        self.rows.append(None)

    def render(self) -> str:
        body = [r for r in self.rows if r is not None]
        widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(self.headers)]
        line = "+".join("-" * (w + 2) for w in widths)
        out = [" | ".join(h.ljust(w) for h, w in zip(self.headers, widths)), line]
        for r in self.rows:
            if r is None:
                out.append(line)
            else:
                out.append(" | ".join(c.ljust(w) if i < 2 else c.rjust(w)
                                      for i, (c, w) in enumerate(zip(r, widths))))
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------- main


def _print_stages_notes_load(which: str, stage_times: str, notes: list[str], load_start: str) -> None:
    """The closing lines of the details: the stages of one end-to-end run, the notes, the load average."""
    if stage_times:
        print(f"  stages      analysis.py --timings ({which}):")
        for line in stage_times.splitlines():
            print(f"              {line}")
    for n in notes:
        print(f"  note        {n}")
    print(f"  load avg    {load_avg()} at end (start: {load_start})")

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resamples", type=int, default=2000, metavar="N",
                        help="bootstrap resamples for ours and lavaan (default 2000)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="runs of the end-to-end and bootstrap timings; the median is shown (default 1)")
    parser.add_argument("--no-r", action="store_true", help="do not run lavaan even if Rscript is found")
    parser.add_argument("--quick", action="store_true",
                        help="skip the 1,000,000-row scale test and the FIML and WLSMV rows (6-8)")
    parser.add_argument("--r-fiml-resamples", type=int, default=200, metavar="M",
                        help="resamples of lavaan's FIML bootstrap, scaled to 1000 in the table (default 200; "
                             "lavaan takes seconds per FIML refit)")
    parser.add_argument("--r-power-replications", type=int, default=100, metavar="P",
                        help="replications per N of the lavaan Monte Carlo power loop (row 10; default 100)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the single-process bootstrap (cProfile, top functions by own time)")
    parser.add_argument("--end-to-end-only", action="store_true",
                        help="only row 1: the default study end to end, K runs, with the stages of the median run")
    args = parser.parse_args(argv)
    k = max(1, args.repeat)
    n_boot = args.resamples
    fit_k = max(k, 5)
    load_start = load_avg()
    rscript = None if args.no_r else shutil.which("Rscript")
    tmp = Path(tempfile.mkdtemp(prefix="study-bench-"))
    notes: list[str] = []

    # --- machine facts
    print(f"Benchmark: satisfaction-loyalty SEM, ours vs R lavaan — {_dt.datetime.now().astimezone():%Y-%m-%d %H:%M:%S %Z}")
    print(f"  host        {platform.node()} · {platform.platform()}")
    print(f"  CPU         {cpu_model()} · os.cpu_count() = {os.cpu_count()}, "
          f"usable = {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}")
    print(f"  load avg    {load_start} at start")
    print(f"  Python      {platform.python_version()} · numpy {np.__version__} · scipy {scipy.__version__} · "
          f"pandas {pd.__version__} · semopy {_version('semopy')}")
    print(f"  BLAS (py)   {blas_summary()}")
    print(f"  R           {'not used (--no-r)' if args.no_r else (rscript or 'Rscript not found')}")
    print(f"  settings    resamples N = {n_boot}, repeat K = {k}, fits timed = {fit_k}"
          f"{', --quick (no scale test, no FIML/WLSMV rows)' if args.quick else f', lavaan FIML resamples M = {args.r_fiml_resamples}'}")
    sys.stdout.flush()

    table = Table(["#", "what", "ours", "lavaan", "lavaan / ours"])

    # --- 1. end to end
    e2e_times, e2e_cpu, stderrs = end_to_end(k, tmp)
    median_run = sorted(range(k), key=lambda i: e2e_times[i])[(k - 1) // 2]  # the run with the median wall time
    e2e, stage_times = e2e_times[median_run], stderrs[median_run]
    notes += [text for text in stderrs if text.startswith("analysis.py exited")]
    default_study = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
    default_n = load_responses(default_study).n_analysed
    table.add("1", f"default study end to end: analysis.py --quiet ({default_n} rows, "
                   f"{default_study.model.bootstrap} resamples, all cores), median of {k}",
              f"{fmt_s(e2e)} wall, {fmt_s(e2e_cpu[median_run])} CPU", "", "")
    if args.end_to_end_only:
        print(table.render())
        print("Details")
        print(f"  runs        wall {', '.join(fmt_s(t) for t in e2e_times)}; CPU {', '.join(fmt_s(t) for t in e2e_cpu)}")
        _print_stages_notes_load("the median run", stage_times, notes, load_start)
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    # diagnostic: the command line asks OpenBLAS for one thread before numpy loads (study/cli.py); the same run
    # with OpenBLAS's own thread pool, one thread per core, in every process
    pool = str(os.cpu_count() or 1)
    e2e1_times, _, _ = end_to_end(k, tmp, env={**os.environ, "OPENBLAS_NUM_THREADS": pool})
    table.add("1b", f"  the same with OPENBLAS_NUM_THREADS={pool}, OpenBLAS's own thread pool (diagnostic)",
              fmt_s(statistics.median(e2e1_times)), "", "")
    if k > 1:
        notes.append("end-to-end runs: " + ", ".join(fmt_s(t) for t in e2e_times)
                     + f"; with OPENBLAS_NUM_THREADS={pool}: " + ", ".join(fmt_s(t) for t in e2e1_times))

    # --- 2. bank model fit
    study = load_study(BANK)
    data = load_responses(study)
    syntax = sem_syntax(study)
    pairs = second_order_pairs(study)
    fit_model(syntax, data.items, measurement_pairs=pairs)  # warm-up (first semopy call)
    fit_med, fit_times, fitted = timed(lambda: fit_model(syntax, data.items, measurement_pairs=pairs), fit_k)
    with threadpool_limits(1):
        fit1_med, _, _ = timed(lambda: fit_model(syntax, data.items, measurement_pairs=pairs), fit_k)
    chisq_ours = fit_measures(fitted)["chisq"]
    n_rows, n_par = len(data.items), fitted.structure.n_params

    # --- 3. bootstrap
    x = data.items[fitted.structure.observed].to_numpy(dtype=float)
    chains = [tuple(md.path) for md in study.model.mediation]
    boot = {}
    for workers in (1, 2):
        med, times, res = timed(lambda: bootstrap_indirect(fitted, x, chains, resamples=n_boot,
                                                           seed=study.model.seed, workers=workers), k)
        boot[workers] = (med, times, res)
        if k > 1:
            notes.append(f"bootstrap workers={workers} runs: " + ", ".join(fmt_s(t) for t in times))
    failed = {w: boot[w][2][0].failed if boot[w][2] else 0 for w in boot}

    # --- 4. lavaan
    r_fit = r_serial = r_par = None
    lavaan_version = None
    if rscript:
        data_csv = tmp / "bank_items.csv"
        data.items.to_csv(data_csv, index=False)
        model_file = tmp / "bank_model.lav"
        model_file.write_text(lavaan_syntax(study))
        r_serial = run_r([str(data_csv), str(n_boot), "no", "1", f"--model={model_file}", f"--fits={fit_k}"])
        r_par = run_r([str(data_csv), str(n_boot), "multicore", "2", f"--model={model_file}", "--fits=1"])
        r_fit = r_serial
        for label, res in (("lavaan serial", r_serial), ("lavaan multicore", r_par)):
            if "error" in res:
                notes.append(f"{label}: {res['error']}")
        lavaan_version = next((r.get("lavaan_version") for r in (r_serial, r_par) if r and "lavaan_version" in r),
                              None)

    def r_get(res, key):
        return None if not res or "error" in res else res.get(key)

    def ratio(theirs, ours):
        return None if theirs is None or ours in (None, 0) else theirs / ours

    r_fit_s = r_get(r_fit, "fit_seconds")
    table.rule()
    table.add("2", f"bank model fit: fit_model ({n_rows} rows, {n_par} par.) · sem(), median of {fit_k}",
              fmt_s(fit_med), fmt_s(r_fit_s), fmt_ratio(ratio(r_fit_s, fit_med)))
    table.add("2b", "  ours inside threadpool_limits(1) (diagnostic)", fmt_s(fit1_med), fmt_s(r_fit_s),
              fmt_ratio(ratio(r_fit_s, fit1_med)))
    table.add("2c", "  default threads / one thread (issue 17: ≤ 1.5)", fmt_ratio(fit_med / fit1_med), "", "")
    table.rule()
    per_k = 1000 / n_boot if n_boot else np.nan
    for workers, r_res, r_label in ((1, r_serial, "serial"), (2, r_par, "multicore ncpus=2")):
        ours = boot[workers][0]
        theirs = r_get(r_res, "boot_seconds")
        table.add("3/4", f"bootstrap, {n_boot} resamples: ours workers={workers} · lavaan {r_label}",
                  fmt_s(ours), fmt_s(theirs), "")
        table.add("", "  per 1000 resamples", fmt_s(ours * per_k),
                  fmt_s(theirs * per_k if theirs is not None else None),
                  fmt_ratio(ratio(theirs, ours)))
    r_ok = {lab: r_get(res, "boot_ok") for lab, res in (("serial", r_serial), ("multicore", r_par))}

    # --- 5. scale test
    scale = None
    if not args.quick:
        rng = np.random.default_rng(SCALE_SEED)
        t0 = time.perf_counter()
        big = data.items.iloc[rng.integers(0, n_rows, SCALE_ROWS)].reset_index(drop=True)
        build = time.perf_counter() - t0
        big_x = big[fitted.structure.observed].to_numpy(dtype=float)
        cov_med, _, s_big = timed(lambda: np.cov(big_x, rowvar=False, bias=True), fit_k)
        big_med, big_times, big_fit = timed(lambda: fit_model(syntax, big, measurement_pairs=pairs), k)
        with threadpool_limits(1):
            big1_med, _, _ = timed(lambda: fit_model(syntax, big, measurement_pairs=pairs), k)
        r_big = None
        if rscript:
            cov_csv = tmp / "bank_1m_cov.csv"
            pd.DataFrame(np.cov(big_x, rowvar=False, ddof=1), index=fitted.structure.observed,
                         columns=fitted.structure.observed).to_csv(cov_csv, float_format="%.17g")
            r_big = run_r([f"--cov={cov_csv}", f"--nobs={SCALE_ROWS}", f"--model={tmp / 'bank_model.lav'}",
                           f"--fits={fit_k}"])
            if "error" in r_big:
                notes.append(f"lavaan 1M sample.cov: {r_big['error']}")
        r_big_s = r_get(r_big, "fit_seconds")
        table.rule()
        table.add("5", f"{SCALE_ROWS:,} rows: ours fit_model(DataFrame) · lavaan sample.cov, median of {k}/{fit_k}",
                  fmt_s(big_med), fmt_s(r_big_s), fmt_ratio(ratio(r_big_s, big_med)))
        table.add("5b", "  ours inside threadpool_limits(1) (diagnostic)", fmt_s(big1_med), fmt_s(r_big_s),
                  fmt_ratio(ratio(r_big_s, big1_med)))
        table.add("5c", f"  of which np.cov alone ({SCALE_ROWS:,} × {big_x.shape[1]}), median of {fit_k}",
                  fmt_s(cov_med), "", "")
        scale = dict(build=build, chisq=fit_measures(big_fit)["chisq"], r_chisq=r_get(r_big, "chisq"),
                     times=big_times)
        del big, big_x

    # --- 6-8. FIML fit, FIML bootstrap, WLSMV fit (not with --quick)
    more = None
    if not args.quick:
        more = _fiml_wlsmv_rows(table, study, syntax, pairs, n_boot, k, fit_k, args.r_fiml_resamples,
                                rscript, tmp, notes)

    # --- 9-12. power, class datasets (issue 17)
    power = _power_rows(table, k, fit_k, rscript, tmp, notes, args.r_power_replications)

    # --- print
    print()
    print(table.render())
    print("  lavaan / ours above 1 means ours is faster. Diagnostic rows (b, c) are extra measurements, "
          "not the comparison asked for.")
    print()
    print("Details")
    print(f"  lavaan      {lavaan_version or '—'} · R {r_get(r_serial, 'r_version') or '—'} · "
          f"BLAS {r_get(r_serial, 'blas') or '—'}")
    r_chi = r_get(r_fit, "chisq")
    print(f"  check       bank chi-square: ours {chisq_ours:.4f}, lavaan "
          f"{'—' if r_chi is None else f'{r_chi:.4f}'} (same model, same {n_rows} rows)")
    print(f"  bootstrap   ours: failed resamples {failed[1]} (workers=1), {failed[2]} (workers=2); "
          f"lavaan: converged draws {r_ok['serial'] if r_ok['serial'] is not None else '—'} (serial), "
          f"{r_ok['multicore'] if r_ok['multicore'] is not None else '—'} (multicore) of {n_boot}")
    if boot[1][2]:
        ci = boot[1][2][0]
        print(f"              ours {'→'.join(ci.path)}: est {ci.est:.4f}, 95% percentile CI "
              f"[{ci.ci_lower:.4f}, {ci.ci_upper:.4f}]")
    print("              ours: each resample's covariance refitted by Fisher scoring from the full-sample "
          f"solution (a last step below {REFIT_STEP_TOL:g});")
    print("              lavaan: each resample refitted by nlminb from the full-sample solution, 41 parameters "
          "+ := products;")
    print("              lavaan's bootstrap time also includes its one full-sample fit (~ row 2); "
          "R timings exclude R start-up and library loading")
    if scale:
        r_chi_big = scale["r_chisq"]
        print(f"  scale       rows drawn with replacement from the {n_rows} bank rows, numpy seed {SCALE_SEED}; "
              f"building the DataFrame (not timed above): {fmt_s(scale['build'])}")
        print(f"              chi-square ours {scale['chisq']:.2f}, lavaan "
              f"{'—' if r_chi_big is None else f'{r_chi_big:.2f}'}")
        print("              lavaan is given the covariance matrix (divisor N-1, which it rescales to N) and "
              "sample.nobs, so its time excludes computing the covariance")
    if more:
        _print_more_details(more)
    if power:
        print(f"  power       RMSEA df = {power['df']}: ours N required {power['ours_n']}, semTools "
              f"{power['r_n'] or '—'}; Monte Carlo power of QUAL->TRUST at N = 120/250: ours "
              f"{power['ours_power']}, lavaan loop {power['r_power'] or '—'} ({power['r_reps']} replications)")
    _print_stages_notes_load("the end-to-end run with the median wall time", stage_times, notes, load_start)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if os.getloadavg()[0] > cores * 0.75:
        print(f"  caution     the load average exceeds the {cores} usable cores: other processes were competing "
              "for the CPU, so absolute times are inflated (ratios less so)")

    if args.profile:
        print()
        n_prof = min(n_boot, 300) or 300
        print(f"cProfile of bootstrap_indirect(workers=1, resamples={n_prof}), top 10 by own time (tottime):")
        prof = cProfile.Profile()
        prof.runcall(bootstrap_indirect, fitted, x, chains, resamples=n_prof, seed=study.model.seed, workers=1)
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(10)
        text = buf.getvalue()
        start = text.find("   ncalls")
        print(text[start:].rstrip() if start >= 0 else text.rstrip())

    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _fiml_wlsmv_rows(table: Table, study, syntax: str, pairs, n_boot: int, k: int, fit_k: int, r_boot: int,
                     rscript: str | None, tmp: Path, notes: list[str]) -> dict:
    """Rows 6 (FIML fit), 7 (FIML bootstrap of QUAL→SAT→LOY) and 8 (WLSMV fit); the facts for Details."""
    from study.model.fiml import fit_fiml
    from study.model.ordinal import fit_wlsmv

    def r_get(res, key):
        return None if not res or "error" in res else res.get(key)

    def ratio(theirs, ours):
        return None if theirs is None or ours in (None, 0) else theirs / ours

    # ours: FIML fit on every row (fit_fiml leaves out the rows without any answer itself)
    missing = pd.read_csv(MISSING_CSV).iloc[:, 1:]
    fit_fiml(syntax, missing, measurement_pairs=pairs)  # warm-up
    fiml_med, _, fiml = timed(lambda: fit_fiml(syntax, missing, measurement_pairs=pairs), fit_k)
    # ours: FIML bootstrap; x = the rows with at least one answer, columns in the structure's order
    x = missing[fiml.fitted.structure.observed].to_numpy(dtype=float)
    x = x[~np.isnan(x).all(axis=1)]
    boot = {}
    for workers in (1, 2):
        med, times, res = timed(lambda: bootstrap_indirect(fiml.fitted, x, [FIML_CHAIN], resamples=n_boot,
                                                           seed=study.model.seed, workers=workers, fiml=fiml), k)
        boot[workers] = (med, res[0] if res else None)
        if k > 1:
            notes.append(f"FIML bootstrap workers={workers} runs: " + ", ".join(fmt_s(t) for t in times))
    # ours: WLSMV on the complete bank file
    bank = pd.read_csv(BANK_CSV).iloc[:, 1:]
    fit_wlsmv(syntax, bank, measurement_pairs=pairs)  # warm-up
    wlsmv_med, _, wlsmv = timed(lambda: fit_wlsmv(syntax, bank, measurement_pairs=pairs), fit_k)

    # lavaan
    r_fiml = r_fiml_par = r_wlsmv = None
    r_boot = max(0, min(r_boot, n_boot)) if n_boot else 0
    if rscript:
        fiml_model = tmp / "bank_fiml_model.lav"
        fiml_model.write_text(lavaan_syntax(study, [FIML_CHAIN]))
        r_fiml = run_r(["fiml", str(MISSING_CSV), str(r_boot), "no", "1", f"--model={fiml_model}",
                        f"--fits={fit_k}"], script=R_SCRIPT_MORE)
        if r_boot:
            r_fiml_par = run_r(["fiml", str(MISSING_CSV), str(r_boot), "multicore", "2", f"--model={fiml_model}",
                                "--fits=0"], script=R_SCRIPT_MORE)
        wlsmv_model = tmp / "bank_wlsmv_model.lav"
        wlsmv_model.write_text(syntax if syntax.endswith("\n") else syntax + "\n")
        r_wlsmv = run_r(["wlsmv", str(BANK_CSV), f"--model={wlsmv_model}", f"--fits={fit_k}"], script=R_SCRIPT_MORE)
        for label, res in (("lavaan FIML serial", r_fiml), ("lavaan FIML multicore", r_fiml_par),
                           ("lavaan WLSMV", r_wlsmv)):
            if res and "error" in res:
                notes.append(f"{label}: {res['error']}")

    n_fiml = fiml.fitted.n
    r_fit_s = r_get(r_fiml, "fit_seconds")
    table.rule()
    table.add("6", f"FIML fit: fit_fiml · sem(missing = \"ml\") ({n_fiml} rows with answers, "
                   f"{len(fiml.patterns.counts)} patterns), median of {fit_k}",
              fmt_s(fiml_med), fmt_s(r_fit_s), fmt_ratio(ratio(r_fit_s, fiml_med)))
    table.rule()
    per_ours = 1000 / n_boot if n_boot else np.nan
    per_r = 1000 / r_boot if r_boot else np.nan
    chain = "→".join(FIML_CHAIN)
    for workers, r_res, r_label in ((1, r_fiml, "serial"), (2, r_fiml_par, "multicore ncpus=2")):
        ours = boot[workers][0]
        theirs = r_get(r_res, "boot_seconds")
        table.add("7", f"FIML bootstrap {chain}: ours {n_boot} res. workers={workers} · lavaan {r_boot} res. "
                       f"{r_label}", fmt_s(ours), fmt_s(theirs), "")
        theirs_k = theirs * per_r if theirs is not None else None
        table.add("", "  per 1000 resamples", fmt_s(ours * per_ours), fmt_s(theirs_k),
                  fmt_ratio(ratio(theirs_k, ours * per_ours)))
    table.rule()
    r_w_s = r_get(r_wlsmv, "fit_seconds")
    table.add("8", f"WLSMV fit: fit_wlsmv · sem(estimator = \"WLSMV\", ordered = items) "
                   f"({wlsmv.fitted.n} rows), median of {fit_k}",
              fmt_s(wlsmv_med), fmt_s(r_w_s), fmt_ratio(ratio(r_w_s, wlsmv_med)))
    def ok(res):
        return res if res and "error" not in res else None

    return dict(fiml=fiml, boot=boot, r_fiml=ok(r_fiml), r_fiml_par=ok(r_fiml_par), r_boot=r_boot,
                n_boot=n_boot, wlsmv=wlsmv, r_wlsmv=ok(r_wlsmv))


def _print_more_details(more: dict) -> None:
    fiml, r_fiml, r_par, r_wlsmv = more["fiml"], more["r_fiml"] or {}, more["r_fiml_par"] or {}, more["r_wlsmv"] or {}

    def num(v, digits=4):
        return "—" if v is None else f"{v:.{digits}f}"

    name = "_".join(FIML_CHAIN)
    print(f"  FIML        chi-square ours {fiml.fit['chisq']:.4f} ({fiml.fitted.n} rows), lavaan "
          f"{num(r_fiml.get('chisq'))} ({r_fiml.get('n', '—')} rows, {r_fiml.get('npatterns', '—')} patterns); "
          f"{'→'.join(FIML_CHAIN)} est ours {num(more['boot'][1][1].est if more['boot'][1][1] else None)}, "
          f"lavaan {num((r_fiml.get('defined') or {}).get(name))}")
    ci1, ci2 = more["boot"][1][1], more["boot"][2][1]
    if ci1:
        print(f"              bootstrap ours ({more['n_boot']} res.): SE {ci1.boot_se:.4f}, 95% percentile CI "
              f"[{ci1.ci_lower:.4f}, {ci1.ci_upper:.4f}], failed {ci1.failed} (workers=1), "
              f"{ci2.failed if ci2 else '—'} (workers=2); same seed, so workers=2 gives the same interval: "
              f"{'yes' if ci1 == ci2 else 'NO'}")
    print(f"              bootstrap lavaan ({more['r_boot']} res.): SE "
          f"{num((r_fiml.get('defined_boot_se') or {}).get(name))} (serial), "
          f"{num((r_par.get('defined_boot_se') or {}).get(name))} (multicore); converged draws "
          f"{r_fiml.get('boot_ok', '—')} (serial), {r_par.get('boot_ok', '—')} (multicore)")
    print("              ours: each resample refitted by FIML from the full-sample solution; lavaan: each resample "
          "refitted by nlminb with missing = \"ml\";")
    print("              lavaan's bootstrap time includes its full-sample FIML fit (~ row 6); the per-1000 rows "
          "scale lavaan's M resamples linearly")
    w = more["wlsmv"]
    print(f"  WLSMV       chi-square ours {w.fit['chisq']:.4f}, scaled {w.fit['chisq.scaled']:.4f}; lavaan "
          f"{num(r_wlsmv.get('chisq'))}, scaled {num(r_wlsmv.get('chisq_scaled'))} "
          f"({w.fitted.n} rows, every item ordered)")


def _power_rows(table: Table, k: int, fit_k: int, rscript: str | None, tmp: Path, notes: list[str],
                r_reps: int) -> dict:
    """Rows 9-12 (issue 17): RMSEA power, Monte Carlo power, class datasets, analysis.py --power."""
    from study.data.classroom import write_class_datasets
    from study.power import monte_carlo_power, population_fit, rmsea_plan

    def r_get(res, key):
        return None if not res or "error" in res else res.get(key)

    def ratio(theirs, ours):
        return None if theirs is None or ours in (None, 0) else theirs / ours

    default = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
    structure = population_fit(default).fitted.structure
    p = len(structure.observed)
    df = p * (p + 1) // 2 - structure.n_params
    n_planned = default.data.population.n
    rmsea_med, _, plan = timed(lambda: rmsea_plan(df, n_planned), fit_k)
    r_rmsea = run_r(["rmsea", str(df), str(n_planned), f"--repeat={fit_k}"], script=R_POWER) if rscript else None
    if r_rmsea and "error" in r_rmsea:
        notes.append(f"semTools RMSEA power: {r_rmsea['error']}")
    table.rule()
    table.add("9", f"RMSEA power, 3 tests at df = {df}: rmsea_plan · findRMSEApower + findRMSEAsamplesize, "
                   f"median of {fit_k}", fmt_s(rmsea_med), fmt_s(r_get(r_rmsea, "seconds")),
              fmt_ratio(ratio(r_get(r_rmsea, "seconds"), rmsea_med)))

    small = load_study(ROOT / "tests" / "reference" / "power_study.yaml")
    grid, reps = [120, 250], 1000
    mc = {}
    for workers in (1, 2):
        med, _, res = timed(lambda: monte_carlo_power(small, grid, replications=reps, seed=1, workers=workers,
                                                      items="normal"), k)
        mc[workers] = (med, res)
    r_mc = run_r(["montecarlo", str(r_reps), ",".join(map(str, grid))], script=R_POWER) if rscript and r_reps else None
    if r_mc and "error" in r_mc:
        notes.append(f"lavaan Monte Carlo loop: {r_mc['error']}")
    r_sec = r_get(r_mc, "seconds")
    per_ours = 1000 / (reps * len(grid))
    per_r = 1000 / (r_reps * len(grid)) if r_reps else np.nan
    table.rule()
    for workers in (1, 2):
        ours = mc[workers][0]
        table.add("10", f"Monte Carlo power, N = {grid}: ours {reps} rep./N workers={workers} · lavaan loop "
                        f"{r_reps} rep./N serial", fmt_s(ours), fmt_s(r_sec), "")
        table.add("", "  per 1000 replications", fmt_s(ours * per_ours),
                  fmt_s(r_sec * per_r if r_sec is not None else None),
                  fmt_ratio(ratio(r_sec * per_r if r_sec is not None else None, ours * per_ours)))

    class_med, _, _ = timed(lambda: write_class_datasets(default, 40, Path(tempfile.mkdtemp(dir=tmp))), 1)
    table.rule()
    table.add("11", "class datasets: 40 students of the default study (files, fits, answer key)", fmt_s(class_med), "",
              "")
    out_dir = Path(tempfile.mkdtemp(dir=tmp, prefix="power-"))
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "analysis.py", "--power", "--replications", "200", "--quiet", "--out",
                           str(out_dir)], cwd=ROOT, capture_output=True, text=True)
    power_e2e = time.perf_counter() - t0
    if done.returncode != 0:
        notes.append(f"analysis.py --power exited with {done.returncode}: {done.stderr.strip()[-300:]}")
    table.add("12", f"analysis.py --power --replications 200 (default study, {len(default.power.n)} sample sizes), "
                    "end to end", fmt_s(power_e2e), "", "")
    close = plan.table.set_index("test")["n_required"].to_dict()
    r_n = None
    if r_get(r_rmsea, "result"):
        r_n = {name: int(v[1]) for name, v in zip(("close", "not_close", "exact"), r_rmsea["result"])}
    ours_power = "/".join(f"{mc[1][1].power('QUAL->TRUST').loc[n]:.3f}" for n in grid)
    r_power = "/".join(f"{r_get(r_mc, 'result')[str(n)]:.3f}" for n in grid) if r_get(r_mc, "result") else None
    return dict(df=df, ours_n=close, r_n=r_n, ours_power=ours_power, r_power=r_power, r_reps=r_reps)


def _version(name: str) -> str:
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:  # noqa: BLE001
        return "?"


if __name__ == "__main__":
    sys.exit(main())
