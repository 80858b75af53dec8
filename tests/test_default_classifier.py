"""The default classifier's tolerance (liblinear's own, 0.1) against a tight solve.

``default_classifier()`` stops liblinear's dual solver at ``tol=0.1``; these
tests check that it reaches the decisions of the same problem solved to
``tol=1e-5``: the same predictions on held-out images (all of them at C 0.003 and 0.01,
2 of 383 differ at 0.03 on this small split) and the same pick of the
strategy search.
"""

import warnings

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from imgbalance import HOGTransformer, describe_strategy, make_resampling_search
from imgbalance.datasets import make_long_tailed
from imgbalance.feature_extraction import make_hog_and_pixels
from imgbalance.search import DEFAULT_C_GRID, default_classifier


def _tight(C=1.0):
    return LinearSVC(C=C, dual=True, tol=1e-5, max_iter=20_000, random_state=0)


def test_the_default_tolerance_is_liblinears():
    assert default_classifier(0).get_params()["tol"] == 0.1
    assert default_classifier(0).get_params()["dual"] is True


@pytest.mark.parametrize("C", DEFAULT_C_GRID)
def test_same_predictions_as_a_tight_solve_on_over_sampled_fashion_mnist(fashion_mnist_subset, C):
    # the search's costliest case: HOG beside the pixels, over-sampled rows
    X, y = fashion_mnist_subset
    X, y = make_long_tailed(X, y, imbalance_ratio=20, random_state=0)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.4, stratify=y,
                                                      random_state=0)
    features = make_hog_and_pixels(pixel_weight="auto").fit(X_train)
    F, F_val = features.transform(X_train), features.transform(X_val)
    F, y_res = RandomOverSampler(random_state=0).fit_resample(F, y_train)
    loose = default_classifier(0).set_params(C=C).fit(F, y_res)
    tight = _tight(C).fit(F, y_res)
    assert tight.n_iter_ > loose.n_iter_  # the tight solve did go further
    agree = np.mean(loose.predict(F_val) == tight.predict(F_val))
    assert agree >= 0.99, agree  # 0.995 at C=0.03 (2 of 383 images), 1.0 below
    scores = [balanced_accuracy_score(y_val, m.predict(F_val)) for m in (loose, tight)]
    assert abs(scores[0] - scores[1]) <= 0.02, scores  # one image of a rare class moves it ~0.017


def test_the_search_makes_the_pick_of_a_tight_solve(digits_images):
    X, y = make_long_tailed(*digits_images, imbalance_ratio=10, random_state=0)
    kwargs = dict(features=HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
                  search="grid", param_grid={"clf__C": [0.01, 0.1, 1.0]}, random_state=0)
    strategies = ["none", "class_weight", "random_over", "smote"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = make_resampling_search(strategies, **kwargs).fit(X, y)
        tight = make_resampling_search(strategies, classifier=_tight(), **kwargs).fit(X, y)
    assert describe_strategy(default.best_params_) == describe_strategy(tight.best_params_)
    assert default.best_params_["clf__C"] == tight.best_params_["clf__C"]
    np.testing.assert_allclose(default.cv_results_["mean_test_score"],
                               tight.cv_results_["mean_test_score"], atol=0.01)
