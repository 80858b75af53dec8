"""Random augmentation of image batches (pure NumPy, no scikit-learn).

All random draws happen up front, in :func:`draw_augmentation`, for the
whole batch of new images; :func:`apply_augmentation` then transforms any
chunk of it.  The result therefore depends only on the seed -- not on the
chunk size nor on how many workers computed the chunks.

Draw order: the affine parameters of every image (one block, see
:func:`random_affine_matrices`), then the brightness factors.
"""

import numpy as np

from ._warp import random_affine_matrices, warp_affine

__all__ = ["apply_augmentation", "draw_augmentation", "scale_brightness"]


def scale_brightness(images, factors):
    """Multiply each image by its factor; integer images are rounded and clipped.

    Returns a new array of the dtype of ``images``.
    """
    shape = (-1,) + (1,) * (images.ndim - 1)
    factors = np.asarray(factors, dtype=np.float64).reshape(shape)
    if np.issubdtype(images.dtype, np.integer):
        info = np.iinfo(images.dtype)
        scaled = np.rint(images * factors)
        return np.clip(scaled, info.min, info.max).astype(images.dtype)
    return (images * factors.astype(images.dtype)).astype(images.dtype, copy=False)


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


def apply_augmentation(images, matrices, factors=None, *, order=1, mode="nearest", cval=0.0):
    """Warp each image by its matrix, then scale its brightness.

    Returns a new array of the shape and dtype of ``images``.
    """
    out = warp_affine(images, matrices, order=order, mode=mode, cval=cval)
    if factors is not None:
        out = scale_brightness(out, factors)
    return out
