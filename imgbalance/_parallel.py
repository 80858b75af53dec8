"""Chunked, parallel evaluation of batch kernels.

Kernels are pure functions of a batch of images.  :func:`map_chunks` cuts
the batch into chunks, runs the kernel on every chunk with scikit-learn's
:class:`~sklearn.utils.parallel.Parallel` (threads sharing memory) and
writes each result into one preallocated output array, so peak memory
stays close to the output plus a chunk's temporaries per thread.  Kernels
are deterministic functions of their chunk (all randomness is drawn before
chunking), so results do not depend on ``n_jobs`` or the chunk size.
"""

import sys

from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

__all__ = ["chunk_slices", "effective_chunk_jobs", "map_chunks"]


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


def _write_chunk(func, out, out_slice, args, in_place):
    if in_place:
        func(*args, out=out[out_slice])
    else:
        out[out_slice] = func(*args)


def effective_chunk_jobs(n_jobs, n_tasks):
    """Number of threads :func:`map_chunks` uses for ``n_tasks`` tasks."""
    n_jobs_eff = min(effective_n_jobs(n_jobs), n_tasks) if n_tasks else 1
    if n_jobs_eff > 1 and _in_dask_worker():
        n_jobs_eff = 1
    return n_jobs_eff


def map_chunks(func, tasks, *, out, n_jobs=None, in_place=False):
    """Run ``func(*args)`` for every ``(out_slice, args)`` in ``tasks``.

    Each call returns the rows of ``out[out_slice]``, which are written into
    ``out`` in place; with ``in_place=True`` the call is
    ``func(*args, out=out[out_slice])`` and writes them itself, which saves a
    copy of every result.  With one effective job (or one task) everything runs
    in this thread.  Otherwise the tasks run in threads
    (``require="sharedmem"``): the kernels spend their time in NumPy calls
    that release the GIL, and writing into the shared output avoids sending
    every result back, pickled, from a worker process.  ``benchmarks/bench_hog.py``
    measures the gain of two threads over one
    (``benchmarks/results/bench_hog.txt``).

    Inside a dask.distributed worker the chunks run sequentially: the
    cluster already runs one task per worker thread, and more threads there
    would oversubscribe the machine.
    """
    tasks = list(tasks)  # the inputs of the tasks are views or small chunk copies
    n_jobs_eff = effective_chunk_jobs(n_jobs, len(tasks))
    if n_jobs_eff <= 1:
        for out_slice, args in tasks:
            _write_chunk(func, out, out_slice, args, in_place)
        return out
    Parallel(n_jobs=n_jobs_eff, require="sharedmem")(
        delayed(_write_chunk)(func, out, out_slice, args, in_place)
        for out_slice, args in tasks
    )
    return out
