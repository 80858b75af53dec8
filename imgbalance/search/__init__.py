"""The strategy search: which resampling strategy suits an image data set."""

from ._defaults import DEFAULT_C_GRID, FEATURES, default_augmentation, default_classifier
from ._search import STRATEGIES, describe_strategy, make_resampling_search

__all__ = [
    "DEFAULT_C_GRID",
    "FEATURES",
    "STRATEGIES",
    "default_augmentation",
    "default_classifier",
    "describe_strategy",
    "make_resampling_search",
]
