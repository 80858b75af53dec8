from pathlib import Path

import numpy as np
import pytest

from imgbalance.datasets import load_idx

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(scope="session")
def fashion_mnist_subset():
    """First 3,000 Fashion-MNIST training images (uint8) and labels, if installed."""
    images = FASHION_DIR / "train-images-idx3-ubyte.gz"
    labels = FASHION_DIR / "train-labels-idx1-ubyte.gz"
    if not images.exists():
        pytest.skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
    return load_idx(images)[:3000], load_idx(labels)[:3000].astype(np.int64)


@pytest.fixture(scope="session")
def digits_images():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images, digits.target


@pytest.fixture
def few_per_class(monkeypatch):
    """Digits are too few for several halving rounds of FIRST_ROUND_PER_CLASS
    images a class: tests of the rounds' mechanics lower it
    (test_search_halving.py checks the floor itself)."""
    import imgbalance.search._searchcv as searchcv

    monkeypatch.setattr(searchcv, "FIRST_ROUND_PER_CLASS", 2)
