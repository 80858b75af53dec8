"""The ``imgbalance`` command-line tool.

``imgbalance compare`` answers "which resampling strategy works for my
skewed image set?": it holds out a stratified test split, tunes every
strategy of :func:`imgbalance.make_resampling_search` by cross-validation
on the rest, and prints a table of test-split scores.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from ..feature_extraction import hog_pixel_weight, make_hog_and_pixels
from ..search import DEFAULT_C_GRID, FEATURES, STRATEGIES, default_classifier, make_resampling_search
from .._version import __version__

__all__ = ["main"]

FASHION_MNIST_CLASSES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]
_DEFAULT_RATIO = {"digits": 10.0, "fashion-mnist": 100.0}
_CLASSIFIERS = ("linear-svc", "logistic-regression", "ridge")


class CLIError(Exception):
    """An error reported as one line, without a traceback."""


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _int(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _positive_int(text):
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def _at_least(minimum, parse):
    def check(text):
        value = parse(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}, got {text!r}")
        return value

    return check


def _seed(text):
    value = _int(text)
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"expected a seed in [0, 2**32 - 1], got {text!r}")
    return value


def _n_jobs(text):
    value = _int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("n_jobs cannot be 0 (use 1, N or -1 for all cores)")
    return value


def _strategy_list(text):
    names = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in names if s not in STRATEGIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown strategy {', '.join(unknown) or '(none given)'}; choose from "
            + ",".join(STRATEGIES)
        )
    return list(dict.fromkeys(names))


def _float_list(text):
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None
    if not values or any(not np.isfinite(v) or v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive numbers, got {text!r}")
    return list(dict.fromkeys(values))  # a repeated value would only be fitted again


def _test_size(text):
    value = _positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1), got {text!r}")
    return value


def build_parser():
    """The argument parser of the ``imgbalance`` command."""
    parser = argparse.ArgumentParser(
        prog="imgbalance",
        description="Imbalanced image classification with scikit-learn and imbalanced-learn.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    compare = sub.add_parser(
        "compare",
        help="compare resampling strategies on an image set",
        description=(
            "Compare resampling strategies on an image set. A stratified test "
            "split is held out (for fashion-mnist: the official balanced test "
            "set); each strategy is tuned by stratified cross-validation on "
            "the training part with balanced accuracy, refitted, and scored "
            "on the test split. The best strategy is the one with the best "
            "cross-validated score."
        ),
        epilog=(
            "strategies: " + ", ".join(STRATEGIES) + ". "
            "Examples: 'imgbalance compare' (long-tailed digits, under a "
            "minute); 'imgbalance compare --data fashion-mnist "
            "--imbalance-ratio 100 --output results/'; 'imgbalance compare "
            "--data ./my_images --image-size 64 64'."
        ),
    )
    compare.add_argument(
        "--data", default="digits", metavar="digits|fashion-mnist|PATH",
        help="'digits' (scikit-learn's bundled 8x8 digits, the default), "
        "'fashion-mnist' (local copy or verified download), or a folder "
        "with one subfolder of images per class",
    )
    compare.add_argument(
        "--imbalance-ratio", type=_at_least(1, _positive_float), default=None, metavar="R",
        help="make the training part long-tailed: class c keeps n_max * R^(-c/(C-1)) "
        "images; R >= 1, 1 keeps the data as it is (default: 10 for digits, 100 for "
        "fashion-mnist, 1 for a folder). Classes are ranked by label for digits and "
        "fashion-mnist (the benchmarks' protocol), by decreasing number of images "
        "for a folder. The test split is never altered",
    )
    compare.add_argument(
        "--features", choices=FEATURES, default="hog",
        help="HOG descriptors (default), standardised raw pixels, or both "
        "(HOG beside the min-max scaled pixels, weighted so that the two parts "
        "have similar norms: 0.5 for 28x28 greyscale images)",
    )
    compare.add_argument(
        "--hog-pixels-per-cell", type=_positive_int, default=None, metavar="P",
        help="HOG cell size in pixels (default: about 7 cells across the image)",
    )
    compare.add_argument(
        "--strategies", type=_strategy_list, default=list(STRATEGIES), metavar="LIST",
        help="comma-separated strategies to compare (default: all of "
        + ",".join(STRATEGIES) + ")",
    )
    compare.add_argument(
        "--classifier", choices=_CLASSIFIERS, default="linear-svc",
        help="the classifier of every strategy (default: linear-svc)",
    )
    compare.add_argument(
        "--C", dest="C", type=_float_list, default=list(DEFAULT_C_GRID), metavar="LIST",
        help="comma-separated regularisation values searched for every strategy "
        "(C, or alpha = 1/C for ridge; default: 0.003,0.01,0.03)",
    )
    compare.add_argument("--cv", type=_at_least(2, _int), default=3, metavar="K",
                         help="number of cross-validation folds, >= 2 (default: 3)")
    compare.add_argument("--test-size", type=_test_size, default=0.25, metavar="F",
                         help="fraction held out for testing (default: 0.25; "
                         "ignored for fashion-mnist)")
    compare.add_argument("--image-size", type=_positive_int, nargs=2, default=None,
                         metavar=("H", "W"), help="resize folder images to H x W")
    compare.add_argument("--color-mode", choices=("grayscale", "rgb"), default="grayscale",
                         help="colour mode for folder images (default: grayscale)")
    compare.add_argument("--skip-unreadable", action="store_true",
                         help="skip (with a warning) files of a folder that are not "
                         "readable images, instead of stopping")
    compare.add_argument("--n-jobs", type=_n_jobs, default=1, metavar="N",
                         help="parallel jobs for the searches (default: 1; -1 for all cores)")
    compare.add_argument("--random-state", type=_seed, default=0, metavar="S",
                         help="seed of the split, the folds, samplers and classifiers (default: 0)")
    compare.add_argument("--output", type=Path, default=None, metavar="DIR",
                         help="write results.json, results.csv, PNG plots and "
                         "best_pipeline.joblib (fitted on the training part) to DIR")
    compare.add_argument("--quiet", action="store_true",
                         help="no progress lines: print only the results (the table, "
                         "the best parameters and the classification report)")
    return parser


def _load(args, log):
    from ..datasets import load_fashion_mnist, load_image_folder, make_long_tailed
    from ..datasets._long_tail import _fractions, _head_size

    data = args.data
    if data == "digits":
        from sklearn.datasets import load_digits

        digits = load_digits()
        X, y, names = digits.images, digits.target, [str(c) for c in digits.target_names]
        X_train, X_test, y_train, y_test = _split(X, y, args)
    elif data == "fashion-mnist":
        log("loading Fashion-MNIST ...")
        X_train, y_train = load_fashion_mnist("train")
        X_test, y_test = load_fashion_mnist("test")
        names = list(FASHION_MNIST_CLASSES)
    else:
        path = Path(data)
        if not path.exists():
            raise CLIError(
                f"--data: {data!r} is neither 'digits', 'fashion-mnist' nor an existing folder"
            )
        log(f"loading images from {path} ...")
        try:
            X, y, names = load_image_folder(
                path,
                image_size=tuple(args.image_size) if args.image_size else None,
                color_mode=args.color_mode,
                on_error="skip" if args.skip_unreadable else "raise",
                n_jobs=args.n_jobs,
            )
        except ValueError as exc:
            # name the command-line options, not the Python parameters
            message = str(exc).replace("pass image_size=(height, width)", "pass --image-size H W")
            if message.startswith("Cannot load image"):
                message += " (--skip-unreadable skips such files)"
            raise CLIError(f"--data: {message}") from exc
        counts = np.bincount(y, minlength=len(names))
        if counts.min() < 2:
            raise CLIError(
                f"--data: class {names[int(np.argmin(counts))]!r} has fewer than 2 images; "
                "a stratified test split needs at least 2 per class"
            )
        X_train, X_test, y_train, y_test = _split(X, y, args)
    before = np.bincount(y_train, minlength=len(names))
    if before.min() == 0:
        raise CLIError(
            f"--test-size {args.test_size:g}: class {names[int(np.argmin(before))]!r} has "
            "no training image left; lower --test-size"
        )
    ratio = args.imbalance_ratio if args.imbalance_ratio is not None else _DEFAULT_RATIO.get(data)
    if ratio is not None and ratio > 1:
        # digits and Fashion-MNIST follow the benchmarks' protocol (label
        # order); a folder keeps its own order of sizes (largest first)
        order = np.arange(len(names))
        if data not in ("digits", "fashion-mnist"):
            order = np.argsort(-before, kind="stable")
        with warnings.catch_warnings():
            # said below in command-line terms (class_order is no CLI option)
            warnings.filterwarnings("ignore", "make_long_tailed: class", UserWarning)
            X_train, y_train = make_long_tailed(
                X_train, y_train, imbalance_ratio=ratio, class_order=order,
                random_state=args.random_state,
            )
        after = np.bincount(y_train, minlength=len(names))
        head = int(order[0])
        if after[head] < before[head]:  # a class too small for its place shrank the head
            fractions = _fractions(len(order), ratio, "exponential")
            limits = [names[c] for c in _head_size(before, order, fractions)[1]]
            which = ", ".join(map(repr, limits))
            which = f"classes {which} are" if len(limits) > 1 else f"class {which} is"
            log(
                f"note: --imbalance-ratio {np.format_float_positional(ratio, trim='-')}: "
                f"{which} too small for the "
                f"profile, so class {names[head]!r} keeps only {after[head]} of its "
                f"{before[head]} training images"
            )
    return X_train, X_test, y_train, y_test, names, ratio


def _check_output(path):
    """Refuse an ``--output`` that could not be written, without creating it."""
    def is_entry(p):  # a dangling link or a link loop is an entry, not a free name
        try:
            p.lstat()
        except FileNotFoundError:
            return False
        return True

    try:
        if is_entry(path) and not path.is_dir():
            raise CLIError(f"--output {path}: exists and is not a folder")
        parent = path
        while not is_entry(parent):  # the nearest existing entry...
            parent = parent.parent
        if not parent.is_dir():  # ... must be a folder we can write in
            raise CLIError(f"--output {path}: '{parent}' is not a folder")
        # Unix only; -1 means no limit
        name_max = os.pathconf(parent, "PC_NAME_MAX") if hasattr(os, "pathconf") else -1
    except OSError as exc:  # a name too long, a link loop, no permission
        where = f"'{exc.filename}': " if exc.filename else ""
        raise CLIError(f"--output {path}: {where}{exc.strerror or exc}") from None
    if name_max > 0 and any(len(os.fsencode(part)) > name_max for part in path.parts):
        raise CLIError(f"--output {path}: a folder name is longer than {name_max} bytes")
    try:  # a real write (os.access says yes to root everywhere), undone at once
        os.rmdir(tempfile.mkdtemp(prefix=".imgbalance-", dir=parent))
    except OSError:
        raise CLIError(f"--output {path}: '{parent}' is not a writable folder") from None


def _ratio_str(ratio):
    """A ratio with at most two decimals, never in exponent notation."""
    return f"{ratio:.2f}".rstrip("0").rstrip(".")


def _split(X, y, args):
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(
            X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
        )
    except ValueError as exc:
        raise CLIError(f"--test-size {args.test_size:g}: {exc}") from exc


def _edge_note(search, reg, C):
    """A hint when the chosen C is the smallest or largest of several tried.

    Only for a clear choice: candidates that tie for the best score (the
    search takes the first) say nothing about the direction to go.
    """
    params = search.best_params_
    value = params.get(f"clf__{reg}", params.get(f"clf__estimator__{reg}"))
    ranks = search.cv_results_["rank_test_score"]
    if value is None or len(set(C)) < 2 or np.sum(ranks == 1) > 1:
        return ""
    c = value if reg == "C" else 1.0 / value
    if np.isclose(c, min(C), rtol=1e-9, atol=0):
        return "  [C at the low end of --C: try smaller values]"
    if np.isclose(c, max(C), rtol=1e-9, atol=0):
        return "  [C at the high end of --C: try larger values]"
    return ""


def _hog_cell(image_shape, requested):
    if requested is not None:
        return requested
    return max(2, min(image_shape[:2]) // 7)


def _classifier(name, random_state):
    from sklearn.linear_model import LogisticRegression, RidgeClassifier

    if name == "linear-svc":
        return default_classifier(random_state), "C"
    if name == "logistic-regression":
        return LogisticRegression(max_iter=1000), "C"
    return RidgeClassifier(), "alpha"


def _scores(y_true, y_pred):
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score

    recalls = recall_score(y_true, y_pred, average=None, zero_division=0)
    return {
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "f1_macro": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "geometric_mean": float(geometric_mean_score(y_true, y_pred, average="multiclass")),
        "worst_class_recall": float(recalls.min()),
        "per_class_recall": [float(r) for r in recalls],
    }


def _jsonable(params):
    out = {}
    for key, value in params.items():
        if hasattr(value, "get_params"):
            value = " ".join(repr(value).split())
        elif isinstance(value, np.generic):
            value = value.item()
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


_COLUMNS = ("strategy", "balanced_accuracy", "f1_macro", "geometric_mean",
            "worst_class_recall", "fit_seconds")


def _table(rows):
    header = (f"{'strategy':<16}{'cv bal.acc':>11}{'bal.acc':>9}{'macro-F1':>10}"
              f"{'G-mean':>8}{'worst recall':>14}{'fit s':>8}")
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['strategy']:<16}{row['cv_balanced_accuracy']:>11.3f}"
            f"{row['balanced_accuracy']:>9.3f}{row['f1_macro']:>10.3f}"
            f"{row['geometric_mean']:>8.3f}{row['worst_class_recall']:>14.3f}"
            f"{row['fit_seconds']:>8.1f}"
        )
    return "\n".join(lines)


def _write_outputs(outdir, rows, best, y_test, y_best, names, log):
    import csv

    import joblib

    outdir.mkdir(parents=True, exist_ok=True)
    results = {
        "strategies": [{k: row[k] for k in (*_COLUMNS, "cv_balanced_accuracy", "per_class_recall", "params")} for row in rows],
        "best": best["strategy"],
        "params": best["params"],
        "class_names": names,
    }
    (outdir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    with open(outdir / "results.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow((*_COLUMNS, "cv_balanced_accuracy"))
        for row in rows:
            writer.writerow([row[c] for c in (*_COLUMNS, "cv_balanced_accuracy")])
    joblib.dump(best["pipeline"], outdir / "best_pipeline.joblib")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from sklearn.metrics import ConfusionMatrixDisplay
    except ImportError:
        log("matplotlib is not installed: no PNG plots (pip install 'imgbalance[plot]')")
        return
    fig, ax = plt.subplots(figsize=(max(7, len(names) * 1.1), 4.5), layout="constrained")
    width = 0.8 / len(rows)
    positions = np.arange(len(names))
    for i, row in enumerate(rows):
        ax.bar(positions + i * width, row["per_class_recall"], width, label=row["strategy"])
    ax.set_xticks(positions + 0.4 - width / 2, names, rotation=30, ha="right")
    ax.set_ylabel("recall on the test split")
    ax.set_ylim(0, 1)
    ax.set_title("Per-class recall by strategy")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), title="strategy")
    fig.savefig(outdir / "recall_by_strategy.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
    ConfusionMatrixDisplay.from_predictions(
        y_test, y_best, display_labels=names, normalize="true", values_format=".2f",
        ax=ax, colorbar=False, xticks_rotation=45,
    )
    ax.set_title(f"Best strategy: {best['strategy']} (rows normalised)")
    fig.savefig(outdir / "confusion_matrix.png", dpi=100)
    plt.close(fig)


def compare(args):
    """Run ``imgbalance compare`` with parsed arguments; return the result rows."""
    from imblearn.metrics import classification_report_imbalanced
    from imblearn.over_sampling import SMOTE
    from sklearn.exceptions import ConvergenceWarning

    from ..feature_extraction import HOGTransformer

    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    start = time.perf_counter()
    if args.output is not None:  # before the searches, not after; created at the end
        _check_output(args.output)
    X_train, X_test, y_train, y_test, names, ratio = _load(args, log)
    counts = np.bincount(y_train, minlength=len(names))
    log(
        f"data: {args.data}, images {X_train.shape[1:]}, {len(names)} classes; "
        f"train {len(y_train)} (imbalance ratio {_ratio_str(counts.max() / counts.min())}), "
        f"test {len(y_test)}"
    )
    if counts.min() < args.cv:
        raise CLIError(
            f"--cv {args.cv}: the rarest training class has only {counts.min()} images; "
            "lower --cv or --imbalance-ratio"
        )
    if args.features in ("hog", "hog+pixels"):
        cell = _hog_cell(X_train.shape[1:], args.hog_pixels_per_cell)
        if min(X_train.shape[1:3]) < 2 * cell:
            raise CLIError(
                f"--hog-pixels-per-cell {cell}: images of size {X_train.shape[1:3]} are "
                f"smaller than one 2x2-cell block"
            )
        features = HOGTransformer(pixels_per_cell=(cell, cell), cells_per_block=(2, 2))
        described = f"HOG, {cell}x{cell}-pixel cells, 2x2-cell blocks"
        if args.features == "hog+pixels":
            weight = hog_pixel_weight(X_train.shape[1:], (cell, cell))
            features = make_hog_and_pixels(features, pixel_weight=weight)
            described += f", beside the min-max scaled pixels weighted {weight:.3g}"
    else:
        features = "pixels"
        described = "standardised pixels"
    classifier, reg = _classifier(args.classifier, args.random_state)
    grid_values = args.C if reg == "C" else [1.0 / c for c in args.C]

    # SMOTE's default 5 neighbours need 6 images of the rarest class per
    # training fold, and any SMOTE needs 2 (one neighbour).
    n_min = int(counts.min())
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
    smote_k = min(5, per_fold - 1)
    log(f"features: {described}; {args.classifier} with {reg} in {grid_values}"
        + (f"; SMOTE k_neighbors={smote_k}" if "smote" in args.strategies else ""))
    rows = []
    for i, strategy in enumerate(args.strategies, 1):
        t0 = time.perf_counter()
        search = make_resampling_search(
            [strategy], features=features, classifier=classifier,
            param_grid={f"clf__{reg}": grid_values}, cv=args.cv, n_jobs=args.n_jobs,
            random_state=args.random_state, smote=SMOTE(k_neighbors=smote_k),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X_train, y_train)
        y_pred = search.predict(X_test)
        row = {
            "strategy": strategy,
            "cv_balanced_accuracy": float(search.best_score_),
            **_scores(y_test, y_pred),
            "fit_seconds": float(search.refit_time_),
            "search_seconds": time.perf_counter() - t0,
            "params": _jsonable(search.best_params_),
            "pipeline": search.best_estimator_,
            "y_pred": y_pred,
        }
        rows.append(row)
        log(
            f"[{i}/{len(args.strategies)}] {strategy:<14} cv {row['cv_balanced_accuracy']:.3f}  "
            f"test {row['balanced_accuracy']:.3f}  ({row['search_seconds']:.1f} s)"
            + _edge_note(search, reg, args.C)
        )
    rows.sort(key=lambda r: (-r["cv_balanced_accuracy"], -r["balanced_accuracy"]))
    best = rows[0]
    print()
    print(_table(rows))
    print()
    print(f"best strategy (by cross-validated balanced accuracy): {best['strategy']}, "
          f"params {best['params']}")
    print(classification_report_imbalanced(
        y_test, best["y_pred"], target_names=names, zero_division=0, digits=3))
    if args.output is not None:
        _write_outputs(args.output, rows, best, y_test, best["y_pred"], names, log)
        log(f"wrote results to {args.output}/")
    log(f"total time {time.perf_counter() - start:.1f} s")
    return rows


def main(argv=None):
    """Entry point of the ``imgbalance`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "compare":
            compare(args)
    except CLIError as exc:
        print(f"imgbalance: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"imgbalance: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("imgbalance: interrupted", file=sys.stderr)
        return 130
    return 0
