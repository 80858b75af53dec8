"""Tests for the batched HOG kernel ``imgbalance.feature_extraction._hog``
(entry point) and its stages ``_hog_gradients``, ``_hog_cells``, ``_hog_blocks``.

The independent reference is ``skimage.feature.hog`` called once per image;
the kernel is expected to match it bit for bit.
"""

import itertools
import os
from pathlib import Path

import numpy as np
import pytest

skimage_feature = pytest.importorskip("skimage.feature")
skimage_data = pytest.importorskip("skimage.data")


from imgbalance.feature_extraction import _hog, _hog_blocks, _hog_cells, _hog_gradients  # noqa: E402

hog_batch = _hog.hog_batch

FASHION_MNIST = Path(
    os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
) / "train-images-idx3-ubyte.gz"


def reference(images, multichannel=False, **params):
    """skimage.feature.hog image by image (the independent reference)."""
    channel_axis = -1 if multichannel else None
    return np.stack(
        [
            skimage_feature.hog(img, feature_vector=True, channel_axis=channel_axis, **params)
            for img in images
        ]
    )


def assert_same(got, expected):
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    if not np.array_equal(got, expected):  # pragma: no cover - diagnostic
        diff = np.abs(got.astype(np.float64) - expected.astype(np.float64)).max()
        raise AssertionError(f"not bit-exact, max abs diff {diff!r}")


def random_images(rng, dtype, shape):
    if dtype == np.uint8:
        return rng.integers(0, 256, size=shape, dtype=np.uint8)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-300, 300, size=shape).astype(dtype)
    images = rng.random(shape).astype(dtype)
    # flat patches give zero gradients (arctan2(0, 0) goes to bin 0)
    images[:, 1:4, 2:6] = images[:, 1:2, 2:3]
    return images


# ---------------------------------------------------------------- random grid

GRID = list(
    itertools.product(
        [(3, 3), (4, 4), (5, 7)],  # pixels_per_cell
        [(1, 1), (2, 2), (3, 2)],  # cells_per_block
        ["L1", "L1-sqrt", "L2", "L2-Hys"],
    )
)


@pytest.mark.parametrize("pixels_per_cell, cells_per_block, block_norm", GRID)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_random_grayscale_matches_skimage(pixels_per_cell, cells_per_block, block_norm, dtype):
    rng = np.random.default_rng(GRID.index((pixels_per_cell, cells_per_block, block_norm)))
    images = random_images(rng, dtype, (3, 23, 17))  # non-square, not whole cells
    for orientations, transform_sqrt in [(9, False), (8, True), (6, False)]:
        params = dict(
            orientations=orientations,
            pixels_per_cell=pixels_per_cell,
            cells_per_block=cells_per_block,
            block_norm=block_norm,
            transform_sqrt=transform_sqrt,
        )
        assert_same(hog_batch(images, **params), reference(images, **params))


@pytest.mark.parametrize("block_norm", ["L1", "L1-sqrt", "L2", "L2-Hys"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("transform_sqrt", [False, True])
def test_random_colour_matches_skimage(block_norm, dtype, transform_sqrt):
    rng = np.random.default_rng(7)
    images = random_images(rng, dtype, (3, 19, 26, 3))
    # ties between channels: skimage keeps the first channel with the max
    images[:, :, :8, 1] = images[:, :, :8, 0]
    images[:, 10:, :, 2] = images[:, 10:, :, 0]
    params = dict(
        orientations=9,
        pixels_per_cell=(4, 5),
        cells_per_block=(2, 3),
        block_norm=block_norm,
        transform_sqrt=transform_sqrt,
    )
    got = hog_batch(images, multichannel=True, **params)
    assert_same(got, reference(images, multichannel=True, **params))


@pytest.mark.parametrize("orientations", [1, 3, 7, 11, 12, 18])
def test_unusual_orientation_counts(orientations):
    # 180 / n * n can round below 180: angles there vote nowhere, as in skimage
    rng = np.random.default_rng(orientations)
    images = rng.standard_normal((4, 16, 16))
    params = dict(orientations=orientations, pixels_per_cell=(4, 4), cells_per_block=(2, 2))
    assert_same(hog_batch(images, **params), reference(images, **params))


def test_large_blocks_use_recursive_pairwise_sum():
    # 4 * 4 * 9 = 144 values per block > 128: NumPy's recursive summation
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (3, 20, 20), dtype=np.uint8)
    for norm in ["L1", "L2-Hys"]:
        params = dict(pixels_per_cell=(4, 4), cells_per_block=(4, 4), block_norm=norm)
        assert_same(hog_batch(images, **params), reference(images, **params))
    # block sizes that are not a multiple of 8 (3 * 3 * 17 = 153, 4 * 5 * 9 = 180)
    # exercise the unrolled-by-8 remainder of NumPy's pairwise summation
    images = rng.standard_normal((3, 24, 24))
    for params in (dict(orientations=17, cells_per_block=(3, 3)),
                   dict(orientations=9, cells_per_block=(4, 5))):
        for norm in ["L1", "L2", "L2-Hys"]:
            params.update(pixels_per_cell=(4, 4), block_norm=norm)
            assert_same(hog_batch(images, **params), reference(images, **params))


@pytest.mark.parametrize("dtype", [np.float16, np.int16, np.int64, np.bool_])
def test_other_dtypes(dtype):
    rng = np.random.default_rng(5)
    images = random_images(rng, dtype, (2, 12, 13))
    params = dict(pixels_per_cell=(3, 3), cells_per_block=(2, 2))
    assert_same(hog_batch(images, **params), reference(images, **params))


def test_one_image_batch_and_exact_fit():
    rng = np.random.default_rng(11)
    images = rng.integers(0, 256, (1, 8, 12), dtype=np.uint8)
    params = dict(pixels_per_cell=(4, 4), cells_per_block=(2, 3))  # exactly one block
    got = hog_batch(images, **params)
    assert got.shape == (1, 2 * 3 * 9)
    assert_same(got, reference(images, **params))


def test_more_images_than_one_internal_chunk(monkeypatch):
    monkeypatch.setattr(_hog, "DEFAULT_CHUNK_SIZE", 4)
    rng = np.random.default_rng(12)
    images = rng.integers(0, 256, (10, 16, 16), dtype=np.uint8)
    params = dict(pixels_per_cell=(4, 4), cells_per_block=(2, 2))
    assert_same(hog_batch(images, **params), reference(images, **params))


# ---------------------------------------------------------------- real images


@pytest.fixture(scope="module")
def fashion_mnist():
    if not FASHION_MNIST.exists():
        pytest.skip(f"Fashion-MNIST not found at {FASHION_MNIST}")
    from imgbalance.datasets import load_idx

    return load_idx(FASHION_MNIST)[:500]


@pytest.mark.parametrize("pixels_per_cell", [(4, 4), (7, 7)])
def test_fashion_mnist_bit_exact(fashion_mnist, pixels_per_cell):
    params = dict(orientations=9, pixels_per_cell=pixels_per_cell, cells_per_block=(2, 2))
    got = hog_batch(fashion_mnist, **params)
    expected = reference(fashion_mnist, **params)
    assert got.dtype == np.float64
    assert np.array_equal(got, expected)
    # a float64 bincount histogram would not be exact: make sure the test can tell
    assert np.any(got != 0)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_astronaut_colour_crops(dtype):
    astronaut = skimage_data.astronaut()  # (512, 512, 3) uint8
    crops = np.stack(
        [astronaut[r : r + 48, c : c + 40] for r, c in [(0, 0), (100, 180), (250, 300), (400, 60)]]
    )
    if dtype != np.uint8:
        crops = (crops / 255.0).astype(dtype)
    params = dict(orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))
    got = hog_batch(crops, multichannel=True, **params)
    assert_same(got, reference(crops, multichannel=True, **params))
    params = dict(orientations=6, pixels_per_cell=(5, 7), cells_per_block=(3, 2),
                  block_norm="L1-sqrt", transform_sqrt=True)
    got = hog_batch(crops, multichannel=True, **params)
    assert_same(got, reference(crops, multichannel=True, **params))


# ---------------------------------------------------------------- API contract


def test_small_image_error_matches_skimage_behaviour():
    images = np.zeros((2, 5, 5), dtype=np.uint8)
    msg = (
        r"Images of size \(5, 5\) are smaller than one HOG block: "
        r"pixels_per_cell=\(4, 4\) x cells_per_block=\(2, 2\) needs at least \(8, 8\) pixels\."
    )
    with pytest.raises(ValueError, match=msg):
        hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(2, 2))
    with pytest.raises(ValueError, match=msg):
        _hog.check_hog_geometry((5, 5), (4, 4), (2, 2))
    with pytest.raises(ValueError):  # skimage refuses the same image
        skimage_feature.hog(images[0], pixels_per_cell=(4, 4), cells_per_block=(2, 2))
    # one dimension too small is enough
    with pytest.raises(ValueError, match="smaller than one HOG block"):
        _hog.check_hog_geometry((40, 7), (4, 4), (2, 2))
    _hog.check_hog_geometry((8, 8), (4, 4), (2, 2))  # exactly one block is fine


def test_n_features_matches_output():
    for hw, ppc, cpb in [((28, 28), (4, 4), (2, 2)), ((23, 17), (5, 7), (3, 2)),
                         ((28, 28), (7, 7), (2, 2))]:
        n_features = _hog.hog_n_features(hw, orientations=8, pixels_per_cell=ppc,
                                         cells_per_block=cpb)
        img = np.zeros(hw)
        expected = skimage_feature.hog(img, orientations=8, pixels_per_cell=ppc,
                                       cells_per_block=cpb).size
        assert n_features == expected
        assert hog_batch(img[None], orientations=8, pixels_per_cell=ppc,
                         cells_per_block=cpb).shape == (1, n_features)
    assert _hog.hog_n_features((28, 28), orientations=9, pixels_per_cell=(4, 4),
                               cells_per_block=(2, 2)) == 1296


@pytest.mark.parametrize(
    "dtype, expected",
    [(np.uint8, np.float64), (np.uint16, np.float64), (np.int32, np.float64),
     (np.bool_, np.float64), (np.float16, np.float32), (np.float32, np.float32),
     (np.float64, np.float64)],
)
def test_output_dtype_rules(dtype, expected):
    assert _hog.hog_output_dtype(dtype) == np.dtype(expected)
    images = np.ones((2, 8, 8), dtype=dtype)
    got = hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(1, 1))
    assert got.dtype == np.dtype(expected)
    assert got.dtype == skimage_feature.hog(images[0], pixels_per_cell=(4, 4),
                                            cells_per_block=(1, 1)).dtype


def test_input_not_modified():
    rng = np.random.default_rng(0)
    for images, mc in [
        (rng.integers(0, 256, (3, 16, 16), dtype=np.uint8), False),
        (rng.random((3, 16, 16)), False),
        (rng.random((3, 16, 16)).astype(np.float32), False),
        (rng.integers(0, 256, (3, 16, 16, 3), dtype=np.uint8), True),
        (rng.random((3, 16, 16, 3)), True),
    ]:
        before = images.copy()
        images.flags.writeable = False  # any write attempt would raise
        hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(2, 2),
                  transform_sqrt=True, multichannel=mc)
        hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(2, 2), multichannel=mc)
        assert np.array_equal(images, before)


def test_non_contiguous_input():
    rng = np.random.default_rng(1)
    base = rng.integers(0, 256, (6, 40, 30), dtype=np.uint8)
    images = base[::2, ::-1, 1::2]  # strided, reversed
    params = dict(pixels_per_cell=(4, 3), cells_per_block=(2, 2))
    assert_same(hog_batch(images, **params), reference(images, **params))


def test_bad_arguments():
    images = np.zeros((2, 16, 16), dtype=np.uint8)
    with pytest.raises(ValueError, match="block_norm"):
        hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(2, 2), block_norm="L3")
    with pytest.raises(ValueError, match="3-D"):
        hog_batch(images[0], pixels_per_cell=(4, 4), cells_per_block=(2, 2))
    with pytest.raises(ValueError, match="4-D"):
        hog_batch(images, pixels_per_cell=(4, 4), cells_per_block=(2, 2), multichannel=True)
    with pytest.raises(ValueError, match="pixels_per_cell"):
        hog_batch(images, pixels_per_cell=(0, 4), cells_per_block=(2, 2))
    with pytest.raises(ValueError, match="orientations"):
        hog_batch(images, orientations=0, pixels_per_cell=(4, 4), cells_per_block=(2, 2))


@pytest.mark.parametrize("module", [_hog, _hog_gradients, _hog_cells, _hog_blocks])
def test_kernel_does_not_import_sklearn_or_joblib(module):
    source = Path(module.__file__).read_text()
    for name in ("sklearn", "joblib"):
        assert f"import {name}" not in source and f"from {name}" not in source
    assert len(source.splitlines()) <= 500


def test_orientation_binning_matches_remainder_formula():
    # the kernel bins without ``% 180`` and ``searchsorted``; check it against
    # skimage's formula on awkward angles (axes, -0.0, tiny negatives that
    # round to 180 and vote nowhere)
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.standard_normal(5000), [0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0]])
    g_row = rng.choice(values, 20000)
    g_col = rng.choice(values, 20000)
    g_row[:200] = -1e-17
    g_col[:200] = 1.0
    g_row[200:400] = 0.0
    g_col[300:400] = -1.0
    for orientations in [1, 6, 7, 9, 11, 13, 180]:
        angle = np.rad2deg(np.arctan2(g_row, g_col)) % 180
        expected = np.searchsorted(_hog_gradients.bin_edges(orientations), angle, side="right") - 1
        got = _hog_gradients.orientation_bins(g_row.copy(), g_col.copy(), orientations)
        assert np.array_equal(got, expected)
    assert np.any(expected == orientations)  # some angles do vote nowhere
