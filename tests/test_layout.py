"""ImageLayout: layout, dtype and scaling against NumPy references; sklearn's checks."""

import warnings

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from imgbalance.feature_extraction import ImageFlattener, ImageLayout


@parametrize_with_checks([ImageLayout(), ImageLayout(dtype=None, data_format="channels_first")])
def test_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("shape", [(5, 4, 3), (5, 4, 3, 2)])
def test_against_numpy(shape):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=shape, dtype=np.uint8)
    X4 = X if X.ndim == 4 else X[..., None]
    last = ImageLayout().fit_transform(X)
    first = ImageLayout(data_format="channels_first").fit_transform(X)
    np.testing.assert_array_equal(last, (X4 / 255).astype(np.float32))
    np.testing.assert_array_equal(first, np.moveaxis(X4, -1, 1).astype(np.float64)
                                  .__truediv__(255).astype(np.float32))
    assert first.flags.c_contiguous and last.dtype == first.dtype == np.float32
    raw = ImageLayout(dtype=None, scale=None, data_format="channels_first").fit_transform(X)
    np.testing.assert_array_equal(raw, np.moveaxis(X4, -1, 1))
    doubled = ImageLayout(dtype="uint8", scale=2.0).fit_transform(X)
    np.testing.assert_array_equal(doubled, np.clip(X4.astype(int) * 2, 0, 255))
    as_float = ImageLayout(dtype="float64", scale="auto").fit_transform(X4 / 255)
    np.testing.assert_array_equal(as_float, X4 / 255)  # floats are not rescaled


def test_flattened_input_and_input_untouched():
    X = np.arange(2 * 12, dtype=np.uint8).reshape(2, 12)
    before = X.copy()
    out = ImageLayout(image_shape=(2, 3, 2), data_format="channels_first",
                      dtype="float64", scale=None).fit_transform(X)
    np.testing.assert_array_equal(out, np.moveaxis(X.reshape(2, 2, 3, 2), -1, 1))
    np.testing.assert_array_equal(X, before)
    pipe = make_pipeline(ImageFlattener(), ImageLayout(image_shape=(2, 6)))
    assert pipe.fit_transform(X.reshape(2, 2, 6)).shape == (2, 2, 6, 1)


@pytest.mark.parametrize("params, match", [
    (dict(data_format="NCHW"), "'data_format' parameter of ImageLayout"),
    (dict(scale=0.0), "'scale' parameter of ImageLayout"),
    (dict(dtype="complex64"), "'dtype' parameter of ImageLayout must be a numeric"),
])
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        ImageLayout(**params).fit(np.zeros((2, 3, 3)))


def test_shape_checked_at_transform():
    layout = ImageLayout().fit(np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="X has 25 features, but ImageLayout is expecting 16"):
        layout.transform(np.zeros((2, 5, 5)))


@pytest.mark.parametrize("how", ["method", "global"])
def test_pandas_output_keeps_the_image_batch(how):
    # scikit-learn's pandas checks fail by design (test_common: n-D output);
    # what must hold is that the setting is accepted and changes nothing.
    import sklearn

    X = np.random.default_rng(0).integers(0, 256, (6, 5, 4), dtype=np.uint8)
    expected = ImageLayout().fit_transform(X)
    if how == "method":
        got = ImageLayout().set_output(transform="pandas").fit_transform(X)
    else:
        with sklearn.config_context(transform_output="pandas"):
            got = ImageLayout().fit(X).transform(X)
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, expected)


def test_image_search_under_global_pandas_output():
    import sklearn
    from sklearn.linear_model import LogisticRegression

    from imgbalance import make_resampling_search

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (40, 6, 6), dtype=np.uint8)
    y = np.r_[[0] * 30, [1] * 10]
    search = make_resampling_search(
        ["none", "random_over"], features="images", cv=2,
        classifier=make_pipeline(ImageFlattener(), LogisticRegression()))
    with sklearn.config_context(transform_output="pandas"):
        search.fit(X, y)
    assert search.predict(X).shape == (40,)


def test_feature_names_follow_the_values():
    X = np.arange(12).reshape(1, 2, 2, 3)
    for data_format in ("channels_last", "channels_first"):
        layout = ImageLayout(data_format=data_format, dtype=None, scale=None).fit(X)
        names = layout.get_feature_names_out()
        values = layout.transform(X).ravel()
        # value v sits at pixel (row, col, channel) = np.unravel_index(v, (2, 2, 3))
        expected = ["pixel_{}_{}_{}".format(*np.unravel_index(v, (2, 2, 3))) for v in values]
        assert names.tolist() == expected


@pytest.mark.parametrize("dtype", ["int64", "uint16"])
def test_auto_scale_flags_0_255_pixels_in_a_wide_integer_dtype(dtype):
    X = np.random.default_rng(0).integers(0, 256, (4, 6, 6)).astype(dtype)
    with pytest.warns(UserWarning, match=f"divides {dtype} images by .* largest value is 255"):
        ImageLayout().fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ImageLayout().fit(X.astype(np.uint8))  # the fix it names
        ImageLayout(scale=1 / 255).fit(X)
        ImageLayout().fit(X.astype(np.uint16) * 256)  # 16-bit pixels that use the range
        ImageLayout().fit(X.astype(np.int16) - 100)  # signed data: not 0-255 pixels


def test_auto_scale_check_does_not_read_a_memory_map(tmp_path):
    X = np.lib.format.open_memmap(tmp_path / "x.npy", mode="w+", dtype=np.int64, shape=(3, 4, 4))
    X[:] = 7
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ImageLayout().fit(X)


def test_balanced_batches_flag_0_255_pixels_in_int64():
    from imgbalance.batches import BalancedBatches

    X = np.random.default_rng(0).integers(0, 256, (6, 4, 4))  # int64
    with pytest.warns(UserWarning, match="BalancedBatches: scale='auto' divides int64"):
        BalancedBatches(X, np.r_[[0] * 4, [1] * 2], dtype="float32")
