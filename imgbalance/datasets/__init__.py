"""Data set loaders and makers for imbalanced image classification.

* :func:`load_image_folder` -- images stored one folder per class;
* :func:`load_idx` -- arrays in the IDX format of (Fashion-)MNIST;
* :func:`fetch_fashion_mnist` -- Fashion-MNIST as a scikit-learn
  ``Bunch`` with class names, from a local copy or a checksum-verified
  download into scikit-learn's data home;
* :func:`load_fashion_mnist` -- the same images as ``(X, y)``;
* :func:`make_long_tailed` -- long-tailed subsets (LT-CIFAR protocol);
  :class:`LongTailWarning` when a small class shrinks them.
"""

from ._fashion_mnist import fetch_fashion_mnist, load_fashion_mnist
from ._folder import load_image_folder
from ._idx import load_idx
from ._lazy import ImageFolderSource
from ._long_tail import LongTailWarning, make_long_tailed

__all__ = [
    "ImageFolderSource",
    "LongTailWarning",
    "fetch_fashion_mnist",
    "load_fashion_mnist",
    "load_idx",
    "load_image_folder",
    "make_long_tailed",
]
