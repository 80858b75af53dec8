"""Samplers for image batches, in imbalanced-learn's API.

* :class:`AugmentationOverSampler` -- new images of the rare classes by
  random affine transforms, with ``sampling_strategy`` semantics;
* :class:`ImageResampler` -- any imbalanced-learn sampler on image arrays.
"""

from ._augmentation import AugmentationOverSampler
from ._image_resampler import ImageResampler

__all__ = ["AugmentationOverSampler", "ImageResampler"]
