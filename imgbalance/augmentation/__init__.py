"""Image augmentation kernels: a batched affine warp and Keras-style transforms.

``imgbalance.augmentation.AugmentationOverSampler`` is the sampler of
:mod:`imgbalance.sampling`, re-exported here where earlier releases kept it.
"""

from ._augment import apply_transform
from ._keras_transforms import (
    random_affine_matrices,
    random_transform_parameters,
    transform_matrices,
)
from ._warp import warp_affine

__all__ = [
    "AugmentationOverSampler",
    "apply_transform",
    "random_affine_matrices",
    "random_transform_parameters",
    "transform_matrices",
    "warp_affine",
]


def __getattr__(name):
    # Lazily, so that the kernels never import the sampler (which imports them).
    if name == "AugmentationOverSampler":
        from ..sampling import AugmentationOverSampler

        return AugmentationOverSampler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
