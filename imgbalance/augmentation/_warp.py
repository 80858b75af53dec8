"""Batched affine warp of image stacks: the entry point and its input checks.

:func:`warp_affine` reproduces ``scipy.ndimage.affine_transform`` (orders 0
and 1, modes ``"constant"``, ``"nearest"``, ``"reflect"`` and ``"wrap"``) for
a whole batch at once.  The work is done by one of two kernels: the fast
8-bit bilinear ``"nearest"`` path (:mod:`._fast_u8`) or the general
SciPy-exact path (:mod:`._scipy_exact`); both are pure NumPy (no
scikit-learn, no joblib).
"""

import numpy as np

from .._checks import check_image_dtype, is_int, is_real
from ._fast_u8 import FastU8Bilinear, use_fast_path
from ._scipy_exact import CHUNK_PIXELS, warp_chunk

__all__ = ["warp_affine", "warp_into"]

_MODES = ("constant", "nearest", "reflect", "wrap")


def _check_images(images, owner="warp_affine"):
    if not isinstance(images, np.ndarray):
        raise TypeError(
            "images must be a numpy.ndarray of shape (n, h, w) or (n, h, w, c), "
            f"got {type(images).__name__}."
        )
    if images.ndim not in (3, 4):
        raise ValueError(
            "images must have 3 dimensions (n, h, w) or 4 dimensions (n, h, w, c), "
            f"got an array of shape {images.shape} ({images.ndim} dimensions)."
        )
    dt = images.dtype
    check_image_dtype(dt, name="images", owner=owner)
    if np.issubdtype(dt, np.floating) and dt.itemsize > 8:
        raise TypeError(f"images dtype {dt} is not supported; use float64 or smaller.")
    if images.shape[1] < 1 or images.shape[2] < 1 or (
        images.ndim == 4 and images.shape[3] < 1
    ):
        raise ValueError(
            f"images must have non-empty height, width and channels, got shape "
            f"{images.shape}."
        )


def _check_matrices(matrices, n):
    try:
        m = np.asarray(matrices)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"matrices must be array-like, got {type(matrices)}.") from exc
    if m.dtype == np.bool_ or not (
        np.issubdtype(m.dtype, np.integer) or np.issubdtype(m.dtype, np.floating)
    ):
        raise TypeError(f"matrices must be real numbers, got dtype {m.dtype}.")
    if m.ndim != 3 or m.shape[1:] not in ((3, 3), (2, 3)):
        raise ValueError(
            "matrices must have shape (n, 3, 3) (homogeneous) or (n, 2, 3), "
            f"got shape {m.shape}."
        )
    if m.shape[0] != n:
        raise ValueError(
            f"matrices must hold one matrix per image: got {m.shape[0]} matrices "
            f"(shape {m.shape}) for {n} images."
        )
    m = m.astype(np.float64)
    if not np.all(np.isfinite(m)):
        bad = int(np.flatnonzero(~np.isfinite(m).reshape(n, -1).all(axis=1))[0])
        raise ValueError(
            f"matrices must be finite; matrix {bad} contains NaN or infinity."
        )
    if m.shape[1] == 3:
        last = m[:, 2, :]
        ok = np.all(np.abs(last - np.array([0.0, 0.0, 1.0])) <= 1e-12, axis=1)
        if not np.all(ok):
            bad = int(np.flatnonzero(~ok)[0])
            raise ValueError(
                "homogeneous matrices of shape (n, 3, 3) must have last row "
                f"(0, 0, 1) (affine, not projective); matrix {bad} has last row "
                f"{tuple(m[bad, 2])}."
            )
    return m[:, :2, :]


def _check_options(order, mode, cval):
    if not is_int(order) or order not in (0, 1):
        raise ValueError(
            f"order must be 0 (nearest) or 1 (bilinear), got {order!r}."
        )
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}.")
    if not is_real(cval):
        raise TypeError(f"cval must be a real number, got {cval!r}.")
    return int(order), float(cval)


def warp_affine(images, matrices, *, order=1, mode="nearest", cval=0.0):
    """Warp every image of a batch by its own affine transform.

    Batched, vectorised equivalent of calling
    ``scipy.ndimage.affine_transform(image, matrix, order=order, mode=mode,
    cval=cval)`` on every 2-D image (and every channel of a colour image).

    Parameters
    ----------
    images : ndarray of shape (n_samples, image_height, image_width) or \
            (n_samples, image_height, image_width, n_channels)
        Images to warp.  Any integer or floating-point dtype except bool (and
        float128).  Not modified.
    matrices : array-like of shape (n_samples, 3, 3) or (n_samples, 2, 3)
        One affine matrix per image, homogeneous or with the last row dropped.
        Each maps an OUTPUT pixel coordinate ``(row, col, 1)`` to the INPUT
        coordinate sampled there, exactly as ``scipy.ndimage.affine_transform``
        uses a homogeneous matrix.  Must be finite; a homogeneous matrix must
        have last row ``(0, 0, 1)``.
    order : {0, 1}, default=1
        Interpolation order: 0 for nearest neighbour (SciPy rounds with
        ``floor(x + 0.5)``), 1 for bilinear.
    mode : {"nearest", "constant", "reflect", "wrap"}, default="nearest"
        How points outside the input are filled, with SciPy's semantics for
        these names: ``"nearest"`` repeats the edge pixel; ``"constant"``
        returns ``cval`` for any input coordinate outside
        ``[0, size - 1]`` (no interpolation towards ``cval``, unlike SciPy's
        ``"grid-constant"``); ``"reflect"`` is the half-sample symmetric
        extension ``(d c b a | a b c d | d c b a)``; ``"wrap"`` is SciPy's
        ``"wrap"``, whose period is ``size - 1`` (first and last samples
        overlap), unlike ``"grid-wrap"``.
    cval : float, default=0.0
        Fill value for ``mode="constant"``.  For integer images it is rounded
        and clipped to the dtype like any output value.

    Returns
    -------
    warped : ndarray of the shape and dtype of ``images``
        Integer results are rounded half away from zero and clipped to the
        dtype's range, as SciPy does.

    Raises
    ------
    TypeError
        If ``images`` is not an ndarray of a real numeric dtype, or ``cval``
        is not a real number.
    ValueError
        If the shapes do not match, ``matrices`` is not finite or not affine,
        or ``order``/``mode`` is not supported.

    See Also
    --------
    imgbalance.AugmentationOverSampler : Random Keras-style transforms over-sampling rare classes.
    apply_transform : Keras-style transforms given by their parameters.
    scipy.ndimage.affine_transform : The per-image reference it reproduces.

    Notes
    -----
    Parity with SciPy (tested against a per-image, per-channel loop over every
    mode and order): float64 images are computed in float64 and agree within
    1e-9; float32 images are interpolated in float32 (relative error about
    1e-7 of the value range); 8-bit images are interpolated in float32,
    other integer types in float64, and for every integer type the rare
    values close to a rounding boundary are taken from SciPy itself, so that
    integer outputs equal SciPy's (see the notes of the private modules
    ``_scipy_exact`` and ``_fast_u8``).  float16 images (which SciPy
    rejects) are computed in float32.  Non-finite pixels (NaN,
    ``inf``) propagate to the output pixels that interpolate them, but not
    always as in SciPy: where SciPy weighs an ``inf`` neighbour by zero it
    gives NaN, where this kernel interpolates between two ``inf`` it gives
    NaN (``inf - inf``).  Check ``np.isfinite`` first when that matters.

    The kernel gathers the four neighbours of all pixels of a chunk of images
    at once from an edge-padded copy; 8-bit images with 2 to 4 channels are
    packed so that one gather fetches every channel.  No Python loop runs per
    pixel: small images are processed a chunk of images at a time, large ones
    an image (or a band of rows) at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation import warp_affine
    >>> images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    >>> shift = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]])
    >>> flip = np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 3.0], [0.0, 0.0, 1.0]])
    >>> out = warp_affine(images, np.stack([shift, flip]), mode="constant")
    >>> out[0]  # output (r, c) samples input (r, c + 1)
    array([[ 1,  2,  3,  0],
           [ 5,  6,  7,  0],
           [ 9, 10, 11,  0]], dtype=uint8)
    >>> out[1]  # horizontal mirror
    array([[15, 14, 13, 12],
           [19, 18, 17, 16],
           [23, 22, 21, 20]], dtype=uint8)
    """
    _check_images(images)
    n = images.shape[0]
    mats = _check_matrices(matrices, n)
    order, cval = _check_options(order, mode, cval)
    out = np.empty(images.shape, dtype=images.dtype)
    warp_into(images, mats, out, order=order, mode=mode, cval=cval)
    return out


def warp_into(images, mats, out, *, order, mode, cval, sources=None, block_pixels=None):
    """Kernel entry point, without validation: ``out[i] = warp(images[sources[i]], mats[i])``.

    ``mats`` are ``(n, 2, 3)`` float64 matrices, ``out`` an ``(n, h, w[, c])``
    C-contiguous array of the images' dtype; ``sources`` (int indices into
    ``images``, default ``arange(n)``) lets callers warp chosen images without
    gathering them first.  ``block_pixels`` sets the output pixels per block of
    work (default: the chosen kernel's own block size): larger blocks
    mean fewer, longer NumPy calls, which suits several threads sharing the GIL.
    """
    n = len(mats)
    if n == 0:
        return out
    if use_fast_path(images, mats, order, mode):
        FastU8Bilinear(images, mats, out, sources, block_pixels).run()
        return out
    h, w = images.shape[1:3]
    block_pixels = CHUNK_PIXELS if block_pixels is None else block_pixels
    per_chunk = max(1, block_pixels // (h * w))
    for s in range(0, n, per_chunk):
        e = min(n, s + per_chunk)
        chunk = images[s:e] if sources is None else images[sources[s:e]]
        # non-finite pixels propagate (see warp_affine's notes), silently as in SciPy
        with np.errstate(invalid="ignore"):
            warp_chunk(chunk, mats[s:e], out[s:e], order, mode, cval)
    return out
