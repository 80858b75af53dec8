"""imgbalance.torch: DataLoader workers, epochs, class counts, real training; skorch."""

from collections import Counter

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from imblearn.over_sampling import SMOTE, RandomOverSampler  # noqa: E402
from imblearn.pipeline import Pipeline  # noqa: E402
from imblearn.under_sampling import RandomUnderSampler  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402

from imgbalance import AugmentationOverSampler, ImageResampler  # noqa: E402
from imgbalance.batches import BalancedBatches  # noqa: E402
from imgbalance.feature_extraction import ImageLayout  # noqa: E402
from imgbalance.torch import (  # noqa: E402
    BalancedBatchDataset,
    EpochBatchSampler,
    make_dataloader,
)

from deep_helpers import long_tailed_digits, tiny_cnn  # noqa: E402


def _batches(sampler=None, **kwargs):
    X, y, _, _ = long_tailed_digits()
    params = dict(sampler=sampler, batch_size=64, data_format="channels_first",
                  dtype="float32", random_state=0)
    return X, y, BalancedBatches(X, y, **{**params, **kwargs})


def _epochs(loader, n_epochs):
    return [[(xb.numpy().copy(), yb.numpy().copy()) for xb, yb in loader]
            for _ in range(n_epochs)]


@pytest.mark.parametrize("workers", [dict(num_workers=2),
                                     dict(num_workers=2, persistent_workers=True)])
def test_workers_give_the_batches_of_zero_workers(workers):
    sampler = AugmentationOverSampler(rotation_range=15, width_shift_range=0.1)
    _, _, batches = _batches(sampler, augmentation={"height_shift_range": 0.1})
    serial = _epochs(make_dataloader(batches), 3)
    parallel = _epochs(make_dataloader(batches, **workers), 3)
    assert len(serial[0]) == len(batches) == 24  # 10 x 150 images in batches of 64
    for epoch, (got, want) in enumerate(zip(parallel, serial)):
        assert len(got) == len(want)  # no batch lost or repeated, in order
        for (xg, yg), (xw, yw), (xr, yr) in zip(got, want, batches.epoch(epoch)):
            np.testing.assert_array_equal(xg, xw)
            np.testing.assert_array_equal(yg, yw)
            np.testing.assert_array_equal(xg, xr)
    # epochs differ: new images, a new shuffle
    assert not np.array_equal(serial[0][0][0], serial[1][0][0])


def test_set_epoch_and_dataset_keys():
    _, _, batches = _batches()
    loader = make_dataloader(batches)
    assert isinstance(loader.sampler, EpochBatchSampler)
    loader.sampler.set_epoch(4)
    first = [yb.numpy() for _, yb in loader]
    again = BalancedBatchDataset(batches)
    again.set_epoch(4)
    for i, yb in enumerate(first):
        np.testing.assert_array_equal(yb, again[i][1].numpy())
        np.testing.assert_array_equal(yb, again[(4, i)][1].numpy())
    assert loader.sampler.epoch == 5
    with pytest.raises(TypeError, match=r"sets \['batch_size'\] itself"):
        make_dataloader(batches, batch_size=32)
    with pytest.raises(TypeError, match="must be a BalancedBatches"):
        BalancedBatchDataset(np.zeros(3))
    X, y, _ = _batches()
    with pytest.raises(TypeError, match="LabelEncoder"):
        BalancedBatchDataset(BalancedBatches(X, y.astype(str)))


@pytest.mark.parametrize("sampler, expected", [
    (None, {k: 150 for k in range(10)}),
    (RandomUnderSampler(), {k: 15 for k in range(10)}),
    (RandomOverSampler(sampling_strategy={9: 100}), None),
    (AugmentationOverSampler(rotation_range=10, sampling_strategy="not majority"),
     {k: 150 for k in range(10)}),
    (ImageResampler(SMOTE()), {k: 150 for k in range(10)}),
])
def test_class_counts_per_epoch(sampler, expected):
    _, y, batches = _batches(sampler)
    if expected is None:
        expected = {**Counter(y.tolist()), 9: 100}
    loader = make_dataloader(batches, num_workers=0)
    for _ in range(2):
        counts = Counter(np.concatenate([yb.numpy() for _, yb in loader]).tolist())
        assert dict(counts) == expected


def _train(model, loader, n_epochs, lr=3e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(n_epochs):
        total, n = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            total, n = total + loss.item() * len(yb), n + len(yb)
        losses.append(total / n)
    return losses


def test_a_tiny_cnn_trains_through_the_dataloader():
    torch.manual_seed(0)
    _, _, X_test, y_test = long_tailed_digits()
    sampler = AugmentationOverSampler(rotation_range=10, width_shift_range=0.1)
    _, _, batches = _batches(sampler)
    model = tiny_cnn()
    losses = _train(model, make_dataloader(batches, num_workers=2), n_epochs=4)
    assert losses[-1] < 0.5 * losses[0]
    with torch.no_grad():
        X_net = torch.from_numpy(ImageLayout(data_format="channels_first").fit_transform(X_test))
        predicted = model(X_net).argmax(1).numpy()
    assert balanced_accuracy_score(y_test, predicted) > 0.8  # chance: 0.1


def test_skorch_pipeline_trains_a_cnn():
    skorch = pytest.importorskip("skorch")
    torch.manual_seed(0)
    X, y, X_test, y_test = long_tailed_digits()

    class Module(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = tiny_cnn()

        def forward(self, X):
            return self.net(X)

    net = skorch.NeuralNetClassifier(
        Module, max_epochs=8, lr=3e-3, batch_size=64, optimizer=torch.optim.Adam,
        criterion=torch.nn.CrossEntropyLoss,  # the module returns logits (default: NLLLoss)
        iterator_train__shuffle=True,  # the sampler's output is sorted by class
        train_split=None,  # never validate on augmented images
        verbose=0,
    )
    pipe = Pipeline([
        ("augment", AugmentationOverSampler(rotation_range=10, random_state=0)),
        ("layout", ImageLayout(data_format="channels_first")),
        ("net", net),
    ])
    pipe.fit(X, y)
    assert len(pipe[-1].history) == 8
    assert balanced_accuracy_score(y_test, pipe.predict(X_test)) > 0.8
