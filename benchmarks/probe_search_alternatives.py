"""Two more ways to a faster strategy search, against the default grid, in one run.

Issue 17 asks for the default ``make_resampling_search`` to be at least 3x
faster than at commit 2966f67 (whose default grid takes the same time as
today's: ``bench_search.py --part baseline``).  This probe measures two of
the issue's ideas that ``search_costs.py`` and ``probe_newton_path.py`` do
not:

* ``ridge``: a classifier whose regularisation path is cheap,
  ``RidgeClassifier`` with ``alpha`` in {30, 100, 300, 1000} in place of
  ``LinearSVC`` with C in {0.003, 0.01, 0.03} (``alpha`` plays ``1 / (2C)``);
  another model, so the question is its test score, not equivalence.
* ``halving``: successive halving whose resource is a *stratified* subsample
  of each training fold (every class keeps its share, and at least
  ``min(6, its count)`` images, so SMOTE always has neighbours), the
  validation folds whole in every round, and the last round on whole
  training folds; ``factor`` 3 and 4 (each round keeps ``factor`` times
  the previous round's share of every training fold).  The subsample is a sampler step put
  in front of the default pipeline, ``HalvingGridSearchCV(resource=
  "budget__n_samples")``.  Not what ``search="halving"`` does (scikit-learn
  subsamples training and validation folds at random there, and the last
  round of the default search does not reach whole folds).

Each is timed beside the default grid search (``make_resampling_search(
n_jobs=2, random_state=0)``, HOG beside the pixels) on long-tailed
Fashion-MNIST (imbalance ratio 100, seed 0, 14,886 images), scored on the
full test set.  A probe: nothing in ``imgbalance`` uses it.

Usage: python benchmarks/probe_search_alternatives.py [--parts grid,ridge,halving]
"""

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from imblearn.base import BaseSampler  # noqa: E402
from imblearn.pipeline import Pipeline  # noqa: E402
from sklearn.experimental import enable_halving_search_cv  # noqa: E402,F401
from sklearn.linear_model import RidgeClassifier  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402
from sklearn.model_selection import HalvingGridSearchCV, ParameterGrid  # noqa: E402

from imgbalance import describe_strategy, make_resampling_search  # noqa: E402
from imgbalance.datasets import load_fashion_mnist, make_long_tailed  # noqa: E402


class StratifiedBudget(BaseSampler):
    """Keep the fraction ``n_samples / out_of`` of each class (at least ``min_per_class`` images).

    ``n_samples`` None or at least ``out_of``: keep them all (the last
    round, and the refit on all the data).  Images pass through untouched.
    """

    _sampling_type = "bypass"
    _parameter_constraints: dict = {}

    def __init__(self, n_samples=None, out_of=None, min_per_class=6, random_state=None):
        self.n_samples = n_samples
        self.out_of = out_of
        self.min_per_class = min_per_class
        self.random_state = random_state

    def fit_resample(self, X, y, **params):
        return self._fit_resample(X, y)

    def _fit_resample(self, X, y):
        y = np.asarray(y)
        if self.n_samples is None or self.n_samples >= self.out_of:
            return X, y
        rng = np.random.RandomState(self.random_state)
        share = self.n_samples / self.out_of
        keep = []
        for label in np.unique(y):
            rows = np.flatnonzero(y == label)
            n_keep = min(len(rows), max(self.min_per_class, round(share * len(rows))))
            keep.append(rng.choice(rows, n_keep, replace=False))
        keep = np.sort(np.concatenate(keep))
        return X[keep], y[keep]


def stratified_halving(grid_search, y, factor):
    """The default grid's candidates in a halving search over a stratified budget.

    Round ``i`` keeps ``factor ** (i - last)`` of each training fold: 1/9,
    1/3 and all of it with factor 3 and 21 candidates.
    """
    n_candidates = len(ParameterGrid(grid_search.param_grid))
    n_rounds = 1 + math.floor(math.log(n_candidates, factor))
    n_train = min(len(train) for train, _ in grid_search.cv.split(np.zeros(len(y)), y))
    first = math.ceil(n_train / factor ** (n_rounds - 1))
    pipeline = Pipeline([("budget", StratifiedBudget(out_of=first * factor ** (n_rounds - 1),
                                                     random_state=0))]
                        + grid_search.estimator.steps)
    return HalvingGridSearchCV(
        pipeline, grid_search.param_grid, resource="budget__n_samples",
        min_resources=first, max_resources=first * factor ** (n_rounds - 1), factor=factor,
        cv=grid_search.cv, scoring=grid_search.scoring, n_jobs=2, random_state=0)


def run(name, search, data, reference_seconds):
    X, y, X_test, y_test = data
    start = time.perf_counter()
    search.fit(X, y)
    seconds = time.perf_counter() - start
    best = search.best_params_
    value = best.get("clf__C", best.get("clf__alpha"))
    test = balanced_accuracy_score(y_test, search.predict(X_test))
    ratio = f", {reference_seconds / seconds:.2f}x the grid" if reference_seconds else ""
    rounds = (f", rounds {list(search.n_resources_)} x {list(search.n_candidates_)} candidates"
              if hasattr(search, "n_resources_") else "")
    print(f"{name:<22} {seconds:6.1f} s (refit {search.refit_time_:.1f} s{rounds}{ratio})  "
          f"best {describe_strategy(best)} ({value}, cv {search.best_score_:.4f}), "
          f"test balanced accuracy {test:.4f}", flush=True)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="grid,ridge,halving")
    args = parser.parse_args(argv)
    X, y = load_fashion_mnist("train")
    X_test, y_test = load_fashion_mnist("test")
    X, y = make_long_tailed(X, y, imbalance_ratio=100, random_state=0)
    data = (X, y, X_test, y_test)
    print(f"# python benchmarks/probe_search_alternatives.py --parts {args.parts}")
    print(f"long-tailed Fashion-MNIST: {len(y)} training images, test {len(y_test)}; n_jobs=2")
    parts = args.parts.split(",")
    grid = make_resampling_search(n_jobs=2, random_state=0)
    reference = run("default grid", grid, data, None) if "grid" in parts else None
    if "ridge" in parts:
        ridge = make_resampling_search(classifier=RidgeClassifier(), n_jobs=2, random_state=0,
                                       param_grid={"clf__alpha": [30.0, 100.0, 300.0, 1000.0]})
        run("RidgeClassifier grid", ridge, data, reference)
    if "halving" in parts:
        for factor in (3, 4):
            run(f"stratified halving, {factor}", stratified_halving(grid, y, factor), data,
                reference)


if __name__ == "__main__":
    main()
