"""A stage computed in a second process while this one goes on: the two cores of a laptop both at work.

:func:`study.pipeline.run_study` runs most stages one after the other in this process; a stage that
needs only what is known before it starts (the study, the data, the fitted models) can instead run in
a *forked* copy of this process. The copy sees every object as it is (nothing is pickled on the way
in) and hands back its result (frozen dataclasses, pickled) with the wall-clock and CPU time of each
of its steps. Where a stage runs changes none of its numbers: every random draw is seeded from the
study's seed, and the BLAS thread limit of this process holds in the copy.

Without ``fork`` (Windows; macOS, where it is unsafe) or with one worker the stage simply runs here
when its result is asked for.

Examples
--------
>>> stage = BackgroundStage("adding up", sum, [1, 2, 3])
>>> stage.result()
6
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Callable

StageTimes = Callable[[str, float, float], None]  # (step, wall seconds, CPU seconds)


def can_fork() -> bool:
    """Whether stages can run in forked processes here (Linux and the other Unixes but macOS)."""
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


_held: tuple | None = None  # in the second process: the stage it runs


def _hold(call: tuple) -> None:
    """The second process's initializer: a forked process gets its arguments by fork, not pickled (only
    the result goes back through a pipe), so the stage and its arguments are handed over here."""
    global _held
    _held = call
    leave_interrupts_to_the_main_process()


def leave_interrupts_to_the_main_process() -> None:
    """A worker process's initializer. Ctrl-C in a terminal interrupts every process of the run: the
    workers ignore it and the main process stops them (:func:`stop_pool`) as it unwinds, so that the
    user reads one line ("interrupted"), not a traceback from each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` worker processes that leave Ctrl-C to the main process (stop them with :func:`stop_pool`
    when the run is abandoned, or they finish their work first)."""
    return ProcessPoolExecutor(max_workers=workers, initializer=leave_interrupts_to_the_main_process)


def _run_held():
    from .memory import reuse_freed_memory

    reuse_freed_memory()  # a process of the package's own: see study/memory.py
    name, function, args, kwargs, progress_key = _held
    return _timed(name, function, args, kwargs, progress_key)


def _timed(name, function, args, kwargs, progress_key):
    """Run ``function`` (in the second process), recording the wall and CPU time of each progress step."""
    steps: list[list] = [[name, time.perf_counter(), _cpu()]]  # [step, wall at start, cpu at start]

    def record(step: str, done: int, total: int) -> None:
        if not steps or steps[-1][0] != step:
            steps.append([step, time.perf_counter(), _cpu()])

    if progress_key:
        kwargs = {**kwargs, progress_key: record}
    value = function(*args, **kwargs)
    ends = [s[1:] for s in steps[1:]] + [[time.perf_counter(), _cpu()]]
    return value, [(step, end[0] - wall, end[1] - cpu) for (step, wall, cpu), end in zip(steps, ends)]


class BackgroundStage:
    """``function(*args, **kwargs)`` in a forked process, started at once; :meth:`result` collects it.

    Parameters
    ----------
    name : str
        What the stage does (its first step in ``stage_times``; ``progress`` names the next ones).
    function, args, kwargs
        The stage. Its result must pickle (the package's results are frozen dataclasses).
    progress_key : str, optional
        The keyword of ``function``'s progress callback ``(step, done, total)``: in the second process it
        records the time of each step instead (they are handed to ``stage_times`` by :meth:`result`).
    stage_times : callable(step, wall, cpu), optional
    background : bool
        False runs the stage here, when :meth:`result` is called (one core, or no ``fork``).
    """

    def __init__(self, name: str, function, /, *args, progress_key: str | None = None,
                 stage_times: StageTimes | None = None, background: bool = True, **kwargs):
        self._call = (name, function, args, kwargs, progress_key)
        self._stage_times = stage_times
        self._pool = self._future = None
        if background and can_fork():
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_hold, initargs=(self._call,))
            self._future = self._pool.submit(_run_held)

    def done(self) -> bool:
        """Whether :meth:`result` would return at once."""
        return self._future is None or self._future.done()

    def result(self):
        """The stage's value (waits for the second process; its exception is raised here)."""
        name, function, args, kwargs, progress_key = self._call
        if self._future is None:
            if progress_key and kwargs.get(progress_key):
                kwargs[progress_key](name, 0, 1)
            return function(*args, **kwargs)
        with running(self._pool):  # the stage's own error comes back from an idle process; an interrupt too
            value, times = self._future.result()
        if self._stage_times is not None:
            for step, wall, cpu in times:
                self._stage_times(step, wall, cpu)
        return value

    def cancel(self) -> None:
        """Stop the second process without waiting (when the run is abandoned)."""
        if self._pool is not None:
            stop_pool(self._pool)


@contextmanager
def running(pool: ProcessPoolExecutor | None):
    """Wait for a pool's work inside this block: shut down when it is done, stopped at once (not waited
    for) when the block ends in an error or an interrupt. None (work done in this process) passes."""
    try:
        yield pool
    except BaseException:
        if pool is not None:
            stop_pool(pool)
        raise
    if pool is not None:
        pool.shutdown()


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's processes now, without waiting for the work they are doing (when a run is abandoned).
    Their list is taken first: ``shutdown`` forgets it."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
