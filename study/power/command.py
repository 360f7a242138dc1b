"""``analysis.py STUDY.yaml --power``: the power analysis from the command line.

Reads the study file's ``power:`` options (the grid of N, replications, α, target power, items), overridden
by ``--power-n``, ``--replications`` and ``--seed``; runs the Monte Carlo replications on the local cores or,
with ``--cluster tcp://HOST:PORT``, on a running Dask scheduler; prints the tables and writes power.html,
power.docx and power.json (:mod:`study.report.power`). No data file is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..questionnaire import Study, StudyError
from .executors import cluster_executor, local_executor
from .monte_carlo import monte_carlo_power
from .population import population_or_error
from .rmsea import rmsea_plan


def parse_grid(text: str) -> list[int]:
    """``"100,150,200"`` (or with spaces) → [100, 150, 200], with a clear message otherwise."""
    parts = [p for p in text.replace(" ", ",").split(",") if p]
    try:
        grid = [int(p) for p in parts]
    except ValueError:
        raise StudyError(f"--power-n {text!r}: give whole numbers of respondents separated by commas, "
                         "e.g. --power-n 100,200,300,500") from None
    if not grid or min(grid) < 1:
        raise StudyError(f"--power-n {text!r}: give positive numbers of respondents, e.g. --power-n 100,200,300,500")
    return grid


def run_power(study: Study, out_dir: Path, *, lang: str | None = None, n_grid: list[int] | None = None,
              replications: int | None = None, seed: int | None = None, cluster: str | None = None,
              console=None, quiet: bool = False, timings=None) -> dict[str, Path]:
    """Run the power analysis of ``study`` and write its files into ``out_dir``; returns their paths."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ..report.power import recommended_n, write_power_outputs

    mark = timings.start if timings is not None else (lambda name: None)
    population = population_or_error(study)
    options = study.power
    if replications is not None and replications < 1:
        raise StudyError(f"--replications {replications}: give at least 1 (500 or more for a thesis)")
    grid = n_grid or options.n
    reps = replications or options.replications
    seed = options.seed if seed is None else seed
    mark("Monte Carlo power")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True, disable=console is None or quiet) as bar:
        task = bar.add_task("Monte Carlo replications" + (f" on {cluster}" if cluster else ""), total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with (cluster_executor(cluster) if cluster else local_executor()) as executor:
            mc = monte_carlo_power(study, grid, replications=reps, seed=seed, alpha=options.alpha,
                                   target=options.target, items=options.items, executor=executor, progress=progress)
    mark("RMSEA power")
    p = len(mc.population.fitted.structure.observed)
    df = p * (p + 1) // 2 - mc.n_parameters
    if df < 1:
        raise StudyError("the structural model has no degrees of freedom left, so it has no RMSEA test of fit")
    rmsea = rmsea_plan(df, population.n, alpha=options.alpha, power=options.target)
    mark("power report files")
    paths = write_power_outputs(study, rmsea, mc, out_dir, lang, chapter=options.chapter)
    if console is not None and not quiet:
        _print(console, study, rmsea, mc, recommended_n(mc), lang or study.meta.language)
    return paths


def _print(console, study: Study, rmsea, mc, n_rec, lang: str) -> None:
    from rich.table import Table

    console.print(f"[bold]{study.meta.title.get(lang)}[/bold] — power analysis "
                  f"({mc.replications} replications per N, {mc.items} items, α = {mc.alpha}, seed {mc.seed})")
    table = Table(title=f"RMSEA tests (df = {rmsea.df}; MacCallum, Browne & Sugawara 1996)")
    for col in ("test", "H0 RMSEA", "alt. RMSEA", f"power at N = {rmsea.n}", f"N for {mc.target:.2f}"):
        table.add_column(col, justify="left" if col == "test" else "right")
    for row in rmsea.table.itertuples():
        table.add_row(row.test.replace("_", "-"), f"{row.rmsea0:.2f}", f"{row.rmsea_a:.2f}", f"{row.power:.3f}",
                      str(int(row.n_required)))
    console.print(table)
    table = Table(title="Monte Carlo power (paths: Wald test; indirect effects: Monte Carlo CI)")
    table.add_column("effect")
    table.add_column("true β", justify="right")
    for n in mc.n:
        table.add_column(f"N={n}", justify="right")
    table.add_column(f"N for {mc.target:.2f}", justify="right")
    required = mc.required_n.set_index(["kind", "parameter"])["n_required"]
    for (kind, parameter), rows in mc.table.groupby(["kind", "parameter"], sort=False):
        first = rows.iloc[0]
        power = rows.set_index("n")["power"]
        need = required.loc[(kind, parameter)]
        table.add_row(f"{first['hypothesis']} {parameter}".strip(), f"{first['true']:.2f}",
                      *[f"[bold]{power.loc[n]:.2f}[/bold]" if power.loc[n] >= mc.target and first["true"] != 0
                        else f"{power.loc[n]:.2f}" for n in mc.n],
                      "—" if need is None or str(need) == "<NA>" else str(int(need)))
    console.print(table)
    conv = mc.convergence
    console.print("Proper solutions: " + ", ".join(f"N={int(r.n)}: {r.rate:.1%}" for r in conv.itertuples()))
    if n_rec is not None:
        console.print(f"Every hypothesised effect reaches power {mc.target:.2f} at N = {n_rec} (analysed respondents).")
    else:
        console.print(f"[bold red]Some effects do not reach power {mc.target:.2f} within N ≤ {max(mc.n)}.[/bold red]")
    sys.stdout.flush()
