"""Load a class-per-subfolder image dataset with Pillow."""

import os
import warnings
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed

from .._checks import is_int

__all__ = ["load_image_folder"]

_COLOR_MODES = {"grayscale": "L", "rgb": "RGB"}
_ON_ERROR = ("raise", "skip")
_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos", "box", "hamming")


class _Failure:
    """What went wrong with one file (returned by workers, not raised)."""

    def __init__(self, message, exc=None):
        self.message = message
        self.exc = exc


def _is_hidden(name):
    return name.startswith(".")


def _is_within(path, root):
    try:
        Path(path).relative_to(root)
    except ValueError:
        return False
    return True


def _scan_class(class_dir, root, other_classes, extensions, outside):
    """Sorted relative paths of the candidate files below ``class_dir``.

    Hidden entries are skipped.  Symbolic links are followed only when
    their target lies inside ``root`` (already resolved) but neither
    contains ``class_dir`` (the root itself, say) nor lies in one of
    ``other_classes`` (resolved paths): either would give the same images
    two labels.  The others are appended to ``outside``.  Directory cycles
    through links are cut.
    """
    files = []
    visited = set()
    home = os.path.realpath(class_dir)

    def followed(target):
        return (
            _is_within(target, root)
            and not _is_within(home, target)
            or _is_within(target, home)
        ) and not any(_is_within(target, other) for other in other_classes)

    def walk(directory, rel_parts):
        real = os.path.realpath(directory)
        if real in visited:
            return
        visited.add(real)
        with os.scandir(directory) as entries:
            entries = sorted(entries, key=lambda e: e.name)
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            if entry.is_symlink() and not followed(os.path.realpath(entry.path)):
                outside.append(entry.path)
                continue
            parts = (*rel_parts, entry.name)
            if entry.is_dir():
                walk(entry.path, parts)
            elif entry.is_file():
                if extensions is None or os.path.splitext(entry.name)[1].lower() in extensions:
                    files.append(parts)

    walk(class_dir, ())
    return sorted(files)


def _pil_resample(interpolation):
    from PIL import Image

    return getattr(Image.Resampling, interpolation.upper())


def _decode(path, mode, size, resample, max_pixels):
    """Decode one image into a uint8 array, or return a :class:`_Failure`.

    Runs in worker threads: nothing here touches the global warning state.
    """
    from PIL import Image

    try:
        with Image.open(path, formats=_safe_formats()) as im:
            n_pixels = im.width * im.height
            if max_pixels is not None and n_pixels > max_pixels:
                return _Failure(
                    f"'{path}' is {im.width}x{im.height} = {n_pixels} pixels, more "
                    f"than PIL.Image.MAX_IMAGE_PIXELS = {max_pixels}; refusing a "
                    "possible decompression bomb (raise that limit to load it)."
                )
            if im.mode == "F":
                return _Failure(
                    f"'{path}' has 32-bit floating-point pixels (Pillow mode 'F'), "
                    "which have no fixed range to scale to 8 bits; convert it to "
                    "8 or 16 bits first."
                )
            if im.mode == "I" or im.mode.startswith("I;16"):
                # convert("L") clips integer values at 255: 16-bit images keep
                # their high byte instead; 32-bit ones holding 8-bit values
                # are taken as they are
                im.load()
                values = np.asarray(im)
                bits = _integer_bits(im)
                top = 0xFFFF if bits == 16 else 0xFF
                if values.size and (values.min() < 0 or values.max() > top):
                    return _Failure(
                        f"'{path}' has {bits}-bit integer pixels beyond the "
                        f"{'16' if bits == 16 else '8'}-bit range ({values.min()} to "
                        f"{values.max()}), which cannot be scaled to 8 bits safely; "
                        "convert it to 8 or 16 bits first."
                    )
                if bits == 16:
                    values = values.astype(np.uint16) >> 8
                im = Image.fromarray(values.astype(np.uint8))
            im = im.convert(mode)
            if size is not None and im.size != size:
                im = im.resize(size, resample=resample)
            return np.asarray(im, dtype=np.uint8)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return _Failure(f"'{path}' was refused as a decompression bomb: {exc}", exc)
    except MemoryError:
        raise
    except Exception as exc:  # Pillow raises many types on broken data
        kind = "not an image Pillow can open" if _is_unidentified(exc) else "corrupt"
        return _Failure(f"'{path}' is {kind}: {type(exc).__name__}: {exc}", exc)


def _integer_bits(im):
    """Bit depth of an integer grayscale image (Pillow mode "I" or "I;16*")."""
    if im.mode.startswith("I;16") or im.format in ("PNG", "PPM"):
        return 16  # PNG before Pillow 10.3, and 16-bit PGM (scaled to 65535)
    if im.format == "TIFF":
        bits = im.tag_v2.get(258, (32,))  # BitsPerSample
        bits = max(bits) if isinstance(bits, tuple) else int(bits)
        return 16 if bits <= 16 else 32
    return 32


def _safe_formats():
    """Every format Pillow can open except EPS, which runs Ghostscript."""
    from PIL import Image

    Image.init()
    return tuple(name for name in Image.OPEN if name != "EPS")


def _is_unidentified(exc):
    from PIL import UnidentifiedImageError

    return isinstance(exc, UnidentifiedImageError)


def _check_image_size(image_size):
    if image_size is None:
        return None
    if (
        not isinstance(image_size, (tuple, list))
        or len(image_size) != 2
        or not all(is_int(v) for v in image_size)
    ):
        raise TypeError(
            "image_size must be None or a tuple (height, width) of two ints, "
            f"got {image_size!r}."
        )
    if min(image_size) < 1:
        raise ValueError(
            f"image_size must hold two positive ints (height, width), got {tuple(image_size)!r}."
        )
    return int(image_size[0]), int(image_size[1])


def _check_choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}.")


def load_image_folder(
    path,
    *,
    image_size=None,
    color_mode="grayscale",
    interpolation="bilinear",
    extensions=None,
    on_error="raise",
    n_jobs=None,
):
    """Load images stored one folder per class.

    The layout is the one of Keras ``image_dataset_from_directory`` and
    torchvision ``ImageFolder``::

        path/
            cat/
                001.png
                002.jpg
            dog/
                a.png
                more/b.png

    Every immediate non-hidden subfolder of ``path`` is a class; its files
    (searched recursively) are its samples.  Files directly in ``path`` are
    ignored.  Every file Pillow can open is accepted, whatever its
    extension, unless ``extensions`` restricts them -- except EPS, which
    Pillow renders by running Ghostscript, an external program unsafe on
    untrusted files.  Only the first frame of animated or multi-page files
    is read, and EXIF orientation tags are not applied (as in Keras and
    torchvision).  Images are decoded
    with Pillow, in parallel threads.

    Samples are ordered by class, then by their path inside the class
    folder, so the result does not depend on the file system or on
    ``n_jobs``.

    Safety rules:

    * entries whose name starts with "." (hidden files and folders) are
      ignored;
    * symbolic links are followed only if they resolve to a location inside
      ``path`` that is neither ``path`` itself (nor another folder holding
      the class folder) nor inside another class folder, so that no image
      gets two labels (a class folder of links into a hidden ``.pool``
      folder works); a class folder may itself be such a link.  Other links
      are ignored, with one warning listing them;
    * an image with more pixels than ``PIL.Image.MAX_IMAGE_PIXELS`` (read at
      call time; Pillow's default is 89,478,485) is refused as a possible
      decompression bomb, before it is decoded.

    Parameters
    ----------
    path : str or os.PathLike
        Root folder holding one subfolder per class.
    image_size : tuple of (int, int) or None, default=None
        ``(height, width)`` to resize every image to.  If None, all images
        must have the same size, else a ``ValueError`` names two files of
        different sizes.
    color_mode : {"grayscale", "rgb"}, default="grayscale"
        Conversion applied to every image (Pillow modes "L" and "RGB";
        alpha is dropped).  16-bit grayscale images (PNG, TIFF, PGM) are
        scaled to 8 bits by keeping the high byte of each value; 32-bit
        integer images are taken as they are if their values fit in 8 bits
        and refused otherwise, as are floating-point images (Pillow mode
        "F"): they have no fixed range to scale.
    interpolation : {"nearest", "bilinear", "bicubic", "lanczos", "box", \
"hamming"}, default="bilinear"
        Pillow resampling filter used when resizing.
    extensions : iterable of str or None, default=None
        If given, only files with one of these suffixes (case-insensitive,
        e.g. ``(".png", ".jpg")``) are loaded; other files are ignored.
        If None, every file is tried.
    on_error : {"raise", "skip"}, default="raise"
        What to do with a file that cannot be loaded (corrupt data, not an
        image, refused decompression bomb): raise a ``ValueError`` naming
        it, or skip it and emit one ``UserWarning`` listing the skipped
        files.
    n_jobs : int or None, default=None
        Number of decoding threads; None means 1, -1 all processors
        (``joblib`` semantics).

    Returns
    -------
    X : ndarray of shape (n_samples, height, width) or \
(n_samples, height, width, 3), dtype uint8
        The images; 3-D for ``color_mode="grayscale"``, 4-D for "rgb".
    y : ndarray of shape (n_samples,), dtype int64
        Class index of every image into ``class_names``.
    class_names : list of str
        Class folder names, sorted.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``path`` is not a directory, holds no class folder, a class
        folder holds no file, images differ in size without
        ``image_size``, or a file cannot be loaded with ``on_error="raise"``.

    See Also
    --------
    make_long_tailed : Derive a long-tailed data set from a balanced one.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.datasets import load_image_folder
    >>> with tempfile.TemporaryDirectory() as root:
    ...     for label, value in [("dog", 200), ("cat", 50)]:
    ...         (Path(root) / label).mkdir()
    ...         for i in range(2):
    ...             image = np.full((8, 6, 3), value + i, dtype=np.uint8)
    ...             Image.fromarray(image).save(Path(root) / label / f"{i}.png")
    ...     X, y, class_names = load_image_folder(root, image_size=(4, 3))
    >>> X.shape, X.dtype
    ((4, 4, 3), dtype('uint8'))
    >>> y, class_names
    (array([0, 0, 1, 1]), ['cat', 'dog'])
    >>> X[:, 0, 0]
    array([ 50,  51, 200, 201], dtype=uint8)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}.")
    size = _check_image_size(image_size)
    _check_choice("color_mode", color_mode, tuple(_COLOR_MODES))
    _check_choice("interpolation", interpolation, _INTERPOLATIONS)
    _check_choice("on_error", on_error, _ON_ERROR)
    extensions = _check_extensions(extensions)
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"Image folder '{root}' does not exist.")
    if not root.is_dir():
        raise ValueError(f"path '{root}' is not a directory: expected one subfolder per class.")
    real_root = Path(os.path.realpath(root))

    outside = []  # the symbolic links ignored, warned about once
    class_dirs, reals = _class_folders(root, real_root, outside)
    files, labels = _class_files(class_dirs, reals, real_root, extensions, outside)
    if outside:
        _warn_outside(outside, root)
    pil_size = None if size is None else (size[1], size[0])  # Pillow wants (w, h)
    X, keep, failures = _decode_all(
        files, _COLOR_MODES[color_mode], pil_size, _pil_resample(interpolation), on_error, n_jobs
    )
    if failures:
        warnings.warn(
            f"Skipped {len(failures)} file(s) that could not be loaded: "
            + "; ".join(failures[:10])
            + ("; ..." if len(failures) > 10 else ""),
            UserWarning,
            stacklevel=2,
        )
    if X is None:
        raise ValueError(f"No image in '{root}' could be loaded ({len(files)} files tried).")
    y = np.asarray(labels, dtype=np.int64)
    if not keep.all():
        X, y = X[keep], y[keep]
    return X, y, [entry.name for entry in class_dirs]


def _check_extensions(extensions):
    """The lower-case suffixes, each with its dot, as a frozenset (or None)."""
    if extensions is None:
        return None
    if isinstance(extensions, str):
        extensions = (extensions,)
    exts = []
    for ext in extensions:
        if not isinstance(ext, str) or not ext:
            raise TypeError(
                f"extensions must be None or an iterable of non-empty str, got {extensions!r}."
            )
        exts.append(ext.lower() if ext.startswith(".") else "." + ext.lower())
    return frozenset(exts)


def _class_folders(root, real_root, outside):
    """The class folders (sorted ``os.DirEntry``) and their resolved paths.

    Links leading outside ``root``, and class folders that are links to the
    root or overlapping another class (the same images would get two
    labels), are appended to ``outside`` instead.
    """
    class_dirs = []
    with os.scandir(root) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if _is_hidden(entry.name):
                continue
            if entry.is_symlink() and not _is_within(os.path.realpath(entry.path), real_root):
                outside.append(entry.path)
                continue
            if entry.is_dir():
                class_dirs.append(entry)
    reals = [os.path.realpath(entry.path) for entry in class_dirs]
    overlapping = {
        i for i, entry in enumerate(class_dirs)
        if entry.is_symlink() and (
            reals[i] == str(real_root)
            or any(_is_within(reals[i], other) or _is_within(other, reals[i])
                   for j, other in enumerate(reals) if j != i)
        )
    }
    outside.extend(class_dirs[i].path for i in sorted(overlapping))
    class_dirs = [entry for i, entry in enumerate(class_dirs) if i not in overlapping]
    reals = [real for i, real in enumerate(reals) if i not in overlapping]
    if not class_dirs:
        if outside:
            _warn_outside(outside, root, stacklevel=4)
        raise ValueError(
            f"Image folder '{root}' holds no class subfolder: expected one "
            "(non-hidden) subfolder per class, e.g. "
            f"'{root / 'cat' / '001.png'}'."
        )
    return class_dirs, reals


def _class_files(class_dirs, reals, real_root, extensions, outside):
    """Every file of every class, in order, and its class index."""
    files, labels = [], []
    for index, entry in enumerate(class_dirs):
        ignored = len(outside)
        others = reals[:index] + reals[index + 1:]
        class_files = _scan_class(entry.path, real_root, others, extensions, outside)
        if not class_files:
            what = "no file"
            if extensions is not None:
                what += f" with an extension in {sorted(extensions)}"
            links = len(outside) - ignored
            if links:
                what += (
                    f" ({links} symbolic link(s) in it were ignored: links are followed "
                    "only to places inside the root that are neither the root nor "
                    "another class folder)"
                )
            raise ValueError(
                f"Class folder '{entry.path}' holds {what}; remove it or add images."
            )
        files.extend(Path(entry.path, *parts) for parts in class_files)
        labels.extend([index] * len(class_files))
    return files, labels


def _decode_all(files, mode, pil_size, resample, on_error, n_jobs):
    """``(X, keep, failures)``: the decoded images, in threads.

    ``X`` is None when no file could be loaded; ``keep`` marks the rows of
    ``X`` that hold an image; ``failures`` describes the skipped files.
    """
    from PIL import Image

    max_pixels = Image.MAX_IMAGE_PIXELS  # read at call time
    X = None
    keep = np.ones(len(files), dtype=bool)
    failures = []
    first_file = None
    with warnings.catch_warnings():
        # Our own check refuses large images; silence Pillow's duplicate
        # warning (set here, in the calling thread, never in the workers).
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        results = Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator")(
            delayed(_decode)(f, mode, pil_size, resample, max_pixels) for f in files
        )
        for i, result in enumerate(results):
            if isinstance(result, _Failure):
                if on_error == "raise":
                    raise ValueError(f"Cannot load image {result.message}") from result.exc
                failures.append(result.message)
                keep[i] = False
                continue
            if X is None:
                X = np.empty((len(files), *result.shape), dtype=np.uint8)
                first_file = files[i]
            elif result.shape != X.shape[1:]:
                raise ValueError(
                    "Images differ in size: "
                    f"'{first_file}' is {_describe(X.shape[1:])} but '{files[i]}' is "
                    f"{_describe(result.shape)}; pass image_size=(height, width) to "
                    "resize them all."
                )
            X[i] = result
    return X, keep, failures


def _warn_outside(outside, root, stacklevel=3):
    warnings.warn(
        f"Ignored {len(outside)} symbolic link(s) leading outside '{root}', to "
        "it, or into another class folder (the same images would get two "
        "labels): "
        + ", ".join(f"'{p}'" for p in outside[:5])
        + (", ..." if len(outside) > 5 else ""),
        UserWarning,
        stacklevel=stacklevel,
    )


def _describe(shape):
    return f"{shape[0]}x{shape[1]} (height x width)"
