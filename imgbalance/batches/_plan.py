"""One epoch's plan: which rows of X each batch holds, drawn from a sampler.

A plan is computed from the sampler's class counts without touching the
pixels whenever the sampler allows it, so that memory beyond ``X`` stays
O(batch):

``"index"``
    ``RandomOverSampler`` (without ``shrinkage``) and ``RandomUnderSampler``
    choose rows from the labels alone: they are fitted on the row numbers
    (an ``(n, 1)`` column) and their ``sample_indices_`` is the plan.
``"augment"``
    :class:`~imgbalance.sampling.AugmentationOverSampler` is fitted on
    ``(n, 1, 1)`` placeholder images: its ``source_indices_`` (its record of
    provenance) says which original each new image comes from; the new
    images are then made batch by batch, from their sources only, with the
    sampler's own transform parameters.
``"whole"``
    Every other sampler (SMOTE and ADASYN, cleaning and combined samplers)
    needs all the pixels: the whole of ``X`` is read and one epoch's
    resample is held in memory.  Samplers that do not take image arrays are
    wrapped in :class:`~imgbalance.sampling.ImageResampler`.

Every random draw comes from ``SeedSequence(seed, spawn_key=(epoch, ...))``:
an epoch, and each batch in it, is a function of ``(seed, epoch)`` alone,
whichever process or worker computes it.
"""

import contextlib
import multiprocessing

import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from ..sampling import AdaptiveSMOTE, AugmentationOverSampler, ImageResampler
from ..sampling._smote import interpolates

__all__ = ["EpochPlan", "batch_rng", "make_plan", "plan_mode"]

# spawn_key purposes: the epoch's sampler and shuffle, then per batch
_SAMPLER, _SHUFFLE, _NEW_IMAGES, _EVERY_IMAGE = range(4)


def batch_rng(seed, epoch, purpose, batch=0):
    """The generator of one purpose in one batch of one epoch."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(epoch, purpose, batch)))


def _selects_by_label(sampler):
    if isinstance(sampler, RandomOverSampler):
        return sampler.shrinkage is None
    return isinstance(sampler, RandomUnderSampler)


def plan_mode(sampler):
    """``(mode, sampler)``: how epochs are planned, and the sampler that plans them."""
    inner = sampler
    if isinstance(sampler, ImageResampler):  # plan with the sampler it wraps
        inner = sampler.sampler
        if inner is None:
            inner = RandomOverSampler(random_state=sampler.random_state)
    if _selects_by_label(inner):
        return "index", inner
    if isinstance(inner, AugmentationOverSampler):
        return "augment", inner
    return "whole", sampler if isinstance(sampler, ImageResampler) else ImageResampler(sampler)


def _openmp_safe():
    """One OpenMP thread in a child process, no limit otherwise.

    A forked process (a DataLoader worker, a Keras multiprocessing worker)
    inherits its parent's OpenMP state but not its threads: an OpenMP
    parallel region there -- scikit-learn's neighbour searches inside SMOTE,
    ADASYN or a cleaning sampler -- waits for them forever (seen with 2
    DataLoader workers).  Worker processes run in parallel anyway.
    """
    if multiprocessing.parent_process() is None:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="openmp")


def _seeded(sampler, seed, epoch):
    """A clone of ``sampler`` whose every ``random_state`` is drawn for the epoch."""
    sampler = clone(sampler)
    state = int(np.random.SeedSequence(seed, spawn_key=(epoch, _SAMPLER)).generate_state(1)[0])
    keys = [k for k in sampler.get_params(deep=True)
            if k == "random_state" or k.endswith("__random_state")]
    sampler.set_params(**dict.fromkeys(keys, state))
    return sampler


class EpochPlan:
    """The rows of one epoch, in batch order.

    ``rows[i]`` is the row of ``source`` (``X``, or the held resample in
    ``"whole"`` mode) of the i-th image of the epoch, ``y[i]`` its label and
    ``new[i]`` whether it is a new image the sampler asks to augment.
    """

    def __init__(self, rows, y, new=None, source=None, augmentation=None):
        self.rows = rows
        self.y = y
        self.new = new
        self.source = source
        self.augmentation = augmentation


def _failure_note(sampler, y, epoch):
    """What a sampler's error inside BalancedBatches adds: the smallest class, and a fix."""
    labels, counts = np.unique(y, return_counts=True)
    smallest = labels.tolist()[int(counts.argmin())]
    note = (f"Raised by {type(sampler).__name__} in BalancedBatches (epoch {epoch}); the "
            f"smallest class, {smallest!r}, has {counts.min()} image(s).")
    adaptive = any(isinstance(v, AdaptiveSMOTE) for v in [sampler, *sampler.get_params().values()])
    if interpolates(sampler) and not adaptive:
        note += (" SMOTE-like samplers need k_neighbors + 1 images of a class: "
                 "imgbalance.sampling.AdaptiveSMOTE lowers k_neighbors to fit.")
    return note


def make_plan(mode, sampler, X, y, seed, epoch, *, shuffle=True):
    """Fit a seeded clone of ``sampler`` and return the shuffled :class:`EpochPlan`."""
    sampler = _seeded(sampler, seed, epoch)
    n = len(y)
    new, source, augmentation = None, None, None
    if mode == "index":
        sampler.fit_resample(np.arange(n, dtype=np.float64)[:, np.newaxis], y)
        rows = np.asarray(sampler.sample_indices_, dtype=np.intp)
    elif mode == "augment":
        sampler.set_params(image_shape=None)
        sampler.fit_resample(np.zeros((n, 1, 1), dtype=np.uint8), y)
        rows = np.concatenate([np.arange(n, dtype=np.intp), sampler.source_indices_])
        new = np.zeros(len(rows), dtype=bool)
        new[n:] = True
        augmentation = sampler._augmentation_params()
    else:
        images = X if isinstance(X, np.ndarray) else np.asarray(X[np.arange(n)])
        try:
            with _openmp_safe():
                source, y_res = sampler.fit_resample(images, y)
        except (ValueError, TypeError) as exc:  # e.g. SMOTE's k_neighbors on a tiny class
            if hasattr(exc, "add_note"):  # Python 3.11+
                exc.add_note(_failure_note(sampler, y, epoch))
            raise
        rows, y = np.arange(len(y_res), dtype=np.intp), np.asarray(y_res)
    order = np.arange(len(rows))
    if shuffle:
        order = batch_rng(seed, epoch, _SHUFFLE).permutation(len(rows))
    return EpochPlan(rows[order], y[rows][order], None if new is None else new[order],
                     source, augmentation)
