"""Image transformers: from image batches to feature tables.

* :class:`ImageFlattener` / :class:`ImageReshaper` -- image batch <-> table;
* :class:`HOGTransformer` -- batched HOG, bit-exact with ``skimage.feature.hog``.
"""

from ._hog_transformer import HOGTransformer
from ._reshape import ImageFlattener, ImageReshaper

__all__ = ["HOGTransformer", "ImageFlattener", "ImageReshaper"]
