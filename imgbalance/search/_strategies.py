"""The strategy table: which pipeline steps each resampling strategy sets.

Every strategy is a row of :data:`STRATEGY_STEPS`: the steps it sets, each
with the name of the part that fills it (see :func:`strategy_steps`).  The
steps a row leaves out keep their defaults: ``"augment"`` and
``"resample"`` stay ``"passthrough"``, ``"clf"`` is the plain classifier.
Both builders (:func:`make_strategy_pipeline` and
:func:`make_resampling_search`) read this table, and
:func:`describe_strategy` reads a candidate back into a name.  A new
strategy is a new row here and, if it needs a new part, a new entry of
``_PARTS``.
"""

from imblearn.ensemble import EasyEnsembleClassifier
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone

from ..sampling import AdaptiveSMOTE, ImageResampler
from ._networks import balanced_network, has_balanced_criterion, image_sampler, is_skorch_net

__all__ = ["STRATEGIES", "STRATEGY_STEPS", "describe_strategy", "strategy_steps"]

#: Which steps each strategy sets, and with which part.
STRATEGY_STEPS = {
    "none": {},
    "class_weight": {"clf": "balanced_classifier"},
    "random_over": {"resample": "random_over"},
    "random_under": {"resample": "random_under"},
    "smote": {"resample": "smote"},
    "augmentation": {"augment": "augmentation"},
    "easy_ensemble": {"clf": "easy_ensemble"},
}

#: Names of the strategies the builders know, in order.
STRATEGIES = tuple(STRATEGY_STEPS)


def _balanced(parts):
    classifier = parts["classifier"]
    if is_skorch_net(classifier):
        return balanced_network(classifier)
    if "class_weight" not in classifier.get_params(deep=False):
        raise ValueError(
            f"strategy 'class_weight' needs a classifier with a class_weight "
            f"parameter (or a skorch net); {type(classifier).__name__} has none."
        )
    return clone(classifier).set_params(class_weight="balanced")


_PARTS = {
    "balanced_classifier": _balanced,
    "random_over": lambda parts: RandomOverSampler(random_state=parts["random_state"]),
    "random_under": lambda parts: RandomUnderSampler(random_state=parts["random_state"]),
    "smote": lambda parts: parts["smote"],
    "augmentation": lambda parts: parts["augmentation"],
    "easy_ensemble": lambda parts: EasyEnsembleClassifier(
        estimator=clone(parts["classifier"]), n_estimators=10,
        random_state=parts["random_state"],
    ),
}


def strategy_steps(strategy, parts):
    """The ``augment``, ``resample`` and ``clf`` steps of one strategy.

    Parameters
    ----------
    strategy : str
        One of :data:`STRATEGIES`.
    parts : dict
        ``classifier``, ``smote``, ``augmentation`` (resolved objects) and
        ``random_state``; with ``images=True``, the ``resample`` sampler is
        wrapped in :class:`~imgbalance.sampling.ImageResampler` unless it
        takes images itself.

    Returns
    -------
    steps : dict
        ``{"augment": ..., "resample": ..., "clf": ...}``.

    Examples
    --------
    >>> from sklearn.svm import LinearSVC
    >>> from imgbalance.search._strategies import strategy_steps
    >>> parts = dict(classifier=LinearSVC(), smote=None, augmentation=None, random_state=0)
    >>> strategy_steps("random_under", parts)["resample"]
    RandomUnderSampler(random_state=0)
    """
    steps = {"augment": "passthrough", "resample": "passthrough", "clf": parts["classifier"]}
    for step, part in STRATEGY_STEPS[strategy].items():
        steps[step] = _PARTS[part](parts)
    if parts.get("images"):
        steps["resample"] = image_sampler(steps["resample"], parts.get("image_shape"))
    return steps


def check_strategy(strategy):
    """``strategy`` if it is a known name, else a ValueError listing them."""
    if not isinstance(strategy, str) or strategy not in STRATEGY_STEPS:
        raise ValueError(f"strategy must be one of {list(STRATEGIES)}; got {strategy!r}.")
    return strategy


_SAMPLER_NAMES = {
    RandomOverSampler: "random_over",
    RandomUnderSampler: "random_under",
    SMOTE: "smote",
    AdaptiveSMOTE: "smote",
}


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
        ``resample`` sampler other than imbalanced-learn's random samplers,
        SMOTE and :class:`~imgbalance.sampling.AdaptiveSMOTE` is named by
        its lower-cased class name (e.g. ``"borderlinesmote"``);
        ``clf__class_weight="balanced"`` in ``params``
        (``clf__estimator__class_weight`` for an EasyEnsembleClassifier)
        counts as ``"class_weight"``, and so does a skorch net given balanced
        class weights by the ``"class_weight"`` strategy.  A sampler wrapped
        in :class:`~imgbalance.sampling.ImageResampler` is named by the
        sampler it wraps.

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
    if isinstance(resample, ImageResampler):
        resample = resample.sampler or RandomOverSampler()
    if resample not in ("passthrough", None):
        parts.append(_SAMPLER_NAMES.get(type(resample), type(resample).__name__.lower()))
    clf = params.get("clf")
    prefix = "clf__"
    if isinstance(clf, EasyEnsembleClassifier):
        parts.append("easy_ensemble")
        clf, prefix = clf.estimator, "clf__estimator__"
    class_weight = clf.get_params(deep=False).get("class_weight") if clf is not None else None
    # a grid entry overrides the classifier's own setting
    if (params.get(f"{prefix}class_weight", class_weight) == "balanced"
            or has_balanced_criterion(clf)):
        parts.append("class_weight")
    return "+".join(parts) if parts else "none"
