"""Time data intake: reading and screening a large CSV with ``load_responses``.

    python benchmarks/bench_intake.py [--rows 1000000] [--items 30] [--missing 0.01] [--text 0] [--dir /tmp]
                                      [--repeat 3] [--tracemalloc]

1. writes (once; kept for later runs) ``<dir>/bench_intake_<rows>x<items>.csv``: a respondent id, a
   gender column (1/2) and ``items`` construct items with numeric answers 1-7, a share ``--missing``
   of them blank, 1 % straight-liners and 0.1 % repeated ids, and a share ``--text`` of the answers
   written as text labels ("Strongly agree", "非常同意", ...) instead of codes; and a study file beside
   it (6 items per construct, the labels as text answers, duplicates and straight-liners excluded);
2. runs ``load_responses`` in a fresh child process ``--repeat`` times and reports the median wall
   time and the child's peak resident memory (VmHWM from /proc, else ``resource.getrusage``; it
   includes the Python interpreter, numpy and pandas: about 80 MB before any data is read);
3. with ``--tracemalloc``, runs it once more under ``tracemalloc`` and reports the peak of memory
   allocated through Python and numpy (pandas' C tokenizer buffers are not traced, so RSS is the
   figure to judge).

Nothing is asserted; the figures are printed for a reader to judge. The goal is a few seconds and
well under 2 GB for 1,000,000 respondents x 30 items on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


LABELS = {"en": ["Strongly disagree", "Disagree", "Somewhat disagree", "Neutral", "Somewhat agree", "Agree",
                  "Strongly agree"],
          "zh": ["非常不同意", "不同意", "有点不同意", "一般", "有点同意", "同意", "非常同意"]}


def make_files(rows: int, items: int, missing: float, text: float, folder: Path) -> tuple[Path, Path]:
    import numpy as np

    stem = f"bench_intake_{rows}x{items}_{missing:g}" + (f"_text{text:g}" if text else "")
    data = folder / f"{stem}.csv"
    study = folder / f"{stem}.yaml"
    per = 6
    constructs = [f"F{k + 1}" for k in range((items + per - 1) // per)]
    names = [f"q{j + 1}" for j in range(items)]
    lines = ["study: {title: {en: Intake benchmark}}",
             f"data: {{file: {data.name}, id_column: resp_id}}",
             "scale:",
             "  min: 1",
             "  max: 7",
             "  missing_codes: [99]",
             f"  labels: {{en: [{', '.join(LABELS['en'])}], zh: [{', '.join(LABELS['zh'])}]}}",
             "  answers: labels",
             "constructs:"]
    for k, code in enumerate(constructs):
        lines.append(f"  - code: {code}")
        lines.append("    items:")
        lines += [f"      - {{code: {n}}}" for n in names[k * per:(k + 1) * per]]
    lines += ["background:",
              "  - {code: gender, levels: [{code: 1, label: {en: Male}}, {code: 2, label: {en: Female}}]}",
              "screening: {straight_lining: exclude, duplicates: {action: exclude}}",
              "model:",
              f"  hypotheses: [{{id: H1, from: {constructs[0]}, to: {constructs[1]}}}]"]
    study.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if data.exists():
        return data, study
    rng = np.random.default_rng(1)
    started = time.perf_counter()
    tmp = data.with_suffix(".part")
    chunk = 100_000
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(["resp_id", "gender", *names]) + "\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            answers = rng.integers(1, 8, size=(n, items)).astype(str).astype(object)
            straight = rng.random(n) < 0.01
            answers[straight] = answers[straight, :1]
            if text:
                words = rng.random((n, items)) < text
                codes = answers[words].astype(int) - 1
                language = rng.random(len(codes)) < 0.5
                answers[words] = np.where(language, np.array(LABELS["en"], dtype=object)[codes],
                                          np.array(LABELS["zh"], dtype=object)[codes])
            answers[rng.random((n, items)) < missing] = ""
            ids = np.arange(start + 1, start + n + 1)
            repeat = rng.random(n) < 0.001
            ids[repeat] = np.maximum(ids[repeat] - 7, 1)
            gender = rng.integers(1, 3, size=n).astype(str)
            table = np.column_stack([np.char.add("R", ids.astype(str)).astype(object), gender.astype(object), answers])
            out.write("\n".join(",".join(r) for r in table) + "\n")
    tmp.rename(data)
    print(f"wrote {data} ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    return data, study


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB: VmHWM (Linux, reset by exec, so the parent's peak does
    not leak into a child as it does with getrusage's ru_maxrss), else getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, kB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale / 1024


def measure(study_path: str, trace: bool) -> dict:
    """One intake in this (fresh) process: wall time, peak RSS and optionally the tracemalloc peak."""
    import tracemalloc

    from study.data import load_responses
    from study.questionnaire import load_study

    study = load_study(study_path)
    rss_before = peak_rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    data = load_responses(study)
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    return {"seconds": seconds, "rss_before_mb": rss_before,
            "peak_rss_mb": peak_rss_mb(),
            "traced_peak_mb": traced, "n_raw": data.n_raw, "n_analysed": data.n_analysed,
            "excluded": data.excluded_counts, "text_answers": sum(data.text_answers.values())}


def child(study: Path, trace: bool) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(study), *(["--trace"] if trace else [])],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--missing", type=float, default=0.01, help="share of blank answers (default 0.01)")
    parser.add_argument("--text", type=float, default=0.0,
                        help="share of answers written as text labels instead of codes (default 0)")
    parser.add_argument("--dir", default="/tmp", help="where the generated files go (default /tmp)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also run once under tracemalloc (slow: several times the plain run)")
    parser.add_argument("--child", metavar="STUDY", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.trace)))
        return
    data, study = make_files(args.rows, args.items, args.missing, args.text, Path(args.dir))
    runs = [child(study, trace=False) for _ in range(args.repeat)]
    traced = child(study, trace=True) if args.tracemalloc else None
    first = runs[0]
    print(f"load_responses: {first['n_raw']:,} respondents x {args.items} items from {data.name} "
          f"({data.stat().st_size / 1e6:.0f} MB)")
    print(f"  analysed {first['n_analysed']:,}; excluded {first['excluded']}; text answers mapped: "
          f"{first['text_answers']:,}")
    print(f"  wall time: median {statistics.median(r['seconds'] for r in runs):.2f} s "
          "(runs: " + ", ".join(f"{r['seconds']:.2f}" for r in runs) + ")")
    print(f"  peak RSS of the process: {max(r['peak_rss_mb'] for r in runs):.0f} MB "
          f"(of which {first['rss_before_mb']:.0f} MB before reading: interpreter, numpy, pandas)")
    if traced:
        print(f"  tracemalloc peak (Python and numpy allocations): {traced['traced_peak_mb']:.0f} MB; "
              f"time under tracemalloc {traced['seconds']:.2f} s")


if __name__ == "__main__":
    main()
