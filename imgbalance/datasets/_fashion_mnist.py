"""Fashion-MNIST loader: local IDX files first, verified download otherwise."""

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from ._idx import load_idx

__all__ = ["load_fashion_mnist"]

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
_DOWNLOAD_TIMEOUT = 60  # seconds, per blocking socket operation
_CHUNK_SIZE = 1 << 20


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


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _DownloadError(OSError):
    """The server could not be reached or refused the file."""


def _download(name, directory):
    """Download ``name`` into ``directory``, verifying its SHA-256.

    The data go to a temporary file in ``directory`` that is renamed onto
    the final name only once its checksum matches, so an interrupted or
    corrupt download never leaves a file under the final name.
    """
    url = FASHION_MNIST_BASE_URL.rstrip("/") + "/" + name
    expected = FASHION_MNIST_SHA256[name]
    created = [d for d in (directory, *directory.parents) if not d.exists()]
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=directory)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response:
                for chunk in iter(lambda: response.read(_CHUNK_SIZE), b""):
                    digest.update(chunk)
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != expected:
            raise OSError(
                f"Downloaded file '{name}' from {url} has SHA-256 {actual}, expected "
                f"{expected}; the file is corrupt or not the official one and was "
                "deleted."
            )
        os.replace(tmp, directory / name)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        for d in created:  # innermost first: the folders made for this file
            try:
                d.rmdir()
            except OSError:
                break  # not empty (another file of the pair), or not ours
        if isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError)):
            reason = getattr(exc, "reason", exc)
            raise _DownloadError(
                f"Fashion-MNIST file {name} could not be downloaded from {url} "
                f"into '{directory}': {reason}."
            ) from exc
        raise
    return directory / name


def _find_local(names, candidates):
    for directory in candidates:
        if directory is not None and all((directory / n).is_file() for n in names):
            return directory
    return None


def load_fashion_mnist(kind="train", data_home=None, *, download=True):
    """Load the Fashion-MNIST training or test set.

    Fashion-MNIST (Xiao et al., 2017) holds 28x28 grayscale images of 10
    clothing classes: 60,000 for training, 10,000 for testing, balanced.
    Use :func:`make_long_tailed` to derive an imbalanced version.

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
    if not isinstance(download, (bool, np.bool_)):
        raise TypeError(f"download must be a bool, got {type(download).__name__}.")
    data_home = _as_dir(data_home)
    env_dir = _env_dir()
    names = _FILES[kind]

    candidates = [data_home, env_dir, Path(SYSTEM_DATA_DIR), _default_cache_dir()]
    directory = _find_local(names, candidates)
    if directory is None:
        target = next(d for d in (data_home, env_dir, _default_cache_dir()) if d is not None)
        searched = ", ".join(f"'{d}'" for d in dict.fromkeys(c for c in candidates if c))
        if not download:
            raise FileNotFoundError(
                f"Fashion-MNIST files {names[0]} and {names[1]} were not found in "
                f"any of {searched}; pass download=True to download them into "
                f"'{target}', or set data_home or ${_ENV_VAR}."
            )
        for name in names:
            if not (target / name).is_file():
                try:
                    _download(name, target)
                except _DownloadError as exc:
                    raise OSError(
                        f"{exc} The files are not in any of {searched} either: install "
                        f"them (Debian: apt-get install dataset-fashion-mnist, into "
                        f"'{SYSTEM_DATA_DIR}'), or put them in data_home or "
                        f"${_ENV_VAR}."
                    ) from exc.__cause__
        directory = target

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
