"""Batched Histogram of Oriented Gradients (HOG), bit-exact with scikit-image.

This module is a pure NumPy kernel (no scikit-learn, no joblib): it computes the
HOG descriptor of a whole batch of images at once and returns, for every image,
exactly the vector ``skimage.feature.hog(image, ..., feature_vector=True)``
returns (scikit-image 0.26; maximum absolute difference 0.0 in float64, checked
on all 60,000 Fashion-MNIST training images and on random grids of parameters,
dtypes and colour images).

Algorithm notes
---------------
The stages follow Dalal & Triggs [1]_ as implemented by scikit-image's
``skimage/feature/_hog.py`` and its Cython ``_hoghistogram.pyx``; every
floating-point operation is reproduced in the same order and precision.

1. **dtype.** The image is cast to ``_supported_float_type(dtype)``: float32
   stays float32, float16 becomes float32, everything else (uint8, other
   integers, bool, float64) becomes float64. This is also the output dtype
   (:func:`hog_output_dtype`).
2. **Power-law compression** (``transform_sqrt``): ``np.sqrt`` in that float
   dtype.
3. **Gradients.** Central differences without division by two,
   ``g_row[1:-1] = I[2:] - I[:-2]`` and ``g_col[:, 1:-1] = I[:, 2:] - I[:, :-2]``,
   with zero gradients on the first/last row and column, computed in the image
   float dtype (float32 arithmetic for float32 images). Only the rows and
   columns covered by whole cells (plus one pixel of context) are computed:
   pixels outside the cell grid never vote.
4. **Colour.** With several channels, per pixel the channel with the largest
   ``np.hypot(g_row, g_col)`` (in the image float dtype) is kept; ties go to
   the first such channel (``argmax``).
5. **Magnitude and orientation**, in float64:
   ``hypot(g_col, g_row)`` and ``rad2deg(arctan2(g_row, g_col)) % 180``.
   Orientation bin ``i`` holds angles in ``[d*i, d*(i+1))`` with
   ``d = 180. / orientations`` (double-precision bounds). An angle at or beyond
   ``d * orientations`` (only possible through rounding) votes nowhere, as in
   scikit-image. For uint8 images without ``transform_sqrt`` the gradients are
   integers in [-255, 255], so magnitude and bin are read from a 511 x 511
   lookup table built with the very same NumPy calls (``np.hypot``, ``%`` and
   ``arctan2`` per pixel are the most expensive part otherwise).
6. **Cell histograms.** Each cell of ``pixels_per_cell`` pixels sums the
   magnitudes of its pixels per orientation bin, in row-major pixel order, in a
   **float32** accumulator (``total = (float)((double)total + magnitude)``),
   then divides by the cell area in float32; the result is stored in float64.
   This is why a float64 ``bincount`` is *not* exact (it differs by up to
   ~1e-7 relative to the value). Here the accumulation is vectorised over all cells of all images:
   one loop step per pixel position of a cell (16 for 4x4 cells) gathers the
   current float32 total of the bin each cell's pixel votes for, adds the
   float64 magnitude and scatters the float32-rounded sum back (every cell
   touches one slot per step, so there are no index collisions; a spare slot
   per cell takes the "votes nowhere" pixels).
7. **Block normalisation.** Overlapping blocks of ``cells_per_block`` cells
   (stride one cell) are normalised with ``eps = 1e-5``:
   ``L1``: ``v / (sum|v| + eps)``; ``L1-sqrt``: ``sqrt(v / (sum|v| + eps))``;
   ``L2``: ``v / sqrt(sum v**2 + eps**2)``; ``L2-Hys``: ``L2``, clip at 0.2,
   ``L2`` again [2]_, [3]_. Sums reproduce NumPy's pairwise summation
   (8 accumulators, blocks of 128) over each C-ordered block, so the results
   equal scikit-image's per-block ``np.sum`` bit for bit.
8. **Layout.** The feature vector is
   ``(n_blocks_row, n_blocks_col, b_row, b_col, orientations)`` raveled in C
   order; float32 images get the float64 result rounded to float32 at the end.

The stages live in one module each: gradients, orientation bins and the uint8
lookup tables in :mod:`._hog_gradients` (notes 3-5), cell histograms in
:mod:`._hog_cells` (note 6), block normalisation in :mod:`._hog_blocks`
(notes 7-8); this module checks the arguments and runs them chunk by chunk.

Batches larger than :data:`DEFAULT_CHUNK_SIZE` images are processed in
sub-chunks of that many images (fewer for images larger than 28x28: about
800,000 pixel values per sub-chunk) written into the preallocated output, which
keeps the working set in cache and the extra memory independent of the batch
size; block normalisation runs over pieces of about 2 MiB.

Non-finite pixel values (NaN, inf) are not guaranteed to match scikit-image.

References
----------
.. [1] Dalal, N. and Triggs, B., "Histograms of Oriented Gradients for Human
       Detection", IEEE Computer Society Conference on Computer Vision and
       Pattern Recognition (CVPR), 2005, :DOI:`10.1109/CVPR.2005.177`.
.. [2] Dalal, N., "Finding People in Images and Videos", PhD thesis, Institut
       National Polytechnique de Grenoble, 2006.
.. [3] Lowe, D. G., "Distinctive image features from scale-invariant
       keypoints", International Journal of Computer Vision 60, 91-110, 2004,
       :DOI:`10.1023/B:VISI.0000029664.99615.94`.
.. [4] scikit-image, ``skimage.feature.hog``,
       https://scikit-image.org/docs/stable/api/skimage.feature.html
"""

import numpy as np

from .._checks import check_int_pair
from ._hog_blocks import blocks_to_output
from ._hog_cells import cell_histograms, float_steps, to_pixel_major, uint8_steps
from ._hog_gradients import gradients_float, gradients_uint8, lut_magnitude, select_channel

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "check_hog_geometry",
    "hog_batch",
    "hog_n_features",
    "hog_output_dtype",
]

#: Number of 28x28 images per internal sub-chunk (and the chunk size callers
#: should use for such images; larger images are cut into proportionally
#: fewer per piece internally). Pieces of 256 to 2048 images ran within the
#: machine's noise of each other and whole batches of 8192 were the slowest;
#: ``python benchmarks/bench_hog.py --chunk-sizes`` measures it
#: (benchmarks/results/bench_hog_chunks.txt).
DEFAULT_CHUNK_SIZE = 1024

BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")
_NORM_BYTES = 2 * 1024 * 1024


def hog_output_dtype(dtype):
    """Return the dtype of HOG features for images of ``dtype``.

    Mirrors ``skimage._shared.utils._supported_float_type``: float32 and
    float16 give float32, every other real dtype gives float64.

    Parameters
    ----------
    dtype : dtype-like
        Image dtype.

    Returns
    -------
    np.dtype
        float32 or float64.
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        raise ValueError("complex valued input is not supported")
    if dtype.char in ("f", "e"):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def check_hog_geometry(image_hw, pixels_per_cell, cells_per_block):
    """Raise ``ValueError`` if images of size ``image_hw`` hold no HOG block.

    Parameters
    ----------
    image_hw : tuple of int
        ``(height, width)`` of the images.
    pixels_per_cell : int or tuple of int
        ``(rows, cols)`` of a cell.
    cells_per_block : int or tuple of int
        ``(rows, cols)`` of cells in a block.

    Returns
    -------
    pixels_per_cell, cells_per_block : tuple of (int, int)
        The checked geometry, as pairs of Python ints.
    """
    h, w = (int(s) for s in image_hw)
    c_row, c_col = check_int_pair(pixels_per_cell, name="pixels_per_cell")
    b_row, b_col = check_int_pair(cells_per_block, name="cells_per_block")
    min_row, min_col = c_row * b_row, c_col * b_col
    if h // c_row < b_row or w // c_col < b_col:
        raise ValueError(
            f"Images of size ({h}, {w}) are smaller than one HOG block: "
            f"pixels_per_cell=({c_row}, {c_col}) x cells_per_block=({b_row}, {b_col}) "
            f"needs at least ({min_row}, {min_col}) pixels."
        )
    return (c_row, c_col), (b_row, b_col)


def hog_n_features(image_hw, *, orientations, pixels_per_cell, cells_per_block):
    """Number of HOG features per image of size ``image_hw``.

    Parameters
    ----------
    image_hw : tuple of int
        ``(height, width)``.
    orientations : int
        Number of orientation bins.
    pixels_per_cell, cells_per_block : tuple of int
        HOG geometry.

    Returns
    -------
    int
    """
    (c_row, c_col), (b_row, b_col) = check_hog_geometry(
        image_hw, pixels_per_cell, cells_per_block
    )
    h, w = (int(s) for s in image_hw)
    n_blocks_row = h // c_row - b_row + 1
    n_blocks_col = w // c_col - b_col + 1
    return int(n_blocks_row * n_blocks_col * b_row * b_col * int(orientations))


def _hog_chunk(images, out, orientations, geometry, cells_per_block, block_norm,
               transform_sqrt, multichannel):
    n = images.shape[0]
    n_cells_row, n_cells_col, c_row, c_col = geometry
    b_row, b_col = cells_per_block
    hc, wc = n_cells_row * c_row, n_cells_col * c_col

    if images.dtype == np.uint8 and not transform_sqrt:
        codes = gradients_uint8(images, hc, wc)
        if multichannel:
            codes = select_channel(codes, lut_magnitude()[1][codes])
        codes = to_pixel_major(codes, n_cells_row, c_row, n_cells_col, c_col, np.intp)
        steps = uint8_steps(codes, orientations)
    else:
        float_dtype = hog_output_dtype(images.dtype)
        g_row, g_col = gradients_float(images, hc, wc, float_dtype, transform_sqrt)
        if multichannel:
            idx = np.argmax(np.hypot(g_row, g_col), axis=-1)[..., None]
            g_row = np.take_along_axis(g_row, idx, axis=-1)[..., 0]
            g_col = np.take_along_axis(g_col, idx, axis=-1)[..., 0]
            del idx
        g_row = to_pixel_major(g_row, n_cells_row, c_row, n_cells_col, c_col, np.float64)
        g_col = to_pixel_major(g_col, n_cells_row, c_row, n_cells_col, c_col, np.float64)
        steps = float_steps(g_row, g_col, orientations)
        del g_row, g_col

    hist = cell_histograms(steps, n, geometry, orientations)
    del steps
    # normalise in pieces whose (block_size, n_blocks) arrays are ~_NORM_BYTES
    per_image = (n_cells_row - b_row + 1) * (n_cells_col - b_col + 1) * (
        b_row * b_col * orientations) * 8
    sub_chunk = max(1, _NORM_BYTES // max(per_image, 1))
    blocks_to_output(hist, out, cells_per_block, block_norm, sub_chunk)


def hog_batch(images, *, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(3, 3),
              block_norm="L2-Hys", transform_sqrt=False, multichannel=False):
    """HOG descriptors of a batch of images, equal to ``skimage.feature.hog``.

    Row ``i`` of the result equals ``skimage.feature.hog(images[i],
    orientations=orientations, pixels_per_cell=pixels_per_cell,
    cells_per_block=cells_per_block, block_norm=block_norm,
    transform_sqrt=transform_sqrt, feature_vector=True,
    channel_axis=-1 if multichannel else None)`` bit for bit.

    Parameters
    ----------
    images : ndarray of shape (n_images, height, width) or \
            (n_images, height, width, n_channels)
        Images; the 4-D form requires ``multichannel=True``. Any real dtype.
        uint8 without ``transform_sqrt`` takes a fast lookup-table path.
    orientations : int, default=9
        Number of orientation bins over [0, 180) degrees.
    pixels_per_cell : tuple of int, default=(8, 8)
        Cell size ``(rows, cols)``.
    cells_per_block : tuple of int, default=(3, 3)
        Block size in cells ``(rows, cols)``.
    block_norm : {'L1', 'L1-sqrt', 'L2', 'L2-Hys'}, default='L2-Hys'
        Block normalisation.
    transform_sqrt : bool, default=False
        Apply square-root (power law) compression first.
    multichannel : bool, default=False
        Whether the last axis holds channels.

    Returns
    -------
    features : ndarray of shape (n_images, n_features)
        float32 for float16/float32 images, float64 otherwise. ``images`` is
        never modified.

    Examples
    --------
    >>> import numpy as np
    >>> images = np.arange(2 * 16 * 16, dtype=np.uint8).reshape(2, 16, 16)
    >>> hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(2, 2)).shape
    (2, 324)
    """
    images = np.asarray(images)
    expected_ndim = 4 if multichannel else 3
    if images.ndim != expected_ndim:
        raise ValueError(
            f"images must be a {expected_ndim}-D array of shape "
            + ("(n_images, height, width, n_channels)" if multichannel
               else "(n_images, height, width)")
            + f" when multichannel={multichannel}; got shape {images.shape}."
        )
    if block_norm not in BLOCK_NORMS:
        raise ValueError(
            f"block_norm must be one of {BLOCK_NORMS}, got {block_norm!r}."
        )
    orientations_int = int(orientations)
    if orientations_int != orientations or orientations_int < 1:
        raise ValueError(f"orientations must be a positive integer, got {orientations!r}.")
    orientations = orientations_int
    out_dtype = hog_output_dtype(images.dtype)
    if images.dtype.kind not in "biuf":
        raise ValueError(f"Unsupported image dtype {images.dtype}.")
    h, w = images.shape[1:3]
    n_features = hog_n_features((h, w), orientations=orientations,
                                pixels_per_cell=pixels_per_cell,
                                cells_per_block=cells_per_block)
    (c_row, c_col), cells_per_block = check_hog_geometry((h, w), pixels_per_cell, cells_per_block)
    n_cells_row, n_cells_col = h // c_row, w // c_col
    geometry = (n_cells_row, n_cells_col, c_row, c_col)
    if multichannel and images.shape[3] == 0:
        raise ValueError("images have zero channels.")

    # one pixel of context beyond the cell grid is all the gradients need
    hc, wc = n_cells_row * c_row, n_cells_col * c_col
    images = images[:, : hc + 1, : wc + 1]

    n = images.shape[0]
    out = np.empty((n, n_features), dtype=out_dtype)
    # DEFAULT_CHUNK_SIZE images of 28x28 pixels: larger images, fewer per piece
    pixels = max(1, int(np.prod(images.shape[1:])))
    chunk = max(1, min(DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE * 28 * 28 // pixels))
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        _hog_chunk(images[start:stop], out[start:stop], orientations, geometry,
                   cells_per_block, block_norm, transform_sqrt, multichannel)
    return out
