import functools
import gzip
import hashlib
import http.server
import math
import os
import struct
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imgbalance.datasets import (
    LongTailWarning,
    fetch_fashion_mnist,
    load_fashion_mnist,
    load_idx,
    load_image_folder,
    make_long_tailed,
)
from imgbalance.datasets import _fashion_mnist

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")

# --------------------------------------------------------------------------
# helpers


def _save(path, array, fmt=None, **kwargs):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, format=fmt, **kwargs)
    return path


def _make_folder(root, *, shape=(6, 5, 3), classes=("dog", "cat", "bird"), n=2):
    """Class folders of flat-colour PNG images; pixel value encodes (class, i)."""
    for c, name in enumerate(classes):
        for i in range(n):
            value = 10 * (c + 1) + i
            _save(root / name / f"img{i}.png", np.full(shape, value, dtype=np.uint8))
    return root


_IDX_CODES = {
    np.uint8: 0x08,
    np.int8: 0x09,
    np.int16: 0x0B,
    np.int32: 0x0C,
    np.float32: 0x0D,
    np.float64: 0x0E,
}


def _idx_bytes(array, type_code=None):
    """Independent IDX writer: magic, big-endian dims, big-endian data."""
    array = np.asarray(array)
    code = _IDX_CODES[array.dtype.type] if type_code is None else type_code
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_idx(path, array, *, compress=False):
    data = _idx_bytes(array) if not isinstance(array, bytes) else array
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def _write_fake_fashion(directory, kind="train", n=5, seed=0):
    """Tiny Fashion-MNIST-like IDX gz files; returns (X, y)."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, size=n).astype(np.uint8)
    prefix = "train" if kind == "train" else "t10k"
    directory.mkdir(parents=True, exist_ok=True)
    _write_idx(directory / f"{prefix}-images-idx3-ubyte.gz", X, compress=True)
    _write_idx(directory / f"{prefix}-labels-idx1-ubyte.gz", y, compress=True)
    return X, y.astype(np.int64)


# --------------------------------------------------------------------------
# load_image_folder


def test_folder_grayscale_classes_sorted_and_order(tmp_path):
    _make_folder(tmp_path)
    X, y, class_names = load_image_folder(tmp_path)
    assert class_names == ["bird", "cat", "dog"]
    assert X.shape == (6, 6, 5) and X.dtype == np.uint8
    assert y.dtype == np.int64
    np.testing.assert_array_equal(y, [0, 0, 1, 1, 2, 2])
    # grayscale of a flat grey RGB image is that grey value (Pillow "L")
    np.testing.assert_array_equal(X[:, 0, 0], [30, 31, 20, 21, 10, 11])
    assert np.all(X == X[:, :1, :1])


def test_folder_rgb_and_jpeg(tmp_path):
    rgb = np.zeros((8, 8, 3), dtype=np.uint8)
    rgb[..., 0] = 200
    rgb[..., 2] = 40
    _save(tmp_path / "a" / "x.jpg", rgb, quality=95)
    _save(tmp_path / "b" / "y.png", rgb)
    X, y, names = load_image_folder(tmp_path, color_mode="rgb")
    assert X.shape == (2, 8, 8, 3) and X.dtype == np.uint8
    assert names == ["a", "b"]
    np.testing.assert_array_equal(X[1], rgb)
    assert np.abs(X[0].astype(int) - rgb).max() <= 3  # lossy JPEG
    # grayscale mode matches Pillow's own conversion
    Xg, _, _ = load_image_folder(tmp_path, color_mode="grayscale")
    expected = np.asarray(Image.fromarray(rgb).convert("L"))
    np.testing.assert_array_equal(Xg[1], expected)


def test_folder_resize(tmp_path):
    _save(tmp_path / "a" / "small.png", np.full((4, 6), 7, dtype=np.uint8))
    checker = np.indices((10, 20)).sum(axis=0) % 2 * 255
    _save(tmp_path / "b" / "big.png", checker.astype(np.uint8))
    X, y, _ = load_image_folder(tmp_path, image_size=(5, 10), interpolation="nearest")
    assert X.shape == (2, 5, 10)
    assert np.all(X[0] == 7)
    reference = Image.fromarray(checker.astype(np.uint8)).resize(
        (10, 5), resample=Image.Resampling.NEAREST
    )
    np.testing.assert_array_equal(X[1], np.asarray(reference))
    Xc, _, _ = load_image_folder(tmp_path, image_size=[5, 10], color_mode="rgb")
    assert Xc.shape == (2, 5, 10, 3)


def test_folder_deterministic_order_recursive_and_n_jobs(tmp_path):
    # created in non-sorted order, one in a nested folder
    for name, value in [("b.png", 2), ("c.png", 3), ("a.png", 1), ("sub/0.png", 4)]:
        _save(tmp_path / "k" / name, np.full((3, 3), value, dtype=np.uint8))
    _save(tmp_path / "j" / "z.png", np.full((3, 3), 9, dtype=np.uint8))
    X1, y1, names = load_image_folder(tmp_path, n_jobs=1)
    X2, y2, _ = load_image_folder(tmp_path, n_jobs=2)
    assert names == ["j", "k"]
    np.testing.assert_array_equal(X1[:, 0, 0], [9, 1, 2, 3, 4])
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_folder_extensions_filter(tmp_path):
    _make_folder(tmp_path, classes=("a",), n=1)
    (tmp_path / "a" / "notes.txt").write_text("not an image")
    X, _, _ = load_image_folder(tmp_path, extensions=["PNG"])
    assert X.shape[0] == 1
    with pytest.raises(ValueError, match="notes.txt"):
        load_image_folder(tmp_path)


def test_folder_other_formats_and_eps_refused(tmp_path):
    image = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    for fmt in ("BMP", "GIF", "TIFF", "WEBP"):
        _save(tmp_path / "a" / f"img.{fmt.lower()}", image, fmt=fmt, **(
            {"lossless": True} if fmt == "WEBP" else {}))
    X, _, _ = load_image_folder(tmp_path)
    assert X.shape == (4, 3, 4)
    for x in X:
        np.testing.assert_array_equal(x, image)
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 4 3\n0 0 moveto\n%%EOF\n"
    (tmp_path / "a" / "vector.eps").write_bytes(eps)
    with pytest.raises(ValueError, match=r"vector\.eps.*not an image"):
        load_image_folder(tmp_path)


def test_folder_16_bit_grayscale_scaled(tmp_path):
    _save(tmp_path / "a" / "deep.png", np.full((2, 2), 0xABCD, dtype=np.uint16))
    X, _, _ = load_image_folder(tmp_path)
    assert np.all(X == 0xAB)


def test_folder_16_bit_images_opened_as_mode_i_are_scaled_too(tmp_path):
    # Pillow opens 16-bit PGM (and, before 10.3, 16-bit PNG) as mode "I":
    # convert("L") clipped every value above 255 to 255
    values = (np.arange(64).reshape(8, 8) * 1000).astype(np.uint16)
    path = tmp_path / "a" / "x.pgm"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"P5\n8 8\n65535\n" + values.astype(">u2").tobytes())
    with Image.open(path) as im:
        assert im.mode == "I"  # the case under test
    X, _, _ = load_image_folder(tmp_path)
    np.testing.assert_array_equal(X[0], values >> 8)


def test_folder_refuses_images_without_an_8_bit_scale(tmp_path):
    ramp = np.arange(64, dtype=np.float64).reshape(8, 8) / 63
    _save(tmp_path / "a" / "float.tif", ramp.astype(np.float32), "TIFF")
    with pytest.raises(ValueError, match=r"float\.tif.*floating-point pixels.*mode 'F'"):
        load_image_folder(tmp_path)
    (tmp_path / "a" / "float.tif").unlink()
    _save(tmp_path / "a" / "wide.tif", (ramp * 2**20).astype(np.int32), "TIFF")
    with pytest.raises(ValueError, match=r"wide\.tif.*32-bit integer pixels beyond the "
                                         r"8-bit range \(0 to 1048576\)"):
        load_image_folder(tmp_path)


def test_folder_32_bit_images_of_8_bit_values_load_as_they_are(tmp_path):
    values = np.arange(64, dtype=np.int32).reshape(8, 8) * 4
    _save(tmp_path / "a" / "wide.tif", values, "TIFF")
    with Image.open(tmp_path / "a" / "wide.tif") as im:
        assert im.mode == "I"
    X, _, _ = load_image_folder(tmp_path)
    np.testing.assert_array_equal(X[0], values)


def test_folder_missing_path_and_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_image_folder(tmp_path / "nope")
    f = tmp_path / "file.png"
    f.write_bytes(b"x")
    with pytest.raises(ValueError, match="not a directory"):
        load_image_folder(f)


def test_folder_empty_and_no_class_dirs(tmp_path):
    with pytest.raises(ValueError, match="no class subfolder"):
        load_image_folder(tmp_path)
    _save(tmp_path / "loose.png", np.zeros((2, 2), dtype=np.uint8))
    (tmp_path / ".hidden").mkdir()
    with pytest.raises(ValueError, match="no class subfolder"):
        load_image_folder(tmp_path)
    (tmp_path / "empty_class").mkdir()
    with pytest.raises(ValueError, match="empty_class.*holds no file"):
        load_image_folder(tmp_path)


def test_folder_corrupt_and_non_image_raise_naming_file(tmp_path):
    _make_folder(tmp_path, classes=("a",), n=2)
    good = (tmp_path / "a" / "img0.png").read_bytes()
    (tmp_path / "a" / "broken.png").write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match=r"broken\.png.*corrupt"):
        load_image_folder(tmp_path)
    (tmp_path / "a" / "broken.png").unlink()
    (tmp_path / "a" / "data.csv").write_text("1,2,3\n")
    with pytest.raises(ValueError, match=r"data\.csv.*not an image"):
        load_image_folder(tmp_path)


def test_folder_skip_mode_warns(tmp_path):
    _make_folder(tmp_path, classes=("a", "b"), n=2)
    (tmp_path / "a" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    (tmp_path / "b" / "readme.txt").write_text("hello")
    with pytest.warns(UserWarning, match=r"Skipped 2 file.*broken\.png.*readme\.txt"):
        X, y, names = load_image_folder(tmp_path, on_error="skip", n_jobs=2)
    assert X.shape[0] == 4
    np.testing.assert_array_equal(y, [0, 0, 1, 1])
    np.testing.assert_array_equal(X[:, 0, 0], [10, 11, 20, 21])


def test_folder_all_files_fail_in_skip_mode(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.png").write_bytes(b"nope")
    with pytest.warns(UserWarning, match="Skipped 1"):
        with pytest.raises(ValueError, match="No image"):
            load_image_folder(tmp_path, on_error="skip")


def test_folder_symlinks_outside_root_not_followed(tmp_path):
    root = tmp_path / "root"
    _make_folder(root, classes=("a",), n=1)
    outside = tmp_path / "outside"
    _save(outside / "secret.png", np.full((6, 5), 99, dtype=np.uint8))
    try:
        os.symlink(outside / "secret.png", root / "a" / "link.png")
        os.symlink(outside, root / "b", target_is_directory=True)
        # a link inside the root is followed
        os.symlink(root / "a" / "img0.png", root / "a" / "same.png")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not supported here")
    with pytest.warns(UserWarning, match="symbolic link.*outside") as record:
        X, y, names = load_image_folder(root)
    assert names == ["a"]
    assert X.shape[0] == 2 and not np.any(X == 99)
    assert any("link.png" in str(w.message) for w in record)
    assert any("'" + str(root / "b") + "'" in str(w.message) for w in record)


def test_folder_links_never_give_an_image_two_labels(tmp_path):
    # a link from one class to the root walked every class (and the files
    # of the root) again under that class's label
    root = tmp_path / "root"
    _save(root / "cat" / "c.png", np.full((2, 2), 10, dtype=np.uint8))
    _save(root / "dog" / "d.png", np.full((2, 2), 20, dtype=np.uint8))
    _save(root / "stray.png", np.full((2, 2), 99, dtype=np.uint8))
    _save(root / "cat" / "sub" / "s.png", np.full((2, 2), 30, dtype=np.uint8))
    _save(root / ".pool" / "p.png", np.full((2, 2), 40, dtype=np.uint8))
    try:
        os.symlink(root, root / "cat" / "up", target_is_directory=True)
        os.symlink(root / "dog" / "d.png", root / "cat" / "borrowed.png")
        os.symlink(root / "cat", root / "kitty", target_is_directory=True)
        os.symlink(root, root / "everything", target_is_directory=True)
        os.symlink(root / "cat" / "sub", root / "cat" / "again", target_is_directory=True)
        os.symlink(root / ".pool" / "p.png", root / "dog" / "pooled.png")  # followed
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not supported here")
    with pytest.warns(UserWarning, match=r"Ignored 4 symbolic link\(s\) leading outside "
                                         r".*into another class folder") as record:
        X, y, names = load_image_folder(root)
    assert names == ["cat", "dog"]
    # cat: again/s.png (a link inside the class, followed: sub/ is then the
    # same directory, walked once), c.png; dog: d.png, pooled.png
    assert X[:, 0, 0].tolist() == [30, 10, 20, 40] and y.tolist() == [0, 0, 1, 1]
    message = str(record[0].message)
    assert all(name in message for name in ("up'", "borrowed.png", "kitty", "everything"))


def test_folder_class_of_ignored_links_says_so(tmp_path):
    root = tmp_path / "root"
    _save(root / "dog" / "d.png", np.full((2, 2), 20, dtype=np.uint8))
    try:
        (root / "cat").mkdir()
        os.symlink(root / "dog" / "d.png", root / "cat" / "borrowed.png")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not supported here")
    with pytest.raises(ValueError, match=r"'.*cat' holds no file \(1 symbolic link\(s\) in "
                                         r"it were ignored.*another class folder\)"):
        load_image_folder(root)


def test_folder_hidden_entries_ignored(tmp_path):
    _make_folder(tmp_path, classes=("a",), n=1)
    (tmp_path / "a" / ".DS_Store").write_bytes(b"\x00junk")
    (tmp_path / "a" / ".cache").mkdir()
    (tmp_path / "a" / ".cache" / "x.png").write_bytes(b"junk")
    _save(tmp_path / ".git" / "y.png", np.zeros((6, 5), dtype=np.uint8))
    X, y, names = load_image_folder(tmp_path)
    assert names == ["a"] and X.shape == (1, 6, 5)


def test_folder_mixed_sizes_need_image_size(tmp_path):
    _save(tmp_path / "a" / "one.png", np.zeros((4, 4), dtype=np.uint8))
    _save(tmp_path / "b" / "two.png", np.zeros((5, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"one\.png.*4x4.*two\.png.*5x4.*image_size"):
        load_image_folder(tmp_path)
    X, _, _ = load_image_folder(tmp_path, image_size=(3, 3))
    assert X.shape == (2, 3, 3)


@pytest.mark.parametrize("limit", [300, 100])  # our check, and Pillow's own error (> 2x)
def test_folder_decompression_bomb_refused(tmp_path, monkeypatch, limit):
    _save(tmp_path / "a" / "bomb.png", np.zeros((20, 20), dtype=np.uint8))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Pillow warning leaks either
        with pytest.raises(ValueError, match=r"bomb\.png.*decompression bomb"):
            load_image_folder(tmp_path, n_jobs=2)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 400)
    X, _, _ = load_image_folder(tmp_path)
    assert X.shape == (1, 20, 20)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"image_size": 28}, TypeError, "image_size"),
        ({"image_size": (0, 4)}, ValueError, "image_size"),
        ({"image_size": (2.0, 4)}, TypeError, "image_size"),
        ({"color_mode": "RGB"}, ValueError, "color_mode"),
        ({"on_error": "ignore"}, ValueError, "on_error"),
        ({"interpolation": "cubic"}, ValueError, "interpolation"),
        ({"extensions": [3]}, TypeError, "extensions"),
    ],
)
def test_folder_parameter_validation(tmp_path, kwargs, error, match):
    _make_folder(tmp_path, classes=("a",), n=1)
    with pytest.raises(error, match=match):
        load_image_folder(tmp_path, **kwargs)
    with pytest.raises(TypeError, match="path"):
        load_image_folder(3)


# --------------------------------------------------------------------------
# load_idx


@pytest.mark.parametrize("dtype", list(_IDX_CODES))
@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path, dtype, compress):
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    if info is not None:
        array = rng.integers(info.min, info.max, size=(3, 4, 5), endpoint=True).astype(dtype)
    else:
        array = rng.standard_normal((3, 4, 5)).astype(dtype)
    # the file name does not matter: compression is detected from the content
    path = _write_idx(tmp_path / "data.idx", array, compress=compress)
    out = load_idx(path)
    assert out.dtype == np.dtype(dtype) and out.dtype.isnative
    np.testing.assert_array_equal(out, array)
    assert out.flags.writeable


@pytest.mark.parametrize("compress", [False, True])
def test_idx_shapes(tmp_path, compress):
    for shape in [(7,), (0,), (2, 0, 3), (1, 1, 1, 1, 2)]:
        array = np.arange(math.prod(shape), dtype=np.int32).reshape(shape)
        out = load_idx(_write_idx(tmp_path / "x", array, compress=compress))
        assert out.shape == shape
        np.testing.assert_array_equal(out, array)
    out = load_idx(str(tmp_path / "x"))  # str path
    assert out.shape == (1, 1, 1, 1, 2)


_GOOD = _idx_bytes(np.arange(6, dtype=np.uint8).reshape(2, 3))


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize(
    "data, match",
    [
        (b"\x01\x00" + _GOOD[2:], "invalid magic number"),
        (b"\x00\x07" + _GOOD[2:], "invalid magic number"),
        (b"\x00\x00\x0a" + _GOOD[3:], "unknown data type code 0x0A"),
        (b"\x00\x00\x08\x00", "0 dimensions"),
        (b"\x00\x00", "truncated"),
        (b"", "truncated"),
        (_GOOD[:10], "truncated in its header"),
        (_GOOD[:-1], r"truncated.*\(2, 3\).*6 data bytes.*5 data bytes"),
        (_GOOD + b"\x00", "trailing bytes"),
    ],
)
def test_idx_malformed(tmp_path, compress, data, match):
    path = tmp_path / "bad-idx"
    path.write_bytes(gzip.compress(data) if compress else data)
    with pytest.raises(ValueError, match=match) as excinfo:
        load_idx(path)
    assert "bad-idx" in str(excinfo.value)


@pytest.mark.parametrize("compress", [False, True])
def test_idx_forged_huge_header_does_not_allocate(tmp_path, compress):
    # declares 2**93 bytes; must fail on the size check, not with MemoryError
    data = bytes([0, 0, 0x0E, 3]) + struct.pack(">3I", *(2**30,) * 3) + b"\x00" * 64
    path = tmp_path / "huge"
    path.write_bytes(gzip.compress(data) if compress else data)
    with pytest.raises(ValueError, match="truncated"):
        load_idx(path)


def test_idx_truncated_and_corrupt_gzip(tmp_path):
    array = np.random.default_rng(0).integers(0, 256, size=(50, 28, 28), dtype=np.uint8)
    packed = gzip.compress(_idx_bytes(array))
    path = tmp_path / "cut.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ValueError, match=r"cut\.gz.*(truncated|gzip)"):
        load_idx(path)
    path.write_bytes(packed[:-4])  # data complete, gzip trailer cut
    with pytest.raises(ValueError, match=r"cut\.gz.*gzip"):
        load_idx(path)
    bad_crc = bytearray(packed)
    bad_crc[-8] ^= 0xFF
    path.write_bytes(bytes(bad_crc))
    with pytest.raises(ValueError, match=r"cut\.gz.*gzip"):
        load_idx(path)


def test_idx_missing_file_and_bad_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.idx"):
        load_idx(tmp_path / "missing.idx")
    with pytest.raises(ValueError, match="not a regular file"):
        load_idx(tmp_path)
    with pytest.raises(TypeError, match="path must be"):
        load_idx(42)


# --------------------------------------------------------------------------
# load_fashion_mnist


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No env var, no system copy, HOME (hence ~/.cache) inside tmp_path."""
    monkeypatch.delenv("IMGBALANCE_DATA", raising=False)
    monkeypatch.setattr(_fashion_mnist, "SYSTEM_DATA_DIR", tmp_path / "no-system")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.mark.parametrize("kind, n", [("train", 60000), ("test", 10000)])
def test_fashion_mnist_from_debian_location(monkeypatch, tmp_path, kind, n):
    if not (FASHION_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
    monkeypatch.delenv("IMGBALANCE_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    X, y = load_fashion_mnist(kind, download=False)
    assert X.shape == (n, 28, 28) and X.dtype == np.uint8
    assert y.shape == (n,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [n // 10] * 10)
    assert X.max() == 255 and X.min() == 0


def test_fashion_mnist_from_data_home_and_env_precedence(isolated, monkeypatch):
    home = isolated / "mine"
    env = isolated / "env"
    X_home, y_home = _write_fake_fashion(home, "test", n=3, seed=1)
    X_env, y_env = _write_fake_fashion(env, "test", n=4, seed=2)
    monkeypatch.setenv("IMGBALANCE_DATA", str(env))
    X, y = load_fashion_mnist("test", data_home=home, download=False)
    np.testing.assert_array_equal(X, X_home)
    np.testing.assert_array_equal(y, y_home)
    assert y.dtype == np.int64
    X, y = load_fashion_mnist("test", download=False)  # env before the system dir
    np.testing.assert_array_equal(X, X_env)
    # data_home without the files of this kind -> the env directory
    X, _ = load_fashion_mnist("test", data_home=isolated / "empty", download=False)
    np.testing.assert_array_equal(X, X_env)
    # env var beats the system location
    system = isolated / "system"
    _write_fake_fashion(system, "test", n=2, seed=3)
    monkeypatch.setattr(_fashion_mnist, "SYSTEM_DATA_DIR", system)
    X, _ = load_fashion_mnist("test", download=False)
    np.testing.assert_array_equal(X, X_env)
    monkeypatch.delenv("IMGBALANCE_DATA")
    X, _ = load_fashion_mnist("test", download=False)
    assert X.shape[0] == 2


def test_fashion_mnist_not_found_without_download(isolated):
    with pytest.raises(FileNotFoundError, match=r"t10k-images-idx3-ubyte\.gz.*download=True"):
        load_fashion_mnist("test", data_home=isolated / "dh", download=False)


def test_fashion_mnist_bad_content_and_params(isolated):
    d = isolated / "d"
    d.mkdir()
    _write_idx(d / "train-images-idx3-ubyte.gz", np.zeros((2, 28, 27), np.uint8), compress=True)
    _write_idx(d / "train-labels-idx1-ubyte.gz", np.zeros(2, np.uint8), compress=True)
    with pytest.raises(ValueError, match="train-images.*28, 28"):
        load_fashion_mnist(data_home=d, download=False)
    _write_idx(d / "train-images-idx3-ubyte.gz", np.zeros((2, 28, 28), np.uint8), compress=True)
    _write_idx(d / "train-labels-idx1-ubyte.gz", np.zeros(3, np.uint8), compress=True)
    with pytest.raises(ValueError, match="train-labels"):
        load_fashion_mnist(data_home=d, download=False)
    _write_idx(d / "train-labels-idx1-ubyte.gz", np.array([1, 10], np.uint8), compress=True)
    with pytest.raises(ValueError, match="0-9"):
        load_fashion_mnist(data_home=d, download=False)
    with pytest.raises(ValueError, match="kind"):
        load_fashion_mnist("validation")
    with pytest.raises(TypeError, match="data_home"):
        load_fashion_mnist(data_home=3)
    with pytest.raises(TypeError, match="download"):
        load_fashion_mnist(data_home=d, download="yes")


def test_fashion_mnist_official_checksums_table():
    assert set(_fashion_mnist.FASHION_MNIST_SHA256) == {
        f"{p}-{k}-idx{i}-ubyte.gz"
        for p in ("train", "t10k")
        for k, i in (("images", 3), ("labels", 1))
    }
    for digest in _fashion_mnist.FASHION_MNIST_SHA256.values():
        assert len(digest) == 64 and int(digest, 16) >= 0
    assert _fashion_mnist.FASHION_MNIST_BASE_URL.startswith("https://")


# gzip header time stamps of the official files (Debian strips them together
# with the file name; the deflate streams are the same bytes).
_OFFICIAL_MTIMES = {
    "train-images-idx3-ubyte.gz": 1504176606,
    "train-labels-idx1-ubyte.gz": 1504176606,
    "t10k-images-idx3-ubyte.gz": 1504176627,
    "t10k-labels-idx1-ubyte.gz": 1504176627,
}
_OFFICIAL_MD5 = {  # as published by Zalando Research and checked by torchvision
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}


@pytest.mark.parametrize("name", sorted(_OFFICIAL_MTIMES))
def test_fashion_mnist_checksums_match_debian_copies(name):
    path = FASHION_DIR / name
    if not path.exists():
        pytest.skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
    debian = path.read_bytes()
    assert debian[3] == 0  # FLG: no file name, hence a different checksum
    official = (
        b"\x1f\x8b\x08\x08"  # magic, deflate, FLG.FNAME
        + struct.pack("<I", _OFFICIAL_MTIMES[name])
        + debian[8:10]  # XFL, OS
        + name[:-3].encode() + b"\x00"
        + debian[10:]
    )
    assert hashlib.md5(official).hexdigest() == _OFFICIAL_MD5[name]
    assert hashlib.sha256(official).hexdigest() == _fashion_mnist.FASHION_MNIST_SHA256[name]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append(self.path)
        super().do_GET()


@pytest.fixture
def fake_server(isolated, monkeypatch):
    """Serve fake Fashion-MNIST files from 127.0.0.1 and point the loader at it."""
    served = isolated / "served"
    X, y = _write_fake_fashion(served / "data", "train", n=6, seed=4)
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        digest = hashlib.sha256((served / "data" / name).read_bytes()).hexdigest()
        monkeypatch.setitem(_fashion_mnist.FASHION_MNIST_SHA256, name, digest)
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    _QuietHandler.requests = []
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setattr(
        _fashion_mnist, "FASHION_MNIST_BASE_URL", f"http://127.0.0.1:{server.server_port}/data/"
    )
    try:
        yield X, y
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_fashion_mnist_offline_download(isolated, fake_server):
    X_ref, y_ref = fake_server
    cache = isolated / "cache"
    X, y = load_fashion_mnist("train", data_home=cache)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    assert sorted(p.name for p in cache.iterdir()) == [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]
    assert len(_QuietHandler.requests) == 2
    load_fashion_mnist("train", data_home=cache)  # cached: no new request
    assert len(_QuietHandler.requests) == 2


def test_fashion_mnist_download_into_env_then_default_cache(isolated, fake_server, monkeypatch):
    env = isolated / "env-data"
    monkeypatch.setenv("IMGBALANCE_DATA", str(env))
    load_fashion_mnist("train")
    assert (env / "train-images-idx3-ubyte.gz").is_file()
    monkeypatch.delenv("IMGBALANCE_DATA")
    X, _ = load_fashion_mnist("train")
    assert X.shape == (6, 28, 28)
    cache = isolated / "home" / ".cache" / "imgbalance"
    assert (cache / "train-labels-idx1-ubyte.gz").is_file()


@pytest.mark.parametrize("bad", ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"])
def test_fashion_mnist_checksum_mismatch_leaves_no_file(isolated, fake_server, monkeypatch, bad):
    monkeypatch.setitem(_fashion_mnist.FASHION_MNIST_SHA256, bad, "0" * 64)
    cache = isolated / "cache"
    with pytest.raises(OSError, match=f"{bad}.*SHA-256"):
        load_fashion_mnist("train", data_home=cache)
    # (the folder made for the download goes when nothing is left in it)
    left = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    assert bad not in left
    assert not any(name.endswith(".part") for name in left)


def test_fashion_mnist_http_error_leaves_no_file(isolated, fake_server):
    cache = isolated / "cache"
    with pytest.raises(OSError, match=r"t10k-images-idx3-ubyte\.gz could not be downloaded "
                                      r"from http://\S+ into '.*cache': .*dataset-fashion-mnist"):
        load_fashion_mnist("test", data_home=cache)  # t10k files are not served
    assert not cache.exists()  # the folder made for the download is gone too
    cache.mkdir()
    with pytest.raises(OSError):
        load_fashion_mnist("test", data_home=cache)
    assert list(cache.iterdir()) == []  # a folder that was there stays


def test_fashion_mnist_unreachable_server_names_url_folders_and_remedies(isolated, monkeypatch):
    # used to be a bare URLError(ConnectionRefusedError(111, ...)), and an
    # empty ~/.cache/imgbalance left behind
    monkeypatch.setattr(_fashion_mnist, "FASHION_MNIST_BASE_URL", "http://127.0.0.1:9/")
    with pytest.raises(OSError) as info:
        load_fashion_mnist("test")
    message = str(info.value)
    for part in ("http://127.0.0.1:9/t10k-images-idx3-ubyte.gz",
                 str(isolated / "home" / ".cache"), str(isolated / "no-system"),
                 "apt-get install dataset-fashion-mnist", "data_home", "$IMGBALANCE_DATA"):
        assert part in message
    assert not (isolated / "home").exists()


# --------------------------------------------------------------------------
# fetch_fashion_mnist


@pytest.fixture
def sk_home(isolated, monkeypatch):
    """scikit-learn's data home (via $SCIKIT_LEARN_DATA) inside tmp_path."""
    home = isolated / "sk-data"
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(home))
    return home


_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def test_fetch_fashion_mnist_from_debian_location_is_a_bunch(sk_home, monkeypatch):
    if not (FASHION_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
    monkeypatch.setattr(_fashion_mnist, "SYSTEM_DATA_DIR", FASHION_DIR)
    test = fetch_fashion_mnist("test", download_if_missing=False)
    assert set(test) == {"data", "images", "target", "target_names", "DESCR"}
    assert test.data.shape == (10000, 28, 28) and test.data.dtype == np.uint8
    assert test.images is test.data
    assert test.target.shape == (10000,) and test.target.dtype == np.int64
    assert test.target_names.tolist() == _NAMES
    assert "Fashion-MNIST" in test.DESCR and "Ankle boot" in test.DESCR
    # the same arrays as the IDX files themselves and as load_fashion_mnist
    np.testing.assert_array_equal(test.data, load_idx(FASHION_DIR / "t10k-images-idx3-ubyte.gz"))
    X, y = load_fashion_mnist("test", download=False)
    np.testing.assert_array_equal(test.target, y)
    X_all, y_all = fetch_fashion_mnist("all", download_if_missing=False, return_X_y=True)
    assert X_all.shape == (70000, 28, 28)
    np.testing.assert_array_equal(X_all[60000:], test.data)
    np.testing.assert_array_equal(y_all[60000:], test.target)
    np.testing.assert_array_equal(np.bincount(y_all), [7000] * 10)
    assert not sk_home.exists()  # found in the system folder: nothing created


def test_fetch_fashion_mnist_system_folder_first_then_data_home(isolated, sk_home, monkeypatch):
    mine = isolated / "mine"
    X_home, y_home = _write_fake_fashion(mine / "fashion_mnist", "test", n=3, seed=1)
    X_sk, _ = _write_fake_fashion(sk_home / "fashion_mnist", "test", n=4, seed=2)
    bunch = fetch_fashion_mnist("test", data_home=mine, download_if_missing=False)
    np.testing.assert_array_equal(bunch.data, X_home)
    np.testing.assert_array_equal(bunch.target, y_home)
    np.testing.assert_array_equal(bunch.target_names[y_home], np.array(_NAMES)[y_home])
    X, _ = fetch_fashion_mnist("test", download_if_missing=False, return_X_y=True)
    np.testing.assert_array_equal(X, X_sk)  # $SCIKIT_LEARN_DATA without data_home
    system = isolated / "system"
    X_sys, _ = _write_fake_fashion(system, "test", n=2, seed=3)
    monkeypatch.setattr(_fashion_mnist, "SYSTEM_DATA_DIR", system)
    X, _ = fetch_fashion_mnist("test", data_home=mine, return_X_y=True)
    np.testing.assert_array_equal(X, X_sys)  # the Debian package's files first


def test_fetch_fashion_mnist_errors(isolated, sk_home):
    with pytest.raises(FileNotFoundError, match=r"t10k-images.*"
                                                r"download_if_missing=True.*fashion_mnist"):
        fetch_fashion_mnist("test", download_if_missing=False)
    for subset in ("validation", None):
        with pytest.raises(ValueError, match="subset must be 'train', 'test' or 'all'"):
            fetch_fashion_mnist(subset)
    with pytest.raises(TypeError, match="download_if_missing must be a bool"):
        fetch_fashion_mnist("test", download_if_missing="no")
    with pytest.raises(TypeError, match="return_X_y must be a bool"):
        fetch_fashion_mnist("test", return_X_y=1)
    with pytest.raises(TypeError, match="data_home"):
        fetch_fashion_mnist("test", data_home=3)


def test_fetch_fashion_mnist_offline_download_into_data_home(isolated, sk_home, fake_server):
    X_ref, y_ref = fake_server
    bunch = fetch_fashion_mnist("train")
    np.testing.assert_array_equal(bunch.data, X_ref)
    np.testing.assert_array_equal(bunch.target, y_ref)
    assert sorted(p.name for p in (sk_home / "fashion_mnist").iterdir()) == [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    assert len(_QuietHandler.requests) == 2
    fetch_fashion_mnist("train")  # cached: no new request
    assert len(_QuietHandler.requests) == 2
    with pytest.raises(OSError, match=r"t10k-images-idx3-ubyte\.gz could not be downloaded"
                                      r".*dataset-fashion-mnist.*data_home"):
        fetch_fashion_mnist("all")  # the test files are not served
    assert sorted(p.name for p in (sk_home / "fashion_mnist").iterdir()) == [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]


# --------------------------------------------------------------------------
# make_long_tailed

# Per-class sizes of CIFAR-10-LT (Cao et al. 2019, LDAM-DRW code), n_max = 5000.
_CIFAR10_LT = {
    1: [5000] * 10,
    10: [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500],
    100: [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50],
}


@pytest.mark.parametrize("ratio", [1, 10, 100])
def test_long_tailed_counts_match_formula(ratio):
    y = np.repeat(np.arange(10), 5000)
    rng = np.random.default_rng(0)
    y = rng.permutation(y)
    X = np.arange(y.size)
    X_lt, y_lt = make_long_tailed(X, y, imbalance_ratio=ratio, random_state=0)
    counts = np.bincount(y_lt, minlength=10)
    formula = [math.floor(5000 * ratio ** (-c / 9)) for c in range(10)]
    np.testing.assert_array_equal(counts, formula)
    np.testing.assert_array_equal(counts, _CIFAR10_LT[ratio])
    # kept samples are real (X, y) pairs, in their original relative order
    assert np.all(np.diff(X_lt) > 0)
    np.testing.assert_array_equal(y[X_lt], y_lt)


def test_long_tailed_class_order():
    y = np.repeat([0, 1, 2, 3], [100, 100, 30, 100])
    _, y_lt = make_long_tailed(np.zeros((y.size, 2)), y, imbalance_ratio=8, random_state=0)
    # targets 100, 50, 25, 12
    np.testing.assert_array_equal(np.bincount(y_lt), [100, 50, 25, 12])
    _, y_lt = make_long_tailed(
        np.zeros((y.size, 2)), y, imbalance_ratio=8, class_order=[3, 1, 0, 2], random_state=0
    )
    # positions: 3 -> 100, 1 -> 50, 0 -> 25, 2 -> min(12, 30)
    np.testing.assert_array_equal(np.bincount(y_lt), [25, 50, 12, 100])


def test_long_tailed_ratio_holds_when_classes_are_unequal():
    # n_max used to be the largest class: a small head then kept all its
    # samples while the tail got n_max / r, e.g. [50, 100] for ratio 10
    y = np.repeat([0, 1], [50, 1000])
    _, y_lt = make_long_tailed(np.zeros((y.size, 2)), y, imbalance_ratio=10, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_lt), [50, 5])
    # a middle class too small for its place limits the whole profile: said
    y = np.repeat([0, 1, 2, 3], [100, 100, 10, 100])
    with pytest.warns(UserWarning, match=r"class 2 \(10 samples\) is too small.*keeps 40 "
                                         r"of its 100.*class_order"):
        _, y_lt = make_long_tailed(np.zeros((y.size, 2)), y, imbalance_ratio=8, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_lt), [40, 20, 10, 5])
    # ... and in the tail, where it belongs, it limits nothing
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, y_lt = make_long_tailed(np.zeros((y.size, 2)), y, imbalance_ratio=10,
                                   class_order=[0, 1, 3, 2], random_state=0)
    np.testing.assert_array_equal(np.bincount(y_lt), [100, 46, 10, 21])
    # real data: the digits classes hold 174 to 183 images
    from sklearn.datasets import load_digits

    digits = load_digits()
    _, y_lt = make_long_tailed(digits.data, digits.target, imbalance_ratio=10, random_state=0)
    counts = np.bincount(y_lt)
    head = np.bincount(digits.target)[0]
    formula = [math.floor(head * 10 ** (-c / 9) + 1e-9) for c in range(10)]
    np.testing.assert_array_equal(counts, formula)


def test_long_tailed_info_names_the_limiting_classes():
    # class 2 (10 samples) at position 2 of 4 with ratio 8: fractions 1, 1/2,
    # 1/4, 1/8, so it allows a head of 40; classes 0, 1 and 3 allow 100, 200, 800
    y = np.repeat([0, 1, 2, 3], [100, 100, 10, 100])
    with pytest.warns(LongTailWarning) as record:
        _, y_lt, info = make_long_tailed(np.zeros((y.size, 2)), y, imbalance_ratio=8,
                                         random_state=0, return_info=True)
    assert len(record) == 1 and issubclass(record[0].category, UserWarning)
    np.testing.assert_array_equal(info.class_order, [0, 1, 2, 3])
    np.testing.assert_array_equal(info.n_samples, [100, 100, 10, 100])
    np.testing.assert_array_equal(info.n_kept, np.bincount(y_lt))
    np.testing.assert_array_equal(info.n_kept, [40, 20, 10, 5])
    np.testing.assert_array_equal(info.limiting_classes, [2])
    # two classes tie as the limit; labels are reported as given, in class order
    y = np.array(["a", "b", "c"])[np.repeat([0, 1, 2], [90, 10, 5])]
    with pytest.warns(LongTailWarning, match="'b' \\(10 samples\\), 'c' \\(5 samples\\)"):
        _, y_lt, info = make_long_tailed(np.zeros(y.size), y, imbalance_ratio=4,
                                         class_order=["a", "b", "c"], return_info=True)
    assert info.class_order.tolist() == ["a", "b", "c"]
    assert info.limiting_classes.tolist() == ["b", "c"]
    assert info.n_kept.tolist() == [20, 10, 5]
    # in the tail, a small class limits nothing: no warning; here it allows
    # the same head size as the head class itself (100 / 1 == 10 / 0.1)
    y = np.repeat([0, 1, 2, 3], [100, 100, 10, 100])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_lt, y_lt2, info = make_long_tailed(np.arange(y.size), y, imbalance_ratio=10,
                                             class_order=[0, 1, 3, 2], random_state=0,
                                             return_info=True)
        X_plain, _ = make_long_tailed(np.arange(y.size), y, imbalance_ratio=10,
                                      class_order=[0, 1, 3, 2], random_state=0)
    assert info.limiting_classes.tolist() == [0, 2]
    assert info.n_kept.tolist() == [100, 46, 21, 10]
    assert info.n_samples.tolist() == [100, 100, 100, 10]
    np.testing.assert_array_equal(X_lt, X_plain)  # return_info changes nothing else


def test_long_tailed_step_profile():
    y = np.repeat(np.arange(10), 200)
    _, y_lt = make_long_tailed(np.zeros((y.size, 1)), y, imbalance_ratio=10, profile="step")
    np.testing.assert_array_equal(np.bincount(y_lt), [200] * 5 + [20] * 5)
    y = np.repeat(np.arange(5), 200)
    _, y_lt = make_long_tailed(np.zeros((y.size, 1)), y, imbalance_ratio=100, profile="step")
    np.testing.assert_array_equal(np.bincount(y_lt), [200] * 3 + [2] * 2)


def test_long_tailed_never_drops_a_class_and_single_class():
    y = np.repeat(np.arange(3), 10)
    _, y_lt = make_long_tailed(np.zeros((30, 1)), y, imbalance_ratio=1000, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_lt), [10, 1, 1])  # 0.32 -> 1, 0.01 -> 1
    _, y_lt = make_long_tailed(np.zeros((5, 1)), np.zeros(5, int), imbalance_ratio=10)
    assert y_lt.size == 5


def test_long_tailed_4d_string_labels_and_determinism():
    n = 300
    X = np.arange(n, dtype=np.float32)[:, None, None, None] * np.ones((1, 4, 4, 3), np.float32)
    y = np.array(["cat", "dog", "emu"])[np.arange(n) % 3]
    X1, y1 = make_long_tailed(X, y, imbalance_ratio=4, random_state=42)
    X2, y2 = make_long_tailed(X, y, imbalance_ratio=4, random_state=42)
    X3, _ = make_long_tailed(X, y, imbalance_ratio=4, random_state=43)
    assert X1.shape[1:] == (4, 4, 3) and X1.dtype == np.float32
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    labels, counts = np.unique(y1, return_counts=True)
    assert labels.tolist() == ["cat", "dog", "emu"] and counts.tolist() == [100, 50, 25]
    index = X1[:, 0, 0, 0].astype(int)
    np.testing.assert_array_equal(y[index], y1)
    rng = np.random.RandomState(0)
    Xa, _ = make_long_tailed(X, y, imbalance_ratio=4, random_state=rng)
    Xb, _ = make_long_tailed(X, y, imbalance_ratio=4, random_state=rng)
    assert not np.array_equal(Xa, Xb)  # a RandomState instance advances


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"imbalance_ratio": 0.5}, ValueError, "imbalance_ratio"),
        ({"imbalance_ratio": float("nan")}, ValueError, "imbalance_ratio"),
        ({"imbalance_ratio": float("inf")}, ValueError, "imbalance_ratio"),
        ({"imbalance_ratio": "10"}, TypeError, "imbalance_ratio"),
        ({"imbalance_ratio": True}, TypeError, "imbalance_ratio"),
        ({"profile": "linear"}, ValueError, "profile"),
        ({"class_order": [0, 1]}, ValueError, "class_order"),
        ({"class_order": [0, 1, 1]}, ValueError, "class_order"),
        ({"class_order": [0, 1, 5]}, ValueError, "class_order"),
        ({"return_info": "yes"}, TypeError, "return_info must be a bool"),
    ],
)
def test_long_tailed_parameter_errors(kwargs, error, match):
    X, y = np.zeros((9, 2)), np.arange(9) % 3
    with pytest.raises(error, match=match):
        make_long_tailed(X, y, **kwargs)


def test_long_tailed_input_errors():
    with pytest.raises(ValueError, match="same number of samples"):
        make_long_tailed(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="1-D"):
        make_long_tailed(np.zeros((4, 2)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="empty"):
        make_long_tailed(np.zeros((0, 2)), np.zeros(0))
