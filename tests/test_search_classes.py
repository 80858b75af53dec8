"""The search classes the builders return behave as scikit-learn's on every input theirs take.

Found in a review: a halving search with ``max_resources``, another
``resource`` or grouped folds; several metrics with ``verbose`` or a
callable ``refit``; a grid whose strategies alternate.
"""

import warnings

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, GroupKFold, HalvingGridSearchCV

from imgbalance.sampling import AdaptiveSMOTE
from imgbalance.search import make_strategy_pipeline
from imgbalance.search._searchcv import StrategyGridSearchCV, StrategyHalvingGridSearchCV


@pytest.fixture(scope="module")
def data():
    digits = load_digits()
    keep = np.r_[np.flatnonzero(digits.target == 3)[:150], np.flatnonzero(digits.target == 8)[:40]]
    return digits.data[keep], (digits.target[keep] == 8).astype(int)


def _smote_pipe():
    return make_strategy_pipeline("smote", features="pixels", image_shape=(8, 8))


@pytest.mark.parametrize("settings", [
    dict(resource="clf__max_iter", max_resources=50),
    dict(max_resources=60),
])
def test_halving_settings_scikit_learn_takes(data, settings):
    X, y = data
    grid = {"resample": [AdaptiveSMOTE(random_state=0)], "clf__C": [0.01, 0.1, 1, 10]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = StrategyHalvingGridSearchCV(_smote_pipe(), grid, factor=2, cv=3, random_state=0,
                                           **settings).fit(X, y)
    assert ours.n_resources_[-1] <= settings["max_resources"]
    assert np.isfinite(ours.cv_results_["mean_test_score"]).all()


def test_halving_with_grouped_folds(data):
    X, y = data
    groups = np.arange(len(y)) % 5
    grid = {"resample": [AdaptiveSMOTE(random_state=0)], "clf__C": [0.01, 0.1, 1, 10]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = StrategyHalvingGridSearchCV(_smote_pipe(), grid, cv=GroupKFold(3), factor=2,
                                             random_state=0).fit(X, y, groups=groups)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_several_metrics_with_verbose_and_a_callable_refit(data, capsys):
    X, y = data
    scoring = {"ba": "balanced_accuracy", "acc": "accuracy"}
    grid = {"clf__C": [0.01, 0.1]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        named = StrategyGridSearchCV(_smote_pipe(), grid, scoring=scoring, refit="ba", cv=3,
                                     verbose=1).fit(X, y)
        reference = GridSearchCV(_smote_pipe(), grid, scoring=scoring, refit="ba", cv=3).fit(X, y)
        picked = StrategyGridSearchCV(_smote_pipe(), grid, scoring=scoring, cv=3,
                                      refit=lambda cv: int(np.argmax(cv["mean_test_ba"]))).fit(X, y)
    assert named.best_params_ == reference.best_params_ == picked.best_params_
    assert "[1/1]" in capsys.readouterr().out  # one progress line, scored by refit="ba"


def test_verbose_grid_with_alternating_strategies(data, capsys):
    X, y = data
    pipe = make_strategy_pipeline("random_over", features="pixels", image_shape=(8, 8))
    grid = {"resample": [RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0)],
            "clf__C": [0.001, 0.01, 0.1]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quiet = StrategyGridSearchCV(pipe, grid, cv=3).fit(X, y)
        loud = StrategyGridSearchCV(pipe, grid, cv=3, verbose=1).fit(X, y)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert [line.split()[:2] for line in lines] == [["[1/2]", "random_over"], ["[2/2]", "random_under"]]
    np.testing.assert_array_equal(quiet.cv_results_["mean_test_score"],
                                  loud.cv_results_["mean_test_score"])
