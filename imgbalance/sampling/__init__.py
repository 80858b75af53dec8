"""Samplers for image batches, in imbalanced-learn's API.

* :class:`AugmentationOverSampler` -- new images of the rare classes by
  random affine transforms, with ``sampling_strategy`` semantics;
* :class:`ImageResampler` -- any imbalanced-learn sampler on image arrays;
* :class:`AdaptiveSMOTE` -- SMOTE whose ``k_neighbors`` follows the smallest class.
"""

from ._augmentation import AugmentationOverSampler
from ._image_resampler import ImageResampler
from ._smote import AdaptiveSMOTE

__all__ = ["AdaptiveSMOTE", "AugmentationOverSampler", "ImageResampler"]
