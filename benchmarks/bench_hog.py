"""Benchmark: batched HOG (imgbalance) against a per-image skimage.feature.hog loop.

Loads the Fashion-MNIST training images (28x28 uint8, IDX .gz) and, in one
run, times for ``pixels_per_cell`` in (4, 4) and (7, 7), 9 orientations,
(2, 2) cells per block:

(a) ``np.stack([skimage.feature.hog(x, ...) for x in X])``;
(b) ``imgbalance.HOGTransformer(..., n_jobs=n).fit_transform(X)`` for
    ``n_jobs`` in (1, 2);

and prints seconds (best of ``--repeat`` runs for (b)), images/s, the
speed-up over (a), the peak memory traced
by ``tracemalloc`` during a second, untimed run (relative to the size of the
output array; ``n_jobs=2`` runs threads, which are traced too) and whether
the outputs equal skimage's bit for bit.

Usage::

    python benchmarks/bench_hog.py                 # all 60,000 images
    python benchmarks/bench_hog.py --quick         # 2,000 images
    python benchmarks/bench_hog.py --n-images 10000 --repeat 5
    python benchmarks/bench_hog.py --chunk-sizes --repeat 7   # the kernel's DEFAULT_CHUNK_SIZE

``--chunk-sizes`` times the kernel (``feature_extraction._hog.hog_batch``) on
8,192 images, one core, for internal chunks of 128 to 8,192 images.
"""

import argparse
import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def make_batched(ppc, n_jobs):
    """Return (label, callable X -> features) for the batched implementation."""
    from imgbalance import HOGTransformer

    params = dict(orientations=9, pixels_per_cell=ppc, cells_per_block=(2, 2))

    def run(X):
        return HOGTransformer(**params, n_jobs=n_jobs).fit_transform(X)

    return f"HOGTransformer(n_jobs={n_jobs})", run


def chunk_sweep(X, repeat, sizes=(128, 256, 512, 1024, 2048, 8192)):
    """Microseconds per image of the kernel on one core for each internal chunk size."""
    from imgbalance.feature_extraction import _hog

    default = _hog.DEFAULT_CHUNK_SIZE
    print(f"\n== internal chunk size (DEFAULT_CHUNK_SIZE={default}), {X.shape[0]} "
          f"images, one core, best of {repeat} ==")
    try:
        for ppc in [(4, 4), (7, 7)]:
            params = dict(orientations=9, pixels_per_cell=ppc, cells_per_block=(2, 2))
            cells = []
            for size in sizes:
                _hog.DEFAULT_CHUNK_SIZE = size
                _hog.hog_batch(X[:size], **params)  # warm-up
                best = min(timed(_hog.hog_batch, X, **params)[1] for _ in range(repeat))
                cells.append(f"{size}: {best / X.shape[0] * 1e6:.1f}")
            print(f"pixels_per_cell={ppc}: us/image by chunk size  " + ", ".join(cells))
    finally:
        _hog.DEFAULT_CHUNK_SIZE = default


def timed(func, *args, **kwargs):
    gc.collect()
    t0 = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - t0


def traced_peak(func, *args):
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = func(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-images", type=int, default=60000)
    parser.add_argument("--quick", action="store_true", help="use 2,000 images")
    parser.add_argument("--repeat", type=int, default=3,
                        help="best of this many timed runs of the batched paths "
                             "(the skimage loop runs once)")
    parser.add_argument("--chunk-sizes", action="store_true",
                        help="only time the kernel's internal chunk sizes (8,192 "
                             "images unless --n-images is smaller)")
    parser.add_argument("--data", default=os.environ.get("FASHION_MNIST_TRAIN", DEFAULT_DATA))
    args = parser.parse_args(argv)
    n_images = min(args.n_images, 2000) if args.quick else args.n_images

    from skimage import __version__ as skimage_version
    from skimage.feature import hog

    from imgbalance.datasets import load_idx

    X = load_idx(args.data)[:n_images]
    print(f"Fashion-MNIST: {X.shape[0]} images {X.shape[1:]} {X.dtype}; "
          f"numpy {np.__version__}, scikit-image {skimage_version}, "
          f"{os.cpu_count()} CPUs")

    if args.chunk_sizes:
        chunk_sweep(X[:8192], args.repeat)
        return

    for ppc in [(4, 4), (7, 7)]:
        params = dict(orientations=9, pixels_per_cell=ppc, cells_per_block=(2, 2))
        print(f"\n== pixels_per_cell={ppc}, cells_per_block=(2, 2), orientations=9 ==")
        ref, t_ref = timed(lambda A: np.stack([hog(x, **params) for x in A]), X)
        n = X.shape[0]
        print(f"{'skimage.feature.hog loop':48s} {t_ref:8.2f} s {n / t_ref:10.0f} img/s"
              f"   1.0x   output {ref.nbytes / 2**20:.1f} MiB")
        for n_jobs in (1, 2):
            label, run = make_batched(ppc, n_jobs)
            # warm-up: imports, lookup tables, worker start-up (needs >= 2 chunks)
            run(X[: min(X.shape[0], 2100)])
            out, t = timed(run, X)
            for _ in range(args.repeat - 1):
                del out
                out, t_again = timed(run, X)
                t = min(t, t_again)
            _, peak = traced_peak(run, X)
            extra = peak - out.nbytes
            equal = np.array_equal(out, ref)
            maxdiff = float(np.max(np.abs(out - ref))) if out.shape == ref.shape else float("nan")
            note = ""
            print(f"{label:48s} {t:8.2f} s {n / t:10.0f} img/s {t_ref / t:6.1f}x"
                  f"   peak {peak / 2**20:.1f} MiB = {peak / out.nbytes:.2f}x output,"
                  f" extra {extra / 2**20:.1f} MiB = {extra / out.nbytes:.2f}x output{note};"
                  f" equal={equal} max|diff|={maxdiff:.3g}")
        del ref


if __name__ == "__main__":
    main()
