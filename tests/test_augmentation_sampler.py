"""AugmentationOverSampler: sampling semantics, provenance, determinism."""

from collections import Counter

import numpy as np
import pytest
from imblearn.ensemble import BalancedBaggingClassifier
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from imgbalance import AugmentationOverSampler, ImageFlattener


@pytest.fixture
def imbalanced(fashion_mnist_subset):
    X, y = fashion_mnist_subset
    counts = {0: 300, 1: 60, 2: 20, 3: 7}
    idx = np.concatenate([np.flatnonzero(y == c)[:n] for c, n in counts.items()])
    return X[idx], y[idx]


STRATEGIES = [
    "auto",
    "minority",
    "not majority",
    "all",
    {1: 100, 2: 250, 3: 40},
    lambda y: {3: 300},
]


@pytest.mark.parametrize("strategy", STRATEGIES, ids=range(len(STRATEGIES)))
def test_class_counts_as_imblearn(imbalanced, strategy):
    X, y = imbalanced
    X_res, y_res = AugmentationOverSampler(
        sampling_strategy=strategy, rotation_range=10, random_state=0
    ).fit_resample(X, y)
    _, y_ref = RandomOverSampler(sampling_strategy=strategy, random_state=0).fit_resample(
        X.reshape(len(X), -1), y
    )
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())
    assert X_res.shape == (len(y_res), 28, 28)


def test_float_strategy_binary(imbalanced):
    X, y = imbalanced
    mask = y < 2
    _, y_res = AugmentationOverSampler(sampling_strategy=0.5, random_state=0).fit_resample(
        X[mask], y[mask]
    )
    n_major = int(np.sum(y == 0))
    assert Counter(y_res.tolist()) == {0: n_major, 1: int(n_major * 0.5)}


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64, np.int16])
def test_originals_first_unchanged_labels_aligned_dtype_kept(imbalanced, dtype):
    X, y = imbalanced
    X = X.astype(dtype)
    X_before, y_before = X.copy(), y.copy()
    sampler = AugmentationOverSampler(
        rotation_range=20, zoom_range=0.2, shear_range=10, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    assert X_res.dtype == dtype
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    sources = sampler.source_indices_
    assert sources.shape == (len(X_res) - len(X),)
    np.testing.assert_array_equal(y_res[len(y) :], y[sources])
    assert not hasattr(sampler, "sample_indices_")


def test_flip_only_provenance(imbalanced):
    """With only horizontal_flip, every new image is its source or its mirror."""
    X, y = imbalanced
    sampler = AugmentationOverSampler(horizontal_flip=True, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new, src = X_res[len(X) :], X[sampler.source_indices_]
    same = np.all(new == src, axis=(1, 2))
    mirrored = np.all(new == src[:, :, ::-1], axis=(1, 2))
    assert np.all(same | mirrored)
    # both outcomes happen (p = 0.5 each, hundreds of draws)
    assert 0.35 < mirrored[~same].size / new.shape[0] < 0.65


def test_vertical_flip_colour_provenance():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(40, 9, 7, 3), dtype=np.uint8)
    y = np.array([0] * 30 + [1] * 10)
    sampler = AugmentationOverSampler(vertical_flip=True, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new, src = X_res[40:], X[sampler.source_indices_]
    assert np.all(np.all(new == src, axis=(1, 2, 3)) | np.all(new == src[:, ::-1], axis=(1, 2, 3)))


def test_no_transform_means_exact_copies(imbalanced):
    X, y = imbalanced
    sampler = AugmentationOverSampler(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[len(X) :], X[sampler.source_indices_])


def test_sources_drawn_from_the_same_class(imbalanced):
    X, y = imbalanced
    sampler = AugmentationOverSampler(sampling_strategy="all", rotation_range=5, random_state=3)
    _, y_res = sampler.fit_resample(X, y)
    assert np.all(y[sampler.source_indices_] == y_res[len(y) :])
    # every class that needed images got them from several originals
    for klass in (1, 2, 3):
        assert np.unique(sampler.source_indices_[y_res[len(y) :] == klass]).size > 1


def test_brightness_scales_within_range():
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 1.0, size=(30, 8, 8))
    y = np.array([0] * 25 + [1] * 5)
    sampler = AugmentationOverSampler(brightness_range=(0.5, 1.5), random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    ratio = X_res[30:] / X[sampler.source_indices_]
    # one factor per image, within the range
    np.testing.assert_allclose(ratio, ratio[:, :1, :1] * np.ones_like(ratio), rtol=1e-12)
    assert np.all((ratio >= 0.5) & (ratio <= 1.5))


def test_brightness_on_uint8_is_clipped():
    X = np.full((10, 4, 4), 200, dtype=np.uint8)
    y = np.array([0] * 8 + [1] * 2)
    X_res, _ = AugmentationOverSampler(
        brightness_range=(1.5, 2.0), random_state=0
    ).fit_resample(X, y)
    assert X_res.dtype == np.uint8
    assert np.all(X_res[10:] == 255)


def test_same_output_for_any_n_jobs(imbalanced):
    X, y = imbalanced
    X = np.concatenate([X] * 3)  # enough new images for several chunks
    y = np.concatenate([y] * 3)
    params = dict(rotation_range=15, width_shift_range=0.1, zoom_range=0.1,
                  horizontal_flip=True, brightness_range=(0.8, 1.2), random_state=42)
    X1, y1 = AugmentationOverSampler(**params, n_jobs=1).fit_resample(X, y)
    X2, y2 = AugmentationOverSampler(**params, n_jobs=2).fit_resample(X, y)
    assert len(X1) - len(X) > 1000
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = AugmentationOverSampler(**{**params, "random_state": 43}).fit_resample(X, y)
    assert not np.array_equal(X1, X3)


def test_flattened_input_returns_flattened(imbalanced):
    X, y = imbalanced
    params = dict(rotation_range=15, random_state=0)
    X_img, y_img = AugmentationOverSampler(**params).fit_resample(X, y)
    X_flat, y_flat = AugmentationOverSampler(**params, image_shape=(28, 28)).fit_resample(
        X.reshape(len(X), -1), y
    )
    assert X_flat.ndim == 2
    np.testing.assert_array_equal(X_flat, X_img.reshape(len(X_img), -1))
    np.testing.assert_array_equal(y_flat, y_img)


def test_class_with_one_sample():
    X = np.random.default_rng(0).random((11, 5, 5))
    y = np.array([0] * 10 + [1])
    sampler = AugmentationOverSampler(rotation_range=30, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 10, 1: 10}
    assert np.all(sampler.source_indices_ == 10)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(rotation_range=-1), "rotation_range"),
        (dict(rotation_range=400), "rotation_range"),
        (dict(width_shift_range=1.5), "width_shift_range"),
        (dict(shear_range=90), "shear_range"),
        (dict(zoom_range=-0.1), "zoom_range"),
        (dict(zoom_range=1.0), "zoom_range"),
        (dict(zoom_range=(0.0, 1.2)), "zoom_range"),
        (dict(zoom_range=(1.2, 0.8)), "zoom_range"),
        (dict(zoom_range=(0.8, 1.2, 1.0)), "zoom_range"),
        (dict(brightness_range=(-0.5, 1.0)), "brightness_range"),
        (dict(brightness_range=(1.0,)), "brightness_range"),
        (dict(fill_mode="mirror"), "fill_mode"),
        (dict(interpolation_order=3), "interpolation_order"),
        (dict(cval="black"), "cval"),
    ],
)
def test_invalid_parameters(params, match):
    X = np.zeros((6, 5, 5))
    y = np.array([0] * 4 + [1] * 2)
    with pytest.raises((ValueError, InvalidParameterError), match=match):
        AugmentationOverSampler(**params).fit_resample(X, y)


def test_acts_in_fit_only_inside_pipeline(imbalanced):
    X, y = imbalanced
    pipe = Pipeline(
        [
            ("augment", AugmentationOverSampler(rotation_range=10, random_state=0)),
            ("flatten", ImageFlattener()),
            ("clf", LinearSVC()),
        ]
    ).fit(X, y)
    # predict sees the images untouched: equal to the classifier on flattened X
    np.testing.assert_array_equal(pipe.predict(X), pipe[-1].predict(X.reshape(len(X), -1)))


def test_inside_balanced_bagging_on_flattened_images(imbalanced):
    X, y = imbalanced
    X = X.reshape(len(X), -1).astype(np.float64) / 255
    clf = BalancedBaggingClassifier(
        estimator=LinearSVC(),
        sampler=AugmentationOverSampler(
            sampling_strategy="minority", image_shape=(28, 28), rotation_range=10, random_state=0
        ),
        n_estimators=3,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.5
    # BalancedBaggingClassifier overwrites the sampling strategy of its sampler
    # (documented in AugmentationOverSampler's Notes)
    fitted_sampler = clf.estimators_[0].steps[0][1]
    assert isinstance(fitted_sampler, AugmentationOverSampler)
    assert fitted_sampler.sampling_strategy == "auto"


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_apply_augmentation_sources_and_out(dtype):
    # the kernel entry the sampler uses: warp chosen originals, scale their
    # brightness, write straight into the output, leave the input alone
    from imgbalance.augmentation._augment import (
        apply_augmentation, draw_augmentation, scale_brightness,
    )
    from imgbalance.augmentation import warp_affine

    rng = np.random.default_rng(5)
    X = (rng.random((6, 11, 9, 3)) * 255).astype(dtype)
    before = X.copy()
    sources = np.array([5, 0, 0, 3, 5, 2, 1])
    mats, factors = draw_augmentation(rng, sources.size, (11, 9), rotation_range=20,
                                      zoom_range=(0.9, 1.1), brightness_range=(0.5, 1.5))
    out = np.zeros((sources.size, 11, 9, 3), dtype=dtype)
    res = apply_augmentation(X, mats, factors, sources=sources, out=out)
    assert res is out
    expected = scale_brightness(warp_affine(X[sources], mats), factors)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(apply_augmentation(X, mats, factors, sources=sources), expected)
    np.testing.assert_array_equal(X, before)
    # in place on its own input gives the same as out of place
    copy = expected.copy()
    assert scale_brightness(copy, factors, out=copy) is copy
    np.testing.assert_array_equal(copy, scale_brightness(expected, factors))


def test_warns_when_flattened_rows_are_taken_as_one_row_images():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data[:200], (digits.target[:200] == 0).astype(int)
    with pytest.warns(UserWarning, match=r"1 x 64 image.*image_shape"):
        AugmentationOverSampler(rotation_range=30, random_state=0).fit_resample(X, y)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # with image_shape, or with transforms that act within rows: no warning
        AugmentationOverSampler(rotation_range=30, image_shape=(8, 8),
                                random_state=0).fit_resample(X, y)
        AugmentationOverSampler(horizontal_flip=True, width_shift_range=0.1,
                                random_state=0).fit_resample(X, y)


def test_brightness_on_64_bit_images_clips_without_wrapping():
    from imgbalance.augmentation._augment import scale_brightness

    info = np.iinfo(np.int64)
    X = np.array([[[info.max, info.min]], [[info.max, 0]]], dtype=np.int64)
    out = scale_brightness(X, [1.0, 2.0])
    assert out[0, 0, 0] > 0 and out[0, 0, 1] < 0 and out[1, 0, 0] > 0
    assert out[1, 0, 1] == 0
