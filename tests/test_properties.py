"""Property-based tests of the invariants (hypothesis).

Over-samplers keep every original unchanged and labels aligned, give
exactly the class counts ``sampling_strategy`` asks for (imbalanced-learn's
``check_sampling_strategy`` is the reference), keep the dtype and never
mutate their input; HOG equals scikit-image on random shapes, dtypes and
parameters; flatten then reshape is the identity; outputs for a given
``random_state`` do not depend on ``n_jobs`` or chunk size; channels-first
looking input warns exactly when the rule says so.
"""

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from imblearn.utils import check_sampling_strategy
from skimage.feature import hog

from imgbalance import AugmentationOverSampler, HOGTransformer, ImageFlattener, ImageReshaper

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DTYPES = [np.uint8, np.int16, np.float32, np.float64]


@st.composite
def image_batches(draw, min_side=3, max_side=14, min_n=1, max_n=12, colour=None):
    n = draw(st.integers(min_n, max_n))
    h = draw(st.integers(min_side, max_side))
    w = draw(st.integers(min_side, max_side))
    channels = draw(st.sampled_from([None, 1, 3])) if colour is None else (3 if colour else None)
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = (n, h, w) if channels is None else (n, h, w, channels)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        X = rng.integers(max(info.min, -1000), min(info.max, 1000), size=shape, endpoint=True).astype(dtype)
    else:
        X = (rng.random(shape) * 255).astype(dtype)
    return X


@st.composite
def labelled_batches(draw):
    counts = draw(st.lists(st.integers(1, 15), min_size=2, max_size=4))
    X = draw(image_batches(min_n=sum(counts), max_n=sum(counts)))
    y = np.repeat(np.arange(len(counts)), counts)
    order = np.random.default_rng(len(X)).permutation(len(y))
    return X, y[order]


@st.composite
def sampling_strategies(draw, y):
    counts = Counter(y.tolist())
    kind = draw(st.sampled_from(["auto", "minority", "not minority", "not majority", "all", "dict"]))
    if kind != "dict":
        return kind
    classes = draw(st.lists(st.sampled_from(sorted(counts)), min_size=1, unique=True))
    return {c: counts[c] + draw(st.integers(0, 20)) for c in classes}


augmentation_params = st.fixed_dictionaries(
    {
        "rotation_range": st.floats(0, 180),
        "width_shift_range": st.floats(0, 1, exclude_max=True),
        "height_shift_range": st.floats(0, 1, exclude_max=True),
        "shear_range": st.floats(0, 89),
        "zoom_range": st.tuples(st.floats(0.2, 1.0), st.floats(1.0, 3.0)),
        "horizontal_flip": st.booleans(),
        "vertical_flip": st.booleans(),
        "fill_mode": st.sampled_from(["constant", "nearest", "reflect", "wrap"]),
        "interpolation_order": st.sampled_from([0, 1]),
        "brightness_range": st.sampled_from([None, (0.5, 1.5)]),
    }
)


@SETTINGS
@given(data=st.data(), batch=labelled_batches(), params=augmentation_params, seed=st.integers(0, 1000))
def test_oversampler_invariants(data, batch, params, seed):
    X, y = batch
    strategy = data.draw(sampling_strategies(y))
    X_before, y_before = X.copy(), y.copy()
    sampler = AugmentationOverSampler(sampling_strategy=strategy, random_state=seed, **params)
    X_res, y_res = sampler.fit_resample(X, y)

    np.testing.assert_array_equal(X, X_before)  # input untouched
    np.testing.assert_array_equal(y, y_before)
    assert X_res.dtype == X.dtype and X_res.shape[1:] == X.shape[1:]
    np.testing.assert_array_equal(X_res[: len(X)], X)  # originals first, unchanged
    np.testing.assert_array_equal(y_res[: len(y)], y)
    # labels aligned with the recorded sources
    np.testing.assert_array_equal(y_res[len(y):], y[sampler.source_indices_])
    # exactly the counts imbalanced-learn computes for this strategy
    expected = Counter(y.tolist())
    for klass, n_new in check_sampling_strategy(strategy, y, "over-sampling").items():
        expected[klass] += n_new
    assert Counter(y_res.tolist()) == expected


@st.composite
def hog_cases(draw):
    X = draw(image_batches(min_side=2, max_side=20, max_n=3))
    ppc = (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    cpb = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    assume(X.shape[1] // ppc[0] >= cpb[0] and X.shape[2] // ppc[1] >= cpb[1])
    params = dict(
        orientations=draw(st.integers(1, 12)),
        pixels_per_cell=ppc,
        cells_per_block=cpb,
        block_norm=draw(st.sampled_from(["L1", "L1-sqrt", "L2", "L2-Hys"])),
        transform_sqrt=draw(st.booleans()),
    )
    if params["transform_sqrt"]:
        X = np.abs(X)
    return X, params


@SETTINGS
@given(case=hog_cases())
def test_hog_equals_skimage(case):
    X, params = case
    out = HOGTransformer(**params).fit_transform(X)
    channel_axis = -1 if X.ndim == 4 else None
    for i, image in enumerate(X):
        expected = hog(image, channel_axis=channel_axis, feature_vector=True, **params)
        assert out[i].dtype == expected.dtype
        np.testing.assert_allclose(out[i], expected, rtol=0, atol=1e-12)


# one-row colour images, (n, 1, w, 3) with w > 1, are ambiguous with
# channels-first grayscale and get a ChannelsFirstWarning by design
@pytest.mark.filterwarnings("ignore::imgbalance.exceptions.ChannelsFirstWarning")
@SETTINGS
@given(X=image_batches(min_side=1))
def test_flatten_then_reshape_is_identity(X):
    flat = ImageFlattener().fit_transform(X)
    assert flat.shape == (len(X), int(np.prod(X.shape[1:])))
    back = ImageReshaper(image_shape=X.shape[1:]).fit_transform(flat)
    assert back.dtype == X.dtype
    np.testing.assert_array_equal(back, X)


@settings(max_examples=8, deadline=None)
@given(batch=labelled_batches(), params=augmentation_params, seed=st.integers(0, 1000),
       chunk_pixels=st.integers(1, 2000))
def test_augmentation_independent_of_chunking_and_n_jobs(batch, params, seed, chunk_pixels):
    X, y = batch
    reference = AugmentationOverSampler(sampling_strategy="all", random_state=seed, **params).fit_resample(X, y)
    sampler = AugmentationOverSampler(sampling_strategy="all", random_state=seed, n_jobs=2, **params)
    sampler._chunk_pixels = chunk_pixels  # instance attribute: smaller tasks
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, reference[0])
    np.testing.assert_array_equal(y_res, reference[1])


@settings(max_examples=8, deadline=None)
@given(X=image_batches(min_side=8, max_n=40), chunk_size=st.integers(1, 17))
def test_hog_independent_of_chunking_and_n_jobs(X, chunk_size):
    params = dict(pixels_per_cell=(4, 4), cells_per_block=(2, 2))
    reference = HOGTransformer(**params).fit_transform(X)
    out = HOGTransformer(**params, chunk_size=chunk_size, n_jobs=2).fit_transform(X)
    np.testing.assert_array_equal(out, reference)


@SETTINGS
@given(
    shape=st.tuples(st.integers(1, 6), st.integers(1, 9), st.integers(1, 9)),
    flattened=st.booleans(),
)
def test_channels_first_warning_iff_the_rule_holds(shape, flattened):
    # warns exactly when the second axis is 1, 3 or 4 and the last is larger;
    # never transposes: image_shape_ is the layout as given
    import warnings

    from imgbalance.exceptions import ChannelsFirstWarning

    X = np.zeros((2, *shape), dtype=np.uint8)
    flattener = ImageFlattener(image_shape=shape if flattened else None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flattener.fit(X.reshape(2, -1) if flattened else X)
    warned = any(w.category is ChannelsFirstWarning for w in caught)
    assert warned == (shape[0] in (1, 3, 4) and shape[2] > shape[0])
    assert flattener.image_shape_ == shape
