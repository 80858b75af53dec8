"""Fashion-MNIST: local IDX files first, verified download otherwise."""

import os
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._download import DownloadError, download_verified
from ._idx import load_idx

__all__ = ["fetch_fashion_mnist", "load_fashion_mnist"]

#: Base URL the four gzip files are downloaded from (the file name is appended).
#: Zalando Research's repository, served over HTTPS; the files are the ones
#: also published on ``http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/``.
FASHION_MNIST_BASE_URL = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
)

#: SHA-256 of the official gzip files (whose MD5s, ``8d4fb7e6...``,
#: ``25c81989...``, ``bef4ecab...``, ``bb300cfd...``, are the ones Zalando
#: publishes and torchvision checks).  Debian's ``dataset-fashion-mnist``
#: ships the same deflate streams with the gzip header's file name and
#: time stamp removed, so its ``.gz`` files hash differently: restoring the
#: two header fields reproduces these checksums exactly (see the tests).
#: Local files are therefore validated by :func:`load_idx` only, and these
#: checksums are used for downloads.
FASHION_MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
    ),
    "train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
    ),
}

#: System-wide location of Debian's ``dataset-fashion-mnist`` package.
SYSTEM_DATA_DIR = Path("/usr/share/datasets/fashion-mnist")

_ENV_VAR = "IMGBALANCE_DATA"
_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
#: The class names, in label order (Xiao et al., 2017).
_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
_SUBFOLDER = "fashion_mnist"  # of scikit-learn's data home
_DESCR = """\
Fashion-MNIST
=============

Zalando's article images (Xiao, Rasul and Vollgraf, 2017): 28x28 grayscale
images (uint8, 0-255) of 10 clothing classes, 60,000 for training and
10,000 for testing, 6,000 and 1,000 per class (balanced).

==============  ============================================
Classes         10: {names}
Samples         70,000 (train 60,000, test 10,000)
Image shape     28 x 28, one channel, uint8
Source          https://github.com/zalandoresearch/fashion-mnist (MIT licence)
==============  ============================================

Use imgbalance.datasets.make_long_tailed on the training part for the
long-tailed benchmarks; keep the balanced test part for scoring.

H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset
for Benchmarking Machine Learning Algorithms", 2017, arXiv:1708.07747.
""".format(names=", ".join(_CLASS_NAMES))


def _default_cache_dir():
    return Path(os.path.expanduser("~")) / ".cache" / "imgbalance"


def _env_dir():
    value = os.environ.get(_ENV_VAR)
    return Path(value).expanduser() if value else None


def _as_dir(data_home):
    if data_home is None:
        return None
    if not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(
            "data_home must be None, a str or os.PathLike, got "
            f"{type(data_home).__name__} ({data_home!r})."
        )
    return Path(data_home).expanduser()


def _find_local(names, candidates):
    for directory in candidates:
        if directory is not None and all((directory / n).is_file() for n in names):
            return directory
    return None


def _locate(names, candidates, target, download, *, enable, places):
    """The folder holding both files ``names``, downloaded into ``target`` if needed.

    ``candidates`` are searched in order (None entries are skipped).  The
    error messages name the caller's parameters: ``enable`` how to allow
    downloads, ``places`` where a user may put the files.
    """
    directory = _find_local(names, candidates)
    if directory is not None:
        return directory
    searched = ", ".join(f"'{d}'" for d in dict.fromkeys(c for c in candidates if c))
    if not download:
        raise FileNotFoundError(
            f"Fashion-MNIST files {names[0]} and {names[1]} were not found in "
            f"any of {searched}; {enable} to download them into '{target}', or put "
            f"them in {places}."
        )
    for name in names:
        if (target / name).is_file():
            continue
        url = FASHION_MNIST_BASE_URL.rstrip("/") + "/" + name
        try:
            download_verified(url, FASHION_MNIST_SHA256[name], target / name)
        except DownloadError as exc:
            raise OSError(
                f"Fashion-MNIST file {exc} The files are not in any of {searched} either: "
                f"install them (Debian: apt-get install dataset-fashion-mnist, into "
                f"'{SYSTEM_DATA_DIR}'), or put them in {places}."
            ) from exc.__cause__
    return target


def _read_split(directory, names):
    """Images and labels of one split from ``directory``, checked."""
    images_path, labels_path = (directory / n for n in names)
    X = load_idx(images_path)
    labels = load_idx(labels_path)
    if X.ndim != 3 or X.shape[1:] != (28, 28) or X.dtype != np.uint8:
        raise ValueError(
            f"Fashion-MNIST image file '{images_path}' holds an array of shape "
            f"{X.shape} and dtype {X.dtype}, expected (n_samples, 28, 28) uint8."
        )
    if labels.ndim != 1 or labels.shape[0] != X.shape[0]:
        raise ValueError(
            f"Fashion-MNIST label file '{labels_path}' holds shape {labels.shape}, "
            f"expected ({X.shape[0]},) to match '{images_path}'."
        )
    y = labels.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() > 9):
        raise ValueError(
            f"Fashion-MNIST label file '{labels_path}' holds labels in "
            f"[{y.min()}, {y.max()}], expected 0-9."
        )
    return X, y


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} ({value!r}).")


def load_fashion_mnist(kind="train", data_home=None, *, download=True):
    """Load the Fashion-MNIST training or test set.

    Fashion-MNIST (Xiao et al., 2017) holds 28x28 grayscale images of 10
    clothing classes: 60,000 for training, 10,000 for testing, balanced.
    Use :func:`make_long_tailed` to derive an imbalanced version, and
    :func:`fetch_fashion_mnist` for the scikit-learn-style loader (a
    ``Bunch`` with the class names, cached in scikit-learn's data home).

    The IDX files (``train-images-idx3-ubyte.gz``,
    ``train-labels-idx1-ubyte.gz``, ``t10k-...`` for the test set) are read
    from the first of these directories that holds both files of ``kind``:

    1. ``data_home``, if given;
    2. the directory named by the environment variable ``IMGBALANCE_DATA``;
    3. ``/usr/share/datasets/fashion-mnist`` (Debian/Ubuntu package
       ``dataset-fashion-mnist``);
    4. ``~/.cache/imgbalance``.

    If none has them and ``download`` is True, the missing official files
    are downloaded into ``data_home``, else ``$IMGBALANCE_DATA``, else
    ``~/.cache/imgbalance`` (files sit directly in that directory). Each
    download goes to a temporary file in the same directory, is checked
    against the official SHA-256 checksum and only then renamed into place;
    a checksum mismatch raises and leaves no file behind.

    Parameters
    ----------
    kind : {"train", "test"}, default="train"
        Which split to load.
    data_home : str or os.PathLike, default=None
        Directory searched first and used as download target.
    download : bool, default=True
        Whether to download the files when no directory holds them.

    Returns
    -------
    X : ndarray of shape (n_samples, 28, 28), dtype uint8
        The images; ``n_samples`` is 60,000 for "train" and 10,000 for
        "test".
    y : ndarray of shape (n_samples,), dtype int64
        Class labels 0-9: T-shirt/top, Trouser, Pullover, Dress, Coat,
        Sandal, Shirt, Sneaker, Bag, Ankle boot.

    Raises
    ------
    FileNotFoundError
        If the files are found nowhere and ``download`` is False.
    OSError
        If a download fails or its checksum does not match.
    ValueError
        If the files are not valid IDX files of matching images and labels.

    References
    ----------
    .. [1] H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST: a Novel Image
       Dataset for Benchmarking Machine Learning Algorithms", 2017,
       arXiv:1708.07747.

    Examples
    --------
    With the Debian package installed, ``load_fashion_mnist("test")``
    returns 10,000 images.  Here, a directory holding two fake images in
    the same file layout is passed as ``data_home``:

    >>> import gzip, struct, tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from imgbalance.datasets import load_fashion_mnist
    >>> images = np.zeros((2, 28, 28), dtype=np.uint8)
    >>> with tempfile.TemporaryDirectory() as home:
    ...     with gzip.open(Path(home) / "t10k-images-idx3-ubyte.gz", "wb") as f:
    ...         _ = f.write(struct.pack(">4B3I", 0, 0, 8, 3, 2, 28, 28) + images.tobytes())
    ...     with gzip.open(Path(home) / "t10k-labels-idx1-ubyte.gz", "wb") as f:
    ...         _ = f.write(struct.pack(">4BI", 0, 0, 8, 1, 2) + bytes([9, 0]))
    ...     X, y = load_fashion_mnist("test", data_home=home, download=False)
    >>> X.shape, X.dtype, y
    ((2, 28, 28), dtype('uint8'), array([9, 0]))
    """
    if kind not in _FILES:
        raise ValueError(f"kind must be 'train' or 'test', got {kind!r}.")
    _check_bool("download", download)
    data_home = _as_dir(data_home)
    env_dir = _env_dir()
    names = _FILES[kind]
    candidates = [data_home, env_dir, Path(SYSTEM_DATA_DIR), _default_cache_dir()]
    target = next(d for d in (data_home, env_dir, _default_cache_dir()) if d is not None)
    directory = _locate(names, candidates, target, download,
                        enable="pass download=True", places=f"data_home or ${_ENV_VAR}")
    return _read_split(directory, names)


def fetch_fashion_mnist(
    subset="train", *, data_home=None, download_if_missing=True, return_X_y=False
):
    """Load the Fashion-MNIST images, as scikit-learn's ``fetch_*`` loaders do.

    Fashion-MNIST (Xiao et al., 2017) holds 28x28 grayscale images of 10
    clothing classes: 60,000 for training, 10,000 for testing, balanced.
    Use :func:`make_long_tailed` to derive an imbalanced version.

    The four IDX files (``train-images-idx3-ubyte.gz``, ...) are read from
    the first of these folders that holds the two files of a split:

    1. ``/usr/share/datasets/fashion-mnist`` (Debian/Ubuntu package
       ``dataset-fashion-mnist``);
    2. the ``fashion_mnist`` sub-folder of scikit-learn's data home
       (:func:`sklearn.datasets.get_data_home`: ``data_home`` if given,
       else ``$SCIKIT_LEARN_DATA``, else ``~/scikit_learn_data``).

    If neither holds them and ``download_if_missing`` is True, the missing
    official files are downloaded into the second.  Each download goes to a
    temporary file in that folder, is checked against the official SHA-256
    checksum and only then renamed into place; a checksum mismatch raises
    and leaves no file behind.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        The training set, the test set, or both (training images first).
    data_home : str or os.PathLike, default=None
        scikit-learn data home to cache the files in (see above).
    download_if_missing : bool, default=True
        Whether to download the files when no folder holds them; if False,
        a missing file raises ``FileNotFoundError``.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a ``Bunch``.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_samples, 28, 28), dtype uint8
            The images (the ``images`` shape of :func:`sklearn.datasets.load_digits`:
            one 2-D array per sample, ready for the image estimators of
            this package; ``data.reshape(len(data), -1)`` gives the 784
            pixels per row).  ``n_samples`` is 60,000 for "train", 10,000
            for "test" and 70,000 for "all".
        images : ndarray of shape (n_samples, 28, 28), dtype uint8
            The same array as ``data`` (the key of scikit-learn's image
            data sets).
        target : ndarray of shape (n_samples,), dtype int64
            Class labels 0-9.
        target_names : ndarray of shape (10,), dtype str
            The class names, ``target_names[label]``: T-shirt/top, Trouser,
            Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
        DESCR : str
            Description of the data set.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If the files are found nowhere and ``download_if_missing`` is False.
    OSError
        If a download fails or its checksum does not match.
    ValueError
        If ``subset`` is unknown, or the files are not valid IDX files of
        matching images and labels.

    See Also
    --------
    load_fashion_mnist : The same images as ``(X, y)``, with its own cache.

    References
    ----------
    .. [1] H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST: a Novel Image
       Dataset for Benchmarking Machine Learning Algorithms", 2017,
       arXiv:1708.07747.

    Examples
    --------
    With the Debian package installed (or a cached download), the test
    set's 10,000 images and their class names; ``download_if_missing=False``
    keeps this example offline:

    >>> from imgbalance.datasets import fetch_fashion_mnist
    >>> try:
    ...     test = fetch_fashion_mnist("test", download_if_missing=False)
    ... except FileNotFoundError:  # no local copy: nothing to show
    ...     test = None
    >>> test is None or (test.data.shape, test.data.dtype.name) == ((10000, 28, 28), "uint8")
    True
    >>> test is None or str(test.target_names[6]) == "Shirt"
    True
    """
    if not isinstance(subset, str) or subset not in ("train", "test", "all"):
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}.")
    _check_bool("download_if_missing", download_if_missing)
    _check_bool("return_X_y", return_X_y)
    data_home = _as_dir(data_home)
    parts = [_fetch_split(kind, data_home, download_if_missing)
             for kind in (("train", "test") if subset == "all" else (subset,))]
    X = parts[0][0] if len(parts) == 1 else np.concatenate([p[0] for p in parts])
    y = parts[0][1] if len(parts) == 1 else np.concatenate([p[1] for p in parts])
    if return_X_y:
        return X, y
    return Bunch(data=X, images=X, target=y, target_names=np.array(_CLASS_NAMES),
                 DESCR=_DESCR)


def _fetch_split(kind, data_home, download):
    names = _FILES[kind]
    directory = _find_local(names, [Path(SYSTEM_DATA_DIR)])
    if directory is None:
        from sklearn.datasets import get_data_home

        cache = Path(get_data_home(data_home)) / _SUBFOLDER
        directory = _locate(names, [Path(SYSTEM_DATA_DIR), cache], cache, download,
                            enable="pass download_if_missing=True",
                            places=f"the {_SUBFOLDER} folder of data_home")
    return _read_split(directory, names)
