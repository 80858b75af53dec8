"""Networks as the final estimator: image-space strategies and safe training settings.

With ``features="images"`` (or an :class:`ImageLayout` as ``features``) the
builders make ``augment -> resample -> layout -> clf``: every sampler acts
on the images, feature-space samplers wrapped in :class:`ImageResampler`
(SMOTE then interpolates pixels and gives images back), and the network
input layout is the ``layout`` step.  The classifier is checked and cloned
so that no strategy trains it on class-sorted data or validates it on
images a sampler made.  skorch and Keras are never imported here: a skorch
net is recognised only if skorch is already imported (it made the net).
"""

import inspect
import sys

from sklearn.base import clone
from sklearn.utils import get_tags

from .._warnings import warn_caller
from ..feature_extraction import ImageLayout
from ..sampling import ImageResampler

__all__ = [
    "IMAGES",
    "balanced_network",
    "check_image_strategies",
    "image_sampler",
    "is_image_mode",
    "layout_step",
    "safe_network",
]

#: The ``features`` name of the image-space pipelines.
IMAGES = "images"

_SHUFFLE_KEYS = ("iterator_train__shuffle", "shuffle", "fit__shuffle")
_VALIDATION_KEYS = ("validation_split", "fit__validation_split")


def is_skorch_net(estimator):
    """Whether ``estimator`` is a skorch ``NeuralNet`` (skorch is not imported here)."""
    skorch = sys.modules.get("skorch")
    return skorch is not None and isinstance(estimator, skorch.NeuralNet)


def is_image_mode(features):
    """Whether ``features`` asks for the image-space pipeline."""
    return isinstance(features, ImageLayout) or (
        isinstance(features, str) and features == IMAGES
    )


def layout_step(features, classifier):
    """The ``layout`` step: ``features`` if an ImageLayout, else a float32 one.

    ``"images"`` means ``ImageLayout(data_format="channels_first")`` (float32
    in [0, 1]) for a skorch net, whose module receives ``(n, c, h, w)``, and
    ``ImageLayout()`` (channels-last, the Keras layout) for anything else.
    """
    if isinstance(features, ImageLayout):
        return clone(features)
    if is_skorch_net(classifier):
        return ImageLayout(data_format="channels_first")
    return ImageLayout()


def check_image_strategies(strategies):
    """Refuse the strategies that cannot run on image batches."""
    if "easy_ensemble" in strategies:
        raise ValueError(
            "strategy 'easy_ensemble' cannot run with features='images' (a network or "
            "any estimator taking image batches): EasyEnsembleClassifier accepts only "
            "2-D feature rows and refits a clone of the classifier on each of its 10 "
            "balanced subsets; drop it from strategies (got "
            f"{list(strategies)!r}), or use 'random_under' for balanced subsets."
        )


def image_sampler(sampler, image_shape=None):
    """``sampler`` as a step on images: wrapped in ImageResampler unless it takes them."""
    if isinstance(sampler, (str, ImageResampler)) or get_tags(sampler).input_tags.three_d_array:
        return sampler
    return ImageResampler(sampler, image_shape=image_shape)


def _first_set(params, keys):
    return next(((key, params[key]) for key in keys if key in params), (None, None))


def safe_network(classifier, random_state=0):
    """A clone of ``classifier`` that shuffles its batches and never validates on samples.

    * skorch: ``iterator_train__shuffle`` is set to True (skorch's default,
      False, trains on the sampler's class-sorted output); an explicit False
      is refused.  A ``train_split`` other than None (skorch's default
      ``ValidSplit(5)``) would take the internal validation images from what
      the samplers made (augmented, interpolated or repeated images): it is
      set to None, for every strategy alike, with one warning.  A callback
      ``"seed_torch"`` (:class:`~._skorch.SeedTorch`) seeds torch with
      ``random_state`` whenever the net initialises, unless the net has a
      callback of that name.
    * Keras-style wrappers (scikeras): ``shuffle=False`` is refused, a
      ``validation_split`` above 0 (the *last* samples, the rarest class
      after a sampler) is set to 0 with one warning.
    """
    params = classifier.get_params(deep=False)
    net = clone(classifier)
    key, shuffle = _first_set(params, _SHUFFLE_KEYS)
    if shuffle is not None and not shuffle:
        raise ValueError(
            f"The classifier's {key}={shuffle!r} would train it on the samplers' output "
            "in class order (all images of one class, then the next); the strategy "
            f"search needs {key}=True: set it, or leave it unset."
        )
    if is_skorch_net(net):
        net.set_params(iterator_train__shuffle=True)
        _add_callback(net, "seed_torch", "SeedTorch", seed=random_state)
        if params["train_split"] is not None:
            warn_caller(
                f"The skorch net's train_split={params['train_split']!r} would take its "
                "validation images from the samplers' output (augmented, interpolated or "
                "repeated images); the search uses a clone with train_split=None, for "
                "every strategy (its cross-validation folds validate on real images). "
                "Pass train_split=None to the net to silence this warning."
            )
            net.set_params(train_split=None)
    key, split = _first_set(params, _VALIDATION_KEYS)
    if split:
        warn_caller(
            f"The classifier's {key}={split!r} would validate on the last samples of "
            "the samplers' output (the rarest class's new images); the search uses a "
            f"clone with {key}=0.0. Pass {key}=0.0 to silence this warning."
        )
        net.set_params(**{key: 0.0})
    return net


def balanced_network(net):
    """A clone of skorch ``net`` whose criterion gets balanced class weights per fit."""
    params = net.get_params(deep=False)
    criterion = params["criterion"]
    signature = inspect.signature(criterion if isinstance(criterion, type) else type(criterion))
    if "weight" not in signature.parameters:
        raise ValueError(
            "strategy 'class_weight' sets the class weights of the skorch net's "
            f"criterion (its 'weight' argument); criterion={criterion!r} has none. Use "
            "criterion=torch.nn.CrossEntropyLoss (or NLLLoss), or drop 'class_weight' "
            "from strategies."
        )
    if "criterion__weight" in params:
        raise ValueError(
            "strategy 'class_weight' computes criterion__weight from each training "
            f"fold; the net already sets criterion__weight={params['criterion__weight']!r}. "
            "Drop one of them."
        )
    return _add_callback(clone(net), "balanced_class_weight", "BalancedCriterionWeight")


def _add_callback(net, name, kind, **params):
    """``net`` with the callback ``kind`` of :mod:`._skorch` added as ``name``.

    A callback already named ``name`` is kept as it is.
    """
    from . import _skorch  # imports skorch: only for skorch nets

    if isinstance(net.callbacks, str):
        raise ValueError(
            f"The skorch net's callbacks={net.callbacks!r} would switch off the "
            f"callback {name!r} that the strategy search adds ({kind}); pass "
            "callbacks=None or a list of callbacks."
        )
    callbacks = list(net.callbacks or [])
    if name not in [cb[0] for cb in callbacks if isinstance(cb, tuple)]:
        callbacks.append((name, getattr(_skorch, kind)(**params)))
    return net.set_params(callbacks=callbacks)


def has_balanced_criterion(clf):
    """Whether ``clf`` is a net made by :func:`balanced_network`."""
    callbacks = getattr(clf, "callbacks", None)
    return isinstance(callbacks, list) and any(
        isinstance(cb, tuple) and cb[0] == "balanced_class_weight" for cb in callbacks
    )
