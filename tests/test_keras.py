"""imgbalance.keras: a PyDataset that redraws every epoch; Keras workers; real training."""

import os
import threading

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")  # before Keras is first imported
keras = pytest.importorskip("keras")
if keras.backend.backend() not in ("torch", "jax", "tensorflow"):
    pytest.skip(f"Keras backend {keras.backend.backend()!r} cannot train", allow_module_level=True)

from sklearn.metrics import balanced_accuracy_score  # noqa: E402

from imgbalance import AugmentationOverSampler  # noqa: E402
from imgbalance.batches import BalancedBatches  # noqa: E402
from imgbalance.keras import BalancedPyDataset  # noqa: E402

from deep_helpers import long_tailed_digits  # noqa: E402


class _Recording(BalancedPyDataset):
    """Records every batch Keras asks for: (epoch, index, label bytes, pixel bytes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.served, self._lock = [], threading.Lock()

    def __getitem__(self, index):
        X_batch, y_batch = super().__getitem__(index)
        with self._lock:
            self.served.append((self.epoch, int(index), y_batch.tobytes(), X_batch.tobytes()))
        return X_batch, y_batch


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


@pytest.mark.slow
@pytest.mark.parametrize("workers", [dict(), dict(workers=2)])
def test_fit_trains_and_every_epoch_is_drawn_afresh(workers):
    X, y, X_test, y_test = long_tailed_digits()
    sampler = AugmentationOverSampler(rotation_range=10, width_shift_range=0.1)
    batches = BalancedBatches(X, y, sampler=sampler, batch_size=64, dtype="float32",
                              random_state=0)
    data = _Recording(batches, **workers)
    model = _model()
    history = model.fit(data, epochs=4, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    predicted = model.predict(X_test[..., None] / np.float32(255), verbose=0).argmax(1)
    assert balanced_accuracy_score(y_test, predicted) > 0.8  # chance: 0.1
    # Keras reads one batch to build the model, then calls on_epoch_end: the
    # 4 training epochs are epochs 1 to 4, each served whole, each batch once,
    # each the batch of its (seed, epoch); any other batch read is valid too
    by_epoch = {}
    for epoch, index, y_bytes, X_bytes in data.served:
        X_ref, y_ref = batches.batch(epoch, index)
        assert y_bytes == y_ref.tobytes() and X_bytes == X_ref.tobytes()
        by_epoch.setdefault(epoch, []).append(index)
    assert data.epoch == 5 and set(by_epoch) <= {0, 1, 2, 3, 4}
    for epoch in (1, 2, 3, 4):
        assert sorted(by_epoch[epoch]) == list(range(len(batches)))
    first = {s[3] for s in data.served if s[0] == 1}
    assert not first & {s[3] for s in data.served if s[0] == 2}  # new images, new shuffle


def test_counts_and_errors():
    X, y, _, _ = long_tailed_digits()
    data = BalancedPyDataset(BalancedBatches(X, y, batch_size=100, random_state=0))
    for epoch in range(2):
        labels = np.concatenate([data[i][1] for i in range(len(data))])
        assert np.bincount(labels).tolist() == [150] * 10
        data.on_epoch_end()
    with pytest.raises(TypeError, match="must be a BalancedBatches"):
        BalancedPyDataset((X, y))
    with pytest.raises(ValueError, match="epoch must be a non-negative int"):
        BalancedPyDataset(data.batches, epoch=-1)


def test_epochs_of_varying_size_are_served_in_the_first_epochs_steps():
    # A cleaning sampler removes a varying number of images per epoch; Keras
    # reads len() once: every epoch gets that many steps, with one warning.
    from imblearn.under_sampling import OneSidedSelection

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4, 4)).astype(np.float32)
    y = np.r_[np.zeros(100, int), np.ones(20, int)]
    X[y == 1] += 0.3
    batches = BalancedBatches(X, y, sampler=OneSidedSelection(), batch_size=1, random_state=0)
    sizes = [batches.n_batches(e) for e in range(5)]
    assert len(set(sizes)) > 1  # the premise: epochs differ in size
    data = _Recording(batches)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4, 4)), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with pytest.warns(UserWarning, match="BalancedPyDataset: epoch .* batches where the first had"):
        model.fit(data, epochs=3, verbose=0)
    steps = {e: sum(1 for served in data.served if served[0] == e) for e in (1, 2, 3)}
    assert steps == {1: sizes[0], 2: sizes[0], 3: sizes[0]}


def _trained_batches(workers, epochs=3):
    """(epoch, index) of every batch ``fit`` trained on, from what train_step received."""
    X, y, _, _ = long_tailed_digits()
    batches = BalancedBatches(X, y, batch_size=64, dtype="float32", random_state=0)
    key = {batches.batch(e, i)[0].tobytes(): (e, i)
           for e in range(epochs + 2) for i in range(len(batches))}
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    trained, train_step = [], model.train_step

    def recording_step(data):
        trained.append(key.get(np.asarray(keras.ops.convert_to_numpy(data[0])).tobytes()))
        return train_step(data)

    model.train_step = recording_step
    model.fit(BalancedPyDataset(batches, **workers), epochs=epochs, verbose=0)
    return trained, len(batches)


def test_without_workers_fit_trains_epochs_1_to_E_whole():
    trained, n_batches = _trained_batches({})
    assert sorted(trained) == [(e, i) for e in (1, 2, 3) for i in range(n_batches)]


@pytest.mark.slow
def test_with_workers_keras_carries_prefetched_batches_over():
    # Keras's enqueuer moves the batches it prefetched for its first look at
    # the data into the next run (OrderedEnqueuer.stop drains its queue into
    # ready_queue): training starts with up to max_queue_size + workers
    # batches of epoch 0 and the last epoch's last batches are never trained.
    # What the docs promise: every trained batch is a planned one, none twice.
    trained, n_batches = _trained_batches(dict(workers=2, max_queue_size=4))
    assert None not in trained and len(set(trained)) == len(trained) == 3 * n_batches
    epochs = [e for e, _ in trained]
    assert set(epochs) == {0, 1, 2, 3}  # epoch 0's prefetched batches are trained
    carried = epochs.count(0)
    # how many batches each later run hands over depends on thread timing (a
    # CI run carried 5 in, then trained 47 batches of epochs 1-2 and 20 of 3): only the
    # bound on the first carry-over and the lost tail are fixed
    assert 0 < carried <= 4 + 2 and epochs.count(3) < n_batches  # the tail is lost
