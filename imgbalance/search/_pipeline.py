"""The pipeline builder: one strategy's :class:`imblearn.pipeline.Pipeline`.

``augment -> features -> scale -> resample -> clf`` (on images for a
network: ``augment -> resample -> layout -> clf``, see :mod:`._networks`);
the strategy table (:mod:`._strategies`) says which of ``augment``,
``resample`` and ``clf`` a strategy sets.
"""

import numbers

from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.pipeline import FeatureUnion
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler

from ..feature_extraction import HOGTransformer, ImageFlattener, make_hog_and_pixels
from ..sampling import AdaptiveSMOTE
from ._defaults import FEATURES, default_augmentation, default_classifier
from ._networks import IMAGES, check_image_strategies, is_image_mode, layout_step, safe_network
from ._strategies import check_strategy, strategy_steps

__all__ = ["make_strategy_pipeline"]


def with_random_state(estimator, random_state):
    """A clone of ``estimator`` with ``random_state`` set if it was None."""
    estimator = clone(estimator)
    if "random_state" in estimator.get_params(deep=False):
        if estimator.get_params(deep=False)["random_state"] is None:
            estimator.set_params(random_state=random_state)
    return estimator


def with_image_shape(step, image_shape):
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


def features_steps(features, image_shape):
    """The ``features`` and ``scale`` steps of the pipeline."""
    if isinstance(features, str):
        if features in ("hog", "hog+pixels"):
            hog = HOGTransformer(
                pixels_per_cell=(4, 4), cells_per_block=(2, 2), image_shape=image_shape
            )
            if features == "hog+pixels":
                union = make_hog_and_pixels(hog, pixel_weight="auto", image_shape=image_shape)
                return union, "passthrough"
            return hog, "passthrough"
        if features == "pixels":
            return ImageFlattener(image_shape=image_shape), StandardScaler()
        raise ValueError(
            f"features must be one of {(*FEATURES, IMAGES)} or a transformer; got "
            f"{features!r}."
        )
    if not hasattr(features, "fit") or not hasattr(features, "transform"):
        raise TypeError(
            f"features must be one of {(*FEATURES, IMAGES)}, an ImageLayout or a "
            f"transformer with fit and transform; got {type(features).__name__}."
        )
    return with_image_shape(clone(features), image_shape), "passthrough"


def check_random_state_int(random_state):
    """``random_state`` if it is an int (not a bool), else a TypeError."""
    if not isinstance(random_state, numbers.Integral) or isinstance(random_state, bool):
        raise TypeError(
            "random_state must be an int (it seeds folds, samplers and classifier); "
            f"got {random_state!r}."
        )
    return int(random_state)


def _image_classifier(classifier, random_state):
    """The checked, seeded clone of the network of an image-space pipeline."""
    if classifier is None:
        raise ValueError(
            "features='images' (or an ImageLayout) feeds image batches to the "
            "classifier, and classifier=None means a LinearSVC on feature rows; pass "
            "classifier=, a network (skorch NeuralNetClassifier, scikeras "
            "KerasClassifier) or any estimator that takes image batches."
        )
    return safe_network(with_random_state(classifier, random_state), random_state)


def _check_part(name, value, methods, expected):
    """A clear TypeError when a builder's estimator parameter is not one."""
    if value is None or (not isinstance(value, type)
                         and all(hasattr(value, m) for m in methods)):
        return
    received = f"the class {value.__name__}" if isinstance(value, type) else \
        f"{type(value).__name__} {value!r}"
    raise TypeError(f"The '{name}' parameter must be None or {expected}; got {received}.")


def resolve_parts(classifier, augmentation, smote, image_shape, random_state, images=False):
    """The objects the strategy table's parts are made from (seeded clones).

    With ``images``, the classifier is a network checked by
    :func:`~._networks.safe_network` and samplers work on the images.
    """
    _check_part("classifier", classifier, ("fit", "predict", "get_params"),
                "an unfitted scikit-learn classifier such as LinearSVC()")
    _check_part("augmentation", augmentation, ("fit_resample", "get_params"),
                "an AugmentationOverSampler such as AugmentationOverSampler(rotation_range=10)"
                " (a dict of ranges is what BalancedBatches takes)")
    _check_part("smote", smote, ("fit_resample", "get_params"),
                "an imbalanced-learn sampler instance such as SMOTE(k_neighbors=3)")
    if images:
        classifier = _image_classifier(classifier, random_state)
    elif classifier is None:
        classifier = default_classifier(random_state)
    else:
        classifier = with_random_state(classifier, random_state)
    return {
        "classifier": classifier,
        "images": images,
        "image_shape": image_shape,
        "augmentation": with_image_shape(with_random_state(
            default_augmentation(random_state) if augmentation is None else augmentation,
            random_state,
        ), image_shape),
        "smote": with_random_state(
            AdaptiveSMOTE() if smote is None else smote, random_state
        ),
        "random_state": random_state,
    }


def base_pipeline(features, parts, image_shape, memory=None):
    """The pipeline with every strategy step at its default.

    ``augment -> features -> scale -> resample -> clf`` on features, or
    ``augment -> resample -> layout -> clf`` on images (``parts["images"]``):
    there the samplers see the images as given and the layout step converts
    what they give to the network's input.
    """
    classifier = parts["classifier"]
    if parts["images"]:
        layout = with_image_shape(layout_step(features, classifier), image_shape)
        return Pipeline(
            [("augment", "passthrough"), ("resample", "passthrough"), ("layout", layout),
             ("clf", classifier)],
            memory=memory,
        )
    features_step, scale_step = features_steps(features, image_shape)
    return Pipeline(
        [
            ("augment", "passthrough"),
            ("features", features_step),
            ("scale", scale_step),
            ("resample", "passthrough"),
            ("clf", classifier),
        ],
        memory=memory,
    )


def make_strategy_pipeline(
    strategy,
    *,
    features="hog+pixels",
    classifier=None,
    augmentation=None,
    smote=None,
    image_shape=None,
    random_state=0,
):
    """The pipeline of one resampling strategy, with plain parameters.

    The pipeline that :func:`make_resampling_search` tunes for
    ``strategy``, as one :class:`imblearn.pipeline.Pipeline` ::

        augment (sampler) -> features -> scale -> resample (sampler) -> clf

    with the steps the strategy does not use left ``"passthrough"``.  Every
    step's parameters are plain ``set_params`` keys (``clf__C``,
    ``resample__k_neighbors``, ``augment__rotation_range``), so any tuner
    (optuna, Ray Tune, hyperopt, ``cross_val_score`` in a loop) can drive
    it; see :ref:`optuna`.  With ``"easy_ensemble"`` the ``clf`` step is an
    :class:`~imblearn.ensemble.EasyEnsembleClassifier`: its base
    classifier's parameters read ``clf__estimator__C`` (where
    :func:`make_resampling_search` routes a ``clf__C`` grid entry).

    Parameters
    ----------
    strategy : str
        One of :data:`~imgbalance.STRATEGIES`; see
        :func:`make_resampling_search` for what each one sets.
    features : str, ImageLayout or transformer, default="hog+pixels"
        One of ``"hog+pixels"``, ``"hog"``, ``"pixels"``, ``"images"``.
        ``"hog"`` is ``HOGTransformer(pixels_per_cell=(4, 4),
        cells_per_block=(2, 2))``; ``"hog+pixels"`` that descriptor beside
        the min-max scaled pixels, weighted by
        :func:`~imgbalance.feature_extraction.hog_pixel_weight` of the
        images seen in ``fit`` (``make_hog_and_pixels(pixel_weight="auto")``);
        ``"pixels"`` is :class:`ImageFlattener` and a ``StandardScaler``.
        A transformer is cloned and used as the ``features`` step.
        ``"images"`` or an :class:`~imgbalance.feature_extraction.ImageLayout`
        gives ``augment -> resample -> layout -> clf`` for a network (see
        :ref:`network-search`).
    classifier : estimator, default=None
        None means :func:`~imgbalance.search.default_classifier` (not
        allowed with ``features="images"``).  A ``random_state`` left at
        None gets ``random_state``.
    augmentation : AugmentationOverSampler, default=None
        The sampler of ``"augmentation"``; None means
        :func:`~imgbalance.search.default_augmentation`.
    smote : sampler, default=None
        The sampler of ``"smote"``; None means
        :class:`~imgbalance.sampling.AdaptiveSMOTE`, which lowers
        ``k_neighbors`` to what the smallest class allows.
    image_shape : tuple of int, default=None
        Shape of one image when ``X`` is passed flattened; set on the
        estimators that read the images and left it at None.
    random_state : int, default=0
        Seeds the samplers and the classifier.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline
        Unfitted, with the steps ``augment``, ``features``, ``scale``,
        ``resample`` and ``clf`` (``augment``, ``resample``, ``layout`` and
        ``clf`` with ``features="images"``).

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import cross_val_score
    >>> from imgbalance.search import make_strategy_pipeline
    >>> X, y = load_digits(return_X_y=True)
    >>> pipe = make_strategy_pipeline("random_over", features="pixels", image_shape=(8, 8))
    >>> pipe.named_steps["resample"]
    RandomOverSampler(random_state=0)
    >>> pipe.set_params(clf__C=0.01)["clf"].C
    0.01
    >>> bool(cross_val_score(pipe, X, y, scoring="balanced_accuracy").mean() > 0.9)
    True
    """
    check_strategy(strategy)
    random_state = check_random_state_int(random_state)
    images = is_image_mode(features)
    if images:
        check_image_strategies([strategy])
    parts = resolve_parts(classifier, augmentation, smote, image_shape, random_state, images)
    pipeline = base_pipeline(features, parts, image_shape)
    return pipeline.set_params(**strategy_steps(strategy, parts))
