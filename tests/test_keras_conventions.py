"""The Keras conventions table (docs/user_guide/keras_conventions.rst), checked row by row.

References: Keras 3's legacy ``ImageDataGenerator``
(``keras.src.legacy.preprocessing.image``, numpy backend) and
keras-preprocessing 1.1.2's (``keras_preprocessing.image``, the implementation
behind TensorFlow 2.0-2.5).  What is meant to agree is asserted equal; what
the table says differs is asserted to differ exactly as it says (the
reference's output is rebuilt from imgbalance's matrices with the stated
change: swapped centre, transposed frame, truncation).
"""

import os
import re

import numpy as np
import pytest

from imgbalance.augmentation import (
    apply_transform,
    random_transform_parameters,
    transform_matrices,
    warp_affine,
)

os.environ.setdefault("KERAS_BACKEND", "numpy")

# both references call the deprecated scipy.ndimage.interpolation namespace
pytestmark = pytest.mark.filterwarnings(
    "ignore:Please import `affine_transform`:DeprecationWarning"
)

MODES = ["nearest", "constant", "reflect", "wrap"]
GEOMETRY = ("theta", "tx", "ty", "shear", "zx", "zy")


@pytest.fixture(scope="module")
def keras3():
    pytest.importorskip("keras")
    legacy = pytest.importorskip("keras.src.legacy.preprocessing.image")
    return legacy.ImageDataGenerator


@pytest.fixture(scope="module")
def keras_pp():
    return pytest.importorskip("keras_preprocessing.image").ImageDataGenerator


def random_params(rng, h, w, flips=True):
    """One explicit transform with every geometric parameter set (scalars, as Keras takes)."""
    p = {
        "theta": rng.uniform(-40, 40), "tx": rng.uniform(-0.3, 0.3) * w,
        "ty": rng.uniform(-0.3, 0.3) * h, "shear": rng.uniform(-20, 20),
        "zx": rng.uniform(0.7, 1.3), "zy": rng.uniform(0.7, 1.3),
    }
    if flips:
        p["flip_horizontal"], p["flip_vertical"] = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
    return p


def recentre(m, old, new):
    """The matrix of the same linear map and shift, conjugated about ``new`` instead of ``old``."""
    m = m.copy()
    d = np.asarray(new, float) - np.asarray(old, float)
    m[:, :2, 2] += d - np.einsum("nij,j->ni", m[:, :2, :2], d)
    return m


def keras_apply(generator_class, x, params, order, mode, cval):
    gen = generator_class(fill_mode=mode, cval=cval, interpolation_order=order)
    return gen.apply_transform(x, dict(params))


# --------------------------------------------------------------------------
# Keras 3 legacy generator
# --------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("channels", [1, 3])
def test_keras3_square_images_same_geometry(keras3, mode, order, channels):
    # rows: units (degrees, pixels), rotation sign, shear axis, zoom axes,
    # shift axes of tx/ty, centre (square), flips, fill modes, order
    rng = np.random.default_rng(order * 10 + channels)
    for _ in range(6):
        x = rng.random((1, 12, 12, channels)) * 255
        p = random_params(rng, 12, 12)
        expected = keras_apply(keras3, x[0], p, order, mode, cval=3.0)
        got = apply_transform(x, p, order=order, fill_mode=mode, cval=3.0)[0]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_keras3_flips_exact_on_uint8(keras3):
    x = np.random.default_rng(0).integers(0, 256, (1, 7, 9, 3), dtype=np.uint8)
    for fh in (False, True):
        for fv in (False, True):
            p = {"flip_horizontal": fh, "flip_vertical": fv}
            expected = keras_apply(keras3, x[0].astype(float), p, 1, "nearest", 0.0)
            np.testing.assert_array_equal(apply_transform(x, p)[0], expected)


@pytest.mark.parametrize("mode", MODES)
def test_keras3_non_square_swaps_the_centre(keras3, mode):
    # documented difference: Keras 3 centres at (w/2 - 0.5, h/2 - 0.5) in
    # (row, col), i.e. with height and width swapped
    rng = np.random.default_rng(1)
    h, w = 9, 14
    for _ in range(4):
        x = rng.random((1, h, w, 1))
        p = random_params(rng, h, w, flips=False)
        expected = keras_apply(keras3, x[0], p, 1, mode, 0.0)
        m = recentre(transform_matrices(p, (h, w)), ((h - 1) / 2, (w - 1) / 2),
                     (w / 2 - 0.5, h / 2 - 0.5))
        np.testing.assert_allclose(warp_affine(x, m, mode=mode)[0], expected, atol=1e-9)
        assert not np.allclose(apply_transform(x, p, fill_mode=mode)[0], expected, atol=1e-3)


def test_keras3_shifts_move_the_named_axis_on_any_shape(keras3):
    # tx moves columns and ty rows in both (pure shifts do not depend on the centre)
    x = np.random.default_rng(2).random((1, 6, 11, 1))
    for p in ({"tx": 2.0}, {"ty": -1.5}, {"tx": -3.25, "ty": 2.5}):
        np.testing.assert_allclose(
            apply_transform(x, p)[0], keras_apply(keras3, x[0], p, 1, "nearest", 0), atol=1e-12
        )


def test_keras3_draws_the_height_shift_into_columns(keras3):
    # documented difference: Keras 3's generator multiplies the height-shift
    # draw by the height and stores it as tx (columns); imgbalance draws it
    # into ty (rows), as Keras' documentation and keras-preprocessing do
    h, w = 10, 30
    p3 = keras3(height_shift_range=0.4).get_random_transform((h, w, 1), seed=3)
    assert p3["ty"] == 0 and p3["tx"] != 0 and abs(p3["tx"]) <= 0.4 * h
    ours = random_transform_parameters(np.random.default_rng(0), 50, (h, w), height_shift_range=0.4)
    assert np.all(ours["tx"] == 0) and np.all(np.abs(ours["ty"]) <= 0.4 * h)
    assert np.abs(ours["ty"]).max() > 0.3 * h


def test_keras3_brightness_truncates_ours_rounds(keras3):
    # documented difference: Keras goes through PIL (truncation, float32 out);
    # imgbalance multiplies, rounds and keeps the dtype
    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, (1, 8, 8, 1), dtype=np.uint8)
    for b in (0.37, 0.8, 1.3, 1.9):
        expected = keras_apply(keras3, x[0].astype(np.float32), {"brightness": b}, 1, "nearest", 0)
        assert expected.dtype == np.float32
        got = apply_transform(x, {"brightness": b})[0]
        assert got.dtype == np.uint8
        diff = got.astype(int) - expected.astype(int)
        assert diff.min() >= 0 and diff.max() <= 1 and diff.max() == 1
        np.testing.assert_array_equal(got, np.clip(np.rint(x[0] * b), 0, 255))


# --------------------------------------------------------------------------
# keras-preprocessing 1.1.2
# --------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_keras_preprocessing_shifts_agree_with_tx_ty_swapped(keras_pp, mode):
    # keras-preprocessing's tx (drawn from height_shift_range) moves rows:
    # imgbalance's ty; its ty (width) moves columns: imgbalance's tx
    x = np.random.default_rng(5).random((1, 7, 12, 2))
    for tx, ty in ((1.0, 0.0), (0.0, -2.5), (-1.75, 3.0)):
        expected = keras_apply(keras_pp, x[0], {"tx": tx, "ty": ty}, 1, mode, 2.0)
        got = apply_transform(x, {"tx": ty, "ty": tx}, fill_mode=mode, cval=2.0)[0]
        np.testing.assert_allclose(got, expected, atol=1e-12)


def test_keras_preprocessing_flips_agree(keras_pp):
    x = np.random.default_rng(6).integers(0, 256, (1, 5, 8, 1), dtype=np.uint8)
    for p in ({"flip_horizontal": True}, {"flip_vertical": True}):
        expected = keras_apply(keras_pp, x[0].astype(float), p, 1, "nearest", 0.0)
        np.testing.assert_array_equal(apply_transform(x, p)[0], expected)


@pytest.mark.parametrize("hw", [(12, 12), (9, 14)])
def test_keras_preprocessing_geometry_is_the_transposed_frame(keras_pp, hw):
    # documented difference: keras-preprocessing applies the same product
    # R T S Z directly in (row, col) -- imgbalance's geometry in the
    # transposed frame (so rotation sign, shear axis, zx/zy and tx/ty all
    # swap) -- about the centre (h/2 + 0.5, w/2 + 0.5)
    h, w = hw
    rng = np.random.default_rng(7)
    for _ in range(4):
        x = rng.random((h, w, 1))
        p = random_params(rng, h, w, flips=False)
        expected = keras_apply(keras_pp, x, p, 1, "nearest", 0.0)[..., 0]
        m = recentre(transform_matrices(p, (w, h)), ((w - 1) / 2, (h - 1) / 2),
                     (w / 2 + 0.5, h / 2 + 0.5))
        got = warp_affine(x[..., 0].T[None], m)[0].T
        np.testing.assert_allclose(got, expected, atol=1e-9)
        assert not np.allclose(apply_transform(x[None], p)[0, ..., 0], expected, atol=1e-3)


def test_keras_preprocessing_brightness_rescales_to_0_255(keras_pp):
    # documented difference: it stretches each image to [0, 255] first
    x = np.random.default_rng(8).integers(40, 120, (6, 6, 1)).astype(np.float64)
    out = keras_apply(keras_pp, x, {"brightness": 1.0}, 1, "nearest", 0)
    assert out.min() == 0 and out.max() == 255
    np.testing.assert_array_equal(apply_transform(x[None], {"brightness": 1.0})[0], x)
    full = x.copy()
    full.flat[0], full.flat[1] = 0, 255  # spans [0, 255]: truncation is the only difference
    out = keras_apply(keras_pp, full, {"brightness": 0.6}, 1, "nearest", 0)
    ours = apply_transform(full.astype(np.uint8)[None], {"brightness": 0.6})[0]
    assert 0 <= (ours.astype(int) - out.astype(int)).min() and (ours - out).max() <= 1


# --------------------------------------------------------------------------
# the public API itself
# --------------------------------------------------------------------------
def test_apply_transform_reproduces_the_sampler():
    from imgbalance.augmentation._augment import apply_augmentation, draw_augmentation

    rng = np.random.default_rng(9)
    x = rng.integers(0, 256, (20, 10, 13, 3), dtype=np.uint8)
    ranges = dict(rotation_range=25, width_shift_range=0.2, height_shift_range=0.1,
                  shear_range=10, zoom_range=(0.8, 1.2), horizontal_flip=True,
                  vertical_flip=True, brightness_range=(0.5, 1.5))
    params = random_transform_parameters(np.random.default_rng(1), 20, (10, 13), **ranges)
    matrices, factors = draw_augmentation(np.random.default_rng(1), 20, (10, 13), **ranges)
    expected = apply_augmentation(x, matrices, factors)
    np.testing.assert_array_equal(apply_transform(x, params), expected)
    # one transform alone, from its scalar parameters
    one = {k: (None if v is None else v[4].item()) for k, v in params.items()}
    np.testing.assert_array_equal(apply_transform(x[4:5], one)[0], expected[4])


def test_random_transform_parameters_prefix_and_neutral_ranges():
    a = random_transform_parameters(np.random.default_rng(3), 10, (8, 8), rotation_range=10)
    b = random_transform_parameters(np.random.default_rng(3), 4, (8, 8), rotation_range=10,
                                    shear_range=5)
    np.testing.assert_array_equal(a["theta"][:4], b["theta"])
    assert np.all(a["shear"] == 0) and np.all(a["zx"] == 1) and not a["flip_horizontal"].any()


@pytest.mark.parametrize(
    "params, match",
    [
        ({"theta": [1.0, 2.0]}, "one common length 3"),
        ({"rotation": 3.0}, "unknown keys"),
        ({"channel_shift_intensity": 0.2}, "channel_shift_intensity"),
        ({"zx": np.nan}, "must be finite"),
        ({"brightness": -0.5}, "brightness'\\] must be >= 0"),
        ({"theta": "10"}, "real number"),
        ([("theta", 1.0)], "must be a dict"),
    ],
)
def test_apply_transform_bad_parameters(params, match):
    x = np.zeros((3, 4, 4), dtype=np.uint8)
    with pytest.raises((ValueError, TypeError), match=match):
        apply_transform(x, params)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        # the messages of imgbalance._checks, shared with the estimators
        (dict(image_hw=(0, 5)),
         re.escape("image_hw must be a pair of integers >= 1 (rows, columns); got (0, 5).")),
        (dict(image_hw=5), re.escape("image_hw must be a pair of integers >= 1 (rows, columns); got 5.")),
        (dict(image_hw=(5.0, 5)), "image_hw must be a pair of integers"),
        (dict(rotation_range=-1.0), "rotation_range must be a finite number >= 0"),
        (dict(zoom_range=(1.2, 0.8)),
         re.escape("zoom_range must be a pair (low, high) with 0 < low <= high; got (1.2, 0.8).")),
        (dict(zoom_range=(0.0, 1.0)), re.escape("with 0 < low <= high; got (0.0, 1.0)")),
        (dict(zoom_range=(0.9, np.inf)), "zoom_range must be a pair"),
        (dict(brightness_range=(-0.5, 1.0)),
         re.escape("brightness_range must be a pair (low, high) with 0 <= low <= high; got (-0.5, 1.0).")),
        (dict(brightness_range=(1.0,)), "brightness_range must be a pair"),
        (dict(n=-1), "n must be a non-negative integer"),
    ],
)
def test_random_transform_parameters_bad_input(kwargs, match):
    args = dict(n=3, image_hw=(5, 5))
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        random_transform_parameters(np.random.default_rng(0), args.pop("n"), args.pop("image_hw"),
                                    **args)


def test_apply_transform_bad_images():
    with pytest.raises(TypeError, match="numpy.ndarray"):
        apply_transform([[1, 2]], {})
    with pytest.raises(ValueError, match="3 dimensions"):
        apply_transform(np.zeros((4, 4)), {})


def test_apply_transform_accepts_keras_dicts_and_leaves_input_alone():
    x = np.random.default_rng(0).random((1, 5, 5))
    before = x.copy()
    p = {"theta": 0, "tx": 0, "ty": 0, "shear": 0, "zx": 1, "zy": 1, "flip_horizontal": 0,
         "flip_vertical": 0, "channel_shift_intensity": None, "brightness": None}
    np.testing.assert_array_equal(apply_transform(x, p), x)
    np.testing.assert_array_equal(x, before)
