"""glibc's malloc settings for training: reuse freed blocks instead of
returning them to the kernel.

By default glibc serves a block above its (adaptive) mmap threshold with a
fresh mmap and unmaps it on free, so every step's large intermediates
(a 512 x 6,373 dropout mask and its output are 13 MB each) are new pages
that the kernel must fault in and zero again: on this project's 2-core
machine that cost a full-size DANN step 6 ms of 48
(test/perf/bench_train_step.py). With the mmap threshold at glibc's
maximum (32 MiB) and a 1 GiB trim threshold, those blocks stay in the heap
and are reused. Larger blocks (feature matrices) still come from mmap.
The numbers computed do not change. No-op where the C library is not
glibc, and when the user set ``MALLOC_MMAP_THRESHOLD_`` themselves.
"""
import ctypes
import ctypes.util
import functools
import os

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 1024 * 1024 * 1024


@functools.cache
def reuse_freed_blocks():
    """Set glibc's mmap and trim thresholds (once per process); True when set."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
