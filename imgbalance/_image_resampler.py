"""ImageResampler: any imbalanced-learn sampler on image arrays."""

import numpy as np
from imblearn.base import BaseSampler
from imblearn.over_sampling import RandomOverSampler
from sklearn.base import clone

from ._compat import HasMethods
from ._validation import restore_layout, validate_sampler_input

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
        An imbalanced-learn sampler (anything with ``fit_resample``); it is
        cloned in ``fit_resample``.  ``None`` means
        :class:`~imblearn.over_sampling.RandomOverSampler`.
    image_shape : tuple of int or None, default=None
        Shape ``(height, width)`` or ``(height, width, n_channels)`` of one
        image when ``X`` is passed flattened as ``(n_samples, n_features)``.
        If None, a 2-D ``X`` is taken as ``1 x n_features`` images (which
        the inner sampler sees unchanged).

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler``.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Indices of the selected samples, when the inner sampler provides them
        (``RandomUnderSampler``, ``RandomOverSampler``, cleaning samplers).
    image_shape_ : tuple of int
        Shape of one image seen during ``fit_resample``.
    n_features_in_ : int
        Number of pixel values per image, ``prod(image_shape_)``.

    Notes
    -----
    The inner sampler decides the class counts: its own
    ``sampling_strategy`` applies.  Integer (and boolean) images are handed
    to it as float64 and the result is rounded back to the input dtype: stock SMOTE
    on ``uint8`` arrays computes pixel differences in ``uint8``, where they
    wrap around, and returns silently wrong images.  A synthetic sample made by SMOTE or
    ADASYN in pixel space is a pixel-wise blend of two images; SMOTE on
    features (after :class:`HOGTransformer`) is usually the better choice.

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
        "sampler": [HasMethods(["fit_resample"]), None],
        "image_shape": [tuple, list, None],
    }

    def __init__(self, sampler=None, *, image_shape=None):
        super().__init__(sampling_strategy="auto")
        self.sampler = sampler
        self.image_shape = image_shape

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
        return RandomOverSampler() if self.sampler is None else self.sampler

    def _inner_tags(self):
        return self._inner().__sklearn_tags__()

    def _fit_resample(self, X, y):
        self.sampler_ = clone(self._inner())
        flat = X.reshape(X.shape[0], -1)
        integer = flat.dtype.kind in "iub"  # signed, unsigned, bool
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
        X_res = np.asarray(X_res)
        if integer:
            low, high = (0, 1) if X.dtype == bool else (np.iinfo(X.dtype).min, np.iinfo(X.dtype).max)
            X_res = np.clip(np.rint(X_res), low, high).astype(X.dtype)
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
        inner_sampler_tags = getattr(inner, "sampler_tags", None)
        tags.sampler_tags.sample_indices = bool(
            getattr(inner_sampler_tags, "sample_indices", False)
        )
        return tags
