"""The search classes the builder returns: scikit-learn's, plus progress and edges.

Each is the scikit-learn search of the same name with three additions:

* with ``verbose >= 1``, one line per strategy as its candidates finish
  (a grid search then evaluates the strategies one after the other, each
  with all its candidates and folds in parallel; the results are the same);
* after ``fit``, a :class:`GridEdgeWarning` for each numeric entry of
  ``best_params_`` at an end of its grid (see :func:`grid_edges`);
* the halving search fits each round on a stratified share of every
  training fold and scores it on the whole validation folds (see
  :class:`StrategyHalvingGridSearchCV`).
"""

import math
import numbers
import time
from itertools import groupby

import numpy as np
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    ParameterGrid,
    RandomizedSearchCV,
)
from sklearn.base import is_classifier
from sklearn.utils.multiclass import type_of_target

from .._compat import SubsampleMetaSplitter, callback_kwargs
from .._warnings import warn_caller
from ..sampling._smote import is_neighbours_parameter
from ._defaults import FIRST_ROUND_PER_CLASS
from ._edges import (
    STRATEGY_KEYS,
    GridEdgeWarning,
    edge_message,
    edges_of,
    grid_edges,
    score_key,
)
from ._strategies import describe_strategy
from ._subsample import StratifiedTrainSubsample

__all__ = ["StrategyGridSearchCV", "StrategyHalvingGridSearchCV", "StrategyRandomizedSearchCV"]


def _strategy_of(params):
    return describe_strategy({k: params[k] for k in STRATEGY_KEYS if k in params})


def _shown(value):
    return f"{value:.3g}" if isinstance(value, float) else repr(value)


class _ProgressMixin:
    """Progress lines per strategy and the grid-edge warning after fit."""

    def fit(self, X, y=None, **params):
        self._progress_clock = time.perf_counter()
        super().fit(X, y, **params)
        if hasattr(self, "best_params_"):
            for edge in grid_edges(self):
                warn_caller(edge_message(edge), GridEdgeWarning)
        return self

    def _grids(self):
        grids = getattr(self, "param_grid", None) or self.param_distributions
        return [grids] if isinstance(grids, dict) else list(grids)

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        if not self.verbose:
            return super()._run_search(evaluate_candidates, **callback_kwargs(callback_ctx))
        n_round = [0]

        def reporting(candidate_params, cv=None, more_results=None, **kwargs):
            candidates = list(candidate_params)
            n_round[0] += 1
            results = evaluate_candidates(candidates, cv, more_results, **kwargs)
            self._report(results, len(candidates), f"round {n_round[0]}", more_results)
            return results

        return super()._run_search(reporting, **callback_kwargs(callback_ctx))

    def _report(self, results, n_new, label, more_results):
        """Print the best candidate of each strategy among the last ``n_new``."""
        params = results["params"][-n_new:]
        key, metric = score_key(self, results), ""
        if key is None:  # several metrics and a callable refit: rank by the first, named
            key = next((k for k in results if k.startswith("mean_test_")), None)
            metric = f"({key[len('mean_test_'):]})" if key is not None else ""
        scores = (np.asarray(results[key], dtype=float)[-n_new:] if key is not None
                  else np.full(len(params), np.nan))
        seconds = time.perf_counter() - self._progress_clock
        if more_results:
            share, r = getattr(self, "_round_share", None), more_results["n_resources"][0]
            on = (f"{r} samples" if share is None and self.resource == "n_samples"
                  else f"{self.resource}={r}" if share is None
                  else "the whole training folds" if share == 1
                  else f"{share:.1%} of each training fold (stratified)")
            print(f"[{label}] {n_new} candidates on {on}")
        known = self._strategy_names()
        # a halving round after the first: its candidates were chosen in earlier rounds
        later = bool(more_results) and more_results.get("iter", [0])[0] > 0
        order = sorted(dict.fromkeys(map(_strategy_of, params)),
                       key=lambda n: known.index(n) if n in known else len(known))
        total = len(known)
        for name in order:
            mine = [i for i, p in enumerate(params) if _strategy_of(p) == name]
            best = max(mine, key=lambda i: (np.nan_to_num(scores[i], nan=-np.inf), -i))
            shown = "  ".join(f"{k}={_shown(v)}" for k, v in params[best].items()
                              if not hasattr(v, "get_params") and k not in ("augment", "resample"))
            edges = self._round_edges(params, scores, mine, best, halving_round=later)
            note = "".join(f"  [{e.parameter} at the {e.side} edge]" for e in edges)
            where = known.index(name) + 1 if name in known else "?"
            print(f"[{where}/{total}] {name:<14} cv{metric} {scores[best]:.3f}  {shown}  "
                  f"({seconds:.1f} s){note}", flush=True)

    def _round_edges(self, params, scores, mine, best, *, halving_round):
        """The grid edges of a strategy's best candidate ``best`` among ``mine``.

        The rules of :func:`grid_edges`, per strategy: none when the best
        has no score or when another candidate of the strategy ties with it
        (the choice then says nothing about a direction).  A strategy's only
        candidate of a grid or randomized search gets none (nothing chose it
        among others); one in a later halving round does, as earlier rounds
        chose it.
        """
        if not np.isfinite(scores[best]):
            return []
        tied = sum(scores[i] == scores[best] for i in mine) > 1
        if tied or (len(mine) == 1 and not halving_round):
            return []
        return edges_of(params[best], self._grids(), self.estimator)

    def _strategy_names(self):
        names = []
        for grid in self._grids():
            steps = {k: list(v) for k, v in grid.items()
                     if k in STRATEGY_KEYS and not hasattr(v, "rvs")}
            names += [_strategy_of(p) for p in ParameterGrid(steps)]
        return list(dict.fromkeys(names))


class StrategyGridSearchCV(_ProgressMixin, GridSearchCV):
    """:class:`~sklearn.model_selection.GridSearchCV` with progress per strategy.

    With ``verbose``, the candidates of each strategy are evaluated together
    (in the order of ``param_grid``, so ``cv_results_`` is the same) and a
    line is printed as each strategy ends.
    """

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        if not self.verbose:
            return super()._run_search(evaluate_candidates, **callback_kwargs(callback_ctx))
        candidates = list(ParameterGrid(self.param_grid))
        groups = [list(g) for _, g in groupby(candidates, key=_strategy_of)]
        if len(groups) > len(set(map(_strategy_of, candidates))):
            # A strategy's candidates are not consecutive (a grid that lists
            # several samplers): one pass, so that cv_results_ keeps the
            # grid's order, and the lines after it.
            groups = [candidates]
        search_ctx = None
        if callback_ctx is not None:  # scikit-learn's callback contexts, as its own search
            search_ctx = callback_ctx.subcontext(
                task_name="search", max_subtasks=len(groups)
            ).call_on_fit_task_begin(estimator=self)
        for group in groups:
            ctx = None
            if search_ctx is not None:
                ctx = search_ctx.subcontext(
                    task_name="strategy", max_subtasks=len(group) * self.n_splits_,
                    sequential_subtasks=False,
                ).call_on_fit_task_begin(estimator=self)
            results = evaluate_candidates(group, **callback_kwargs(ctx))
            if ctx is not None:
                ctx.call_on_fit_task_end(estimator=self)
            self._report(results, len(group), None, None)
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)


class StrategyRandomizedSearchCV(_ProgressMixin, RandomizedSearchCV):
    """:class:`~sklearn.model_selection.RandomizedSearchCV` with progress per strategy."""


def _min_per_class(estimator, grids):
    """Images every class keeps in a halving round: 6, or ``k_neighbors + 1`` if larger.

    Six lets SMOTE's default five neighbours exist in every class; a
    sampler with more neighbours (in the estimator, a grid value, or a
    ``..._k_neighbors`` grid entry) raises the floor to its need.
    """
    def neighbours(key, value):
        return is_neighbours_parameter(key) and isinstance(value, numbers.Integral)

    needs = [5]
    for grid in grids:
        for key, values in grid.items():
            if hasattr(values, "rvs"):
                continue
            needs += [v for v in values if neighbours(key, v)]
            needs += [v for obj in values if hasattr(obj, "get_params")
                      for k, v in obj.get_params().items() if neighbours(k, v)]
    needs += [v for k, v in estimator.get_params().items() if neighbours(k, v)]
    return 1 + max(needs)


def _share_of_round(n_resources, itr, search):
    """The share of each training fold a halving round fits on.

    ``n_resources / n_samples``, except for the round that reaches
    ``max_resources_`` up to the rounding of ``min_resources="exhaust"``
    (less than ``factor ** round`` samples short): that one fits on
    ``max_resources_ / n_samples`` of each fold, the whole folds by default.
    """
    if search.max_resources_ - n_resources < search.factor ** itr:
        return search.max_resources_ / search._n_rows
    return n_resources / search._n_rows


class StrategyHalvingGridSearchCV(_ProgressMixin, HalvingGridSearchCV):
    """:class:`~sklearn.model_selection.HalvingGridSearchCV` whose rounds keep every class.

    With ``resource="n_samples"`` (the default) and class labels, a round
    with ``n_resources`` r fits each candidate on a stratified random subset
    of each training fold, where scikit-learn draws a plain random one:

    * every class keeps the share ``r / n_samples`` of its images in the
      fold, and at least ``min(its count, 6)`` (``k_neighbors + 1`` if a
      sampler of the estimator or of the grid needs more), so the rare
      classes, and SMOTE's neighbours, are in every round; with an int
      ``random_state`` the subsets of successive rounds are nested;
    * the validation folds are whole in every round (scikit-learn shrinks
      them with the training folds), so every score is on the same images;
    * the round that reaches ``max_resources_`` (the last round of
      ``min_resources="exhaust"``, the default, which falls short of it by
      less than ``factor ** round`` samples) fits on the share
      ``max_resources_ / n_samples`` of each fold: with ``max_resources``
      left at ``"auto"``, the whole training folds, so that its scores are
      those :class:`GridSearchCV` gives the same candidates.
      ``n_resources_`` and ``cv_results_["n_resources"]`` still say r.

    With ``min_resources="exhaust"``, the first round fits at least
    ``FIRST_ROUND_PER_CLASS`` (25) images a class on average (scikit-learn
    starts from ``2 * n_splits * n_classes`` samples), and when the samples
    are too few for every round scikit-learn would plan (it would then end
    on a share of each fold), the first round starts on a larger share, so
    that the last one still reaches ``max_resources_``: fewer rounds, more
    candidates in the last (one round, the grid, on a few hundred images).  A
    ``min_resources`` of your own may end the search before any round
    reaches ``max_resources_`` (scikit-learn stops when fewer than
    ``factor`` candidates remain).  Otherwise it is scikit-learn's search, with the
    progress lines and the grid-edge warning of this module.
    """

    def fit(self, X, y=None, **params):
        labels = y is not None and type_of_target(y) in ("binary", "multiclass")
        self._n_classes = len(np.unique(y)) if labels else 0  # 0: not class labels
        self._n_rows = X.shape[0] if hasattr(X, "shape") else len(X)
        return super().fit(X, y, **params)

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        stratify = (self.resource == "n_samples" and is_classifier(self.estimator)
                    and getattr(self, "_n_classes", 0) > 0)
        min_per_class = _min_per_class(self.estimator, self._grids())
        self._round_share = None
        if stratify and self.min_resources == "exhaust":
            self._end_on_max_resources()

        def stratified(candidate_params, cv=None, more_results=None, **kwargs):
            if stratify and isinstance(cv, SubsampleMetaSplitter):
                share = _share_of_round(more_results["n_resources"][0], more_results["iter"][0],
                                        self)
                cv = StratifiedTrainSubsample(cv.base_cv, share, min_per_class,
                                              self.random_state)
                self._round_share = share  # for the progress line
            return evaluate_candidates(candidate_params, cv, more_results, **kwargs)

        return super()._run_search(stratified, **callback_kwargs(callback_ctx))

    def _end_on_max_resources(self):
        """Start late enough for a first round worth ranking and a last one on whole folds.

        The first round fits at least :data:`FIRST_ROUND_PER_CLASS` images
        a class on average (scikit-learn's ``"exhaust"`` starts from
        ``2 * n_splits * n_classes`` samples, a few images a class, whose
        scores dropped the grid's pick on a small data set,
        ``benchmarks/halving_small_data.py``).  When the data are then too
        few for every round scikit-learn plans, its search would end on a
        share of each fold; here it starts on a larger share instead, and
        runs the rounds that fit (one, the grid, on small data).
        """
        first = max(self.min_resources_, FIRST_ROUND_PER_CLASS * self._n_classes)
        self.min_resources_ = min(first, self.max_resources_)
        n_candidates = len(ParameterGrid(self.param_grid))
        n_required = 1 + math.floor(math.log(n_candidates, self.factor))
        n_possible = 1 + math.floor(math.log(self.max_resources_ // self.min_resources_,
                                             self.factor))
        if n_possible < n_required:
            self.min_resources_ = self.max_resources_ // self.factor ** (n_possible - 1)
