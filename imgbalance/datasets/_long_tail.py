"""Long-tailed subsets of balanced data sets (the LT-CIFAR protocol)."""

import math
import warnings

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._checks import is_real

__all__ = ["LongTailWarning", "make_long_tailed"]


class LongTailWarning(UserWarning):
    """Warned by :func:`make_long_tailed` when a small class shrinks the subset.

    A class placed too early in the class order for its size limits the
    head size, so that every class keeps fewer samples than the profile
    alone would allow.  Filter the category, not the message text, to
    silence it; ``make_long_tailed(..., return_info=True)`` returns the
    same facts (``limiting_classes``) as data.
    """

_PROFILES = ("exponential", "step")


def _fractions(n_classes, imbalance_ratio, profile):
    """Fraction of ``n_max`` kept at each class position."""
    if profile == "exponential":
        if n_classes == 1:
            fractions = [1.0]
        else:
            fractions = [imbalance_ratio ** (-c / (n_classes - 1)) for c in range(n_classes)]
    else:
        n_head = n_classes - n_classes // 2
        fractions = [1.0] * n_head + [1.0 / imbalance_ratio] * (n_classes - n_head)
    return fractions


# The 1e-9 only absorbs floating-point error just below an integer (exact
# values such as 5000 / 100 must give 50, never 49).
_EPS = 1e-9


def _head_size(counts, order, fractions):
    """``(n_max, limiting)``: the largest head size every class can follow.

    ``counts[c]`` is the size of class ``c``, ``order`` the classes from head
    to tail and ``fractions`` their shares of ``n_max``; ``limiting`` lists
    the classes (in ``order``) whose size sets ``n_max``.
    """
    capacity = [math.floor(counts[c] / f + _EPS) for c, f in zip(order, fractions)]
    n_max = min(capacity)
    return n_max, [int(c) for c, cap in zip(order, capacity) if cap == n_max]


def _target_counts(fractions, n_max):
    """Number of samples to keep at each class position."""
    return [max(1, math.floor(n_max * f + _EPS)) for f in fractions]


def make_long_tailed(
    X,
    y,
    *,
    imbalance_ratio=100,
    profile="exponential",
    class_order=None,
    random_state=None,
    return_info=False,
):
    """Subsample a data set into a long-tailed (imbalanced) one.

    This is the protocol of the long-tailed CIFAR benchmarks (Cui et al.,
    2019; Cao et al., 2019).  Classes are ranked by their sorted label
    values (``np.unique(y)``), or by ``class_order``; with ``C`` classes
    and ``r = imbalance_ratio``, the class at position ``c = 0, ..., C - 1``
    keeps

    * ``profile="exponential"``: ``floor(n_max * r ** (-c / (C - 1)))``
      samples, so the head class keeps ``n_max`` and the tail class
      ``n_max / r``;
    * ``profile="step"``: ``n_max`` samples for the first ``C - C // 2``
      classes and ``floor(n_max / r)`` for the last ``C // 2`` (step
      imbalance with a minority fraction of one half, Buda et al., 2018);

    never fewer than one.  ``n_max`` is the largest head size that every
    class can follow: the size of a class for balanced input (the
    benchmarks' case).  With classes of unequal sizes the profile is
    scaled down until every class can supply its share, so that the ratio
    between the first and the last class stays ``r`` up to flooring (and
    to the floor of one sample).  When a class other than the head limits
    it -- a small class placed early in ``class_order`` -- a
    :class:`LongTailWarning` names it: the whole subset then shrinks
    (``return_info=True`` returns the limiting classes as data).  Each class keeps a uniformly
    random subset drawn with ``random_state``; kept samples stay in their
    original relative order.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Samples: images of any shape ``(n_samples, height, width[,
        n_channels])`` or a feature matrix ``(n_samples, n_features)``.
    y : array-like of shape (n_samples,)
        Class labels.
    imbalance_ratio : float, default=100
        Ratio between the sizes of the head (first) and the tail (last)
        class (before flooring); must be >= 1.  ``1`` keeps ``n_max``
        samples of every class, i.e. balances the classes by
        under-sampling.
    profile : {"exponential", "step"}, default="exponential"
        How class sizes decrease along the class order.
    class_order : array-like of shape (n_classes,), default=None
        Labels from head (most frequent) to tail (rarest); a permutation of
        ``np.unique(y)``.  If None, the sorted labels.
    random_state : int, RandomState instance or None, default=None
        Seed of the random subsets; pass an int for reproducible output.
    return_info : bool, default=False
        Whether to also return a :class:`~sklearn.utils.Bunch` describing
        the subset (see ``info`` below).

    Returns
    -------
    X_lt : ndarray of shape (n_kept, ...)
        The kept samples, in their original relative order.
    y_lt : ndarray of shape (n_kept,)
        Their labels.
    info : :class:`~sklearn.utils.Bunch`
        Only when ``return_info=True``, with keys

        * ``class_order``: ndarray of shape (n_classes,), the labels from
          head to tail;
        * ``n_samples``: ndarray of shape (n_classes,), the size of each
          class of ``y``, in ``class_order``;
        * ``n_kept``: ndarray of shape (n_classes,), the number of samples
          kept of each class, in ``class_order``;
        * ``limiting_classes``: ndarray, the labels whose size set the head
          size ``n_kept[0]``, in ``class_order``.  When it does not hold
          the head class, the head lost samples because of these classes
          (``n_kept[0] < n_samples[0]``) and a :class:`LongTailWarning`
          was emitted.

    Raises
    ------
    ValueError
        If ``imbalance_ratio < 1``, ``profile`` is unknown, ``X`` and ``y``
        differ in length, ``y`` is not 1-D or empty, or ``class_order`` is
        not a permutation of the labels.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie,
       "Class-Balanced Loss Based on Effective Number of Samples", CVPR 2019.
    .. [2] K. Cao, C. Wei, A. Gaidon, N. Arechiga and T. Ma, "Learning
       Imbalanced Datasets with Label-Distribution-Aware Margin Loss",
       NeurIPS 2019.
    .. [3] M. Buda, A. Maki and M. A. Mazurowski, "A systematic study of the
       class imbalance problem in convolutional neural networks", Neural
       Networks 106, 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.datasets import make_long_tailed
    >>> X = np.zeros((500, 8, 8), dtype=np.uint8)
    >>> y = np.repeat(np.arange(5), 100)
    >>> X_lt, y_lt = make_long_tailed(X, y, imbalance_ratio=10, random_state=0)
    >>> X_lt.shape
    (214, 8, 8)
    >>> np.bincount(y_lt)
    array([100,  56,  31,  17,  10])
    >>> _, y_step = make_long_tailed(X, y, imbalance_ratio=10, profile="step", random_state=0)
    >>> np.bincount(y_step)
    array([100, 100, 100,  10,  10])

    With classes of unequal sizes, ``return_info`` tells which class limited
    the subset (the warning is silenced by its category):

    >>> import warnings
    >>> from imgbalance.datasets import LongTailWarning
    >>> y_small = np.repeat(np.arange(5), [100, 20, 100, 100, 100])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", LongTailWarning)
    ...     _, _, info = make_long_tailed(X[:420], y_small, imbalance_ratio=10,
    ...                                   random_state=0, return_info=True)
    >>> info.limiting_classes, info.n_kept[0], info.n_samples[0]
    (array([1]), np.int64(35), np.int64(100))
    """
    _check_params(imbalance_ratio, profile, return_info)
    X, y = _check_X_y(X, y)
    labels, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    order = _positions(labels, class_order)

    # the largest head size that every class can follow (the class size for
    # balanced input): the profile, hence the ratio, then holds exactly
    fractions = _fractions(labels.size, imbalance_ratio, profile)
    n_max, limits = _head_size(counts, order, fractions)
    head = int(counts[order[0]])
    if n_max < head:
        names = ", ".join(f"{labels[i].item()!r} ({counts[i]} samples)" for i in limits)
        warnings.warn(
            f"make_long_tailed: class {names} is too small for its place in the "
            f"profile, so the head class keeps {n_max} of its {head} samples and "
            "every other class shrinks with it. Pass class_order to put small "
            "classes in the tail.",
            LongTailWarning,
            stacklevel=2,
        )
    targets = _target_counts(fractions, n_max)
    rng = check_random_state(random_state)
    keep = np.zeros(y.shape[0], dtype=bool)
    for position, class_index in enumerate(order):
        members = np.flatnonzero(y_index == class_index)
        keep[rng.permutation(members)[: targets[position]]] = True
    if not return_info:
        return X[keep], y[keep]
    info = Bunch(
        class_order=labels[order],
        n_samples=counts[order],
        n_kept=np.minimum(targets, counts[order]),
        limiting_classes=labels[limits],
    )
    return X[keep], y[keep], info


def _check_params(imbalance_ratio, profile, return_info):
    if not is_real(imbalance_ratio):
        raise TypeError(
            f"imbalance_ratio must be a real number >= 1, got {type(imbalance_ratio).__name__} "
            f"({imbalance_ratio!r})."
        )
    if not (math.isfinite(imbalance_ratio) and imbalance_ratio >= 1):
        raise ValueError(f"imbalance_ratio must be a finite number >= 1, got {imbalance_ratio!r}.")
    if not isinstance(profile, str) or profile not in _PROFILES:
        raise ValueError(f"profile must be 'exponential' or 'step', got {profile!r}.")
    if not isinstance(return_info, (bool, np.bool_)):
        raise TypeError(
            f"return_info must be a bool, got {type(return_info).__name__} ({return_info!r})."
        )


def _check_X_y(X, y):
    X = np.asarray(X)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
    if X.ndim < 1 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples, got X of shape {X.shape} "
            f"and y of shape {y.shape}."
        )
    if y.shape[0] == 0:
        raise ValueError("X and y are empty: expected at least one sample.")
    return X, y


def _positions(labels, class_order):
    """Indices into ``labels`` from head to tail."""
    if class_order is None:
        return np.arange(labels.size)
    class_order = np.asarray(class_order)
    if class_order.ndim != 1 or class_order.size != labels.size:
        raise ValueError(
            f"class_order must list each of the {labels.size} labels of y once, "
            f"got {class_order.tolist()!r}; labels are {labels.tolist()!r}."
        )
    position_of = {label: i for i, label in enumerate(labels.tolist())}
    order = [position_of.get(label, -1) for label in class_order.tolist()]
    if -1 in order or len(set(order)) != labels.size:
        raise ValueError(
            f"class_order must be a permutation of the labels of y {labels.tolist()!r}, "
            f"got {class_order.tolist()!r}."
        )
    return np.asarray(order)
