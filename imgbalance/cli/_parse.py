"""Parse: the argument parser of ``imgbalance`` and its argument types.

Every type names what it received and what it expected, so that a bad
argument is a one-line argparse error (exit status 2) before any work.
"""

import argparse
from pathlib import Path

import numpy as np

from .. import __version__
from ..search import DEFAULT_C_GRID, FEATURES, STRATEGIES

__all__ = ["CLASSIFIERS", "build_parser"]

#: The classifiers ``--classifier`` offers (built in ``_run.py``).
CLASSIFIERS = ("linear-svc", "logistic-regression", "ridge")


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
    _add_data_arguments(compare)
    _add_search_arguments(compare)
    _add_run_arguments(compare)
    return parser


def _add_data_arguments(compare):
    """Which images, and how the training part is made long-tailed."""
    compare.add_argument(
        "--data", default="digits", metavar="digits|fashion-mnist|PATH",
        help="'digits' (scikit-learn's bundled 8x8 digits, the default), "
        "'fashion-mnist' (the Debian package's copy, else a verified download "
        "into scikit-learn's data home), or a folder with one subfolder of "
        "images per class",
    )
    compare.add_argument(
        "--imbalance-ratio", type=_at_least(1, _positive_float), default=None, metavar="R",
        help="make the training part long-tailed: class c keeps n_max * R^(-c/(C-1)) "
        "images; R >= 1, 1 keeps the data as it is (default: 10 for digits, 100 for "
        "fashion-mnist, 1 for a folder). Classes are ranked by label for digits and "
        "fashion-mnist (the benchmarks' protocol), by decreasing number of images "
        "for a folder. The test split is never altered",
    )
    compare.add_argument("--test-size", type=_test_size, default=0.25, metavar="F",
                         help="fraction held out for testing (default: 0.25; "
                         "ignored for fashion-mnist)")
    compare.add_argument("--image-size", type=_positive_int, nargs=2, default=None,
                         metavar=("H", "W"), help="resize folder images to H x W")
    compare.add_argument("--color-mode", choices=("grayscale", "rgb"), default=None,
                         help="colour mode for folder images (default: grayscale)")
    compare.add_argument("--skip-unreadable", action="store_true",
                         help="skip (with a warning) files of a folder that are not "
                         "readable images, instead of stopping")


def _add_search_arguments(compare):
    """Features, strategies, classifier and its grid, folds."""
    compare.add_argument(
        "--features", choices=FEATURES, default="hog+pixels",
        help="HOG descriptors beside the min-max scaled pixels, weighted so that "
        "the two parts have similar norms (0.5 for 28x28 greyscale images; the "
        "default), HOG descriptors only, or standardised raw pixels only",
    )
    compare.add_argument(
        "--hog-pixels-per-cell", type=_positive_int, default=None, metavar="P",
        help="HOG cell size in pixels (default: the smaller image side // 7, at least 2: "
             "7 cells across 28x28 images, 4 across 8x8 digits)",
    )
    compare.add_argument(
        "--strategies", type=_strategy_list, default=list(STRATEGIES), metavar="LIST",
        help="comma-separated strategies to compare (default: all of "
        + ",".join(STRATEGIES) + ")",
    )
    compare.add_argument(
        "--classifier", choices=CLASSIFIERS, default="linear-svc",
        help="the classifier of every strategy (default: linear-svc)",
    )
    compare.add_argument(
        "--C", dest="C", type=_float_list, default=list(DEFAULT_C_GRID), metavar="LIST",
        help="comma-separated regularisation values searched for every strategy "
        "(C, or alpha = 1/C for ridge; default: 0.003,0.01,0.03)",
    )
    compare.add_argument("--cv", type=_at_least(2, _int), default=3, metavar="K",
                         help="number of cross-validation folds, >= 2 (default: 3)")


def _add_run_arguments(compare):
    """Parallelism, seed and outputs."""
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
