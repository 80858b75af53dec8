"""Chunked, parallel evaluation of batch kernels.

Kernels are pure functions of a batch of images.  :func:`map_chunks` cuts
the batch into chunks of a fixed size (independent of ``n_jobs``, so that
results -- random ones included -- do not depend on the number of
workers), runs the kernel on every chunk with scikit-learn's
:class:`~sklearn.utils.parallel.Parallel` (which carries the scikit-learn
configuration to the workers) and writes each result into one
preallocated output array as it arrives, so peak memory stays close to
the output plus a few chunks.
"""

import sys

from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

__all__ = ["chunk_slices", "map_chunks"]


def chunk_slices(n, chunk_size):
    """Consecutive slices of at most ``chunk_size`` items covering ``range(n)``."""
    chunk_size = max(1, int(chunk_size))
    return [slice(start, min(start + chunk_size, n)) for start in range(0, n, chunk_size)]


def _in_dask_worker():
    """True inside a dask.distributed worker (tasks of a distributed search)."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return False
    try:
        distributed.get_worker()
    except ValueError:
        return False
    return True


def map_chunks(func, tasks, *, out, n_jobs=None):
    """Run ``func(*args)`` for every ``(out_slice, args)`` in ``tasks``.

    Each call returns the rows of ``out[out_slice]``.  With one effective
    job (or one task) everything runs in this process; otherwise the tasks
    are dispatched with :class:`sklearn.utils.parallel.Parallel` and written
    into ``out`` in order, as they complete.

    Inside a dask.distributed worker the chunks run sequentially: the
    cluster already runs one task per worker thread, and nested process
    pools there would oversubscribe the machine.  (Inside joblib's own
    workers, joblib itself limits nested parallelism.)
    """
    tasks = list(tasks)  # the inputs of the tasks are views or small chunk copies
    n_jobs_eff = min(effective_n_jobs(n_jobs), len(tasks)) if tasks else 1
    if n_jobs_eff > 1 and _in_dask_worker():
        n_jobs_eff = 1
    if n_jobs_eff <= 1:
        for out_slice, args in tasks:
            out[out_slice] = func(*args)
        return out
    results = Parallel(n_jobs=n_jobs_eff, return_as="generator")(
        delayed(func)(*args) for _, args in tasks
    )
    for (out_slice, _), result in zip(tasks, results):
        out[out_slice] = result
    return out

