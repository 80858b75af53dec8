"""HOG stage 2: cell histograms accumulated in float32, as scikit-image does.

Algorithm note 6 of :mod:`._hog` (pure NumPy).
"""

import numpy as np

from ._hog_gradients import lut_bins, lut_magnitude, orientation_bins

__all__ = ["cell_histograms", "float_steps", "to_pixel_major", "uint8_steps"]


def to_pixel_major(a, n_cells_row, c_row, n_cells_col, c_col, dtype=None):
    """(n, hc, wc) -> (c_row * c_col, n * n_cells) pixel-position-major copy."""
    n = a.shape[0]
    a = a.reshape(n, n_cells_row, c_row, n_cells_col, c_col).transpose(2, 4, 0, 1, 3)
    res = np.empty(a.shape, dtype=a.dtype if dtype is None else dtype)
    np.copyto(res, a, casting="unsafe")
    return res.reshape(c_row * c_col, n * n_cells_row * n_cells_col)


def uint8_steps(codes, orientations):
    """Per pixel position: (magnitude, bin) looked up from gradient codes.

    Yields the same two buffers at every step, refilled.
    """
    lut_mag = lut_magnitude()[0]
    lut_bin = lut_bins(orientations)
    mag = np.empty(codes.shape[1], dtype=np.float64)
    bins = np.empty(codes.shape[1], dtype=np.intp)
    for k in range(codes.shape[0]):
        # codes are always in range: mode="wrap" skips NumPy's slower checks
        lut_mag.take(codes[k], out=mag, mode="wrap")
        lut_bin.take(codes[k], out=bins, mode="wrap")
        yield mag, bins


def float_steps(g_row, g_col, orientations):
    """Per pixel position: (magnitude, bin) of float64 gradients."""
    mag = np.hypot(g_col, g_row)
    bins = orientation_bins(g_row, g_col, orientations)
    for k in range(mag.shape[0]):
        yield mag[k], bins[k]


def cell_histograms(steps, n, geometry, orientations):
    """float32-accumulated, area-divided cell histograms, bin-major float64.

    ``steps`` yields, for each pixel position of a cell in the row-major
    order of the Cython loop, the float64 magnitudes and the writable (it is
    modified) ``intp`` bins of that pixel in every cell, shape (n * n_cells,); bin
    ``orientations`` votes nowhere. Returns an array of shape
    (orientations, n, n_cells_row, n_cells_col).
    """
    n_cells_row, n_cells_col, c_row, c_col = geometry
    n_cells = n * n_cells_row * n_cells_col
    stride = orientations + 1  # one spare slot per cell for "votes nowhere"
    acc = np.zeros(n_cells * stride, dtype=np.float32)
    base = np.arange(0, n_cells * stride, stride, dtype=np.intp)
    current = np.empty(n_cells, dtype=np.float32)
    total = np.empty(n_cells, dtype=np.float64)
    total32 = np.empty(n_cells, dtype=np.float32)
    for mag, idx in steps:
        idx += base
        # float32 total += float64 magnitude  ==  (float)((double)total + m)
        acc.take(idx, out=current, mode="wrap")  # indices are in range
        np.add(current, mag, out=total)
        total32[...] = total
        acc[idx] = total32
    acc = acc.reshape(n_cells, stride)[:, :orientations]
    hist = np.empty((orientations, n_cells), dtype=np.float64)
    # float32 division by the cell area, as in C, stored as float64
    np.divide(acc.T, np.float32(c_row * c_col), out=hist, dtype=np.float32, casting="unsafe")
    return hist.reshape(orientations, n, n_cells_row, n_cells_col)

