"""Data set loaders and makers for imbalanced image classification.

* :func:`load_image_folder` -- images stored one folder per class;
* :func:`load_idx` -- arrays in the IDX format of (Fashion-)MNIST;
* :func:`load_fashion_mnist` -- Fashion-MNIST from a local copy or a
  checksum-verified download;
* :func:`make_long_tailed` -- long-tailed subsets (LT-CIFAR protocol).
"""

from ._fashion_mnist import load_fashion_mnist
from ._folder import load_image_folder
from ._idx import load_idx
from ._lazy import ImageFolderSource
from ._long_tail import make_long_tailed

__all__ = [
    "ImageFolderSource",
    "load_fashion_mnist",
    "load_idx",
    "load_image_folder",
    "make_long_tailed",
]
