"""One BLAS thread for the small-matrix work of model fitting, whatever the caller's setting.

SEM fits multiply and invert matrices of a few dozen rows, thousands of times. OpenBLAS's threads do
not pay for matrices that small: on a busy 2-core machine a fit that takes 50–80 ms on one thread took
0.6–3 s with numpy's default threads (the threads wait for each other at every call). The command
line has always run with one thread; the public fitting functions now limit the threads themselves, so
a researcher scripting the package gets the fast path too. Large products are no exception on a busy
machine: the covariance matrix of 1,000,000 rows × 18 items took 0.2 s on one thread and 2.5–8 s on two,
so the limit covers whole fits.

threadpoolctl's ``threadpool_limits`` looks up the loaded libraries on every call (~6 ms here); a
controller built once costs ~10 µs per limit, so the limit can sit on every public function.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

_controller: ThreadpoolController | None = None


def _get_controller() -> ThreadpoolController:
    global _controller
    if _controller is None:  # built at the first fit, when numpy's and scipy's BLAS are loaded
        _controller = ThreadpoolController()
    return _controller


@contextmanager
def blas_threads(n: int = 1):
    """Limit BLAS and OpenMP to ``n`` threads inside the ``with`` block (restored afterwards).

    Examples
    --------
    >>> import numpy as np
    >>> with blas_threads(1):
    ...     _ = np.linalg.inv(np.eye(3))
    """
    with _get_controller().limit(limits=n):
        yield


def one_blas_thread(function):
    """Decorator: run ``function`` with one BLAS thread (see the module's docstring for why)."""

    @functools.wraps(function)
    def limited(*args, **kwargs):
        with blas_threads(1):
            return function(*args, **kwargs)

    return limited
