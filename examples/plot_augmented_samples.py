"""
=========================================
Augmented samples, next to their original
=========================================

:class:`~imgbalance.AugmentationOverSampler` creates new images of the rare
classes by random affine transforms of images of the same class.  Its
``source_indices_`` attribute records which original each new image was made
from, which :class:`~imgbalance.display.AugmentedSamplesDisplay` uses to show
every new image below its original.
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
# New images under the originals they were made from
# ---------------------------------------------------
# ``X_res[len(X) + i]`` is a transform of ``X[sampler.source_indices_[i]]``.
# :class:`~imgbalance.display.AugmentedSamplesDisplay` reads that record:
# ``from_sampler`` runs a clone of the sampler (the one passed stays
# unfitted), draws ``n_per_class`` new images of each over-sampled class at
# random, and shows each one just below its original.
from imgbalance.display import AugmentedSamplesDisplay

display = AugmentedSamplesDisplay.from_sampler(
    sampler, X, y, classes=[3, 6, 9], n_per_class=7, random_state=0,
    display_labels=["digit 3", "digit 6", "digit 9"],
)
display.figure_.suptitle("AugmentationOverSampler on long-tailed digits")
print("drawn:", display.axes_.shape, "axes; originals shown:",
      [o.shape for o in display.originals])

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

# %%
# The display draws colour images as they are; every new image comes from
# the one astronaut.
display = AugmentedSamplesDisplay.from_sampler(
    colour_sampler, X_colour, y_colour, n_per_class=7, random_state=0,
    display_labels=["astronaut"],
)
plt.show()
