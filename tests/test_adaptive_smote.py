"""AdaptiveSMOTE against imbalanced-learn's SMOTE, and the "smote" strategy on long tails."""

import warnings

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from sklearn.datasets import load_digits
from sklearn.neighbors import NearestNeighbors

from imgbalance import HOGTransformer, describe_strategy
from imgbalance.datasets import make_long_tailed
from imgbalance.sampling import AdaptiveSMOTE
from imgbalance.search import make_resampling_search


def _data(counts, n_features=5, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(counts)), counts)
    return rng.normal(size=(len(y), n_features)) + y[:, None], y


# scikit-learn's and imbalanced-learn's check suites run on AdaptiveSMOTE in
# tests/test_common.py, with every other public estimator.


@pytest.mark.parametrize("counts, k, k_used", [
    ([30, 3, 12], 5, 2),     # class 1 limits
    ([30, 2, 12], 5, 1),
    ([30, 8, 12], 5, 5),     # enough: nothing lowered
    ([30, 4, 12], 2, 2),
])
@pytest.mark.parametrize("seed", [0, 1])
def test_same_output_as_smote_with_the_k_it_used(counts, k, k_used, seed):
    X, y = _data(counts, seed=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sampler = AdaptiveSMOTE(k_neighbors=k, random_state=seed)
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.k_neighbors_ == k_used
    assert sampler.k_neighbors == k  # the parameter is left alone
    X_ref, y_ref = SMOTE(k_neighbors=k_used, random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    lowered = [w for w in caught if "AdaptiveSMOTE" in str(w.message)]
    assert len(lowered) == (1 if k_used < k else 0)  # once, not once per class
    if lowered:
        message = str(lowered[0].message)
        assert f"k_neighbors={k} lowered to {k_used}" in message
        assert f"class 1 has only {counts[1]} samples" in message


def test_only_the_classes_it_over_samples_count():
    # the majority class is never interpolated, and a class left out of
    # sampling_strategy neither
    X, y = _data([3, 40, 40])
    sampler = AdaptiveSMOTE(sampling_strategy={0: 40, 1: 40, 2: 40}, random_state=0)
    with pytest.warns(UserWarning, match="lowered to 2"):
        sampler.fit_resample(X, y)
    X, y = _data([3, 40, 10])
    sampler = AdaptiveSMOTE(sampling_strategy={2: 40}, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, y_res = sampler.fit_resample(X, y)
    assert sampler.k_neighbors_ == 5 and np.bincount(y_res).tolist() == [3, 40, 40]


def test_a_neighbours_object_is_lowered_the_same_way():
    X, y = _data([30, 3])
    nn = NearestNeighbors(n_neighbors=6)  # k = 5 plus the sample itself, as in SMOTE
    with pytest.warns(UserWarning, match="lowered to 2"):
        sampler = AdaptiveSMOTE(k_neighbors=nn, random_state=0)
        X_res, _ = sampler.fit_resample(X, y)
    assert nn.n_neighbors == 6 and sampler.nn_k_.n_neighbors == 3
    np.testing.assert_array_equal(X_res, SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)[0])


@pytest.mark.parametrize("labels", [np.array([0, 1, 2]), np.array(["coat", "shirt", "bag"])])
def test_a_single_sample_class_is_an_error_naming_it(labels):
    X, y = _data([20, 1, 5])
    y = labels[y]
    with pytest.raises(ValueError, match=rf"class '?{labels[1]}'?: it has 1 sample"):
        AdaptiveSMOTE().fit_resample(X, y)


@pytest.fixture(scope="module")
def long_tail():
    digits = load_digits()
    # classes of 178 down to 5 images: a training fold holds 3 or 4 of the rarest
    return make_long_tailed(digits.images, digits.target, imbalance_ratio=30, random_state=0)


def test_the_smote_strategy_runs_where_smote_fails(long_tail):
    X, y = long_tail
    assert np.bincount(y).min() <= 5  # a fold holds fewer than SMOTE's 6
    kwargs = dict(features=HOGTransformer(pixels_per_cell=(2, 2)), param_grid={"clf__C": [0.1]})
    with pytest.raises(ValueError, match="n_neighbors"):
        make_resampling_search(["smote"], smote=SMOTE(), **kwargs).fit(X, y)
    search = make_resampling_search(["smote"], **kwargs)
    assert isinstance(search.param_grid[0]["resample"][0], AdaptiveSMOTE)
    with pytest.warns(UserWarning, match="AdaptiveSMOTE: k_neighbors=5 lowered"):
        search.fit(X, y)
    assert np.isfinite(search.best_score_)
    assert describe_strategy(search.best_params_) == "smote"
    assert search.best_estimator_.named_steps["resample"].k_neighbors_ == 4  # 5 images in all


def test_a_class_with_one_image_in_a_fold_is_named_by_the_search():
    digits = load_digits()
    X, y = make_long_tailed(digits.images, digits.target, imbalance_ratio=60, random_state=0)
    assert np.bincount(y)[9] == 2  # a training fold holds one
    search = make_resampling_search(["smote"], features=HOGTransformer(pixels_per_cell=(2, 2)),
                                    param_grid={"clf__C": [0.1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(ValueError, match="cannot over-sample class 9: it has 1 sample"):
            search.fit(X, y)


def test_halving_with_smote_scores_every_candidate_on_a_long_tail(long_tail):
    # the failure: the first halving rounds fit on small subsets
    X, y = long_tail
    search = make_resampling_search(
        ["none", "smote"], features=HOGTransformer(pixels_per_cell=(2, 2)),
        search="halving", param_grid={"clf__C": [0.003, 0.01, 0.03, 0.1, 0.3, 1.0]},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X, y)
    assert search.min_resources == "exhaust"  # the parameter is left as given
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert {describe_strategy(p) for p in search.cv_results_["params"]} == {"none", "smote"}
    # and sklearn's halving search on the same grid with plain SMOTE does not
    plain = make_resampling_search(
        ["none", "smote"], features=HOGTransformer(pixels_per_cell=(2, 2)), smote=SMOTE(),
        search="halving", param_grid={"clf__C": [0.003, 0.01, 0.03, 0.1, 0.3, 1.0]},
        error_score=np.nan,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain.fit(X, y)
    assert not np.all(np.isfinite(plain.cv_results_["mean_test_score"]))
