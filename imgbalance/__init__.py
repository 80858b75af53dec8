"""imgbalance: imbalanced image classification in scikit-learn pipelines.

Image batches ``(n_samples, height, width[, n_channels])`` flow through
scikit-learn and imbalanced-learn pipelines: flatten and reshape them,
compute HOG features identical to scikit-image's, over-sample rare classes
with random affine augmentation inside ``fit``, and run any
imbalanced-learn sampler on image arrays.
"""

from ._hog_transformer import HOGTransformer
from ._image_resampler import ImageResampler
from ._reshape import ImageFlattener, ImageReshaper
from ._search import STRATEGIES, describe_strategy, make_resampling_search
from ._version import __version__
from . import datasets  # noqa: F401  (imgbalance.datasets on import)
from .augmentation import AugmentationOverSampler

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
