"""Random augmentation of image batches (pure NumPy, no scikit-learn).

All random draws happen up front, in :func:`draw_augmentation`, for the
whole batch of new images; :func:`apply_augmentation` then transforms any
chunk of it.  The result therefore depends only on the seed -- not on the
chunk size nor on how many workers computed the chunks.

Draw order: the affine parameters of every image (one block, see
:func:`random_transform_parameters`), then the brightness factors.

:func:`apply_transform` is the public counterpart of Keras'
``ImageDataGenerator.apply_transform`` for a batch with explicit parameters.
"""

import numpy as np

from .._dtypes import round_to_dtype
from ._keras_transforms import (
    broadcast_parameters,
    random_transform_parameters,
    transform_matrices,
)
from ._warp import _check_images, warp_affine, warp_into

__all__ = ["apply_augmentation", "apply_transform", "draw_augmentation", "scale_brightness"]

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
        round_to_dtype(
            images[block] * factors[block], images.dtype, ties="even", out=out[block],
            overwrite_input=True,
        )
    return out


def draw_augmentation(rng, n, image_hw, **ranges):
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
        The keyword arguments of :func:`random_transform_parameters`
        (Keras ``ImageDataGenerator``-style ranges).

    Returns
    -------
    matrices : ndarray of shape (n, 3, 3)
        Output-to-input affine matrices, for :func:`warp_affine`.
    factors : ndarray of shape (n,) or None
        Brightness factors, or None without ``brightness_range``.
    """
    params = random_transform_parameters(rng, n, image_hw, **ranges)
    return transform_matrices(params, image_hw), params["brightness"]


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
    warp_into(
        images, mats, out, order=order, mode=mode, cval=cval,
        sources=sources, block_pixels=block_pixels,
    )
    if factors is not None:
        scale_brightness(out, factors, out=out)
    return out


def apply_transform(images, transform_parameters, *, order=1, fill_mode="nearest", cval=0.0):
    """Apply explicit Keras-style transforms to a batch of images.

    The batched counterpart of Keras' ``ImageDataGenerator.apply_transform(x,
    transform_parameters)``, with the same parameter names: image ``i`` is
    warped by the rotation, shifts, shear, zoom and flips of parameter set
    ``i`` (:func:`transform_matrices`, then :func:`warp_affine`), then
    multiplied by its brightness factor.  With the parameters drawn by
    :func:`random_transform_parameters` it reproduces exactly what
    :class:`~imgbalance.AugmentationOverSampler` makes.

    Parameters
    ----------
    images : ndarray of shape (n_samples, image_height, image_width) or \
            (n_samples, image_height, image_width, n_channels)
        Images to transform (any real dtype but bool).  Not modified.
    transform_parameters : dict
        Keys among ``theta`` (rotation in degrees, counter-clockwise on
        screen), ``tx`` (shift along columns, pixels; positive moves the
        content left), ``ty`` (shift along rows, pixels; positive moves it
        up), ``shear`` (degrees), ``zx`` (column zoom), ``zy`` (row zoom; a
        factor above 1 zooms out), ``flip_horizontal``, ``flip_vertical``
        (bool) and ``brightness`` (factor, or None for none).  Each value is a
        scalar (the same for every image) or an array of length
        ``n_samples``; missing keys are neutral.  Keras'
        ``channel_shift_intensity`` is accepted only when None.
    order : {0, 1}, default=1
        Interpolation order, as Keras' ``interpolation_order``.
    fill_mode : {"nearest", "constant", "reflect", "wrap"}, default="nearest"
        As Keras' ``fill_mode`` (SciPy's modes of these names).
    cval : float, default=0.0
        Fill value for ``fill_mode="constant"``.

    Returns
    -------
    transformed : ndarray of the shape and dtype of ``images``
        Integer images are rounded (half away from zero after the warp, half
        to even after the brightness factor) and clipped to their dtype;
        floating images are not clipped.

    See Also
    --------
    random_transform_parameters : Draw the parameters.
    transform_matrices : The geometry, and its conventions.

    Notes
    -----
    Where this follows Keras 3's legacy generator and where keras-preprocessing
    1.1.2 (centre, axes, signs, brightness) is tabulated in
    :ref:`keras_conventions`.  On square images the geometry equals Keras 3's
    ``apply_transform`` given the same dict.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation import apply_transform
    >>> images = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3) * 10
    >>> out = apply_transform(images, {"flip_horizontal": [True, False],
    ...                                "brightness": [1.0, 0.5]})
    >>> out[0]
    array([[20, 10,  0],
           [50, 40, 30],
           [80, 70, 60]], dtype=uint8)
    >>> out[1]  # 0.5 * images[1]
    array([[45, 50, 55],
           [60, 65, 70],
           [75, 80, 85]], dtype=uint8)
    """
    _check_images(images, owner="apply_transform")
    params = broadcast_parameters(transform_parameters, n=len(images))
    factors = params["brightness"]
    if factors is not None and np.any(factors < 0):
        raise ValueError(
            f"transform_parameters['brightness'] must be >= 0, got {transform_parameters['brightness']!r}."
        )
    matrices = transform_matrices(params, images.shape[1:3])
    out = warp_affine(images, matrices, order=order, mode=fill_mode, cval=cval)
    if factors is not None:
        scale_brightness(out, factors, out=out)
    return out
