"""The strategy search: which resampling strategy suits an image data set.

* :mod:`._strategies` -- the strategy table (which steps each strategy sets);
* :mod:`._grid` -- routing ``param_grid`` entries to strategies, with hints;
* :mod:`._pipeline` -- :func:`make_strategy_pipeline`, one strategy's pipeline;
* :mod:`._search` -- :func:`make_resampling_search`, all of them in one search;
* :mod:`._searchcv` -- the search classes (progress per strategy, grid edges,
  the halving search's stratified rounds);
* :mod:`._subsample` -- stratified subsets of training folds, for those rounds;
* :mod:`._edges` -- :func:`grid_edges` and :class:`GridEdgeWarning`;
* :mod:`._defaults` -- features, classifier, C grid, halving factor and augmentation defaults.
"""

from ._defaults import DEFAULT_C_GRID, FEATURES, default_augmentation, default_classifier
from ._edges import GridEdge, GridEdgeWarning, grid_edges
from ._pipeline import make_strategy_pipeline
from ._search import make_resampling_search
from ._strategies import STRATEGIES, describe_strategy

__all__ = [
    "DEFAULT_C_GRID",
    "FEATURES",
    "GridEdge",
    "GridEdgeWarning",
    "STRATEGIES",
    "default_augmentation",
    "default_classifier",
    "describe_strategy",
    "grid_edges",
    "make_resampling_search",
    "make_strategy_pipeline",
]
