"""
==========================================
HOG features, identical to scikit-image's
==========================================

:class:`~imgbalance.HOGTransformer` computes Histogram of Oriented Gradients
(HOG) descriptors for a whole batch of images at once.  Row ``i`` of its
output is, bit for bit, what :func:`skimage.feature.hog` returns for image
``i``.  Here we draw scikit-image's HOG picture next to each image, and check
the equality on grayscale and colour images.
"""

# %%
# Two images from ``skimage.data``
# --------------------------------
# Both ship with scikit-image (no download).  We make a batch of two 256x256
# grayscale images, ``(n_samples, height, width)``, in uint8.
import matplotlib.pyplot as plt
import numpy as np
from skimage import data
from skimage.color import rgb2gray
from skimage.feature import hog
from skimage.util import img_as_ubyte

camera = data.camera()[::2, ::2]  # (256, 256) uint8
astronaut_rgb = data.astronaut()[::2, ::2]  # (256, 256, 3) uint8
astronaut = img_as_ubyte(rgb2gray(astronaut_rgb))
X = np.stack([camera, astronaut])
print("grayscale batch:", X.shape, X.dtype)

params = dict(orientations=9, pixels_per_cell=(16, 16), cells_per_block=(2, 2))

# %%
# The batch transformer equals the per-image function
# ---------------------------------------------------
# ``HOGTransformer`` takes the batch; ``skimage.feature.hog`` takes one image
# per call.  uint8 images give float64 descriptors, as in scikit-image.
from imgbalance import HOGTransformer

hog_transformer = HOGTransformer(**params)
features = hog_transformer.fit_transform(X)
print("descriptors:", features.shape, features.dtype)

for i, image in enumerate(X):
    reference = hog(image, **params)
    print(f"image {i}: equal to skimage.feature.hog bit for bit:",
          np.array_equal(features[i], reference))

# %%
# Colour images: the channel with the strongest gradient
# ------------------------------------------------------
# For ``(n_samples, height, width, n_channels)`` batches, every pixel uses the
# gradient of the channel with the largest gradient magnitude, as
# ``skimage.feature.hog(image, channel_axis=-1)`` does.  float32 images give
# float32 descriptors.
X_colour = astronaut_rgb[np.newaxis].astype(np.float32) / 255
colour_features = HOGTransformer(**params).fit_transform(X_colour)
colour_reference = hog(X_colour[0], channel_axis=-1, **params)
print("colour:", colour_features.shape, colour_features.dtype,
      "equal:", np.array_equal(colour_features[0], colour_reference))

# %%
# What the descriptor sees
# ------------------------
# ``hog(..., visualize=True)`` draws, in every cell, a star of line segments
# whose lengths are the cell's orientation histogram (before block
# normalisation).  The picture is for humans; the descriptor is the
# block-normalised histograms, which ``HOGTransformer`` returns.
images = [camera, astronaut, astronaut_rgb]
titles = ["camera", "astronaut (gray)", "astronaut (colour)"]
fig, axes = plt.subplots(2, 3, figsize=(9, 6.3))
for column, (image, title) in enumerate(zip(images, titles)):
    channel_axis = -1 if image.ndim == 3 else None
    _, hog_image = hog(image, visualize=True, channel_axis=channel_axis, **params)
    axes[0, column].imshow(image, cmap=None if channel_axis else "gray")
    axes[0, column].set_title(title)
    axes[1, column].imshow(hog_image, cmap="magma", vmax=np.percentile(hog_image, 99.5))
    axes[1, column].set_title("HOG (16x16 cells)")
for ax in axes.ravel():
    ax.axis("off")
fig.tight_layout()

# %%
# One descriptor, block by block
# ------------------------------
# The descriptor of one image is ``(n_blocks_row, n_blocks_col, 2, 2, 9)``
# raveled: here 15 x 15 blocks of 2 x 2 cells with 9 orientation bins each.
# Averaged over the blocks that contain a cell, it shows which orientations
# dominate where.
n_blocks = (256 // 16) - 2 + 1
blocks = features[0].reshape(n_blocks, n_blocks, 2, 2, 9)
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(np.arange(9) * 20 + 10, blocks.mean(axis=(0, 1, 2, 3)), width=16)
ax.set_xlabel("orientation bin centre (degrees)")
ax.set_ylabel("mean normalised value")
ax.set_title("camera: mean block-normalised histogram")
fig.tight_layout()
plt.show()
