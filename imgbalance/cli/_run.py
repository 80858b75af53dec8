"""Run: ``imgbalance compare`` -- one search per strategy on the training part.

Built from public names only: :func:`imgbalance.search.make_resampling_search`
with the features of :mod:`imgbalance.feature_extraction` and the shared
defaults of :mod:`imgbalance.search`.
"""

import time
import warnings

import numpy as np

from ..feature_extraction import hog_pixel_weight, make_hog_and_pixels
from ..search import GridEdgeWarning, default_classifier, grid_edges, make_resampling_search
from ._errors import CLIError
from ._load import load_data
from ._report import check_output, jsonable, print_summary, ratio_str, scores, write_outputs

__all__ = ["compare"]


def compare(args):
    """Run ``imgbalance compare`` with parsed arguments; return the result rows."""
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    start = time.perf_counter()
    if args.output is not None:  # before the searches, not after; created at the end
        check_output(args.output)
    X_train, X_test, y_train, y_test, names, _ = load_data(args, log)
    counts = np.bincount(y_train, minlength=len(names))
    log(
        f"data: {args.data}, images {X_train.shape[1:]}, {len(names)} classes; "
        f"train {len(y_train)} (imbalance ratio {ratio_str(counts.max() / counts.min())}), "
        f"test {len(y_test)}"
    )
    if counts.min() < args.cv:
        raise CLIError(
            f"--cv {args.cv}: the rarest training class has only {counts.min()} images; "
            "lower --cv or --imbalance-ratio"
        )
    features, described = _features(args, X_train.shape[1:])
    classifier, reg = _classifier(args.classifier, args.random_state)
    grid_values = args.C if reg == "C" else [1.0 / c for c in args.C]
    smote_k = _smote_neighbours(args, int(counts.min()))
    log(f"features: {described}; {args.classifier} with {reg} in {grid_values}"
        + (f"; SMOTE k_neighbors={smote_k}" if "smote" in args.strategies else ""))
    settings = dict(features=features, classifier=classifier,
                    param_grid={f"clf__{reg}": grid_values}, smote_k=smote_k)
    rows = []
    for i, strategy in enumerate(args.strategies, 1):
        row, search = _search_one(strategy, settings, args, X_train, y_train, X_test, y_test)
        rows.append(row)
        log(
            f"[{i}/{len(args.strategies)}] {strategy:<14} cv {row['cv_balanced_accuracy']:.3f}  "
            f"test {row['balanced_accuracy']:.3f}  ({row['search_seconds']:.1f} s)"
            + _edge_note(search, reg)
        )
    rows.sort(key=lambda r: (-r["cv_balanced_accuracy"], -r["balanced_accuracy"]))
    best = rows[0]
    print_summary(rows, best, y_test, names)
    if args.output is not None:
        write_outputs(args.output, rows, best, y_test, names, log)
        log(f"wrote results to {args.output}/")
    log(f"total time {time.perf_counter() - start:.1f} s")
    return rows


def _search_one(strategy, settings, args, X_train, y_train, X_test, y_test):
    """Tune one strategy on the training part; score it on the test split."""
    from imblearn.over_sampling import SMOTE
    from sklearn.exceptions import ConvergenceWarning

    t0 = time.perf_counter()
    search = make_resampling_search(
        [strategy], features=settings["features"], classifier=settings["classifier"],
        param_grid=settings["param_grid"], cv=args.cv, n_jobs=args.n_jobs,
        random_state=args.random_state, smote=SMOTE(k_neighbors=settings["smote_k"]),
        search="grid",  # one strategy's few candidates, every one on whole folds
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", GridEdgeWarning)  # the progress line notes it
        search.fit(X_train, y_train)
    y_pred = search.predict(X_test)
    row = {
        "strategy": strategy,
        "cv_balanced_accuracy": float(search.best_score_),
        "cv_fold_scores": [  # the spread drawn in recall_by_strategy.png
            float(search.cv_results_[f"split{k}_test_score"][search.best_index_])
            for k in range(search.n_splits_)
        ],
        **scores(y_test, y_pred),
        "fit_seconds": float(search.refit_time_),
        "search_seconds": time.perf_counter() - t0,
        "params": jsonable(search.best_params_),
        "pipeline": search.best_estimator_,
        "y_pred": y_pred,
    }
    return row, search


def _features(args, image_shape):
    """The feature step of ``--features`` and its description."""
    from ..feature_extraction import HOGTransformer

    if args.features == "pixels":
        return "pixels", "standardised pixels"
    cell = _hog_cell(image_shape, args.hog_pixels_per_cell)
    if min(image_shape[:2]) < 2 * cell:
        raise CLIError(
            f"--hog-pixels-per-cell {cell}: images of size {image_shape[:2]} are "
            f"smaller than one 2x2-cell block"
        )
    features = HOGTransformer(pixels_per_cell=(cell, cell), cells_per_block=(2, 2))
    described = f"HOG, {cell}x{cell}-pixel cells, 2x2-cell blocks"
    if args.features == "hog+pixels":
        weight = hog_pixel_weight(image_shape, (cell, cell))
        features = make_hog_and_pixels(features, pixel_weight=weight)
        described += f", beside the min-max scaled pixels weighted {weight:.3g}"
    return features, described


def _hog_cell(image_shape, requested):
    if requested is not None:
        return requested
    return max(2, min(image_shape[:2]) // 7)


def _classifier(name, random_state):
    """The classifier of ``--classifier`` and the name of its grid parameter."""
    from sklearn.linear_model import LogisticRegression, RidgeClassifier

    if name == "linear-svc":
        return default_classifier(random_state), "C"
    if name == "logistic-regression":
        return LogisticRegression(max_iter=1000), "C"
    return RidgeClassifier(), "alpha"


def _smote_neighbours(args, n_min):
    """SMOTE's ``k_neighbors`` for the rarest class ``n_min``; an error if none fits.

    SMOTE's default 5 neighbours need 6 images of the rarest class per
    training fold, and any SMOTE needs 2 (one neighbour).
    """
    per_fold = n_min * (args.cv - 1) // args.cv  # at worst, stratified
    if "smote" in args.strategies and per_fold < 2:
        # more folds leave more images per training fold, up to --cv n_min
        enough = [k for k in range(args.cv + 1, n_min + 1) if n_min * (k - 1) // k >= 2]
        raise_cv = f"use --cv {enough[0]}, " if enough else ""
        raise CLIError(
            f"--cv {args.cv}: the rarest training class has {n_min} images, so a "
            f"training fold may hold only {per_fold}, and SMOTE needs 2; {raise_cv}"
            "lower --imbalance-ratio, or leave smote out of --strategies"
        )
    return min(5, per_fold - 1)


def _edge_note(search, reg):
    """A hint when the chosen C is the smallest or largest of several tried.

    The edges are :func:`imgbalance.search.grid_edges` of the search (the
    search's own :class:`~imgbalance.search.GridEdgeWarning` is silenced in
    favour of this note); ridge's ``alpha`` is ``1 / C``, so its low edge is
    C's high edge.
    """
    for edge in grid_edges(search):
        if edge.parameter.rpartition("__")[2] != reg:
            continue
        low = (edge.side == "low") == (reg == "C")
        return (f"  [C at the {'low' if low else 'high'} end of --C: "
                f"try {'smaller' if low else 'larger'} values]")
    return ""
