"""Command line: ``python analysis.py [STUDY.yaml] [options]`` (also installed as ``loyalty-study``)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from . import __version__

DEFAULT_STUDY = Path("questionnaires/ecommerce_loyalty.yaml")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Analyse a satisfaction-loyalty survey from its study file: screening, reliability,\n"
                    "validity, structural model, hypotheses and bootstrap mediation. Writes report.html,\n"
                    "report.docx, tables.xlsx, results.json, excluded_respondents.csv, flagged_respondents.csv\n"
                    "and codebook.csv (and with --export-data the analysed data set); a run replaces the previous\n"
                    "one's files only when all of them were written.",
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
    parser.add_argument("--bootstrap", type=_count, metavar="N",
                        help="bootstrap resamples for the mediation intervals; 0 skips the bootstrap "
                             "(default: model.bootstrap in the study file)")
    parser.add_argument("--method", choices=["cb", "pls", "both"],
                        help="cb: covariance-based SEM (as lavaan); pls: PLS-SEM (as SmartPLS); both: side by side "
                             "(default: model.method in the study file, else cb)")
    parser.add_argument("--pls-bootstrap", type=int, metavar="N",
                        help="bootstrap resamples of the PLS estimates; 0 skips them (default: model.pls.bootstrap, "
                             "10000)")
    parser.add_argument("--export-data", metavar="FILE", nargs="?", const="",
                        help="also write the analysed data set (every respondent with the exclusion flags, reverse "
                             "items recoded, construct scores) as CSV and SPSS .sav with variable and value labels: "
                             "analysed_data.csv and analysed_data.sav in the output folder, or FILE (.csv or .sav: "
                             "that format; no suffix: both)")
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
    program = argv is None  # run as the program (not called from Python)
    if program:
        _one_blas_thread_from_the_start()  # before numpy loads
    args = build_parser().parse_args(argv)
    from .questionnaire import StudyError  # imported late so that --help answers at once

    try:
        code = _run(args, program)
        _freeze(program)  # it ends now: see _freeze
        return code
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: not enough memory for this analysis; analyse fewer respondents or items, or ask for fewer "
              "bootstrap resamples (--bootstrap N)", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal error: one line, unless --debug
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details, and "
              "please report it)", file=sys.stderr)
        return 1


def _one_blas_thread_from_the_start() -> None:
    """The run does all its matrix algebra with one BLAS thread per process (threadpool_limits(1); the
    matrices are small, and the processes already fill the cores). Asked for before numpy loads, OpenBLAS
    then starts no thread pool at all, here or in each forked process (it starts a new one in every child),
    and no idle BLAS thread spins beside the work: the default study took 0.8 s less CPU and 0.2 s less
    time (median of 6 runs each). A thread count the user has set (any of the three) is kept."""
    names = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
    if not any(name in os.environ for name in names):
        os.environ.update({name: "1" for name in names})


# Garbage collection, for the program only (a caller of main(argv) keeps its own collector as it is). The
# collector went over every object of the run again and again: the modules' some 400,000 functions, classes and
# dicts, the data, the fitted models, the results, and at exit the Word file's XML, only for them to be freed
# with the process (0.4 s while the default study ran, 0.6–0.9 s at exit). What lives to the end of the run is
# frozen out of collections (gc.freeze) as soon as it is made, and the operating system frees it.

@contextmanager
def _out_of_collections(program: bool):
    """No collection while modules load (importing makes next to no garbage); then what exists is frozen."""
    enabled = gc.isenabled()
    if program:
        gc.disable()
    try:
        yield
    finally:
        if program:
            gc.freeze()
            if enabled:
                gc.enable()


def _freeze(program: bool) -> None:
    """Leave everything made so far out of later collections (the results once the analyses end, everything
    at exit)."""
    if program:
        gc.freeze()


def _count(text: str) -> int:
    """A whole number for --bootstrap: 2000, 2e3 (not 2.5, not 1e20 resamples)."""
    from .questionnaire.schema import MAX_BOOTSTRAP
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of resamples (e.g. 2000)") from None
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of resamples (e.g. 2000)")
    if value > MAX_BOOTSTRAP:
        raise argparse.ArgumentTypeError(f"{text} resamples is more than the {MAX_BOOTSTRAP:,} the tool allows; "
                                         "2000 to 10000 are usual")
    return int(value)


REPORT_FILES = ["report.html", "report.docx", "tables.xlsx", "results.json", "excluded_respondents.csv",
                "flagged_respondents.csv", "codebook.csv"]
EXPORT_FILES = ["analysed_data.csv", "analysed_data.sav"]
QUESTIONNAIRE_FILES = ["questionnaire.html", "codebook.csv"]


def _import_report_writers(program: bool) -> None:
    """The report's writers (0.3 s to import, with openpyxl, Jinja2 and python-docx), imported while the
    analyses run in other processes rather than after them, when only the report is left to wait for."""
    from importlib import import_module

    with _out_of_collections(program):  # and, frozen with them, the study, its data and the fitted models
        for module in (".report.outputs", ".report.docx"):
            import_module(module, __package__)


def _run(args, program: bool = False) -> int:
    if args.schema:
        import json

        from .questionnaire import study_json_schema
        print(json.dumps(study_json_schema(), indent=2, ensure_ascii=False))
        return 0
    with _out_of_collections(program):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        from threadpoolctl import threadpool_limits

        from ._deferred_imports import scipy_stats
        scipy_stats()  # before anything imports it: see there
        from .output_folder import OutputFolder
        from .pipeline import run_study
        from .questionnaire import StudyError, load_study
        from .timings import IMPORTED_AT, Timings

        from .memory import reuse_freed_memory

    reuse_freed_memory()  # the bootstraps' large temporaries from the heap, not fresh pages (study/memory.py)
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
    data_file = Path(args.data) if args.data else study.resolve(study.data.file)
    logo = Path(args.logo) if args.logo else (
        study.resolve(study.meta.client.logo) if study.meta.client and study.meta.client.logo else None)
    inputs = {"the study file": Path(args.study), "the data file": data_file, "the logo": logo}

    if (args.power_n or args.replications is not None or args.cluster) and not args.power:
        raise StudyError("--power-n, --replications and --cluster belong to the power analysis: add --power")
    if args.power:
        from .power.command import parse_grid, run_power
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudyError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc}); "
                             "give a folder you can write to with --out DIR") from None
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
        folder = OutputFolder(out_dir, QUESTIONNAIRE_FILES, inputs)
        try:
            write_questionnaire(study, folder.staging)
            (html, codes), replaced, _ = folder.commit()
        finally:
            folder.discard()
        if args.quiet:
            print(f"{html}\n{codes}")
        else:
            console.print(f"Wrote {html}\n      {codes}", markup=False, highlight=False)
        return 0

    names, extra = list(REPORT_FILES), {}
    if args.export_data == "":  # --export-data alone: beside the report
        names += EXPORT_FILES
    elif args.export_data:
        export = Path(args.export_data)
        suffix = export.suffix.lower()
        if suffix and suffix not in (".csv", ".sav"):
            raise StudyError(f"--export-data {export}: give a .csv or a .sav (SPSS) file name, or a name without "
                             "a suffix for both")
        targets = [export] if suffix else [export.with_name(export.name + ".csv"), export.with_name(export.name + ".sav")]
        extra = {f"export-{k}{t.suffix.lower()}": t for k, t in enumerate(targets)}
    if logo is not None and not logo.is_file():
        raise StudyError(f"{logo}: logo file not found (--logo or study.client.logo)")
    folder = OutputFolder(out_dir, names, inputs, extra)  # refuses an output that is an input, first
    try:
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
                                    progress=progress, method=args.method, pls_bootstrap=args.pls_bootstrap,
                                    stage_times=timings.add_beside,
                                    meanwhile=lambda: _import_report_writers(program))
        _freeze(program)  # the results live to the end: collections here and in the Word process skip them
        _write_files(results, folder, args, study, logo, [n for n in names if n in EXPORT_FILES] + list(extra),
                     timings)
        written, replaced, when = folder.commit()
    finally:
        folder.discard()
    timings.stop()

    report = written[0]
    if args.quiet:
        print(report)
    else:
        _summary(console, results, time.perf_counter() - started)
        console.print(f"\nWrote {report}" + "".join(f"\n      {path}" for path in written[1:]), markup=False,
                      highlight=False, soft_wrap=True)
        if replaced:
            console.print(f"Replaced the previous files of the same names in {out_dir}"
                          + (f" (the previous report was written {when})" if when else "") + ".",
                          markup=False, highlight=False, soft_wrap=True)
    if args.timings:
        sys.stdout.flush()
        print(timings.render(), file=sys.stderr)
    return 0


def _write_files(results, folder, args, study, logo, exports: list[str], timings=None) -> None:
    """Every output of a run into the output folder's temporary folder; a problem with a file stops the run
    before anything is moved into place."""
    import pandas as pd

    from .csvfiles import write_csv
    from .questionnaire import StudyError
    from .questionnaire.codebook import write_codebook
    from .report import write_outputs
    from .report.analysed_data import write_analysed_data
    from .report.results_json import write_results_json

    audience = args.audience or study.report.audience
    client = args.client or (study.meta.client.name if study.meta.client else None)
    staging = folder.staging

    def data_files() -> None:  # while the Word file is written in a second process
        if timings is not None:
            timings.start("results.json and CSV files")
        try:
            write_results_json(results, folder.path("results.json"))
            write_csv(results.data.excluded, folder.path("excluded_respondents.csv"))
            flagged = results.data.flagged  # kept but flagged by a screening rule (action: flag)
            write_csv(flagged if flagged is not None else pd.DataFrame(columns=["row", "id", "reason", "detail"]),
                      folder.path("flagged_respondents.csv"))
            write_codebook(study, folder.path("codebook.csv"))
            for name in exports:  # the format follows the suffix
                write_analysed_data(results, folder.path(name))
        except ValueError as exc:  # not the report's problem (the handler below names the report's)
            raise StudyError(f"results.json and the data files cannot be written: {exc}") from None

    try:
        try:
            write_outputs(results, staging, args.lang, audience, client=client, logo=logo,
                          chapter=study.report.chapter, timings=timings, meanwhile=data_files)
        except ValueError as exc:
            raise StudyError(_writing_problem(exc, logo)) from None
    except OSError as exc:
        raise StudyError(f"{exc.filename or folder.folder}: cannot write the output ({exc.strerror or exc}); "
                         "give a folder you can write to with --out DIR") from None


def _writing_problem(exc: ValueError, logo) -> str:
    """A ValueError while the report files are written: the logo image, or a text the Word file cannot hold."""
    if logo is not None:
        from .report.build import _logo
        try:
            _logo(logo)
        except ValueError as problem:
            return f"{logo}: {problem}"
    if "XML compatible" in str(exc):
        return ("the report cannot be written: a text contains a control character (such as U+0001) that Word "
                "files cannot hold; check the texts of the study file and the data (ids, labels, answers) for "
                "invisible characters")
    return f"the report cannot be written: {exc}"


def _summary(console, res, seconds: float) -> None:
    from rich.text import Text

    from .report.markup import plain_text
    from .report.text import reported_fit

    # Texts from the study file and the data are printed as they are: no markup ("[x]" stays), no
    # highlighting, and no wrapping by rich (whose folding of a long word is quadratic in its length).
    def say(text, style: str | None = None) -> None:
        console.print(Text(str(text), style=style or ""), soft_wrap=True, highlight=False)

    say(res.study.meta.title.get(res.study.meta.language), "bold")
    say(f"Respondents: {res.data.n_raw} received, {res.data.n_analysed} analysed"
        + (f", excluded: {res.data.excluded_counts}" if res.data.excluded_counts else ""))
    if res.sem is not None:  # the covariance-based model (not fitted with method pls)
        _summary_sem(say, res, reported_fit(res.sem_fit, res.estimator))
    if res.pls is not None:
        _summary_pls(say, res.pls)
    if res.warnings:
        say(f"{len(res.warnings)} warning(s):", "bold red")
        for w in res.warnings:
            say(f"  - {plain_text(w)}")
    say(f"Done in {seconds:.1f} s.")


def _summary_sem(say, res, fit: dict) -> None:
    """The covariance-based model's fit, hypotheses, indirect effects and full/partial mediation."""
    scaled = " (scaled, WLSMV)" if res.estimator == "WLSMV" else ""
    say(f"Model fit{scaled}: chi2({fit['df']:.0f}) = {fit['chisq']:.2f}, CFI = {fit['cfi']:.3f}, "
        f"TLI = {fit['tli']:.3f}, RMSEA = {fit['rmsea']:.3f}, SRMR = {fit['srmr']:.3f}")
    if not res.sem_proper:
        say("The structural model has no proper solution (see the warnings): its estimates are shown for diagnosis "
            "only and no hypothesis is judged.", "bold red")
    for h in res.hypotheses:
        verdict = {True: "supported", False: "not supported", None: "not judged"}[h.supported]
        say(f"  {h.id}: {h.from_} -> {h.to}  beta = {h.std_all:.3f}, p = {h.pvalue:.3g}  {verdict}")
    # the mediation type (Zhao et al. 2010) is judged in the model with the direct path X -> Y (as the report does),
    # with that model's indirect effect
    tests = {t.chain: t for t in (res.questions.mediation if res.questions is not None else []) if t.proper}
    for m in res.mediation:
        ci = (f"95% bootstrap CI [{m.bootstrap.ci_lower:.3f}, {m.bootstrap.ci_upper:.3f}]" if m.bootstrap
              else f"95% Monte Carlo CI [{m.monte_carlo.ci_lower:.3f}, {m.monte_carlo.ci_upper:.3f}]")
        t = tests.get(tuple(m.path))
        verdict = (f"{t.zhao_type} mediation in the model with the direct path: indirect = {t.indirect.est:.3f}, "
                   f"direct = {t.direct.est:.3f}" if t else m.verdict)
        say(f"  {m.id or ''}: {' -> '.join(m.path)}  indirect = {m.delta.est:.3f}, {ci}  ({verdict})")


def _summary_pls(say, pls) -> None:
    """The PLS-SEM model's convergence and path hypotheses."""
    if not pls.converged:
        say(f"PLS-SEM: {pls.message}; no estimate is reported.", "bold red")
        return
    say(f"PLS-SEM (n = {pls.n}, {pls.resamples} bootstrap resamples):")
    for h in pls.hypotheses:
        verdict = {True: "supported", False: "not supported", None: "not judged"}[h.supported]
        say(f"  {h.id}: {h.from_} -> {h.to}  beta = {h.beta:.3f}, p = {h.pvalue:.3g}  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
