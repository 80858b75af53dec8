"""Would a compiled kernel make 224x224x3 augmentation faster than albumentations?

Issue 3 asks ``AugmentationOverSampler`` / ``warp_affine`` to be faster than
an albumentations per-image loop on 224x224x3 images; with vectorised NumPy
they reach about 0.6x (``bench_augment.py``).  albumentations calls OpenCV's
``cv2.warpAffine``: hand-written SIMD code on fixed-point values (5-bit
sub-pixel coordinates, 15-bit weights).  This probe times, in one run and on
one thread, what *compiled scalar* kernels give on the same workload,
written with numba (a benchmark-only extra, not a dependency of imgbalance):

``numba float64, SciPy's arithmetic``
    bilinear in float64 with SciPy's operations in SciPy's order
    (coordinates, the weights ``1 - t`` and ``1 - (1 - t)``, the sum of
    ``(value * wy) * wx`` over the four neighbours), indices clamped for mode
    "nearest": the output of ``scipy.ndimage.affine_transform``, which
    ``warp_affine`` guarantees, so the compiled counterpart of our kernel;
``numba float32``
    float32 interpolation (``a + t * (b - a)``) from a copy padded by one
    edge pixel: the arithmetic of our NumPy fast path, without its recheck
    of values at rounding ties (so not always equal to SciPy);
``numba fixed point``
    integer arithmetic with 10-bit weights, in the spirit of OpenCV's (not
    equal to SciPy): what dropping exactness buys in scalar code.

Every row is timed end to end: the output array and, for the padded kernels,
the padded copy are made inside the timing, as ``warp_affine`` and the cv2
loop make theirs; the albumentations loop also draws its random parameters
(the matrices of the other rows are drawn beforehand).  Each row prints
images/s, the ratio to the albumentations loop and how many output values
differ from ``warp_affine``.

Usage: python benchmarks/probe_compiled_warp.py [--n 300]
(needs ``pip install numba opencv-python-headless albumentations``)
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_augment import (  # noqa: E402
    PARAMS, albu_fn, cv2_loop, cv2_matrices, make_large, scipy_loop,
)

from imgbalance.augmentation import warp_affine  # noqa: E402
from imgbalance.augmentation import random_affine_matrices  # noqa: E402
from imgbalance.augmentation._scipy_exact import scipy_offset_first  # noqa: E402


def kernels():
    """The numba kernels (compiled on first call)."""
    import numba

    jit = numba.njit(nogil=True, cache=False, boundscheck=False)
    jit_fast = numba.njit(nogil=True, cache=False, boundscheck=False, fastmath=True)

    @jit
    def scipy_float64(images, mats, out, offset_first):
        n, h, w, c = images.shape
        for i in range(n):
            m = mats[i]
            for r in range(h):
                for col in range(w):
                    if offset_first:
                        y = (m[0, 2] + r * m[0, 0]) + col * m[0, 1]
                        x = (m[1, 2] + r * m[1, 0]) + col * m[1, 1]
                    else:
                        y = (r * m[0, 0] + col * m[0, 1]) + m[0, 2]
                        x = (r * m[1, 0] + col * m[1, 1]) + m[1, 2]
                    fy, fx = np.floor(y), np.floor(x)
                    wy0 = 1.0 - (y - fy)
                    wy1 = 1.0 - wy0
                    wx0 = 1.0 - (x - fx)
                    wx1 = 1.0 - wx0
                    y0 = min(max(int(fy), 0), h - 1)
                    y1 = min(max(int(fy) + 1, 0), h - 1)
                    x0 = min(max(int(fx), 0), w - 1)
                    x1 = min(max(int(fx) + 1, 0), w - 1)
                    for k in range(c):
                        t = 0.0
                        t = t + (images[i, y0, x0, k] * wy0) * wx0
                        t = t + (images[i, y0, x1, k] * wy0) * wx1
                        t = t + (images[i, y1, x0, k] * wy1) * wx0
                        t = t + (images[i, y1, x1, k] * wy1) * wx1
                        out[i, r, col, k] = min(int(t + 0.5), 255)

    @jit_fast
    def padded(padded, mats, out, fixed):
        # coordinates clamped to the image; the padding (one edge pixel at
        # the bottom and right) serves the second neighbour at the last row
        # and column, so that no index needs clamping
        n, hp, wp, c = padded.shape
        h, w = hp - 1, wp - 1
        zero, hm1, wm1 = np.float32(0), np.float32(h - 1), np.float32(w - 1)
        for i in range(n):
            m = mats[i]
            for r in range(h):
                for col in range(w):
                    y = min(max(np.float32(m[0, 2] + r * m[0, 0] + col * m[0, 1]), zero), hm1)
                    x = min(max(np.float32(m[1, 2] + r * m[1, 0] + col * m[1, 1]), zero), wm1)
                    y0, x0 = int(y), int(x)
                    ty, tx = y - np.float32(y0), x - np.float32(x0)
                    if fixed:
                        iy, ix = np.int32(ty * 1024), np.int32(tx * 1024)
                        w00, w01 = (1024 - iy) * (1024 - ix), (1024 - iy) * ix
                        w10, w11 = iy * (1024 - ix), iy * ix
                        for k in range(c):
                            v = (np.int32(padded[i, y0, x0, k]) * w00
                                 + np.int32(padded[i, y0, x0 + 1, k]) * w01
                                 + np.int32(padded[i, y0 + 1, x0, k]) * w10
                                 + np.int32(padded[i, y0 + 1, x0 + 1, k]) * w11)
                            out[i, r, col, k] = np.uint8((v + (1 << 19)) >> 20)
                    else:
                        for k in range(c):
                            a = np.float32(padded[i, y0, x0, k])
                            b = np.float32(padded[i, y0, x0 + 1, k])
                            e = np.float32(padded[i, y0 + 1, x0, k])
                            f = np.float32(padded[i, y0 + 1, x0 + 1, k])
                            top = a + tx * (b - a)
                            bottom = e + tx * (f - e)
                            out[i, r, col, k] = np.uint8(top + ty * (bottom - top) + np.float32(0.5))

    return scipy_float64, padded


def best_rate(fn, n, repeat):
    fn()  # warm-up (and numba compilation)
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return n / best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="number of 224x224x3 images")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        import cv2
        import numba
    except ImportError as exc:
        sys.exit(f"this probe needs numba and OpenCV: {exc}")
    cv2.setNumThreads(1)

    images = make_large(args.n)
    mats = random_affine_matrices(np.random.default_rng(0), args.n, (224, 224), **PARAMS)
    mats = np.ascontiguousarray(mats[:, :2], dtype=np.float64)
    reference = warp_affine(images, mats)
    k = min(10, args.n)
    if not np.array_equal(reference[:k], scipy_loop(images[:k], mats[:k])):
        sys.exit("warp_affine differs from scipy.ndimage.affine_transform")
    scipy_float64, padded = kernels()
    offset_first = scipy_offset_first()
    outs = {}

    def scipy_arithmetic():
        out = outs["numba float64, SciPy's arithmetic"] = np.empty_like(images)
        scipy_float64(images, mats, out, offset_first)

    def padded_row(name, fixed):
        def run():
            source = np.pad(images, ((0, 0), (0, 1), (0, 1), (0, 0)), mode="edge")
            out = outs[name] = np.empty_like(images)
            padded(source, mats, out, fixed)
        return name, run

    rows = [
        ("warp_affine (NumPy, this package)", lambda: warp_affine(images, mats)),
        ("numba float64, SciPy's arithmetic", scipy_arithmetic),
        padded_row("numba float32", False),
        padded_row("numba fixed point (10-bit)", True),
        ("cv2.warpAffine loop", lambda: cv2_loop(images, cv2_matrices(mats))),
    ]
    albu = albu_fn(images)
    if albu is not None:
        rows.append(("albumentations loop", albu))

    print(f"# python benchmarks/probe_compiled_warp.py --n {args.n}   "
          f"(numba {numba.__version__}, opencv {cv2.__version__}, one thread)")
    print(f"{args.n} images of shape (224, 224, 3) uint8; same random affine as bench_augment.py")
    rates = {name: best_rate(fn, args.n, args.repeat) for name, fn in rows}
    albu_rate = rates.get("albumentations loop")
    print(f"{'kernel':<38}{'img/s':>8}{'/albumentations':>17}{'values != SciPy':>17}")
    for name, rate in rates.items():
        ratio = f"{rate / albu_rate:.2f}" if albu_rate else "-"
        if name in outs:
            diff = f"{np.count_nonzero(outs[name] != reference):,}"
        elif name.startswith("warp_affine"):
            diff = "0"
        else:
            diff = "-"
        print(f"{name:<38}{rate:>8.0f}{ratio:>17}{diff:>17}")
    print(f"(of {reference.size:,} output values; warp_affine equals SciPy's affine_transform,"
          f" checked on {k} images)")


if __name__ == "__main__":
    main()
