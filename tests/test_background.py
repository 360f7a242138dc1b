"""Stages run in a second process (study.background) and the pipeline that uses them: the same results as
one stage after the other, errors that reach the caller with their message, and the steps' times."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from study.background import BackgroundStage, can_fork
from study.pipeline import run_study
from study.questionnaire import StudyError, load_study
from study.report.results_json import results_dict
from study.timings import Timings

ROOT = Path(__file__).resolve().parent.parent
needs_fork = pytest.mark.skipif(not can_fork(), reason="stages run beside each other only where processes fork")


def _steps(progress):
    progress("first step", 0, 1)
    progress("second step", 0, 2)
    progress("second step", 1, 2)
    return os.getpid()


def _fails(message):
    raise StudyError(message)


@needs_fork
def test_the_stage_runs_in_another_process_and_reports_its_steps():
    seen, called = [], []
    stage = BackgroundStage("the stage", _steps, progress_key="progress", progress=lambda *a: called.append(a),
                            stage_times=lambda step, wall, cpu: seen.append((step, wall, cpu)))
    assert stage.result() != os.getpid()
    assert [step for step, _, _ in seen] == ["the stage", "first step", "second step"]
    assert all(wall >= 0 and cpu >= 0 for _, wall, cpu in seen)
    assert called == []  # the caller's progress callback is not called from the other process


def test_without_background_the_stage_runs_here_when_asked_for():
    called = []
    stage = BackgroundStage("the stage", _steps, progress_key="progress", progress=lambda *a: called.append(a),
                            background=False)
    assert called == []
    assert stage.result() == os.getpid()
    assert [a[0] for a in called] == ["the stage", "first step", "second step", "second step"]


@needs_fork
def test_an_error_of_the_stage_is_raised_with_its_message():
    stage = BackgroundStage("failing", _fails, "study.yaml, line 3: model.moderation.0.w: no such column")
    with pytest.raises(StudyError, match=r"line 3: model\.moderation\.0\.w: no such column"):
        stage.result()


def _comparable(res) -> dict:
    out = results_dict(res)
    out["tool"].pop("created")
    return json.loads(json.dumps(out, default=str))


@needs_fork
def test_the_study_beside_and_one_after_the_other_gives_the_same_results():
    """The default study (the group differences in a second process; regression, moderation, moderated
    mediation with its SEM bootstrap in another) with all cores, and with workers=1 (everything in this
    process): results.json is the same, warnings in the same order."""
    study = load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml")
    timings = Timings()
    beside = run_study(study, bootstrap=100, seed=3, stage_times=timings.add_beside)
    alone = run_study(study, bootstrap=100, seed=3, workers=1)
    assert _comparable(beside) == _comparable(alone)
    assert [str(w) for w in beside.warnings] == [str(w) for w in alone.warnings]
    names = [name for name, _, _ in timings.beside]
    assert names[0] == "Group differences (t-tests, ANOVA)"
    assert "Regression and moderation on construct scores" in names
    assert any("SEM bootstrap" in name for name, _, _ in timings.beside)


def test_timings_list_the_stages_of_the_second_process_apart():
    timings = Timings()
    timings.start("one")
    timings.stop()
    timings.add_beside("two", 1.5, 1.25)
    text = timings.render()
    assert "in a second process, beside the stages above (not added to the total):" in text
    assert "  two" in text and "1.50s" in text
    assert timings.total < 1.5


def test_the_command_line_prints_the_stages_of_both_processes(tmp_path):
    done = subprocess.run([sys.executable, "analysis.py", "--quiet", "--timings", "--bootstrap", "100",
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "Reliability and validity" in done.stderr and "report: Word" in done.stderr
    if can_fork():
        assert "in a second process" in done.stderr
        assert "Regression and moderation on construct scores" in done.stderr


def _in_worker():
    from study.memory import in_worker_process

    return in_worker_process()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc settings")
def test_freed_memory_is_kept_for_the_next_batch_on_linux():
    """study.memory: the mmap and trim thresholds are accepted by glibc; the package sets them in its own
    processes (and the command line in its process), never in a caller's process by itself."""
    from study.memory import in_worker_process, reuse_freed_memory

    assert reuse_freed_memory() is True
    assert reuse_freed_memory() is True  # once is enough; a second call changes nothing
    assert not in_worker_process()
    if can_fork():
        assert BackgroundStage("where", _in_worker).result() is True


def _no_children_left(timeout: float = 5.0) -> bool:
    import multiprocessing
    import time

    end = time.monotonic() + timeout
    while multiprocessing.active_children():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


@needs_fork
@pytest.mark.parametrize("where", ["fits", "meanwhile"])
def test_a_failure_stops_the_second_processes_and_the_bootstrap_at_once(monkeypatch, where):
    """The second processes start before the model fits: an error in the fits (or in the caller's
    ``meanwhile``, when the bootstrap's workers run too) stops them all, instead of leaving them to finish."""
    import study.pipeline as pipeline

    assert _no_children_left()
    study = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
    calls = []

    def broken(*args, **kwargs):
        calls.append(where)
        raise StudyError(f"broken {where}")

    if where == "fits":
        monkeypatch.setattr(pipeline, "_fit_models", broken)
        with pytest.raises(StudyError, match="broken fits"):
            run_study(study, bootstrap=2000, workers=2)
    else:
        with pytest.raises(StudyError, match="broken meanwhile"):
            run_study(study, bootstrap=2000, workers=2, meanwhile=broken)
    assert calls == [where]
    assert _no_children_left(timeout=0.5), "the second processes or the bootstrap's workers were left running"


@needs_fork
def test_meanwhile_is_called_once_while_the_others_work():
    study = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
    seen = []

    def meanwhile():
        import multiprocessing
        seen.append(len(multiprocessing.active_children()))

    run_study(study, bootstrap=200, workers=2, meanwhile=meanwhile)
    assert len(seen) == 1 and seen[0] >= 2  # the two second processes at least


@needs_fork
@pytest.mark.parametrize("after", [1.2, 2.5])
def test_ctrl_c_prints_one_line_and_leaves_no_process(tmp_path, after):
    """A terminal's Ctrl-C reaches every process of the run: the workers leave it to the main process,
    which stops them and says "interrupted" (exit code 130), with no traceback from any of them."""
    import signal
    import time

    run = subprocess.Popen([sys.executable, "analysis.py", "--out", str(tmp_path)], cwd=ROOT, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    time.sleep(after)  # during the fits and second processes, or during the bootstraps and report
    os.killpg(run.pid, signal.SIGINT)
    out, _ = run.communicate(timeout=60)
    if run.returncode == 0:
        pytest.skip("the run ended before the interrupt")
    assert run.returncode == 130 and "interrupted" in out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no process is left in the run's process group
        os.killpg(run.pid, 0)


@needs_fork
def test_an_interrupted_bootstrap_stops_its_workers_at_once():
    """Interrupted while it waits for its workers (here from the progress callback), a bootstrap stops them
    at once rather than waiting for their tasks: they ignore Ctrl-C themselves (study.background)."""
    import time

    import numpy as np
    import pandas as pd

    from study.model.bootstrap import start_bootstrap
    from study.model.estimate import fit_model

    data = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
    data = pd.concat([data] * 200, ignore_index=True)  # 50,000 respondents: a task takes seconds
    fit = fit_model("QUAL =~ qual1 + qual2 + qual3\nSAT =~ sat1 + sat2 + sat3\nLOY =~ loy1 + loy2 + loy3\n"
                    "SAT ~ QUAL\nLOY ~ SAT", data)
    x = np.ascontiguousarray(data[fit.structure.observed].to_numpy(dtype=float))
    run = start_bootstrap(fit, x, [("QUAL", "SAT", "LOY")], resamples=2000, seed=1, workers=2)
    interrupted_at = []

    def interrupted(done, total):
        interrupted_at.append(time.monotonic())
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run.draws(progress=interrupted)
    assert time.monotonic() - interrupted_at[0] < 0.5  # the other worker's task was not waited for
    assert _no_children_left(timeout=0.5)
