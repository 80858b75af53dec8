"""ImageResampler: stock imbalanced-learn samplers on image arrays."""

import numpy as np
import pytest
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from sklearn.model_selection import GridSearchCV
from sklearn.svm import LinearSVC

from imgbalance import HOGTransformer, ImageResampler


@pytest.fixture
def imbalanced_images():
    rng = np.random.default_rng(0)
    X = rng.random((60, 6, 5, 3)).astype(np.float32)
    y = np.array([0] * 45 + [1] * 10 + [2] * 5)
    return X, y


@pytest.mark.parametrize(
    "sampler",
    [
        SMOTE(k_neighbors=3, random_state=0),
        ADASYN(n_neighbors=3, random_state=0),
        RandomUnderSampler(random_state=0),
        RandomOverSampler(random_state=0),
        TomekLinks(),
    ],
    ids=lambda s: type(s).__name__,
)
def test_matches_inner_sampler_on_flattened_images(imbalanced_images, sampler):
    X, y = imbalanced_images
    X_res, y_res = ImageResampler(sampler).fit_resample(X, y)
    X_ref, y_ref = sampler.fit_resample(X.reshape(60, -1), y)
    assert X_res.shape == (len(X_ref), 6, 5, 3)
    assert X_res.dtype == X.dtype
    np.testing.assert_array_equal(X_res.reshape(len(X_ref), -1), X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


def test_flattened_input_stays_flattened(imbalanced_images):
    X, y = imbalanced_images
    flat = X.reshape(60, -1)
    X_res, _ = ImageResampler(RandomOverSampler(random_state=0), image_shape=(6, 5, 3)).fit_resample(flat, y)
    assert X_res.ndim == 2 and X_res.shape[1] == flat.shape[1]


def test_sample_indices_only_when_inner_sampler_has_them(imbalanced_images):
    X, y = imbalanced_images
    under = ImageResampler(RandomUnderSampler(random_state=0)).fit(X, y)
    resampler = ImageResampler(RandomUnderSampler(random_state=0))
    X_res, _ = resampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[resampler.sample_indices_])
    assert under.__sklearn_tags__().sampler_tags.sample_indices
    smote = ImageResampler(SMOTE(k_neighbors=3))
    smote.fit_resample(X, y)
    assert not hasattr(smote, "sample_indices_")
    assert not smote.__sklearn_tags__().sampler_tags.sample_indices


def test_inner_sampler_is_cloned_and_searchable(imbalanced_images):
    X, _ = imbalanced_images
    y = np.array([0] * 40 + [1] * 12 + [2] * 8)
    inner = SMOTE(k_neighbors=3, random_state=0)
    pipe = Pipeline(
        [
            ("resample", ImageResampler(inner)),
            ("hog", HOGTransformer(pixels_per_cell=(3, 3), cells_per_block=(1, 1))),
            ("clf", LinearSVC()),
        ]
    )
    search = GridSearchCV(
        pipe, {"resample__sampler__k_neighbors": [1, 3]}, cv=2, error_score="raise"
    ).fit(X, y)
    assert search.best_params_["resample__sampler__k_neighbors"] in (1, 3)
    assert not hasattr(inner, "sample_indices_") and not hasattr(inner, "sampling_strategy_")


def test_inner_errors_stay_readable(imbalanced_images):
    X, y = imbalanced_images
    with pytest.raises(ValueError, match="n_neighbors") as info:
        ImageResampler(SMOTE(k_neighbors=10)).fit_resample(X, y)
    notes = " ".join(getattr(info.value, "__notes__", []))
    if hasattr(info.value, "add_note"):
        assert "Raised by SMOTE inside ImageResampler" in notes
        assert "(6, 5, 3)" in notes


def test_smote_on_uint8_images_interpolates_without_wrap_around():
    """Stock SMOTE on uint8 computes x_j - x_i in uint8 (wrap-around); we do not."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(12, 8, 8), dtype=np.uint8)
    y = np.array([0] * 8 + [1] * 4)
    smote = SMOTE(k_neighbors=2, random_state=0)
    X_res, _ = ImageResampler(smote).fit_resample(X, y)
    X_float, _ = smote.fit_resample(X.reshape(12, -1).astype(np.float64), y)
    assert X_res.dtype == np.uint8
    np.testing.assert_array_equal(X_res.reshape(len(X_float), -1), np.rint(X_float).astype(np.uint8))
    # every synthetic pixel lies between the two originals it interpolates
    lo = X.reshape(12, -1)[8:].min(axis=0)
    hi = X.reshape(12, -1)[8:].max(axis=0)
    new = X_res.reshape(len(X_res), -1)[12:]
    assert np.all((new >= lo) & (new <= hi))


def test_no_stale_sample_indices_after_refit_with_another_sampler(imbalanced_images):
    X, y = imbalanced_images
    resampler = ImageResampler(RandomUnderSampler(random_state=0))
    resampler.fit_resample(X, y)
    assert hasattr(resampler, "sample_indices_")
    resampler.set_params(sampler=SMOTE(k_neighbors=3, random_state=0)).fit_resample(X, y)
    assert not hasattr(resampler, "sample_indices_")


def test_default_sampler_is_seeded_by_random_state(imbalanced_images):
    X, y = imbalanced_images
    X1, _ = ImageResampler(random_state=0).fit_resample(X, y)
    X2, _ = ImageResampler(random_state=0).fit_resample(X, y)
    X_ref, _ = RandomOverSampler(random_state=0).fit_resample(X.reshape(60, -1), y)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(X1.reshape(len(X_ref), -1), X_ref)
    # a given sampler keeps its own seed
    X3, _ = ImageResampler(RandomOverSampler(random_state=1), random_state=0).fit_resample(X, y)
    X_ref1, _ = RandomOverSampler(random_state=1).fit_resample(X.reshape(60, -1), y)
    np.testing.assert_array_equal(X3.reshape(len(X_ref1), -1), X_ref1)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
def test_selecting_samplers_keep_64_bit_pixels_exact(dtype):
    # a selection needs no arithmetic: no float64 round trip, no lost digits
    info = np.iinfo(dtype)
    X = np.full((6, 2, 2), info.max - 2, dtype=dtype)
    X[0, 0, 0] = info.max
    X[1, 0, 0] = 2**62 + 1
    y = np.array([0, 0, 0, 0, 1, 1])
    for sampler in (RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)):
        X_res, _ = ImageResampler(sampler).fit_resample(X, y)
        X_ref, _ = sampler.fit_resample(X.reshape(6, -1), y)
        assert X_res.dtype == dtype
        np.testing.assert_array_equal(X_res.reshape(len(X_ref), -1), X_ref)


def test_interpolating_sampler_on_64_bit_pixels_does_not_overflow():
    X = np.full((8, 2, 2), np.iinfo(np.int64).max, dtype=np.int64)
    X[:6:2] = np.iinfo(np.int64).min  # class 0 only
    y = np.array([0] * 6 + [1] * 2)
    X_res, _ = ImageResampler(SMOTE(k_neighbors=1, random_state=0)).fit_resample(X, y)
    assert X_res.dtype == np.int64
    # blends stay within the range of the inputs (no wrap to the other end)
    assert X_res[8:].min() >= X.min() and X_res[8:].max() <= X.max()
    assert np.all(X_res[8:] > 0)  # both class-1 images are at the maximum


def test_sampler_that_returns_floats_keeps_the_dtype():
    # RandomOverSampler(shrinkage=...) perturbs the copies and returns float64
    rng = np.random.default_rng(3)
    X = rng.integers(0, 256, (20, 3, 3)).astype(np.uint8)
    y = np.array([0] * 15 + [1] * 5)
    X_res, _ = ImageResampler(RandomOverSampler(shrinkage=0.5, random_state=0)).fit_resample(X, y)
    assert X_res.dtype == np.uint8
    np.testing.assert_array_equal(X_res[:20], X)


def test_a_sampler_class_instead_of_an_instance_is_a_clear_error(imbalanced_images):
    X, y = imbalanced_images
    with pytest.raises(TypeError, match=r"must be a sampler instance, e\.g\. SMOTE\(\); got the class"):
        ImageResampler(SMOTE).fit_resample(X, y)


def test_an_image_aware_inner_sampler_gets_the_image_shape_and_dtype():
    # wrapped, AugmentationOverSampler used to see 1 x n rows: its "mirror"
    # reversed the whole flattened image (a 180-degree turn, channels reversed)
    import warnings

    from imgbalance import AugmentationOverSampler

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (20, 6, 5, 3), dtype=np.uint8)
    y = np.array([0] * 15 + [1] * 5)
    inner = AugmentationOverSampler(horizontal_flip=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resampler = ImageResampler(inner)
        X_res, y_res = resampler.fit_resample(X, y)
    assert inner.image_shape is None and resampler.sampler_.image_shape == (6, 5, 3)
    assert X_res.dtype == np.uint8 and X_res.shape == (30, 6, 5, 3)
    sources = X[resampler.sampler_.source_indices_]
    assert all(np.array_equal(new, src) or np.array_equal(new, src[:, ::-1])
               for new, src in zip(X_res[20:], sources))
    assert any(np.array_equal(new, src[:, ::-1]) and not np.array_equal(new, src)
               for new, src in zip(X_res[20:], sources))
    # the same as the sampler on its own, flattened rows included
    direct = AugmentationOverSampler(horizontal_flip=True, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, direct[0])
    flat, _ = ImageResampler(inner, image_shape=(6, 5, 3)).fit_resample(X.reshape(20, -1), y)
    np.testing.assert_array_equal(flat, direct[0].reshape(30, -1))
    # flattened rows of unknown shape: the inner sampler's warning reaches the user
    with pytest.warns(UserWarning, match=r"1 x 90 image") as rec:
        ImageResampler(inner).fit_resample(X.reshape(20, -1), y)
    assert rec[0].filename == __file__


def test_an_object_that_is_not_an_estimator_is_a_clear_error(imbalanced_images):
    from sklearn.utils._param_validation import InvalidParameterError

    class Resampler:  # fit_resample alone: clone() and the tags need an estimator
        def fit_resample(self, X, y):
            return X, y

    X, y = imbalanced_images
    resampler = ImageResampler(Resampler())
    resampler.__sklearn_tags__()  # tags do not fail before fit does
    with pytest.raises(InvalidParameterError, match=r"'sampler' parameter.*get_params"):
        resampler.fit_resample(X, y)


def test_only_image_samplers_keep_integer_pixels_and_bool_images_still_work():
    # a SMOTE subclass that merely has an image_shape parameter is no
    # image-aware sampler: it must still get float64 (no uint8 wrap-around)
    from imgbalance import AugmentationOverSampler

    class ShapedSMOTE(SMOTE):
        def __init__(self, *, image_shape=None, k_neighbors=2, random_state=0):
            super().__init__(k_neighbors=k_neighbors, random_state=random_state)
            self.image_shape = image_shape

    X = np.zeros((8, 1, 1), dtype=np.uint8)
    X[5:, 0, 0] = [5, 250, 6]
    y = np.array([0] * 5 + [1] * 3)
    resampler = ImageResampler(ShapedSMOTE())
    X_res, _ = resampler.fit_resample(X, y)
    assert resampler.sampler_.image_shape is None
    assert X_res[8:].min() >= 5 and X_res[8:].max() <= 250  # between minority pixels
    # bool images go through float64 for the augmentation too, as before
    rng = np.random.default_rng(0)
    X = rng.random((20, 6, 6)) > 0.5
    y = np.array([0] * 15 + [1] * 5)
    X_res, _ = ImageResampler(AugmentationOverSampler(horizontal_flip=True,
                                                      random_state=0)).fit_resample(X, y)
    assert X_res.dtype == bool and X_res.shape == (30, 6, 6)
    np.testing.assert_array_equal(X_res[:20], X)


# ------------------------------------------------------------------ tables
# Issue 16.5: 2-D input that is not an image batch (sparse matrices, object or
# string arrays, dataframes with non-numeric columns) goes to the wrapped
# sampler unchanged; the output must be exactly the wrapped sampler's.

pd = pytest.importorskip("pandas")
sparse = pytest.importorskip("scipy.sparse")

from imblearn.over_sampling import SMOTEN, SMOTENC  # noqa: E402
from imblearn.under_sampling import (  # noqa: E402
    EditedNearestNeighbours,
    NearMiss,
)
from sklearn.base import clone  # noqa: E402


def _table_data():
    rng = np.random.default_rng(0)
    y = np.array([0] * 20 + [1] * 8 + [2] * 5)
    numbers = rng.normal(size=(33, 3)) + y[:, None]
    return numbers, y


def _tables():
    numbers, y = _table_data()
    words = np.array(["cat", "dog", "eel"], dtype=object)[np.arange(33) % 3]
    frame = pd.DataFrame(numbers, columns=["a", "b", "c"], index=np.arange(100, 133))
    dated = frame.assign(when=pd.date_range("2026-01-01", periods=33, freq="D"))
    worded = frame.assign(word=words)
    return {
        "csr": sparse.csr_matrix(numbers),
        "csc": sparse.csc_matrix(numbers),
        "csr_array": sparse.csr_array(numbers),
        "object array": numbers.astype(object),
        "string array": np.column_stack([words, words[::-1]]).astype(str),
        "object strings": np.column_stack([words, words[::-1]]),
        "dataframe with datetime": dated,
        "dataframe with strings": worded,
        "dataframe with category": worded.astype({"word": "category"}),
    }, y


SAMPLERS = {
    "RandomOverSampler": RandomOverSampler(random_state=0),
    "RandomUnderSampler": RandomUnderSampler(random_state=0),
    "SMOTE": SMOTE(k_neighbors=3, random_state=0),
    "ADASYN": ADASYN(n_neighbors=3, random_state=0),
    "SMOTEN": SMOTEN(k_neighbors=3, random_state=0),
    "SMOTENC": SMOTENC(categorical_features="auto", k_neighbors=3, random_state=0),
    "NearMiss": NearMiss(),
    "TomekLinks": TomekLinks(),
    "EditedNearestNeighbours": EditedNearestNeighbours(),
}


def _outcome(sampler, X, y):
    try:
        return sampler.fit_resample(X, y)
    except (ValueError, TypeError) as exc:
        return exc


def _assert_same_output(got, expected):
    if isinstance(expected, Exception):
        assert type(got) is type(expected) and str(got) == str(expected)
        return
    (X_got, y_got), (X_exp, y_exp) = got, expected
    assert type(X_got) is type(X_exp)
    if sparse.issparse(X_exp):
        assert X_got.format == X_exp.format and X_got.dtype == X_exp.dtype
        assert (X_got != X_exp).nnz == 0
    elif isinstance(X_exp, pd.DataFrame):
        pd.testing.assert_frame_equal(X_got, X_exp)
    else:
        assert X_got.dtype == X_exp.dtype
        np.testing.assert_array_equal(X_got, X_exp)
    np.testing.assert_array_equal(y_got, y_exp)


@pytest.mark.parametrize("table", list(_tables()[0]))
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_tables_give_exactly_the_wrapped_samplers_output(name, table):
    tables, y = _tables()
    X = tables[table]
    X_before = X.copy()
    sampler = SAMPLERS[name]
    expected = _outcome(clone(sampler), X, y)
    resampler = ImageResampler(clone(sampler))
    _assert_same_output(_outcome(resampler, X, y), expected)
    if not isinstance(expected, Exception):
        direct = clone(sampler)
        direct.fit_resample(X, y)
        assert hasattr(resampler, "sample_indices_") == hasattr(direct, "sample_indices_")
        if hasattr(direct, "sample_indices_"):
            np.testing.assert_array_equal(resampler.sample_indices_, direct.sample_indices_)
        assert resampler.n_features_in_ == direct.n_features_in_
        assert resampler.image_shape_ == (1, direct.n_features_in_)
    if isinstance(X, pd.DataFrame):  # inputs are never modified
        pd.testing.assert_frame_equal(X, X_before)
    elif sparse.issparse(X):
        assert (X != X_before).nnz == 0
    else:
        np.testing.assert_array_equal(X, X_before)


def test_tables_cover_both_outcomes():
    # the matrix above holds cases the wrapped samplers accept and refuse
    tables, y = _tables()
    outcomes = [
        isinstance(_outcome(clone(s), tables[t], y), Exception)
        for s in SAMPLERS.values()
        for t in tables
    ]
    assert any(outcomes) and not all(outcomes)


@pytest.mark.parametrize(
    "check",
    [
        "check_samplers_sparse",
        "check_samplers_pandas",
        "check_samplers_pandas_sparse",
        "check_samplers_list",
        "check_samplers_string",
        "check_samplers_fit_resample",
        "check_samplers_sampling_strategy_fit_resample",
    ],
)
@pytest.mark.parametrize(
    "sampler",
    [RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0),
     SMOTE(random_state=0), NearMiss()],
    ids=lambda s: type(s).__name__,
)
def test_imblearn_checks_through_the_wrapper(sampler, check):
    # imbalanced-learn's own sampler checks, which the wrapped samplers pass,
    # pass through ImageResampler too (string inputs only where the wrapped
    # sampler claims them)
    import imblearn.utils.estimator_checks as checks

    if check == "check_samplers_string" and not sampler.__sklearn_tags__().input_tags.string:
        pytest.skip(f"{type(sampler).__name__} does not take strings")
    getattr(checks, check)("ImageResampler", ImageResampler(clone(sampler)))


def test_table_with_image_shape_is_a_clear_error():
    tables, y = _tables()
    for table in ("csr", "object array", "dataframe with strings"):
        with pytest.raises(ValueError, match=r"cannot hold flattened images.*image_shape=None"):
            ImageResampler(image_shape=(1, 3)).fit_resample(tables[table], y)


def test_table_refused_by_an_image_sampler_as_by_itself():
    from imgbalance import AugmentationOverSampler

    tables, y = _tables()
    inner = AugmentationOverSampler(random_state=0)
    expected = _outcome(clone(inner), tables["csr"], y)
    assert isinstance(expected, TypeError)  # AugmentationOverSampler takes no sparse input
    _assert_same_output(_outcome(ImageResampler(inner), tables["csr"], y), expected)


def test_tags_follow_the_wrapped_sampler():
    tags = ImageResampler(RandomOverSampler()).__sklearn_tags__().input_tags
    inner = RandomOverSampler().__sklearn_tags__().input_tags
    assert (tags.sparse, tags.string, tags.dataframe) == (inner.sparse, inner.string,
                                                          inner.dataframe)
    assert tags.two_d_array and tags.three_d_array
    smote = ImageResampler(SMOTE()).__sklearn_tags__().input_tags
    assert smote.string == SMOTE().__sklearn_tags__().input_tags.string


# --- the inner sampler as imbalanced-learn would run it ----------------------

_IMAGES = np.random.default_rng(0).random((30, 8, 8))
_LABELS = np.r_[[0] * 20, [1] * 10]


@pytest.mark.parametrize("inner, parameter", [
    (SMOTE(k_neighbors="5"), "k_neighbors"),
    (RandomOverSampler(shrinkage="x"), "shrinkage"),
])
def test_inner_parameters_are_validated_on_images(inner, parameter):
    # imbalanced-learn's fit_resample skips nested validation: the wrapper must not
    # (scikit-learn's InvalidParameterError is a ValueError)
    with pytest.raises(ValueError, match=f"'{parameter}' parameter of"):
        ImageResampler(inner).fit_resample(_IMAGES, _LABELS)


def test_inner_augmentation_parameters_are_validated_on_images():
    from imgbalance import AugmentationOverSampler

    with pytest.raises(ValueError, match="'fill_mode' parameter of Augmentation"):
        ImageResampler(AugmentationOverSampler(fill_mode="mirror")).fit_resample(_IMAGES, _LABELS)


def test_sampling_strategy_is_the_inner_samplers():
    resampler = ImageResampler(SMOTE(random_state=0))
    resampler.fit_resample(_IMAGES, _LABELS)
    assert dict(resampler.sampling_strategy_) == {1: 10}
    assert dict(resampler.sampling_strategy_) == dict(resampler.sampler_.sampling_strategy_)


def test_fit_params_reach_the_inner_sampler_and_a_third_output_is_kept():
    from imblearn.base import BaseSampler

    class Weighted(BaseSampler):
        _sampling_type = "over-sampling"
        _parameter_constraints = {"sampling_strategy": "no_validation"}

        def __init__(self, sampling_strategy="auto"):
            self.sampling_strategy = sampling_strategy

        def _fit_resample(self, X, y, sample_weight=None):
            return X, y, 2 * sample_weight

    X_res, y_res, weights = ImageResampler(Weighted()).fit_resample(
        _IMAGES, _LABELS, sample_weight=np.ones(30))
    assert X_res.shape == _IMAGES.shape
    np.testing.assert_array_equal(weights, np.full(30, 2.0))


def test_image_shape_refuses_tables_and_says_so_in_its_tags():
    tags = ImageResampler(SMOTE(), image_shape=(8, 8)).__sklearn_tags__().input_tags
    assert not tags.sparse and not tags.string
    assert ImageResampler(SMOTE()).__sklearn_tags__().input_tags.sparse


def test_inner_validation_follows_scikit_learns_config_and_spares_duck_types():
    import sklearn

    from imgbalance import AugmentationOverSampler

    with sklearn.config_context(skip_parameter_validation=True):  # the user's choice holds
        X_res, _ = ImageResampler(AugmentationOverSampler(fill_mode="mirror")).fit_resample(
            _IMAGES, _LABELS)
    assert X_res.shape == (40, 8, 8)

    class Duck:  # the methods the 'sampler' constraint asks for, no _validate_params
        def fit_resample(self, X, y):
            return X[:5], y[:5]

        def get_params(self, deep=True):
            return {}

        def set_params(self, **params):
            return self

        def __sklearn_tags__(self):
            return RandomOverSampler().__sklearn_tags__()

    X_res, y_res = ImageResampler(Duck()).fit_resample(_IMAGES, _LABELS)
    assert X_res.shape == (5, 8, 8) and len(y_res) == 5
