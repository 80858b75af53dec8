"""imgbalance: imbalanced image classification in scikit-learn pipelines.

Image batches ``(n_samples, height, width[, n_channels])`` flow through
scikit-learn and imbalanced-learn pipelines, in the order of the
sub-packages:

* :mod:`imgbalance.datasets` -- image folders, IDX files, Fashion-MNIST,
  long-tailed subsets;
* :mod:`imgbalance.sampling` -- samplers on image arrays (augmentation as an
  over-sampler, any imbalanced-learn sampler), built on the kernels of
  :mod:`imgbalance.augmentation`;
* :mod:`imgbalance.feature_extraction` -- image transformers (flatten and
  reshape, HOG bit-exact with scikit-image, HOG beside the pixels);
* :mod:`imgbalance.search` -- the strategy search and one strategy's
  pipeline, for imbalanced-learn and the classifier;
* :mod:`imgbalance.batches` -- class-balanced, freshly augmented batches
  for training loops (adapters: :mod:`imgbalance.torch`,
  :mod:`imgbalance.keras`, imported only when named);
* :mod:`imgbalance.display` -- pictures of augmented samples and of
  strategy comparisons.

The estimators and builders most used are re-exported here.
"""

from ._version import __version__
from .feature_extraction import HOGTransformer, ImageFlattener, ImageLayout, ImageReshaper
from .sampling import AdaptiveSMOTE, AugmentationOverSampler, ImageResampler
from .search import STRATEGIES, describe_strategy, make_resampling_search, make_strategy_pipeline
from . import augmentation, batches, datasets, display, exceptions  # noqa: F401  (sub-packages on import)

__all__ = [
    "AdaptiveSMOTE",
    "AugmentationOverSampler",
    "HOGTransformer",
    "ImageFlattener",
    "ImageLayout",
    "ImageReshaper",
    "ImageResampler",
    "STRATEGIES",
    "describe_strategy",
    "make_resampling_search",
    "make_strategy_pipeline",
    "__version__",
]
