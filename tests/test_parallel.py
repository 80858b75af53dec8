"""Tests of the chunked parallel map shared by the transformers and the sampler."""

import numpy as np
import pytest
from joblib import parallel_config

from imgbalance._parallel import chunk_slices, effective_chunk_jobs, map_chunks


@pytest.mark.parametrize("n, size", [(0, 3), (1, 3), (7, 3), (9, 3), (5, 100), (4, 0)])
def test_chunk_slices_cover_range_in_order(n, size):
    slices = chunk_slices(n, size)
    covered = np.concatenate([np.arange(n)[s] for s in slices]) if slices else np.empty(0)
    np.testing.assert_array_equal(covered, np.arange(n))
    assert all(s.stop - s.start <= max(1, size) for s in slices)


def _square(x):
    return x**2


def _square_into(x, *, out):
    np.square(x, out=out)


@pytest.mark.parametrize("n_jobs", [1, 2, -1, None])
@pytest.mark.parametrize("in_place", [False, True])
def test_map_chunks_same_result_for_any_n_jobs(n_jobs, in_place):
    x = np.arange(103, dtype=np.float64)
    out = np.zeros_like(x)
    tasks = ((s, (x[s],)) for s in chunk_slices(x.size, 10))
    res = map_chunks(_square_into if in_place else _square, tasks, out=out,
                     n_jobs=n_jobs, in_place=in_place)
    assert res is out
    np.testing.assert_array_equal(out, x**2)


def test_effective_chunk_jobs():
    assert effective_chunk_jobs(1, 10) == 1
    assert effective_chunk_jobs(2, 10) == 2
    assert effective_chunk_jobs(4, 3) == 3  # never more threads than tasks
    assert effective_chunk_jobs(2, 0) == 1
    with parallel_config(n_jobs=2):
        assert effective_chunk_jobs(None, 10) == 2
