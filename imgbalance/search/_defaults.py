"""The defaults every strategy search shares: features, classifier, C grid, augmentation.

The Python builders and ``imgbalance compare`` read them from here.
"""

from sklearn.svm import LinearSVC

from ..sampling import AugmentationOverSampler

__all__ = [
    "DEFAULT_C_GRID",
    "FEATURES",
    "FIRST_ROUND_PER_CLASS",
    "HALVING_FACTOR",
    "default_augmentation",
    "default_classifier",
]

#: The ``features`` names the builders know.
FEATURES = ("hog", "pixels", "hog+pixels")

#: The default grid of ``clf__C`` for the default classifier.
DEFAULT_C_GRID = (0.003, 0.01, 0.03)

#: The ``factor`` of the builder's halving search: each round keeps a quarter
#: of the candidates and fits them on four times the share of every training
#: fold (21 default candidates: 1/16, 1/4, then whole folds).
HALVING_FACTOR = 4

#: The fewest images a class, on average, that the first round of the
#: stratified halving search fits (with ``min_resources="exhaust"``): on
#: 1,133 long-tailed Fashion-MNIST images its first round fitted 7 a class
#: and dropped the grid's pick; from a quarter of each fold (28 a class) it
#: made it (``benchmarks/halving_small_data.py``).  Fewer images give fewer
#: rounds, down to one: the grid.
FIRST_ROUND_PER_CLASS = 25


def default_classifier(random_state=None):
    """The default final estimator: ``LinearSVC(dual=True, tol=0.1, max_iter=300)``.

    The dual coordinate-descent solver of liblinear converges in a few passes
    on normalised HOG descriptors at the small C values that score best on
    them, faster there than the primal solver.  ``tol=0.1`` is liblinear's
    own default for this solver (it stops when the projected gradients of the
    dual variables spread by less than 0.1, in units of the margin);
    scikit-learn's ``1e-4`` is one default for all of ``LinearSVC``'s
    solvers.  On a training fold of long-tailed Fashion-MNIST (HOG beside the
    pixels, about 40,000 over-sampled rows), the validation predictions
    agree with ``tol=1e-3``'s on 99.96-99.98 % of the images for C in
    0.003-0.03, and the default search makes the same pick, 1.14-1.25x
    faster (``benchmarks/probe_search_stack.py``, ``search_costs.py --part
    solvers``).  ``max_iter=300`` bounds the time of fits at large C, which
    converge slowly (and scored lower in ``benchmarks/bench_search.py``);
    for a more exact optimum pass ``classifier=LinearSVC(dual=True,
    tol=1e-4, max_iter=...)`` to the builders, with
    ``param_grid={"clf__C": [0.003, 0.01, 0.03]}`` (a classifier you pass
    gets no default grid).

    .. versionchanged:: 0.1
       ``tol=0.1`` (was ``1e-3`` during development, to commit 66f8d46).

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Passed to :class:`~sklearn.svm.LinearSVC`.

    Returns
    -------
    classifier : sklearn.svm.LinearSVC

    Examples
    --------
    >>> from imgbalance.search import default_classifier
    >>> default_classifier(0)
    LinearSVC(dual=True, max_iter=300, random_state=0, tol=0.1)
    """
    return LinearSVC(dual=True, tol=0.1, max_iter=300, random_state=random_state)


def default_augmentation(random_state=None):
    """The default augmentation of the ``"augmentation"`` strategy.

    Rotations up to 10 degrees, shifts and zooms up to 10 %, no flips (a flip
    changes the meaning of some classes, and it scored lower on
    Fashion-MNIST).

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        The sampler's seed.

    Returns
    -------
    sampler : AugmentationOverSampler

    Examples
    --------
    >>> from imgbalance.search import default_augmentation
    >>> default_augmentation(0).rotation_range
    10
    """
    return AugmentationOverSampler(
        rotation_range=10,
        width_shift_range=0.1,
        height_shift_range=0.1,
        zoom_range=0.1,
        random_state=random_state,
    )
