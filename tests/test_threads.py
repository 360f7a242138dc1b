"""The public fitting functions limit BLAS to one thread themselves, whatever the caller has set
(speed figures: benchmarks/run.py; here only that the limit is in place)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import study.model.bootstrap as bootstrap_module
import study.model.estimate as estimate_module
import study.model.fiml as fiml_module
import study.model.ordinal as ordinal_module
from study.model.bootstrap import bootstrap_indirect
from study.model.estimate import fit_model
from study.model.fiml import fit_fiml
from study.model.ordinal import fit_wlsmv
from study.threads import blas_threads

ROOT = Path(__file__).resolve().parent.parent
DATA = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
MISSING = pd.read_csv(ROOT / "tests/reference/satisfaction_missing.csv").iloc[:, 1:]
MODEL = "QUAL =~ qual1 + qual2 + qual3\nSAT =~ sat1 + sat2 + sat3\nLOY =~ loy1 + loy2 + loy3\nSAT ~ QUAL\nLOY ~ SAT"


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def _spy(monkeypatch, module, name, seen):
    original = getattr(module, name)

    def spy(*args, **kwargs):
        seen.append(_blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)


@pytest.fixture
def two_threads():
    with threadpool_limits(2, user_api="blas"):
        if _blas_threads() != {2}:
            pytest.skip("this BLAS cannot be set to two threads")
        yield


def test_blas_threads_limits_and_restores(two_threads):
    with blas_threads(1):
        assert _blas_threads() == {1}
    assert _blas_threads() == {2}


@pytest.mark.parametrize("function, module, inner, data", [
    (fit_model, estimate_module, "semopy_start", DATA),
    (fit_fiml, fiml_module, "fiml_scoring", MISSING),
    (fit_wlsmv, ordinal_module, "_dwls", DATA),
])
def test_fitting_functions_run_with_one_blas_thread(monkeypatch, two_threads, function, module, inner, data):
    seen: list[set[int]] = []
    _spy(monkeypatch, module, inner, seen)
    function(MODEL, data)
    assert seen and all(s == {1} for s in seen)
    assert _blas_threads() == {2}  # the caller's setting is back


def test_measurement_and_the_pipeline_run_with_one_blas_thread(monkeypatch, two_threads):
    # parallel analysis took 28 s instead of 0.17 s under two OpenBLAS threads on the busy machine
    import importlib

    from study.measurement.efa import parallel_analysis

    efa_module = importlib.import_module("study.measurement.efa")  # the package exports a function efa

    seen: list[set[int]] = []
    _spy(monkeypatch, efa_module, "_minres_values", seen)
    parallel_analysis(DATA[["qual1", "qual2", "qual3", "sat1", "sat2", "sat3"]], n_iter=3, seed=1)
    assert seen and all(s == {1} for s in seen)
    import study.pipeline as pipeline_module

    assert getattr(pipeline_module.run_study, "__wrapped__", None) is not None  # run_study is limited too


def test_bootstrap_runs_with_one_blas_thread(monkeypatch, two_threads):
    fit = fit_model(MODEL, DATA)
    seen: list[set[int]] = []
    _spy(monkeypatch, bootstrap_module, "fisher_scoring_batch", seen)
    bootstrap_indirect(fit, DATA[fit.structure.observed].to_numpy(float), [("QUAL", "SAT", "LOY")],
                       resamples=50, workers=1)
    assert seen and all(s == {1} for s in seen)
    assert np.isfinite(fit.theta).all()


def _fresh_python(code: str, **env: str) -> list[str]:
    """The printed lines of ``code`` run in a fresh interpreter from the project root (imports start empty)."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")


def test_semopy_is_imported_without_its_heavy_optional_dependencies():
    """study.model._semopy: scikit-learn, SymPy and statsmodels load only when semopy calls them, and
    any later import of them gets the real package."""
    code = (
        "import sys\n"
        "import study.model.estimate\n"
        "print(sorted(m for m in ('sklearn', 'sympy', 'statsmodels') if m in sys.modules))\n"
        "import numpy as np, semopy.model\n"
        "near = semopy.model.cov_nearest(np.array([[1.0, 1.2], [1.2, 1.0]]), threshold=1e-2)\n"
        "print(bool(np.all(np.linalg.eigvalsh(near) > 0)))\n"
        "import statsmodels.stats.correlation_tools as real\n"
        "print(hasattr(real, 'cov_nearest') and real.__file__ is not None)\n"
    )
    assert _fresh_python(code)[:3] == ["[]", "True", "True"]


def test_pingouin_is_imported_without_matplotlib_and_seaborn_and_its_plots_still_work():
    """study._deferred_imports: pingouin's plotting modules load matplotlib and seaborn when a plot is drawn."""
    code = (
        "import sys\n"
        "import study.analyses.differences\n"
        "print(sorted(m for m in ('matplotlib', 'seaborn', 'statsmodels') if m in sys.modules))\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import numpy as np, pingouin\n"
        "ax = pingouin.qqplot(np.random.default_rng(1).normal(size=30))\n"
        "print(type(ax).__name__, 'seaborn' in sys.modules)\n"
    )
    assert _fresh_python(code, MPLBACKEND="Agg")[:2] == ["[]", "Axes True"]


def test_statsmodels_and_pingouin_are_imported_without_formulaic_and_xarray():
    """study._deferred_imports: statsmodels' formula engine (formulaic, narwhals) and pandas-flavor's xarray
    load only when used; formulas and xarray still work afterwards."""
    code = (
        "import sys\n"
        "import study.analyses.regression, study.analyses.differences\n"
        "print(sorted(m for m in ('formulaic', 'narwhals', 'xarray') if m in sys.modules))\n"
        "import numpy as np, pandas as pd, statsmodels.formula.api as smf\n"
        "d = pd.DataFrame({'x': np.arange(20.0), 'y': 2 * np.arange(20.0) + 1})\n"
        "print(round(float(smf.ols('y ~ x', d, engine='formulaic').fit().params['x']), 6))\n"
        "import pandas_flavor, xarray\n"
        "pandas_flavor.register_xarray_dataarray_method(lambda da: 7)\n"
        "print(hasattr(xarray.DataArray, '<lambda>'))\n"
    )
    assert _fresh_python(code)[:3] == ["[]", "2.0", "True"]


def test_scipy_stats_is_imported_without_rewriting_its_docstrings_and_works():
    """study._deferred_imports.scipy_stats (the command line's first import of SciPy): the docstrings stay as
    written, SciPy's scraper is back in place afterwards, and the statistics are SciPy's."""
    code = (
        "from study._deferred_imports import scipy_stats\n"
        "stats = scipy_stats()\n"
        "import scipy._lib._array_api as api, scipy._lib._docscrape as scrape\n"
        "print(api.FunctionDoc is scrape.FunctionDoc)\n"
        "print('Array API Standard Support' in (stats.ttest_ind.__doc__ or 'none'))\n"
        "print(round(float(stats.ttest_ind([1.0, 2, 3, 4], [2.0, 3, 5, 6]).pvalue), 6))\n"
    )
    assert _fresh_python(code)[:3] == ["True", "False", "0.228258"]


def test_scipy_stats_falls_back_to_the_ordinary_import_when_the_stand_in_does_not_fit():
    code = (
        "import study._deferred_imports as d\n"
        "calls = []\n"
        "def broken(self, section):\n"
        "    calls.append(section)\n"
        "    if len(calls) == 150: raise KeyError(section)\n"
        "    return []\n"
        "d._DocUnchanged.__getitem__ = broken\n"
        "stats = d.scipy_stats()\n"
        "print(round(float(stats.ttest_ind([1.0, 2, 3, 4], [2.0, 3, 5, 6]).pvalue), 6))\n"
        "import scipy.special, scipy.optimize\n"
        "functions = [stats.ttest_ind, stats.kruskal, stats.pearsonr, scipy.special.ndtr]\n"
        "print(sum('Array API Standard Support' in (f.__doc__ or '') for f in functions))\n"
    )
    # failing midway (the 150th docstring): every module that loaded meanwhile loads again the ordinary way
    assert _fresh_python(code)[:2] == ["0.228258", "4"]


def test_the_program_asks_openblas_for_one_thread_before_numpy_loads_and_keeps_a_users_choice():
    """study/cli.py: run as the program, OpenBLAS starts no thread pool (the run uses one BLAS thread per
    process); a thread count the user has set is kept; main(argv) called from Python leaves the environment."""
    import os
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from study.cli import main\n"
        "sys.argv = ['analysis.py', '--version']\n"
        "try:\n"
        "    main() if os.environ.get('AS_PROGRAM') else main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "import numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), max(i['num_threads'] for i in threadpool_info()))\n"
    )
    base = {k: v for k, v in os.environ.items()
            if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")}

    def run(**env):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                              env={**base, "PYTHONPATH": str(ROOT), **env})
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[-1].split()

    assert run(AS_PROGRAM="1") == ["1", "1"]
    pool = str(min(2, os.cpu_count() or 1))  # OpenBLAS starts no more threads than there are cores
    assert run(AS_PROGRAM="1", OPENBLAS_NUM_THREADS="2") == ["2", pool]
    assert run(AS_PROGRAM="1", OMP_NUM_THREADS="2") == ["None", pool]  # the user's OMP setting rules OpenBLAS
    assert run()[0] == "None"  # called from Python: the environment is the caller's


def test_main_called_from_python_leaves_the_callers_garbage_collector_as_it_was(tmp_path):
    """The program freezes what it loads out of garbage collections (study/cli.py); main(argv) does not."""
    import gc

    from study.cli import main

    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    gc.disable()
    try:
        assert main([str(ROOT / "questionnaires" / "ecommerce_loyalty.yaml"), "--questionnaire",
                     "--out", str(tmp_path), "--quiet"]) == 0
        assert not gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        if enabled:
            gc.enable()


def test_reading_a_study_file_loads_no_report_writer():
    """study.report's writers load at first use (PEP 562): a study file's citations are checked against the
    reference list without openpyxl, Jinja2 or python-docx."""
    code = (
        "import sys\n"
        "from study.questionnaire import load_study\n"
        "load_study('questionnaires/ecommerce_loyalty.yaml')\n"
        "print(sorted(m for m in ('openpyxl', 'jinja2', 'docx', 'study.report.build') if m in sys.modules))\n"
        "import study.report\n"
        "print(study.report.write_outputs.__module__, 'AUDIENCES' in dir(study.report))\n"
    )
    assert _fresh_python(code)[:2] == ["[]", "study.report.outputs True"]
