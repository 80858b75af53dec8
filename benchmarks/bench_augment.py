"""Side-by-side speed of Keras-style random affine augmentation, in one run.

Transform: rotation 15 deg, width/height shift 10 %, zoom_range (0.9, 1.1),
horizontal flip, bilinear, fill mode "nearest".

Workloads
  * 10,000 Fashion-MNIST training images, 28x28 uint8 (2,000 with --quick);
  * 1,000 224x224x3 uint8 images (200 with --quick): resized crops of
    ``skimage.data.astronaut()`` (8 different crops, every other one mirrored).

Contenders
  (a) imgbalance.augmentation.warp_affine + random_affine_matrices (one thread);
  (b) imgbalance.AugmentationOverSampler end to end, n_jobs=1 and
      n_jobs=--n-jobs (default: all cores), labels built so that exactly N
      new images are generated;
  (c) per-image scipy.ndimage.affine_transform loop (what Keras'
      ImageDataGenerator does), one call per channel;
  (d) albumentations A.Affine per-image loop (optional), with OpenCV's
      default number of threads and with 1 thread;
  (e) OpenCV cv2.warpAffine per-image loop (optional), default threads and 1 thread.

Prints images/s, ours/reference ratios and the peak traced memory of each,
then the issue's targets at equal thread counts: warp_affine / scipy loop
(target >= 4), sampler n_jobs=1 / albumentations 1 thread and sampler
n_jobs=N / albumentations N threads (target > 1), and the distance to OpenCV.

Usage: python benchmarks/bench_augment.py [--quick] [--n-jobs N]
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

from imgbalance.augmentation import random_affine_matrices, warp_affine  # noqa: E402

PARAMS = dict(
    rotation_range=15.0,
    width_shift_range=0.1,
    height_shift_range=0.1,
    zoom_range=(0.9, 1.1),
    horizontal_flip=True,
)


def load_fashion(n):
    # the Debian package's copy, $IMGBALANCE_DATA or the cache: no download
    from imgbalance.datasets import load_fashion_mnist

    return load_fashion_mnist("train", download=False)[0][:n].copy()


def make_large(n):
    import skimage.data
    import skimage.transform

    a = skimage.data.astronaut()
    crops = [(0, 0, 512), (0, 0, 300), (100, 150, 300), (200, 200, 312),
             (50, 250, 260), (212, 0, 300), (0, 212, 300), (150, 100, 224)]
    base = []
    for y, x, s in crops:
        r = skimage.transform.resize(a[y:y + s, x:x + s], (224, 224),
                                     preserve_range=True, anti_aliasing=True)
        base.append(np.clip(r + 0.5, 0, 255).astype(np.uint8))
    out = np.empty((n, 224, 224, 3), np.uint8)
    for i in range(n):
        b = base[i % len(base)]
        out[i] = b[:, ::-1] if i % 2 else b
    return out


def timed(fn, n_images, repeat=1):
    """Best-of-`repeat` images/s and peak traced memory (MB) of one extra run."""
    fn_result = fn()  # warm-up
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn_result = fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    del fn_result
    return n_images / best, peak


def ours(images, seed=0):
    rng = np.random.default_rng(seed)
    m = random_affine_matrices(rng, len(images), images.shape[1:3], **PARAMS)
    return warp_affine(images, m, order=1, mode="nearest")


def sampler_fn(images, n_jobs):
    try:
        from imgbalance import AugmentationOverSampler
    except ImportError:
        try:
            from imgbalance.augmentation import AugmentationOverSampler
        except ImportError as exc:
            print(f"  (b) AugmentationOverSampler not importable yet: {exc}")
            return None
    n = len(images)
    # one majority image set (class 0, the images) + one minority image (class 1):
    # over-sampling class 1 to n + 1 generates exactly n new images.
    X = np.concatenate([images, images[:1]])
    y = np.r_[np.zeros(n, int), 1]
    sampler = AugmentationOverSampler(
        sampling_strategy={1: n + 1}, random_state=0, rotation_range=15,
        width_shift_range=0.1, height_shift_range=0.1, zoom_range=(0.9, 1.1),
        horizontal_flip=True, fill_mode="nearest", interpolation_order=1, n_jobs=n_jobs,
    )
    return lambda: sampler.fit_resample(X, y)


def scipy_loop(images, mats):
    out = np.empty_like(images)
    for i in range(len(images)):
        if images.ndim == 3:
            out[i] = ndi.affine_transform(images[i], mats[i], order=1, mode="nearest")
        else:
            for k in range(images.shape[3]):
                out[i, :, :, k] = ndi.affine_transform(
                    images[i, :, :, k], mats[i], order=1, mode="nearest")
    return out


def cv2_matrices(mats):
    # (row, col) -> input (row, col)  to OpenCV's (x, y) -> input (x, y)
    return np.stack([mats[:, 1, [1, 0, 2]], mats[:, 0, [1, 0, 2]]], axis=1)


def cv2_loop(images, mats_xy):
    import cv2

    h, w = images.shape[1:3]
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    out = np.empty_like(images)
    for i in range(len(images)):
        out[i] = cv2.warpAffine(images[i], mats_xy[i], (w, h), flags=flags,
                                borderMode=cv2.BORDER_REPLICATE)
    return out


def albu_fn(images):
    try:
        import albumentations as A
        import cv2
    except ImportError as exc:
        print(f"  (d) albumentations not installed: {exc}")
        return None
    aug = A.Compose([
        A.HorizontalFlip(p=0.5),
        A.Affine(rotate=(-15, 15), translate_percent={"x": (-0.1, 0.1), "y": (-0.1, 0.1)},
                 scale={"x": (0.9, 1.1), "y": (0.9, 1.1)}, interpolation=cv2.INTER_LINEAR,
                 border_mode=cv2.BORDER_REPLICATE, p=1.0),
    ])

    def run():
        out = np.empty_like(images)
        for i in range(len(images)):
            out[i] = aug(image=images[i])["image"]
        return out

    return run


def bench(name, images, n_jobs, quick):
    n = len(images)
    print(f"\n== {name}: {n} images of shape {images.shape[1:]} {images.dtype} ==")
    mats = random_affine_matrices(np.random.default_rng(0), n, images.shape[1:3], **PARAMS)
    rows = {}
    rows["(a) warp_affine (1 thread)"] = timed(lambda: ours(images), n, repeat=3)
    for jobs in sorted({1, n_jobs}):
        fn = sampler_fn(images, jobs)
        if fn is not None:
            rows[f"(b) AugmentationOverSampler n_jobs={jobs}"] = timed(fn, n, repeat=3)
    n_ref = min(n, 2000 if images.ndim == 3 else 200) if quick else n
    sub, sub_m = images[:n_ref], mats[:n_ref]
    rows["(c) scipy affine_transform loop"] = timed(lambda: scipy_loop(sub, sub_m), n_ref)
    threads = None
    try:
        import cv2

        threads = cv2.getNumThreads()
    except ImportError as exc:
        print(f"  (e) OpenCV not installed: {exc}")
    fn = albu_fn(images)
    if fn is not None:
        rows[f"(d) albumentations loop ({threads} threads)"] = timed(fn, n, repeat=2)
        cv2.setNumThreads(1)
        rows["(d) albumentations loop (1 thread)"] = timed(fn, n, repeat=2)
        cv2.setNumThreads(threads)
    if threads is not None:
        mxy = cv2_matrices(mats)
        rows[f"(e) cv2.warpAffine loop ({threads} threads)"] = timed(lambda: cv2_loop(images, mxy), n, repeat=3)
        cv2.setNumThreads(1)
        rows["(e) cv2.warpAffine loop (1 thread)"] = timed(lambda: cv2_loop(images, mxy), n, repeat=3)
        cv2.setNumThreads(threads)
    # correctness cross-check: the warp itself vs scipy on a few images
    k = 20
    d = np.abs(warp_affine(images[:k], mats[:k]).astype(int) - scipy_loop(images[:k], mats[:k]))
    print(f"  check: warp_affine vs scipy on {k} images: max |diff| = {d.max()}")

    ours_rate = rows["(a) warp_affine (1 thread)"][0]
    print(f"  {'method':46s} {'img/s':>10s} {'(a)/this':>10s} {'peak MB':>9s}")
    for label, (rate, peak) in rows.items():
        print(f"  {label:46s} {rate:10.0f} {ours_rate / rate:10.2f} {peak:9.1f}")

    def ratio(a, b):
        return rows[a][0] / rows[b][0] if a in rows and b in rows else float("nan")

    print("  targets, at equal thread counts:")
    print(f"    warp_affine / scipy loop                         "
          f"{ratio('(a) warp_affine (1 thread)', '(c) scipy affine_transform loop'):6.2f}"
          "  (target >= 4)")
    print(f"    sampler n_jobs=1 / albumentations 1 thread       "
          f"{ratio('(b) AugmentationOverSampler n_jobs=1', '(d) albumentations loop (1 thread)'):6.2f}"
          "  (target > 1)")
    if threads is not None and threads > 1 and n_jobs == threads:
        print(f"    sampler n_jobs={n_jobs} / albumentations {threads} threads      "
              f"{ratio(f'(b) AugmentationOverSampler n_jobs={n_jobs}', f'(d) albumentations loop ({threads} threads)'):6.2f}"
              "  (target > 1)")
    print(f"    sampler n_jobs=1 / OpenCV loop 1 thread          "
          f"{ratio('(b) AugmentationOverSampler n_jobs=1', '(e) cv2.warpAffine loop (1 thread)'):6.2f}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller workloads")
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count(),
                        help="n_jobs of the second sampler run (b); default: all cores")
    args = parser.parse_args()
    n_small, n_large = (2000, 200) if args.quick else (10000, 1000)
    print(f"CPU cores: {os.cpu_count()}; load average: {os.getloadavg()}")
    bench("Fashion-MNIST", load_fashion(n_small), args.n_jobs, args.quick)
    bench("astronaut crops 224x224x3", make_large(n_large), args.n_jobs, args.quick)


if __name__ == "__main__":
    main()
