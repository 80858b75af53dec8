"""Grid edges: a chosen numeric value that is the smallest or largest tried.

When the best value of ``C`` (or of any numeric grid entry) is at an end of
its grid, the best value may lie beyond it.  :func:`grid_edges` finds those
entries; the searches built by :func:`~imgbalance.make_resampling_search`
warn with :class:`GridEdgeWarning` after ``fit``, and ``imgbalance
compare`` prints the same note.
"""

import numbers
from collections import namedtuple

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._strategies import describe_strategy

__all__ = ["GridEdge", "GridEdgeWarning", "grid_edges"]


class GridEdgeWarning(UserWarning):
    """The chosen value of a numeric grid entry is at an end of its grid."""


#: One entry of :func:`grid_edges`: ``side`` is ``"low"`` or ``"high"``.
GridEdge = namedtuple("GridEdge", "parameter value grid strategy side")


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _holds(grid, params):
    """Whether the candidate ``params`` comes from ``grid``."""
    if set(grid) != set(params):
        return False
    return all(hasattr(values, "rvs") or any(v is params[k] or _same(v, params[k]) for v in values)
               for k, values in grid.items())


def _same(a, b):
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and the like
        return False


#: The parameters that make a strategy (see :func:`describe_strategy`).
STRATEGY_KEYS = ("augment", "resample", "clf", "clf__class_weight", "clf__estimator__class_weight")


def strategy_of(params, estimator=None):
    """:func:`describe_strategy` of ``params``, the ``estimator``'s own steps filling in.

    A search over one strategy's pipeline (``make_strategy_pipeline("smote")``
    tuned on ``clf__C`` alone) has its sampler in the estimator, not in
    ``params``.
    """
    fixed = ({k: v for k, v in estimator.get_params().items() if k in STRATEGY_KEYS}
             if hasattr(estimator, "get_params") else {})
    return describe_strategy({**fixed, **params})


def edges_of(params, grids, estimator=None):
    """The :class:`GridEdge` entries of the candidate ``params`` in ``grids``."""
    grid = next((g for g in grids if _holds(g, params)), None)
    if grid is None:
        return []
    strategy = strategy_of(params, estimator)
    edges = []
    for key, values in grid.items():
        if hasattr(values, "rvs") or not all(map(_is_number, values)):
            continue
        if len(set(values)) < 2 or not _is_number(params[key]):
            continue
        side = ("low" if params[key] == min(values)
                else "high" if params[key] == max(values) else None)
        if side is not None:
            edges.append(GridEdge(key, params[key], sorted(set(values)), strategy, side))
    return edges


def edge_message(edge):
    """The text of a :class:`GridEdgeWarning` (and of the CLI's note)."""
    direction = "smaller" if edge.side == "low" else "larger"
    return (
        f"strategy {edge.strategy!r}: the chosen {edge.parameter}={edge.value!r} is at the "
        f"{edge.side} edge of its grid {edge.grid}; the best value may lie beyond it: "
        f"try {direction} values."
    )


def score_key(search, results):
    """The ``cv_results_`` key of the score that ranks candidates, or None.

    ``"mean_test_score"`` for one metric, ``"mean_test_<refit>"`` for several
    with a named ``refit``; None when a callable ``refit`` picks the best.
    """
    if "mean_test_score" in results:
        return "mean_test_score"
    refit = getattr(search, "refit", None)
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return f"mean_test_{refit}"
    return None


def _ties(results, key, best):
    """Whether another candidate of the best's round ties with it.

    On ``key``'s score, or, when no score ranks the candidates (several
    metrics and a callable ``refit``), on every metric at once.
    """
    keys = [key] if key is not None else [k for k in results if k.startswith("mean_test_")]
    same = (np.asarray(results["iter"]) == results["iter"][best]
            if "iter" in results else np.ones(len(results["params"]), bool))
    for k in keys:
        scores = np.asarray(results[k], dtype=float)
        if np.isnan(scores[best]):
            return True  # no score: the choice says nothing about a direction either
        same &= scores == scores[best]
    return np.count_nonzero(same) > 1


def grid_edges(search):
    """The numeric grid entries whose chosen value is at an end of its grid.

    Parameters
    ----------
    search : fitted GridSearchCV, RandomizedSearchCV or HalvingGridSearchCV
        A search with ``best_params_`` (any scikit-learn search; the ones
        :func:`~imgbalance.make_resampling_search` builds warn with
        :class:`GridEdgeWarning` by themselves after ``fit``).

    Returns
    -------
    edges : list of GridEdge
        ``(parameter, value, grid, strategy, side)`` for every entry of
        ``best_params_`` whose grid has at least two numbers and whose value
        is the smallest (``side="low"``) or the largest (``"high"``) of
        them; ``strategy`` is :func:`describe_strategy` of the candidate.
        Empty when several candidates tie for the best score (the choice
        then says nothing about a direction; with several metrics and a
        callable ``refit``, when they tie on every metric), when the best
        has no score (NaN), and for entries drawn from a distribution.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from imgbalance.search import grid_edges, make_resampling_search
    >>> X, y = load_digits(return_X_y=True)
    >>> search = make_resampling_search(["none"], features="pixels", image_shape=(8, 8),
    ...                                 param_grid={"clf__C": [1e-5, 1e-4]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     search = search.fit(X, y)
    >>> [(e.parameter, e.value, e.side) for e in grid_edges(search)]
    [('clf__C', 0.0001, 'high')]
    """
    check_is_fitted(search, "best_params_")
    results = search.cv_results_
    best = search.best_index_
    if _ties(results, score_key(search, results), best):
        return []  # a tie, or no score: the choice says nothing about a direction
    grids = getattr(search, "param_grid", None) or search.param_distributions
    grids = [grids] if isinstance(grids, dict) else list(grids)
    return edges_of(results["params"][best], grids, getattr(search, "estimator", None))
