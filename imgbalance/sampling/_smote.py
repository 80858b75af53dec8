"""AdaptiveSMOTE: SMOTE whose neighbour count follows the classes it is given."""

import numbers

import numpy as np
from imblearn.over_sampling import SMOTE

from .._warnings import warn_caller

__all__ = ["AdaptiveSMOTE", "interpolates", "is_neighbours_parameter"]


def is_neighbours_parameter(key):
    """Whether the parameter ``key`` (``k_neighbors``, ``resample__k_neighbors``) counts neighbours.

    The SMOTE family says it interpolates by a ``k_neighbors`` parameter; such
    a sampler needs ``k_neighbors + 1`` images of every class it over-samples.
    """
    return key.rpartition("__")[2] == "k_neighbors"


def interpolates(sampler):
    """Whether ``sampler`` (or a sampler nested in it) interpolates between neighbours."""
    return hasattr(sampler, "get_params") and any(
        map(is_neighbours_parameter, sampler.get_params()))


class AdaptiveSMOTE(SMOTE):
    """SMOTE that lowers ``k_neighbors`` to what the smallest class allows.

    imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` interpolates
    each new sample between a sample and one of its ``k_neighbors`` nearest
    neighbours of the same class, so every class it over-samples needs
    ``k_neighbors + 1`` samples; on long-tailed data a training fold (or the
    first round of a halving search) often holds fewer, and SMOTE fails
    with ``Expected n_neighbors <= n_samples_fit``.  This sampler uses
    ``min(k_neighbors, n_min - 1)`` neighbours, where ``n_min`` is the
    smallest count among the classes to over-sample in the data given to
    :meth:`fit_resample`; it records the number used in ``k_neighbors_``
    and warns once per call when it had to lower it.  Otherwise it is
    SMOTE: the output equals ``SMOTE(k_neighbors=k_neighbors_)`` with the
    same ``sampling_strategy`` and ``random_state``.

    A class to over-sample with a single sample cannot be interpolated at
    all: that is a ValueError naming the class and its count.

    This is the sampler of the ``"smote"`` strategy of
    :func:`~imgbalance.make_resampling_search`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`~imblearn.over_sampling.SMOTE`.
    random_state : int, RandomState instance or None, default=None
        As in :class:`~imblearn.over_sampling.SMOTE`.
    k_neighbors : int or object, default=5
        The largest number of nearest neighbours to interpolate with; a
        ``KNeighborsMixin`` object (its ``n_neighbors`` counting the sample
        itself, as in SMOTE) has its ``n_neighbors`` lowered the same way.

    Attributes
    ----------
    k_neighbors_ : int
        The number of neighbours used in the last :meth:`fit_resample`.
    sampling_strategy_ : dict
        Class label -> number of samples to generate.
    nn_k_ : estimator object
        The nearest-neighbours estimator used, with ``k_neighbors_ + 1``
        neighbours.
    n_features_in_ : int
        Number of features seen in :meth:`fit_resample`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen, when they are all strings.

    See Also
    --------
    imblearn.over_sampling.SMOTE : The sampler this one adapts.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from imgbalance.sampling import AdaptiveSMOTE
    >>> X = np.random.default_rng(0).normal(size=(23, 4))
    >>> y = np.array([0] * 20 + [1] * 3)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     X_res, y_res = AdaptiveSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [20, 20]
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    AdaptiveSMOTE: k_neighbors=5 lowered to 2: class 1 has only 3 samples to
    interpolate between (see k_neighbors_).
    """

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
        )

    def _requested_k(self):
        if isinstance(self.k_neighbors, numbers.Integral):
            return int(self.k_neighbors)
        return int(self.k_neighbors.get_params()["n_neighbors"]) - 1

    def _fit_resample(self, X, y):
        targets = [c for c, n in self.sampling_strategy_.items() if n > 0]
        requested = self._requested_k()
        self.k_neighbors_ = requested
        if targets:
            counts = {c: int(np.count_nonzero(y == c)) for c in targets}
            smallest = min(targets, key=lambda c: counts[c])
            smallest = smallest.item() if hasattr(smallest, "item") else smallest
            n_min = counts[smallest]
            if n_min < 2:
                raise ValueError(
                    f"AdaptiveSMOTE cannot over-sample class {smallest!r}: it has "
                    f"{n_min} sample in the data given to fit_resample, and SMOTE "
                    "interpolates between at least 2 samples of a class. Gather more "
                    "images of it, leave it out of sampling_strategy, or over-sample "
                    "it by another sampler (e.g. RandomOverSampler)."
                )
            if n_min - 1 < requested:
                self.k_neighbors_ = n_min - 1
                warn_caller(
                    f"AdaptiveSMOTE: k_neighbors={requested} lowered to "
                    f"{self.k_neighbors_}: class {smallest!r} has only {n_min} samples "
                    "to interpolate between (see k_neighbors_)."
                )
        return super()._fit_resample(X, y)

    def _validate_estimator(self):
        super()._validate_estimator()
        self.nn_k_.set_params(n_neighbors=self.k_neighbors_ + 1)
