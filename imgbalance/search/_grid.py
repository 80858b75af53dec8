"""Grid routing: which strategies each ``param_grid`` entry goes to, and hints.

An entry goes to the strategies in which some candidate of its step has
the parameter; a grid that swaps a step and tunes it is split so that each
candidate only meets the entries it takes; an entry no strategy takes is a
ValueError with a "did you mean" hint.
"""

import difflib
from collections.abc import Mapping

__all__ = ["check_param_grid", "route_grids"]


def grid_values(key, values, search):
    """The candidate values of one ``param_grid`` entry, as the search wants them."""
    if search == "randomized" and hasattr(values, "rvs"):
        return values  # a scipy.stats distribution
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        also = " or a scipy.stats distribution" if search == "randomized" else ""
        raise TypeError(
            f"param_grid[{key!r}] must be a list of candidate values{also}; "
            f"got {values!r}. Wrap a single value in a list."
        )
    return list(values)


def _candidate_params(candidate):
    """The (deep) parameter names of a step candidate; none for "passthrough"."""
    if not hasattr(candidate, "get_params"):
        return set()
    return set(candidate.get_params(deep=True))


# skorch nets take ``module__*``, ``optimizer__*``, ... that get_params
# lists only once set
_SKORCH_PREFIXES = ("module", "criterion", "optimizer")


def _takes(candidates, param):
    """Whether some candidate has ``param`` (or a skorch prefix of it)."""
    if param in set().union(*map(_candidate_params, candidates)):
        return True
    prefix = param.partition("__")[0]
    return "__" in param and any(
        prefix in (*getattr(c, "prefixes_", ()), *_SKORCH_PREFIXES)
        for c in candidates if hasattr(c, "prefixes_")
    )


def _split_by_candidate(grid):
    """Split ``grid`` so that no candidate of a step meets a parameter it lacks.

    ``{"features": [hog, union], "features__orientations": [6, 9]}`` would
    make the search set ``orientations`` on the union, and fail at fit (the
    trap of swapping a step and tuning its parameters in one grid).  It
    becomes ``{"features": [hog], "features__orientations": [6, 9]}`` and
    ``{"features": [union]}``: every candidate keeps every entry it takes.
    """
    grids = [grid]
    for step in [key for key in grid if "__" not in key]:
        new = []
        for g in grids:
            subkeys = [key for key in g if key.startswith(step + "__")]
            candidates = g[step]
            if not subkeys or hasattr(candidates, "rvs"):
                new.append(g)
                continue
            groups = {}  # taken sub-keys -> candidates, in candidate order
            for candidate in candidates:
                taken = tuple(key for key in subkeys if _takes([candidate], key[len(step) + 2:]))
                groups.setdefault(taken, []).append(candidate)
            for taken, members in groups.items():
                split = {k: v for k, v in g.items() if k not in subkeys or k in taken}
                split[step] = members
                new.append(split)
        grids = new
    return grids


def _known_keys(strategy_steps):
    """Every ``step__param`` key that a strategy's step candidates take."""
    known = set()
    for steps in strategy_steps:
        for name, candidates in steps.items():
            if hasattr(candidates, "rvs"):  # a distribution over whole steps
                continue
            for candidate in candidates:
                known.update(f"{name}__{p}" for p in _candidate_params(candidate))
    # clf__estimator__C is also reachable as clf__C (routed to the base
    # estimator), resample__sampler__k_neighbors as resample__k_neighbors
    for step, inner in _WRAPPED.items():
        known.update(f"{step}__" + k[len(f"{step}__{inner}__"):] for k in list(known)
                     if k.startswith(f"{step}__{inner}__"))
    return known


def _did_you_mean(key, known):
    """A hint naming the known parameter key closest to ``key`` (or "")."""
    step, _, param = key.partition("__")
    same_step = sorted(k for k in known if k.startswith(step + "__"))
    # the same parameter one level down (features__pixels_per_cell ->
    # features__hog__pixels_per_cell), else a close spelling (clf__c -> clf__C)
    nested = [k for k in same_step if k.endswith("__" + param)]
    close = nested or [k for k in same_step if k.lower() == key.lower()] or (
        difflib.get_close_matches(key, same_step, n=1, cutoff=0.8)
    )
    return f"Did you mean {' or '.join(map(repr, close))} for {key!r}?" if close else ""


#: Steps whose candidates may wrap the object a grid entry means: the
#: EasyEnsembleClassifier around the classifier, the ImageResampler around
#: a sampler on images.
_WRAPPED = {"clf": "estimator", "resample": "sampler"}


def _route(key, steps, *, ensemble=False):
    """The grid key of ``key`` in a strategy whose steps are ``steps``, or None.

    ``steps`` maps each step name to its candidates in this strategy.  An
    entry goes to the strategies in which some candidate of its step has the
    parameter: e.g. ``resample__k_neighbors`` to SMOTE's strategy only,
    ``augment__*`` to the augmentation strategy only.  With ``ensemble``
    (the EasyEnsembleClassifier the builder wraps around the classifier),
    ``clf__<param>`` that the ensemble itself lacks goes to its base
    estimator; on images, ``resample__<param>`` that the ImageResampler
    lacks goes to the sampler it wraps.
    """
    step, _, param = key.partition("__")
    if step not in steps:
        raise ValueError(
            f"param_grid entry {key!r} names no step of the pipeline; its steps are "
            f"{list(steps)}."
        )
    if not param:
        return key  # a whole step, swapped in every strategy
    if hasattr(steps[step], "rvs"):
        return key  # steps drawn from a distribution: the user pairs their parameters
    if _takes(steps[step], param):
        return key
    wrapped = (step == "clf" and ensemble) or step == "resample"
    if wrapped and _takes(steps[step], f"{_WRAPPED[step]}__{param}"):
        return f"{step}__{_WRAPPED[step]}__{param}"
    return None


def check_param_grid(param_grid, strategies, search):
    """``param_grid`` as a dict of candidate lists (or distributions), checked."""
    if not isinstance(param_grid, Mapping):
        raise TypeError(
            "param_grid must be a dict of grid entries added to every strategy, "
            f"e.g. {{'clf__C': [0.1, 1.0]}}; got {type(param_grid).__name__}."
        )
    swapped = [key for key in ("augment", "resample", "clf") if key in param_grid]
    if swapped:
        raise ValueError(
            f"param_grid entries {swapped} would replace steps that the strategies "
            "set; pass classifier=, augmentation= or smote= instead (or call "
            "make_resampling_search once per classifier)."
        )
    if "class_weight" in strategies and "clf__class_weight" in param_grid:
        raise ValueError(
            "param_grid['clf__class_weight'] conflicts with the 'class_weight' "
            "strategy, which sets class_weight='balanced': drop one of them."
        )
    return {key: grid_values(key, v, search) for key, v in param_grid.items()}


def route_grids(values, base_steps, strategy_grids):
    """The search's list of grids: each strategy's steps plus the entries it takes.

    Parameters
    ----------
    values : dict
        The checked ``param_grid`` (see :func:`check_param_grid`).
    base_steps : dict
        Step name -> candidates shared by every strategy (``features`` and
        ``scale``, possibly swapped in by ``values``).
    strategy_grids : list of (str, dict)
        Each strategy's name and its ``augment``, ``resample`` and ``clf``
        candidate lists.
    """
    grids, used, all_steps = [], set(), []
    for strategy, grid in strategy_grids:
        steps = {**base_steps, **grid}
        all_steps.append(steps)
        for key, candidates in values.items():
            routed = _route(key, steps, ensemble=strategy == "easy_ensemble")
            if routed is not None:
                grid[routed] = candidates
                used.add(key)
        grids.extend(_split_by_candidate(grid))
    unused = [key for key in values if key not in used]
    if unused:
        known = _known_keys(all_steps)
        hints = " ".join(h for h in (_did_you_mean(key, known) for key in unused) if h)
        raise ValueError(
            f"param_grid entries {unused} set a parameter that no step of the "
            f"strategies {[s for s, _ in strategy_grids]} has (steps: "
            f"{', '.join(base_steps)}; a step that a strategy leaves as "
            f"'passthrough' takes no parameters).{' ' + hints if hints else ''}"
        )
    return grids
