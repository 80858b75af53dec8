"""Tests of the batched affine warp kernel and the Keras-style random matrices.

The independent reference is a per-image, per-channel loop over
``scipy.ndimage.affine_transform``.  Tolerances achieved and asserted:
float64 max abs diff <= 1e-6 (observed ~1e-13), float32 <= 1e-6 relative to
the value range, 8-bit and other integer dtypes identical.
"""

import numpy as np
import pytest
from scipy import ndimage as ndi

from imgbalance.augmentation import random_affine_matrices, warp_affine

MODES = ["constant", "nearest", "reflect", "wrap"]
ORDERS = [0, 1]


def scipy_reference(images, matrices, order, mode, cval):
    x = images if images.ndim == 4 else images[..., None]
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        for k in range(x.shape[3]):
            out[i, :, :, k] = ndi.affine_transform(
                x[i, :, :, k], matrices[i], order=order, mode=mode, cval=cval
            )
    return out if images.ndim == 4 else out[..., 0]


def hard_matrices(rng, n, h, w):
    """Rotations, shears, zooms, flips, large and half-pixel shifts."""
    m = random_affine_matrices(
        rng, n, (h, w), rotation_range=180, width_shift_range=0.6,
        height_shift_range=0.6, shear_range=40, zoom_range=(0.4, 2.5),
        horizontal_flip=True, vertical_flip=True,
    )
    # pure integer / half-integer shifts (exact ties for order 0 and uint8)
    m[:2, :2, :2] = np.eye(2)
    m[:2, :2, 2] = rng.integers(-2 * h, 2 * h, (2, 2)) / 2.0
    # shifted entirely out of frame (several periods for wrap/reflect)
    m[2, :2, 2] += [5.3 * h, -7.1 * w]
    m[3, :2, 2] += [-11.7 * h, 3.2 * w]
    return m


def make_images(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return (rng.random(shape) * 300 - 20).astype(dtype)
    info = np.iinfo(dtype)
    # 64-bit values are interpolated in float64 (like SciPy): keep them exact there
    lo, hi = max(info.min, -(2**40)), min(info.max, 2**40)
    return rng.integers(lo, hi, shape, endpoint=True).astype(dtype)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("shape", [(12, 9, 11), (10, 8, 7, 3), (6, 5, 6, 4), (6, 4, 5, 5)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8])
def test_matches_scipy(mode, order, shape, dtype):
    rng = np.random.default_rng(abs(hash((mode, order, shape, np.dtype(dtype).str))) % 2**32)
    x = make_images(rng, shape, dtype)
    m = hard_matrices(rng, shape[0], shape[1], shape[2])
    x_before = x.copy()
    got = warp_affine(x, m, order=order, mode=mode, cval=7.25)
    want = scipy_reference(x, m, order, mode, 7.25)
    assert got.dtype == x.dtype and got.shape == x.shape
    np.testing.assert_array_equal(x, x_before)
    if dtype == np.float64:
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    elif dtype == np.float32:
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6 * 320)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int16, np.int32, np.uint32, np.int64])
@pytest.mark.parametrize("mode", MODES)
def test_other_integer_dtypes_identical(dtype, mode):
    rng = np.random.default_rng(3)
    x = make_images(rng, (5, 6, 7, 2), dtype)
    m = hard_matrices(rng, 5, 6, 7)
    for order in ORDERS:
        for cval in (-3.5, 2.5, 1e12):
            np.testing.assert_array_equal(
                warp_affine(x, m, order=order, mode=mode, cval=cval),
                scipy_reference(x, m, order, mode, cval),
            )


@pytest.mark.parametrize("cval", [-5.0, 0.49, 0.5, 2.5, 254.5, 255.5, 300.0, np.nan])
def test_uint8_cval_rounding_like_scipy(cval):
    x = np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4)
    m = np.tile(np.eye(3), (2, 1, 1))
    m[:, 0, 2] = 100.0
    np.testing.assert_array_equal(
        warp_affine(x, m, mode="constant", cval=cval),
        scipy_reference(x, m, 1, "constant", cval),
    )


def test_uint8_bilinear_rounds_half_up_like_scipy():
    x = np.array([[[0, 255, 3, 4], [10, 11, 12, 13]]], dtype=np.uint8)
    m = np.array([[[1.0, 0, 0], [0, 1, 0.5], [0, 0, 1]]])
    np.testing.assert_array_equal(
        warp_affine(x, m), [[[128, 129, 4, 4], [11, 12, 13, 13]]]
    )


def test_fashion_like_batch_large_uint8_identical():
    # many pixels, realistic smooth content: every value must equal scipy's
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[:28, :28]
    base = (127.5 + 127.5 * np.sin(xx / 3.0) * np.cos(yy / 5.0)).astype(np.uint8)
    x = np.stack([np.roll(base, k, axis=1) for k in range(200)])
    m = random_affine_matrices(
        rng, 200, (28, 28), rotation_range=15, width_shift_range=0.1,
        height_shift_range=0.1, zoom_range=(0.9, 1.1), horizontal_flip=True,
    )
    np.testing.assert_array_equal(warp_affine(x, m), scipy_reference(x, m, 1, "nearest", 0.0))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", ORDERS)
def test_two_by_three_and_homogeneous_forms_agree(mode, order):
    rng = np.random.default_rng(0)
    x = make_images(rng, (4, 6, 5, 3), np.float64)
    m = hard_matrices(rng, 4, 6, 5)
    np.testing.assert_array_equal(
        warp_affine(x, m, order=order, mode=mode),
        warp_affine(x, m[:, :2, :].copy(), order=order, mode=mode),
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.uint8, np.int16])
@pytest.mark.parametrize("shape", [(3, 5, 4), (3, 5, 4, 3), (2, 1, 1), (2, 1, 6, 2)])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", ORDERS)
def test_identity_returns_input_exactly(dtype, shape, mode, order):
    x = make_images(np.random.default_rng(1), shape, dtype)
    eye = np.tile(np.eye(3), (shape[0], 1, 1))
    out = warp_affine(x, eye, order=order, mode=mode)
    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out, x)


def test_float16_supported_via_float32():
    rng = np.random.default_rng(2)
    x = rng.random((5, 6, 6)).astype(np.float16)
    m = hard_matrices(rng, 5, 6, 6)
    got = warp_affine(x, m)
    want = scipy_reference(x.astype(np.float32), m, 1, "nearest", 0.0).astype(np.float16)
    assert got.dtype == np.float16
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), atol=1e-3)


def test_inputs_not_modified_and_noncontiguous_input():
    rng = np.random.default_rng(4)
    x = make_images(rng, (6, 10, 12, 3), np.uint8)
    m = hard_matrices(rng, 6, 10, 12)
    xs, ms = x.copy(), m.copy()
    view = x[::2, :, ::-1]  # non-contiguous
    got = warp_affine(view, m[::2])
    np.testing.assert_array_equal(got, scipy_reference(np.ascontiguousarray(view), m[::2], 1, "nearest", 0.0))
    np.testing.assert_array_equal(x, xs)
    np.testing.assert_array_equal(m, ms)


def test_empty_batch():
    out = warp_affine(np.zeros((0, 4, 4), np.uint8), np.zeros((0, 3, 3)))
    assert out.shape == (0, 4, 4) and out.dtype == np.uint8


@pytest.mark.parametrize(
    "images, matrices, kwargs, err, match",
    [
        (np.zeros((2, 4)), np.zeros((2, 3, 3)), {}, ValueError, r"3 dimensions.*\(2, 4\)"),
        (np.zeros((1, 2, 3, 4, 5)), np.zeros((1, 3, 3)), {}, ValueError, "5 dimensions"),
        ([[[0.0]]], np.eye(3)[None], {}, TypeError, "numpy.ndarray"),
        (np.zeros((2, 4, 4), bool), np.tile(np.eye(3), (2, 1, 1)), {}, TypeError, "bool"),
        (np.zeros((2, 4, 4), complex), np.tile(np.eye(3), (2, 1, 1)), {}, TypeError, "complex"),
        (np.zeros((2, 4, 4)), np.zeros((2, 2, 2)), {}, ValueError, r"\(n, 3, 3\).*\(2, 2, 2\)"),
        (np.zeros((2, 4, 4)), np.zeros((3, 3)), {}, ValueError, r"got shape \(3, 3\)"),
        (np.zeros((2, 4, 4)), np.tile(np.eye(3), (3, 1, 1)), {}, ValueError, "3 matrices.*2 images"),
        (np.zeros((2, 4, 4)), np.full((2, 3, 3), np.nan), {}, ValueError, "finite"),
        (np.zeros((2, 4, 4)), np.ones((2, 3, 3)), {}, ValueError, "last row"),
        (np.zeros((2, 4, 4)), np.tile(np.eye(3), (2, 1, 1)), {"order": 3}, ValueError, "order"),
        (np.zeros((2, 4, 4)), np.tile(np.eye(3), (2, 1, 1)), {"order": True}, ValueError, "order"),
        (np.zeros((2, 4, 4)), np.tile(np.eye(3), (2, 1, 1)), {"mode": "mirror"}, ValueError, "mode"),
        (np.zeros((2, 4, 4)), np.tile(np.eye(3), (2, 1, 1)), {"mode": "grid-wrap"}, ValueError, "mode"),
        (np.zeros((2, 4, 4)), np.tile(np.eye(3), (2, 1, 1)), {"cval": "a"}, TypeError, "cval"),
    ],
)
def test_argument_errors(images, matrices, kwargs, err, match):
    with pytest.raises(err, match=match):
        warp_affine(images, matrices, **kwargs)


# ---------------------------------------------------------------------------
# random_affine_matrices
# ---------------------------------------------------------------------------
KW = dict(rotation_range=20, width_shift_range=0.1, height_shift_range=0.2,
          shear_range=10, zoom_range=(0.8, 1.2), horizontal_flip=True, vertical_flip=True)


def test_reproducible_from_seed_and_prefix_stable():
    a = random_affine_matrices(np.random.default_rng(5), 30, (28, 32), **KW)
    b = random_affine_matrices(np.random.default_rng(5), 30, (28, 32), **KW)
    c = random_affine_matrices(np.random.default_rng(5), 10, (28, 32), **KW)
    d = random_affine_matrices(np.random.default_rng(6), 30, (28, 32), **KW)
    assert a.shape == (30, 3, 3) and a.dtype == np.float64
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a[:10], c)
    assert not np.allclose(a, d)
    np.testing.assert_array_equal(a[:, 2], np.tile([0.0, 0.0, 1.0], (30, 1)))


def test_identity_when_all_ranges_zero():
    m = random_affine_matrices(np.random.default_rng(0), 7, (9, 13))
    np.testing.assert_allclose(m, np.tile(np.eye(3), (7, 1, 1)), atol=1e-12)
    x = make_images(np.random.default_rng(0), (7, 9, 13, 3), np.uint8)
    np.testing.assert_array_equal(warp_affine(x, m), x)


@pytest.mark.parametrize("order", ORDERS)
def test_flips_only_give_original_or_mirror(order):
    rng = np.random.default_rng(8)
    x = make_images(rng, (64, 7, 10, 3), np.uint8)
    m = random_affine_matrices(rng, 64, (7, 10), horizontal_flip=True, vertical_flip=True)
    out = warp_affine(x, m, order=order)
    kinds = set()
    for i in range(64):
        for kind, ref in (("id", x[i]), ("h", x[i, :, ::-1]), ("v", x[i, ::-1]), ("hv", x[i, ::-1, ::-1])):
            if np.array_equal(out[i], ref):
                kinds.add(kind)
                break
        else:
            raise AssertionError(f"image {i} is neither the original nor a mirror")
    assert kinds == {"id", "h", "v", "hv"}


def test_horizontal_flip_probability_half():
    m = random_affine_matrices(np.random.default_rng(9), 4000, (8, 8), horizontal_flip=True)
    frac = np.mean(m[:, 1, 1] < 0)
    assert 0.45 < frac < 0.55


def test_rotation_angles_within_range_and_centred():
    h, w = 21, 21
    m = random_affine_matrices(np.random.default_rng(10), 500, (h, w), rotation_range=15)
    # (row, col) matrix is [[cos, sin], [-sin, cos]]: recover the angle
    angles = np.rad2deg(np.arctan2(m[:, 0, 1], m[:, 0, 0]))
    assert np.all(np.abs(angles) <= 15 + 1e-9)
    assert angles.min() < -12 and angles.max() > 12
    np.testing.assert_allclose(m[:, 0, 0], m[:, 1, 1])
    np.testing.assert_allclose(m[:, 0, 1], -m[:, 1, 0])
    centre = np.array([(h - 1) / 2, (w - 1) / 2, 1.0])
    np.testing.assert_allclose(m @ centre, np.tile(centre, (500, 1)), atol=1e-9)


def test_positive_rotation_turns_content_counter_clockwise():
    # a dot to the right of the centre ends up above it for +90 degrees
    rng = np.random.default_rng(0)
    m = random_affine_matrices(rng, 200, (11, 11), rotation_range=90)
    theta = np.rad2deg(np.arctan2(m[:, 0, 1], m[:, 0, 0]))
    i = int(np.argmax(theta))
    x = np.zeros((1, 11, 11))
    x[0, 5, 9] = 1.0
    out = warp_affine(x, m[i:i + 1], order=0, mode="constant")
    r, c = np.unravel_index(np.argmax(out[0]), (11, 11))
    assert r < 5 and abs(c - 5) < abs(r - 5)


def test_shifts_within_range():
    h, w = 40, 60
    m = random_affine_matrices(np.random.default_rng(11), 1000, (h, w),
                               width_shift_range=0.1, height_shift_range=0.25)
    np.testing.assert_allclose(m[:, :2, :2], np.tile(np.eye(2), (1000, 1, 1)))
    rows, cols = m[:, 0, 2], m[:, 1, 2]
    assert np.all(np.abs(rows) <= 0.25 * h) and np.all(np.abs(cols) <= 0.1 * w)
    assert rows.max() > 0.2 * h and rows.min() < -0.2 * h
    assert cols.max() > 0.08 * w and cols.min() < -0.08 * w


def test_zoom_factors_separate_and_within_range():
    m = random_affine_matrices(np.random.default_rng(12), 1000, (16, 16), zoom_range=(0.9, 1.1))
    zy, zx = m[:, 0, 0], m[:, 1, 1]
    assert np.all((zy >= 0.9) & (zy <= 1.1)) and np.all((zx >= 0.9) & (zx <= 1.1))
    assert not np.allclose(zx, zy)


def keras_square_matrix(theta, tx, ty, shear, zx, zy, size):
    """tf.keras legacy apply_affine_transform (with its axis swap) for a square image."""
    t, s = np.deg2rad(theta), np.deg2rad(shear)
    rot = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    sh = np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
    zoom = np.diag([zx, zy, 1.0])
    mat = rot @ shift @ sh @ zoom
    o = size / 2 - 0.5
    mat = np.array([[1, 0, o], [0, 1, o], [0, 0, 1]]) @ mat @ np.array([[1, 0, -o], [0, 1, -o], [0, 0, 1]])
    mat[:, [0, 1]] = mat[:, [1, 0]]
    mat[[0, 1]] = mat[[1, 0]]
    return mat


def test_matches_keras_composition_on_square_images():
    size = 28
    rng = np.random.default_rng(13)
    kw = dict(rotation_range=30, width_shift_range=0.2, height_shift_range=0.2,
              shear_range=20, zoom_range=(0.7, 1.3))
    m = random_affine_matrices(rng, 50, (size, size), **kw)
    u = np.random.default_rng(13).random((50, 8))
    for i in range(50):
        theta = 30 * (2 * u[i, 0] - 1)
        h_shift = 0.2 * (2 * u[i, 1] - 1) * size
        w_shift = 0.2 * (2 * u[i, 2] - 1) * size
        shear = 20 * (2 * u[i, 3] - 1)
        zx, zy = 0.7 + 0.6 * u[i, 4], 0.7 + 0.6 * u[i, 5]
        # Keras' tx (height shift) lands on columns after its swap: our width shift
        k = keras_square_matrix(theta, w_shift, h_shift, shear, zx, zy, size)
        np.testing.assert_allclose(m[i], k, atol=1e-9)


def test_random_affine_argument_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="Generator"):
        random_affine_matrices(np.random.RandomState(0), 2, (4, 4))
    with pytest.raises(ValueError, match="rotation_range"):
        random_affine_matrices(rng, 2, (4, 4), rotation_range=-1)
    with pytest.raises(ValueError, match="zoom_range"):
        random_affine_matrices(rng, 2, (4, 4), zoom_range=(1.2, 0.8))
    with pytest.raises(ValueError, match="image_hw"):
        random_affine_matrices(rng, 2, 4)
    with pytest.raises(ValueError, match="n must"):
        random_affine_matrices(rng, -1, (4, 4))


# ---------------------------------------------------------------------------
# uint8 / order 1 / mode "nearest" fast path (FastU8Bilinear in _fast_u8.py)
# ---------------------------------------------------------------------------
AUG = dict(rotation_range=15, width_shift_range=0.1, height_shift_range=0.1,
           zoom_range=(0.9, 1.1), horizontal_flip=True)


@pytest.mark.parametrize("channels", [None, 1, 2, 3, 4])
@pytest.mark.parametrize("kind", ["augment", "hard"])
def test_uint8_fast_path_identical_to_scipy(channels, kind):
    rng = np.random.default_rng(21 + (channels or 0))
    n, h, w = 40, 13, 17
    shape = (n, h, w) if channels is None else (n, h, w, channels)
    x = rng.integers(0, 256, shape).astype(np.uint8)
    if kind == "hard":
        m = hard_matrices(rng, n, h, w)
    else:
        m = random_affine_matrices(rng, n, (h, w), **AUG)
    np.testing.assert_array_equal(warp_affine(x, m), scipy_reference(x, m, 1, "nearest", 0.0))


def test_uint8_fast_path_exact_ties_identical():
    # shifts by multiples of 1/8 on integer images produce many values exactly
    # at (or extremely close to) .5 rounding boundaries
    rng = np.random.default_rng(22)
    n, h, w = 60, 9, 11
    x = rng.integers(0, 256, (n, h, w, 3)).astype(np.uint8)
    m = np.tile(np.eye(3), (n, 1, 1))
    m[:, :2, 2] = rng.integers(-24, 24, (n, 2)) / 8.0
    m[::3, :2, :2] = [[0.5, 0.0], [0.0, 1.5]]
    m[1::3, :2, :2] = [[0.0, 1.0], [-1.0, 0.0]]  # exact 90-degree turn
    np.testing.assert_array_equal(warp_affine(x, m), scipy_reference(x, m, 1, "nearest", 0.0))


@pytest.mark.parametrize("channels", [None, 3])
def test_uint8_fast_path_row_bands_and_rechecks(monkeypatch, channels):
    # tiny blocks force the band path (several blocks per image, with a row
    # offset folded into the matrices) and many intermediate rechecks
    from imgbalance.augmentation import _fast_u8

    monkeypatch.setattr(_fast_u8, "_FAST_CHUNK_PIXELS", 50)
    monkeypatch.setattr(_fast_u8, "_FAST_RECHECK_PIXELS", 64)
    rng = np.random.default_rng(23)
    n, h, w = 5, 21, 12
    shape = (n, h, w) if channels is None else (n, h, w, channels)
    x = rng.integers(0, 256, shape).astype(np.uint8)
    m = hard_matrices(rng, n, h, w)
    np.testing.assert_array_equal(warp_affine(x, m), scipy_reference(x, m, 1, "nearest", 0.0))


def test_uint8_fast_path_far_coordinates_clamped():
    # coordinates beyond the int32 range are clamped before the integer cast
    rng = np.random.default_rng(24)
    x = rng.integers(0, 256, (4, 7, 9, 3)).astype(np.uint8)
    m = random_affine_matrices(rng, 4, (7, 9), **AUG)
    m[0, :2, 2] += [3e9, -1e12]
    m[1, :2, 2] += [-5e10, 0.0]
    m[2, 0, 1] = 1e11  # huge shear: every row coordinate far outside
    np.testing.assert_array_equal(warp_affine(x, m), scipy_reference(x, m, 1, "nearest", 0.0))


def test_uint8_fast_path_larger_rgb_images():
    # realistic smooth colour content, images larger than one block
    rng = np.random.default_rng(25)
    yy, xx = np.mgrid[:260, :270]
    base = np.stack([127.5 + 127.5 * np.sin(xx / (7.0 + k)) * np.cos(yy / (5.0 + k))
                     for k in range(3)], axis=-1).astype(np.uint8)
    x = np.stack([base, base[::-1], base[:, ::-1]])
    m = random_affine_matrices(rng, 3, (260, 270), **AUG)
    np.testing.assert_array_equal(warp_affine(x, m), scipy_reference(x, m, 1, "nearest", 0.0))


# ---------------------------------------------------------------------------
# kernel entry used by the sampler: chosen sources, in-place output, blocks
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dtype, shape, order, mode",
    [
        (np.uint8, (9, 13, 17), 1, "nearest"),  # fast path, one channel
        (np.uint8, (9, 13, 17, 3), 1, "nearest"),  # fast path, packed channels
        (np.uint8, (9, 13, 17, 3), 0, "constant"),  # general path
        (np.float64, (9, 13, 17, 2), 1, "reflect"),  # general path, float
    ],
)
@pytest.mark.parametrize("block_pixels", [None, 40, 300, 10**6])
def test_warp_into_sources_equals_gathered_warp(dtype, shape, order, mode, block_pixels):
    from imgbalance.augmentation._warp import warp_into

    rng = np.random.default_rng(31)
    x = make_images(rng, shape, dtype)
    before = x.copy()
    sources = rng.integers(0, shape[0], 23)  # repeats, any order
    m = hard_matrices(rng, sources.size, *shape[1:3])
    out = np.full((sources.size, *shape[1:]), 7, dtype=dtype)
    res = warp_into(x, m[:, :2], out, order=order, mode=mode, cval=3.0,
                    sources=sources, block_pixels=block_pixels)
    assert res is out
    expected = warp_affine(x[sources], m, order=order, mode=mode, cval=3.0)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(x, before)
    if dtype == np.uint8:  # and warp_affine itself is exact against SciPy
        np.testing.assert_array_equal(
            expected, scipy_reference(x[sources], m, order, mode, 3.0)
        )


# "Round" matrices (few decimals) make many interpolated values land exactly
# on .5; they round like SciPy's only if those ties are SciPy's own values.
ROUND_MATRIX = np.array([[0.9, 0.2, 1.3], [-0.15, 1.1, -2.2], [0.0, 0.0, 1.0]])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "dtype, channels",
    [(np.uint8, None), (np.uint8, 3), (np.uint8, 5), (np.uint16, None),
     (np.int8, 2), (np.int32, None), (np.int64, None)],
)
def test_integer_rounding_ties_identical_to_scipy(mode, dtype, channels):
    rng = np.random.default_rng(41)
    n, h, w = 60, 9, 7
    shape = (n, h, w) if channels is None else (n, h, w, channels)
    info = np.iinfo(dtype)
    x = rng.integers(max(info.min, -1000), min(info.max, 1000), shape, endpoint=True).astype(dtype)
    m = np.repeat(ROUND_MATRIX[None], n, axis=0)
    m[n // 2 :, :2, :2] = [[1.0, 0.5], [0.0, 1.5]]  # more exact ties
    expected = scipy_reference(x, m, 1, mode, 3.0)
    np.testing.assert_array_equal(warp_affine(x, m, mode=mode, cval=3.0), expected)


def test_scipy_coordinate_order_probe_matches_installed_scipy():
    # the probe picks the order in which this SciPy adds the offset; the
    # coordinates built with it reproduce affine_transform bit for bit
    from imgbalance.augmentation._scipy_exact import scipy_coordinates

    rng = np.random.default_rng(42)
    img = rng.random((11, 13))
    m = random_affine_matrices(rng, 1, (11, 13), rotation_range=40, zoom_range=(0.7, 1.3))
    rows, cols = (a.ravel().astype(float) for a in np.mgrid[:11, :13])
    coords = scipy_coordinates(np.repeat(m[:, :2], rows.size, axis=0), rows, cols)
    got = ndi.map_coordinates(img, coords, order=1, mode="nearest").reshape(11, 13)
    np.testing.assert_array_equal(got, ndi.affine_transform(img, m[0], order=1, mode="nearest"))


@pytest.mark.parametrize("mode", MODES)
def test_non_finite_pixels_stay_where_scipy_has_them(mode):
    # NaN/inf propagate to the pixels that interpolate them (NaN or inf, as
    # documented); every pixel finite in SciPy is equal here, and nothing warns
    rng = np.random.default_rng(7)
    images = rng.random((6, 9, 8))
    images[rng.random(images.shape) < 0.05] = np.inf
    images[0, 4, 4] = -np.inf
    images[1, 2, 3] = np.nan
    mats = hard_matrices(rng, 6, 9, 8)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = warp_affine(images, mats, mode=mode)
    expected = scipy_reference(images, mats, 1, mode, 0.0)
    # never a non-finite value where SciPy has a finite one (SciPy has a few
    # more: an inf neighbour weighted by zero gives NaN there)
    assert not (~np.isfinite(ours) & np.isfinite(expected)).any()
    assert (~np.isfinite(ours)).any()
    finite = np.isfinite(expected)
    np.testing.assert_allclose(ours[finite], expected[finite], rtol=0, atol=1e-9)
