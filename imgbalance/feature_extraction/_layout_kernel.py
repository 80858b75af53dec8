"""Image batches in the layout, dtype and value range a network wants (pure NumPy).

Shared by :class:`~imgbalance.feature_extraction.ImageLayout` (pipelines) and
:class:`~imgbalance.batches.BalancedBatches` (training loops), so that both
give a network exactly the same input for the same images.
"""

import numpy as np

from .._dtypes import rint_to_dtype

__all__ = ["DATA_FORMATS", "convert_images", "scale_factor"]

DATA_FORMATS = ("channels_last", "channels_first")


def scale_factor(scale, in_dtype, out_dtype):
    """The divisor applied to the pixel values, or None for none.

    ``scale="auto"`` divides integer images by their dtype's maximum (255 for
    uint8) when the output is floating, and leaves every other case alone;
    a positive number multiplies (returned as its inverse divisor); None
    never scales.
    """
    in_dtype, out_dtype = np.dtype(in_dtype), np.dtype(out_dtype)
    if scale is None:
        return None
    if isinstance(scale, str):  # "auto" (validated by the callers)
        if in_dtype.kind in "ui" and out_dtype.kind == "f":
            return float(np.iinfo(in_dtype).max)
        return None
    return 1.0 / float(scale)


def convert_images(images, *, data_format="channels_last", dtype=None, scale="auto"):
    """Return ``images`` as a new 4-D array in ``data_format`` and ``dtype``.

    Parameters
    ----------
    images : ndarray of shape (n_samples, height, width) or (n_samples, height, width, n_channels)
        Channels-last image batch (never modified).
    data_format : {"channels_last", "channels_first"}, default="channels_last"
        Output ``(n, h, w, c)`` (Keras) or ``(n, c, h, w)`` (PyTorch); a
        grayscale batch gets a channel axis of length 1.
    dtype : dtype or None, default=None
        Output dtype; None keeps the input's.
    scale : "auto", float or None, default="auto"
        See :func:`scale_factor`.  Values cast to an integer dtype are rounded
        and clipped to its range.

    Returns
    -------
    out : ndarray of shape (n, h, w, c) or (n, c, h, w)
        C-contiguous.
    """
    if images.ndim == 3:
        images = images[..., np.newaxis]
    out_dtype = images.dtype if dtype is None else np.dtype(dtype)
    if data_format == "channels_first":
        images = images.transpose(0, 3, 1, 2)
    divisor = scale_factor(scale, images.dtype, out_dtype)
    if out_dtype.kind == "f":
        if divisor is None:
            return np.array(images, dtype=out_dtype, order="C")
        # true division, correctly rounded in the output dtype (x / 255 exact)
        return np.divide(images, out_dtype.type(divisor), dtype=out_dtype, order="C")
    if divisor is None and images.dtype == out_dtype:
        return np.array(images, order="C")
    values = images if divisor is None else images / divisor
    # integer output: round and clip (a cast would wrap around)
    return rint_to_dtype(values, out_dtype, out=np.empty(images.shape, dtype=out_dtype))
