"""The ceiling the strategies chase: a *balanced* training set of the same size.

``imgbalance compare --data fashion-mnist --imbalance-ratio 100`` trains on
a long-tailed subset of the Fashion-MNIST training set (14,886 images, the
rarest class 60).  This script draws a balanced subset of the same size from
the same training set (1,488-1,489 images per class), fits the same pipeline
(HOG (4, 4) x (2, 2), ``LinearSVC`` as configured by
``make_resampling_search``, C chosen by the same 3-fold CV) with no
resampling, and prints its balanced accuracy on the full test set -- next to
the long-tailed set without resampling, for reference.

``--features hog+pixels`` uses the features of ``imgbalance compare
--features hog+pixels`` (HOG beside the min-max scaled pixels) instead, so
that strategy results with those features can be read against a ceiling
with the same features.

Usage::

    python benchmarks/balanced_reference.py [--features hog|hog+pixels] [--C 0.003,0.01,0.03]
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import balanced_accuracy_score, recall_score

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from imgbalance import make_resampling_search  # noqa: E402
from imgbalance.datasets import fetch_fashion_mnist  # noqa: E402
from imgbalance.datasets import load_fashion_mnist, make_long_tailed  # noqa: E402


def training_sets(seed=0):
    """The long-tailed training set of ``imgbalance compare``, a balanced one of
    the same size, and the test set: three ``(X, y)`` pairs."""
    X, y = load_fashion_mnist("train", download=False)
    X_test, y_test = load_fashion_mnist("test", download=False)
    X_lt, y_lt = make_long_tailed(X, y, imbalance_ratio=100, random_state=seed)
    rng = np.random.default_rng(seed)
    n = len(y_lt)
    per_class = [n // 10 + (c < n % 10) for c in range(10)]
    keep = np.sort(np.concatenate(
        [rng.choice(np.flatnonzero(y == c), k, replace=False) for c, k in enumerate(per_class)]
    ))
    return (X_lt, y_lt), (X[keep], y[keep]), (X_test, y_test)


def main(seed=0, features="hog", C=None):
    long_tailed, balanced, (X_test, y_test) = training_sets(seed)
    for name, (X_train, y_train) in [("long-tailed, no resampling", long_tailed),
                                     ("balanced, same size", balanced)]:
        start = time.perf_counter()
        grid = None if C is None else {"clf__C": C}
        search = make_resampling_search(["none"], features=features, param_grid=grid,
                                        n_jobs=-1, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X_train, y_train)
        y_pred = search.predict(X_test)
        score = balanced_accuracy_score(y_test, y_pred)
        recalls = recall_score(y_test, y_pred, average=None)
        print(f"{name:<28} {len(y_train)} images, class counts {np.bincount(y_train).tolist()}")
        print(f"{'':<28} C={search.best_params_['clf__C']}, test balanced accuracy {score:.3f} "
              f"({time.perf_counter() - start:.0f} s)")
        print(f"{'':<28} recall per class: "
              + ", ".join(f"{c} {r:.2f}" for c, r in zip(fetch_fashion_mnist("test", download_if_missing=False).target_names, recalls)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", choices=("hog", "hog+pixels"), default="hog")
    parser.add_argument("--C", type=lambda s: [float(v) for v in s.split(",")], default=None,
                        help="comma-separated C grid (default: make_resampling_search's)")
    args = parser.parse_args()
    main(features=args.features, C=args.C)
