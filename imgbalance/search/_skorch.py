"""The skorch callbacks of the search: balanced class weights, seeded initialisation.

This module imports skorch and torch at import time; the builders import it
only when the classifier is a skorch net, so ``import imgbalance`` never does.
"""

import numpy as np
import torch
from skorch.callbacks import Callback

__all__ = ["BalancedCriterionWeight", "SeedTorch"]


class BalancedCriterionWeight(Callback):
    """Give the criterion balanced class weights, from the labels of each ``fit``.

    At the start of every ``fit`` (so once per training fold of a search) it
    sets ``net.criterion_.weight`` to ``n_samples / (n_classes * count)`` for
    each class of the ``y`` the net trains on -- scikit-learn's
    ``class_weight="balanced"`` -- as a float32 tensor on the net's device.
    Classes absent from that ``y`` get weight 0.  Labels must be the integers
    ``0 .. n_classes - 1``, as skorch's classification criteria want them.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from imgbalance.search._skorch import BalancedCriterionWeight
    >>> net = NeuralNetClassifier(torch.nn.Linear, module__in_features=2, module__out_features=2,
    ...     criterion=torch.nn.CrossEntropyLoss, callbacks=[BalancedCriterionWeight()],
    ...     max_epochs=1, train_split=None, verbose=0)
    >>> X, y = np.zeros((4, 2), np.float32), np.array([0, 0, 0, 1])
    >>> net.fit(X, y).criterion_.weight
    tensor([0.6667, 2.0000])
    """

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        labels = np.asarray(y.cpu() if torch.is_tensor(y) else y)
        if labels.ndim != 1 or labels.dtype.kind not in "iu" or labels.min() < 0:
            raise ValueError(
                "The 'class_weight' strategy sets the criterion's class weights from "
                "integer labels 0 .. n_classes - 1 (the labels skorch's criteria take); "
                f"got y of dtype {labels.dtype} and shape {labels.shape}. Encode y with "
                "sklearn.preprocessing.LabelEncoder."
            )
        classes, counts = np.unique(labels, return_counts=True)
        n_classes = max(int(classes[-1]) + 1, len(getattr(net, "classes_", ())))
        weight = np.zeros(n_classes, dtype=np.float32)
        weight[classes] = len(labels) / (len(classes) * counts)
        net.criterion_.weight = torch.as_tensor(weight, device=net.device)


class SeedTorch(Callback):
    """Seed torch's global random generator whenever the net initialises.

    skorch initialises its callbacks before its module, and ``fit``
    initialises the net afresh: with this callback every ``fit`` starts
    from the same weights and draws the same batch order and dropout masks,
    whatever state the generator was in -- so a search gives the same
    scores with any ``n_jobs``, and every strategy starts from the same
    network.

    Parameters
    ----------
    seed : int, default=0
        Passed to :func:`torch.manual_seed`.

    Examples
    --------
    >>> import torch
    >>> from imgbalance.search._skorch import SeedTorch
    >>> first = (SeedTorch(3).initialize(), torch.rand(2))[1]
    >>> second = (SeedTorch(3).initialize(), torch.rand(2))[1]
    >>> bool(torch.equal(first, second))
    True
    """

    def __init__(self, seed=0):
        self.seed = seed

    def initialize(self):
        torch.manual_seed(self.seed)
        return self
