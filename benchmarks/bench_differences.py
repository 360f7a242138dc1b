"""Time the group differences and the item analysis of the default study, beside R doing the same tests.

    PYTHONPATH=. python benchmarks/bench_differences.py [--repeat 3] [--no-r]

Ours: :func:`study.analyses.chapter.differences_chapter` (8 construct scores by the 7 background
questions: 8 t-tests and 48 one-way ANOVAs, each with both Levene tests, Welch and Brown–Forsythe, the
post-hoc pairs with CIs, the rank tests, Dunn's pairs and the trend contrast) and
:func:`~study.analyses.chapter.item_analysis_chapter` (4 scales, 27 items), on the analysed answers
(reading and screening not timed). R: the same tests on tests/reference/differences_scores.csv with
t.test, wilcox.test, car::leveneTest (both centres), oneway.test, aov + TukeyHSD, rstatix's
games_howell_test, kruskal.test and dunn_test, in one Rscript process (start-up and package loading
not timed). Nothing is asserted; the median wall times are printed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

R_CODE = r"""
suppressPackageStartupMessages({library(car); library(rstatix)})
d <- read.csv("tests/reference/differences_scores.csv", colClasses = "character")
outcomes <- c("DES", "INFO", "RESP", "FUL", "SAT", "TRUST", "LOY", "QUAL")
for (o in outcomes) d[[o]] <- as.numeric(d[[o]])
questions <- c("gender", "age", "education", "income", "frequency", "tenure", "platform")
run <- function() for (q in questions) for (o in outcomes) {
  x <- data.frame(y = d[[o]], g = factor(d[[q]]))
  leveneTest(y ~ g, data = x, center = mean); leveneTest(y ~ g, data = x, center = median)
  if (nlevels(x$g) == 2) {
    t.test(y ~ g, data = x, var.equal = TRUE); t.test(y ~ g, data = x); wilcox.test(y ~ g, data = x)
  } else {
    fit <- aov(y ~ g, data = x); summary(fit); TukeyHSD(fit); oneway.test(y ~ g, data = x)
    games_howell_test(x, y ~ g); kruskal.test(y ~ g, data = x); dunn_test(x, y ~ g)
  }
}
times <- replicate(REPEAT, system.time(run())[["elapsed"]])
cat(median(times), "\n")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-r", action="store_true")
    args = parser.parse_args()

    from study.analyses.chapter import differences_chapter, item_analysis_chapter
    from study.data import load_responses
    from study.questionnaire import load_study

    study = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
    data = load_responses(study)
    differences_chapter(study, data.items, data.background)  # warm-up: imports, quadrature nodes
    timings = {"differences": [], "items": []}
    for _ in range(args.repeat):
        start = time.perf_counter()
        chapter = differences_chapter(study, data.items, data.background)
        timings["differences"].append(time.perf_counter() - start)
        start = time.perf_counter()
        item_analysis_chapter(study, data.items)
        timings["items"].append(time.perf_counter() - start)
    n = sum(len(g.results) for g in chapter.groupings)
    print(f"ours: group differences, {n} comparisons: {statistics.median(timings['differences']):.2f} s; "
          f"item analysis: {statistics.median(timings['items']):.2f} s (median of {args.repeat})")
    if args.no_r or shutil.which("Rscript") is None:
        return
    out = subprocess.run(["Rscript", "-e", R_CODE.replace("REPEAT", str(args.repeat))], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    print(f"R: the same tests: {float(out.stdout.split()[-1]):.2f} s (median of {args.repeat})")


if __name__ == "__main__":
    main()
