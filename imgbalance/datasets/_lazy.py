"""ImageFolderSource: a class-per-subfolder image set decoded on demand."""

import os
import threading
from pathlib import Path

import numpy as np

from ._folder import (
    _COLOR_MODES,
    _Failure,
    _check_choice,
    _check_extensions,
    _check_image_size,
    _class_files,
    _class_folders,
    _decode,
    _pil_resample,
    _warn_outside,
    _INTERPOLATIONS,
)

__all__ = ["ImageFolderSource"]


class ImageFolderSource:
    """Images stored one folder per class, decoded only when indexed.

    The lazy counterpart of :func:`load_image_folder` for data sets larger
    than memory: the constructor lists the files with the same code (layout,
    order, Pillow decoding and link rules); ``source[rows]`` decodes exactly
    the images of ``rows``.  It is an array-like of shape ``(n_samples, height, width[, 3])``
    and dtype uint8, so :class:`~imgbalance.batches.BalancedBatches` reads
    from it only the images of the batch being built.

    Parameters
    ----------
    path : str or os.PathLike
        Root folder holding one subfolder per class.
    image_size : tuple of (int, int) or None, default=None
        ``(height, width)`` to resize every image to.  If None, the first
        image's size is the shape, and an image of another size raises a
        ``ValueError`` when it is decoded.
    color_mode : {"grayscale", "rgb"}, default="grayscale"
        Pillow conversion applied to every image.
    interpolation : {"nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"}, default="bilinear"
        Pillow resampling filter used when resizing.
    extensions : iterable of str or None, default=None
        If given, only files with one of these suffixes are listed.

    Attributes
    ----------
    files : list of pathlib.Path
        One file per sample, ordered by class, then by path.
    targets : ndarray of shape (n_samples,)
        Class index of every file into ``class_names``.
    class_names : list of str
        Class folder names, sorted.
    n_decoded : int
        Images decoded so far (in this process).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.datasets import ImageFolderSource
    >>> root = tempfile.mkdtemp()
    >>> for label, value in [("cat", 50), ("dog", 200)]:
    ...     (Path(root) / label).mkdir()
    ...     for i in range(3):
    ...         Image.fromarray(np.full((4, 5), value + i, np.uint8)).save(
    ...             Path(root) / label / f"{i}.png")
    >>> source = ImageFolderSource(root)
    >>> source.shape, source.dtype, source.targets
    ((6, 4, 5), dtype('uint8'), array([0, 0, 0, 1, 1, 1]))
    >>> source[np.array([1, 4])][:, 0, 0], source.n_decoded  # + 1 for the shape
    (array([ 51, 201], dtype=uint8), 3)
    """

    def __init__(self, path, *, image_size=None, color_mode="grayscale",
                 interpolation="bilinear", extensions=None):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}.")
        self._size = _check_image_size(image_size)
        _check_choice("color_mode", color_mode, tuple(_COLOR_MODES))
        _check_choice("interpolation", interpolation, _INTERPOLATIONS)
        extensions = _check_extensions(extensions)
        root = Path(path)
        if not root.is_dir():
            raise FileNotFoundError(f"Image folder '{root}' does not exist or is not a folder.")
        real_root = Path(os.path.realpath(root))
        outside = []  # the symbolic links ignored, warned about once (as load_image_folder)
        folders, reals = _class_folders(root, real_root, outside)
        self.files, labels = _class_files(folders, reals, real_root, extensions, outside)
        if outside:
            _warn_outside(outside, root)
        self.class_names = [f.name for f in folders]
        self.targets = np.asarray(labels, dtype=np.int64)
        self.color_mode, self.interpolation = color_mode, interpolation
        self.n_decoded = 0
        self._lock = threading.Lock()
        first = self._decode_one(0)
        self.shape = (len(self.files), *first.shape)
        self.dtype = np.dtype(np.uint8)
        self.ndim = len(self.shape)

    def __len__(self):
        return len(self.files)

    def _decode_one(self, i):
        from PIL import Image

        pil_size = None if self._size is None else (self._size[1], self._size[0])
        image = _decode(self.files[i], _COLOR_MODES[self.color_mode], pil_size,
                        _pil_resample(self.interpolation), Image.MAX_IMAGE_PIXELS)
        with self._lock:
            self.n_decoded += 1
        if isinstance(image, _Failure):
            raise ValueError(f"Cannot load image {image.message}") from image.exc
        if hasattr(self, "shape") and image.shape != self.shape[1:]:
            raise ValueError(
                f"'{self.files[i]}' has shape {image.shape}, but the images of this "
                f"source have shape {self.shape[1:]}; pass image_size=(height, width)."
            )
        return image

    def __getitem__(self, rows):
        """Decode the images of ``rows`` (an int, a slice or an integer array)."""
        if isinstance(rows, slice):
            rows = np.arange(len(self))[rows]
        rows = np.asarray(rows)
        if rows.dtype.kind not in "iu":
            raise IndexError(f"ImageFolderSource takes integer indices; got dtype {rows.dtype}.")
        flat = rows.reshape(-1)
        if flat.size and (flat.min() < -len(self) or flat.max() >= len(self)):
            raise IndexError(f"index out of range for {len(self)} images.")
        out = np.empty((flat.size, *self.shape[1:]), dtype=np.uint8)
        for k, i in enumerate(flat):
            out[k] = self._decode_one(int(i))
        return out.reshape(rows.shape + self.shape[1:])

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_lock"]  # picklable for DataLoader worker processes
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
