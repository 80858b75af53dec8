"""Image transformers: from image batches to feature tables.

* :class:`ImageFlattener` / :class:`ImageReshaper` -- image batch <-> table;
* :class:`ImageLayout` -- layout, dtype and scaling for networks;
* :class:`HOGTransformer` -- batched HOG, bit-exact with ``skimage.feature.hog``;
* :func:`make_hog_and_pixels` -- HOG beside the min-max scaled pixels, with
  :func:`hog_pixel_weight` to balance the two on any image shape.
"""

from ._hog_and_pixels import hog_pixel_weight, make_hog_and_pixels
from ._hog_transformer import HOGTransformer
from ._layout import ImageLayout
from ._reshape import ImageFlattener, ImageReshaper

__all__ = [
    "HOGTransformer",
    "ImageFlattener",
    "ImageLayout",
    "ImageReshaper",
    "hog_pixel_weight",
    "make_hog_and_pixels",
]
