"""imgbalance._checks: the plain parameter checks shared by kernels and estimators."""

import re

import numpy as np
import pytest

from imgbalance import _checks, _validation
from imgbalance._checks import (
    check_image_dtype,
    check_image_shape,
    check_int_pair,
    check_range_pair,
    is_int,
    is_real,
)


def test_validation_reexports_the_same_functions():
    for name in ("check_image_shape", "check_int_pair", "check_range_pair"):
        assert getattr(_validation, name) is getattr(_checks, name)
        assert name in _validation.__all__


@pytest.mark.parametrize("value, expected", [
    (3, True), (np.int64(3), True), (np.uint8(3), True), (True, False), (np.bool_(True), False),
    (3.0, False), ("3", False), (None, False),
])
def test_is_int(value, expected):
    assert is_int(value) is expected


@pytest.mark.parametrize("value, expected", [
    (3, True), (2.5, True), (np.float32(2.5), True), (False, False), (1j, False), ("1", False),
])
def test_is_real(value, expected):
    assert is_real(value) is expected


@pytest.mark.parametrize("value, expected", [
    (4, (4, 4)), ((4, 2), (4, 2)), ([4, 2], (4, 2)), (np.array([4, 2]), (4, 2)),
    ((np.int32(4), np.int64(2)), (4, 2)),
])
def test_int_pair_accepted(value, expected):
    result = check_int_pair(value, name="pixels_per_cell")
    assert result == expected
    assert all(type(v) is int for v in result)


@pytest.mark.parametrize("value", [0, (0, 4), (4,), (4, 4, 4), (4.0, 4), (True, 4), "44", None])
def test_int_pair_refused(value):
    with pytest.raises(ValueError, match=re.escape(
        "pixels_per_cell must be a pair of integers >= 1 (rows, columns); got "
    )):
        check_int_pair(value, name="pixels_per_cell")


def test_int_pair_minimum_and_scalar():
    assert check_int_pair((0, 0), name="p", minimum=0) == (0, 0)
    with pytest.raises(ValueError, match=r"image_hw must be a pair of integers >= 1 .*got 5\."):
        check_int_pair(5, name="image_hw", allow_scalar=False)


@pytest.mark.parametrize("value, kwargs, expected", [
    ((0.8, 1.2), {}, (0.8, 1.2)),
    ((1, 1), {}, (1.0, 1.0)),
    (np.array([0.5, 2.0]), {}, (0.5, 2.0)),
    (0.2, {"allow_scalar": True}, (0.8, 1.2)),
    (0, {"allow_scalar": True}, (1.0, 1.0)),
    ((0.0, 1.5), {"strict": False}, (0.0, 1.5)),
])
def test_range_pair_accepted(value, kwargs, expected):
    assert check_range_pair(value, name="r", low_bound=0, **kwargs) == pytest.approx(expected)


@pytest.mark.parametrize("value, kwargs, message", [
    ((1.2, 0.8), {}, "r must be a pair (low, high) with 0 < low <= high; got (1.2, 0.8)."),
    ((0.0, 1.0), {}, "r must be a pair (low, high) with 0 < low <= high; got (0.0, 1.0)."),
    ((-0.5, 1.0), {"strict": False},
     "r must be a pair (low, high) with 0 <= low <= high; got (-0.5, 1.0)."),
    ((0.5, np.nan), {}, "got (0.5, nan)."),
    ((0.5,), {}, "got (0.5,)."),
    ((True, 2), {}, "got (True, 2)."),
    (0.2, {}, "with 0 < low <= high; got 0.2."),  # a scalar only where allowed
    # a scalar z is the range (1 - z, 1 + z), which must be valid too
    (1.5, {"allow_scalar": True},
     "r must be a pair (low, high) with 0 < low <= high or a float in [0, 1); got 1.5."),
    (1.0, {"allow_scalar": True}, "or a float in [0, 1); got 1.0."),
    (-0.1, {"allow_scalar": True}, "or a float in [0, 1); got -0.1."),
    (np.array([2.0, 1.0]), {}, "got [2.0, 1.0]."),
])
def test_range_pair_refused(value, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_range_pair(value, name="r", low_bound=0, **kwargs)


def test_checks_do_not_modify_their_input():
    value = np.array([4, 2])
    check_int_pair(value, name="p")
    check_image_shape(value)
    pair = [0.8, 1.2]
    check_range_pair(pair, name="r", low_bound=0)
    np.testing.assert_array_equal(value, [4, 2])
    assert pair == [0.8, 1.2]


@pytest.mark.parametrize("value", [(28,), (28, 0), (28, 28, 3, 1), (28.0, 28), "28x28", 28])
def test_image_shape_refused(value):
    with pytest.raises(ValueError, match=re.escape(
        "image_shape must be None, (height, width) or (height, width, n_channels) "
        "with positive integers; got "
    )):
        check_image_shape(value)


def test_image_shape_accepted():
    assert check_image_shape(None) is None
    assert check_image_shape(np.array([28, 28, 3])) == (28, 28, 3)


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float16, np.float32, np.float64, ">u2"])
def test_image_dtype_accepted(dtype):
    assert check_image_dtype(dtype, name="X", owner="HOGTransformer") is None


@pytest.mark.parametrize("dtype", [bool, complex, object, "U3", "datetime64[s]"])
def test_image_dtype_refused(dtype):
    with pytest.raises(TypeError, match=re.escape(
        f"HOGTransformer expects numeric images (integer or floating dtype) in X; "
        f"got dtype {np.dtype(dtype)}. Convert with X.astype(np.uint8) or X.astype(float) first."
    )):
        check_image_dtype(dtype, name="X", owner="HOGTransformer")


def test_image_dtype_message_names_the_function():
    from imgbalance.augmentation import apply_transform, warp_affine

    images = np.zeros((2, 4, 4), dtype=bool)
    with pytest.raises(TypeError, match=r"^warp_affine expects numeric images .* in images; got dtype bool"):
        warp_affine(images, np.tile(np.eye(3), (2, 1, 1)))
    with pytest.raises(TypeError, match=r"^apply_transform expects numeric images .* in images"):
        apply_transform(images, {"theta": np.zeros(2)})
