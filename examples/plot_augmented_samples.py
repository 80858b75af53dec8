"""
=========================================
Augmented samples, next to their original
=========================================

:class:`~imgbalance.AugmentationOverSampler` creates new images of the rare
classes by random affine transforms of images of the same class.  Its
``source_indices_`` attribute records which original each new image was made
from, which lets us show every original next to its augmentations.
"""

# %%
# A long-tailed version of the digits
# -----------------------------------
# scikit-learn's digits are 8x8 grayscale images, ``(n_samples, 8, 8)``.
# :func:`~imgbalance.datasets.make_long_tailed` keeps all images of digit 0
# and ever fewer of the next digits, down to 1/20 for digit 9.
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from imgbalance import AugmentationOverSampler
from imgbalance.datasets import make_long_tailed

digits = load_digits()
X, y = make_long_tailed(digits.images, digits.target, imbalance_ratio=20, random_state=0)
print("images:", X.shape, X.dtype)
print("class counts:", sorted(Counter(y.tolist()).items()))

# %%
# Over-sample with random rotations, shifts, shear and zoom
# ---------------------------------------------------------
# The default ``sampling_strategy="auto"`` brings every class up to the size
# of the largest one.  The originals come back first, unchanged, followed by
# the new images grouped by class.
sampler = AugmentationOverSampler(
    rotation_range=15,
    width_shift_range=0.1,
    height_shift_range=0.1,
    shear_range=10,
    zoom_range=0.1,
    random_state=0,
)
X_res, y_res = sampler.fit_resample(X, y)
print("resampled:", X_res.shape)
print("new images per class:", {int(k): int(v) for k, v in sampler.sampling_strategy_.items()})
assert np.array_equal(X_res[: len(X)], X)

# %%
# One original per class, and the images made from it
# ----------------------------------------------------
# ``X_res[len(X) + i]`` is a transform of ``X[sampler.source_indices_[i]]``.
# For each over-sampled class we pick the original with the most
# augmentations and show it (framed) next to them.
new_images = X_res[len(X) :]
sources = sampler.source_indices_
n_shown = 7
classes = [c for c in np.unique(y) if sampler.sampling_strategy_.get(c, 0) > 0]

fig, axes = plt.subplots(
    len(classes), n_shown + 1, figsize=(1.1 * (n_shown + 1), 1.15 * len(classes))
)
for row, klass in zip(axes, classes):
    from_class = sources[y[sources] == klass]
    original = np.bincount(from_class).argmax()
    made_from_it = np.flatnonzero(sources == original)[:n_shown]
    row[0].imshow(X[original], cmap="gray_r")
    for spine in row[0].spines.values():
        spine.set_color("tab:red")
        spine.set_linewidth(2)
    row[0].set_ylabel(f"digit {klass}", rotation=0, ha="right", va="center")
    for ax, index in zip(row[1:], made_from_it):
        ax.imshow(new_images[index], cmap="gray_r")
    for ax in row[1 + len(made_from_it) :]:
        ax.set_visible(False)
    for ax in row:
        ax.set_xticks([])
        ax.set_yticks([])
axes[0, 0].set_title("original", fontsize=9)
axes[0, 1].set_title("augmented copies", fontsize=9, loc="left")
fig.suptitle("AugmentationOverSampler on long-tailed digits")
fig.tight_layout()

# %%
# Colour images work the same way
# -------------------------------
# A colour batch is ``(n_samples, height, width, n_channels)`` and keeps its
# dtype (here uint8).  With a dict ``sampling_strategy`` we ask for eight
# images of class 1 (the astronaut) in total, from one original; class 0
# (the cat) is left alone.  ``horizontal_flip`` and ``brightness_range`` are
# on, and ``fill_mode="reflect"`` fills the borders uncovered by the
# transform.
from skimage import data

astronaut = data.astronaut()[::4, ::4]  # (128, 128, 3) uint8
cat = data.chelsea()[::2, ::2][:128, 20:148]  # (128, 128, 3) uint8
X_colour = np.stack([cat, astronaut])
y_colour = np.array([0, 1])

colour_sampler = AugmentationOverSampler(
    sampling_strategy={1: 8},
    rotation_range=20,
    zoom_range=0.15,
    horizontal_flip=True,
    brightness_range=(0.7, 1.3),
    fill_mode="reflect",
    random_state=0,
)
X_colour_res, y_colour_res = colour_sampler.fit_resample(X_colour, y_colour)
print("colour batch:", X_colour_res.shape, X_colour_res.dtype)

fig, axes = plt.subplots(1, 8, figsize=(12, 1.9))
for i, ax in enumerate(axes):
    ax.imshow(X_colour_res[1 if i == 0 else len(X_colour) + i - 1])
    ax.set_title("original" if i == 0 else f"new {i}", fontsize=9)
    ax.axis("off")
fig.tight_layout()
plt.show()
