"""Speed of the two warp kernels of ``warp_affine``, side by side in one run.

``warp_affine`` sends 8-bit images with order 1 and mode "nearest" (the
augmentation default) to the fast path (``augmentation/_fast_u8.py``) and
everything else to the general SciPy-exact path
(``augmentation/_scipy_exact.py``).  This prints images/s of:

  * the fast path and the general path forced on the same uint8 bilinear
    "nearest" workload (their ratio is the fast path's gain; both outputs are
    checked equal);
  * the general path on the other modes and orders, and on float32 images.

Transform: rotation 15 deg, shifts 10 %, zoom (0.9, 1.1), horizontal flip.
Workloads: 4,000 random 28x28 uint8 images and 200 random 224x224x3 uint8
images (``--quick``: a quarter).  Best of 3 runs, one thread.

Usage: python benchmarks/bench_warp_paths.py [--quick]
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from imgbalance.augmentation import _warp, random_affine_matrices, warp_affine  # noqa: E402

PARAMS = dict(rotation_range=15.0, width_shift_range=0.1, height_shift_range=0.1,
              zoom_range=(0.9, 1.1), horizontal_flip=True)


def best_rate(fn, n_images, repeat=3):
    fn()  # warm-up
    best = min(_seconds(fn) for _ in range(repeat))
    return n_images / best


def _seconds(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def general_path(images, m, **kw):
    """warp_affine with the fast path switched off."""
    saved = _warp.use_fast_path
    _warp.use_fast_path = lambda *a: False
    try:
        return warp_affine(images, m, **kw)
    finally:
        _warp.use_fast_path = saved


def run(name, images):
    m = random_affine_matrices(np.random.default_rng(0), len(images), images.shape[1:3], **PARAMS)
    n = len(images)
    print(f"\n== {name}: {n} images of shape {images.shape[1:]} uint8 ==")
    fast = warp_affine(images, m)
    assert np.array_equal(fast, general_path(images, m)), "fast and general paths differ"
    r_fast = best_rate(lambda: warp_affine(images, m), n)
    r_gen = best_rate(lambda: general_path(images, m), n)
    print(f"  {'workload':44s} {'img/s':>9s}")
    print(f"  {'fast path, order 1, nearest':44s} {r_fast:9.0f}")
    print(f"  {'general path, order 1, nearest (forced)':44s} {r_gen:9.0f}")
    print(f"  fast / general: {r_fast / r_gen:.2f}")
    for order, mode in ((0, "nearest"), (0, "reflect"), (1, "constant"), (1, "reflect"),
                        (1, "wrap")):
        rate = best_rate(lambda: warp_affine(images, m, order=order, mode=mode), n)
        print(f"  {f'general path, order {order}, {mode}':44s} {rate:9.0f}")
    as_float = images.astype(np.float32)
    rate = best_rate(lambda: warp_affine(as_float, m), n)
    print(f"  {'general path, float32, order 1, nearest':44s} {rate:9.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scale = 4 if args.quick else 1
    rng = np.random.default_rng(0)
    print(f"# python benchmarks/bench_warp_paths.py{' --quick' if args.quick else ''}   "
          f"({os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f})")
    run("small", rng.integers(0, 256, (4000 // scale, 28, 28), dtype=np.uint8))
    run("large", rng.integers(0, 256, (200 // scale, 224, 224, 3), dtype=np.uint8))


if __name__ == "__main__":
    main()
