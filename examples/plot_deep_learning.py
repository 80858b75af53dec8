"""
====================================================================
Deep learning: balanced, freshly augmented batches for a small CNN
====================================================================

Three recipes on long-tailed 8x8 digits (150 images of digit 0 down to 15
of digit 9), each training a tiny convolutional network for a few seconds
and scoring it on a held-out, balanced test set:

1. **PyTorch**: :class:`~imgbalance.batches.BalancedBatches` served by
   :func:`imgbalance.torch.make_dataloader`;
2. **Keras 3**: the same batches as a ``keras.utils.PyDataset``
   (:class:`imgbalance.keras.BalancedPyDataset`) for ``model.fit``;
3. **skorch**: an imbalanced-learn pipeline
   ``AugmentationOverSampler -> ImageLayout -> NeuralNetClassifier``.

In 1 and 2 every epoch is a new draw: the rare digits are over-sampled with
new random rotations and shifts, the whole batch is shuffled, and epoch
``i`` is a function of ``(random_state, i)`` alone.
"""

# %%
# Long-tailed digits, as uint8 images
# -----------------------------------
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # before Keras is first imported

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.metrics import balanced_accuracy_score

from imgbalance import AugmentationOverSampler
from imgbalance.batches import BalancedBatches
from imgbalance.feature_extraction import ImageLayout

digits = load_digits()
images = np.rint(digits.images * (255 / 16)).astype(np.uint8)
rng = np.random.default_rng(0)
train, test = [], []
for digit in range(10):
    rows = rng.permutation(np.flatnonzero(digits.target == digit))
    train.extend(rows[: round(150 * 10 ** (-digit / 9))])
    test.extend(rows[150:])
X, y = images[train], digits.target[train]
X_test, y_test = images[test], digits.target[test]
print("training images per digit:", np.bincount(y).tolist())


def tiny_cnn():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 4 * 4, 10),
    )


# %%
# 1. PyTorch: a DataLoader of balanced batches
# --------------------------------------------
# One item of the dataset is one whole batch (``batch_size=None`` inside);
# each pass over the loader is the next epoch, with any number of workers.
# [pytorch-recipe]
from imgbalance.torch import make_dataloader

batches = BalancedBatches(
    X, y,
    sampler=AugmentationOverSampler(rotation_range=10, width_shift_range=0.1),
    batch_size=64, data_format="channels_first", dtype="float32", random_state=0,
)
loader = make_dataloader(batches)  # add num_workers=2 for parallel batches

torch.manual_seed(0)
net = tiny_cnn()
optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
for epoch in range(4):
    for X_batch, y_batch in loader:  # every pass draws a new epoch
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(X_batch), y_batch).backward()
        optimizer.step()

layout = ImageLayout(data_format="channels_first")  # the batches' conversion
with torch.no_grad():
    predicted = net(torch.from_numpy(layout.fit_transform(X_test))).argmax(1).numpy()
print(f"PyTorch: balanced accuracy {balanced_accuracy_score(y_test, predicted):.3f}")
# [/pytorch-recipe]

# %%
# 2. Keras 3: a PyDataset that redraws at every epoch end
# -------------------------------------------------------
# [keras-recipe]
import keras

from imgbalance.keras import BalancedPyDataset

keras.utils.set_random_seed(0)
data = BalancedPyDataset(BalancedBatches(
    X, y,
    sampler=AugmentationOverSampler(rotation_range=10, width_shift_range=0.1),
    batch_size=64, data_format="channels_last", dtype="float32", random_state=0,
))
model = keras.Sequential([
    keras.Input((8, 8, 1)),
    keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(2),
    keras.layers.Flatten(),
    keras.layers.Dense(10),
])
model.compile(optimizer=keras.optimizers.Adam(3e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(data, epochs=4, verbose=0)  # no class_weight: the batches are balanced

X_test_keras = ImageLayout(data_format="channels_last").fit_transform(X_test)
predicted = model.predict(X_test_keras, verbose=0).argmax(1)
print(f"Keras:   balanced accuracy {balanced_accuracy_score(y_test, predicted):.3f}")
# [/keras-recipe]

# %%
# 3. skorch: a network as the final step of an imbalanced-learn pipeline
# ----------------------------------------------------------------------
# The sampler returns the originals first and the new images class by
# class: the net must shuffle (``iterator_train__shuffle=True``), and must
# not cut its validation split out of the augmented images
# (``train_split=None``; validate on held-out originals instead).
# [skorch-recipe]
from imblearn.pipeline import Pipeline
from skorch import NeuralNetClassifier

torch.manual_seed(0)
pipe = Pipeline([
    ("augment", AugmentationOverSampler(rotation_range=10, width_shift_range=0.1,
                                        random_state=0)),
    ("layout", ImageLayout(data_format="channels_first")),  # float32 (n, 1, 8, 8) in [0, 1]
    ("net", NeuralNetClassifier(
        tiny_cnn, criterion=torch.nn.CrossEntropyLoss,  # the module returns logits
        optimizer=torch.optim.Adam, lr=3e-3, max_epochs=8, batch_size=64,
        iterator_train__shuffle=True, train_split=None, verbose=0,
    )),
])
pipe.fit(X, y)
predicted = pipe.predict(X_test)  # predict skips the sampler
print(f"skorch:  balanced accuracy {balanced_accuracy_score(y_test, predicted):.3f}")
# [/skorch-recipe]

# %%
# What one balanced batch looks like
# ----------------------------------
# The first 16 images of batch 0 of epoch 0 and of epoch 1: new draws, new
# transforms, every digit about as frequent.
fig, axes = plt.subplots(2, 16, figsize=(10, 1.6))
for row, epoch in enumerate((0, 1)):
    X_batch, y_batch = batches.batch(epoch, 0)
    for ax, image, label in zip(axes[row], X_batch, y_batch):
        ax.imshow(image[0], cmap="gray_r")
        ax.set_title(str(label), fontsize=8)
        ax.axis("off")
fig.suptitle("batch 0 of epoch 0 (top) and epoch 1 (bottom)", fontsize=9)
plt.show()
