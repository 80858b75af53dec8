"""The bad-input matrix: every public estimator and function against bad input.

Each case is ``(case, target, call)``: ``call()`` either returns (the input
is handled correctly -- the test compares with a clean reference where one
exists) or raises.  ``tests/test_bad_input.py`` runs every case;
``python tests/bad_input_cases.py`` prints the reStructuredText table of
``docs/user_guide/reliability.rst`` from the very same cases, so the page
shows the exact messages users see.
"""

import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.base import clone
from imblearn.under_sampling import RandomUnderSampler

from imgbalance import (
    AugmentationOverSampler,
    HOGTransformer,
    ImageFlattener,
    ImageReshaper,
    ImageResampler,
    make_resampling_search,
)
from imgbalance.augmentation import warp_affine
from imgbalance.datasets import load_idx, load_image_folder, make_long_tailed

RNG = np.random.default_rng(0)
IMAGES = RNG.integers(0, 256, size=(12, 8, 8), dtype=np.uint8)
LABELS = np.array([0] * 8 + [1] * 4)


def _estimators():
    return {
        "ImageFlattener": ImageFlattener(),
        "ImageReshaper": ImageReshaper(),
        "HOGTransformer": HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        "AugmentationOverSampler": AugmentationOverSampler(rotation_range=10, random_state=0),
        "ImageResampler(SMOTE)": ImageResampler(SMOTE(k_neighbors=2, random_state=0)),
        "ImageResampler(RandomUnderSampler)": ImageResampler(RandomUnderSampler(random_state=0)),
    }


def run(est, X, y=LABELS):
    """fit_resample for samplers, fit_transform for transformers."""
    if hasattr(est, "fit_resample"):
        return est.fit_resample(X, y)
    return est.fit_transform(X, y)


def _with(X, index, value, dtype=float):
    X = X.astype(dtype)
    X[index] = value
    return X


def _memmap(tmp_dir):
    path = tmp_dir / "images.mmap"
    mm = np.memmap(path, dtype=np.uint8, mode="w+", shape=IMAGES.shape)
    mm[:] = IMAGES
    mm.flush()
    return np.memmap(path, dtype=np.uint8, mode="r", shape=IMAGES.shape)


def _readonly():
    X = IMAGES.copy()
    X.flags.writeable = False
    return X


# Layouts and memory kinds that must give exactly the result of the clean,
# C-contiguous uint8 IMAGES.
EQUIVALENT_INPUTS = {
    "non-contiguous (strided view)": lambda tmp: np.repeat(IMAGES, 2, axis=2)[:, :, ::2],
    "Fortran-ordered": lambda tmp: np.asfortranarray(IMAGES),
    "read-only": lambda tmp: _readonly(),
    "memory-mapped (as joblib hands to workers)": _memmap,
    "big-endian integers (>u2)": lambda tmp: IMAGES.astype(">u2"),
    "list of lists": lambda tmp: IMAGES.tolist(),
}

def error_cases():
    """Cases run on every estimator: ``{case: (X, y)}`` (or a parameter value)."""
    return {
        "1-D X": (IMAGES[0, 0], LABELS[:8]),
        "5-D X": (IMAGES[:, :, :, None, None], LABELS),
        "empty X": (IMAGES[:0], LABELS[:0]),
        "NaN in X": (_with(IMAGES, (3, 2, 1), np.nan), LABELS),
        "inf in X": (_with(IMAGES, (3, 2, 1), np.inf), LABELS),
        "string array": (IMAGES.astype(str), LABELS),
        "complex array": (IMAGES.astype(complex), LABELS),
        "object array of dicts": (np.array([[{"a": 1}] * 8] * 12, dtype=object), LABELS),
        "y of another length": (IMAGES, LABELS[:-1]),
        "bool images": (IMAGES > 100, LABELS),
        "ragged list of images": ([*IMAGES[:11], IMAGES[11, :7]], LABELS),
        "image_shape inconsistent with X": ("image_shape", (7, 7)),
    }


def _file(tmp_dir, name, data):
    path = tmp_dir / name
    path.write_bytes(data)
    return path


def estimator_specific_cases(tmp_dir):
    """(target, case, call) rows that only make sense for one estimator or function."""
    tiny = IMAGES[:, :5, :5]
    rows = [
        ("HOGTransformer", "images smaller than one HOG block",
         lambda: HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)).fit(tiny)),
        ("HOGTransformer", "transform_sqrt with negative pixels",
         lambda: HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(1, 1), transform_sqrt=True).fit(IMAGES.astype(float) - 128)),
        ("HOGTransformer", "pixels_per_cell=(0, 4)",
         lambda: HOGTransformer(pixels_per_cell=(0, 4)).fit(IMAGES)),
        ("HOGTransformer", "n_jobs=1000 (very large)",
         lambda: HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(1, 1), n_jobs=1000, chunk_size=5).fit_transform(IMAGES)),
        ("AugmentationOverSampler", "rotation_range=-10",
         lambda: AugmentationOverSampler(rotation_range=-10).fit_resample(IMAGES, LABELS)),
        ("AugmentationOverSampler", "rotation_range=400",
         lambda: AugmentationOverSampler(rotation_range=400).fit_resample(IMAGES, LABELS)),
        ("AugmentationOverSampler", "zoom_range=(0.0, 1.1) (low end of a pair <= 0)",
         lambda: AugmentationOverSampler(zoom_range=(0.0, 1.1)).fit_resample(IMAGES, LABELS)),
        ("AugmentationOverSampler", "zoom_range=1.5 (scalar >= 1)",
         lambda: AugmentationOverSampler(zoom_range=1.5).fit_resample(IMAGES, LABELS)),
        ("AugmentationOverSampler", "brightness_range=(1.2, 0.8)",
         lambda: AugmentationOverSampler(brightness_range=(1.2, 0.8)).fit_resample(IMAGES, LABELS)),
        ("AugmentationOverSampler", "a single class",
         lambda: AugmentationOverSampler().fit_resample(IMAGES, np.zeros(12))),
        ("AugmentationOverSampler", "a class with one sample",
         lambda: AugmentationOverSampler(rotation_range=10, random_state=0).fit_resample(IMAGES, np.r_[np.zeros(11), 1])),
        ("AugmentationOverSampler", "uint8 brightness beyond 255",
         lambda: AugmentationOverSampler(brightness_range=(3.0, 4.0), random_state=0).fit_resample(IMAGES, LABELS)),
        ("AugmentationOverSampler", "n_jobs=1000 (very large)",
         lambda: AugmentationOverSampler(rotation_range=10, random_state=0, n_jobs=1000).fit_resample(IMAGES, LABELS)),
        ("ImageResampler(SMOTE)", "a class with one sample",
         lambda: ImageResampler(SMOTE(random_state=0)).fit_resample(IMAGES, np.r_[np.zeros(11), 1])),
        ("ImageResampler(SMOTE)", "a single class",
         lambda: ImageResampler(SMOTE()).fit_resample(IMAGES, np.zeros(12))),
        ("ImageResampler", "sampler without fit_resample",
         lambda: ImageResampler(sampler=HOGTransformer()).fit_resample(IMAGES, LABELS)),
        ("warp_affine", "matrices of another count",
         lambda: warp_affine(IMAGES, np.stack([np.eye(3)] * 11))),
        ("warp_affine", "matrices of shape (n, 3, 2)",
         lambda: warp_affine(IMAGES, np.zeros((12, 3, 2)))),
        ("warp_affine", "non-finite matrices",
         lambda: warp_affine(IMAGES, np.full((12, 3, 3), np.nan))),
        ("warp_affine", "order=3",
         lambda: warp_affine(IMAGES, np.stack([np.eye(3)] * 12), order=3)),
        ("warp_affine", "2-D images (one image, no batch axis)",
         lambda: warp_affine(IMAGES[0], np.eye(3)[None])),
        ("warp_affine", "uint8 cval=300 (beyond the dtype)",
         lambda: warp_affine(IMAGES, np.stack([np.diag([1.0, 1.0, 1.0])] * 12) + np.array([[0, 0, 100], [0, 0, 0], [0, 0, 0]]), mode="constant", cval=300)),
        ("make_resampling_search", "unknown strategy",
         lambda: make_resampling_search(["smote", "magic"])),
        ("make_resampling_search", "features='sift'",
         lambda: make_resampling_search(features="sift")),
        ("make_resampling_search", "augmentation as a dict of ranges",
         lambda: make_resampling_search(augmentation={"rotation_range": 10})),
        ("make_resampling_search", "a strategy listed twice",
         lambda: make_resampling_search(["none", "smote", "none"])),
        ("make_long_tailed", "imbalance_ratio=0.5",
         lambda: make_long_tailed(IMAGES, LABELS, imbalance_ratio=0.5)),
        ("make_long_tailed", "y of another length",
         lambda: make_long_tailed(IMAGES, LABELS[:-1])),
        ("load_idx", "file with a bad magic number",
         lambda: load_idx(_file(tmp_dir, "bad.idx", b"\x01\x02\x08\x01" + b"\x00" * 8))),
        ("load_idx", "declared size larger than the file",
         lambda: load_idx(_file(tmp_dir, "short.idx", b"\x00\x00\x08\x01\x00\x00\x00\x10" + b"\x00" * 3))),
        ("load_image_folder", "missing folder",
         lambda: load_image_folder(tmp_dir / "no-such-folder")),
    ]
    return rows


def _first_line(exc):
    return str(exc).splitlines()[0] if str(exc) else ""


def describe(call, tmp_dir=None):
    """What a user sees: 'works' or 'ExcType: first line of the message'.

    The temporary directory of file cases is shown as ``/data``.
    """
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - reporting any outcome is the point
        message = _first_line(exc)
        if tmp_dir is not None:
            message = message.replace(str(tmp_dir), "/data")
        return f"{type(exc).__name__}: {message}"
    return "works"


def rows(tmp_dir):
    """Every case of the matrix as (target, case, outcome)."""
    out = []
    for name, est in _estimators().items():
        for case, (X, y) in error_cases().items():
            if isinstance(X, str):  # a parameter, not an input
                call = (lambda est=est, shape=y: run(
                    clone(est).set_params(image_shape=shape), IMAGES.reshape(12, -1)))
            else:
                call = (lambda est=est, X=X, y=y: run(clone(est), X, y))
            out.append((name, case, describe(call)))
        for case, make in EQUIVALENT_INPUTS.items():
            out.append((name, case, describe(lambda est=est, make=make: run(clone(est), make(tmp_dir)))))
    for target, case, call in estimator_specific_cases(tmp_dir):
        out.append((target, case, describe(call, tmp_dir)))
    return out


def rst_table(table_rows):
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 20 25 55",
        "",
        "   * - estimator / function",
        "     - input",
        "     - what happens",
    ]
    for target, case, outcome in table_rows:
        outcome = outcome.replace("`", "'")
        lines += [f"   * - ``{target}``", f"     - {case}", f"     - ``{outcome}``" if outcome != "works" else "     - works"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        print(rst_table(rows(Path(tmp))))
