"""Casting float results back to the integer dtype of the input (pure NumPy)."""

import numpy as np

__all__ = ["rint_to_dtype"]


def rint_to_dtype(values, dtype, out=None):
    """Round float ``values`` to the nearest ``dtype`` value, clipped to its range.

    ``dtype`` is an integer or bool dtype.  The float64 bounds of 64-bit
    types (2**63, 2**64) lie outside their range: the largest float64 below
    them is used instead, so that the cast cannot overflow.  Writes into
    ``out`` when given, and returns the result.
    """
    dtype = np.dtype(dtype)
    if dtype == bool:
        low, high = 0.0, 1.0
    else:
        info = np.iinfo(dtype)
        low, high = float(info.min), float(info.max)
        if high > info.max:  # 64-bit: float(2**63 - 1) == 2**63
            high = np.nextafter(high, 0.0)
    rounded = np.clip(np.rint(values), low, high)
    if out is None:
        return rounded.astype(dtype)
    np.copyto(out, rounded, casting="unsafe")
    return out
