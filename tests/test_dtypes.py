"""The one rounding rule (``imgbalance._dtypes.round_to_dtype``) against its references.

``ties="away"`` is SciPy ndimage's output cast (the reference is
``scipy.ndimage.shift`` by 0 into an integer output, which runs the same cast
macros as ``affine_transform``); ``ties="even"`` is NumPy's ``rint``.  The
8-bit fast path of the warp fuses the rule with its tie detection: it is
checked here against ``round_to_dtype`` on every value it does not flag.
"""

import numpy as np
import pytest
from scipy import ndimage as ndi

from imgbalance._dtypes import rint_to_dtype, round_to_dtype

INT_DTYPES = [np.uint8, np.int8, np.uint16, np.int16, np.int32, np.uint32]


def probe_values(dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(0)
    halves = np.arange(-40, 41) / 2.0  # exact ties, both signs
    near = np.concatenate([np.nextafter(halves, np.inf), np.nextafter(halves, -np.inf)])
    edges = np.array([info.min - 0.5, info.min - 3.7, info.max + 0.49, info.max + 0.5,
                      info.max + 9.2, info.min + 0.5, info.max - 0.5, 0.0, -0.0])
    spread = rng.uniform(info.min - 100.0, info.max + 100.0, 500)
    return np.concatenate([halves, near, edges, spread])


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_away_is_scipys_output_cast(dtype):
    values = probe_values(dtype)
    expected = ndi.shift(values, 0.0, order=0, output=dtype)
    np.testing.assert_array_equal(round_to_dtype(values, dtype, ties="away"), expected)
    # float32 work (the 8-bit general path interpolates in float32)
    if np.dtype(dtype).itemsize == 1:
        v32 = values.astype(np.float32)
        expected = ndi.shift(v32.astype(np.float64), 0.0, order=0, output=dtype)
        np.testing.assert_array_equal(round_to_dtype(v32, dtype, ties="away"), expected)


@pytest.mark.parametrize("dtype", INT_DTYPES + [np.int64, np.uint64, bool])
def test_even_is_rint_clipped(dtype):
    values = np.array([-2.5, -0.5, 0.5, 1.5, 2.5, 3.49, 1e30, -1e30, 7.0])
    got = rint_to_dtype(values, dtype)
    assert got.dtype == np.dtype(dtype)
    if np.dtype(dtype) == bool:
        np.testing.assert_array_equal(got, [False, False, False, True, True, True, True,
                                            False, True])
        return
    info = np.iinfo(dtype)
    assert got[6] >= info.max - 2**11 and got[7] == (0 if info.min == 0 else info.min)
    np.testing.assert_array_equal(got[:6], np.clip(np.rint(values[:6]), info.min, info.max))


def test_inputs_untouched_unless_scratch_and_out_written():
    values = np.array([0.5, 1.5, 254.6, 300.0])
    before = values.copy()
    out = np.zeros(4, dtype=np.uint8)
    assert round_to_dtype(values, np.uint8, ties="away", out=out) is out
    np.testing.assert_array_equal(values, before)
    np.testing.assert_array_equal(out, [1, 2, 255, 255])
    assert round_to_dtype(values, np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="ties must be"):
        round_to_dtype(values, np.uint8, ties="up")


def test_fast_path_fused_rounding_follows_the_rule():
    from imgbalance.augmentation._fast_u8 import FastU8Bilinear

    rng = np.random.default_rng(5)
    frac = rng.integers(0, 2**15, 20000) / 2.0**15
    acc = (rng.integers(0, 255, 20000) + frac).astype(np.float32)
    acc = np.concatenate([acc, np.arange(0, 256, 0.5, dtype=np.float32)])
    expected = round_to_dtype(acc, np.uint8, ties="away")
    dst = np.empty((acc.size, 1), dtype=np.uint8)
    tmp = np.empty(acc.size, dtype=np.int32)
    flag = np.empty(acc.size, dtype=bool)
    FastU8Bilinear._finish(acc.copy(), tmp, dst, flag)
    assert 0 < flag[:-512].mean() < 0.01  # a few values near a tie are flagged
    assert flag[-511::2].all()  # and every exact half
    np.testing.assert_array_equal(dst[~flag, 0], expected[~flag])
