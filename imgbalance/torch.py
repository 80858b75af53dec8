"""PyTorch adapter: :class:`~imgbalance.batches.BalancedBatches` for a ``DataLoader``.

Import this module explicitly (``import imgbalance.torch``); ``import
imgbalance`` never imports PyTorch.

One dataset item is one whole batch, so the ``DataLoader`` takes
``batch_size=None``.  The keys are ``(epoch, batch)`` pairs drawn in the
main process by :class:`EpochBatchSampler`: every worker builds exactly the
batches it is given, each batch is a function of ``(random_state, epoch)``
alone, so the batches are the same with 0 or N workers, none lost or
repeated -- also with ``persistent_workers=True``, where a worker's copy of
the dataset never sees a later ``set_epoch``.  (An ``IterableDataset``
would instead run the whole epoch in every worker.)
"""

try:
    import torch
    from torch.utils.data import DataLoader, Dataset, Sampler
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "imgbalance.torch needs PyTorch: pip install torch (or imgbalance[torch])."
    ) from exc

import numpy as np

from .batches import BalancedBatches
from .batches._batches import check_epoch

__all__ = ["BalancedBatchDataset", "EpochBatchSampler", "make_dataloader"]


class BalancedBatchDataset(Dataset):
    """A map-style dataset whose items are the batches of a :class:`BalancedBatches`.

    Parameters
    ----------
    batches : BalancedBatches
        The batches; build it with ``data_format="channels_first"`` and
        ``dtype="float32"`` for the usual convolution layers.
    epoch : int, default=0
        The epoch served for integer keys.

    Notes
    -----
    ``dataset[i]`` is batch ``i`` of the current epoch (:meth:`set_epoch`),
    ``dataset[(epoch, i)]`` batch ``i`` of ``epoch``: a pair
    ``(X_batch, y_batch)`` of tensors (``torch.from_numpy``; labels must
    be integers, e.g. from :class:`~sklearn.preprocessing.LabelEncoder`).

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.batches import BalancedBatches
    >>> from imgbalance.torch import BalancedBatchDataset
    >>> X = np.zeros((30, 8, 8), dtype=np.uint8)
    >>> y = np.r_[np.zeros(25, int), np.ones(5, int)]
    >>> batches = BalancedBatches(X, y, batch_size=20, data_format="channels_first",
    ...                           dtype="float32", random_state=0)
    >>> dataset = BalancedBatchDataset(batches)
    >>> len(dataset), dataset[0][0].shape, dataset[(3, 2)][1].dtype
    (3, torch.Size([20, 1, 8, 8]), torch.int64)
    """

    def __init__(self, batches, *, epoch=0):
        if not isinstance(batches, BalancedBatches):
            raise TypeError(
                "The 'batches' parameter of BalancedBatchDataset must be a BalancedBatches; "
                f"got {type(batches).__name__}."
            )
        if batches.y.dtype.kind not in "iub":
            raise TypeError(
                f"BalancedBatchDataset serves labels as tensors: y must hold integers, got "
                f"dtype {batches.y.dtype}. Encode them with sklearn.preprocessing.LabelEncoder."
            )
        self.batches = batches
        self.epoch = check_epoch(epoch)

    def set_epoch(self, epoch):
        """Serve ``epoch`` for integer keys from now on."""
        self.epoch = check_epoch(epoch)

    def __len__(self):
        return self.batches.n_batches(self.epoch)

    def __getitem__(self, key):
        epoch, index = key if isinstance(key, tuple) else (self.epoch, key)
        X_batch, y_batch = self.batches.batch(epoch, int(index))
        return torch.from_numpy(X_batch), torch.from_numpy(y_batch.astype(np.int64))


class EpochBatchSampler(Sampler):
    """Yield the ``(epoch, batch)`` keys of one epoch per pass, epoch after epoch.

    Each complete pass (each ``for batch in loader`` run to its end) serves
    the next epoch, starting at 0; :meth:`set_epoch` chooses the epoch of the
    next pass, as ``DistributedSampler.set_epoch`` does (call it before every
    pass when a pass may stop early).

    Parameters
    ----------
    dataset : BalancedBatchDataset
        The dataset whose batches are keyed.
    """

    def __init__(self, dataset):
        self.dataset = dataset
        self.epoch = dataset.epoch

    def set_epoch(self, epoch):
        """Serve ``epoch`` at the next pass."""
        self.epoch = check_epoch(epoch)

    def __iter__(self):
        # A generator: DataLoader may call iter() on its sampler more than once
        # per pass and drop all but one; only the pass that runs to its end
        # moves to the next epoch.
        epoch = self.epoch
        self.dataset.set_epoch(epoch)  # integer keys follow (0 workers)
        for index in range(self.dataset.batches.n_batches(epoch)):
            yield epoch, index
        self.epoch = epoch + 1

    def __len__(self):
        return self.dataset.batches.n_batches(self.epoch)


def make_dataloader(batches, **loader_params):
    """A ``DataLoader`` serving ``batches``, a new epoch at each pass.

    Parameters
    ----------
    batches : BalancedBatches
        The batches.
    **loader_params
        Passed to :class:`torch.utils.data.DataLoader` (``num_workers``,
        ``pin_memory``, ``persistent_workers``, ...); ``batch_size``,
        ``shuffle`` and ``sampler`` are set here and refused.

    Returns
    -------
    loader : torch.utils.data.DataLoader
        Its ``sampler`` is the :class:`EpochBatchSampler` (``loader.sampler.set_epoch``).

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.batches import BalancedBatches
    >>> from imgbalance.torch import make_dataloader
    >>> X = np.zeros((30, 8, 8), dtype=np.uint8)
    >>> y = np.r_[np.zeros(25, int), np.ones(5, int)]
    >>> loader = make_dataloader(BalancedBatches(X, y, batch_size=20, random_state=0))
    >>> for epoch in range(2):
    ...     print([tuple(yb.bincount().tolist()) for _, yb in loader])
    [(12, 8), (8, 12), (5, 5)]
    [(11, 9), (11, 9), (3, 7)]
    """
    taken = sorted({"batch_size", "shuffle", "sampler", "batch_sampler"} & set(loader_params))
    if taken:
        raise TypeError(
            f"make_dataloader sets {taken} itself (one item is one balanced batch; the "
            "batches are shuffled already); set batch_size on BalancedBatches."
        )
    dataset = BalancedBatchDataset(batches)
    return DataLoader(dataset, batch_size=None, sampler=EpochBatchSampler(dataset),
                      **loader_params)
