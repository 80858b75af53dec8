"""Random augmentation of image batches (pure NumPy, no scikit-learn).

All random draws happen up front, in :func:`draw_augmentation`, for the
whole batch of new images; :func:`apply_augmentation` then transforms any
chunk of it.  The result therefore depends only on the seed -- not on the
chunk size nor on how many workers computed the chunks.

Draw order: the affine parameters of every image (one block, see
:func:`random_affine_matrices`), then the brightness factors.
"""

import numpy as np

from .._dtypes import rint_to_dtype
from ._warp import _warp_into, random_affine_matrices

__all__ = ["apply_augmentation", "draw_augmentation", "scale_brightness"]

# Most values per block of integer brightness scaling: bounds its float64
# temporaries (product, rounding, clipping) to a few MiB whatever the batch.
_BRIGHTNESS_BLOCK_VALUES = 1 << 20


def scale_brightness(images, factors, out=None):
    """Multiply each image by its factor; integer images are rounded and clipped.

    Returns a new array of the dtype of ``images``, or writes into ``out``
    (which may be ``images`` itself) and returns it.
    """
    shape = (-1,) + (1,) * (images.ndim - 1)
    factors = np.asarray(factors, dtype=np.float64).reshape(shape)
    if out is None:
        out = np.empty_like(images)
    if not np.issubdtype(images.dtype, np.integer):
        np.multiply(images, factors.astype(images.dtype), out=out)
        return out
    per_image = max(1, int(np.prod(images.shape[1:])))
    step = max(1, _BRIGHTNESS_BLOCK_VALUES // per_image)  # whole images per block
    for s in range(0, len(images), step):
        block = slice(s, s + step)
        rint_to_dtype(images[block] * factors[block], images.dtype, out=out[block])
    return out


def draw_augmentation(
    rng,
    n,
    image_hw,
    *,
    rotation_range=0.0,
    width_shift_range=0.0,
    height_shift_range=0.0,
    shear_range=0.0,
    zoom_range=(1.0, 1.0),
    horizontal_flip=False,
    vertical_flip=False,
    brightness_range=None,
):
    """Draw the random transforms of ``n`` new images.

    Parameters
    ----------
    rng : numpy.random.Generator
        The source of randomness.
    n : int
        Number of new images.
    image_hw : (int, int)
        Height and width of the images.
    **ranges
        Keras ``ImageDataGenerator``-style ranges; ``zoom_range`` is a
        ``(low, high)`` pair and ``brightness_range`` a pair or None.

    Returns
    -------
    matrices : ndarray of shape (n, 3, 3)
        Output-to-input affine matrices, for :func:`warp_affine`.
    factors : ndarray of shape (n,) or None
        Brightness factors, or None without ``brightness_range``.
    """
    matrices = random_affine_matrices(
        rng,
        n,
        image_hw,
        rotation_range=rotation_range,
        width_shift_range=width_shift_range,
        height_shift_range=height_shift_range,
        shear_range=shear_range,
        zoom_range=zoom_range,
        horizontal_flip=horizontal_flip,
        vertical_flip=vertical_flip,
    )
    factors = None
    if brightness_range is not None:
        factors = rng.uniform(brightness_range[0], brightness_range[1], size=n)
    return matrices, factors


def apply_augmentation(
    images,
    matrices,
    factors=None,
    *,
    order=1,
    mode="nearest",
    cval=0.0,
    sources=None,
    out=None,
    block_pixels=None,
):
    """Warp images by their matrices, then scale their brightness.

    New image ``i`` is ``images[sources[i]]`` (``images[i]`` when ``sources``
    is None) warped by ``matrices[i]`` and multiplied by ``factors[i]``.  The
    result, of shape ``(len(matrices), *images.shape[1:])`` and the dtype of
    ``images``, is written into ``out`` when given (no other copy is made)
    and returned.  ``block_pixels`` is passed to the warp kernel.
    """
    mats = np.asarray(matrices, dtype=np.float64)[:, :2, :]
    if out is None:
        out = np.empty((len(mats), *images.shape[1:]), dtype=images.dtype)
    _warp_into(
        images, mats, out, order=order, mode=mode, cval=cval,
        sources=sources, block_pixels=block_pixels,
    )
    if factors is not None:
        scale_brightness(out, factors, out=out)
    return out
