"""HOG stage 3: block normalisation in NumPy's pairwise summation order.

Algorithm notes 7-8 of :mod:`._hog` (pure NumPy).
"""

import numpy as np

__all__ = ["blocks_to_output", "normalize_blocks", "pairwise_sum"]

_EPS = 1e-5


def pairwise_sum(a, out=None):
    """Sum over axis 0 in NumPy's pairwise order (float64 ``add.reduce``).

    NumPy sums a contiguous run of ``n`` values with a plain loop if
    ``n < 8``, with 8 interleaved accumulators combined as
    ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))`` plus a sequential
    tail if ``n <= 128``, and by recursive halving (at a multiple of 8)
    beyond. Here each of the ``n`` values is a whole row of ``a``.
    """
    n = a.shape[0]
    if n < 8:
        res = np.zeros(a.shape[1:], dtype=a.dtype) if out is None else out
        if out is not None:
            res[...] = 0.0
        for i in range(n):
            res += a[i]
        return res
    if n <= 128:
        r = a[:8].copy()
        m = n - n % 8
        for i in range(8, m, 8):
            r += a[i : i + 8]
        res = np.add(r[0], r[1], out=out)
        res += r[2] + r[3]
        r[4] += r[5]
        r[6] += r[7]
        r[4] += r[6]
        res += r[4]
        for i in range(m, n):
            res += a[i]
        return res
    n2 = n // 2
    n2 -= n2 % 8
    res = pairwise_sum(a[:n2], out=out)
    res += pairwise_sum(a[n2:])
    return res


def normalize_blocks(blocks, method):
    """Normalise ``blocks`` (block_size, ...) float64 along axis 0, in place."""
    if method in ("L1", "L1-sqrt"):
        # histogram values are non-negative: |v| == v
        denom = pairwise_sum(blocks)
        denom += _EPS
        blocks /= denom
        if method == "L1-sqrt":
            np.sqrt(blocks, out=blocks)
        return blocks
    eps2 = _EPS**2
    squares = np.empty_like(blocks)
    for p in range(2 if method == "L2-Hys" else 1):
        if p == 1:
            np.minimum(blocks, 0.2, out=blocks)
        np.multiply(blocks, blocks, out=squares)
        denom = pairwise_sum(squares)
        denom += eps2
        np.sqrt(denom, out=denom)
        blocks /= denom
    return blocks


def blocks_to_output(hist, out, cells_per_block, block_norm, sub_chunk):
    """Normalise the blocks of bin-major ``hist`` and write rows of ``out``."""
    orientations, n, n_cells_row, n_cells_col = hist.shape
    b_row, b_col = cells_per_block
    n_blocks_row = n_cells_row - b_row + 1
    n_blocks_col = n_cells_col - b_col + 1
    block_size = b_row * b_col * orientations
    out_view = out.reshape(n, n_blocks_row * n_blocks_col, block_size)
    for start in range(0, n, sub_chunk):
        stop = min(start + sub_chunk, n)
        s = stop - start
        # (b_row, b_col, orientations, s, n_blocks_row, n_blocks_col): each block
        # is a column, rows in the C order of skimage's per-block array
        blocks = np.empty(
            (b_row, b_col, orientations, s, n_blocks_row, n_blocks_col), dtype=np.float64
        )
        for i in range(b_row):
            for j in range(b_col):
                blocks[i, j] = hist[:, start:stop, i : i + n_blocks_row, j : j + n_blocks_col]
        blocks = normalize_blocks(
            blocks.reshape(block_size, s, n_blocks_row * n_blocks_col), block_norm
        )
        # float32 output rounds the float64 result here, as skimage does
        out_view[start:stop] = blocks.transpose(1, 2, 0)

