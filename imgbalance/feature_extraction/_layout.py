"""ImageLayout: image batches as network input, inside a pipeline."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, check_feature_names_in, fit_context
from .._validation import validate_images
from .._warnings import warn_caller
from ._layout_kernel import DATA_FORMATS, convert_images, scale_factor
from ._reshape import ImageReshaper, _pixel_names

__all__ = ["ImageLayout"]


def check_layout_params(data_format, dtype, scale, *, owner):
    """Validate the three layout parameters; return ``dtype`` as a NumPy dtype or None.

    Shared with :class:`~imgbalance.batches.BalancedBatches`, which is not an
    estimator and validates its parameters itself.
    """
    if data_format not in DATA_FORMATS:
        raise ValueError(
            f"The 'data_format' parameter of {owner} must be 'channels_last' "
            f"(n, height, width, channels) or 'channels_first' (n, channels, height, "
            f"width); got {data_format!r}."
        )
    number = isinstance(scale, Real) and not isinstance(scale, bool)
    if not (scale is None or isinstance(scale, str) and scale == "auto"
            or number and np.isfinite(scale) and scale > 0):
        raise ValueError(
            f"The 'scale' parameter of {owner} must be 'auto', None or a positive "
            f"number; got {scale!r}."
        )
    if dtype is None:
        return None
    try:
        dtype = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(
            f"The 'dtype' parameter of {owner} must be None or a NumPy dtype such as "
            f"'float32'; got {dtype!r}."
        ) from exc
    if dtype.kind not in "biuf":
        raise ValueError(
            f"The 'dtype' parameter of {owner} must be a numeric dtype; got {dtype}."
        )
    return dtype


def flag_far_off_scale(X, scale, out_dtype, *, owner):
    """Warn when ``scale="auto"`` would squash integer pixels towards zero.

    ``"auto"`` divides integer images by their dtype's maximum; pixels of
    0-255 held in a wider integer dtype (``np.array`` of Python ints gives
    int64) would come out below ``255 / iinfo.max``.  Ambiguous, so flagged:
    when the largest value is at most 1/256 of the divisor.  In-memory
    arrays only (a memory map or a lazy source is not read for this).
    """
    if not isinstance(X, np.ndarray) or isinstance(X, np.memmap) or X.size == 0:
        return
    divisor = scale_factor(scale, X.dtype, out_dtype if out_dtype is not None else X.dtype)
    if divisor is None or X.dtype == np.uint8 or not isinstance(scale, str):
        return
    largest = X.max()
    if largest <= divisor / 256 and X.min() >= 0:
        warn_caller(
            f"{owner}: scale='auto' divides {X.dtype} images by {np.iinfo(X.dtype).max}, their "
            f"dtype's maximum, but their largest value is {largest}: the output would "
            f"stay below {largest / divisor:.2g}. Cast 0-255 pixels to uint8, or pass "
            "scale=1/255 (or the scale that suits your data)."
        )


class ImageLayout(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Convert image batches to the layout, dtype and value range of a network.

    Puts the channel axis where the network wants it (``(n, c, h, w)`` for
    PyTorch and skorch, ``(n, h, w, c)`` for Keras; grayscale batches get a
    channel axis of length 1), casts to ``dtype`` and scales integer pixels
    to [0, 1], so that an imbalanced-learn pipeline such as
    ``AugmentationOverSampler -> ImageLayout -> NeuralNetClassifier`` needs no
    ``FunctionTransformer``.  Stateless: ``fit`` only records the image shape.

    Parameters
    ----------
    data_format : {"channels_last", "channels_first"}, default="channels_last"
        Layout of the output: ``"channels_first"`` for PyTorch.

    dtype : str, dtype or None, default="float32"
        Output dtype; None keeps the input's.

    scale : "auto", float or None, default="auto"
        ``"auto"`` divides integer images by their dtype's maximum (255 for
        uint8) when ``dtype`` is floating and changes nothing otherwise; a
        positive number multiplies every value by it; None never scales.
        Values cast to an integer dtype are rounded and clipped.  ``fit``
        warns when ``"auto"`` would divide integer images other than uint8
        by a maximum at least 256 times their largest value (0-255 pixels
        held as int64, say).

    image_shape : tuple of int or None, default=None
        Shape ``(height, width)`` or ``(height, width, n_channels)`` of one
        image when ``X`` is passed flattened as ``(n_samples, n_features)``.
        If None, a 2-D ``X`` is taken as ``1 x n_features`` images.

    Attributes
    ----------
    image_shape_ : tuple of int
        Shape of one (channels-last) image seen during ``fit``.

    n_features_in_ : int
        Number of pixel values per image, ``prod(image_shape_)``.

    See Also
    --------
    imgbalance.batches.BalancedBatches : Balanced batches for training loops, same conversion.

    Notes
    -----
    Input images are channels-last, as everywhere in imgbalance: a batch of
    shape ``(n, 1, 28, 28)`` is read as 28-channel images one pixel high.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.feature_extraction import ImageLayout
    >>> X = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)  # one 2x2 image
    >>> out = ImageLayout(data_format="channels_first").fit_transform(X)
    >>> out.shape, out.dtype
    ((1, 1, 2, 2), dtype('float32'))
    >>> out[0, 0]
    array([[0. , 1. ],
           [0.2, 0.4]], dtype=float32)
    """

    _parameter_constraints: dict = {
        "data_format": [StrOptions(set(DATA_FORMATS))],
        "dtype": "no_validation",  # any NumPy dtype spelling, checked in fit
        "scale": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither"), None],
        "image_shape": [tuple, list, None],
    }

    def __init__(self, *, data_format="channels_last", dtype="float32", scale="auto",
                 image_shape=None):
        self.data_format = data_format
        self.dtype = dtype
        self.scale = scale
        self.image_shape = image_shape

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and record the image shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Channels-last images, or flattened images with ``image_shape``.
        y : None
            Ignored.

        Returns
        -------
        self : ImageLayout
            The fitted transformer.
        """
        out_dtype = check_layout_params(self.data_format, self.dtype, self.scale,
                                        owner="ImageLayout")
        validate_images(self, X, reset=True, image_shape=self.image_shape,
                        ensure_all_finite=False)
        flag_far_off_scale(X if isinstance(X, np.ndarray) else np.asarray(X), self.scale,
                           out_dtype, owner="ImageLayout")
        return self

    def transform(self, X):
        """Return the images in the network's layout, dtype and range.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images of the shape seen in ``fit``.

        Returns
        -------
        X_out : ndarray of shape (n_samples, height, width, n_channels) or (n_samples, n_channels, height, width)
            A new array (``X`` is never modified).
        """
        check_is_fitted(self, "image_shape_")
        _, images, _ = validate_images(self, X, reset=False, ensure_all_finite=False)
        dtype = check_layout_params(self.data_format, self.dtype, self.scale,
                                    owner="ImageLayout")
        return convert_images(images, data_format=self.data_format, dtype=dtype,
                              scale=self.scale)

    def get_feature_names_out(self, input_features=None):
        """Names of the output values, in the C order of the output images.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names (dataframe input); None names the pixels
            ``pixel_<row>_<col>_<channel>``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output value: the input names, moved with their
            values when the channel axis moves.
        """
        check_is_fitted(self, "image_shape_")
        shape = self.image_shape_ if len(self.image_shape_) == 3 else (*self.image_shape_, 1)
        names = check_feature_names_in(self, input_features, generate_names=False)
        names = _pixel_names(shape) if names is None else np.asarray(names, dtype=object)
        names = names.reshape(shape)
        if self.data_format == "channels_first":
            names = names.transpose(2, 0, 1)
        return names.ravel()

    # Image batches have no dataframe form: accepted and recorded, no effect.
    set_output = ImageReshaper.set_output

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.two_d_array = True
        tags.input_tags.allow_nan = True
        try:
            kept = ["float64", "float32"] if self.dtype is None else [np.dtype(self.dtype).name]
        except TypeError:  # refused by fit
            kept = []
        tags.transformer_tags.preserves_dtype = kept
        return tags
