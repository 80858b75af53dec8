"""HOG stage 1: gradients, orientation bins and the uint8 lookup tables.

Algorithm notes 3-5 of :mod:`._hog` (pure NumPy). uint8 gradients are
integers in [-255, 255]: ``code = (g_row + 255) * 511 + (g_col + 255)``
indexes 511 x 511 tables of magnitude and orientation bin built with the very
same NumPy calls as the float path, so both paths give identical values.
"""

import functools

import numpy as np

__all__ = [
    "G_SPAN",
    "ZERO_CODE",
    "bin_edges",
    "gradients_float",
    "gradients_uint8",
    "lut_bins",
    "lut_magnitude",
    "orientation_bins",
    "select_channel",
]

# uint8 gradients lie in [-255, 255]: code = (g_row + 255) * 511 + (g_col + 255)
G_OFFSET = 255
G_SPAN = 2 * G_OFFSET + 1
ZERO_CODE = G_OFFSET * G_SPAN + G_OFFSET


def bin_edges(orientations):
    # Cython: number_of_orientations_per_180 * i, in double precision.
    per_180 = 180.0 / orientations
    return np.array([per_180 * i for i in range(orientations + 1)], dtype=np.float64)


def orientation_bins(g_row, g_col, orientations):
    """Bin index of float64 gradients (``orientations`` means "votes nowhere").

    Equals ``searchsorted(edges, rad2deg(arctan2(g_row, g_col)) % 180,
    'right') - 1`` for the double-precision bin edges, computed faster.
    """
    angle = np.rad2deg(np.arctan2(g_row, g_col))  # in [-180, 180]
    # ``angle % 180`` as NumPy computes it: fmod is exact here, negative
    # remainders get 180 added (rounded), zero remainders become +0.0
    angle[angle == 180.0] = 0.0  # fmod(180, 180) == 0
    # a tiny negative angle becomes exactly 180.0 here and votes nowhere
    np.add(angle, 180.0, out=angle, where=angle < 0)
    bins = np.multiply(angle, orientations / 180.0).astype(np.intp)
    np.clip(bins, 0, orientations, out=bins)
    # one correction step: the scaled estimate is off by at most one bin
    edges_ext = np.append(bin_edges(orientations), np.inf)
    bins -= angle < edges_ext[bins]
    bins += angle >= edges_ext[bins + 1]
    return bins


@functools.lru_cache(maxsize=1)
def lut_magnitude():
    """hypot(g_col, g_row) for all integer gradients, indexed by code."""
    g = np.arange(-G_OFFSET, G_OFFSET + 1, dtype=np.float64)
    g_row = np.ascontiguousarray(np.broadcast_to(g[:, None], (G_SPAN, G_SPAN)))
    g_col = np.ascontiguousarray(np.broadcast_to(g[None, :], (G_SPAN, G_SPAN)))
    mag = np.hypot(g_col, g_row).ravel()
    # Colour selection uses hypot(g_row, g_col); hypot is symmetric in
    # practice, but keep a separate table if this libm says otherwise.
    mag_sel = np.hypot(g_row, g_col).ravel()
    if np.array_equal(mag_sel, mag):
        mag_sel = mag
    mag.flags.writeable = False
    mag_sel.flags.writeable = False
    return mag, mag_sel


@functools.lru_cache(maxsize=8)
def lut_bins(orientations):
    g = np.arange(-G_OFFSET, G_OFFSET + 1, dtype=np.float64)
    g_row = np.ascontiguousarray(np.broadcast_to(g[:, None], (G_SPAN, G_SPAN)))
    g_col = np.ascontiguousarray(np.broadcast_to(g[None, :], (G_SPAN, G_SPAN)))
    bins = orientation_bins(g_row, g_col, orientations).ravel()
    bins = bins.astype(np.intp)
    bins.flags.writeable = False
    return bins


# --------------------------------------------------------------------------
# gradients
# --------------------------------------------------------------------------


def gradients_uint8(images, hc, wc):
    """Lookup-table codes of integer gradients over the (hc, wc) cell grid.

    ``images`` is (n, H, W[, C]) uint8, already cropped to at most one pixel
    of context beyond (hc, wc). Returns int32 codes
    ``(g_row + 255) * 511 + (g_col + 255)`` of shape (n, hc, wc[, C]).
    """
    n, h, w = images.shape[:3]
    codes = np.full((n, hc, wc) + images.shape[3:], ZERO_CODE, dtype=np.int32)
    # interior rows / columns actually inside the cell grid
    r1, c1 = min(hc, h - 1), min(wc, w - 1)
    if r1 > 1:
        d = images[:, 2 : r1 + 1, :wc].astype(np.int32)
        d -= images[:, : r1 - 1, :wc]
        d *= G_SPAN
        codes[:, 1:r1] += d
    if c1 > 1:
        d = images[:, :hc, 2 : c1 + 1].astype(np.int32)
        d -= images[:, :hc, : c1 - 1]
        codes[:, :, 1:c1] += d
    return codes


def gradients_float(images, hc, wc, float_dtype, transform_sqrt):
    """Gradients in ``float_dtype`` over the (hc, wc) cell grid."""
    image = images.astype(float_dtype, copy=False)
    if transform_sqrt:
        image = np.sqrt(image)
    n, h, w = image.shape[:3]
    shape = (n, hc, wc) + image.shape[3:]
    g_row = np.zeros(shape, dtype=float_dtype)
    g_col = np.zeros(shape, dtype=float_dtype)
    r1, c1 = min(hc, h - 1), min(wc, w - 1)
    if r1 > 1:
        np.subtract(image[:, 2 : r1 + 1, :wc], image[:, : r1 - 1, :wc], out=g_row[:, 1:r1])
    if c1 > 1:
        np.subtract(image[:, :hc, 2 : c1 + 1], image[:, :hc, : c1 - 1], out=g_col[:, :, 1:c1])
    return g_row, g_col


def select_channel(values, key):
    """Per pixel, take ``values[..., argmax(key, axis=-1)]``."""
    idx = np.argmax(key, axis=-1)[..., None]
    return np.take_along_axis(values, idx, axis=-1)[..., 0]

