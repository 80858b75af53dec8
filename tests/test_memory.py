"""Peak memory stays within the bound the docs state (user guide, "Memory").

Bound, with ``n_jobs=1``: the output array plus 64 MiB of chunk
temporaries, plus, for the sampler, 160 bytes per new image (its transform
matrix and source index, drawn up front).  Checked here at a smaller scale
with tracemalloc (NumPy reports its allocations to it);
benchmarks/bench_hog.py and bench_augment.py report the peak at full scale.
"""

import tracemalloc

import numpy as np
import pytest

from imgbalance import AugmentationOverSampler, HOGTransformer

MiB = 2**20
BOUND_EXTRA = 64 * MiB
BOUND_PER_NEW_IMAGE = 160  # bytes


def _peak_extra(func):
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        result = func()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak - baseline


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).integers(0, 256, size=(8000, 28, 28), dtype=np.uint8)


@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
def test_hog_peak_memory(images, dtype):
    X = images.astype(dtype)
    hog = HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)).fit(X[:10])
    out, extra = _peak_extra(lambda: hog.transform(X))
    assert extra <= out.nbytes + BOUND_EXTRA, (extra / MiB, out.nbytes / MiB)


@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
def test_augmentation_peak_memory(images, dtype):
    X = images.astype(dtype)
    y = np.r_[np.zeros(7000), np.ones(1000)].astype(int)
    sampler = AugmentationOverSampler(rotation_range=15, zoom_range=0.1, random_state=0)
    (X_res, _), extra = _peak_extra(lambda: sampler.fit_resample(X, y))
    assert len(X_res) == 14000
    assert extra <= X_res.nbytes + BOUND_EXTRA, (extra / MiB, X_res.nbytes / MiB)


def test_augmentation_with_brightness_peak_memory(images):
    # integer brightness scaling rounds through float64: by blocks, not the
    # whole batch at once (which took 3 float64 copies of the new images)
    y = np.r_[np.zeros(7000), np.ones(1000)].astype(int)
    sampler = AugmentationOverSampler(rotation_range=15, brightness_range=(0.8, 1.2),
                                      random_state=0)
    (X_res, _), extra = _peak_extra(lambda: sampler.fit_resample(images, y))
    assert extra <= X_res.nbytes + BOUND_EXTRA, (extra / MiB, X_res.nbytes / MiB)


def test_augmentation_memory_per_new_image():
    # the per-image random draws used to peak at about 220 bytes per new
    # image (1 million new 8x8 images: 216 MiB above the output)
    def extra(n_new):
        X = np.zeros((n_new + 10, 8, 8), dtype=np.uint8)
        y = np.r_[np.zeros(n_new + 5, dtype=int), np.ones(5, dtype=int)]
        sampler = AugmentationOverSampler(rotation_range=10, zoom_range=0.1,
                                          horizontal_flip=True, random_state=0)
        (X_res, y_res), peak = _peak_extra(lambda: sampler.fit_resample(X, y))
        return peak - X_res.nbytes - y_res.nbytes

    small, large = extra(50_000), extra(350_000)
    per_image = (large - small) / 300_000
    assert per_image <= BOUND_PER_NEW_IMAGE, per_image
    assert large <= BOUND_EXTRA + BOUND_PER_NEW_IMAGE * 350_000, large / MiB
