"""Image augmentation: a batched affine warp kernel and an augmenting over-sampler."""

from ._sampler import AugmentationOverSampler
from ._warp import warp_affine

__all__ = ["AugmentationOverSampler", "warp_affine"]
