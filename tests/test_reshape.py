import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

from imgbalance import HOGTransformer, ImageFlattener, ImageReshaper


@pytest.mark.parametrize("shape", [(5, 4, 3), (5, 4, 3, 2)])
def test_flatten_then_reshape_is_identity(shape):
    X = np.random.default_rng(0).integers(0, 255, size=shape).astype(np.uint8)
    flat = ImageFlattener().fit_transform(X)
    assert flat.shape == (5, np.prod(shape[1:]))
    assert flat.dtype == np.uint8
    np.testing.assert_array_equal(flat, X.reshape(5, -1))
    back = ImageReshaper(image_shape=shape[1:]).fit_transform(flat)
    np.testing.assert_array_equal(back, X)
    np.testing.assert_array_equal(ImageFlattener().fit(X).inverse_transform(flat), X)
    np.testing.assert_array_equal(
        ImageReshaper(image_shape=shape[1:]).fit(flat).inverse_transform(back), flat
    )


def test_feature_names_follow_pixel_layout():
    X = np.zeros((2, 2, 3, 2))
    names = ImageFlattener().fit(X).get_feature_names_out()
    assert names[:4].tolist() == ["pixel_0_0_0", "pixel_0_0_1", "pixel_0_1_0", "pixel_0_1_1"]
    assert names[-1] == "pixel_1_2_1"
    assert len(names) == 12


def test_flattener_dataframe_output_and_input():
    X = np.arange(2 * 2 * 3).reshape(2, 2, 3)
    out = ImageFlattener().set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist()[:2] == ["pixel_0_0", "pixel_0_1"]
    df = pd.DataFrame(X.reshape(2, -1), columns=[f"c{i}" for i in range(6)])
    flattener = ImageFlattener(image_shape=(2, 3)).fit(df)
    assert flattener.get_feature_names_out().tolist() == df.columns.tolist()
    np.testing.assert_array_equal(flattener.inverse_transform(df), X)


def test_pipeline_set_output_pandas_through_reshaper():
    """Pipeline.set_output works: image steps pass arrays, features come out as a frame."""
    X = np.random.default_rng(0).random((6, 8 * 8))
    pipe = make_pipeline(
        ImageReshaper(image_shape=(8, 8)),
        HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(1, 1)),
    ).set_output(transform="pandas")
    out = pipe.fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert out.shape == (6, 4 * 9)
    assert out.columns[0] == "hog_block0_0_cell0_0_orient0"
    images = ImageReshaper(image_shape=(8, 8)).set_output(transform="pandas").fit_transform(X)
    assert isinstance(images, np.ndarray) and images.shape == (6, 8, 8)


def test_reshaper_rejects_images_of_another_shape():
    reshaper = ImageReshaper(image_shape=(4, 4)).fit(np.zeros((2, 16)))
    with pytest.raises(ValueError, match="X has 15 features, but ImageReshaper is expecting 16"):
        reshaper.transform(np.zeros((2, 15)))


def test_reshaper_set_output_rejects_unknown_containers():
    est = ImageReshaper()
    with pytest.raises(ValueError, match="transform must be one of"):
        est.set_output(transform="bogus")
    assert est.set_output(transform="pandas") is est
