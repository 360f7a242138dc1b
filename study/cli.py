"""Command line: ``python analysis.py [STUDY.yaml] [options]`` (also installed as ``loyalty-study``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__

DEFAULT_STUDY = Path("questionnaires/ecommerce_loyalty.yaml")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Analyse a satisfaction-loyalty survey from its study file: screening, reliability,\n"
                    "validity, structural model, hypotheses and bootstrap mediation. Writes report.html,\n"
                    "results.json, excluded_respondents.csv, flagged_respondents.csv and codebook.csv.",
        epilog="examples:\n"
               "  python analysis.py questionnaires/bank_satisfaction.yaml --bootstrap 5000 --lang en\n"
               "  python analysis.py my_study.yaml --questionnaire   # questionnaire.html and codebook.csv, no data\n"
               "  python analysis.py my_study.yaml --power           # sample size and power before collecting data\n"
               "  python analysis.py --schema > study.schema.json    # JSON Schema of the study file")
    parser.add_argument("study", nargs="?", default=str(DEFAULT_STUDY),
                        help=f"the YAML study file (default: {DEFAULT_STUDY})")
    parser.add_argument("--data", metavar="FILE",
                        help="data file to analyse instead of the one named in the study file "
                             "(.csv or .tsv in UTF-8 or GBK, .xlsx or .xls, SPSS .sav, Stata .dta)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default: reports/<study file name>/)")
    parser.add_argument("--lang", choices=["zh", "en"],
                        help="language of the report (default: study.language in the study file)")
    parser.add_argument("--bootstrap", type=int, metavar="N",
                        help="bootstrap resamples for the mediation intervals; 0 skips the bootstrap "
                             "(default: model.bootstrap in the study file)")
    parser.add_argument("--method", choices=["cb", "pls", "both"],
                        help="cb: covariance-based SEM (as lavaan); pls: PLS-SEM (as SmartPLS); both: side by side "
                             "(default: model.method in the study file, else cb)")
    parser.add_argument("--pls-bootstrap", type=int, metavar="N",
                        help="bootstrap resamples of the PLS estimates; 0 skips them (default: model.pls.bootstrap, "
                             "10000)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="random seed of the bootstrap (default: model.seed in the study file)")
    parser.add_argument("--audience", choices=["thesis", "client", "class"],
                        help="thesis: the empirical chapter; client: executive summary first, technical appendix; "
                             "class: each table followed by how to read it and its formula "
                             "(default: report.audience in the study file, else thesis)")
    parser.add_argument("--client", metavar="NAME", help="client name for --audience client (default: study.client.name)")
    parser.add_argument("--logo", metavar="FILE", help="client logo image, PNG/JPEG/GIF/SVG (default: study.client.logo)")
    parser.add_argument("--questionnaire", action="store_true",
                        help="only write the printable bilingual questionnaire (questionnaire.html) and the "
                             "codebook (codebook.csv) into the output folder; no data are read")
    parser.add_argument("--power", action="store_true",
                        help="plan the sample size before collecting data: RMSEA power and Monte Carlo power of each "
                             "hypothesised path and indirect effect from data.population, over a grid of N; writes "
                             "power.html, power.docx and power.json (no data file is read)")
    parser.add_argument("--power-n", metavar="N,N,...",
                        help="with --power: the sample sizes to try, e.g. 100,200,300,500 (default: power.n)")
    parser.add_argument("--replications", type=int, metavar="R",
                        help="with --power: Monte Carlo data sets per sample size (default: power.replications, 500)")
    parser.add_argument("--cluster", metavar="tcp://HOST:PORT",
                        help="with --power: run the replications on this Dask distributed scheduler "
                             "(pip install \"loyalty-study[cluster]\"; every worker needs this package)")
    parser.add_argument("--schema", action="store_true",
                        help="print the study file's JSON Schema (for editors that check YAML) and exit, "
                             "e.g. python analysis.py --schema > study.schema.json")
    parser.add_argument("--timings", action="store_true",
                        help="print the wall-clock and CPU time of each stage (reading, fitting, bootstrap, "
                             "report files …) at the end")
    parser.add_argument("--quiet", action="store_true", help="print only the paths of the files written")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an internal error")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .questionnaire import StudyError  # imported late so that --help answers at once

    try:
        return _run(args)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: one line, unless --debug
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details, and "
              "please report it)", file=sys.stderr)
        return 1


def _run(args) -> int:
    if args.schema:
        import json

        from .questionnaire import study_json_schema
        print(json.dumps(study_json_schema(), indent=2, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from threadpoolctl import threadpool_limits

    import pandas as pd

    from .questionnaire.codebook import write_codebook
    from .pipeline import run_study
    from .questionnaire import StudyError, load_study
    from .report import write_outputs
    from .report.results_json import write_results_json

    from .timings import IMPORTED_AT, Timings

    timings = Timings()
    timings.start("start-up and imports", since=IMPORTED_AT)
    if args.bootstrap is not None and args.bootstrap < 0:
        raise StudyError(f"--bootstrap {args.bootstrap}: give 0 (no bootstrap) or a positive number of resamples, "
                         "e.g. --bootstrap 2000")
    if args.seed is not None and args.seed < 0:
        raise StudyError(f"--seed {args.seed}: the seed must be 0 or a positive whole number")
    console = Console(stderr=True, quiet=args.quiet)
    started = time.perf_counter()
    timings.start("study file")
    study = load_study(args.study)
    out_dir = Path(args.out) if args.out else Path("reports") / Path(args.study).stem
    if out_dir.exists() and not out_dir.is_dir():
        raise StudyError(f"{out_dir}: --out must be a folder, but this is a file; give another path")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudyError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc}); "
                         "give a folder you can write to with --out DIR") from None

    if (args.power_n or args.replications is not None or args.cluster) and not args.power:
        raise StudyError("--power-n, --replications and --cluster belong to the power analysis: add --power")
    if args.power:
        from .power.command import parse_grid, run_power
        paths = run_power(study, out_dir, lang=args.lang, n_grid=parse_grid(args.power_n) if args.power_n else None,
                          replications=args.replications, seed=args.seed, cluster=args.cluster, console=console,
                          quiet=args.quiet, timings=timings)
        timings.stop()
        if args.quiet:
            print(paths["html"])
        else:
            console.print(f"\nWrote {paths['html']}\n      {paths['docx']}\n      {paths['json']}")
        if args.timings:
            sys.stdout.flush()
            print(timings.render(), file=sys.stderr)
        return 0

    if args.questionnaire:
        from .questionnaire.codebook import write_questionnaire
        html, codes = write_questionnaire(study, out_dir)
        if args.quiet:
            print(f"{html}\n{codes}")
        else:
            console.print(f"Wrote {html}\n      {codes}")
        return 0

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(step: str, done: int, total: int) -> None:
            if not timings._current or timings._current[0] != step:
                timings.start(step)
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        # The model matrices are small: BLAS threads only contend with each other (and with the
        # bootstrap workers), so one thread is faster here.
        with threadpool_limits(1):
            results = run_study(study, data_file=args.data, bootstrap=args.bootstrap, seed=args.seed,
                                progress=progress, method=args.method, pls_bootstrap=args.pls_bootstrap)

    try:
        audience = args.audience or study.report.audience
        client = args.client or (study.meta.client.name if study.meta.client else None)
        logo = Path(args.logo) if args.logo else (
            study.resolve(study.meta.client.logo) if study.meta.client and study.meta.client.logo else None)
        if logo is not None and not logo.is_file():
            raise StudyError(f"{logo}: logo file not found (--logo or study.client.logo)")
        try:
            outputs = write_outputs(results, out_dir, args.lang, audience, client=client, logo=logo,
                                    chapter=study.report.chapter, timings=timings)
        except ValueError as exc:  # an unreadable logo image
            raise StudyError(f"{logo}: {exc}") from None
        report = outputs["html"]
        timings.start("results.json and CSV files")
        results_path = write_results_json(results, out_dir / "results.json")
        excluded_path = out_dir / "excluded_respondents.csv"
        results.data.excluded.to_csv(excluded_path, index=False)
        flagged_path = out_dir / "flagged_respondents.csv"  # kept but flagged by a screening rule (action: flag)
        flagged = results.data.flagged
        (flagged if flagged is not None else pd.DataFrame(columns=["row", "id", "reason", "detail"])).to_csv(
            flagged_path, index=False)
        written = [outputs["docx"], outputs["xlsx"], results_path, excluded_path, flagged_path, write_codebook(study, out_dir / "codebook.csv")]
    except OSError as exc:
        raise StudyError(f"{exc.filename or out_dir}: cannot write the output ({exc.strerror or exc}); "
                         "give a folder you can write to with --out DIR") from None

    timings.stop()
    if args.quiet:
        print(report)
    else:
        _summary(console, results, time.perf_counter() - started)
        console.print(f"\nWrote {report}" + "".join(f"\n      {path}" for path in written))
    if args.timings:
        sys.stdout.flush()
        print(timings.render(), file=sys.stderr)
    return 0


def _summary(console, res, seconds: float) -> None:
    from rich.markup import escape

    from .report.markup import plain_text
    from .report.text import reported_fit

    fit = reported_fit(res.sem_fit, res.estimator)
    console.print(f"[bold]{res.study.meta.title.get(res.study.meta.language)}[/bold]")
    console.print(f"Respondents: {res.data.n_raw} received, {res.data.n_analysed} analysed"
                  + (f", excluded: {res.data.excluded_counts}" if res.data.excluded_counts else ""))
    scaled = " (scaled, WLSMV)" if res.estimator == "WLSMV" else ""
    console.print(f"Model fit{scaled}: chi2({fit['df']:.0f}) = {fit['chisq']:.2f}, CFI = {fit['cfi']:.3f}, "
                  f"TLI = {fit['tli']:.3f}, RMSEA = {fit['rmsea']:.3f}, SRMR = {fit['srmr']:.3f}")
    if not res.sem_proper:
        console.print("[bold red]The structural model has no proper solution (see the warnings): its estimates "
                      "are shown for diagnosis only and no hypothesis is judged.[/bold red]")
    for h in res.hypotheses:
        verdict = {True: "supported", False: "not supported", None: "not judged"}[h.supported]
        console.print(f"  {h.id}: {h.from_} -> {h.to}  beta = {h.std_all:.3f}, p = {h.pvalue:.3g}  {verdict}")
    for m in res.mediation:
        ci = (f"95% bootstrap CI [{m.bootstrap.ci_lower:.3f}, {m.bootstrap.ci_upper:.3f}]" if m.bootstrap
              else f"95% Monte Carlo CI [{m.monte_carlo.ci_lower:.3f}, {m.monte_carlo.ci_upper:.3f}]")
        console.print(f"  {m.id or ''}: {' -> '.join(m.path)}  indirect = {m.delta.est:.3f}, {ci}  ({m.verdict})")
    if res.warnings:
        console.print(f"[bold red]{len(res.warnings)} warning(s):[/bold red]")
        for w in res.warnings:
            console.print(f"  - {escape(plain_text(w))}")
    console.print(f"Done in {seconds:.1f} s.")


if __name__ == "__main__":
    sys.exit(main())
