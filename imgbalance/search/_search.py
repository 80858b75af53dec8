"""A ready-made search over resampling strategies for image classification."""

import difflib
import numbers
from collections.abc import Mapping

from imblearn.ensemble import EasyEnsembleClassifier
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler

from ..feature_extraction import HOGTransformer, ImageFlattener, make_hog_and_pixels
from ._defaults import DEFAULT_C_GRID, FEATURES, default_augmentation, default_classifier

__all__ = ["STRATEGIES", "describe_strategy", "make_resampling_search"]

#: Names of the strategies :func:`make_resampling_search` knows, in order.
STRATEGIES = (
    "none",
    "class_weight",
    "random_over",
    "random_under",
    "smote",
    "augmentation",
    "easy_ensemble",
)

def _grid_values(key, values, search):
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


def _with_random_state(estimator, random_state):
    estimator = clone(estimator)
    if "random_state" in estimator.get_params(deep=False):
        if estimator.get_params(deep=False)["random_state"] is None:
            estimator.set_params(random_state=random_state)
    return estimator


def _with_image_shape(step, image_shape):
    """``step`` with ``image_shape`` set where it reads the raw images (a clone).

    That is the step itself, every branch of a ``FeatureUnion`` and the first
    step of a ``Pipeline``, recursively; a later step of a pipeline sees what
    the earlier ones made (a crop, features), so it is left alone.  Only
    parameters left at None are set; ``"passthrough"``, ``image_shape=None``
    and objects without ``get_params`` pass through unchanged.
    """
    if image_shape is None or not hasattr(step, "get_params"):
        return step
    params = step.get_params(deep=True)
    unset = {key: image_shape for key in _raw_input_keys(step) if params[key] is None}
    if not unset:
        return step
    return clone(step).set_params(**unset)


def _raw_input_keys(step, prefix=""):
    """``image_shape`` parameter keys of the estimators that read ``step``'s input."""
    if not hasattr(step, "get_params"):
        return []
    keys = [prefix + "image_shape"] if "image_shape" in step.get_params(deep=False) else []
    if isinstance(step, FeatureUnion):
        for name, part in step.transformer_list:
            keys += _raw_input_keys(part, f"{prefix}{name}__")
    elif isinstance(step, SkPipeline):  # imblearn's Pipeline subclasses it
        for name, part in step.steps:
            if part is not None and part != "passthrough":
                keys += _raw_input_keys(part, f"{prefix}{name}__")
                break
    return keys


def _candidate_params(candidate):
    """The (deep) parameter names of a step candidate; none for "passthrough"."""
    if not hasattr(candidate, "get_params"):
        return set()
    return set(candidate.get_params(deep=True))


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
                params = _candidate_params(candidate)
                taken = tuple(key for key in subkeys if key[len(step) + 2:] in params)
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
    # clf__estimator__C is also reachable as clf__C (routed to the base estimator)
    known.update("clf__" + k[len("clf__estimator__"):] for k in list(known)
                 if k.startswith("clf__estimator__"))
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


def _route(key, steps, *, ensemble=False):
    """The grid key of ``key`` in a strategy whose steps are ``steps``, or None.

    ``steps`` maps each step name to its candidates in this strategy.  An
    entry goes to the strategies in which some candidate of its step has the
    parameter: e.g. ``resample__k_neighbors`` to SMOTE's strategy only,
    ``augment__*`` to the augmentation strategy only.  With ``ensemble``
    (the EasyEnsembleClassifier the builder wraps around the classifier),
    ``clf__<param>`` that the ensemble itself lacks goes to its base
    estimator.
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
    params = set().union(*map(_candidate_params, steps[step]))
    if param in params:
        return key
    if ensemble and step == "clf" and f"estimator__{param}" in params:
        return f"clf__estimator__{param}"
    return None


def _features_steps(features, image_shape):
    """The ``features`` and ``scale`` steps of the pipeline."""
    if isinstance(features, str):
        if features in ("hog", "hog+pixels"):
            hog = HOGTransformer(
                pixels_per_cell=(4, 4), cells_per_block=(2, 2), image_shape=image_shape
            )
            if features == "hog+pixels":
                return make_hog_and_pixels(hog, image_shape=image_shape), "passthrough"
            return hog, "passthrough"
        if features == "pixels":
            return ImageFlattener(image_shape=image_shape), StandardScaler()
        raise ValueError(
            f"features must be one of {FEATURES} or a transformer; got {features!r}."
        )
    if not hasattr(features, "fit") or not hasattr(features, "transform"):
        raise TypeError(
            f"features must be one of {FEATURES} or a transformer with fit and "
            f"transform; got {type(features).__name__}."
        )
    return _with_image_shape(clone(features), image_shape), "passthrough"


def describe_strategy(params):
    """Name the resampling strategy of one candidate of a search.

    Parameters
    ----------
    params : dict
        One entry of ``search.cv_results_["params"]`` (or ``best_params_``)
        of a search built by :func:`make_resampling_search`.

    Returns
    -------
    name : str
        One of :data:`STRATEGIES`, or several joined with ``"+"`` when a
        custom grid combines them (e.g. ``"augmentation+smote"``).  A
        ``resample`` sampler other than imbalanced-learn's random samplers
        and SMOTE is named by its lower-cased class name (e.g.
        ``"borderlinesmote"``); ``clf__class_weight="balanced"`` in
        ``params`` (``clf__estimator__class_weight`` for an
        EasyEnsembleClassifier) counts as ``"class_weight"``.

    Examples
    --------
    >>> from imblearn.over_sampling import SMOTE
    >>> from imgbalance import describe_strategy
    >>> describe_strategy({"resample": SMOTE(), "clf__C": 0.1})
    'smote'
    >>> describe_strategy({"resample": "passthrough", "clf__C": 1.0})
    'none'
    """
    parts = []
    augment = params.get("augment", "passthrough")
    if augment not in ("passthrough", None):
        parts.append("augmentation")
    resample = params.get("resample", "passthrough")
    if resample not in ("passthrough", None):
        names = {RandomOverSampler: "random_over", RandomUnderSampler: "random_under", SMOTE: "smote"}
        parts.append(names.get(type(resample), type(resample).__name__.lower()))
    clf = params.get("clf")
    prefix = "clf__"
    if isinstance(clf, EasyEnsembleClassifier):
        parts.append("easy_ensemble")
        clf, prefix = clf.estimator, "clf__estimator__"
    class_weight = clf.get_params(deep=False).get("class_weight") if clf is not None else None
    # a grid entry overrides the classifier's own setting
    if params.get(f"{prefix}class_weight", class_weight) == "balanced":
        parts.append("class_weight")
    return "+".join(parts) if parts else "none"


def make_resampling_search(
    strategies=None,
    *,
    features="hog",
    classifier=None,
    param_grid=None,
    augmentation=None,
    smote=None,
    image_shape=None,
    cv=3,
    scoring="balanced_accuracy",
    search="grid",
    n_iter=10,
    memory=None,
    n_jobs=None,
    random_state=0,
    refit=True,
    verbose=0,
    error_score="raise",
    search_params=None,
):
    """Build a search over resampling strategies for imbalanced images.

    The returned search tunes one :class:`imblearn.pipeline.Pipeline` ::

        augment (sampler) -> features -> scale -> resample (sampler) -> clf

    in which each strategy switches steps on (``"passthrough"`` otherwise),
    so a single ``fit`` compares strategies with the same folds, the same
    features and the same classifier, under a balanced score.  Images go
    in as ``(n_samples, height, width[, n_channels])`` (or flattened with
    ``image_shape``).

    Parameters
    ----------
    strategies : list of str, default=None
        Which of :data:`STRATEGIES` to compare; None means all of them:

        - ``"none"``: the classifier on the data as it is;
        - ``"class_weight"``: ``class_weight="balanced"`` in the classifier;
        - ``"random_over"`` / ``"random_under"``: imbalanced-learn's random
          over- and under-samplers on the features;
        - ``"smote"``: SMOTE on the features;
        - ``"augmentation"``: :class:`AugmentationOverSampler` on the images,
          before the features;
        - ``"easy_ensemble"``: :class:`~imblearn.ensemble.EasyEnsembleClassifier`
          around the classifier.
    features : {"hog", "pixels", "hog+pixels"} or transformer, default="hog"
        ``"hog"`` is ``HOGTransformer(pixels_per_cell=(4, 4),
        cells_per_block=(2, 2))``; ``"pixels"`` is :class:`ImageFlattener`
        followed by a :class:`~sklearn.preprocessing.StandardScaler` in the
        ``scale`` step (``"passthrough"`` otherwise); ``"hog+pixels"`` is a
        :class:`~sklearn.pipeline.FeatureUnion` of that HOG descriptor
        (step ``"hog"``) and the pixels min-max scaled to [0, 1] (step
        ``"pixels"``), weighted 0.5: for 28x28 greyscale images both parts
        then have similar norms (for other shapes, search
        ``features__transformer_weights`` or pass a FeatureUnion of your
        own; ``imgbalance compare`` scales the weight to the image shape).
        HOG discards intensity, which the pixels bring back.  On
        long-tailed Fashion-MNIST the pair lifts the best
        strategy's test balanced accuracy from 0.855 to 0.870, and that
        of a balanced training set of the same size from 0.874 to 0.891
        (``benchmarks/results/compare_fashion_mnist_ir100_hog_pixels.txt``,
        ``balanced_reference.txt``).
        Its parameters are searchable as ``features__hog__pixels_per_cell``
        or ``features__transformer_weights``.  A transformer is used as
        given (cloned; see ``image_shape``).
    classifier : classifier, default=None
        None means ``LinearSVC(dual=True, tol=1e-3, max_iter=300)``.  Strategy
        ``"class_weight"`` needs a ``class_weight`` parameter.
    param_grid : dict, default=None
        Extra grid entries in pipeline syntax, e.g. ``{"clf__C": [0.1, 1.0],
        "features__pixels_per_cell": [(4, 4), (7, 7)]}``.  Each entry goes to
        the strategies whose step has that parameter: ``augment__*`` to
        ``"augmentation"`` only, ``resample__k_neighbors`` to ``"smote"``
        only (the other strategies leave that step ``"passthrough"`` or use
        a sampler without it); for ``"easy_ensemble"``, ``clf__<param>`` goes
        to its base estimator unless the ensemble has that parameter itself
        (``clf__random_state``, ``clf__n_estimators``).  Entries that swap
        the ``features`` or ``scale`` step (``{"features": [hog, union]}``)
        may be combined with entries that tune it
        (``"features__orientations"``): the grid is split so that each
        candidate only gets the entries it has (a randomized search then
        draws each part equally often if some entry is a scipy.stats
        distribution, and each candidate equally often otherwise).  An entry that no
        strategy takes is a ValueError, and so are ``clf__class_weight``
        together with the ``"class_weight"`` strategy (which sets it) and
        entries that would replace a whole ``augment``, ``resample`` or
        ``clf`` step (use ``classifier``, ``augmentation`` or ``smote``).
        None means ``{"clf__C": [0.003, 0.01, 0.03]}`` with the default
        classifier (small C suits the
        normalised HOG descriptors: on long-tailed Fashion-MNIST,
        ``benchmarks/bench_search.py`` with C in {0.01, 0.1, 1} found the
        best candidate at C = 0.01 and with the default grid at C = 0.003),
        ``{}`` otherwise.
    augmentation : AugmentationOverSampler, default=None
        The sampler of strategy ``"augmentation"``; None means mild
        rotations, shifts and zooms (10 degrees, 10 %, 10 %).
    smote : sampler, default=None
        The sampler of strategy ``"smote"``; None means
        ``SMOTE(random_state=random_state)``.  Pass e.g.
        ``SMOTE(k_neighbors=2)`` when a class has few images per fold.
    image_shape : tuple of int, default=None
        Shape of one image, when ``X`` will be passed flattened.  It is
        passed on to every ``image_shape`` parameter left at None in the
        estimators that read the images: the features transformer (a given
        one too, with the branches of a ``FeatureUnion`` and the first step
        of a ``Pipeline``, recursively; later pipeline steps see what the
        earlier ones made), the augmentation sampler and the ``features``
        or ``scale`` candidates of ``param_grid``.
    cv : int or cross-validation generator, default=3
        An int means a shuffled :class:`~sklearn.model_selection.StratifiedKFold`
        seeded with ``random_state``.
    scoring : str or callable, default="balanced_accuracy"
        The score to maximise.
    search : {"grid", "randomized", "halving"}, default="grid"
        :class:`~sklearn.model_selection.GridSearchCV`,
        :class:`~sklearn.model_selection.RandomizedSearchCV` (``n_iter``
        candidates; ``param_grid`` values may then be scipy.stats
        distributions) or
        :class:`~sklearn.model_selection.HalvingGridSearchCV`.  The first
        rounds of a halving search fit on small subsets: a sampler that needs
        neighbours (the ``"smote"`` strategy's ``k_neighbors + 1`` images of
        every class in every training fold) then fails unless
        ``search_params={"min_resources": ...}`` starts it large enough.
    n_iter : int, default=10
        Number of candidates of the randomized search.
    memory : str or joblib.Memory, default=None
        Passed to the pipeline: caches the fitted features of each fold, so
        that a feature setting is computed once per fold for every strategy
        but ``"augmentation"`` (which fits it on augmented folds).
    n_jobs : int, default=None
        Candidates and folds evaluated in parallel.
    random_state : int, default=0
        Seeds the folds, the samplers and the classifier.  Keep it an int
        when ``memory`` is set: a cached sampler with ``random_state=None``
        would give the same resample on every refit anyway.
    refit, verbose, error_score
        Passed to the search.  ``error_score="raise"`` makes a strategy that
        cannot run on the data (e.g. SMOTE on a class with too few images)
        fail loudly instead of scoring NaN.
    search_params : dict, default=None
        Further keyword arguments of the search class, e.g.
        ``{"min_resources": 500, "factor": 3}`` for ``search="halving"`` or
        ``{"return_train_score": True}``.

    Returns
    -------
    search : GridSearchCV, RandomizedSearchCV or HalvingGridSearchCV
        Unfitted.  After ``fit``, :func:`describe_strategy` names the
        strategy of any entry of ``cv_results_["params"]``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance import HOGTransformer, describe_strategy, make_resampling_search
    >>> from imgbalance.datasets import make_long_tailed
    >>> from sklearn.datasets import load_digits
    >>> digits = load_digits()
    >>> X, y = make_long_tailed(digits.images, digits.target, imbalance_ratio=10, random_state=0)
    >>> search = make_resampling_search(
    ...     ["none", "smote", "augmentation"],
    ...     features=HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
    ...     param_grid={"clf__C": [0.1]},
    ... )
    >>> bool(search.fit(X, y).best_score_ > 0.8)
    True
    >>> sorted({describe_strategy(p) for p in search.cv_results_["params"]})
    ['augmentation', 'none', 'smote']
    """
    if strategies is None:
        strategies = list(STRATEGIES)
    if isinstance(strategies, str):
        strategies = [strategies]
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown or not strategies:
        raise ValueError(
            f"strategies must be a non-empty list of {list(STRATEGIES)}; got "
            f"{list(strategies)!r}."
        )
    if search not in ("grid", "randomized", "halving"):
        raise ValueError(
            f"search must be 'grid', 'randomized' or 'halving'; got {search!r}."
        )
    if not isinstance(random_state, numbers.Integral) or isinstance(random_state, bool):
        raise TypeError(
            f"random_state must be an int (it seeds folds, samplers and classifier); got {random_state!r}."
        )

    uses_default = classifier is None
    classifier = (
        default_classifier(random_state)
        if uses_default
        else _with_random_state(classifier, random_state)
    )
    if param_grid is None:
        param_grid = {"clf__C": list(DEFAULT_C_GRID)} if uses_default else {}
    if not isinstance(param_grid, Mapping):
        raise TypeError(
            "param_grid must be a dict of grid entries added to every strategy, "
            f"e.g. {{'clf__C': [0.1, 1.0]}}; got {type(param_grid).__name__}."
        )
    param_grid = dict(param_grid)
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
    augmentation = _with_random_state(
        augmentation if augmentation is not None else default_augmentation(random_state),
        random_state,
    )
    augmentation = _with_image_shape(augmentation, image_shape)

    features_step, scale_step = _features_steps(features, image_shape)
    pipeline = Pipeline(
        [
            ("augment", "passthrough"),
            ("features", features_step),
            ("scale", scale_step),
            ("resample", "passthrough"),
            ("clf", classifier),
        ],
        memory=memory,
    )

    values = {key: _grid_values(key, v, search) for key, v in param_grid.items()}
    for key in ("features", "scale"):  # candidates of a whole step
        if key in values and not hasattr(values[key], "rvs"):
            values[key] = [_with_image_shape(step, image_shape) for step in values[key]]
    # the candidates of every step (a bare "features" or "scale" entry swaps
    # in its own); each strategy then sets its augment, resample and clf
    base_steps = {name: [step] for name, step in pipeline.steps}
    base_steps.update({k: v for k, v in values.items() if k in ("features", "scale")})
    grids = []
    used = set()
    strategy_steps = []  # each strategy's step candidates (for error hints)
    for strategy in strategies:
        grid = {"augment": ["passthrough"], "resample": ["passthrough"], "clf": [classifier]}
        if strategy == "class_weight":
            if "class_weight" not in classifier.get_params(deep=False):
                raise ValueError(
                    f"strategy 'class_weight' needs a classifier with a class_weight "
                    f"parameter; {type(classifier).__name__} has none."
                )
            grid["clf"] = [clone(classifier).set_params(class_weight="balanced")]
        elif strategy == "random_over":
            grid["resample"] = [RandomOverSampler(random_state=random_state)]
        elif strategy == "random_under":
            grid["resample"] = [RandomUnderSampler(random_state=random_state)]
        elif strategy == "smote":
            grid["resample"] = [
                _with_random_state(smote if smote is not None else SMOTE(), random_state)
            ]
        elif strategy == "augmentation":
            grid["augment"] = [augmentation]
        elif strategy == "easy_ensemble":
            grid["clf"] = [
                EasyEnsembleClassifier(
                    estimator=clone(classifier), n_estimators=10, random_state=random_state
                )
            ]
        steps = {**base_steps, **grid}
        strategy_steps.append(steps)
        for key, candidates in values.items():
            routed = _route(key, steps, ensemble=strategy == "easy_ensemble")
            if routed is not None:
                grid[routed] = candidates
                used.add(key)
        grids.extend(_split_by_candidate(grid))
    unused = [key for key in param_grid if key not in used]
    if unused:
        known = _known_keys(strategy_steps)
        hints = [_did_you_mean(key, known) for key in unused]
        hints = " ".join(h for h in hints if h)
        raise ValueError(
            f"param_grid entries {unused} set a parameter that no step of the "
            f"strategies {list(strategies)} has (steps: augment, features, scale, "
            "resample, clf; a step that a strategy leaves as 'passthrough' takes no "
            f"parameters).{' ' + hints if hints else ''}"
        )

    if isinstance(cv, numbers.Integral):
        cv = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    kwargs = dict(
        scoring=scoring, cv=cv, n_jobs=n_jobs, refit=refit, verbose=verbose,
        error_score=error_score,
    )
    if search == "randomized":
        search_class = RandomizedSearchCV
        kwargs.update(n_iter=n_iter, random_state=random_state)
    elif search == "halving":
        from sklearn.experimental import enable_halving_search_cv  # noqa: F401
        from sklearn.model_selection import HalvingGridSearchCV as search_class

        kwargs.update(random_state=random_state)
    else:
        search_class = GridSearchCV
    if search_params is not None:
        if not isinstance(search_params, dict):
            raise TypeError(
                f"search_params must be a dict of keyword arguments; got {search_params!r}."
            )
        kwargs.update(search_params)
    return search_class(pipeline, grids, **kwargs)
