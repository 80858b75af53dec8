"""ImageResampler: any imbalanced-learn sampler on image arrays."""

import warnings
from contextlib import nullcontext

import numpy as np
from imblearn.base import BaseSampler
from imblearn.over_sampling import RandomOverSampler
from sklearn.base import clone
from sklearn.utils import get_tags

from .._compat import HasMethods, fit_context, validate_params
from .._dtypes import rint_to_dtype
from .._image_input import IMAGE_SHAPE_CONSTRAINT, ImageInputMixin, image_input_docstring
from .._warnings import ChannelsFirstWarning
from .._validation import (
    channels_first_hint,
    not_image_rows,
    restore_layout,
    validate_sampler_input,
)

__all__ = ["ImageResampler"]


def _takes_images(sampler):
    """Whether ``sampler`` takes image batches itself (its tags say so)."""
    return bool(get_tags(sampler).input_tags.three_d_array)


@image_input_docstring()
class ImageResampler(ImageInputMixin, BaseSampler):
    """Run any imbalanced-learn sampler on image arrays.

    Stock samplers (SMOTE, ADASYN, RandomUnderSampler, TomekLinks, ...)
    refuse image batches (``Found array with dim 4 ...``).  This
    meta-sampler flattens the images, hands them to a clone of ``sampler``
    and gives the resampled rows back as images of the original shape, so
    that a pipeline can stay in image space and the inner sampler's
    parameters stay searchable (``resample__sampler__k_neighbors``).

    Parameters
    ----------
    sampler : sampler object, default=None
        An imbalanced-learn sampler, or any scikit-learn estimator
        (``BaseEstimator`` subclass) with ``fit_resample``; it is cloned in
        ``fit_resample``.  ``None`` means
        ``RandomOverSampler(random_state=random_state)``.  A sampler that
        takes images itself -- one whose tags accept image arrays
        (``input_tags.three_d_array``), such as
        :class:`AugmentationOverSampler` -- gets the images' shape through
        its ``image_shape`` parameter when that is None (wrapping it is not
        needed, but works).
    {image_shape}
        The inner sampler sees such rows unchanged.
    random_state : int, RandomState instance or None, default=None
        Seeds the default sampler (``sampler=None``) only; a given sampler
        keeps its own ``random_state`` (``sampler__random_state`` in a
        search).

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler``.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Indices of the selected samples, when the inner sampler provides them
        (``RandomUnderSampler``, ``RandomOverSampler``, cleaning samplers);
        absent otherwise.
    {image_attributes}

    Notes
    -----
    The inner sampler decides the class counts: its own
    ``sampling_strategy`` applies.  Samplers that only select rows (those
    that report ``sample_indices_``) get the pixels in their own dtype.
    Samplers that compute new pixels get integer (and boolean) images as
    float64, and their result is rounded back to the input dtype: stock
    SMOTE on ``uint8`` arrays computes pixel differences in ``uint8``, where
    they wrap around, and returns silently wrong images.  (64-bit integers
    beyond 2**53 are rounded to float64 precision by those samplers.)
    Samplers that take images themselves (``input_tags.three_d_array``),
    such as :class:`AugmentationOverSampler`, get integer pixels in their
    own dtype (boolean images as float64).  A
    synthetic sample made by SMOTE or ADASYN in pixel space is a pixel-wise
    blend of two images; SMOTE on features (after :class:`HOGTransformer`)
    is usually the better choice.

    Tables that are not image batches -- sparse matrices, 2-D arrays of
    objects or strings, dataframes with non-numeric columns -- go to the
    inner sampler exactly as given, and its output comes back exactly as it
    returns it (same type, dtypes, columns and values); ``image_shape`` must
    then be None, since such rows hold no pixels.  ``image_shape_`` is
    ``(1, n_features_in_)`` after such a fit.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from imblearn.over_sampling import SMOTE
    >>> from imgbalance import ImageResampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((30, 8, 8))
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> resampler = ImageResampler(SMOTE(k_neighbors=3, random_state=0))
    >>> X_res, y_res = resampler.fit_resample(X, y)
    >>> X_res.shape, Counter(y_res.tolist())
    ((48, 8, 8), Counter({{0: 24, 1: 24}}))
    """

    _sampling_type = "bypass"

    _parameter_constraints: dict = {
        "sampler": [HasMethods(["fit_resample", "get_params", "__sklearn_tags__"]), None],
        **IMAGE_SHAPE_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(self, sampler=None, *, image_shape=None, random_state=None):
        super().__init__(sampling_strategy="auto")
        self.sampler = sampler
        self.image_shape = image_shape
        self.random_state = random_state

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Check the input; a table that holds no images fits the inner sampler.

        Parameters
        ----------
        X : {{array-like, dataframe, sparse matrix}} of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images, flattened images, or a table that holds no images.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : ImageResampler
            The fitted sampler.
        """
        if self._table_reason(X) is None:
            return super().fit(X, y)
        self._fit_table("fit", X, y)
        return self

    @fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y, **params):
        """Resample the images with a clone of ``sampler``.

        Parameters
        ----------
        X : {{array-like, dataframe, sparse matrix}} of shape (n_samples, height, width[, n_channels]) or (n_samples, n_features)
            Images, flattened images, or a table that holds no images (passed
            to the inner sampler unchanged).
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Passed on to the inner sampler's ``fit_resample``.

        Returns
        -------
        X_resampled : ndarray, dataframe or sparse matrix
            Images in the layout of ``X``; a table as the inner sampler
            returns it.
        y_resampled : ndarray of shape (n_samples_new,)
            Labels of ``X_resampled``.
        extra : object
            Only when the inner sampler returns a third output (e.g.
            resampled sample weights): that output, unchanged.
        """
        if self._table_reason(X) is None:
            # imbalanced-learn's fit_resample skips the validation of nested
            # estimators' parameters (on a table, the inner sampler's own
            # fit_resample runs outside it and checks them itself)
            validate_params(self._inner())
            return super().fit_resample(X, y, **params)
        return self._fit_table("fit_resample", X, y, **params)

    def _table_reason(self, X):
        """Why X is a table that holds no images (None for images)."""
        reason = not_image_rows(X)
        if reason is not None and self.image_shape is not None:
            raise ValueError(
                f"{type(self).__name__} got X as {reason}, which cannot hold "
                f"flattened images, with image_shape={self.image_shape!r}. Pass a "
                "dense numeric array for images, or image_shape=None to hand the "
                "table to the inner sampler unchanged."
            )
        return reason

    def _fit_table(self, method, X, y, **params):
        """The inner sampler's ``method`` on a table, exactly: its output, its attributes."""
        self.sampler_ = clone(self._inner())
        output = getattr(self.sampler_, method)(X, y, **params)
        self._copy_inner_attributes(("sample_indices_", "sampling_strategy_", "feature_names_in_"))
        if hasattr(self.sampler_, "n_features_in_"):
            self.n_features_in_ = int(self.sampler_.n_features_in_)
        else:
            self.n_features_in_ = int(np.shape(X)[1])
        self.image_shape_ = (1, self.n_features_in_)
        return output

    def _copy_inner_attributes(self, names):
        """The fitted inner sampler's attributes ``names``, as this sampler's own."""
        for name in names:
            if hasattr(self.sampler_, name):
                setattr(self, name, getattr(self.sampler_, name))
            elif name in vars(self):
                delattr(self, name)  # from an earlier fit

    def _check_X_y(self, X, y):
        # Finite values and numeric dtypes as the inner sampler requires them.
        return validate_sampler_input(
            self,
            X,
            y,
            ensure_all_finite=not self._inner_tags().input_tags.allow_nan,
            numeric_images=False,
        )

    def _inner(self):
        if self.sampler is None:
            return RandomOverSampler(random_state=self.random_state)
        if isinstance(self.sampler, type):
            name = self.sampler.__name__
            raise TypeError(
                f"The 'sampler' parameter of {type(self).__name__} must be a sampler "
                f"instance, e.g. {name}(); got the class {name}."
            )
        return self.sampler

    def _inner_tags(self):
        if isinstance(self.sampler, type) or not hasattr(self._inner(), "__sklearn_tags__"):
            # rejected by fit (see _inner and _parameter_constraints)
            return RandomOverSampler().__sklearn_tags__()
        return self._inner().__sklearn_tags__()

    def _inner_tags_sample_indices(self):
        sampler_tags = getattr(self._inner_tags(), "sampler_tags", None)
        return bool(getattr(sampler_tags, "sample_indices", False))

    def _fit_resample(self, X, y, **params):
        self.sampler_ = clone(self._inner())
        flat = X.reshape(X.shape[0], -1)
        # A sampler that takes images itself learns the shape of the flattened
        # rows, when known (2-D X without image_shape: it warns about that
        # itself), and keeps integer pixels exact in their own dtype.
        images_aware = _takes_images(self.sampler_)
        known = X.ndim > 2 or self.image_shape is not None
        has_shape = "image_shape" in self.sampler_.get_params(deep=False)
        if images_aware and known and has_shape and self.sampler_.image_shape is None:
            self.sampler_.set_params(image_shape=self.image_shape_)
        # Samplers that select rows return the pixels untouched: no cast.
        selects = self._inner_tags_sample_indices() or (
            images_aware and flat.dtype.kind != "b"
        )
        integer = flat.dtype.kind in "iub" and not selects  # signed, unsigned, bool
        if integer:
            # Interpolating samplers (SMOTE, ADASYN, ...) compute x_i + t * (x_j - x_i)
            # in the input dtype: on unsigned integers x_j - x_i wraps around and
            # gives silently wrong pixels. Resample in float64, round back below.
            flat = flat.astype(np.float64)
        # the layout was flagged once, on this wrapper's input: not again by
        # an image sampler given the same shape (catch_warnings is global
        # state, so only then)
        flagged = images_aware and channels_first_hint(self.image_shape_) is not None
        try:
            with warnings.catch_warnings() if flagged else nullcontext():
                if flagged:
                    warnings.simplefilter("ignore", ChannelsFirstWarning)
                X_res, y_res, *extra = self.sampler_.fit_resample(flat, y, **params)
        except (ValueError, TypeError) as exc:
            if hasattr(exc, "add_note"):
                exc.add_note(
                    f"Raised by {type(self.sampler_).__name__} inside ImageResampler, "
                    f"on images {self.image_shape_} flattened to shape {flat.shape}."
                )
            raise
        self._copy_inner_attributes(("sample_indices_", "sampling_strategy_"))
        X_res = np.asarray(X_res)
        if X_res.dtype != X.dtype:  # cast above, or by the sampler (shrinkage=...)
            if X.dtype.kind in "iub":
                X_res = rint_to_dtype(X_res, X.dtype)
            else:
                X_res = X_res.astype(X.dtype)
        images = X_res.reshape((-1, *self.image_shape_))
        return (restore_layout(images, X.ndim), np.asarray(y_res), *extra)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self._inner_tags()
        # tables that hold no images go to the inner sampler unchanged (they
        # are refused when image_shape says the rows are images)
        tags.input_tags.sparse = inner.input_tags.sparse and self.image_shape is None
        tags.input_tags.string = inner.input_tags.string and self.image_shape is None
        tags.input_tags.dataframe = inner.input_tags.dataframe
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.sampler_tags.sample_indices = self._inner_tags_sample_indices()
        return tags
