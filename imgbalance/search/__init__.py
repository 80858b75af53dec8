"""The strategy search: which resampling strategy suits an image data set."""

from ._search import STRATEGIES, describe_strategy, make_resampling_search

__all__ = ["STRATEGIES", "describe_strategy", "make_resampling_search"]
