"""imgbalance: imbalanced image classification in scikit-learn pipelines.

Image batches ``(n_samples, height, width[, n_channels])`` flow through
scikit-learn and imbalanced-learn pipelines: flatten and reshape them,
compute HOG features identical to scikit-image's, over-sample rare classes
with random affine augmentation inside ``fit``, and run any
imbalanced-learn sampler on image arrays.
"""

from ._version import __version__
from .feature_extraction import HOGTransformer, ImageFlattener, ImageReshaper
from .sampling import AugmentationOverSampler, ImageResampler
from .search import STRATEGIES, describe_strategy, make_resampling_search
from . import augmentation, datasets, display  # noqa: F401  (sub-packages on import)

__all__ = [
    "AugmentationOverSampler",
    "HOGTransformer",
    "ImageFlattener",
    "ImageReshaper",
    "ImageResampler",
    "STRATEGIES",
    "describe_strategy",
    "make_resampling_search",
    "__version__",
]
