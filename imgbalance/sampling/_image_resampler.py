"""ImageResampler: any imbalanced-learn sampler on image arrays."""

import numpy as np
from imblearn.base import BaseSampler
from imblearn.over_sampling import RandomOverSampler
from sklearn.base import clone

from .._compat import HasMethods
from .._dtypes import rint_to_dtype
from .._validation import restore_layout, validate_sampler_input
from ._augmentation import AugmentationOverSampler

__all__ = ["ImageResampler"]


class ImageResampler(BaseSampler):
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
        ``RandomOverSampler(random_state=random_state)``.  An
        :class:`AugmentationOverSampler` gets the images' shape when its own
        ``image_shape`` is None (wrapping it is not needed, but works).
    image_shape : tuple of int or None, default=None
        Shape ``(height, width)`` or ``(height, width, n_channels)`` of one
        image when ``X`` is passed flattened as ``(n_samples, n_features)``.
        If None, a 2-D ``X`` is taken as ``1 x n_features`` images (which
        the inner sampler sees unchanged).
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
    image_shape_ : tuple of int
        Shape of one image seen during ``fit_resample``.
    n_features_in_ : int
        Number of pixel values per image, ``prod(image_shape_)``.

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
    :class:`AugmentationOverSampler`, which handles integer pixels itself,
    gets them in their own dtype (boolean images as float64).  A
    synthetic sample made by SMOTE or ADASYN in pixel space is a pixel-wise
    blend of two images; SMOTE on features (after :class:`HOGTransformer`)
    is usually the better choice.

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
    ((48, 8, 8), Counter({0: 24, 1: 24}))
    """

    _sampling_type = "bypass"

    _parameter_constraints: dict = {
        "sampler": [HasMethods(["fit_resample", "get_params", "__sklearn_tags__"]), None],
        "image_shape": [tuple, list, None],
        "random_state": ["random_state"],
    }

    def __init__(self, sampler=None, *, image_shape=None, random_state=None):
        super().__init__(sampling_strategy="auto")
        self.sampler = sampler
        self.image_shape = image_shape
        self.random_state = random_state

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

    def _fit_resample(self, X, y):
        self.sampler_ = clone(self._inner())
        flat = X.reshape(X.shape[0], -1)
        # AugmentationOverSampler learns the shape of the flattened rows, when
        # known (2-D X without image_shape: it warns about that itself), and
        # keeps integer pixels exact in their own dtype.
        augments = isinstance(self.sampler_, AugmentationOverSampler)
        known = X.ndim > 2 or self.image_shape is not None
        if augments and known and self.sampler_.image_shape is None:
            self.sampler_.set_params(image_shape=self.image_shape_)
        # Samplers that select rows return the pixels untouched: no cast.
        selects = self._inner_tags_sample_indices() or (augments and flat.dtype.kind != "b")
        integer = flat.dtype.kind in "iub" and not selects  # signed, unsigned, bool
        if integer:
            # Interpolating samplers (SMOTE, ADASYN, ...) compute x_i + t * (x_j - x_i)
            # in the input dtype: on unsigned integers x_j - x_i wraps around and
            # gives silently wrong pixels. Resample in float64, round back below.
            flat = flat.astype(np.float64)
        try:
            X_res, y_res = self.sampler_.fit_resample(flat, y)
        except (ValueError, TypeError) as exc:
            if hasattr(exc, "add_note"):
                exc.add_note(
                    f"Raised by {type(self.sampler_).__name__} inside ImageResampler, "
                    f"on images {self.image_shape_} flattened to shape {flat.shape}."
                )
            raise
        if hasattr(self.sampler_, "sample_indices_"):
            self.sample_indices_ = self.sampler_.sample_indices_
        elif hasattr(self, "sample_indices_"):
            del self.sample_indices_  # from an earlier fit with another sampler
        X_res = np.asarray(X_res)
        if X_res.dtype != X.dtype:  # cast above, or by the sampler (shrinkage=...)
            if X.dtype.kind in "iub":
                X_res = rint_to_dtype(X_res, X.dtype)
            else:
                X_res = X_res.astype(X.dtype)
        images = X_res.reshape((-1, *self.image_shape_))
        return restore_layout(images, X.ndim), np.asarray(y_res)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self._inner_tags()
        tags.input_tags.three_d_array = True
        tags.input_tags.two_d_array = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.string = False
        tags.sampler_tags.sample_indices = self._inner_tags_sample_indices()
        return tags
