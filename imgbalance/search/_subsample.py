"""Stratified subsets of training folds: the rounds of the halving search.

scikit-learn's successive halving draws each round's subset of a training
fold at random and shrinks the validation fold with it.  On long-tailed
images that loses the rare classes (a tail class of 40 images has none in
a sixteenth of a fold, and SMOTE cannot interpolate a class of one image),
and it scores the early rounds on a few hundred validation images.  Here
every class keeps its share of the training fold, and at least a floor of
images, and the validation folds stay whole.  NumPy only, no estimator.
"""

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["StratifiedTrainSubsample", "stratified_subset"]


def stratified_subset(labels, share, min_per_class, rng):
    """Positions of a stratified random subset of ``labels``, in their order.

    Every class keeps ``round(share * count)`` of its ``count`` positions,
    and at least ``min(count, min_per_class)``.  The order in which each
    class is drawn is one permutation of ``rng``, so for the same ``rng``
    state a larger ``share`` gives a superset (the rounds are nested).

    Parameters
    ----------
    labels : ndarray of shape (n,)
        The class of each position.
    share : float in (0, 1]
        The share of every class to keep; 1 keeps all.
    min_per_class : int
        The fewest positions a class keeps (all of them if it has fewer).
    rng : numpy.random.RandomState

    Returns
    -------
    positions : ndarray of int
        Sorted positions into ``labels``.
    """
    if share >= 1:
        return np.arange(len(labels))
    order = rng.permutation(len(labels))
    _, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    by_class = order[np.argsort(codes.ravel()[order], kind="stable")]
    keep = np.maximum(np.minimum(counts, min_per_class), np.rint(share * counts).astype(int))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = np.arange(len(labels)) - np.repeat(starts, counts)  # rank within its class
    chosen = by_class[rank < np.repeat(keep, counts)]
    return np.sort(chosen)


class StratifiedTrainSubsample:
    """A splitter: the folds of ``base_cv``, each training fold cut to a stratified share.

    The validation folds are whole.  An int ``random_state`` draws the same
    subsets on every call to :meth:`split` (nested ones for growing shares);
    None or a ``RandomState`` draws from that generator, as scikit-learn's
    halving search does.
    """

    def __init__(self, base_cv, share, min_per_class, random_state):
        self.base_cv = base_cv
        self.share = share
        self.min_per_class = min_per_class
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.base_cv.get_n_splits(X, y, groups)

    def split(self, X, y, groups=None):
        y = np.asarray(y)
        for train, test in self.base_cv.split(X, y, groups):
            rng = check_random_state(self.random_state)
            kept = stratified_subset(y[train], self.share, self.min_per_class, rng)
            yield train[kept], test

