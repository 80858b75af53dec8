"""The search builder: every strategy's pipeline in one scikit-learn search."""

import numbers

from sklearn.model_selection import StratifiedKFold

from ._defaults import DEFAULT_C_GRID, HALVING_FACTOR
from ._grid import check_param_grid, route_grids
from ._networks import check_image_strategies, is_image_mode
from ._pipeline import base_pipeline, check_random_state_int, resolve_parts, with_image_shape
from ._searchcv import (
    StrategyGridSearchCV,
    StrategyHalvingGridSearchCV,
    StrategyRandomizedSearchCV,
)
from ._strategies import STRATEGIES, strategy_steps

__all__ = ["make_resampling_search"]

_SEARCHES = {
    "grid": StrategyGridSearchCV,
    "randomized": StrategyRandomizedSearchCV,
    "halving": StrategyHalvingGridSearchCV,
}


def _check_strategies(strategies):
    if strategies is None:
        return list(STRATEGIES)
    if isinstance(strategies, str):
        strategies = [strategies]
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown or not strategies:
        raise ValueError(
            f"strategies must be a non-empty list of {list(STRATEGIES)}; got "
            f"{list(strategies)!r}."
        )
    repeated = sorted({s for s in strategies if list(strategies).count(s) > 1})
    if repeated:  # each would be searched twice, its candidates doubled
        raise ValueError(
            f"strategies lists {repeated} more than once; got {list(strategies)!r}."
        )
    return list(strategies)


def _search_object(search, pipeline, grids, *, cv, n_iter, random_state, search_params,
                   **kwargs):
    """The search class for ``search``, with its keyword arguments."""
    if search not in _SEARCHES:
        raise ValueError(
            f"search must be 'grid', 'randomized' or 'halving'; got {search!r}."
        )
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ValueError(
                f"cv must be at least 2 folds (or a cross-validation splitter); got {cv!r}."
            )
        cv = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    kwargs["cv"] = cv
    if search == "randomized":
        kwargs.update(n_iter=n_iter, random_state=random_state)
    elif search == "halving":
        if not (isinstance(kwargs.get("scoring"), str) or callable(kwargs.get("scoring"))):
            raise ValueError(
                "search='halving' ranks candidates by one score: scoring must be a str or a "
                f"callable; got {kwargs.get('scoring')!r}. Use search='grid' or "
                "'randomized' with several metrics (and refit naming one of them)."
            )
        kwargs.update(random_state=random_state, return_train_score=False,
                      factor=HALVING_FACTOR)
    if search_params is not None:
        if not isinstance(search_params, dict):
            raise TypeError(
                f"search_params must be a dict of keyword arguments; got {search_params!r}."
            )
        kwargs.update(search_params)
    return _SEARCHES[search](pipeline, grids, **kwargs)


def make_resampling_search(
    strategies=None,
    *,
    features="hog+pixels",
    classifier=None,
    param_grid=None,
    augmentation=None,
    smote=None,
    image_shape=None,
    cv=3,
    scoring="balanced_accuracy",
    search="halving",
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
        - ``"smote"``: :class:`~imgbalance.sampling.AdaptiveSMOTE` (SMOTE with
          ``k_neighbors`` lowered to what each training fold allows) on the
          features;
        - ``"augmentation"``: :class:`AugmentationOverSampler` on the images,
          before the features;
        - ``"easy_ensemble"``: :class:`~imblearn.ensemble.EasyEnsembleClassifier`
          around the classifier (not with ``features="images"``).
    features : str, ImageLayout or transformer, default="hog+pixels"
        One of ``"hog+pixels"``, ``"hog"``, ``"pixels"``, ``"images"``.
        ``"hog"`` is ``HOGTransformer(pixels_per_cell=(4, 4),
        cells_per_block=(2, 2))``; ``"pixels"`` is :class:`ImageFlattener`
        followed by a :class:`~sklearn.preprocessing.StandardScaler` in the
        ``scale`` step (``"passthrough"`` otherwise); ``"hog+pixels"`` is a
        :class:`~sklearn.pipeline.FeatureUnion` of that HOG descriptor
        (step ``"hog"``) and the pixels min-max scaled to [0, 1] (step
        ``"pixels"``), weighted by
        :func:`~imgbalance.feature_extraction.hog_pixel_weight` of the
        images seen in ``fit`` and the HOG step's cells and blocks
        (``make_hog_and_pixels(pixel_weight="auto")``): 0.5 on 28x28
        greyscale images, where both parts then have similar norms.  A
        ``features__transformer_weights`` entry overrides it.
        HOG discards intensity, which the pixels bring back.  On
        long-tailed Fashion-MNIST the pair lifts the best
        strategy's test balanced accuracy from 0.855 to 0.870, and that
        of a balanced training set of the same size from 0.874 to 0.892
        (``benchmarks/results/compare_fashion_mnist_ir100_hog_pixels.txt``,
        ``balanced_reference.txt``).
        Its parameters are searchable as ``features__hog__pixels_per_cell``
        or ``features__transformer_weights``.  A transformer is used as
        given (cloned; see ``image_shape``).

        ``"images"`` (or an :class:`~imgbalance.feature_extraction.ImageLayout`)
        is for a classifier that takes image batches, such as a network: the
        pipeline is ``augment -> resample -> layout -> clf``, every sampler
        acts on the images (feature-space ones wrapped in
        :class:`~imgbalance.sampling.ImageResampler`) and the ``layout`` step
        is the given ``ImageLayout``, or for ``"images"`` float32 in [0, 1],
        channels-first for a skorch net and channels-last otherwise.  See
        :ref:`network-search` for what is then checked, changed on a clone
        of the net (``iterator_train__shuffle=True``, ``train_split=None``)
        or refused (``"easy_ensemble"``).
    classifier : classifier, default=None
        None means ``LinearSVC(dual=True, tol=0.1, max_iter=300)`` (not
        allowed with ``features="images"``).  Strategy ``"class_weight"``
        needs a ``class_weight`` parameter, or a skorch net whose criterion
        takes a ``weight`` (set per training fold).
    param_grid : dict, default=None
        Extra grid entries in pipeline syntax, e.g. ``{"clf__C": [0.1, 1.0],
        "features__hog__pixels_per_cell": [(4, 4), (7, 7)]}`` (with
        ``features="hog"`` the key is ``features__pixels_per_cell``).  Each entry goes to
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
        ``AdaptiveSMOTE(random_state=random_state)``, which lowers
        ``k_neighbors`` (5) to what the smallest class of each training fold
        allows and warns.  A sampler given here is used as it is (seeded if
        its ``random_state`` is None).
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
    scoring : str, callable, list or dict, default="balanced_accuracy"
        The score to maximise.  Several metrics (a list or dict, as in
        scikit-learn) need ``search="grid"`` or ``"randomized"`` and a
        ``refit`` that names one of them or picks the best itself (a
        callable; the progress lines then rank each strategy's candidates by
        the first metric and name it, e.g. ``cv(ba) 0.823``).
    search : {"halving", "grid", "randomized"}, default="halving"
        ``"halving"``: successive halving (a subclass of
        :class:`~sklearn.model_selection.HalvingGridSearchCV`, ``factor=4``,
        ``return_train_score=False``): every candidate is first fitted on a
        stratified share of each training fold, and each round keeps the best
        quarter of the candidates for a share four times larger; with the
        default ``min_resources`` and ``max_resources`` the last round fits
        the remaining ones on the whole training folds.  Every class keeps
        its share of a fold and at least six images (SMOTE's neighbours), and
        every round scores on the whole validation folds, so the last round's
        scores are those of the exhaustive grid for the same candidates.
        With the 21 default candidates on enough images (a sixteenth of
        them at least ``2 * n_splits * n_classes``): 1/16 of each fold,
        then 6 candidates on 1/4, then 2 on whole folds; on fewer images,
        fewer rounds that still end on whole folds (on about 1,100 images
        1/4, then 6 candidates on whole folds).  What it does not
        compute is the whole-fold score of the candidates it dropped, so a
        candidate that only wins with all the data can be dropped early;
        so that the first round is worth ranking, it fits at least 25
        images a class on average (a single round, the grid, on a few
        hundred images; see the user guide).
        On long-tailed Fashion-MNIST it made the grid's pick in 84-86 s where
        commit 2966f67's grid (with ``tol=1e-3`` then) took 262-268 s
        (``benchmarks/bench_search.py``, two runs; halving alone gave
        2.4-2.7x, the default classifier's ``tol=0.1`` 1.25x more), and the
        grid's pick on three long-tailed splits
        (``benchmarks/halving_vs_grid.py``).  ``"grid"``:
        :class:`~sklearn.model_selection.GridSearchCV`, every candidate on
        every whole fold (what comparing strategies side by side, as
        :class:`~imgbalance.display.StrategyComparisonDisplay` does, needs).
        ``"randomized"``: :class:`~sklearn.model_selection.RandomizedSearchCV`
        (``n_iter`` candidates; ``param_grid`` values may then be
        scipy.stats distributions).  Each is a subclass that adds the
        progress lines and the grid-edge warning; ``search_params`` passes
        other settings (``{"factor": 3}``, ``{"min_resources": 500}``).
    n_iter : int, default=10
        Number of candidates of the randomized search.
    memory : str or joblib.Memory, default=None
        Passed to the pipeline: caches the fitted features of each fold, so
        that a feature setting is computed once per fold for every strategy
        but ``"augmentation"`` (which fits it on augmented folds).
    n_jobs : int, default=None
        Candidates and folds evaluated in parallel.
    random_state : int, default=0
        Seeds the folds, the samplers and the classifier (an int: None is
        refused, so that every search built here can be repeated, also
        with ``memory``, which would replay a cached unseeded resample).
    verbose : int, default=0
        With 1 or more, a line per strategy as its candidates finish: its
        best cross-validated score, that candidate's parameters and the time
        since ``fit`` began.  A halving search prints them after each round
        (headed by the round's candidates and samples), for the strategies
        still in it; a grid search evaluates the strategies one after the
        other to print them (``cv_results_`` is the same).  Also passed to
        the scikit-learn search, which prints its own lines.
    refit, error_score
        Passed to the search.  ``error_score="raise"`` makes a strategy that
        cannot run on the data (e.g. SMOTE on a class with a single image
        in a fold) fail loudly instead of scoring NaN.
    search_params : dict, default=None
        Further keyword arguments of the search class, e.g.
        ``{"min_resources": 500, "factor": 3}`` for ``search="halving"`` or
        ``{"return_train_score": True}``; they override the builder's.

    Returns
    -------
    search : HalvingGridSearchCV, GridSearchCV or RandomizedSearchCV
        Unfitted; a subclass of the scikit-learn search of that name
        (``StrategyHalvingGridSearchCV``, ...) that adds the progress lines
        of ``verbose`` and the grid-edge warning (and, for halving, the
        stratified rounds above).  After ``fit``, :func:`describe_strategy` names the
        strategy of any entry of ``cv_results_["params"]``, and a
        :class:`~imgbalance.search.GridEdgeWarning` has said which numeric
        entries of ``best_params_`` lie at an end of their grid (see
        :func:`~imgbalance.search.grid_edges`).

    See Also
    --------
    make_strategy_pipeline : The pipeline of one strategy, for other tuners.

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
    strategies = _check_strategies(strategies)
    if search not in _SEARCHES:
        raise ValueError(
            f"search must be 'grid', 'randomized' or 'halving'; got {search!r}."
        )
    random_state = check_random_state_int(random_state)
    if param_grid is None:
        param_grid = {"clf__C": list(DEFAULT_C_GRID)} if classifier is None else {}
    images = is_image_mode(features)
    if images:
        check_image_strategies(strategies)
    values = check_param_grid(param_grid, strategies, search)
    parts = resolve_parts(classifier, augmentation, smote, image_shape, random_state, images)
    pipeline = base_pipeline(features, parts, image_shape, memory)

    # the candidates of every step (a bare "features", "scale" or "layout"
    # entry swaps in its own); each strategy then sets augment, resample, clf
    shared = [name for name, _ in pipeline.steps if name not in ("augment", "resample", "clf")]
    for key in shared:
        if key in values and not hasattr(values[key], "rvs"):
            values[key] = [with_image_shape(step, image_shape) for step in values[key]]
    base_steps = {name: [step] for name, step in pipeline.steps}
    base_steps.update({k: v for k, v in values.items() if k in shared})
    strategy_grids = [
        (s, {step: [obj] for step, obj in strategy_steps(s, parts).items()})
        for s in strategies
    ]
    grids = route_grids(values, base_steps, strategy_grids)
    return _search_object(
        search, pipeline, grids, cv=cv, n_iter=n_iter, random_state=random_state,
        search_params=search_params, scoring=scoring, n_jobs=n_jobs, refit=refit,
        verbose=verbose, error_score=error_score,
    )
