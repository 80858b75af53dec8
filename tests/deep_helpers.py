"""Shared by the deep-learning tests: long-tailed digits and a tiny CNN (PyTorch)."""

import numpy as np


def long_tailed_digits(ratio=10, seed=0):
    """Digits 8x8 as uint8 images; training classes from 150 down to 150 / ratio images.

    Returns ``X_train, y_train, X_test, y_test``; the test set is every other
    image (about 80 per class).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = np.rint(digits.images * (255 / 16)).astype(np.uint8)
    y = digits.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    train, test = [], []
    for k in range(10):
        rows = rng.permutation(np.flatnonzero(y == k))
        n = int(round(150 * ratio ** (-k / 9)))
        train.extend(rows[:n])
        test.extend(rows[150:])
    train, test = np.sort(train), np.sort(test)
    return X[train], y[train], X[test], y[test]


def tiny_cnn(n_classes=10, channels=1):
    import torch.nn as nn

    return nn.Sequential(
        nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, n_classes),
    )
