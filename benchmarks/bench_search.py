"""Benchmark: a resampling-strategy search, hand-built vs imgbalance, in one run.

The same grid -- 5 strategies (none, class_weight, random_under, smote,
augmentation) x 3 values of C, 3-fold stratified CV, balanced accuracy --
on long-tailed Fashion-MNIST (imbalance ratio 100, about 11,000 training
images: ``--n-max`` images of the largest class), twice:

(a) **hand-built**, the way users assemble it today: an
    ``imblearn.pipeline.Pipeline`` with a ``FunctionTransformer`` that calls
    ``skimage.feature.hog`` per image, a Keras-style augmentation sampler
    written with a per-image ``scipy.ndimage.affine_transform`` loop inside
    an ``imblearn.FunctionSampler``, imbalanced-learn's samplers, scikit-
    learn's default ``LinearSVC()``, no cache;
(b) **imgbalance**: ``make_resampling_search(features="hog")`` with the
    batched ``HOGTransformer``, ``AugmentationOverSampler``, its default
    classifier and ``memory=`` (a temporary cache directory); its ``"smote"``
    is ``AdaptiveSMOTE``, the same as SMOTE here (no class is small enough
    for it to lower ``k_neighbors``).

Both use the same folds, C values and augmentation ranges.  It prints both
wall times, the ratio, each search's best strategy and the test-set
balanced accuracy of each refitted best pipeline on the full, balanced
Fashion-MNIST test set.

Usage::

    python benchmarks/bench_search.py              # the full benchmark (about 7 minutes on 2 cores)
    python benchmarks/bench_search.py --quick      # n_max=1500, C in (0.1,): a quick check
    python benchmarks/bench_search.py --only imgbalance
"""

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STRATEGIES = ["none", "class_weight", "random_under", "smote", "augmentation"]
AUGMENT = dict(rotation_range=10, width_shift_range=0.1, height_shift_range=0.1, zoom_range=0.1)


def load(n_max, ratio, seed):
    from imgbalance.datasets import load_fashion_mnist, make_long_tailed

    X, y = load_fashion_mnist("train", download=False)
    X_test, y_test = load_fashion_mnist("test", download=False)
    rng = np.random.default_rng(seed)
    keep = np.sort(np.concatenate(
        [rng.choice(np.flatnonzero(y == c), n_max, replace=False) for c in range(10)]
    ))
    X, y = make_long_tailed(X[keep], y[keep], imbalance_ratio=ratio, random_state=seed)
    return X, y, X_test, y_test


# --- (a) hand-built -------------------------------------------------------------


def _skimage_hog(X):
    from skimage.feature import hog

    return np.stack([hog(x, orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2)) for x in X])


def _keras_style_augment(X, y, *, seed):
    """Over-sample every class to the majority's size with per-image random affine warps."""
    from scipy import ndimage

    rng = np.random.default_rng(seed)
    counts = np.bincount(y)
    new_X, new_y = [X], [y]
    h, w = X.shape[1:3]
    center = np.array([(h - 1) / 2, (w - 1) / 2])
    for klass, count in enumerate(counts):
        need = counts.max() - count
        if need <= 0:
            continue
        sources = rng.choice(np.flatnonzero(y == klass), need)
        out = np.empty((need, h, w), dtype=X.dtype)
        for i, src in enumerate(sources):
            theta = np.deg2rad(rng.uniform(-AUGMENT["rotation_range"], AUGMENT["rotation_range"]))
            shift = rng.uniform(-0.1, 0.1, 2) * (h, w)
            zoom = rng.uniform(0.9, 1.1, 2)
            c, s = np.cos(theta), np.sin(theta)
            matrix = np.array([[c, -s], [s, c]]) @ np.diag(zoom)
            offset = center - matrix @ center + shift
            out[i] = ndimage.affine_transform(X[src], matrix, offset, order=1, mode="nearest")
        new_X.append(out)
        new_y.append(np.full(need, klass))
    return np.concatenate(new_X), np.concatenate(new_y)


def hand_built_search(Cs, cv, n_jobs, seed):
    from imblearn import FunctionSampler
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.model_selection import GridSearchCV
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    pipe = Pipeline([
        ("augment", "passthrough"),
        ("hog", FunctionTransformer(_skimage_hog)),
        ("resample", "passthrough"),
        ("clf", LinearSVC(random_state=seed)),
    ])
    grid = [
        {"clf__C": Cs},
        {"clf": [LinearSVC(class_weight="balanced", random_state=seed)], "clf__C": Cs},
        {"resample": [RandomUnderSampler(random_state=seed)], "clf__C": Cs},
        {"resample": [SMOTE(random_state=seed)], "clf__C": Cs},
        {"augment": [FunctionSampler(func=_keras_style_augment, validate=False, kw_args={"seed": seed})],
         "clf__C": Cs},
    ]
    return GridSearchCV(pipe, grid, scoring="balanced_accuracy", cv=cv, n_jobs=n_jobs,
                        error_score="raise")


def describe_hand(params):
    if params.get("augment", "passthrough") != "passthrough":
        return "augmentation"
    resample = params.get("resample", "passthrough")
    if resample != "passthrough":
        return {"RandomUnderSampler": "random_under", "SMOTE": "smote"}[type(resample).__name__]
    clf = params.get("clf")
    if clf is not None and clf.class_weight == "balanced":
        return "class_weight"
    return "none"


# --- (b) imgbalance -------------------------------------------------------------


def imgbalance_search(Cs, cv, n_jobs, seed, memory):
    from imgbalance import AugmentationOverSampler, make_resampling_search

    return make_resampling_search(
        STRATEGIES,
        features="hog",  # the hand-built search's features (the default is now "hog+pixels")
        param_grid={"clf__C": Cs},
        augmentation=AugmentationOverSampler(**AUGMENT, random_state=seed),
        cv=cv,
        n_jobs=n_jobs,
        memory=memory,
        random_state=seed,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-max", type=int, default=4500, help="images of the largest class (default 4500: ~11k in all)")
    parser.add_argument("--imbalance-ratio", type=float, default=100)
    parser.add_argument("--C", type=lambda s: [float(v) for v in s.split(",")], default=[0.003, 0.01, 0.03])
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("hand-built", "imgbalance"), default=None)
    parser.add_argument("--quick", action="store_true", help="n_max=1500 and C=0.1 only")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_max, args.C = 1500, [0.1]

    from imgbalance import describe_strategy
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold

    X, y, X_test, y_test = load(args.n_max, args.imbalance_ratio, args.seed)
    print(f"long-tailed Fashion-MNIST: {len(y)} training images, class counts {np.bincount(y).tolist()}; "
          f"test set {len(y_test)} images (balanced)")
    print(f"grid: {len(STRATEGIES)} strategies x C in {args.C}, 3-fold CV, n_jobs={args.n_jobs}\n")
    cv = StratifiedKFold(3, shuffle=True, random_state=args.seed)

    results = {}
    for name in ("hand-built", "imgbalance"):
        if args.only and args.only != name:
            continue
        with tempfile.TemporaryDirectory() as cache, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning of LinearSVC at large C
            if name == "hand-built":
                search, describe = hand_built_search(args.C, cv, args.n_jobs, args.seed), describe_hand
            else:
                search, describe = imgbalance_search(args.C, cv, args.n_jobs, args.seed, cache), describe_strategy
            start = time.perf_counter()
            search.fit(X, y)
            seconds = time.perf_counter() - start
        test_ba = balanced_accuracy_score(y_test, search.predict(X_test))
        ranking = sorted(
            zip(search.cv_results_["mean_test_score"], map(describe, search.cv_results_["params"]),
                (p.get("clf__C", p.get("clf__estimator__C")) for p in search.cv_results_["params"])),
            key=lambda t: -t[0],
        )
        results[name] = dict(seconds=seconds, best=describe(search.best_params_), test_ba=test_ba)
        print(f"{name:>11}: {seconds:8.1f} s  best {results[name]['best']} "
              f"(C={search.best_params_.get('clf__C')}, cv {search.best_score_:.3f}), "
              f"test balanced accuracy {test_ba:.3f}")
        print("             cv ranking: " + ", ".join(f"{s}/C={c}: {m:.3f}" for m, s, c in ranking[:6]))
    if len(results) == 2:
        ratio = results["hand-built"]["seconds"] / results["imgbalance"]["seconds"]
        same = results["hand-built"]["best"] == results["imgbalance"]["best"]
        print(f"\nspeed-up: {ratio:.1f}x; same best strategy: {same}")


if __name__ == "__main__":
    main()
