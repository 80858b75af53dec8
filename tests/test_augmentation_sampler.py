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
    same = np.all(new == src, axis=(1, 2, 3))
    flipped = np.all(new == src[:, ::-1], axis=(1, 2, 3))
    assert np.all(same | flipped)
    # both outcomes happen (20 draws at p = 0.5; random pixels are never symmetric)
    assert same.any() and flipped.any()


def test_no_transform_means_exact_copies(imbalanced):
    X, y = imbalanced
    sampler = AugmentationOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[len(X) :], X[sampler.source_indices_])
    # found by content, not through source_indices_: every new image is a copy
    # of an original of the class it is labelled with
    originals = {}
    for i, image in enumerate(X):
        originals.setdefault(image.tobytes(), set()).add(int(y[i]))
    for image, label in zip(X_res[len(X) :], y_res[len(X) :]):
        assert label in originals[image.tobytes()]


def test_sources_drawn_from_the_same_class(imbalanced):
    X, y = imbalanced
    sampler = AugmentationOverSampler(sampling_strategy="all", rotation_range=5, random_state=3)
    _, y_res = sampler.fit_resample(X, y)
    # (that each new image comes from an original of its own class is checked
    # by content in test_no_transform_means_exact_copies)
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
        # Keras reads 1 and more as pixels: refused rather than read otherwise
        (dict(width_shift_range=1), r"width_shift_range.*\[0.0, 1.0\)"),
        (dict(height_shift_range=1.0), r"height_shift_range.*\[0.0, 1.0\)"),
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
    # a flip or shift "within the row" of a flattened image scrambles it too
    for params in ({"vertical_flip": True}, {"horizontal_flip": True},
                   {"width_shift_range": 0.1}, {"zoom_range": 0.1}):
        with pytest.warns(UserWarning, match=r"1 x 64 image.*image_shape=\(1, 64\)") as rec:
            AugmentationOverSampler(random_state=0, **params).fit_resample(X, y)
        assert rec[0].filename == __file__  # points at the caller
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # with image_shape (one-row images said so), or brightness only: no warning
        AugmentationOverSampler(rotation_range=30, image_shape=(8, 8),
                                random_state=0).fit_resample(X, y)
        AugmentationOverSampler(horizontal_flip=True, width_shift_range=0.1,
                                image_shape=(1, 64), random_state=0).fit_resample(X, y)
        AugmentationOverSampler(brightness_range=(0.8, 1.2),
                                random_state=0).fit_resample(X, y)


def test_brightness_on_64_bit_images_clips_without_wrapping():
    from imgbalance.augmentation._augment import scale_brightness

    info = np.iinfo(np.int64)
    X = np.array([[[info.max, info.min]], [[info.max, 0]]], dtype=np.int64)
    out = scale_brightness(X, [1.0, 2.0])
    assert out[0, 0, 0] > 0 and out[0, 0, 1] < 0 and out[1, 0, 0] > 0
    assert out[1, 0, 1] == 0


def _minority(shape, n_major=30, n_minor=5, seed=0):
    """Random float images in [0, 1): a majority class and a minority class."""
    X = np.random.default_rng(seed).random((n_major + n_minor, *shape))
    y = np.array([0] * n_major + [1] * n_minor)
    return X, y


def test_interpolation_order():
    # order 0 copies pixel values of the source; order 1 blends them
    X, y = _minority((9, 9))
    kw = dict(rotation_range=45, random_state=0)
    for order in (0, 1):
        sampler = AugmentationOverSampler(interpolation_order=order, **kw)
        X_res, _ = sampler.fit_resample(X, y)
        new, src = X_res[len(X) :], X[sampler.source_indices_]
        copied = [np.isin(a, b).all() for a, b in zip(new, src)]
        assert all(copied) if order == 0 else not any(copied)


def test_fill_mode_and_cval():
    # shifts by up to half the width uncover pixels that only the fill provides
    X, y = _minority((8, 8))
    kw = dict(width_shift_range=0.5, random_state=0)
    outputs = {}
    for mode in ("constant", "nearest", "reflect", "wrap"):
        X_res, _ = AugmentationOverSampler(fill_mode=mode, cval=77.0, **kw).fit_resample(X, y)
        outputs[mode] = X_res[len(X) :]
        assert (outputs[mode] == 77.0).any() == (mode == "constant")
    modes = list(outputs)
    for i, a in enumerate(modes):
        for b in modes[i + 1 :]:
            assert not np.array_equal(outputs[a], outputs[b]), (a, b)


@pytest.mark.parametrize("axis", ["width", "height"])
def test_shift_moves_along_its_own_axis(axis):
    # non-square images, constant fill: a width shift uncovers whole columns
    # (never a whole row), a height shift whole rows (never a whole column)
    X, y = _minority((12, 20), n_minor=10)
    sampler = AugmentationOverSampler(
        fill_mode="constant", cval=-1.0, random_state=0, **{f"{axis}_shift_range": 0.4}
    )
    X_res, _ = sampler.fit_resample(X, y)
    filled = X_res[len(X) :] == -1.0
    lines, across = (1, 2) if axis == "width" else (2, 1)
    # the fill mask is constant along each uncovered line ...
    np.testing.assert_array_equal(filled.all(axis=lines), filled.any(axis=lines))
    # ... and some lines are uncovered, but never a whole line the other way
    assert filled.any()
    assert not filled.all(axis=across).any()


def test_scalar_zoom_range_is_symmetric():
    X, y = _minority((10, 10))
    a, _ = AugmentationOverSampler(zoom_range=0.2, random_state=0).fit_resample(X, y)
    b, _ = AugmentationOverSampler(zoom_range=(0.8, 1.2), random_state=0).fit_resample(X, y)
    c, _ = AugmentationOverSampler(zoom_range=(1.0, 1.2), random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_random_state_drives_the_transforms():
    # one minority image: every source is the same, so only the random
    # transforms can make two seeds differ
    X, y = _minority((10, 10), n_minor=1)
    kw = dict(rotation_range=30, zoom_range=0.2)
    a, _ = AugmentationOverSampler(random_state=0, **kw).fit_resample(X, y)
    b, _ = AugmentationOverSampler(random_state=0, **kw).fit_resample(X, y)
    c, _ = AugmentationOverSampler(random_state=1, **kw).fit_resample(X, y)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a[len(X) :], c[len(X) :])
    rng = np.random.RandomState(0)
    d, _ = AugmentationOverSampler(random_state=rng, **kw).fit_resample(X, y)
    np.testing.assert_array_equal(a, d)


def test_every_original_of_a_class_can_be_a_source(imbalanced):
    # class 3 has 7 images and gets about 290 new ones, drawn uniformly
    X, y = imbalanced
    sampler = AugmentationOverSampler(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    used = sampler.source_indices_[y_res[len(y) :] == 3]
    assert set(used.tolist()) == set(np.flatnonzero(y == 3).tolist())


def test_brightness_rounds_integer_images():
    from imgbalance.augmentation._augment import scale_brightness

    X = np.array([[[7, 10]], [[7, 200]]], dtype=np.uint8)
    # 8.75 -> 9 (not floored to 8), 12.5 -> 12 (ties to even, as np.rint),
    # 6.3 -> 6 (not ceiled to 7), 180.0 -> 180
    np.testing.assert_array_equal(
        scale_brightness(X, [1.25, 0.9]), np.array([[[9, 12]], [[6, 180]]], dtype=np.uint8)
    )
