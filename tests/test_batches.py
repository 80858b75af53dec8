"""BalancedBatches: class counts, fresh and reproducible epochs, lazy reading, layout."""

from collections import Counter

import numpy as np
import pytest
from imblearn.combine import SMOTEENN
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from PIL import Image
from sklearn.base import clone

from imgbalance import AugmentationOverSampler, ImageResampler
from imgbalance.exceptions import ChannelsFirstWarning
from imgbalance.batches import BalancedBatches
from imgbalance.datasets import ImageFolderSource
from imgbalance.feature_extraction import ImageLayout

COUNTS = {0: 60, 1: 25, 2: 9}


def _data(seed=0, shape=(8, 8)):
    rng = np.random.default_rng(seed)
    y = np.repeat(list(COUNTS), list(COUNTS.values()))
    X = rng.integers(0, 256, size=(len(y), *shape), dtype=np.uint8)
    X[:, :4, :4] = (y * 80)[:, None, None]  # a class-dependent patch: neighbours stay in class
    return X, y


def _all(batches, epoch):
    Xs, ys = zip(*batches.epoch(epoch))
    return np.concatenate(Xs), np.concatenate(ys)


def _keys(images):
    return Counter(image.tobytes() for image in images)


# sampler, the counts its sampling_strategy asks for (None: whatever it decides)
SAMPLERS = {
    "default": (None, {0: 60, 1: 60, 2: 60}),
    "over_dict": (RandomOverSampler(sampling_strategy={1: 40, 2: 30}), {0: 60, 1: 40, 2: 30}),
    "under": (RandomUnderSampler(), {0: 9, 1: 9, 2: 9}),
    "augment": (AugmentationOverSampler(rotation_range=20, sampling_strategy={1: 60, 2: 45}),
                {0: 60, 1: 60, 2: 45}),
    "smote": (ImageResampler(SMOTE(k_neighbors=3)), {0: 60, 1: 60, 2: 60}),
    "smote_unwrapped": (SMOTE(k_neighbors=3), {0: 60, 1: 60, 2: 60}),
    "wrapped_under": (ImageResampler(RandomUnderSampler(sampling_strategy={0: 30})),
                      {0: 30, 1: 25, 2: 9}),
    "adasyn": (ImageResampler(ADASYN(n_neighbors=3)), None),
    "smoteenn": (SMOTEENN(smote=SMOTE(k_neighbors=3)), None),
}


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_epoch_counts_follow_the_sampler(name):
    X, y = _data()
    sampler, expected = SAMPLERS[name]
    batches = BalancedBatches(X, y, sampler=sampler, batch_size=16, random_state=3)
    for epoch in (0, 1):
        X_epoch, y_epoch = _all(batches, epoch)
        counts = expected
        if counts is None:  # ADASYN, SMOTEENN: the sampler's own resample, same seed
            reference = clone(sampler if isinstance(sampler, ImageResampler)
                              else ImageResampler(sampler))
            seeds = _seeded_params(batches, epoch)
            _, y_ref = reference.set_params(**seeds).fit_resample(X, y)
            counts = dict(Counter(y_ref.tolist()))
        assert dict(Counter(y_epoch.tolist())) == counts
        assert X_epoch.shape == (len(y_epoch), 8, 8, 1) and X_epoch.dtype == np.uint8
        assert batches.n_batches(epoch) == -(-len(y_epoch) // 16)
        if name in ("augment", "smote", "adasyn"):  # the created images are in the batches
            originals = _keys(X[..., None])
            n_new = sum(1 for image in X_epoch if image.tobytes() not in originals)
            assert n_new >= 0.9 * (len(y_epoch) - len(y))


def _seeded_params(batches, epoch):
    """The random_state values the epoch's sampler got (read from a seeded clone)."""
    from imgbalance.batches._plan import _seeded

    seeded = _seeded(batches._planner, batches.seed_, epoch)
    return {k: v for k, v in seeded.get_params(deep=True).items() if k.endswith("random_state")}


@pytest.mark.parametrize("sampler", [None, AugmentationOverSampler(horizontal_flip=True)])
def test_no_original_lost_and_new_images_come_from_their_class(sampler):
    X, y = _data()
    batches = BalancedBatches(X, y, sampler=sampler, batch_size=7, random_state=0)
    X_epoch, y_epoch = _all(batches, 0)
    X_epoch = X_epoch[..., 0]
    seen = _keys(X_epoch)
    assert all(seen[image.tobytes()] >= 1 for image in X)
    # every image is an original of its class or (augment) its left-right flip
    by_class = {k: _keys(X[y == k]) | _keys(X[y == k][:, :, ::-1]) for k in COUNTS}
    assert all(image.tobytes() in by_class[label] for image, label in zip(X_epoch, y_epoch))
    if sampler is not None:
        flipped = _keys(X[:, :, ::-1])
        assert sum(image.tobytes() in flipped for image in X_epoch) > 10


def test_epochs_differ_and_repeat_for_the_same_seed():
    X, y = _data()
    sampler = AugmentationOverSampler(rotation_range=30, zoom_range=0.2)
    kwargs = dict(sampler=sampler, batch_size=10, augmentation={"width_shift_range": 0.2},
                  dtype="float32", random_state=11)
    a, b = BalancedBatches(X, y, **kwargs), BalancedBatches(X, y, **kwargs)
    # batches in any order (as DataLoader workers ask for them) are the same
    for index in reversed(range(len(b))):
        Xa, ya = a.batch(2, index)
        Xb, yb = b.batch(2, index)
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)
    X1, y1 = _all(a, 1)
    X2, y2 = _all(a, 2)
    assert not np.array_equal(y1, y2)  # a new shuffle
    assert not np.array_equal(np.sort(X1.ravel()), np.sort(X2.ravel()))  # new images
    other = BalancedBatches(X, y, **{**kwargs, "random_state": 12})
    assert not np.array_equal(_all(other, 2)[0], X2)


def test_batches_mix_the_classes_and_iterating_gives_successive_epochs():
    X, y = _data()
    batches = BalancedBatches(X, y, batch_size=30, random_state=0)
    n = len(batches)
    assert n == 6
    for X_batch, y_batch in batches.epoch(0):
        assert len(set(y_batch.tolist())) >= 2
    stream = iter(batches)
    first_two = [next(stream) for _ in range(2 * n)]
    for got, want in zip(first_two, list(batches.epoch(0)) + list(batches.epoch(1))):
        np.testing.assert_array_equal(got[0], want[0])
    unshuffled = BalancedBatches(X, y, batch_size=30, shuffle=False, random_state=0)
    assert len(set(next(iter(unshuffled.epoch(0)))[1].tolist())) == 1


class _CountingArray:
    """An h5py-like dataset: integer-array indexing, increasing indices only."""

    def __init__(self, X):
        self._X, self.shape, self.dtype, self.rows_read = X, X.shape, X.dtype, 0

    def __len__(self):
        return len(self._X)

    def __getitem__(self, rows):
        rows = np.asarray(rows)
        assert np.all(np.diff(rows) > 0), "h5py wants increasing, distinct indices"
        self.rows_read += rows.size
        return self._X[rows]


@pytest.mark.parametrize("sampler", [None, RandomUnderSampler(),
                                     AugmentationOverSampler(rotation_range=10)])
def test_only_the_batch_is_read(sampler):
    X, y = _data()
    source = _CountingArray(X)
    batches = BalancedBatches(source, y, sampler=sampler, batch_size=8, random_state=0)
    X_batch, _ = batches.batch(0, 1)
    assert 0 < source.rows_read <= 8
    reference = BalancedBatches(X, y, sampler=sampler, batch_size=8, random_state=0)
    np.testing.assert_array_equal(X_batch, reference.batch(0, 1)[0])


def test_whole_set_samplers_read_everything_once_per_epoch():
    X, y = _data()
    source = _CountingArray(X)
    batches = BalancedBatches(source, y, sampler=SMOTE(k_neighbors=3), random_state=0)
    list(batches.epoch(0))
    assert source.rows_read == len(X)


def test_memmap(tmp_path):
    X, y = _data()
    path = tmp_path / "X.npy"
    np.save(path, X)
    mapped = np.load(path, mmap_mode="r")
    a = BalancedBatches(mapped, y, random_state=5, batch_size=9)
    b = BalancedBatches(X, y, random_state=5, batch_size=9)
    np.testing.assert_array_equal(_all(a, 1)[0], _all(b, 1)[0])


def test_lazy_folder_decodes_only_the_batch(tmp_path):
    X, y = _data(shape=(6, 5))
    for label in COUNTS:
        (tmp_path / f"class{label}").mkdir()
    for i, (image, label) in enumerate(zip(X, y)):
        Image.fromarray(image).save(tmp_path / f"class{label}" / f"{i:03d}.png")
    source = ImageFolderSource(tmp_path)
    assert source.shape == X.shape and source.n_decoded == 1  # the shape
    np.testing.assert_array_equal(source.targets, y)
    sampler = AugmentationOverSampler(rotation_range=10)
    batches = BalancedBatches(source, source.targets, sampler=sampler, batch_size=8,
                              random_state=0)
    X_batch, _ = batches.batch(0, 3)
    assert source.n_decoded == 1 + len(np.unique(batches.plan(0).rows[24:32]))
    in_memory = BalancedBatches(X, y, sampler=sampler, batch_size=8, random_state=0)
    np.testing.assert_array_equal(X_batch, in_memory.batch(0, 3)[0])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_layout_and_dtype_match_image_layout(data_format):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(40, 6, 7, 3), dtype=np.uint8)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    batches = BalancedBatches(X, y, data_format=data_format, dtype="float32", batch_size=60,
                              shuffle=False, random_state=0)
    X_batch, y_batch = batches.batch(0, 0)
    rows = batches.plan(0).rows
    expected = ImageLayout(data_format=data_format).fit_transform(X[rows])
    np.testing.assert_array_equal(X_batch, expected)
    np.testing.assert_allclose(X_batch, np.moveaxis(X[rows], -1, 1) / 255
                               if data_format == "channels_first" else X[rows] / 255,
                               rtol=1e-6)
    assert X_batch.dtype == np.float32 and X_batch.flags.c_contiguous


def test_every_image_augmentation():
    X, y = _data()
    plain = BalancedBatches(X, y, batch_size=200, random_state=0)
    shifted = BalancedBatches(X, y, batch_size=200, random_state=0,
                              augmentation={"width_shift_range": 0.3, "fill_mode": "constant"})
    Xp, yp = plain.batch(0, 0)
    Xs, ys = shifted.batch(0, 0)
    np.testing.assert_array_equal(yp, ys)
    changed = np.any(Xp != Xs, axis=(1, 2, 3))
    assert changed.mean() > 0.5


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(batch_size=0), ValueError, "'batch_size' parameter of BalancedBatches"),
    (dict(sampler=RandomOverSampler), TypeError, "'sampler' parameter"),
    (dict(sampler="smote"), TypeError, "'sampler' parameter"),
    (dict(data_format="NCHW"), ValueError, "'data_format' parameter"),
    (dict(dtype="not a dtype"), TypeError, "'dtype' parameter"),
    (dict(scale=-1), ValueError, "'scale' parameter"),
    (dict(random_state=-3), ValueError, "'random_state' parameter"),
    (dict(augmentation={"rotate": 10}), ValueError, r"unknown key\(s\) \['rotate'\]"),
    (dict(augmentation={"rotation_range": 400}), ValueError, "rotation_range"),
    (dict(augmentation=[("rotation_range", 4)]), TypeError, "'augmentation' parameter"),
])
def test_bad_parameters(kwargs, error, match):
    X, y = _data()
    with pytest.raises(error, match=match):
        BalancedBatches(X, y, **kwargs)


def test_bad_input():
    X, y = _data()
    with pytest.raises(ValueError, match=r"got shape \(94, 64\). Reshape flattened"):
        BalancedBatches(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match="one label per image"):
        BalancedBatches(X, y[:-1])
    with pytest.raises(TypeError, match="integer or floating pixels"):
        BalancedBatches(X > 3, y)
    with pytest.raises(TypeError, match="integer-array indexing"):
        BalancedBatches(object(), y)
    with pytest.warns(ChannelsFirstWarning, match=r"looks channels-first .* X.transpose\(0, 2, 3, 1\)"):
        BalancedBatches(X[:, None], y)
    batches = BalancedBatches(X, y, batch_size=50)
    with pytest.raises(IndexError, match="out of range for 4 batches"):
        batches.batch(0, 4)
    with pytest.raises(ValueError, match="epoch must be a non-negative int"):
        batches.plan(-1)
    X_before = X.copy()
    list(BalancedBatches(X, y, sampler=AugmentationOverSampler(rotation_range=5)).epoch(0))
    np.testing.assert_array_equal(X, X_before)


@pytest.mark.parametrize("sampler", [None, AugmentationOverSampler(rotation_range=10)])
def test_memory_beyond_X_is_a_batch(tmp_path, sampler):
    import tracemalloc

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [3000, 600, 100])
    path = tmp_path / "X.npy"
    np.save(path, rng.integers(0, 256, size=(len(y), 96, 96), dtype=np.uint8))
    X = np.load(path, mmap_mode="r")  # 34 MB on disk, not in memory
    batches = BalancedBatches(X, y, sampler=sampler, batch_size=8, dtype="float32",
                              random_state=0)
    tracemalloc.start()
    try:
        for index in (0, 500, 1000):
            batches.batch(1, index)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # measured: 1.2 MB (copies) and 5.7 MB (the warp kernel's work buffers for 8 images of
    # 96 x 96, the sampler's fit on (n, 1, 1) placeholders), whatever the pixels of X
    assert peak < 0.25 * X.nbytes, peak


def test_image_folder_source_errors_slices_and_pickling(tmp_path):
    import pickle

    with pytest.raises(FileNotFoundError, match="does not exist or is not a folder"):
        ImageFolderSource(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no class subfolder"):
        ImageFolderSource(tmp_path)
    for label in ("a", "b"):
        (tmp_path / label).mkdir()
        for i in range(3):
            Image.fromarray(np.full((4, 4), 10 * i, np.uint8)).save(tmp_path / label / f"{i}.png")
    (tmp_path / "b" / "3.png").write_bytes(b"not an image")
    Image.fromarray(np.zeros((5, 5), np.uint8)).save(tmp_path / "a" / "9.png")
    source = ImageFolderSource(tmp_path)
    assert source.shape == (8, 4, 4) and source.class_names == ["a", "b"]
    np.testing.assert_array_equal(source[1:3][:, 0, 0], [10, 20])
    with pytest.raises(ValueError, match=r"9.png' has shape \(5, 5\).*image_size"):
        source[3]
    with pytest.raises(ValueError, match="3.png' is not an image Pillow can open"):
        source[np.array([7])]
    with pytest.raises(IndexError, match="out of range for 8 images"):
        source[np.array([8])]
    resized = ImageFolderSource(tmp_path, image_size=(2, 3), extensions=[".png"])
    assert resized[np.array([3])].shape == (1, 2, 3)
    copy = pickle.loads(pickle.dumps(resized))  # DataLoader worker processes
    np.testing.assert_array_equal(copy[np.arange(3)], resized[np.arange(3)])


def test_importing_imgbalance_imports_no_deep_learning_framework():
    import subprocess
    import sys

    code = (
        "import sys, imgbalance, imgbalance.batches, imgbalance.feature_extraction, "
        "imgbalance.datasets; "
        "print(sorted({'torch', 'keras', 'skorch', 'tensorflow', 'jax'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_invalid_augmentation_is_reported_as_balanced_batches():
    X = np.zeros((30, 8, 8), dtype=np.uint8)
    y = np.r_[np.zeros(25, int), np.ones(5, int)]
    with pytest.raises(ValueError, match=r"'augmentation' parameter of BalancedBatches.*rotation_range"):
        BalancedBatches(X, y, augmentation={"rotation_range": -5}, random_state=0).epoch(0)


def test_a_sampler_error_names_the_smallest_class_and_the_fix():
    X = np.random.default_rng(0).random((24, 4, 4))
    y = np.r_[[0] * 20, [1] * 4]
    batches = BalancedBatches(X, y, sampler=SMOTE(), batch_size=8, random_state=0)
    with pytest.raises(ValueError) as caught:
        next(iter(batches.epoch(0)))
    if hasattr(caught.value, "add_note"):  # notes: Python 3.11+
        notes = "\n".join(caught.value.__notes__)
        assert "smallest class, 1, has 4 image(s)" in notes and "AdaptiveSMOTE" in notes
    labels = np.array(["cat"] * 20 + ["dog"] * 4, dtype=object)  # str labels: the same note
    batches = BalancedBatches(X, labels, sampler=SMOTE(), batch_size=8, random_state=0)
    with pytest.raises(ValueError, match="n_neighbors") as caught:
        next(iter(batches.epoch(0)))
    if hasattr(caught.value, "add_note"):
        assert "smallest class, 'dog', has 4 image(s)" in caught.value.__notes__[-1]
