"""HOGTransformer as an estimator: layouts, parallelism, errors.

Exactness of the kernel against scikit-image is tested in
test_hog_kernel.py; here every row is still compared with
``skimage.feature.hog`` on a few images.
"""

import numpy as np
import pytest
from skimage.data import astronaut
from skimage.feature import hog

from imgbalance import HOGTransformer


def _reference(images, **params):
    channel_axis = -1 if images.ndim == 4 else None
    return np.stack([hog(im, channel_axis=channel_axis, **params) for im in images])


PARAMS = dict(orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2))


def test_grayscale_3d_and_flattened_agree_with_skimage(fashion_mnist_subset):
    X = fashion_mnist_subset[0][:300]
    expected = _reference(X, **PARAMS)
    out = HOGTransformer(**PARAMS).fit_transform(X)
    np.testing.assert_array_equal(out, expected)
    flat = HOGTransformer(**PARAMS, image_shape=(28, 28)).fit_transform(X.reshape(300, -1))
    np.testing.assert_array_equal(flat, expected)


def test_colour_4d_agrees_with_skimage():
    image = astronaut()[::4, ::4]  # 128 x 128 x 3 uint8
    crops = np.stack([image[r : r + 40, c : c + 48] for r in range(0, 80, 20) for c in range(0, 80, 20)])
    params = dict(orientations=8, pixels_per_cell=(5, 6), cells_per_block=(2, 2))
    out = HOGTransformer(**params).fit_transform(crops)
    np.testing.assert_array_equal(out, _reference(crops, **params))
    flat = HOGTransformer(**params, image_shape=(40, 48, 3)).fit_transform(crops.reshape(len(crops), -1))
    np.testing.assert_array_equal(flat, out)


@pytest.mark.parametrize("dtype, out_dtype", [(np.uint8, np.float64), (np.float32, np.float32), (np.float64, np.float64), (np.int64, np.float64)])
def test_dtype_rules_follow_skimage(dtype, out_dtype):
    X = np.random.default_rng(1).integers(0, 200, size=(4, 16, 16)).astype(dtype)
    out = HOGTransformer(**PARAMS).fit_transform(X)
    assert out.dtype == out_dtype
    assert out.dtype == hog(X[0], **PARAMS).dtype


def test_output_independent_of_n_jobs_and_chunk_size(fashion_mnist_subset):
    X = fashion_mnist_subset[0][:700]
    reference = HOGTransformer(**PARAMS).fit_transform(X)
    for n_jobs, chunk_size in [(1, 1), (1, 97), (2, 128), (2, None), (-1, 333)]:
        out = HOGTransformer(**PARAMS, n_jobs=n_jobs, chunk_size=chunk_size).fit_transform(X)
        np.testing.assert_array_equal(out, reference)


def test_n_features_out_and_feature_names():
    X = np.zeros((3, 28, 28))
    est = HOGTransformer(**PARAMS).fit(X)
    assert est.n_features_out_ == 6 * 6 * 2 * 2 * 9
    names = est.get_feature_names_out()
    assert len(names) == est.n_features_out_ and names.dtype == object
    assert names[0] == "hog_block0_0_cell0_0_orient0"
    assert names[-1] == "hog_block5_5_cell1_1_orient8"


@pytest.mark.parametrize("shape", [(28, 28), (30, 21, 3)])
def test_feature_names_place_each_value_in_skimage_block_cell_orientation(shape):
    from skimage.feature import hog

    image = np.random.default_rng(0).random(shape)
    params = dict(orientations=6, pixels_per_cell=(4, 5), cells_per_block=(3, 2))
    est = HOGTransformer(**params).fit(image[np.newaxis])
    values = est.transform(image[np.newaxis])[0]
    blocks = hog(image, **params, block_norm="L2-Hys", feature_vector=False,
                 channel_axis=-1 if len(shape) == 3 else None)
    names = est.get_feature_names_out()
    assert len(names) == blocks.size
    for name, value in zip(names[::7], values[::7]):
        parts = name.split("_")  # hog, block{r}, {c}, cell{i}, {j}, orient{k}
        r, c = int(parts[1][5:]), int(parts[2])
        i, j = int(parts[3][4:]), int(parts[4])
        k = int(parts[5][6:])
        assert value == blocks[r, c, i, j, k]
    # input_features are checked like scikit-learn's, and stay out of the names
    with pytest.raises(ValueError, match="input_features"):
        est.get_feature_names_out(["a", "b"])


def test_images_smaller_than_one_block():
    with pytest.raises(ValueError, match=r"pixels_per_cell=\(4, 4\).*cells_per_block=\(2, 2\)"):
        HOGTransformer(**PARAMS).fit(np.zeros((3, 7, 9)))
    # a single 2-D image is read as rows of 1 x w images: the message says so
    with pytest.raises(ValueError, match=r"read as a 1 x 16 image.*X\[np.newaxis\]"):
        HOGTransformer(**PARAMS).fit(np.zeros((16, 16)))
    # real 1-row images (3-D) get no such hint
    with pytest.raises(ValueError, match=r"smaller than one HOG block: \S.*pixels\.$"):
        HOGTransformer(**PARAMS).fit(np.zeros((3, 1, 16)))


@pytest.mark.parametrize("name, value", [("pixels_per_cell", (0, 4)), ("pixels_per_cell", (4, 4, 4)), ("cells_per_block", (2, 2.5))])
def test_invalid_geometry(name, value):
    with pytest.raises(ValueError, match=name):
        HOGTransformer(**{**PARAMS, name: value}).fit(np.zeros((2, 28, 28)))


def test_transform_sqrt_needs_non_negative_images():
    X = np.random.default_rng(0).normal(size=(3, 16, 16))
    with pytest.raises(ValueError, match="transform_sqrt=True .* non-negative"):
        HOGTransformer(**PARAMS, transform_sqrt=True).fit(X)
    out = HOGTransformer(**PARAMS, transform_sqrt=True).fit_transform(np.abs(X))
    np.testing.assert_array_equal(out, _reference(np.abs(X), **PARAMS, transform_sqrt=True))


def test_int_pixels_per_cell_means_square_cells():
    X = np.random.default_rng(0).random((2, 16, 16))
    a = HOGTransformer(pixels_per_cell=4, cells_per_block=2).fit_transform(X)
    b = HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)).fit_transform(X)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "params", [{"pixels_per_cell": (2, 2)}, {"pixels_per_cell": (16, 16)}, {"orientations": 6}]
)
def test_parameters_changed_after_fit_ask_for_a_new_fit(params):
    # used to be numpy's "could not broadcast input array from shape ..."
    X = np.random.default_rng(0).random((5, 16, 16))
    hog = HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)).fit(X)
    hog.set_params(**params)
    with pytest.raises(ValueError, match=r"changed after fit.*n_features_out_=324.*fit again"):
        hog.transform(X)
    if params != {"pixels_per_cell": (16, 16)}:  # a block of those fits no 16x16 image
        assert hog.fit(X).transform(X).shape[1] == hog.n_features_out_  # refitted: fine


@pytest.mark.parametrize("dropped, kept", [("hog", 784), ("pixels", 1296)])
def test_hog_and_pixels_union_branch_can_be_dropped(dropped, kept):
    from imgbalance.feature_extraction import make_hog_and_pixels

    X = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    union = make_hog_and_pixels(pixel_weight="auto").set_params(**{dropped: "drop"})
    Xt = union.fit_transform(X)
    assert Xt.shape == (4, kept) and union.pixel_weight_ is None
    np.testing.assert_array_equal(union.transform(X), Xt)


def test_too_small_channels_first_images_get_the_layout_hint():
    X = np.zeros((3, 1, 8, 8))  # one channel first: read as 1 row of 8 pixels
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="looks channels-first"):
        HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)).fit(X)
    flat = X.reshape(3, -1)  # the same, flattened with image_shape: the rows' fix
    with pytest.warns(UserWarning), pytest.raises(ValueError, match=r"pass image_shape=\(8, 8, 1\)"):
        HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2), image_shape=(1, 8, 8)).fit(flat)
