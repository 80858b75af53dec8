"""Keras 3 adapter: :class:`~imgbalance.batches.BalancedBatches` as a ``keras.utils.PyDataset``.

Import this module explicitly (``import imgbalance.keras``); ``import
imgbalance`` never imports Keras.  Keras 3 picks its backend when first
imported: set ``KERAS_BACKEND`` (``"torch"`` or ``"jax"`` train; without
it Keras tries TensorFlow) before importing this module.
"""

try:
    import keras
except ImportError as exc:  # pragma: no cover - depends on the environment
    import importlib.util
    import os

    if importlib.util.find_spec("keras") is not None:  # installed: its backend failed
        backend = os.environ.get("KERAS_BACKEND")
        chosen = (f"KERAS_BACKEND={backend!r}" if backend
                  else "KERAS_BACKEND unset: that of ~/.keras/keras.json, else tensorflow")
        raise ImportError(
            "imgbalance.keras: Keras is installed but could not load its backend "
            f"({chosen}): {exc}. Set KERAS_BACKEND to an installed backend ('torch', 'jax' or "
            "'tensorflow') before the first import of Keras."
        ) from exc
    raise ImportError(
        "imgbalance.keras needs Keras 3: pip install keras (or imgbalance[keras]) and a "
        "backend (torch, jax or tensorflow)."
    ) from exc

from ._warnings import warn_caller
from .batches import BalancedBatches
from .batches._batches import check_epoch

__all__ = ["BalancedPyDataset"]


class BalancedPyDataset(keras.utils.PyDataset):
    """Balanced, freshly augmented batches for ``model.fit(..., epochs=...)``.

    ``__getitem__(i)`` is batch ``i`` of the current epoch and
    ``on_epoch_end`` moves to the next one, so every epoch of ``fit`` draws
    afresh (a new resample, new augmentations), each batch a function of
    ``(random_state, epoch, index)`` alone, whichever Keras worker builds it.

    Parameters
    ----------
    batches : BalancedBatches
        The batches, usually with ``data_format="channels_last"`` and
        ``dtype="float32"``.
    epoch : int, default=0
        The first epoch served.
    **kwargs
        ``workers``, ``use_multiprocessing``, ``max_queue_size``: passed to
        ``keras.utils.PyDataset``.

    Notes
    -----
    Keras 3's ``fit`` reads one batch to build the model and then calls
    ``on_epoch_end``: the epochs of a first ``fit(..., epochs=E)`` are
    epochs 1 to E (epoch 0 lends only that batch).  Each is served whole,
    every batch once, as long as every epoch has the same number of
    batches -- always, but with cleaning samplers (``TomekLinks``,
    ``SMOTEENN``, ...), whose epochs may differ in size.  Keras reads
    ``len()`` once, so such an epoch is served in as many steps as the
    first: a longer one is cut short, a shorter one starts over from its
    first batch; a warning says so once.

    With ``workers`` (or ``use_multiprocessing``), Keras (3.15) prefetches
    up to ``max_queue_size + workers`` batches of epoch 0 for its first look
    and carries them over to the next run (its enqueuer's ``stop`` drains
    them into the queue of the next epoch): training then starts with those
    batches of epoch 0, the following epochs are shifted by as many steps,
    and as many batches of the last epoch are never trained.  Every trained
    batch is still a planned balanced batch, and none is trained twice, but
    the run differs from one without workers.  ``BalancedBatches`` builds
    batches tens of times faster than a network trains on them, so the
    default ``workers=1`` (no enqueuer) loses nothing.

    Do not pass ``class_weight`` to ``fit`` as well: the batches are
    balanced already.  Hand ``fit`` a validation set of original images
    (``validation_data=(X_val, y_val)`` in the same layout), never one cut
    from the resampled batches.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.batches import BalancedBatches
    >>> from imgbalance.keras import BalancedPyDataset
    >>> X = np.zeros((30, 8, 8), dtype=np.uint8)
    >>> y = np.r_[np.zeros(25, int), np.ones(5, int)]
    >>> data = BalancedPyDataset(BalancedBatches(X, y, batch_size=20, dtype="float32",
    ...                                          random_state=0))
    >>> len(data), data[0][0].shape
    (3, (20, 8, 8, 1))
    >>> data.on_epoch_end(); data.epoch
    1
    """

    def __init__(self, batches, *, epoch=0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(batches, BalancedBatches):
            raise TypeError(
                "The 'batches' parameter of BalancedPyDataset must be a BalancedBatches; "
                f"got {type(batches).__name__}."
            )
        self.batches = batches
        self.epoch = check_epoch(epoch)

    def __len__(self):
        # Keras takes len() as the steps of every epoch: the first epoch's
        # (see Notes); constant for samplers with fixed class counts.
        if not hasattr(self, "_n_steps"):
            self._n_steps = self.batches.n_batches(self.epoch)
        return self._n_steps

    def __getitem__(self, index):
        # Keras asks for as many steps as len() said once: wrap around a
        # shorter epoch rather than run out of data (see Notes).
        epoch = self.epoch  # read once: on_epoch_end may run in another thread
        return self.batches.batch(epoch, int(index) % self.batches.n_batches(epoch))

    def on_epoch_end(self):
        """Move to the next epoch (called by Keras after each epoch of ``fit``)."""
        # Plan the next epoch before moving to it: workers may be reading.
        n_now, n_steps = self.batches.n_batches(self.epoch + 1), len(self)
        self.epoch += 1
        if n_now != n_steps and not getattr(self, "_warned_size", False):
            self._warned_size = True
            warn_caller(
                f"BalancedPyDataset: epoch {self.epoch} has {n_now} batches where the first "
                f"had {n_steps} (the sampler removes a varying number of images); Keras "
                "serves every epoch in the number of steps it read first, so "
                "longer epochs are cut short and shorter ones start over. Use "
                "imgbalance.torch.make_dataloader, which follows each epoch's size, or a "
                "sampler with fixed class counts."
            )
