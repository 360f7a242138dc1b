"""Where the replications of a Monte Carlo study run: here, in local processes, or on a Dask cluster.

Every runner is a ``concurrent.futures.Executor`` (``submit`` → a future with ``result()``), so the
Monte Carlo code has one path whatever runs it: :class:`SerialExecutor` in this process,
``ProcessPoolExecutor`` on the local cores, or ``dask.distributed.Client(address).get_executor()`` on a
running Dask scheduler (a lab cluster: ``dask scheduler`` on one machine, ``dask worker tcp://HOST:8786``
on the others, each with this package installed). Each replication draws from its own seed, so the
results do not depend on the runner.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, Future
from contextlib import contextmanager

from ..background import running, worker_pool
from ..questionnaire import StudyError


class SerialExecutor(Executor):
    """Runs each submitted call at once, in this process (for one worker and for tests)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future


@contextmanager
def local_executor(workers: int | None = None):
    """``workers`` local processes (default: all cores); one worker runs in this process."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        yield SerialExecutor()
        return
    with running(worker_pool(workers)) as pool:
        yield pool


@contextmanager
def cluster_executor(address: str, *, timeout: float = 10):
    """An executor on the Dask distributed scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``).

    Raises
    ------
    StudyError
        When dask.distributed is not installed or the scheduler cannot be reached.
    """
    try:
        from dask.distributed import Client
    except ImportError:
        raise StudyError(f"--cluster {address}: running on a Dask cluster needs dask.distributed; install it with "
                         "pip install \"loyalty-study[cluster]\" (or pip install \"dask[distributed]\")") from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise StudyError(f"--cluster {address}: no Dask scheduler answered there ({exc}). Start one with "
                         "`dask scheduler` and workers with `dask worker <address>`, or leave out --cluster to "
                         "run on this machine.") from None
    try:
        yield client.get_executor()
    finally:
        client.close()
