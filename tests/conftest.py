import gzip
from pathlib import Path

import numpy as np
import pytest

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def _read_idx_images(path, n):
    with gzip.open(path, "rb") as f:
        header = f.read(16)
        count, rows, cols = (int.from_bytes(header[i : i + 4], "big") for i in (4, 8, 12))
        n = min(n, count)
        data = f.read(n * rows * cols)
    return np.frombuffer(data, dtype=np.uint8).reshape(n, rows, cols)


def _read_idx_labels(path, n):
    with gzip.open(path, "rb") as f:
        f.read(8)
        return np.frombuffer(f.read(n), dtype=np.uint8).astype(np.int64)


@pytest.fixture(scope="session")
def fashion_mnist_subset():
    """First 3,000 Fashion-MNIST training images (uint8) and labels, if installed."""
    images = FASHION_DIR / "train-images-idx3-ubyte.gz"
    labels = FASHION_DIR / "train-labels-idx1-ubyte.gz"
    if not images.exists():
        pytest.skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
    return _read_idx_images(images, 3000), _read_idx_labels(labels, 3000)


@pytest.fixture(scope="session")
def digits_images():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images, digits.target
