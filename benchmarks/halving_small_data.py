"""The default halving search against the grid on a small long-tailed set.

On few images the first round of the default halving search fits a small
share of each training fold (with 21 candidates, 1/16: a few images a
class), where scores are noisy and the eventual winner can be dropped.  This
script runs, on 4,000 random Fashion-MNIST training images cut to a
long-tailed set (imbalance ratio 50, about 1,100 images), the default
``make_resampling_search(n_jobs=2)``, the same with ``search="grid"`` and
the halving search with its first round on a quarter of each fold
(``search_params={"min_resources": len(y) // 4}``), and prints each one's
time, pick, cross-validated score and rounds.

Usage: python benchmarks/halving_small_data.py [--n 4000] [--imbalance-ratio 50]
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--imbalance-ratio", type=float, default=50)
    args = parser.parse_args(argv)
    from imgbalance import describe_strategy, make_resampling_search
    from imgbalance.datasets import load_fashion_mnist, make_long_tailed

    X, y = load_fashion_mnist("train", download=False)
    keep = np.random.RandomState(0).permutation(len(y))[:args.n]
    X, y = make_long_tailed(X[keep], y[keep], imbalance_ratio=args.imbalance_ratio, random_state=0)
    print(f"{len(y)} long-tailed Fashion-MNIST images, class counts {np.bincount(y).tolist()}")
    variants = [("halving (default)", {}), ("grid", {"search": "grid"}),
                ("halving, 1/4 first", {"search_params": {"min_resources": len(y) // 4}})]
    for name, kwargs in variants:
        search = make_resampling_search(n_jobs=2, **kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            search.fit(X, y)
            seconds = time.perf_counter() - start
        best = search.best_params_
        C = best.get("clf__C", best.get("clf__estimator__C"))
        rounds = (f", rounds {list(map(int, search.n_resources_))} samples x "
                  f"{list(map(int, search.n_candidates_))} candidates"
                  if hasattr(search, "n_resources_") else "")
        print(f"{name:<20} {seconds:5.1f} s  best {describe_strategy(best)} (C={C}, cv "
              f"{search.best_score_:.4f}){rounds}", flush=True)


if __name__ == "__main__":
    main()
