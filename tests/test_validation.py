"""The image input contract, exercised through every image estimator."""

import re
import warnings

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from sklearn.base import clone

from imgbalance import (
    AugmentationOverSampler,
    HOGTransformer,
    ImageFlattener,
    ImageReshaper,
    ImageResampler,
)

HOG = HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(1, 1))
ESTIMATORS = [
    ImageFlattener(),
    ImageReshaper(),
    HOG,
    AugmentationOverSampler(random_state=0),
    ImageResampler(SMOTE(k_neighbors=2, random_state=0)),
]
IDS = [type(e).__name__ for e in ESTIMATORS]


def _fit(est, X, y=None):
    if y is None:
        y = np.arange(len(X)) % 2
    if hasattr(est, "fit_resample"):
        return est.fit_resample(X, y)
    return est.fit(X, y)


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    return rng.random((12, 6, 8))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_image_shape_and_n_features_in(est, images):
    est = clone(est)
    _fit(est, images)
    assert est.image_shape_ == (6, 8)
    assert est.n_features_in_ == 48

    colour = np.repeat(images[..., None], 3, axis=-1)
    _fit(est, colour)
    assert est.image_shape_ == (6, 8, 3)
    assert est.n_features_in_ == 144


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_flattened_input_with_image_shape(est, images):
    est = clone(est).set_params(image_shape=(6, 8))
    _fit(est, images.reshape(12, -1))
    assert est.image_shape_ == (6, 8)
    assert est.n_features_in_ == 48


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_flattened_input_without_image_shape_is_one_row_images(est, images):
    est = clone(est)
    if isinstance(est, HOGTransformer):
        est.set_params(pixels_per_cell=(1, 4))
    _fit(est, images.reshape(12, -1))
    assert est.image_shape_ == (1, 48)
    assert est.n_features_in_ == 48


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_image_shape_inconsistent_with_data(est, images):
    est = clone(est).set_params(image_shape=(7, 7))
    with pytest.raises(ValueError, match=r"image_shape=\(7, 7\) means 49 features .* X has 48"):
        _fit(est, images.reshape(12, -1))
    with pytest.raises(ValueError, match=r"image_shape=\(7, 7\) does not match .* \(6, 8\)"):
        _fit(est, images)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
@pytest.mark.parametrize(
    "bad", [(6,), (6, 8, 3, 1), (0, 8), (6, -1), (6.0, 8), "6x8", 48]
)
def test_invalid_image_shape_parameter(est, images, bad):
    est = clone(est).set_params(image_shape=bad)
    with pytest.raises((ValueError, TypeError), match="image_shape"):
        _fit(est, images.reshape(12, -1))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
@pytest.mark.parametrize("shape", [(12,), (12, 6, 8, 3, 1)])
def test_wrong_ndim(est, shape):
    X = np.zeros(shape)
    with pytest.raises(ValueError, match=re.escape(f"got {len(shape)}D array")):
        _fit(clone(est), X)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_empty_input(est):
    with pytest.raises(ValueError, match="0 sample"):
        _fit(clone(est), np.zeros((0, 6, 8)), np.zeros(0))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_empty_image_dimension(est):
    with pytest.raises(ValueError, match="empty image shape"):
        _fit(clone(est), np.zeros((4, 0, 8)))


@pytest.mark.parametrize("est", ESTIMATORS[2:], ids=IDS[2:])
@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite(est, images, value):
    X = images.copy()
    X[3, 2, 1] = value
    with pytest.raises(ValueError, match="Input X contains (NaN|infinity)"):
        _fit(clone(est), X)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_non_numeric(est, images):
    X = images.astype(str)
    with pytest.raises((ValueError, TypeError), match="dtype|string|numeric|convert"):
        _fit(clone(est), X)
    with pytest.raises(ValueError, match="Complex data not supported"):
        _fit(clone(est), images.astype(complex))


@pytest.mark.parametrize("est", ESTIMATORS[2:4], ids=IDS[2:4])
def test_bool_images_are_refused_by_numeric_kernels(est, images):
    with pytest.raises(TypeError, match="dtype bool"):
        _fit(clone(est), images > 0.5)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_y_of_another_length(est, images):
    if not hasattr(est, "fit_resample"):
        pytest.skip("transformers ignore y")
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[12, 11\]"):
        clone(est).fit_resample(images, np.arange(11) % 2)


@pytest.mark.parametrize("est", ESTIMATORS[:3], ids=IDS[:3])
def test_transform_with_other_shape(est, images):
    est = clone(est).fit(images)
    msg = "X has 49 features, but {} is expecting 48 features as input"
    with pytest.raises(ValueError, match=msg.format(type(est).__name__)):
        est.transform(np.zeros((3, 7, 7)))
    with pytest.raises(ValueError, match=msg.format(type(est).__name__)):
        est.transform(np.zeros((3, 49)))
    with pytest.raises(ValueError, match=r"images of shape \(8, 6\), but .* \(6, 8\)"):
        est.transform(np.zeros((3, 8, 6)))
    # the same images, flattened, are accepted
    est.transform(images.reshape(12, -1))
    # one image instead of a batch of one: the message says how to pass it
    with pytest.raises(ValueError, match=r"got X of shape \(6, 8\)\)\. A single image\? "
                                         r"Pass X\[np\.newaxis\]"):
        est.transform(images[0])


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_inputs_are_not_modified(est, images):
    X = np.ascontiguousarray(images * 10).astype(np.float32)
    X_before = X.copy()
    y = np.r_[np.zeros(9), np.ones(3)]
    y_before = y.copy()
    X.flags.writeable = False
    est = clone(est)
    _fit(est, X, y)
    if hasattr(est, "transform"):
        est.transform(X)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


# ------------------------------------------------------- channels-first input
# Issue 15: 4-D input whose second axis is 1, 3 or 4 and whose last axis is
# larger looks channels-first; every image estimator warns, names the fix and
# reads the array as given (channels-last), never transposing it.

from imgbalance.exceptions import ChannelsFirstWarning  # noqa: E402

# every estimator fits 8 x 8 images: HOG with 2 x 2 cells fits (3, 8, 8) too
FIRST = np.random.default_rng(1).random((12, 3, 8, 8))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_channels_first_input_warns_and_is_not_transposed(est):
    est = clone(est)
    with pytest.warns(ChannelsFirstWarning, match=re.escape("X.transpose(0, 2, 3, 1)")) as rec:
        _fit(est, FIRST)
    assert [w.filename for w in rec if w.category is ChannelsFirstWarning] == [__file__]
    assert est.image_shape_ == (3, 8, 8)  # read as given, not guessed
    # the fix it names gives channels-last images, without a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", ChannelsFirstWarning)
        _fit(est, FIRST.transpose(0, 2, 3, 1))
    assert est.image_shape_ == (8, 8, 3)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
@pytest.mark.parametrize(
    "shape", [(12, 8, 8, 3), (12, 8, 8, 1), (12, 3, 8, 2), (12, 5, 8, 8), (12, 3, 8)]
)
def test_channels_last_and_other_shapes_do_not_warn(est, shape):
    X = np.random.default_rng(2).random(shape)
    if isinstance(est, HOGTransformer):
        est = clone(est).set_params(pixels_per_cell=(1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ChannelsFirstWarning)
        _fit(clone(est), X)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_channels_first_image_shape_warns_with_the_row_fix(est):
    flat = FIRST.reshape(12, -1)
    with pytest.warns(ChannelsFirstWarning, match=r"image_shape=\(3, 8, 8\) looks channels-first"):
        _fit(clone(est).set_params(image_shape=(3, 8, 8)), flat)
    # the rows it names are the channels-last images, flattened
    fixed = flat.reshape(-1, 3, 8, 8).transpose(0, 2, 3, 1).reshape(len(flat), -1)
    np.testing.assert_array_equal(fixed, FIRST.transpose(0, 2, 3, 1).reshape(12, -1))


def test_channels_first_is_flagged_once_through_image_resampler():
    inner = AugmentationOverSampler(rotation_range=5, random_state=0)
    with pytest.warns(ChannelsFirstWarning) as rec:
        ImageResampler(inner).fit_resample(FIRST, np.arange(12) % 3 == 0)
    assert [str(w.message).split(":")[0] for w in rec] == ["ImageResampler"]


def test_channels_first_warning_can_be_filtered():
    assert issubclass(ChannelsFirstWarning, UserWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=ChannelsFirstWarning)
        ImageFlattener().fit(FIRST)
    # at transform the fitted shape is checked, without a second warning
    flattener = ImageFlattener()
    with pytest.warns(ChannelsFirstWarning):
        flattener.fit(FIRST)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ChannelsFirstWarning)
        flattener.transform(FIRST)


# ---------------------------------------------- what the estimators share
from imgbalance._image_input import IMAGE_SHAPE_CONSTRAINT, ImageInputMixin  # noqa: E402


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_shared_image_input_rules(est):
    cls = type(est)
    assert issubclass(cls, ImageInputMixin)
    constraints = cls._parameter_constraints["image_shape"]
    assert constraints is IMAGE_SHAPE_CONSTRAINT["image_shape"]
    tags = est.__sklearn_tags__()
    assert tags.input_tags.two_d_array and tags.input_tags.three_d_array
    doc = cls.__doc__
    assert "{image_shape}" not in doc and "{image_attributes}" not in doc
    assert "image_shape : tuple of int or None, default=None" in doc
    assert "ChannelsFirstWarning" in doc and "n_features_in_ : int" in doc
