"""Load: the images of ``--data``, a stratified test split, the long tail.

Only public names of :mod:`imgbalance.datasets` are used; which classes
limited a long-tailed subset comes from ``make_long_tailed(...,
return_info=True)``, and its :class:`~imgbalance.datasets.LongTailWarning`
is said again here in command-line terms.
"""

import warnings
from pathlib import Path

import numpy as np

from ._errors import CLIError

__all__ = ["load_data"]

_DEFAULT_RATIO = {"digits": 10.0, "fashion-mnist": 100.0}


def load_data(args, log):
    """``(X_train, X_test, y_train, y_test, class_names, imbalance_ratio)``.

    The test split is never altered; the training part is made long-tailed
    when the ratio (``--imbalance-ratio``, or the data set's default) is
    above 1.  ``imbalance_ratio`` is None for a folder without the option.
    """
    folder_only = [option for option, value in (
        ("--image-size", args.image_size), ("--color-mode", args.color_mode not in (None, "grayscale")),
        ("--skip-unreadable", args.skip_unreadable)) if value]
    if args.data in ("digits", "fashion-mnist") and folder_only:
        raise CLIError(
            f"{', '.join(folder_only)}: for a folder of images (--data PATH) only; "
            f"--data {args.data} has images of a fixed size, in grayscale"
        )
    if args.data == "digits":
        X_train, X_test, y_train, y_test, names = _digits(args)
    elif args.data == "fashion-mnist":
        X_train, X_test, y_train, y_test, names = _fashion_mnist(log)
    else:
        X_train, X_test, y_train, y_test, names = _folder(args, log)
    before = np.bincount(y_train, minlength=len(names))
    if before.min() == 0:
        raise CLIError(
            f"--test-size {args.test_size:g}: class {names[int(np.argmin(before))]!r} has "
            "no training image left; lower --test-size"
        )
    ratio = args.imbalance_ratio
    if ratio is None:
        ratio = _DEFAULT_RATIO.get(args.data)
    if ratio is not None and ratio > 1:
        # digits and Fashion-MNIST follow the benchmarks' protocol (label
        # order); a folder keeps its own order of sizes (largest first)
        order = np.arange(len(names))
        if args.data not in _DEFAULT_RATIO:
            order = np.argsort(-before, kind="stable")
        X_train, y_train = _long_tail(X_train, y_train, names, order, ratio, args, log)
    return X_train, X_test, y_train, y_test, names, ratio


def _digits(args):
    from sklearn.datasets import load_digits

    digits = load_digits()
    names = [str(c) for c in digits.target_names]
    return (*_split(digits.images, digits.target, args), names)


def _fashion_mnist(log):
    from ..datasets import fetch_fashion_mnist

    log("loading Fashion-MNIST ...")
    train = fetch_fashion_mnist("train")
    test = fetch_fashion_mnist("test")
    names = [str(c) for c in train.target_names]
    return train.data, test.data, train.target, test.target, names


def _folder(args, log):
    from ..datasets import load_image_folder

    path = Path(args.data)
    if not path.exists():
        raise CLIError(
            f"--data: {args.data!r} is neither 'digits', 'fashion-mnist' nor an existing folder"
        )
    log(f"loading images from {path} ...")
    try:
        X, y, names = load_image_folder(
            path,
            image_size=tuple(args.image_size) if args.image_size else None,
            color_mode=args.color_mode or "grayscale",
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
    return (*_split(X, y, args), names)


def _split(X, y, args):
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(
            X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
        )
    except ValueError as exc:
        raise CLIError(f"--test-size {args.test_size:g}: {exc}") from exc


def _long_tail(X_train, y_train, names, order, ratio, args, log):
    """The long-tailed training part; a note names the classes that shrank it."""
    from ..datasets import LongTailWarning, make_long_tailed

    with warnings.catch_warnings():
        # said below in command-line terms (class_order is no CLI option)
        warnings.simplefilter("ignore", LongTailWarning)
        X_train, y_train, info = make_long_tailed(
            X_train, y_train, imbalance_ratio=ratio, class_order=order,
            random_state=args.random_state, return_info=True,
        )
    head, kept, had = int(info.class_order[0]), int(info.n_kept[0]), int(info.n_samples[0])
    if kept < had:  # a class too small for its place shrank the head
        limits = [names[int(c)] for c in info.limiting_classes]
        which = ", ".join(map(repr, limits))
        which = f"classes {which} are" if len(limits) > 1 else f"class {which} is"
        log(
            f"note: --imbalance-ratio {np.format_float_positional(ratio, trim='-')}: "
            f"{which} too small for the profile, so class {names[head]!r} keeps only "
            f"{kept} of its {had} training images"
        )
    return X_train, y_train
