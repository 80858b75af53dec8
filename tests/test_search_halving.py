"""The halving search: stratified training subsets, whole validation folds, a whole last round.

Checked against scikit-learn: the last round of ``min_resources="exhaust"``
gives the candidates it evaluates the scores ``GridSearchCV`` gives them,
fold by fold, and what each round fits and scores on is recorded by the
classifier itself.
"""

import warnings

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, KFold, StratifiedKFold
from sklearn.svm import LinearSVC

from imgbalance import make_resampling_search
from imgbalance.datasets import make_long_tailed
from imgbalance.search import make_strategy_pipeline
from imgbalance.search._searchcv import StrategyHalvingGridSearchCV
from imgbalance.search._subsample import StratifiedTrainSubsample, stratified_subset


@pytest.fixture(scope="module")
def long_tail():
    digits = load_digits()
    # 180 images of the commonest class down to 9 of the rarest
    return make_long_tailed(digits.data, digits.target, imbalance_ratio=20, random_state=0)


class Recorder(ClassifierMixin, BaseEstimator):
    """Predicts the majority class; records the class counts it fits on and the rows it scores."""

    fits = []
    scored = []

    def __init__(self, C=1.0, budget=1):
        self.C = C
        self.budget = budget

    def fit(self, X, y):
        self.classes_, counts = np.unique(y, return_counts=True)
        Recorder.fits.append(dict(zip(self.classes_.tolist(), counts.tolist())))
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        Recorder.scored.append(len(X))
        return np.full(len(X), self.majority_)


@pytest.mark.parametrize("share", [0.05, 0.25, 0.5, 0.99])
def test_stratified_subset_keeps_each_class_its_share_and_the_floor(share):
    labels = np.repeat(["a", "b", "c", "d"], [400, 60, 7, 3])
    np.random.RandomState(0).shuffle(labels)
    kept = stratified_subset(labels, share, 6, np.random.RandomState(1))
    assert np.all(np.diff(kept) > 0)  # sorted, no repeats
    got = {c: int(np.sum(labels[kept] == c)) for c in "abcd"}
    for c, count in zip("abcd", (400, 60, 7, 3)):
        assert got[c] == max(min(count, 6), round(share * count))


def test_stratified_subsets_are_nested_and_whole_at_share_one():
    labels = np.random.RandomState(0).randint(0, 5, size=300)
    small = stratified_subset(labels, 0.1, 2, np.random.RandomState(3))
    large = stratified_subset(labels, 0.4, 2, np.random.RandomState(3))
    assert set(small) < set(large)
    np.testing.assert_array_equal(stratified_subset(labels, 1.0, 2, None), np.arange(300))


def test_splitter_cuts_training_folds_and_keeps_validation_folds(long_tail):
    X, y = long_tail
    base = StratifiedKFold(3, shuffle=True, random_state=0)
    cut = StratifiedTrainSubsample(base, 0.25, 6, random_state=0)
    assert cut.get_n_splits(X, y) == 3
    for (train, test), (sub, same_test) in zip(base.split(X, y), cut.split(X, y)):
        np.testing.assert_array_equal(test, same_test)
        assert set(sub) <= set(train)
        assert np.bincount(y[sub], minlength=10).min() >= min(6, np.bincount(y[train]).min())
    again = [sub for sub, _ in cut.split(X, y)]  # an int seed: the same subsets every call
    assert all(np.array_equal(a, b) for a, b in zip(again, [s for s, _ in cut.split(X, y)]))


def _search(cls, **kwargs):
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return cls(Recorder(), {"C": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, cv=cv, factor=3,
               random_state=0, return_train_score=False, **kwargs)


def test_every_round_keeps_every_class_and_scores_whole_validation_folds(long_tail, few_per_class):
    X, y = long_tail
    Recorder.fits.clear()
    Recorder.scored.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # C at an edge
        search = _search(StrategyHalvingGridSearchCV).fit(X, y)
    assert search.n_candidates_ == [9, 3, 1] and len(search.n_resources_) == 3
    fold_sizes = {len(test) for _, test in search.cv.split(X, y)}
    assert set(Recorder.scored) <= fold_sizes
    rounds = np.repeat([0, 1, 2], [27, 9, 3])
    fitted = Recorder.fits[:39]
    assert all(len(counts) == 10 for counts in fitted)  # every class in every round
    sizes = np.array([sum(c.values()) for c in fitted])
    n_train = np.array([len(train) for train, _ in search.cv.split(X, y)] * 13)
    assert np.all(sizes[rounds == 2] == n_train[rounds == 2])  # the last round: whole folds
    assert np.all(sizes[rounds == 0] < n_train[rounds == 0] / 5)
    share = search.n_resources_[1] / len(y)  # round 2: its share, not whole folds
    assert np.all(np.abs(sizes[rounds == 1] - share * n_train[rounds == 1]) <= 10 * 6)
    # scikit-learn's shrinks the validation folds and loses classes
    Recorder.fits.clear()
    Recorder.scored.clear()
    _search(HalvingGridSearchCV).fit(X, y)
    assert min(Recorder.scored) < min(fold_sizes) / 5
    assert min(len(c) for c in Recorder.fits) < 10


def test_last_round_scores_are_the_grid_searchs(long_tail, few_per_class):
    X, y = long_tail
    pipe = make_strategy_pipeline("smote", features="pixels", image_shape=(8, 8),
                                  classifier=LinearSVC(random_state=0))
    grid = {"clf__C": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]}
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        halving = StrategyHalvingGridSearchCV(pipe, grid, cv=cv, factor=3, random_state=0).fit(X, y)
        exhaustive = GridSearchCV(pipe, grid, cv=cv).fit(X, y)
    last = np.flatnonzero(halving.cv_results_["iter"] == halving.n_iterations_ - 1)
    for i in last:
        j = exhaustive.cv_results_["params"].index(halving.cv_results_["params"][i])
        for k in range(3):
            key = f"split{k}_test_score"
            assert halving.cv_results_[key][i] == exhaustive.cv_results_[key][j]
    assert len(last) == 1 and halving.best_params_ == halving.cv_results_["params"][last[0]]


def test_the_floor_follows_the_grids_neighbours():
    digits = load_digits()
    X, y = make_long_tailed(digits.data, digits.target, imbalance_ratio=10, random_state=0)
    assert np.bincount(y).min() == 17  # 11 or more in a training fold: enough for 8 neighbours
    pipe = make_strategy_pipeline("smote", features="pixels", image_shape=(8, 8),
                                  smote=SMOTE(random_state=0))
    grid = {"clf__C": [0.01, 0.1], "resample__k_neighbors": [5, 8]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = StrategyHalvingGridSearchCV(pipe, grid, cv=3, factor=2, random_state=0,
                                             min_resources=40).fit(X, y)
        assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
        # scikit-learn's random subsets leave SMOTE too few neighbours in the first round
        plain = HalvingGridSearchCV(pipe, grid, cv=3, factor=2, random_state=0,
                                    min_resources=40, error_score=np.nan)
        with pytest.raises(ValueError, match="fits failed"):
            plain.fit(X, y)


def test_other_resources_and_regressors_are_scikit_learns(long_tail):
    X, y = long_tail
    kwargs = dict(cv=KFold(3, shuffle=True, random_state=0), factor=3, random_state=0,
                  return_train_score=False)
    ours = StrategyHalvingGridSearchCV(Recorder(), {"C": [1, 2, 3, 4]}, resource="budget",
                                       max_resources=9, **kwargs).fit(X, y)
    theirs = HalvingGridSearchCV(Recorder(), {"C": [1, 2, 3, 4]}, resource="budget",
                                 max_resources=9, **kwargs).fit(X, y)
    assert ours.n_resources_ == theirs.n_resources_
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]


def test_the_builders_halving_search(long_tail):
    X, y = long_tail
    search = make_resampling_search(["class_weight", "smote"], features="pixels", image_shape=(8, 8),
                                    search="halving", param_grid={"clf__C": [0.01, 0.1, 1.0]})
    assert search.return_train_score is False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert "mean_train_score" not in search.cv_results_


def test_the_same_seed_gives_the_same_search_whatever_n_jobs(long_tail):
    X, y = long_tail
    runs = []
    for n_jobs in (1, 2):
        search = make_resampling_search(["none", "smote", "random_over"], features="pixels",
                                        image_shape=(8, 8), param_grid={"clf__C": [0.01, 0.1]},
                                        n_jobs=n_jobs, random_state=3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runs.append(search.fit(X, y).cv_results_)
    assert list(map(repr, runs[0]["params"])) == list(map(repr, runs[1]["params"]))
    for key in ("iter", "n_resources", "split0_test_score", "split2_test_score"):
        np.testing.assert_array_equal(runs[0][key], runs[1][key])


def test_a_sampler_in_the_estimator_or_a_grid_value_raises_the_floor():
    from imgbalance.search._searchcv import _min_per_class

    pipe = make_strategy_pipeline("smote", features="pixels", smote=SMOTE(k_neighbors=9))
    assert _min_per_class(pipe, [{"clf__C": [1.0]}]) == 10
    plain = make_strategy_pipeline("none", features="pixels")
    assert _min_per_class(plain, [{"resample": [SMOTE(k_neighbors=7), "passthrough"]}]) == 8
    assert _min_per_class(plain, [{"clf__C": [1.0]}]) == 6


def test_max_resources_caps_the_last_round(long_tail, few_per_class):
    X, y = long_tail
    Recorder.fits.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = _search(StrategyHalvingGridSearchCV, max_resources=541).fit(X, y)
    assert search.n_resources_ == [60, 180, 540]  # 540: exhaust's rounding of 541
    n_train = [len(train) for train, _ in search.cv.split(X, y)]
    last = [sum(c.values()) for c in Recorder.fits[-4:-1]]  # before the refit
    for fitted, whole in zip(last, n_train):  # 541 of 602 samples: 90 % of each fold
        assert abs(fitted - 541 / len(y) * whole) <= 10


def test_labels_that_are_strings_and_grouped_folds(long_tail):
    X, y = long_tail
    names = np.array(list("abcdefghij"))[y]
    groups = np.arange(len(y)) % 6
    from sklearn.model_selection import GroupKFold

    Recorder.fits.clear()
    search = StrategyHalvingGridSearchCV(Recorder(), {"C": [1, 2, 3, 4]}, cv=GroupKFold(3),
                                         factor=2, random_state=np.random.RandomState(0),
                                         return_train_score=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, names, groups=groups)
    assert all(len(counts) == 10 for counts in Recorder.fits)


def test_a_regressor_is_scikit_learns(long_tail):
    from sklearn.linear_model import Ridge

    X, y = long_tail
    kwargs = dict(cv=KFold(3, shuffle=True, random_state=0), factor=2, random_state=0,
                  return_train_score=False)
    grid = {"alpha": [0.1, 1.0, 10.0, 100.0]}
    ours = StrategyHalvingGridSearchCV(Ridge(), grid, **kwargs).fit(X, y.astype(float))
    theirs = HalvingGridSearchCV(Ridge(), grid, **kwargs).fit(X, y.astype(float))
    np.testing.assert_array_equal(ours.cv_results_["mean_test_score"],
                                  theirs.cv_results_["mean_test_score"])


def test_the_builders_default_is_this_halving_search():
    search = make_resampling_search()
    assert isinstance(search, StrategyHalvingGridSearchCV)
    assert (search.factor, search.return_train_score, search.random_state) == (4, False, 0)
    assert make_resampling_search(search_params={"factor": 3}).factor == 3


def test_too_few_samples_for_every_round_still_end_on_whole_folds(long_tail, few_per_class):
    # 602 images, 10 classes: scikit-learn starts at 2 * 3 * 10 = 60 and can
    # run 2 of the 3 rounds 21 candidates need: 60, 240 (a share of each fold)
    X, y = long_tail
    Recorder.fits.clear()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    grid = {"C": list(range(21))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = StrategyHalvingGridSearchCV(Recorder(), grid, cv=cv, factor=4, random_state=0,
                                           return_train_score=False).fit(X, y)
        theirs = HalvingGridSearchCV(Recorder(), grid, cv=cv, factor=4, random_state=0,
                                     return_train_score=False).fit(X, y)
    assert theirs.n_resources_ == [60, 240]
    assert ours.n_resources_ == [150, 600] and ours.n_candidates_ == [21, 6]
    n_train = [len(train) for train, _ in cv.split(X, y)]
    last = [sum(c.values()) for c in Recorder.fits[63:63 + 18]][-3:]
    assert last == n_train  # the last round: whole folds
    # a min_resources of one's own is left as given
    kept = StrategyHalvingGridSearchCV(Recorder(), grid, cv=cv, factor=4, random_state=0,
                                       min_resources="smallest").fit(X, y)
    assert kept.n_resources_ == [60, 240]


def test_grid_edges_names_the_strategy_of_a_plain_pipeline(long_tail):
    from imgbalance.search import grid_edges

    X, y = long_tail
    pipe = make_strategy_pipeline("smote", features="pixels", image_shape=(8, 8))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = GridSearchCV(pipe, {"clf__C": [1e-6, 1e-5]}, cv=3).fit(X, y)
    assert [(e.strategy, e.side) for e in grid_edges(search)] == [("smote", "high")]


def test_the_first_round_fits_enough_images_a_class(long_tail):
    # FIRST_ROUND_PER_CLASS images a class at least in the first round: the
    # ~540 digits of the long tail allow two rounds with factor 2, one (the
    # grid, every candidate on whole folds) with factor 3
    from imgbalance.search._defaults import FIRST_ROUND_PER_CLASS

    X, y = long_tail
    floor = FIRST_ROUND_PER_CLASS * len(np.unique(y))
    assert floor < len(y) < 3 * floor
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    for factor, n_rounds in [(2, 2), (3, 1)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # C at an edge
            search = StrategyHalvingGridSearchCV(
                Recorder(), {"C": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, cv=cv, factor=factor,
                random_state=0).fit(X, y)
        assert len(search.n_resources_) == n_rounds
        assert search.n_resources_[0] >= floor
        assert search.n_candidates_[0] == 9
