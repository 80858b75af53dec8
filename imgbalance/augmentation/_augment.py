"""Random augmentation of one chunk of images (pure NumPy, no scikit-learn).

A chunk is augmented from one integer seed, so that the result of a whole
batch depends only on the seeds of its chunks -- not on how many workers
computed them.  Draw order inside a chunk: the affine parameters (see
:func:`random_affine_matrices`), then the brightness factors.
"""

import numpy as np

from ._warp import random_affine_matrices, warp_affine

__all__ = ["augment_chunk", "scale_brightness"]


def scale_brightness(images, factors):
    """Multiply each image by its factor; integer images are rounded and clipped.

    Returns a new array of the dtype of ``images``.
    """
    shape = (-1,) + (1,) * (images.ndim - 1)
    factors = np.asarray(factors).reshape(shape)
    if np.issubdtype(images.dtype, np.integer):
        info = np.iinfo(images.dtype)
        scaled = np.rint(images * factors.astype(np.float64))
        return np.clip(scaled, info.min, info.max).astype(images.dtype)
    return (images * factors.astype(images.dtype)).astype(images.dtype, copy=False)


def augment_chunk(
    images,
    seed,
    *,
    rotation_range=0.0,
    width_shift_range=0.0,
    height_shift_range=0.0,
    shear_range=0.0,
    zoom_range=(1.0, 1.0),
    horizontal_flip=False,
    vertical_flip=False,
    brightness_range=None,
    fill_mode="nearest",
    cval=0.0,
    order=1,
):
    """Apply an independent random transform to every image of a chunk.

    Parameters
    ----------
    images : ndarray of shape (n, h, w) or (n, h, w, c)
        Source images (not modified).
    seed : int
        Seed of the chunk's :class:`numpy.random.Generator`.
    **params
        Keras ``ImageDataGenerator``-style ranges; ``zoom_range`` is a
        ``(low, high)`` pair and ``brightness_range`` a pair or None.

    Returns
    -------
    augmented : ndarray of the shape and dtype of ``images``
    """
    rng = np.random.default_rng(seed)
    n = images.shape[0]
    matrices = random_affine_matrices(
        rng,
        n,
        images.shape[1:3],
        rotation_range=rotation_range,
        width_shift_range=width_shift_range,
        height_shift_range=height_shift_range,
        shear_range=shear_range,
        zoom_range=zoom_range,
        horizontal_flip=horizontal_flip,
        vertical_flip=vertical_flip,
    )
    out = warp_affine(images, matrices, order=order, mode=fill_mode, cval=cval)
    if brightness_range is not None:
        low, high = brightness_range
        out = scale_brightness(out, rng.uniform(low, high, size=n))
    return out
