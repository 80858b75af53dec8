"""Plain parameter checks, shared by the kernels and the estimators.

NumPy only: the pure array kernels (HOG, warp, Keras-style transforms) import
their parameter checks from here without pulling in scikit-learn
(``tests/test_kernels_are_pure.py`` checks it).  The estimators reach the
same functions through :mod:`imgbalance._validation`, which re-exports them,
so that validation keeps one entry point and every message is written once.

Each check raises a ``ValueError`` naming the parameter, the value received
and what is expected, and returns the value normalised (plain Python ints or
floats in a tuple).
"""

import numbers

import numpy as np

__all__ = [
    "check_image_shape",
    "check_image_dtype",
    "check_int_pair",
    "check_range_pair",
    "is_int",
    "is_real",
]


def is_int(value):
    """Whether ``value`` is an integer (Python or NumPy), bool excluded."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value):
    """Whether ``value`` is a real number (Python or NumPy), bool excluded."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _as_sequence(value):
    """An ndarray as a list (its elements as Python scalars); anything else unchanged."""
    return value.tolist() if isinstance(value, np.ndarray) else value


def check_image_shape(image_shape, *, name="image_shape"):
    """Validate an ``image_shape`` parameter.

    Returns ``None`` or a tuple of 2 or 3 positive Python ints.

    Examples
    --------
    >>> from imgbalance._checks import check_image_shape
    >>> check_image_shape([28, 28])
    (28, 28)
    """
    if image_shape is None:
        return None
    image_shape = _as_sequence(image_shape)
    if (
        not isinstance(image_shape, (tuple, list))
        or len(image_shape) not in (2, 3)
        or not all(is_int(v) and v >= 1 for v in image_shape)
    ):
        raise ValueError(
            f"{name} must be None, (height, width) or (height, width, n_channels) "
            f"with positive integers; got {image_shape!r}."
        )
    return tuple(int(v) for v in image_shape)


def check_image_dtype(dtype, *, name, owner):
    """Raise a TypeError unless ``dtype`` is an integer or floating dtype (bool excluded).

    ``name`` is the argument holding the images, ``owner`` the estimator or
    function that refuses them.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance._checks import check_image_dtype
    >>> check_image_dtype(np.uint8, name="images", owner="warp_affine")
    >>> check_image_dtype(bool, name="x", owner="f")
    Traceback (most recent call last):
    ...
    TypeError: f expects numeric images (integer or floating dtype) in x; got dtype bool. Convert with x.astype(np.uint8) or x.astype(float) first.
    """
    dtype = np.dtype(dtype)
    if dtype.kind not in "iuf":
        raise TypeError(
            f"{owner} expects numeric images (integer or floating dtype) in "
            f"{name}; got dtype {dtype}. Convert with {name}.astype(np.uint8) or "
            f"{name}.astype(float) first."
        )


def check_int_pair(value, *, name, minimum=1, allow_scalar=True):
    """Validate a pair of ints (e.g. ``pixels_per_cell``); return a tuple.

    With ``allow_scalar`` an int ``v`` means ``(v, v)``.

    Examples
    --------
    >>> from imgbalance._checks import check_int_pair
    >>> check_int_pair(4, name="pixels_per_cell")
    (4, 4)
    >>> check_int_pair((0, 4), name="pixels_per_cell")
    Traceback (most recent call last):
    ...
    ValueError: pixels_per_cell must be a pair of integers >= 1 (rows, columns); got (0, 4).
    """
    if allow_scalar and is_int(value):
        value = (value, value)
    value = _as_sequence(value)
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(is_int(v) and v >= minimum for v in value)
    ):
        raise ValueError(
            f"{name} must be a pair of integers >= {minimum} (rows, columns); "
            f"got {value!r}."
        )
    return (int(value[0]), int(value[1]))


def check_range_pair(value, *, name, low_bound, allow_scalar=False, strict=True):
    """Validate a range ``(low, high)`` with ``low_bound < low <= high``; return floats.

    ``strict=False`` allows ``low == low_bound``.  With ``allow_scalar``, a
    float ``z`` means ``(1 - z, 1 + z)`` (Keras' ``zoom_range``), and must
    give a valid range (``0 <= z < 1`` for ``low_bound=0``).

    Examples
    --------
    >>> from imgbalance._checks import check_range_pair
    >>> check_range_pair(0.25, name="zoom_range", low_bound=0, allow_scalar=True)
    (0.75, 1.25)
    >>> check_range_pair((1.2, 0.8), name="brightness_range", low_bound=0)
    Traceback (most recent call last):
    ...
    ValueError: brightness_range must be a pair (low, high) with 0 < low <= high; got (1.2, 0.8).
    """
    value = pair = _as_sequence(value)
    if allow_scalar and is_real(value):
        pair = (1.0 - float(value), 1.0 + float(value))
    if (
        isinstance(pair, (tuple, list))
        and len(pair) == 2
        and all(is_real(v) for v in pair)
        and np.all(np.isfinite(pair))
        and (low_bound < pair[0] if strict else low_bound <= pair[0])
        and pair[0] <= pair[1]
    ):
        return (float(pair[0]), float(pair[1]))
    raise ValueError(
        f"{name} must be a pair (low, high) with {low_bound} {'<' if strict else '<='} "
        "low <= high"
        + (" or a float in [0, 1)" if allow_scalar else "")
        + f"; got {value!r}."
    )
