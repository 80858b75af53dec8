"""Transformers between image batches and flat feature matrices."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import check_feature_names_in, fit_context, record_output_config
from .._image_input import IMAGE_SHAPE_CONSTRAINT, ImageInputMixin, image_input_docstring
from .._validation import validate_images

__all__ = ["ImageFlattener", "ImageReshaper"]

def _pixel_names(image_shape):
    """Feature names ``pixel_<row>_<col>[_<channel>]`` in C order."""
    grids = np.indices(image_shape).reshape(len(image_shape), -1)
    names = ["_".join(map(str, idx)) for idx in zip(*grids.tolist())]
    return np.asarray([f"pixel_{n}" for n in names], dtype=object)


class _ImageShapeMixin(ImageInputMixin):
    """Validation, reshaping and feature names shared by the two transformers."""

    def _to_images(self, X):
        check_is_fitted(self, "image_shape_")
        _, images, _ = validate_images(self, X, reset=False, ensure_all_finite=False)
        return images

    def _to_rows(self, X):
        images = self._to_images(X)
        return images.reshape(images.shape[0], -1)

    def _fit(self, X):
        validate_images(
            self, X, reset=True, image_shape=self.image_shape, ensure_all_finite=False
        )
        return self

    def _pixel_feature_names(self, input_features=None):
        check_is_fitted(self, "image_shape_")
        names = check_feature_names_in(self, input_features, generate_names=False)
        if names is not None:
            return names
        return _pixel_names(self.image_shape_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


@image_input_docstring()
class ImageFlattener(_ImageShapeMixin, TransformerMixin, BaseEstimator):
    """Flatten a batch of images into a ``(n_samples, n_features)`` matrix.

    Pixels are laid out in C order (row, column, then channel), so
    ``n_features = height * width * n_channels``.  Use it in front of any
    scikit-learn or imbalanced-learn step that needs 2-D input;
    :meth:`inverse_transform` (or :class:`ImageReshaper`) restores the images.

    Parameters
    ----------
    {image_shape}

    Attributes
    ----------
    {image_attributes}

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :meth:`fit`, defined only when ``X`` was
        a dataframe with string column names.

    See Also
    --------
    ImageReshaper : The reverse operation, as a transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance import ImageFlattener
    >>> X = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    >>> flattener = ImageFlattener().fit(X)
    >>> flattener.transform(X).shape
    (2, 12)
    >>> flattener.get_feature_names_out()[:3]
    array(['pixel_0_0', 'pixel_0_1', 'pixel_0_2'], dtype=object)
    >>> np.array_equal(flattener.inverse_transform(flattener.transform(X)), X)
    True
    """

    _parameter_constraints: dict = {**IMAGE_SHAPE_CONSTRAINT}

    def __init__(self, image_shape=None):
        self.image_shape = image_shape

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the image shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images.
        y : None
            Ignored.

        Returns
        -------
        self : ImageFlattener
            The fitted transformer.
        """
        return self._fit(X)

    def transform(self, X):
        """Flatten images into rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images of the shape seen in :meth:`fit`.

        Returns
        -------
        X_flat : ndarray of shape (n_samples, `n_features_in_`)
            One row per image, pixels in C order.
        """
        return self._to_rows(X)

    def inverse_transform(self, X):
        """Restore images from flattened rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, `n_features_in_`)
            Flattened images.

        Returns
        -------
        images : ndarray of shape (n_samples, `*image_shape_`)
            The image batch.
        """
        return self._to_images(X)

    def get_feature_names_out(self, input_features=None):
        """Names of the output features: one per pixel value.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; only meaningful for dataframe input.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``feature_names_in_`` if defined, otherwise
            ``pixel_<row>_<col>`` (and ``_<channel>`` for colour images).
        """
        return self._pixel_feature_names(input_features)


@image_input_docstring()
class ImageReshaper(
    _ImageShapeMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    """Reshape flattened rows into a batch of images.

    The reverse of :class:`ImageFlattener`: it turns ``(n_samples,
    n_features)`` into ``(n_samples, *image_shape)`` so that image steps
    (:class:`HOGTransformer`, :class:`AugmentationOverSampler`) can follow
    steps that only speak 2-D, such as SMOTE.

    Image batches cannot be held by a dataframe, so the output of
    :meth:`transform` is always a NumPy array; ``set_output`` is accepted
    (so that ``Pipeline.set_output`` works for the steps that follow) and has
    no effect on it.

    Parameters
    ----------
    {image_shape}

    Attributes
    ----------
    {image_attributes}

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :meth:`fit`, defined only when ``X`` was
        a dataframe with string column names.

    See Also
    --------
    ImageFlattener : The reverse operation.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance import ImageReshaper
    >>> X = np.arange(2 * 12).reshape(2, 12)
    >>> ImageReshaper(image_shape=(3, 4)).fit_transform(X).shape
    (2, 3, 4)
    """

    _parameter_constraints: dict = {**IMAGE_SHAPE_CONSTRAINT}

    def __init__(self, image_shape=None):
        self.image_shape = image_shape

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the image shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, height, width[, n_channels])
            Flattened images (or images, which pass through).
        y : None
            Ignored.

        Returns
        -------
        self : ImageReshaper
            The fitted transformer.
        """
        return self._fit(X)

    def transform(self, X):
        """Reshape rows into images.

        Parameters
        ----------
        X : array-like of shape (n_samples, `n_features_in_`)
            Flattened images.

        Returns
        -------
        images : ndarray of shape (n_samples, `*image_shape_`)
            The image batch.
        """
        return self._to_images(X)

    def inverse_transform(self, X):
        """Flatten images back into rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, `*image_shape_`)
            Images.

        Returns
        -------
        X_flat : ndarray of shape (n_samples, `n_features_in_`)
            One row per image.
        """
        return self._to_rows(X)

    def set_output(self, *, transform=None):
        """Accept an output container setting; image batches stay NumPy arrays.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            Recorded for compatibility with :meth:`sklearn.pipeline.Pipeline.set_output`;
            an n-D image batch has no dataframe form, so it has no effect.

        Returns
        -------
        self : ImageReshaper
            The estimator.
        """
        if transform is None:
            return self
        if transform not in ("default", "pandas", "polars"):
            raise ValueError(
                "transform must be one of 'default', 'pandas', 'polars' or None; "
                f"got {transform!r}."
            )
        record_output_config(self, transform)
        return self

    def get_feature_names_out(self, input_features=None):
        """Names of the pixel values, in the C order of the output images.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; only meaningful for dataframe input.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per pixel value.
        """
        return self._pixel_feature_names(input_features)

