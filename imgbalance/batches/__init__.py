"""Balanced, freshly augmented batches for deep-learning training loops.

:class:`BalancedBatches` is framework-free (NumPy in, NumPy out); the
adapters :mod:`imgbalance.torch` and :mod:`imgbalance.keras` serve it to a
``DataLoader`` or ``model.fit`` and import their framework only when used.
"""

from ._batches import BalancedBatches

__all__ = ["BalancedBatches"]
