"""The default (halving) search against the exhaustive grid, on several long-tailed splits.

For each seed, long-tailed Fashion-MNIST (imbalance ratio 100, the
``make_long_tailed`` draw and the folds seeded with it) is searched twice
with the same candidates, ``make_resampling_search(n_jobs=2,
random_state=seed)`` (halving, the default) and the same with
``search="grid"``; both picks are scored on the full test set.  It prints
each side's time, pick, CV score and test balanced accuracy, where the
grid ranks halving's pick, and whether the picks agree.  ``bench_search.py``
times the default against the baseline commit; this script checks that the
default's decisions hold beyond the one split that benchmark uses.

Usage: python benchmarks/halving_vs_grid.py [--seeds 0,1,2]   (about 6 minutes per seed on 2 cores)
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sklearn.metrics import balanced_accuracy_score  # noqa: E402

from imgbalance import describe_strategy, make_resampling_search  # noqa: E402
from imgbalance.datasets import load_fashion_mnist, make_long_tailed  # noqa: E402


def _pick(params):
    return describe_strategy(params), params.get("clf__C", params.get("clf__estimator__C"))


def run(search, X, y, X_test, y_test):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # grid edges, AdaptiveSMOTE notes
        start = time.perf_counter()
        search.fit(X, y)
        seconds = time.perf_counter() - start
    test = balanced_accuracy_score(y_test, search.predict(X_test))
    return seconds, _pick(search.best_params_), search.best_score_, test


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args(argv)
    X_all, y_all = load_fashion_mnist("train", download=False)
    X_test, y_test = load_fashion_mnist("test", download=False)
    print(f"# python benchmarks/halving_vs_grid.py --seeds {args.seeds}")
    for seed in map(int, args.seeds.split(",")):
        X, y = make_long_tailed(X_all, y_all, imbalance_ratio=100, random_state=seed)
        print(f"seed {seed}: {len(y)} training images, test {len(y_test)}")
        picks = {}
        for name, kwargs in (("halving", {}), ("grid", {"search": "grid"})):
            search = make_resampling_search(n_jobs=2, random_state=seed, **kwargs)
            seconds, pick, cv, test = picks[name] = run(search, X, y, X_test, y_test)
            print(f"  {name:<8} {seconds:6.1f} s  best {pick[0]} (C={pick[1]}, cv {cv:.4f}), "
                  f"test balanced accuracy {test:.4f}", flush=True)
            if name == "grid":
                results = search.cv_results_
                order = np.argsort(-results["mean_test_score"], kind="stable")
                ranked = [_pick(results["params"][i]) for i in order]
                rank = ranked.index(picks["halving"][1]) + 1
        halving, grid = picks["halving"], picks["grid"]
        print(f"  same pick: {halving[1] == grid[1]}; halving's pick is the grid's number {rank}; "
              f"test {halving[3] - grid[3]:+.4f}; {grid[0] / halving[0]:.2f}x faster\n", flush=True)


if __name__ == "__main__":
    main()
