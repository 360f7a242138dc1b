"""Large temporary arrays from memory already paged in, not fresh pages from the system (Linux, glibc).

A bootstrap refits its resamples in batches: each batch builds the resampled data (200 × n × p numbers,
about 20 MB for the default study) and a few arrays of several MB, and frees them. glibc's malloc
serves blocks that large with fresh ``mmap`` pages and gives them back at once (or trims its heap as
soon as the top is free), so every batch page-faulted ~20 MB in again: the system time of a bootstrap
was a third of its user time (0.32 s of system per 1000 resamples of the default model, 0.03 s after
this). With a fixed mmap threshold of 32 MB (glibc's largest) and a trim threshold of 64 MB those
blocks are taken from and returned to the heap, which keeps up to 64 MB of freed memory for the next
batch. Nothing else changes: the same arithmetic on the same numbers.

The settings hold for the process that makes them and for processes forked from it afterwards.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (malloc.h)
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's maximum on 64-bit systems
TRIM_THRESHOLD = 64 * 1024 * 1024

_done = False


def in_worker_process() -> bool:
    """Whether this is a process the package started (bootstrap workers, a stage run beside the others):
    there the thresholds are set whatever the caller's program; in the caller's own process only the
    command line sets them."""
    import multiprocessing

    return multiprocessing.parent_process() is not None


def reuse_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds for this process (see the module notes); False where there is
    no glibc (other systems, musl), which changes nothing but the system time.

    Examples
    --------
    >>> reuse_freed_memory() in (True, False)
    True
    """
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        _done = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD,
                                                                                           TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False
    return _done
