"""AugmentationOverSampler: over-sampling rare classes with augmented images."""

from functools import partial
from numbers import Integral, Real

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils import check_random_state

from .._compat import Interval, StrOptions, sampling_strategy_docstring
from .._image_input import IMAGE_SHAPE_CONSTRAINT, ImageInputMixin, image_input_docstring
from .._parallel import chunk_slices, effective_chunk_jobs, map_chunks
from .._validation import check_range_pair, restore_layout, validate_sampler_input
from .._warnings import warn_caller
from ..augmentation._augment import apply_augmentation, draw_augmentation

__all__ = ["AugmentationOverSampler"]

# Most pixels (values) per augmentation task.  The warp kernel works in
# cache-sized blocks inside a task and writes straight into the output, so a
# task's memory does not grow with it; large tasks amortise the set-up of the
# kernel's work buffers.  The output does not depend on it: every random draw
# is made up front for the whole batch.
_CHUNK_PIXELS = 1 << 24
# Output pixels per block of the warp kernel when several threads run it:
# twice the single-thread default.  Between NumPy calls a thread holds the
# GIL, so threads scale better with fewer, longer calls, until the blocks
# leave the caches.  benchmarks/bench_augment.py measures what the threads
# gain with it (benchmarks/results/bench_augment.txt, n_jobs=2 rows).
_THREADED_BLOCK_PIXELS = 1 << 17


def _is_geometric(draw):
    """Whether the drawn transforms move pixels (brightness alone does not)."""
    return bool(
        draw["rotation_range"] or draw["shear_range"] or draw["height_shift_range"]
        or draw["width_shift_range"] or draw["horizontal_flip"] or draw["vertical_flip"]
        or tuple(draw["zoom_range"]) != (1.0, 1.0)
    )


def _augment_chunk(images, matrices, factors, sources, *, out, **warp):
    """Write the augmented ``images[sources]`` into ``out`` (a task of map_chunks)."""
    apply_augmentation(images, matrices, factors, sources=sources, out=out, **warp)


@image_input_docstring(sampling_strategy=sampling_strategy_docstring)
class AugmentationOverSampler(ImageInputMixin, BaseOverSampler):
    """Over-sample classes with randomly transformed copies of their images.

    Each new image is an independent random affine transform (rotation,
    shifts, shear, zoom, flips) -- optionally with a brightness change -- of
    an image drawn at random, with replacement, from the same class.  The
    parameters and their units are those of Keras'
    ``ImageDataGenerator``, and so are the defaults: they apply no transform
    (every new image is then an exact copy, as with ``RandomOverSampler``),
    so set at least one range.  Keras 3 and keras-preprocessing disagree on
    several conventions: :ref:`keras_conventions` says which each follows;
    :func:`imgbalance.augmentation.apply_transform` with
    :func:`~imgbalance.augmentation.random_transform_parameters` reproduces
    the transforms one by one.  Like every imbalanced-learn sampler it acts
    in ``fit`` only: inside an :class:`imblearn.pipeline.Pipeline`,
    ``predict`` and ``score`` see the data untouched.

    Parameters
    ----------
    {sampling_strategy}

    random_state : int, RandomState instance or None, default=None
        Controls which originals are picked and how they are transformed.
        The output for a given seed does not depend on ``n_jobs``.

    rotation_range : float, default=0.0
        Range in degrees ``[0, 180]`` of random rotations: the angle is drawn
        uniformly from ``[-rotation_range, rotation_range]``.

    width_shift_range : float in [0, 1), default=0.0
        Horizontal shifts as a fraction of the width, drawn uniformly from
        ``[-width_shift_range, width_shift_range]``.  Keras reads values of
        1 or more as numbers of pixels; they are refused here (pass
        ``n_pixels / width``).

    height_shift_range : float in [0, 1), default=0.0
        Vertical shifts as a fraction of the height (same rule).

    shear_range : float, default=0.0
        Shear angle range in degrees ``[0, 90)``.

    zoom_range : float or (float, float), default=0.0
        Zoom factors drawn uniformly, separately for rows and columns, from
        ``[1 - zoom_range, 1 + zoom_range]`` or from ``[low, high]`` if a
        pair is given.  As in Keras, a factor below 1 zooms in.

    horizontal_flip : bool, default=False
        Flip left-right with probability 0.5.

    vertical_flip : bool, default=False
        Flip up-down with probability 0.5.

    brightness_range : (float, float) or None, default=None
        Multiply each new image by a factor drawn uniformly from this range.
        Integer images are rounded and clipped to their dtype's range;
        floating images are not clipped.

    fill_mode : {{"constant", "nearest", "reflect", "wrap"}}, default="nearest"
        How points outside the image are filled, with the semantics of the
        same names in :func:`scipy.ndimage.affine_transform`.

    cval : float, default=0.0
        Fill value for ``fill_mode="constant"``.

    interpolation_order : {{0, 1}}, default=1
        0 for nearest-neighbour, 1 for bilinear interpolation.

    {image_shape}
        With None, a 2-D ``X`` gets a UserWarning when any transform moves
        pixels (flattened images would come out scrambled): pass
        ``(1, n_features)`` to mean it.

    n_jobs : int, default=None
        Number of threads augmenting chunks of images in parallel.  ``None``
        means 1 unless in a :obj:`joblib.parallel_config` context.  Threads
        share the GIL between the kernel's NumPy calls, so they pay off on
        large images only (:ref:`augmentation` gives the measured gains).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of new images generated for each class.

    source_indices_ : ndarray of shape (n_new_samples,)
        Row of ``X`` from which each new image was generated:
        ``X_resampled[n_samples + i]`` is a transform of
        ``X[source_indices_[i]]``.  It is deliberately *not* called
        ``sample_indices_``: consumers of that attribute (such as
        imbalanced-learn's Keras and TensorFlow batch generators) index the
        original ``X`` with it and would silently drop the augmented pixels.

    {image_attributes}

    See Also
    --------
    imgbalance.augmentation.warp_affine : The batched warp kernel it uses.
    imblearn.over_sampling.RandomOverSampler : Over-sampling by exact copies.

    Notes
    -----
    The originals are returned first and unchanged, followed by the new
    images grouped by class; labels stay aligned and the dtype is kept.
    Image arrays come back as image arrays and flattened input comes back
    flattened.

    Things users trip over:

    - :class:`~imblearn.ensemble.BalancedBaggingClassifier` (``sampler=...``)
      overwrites this sampler's ``sampling_strategy`` with its own.
    - :class:`~imblearn.ensemble.EasyEnsembleClassifier` has no ``sampler``
      parameter: put this sampler in a pipeline in front of it instead.
    - With ``Pipeline(memory=...)``, a sampler whose ``random_state`` is None
      gives the *same cached* resample on every refit.  Use an integer seed.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from imgbalance import AugmentationOverSampler
    >>> digits = load_digits()
    >>> keep = np.r_[np.flatnonzero(digits.target == 0)[:100],
    ...              np.flatnonzero(digits.target == 1)[:20]]
    >>> X, y = digits.images[keep], digits.target[keep]
    >>> X.shape, Counter(y.tolist())
    ((120, 8, 8), Counter({{0: 100, 1: 20}}))
    >>> sampler = AugmentationOverSampler(rotation_range=10, zoom_range=0.1, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, Counter(y_res.tolist())
    ((200, 8, 8), Counter({{0: 100, 1: 100}}))
    >>> bool(np.array_equal(X_res[:120], X))  # originals first, unchanged
    True
    >>> bool(np.all(y[sampler.source_indices_] == 1))  # new images come from class 1
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "rotation_range": [Interval(Real, 0, 180, closed="both")],
        # [0, 1): Keras reads values >= 1 as pixels, not as a fraction
        "width_shift_range": [Interval(Real, 0, 1, closed="left")],
        "height_shift_range": [Interval(Real, 0, 1, closed="left")],
        "shear_range": [Interval(Real, 0, 90, closed="left")],
        "zoom_range": [Interval(Real, 0, 1, closed="left"), tuple, list],
        "horizontal_flip": ["boolean"],
        "vertical_flip": ["boolean"],
        "brightness_range": [tuple, list, None],
        "fill_mode": [StrOptions({"constant", "nearest", "reflect", "wrap"})],
        "cval": [Real],
        "interpolation_order": [Interval(Integral, 0, 1, closed="both")],
        **IMAGE_SHAPE_CONSTRAINT,
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        rotation_range=0.0,
        width_shift_range=0.0,
        height_shift_range=0.0,
        shear_range=0.0,
        zoom_range=0.0,
        horizontal_flip=False,
        vertical_flip=False,
        brightness_range=None,
        fill_mode="nearest",
        cval=0.0,
        interpolation_order=1,
        image_shape=None,
        n_jobs=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.brightness_range = brightness_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.interpolation_order = interpolation_order
        self.image_shape = image_shape
        self.n_jobs = n_jobs

    # Pixels per parallel task (a class attribute so that tests can vary it).
    _chunk_pixels = _CHUNK_PIXELS

    def _check_X_y(self, X, y):
        return validate_sampler_input(self, X, y)

    def _augmentation_params(self):
        zoom_range = check_range_pair(
            self.zoom_range, name="zoom_range", low_bound=0, allow_scalar=True
        )
        brightness_range = None
        if self.brightness_range is not None:
            brightness_range = check_range_pair(
                self.brightness_range,
                name="brightness_range",
                low_bound=0,
                allow_scalar=False,
            )
        draw = dict(
            rotation_range=float(self.rotation_range),
            width_shift_range=float(self.width_shift_range),
            height_shift_range=float(self.height_shift_range),
            shear_range=float(self.shear_range),
            zoom_range=zoom_range,
            horizontal_flip=bool(self.horizontal_flip),
            vertical_flip=bool(self.vertical_flip),
            brightness_range=brightness_range,
        )
        warp = dict(
            order=int(self.interpolation_order), mode=self.fill_mode, cval=float(self.cval)
        )
        return draw, warp

    def _fit_resample(self, X, y):
        draw, warp = self._augmentation_params()
        if self.image_shape is None and X.ndim == 2 and _is_geometric(draw):
            n = X.shape[1]
            warn_caller(
                f"{type(self).__name__} got 2-D X of shape {X.shape} without "
                f"image_shape, so each row is taken as a 1 x {n} image: a "
                "horizontal flip reverses the whole row and a width shift moves "
                "pixels across the rows (and channels) of a flattened image, "
                "while rotations, shears, zooms, height shifts and vertical flips "
                "mostly copy the row. Pass image_shape=(height, width[, n_channels]) "
                f"for flattened images, or image_shape=(1, {n}) if the rows really "
                "are one-row images.",
            )
        random_state = check_random_state(self.random_state)
        images = X.reshape((X.shape[0], *self.image_shape_))

        sources = [
            random_state.choice(np.flatnonzero(y == klass), size=n_new, replace=True)
            for klass, n_new in self.sampling_strategy_.items()
        ]
        sources = np.concatenate(sources) if sources else np.empty(0, dtype=np.intp)
        sources = sources.astype(np.intp, copy=False)
        self.source_indices_ = sources

        # Every random draw for the whole batch, up front: the output depends
        # on random_state only, not on chunking or n_jobs.
        rng = np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
        matrices, factors = draw_augmentation(rng, sources.size, self.image_shape_[:2], **draw)

        # Originals first, then the new images, warped by chunks straight
        # from the originals into their place (no gathered copy of the sources).
        resampled = np.empty((len(images) + sources.size, *self.image_shape_), dtype=images.dtype)
        resampled[: len(images)] = images
        # equal tasks, at least one per thread
        n_values = sources.size * int(np.prod(self.image_shape_))
        n_tasks = max(1, -(-n_values // self._chunk_pixels))
        n_threads = effective_chunk_jobs(self.n_jobs, sources.size)
        if n_threads > 1:
            n_tasks = -(-n_tasks // n_threads) * n_threads
            # threads share the GIL between NumPy calls: fewer, longer calls
            warp["block_pixels"] = _THREADED_BLOCK_PIXELS
        slices = chunk_slices(sources.size, -(-sources.size // n_tasks))
        tasks = (
            (s, (images, matrices[s], None if factors is None else factors[s], sources[s]))
            for s in slices
        )
        map_chunks(
            partial(_augment_chunk, **warp),
            tasks,
            out=resampled[len(images) :],
            n_jobs=self.n_jobs,
            in_place=True,
        )
        X_resampled = restore_layout(resampled, X.ndim)
        y_resampled = np.concatenate([y, y[sources]])
        return X_resampled, y_resampled

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.dataframe = True
        tags.sampler_tags.sample_indices = False
        return tags
