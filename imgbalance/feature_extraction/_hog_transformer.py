"""HOGTransformer: batched histograms of oriented gradients."""

from functools import partial
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._image_input import IMAGE_SHAPE_CONSTRAINT, ImageInputMixin, image_input_docstring
from .._compat import Interval, StrOptions, check_feature_names_in, fit_context
from ._hog import (
    DEFAULT_CHUNK_SIZE,
    check_hog_geometry,
    hog_batch,
    hog_n_features,
    hog_output_dtype,
)
from .._parallel import chunk_slices, map_chunks
from .._validation import channels_first_hint, check_int_pair, reject_bool, validate_images

__all__ = ["HOGTransformer"]


@image_input_docstring()
class HOGTransformer(ImageInputMixin, TransformerMixin, BaseEstimator):
    """Histogram of Oriented Gradients (HOG) features for a batch of images.

    Row ``i`` of the output equals ``skimage.feature.hog(X[i], ...,
    feature_vector=True)`` -- bit for bit, including scikit-image's
    dtype rules -- but the whole batch is computed at once with vectorised
    NumPy, in chunks that bound memory and in parallel over chunks.

    Grayscale images ``(n_samples, height, width)`` are described as they
    are.  Colour images ``(n_samples, height, width, n_channels)`` follow
    ``skimage.feature.hog(..., channel_axis=-1)``: at every pixel the
    gradient of the channel with the largest gradient magnitude is used.

    Parameters
    ----------
    orientations : int, default=9
        Number of orientation bins.
    pixels_per_cell : int or (int, int), default=(8, 8)
        Size (rows, columns) of a cell, in pixels.
    cells_per_block : int or (int, int), default=(3, 3)
        Number of cells (rows, columns) in each normalisation block.
    block_norm : {{"L1", "L1-sqrt", "L2", "L2-Hys"}}, default="L2-Hys"
        Block normalisation, as in :func:`skimage.feature.hog`:

        - ``"L1"``: normalisation by the L1 norm;
        - ``"L1-sqrt"``: L1 normalisation followed by a square root;
        - ``"L2"``: normalisation by the L2 norm;
        - ``"L2-Hys"``: L2 normalisation, clipping at 0.2 and
          renormalisation.
    transform_sqrt : bool, default=False
        Apply power-law compression (square root of every pixel) before
        computing gradients.  Images must then be non-negative.
    {image_shape}
        One-row images only make sense with ``pixels_per_cell=(1, k)`` and
        ``cells_per_block=(1, m)``.
    n_jobs : int, default=None
        Number of jobs computing chunks of images in parallel.  ``None``
        means 1 unless in a :obj:`joblib.parallel_config` context; ``-1``
        means all processors.  The output does not depend on it.
    chunk_size : int, default=None
        Number of images per kernel call.  ``None`` uses a size that is
        fast for small images and keeps memory bounded; the output does not
        depend on it.

    Attributes
    ----------
    {image_attributes}

    n_features_out_ : int
        Length of one HOG descriptor.  :meth:`get_feature_names_out` names
        each value by its place, ``"hog_block{{r}}_{{c}}_cell{{i}}_{{j}}_orient{{k}}"``:
        block ``(r, c)`` of the block grid, cell ``(i, j)`` within the block,
        orientation bin ``k`` (scikit-image's feature-vector order).

    See Also
    --------
    skimage.feature.hog : The per-image reference implementation.

    Notes
    -----
    Output dtype follows scikit-image: float32 input gives float32
    descriptors; float16 gives float32; every other input dtype (uint8,
    integers, float64) gives float64.  The gradients of each image are
    computed on its own, so a chunk is just a batch of independent images.

    References
    ----------
    .. [1] Dalal, N. and Triggs, B., "Histograms of Oriented Gradients for
           Human Detection", IEEE CVPR 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from skimage.feature import hog
    >>> from imgbalance import HOGTransformer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    >>> features = HOGTransformer(pixels_per_cell=(7, 7), cells_per_block=(2, 2)).fit_transform(X)
    >>> features.shape
    (5, 324)
    >>> reference = hog(X[0], pixels_per_cell=(7, 7), cells_per_block=(2, 2))
    >>> bool(np.array_equal(features[0], reference))
    True
    """

    _parameter_constraints: dict = {
        "orientations": [Interval(Integral, 1, None, closed="left")],
        "pixels_per_cell": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "cells_per_block": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "block_norm": [StrOptions({"L1", "L1-sqrt", "L2", "L2-Hys"})],
        "transform_sqrt": ["boolean"],
        **IMAGE_SHAPE_CONSTRAINT,
        "n_jobs": [Integral, None],
        "chunk_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        orientations=9,
        pixels_per_cell=(8, 8),
        cells_per_block=(3, 3),
        block_norm="L2-Hys",
        transform_sqrt=False,
        image_shape=None,
        n_jobs=None,
        chunk_size=None,
    ):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.chunk_size = chunk_size

    def _geometry(self):
        return (
            check_int_pair(self.pixels_per_cell, name="pixels_per_cell"),
            check_int_pair(self.cells_per_block, name="cells_per_block"),
        )

    def _check_images(self, images):
        reject_bool(images, self)
        if self.transform_sqrt and images.size and images.min() < 0:
            raise ValueError(
                "Negative values in data passed to HOGTransformer: "
                "transform_sqrt=True takes the square root of every pixel, so "
                f"X must be non-negative; its minimum is {images.min()}."
            )

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and parameters; HOG itself has nothing to learn.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images.
        y : None
            Ignored.

        Returns
        -------
        self : HOGTransformer
            The fitted transformer.
        """
        X, images, _ = validate_images(self, X, reset=True, image_shape=self.image_shape)
        self._check_images(images)
        pixels_per_cell, cells_per_block = self._geometry()
        try:
            check_hog_geometry(self.image_shape_[:2], pixels_per_cell, cells_per_block)
        except ValueError as exc:
            if self.image_shape is None and X.ndim == 2:
                raise ValueError(
                    f"{exc} X is 2-D without image_shape, so each of its rows was "
                    f"read as a 1 x {self.image_shape_[1]} image: pass "
                    "image_shape=(height, width) for flattened images, or "
                    "X[np.newaxis] for a single image."
                ) from None
            hint = channels_first_hint(self.image_shape_, flattened=self.image_shape is not None)
            if hint is not None:
                raise ValueError(f"{exc} {hint}") from None
            raise
        self.n_features_out_ = self._n_features(pixels_per_cell, cells_per_block)
        return self

    def _n_features(self, pixels_per_cell, cells_per_block):
        """HOG features per image of the fitted shape with this geometry."""
        return hog_n_features(
            self.image_shape_[:2],
            orientations=self.orientations,
            pixels_per_cell=pixels_per_cell,
            cells_per_block=cells_per_block,
        )

    def _fitted_geometry(self):
        """``(pixels_per_cell, cells_per_block)``, checked against the fit.

        Parameters changed after fit (``set_params``) that no longer give
        ``n_features_out_`` features per image are a ValueError, not numpy's
        broadcast error when the features are written.
        """
        pixels_per_cell, cells_per_block = self._geometry()
        try:
            n_features = self._n_features(pixels_per_cell, cells_per_block)
        except ValueError:  # a block no longer fits in the images
            n_features = None
        if n_features != self.n_features_out_:
            raise ValueError(
                f"{type(self).__name__}'s parameters were changed after fit: on "
                f"images of shape {self.image_shape_} they no longer give "
                f"n_features_out_={self.n_features_out_} features per image. "
                "Call fit again."
            )
        return pixels_per_cell, cells_per_block

    def get_feature_names_out(self, input_features=None):
        """Names of the HOG features, by block, cell and orientation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Checked against the names seen in :meth:`fit` (pixel names do
            not enter the HOG feature names).

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``"hog_block{r}_{c}_cell{i}_{j}_orient{k}"`` in the order of
            the descriptor: block ``(r, c)``, cell ``(i, j)`` within it,
            orientation bin ``k``.
        """
        check_is_fitted(self, "n_features_out_")
        check_feature_names_in(self, input_features, generate_names=False)
        (c_row, c_col), (b_row, b_col) = self._fitted_geometry()
        h, w = self.image_shape_[:2]
        names = [
            f"hog_block{r}_{c}_cell{i}_{j}_orient{k}"
            for r in range(h // c_row - b_row + 1)
            for c in range(w // c_col - b_col + 1)
            for i in range(b_row)
            for j in range(b_col)
            for k in range(self.orientations)
        ]
        return np.asarray(names, dtype=object)

    def transform(self, X):
        """Compute one HOG descriptor per image.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images of the shape seen in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_samples, `n_features_out_`)
            HOG descriptors, one row per image, equal to
            ``skimage.feature.hog(image, ..., feature_vector=True)``.
        """
        check_is_fitted(self, "n_features_out_")
        _, images, _ = validate_images(self, X, reset=False)
        self._check_images(images)
        pixels_per_cell, cells_per_block = self._fitted_geometry()
        kernel = partial(
            hog_batch,
            orientations=self.orientations,
            pixels_per_cell=pixels_per_cell,
            cells_per_block=cells_per_block,
            block_norm=self.block_norm,
            transform_sqrt=self.transform_sqrt,
            multichannel=images.ndim == 4,
        )
        out = np.empty(
            (images.shape[0], self.n_features_out_), dtype=hog_output_dtype(images.dtype)
        )
        chunk_size = self.chunk_size or DEFAULT_CHUNK_SIZE
        tasks = [(s, (images[s],)) for s in chunk_slices(images.shape[0], chunk_size)]
        return map_chunks(kernel, tasks, out=out, n_jobs=self.n_jobs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.input_tags.positive_only = bool(self.transform_sqrt)
        return tags
