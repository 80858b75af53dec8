"""Keras ``ImageDataGenerator``-style transform parameters and their affine matrices.

Pure NumPy (no scikit-learn).  Three public functions, one idea:

* :func:`random_transform_parameters` draws the parameters of ``n``
  transforms (Keras' ``get_random_transform``, batched);
* :func:`transform_matrices` turns explicit parameters into the matrices
  :func:`~imgbalance.augmentation.warp_affine` takes (the geometry of Keras'
  ``apply_transform``, batched);
* :func:`random_affine_matrices` does both at once (what the sampler uses).

The conventions (units, axes, signs, centre), and where they follow Keras 3's
legacy generator or keras-preprocessing 1.1.2, are tabulated in the user
guide page :ref:`keras_conventions`.
"""

import numpy as np

from .._checks import check_int_pair, check_range_pair, is_int, is_real

__all__ = ["random_affine_matrices", "random_transform_parameters", "transform_matrices"]

# Parameter names (those of Keras' transform_parameters dicts) and neutral values.
PARAMETER_DEFAULTS = {
    "theta": 0.0, "tx": 0.0, "ty": 0.0, "shear": 0.0, "zx": 1.0, "zy": 1.0,
    "flip_horizontal": False, "flip_vertical": False, "brightness": None,
}
_MATRIX_BLOCK = 1 << 14  # matrices per block: bounds the temporaries


def _check_draw(rng, n, image_hw, ranges, zoom_range, brightness_range):
    """Validate the arguments of the random draws; return ``(n, (h, w), zoom, brightness)``."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}.")
    if not is_int(n) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}.")
    hw = check_int_pair(image_hw, name="image_hw", allow_scalar=False)
    for name, value in ranges.items():
        if not is_real(value) or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    zoom = check_range_pair(zoom_range, name="zoom_range", low_bound=0)
    brightness = None
    if brightness_range is not None:
        brightness = check_range_pair(
            brightness_range, name="brightness_range", low_bound=0, strict=False
        )
    return int(n), hw, zoom, brightness


def random_transform_parameters(
    rng,
    n,
    image_hw,
    *,
    rotation_range=0.0,
    width_shift_range=0.0,
    height_shift_range=0.0,
    shear_range=0.0,
    zoom_range=(1.0, 1.0),
    horizontal_flip=False,
    vertical_flip=False,
    brightness_range=None,
):
    """Draw the parameters of ``n`` random Keras-style transforms.

    The batched counterpart of Keras' ``ImageDataGenerator.get_random_transform``:
    one array of length ``n`` per parameter, ready for
    :func:`apply_transform` or :func:`transform_matrices`.  These are the
    draws :class:`~imgbalance.AugmentationOverSampler` makes.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of transforms.
    image_hw : tuple of (int, int)
        ``(image_height, image_width)`` of the images (shifts are fractions of it).
    rotation_range : float, default=0.0
        ``theta`` is uniform in ``[-rotation_range, rotation_range]`` degrees.
    width_shift_range : float, default=0.0
        ``tx`` is uniform in ``[-s, s] * image_width`` pixels (columns).
    height_shift_range : float, default=0.0
        ``ty`` is uniform in ``[-s, s] * image_height`` pixels (rows).
    shear_range : float, default=0.0
        ``shear`` is uniform in ``[-shear_range, shear_range]`` degrees.
    zoom_range : tuple of (float, float), default=(1.0, 1.0)
        ``zx`` (columns) and ``zy`` (rows) are drawn separately, each uniform
        in ``[low, high]``; a factor above 1 zooms *out*, as in Keras.
    horizontal_flip : bool, default=False
        ``flip_horizontal`` is True with probability 0.5.
    vertical_flip : bool, default=False
        ``flip_vertical`` is True with probability 0.5.
    brightness_range : tuple of (float, float) or None, default=None
        ``brightness`` factors uniform in ``[low, high]``; None leaves
        ``brightness`` None.

    Returns
    -------
    transform_parameters : dict
        ``theta``, ``tx``, ``ty``, ``shear``, ``zx``, ``zy`` (float64 arrays
        of shape ``(n,)``), ``flip_horizontal``, ``flip_vertical`` (bool
        arrays) and ``brightness`` (float64 array or None).

    See Also
    --------
    apply_transform : Apply these parameters to images.
    transform_matrices : The affine matrices of these parameters.

    Notes
    -----
    One block ``u = rng.random((n, 8))`` is drawn whatever the ranges, and
    image ``i`` uses ``u[i]`` in Keras' draw order: rotation, height shift,
    width shift, shear, ``zx``, ``zy``, horizontal flip, vertical flip;
    brightness factors follow, as ``rng.uniform(low, high, n)``.  A range
    left at its neutral value does not change the other draws, and the first
    ``k`` transforms of ``n`` equal the ``k`` drawn from the same state.

    Unlike Keras 3's generator, which multiplies the height-shift draw by the
    height and applies it along columns (the ``tx`` of its ``apply_transform``),
    the height shift moves rows here, as Keras' documentation and
    keras-preprocessing say; see :ref:`keras_conventions`.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation import random_transform_parameters
    >>> params = random_transform_parameters(
    ...     np.random.default_rng(0), 3, (28, 28), rotation_range=15, horizontal_flip=True)
    >>> sorted(params)  # doctest: +NORMALIZE_WHITESPACE
    ['brightness', 'flip_horizontal', 'flip_vertical', 'shear', 'theta', 'tx', 'ty',
     'zx', 'zy']
    >>> params["theta"].shape, params["brightness"] is None
    ((3,), True)
    >>> bool(np.all(np.abs(params["theta"]) <= 15))
    True
    """
    ranges = {
        "rotation_range": rotation_range, "width_shift_range": width_shift_range,
        "height_shift_range": height_shift_range, "shear_range": shear_range,
    }
    n, (h, w), (z_lo, z_hi), brightness = _check_draw(
        rng, n, image_hw, ranges, zoom_range, brightness_range
    )
    # by blocks, continuing one stream: the draws do not depend on the block size
    u = np.concatenate(
        [rng.random((min(n, s + _MATRIX_BLOCK) - s, 8)) for s in range(0, n, _MATRIX_BLOCK)]
        or [np.empty((0, 8))]
    )
    params = {
        "theta": float(rotation_range) * (2.0 * u[:, 0] - 1.0),
        "ty": float(height_shift_range) * (2.0 * u[:, 1] - 1.0) * h,  # rows
        "tx": float(width_shift_range) * (2.0 * u[:, 2] - 1.0) * w,  # columns
        "shear": float(shear_range) * (2.0 * u[:, 3] - 1.0),
        "zx": z_lo + (z_hi - z_lo) * u[:, 4],  # columns
        "zy": z_lo + (z_hi - z_lo) * u[:, 5],  # rows
        "flip_horizontal": bool(horizontal_flip) & (u[:, 6] < 0.5),
        "flip_vertical": bool(vertical_flip) & (u[:, 7] < 0.5),
        "brightness": None,
    }
    if brightness is not None:
        params["brightness"] = rng.uniform(brightness[0], brightness[1], size=n)
    return {name: params[name] for name in PARAMETER_DEFAULTS}


def broadcast_parameters(transform_parameters, n=None):
    """Check explicit transform parameters; return them as arrays of length ``n``.

    Missing names take their neutral value; ``brightness`` stays None when
    missing or None.  ``n`` defaults to the common length of the array values
    (1 when all are scalars).
    """
    if not isinstance(transform_parameters, dict):
        raise TypeError(
            "transform_parameters must be a dict with keys among "
            f"{sorted(PARAMETER_DEFAULTS)}, got {type(transform_parameters).__name__}."
        )
    params = dict(transform_parameters)
    if params.get("channel_shift_intensity", None) is not None:
        raise ValueError(
            "transform_parameters: channel_shift_intensity is not supported "
            f"(got {params['channel_shift_intensity']!r}); pass None or leave it out."
        )
    params.pop("channel_shift_intensity", None)
    unknown = sorted(set(params) - set(PARAMETER_DEFAULTS))
    if unknown:
        raise ValueError(
            f"transform_parameters has unknown keys {unknown}; expected keys among "
            f"{sorted(PARAMETER_DEFAULTS)}."
        )
    arrays = {}
    for name, default in PARAMETER_DEFAULTS.items():
        value = params.get(name, default)
        if value is None:
            arrays[name] = None
            continue
        arr = np.asarray(value)
        if arr.ndim > 1 or arr.dtype.kind not in "biuf":
            raise ValueError(
                f"transform_parameters[{name!r}] must be a real number or a 1-D "
                f"array of them, got {value!r}."
            )
        if name.startswith("flip"):
            arr = arr.astype(bool)
        else:
            arr = arr.astype(np.float64)
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"transform_parameters[{name!r}] must be finite, got {value!r}.")
        arrays[name] = arr
    lengths = {len(a) for a in arrays.values() if a is not None and a.ndim == 1}
    if n is None:
        n = lengths.pop() if len(lengths) == 1 else (1 if not lengths else None)
    if n is None or lengths - {n}:
        shapes = {k: np.shape(a) for k, a in arrays.items() if a is not None}
        raise ValueError(
            "transform_parameters values must be scalars or arrays of one common "
            f"length{'' if n is None else f' {n} (one per image)'}; got shapes {shapes}."
        )
    return {k: None if a is None else np.broadcast_to(a, (n,)) for k, a in arrays.items()}


def transform_matrices(transform_parameters, image_hw):
    """The affine matrices of explicit Keras-style transform parameters.

    The geometry of Keras' ``apply_transform``, batched: the returned
    matrices, passed to :func:`warp_affine`, give the rotation, shifts,
    shear, zoom and flips (not the brightness) of each transform.

    Parameters
    ----------
    transform_parameters : dict
        Keys among ``theta`` (rotation, degrees), ``tx`` (shift along columns,
        pixels), ``ty`` (shift along rows, pixels), ``shear`` (degrees),
        ``zx`` (column zoom), ``zy`` (row zoom), ``flip_horizontal``,
        ``flip_vertical`` (and ``brightness``, ignored here).  Each value is
        a scalar or an array of length ``n``; missing keys are neutral.
    image_hw : tuple of (int, int)
        ``(image_height, image_width)`` of the images to warp.

    Returns
    -------
    matrices : ndarray of shape (n, 3, 3), float64
        Homogeneous matrices mapping output ``(row, col)`` to input coordinates.

    See Also
    --------
    apply_transform : Warp images by these parameters, with brightness.

    Notes
    -----
    In Keras' ``(x, y)`` frame (``x`` the columns) the matrix is
    ``R(theta) @ T(tx, ty) @ S(shear) @ Z(zx, zy)`` with
    ``R = [[cos, -sin], [sin, cos]]``, ``S = [[1, -sin(shear)], [0, cos(shear)]]``
    and ``Z = diag(zx, zy)``; its axes are swapped into ``(row, col)``
    order (Keras 3's ``PMP`` permutation), and it is conjugated by a
    translation to the image centre ``((h - 1) / 2, (w - 1) / 2)``.  In
    ``(row, col)`` the linear part is::

        [[cos t, sin t], [-sin t, cos t]] @ [[cos s, 0], [-sin s, 1]] @ diag(zy, zx)

    A positive ``theta`` turns the content counter-clockwise on screen; a
    positive ``tx`` samples columns further right, so the content moves left
    (a positive ``ty`` moves it up).  Keras then flips the *output*; a flip
    is folded in here as the right-hand factor ``col -> w - 1 - col`` (or
    ``row -> h - 1 - row``), exact for orders 0 and 1.  On square images
    this is Keras 3's matrix (equal to about 1e-15); on other images Keras 3
    swaps the height and width when centring, which is not followed here.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation import transform_matrices
    >>> m = transform_matrices({"tx": 2.0, "flip_vertical": True}, (5, 5))
    >>> m[0]  # row -> 4 - row, col -> col + 2
    array([[-1.,  0.,  4.],
           [ 0.,  1.,  2.],
           [ 0.,  0.,  1.]])
    """
    h, w = check_int_pair(image_hw, name="image_hw", allow_scalar=False)
    p = broadcast_parameters(transform_parameters)
    n = len(p["theta"])
    m = np.empty((n, 3, 3))
    for s in range(0, n, _MATRIX_BLOCK):
        block = slice(s, min(n, s + _MATRIX_BLOCK))
        m[block] = _matrix_block({k: v[block] for k, v in p.items() if v is not None}, h, w)
    return m


def _matrix_block(p, h, w):
    """The matrices of one block of broadcast parameters (see :func:`transform_matrices`)."""
    theta, shear = np.deg2rad(p["theta"]), np.deg2rad(p["shear"])
    tx, ty, zx, zy = p["tx"], p["ty"], p["zx"], p["zy"]
    cos_t, sin_t = np.cos(theta), np.sin(theta)
    cos_s, sin_s = np.cos(shear), np.sin(shear)
    # Keras (x, y) frame, before its axis swap: R @ T @ S @ Z
    mk = np.zeros((len(theta), 3, 3))
    mk[:, 0, 0] = cos_t * zx
    mk[:, 0, 1] = (-cos_t * sin_s - sin_t * cos_s) * zy
    mk[:, 1, 0] = sin_t * zx
    mk[:, 1, 1] = (-sin_t * sin_s + cos_t * cos_s) * zy
    mk[:, 0, 2] = cos_t * tx - sin_t * ty
    mk[:, 1, 2] = sin_t * tx + cos_t * ty
    mk[:, 2, 2] = 1.0
    # Keras' swap PMP: its first axis becomes the column axis, the second the row.
    m = mk[:, [1, 0, 2]][:, :, [1, 0, 2]]
    # centre: offset @ M @ reset with the true centre in (row, col)
    centre = np.array([(h - 1) / 2.0, (w - 1) / 2.0])
    m[:, :2, 2] += centre - np.einsum("nij,j->ni", m[:, :2, :2], centre)
    # flips act on the output: M @ F
    hflip, vflip = p["flip_horizontal"], p["flip_vertical"]
    if hflip.any():
        m[hflip, :2, 2] += m[hflip, :2, 1] * (w - 1)
        m[hflip, :2, 1] *= -1.0
    if vflip.any():
        m[vflip, :2, 2] += m[vflip, :2, 0] * (h - 1)
        m[vflip, :2, 0] *= -1.0
    return m


def random_affine_matrices(
    rng,
    n,
    image_hw,
    *,
    rotation_range=0.0,
    width_shift_range=0.0,
    height_shift_range=0.0,
    shear_range=0.0,
    zoom_range=(1.0, 1.0),
    horizontal_flip=False,
    vertical_flip=False,
):
    """Draw random affine matrices with Keras ``ImageDataGenerator`` semantics.

    ``transform_matrices(random_transform_parameters(rng, n, image_hw, ...), image_hw)``:
    the parameters are those of :func:`random_transform_parameters` (without
    brightness), the geometry that of :func:`transform_matrices`.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of matrices.
    image_hw : tuple of (int, int)
        ``(image_height, image_width)`` of the images to warp.
    rotation_range : float, default=0.0
        Rotation angle in degrees, uniform in ``[-rotation_range, rotation_range]``.
    width_shift_range : float, default=0.0
        Horizontal shift as a fraction of the width, uniform in ``[-s, s]``.
    height_shift_range : float, default=0.0
        Vertical shift as a fraction of the height, uniform in ``[-s, s]``.
    shear_range : float, default=0.0
        Shear angle in degrees, uniform in ``[-shear_range, shear_range]``.
    zoom_range : tuple of (float, float), default=(1.0, 1.0)
        ``(low, high)``; the row and column zoom factors are drawn separately,
        each uniform in ``[low, high]``.  As in Keras a factor above 1 samples a
        larger input area, i.e. zooms *out*.
    horizontal_flip : bool, default=False
        Mirror left-right with probability 0.5.
    vertical_flip : bool, default=False
        Mirror top-bottom with probability 0.5.

    Returns
    -------
    matrices : ndarray of shape (n, 3, 3), float64
        Homogeneous matrices mapping output ``(row, col)`` to input coordinates,
        ready for :func:`warp_affine`.

    See Also
    --------
    random_transform_parameters : The draws, as explicit parameters.
    transform_matrices : The geometry, and its conventions.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation import random_affine_matrices
    >>> rng = np.random.default_rng(0)
    >>> m = random_affine_matrices(rng, 4, (28, 28), rotation_range=15,
    ...                            zoom_range=(0.9, 1.1), horizontal_flip=True)
    >>> m.shape
    (4, 3, 3)
    >>> np.allclose(m[:, 2], [0, 0, 1])
    True
    """
    params = random_transform_parameters(
        rng, n, image_hw, rotation_range=rotation_range,
        width_shift_range=width_shift_range, height_shift_range=height_shift_range,
        shear_range=shear_range, zoom_range=zoom_range,
        horizontal_flip=horizontal_flip, vertical_flip=vertical_flip,
    )
    return transform_matrices(params, image_hw)
