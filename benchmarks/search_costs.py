"""Where the default strategy search spends its time, and what would cut it.

On long-tailed Fashion-MNIST (imbalance ratio 100, 14,886 training images,
the full test set):

``--part search``
    the default ``make_resampling_search(n_jobs=2, verbose=1)`` (7
    strategies x 3 C x 3 folds, ``features="hog+pixels"``): its progress
    lines, wall time, pick, test balanced accuracy, grid-edge warnings and
    the mean fit time of every candidate;
``--part weights``
    one training fold, its features computed once: ``RandomOverSampler``
    then the default ``LinearSVC`` against the same classifier fitted on the
    originals with ``sample_weight`` = how often each was drawn (the same
    objective), at each C of the default grid: fit times, agreement of the
    validation predictions, largest coefficient difference;
``--part features``
    the cost of the features of one fold against one classifier fit;
``--part solvers``
    one training fold over-sampled to 40,000 rows (what random
    over-sampling, SMOTE and augmentation fit on): the default
    ``LinearSVC`` (liblinear's dual coordinate descent) at each C of the
    default grid against its primal solver (``dual=False``), looser
    tolerances and sparse (CSR) input, with the agreement of the validation
    predictions; and the cost of a fit's first pass (``max_iter=1``: the
    conversion of the data and one pass over it per class).

Timings depend on the load of the machine; run it on an idle one and read
differences under about 20 % as noise.

Usage::

    python benchmarks/search_costs.py --part weights
    python benchmarks/search_costs.py --part solvers     # about 5 minutes on 2 cores
    python benchmarks/search_costs.py --part search      # about 5-10 minutes on 2 cores
"""

import argparse
import time
import warnings

import numpy as np


def _data():
    from imgbalance.datasets import load_fashion_mnist, make_long_tailed

    X, y = load_fashion_mnist("train")
    X, y = make_long_tailed(X, y, imbalance_ratio=100, random_state=0)
    return X, y


def _fold(X, y):
    from sklearn.model_selection import StratifiedKFold

    return next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))


def run_search(X, y):
    from sklearn.metrics import balanced_accuracy_score

    from imgbalance.datasets import load_fashion_mnist
    from imgbalance.search import describe_strategy, make_resampling_search

    search = make_resampling_search(n_jobs=2, random_state=0, verbose=1)
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    print(f"fit {time.perf_counter() - t0:.1f} s")
    X_test, y_test = load_fashion_mnist("test")
    test = balanced_accuracy_score(y_test, search.predict(X_test))
    print(f"best {describe_strategy(search.best_params_)} {search.best_params_.get('clf__C')} "
          f"cv {search.best_score_:.4f} test {test:.4f}")
    for w in caught:
        if w.category.__name__ == "GridEdgeWarning" or "SMOTE" in str(w.message):
            print(f"warning: {w.category.__name__}: {w.message}")
    r = search.cv_results_
    for p, s, t in zip(r["params"], r["mean_test_score"], r["mean_fit_time"]):
        C = p.get("clf__C", p.get("clf__estimator__C"))
        print(f"{describe_strategy(p):<14} C={C:<6} cv {s:.4f} mean fit {t:.1f} s")


def run_weights(X, y):
    from imblearn.over_sampling import RandomOverSampler
    from sklearn.base import clone

    from imgbalance.feature_extraction import make_hog_and_pixels
    from imgbalance.search import DEFAULT_C_GRID, default_classifier

    train, val = _fold(X, y)
    union = make_hog_and_pixels(pixel_weight="auto").fit(X[train])
    F, F_val = union.transform(X[train]), union.transform(X[val])
    sampler = RandomOverSampler(random_state=0)
    F_res, y_res = sampler.fit_resample(F, y[train])
    counts = np.bincount(sampler.sample_indices_, minlength=len(F)).astype(float)
    print(f"rows: {len(F)} originals -> {len(F_res)} over-sampled")
    for C in DEFAULT_C_GRID:
        clf = default_classifier(0).set_params(C=C)
        t0 = time.perf_counter()
        resampled = clone(clf).fit(F_res, y_res)
        t1 = time.perf_counter()
        weighted = clone(clf).fit(F, y[train], sample_weight=counts)
        t2 = time.perf_counter()
        same = np.mean(resampled.predict(F_val) == weighted.predict(F_val))
        diff = np.abs(resampled.coef_ - weighted.coef_).max()
        print(f"C={C}: resampled {t1 - t0:.1f} s, weighted {t2 - t1:.1f} s, same validation "
              f"predictions {same:.4f}, max |coef difference| {diff:.1e}")


def run_features(X, y):
    from imgbalance.feature_extraction import make_hog_and_pixels
    from imgbalance.search import default_classifier

    train, val = _fold(X, y)
    t0 = time.perf_counter()
    union = make_hog_and_pixels(pixel_weight="auto")
    F = union.fit_transform(X[train])
    t1 = time.perf_counter()
    union.transform(X[val])
    t2 = time.perf_counter()
    default_classifier(0).set_params(C=0.01).fit(F, y[train])
    t3 = time.perf_counter()
    print(f"features: fit_transform of {len(train)} images {t1 - t0:.1f} s, transform of "
          f"{len(val)} {t2 - t1:.1f} s; one LinearSVC fit (C=0.01, no resampling) {t3 - t2:.1f} s")


def _timed_fit(clf, X, y):
    t0 = time.perf_counter()
    clf.fit(X, y)
    return clf, time.perf_counter() - t0


def run_solvers(X, y):
    import scipy.sparse as sp
    from imblearn.over_sampling import RandomOverSampler

    from imgbalance.feature_extraction import make_hog_and_pixels
    from imgbalance.search import DEFAULT_C_GRID, default_classifier

    train, val = _fold(X, y)
    union = make_hog_and_pixels(pixel_weight="auto").fit(X[train])
    F, F_val = union.transform(X[train]), union.transform(X[val])
    F_res, y_res = RandomOverSampler(random_state=0).fit_resample(F, y[train])
    print(f"rows: {len(F)} originals -> {len(F_res)} over-sampled, {F.shape[1]} features, "
          f"{np.mean(F_res != 0):.0%} non-zero")
    csr = sp.csr_matrix(F_res)
    for name, data in (("dense", F_res), ("CSR", csr)):
        _, seconds = _timed_fit(default_classifier(0).set_params(max_iter=1), data, y_res)
        print(f"first pass, {name} input (max_iter=1): {seconds:.1f} s")
    for C in DEFAULT_C_GRID:
        reference, seconds = _timed_fit(default_classifier(0).set_params(C=C), F_res, y_res)
        expected = reference.predict(F_val)
        print(f"C={C}: default (dual, tol={reference.tol:g}) {seconds:.1f} s, "
              f"{reference.n_iter_} iterations")
        variants = {
            "primal (dual=False)": (default_classifier(0).set_params(C=C, dual=False), F_res),
            **{f"dual, tol={tol:g}": (default_classifier(0).set_params(C=C, tol=tol), F_res)
               for tol in (1e-3, 1e-2, 1e-1) if tol != reference.tol},
            "dual, CSR input": (default_classifier(0).set_params(C=C), csr),
        }
        for name, (clf, data) in variants.items():
            clf, seconds = _timed_fit(clf, data, y_res)
            same = np.mean(clf.predict(F_val) == expected)
            print(f"    {name:<20} {seconds:5.1f} s, same validation predictions {same:.4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("search", "weights", "features", "solvers"), default="weights")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Liblinear failed to converge")
    X, y = _data()
    parts = {"search": run_search, "weights": run_weights, "features": run_features,
             "solvers": run_solvers}
    parts[args.part](X, y)


if __name__ == "__main__":
    main()
