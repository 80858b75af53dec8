"""Displays in the scikit-learn style: ``from_*`` computes, ``plot`` draws.

matplotlib (the ``plot`` extra: ``pip install 'imgbalance[plot]'``) is
imported only when a display draws, never by ``import imgbalance.display``.
"""

from ._augmented_samples import AugmentedSamplesDisplay
from ._strategy_comparison import StrategyComparisonDisplay
from ._compare_figures import save_comparison_figures

__all__ = ["AugmentedSamplesDisplay", "StrategyComparisonDisplay", "save_comparison_figures"]
