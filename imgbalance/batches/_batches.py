"""BalancedBatches: class-balanced, freshly augmented batches for any training loop."""

import numbers

import numpy as np
from imblearn.over_sampling import RandomOverSampler

from .._compat import validate_params
from .._validation import channels_first_hint
from .._warnings import ChannelsFirstWarning, warn_caller
from ..augmentation._augment import apply_augmentation, draw_augmentation
from ..feature_extraction._layout import check_layout_params, flag_far_off_scale
from ..feature_extraction._layout_kernel import convert_images
from ..sampling import AugmentationOverSampler
from ._plan import _EVERY_IMAGE, _NEW_IMAGES, batch_rng, make_plan, plan_mode

__all__ = ["BalancedBatches", "check_epoch"]

_AUGMENTATION_KEYS = (
    "rotation_range", "width_shift_range", "height_shift_range", "shear_range",
    "zoom_range", "horizontal_flip", "vertical_flip", "brightness_range",
    "fill_mode", "cval", "interpolation_order",
)


def _check_augmentation(augmentation):
    """``(draw, warp)`` parameters of the per-image augmentation, or None."""
    if augmentation is None:
        return None
    if not isinstance(augmentation, dict):
        raise TypeError(
            "The 'augmentation' parameter of BalancedBatches must be None or a dict of "
            f"Keras-style ranges such as {{'width_shift_range': 0.1}}; got "
            f"{type(augmentation).__name__}."
        )
    unknown = sorted(set(augmentation) - set(_AUGMENTATION_KEYS))
    if unknown:
        raise ValueError(
            f"The 'augmentation' parameter of BalancedBatches has unknown key(s) {unknown}; "
            f"expected some of {list(_AUGMENTATION_KEYS)}."
        )
    sampler = AugmentationOverSampler(**augmentation)
    try:
        validate_params(sampler)  # scikit-learn's messages, naming the range
        return sampler._augmentation_params()
    except ValueError as exc:  # InvalidParameterError too: it names the sampler
        raise ValueError(
            f"The 'augmentation' parameter of BalancedBatches is invalid: {exc}"
        ) from exc


def _check_X_y(X, y):
    if isinstance(X, (list, tuple)):
        X = np.asarray(X)
    shape, dtype = getattr(X, "shape", None), getattr(X, "dtype", None)
    if shape is None or dtype is None or not hasattr(X, "__getitem__"):
        raise TypeError(
            "X must be a NumPy array or an array-like with shape, dtype and integer-array "
            f"indexing (np.memmap, h5py or zarr dataset, ImageFolderSource); got "
            f"{type(X).__name__}."
        )
    if len(shape) not in (3, 4):
        raise ValueError(
            "X must be a batch of channels-last images of shape (n_samples, height, width) "
            f"or (n_samples, height, width, n_channels); got shape {tuple(shape)}."
            + (" Reshape flattened images first." if len(shape) == 2 else "")
        )
    if np.dtype(dtype).kind not in "uif":
        raise TypeError(f"X must hold integer or floating pixels; got dtype {dtype}.")
    hint = channels_first_hint(tuple(shape[1:])) if len(shape) == 4 else None
    if hint is not None:
        warn_caller(
            f"BalancedBatches: {hint} data_format= sets the layout of the output only.",
            ChannelsFirstWarning,
        )
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != shape[0]:
        raise ValueError(
            f"y must be a 1-D array of one label per image ({shape[0]}); got shape {y.shape}."
        )
    return X, y


def check_epoch(epoch):
    """Validate an epoch number; return it as an int."""
    if not isinstance(epoch, numbers.Integral) or isinstance(epoch, bool) or epoch < 0:
        raise ValueError(f"epoch must be a non-negative int; got {epoch!r}.")
    return int(epoch)


def _check_seed(random_state):
    if random_state is None:
        return int(np.random.SeedSequence().entropy % (1 << 63))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool) \
            and random_state >= 0:
        return int(random_state)
    raise ValueError(
        "The 'random_state' parameter of BalancedBatches must be None, a non-negative int "
        f"or a numpy.random.RandomState; got {random_state!r}."
    )


def _load(X, rows):
    """``X[rows]`` as an array, reading every distinct row once, in increasing order."""
    if isinstance(X, np.ndarray):  # np.memmap too
        return np.asarray(X[rows])
    unique, inverse = np.unique(rows, return_inverse=True)
    return np.asarray(X[unique])[inverse]  # h5py wants increasing, distinct indices


class BalancedBatches:
    """Class-balanced, freshly resampled and augmented batches, epoch after epoch.

    Every epoch fits a fresh clone of ``sampler`` -- seeded from
    ``(random_state, epoch)`` -- so its class counts follow the sampler's
    ``sampling_strategy`` with imbalanced-learn's semantics, and the images
    the sampler creates are in the batches.  The epoch is shuffled (batches
    mix the classes) and cut into batches; each batch is read from ``X``,
    augmented and converted to the layout and dtype a network wants only
    when it is asked for.  Framework-free: the PyTorch and Keras adapters
    are in :mod:`imgbalance.torch` and :mod:`imgbalance.keras`.

    Parameters
    ----------
    X : array-like of shape (n_samples, height, width) or (n_samples, height, width, n_channels)
        Channels-last images: a NumPy array or any array-like with ``shape``,
        ``dtype`` and indexing by an integer array (``np.memmap``, an h5py or
        zarr dataset, :class:`~imgbalance.datasets.ImageFolderSource`).  Only
        the rows of the batch being built are read (except with samplers
        that need the whole set, see Notes).  Never modified.

    y : array-like of shape (n_samples,)
        Class labels.

    sampler : imbalanced-learn sampler or None, default=None
        Decides each epoch's class counts; None means
        ``RandomOverSampler()`` (every class as large as the largest).  Any
        imbalanced-learn sampler works; samplers that do not take image
        arrays (SMOTE, ...) are wrapped in
        :class:`~imgbalance.sampling.ImageResampler`.  Its ``random_state``
        is replaced by one drawn for each epoch.

    batch_size : int, default=32
        Images per batch; the last batch of an epoch may be smaller.

    augmentation : dict or None, default=None
        Keras-style random transform of *every* image of every batch (the
        usual deep-learning augmentation), besides the new images an
        :class:`~imgbalance.sampling.AugmentationOverSampler` makes: keys
        and meanings of that sampler's parameters (``rotation_range``,
        ``width_shift_range``, ``zoom_range``, ``horizontal_flip``,
        ``fill_mode``, ...).  None applies none.

    data_format : {"channels_last", "channels_first"}, default="channels_last"
        Layout of ``X_batch``: ``(n, h, w, c)`` for Keras, ``(n, c, h, w)``
        for PyTorch.  Grayscale images get a channel axis of length 1.

    dtype : str, dtype or None, default=None
        Dtype of ``X_batch``; None keeps the dtype of ``X``.

    scale : "auto", float or None, default="auto"
        ``"auto"`` divides integer pixels by their dtype's maximum (255 for
        uint8) when ``dtype`` is floating; a number multiplies; None never
        scales (as :class:`~imgbalance.feature_extraction.ImageLayout`, and
        with its warning for 0-255 pixels in a wider integer dtype, checked
        on an in-memory ``X``).

    shuffle : bool, default=True
        Shuffle each epoch.  Without it the batches follow the sampler's
        output order, which groups the classes: only for inspection.

    random_state : int, RandomState instance or None, default=None
        Seed of everything random.  Epoch ``i`` is a function of
        ``(random_state, i)`` alone, whoever computes it (a DataLoader
        worker, a Keras thread); None draws one seed when the object is made.

    Attributes
    ----------
    seed_ : int
        The seed the epochs are drawn from.

    Notes
    -----
    Memory beyond ``X`` per epoch: O(batch) images plus one integer per
    image of the epoch for ``RandomOverSampler`` (without ``shrinkage``),
    ``RandomUnderSampler`` and ``AugmentationOverSampler`` (also inside an
    ``ImageResampler``).  Every other sampler -- SMOTE, ADASYN and the rest
    of the SMOTE family, cleaning samplers (``TomekLinks``,
    ``EditedNearestNeighbours``, ...), ``SMOTEENN``, ``SMOTETomek`` -- needs
    all the pixels at once: the whole of ``X`` is read and one epoch's
    resample is held.  Cleaning samplers may also change the number of
    images, hence of batches, from one epoch to the next:
    :meth:`n_batches` gives each epoch's; ``len()`` is epoch 0's.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from imgbalance import AugmentationOverSampler
    >>> from imgbalance.batches import BalancedBatches
    >>> digits = load_digits()
    >>> keep = np.r_[np.flatnonzero(digits.target == 0)[:100],
    ...              np.flatnonzero(digits.target == 1)[:20]]
    >>> X, y = digits.images[keep].astype(np.uint8), digits.target[keep]
    >>> batches = BalancedBatches(
    ...     X, y, sampler=AugmentationOverSampler(rotation_range=10), batch_size=50,
    ...     data_format="channels_first", dtype="float32", random_state=0)
    >>> len(batches)  # 100 + 100 images per epoch
    4
    >>> X_batch, y_batch = next(iter(batches.epoch(0)))
    >>> X_batch.shape, X_batch.dtype, y_batch.shape
    ((50, 1, 8, 8), dtype('float32'), (50,))
    >>> sorted(Counter(np.concatenate([yb for _, yb in batches.epoch(3)]).tolist()).items())
    [(0, 100), (1, 100)]
    """

    def __init__(self, X, y, *, sampler=None, batch_size=32, augmentation=None,
                 data_format="channels_last", dtype=None, scale="auto", shuffle=True,
                 random_state=None):
        self.X, self.y = _check_X_y(X, y)
        if sampler is None:
            sampler = RandomOverSampler()
        if isinstance(sampler, type) or not hasattr(sampler, "fit_resample"):
            raise TypeError(
                "The 'sampler' parameter of BalancedBatches must be an imbalanced-learn "
                f"sampler instance (with fit_resample) or None; got {sampler!r}."
            )
        if not isinstance(batch_size, numbers.Integral) or isinstance(batch_size, bool) \
                or batch_size < 1:
            raise ValueError(
                "The 'batch_size' parameter of BalancedBatches must be a positive int; "
                f"got {batch_size!r}."
            )
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.augmentation = augmentation
        self.data_format, self.dtype, self.scale = data_format, dtype, scale
        self.shuffle = bool(shuffle)
        self._out_dtype = check_layout_params(data_format, dtype, scale, owner="BalancedBatches")
        flag_far_off_scale(self.X, scale, self._out_dtype, owner="BalancedBatches")
        self._every_image = _check_augmentation(augmentation)
        self._mode, self._planner = plan_mode(sampler)
        self.seed_ = _check_seed(random_state)
        self._cached = None

    def plan(self, epoch):
        """What ``epoch`` serves, in batch order (the last epoch's plan is cached).

        Returns an object with ``rows`` (the row of ``X``, or of the held
        resample, of every image of the epoch), ``y`` (their labels) and
        ``new`` (None, or which images are new ones to augment).
        """
        epoch = check_epoch(epoch)
        cached = self._cached  # one (epoch, plan) tuple, swapped whole: thread-safe
        if cached is None or cached[0] != epoch:
            plan = make_plan(self._mode, self._planner, self.X, self.y, self.seed_, epoch,
                             shuffle=self.shuffle)
            cached = self._cached = (epoch, plan)
        return cached[1]

    def n_batches(self, epoch=0):
        """Number of batches of ``epoch``."""
        return self._count(self.plan(epoch))

    def _count(self, plan):
        return -(-len(plan.rows) // self.batch_size)

    def __len__(self):
        return self.n_batches(0)

    def batch(self, epoch, index):
        """Batch ``index`` of ``epoch``: ``(X_batch, y_batch)`` NumPy arrays."""
        plan = self.plan(epoch)
        n_batches = self._count(plan)
        if not isinstance(index, numbers.Integral) or not 0 <= index < n_batches:
            raise IndexError(f"batch index {index!r} out of range for {n_batches} batches.")
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        images = _load(self.X if plan.source is None else plan.source, plan.rows[part])
        if plan.new is not None and plan.new[part].any():
            new = np.flatnonzero(plan.new[part])
            images[new] = self._augment(images, plan.augmentation, epoch, index,
                                        _NEW_IMAGES, new)
        if self._every_image is not None:
            images = self._augment(images, self._every_image, epoch, index, _EVERY_IMAGE)
        X_batch = convert_images(images, data_format=self.data_format,
                                 dtype=self._out_dtype, scale=self.scale)
        return X_batch, plan.y[part].copy()

    def _augment(self, images, params, epoch, index, purpose, which=None):
        draw, warp = params
        n = len(images) if which is None else len(which)
        rng = batch_rng(self.seed_, epoch, purpose, index)
        matrices, factors = draw_augmentation(rng, n, images.shape[1:3], **draw)
        return apply_augmentation(images, matrices, factors, sources=which, **warp)

    def epoch(self, epoch):
        """Yield the ``(X_batch, y_batch)`` of ``epoch``, in order."""
        for index in range(self.n_batches(epoch)):
            yield self.batch(epoch, index)

    def __iter__(self):
        """Yield the batches of epoch 0, then of epoch 1, ... (endlessly)."""
        epoch = 0
        while True:
            yield from self.epoch(epoch)
            epoch += 1

    def __repr__(self):
        return (f"BalancedBatches(n_samples={len(self.y)}, sampler={self.sampler!r}, "
                f"batch_size={self.batch_size}, mode={self._mode!r}, seed={self.seed_})")
