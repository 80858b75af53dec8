"""Casting float results back to the dtype of the input: the one rounding rule (pure NumPy).

Every float-to-integer cast of image values in the package goes through
:func:`round_to_dtype`:

* ``ties="even"`` (NumPy's ``rint``): brightness scaling and
  :class:`~imgbalance.ImageResampler`'s interpolated samples;
* ``ties="away"`` (half away from zero, SciPy ``ndimage``'s output rule):
  the warp kernels, whose integer output must equal
  ``scipy.ndimage.affine_transform``'s.

Both clip to the dtype's range; floating dtypes are a plain cast.  The 8-bit
bilinear fast path of the warp (``augmentation/_fast_u8.py``) fuses the
``"away"`` rule with its tie detection on the float32 bits of ``v + 256.5``
(``floor(v + 0.5)`` for its values, which lie in ``[0, 255]``); a test checks
it against this function.
"""

import numpy as np

__all__ = ["rint_to_dtype", "round_to_dtype"]


def _float_bounds(dtype, work):
    """``dtype``'s range as values of the float type ``work``, inside the range.

    The float bounds of wide types (``float(2**63 - 1) == 2**63``, and
    ``float32(2**31 - 1) == 2**31``) lie outside their range: the largest
    float below is used instead, so that the cast cannot overflow.
    """
    if dtype == bool:
        return work(0.0), work(1.0)
    info = np.iinfo(dtype)
    low, high = work(info.min), work(info.max)
    if int(high) > info.max:
        high = np.nextafter(high, work(0.0))
    return low, high


def round_to_dtype(values, dtype, *, ties="even", out=None, overwrite_input=False):
    """Round float ``values`` to the nearest ``dtype`` value, clipped to its range.

    Parameters
    ----------
    values : array-like of float
        The values to cast.  Computed in their own float type (float32 stays
        float32), in float64 otherwise.
    dtype : dtype
        Target dtype.  A floating dtype is a plain cast (no rounding, no
        clipping), as SciPy casts floating outputs.
    ties : {"even", "away"}, default="even"
        ``"even"`` rounds halves to even (``np.rint``); ``"away"`` rounds them
        away from zero, the way ``scipy.ndimage`` writes integer outputs
        (``t + 0.5`` or ``t - 0.5``, clipped, then truncated).
    out : ndarray or None, default=None
        Written into when given (any shape ``values`` broadcasts to).
    overwrite_input : bool, default=False
        Whether ``values`` (a float ndarray) may be used as scratch space.

    Returns
    -------
    result : ndarray of ``dtype``
        ``out`` when given.
    """
    dtype = np.dtype(dtype)
    values = np.asarray(values)
    if dtype.kind == "f":
        return _cast(values, dtype, out)
    if values.dtype.kind != "f":
        values, overwrite_input = values.astype(np.float64), True
    work = values if overwrite_input else values.copy()
    low, high = _float_bounds(dtype, work.dtype.type)
    if ties == "even":
        np.rint(work, out=work)
    elif ties == "away":
        # finished by the truncating cast below; for unsigned types values
        # <= 0 end at 0 either way (SciPy writes 0), so no sign test is needed
        if dtype.kind == "u":
            work += work.dtype.type(0.5)
        else:
            work += np.copysign(work.dtype.type(0.5), work)
    else:
        raise ValueError(f"ties must be 'even' or 'away', got {ties!r}.")
    np.clip(work, low, high, out=work)
    return _cast(work, dtype, out)


def _cast(values, dtype, out):
    """``values`` as a new ``dtype`` array, or written into ``out``."""
    if out is None:
        return values.astype(dtype)
    np.copyto(out, values, casting="unsafe")
    return out


def rint_to_dtype(values, dtype, out=None):
    """Round float ``values`` to the nearest ``dtype`` value (halves to even), clipped.

    Shorthand for ``round_to_dtype(values, dtype, ties="even", out=out)``.
    """
    return round_to_dtype(values, dtype, ties="even", out=out)
