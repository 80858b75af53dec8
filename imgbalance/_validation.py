"""The image input contract, in one place.

Every estimator of imgbalance accepts a batch of images in one of three
layouts:

* ``(n_samples, height, width)`` -- grayscale images;
* ``(n_samples, height, width, n_channels)`` -- colour (channels-last) images;
* ``(n_samples, n_features)`` -- flattened images.  With ``image_shape=(h, w)``
  or ``(h, w, c)`` each row is reshaped, in C order, to that shape.  With
  ``image_shape=None`` each row is taken as a ``1 x n_features`` grayscale
  image: flattened data always works (so scikit-learn's own checks run on
  every estimator), but a 2-D kernel such as HOG sees one-pixel-high images.

At ``fit`` the estimator stores ``image_shape_`` and the true number of
features ``n_features_in_ = prod(image_shape_)``; later calls must present
images of the same shape (in any of the layouts), otherwise they get
scikit-learn's "X has N features, but ... is expecting M features as input."

Image arrays are channels-last.  A 4-D ``X`` whose second axis is 1, 3 or 4
and whose last axis is larger (``(n, 3, 32, 32)``) looks channels-first: the
estimators warn with :class:`imgbalance.exceptions.ChannelsFirstWarning`,
naming the fix (``X.transpose(0, 2, 3, 1)``), and never transpose by
themselves.  The same holds for flattened rows with such an ``image_shape``.

This module is the only one that knows these rules, and the one entry point
of validation for the estimators: they call :func:`validate_images`
(samplers :func:`validate_sampler_input`) and the parameter checks
:func:`check_image_shape`, :func:`check_int_pair` and
:func:`check_range_pair`.  Those plain checks live in the NumPy-only
:mod:`imgbalance._checks` (re-exported here), so that the kernels share
them without importing scikit-learn.
"""

from math import prod

import numpy as np
from scipy.sparse import issparse
from sklearn.utils.validation import validate_data

from ._checks import check_image_dtype, check_image_shape, check_int_pair, check_range_pair
from ._compat import check_target_type
from ._warnings import ChannelsFirstWarning, warn_caller

__all__ = [
    "channels_first_hint",
    "check_image_batch_ndim",
    "check_image_dtype",
    "check_image_shape",
    "check_int_pair",
    "check_range_pair",
    "not_image_rows",
    "reject_bool",
    "restore_layout",
    "validate_images",
    "validate_sampler_input",
]


def reject_bool(images, estimator):
    """Raise a TypeError for boolean images (the only non-numeric dtype
    :func:`validate_images` lets through), which numeric image kernels refuse."""
    check_image_dtype(images.dtype, name="X", owner=type(estimator).__name__)


def _shape_str(shape):
    return "(" + ", ".join(str(int(s)) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _densify_sparse_frame(X):
    """A dataframe of pandas sparse columns, as a dense dataframe.

    Images are dense; scikit-learn versions differ in whether they turn such
    a frame into a scipy sparse matrix (refused) or a dense array.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(X, "sparse"):
        if any(type(dtype).__name__ == "SparseDtype" for dtype in dtypes):
            return X.sparse.to_dense()
    return X


def channels_first_hint(shape, *, flattened=False):
    """The fix for image shape ``shape`` if it looks channels-first, else None.

    A shape ``(a, h, w)`` with ``a`` in (1, 3, 4) and ``w > a`` looks like
    ``(n_channels, height, width)``: it would be read as ``a`` rows of ``h``
    pixels with ``w`` channels.  ``flattened`` says the images came as rows
    with this ``image_shape``.
    """
    if len(shape) != 3 or shape[0] not in (1, 3, 4) or shape[2] <= shape[0]:
        return None
    c, h, w = shape
    if flattened:
        return (
            f"image_shape={_shape_str(shape)} looks channels-first: it is read as "
            f"{c} row(s) of {h} pixels with {w} channels. imgbalance wants "
            f"channels-last images: pass image_shape=({h}, {w}, {c}) and rows "
            f"X.reshape(-1, {c}, {h}, {w}).transpose(0, 2, 3, 1).reshape(len(X), -1)."
        )
    return (
        f"X of images {_shape_str(shape)} looks channels-first (n_samples, "
        f"n_channels, height, width): it is read as {c} row(s) of {h} pixels "
        f"with {w} channels. imgbalance wants channels-last images: pass "
        "X.transpose(0, 2, 3, 1)."
    )


def _warn_if_channels_first(X, image_shape, name):
    """Warn (ChannelsFirstWarning) on input that looks channels-first; never transpose."""
    if X.ndim == 4:
        hint = channels_first_hint(X.shape[1:])
    elif X.ndim == 2 and image_shape is not None:
        hint = channels_first_hint(image_shape, flattened=True)
    else:
        hint = None
    if hint is not None:
        warn_caller(
            f"{name}: {hint} Silence this warning if the layout is intended "
            "(warnings.filterwarnings('ignore', category=ChannelsFirstWarning)).",
            ChannelsFirstWarning,
        )


def _validate_array(estimator, X, y, *, reset, ensure_all_finite, dtype):
    """scikit-learn's checks, allowing n-D X; ragged input gets a clear error."""
    check_params = dict(
        accept_sparse=False,
        allow_nd=True,
        ensure_2d=False,
        ensure_all_finite=ensure_all_finite,
        dtype=dtype,
        ensure_min_samples=1,
    )
    # ensure_2d=False keeps validate_data from setting n_features_in_ to
    # X.shape[1] (the image height for n-D input); it is set by the caller.
    try:
        if y is None:
            return validate_data(estimator, X, reset=reset, **check_params), None
        return validate_data(estimator, X, y, reset=reset, **check_params)
    except ValueError as exc:
        if "inhomogeneous" not in str(exc):
            raise
        raise ValueError(
            f"X in {type(estimator).__name__} is a ragged sequence: its images (or "
            "rows) do not all have the same shape, so they cannot form one array. "
            "Resize or crop the images to a common (height, width[, n_channels]) first."
        ) from exc


def check_image_batch_ndim(X, name):
    """Raise a ValueError unless X is 2-D, 3-D or 4-D with no empty dimension."""
    if X.ndim not in (2, 3, 4):
        raise ValueError(
            f"Expected 2D array (n_samples, n_features), 3D array "
            f"(n_samples, height, width) or 4D array (n_samples, height, width, "
            f"n_channels) for X in {name}; got {X.ndim}D array of shape "
            f"{_shape_str(X.shape)} instead. Reshape your data: a single image with "
            "X[np.newaxis], a single flattened sample with X.reshape(1, -1)."
        )
    if X.ndim > 2 and 0 in X.shape[1:]:
        raise ValueError(
            f"X in {name} has an empty image shape {_shape_str(X.shape[1:])}: "
            "every image dimension must be at least 1."
        )
    if X.ndim == 2 and X.shape[1] == 0:
        raise ValueError(
            f"0 feature(s) (shape={_shape_str(X.shape)}) while a minimum of 1 is "
            f"required by {name}."
        )


def _image_shape_at_fit(X, image_shape):
    """The shape of one image of X at fit, from X and the ``image_shape`` parameter."""
    if X.ndim > 2:
        shape = X.shape[1:]
        if image_shape is not None and tuple(image_shape) != tuple(shape):
            raise ValueError(
                f"image_shape={image_shape} does not match the shape of the "
                f"images in X, {_shape_str(shape)} (X.shape={_shape_str(X.shape)}). "
                "Set image_shape=None for image arrays, or make them agree."
            )
        return tuple(int(s) for s in shape)
    if image_shape is None:
        return (1, int(X.shape[1]))
    if prod(image_shape) != X.shape[1]:
        raise ValueError(
            f"image_shape={image_shape} means {prod(image_shape)} features "
            f"per image, but X has {X.shape[1]} features (X.shape="
            f"{_shape_str(X.shape)}). Pass image_shape matching the "
            "flattened images, or pass X as (n_samples, height, width"
            "[, n_channels])."
        )
    return image_shape


def _check_fitted_image_shape(estimator, X, name):
    """Raise scikit-learn's n_features error if X's images differ from the fit."""
    expected = estimator.image_shape_
    n_expected = estimator.n_features_in_
    n_got = int(prod(X.shape[1:]))
    if n_got != n_expected:
        single = ""
        if tuple(X.shape) == tuple(expected):  # one image, not a batch
            single = " A single image? Pass X[np.newaxis], a batch of one."
        raise ValueError(
            f"X has {n_got} features, but {name} is expecting {n_expected} "
            f"features as input (images of shape {_shape_str(expected)}; got "
            f"X of shape {_shape_str(X.shape)}).{single}"
        )
    if X.ndim > 2 and tuple(X.shape[1:]) != tuple(expected):
        raise ValueError(
            f"X has images of shape {_shape_str(X.shape[1:])}, but {name} was "
            f"fitted on images of shape {_shape_str(expected)}."
        )


def validate_images(
    estimator,
    X,
    y=None,
    *,
    reset,
    image_shape=None,
    ensure_all_finite=True,
    dtype="numeric",
):
    """Validate X (and y) against the image input contract.

    Parameters
    ----------
    estimator : estimator instance
        Its ``image_shape_`` and ``n_features_in_`` are set when ``reset`` is
        True and checked against otherwise.
    X : array-like of shape (n_samples, h, w), (n_samples, h, w, c) or (n_samples, n_features)
        The input.
    y : array-like of shape (n_samples,) or None
        Targets, checked for consistent length when given.
    reset : bool
        True in ``fit``/``fit_resample``, False afterwards.  At fit, input
        that looks channels-first gets a :class:`ChannelsFirstWarning`.
    image_shape : tuple or None
        The estimator's ``image_shape`` parameter (used only for 2-D X at fit).
    ensure_all_finite, dtype
        Passed on to :func:`sklearn.utils.check_array`.

    Returns
    -------
    X : ndarray
        The validated array, in the layout it came in.
    images : ndarray of shape (n_samples, h, w) or (n_samples, h, w, c)
        A view of ``X`` as an image batch.
    y : ndarray or None
        The validated targets.
    """
    name = type(estimator).__name__
    image_shape = check_image_shape(image_shape)
    X, y = _validate_array(
        estimator,
        _densify_sparse_frame(X),
        y,
        reset=reset,
        ensure_all_finite=ensure_all_finite,
        dtype=dtype,
    )
    check_image_batch_ndim(X, name)
    if reset:
        shape = _image_shape_at_fit(X, image_shape)
        _warn_if_channels_first(X, image_shape, name)
        estimator.image_shape_ = shape
        estimator.n_features_in_ = int(prod(shape))
    else:
        _check_fitted_image_shape(estimator, X, name)
    images = X.reshape((X.shape[0], *estimator.image_shape_))
    return X, images, y


def not_image_rows(X):
    """Why the 2-D ``X`` cannot hold image rows, or None if it may.

    Sparse matrices, 2-D arrays of objects or strings and dataframes with a
    non-numeric column (strings, categories, dates) are tables, not image
    batches: :class:`ImageResampler` passes them to its sampler unchanged.
    Nothing is converted or copied here.
    """
    if issparse(X):
        return f"a sparse {type(X).__name__}"
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(X, "columns"):
        kinds = [getattr(dtype, "kind", None) for dtype in getattr(dtypes, "values", dtypes)]
        odd = [str(c) for c, k in zip(X.columns, kinds) if k is not None and k not in "biuf"]
        if odd:
            return f"a dataframe with non-numeric column(s) {', '.join(odd[:5])}"
        return None
    if isinstance(X, (list, tuple)):
        try:
            X = np.asarray(X)
        except ValueError:  # ragged: validate_images explains
            return None
    dtype, ndim = getattr(X, "dtype", None), getattr(X, "ndim", None)
    if ndim == 2 and getattr(dtype, "kind", None) in ("O", "U", "S"):
        return f"a 2-D array of dtype {dtype}"
    return None


def validate_sampler_input(sampler, X, y, *, ensure_all_finite=True, numeric_images=True):
    """The ``_check_X_y`` hook of imbalanced-learn samplers, for image input.

    Checks the target as imbalanced-learn does, then X and y against the
    image contract (setting ``image_shape_`` and ``n_features_in_``).
    Returns ``(X, y, binarize_y)`` as imbalanced-learn's hook does.
    """
    y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
    X, images, y = validate_images(
        sampler,
        X,
        y,
        reset=True,
        image_shape=sampler.image_shape,
        ensure_all_finite=ensure_all_finite,
    )
    if numeric_images:
        reject_bool(images, sampler)
    return X, y, binarize_y


def restore_layout(images, X_ndim):
    """Return ``images`` in the layout of the input: flattened if X was 2-D."""
    if X_ndim == 2:
        return images.reshape(images.shape[0], -1)
    return images
