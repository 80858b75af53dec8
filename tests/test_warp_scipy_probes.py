"""``warp_affine`` against ``scipy.ndimage.affine_transform`` at coordinates a few ulps around ties.

Issue 16.1: with ``order=0, mode="reflect"`` an input coordinate within a few
ulps of a negative half-integer took the neighbouring pixel, because the
mirrored side was reduced to ``[0, 2 * length)`` first and reflected after
(two roundings) where SciPy maps ``-in - 1`` directly.  The probes below put
every output pixel of an image on one chosen input coordinate (matrix
``[[0, 0, r], [0, 0, c]]``: SciPy computes ``(c + row * 0) + col * 0 == c``
exactly), so each probe tests one coordinate, for every mode and order the
kernel accepts, on both axes, on the general path (float64, uint8 with order
0 or other modes) and on the uint8 bilinear fast path (mode "nearest").
"""

import numpy as np
import pytest
from scipy import ndimage as ndi
from sklearn.utils import check_random_state

from imgbalance import AugmentationOverSampler
from imgbalance.augmentation import random_affine_matrices, warp_affine

MODES = ["constant", "nearest", "reflect", "wrap"]


def scipy_loop(images, matrices, order, mode, cval=0.0):
    return np.stack([
        ndi.affine_transform(img, m, order=order, mode=mode, cval=cval)
        for img, m in zip(images, matrices)
    ])


def probe_coordinates(length, rng, n_random=60):
    """Half-integers and integers over several periods, each +-4 ulps, plus
    period multiples and random values."""
    ties = np.arange(-6 * length - 2, 6 * length + 3) / 2.0
    period_edges = np.array([k * p for k in range(-4, 5) for p in (2 * length, max(length - 1, 1))],
                            dtype=float)
    base = np.concatenate([ties, period_edges, rng.uniform(-5 * length, 5 * length, n_random)])
    probes = [base]
    up, down = base.copy(), base.copy()
    for _ in range(4):
        up, down = np.nextafter(up, np.inf), np.nextafter(down, -np.inf)
        probes += [up, down]
    return np.unique(np.concatenate(probes))


def probe_matrices(coords, axis):
    """One matrix per coordinate: every output pixel samples ``coords[i]`` along ``axis``."""
    m = np.zeros((coords.size, 3, 3))
    m[:, 2, 2] = 1.0
    m[:, axis, 2] = coords
    return m


@pytest.mark.parametrize("length", [1, 2, 5, 7])
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
def test_coordinates_around_ties_equal_scipy(length, axis, order, mode, dtype):
    rng = np.random.default_rng(length * 100 + axis * 10 + order)
    shape = (length, 3) if axis == 0 else (3, length)
    coords = probe_coordinates(length, rng)
    m = probe_matrices(coords, axis)
    # other axis: coordinate 1 (inside)
    m[:, 1 - axis, 2] = 1.0
    image = (rng.permutation(np.arange(1, 1 + 3 * length)) * (250 // (3 * length))).reshape(shape)
    images = np.repeat(image[None].astype(dtype), coords.size, axis=0)
    got = warp_affine(images, m, order=order, mode=mode, cval=255)
    expected = scipy_loop(images, m, order, mode, cval=255)
    if dtype == np.float64:
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    else:
        bad = np.flatnonzero((got != expected).reshape(len(m), -1).any(axis=1))
        assert bad.size == 0, f"coordinates {coords[bad][:5].tolist()} differ"


def test_issue_reproducers():
    img = (np.arange(7, dtype=np.uint8) * 10)[None, :]
    m = np.array([[1.0, 0, 0], [0, 1.0, -1.4999999999999996], [0, 0, 1.0]])
    expected = ndi.affine_transform(img, m, order=0, mode="reflect")
    np.testing.assert_array_equal(expected, [[0, 0, 10, 20, 30, 40, 50]])
    np.testing.assert_array_equal(warp_affine(img[None], m[None], order=0, mode="reflect")[0],
                                  expected)
    m2 = np.array([[1.0, 0, 0], [0, 0.1, -2.3]])
    for seed in range(50):  # random 1 x 15 rows, as in the issue
        row = np.random.default_rng(seed).integers(0, 256, (1, 1, 15), dtype=np.uint8)
        np.testing.assert_array_equal(
            warp_affine(row, m2[None], order=0, mode="reflect")[0],
            ndi.affine_transform(row[0], m2, order=0, mode="reflect"),
        )


@pytest.mark.parametrize("mode", MODES)
def test_grid_of_ties_on_both_axes(mode):
    # output pixels themselves land near half-integers: scale 0.5 plus offsets a few
    # ulps off, far outside the image on both sides
    rng = np.random.default_rng(7)
    h, w = 6, 9
    offsets = np.array([-2.0 * h * k - 0.5 for k in range(1, 4)] + [-0.5, 2.5, 3.0 * w + 0.5])
    mats = []
    for r in offsets:
        for c in offsets:
            for dr, dc in ((1, 1), (-1, 1), (1, -1), (0, 0)):
                m = np.array([[0.5, 0.0, r], [0.0, -0.5, c], [0.0, 0.0, 1.0]])
                m[0, 2] = np.nextafter(r, np.inf * dr) if dr else r
                m[1, 2] = np.nextafter(c, np.inf * dc) if dc else c
                mats.append(m)
    mats = np.array(mats)
    images = rng.integers(0, 256, (len(mats), h, w), dtype=np.uint8)
    for order in (0, 1):
        np.testing.assert_array_equal(
            warp_affine(images, mats, order=order, mode=mode, cval=17),
            scipy_loop(images, mats, order, mode, cval=17),
        )


def test_sampler_order0_reflect_equals_scipy():
    # the sampler's new images are SciPy's warps of their sources by the
    # matrices drawn as the sampler draws them (seeded: the order of draws is
    # that of AugmentationOverSampler._fit_resample)
    rng = np.random.default_rng(3)
    X = rng.integers(0, 256, (40, 9, 11), dtype=np.uint8)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    ranges = dict(rotation_range=170, width_shift_range=0.9, height_shift_range=0.9,
                  shear_range=40, zoom_range=(0.3, 3.0), horizontal_flip=True,
                  vertical_flip=True)
    sampler = AugmentationOverSampler(random_state=5, interpolation_order=0,
                                      fill_mode="reflect", **ranges)
    X_res, _ = sampler.fit_resample(X, y)
    rs = check_random_state(5)
    rs.choice(np.flatnonzero(y == 1), size=20, replace=True)
    draw = np.random.default_rng(rs.randint(np.iinfo(np.int32).max))
    m = random_affine_matrices(draw, 20, (9, 11), **ranges)
    expected = scipy_loop(X[sampler.source_indices_], m, 0, "reflect")
    np.testing.assert_array_equal(X_res[40:], expected)
