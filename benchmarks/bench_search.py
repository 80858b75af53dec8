"""Benchmark: the strategy search against its baseline commit and against a hand-built search.

Two comparisons, each timed side by side in one run on long-tailed
Fashion-MNIST (imbalance ratio 100) and scored on the full, balanced
Fashion-MNIST test set:

``--part baseline``
    today's default call,
    ``make_resampling_search(features="hog+pixels", n_jobs=..., random_state=0)``,
    run on the code of issue 17's baseline commit ``2966f67`` (an exhaustive
    grid: 7 strategies x C in {0.003, 0.01, 0.03} x 3 folds), against the same
    call on this checkout (a halving search over the same candidates since
    the default became ``search="halving"``; ``--search grid`` times the
    exhaustive grid instead), on the 14,886-image long-tailed training set of
    the CLI and the README.  The baseline's package is extracted from git
    (``git archive 2966f67 imgbalance``) into a temporary directory; each
    side runs in its own Python process (two versions of one package cannot
    share a process) on the same arrays.  Prints both wall times, the
    ratio, both picks (strategy, C, CV score) and both test balanced
    accuracies.  Needs a git checkout.
``--part hand-built``
    5 strategies (none, class_weight, random_under, smote, augmentation) x
    3 values of C, 3-fold stratified CV, balanced accuracy, on about 11,000
    long-tailed images (``--n-max`` images of the largest class), twice:

    (a) **hand-built**, the way users assemble it today: an
        ``imblearn.pipeline.Pipeline`` with a ``FunctionTransformer`` that
        calls ``skimage.feature.hog`` per image, a Keras-style augmentation
        sampler written with a per-image ``scipy.ndimage.affine_transform``
        loop inside an ``imblearn.FunctionSampler``, imbalanced-learn's
        samplers, scikit-learn's default ``LinearSVC()``, no cache;
    (b) **imgbalance**: ``make_resampling_search(features="hog")`` (its
        default halving search over the same candidates) with the
        batched ``HOGTransformer``, ``AugmentationOverSampler``, its default
        classifier and ``memory=`` (a temporary cache directory); its
        ``"smote"`` is ``AdaptiveSMOTE``, the same as SMOTE here (no class is
        small enough for it to lower ``k_neighbors``).

    Both use the same folds, C values and augmentation ranges.  It prints
    both wall times, the ratio, each search's best strategy and the test-set
    balanced accuracy of each refitted best pipeline.

Usage::

    python benchmarks/bench_search.py                      # both parts (about 18 minutes on 2 cores)
    python benchmarks/bench_search.py --part baseline      # 2966f67 vs this checkout
    python benchmarks/bench_search.py --part baseline --search grid   # ... this checkout's exhaustive grid
    python benchmarks/bench_search.py --part hand-built    # hand-built vs imgbalance
    python benchmarks/bench_search.py --part hand-built --quick   # n_max=1500, C in (0.1,)
    python benchmarks/bench_search.py --part hand-built --only imgbalance
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
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


# --- baseline: issue 17's commit against this checkout ---------------------------

BASELINE = "2966f67"

#: Run in a fresh process with the package to time first on sys.path:
#: argv = (package root, data .npz, n_jobs, seed, search); prints one JSON line.
_SIDE = r"""
import json, sys, time, warnings
sys.path.insert(0, sys.argv[1])
import numpy as np
from sklearn.metrics import balanced_accuracy_score
import imgbalance
from imgbalance import describe_strategy, make_resampling_search
data = np.load(sys.argv[2])
extra = {"search": sys.argv[5]} if sys.argv[5] != "default" else {}
search = make_resampling_search(features="hog+pixels", n_jobs=int(sys.argv[3]),
                                random_state=int(sys.argv[4]), **extra)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    search.fit(data["X"], data["y"])
    seconds = time.perf_counter() - start
test = balanced_accuracy_score(data["y_test"], search.predict(data["X_test"]))
best = search.best_params_
print(json.dumps(dict(
    package=imgbalance.__file__, seconds=seconds, refit_seconds=search.refit_time_,
    best=describe_strategy(best), C=best.get("clf__C", best.get("clf__estimator__C")),
    cv=search.best_score_, test=test, n_candidates=len(search.cv_results_["params"]),
)))
"""


def _baseline_package(tmp):
    """Extract the baseline commit's ``imgbalance`` package into ``tmp``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE, "imgbalance"],
        check=True, capture_output=True,
    ).stdout
    # the archive is this repository's own; the "data" filter where Python has it (3.10.12+)
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, **safe)
    return tmp


def _run_side(package_root, data_path, n_jobs, seed, search="default"):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-c", _SIDE, str(package_root), str(data_path), str(n_jobs), str(seed), search],
        capture_output=True, text=True, env=env, cwd=package_root,
    )
    if run.returncode != 0:
        raise RuntimeError(f"the search of {package_root} failed:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def baseline_part(args):
    from imgbalance.datasets import load_fashion_mnist, make_long_tailed

    X, y = load_fashion_mnist("train", download=False)
    X, y = make_long_tailed(X, y, imbalance_ratio=args.imbalance_ratio, random_state=args.seed)
    X_test, y_test = load_fashion_mnist("test", download=False)
    print(f"== {BASELINE} vs this checkout: make_resampling_search(features='hog+pixels', "
          f"n_jobs={args.n_jobs}, random_state={args.seed}), defaults otherwise"
          + (f"; this checkout with search={args.search!r}" if args.search != "default" else ""))
    print(f"long-tailed Fashion-MNIST: {len(y)} training images, class counts "
          f"{np.bincount(y).tolist()}; test set {len(y_test)} images (balanced)\n")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.npz"
        np.savez(data, X=X, y=y, X_test=X_test, y_test=y_test)
        sides = {BASELINE: _baseline_package(Path(tmp) / "baseline"), "this checkout": ROOT}
        for name, package_root in sides.items():
            search = args.search if name == "this checkout" else "default"
            r = results[name] = _run_side(package_root, data, args.n_jobs, args.seed, search)
            if not Path(r["package"]).resolve().is_relative_to(Path(package_root).resolve()):
                raise RuntimeError(f"{name}: imported {r['package']}, not the package under {package_root}")
            print(f"{name:>13}: {r['seconds']:7.1f} s (refit {r['refit_seconds']:.1f} s, "
                  f"{r['n_candidates']} candidate evaluations)  best {r['best']} (C={r['C']}, cv "
                  f"{r['cv']:.4f}), test balanced accuracy {r['test']:.4f}", flush=True)
    old, new = results[BASELINE], results["this checkout"]
    print(f"\nspeed-up over {BASELINE}: {old['seconds'] / new['seconds']:.2f}x; test balanced "
          f"accuracy {new['test'] - old['test']:+.4f}; same pick: "
          f"{(old['best'], old['C']) == (new['best'], new['C'])}\n")


# --- hand-built against imgbalance ----------------------------------------------


def hand_built_part(args):
    from imgbalance import describe_strategy
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold

    n_max, Cs = (1500, [0.1]) if args.quick else (args.n_max, args.C)
    X, y, X_test, y_test = load(n_max, args.imbalance_ratio, args.seed)
    print("== hand-built vs imgbalance")
    print(f"long-tailed Fashion-MNIST: {len(y)} training images, class counts {np.bincount(y).tolist()}; "
          f"test set {len(y_test)} images (balanced)")
    print(f"grid: {len(STRATEGIES)} strategies x C in {Cs}, 3-fold CV, n_jobs={args.n_jobs}\n")
    cv = StratifiedKFold(3, shuffle=True, random_state=args.seed)

    results = {}
    for name in ("hand-built", "imgbalance"):
        if args.only and args.only != name:
            continue
        with tempfile.TemporaryDirectory() as cache, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning of LinearSVC at large C
            if name == "hand-built":
                search, describe = hand_built_search(Cs, cv, args.n_jobs, args.seed), describe_hand
            else:
                search, describe = imgbalance_search(Cs, cv, args.n_jobs, args.seed, cache), describe_strategy
            start = time.perf_counter()
            search.fit(X, y)
            seconds = time.perf_counter() - start
        test_ba = balanced_accuracy_score(y_test, search.predict(X_test))
        results = search.cv_results_
        last = (np.asarray(results["iter"]) == np.max(results["iter"]) if "iter" in results
                else np.ones(len(results["params"]), bool))  # halving: its last round only
        ranking = sorted(
            ((m, describe(p), p.get("clf__C", p.get("clf__estimator__C")))
             for m, p, keep in zip(results["mean_test_score"], results["params"], last) if keep),
            key=lambda t: -t[0],
        )
        results[name] = dict(seconds=seconds, best=describe(search.best_params_), test_ba=test_ba)
        print(f"{name:>11}: {seconds:8.1f} s  best {results[name]['best']} "
              f"(C={search.best_params_.get('clf__C')}, cv {search.best_score_:.3f}), "
              f"test balanced accuracy {test_ba:.3f}", flush=True)
        print("             cv ranking: " + ", ".join(f"{s}/C={c}: {m:.3f}" for m, s, c in ranking[:6]))
    if len(results) == 2:
        ratio = results["hand-built"]["seconds"] / results["imgbalance"]["seconds"]
        same = results["hand-built"]["best"] == results["imgbalance"]["best"]
        print(f"\nspeed-up: {ratio:.1f}x; same best strategy: {same}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("all", "baseline", "hand-built"), default="all")
    parser.add_argument("--n-max", type=int, default=4500,
                        help="hand-built part: images of the largest class (default 4500: ~11k in all)")
    parser.add_argument("--imbalance-ratio", type=float, default=100)
    parser.add_argument("--C", type=lambda s: [float(v) for v in s.split(",")], default=[0.003, 0.01, 0.03],
                        help="hand-built part: the C grid")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("hand-built", "imgbalance"), default=None,
                        help="hand-built part: run one side only")
    parser.add_argument("--quick", action="store_true", help="hand-built part: n_max=1500 and C=0.1 only")
    parser.add_argument("--search", choices=("default", "grid", "halving"), default="default",
                        help="baseline part: the search of this checkout's side (default: its default, "
                             "halving; the baseline's is always its default, the grid)")
    args = parser.parse_args(argv)
    if args.part in ("all", "baseline"):
        baseline_part(args)
    if args.part in ("all", "hand-built"):
        hand_built_part(args)


if __name__ == "__main__":
    main()
